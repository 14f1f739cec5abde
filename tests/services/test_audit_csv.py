"""The audit CSV export cannot inject formulas (issue 12, defect 8): a cell that a spreadsheet would
read as a formula (starting with =, +, -, @, a tab or a carriage return) is escaped as OWASP
recommends: prefixed with a single quote, the field quoted."""

from __future__ import annotations

import csv
import io

import pytest

from safereply.services import SYSTEM
from safereply.services.audit import csv_cell, record

DANGEROUS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_cell_is_prefixed_with_a_quote(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["ok", "", "1", "a=b", "x@example.test", None, 5])
def test_ordinary_cells_are_unchanged(value):
    assert csv_cell(value) == ("" if value is None else value)


def test_the_exported_csv_holds_no_formula_cell(world):
    with world.services.store.write() as session:
        for n, value in enumerate(DANGEROUS):
            actor = SYSTEM.__class__(None, value, True)  # an actor e-mail an attacker chose
            record(
                session,
                actor,
                "user.invite",
                object_type="invitation",
                object_id=value,
                practice_id=world.practice,
                detail={"role": value, "n": n},
            )
    text = world.services.audit.export(world.admin, world.practice, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    exported = [r for r in rows if r["action"] == "user.invite"]
    assert len(exported) == len(DANGEROUS)
    for row in rows:
        for name, cell in row.items():
            assert not cell or cell[0] not in "=+-@\t\r＝＋－＠", (name, cell)
    assert [r["actor"] for r in exported] == ["'" + v for v in DANGEROUS]
    # The JSON export keeps the values exactly: only the spreadsheet format is escaped.
    import json

    data = json.loads(world.services.audit.export(world.admin, world.practice, fmt="json"))
    assert [e["actor"] for e in data if e["action"] == "user.invite"] == DANGEROUS
