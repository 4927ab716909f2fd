"""Shared fixtures. Tests that need ../shared skip with a reason when it is absent; the spaCy
model loads once per test session (it takes seconds)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from presslens.model import Article, Published
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
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


#: The publication date hand-written test articles are anchored on.
TEST_ANCHOR = date(2021, 3, 1)


@pytest.fixture(scope="session")
def analyse_on() -> Callable[..., Article]:
    """Analyse a hand-written text through the default pipeline (without genre), published on
    ``day`` (TEST_ANCHOR unless given) so relative dates resolve; every span is checked."""
    config = default_config()
    config["pipeline"]["stages"] = [n for n in config["pipeline"]["stages"] if n != "genre"]
    pipeline = Pipeline.from_config(config, Settings())

    def analyse(text: str, day: date = TEST_ANCHOR) -> Article:
        art = normalise(text_document(text, source="<test>", key="t", meta={}), Settings())
        art.published = Published(date=day, source="header")
        art = pipeline(art)
        art.check()
        return art

    return analyse


@pytest.fixture(scope="session")
def analyse_dated(analyse_on: Callable[..., Article]) -> Callable[[str], Article]:
    """``analyse_on`` at TEST_ANCHOR."""
    return analyse_on
