"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent; the spaCy
model loads once per test session (it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.spacy_stage import make_spacy_stage

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


@pytest.fixture(scope="session")
def spacy_stage() -> StageFn:
    """The spaCy stage with the default model, loaded once and shared by all tests."""
    run = make_spacy_stage(Settings())
    run([])  # an empty batch still loads the model, so the first test is not the slow one
    return run
