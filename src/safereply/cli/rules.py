"""``safereply rules``: list every lint rule, or explain one."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from safereply.cli.io import Exit, UsageError


def register(sub: Any) -> None:
    """Add the ``rules`` subcommand."""
    p = sub.add_parser("rules", help="list the lint rules, or explain one")
    p.add_argument("code", nargs="?", help="a rule code (ID001) or name (patient-name)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=run)


def run(args: Any, *, out: TextIO | None = None) -> int:
    """Print the rule table, or one rule's full explanation."""
    from safereply.core.lint import default_linter

    out = out or sys.stdout
    linter = default_linter()
    if args.code:
        try:
            rule = linter.rule(args.code.upper() if args.code[:2].isalpha() else args.code)
        except KeyError:
            try:
                rule = linter.rule(args.code)
            except KeyError:
                raise UsageError(
                    f"no rule '{args.code}'; `safereply rules` lists them all"
                ) from None
        info = rule.describe()
        if args.format == "json":
            out.write(json.dumps(info, ensure_ascii=False, indent=2) + "\n")
            return Exit.OK
        out.write(f"{info['code']} {info['name']}\n")
        out.write(f"category: {info['category']}   severity: {info['severity']}")
        out.write(f"   fix: {info['fix_safety']}\n\n{info['summary']}\n")
        out.write(f"\nWhy: {info['rationale']}\n")
        if info["bad"]:
            out.write("\nFlagged (the span is in [[ ]]):\n")
            out.writelines(f"  - {text}\n" for text in info["bad"])
        if info["good"]:
            out.write("\nFine:\n")
            out.writelines(f"  - {text}\n" for text in info["good"])
        return Exit.OK
    rows = [r.describe() for r in linter.rules]
    if args.format == "json":
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        return Exit.OK
    out.write(f"{'code':<6} {'name':<26} {'category':<21} {'severity':<8} summary\n")
    for row in rows:
        out.write(
            f"{row['code']:<6} {row['name']:<26} {row['category']:<21} {row['severity']:<8} "
            f"{row['summary']}\n"
        )
    return Exit.OK
