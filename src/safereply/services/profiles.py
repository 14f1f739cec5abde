"""Editing a practice's public profile: name, phone, sign-off, address, website and staff names.

The profile is what the composer signs with and what the linter treats as the practice's own
(never an identifier), so it is validated by the same parser as the TOML profile file.
"""

from __future__ import annotations

from typing import Any

from safereply.core.practice import parse_practice
from safereply.errors import InputError, NotFoundError, ProfileError
from safereply.services.access import require_role
from safereply.services.actor import Actor
from safereply.services.audit import record
from safereply.services.practices import practice_dict, profile_fields
from safereply.store.engine import Store
from safereply.store.models import Practice

__all__ = ["PROFILE_FIELDS", "update_profile"]

#: The profile fields an admin may change.
PROFILE_FIELDS = ("name", "phone", "sign_off", "address", "website", "staff")
# The column sizes of the practices table.
_MAX_CHARS = {"name": 200, "phone": 40, "sign_off": 200, "address": 300, "website": 300}


def update_profile(
    store: Store, actor: Actor, practice_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Change a practice's profile (admins); every change is audited by field name.

    Args:
        changes: new values by field; empty optional fields (sign_off, address, website) clear
            them; ``staff`` is a list of names.

    Raises:
        InputError: an unknown field or a value the profile parser refuses; the message names the
            field and nothing is changed.
    """
    _check_fields(changes)
    with store.write() as session:
        require_role(session, actor, practice_id, "admin")
        row = session.get(Practice, practice_id)
        if row is None:
            raise NotFoundError("no such practice")
        new = _validated(row, changes)
        changed = sorted(k for k in PROFILE_FIELDS if new[k] != _stored(row, k))
        for name in changed:
            setattr(row, name, new[name])
        if changed:
            record(
                session,
                actor,
                "practice.update",
                object_type="practice",
                object_id=practice_id,
                practice_id=practice_id,
                detail={"changed": changed},
            )
        session.flush()
        return practice_dict(row)


def _check_fields(changes: dict[str, Any]) -> None:
    """Refuse an unknown field, or a text longer than its column, before anything is read."""
    unknown = sorted(set(changes) - set(PROFILE_FIELDS))
    if unknown:
        raise InputError(f"unknown profile field(s): {', '.join(unknown)}")
    for name, limit in _MAX_CHARS.items():
        value = changes.get(name)
        if isinstance(value, str) and len(value.strip()) > limit:
            raise InputError(f"{name}: at most {limit} characters")


def _validated(row: Practice, changes: dict[str, Any]) -> dict[str, Any]:
    """Return the whole profile after the changes, as the profile parser cleans it (the same
    checks as the TOML file); its refusal becomes an InputError naming the field."""
    merged = profile_fields(row) | changes
    table = {k: v for k, v in merged.items() if v not in (None, "")}
    try:
        profile = parse_practice({"practice": table})
    except ProfileError as exc:
        field = (exc.field or "").removeprefix("practice.")
        raise InputError(f"{field or 'profile'}: {str(exc).split(': ', 1)[-1]}") from None
    return {
        "name": profile.name,
        "phone": profile.phone,
        "sign_off": profile.sign_off,
        "address": profile.address,
        "website": profile.website,
        "staff": list(profile.staff),
    }


def _stored(row: Practice, name: str) -> Any:
    value = getattr(row, name)
    return list(value or ()) if name == "staff" else value
