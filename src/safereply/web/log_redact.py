"""Keep secrets that travel in URLs out of the server's access log (review defect 4).

A password-reset link carries its token in the path (``/login/reset/<token>``); Meta's webhook
check sends ``hub.verify_token`` in the query; an OAuth callback brings a one-time ``code`` and the
``state``. Uvicorn's access log writes every request line whole, so anyone who can read the logs
(a log shipper, a support engineer) could reset a password within the link's lifetime. This filter
rewrites the logged path before it is formatted; the request itself is untouched.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode

__all__ = ["RedactSecrets", "install", "redact_path"]

#: Path prefixes whose next segment is a secret.
_SECRET_SEGMENTS = re.compile(r"(/login/reset/)[^/?#]+")
#: Query parameters whose values are secrets or single-use credentials.
SECRET_PARAMS = frozenset(
    {"token", "code", "state", "hub.verify_token", "access_token", "refresh_token", "key"}
)
_HIDDEN = "[redacted]"


def redact_path(path: str) -> str:
    """Return ``path`` (with its query) with secret segments and parameter values hidden."""
    path = _SECRET_SEGMENTS.sub(rf"\1{_HIDDEN}", path)
    base, sep, query = path.partition("?")
    if not sep:
        return path
    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(name.lower() in SECRET_PARAMS for name, _ in pairs):
        return path
    hidden = [(n, _HIDDEN if n.lower() in SECRET_PARAMS else v) for n, v in pairs]
    return f"{base}?{urlencode(hidden, safe='[]')}"


class RedactSecrets(logging.Filter):
    """Rewrite the path argument of uvicorn's access records (client, method, path, version,
    status); any other record passes unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True


def install(logger_name: str = "uvicorn.access") -> None:
    """Attach the filter to the access logger once (every app factory and server calls this;
    logging's own configuration keeps a logger's filters)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())
