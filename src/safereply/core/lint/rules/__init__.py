"""The built-in rules, one module per family. Codes are permanent: never renumber or reuse one.

| prefix | family                  | category             |
|--------|-------------------------|----------------------|
| ID     | identifiers             | identifier           |
| HD     | health details          | health-detail        |
| EC     | echoes of the post      | identifier / health-detail |
| PR     | patient relationship    | patient-relationship |
| OC     | outside contact         | outside-contact      |
| TN     | tone                    | tone                 |
| MA     | medical advice          | medical-advice       |
| CP     | contact path            | missing-contact-path |
| LA     | unreadable language     | health-detail (warning) |

The learned rules (PR003, HD003, MA002, OC004, TN006, ID007) live in ``learned.py``: the
sentence model's outputs, in the categories above; they only ever add findings.
"""

from __future__ import annotations

from safereply.core.lint.types import Rule

__all__ = ["all_rules"]


def all_rules() -> list[Rule]:
    """Return a new list of every built-in rule."""
    from safereply.core.lint.rules import (
        advice,
        contact,
        contact_path,
        echo,
        health,
        identifiers,
        language,
        learned,
        relationship,
        relationship_cues,
        tone,
    )

    rules: list[Rule] = []
    for module in (
        identifiers,
        health,
        echo,
        relationship,
        relationship_cues,
        contact,
        tone,
        advice,
        contact_path,
        learned,
        language,
    ):
        rules.extend(module.RULES)
    return rules
