"""Outside-contact rules: the practice never initiates contact with a reviewer.

A promise or report of a call, text, e-mail, DM, portal message or letter to the reviewer confirms
they are known to the practice and that it holds their contact details. The reply invites the
reviewer to call the office instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import call_invitation, phrase_check, phrases
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, Severity

_WHO = (
    r"(?:we|we'll|we\s+will|we'd|we\s+would|we're|we\s+are|i|i'll|i\s+will|i'd|i'm|someone|somebody|"
    r"a\s+member\s+of\s+our\s+(?:team|staff)|one\s+of\s+our\s+\w+|our\s+(?:office\s+|practice\s+|"
    r"patient\s+care\s+|billing\s+|front\s+desk\s+|clinic\s+)?(?:manager|team|staff|office|billing\s+"
    r"team|coordinator|administrator|director|doctor|dentist|nurse|receptionist|front\s+desk|"
    r"patient\s+advocate|representative|owner|administrator)(?:\s+[A-Z][a-z]+)?|dr\.?\s+\w+|"
    r"the\s+(?:doctor|dentist|office|manager|team)|who|they|he|she|and|then)"
)
_HOW = (
    r"(?:call|phone|ring|text|email|e-mail|message|dm|pm|reach\s+out(?:\s+to)?|contact|get\s+in\s+touch"
    r"(?:\s+with)?|follow\s+up\s+with|be\s+in\s+touch|be\s+reaching\s+out|write\s+to|mail|send|"
    r"calling|texting|emailing|e-mailing|messaging|reaching\s+out(?:\s+to)?|contacting|"
    r"getting\s+in\s+touch(?:\s+with)?|following\s+up\s+with|writing\s+to)"
)

_PROMISE = phrases(
    (
        (
            rf"\b{_WHO}\s+(?:will|'ll|shall|would\s+like\s+to|would\s+love\s+to|'d\s+like\s+to|'d\s+love\s+to|"
            rf"want\s+to|wants\s+to|plan\s+to|plans\s+to|intend\s+to|(?:is|are|am)\s+going\s+to|(?:is|are|am)"
            rf"\s+(?:happy|glad)\s+to|(?:is|are|am)\s+(?:reaching|calling)|be\s+happy\s+to|be\s+glad\s+to|"
            rf"(?:is|are|am)\s+about\s+to|can|could|should|must|need\s+to|hope\s+to|love\s+to|like\s+to|"
            rf"(?:is|are|am)\s+(?:trying|working)\s+to)?\s*(?:personally\s+|directly\s+|promptly\s+|"
            rf"soon\s+|shortly\s+)?{_HOW}\b(?:\s+(?:you|u|back|directly|privately|with\s+you|to\s+you|"
            rf"out|shortly|soon|today|tomorrow|your\s+(?:\w+\s+)?(?:number|phone|cell|mobile|"
            rf"email|e-mail|inbox|address|home))\b)",
            "'{m}' promises to contact the reviewer outside this thread",
        ),
        (
            rf"\b(?:{_WHO})\s+(?:will\s+|'ll\s+|would\s+|can\s+|to\s+)?(?:be\s+)?(?:calling|texting|"
            r"emailing|e-mailing|messaging|contacting|reaching\s+out\s+to|following\s+up\s+with)\s+"
            r"(?:you|u)\b|\b(?:give|giving|shoot|shooting|send|sending|drop|dropping)\s+(?:you|u)\s+"
            r"(?:a\s+|an\s+)?(?:quick\s+)?(?:call|ring|buzz|text|line|email|e-mail|message|dm|note|"
            r"letter)\b|\bfollow(?:ing)?\s+up\s+(?:with\s+you|by|over|via)\s*(?:phone|email|e-mail|"
            r"text|mail|dm)?|\b(?:time|number)\s+to\s+(?:call|reach|text|contact)\s+(?:you|u)\b|"
            r"\b(?:we|we'll|we\s+will|i'll|i\s+will)\s+(?:text|call|email|e-mail|phone)\s+"
            r"(?=\(?\d|[\w.+-]+@)|\bsend\s+(?!(?:your|us\s+your|in\s+your)\s+(?:resume|cv|"
            r"r[eé]sum[eé]|application|portfolio)s?\b)(?:\w+\s+){0,3}to\s+(?=[\w.+-]+@)|"
            r"\b(?:reaching|reach)\s+out\s+(?:to\s+you\s+)?privately\b|"
            r"\bask\s+(?:the\s+|our\s+)?(?:doctor|dentist|manager|office|team|nurse|billing\s+\w+|"
            r"dr\.?\s+\w+|[A-Z][a-z]+)\s+to\s+(?:call|phone|contact|email|e-mail|text|reach\s+out\s+to|"
            r"get\s+in\s+touch\s+with)\s+(?:you|u)\b|\b(?:will|'ll|shall)\s+(?:\w+\s+)?(?:mail|email|"
            r"e-mail|text|call|phone|message|dm)\s+(?:you|u)\b|\bgood\s+time\s+to\s+(?:call|reach|"
            r"text)\b",
            "'{m}' promises to contact the reviewer outside this thread",
        ),
        (
            r"\b(?:you(?:'ll|\s+will|\s+should|\s+can\s+expect\s+to)?\s+(?:receive|get|be\s+getting|"
            r"hear\s+from)\s+(?:a\s+)?(?:call|phone\s+call|text|email|e-mail|letter|message|dm|"
            r"us|our\s+\w+|someone)|expect\s+(?:a|our)\s+(?:call|email|e-mail|text|letter|message)|"
            r"(?:watch|look)\s+(?:out\s+)?for\s+(?:a|our)\s+(?:call|email|e-mail|text|letter|message)|"
            r"(?:we'll|we\s+will|i'll|i\s+will)\s+be\s+in\s+touch|(?:will|'ll)\s+be\s+(?:reaching|"
            r"getting)\s+(?:out|in\s+touch))\b",
            "'{m}' promises to contact the reviewer outside this thread",
        ),
    ),
)

_REPORT = phrases(
    (
        (
            r"\b(?:we|i|our\s+\w+(?:\s+\w+)?|dr\.?\s+\w+|someone)(?:['’]ve|['’]d)?\s+(?:have\s+|has\s+|had\s+)?(?:already\s+|"
            r"also\s+|just\s+)?(?:tried|attempted|been\s+trying)\s+to\s+(?:call|reach|contact|text|email|"
            r"e-mail|get\s+(?:a\s+)?hold\s+of|get\s+in\s+touch\s+with|message)\b|"
            r"\b(?:discussed|spoke|talked)\s+(?:about\s+)?(?:this\s+|it\s+)?with\s+you\s+(?:directly|"
            r"privately|personally|by\s+phone|on\s+the\s+phone|already)\b|"
            r"\b(?:tried|attempted|been\s+trying)\s+(?:reaching\s+out|calling|contacting|texting|"
            r"emailing|to\s+reach\s+you)\b",
            "'{m}' reports trying to contact the reviewer",
        ),
        (
            r"\b(?:we|i|our\s+\w+(?:\s+\w+)?|dr\.?\s+\w+|someone)(?:['’]ve|['’]d)?\s+(?:have\s+|has\s+|had\s+)?(?:already\s+|"
            r"also\s+|just\s+)?(?:called|phoned|texted|emailed|e-mailed|messaged|dm'?d|dmed|pm'?d|wrote\s+to|"
            r"mailed|reached\s+out\s+to|contacted|left\s+(?:you\s+)?(?:a\s+)?(?:voicemail|voice\s+mail|"
            r"message|note)|sent\s+(?:you\s+)?(?:a\s+|an\s+)?(?:(?:facebook|fb|instagram|ig|quick|"
            r"private|direct|short|brief|follow-?up)\s+)?(?:dm|direct\s+message|private\s+message|"
            r"message|email|e-mail|text|letter|note|voicemail|pm|inbox))\b(?:\s+(?:you|u))?|"
            r"\b(?:returned|answered)\s+(?:your|ur|all\s+(?:of\s+)?your)\s+(?:\w+\s+)?(?:calls?|"
            r"messages?|voicemails?|emails?|e-mails?|texts?)\b|"
            r"\b(?:dm|pm|message|email|e-mail|text|letter|voicemail)\s+(?:sent|is\s+on\s+(?:its|the)\s+"
            r"way|has\s+been\s+sent)\b|\b(?:left|sent)\s+(?:you\s+)?(?:two|three|several|a\s+few|"
            r"\d+|multiple)\s+(?:voicemails|messages|emails|texts)\b",
            "'{m}' reports contacting the reviewer outside this thread",
        ),
        (
            r"\b(?:check|see)\s+(?:your|ur)\s+(?:inbox|dms?|direct\s+messages|messages|email|e-mail|"
            r"emails|voicemail|voice\s+mail|mail|mailbox|texts|spam(?:\s+folder)?|phone|portal)\b|"
            r"\b(?:in|to)\s+(?:your|ur)\s+(?:inbox|dms|voicemail|mailbox)\b",
            "'{m}' says the practice sent the reviewer a private message",
        ),
    ),
)

_ASK = phrases(
    (
        (
            r"\b(?:send|shoot|drop)\s+(?:us|me)\s+(?:a\s+|an\s+)?(?:quick\s+)?(?:private\s+|direct\s+)?"
            r"(?:message|dm|pm|text)\b|\b(?:dm|pm|inbox|text|message)"
            r"\s+(?:us|me)\b|\b(?:private|direct)\s+messag(?:e|ing)\b|\bvia\s+(?:dm|pm|messenger|inbox|"
            r"direct\s+message|private\s+message|the\s+portal)\b|\b(?:slide|reach\s+out)\s+"
            r"(?:into|in)\s+(?:our|the)\s+dms\b",
            "'{m}' asks the reviewer to move the conversation to writing or private messages",
            "{phone}",
        ),
        (
            r"\b(?:send|give|share|provide|leave|post|dm|email|e-mail|text|forward|reply\s+(?:here\s+)?"
            r"with|respond\s+with)\s+(?:us|me)?\s*"
            r"(?:with\s+)?(?:your|ur|(?:the\s+)?patient['’]?s|the)\s+(?:full\s+)?(?:details|info|information|"
            r"contact\s+(?:info|information|details)|phone(?:\s+number)?|number|email|e-mail|name|"
            r"date\s+of\s+birth|dob|birthday|account(?:\s+number)?|address|chart\s+number|member\s+id)\b|"
            r"\b(?:email|e-mail|write\s+to|send\s+(?:it|them|this)\s+to)\s+[\w.+-]+@[\w.-]+\s+"
            r"(?:with|including|and\s+(?:include|give|send))\s+(?:your|ur|the\s+patient's)\s+"
            r"(?:full\s+)?(?:details|info|information|contact|phone|number|name|date\s+of\s+birth|"
            r"dob|birthday|account|address|chart|member\s+id|insurance|policy|claim)\b",
            "'{m}' asks the reviewer for personal details in writing",
        ),
        (
            r"\b(?:through|via|in|on|using)\s+(?:the|our|your)\s+(?:patient\s+)?portal\b|\bportal\s+"
            r"message\b|\bmessage\s+(?:you|u)\s+(?:through|via|on)\b",
            "'{m}' moves the conversation to the patient portal, which confirms an account",
        ),
    ),
)

# Writing to the office's public address is the reviewer's own choice, not outside contact; but an
# e-mail invites details in writing, so without a call invitation in the reply it is a warning.
_WRITE_TO_OFFICE = phrases(
    (
        (
            r"\b(?:send|shoot|drop)\s+(?:us|me)\s+(?:a\s+|an\s+)?(?:quick\s+)?(?:email|e-mail|note|"
            r"line)\b|\b(?:email|e-mail)\s+(?:us|me)\b|\bwrite\s+(?:to\s+)?(?:us|me)\b|"
            r"\b(?:contact|reach|write\s+to)\s+(?:us|me|our\s+\w+(?:\s+\w+)?)\s+(?:at|via|by)\s+"
            r"(?:email|e-mail|[\w.+-]+@)|\bvia\s+(?:email|e-mail)\b|"
            r"(?:^|[,;:]\s*|\b(?:or|and|please|just|you\s+can|you\s+may)\s+)(?:email|e-mail|"
            r"write\s+to)\s+(?:us\s+at\s+|our\s+\w+\s+at\s+)?(?=[\w.+-]+@[\w-]+\.)",
            "'{m}' invites the reviewer to write to the office: their choice, but an e-mail "
            "invites details in writing; an invitation to call is safer",
            "{phone}",
        ),
    ),
    low_confidence=True,
)


def writes_to_office(sentence: str) -> bool:
    """Return True when a sentence invites the reader to write to the office (and asks for no
    details): the reader's own choice, not outside contact."""
    return any(p.pattern.search(sentence) for p in _WRITE_TO_OFFICE) and not any(
        p.pattern.search(sentence) for p in _ASK
    )


