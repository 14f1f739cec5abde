"""The audit log in plain words and local time for people, the codes for machines (issue 11)."""

from __future__ import annotations

import json
import re

import pytest
from factories import actor, sign_in

from safereply.services import SYSTEM
from safereply.services.audit import AUDIT_FIELDS
from safereply.services.audit_words import Person, PostLabel, describe, people_by_email

PEOPLE = {"dana@example.test": Person("Dana", "manager"), "system": Person("SafeReply")}
POSTS = {"12": PostLabel("google", 2.0), "13": PostLabel("facebook", None)}


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        (
            {
                "actor": "dana@example.test",
                "action": "draft.approve",
                "object_type": "post",
                "object_id": "12",
                "detail": {"draft": 3, "verdict": "pass"},
            },
            "Dana (manager) approved the reply to post #12 (Google, 2 stars).",
        ),
        (
            {
                "actor": "dana@example.test",
                "action": "draft.approve",
                "object_type": "post",
                "object_id": "12",
                "detail": {"self_approved": True, "warnings_acknowledged": True},
            },
            "Dana (manager) approved the reply to post #12 (Google, 2 stars) (their own, after "
            "the cooling-off hold; after reading its warnings).",
        ),
        (
            {
                "actor": "system",
                "action": "post.receive",
                "object_type": "post",
                "object_id": "13",
                "detail": {"kind": "question"},
            },
            "SafeReply took in post #13 (Facebook).",
        ),
        (
            {
                "actor": "Dana@Example.test",
                "action": "draft.save",
                "object_type": "post",
                "object_id": "12",
                "detail": {
                    "number": 2,
                    "source": "acknowledgement",
                    "verdict": "pass",
                    "codes": [],
                },
            },
            "Dana (manager) saved version 2 of the reply to post #12 (Google, 2 stars), the "
            "pre-checked acknowledgement: safe to send.",
        ),
        (
            {
                "actor": "dana@example.test",
                "action": "post.dismiss",
                "object_type": "post",
                "object_id": "99",
                "detail": {"reason": "spam"},
            },
            "Dana (manager) closed post #99 without a reply as spam.",
        ),
        (
            {
                "actor": "dana@example.test",
                "action": "settings.update",
                "object_type": "practice",
                "object_id": "1",
                "detail": {"changed": ["self_approval", "timezone"]},
            },
            "Dana (manager) changed the practice settings: self-approval for one-manager "
            "clinics, the time zone.",
        ),
        (
            {
                "actor": "gone@example.test",
                "action": "widget.frobnicate",
                "object_type": "widget",
                "object_id": "7",
                "detail": {},
            },
            "gone@example.test did “widget frobnicate” on widget #7.",
        ),
    ],
)
def test_each_entry_reads_as_a_sentence_with_ids_and_roles(entry, words):
    assert describe(entry, people=PEOPLE, posts=POSTS) == words


def test_people_are_named_with_their_role_in_this_practice():
    members = [{"email": "A@x.test", "display_name": "Ann", "roles": {"1": "admin", "2": "staff"}}]
    assert str(people_by_email(members, 2)["a@x.test"]) == "Ann (staff)"


def test_audit_page_speaks_plain_words_and_the_export_keeps_the_codes(site):
    app, services, _, practices, users, posts = site
    pid = posts["praise"]
    staff = actor(users["staff"])
    services.inbox.save_draft(staff, pid, "Thank you so much for the kind words!")
    services.inbox.approve(staff, pid)
    manager = sign_in(app, "manager")
    html = manager.get(f"/p/{practices['maple']}/audit").text
    cells = re.findall(r'<td data-label="What happened" class="audit-words">(.*?)</td>', html, re.S)
    text = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    approved = [t for t in text if "approved the reply" in t]
    # The display name defaults to the e-mail's name part; the role is the one in this practice.
    assert approved == [
        f"staff (staff) approved the reply to post #{pid} (Yelp, 5 stars). Open post #{pid}"
    ]
    assert any(f"took in post #{pid} (Yelp, 5 stars)" in t for t in text)
    assert "kind words" not in html and "spotless" not in html  # never post or reply text
    # For machines: the codes are still on the page, and the export is unchanged.
    assert "<code>draft.approve</code>" in html
    # The filter offers actions in words; its values stay the codes.
    assert re.search(r'<option value="draft.approve"\s*>Reply approved</option>', html)
    export = manager.get(f"/api/v1/practices/{practices['maple']}/audit?format=json")
    rows = json.loads(export.text)
    rows = rows["items"] if isinstance(rows, dict) else rows
    assert rows and all(tuple(r) == AUDIT_FIELDS for r in rows)
    assert {"draft.approve", "draft.save", "post.receive"} <= {r["action"] for r in rows}
    assert not any("approved the reply" in json.dumps(r) for r in rows)
    services.audit.events(SYSTEM, practices["maple"])  # the service's view is untouched too
