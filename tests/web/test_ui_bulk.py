"""Bulk replies to many 5-star reviews at once (issue 11): each reply its own, varied and linted,
each post recorded as usual; anything that does not pass is left out with the reason."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest
from factories import actor, add_post, csrf_of, sign_in

from safereply.errors import PermissionDenied
from safereply.services import SYSTEM, NewPost, bulk

PRAISE = [
    "Best dentist in town, quick and painless.",
    "The hygienist was so gentle, I will be back.",
    "Loved the new waiting room and the staff were lovely.",
    "Great experience from booking to checkout!",
    "Dr. Patel explained everything clearly. Five stars.",
    "Always on time and very kind people.",
    "My kids actually enjoy coming here!",
]


def _praise(services, practice_id) -> list[int]:
    return [
        add_post(services, practice_id, text, external_id=f"five-{i}", rating=5.0)
        for i, text in enumerate(PRAISE)
    ]


def test_each_five_star_post_gets_its_own_linted_varied_reply(site):
    _, services, _, practices, users, posts = site
    pid = practices["maple"]
    ids = _praise(services, pid)
    manager = actor(users["manager"])
    chosen = bulk.unanswered_five_star(services, manager, pid)
    assert set(chosen) == {*ids, posts["praise"]}  # not the complaint, question or other practice
    preview = bulk.preview(services, manager, pid, chosen)
    assert not preview.left_out and len(preview.drafts) == len(chosen)
    replies = [d.reply for d in preview.drafts]
    assert len(set(replies)) == len(replies)
    profile = services.practices.profile(manager, pid)
    for d in preview.drafts:
        report = services.inbox.analysers.check(d.reply, post=d.post_text, practice=profile)
        assert str(report.verdict) == "pass", d.reply
    # Varied per sentence, not only per reply: few sentences repeat across the batch.
    sentences = Counter(s for r in replies for s in bulk._sentences(r))
    repeated = sum(n - 1 for n in sentences.values() if n > 1)
    assert repeated <= len(replies) // 4, sentences.most_common(3)
    # Nothing is saved by a preview.
    assert all(services.inbox.get_post(SYSTEM, i)["state"] == "new" for i in chosen)


def test_confirm_records_each_post_as_usual_in_state_and_audit_log(site):
    _, services, _, practices, users, _ = site
    pid = practices["maple"]
    ids = _praise(services, pid)[:3]
    manager = actor(users["manager"])
    preview = bulk.preview(services, manager, pid, ids)
    items = [(d.post_id, d.version, d.reply, d.composer) for d in preview.drafts]
    result = bulk.confirm(services, manager, pid, items)
    assert [d.state for d in result.done] == ["approved"] * 3 and not result.left_out
    for d in preview.drafts:
        post = services.inbox.get_post(SYSTEM, d.post_id)
        assert post["state"] == "approved" and post["drafts"][-1]["text"] == d.reply
        events = services.audit.events(SYSTEM, pid, object_type="post", object_id=d.post_id)
        actions = [e["action"] for e in events]
        assert actions[-2:] == ["draft.save", "draft.approve"]
        assert events[-2]["detail"]["composer"] == d.composer and events[-1]["actor"] == (
            "manager@example.test"
        )
    # Confirming the same list again changes nothing: each post is left out with the reason.
    again = bulk.confirm(services, manager, pid, items)
    assert not again.done and {x.reason for x in again.left_out} == {
        "it already has a draft: finish that one on its page"
    }


def test_a_reply_that_does_not_pass_the_linter_is_left_out_unsaved(site):
    _, services, _, practices, users, posts = site
    pid = practices["maple"]
    ids = _praise(services, pid)[:2]
    manager = actor(users["manager"])
    preview = bulk.preview(services, manager, pid, ids)
    first, second = preview.drafts
    unsafe = "Thanks Maria, we will call you tomorrow about your crown!"
    result = bulk.confirm(
        services,
        manager,
        pid,
        [
            (first.post_id, first.version, unsafe, "template"),
            (second.post_id, second.version, second.reply, second.composer),
        ],
    )
    assert [d.post_id for d in result.done] == [second.post_id]
    (left,) = result.left_out
    assert left.post_id == first.post_id and left.reason.startswith("the linter says the draft")
    assert services.inbox.get_post(SYSTEM, first.post_id)["drafts"] == []
    # The composer's own failing draft is left out of the preview too, with the reason.
    real = services.inbox.analysers

    def careless(text, **kw):
        draft = real.compose(text, **kw)
        return dataclasses.replace(draft, reply="Hi Maria, see you at your cleaning Tuesday!")

    services.inbox.analysers = dataclasses.replace(real, compose=careless)
    try:
        preview = bulk.preview(services, manager, pid, [posts["praise"]])
    finally:
        services.inbox.analysers = real
    assert not preview.drafts and preview.left_out[0].reason.startswith("the linter says")


def test_posts_that_are_not_unanswered_five_star_praise_are_left_out(site):
    _, services, _, practices, users, posts = site
    pid = practices["maple"]
    manager = actor(users["manager"])
    mixed = services.inbox.receive(
        SYSTEM,
        pid,
        NewPost(platform="google", external_id="m", text="Rude desk, charged twice.", rating=5.0),
    ).post_id
    preview = bulk.preview(
        services, manager, pid, [posts["complaint"], posts["question"], posts["elsewhere"], mixed]
    )
    reasons = {x.post_id: x.reason for x in preview.left_out}
    assert reasons[posts["complaint"]] == "not a 5-star review"
    assert reasons[posts["question"]] == "not a 5-star review"
    assert reasons[posts["elsewhere"]] == "no such post in this practice"
    assert reasons[mixed].startswith("triaged as complaint")
    with pytest.raises(PermissionDenied):
        bulk.preview(services, actor(users["staff"]), pid, [posts["praise"]])


def test_when_policy_needs_another_manager_the_replies_wait_in_review(site):
    _, services, _, practices, users, posts = site
    pid = practices["maple"]
    services.practices.update_settings(SYSTEM, pid, {"approval_policy": "all"})
    manager = actor(users["manager"])
    (d,) = bulk.preview(services, manager, pid, [posts["praise"]]).drafts
    (done,) = bulk.confirm(
        services, manager, pid, [(d.post_id, d.version, d.reply, "template")]
    ).done
    assert done.state == "in_review" and "another manager" in done.note


def test_the_page_previews_then_confirms_and_the_api_does_the_same(site):
    app, services, _, practices, _, posts = site
    pid = practices["maple"]
    every = _praise(services, pid)
    ids = every[:2]
    client = sign_in(app, "manager")
    page = client.get(f"/p/{pid}/bulk").text
    assert f'name="post" value="{ids[0]}" checked' in page
    review = client.post(
        f"/p/{pid}/bulk/preview", data={"csrf_token": csrf_of(page), "post": [str(i) for i in ids]}
    ).text
    kept = re.findall(r'name="keep" value="(\d+)"', review)
    assert kept == [str(i) for i in ids]
    assert all(services.inbox.get_post(SYSTEM, i)["state"] == "new" for i in ids)
    form = {"csrf_token": csrf_of(review), "keep": [kept[0]]}  # the second is unticked
    for name, value in re.findall(
        r'<input type="hidden" name="((?:version|reply|composer)-\d+)" value="([^"]*)"', review
    ):
        form[name] = value.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    done = client.post(f"/p/{pid}/bulk/confirm", data=form).text
    assert "1 reply recorded" in done
    assert services.inbox.get_post(SYSTEM, ids[0])["state"] == "approved"
    assert services.inbox.get_post(SYSTEM, ids[1])["state"] == "new"
    # Staff cannot use the page.
    assert sign_in(app, "staff").get(f"/p/{pid}/bulk").status_code == 403
    # The API: a preview of every unanswered 5-star post, then a confirmation.
    api = client.post(
        f"/api/v1/practices/{pid}/bulk-replies/preview",
        json={"all_unanswered_five_star": True},
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert api.status_code == 200, api.text
    drafts = api.json()["drafts"]
    assert {d["post_id"] for d in drafts} == {*every[1:], posts["praise"]}
    body = {
        "replies": [
            {"post_id": d["post_id"], "expected_version": d["version"], "reply": d["reply"]}
            for d in drafts
        ]
    }
    confirmed = client.post(
        f"/api/v1/practices/{pid}/bulk-replies/confirm",
        json=body,
        headers={"X-CSRF-Token": csrf_of(page)},
    )
    assert confirmed.status_code == 200, confirmed.text
    assert [d["state"] for d in confirmed.json()["done"]] == ["approved"] * len(drafts)
