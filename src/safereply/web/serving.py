"""Several server processes on one machine: ``safereply serve --workers N`` (issue 16).

Uvicorn starts each worker process by importing an application factory by name, so the
settings travel in the environment (``SAFEREPLY_*``, or ``SAFEREPLY_SETTINGS_FILE``), exactly as
for a systemd unit. Nothing a worker keeps in memory must be shared: sign-in counts live in the
database or Redis, and the SLA sweeper of each process takes a lease before it sweeps, so N
processes sweep once per interval between them.
"""

from __future__ import annotations

import os
from typing import Any

from fastapi import FastAPI

__all__ = ["app_from_environment", "export_settings"]


def app_from_environment() -> FastAPI:
    """Build the app of one worker process from the environment (uvicorn's ``factory=True``)."""
    from safereply.settings import load_settings
    from safereply.web import create_app

    return create_app(load_settings())


def export_settings(args: Any) -> None:
    """Hand ``--settings`` and ``--database-url`` to the worker processes in the environment."""
    if getattr(args, "settings", None):
        os.environ["SAFEREPLY_SETTINGS_FILE"] = os.path.abspath(args.settings)
    if getattr(args, "database_url", None):
        os.environ["SAFEREPLY_DATABASE_URL"] = args.database_url
