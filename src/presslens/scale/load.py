"""``presslens load``: fill a SQLite or PostgreSQL store from a run's Parquet output.

Articles are rebuilt (every span checked) and upserted in batches through the store
interface, so loading twice changes nothing and an article the store already holds from the
same pipeline stays as it is. The pipeline fingerprint comes along in ``meta.pipeline``, so a
later ``presslens analyze`` of the same files does not analyse them again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presslens.errors import StoreError
from presslens.model import Article
from presslens.scale.query import iter_articles
from presslens.store import Store

#: Articles per store transaction.
LOAD_BATCH = 200


@dataclass
class LoadResult:
    counts: Counter[str] = field(default_factory=Counter)  # inserted / updated / unchanged
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def loaded(self) -> int:
        return sum(self.counts.values())


def load_parquet(
    out_dir: str | Path, store: Store, *, on_progress: Callable[[int], None] | None = None
) -> LoadResult:
    """Upsert every committed article of ``out_dir`` into ``store``."""
    result = LoadResult()
    batch: list[Article] = []

    def flush() -> None:
        for art, status in zip(batch, store.upsert_many(batch), strict=True):
            if isinstance(status, StoreError):
                record = status.to_dict()
                record.update(stage="load", article=art.id, source=art.source)
                result.errors.append(record)
            else:
                result.counts[status] += 1
        batch.clear()
        if on_progress:
            on_progress(result.loaded + len(result.errors))

    for art in iter_articles(out_dir, errors=result.errors):
        batch.append(art)
        if len(batch) >= LOAD_BATCH:
            flush()
    if batch:
        flush()
    return result
