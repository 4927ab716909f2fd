"""One exception tree. Every message says what, where and what to do.

Codes (``[P1xx]`` input, ``[P2xx]`` stage, ``[P3xx]`` store, ``[P4xx]`` config) are stable so
users can search for them and scripts can match on them.
"""

from __future__ import annotations

from typing import Any


class PresslensError(Exception):
    """Base of every error presslens raises on purpose."""

    code = "P000"

    def __init__(
        self,
        message: str,
        *,
        where: str | None = None,
        hint: str | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message
        self.where = where
        self.hint = hint
        if code:
            self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.where}: " if self.where else ""
        hint = f" {self.hint}" if self.hint else ""
        return f"[{self.code}] {where}{self.message}.{hint}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep where/hint/code when errors cross process boundaries (worker pools).
        return (_rebuild, (type(self), self.message, self.where, self.hint, self.code))

    def to_dict(self) -> dict[str, Any]:
        """The JSON form written to errors.jsonl and returned by ``--json``."""
        return {
            "code": self.code,
            "type": type(self).__name__,
            "where": self.where,
            "message": self.message,
            "hint": self.hint,
        }


class InputError(PresslensError):
    """A source could not be read or is not an article (file, line or byte given in ``where``)."""

    code = "P100"


class StageError(PresslensError):
    """A pipeline stage failed on one article."""

    code = "P200"


class StoreError(PresslensError):
    """The store could not be opened, migrated, read or written."""

    code = "P300"


class ConfigError(PresslensError):
    """A setting, pipeline config or registry name is wrong."""

    code = "P400"


class SpanError(PresslensError):
    """A span violates the data model (offsets out of range or surface mismatch)."""

    code = "P500"


def _rebuild(
    cls: type[PresslensError], message: str, where: str | None, hint: str | None, code: str
) -> PresslensError:
    return cls(message, where=where, hint=hint, code=code)
