"""What the inbox's three parts share: the analysers, the reply text's normal form, loading a post
with the role check, its drafts, and the two policy questions every part asks (does this reply
need a manager's approval; until when does the cooling-off hold it).

The parts: ``arrival`` (a post comes in), ``workflow`` (the moves of ``core/workflow.py``),
``queries`` (lists, counts, a post's detail); ``inbox.InboxService`` puts them behind one facade.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from safereply.core.practice import Practice as Profile
from safereply.core.vocab import PostKind
from safereply.core.workflow import DISMISS_REASONS, URGENT_KINDS
from safereply.errors import NotFoundError
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.notify import Notifier
from safereply.store.engine import Store
from safereply.store.models import Draft, Post, PracticeSettings

__all__ = [
    "DISMISS_REASONS",
    "MAX_POST_CHARS",
    "MAX_REPLY_CHARS",
    "Analysers",
    "InboxContext",
    "Publisher",
    "ReadContext",
    "approval_required",
    "compose_kwargs",
    "cooling_off_until",
    "drafts_of",
    "iso",
    "load_post",
    "normalise_text",
]

MAX_POST_CHARS = 50_000
MAX_REPLY_CHARS = 10_000


@dataclass(frozen=True, slots=True)
class _DecidedTriage:
    """The triage a composer writes for once a person changed the post's kind."""

    kind: str
    topics: tuple[str, ...]
    sentiment: float | None = None
    discloses_health: bool = False


def compose_kwargs(
    kind: str,
    topics: Sequence[str],
    triage: Any,
) -> dict[str, Any]:
    """Return the extra arguments of ``Analysers.compose`` for a post.

    A manager who marked an emergency or crisis post not urgent changed its kind; the composer
    would triage the text again and propose the 911 / 988 template for a post now in the normal
    queue. It is given the post's kind and topics now instead (``triage_result``). Nothing is
    added otherwise (the composer triages the text itself, as before).

    Args:
        kind, topics: the post's kind and topics now.
        triage: the stored triage (a mapping or an object with ``kind``, ``sentiment`` and
            ``discloses_health``), or None.
    """
    if triage is None:
        return {}

    def read(name: str) -> Any:
        return triage.get(name) if isinstance(triage, dict) else getattr(triage, name, None)

    if read("kind") not in URGENT_KINDS or kind in URGENT_KINDS:
        return {}
    decided = _DecidedTriage(kind, tuple(topics), read("sentiment"), bool(read("discloses_health")))
    return {"triage_result": decided}


def _default_acknowledgement(
    practice: Profile, *, platform: str | None = None, post: str | None = None
) -> str:
    """Return the practice's bland acknowledgement (the composer's)."""
    from safereply.core.compose import acknowledgement

    return acknowledgement(practice, platform=platform, post=post)


def _default_urgent_reply(
    kind: str, practice: Profile, *, platform: str | None = None, post: str | None = None
) -> str:
    """Return the safe one-click reply to an emergency (911) or crisis (988) post."""
    from safereply.core.compose import urgent_reply

    return urgent_reply(kind, practice, platform=platform, post=post)


_TRAILING_SPACE = re.compile(r"[ \t\u00a0]+(?=\n|$)")


def normalise_text(text: str) -> str:
    """Return reply text as it is stored and compared: NFC, ``\n`` line endings, no trailing
    whitespace on any line, no blank lines or spaces around the whole text."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _TRAILING_SPACE.sub("", text).strip()


@functools.cache
def _lazy(name: str) -> Callable[..., Any]:
    """Return the package's top-level function ``name``, looked up at call time (importing the
    core is not needed to build the services). One object per name, so :func:`is_builtin` can
    tell the package's own analyser from an injected one by identity."""

    def call(*args: Any, **kwargs: Any) -> Any:
        import safereply

        return getattr(safereply, name)(*args, **kwargs)

    call.__name__ = name
    return call


def is_builtin(analyser: Callable[..., Any], name: str) -> bool:
    """Return True when ``analyser`` is the package's own ``name`` (not one a test injected)."""
    return analyser is _lazy(name)


