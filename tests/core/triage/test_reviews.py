"""Behaviour learnt from real reviews, and the review labels the topic model trains on."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from safereply import triage
from safereply.core.vocab import TOPICS, PostKind

ROOT = Path(__file__).resolve().parents[3]
LABELS = ROOT / "data/review_labels.jsonl"
SHARED = Path(os.environ.get("SAFEREPLY_SHARED_DATA", ROOT.parent / "shared/data"))


def _labels() -> list[dict]:
    return [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line]


def _train_triage():
    pytest.importorskip("sklearn", reason="training needs the train extra (scikit-learn)")
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import train_triage

    return train_triage


@pytest.mark.parametrize(
    ("text", "rating", "kind"),
    [
        # a rhetorical question in a glowing review is not a question to answer
        (
            "Looking for an honest, gentle chiropractor? This is the guy! Highly recommend.",
            5,
            "praise",
        ),
        ("What can I say? Dr. Lee is simply the best. Highly recommend!", 5, "praise"),
        ("Gosh, where do I begin? Wonderful staff and a wonderful doctor.", 5, "praise"),
        # ... but one put to the practice still is
        ("Love this office! Do you take Delta Dental PPO?", 5, "question"),
        # complaints about earlier providers do not make a glowing review a complaint
        (
            "After two other doctors brushed me off and were so dismissive, Dr. Kim finally "
            "listened. She is wonderful and thorough. Highly recommend!",
            5,
            "praise",
        ),
        # ... nor does the poster's own health story in one
        (
            "I came in after a car accident with terrible neck pain. Dr. Chuck was gentle and "
            "patient, and I am so grateful. Highly recommend!",
            5,
            "praise",
        ),
        # ... a complaint about this practice in a glowing review still does
        ("Dr. Kim is wonderful, but the front desk was rude to my mother.", 5, "complaint"),
        # RateMDs averages sub-ratings: 3.25 stars with "but" is a mixed review
        ("Long wait times are on point, but she is an amazing doctor.", 3.25, "complaint"),
        # one mild criticism in a glowing review makes it a complaint, as the labellers read it;
        # but the kind stacker, fitted on the labelled reviews (issue 15), weighs five glowing
        # stars over a remark about insurance cover: praise (kind accuracy on the test reviews
        # rose from 0.923 to 0.950 with it, docs/triage.md)
        ("Smart, kind and thorough. She does not take Medicare though.", 5, "praise"),
        (
            "Very knowledgeable. Repeats himself a lot, but other than that I like him.",
            4.25,
            "complaint",
        ),
        ("Great doctor and staff. Hard to get an appointment when you are ill.", 4, "complaint"),
        # RateMDs averages: 2.5 stars is a complaint however it is worded
        ("Treats lab results not you. Autocratic.", 2.5, "complaint"),
        ("Always a long wait, and I've had several misdiagnoses.", 3.0, "complaint"),
        (
            "Great podiatrist, very kind. His office leaves a little to be desired.",
            4.67,
            "complaint",
        ),
        # prices and gift cards in a review are not spam
        ("They have a monthly deal, $79 per month for one massage. Loved it!", 4, "praise"),
        ("I had a visa gift card that covered the bill. Great visit.", 5, "praise"),
        ("Parking in the garage next door is $10/day. Lovely staff.", 5, "praise"),
        # ... an offer to earn money still is
        ("Make $300 per day from home, no experience needed, DM me", None, "spam"),
    ],
)
def test_review_kinds(text, rating, kind):
    assert triage(text, rating=rating).kind == kind


def test_glowing_review_is_not_escalated_by_the_classifier_but_rules_still_read_it():
    assert triage("He is such a good Dr. You won't be disappointed!!", rating=5).kind == "praise"
    crisis = triage("Dr. Lee is wonderful and kind. I have the pills lined up tonight.", rating=5)
    assert crisis.kind == PostKind.CRISIS


def test_private_practice_is_not_a_privacy_complaint():
    result = triage(
        "She is now in private practice and it is wonderful. The staff are kind.", rating=5
    )
    assert "privacy" not in result.topics
    assert result.kind == "praise"


def test_precise_facility_words_decide_the_topic():
    assert "facility" in triage("The bathroom was filthy.", rating=2).topics
    assert "facility" in triage("Parking is impossible on weekdays.").topics


def test_review_labels_are_well_formed():
    rows = _labels()
    assert len({r["id"] for r in rows}) == len(rows)
    assert Counter(r["split"] for r in rows) == {"train": 2068, "test": 300}
    kinds = {k.value for k in PostKind}
    for row in rows:
        assert set(row) == {"id", "split", "kind", "topics", "discloses_health"}, row["id"]
        assert row["kind"] in kinds and set(row["topics"]) <= set(TOPICS), row["id"]
        assert isinstance(row["discloses_health"], bool)
    assert "text" not in LABELS.read_text(encoding="utf-8")  # labels only, never the data


def test_held_out_reviews_never_change():
    # The 300 test reviews are the measure the benchmark reports; a new label round may add
    # train rows, never move a review into or out of the test split.
    ids = sorted(r["id"] for r in _labels() if r["split"] == "test")
    digest = hashlib.sha256("\n".join(ids).encode("utf-8")).hexdigest()
    assert digest == "db7cb6a9b56601c0986c5612635791174247a1f6f61f9984abad10f1d38e4578"


@pytest.mark.skipif(
    not (SHARED / "provider_reviews.jsonl").is_file(), reason="shared data set not present"
)
def test_review_labels_name_reviews_of_the_data_set():
    ids = {
        json.loads(line)["id"]
        for line in (SHARED / "provider_reviews.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert {r["id"] for r in _labels()} <= ids


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_load_corpus_trains_on_train_reviews_and_leaves_test_reviews_out(tmp_path):
    tt = _train_triage()
    nhs = _write(tmp_path / "nhs.jsonl", [{"text": "Waited an hour.", "topics": ["wait-time"]}])
    reviews = _write(
        tmp_path / "reviews.jsonl",
        [
            {"id": "r1", "text": "The bill was wrong.", "rating": 1},
            {"id": "r2", "text": "Lovely staff.", "rating": 5},
            {"id": "r3", "text": "Fine.", "rating": 3},
        ],
    )
    labels = _write(
        tmp_path / "labels.jsonl",
        [
            {
                "id": "r1",
                "split": "train",
                "kind": "complaint",
                "topics": ["billing", "privacy"],
                "discloses_health": False,
            },
            {
                "id": "r2",
                "split": "test",
                "kind": "praise",
                "topics": ["staff-courtesy"],
                "discloses_health": False,
            },
        ],
    )
    corpus = tt.load_corpus(nhs, reviews, labels)
    assert corpus.texts == ["Waited an hour.", "The bill was wrong.", "Fine."]
    assert list(corpus.source) == ["nhs", "review", "review"]
    billing = tt.MODEL_TOPICS.index("billing")
    privacy = tt.MODEL_TOPICS.index("privacy")
    assert corpus.topics[1, billing] == 1 and corpus.topics[1, privacy] == 1
    assert corpus.topics[1].sum() == 2
    assert corpus.topics[0, privacy] == -1  # the NHS labels do not cover privacy
    assert (corpus.topics[2] == -1).all()  # unlabelled review: sentiment only
    assert list(corpus.sentiment) == [-1, 0, -1]
    assert list(corpus.kind) == [-1, tt.KIND_OUTPUTS.index("complaint"), -1]
    params = tt.Params(review_weight=2.0, nhs_weight=0.5)
    assert list(tt._topic_weights(corpus, [0, 1], params)) == [0.5, 2.0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"split": "train", "kind": "praise", "topics": [], "discloses_health": False}, "id"),
        (
            {"id": "a", "split": "dev", "kind": "praise", "topics": [], "discloses_health": False},
            "split",
        ),
        (
            {"id": "a", "split": "train", "kind": "rant", "topics": [], "discloses_health": False},
            "kind",
        ),
        (
            {
                "id": "a",
                "split": "train",
                "kind": "praise",
                "topics": ["parking"],
                "discloses_health": False,
            },
            "topics",
        ),
        (
            {"id": "a", "split": "train", "kind": "praise", "topics": [], "discloses_health": "no"},
            "discloses_health",
        ),
    ],
)
def test_bad_review_label_rows_stop_with_their_row_number(tmp_path, row, message):
    tt = _train_triage()
    good = {"id": "ok", "split": "train", "kind": "praise", "topics": [], "discloses_health": False}
    path = _write(tmp_path / "labels.jsonl", [good, row])
    with pytest.raises(SystemExit, match=rf"row 2: .*{message}"):
        tt.load_review_labels(path)


def test_duplicate_review_label_ids_are_rejected(tmp_path):
    tt = _train_triage()
    row = {"id": "a", "split": "train", "kind": "praise", "topics": [], "discloses_health": False}
    with pytest.raises(SystemExit, match="row 2: duplicate id a"):
        tt.load_review_labels(_write(tmp_path / "labels.jsonl", [row, row]))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I have been with this gp surgery for years and the staff are kind.", False),
        ("The surgery phoned me on Friday with an appointment.", False),
        ("My surgery went well, thank you Dr. Lee.", True),  # an operation
        ("He put tubes in my son's ears and removed his adenoids.", True),
        ("Went for my first jab today, very well organised.", True),
        ("We went for our covid vaccinations and were in and out in ten minutes.", True),
        ("Dr. Ames delivered both my children and I trust her completely.", True),
        ("We offer covid vaccinations on Saturdays.", False),  # a practice's own voice
    ],
)
def test_disclosure_on_review_wording(text, expected):
    assert triage(text).discloses_health is expected


def test_despair_inside_a_long_complaint_is_a_crisis():
    # A real review ends: "I'm 66 now and just hoping I don't have to live much longer like this."
    text = (
        "Nobody would listen about my pain and I was sent home again. I'm 66 now and just hoping "
        "I don't have to live much longer like this."
    )
    assert triage(text, rating=1).kind == PostKind.CRISIS
