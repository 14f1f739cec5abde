"""Recognizer for people's names: greetings ("Hi Karen,"), titles ("Mrs. Ortiz"), relatives
("your son Ethan") and bare first names from a curated lexicon.

Without a statistical NER model (none runs offline here at an acceptable cost), names are found by
context patterns, which catch any spelling, plus a lexicon of common first names for bare mentions.
Names that are also everyday words ("Grace", "Will") are only taken from a name context.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from safereply.core.phi.entities import Entity
from safereply.core.phi.lexicon import lexicon_set

__all__ = ["NOT_NAMES", "find_names", "first_names", "named_as_staff"]

#: Capitalised words that follow a greeting but are not a person's name.
NOT_NAMES = lexicon_set("safereply.core.phi", "not_names")

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

#: The titles a greeted name may carry ("Thanks so much Mr. Ortiz", "Hola Sra. Díaz").
_TITLE_WORDS = "mr|mrs|ms|miss|mx|sr|sra|srta|don|doña|dona"
_GREETING = re.compile(
    r"(?:^|(?<=[\n.!?]))\s*(?:hi|hello|hey|hiya|dear|greetings|good\s+(?:morning|afternoon|evening)|"
    r"thanks(?:\s+(?:so|very)\s+much)?|thank\s+you(?:\s+(?:so|very)\s+much)?|thx|ty|congrats|"
    r"congratulations|omg|ha(?:ha)+|lol|yay|wow|"
    r"welcome|sorry|aw+|oh|hola|querid[oa]s?|estimad[oa]s?|buen[oa]s\s+(?:d[ií]as|tardes|noches)|"
    r"(?:muchas\s+)?gracias|felicidades|bienvenid[oa])\s*[,!]?\s+"
    rf"(?:(?:{_TITLE_WORDS})\.?\s+)?"
    # the name, with an initial before it ("Dear J. Alvarez"; with its dot: "Thanks A LOT" is
    # no name) or after it ("Hi Marisol T.,")
    rf"(?P<name>(?:(?-i:[A-Z])\.\s*(?=(?-i:[A-Z])))?{_LNAME}(?:\s+(?-i:{_NAME})|\s+(?-i:[A-Z])\.)?)(?=\s*(?:[,!.:;—–-]|$|\s+(?:for|so|we|and|thank|thanks|thx|ty|sorry|you)\b))",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(rf"(?:^|(?<=[\n.!?]))\s*(?P<name>{_NAME})\s*,")
_FAMILY_TITLE = re.compile(
    r"\b(?:grandpa|grandma|granny|nana|papa|uncle|aunt|auntie|cousin|mister|coach|baby|little)\s+"
    rf"(?P<name>{_NAME})",
    re.IGNORECASE,
)
#: Family titles that are also everyday words: capitalised, they may open a proper name.
_NICKNAME_WORDS = frozenset({"little", "baby", "mister", "coach"})
#: Another capitalised word after a name: the two make one proper name ("Little League").
_CAP_AFTER = re.compile(rf"\s+{_NAME}\b")
_TITLE = re.compile(
    rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Sr|Sra|Srta|[Dd]on|[Dd]oña|[Dd]ona)\.?\s+"
    rf"(?P<name>{_NAME}(?:\s+{_NAME})?)"
)
#: Interjections before a first name ("Omg Linda"): the name is the second word.
_INTERJECTIONS = lexicon_set("safereply.core.phi", "interjections")
#: ", Jess!" closing a sentence: the reader addressed by name.
_END_VOCATIVE = re.compile(
    rf",\s+(?P<name>{_NAME})\s*(?=[!?.]|$|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF])"
)
#: The end of a street address or a number before ", Miami": the name is a city.
_PLACE_BEFORE = re.compile(
    r"(?:\d|\b(?:St|Ave|Rd|Blvd|Dr|Ln|Hwy|Pkwy|Ct|Pl|Ste|Suite|Street|Avenue|Road|Boulevard|"
    r"Drive|Lane|Way|Highway|Parkway|Court|Place|Plaza|Calle|Avenida)\.?|"
    r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){0,3}[A-Z][\w.]*)$"
)
_RELATIVE = re.compile(
    rf"\b(?:your|ur|his|her|their|my|su|tu|sus|tus|mi)\s+(?:\w+\s+)?(?:{_RELATIVES})(?:'s)?\s*,?\s+"
    rf"(?P<name>(?-i:{_NAME}))\b",
    re.IGNORECASE,
)
_CAP_WORD = re.compile(rf"(?<![\w@#.'’-]){_NAME}(?:\s+{_NAME})?")
_STAFF_BEFORE = re.compile(
    r"(?:dr|dra|doctor|doctora|nurse|our|hygienist|assistant|receptionist|manager|coordinator|"
    r"dentist|orthodontist|physician|provider|np|pa|rn|team\s+member|front\s+desk|owner|officer|"
    r"director|administrator|biller|specialist|lead|consejer[oa]|asesor[a]?|enfermer[oa]|gerente|"
    r"recepcionista|advocate|navigator|injector|practitioner|scheduler|therapist|counselor|"
    r"supervisor[a]?|director[a]?|encargad[oa]|coordinador[a]?|regional|artist|midwife|"
    r"midwives|terapeuta|psic[oó]log[oa]|lic|licda|lcda|"
    r"(?:de\s+)?(?:facturaci[oó]n|cobranza|alcance))s?\.?,?\s*"
    # a courtesy title between the role and the name: "our nurse, Ms. Beverly Thompson"
    r"(?:(?:mr|mrs|ms|miss|mx|sr|sra|srta|dr|dra|lic|licda)\.?\s+)?$",
    re.IGNORECASE,
)
_ASK_FOR = re.compile(
    r"\b(?:ask\s+for|ask\s+to\s+speak\s+(?:with|to)|speak\s+(?:with|to)|talk\s+(?:with|to)|"
    r"call|reach|contact|telephone|pregunte\s+por|pregunta\s+por|hable\s+con|habla\s+con|"
    r"llame\s+a|llama\s+a|pid[ae]\s+(?:hablar\s+)?(?:con|por))\s*"
    # "ask for Rosa or Tammy Lou", "pide hablar con Maya o con Daniela"
    r"(?:[A-Z]\w+(?:\s+[A-Z]\w+)?\s+(?:or|and|o|y|&)\s+(?:con\s+|por\s+|with\s+)?)?$",
    re.IGNORECASE,
)
#: A place word after a first name: "Beverly Hills", "Travis County", "Grace Street".
_PLACE_WORD = re.compile(
    r"\s+(?:Hills|County|Heights|Valley|Beach|Springs|Falls|Street|Avenue|Road|Boulevard|Blvd|"
    r"Ave|St|Rd)\b"
)
#: A street word before a name: "entrando por la calle Bonnie Brae" names a street.
_STREET_BEFORE = re.compile(r"\b(?:calle|avenida|street|road|boulevard)\s+$", re.IGNORECASE)
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


@lru_cache(maxsize=1)
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """Return (common first names, first names that are also everyday words), lower case."""
    return lexicon_set("safereply.core.phi", "names"), lexicon_set(
        "safereply.core.phi", "ambiguous_names"
    )


def _clean(name: str) -> str:
    return re.sub(r"['’]s$", "", name.strip())


#: A name a finder proposes: start, end, why, and whether a name context supports it.
_Candidate = tuple[int, int, str, bool]
_Finder = Callable[[str, frozenset[str], frozenset[str]], Iterator[_Candidate]]


#: A courtesy title standing alone, which a finder may take for a name after "my aunt, ".
_COURTESY_WORD = re.compile(r"(?:mrs?|ms|miss|mx|sra?|srta|dra?)", re.IGNORECASE)


def find_names(text: str) -> list[Entity]:
    """Return people's names; ``strong`` is True when a name context (greeting, title,
    relative) supports it, False for a bare lexicon match.

    The finders run in order of confidence and a name overlapping one already found is dropped,
    so a greeting's "Hi Karen" wins over the bare lexicon match of "Karen".
    """
    common, ambiguous = first_names()
    out: list[Entity] = []
    for finder in _FINDERS:
        for start, end, why, strong in finder(text, common, ambiguous):
            name = _clean(text[start:end])
            end = start + len(name)
            if _COURTESY_WORD.fullmatch(name):
                continue  # "my mom, Mrs. Kim": the title is nobody's name; "Kim" is judged alone
            if not any(e.start <= start < e.end or start <= e.start < end for e in out):
                out.append(Entity(start, end, name, "name", why, strong))
    out.sort(key=lambda e: e.start)
    return out


#: A title's dot before a greeted name, which is no sentence's end ("Thanks so much Mr. Ortiz").
_TITLE_DOT = re.compile(rf"\b(?:{_TITLE_WORDS})\.\s*$", re.IGNORECASE)


def _greeted(text: str, common: frozenset[str], ambiguous: frozenset[str]) -> Iterator[_Candidate]:
    """A name after a greeting: "Hi Karen,", "Thanks so much Mr. Ortiz!"."""
    for m in _GREETING.finditer(text):
        name = m.group("name")
        words = name.split()
        first = words[0].lower().strip("'’")
        if first in NOT_NAMES:
            continue
        known = first in common or first in ambiguous
        if name[0].islower() and not known:
            continue  # "hi again", "thanks so" - lower case words need the lexicon
        before = _TITLE_DOT.sub("", text[m.start() : m.start("name")])
        if re.search(r"[!.]", before) and not known:
            continue  # "Thank you! Everything ..." - a new sentence, not a name
        if len(words) > 1 and words[1].lower() in NOT_NAMES:
            name = words[0]
        start = m.start("name")
        yield start, start + len(name), f"'{name}' follows a greeting", True


def _addressed(
    text: str, common: frozenset[str], ambiguous: frozenset[str]
) -> Iterator[_Candidate]:
    """A known first name opening a sentence before a comma: "Karen, thank you"."""
    for m in _VOCATIVE.finditer(text):
        first = _clean(m.group("name")).lower()
        if first in common or first in ambiguous:
            yield m.start("name"), m.end("name"), f"'{m.group('name')}' is addressed by name", True


def _addressed_at_end(
    text: str, common: frozenset[str], ambiguous: frozenset[str]
) -> Iterator[_Candidate]:
    """A name closing a sentence after a comma: "Thank you, Jess!"."""
    for m in _END_VOCATIVE.finditer(text):
        first = _clean(m.group("name")).lower()
        if first.split("-")[0] in NOT_NAMES or (
            first not in common and first not in ambiguous and len(first) < 3
        ):
            continue  # ", Monday-Friday.": a day, not a person
        if _PLACE_BEFORE.search(text, max(0, m.start() - 40), m.start()):
            continue  # "88 W Flagler St, Miami.": the city of an address
        if _STAFF_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "our patient advocate, Miguel": a staff member introduced by role
        yield m.start("name"), m.end("name"), f"'{m.group('name')}' is addressed by name", True


def _titled(text: str, common: frozenset[str], ambiguous: frozenset[str]) -> Iterator[_Candidate]:
    """A name with a title: "Mrs. Ortiz", "Sra. Delgado"."""
    for m in _TITLE.finditer(text):
        if _STAFF_BEFORE.search(text[max(0, m.start() - 40) : m.start()]):
            continue  # "our privacy officer, Mr. Grant": a staff member introduced by role
        yield m.start("name"), m.end("name"), f"'{m.group(0)}' is a name with a title", True


def _family_titled(
    text: str, common: frozenset[str], ambiguous: frozenset[str]
) -> Iterator[_Candidate]:
    """A name after a family title or a nickname word: "Grandpa Joe", "little Mia"."""
    for m in _FAMILY_TITLE.finditer(text):
        name = m.group("name")
        title = m.group(0)[: m.start("name") - m.start()].strip().lower()
        known = _clean(name).lower() in common or _clean(name).lower() in ambiguous
        proper = m.group(0)[0].isupper() or _CAP_AFTER.match(text, m.end("name"))
        if title in _NICKNAME_WORDS and proper and not known:
            # "Little Sprouts", "Baby Steps", "coach Little League": a proper name, not
            # "little Mia"
            continue
        if name[0].isupper() and name.lower() not in NOT_NAMES:
            yield m.start("name"), m.end("name"), f"'{m.group(0)}' names a person", True


def _relatives(
    text: str, common: frozenset[str], ambiguous: frozenset[str]
) -> Iterator[_Candidate]:
    """A relative's name: "your son Ethan", "su hija Sofía"."""
    for m in _RELATIVE.finditer(text):
        if m.group("name").lower() not in NOT_NAMES:
            yield m.start("name"), m.end("name"), f"'{m.group('name')}' names a relative", True


