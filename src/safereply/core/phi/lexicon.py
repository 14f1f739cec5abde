"""Word lists (lexicons) kept as data files beside the code that reads them.

Every lexicon is one UTF-8 text file, ``data/<name>.txt`` inside the package that uses it: a
header of ``#`` lines saying what the list is for and where it came from, then one entry per line
(a word or a phrase), lower case, single spaces, no duplicates, in the order the code relies on
(the first health kind to list a term wins). Keeping lists as data lets a reviewer read and change
a list without reading Python, and one loader and one test (``tests/core/test_lexicons.py``) hold
every list to the same format. Lists whose structure is logic (regular expressions with
alternations and look-arounds) stay in the code.

Files are read through ``importlib.resources``, so an installed wheel (or a zip) reads them the
same way as a checkout; each is read once per process.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

__all__ = ["lexicon", "lexicon_set"]


@cache
def lexicon(package: str, name: str) -> tuple[str, ...]:
    """Return the entries of ``data/<name>.txt`` in ``package``, in file order.

    Lines starting with ``#`` and blank lines are skipped; entries are stripped of surrounding
    white space (the format test keeps them clean, so this only forgives a stray editor).
    """
    text = files(package).joinpath("data", f"{name}.txt").read_text("utf-8")
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@cache
def lexicon_set(package: str, name: str) -> frozenset[str]:
    """Return the entries of ``data/<name>.txt`` in ``package`` as a set (order does not matter)."""
    return frozenset(lexicon(package, name))
