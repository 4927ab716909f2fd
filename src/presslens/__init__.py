"""presslens: who claims what, about whom, with which numbers and which rhetoric."""

from __future__ import annotations

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
]
