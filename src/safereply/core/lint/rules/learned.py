"""Learned rules: the sentence models of ``safereply.core.lint.signal`` as findings.

Each output of the shipped sentence model is one rule with a permanent code in an existing
category. A sentence scored at or above the output's block threshold is an error; in the band
below it, down to the warn threshold, a low-confidence warning. The engine runs these rules like
any other but never lets their findings hide a phrase rule's finding, and drops a learned finding
where a phrase rule of the same category already covers the sentence (the rule's message and fix
are more specific).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import call_invitation
from safereply.core.lint.rules.contact import invites_reader, writes_to_office
from safereply.core.lint.rules.identifiers import (
    is_practice_schedule,
    is_role,
    is_sign_off,
    staff_by_context,
)
from safereply.core.lint.types import Example, FixSafety, Hit, Rule, covered_by_rule
from safereply.core.phi import find_names, find_street_addresses
from safereply.core.phi.lexicon import lexicon_set
from safereply.core.phi.names import NOT_NAMES
from safereply.core.vocab import Category, Severity

__all__ = ["LEARNED_CODES", "RULES"]


#: What an identifier needs in its sentence: a capitalised word after the first, a digit, an
#: e-mail or handle, or a day, month or time word (English and Spanish).
_TIME_WORDS = (
    r"(?i:today|tonight|yesterday|tomorrow|morning|afternoon|"
    r"evening|week|weekend|month|year|spring|summer|fall|autumn|winter|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun|january|february|"
    r"march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|"
    r"jul|aug|sep|sept|oct|nov|dec|hoy|ayer|mañana|semana|mes|año|lunes|martes|miércoles|"
    r"miercoles|jueves|viernes|sábado|sabado|domingo|enero|febrero|marzo|abril|mayo|junio|julio|"
    r"agosto|septiembre|octubre|noviembre|diciembre)|May"  # the month, not "may be looked into"
)
_IDENTIFIER_CUE = re.compile(rf"(?<=\s)[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+|\d|@|\b(?:{_TIME_WORDS})\b")
_TIME_WORD = re.compile(rf"(?:{_TIME_WORDS})s?")


def _check(
    output: str,
    what: str,
    fix: Callable[[LintContext], str] | None,
    category: Category,
    severity: Severity,
) -> Callable[[LintContext], Iterator[Hit]]:
    """Return a check that turns the model's scored sentences for ``output`` into hits.

    ``category`` and ``severity`` are the rule's: a sentence a phrase rule of the category
    already covers is skipped here, as the engine would drop its finding (``_defer_learned``),
    before its driving words are worked out.
    """

    def check(ctx: LintContext) -> Iterator[Hit]:
        skip = _SKIPS.get(output)
        for start, end, scores in ctx.signal:
            score = scores.get(output)
            if score is None or not score.level:
                continue
            if skip is not None and skip(ctx, start, end, score.words):
                continue
            error = severity is Severity.ERROR and score.level == "block"
            if covered_by_rule(ctx.ruled, category, start, end, error):
                continue
            if output == "health" and (
                _office_logistics(ctx, start, end)
                or _practice_offer(ctx, start, end)
                or _service_statement(ctx.reply[start:end])
                or _admin_statement(ctx, start, end)
                or price_list(ctx.reply[start:end])
            ):
                continue  # directions to the office, an invitation to call it, its services
            lo, hi = driving_span(ctx.reply, start, end, score.words)
            sure = "reads as" if score.level == "block" else "may read as"
            quoted = "This sentence" if (lo, hi) == (start, end) else f"'{ctx.reply[lo:hi]}'"
            message = f"{quoted} {sure} {what} (learned signal, {score.probability:.0%})"
            suggestion = fix(ctx) if fix is not None else None
            yield Hit(lo, hi, message, suggestion, low_confidence=score.level == "warn")

    return check


#: The practice's price list: "Self-pay for X is $9,900, which covers ...", "empieza en $6,500"
#: (not "Yours was denied. Self-pay $499/mo.": a price with no service is the reader's).
_PRICE_LIST = re.compile(
    r"\b(?:self-?pay|cash\s+price|package\s+price|pricing)\s+(?:for|on)\s[^.!?]{0,60}?\$\s?\d|"
    r"\b(?:starts?\s+at|empiezan?\s+en|desde)\s+\$\s?\d",
    re.IGNORECASE,
)


def price_list(sentence: str) -> bool:
    """Return True for the practice's prices told to no one: no reader, nothing owed."""
    return bool(_PRICE_LIST.search(sentence)) and not _READER.search(sentence)


def _skip_identifier(ctx: LintContext, start: int, end: int, words: tuple[str, ...]) -> bool:
    """The practice's own address or phone, as its profile gives them; a sentence with no name,
    number or time word in it, where an identifier cannot be; the practice's hours, closures and
    events ("Saturday testing is 8am-noon"); its own people and number; the reader as a
    volunteer; the practice's price list; a dashed signature closing the reply."""
    return (
        any(start <= a < end for a, _ in ctx.allowed_spans)
        or not _identifier_cue(ctx.reply, start, end)
        or _practice_event(ctx.reply[start:end])
        or _office_people_only(ctx, start, end, words)
        or _office_only(ctx, start, end)
        or _community(ctx, start, end)
        or price_list(ctx.reply[start:end])
        or (
            end >= len(ctx.reply.rstrip())
            and _SIGNATURE_LINE.fullmatch(ctx.reply[start:end]) is not None
        )
        or (
            _TEAM_MEETING.search(ctx.reply, start, end) is not None
            and not _reader_in(ctx, start, end)
        )
    )


#: The reader's words read out at the staff's meeting: "se los vamos a leer a todo el equipo en
#: la junta del lunes", "we'll read it at Monday's team huddle" (the day is the staff's).
_TEAM_MEETING = re.compile(
    r"\b(?:staff|team)\s+(?:meeting|huddle)s?\b|\b(?:meeting|huddle)\s+(?:with|of)\s+(?:the|our)\s+"
    r"(?:team|staff)\b|\bjunta\s+(?:de(?:l)?\s+)?(?:equipo|personal|lunes|martes|mi[eé]rcoles|jueves|"
    r"viernes|s[aá]bado)\b|\breuni[oó]n\s+(?:de(?:l)?\s+)?(?:equipo|personal)\b",
    re.IGNORECASE,
)


def _reader_in(ctx: LintContext, start: int, end: int) -> bool:
    return _READER.search(ctx.reply, start, end) is not None


def _skip_advice(ctx: LintContext, start: int, end: int, _words: tuple[str, ...]) -> bool:
    """A general statement, guidance cited from a public body, or said to anyone."""
    sentence = ctx.reply[start:end]
    return (
        _bare_wish(ctx, start, end)
        or general_statement(ctx, start, end)
        or _public_information(sentence)
        or said_to_anyone(sentence)
        or office_answer(sentence)
    )


def _skip_health(ctx: LintContext, start: int, end: int, _words: tuple[str, ...]) -> bool:
    """Guidance cited from a public body or said to anyone (the rest is decided once the rules
    are known)."""
    sentence = ctx.reply[start:end]
    return (
        _bare_wish(ctx, start, end)
        or _public_information(sentence)
        or said_to_anyone(sentence)
        or office_answer(sentence)
    )


