"""Services: the only place where the workflow rules meet storage.

Build them once with :func:`build_services` and share them; the JSON API, the HTML pages and the
command line all call the same methods, so every rule and role check holds everywhere::

    services = build_services(store, settings)
    services.inbox.receive(actor, practice_id, NewPost(platform="google", external_id="1", text=t))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher

from safereply.services.actor import SYSTEM, Actor
from safereply.services.audit import AuditLog
from safereply.services.auth import AuthService
from safereply.services.inbox import Analysers, InboxService, NewPost
from safereply.services.notify import Notifier, SmtpConfig
from safereply.services.practices import PracticeService
from safereply.services.triage_pool import TriagePool
from safereply.services.users import UserService
from safereply.settings import Settings
from safereply.store.engine import Store
from safereply.store.models import utcnow

__all__ = [
    "SYSTEM",
    "Actor",
    "Analysers",
    "NewPost",
    "Services",
    "build_services",
]


@dataclass(frozen=True, slots=True)
class Services:
    """Every service of one SafeReply instance, over one store."""

    store: Store
    settings: Settings
    users: UserService
    practices: PracticeService
    inbox: InboxService
    audit: AuditLog
    notifier: Notifier
    #: Sign-in, second factor, re-authentication and password reset (services/auth.py).
    auth: AuthService

    def close(self) -> None:
        """End the processes the services started (the import's triage pool); the database's
        connections are the store's owner's to close. The services still work afterwards: the
        pool starts again on the next large import."""
        if self.inbox.triage_pool is not None:
            self.inbox.triage_pool.close()

    @property
    def reports(self):  # imported lazily: reports are read-only and not needed by every caller
        """Return the reports service."""
        from safereply.services.reports import ReportService

        return ReportService(self.store)

    @property
    def scan(self):  # imported lazily, like reports: only the scan pages need it
        """Return the scan service (risk-ranking published replies)."""
        from safereply.services.scan import ScanService

        return ScanService(self.store)


def build_services(
    store: Store,
    settings: Settings | None = None,
    *,
    analysers: Analysers | None = None,
    clock: Callable[[], dt.datetime] = utcnow,
    password_hasher: PasswordHasher | None = None,
) -> Services:
    """Wire the services of one instance together."""
    settings = settings or Settings()
    smtp = None
    if settings.smtp_host:
        smtp = SmtpConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
            sender=settings.smtp_sender,
            timeout=settings.smtp_timeout,
        )
    notifier = Notifier(
        store,
        smtp=smtp,
        webhook_timeout=settings.webhook_timeout,
        clock=clock,
        settings=settings,
    )
    if analysers is None and settings.llm_url:  # suggested replies from the practice's own model
        from safereply.compose_llm import LLMConfig, LLMDrafter

        config = LLMConfig.from_settings(settings)
        if config is not None:  # None only when the URL is blank, which the test above excludes
            analysers = Analysers(compose=LLMDrafter(config))
    users = UserService(
        store, clock=clock, hasher=password_hasher, session_idle=settings.session_idle_timeout
    )
    return Services(
        store=store,
        settings=settings,
        users=users,
        practices=PracticeService(store, settings),
        inbox=InboxService(
            store,
            analysers=analysers,
            notifier=notifier,
            clock=clock,
            base_url=settings.base_url,
            triage_pool=TriagePool(settings.triage_processes),
        ),
        audit=AuditLog(store),
        notifier=notifier,
        auth=AuthService(store, settings, users, clock=clock),
    )
