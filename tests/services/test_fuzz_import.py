"""Hypothesis feeds the importer hostile exports (issue 12): every row is counted exactly once
(created, already there, or rejected with its line), the rows reported created are in the inbox,
and nothing but an ``InputError`` for an unreadable file ever escapes. SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from safereply.errors import InputError
from safereply.services.importer import import_posts
from safereply.store.models import Post

EXAMPLES = int(os.environ.get("SAFEREPLY_FUZZ_EXAMPLES", "40"))
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)

_NASTY_TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\ud800",
            "=cmd|' /C calc'!A0",
            "javascript:alert(1)",
            "\u202e",
            "Great team!",
            "Waited 2 hours. Rude.",
            "🦷" * 300,
            "a" * 60_000,
        ]
    ),
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    _NASTY_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_FIELDS = st.sampled_from(
    [
        "id",
        "text",
        "review",
        "rating",
        "stars",
        "url",
        "date",
        "posted_at",
        "author",
        "platform",
        "location",
        "thread",
        "external_id",
        "extra",
    ]
)
ROWS = st.lists(st.dictionaries(_FIELDS, _VALUES, max_size=8), max_size=12)


def _jsonl(rows):
    return "\n".join(json.dumps(r, allow_nan=True) for r in rows).encode("utf-8", "surrogatepass")


def _json(rows):
    return json.dumps(rows, allow_nan=True).encode("utf-8", "surrogatepass")


def _csv(rows):
    out = io.StringIO()
    names = sorted({k for r in rows for k in r}) or ["text"]
    writer = csv.DictWriter(out, fieldnames=names)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return out.getvalue().encode("utf-8", "surrogatepass")


EXPORTS = st.one_of(
    st.tuples(st.just("x.jsonl"), ROWS.map(_jsonl)),
    st.tuples(st.just("x.json"), ROWS.map(_json)),
    st.tuples(st.just("x.csv"), ROWS.map(_csv)),
    st.tuples(st.sampled_from(["x.csv", "x.json", "x.jsonl", None]), st.binary(max_size=400)),
)


def _posts(world) -> int:
    with world.services.store.read() as session:
        return session.scalar(
            select(func.count()).select_from(Post).where(Post.practice_id == world.practice)
        )


@BOUNDED
@given(export=EXPORTS, platform=st.one_of(st.none(), st.just("google"), st.text(max_size=10)))
def test_a_hostile_export_never_crashes_and_every_row_is_accounted_for(world, export, platform):
    name, data = export
    before = _posts(world)
    try:
        report = import_posts(
            world.services.inbox, world.manager, world.practice, data, name=name, platform=platform
        )
    except InputError:
        assert _posts(world) == before  # an unreadable file imports nothing
        return
    assert report.total == report.created + report.duplicates + len(report.rejected)
    assert _posts(world) == before + report.created
    assert all(r.line >= 1 and r.reason for r in report.rejected)