#: The question praised ("Super common question!", "Great q"), and nothing else.
_PRAISED = (
    r"(?:(?:super|very|such\s+an?|an?|really|so)\s+)*(?:common|great|good|fair|popular|excellent|"
    r"frequent|important|understandable)\s+(?:question|q|worry|concern)s?"
)
#: ... or "That's such an important question, and a very common worry."
_ABOUT_THE_QUESTION = re.compile(
    rf"^\W*(?:(?:that['’]?s|that\s+is|this\s+is|it['’]?s|what)\s+)?{_PRAISED}"
    rf"(?:\s*,?\s+and\s+{_PRAISED})?\W*$",
    re.IGNORECASE,
)
#: The reader's question restated and left to a clinician: "Whether to keep using it is one
#: for the doctor who prescribed it".
_RESTATED = re.compile(
    r"^\W*(?:(?:good|great)\s+question[.!,]?\s+)?whether\s+(?:or\s+not\s+)?to\b[^.!?;]*?\b(?:is\s+"
    r"(?:one|a\s+question|a\s+call|a\s+decision)\s+for|is\s+best\s+(?:asked|answered|decided)\s+"
    r"(?:of|by|with))\s+(?:the|your|a|an)\s+(?:[\w-]+\s+)?(?:doctor|surgeon|dentist|provider|"
    r"physician|clinician|specialist|pharmacist|team)\b",
    re.IGNORECASE,
)
#: How long the office takes to make, order or book something: "Custom orthotics are made
#: in-house in about 2 weeks", "specialty lenses can take up to three weeks to arrive", "about
#: 3 weeks for screening colonoscopies right now".
_LEAD_TIME = re.compile(
    r"\b(?:made|ready|ordered|shipped|arrive|arrives)\s+(?:[\w-]+\s+){0,2}?(?:in|within)\s+"
    r"(?:about\s+|around\s+)?\d|\b(?:days?|wks?|weeks?|months?)\s+for\s+(?:[\w-]+\s+){0,3}?"
    r"(?:right\s+now|at\s+the\s+moment)\b",
    re.IGNORECASE,
)
#: A matter that differs from person to person, left to the reader's own clinician or the
#: office's nurses: "Prep rules differ from person to person, so follow your own doctor's
#: sheet or call our prep line", "our prep nurses can confirm the right instructions".
_VARIES = re.compile(
    r"\b(?:differ|differs|vary|varies)\s+from\s+(?:person|patient)\s+to\s+(?:person|patient)\b",
    re.IGNORECASE,
)
_DEFERS = re.compile(
    r"\b(?:our|your\s+own)\s+(?:[\w-]+\s+){0,2}?(?:nurses?|doctors?|team|clinicians?|providers?|"
    r"pharmacists?|dentists?)\s+(?:can|will|is|are|gave)\b",
    re.IGNORECASE,
)


def office_answer(sentence: str) -> bool:
    """Return True for the office answering a question, with no reassurance and no instruction
    to the reader: the question praised, how long it takes to make, order or book something,
    or a matter that differs from person to person left to a clinician or a call."""
    if _ABOUT_THE_QUESTION.match(sentence) or _RESTATED.search(sentence):
        return True
    if _READER.search(_OWN_CLINICIAN.sub(" ", sentence)) or _CLINICAL.search(sentence):
        return False
    if _LEAD_TIME.search(sentence):
        return True
    return bool(
        _VARIES.search(sentence)
        and (_DEFERS.search(sentence) or invites_reader(sentence) or _PHONE_NUMBER.search(sentence))
    )


#: Guidance addressed to anyone at all: "For ANYONE after an allergy shot", "Anyone with braces
#: pain that doesn't settle", "If a retainer ever breaks", "si alguien tiene fiebre". Not
#: "everyone" as the subject of what happened ("the anesthesia makes everyone loopy"), nor
#: people in general ("most people feel relief by the fourth visit"): that is reassurance.
_ANYONE = re.compile(
    r"\b(?:for|to)\s+(?:anyone|anybody|everyone|everybody|every\s+[\w-]+)\b|^\W*anyone\s+(?:with|"
    r"who|after|having|that)\b|\bif\s+(?:anyone|anybody|someone|(?:a|an|any)\s+[\w-]+(?:\s+"
    r"[\w-]+)?\s+ever)\b|\bsi\s+alguien\b|\bcualquier\s+persona\b|\bpara\s+tod[oa]s\b",
    re.IGNORECASE,
)
#: A standard the practice holds for every case: "Every crown should fit comfortably".
_STANDARD = re.compile(
    r"^\W*(?:every|each|no|any)\s+[\w-]+(?:\s+[\w-]+){0,2}\s+(?:should|deserves?|must)\b|"
    r"^\W*(?:no\s+one|nobody)\s+should\b",
    re.IGNORECASE,
)
#: The safety net everyone is told of: 911, the ER, urgent care.
_SAFETY_NET = re.compile(
    r"\b(?:911|988|(?-i:ER)|emergency|urgencias|urgent\s+care)\b", re.IGNORECASE
)
#: The reader's own clinician elsewhere: "follow the sheet your own doctor gave you".
_OWN_CLINICIAN = re.compile(
    r"\b(?:your|su|tu)\s+(?:own\s+|propio\s+|propia\s+)?(?:doctor|dentist|provider|physician|"
    r"clinician|pharmacist|m[eé]dic[oa]|dentista)\b(?:\s+gave\s+you)?",
    re.IGNORECASE,
)


def said_to_anyone(sentence: str) -> bool:
    """Return True for guidance said to anyone at all, never to the reader: it names no reader
    ("you", "your", "he"), is addressed to anyone, and reassures or instructs only where it
    sends everyone to the office or to 911 ("For anyone after an allergy shot: wheezing = call
    911", "If a retainer ever breaks, save the pieces and call us"), or holds every case to a
    standard ("Every crown should fit comfortably"). "Most people feel relief by the fourth
    visit" speaks of people in general and stays the reader's reassurance."""
    if _READER.search(_OWN_CLINICIAN.sub(" ", sentence)):
        return False
    if _STANDARD.search(sentence):
        return True
    if not _ANYONE.search(sentence):
        return False
    return not _ADVISES.search(sentence) or bool(
        _SAFETY_NET.search(sentence) or invites_reader(sentence) or _PHONE_NUMBER.search(sentence)
    )


#: The reader in the practice's community, not its care: a volunteer, a walk, a fundraiser;
#: or trusted with the reader's words ("thank you for trusting us with your story").
_COMMUNITY = re.compile(
    r"\b(?:volunteer\w*|cohort|interns?(?:hip)?|fundrais\w+|gala|5k|(?:charity|memory|"
    r"awareness|community)\s+walk|next\s+year['’]s\s+walk)\b|\btrusting\s+us\s+with\s+(?:your|"
    r"ur)\s+(?:[\w'’-]+\s+)?(?:story|stories|words|memories|feedback)\b",
    re.IGNORECASE,
)


