"""`safereply check` and `safereply rules` as a user runs them: real subprocesses."""

import json
import subprocess
import sys

import pytest

PRACTICE = """
[practice]
name = "Riverside Family Dental"
phone = "(555) 388-9100"
staff = ["Maria"]
"""


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "safereply", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
    )


@pytest.fixture
def practice(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(PRACTICE, encoding="utf-8")
    return str(path)


def test_plain_text_reply_from_stdin_is_blocked_with_a_readable_report():
    result = run("check", "--color", "never", "-", stdin=b"Hi Karen, sorry about your crown.")
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "BLOCK" in out and "ID001" in out and "'your crown'" in out
    assert "^^^^^" in out


def test_safe_reply_exits_zero(practice):
    result = run(
        "check",
        "--practice",
        practice,
        "--text",
        "Thanks for the kind words! Maria will be thrilled.",
    )
    assert result.returncode == 0, result.stdout
    assert b"PASS" in result.stdout


def test_jsonl_batch_keeps_order_and_reports_bad_lines(tmp_path, practice):
    lines = [
        json.dumps({"id": "a", "reply": "Thank you for the kind words!"}),
        "{not json",
        json.dumps({"id": "c", "reply": ""}),
        json.dumps({"id": "d", "reply": "We'll call you tomorrow.", "post": "Bad visit"}),
        json.dumps({"id": "e"}),
        json.dumps(["a list"]),
        json.dumps({"id": "g", "reply": "We're sorry you feel that way."}),
    ]
    data = ("\n".join(lines[:6]) + "\n\n").encode() + b'{"id": "x", "reply": "caf\xe9"}\n'
    data += (lines[6] + "\n").encode()
    path = tmp_path / "batch.jsonl"
    path.write_bytes(data)
    result = run("check", "--format", "json", "--practice", practice, str(path))
    assert result.returncode == 2  # some lines were bad
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c", "d", "e", 6, 8, "g"]
    assert out[0] == {"id": "a", "verdict": "pass", "findings": []}
    assert out[1]["error"].startswith("line 2: invalid JSON")
    assert out[2]["error"] == "line 3: the reply is empty"
    assert out[3]["verdict"] == "block"
    assert {"code", "name", "category", "severity", "start", "end", "text", "message"} <= set(
        out[3]["findings"][0]
    )
    assert out[4]["error"] == "line 5: missing field 'reply'"
    assert out[5]["error"] == "line 6: expected a JSON object"
    assert out[6]["error"].startswith("line 8: not UTF-8")
    assert out[7]["verdict"] == "warn"


@pytest.mark.parametrize(
    ("fail_on", "reply", "code"),
    [
        ("block", "We're sorry you feel that way.", 0),
        ("warn", "We're sorry you feel that way.", 1),
        ("never", "Hi Karen!", 0),
        ("block", "Hi Karen!", 1),
    ],
)
def test_fail_on_threshold(fail_on, reply, code):
    assert run("check", "--fail-on", fail_on, "--text", reply).returncode == code


def test_post_option_enables_echo_checks():
    result = run(
        "check",
        "--format",
        "json",
        "--post",
        "My root canal was awful",
        "--text",
        "Sorry about the root canal. Please call us at (555) 388-9100.",
    )
    report = json.loads(result.stdout)
    assert [f["code"] for f in report["findings"]] == ["EC001"]


def _fix_lines(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.strip().startswith("fix:")]


def test_the_fix_line_says_what_the_editors_one_click_fix_does(practice):
    # The text report printed every suggestion as "replace with '...'": for a missing call
    # invitation that told the user to replace their apology with it, and for a learned
    # finding to "replace with 'remove this sentence; please call our office'".
    result = run(
        "check",
        "--color",
        "never",
        "--practice",
        practice,
        "--post",
        "My root canal hurt",
        "--text",
        "Sorry about the root canal. Hi Karen!",
    )
    fixes = _fix_lines(result.stdout.decode())
    # The whole sentence to add, not a button's 60 characters cut mid-word.
    assert (
        "fix: Add: “Please call our office at (555) 388-9100 so we can talk this through.”" in fixes
    )
    assert "fix: Replace “Karen” with “there”" in fixes
    assert not any("replace with 'Please call" in f for f in fixes)
    result = run("check", "--color", "never", "--text", "Hi Karen, sorry. We'll call you tomorrow.")
    assert not any("remove this sentence;" in f for f in _fix_lines(result.stdout.decode()))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check", "/no/such/file"], b"no such file"),
        (["check", "--bogus"], b"unrecognized arguments"),
        (["check", "--practice", "/no/such.toml", "--text", "hi"], b"cannot read"),
        (["rules", "XX999"], b"no rule 'XX999'"),
    ],
)
def test_bad_usage_exits_2_with_a_clear_message(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr


def test_non_utf8_plain_text_is_refused():
    result = run("check", "-", stdin=b"caf\xe9 au lait")
    assert result.returncode == 2
    assert b"not UTF-8" in result.stderr


def test_rules_lists_every_rule_and_explains_one():
    listing = run("rules", "--format", "json")
    rows = [json.loads(line) for line in listing.stdout.decode().splitlines()]
    assert len(rows) >= 20 and {"code", "name", "category", "severity", "summary"} <= set(rows[0])
    one = run("rules", "patient-name").stdout.decode()
    assert "ID001 patient-name" in one and "Why:" in one and "[[Karen]]" in one
