"""Installing dialoog in a workspace through OAuth; its token stored encrypted."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aiohttp
import pytest
from sqlalchemy import text

from bot.channels.slack.tokens import TokenCipher
from bot.runtime import Runtime
from tests.fakes.clock import ManualClock
from tests.fakes.server import serving
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import SECRET_KEY, SettingsFor
from tests.slack.driver import ANN, Slack
from tests.slack.flows import card_shows

INSTALLED_TOKEN = "xoxb-fake-installed-token-4242"  # what the fake's oauth.v2.access hands out
SCHOOL = "T0SCHOOL"


@dataclass
class OAuthServer:
    runtime: Runtime
    url: str


@pytest.fixture
async def oauth_server(
    slack_settings: SettingsFor, clock: ManualClock
) -> AsyncIterator[OAuthServer]:
    settings = slack_settings(
        SLACK_BOT_TOKEN=None,
        SLACK_CLIENT_ID="1234.5678",
        SLACK_CLIENT_SECRET="client-secret-of-the-app",
        DIALOOG_SECRET_KEY=SECRET_KEY,
    )
    async with serving(settings, clock) as (url, runtime):
        yield OAuthServer(runtime, url)


async def _install(http: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with http.get(f"{url}/slack/install") as page:
        assert page.status == 200
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    link = re.search(r'href="(https://slack\.com/oauth/v2/authorize\?[^"]+)"', html)
    assert link is not None, "the install page links to Slack's authorize page"
    authorize = link.group(1).replace("&amp;", "&")
    assert "client_id=1234.5678" in authorize
    assert (
        "scope=commands,chat:write,im:write,channels:history,groups:history,files:write"
        in authorize
    )
    state = re.search(r"state=([^&]+)", authorize)
    assert state is not None
    # Slack sends the browser back with a code and the state.
    callback = f"{url}/slack/oauth_redirect?code=c0de-from-slack&state={state.group(1)}"
    async with http.get(callback, headers={"Cookie": cookie}) as done:
        return done.status, await done.text()


async def test_an_install_stores_the_workspace_with_its_token_encrypted(
    oauth_server: OAuthServer, slack_api: FakeSlack, http: aiohttp.ClientSession
) -> None:
    status, _page = await _install(http, oauth_server.url)
    assert status == 200
    exchange = slack_api.calls_to("oauth.v2.access")
    assert len(exchange) == 1 and exchange[0].args["code"] == "c0de-from-slack"

    with oauth_server.runtime.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT team_id, team_name, bot_user_id, bot_token_ciphertext"
                " FROM slack_installations"
            )
        ).one()
    assert (row.team_id, row.team_name, row.bot_user_id) == (SCHOOL, "De Vlinder", "U0BOT")
    # Not in the clear, anywhere in the row.
    assert INSTALLED_TOKEN not in " ".join(str(v) for v in row)
    assert "4242" not in row.bot_token_ciphertext
    cipher = TokenCipher.from_setting(SECRET_KEY)
    assert cipher is not None and cipher.decrypt(row.bot_token_ciphertext) == INSTALLED_TOKEN


async def test_the_installed_workspace_is_served_with_its_own_token(
    oauth_server: OAuthServer, slack_api: FakeSlack, http: aiohttp.ClientSession
) -> None:
    await _install(http, oauth_server.url)
    slack = Slack(http, oauth_server.url, slack_api)
    body = slack.command_body(ANN, "start incident")
    body["team_id"] = SCHOOL
    assert (await slack.post_form(body)).status == 200
    await card_shows(slack, "Incidentmethode")
    card = slack.card()
    assert card.token == INSTALLED_TOKEN


async def test_an_install_link_works_once(
    oauth_server: OAuthServer, http: aiohttp.ClientSession
) -> None:
    async with http.get(f"{oauth_server.url}/slack/install") as page:
        html = await page.text()
        cookie = page.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([^&\"]+)", html)
    assert state is not None
    callback = f"{oauth_server.url}/slack/oauth_redirect?code=abc&state={state.group(1)}"
    async with http.get(callback, headers={"Cookie": cookie}) as first:
        assert first.status == 200
    async with http.get(callback, headers={"Cookie": cookie}) as again:
        assert again.status >= 400


async def test_uninstalling_forgets_the_workspace_and_its_token(
    oauth_server: OAuthServer, slack_api: FakeSlack, http: aiohttp.ClientSession
) -> None:
    await _install(http, oauth_server.url)
    slack = Slack(http, oauth_server.url, slack_api)
    event = slack.message_event(ANN, "", thread_ts="")
    event["team_id"] = SCHOOL
    event["authorizations"][0]["team_id"] = SCHOOL
    event["event"] = {"type": "app_uninstalled", "event_ts": "1764000000.000001"}
    assert (await slack.post_event(event)).status == 200

    async def gone() -> bool:
        with oauth_server.runtime.engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM slack_installations")).scalar()
        return count == 0

    for _ in range(50):
        if await gone():
            break
        await slack_api.settle(quiet=0.1)
    assert await gone()