def _community(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for the reader as a volunteer or walker, or trusting the practice with
    their story, with no health term and no care given in the sentence."""
    sentence = ctx.reply[start:end]
    return bool(
        _COMMUNITY.search(sentence)
        and not _CARE_GIVEN.search(sentence)
        and not any(start <= t.start < end and t.kind != "billing" for t in ctx.health_terms)
    )


def _skip_relationship(ctx: LintContext, start: int, end: int, _words: tuple[str, ...]) -> bool:
    """A seasonal greeting, a booking line or a condolence that speaks of no care: "Merry
    Christmas to you and yours!", "Reciba nuestro más sentido pésame, usted y su familia"; the
    reader as a volunteer ("we loved having you in the volunteer cohort")."""
    sentence = ctx.reply[start:end]
    return (
        _community(ctx, start, end)
        or _greeting_or_booking(sentence)
        or _BLESSING.search(sentence) is not None
        or _bare_condolence(sentence)
    )


def _skip_contact(ctx: LintContext, start: int, end: int, _words: tuple[str, ...]) -> bool:
    """An invitation to call or write to the office, its jobs, its news; or what the office
    does once the reader has called ("call 555-0100 and we'll check yours", "Please call us at
    ... We'll get you an answer today"): the reader makes the contact."""
    sentence = ctx.reply[start:end]
    if _not_contact(sentence):
        return True
    if _WILL_CONTACT.search(sentence) or _GETS_BACK.search(sentence):
        return False
    called = _CALL_THEN_WE.search(sentence) or (
        _ON_THE_CALL.search(sentence)
        and (invites_reader(ctx.reply[:start]) or _CALL_FIRST.search(ctx.reply[:start]))
    )
    return bool(called)


#: The reader calls the office's number and the office acts on that call.
_CALL_FIRST = re.compile(
    r"(?:^|[.!?;:,]\s*|\b(?:please|just|so|and|then)\s+)call\s+(?:us\s+|our\s+(?:[\w-]+\s+){0,2}?)?"
    r"(?:at\s+|on\s+)?\(?\d{3}\)?[\s.-]?\d{3,4}",
    re.IGNORECASE,
)
_CALL_THEN_WE = re.compile(
    _CALL_FIRST.pattern + r"[^.!?]*?\b(?:and|&)\s+(?:we|i)(?:['’]ll|\s+will|\s+can)\b",
    re.IGNORECASE,
)
#: What the office does on the reader's call: answer, check, book; never a contact of its own.
_ON_THE_CALL = re.compile(
    r"\b(?:we|i)(?:['’]ll|\s+will|\s+can)\s+(?:\w+\s+)?(?:get\s+you\s+(?:an?\s+)?(?:answers?|"
    r"update|quote)|check|look\s+into|sort\s+it|find\s+out|get\s+you\s+(?:on|in))\b",
    re.IGNORECASE,
)
_GETS_BACK = re.compile(
    r"\b(?:get\s+back\s+to|hear\s+from\s+us|be\s+in\s+touch|reach|dm|inbox|text|e-?mail|"
    r"portal|letter|mail)\b",
    re.IGNORECASE,
)


def _skip_tone(ctx: LintContext, start: int, end: int, _words: tuple[str, ...]) -> bool:
    """A sign-off, the privacy line or a condolence: "Regards, the Practice Manager"."""
    sentence = ctx.reply[start:end]
    return (
        _CLOSING_OR_PRIVACY.search(sentence) is not None
        or _bare_condolence(sentence)
        or price_list(sentence)
    )


def _bare_condolence(sentence: str) -> bool:
    """Return True for a condolence that names no care given ("We're so sorry for your loss",
    "Reciba nuestro más sentido pésame"): never defensive, and no confirmation of care."""
    return bool(_CONDOLENCE.search(sentence)) and not _CARE_GIVEN.search(sentence)


#: Per output, the sentences its rule skips before a phrase rule's cover is checked.
_SKIPS: dict[str, Callable[[LintContext, int, int, tuple[str, ...]], bool]] = {
    "identifier": _skip_identifier,
    "advice": _skip_advice,
    "health": _skip_health,
    "relationship": _skip_relationship,
    "contact": _skip_contact,
    "tone": _skip_tone,
}


def _learned_rule(
    code: str,
    name: str,
    category: Category,
    severity: Severity,
    output: str,
    what: str,
    fix: Callable[[LintContext], str] | None,
    **documentation: Any,
) -> Rule:
    """Return the rule for one output of the signal (its check knows its category/severity)."""
    return Rule(
        code=code,
        name=name,
        category=category,
        severity=severity,
        check=_check(output, what, fix, category, severity),
        **documentation,
    )


#: A sentence about jobs at the practice ("send your resume to careers@..."), or about passing
#: the reader's words along inside the practice ("we will share your message with the team").
_JOBS = re.compile(
    r"\b(?:resumes?|r[eé]sum[eé]s?|cvs?|careers?|hiring|job\s+openings?|applications?|apply)\b|"
    r"\b(?:jobs|careers|hr)@|\b(?:share|shared|sharing|pass|passed|passing|forward|forwarded)\s+"
    r"(?:along\s+)?(?:your|these|this|the)\s+(?:kind\s+|lovely\s+)?(?:message|feedback|words|"
    r"comments?|review|note|thoughts|praise|shout-?out)|\b(?:le\s+|les\s+)?(?:pasamos|pasaremos|"
    r"compartimos|compartiremos|haremos\s+llegar|hicimos\s+llegar)\s+(?:su|tu|sus|"
    r"tus|este|esta|estos|estas)\s+(?:lindas?\s+|amables\s+)?(?:mensajes?|comentarios?|palabras|"
    r"rese[nñ]as?|notas?)",
    re.IGNORECASE,
)


#: A promise or report of contact, or a request for details: never the practice's news.
_WILL_CONTACT = re.compile(
    r"\b(?:will|'ll|going\s+to|shall|vamos\s+a|va\s+a)\s+(?:\w+\s+){0,3}?(?:call|phone|text|"
    r"e-?mail|message|reach|contact|be\s+in\s+touch|follow\s+up|write|mail|send|llamar|escribir|"
    r"enviar|contactar)|\b(?:we|i)\s+did\b|\b(?:called|phoned|texted|e-?mailed|messaged|"
    r"contacted|reached\s+out|left\s+(?:a\s+)?(?:message|voicemail)|tried|returned|llamamos|"
    r"escribimos|regresamos|devolvimos|enviamos|mandamos|dejamos)\b|\ble\s+(?:llam|escrib|envi|"
    r"mand|text)\w*|\b(?:provide|send|give)\s+(?:me|us)\b",
    re.IGNORECASE,
)


def _not_contact(sentence: str) -> bool:
    """Return True for a sentence the learned contact rule skips: an invitation to write to the
    office (OC003 decides: a warning) or to call it, a job there, the reader's words passed
    along inside the practice, or the practice's news told to no one ("we now send arrival
    times by text", "starting Jan we'll have Tues eves till 7")."""
    if writes_to_office(sentence) or invites_reader(sentence) or _JOBS.search(sentence):
        return True
    if not (_READER.search(sentence) or _OBJECT.search(sentence) or _CONTACT_ASK.search(sentence)):
        return not _WILL_CONTACT.search(sentence)  # "our portal had an outage", spoken to no one
    return (
        is_practice_schedule(sentence)
        and not _READER.search(sentence)
        and not _WILL_CONTACT.search(sentence)
    )


#: The reader as an object ("te llamamos", "le escribimos", "message them") or asked to act
#: on a message ("expect a call", "check the portal").
_OBJECT = re.compile(r"\b(?:te|le|les|lo|la|los|las|him|them|me|us)\b", re.IGNORECASE)
_CONTACT_ASK = re.compile(
    r"\b(?:expect|watch\s+for|look\s+(?:out\s+)?for|check|keep\s+an\s+eye|revise|revisa|"
    r"espere|esté\s+pendiente|dm|inbox|pm|message|text|e-?mail|send|write|whatsapp|mychart|"
    r"mailbox|voicemail|correo|(?:through|via|in|on|to|hit)\s+(?:the|your|our)\s+(?:portal|app)|"
    r"letters?|mail|mailed|cartas?|pages?|paged|call\s*backs?|return(?:ed)?\s+(?:the|your|a)\s+"
    r"(?:call|page|message)|tried|intent\w+)\b|[\w.+-]+@|\b\w+(?:ar|er|ir)(?:le|les|te|lo|la)\b",
    re.IGNORECASE,
)
_EVENT_WORDS = re.compile(
    r"\b(?:open|opens|closed|closes|hours|horario|abiert[oa]s?|cerrad[oa]|walk-?ins?|testing|clases?|"
    r"classes|taller(?:es)?|feria|events?|sessions?|screenings?|tests|no\s+(?:appointment|appt)\.?\s+"
    r"(?:needed|necessary|required)|sin\s+cita|"
    r"all\s+ages|everyone\s+welcome|tod[oa]s|gratis|free|promos?|promo\s+codes?|c[oó]digo|"
    r"discounts?|descuentos?)\b",
    re.IGNORECASE,
)
_READER = re.compile(
    r"\b(?:you|your|yours|ur|u|usted|su|sus|tu|tus|ti|te|contigo|he|she|his|her)\b|['’]s\b",
    re.I,
)


_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|"
    r"thurs|fri|sat|sun|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)"
)
#: An hour range, a plural weekday or a list of weekdays: the practice's hours ("Saturday
#: 9am-2pm", "Tuesday and Thursday mornings", "10am-4pm on jan 1, both locations", "atiende
#: martes y jueves").
_OPENING_HOURS = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*[-–]\s*\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|noon)|"
    r"\b(?:until|till|til|from)\s+\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\b\.?|noon|midnight)|"
    r"\b(?:until|till)\s+(?:noon|midnight)\b|"
    r"\b(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays|weekdays|weekends|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:and\s+\w+\s+)?"
    r"(?:mornings|afternoons|evenings))\b|"
    r"\blos\s+(?:lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bados|domingos)\b|"
    rf"\b{_WEEKDAY}(?:\s*,\s*{_WEEKDAY})*\s*(?:,?\s*(?:and|y|e|&|\+|or|o)\s+|[-–/]\s*){_WEEKDAY}\b",
    re.IGNORECASE,
)


_DAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|"
    r"thurs|fri|sat|sun|lunes|martes|mi[eé]rcoles|jueves|viernes|s[aá]bado|domingo)s?"
)
#: Days that recur: a range, a list, "every other Saturday", "los martes" (a plural in Spanish):
#: the practice's hours or a staff member's schedule, never the date of one visit.
_RECURRING_DAYS = re.compile(
    rf"\b{_DAY}\s*(?:-|–|—|to|through|thru|a|al)\s*{_DAY}\b|"
    rf"\b{_DAY}(?:\s*,\s*{_DAY})*\s*,?\s+(?:and|y|&)\s+{_DAY}\b|"
    rf"\b(?:every\s+(?:other\s+)?|cada\s+|los\s+){_DAY}\b",
    re.IGNORECASE,
)


def _practice_event(sentence: str) -> bool:
    """Return True for the practice's own hours or events, addressed to no one in particular
    ("Saturday testing is 8am-noon", "Tenemos clases gratuitas los lunes a las 10 a.m.", "la
    Dra. Morales atiende martes y jueves")."""
    if _READER.search(sentence):
        return False
    hours = _OPENING_HOURS.search(sentence)
    visit = _SOMEONES_VISIT.search(sentence)
    schedule = is_practice_schedule(sentence) or (hours and not visit)
    if (_EVENT_WORDS.search(sentence) or hours) and schedule:
        return True
    return bool(_RECURRING_DAYS.search(sentence)) and not visit


#: Someone seen, or spoken of as the object: "saw him Monday and Wednesday", "la vimos".
_SOMEONES_VISIT = re.compile(
    r"\b(?:him|them|saw|seen|came|visited|was|were|had|did|vino|vinieron|vimos|fue|estuvo|tuvo|"
    r"lo|la|le|les|te)\b",
    re.IGNORECASE,
)


#: A statement about people in general or the practice's routine, not the reader's case:
#: "most people come once a week", "results typically post in 2-3 days", "need help logging in?".
_POPULATION = re.compile(
    r"\b(?:most|many|lots\s+of|a\s+lot\s+of|some|all|la\s+mayor[ií]a\s+de|muchos|muchas)\s+"
    r"(?:\w+\s+)?(?:people|ppl|patients|folks|families|kids|children|adults|parents|moms|orders|glasses|"
    r"lenses|frames|results|refunds|plans|offices|visits|cases|personas|pacientes|casos)\b|"
    r"\b(?:usually|typically|generally|in\s+general|on\s+average|general\s+info|normalmente|"
    r"generalmente|por\s+lo\s+general)\b|^\W*(?:need|want|questions|got\s+questions|any\s+"
    r"questions)\b[^.!?]*\?",
    re.IGNORECASE,
)
#: Reassurance or instruction that makes a general statement the reader's advice after all.
_ADVISES = re.compile(
    r"\b(?:(?<!horario\s)normal(?!\s+(?:hours|schedule|business\s+hours))|normales?|worry|worries|fine|expected|ok|okay|don'?t|do\s+not|should|must|"
    r"make\s+sure|remember|this|that'?s|it'?s|es\s+normal|kindly|help|helps|dice\s+que|daily|"
    r"a\s+day|per\s+day|siga|evite|tome|every\s+(?:morning|night|evening|day)|at\s+night|twice|"
    r"once\s+a)\b|(?:^\W*|[,;:]\s*|\b(?:and|then|please|just|also)\s+)"
    r"(?:keep|avoid|take|apply|use|stop|start|try|ice|rest|wear|break|put|massage|skip|drink|"
    r"eat|no\s+\w+\s+(?:for|until))\b",
    re.IGNORECASE,
)


#: A clinical instruction or reassurance: never the practice's logistics.
_CLINICAL = re.compile(
    r"\b(?:(?<!horario\s)normal(?!\s+(?:hours|schedule|business\s+hours))|worry|worries|expected|don'?t|do\s+not|should|must|keep|avoid|take|apply|"
    r"stop|ice|icing|rest|wear|massage|skip|drink|eat|twice|daily|a\s+day|per\s+day|dose|"
    r"siga|evite|tome)\b",
    re.IGNORECASE,
)
#: Getting to, into or through the office: "use the ER-side entrance", "bring the school form".
_LOGISTICS = re.compile(
    r"\b(?:use|take|press|park|enter|bring|ring|follow|head\s+to|come\s+to|check\s+in\s+at)\s+"
    r"(?:the\s+|your\s+|a\s+|an\s+|our\s+)?(?:[\w-]+\s+){0,2}?(?:entrance|doors?|elevators?|"
    r"stairs|parking|lot|garage|lobby|suite|floor|buzzer|bell|signs?|desk|kiosk|check-?in|"
    r"forms?|paperwork|card|id|list|link|website|app)\b|"
    r"\b(?:traiga|traigan|traer|lleve|presente|bring)\s+(?:su|sus|tu|your|la|el|una?)?\s*"
    r"(?:tarjeta|identificaci[oó]n|formularios?|forma|lista|papeles|documentos|insurance\s+card|"
    r"photo\s+id|referral|referido)\b",
    re.IGNORECASE,
)
#: Bringing the office's paperwork: "your" there is the reader's card, not their health.
_BRING_PAPERS = re.compile(
    r"\b(?:traiga|traigan|traer|lleve|presente|bring)\s+(?:su|sus|tu|your)\s+(?:tarjeta|"
    r"identificaci[oó]n|insurance\s+card|photo\s+id|id|card|formularios?|papeles|documentos|"
    r"referral|referido)\b",
    re.IGNORECASE,
)


#: Advice addressed to everyone by name: "a winter wellness reminder for our whole community",
#: "para toda la comunidad".
_EVERYONE = re.compile(
    r"\b(?:for|to)\s+(?:(?:our|the)\s+(?:whole\s+|entire\s+)?community|everyone|everybody|"
    r"anyone|all\s+of\s+our\s+\w+)\b|\bpara\s+(?:tod[oa]s|toda\s+la\s+comunidad|cualquier\s+"
    r"persona)\b",
    re.IGNORECASE,
)
#: Guidance cited from a public body: "(CDC)", "per the ADA", "según los CDC".
_PUBLIC_SOURCE = re.compile(
    r"\((?:CDC|ADA|AAP|AAO|ACOG|WHO|FDA|NIH|USPSTF|OMS)\)|\b(?:per|according\s+to|from|"
    r"follows?|following|según)\s+(?:the\s+|los\s+|la\s+)?(?:CDC|ADA|AAP|AAO|ACOG|WHO|FDA|NIH|"
    r"USPSTF|OMS)\b"
)


def _public_information(sentence: str) -> bool:
    """Return True for guidance cited from a public body and said to no one ("First-timers
    under 9 usually need 2 doses 4 weeks apart (CDC)"): public information, not the reader's
    advice or health."""
    return bool(
        _PUBLIC_SOURCE.search(sentence)
        and not _READER.search(sentence)
        and not _ADVISES_READER.search(sentence)
    )


