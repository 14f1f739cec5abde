"""The audit log in plain words, for people: "Dana (manager) approved the reply to post #12
(Google, 2 stars)".

The log itself keeps its codes (``draft.approve``, ``post.dismiss`` ...) for machines: the CSV and
JSON exports are unchanged. This module only *renders* entries for the audit page. A sentence
names people by their display name and role in the practice, posts by number, platform and
stars, and never carries post or reply text (the log holds none to begin with).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from safereply.core.workflow import NOT_URGENT_REASONS
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.store.engine import Store
from safereply.store.models import MAX_ID, Post

__all__ = ["Person", "PostLabel", "action_label", "describe", "people_by_email", "post_labels"]

_VERDICTS = {"pass": "safe to send", "warn": "needs a look", "block": "blocked by the linter"}
_SOURCES = {
    "acknowledgement": "the pre-checked acknowledgement",
    "suggested": "the suggested reply",
    "manual": "their own words",
}
_DISMISS = {
    "spam": "spam",
    "duplicate": "a duplicate",
    "answered-elsewhere": "answered elsewhere",
    "no-reply-needed": "needing no reply",
    "not-about-us": "not about the practice",
    "removed-on-platform": "removed on its platform",
}
_SETTINGS = {
    "approval_policy": "the approval policy",
    "cooling_off_minutes": "the cooling-off time",
    "sla_minutes": "the reply time",
    "urgent_sla_minutes": "the urgent reply time",
    "notify_emails": "who is notified",
    "webhook_url": "the webhook address",
    "webhook_secret": "the webhook secret",
    "timezone": "the time zone",
    "self_approval": "self-approval for one-manager clinics",
}

#: Each action code in a few words, for the audit page's filter.
_ACTIONS = {
    "auth.login": "Signed in",
    "auth.logout": "Signed out",
    "draft.approve": "Reply approved",
    "draft.reject": "Reply sent back",
    "draft.save": "Reply saved",
    "draft.submit": "Reply sent for review",
    "improvement.create": "Improvement recorded",
    "improvement.delete": "Improvement removed",
    "invitation.cancel": "Invitation withdrawn",
    "invitation.decline": "Invitation declined",
    "location.create": "Location added",
    "post.dismiss": "Post closed without a reply",
    "post.escalate": "Post escalated",
    "post.overdue": "Post overdue",
    "post.receive": "Post taken in",
    "post.read": "Post opened",
    "post.not_urgent": "Marked not urgent",
    "post.mark_urgent": "Marked urgent",
    "post.edited_on_platform": "Post edited on its platform",
    "post.removed_on_platform": "Post removed on its platform",
    "post.replied_elsewhere": "Answered outside SafeReply",
    "reply.imported": "Closed as answered by an import",
    "reply.moderation": "Platform moderation",
    "reply.publish_refused": "Reply refused by the platform",
    "auth.login_failed": "Sign-in failed",
    "auth.sign_out_everywhere": "Signed out everywhere",
    "access.denied": "Access refused",
    "audit.export": "Audit log exported",
    "connection.connect": "Account connected",
    "connection.disconnect": "Account disconnected",
    "practice.security": "Sign-in rules changed",
    "post.reopen": "Post reopened",
    "practice.create": "Practice created",
    "practice.update": "Profile updated",
    "replies.scanned": "Published replies scanned",
    "reply.mark_replied": "Marked as replied",
    "reply.keep": "Published reply kept",
    "reply.publish": "Reply posted",
    "reply.revise": "Published reply being edited",
    "reply.schedule": "Reply scheduled",
    "reply.withdraw": "Published reply withdrawn",
    "settings.update": "Settings changed",
    "token.create": "API token created",
    "token.revoke": "API token revoked",
    "user.activate": "Account reactivated",
    "user.create": "Account opened",
    "user.deactivate": "Account deactivated",
    "user.invite": "Person invited",
    "user.join": "Joined the practice",
    "user.password": "Password changed",
    "user.role": "Role changed",
}


def action_label(code: str) -> str:
    """Return an action code in a few words ("Reply approved"); an unknown code as it is."""
    return _ACTIONS.get(code, code)


@dataclass(frozen=True, slots=True)
class Person:
    """Who an entry's actor is, for people: a name and the role in this practice."""

    name: str
    role: str | None = None

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


@dataclass(frozen=True, slots=True)
class PostLabel:
    """What identifies a post without its text: platform and star rating."""

    platform: str
    rating: float | None = None

    def __str__(self) -> str:
        platform = self.platform.capitalize() if self.platform else "unknown platform"
        if self.rating is None:
            return platform
        stars = f"{self.rating:g}"
        return f"{platform}, {stars} {'star' if stars == '1' else 'stars'}"


