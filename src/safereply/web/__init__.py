"""The web layer: the FastAPI app factory, the JSON API (``web.api``) and the HTML pages."""

from __future__ import annotations

from safereply.web.app import create_app

__all__ = ["create_app"]
