"""Content encrypted at rest: what people wrote never sits in the database in the clear.

The columns that hold what teachers wrote (event payloads, outbox payloads, the web
chat's timeline, stored outcomes, action points) are `SealedJSON` / `SealedText`:
AES-256-GCM ciphertext (`2.` and base64url of nonce and sealed text), so a copied
database file or a dump shows no case text. Content sealed before that is Fernet
(AES-128-CBC with HMAC-SHA256) and stays readable; `dialoog privacy rekey` seals it
anew. GCM, because a click seals three values: Fernet's Python layers cost ~60 us
each, GCM's one call ~2 us, for an authenticated cipher all the same.

The keys are the secrets of DIALOOG_SECRET_KEY (comma-separated: the first
encrypts, every one decrypts, so a key can be rotated), or, when that is unset
and the database is a SQLite file, a key file next to it that is made on first
use. Each engine gets its cipher from `make_engine` (see `cipher_for_url`); a
sealed column used on an engine without one raises ContentKeyMissing instead of
ever writing clear text.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Dialect, Engine, Text, TypeDecorator
from sqlalchemy.engine import URL

from storage.errors import StorageError

__all__ = [
    "MIN_SECRET",
    "ContentCipher",
    "ContentKeyMissing",
    "ContentUnreadable",
    "KeyRing",
    "SealedJSON",
    "SealedText",
    "WeakSecret",
    "bind_cipher",
    "cipher_for_url",
    "cipher_of",
    "has_cipher",
    "key_file_for",
    "split_secrets",
]

log = logging.getLogger(__name__)

MIN_SECRET = 32
# Fernet keys: what content was sealed with before version 2 (read only).
_CONTENT_INFO = b"dialoog: content at rest, v1"
_CONTENT_INFO_V2 = b"dialoog: content at rest, v2 (AES-256-GCM)"
# Fernet tokens are base64url (no "."), so the prefix tells the two apart.
_V2 = "2."
_NONCE = 12


class WeakSecret(StorageError, ValueError):
    """A secret of DIALOOG_SECRET_KEY (or the key file) is too short, or none is given."""


class ContentKeyMissing(StorageError):
    """Content was to be read or written on an engine that has no key."""


class ContentUnreadable(StorageError):
    """Stored content fits none of the keys (a key was removed, or the wrong key file)."""


def split_secrets(value: str | None) -> list[str]:
    """The secrets of a DIALOOG_SECRET_KEY value (or a key file): comma- or line-separated."""
    return [part.strip() for part in (value or "").replace("\n", ",").split(",") if part.strip()]


class KeyRing:
    """Fernet keys derived (HKDF-SHA256) from secrets, the first one current.

    `info` keeps the keys of different uses apart: the same DIALOOG_SECRET_KEY
    gives one key for Slack tokens and another for content.
    """

    def __init__(self, secrets_: Sequence[str], *, info: bytes, source: str) -> None:
        if not secrets_:
            raise WeakSecret(f"{source} holds no key")
        for n, secret in enumerate(secrets_, start=1):
            if len(secret) < MIN_SECRET:
                raise WeakSecret(
                    f"key {n} of {source} is shorter than {MIN_SECRET} characters; "
                    "make one with `openssl rand -base64 32`"
                )
        self.size = len(secrets_)
        self._fernets = [Fernet(_derive(secret, info)) for secret in secrets_]
        self._all = MultiFernet(self._fernets)

    def encrypt(self, plain: str) -> str:
        return self._all.encrypt(plain.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Raises InvalidToken when no key fits."""
        try:
            return self._all.decrypt(token.encode("ascii")).decode()
        except (ValueError, UnicodeError):
            raise InvalidToken from None

    def is_current(self, token: str) -> bool:
        """Whether the first (current) key encrypted this."""
        try:
            self._fernets[0].decrypt(token.encode("ascii"))
        except (InvalidToken, ValueError, UnicodeError):
            return False
        return True

    def rotate(self, token: str) -> str:
        """The same plain text, encrypted with the current key. Raises InvalidToken."""
        try:
            return self._all.rotate(token.encode("ascii")).decode("ascii")
        except (ValueError, UnicodeError):
            raise InvalidToken from None


