"""The workflow's moves on stored posts: drafting, review, approval, publishing, dismissal,
escalation, "not urgent", and the SLA sweep.

Every move goes through :meth:`Workflow.apply`: it gathers the :class:`Facts` the table's checks
read, asks ``core.workflow.decide`` whether the move may be made and where it leads, writes the
audit entry and sets the state. Nothing else here changes ``Post.state``. The rules this enforces
(see ``docs/workflow.md``, drawn from the table):

* a reply whose lint verdict is ``block`` is never approved, scheduled or posted; ``warn`` needs an
  explicit acknowledgement, recorded in the audit log;
* any edit is a new draft version, linted again, and sends an approved reply back to review;
* when the practice's policy requires approval, nobody approves their own draft, except a
  manager of a practice with the ``self_approval`` setting, and only once the cooling-off hold
  has ended (the audit entry says ``self_approved``);
* a custom reply to a complaint waits out the cooling-off hold after it was first drafted; the
  pre-checked bland acknowledgement is exempt while unchanged (decided on normalised text);
* an emergency or crisis post stays escalated while its reply is drafted, its one-click reply is
  the urgent template, and a reply that does not give 911 / 988 is never sent to review,
  approved, scheduled or posted; a manager may say it is not urgent (with a reason), which
  returns it to the normal queue and template, and anyone may mark it urgent again;
* every change checks the post's version: two people acting at once never both succeed, and the
  reply table holds at most one reply per post;
* a published reply is changed through the same moves (issue 14): a manager starts a new version
  (``revise_published``), which is linted, reviewed, held by the cooling-off (counted from the new
  version's first draft) and approved like a first reply; ``publish`` then edits the platform's
  reply (``mark_replied`` records an edit made by hand), and the reply row takes the new text
  only then. ``withdraw_published`` takes the reply down (on the platform through a connector,
  or recorded as done by hand) for a reason, and the post waits for an answer again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from safereply.core.compose.urgent import directs_to_help
from safereply.core.practice import Practice as Profile
from safereply.core.workflow import (
    CALM_KINDS,
    CLOSED_STATES,
    NOT_URGENT_REASONS,
    OPEN_STATES,
    URGENT_KINDS,
    WITHDRAW_REASONS,
    Facts,
    decide,
    rows,
)
from safereply.errors import ConflictError, InputError, WorkflowError
from safereply.services.actor import SYSTEM, Actor
from safereply.services.arrival import IMPORTED
from safereply.services.audit import record
from safereply.services.inbox_common import (
    DISMISS_REASONS,
    MAX_REPLY_CHARS,
    InboxContext,
    Publisher,
    approval_required,
    compose_kwargs,
    cooling_off_until,
    drafts_of,
    load_post,
    normalise_text,
)
from safereply.services.inbox_types import ActionOutcome, PublishKitView
from safereply.services.notify import enqueue
from safereply.services.practices import load_profile
from safereply.services.queries import draft_dict, hold_drafts
from safereply.store.models import (
    Approval,
    Draft,
    Post,
    PracticeSettings,
    PublishedReply,
    UrgencyReview,
)
from safereply.store.rows import get_row

__all__ = ["Change", "ReplyEditor", "ReplyRemover", "Workflow", "reply_out"]

#: One move's work inside its transaction: ``(session, post, conf, now, role)``.
Change = Callable[[Session, Post, PracticeSettings, dt.datetime, str], Any]


class ReplyEditor(Protocol):
    """A publisher that can also change a reply it published (the connectors' ``ExactlyOnce``)."""

    def edit_reply(
        self, *, platform: str, external_id: str, url: str | None, old_text: str, text: str
    ) -> str | None:
        """Make the post's reply on the platform read ``text`` (it read ``old_text``), once;
        return its address, or None when there is no link to it."""


class ReplyRemover(Protocol):
    """Takes our reply off the platform (the connectors' ``ExactlyOnce``)."""

    def remove_reply(
        self, *, platform: str, external_id: str, url: str | None, texts: Sequence[str]
    ) -> None:
        """Delete our reply reading one of ``texts``; one already gone counts as deleted."""


def _codes(draft: Draft) -> list[str]:
    return sorted({f["code"] for f in draft.report.get("findings", [])})


def _clean_reply(text: str) -> str:
    """Return a reply's text as it is stored.

    Raises:
        InputError: the text is empty or longer than the limit.
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("the reply is empty")
    text = normalise_text(text)
    if len(text) > MAX_REPLY_CHARS:
        raise InputError(f"the reply is {len(text):,} characters; the limit is {MAX_REPLY_CHARS:,}")
    return text


def reply_out(session: Session, post_id: int) -> PublishedReply | None:
    """Return the reply of ours that is out on the post's platform, if any."""
    return session.scalar(select(PublishedReply).where(PublishedReply.post_id == post_id))


def _required_out(session: Session, post_id: int) -> PublishedReply:
    """Return the reply that is out once the table's "a reply is out" passed.

    Raises:
        WorkflowError: there is none (only if the table stopped requiring one).
    """
    out = reply_out(session, post_id)
    if out is None:
        raise WorkflowError(f"post {post_id} has no published reply")
    return out


class Workflow:
    """The moves of the workflow table, applied to stored posts."""

    def __init__(self, ctx: InboxContext) -> None:
        self.ctx = ctx

    # -- the one way a state changes --------------------------------------------------------

    @staticmethod
    def facts(
        session: Session,
        post: Post,
        conf: PracticeSettings,
        role: str,
        now: dt.datetime,
        actor: Actor,
        **extra: Any,
    ) -> Facts:
        """Return what the table's checks read about a post, its current reply and the actor."""
        drafts = extra.pop("drafts", None)
        if drafts is None:
            drafts = drafts_of(session, post.id)
        current = drafts[-1] if drafts else None
        out = reply_out(session, post.id)
        return Facts(
            state=post.state,
            kind=post.kind,
            role=role,
            has_draft=current is not None,
            verdict=current.verdict if current else None,
            gives_help_line=current is None or directs_to_help(current.text, post.kind),
            approval_required=approval_required(post, conf),
            own_draft=current is not None
            and current.author_id is not None
            and current.author_id == actor.user_id,
            self_approval=bool(conf.self_approval),
            now=now,
            hold_until=cooling_off_until(post, hold_drafts(drafts, out), conf),
            scheduled_for=post.scheduled_for,
            published_method=out.method if out else None,
            **extra,
        )

    def apply(
        self,
        session: Session,
        actor: Actor,
        post: Post,
        name: str,
        facts: Facts,
        now: dt.datetime,
        detail: dict[str, Any] | None = None,
    ) -> str:
        """Make the move ``name`` if the table allows it: audit entry, then the new state.

        Raises:
            PermissionDenied, WorkflowError, ConflictError: the table's refusal.
        """
        row, to_state = decide(name, facts)
        record(
            session,
            actor,
            row.action,
            object_type="post",
            object_id=post.id,
            practice_id=post.practice_id,
            from_state=post.state,
            to_state=to_state,
            detail=detail,
            at=now,
        )
        post.state = to_state
        return to_state

    def mutate(
        self, actor: Actor, post_id: int, name: str, expected_version: int | None, change: Change
    ) -> Any:
        """Run one move's change on a post in its own transaction, with the version check.

        The post is loaded with the move's role from the table, so a too-weak role is refused
        before anything else (as the role check always came first).
        """
        return self._mutate(actor, post_id, name, expected_version, change)[0]

    def move(
        self, actor: Actor, post_id: int, name: str, expected_version: int | None, change: Change
    ) -> ActionOutcome:
        """Run one move (:meth:`mutate`); return the post's id, and its state and version as the
        move committed them (the API's ``ActionResult``)."""
        return self._mutate(actor, post_id, name, expected_version, change)[1]

    def _mutate(
        self, actor: Actor, post_id: int, name: str, expected_version: int | None, change: Change
    ) -> tuple[Any, ActionOutcome]:
        """:meth:`mutate`, also returning the post's state and version after the commit.

        They are read from the post the move changed: the session keeps it after the commit
        (``expire_on_commit=False``) and the commit's flush bumped its version, so they are the
        committed row's, without a second transaction to read the post again (session 10: that
        read was about a fifth of a move's web CPU).
        """
        try:
            with self.ctx.store.write() as session:
                post, role = load_post(session, actor, post_id, rows(name)[0].role)
                if expected_version is not None and post.version != expected_version:
                    raise ConflictError(
                        f"post {post_id} changed since you loaded it (version {expected_version}, "
                        f"now {post.version}); reload it and try again"
                    )
                conf = get_row(session, PracticeSettings, post.practice_id)
                now = self.ctx.clock()
                before = post.state
                result = change(session, post, conf, now, role)
                post.updated_at = now
                if post.state != before and post.state in CLOSED_STATES:
                    post.closed_at = now
                session.flush()
        except (StaleDataError, IntegrityError):
            raise ConflictError(
                f"post {post_id} was changed by someone else at the same time; reload it"
            ) from None
        return result, {"post_id": post_id, "state": post.state, "version": post.version}

    def dispatch(self) -> None:
        """Send queued notifications now (when a notifier is configured)."""
        if self.ctx.notifier is not None:
            self.ctx.notifier.dispatch()

    # -- drafting -----------------------------------------------------------------------------

    def save_draft(
        self,
        actor: Actor,
        post_id: int,
        text: str,
        *,
        expected_version: int | None = None,
        source: str = "manual",
        composer: str | None = None,
    ) -> ActionOutcome:
        """Save a new draft version: lint it, and send an approved reply back to review."""
        text = _clean_reply(text)

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> Draft:
            facts = self.facts(session, post, conf, role, now, actor)
            decide("save_draft", facts)  # refused before the draft is linted and written
            draft = self._new_draft(session, actor, post, text, source, now)
            detail = {
                "draft": draft.id,
                "number": draft.number,
                "source": draft.source,
                "verdict": draft.verdict,
                "codes": _codes(draft),
            }
            if composer:  # who wrote a suggestion: "template", "llm", "llm-fixed" ...
                detail["composer"] = composer
            self.apply(session, actor, post, "save_draft", facts, now, detail)
            post.scheduled_for = None
            return draft

        draft, out = self._mutate(actor, post_id, "save_draft", expected_version, change)
        out["draft"] = draft_dict(draft)
        return out

    def _new_draft(
        self, session: Session, actor: Actor, post: Post, text: str, source: str, now: dt.datetime
    ) -> Draft:
        """Lint ``text`` against the post and store it as the next version."""
        profile = load_profile(session, post.practice_id)
        kind = source
        if source == "manual" and self._is_acknowledgement(session, post, profile, text):
            kind = "acknowledgement"  # the same text, saved from the editor: still exempt
        report = self.ctx.analysers.check(text, post=post.text, practice=profile)
        number = _next_draft_number(session, post.id)
        draft = Draft(
            post_id=post.id,
            number=number,
            text=text,
            source=kind,
            verdict=str(report.verdict),
            report=report.to_dict(number),
            author_id=actor.user_id,
            created_at=now,
        )
        session.add(draft)
        session.flush()
        return draft

    def bland_reply(self, profile: Profile, post: Post) -> str:
        """Return the one-click safe reply for a post: the urgent template for an emergency or
        crisis, the pre-checked acknowledgement otherwise."""
        if post.kind in URGENT_KINDS:
            return self.ctx.analysers.urgent_reply(
                post.kind, profile, platform=post.platform, post=post.text
            )
        return self.ctx.analysers.acknowledgement(profile, platform=post.platform, post=post.text)

    def _is_acknowledgement(
        self, session: Session, post: Post, profile: Profile, text: str
    ) -> bool:
        """Return True when normalised ``text`` is the post's one-click safe reply."""
        earlier = session.scalars(
            select(Draft.text).where(Draft.post_id == post.id, Draft.source == "acknowledgement")
        )
        if any(normalise_text(t) == text for t in earlier):
            return True
        return normalise_text(self.bland_reply(profile, post)) == text

    def suggest(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Save the composer's suggested reply as a new draft version."""
        with self.ctx.store.read() as session:
            post, _ = load_post(session, actor, post_id, "staff")
            profile = load_profile(session, post.practice_id)
            text, platform, rating = post.text, post.platform, post.rating
            decided = compose_kwargs(post.kind, [t.topic for t in post.topics], post.triage)
        proposal = self.ctx.analysers.compose(
            text,
            practice=profile,
            platform=platform,
            rating=rating,
            post_id=str(post_id),
            **decided,
        )
        return self.save_draft(
            actor,
            post_id,
            proposal.reply,
            expected_version=expected_version,
            source="suggested",
            composer=getattr(proposal, "source", None),
        )

    def acknowledge(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Save the one-click safe reply as a new draft: the pre-checked bland acknowledgement
        (exempt from cooling-off), or for an emergency or crisis post the urgent template that
        directs the poster to 911 or 988."""
        with self.ctx.store.read() as session:
            post, _ = load_post(session, actor, post_id, "staff")
            profile = load_profile(session, post.practice_id)
            text = self.bland_reply(profile, post)
        return self.save_draft(
            actor, post_id, text, expected_version=expected_version, source="acknowledgement"
        )

    # -- review -------------------------------------------------------------------------------

    def submit(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Send the current draft to review."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            draft = session.scalar(
                select(Draft.id).where(Draft.post_id == post.id).order_by(Draft.number.desc())
            )
            self.apply(session, actor, post, "submit", facts, now, {"draft": draft})

        return self.move(actor, post_id, "submit", expected_version, change)

    def approve(
        self,
        actor: Actor,
        post_id: int,
        *,
        draft_id: int | None = None,
        acknowledge_warnings: bool = False,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Approve the current draft.

        Args:
            draft_id: the version the approver read; refused if it is no longer the current one.
            acknowledge_warnings: required when the verdict is ``warn``; recorded in the audit log.
        """

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            drafts = drafts_of(session, post.id)
            current = drafts[-1] if drafts else None
            facts = self.facts(
                session,
                post,
                conf,
                role,
                now,
                actor,
                drafts=drafts,
                draft_is_current=draft_id is None or current is None or draft_id == current.id,
                warnings_acknowledged=acknowledge_warnings,
            )
            decide("approve", facts)
            current = _decided_draft(current, "approve")
            session.add(
                Approval(
                    post_id=post.id,
                    draft_id=current.id,
                    approver_id=actor.user_id,
                    warnings_acknowledged=current.verdict == "warn",
                    created_at=now,
                )
            )
            detail: dict[str, Any] = {
                "draft": current.id,
                "verdict": current.verdict,
                "approval_required": facts.approval_required,
            }
            if facts.approval_required and facts.own_draft:
                detail["self_approved"] = True  # one-manager clinics, after the hold
            if current.verdict == "warn":
                detail["warnings_acknowledged"] = True
                detail["codes"] = _codes(current)
            self.apply(session, actor, post, "approve", facts, now, detail)

        return self.move(actor, post_id, "approve", expected_version, change)

    def reject(
        self,
        actor: Actor,
        post_id: int,
        *,
        note_code: str = "changes-requested",
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Send a reply in review back to its author for changes (managers)."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            self.apply(session, actor, post, "reject", facts, now, {"reason": note_code[:50]})
            post.scheduled_for = None

        return self.move(actor, post_id, "reject", expected_version, change)

    # -- publishing ---------------------------------------------------------------------------

    def _ready_facts(
        self,
        session: Session,
        actor: Actor,
        post: Post,
        conf: PracticeSettings,
        now: dt.datetime,
        role: str,
    ) -> tuple[Facts, Draft | None]:
        """Return the facts for posting the current reply now, and that reply.

        Lints it again at the last moment: the rules may have changed since approval.
        """
        drafts = drafts_of(session, post.id)
        current = drafts[-1] if drafts else None
        approved, relint = False, None
        if current is not None:
            approved = (
                session.scalar(select(Approval.id).where(Approval.draft_id == current.id).limit(1))
                is not None
            )
            if approved:
                profile = load_profile(session, post.practice_id)
                relint = str(
                    self.ctx.analysers.check(current.text, post=post.text, practice=profile).verdict
                )
        facts = self.facts(
            session, post, conf, role, now, actor, drafts=drafts, approved=approved,
            relint_verdict=relint,
        )  # fmt: skip
        return facts, current

    def schedule(
        self, actor: Actor, post_id: int, at: dt.datetime, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Hold an approved reply until ``at`` (not before its cooling-off ends)."""
        if at.tzinfo is None:
            raise InputError("the scheduled time needs a time zone")

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor, schedule_at=at)
            decide("schedule", facts)
            post.scheduled_for = at
            self.apply(session, actor, post, "schedule", facts, now, {"at": at.isoformat()})

        return self.move(actor, post_id, "schedule", expected_version, change)

    def publish_kit(self, actor: Actor, post_id: int) -> PublishKitView:
        """Return what the manual path needs: the approved text to copy and the post to open."""
        now = self.ctx.clock()
        with self.ctx.store.read() as session:
            post, role = load_post(session, actor, post_id, "staff")
            conf = get_row(session, PracticeSettings, post.practice_id)
            facts, current = self._ready_facts(session, actor, post, conf, now, role)
            # Only a question: could the reply be marked replied now? Nothing is written.
            decide("mark_replied", facts, verb="post the reply to")
            current = _decided_draft(current, "mark_replied")
            where = f"on {post.platform}" + (f": {post.url}" if post.url else ".")
            paste = "Paste the reply exactly as approved and post it."
            if facts.published_method is not None:  # a new version of a reply that is out
                paste = "Edit your reply there: replace its text with the approved reply, exactly."
            return {
                "post_id": post.id,
                "draft_id": current.id,
                "text": current.text,
                "open_url": post.url,
                "platform": post.platform,
                "version": post.version,
                "steps": [
                    "Copy the reply.",
                    f"Open the post {where}",
                    paste,
                    "Come back and mark the post replied.",
                ],
            }

    def mark_replied(
        self,
        actor: Actor,
        post_id: int,
        *,
        posted_text: str | None = None,
        url: str | None = None,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Finish the manual path: record that the approved reply was posted, exactly as approved.

        Args:
            posted_text: what was pasted, if the caller knows; it must be the approved text
                (whitespace aside). A different text must go back through drafting and review.
            url: the reply's address on the platform, when known.
        """

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts, current = self._ready_facts(session, actor, post, conf, now, role)
            decide("mark_replied", facts)
            current = _decided_draft(current, "mark_replied")
            if posted_text is not None and " ".join(posted_text.split()) != " ".join(
                current.text.split()
            ):
                raise WorkflowError(
                    "what was posted differs from the approved reply; save it as a new draft "
                    "so it is checked and reviewed"
                )
            detail: dict[str, Any] = {"draft": current.id, "method": "manual"}
            out = reply_out(session, post.id)
            if out is None:
                self._record_reply(session, actor, post, current, "manual", url, now)
            else:  # an edit of the reply that is out, made by hand on the platform
                detail |= {"edit": True, "replaces": out.draft_id}
                self._revise_reply(out, actor, current, "manual", url or out.url)
            self.apply(session, actor, post, "mark_replied", facts, now, detail)

        return self.move(actor, post_id, "mark_replied", expected_version, change)

    def publish(
        self,
        actor: Actor,
        post_id: int,
        publisher: Publisher,
        *,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Post the approved reply through a platform connector and record it."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts, current = self._ready_facts(session, actor, post, conf, now, role)
            decide("publish", facts)
            current = _decided_draft(current, "publish")
            out = reply_out(session, post.id)
            if out is not None:  # a new version of the reply that is out: edit it there
                detail = self._edit_out(session, actor, post, out, current, publisher)
                self.apply(session, actor, post, "publish", facts, now, detail)
                return
            # Claim the reply slot before calling out, so a concurrent attempt fails first.
            reply = self._record_reply(session, actor, post, current, "connector", None, now)
            session.flush()
            reply.url = publisher.post_reply(
                platform=post.platform,
                external_id=post.external_id,
                url=post.url,
                text=current.text,
            )
            detail = {"draft": current.id, "method": "connector"}
            self.apply(session, actor, post, "publish", facts, now, detail)

        return self.move(actor, post_id, "publish", expected_version, change)

    @classmethod
    def _edit_out(
        cls,
        session: Session,
        actor: Actor,
        post: Post,
        out: PublishedReply,
        current: Draft,
        publisher: Publisher,
    ) -> dict[str, Any]:
        """Edit the platform's reply to the approved new version; return the audit detail.

        The reply row takes the new text before the platform is called (flushed, so a concurrent
        attempt waits on the row); the caller's transaction commits it only once the platform
        has confirmed, and rolls it back otherwise.
        """
        edit = getattr(publisher, "edit_reply", None)
        if edit is None:
            raise WorkflowError(
                "this connector cannot change a published reply: edit it on the platform and "
                "mark the post replied"
            )
        old_text, replaces = out.text, out.draft_id
        cls._revise_reply(out, actor, current, "connector", out.url)
        session.flush()
        url = edit(
            platform=post.platform,
            external_id=post.external_id,
            url=out.url,
            old_text=old_text,
            text=current.text,
        )
        if url:
            out.url = url
        return {"draft": current.id, "method": "connector", "edit": True, "replaces": replaces}

    @staticmethod
    def _revise_reply(
        out: PublishedReply, actor: Actor, draft: Draft, method: str, url: str | None
    ) -> None:
        """Point the reply row at the new version that is now out. ``published_at`` keeps the
        first answer's time (the reply times in reports measure the first answer); the audit
        log has the edit's time."""
        out.draft_id = draft.id
        out.text = draft.text
        out.method = method
        out.url = url
        out.published_by = actor.user_id

    @staticmethod
    def _record_reply(
        session: Session,
        actor: Actor,
        post: Post,
        draft: Draft,
        method: str,
        url: str | None,
        now: dt.datetime,
    ) -> PublishedReply:
        """Claim the post's one reply row; a second reply is a conflict."""
        if session.scalar(select(PublishedReply.id).where(PublishedReply.post_id == post.id)):
            raise ConflictError("this post already has a reply")
        reply = PublishedReply(
            post_id=post.id,
            practice_id=post.practice_id,
            draft_id=draft.id,
            text=draft.text,
            method=method,
            platform=post.platform,
            url=url,
            published_by=actor.user_id,
            published_at=now,
        )
        session.add(reply)
        return reply

    # -- a published reply changed or taken down (issue 14) -------------------------------------

    def revise_published(
        self, actor: Actor, post_id: int, text: str, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Start a new version of a published reply (managers).

        The version is linted, and goes through review, the cooling-off hold (counted from this
        version) and approval exactly as a first reply; the reply that is out stays as it is
        until the new one is published (or recorded as edited by hand), or the edit is given up
        with :meth:`keep_published`.
        """
        text = _clean_reply(text)

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> Draft:
            facts = self.facts(session, post, conf, role, now, actor)
            decide("revise_published", facts)  # refused before the draft is written
            draft = self._new_draft(session, actor, post, text, "manual", now)
            detail = {
                "draft": draft.id,
                "number": draft.number,
                "verdict": draft.verdict,
                "codes": _codes(draft),
            }
            self.apply(session, actor, post, "revise_published", facts, now, detail)
            self._wait_for_answer(post, conf, now)
            return draft

        draft, out = self._mutate(actor, post_id, "revise_published", expected_version, change)
        out["draft"] = draft_dict(draft)
        return out

    def keep_published(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Give up a new version of a published reply: the post is answered as it was."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            out = reply_out(session, post.id)
            detail = {"draft": out.draft_id} if out else None
            self.apply(session, actor, post, "keep_published", facts, now, detail)
            post.scheduled_for = None

        return self.move(actor, post_id, "keep_published", expected_version, change)

    def withdraw_published(
        self,
        actor: Actor,
        post_id: int,
        *,
        reason: str,
        remover: ReplyRemover | None = None,
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Take the reply that is out down, for a reason (managers); the post then waits for an
        answer again (drafted, or escalated when urgent), due within the practice's reply time.

        Args:
            remover: deletes the reply on the platform inside this move's transaction (the
                connectors' ``ExactlyOnce``): the move is recorded only once the platform has
                confirmed. None: the manual path, where someone deleted it on the platform.

        Raises:
            InputError: an unknown reason.
        """
        if reason not in WITHDRAW_REASONS:
            known = ", ".join(WITHDRAW_REASONS)
            raise InputError(f"unknown reason {reason!r}; use one of: {known}")

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            decide("withdraw_published", facts)  # refused before the platform is called
            out = _required_out(session, post.id)
            drafts = drafts_of(session, post.id)
            if remover is not None:
                # Our reply may read as the version being approved, when an edit reached the
                # platform and its commit did not: take that one down too.
                texts = [out.text, *([drafts[-1].text] if drafts else [])]
                remover.remove_reply(
                    platform=post.platform, external_id=post.external_id, url=out.url, texts=texts
                )
            detail = {
                "reason": reason,
                "draft": out.draft_id,
                "method": "connector" if remover is not None else "manual",
            }
            self.apply(session, actor, post, "withdraw_published", facts, now, detail)
            session.delete(out)
            self._wait_for_answer(post, conf, now)

        return self.move(actor, post_id, "withdraw_published", expected_version, change)

    @staticmethod
    def _wait_for_answer(post: Post, conf: PracticeSettings, now: dt.datetime) -> None:
        """Open an answered post again: due within the reply time from now (urgent: the urgent
        reply time), not overdue at once because it was first received long ago."""
        urgent = post.kind in URGENT_KINDS or post.priority == "urgent"
        minutes = conf.urgent_sla_minutes if urgent else conf.sla_minutes
        post.due_at = now + dt.timedelta(minutes=minutes)
        post.closed_at = None
        post.scheduled_for = None

    # -- other moves --------------------------------------------------------------------------

    def dismiss(
        self, actor: Actor, post_id: int, *, reason: str, expected_version: int | None = None
    ) -> ActionOutcome:
        """Close a post without a reply; escalated posts need a manager to dismiss them."""
        if reason not in DISMISS_REASONS:
            raise InputError(f"unknown reason {reason!r}; use one of: {', '.join(DISMISS_REASONS)}")

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            self.apply(session, actor, post, "dismiss", facts, now, {"reason": reason})
            post.scheduled_for = None

        return self.move(actor, post_id, "dismiss", expected_version, change)

    def close_answered(
        self, actor: Actor, post_id: int, reply: str, replied_at: dt.datetime | None = None
    ) -> ActionOutcome:
        """Close an open post that a re-imported export shows answered on its platform
        (``safereply import --close-answered``; managers).

        The reply is recorded as an arriving answered post's is: a new version as the owner
        wrote it (``manual``, not linted: ``warn`` with ``unchecked`` in its report, for
        ``safereply scan``) and the published reply (``import``, no user: it was posted outside
        SafeReply), at its date from the file (never later than now; else now). The audit entry
        (``reply.imported``) names the manager who asked for it. An emergency or crisis post,
        or one whose reply is already out, is refused (``WorkflowError``) and stays open.
        """
        text = _clean_reply(reply)

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            decide("close_answered", facts)
            when = min(replied_at, now) if replied_at is not None else now
            number = _next_draft_number(session, post.id)
            draft = Draft(
                post_id=post.id,
                number=number,
                text=text,
                source="manual",
                verdict="warn",
                report={"verdict": "warn", "findings": [], "unchecked": True, "imported": True},
                author_id=None,
                created_at=when,
            )
            session.add(draft)
            session.flush()
            # SYSTEM: no user of ours posted it (published_by stays empty, as on arrival).
            self._record_reply(session, SYSTEM, post, draft, IMPORTED, None, when)
            detail = {"draft": draft.id, "method": IMPORTED, "answered_by": "import"}
            self.apply(session, actor, post, "close_answered", facts, now, detail)
            post.scheduled_for = None

        return self.move(actor, post_id, "close_answered", None, change)

    def escalate(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Escalate a post by hand: it becomes urgent and staff are notified at once."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            self.apply(session, actor, post, "escalate", facts, now)
            self._make_urgent(session, post, conf, now)

        out = self.move(actor, post_id, "escalate", expected_version, change)
        self.dispatch()
        return out

    def _make_urgent(
        self, session: Session, post: Post, conf: PracticeSettings, now: dt.datetime
    ) -> None:
        """Urgent priority, the urgent due time at the latest, and staff notified."""
        post.priority = "urgent"
        post.due_at = min(post.due_at, now + dt.timedelta(minutes=conf.urgent_sla_minutes))
        enqueue(session, post, "escalated", base_url=self.ctx.base_url, at=now)

    def reopen(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Bring a dismissed post back into the inbox (managers)."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            self.apply(session, actor, post, "reopen", facts, now)
            post.closed_at = None

        return self.move(actor, post_id, "reopen", expected_version, change)

    # -- SLA ----------------------------------------------------------------------------------

    def sweep(self, *, notify: bool = True) -> dict[str, int]:
        """Find overdue posts and scheduled replies that are due; queue and send notifications.

        Safe to run often and from several processes: each post is notified once per reason.
        """
        now = self.ctx.clock()
        counts = {"overdue": 0, "ready": 0}
        with self.ctx.store.write() as session:
            overdue = session.scalars(
                select(Post)
                .where(Post.state.in_(OPEN_STATES), Post.due_at < now)
                .order_by(Post.due_at)
                .limit(1000)
            ).all()
            for post in overdue:
                if enqueue(session, post, "overdue", base_url=self.ctx.base_url, at=now):
                    counts["overdue"] += 1
                    record(
                        session,
                        SYSTEM,
                        "post.overdue",
                        object_type="post",
                        object_id=post.id,
                        practice_id=post.practice_id,
                        from_state=post.state,
                        to_state=post.state,
                        at=now,
                    )
            ready = session.scalars(
                select(Post).where(Post.state == "scheduled", Post.scheduled_for <= now).limit(1000)
            ).all()
            for post in ready:
                if enqueue(session, post, "ready", base_url=self.ctx.base_url, at=now):
                    counts["ready"] += 1
        if notify:
            self.dispatch()
        return counts

    # -- urgency (issue 15) -------------------------------------------------------------------

    def not_urgent(
        self,
        actor: Actor,
        post_id: int,
        *,
        reason: str,
        note: str | None = None,
        kind: str = "complaint",
        expected_version: int | None = None,
    ) -> ActionOutcome:
        """Say an escalated post is not urgent (managers): it returns to the normal queue with a
        normal kind, priority and due time, and an urgent template draft is replaced by the
        normal acknowledgement. The reason code goes in the audit log, the note only in the
        post's urgency review. Undone by :meth:`mark_urgent`."""
        note = _clean_note(reason, note)
        if kind not in CALM_KINDS:
            raise InputError(f"unknown kind {kind!r}; use one of: {', '.join(CALM_KINDS)}")

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            facts = self.facts(session, post, conf, role, now, actor)
            decide("not_urgent", facts)
            before = post.kind
            template = self._urgent_template(session, post)
            if post.kind in URGENT_KINDS:
                post.kind = kind
            triage = post.triage
            calm = triage.priority if triage and triage.priority != "urgent" else None
            post.priority = calm or ("high" if post.kind == "complaint" else "normal")
            post.due_at = post.received_at + dt.timedelta(minutes=conf.sla_minutes)
            post.scheduled_for = None
            detail: dict[str, Any] = {"reason": reason}
            if template is not None:  # the 911 / 988 template no longer fits: the normal one
                profile = load_profile(session, post.practice_id)
                text = normalise_text(self.bland_reply(profile, post))
                draft = self._new_draft(session, actor, post, text, "acknowledgement", now)
                detail["draft"] = draft.id
            review = self._review(session, actor, post, False, reason, note, before, now)
            detail["review"] = review.id
            self.apply(session, actor, post, "not_urgent", facts, now, detail)

        return self.move(actor, post_id, "not_urgent", expected_version, change)

    def mark_urgent(
        self, actor: Actor, post_id: int, *, expected_version: int | None = None
    ) -> ActionOutcome:
        """Undo "not urgent": the post gets the triage's emergency or crisis kind back, is
        escalated with the urgent due time, and staff are notified."""

        def change(
            session: Session, post: Post, conf: PracticeSettings, now: dt.datetime, role: str
        ) -> None:
            triage_kind = post.triage.kind if post.triage else None
            facts = self.facts(session, post, conf, role, now, actor, triage_kind=triage_kind)
            decide("mark_urgent", facts)
            if triage_kind is None:  # the table allows this move only after an urgent triage
                raise WorkflowError(f"post {post.id} has no triage kind to restore")
            before = post.kind
            post.kind = triage_kind
            review = self._review(session, actor, post, True, "urgent-again", None, before, now)
            self.apply(session, actor, post, "mark_urgent", facts, now, {"review": review.id})
            self._make_urgent(session, post, conf, now)

        out = self.move(actor, post_id, "mark_urgent", expected_version, change)
        self.dispatch()
        return out

    @staticmethod
    def _urgent_template(session: Session, post: Post) -> Draft | None:
        """Return the current draft if it is the one-click urgent template, else None."""
        if post.kind not in URGENT_KINDS:
            return None
        drafts = drafts_of(session, post.id)
        if drafts and drafts[-1].source == "acknowledgement":
            return drafts[-1]
        return None

    @staticmethod
    def _review(
        session: Session,
        actor: Actor,
        post: Post,
        urgent: bool,
        reason: str,
        note: str | None,
        before: str,
        now: dt.datetime,
    ) -> UrgencyReview:
        review = UrgencyReview(
            post_id=post.id,
            urgent=urgent,
            reason=reason,
            note=note,
            kind_before=before,
            kind_after=post.kind,
            user_id=actor.user_id,
            created_at=now,
        )
        session.add(review)
        session.flush()
        return review


def _clean_note(reason: str, note: str | None) -> str | None:
    """Return the free-text note, checked; ``other`` needs one.

    Raises:
        InputError: an unknown reason, a note over 500 characters or with a NUL, or ``other``
            without a note.
    """
    if reason not in NOT_URGENT_REASONS:
        raise InputError(f"unknown reason {reason!r}; use one of: {', '.join(NOT_URGENT_REASONS)}")
    note = " ".join((note or "").split()) or None
    if note is not None and (len(note) > 500 or "\x00" in note):
        raise InputError("the note must be at most 500 characters, without NUL characters")
    if reason == "other" and note is None:
        raise InputError("say in the note why this post is not urgent")
    return note


def _decided_draft(current: Draft | None, action: str) -> Draft:
    """Return the draft a move acts on once ``decide`` allowed it (the table requires a draft).

    Raises:
        WorkflowError: there is no draft (only if the table stopped requiring one).
    """
    if current is None:
        raise WorkflowError(f"cannot {action.replace('_', ' ')}: the post has no draft")
    return current


def _next_draft_number(session: Session, post_id: int) -> int:
    """Return the number the post's next reply version takes (1 for its first)."""
    return (session.scalar(select(func.max(Draft.number)).where(Draft.post_id == post_id)) or 0) + 1
