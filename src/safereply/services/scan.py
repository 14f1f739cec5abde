"""Scan a practice's already published replies and rank them by risk (``safereply scan``).

The input is an export of reviews with the replies the practice posted under them, in any format
``safereply import`` reads (CSV, JSON, JSON Lines; the same column names), plus a reply column
(``reply``, ``reply_text``, ``response``, ``owner_response``, ``reviewReply.comment`` ...). Each
reply is linted with the review it answers (for echoes), scored (``core.lint.risk``) and given an
action (delete, edit, review, none) and, where it can be edited, a safe rewrite. Rows with a review
but no reply are counted as unanswered; rows that cannot be read are reported by line. Nothing is
silently dropped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from safereply.core.lint import Report, default_linter
from safereply.core.lint.engine import MAX_POST_CHARS, MAX_REPLY_CHARS
from safereply.core.lint.risk import action_for, risk_of
from safereply.core.practice import Practice
from safereply.errors import InputError
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.audit import record
from safereply.services.importer import FIELDS, RejectedRow, flatten, read_rows
from safereply.services.practices import load_profile
from safereply.store.engine import Store
from safereply.store.models import Post, PublishedReply

__all__ = [
    "REPLY_FIELDS",
    "ScanItem",
    "ScanResult",
    "ScanService",
    "render_html",
    "scan_export",
    "scan_replies",
]

#: Column names (normalised as the importer does) that hold the practice's published reply: the
#: importer's own, which ``safereply import`` reads to record a history's replies.
REPLY_FIELDS: tuple[str, ...] = FIELDS["reply"]


@dataclass(frozen=True)
class ScanItem:
    """One published reply, linted and ranked."""

    id: str
    line: int | None
    reply: str
    post: str | None
    platform: str | None
    report: Report
    risk: int
    action: str
    rewrite: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON Lines shape: ``{"id", "verdict", "risk", "findings", ...}``."""
        out = self.report.to_dict(self.id)
        out["risk"] = self.risk
        out["action"] = self.action
        out["line"] = self.line
        out["platform"] = self.platform
        out["reply"] = self.reply
        if self.rewrite is not None:
            out["rewrite"] = self.rewrite
        return out


@dataclass
class ScanResult:
    """Every reply of a scan, riskiest first, with what could not be scanned."""

    items: list[ScanItem] = field(default_factory=list)
    unanswered: list[tuple[int | None, str]] = field(default_factory=list)  # (line, id)
    rejected: list[RejectedRow] = field(default_factory=list)

    def ranked(self) -> list[ScanItem]:
        """Return the items riskiest first (ties: blocking first, then input order)."""
        order = {id(item): n for n, item in enumerate(self.items)}
        return sorted(
            self.items,
            key=lambda i: (-i.risk, -i.report.verdict.rank, order[id(i)]),
        )

    def counts(self) -> dict[str, int]:
        """Return how many replies got each verdict, and the other rows."""
        out = {"replies": len(self.items), "block": 0, "warn": 0, "pass": 0}
        for item in self.items:
            out[str(item.report.verdict)] += 1
        out["unanswered"] = len(self.unanswered)
        out["rejected"] = len(self.rejected)
        return out


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise InputError("a text column holds a non-text value")
    return value if value.strip() else None


def _pick(flat: Mapping[str, Any], names: Iterable[str]) -> Any:
    return next((flat[n] for n in names if n in flat and flat[n] not in ("", None)), None)


def scan_export(
    data: bytes | str,
    *,
    name: str | None = None,
    fmt: str | None = None,
    practice: Practice | None = None,
    rewrite: bool = True,
) -> ScanResult:
    """Lint every reply of an export; see the module docstring.

    Raises:
        InputError: the file as a whole cannot be read (not UTF-8, unknown format, broken JSON),
            holds no rows, or has no reply column: "0 replies scanned" would read as an all-clear.
    """
    result = ScanResult()
    rows: list[tuple[str, int | None, str, str | None, str | None]] = []
    columns: set[str] = set()
    for line, raw in read_rows(data, name=name, fmt=fmt):
        if isinstance(raw, RejectedRow):
            result.rejected.append(raw)
            continue
        try:
            flat = flatten(raw)
            columns.update(flat)
            reply = _text(_pick(flat, REPLY_FIELDS))
            post = _text(_pick(flat, FIELDS["text"]))
            row_id = _text(_pick(flat, FIELDS["external_id"])) or f"line-{line}"
            platform = _text(_pick(flat, FIELDS["platform"]))
        except InputError as exc:
            result.rejected.append(RejectedRow(line, str(exc)))
            continue
        if reply is None:
            if post is None:
                result.rejected.append(
                    RejectedRow(
                        line, "no reply and no review text (looked for: reply, response ...)"
                    )
                )
            else:
                result.unanswered.append((line, row_id))
            continue
        rows.append((row_id, line, reply, post, platform))
    _refuse_no_replies(result, columns)
    _lint_into(result, rows, practice, rewrite)
    return result


