"""POST /api/messages as Teams and others reach it: tokens, local mode, malformed
activities, invokes, re-sends and the time Teams allows for an answer."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.channels.teams import auth
from bot.runtime import Runtime
from tests.fakes.bot_connector import FakeConnector, buttons_of, texts_of
from tests.fakes.clock import ManualClock
from tests.fakes.server import serving
from tests.teams import flows
from tests.teams.conftest import teams_settings
from tests.teams.traffic import ANN, BOB, CHANNEL, Teams, delivered, settled

APP_ID = "0b9d4e6a-2f11-4c55-9a0e-7d3c1b2a4f60"
KEY_ID = "test-signing-key"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNER, STRANGER = _key(), _key()


def token(
    connector: FakeConnector,
    *,
    key: rsa.RSAPrivateKey = SIGNER,
    kid: str = KEY_ID,
    audience: str = APP_ID,
    issuer: str = "https://api.botframework.com",
    expires_in: int = 3600,
    service_url: str | None = None,
) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "nbf": now - 60,
        "exp": now + expires_in,
        "serviceurl": service_url or connector.url,
    }
    return "Bearer " + jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})


@pytest.fixture
async def authenticated(
    database_url: str, clock: ManualClock, connector: FakeConnector
) -> AsyncIterator[tuple[str, Runtime]]:
    """The server with an app id, checking tokens against the fake's signing keys."""
    jwk = json.loads(RSAAlgorithm.to_jwk(SIGNER.public_key()))
    connector.keys = [{**jwk, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]
    settings = teams_settings(
        database_url,
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="not-used-offline",
        MICROSOFT_OPENID_METADATA_URL=f"{connector.url}openid/.well-known/openid-configuration",
    )
    async with serving(settings, clock) as served:
        yield served


def reaction(teams: Teams) -> dict[str, Any]:
    """An activity the bot accepts and does nothing with: nothing goes out, so no
    token is needed for the answer (that would mean Microsoft's login service)."""
    activity = teams.channel_message(ANN, "")
    activity["type"] = "messageReaction"
    activity["reactionsAdded"] = [{"type": "like"}]
    return activity


async def _post(
    url: str, activity: object, headers: dict[str, str] | None = None, **kwargs: Any
) -> tuple[int, str]:
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{url}/api/messages", json=activity, headers=headers or {}, **kwargs) as r,
    ):
        return r.status, await r.text()


# -- with an app id: tokens ------------------------------------------------------------


async def test_a_request_with_a_valid_token_is_accepted(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector
) -> None:
    url, _ = authenticated
    status, _ = await _post(url, reaction(teams), {"Authorization": token(connector)})
    assert status == 202
    assert connector.openid_requests == 2, "the keys were fetched from the configured place"


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Bearer",
        "Bearer not-a-token",
        "Basic dXNlcjpwYXNz",
        "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2FwaS5ib3RmcmFtZXdvcmsuY29tIn0.",
    ],
    ids=["none", "empty bearer", "garbage", "basic", "unsigned"],
)
async def test_a_request_without_a_valid_token_gets_401_at_once_without_any_network(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector, header: str
) -> None:
    url, _ = authenticated
    status, _ = await _post(url, reaction(teams), {"Authorization": header} if header else {})
    assert status == 401
    assert connector.openid_requests == 0, "judged without fetching any signing keys"
    assert connector.requests == [], "and nothing was sent"


async def test_tokens_for_another_bot_or_from_another_issuer_or_expired_get_401(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector
) -> None:
    url, _ = authenticated
    for header in (
        token(connector, audience="another-bot"),
        token(connector, issuer="https://sts.windows.net/someone/"),
        token(connector, expires_in=-3600),
    ):
        status, _ = await _post(url, reaction(teams), {"Authorization": header})
        assert status == 401
    assert connector.openid_requests == 0


async def test_a_token_signed_by_someone_else_gets_401(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector
) -> None:
    url, _ = authenticated
    forged = token(connector, key=STRANGER)
    unknown_key = token(connector, key=STRANGER, kid="not-ours")
    for header in (forged, unknown_key):
        status, _ = await _post(url, reaction(teams), {"Authorization": header})
        assert status == 401


