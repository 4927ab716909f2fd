"""An article parsed by spaCy with its entities, as the attribution stage sees it; imported
by the attribution tests of this folder (pytest puts the folder on sys.path)."""

from __future__ import annotations

from presslens.model import Article
from presslens.registry import StageFn
from presslens.settings import Settings
from presslens.stages.entities import make_entities_stage


def parsed(text: str, spacy_stage: StageFn) -> Article:
    art = Article(text=text, source="<test>")
    spacy_stage([art])
    make_entities_stage(Settings())([art])
    return art
