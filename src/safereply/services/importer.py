"""Import posts from CSV, JSON and JSON Lines exports (Google, Facebook, Yelp, Healthgrades ...).

Columns are matched by common names (``review_text``, ``comment``, ``starRating``, ``reviewer.
displayName`` ...; nested JSON objects are flattened with dots) or by an explicit mapping. Import is
idempotent by (platform, external id); a row without an id gets a stable one derived from its
platform, author, date and text, so importing the same file twice adds nothing. Every rejected row
is reported with its line number and the reason; the good rows still land.

A row that carries the owner's reply (the reply columns ``safereply scan`` reads, with an optional
reply date) arrives answered, with that reply recorded, never queued: a year of history imported
on the first day does not flood the inbox. A row already in the inbox is left as it is, even if
the file now carries its reply; the report counts those still open (``open_with_reply``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from safereply.core.workflow import OPEN_STATES
from safereply.errors import ConflictError, InputError, WorkflowError
from safereply.services.actor import Actor
from safereply.services.arrival import IngestOutcome
from safereply.services.inbox import InboxService, NewPost
from safereply.services.inbox_common import is_builtin
from safereply.services.localtime import practice_zone
from safereply.services.triage_pool import TriagePool
from safereply.store.models import Post, PracticeSettings

__all__ = [
    "FIELDS",
    "ImportReport",
    "RejectedRow",
    "flatten",
    "import_posts",
    "parse_posts",
    "read_rows",
]

#: Post fields and the column names (lower case, spaces and dashes as underscores) that fill them.
FIELDS: dict[str, tuple[str, ...]] = {
    "external_id": (
        "external_id",
        "id",
        "review_id",
        "reviewid",
        "comment_id",
        "commentid",
        "post_id",
        "tweet_id",
        "message_id",
    ),
    "text": (
        "text",
        "review_text",
        "reviewtext",
        "review",
        "comment",
        "comment_text",
        "content",
        "body",
        "message",
        "review_body",
        "review_content",
        "feedback",
    ),
    "author": (
        "author",
        "author_name",
        "reviewer",
        "reviewer_name",
        "reviewer.displayname",
        "from.name",
        "user",
        "user_name",
        "username",
        "display_name",
        "name_of_reviewer",
    ),
    "rating": ("rating", "stars", "star_rating", "starrating", "score", "overall_rating"),
    "url": ("url", "link", "review_url", "permalink", "permalink_url"),
    "posted_at": (
        "posted_at",
        "date",
        "created",
        "created_at",
        "created_time",
        "createtime",
        "create_time",
        "review_date",
        "time",
        "timestamp",
        "updatetime",
        "update_time",
    ),
    "platform": ("platform", "source", "site"),
    "location": ("location", "location_name", "branch", "office"),
    "thread": ("thread", "parent_id", "in_reply_to", "conversation_id"),
    # The owner's reply already on the platform (the names ``safereply scan`` reads too, as
    # ``services.scan.REPLY_FIELDS``), and when it was given.
    "reply": (
        "reply",
        "reply_text",
        "response",
        "response_text",
        "owner_response",
        "owner_reply",
        "business_response",
        "practice_reply",
        "reviewreply.comment",
        "review_reply",
        "answer",
    ),
    "replied_at": (
        "replied_at",
        "reply_date",
        "reply_time",
        "replied_on",
        "reply_created_at",
        "reply_updated_at",
        "response_date",
        "response_time",
        "responded_at",
        "owner_response_date",
        "reviewreply.updatetime",
    ),
}

log = logging.getLogger("safereply.import")

_STAR_WORDS = {"ZERO": 0, "ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True, slots=True)
class RejectedRow:
    """A row that could not be imported: its 1-based line number and why."""

    line: int
    reason: str


@dataclass(slots=True)
class ImportReport:
    """What an import did: every row is counted in exactly one of the three outcomes."""

    created: int = 0
    duplicates: int = 0
    escalated: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    #: Of the created posts, those that arrived answered (their reply was in the file).
    answered: int = 0
    #: Of the created posts, the open ones written long before the import: backlog, due later
    #: than the reply time (``arrival.BACKLOG_AFTER`` and ``BACKLOG_DUE``).
    backlog: int = 0
    #: Lines of duplicates whose post is still open in the inbox while the file has its reply:
    #: left as they are (an import never changes a post it finds); answer or dismiss them there.
    open_with_reply: list[int] = field(default_factory=list)
    #: Lines of such duplicates closed with the file's reply (``close_answered=True``).
    closed_answered: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Return how many rows were read."""
        return self.created + self.duplicates + len(self.rejected)

    def to_dict(self) -> dict[str, Any]:
        """Return the report as plain data."""
        return {
            "total": self.total,
            "created": self.created,
            "duplicates": self.duplicates,
            "escalated": self.escalated,
            "rejected": [{"line": r.line, "reason": r.reason} for r in self.rejected],
            "answered": self.answered,
            "open": self.created - self.answered,
            "backlog": self.backlog,
            "open_with_reply": list(self.open_with_reply),
            "closed_answered": list(self.closed_answered),
        }


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def flatten(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Return a row with nested objects flattened to dotted, normalised column names.

    Iterative, so an object nested however deep cannot exhaust the stack.
    """
    out: dict[str, Any] = {}
    stack: list[tuple[str, Iterator[tuple[Any, Any]]]] = [(prefix, iter(obj.items()))]
    while stack:
        base, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        k, v = item
        name = f"{base}{k}"
        if isinstance(v, Mapping):
            stack.append((f"{name}.", iter(v.items())))
        else:
            out[_key(name)] = v
    return out


#: Ratings the inbox takes (the API's range): stars out of 5, or scores out of 10.
RATING_RANGE = (0.0, 10.0)


def _parse_rating(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool | Mapping | list):
        raise InputError("the rating is not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).strip()
        if text.upper() in _STAR_WORDS:
            return float(_STAR_WORDS[text.upper()])
        match = _NUMBER.match(text)
        if not match:
            raise InputError(f"rating {text[:40]!r} is not a number")
        number = float(match.group(1))
    low, high = RATING_RANGE
    if not math.isfinite(number) or not low <= number <= high:
        raise InputError(f"rating {value!r:.40} is not between {low:g} and {high:g}")
    return number


def _from_timestamp(value: float) -> dt.datetime:
    try:
        if not math.isfinite(value):
            raise ValueError
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise InputError(f"date {value!r:.40} is not a time this import understands") from None


#: Dates without ISO form, in the order tried: US month-first first (so 03/11/2026 is March 11),
#: then day-first, which reads what month-first cannot (15/11/2026, as Excel writes dates where
#: the day comes first), then Excel's US date with a 12-hour time ("11/2/2026 2:05 PM").
_DATE_FORMATS = (
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d.%m.%Y %H:%M",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
)


def _parse_time(value: Any, zone: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool | Mapping | list):
        raise InputError("the date is not a date")
    if isinstance(value, int | float):
        return _from_timestamp(value)
    text = str(value).strip()
    if re.fullmatch(r"\d{9,10}", text):
        return _from_timestamp(int(text))
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
        for fmt in _DATE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if parsed is None:
        raise InputError(
            f"date {text[:40]!r} is not a date this import understands "
            "(write it like 2026-11-30, 11/30/2026 or 30.11.2026)"
        ) from None
    # A time without a zone is on the practice's clock (``zone``): it decides the post's month
    # in the insights, and a date alone read as UTC midnight would fall on the day before west
    # of UTC (and a month's first day in the month before).
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _text_or_none(value: Any, name: str = "value") -> str | None:
    if value is None:
        return None
    if isinstance(value, Mapping | list):
        raise InputError(f"the {name} is a list or an object, not text")
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"the {name} is not a finite number")
    text = str(value).strip()
    return text or None


def _reply_time(value: Any, zone: dt.tzinfo) -> dt.datetime | None:
    """Return the reply's date, read as the post's; an unreadable one names the reply."""
    try:
        return _parse_time(value, zone)
    except InputError as exc:
        raise InputError("the reply's " + str(exc).removeprefix("the ")) from None


def _no_text(flat: Mapping[str, Any], mapping: Mapping[str, str]) -> str:
    """Say why a row has no text: empty, or no column the importer reads as text at all."""
    message = "no review or comment text (looked for: text, review, comment ...)"
    if "text" in mapping or any(alias in flat for alias in FIELDS["text"]):
        return message
    # A file whose text column has another name: every row is rejected, so name the columns.
    columns = ", ".join(name[:40] for name in list(flat)[:8]) + (" ..." if len(flat) > 8 else "")
    return (
        f"{message}; this row's columns: {columns}; rename the text column to 'text' "
        "(or, with safereply import, --map text=COLUMN)"
    )


def _to_post(
    raw: Mapping[str, Any],
    line: int,
    *,
    platform: str | None,
    mapping: Mapping[str, str],
    zone: dt.tzinfo = dt.UTC,
) -> NewPost:
    flat = flatten(raw)
    values: dict[str, Any] = {}
    for name, aliases in FIELDS.items():
        column = mapping.get(name)
        if column is not None:
            values[name] = flat.get(_key(column))
            continue
        values[name] = next((flat[a] for a in aliases if a in flat and flat[a] != ""), None)
    for name, value in values.items():
        # PostgreSQL cannot store NUL in text: refuse the row here, so the others still land.
        if isinstance(value, str) and "\x00" in value:
            raise InputError(
                f"the {name} holds a NUL character (\\u0000), which cannot be stored; "
                "remove it and import the row again"
            )
    text = values["text"]
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InputError(_no_text(flat, mapping))
    if not isinstance(text, str):
        raise InputError("the text column holds a non-text value")
    post_platform = _text_or_none(values["platform"], "platform") or platform
    if not post_platform:
        raise InputError("no platform: add a platform column or pass --platform")
    rating = _parse_rating(values["rating"])
    posted_at = _parse_time(values["posted_at"], zone)
    author = _text_or_none(values["author"], "author")
    external_id = _text_or_none(values["external_id"], "external id")
    if external_id is None:
        # A stable id from what identifies the post, so re-importing the same export is a no-op;
        # its time read as UTC without a zone, as before times took the practice's zone.
        when = _parse_time(values["posted_at"])
        basis = "\x1f".join(
            [post_platform.lower(), author or "", when.isoformat() if when else "", text]
        )
        external_id = "sha256:" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]
    reply = _text_or_none(values["reply"], "reply")
    return NewPost(
        platform=post_platform,
        external_id=external_id,
        text=text,
        author=author,
        rating=rating,
        url=_text_or_none(values["url"], "url"),
        posted_at=posted_at,
        thread=_text_or_none(values["thread"], "thread"),
        location=_text_or_none(values["location"], "location"),
        line=line,
        reply=reply,
        # Read only with a reply: a date beside no reply is no reason to refuse the review.
        replied_at=_reply_time(values["replied_at"], zone) if reply else None,
    )


def _detect(text: str, name: str | None) -> str:
    suffix = Path(name).suffix.lower() if name else ""
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    head = text.lstrip()[:1]
    if head == "[":
        return "json"
    if head == "{":
        first = text.lstrip().split("\n", 1)[0]
        try:
            json.loads(first)
            return "jsonl"
        except json.JSONDecodeError:
            return "json"
    return "csv"


_WRAPPER_KEYS = ("reviews", "posts", "comments", "data", "items")
_WRAPPED_LIST = re.compile(r'^\s*\{\s*"(' + "|".join(_WRAPPER_KEYS) + r')"\s*:\s*\[')


def _value_end(text: str, pos: int) -> int:
    """Return the index just past the JSON value starting at ``pos`` (strings, nesting aware).

    Used to step over an item that is well formed but too deep to decode.

    Raises:
        InputError: the value does not end (the list is not closed).
    """
    depth = 0
    in_string = False
    i = pos
    while i < len(text):
        c = text[i]
        if in_string:
            if c == "\\":
                i += 2
                continue
            if c == '"':
                in_string = False
                if depth == 0:
                    return i + 1
        elif c == '"':
            in_string = True
        elif c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth <= 0:
                return i + 1 if depth == 0 else i
        elif depth == 0 and c in ", \t\r\n":
            return i
        i += 1
    raise InputError("the JSON list is not closed with ]")


def _json_items(text: str) -> Iterator[tuple[int, Any]]:
    decoder = json.JSONDecoder()
    stripped = text.lstrip()
    offset = len(text) - len(stripped)
    if stripped.startswith("{"):
        # An object that wraps the list: {"reviews": [...]} or {"data": [...]}.
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"line {exc.lineno}: invalid JSON: {exc.msg}") from None
        except (RecursionError, ValueError):
            # An item too deep (or a number too long) to decode: find the list by its key.
            found = _WRAPPED_LIST.search(text)
            if found is None:
                raise InputError("line 1: JSON nested too deeply to read") from None
            obj = {found.group(1): []}
        for key in _WRAPPER_KEYS:
            if isinstance(obj.get(key), list):
                start = text.find(f'"{key}"')
                offset = text.find("[", start)
                stripped = text[offset:]
                break
        else:
            yield 1, obj
            return
    if not stripped.startswith("["):
        raise InputError("a JSON file must hold a list of posts (or JSON Lines, one per line)")
    pos = offset + 1
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos >= len(text):
            raise InputError("the JSON list is not closed with ]")
        if text[pos] == "]":
            return
        line = text.count("\n", 0, pos) + 1
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            # Without the item's end the rest of the list cannot be read reliably.
            raise InputError(f"line {exc.lineno}: invalid JSON: {exc.msg}") from None
        except (RecursionError, ValueError) as exc:
            # Well formed but too deep (or a number too long) to decode: skip to its end.
            reason = (
                "JSON nested too deeply to read"
                if isinstance(exc, RecursionError)
                else "a number too long to read"
            )
            yield line, RejectedRow(line, reason)
            pos = _value_end(text, pos)
            continue
        yield line, item
        pos = end


def parse_posts(
    data: bytes | str,
    *,
    name: str | None = None,
    fmt: str | None = None,
    platform: str | None = None,
    mapping: Mapping[str, str] | None = None,
    zone: dt.tzinfo = dt.UTC,
) -> Iterator[NewPost | RejectedRow]:
    """Yield a NewPost or a RejectedRow for every row of an export, in order.

    Args:
        data: the file's bytes (UTF-8, with or without a byte-order mark) or text.
        name: the file name, to tell the format by its extension.
        fmt: ``csv``, ``json`` or ``jsonl`` (default: from the name, then the content).
        platform: the platform of rows that do not name one.
        mapping: post field -> column name, overriding the built-in column names.
        zone: the clock of dates and times without a zone (the practice's; UTC by default).

    Raises:
        InputError: the file as a whole cannot be read (not UTF-8, unknown format, broken JSON).
    """
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise InputError(f"unknown field(s) in the mapping: {', '.join(unknown)}")
    for line, raw in read_rows(data, name=name, fmt=fmt):
        if isinstance(raw, RejectedRow):
            yield raw
            continue
        try:
            yield _to_post(raw, line, platform=platform, mapping=mapping, zone=zone)
        except InputError as exc:
            yield RejectedRow(line, str(exc))


def read_rows(
    data: bytes | str, *, name: str | None = None, fmt: str | None = None
) -> Iterator[tuple[int, Mapping[str, Any] | RejectedRow]]:
    """Yield (line, row object) for every row of a CSV, JSON or JSON Lines export, in order.

    A row that cannot be read, or is not an object, comes as a ``RejectedRow`` with its line.

    Raises:
        InputError: the file as a whole cannot be read (not UTF-8, unknown format, broken JSON).
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                f"line {line}: the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); "
                "save it as UTF-8 and import again"
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    fmt = fmt or _detect(text, name)
    if fmt not in ("csv", "json", "jsonl"):
        raise InputError(f"unknown import format {fmt!r}; use csv, json or jsonl")

    def checked(raw: Any, line: int) -> tuple[int, Mapping[str, Any] | RejectedRow]:
        if not isinstance(raw, Mapping):
            return line, RejectedRow(line, "expected an object with the post's fields")
        return line, raw

    if fmt == "jsonl":
        for number, row in enumerate(text.split("\n"), start=1):
            if not row.strip():
                continue
            try:
                raw = json.loads(row)
            except json.JSONDecodeError as exc:
                yield number, RejectedRow(number, f"invalid JSON: {exc.msg}")
                continue
            except RecursionError:
                yield number, RejectedRow(number, "JSON nested too deeply to read")
                continue
            except ValueError:  # an integer of more than 4,300 digits
                yield number, RejectedRow(number, "a number too long to read")
                continue
            yield checked(raw, number)
    elif fmt == "json":
        for line, raw in _json_items(text):
            yield checked(raw, line)
    else:
        yield from _csv_rows(text, name)


#: Delimiters a CSV export may use: the comma, the semicolon (Excel's CSV where the decimal mark
#: is a comma, as in most of Europe and Latin America) and the tab.
_DELIMITERS = (",", ";", "\t")


def _delimiter(text: str, name: str | None) -> str:
    """Return the delimiter of a CSV file: a tab for ``.tsv``, else whichever of comma, semicolon
    and tab splits the header line into the most columns (the comma on a tie).

    Read with commas, a semicolon file is one column per row, and every row was rejected with a
    message about a text column that was there all along.
    """
    if name and name.lower().endswith(".tsv"):
        return "\t"
    header = text.split("\n", 1)[0]

    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader([header], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            return 0

    return max(_DELIMITERS, key=width)


def _csv_rows(text: str, name: str | None) -> Iterator[tuple[int, Mapping[str, Any] | RejectedRow]]:
    delimiter = _delimiter(text, name)
    reader = csv.reader(io.StringIO(text, newline=""), dialect="excel", delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InputError(f"line 1: not a CSV header: {exc}") from None
    columns = [h.strip() for h in header]
    if len(set(columns)) != len(columns):
        raise InputError("line 1: the CSV header names a column twice")
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, RejectedRow(start, f"unreadable CSV row: {exc}")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield line, RejectedRow(line, f"{len(row)} columns where the header has {len(columns)}")
            continue
        yield line, dict(zip(columns, row, strict=True))


#: Posts per task sent to a triage worker process, at most and at least: about four tasks per
#: process, so the processes finish together, each task large enough that sending it and storing
#: its posts (one transaction a task) costs little beside triaging them.
PARALLEL_CHUNK = 200
MIN_CHUNK = 50
#: Posts an import needs before it starts the triage processes (starting four takes about three
#: CPU seconds); once they run, any import of two tasks or more uses them.
START_POOL_AT = 2 * PARALLEL_CHUNK


def _builtin_triage(inbox: InboxService) -> bool:
    # Only the package's own triage can run in another process; an injected one stays here.
    # (By identity: a name-and-module comparison silently failed once the function moved to
    # inbox_common, and every large import ran in one process.)
    return is_builtin(inbox.analysers.triage, "triage")


def _triage_chunk(items: list[tuple[str, str, float | None]]) -> list[dict[str, Any] | str]:
    import safereply

    out: list[dict[str, Any] | str] = []
    for text, platform, rating in items:
        try:
            out.append(safereply.triage(text, platform=platform, rating=rating).to_dict(None))
        except InputError as exc:  # reported for this row by the inbox, as without workers
            out.append(str(exc))
    return out


def _chunk_size(posts: int, processes: int) -> int:
    return max(MIN_CHUNK, min(PARALLEL_CHUNK, math.ceil(posts / (4 * processes))))


def _triage_in_parallel(posts: list[NewPost], pool: TriagePool) -> Iterator[list[NewPost]]:
    """Yield the posts chunk by chunk, in order, each with ``post.triaged`` filled by a worker.

    The caller stores one chunk while the workers triage the next ones.
    """
    size = _chunk_size(len(posts), pool.processes)
    chunks = [posts[i : i + size] for i in range(0, len(posts), size)]
    work = [[(p.text, p.platform.strip().lower(), p.rating) for p in chunk] for chunk in chunks]
    for chunk, results in zip(chunks, pool.map(_triage_chunk, work), strict=True):
        for post, result in zip(chunk, results, strict=True):
            if isinstance(result, dict):
                post.triaged = result
        yield chunk


def _pool_for(
    inbox: InboxService, workers: int | None, posts: int
) -> tuple[TriagePool | None, bool]:
    """Return the pool to triage ``posts`` posts in (None: in this process) and whether it is
    this import's own, to close when it is done."""
    if workers == 1 or not _builtin_triage(inbox):
        return None, False
    shared = inbox.triage_pool
    if workers is None or (shared is not None and shared.processes == workers):
        if shared is None or shared.processes < 2:
            return None, False
        needed = 2 * _chunk_size(posts, shared.processes) if shared.started else START_POOL_AT
        return (shared if posts >= needed else None), False
    if posts < START_POOL_AT:
        return None, False
    return TriagePool(workers), True


def _practice_zone(inbox: InboxService, practice_id: int) -> dt.tzinfo:
    """Return the practice's clock, on which an export's times without a zone are read."""
    with inbox.store.read() as session:
        name = session.scalar(
            select(PracticeSettings.timezone).where(PracticeSettings.practice_id == practice_id)
        )
    return practice_zone(name)


def import_posts(
    inbox: InboxService,
    actor: Actor,
    practice_id: int,
    data: bytes | str,
    *,
    name: str | None = None,
    fmt: str | None = None,
    platform: str | None = None,
    mapping: Mapping[str, str] | None = None,
    batch_size: int = 500,
    workers: int | None = None,
    close_answered: bool = False,
    location: str | None = None,
) -> ImportReport:
    """Import an export into a practice's inbox, triaging each post on arrival.

    Args:
        workers: processes that triage in parallel (the built-in triage only). None (the
            default): the inbox's triage pool, shared by this process's imports, for an import
            large enough; 1: in this process; more: the inbox's pool when it has that many
            processes, else that many started for this import alone.
        close_answered: close the open posts the file shows answered (``_close_answered``).
        location: the location of the rows that do not name one (a per-location export).

    Raises:
        InputError: the file as a whole cannot be read; nothing is imported then.
        NotFoundError / PermissionDenied: the actor is not a manager (or admin) of the practice.
    """
    # Before reading: outsiders learn nothing. Managers import, over the API as on the page.
    inbox.require(actor, practice_id, "manager")
    zone = _practice_zone(inbox, practice_id)
    rows = list(
        parse_posts(data, name=name, fmt=fmt, platform=platform, mapping=mapping, zone=zone)
    )
    report = ImportReport()
    posts = [_at(row, location) for row in rows if isinstance(row, NewPost)]
    report.rejected.extend(row for row in rows if isinstance(row, RejectedRow))

    replied: dict[int, NewPost] = {}  # post id -> row, of duplicates the file has a reply for

    def flush(batch: list[NewPost]) -> None:
        _tally(report, replied, batch, inbox.receive_many(actor, practice_id, batch))

    pool, own = _pool_for(inbox, workers, len(posts))
    try:
        if pool is not None:
            for chunk in _triage_in_parallel(posts, pool):
                flush(chunk)
        else:
            for start in range(0, len(posts), batch_size):
                flush(posts[start : start + batch_size])
    finally:
        if own and pool is not None:
            pool.close()
    report.rejected.sort(key=lambda r: r.line)
    report.open_with_reply = _still_open(inbox, {p: r.line or 0 for p, r in replied.items()})
    return _close_answered(inbox, actor, report, replied) if close_answered else report


def _at(post: NewPost, location: str | None) -> NewPost:
    """Return the row with the import's location when it names none itself."""
    return post if location is None or post.location else replace(post, location=location)


def _close_answered(
    inbox: InboxService, actor: Actor, report: ImportReport, replied: Mapping[int, NewPost]
) -> ImportReport:
    """Close each still-open post of ``report.open_with_reply`` with the file's reply; the
    posts the workflow refuses (emergency or crisis, or changed meanwhile) stay listed open."""
    by_line = {row.line or 0: (pid, row) for pid, row in replied.items()}
    left: list[int] = []
    for line in report.open_with_reply:
        pid, row = by_line[line]
        try:
            inbox.close_answered(actor, pid, row.reply or "", row.replied_at)
        except (WorkflowError, ConflictError) as exc:
            log.info("post %s left open by --close-answered: %s", pid, type(exc).__name__)
            left.append(line)
        else:
            report.closed_answered.append(line)
    report.open_with_reply = left
    return report


def _tally(
    report: ImportReport,
    replied: dict[int, NewPost],
    batch: list[NewPost],
    outcomes: list[IngestOutcome],
) -> None:
    """Count a stored batch's outcomes; note the duplicates the file has a reply for."""
    for post, outcome in zip(batch, outcomes, strict=True):
        if outcome.status == "created":
            report.created += 1
            report.escalated += outcome.escalated
            report.answered += outcome.answered
            report.backlog += outcome.backlog
        elif outcome.status == "duplicate":
            report.duplicates += 1
            if post.reply is not None and outcome.post_id:
                replied.setdefault(outcome.post_id, post)
        else:
            report.rejected.append(RejectedRow(outcome.line or 0, outcome.reason or "rejected"))


def _still_open(inbox: InboxService, lines: Mapping[int, int]) -> list[int]:
    """Return, in order, the lines of the posts (id -> line) that are still open in the inbox."""
    found: list[int] = []
    ids = sorted(lines)
    with inbox.store.read() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            open_ids = session.scalars(
                select(Post.id).where(Post.id.in_(chunk), Post.state.in_(OPEN_STATES))
            )
            found.extend(lines[pid] for pid in open_ids)
    return sorted(found)
