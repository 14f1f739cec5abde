"""Recognizers for HIPAA Safe Harbor identifiers other than names: dates and times of service,
account/record/member/claim numbers, contact details, street addresses and money amounts.
"""

from __future__ import annotations

import re

from safereply.core.phi.entities import Entity

__all__ = [
    "find_contact_details",
    "find_dates",
    "find_money",
    "find_record_numbers",
    "find_street_addresses",
    "find_times",
]

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thurs?|fri|sat|sun"
)
_ORD = r"\d{1,2}(?:st|nd|rd|th)?"

_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # 3/14, 03/14/2026, 3-14-26
    (
        re.compile(r"(?<![\d/.$-])(?!24[/-]7\b)\d{1,2}[/-]\d{1,2}(?:[/-]\d{2,4})?(?![\d/%-])"),
        "a numeric date",
        True,
    ),
    (re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"), "an ISO date", True),
    # March 14, March 14th 2026, Mar. 3
    (
        re.compile(rf"\b(?:{_MONTHS})\.?\s+{_ORD}\b(?:,?\s+\d{{4}})?", re.IGNORECASE),
        "a calendar date",
        True,
    ),
    # the 14th of March, 14 March
    (
        re.compile(
            rf"\b(?:the\s+)?{_ORD}\s+(?:of\s+)?(?:{_MONTHS})\b(?:,?\s+\d{{4}})?", re.IGNORECASE
        ),
        "a calendar date",
        True,
    ),
    # Thursday the 9th, on the 14th
    (
        re.compile(
            rf"\b(?:(?:{_WEEKDAYS}),?\s+)?(?:on\s+)?the\s+\d{{1,2}}(?:st|nd|rd|th)\b", re.IGNORECASE
        ),
        "a day of the month",
        True,
    ),
    # last Tuesday, this past Monday, on Friday, Friday morning
    (
        re.compile(
            rf"\b(?:last|this\s+past|past|this|on|that|next)\s+(?:{_WEEKDAYS})\b(?:\s+(?:morning|afternoon|evening|night))?",
            re.IGNORECASE,
        ),
        "a day of service",
        False,
    ),
    (
        re.compile(
            r"\b(?:yesterday|the\s+day\s+before\s+yesterday|earlier\s+today|this\s+morning|"
            r"last\s+(?:week|month|night|year)|(?:a\s+)?(?:couple|few)\s+(?:of\s+)?(?:days|weeks)\s+ago|"
            r"\d+\s+(?:days|weeks|months)\s+ago|(?:two|three|four|five|six)\s+(?:days|weeks|months)\s+ago|"
            r"over\s+the\s+weekend|last\s+weekend|the\s+other\s+day)\b",
            re.IGNORECASE,
        ),
        "a relative date",
        False,
    ),
    (
        re.compile(r"\b(?:today|tonight|this\s+(?:afternoon|evening))\b", re.IGNORECASE),
        "today",
        False,
    ),
    (
        re.compile(
            rf"\bin\s+(?:early\s+|mid[\s-]|late\s+)?(?:{_MONTHS})(?:\s+\d{{4}})?\b", re.IGNORECASE
        ),
        "a month of service",
        False,
    ),
)

_TIME = re.compile(
    r"(?<![\d:])(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s?(?:a\.?m\.?|p\.?m\.?)(?![a-z])|"
    r"(?<![\d:])(?:[01]?\d|2[0-3]):[0-5]\d(?![\d:])|\b(?:noon|midnight)\b",
    re.IGNORECASE,
)

