"""Security around every request: headers (a CSP with no inline script), body size limits and
token checks.

The CSP allows scripts and styles only from this server (``/static/app.js``,
``/static/app.css``): inline ``<script>``, ``on*`` attributes and ``javascript:`` URLs cannot
run even if an escape were missed. Tokens are compared with :func:`hmac.compare_digest`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from presslens.errors import ConfigError
from presslens.web.errors import TOO_LARGE, WebError, envelope

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)

#: Added to every response of a ``--private`` server: pages and JSON read with the token must
#: never be kept by a shared cache and served to someone without it.
PRIVATE_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"cache-control", b"private, no-store"),
    (b"vary", b"Cookie, Authorization"),
)

#: Characters a token may hold: visible ASCII (0x21-0x7E). Anything else cannot travel in a
#: cookie or survives an ``Authorization`` header only in part (surrounding spaces are cut).
TOKEN_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F))


def check_token(token: str | None) -> None:
    """Refuse, at startup, a token that could never authenticate (``ConfigError``, P400)."""
    if token is None or set(token) <= TOKEN_CHARS:
        return
    bad = next(ch for ch in token if ch not in TOKEN_CHARS)
    raise ConfigError(
        f"the token holds {bad!r} (U+{ord(bad):04X}): a token must be visible ASCII "
        "characters (0x21-0x7E), without spaces",
        where="--token / PRESSLENS_TOKEN",
        hint="Pick a token of letters, digits and punctuation, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe())'.",
    )


def response_headers(*, private: bool) -> tuple[tuple[bytes, bytes], ...]:
    """The headers every response carries (security headers, and cache rules when private)."""
    return SECURITY_HEADERS + (PRIVATE_HEADERS if private else ())


#: Cookie that carries the read token of a private server (set by ``POST /login``).
TOKEN_COOKIE = "presslens_token"


def session_value(token: str) -> str:
    """What the login cookie holds: a keyed hash of the token, not the token. A cookie read
    off a browser opens the pages of the server, never its write API (which takes only the
    token), and does not give the token away."""
    return hmac.new(token.encode("utf-8"), b"presslens web session v1", hashlib.sha256).hexdigest()


def safe_next(target: str | None, root: str) -> str:
    """Where to go after logging in: ``target`` when it is a path on this host, else the
    overview under ``root``; never another host ("//evil.example", "https://…", "/\\evil"),
    so a crafted login link cannot send the reader elsewhere."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(c) < 0x21 or ord(c) == 0x7F for c in target)
    ):
        return f"{root}/"
    return target


def token_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; no token configured or none given never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


class _BodyTooLarge(Exception):
    """Raised from ``receive`` once a body passes the limit (caught by the middleware)."""


class HeadMiddleware:
    """Answers HEAD as GET without the body (link checkers, ``curl -I``, uptime monitors):
    FastAPI routes declared for GET answered HEAD with 405."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


class SecurityMiddleware:
    """Adds the security headers to every HTTP response (with ``private``, also
    ``Cache-Control: private, no-store`` and ``Vary: Cookie, Authorization``) and refuses
    bodies over ``max_body`` bytes (by ``Content-Length`` up front, else while the body
    streams in)."""

    def __init__(self, app: ASGIApp, *, max_body: int, private: bool = False) -> None:
        self.app = app
        self.max_body = max_body
        self.headers = response_headers(private=private)
        self._names = {h for h, _ in self.headers}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() not in self._names
                ]
                message["headers"] = headers + list(self.headers)
            await send(message)

        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._too_large(send_with_headers)
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if not started:
                await self._too_large(send_with_headers)

    async def _too_large(self, send: Send) -> None:
        exc = WebError(
            TOO_LARGE,
            f"the request body is over the limit of {self.max_body:,} bytes",
            hint="Send a smaller article, or start the server with a larger --max-body.",
        )
        body = json.dumps(envelope(exc, 413)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
