"""``language.fold`` drops combining marks with one ``str.translate`` (session 10, for speed):
the same text as dropping them character by character, for every code point and for posts."""

from __future__ import annotations

import unicodedata

from safereply.core.triage.language import fold


def _by_character(text: str) -> str:
    """``fold`` as it was before session 10."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_every_code_point_folds_as_before():
    codes = (c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    wrong = [hex(c) for c in codes if fold(chr(c)) != _by_character(chr(c))]
    assert not wrong, wrong[:10]


def test_posts_fold_as_before():
    posts = [
        "Está bien, pero la recepción tardó muchísimo 😤",
        "Dr. Nguyễn was great; ñandú; ﬁle; e\u0301 with a separate accent",
        "Ça va, merci! Ärzte und Öffnungszeiten",
        "plain ascii stays the same object",
    ]
    for post in posts:
        assert fold(post) == _by_character(post)
        assert fold(fold(post)) == fold(post)
    assert fold(posts[-1]) is posts[-1]
