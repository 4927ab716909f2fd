"""Web errors (P600–P619): one envelope for every failure a client can see.

Every error the app returns — ours, FastAPI's validation errors, unknown routes — becomes
``{"error": {code, type, where, message, hint, status}}`` (the same shape as ``--json`` errors
of the CLI), or an HTML page showing the same fields.
"""

from __future__ import annotations

from typing import Any

from presslens.errors import PresslensError

#: code → (HTTP status, short name); documented in the README's Errors table.
NOT_FOUND = "P600"
ARTICLE_NOT_FOUND = "P601"
ENTITY_NOT_FOUND = "P602"
STORY_NOT_FOUND = "P603"
BAD_PARAMETER = "P604"
BAD_QUERY = "P605"
UNAUTHORISED = "P606"
WRITES_DISABLED = "P607"
TOO_LARGE = "P608"
UNSUPPORTED_TYPE = "P609"
BAD_BODY = "P610"
METHOD_NOT_ALLOWED = "P611"
ANALYSIS_FAILED = "P612"
STORE_FAILED = "P613"
INTERNAL = "P614"

STATUS: dict[str, int] = {
    NOT_FOUND: 404,
    ARTICLE_NOT_FOUND: 404,
    ENTITY_NOT_FOUND: 404,
    STORY_NOT_FOUND: 404,
    BAD_PARAMETER: 422,
    BAD_QUERY: 400,
    UNAUTHORISED: 401,
    WRITES_DISABLED: 403,
    TOO_LARGE: 413,
    UNSUPPORTED_TYPE: 415,
    BAD_BODY: 422,
    METHOD_NOT_ALLOWED: 405,
    ANALYSIS_FAILED: 422,
    STORE_FAILED: 503,
    INTERNAL: 500,
}


class WebError(PresslensError):
    """A request the web app cannot answer; ``status`` is the HTTP status it is sent with."""

    code = "P600"

    def __init__(
        self, code: str, message: str, *, where: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, where=where, hint=hint, code=code)
        self.status = STATUS.get(code, 500)


def envelope(exc: PresslensError, status: int) -> dict[str, Any]:
    """The JSON error envelope: the CLI's error dict plus the HTTP status."""
    body = exc.to_dict()
    body["status"] = status
    return {"error": body}
