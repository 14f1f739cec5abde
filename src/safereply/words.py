"""Counts in words people read: "1 second", "2 seconds", never "1 seconds" or "value(s)".

Messages shown to a front desk or printed by a command say a count with its noun in the right
number; this is the one place that decides it.
"""

from __future__ import annotations

__all__ = ["counted"]


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """Return ``n`` with ``noun`` in the singular for exactly one, else the plural.

    Args:
        n: how many.
        noun: the singular ("second", "warning").
        plural: the plural when it is not ``noun + "s"`` ("practices" is; "values" is).
    """
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"
