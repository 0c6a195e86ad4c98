"""Fixtures of the protocol tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No DIALOOG_* settings from the developer's shell or `.env`; set what a test needs."""
    for name in list(os.environ):
        if name.startswith("DIALOOG_"):
            monkeypatch.delenv(name)
    # Settings also reads `.env` in the working directory.
    monkeypatch.chdir(tmp_path)
    return monkeypatch
