"""Which language a text is in: English, Spanish, both, or another the checks cannot read.

Deterministic and small: the share of each language's most frequent function words among the
text's words, plus the script (Latin or not). The linter and triage read English and Spanish;
for anything else they say plainly that a person must read the text, instead of passing it
silently. Short texts (under four words) that show no sign of another language count as English.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["OTHER", "READABLE", "detect_language"]

#: Languages the checks can read ("es-en" is Spanish mixed with English).
READABLE = frozenset({"en", "es", "es-en"})
OTHER = "other"

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and to of a in is you for we that it our your with this on are be was have at as "
        "thank thanks please us so not will from can all my an or if they but i me about would "
        "sorry hear very happy glad team call office".split()
    ),
    "es": frozenset(
        "el la los las de del que y en un una por para con su sus es no se lo le al nos muy "
        "gracias usted ustedes nuestro nuestra nuestros equipo esta este estamos llame llamar "
        "oficina sentimos lamentamos mucho tu pero como más mas también tambien gusto".split()
    ),
    "fr": frozenset(
        "le la les de des du et est un une pour avec vous nous votre notre merci dans qui pas "
        "sur au aux ce cette très tres bien je suis être avons".split()
    ),
    "pt": frozenset(
        "o os as do da dos das e um uma para com você voce nós nosso nossa obrigado obrigada "
        "não nao muito está esta em ao pela pelo".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ein eine für fur mit wir sie ihre unser unsere danke bitte "
        "auf zu den dem sehr ich auch".split()
    ),
    "it": frozenset(
        "il lo gli della di che e un una per con noi voi vostro nostro grazie non sono molto "
        "siamo questo questa anche".split()
    ),
}
# Words shared by several languages say nothing about which one a text is in.
_SHARED = frozenset({"a", "e", "de", "la", "le", "en", "un", "une", "es", "con", "per", "no"})


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def detect_language(text: str) -> str:
    """Return ``en``, ``es``, ``es-en`` (mixed) or ``other`` for a reply or post."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return "en"
    latin = sum(1 for w in words if _strip_accents(w).isascii())
    if latin / len(words) < 0.5:
        return OTHER  # another script: Chinese, Arabic, Cyrillic, ...
    counts = {
        lang: sum(1 for w in words if w in vocab and w not in _SHARED)
        for lang, vocab in _FUNCTION_WORDS.items()
    }
    english, spanish = counts["en"], counts["es"]
    best_other = max(counts[lang] for lang in ("fr", "pt", "de", "it"))
    if len(words) < 4 and best_other < 2:
        return "es" if spanish > english else "en"
    if english >= 2 and spanish >= 2:
        return "es-en"
    if max(english, spanish) >= best_other and max(english, spanish) > 0:
        return "en" if english >= spanish else "es"
    if best_other >= 2:
        return OTHER
    return "en"
