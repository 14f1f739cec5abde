"""The password policy: long enough, not common, not the account's e-mail, not one character.

One function, :func:`check_password`, used by every way a password is set (an account created,
an invitation's first password, a change, a reset), so the rules cannot drift apart. The list of
common passwords ships with the package (``data/common_passwords.txt``, about 1,500 entries); a
password is refused when it is on the list, or when its letters, with leetspeak undone
(``P@ssw0rd``) and the digits and symbols around them dropped (``Password1234!``), are.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

from safereply.errors import InputError

__all__ = ["MAX_PASSWORD", "MIN_PASSWORD", "check_password", "common_passwords"]

#: The shortest password accepted (NIST SP 800-63B asks for 8 at least; staff see patient data).
MIN_PASSWORD = 10
#: The longest: argon2 hashes anything, but a megabyte password is a denial of service.
MAX_PASSWORD = 1000

#: Runs of keys a weak password walks along (and their reverses).
_SEQUENCES = (
    "01234567890123456789",
    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
    "qwertyuiopasdfghjklzxcvbnm",
    "qwertzuiopasdfghjklyxcvbnm",
    "azertyuiopqsdfghjklmwxcvbn",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
#: Leetspeak undone before the list is consulted.
_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords (lower case), read once."""
    text = files("safereply.services").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"
    )


def _unit(text: str) -> str:
    """Return the shortest piece ``text`` repeats (``footballfootball`` -> ``football``)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return text


def _is_common(low: str) -> bool:
    """Return True when the password, or the word inside it (repeated or not), is a common
    password."""
    low = _unit(low)
    listed = common_passwords()
    if low in listed or low.translate(_LEET) in listed:
        return True
    letters = _unit("".join(c for c in low.translate(_LEET) if c.isalpha()))
    stripped = low.strip("0123456789!@#$%^&*()_+-=.,?;: ")
    return letters in listed or stripped in listed


def check_password(password: str, email: str | None = None) -> None:
    """Refuse a password that is short, common or about the account.

    At least MIN_PASSWORD characters (at most MAX_PASSWORD); not one or a few characters repeated
    (``aaaaaaaaaa``, ``abababab12``), not a run of keys (``1234567890``, ``qwertyuiop``), not on
    the common list even with digits or symbols around it (``Password1234``), and not the
    account's e-mail address or its local part.

    Raises:
        InputError: which rule the password breaks (never the password itself).
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError(f"a password has at most {MAX_PASSWORD} characters")
    low = password.lower()
    if len(set(low)) < 4:
        raise InputError("a password cannot be one or a few characters repeated")
    compact = "".join(c for c in low if not c.isspace())
    for run in _SEQUENCES:
        if compact in run or compact in run[::-1]:
            raise InputError("a password cannot be a run of keys such as 1234567890 or qwerty")
    core = "".join(c for c in low if c.isalpha())
    if _is_common(low) or _is_common(compact) or (len(core) >= 3 and len(set(core)) < 3):
        raise InputError("that password is too common; use a few words of your own")
    if email:
        address = email.strip().lower()
        local = address.split("@", 1)[0]
        bare = "".join(c for c in local if c.isalnum())  # jane.doe in "JaneDoe2026!"
        words = "".join(c for c in low if c.isalnum())
        if address in low or low in address:
            raise InputError("a password cannot contain the account's e-mail address")
        if (len(local) >= 4 and local in low) or (len(bare) >= 4 and bare in words):
            # Say which part: "manager" in "Bayview-Office-Manager-7" is not plainly the address.
            raise InputError(
                "a password cannot contain the account's e-mail address or the name before "
                f"its @ ('{local}')"
            )