_RECORD = re.compile(
    r"\b(?:account|acct|record|chart|member|membership|claim|invoice|patient|mrn|medical\s+record|"
    r"policy|subscriber|group|reference|ref|case|ticket|confirmation|id|ssn|social\s+security)"
    r"(?:\s+(?:number|no\.?|num|id|#))?\s*(?:#|:|no\.?)?\s*"
    r"(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{2,}\b",
    re.IGNORECASE,
)
_HASH_NUMBER = re.compile(r"#\s?\d{3,}\b")
_LONG_NUMBER = re.compile(r"(?<![\d$.,])\d{6,}(?![\d.,])")
_SSN = re.compile(r"\b\d{3}-\d{2}-\d{4}\b")

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_PHONE = re.compile(
    r"(?<![\w])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?!\d)|(?<!\d)\d{3}-\d{4}(?!\d)"
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z_][\w.]{2,30}\b")

_STREET = re.compile(
    r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){1,3}"
    r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Ct|Court|Way|Pl|Place|"
    r"Terrace|Ter|Cir|Circle|Pkwy|Parkway|Hwy|Highway)\b\.?(?:,?\s+(?:Apt|Unit|Suite|#)\s*\w+)?"
)
_MONEY = re.compile(
    r"(?:\$\s?\d[\d,]*(?:\.\d{2})?|\b\d[\d,]*(?:\.\d{2})?\s?(?:dollars|usd|bucks)\b)", re.IGNORECASE
)


def find_dates(text: str) -> list[Entity]:
    """Return dates and day references; ``strong`` is False for relative ones ("last week")."""
    out: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for pattern, what, strong in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(a <= s < b or a < e <= b for a, b in taken):
                continue
            taken.append((s, e))
            out.append(Entity(s, e, m.group(), "date", f"'{m.group()}' is {what}", strong))
    return out


def find_times(text: str) -> list[Entity]:
    """Return clock times ("at 10:40am", "3 pm")."""
    return [
        Entity(m.start(), m.end(), m.group(), "time", f"'{m.group()}' is a time")
        for m in _TIME.finditer(text)
    ]


def _add_unless_inside(
    out: list[Entity], pattern: re.Pattern[str], text: str, kind: str, why: str, strong: bool = True
) -> None:
    """Append each match of ``pattern`` that does not start inside an entity already in ``out``
    (``why`` names the match with ``{}``)."""
    for m in pattern.finditer(text):
        if not any(e.start <= m.start() < e.end for e in out):
            out.append(Entity(m.start(), m.end(), m.group(), kind, why.format(m.group()), strong))


def find_record_numbers(text: str) -> list[Entity]:
    """Return account, record, member, claim and similar numbers, and social security numbers."""
    out = [
        Entity(m.start(), m.end(), m.group(), "record-number", f"'{m.group()}' is a record number")
        for m in _RECORD.finditer(text)
    ]
    for pattern, what in ((_HASH_NUMBER, "a reference number"), (_SSN, "a social security number")):
        _add_unless_inside(out, pattern, text, "record-number", "'{}' is " + what)
    _add_unless_inside(
        out, _LONG_NUMBER, text, "record-number", "'{}' looks like an ID number", False
    )
    return out


def find_contact_details(text: str) -> list[Entity]:
    """Return e-mail addresses, phone numbers and social media handles."""
    out = [
        Entity(m.start(), m.end(), m.group(), "email", f"'{m.group()}' is an e-mail address")
        for m in _EMAIL.finditer(text)
    ]
    for m in _PHONE.finditer(text):
        out.append(
            Entity(m.start(), m.end(), m.group(), "phone", f"'{m.group()}' is a phone number")
        )
    _add_unless_inside(out, _HANDLE, text, "handle", "'{}' is a social media handle", False)
    return out


def find_street_addresses(text: str) -> list[Entity]:
    """Return street addresses ("42 Oak Lane")."""
    return [
        Entity(m.start(), m.end(), m.group(), "address", f"'{m.group()}' is a street address")
        for m in _STREET.finditer(text)
    ]


def find_money(text: str) -> list[Entity]:
    """Return amounts of money ("$450", "300 dollars")."""
    return [
        Entity(m.start(), m.end(), m.group(), "money", f"'{m.group()}' is an amount of money")
        for m in _MONEY.finditer(text)
    ]
