"""The workflow table itself (core/workflow.py): well formed, and decide() answers as it says."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from safereply.core.workflow import (
    CHECK_NOTES,
    CHECKS,
    CLOSED_STATES,
    OPEN_STATES,
    POST_STATES,
    ROLES,
    START,
    TARGETS,
    TRANSITIONS,
    Facts,
    decide,
    rows,
    transition_names,
)
from safereply.errors import ConflictError, PermissionDenied, WorkflowError

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
#: Facts under which every check passes (a manager, a clean, approved, acknowledged reply).
PASSING = Facts(
    state="new",
    kind="praise",
    role="admin",
    triage_kind="crisis",
    has_draft=True,
    verdict="pass",
    relint_verdict="pass",
    approved=True,
    now=NOW,
)
# "urgent now" and "triage said urgent" exclude each other; each is met by its own facts. So do
# "a reply is out" (editing or withdrawing a published reply) and "no reply out" (dismissing).
URGENT_NOW = {"is-urgent": {"kind": "crisis"}, "reply-out": {"published_method": "connector"}}


def _passing(name: str, state: str) -> Facts:
    row = next((t for t in rows(name) if state in t.sources), rows(name)[0])
    extra: dict = {}
    for key in row.checks:
        extra.update(URGENT_NOW.get(key, {}))
    return dataclasses.replace(PASSING, state=state, **extra)


def test_states_are_listed_once_and_split_into_open_and_closed():
    assert len(set(POST_STATES)) == len(POST_STATES) == 9
    assert set(OPEN_STATES) | set(CLOSED_STATES) == set(POST_STATES)
    assert not set(OPEN_STATES) & set(CLOSED_STATES)


def test_every_row_names_real_states_roles_and_checks():
    for t in TRANSITIONS:
        assert t.role in ROLES, t
        assert set(t.sources) <= set(POST_STATES) | {START}, t
        assert set(t.targets()) <= set(POST_STATES), t
        assert t.target in TARGETS or t.target in POST_STATES, t
        assert all(key in CHECKS for key in t.checks), t
    assert {c.name for c in CHECKS.values()} == set(CHECK_NOTES)


def test_rows_of_one_move_share_role_and_do_not_overlap():
    for name in transition_names():
        found = rows(name)
        assert len({t.role for t in found}) == 1, name
        sources = [s for t in found for s in t.sources]
        assert len(sources) == len(set(sources)), name


def test_every_open_state_can_be_left_and_every_state_reached():
    reached = {s for t in TRANSITIONS for s in t.targets()}
    assert reached == set(POST_STATES)
    for state in OPEN_STATES:
        assert any(state in t.sources and set(t.targets()) - {state} for t in TRANSITIONS), state


@pytest.mark.parametrize("name", transition_names())
@pytest.mark.parametrize("state", (START, *POST_STATES))
def test_each_move_is_allowed_from_exactly_its_source_states(name, state):
    allowed = any(state in t.sources for t in rows(name))
    facts = _passing(name, state)
    if allowed:
        row, target = decide(name, facts)
        assert state in row.sources and target in row.targets()
    else:
        verb = rows(name)[0].verb
        with pytest.raises(WorkflowError, match=f"cannot {verb} a post that is"):
            decide(name, facts)


@pytest.mark.parametrize("name", transition_names())
def test_a_role_below_the_tables_is_refused_before_the_state(name):
    role = rows(name)[0].role
    weaker = ROLES[: ROLES.index(role)]
    for weak in weaker:
        # Even from a state the move does not start from: the role is checked first.
        with pytest.raises(PermissionDenied, match=f"needs the {role} role"):
            decide(name, dataclasses.replace(PASSING, role=weak, state="dismissed"))
    for strong in ROLES[ROLES.index(role) :]:
        state = rows(name)[0].sources[0]
        decide(name, dataclasses.replace(_passing(name, state), role=strong))


def _failing(key: str, base: Facts) -> Facts:
    """Return facts that fail one check (and only ones its move tests after it may fail)."""
    changes = {
        "has-draft/review": {"has_draft": False},
        "has-draft/approve": {"has_draft": False},
        "current-draft": {"draft_is_current": False},
        "not-blocked/review": {"verdict": "block"},
        "not-blocked/approve": {"verdict": "block"},
        "not-blocked/schedule": {"verdict": "block"},
        "not-blocked/post": {"relint_verdict": "block"},
        "help/review": {"gives_help_line": False, "kind": "crisis"},
        "help/approve": {"gives_help_line": False, "kind": "emergency"},
        "help/schedule": {"gives_help_line": False, "kind": "crisis"},
        "help/post": {"gives_help_line": False, "kind": "crisis"},
        "warnings-acknowledged": {"verdict": "warn", "warnings_acknowledged": False},
        "manager-approves": {"approval_required": True, "role": "staff"},
        "not-own-draft": {"approval_required": True, "own_draft": True},
        "self-approval-after-hold": {
            "approval_required": True,
            "own_draft": True,
            "self_approval": True,
            "hold_until": NOW + dt.timedelta(minutes=5),
        },
        "approval-present": {"approved": False},
        "cooling-off/post": {"hold_until": NOW + dt.timedelta(minutes=5)},
        "cooling-off/schedule": {
            "hold_until": NOW + dt.timedelta(minutes=5),
            "schedule_at": NOW + dt.timedelta(minutes=1),
        },
        "schedule-reached": {"state": "scheduled", "scheduled_for": NOW + dt.timedelta(hours=1)},
        "manager-if-urgent": {"state": "escalated", "role": "staff"},
        "is-urgent": {"kind": "praise"},
        "was-urgent": {"triage_kind": "praise"},
        "reply-out": {"published_method": None},
        "no-reply-out": {"published_method": "manual"},
        "not-urgent-post": {"kind": "crisis"},
    }
    return dataclasses.replace(base, **changes[key])


ERRORS = {"workflow": WorkflowError, "permission": PermissionDenied, "conflict": ConflictError}


@pytest.mark.parametrize(
    "name, state, key",
    [(t.name, t.sources[0], key) for t in TRANSITIONS for key in t.checks if t.sources[0] != START],
)
def test_each_check_of_a_move_refuses_with_its_own_error(name, state, key):
    facts = _failing(key, _passing(name, state))
    check = CHECKS[key]
    with pytest.raises(ERRORS[check.error]) as caught:
        decide(name, facts)
    assert str(caught.value) == check.message(facts)


def test_targets_that_depend_on_the_post():
    urgent = dataclasses.replace(PASSING, kind="crisis")
    assert decide("receive", dataclasses.replace(urgent, state=START))[1] == "escalated"
    assert decide("receive", dataclasses.replace(PASSING, state=START))[1] == "new"
    # history imported with the practice's reply arrives answered, even an old urgent post
    answered = dataclasses.replace(PASSING, state=START, answered_on_arrival=True)
    assert decide("receive", answered)[1] == "marked_replied"
    assert decide("receive", dataclasses.replace(answered, kind="crisis"))[1] == "marked_replied"
    assert decide("save_draft", dataclasses.replace(urgent, state="new"))[1] == "escalated"
    assert decide("save_draft", dataclasses.replace(PASSING, state="escalated"))[1] == "escalated"
    assert decide("save_draft", dataclasses.replace(PASSING, state="new"))[1] == "drafted"
    assert decide("save_draft", dataclasses.replace(PASSING, state="approved"))[1] == "in_review"
    assert decide("reopen", dataclasses.replace(urgent, state="dismissed"))[1] == "escalated"
    calm = dataclasses.replace(urgent, state="escalated")
    assert decide("not_urgent", calm)[1] == "drafted"
    assert decide("not_urgent", dataclasses.replace(calm, has_draft=False))[1] == "new"


def test_help_line_refusal_names_the_number():
    facts = dataclasses.replace(PASSING, state="drafted", kind="crisis", gives_help_line=False)
    with pytest.raises(WorkflowError, match="call or text 988"):
        decide("submit", facts)
    facts = dataclasses.replace(facts, kind="emergency")
    with pytest.raises(WorkflowError, match="must tell the poster to call 911"):
        decide("approve", facts)


def test_unknown_move_is_a_key_error():
    with pytest.raises(KeyError):
        decide("teleport", PASSING)
