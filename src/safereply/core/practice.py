"""The practice profile (DESIGN.md §3): who is replying, and what a reply may say about them.

The practice's own phone, address, website and staff names are never identifiers, and its recorded
improvements may be cited in replies to complaints on the same topic.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, overload

from safereply.core.vocab import TOPICS
from safereply.errors import ProfileError

__all__ = ["Improvement", "Practice", "load_practice", "parse_practice"]

_PHONE_DIGITS = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class Improvement:
    """A change the practice made in response to feedback on one topic."""

    topic: str
    text: str
    since: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Practice:
    """A practice profile. Only ``name`` and ``phone`` are required."""

    name: str
    phone: str
    sign_off: str | None = None
    address: str | None = None
    website: str | None = None
    staff: tuple[str, ...] = ()
    improvements: tuple[Improvement, ...] = field(default=())

    @property
    def phone_digits(self) -> str:
        """Return the phone number's digits only, for matching it in replies."""
        return "".join(_PHONE_DIGITS.findall(self.phone))

    def improvements_for(self, topic: str) -> tuple[Improvement, ...]:
        """Return the improvements recorded for one topic, newest first."""
        found = [i for i in self.improvements if i.topic == topic]
        found.sort(key=lambda i: i.since or dt.date.min, reverse=True)
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """Return the profile as plain data (the shape of the TOML file)."""
        return {
            "practice": {
                "name": self.name,
                "phone": self.phone,
                "sign_off": self.sign_off,
                "address": self.address,
                "website": self.website,
                "staff": list(self.staff),
            },
            "improvements": [
                {
                    "topic": i.topic,
                    "text": i.text,
                    "since": i.since.isoformat() if i.since else None,
                }
                for i in self.improvements
            ],
        }


@overload
def _text(
    table: dict[str, Any], key: str, where: str, *, required: Literal[True], source: str | None
) -> str: ...


@overload
def _text(
    table: dict[str, Any], key: str, where: str, *, required: bool, source: str | None
) -> str | None: ...


def _text(
    table: dict[str, Any], key: str, where: str, *, required: bool, source: str | None
) -> str | None:
    """Return a table's text field stripped; None only when it is optional and absent."""
    value = table.get(key)
    if value is None:
        if required:
            raise ProfileError("is required", field=f"{where}.{key}", source=source)
        return None
    if not isinstance(value, str) or not value.strip():
        raise ProfileError("must be a non-empty string", field=f"{where}.{key}", source=source)
    return value.strip()


def _table_of(data: dict[str, Any] | str, source: str | None) -> dict[str, Any]:
    """Return the profile as parsed data (TOML text is parsed here)."""
    if isinstance(data, str):
        try:
            data = tomllib.loads(data)
        except tomllib.TOMLDecodeError as exc:
            raise ProfileError(f"not valid TOML: {exc}", source=source) from exc
        except RecursionError:
            raise ProfileError("not valid TOML: nested too deeply", source=source) from None
    if not isinstance(data, dict):
        raise ProfileError("a profile must be a table", source=source)
    return data


def _phone(table: dict[str, Any], source: str | None) -> str:
    """Return the practice's phone number: required, with 7 to 15 digits."""
    phone = _text(table, "phone", "practice", required=True, source=source)
    digits = "".join(_PHONE_DIGITS.findall(phone))
    if not 7 <= len(digits) <= 15:
        raise ProfileError(
            f"'{phone}' does not look like a phone number (7 to 15 digits)",
            field="practice.phone",
            source=source,
        )
    return phone


def _staff(table: dict[str, Any], source: str | None) -> tuple[str, ...]:
    """Return the staff names (a list of non-empty strings), stripped."""
    staff_raw = table.get("staff", [])
    if not isinstance(staff_raw, list) or not all(
        isinstance(s, str) and s.strip() for s in staff_raw
    ):
        raise ProfileError("must be a list of names", field="practice.staff", source=source)
    return tuple(s.strip() for s in staff_raw)


def _since(item: dict[str, Any], where: str, source: str | None) -> dt.date | None:
    """Return an improvement's date: a TOML date, a date-time (its day) or YYYY-MM-DD text."""
    since = item.get("since")
    if isinstance(since, str):
        try:
            return dt.date.fromisoformat(since)
        except ValueError as exc:
            raise ProfileError(
                f"'{since}' is not a date (YYYY-MM-DD)", field=f"{where}.since", source=source
            ) from exc
    if isinstance(since, dt.datetime):
        return since.date()
    if since is not None and not isinstance(since, dt.date):
        raise ProfileError("must be a date (YYYY-MM-DD)", field=f"{where}.since", source=source)
    return since


def _improvements(data: dict[str, Any], source: str | None) -> tuple[Improvement, ...]:
    """Return the ``[[improvements]]`` tables: a known topic, a text and an optional date."""
    raw_improvements = data.get("improvements", [])
    if not isinstance(raw_improvements, list):
        raise ProfileError("must be an array of tables", field="improvements", source=source)
    improvements = []
    for n, item in enumerate(raw_improvements):
        where = f"improvements[{n}]"
        if not isinstance(item, dict):
            raise ProfileError("must be a table", field=where, source=source)
        topic = _text(item, "topic", where, required=True, source=source)
        if topic not in TOPICS:
            raise ProfileError(
                f"unknown topic '{topic}'; use one of: {', '.join(TOPICS)}",
                field=f"{where}.topic",
                source=source,
            )
        text = _text(item, "text", where, required=True, source=source)
        improvements.append(Improvement(topic=topic, text=text, since=_since(item, where, source)))
    return tuple(improvements)


def parse_practice(data: dict[str, Any] | str, *, source: str | None = None) -> Practice:
    """Build a validated practice profile from TOML text or already-parsed data.

    Raises:
        ProfileError: naming the field that is missing or wrong.
    """
    data = _table_of(data, source)
    table = data.get("practice")
    if not isinstance(table, dict):
        raise ProfileError("a [practice] table is required", field="practice", source=source)
    name = _text(table, "name", "practice", required=True, source=source)
    phone = _phone(table, source)
    staff = _staff(table, source)
    improvements = _improvements(data, source)
    return Practice(
        name=name,
        phone=phone,
        sign_off=_text(table, "sign_off", "practice", required=False, source=source),
        address=_text(table, "address", "practice", required=False, source=source),
        website=_text(table, "website", "practice", required=False, source=source),
        staff=staff,
        improvements=improvements,
    )


def load_practice(path: str | Path) -> Practice:
    """Read and validate a practice profile from a TOML file.

    Raises:
        ProfileError: the file cannot be read, is not TOML, or has a bad field.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProfileError(f"cannot read the file: {exc.strerror}", source=str(path)) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError("the file is not UTF-8 text", source=str(path)) from exc
    return parse_practice(text, source=str(path))
