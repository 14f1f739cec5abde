"""Errors raised by SafeReply.

One exception tree for the whole package; every error says what went wrong and what to do::

    SafeReplyError
     ├── InputError          bad input to the core: empty or oversized text, wrong types
     │    └── RecordError    one bad record of a batch (carries the line number)
     ├── ProfileError        a practice profile that cannot be used (names the field)
     ├── ConfigError         settings that cannot be used (names the setting)
     ├── NotFoundError       an object that does not exist or is not visible to the caller
     ├── PermissionDenied    the caller's role does not allow the action
     ├── WorkflowError       an action not allowed in the object's current state
     │    └── ConflictError  someone else changed the object first
     └── ImportRowError      one bad row of an import (carries the line number)
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "ConflictError",
    "ImportRowError",
    "InputError",
    "NotFoundError",
    "PermissionDenied",
    "ProfileError",
    "RecordError",
    "SafeReplyError",
    "WorkflowError",
]


class SafeReplyError(Exception):
    """Base class of every error SafeReply raises on purpose."""


class InputError(SafeReplyError, ValueError):
    """Input to the core cannot be analysed (empty, too long, wrong type)."""


class RecordError(InputError):
    """One record of a batch cannot be used; ``line`` is its 1-based line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


class ProfileError(SafeReplyError, ValueError):
    """A practice profile cannot be used; ``field`` names the offending field."""

    def __init__(self, message: str, *, field: str | None = None, source: str | None = None):
        where = f"{source}: " if source else ""
        what = f"field '{field}': " if field else ""
        super().__init__(f"{where}{what}{message}")
        self.field = field
        self.source = source


class ConfigError(SafeReplyError):
    """Settings cannot be used; the message names the setting and the fix."""


class NotFoundError(SafeReplyError, LookupError):
    """The object does not exist, or the caller may not see it."""


class PermissionDenied(SafeReplyError):
    """The caller's role in this practice does not allow the action."""


class WorkflowError(SafeReplyError):
    """The action is not allowed in the object's current state."""


class ConflictError(WorkflowError):
    """Another user changed the object first; reload and try again."""


class ImportRowError(SafeReplyError):
    """One row of an import cannot be used; ``line`` is its 1-based line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message
