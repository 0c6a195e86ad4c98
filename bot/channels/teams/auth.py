"""Who may talk to /api/messages, and the credentials the bot answers with.

botbuilder does the real token check (signature, issuer, audience, service URL,
endorsements). Three things around it are ours:

* a check without any network first, so a request with a missing, malformed or
  foreign token gets its 401 at once instead of after a fetch of Microsoft's keys;
* the signing keys fetched with aiohttp and a timeout: botbuilder 4.17.1 fetches
  them with blocking `requests` calls, without a timeout, inside the event loop;
* credentials that are made once per app and warmed in a thread: botbuilder makes
  new ones (with an empty token cache) for every turn, and msal fetches tokens with
  blocking HTTP.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt
from botbuilder.integration.aiohttp import (
    ConfigurationBotFrameworkAuthentication,
    ConfigurationServiceClientCredentialFactory,
)
from botframework.connector.auth import (
    AuthenticationConstants,
    ChannelValidation,
    JwtTokenExtractor,
    ServiceClientCredentialsFactory,
)
from jwt.algorithms import RSAAlgorithm

from bot.channels.teams.settings import TeamsConfig
from bot.config import secret
from bot.errors import Retryable

# Tokens from Teams are issued by the Bot Framework for the bot's app id.
ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
MICROSOFT_METADATA_URL = AuthenticationConstants.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL
_ALGORITHMS = frozenset(AuthenticationConstants.ALLOWED_SIGNING_ALGORITHMS)
# botbuilder allows five minutes of clock skew; so do we.
_LEEWAY = 5 * 60
_KEYS_MAX_AGE = 24 * 3600.0
# A key id we do not know sends us to fetch the keys again, but not more often than this.
_UNKNOWN_KEY_REFETCH = 5 * 60.0


class KeysUnavailable(Retryable):
    """Microsoft's signing keys could not be fetched: the token cannot be judged now."""


def precheck(header: str, app_id: str, *, now: float | None = None) -> str | None:
    """Why a token cannot be valid for this bot, judged without the network.

    None means it may be valid, and botbuilder checks its signature. The reason is a
    short code for the log, never part of the token.
    """
    scheme, _, token = header.partition(" ")
    if scheme != "Bearer" or not token.strip():
        return "no_bearer_token"
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        head = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        return "not_a_jwt"
    if claims.get("iss") != ISSUER:
        return "wrong_issuer"
    if claims.get("aud") != app_id:
        return "wrong_audience"
    expires = claims.get("exp")
    moment = time.time() if now is None else now
    if not isinstance(expires, int | float) or expires + _LEEWAY < moment:
        return "expired"
    if head.get("alg") not in _ALGORITHMS:
        return "wrong_algorithm"
    if not head.get("kid"):
        return "no_key_id"
    return None


@dataclass(frozen=True)
class _SigningKey:
    # The two attributes botbuilder's token extractor reads.
    public_key: Any
    endorsements: list[str]


