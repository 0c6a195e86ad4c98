"""What people write is encrypted at rest: a copy of the database shows none of it."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, text

from bot.cli import main
from bot.config import ConfigError, Settings
from bot.runtime import Runtime, build_runtime
from bot.server import build_app
from storage import ContentUnreadable
from storage.models import RoundEvent
from tests.conftest import TEST_SECRET_KEY
from tests.fakes.clock import ManualClock
from tests.fakes.server import running
from tests.privacy.dumps import full_dump
from tests.privacy.played import everything_stored, play_round
from tests.web.conftest import ANN, BOB, WebChat

OTHER_KEY = "another-secret-key-for-stored-content-987654"


async def test_a_dump_of_the_database_shows_no_text_of_a_round(
    web: WebChat, runtime: Runtime
) -> None:
    played = await play_round(web, "dump")
    texts = [t for written in played.written.values() for t in written]
    assert len(texts) >= 8, texts
    # The texts are stored (the app reads them back) ...
    stored = everything_stored(runtime.engine)
    assert all(t in stored for t in texts)
    assert "Samenvatting: " in stored
    # ... and a copy of the database holds none of them, nor the summary.
    dump = full_dump(runtime.engine)
    assert "round_events" in dump and played.round_id in dump
    assert [t for t in texts if t in dump] == []
    assert "geheim dump-" not in dump and "Samenvatting" not in dump


def _settings(database_url: str, key: str | None) -> Settings:
    values = {"DIALOOG_DATABASE_URL": database_url, "DIALOOG_WEB_CHAT": "on"}
    if key is not None:
        values["DIALOOG_SECRET_KEY"] = key
    return Settings(**values)  # type: ignore[arg-type]


async def _say_and_read(runtime: Runtime, who: str, line: str | None) -> list[str]:
    async with running(runtime) as url, aiohttp.ClientSession() as http:
        chat = WebChat(http, url, runtime)
        if line is not None:
            await chat.say(who, line)
        timeline = await chat.timeline(ANN)
    return [m["message"]["text"] for m in timeline["messages"]]


async def test_a_new_key_in_front_keeps_old_content_readable(database_url: str) -> None:
    first = build_runtime(_settings(database_url, TEST_SECRET_KEY), clock=ManualClock())
    try:
        await _say_and_read(first, BOB, "Geschreven met de oude sleutel")
    finally:
        first.engine.dispose()

    rotated = build_runtime(
        _settings(database_url, f"{OTHER_KEY},{TEST_SECRET_KEY}"), clock=ManualClock()
    )
    try:
        shown = await _say_and_read(rotated, BOB, "Geschreven met de nieuwe sleutel")
    finally:
        rotated.engine.dispose()
    assert "Geschreven met de oude sleutel" in shown
    assert "Geschreven met de nieuwe sleutel" in shown


async def test_rekey_seals_everything_with_the_new_key_so_the_old_one_can_go(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = build_runtime(_settings(database_url, TEST_SECRET_KEY), clock=ManualClock())
    try:
        await _say_and_read(first, BOB, "Geschreven voor de wissel")
    finally:
        first.engine.dispose()

    monkeypatch.setenv("DIALOOG_DATABASE_URL", database_url)
    monkeypatch.setenv("DIALOOG_SECRET_KEY", f"{OTHER_KEY},{TEST_SECRET_KEY}")
    assert main(["privacy", "rekey"]) == 0
    resealed = int(capsys.readouterr().out.split()[1])
    assert resealed >= 1, "the chat line at least"
    assert main(["privacy", "rekey"]) == 0
    assert capsys.readouterr().out.startswith("re-encrypted 0 ")

    new_only = build_runtime(_settings(database_url, OTHER_KEY), clock=ManualClock())
    try:
        assert "Geschreven voor de wissel" in await _say_and_read(new_only, ANN, None)
    finally:
        new_only.engine.dispose()


def test_content_sealed_with_an_unknown_key_is_a_clear_error(database_url: str) -> None:
    import storage

    sealing = storage.make_engine(database_url, secret_key=TEST_SECRET_KEY)
    other = storage.make_engine(database_url, secret_key=OTHER_KEY)
    try:
        with sealing.begin() as connection:
            connection.execute(text("DELETE FROM round_events"))
        with storage.make_session_factory(sealing).begin() as session:
            tenant = storage.get_or_create_tenant(session, "web", "local")
            team = storage.get_or_create_team(
                session, tenant.id, "team", language="nl", timezone="Europe/Amsterdam"
            )
            storage.create_round(
                session,
                round_id="r1",
                team_id=team.id,
                protocol_id="incident",
                protocol_version="1",
                protocol_snapshot={},
                mode="live",
                status="running",
                started_by="web:ann",
                now=ManualClock().now(),
            )
            session.add(
                RoundEvent(
                    round_id="r1",
                    seq=1,
                    kind="x",
                    payload={"text": "Vertrouwelijk"},
                    occurred_at=ManualClock().now(),
                )
            )
        with (
            storage.make_session_factory(other)() as session,
            pytest.raises(Exception) as raised,
        ):
            session.scalars(select(RoundEvent)).all()
    finally:
        sealing.dispose()
        other.dispose()
    cause = raised.value.__cause__ or raised.value
    assert isinstance(cause, ContentUnreadable) or isinstance(raised.value, ContentUnreadable)
    assert "Vertrouwelijk" not in str(raised.value)


async def test_without_a_key_a_sqlite_file_gets_a_key_file_and_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("DIALOOG_SECRET_KEY")
    database = tmp_path / "school" / "dialoog.db"
    database.parent.mkdir()
    url = f"sqlite:///{database}"
    with caplog.at_level(logging.WARNING, logger="storage.crypto"):
        first = build_runtime(_settings(url, None), clock=ManualClock())
    try:
        await _say_and_read(first, BOB, "Eerste bericht in de school")
    finally:
        first.engine.dispose()
    key_file = tmp_path / "school" / "dialoog.db.key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert str(key_file) in caplog.text and "DIALOOG_SECRET_KEY is not set" in caplog.text
    assert "Eerste bericht" not in database.read_bytes().decode("latin-1")

    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="storage.crypto"):
        again = build_runtime(_settings(url, None), clock=ManualClock())
    try:
        shown = await _say_and_read(again, ANN, None)
    finally:
        again.engine.dispose()
    assert "Eerste bericht in de school" in shown
    warned = [r for r in caplog.records if r.name == "storage.crypto"]
    assert warned == [], "an existing key file is used without a warning"

    # Setting a key later keeps what the key file sealed readable.
    later = build_runtime(_settings(url, OTHER_KEY), clock=ManualClock())
    try:
        assert "Eerste bericht in de school" in await _say_and_read(later, ANN, None)
    finally:
        later.engine.dispose()


@pytest.mark.postgres
def test_postgres_without_a_key_refuses_to_start_and_says_what_to_set(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DIALOOG_SECRET_KEY")
    runtime = build_runtime(_settings(postgres_url, None), clock=ManualClock(), migrate=False)
    try:
        with pytest.raises(ConfigError, match="DIALOOG_SECRET_KEY is not set"):
            build_app(runtime)
    finally:
        runtime.engine.dispose()
