"""Recognizer for people's names: greetings ("Hi Karen,"), titles ("Mrs. Ortiz"), relatives
("your son Ethan") and bare first names from a curated lexicon.

Without a statistical NER model (none runs offline here at an acceptable cost), names are found by
context patterns, which catch any spelling, plus a lexicon of common first names for bare mentions.
Names that are also everyday words ("Grace", "Will") are only taken from a name context.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files

from safereply.core.phi.entities import Entity

__all__ = ["NOT_NAMES", "find_names", "first_names"]

#: Capitalised words that follow a greeting but are not a person's name.
NOT_NAMES = frozenset(
    [
        "team",
        "everyone",
        "everybody",
        "all",
        "there",
        "folks",
        "friend",
        "friends",
        "neighbor",
        "neighbour",
        "neighbors",
        "neighbours",
        "guys",
        "gals",
        "y'all",
        "yall",
        "you",
        "sir",
        "madam",
        "ma'am",
        "maam",
        "reviewer",
        "patient",
        "patients",
        "valued",
        "customer",
        "customers",
        "google",
        "yelp",
        "facebook",
        "instagram",
        "healthgrades",
        "twitter",
        "so",
        "very",
        "again",
        "much",
        "for",
        "and",
        "from",
        "to",
        "the",
        "a",
        "an",
        "it",
        "this",
        "that",
        "we",
        "our",
        "us",
        "everyone's",
        "dear",
        "hi",
        "hello",
        "hey",
        "thanks",
        "thank",
        "welcome",
        "again",
        "kindly",
        "doctor",
        "dr",
        "nurse",
        "community",
        "family",
        "families",
        "parents",
        "mom",
        "moms",
        "dad",
        "dads",
        "mama",
        "papa",
        "fam",
        "buddy",
        "superstar",
        "legend",
        "love",
        "hun",
        "hon",
        "darling",
        "sweetie",
        "honey",
        "anonymous",
        "we're",
        "we've",
        "we'll",
        "we'd",
        "it's",
        "you're",
        "i",
        "i'm",
        "i've",
        "i'll",
        "that's",
        "what",
        "how",
        "wow",
        "yes",
        "no",
        "ok",
        "okay",
        "great",
        "glad",
        "happy",
        "so",
        "hope",
        "please",
        "sorry",
        "awesome",
        "amazing",
        "wonderful",
        "much",
        "a",
        "bunch",
        "lots",
        "sincerely",
        "regards",
        "best",
        "warmly",
        "cheers",
        "respectfully",
        "cordially",
        "again",
        "everyone",
        "guest",
        "ratemds",
        "reviewers",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "today",
        "tonight",
        "morning",
        "afternoon",
        "evening",
    ]
)

_RELATIVES = (
    r"son|daughter|wife|husband|partner|spouse|mom|mother|mum|dad|father|child|kid|baby|boy|girl|"
    r"grandson|granddaughter|grandma|grandmother|grandpa|grandfather|granny|nana|papa|brother|"
    r"sister|aunt|uncle|niece|nephew|cousin|fianc[eé]e?|girlfriend|boyfriend|stepson|stepdaughter|"
    r"toddler|teen|teenager|little one|little guy|little girl|loved one|"
    r"father-in-law|mother-in-law|"
    r"sister-in-law|brother-in-law|caregiver|friend|"
    # Spanish, after "su", "tu", "sus" (see _RELATIVE)
    r"hij[oa]|niñ[oa]|nin[oa]|beb[eé]|espos[oa]|mam[aá]|pap[aá]|madre|padre|abuel[oa]|herman[oa]|"
    r"ti[oa]|prim[oa]|sobrin[oa]|nieto|nieta|suegr[oa]|pareja"
)
_UP = "A-ZÁÉÍÓÚÑÜ"
_LOW = "a-záéíóúñü"
_NAME = (
    rf"[{_UP}](?:[{_LOW}]+(?:['’]?[{_UP}][{_LOW}]+)?|['’][{_UP}][{_LOW}]+)(?:-[{_UP}][{_LOW}]+)?"
)
_LNAME = rf"[A-Za-zÁÉÍÓÚÑ][{_LOW}'’]+"

_GREETING = re.compile(
    r"(?:^|(?<=[\n.!?]))\s*(?:hi|hello|hey|hiya|dear|greetings|good\s+(?:morning|afternoon|evening)|"
    r"thanks(?:\s+(?:so|very)\s+much)?|thank\s+you(?:\s+(?:so|very)\s+much)?|thx|ty|congrats|"
    r"congratulations|omg|ha(?:ha)+|lol|yay|wow|"
    r"welcome|sorry|aw+|oh|hola|querid[oa]s?|estimad[oa]s?|buen[oa]s\s+(?:d[ií]as|tardes|noches)|"
    r"(?:muchas\s+)?gracias|felicidades|bienvenid[oa])\s*[,!]?\s+"
    r"(?:(?:mr|mrs|ms|miss|mx|sr|sra|srta|don|doña|dona)\.?\s+)?"
    rf"(?P<name>{_LNAME}(?:\s+(?-i:{_NAME}))?)(?=\s*(?:[,!.:;—–-]|$|\s+(?:for|so|we|and|thank|thanks|thx|ty|sorry|you)\b))",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(rf"(?:^|(?<=[\n.!?]))\s*(?P<name>{_NAME})\s*,")
_FAMILY_TITLE = re.compile(
    r"\b(?:grandpa|grandma|granny|nana|papa|uncle|aunt|auntie|cousin|mister|coach|baby|little)\s+"
    rf"(?P<name>{_NAME})",
    re.IGNORECASE,
)
_TITLE = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Sr|Sra|Srta|[Dd]on|[Dd]oña|[Dd]ona)\.?\s+"
    rf"(?P<name>{_NAME}(?:\s+{_NAME})?)"
)
_INTERJECTIONS = frozenset({"omg", "oh", "aw", "aww", "wow", "yay", "hi", "hey", "hello", "lol"})
#: ", Jess!" closing a sentence: the reader addressed by name.
_END_VOCATIVE = re.compile(
    rf",\s+(?P<name>{_NAME})\s*(?=[!?.]|$|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF])"
)
_RELATIVE = re.compile(
    rf"\b(?:your|ur|his|her|their|my|su|tu|sus|tus|mi)\s+(?:\w+\s+)?(?:{_RELATIVES})(?:'s)?\s*,?\s+"
    rf"(?P<name>(?-i:{_NAME}))\b",
    re.IGNORECASE,
)
_CAP_WORD = re.compile(rf"(?<![\w@#.'’-]){_NAME}(?:\s+{_NAME})?")
_STAFF_BEFORE = re.compile(
    r"(?:dr|doctor|nurse|our|hygienist|assistant|receptionist|manager|coordinator|dentist|"
    r"orthodontist|physician|provider|np|pa|rn|team\s+member|front\s+desk|owner|officer|director|"
    r"administrator|biller|specialist|lead|consejer[oa]|asesor[a]?|enfermer[oa]|gerente|"
    r"recepcionista|advocate|navigator|injector|practitioner|scheduler|therapist|counselor|"
    r"supervisor[a]?|director[a]?|encargad[oa]|coordinador[a]?|regional|artist|"
    r"(?:de\s+)?(?:facturaci[oó]n|cobranza|alcance))\.?,?\s*$",
    re.IGNORECASE,
)
_ASK_FOR = re.compile(
    r"\b(?:ask\s+for|ask\s+to\s+speak\s+(?:with|to)|speak\s+(?:with|to)|talk\s+(?:with|to)|"
    r"call|reach|contact|pregunte\s+por|hable\s+con|llame\s+a)\s*$",
    re.IGNORECASE,
)
_ORGANISATION_AFTER = re.compile(
    r"\s+(?:&\s+)?(?:[A-Z][a-z]+\s+)?(?:Associates|Psychiatric|Clinic|Regional|Medical|Dental|Health|"
    r"Healthcare|Center|Centre|Hospital|Group|Family|Care|Surgical|Wellness|Pediatrics|Orthodontics|"
    r"Institute|University|College|Street|St|Ave|Avenue|Road|Rd|County|Valley|Park|Heights|Hills|"
    r"Memorial|Specialists|Physicians|Partners|Practice|Urgent|Eye|Skin|Women's|Children's)\b|"
    r"\s+(?:office|clinic|location|branch|campus|area|county|street|hospital)\b"
)
_SELF_BEFORE = re.compile(
    r"\b(?:i'm|i\s+am|my\s+name\s+is|this\s+is|it's|-|—|–)\s*$|"
    r"\bdr\.?\s+(?:[A-Z][a-z]+\s+)?(?:[A-Z]\.\s+)?$",
    re.IGNORECASE,
)
_STAFF_AFTER = re.compile(
    r"^,?\s*(?:at|from|on|in)\s+(?:our\s+|the\s+)?(?:front|team|office|desk|billing|reception|practice)|"
    r"^,?\s*(?:the|our)\s+(?:\w+'s\s+)?(?:manager|director|administrator|biller|coordinator)|"
    r"^,?\s*(?:our|the)\s+(?:hygienist|assistant|receptionist|manager|office|coordinator|nurse|dentist)|"
    r"^,?\s*(?:and\s+the\s+team|and\s+team)",
    re.IGNORECASE,
)


def _load(name: str) -> frozenset[str]:
    text = files("safereply.core.phi").joinpath("data", name).read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


@lru_cache(maxsize=1)
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """Return (common first names, first names that are also everyday words), lower case."""
    return _load("names.txt"), _load("ambiguous_names.txt")


def _clean(name: str) -> str:
    return re.sub(r"['’]s$", "", name.strip())


def find_names(text: str) -> list[Entity]:
    """Return people's names; ``strong`` is True when a name context (greeting, title,
    relative) supports it, False for a bare lexicon match."""
    common, ambiguous = first_names()
    out: list[Entity] = []

    def add(start: int, end: int, why: str, strong: bool) -> None:
        name = _clean(text[start:end])
        end = start + len(name)
        if any(e.start <= start < e.end or start <= e.start < end for e in out):
            return
        out.append(Entity(start, end, name, "name", why, strong))

    for m in _GREETING.finditer(text):
        name = m.group("name")
        words = name.split()
        first = words[0].lower().strip("'’")
        if first in NOT_NAMES:
            continue
        if name[0].islower() and first not in common and first not in ambiguous:
            continue  # "hi again", "thanks so" - lower case words need the lexicon
        between = text[m.start() : m.start("name")]
        if re.search(r"[!.]", between) and first not in common and first not in ambiguous:
            continue  # "Thank you! Everything ..." - a new sentence, not a name
        if len(words) > 1 and words[1].lower() in NOT_NAMES:
            name = words[0]
        start = m.start("name")
        add(start, start + len(name), f"'{name}' follows a greeting", True)
    for m in _VOCATIVE.finditer(text):
        first = _clean(m.group("name")).lower()
        if first in common or first in ambiguous:
            add(m.start("name"), m.end("name"), f"'{m.group('name')}' is addressed by name", True)
    for m in _END_VOCATIVE.finditer(text):
        first = _clean(m.group("name")).lower()
        if first in NOT_NAMES or (
            first not in common and first not in ambiguous and len(first) < 3
        ):
            continue
        if _STAFF_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "our patient advocate, Miguel": a staff member introduced by role
        add(m.start("name"), m.end("name"), f"'{m.group('name')}' is addressed by name", True)
    for m in _TITLE.finditer(text):
        if _STAFF_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "our privacy officer, Mr. Grant": a staff member introduced by role
        add(m.start("name"), m.end("name"), f"'{m.group(0)}' is a name with a title", True)
    for m in _FAMILY_TITLE.finditer(text):
        name = m.group("name")
        if name[0].isupper() and name.lower() not in NOT_NAMES:
            add(m.start("name"), m.end("name"), f"'{m.group(0)}' names a person", True)
    for m in _RELATIVE.finditer(text):
        if m.group("name").lower() in NOT_NAMES:
            continue
        add(m.start("name"), m.end("name"), f"'{m.group('name')}' names a relative", True)
    for m in _CAP_WORD.finditer(text):
        words = m.group().split()
        first = _clean(words[0]).lower()
        start, end = m.span()
        if first in _INTERJECTIONS and len(words) > 1 and _clean(words[1]).lower() in common:
            # "Omg Linda", "Hahaha Gary": the name is the second word
            start = m.start() + m.group().index(words[1], len(words[0]))
            words, first = words[1:], _clean(words[1]).lower()
            end = start + len(words[0])
        if first not in common:
            continue
        if len(words) > 1 and words[1].lower() in NOT_NAMES:
            end = start + len(words[0])
        before = text[max(0, start - 30) : start]
        after = text[end : end + 40]
        if _STAFF_BEFORE.search(before) or _STAFF_AFTER.search(after):
            continue  # "our hygienist Maria", "Maria at our front desk": a staff member
        if _ASK_FOR.search(before):
            continue  # "please call and ask for Rhonda": someone at the office to ask for
        if _ORGANISATION_AFTER.match(after) or _SELF_BEFORE.search(before):
            continue  # "Hudson Psychiatric Associates", "Wayne office", "I'm Nora from ..."
        add(start, end, f"'{text[start:end]}' looks like a person's name", False)
    out.sort(key=lambda e: e.start)
    return out
