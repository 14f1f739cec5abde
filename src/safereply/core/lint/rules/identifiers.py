"""Identifier rules: names, dates and times of service, record numbers, contact details,
addresses and amounts owed (HIPAA Safe Harbor identifiers). The practice's own phone, address,
website and staff are never identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import tie_to_reader
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.literals import could_match, required_literals
from safereply.core.phi import (
    Entity,
    find_contact_details,
    find_dates,
    find_money,
    find_names,
    find_record_numbers,
    find_street_addresses,
    find_times,
)
from safereply.core.phi.names import NOT_NAMES, first_names, named_as_staff
from safereply.core.vocab import Category, Severity

_HOURS = re.compile(
    r"\b(?:open|opens|opening|closed?|closes|closing|hours|until|till|from\s+\S+\s+(?:to|until|-)|"
    r"through|thru|daily|weekdays|weekends|evenings|mornings|saturdays|sundays|mondays|"
    r"tuesdays|wednesdays|thursdays|fridays|every|each|office\s+hours|phones?\s+(?:are|open)|"
    r"answer(?:ed)?\s+(?:the\s+)?phones?|walk-?ins?|holiday|holidays|first\s+thing|call\s+(?:us\s+)?"
    r"(?:after|before|from|between|any\s+time)|abrimos|abierto|abierta|abiertos|cerrado|cerramos|"
    r"horario|hasta\s+las|todos\s+los\s+d[ií]as|lunes|s[aá]bados|domingos|noon|midnight|"
    r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:\s*[-–]\s*(?:mon|tue|wed|thu|fri|sat|sun))?|"
    r"m\s*[-–]\s*f|los\s+(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bados|domingos)|cada\s+"
    r"(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo|semana|mes|d[ií]a)|"
    r"answers?\s+(?:calls\s+)?from|(?:from|starting\s+at|desde\s+las)\s+\d{1,2}(?::\d{2})?\s*"
    r"[ap]\.?m)\b|"
    r"(?<![\d(.-])\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:-|–|to|until|a)\s*\d{1,2}(?::\d{2})?"
    r"(?![\d-]|\.\d)",
    re.IGNORECASE,
)
_OUR_NEWS = re.compile(
    r"\b(?:we(?:'ve|\s+have)?\s+(?:added|hired|started|launched|introduced|extended|opened|moved|"
    r"updated|changed|installed|began|rolled\s+out|now|will\s+be|are\s+now|renovated|expanded)|"
    r"starting|since|as\s+of|beginning|effective|new\s+(?:hours|location|system|policy)|"
    r"next|upcoming|event|info\s+night|screening\s+day|sign\s+up|register|rsvp|join\s+us|"
    r"new\s+(?:[\w-]+\s+)?(?:lab|office|clinic|location|wing|suite|center)\s+(?:opened|opens|"
    r"launched)|"
    r"reopen\w*|opens|promo\w*|drops|free|class(?:es)?|clases|group\s+meets|feria|jornada|"
    r"all\s+welcome|everyone\s+welcome|(?:was|were)\s+installed|"
    # an event for everyone: "Families are always welcome at our sing-alongs, 2 pm"
    r"(?:families|visitors|everyone|anyone|all|guests)\s+(?:are|is)\s+(?:always\s+|all\s+)?"
    r"welcome|open\s+to\s+(?:anyone|everyone|all|the\s+(?:public|community))|installed|talleres|taller|"
    r"gratuit[oa]s?|gratis|abiert[oa]s?\s+a\s+tod[oa]s|charlas?|eventos?|invitamos|webinars?|"
    r"trunk\s+show|community\s+(?:session|talk|event))\b",
    re.IGNORECASE,
)
#: A score out of ten or five, as reviewers give it: "10/10 would go again", "5/5 stars".
RATING = re.compile(
    r"(?:10|[0-9](?:\.\d)?)/(?:10|5)\b(?=\s+(?:would|stars?|recommend|rating)\b)", re.IGNORECASE
)
_PLACE_AFTER = re.compile(
    r"\s*(?:floor|fl\b|level|waiting|suite|wing|building|location|office|clinic|exam\s+room|piso)",
    re.IGNORECASE,
)
#: A time of day worn as a name for the writer's own self: "2am me reading this", "3am me loves
#: this". It dates a mood of the writer's, not anyone's visit; "at 2am me and the nurse" keeps
#: its "at" and stays a time.
_SELF_AFTER = re.compile(r"\s+(?:me|myself|brain)\b(?!\s+and\b)", re.IGNORECASE)
_SELF_BEFORE = re.compile(r"\b(?:at|by|on|around|until|til|till|from|to)\s+$", re.IGNORECASE)
_VISIT_WORDS = re.compile(
    r"\b(?:visit|visits|appointment|appt|came|come\s+in|seen|saw|stopped|here|in\s+the\s+chair|"
    r"procedure|cleaning|surgery|treated|spoke|talked|delay|delays|wait|waited|waiting|late|"
    r"happened|incident|mix-?up|experience|slot|checked\s+in|front\s+desk|lobby)\b",
    re.IGNORECASE,
)
_PAST_VISIT = re.compile(
    r"\b(?:waited|came\s+in|were\s+here|visit(?:ed)?|appointment|seen|stopped\s+by|checked\s+in|"
    r"in\s+the\s+chair|your\s+(?:cleaning|procedure|exam))\b",
    re.IGNORECASE,
)
_GREETED = re.compile(r"\b(?:hi|hello|hey|dear|thanks|thank\s+you|thx)\W*$", re.IGNORECASE)
#: Words before a phone number, e-mail or address that make it the reviewer's own.
_POSTERS = re.compile(
    r"\b(?:(?:call|called|calling|text|texted|email|e-mailed|emailed|reach|reached|contact|"
    r"contacted|sent|send|mailed|wrote|write|message|messaged|left)\s+(?:\w+\s+){0,4}?(?:you|u)|"
    r"(?:mailed|shipped|delivered|sent)\s+(?:\w+\s+){0,3}?to|"
    r"(?<!take\s)(?:your|ur)\s+(?:\w+\s+)?(?:cell|number|phone|mobile|email|e-mail|address|home|"
    r"voicemails?|messages?|line)|(?:returned|answered|missed)\s+(?:your|ur)\s+calls?|on\s+file|"
    r"you\s+(?:gave|left|provided|listed|live))"
    r"\b[^.!?]{0,12}$",
    re.IGNORECASE,
)
#: Words after a phone number or e-mail that make it the reviewer's own ("... on file").
_ON_FILE = re.compile(r"\s*(?:is\s+)?(?:on\s+file|in\s+our\s+(?:records|system|chart))", re.I)
#: Words before a street address that present it as the practice's own.
_OFFICE_ADDRESS = re.compile(
    r"\b(?:we(?:'re|\s+are)\s+(?:now\s+)?(?:at|located|on)|(?:we've|we\s+have)\s+moved|"
    r"moved\s+to|(?:our|the)\s+(?:new\s+)?(?:office|offices|clinic|practice|location|address|"
    r"building|suite)|visit\s+us|find\s+us|come\s+(?:see|visit)\s+us|located\s+at|"
    r"stop\s+by|parking|entrance|(?:a|our|my)\s+(?:new\s+|own\s+)?(?:[\w-]+\s+){0,2}?(?:office|"
    r"clinic|practice|location|showroom|center|centre)\b[^.!?]{0,40}?\b(?:at|on|is|are))\b",
    re.IGNORECASE,
)
#: Words before a phone number or e-mail that present it as the office's own ("please call our
#: administrator directly at", "our new phone number is", "give our office a call at").
_OFFICE_CONTACT = re.compile(
    r"(?:(?<!we\s)(?<!we'll\s)(?<!will\s)(?<!i'll\s)(?<!\bi\s)(?<!to\s)(?<!we're\s)\b(?:call|"
    r"calling|phone|ring|text|reach|reaching|contact|contacting|email|e-mail|write\s+to|fax|"
    r"speak(?:ing)?|talk(?:ing)?|available)\s+(?:[\w,.'’-]+\s+)"
    r"{0,5}?(?:at|on|via)?|\b(?:our|my|the\s+(?:office|clinic|practice)(?:'s|’s)?)\s+(?:new\s+|main\s+|"
    r"direct\s+|office\s+|clinic\s+|front\s+desk\s+)*(?:phone|telephone|number|line|e-?mail|"
    r"address|#)(?:\s+number)?\s*(?:is|:)?|\ba\s+(?:call|ring)\s+at|\bext\.?|\b(?:tel|ph|phone|"
    r"office|t)\s*[.:]|\b(?:our|my)\s+(?:[\w.'’-]+,?\s+){0,4}?(?:at|on))\W*$",
    re.IGNORECASE,
)
_MONEY_CONTEXT = re.compile(
    r"\bthe\s+\$|\b(?:you|your|ur|owe[ds]?|owing|balance|no-?show|bill(?:ed)?|charged?|paid|pay|refund(?:ed)?|"
    r"copay|co-pay|deductible|invoice|statement|account|collections?|outstanding|due|total|"
    # Spanish: a balance, a charge, a payment, a refund on someone's account
    r"saldo|debe|adeuda|cargo|cobro|cobr[oó]|cobramos|pago|pag[oó]|factura\w*|deducible|copago|"
    r"reembols\w*|cuenta|tarjeta)\b|"
    # a past charge for a service: "the hydrafacial was $275", "fueron $380"
    r"\b(?:was|were|came\s+(?:out\s+)?to|totall?ed|fueron|sali[oó]\s+en)\s+(?:only\s+|just\s+)?\$",
    re.IGNORECASE,
)
_PRICE_CONTEXT = re.compile(
    r"\b(?:special|offer|promotion|promo|starting\s+at|starts\s+at|from\s+just|only|new\s+patient\s+special|"
    r"membership\s+plan|per\s+(?:month|hour|visit|session)|an\s+hour|a\s+month|/mo|/hr|rate|discount|coupon|gift\s+card|donat(?:e|ed|ion)|raised|"
    r"starts?\s+at|self[-\s]?pay|prices?|price\s+list|fees?|may\s+be\s+charged|cuesta|precio|tarifa)\b",
    re.IGNORECASE,
)


_CLOSING = re.compile(
    r"\b(?:sincerely|regards|best(?:\s+wishes)?|warmly|warm\s+regards|cheers|respectfully|"
    r"thank\s+you|thanks|yours(?:\s+truly)?|cordially|take\s+care|with\s+gratitude|gratefully)"
    r"\s*[,!.-]*\s*$",
    re.IGNORECASE,
)


_SIGNATURE_TAIL = re.compile(
    r"(?:,?\s*(?:MD|M\.D\.|DDS|DMD|DO|RN|NP|PA|PA-C|PhD|MBA|MSc\w*|FACP\w*|FAAD|LCSW|LPC|PsyD|"
    r"OD|DPM|DC|Team|and\s+(?:the\s+)?team|&\s+team|[A-Z]{2,6})\b\.?)*[\s\d\w,.-]{0,20}$"
)


def is_sign_off(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for a name signing the reply ("Sincerely, Megan, RN"): the replier, not the
    reviewer."""
    if len(ctx.reply) - end > 80 or start < 12:
        return False
    if _CLOSING.search(ctx.reply[max(0, start - 40) : start]):
        return True
    before, after = ctx.reply[max(0, start - 16) : start], ctx.reply[end:]
    if _CLOSING_FIRST_NAME.search(ctx.reply[max(0, start - 60) : start]):
        return _SIGNATURE_TAIL.match(after) is not None  # "Cheers, Alastair Pryce"
    return bool(_SIGNATURE_LEAD.search(before) and _SIGNATURE_TAIL.match(after))


