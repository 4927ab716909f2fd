"""presslens: who claims what, about whom, with which numbers and which rhetoric."""

from __future__ import annotations

from typing import Any

from presslens.errors import (
    ConfigError,
    InputError,
    PresslensError,
    SpanError,
    StageError,
    StoreError,
)
from presslens.model import Article, Cluster, Span

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # ``presslens.analyze`` is imported lazily: it pulls in the readers and the pipeline.
    if name == "analyze":
        from presslens.api import analyze

        return analyze
    raise AttributeError(f"module 'presslens' has no attribute {name!r}")


__all__ = [
    "Article",
    "Cluster",
    "ConfigError",
    "InputError",
    "PresslensError",
    "Span",
    "SpanError",
    "StageError",
    "StoreError",
    "__version__",
    "analyze",
]
