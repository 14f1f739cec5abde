"""Safe rewriting: keep what can be kept of an unsafe reply, replace or remove the rest.

``fix`` works sentence by sentence from the linter's findings:

1. a sentence whose only problems are identifiers (a name, a date, an account number) is *edited*:
   the identifier is removed ("Hi Karen," becomes "Hi there,") if the sentence then passes;
2. otherwise the sentence is *replaced* by safe wording with the same purpose (an apology stays an
   apology, thanks stay thanks, a promise to call the poster becomes an invitation to call us,
   an improvement becomes a general one), or *removed* when it has no safe purpose (a defensive
   or corrective sentence, medical advice, a health detail);
3. the invitation to call is *added* when the reply lacks it;
4. the result is linted again; sentences still flagged are removed, and if it still does not pass,
   the reply falls back to the pre-checked acknowledgement plus the untouched safe sentences, and
   finally to the acknowledgement alone.

Every step is recorded as a :class:`Change` with the finding that caused it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from safereply.core.compose.drafting import acknowledgement
from safereply.core.compose.leftovers import Leftover, leftovers
from safereply.core.compose.strategy import practice_fields
from safereply.core.compose.templates import load_templates
from safereply.core.compose.types import Change, FixResult
from safereply.core.compose.variation import rng_for
from safereply.core.lint import Finding, Linter, Report, default_linter
from safereply.core.lint.context import LintContext
from safereply.core.lint.engine import MAX_POST_CHARS, MAX_REPLY_CHARS, validate_text
from safereply.core.lint.rules.contact_path import has_call_invitation
from safereply.core.practice import Practice
from safereply.core.vocab import Category, Verdict

__all__ = ["EDITABLE", "Segment", "fix", "intent_of", "segment"]

#: Findings that sit in a word or phrase which can be cut without changing what the sentence is
#: for. Anything else (health details, confirmations, promises, tone, advice) needs rewording.
EDITABLE = frozenset({"ID001", "ID002", "ID003", "ID004", "ID005", "ID006", "EC002"})
_MAX_ROUNDS = 3

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:dr|mr|mrs|ms|mx|st|jr|sr|prof|vs|etc|no|approx|dept|ave|e\.g|i\.e|a\.m|p\.m)|\b[A-Z])$",
    re.IGNORECASE,
)
_GREETING_CLAUSE = re.compile(
    r"(?:^|(?<=\n))\s*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))\b"
    r"(?:(?:mr|mrs|ms|mx|dr)\.|[^,!.\n]){0,40},",
    re.IGNORECASE,
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)]*(?=\s)|\n+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence of the reply: its span, text and the whitespace before it."""

    start: int
    end: int
    text: str
    lead: str


def segment(text: str) -> list[Segment]:
    """Split a reply into sentences, keeping line breaks and not splitting "Dr. Lee"."""
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(text):
        if m.group().startswith("\n"):
            wrapped = re.match(r"[a-z]", text[m.end() : m.end() + 1]) and not re.search(
                r"[.!?,:;]\s*$", text[: m.start()]
            )
            if not wrapped:  # a hard-wrapped line goes on with the same sentence
                cuts.append(m.start())
            continue
        if m.group().startswith(".") and _ABBREVIATIONS.search(text[: m.start()]):
            continue  # "Dr." or "a.m." is not the end of a sentence
        cuts.append(m.end())
    for m in _GREETING_CLAUSE.finditer(text):
        cuts.append(m.end())  # "Hi Karen," is its own segment, so the greeting can be kept
    cuts.sort()
    out: list[Segment] = []
    pos = 0
    for cut in [*cuts, len(text)]:
        chunk = text[pos:cut]
        stripped = chunk.strip()
        if stripped:
            start = pos + (len(chunk) - len(chunk.lstrip()))
            lead_start = out[-1].end if out else 0
            out.append(Segment(start, start + len(stripped), stripped, text[lead_start:start]))
        pos = cut
    return out


_INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "signoff",
            r"^(?:[—–~-]|(?:sincerely|best|regards|warmly|warm\s+regards|kind\s+regards|"
            r"cheers|with\s+gratitude|respectfully)\b[,!.]?)",
        ),
        ("apology", r"\b(?:sorry|apologi[sz]e|apologies|regret)\b"),
        ("thanks", r"\b(?:thank|thanks|appreciate|grateful)\b"),
        (
            "contact",
            r"\b(?:call|phone|ring|text|e-?mail|dm|pm|message|reach(?:ing)?\s+out|contact|"
            r"be\s+in\s+touch|get\s+in\s+touch|inbox|voicemail|portal)\b",
        ),
        (
            "improvement",
            r"\b(?:we(?:'ve|\s+have|'re|\s+are|\s+will|'ll)?\s+(?:\w+\s+)?(?:added|hired|updated|"
            r"improved|changed|introduced|implemented|started|extended|trained|retrained|working|"
            r"reviewing|adjusting|adding|hiring|upgrading|expanded|launched|improving|"
            r"taking\s+steps|making\s+changes|made\s+changes|looking\s+into\s+ways))\b",
        ),
        ("greeting", r"^(?:hi|hello|hey|dear|greetings|good\s+(?:morning|afternoon|evening))\b"),
    )
)


def intent_of(sentence: str) -> str:
    """Return what a sentence is for: apology, thanks, contact, improvement, greeting, signoff,
    or other (its meaning cannot be kept safely in general terms)."""
    for name, pattern in _INTENTS:
        if pattern.search(sentence):
            return name
    return "other"


# --- span edits -----------------------------------------------------------------------------

