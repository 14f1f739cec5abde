"""The ``safereply`` command. Each subcommand lives in its own module with a ``register``."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from safereply import __version__
from safereply.cli.io import Exit, UsageError
from safereply.errors import SafeReplyError

#: Modules that each register one or more subcommands, in the order `--help` shows them.
COMMAND_MODULES = (
    "safereply.cli.check",
    "safereply.cli.rules",
    "safereply.cli.triage",
    "safereply.cli.compose",
    "safereply.cli.scan",
    "safereply.cli.admin",
    "safereply.cli.connect",
    "safereply.cli.security",
    "safereply.cli.doctor",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # exit 2 with a clear message, as argparse does, but ours
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"safereply: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every available subcommand registered."""
    parser = _Parser(
        prog="safereply",
        description="Answer every review and post quickly, kindly and without disclosing PHI.",
        epilog="Automated PHI detection is a safety net, not a guarantee: "
        "a person reviews every reply.",
    )
    parser.add_argument("--version", action="version", version=f"safereply {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a command family not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return Exit.USAGE
    try:
        return int(args.func(args))
    except UsageError as exc:
        print(f"safereply: error: {exc}", file=sys.stderr)
        return Exit.USAGE
    except SafeReplyError as exc:
        print(f"safereply: error: {exc}", file=sys.stderr)
        return Exit.USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return Exit.OK


if __name__ == "__main__":
    sys.exit(main())