#: The reader is invited to call or contact the office (their choice, not outside contact).
_INVITES_READER = re.compile(
    r"\b(?:(?:please|kindly|feel\s+free\s+to|you\s+(?:can|may|are\s+welcome\s+to)|do)\s+"
    r"(?:\w+\s+)?(?:call|phone|telephone|ring|contact|reach(?:\s+out)?(?:\s+to)?|give)\s+(?:us|me|our|my|the\s+"
    r"(?:office|clinic|practice|director|manager))|\bgive\s+(?:us|me|our\s+office|the\s+office|my\s+"
    r"office)\s+a\s+(?:phone\s+)?(?:call|ring)|\b(?:call|contact)\s+(?:us|me|our\s+\w+(?:\s+\w+)?)\s+"
    r"(?:directly\s+)?(?:at|on)\s+\(?\d|\bmention\s+(?:that\s+)?i\s+asked\s+you\s+to\s+"
    r"(?:call|contact)|(?:^|[.!?;:,]\s*|\b(?:please|and|or|just|then)\s+)(?:call|phone|reach)\s+"
    r"(?!you\b|u\b)(?:her|him|them|[a-z]+)\s+(?:directly\s+)?(?:at|on)\s+\(?\d|"
    r"(?<!vamos\sa\s)(?<!voy\sa\s)(?<!\b[tl]e\s)(?<!\bl[oa]\s)\bllam(?:e|en|ar|a)\s+"
    r"(?:directamente\s+)?(?:al\s+\(?\d|"
    r"a\s+(?:la|el|nuestr[oa])\s+(?:oficina|cl[ií]nica|gerente|coordinador[a]?|director[a]?|"
    r"recepci[oó]n)))",
    re.IGNORECASE,
)


