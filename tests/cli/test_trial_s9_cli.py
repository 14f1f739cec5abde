"""What session 9's trial run met at the command line, as a front desk and a compliance officer.

Each case is a file or a message a person following the README produced: an Excel export saved
with semicolons (and a byte-order mark and CRLF line ends), a day-first date, an empty file, a
doctor summary with one warning, a password refused for a part of the e-mail nobody typed.
"""

from __future__ import annotations

import io
import json
import os

import pytest

from safereply.cli.main import main
from safereply.errors import InputError
from safereply.services.importer import NewPost, RejectedRow, parse_posts
from safereply.services.passwords import check_password
from safereply.words import counted

PROFILE = """
[practice]
name = "Bayview Smiles Dental"
phone = "(555) 412-7788"
"""

#: Excel's "CSV (semicolon delimited)": a byte-order mark, semicolons, CRLF, a comma in a text,
#: and a semicolon in a text, which Excel quotes.
EXCEL = (
    "\ufeffReview ID;Reviewer;Stars;Date;Comment\r\n"
    'x-1;Greta H.;5;03/11/2026;"Friendly team; quick appointment."\r\n'
    "x-2;Olu;2;15/11/2026;Bill was higher than the quote, nobody explained why.\r\n"
).encode()


@pytest.fixture
def env(tmp_path, monkeypatch):
    for key in [k for k in os.environ if k.startswith("SAFEREPLY_")]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{tmp_path / 'trial.sqlite3'}")
    monkeypatch.setenv("SAFEREPLY_JOBS_PATH", str(tmp_path / "jobs.sqlite3"))
    monkeypatch.setenv("SAFEREPLY_ADMIN_PASSWORD", "Molar-Harbor-Lantern-42")
    (tmp_path / "practice.toml").write_text(PROFILE)
    return tmp_path


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _init(env, capsys):
    argv = ("init", "--admin-email", "owner@bayview.test", "--practice", env / "practice.toml")
    assert run(capsys, *argv)[0] == 0


def test_a_semicolon_export_with_a_bom_and_crlf_reads_every_row():
    rows = list(parse_posts(EXCEL, name="reviews.csv", platform="google"))
    assert [type(r) for r in rows] == [NewPost, NewPost], rows
    first, second = rows
    assert (first.external_id, first.author, first.rating) == ("x-1", "Greta H.", 5.0)
    assert first.text == "Friendly team; quick appointment."
    assert second.text == "Bill was higher than the quote, nobody explained why."
    assert second.posted_at is not None and (second.posted_at.month, second.posted_at.day) == (
        11,
        15,
    )


def test_a_comma_file_whose_text_holds_semicolons_stays_a_comma_file():
    data = b"id,text\nr1,Great; quick; kind\n"
    (row,) = parse_posts(data, name="r.csv", platform="google")
    assert isinstance(row, NewPost) and row.text == "Great; quick; kind"


def test_a_semicolon_row_with_one_cell_too_many_is_named_by_line():
    bad = b"id;text;rating\nr1;Fine;5\nr2;Too; many;4\n"
    parsed = list(parse_posts(bad, name="r.csv", platform="google"))
    assert isinstance(parsed[0], NewPost)
    assert isinstance(parsed[1], RejectedRow) and parsed[1].line == 3
    assert "4 columns where the header has 3" in parsed[1].reason


@pytest.mark.parametrize(
    ("value", "month", "day"),
    [
        ("03/11/2026", 3, 11),  # ambiguous: read month first, as before
        ("15/11/2026", 11, 15),  # cannot be month first: day first
        ("15.11.2026", 11, 15),
        ("11/2/2026 2:05 PM", 11, 2),
    ],
)
def test_dates_as_spreadsheets_write_them(value, month, day):
    (row,) = parse_posts(f"id,text,date\nr1,Fine,{value}\n", name="r.csv", platform="google")
    assert isinstance(row, NewPost) and row.posted_at is not None
    assert (row.posted_at.month, row.posted_at.day) == (month, day)


def test_a_date_nobody_can_read_says_how_to_write_one():
    (row,) = parse_posts("id,text,date\nr1,Fine,next week\n", name="r.csv", platform="google")
    assert isinstance(row, RejectedRow)
    assert "2026-11-30" in row.reason and "not a date this import understands" in row.reason


