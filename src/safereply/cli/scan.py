"""``safereply scan``: risk-rank a practice's already published replies (DESIGN.md §3)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from safereply.cli.io import Exit, Styler, UsageError, _read_source, emit_json, exit_for


def register(sub: Any) -> None:
    """Add the ``scan`` subcommand."""
    p = sub.add_parser(
        "scan",
        help="risk-rank replies the practice already published",
        description="Read an export of reviews with the replies the practice posted (CSV, JSON "
        "or JSON Lines, the columns `safereply import` reads plus a reply column such as "
        "reply, response or owner_response), lint every reply and list them riskiest first, "
        'with what to do. JSON Lines out: {"id", "verdict", "risk", "action", "findings", ...}. '
        "Exit 0 nothing at or above --fail-on, 1 otherwise, 2 unreadable input or rows.",
    )
    p.add_argument("input", metavar="FILE", help="the export to scan, or - for standard input")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("--input-format", choices=("csv", "json", "jsonl"), help="default: detected")
    p.add_argument("--practice", metavar="FILE", help="practice profile (TOML)")
    p.add_argument("--html", metavar="FILE", help="also write a self-contained HTML report here")
    p.add_argument(
        "--no-rewrite", action="store_true", help="do not propose a safe version of each reply"
    )
    p.add_argument(
        "--fail-on",
        choices=("block", "warn", "never"),
        default="block",
        help="exit 1 when any reply's verdict is at or above this (default: block)",
    )
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    p.set_defaults(func=run)


def run(args: Any, *, stdin: Any = None, out: TextIO | None = None) -> int:
    """Scan the export and print the ranked report."""
    from safereply.core.practice import load_practice
    from safereply.errors import InputError
    from safereply.services.scan import render_html, scan_export

    out = out or sys.stdout
    practice = load_practice(args.practice) if args.practice else None
    data = _read_source(args.input, stdin or sys.stdin)
    name = None if args.input == "-" else args.input
    try:
        result = scan_export(
            data, name=name, fmt=args.input_format, practice=practice, rewrite=not args.no_rewrite
        )
    except InputError as exc:
        raise UsageError(f"{args.input}: {exc}") from None
    ranked = result.ranked()
    if args.format == "json":
        for item in ranked:
            emit_json(item.to_dict(), out)
        for line, row_id in result.unanswered:
            emit_json({"id": row_id, "line": line, "unanswered": True}, out)
        for row in result.rejected:
            emit_json(
                {"id": None, "line": row.line, "error": f"line {row.line}: {row.reason}"}, out
            )
    else:
        _print_text(result, ranked, Styler(out, args.color), out)
    if args.html:
        try:
            Path(args.html).write_text(render_html(result), encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.html}: cannot write: {exc.strerror}") from None
    worst = max((i.report.verdict for i in ranked), key=lambda v: v.rank, default=None)
    return int(exit_for(worst, args.fail_on, bool(result.rejected)))


_STYLE = {"block": ("red", "bold"), "warn": ("yellow", "bold"), "pass": ("green",)}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _print_text(result: Any, ranked: list[Any], style: Styler, out: TextIO) -> None:
    counts = result.counts()
    out.write(
        f"{_count(counts['replies'], 'reply', 'replies')} scanned: {counts['block']} to delete "
        f"or edit, {counts['warn']} to review, {counts['pass']} with nothing found; "
        f"{_count(counts['unanswered'], 'review', 'reviews')} without a reply, "
        f"{_count(counts['rejected'], 'unreadable row', 'unreadable rows')}\n"
    )
    for item in ranked:
        if item.action == "none":
            continue
        verdict = str(item.report.verdict)
        where = f"line {item.line}" if item.line is not None else "inbox"
        out.write(
            f"\n{item.id} ({where}): risk {item.risk}, "
            f"{style(verdict.upper(), *_STYLE[verdict])}, {item.action}\n"
        )
        for f in item.report.findings:
            out.write(f"  {f.code} {f.name} [{f.category}, {f.severity}] {f.text!r}\n")
        if item.rewrite:
            out.write(f"  safe version: {item.rewrite}\n")
    for row in result.rejected:
        out.write(f"\nline {row.line}: {row.reason}\n")


__all__ = ["Exit", "register", "run"]
