"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = SHARED / "examples"
DEMO = ROOT / "demo" / "corpus"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip(f"real example articles not found at {EXAMPLES} (../shared is absent)")
    return EXAMPLES


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO
