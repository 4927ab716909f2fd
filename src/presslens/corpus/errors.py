"""Errors of the corpus stages (codes P800–P819)."""

from __future__ import annotations

from presslens.errors import PresslensError

__all__ = ["CorpusError"]


class CorpusError(PresslensError):
    """A corpus-level result is missing, unknown or unreadable.

    Codes: ``P800`` the corpus has not been built; ``P801`` no story with that id;
    ``P802`` no entity with that id or name; ``P803`` a stored corpus result is unreadable;
    ``P804`` an article of the corpus failed to load or digest (reported, others go on).
    """

    code = "P800"
