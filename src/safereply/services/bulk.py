"""Bulk replies to 5-star praise: many short thank-yous at once, each still its own reply.

A practice with dozens of unanswered 5-star reviews answers them in one sitting: a manager picks
the posts (or "all unanswered 5-star praise"), :func:`preview` drafts one reply per post with the
composer (seeded by the post, and re-seeded when a sentence is already used in the batch, so the
replies do not repeat one another), lints each, and leaves out, with the reason, any post that
is not 5-star praise waiting for its first reply and any draft that does not pass. The manager
reads the list; :func:`confirm` then records each post exactly as one at a time would be: a
saved draft version (linted again), an approval where the practice's policy lets this manager
give it, or a review request otherwise, each in the audit log. Only the inbox's public methods
are used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from safereply.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDenied,
    SafeReplyError,
    WorkflowError,
)
from safereply.services.actor import Actor
from safereply.services.inbox import normalise_text

__all__ = [
    "MAX_BATCH",
    "BulkDraft",
    "BulkPreview",
    "BulkResult",
    "Done",
    "LeftOut",
    "confirm",
    "preview",
    "unanswered_five_star",
]

#: At most this many posts in one batch: a person reads every reply before confirming.
MAX_BATCH = 50
#: How many wordings to try for a post before taking the one with the fewest repeated sentences.
_TRIES = 4
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


@dataclass(frozen=True, slots=True)
class BulkDraft:
    """One post's proposed reply, linted, as the manager reviews it."""

    post_id: int
    version: int
    author: str | None
    platform: str
    rating: float | None
    post_text: str
    reply: str
    composer: str


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A post left out of the batch, and why (in words for the manager)."""

    post_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Done:
    """A post recorded by :func:`confirm`: its new state (``approved`` or ``in_review``)."""

    post_id: int
    state: str
    note: str = ""


@dataclass(slots=True)
class BulkPreview:
    """The drafts to review and the posts left out."""

    drafts: list[BulkDraft] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the preview as JSON-ready data."""
        return {
            "drafts": [asdict(d) for d in self.drafts],
            "left_out": [asdict(x) for x in self.left_out],
        }


