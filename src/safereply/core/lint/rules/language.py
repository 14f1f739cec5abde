"""Language rule: say so when a reply is in a language the checks cannot read.

The rules and the learned signal read English and Spanish (and the two mixed). A reply in French,
Portuguese, German, another script or any other language would otherwise pass with nothing found,
which reads as "safe". It gets a warning instead: a person who reads the language must check it.
"""

from __future__ import annotations

from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.triage.language import detect_language
from safereply.core.vocab import Category, Severity

#: Languages the rules and the learned signal read (a mix of the two reads as one of them).
READABLE = frozenset({"en", "es"})
_NAMES = {"other": "a language other than English or Spanish"}


def _unreadable(ctx: LintContext) -> Iterator[Hit]:
    language = detect_language(ctx.reply)
    if language in READABLE:
        return
    yield Hit(
        0,
        len(ctx.reply.rstrip()),
        f"This reply is in {_NAMES.get(language, language)}: SafeReply cannot check it for "
        "names, health details, confirmations of care or outside contact. A person who reads "
        "the language must check it before it is posted.",
        suggestion=None,
    )


RULES = (
    Rule(
        code="LA001",
        name="unreadable-language",
        category=Category.HEALTH_DETAIL,
        severity=Severity.WARNING,
        summary="The reply is in a language the checks cannot read: a person must check it.",
        rationale="Rules and models that read English and Spanish find nothing in other "
        "languages; silence would read as safe.",
        check=_unreadable,
        fix_safety=FixSafety.DISPLAY,
        bad=(Example("[[Merci beaucoup pour votre commentaire, nous sommes très heureux.]]"),),
        good=(Example("Muchas gracias por sus amables palabras."),),
    ),
)