@dataclass(frozen=True, slots=True)
class Analysers:
    """The core functions the inbox uses; tests and benchmarks may pass their own.

    Attributes:
        triage: ``(text, platform=, rating=) -> TriageResult`` (with ``to_dict(id)``).
        check: ``(reply, post=, practice=) -> Report`` (with ``verdict`` and ``to_dict(id)``).
        compose: ``(text, practice=, platform=, rating=, post_id=) -> Draft`` (with ``reply``).
        acknowledgement: ``(practice, platform=, post=) -> str``, the pre-checked bland
            acknowledgement.
        urgent_reply: ``(kind, practice, platform=, post=) -> str``, the one-click reply to an
            emergency (911) or crisis (988) post, offered in place of the acknowledgement.
    """

    triage: Callable[..., Any] = field(default_factory=lambda: _lazy("triage"))
    check: Callable[..., Any] = field(default_factory=lambda: _lazy("check"))
    compose: Callable[..., Any] = field(default_factory=lambda: _lazy("draft"))
    acknowledgement: Callable[..., str] = _default_acknowledgement
    urgent_reply: Callable[..., str] = _default_urgent_reply


class Publisher(Protocol):
    """A platform connector that can post a reply itself."""

    def post_reply(
        self, *, platform: str, external_id: str, url: str | None, text: str
    ) -> str | None:
        """Post ``text`` as the reply; return its address, or None when there is no link to it."""


class ReadContext(Protocol):
    """What the queries read at call time: the store and the clock (the facade, or the pages'
    ``Overview``)."""

    store: Store
    clock: Callable[[], dt.datetime]


class InboxContext(Protocol):
    """What the parts read from the facade at call time (so a test may swap the clock)."""

    store: Store
    analysers: Analysers
    notifier: Notifier | None
    clock: Callable[[], dt.datetime]
    base_url: str


def iso(value: dt.datetime | None) -> str | None:
    """Return a time as ISO 8601, or None."""
    return value.isoformat() if value else None


def load_post(session: Session, actor: Actor, post_id: int, minimum: str) -> tuple[Post, str]:
    """Return a post and the actor's role in its practice.

    Raises:
        NotFoundError: no such post, or the actor is no member of its practice (the same
            answer, so ids cannot be probed).
        PermissionDenied: the role is below ``minimum``.
    """
    post = session.get(Post, post_id)
    if post is None:
        raise NotFoundError("no such post")
    try:
        role = require_role(session, actor, post.practice_id, minimum)
    except NotFoundError:
        raise NotFoundError("no such post") from None
    return post, role


def drafts_of(session: Session, post_id: int) -> list[Draft]:
    """Return a post's reply versions, oldest first."""
    return list(
        session.scalars(select(Draft).where(Draft.post_id == post_id).order_by(Draft.number))
    )


def approval_required(post: Post, conf: PracticeSettings) -> bool:
    """Return True when the practice's policy wants a manager to approve this post's reply."""
    if conf.approval_policy == "all":
        return True
    if conf.approval_policy == "none":
        return False
    return post.kind == PostKind.COMPLAINT.value


def cooling_off_until(
    post: Post, drafts: Sequence[Draft], conf: PracticeSettings
) -> dt.datetime | None:
    """Return when a custom reply to a complaint may go out (None: no hold applies)."""
    if post.kind != PostKind.COMPLAINT.value or not drafts:
        return None
    # Decided on the normalised text: a version equal to an acknowledgement is one, however
    # it was saved (older rows may hold a browser's \r\n line endings).
    bland = {normalise_text(d.text) for d in drafts if d.source == "acknowledgement"}

    def is_bland(d: Draft) -> bool:
        return d.source == "acknowledgement" or normalise_text(d.text) in bland

    if is_bland(drafts[-1]):
        return None  # the pre-checked bland acknowledgement is exempt (rule 1 over rule 2)
    custom = [d for d in drafts if not is_bland(d)]
    return custom[0].created_at + dt.timedelta(minutes=conf.cooling_off_minutes)