def people_by_email(members: Iterable[Mapping[str, Any]], practice_id: int) -> dict[str, Person]:
    """Return each member's display name and role, keyed by the e-mail the log records."""
    out: dict[str, Person] = {"system": Person("SafeReply")}
    for m in members:
        email = str(m.get("email") or "").lower()
        if not email:
            continue
        name = m.get("display_name") or email
        role = (m.get("roles") or {}).get(str(practice_id)) or m.get("role")
        out[email] = Person(str(name), role)
    return out


def post_labels(
    store: Store, actor: Actor, practice_id: int, ids: Iterable[Any]
) -> dict[str, PostLabel]:
    """Return the platform and stars of the practice's posts among ``ids`` (one query).

    Ids that are not numbers, out of range or of another practice are simply not in the answer.
    """
    wanted = sorted(
        {int(i) for i in ids if str(i).isascii() and str(i).isdigit() and 0 < int(i) <= MAX_ID}
    )
    if not wanted:
        return {}
    with store.read() as session:
        require_role(session, actor, practice_id, "manager")
        rows = session.execute(
            select(Post.id, Post.platform, Post.rating).where(
                Post.practice_id == practice_id, Post.id.in_(wanted)
            )
        )
        return {str(pid): PostLabel(platform, rating) for pid, platform, rating in rows}


def _post(entry: Mapping[str, Any], posts: Mapping[str, PostLabel]) -> str:
    oid = entry.get("object_id")
    label = posts.get(str(oid))
    return f"post #{oid} ({label})" if label else f"post #{oid}"


def _draft_save(d: Mapping[str, Any], post: str) -> str:
    source = _SOURCES.get(str(d.get("source")), "a reply")
    number = d.get("number")
    verdict = _VERDICTS.get(str(d.get("verdict")), "")
    what = f"version {number} of the reply to {post}" if number else f"a reply to {post}"
    text = f"saved {what}, {source}" if source != "a reply" else f"saved {what}"
    if d.get("composer") in ("llm", "llm-fixed"):
        text += " (drafted by the practice's language model)"
    return f"{text}: {verdict}" if verdict else text


@functools.cache
def _rule_names() -> dict[str, str]:
    """Each lint rule's code and its name in words ("TN004" -> "defensive tone"), so an
    approval over warnings says which findings the approver read and let stand."""
    from safereply.core.lint import default_rules

    return {rule.code: rule.name.replace("-", " ") for rule in default_rules()}


def _approve(d: Mapping[str, Any], post: str) -> str:
    text = f"approved the reply to {post}"
    notes = []
    if d.get("self_approved"):
        notes.append("their own, after the cooling-off hold")
    if d.get("warnings_acknowledged"):
        codes = [str(c) for c in d.get("codes") or ()]
        named = ", ".join(f"{c} {_rule_names().get(c, '')}".strip() for c in codes)
        notes.append(
            f"after reading its warnings: {named}" if named else "after reading its warnings"
        )
    return f"{text} ({'; '.join(notes)})" if notes else text


def _post_phrase(action: str, d: Mapping[str, Any], post: str) -> str | None:
    """Return the verb phrase of a post's workflow entry, or None for an unknown action."""
    if action == "draft.save":
        return _draft_save(d, post)
    if action == "draft.approve":
        return _approve(d, post)
    if action == "post.receive" and d.get("answered_by") == "import":
        return f"took in {post}, already answered on its platform (imported with its reply)"
    if action == "post.not_urgent":
        label = NOT_URGENT_REASONS.get(str(d.get("reason")), "")
        why = f": {label[:1].lower()}{label[1:]}" if label else ""
        return f"marked {post} not urgent{why}"
    if action == "post.dismiss":
        reason = _DISMISS.get(str(d.get("reason")))
        return f"closed {post} without a reply" + (f" as {reason}" if reason else "")
    if action in ("reply.publish", "reply.mark_replied") and d.get("edit"):
        how = "posted" if action == "reply.publish" else "recorded (edited by hand)"
        return f"{how} a new version of the published reply to {post}"
    if action == "reply.withdraw":
        reason = str(d.get("reason") or "").replace("-", " ")
        return f"withdrew the published reply to {post}" + (f" ({reason})" if reason else "")
    phrases = {
        "post.receive": f"took in {post}",
        "post.read": f"opened {post}",
        "reply.imported": f"closed {post} as answered, with the reply an import found on its "
        "platform (posted outside SafeReply)",
        "post.mark_urgent": f"marked {post} urgent",
        "post.edited_on_platform": f"noted that {post} was edited on its platform",
        "post.removed_on_platform": f"noted that {post} was removed on its platform",
        "post.replied_elsewhere": f"noted that {post} was answered outside SafeReply",
        "reply.moderation": f"noted the platform's moderation of the reply to {post}",
        "reply.publish_refused": f"noted that the platform refused the reply to {post}",
        "post.escalate": f"escalated {post} to the manager",
        "post.reopen": f"reopened {post}",
        "post.overdue": f"noted that {post} is overdue",
        "draft.submit": f"sent the reply to {post} for review",
        "draft.reject": f"sent the reply to {post} back for changes",
        "reply.schedule": f"scheduled the reply to {post}",
        "reply.publish": f"posted the reply to {post}",
        "reply.mark_replied": f"marked {post} as replied (posted by hand)",
        "reply.revise": f"started a new version of the published reply to {post}",
        "reply.keep": f"kept the published reply to {post} as it was",
    }
    return phrases.get(action)


