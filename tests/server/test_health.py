"""The server answers health and readiness checks over real HTTP."""

from __future__ import annotations

import aiohttp
import pytest

from bot.config import Settings
from bot.runtime import build_runtime
from tests.fakes.clock import ManualClock
from tests.fakes.server import running


async def test_healthz_answers_ok(server_url: str) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{server_url}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_readyz_answers_ready_when_the_database_answers(server_url: str) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{server_url}/readyz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ready"}


async def test_readyz_answers_503_when_the_database_is_unreachable() -> None:
    # Nothing listens on port 1: the server runs, the database does not answer.
    settings = Settings(DIALOOG_DATABASE_URL="postgresql://postgres@127.0.0.1:1/nowhere")
    runtime = build_runtime(settings, clock=ManualClock(), migrate=False)
    async with running(runtime) as url, aiohttp.ClientSession() as http:
        async with http.get(f"{url}/healthz") as response:
            assert response.status == 200, "alive, though not ready"
        async with http.get(f"{url}/readyz") as response:
            assert response.status == 503
            assert await response.json() == {"status": "database unreachable"}


def test_serve_refuses_a_slack_setup_that_cannot_work_in_one_line(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.chdir(str(tmp_path))
    monkeypatch.setenv("DIALOOG_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("SLACK_CLIENT_ID", "1.2")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "s")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "t")
    monkeypatch.delenv("DIALOOG_SECRET_KEY", raising=False)
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dialoog: ") and "DIALOOG_SECRET_KEY" in err
    assert "Traceback" not in err
