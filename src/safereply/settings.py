"""Settings of the service: one typed object from the environment and an optional file.

Every setting can be given as an environment variable with the ``SAFEREPLY_`` prefix
(``SAFEREPLY_DATABASE_URL``, ``SAFEREPLY_SECRET_KEY`` ...) or in a TOML settings file named by
``SAFEREPLY_SETTINGS_FILE`` (keys without the prefix, lower case). The environment wins over
the file.

Nothing reads settings at import time: build a :class:`Settings` and pass it to ``create_app`` or to
``Store.from_settings``.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_data_dir
from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from safereply.errors import ConfigError

__all__ = ["DEFAULT_SECRET", "Settings", "default_database_url", "load_settings"]

#: The placeholder secret. Fine on a developer's machine, refused anywhere else.
DEFAULT_SECRET = "change-me-in-production"


def default_database_url() -> str:
    """Return the URL of the embedded SQLite database in the user's data directory."""
    path = Path(user_data_dir("safereply", appauthor=False)) / "safereply.sqlite3"
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    """Typed settings of the SafeReply service.

    Attributes:
        environment: ``development`` (the default), ``test`` or ``production``. Outside
            development the server refuses to start with the default secret.
        secret_key: checked at start-up (not the placeholder, 32+ characters outside
            development); signs the sign-in form's token, the half-finished sign-in between the
            password and the second factor, the known-device cookie, and keys the hashes of
            password-reset links (changing it voids all of those; sessions and API tokens are
            random values stored hashed and survive it).
        database_url: SQLAlchemy URL; SQLite in the user data directory when empty.
        base_url: the address staff open the app at; used in notification links.
        smtp_host: SMTP server for staff e-mail notifications; none are sent when empty.
        webhook_timeout: seconds to wait for a practice's webhook to answer.
        session_max_age: seconds a browser session lasts from sign-in at most (absolute).
        session_idle_timeout: seconds without a request after which a session ends (idle).
        login_max_failures: failed sign-ins a source address may make in the window before each
            further attempt waits, twice as long each time (1 s, 2 s, 4 s ... up to the window),
            from the login_max_failures-th failure on.
        login_account_max_failures: failed sign-ins on one account, from all sources, in the
            window before a password alone no longer opens it from an unknown device (a second
            factor, or a browser that signed in to it before, still does).
        login_window: seconds a failure is remembered (and the longest delay).
        trusted_proxies: addresses or networks (CIDR) of the reverse proxies in front of the
            service, comma-separated; only their X-Forwarded-For / Forwarded headers are believed.
            Empty (the default): the peer address is the client.
        password_reset_ttl: seconds a password-reset link works (once).
        login_throttle: where the sign-in limiter keeps its counts: ``database`` (a table of
            the instance's database, the default) or ``redis`` (at ``redis_url``).
        api_docs: who may read ``/docs`` and ``/openapi.json``: ``auto`` (open outside
            production, a sign-in in production), ``public``, ``signed-in`` or ``off`` (404).
        sweep_interval: seconds between SLA sweeps while the server runs (0 turns them off).
        triage_processes: worker processes that triage large imports in parallel, started by
            a process's first large import and kept for its later ones (default: the CPUs, at
            most 4; 1 triages in the importing process itself).
        encryption_keys: comma-separated keys sealing secrets at rest (webhook secrets, platform
            tokens); the first seals, every one unseals. Empty: a key derived from secret_key.
        webhook_allowed_hosts: comma-separated internal host names a webhook may target although
            they resolve to a private address (on-premise installs); none by default.
        request_limits: where the request rate limiter counts: ``auto`` (Redis when redis_url
            is set, else the database; the default), ``database``, ``redis`` or ``off``.
        request_limit_window: seconds of the sliding window the request budgets are per.
        request_limit_user_reads / request_limit_user_writes: requests a signed-in user may make
            per window, over all their sessions and tokens (GET/HEAD/OPTIONS are reads).
        request_limit_address_reads / request_limit_address_writes: the same per client address
            (signed in or not; a front desk shares one address, so these are higher).
    """

    model_config = SettingsConfigDict(env_prefix="SAFEREPLY_", extra="forbid")

    environment: Literal["development", "test", "production"] = "development"
    secret_key: str = DEFAULT_SECRET
    database_url: str = ""
    base_url: str = "http://127.0.0.1:8000"
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_sender: str = "safereply@localhost"
    smtp_timeout: float = Field(default=10.0, gt=0)
    webhook_timeout: float = Field(default=5.0, gt=0)
    session_max_age: int = Field(default=12 * 3600, ge=60)
    session_idle_timeout: int = Field(default=30 * 60, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_account_max_failures: int = Field(default=20, ge=1)
    login_window: int = Field(default=900, ge=1)
    trusted_proxies: str = ""
    password_reset_ttl: int = Field(default=30 * 60, ge=60, le=24 * 3600)
    # /docs and /openapi.json: auto = open outside production, a sign-in in production.
    api_docs: Literal["auto", "public", "signed-in", "off"] = "auto"
    # Where the sign-in limiter counts: the instance's database, or Redis (redis_url).
    login_throttle: Literal["database", "redis"] = "database"
    sweep_interval: int = Field(default=60, ge=0)
    # Imports: the triage pool's size (services/triage_pool.py), per server or worker process.
    triage_processes: int = Field(default_factory=lambda: min(4, os.cpu_count() or 1), ge=1, le=64)
    # Drafts from a language model the practice runs (safereply.compose_llm): off while llm_url
    # is empty. The post text is sent to llm_url, an OpenAI-compatible chat-completions server.
    llm_url: str = ""
    llm_model: str = ""
    llm_timeout: float = Field(default=20.0, gt=0, le=600)
    llm_api_key: str = ""
    # Connectors (issue 14): API base URLs are settings so a test double or a proxy can stand in.
    google_business_api: str = "https://mybusiness.googleapis.com"
    google_token_url: str = "https://oauth2.googleapis.com/token"
    # Connecting from the Connections page (OAuth authorization code + PKCE): the OAuth client of
    # this instance; the page offers "Connect with Google" only when google_client_id is set.
    google_auth_url: str = "https://accounts.google.com/o/oauth2/v2/auth"
    google_client_id: str = ""
    google_client_secret: str = ""
    connector_timeout: float = Field(default=30.0, gt=0, le=300)
    # Meta (Facebook Pages, Instagram) and X connectors; webhooks at /hooks/meta are refused
    # while meta_app_secret is empty (never accepted unchecked).
    meta_graph_api: str = "https://graph.facebook.com/v26.0"
    instagram_api: str = "https://graph.instagram.com"
    x_api: str = "https://api.x.com"
    meta_app_secret: str = ""
    meta_verify_token: str = ""
    # Connecting Facebook, Instagram and X from the Connections page (issue 14): each platform's
    # "Connect" button shows once its client id and secret are set; the redirect URIs are
    # {base_url}/oauth/{facebook|instagram|x}/callback. Facebook uses the Meta app (meta_app_id +
    # meta_app_secret) and Facebook Login (meta_login_config_id: a Facebook Login for Business
    # configuration, sent instead of the scope when set); the code is exchanged at
    # {meta_graph_api}/oauth/access_token. Instagram uses Instagram Login (the Instagram app's own
    # id and secret). X: OAuth 2.0 with PKCE; x_token_url empty = {x_api}/2/oauth2/token.
    meta_app_id: str = ""
    meta_login_config_id: str = ""
    facebook_auth_url: str = "https://www.facebook.com/v26.0/dialog/oauth"
    instagram_app_id: str = ""
    instagram_app_secret: str = ""
    instagram_auth_url: str = "https://www.instagram.com/oauth/authorize"
    instagram_token_url: str = "https://api.instagram.com/oauth/access_token"
    x_client_id: str = ""
    x_client_secret: str = ""
    x_auth_url: str = "https://x.com/i/oauth2/authorize"
    x_token_url: str = ""
    # Background jobs (safereply worker): on Redis when redis_url is set, else in an SQLite file
    # (jobs_path, default beside the embedded database in the data directory).
    redis_url: str = ""
    jobs_path: str = ""
    # Secrets at rest (safereply.services.sealing): comma-separated Fernet keys, the first seals,
    # all unseal; empty: one key derived from secret_key (HKDF).
    encryption_keys: str = ""
    # Webhooks may not target loopback, private, link-local, multicast or reserved addresses;
    # on-premise installs name the internal hosts they allow here (comma-separated host names).
    webhook_allowed_hosts: str = ""
    # Request rate limits on the API and pages (web/request_limits.py): per user and per address,
    # reads and writes apart, per sliding window; counted where request_limits says.
    request_limits: Literal["auto", "database", "redis", "off"] = "auto"
    request_limit_window: int = Field(default=60, ge=1, le=3600)
    request_limit_user_reads: int = Field(default=600, ge=1)
    request_limit_user_writes: int = Field(default=120, ge=1)
    request_limit_address_reads: int = Field(default=2400, ge=1)
    request_limit_address_writes: int = Field(default=480, ge=1)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_parse(cls, value: str) -> str:
        """Refuse a proxy list with an entry that is not an address or network."""
        for entry in (part.strip() for part in value.split(",")):
            if entry:
                try:
                    ipaddress.ip_network(entry, strict=False)
                except ValueError:
                    raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """Return the networks whose forwarded headers are believed (empty: none)."""
        parts = (part.strip() for part in self.trusted_proxies.split(","))
        return tuple(ipaddress.ip_network(p, strict=False) for p in parts if p)

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to the embedded SQLite file."""
        return self.database_url or default_database_url()

    @property
    def is_development(self) -> bool:
        """Return True on a developer's machine (the only place the default secret is allowed)."""
        return self.environment == "development"

    def check_secure(self) -> None:
        """Refuse settings that must not reach production.

        Raises:
            ConfigError: the default or a too-short secret outside development.
        """
        if self.is_development:
            return
        if self.secret_key == DEFAULT_SECRET:
            raise ConfigError(
                "SAFEREPLY_SECRET_KEY is the default placeholder; set a long random secret "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))') "
                f"before running with environment={self.environment}"
            )
        if len(self.secret_key) < 32:
            raise ConfigError(
                f"SAFEREPLY_SECRET_KEY is {len(self.secret_key)} characters long; "
                f"use at least 32 outside development"
            )


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build settings from a TOML file (optional), the environment, then explicit overrides.

    Args:
        path: a TOML settings file; defaults to ``$SAFEREPLY_SETTINGS_FILE`` when set.
        **overrides: values that win over both (command-line flags).

    Raises:
        ConfigError: the file cannot be read, or a value is invalid (the message names it).
    """
    path = path or os.environ.get("SAFEREPLY_SETTINGS_FILE") or None
    from_file: dict[str, Any] = {}
    if path:
        try:
            from_file = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"settings file {path}: cannot read it: {exc.strerror}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"settings file {path}: not valid TOML: {exc}") from exc
        except RecursionError:
            raise ConfigError(f"settings file {path}: nested too deeply to read") from None
        except UnicodeDecodeError as exc:
            raise ConfigError(f"settings file {path}: not UTF-8 text: {exc.reason}") from None
        from_file = from_file.get("safereply", from_file)
    # The environment wins over the file: drop file keys that the environment sets.
    env_keys = {k[len("SAFEREPLY_") :].lower() for k in os.environ if k.startswith("SAFEREPLY_")}
    values = {k: v for k, v in from_file.items() if k not in env_keys}
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from exc
