"""Leftovers: unsafe wording a rewrite must never keep, checked apart from the linter.

``fix`` trusts the linter to find what is unsafe, and keeps every sentence the linter passes. On
real replies some wording slips past the rules: "your husband" kept in a thank-you, "I will give
you a call", "see you Thursday", "I looked at your chart". This module is a second, independent
net for the four kinds that did slip through: a relative of the poster, a promise or report of
contact, a day or date, and a look at the poster's records. ``fix`` removes or rewords any
sentence it would keep that has one, and ``bench/compose_quality.py`` counts a rewrite that still
has one as unsafe, whatever the linter says.

The patterns are deliberately narrow where the practice's own words are common: the office's
opening days ("open Monday to Friday", "Saturdays 8-1") and invitations to call the office are not
leftovers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KINDS", "Leftover", "leftovers"]

_RELATIVES = (
    r"husband|wife|spouse|partner|boyfriend|girlfriend|fianc[eé]e?|son|sons|daughters?|kids?|"
    r"child|children|baby|babies|toddler|infant|newborn|mom|mum|mother|dad|father|parents?|"
    r"grand(?:ma|pa|mother|father|son|daughter|child|children|kids?)|sister|brother|siblings?|"
    r"aunt|uncle|niece|nephew|cousin|in-laws?|mother-in-law|father-in-law|family\s+member|"
    r"little\s+(?:one|ones|girl|boy)"
)
_DAYS = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)day"
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_YOU = r"(?:you|u|ya|y'all|him|her|them)"
_WE = (
    r"(?:we|i|our\s+(?:\w+\s+){0,2}(?:team|office|manager|staff|doctor|nurse|coordinator)|"
    r"dr\.?\s+\w+|someone|somebody)"
)

#: kind -> pattern. Any case; whole words.
KINDS: dict[str, re.Pattern[str]] = {
    kind: re.compile(pattern, re.IGNORECASE)
    for kind, pattern in {
        # "your husband", "your son's", "ur mom", "the little one" (a relative of the poster).
        "relative": rf"\b(?:your|ur|yr)\s+(?:\w+\s+)?(?:{_RELATIVES})\b(?:'s)?|"
        rf"\b(?:the|your)\s+little\s+(?:one|ones)\b",
        # A promise or a report of contact: "we will call you", "I'll reach out", "we tried to
        # reach you", "we left you a voicemail", "check your inbox", "we'll be in touch".
        "contact": rf"\b{_WE}(?:'ll|'ve|'d|\s+(?:will|would|would\s+like\s+to|want\s+to|"
        rf"are\s+going\s+to|am\s+going\s+to|shall|can|will\s+be|have|had|already|just|also|"
        rf"tried\s+to|attempted\s+to))?\s+(?:\w+\s+)?"
        rf"(?:call|phone|ring|text|e-?mail|message|dm|pm|contact|reach(?:ed)?\s+out\s+to|"
        rf"reach(?:ed)?|follow(?:ed)?\s+up\s+with|get\s+back\s+to|got\s+back\s+to|"
        rf"write|wrote|mail|mailed|send|sent|left|leave)(?:ed|ing|s)?\s+{_YOU}\b|"
        rf"\b{_WE}(?:'ll|\s+will)\s+(?:\w+\s+)?(?:be\s+in\s+touch|be\s+contacting|"
        rf"be\s+reaching\s+out|be\s+calling|be\s+following\s+up|give\s+{_YOU}\s+a\s+"
        rf"(?:call|ring|buzz))|\bgive\s+{_YOU}\s+a\s+(?:call|ring|buzz)\b|"
        rf"\b(?:check|look\s+at)\s+your\s+(?:inbox|e-?mail|messages|voicemail|"
        rf"dms?|texts?|mail|portal)\b|\b(?:expect|watch\s+for)\s+(?:a|our)\s+(?:call|text|e-?mail|"
        rf"letter|message)\b|\b(?:left|sent)\s+(?:you\s+)?(?:a|several|two|multiple)\s+"
        rf"(?:voicemails?|messages?|texts?|e-?mails?|letters?)\b|\b(?:reaching|reached)\s+out\s+"
        rf"(?:to\s+)?{_YOU}\b|\btried\s+(?:calling|texting|emailing|reaching)\s+{_YOU}\b",
        # A day or a date that can be the poster's: "on Tuesday", "last Friday", "March 3",
        # "3/14", "yesterday". The office's hours ("open Monday to Friday") are not one.
        "date": rf"\b(?:on|last|this|next|since|by|until|from)\s+{_DAYS}\b|"
        rf"\b{_DAYS}(?:'s)?\s+(?:appointment|appt|visit|morning|afternoon|evening|night)\b|"
        rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
        rf"\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/\d{{2,4}})?\b(?!/)|"
        rf"\b(?:yesterday|the\s+other\s+day|earlier\s+(?:today|this\s+week))\b|"
        rf"\b(?:see|seeing)\s+(?:you|u|ya)\s+(?:on\s+|this\s+|next\s+)?{_DAYS}\b",
        # A look at the poster's records: "I reviewed your chart", "our records show", "according
        # to our notes", "we checked your file", "pulled up your account".
        "records": r"\b(?:review(?:ed|ing)?|check(?:ed|ing)?|look(?:ed|ing)?\s+(?:at|into|over|"
        r"through)|pull(?:ed|ing)?\s+up|went\s+(?:over|through)|go(?:ne|ing)?\s+(?:over|through)|"
        r"examined|audited|consulted)\s+(?:your|his|her|their|the\s+patient'?s?)\s+(?:\w+\s+)?"
        r"(?:chart|records?|file|notes|account|history|x-?rays?|results|visit\s+notes|case)\b|"
        r"\b(?:our|my|the)\s+(?:records?|notes|charts?|files?|system)\s+(?:show|shows|showed|"
        r"indicate[sd]?|state[sd]?|confirm(?:s|ed)?|reflect(?:s|ed)?|say|says|said)\b|"
        r"\baccording\s+to\s+(?:our|my|your|the)\s+(?:records?|notes|charts?|files?|system)\b|"
        r"\b(?:in|from)\s+your\s+(?:chart|records?|file)\b",
    }.items()
}


@dataclass(frozen=True, slots=True)
class Leftover:
    """One leftover: its kind (relative, contact, date, records), span and text."""

    kind: str
    start: int
    end: int
    text: str


def leftovers(text: str) -> list[Leftover]:
    """Return the leftovers in ``text``, in order of position."""
    found: list[Leftover] = []
    for kind, pattern in KINDS.items():
        for m in pattern.finditer(text):
            if kind == "date" and _office_hours(text, m.start(), m.end()):
                continue
            found.append(Leftover(kind, m.start(), m.end(), m.group()))
    found.sort(key=lambda x: (x.start, x.end))
    return found


def _office_hours(text: str, start: int, end: int) -> bool:
    """Return True when a day is part of the office's hours ("open Monday to Friday")."""
    window = text[max(0, start - 40) : min(len(text), end + 40)]
    return bool(re.search(r"\b(?:open|opens|closed|hours|walk-?in)\b", window, re.IGNORECASE))
