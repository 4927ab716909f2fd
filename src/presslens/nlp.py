"""Load spaCy pipelines once per process, lazily, from installed packages only."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from presslens.errors import ConfigError
from presslens.nlp_ruler import use_compiled_ruler


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Any:
    """The installed spaCy pipeline ``name``; never downloads (these machines are offline).

    Its attribute ruler is swapped for the compiled one of :mod:`presslens.nlp_ruler` (same
    output, a fraction of the time) whenever the model's patterns allow it."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        raise ConfigError(
            f"spaCy model package {name!r} is not installed",
            hint="Run `make install` (it installs the hash-pinned model wheel); "
            "presslens never downloads models at run time.",
        ) from None
    nlp = module.load()
    use_compiled_ruler(nlp)
    return nlp
