"""The labelled posts written for the triage tests, loaded once per test module."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load_posts(name: str = "labelled_posts.jsonl") -> list[dict]:
    """Return the labelled posts of a JSONL file next to this module."""
    with (HERE / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
