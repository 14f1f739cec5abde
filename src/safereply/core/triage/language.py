"""Which language a post is in, as far as triage is concerned: English, Spanish or another one.

Triage reads English and Spanish (and a mix of both); its urgent rules cover both languages. A
post in any other language cannot be read reliably, and triage says so (``engine.py``), so a person
reads it. The check is small and deterministic: it counts common function words of English,
Spanish and a handful of other languages a US practice meets (French, Portuguese, Italian, German,
Tagalog, Polish, Vietnamese), and letters outside the Latin script. It only says ``other`` on
positive evidence; a post with no words it knows ("10/10", "👍") is taken as English.

``fold`` strips accents (``é`` -> ``e``, ``ñ`` -> ``n``), so patterns over Spanish text need not
care whether the poster typed them.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

__all__ = ["Language", "detect_language", "fold"]

Language = Literal["en", "es", "other"]

_WORD = re.compile(r"[^\W\d_]+")
_FOLD_CACHE: dict[str, str] = {}


def fold(text: str) -> str:
    """Return ``text`` without accents or other combining marks ("está" -> "esta")."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(*groups: str) -> frozenset[str]:
    return frozenset(w for group in groups for w in group.split())


# Function words and very common words, accents folded. A word shared by two lists counts for
# both; only words that mark one language strongly are listed for the other languages.
_ENGLISH = _words(
    "the and is are was were i my me you your it its to of in on for with at this that they",
    "we he she his her him them our have has had be been so very but just can cant dont do did",
    "does will would what how when where why who which great thanks thank please help staff",
    "office wait appointment dentist said get got all there here from about after before",
    "im ive id its theyre isnt wasnt didnt doesnt wont couldnt wouldnt nobody everyone",
    "really never always again still now today tonight because if or an as by not",
)
_SPANISH = _words(
    "el la los las del al que en y es por para con se mi mis me te le lo su sus muy mas pero",
    "como esta estoy estan tiene tengo tienen hace ya hijo hija mama papa bebe nino nina puede",
    "puedo quiero gracias doctora cita porque cuando donde todo todos nada nadie ayuda siempre",
    "vez hay fue son dolor tambien aqui ahora bien mal mucho usted ustedes hoy manana anoche",
    "despues antes sin yo ella nos les eso esto este ese solo otra otro estaba fueron eran soy",
    "era favor buen buena excelente atencion servicio llevo llamar llame ni sigue desde hasta",
    "un una unos unas o voy vas va vamos conmigo mismo misma ojala kiero quiere estar ser hacer",
    "tener decir pues entonces asi alguien algo",
)
_OTHER = {
    "fr": _words(
        "je vous est les des une pas tres merci avec pour mon ma mes il elle nous au aux du qui",
        "cest beaucoup trop sont cette mais tout personne accueil docteur recommande aidez moi",
        "peut fils fille ne sil plait tres jai",
    ),
    "pt": _words(
        "nao muito obrigado obrigada voce eu meu minha com uma atendimento estou ele ela isso",
        "mais tem pra doutora doutor otimo recomendo todos esta dor peito agora quero morrer",
        "aguento pai mae filho filha consegue",
    ),
    "it": _words(
        "il molto sono della grazie mille bravissimo gentile ottimo professionale dottore anche",
        "perche questo sempre delle degli gli ho hai abbiamo",
    ),
    "de": _words(
        "ich nicht und der das ist sehr danke mit ein eine mehr leben auch wir sie gut",
        "freundliches bitte arzt nur noch schon zu",
    ),
    "tl": _words(
        "ko ang ng sa mga po salamat gusto ako nang mamatay pagod ka hindi siya doktor mabait",
        "naman lang talaga",
    ),
    "pl": _words("bardzo dobry lekarz polecam jest nie sie dziekuje"),
}
#: Letters only Vietnamese uses (a hook or a dot below, horns, the crossed d); not the circumflex
#: vowels French and Portuguese share, nor mojibake ("donÃ¢â‚¬â„¢t").
_VIETNAMESE = re.compile(r"[ăđơư\u1ea0-\u1ef9]")


def _latin(char: str) -> bool:
    return ord(char) < 0x250 or 0x1E00 <= ord(char) <= 0x1EFF


def detect_language(text: str) -> Language:
    """Return ``"en"``, ``"es"`` or ``"other"`` for a post.

    A post written mostly outside the Latin script, or whose words are more often those of
    another language than English or Spanish ones, is ``other``. Of English and Spanish, the one
    with more words wins; a tie is English. Spanish-English posts come out as either: triage
    reads both.
    """
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    if sum(not _latin(c) for c in letters) * 2 > len(letters):
        return "other"
    lowered = text.lower()
    words = _WORD.findall(fold(lowered))
    english = sum(w in _ENGLISH for w in words)
    spanish = sum(w in _SPANISH for w in words)
    other = max(sum(w in vocab for w in words) for vocab in _OTHER.values())
    if len(_VIETNAMESE.findall(lowered)) >= 2:
        other = max(other, len(words))
    if other > english + spanish or (other and not english and not spanish):
        return "other"
    if "ñ" in lowered or "¿" in text or "¡" in text:
        spanish += 1
    return "es" if spanish > english else "en"
