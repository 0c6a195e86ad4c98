"""The server answers health and readiness checks over real HTTP."""

from __future__ import annotations

import aiohttp

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
