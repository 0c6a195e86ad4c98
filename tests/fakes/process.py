"""`dialoog serve` as its own process, for tests that kill it as a crash would."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from sqlalchemy import select

from bot.runtime import Runtime
from storage.models import Round

_ROOT = Path(__file__).resolve().parents[2]
# Only what the process needs: nothing of the developer's Slack or Teams settings.
_PASSED_ON = ("PATH", "HOME", "LANG", "TMPDIR")


@dataclass
class ServerProcess:
    url: str
    process: asyncio.subprocess.Process
    log_path: Path

    def log(self) -> str:
        """What the process wrote (its log lines), so far."""
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed; what is not committed is gone."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def killed(self) -> None:
        self.kill()
        await self.process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@asynccontextmanager
async def serving(env: dict[str, str], *, workdir: Path) -> AsyncIterator[ServerProcess]:
    """Start `dialoog serve` with these settings; wait until it answers."""
    port = _free_port()
    full = {k: v for k, v in os.environ.items() if k in _PASSED_ON}
    full.update(env, DIALOOG_PORT=str(port), DIALOOG_HOST="127.0.0.1", PYTHONPATH=str(_ROOT))
    log_path = workdir / f"serve-{port}.log"
    # A file, not a pipe: a pipe nobody reads would stall the server once full.
    with log_path.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "import sys; from bot.cli import main; sys.exit(main(['serve']))",
            env=full,
            cwd=workdir,  # away from any .env of the checkout
            stdout=out,
            stderr=asyncio.subprocess.STDOUT,
        )
    server = ServerProcess(f"http://127.0.0.1:{port}", process, log_path)
    try:
        await _ready(server)
        yield server
    finally:
        await server.killed()


async def _ready(server: ServerProcess, timeout: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with aiohttp.ClientSession() as http:
        while loop.time() < deadline:
            if server.process.returncode is not None:
                raise AssertionError(f"dialoog serve ended early:\n{server.log()}")
            with suppress(aiohttp.ClientError, OSError):
                async with http.get(f"{server.url}/healthz") as response:
                    if response.status == 200:
                        return
            await asyncio.sleep(0.1)
    raise AssertionError("dialoog serve did not start in time")


def contributions(runtime: Runtime) -> list[str]:
    """Every contribution of every round in the database, as the service folds it:
    what a killed server left behind."""
    with runtime.sessions() as session:
        ids = list(session.scalars(select(Round.id)))
    texts = []
    for round_id in ids:
        state = runtime.service.round(round_id)
        assert state is not None
        texts += [item.text for item in state.items]
    return texts
