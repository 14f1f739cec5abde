"""Hostile JSON Lines (issue 12, defect 6): every bad line gets its own error and the others run.

``safereply check -`` used to stop at line 501 of a 10,000-line input: the reader caught only
``JSONDecodeError``, so a line nested 1,000 deep (``RecursionError``) or holding a number of more
than 4,300 digits (``ValueError``) ended the whole run after the 500 lines already printed.
"""

from __future__ import annotations

import io
import json
from types import SimpleNamespace

import pytest

from safereply.cli.io import read_records

HOSTILE = {
    "nested arrays": "[" * 1000 + "]" * 1000,
    "nested objects": '{"a":' * 1000 + "1" + "}" * 1000,
    "nested id": '{"id": ' + "[" * 900 + "]" * 900 + ', "reply": "Thanks!"}',
    "deeply nested id": '{"id": ' + "[" * 5000 + "]" * 5000 + ', "reply": "Thanks!"}',
    "object id": '{"id": {"a": 1}, "reply": "Thanks!"}',
    "NaN id": '{"id": NaN, "reply": "Thanks!"}',
    "infinite id": '{"id": 1e400, "reply": "Thanks!"}',
    "huge integer": '{"id": ' + "9" * 5000 + ', "reply": "Thanks!"}',
    "lone surrogate": '{"id": 7, "reply": "Thanks \\ud800 there"}',
}


def _records(text: str):
    return list(read_records("-", field="reply", stdin=io.BytesIO(text.encode())))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_line_is_an_error_record_and_the_next_lines_still_come(name):
    text = '{"id": 1, "reply": "ok"}\n' + HOSTILE[name] + '\n{"id": 3, "reply": "ok too"}\n'
    records = _records(text)
    assert [r.line for r in records] == [1, 2, 3]
    assert records[0].error is None and records[2].error is None
    assert records[1].error and records[1].error.startswith("line 2: "), records[1].error
    json.dumps({"id": records[1].id, "error": records[1].error}, allow_nan=False)


class _FakeReport:
    verdict = None

    def to_dict(self, rid):
        return {"id": rid, "verdict": "pass", "findings": []}


class _FakeLinter:
    def check(self, reply, post=None, practice=None):
        from safereply.core.vocab import Verdict

        report = _FakeReport()
        report.verdict = Verdict("pass")
        report.findings = []
        return report


def test_check_runs_every_line_of_10000_with_a_hostile_line_501(monkeypatch):
    import safereply.core.lint as lint
    from safereply.cli import check

    monkeypatch.setattr(lint, "default_linter", lambda: _FakeLinter())
    lines = [json.dumps({"id": n, "reply": f"Thank you, reader {n}."}) for n in range(1, 10001)]
    lines[500] = HOSTILE["nested arrays"]
    lines[7000] = HOSTILE["huge integer"]
    args = SimpleNamespace(
        input="-",
        inline=None,
        post=None,
        practice=None,
        color="never",
        format="json",
        fail_on="block",
    )
    out = io.StringIO()
    status = check.run(args, stdin=io.BytesIO("\n".join(lines).encode()), out=out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(results) == 10000
    assert [r["id"] for r in results if "error" in r] == [501, 7001]
    assert results[-1] == {"id": 10000, "verdict": "pass", "findings": []}
    assert status == 2  # bad lines make the exit status 2; nothing is silently dropped
