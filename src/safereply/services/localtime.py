"""Times typed by people and scripts: dates and times without a zone are the practice's local time.

``?since=2026-01-01`` means the start of 1 January where the practice is; ``2026-01-01T09:00`` is
nine o'clock on the practice's clock; a time with a zone (``Z``, ``+01:00``) keeps it. A practice
without a time zone setting keeps UTC. Everything comes back timezone-aware, in UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from safereply.errors import InputError

__all__ = ["check_zone_name", "parse_local_time", "practice_zone"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}")


def check_zone_name(name: str) -> str:
    """Return an IANA time zone name (``America/New_York``) when it names a real zone.

    Raises:
        InputError: not a time zone this system knows.
    """
    if not isinstance(name, str) or len(name) > 64 or not _ZONE_NAME.fullmatch(name):
        raise InputError("timezone must be an IANA time zone name, like America/New_York")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InputError(f"timezone {name!r} is not a time zone this server knows") from None
    if name not in available_timezones() and name != "UTC":
        raise InputError(f"timezone {name!r} is not a time zone this server knows")
    return name


def practice_zone(name: str | None) -> dt.tzinfo:
    """Return the practice's zone (UTC when it has none, or it can no longer be loaded)."""
    if not name:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return dt.UTC


def parse_local_time(value: str, zone: dt.tzinfo, *, name: str = "time") -> dt.datetime:
    """Return an aware UTC datetime for a date, a naive time (in ``zone``) or an aware time.

    Raises:
        InputError: not a date or time, or one that cannot be placed in UTC (year 1 or 9999 at
            the edge of the calendar), naming ``name``.
    """
    text = (value or "").strip()
    try:
        if _DATE.fullmatch(text):
            parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        else:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone)
        return parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise InputError(
            f"{name} {text[:40]!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM, with "
            "an optional zone) that can be placed in UTC"
        ) from None