class ContentCipher:
    """Seals and opens stored content with the content keys: AES-256-GCM with a
    random nonce (one key derived per secret, the first seals); Fernet tokens
    sealed before are opened with the keys of version 1."""

    def __init__(self, secrets_: Sequence[str], *, source: str = "DIALOOG_SECRET_KEY") -> None:
        self._ring = KeyRing(secrets_, info=_CONTENT_INFO, source=source)
        self._keys = [AESGCM(_derive_raw(secret, _CONTENT_INFO_V2)) for secret in secrets_]

    @property
    def key_count(self) -> int:
        return self._ring.size

    def seal(self, plain: str) -> str:
        nonce = os.urandom(_NONCE)
        sealed = self._keys[0].encrypt(nonce, plain.encode(), None)
        return _V2 + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str) -> str:
        try:
            if sealed.startswith(_V2):
                return self._open_v2(sealed, self._keys)
            return self._ring.decrypt(sealed)
        except InvalidToken:
            # Never the ciphertext or any part of it in the message.
            raise ContentUnreadable(
                "stored content cannot be decrypted with any key in DIALOOG_SECRET_KEY "
                "(or the key file); was a key removed before everything was re-encrypted?"
            ) from None

    def is_current(self, sealed: str) -> bool:
        """Whether the current key sealed this, the current way."""
        if not sealed.startswith(_V2):
            return False
        try:
            self._open_v2(sealed, self._keys[:1])
        except InvalidToken:
            return False
        return True

    def reseal(self, sealed: str) -> str:
        """The same content, sealed with the current key."""
        return self.seal(self.open(sealed))

    @staticmethod
    def _open_v2(sealed: str, keys: Sequence[AESGCM]) -> str:
        try:
            data = base64.urlsafe_b64decode(sealed[len(_V2) :])
        except ValueError:
            raise InvalidToken from None
        nonce, body = data[:_NONCE], data[_NONCE:]
        for key in keys:
            try:
                return key.decrypt(nonce, body, None).decode()
            except (InvalidTag, ValueError, UnicodeError):
                continue
        raise InvalidToken


# The cipher of each engine, found by its dialect: a column type only ever sees
# the dialect, and each engine has a dialect object of its own.
_CIPHERS: WeakKeyDictionary[Dialect, ContentCipher] = WeakKeyDictionary()


def bind_cipher(engine: Engine, cipher: ContentCipher | None) -> None:
    if cipher is None:
        _CIPHERS.pop(engine.dialect, None)
    else:
        _CIPHERS[engine.dialect] = cipher


def cipher_of(dialect: Dialect) -> ContentCipher:
    cipher = _CIPHERS.get(dialect)
    if cipher is None:
        raise ContentKeyMissing(
            "stored content is encrypted and this database connection has no key: "
            "set DIALOOG_SECRET_KEY (a random secret of at least 32 characters, e.g. "
            "the output of `openssl rand -base64 32`); PostgreSQL needs it always"
        )
    return cipher


def has_cipher(engine: Engine) -> bool:
    return engine.dialect in _CIPHERS


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class SealedText(TypeDecorator[str]):
    """A text column stored encrypted."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher_of(dialect).seal(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else cipher_of(dialect).open(value)


class SealedJSON(TypeDecorator[Any]):
    """A JSON document stored encrypted (as text: nothing in it can be queried)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else cipher_of(dialect).seal(_dumps(value))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(cipher_of(dialect).open(value))


# -- where an engine's keys come from -------------------------------------------------


def key_file_for(url: URL) -> Path | None:
    """The key file of a SQLite database file (`dialoog.db` -> `dialoog.db.key`);
    None for PostgreSQL and in-memory SQLite."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.key")


def cipher_for_url(
    url: URL, *, secret_key: str | None, key_file: str | Path | None = None
) -> ContentCipher | None:
    """The content cipher for a database.

    DIALOOG_SECRET_KEY's secrets come first; a key file (given, or the one next to a
    SQLite file) adds its secrets after them, so content sealed before the key was
    set stays readable. Without DIALOOG_SECRET_KEY a SQLite file gets a key file
    made on first use (the embedded default needs no setup), in-memory SQLite a
    throw-away key, and PostgreSQL none (every use of content then says what to set).
    """
    given = split_secrets(secret_key)
    path = Path(key_file) if key_file is not None else key_file_for(url)
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return ContentCipher(given or [secrets.token_urlsafe(32)])
    from_file: list[str] = []
    if path is not None:
        if path.exists():
            from_file = split_secrets(path.read_text(encoding="utf-8"))
            if not from_file:
                raise WeakSecret(f"the key file {path} is empty")
        elif not given:
            from_file = [_create_key_file(path)]
    every = given + [secret for secret in from_file if secret not in given]
    if not every:
        return None
    source = "DIALOOG_SECRET_KEY" if given else f"the key file {path}"
    return ContentCipher(every, source=source)


def _create_key_file(path: Path) -> str:
    secret = secrets.token_urlsafe(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once must not each write a different key.
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return split_secrets(path.read_text(encoding="utf-8"))[0]
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    log.warning(
        "DIALOOG_SECRET_KEY is not set: what people write is encrypted with a new key in %s; "
        "keep that file (back it up apart from the database), or set DIALOOG_SECRET_KEY",
        path,
    )
    return secret


def _derive(secret: str, info: bytes) -> bytes:
    return base64.urlsafe_b64encode(_derive_raw(secret, info))


def _derive_raw(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret.encode())
