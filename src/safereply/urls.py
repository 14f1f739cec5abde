"""The one rule for web addresses SafeReply stores or shows as links: http(s) only.

A post's address (imported or sent to the API) and the address of a posted reply become "Open
post" and "see it" links on the post page, so a ``javascript:`` or ``data:`` address there is a
stored cross-site script waiting for a click. Only absolute ``http://`` and ``https://`` addresses
with a host pass; no credentials, spaces, control characters or backslashes (browsers read ``\\``
as ``/``).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from safereply.errors import InputError

__all__ = ["MAX_URL", "http_url"]

#: The longest address stored (the columns hold 1,000 characters).
MAX_URL = 1000


def http_url(value: str | None, *, name: str = "url") -> str | None:
    """Return an http(s) address stripped of surrounding spaces, or None for none.

    Raises:
        InputError: anything else (another scheme, no host, credentials, control characters),
            naming ``name``.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"the {name} must be text")
    url = value.strip()
    if not url:
        return None
    shown = repr(url[:60])
    bad = f"the {name} {shown} is not an http:// or https:// address"
    if len(url) > MAX_URL:
        raise InputError(f"the {name} is over {MAX_URL} characters")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 or c == "\\" for c in url):
        raise InputError(bad)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InputError(bad) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(bad)
    if "@" in parts.netloc:
        raise InputError(f"the {name} {shown} carries a user name or password")
    if not url.lower().startswith(("http://", "https://")):
        raise InputError(bad)
    return url