async def test_a_token_for_another_service_url_gets_401(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector
) -> None:
    url, _ = authenticated
    header = token(connector, service_url="https://smba.trafficmanager.net/emea/")
    status, _ = await _post(url, reaction(teams), {"Authorization": header})
    assert status == 401


async def test_with_microsofts_own_key_service_a_bogus_token_does_not_wait_for_it(
    database_url: str, clock: ManualClock, teams: Teams, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MICROSOFT_OPENID_METADATA_URL unset: the keys would come from Microsoft. No
    # network here, and no wait either: such a token is refused before any fetch.
    settings = teams_settings(
        database_url, MICROSOFT_APP_ID=APP_ID, MICROSOFT_APP_PASSWORD="not-used-offline"
    )
    fetches: list[str] = []

    async def no_fetch(keys: auth.SigningKeys) -> None:
        fetches.append(keys.metadata_url)
        raise AssertionError("fetched Microsoft's signing keys")

    monkeypatch.setattr(auth.SigningKeys, "_fetch", no_fetch)
    async with serving(settings, clock) as (url, _runtime):
        now = int(time.time())
        claims = {"iss": "https://api.botframework.com", "aud": APP_ID, "exp": now + 60}
        symmetric = jwt.encode(claims, "k" * 32, algorithm="HS256", headers={"kid": "x"})
        for header in ("Bearer x.y.z", f"Bearer {symmetric}"):
            status, _ = await _post(url, reaction(teams), {"Authorization": header})
            assert status == 401
    assert fetches == [], "refused before any fetch of the keys"


async def test_while_the_key_service_does_not_answer_the_server_keeps_serving(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector
) -> None:
    # botbuilder fetches the keys with blocking calls without a timeout; ours are
    # awaited and bounded, so the server answers others meanwhile and this one soon.
    url, _ = authenticated
    connector.keys_delay = 60
    waiting = asyncio.create_task(_post(url, reaction(teams), {"Authorization": token(connector)}))
    await asyncio.sleep(0.3)
    async with aiohttp.ClientSession() as http, http.get(f"{url}/healthz") as response:
        assert response.status == 200
    assert not waiting.done(), "the health check was answered while the keys were awaited"
    # The keys would take 60 s: an answer at all shows the wait for them is bounded.
    status, _ = await waiting
    assert status == 503, "cannot judge the token now: Teams sends it again later"


async def test_tokens_that_all_need_the_keys_share_one_fetch(
    authenticated: tuple[str, Runtime], teams: Teams, connector: FakeConnector
) -> None:
    # Forged tokens, each with a key id of its own, while the key service hangs.
    url, _ = authenticated
    connector.keys_delay = 1.0
    forged = [token(connector, key=STRANGER, kid=f"forged-{n}") for n in range(21)]
    answers = await asyncio.gather(
        *(_post(url, reaction(teams), {"Authorization": header}) for header in forged)
    )
    assert [status for status, _ in answers] == [401] * 21
    assert connector.openid_requests == 2, "one fetch: the metadata and the keys, once"


# -- without an app id: this machine only ------------------------------------------------


async def test_without_an_app_id_requests_relayed_by_a_proxy_are_refused(
    teams: Teams, server_url: str
) -> None:
    for header in ({"X-Forwarded-For": "203.0.113.7"}, {"Forwarded": "for=203.0.113.7"}):
        status, _ = await _post(server_url, teams.channel_message(ANN, "help"), header)
        assert status == 401


async def test_without_an_app_id_no_token_is_fetched_or_sent(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    await delivered(teams, runtime, teams.channel_message(ANN, "help"))
    assert connector.requests, "the bot answered"
    assert all(r.authorization is None for r in connector.requests)


async def test_without_an_app_id_or_local_mode_teams_is_off(
    database_url: str, clock: ManualClock, teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    settings = teams_settings(database_url, DIALOOG_TEAMS_LOCAL=None)
    async with serving(settings, clock) as (url, _runtime):
        status, _ = await _post(url, teams.channel_message(ANN, "help"))
    assert status in (404, 405)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Teams:")]
    assert lines == [
        "Teams: off (MICROSOFT_APP_ID is not set; DIALOOG_TEAMS_LOCAL=on serves local tools "
        "without it)"
    ]


# -- malformed requests -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'{"text": "no type"}',
        b'{"type": "message"}',
        b'{"type": "message", "conversation": "oops", "serviceUrl": "http://x/"}',
        b'{"type": "message", "serviceUrl": "ftp://x/", "conversation": {"id": "19:c"}}',
    ],
    ids=["not json", "array", "no type", "no conversation", "conversation a string", "ftp"],
)
async def test_a_malformed_activity_gets_400_and_the_server_stays_up(
    teams: Teams, connector: FakeConnector, runtime: Runtime, server_url: str, body: bytes
) -> None:
    headers = {"Content-Type": "application/json"}
    status, _ = await _post(server_url, None, headers, data=body)
    assert status == 400
    async with aiohttp.ClientSession() as http, http.get(f"{server_url}/healthz") as response:
        assert response.status == 200
    assert (await teams.send(teams.channel_message(ANN, "help"))).status == 202
    await settled(runtime, connector)
    assert any("begeleidt" in " ".join(texts_of(p.activity)) for p in connector.posted)


async def test_a_body_that_is_not_json_content_gets_415(server_url: str) -> None:
    status, _ = await _post(server_url, None, {"Content-Type": "text/plain"}, data=b"help")
    assert status == 415


# -- invokes --------------------------------------------------------------------------------


async def test_an_action_execute_invoke_is_answered_with_its_body_not_a_500(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    # botbuilder 4.17.1's CloudAdapter.process() answers 500 to an invoke with a body.
    root = (await flows.started(teams, runtime)).root
    join = next(b for b in buttons_of(connector.current(root)) if b["title"] == "Meedoen")
    invoke = teams.click(BOB, join, on=root, conversation=f"{CHANNEL};messageid={root}")
    invoke.update(
        type="invoke",
        name="adaptiveCard/action",
        value={"action": {"type": "Action.Execute", "verb": "join", "data": join["data"]}},
    )
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{teams.server}/api/messages", json=invoke) as response,
    ):
        assert response.status == 200
        assert await response.json() == {
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": "Ontvangen.",
        }
    await settled(runtime, connector)
    assert "Bob Jansen" in " ".join(texts_of(connector.current(root))), "Bob joined"


async def test_an_invoke_the_bot_does_not_offer_gets_501_not_500(
    teams: Teams, connector: FakeConnector
) -> None:
    invoke = teams.channel_message(ANN, "")
    invoke.update(type="invoke", name="task/fetch", value={"data": {}})
    assert (await teams.send(invoke)).status == 501


# -- time and re-sends -------------------------------------------------------------------


async def test_the_answer_comes_at_once_even_when_teams_is_slow_to_take_replies(
    teams: Teams, connector: FakeConnector, runtime: Runtime
) -> None:
    connector.delay = 1.5
    assert (await teams.send(teams.channel_message(ANN, "help"))).status == 202
    assert not connector.posted, "Teams got its answer before the reply was taken"
    await connector.wait_for(lambda: connector.posted, timeout=10, what="the help")
    kinds = [r.kind for r in connector.requests]
    assert kinds[0] == "post" and connector.posted, "typing first, then the reply"


async def test_an_app_id_without_its_password_switches_teams_off_with_one_clear_line(
    database_url: str, clock: ManualClock, teams: Teams, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO")
    settings = teams_settings(
        database_url, MICROSOFT_APP_ID=APP_ID, MICROSOFT_APP_TYPE="SingleTenant"
    )
    async with serving(settings, clock) as (url, _runtime):
        status, _ = await _post(url, teams.channel_message(ANN, "help"))
    assert status in (404, 405), "the server runs, without Teams"
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Teams:")]
    assert lines[-1] == (
        "Teams: off: MICROSOFT_APP_ID is set, but not MICROSOFT_APP_PASSWORD, "
        "MICROSOFT_APP_TENANT_ID"
    )