def invites_reader(sentence: str) -> bool:
    """Return True when a sentence invites the reader to call or contact the office and
    promises, reports and asks for nothing private: the reader chooses to make contact."""
    if not _INVITES_READER.search(sentence):
        return False
    return not any(p.pattern.search(sentence) for p in (*_PROMISE, *_REPORT, *_ASK))


def _ask_private(ctx: LintContext) -> Iterator[Hit]:
    asks = list(_ASK_CHECK(ctx))
    yield from asks
    if _CALL.search(ctx.reply):
        return  # the reply offers the phone too: the e-mail is one more way, not the only one
    for hit in _WRITE_CHECK(ctx):
        s, e = ctx.sentence_at(hit.start)
        if not any(s <= a.start < e for a in asks):  # the ask in the sentence says it all
            yield hit


_ASK_CHECK = phrase_check(_ASK, suggestion=call_invitation)
_WRITE_CHECK = phrase_check(_WRITE_TO_OFFICE, suggestion=call_invitation)
_CALL = re.compile(
    r"\b(?:call|phone|telephone|ring|reach)\s+(?:us|our|the\s+office|me|the\s+practice|the\s+clinic|"
    r"\(?\d)|\bgive\s+(?:us|our\s+office|the\s+office)\s+a\s+(?:call|ring)\b|"
    r"\b(?:call|telephone)\b.{0,60}\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}",
    re.IGNORECASE,
)

