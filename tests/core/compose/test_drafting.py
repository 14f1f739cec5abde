"""Drafting: every post gets a reply suited to its kind that passes the linter, varied by post."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from safereply import check, parse_practice
from safereply.core.compose import (
    Draft,
    DraftRequest,
    Proposal,
    TemplateComposer,
    acknowledgement,
    draft,
    weighted_length,
)
from safereply.core.compose.drafting import (
    improvement_sentence_forms,
    is_mixed,
    platform_limit,
    question_intent,
)
from safereply.core.compose.templates import load_templates, parse_templates
from safereply.core.vocab import Verdict
from safereply.errors import InputError

DATA = Path(__file__).parent / "data"
POSTS = [json.loads(line) for line in (DATA / "posts.jsonl").read_text("utf-8").splitlines()]


@dataclass
class Triaged:
    """A hand-made triage result (the real triage is injected the same way)."""

    kind: str
    topics: list[str] = field(default_factory=list)
    discloses_health: bool = False
    sentiment: float | None = None


@pytest.fixture(scope="module")
def practice():
    return parse_practice((DATA / "practice.toml").read_text("utf-8"))


@pytest.fixture(scope="module")
def bare_practice():
    return parse_practice({"practice": {"name": "Cedar Clinic", "phone": "555-201-7788"}})


def _draft(post, practice, **kw):
    return draft(
        post["text"],
        practice=practice,
        platform=post.get("platform"),
        rating=post.get("rating"),
        post_id=post["id"],
        triage_result=Triaged(post["kind"], post["topics"]),
        **kw,
    )


@pytest.fixture(scope="module")
def drafts(practice):
    return [(post, _draft(post, practice)) for post in POSTS]


def test_the_corpus_is_large_and_covers_every_kind():
    kinds = {p["kind"] for p in POSTS}
    assert len(POSTS) >= 200
    assert kinds == {"complaint", "question", "praise", "spam", "emergency", "crisis", "other"}


def test_every_draft_passes_the_linter_with_the_post(drafts, practice):
    for post, d in drafts:
        if post["kind"] == "spam":
            continue
        report = check(d.reply, post=post["text"], practice=practice)
        assert report.verdict is Verdict.PASS, (post["id"], d.reply, report.findings)
        assert d.verdict is Verdict.PASS


def test_drafts_for_a_bare_profile_also_pass(bare_practice):
    for post in POSTS:
        d = _draft(post, bare_practice)
        assert d.verdict is Verdict.PASS, (post["id"], d.reply)


def test_complaints_invite_a_call_to_the_office_number(drafts, practice):
    for post, d in drafts:
        if post["kind"] == "complaint":
            assert practice.phone in d.reply, d.reply
            assert re.search(r"\bcall\b", d.reply, re.I)


def test_complaints_cite_the_recorded_improvement_for_their_topic(drafts, practice):
    """Precision and recall of citations against the hand labels of the invented corpus."""
    by_text = {i.text: i.topic for i in practice.improvements}
    right = wrong = eligible = hit = 0
    for post, d in drafts:
        if post["kind"] != "complaint":
            continue
        labelled = set(post["topics"])
        cited = [by_text[c] for c in d.cited_improvements]
        assert d.cited_improvement == (d.cited_improvements[0] if cited else None)
        for topic in cited:
            core = next(i.text for i in practice.improvements_for(topic)).split()[-1]
            assert core in d.reply
            right += topic in labelled
            wrong += topic not in labelled
        if any(practice.improvements_for(t) for t in labelled):
            eligible += 1
            hit += bool(labelled & set(cited))
    assert eligible > 50
    assert right / (right + wrong) >= 0.8, (right, wrong)  # labels often name one topic only
    assert hit / eligible >= 0.9, (hit, eligible)


def test_the_newest_improvement_of_a_topic_is_cited(practice):
    d = draft(
        "Waited forever again.",
        practice=practice,
        post_id="w",
        triage_result=Triaged("complaint", ["wait-time"]),
    )
    assert (
        d.cited_improvement == "started texting when the schedule runs more than 15 minutes behind"
    )


def test_questions_get_the_phone_and_no_advice(drafts, practice):
    for post, d in drafts:
        if post["kind"] == "question":
            assert practice.phone in d.reply


def test_care_questions_get_the_clinical_answer_not_advice(practice):
    d = draft(
        "Can I take ibuprofen before my extraction tomorrow?",
        practice=practice,
        post_id="q",
        triage_result=Triaged("question", ["clinical-care"], discloses_health=True),
    )
    assert "ibuprofen" not in d.reply.lower() and "extraction" not in d.reply.lower()
    assert "every situation is different" in d.reply.lower()


def test_praise_is_thanked_without_confirming_a_patient(drafts):
    for post, d in drafts:
        if post["kind"] == "praise":
            assert re.search(r"\b(?:thank|grateful|appreciate)", d.reply, re.I), d.reply
            assert not re.search(
                r"\b(?:your visit|see you|welcome back|our patient)", d.reply, re.I
            )


def test_emergency_replies_send_people_to_911_or_the_er_now(drafts):
    for post, d in drafts:
        if post["kind"] == "emergency":
            assert "911" in d.reply and "nearest emergency room" in d.reply


def test_crisis_replies_give_988_and_911(drafts):
    for post, d in drafts:
        if post["kind"] == "crisis":
            assert "call or text 988" in d.reply and "911" in d.reply


def test_spam_gets_no_reply_and_a_reason(drafts):
    for post, d in drafts:
        if post["kind"] == "spam":
            assert d.reply == "" and d.reason and d.source == "none"


def test_replies_never_name_the_poster_or_echo_the_post(drafts):
    names = {"Emma", "Mark", "Karen", "Maria", "Sarah"}
    for post, d in drafts:
        for name in names & set(re.findall(r"[A-Z][a-z]+", post["text"])):
            assert name not in d.reply, (post["id"], d.reply)


def test_x_replies_fit_in_280_characters(drafts):
    x_posts = [(p, d) for p, d in drafts if p.get("platform") == "x"]
    assert len(x_posts) >= 15
    for _, d in x_posts:
        assert weighted_length(d.reply, "x") <= 280, d.reply


def test_a_long_profile_still_fits_x_by_dropping_optional_parts():
    long = parse_practice(
        {
            "practice": {
                "name": "Riverside Family and Cosmetic Dentistry of Greater Springfield",
                "phone": "(555) 388-9100",
                "sign_off": "With warm regards from the whole Riverside Family Dentistry team",
            },
            "improvements": [
                {
                    "topic": "wait-time",
                    "text": "added a second check-in station and a text alert when we run late",
                }
            ],
        }
    )
    for n in range(30):
        d = draft(
            "waited 2 hours, unreal",
            practice=long,
            platform="X",
            post_id=n,
            triage_result=Triaged("complaint", ["wait-time"]),
        )
        assert d.verdict is Verdict.PASS
        assert len(d.reply) <= 280


def test_wording_is_deterministic_per_post_and_varies_between_posts(practice):
    complaints = [p for p in POSTS if p["kind"] == "complaint"][:100]
    first = [_draft(p, practice).reply for p in complaints]
    again = [_draft(p, practice).reply for p in complaints]
    assert first == again
    assert len(set(first)) >= 80  # distinct replies per 100 complaints


def test_the_seed_changes_the_wording_reproducibly(practice):
    post = POSTS[0]
    a = _draft(post, practice, seed=1).reply
    b = _draft(post, practice, seed=2).reply
    assert a == _draft(post, practice, seed=1).reply
    assert a != b or a != _draft(post, practice, seed=3).reply


def test_a_mixed_review_thanks_for_the_kind_words(practice):
    d = draft(
        "Friendly staff and a great hygienist, but the wait was long again.",
        practice=practice,
        rating=3,
        post_id="m",
        triage_result=Triaged("complaint", ["wait-time"]),
    )
    openers = load_templates().slot("complaint", "mixed_opener")
    assert any(d.reply.startswith(o) for o in openers)


@pytest.mark.parametrize(
    ("text", "rating", "sentiment", "expected"),
    [
        ("Friendly staff but the wait was long.", 3, None, True),
        ("Friendly staff but the wait was long.", 1, None, False),
        ("The staff were not friendly at all.", 3, None, False),
        ("Great dentist, terrible at returning calls.", None, -0.2, True),
        ("Terrible. Avoid.", 4, None, False),
        ("Kind people and a lovely office, but billing is a mess.", None, None, True),
    ],
)
def test_mixed_reviews_are_spotted(text, rating, sentiment, expected):
    assert is_mixed(text, rating=rating, sentiment=sentiment) is expected


@pytest.mark.parametrize(
    ("text", "health", "intent"),
    [
        ("Do you take Delta Dental PPO?", False, "insurance"),
        ("Are you accepting new patients?", False, "new-patients"),
        ("How much is a cleaning without insurance?", False, "insurance"),
        ("Do you offer payment plans?", False, "cost"),
        ("What are your hours on Fridays?", False, "hours"),
        ("Is there parking near the office?", False, "location"),
        ("Can I get a same-day appointment?", False, "scheduling"),
        ("How do I get my records transferred?", False, "records"),
        ("Do you do Invisalign consultations?", False, "services"),
        ("Is it normal for my gums to bleed?", False, "clinical"),
        ("Do you see kids?", True, "clinical"),
        ("Hello?", False, "general"),
    ],
)
def test_questions_are_routed_to_a_general_answer(text, health, intent):
    assert question_intent(text, health=health) == intent


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("added a second check-in station", ("added a second check-in station",) * 2),
        ("began evening hours", ("began evening hours", "begun evening hours")),
        ("made parking free", ("made parking free",) * 2),
        ("a second check-in station", None),
        ("new chairs in the waiting room", None),
    ],
)
def test_improvements_are_phrased_as_verbs_or_nouns(text, forms):
    assert improvement_sentence_forms(text) == forms


def test_an_improvement_recorded_as_a_noun_or_with_we_reads_well():
    p = parse_practice(
        {
            "practice": {"name": "Cedar Clinic", "phone": "555-201-7788"},
            "improvements": [
                {"topic": "facility", "text": "We have renovated the waiting room."},
                {"topic": "billing", "text": "A billing coordinator who returns calls same day"},
            ],
        }
    )
    fac = draft("dirty", practice=p, post_id=1, triage_result=Triaged("complaint", ["facility"]))
    assert "we have we" not in fac.reply.lower() and "renovated the waiting room" in fac.reply
    bil = draft("bill", practice=p, post_id=2, triage_result=Triaged("complaint", ["billing"]))
    assert ": a billing coordinator who returns calls same day." in bil.reply


class _Scripted:
    """A composer that proposes fixed replies, as a future model-backed composer would."""

    name = "scripted"

    def __init__(self, *replies: str) -> None:
        self.replies = replies
        self.seen: list[DraftRequest] = []

    def propose(self, request):
        self.seen.append(request)
        for reply in self.replies:
            yield Proposal(reply)


def test_a_failing_proposal_is_skipped_for_the_next_one(practice):
    composer = _Scripted(
        "Hi Karen, we'll call you about your crown.",
        "We're sorry to hear this. Please call us at (555) 388-9100.",
    )
    d = draft(
        "Karen here. My crown fell off.",
        practice=practice,
        post_id=1,
        triage_result=Triaged("complaint", ["clinical-care"]),
        composers=[composer],
    )
    assert d.reply == "We're sorry to hear this. Please call us at (555) 388-9100."
    assert d.source == "scripted"
    assert composer.seen[0].kind == "complaint" and composer.seen[0].max_chars == 4096


def test_templates_are_the_fallback_after_a_composer_that_proposes_nothing(practice):
    d = draft(
        "Rude staff.",
        practice=practice,
        post_id=1,
        triage_result=Triaged("complaint", ["staff-courtesy"]),
        composers=[_Scripted(), TemplateComposer()],
    )
    assert d.source == "template" and d.verdict is Verdict.PASS


def test_the_acknowledgement_is_the_last_resort(practice):
    d = draft(
        "Rude staff.",
        practice=practice,
        post_id=1,
        triage_result=Triaged("complaint", ["staff-courtesy"]),
        composers=[_Scripted("You were rude to our staff, Karen.")],
    )
    assert d.source == "acknowledgement"
    assert d.reply == acknowledgement(practice)
    assert d.verdict is Verdict.PASS


def test_the_gate_adds_a_missing_invitation_to_call(practice):
    d = draft(
        "The wait was terrible.",
        practice=practice,
        post_id=1,
        triage_result=Triaged("complaint", ["wait-time"]),
        composers=[_Scripted("We're sorry to hear about the delay.")],
    )
    assert d.reply.startswith("We're sorry to hear about the delay. ")
    assert practice.phone in d.reply and d.verdict is Verdict.PASS


def test_the_acknowledgement_passes_for_every_variant_and_profile(practice, bare_practice):
    profiles = [
        practice,
        bare_practice,
        parse_practice({"practice": {"name": "A", "phone": "5550100"}}),
    ]
    for p in profiles:
        for variant in range(5):
            for platform in (None, "x", "google"):
                reply = acknowledgement(p, platform=platform, variant=variant)
                assert check(reply, practice=p).verdict is Verdict.PASS
                assert p.phone in reply
                assert weighted_length(reply, platform) <= platform_limit(platform)


def test_the_acknowledgement_avoids_echoing_the_post(practice):
    post = "my feedback about my comment was ignored and my chance of getting seen is nil"
    reply = acknowledgement(practice, post=post)
    assert check(reply, post=post, practice=practice).verdict is Verdict.PASS


def test_draft_to_dict_has_the_design_keys_first(practice):
    d = _draft(POSTS[0], practice)
    out = d.to_dict()
    assert list(out)[:5] == ["id", "reply", "verdict", "kind", "topics"]
    assert out["id"] == POSTS[0]["id"] and out["verdict"] == "pass"
    assert d.to_dict(id="other")["id"] == "other"
    assert json.loads(json.dumps(out)) == out


def test_spam_to_dict_carries_the_reason():
    d = Draft(id=1, reply="", verdict=Verdict.PASS, kind="spam", reason="spam", source="none")
    assert d.to_dict() == {
        "id": 1,
        "reply": "",
        "verdict": "pass",
        "kind": "spam",
        "topics": [],
        "reason": "spam",
        "source": "none",
    }


@pytest.mark.parametrize("text", ["", "   ", None, 42])
def test_a_post_that_is_not_text_is_refused(practice, text):
    with pytest.raises(InputError):
        draft(text, practice=practice, triage_result=Triaged("other"))


def test_every_template_line_is_safe_on_its_own(practice):
    templates = load_templates()
    fields = {
        "phone": practice.phone,
        "name": practice.name,
        "address": practice.address,
        "website": practice.website,
        "improvement": "added a second check-in station",
        "flags": "trouble breathing or swallowing, or heavy bleeding",
    }

    def lines(node):
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            yield from node
        elif isinstance(node, dict):
            for value in node.values():
                yield from lines(value)

    count = 0
    for key, node in templates.data.items():
        if key in ("spam", "version"):
            continue
        for line in lines(node):
            if not line:
                continue
            text = line.format(**fields)
            report = check(text, practice=practice)
            assert all(f.code == "CP001" for f in report.findings), (line, report.findings)
            count += 1
    assert count > 100


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[praise]\nthanks = ["Hi {patient}"]', "unknown placeholder"),
        ('[complaint.topic.parking]\nown = ["x"]', "unknown topic"),
        ("[praise]\nthanks = [1]", "expected a string"),
    ],
)
def test_bad_template_files_are_refused(toml, message):
    with pytest.raises(ValueError, match=message):
        parse_templates(toml)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Waited two hours past my appointment and nobody apologized.", "complaint"),
        ("I want to end my life tonight.", "crisis"),
    ],
)
def test_without_an_injected_result_the_post_is_triaged(practice, text, kind):
    d = draft(text, practice=practice, rating=1, post_id="t")
    assert d.kind == kind and d.verdict is Verdict.PASS


def test_a_complaint_owns_its_gravest_topic(practice):
    d = draft(
        "Waited an hour and then the filling cracked.",
        practice=practice,
        post_id="g",
        triage_result=Triaged("complaint", ["wait-time", "clinical-care"]),
    )
    care_lines = load_templates().slot("complaint", "topic", "clinical-care", "own")
    assert any(line in d.reply for line in care_lines), d.reply
    # No improvement is recorded for care, so the closest one recorded (the wait) is cited.
    assert d.cited_improvement in {i.text for i in practice.improvements_for("wait-time")}