#: A closing and the writer's first name (perhaps titled) before a surname that ends the
#: reply: "Cheers, Alastair Pryce", "Warm regards, Dr. Ana Reyes".
_CLOSING_FIRST_NAME = re.compile(
    r"\b(?:sincerely|regards|best(?:\s+wishes)?|warmly|cheers|respectfully|thanks|"
    r"yours(?:\s+truly)?|cordially|take\s+care|with\s+gratitude|gratefully|saludos|atentamente)"
    r"\s*[,!.-]*\s*(?:(?:dr|dra|mr|mrs|ms|nurse)\.?\s+)?(?-i:[A-Z][\w'’-]+)\s+$",
    re.IGNORECASE,
)


#: What opens a signature line: a new line or a dash, then perhaps a title ("— Coach Marcus").
_SIGNATURE_LEAD = re.compile(
    r"(?:\n|\s{2,}|[-–—]\s*)(?:(?:coach|dr|doctor|nurse|dra|nurse\s+practitioner)\.?\s+)?$",
    re.IGNORECASE,
)


_ROLES = (
    r"(?:director|manager|pharmacist|coordinator|hygienist|nurse|doctor|dentist|assistant|"
    r"receptionist|counse(?:l)?lor|therapist|navigator|lead|administrator|midwife|technician|"
    r"optician|scheduler|biller|advocate|specialist|supervisor|owner|founder|physician|provider|"
    r"surgeon|staff|front\s+desk|team|consejer[oa]|equipo|enfermer[oa]|gerente|recepcionista|"
    r"director[a]?|coordinador[a]?|asesor[a]?|m[eé]dic[oa]|doctor[a]?|liaison|worker|mgr|rep|"
    r"representative|trainer|audiologist|optometrist|clerk|trabajador[a]?\s+social|"
    r"encargad[oa]|midwives|terapeuta|psic[oó]log[oa]|pediatra|ginec[oó]log[oa]|higienista|"
    r"asistente|partera|pathologist|interpreter|int[eé]rprete|enlace|educator|dietitian|"
    r"nutritionist|sonographer|phlebotomist|aide)s?"
)
_ROLE = re.compile(rf"{_ROLES}", re.IGNORECASE)
#: What follows "Family" in a practice's own name: "The Sunnyside Family Dental Team", "the
#: Oakwood Family Medicine office" (a business, not a household named by its surname).
_PRACTICE_KIND = (
    r"(?:dental|dentistry|medicine|medical|practice|care|clinic|health|healthcare|pediatrics|"
    r"eye|eyecare|vision|optometry|chiropractic|orthodontics|physicians|doctors|pharmacy|"
    r"counseling|therapy|wellness|podiatry|dermatology)\b"
)


def is_role(word: str) -> bool:
    """Return True when ``word`` is a staff role ("Manager", "enfermera", "Supervisor")."""
    return _ROLE.fullmatch(word.strip(".,'’")) is not None


