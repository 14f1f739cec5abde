"""The post workflow as one table: every state, and every move between states with who may make
it, from where, to where and under which checks.

This module is the only place the states and the moves are written down. The inbox service
enforces a move only through :func:`decide` (``services/workflow.py`` gathers the facts from the
database and applies the answer), the pages offer the moves the table allows, and
``scripts/render_workflow.py`` draws ``docs/workflow.md`` from :data:`TRANSITIONS` (a test fails
when the document drifts from the table).

Pure: no I/O, clock or database. The caller passes what it knows about the post, its current
reply and the actor as :class:`Facts`; :func:`decide` answers with the state the post moves to,
or raises the error a person should read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from safereply.errors import ConflictError, PermissionDenied, WorkflowError

__all__ = [
    "ANSWERED_STATES",
    "CALM_KINDS",
    "CHECKS",
    "CHECK_NOTES",
    "CLOSED_STATES",
    "DISMISS_REASONS",
    "EDITABLE_STATES",
    "NOT_URGENT_REASONS",
    "OPEN_STATES",
    "POST_STATES",
    "ROLES",
    "START",
    "TARGETS",
    "TRANSITIONS",
    "URGENT_KINDS",
    "WITHDRAW_REASONS",
    "Check",
    "Facts",
    "Transition",
    "decide",
    "rows",
    "transition_names",
]

#: Workflow states of a post (DESIGN.md §4), in workflow order.
POST_STATES = (
    "new",
    "drafted",
    "in_review",
    "approved",
    "scheduled",
    "published",
    "marked_replied",
    "dismissed",
    "escalated",
)
#: States in which a post still waits for an answer (it ages and can go overdue).
OPEN_STATES = ("new", "drafted", "in_review", "approved", "scheduled", "escalated")
#: States that end the workflow (``closed_at`` is set on entering one).
CLOSED_STATES = tuple(s for s in POST_STATES if s not in OPEN_STATES)
#: States in which a post got its answer.
ANSWERED_STATES = ("published", "marked_replied")
#: States in which the reply may still be edited (every open state).
EDITABLE_STATES = OPEN_STATES
#: Roles of a user in a practice, weakest first: staff drafts, manager approves, admin configures.
ROLES = ("staff", "manager", "admin")
_RANK = {role: rank for rank, role in enumerate(ROLES)}
#: Post kinds that are escalated on arrival and whose reply must give 911 / 988.
URGENT_KINDS = ("emergency", "crisis")
#: The kinds a manager may give a post they say is not urgent ("complaint" unless they choose:
#: the careful choice, since a complaint's reply waits out the cooling-off and needs approval).
CALM_KINDS = ("complaint", "question", "praise", "other")
#: Where an arriving post comes from in the table (Mermaid's start node).
START = "[*]"
#: Why a post is closed without a reply (``dismiss``; the code goes in the audit log).
#: ``removed-on-platform``: the post was deleted on its platform (a connector's sync says so).
DISMISS_REASONS = (
    "spam",
    "duplicate",
    "answered-elsewhere",
    "no-reply-needed",
    "not-about-us",
    "removed-on-platform",
)
#: Why a manager takes a published reply down (``withdraw_published``): codes for the audit
#: log, with the label a person reads. The post then waits for an answer again.
WITHDRAW_REASONS = {
    "privacy": "The reply says something private about the poster",
    "mistake": "The reply is wrong or answers the wrong post",
    "poster-asked": "The poster asked us to take it down",
    "platform-policy": "The platform or a legal request asked for it",
    "other": "Another reason",
}
#: Why a manager says an escalated post is not urgent (issue 15): codes for the audit log, with
#: the label a person reads. Anything else goes in the free-text note, which the audit log never
#: holds.
NOT_URGENT_REASONS = {
    "figure-of-speech": 'A figure of speech ("I\'m going to scream", "this bill is killing me")',
    "past-event": "About something in the past, not a danger now",
    "pain-management": "A complaint about pain management or treatment, not an emergency",
    "joke": "A joke or sarcasm",
    "not-the-poster": "Not about the poster's own present danger",
    "other": "Another reason (say which in the note)",
}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the caller knows when a move is asked for; every check reads only these.

    Attributes:
        state: the post's state now (:data:`START` for a post arriving).
        kind: the post's kind now (``emergency`` and ``crisis`` are urgent).
        role: the actor's role in the post's practice.
        triage_kind: the kind the triage gave on arrival (kept when a manager says a post is
            not urgent, so "mark urgent again" can restore it).
        has_draft: the post has at least one reply version.
        draft_is_current: the version the actor read is still the current one.
        verdict: the current version's stored lint verdict (``pass``, ``warn``, ``block``).
        relint_verdict: the verdict of linting it again just now (publishing only).
        gives_help_line: the current version tells the poster to call 911 / 988 where the
            post's kind requires it (always true for other kinds).
        warnings_acknowledged: the approver ticked "I have read the warnings".
        approval_required: the practice's policy requires a manager's approval for this post.
        own_draft: the actor wrote the current version.
        self_approval: the practice lets a manager approve their own reply after the hold.
        approved: the current version has an approval.
        now: the time of the request.
        hold_until: when the cooling-off hold ends (None: no hold applies).
        scheduled_for: when a scheduled reply may go out.
        schedule_at: the time a reply is being scheduled for.
        published_method: how the post's reply went out (``connector`` or ``manual``) while
            one is out, even while a new version of it is drafted; None when no reply is out.
        answered_on_arrival: the post arrives with the reply the practice already gave on its
            platform (a history import with the owner's replies): it is answered, not queued.
    """

    state: str
    kind: str
    role: str
    triage_kind: str | None = None
    has_draft: bool = False
    draft_is_current: bool = True
    verdict: str | None = None
    relint_verdict: str | None = None
    gives_help_line: bool = True
    warnings_acknowledged: bool = False
    approval_required: bool = False
    own_draft: bool = False
    self_approval: bool = False
    approved: bool = False
    now: dt.datetime | None = None
    hold_until: dt.datetime | None = None
    scheduled_for: dt.datetime | None = None
    schedule_at: dt.datetime | None = None
    published_method: str | None = None
    answered_on_arrival: bool = False

    @property
    def urgent_kind(self) -> bool:
        """True for an emergency or crisis post."""
        return self.kind in URGENT_KINDS

    @property
    def held(self) -> bool:
        """True while the cooling-off hold has not ended."""
        return self.hold_until is not None and self.now is not None and self.now < self.hold_until


