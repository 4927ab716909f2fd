"""Readers: files, folders and globs in; normalised :class:`~presslens.model.Article` out.

Reading and normalising are separate steps so that lines an outlet repeats in many articles
(menus, taglines) can be found across the whole input before any article is normalised.
Error codes are listed in :mod:`presslens.readers.codes`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence

from presslens.errors import InputError
from presslens.model import Article
from presslens.readers.boilerplate import infer_outlets, repeated_lines
from presslens.readers.document import RawDocument
from presslens.readers.normalise import normalise
from presslens.readers.sources import EXTENSIONS, read_sources
from presslens.readers.text import text_document
from presslens.settings import Settings

__all__ = [
    "EXTENSIONS",
    "RawDocument",
    "infer_outlets",
    "normalise",
    "read_articles",
    "read_sources",
    "repeated_lines",
    "text_document",
]


def read_articles(
    paths: Sequence[str], settings: Settings, *, skip: Collection[str] = ()
) -> Iterator[Article | InputError]:
    """Read everything, find repeated lines per outlet, then normalise each document.

    All raw documents are held in memory until the repeated lines are known; errors are
    yielded first (in reading order), then articles. Nothing is raised for bad input.
    ``skip``: real paths a folder walk or glob passes over (see ``read_sources``).
    """
    docs: list[RawDocument] = []
    for item in read_sources(paths, settings, skip=skip):
        if isinstance(item, InputError):
            yield item
        else:
            docs.append(item)
    infer_outlets(docs, settings)
    repeated = repeated_lines(docs, settings)
    for doc in docs:
        try:
            yield normalise(doc, settings, repeated=repeated.get(doc.outlet, frozenset()))
        except InputError as exc:
            yield exc