#: A courtesy or professional title before a name: "our nurse, Ms. Beverly Thompson".
_TITLE = r"(?:(?:mr|mrs|ms|miss|mx|sr|sra|srta|dr|dra|lic|licda|nurse|coach)\.?\s+)?"
#: Words after a name that make it a staff member: "Ruth, our director", "Jill and the whole
#: team", "Corey was so happy to see the review", "Mrs. Dunn would be glad to hear from you".
_STAFF_NAME_AFTER = re.compile(
    # "Rosa or Tammy Lou will walk you through": the words after the last of two names
    r"(?:\s+(?:or|and|o|y|&)\s+(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?))?"
    rf"(?:\s*,?\s*(?:(?:our|the|your|my|mi|el|la|nuestr[oa]|de\s+nuestro|del)\s+(?:[\w-]+\s+){{0,3}}?"
    rf"{_ROLES}\b(?:\s+(?:of|de)\s+[\w-]+(?:\s+[\w-]+)?)?(?=\s*(?:[,.;:)!—–-]|$|\s+(?:at|on|y|and)\b))|"
    rf"\s*,\s*(?:[\w-]+\s+){{0,2}}?{_ROLES}\b\.?(?=\s*[,;:(—–-]|\s+(?:at|al)\b)|"
    # "Mrs. Lee (our biller!) can go through ...": an aside may close before the offer
    r"[!)]{0,2}\s+(?:will|'ll|can|could)\s+(?:\w+\s+)?(?:get|fit|set|look|check|walk|book|"
    r"schedule|track|sort|answer|explain|go\s+(?:over|through(?!\s+(?:his|her|their|a\s+lot)\b))|talk\s+(?:\w+\s+)?through|put|"
    r"find|review|take\s+care\s+of)\b|"
    r"(?:and|y|&)\s+(?:the\s+|our\s+)?(?:whole\s+|entire\s+|rest\s+of\s+the\s+)?(?:team|staff|"
    r"crew|gang|everyone|equipo)\b|(?:is|are|was|were|will\s+be|'s|would\s+be)\s+(?:so\s+|very\s+|"
    r"going\s+to\s+be\s+|absolutely\s+|truly\s+)?(?:blushing|thrilled|happy|glad|delighted|touched|"
    r"honou?red|grateful|pleased|smiling)\b|(?:would|will|'d|can|could)\s+(?:be\s+(?:glad|happy|"
    r"pleased)\s+to|love\s+to|like\s+to|value|welcome|help)\b|says\s+(?:thank|thanks|hi|hello)|"
    r"(?:has|have)\s+been\s+with\s+(?:me|us|the\s+practice|our\s+\w+)\s+for\b|"
    # the office's people by the languages they speak, their years with the practice, the
    # writer beside them: "Rosa habla español", "Yolanda speaks Spanish", "Kelly just hit 20
    # years", "Mrs. Dunn and I read every review", "Ana le ayuda en español"
    r"(?:also\s+|tambi[eé]n\s+)?(?:speaks?|habla|hablan)\s+(?:(?:fluent|some|un\s+poco\s+de)\s+)?"
    r"(?:spanish|espa[ñn]ol|english|ingl[eé]s|korean|coreano|vietnamese|mandarin|cantonese|"
    r"chinese|french|franc[eé]s|portuguese|portugu[eé]s|arabic|[aá]rabe|russian|ruso|tagalog|"
    r"creole|polish|hindi|punjabi|asl|navajo)\b|"
    r"(?:,?\s+who)?\s*(?:just\s+|recently\s+)?(?:hit|celebrated|marked|reached|completed|"
    r"cumpli[oó])\s+(?:her\s+|his\s+)?(?:\d+|five|ten|fifteen|twenty|twenty-five|thirty)\s+"
    r"(?:years|años)\b|(?:and|y|&)\s+(?-i:I|yo)\b|(?:le|les|te)\s+(?:ayuda|ayudan|atiende|"
    r"puede\s+ayudar)\b|(?:va\s+a\s+estar|estar[aá])\s+(?:muy\s+|s[uú]per\s+)?(?:contenta|"
    r"contento|feliz|encantad[ao])\b|"
    # "call Miss Peggy directly at (601) ...", "telephone Mrs. Iyer on (732) ..."
    r"(?:directly\s+)?(?:at|al|on)\s+(?:\(\d{3}\)|\d{3}[-.\s]\d|\d{3}-\d{4}\b|ext)|"
    # "Miss Peggy in billing", "Rosa en la recepción": someone in a part of the office
    r"(?:in|at|from|en|de)\s+(?:the\s+|our\s+|la\s+|el\s+)?(?:billing|front\s+desk|reception|"
    r"recepci[oó]n|scheduling|insurance|records|facturaci[oó]n)\b|"
    # a credential after a comma: "Keisha Grant, CNM"
    r"\s*,\s*(?-i:MD|DO|DDS|DMD|RN|NP|PA|PA-C|CNM|CPM|LPN|LCSW|LMFT|LPC|DPT|OD|DC|PhD|PsyD|FNP|"
    r"APRN|CRNA|RDH|CMA|IBCLC|RD|CDE|DNP|MSN|BSN|LMT|CNP|PMHNP)(?=[\s,.;)]|$)))",
    re.IGNORECASE,
)
#: Words before a name that make it a staff member: "Our treatment coordinators, Bree and
#: Tasha", "Director of Quality, Andrea", "tell Keisha", "pida hablar con Miguel".
_STAFF_NAME_BEFORE = re.compile(
    # "Director of Quality, Andrea", "nuestra directora clínica, Elena"
    rf"(?:\b{_ROLES}(?:\s+of\s+[\w-]+(?:\s+[\w-]+)?|\s+[a-záéíóúñ]+(?=\s*,))?\s*,?\s+{_TITLE}"
    r"(?:[A-Z]\w+\s+(?:and|y|o|or|&)\s+)?|"
    # "ask for me (Dawn) or Rosa", "asking for Rosa", "led by Sandra Ellis"
    r"\b(?:tell|ask(?:ing)?\s+for(?:\s+(?:me|us)\s+(?:\([^)]{1,30}\)\s+)?(?:or|and)(?:\s+for)?)?|"
    r"(?:led|run|headed)\s+by|pregunte\s+por|pregunta\s+por|pid[ae]\s+(?:hablar\s+)?(?:con|por)|"
    r"hable\s+con|habla\s+con|hablar\s+con|llame\s+a|llama\s+a|make\s+sure|speak\s+(?:with|to)|"
    r"talk\s+(?:with|to)|(?:share|shared|pass|passed)\s+(?:(?:this|it|these|that|them|those|"
    r"your)\s+(?:(?:kind|lovely|sweet)\s+)?(?:(?:words|notes?|messages?|reviews?|comments?|"
    r"feedback|praise)\s+)?)?(?:(?:along|on)\s+)?(?:with|to|con|a)|compartiremos\s+(?:\w+\s+)?(?:a|con))\s+"
    rf"(?:(?:our|the|el|la|nuestr[oa])\s+(?:[\w-]+\s+){{0,2}}?{_ROLES},?\s+)?(?:(?:el|la)\s+)?"
    r"(?:(?:don|doña|dona|mr|mrs|ms|miss|dr|dra|sr|sra|srta|coach|nurse|lic|licda)\.?\s+)?"
    r"(?:[A-Z]\w+\s+(?:and|y|o|or|&)\s+(?:con\s+|por\s+|with\s+|to\s+)?)?|"
    r"\b(?:st|saint|san|santa)\.?\s+)$",
    re.IGNORECASE,
)
_MONTH_ABBREVIATION = re.compile(
    r"(?i:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s*\d", re.IGNORECASE
)


