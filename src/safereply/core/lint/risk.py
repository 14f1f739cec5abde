"""How risky an already published reply is, and what to do about it (``safereply scan``).

A published reply that discloses is a standing disclosure: every day it stays up, anyone can read
it. The risk score (0-100) weighs each finding by what it discloses; the action says what a
practice should do now: ``delete`` when the reply names the poster or their health (edit history
keeps what was there, so only deletion takes it down), ``edit`` when it confirms the relationship,
promises contact or gives advice, ``review`` for tone or other warnings, ``none`` otherwise.
"""

from __future__ import annotations

import math

from safereply.core.lint.types import Report
from safereply.core.vocab import Category, Severity

__all__ = ["ACTIONS", "CATEGORY_WEIGHT", "action_for", "risk_of"]

#: What one error-severity finding of each category adds to the raw risk (warnings count 40%).
CATEGORY_WEIGHT: dict[Category, float] = {
    Category.IDENTIFIER: 40.0,
    Category.HEALTH_DETAIL: 35.0,
    Category.PATIENT_RELATIONSHIP: 25.0,
    Category.MEDICAL_ADVICE: 20.0,
    Category.OUTSIDE_CONTACT: 15.0,
    Category.TONE: 8.0,
    Category.MISSING_CONTACT_PATH: 2.0,
}
_WARNING_SHARE = 0.4
#: Actions, most urgent first.
ACTIONS = ("delete", "edit", "review", "none")
_DELETE = frozenset({Category.IDENTIFIER, Category.HEALTH_DETAIL})


def risk_of(report: Report) -> int:
    """Return the reply's risk, 0 (nothing found) to 100, rising with each finding's weight."""
    raw = 0.0
    for finding in report.findings:
        weight = CATEGORY_WEIGHT[finding.category]
        raw += weight if finding.severity is Severity.ERROR else weight * _WARNING_SHARE
    return round(100 * (1 - math.exp(-raw / 45.0)))


def action_for(report: Report) -> str:
    """Return ``delete``, ``edit``, ``review`` or ``none`` for a published reply."""
    blocking = {f.category for f in report.findings if f.blocks}
    if blocking & _DELETE:
        return "delete"
    if blocking:
        return "edit"
    if report.findings:
        return "review"
    return "none"