RULES = (
    Rule(
        code="OC001",
        name="promises-contact",
        category=Category.OUTSIDE_CONTACT,
        severity=Severity.ERROR,
        summary="Promises to call, text, e-mail, DM or write to the reviewer.",
        rationale="Reaching out confirms the practice knows who the reviewer is and holds their "
        "details; invite them to call the office instead.",
        check=phrase_check(_PROMISE, suggestion=call_invitation),
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("[[We'll call you]] tomorrow to discuss."),
            Example("[[Our manager will reach out]] to you."),
            Example("[[Expect a call]] from our office."),
        ),
        good=(
            Example("Please call us at (555) 388-9100 so we can talk."),
            Example("We'd welcome a call at (555) 388-9100."),
        ),
    ),
    Rule(
        code="OC002",
        name="reports-contact",
        category=Category.OUTSIDE_CONTACT,
        severity=Severity.ERROR,
        summary="Says the practice called, texted, e-mailed, DMed or wrote to the reviewer.",
        rationale="Reporting contact confirms the reviewer is known to the practice.",
        check=phrase_check(_REPORT, suggestion=call_invitation),
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("[[We've sent you a DM]]."),
            Example("Please [[check your inbox]]."),
            Example("[[We tried to call]] you twice."),
        ),
        good=(Example("You can reach our office manager at (555) 388-9100."),),
    ),
    Rule(
        code="OC003",
        name="asks-private-contact",
        category=Category.OUTSIDE_CONTACT,
        severity=Severity.ERROR,
        summary="Asks the reviewer to send details in writing, DM, e-mail or the portal.",
        rationale="Written details invite more PHI into the thread; the office phone is the path.",
        check=_ask_private,
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("Please [[send us a private message]] with your details."),
            Example("We can [[message you through the]] portal."),
        ),
        good=(Example("Please call (555) 388-9100 and ask for our office manager."),),
    ),
)