@dataclass(slots=True)
class BulkResult:
    """What :func:`confirm` recorded and what it left out."""

    done: list[Done] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready data."""
        return {
            "done": [asdict(d) for d in self.done],
            "left_out": [asdict(x) for x in self.left_out],
        }


def _ineligible(post: dict[str, Any]) -> str | None:
    """Return why a post cannot be answered in bulk, or None when it can."""
    if post.get("rating") != 5:
        return "not a 5-star review"
    if post.get("kind") != "praise":
        return f"triaged as {post.get('kind')}, not praise: answer it on its own page"
    if post.get("drafts"):
        return "it already has a draft: finish that one on its page"
    if post.get("state") != "new":
        return f"it is {str(post.get('state')).replace('_', ' ')}, not waiting for a first reply"
    return None


def unanswered_five_star(services: Any, actor: Actor, practice_id: int) -> list[int]:
    """Return the practice's 5-star praise posts still waiting for a first reply (up to
    :data:`MAX_BATCH`, soonest due first)."""
    services.inbox.require(actor, practice_id, "manager")
    found: list[int] = []
    cursor = None
    while len(found) < MAX_BATCH:
        page = services.inbox.list_posts(
            actor, practice_id, state="new", kind="praise", limit=100, cursor=cursor
        )
        found += [p["id"] for p in page["items"] if p.get("rating") == 5]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return found[:MAX_BATCH]


def _sentences(reply: str) -> set[str]:
    """Return a reply's sentences, lower-cased, without the sign-off line (which every reply of
    the practice shares by design)."""
    out: set[str] = set()
    for line in reply.splitlines():
        if line.strip().startswith(("—", "-", "–")):
            continue
        out.update(
            m.group(0).strip().lower() for m in _SENTENCE.finditer(line) if m.group(0).strip()
        )
    return out


def _lint_reason(report: Any) -> str | None:
    """Return why a linted reply is left out (anything but a pass), or None."""
    verdict = str(getattr(report, "verdict", ""))
    if verdict == "pass":
        return None
    data = report.to_dict(None) if hasattr(report, "to_dict") else {}
    codes = sorted({f.get("code", "") for f in data.get("findings", [])})
    label = {"warn": "needs a look", "block": "blocked"}.get(verdict, verdict)
    return f"the linter says the draft {label} ({', '.join(codes) or 'no code'})"


def _draft_for(
    services: Any, post: dict[str, Any], profile: Any, used: set[str]
) -> tuple[Any, str]:
    """Return a composer draft for the post whose sentences are new to the batch when possible
    (the fewest repeats among a few seeds), with the reason to leave it out ("" if it passes)."""
    best, repeats = None, 0
    for attempt in range(_TRIES):
        seed = str(post["id"]) if attempt == 0 else f"{post['id']}/{attempt}"
        proposal = services.inbox.analysers.compose(
            post["text"],
            practice=profile,
            platform=post["platform"],
            rating=post["rating"],
            post_id=seed,
        )
        if not proposal.reply:
            continue
        seen = len(_sentences(proposal.reply) & used)
        if best is None or seen < repeats:
            best, repeats = proposal, seen
        if seen == 0:
            break
    if best is None:
        return None, "the composer proposed no reply"
    report = services.inbox.analysers.check(best.reply, post=post["text"], practice=profile)
    return best, _lint_reason(report) or ""


def preview(services: Any, actor: Actor, practice_id: int, post_ids: Iterable[int]) -> BulkPreview:
    """Draft one varied, linted reply for each chosen 5-star praise post (nothing is saved).

    Raises:
        PermissionDenied: the actor is not a manager of the practice.
        InputError: no post was chosen, or more than :data:`MAX_BATCH`.
    """
    services.inbox.require(actor, practice_id, "manager")
    ids = list(dict.fromkeys(int(i) for i in post_ids))
    if not ids:
        raise InputError("choose at least one 5-star review to answer")
    if len(ids) > MAX_BATCH:
        raise InputError(f"answer at most {MAX_BATCH} reviews at once (you chose {len(ids)})")
    profile = services.practices.profile(actor, practice_id)
    out = BulkPreview()
    used: set[str] = set()
    for pid in ids:
        post = _load(services, actor, practice_id, pid, out.left_out)
        if post is None:
            continue
        proposal, reason = _draft_for(services, post, profile, used)
        if reason:
            out.left_out.append(LeftOut(pid, reason))
            continue
        used.update(_sentences(proposal.reply))
        out.drafts.append(
            BulkDraft(
                post_id=pid,
                version=post["version"],
                author=post.get("author"),
                platform=post["platform"],
                rating=post["rating"],
                post_text=post["text"],
                reply=proposal.reply,
                composer=str(getattr(proposal, "source", "template")),
            )
        )
    return out


def _load(
    services: Any, actor: Actor, practice_id: int, post_id: int, left_out: list[LeftOut]
) -> dict[str, Any] | None:
    """Return the post when it can be answered in bulk; otherwise note why in ``left_out``."""
    try:
        post = services.inbox.get_post(actor, post_id)
    except (NotFoundError, PermissionDenied):
        post = None
    if post is None or post["practice_id"] != practice_id:
        left_out.append(LeftOut(post_id, "no such post in this practice"))
        return None
    reason = _ineligible(post)
    if reason:
        left_out.append(LeftOut(post_id, reason))
        return None
    return post


def confirm(
    services: Any,
    actor: Actor,
    practice_id: int,
    items: Sequence[tuple[int, int, str, str]],
) -> BulkResult:
    """Record each reviewed reply as the workflow does one at a time.

    Args:
        items: ``(post_id, expected_version, reply, composer)`` for each reply the manager read.

    Each reply is linted again (one that does not pass is left out, unsaved), saved as a new
    draft version, then approved when the practice's policy lets this manager approve it, or
    sent for review otherwise. A post changed since the preview is left out with the reason.
    """
    services.inbox.require(actor, practice_id, "manager")
    if not items:
        raise InputError("there is nothing to confirm")
    if len(items) > MAX_BATCH:
        raise InputError(f"answer at most {MAX_BATCH} reviews at once")
    profile = services.practices.profile(actor, practice_id)
    out = BulkResult()
    for post_id, version, raw, composer in items:
        # As stored (a browser sends CRLF line endings): the linter reads what will be saved.
        reply = normalise_text(raw) if isinstance(raw, str) else ""
        if not reply:
            out.left_out.append(LeftOut(post_id, "the reply is empty"))
            continue
        post = _load(services, actor, practice_id, post_id, out.left_out)
        if post is None:
            continue
        if post["version"] != version:
            out.left_out.append(LeftOut(post_id, "it changed since you read the list"))
            continue
        report = services.inbox.analysers.check(reply, post=post["text"], practice=profile)
        reason = _lint_reason(report)
        if reason:
            out.left_out.append(LeftOut(post_id, reason))
            continue
        try:
            out.done.append(_record(services, actor, post_id, version, reply, composer))
        except (ConflictError, InputError) as exc:
            out.left_out.append(LeftOut(post_id, str(exc)))
    return out


def _record(
    services: Any, actor: Actor, post_id: int, version: int, reply: str, composer: str
) -> Done:
    """Save one reply and approve it (or send it for review when approval is not ours)."""
    saved = services.inbox.save_draft(
        actor,
        post_id,
        reply,
        expected_version=version,
        source="suggested",
        composer=composer or "template",
    )
    try:
        services.inbox.approve(
            actor, post_id, draft_id=saved["draft"]["id"], expected_version=saved["version"]
        )
    except (PermissionDenied, WorkflowError) as exc:
        try:
            services.inbox.submit(actor, post_id, expected_version=saved["version"])
        except SafeReplyError:
            return Done(post_id, saved["state"], f"saved, not approved: {exc}")
        return Done(post_id, "in_review", f"waits for another manager: {exc}")
    return Done(post_id, "approved")
