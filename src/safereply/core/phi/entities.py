"""The span type every recognizer returns."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Entity"]


@dataclass(frozen=True, slots=True)
class Entity:
    """A recognised span: ``kind`` says what it is (``medication``, ``date``), ``why`` how."""

    start: int
    end: int
    text: str
    kind: str
    why: str = ""
    strong: bool = True
