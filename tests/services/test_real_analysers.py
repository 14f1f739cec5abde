"""The inbox with the package's own triage, linter and composer (no fakes)."""

from __future__ import annotations

from factories import add_practice

from safereply.core.practice import Practice
from safereply.services import SYSTEM, NewPost, build_services


def test_real_pipeline_from_arrival_to_reply(store, clock):
    services = build_services(store, clock=clock)
    pid = add_practice(services, Practice(name="Willow Creek Dental", phone="(555) 610-4400"))
    inbox = services.inbox
    complaint = inbox.receive(
        SYSTEM,
        pid,
        NewPost(
            platform="google",
            external_id="r1",
            rating=1,
            text="Waited two hours past my appointment and the front desk was rude.",
        ),
    ).post_id
    emergency = inbox.receive(
        SYSTEM,
        pid,
        NewPost(
            platform="facebook",
            external_id="f1",
            text="I have crushing chest pain and can't breathe after the visit",
        ),
    )
    assert emergency.escalated
    post = inbox.get_post(SYSTEM, complaint)
    assert post["kind"] == "complaint" and "wait-time" in post["topics"]
    suggested = inbox.suggest(SYSTEM, complaint)["draft"]
    assert suggested["verdict"] == "pass" and "(555) 610-4400" in suggested["text"]
    ack = inbox.acknowledge(SYSTEM, complaint)["draft"]
    assert ack["verdict"] == "pass" and ack["source"] == "acknowledgement"
    unsafe = inbox.save_draft(
        SYSTEM, complaint, "Sorry Karen, we reviewed your chart and will call you."
    )
    assert unsafe["draft"]["verdict"] == "block" and unsafe["draft"]["report"]["findings"]
