"""``safereply import`` of a history export with the owner's replies, end to end on a SQLite file
(real triage): the summary says how many posts arrived already answered and how many are open,
points to ``safereply scan`` for those replies, and reports an unreadable reply date by line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from safereply.cli.admin import _check_mapped_columns
from safereply.cli.io import UsageError
from safereply.cli.main import main
from safereply.store import open_store
from safereply.store.models import Post

PROFILE = """
[practice]
name = "Cedar Park Pediatrics"
phone = "(555) 770-1200"
"""

HISTORY = (
    "review_id,stars,review_text,date,reply,reply_date\n"
    "g1,5,Wonderful with my toddler!,2026-03-01,Thank you so much!,2026-03-02\n"
    "g2,1,We waited over an hour and nobody said sorry.,2026-03-05,,\n"
    "g3,4,Kind nurses.,2026-03-07,Thanks!,not a date\n"
    "g4,2,The front desk was curt.,2026-03-09,We are sorry to hear this.,\n"
)


@pytest.fixture
def env(tmp_path, monkeypatch, capsys):
    db = tmp_path / "history.sqlite3"
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SAFEREPLY_ADMIN_PASSWORD", "a long admin password")
    (tmp_path / "practice.toml").write_text(PROFILE)
    assert main(["init", "--practice", str(tmp_path / "practice.toml")]) == 0
    capsys.readouterr()
    return tmp_path


def _run(capsys, *argv: str) -> tuple[int, str]:
    status = main(["import", *argv, "--practice-id", "1", "--platform", "google"])
    return status, capsys.readouterr().out


def _states(env) -> dict[str, str]:
    store = open_store(f"sqlite:///{env / 'history.sqlite3'}")
    try:
        with store.read() as session:
            return dict(session.execute(select(Post.external_id, Post.state)).all())
    finally:
        store.dispose()


def test_the_summary_counts_answered_and_open_posts_and_points_to_scan(env, capsys):
    export = env / "history.csv"
    export.write_text(HISTORY)
    status, out = _run(capsys, str(export))
    assert status == 1  # a rejected row
    lines = out.splitlines()
    assert lines[0].startswith("4 rows: 3 imported, 0 already there, 1 rejected")
    assert lines[1] == "2 posts arrived already answered; 1 open"
    assert lines[2] == (
        f"  their replies were not checked: to lint them, run safereply scan {export}"
    )
    # g2, open, was written in March: backlog, not overdue tomorrow.
    assert lines[3] == (
        "backlog: 1 open post written more than 30 days before today, due within 14 days "
        "instead of the reply time"
    )
    assert "line 4: the reply's date 'not a date' is not a date this import understands" in out
    assert _states(env) == {"g1": "marked_replied", "g2": "new", "g4": "marked_replied"}


def test_json_summary_and_a_reimport_that_adds_a_reply_to_an_open_post(env, capsys):
    export = env / "history.csv"
    export.write_text(HISTORY.replace("not a date", "2026-03-08"))
    status, out = _run(capsys, str(export), "--format", "json")
    report = json.loads(out)
    assert status == 0
    assert (report["created"], report["answered"], report["open"]) == (4, 3, 1)
    assert report["open_with_reply"] == []
    export.write_text(
        export.read_text().replace(
            "nobody said sorry.,2026-03-05,,", "nobody said sorry.,2026-03-05,We are sorry.,"
        )
    )
    status, out = _run(capsys, str(export))
    assert status == 0
    assert out.splitlines()[0].startswith("4 rows: 0 imported, 4 already there")
    assert "1 already in the inbox and still open, though the file has their reply (lines 3)" in out
    assert "arrived already answered" not in out  # nothing was imported
    assert _states(env)["g2"] == "new"


def test_map_names_the_reply_column(env, capsys):
    export = env / "yelp.csv"
    export.write_text(
        "id,text,Owner Comment,Owner Comment Date\n"
        "y1,Lovely staff,Thank you!,2026-02-02\n"
        "y2,Too slow,,\n"
    )
    status, out = _run(
        capsys,
        str(export),
        "--map",
        "reply=Owner Comment",
        "--map",
        "replied_at=Owner Comment Date",
    )
    assert status == 0
    assert "1 post arrived already answered; 1 open" in out
    assert _states(env) == {"y1": "marked_replied", "y2": "new"}


def test_close_answered_closes_the_open_posts_the_file_now_answers(env, capsys):
    export = env / "history.csv"
    export.write_text(HISTORY)
    _run(capsys, str(export))
    export.write_text(
        HISTORY.replace(
            "g2,1,We waited over an hour and nobody said sorry.,2026-03-05,,",
            "g2,1,We waited over an hour and nobody said sorry.,2026-03-05,"
            "We are sorry to hear this.,2026-03-06",
        )
    )
    _, listed = _run(capsys, str(export))
    assert "import again with --close-answered" in listed
    assert _states(env)["g2"] == "new"
    _, out = _run(capsys, str(export), "--close-answered")
    assert "1 post already in the inbox and still open was closed as answered" in out
    assert _states(env)["g2"] == "marked_replied"
    assert main(["audit", "verify"]) == 0


def test_a_map_to_a_column_the_csv_does_not_have_is_refused(env, capsys):
    export = env / "history.csv"
    export.write_text(HISTORY)
    # It read an empty column: every answered review arrived open, and nothing was said.
    status, _ = _run(capsys, str(export), "--map", "reply=Owner Reply")
    assert status == 2
    assert _states(env) == {}
    # The right column, however it is spelled (case, spaces), still works.
    status, _ = _run(capsys, str(export), "--map", "reply=REPLY")
    assert status == 1  # one row with a bad reply date
    assert _states(env)["g1"] == "marked_replied"


def test_the_refusal_names_the_missing_column_and_the_files_columns():
    with pytest.raises(UsageError) as refused:
        _check_mapped_columns(HISTORY, "history.csv", None, {"reply": "Owner Reply"})
    assert "--map reply=Owner Reply: the file has no column 'Owner Reply'" in str(refused.value)
    assert "review_id, stars, review_text" in str(refused.value)
    # JSON is not checked: an optional key may be absent from the first rows.
    _check_mapped_columns('[{"text": "x"}]', "g.json", None, {"reply": "reviewReply.comment"})
