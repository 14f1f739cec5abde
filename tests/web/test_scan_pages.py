"""The scan page: managers rank published replies by risk, from an upload or the inbox."""

from __future__ import annotations

from factories import csrf_of, sign_in

from safereply.store.models import Draft, PublishedReply

EXPORT = (
    "review_id,review_text,rating,reply\n"
    'r1,"My crown feels great",5,"Hi Karen, so glad your crown feels great!"\n'
    'r2,"Nice office",5,"Thank you for the kind words!"\n'
    'r3,"Rude",1,\n'
    'r4,"x",1,"a","b"\n'
)


def _record_reply(services, post_id: int, text: str) -> None:
    """Record a reply as published before today's rules (the inbox never lets one through)."""
    with services.store.write() as session:
        draft = Draft(post_id=post_id, number=99, text=text, verdict="pass", report={})
        session.add(draft)
        session.flush()
        session.add(
            PublishedReply(
                post_id=post_id, draft_id=draft.id, text=text, method="manual", platform="yelp"
            )
        )


def test_managers_scan_an_upload_and_see_the_ranked_report(site):
    app, *_ = site
    client = sign_in(app, "manager")
    form = client.get("/p/1/scan")
    assert form.status_code == 200
    assert 'href="/p/1/scan" aria-current="page">Scan replies</a>' in form.text
    response = client.post(
        "/p/1/scan",
        data={"csrf_token": csrf_of(form.text), "source": "upload", "format": ""},
        files={"file": ("replies.csv", EXPORT, "text/csv")},
    )
    assert response.status_code == 200, response.text
    assert "Delete this reply now" in response.text
    assert "Karen" in response.text and "ID001" in response.text
    assert "review without a reply" in response.text  # one: singular
    assert '1</span> <span class="tile-l">row not read' in response.text
    audit = client.get("/p/1/audit?action=replies.scanned&format=json").json()
    assert audit, "the scan is recorded in the audit log"


def test_the_inbox_scan_reads_recorded_replies_of_this_practice_only(site):
    app, services, _clock, _practices, _users, posts = site
    _record_reply(services, posts["praise"], "So glad your root canal went well, see you soon!")
    _record_reply(services, posts["elsewhere"], "Hi Karen, your crown looks great.")
    client = sign_in(app, "manager")
    csrf = csrf_of(client.get("/p/1/scan").text)
    response = client.post("/p/1/scan?format=json", data={"csrf_token": csrf, "source": "inbox"})
    assert response.status_code == 200, response.text
    data = response.json()
    ids = [r["id"] for r in data["replies"]]
    assert ids == [f"post-{posts['praise']}"]
    assert data["replies"][0]["verdict"] == "block"
    assert data["counts"]["block"] == 1


def test_staff_cannot_scan_and_other_practices_are_404(site):
    app, *_ = site
    staff = sign_in(app, "staff")
    assert staff.get("/p/1/scan").status_code == 403
    manager = sign_in(app, "manager")
    assert manager.get("/p/2/scan").status_code == 404