def staff_by_context(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when the words around a name make it the practice's staff, a place or a
    date ("Ruth, our director", "tell Keisha", "St. Mary's", "Oct. 18") rather than a reader,
    or when the post presents the name as someone at the practice ("Thank you Hannah for ...",
    "shoutout Nurse Tasha"): the poster naming a staff member discloses nothing of theirs."""
    if _staff_words_around(ctx, start, end) or _in_staff_list(ctx, start, end):
        return True
    name = ctx.reply[start:end]
    return bool(ctx.post and name in ctx.post and named_as_staff(ctx.post, name))


def _staff_words_around(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when the words right before or after a name make it staff, a place or a
    date ("Ruth, our director", "tell Keisha", "St. Mary's", "Oct. 18")."""
    if _STAFF_NAME_AFTER.match(ctx.reply, end) or _MONTH_ABBREVIATION.match(ctx.reply, start):
        return True
    return _STAFF_NAME_BEFORE.search(ctx.reply[max(0, start - 60) : start]) is not None


_LIST_ITEM = (
    r"(?:(?:Miss|Mr|Mrs|Ms|Mx|Dr|Dra|Nurse|Coach)\.?\s+)?[A-ZÁÉÍÓÚÑ][\w'’-]+"
    r"(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+)?"
)
#: Three or more names in a row: "Lena, Marcus and Dr. Okafor", "Tammy Lou, Miss Becky, Rosa".
_NAME_LIST = re.compile(
    rf"{_LIST_ITEM}(?:(?:\s*,\s*{_LIST_ITEM}){{2,}}(?:\s*,?\s+(?:and|&|y)\s+{_LIST_ITEM})?|"
    rf"(?:\s*,\s*{_LIST_ITEM})+\s*,?\s+(?:and|&|y)\s+{_LIST_ITEM})"
)
_DOCTOR = re.compile(r"\b(?:Dr|Dra|Doctor|Doctora)\b\.?\s+[A-Z]")


def _in_staff_list(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when a name is one of three or more listed with a doctor: the practice's
    people ("our team — Lena, Marcus and Dr. Okafor"), not a reader and their family."""
    if "Dr" not in ctx.reply and "Doctor" not in ctx.reply:
        return False
    for m in _NAME_LIST.finditer(ctx.reply):
        if m.start() <= start and end <= m.end() and _DOCTOR.search(m.group()):
            return True
    return False


def _patient_name(ctx: LintContext) -> Iterator[Hit]:
    taken: list[tuple[int, int]] = []
    for e in find_names(ctx.reply):
        greets = e.why.endswith("follows a greeting")
        if ctx.is_allowed(e.start, e.end):
            continue
        # a relative ("your son Ethan") is never staff by a list or by the post
        staff = _staff_words_around if e.why.endswith("names a relative") else staff_by_context
        if not (greets and _opens_reply(ctx, e.start)) and staff(ctx, e.start, e.end):
            continue
        if ctx.is_staff(e.text) and not (greets and _opens_reply(ctx, e.start)):
            continue  # a greeting that opens the reply addresses the reviewer, staff name or not
        if is_sign_off(ctx, e.start, e.end):
            continue
        if e.text.lower() in ctx.practice_words:
            continue
        strong = e.strong or ctx.practice is not None
        taken.append((e.start, e.end))
        yield Hit(
            e.start,
            e.end,
            f"'{e.text}' may name the reviewer or someone they know: {e.why}. "
            "Naming them in public ties them to the practice.",
            suggestion="" if not e.strong else "there",
            low_confidence=not strong,
        )
    for start, end, why in [*_context_names(ctx), *_shouted_names(ctx)]:
        if any(a < end and start < b for a, b in taken):
            continue
        taken.append((start, end))
        yield Hit(
            start,
            end,
            f"{why}: naming the reader or someone they know in public ties them to the practice.",
            suggestion="",
        )


_RELAY = "the reader is asked to pass words on to them"
#: Where a request to pass words on starts: a clause's start, or "and", "please" ...
_RELAY_LEAD = re.compile(
    r"(?:[.!?;:,(]|[\U0001F300-\U0001FAFF\u2600-\u27BF])\s*$|\b(?:and|please|pls|plz|also|y|so|"
    r"now)\s+$",
    re.IGNORECASE,
)
_CAP = r"(?-i:[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(?:-[A-Z][a-z]+)?)"
_COURTESY = r"(?:(?:miss|mr|mrs|ms|mister|se[nñ]ora|se[nñ]or|se[nñ]orita|do[nñ]a|don)\.?\s+)"
#: Contexts that make a capitalised word someone in the reader's life, whatever the name (the
#: name lexicon is small): asking the reader to pass something on ("tell Earl ...", "bring
#: Tanner", "hug Noah for us", "give Lorena a big hug", "dígale a Rosa"), "you and Grace", a
#: name owning a visit, record or body part ("Lily's x-rays", "Ty's physical"), hopes for a
#: name's recovery ("so glad Walt is home"), a name after "you" closing a phrase ("proud of u
#: Maddie"), a neighbour or classmate by name, a spelled-out courtesy title ("señora
#: Domínguez"), a family by surname.
_NAME_CONTEXTS: tuple[tuple[re.Pattern[str], str, frozenset[str] | None], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), why, required_literals(re.compile(pattern, re.I)))
    for pattern, why in (
        (
            # the start of a clause is checked by _RELAY_LEAD (a search from here is slow)
            r"\b(?:tell|hug|bring|squeeze|kiss|remind|"
            r"d[ií]g(?:a|ale)\s+a|d[ií]le\s+a|salud(?:e|a)\s+a|abrace\s+a|tr[aá]iga(?:n)?\s+a)\s+"
            rf"{_COURTESY}?(?P<name>{_CAP})\b",
            _RELAY,
        ),
        (
            # "give Lorena a big hug from us", "dele a Rosa un abrazo": a hug passed on by name
            r"\b(?:give|send|d[eé]le\s+a)\s+"
            rf"{_COURTESY}?(?P<name>{_CAP})\s+(?:a\s+|un\s+)?(?:(?:big|huge|gran|fuerte)\s+)?"
            r"(?:hugs?|high[- ]?fives?|kiss(?:es)?|squeeze|fist[- ]?bumps?|abrazos?)\b",
            _RELAY,
        ),
        (
            rf"\b(?:you|u)\s+(?:and|&|y)\s+(?:little\s+)?{_COURTESY}?(?P<name>{_CAP})\b",
            "they are named beside the reader",
        ),
        (
            rf"(?<!\bDr\.\s)(?<!\bDr\s)(?<!\bDra\.\s)(?<!\bSt\.\s)(?<!\bour\s)(?P<name>{_CAP})"
            r"['’]s\s+(?:(?:\w+|\d)\s+){0,3}?(?:x-?rays?|bite|teeth|tooth|file|chart|records?|"
            r"appointments?|appt|visit|physical|check-?up|cleaning|exam|results?|labs?|scans?|"
            r"surgery|recovery|treatment|stitches|meds|prescription|progress|case|is\s+due|"
            r"was\s+due|first\s+visit|last\s+visit)\b",
            "their visit, record or care is mentioned",
        ),
        (
            r"\b(?:glad|happy|relieved|hope|hoping|praying|pray)\s+(?:that\s+)?"
            rf"(?P<name>{_CAP})(?:['’]s|\s+is|\s+was|\s+feels|\s+got)\s+(?:\w+\s+)?(?:home|"
            r"healing|recovering|feeling|better|resting|doing\s+(?:better|well|ok|okay)|"
            r"out\s+of\s+the\s+hospital)\b",
            "their recovery is mentioned",
        ),
        (
            rf"\b(?:you|u|ya)\s+(?P<name>{_CAP})(?=\s*(?:[!?.,]|$|"
            r"[\U0001F300-\U0001FAFF\u2600-\u27BF]))",
            "the reader is called by name",
        ),
        (
            r"\b(?:your|ur|his|her|their|su|tu)\s+(?:\w+\s+)?(?:neighbou?r|roommate|room-mate|"
            r"coworker|co-worker|boss|classmate|teammate|bestie|bff|buddy|pal|grandbaby|grandkid|"
            r"grandchild|kiddo|twin|hubby|wifey|vecin[oa]|amig[oa]|compa[nñ]er[oa])s?(?:['’]s)?"
            rf"\s*,?\s+(?P<name>{_CAP})\b",
            "they are named as someone the reader knows",
        ),
        (
            rf"\b(?:se[nñ]ora|se[nñ]or|se[nñ]orita|mister|madam|madame)\s+(?P<name>{_CAP})\b",
            "they are named with a courtesy title",
        ),
        (
            rf"(?<!part\sof\s)(?<!welcome\sto\s)(?<!join\s)(?<!joined\s)(?<!member\sof\s)"
            rf"\bthe\s+(?P<name>{_CAP})\s+(?:family(?!\s+{_PRACTICE_KIND})|kids|twins|boys|girls|"
            r"household|clan)\b",
            "a family is named by its surname",
        ),
        (
            r"\b(?:tenemos|vimos|atendimos|trajo|trajeron|traer|traiga|esperamos|extra[nñ]amos|"
            r"queremos|felicitamos|cuidamos|recibimos|conocimos|revisamos|operamos|vacunamos)\s+a\s+"
            rf"(?:la\s+|el\s+|tu\s+|su\s+)?(?:peque[nñ][oa]\s+)?(?P<name>{_CAP})\b",
            "the practice says it saw, treats or awaits them",
        ),
    )
)
#: Words before a name that make it someone at the office: the reader is asked to call and
#: tell them something, or they are introduced by a role ("nuestra administradora, la señora").
_OFFICE_PERSON = re.compile(
    r"(?:\b(?:call|phone|llame|ll[aá]menos|ask\s+for|come\s+in)\b[^.!?]*"
    r"|\b(?:our|nuestr[oa])\s+[\w-]+(?:\s+[\w-]+)?\s*,\s*(?:the\s+|la\s+|el\s+)?)"
    r"(?:tell|d[ií]gale\s+a|se[nñ]ora|se[nñ]or|se[nñ]orita|mister|madam|madame|mr\.?|mrs\.?|"
    r"ms\.?|miss)\s+$",
    re.IGNORECASE,
)
_NAME_WORDS_NOT_PEOPLE = frozenset({"dr", "dra", "doctor", "nurse", "coach", "st", "saint"})


def _context_names(ctx: LintContext) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, why) for names found by their context (``_NAME_CONTEXTS``, or a
    possessive before a health term: "Mason's underbite") that are not staff, the practice's
    own words or everyday words."""
    low = ctx.searchable
    found = [
        (m, why)
        for pattern, why, need in _NAME_CONTEXTS
        if could_match(need, low)
        for m in pattern.finditer(ctx.reply)
        if why != _RELAY
        or _RELAY_LEAD.search(ctx.reply[max(0, m.start() - 12) : m.start()])
        or not ctx.reply[: m.start()].strip()
    ]
    terms = ctx.health_terms if "'" in ctx.reply or "’" in ctx.reply else []
    for m in _POSSESSIVE_NAME.finditer(ctx.reply) if terms else ():
        if m.group("name").lower() in _CONTRACTED:
            continue  # "She's", "That's": a word and "is", not a name's
        if any(t.start <= m.start() < t.end for t in terms) or _EPONYM_HEAD.match(
            ctx.reply, m.end()
        ):
            continue  # "Barrett's esophagus", "Crohn's disease": named after a person
        if _opens_sentence(ctx, m.start()) and not _known_first_name(m.group("name")):
            continue  # "Prostate's big": a capital that opens a sentence is no sign of a name
        if any(m.end() <= t.start <= m.end() + 24 for t in terms):
            found.append((m, "their health is mentioned"))
    for m, why in found:
        start, end = m.span("name")
        if _someone_else(ctx, m, start, end):
            yield start, end, f"'{m.group('name')}' is named where {why}"


def _opens_sentence(ctx: LintContext, start: int) -> bool:
    """Return True when only spaces, marks or emoji stand between a sentence's start and
    ``start``."""
    s, _ = ctx.sentence_at(start)
    return not re.search(r"\w", ctx.reply[s:start])


def _known_first_name(word: str) -> bool:
    common, ambiguous = first_names()
    return word.lower() in common or word.lower() in ambiguous


_POSSESSIVE_NAME = re.compile(
    rf"(?<!\bDr\.\s)(?<!\bDr\s)(?<!\bDra\.\s)(?<!\bSt\.\s)(?<!\bour\s)(?P<name>{_CAP})['’]s\s+"
)


def _someone_else(ctx: LintContext, m: re.Match[str], start: int, end: int) -> bool:
    """Return True when a name found by its context is not staff, the practice's own words, a
    role or an everyday word (a courtesy title lets a word like "June" be a name)."""
    name = m.group("name")
    low = name.lower()
    titled = m.group(0)[: start - m.start()].rstrip().lower().rstrip(".").endswith(_COURTESIES)
    if (low in NOT_NAMES and not titled) or low in _NAME_WORDS_NOT_PEOPLE or is_role(name):
        return False
    if low in ctx.practice_words or ctx.is_staff(name) or ctx.is_allowed(start, end):
        return False
    if _STAFF_NAME_AFTER.match(ctx.reply, end) or _in_staff_list(ctx, start, end):
        return False
    if ctx.post and name in ctx.post and named_as_staff(ctx.post, name):
        return False
    # "call us and tell Beth you'd like ...", "nuestra gerente, la señora ..."
    return not _OFFICE_PERSON.search(ctx.reply, max(0, m.start() - 60), start)


#: Words after a name's "'s" that make an eponym, not a person's: "Barrett's esophagus".
_EPONYM_HEAD = re.compile(
    r"(?:disease|syndrome|palsy|esophagus|sarcoma|lymphoma|disorder|phenomenon|sign|ulcer|"
    r"neuroma|contracture|procedure|maneuver|test|law|rule|criteria|scale|fracture|cyst|"
    r"node|method|operation|classification)\b",
    re.IGNORECASE,
)
_CONTRACTED = frozenset(
    [
        "she",
        "he",
        "it",
        "that",
        "there",
        "here",
        "what",
        "who",
        "where",
        "how",
        "let",
        "everyone",
        "everybody",
        "today",
        "nobody",
        "someone",
        "somebody",
        "this",
        "one",
        "mine",
        "yours",
        "ours",
    ]
)
_COURTESIES = ("miss", "mr", "mrs", "ms", "señora", "senora", "doña", "don", "mister")


def _shouted_names(ctx: LintContext) -> Iterator[tuple[int, int, str]]:
    """Yield names shouted in capitals ("MAYAAAA", "LET'S GO KAYLA"): a known first name, its
    last letter perhaps drawn out, cheering someone on is cheering the reader or their child."""
    letters = [c for c in ctx.reply if c.isalpha()]
    if len(_SHOUT.findall(ctx.reply)) > 6 and sum(c.isupper() for c in letters) > len(letters) / 2:
        return  # a reply typed in capitals shouts every word, names of staff included
    common, ambiguous = first_names()
    for m in _SHOUT.finditer(ctx.reply):
        low = re.sub(r"(.)\1+$", r"\1", m.group().lower())
        if low in NOT_NAMES or (low not in common and low not in ambiguous):
            continue
        name = low.capitalize()
        if ctx.is_staff(name) or (ctx.post and named_as_staff(ctx.post, name)):
            continue
        yield m.start(), m.end(), f"'{m.group()}' is a first name shouted in cheer"


_SHOUT = re.compile(r"(?<![\w@#'’])[A-Z]{3,}(?![\w'’])")


def reader_or_visit(sentence: str) -> bool:
    """Return True when a sentence speaks of the reader or their family, or of a visit ("see
    you", "his filling", "we saw it at infusion", "the wait")."""
    return bool(
        _READER_WORDS.search(sentence)
        or _VISIT_WORDS.search(sentence)
        or _PAST_VISIT.search(sentence)
    )


def is_practice_schedule(sentence: str) -> bool:
    """Return True when a sentence gives the practice's hours, closures or news."""
    return bool(_HOURS.search(sentence) or _OUR_NEWS.search(sentence))


def _opens_reply(ctx: LintContext, start: int) -> bool:
    """Return True when ``start`` is in the reply's first sentence (where a greeting goes)."""
    return ctx.sentence_at(start)[0] == (ctx.sentences[0][0] if ctx.sentences else 0)


_ES_MONTHS = (
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|"
    r"diciembre"
)
#: Days the date finder leaves out: a bare weekday ("come back friday", "see you Fri", "el
#: jueves"), a Spanish date or day of the month ("el 4 y el 6 de noviembre", "nos vemos el 12")
#: and a Spanish clock time ("mañana a las 8"). Each is an identifier only in a clause about the
#: reader (``_about_reader``); plural weekdays ("Tuesdays", "los martes") are schedules.
_BARE_DAY = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b(?!s)(?:\s+(?:morning|afternoon|evening|"
    r"night)(?:['’]s)?)?|"
    r"\b(?:fri|tues?|thurs?|thu)\b\.?(?!\w)|"
    r"(?<![.!?]\s)(?<!^)\b(?-i:Mon|Wed|Sat|Sun)\b(?=\s*(?:[,.!?;/]|$|at\s+\d|\d|\s+(?:and|or|&|y)\b))|"
    r"\b(?:el|este|desde\s+el|para\s+el|hasta\s+el|pr[oó]ximo|pasado)\s+(?:lunes|martes|"
    r"mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)\b|"
    rf"\b(?:el\s+)?\d{{1,2}}(?:\s+y\s+(?:el\s+)?\d{{1,2}})?\s+de\s+(?:{_ES_MONTHS})\b|"
    r"\bel\s+(?:d[ií]a\s+)?\d{1,2}\b(?![\d%:/.,]\d|\s*(?:%|a[nñ]os|minutos|horas|d[ií]as|veces))"
    r"(?=\s*(?:[.,!;]|$|\s+(?:para|a\s+las|por|y)\b))|"
    r"\b(?:ma[nñ]ana\s+|hoy\s+)?a\s+las\s+(?:1?\d|2[0-3])(?::\d{2})?\b"
    r"(?!\s*(?:semanas|horas|d[ií]as|meses|a[nñ]os|minutos))",
    re.IGNORECASE,
)
_BARE_DAY_NEEDS = required_literals(_BARE_DAY)
#: Words in a clause that make a day the reader's or a patient's: "you", "your", "him", "her",
#: Spanish "su", "usted", "le"/"lo"/"la"/"te" before a verb, "tráigalo", "ven" ("thank you"
#: thanks the reader for a post, it says nothing of a day).
_READER_WORDS = re.compile(
    r"(?<!thank\s)(?<!thanks\s)\b(?:you|u|ya|your|ur|yours|y['’]?all|him|her|his|them|their|"
    r"usted|ustedes|su|sus|tu|tus|ven|venga|vengan|(?:come|swing|pop)\s+(?:back|by|in)|bring|"
    r"(?:l[aeo]s?|te|nos)\s+(?:\w+(?:mos|o|a|e|an|amos|emos))|"
    # a Spanish command with its object: "tráigalo", "recuérdele", "dígale"
    r"\w*[áéíó]\w*(?:l[aeo]s?))\b",
    re.IGNORECASE,
)
_ANY_DAY = (
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?|lunes|martes|"
    r"mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)s?"
)
#: A clause that speaks to anyone, or gives the office's own days and hours: "if you need us
#: Saturday", "we're closed Monday", "call us Tuesday", "(Monday–Friday, 8-5)", "desde el 1 de
#: julio validamos", "new video drops friday".
_ANYONE_OR_OFFICE = re.compile(
    r"\b(?:if\s+(?:you|u|anyone)|anyone|anybody|everyone|any\s+(?:patient|parent|family)|quien|"
    r"open|opens|closed?|closes|hours|holiday|every|each|walk-?ins?|through|thru|daily|"
    r"(?:call|reach|text|phone|contact)\s+(?:us|the\s+office|our|me|the\s+clinic)|"
    r"we(?:['’]re|\s+are)\s+(?:here|open|closed|in|out)|office\s+is|clinic\s+is|huddle|"
    r"ll[aá]me\w*|abrimos|atendemos|cerrad\w*|abiert\w*|horario|todos\s+los|cada|desde\s+el\s+\d|"
    r"a\s+partir|pr[oó]xim[oa]\s+(?:es|ser[aá])|sin\s+cita)\b|"
    rf"\b(?:{_ANY_DAY}|\d{{1,2}}(?::\d{{2}})?\s*(?:[ap]\.?m\.?)?)\s*(?:[-–—&]|\bto\b|\buntil\b|"
    rf"\btill\b|\ba\b|\by\b|\band\b|\bor\b)\s*(?:{_ANY_DAY}|\d)",
    re.IGNORECASE,
)
#: Words after a day that make it part of a name: "Sunday school", "Monday huddle".
_DAY_AS_NAME = re.compile(
    r"(?:['’]s)?\s+(?:morning\s+)?(?:school|service|mass|crew|team|staff|huddle|meeting|class|"
    r"clinic|market|league|game|brunch|special|hours|shift)\b",
    re.IGNORECASE,
)
_READER_OBJECT = re.compile(r"\s+(?:you|u|him|her|them)\b", re.IGNORECASE)
_OURS_BEFORE = re.compile(r"\b(?:our|nuestr[oa]s?)\s+$", re.IGNORECASE)
#: A clause ends at a sentence mark (not the dot of "Dr." or "Mrs."), a semicolon or "but".
_CLAUSE_END = re.compile(
    r"(?<!\bDr)(?<!\bDra)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bSr)(?<!\bSra)(?<!\bSt)"
    r"[.!?]+(?=\s|$)|[;\n]|,\s+(?:but|pero|and\s+we|so)\b",
    re.IGNORECASE,
)
#: Words right around a day that tie it to the reader whatever else the clause says: "your
#: 7:30 a.m. colonoscopy", "see you both Thursday", "open on Saturday for you".
_NEAR_READER_BEFORE = re.compile(
    r"\b(?:your|ur|see\s+(?:you|u|ya|y['’]?all|her|him|them)(?:\s+\w+){0,2})\s+(?:on\s+)?$",
    re.IGNORECASE,
)
_NEAR_READER_AFTER = re.compile(r"\s*(?:for|with)\s+(?:you|u|him|her)\b", re.IGNORECASE)


def _clause_at(ctx: LintContext, start: int, end: int) -> str:
    """Return the clause around ``start``..``end``: cut at sentence marks (not a title's dot),
    ';', ', but' and the like, so "we're closed Monday, but see you Tuesday" is two clauses."""
    head = [m.end() for m in _CLAUSE_END.finditer(ctx.reply, max(0, start - 200), start)]
    tail = _CLAUSE_END.search(ctx.reply, end, end + 200)
    return ctx.reply[
        head[-1] if head else max(0, start - 200) : tail.start() if tail else end + 200
    ]


def _about_reader(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when a day sits in a clause about the reader or their family ("see you
    Fri", "your 7:30 a.m. colonoscopy", "bring him Thursday", "la veo el martes") and the
    clause is not the office's schedule or a line for anyone."""
    if _OURS_BEFORE.search(ctx.reply, max(0, start - 16), start) or _DAY_AS_NAME.match(
        ctx.reply, end
    ):
        return False  # "our Saturday crew", "your Sunday school class": not a day of care
    if _NEAR_READER_AFTER.match(ctx.reply, end) or _NEAR_READER_BEFORE.search(
        ctx.reply, max(0, start - 40), start
    ):
        return True
    clause = _clause_at(ctx, start, end)
    news = _OUR_NEWS.search(clause)
    if news and _READER_OBJECT.match(clause, news.end()):
        news = None  # "we moved you to Tues 7am": the reader's slot, not the office's news
    return bool(_READER_WORDS.search(clause)) and not (news or _ANYONE_OR_OFFICE.search(clause))


def _reader_days(ctx: LintContext, found: list[tuple[int, int]]) -> Iterator[Hit]:
    """Bare weekdays, Spanish dates and times in a clause about the reader, not already found."""
    if not could_match(_BARE_DAY_NEEDS, ctx.searchable):
        return
    for m in _BARE_DAY.finditer(ctx.reply):
        start, end = m.span()
        if any(a < end and start < b for a, b in found) or ctx.is_allowed(start, end):
            continue
        if _about_reader(ctx, start, end):
            yield Hit(
                start,
                end,
                f"'{m.group()}' is a day or time in a sentence about the reader: a date or "
                "time of service identifies a visit",
                suggestion="",
            )


def _service_date(ctx: LintContext) -> Iterator[Hit]:
    entities = [*find_dates(ctx.reply), *find_times(ctx.reply)]
    for e in entities:
        if ctx.is_allowed(e.start, e.end) or _PLACE_AFTER.match(ctx.reply, e.end):
            continue  # "on the 2nd floor", "the 1st waiting room": a place, not a date
        if RATING.match(ctx.reply, e.start):
            continue  # "10/10 would go again": a score, not a day
        if _SELF_AFTER.match(ctx.reply, e.end) and not _SELF_BEFORE.search(
            ctx.reply[max(0, e.start - 8) : e.start]
        ):
            continue  # "3am me loves this": the writer's own hour, no one's visit
        if _service_date_in_sentence(ctx, e) or (
            _a_day(ctx, e) and _about_reader(ctx, e.start, e.end)
        ):
            yield Hit(
                e.start,
                e.end,
                f"{e.why}: a date or time of service identifies a visit",
                suggestion="",
            )
    yield from _reader_days(ctx, [(e.start, e.end) for e in entities])


def _a_day(ctx: LintContext, e: Entity) -> bool:
    """Return True when a found date names a day, so that its clause may make it the reader's:
    not "today" ("we'll get you an answer today"), a month or a year alone ("in March", "last
    year": not identifiers), nor someone's "last night" of life."""
    if e.why.endswith(("is today", "is a month of service")) or e.text.lower().endswith("year"):
        return False
    return not re.search(r"\b(?:his|her|their)\s+$", ctx.reply[max(0, e.start - 8) : e.start])


def _service_date_in_sentence(ctx: LintContext, e: Entity) -> bool:
    """Return True when a found date is a visit's by its sentence: not the practice's hours or
    news, and a strong date or one beside words of a visit."""
    s, end = ctx.sentence_at(e.start)
    sentence = ctx.reply[s:end]
    if is_practice_schedule(sentence):
        return False
    if e.why.endswith("is today"):
        return _PAST_VISIT.search(sentence) is not None
    return e.strong or _VISIT_WORDS.search(sentence) is not None


#: The last digits of a card, account or phone number: "Visa ending 4417", "card ending in
#: 4421", "the last four, 0093", "su tarjeta terminada en 4417".
_NUMBER_ENDING = re.compile(
    r"\b(?:(?:ending|ends|that\s+ends)(?:\s+in)?|last\s+(?:four|4)(?:\s+digits)?(?:\s+(?:of|are|is))?"
    r"|terminad[ao]\s+en|que\s+termina\s+en|con\s+terminaci[oó]n)\s*[:,#]?\s*\d{4}\b",
    re.IGNORECASE,
)


def _record_number(ctx: LintContext) -> Iterator[Hit]:
    found = find_record_numbers(ctx.reply)
    for e in found:
        if ctx.is_allowed(e.start, e.end):
            continue
        yield Hit(
            e.start,
            e.end,
            f"{e.why}: account, record, member and claim numbers are identifiers",
            suggestion="",
            low_confidence=not e.strong,
        )
    for m in _NUMBER_ENDING.finditer(ctx.reply):
        if not any(e.start < m.end() and m.start() < e.end for e in found):
            yield Hit(
                m.start(),
                m.end(),
                f"'{m.group()}' gives the last digits of someone's card or account number: "
                "account and card numbers are identifiers",
                suggestion="",
            )


def _website_domain(ctx: LintContext) -> str | None:
    if ctx.practice and ctx.practice.website:
        host = re.sub(r"^https?://", "", ctx.practice.website.lower()).split("/")[0]
        return host.removeprefix("www.")
    return None


def _contact_details(ctx: LintContext) -> Iterator[Hit]:
    domain = _website_domain(ctx)
    for e in find_contact_details(ctx.reply):
        if ctx.is_allowed(e.start, e.end):
            continue
        if e.kind == "email" and domain and e.text.lower().endswith("@" + domain):
            continue
        unsure = not e.strong
        if e.kind == "handle":
            # Platforms thread replies by @handle on their own; typed into the text after a
            # greeting it names the poster.
            before = ctx.reply[max(0, e.start - 24) : e.start]
            unsure = not _GREETED.search(before)
        before = ctx.reply[max(0, e.start - 48) : e.start]
        if _POSTERS.search(before) or _ON_FILE.match(ctx.reply, e.end):
            # "we'll call you at ...", "we sent it to you at ...": the reviewer's own details.
            unsure = False
        elif ctx.practice is None:
            # Without a profile we cannot tell the office's number or e-mail from the reader's
            # by comparison; a practice's public reply gives its own unless the words before
            # make it the reader's ("we'll call you at ...", handled above).
            if e.kind != "handle":
                continue
            unsure = True
        elif e.kind != "handle" and _OFFICE_CONTACT.search(
            ctx.reply, max(0, e.start - 48), e.start
        ):
            # "Please call our administrator directly at ...", "our new number is ...": another
            # line of the office (a direct line, a new location) than the profile's.
            continue
        yield Hit(
            e.start,
            e.end,
            f"{e.why} that is not the practice's own: a reviewer's contact details are identifiers",
            suggestion="",
            low_confidence=unsure,
        )


#: Addresses the street finder leaves out: a rural route or post-office box ("the Rt 2 box",
#: "RR 3 Box 14", "P.O. Box 88") and a street named without a number ("your address on Birch
#: Lane", "the Route 9 address", "the Mulberry Lane address").
_OTHER_ADDRESS = re.compile(
    r"\b(?:(?:rt|rte|route|rr|rural\s+route|hc)\.?\s*\d+(?:\s*,)?\s*(?:box|bx)\b(?:\s*\d+)?|"
    r"p\.?\s*o\.?\s*box\s+\d+|"
    r"(?:(?:rt|rte|route|hwy|highway)\.?\s+\d+|(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s+"
    r"(?:street|st|avenue|ave|road|rd|lane|ln|drive|dr|court|ct|way|place|pl|circle|cir|"
    r"terrace|boulevard|blvd)\.?)\s+(?:address|house|home|place|box)\b)",
    re.IGNORECASE,
)
_STREET_NAME_OF_READER = re.compile(
    r"\b(?:your|ur|his|her|their|su|tu)\s+(?:home\s+|mailing\s+|street\s+|old\s+|new\s+)?"
    r"(?:address|house|home|place|casa|direcci[oó]n)\s+(?:on|at|in|en)\s+"
    r"(?-i:[A-Z0-9][\w.]*(?:\s+[A-Z][\w.]*){0,3})",
    re.IGNORECASE,
)


_ADDRESS_NEEDS = {
    "address": required_literals(_OTHER_ADDRESS),
    "reader-address": required_literals(_STREET_NAME_OF_READER),
}


def _other_addresses(ctx: LintContext) -> Iterator[Entity]:
    """Yield rural routes, post-office boxes and streets named without a number."""
    for pattern, kind in ((_OTHER_ADDRESS, "address"), (_STREET_NAME_OF_READER, "reader-address")):
        if not could_match(_ADDRESS_NEEDS[kind], ctx.searchable):
            continue
        for m in pattern.finditer(ctx.reply):
            yield Entity(m.start(), m.end(), m.group(), kind, f"'{m.group()}' is an address")


def _street_address(ctx: LintContext) -> Iterator[Hit]:
    found = find_street_addresses(ctx.reply)
    for o in _other_addresses(ctx):
        if not any(e.start < o.end and o.start < e.end for e in found):
            found.append(o)
    for e in found:
        if ctx.is_allowed(e.start, e.end):
            continue
        s, _ = ctx.sentence_at(e.start)
        posters = e.kind == "reader-address" or _POSTERS.search(
            ctx.reply[max(s, e.start - 48) : e.start]
        )
        if not posters and (ctx.practice is None or _OFFICE_ADDRESS.search(ctx.reply[s : e.start])):
            # "we're at 40 Oak Ave", "our new office at ...": the practice's own. Without a
            # profile an address is the office's unless the words before make it the reader's
            # ("we mailed it to ...", "your address at ...").
            continue
        if ctx.practice and ctx.practice.address:
            low = e.text.lower().rstrip(".")
            if low in ctx.practice.address.lower():
                continue
        yield Hit(e.start, e.end, f"{e.why} that is not the practice's", suggestion="")


def _amount_owed(ctx: LintContext) -> Iterator[Hit]:
    for e in find_money(ctx.reply):
        s, end = ctx.sentence_at(e.start)
        sentence = ctx.reply[s:end]
        if _PRICE_CONTEXT.search(sentence) and not re.search(
            r"\b(?:your|you\s+owe)\b", sentence, re.I
        ):
            continue
        if not _MONEY_CONTEXT.search(sentence) and tie_to_reader(ctx, e.start, e.end) is None:
            continue
        yield Hit(
            e.start,
            e.end,
            f"{e.why} tied to the reviewer: balances, charges and payments are private",
            suggestion="",
        )


_OVER_89 = r"(?:9\d|1[01]\d)"
#: Ages over 89, a Safe Harbor identifier of their own, said of a person: "95 years young",
#: "her 100th birthday", "Happy 100th", "At 92 she ...", "turning 91", "sus 95 años".
_AGE_OVER_89 = re.compile(
    rf"\b{_OVER_89}\s*(?:years?|yrs?)[\s-]*(?:old|young|of\s+age)\b|\b{_OVER_89}\s*(?:y/?o)\b|"
    rf"\b{_OVER_89}(?:st|nd|rd|th)\s+(?:birthday|bday|b-day|cumplea[nñ]os)\b|"
    rf"\b(?:happy|feliz|congrat\w*\s+on\s+(?:the\s+|her\s+|his\s+|your\s+)?)\s*{_OVER_89}"
    r"(?:st|nd|rd|th)\b(?!\s+(?:anniversary|year|season|annual))|"
    rf"\bturn(?:s|ed|ing)?\s+{_OVER_89}\b|\bcumpl\w*\s+(?:sus\s+)?{_OVER_89}\b|"
    rf"\b(?:at|aged?|a\s+los|con)\s+{_OVER_89}\b(?=\s*(?:,|(?:she|he|years|y/?o|a[nñ]os|and|"
    r"y|ella|[eé]l)\b))|"
    rf"\b(?:sus|tus|mis)\s+{_OVER_89}\s+a[nñ]os\b",
    re.IGNORECASE,
)
#: A birthday: with a day beside it, it gives part of a date of birth ("happy bday on the
#: 14th", "tell her happy birthday from all of us next week", "your birthday is Thursday").
_BIRTHDAY = re.compile(
    r"\b(?:(?:happy|feliz|hbd|your|ur|his|her|their|su|tu)\s+(?:[\w-]+\s+)?(?:birthday|bday|"
    r"b-day|cumple(?:a[nñ]os)?)|(?:birthday|bday|b-day|cumplea[nñ]os)\s+(?:is|was|on|es|fue)|"
    r"date\s+of\s+birth|dob|fecha\s+de\s+nacimiento)\b",
    re.IGNORECASE,
)
_BIRTHDAY_DAY = re.compile(
    r"\b(?:(?:on\s+)?the\s+\d{1,2}(?:st|nd|rd|th)|\d{1,2}/\d{1,2}|today|tomorrow|tonight|"
    r"this\s+(?:week(?:end)?|\w+day)|next\s+(?:week(?:end)?|\w+day)|yesterday|last\s+\w+day|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|ma[nñ]ana|hoy|el\s+\d{1,2}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2})\b",
    re.IGNORECASE,
)
#: An age or birthday that is the office's own or a staff member's: "our 90th year", "the
#: practice turns 95", "happy birthday to our hygienist".
_OFFICE_AGE_BEFORE = re.compile(
    r"\b(?:our|nuestr[oa]|the\s+(?:practice|clinic|office|hospital)|we(?:['’]re|\s+are)?)\s+"
    r"(?:is\s+|are\s+|turns?\s+|cumple\s+)?$",
    re.IGNORECASE,
)
_OFFICE_AGE_AFTER = re.compile(
    r"^\W{0,3}\s*(?:\w+\s+)?(?:to|a)\s+(?:our|the\s+(?:practice|clinic|office|team)|nuestr[oa])\b",
    re.IGNORECASE,
)


_AGE_NUMBER = re.compile(r"(?<!\d)(?:9\d|1[01]\d)(?!\d)")
_BIRTHDAY_NEEDS = required_literals(_BIRTHDAY)


def _age_or_birthday(ctx: LintContext) -> Iterator[Hit]:
    ages = list(_AGE_OVER_89.finditer(ctx.reply)) if _AGE_NUMBER.search(ctx.reply) else []
    birthdays = (
        _BIRTHDAY.finditer(ctx.reply) if could_match(_BIRTHDAY_NEEDS, ctx.searchable) else ()
    )
    for m in [*ages, *birthdays]:
        if ctx.reply[max(0, m.start() - 40) : m.start()] and _OFFICE_AGE_BEFORE.search(
            ctx.reply, max(0, m.start() - 40), m.start()
        ):
            continue
        if _OFFICE_AGE_AFTER.match(ctx.reply[m.end() : m.end() + 40]):
            continue
        if m.re is _BIRTHDAY:
            s, e = ctx.sentence_at(m.start())
            if any(a.start() <= m.start() < a.end() for a in ages):
                continue
            if not _BIRTHDAY_DAY.search(ctx.reply, max(s, m.start() - 30), min(e, m.end() + 50)):
                continue  # "Happy birthday to the birthday kiddo!": no day of birth given
        yield Hit(
            m.start(),
            m.end(),
            f"'{m.group()}' tells a person's age over 89 or the day of their birthday: both "
            "are identifiers (an age over 89, any part of a date of birth but the year)",
            suggestion="",
        )


RULES = (
    Rule(
        code="ID001",
        name="patient-name",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Names the reviewer or a relative (greeting, title, 'your son Ethan', bare name).",
        rationale="A name in a public reply ties a person to the practice. Staff named in the "
        "practice profile are allowed.",
        check=_patient_name,
        fix_safety=FixSafety.SAFE,
        bad=(
            Example("Hi [[Karen]], thank you for the feedback. Please call us at (555) 388-9100."),
            Example("We hope your son [[Ethan]] is feeling better."),
            Example("Thank you [[Mrs. Ortiz]]."),
        ),
        good=(
            Example("Hi there, thank you for the kind words!"),
            Example("Our hygienist Maria will be glad to hear this."),
        ),
    ),
    Rule(
        code="ID002",
        name="service-date",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Gives a date or time of service ('on 3/14', 'last Tuesday', 'at 10:40am').",
        rationale="Dates and times of service are Safe Harbor identifiers and confirm a visit.",
        check=_service_date,
        fix_safety=FixSafety.SAFE,
        bad=(
            Example("We're sorry your appointment on [[3/14]] ran late."),
            Example("Sorry you waited [[last Tuesday]]."),
            Example("Your [[10:40am]] slot was double-booked, sorry."),
        ),
        good=(
            Example("We're open Monday through Friday, 8am to 5pm."),
            Example("Since October we have added a second check-in station."),
        ),
    ),
    Rule(
        code="ID003",
        name="record-number",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Quotes an account, record, member, claim or other ID number.",
        rationale="Account and record numbers identify a patient directly.",
        check=_record_number,
        fix_safety=FixSafety.SAFE,
        bad=(Example("We looked into [[account #44821]] and fixed it."),),
        good=(Example("Our billing office is happy to help; please call (555) 388-9100."),),
    ),
    Rule(
        code="ID004",
        name="poster-contact-details",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Repeats a phone number or e-mail address that is not the practice's own.",
        rationale="A reviewer's contact details are identifiers; only the office's own may appear.",
        check=_contact_details,
        fix_safety=FixSafety.SAFE,
        bad=(Example("We have [[jane.doe@example.com]] on file."),),
        good=(Example("Please call us at (555) 388-9100."),),
    ),
    Rule(
        code="ID005",
        name="street-address",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Gives a street address that is not the practice's own.",
        rationale="Addresses smaller than a state are Safe Harbor identifiers.",
        check=_street_address,
        fix_safety=FixSafety.SAFE,
        bad=(Example("We mailed it to [[42 Oak Lane]]."),),
        good=(Example("We're glad you found us."),),
    ),
    Rule(
        code="ID006",
        name="amount-owed",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="States an amount the reviewer owes, paid or was charged.",
        rationale="Balances and charges are account details of one person.",
        check=_amount_owed,
        fix_safety=FixSafety.SAFE,
        bad=(Example("The [[$450]] balance reflects your deductible."),),
        good=(Example("Ask about our $99 new-patient special."),),
    ),
    Rule(
        code="ID008",
        name="age-or-birthday",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="Tells a person's age over 89 or the day of their birthday ('95 years young', "
        "'happy bday on the 14th').",
        rationale="Ages over 89 and every part of a date of birth but the year are Safe Harbor "
        "identifiers; a birthday wish in public dates the reader's birth.",
        check=_age_or_birthday,
        fix_safety=FixSafety.SAFE,
        bad=(
            Example("Your dad is our favourite [[92 years young]] gentleman!"),
            Example("Happy [[birthday]] on the 14th from all of us!"),
        ),
        good=(
            Example("We are celebrating our 90th year in practice this fall."),
            Example("Happy birthday to our hygienist Dana!"),
        ),
    ),
)
