"""``safereply triage``: classify posts (kind, topics, sentiment, disclosure, priority, reasons).

Input is plain text (one post) or JSON Lines ``{"id", "text", "platform"?, "rating"?}``; output is a
table for people or, with ``--format json``, one JSON object per input line in input order
(DESIGN.md §3). A bad line yields ``{"id", "error"}`` naming the line and the batch goes on;
the exit status is then 2. ``--explain`` adds why each post got its kind, priority and topics: the
trace of triage's steps (``core/triage/trace.py``), as an ``"explain"`` list of ``{"step", "why"}``
after the contract's keys in JSON, and as indented lines under each post in the table.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from safereply.cli.io import (
    Exit,
    Record,
    Styler,
    add_input_arguments,
    emit_json,
    read_records,
    require_rating,
    require_text,
    star_rating,
)
from safereply.errors import InputError, RecordError

__all__ = ["register", "run"]

_PRIORITY_STYLE = {"urgent": ("bold", "red"), "high": ("yellow",), "normal": (), "low": ("dim",)}


def register(subparsers: Any) -> None:
    """Add the ``triage`` subcommand."""
    parser = subparsers.add_parser(
        "triage",
        help="classify posts: kind, topics, sentiment, health disclosure, priority",
        description=(
            "Classify posts. Reads plain text (one post) or JSON Lines "
            '{"id", "text", "platform"?, "rating"?} and prints kind, topics, sentiment (-1..1), '
            "whether the poster discloses health information, priority and reasons. Emergency and "
            "crisis posts are always marked urgent."
        ),
    )
    add_input_arguments(parser, text_flag="--text", text_help="triage this text instead of INPUT")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="say why each post got its kind, priority and topics (the steps triage took); "
        'in JSON an "explain" list of {"step", "why"}',
    )
    parser.add_argument(
        "--rating",
        type=star_rating,
        default=None,
        metavar="N",
        help="the post's star rating, 1-5 (for --text or plain input; a JSONL line's own wins)",
    )
    parser.add_argument(
        "--platform",
        default=None,
        metavar="NAME",
        help="where the post is, e.g. google or x (for --text or plain input; a line's own wins)",
    )
    parser.set_defaults(func=run, rating=None, platform=None)


def _triage_record(
    record: Record, explain: bool = False, defaults: tuple[str | None, float | None] = (None, None)
) -> dict[str, Any]:
    """Return the output object for one record: the triage result or an error naming the line;
    with ``explain``, the result's keys then ``"explain"``: the steps that decided it."""
    from safereply.core.triage import engine

    if record.error is not None:
        return {"id": record.id, "error": record.error}
    try:
        text = require_text(record, "text")
        platform = require_text(record, "platform", required=False) or defaults[0]
        rating = require_rating(record)
        rating = defaults[1] if rating is None else rating
        assert text is not None
        if not explain:
            return engine.triage(text, platform=platform, rating=rating).to_dict(id=record.id)
        result, trace = engine.explain(text, platform=platform, rating=rating)
        return {**result.to_dict(id=record.id), "explain": trace.to_list()}
    except RecordError as exc:
        return {"id": record.id, "error": str(exc)}
    except InputError as exc:
        return {"id": record.id, "error": f"line {record.line}: {exc}"}


def _write_text(results: list[dict[str, Any]], out: TextIO, style: Styler) -> None:
    ids = [str(r["id"]) for r in results]
    width = min(max([len(i) for i in ids] + [2]), 24)
    out.write(
        style(f"{'ID':<{width}}  {'KIND':<9}  {'PRIORITY':<8}  {'SENT':>6}  HEALTH  TOPICS", "bold")
        + "\n"
    )
    for ident, result in zip(ids, results, strict=True):
        if "error" in result:
            out.write(f"{ident:<{width}}  {style('error', 'red')}  {result['error']}\n")
            continue
        priority = result["priority"]
        topics = ", ".join(result["topics"]) or "-"
        out.write(
            f"{ident:<{width}}  {result['kind']:<9}  "
            f"{style(f'{priority:<8}', *_PRIORITY_STYLE[priority])}  "
            f"{result['sentiment']:>+6.2f}  {'yes' if result['discloses_health'] else 'no':<6}  "
            f"{topics}\n"
        )
        if result["reasons"]:
            out.write(style(f"{'':<{width}}  ↳ " + "; ".join(result["reasons"]), "dim") + "\n")
        for step in result.get("explain", ()):
            out.write(f"{'':<{width}}    {step['step']}: {step['why']}\n")


def run(args: argparse.Namespace, *, stdin: Any = None, stdout: TextIO | None = None) -> int:
    """Triage every record of the input; return the exit status."""
    out = stdout or sys.stdout
    records = read_records(args.input, field="text", inline=args.inline, stdin=stdin)
    defaults = (args.platform, args.rating)
    had_errors = False
    if args.format == "json":
        # Stream: each post is written as soon as it is triaged, so a long batch shows progress.
        for record in records:
            result = _triage_record(record, args.explain, defaults)
            had_errors |= "error" in result
            emit_json(result, out)
    else:
        results = [_triage_record(record, args.explain, defaults) for record in records]
        had_errors = any("error" in r for r in results)
        _write_text(results, out, Styler(out, args.color))
    return Exit.USAGE if had_errors else Exit.OK
