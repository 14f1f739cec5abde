"""``safereply triage``: input formats, output contract, per-line errors and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from safereply.cli.main import main

KEYS = ["id", "kind", "topics", "sentiment", "discloses_health", "priority", "reasons", "aspects"]


def _run(args: list[str], stdin: bytes | None = None, monkeypatch=None, capsys=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
    status = main(["triage", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def _jsonl(*records) -> bytes:
    return b"".join(
        (r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n" for r in records
    )


def test_inline_text_as_json(capsys):
    status, out, _ = _run(
        ["--text", "I have the pills lined up", "--format", "json"], capsys=capsys
    )
    assert status == 0
    [obj] = _lines(out)
    assert list(obj) == KEYS
    assert obj["id"] == 1 and obj["kind"] == "crisis" and obj["priority"] == "urgent"


def test_jsonl_file_keeps_order_and_ids(tmp_path: Path, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        _jsonl(
            {"id": "a", "text": "Love this team!", "rating": 5, "platform": "google"},
            {"id": "b", "text": "Do you take Aetna?"},
            {"id": 7, "text": "Rude front desk, waited an hour.", "rating": 1.5},
        )
    )
    status, out, _ = _run([str(path), "--format", "json"], capsys=capsys)
    assert status == 0
    objs = _lines(out)
    assert [o["id"] for o in objs] == ["a", "b", 7]
    assert [o["kind"] for o in objs] == ["praise", "question", "complaint"]
    assert all(list(o) == KEYS for o in objs)


def test_bad_lines_yield_errors_and_the_batch_goes_on(tmp_path: Path, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        _jsonl(
            {"id": "ok1", "text": "Great care"},
            b"{not json",
            {"id": "r1", "text": "fine", "rating": "five"},
            {"id": "r2", "text": "fine", "rating": 9},
            {"id": "r3", "text": "fine", "rating": True},
            {"id": "e1", "text": "   "},
            {"id": "m1"},
            {"id": "t1", "text": 42},
            {"id": "p1", "text": "fine", "platform": 3},
            b"[1, 2]",
            b"\xff\xfe not utf-8",
            {"id": "ok2", "text": "Rude staff"},
        )
    )
    status, out, _ = _run([str(path), "--format", "json"], capsys=capsys)
    assert status == 2
    objs = _lines(out)
    assert len(objs) == 12
    assert objs[0]["id"] == "ok1" and "kind" in objs[0]
    assert objs[-1]["id"] == "ok2" and objs[-1]["kind"] == "complaint"
    errors = objs[1:-1]
    assert all(list(o) == ["id", "error"] for o in errors)
    expected = [
        (2, "invalid JSON"),
        ("r1", "rating"),
        ("r2", "rating"),
        ("r3", "rating"),
        ("e1", "empty"),
        ("m1", "missing field 'text'"),
        ("t1", "field 'text' must be a string"),
        ("p1", "field 'platform' must be a string"),
        (10, "expected a JSON object"),
        (11, "not UTF-8"),
    ]
    for line, (obj, (ident, words)) in enumerate(zip(errors, expected, strict=True), start=2):
        assert obj["id"] == ident
        assert obj["error"].startswith(f"line {line}: ")
        assert words in obj["error"]


def test_plain_text_from_stdin_is_one_post(monkeypatch, capsys):
    status, out, _ = _run(
        ["-", "--format", "json"],
        stdin=b"My husband has chest pain.\nPlease help.",
        monkeypatch=monkeypatch,
        capsys=capsys,
    )
    assert status == 0
    [obj] = _lines(out)
    assert obj["kind"] == "emergency"


def test_plain_text_that_is_not_utf8_is_a_usage_error(tmp_path: Path, capsys):
    path = tmp_path / "post.txt"
    path.write_bytes(b"caf\xe9 was rude")
    status, out, err = _run([str(path)], capsys=capsys)
    assert status == 2
    assert out == ""
    assert "not UTF-8" in err


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys):
    status, _, err = _run([str(tmp_path / "nope.jsonl")], capsys=capsys)
    assert status == 2
    assert "no such file" in err


def test_empty_inline_text_is_an_error_object(capsys):
    status, out, _ = _run(["--text", "", "--format", "json"], capsys=capsys)
    assert status == 2
    assert _lines(out) == [{"id": 1, "error": "line 1: post text is empty"}]


def test_text_table_is_the_default(tmp_path: Path, capsys):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(
        _jsonl(
            {"id": "urgent-1", "text": "my dad's face is drooping and his speech is slurred"},
            b"oops",
            {"id": "nice-1", "text": "Five stars, lovely staff", "rating": 5},
        )
    )
    status, out, _ = _run([str(path)], capsys=capsys)
    assert status == 2
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["ID", "KIND", "PRIORITY"]
    assert "\x1b[" not in out  # no colour when not on a terminal
    body = "\n".join(lines[1:])
    assert body.index("urgent-1") < body.index("line 2") < body.index("nice-1")
    assert "emergency" in body and "urgent" in body and "mentions stroke signs" in body


@pytest.mark.parametrize("flag", ["--format=yaml", "--color=maybe"])
def test_bad_options_exit_2(flag, capsys):
    with pytest.raises(SystemExit) as info:
        main(["triage", "--text", "hi", flag])
    assert info.value.code == 2


def test_console_entry_point_runs(tmp_path: Path):
    path = tmp_path / "posts.jsonl"
    path.write_bytes(_jsonl({"id": "x", "text": "Waited two hours, rude staff", "rating": 1}))
    proc = subprocess.run(
        [sys.executable, "-m", "safereply", "triage", str(path), "--format", "json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["kind"] == "complaint"
