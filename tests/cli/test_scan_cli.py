"""`safereply scan`: risk-rank published replies from an export, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CSV = """review_id,review_text,rating,reply
r1,"Great dentist, my crown feels perfect",5,"Hi Karen, so glad your crown feels perfect! \
See you at your next cleaning."
r2,"Waited 2 hours",1,"We're sorry for the wait. Please call our office at (555) 388-9100 \
so we can talk."
r3,"Love this place",5,
r4,"Rude staff",1,"This review is fake. Please call (555) 388-9100."
r5,"oops",1,"a","b"
"""


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "safereply", "scan", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "replies.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_json_lines_are_ranked_riskiest_first_and_nothing_is_dropped(export):
    result = run(str(export), "--format", "json")
    assert result.returncode == 2, result.stderr  # line 6 cannot be read
    rows = [json.loads(line) for line in result.stdout.decode().splitlines()]
    replies = [r for r in rows if "verdict" in r]
    assert [r["id"] for r in replies] == ["r1", "r4", "r2"]
    assert replies[0]["verdict"] == "block" and replies[0]["action"] == "delete"
    assert replies[0]["risk"] > replies[1]["risk"] > replies[2]["risk"] == 0
    assert {f["code"] for f in replies[0]["findings"]} >= {"ID001", "HD001"}
    assert "Karen" not in replies[0]["rewrite"]
    assert replies[1]["verdict"] == "warn" and replies[1]["action"] == "review"
    assert {"id": "r3", "line": 4, "unanswered": True} in rows
    assert any(r.get("error", "").startswith("line 6:") for r in rows)


def test_html_report_is_one_self_contained_page(export, tmp_path):
    page = tmp_path / "report.html"
    run(str(export), "--html", str(page), "--fail-on", "never")
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert "<script" not in html and "<link" not in html
    assert '<mark class="error"' in html and "Karen" in html
    assert "Delete this reply now" in html
    assert "line 6:" in html


def test_exit_status_follows_fail_on(export, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(
        json.dumps({"id": "a", "text": "Nice", "reply": "Thank you for the kind words!"}) + "\n",
        encoding="utf-8",
    )
    assert run(str(good)).returncode == 0
    risky = tmp_path / "risky.jsonl"
    risky.write_text(
        json.dumps(
            {"id": "b", "text": "x", "response": "This review is fake and we will not respond."}
        )
        + "\n",
        encoding="utf-8",
    )
    assert run(str(risky), "--fail-on", "warn").returncode == 1


def test_a_missing_file_is_a_usage_error(tmp_path):
    result = run(str(tmp_path / "nope.csv"))
    assert result.returncode == 2
    assert b"no such file" in result.stderr


def test_html_marks_an_error_that_overlaps_a_warning_as_an_error():
    # A learned tone warning over "necessary given your gum" used to hide the health-detail
    # error "your gum disease" that starts inside it: the page marked the warning and left
    # "disease" plain. Overlapping spans are one mark now, of the worst severity, naming both.
    from safereply.core.lint.types import Category, Finding, Report, Severity
    from safereply.services.scan import ScanItem, ScanResult, render_html

    reply = "Your x-rays were necessary given your gum disease."
    at = reply.index

    def finding(code, category, severity, text):
        start = at(text)
        return Finding(code, code.lower(), category, severity, start, start + len(text), text, "m")

    report = Report.from_findings(
        [
            finding("TN006", Category.TONE, Severity.WARNING, "necessary given your gum"),
            finding("HD001", Category.HEALTH_DETAIL, Severity.ERROR, "your gum disease"),
        ]
    )
    item = ScanItem("r1", 1, reply, None, None, report, 90, "delete")
    page = render_html(ScanResult(items=[item]))
    assert (
        '<mark class="error" title="TN006 HD001">necessary given your gum disease'
        "<span class=visually-hidden> [error TN006 HD001]</span></mark>"
    ) in page


def test_the_summary_counts_one_of_a_kind_in_the_singular(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text(
        '{"review_id": "a", "comment": "Rude desk", "reply": "Sorry, Karen."}\n'
        '{"review_id": "b", "comment": "Nice"}\n'
        "not json\n",
        encoding="utf-8",
    )
    out = run(str(path), "--color", "never").stdout.decode()
    assert out.startswith(
        "1 reply scanned: 1 to delete or edit, 0 to review, 0 with nothing found; "
        "1 review without a reply, 1 unreadable row\n"
    ), out
