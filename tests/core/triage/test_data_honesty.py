"""Honest data splits (issues 13 and 15): blind sets measure, nothing named blind is fitted on.

``data/triage_blind.jsonl`` was written, labelled and committed before any rule or model saw it;
it is measured by ``bench/triage_quality.py`` and never trained on (it is the issue-15 tune split
since round 2). These tests pin that: its ids and texts (or near copies) are in no training input
of either model, the training scripts refuse a blind file, and the shipped models name what they
were trained on.

``data/triage_blind2`` (the second blind set) was measured once, at the end of session 5, and is
spent: since session 6 the triage model trains on it. ``data/triage_blind3`` was measured once at
the end of session 6 and is spent too: since session 7 the triage model trains on it.
``data/triage_blind4`` and ``data/triage_blind5`` were measured once at the end of sessions 7
and 8 and are spent: since session 9 the triage model trains on them too; ``data/triage_blind6``
was measured once at the end of session 9 and is trained on since session 10
(``train_triage.SPENT_BLIND`` names the five, the only blind folders training may read). A new
blind set (``triage_blind7``, being written in session 10) is refused: the tests below check that
with a folder of that name made in a temporary directory, and never open, list, read or resolve
anything of the real one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from importlib import resources
from pathlib import Path

import pytest
from triage_corpus import load_posts

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("SAFEREPLY_SHARED_DATA", ROOT.parent / "shared/data"))
TRIAGE_BLIND = load_posts("data/triage_blind.jsonl")
#: Every blind set of tests/core/triage: measured, never fitted.
BLIND_FILES = ("data/triage_blind.jsonl", "blind2_urgent_posts.jsonl", "data/urgent_es_blind.jsonl")
BLIND = [p for name in BLIND_FILES for p in load_posts(name)]
#: Two English posts of the Spanish blind set are word for word posts the urgency classifier is
#: trained on (found by this test, issue 15): their figures there are not blind.
KNOWN_COPIES = {"esb-en-em-011", "esb-en-cr-005"}


def _scripts():
    pytest.importorskip("sklearn", reason="the training scripts need the train extra")
    scripts = str(ROOT / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import train_triage
    import train_urgent

    return train_triage, train_urgent


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9']+", text.lower()))


def _training_posts() -> list[dict]:
    train_triage, train_urgent = _scripts()
    paths = {*train_triage.DEFAULT_POSTS, *train_urgent.DEFAULT_POSTS}
    return [json.loads(line) for path in sorted(paths) for line in path.open() if line.strip()]


def test_the_triage_blind_set_never_changes():
    # Measured before anything was built for it; editing it afterwards would unmake that.
    raw = (HERE / "data/triage_blind.jsonl").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == "3205ea90514186b5961aee02849e7fec543f3f281dd45f1472ae8f9cf6c47a4a"
    assert len(TRIAGE_BLIND) >= 300
    assert {p["kind"] for p in TRIAGE_BLIND} >= {"complaint", "question", "praise", "other"}
    assert sum(p["rating"] is None for p in TRIAGE_BLIND) >= 250


def test_blind_labels_are_well_formed():
    topics = {
        "wait-time",
        "scheduling",
        "staff-courtesy",
        "billing",
        "clinical-care",
        "facility",
        "communication",
        "privacy",
    }
    for post in TRIAGE_BLIND + load_posts("data/triage_dev.jsonl"):
        assert set(post) == {
            "id",
            "text",
            "platform",
            "rating",
            "kind",
            "topics",
            "aspects",
            "discloses_health",
        }, post["id"]
        assert set(post["topics"]) <= topics
        for aspect in post["aspects"]:
            assert aspect["topic"] in post["topics"], post["id"]
            assert aspect["polarity"] in ("positive", "negative", "mixed")
            assert aspect["evidence"] in post["text"], post["id"]


def test_no_blind_post_is_a_training_input():
    training = _training_posts()
    texts = {p["text"].strip().lower() for p in training}
    ids = {p["id"] for p in training}
    copies = {p["id"] for p in BLIND if p["text"].strip().lower() in texts}
    assert copies == KNOWN_COPIES
    for post in BLIND:
        assert post["id"] not in ids, post["id"]


#: Round-1 posts with a near copy among the training posts: since session 6 the spent second blind
#: set is trained on, and its "@ClearSkinDerm zero stars if I could" is the stock phrase of tb-001
#: (written independently). That one post's figure on the tune split is not held out.
KNOWN_NEAR_COPIES = {"tb-001"}


def test_no_training_post_is_a_near_copy_of_a_triage_blind_post():
    training = [_words(p["text"]) for p in _training_posts()]
    near = set()
    for post in TRIAGE_BLIND:
        words = _words(post["text"])
        for other in training:
            if words and other and len(words & other) / len(words | other) >= 0.8:
                near.add(post["id"])
    assert near == KNOWN_NEAR_COPIES


def test_blind_ids_are_not_review_labels():
    labels = [json.loads(line) for line in (ROOT / "data/review_labels.jsonl").open()]
    assert not {p["id"] for p in BLIND} & {r["id"] for r in labels}


@pytest.mark.skipif(
    not (SHARED / "provider_reviews.jsonl").is_file(), reason="shared data set not present"
)
def test_no_triage_blind_text_is_in_the_real_training_data():
    real = set()
    for name in ("provider_reviews.jsonl", "nhs_fft_multilabel.jsonl"):
        for line in (SHARED / name).open(encoding="utf-8"):
            real.add((json.loads(line).get("text") or "").strip().lower())
    assert not {p["text"].strip().lower() for p in TRIAGE_BLIND} & real


def _trained_on(model: str) -> list[str]:
    raw = resources.files("safereply.core.triage").joinpath("model", model)
    return json.loads(raw.read_text(encoding="utf-8"))["meta"]["trained_on"].get("posts", [])


@pytest.mark.parametrize("model", ["triage-model.json", "urgent-model.json"])
def test_the_shipped_models_name_no_blind_file_but_the_spent_one(model):
    used = _trained_on(model)
    assert used
    spent = tuple(f"triage_blind{n}/" for n in range(2, 7))
    assert [n for n in used if "blind" in n] == [n for n in used if n.startswith(spent)]


@pytest.mark.parametrize(
    ("folder", "prefix"),
    [
        ("triage_blind2", "t"),
        ("triage_blind3", "u"),
        ("triage_blind4", "v"),
        ("triage_blind5", "v"),
        ("triage_blind6", "w"),
    ],
)
def test_the_triage_model_says_it_trained_on_the_spent_blind_sets(folder, prefix):
    train_triage, _ = _scripts()
    assert train_triage.SPENT_BLIND == (
        "triage_blind2",
        "triage_blind3",
        "triage_blind4",
        "triage_blind5",
        "triage_blind6",
    )
    spent = sorted(n for n in _trained_on("triage-model.json") if n.startswith(f"{folder}/"))
    files = sorted(p.name for p in (ROOT / "data" / folder).glob(f"{prefix}*.jsonl"))
    assert spent == [f"{folder}/{name}" for name in files]
    assert len(files) == (4 if folder == "triage_blind6" else 6)
    # the urgency model was not retrained in sessions 6 to 9: it never saw these sets
    assert not [n for n in _trained_on("urgent-model.json") if "blind" in n]


def test_a_new_blind_set_is_refused_and_the_spent_one_is_not(tmp_path):
    train_triage, train_urgent = _scripts()
    new = tmp_path / "data/triage_blind7"
    new.mkdir(parents=True)
    (new / "t1.jsonl").write_text("{}\n", encoding="utf-8")
    assert train_triage.is_blind(new / "t1.jsonl")
    with pytest.raises(SystemExit):
        train_triage.refuse_blind([new / "t1.jsonl"])
    with pytest.raises(SystemExit):
        train_triage.main(["--nhs", str(new / "t1.jsonl"), "--out", str(tmp_path / "m")])
    spent = ROOT / "data/triage_blind2/t1.jsonl"
    assert not train_triage.is_blind(spent)
    assert not train_triage.is_blind(ROOT / "data/triage_blind3/u1.jsonl")
    assert not train_triage.is_blind(ROOT / "data/triage_blind4/v1.jsonl")
    assert not train_triage.is_blind(ROOT / "data/triage_blind5/v1.jsonl")
    assert not train_triage.is_blind(ROOT / "data/triage_blind6/w1.jsonl")
    train_triage.refuse_blind(
        [spent, ROOT / "data/triage_blind3/u1.jsonl", ROOT / "data/triage_blind5/v1.jsonl"]
    )  # no error
    assert not (tmp_path / "m").exists()
    # the urgency model's script still refuses every blind folder, the spent one included
    with pytest.raises(SystemExit):
        train_urgent.main(["--posts", str(spent), "--out", str(tmp_path / "u")])
    assert not (tmp_path / "u").exists()


def test_the_training_scripts_refuse_a_blind_file(tmp_path):
    train_triage, train_urgent = _scripts()
    blind = HERE / "data/triage_blind.jsonl"
    with pytest.raises(SystemExit):
        train_triage.load_corpus(tmp_path / "none.jsonl", None, None, [blind])
    with pytest.raises(SystemExit):
        train_urgent.main(
            ["--real", str(blind), "--posts", str(blind), "--out", str(tmp_path / "m")]
        )
    assert not (tmp_path / "m").exists()


def test_the_urgency_model_never_samples_a_test_review():
    _, train_urgent = _scripts()
    held = train_urgent.held_review_ids(ROOT / "data/review_labels.jsonl")
    assert len(held) == 300
    raw = resources.files("safereply.core.triage").joinpath("model", "urgent-model.json")
    meta = json.loads(raw.read_text(encoding="utf-8"))["meta"]["trained_on"]
    assert meta["real_rows_never_sampled"] == 300


def test_a_seventh_blind_set_is_refused_by_its_name_alone(tmp_path):
    # data/triage_blind7 is being written in session 10: a folder of that name is refused whatever
    # file is named, and neither ".." through a spent folder nor a link makes it look spent. The
    # folder here is a temporary one: the real folder is never opened, listed, read or resolved.
    train_triage, train_urgent = _scripts()
    seventh = tmp_path / "data/triage_blind7"
    spent = tmp_path / "data/triage_blind6"
    for folder in (seventh, spent):
        folder.mkdir(parents=True)
    for name in ("w1.jsonl", "x1.jsonl", "t1.jsonl", "anything.jsonl"):
        assert train_triage.is_blind(seventh / name)
        with pytest.raises(SystemExit):
            train_triage.refuse_blind([seventh / name])
    assert train_triage.is_blind(spent / ".." / "triage_blind7" / "x1.jsonl")
    link = tmp_path / "triage_blind6"
    link.symlink_to(seventh, target_is_directory=True)
    assert train_triage.is_blind(link / "x1.jsonl")
    assert not any("blind7" in str(p) for p in train_triage.DEFAULT_POSTS)
    assert not any("blind7" in str(p) for p in train_urgent.DEFAULT_POSTS)
    (seventh / "x1.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        train_triage.main(["--nhs", str(seventh / "x1.jsonl"), "--out", str(tmp_path / "m")])
    assert not (tmp_path / "m").exists()


def _folder_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.jsonl")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_the_third_blind_set_is_unchanged_and_spent():
    # Written in session 6 by a helper that never read the triage code, committed before any
    # rule or model saw it, measured once by the lead at the end of session 6; spent since, and
    # in session 7 read and trained on (train_triage.DEFAULT_POSTS): its figures are no longer
    # estimates. Its bytes still never change.
    folder = ROOT / "data/triage_blind3"
    assert _folder_digest(folder) == (
        "774c95982eaa25474dc3c13a9f21a5dfea0a01054bf5bee20f365cebcf56ca1d"
    )
    blind3 = [json.loads(line) for p in sorted(folder.glob("*.jsonl")) for line in p.open()]
    assert len(blind3) == 320
    train_triage, _ = _scripts()
    assert not train_triage.is_blind(folder / "u1.jsonl")
    assert sorted(folder.glob("u*.jsonl")) == [
        p for p in train_triage.DEFAULT_POSTS if p.parent.name == "triage_blind3"
    ]


def test_the_fourth_blind_set_is_unchanged_and_spent():
    # Written in session 7 by a helper that never read the triage code, committed before any
    # rule or model saw it, measured once by the lead at the end of session 7; spent since, and
    # in session 8 read for topic rules (tests/core/triage/test_topics_session8.py): its figures
    # are no longer estimates. Since session 9 the triage model trains on it (a default input).
    # Its bytes still never change.
    folder = ROOT / "data/triage_blind4"
    assert _folder_digest(folder) == (
        "bb46ba155f79d8d29cafb94ca2847e244503f52d370032c653571496667478f9"
    )
    blind4 = [json.loads(line) for p in sorted(folder.glob("*.jsonl")) for line in p.open()]
    assert len(blind4) == 320
    train_triage, _ = _scripts()
    assert not train_triage.is_blind(folder / "v1.jsonl")
    assert sorted(folder.glob("v*.jsonl")) == [
        p for p in train_triage.DEFAULT_POSTS if p.parent.name == "triage_blind4"
    ]


def test_the_fifth_blind_set_is_unchanged_and_spent():
    # Written in session 8 by a helper that never read the triage code, committed before any
    # rule or model saw it, measured once by the lead at the end of session 8; spent since (its
    # missed urgent posts read for rules), and since session 9 read for kind shapes and trained
    # on (train_triage.DEFAULT_POSTS). Its bytes still never change.
    folder = ROOT / "data/triage_blind5"
    assert _folder_digest(folder) == (
        "931780a5f464bfe68304d5a09e0552da6bc4995666bd1d245a34d34254b43943"
    )
    blind5 = [json.loads(line) for p in sorted(folder.glob("*.jsonl")) for line in p.open()]
    assert len(blind5) == 320
    train_triage, _ = _scripts()
    assert not train_triage.is_blind(folder / "v1.jsonl")
    assert sorted(folder.glob("v*.jsonl")) == [
        p for p in train_triage.DEFAULT_POSTS if p.parent.name == "triage_blind5"
    ]


def test_the_sixth_blind_set_is_unchanged_and_spent():
    # Written in session 9 by a helper that never read the triage code, committed before any
    # rule or model saw it, measured once by the lead at the end of session 9; spent since, read
    # for urgency rules (test_urgent_blind6.py) and since session 10 trained on
    # (train_triage.DEFAULT_POSTS). Its bytes still never change.
    folder = ROOT / "data/triage_blind6"
    assert _folder_digest(folder) == (
        "cb6b0dccb5eb083395358f9540727d85e21d8985a75d221130426a6d12531124"
    )
    blind6 = [json.loads(line) for p in sorted(folder.glob("*.jsonl")) for line in p.open()]
    assert len(blind6) == 240 and len({p["id"] for p in blind6}) == 240
    train_triage, train_urgent = _scripts()
    assert not train_triage.is_blind(folder / "w1.jsonl")
    assert sorted(folder.glob("w*.jsonl")) == [
        p for p in train_triage.DEFAULT_POSTS if p.parent.name == "triage_blind6"
    ]
    # the urgency model's script still refuses it (every folder named blind)
    assert not any("blind6" in str(p) for p in train_urgent.DEFAULT_POSTS)
