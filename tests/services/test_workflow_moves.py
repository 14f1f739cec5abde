"""The inbox service makes exactly the moves the workflow table allows, from every state.

For each state a post is brought there through the service, then each move is asked for by an
admin (so no role stops it): the service refuses with the table's state message exactly when the
state is not one of the move's sources, and otherwise lands in one of the move's targets.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest

from safereply.core.workflow import POST_STATES, rows, transition_names
from safereply.errors import SafeReplyError
from safereply.services import NewPost
from safereply.services.inbox import InboxService
from safereply.services.workflow import Workflow

SRC = Path(__file__).resolve().parents[2] / "src" / "safereply"

PRAISE = "Lovely team, very kind and quick."
CRISIS = "I just want to end it all"
SAFE = "Thank you so much for the kind words. Please call us at (555) 201-3300."


class FakePublisher:
    """A connector that always succeeds."""

    def post_reply(self, *, platform, external_id, url, text):
        return f"https://example.test/{external_id}/reply"


def _post_in(world, state: str, n: int) -> int:
    """Return a post brought to ``state`` through the service (praise: no review needed)."""
    inbox, admin = world.services.inbox, world.admin
    text = CRISIS if state == "escalated" else PRAISE
    pid = inbox.receive(world.staff, world.practice, NewPost("google", f"s-{n}", text)).post_id
    if state in ("new", "escalated"):
        return pid
    if state == "dismissed":
        inbox.dismiss(admin, pid, reason="spam")
        return pid
    inbox.save_draft(world.staff, pid, SAFE)
    if state == "drafted":
        return pid
    if state == "in_review":
        inbox.submit(world.staff, pid)
        return pid
    inbox.approve(admin, pid)
    if state == "scheduled":
        inbox.schedule(admin, pid, world.clock.now + dt.timedelta(hours=1))
    elif state == "marked_replied":
        inbox.mark_replied(admin, pid)
    elif state == "published":
        inbox.publish(admin, pid, FakePublisher())
    return pid


def _ask(world, name: str, pid: int):
    inbox, admin = world.services.inbox, world.admin
    calls = {
        "save_draft": lambda: inbox.save_draft(admin, pid, SAFE + " Thanks again."),
        "submit": lambda: inbox.submit(admin, pid),
        "approve": lambda: inbox.approve(admin, pid),
        "reject": lambda: inbox.reject(admin, pid),
        "schedule": lambda: inbox.schedule(admin, pid, world.clock.now + dt.timedelta(hours=2)),
        "mark_replied": lambda: inbox.mark_replied(admin, pid),
        "publish": lambda: inbox.publish(admin, pid, FakePublisher()),
        "close_answered": lambda: inbox.close_answered(admin, pid, "Thank you, posted on Google."),
        "dismiss": lambda: inbox.dismiss(admin, pid, reason="spam"),
        "escalate": lambda: inbox.escalate(admin, pid),
        "reopen": lambda: inbox.reopen(admin, pid),
        "not_urgent": lambda: inbox.not_urgent(admin, pid, reason="figure-of-speech"),
        "mark_urgent": lambda: inbox.mark_urgent(admin, pid),
        # Issue 14: a published reply edited, kept as it is, or taken down.
        "revise_published": lambda: inbox.revise_published(admin, pid, SAFE + " Edited."),
        "keep_published": lambda: inbox.keep_published(admin, pid),
        "withdraw_published": lambda: inbox.withdraw_published(admin, pid, reason="mistake"),
    }
    return calls[name]()


MOVES = [name for name in transition_names() if name != "receive"]


def test_the_inbox_facade_offers_every_move_of_the_table_with_the_workflows_arguments():
    # One way to call every move: InboxService.<move>, never services.inbox.workflow.<move>.
    for name in MOVES:
        facade, move = getattr(InboxService, name, None), getattr(Workflow, name)
        assert facade is not None, f"InboxService has no {name}()"
        assert inspect.signature(facade) == inspect.signature(move), name


def test_no_caller_reaches_past_the_inbox_facade_to_the_workflow():
    reach = re.compile(r"inbox\.workflow\.")
    callers = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reach.search(line)
    ]
    assert callers == []


@pytest.mark.parametrize("state", POST_STATES)
def test_the_service_allows_exactly_the_tables_moves(world, state):
    for n, name in enumerate(MOVES):
        pid = _post_in(world, state, n)
        assert world.services.inbox.get_post(world.admin, pid)["state"] == state
        allowed = any(state in t.sources for t in rows(name))
        refusal = f"cannot {rows(name)[0].verb} a post that is {state.replace('_', ' ')}"
        try:
            result = _ask(world, name, pid)
        except SafeReplyError as exc:
            assert not (allowed and str(exc) == refusal), (name, state, str(exc))
            if not allowed:
                assert str(exc) == refusal, (name, state)
            continue
        assert allowed, f"{name} from {state} should have been refused"
        targets = {s for t in rows(name) if state in t.sources for s in t.targets()}
        assert result["state"] in targets, (name, state, result["state"])


def test_every_state_change_is_one_audit_entry_of_the_tables_action(world):
    pid = _post_in(world, "approved", 0)
    events = world.services.audit.events(
        world.admin, world.practice, object_type="post", object_id=pid
    )
    actions = {t.name: t.action for name in transition_names() for t in rows(name)}
    assert [e["action"] for e in events] == [
        actions["receive"],
        actions["save_draft"],
        actions["approve"],
    ]
    assert [(e["from_state"], e["to_state"]) for e in events] == [
        (None, "new"),
        ("new", "drafted"),
        ("drafted", "approved"),
    ]
