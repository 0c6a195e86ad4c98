"""Encryption of the Slack tokens we store, with keys that can be rotated.

DIALOOG_SECRET_KEY holds one or more secrets, separated by commas: the first
encrypts, every one decrypts. To rotate, put a new secret first and keep the
old one behind it; at start-up every stored token is re-encrypted with the new
one, after which the old one may go. Each secret is any string of at least 32
characters (`openssl rand -base64 32` makes one); a Fernet key is derived from
it, so the secret itself never touches the database.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MIN_SECRET = 32
_INFO = b"dialoog: slack tokens at rest, v1"


class SecretKeyError(ValueError):
    """DIALOOG_SECRET_KEY is missing, too short, or none of its keys fits."""


class TokenCipher:
    def __init__(self, secrets: Sequence[str]) -> None:
        if not secrets:
            raise SecretKeyError("DIALOOG_SECRET_KEY holds no key")
        for n, secret in enumerate(secrets, start=1):
            if len(secret) < MIN_SECRET:
                raise SecretKeyError(
                    f"key {n} of DIALOOG_SECRET_KEY is shorter than {MIN_SECRET} characters; "
                    "make one with `openssl rand -base64 32`"
                )
        self._fernets = [Fernet(_derive(s)) for s in secrets]
        self._all = MultiFernet(self._fernets)

    @classmethod
    def from_setting(cls, value: str | None) -> TokenCipher | None:
        """The cipher of a DIALOOG_SECRET_KEY value; None when it is unset or empty."""
        secrets = [part.strip() for part in (value or "").split(",") if part.strip()]
        return cls(secrets) if secrets else None

    def encrypt(self, token: str) -> str:
        return self._all.encrypt(token.encode()).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        try:
            return self._all.decrypt(ciphertext.encode("ascii")).decode()
        except (InvalidToken, ValueError):
            raise SecretKeyError(
                "a stored Slack token cannot be decrypted with any key in DIALOOG_SECRET_KEY; "
                "was a key removed before the tokens were re-encrypted?"
            ) from None

    def is_current(self, ciphertext: str) -> bool:
        """Whether the first (current) key encrypted this."""
        try:
            self._fernets[0].decrypt(ciphertext.encode("ascii"))
        except (InvalidToken, ValueError):
            return False
        return True

    def rotate(self, ciphertext: str) -> str:
        """The same token, encrypted with the current key."""
        try:
            return self._all.rotate(ciphertext.encode("ascii")).decode("ascii")
        except (InvalidToken, ValueError):
            raise SecretKeyError(
                "a stored Slack token cannot be decrypted with any key in DIALOOG_SECRET_KEY"
            ) from None


def _derive(secret: str) -> bytes:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    return base64.urlsafe_b64encode(key)
