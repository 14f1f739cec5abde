"""Practices, their locations, settings and improvement log (rule 5)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from safereply.core.practice import Improvement as CoreImprovement
from safereply.core.practice import Practice as Profile
from safereply.core.vocab import TOPICS
from safereply.errors import InputError, NotFoundError, PermissionDenied
from safereply.services.access import practice_ids, require_role
from safereply.services.actor import Actor
from safereply.services.audit import record
from safereply.services.localtime import check_zone_name
from safereply.services.notify import check_webhook_target
from safereply.services.sealing import seal
from safereply.store.engine import Store
from safereply.store.models import (
    Improvement,
    Location,
    Membership,
    Organisation,
    Practice,
    PracticeSettings,
)
from safereply.store.rows import get_row

__all__ = ["SETTING_FIELDS", "PracticeService", "load_profile"]

#: Settings an admin may change, with their checks.
SETTING_FIELDS = (
    "approval_policy",
    "cooling_off_minutes",
    "sla_minutes",
    "urgent_sla_minutes",
    "notify_emails",
    "webhook_url",
    "webhook_secret",
    "timezone",
    "self_approval",
)


def load_profile(session: Session, practice_id: int) -> Profile:
    """Return the core practice profile (with improvements) for the composer and linter."""
    row = session.get(Practice, practice_id)
    if row is None:
        raise NotFoundError("no such practice")
    improvements = session.scalars(
        select(Improvement).where(Improvement.practice_id == practice_id).order_by(Improvement.id)
    )
    return Profile(
        name=row.name,
        phone=row.phone,
        sign_off=row.sign_off,
        address=row.address,
        website=row.website,
        staff=tuple(row.staff or ()),
        improvements=tuple(
            CoreImprovement(topic=i.topic, text=i.text, since=i.since) for i in improvements
        ),
    )


def profile_fields(row: Practice) -> dict[str, Any]:
    """Return the profile a practice's replies are checked against, as plain data."""
    return {
        "name": row.name,
        "phone": row.phone,
        "sign_off": row.sign_off,
        "address": row.address,
        "website": row.website,
        "staff": list(row.staff or ()),
    }


def practice_dict(row: Practice, role: str | None = None) -> dict[str, Any]:
    """Return a practice as plain data."""
    out = {
        "id": row.id,
        "organisation_id": row.organisation_id,
        **profile_fields(row),
        "locations": [{"id": loc.id, "name": loc.name} for loc in row.locations],
    }
    if role is not None:
        out["role"] = role
    return out


def settings_dict(row: PracticeSettings) -> dict[str, Any]:
    """Return practice settings as plain data; the webhook secret is never shown."""
    return {
        "approval_policy": row.approval_policy,
        "cooling_off_minutes": row.cooling_off_minutes,
        "sla_minutes": row.sla_minutes,
        "urgent_sla_minutes": row.urgent_sla_minutes,
        "notify_emails": list(row.notify_emails or ()),
        "webhook_url": row.webhook_url,
        "webhook_secret_set": bool(row.webhook_secret),
        "timezone": row.timezone,
        "self_approval": bool(row.self_approval),
    }


def _policy(name: str, value: Any) -> Any:
    if value not in ("complaints", "all", "none"):
        raise InputError("approval_policy must be one of: complaints, all, none")
    return value


def _minutes(name: str, value: Any) -> Any:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(f"{name} must be a whole number of minutes")
    low = 0 if name == "cooling_off_minutes" else 1
    if not low <= value <= 60 * 24 * 30:
        raise InputError(f"{name} must be between {low} and 43200 minutes")
    return value


def _emails(name: str, value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(v, str) and "@" in v for v in value):
        raise InputError("notify_emails must be a list of e-mail addresses")
    return [v.strip() for v in value]