def _iso(value: dt.datetime | None) -> str:
    """A time in the words a person reads in a refusal: "8 Dec 2026, 04:01 UTC" (the pages and
    the API give the exact time beside it)."""
    if value is None:
        return ""
    utc = value.astimezone(dt.UTC)
    return f"{utc.day} {utc:%b %Y, %H:%M} UTC"


def _help_message(doing: str) -> Callable[[Facts], str]:
    def message(f: Facts) -> str:
        number = "911" if f.kind == "emergency" else "988"
        how = "call or text 988" if number == "988" else f"call {number}"
        return (
            f"cannot {doing} this reply: a reply to a {f.kind} post must tell the poster to "
            f"{how}; use the safe {f.kind} reply or add it"
        )

    return message


@dataclass(frozen=True, slots=True)
class Check:
    """One condition a move needs: a name (as the docs show it), a test on :class:`Facts`, and
    the error a person reads when it fails (``workflow``, ``permission`` or ``conflict``)."""

    name: str
    test: Callable[[Facts], bool]
    message: Callable[[Facts], str]
    error: str = "workflow"


def _fixed(text: str) -> Callable[[Facts], str]:
    return lambda _f: text


def _not_blocked(f: Facts) -> bool:
    return f.verdict != "block" and f.relint_verdict != "block"


def _manager(f: Facts) -> bool:
    return _RANK.get(f.role, -1) >= _RANK["manager"]


_HAS_DRAFT = "has a reply"
_NOT_BLOCKED = "lint not block"
_HELP = "urgent reply gives 911/988"
_HOLD = "cooling-off over"