#: Reassurance or instruction aimed at the reader even in a cited sentence.
_ADVISES_READER = re.compile(
    r"\b(?:normal|worry|worries|should|must|make\s+sure|don'?t|do\s+not)\b", re.IGNORECASE
)
#: A seasonal greeting or an invitation to book, and nothing else: "Happy Diwali to you and your
#: family!", "Save your spot: kidsfirstcare.com", "Para sacar cita de paciente nuevo: ...".
_GREETING_OR_BOOKING = re.compile(
    r"^\W*(?:(?:happy|merry|feliz|felices)\s+(?:[\w'’-]+\s+){0,2}?(?:holidays?|new\s+year|"
    r"christmas|diwali|hanukkah|eid|thanksgiving|easter|navidad|año\s+nuevo|fiestas|pascuas|"
    r"halloween|lunar\s+new\s+year|mother['’]s\s+day|father['’]s\s+day|chuseok|seollal|rosh\s+"
    r"hashanah|passover|ramadan|kwanzaa|nowruz|t[eế]t|mid-autumn\s+festival|birthday|bday|"
    r"cumplea[nñ]os|cumple)|save\s+your\s+spot|"
    r"book\s+(?:online|now|today|in\s+the\s+app|at)|para\s+(?:sacar|hacer|agendar|pedir)\s+"
    r"(?:una\s+|su\s+)?cita(?:\s+de\s+paciente\s+nuev[oa])?)\b(?![^.!?]*\b(?:again|back|next|"
    r"follow-?up|recheck|otra\s+vez|de\s+nuevo|próxima|proxima|seguimiento)\b)",
    re.IGNORECASE,
)


#: A blessing and nothing else: "Que Dios la bendiga", "God bless you all", "Blessings!".
_BLESSING = re.compile(
    r"^\W*(?:(?:que\s+)?dios\s+(?:l[aeo]s?|te)\s+bendiga|god\s+bless(?:\s+(?:you|y['’]?all|"
    r"your\s+family))?(?:\s+all)?|(?:many\s+)?blessings|bendiciones)\W*$",
    re.IGNORECASE,
)