def _bare(text: str, common: frozenset[str], ambiguous: frozenset[str]) -> Iterator[_Candidate]:
    """A capitalised common first name without a name context (``strong`` False), unless its
    context shows a staff member, someone to ask for, an organisation or the writer."""
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
        if len(words) > 1 and _PLACE_WORD.match(text, start + len(words[0])):
            continue  # "Beverly Hills", "Travis County": a place
        if len(words) > 1 and words[1].lower() in NOT_NAMES:
            end = start + len(words[0])
        if not _ruled_out_by_context(text, start, end):
            yield start, end, f"'{text[start:end]}' looks like a person's name", False


def _ruled_out_by_context(text: str, start: int, end: int) -> bool:
    """Whether the words around a bare name show a staff member, someone to ask for, an
    organisation or the writer rather than a patient or a relative."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 40]
    return bool(
        # "our hygienist Maria", "Maria at our front desk": a staff member
        _STAFF_BEFORE.search(before)
        or _STAFF_AFTER.search(after)
        # "please call and ask for Rhonda": someone at the office to ask for
        or _ASK_FOR.search(before)
        # "Hudson Psychiatric Associates", "Wayne office", "I'm Nora from ..."
        or _ORGANISATION_AFTER.match(after)
        or _SELF_BEFORE.search(before)
        or _STREET_BEFORE.search(before)
    )


#: Words before a name in a post that make it someone at the practice whom the poster thanks
#: or met: "Thank you Hannah", "shoutout Nurse Tasha", "Gracias a la Dra. Rowan", "Miss Kayla".
_THANKED_BEFORE = re.compile(
    r"(?:\b(?:thank\s+you|thanks|thx|ty|gracias|shout\s*-?\s*outs?|kudos|props)\s+(?:to\s+|a\s+)?"
    r"(?:(?:la|el)\s+)?(?:(?:dr|dra|doctor|doctora|nurse|coach|miss|ms|mrs|mr)\.?\s+)?|"
    r"\b(?:dr|dra|doctor|doctora|nurse|coach|miss)\.?\s+)['\"“‘]?$",
    re.IGNORECASE,
)
#: Words after a name in a post that make it someone at the practice: "Maya at the front desk",
#: "Nurse Tasha at McKinney", "Hannah is the best midwife in Texas".
_PRAISED_AFTER = re.compile(
    r"['\"”’]?\s*(?:(?:at|from)\s+(?:the\s+|our\s+)?(?:front|desk|reception|billing|office|"
    r"(?-i:[A-Z]))|(?:is|was|has\s+been|are)\s+(?:\w+\s+)?(?:the\s+best|amazing|awesome|"
    r"wonderful|the\s+kindest|so\s+kind|so\s+sweet|incredible|fantastic|a\s+gem|"
    r"an?\s+angel))\b",
    re.IGNORECASE,
)
#: The poster speaking of themselves: "Mrs. Ellen Park here", "I'm Dana", "my name is Dana".
_POSTER_SELF = re.compile(r"\b(?:i'm|i\s+am|my\s+name\s+is|this\s+is|soy|me\s+llamo)\s+\W*$", re.I)
_HERE_AFTER = re.compile(r"\s*(?:here\b|aqu[ií]\b)", re.IGNORECASE)


def named_as_staff(text: str, name: str) -> bool:
    """Return True when ``text`` (a post) presents ``name`` as someone at the practice: the
    poster thanks them or praises their work, or calls them by a role or a staff title
    ("Thank you Hannah for ...", "shoutout Nurse Tasha", "Maya at the front desk is the
    kindest"), and nowhere as the poster or a relative ("Mrs. Ellen Park here", "my son Ethan")."""
    staff = False
    pattern = rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])"
    for m in re.finditer(pattern, text):
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 40]
        if (
            _POSTER_SELF.search(before)
            or _HERE_AFTER.match(after)
            or any(
                r.start("name") == m.start()
                for r in _RELATIVE.finditer(text, max(0, m.start() - 40), m.end())
            )
        ):
            return False
        staff = staff or bool(
            _THANKED_BEFORE.search(before)
            or _PRAISED_AFTER.match(after)
            or _STAFF_BEFORE.search(before)
            or _STAFF_AFTER.search(after)
        )
    return staff


_FINDERS: tuple[_Finder, ...] = (
    _greeted,
    _addressed,
    _addressed_at_end,
    _titled,
    _family_titled,
    _relatives,
    _bare,
)