#: Every check, by the name the table and the docs use. A check whose wording differs by move
#: (the same rule said in the words of that move) appears once per wording, under one name.
CHECKS: dict[str, Check] = {
    "has-draft/review": Check(
        _HAS_DRAFT, lambda f: f.has_draft, _fixed("there is no reply to send for review yet")
    ),
    "has-draft/approve": Check(
        _HAS_DRAFT, lambda f: f.has_draft, _fixed("there is no reply to approve yet")
    ),
    "current-draft": Check(
        "draft read is current",
        lambda f: f.draft_is_current,
        _fixed("the reply was edited after you read it; read it again"),
        "conflict",
    ),
    "not-blocked/review": Check(
        _NOT_BLOCKED,
        _not_blocked,
        _fixed("the reply is blocked by the linter; fix it before review"),
    ),
    "not-blocked/approve": Check(
        _NOT_BLOCKED, _not_blocked, _fixed("a reply the linter blocks can never be approved")
    ),
    "not-blocked/schedule": Check(
        _NOT_BLOCKED, _not_blocked, _fixed("a reply the linter blocks can never be scheduled")
    ),
    "not-blocked/post": Check(
        _NOT_BLOCKED, _not_blocked, _fixed("a reply the linter blocks can never be posted")
    ),
    "help/review": Check(_HELP, lambda f: f.gives_help_line, _help_message("send for review")),
    "help/approve": Check(_HELP, lambda f: f.gives_help_line, _help_message("approve")),
    "help/schedule": Check(_HELP, lambda f: f.gives_help_line, _help_message("schedule")),
    "help/post": Check(_HELP, lambda f: f.gives_help_line, _help_message("post")),
    "warnings-acknowledged": Check(
        "warn acknowledged",
        lambda f: f.verdict != "warn" or f.warnings_acknowledged,
        _fixed("the reply has warnings: read them and approve with acknowledge_warnings"),
    ),
    "manager-approves": Check(
        "manager if approval required",
        lambda f: not f.approval_required or _manager(f),
        _fixed("approving this reply needs a manager"),
        "permission",
    ),
    "not-own-draft": Check(
        "not own version (unless self-approval)",
        lambda f: not (f.approval_required and f.own_draft and not f.self_approval),
        _fixed("you wrote this version; someone else must approve it"),
        "permission",
    ),
    "self-approval-after-hold": Check(
        "self-approval after cooling-off",
        lambda f: not (f.approval_required and f.own_draft and f.held),
        _fixed(
            "you wrote this version: you may approve it yourself when the cooling-off hold ends"
        ),
    ),
    "approval-present": Check(
        "approval present",
        lambda f: f.approved,
        _fixed("the current reply has not been approved"),
    ),
    "cooling-off/post": Check(
        _HOLD,
        lambda f: not f.held,
        lambda f: (
            f"cooling-off: this reply to a complaint may go out from {_iso(f.hold_until)} "
            "(a calm reply later beats a hasty one now); the pre-checked acknowledgement can go "
            "out at once"
        ),
    ),
    "cooling-off/schedule": Check(
        _HOLD,
        lambda f: f.hold_until is None or f.schedule_at is None or f.schedule_at >= f.hold_until,
        lambda f: f"cooling-off: schedule it for {_iso(f.hold_until)} or later",
    ),
    "schedule-reached": Check(
        "scheduled time reached",
        lambda f: (
            not (f.state == "scheduled" and f.scheduled_for and f.now and f.now < f.scheduled_for)
        ),
        lambda f: f"this reply is scheduled for {_iso(f.scheduled_for)}",
    ),
    "manager-if-urgent": Check(
        "manager if urgent",
        lambda f: not (f.state == "escalated" or f.urgent_kind) or _manager(f),
        lambda f: f"this needs the manager role in the practice; you are {f.role}",
        "permission",
    ),
    "is-urgent": Check(
        "urgent now",
        lambda f: f.urgent_kind,
        _fixed("this post is not marked urgent"),
    ),
    "reply-out": Check(
        "a reply is out",
        lambda f: f.published_method is not None,
        _fixed("this post has no published reply to change"),
    ),
    "no-reply-out": Check(
        "no reply out",
        lambda f: f.published_method is None,
        _fixed(
            "this post's reply is already out: withdraw it, or keep it as it is, instead of "
            "closing the post without a reply"
        ),
    ),
    "not-urgent-post": Check(
        "not urgent",
        lambda f: not f.urgent_kind,
        _fixed(
            "an emergency or crisis post is not closed by an import: a person must make sure its "
            "reply tells the poster to call 911 or 988"
        ),
    ),
    "was-urgent": Check(
        "triage said urgent",
        lambda f: f.triage_kind in URGENT_KINDS and not f.urgent_kind,
        _fixed("only a post the triage found urgent, then marked not urgent, can be marked again"),
    ),
}

#: What each check means, by the name the table shows (for the docs).
CHECK_NOTES: dict[str, str] = {
    _HAS_DRAFT: "the post has a reply version",
    "draft read is current": "the version the approver read is still the current one (else 409)",
    _NOT_BLOCKED: "the linter's verdict is not `block` (linted again just before posting)",
    _HELP: "a reply to an emergency tells the poster to call 911, to a crisis to call or text 988",
    "warn acknowledged": "a `warn` reply is approved only with the warnings acknowledged "
    "(recorded in the audit log)",
    "manager if approval required": "when the practice's policy requires approval "
    "(complaints by default), only a manager or admin approves",
    "not own version (unless self-approval)": "nobody approves their own version, unless the "
    "practice allows self-approval (one-manager clinics)",
    "self-approval after cooling-off": "a self-approval waits until the cooling-off hold ends",
    "approval present": "the current version has an approval",
    _HOLD: "a custom reply to a complaint waits out the cooling-off hold (the bland "
    "acknowledgement is exempt)",
    "scheduled time reached": "a scheduled reply waits for its time",
    "manager if urgent": "an escalated, emergency or crisis post is dismissed by a manager only",
    "urgent now": "the post is an emergency or crisis (an escalated post always may be)",
    "not urgent": "the post is not an emergency or crisis (escalated posts are never closed so)",
    "triage said urgent": "the triage found an emergency or crisis that a manager marked not "
    "urgent",
    "a reply is out": "the post's reply was published or marked replied (and not withdrawn); "
    "while a new version of it is drafted the old one stays out",
    "no reply out": "no reply of ours is out on the platform (a post being re-answered is "
    "withdrawn or kept, not dismissed)",
}