def _refuse_no_replies(result: ScanResult, columns: set[str]) -> None:
    """Refuse an export that cannot hold a reply to scan: empty, only a header, or rows without
    any reply column (a column named otherwise: every reply was read as missing).

    Raises:
        InputError: saying which, and the reply column names the scan reads.
    """
    if not (result.unanswered or result.rejected or columns):
        raise InputError("the file holds no reviews or replies (it is empty, or only a header)")
    if result.unanswered and not columns & set(REPLY_FIELDS):
        shown = ", ".join(sorted(columns)[:8]) + (" ..." if len(columns) > 8 else "")
        raise InputError(
            "no column holds the practice's replies, so nothing could be scanned; name it "
            f"reply, reply_text, response or owner_response (this file's columns: {shown})"
        )


def scan_replies(
    replies: Iterable[tuple[str, str, str | None, str | None]],
    *,
    practice: Practice | None = None,
    rewrite: bool = True,
) -> ScanResult:
    """Lint replies already at hand: ``(id, reply, post, platform)`` each (the inbox's)."""
    result = ScanResult()
    _lint_into(
        result,
        [(i, None, reply, post, platform) for i, reply, post, platform in replies],
        practice,
        rewrite,
    )
    return result


def _lint_into(
    result: ScanResult,
    rows: list[tuple[str, int | None, str, str | None, str | None]],
    practice: Practice | None,
    rewrite: bool,
) -> None:
    linter = default_linter()
    for row_id, line, reply, post, platform in rows:
        if len(reply) > MAX_REPLY_CHARS:
            result.rejected.append(
                RejectedRow(
                    line or 0,
                    f"the reply is {len(reply):,} characters long; the limit "
                    f"is {MAX_REPLY_CHARS:,}",
                )
            )
            continue
        post = post[:MAX_POST_CHARS] if post else None
        report = linter.check(reply, post=post, practice=practice)
        action = action_for(report)
        fixed = None
        if rewrite and action in ("delete", "edit"):
            from safereply.core.compose import fix

            fixed = fix(reply, post=post, practice=practice).reply
        result.items.append(
            ScanItem(
                id=row_id,
                line=line,
                reply=reply,
                post=post,
                platform=platform,
                report=report,
                risk=risk_of(report),
                action=action,
                rewrite=fixed,
            )
        )


class ScanService:
    """Scans for the web app and the API: an uploaded export, or every reply the inbox recorded.

    Managers only (a scan reads every reply of the practice); each scan is recorded in the audit
    log with its counts, never with text.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def _profile(self, actor: Actor, practice_id: int) -> Practice:
        with self.store.read() as session:
            require_role(session, actor, practice_id, "manager")
            return load_profile(session, practice_id)

    def _audit(self, actor: Actor, practice_id: int, what: str, result: ScanResult) -> None:
        with self.store.write() as session:
            record(
                session,
                actor,
                "replies.scanned",
                object_type="practice",
                object_id=practice_id,
                practice_id=practice_id,
                detail={"source": what, **result.counts()},
            )

    def scan_upload(
        self,
        actor: Actor,
        practice_id: int,
        data: bytes,
        *,
        name: str | None = None,
        fmt: str | None = None,
    ) -> ScanResult:
        """Scan an uploaded export of published replies with the practice's profile.

        Raises:
            NotFoundError, PermissionDenied: not a manager of the practice.
            InputError: the file as a whole cannot be read.
        """
        profile = self._profile(actor, practice_id)
        result = scan_export(data, name=name, fmt=fmt, practice=profile)
        self._audit(actor, practice_id, "upload", result)
        return result

    def scan_recorded(self, actor: Actor, practice_id: int) -> ScanResult:
        """Scan every reply the inbox recorded as published or marked replied for the practice."""
        profile = self._profile(actor, practice_id)
        with self.store.read() as session:
            rows = session.execute(
                select(Post.id, PublishedReply.text, Post.text, PublishedReply.platform)
                .join(PublishedReply, PublishedReply.post_id == Post.id)
                .where(Post.practice_id == practice_id)
                .order_by(Post.id)
            ).all()
        result = scan_replies(
            ((f"post-{pid}", reply, post, platform) for pid, reply, post, platform in rows),
            practice=profile,
        )
        self._audit(actor, practice_id, "inbox", result)
        return result


_ACTION_TEXT = {
    "delete": "Delete this reply now: it discloses the poster's identity or health. An edit "
    "keeps the old text in the platform's history.",
    "edit": "Replace this reply with the safe version below (or delete it).",
    "review": "Read it again: the wording may sound defensive, or the reply gives no way to call.",
    "none": "Nothing found.",
}

_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1b1b1b}
h1{font-size:1.5rem}table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left}
article{border:1px solid #bbb;border-radius:6px;padding:.8rem 1rem;margin:1rem 0}
.block{border-left:6px solid #b00020}.warn{border-left:6px solid #b35c00}
.pass{border-left:6px solid #2e7d32}
mark.error{background:#ffd7d7;text-decoration:underline wavy #b00020}
mark.warning{background:#fff0c2;text-decoration:underline dotted #b35c00}
.reply{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}
.post{color:#444;font-size:.9rem;white-space:pre-wrap}
.meta{font-size:.9rem;color:#444}
"""


