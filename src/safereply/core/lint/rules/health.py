"""Health-detail rules: conditions, symptoms, tests, medications, procedures, devices, pregnancy
and billing/insurance details tied to the reviewer or someone they name. Generic statements about
services ("we offer crowns") never fire.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import (
    _word_start,
    in_idiom,
    service_or_statement,
    tie_to_reader,
)
from safereply.core.lint.rules.learned import said_to_anyone
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, Severity

_DEPARTMENT = re.compile(
    r"^[\s-]*(?:office|department|dept|team|coordinator|specialists?|staff|questions?|policy|"
    r"policies|desk|manager|company|companies|carriers?|providers?|plans?\s+we|options?|process|"
    r"portal|system|hours|line|services?|nurses?|units?|center|centre|clinic|suite|lab|ward|"
    r"wing|classes|class|workshops?|tours?|leadership|educators?|navigators?|techs?|"
    r"technicians?|support\s+groups?|cards?|info|information|pages?|guides?|resources?|handouts?|"
    r"faqs?|videos?|blog|articles?|screens?|screenings?|gym|talks?)\b",
    re.IGNORECASE,
)
_NUMBER_AFTER = re.compile(
    r"\s*(?:number|no\.?|#|id)?\s*[:#]?\s*(?!\+?1?[\s.-]?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4})"
    r"[A-Z]*-?\d",
    re.IGNORECASE,
)
_ORG_NAME = re.compile(
    r"(?:\s+(?:&|and)\s+[A-Z][a-z]+)?(?:\s+[A-Z][a-z]+)?\s+(?:Associates|Clinic|Center|Centre|"
    r"Specialists|Institute|Hospital|Group|Partners|Practice|Physicians|Care|Medical|Services|Team)\b"
)
_CELEBRATE = re.compile(r"\b(?:congrat\w*|best\s+wishes|good\s+luck|exciting)\b", re.IGNORECASE)
_KIND_WORDS = {
    "condition": "a condition",
    "symptom": "a symptom",
    "medication": "a medication",
    "procedure": "a procedure",
    "test": "a test or result",
    "device": "a device",
    "pregnancy": "a pregnancy",
    "body": "a part of the body",
    "billing": "a billing or insurance detail",
}


def _terms(ctx: LintContext, *, billing: bool) -> Iterator[Hit]:
    for e in ctx.health_terms:
        if (e.kind == "billing") != billing or ctx.is_allowed(e.start, e.end):
            continue
        if in_idiom(ctx, e.start, e.end):
            continue  # "fingers crossed!", "our hearts go out to you"
        if e.text[:1].isupper() and _ORG_NAME.match(ctx.reply[e.end : e.end + 40]):
            continue  # "ENT & Allergy Associates", "Oregon Kidney & Hypertension Clinic"
        tie = tie_to_reader(ctx, e.start, e.end)
        if tie != "possessive" and (
            _DEPARTMENT.match(ctx.reply[e.end : e.end + 24])
            or service_or_statement(ctx, e.start, e.end)
            or said_to_anyone(ctx.reply[slice(*ctx.sentence_at(e.start))])
        ):
            continue
        if tie == "possessive" and _HYPOTHETICAL.search(
            ctx.reply[slice(*ctx.sentence_at(e.start))]
        ):
            continue  # "bring your glasses or contacts if you wear them": anyone's, if any
        if e.kind == "billing" and _CHECK_PLAN.search(ctx.reply, max(0, e.start - 40), e.start):
            continue  # "call to book & check ur insurance": a step for anyone who calls
        after = ctx.reply[e.end : e.end + 24]
        if tie is None and e.kind == "billing" and _NUMBER_AFTER.match(after):
            tie = "specific"  # "claim number 77-0412", "invoice INV-20931"
        if e.kind == "body" and tie != "possessive":
            continue  # body parts only matter as "your knee"
        if tie is None and e.kind == "pregnancy":
            s, end = ctx.sentence_at(e.start)
            if _CELEBRATE.search(ctx.reply[s:end]):
                tie = "specific"
        if tie is None:
            continue
        what = _KIND_WORDS[e.kind]
        low = tie != "possessive" and not e.strong
        if tie == "possessive":
            start = _possessive_start(ctx, e.start)
            message = f"'{ctx.reply[start : e.end]}' ties {what} to the reviewer"
        else:
            start = e.start
            message = f"'{e.text}' is {what} mentioned about the reviewer"
        # No mechanical fix: deleting "your crown" leaves a broken sentence; `safereply fix`
        # rewrites the sentence instead.
        yield Hit(start, e.end, message, low_confidence=low)


#: A step anyone who calls may take, right before a plan word: "call to book & check ur
#: insurance", "the easiest way to check your specific coverage", "we can verify your benefits"
#: ("we'll check your claim" stays the reader's).
_CHECK_PLAN = re.compile(
    r"(?:\b(?:to|and|can)|&)\s+(?:check|verify|confirm|look\s+up)\s+(?:your|ur)\s+(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
#: A possessive made hypothetical: "bring your glasses if you wear them", "any meds you take".
_HYPOTHETICAL = re.compile(
    r"\bif\s+(?:you|u)\s+(?:wear|take|use|have|need)\s+(?:them|it|one|any)\b", re.IGNORECASE
)


def _possessive_start(ctx: LintContext, start: int) -> int:
    first = _word_start(ctx.reply, max(0, start - 28))
    window = ctx.reply[first:start]
    found = list(re.finditer(r"\b(?:your|ur|his|her|their|\w+'s)\b", window, re.IGNORECASE))
    return first + found[-1].start() if found else start


_HEALTH_STATE = re.compile(
    r"\b(?:you(?:'re|\s+are|\s+were)|you\s+and\s+your\s+\w+\s+are|(?:she|he|they)(?:'s|\s+is|'re|"
    r"\s+are))\s+(?:now\s+|finally\s+)?(?:feeling|doing|seeing)\s+(?:so\s+|much\s+|a\s+lot\s+|even\s+)?"
    r"(?:better|well|great|improvements?)\b",
    re.IGNORECASE,
)


#: "Glad the Dupixent is helping": a treatment of the reader's, named without "your".
_TREATMENT_WORKING = re.compile(
    r"\b(?:glad|happy|thrilled|relieved)\s+(?:to\s+hear\s+)?(?:that\s+)?the\s+(?:[\w-]+\s+){1,3}?"
    r"(?:(?:is|are|has\s+been|have\s+been)\s+(?:finally\s+|now\s+|really\s+)?(?:helping|working|"
    r"making\s+(?:such\s+)?a\s+(?:\w+\s+)?difference|healing)|(?:has|have)\s+(?:really\s+)?made\s+"
    r"(?:such\s+)?a\s+(?:\w+\s+)?difference)",
    re.IGNORECASE,
)


def _health(ctx: LintContext) -> Iterator[Hit]:
    yield from _terms(ctx, billing=False)
    for m in _HEALTH_STATE.finditer(ctx.reply):
        yield Hit(m.start(), m.end(), f"'{m.group()}' describes the reviewer's health")
    for m in _TREATMENT_WORKING.finditer(ctx.reply):
        yield Hit(m.start(), m.end(), f"'{m.group()}' speaks of the reviewer's own treatment")


def _billing(ctx: LintContext) -> Iterator[Hit]:
    return _terms(ctx, billing=True)


RULES = (
    Rule(
        code="HD001",
        name="health-detail",
        category=Category.HEALTH_DETAIL,
        severity=Severity.ERROR,
        summary="Mentions a condition, symptom, test, medication, procedure, device or pregnancy "
        "of the reviewer or someone they name.",
        rationale="Any health detail tied to an identifiable person is PHI, even when the "
        "reviewer mentioned it first.",
        check=_health,
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("We're sorry [[your crown]] came loose."),
            Example("We're glad [[your A1C]] is improving!"),
            Example("Sorry the [[lisinopril]] is giving you trouble."),
        ),
        good=(
            Example("We offer same-day crowns and clear aligners."),
            Example("Our team is trained in the latest implant techniques."),
        ),
    ),
    Rule(
        code="HD002",
        name="billing-detail",
        category=Category.HEALTH_DETAIL,
        severity=Severity.ERROR,
        summary="Mentions the reviewer's bill, balance, insurance, claim or payment.",
        rationale="Billing and insurance details of a person are PHI and confirm they are a "
        "patient.",
        check=_billing,
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("We resubmitted [[your insurance claim]] yesterday."),
            Example("[[Your copay]] was applied correctly."),
        ),
        good=(
            Example(
                "Our billing office can answer questions about insurance; call (555) 388-9100."
            ),
            Example("We accept most insurance plans."),
        ),
    ),
)
