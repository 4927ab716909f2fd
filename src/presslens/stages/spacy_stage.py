"""Run the spaCy pipeline in batches: tokens, parse, sentences and raw NER for later stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from presslens.errors import StageError
from presslens.model import Article
from presslens.nlp import load_nlp
from presslens.registry import StageFn, stage
from presslens.settings import Settings


@dataclass(frozen=True)
class SpacyOptions:
    """Options of the spaCy stage (same names as its config options); ``model`` overrides
    the ``spacy_model`` setting for this stage."""

    model: str | None = None


@stage("presslens.spacy.v1", requires=("text",), assigns=("doc", "sentences"))
def make_spacy_stage(settings: Settings, **options: Any) -> StageFn:
    """spaCy tagger, parser and NER over each article's normalised text, batched."""
    name = SpacyOptions(**options).model or settings.spacy_model
    batch_size = settings.batch_size

    def run(articles: list[Article]) -> list[Article]:
        nlp: Any = load_nlp(name)
        for art in articles:
            if len(art.text) > nlp.max_length:
                raise StageError(
                    f"text is {len(art.text):,} characters, over the parser's limit of "
                    f"{nlp.max_length:,}",
                    where=f"{art.source} (article {art.id})",
                    hint="Split the input into articles, or lower --set max_article_bytes to "
                    "skip such files when reading.",
                )
        docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
        for art, doc in zip(articles, docs, strict=True):
            art._doc = doc
            art.layers["sentences"] = [
                art.span(s.start_char, s.end_char, "sentence") for s in _trimmed_sents(doc)
            ]
        return articles

    return run


def _trimmed_sents(doc: Any) -> list[Any]:
    """Sentences without leading/trailing whitespace tokens (spaCy keeps newlines as tokens)."""
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if toks:
            out.append(doc[toks[0].i : toks[-1].i + 1])
    return out
