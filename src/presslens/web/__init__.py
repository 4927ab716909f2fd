"""The web app: server-rendered pages with JSON twins and a JSON API over a presslens store."""

from __future__ import annotations

from presslens.web.app import DEFAULT_MAX_BODY, WebConfig, create_app

__all__ = ["DEFAULT_MAX_BODY", "WebConfig", "create_app"]
