"""``safereply check``: lint replies before they are posted (DESIGN.md §3)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from safereply.cli.io import (
    Styler,
    add_input_arguments,
    emit_json,
    exit_for,
    read_records,
    require_text,
)

_SEVERITY_STYLE = {"error": ("red", "bold"), "warning": ("yellow", "bold")}
#: The longest quotation in a fix line: a terminal has room for the whole invitation to call.
_LABEL_LIMIT = 200
_VERDICT_STYLE = {"block": ("red", "bold"), "warn": ("yellow", "bold"), "pass": ("green", "bold")}


def register(sub: Any) -> None:
    """Add the ``check`` subcommand."""
    p = sub.add_parser(
        "check",
        help="lint replies for PHI, patient confirmation, outside contact and tone",
        description="Lint replies before they are posted. Input: plain text (one reply) or JSON "
        'Lines {"id", "reply", "post"?}. Exit 0 pass, 1 findings at or above --fail-on, 2 bad '
        "input. Automated detection is a safety net, not a guarantee.",
    )
    add_input_arguments(p, text_flag="--text", text_help="the reply to check, instead of INPUT")
    p.add_argument("--post", metavar="TEXT", help="the post the reply answers (for echo checks)")
    p.add_argument("--practice", metavar="FILE", help="practice profile (TOML)")
    p.add_argument(
        "--fail-on",
        choices=("block", "warn", "never"),
        default="block",
        help="exit 1 when any reply's verdict is at or above this (default: block)",
    )
    p.set_defaults(func=run)


def run(args: Any, *, stdin: Any = None, out: TextIO | None = None) -> int:
    """Check every record of the input and print the reports."""
    from safereply.core.lint import default_linter
    from safereply.core.practice import load_practice
    from safereply.core.vocab import Verdict
    from safereply.errors import InputError

    out = out or sys.stdout
    practice = load_practice(args.practice) if args.practice else None
    linter = default_linter()
    style = Styler(out, args.color)
    worst: Verdict | None = None
    had_errors = False
    for record in read_records(args.input, field="reply", inline=args.inline, stdin=stdin):
        if record.error is None:
            try:
                reply = require_text(record, "reply")
                post = require_text(record, "post", required=False) or args.post
                report = linter.check(reply, post=post, practice=practice)
            except InputError as exc:
                message = str(exc)
                if not message.startswith("line "):
                    message = f"line {record.line}: {message}"
                record.error = message
        if record.error is not None:
            had_errors = True
            if args.format == "json":
                emit_json({"id": record.id, "error": record.error}, out)
            else:
                out.write(f"{style('error', 'red', 'bold')}: {record.error}\n\n")
            continue
        if worst is None or report.verdict.rank > worst.rank:
            worst = report.verdict
        if args.format == "json":
            emit_json(report.to_dict(record.id), out)
        else:
            fixes = _fix_labels(reply, report, post, practice)
            _print_report(record.id, reply, report, fixes, style, out)
    return exit_for(worst, args.fail_on, had_errors)


def _fix_labels(reply: str, report: Any, post: str | None, practice: Any) -> list[str | None]:
    """Return what each finding's one-click fix does, as the reply editor labels it.

    A finding's ``suggestion`` is not always text to paste over its span (a missing call
    invitation is a sentence to add; a learned finding's is an instruction), so the readable
    report names the editor's fix instead of printing "replace with" for every suggestion.
    """
    from safereply.core.compose.quickfix import quick_fixes

    return [
        fix.label if fix else None
        for fix in quick_fixes(
            reply, report.findings, post=post, practice=practice, label_limit=_LABEL_LIMIT
        )
    ]


def _print_report(
    rid: Any, reply: str, report: Any, fixes: list[str | None], style: Styler, out: TextIO
) -> None:
    verdict = str(report.verdict)
    count = len(report.findings)
    noun = "finding" if count == 1 else "findings"
    out.write(
        f"{style(f'reply {rid}', 'bold')}: {style(verdict.upper(), *_VERDICT_STYLE[verdict])}"
        f" ({count} {noun})\n"
    )
    for f, fix in zip(report.findings, fixes, strict=True):
        line_no, col, line = _locate(reply, f.start)
        width = max(1, min(f.end, f.start + len(line) - col) - f.start)
        out.write(
            f"  {line_no}:{col + 1} {style(f.code, *_SEVERITY_STYLE[str(f.severity)])} "
            f"{f.name} [{f.category}, {f.severity}]\n"
        )
        marked = style(line[col : col + width], "underline", "red")
        shown = line[:col] + marked + line[col + width :]
        out.write(f"    {shown}\n")
        out.write(f"    {' ' * col}{style('^' * width, 'red')}\n")
        out.write(f"    {f.message}\n")
        if fix is not None:
            out.write(f"    {style('fix', 'green')}: {fix}\n")
    if report.verdict == "block":
        out.write("  Do not post this reply as written.\n")
    out.write("\n")


def _locate(text: str, offset: int) -> tuple[int, int, str]:
    """Return (1-based line number, column, line text) for an offset."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    if line_end == -1:
        line_end = len(text)
    return text.count("\n", 0, offset) + 1, offset - line_start, text[line_start:line_end]
