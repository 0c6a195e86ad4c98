"""How content is sealed at rest: AES-GCM now, Fernet from before still readable."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from storage.crypto import _CONTENT_INFO, ContentCipher, ContentUnreadable, _derive

KEY = "a-secret-of-at-least-thirty-two-characters-1"
NEW_KEY = "another-secret-of-at-least-thirty-two-chars-2"


def test_content_is_sealed_so_that_only_the_keys_open_it() -> None:
    cipher = ContentCipher([KEY])
    sealed = cipher.seal("Casus: Sanne uit 2B")
    assert "Sanne" not in sealed and sealed.startswith("2.")
    assert cipher.seal("Casus: Sanne uit 2B") != sealed, "a fresh nonce every time"
    assert cipher.open(sealed) == "Casus: Sanne uit 2B"
    with pytest.raises(ContentUnreadable):
        ContentCipher([NEW_KEY]).open(sealed)
    with pytest.raises(ContentUnreadable):
        cipher.open(sealed[:-4] + "AAAA")


def test_content_sealed_with_fernet_before_stays_readable_and_is_sealed_anew_on_rekey() -> None:
    old = Fernet(_derive(KEY, _CONTENT_INFO)).encrypt(b"Eerder geschreven").decode("ascii")
    cipher = ContentCipher([NEW_KEY, KEY])
    assert cipher.open(old) == "Eerder geschreven"
    assert not cipher.is_current(old)
    resealed = cipher.reseal(old)
    assert cipher.is_current(resealed) and cipher.open(resealed) == "Eerder geschreven"
    assert ContentCipher([NEW_KEY]).open(resealed) == "Eerder geschreven"
    assert not cipher.is_current(ContentCipher([KEY]).seal("met de oude sleutel"))
