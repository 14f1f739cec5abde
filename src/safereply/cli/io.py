"""Input and output shared by every command: plain text or JSON Lines in, text or JSON out.

Contract (DESIGN.md §3): ``-`` is standard input; a bad JSONL line yields an output object with an
``"error"`` naming the line and the other lines still run, in order; nothing is silently dropped.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, ClassVar, Literal, TextIO, overload

from safereply.core.vocab import Verdict
from safereply.errors import RecordError

__all__ = [
    "Exit",
    "Record",
    "Styler",
    "UsageError",
    "add_input_arguments",
    "emit_json",
    "exit_for",
    "read_records",
    "require_rating",
    "require_text",
]


class Exit(IntEnum):
    """Exit status of every command."""

    OK = 0
    FINDINGS = 1
    USAGE = 2


class UsageError(Exception):
    """Bad usage or unreadable input: the command stops with exit status 2."""


@dataclass(slots=True)
class Record:
    """One input item: its data, or the reason it cannot be used."""

    line: int
    data: dict[str, Any] | None = None
    error: str | None = None

    @property
    def id(self) -> Any:
        """Return the record's id, or its line number when it has none."""
        if self.data is not None and "id" in self.data:
            return self.data["id"]
        return self.line


def add_input_arguments(parser, *, text_flag: str, text_help: str) -> None:
    """Add the INPUT argument, the inline-text flag and ``--format`` to a subcommand."""
    parser.add_argument(
        "input",
        nargs="?",
        default=None,
        metavar="INPUT",
        help="a file of plain text or JSON Lines, or '-' for standard input (the default)",
    )
    parser.add_argument(text_flag, dest="inline", metavar="TEXT", help=text_help)
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="human-readable text (default) or JSON Lines for machines",
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour in text output (default: auto, on a terminal unless NO_COLOR is set)",
    )


def _read_source(path: str | None, stdin: Any) -> bytes:
    if path in (None, "-"):
        buffer = getattr(stdin, "buffer", None)
        if buffer is not None:
            return buffer.read()
        data = stdin.read()
        return data.encode("utf-8") if isinstance(data, str) else data
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None


def read_records(
    path: str | None, *, field: str, inline: str | None = None, stdin: Any = None
) -> Iterator[Record]:
    """Yield the records of an input, in order, one per non-blank JSONL line.

    Plain text (input that does not start with ``{``) is one record whose ``field`` is the whole
    text. ``inline`` text, when given, is used instead of reading any input.

    Raises:
        UsageError: the input cannot be read, or plain text that is not UTF-8.
    """
    if inline is not None:
        yield Record(line=1, data={"id": 1, field: inline})
        return
    if path in (None, "-") and stdin is None:
        stdin = sys.stdin
        if stdin.isatty():
            raise UsageError("no input: give a file, '-' with text on standard input, or the text")
    raw = _read_source(path, stdin)
    if not raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise UsageError(
                f"input is not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
            ) from None
        yield Record(line=1, data={"id": 1, field: text})
        return
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if number == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(
                line=number,
                error=f"line {number}: not UTF-8 text (byte 0x{line[exc.start]:02x} "
                f"at column {exc.start + 1})",
            )
            continue
        problem = None
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            problem = f"invalid JSON: {exc.msg}"
        except RecursionError:
            problem = "JSON nested too deeply to read"
        except ValueError:  # an integer of more than 4,300 digits
            problem = "a number too long to read"
        else:
            problem = _object_problem(obj)
        if problem is not None:
            # One bad line is one error record: the other lines still run.
            yield Record(line=number, error=f"line {number}: {problem}")
            continue
        yield Record(line=number, data=obj)


def _object_problem(obj: Any) -> str | None:
    """Return why a parsed JSONL line cannot be a record, or None when it can."""
    if not isinstance(obj, dict):
        return "expected a JSON object"
    rid = obj.get("id")
    if rid is not None:
        if isinstance(rid, float) and not math.isfinite(rid):
            return "field 'id' must be a finite number or a string"
        if not isinstance(rid, str | int | float):
            return "field 'id' must be a string or a number, not a list or an object"
    for key, value in obj.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                name = key if isinstance(key, str) and key.isprintable() else "?"
                return f"field '{name[:40]}' is not valid Unicode (a lone surrogate)"
    return None


@overload
def require_text(record: Record, key: str, *, required: Literal[True] = True) -> str: ...


@overload
def require_text(record: Record, key: str, *, required: bool) -> str | None: ...


def require_text(record: Record, key: str, *, required: bool = True) -> str | None:
    """Return a string field of a record, or raise RecordError naming the line and field.

    A required field is never None (the overloads tell the type checker so).
    """
    assert record.data is not None
    value = record.data.get(key)
    if value is None:
        if required:
            raise RecordError(record.line, f"missing field '{key}'")
        return None
    if not isinstance(value, str):
        raise RecordError(record.line, f"field '{key}' must be a string")
    return value


def require_rating(record: Record) -> float | None:
    """Return a record's optional star ``rating`` (1-5), or raise RecordError naming the line."""
    assert record.data is not None
    value = record.data.get("rating")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise RecordError(
            record.line, f"field 'rating' must be a number from 1 to 5, not {value!r}"
        )
    if not 1 <= value <= 5:
        raise RecordError(record.line, f"field 'rating' must be from 1 to 5, not {value!r}")
    return float(value)


def emit_json(obj: dict[str, Any], out: TextIO) -> None:
    """Write one JSON object as one line."""
    out.write(json.dumps(obj, ensure_ascii=False))
    out.write("\n")


def exit_for(worst: Verdict | None, fail_on: str, had_errors: bool) -> Exit:
    """Return the exit status for the worst verdict seen and the --fail-on threshold."""
    if had_errors:
        return Exit.USAGE
    if worst is None or fail_on == "never":
        return Exit.OK
    threshold = Verdict(fail_on)
    return Exit.FINDINGS if worst.rank >= threshold.rank else Exit.OK


class Styler:
    """ANSI styling for text output, off unless writing to a terminal (or forced)."""

    CODES: ClassVar[dict[str, str]] = {
        "bold": "1",
        "dim": "2",
        "underline": "4",
        "red": "31",
        "green": "32",
        "yellow": "33",
        "blue": "34",
        "magenta": "35",
        "cyan": "36",
    }

    def __init__(self, out: TextIO, mode: str = "auto") -> None:
        if mode == "always":
            self.enabled = True
        elif mode == "never":
            self.enabled = False
        else:
            self.enabled = (
                hasattr(out, "isatty") and out.isatty() and not os.environ.get("NO_COLOR")
            )

    def __call__(self, text: str, *styles: str) -> str:
        """Return text wrapped in the given styles when colour is on."""
        if not self.enabled or not styles:
            return text
        codes = ";".join(self.CODES[s] for s in styles)
        return f"\x1b[{codes}m{text}\x1b[0m"


def star_rating(value: str) -> float:
    """Parse a ``--rating`` flag: a number of stars from 1 to 5 (argparse's type)."""
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number from 1 to 5, not {value!r}") from None
    if math.isnan(number) or not 1 <= number <= 5:
        raise argparse.ArgumentTypeError(f"must be from 1 to 5, not {value!r}")
    return number
