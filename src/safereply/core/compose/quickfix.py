"""One-click fixes: the editor's "fix this finding" button, as a whole new reply.

The linter's ``suggestion`` says *what* should replace a span ("there", an invitation to call, or
nothing); pasted in place it often breaks the sentence ("...please call our office at (555)
201-3300 tomorrow", "couldn't book your experience on Tuesday"). :func:`quick_fix` applies a
finding's fix to the reply and returns the whole reply, grammatical, with a label that says what
the button does:

* a name, date, number or contact detail (ID001-ID006, EC002) is cut or replaced inside its
  sentence with the words that went with it ("Hi Karen," becomes "Hi there,", "on Tuesday" goes);
* a promise or report of contact, a request for private details and medical advice (outside
  contact, medical advice) take their whole clause with them, time words included ("we'll call you
  tomorrow"); the clause becomes the invitation to call, or goes when the reply already invites a
  call, so the invitation is never there twice;
* a missing invitation (CP001) is added as its own sentence, after a full stop and before a
  sign-off;
* anything else (health details, confirmations of care, echoes, tone) rewords the clause it sits
  in by what the clause was for: an apology stays one ("sorry to hear this"), thanks stay thanks
  ("thank you for sharing this"), and a clause with no safe purpose is removed;
* a finding that covers its whole sentence (the learned sentence rules) removes the sentence.

Nothing here lints: the editor checks the new reply again, as it does after any edit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from safereply.core.compose.rewriting import EDITABLE, Segment, _edit_span, _tidy, segment
from safereply.core.compose.strategy import practice_fields
from safereply.core.compose.templates import load_templates
from safereply.core.lint.context import LintContext
from safereply.core.lint.rules.contact_path import has_call_invitation
from safereply.core.practice import Practice

__all__ = ["QuickFix", "quick_fix", "quick_fixes"]

_CONTACT = frozenset({"outside-contact", "medical-advice"})
_CLAUSE_SEP = re.compile(r"\s*[,;:]\s+|\s+[-–—]\s+")
_TERMINAL = re.compile(r"[.!?]+[\"'”’)\]]*$")
_CONJUNCTION = re.compile(r"^(?:and|but|so|or|because|as|then)\s+", re.IGNORECASE)
_SIGNOFF = re.compile(
    r"^(?:[—–~-]|(?:sincerely|best|regards|warmly|warm\s+regards|kind\s+regards|cheers|"
    r"with\s+gratitude|respectfully)\b)",
    re.IGNORECASE,
)
# What an apology or thanks clause keeps, and the safe words that finish it.
_PURPOSES = (
    (re.compile(r"^.*?\bsorry\b", re.IGNORECASE), " to hear this"),
    (re.compile(r"^.*?\b(?:apologi[sz]e|apologies)\b", re.IGNORECASE), " for the trouble"),
    (re.compile(r"^.*?\bregret\b", re.IGNORECASE), " the trouble"),
    (re.compile(r"^.*?\b(?:thank\s+you|thanks)\b", re.IGNORECASE), " for sharing this"),
    (re.compile(r"^.*?\bappreciate\b", re.IGNORECASE), " your feedback"),
    (re.compile(r"^.*?\bgrateful\b", re.IGNORECASE), " for your feedback"),
)
#: An apology or thanks is kept when it takes at most this many words ("We're so very sorry").
_MAX_PURPOSE_WORDS = 5
_GREETING = re.compile(
    r"^(?:hi|hello|hey|hiya|dear|greetings|good\s+(?:morning|afternoon|evening))\b", re.IGNORECASE
)
_PREPOSITION = re.compile(
    r"\b(?:about|with|for|during|after|of|on|from|regarding|since|before)\s+$", re.IGNORECASE
)
#: What a cut identifier may be when nothing takes its place: a time or place phrase the
#: sentence does without ("on 11/02", "at 10:40am", "last Tuesday").
_MODIFIER = re.compile(
    r"^(?:on|at|in|during|since|by|until|around|about|from|last|this|next)\b", re.IGNORECASE
)
#: A sentence left ending in a linking verb needs the cut words back ("The visit was at 10:40").
_LINKING_END = re.compile(r"\b(?:is|was|are|were|be|been|being|am)\s*$", re.IGNORECASE)
_LOWER_AFTER_GREETING = re.compile(
    r"^(?:Please|We|We're|We've|We'd|Our|Thank|Thanks|Sorry|It|This|If|Thanks|So)\b"
)


@dataclass(frozen=True, slots=True)
class QuickFix:
    """A finding's fix applied: the whole new reply, the changed part and the button's label.

    ``start``/``end`` are character (code point) offsets of the changed text in ``reply``, for
    selecting it; equal when the fix only removed text.
    """

    code: str
    reply: str
    start: int
    end: int
    label: str

    def to_dict(self) -> dict[str, Any]:
        """Return the fix as plain data (the editor's JSON)."""
        return {"label": self.label, "reply": self.reply, "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class _Cut:
    """The two fields cutting an identifier reads, from a finding given as a dict or object."""

    code: str
    text: str


def _get(finding: Any, name: str) -> Any:
    if isinstance(finding, Mapping):
        return finding.get(name)
    return getattr(finding, name, None)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


class _Fixer:
    def __init__(
        self, reply: str, post: str | None, practice: Practice | None, label_limit: int = 60
    ) -> None:
        self.reply, self.post, self.practice = reply, post, practice
        self.label_limit = label_limit
        templates = load_templates()
        if practice is not None:
            line = templates.slot("fix", "invite")[0].format(**practice_fields(practice))
        else:
            line = templates.slot("fix", "invite_no_phone")[0]
        self.invite = line
        self.segments = segment(reply)

    # -- helpers ---------------------------------------------------------------------------------

    def quote(self, text: str) -> str:
        """Return ``text`` quoted for a label, cut to the label's limit."""
        return _quote(text, self.label_limit)

    def invites(self, text: str) -> bool:
        """Return True when ``text`` already invites the poster to call."""
        if not text.strip():
            return False
        return has_call_invitation(LintContext(reply=text, post=self.post, practice=self.practice))

    def segment_for(self, start: int, end: int) -> Segment | None:
        """Return the sentence a finding is in: the one it overlaps most (a greeting last)."""
        best, score = None, (-1, -1)
        for seg in self.segments:
            overlap = min(seg.end, max(end, start + 1)) - max(seg.start, start)
            if overlap <= 0:
                continue
            rank = (0 if _GREETING.match(seg.text) and seg.text.endswith(",") else 1, overlap)
            if rank > score:
                best, score = seg, rank
        if best is None and self.segments and start >= self.segments[-1].end:
            return self.segments[-1]
        return best

    def replace_segment(self, seg: Segment, new: str) -> tuple[str, int, int]:
        """Return (reply, start, end) with ``seg`` replaced by ``new`` ("" removes it)."""
        before, after = self.reply[: seg.start], self.reply[seg.end :]
        if not new:
            if before.rstrip().endswith(",") and not after.strip():
                # Only a greeting is left before: the greeting goes too ("Hi there," alone).
                before = before.rstrip()
            elif before.strip():
                before = before.rstrip(" \t")
                after = after.lstrip(" \t")
                if after and not after.startswith("\n") and before and not before.endswith("\n"):
                    before += " "
            else:
                after = after.lstrip()
            text = before + after
            at = len(before)
            text = self.after_greeting(text)
            return text.strip() if not text.strip() else text, at, at
        text = before + new + after
        return self.after_greeting(text), len(before), len(before) + len(new)

    @staticmethod
    def after_greeting(text: str) -> str:
        """Lower-case a sentence that now follows a greeting's comma ("Hi there, please...")."""
        for seg in segment(text):
            head = text[: seg.start].rstrip(" ")
            if head.endswith(",") and _LOWER_AFTER_GREETING.match(seg.text):
                text = text[: seg.start] + seg.text[0].lower() + text[seg.start + 1 :]
        return text

    @staticmethod
    def split(sentence: str) -> tuple[str, str, list[tuple[int, int]]]:
        """Return (body, terminal punctuation, clause spans of the body)."""
        term = _TERMINAL.search(sentence)
        body = sentence[: term.start()] if term else sentence
        ending = term.group() if term else ""
        spans, pos = [], 0
        for m in _CLAUSE_SEP.finditer(body):
            spans.append((pos, m.start()))
            pos = m.end()
        spans.append((pos, len(body)))
        return body, ending, [(a, b) for a, b in spans if b > a]

    @staticmethod
    def finish(body: str, ending: str) -> str:
        body = body.strip()
        body = _CONJUNCTION.sub("", body) if body else body
        body = body.rstrip(" ,;:-–—")
        if not body:
            return ""
        if body[:1].islower() and not body.startswith(("iPhone", "eBay")):
            body = body[0].upper() + body[1:]
        return body + (ending if ending and ending[0] in "!?" else ".")

    def greeting_before(self, seg: Segment) -> bool:
        return self.reply[: seg.start].rstrip(" ").endswith(",")

    # -- the fixes -------------------------------------------------------------------------------

    def add_invitation(self) -> tuple[str, int, int, str] | None:
        if self.invites(self.reply):
            return None
        segs = self.segments
        if segs and len(segs) > 1 and _SIGNOFF.match(segs[-1].text):
            last = segs[-1]
            head, tail = self.reply[: last.start].rstrip(), self.reply[last.start :]
            lead = last.lead if "\n" in last.lead else "\n"
            tail = tail[len(tail) - len(tail.lstrip()) :]
        else:
            head, tail, lead = self.reply.rstrip(), "", ""
        if head and head[-1] not in ".!?":
            head = head.rstrip(",;: ") + "."
        start = len(head) + (1 if head else 0)
        text = f"{head} {self.invite}".strip() + (lead + tail if tail else "")
        return text, start, start + len(self.invite), f"Add: {self.quote(self.invite)}"

    def edit_span(self, seg: Segment, finding: Any) -> tuple[str, int, int, str] | None:
        """Cut or replace one identifier; None when cutting it would break the sentence."""
        start = max(0, int(_get(finding, "start")) - seg.start)
        end = min(len(seg.text), int(_get(finding, "end")) - seg.start)
        cut = _Cut(str(_get(finding, "code") or ""), str(_get(finding, "text") or ""))
        span = _edit_span(seg.text, start, end, cut)
        if span is None:  # a name that is the sentence's subject or object: no quick fix
            return None
        replacement, cut_start, cut_end = span
        pre = seg.text[:cut_start]
        if not replacement and not self.cut_stands(seg, cut_start, cut_end, finding):
            # "your balance is $180" less "$180" is no sentence: the clause goes instead.
            return self.reword_clause(seg, start, end)
        glue = " " if replacement and pre and not pre.endswith(" ") else ""
        edited = _tidy(pre + glue + replacement + seg.text[cut_end:])
        if self.greeting_before(seg) and edited[:1].isupper() and seg.text[:1].islower():
            edited = edited[0].lower() + edited[1:]
        removed = seg.text[cut_start:cut_end].strip(" ,")
        if replacement:
            label = f"Replace {self.quote(removed)} with {self.quote(replacement)}"
        else:
            label = f"Remove {self.quote(removed)}"
        text, a, b = self.replace_segment(seg, edited)
        return text, a, b, label

    @staticmethod
    def cut_stands(seg: Segment, cut_start: int, cut_end: int, finding: Any) -> bool:
        """Return True when the sentence still reads whole with ``seg.text[cut_start:cut_end]``
        gone: a name cut where it addresses the reader (``_edit_span`` judged those), a time or
        place phrase, or words set off by commas; not the object of a verb or preposition
        ("we refunded $40 to you", "your member ID 8842211 is on file", "the charge was $240").
        """
        if str(_get(finding, "code") or "") == "ID001":
            return True
        pre, cut, post = seg.text[:cut_start], seg.text[cut_start:cut_end], seg.text[cut_end:]
        if pre.rstrip().endswith(",") and (not post.strip() or post.lstrip()[:1] in ",.!?;:"):
            return True
        return bool(_MODIFIER.match(cut.strip())) and not _LINKING_END.search(pre)

    def remove_sentence(self, seg: Segment, contact: bool) -> tuple[str, int, int, str]:
        rest = self.reply[: seg.start] + self.reply[seg.end :]
        if contact and not self.invites(rest):
            text, a, b = self.replace_segment(seg, self.invite)
            return text, a, b, f"Replace the sentence with {self.quote(self.invite)}"
        text, a, b = self.replace_segment(seg, "")
        return text, a, b, f"Remove {self.quote(seg.text)}"

    def contact_clause(self, seg: Segment, rel: int) -> tuple[str, int, int, str]:
        body, ending, spans = self.split(seg.text)
        k = next((i for i, (a, b) in enumerate(spans) if a <= rel < b or rel < a), len(spans) - 1)
        a, _ = spans[k]
        # The promise's clause and what follows it in the sentence ("tomorrow to sort it out").
        kept = body[:a].rstrip(" ,;:-–—") if k else ""
        rest = self.reply[: seg.start] + (kept + "." if kept else "") + self.reply[seg.end :]
        removed = body[a:].strip()
        if self.invites(rest):
            new = self.finish(kept, ending) if kept else ""
            label = f"Remove {self.quote(removed)} (the reply already invites a call)"
        else:
            new = f"{self.finish(kept, ending)} {self.invite}" if kept else self.invite
            label = f"Replace {self.quote(removed)} with {self.quote(self.invite)}"
        if new and self.greeting_before(seg) and seg.text[:1].islower():
            new = new[0].lower() + new[1:]
        text, x, y = self.replace_segment(seg, new)
        if kept and new:
            x += len(new) - len(self.invite) if new.endswith(self.invite) else 0
        return text, x, y, label

    def reword_clause(
        self, seg: Segment, rel: int, rel_end: int, *, purpose_only: bool = False
    ) -> tuple[str, int, int, str] | None:
        body, ending, spans = self.split(seg.text)
        k = next((i for i, (a, b) in enumerate(spans) if a <= rel < b or rel < a), len(spans) - 1)
        a, b = spans[k]
        clause = body[a:b]
        for pattern, tail in _PURPOSES:
            m = pattern.match(clause)
            if m and len(m.group().split()) <= _MAX_PURPOSE_WORDS:
                # Keep "We're so sorry" / "Thank you", finish it in safe general words.
                new_clause = m.group() + tail
                new_body = body[:a] + new_clause
                later = body[b:]  # further clauses stay, unless the finding runs into them
                if rel_end - 1 < b:
                    new_body += later
                sentence = new_body + (ending or ("." if seg.end == len(self.reply) else ""))
                if not ending and seg.end == len(self.reply):
                    sentence = new_body  # a reply without a full stop keeps its own ending
                text, x, _ = self.replace_segment(seg, sentence)
                start = x + a
                return text, start, start + len(new_clause), f"Reword as {self.quote(new_clause)}"
        if purpose_only:
            return None
        # No safe purpose: the clause goes (the whole sentence when it is the only clause).
        if len(spans) == 1:
            rest = self.reply[: seg.start] + self.reply[seg.end :]
            if not rest.strip(" ,\n"):
                concern = load_templates().slot("fix", "thanks")[0]
                text, x, y = self.replace_segment(seg, concern)
                return text, x, y, f"Replace the sentence with {self.quote(concern)}"
            text, x, y = self.replace_segment(seg, "")
            return text, x, y, f"Remove {self.quote(seg.text)}"
        # Drop the clause and the separator before it (after it, for the first clause).
        new_body = body[spans[1][0] :] if k == 0 else body[: spans[k - 1][1]] + body[b:]
        sentence = self.finish(new_body, ending)
        if self.greeting_before(seg) and seg.text[:1].islower():
            sentence = sentence[0].lower() + sentence[1:]
        text, x, _ = self.replace_segment(seg, sentence)
        return text, x, x, f"Remove {self.quote(clause)}"

    def fix(self, finding: Any) -> tuple[str, int, int, str] | None:
        code = str(_get(finding, "code") or "")
        category = str(_get(finding, "category") or "")
        start, end = int(_get(finding, "start") or 0), int(_get(finding, "end") or 0)
        if category == "missing-contact-path":
            return self.add_invitation()
        seg = self.segment_for(start, end)
        if seg is None:
            return None
        rel, rel_end = max(0, start - seg.start), min(len(seg.text), end - seg.start)
        suggestion = _get(finding, "suggestion")
        covers_sentence = rel <= 0 and rel_end >= len(seg.text.rstrip(".!? "))
        if code in EDITABLE:
            return self.edit_span(seg, finding)
        if covers_sentence:
            # A finding about the whole sentence (the learned rules): an apology or thanks is
            # reworded, anything else removed (or replaced by the invitation it asked for).
            reworded = self.reword_clause(seg, rel, rel_end, purpose_only=True)
            if reworded is not None:
                return reworded
            return self.remove_sentence(seg, category in _CONTACT or "call" in (suggestion or ""))
        if category in _CONTACT:
            return self.contact_clause(seg, rel)
        if (
            suggestion
            and category == "patient-relationship"
            and _PREPOSITION.search(seg.text[:rel])
            and not self.health_inside(start, end)
        ):
            # "sorry about your visit" -> "sorry about your experience": a noun for a noun.
            new = seg.text[:rel] + suggestion + seg.text[rel_end:]
            text, x, _ = self.replace_segment(seg, new)
            label = f"Replace {self.quote(seg.text[rel:rel_end])} with {self.quote(suggestion)}"
            return text, x + rel, x + rel + len(suggestion), label
        return self.reword_clause(seg, rel, rel_end)

    def health_inside(self, start: int, end: int) -> bool:
        """Return True when a health term sits in the span ("your cleaning", not "your visit")."""
        from safereply.core.phi.health import find_health_terms

        return any(
            e.start < end and e.end > start and e.kind != "body"
            for e in find_health_terms(self.reply)
        )


def quick_fix(
    reply: str,
    finding: Any,
    *,
    post: str | None = None,
    practice: Practice | None = None,
    label_limit: int = 60,
) -> QuickFix | None:
    """Apply one finding's fix to ``reply``; None when there is nothing to do.

    Args:
        reply: the reply as the finding was found in it.
        finding: a :class:`~safereply.core.lint.Finding` or its JSON object (``code``,
            ``category``, ``start``, ``end``, ``text``, ``suggestion``).
        post: the post the reply answers (echo checks).
        practice: the profile; its phone is the number the invitation gives.
        label_limit: the longest quotation in the label (a button's; a terminal shows more).
    """
    fixer = _Fixer(reply, post, practice, label_limit)
    done = fixer.fix(finding)
    if done is None:
        return None
    text, start, end, label = done
    if text == reply:
        return None
    return QuickFix(str(_get(finding, "code") or ""), text, start, end, label)


def quick_fixes(
    reply: str,
    findings: Sequence[Any],
    *,
    post: str | None = None,
    practice: Practice | None = None,
    label_limit: int = 60,
) -> list[QuickFix | None]:
    """Return :func:`quick_fix` for each finding of one report, in order."""
    return [
        quick_fix(reply, f, post=post, practice=practice, label_limit=label_limit) for f in findings
    ]
