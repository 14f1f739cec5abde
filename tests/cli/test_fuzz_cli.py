"""Hypothesis feeds ``safereply check/triage/draft/fix -`` hostile JSON Lines (issue 12): the
command never crashes, answers one JSON line per input line (a result or that line's error) and
exits 0, 1 or 2."""

from __future__ import annotations

import io
import json
import os
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safereply.cli.main import main

EXAMPLES = int(os.environ.get("SAFEREPLY_FUZZ_EXAMPLES", "40"))
PROFILE = '[practice]\nname = "Maple Grove Dental"\nphone = "(555) 201-3300"\n'

_TEXT = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["", "\x00", "\ud800", "\u202e", "Call Karen at (555) 201-3300", "a" * 6000]),
)
_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    _TEXT,
    st.lists(st.integers(), max_size=3),
)
_FIELDS = st.sampled_from(["id", "reply", "text", "post", "rating", "platform", "other"])
_GOOD = {"id": "g", "reply": "Thank you for your kind words!", "text": "Great team, thanks!"}
LINES = st.lists(
    st.one_of(
        st.dictionaries(_FIELDS, _VALUE, max_size=5).map(
            lambda d: json.dumps(d, allow_nan=True, ensure_ascii=False)
        ),
        st.sampled_from(["[" * 1200 + "]" * 1200, "{", "null", "[]", '"just text"', "9" * 5000]),
        _TEXT.filter(lambda t: "\n" not in t and "\r" not in t and t.strip()),
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture(scope="module")
def profile(tmp_path_factory):
    path = tmp_path_factory.mktemp("profile") / "practice.toml"
    path.write_text(PROFILE, encoding="utf-8")
    return str(path)


def _run(argv, data: bytes, monkeypatch, capsys) -> tuple[int, list[str]]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    code = main(argv)
    out = capsys.readouterr().out
    return code, [line for line in out.splitlines() if line.strip()]


@pytest.mark.parametrize("command", ["check", "triage", "draft", "fix"])
def test_every_hostile_line_gets_one_answer_and_nothing_crashes(
    command, profile, monkeypatch, capsys
):
    extra = ["--practice", profile] if command in ("draft", "fix") else []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(lines=LINES)
    def run(lines):
        text = "\n".join([json.dumps(_GOOD), *lines]) + "\n"
        data = text.encode("utf-8", "surrogatepass")
        code, out = _run([command, "-", "--format", "json", *extra], data, monkeypatch, capsys)
        assert code in (0, 1, 2)
        assert len(out) == 1 + len(lines), out
        records = [json.loads(line) for line in out]
        assert "error" not in records[0]

    run()
