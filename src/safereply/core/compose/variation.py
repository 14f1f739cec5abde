"""Deterministic variation: the same post always gets the same wording, different posts differ.

Python's ``hash`` is salted per process, so the seed comes from SHA-256 of the post's id (or text)
and the caller's ``seed``; ``random.Random`` seeded with an int is stable across runs.
"""

from __future__ import annotations

import hashlib
import random

__all__ = ["rng_for"]


def rng_for(*parts: object) -> random.Random:
    """Return a random generator seeded by the given parts (post id or text, user seed)."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    # surrogatepass: a lone surrogate in a post (hostile input, issue 12) seeds, never crashes.
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
