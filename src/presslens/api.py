"""The Python entry points: ``presslens.analyze`` for one text or file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from presslens.errors import InputError
from presslens.model import Article
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, read_sources, text_document
from presslens.settings import Settings, load_settings


def analyze(
    text_or_path: str | Path,
    *,
    settings: Settings | None = None,
    config: dict[str, Any] | None = None,
    outlet: str | None = None,
    title: str | None = None,
) -> Article:
    """Analyse one article given as text or as a path to a file; raise on bad input."""
    settings = settings or load_settings()
    is_path = isinstance(text_or_path, Path) or (
        "\n" not in text_or_path and len(text_or_path) < 4096 and _names_a_file(text_or_path)
    )
    if is_path:
        items = list(read_sources([str(text_or_path)], settings))
        if not items:
            raise InputError("no article found", where=str(text_or_path))
        first = items[0]
        if isinstance(first, InputError):
            raise first
        doc = first
    else:
        doc = text_document(str(text_or_path), source="<string>", key="<string>", meta={})
    if outlet is not None:
        doc.outlet = outlet
    if title is not None:
        doc.title = title
    article = normalise(doc, settings)
    pipeline = Pipeline.from_config(config if config is not None else default_config(), settings)
    return pipeline(article)


def _names_a_file(text: str) -> bool:
    """Whether a one-line string is the path of an existing file. A sentence longer than the
    system's file-name limit, or holding a NUL, makes ``is_file`` raise instead of answering
    no: such a string is text."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False
