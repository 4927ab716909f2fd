"""An article parsed by spaCy with its entities, as the attribution stage sees it, and the
stage's output read back; imported by the attribution tests of this folder (pytest puts the
folder on sys.path)."""

from __future__ import annotations

from typing import Any

from presslens.model import Article, Span
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.attributions import make_attributions_stage
from presslens.stages.entities import make_entities_stage


def parsed(text: str, spacy_stage: StageFn) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    return art


def analysed(text: str, spacy_stage: StageFn, **options: Any) -> Article:
    """Run the real spaCy stage, the entities stage and the attribution stage."""
    art = parsed(text, spacy_stage)
    make_attributions_stage(Settings(), **options)([art])
    art.check()
    return art


def statement(art: Article, inside: str) -> Span:
    """The one attribution whose content contains ``inside``."""
    found = [s for s in art.layer("attributions") if inside in s.text]
    assert len(found) == 1, [s.text for s in art.layer("attributions")]
    return found[0]


def speaker_name(art: Article, span: Span) -> str | None:
    names = {c.id: c.name for c in art.clusters}
    return names.get(span.attrs["speaker"]) if span.attrs["speaker"] else None
