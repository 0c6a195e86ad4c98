"""The benchmarks are not run by the tests, but they must keep working with the code."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


@pytest.mark.parametrize("script", sorted(p.stem for p in BENCH.glob("*.py")))
def test_every_benchmark_script_imports_with_the_current_code(script: str) -> None:
    importlib.import_module(f"bench.{script}")
