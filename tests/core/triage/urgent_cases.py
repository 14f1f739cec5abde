"""Checks shared by the urgent-sign test files (sessions 7, 8 and 9).

Each of those files lists present-danger signs that must be escalated as their kind and
look-alikes (past events, figures of speech, the office's things) that must not be; the two
checks were written out in each file until session 9.
"""

from __future__ import annotations

from safereply.core.triage import triage

URGENT_KINDS = ("emergency", "crisis")


def assert_escalated(kind: str, text: str) -> None:
    """Fail unless triage escalates ``text`` as ``kind`` (its reasons say why not)."""
    result = triage(text)
    assert result.kind == kind, result.reasons


def assert_not_escalated(text: str) -> None:
    """Fail when triage escalates ``text`` as an emergency or a crisis."""
    result = triage(text)
    assert result.kind not in URGENT_KINDS, result.reasons
