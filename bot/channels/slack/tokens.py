"""Encryption of the Slack tokens we store, with keys that can be rotated.

DIALOOG_SECRET_KEY holds one or more secrets, separated by commas: the first
encrypts, every one decrypts. To rotate, put a new secret first and keep the
old one behind it; at start-up every stored token is re-encrypted with the new
one, after which the old one may go. Each secret is any string of at least 32
characters (`openssl rand -base64 32` makes one); a Fernet key is derived from
it (storage.crypto.KeyRing, apart from the content key), so the secret itself
never touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence

from cryptography.fernet import InvalidToken

from bot.config import ConfigError
from storage.crypto import MIN_SECRET, KeyRing, WeakSecret, split_secrets

__all__ = ["MIN_SECRET", "SecretKeyError", "TokenCipher"]

_INFO = b"dialoog: slack tokens at rest, v1"


class SecretKeyError(ConfigError, ValueError):
    """DIALOOG_SECRET_KEY is missing, too short, or none of its keys fits."""


class TokenCipher:
    def __init__(self, secrets: Sequence[str]) -> None:
        try:
            self._ring = KeyRing(secrets, info=_INFO, source="DIALOOG_SECRET_KEY")
        except WeakSecret as error:
            raise SecretKeyError(str(error)) from None

    @classmethod
    def from_setting(cls, value: str | None) -> TokenCipher | None:
        """The cipher of a DIALOOG_SECRET_KEY value; None when it is unset or empty."""
        secrets = split_secrets(value)
        return cls(secrets) if secrets else None

    def encrypt(self, token: str) -> str:
        return self._ring.encrypt(token)

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._ring.decrypt(ciphertext)
        except InvalidToken:
            raise SecretKeyError(
                "a stored Slack token cannot be decrypted with any key in DIALOOG_SECRET_KEY; "
                "was a key removed before the tokens were re-encrypted?"
            ) from None

    def is_current(self, ciphertext: str) -> bool:
        """Whether the first (current) key encrypted this."""
        return self._ring.is_current(ciphertext)

    def rotate(self, ciphertext: str) -> str:
        """The same token, encrypted with the current key."""
        try:
            return self._ring.rotate(ciphertext)
        except InvalidToken:
            raise SecretKeyError(
                "a stored Slack token cannot be decrypted with any key in DIALOOG_SECRET_KEY"
            ) from None
