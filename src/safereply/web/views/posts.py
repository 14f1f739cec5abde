"""The post page: the post and its triage, the reply editor, review and the manual posting path.

The editor is a plain labelled ``<textarea>`` inside a form that saves a draft, so it works with
no script at all: the server lints the saved draft and underlines each finding in place. With
script, ``editor.js`` lints as the user types through ``POST /posts/{id}/check`` (the
``safereply check`` object, each finding with its one-click fix already applied to the whole
reply by ``safereply.core.compose.quick_fix``) and offers each fix in one click;
``POST /posts/{id}/fix`` rewrites the whole reply with ``safereply.fix``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from safereply.core.compose.urgent import directs_to_help
from safereply.core.workflow import (
    CALM_KINDS,
    NOT_URGENT_REASONS,
    WITHDRAW_REASONS,
    Facts,
    decide,
    rows,
)
from safereply.errors import InputError, SafeReplyError
from safereply.services.inbox import DISMISS_REASONS
from safereply.services.inbox_common import compose_kwargs
from safereply.web.deps import remember_read_post
from safereply.web.hooks import _connectors as connectors_of
from safereply.web.views.common import (
    FormDep,
    HtmlRoute,
    PageUser,
    PageUserDep,
    ServicesDep,
    clock_short,
    done_redirect,
    error_status,
    page,
    practice_context,
)

router = APIRouter(route_class=HtmlRoute, include_in_schema=False)
log = logging.getLogger("safereply.web.pages")

#: What a stranger reading the reply in public would learn, per finding category.
STRANGER_LEARNS = {
    "identifier": "who the reviewer is, or when they were seen",
    "health-detail": "a health, treatment or billing detail about the reviewer",
    "patient-relationship": "that the reviewer is (or is not) a patient here",
    "outside-contact": "that the practice contacts reviewers privately",
    "tone": "that the practice argues with or talks down to reviewers",
    "medical-advice": "clinical advice given in public, without an examination",
    "missing-contact-path": "no way to get this resolved: there is no invitation to call",
}
CATEGORY_LABELS = {
    "identifier": "Identifier",
    "health-detail": "Health detail",
    "patient-relationship": "Patient relationship",
    "outside-contact": "Outside contact",
    "tone": "Tone",
    "medical-advice": "Medical advice",
    "missing-contact-path": "No way to call",
}
DISMISS_LABELS = {
    "spam": "Spam",
    "duplicate": "Duplicate",
    "answered-elsewhere": "Answered elsewhere",
    "no-reply-needed": "No reply needed",
    "not-about-us": "Not about us",
    "removed-on-platform": "Removed on the platform",
}
_SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
#: The one-click button on an emergency or crisis post (it saves the urgent template).
URGENT_REPLY_LABELS = {
    "emergency": "Use the safe emergency reply (call 911)",
    "crisis": "Use the safe crisis reply (call or text 988)",
}
#: Why a saved reply was not sent for review (``?blocked=`` after the redirect; fixed texts).
UNSENT = {
    "1": "Saved, but not sent for review: the reply is blocked. Fix the underlined findings first.",
    "help": "Saved, but not sent for review: a reply to an emergency or crisis post must tell "
    "the poster to call 911 (emergency) or call or text 988 (crisis).",
}


@lru_cache(maxsize=1)
def rule_reasons() -> dict[str, dict[str, str]]:
    """Return each lint rule's summary and rationale by code (the "reason" beside a finding)."""
    from safereply.core.lint import default_linter

    return {
        rule.code: {"summary": rule.summary, "rationale": rule.rationale}
        for rule in default_linter().rules
    }


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def by_severity(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return findings most severe first ("Must fix" before "Check"), in reading order within."""
    return sorted(
        findings, key=lambda f: (SEVERITY_ORDER.get(str(f.get("severity")), 3), f.get("start", 0))
    )


def segments(text: str, findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split a reply into runs, each with the findings covering it (for underlining in place).

    Findings may overlap; a run takes the most severe covering finding's severity.
    """
    cuts = {0, len(text)}
    for f in findings:
        start, end = max(0, int(f["start"])), min(len(text), int(f["end"]))
        if start < end:
            cuts.update((start, end))
    points = sorted(cuts)
    runs = []
    for a, b in itertools.pairwise(points):
        covering = [
            n for n, f in enumerate(findings) if int(f["start"]) <= a and int(f["end"]) >= b
        ]
        severity = None
        if covering:
            severity = max(
                (findings[n]["severity"] for n in covering),
                key=lambda s: _SEVERITY_RANK.get(s, 0),
            )
        runs.append({"text": text[a:b], "findings": covering, "severity": severity})
    return runs


def stranger_reading(findings: list[dict[str, Any]]) -> list[str]:
    """Return what a stranger learns from a reply, one line per finding category."""
    seen: list[str] = []
    for f in findings:
        category = f.get("category")
        if category in STRANGER_LEARNS and STRANGER_LEARNS[category] not in seen:
            seen.append(STRANGER_LEARNS[category])
    return seen


def with_fixes(
    reply: str, findings: list[dict[str, Any]], *, post: str | None, practice: Any
) -> list[dict[str, Any]]:
    """Return the findings, each with its one-click ``fix`` (the whole fixed reply and a label)
    when there is one (``safereply.core.compose.quick_fix``)."""
    try:
        from safereply.core.compose import quick_fix
    except ImportError:  # the composer is optional at this layer: no fix buttons then
        return findings
    out = []
    for f in findings:
        fixed = quick_fix(reply, f, post=post, practice=practice)
        out.append({**f, "fix": fixed.to_dict()} if fixed is not None else dict(f))
    return out


def _suggestion(services: Any, user: PageUser, post: dict[str, Any]) -> dict[str, Any] | None:
    """Return the composer's suggested reply for the post, or None when it cannot propose one."""
    try:
        profile = services.practices.profile(user.actor, post["practice_id"])
        proposal = services.inbox.analysers.compose(
            post["text"],
            practice=profile,
            platform=post["platform"],
            rating=post["rating"],
            post_id=str(post["id"]),
            **compose_kwargs(post["kind"], post["topics"], post.get("triage")),
        )
    except (ImportError, AttributeError, SafeReplyError) as exc:
        # The composer is optional at this layer; the page still works without a suggestion.
        log.info("no suggested reply for post %s: %s", post["id"], type(exc).__name__)
        return None
    return proposal.to_dict(post["id"])


def starts(name: str) -> tuple[str, ...]:
    """Return the states the workflow table lets move ``name`` start from."""
    return tuple(s for t in rows(name) for s in t.sources)


def table_allows(name: str, post: Mapping[str, Any], role: str) -> bool:
    """Return True when the workflow table lets ``role`` make move ``name`` on the post as it
    stands (the checks that need only the post; the service checks everything again)."""
    triage = post.get("triage") or {}
    out = post.get("published") or {}
    facts = Facts(
        state=post["state"],
        kind=post["kind"],
        role=role,
        triage_kind=triage.get("kind"),
        published_method=out.get("method"),
    )
    try:
        decide(name, facts)
    except SafeReplyError:
        return False
    return True


def post_actions(post: Mapping[str, Any], role: str, user: PageUser) -> dict[str, bool]:
    """Return which workflow actions to offer (the service still checks each one)."""
    state = post["state"]
    manager = role in ("manager", "admin")
    current = post["drafts"][-1] if post["drafts"] else None
    own = current is not None and current["author_id"] == user.actor.user_id
    held = bool(post["cooling_off_until"])
    required = post["approval_required"]
    # One-manager clinics: a manager approves their own reply once the cooling-off hold ends.
    self_ok = manager and own and post.get("self_approval", False)
    may_approve = not required or (manager and (not own or (self_ok and not held)))
    manual = state in starts("mark_replied")
    ready = manual and not held
    # A reply to an emergency or crisis post must give 911 / 988 before it goes anywhere.
    sendable = current is not None and current["verdict"] != "block" and not post["help_missing"]
    reviewable = state in starts("approve")
    escalated = state == "escalated" or post["kind"] in ("emergency", "crisis")
    return {
        "edit": table_allows("save_draft", post, role),
        # A reply that needs no review (praise, under the default policy) is not sent for one;
        # an escalated post's reply still may be, for the manager to see.
        "submit": state in ("drafted", "escalated") and sendable and (required or escalated),
        # An escalated post's reply needs no review either ("approve it when it reads well"):
        # saving and approving at once is offered first, sending it to a manager beside it.
        "save_approve": not required,
        # Sending for review applies to a draft, not to a reply already in review or approved.
        "send_for_review": state in ("new", "drafted", "escalated") and (required or escalated),
        # The one-click safe reply replaces a draft; it is not offered once a reply is approved.
        "acknowledge": state in ("new", "escalated", "drafted", "in_review"),
        "approve": reviewable and sendable and may_approve,
        "approve_blocked_own": reviewable
        and current is not None
        and manager
        and own
        and required
        and not self_ok,
        "approve_after_hold": reviewable and sendable and self_ok and held and required,
        "reject": table_allows("reject", post, role),
        "manual": manual,
        # During the cooling-off hold nothing on the manual path is offered: no text to copy,
        # no link to the post, no "mark as replied".
        "copy_reply": ready,
        "mark_replied": ready,
        "dismiss": table_allows("dismiss", post, role),
        "escalate": table_allows("escalate", post, role),
        "reopen": table_allows("reopen", post, role),
        # Issue 15: a manager says an escalated post is not urgent; anyone may undo it.
        "not_urgent": table_allows("not_urgent", post, role),
        "mark_urgent": table_allows("mark_urgent", post, role),
        # Issue 14: change the reply that is out, give a new version up, or take it down.
        "revise": table_allows("revise_published", post, role),
        "keep_published": table_allows("keep_published", post, role),
        "withdraw": table_allows("withdraw_published", post, role),
    }


#: The choices the post page's forms offer (reasons, kinds), the same for every post.
_CHOICES: dict[str, Any] = {
    "dismiss_reasons": [(r, DISMISS_LABELS[r]) for r in DISMISS_REASONS],
    "not_urgent_reasons": list(NOT_URGENT_REASONS.items()),
    "withdraw_reasons": list(WITHDRAW_REASONS.items()),
    "calm_kinds": CALM_KINDS,
    "categories": CATEGORY_LABELS,
}


def _editor_text(
    typed: str | None, current: Mapping[str, Any] | None, suggestion: Mapping[str, Any] | None
) -> str:
    """Return what the editor holds: what was typed, else the current version, else the
    suggested reply (not saved yet)."""
    if typed is not None:
        return typed
    if current is not None:
        return str(current["text"])
    if suggestion and suggestion.get("reply"):
        return str(suggestion["reply"])
    return ""


def _editor_config(post: Mapping[str, Any], current: Mapping[str, Any] | None) -> dict[str, Any]:
    """Return what ``editor.js`` reads: where to check and fix, and the texts it explains."""
    return {
        "postId": post["id"],
        "practiceId": post["practice_id"],
        "post": post["text"],
        "reasons": rule_reasons(),
        "learns": STRANGER_LEARNS,
        "categories": CATEGORY_LABELS,
        "fixUrl": f"/posts/{post['id']}/fix",
        "checkUrl": f"/posts/{post['id']}/check",
        "savedText": current["text"] if current else None,
    }


def _findings(
    services: Any, user: PageUser, post: Mapping[str, Any], current: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """Return the current version's findings, most severe first, each with its one-click fix."""
    findings = list(current["report"].get("findings", [])) if current else []
    if not (findings and current):
        return findings
    profile = services.practices.profile(user.actor, post["practice_id"])
    return by_severity(with_fixes(current["text"], findings, post=post["text"], practice=profile))


def _hold_context(hold: str | None, zone: dt.tzinfo | None, now: dt.datetime) -> dict[str, Any]:
    """Return the cooling-off hold's end, on the practice's clock, and the seconds left."""
    return {
        "hold": hold,
        "hold_clock": clock_short(hold, zone, now) if hold else None,
        "hold_seconds": (
            max(0, int((dt.datetime.fromisoformat(hold) - now).total_seconds())) if hold else None
        ),
    }


def _post_page(
    request: Request,
    services: Any,
    user: PageUser,
    post_id: int,
    *,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    typed: str | None = None,
    status: int = 200,
) -> Response:
    post = services.inbox.get_post(user.actor, post_id)
    remember_read_post(request, post_id, post["practice_id"])
    ctx = practice_context(services, user, post["practice_id"])
    current = post["drafts"][-1] if post["drafts"] else None
    suggestion = _suggestion(services, user, post)
    findings = _findings(services, user, post, current)
    now = services.inbox.clock()
    hold = post["cooling_off_until"]
    blocked = request.query_params.get("blocked")
    if errors is None and blocked in UNSENT and current is not None:
        # Back from a "save and send" that saved but could not send (post/redirect/get).
        errors = {"text": UNSENT[blocked]}
    return page(
        request,
        "post.html",
        {
            **ctx,
            "title": f"Post {post['id']}",
            "nav": "inbox",
            "user": user,
            "post": post,
            "current": current,
            "suggestion": suggestion,
            "editor_text": _editor_text(typed, current, suggestion),
            "typed": typed is not None,
            "findings": findings,
            "runs": segments(current["text"], findings) if current else [],
            "stranger": stranger_reading(findings) if current else [],
            "actions": post_actions(post, ctx["role"], user),
            # After approval the editor is read-only until "Edit again" (?edit=1).
            "read_only": post["state"] in ("approved", "scheduled")
            and current is not None
            and typed is None
            and request.query_params.get("edit") != "1",
            **_CHOICES,
            "reasons": rule_reasons(),
            **_hold_context(hold, ctx["zone"], now),
            "urgent_label": URGENT_REPLY_LABELS.get(post["kind"]),
            "now": now,
            "editor_config": _editor_config(post, current),
            "error": error,
            "errors": errors or {},
            "json_twin": f"/posts/{post['id']}?format=json",
            # The new version of a published reply starts from the text that is out.
            "revise_text": typed if typed is not None else (post["published"] or {}).get("text"),
        },
        data={**post, "suggestion": suggestion},
        status=status,
    )


@router.get("/posts/{post_id}")
def post_page(request: Request, post_id: int, services: ServicesDep, user: PageUserDep) -> Response:
    """The post, its triage and the reply editor."""
    return _post_page(request, services, user, post_id)


def _version(form: Any) -> int | None:
    raw = str(form.get("expected_version") or "").strip()
    return int(raw) if raw.isdigit() else None


def _fail(
    request: Request,
    services: Any,
    user: PageUser,
    post_id: int,
    exc: SafeReplyError,
    *,
    typed: str | None = None,
    field: str | None = None,
) -> Response:
    """Show the post page again with the error, keeping what the user typed."""
    message = str(exc)
    if error_status(exc) == 409 and "changed" in message:
        message += " Your text is kept in the editor; check the latest version before saving."
    errors = {field: message} if field else None
    return _post_page(
        request,
        services,
        user,
        post_id,
        error=None if field else message,
        errors=errors,
        typed=typed,
        status=error_status(exc),
    )


@router.post("/posts/{post_id}/draft")
def save_draft(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Save the editor's text as a new draft version, and optionally send it to review."""
    text = str(form.get("text") or "")
    then = str(form.get("then") or "save")
    try:
        if not text.strip():
            raise InputError("Write a reply before saving it.")
        result = services.inbox.save_draft(
            user.actor, post_id, text, expected_version=_version(form)
        )
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc, typed=text, field="text")
    done = "saved"
    if then == "approve" and result["state"] in ("drafted", "escalated", "in_review"):
        # A reply that needs no review: approved at once when the linter passes it and it gives
        # 911 / 988 where it must; otherwise it is saved and the page says why.
        post = services.inbox.get_post(user.actor, post_id)
        draft: Mapping[str, Any] = result.get("draft") or {}
        if post["approval_required"] or draft.get("verdict") != "pass":
            return done_redirect(f"/posts/{post_id}", "saved")
        if post["help_missing"]:
            return done_redirect(f"/posts/{post_id}", "saved", blocked="help")
        try:
            services.inbox.approve(
                user.actor, post_id, draft_id=draft.get("id"), expected_version=post["version"]
            )
        except SafeReplyError as exc:
            return _fail(request, services, user, post_id, exc)
        return done_redirect(f"/posts/{post_id}", "approved")
    if then == "submit" and result["state"] in ("drafted", "escalated"):
        made: Mapping[str, Any] = result.get("draft") or {}
        verdict = made.get("verdict")
        if verdict == "block":
            # The draft is saved: redirect (post/redirect/get), so a refresh does not post again.
            return done_redirect(f"/posts/{post_id}", "saved", blocked="1")
        if not directs_to_help(
            result["draft"]["text"], services.inbox.get_post(user.actor, post_id)["kind"]
        ):
            # Saved, but a reply to an emergency or crisis post without 911 / 988 stays here.
            return done_redirect(f"/posts/{post_id}", "saved", blocked="help")
        try:
            services.inbox.submit(user.actor, post_id, expected_version=result["version"])
        except SafeReplyError as exc:
            return _fail(request, services, user, post_id, exc)
        done = "submitted"
    return done_redirect(f"/posts/{post_id}", done)


def _back(form: Any, post_id: int, done: str) -> Response:
    """Redirect after an action: to the approvals list when it was taken there, else the post."""
    practice = str(form.get("back_practice") or "")
    if form.get("back") == "approvals" and practice.isdigit():
        return done_redirect(f"/p/{int(practice)}/approvals", done)
    return done_redirect(f"/posts/{post_id}", done)


def _simple_action(name: str, done: str):
    def action(
        request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
    ) -> Response:
        try:
            getattr(services.inbox, name)(user.actor, post_id, expected_version=_version(form))
        except SafeReplyError as exc:
            return _fail(request, services, user, post_id, exc)
        return _back(form, post_id, done)

    action.__name__ = name
    action.__doc__ = f"Run the inbox's {name} action and come back to the post."
    return action


@router.post("/posts/{post_id}/acknowledge")
def acknowledge(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Put the one-click safe reply in the editor: the acknowledgement, or the urgent template."""
    try:
        kind = services.inbox.get_post(user.actor, post_id)["kind"]
        services.inbox.acknowledge(user.actor, post_id, expected_version=_version(form))
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    # The urgent template is not "the pre-checked acknowledgement": it is a suggestion to read.
    done = "suggested" if kind in URGENT_REPLY_LABELS else "acknowledged"
    return done_redirect(f"/posts/{post_id}", done)


for _path, _name, _done in (
    ("suggest", "suggest", "suggested"),
    ("submit", "submit", "submitted"),
    ("reject", "reject", "rejected"),
    ("escalate", "escalate", "escalated"),
    ("reopen", "reopen", "reopened"),
    ("mark-urgent", "mark_urgent", "marked-urgent"),
):
    router.add_api_route(
        f"/posts/{{post_id}}/{_path}", _simple_action(_name, _done), methods=["POST"]
    )


@router.post("/posts/{post_id}/approve")
def approve(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Approve the current draft (warnings need the acknowledgement box ticked)."""
    raw_draft = str(form.get("draft_id") or "")
    try:
        services.inbox.approve(
            user.actor,
            post_id,
            draft_id=int(raw_draft) if raw_draft.isdigit() else None,
            acknowledge_warnings=form.get("acknowledge_warnings") == "on",
            expected_version=_version(form),
        )
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    return _back(form, post_id, "approved")


@router.post("/posts/{post_id}/mark-replied")
def mark_replied(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Record that the approved reply was pasted on the platform."""
    url = str(form.get("url") or "").strip() or None
    if url and not url.startswith(("http://", "https://")):
        return _fail(
            request,
            services,
            user,
            post_id,
            InputError(
                "The reply's address must start with http:// or https:// (or leave it empty)."
            ),
            field="url",
        )
    try:
        services.inbox.mark_replied(user.actor, post_id, url=url, expected_version=_version(form))
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    return done_redirect(f"/posts/{post_id}", "replied")


@router.post("/posts/{post_id}/dismiss")
def dismiss(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Close the post without a reply, for a stated reason."""
    reason = str(form.get("reason") or "")
    if reason not in DISMISS_REASONS:
        return _fail(
            request,
            services,
            user,
            post_id,
            InputError("Choose why this post needs no reply."),
            field="reason",
        )
    try:
        services.inbox.dismiss(user.actor, post_id, reason=reason, expected_version=_version(form))
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    return done_redirect(f"/posts/{post_id}", "dismissed")


@router.post("/posts/{post_id}/not-urgent")
def not_urgent(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """A manager says the escalated post is not urgent, for a reason (issue 15)."""
    reason = str(form.get("urgency_reason") or "")
    kind = str(form.get("urgency_kind") or "complaint")
    note = str(form.get("urgency_note") or "")
    if reason not in NOT_URGENT_REASONS:
        problem = InputError("Choose why this post is not urgent.")
        return _fail(request, services, user, post_id, problem, field="urgency_reason")
    try:
        services.inbox.not_urgent(
            user.actor,
            post_id,
            reason=reason,
            note=note,
            kind=kind if kind in CALM_KINDS else "complaint",
            expected_version=_version(form),
        )
    except InputError as exc:  # a note that is missing or too long: kept in the form
        return _fail(request, services, user, post_id, exc, field="urgency_note")
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    return done_redirect(f"/posts/{post_id}", "not-urgent")


class CheckRequest(BaseModel):
    """The editor's text to check."""

    model_config = ConfigDict(extra="forbid")
    reply: str = Field(min_length=1, max_length=10_000)


@router.post("/posts/{post_id}/check")
def check_reply(
    body: CheckRequest, post_id: int, services: ServicesDep, user: PageUserDep
) -> Response:
    """Lint the editor's text against the post (JSON: the ``safereply check`` object), each
    finding with its one-click ``fix``: ``{"label", "reply", "start", "end"}``, the whole reply
    after the fix and the changed part, so the editor never pastes a fragment into a sentence."""
    post = services.inbox.get_post(user.actor, post_id)
    profile = services.practices.profile(user.actor, post["practice_id"])
    report = services.inbox.analysers.check(body.reply, post=post["text"], practice=profile)
    out = report.to_dict(post_id)
    out["findings"] = with_fixes(body.reply, out["findings"], post=post["text"], practice=profile)
    if post["help_line"] and not directs_to_help(body.reply, post["kind"]):
        # An emergency or crisis reply without 911 / 988 cannot be sent, whatever the linter
        # says: the editor must not call it "Safe to send".
        out["help_missing"] = post["help_line"]
    return JSONResponse(out)


class FixRequest(BaseModel):
    """The editor's text to rewrite."""

    model_config = ConfigDict(extra="forbid")
    reply: str = Field(min_length=1, max_length=10_000)


@router.post("/posts/{post_id}/fix")
def fix_reply(body: FixRequest, post_id: int, services: ServicesDep, user: PageUserDep) -> Response:
    """Rewrite the editor's text safely with ``safereply.fix`` (JSON: the CLI's fix object)."""
    post = services.inbox.get_post(user.actor, post_id)
    profile = services.practices.profile(user.actor, post["practice_id"])
    try:
        from safereply.core.compose import fix
    except ImportError:
        return JSONResponse(
            {
                "error": {
                    "status": 503,
                    "code": "unavailable",
                    "message": "the rewriter is not installed; apply the fixes one by one",
                }
            },
            status_code=503,
        )
    result = fix(body.reply, post=post["text"], practice=profile)
    return JSONResponse(result.to_dict(post_id))


# -- a published reply edited or taken down (issue 14) ---------------------------------------


@router.post("/posts/{post_id}/revise")
def revise_published(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Start a new version of the published reply (managers); the one that is out stays until
    the new one is approved and published."""
    text = str(form.get("text") or "")
    try:
        if not text.strip():
            raise InputError("Write the new version of the reply first.")
        services.inbox.revise_published(user.actor, post_id, text, expected_version=_version(form))
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc, typed=text, field="revise_text")
    return done_redirect(f"/posts/{post_id}", "revising")


@router.post("/posts/{post_id}/keep-published")
def keep_published(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Give up the new version: the published reply stays as it is."""
    try:
        services.inbox.keep_published(user.actor, post_id, expected_version=_version(form))
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    return done_redirect(f"/posts/{post_id}", "kept")


@router.post("/posts/{post_id}/withdraw")
def withdraw_published(
    request: Request, post_id: int, services: ServicesDep, user: PageUserDep, form: FormDep
) -> Response:
    """Take the published reply down, for a reason (managers): deleted on the platform through
    the post's connection, or (``by_hand``) recorded as deleted there by someone."""
    reason = str(form.get("withdraw_reason") or "")
    if reason not in WITHDRAW_REASONS:
        problem = InputError("Choose why the reply is taken down.")
        return _fail(request, services, user, post_id, problem, field="withdraw_reason")
    try:
        if form.get("by_hand") == "1":
            services.inbox.withdraw_published(
                user.actor, post_id, reason=reason, expected_version=_version(form)
            )
        else:
            connectors_of(request.app).publisher.withdraw(
                user.actor, post_id, reason=reason, expected_version=_version(form)
            )
    except SafeReplyError as exc:
        return _fail(request, services, user, post_id, exc)
    return done_redirect(f"/posts/{post_id}", "withdrawn")
