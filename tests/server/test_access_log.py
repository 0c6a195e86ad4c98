"""The access log names the request but never a secret in it."""

from __future__ import annotations

import logging

import aiohttp
import pytest
from aiohttp import web

from bot.access_log import AccessLogger, masked


def test_calendar_tokens_are_masked() -> None:
    assert masked("/calendar/Zk3x_secret-token.ics") == "/calendar/….ics"
    assert masked("/slack/events") == "/slack/events"


async def test_the_query_string_and_feed_token_stay_out_of_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)

    async def ok(_request: web.Request) -> web.Response:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_get("/slack/oauth_redirect", ok)
    app.router.add_get("/calendar/{token}.ics", ok)
    runner = web.AppRunner(
        app, access_log_class=AccessLogger, access_log=logging.getLogger("dialoog.access")
    )
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as http:
            base = f"http://127.0.0.1:{port}"
            await (await http.get(f"{base}/slack/oauth_redirect?code=SECRETCODE&state=S1")).read()
            await (await http.get(f"{base}/calendar/SECRETTOKEN.ics")).read()
    finally:
        await runner.cleanup()
    assert "GET /slack/oauth_redirect 200" in caplog.text
    assert "GET /calendar/….ics 200" in caplog.text
    assert "SECRET" not in caplog.text
