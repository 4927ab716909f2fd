"""``POST /api/articles``: a request body (text, HTML or a JSON record) in, an analysed and
stored article out. The pipeline is built once per server and runs one article at a time."""

from __future__ import annotations

import json
import threading
from typing import Any

from presslens.errors import InputError, PresslensError, StoreError
from presslens.model import Article, Published
from presslens.pipeline import Pipeline, default_config
from presslens.readers import normalise, text_document
from presslens.readers.dates import iso_day
from presslens.readers.html import html_document
from presslens.readers.records import record_document
from presslens.settings import Settings, load_settings
from presslens.store import Store
from presslens.web.errors import (
    ANALYSIS_FAILED,
    BAD_BODY,
    STORE_FAILED,
    UNSUPPORTED_TYPE,
    WebError,
)

#: Content types accepted by ``POST /api/articles`` (parameters such as charset ignored).
CONTENT_TYPES = ("text/plain", "text/html", "application/json")
API_SOURCE = "<api>"


class Ingester:
    """Reads, normalises, analyses and stores posted articles; the pipeline loads lazily."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()
        self._pipeline: Pipeline | None = None
        self._fingerprint = ""
        self._lock = threading.Lock()

    def _ready(self) -> Pipeline:
        if self._pipeline is None:
            from presslens.run import pipeline_fingerprint

            config = default_config()
            self._pipeline = Pipeline.from_config(config, self.settings)
            self._fingerprint = pipeline_fingerprint(config, self.settings)
        return self._pipeline

    def ingest(
        self,
        store: Store,
        body: bytes,
        content_type: str,
        *,
        fields: dict[str, str | None],
    ) -> tuple[Article, str]:
        """The analysed article and its store status (inserted, updated, unchanged)."""
        article = self.read(body, content_type, fields=fields)
        with self._lock:  # spaCy and the stages are not shared between threads
            pipeline = self._ready()
            try:
                article = pipeline(article)
            except PresslensError as exc:
                raise WebError(
                    ANALYSIS_FAILED,
                    f"the article could not be analysed: {exc}",
                    where=API_SOURCE,
                    hint="Check the text is a news article; the error names the stage.",
                ) from exc
            article.meta["pipeline"] = self._fingerprint
        try:
            status = store.upsert(article)
        except StoreError as exc:
            raise WebError(STORE_FAILED, str(exc), hint=exc.hint) from exc
        if status != "unchanged":
            _update_corpus(store, article)
        return article, status

    def read(self, body: bytes, content_type: str, *, fields: dict[str, str | None]) -> Article:
        """The normalised article of a request body (before analysis)."""
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind not in CONTENT_TYPES:
            raise WebError(
                UNSUPPORTED_TYPE,
                f"cannot ingest content type {kind or '(none)'!r}",
                hint="Send text/plain, text/html or application/json "
                '({"text": "…", "title": …, "outlet": …, "url": …, "date": …}).',
            )
        try:
            raw = body.decode("utf-8-sig")  # a byte-order mark is no part of the article
        except UnicodeDecodeError as exc:
            raise WebError(
                BAD_BODY,
                f"the body is not UTF-8 (invalid byte at offset {exc.start})",
                where=API_SOURCE,
                hint="Encode the article as UTF-8.",
            ) from exc
        if not raw.strip():
            raise WebError(BAD_BODY, "the body is empty", hint="Send the article text.")
        key = fields.get("url") or f"api:{raw[:64]}"
        doc: Any
        if kind == "application/json":
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise WebError(
                    BAD_BODY,
                    f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column "
                    f"{exc.colno})",
                    where=API_SOURCE,
                    hint='Send one JSON object such as {"text": "…"}.',
                ) from exc
            except ValueError as exc:  # the only other: a number past int()'s digit limit
                raise WebError(
                    BAD_BODY,
                    "the body holds a JSON number of more than 4,300 digits, which the "
                    "server does not read",
                    where=API_SOURCE,
                    hint="Send numbers of fewer than 4,300 digits, or as strings.",
                ) from exc
            except RecursionError as exc:  # json raises this past its nesting depth
                raise WebError(
                    BAD_BODY,
                    "the body nests JSON arrays or objects deeper than the server follows",
                    where=API_SOURCE,
                    hint='Send one flat JSON object such as {"text": "…"}.',
                ) from exc
            doc = record_document(
                record, source=API_SOURCE, base="api", line=1, fmt="json", settings=self.settings
            )
        elif kind == "text/html":
            doc = html_document(raw, source=API_SOURCE, key=key, meta={})
        else:
            doc = text_document(raw, source=API_SOURCE, key=key, meta={})
        if isinstance(doc, InputError):
            raise WebError(BAD_BODY, doc.message, where=API_SOURCE, hint=doc.hint) from doc
        for name in ("title", "outlet", "url"):
            if fields.get(name):
                setattr(doc, name, fields[name])
        when = fields.get("date")
        if when:
            day = iso_day(when)
            if day is None:
                raise WebError(
                    BAD_BODY, f"date {when[:40]!r} is not YYYY-MM-DD", hint="Pass date=2021-03-01."
                )
            doc.published = Published(date=day, source="api", raw=when)
        if fields.get("url"):
            doc.key = fields["url"]
        try:
            return normalise(doc, self.settings)
        except InputError as exc:
            raise WebError(BAD_BODY, exc.message, where=API_SOURCE, hint=exc.hint) from exc


def _update_corpus(store: Store, article: Article) -> None:
    """Add the article to the corpus results (entities, stories) when they were built; a
    store without them keeps using the web app's built-in index."""
    from presslens.web.corpus_data import built_result, corpus_module

    corpus = corpus_module()
    if corpus is not None and built_result(store, "load_stories") is not None:
        corpus.update_corpus(store, [article])