def _webhook_url(name: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise InputError("webhook_url must be an http:// or https:// address")
    return value


def _webhook_secret(name: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not 16 <= len(value) <= 256:
        raise InputError("webhook_secret must be 16 to 256 characters")
    return value


def _flag(name: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise InputError(f"{name} must be true or false")
    return value


def _zone_name(name: str, value: Any) -> Any:
    return check_zone_name(value) if value not in (None, "") else None


#: Each setting's check: it returns the value to store (cleaned) or raises InputError.
_SETTING_CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "approval_policy": _policy,
    "cooling_off_minutes": _minutes,
    "sla_minutes": _minutes,
    "urgent_sla_minutes": _minutes,
    "notify_emails": _emails,
    "webhook_url": _webhook_url,
    "webhook_secret": _webhook_secret,
    "timezone": _zone_name,
    "self_approval": _flag,
}


def _validate_setting(name: str, value: Any) -> Any:
    """Return a setting's value as it is stored, checked by its entry in _SETTING_CHECKS.

    Raises:
        InputError: an unknown setting, or a bad value (the message names the setting).
    """
    check = _SETTING_CHECKS.get(name)
    if check is None:
        raise InputError(f"unknown setting {name!r}; settings are: {', '.join(SETTING_FIELDS)}")
    return check(name, value)


def _organisation(session: Session, organisation: str | int | None, name: str) -> Organisation:
    """Return an existing organisation by id, or a new one by name (default: the practice's)."""
    if isinstance(organisation, int):
        org = session.get(Organisation, organisation)
        if org is None:
            raise NotFoundError("no such organisation")
        return org
    org = Organisation(name=organisation or name)
    session.add(org)
    session.flush()
    return org


def _add_parts(
    session: Session,
    practice_id: int,
    profile: Profile,
    settings: dict[str, Any],
    locations: tuple[str, ...],
) -> None:
    """Add a new practice's settings (checked), locations and recorded improvements."""
    conf = PracticeSettings(practice_id=practice_id)
    for name, value in settings.items():
        setattr(conf, name, _validate_setting(name, value))
    session.add(conf)
    for name in locations:
        session.add(Location(practice_id=practice_id, name=name))
    for imp in profile.improvements:
        session.add(
            Improvement(practice_id=practice_id, topic=imp.topic, text=imp.text, since=imp.since)
        )


class PracticeService:
    """Create and configure practices."""

    def __init__(self, store: Store, settings: Any = None) -> None:
        if settings is None:
            from safereply.settings import Settings

            settings = Settings()
        self.store = store
        self.settings = settings  # seals the webhook secret, checks webhook targets (issue 12)

    def create_practice(
        self,
        actor: Actor,
        profile: Profile,
        *,
        organisation: str | int | None = None,
        locations: tuple[str, ...] = (),
        admin_user_id: int | None = None,
        settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create a practice from a profile (only an instance administrator may).

        Args:
            organisation: an existing organisation id, or a name for a new one (default: the
                practice's own name).
            admin_user_id: a user who becomes the practice's admin.
            settings: initial settings (see SETTING_FIELDS).
        """
        if not actor.is_superuser:
            raise PermissionDenied("only an instance administrator may create practices")
        with self.store.write() as session:
            org = _organisation(session, organisation, profile.name)
            row = Practice(
                organisation_id=org.id,
                name=profile.name,
                phone=profile.phone,
                sign_off=profile.sign_off,
                address=profile.address,
                website=profile.website,
                staff=list(profile.staff),
            )
            session.add(row)
            session.flush()
            _add_parts(session, row.id, profile, settings or {}, locations)
            if admin_user_id is not None:
                session.add(Membership(user_id=admin_user_id, practice_id=row.id, role="admin"))
            record(
                session,
                actor,
                "practice.create",
                object_type="practice",
                object_id=row.id,
                practice_id=row.id,
            )
            session.flush()
            session.refresh(row)
            return practice_dict(row)

    def list_practices(self, actor: Actor) -> list[dict[str, Any]]:
        """Return the practices the actor belongs to, with the actor's role in each."""
        with self.store.read() as session:
            return _practices_of(session, actor)

    def get_practice(self, actor: Actor, practice_id: int) -> dict[str, Any]:
        """Return one practice the actor belongs to."""
        with self.store.read() as session:
            role = require_role(session, actor, practice_id, "staff")
            return practice_dict(get_row(session, Practice, practice_id), role)

    def page_context(self, actor: Actor, practice_id: int) -> dict[str, Any]:
        """Return what every page of a practice shows, in one transaction: the practice (as
        :meth:`get_practice`), the practices to switch to (:meth:`list_practices`) and its
        settings (:meth:`get_settings`). Three transactions each checking the role were a
        fifth of a page's database round trips (issue 16)."""
        with self.store.read() as session:
            role = require_role(session, actor, practice_id, "staff")
            return {
                "practice": practice_dict(get_row(session, Practice, practice_id), role),
                "practices": _practices_of(session, actor),
                "settings": settings_dict(get_row(session, PracticeSettings, practice_id)),
            }

    def profile(self, actor: Actor, practice_id: int) -> Profile:
        """Return the core profile of a practice the actor belongs to."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            return load_profile(session, practice_id)

    def add_location(self, actor: Actor, practice_id: int, name: str) -> dict[str, Any]:
        """Add a location to a practice (admins)."""
        name = (name or "").strip()
        if not name:
            raise InputError("a location needs a name")
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            existing = session.scalar(
                select(Location).where(Location.practice_id == practice_id, Location.name == name)
            )
            if existing is not None:
                return {"id": existing.id, "name": existing.name}
            row = Location(practice_id=practice_id, name=name)
            session.add(row)
            session.flush()
            record(
                session,
                actor,
                "location.create",
                object_type="location",
                object_id=row.id,
                practice_id=practice_id,
            )
            return {"id": row.id, "name": row.name}

    def get_settings(self, actor: Actor, practice_id: int) -> dict[str, Any]:
        """Return a practice's workflow settings (every member may read them)."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            return settings_dict(get_row(session, PracticeSettings, practice_id))

    def update_settings(
        self, actor: Actor, practice_id: int, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """Change settings (admins); each change is validated and audited by name.

        Raises:
            InputError: an unknown setting or a bad value, naming it; nothing is changed then.
        """
        clean = {name: _validate_setting(name, value) for name, value in changes.items()}
        if clean.get("webhook_url"):
            check_webhook_target(clean["webhook_url"], self.settings)  # no internal hosts
        if clean.get("webhook_secret"):
            clean["webhook_secret"] = seal(clean["webhook_secret"], self.settings)
        with self.store.write() as session:
            require_role(session, actor, practice_id, "admin")
            row = get_row(session, PracticeSettings, practice_id)
            before = settings_dict(row)
            for name, value in clean.items():
                setattr(row, name, value)
            record(
                session,
                actor,
                "settings.update",
                object_type="practice",
                object_id=practice_id,
                practice_id=practice_id,
                detail={
                    "changed": sorted(clean),
                    "from": {k: before.get(k) for k in clean if k != "webhook_secret"},
                },
            )
            session.flush()
            return settings_dict(row)

    # -- improvements (rule 5) ----------------------------------------------------------------

    def list_improvements(self, actor: Actor, practice_id: int) -> list[dict[str, Any]]:
        """Return the practice's improvement log, newest first."""
        with self.store.read() as session:
            require_role(session, actor, practice_id, "staff")
            rows = session.scalars(
                select(Improvement)
                .where(Improvement.practice_id == practice_id)
                .order_by(Improvement.since.desc(), Improvement.id.desc())
            )
            return [_improvement_dict(r) for r in rows]

    def add_improvement(
        self,
        actor: Actor,
        practice_id: int,
        *,
        topic: str,
        text: str,
        since: dt.date | None = None,
    ) -> dict[str, Any]:
        """Record a change the practice made on one topic (managers and admins)."""
        if topic not in TOPICS:
            raise InputError(f"unknown topic {topic!r}; use one of: {', '.join(TOPICS)}")
        text = (text or "").strip()
        if not text or len(text) > 500:
            raise InputError("an improvement needs a description of 1 to 500 characters")
        # Suggested replies cite a recorded change as made ("We recently added ..."): a plan is
        # recorded once it is done. A day of slack for a practice ahead of UTC.
        if since is not None and since > dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1):
            raise InputError(
                f"the date {since.isoformat()} is in the future: suggested replies say a recorded "
                "change is already made, so record it once it is (or leave the date empty)"
            )
        with self.store.write() as session:
            require_role(session, actor, practice_id, "manager")
            row = Improvement(
                practice_id=practice_id,
                topic=topic,
                text=text,
                since=since,
                created_by=actor.user_id,
            )
            session.add(row)
            session.flush()
            record(
                session,
                actor,
                "improvement.create",
                object_type="improvement",
                object_id=row.id,
                practice_id=practice_id,
                detail={"topic": topic},
            )
            return _improvement_dict(row)

    def delete_improvement(self, actor: Actor, practice_id: int, improvement_id: int) -> None:
        """Remove an improvement from the log (managers and admins)."""
        with self.store.write() as session:
            require_role(session, actor, practice_id, "manager")
            row = session.get(Improvement, improvement_id)
            if row is None or row.practice_id != practice_id:
                raise NotFoundError("no such improvement")
            session.delete(row)
            record(
                session,
                actor,
                "improvement.delete",
                object_type="improvement",
                object_id=improvement_id,
                practice_id=practice_id,
                detail={"topic": row.topic},
            )


def _improvement_dict(row: Improvement) -> dict[str, Any]:
    return {
        "id": row.id,
        "topic": row.topic,
        "text": row.text,
        "since": row.since.isoformat() if row.since else None,
    }


def _practices_of(session: Session, actor: Actor) -> list[dict[str, Any]]:
    """The practices the actor belongs to, with the actor's role in each."""
    ids = practice_ids(session, actor)
    query = select(Practice).order_by(Practice.id)
    if ids is not None:
        query = query.where(Practice.id.in_(ids))
    rows = session.scalars(query).all()
    roles = {}
    if not actor.is_superuser:
        roles = dict(
            session.execute(
                select(Membership.practice_id, Membership.role).where(
                    Membership.user_id == actor.user_id
                )
            ).all()
        )
    return [practice_dict(r, roles.get(r.id, "admin")) for r in rows]
