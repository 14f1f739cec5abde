"""Which language a post is in, as far as triage is concerned: English, Spanish or another one.

Triage reads English and Spanish (and a mix of both); its urgent rules cover both languages. A
post in any other language cannot be read reliably, and triage says so (``engine.py``), so a person
reads it. The check is small and deterministic: it counts common function words of English,
Spanish and a handful of other languages a US practice meets (French, Portuguese, Italian, German,
Tagalog, Polish, Haitian Creole, Somali, Vietnamese), and letters outside the Latin script. It only
says ``other`` on positive evidence; a post with no words it knows ("10/10", "👍") is taken as
English.

``fold`` strips accents (``é`` -> ``e``, ``ñ`` -> ``n``), so patterns over Spanish text need not
care whether the poster typed them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

from safereply.core.phi.lexicon import lexicon_set

__all__ = ["Language", "detect_language", "fold"]

Language = Literal["en", "es", "other"]

_WORD = re.compile(r"[^\W\d_]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")  # str.isalpha() of an ASCII character


class _Uncombined(dict[int, int | None]):
    """``str.translate``'s table that drops combining marks: each code point looked up once."""

    def __missing__(self, code: int) -> int | None:
        value = self[code] = None if unicodedata.combining(chr(code)) else code
        return value


_UNCOMBINED = _Uncombined()


def fold(text: str) -> str:
    """Return ``text`` without accents or other combining marks ("está" -> "esta")."""
    if text.isascii():
        return text
    return _fold(text)


@lru_cache(maxsize=64)
def _fold(text: str) -> str:
    # one translation at C speed instead of a Python step per character; a post is folded by
    # several rules, so the last few are kept
    return unicodedata.normalize("NFKD", text).translate(_UNCOMBINED)


def _words(code: str) -> frozenset[str]:
    """The words of one language's list (``data/language_<code>.txt``)."""
    return lexicon_set("safereply.core.triage", f"language_{code}")


# Function words and very common words, accents folded, one file per language. A word shared by
# two lists counts for both; only words that mark one language strongly are listed for the other
# languages.
_ENGLISH = _words("en")
_SPANISH = _words("es")
_OTHER = {code: _words(code) for code in ("fr", "pt", "it", "de", "tl", "pl", "ht", "so")}

#: Letters only Vietnamese uses (a hook or a dot below, horns, the crossed d); not the circumflex
#: vowels French and Portuguese share, nor mojibake ("donÃ¢â‚¬â„¢t").
_VIETNAMESE = re.compile(r"[ăđơư\u1ea0-\u1ef9]")
#: Letters only Polish uses among the languages triage meets (not Spanish "ñ"; session 10:
#: "Mój mąż nie może oddychać" was read as English).
_POLISH = re.compile(r"[ąęłśźżćń]")


def _latin(char: str) -> bool:
    return ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF


def detect_language(text: str) -> Language:
    """Return ``"en"``, ``"es"`` or ``"other"`` for a post.

    A post written mostly outside the Latin script, or whose words are more often those of
    another language than English or Spanish ones, is ``other``. Of English and Spanish, the one
    with more words wins; a tie is English. Spanish-English posts come out as either: triage
    reads both.
    """
    if text.isascii():  # every ASCII letter is Latin: only whether there is one matters
        if not _ASCII_LETTER.search(text):
            return "en"
    else:
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return "en"
        if sum(not _latin(c) for c in letters) * 2 > len(letters):
            return "other"
    lowered = text.lower()
    words = _WORD.findall(fold(lowered))
    # sum(map(...)) counts the same words as a generator would, without a Python step per word
    english = sum(map(_ENGLISH.__contains__, words))
    spanish = sum(map(_SPANISH.__contains__, words))
    other = max(sum(map(vocab.__contains__, words)) for vocab in _OTHER.values())
    if len(_VIETNAMESE.findall(lowered)) >= 2 or len(_POLISH.findall(lowered)) >= 2:
        other = max(other, len(words))
    if other > english + spanish or (other and not english and not spanish):
        return "other"
    if "ñ" in lowered or "¿" in text or "¡" in text:
        spanish += 1
    return "es" if spanish > english else "en"