def test_the_excel_file_imports_from_the_command_line(env, capsys):
    _init(env, capsys)
    (env / "excel.csv").write_bytes(EXCEL)
    status, out, err = run(
        capsys, "import", env / "excel.csv", "--practice-id", "1", "--platform", "google"
    )
    assert status == 0, (out, err)
    assert out.startswith("2 rows: 2 imported, 0 already there, 0 rejected"), out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; nothing was imported"),
        (b"\r\n  \n", "the file is empty; nothing was imported"),
        (b"review_id,review_text\r\n", "holds no posts (only a header"),
    ],
    ids=["empty", "blank-lines", "header-only"],
)
def test_an_empty_export_is_an_error_not_an_import_of_nothing(env, capsys, content, message):
    _init(env, capsys)
    (env / "reviews.csv").write_bytes(content)
    status, out, err = run(
        capsys, "import", env / "reviews.csv", "--practice-id", "1", "--platform", "google"
    )
    assert status == 2
    assert message in err and "Traceback" not in err
    assert "0 rows" not in out


def test_doctor_counts_one_warning_in_the_singular(env, capsys):
    _init(env, capsys)
    status, out, _ = run(capsys, "doctor")
    assert status == 0, out
    summary = out.splitlines()[-1]
    assert summary.endswith("0 failed, 1 warning"), summary  # the default secret
    assert "(s)" not in out


def test_a_password_holding_the_name_before_the_at_says_so():
    with pytest.raises(InputError) as refused:
        check_password("Bayview-Office-Manager-7", email="manager@bayview.example")
    assert "the name before its @ ('manager')" in str(refused.value)
    with pytest.raises(InputError, match=r"e-mail address$"):
        check_password("manager@bayview.example!!", email="manager@bayview.example")


@pytest.mark.parametrize(
    ("n", "words"), [(0, "0 seconds"), (1, "1 second"), (2, "2 seconds"), (15, "15 seconds")]
)
def test_counted_says_one_in_the_singular(n, words):
    assert counted(n, "second") == words
    assert counted(1, "sealed value") == "1 sealed value"


# -- the compliance officer's scan ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "holds no reviews or replies"),
        ("review_id,review_text,reply\n", "holds no reviews or replies"),
        (
            'review_id,review_text,Our Answer\nq1,Slow,"Hi Ola, we will call you."\n',
            "no column holds the practice's replies",
        ),
    ],
    ids=["empty", "header-only", "reply-column-unknown"],
)
def test_a_scan_that_can_find_no_reply_is_not_an_all_clear(tmp_path, capsys, content, message):
    export = tmp_path / "replies.csv"
    export.write_text(content)
    status, out, err = run(capsys, "scan", export)
    assert status == 2, (out, err)
    assert message in err and "0 replies scanned" not in out
    if "column" in message:
        assert "our_answer" in err and "owner_response" in err


def test_a_scan_of_reviews_some_unanswered_still_runs(tmp_path, capsys):
    export = tmp_path / "replies.csv"
    export.write_text('review_id,review_text,reply\nq1,Slow,"Hi Ola, we will call you."\nq2,Ok,\n')
    status, out, _ = run(capsys, "scan", export)
    assert status == 1
    assert out.startswith("1 reply scanned: 1 to delete or edit") and "1 review without" in out


def test_triage_takes_the_stars_and_platform_of_one_post_as_draft_does(capsys):
    text = "Lovely team, but the wait was long"
    status, out, _ = run(capsys, "triage", "--text", text, "--format", "json")
    without = json.loads(out)
    flags = ("--rating", "1", "--platform", "google", "--format", "json")
    status, out, _ = run(capsys, "triage", "--text", text, *flags)
    assert status == 0
    with_stars = json.loads(out)
    assert "1-star review" in with_stars["reasons"] and "1-star review" not in without["reasons"]


def test_a_line_s_own_rating_wins_over_the_flag(capsys, monkeypatch):
    line = json.dumps({"id": 7, "text": "Lovely team, but the wait was long", "rating": 5})
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    status, out, _ = run(capsys, "triage", "--rating", "1", "--format", "json", "-")
    assert status == 0
    assert "5-star review" in json.loads(out)["reasons"]


def test_triage_refuses_a_rating_out_of_range(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["triage", "--text", "Fine", "--rating", "9"])
    assert stopped.value.code == 2
    assert "must be from 1 to 5" in capsys.readouterr().err