def _settings(d: Mapping[str, Any]) -> str:
    changed = [_SETTINGS.get(str(k), str(k).replace("_", " ")) for k in d.get("changed") or []]
    return "changed the practice settings" + (f": {', '.join(changed)}" if changed else "")


def _other_phrase(action: str, entry: Mapping[str, Any]) -> str | None:
    """Return the verb phrase of an entry about people, settings and the practice."""
    d: Mapping[str, Any] = entry.get("detail") or {}
    oid = entry.get("object_id")
    if action == "settings.update":
        return _settings(d)
    if action == "user.role":
        to = d.get("to")
        return f"changed the role of user #{oid} to {to}" if to else f"removed user #{oid}"
    if action in ("improvement.create", "improvement.delete"):
        topic = str(d.get("topic") or "").replace("-", " ")
        verb = "recorded" if action.endswith("create") else "removed"
        return f"{verb} an improvement" + (f" about {topic}" if topic else "")
    if action == "replies.scanned":
        return "scanned the practice's published replies"
    phrases = {
        "practice.create": "created the practice",
        "practice.update": "updated the practice profile",
        "location.create": f"added location #{oid}",
        "user.create": f"opened the account of user #{oid}",
        "user.invite": f"invited a person as {d.get('role') or 'a member'}",
        "user.join": f"joined the practice as {d.get('to') or 'a member'}",
        "user.password": "changed their password",
        "user.activate": f"reactivated user #{oid}",
        "user.deactivate": f"deactivated user #{oid}",
        "invitation.cancel": f"withdrew invitation #{oid}",
        "invitation.decline": f"declined invitation #{oid}",
        "token.create": f"created an API token ({d.get('scope') or 'no'} scope)",
        "token.revoke": f"revoked API token #{oid}",
        "auth.login": "signed in",
        "auth.login_failed": "failed to sign in",
        "auth.sign_out_everywhere": f"signed user #{oid} out everywhere",
        "access.denied": "was refused access",
        "audit.export": "exported the audit log",
        "connection.connect": f"connected platform account #{oid}",
        "connection.disconnect": f"disconnected platform account #{oid}",
        "practice.security": "changed the practice's sign-in rules",
        "auth.logout": "signed out",
    }
    return phrases.get(action)


def describe(
    entry: Mapping[str, Any],
    *,
    people: Mapping[str, Person],
    posts: Mapping[str, PostLabel],
) -> str:
    """Return one audit entry as a sentence for people.

    Args:
        entry: an audit row (``audit_row``: actor, action, object_type, object_id, detail ...).
        people: display names and roles by e-mail (:func:`people_by_email`).
        posts: platform and stars by post id (:func:`post_labels`).
    """
    email = str(entry.get("actor") or "").lower()
    who = str(people.get(email) or email or "Someone")
    action = str(entry.get("action") or "")
    phrase = None
    if entry.get("object_type") == "post":
        phrase = _post_phrase(action, entry.get("detail") or {}, _post(entry, posts))
    if phrase is None:
        phrase = _other_phrase(action, entry)
    if phrase is None:  # an action this module does not know yet: say it in its own words
        thing = f"{entry.get('object_type') or 'item'} #{entry.get('object_id')}"
        phrase = f"did “{action.replace('.', ' ').replace('_', ' ')}” on {thing}"
    return f"{who} {phrase}."