#: Targets decided by the facts: each names the states it can lead to and how it chooses.
TARGETS: dict[str, tuple[tuple[str, ...], Callable[[Facts], str]]] = {
    # An emergency, a crisis or a post someone escalated stays escalated until it is answered.
    "drafting": (
        ("escalated", "drafted"),
        lambda f: "escalated" if f.urgent_kind or f.state == "escalated" else "drafted",
    ),
    # A post whose reply is already out (imported history) arrives answered, never queued.
    "arrival": (
        ("marked_replied", "escalated", "new"),
        lambda f: (
            "marked_replied" if f.answered_on_arrival else "escalated" if f.urgent_kind else "new"
        ),
    ),
    "reopened": (("escalated", "new"), lambda f: "escalated" if f.urgent_kind else "new"),
    # Not urgent: back in the normal queue, with its reply (if any) to be drafted again.
    "calmed": (("drafted", "new"), lambda f: "drafted" if f.has_draft else "new"),
    # A new version of a published reply is given up: the post is answered as it was.
    "kept": (
        ("published", "marked_replied"),
        lambda f: "published" if f.published_method == "connector" else "marked_replied",
    ),
}


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table.

    Attributes:
        name: the move, as the service method and the API route call it.
        action: the audit log's action for it.
        role: the weakest role that may make it.
        sources: the states it starts from.
        target: the state it leads to, or a key of :data:`TARGETS`.
        checks: keys of :data:`CHECKS`, tested in this order.
        verb: how the refusal names it ("cannot {verb} a post that is {state}").
        doc: one line for the docs.
    """

    name: str
    action: str
    role: str
    sources: tuple[str, ...]
    target: str
    checks: tuple[str, ...]
    verb: str
    doc: str

    def targets(self) -> tuple[str, ...]:
        """Return every state this move can lead to."""
        return TARGETS[self.target][0] if self.target in TARGETS else (self.target,)


_READY = (
    "approval-present",
    "not-blocked/post",
    "help/post",
    "cooling-off/post",
    "schedule-reached",
)
_APPROVE = (
    "has-draft/approve",
    "current-draft",
    "not-blocked/approve",
    "help/approve",
    "warnings-acknowledged",
    "manager-approves",
    "not-own-draft",
    "self-approval-after-hold",
)
_ACTIVE = ("new", "drafted", "in_review", "approved", "scheduled")

#: The workflow. Several rows may share a name when the target depends on the source state.
TRANSITIONS: tuple[Transition, ...] = (
    Transition("receive", "post.receive", "staff", (START,), "arrival", (), "receive",
               "A post arrives, triaged; emergency and crisis posts are escalated; one imported "
               "with the practice's reply arrives answered"),
    Transition("save_draft", "draft.save", "staff", ("new", "drafted", "escalated"), "drafting",
               (), "edit the reply to", "Save a reply version (linted again)"),
    Transition("save_draft", "draft.save", "staff", ("in_review", "approved", "scheduled"),
               "in_review", (), "edit the reply to", "Any edit goes back to review"),
    Transition("submit", "draft.submit", "staff", ("drafted", "escalated"), "in_review",
               ("has-draft/review", "not-blocked/review", "help/review"), "submit",
               "Send the current version to review"),
    Transition("approve", "draft.approve", "staff", ("drafted", "in_review", "escalated"),
               "approved", _APPROVE, "approve", "Approve the current version"),
    Transition("reject", "draft.reject", "manager", ("in_review", "approved", "scheduled"),
               "drafting", (), "send back", "Send the reply back for changes"),
    Transition("schedule", "reply.schedule", "staff", ("approved", "scheduled"), "scheduled",
               ("not-blocked/schedule", "help/schedule", "cooling-off/schedule"), "schedule",
               "Hold an approved reply until a time"),
    Transition("mark_replied", "reply.mark_replied", "staff", ("approved", "scheduled"),
               "marked_replied", _READY, "mark replied",
               "Manual path: the approved reply was pasted on the platform"),
    Transition("publish", "reply.publish", "staff", ("approved", "scheduled"), "published",
               _READY, "publish", "A connector posts the approved reply"),
    Transition("close_answered", "reply.imported", "manager", _ACTIVE, "marked_replied",
               ("not-urgent-post", "no-reply-out"), "close as answered",
               "Re-import with --close-answered: the file shows the post answered on its "
               "platform; that reply is recorded and the post closed as replied"),
    Transition("dismiss", "post.dismiss", "staff", OPEN_STATES, "dismissed",
               ("manager-if-urgent", "no-reply-out"), "dismiss",
               "Close without a reply, for a reason"),
    Transition("escalate", "post.escalate", "staff", _ACTIVE, "escalated", (), "escalate",
               "Escalate by hand: urgent, staff notified"),
    Transition("reopen", "post.reopen", "manager", ("dismissed",), "reopened", (), "reopen",
               "Bring a dismissed post back"),
    Transition("not_urgent", "post.not_urgent", "manager", ("escalated",), "calmed",
               (), "mark not urgent",
               "Not urgent, for a reason: normal queue and normal template"),
    Transition("not_urgent", "post.not_urgent", "manager", ("in_review", "approved", "scheduled"),
               "drafted", ("is-urgent",), "mark not urgent",
               "Not urgent while its reply is reviewed: the reply is drafted again"),
    Transition("mark_urgent", "post.mark_urgent", "staff", _ACTIVE, "escalated",
               ("was-urgent",), "mark urgent again",
               "Undo 'not urgent': the triage's emergency or crisis again"),
    # Issue 14: a published reply is changed or taken down through the same workflow. A new
    # version is drafted, reviewed, held and approved as a first reply, then `publish` edits the
    # platform's reply (or `mark_replied` records an edit made by hand); the old reply stays
    # out until then.
    Transition("revise_published", "reply.revise", "manager", ANSWERED_STATES, "drafting",
               ("reply-out",), "edit the published reply of",
               "Start a new version of a published reply (linted, reviewed, held, approved)"),
    Transition("keep_published", "reply.keep", "staff", OPEN_STATES, "kept", ("reply-out",),
               "keep the published reply of",
               "Give up the new version: the reply that is out stays as it is"),
    Transition("withdraw_published", "reply.withdraw", "manager", (*ANSWERED_STATES, *OPEN_STATES),
               "drafting", ("reply-out",), "withdraw the reply of",
               "Delete the reply on the platform (or record it deleted by hand), for a reason; "
               "the post waits for an answer again"),
)  # fmt: skip


def transition_names() -> tuple[str, ...]:
    """Return each move's name once, in table order."""
    return tuple(dict.fromkeys(t.name for t in TRANSITIONS))


