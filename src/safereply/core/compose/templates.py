"""The reply templates, loaded from ``data/templates.toml`` and checked for shape once.

Templates are data so that wording can be reviewed (and one day overridden per practice) without
touching the composer. Each list is one *slot* of a reply; see the file's header for the rules a
line must follow.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from safereply.core.vocab import TOPICS

__all__ = ["PLACEHOLDERS", "Templates", "load_templates", "parse_templates"]

#: Placeholders a template may use; anything else is a mistake in the template file.
PLACEHOLDERS = frozenset({"phone", "name", "improvement", "address", "website", "flags"})


@dataclass(frozen=True, slots=True)
class Templates:
    """The parsed template file: ``slot(path)`` returns one slot's lines."""

    data: Mapping[str, Any]

    def slot(self, *path: str) -> tuple[str, ...]:
        """Return the lines of one slot, e.g. ``slot("complaint", "invite")``; () when absent."""
        node: Any = self.data
        for key in path:
            if not isinstance(node, Mapping) or key not in node:
                return ()
            node = node[key]
        if isinstance(node, str):
            return (node,)
        return tuple(node) if isinstance(node, list) else ()

    def text(self, *path: str) -> str:
        """Return a single-string entry (``spam.reason``). Raises KeyError when absent."""
        lines = self.slot(*path)
        if len(lines) != 1:
            raise KeyError(".".join(path))
        return lines[0]


def _walk(node: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(node, str):
        return [(where, node)]
    if isinstance(node, list):
        out = []
        for n, item in enumerate(node):
            if not isinstance(item, str):
                raise ValueError(f"{where}[{n}]: expected a string")
            out.append((f"{where}[{n}]", item))
        return out
    if isinstance(node, dict):
        return [pair for key, value in node.items() for pair in _walk(value, f"{where}.{key}")]
    return []


def parse_templates(text: str) -> Templates:
    """Parse and validate template TOML.

    Raises:
        ValueError: the TOML is invalid, a line uses an unknown placeholder, or a topic section
            names a topic outside DESIGN.md's vocabulary.
    """
    data = tomllib.loads(text)
    for where, line in _walk(data, "templates"):
        for _, field, _, _ in string.Formatter().parse(line):
            if field is not None and field not in PLACEHOLDERS:
                raise ValueError(f"{where}: unknown placeholder {{{field}}}")
    for kind in ("complaint", "praise"):
        for topic in data.get(kind, {}).get("topic", {}):
            if topic not in TOPICS:
                raise ValueError(f"templates.{kind}.topic.{topic}: unknown topic")
    return Templates(data)


@lru_cache(maxsize=1)
def load_templates() -> Templates:
    """Return the built-in templates (read once per process)."""
    text = files("safereply.core.compose").joinpath("data", "templates.toml").read_text("utf-8")
    return parse_templates(text)
