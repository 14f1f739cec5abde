"""PR004: confirmations of care read from the shape of a sentence, not from visit words.

The phrase rules of ``relationship.py`` know wordings ("your visit", "we saw you"); replies in
real voices confirm care without them. This rule reads five structures instead:

- accepting thanks ("Anytime!", "Of course!", "np!", "¡Claro!", "that's what we're here for")
  at the opening of a reply to a post that thanks the practice;
- the practice acting on the reader in the past: a first person (or the doctor) as subject, a
  past-tense act of care or of the front desk, and "you" as its object ("the cream I gave you",
  "we already moved you", "I have referred you", "le recetó", "te apartamos");
- hope or joy about a determined body part, device or treatment being in a state of recovery
  ("hope that knee is healing well", "hope the CPAP is helping", "enjoy the new bridge");
- the reader's record read out in the second person ("you cancelled at 8:45", "you were 25
  minutes late", "you have 4 payments left", "usted vino", "sus hijos son pacientes");
- Spanish visit words with a possessive ("hasta su cita", "su experiencia en nuestra clínica",
  "bienvenida de nuevo") that are not an invitation to book one ("llame para hacer su cita").

Each finding names the words that drove it. Compliant look-alikes that must pass (tests in
``tests/core/lint/test_relationship_cues.py``): the same openers answering a question, policy in
the second person ("if you cancel ..."), hope about the practice's own things ("hope the new
parking lot helps"), greetings passed on to staff, and invitations to book.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import phrase_check, phrases
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, Severity

#: Openers that accept thanks. Only a confirmation when the post thanks the practice.
_ACCEPT = re.compile(
    r"^\W*(?:any\s*time|of\s+course|ofc|np|no\s+problem|no\s+prob|glad\s+(?:to|we\s+could|i\s+"
    r"could)\s+help|glad\s+(?:it|that|this)\s+helped|happy\s+to\s+help|(?:that's|that\s+is|"
    r"thats)\s+what\s+we(?:'re|\s+are|re)\s+(?:here|there)\s+for|(?:para\s+eso\s+estamos)|claro|"
    r"a\s+la\s+orden|cuando\s+(?:quiera|gustes?)|con\s+mucho\s+gusto|un\s+placer)\b",
    re.IGNORECASE,
)
_POST_THANKS = re.compile(
    r"\b(?:thank|thanks|thx|thnx|ty|tysm|grateful|appreciate|gracias|agradezco|agradecida|"
    r"agradecido)\b",
    re.IGNORECASE,
)

_SUBJECT = (
    r"(?:we|i|we've|i've|we\s+have|i\s+have|we\s+had|dr\.?\s+[A-Z][\w'-]*|the\s+doctor|she|he)"
)
_ACTS = (
    r"(?:prescribed|referred|gave|handed|moved|cancell?ed|rescheduled|warned|fitted|numbed|"
    r"injected|discharged|billed|charged|already\s+moved|already\s+move)"
)
_CUES = phrases(
    (
        (
            r"^\W*told\s+(?:you|u|ya)\b|\b(?=[abcdeghiklmopqrstw'])(?:"
            rf"\b{_SUBJECT}\s+(?:already\s+|also\s+|just\s+|personally\s+)?{_ACTS}\s+(?:you|u)\b"
            rf"(?!\s+(?:a\s+)?(?:wrong\s+impression|the\s+wrong\s+impression|the\s+runaround))|"
            r"\b(?:cream|serum|gel|drops|ointment|spray|medicine|medication|pills?|brace|splint|boot|"
            r"instructions|sheet|handout|kit|retainer|guard|plan|estimate|quote|prescription|rx)\s+"
            r"(?:that\s+)?(?:we|i|dr\.?\s+[A-Z][\w'-]*|the\s+doctor)\s+(?:gave|prescribed|handed|"
            r"sent|fitted|made|ordered)\s+(?:you|u)\b|"
            r"\b(?:we|i)\s+(?:got|had)\s+(?:it|that|this|them|everything)\s+(?:\w+\s+){0,1}?"
            r"(?:cancell?ed|moved|fixed|sorted|sent|rescheduled|approved)\s+for\s+(?:you|u)\b|"
            r"\b(?:we|i)(?:'ll|\s+will)\s+(?:touch|fix|redo|re-?do|adjust|refit)\s+(?:you|u|it|that)\s+"
            r"(?:up\s+)?(?:for\s+)?free\b|"
            r"\b(?:as\s+we|like\s+we|as\s+i|like\s+i)\s+(?:discussed|talked\s+about|mentioned|explained|"
            r"told\s+you|said)\b(?!\s+(?:in|on)\s+(?:my|our|the)\s+(?:\w+\s+)?(?:response|reply|"
            r"post|comment|answer|statement))|"
            rf"\b{_SUBJECT}\s+(?:already\s+|also\s+|just\s+)?(?:offered|showed|spoke\s+(?:with|to)|"
            r"talked\s+(?:with|to)|examined|checked)\s+(?:you|u|your|ur)\b|"
            r"\b(?:we|i)\s+sent\s+(?:you|u)\s+home\s+with\b|\b(?:the\s+\w+\s+)?(?:we|i)\s+showed\s+"
            r"(?:you|u)\b|\bget\s+(?:you|u)\s+seen\b|"
            r"\b(?:will|'ll)\s+take\s+(?:\w+\s+){0,2}care\s+of\s+(?:you|u)\s+(?:at|on|tomorrow|today|"
            r"tonight|this|next|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
            r"\b(?:dr\.?\s+[A-Z][\w'-]*|the\s+doctor|el\s+dr\.?\s+\w+|la\s+dra\.?\s+\w+|la\s+doctora|"
            r"el\s+doctor)\s+(?:says|said|dice|dijo)\s+(?!(?:thank|thanks|hi|hello|gracias|hola)\b)"
            r"(?:to\s+|que\s+)?(?:rest|keep|take|stop|start|come|wear|use|continue|avoid|no|you|u|your|"
            r"ur|siga|tome|use|puede|ya|su|usted|venga|regrese|descanse|[A-Z]\w+\s+ya)\b)",
            "'{m}' says the practice cared for or acted on the reviewer: it confirms they are a "
            "patient",
        ),
        (
            r"\b(?:le|te|les)\s+(?:recet(?:ó|amos|é)|dimos|di|dio|apart(?:é|amos|ó)|cambi(?:é|ó)|"
            r"pusimos|hicimos|hizo|atend(?:í|imos|ió)|vimos|quitamos|refer(?:í|imos|ió))\b",
            "'{m}' says the practice cared for or acted on the reviewer (Spanish): it confirms "
            "they are a patient",
        ),
        (
            r"\b(?=[deghlpstvwy])(?:"
            r"\bhop(?:e|ing)\s+(?:that\s+|the\s+)?(?:the|that|this|those|your|ur|his|her|(?-i:[A-Z])"
            r"[\w]+['’]s)\s+(?!(?:new\s+)?(?:parking|hours|website|site|portal|location|office|"
            r"waiting|app|system|phones?|line|schedule|changes?|updates?|tips?|info|information|"
            r"article|team|staff|weather|holidays?|weekend|day|week|year)\b)(?:[\w'’-]+\s+){0,2}?"
            r"(?:is\s+|are\s+|'s\s+|’s\s+|has\s+|have\s+)?(?:still\s+|now\s+|all\s+|feeling\s+)?"
            r"(?:healing|mending|helping|holding\s+up|recovering|gone\s+down|going\s+down|settling|"
            r"settled|improving|better|clearing\s+up|fading|doing\s+(?:well|better|ok|okay))\b|"
            r"\bhop(?:e|ing)\s+(?:that\s+)?(?:the|that|this|your|ur)\s+(?:[\w'’-]+\s+){0,2}?(?:clears?\s+"
            r"up|heals?|settles?\s+down|goes\s+away|calms?\s+down)\b|"
            r"\b(?:wish|wishing)\s+(?:you|u)\s+(?:a\s+)?(?:[\w-]+\s+)?(?:recovery|healing)\b|"
            r"\b(?:so\s+|very\s+|super\s+)?proud\s+of\s+(?:you|u|ya)\b|\blook\s+at\s+(?:you|u)\s+go\b|"
            r"\byou(?:'ve|\s+have)\s+done\s+(?:so\s+)?(?:amazing|great|amazingly|so\s+well|well)\s+with\b|"
            r"\b(?:thanks|thank\s+you)\s+for\s+keeping\s+up\s+with\b|\bglad\s+(?:you|u)\s+came\b|"
            r"\b(?:don't|do\s+not)\s+forget\s+(?:the|your|ur)\s+(?:follow-?up|check-?up|appointment|"
            r"appt|recall|cleaning)\b|"
            r"\benjoy\s+(?:that|the|those|these)\s+(?:new|shiny\s+new)\s+(?!(?:waiting|parking|office|"
            r"location|website|site|portal|app|hours|space|building|lobby|look)\b)[\w-]+|"
            r"\b(?:happy|glad|thrilled|so\s+happy)\s+to\s+hear\s+(?:that\s+)?(?:the\s+)?(?:baby|"
            r"(?-i:[A-Z])\w+)\s+is\s+(?:now\s+)?[\w-]+)",
            "'{m}' speaks of the reviewer's own recovery or treatment: it confirms they are a "
            "patient",
        ),
        (
            r"(?<!\bif\s)(?<!\bwhen\s)\b(?:you|u)\s+(?:cancell?ed|no-?showed|showed\s+up|arrived|"
            r"were\s+(?:\d+|twenty|thirty|fifteen|ten|forty)\s+min(?:ute)?s?\s+late|stopped\s+(?:at|"
            r"taking|the|after)|skipped\s+(?:every|the|your|all)|have\s+been\s+on\s+(?:it|this|that|"
            r"\w+)\s+since|have\s+(?:\d+|one|two|three|four|five|no)\s+(?:more\s+)?(?:payments?|"
            r"visits?|sessions?|refills?|treatments?)\s+(?:left|remaining))\b|"
            r"\byours\s+(?:was|is|were)\s+(?:due|overdue|scheduled|booked|sent|ready)\b|"
            r"\b(?:usted|tú|tu\s+hij[oa]|su\s+hij[oa]|sus\s+hijos)\s+(?:vino|llegó|canceló|faltó|"
            r"(?:sí\s+|no\s+)?(?:es|son|era|eran)\s+(?:paciente|pacientes))\b|"
            r"\b(?:usted\s+)?no\s+aparece\s+como\s+paciente\b",
            "'{m}' reads out the reviewer's own record: it confirms (or denies) they are a patient",
        ),
        (
            r"\bbienvenid[oa]s?\s+de\s+nuevo\b|\b(?:su|sus|tu|tus)\s+experiencia\s+(?:en|con)\s+"
            r"(?:nuestr[oa]s?|el\s+dr|la\s+dra|la\s+cl[ií]nica|el\s+consultorio)\b|"
            r"\b(?:confiarnos|confiar\s+en\s+nosotros\s+para)\s+(?:la\s+salud\s+de\s+)?(?:su|sus|tu|"
            r"tus)\b|\bgracias\s+por\s+(?:elegirnos|escogernos|preferirnos|su\s+preferencia)\b",
            "'{m}' confirms the reviewer had care here (Spanish)",
        ),
    ),
)

#: Spanish visit words with a possessive ("hasta su cita"), unless the words book one.
_SU_VISIT = re.compile(
    r"\b(?:su|sus|tu|tus)\s+(?:(?:primera|próxima|proxima|última|ultima|siguiente)\s+)?"
    r"(?:cita|citas|visita|consulta|limpieza|expediente|historial|radiografías|radiografias|"
    r"receta|procedimiento|cirugía|cirugia|resultados?)\b",
    re.IGNORECASE,
)
_BOOKING = re.compile(
    r"\b(?:pida|pedir|hacer|haga|agendar|agende|programar|programe|reservar|reserve|sacar|saque|"
    r"cambiar|cambie|confirmar|confirme|para|paciente|book|schedule)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _check(ctx: LintContext) -> Iterator[Hit]:
    """Yield PR004's hits: accepted thanks, acts on the reader, recovery, records, Spanish."""
    m = _ACCEPT.search(ctx.reply)
    if m and ctx.post and _POST_THANKS.search(ctx.post):
        start = m.start() + len(m.group()) - len(m.group().lstrip(" \t\n¡!¿?*~-:"))
        text = ctx.reply[start : m.end()]
        yield Hit(
            start,
            m.end(),
            f"'{text}' accepts the reviewer's thanks for their care: it confirms they are a "
            "patient",
            None,
            False,
        )
    yield from _CUE_CHECK(ctx)
    for m in _SU_VISIT.finditer(ctx.reply):
        s, _ = ctx.sentence_at(m.start())
        if _BOOKING.search(ctx.reply[s : m.start()]):
            continue
        yield Hit(
            m.start(),
            m.end(),
            f"'{m.group()}' speaks of the reviewer's own visit or record (Spanish): it confirms "
            "they are a patient",
            None,
            False,
        )


_CUE_CHECK = phrase_check(_CUES)

RULES = (
    Rule(
        code="PR004",
        name="care-in-plain-words",
        category=Category.PATIENT_RELATIONSHIP,
        severity=Severity.ERROR,
        summary="Confirms care without visit words: accepting thanks, the practice acting on "
        "'you', hope about a healing body part, the reader's record read out, Spanish visit words.",
        rationale="Confirming that someone is a patient is itself a disclosure of PHI, whatever "
        "the words.",
        check=_check,
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("[[Anytime]]! Take care.", post="Thank you for fitting my son in today!"),
            Example("Thank you! Hope [[that knee is healing]] well."),
            Example("Sorry! [[We already moved you]] to Friday."),
            Example("Redness is normal; use the [[cream I gave you]]."),
            Example("Our policy is 15 minutes and [[you were 25 minutes late]]."),
            Example("Gracias. Ponga hielo hasta [[su cita]]."),
        ),
        good=(
            Example("Of course! We're open Saturdays 9-1.", post="Are you open on Saturdays?"),
            Example("We hope the new parking lot is helping everyone!"),
            Example("If you cancel within 24 hours, there is no fee."),
            Example("Llame al (555) 388-9100 para hacer su cita."),
        ),
    ),
)