class SigningKeys:
    """The Bot Framework's token signing keys, in place of botbuilder's own fetcher.

    Same interface (`await get(key_id)`), but fetched with aiohttp and a timeout.
    """

    def __init__(self, metadata_url: str, *, timeout: float = 5.0) -> None:
        self.metadata_url = metadata_url
        self.timeout = timeout
        self._keys: list[dict[str, Any]] = []
        self._fetched_at: float | None = None
        # The fetch under way: every token that needs the keys meanwhile waits for this
        # one, instead of opening a connection of its own (21 forged tokens, 1 fetch).
        self._fetching: asyncio.Task[None] | None = None

    async def get(self, key_id: str) -> _SigningKey:
        now = time.monotonic()
        if self._fetched_at is None or now - self._fetched_at > _KEYS_MAX_AGE:
            await self.refresh()
        key = self._find(key_id)
        stale = self._fetched_at is not None and now - self._fetched_at > _UNKNOWN_KEY_REFETCH
        if key is None and stale:
            await self.refresh()
            key = self._find(key_id)
        if key is None:
            raise PermissionError("token signed with an unknown key")
        return key

    async def refresh(self) -> None:
        if self._fetching is None or self._fetching.done():
            self._fetching = asyncio.create_task(self._fetch(), name="teams:signing-keys")
        # Shielded: one caller that gives up (its own timeout) does not end it for all.
        await asyncio.shield(self._fetching)

    async def _fetch(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self.timeout)
        try:
            async with aiohttp.ClientSession(timeout=timeout) as http:
                async with http.get(self.metadata_url) as response:
                    response.raise_for_status()
                    metadata = await response.json(content_type=None)
                async with http.get(metadata["jwks_uri"]) as response:
                    response.raise_for_status()
                    keys = (await response.json(content_type=None))["keys"]
        except (aiohttp.ClientError, TimeoutError, KeyError, TypeError, ValueError) as error:
            raise KeysUnavailable(type(error).__name__) from error
        if not isinstance(keys, list):
            raise KeysUnavailable("keys is not a list")
        self._keys = [k for k in keys if isinstance(k, dict)]
        self._fetched_at = time.monotonic()

    def _find(self, key_id: str) -> _SigningKey | None:
        for key in self._keys:
            if key.get("kid") == key_id:
                endorsements = key.get("endorsements") or []
                return _SigningKey(RSAAlgorithm.from_jwk(json.dumps(key)), list(endorsements))
        return None


def install_signing_keys(keys: SigningKeys) -> None:
    """Let botbuilder's channel token check use `keys`.

    botbuilder looks its key fetcher up in a class-level cache by metadata URL; the
    entry for the URL its channel check uses is replaced by ours.
    """
    url = ChannelValidation.open_id_metadata_endpoint or MICROSOFT_METADATA_URL
    JwtTokenExtractor.metadataCache[url] = keys


class _CachedCredentials(ServiceClientCredentialsFactory):  # type: ignore[misc]
    def __init__(self, inner: ServiceClientCredentialsFactory) -> None:
        self._inner = inner
        self._made: dict[tuple[object, ...], Any] = {}

    async def is_valid_app_id(self, app_id: str) -> bool:
        valid: bool = await self._inner.is_valid_app_id(app_id)
        return valid

    async def is_authentication_disabled(self) -> bool:
        disabled: bool = await self._inner.is_authentication_disabled()
        return disabled

    async def create_credentials(
        self, app_id: str, oauth_scope: str, login_endpoint: str, validate_authority: bool
    ) -> Any:
        key = (app_id, oauth_scope, login_endpoint, validate_authority)
        credentials = self._made.get(key)
        if credentials is None:
            credentials = await self._inner.create_credentials(
                app_id, oauth_scope, login_endpoint, validate_authority
            )
            self._made[key] = credentials
        if getattr(credentials, "microsoft_app_id", None):
            # The request pipeline asks for the token synchronously, inside the event
            # loop; fetched here in a thread, it is then in msal's cache.
            await asyncio.to_thread(credentials.get_access_token)
        return credentials


class _Configuration:
    """The attribute-style configuration botbuilder reads (only the names that are set)."""

    def __init__(self, config: TeamsConfig) -> None:
        values = {
            "APP_ID": config.app_id,
            "APP_PASSWORD": secret(config.app_password),
            "APP_TYPE": config.app_type,
            "APP_TENANTID": config.app_tenant_id,
        }
        for name, value in values.items():
            if value:
                setattr(self, name, value)


def authentication(config: TeamsConfig) -> ConfigurationBotFrameworkAuthentication:
    configuration = _Configuration(config)
    factory = _CachedCredentials(ConfigurationServiceClientCredentialFactory(configuration))
    return ConfigurationBotFrameworkAuthentication(configuration, credentials_factory=factory)