_TITLE_BEFORE = re.compile(
    r"(?:\b(?:mr|mrs|ms|miss|mx|dr)\.?\s*(?:&|and)\s*)?\b(?:mr|mrs|ms|miss|mx)\.?\s+$",
    re.IGNORECASE,
)
_GREETING_BEFORE = re.compile(
    r"^(?P<greet>hi|hello|hey|hiya|dear|greetings|good\s+(?:morning|afternoon|evening))\s*,?\s*$",
    re.IGNORECASE,
)
#: Thanks or an apology right before the name addresses the reader ("Thank you, Karen!",
#: "Sorry Priya, we ..."): the name goes and the thanks or apology stays.
_THANKS_BEFORE = re.compile(
    r"(?:thank\s+you|thanks|sorry)(?:\s+(?:so|very)\s+much|\s+a\s+lot)?\s*,?\s*(?:dear\s+)?$",
    re.IGNORECASE,
)
#: A name is cut only where it addresses the reader; elsewhere it is part of the grammar ("Melissa
#: has been here since 2007") and cutting it would break the sentence.
_SELF_INTRO_BEFORE = re.compile(r"\b(?:i'm|i’m|i\s+am)\s+$", re.IGNORECASE)
_AFTER_INTRO = re.compile(r"^\s*(?:,|from\b|with\b|at\b|of\b|and\b|here\b)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"^\s*[.!?]*[\"'”’)]*\s*$")
_FILLER_BEFORE = re.compile(
    r"(?:\s+(?:on|at|for|from|of|in|during|since|by|to|with|until|around|about|under|last|this|"
    r"next|the|your|ur|his|her|their|our|a|an|#|number|no\.?|account|acct|claim|record|member|"
    r"id|email|e-mail|phone|address|balance|of\s+your))+\s*$",
    re.IGNORECASE,
)


class _CodeAndText(Protocol):
    """What cutting an identifier reads from a finding (a Finding, or a quick fix's dict)."""

    @property
    def code(self) -> str: ...

    @property
    def text(self) -> str: ...


def _edit_span(sentence: str, start: int, end: int, f: _CodeAndText) -> tuple[str, int, int] | None:
    """Return (replacement, start, end) for one identifier finding inside a sentence, or None
    when it cannot be cut without breaking the sentence (a name that is its subject or object)."""
    before = sentence[:start]
    if f.code == "ID001" or (f.code == "EC002" and f.text[:1].isupper()):
        title = _TITLE_BEFORE.search(before)
        if title:
            start = title.start()
            before = sentence[:start]
        greet = _GREETING_BEFORE.match(before)
        if greet:
            word = greet.group("greet").lower()
            if word == "dear":
                return "Hello", 0, end
            if word.startswith("good"):
                # "Good afternoon Mr. Brooks." -> "Good afternoon."
                cut = start
                while cut > 0 and sentence[cut - 1] in " ,":
                    cut -= 1
                return "", cut, end
            return "there", start, end
        thanks = _THANKS_BEFORE.search(before)
        if thanks:
            # "Thank you, Karen!" -> "Thank you!"; "Thanks a lot dear John." -> "Thanks a lot."
            cut = start
            m = re.search(r"\s*,?\s*(?:dear\s+)?$", before, re.IGNORECASE)
            if m:
                cut = m.start()
            comma = re.match(r"\s*,", sentence[end:])
            if comma and "," in before[cut:]:
                end += comma.end()  # "Thank you, Karen, for..." -> "Thank you for..."
            return "", cut, end
        after = sentence[end:]
        if not before.strip() and after.lstrip().startswith(","):
            # "Karen, thank you for..." -> "Thank you for..."
            return "", 0, end + (len(after) - len(after.lstrip())) + 1
        if _SENTENCE_END.match(after) and (
            before.rstrip().endswith(",")
            or re.match(r"\s*(?:thank|thanks|sorry|welcome)\b", sentence, re.IGNORECASE)
        ):
            # "We're glad you wrote, Karen." / "Thanks for this review Jane." -> cut the name.
            cut = start
            while cut > 0 and sentence[cut - 1] in " ,":
                cut -= 1
            return "", cut, end
        if _SELF_INTRO_BEFORE.search(before) and _AFTER_INTRO.match(after):
            return "", start, end  # "I'm Nora from the front desk" -> "I'm from the front desk"
        return None
    filler = _FILLER_BEFORE.search(before)
    if filler:
        start = filler.start()
    return "", start, end


def _tidy(text: str) -> str:
    text = re.sub(r"\s+([,.!?;:])", r"\1", text)
    text = re.sub(r"([,;:])\s*([,.!?;:])", r"\2", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"[ \t]{2,}", " ", text).strip()
    text = re.sub(r"^[,;:\s]+", "", text)
    if text[:1].islower():
        text = text[0].upper() + text[1:]
    return text


def _apply_edits(seg: Segment, findings: Sequence[Finding]) -> str | None:
    text = seg.text
    spans = []
    for f in findings:
        start = max(0, f.start - seg.start)
        end = min(len(text), f.end - seg.start)
        span = _edit_span(text, start, end, f)
        if span is None:
            return None
        spans.append(span)
    # Right to left, so earlier offsets stay valid; overlapping edits merge into the wider one.
    spans.sort(key=lambda s: (s[1], s[2]))
    merged: list[tuple[str, int, int]] = []
    for rep, start, end in spans:
        if merged and start < merged[-1][2]:
            prev = merged[-1]
            merged[-1] = (prev[0] or rep, min(prev[1], start), max(prev[2], end))
        else:
            merged.append((rep, start, end))
    for rep, start, end in reversed(merged):
        text = (
            text[:start]
            + (f" {rep}" if rep and start and text[start - 1] != " " else rep)
            + text[end:]
        )
    edited = _tidy(text)
    if re.search(r"[.!?][\"'”’)]*$", seg.text) and not re.search(r"[.!?,:;][\"'”’)]*$", edited):
        edited += seg.text.rstrip("\"'”’)")[-1]  # keep the full stop the edit cut off
    return edited


# --- the rewrite ----------------------------------------------------------------------------


def _why(findings: Sequence[Finding]) -> str:
    seen: list[str] = []
    for f in findings:
        message = f.message.rstrip(".")
        if message not in seen:
            seen.append(message)
    return "; ".join(seen)


def _primary(findings: Sequence[Finding]) -> Finding:
    # The most serious finding names the change: blocking before warning, then by position.
    return sorted(findings, key=lambda f: (not f.blocks, f.start, f.code))[0]


def _change(
    action: str, before: str, after: str, findings: Sequence[Finding], why: str = ""
) -> Change:
    if findings:
        main = _primary(findings)
        return Change(
            action=action,
            before=before,
            after=after,
            why=why or _why(findings),
            code=main.code,
            category=str(main.category),
        )
    return Change(action=action, before=before, after=after, why=why)


@dataclass(slots=True)
class _Pass:
    """What one pass over a reply's sentences has built so far (``rewrite_segments``)."""

    out: list[str] = field(default_factory=list)  # kept or rewritten sentences, with leads
    untouched: list[str] = field(default_factory=list)  # safe sentences kept as written
    used_intents: set[str] = field(default_factory=set)  # each safe line is used once
    removed_last: bool = False  # the sentence before was removed


class _Rewriter:
    def __init__(
        self, reply: str, post: str | None, practice: Practice | None, seed: Any, linter: Linter
    ) -> None:
        self.reply, self.post, self.practice, self.linter = reply, post, practice, linter
        self.templates = load_templates()
        self.rng = rng_for(seed, reply)
        self.fields = practice_fields(practice) if practice else {}
        self.changes: list[Change] = []
        self.invited = False  # the invitation is added at most once
        self.reason: str | None = None

    def lint(self, text: str) -> Report:
        return self.linter.check(text, post=self.post, practice=self.practice)

    def safe_line(self, intent: str, sentence: str = "") -> str:
        key = {"contact": "invite", "other": "concern"}.get(intent, intent)
        if key == "invite" and self.practice is None:
            key = "invite_no_phone"
        if key == "thanks" and _PRAISE_THANKS.search(sentence):
            key = "thanks_praise"  # thanks for kind words stay thanks for kind words
        return self.rng.choice(self.templates.slot("fix", key)).format(**self.fields)

    def passes_alone(self, sentence: str) -> bool:
        report = self.lint(sentence)
        return all(f.code == "CP001" for f in report.findings) and not leftovers(sentence)

    def rewrite_segments(self, text: str, report: Report) -> tuple[list[str], list[str]]:
        """Return (kept or rewritten sentences with their leads, untouched safe sentences)."""
        findings = [f for f in report.findings if f.code != "CP001"]
        state = _Pass()
        sign = _signature_start(text)
        for seg in segment(text):
            mine = [f for f in findings if f.start < seg.end and f.end > seg.start]
            left = leftovers(seg.text)
            intent = intent_of(seg.text)
            if sign is not None and seg.start >= sign:
                # The sign-off block is kept as written (never re-cased), or dropped if flagged.
                if mine or left:
                    self.changes.append(_change("remove", seg.text, "", mine, _left_why(left)))
                else:
                    state.out.append(seg.lead + seg.text)
            elif not mine and not left:
                self._keep(seg, intent, state)
            else:
                self._rewrite(seg, mine, left, intent, state)
        return state.out, state.untouched

    def _keep(self, seg: Segment, intent: str, state: _Pass) -> None:
        """Keep a sentence nothing flagged, unless it dangles after a removed one."""
        if state.removed_last and _DANGLING.match(seg.text):
            # "She is my biller." after the sentence naming her was removed: it is about
            # someone the reply no longer names, so it goes too.
            self.changes.append(
                _change(
                    "remove",
                    seg.text,
                    "",
                    (),
                    why="it refers to someone named in a sentence that was removed",
                )
            )
            return
        state.removed_last = False
        state.out.append(seg.lead + _after(state.out, seg.lead, seg.text))
        if intent in ("apology", "thanks", "improvement", "other"):
            state.untouched.append(seg.text)
        state.used_intents.add(intent)

    def _edited(self, seg: Segment, mine: list[Finding], left: list[Leftover]) -> str | None:
        """Return the sentence with its flagged words edited out, when that alone makes it safe
        and leaves a sentence of two words or more; None otherwise."""
        if not mine or left or not all(f.code in EDITABLE for f in mine):
            return None
        edited = _apply_edits(seg, mine)
        if (
            edited is not None
            and len(edited.split()) >= 2
            and edited != seg.text
            and self.passes_alone(edited)
        ):
            return edited
        return None

    def _rewrite(
        self, seg: Segment, mine: list[Finding], left: list[Leftover], intent: str, state: _Pass
    ) -> None:
        """Edit a flagged sentence, or put a safe line of the same purpose in its place, or
        drop it."""
        state.removed_last = False
        edited = self._edited(seg, mine, left)
        if edited is not None:
            self.changes.append(_change("edit", seg.text, edited, mine))
            state.out.append(seg.lead + _after(state.out, seg.lead, edited))
            state.used_intents.add(intent)
            return
        why = "" if mine else _left_why(left)
        if left and any(x.kind == "contact" for x in left):
            intent = "contact"  # a promise or report of contact becomes the invitation
        if intent in ("apology", "thanks", "improvement", "contact") and (
            intent not in state.used_intents
        ):
            self._replace(seg, mine, left, intent, why, state)
            return
        if intent == "greeting":
            line = "Hello,"
            self.changes.append(_change("replace", seg.text, line, mine, why))
            state.out.append(seg.lead + line)
            return
        self.changes.append(_change("remove", seg.text, "", mine, why))
        state.removed_last = True

    def _replace(
        self,
        seg: Segment,
        mine: list[Finding],
        left: list[Leftover],
        intent: str,
        why: str,
        state: _Pass,
    ) -> None:
        """Put the safe line of the sentence's purpose (apology, thanks, improvement, the
        invitation to call) in its place, once per purpose."""
        if (
            intent == "contact"
            and mine
            and not left
            and not _CONTACT_CATEGORIES & {str(f.category) for f in mine}
        ):
            # Flagged for something else ("just call if the results fade"): dropped; the
            # invitation is added later if the linter asks for one.
            self.changes.append(_change("remove", seg.text, "", mine, why))
            state.removed_last = True
            return
        line = self.safe_line(intent, seg.text)
        state.used_intents.add(intent)
        if intent == "contact":
            self.invited = True
        self.changes.append(_change("replace", seg.text, line, mine, why))
        state.out.append(seg.lead + _after(state.out, seg.lead, line))

    def with_invite(self, text: str) -> str:
        ctx = LintContext(reply=text, post=self.post, practice=self.practice)
        digits = re.sub(r"\D", "", text)
        has_phone = self.practice is None or self.practice.phone_digits[-7:] in digits
        if (has_call_invitation(ctx) and has_phone) or self.invited:
            return text
        self.invited = True
        line = self.safe_line("contact")
        # Keep the sign-off last: the invitation goes before it, after a full stop.
        sign = _signature_start(text)
        if sign is not None and text[:sign].strip():
            body, tail = text[:sign].rstrip(), text[sign:]
            lead = re.match(r"\s*", text[len(body) : sign]).group()  # type: ignore[union-attr]
            new = f"{_stop(body)} {line}{lead or chr(10)}{tail}"
        else:
            new = f"{_stop(text.rstrip())} {line}".strip()
        self.changes.append(
            _change(
                "add",
                "",
                line,
                (),
                why="a reply to a complaint or question must invite the "
                "poster to call the office, since the practice never contacts them first",
            )
        )
        return new

    def bland(self) -> str:
        if self.practice is not None:
            return acknowledgement(self.practice, post=self.post, linter=self.linter)
        for line in (
            *self.templates.slot("acknowledgement", "lines_no_phone"),
            self.templates.text("acknowledgement", "minimal_no_phone"),
        ):
            if self.lint(line).verdict is Verdict.PASS:
                return line
        return self.templates.text("acknowledgement", "minimal_no_phone")

    def run(self) -> tuple[str, Report]:
        report = self.lint(self.reply)
        left = leftovers(self.reply)
        if report.verdict is Verdict.PASS and not left:
            return self.reply, report
        if any(f.code in UNREADABLE for f in report.findings):
            # A language the linter cannot read: nothing can be checked, so nothing is rewritten
            # (and no English is added to it). A person who reads it must check it.
            self.reason = (
                "the reply is in a language SafeReply cannot read, so it was not rewritten; "
                "a person who reads the language must check it"
            )
            return self.reply, report
        original = report
        text = re.sub(r"\r\n?", "\n", self.reply)  # one kind of line break to work on
        untouched: list[str] = []
        for round_ in range(_MAX_ROUNDS):
            parts, safe = self.rewrite_segments(text, report)
            if round_ == 0:
                untouched = safe
            text = _tidy_reply("".join(parts))
            if not _has_substance(text):
                break
            report = self.lint(text)
            if any(f.code == "CP001" for f in (*report.findings, *original.findings)):
                # Only where the linter asks for it: praise never gets an invitation added.
                text = self.with_invite(text)
                report = self.lint(text)
            if report.verdict is Verdict.PASS and not leftovers(text):
                return text, report
        # Fall back: the acknowledgement, with the untouched safe sentences in front of it.
        if _has_substance(text):
            reason = "the rewrite still had findings"
        else:
            reason = "nothing of the reply could be kept safely"
        bland = self.bland()
        for candidate in (_join(untouched, bland), bland):
            report = self.lint(candidate)
            if report.verdict is Verdict.PASS and not leftovers(candidate):
                extra = " plus the sentences that were already safe" if candidate != bland else ""
                self.changes.append(
                    _change(
                        "fallback",
                        text if _has_substance(text) else self.reply,
                        candidate,
                        (),
                        why=f"{reason}, so the reply falls back to the pre-checked "
                        f"acknowledgement{extra}",
                    )
                )
                return candidate, report
        return bland, self.lint(bland)


_CONTACT_CATEGORIES = {str(Category.OUTSIDE_CONTACT), str(Category.MISSING_CONTACT_PATH)}


def _after(out: Sequence[str], lead: str, line: str) -> str:
    """Lower-case a sentence that follows a greeting ending in a comma on the same line ("Hi
    there, we're..."); a sign-off, a name or a new line keeps its capital."""
    if out and out[-1].rstrip().endswith(",") and "\n" not in lead and _LOWERABLE.match(line):
        return line[:1].lower() + line[1:]
    return line


_LOWERABLE = re.compile(
    r"(?:we|we're|we'd|we'll|we've|our|thank|thanks|please|sorry|it|it's|this|that|your|"
    r"if|feedback|every|all)\b",
    re.IGNORECASE,
)
#: Thanks for praise: its replacement keeps thanking for the kind words.
_PRAISE_THANKS = re.compile(
    r"\b(?:kind|nice|lovely|wonderful|great|glowing|generous|positive|sweet)\s+"
    r"(?:words?|review|comments?|feedback|note|message)\b|\bcompliments?\b",
    re.IGNORECASE,
)
#: A sentence that leans on the one before it for who it is about.
_DANGLING = re.compile(r"(?:she|he|his|her|hers|him)\b", re.IGNORECASE)
#: Findings that mean the linter could not read the reply.
UNREADABLE = frozenset({"LA001"})
#: The first line of a sign-off block ("Sincerely," / "Best regards" / "— The team").
_VALEDICTION = re.compile(
    r"^[ \t]*(?:[—–~]|-{1,2}\s|(?:sincerely|regards|best|best\s+regards|kind\s+regards|"
    r"warm\s+regards|warmly|respectfully|yours\s+truly|cheers|thank\s+you|thanks|"
    r"with\s+gratitude|all\s+the\s+best|best\s+wishes|take\s+care|yours)[ \t]*[,!.]?[ \t]*$)",
    re.IGNORECASE | re.MULTILINE,
)
#: A trailing line that is a signature: a name with a title or credentials, the team.
_SIGNATURE_LINE = re.compile(
    r"^[ \t]*(?:dr\.?\s+\S.*|the\s+.{1,60}\s+team|[A-Z][\w.'’-]*(?:[ \t,]+[A-Z][\w.'’&-]*){0,7}"
    r"(?:,?[ \t]+(?:m\.?d\.?|d\.?d\.?s\.?|d\.?m\.?d\.?|d\.?o\.?|rn|np|pa-?c|ph\.?d\.?|"
    r"office\s+manager|practice\s+manager|manager|administrator|director)\.?)?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)


def _signature_start(text: str) -> int | None:
    """Return where the sign-off block starts: a valediction line near the end and what follows
    it, or trailing lines that are a signature; None when there is none."""
    lines = [m for m in re.finditer(r"[^\n]+", text) if m.group().strip()]
    if len(lines) < 2:
        m = re.search(
            r"(?<=[.!?])\s+(dr\.?\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,3})\s*$", text, re.I
        )
        return m.start(1) if m else None
    tail = lines[-4:]
    for m in tail:
        if m is not lines[0] and _VALEDICTION.match(m.group()):
            return m.start()
    start = None
    for m in reversed(lines[-3:]):
        line = m.group().strip()
        if m is lines[0] or len(line.split()) > 10 or line.endswith(("!", "?")):
            break
        if line.endswith(".") and not re.search(
            r"(?:\b[A-Z]\.){2,}$|\b(?:jr|sr|inc|ltd)\.$", line, re.I
        ):
            break
        if not _SIGNATURE_LINE.match(line):
            break
        start = m.start()
    return start


def _stop(text: str) -> str:
    """End ``text`` with a full stop when it ends without punctuation."""
    if text and not re.search(r"[.!?:;,)\]\"'”’]$|[\U0001F300-\U0001FAFF]$", text):
        return text + "."
    return text


def _left_why(left: Sequence[Leftover]) -> str:
    if not left:
        return ""
    names = {
        "relative": "a relative of the poster",
        "contact": "a promise or report of contact",
        "date": "a day or date",
        "records": "a look at the poster's records",
    }
    found = "; ".join(f"'{x.text}' is {names[x.kind]}" for x in left)
    return f"{found}, which the reply must not keep"


def _has_substance(text: str) -> bool:
    return any(intent_of(s.text) not in ("greeting", "signoff") for s in segment(text))


def _tidy_reply(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _join(sentences: Sequence[str], tail: str) -> str:
    # Deduplicate: the acknowledgement already thanks the poster.
    kept = [s for s in sentences if intent_of(s) != "thanks"]
    return " ".join([*kept, tail]) if kept else tail


def fix(
    reply: str,
    *,
    post: str | None = None,
    practice: Practice | None = None,
    seed: int | str | None = None,
    linter: Linter | None = None,
) -> FixResult:
    """Rewrite an unsafe reply into one that passes the linter, listing each change and why.

    A reply that already passes is returned unchanged with no changes.

    Args:
        reply: the reply the practice was about to post.
        post: the post it answers, so echoes of the post are caught and removed.
        practice: the profile; its phone is the number the rewrite invites the poster to call.
        seed: varies the replacement wording reproducibly.
        linter: the gate (default: the built-in rules).

    Raises:
        InputError: the reply is empty, not text or too long; or the post is not text.
    """
    validate_text(reply, what="the reply", limit=MAX_REPLY_CHARS)
    validate_text(post, what="the post", limit=MAX_POST_CHARS, required=False)
    rewriter = _Rewriter(reply, post or None, practice, seed, linter or default_linter())
    text, report = rewriter.run()
    return FixResult(
        reply=text, verdict=report.verdict, changes=tuple(rewriter.changes), reason=rewriter.reason
    )