def _bare_wish(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for a seasonal or birthday greeting or a blessing that names no health term
    ("¡Feliz cumpleaños a la princesa!", "Que Dios la bendiga"): no care, advice or health."""
    sentence = ctx.reply[start:end]
    if not (_GREETING_OR_BOOKING.search(sentence) or _BLESSING.search(sentence)):
        return False
    return not any(start <= t.start < end and t.kind != "billing" for t in ctx.health_terms)


def _greeting_or_booking(sentence: str) -> bool:
    """Return True for a seasonal greeting or an invitation to book a first visit: no care."""
    return bool(_GREETING_OR_BOOKING.search(sentence))


#: The office's paperwork, money and queues: never clinical advice when nothing clinical is said.
_ADMIN_TOPIC = re.compile(
    r"\b(?:refunds?|reembolsos?|statements?|invoices?|receipts?|payment\s+plans?|hold\s+times?|"
    r"wait\s+times?|check-?in|paperwork|forms?|records\s+requests?|parking|phone\s+lines?|"
    r"approvals?|authori[sz]ations?|prior\s+auths?|formas\s+de|"
    r"reembolso|estados\s+de\s+cuenta|formularios?)\b",
    re.IGNORECASE,
)
#: "take" as time, not as a dose: "refunds usually take 2-4 weeks".
_TAKES_TIME = re.compile(
    r"\b(?:take|takes|taking|took)\s+(?:(?:about\s+|up\s+to\s+|around\s+|roughly\s+)?\d+"
    r"(?:\s*[-–]\s*\d+)?\s+(?:business\s+)?(?:days?|weeks?|months?|hours?|minutes?|mins?)\b|"
    r"a\s+(?:while|bit|little\s+while)\b|(?:some\s+)?time\b)|"
    # the practice's own duty, said of itself: "we should keep families better informed"
    r"\bwe\s+(?:should|must|need\s+to)\s+(?:\w+\s+)?keep\b",
    re.IGNORECASE,
)
#: The practice's own change, told as news: "we now use a faster lab", "we've added two lines".
_OUR_CHANGE = re.compile(
    r"\bwe(?:'ve|\s+have)?\s+(?:now|recently|just|since)\s+(?:use|added|switched|moved|changed|"
    r"started|upgraded|hired|installed|extended|introduced|opened)\b|\bwe\s+now\s+use\b",
    re.IGNORECASE,
)


#: The office's parking, phones and queues (not its paperwork: "the forms you signed").
_QUEUE_OR_PARKING = re.compile(
    r"\b(?:parking|garage|phone\s+lines?|hold\s+times?|wait\s+times?|"
    r"cancell?ation\s+list|wait\s*list)\b",
    re.IGNORECASE,
)


def _admin_statement(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for the office's parking, phones or queues spoken of with no health term,
    nothing clinical and no "your" ("parking is the worst part of our building", "about 3 wks
    for new pts, sooner if you join the cancellation list"): no health detail of anyone's."""
    sentence = ctx.reply[start:end]
    return bool(
        _QUEUE_OR_PARKING.search(sentence)
        and not _CLINICAL.search(sentence)
        and not _POSSESSIVE.search(sentence)
        and not any(start <= t.start < end and t.kind != "billing" for t in ctx.health_terms)
    )


def general_statement(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for a sentence about people in general or the practice's routine: it
    speaks to no one ("most people come once a week", "refunds usually take 2-4 weeks"),
    neither reassures nor instructs, and names no health term. The learned advice rule skips
    it; the practice's hours, events and jobs ("open 7 days a week, 8am-8pm", "we're hiring
    two night RNs"), directions to the office ("use the ER-side entrance after midnight")
    and invitations to call it ("please call Marlene at ...") too."""
    sentence = ctx.reply[start:end]
    health = any(start <= t.start < end and t.kind != "billing" for t in ctx.health_terms)
    if _office_logistics(ctx, start, end) or (
        _practice_event(sentence) and not health and not _CLINICAL.search(sentence)
    ):
        return True
    if _EVERYONE.search(sentence) and not health:
        return True  # addressed to everyone by name: "for our whole community: move daily"
    if (_ADMIN_TOPIC.search(sentence) or _OUR_CHANGE.search(sentence)) and not (
        _CLINICAL.search(_TAKES_TIME.sub(" ", sentence)) or _POSSESSIVE.search(sentence)
    ):
        return True  # "refunds usually take 2-4 weeks; if it's been longer, call"
    if _ADVISES.search(sentence) or _READER.search(sentence):
        return False
    if _practice_event(sentence):
        return True
    return bool((_POPULATION.search(sentence) or _JOBS.search(sentence)) and not health)


#: The practice's services, promotions and people's credentials: "tenemos un programa de
#: diabetes", "frames from $49 with code SPRING49", "Dr. Ashby has placed dental implants for
#: over 20 years".
_OFFERS = re.compile(
    r"\b(?:we\s+(?:now\s+)?(?:offer|provide|run|host|accept)|ofrecemos|aceptamos|contamos\s+con|"
    r"(?:we\s+(?:now\s+)?have|tenemos)\s+(?:a|an|un|una)\s+(?:new\s+|nuevo\s+|nueva\s+)?"
    r"(?:program|service|class|group|clinic|team|specialist|programa|servicio|clase|grupo|"
    r"cl[ií]nica|equipo|especialista))\b|"
    r"\b(?:board[\s-]?certified|fellowship|residency|for\s+(?:over|more\s+than)\s+\d+\s+years)\b|"
    r"\b(?:promos?|promotion|promo\s+codes?|c[oó]digo|discounts?|descuentos?)\b",
    re.IGNORECASE,
)
#: An event the practice holds for the public: a class, a talk, a fair.
_EVENT_NOUN = re.compile(
    r"\b(?:class(?:es)?|clases?|talleres|taller|workshops?|seminars?|webinars?|talks?|charlas?|"
    r"ferias?|fairs?|info\s+(?:night|session)|support\s+groups?|grupos?\s+de\s+apoyo|"
    r"open\s+house|jornadas?)\b",
    re.IGNORECASE,
)
#: A condolence: "your loss" then speaks of a death, not of the reader's health.
_CONDOLENCE = re.compile(
    r"\b(?:condolences|deepest\s+sympathy|sorry\s+for\s+your\s+loss|p[eé]same|"
    r"(?:lamentamos|sentimos)\s+(?:mucho\s+)?su\s+p[eé]rdida)\b",
    re.IGNORECASE,
)
#: A death the post announces: "my late mother", "Dad passed away in March".
_POST_DEATH = re.compile(
    r"\b(?:late|passed(?:\s+away)?|died|death|funeral|memorial|falleci\w*|muri[oó]|"
    r"q\.?\s*e\.?\s*p\.?\s*d)\b",
    re.IGNORECASE,
)


#: What the practice offers or runs, in the present: "we offer", "tenemos un programa de ...",
#: "many foot procedures are done in our suite", "el grupo se reúne los jueves".
_RUNS_OR_OFFERS = re.compile(
    r"\b(?:we|nosotros)\s+(?:now\s+|also\s+)?(?:offer|provide|accept|have|host|run|take)\b|"
    r"\b(?:tenemos|ofrecemos|aceptamos|atendemos|damos|contamos\s+con)\b|"
    r"\b(?:is|are)\s+(?:done|offered|available|performed)\s+(?:in|at|by)\b|\bse\s+re[uú]nen?\b|"
    # the practice's next event: "El próximo taller gratuito sobre duelo es el 3 de noviembre"
    r"\b(?:next|upcoming|pr[oó]xim[oa])\s+(?:free\s+|gratuit[oa]\s+)?(?:talleres|taller|"
    r"workshops?|class(?:es)?|clases?|charlas?|events?|eventos?|ferias?|jornadas?|webinars?|"
    r"open\s+house|screenings?)\b",
    re.IGNORECASE,
)
#: Care the practice gave someone, or keeps for the reader ("ya le tenemos separada la próxima
#: limpieza"): never a statement of what it offers everyone.
_CARE_GIVEN = re.compile(
    r"\b(?:le|les|te)\s+(?:\w+\s+)?(?:tenemos|damos|ofrecemos)\b|\b(?:placed|removed|treated|healed|healing|came\s+back|went|did|saw|seen|gave|started|"
    r"prescribed|diagnosed|delivered|pusimos|hicimos|vimos|atendimos)\b",
    re.IGNORECASE,
)


def _care_confirmed(ctx: LintContext) -> bool:
    """Return True when the reply confirms care (a relationship rule's error, or a sentence the
    signal is sure of): a death it then mourns is its patient's, which is health information."""
    if any(f.category is Category.PATIENT_RELATIONSHIP and f.blocks for f in ctx.ruled):
        return True
    return any(
        (score := scores.get("relationship")) is not None and score.level == "block"
        for _, _, scores in ctx.signal
    )


def _practice_offer(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for the practice's services or its people's credentials said to no one
    ("tenemos un programa de diabetes", "Dr. Ashby has placed implants for over 20 years"), or
    condolences on a death the post announces, in a reply that confirms no care, with no health
    term in the condolence (the loss's "your" apart)."""
    sentence = ctx.reply[start:end]
    if (
        _EVENT_NOUN.search(sentence)
        and _practice_event(sentence)
        and not _CLINICAL.search(sentence)
    ):
        return not _POSSESSIVE.search(sentence)  # "el próximo taller gratuito sobre duelo es el 3"
    if _CONDOLENCE.search(sentence) and ctx.post and _POST_DEATH.search(ctx.post):
        return not (
            _care_confirmed(ctx)
            or any(start <= t.start < end and t.kind != "billing" for t in ctx.health_terms)
        )
    return bool(_OFFERS.search(sentence)) and not (
        _READER.search(sentence) or _POSSESSIVE.search(sentence)
    )


def _service_statement(sentence: str) -> bool:
    """Return True for what the practice offers or runs, told to no one in particular ("Sí,
    tenemos un programa de diabetes", "Many foot procedures are done in our surgery suite"),
    or when it meets ("el grupo se reúne los jueves"): no reader, no care given to anyone."""
    if _READER.search(sentence) or _POSSESSIVE.search(sentence) or _CARE_GIVEN.search(sentence):
        return False
    return bool(_RUNS_OR_OFFERS.search(sentence) or _RECURRING_DAYS.search(sentence))


def _office_logistics(ctx: LintContext, start: int, end: int) -> bool:
    """Return True for directions to the office or an invitation to call it that name no
    health term and instruct nothing clinical ("after midnight use the ER-side entrance",
    "please call Marlene at ...")."""
    sentence = ctx.reply[start:end]
    possessive = _POSSESSIVE.search(sentence) and not _BRING_PAPERS.search(sentence)
    if (
        _CLINICAL.search(sentence)
        or possessive
        or any(start <= t.start < end and t.kind != "billing" for t in ctx.health_terms)
    ):
        return False
    return bool(_LOGISTICS.search(sentence) or invites_reader(sentence))


#: The reader's own: "your reconstruction", "su primera cita".
_POSSESSIVE = re.compile(r"\b(?:your|ur|yours|su|sus|tu|tus)\b", re.IGNORECASE)


#: Words that open a sentence in capitals: never a name, even after an emoji.
_OPENERS = lexicon_set("safereply.core.lint.rules", "learned_openers")


def _identifier_cue(text: str, start: int, end: int) -> bool:
    """Return True when the sentence holds a name, number, e-mail or time word after its first
    word: a capital opening a sentence after an emoji ("🙌 This means a lot") is no cue."""
    first = start
    while first < end and not text[first].isalpha():
        first += 1
    word = re.match(r"[^\W\d_]+", text[first:end])
    if first > start and word and word.group().lower() in _OPENERS:
        start = first
    return _IDENTIFIER_CUE.search(text, start + 1, end) is not None


#: A title before a capitalised name: "Mrs. Lakshmi Iyer", "Dra. Ixchel Morales".
_TITLED_NAME = re.compile(
    r"\b(?:mr|mrs|ms|miss|dr|dra|sr|sra|srta|nurse|coach|lic)\.?\s+((?-i:[A-Z])[\w'’-]+"
    r"(?:\s+(?-i:[A-Z])[\w'’-]+)?)",
    re.IGNORECASE,
)
_TITLES = frozenset(("mr", "mrs", "ms", "miss", "dr", "dra", "sr", "sra", "srta", "nurse", "lic"))
_PHONE_NUMBER = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}|(?<![\d-])\d{3}-\d{4}(?![\d-])")
#: Asking the reader to call or ask for someone: the number then is the office's.
_ASK_FOR = re.compile(
    r"\b(?:call|telephone|phone|ring|contact|reach|ask\s+for|speak\s+(?:to|with)|llame|llama|"
    r"llamen|llaman|pregunt[ae]\s+por|pid[ae]\s+(?:hablar|a))\b",
    re.IGNORECASE,
)
#: The practice's name after its people: "a big hug from all of us at Maison Belle".
_FROM_US_AT = re.compile(
    r"\b(?:all\s+of\s+us|everyone|the\s+(?:whole\s+)?(?:team|staff|crew)|us)\s+(?:here\s+)?at\s+"
    r"((?-i:[A-Z])[\w'’&-]+(?:\s+(?-i:[A-Z])[\w'’&-]+){0,3})",
    re.IGNORECASE,
)


#: The office's phone number or an extension: never the reader's in a reply without a profile.
_OFFICE_NUMBER = re.compile(
    r"\(?\b\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}\b|(?<![\d-])\b\d{3}-\d{4}\b(?![\d-])|"
    r"\b(?:ext|extension|opci[oó]n|option)\.?\s*\d+",
    re.IGNORECASE,
)
#: A run of capitalised words, with the title before it: "Mr. Thomas Mathew", "Maison Belle".
_CREDENTIAL = re.compile(
    r"(?:MD|DO|DDS|DMD|RN|NP|PA|PA-C|CNM|LPN|LCSW|LMFT|LPC|DPT|OD|DPM|PhD|PsyD|FNP|APRN|CRNA|RDH|"
    r"IBCLC|DNP|MSN|BSN|FACS|FAAP|FACP|PMHNP|CNP|LMT|CDE|RD|CPM)"
)
#: A dashed signature line closing the reply: "— Ana Reyes, DDS", "—Dr. T".
_SIGNATURE_LINE = re.compile(
    rf"\s*[-–—]\s*(?:(?:Dr|Dra|Nurse|Coach)\.?\s+)?[A-ZÁÉÍÓÚÑ][\w'’.-]*(?:\s+[A-ZÁÉÍÓÚÑ][\w'’.-]*)?"
    rf"(?:\s*,\s*{_CREDENTIAL.pattern})*\W*"
)
_CAPITALISED_RUN = re.compile(
    r"(?P<title>(?:Mr|Mrs|Ms|Miss|Mx|Dr|Dra|Lic|Licda|Sr|Sra|Srta|Nurse|Coach)\.?\s+)?"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑ][\w'’-]+)*)"
)
#: Words before the practice's own name: "from all of us at Maison Belle", "the team at ...".
_PRACTICE_AT = re.compile(
    r"\b(?:all\s+of\s+us|everyone|the\s+(?:[\w-]+\s+)?team|family|here|tod[oa]s)\s+"
    r"(?:at|from|en|de)\s+$",
    re.IGNORECASE,
)


#: Lower-case words that are a verb or a noun here, not a month or a day ("you may also ask").
_VERB_NOT_MONTH = frozenset(("may", "sun", "sat", "wed", "mar"))


def _office_people_only(ctx: LintContext, start: int, end: int, words: tuple[str, ...]) -> bool:
    """Return True when the words that made a sentence read as naming the reader are the
    practice's own: staff named by role or asked for ("ask for Mr. Thomas Mathew, Billing
    Supervisor"), their titles, the office's number to call, the practice's name after "all of
    us at". A name that is not staff in the sentence keeps the finding."""
    names = [(m.start(), m.end()) for m in _TITLED_NAME.finditer(ctx.reply, start, end)]
    names += [
        (start + e.start, start + e.end)
        for e in find_names(ctx.reply[start:end])
        if not any(a <= start + e.start < b for a, b in names)  # judged with its title
    ]
    if not all(_office_person(ctx, a, b) for a, b in names):
        return False
    ours = list(names) + [m.span(1) for m in _FROM_US_AT.finditer(ctx.reply, start, end)]
    if not ours:
        return False
    sentence = ctx.reply[start:end]
    if _ASK_FOR.search(sentence) and not _WILL_CONTACT.search(sentence):
        ours += [m.span() for m in _PHONE_NUMBER.finditer(ctx.reply, start, end)]
    for word in words:
        span = _find_word(ctx.reply, start, end, word)
        if span is None or word.lower().strip(".") in _TITLES:
            continue
        a, b = span
        if any(x <= a < y for x, y in ours):
            continue
        if ctx.reply[a].isupper() or (
            _IDENTIFIER_CUE.fullmatch(ctx.reply, a, b) and ctx.reply[a:b] not in _VERB_NOT_MONTH
        ):
            return False  # a name, number or time word of its own
    return True


#: A role, or asking for someone, near a name: staff for sure ("Mrs. Iyer, Practice Manager",
#: "ask for Mr. Mathew", "la Dra. Morales (ginecóloga)"); "tell Mateo we said hi" is not.
_ROLE_NEAR = re.compile(
    r"\b(?:manager|supervisor|director|coordinator|administrator|hygienist|nurse|assistant|"
    r"receptionist|therapist|counsel+or|midwife|optician|optometrist|physician|surgeon|dentist|"
    r"doctor|specialist|technician|biller|billing|scheduler|liaison|advocate|owner|founder|"
    r"gerente|coordinador[a]?|director[a]?|enfermer[oa]|recepcionista|doctor[a]?|m[eé]dic[oa]|"
    r"pediatra|gin[eé]c[oó]log[oa]|terapeuta|dentista|ask\s+for|pregunte\s+por|pida\s+hablar|"
    r"speak\s+(?:to|with))\b",
    re.IGNORECASE,
)


def _office_person(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when a name is the practice's: a profile's staff, or staff by the words
    around it with a role or an ask-for beside it."""
    if ctx.is_staff(ctx.reply[start:end]):
        return True
    near = ctx.reply[max(0, start - 40) : min(len(ctx.reply), end + 40)]
    return staff_by_context(ctx, start, end) and _ROLE_NEAR.search(near) is not None


#: A closing formula, or the practice's privacy line: never defensive in itself.
_CLOSING_OR_PRIVACY = re.compile(
    r"^\W*(?:(?:kind(?:est)?\s+|warm(?:est)?\s+|best\s+|with\s+(?:warm\s+|kind\s+)?)?regards|"
    r"sincerely|respectfully|cordially|yours\s+(?:truly|sincerely))\b[^.!?]{0,60}$|"
    r"\b(?:we|i)\s+(?:do\s+not|don't|cannot|can't|can\s+not|are\s+unable\s+to|may\s+not)\s+"
    r"(?:publicly\s+)?(?:discuss|comment\s+on|share|confirm)\s+(?:any\s+)?(?:individual|anyone's|"
    r"any\s+patient's|patient|specific|personal|private)\b(?![^.!?]*\b(?:but|although|though|"
    r"however(?!,?\s+we(?:'ve|\s+have|\s+now|\s+are|'re|\s+will|'ll)\b))\b)",
    re.IGNORECASE,
)


def _office_only(ctx: LintContext, start: int, end: int) -> bool:
    """Return True when every name and number in the sentence is the office's: staff asked for
    or named by role ("ask for Mr. Thomas Mathew, Billing Supervisor"), the practice's name
    ("from all of us at Maison Belle"), its phone, and words that are never a person's name
    ("Merry Christmas", "Facebook"). Time words still count: ``_practice_event`` decides."""
    text = list(ctx.reply)
    explained_before = False
    first = re.match(r"[\W_]*[\w'’-]+", ctx.reply[start:end])
    for m in _CAPITALISED_RUN.finditer(ctx.reply, start + (first.end() if first else 0), end):
        explained = _office_words(ctx, m, explained_before)
        explained_before = explained
        if explained:
            text[m.start() : m.end()] = " " * (m.end() - m.start())
    if not (
        _WILL_CONTACT.search(ctx.reply, start, end) or _READER_CONTACT.search(ctx.reply, start, end)
    ):
        # "ya le devolvimos la llamada al 347-...": the reader's number, not the office's
        for m in _OFFICE_NUMBER.finditer(ctx.reply, start, end):
            text[m.start() : m.end()] = " " * (m.end() - m.start())
        for e in find_street_addresses(ctx.reply[start:end]):
            if _COME_TO_US.search(ctx.reply, max(start, start + e.start - 40), start + e.start):
                text[start + e.start : start + e.end] = " " * (e.end - e.start)
    return not _identifier_cue("".join(text), start, end)


def _office_words(ctx: LintContext, m: re.Match[str], after_staff: bool) -> bool:
    """Return True when a run of capitalised words is the office's own or no one's name."""
    words = m.group("name").split()
    if any(_TIME_WORD.fullmatch(w.strip("'’")) for w in words):
        return False  # "See you Thursday": a date, whatever else the sentence holds
    if all(w.lower().strip("'’") in NOT_NAMES for w in words):
        return True
    if _PRACTICE_AT.search(ctx.reply, max(0, m.start() - 30), m.start()):
        return True
    if is_role(words[-1]) and (after_staff or m.group("title") is None):
        return True  # "Practice Manager", "Billing Supervisor": a staff member's role
    a, b = m.span("name")
    if _ASKED_FOR.search(ctx.reply, max(0, m.start() - 24), m.start()):
        return True  # "pide a Dani", "ask for Marisol": staff the reader may ask for
    if _ADDRESSED.search(ctx.reply, max(0, m.start() - 32), m.start()):
        # "tell Mateo we said hi": a message for the reader's family; "thank you Maya!": the
        # reader thanked by name (a sign-off for the phrase rule, not for this one); "tu
        # terapeuta Mónica": the reader's own clinician
        return False
    return staff_by_context(ctx, a, b) or is_sign_off(ctx, a, b)


#: The office's address given as where to come: "📍 1200 W Riverbend Pkwy", "come by 412
#: Commerce Street", "puede venir en persona a 410 Calle Hidalgo".
_COME_TO_US = re.compile(
    r"(?:\U0001f4cd|\b(?:come\s+(?:by|in|see\s+us)|stop\s+by|swing\s+by|visit\s+us|find\s+us|"
    r"located|we(?:'re|\s+are)|venir|vengan?|pasen?|estamos|ubicad[oa]s?)\b)[^.!?\d]{0,30}$",
    re.IGNORECASE,
)
_ASKED_FOR = re.compile(
    r"\b(?:ask\s+for|speak\s+(?:to|with)|pregunt[ae]\s+por|pid[ae]\s+(?:hablar\s+con|a))\s+$",
    re.IGNORECASE,
)
_ADDRESSED = re.compile(
    r"\b(?:tell|thank\s+you|thanks|thx|ty|hi|hello|hey|dear|gracias|hola)\W*$|"
    r"\b(?:your|ur|tu|tus|su|sus)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
#: Words that make a phone number in the sentence the reader's: "intentamos llamarle al ...",
#: "is 555-0143 still the best # for u?".
_READER_CONTACT = re.compile(
    r"\b(?:intent\w+|tratamos|llamarl[aeo]s?|escribirl[aeo]s?|your|ur|su|tu|u|still\s+(?:the\s+)?"
    r"(?:best|right|good))\b|\bbest\s+(?:#|number)",
    re.IGNORECASE,
)


#: Longest stretch a learned finding quotes when its driving words lie apart.
MAX_SPAN = 40
_WORD_CHAR = re.compile(r"[\w'’-]")
_BOUNDARY_CHAR = re.compile(r"[\w'’]")


def driving_span(text: str, start: int, end: int, words: tuple[str, ...]) -> tuple[int, int]:
    """Return the short stretch of a sentence that holds the words that drove its score.

    Each driving word is found in the sentence; the stretch starts at the strongest and takes
    in the others that keep it within ``MAX_SPAN`` characters, widened to whole words. Without
    any word found (the score came from the wording as a whole), the sentence itself.
    """
    found = [span for word in words if (span := _find_word(text, start, end, word))]
    if not found:
        return start, end
    lo, hi = found[0]
    for a, b in sorted(found[1:], key=lambda span: abs(span[0] - found[0][0])):
        if max(hi, b) - min(lo, a) <= MAX_SPAN:
            lo, hi = min(lo, a), max(hi, b)
    while lo > start and _WORD_CHAR.match(text[lo - 1]):
        lo -= 1
    while hi < end and _WORD_CHAR.match(text[hi]):
        hi += 1
    return lo, hi


def _find_word(text: str, start: int, end: int, word: str) -> tuple[int, int] | None:
    """Return the first whole-word occurrence of ``word`` (any case) in ``text[start:end]``.

    A plain search, not a regular expression per word: compiling one for every driving word
    would evict the patterns the rules share from ``re``'s cache.
    """
    low = text[start:end].lower()
    if len(low) != end - start:  # lower-casing changed the length: offsets would not hold
        m = re.search(rf"(?<![\w'’]){re.escape(word)}(?![\w'’])", text[start:end], re.I)
        return (start + m.start(), start + m.end()) if m else None
    needle = word.lower()
    at = low.find(needle)
    while at >= 0:
        after = at + len(needle)
        if (at == 0 or not _BOUNDARY_CHAR.match(low[at - 1])) and (
            after == len(low) or not _BOUNDARY_CHAR.match(low[after])
        ):
            return start + at, start + after
        at = low.find(needle, at + 1)
    return None


def _invite(ctx: LintContext) -> str:
    return f"remove this sentence; {call_invitation(ctx)}"


RULES = (
    _learned_rule(
        code="PR003",
        name="learned-care-reference",
        category=Category.PATIENT_RELATIONSHIP,
        severity=Severity.ERROR,
        summary="A sentence that reads as being about the reader's own care, visit or recovery.",
        rationale="Accepting thanks for care, hoping a body part is healing, speaking of a child "
        "who was seen: there are endless ways to confirm that someone is a patient, and no phrase "
        "list holds them all. A model trained on labelled sentences catches the wordings the "
        "phrase rules do not.",
        output="relationship",
        what="confirming that the reader is or was a patient",
        fix=_invite,
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("It was so fun [[celebrating this milestone]] with you."),),
        good=(Example("Thank you for taking the time to share this with us."),),
    ),
    _learned_rule(
        code="HD003",
        name="learned-health-detail",
        category=Category.HEALTH_DETAIL,
        severity=Severity.ERROR,
        summary="A sentence that reads as naming the reader's own health, treatment or bill.",
        rationale="Health details need no possessive to disclose: 'the biopsy came back clear' "
        "or 'congrats on baby number two' in a reply tells the world about the reader. The "
        "learned signal reads the sentence as a whole.",
        output="health",
        what="a health or billing detail about the reader",
        fix=_invite,
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("[[Good news: everything came back normal.]]"),),
        good=(Example("We offer evening appointments on Tuesdays and Thursdays."),),
    ),
    _learned_rule(
        code="MA002",
        name="learned-medical-advice",
        category=Category.MEDICAL_ADVICE,
        severity=Severity.ERROR,
        summary="A sentence that reads as individual clinical advice or reassurance.",
        rationale="Advice phrased as reassurance ('that is part of adjusting') or instruction "
        "('keep going with it') implies knowledge of the reader's case. A clinician should talk "
        "with them privately, by phone.",
        output="advice",
        what="individual clinical advice or reassurance",
        fix=_invite,
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("[[Give it two more weeks before judging the new lenses.]]"),),
        good=(Example("If anyone is having chest pain, please call 911."),),
    ),
    _learned_rule(
        code="OC004",
        name="learned-outside-contact",
        category=Category.OUTSIDE_CONTACT,
        severity=Severity.ERROR,
        summary="A sentence that reads as the practice contacting the reader off the platform.",
        rationale="'Our administrator will be in touch directly' promises contact as surely as "
        "'we will call you'. The practice invites; the reader chooses to call.",
        output="contact",
        what="the practice contacting the reader privately",
        fix=call_invitation,
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("[[Our billing lead will reach out to you directly this week.]]"),),
        good=(Example("Please call our office at (555) 388-9100 and ask for Renee."),),
    ),
    _learned_rule(
        code="ID007",
        name="learned-identifier",
        category=Category.IDENTIFIER,
        severity=Severity.ERROR,
        summary="A sentence that reads as naming the reader, or dating their visit or their care.",
        rationale="'The check went out on Friday', 'Santiago es un guerrero': a name or a date "
        "ties the reader to the practice in ways the name and date recognizers cannot tell "
        "from the practice's own news. The learned signal reads the sentence as a whole.",
        output="identifier",
        what="naming the reader or dating their care",
        fix=_invite,
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("[[Say hi to Jayden for us!]]"),),
        good=(Example("We're open until 7 on Thursdays."),),
    ),
    _learned_rule(
        code="TN006",
        name="learned-defensive-tone",
        category=Category.TONE,
        severity=Severity.WARNING,
        summary="A sentence that reads as defensive, argumentative or dismissive.",
        rationale="Contradicting a reviewer in public, citing the practice's rating against them, "
        "or lecturing reads badly to every future patient, whatever the words.",
        output="tone",
        what="defensive or argumentative",
        fix=None,
        fix_safety=FixSafety.DISPLAY,
        bad=(Example("[[This account is not accurate and our team did nothing wrong.]]"),),
        good=(Example("We're sorry to hear this and would like to talk with you."),),
    ),
)

#: Codes of the learned rules: the engine never lets these hide a phrase rule's finding.
LEARNED_CODES = frozenset(rule.code for rule in RULES)
