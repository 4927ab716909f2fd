"""Persistence behind one small interface; SQLite is the zero-setup default."""

from __future__ import annotations

from presslens.store.base import Store, UpsertResult, open_store

__all__ = ["Store", "UpsertResult", "open_store"]