def rows(name: str) -> tuple[Transition, ...]:
    """Return the table's rows for a move.

    Raises:
        KeyError: no move has that name.
    """
    found = tuple(t for t in TRANSITIONS if t.name == name)
    if not found:
        raise KeyError(f"no workflow move named {name!r}")
    return found


def _refuse(check: Check, facts: Facts) -> Exception:
    message = check.message(facts)
    if check.error == "permission":
        return PermissionDenied(message)
    if check.error == "conflict":
        return ConflictError(message)
    return WorkflowError(message)


def decide(name: str, facts: Facts, *, verb: str | None = None) -> tuple[Transition, str]:
    """Return the row that applies and the state the post moves to, or raise why not.

    The order is the one people meet: the role first, then the state, then each check in the
    table's order. ``verb`` words the state refusal for a caller that only asks whether the
    move could be made now (the manual path's kit: "cannot post the reply to ...").

    Raises:
        PermissionDenied: the role is too weak, or a check about who may act failed.
        WorkflowError: the move does not start from the post's state, or a check failed.
        ConflictError: the reply changed since the actor read it.
    """
    candidates = rows(name)
    role = candidates[0].role
    if _RANK.get(facts.role, -1) < _RANK[role]:
        raise PermissionDenied(f"this needs the {role} role in the practice; you are {facts.role}")
    row = next((t for t in candidates if facts.state in t.sources), None)
    if row is None:
        state = facts.state.replace("_", " ")
        raise WorkflowError(f"cannot {verb or candidates[0].verb} a post that is {state}")
    for key in row.checks:
        if not CHECKS[key].test(facts):
            raise _refuse(CHECKS[key], facts)
    target = TARGETS[row.target][1](facts) if row.target in TARGETS else row.target
    return row, target