def _highlight(reply: str, report: Report) -> str:
    """Return the reply as HTML with each finding's span marked.

    Overlapping spans are merged into one mark of the worst severity that names every code: an
    error starting inside a warning's span must not be left unmarked.
    """
    merged: list[tuple[int, int, str, list[str]]] = []
    for f in sorted(report.findings, key=lambda f: (f.start, f.end)):
        severity = str(f.severity)
        if merged and f.start < merged[-1][1]:
            start, end, worst, codes = merged[-1]
            worst = "error" if "error" in (worst, severity) else worst
            kept = codes if f.code in codes else [*codes, f.code]
            merged[-1] = (start, max(end, f.end), worst, kept)
        else:
            merged.append((f.start, f.end, severity, [f.code]))
    out = []
    pos = 0
    for start, end, severity, codes in merged:
        named = " ".join(codes)
        out.append(html.escape(reply[pos:start]))
        out.append(
            f'<mark class="{severity}" title="{named}">{html.escape(reply[start:end])}'
            f"<span class=visually-hidden> [{severity} {named}]</span></mark>"
        )
        pos = end
    out.append(html.escape(reply[pos:]))
    return "".join(out)


def render_html(result: ScanResult, *, title: str = "SafeReply scan of published replies") -> str:
    """Return one self-contained HTML page (no scripts, no outside resources)."""
    counts = result.counts()
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        '<meta name=viewport content="width=device-width,initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_STYLE}",
        ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
        "clip:rect(0 0 0 0)}",
        f"</style></head><body><main><h1>{html.escape(title)}</h1>",
        "<p>Automated PHI detection is a safety net, not a guarantee: a person should read every "
        "reply listed here, riskiest first.</p>",
        "<table><caption>Summary</caption><tbody>",
    ]
    labels = (
        ("replies", "replies scanned"),
        ("block", "must be deleted or edited"),
        ("warn", "to review"),
        ("pass", "nothing found"),
        ("unanswered", "reviews without a reply"),
        ("rejected", "rows that could not be read"),
    )
    for key, label in labels:
        parts.append(f"<tr><th scope=row>{label}</th><td>{counts[key]}</td></tr>")
    parts.append("</tbody></table>")
    if result.rejected:
        parts.append("<h2>Rows that could not be read</h2><ul>")
        parts.extend(f"<li>line {r.line}: {html.escape(r.reason)}</li>" for r in result.rejected)
        parts.append("</ul>")
    parts.append("<h2>Replies, riskiest first</h2>")
    for item in result.ranked():
        if item.action == "none":
            continue
        verdict = str(item.report.verdict)
        where = f"line {item.line}" if item.line is not None else "inbox"
        parts.append(
            f'<article class="{verdict}"><h3>{html.escape(item.id)}: risk {item.risk}, '
            f"{verdict}</h3><p class=meta>{where}"
            f"{' · ' + html.escape(item.platform) if item.platform else ''}</p>"
            f"<p><strong>What to do:</strong> {_ACTION_TEXT[item.action]}</p>"
        )
        if item.post:
            parts.append(f"<p class=post><strong>Review:</strong> {html.escape(item.post)}</p>")
        parts.append(f"<p class=reply>{_highlight(item.reply, item.report)}</p><ul>")
        for f in item.report.findings:
            parts.append(
                f"<li><strong>{f.code} {html.escape(f.name)}</strong> "
                f"({html.escape(str(f.category))}, {f.severity}): {html.escape(f.message)}</li>"
            )
        parts.append("</ul>")
        if item.rewrite:
            safe = html.escape(item.rewrite)
            parts.append(f"<p><strong>Safe version:</strong></p><p class=reply>{safe}</p>")
        parts.append("</article>")
    passed = sum(1 for i in result.items if i.action == "none")
    parts.append(f"<p>{passed} replies had nothing to report.</p></main></body></html>")
    return "".join(parts)
