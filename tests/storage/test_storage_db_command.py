"""`dialoog db upgrade`."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from bot.cli import main
from storage.db import alembic_config


@pytest.fixture(autouse=True)
def _no_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings also reads ./.env; a developer's own must not leak in.
    monkeypatch.chdir(tmp_path)


def test_db_upgrade_migrates_and_then_has_nothing_to_do(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIALOOG_DATABASE_URL", empty_database_url)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()

    assert main(["db", "upgrade"]) == 0
    assert f"upgraded from an empty database to revision {head}" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"already at revision {head}, nothing to do" in capsys.readouterr().out


def test_db_upgrade_says_clearly_when_the_database_cannot_be_reached(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIALOOG_DATABASE_URL", "postgresql://dialoog:geheim@127.0.0.1:1/dialoog")

    assert main(["db", "upgrade"]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("dialoog db upgrade: cannot reach the database at ")
    assert "Traceback" not in captured.err
    assert "geheim" not in captured.err


def test_db_upgrade_refuses_a_url_it_cannot_use(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DIALOOG_DATABASE_URL", "mysql://dialoog@db/dialoog")

    assert main(["db", "upgrade"]) == 2
    assert "unsupported database 'mysql'" in capsys.readouterr().err
