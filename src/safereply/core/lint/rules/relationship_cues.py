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

Session 7 adds shapes read from the spent third blind set: the practice's past act of care on a
determined thing ("the night guard we fitted"), time spent with the reader, the reader's things
sent on ("sent your refill to the pharmacy"); future care planned for the reader ("see you at 32
weeks", "we'll do a touch-up", "f/u in 2 wks"); results and recovery said bare ("the biopsy came
back benign", "glad the knee feels better", "how's the ankle?"); the record read out or a denial
drawn from it ("per our log", "no tenemos registro de usted", "the patient received"); and, in a
reply to a post about the poster's relative, that person's care in the third person ("she can be
anxious in the afternoons", "her new pill makes her dizzy").

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
    r"thats)\s+(?:literally\s+|exactly\s+|just\s+|really\s+)?what\s+we(?:'re|\s+are|re)\s+"
    r"(?:here|there)\s+for|(?:para\s+eso\s+estamos)|claro|a\s+la\s+orden|para\s+servirl[ea]s?|cuando\s+(?:quiera|gustes?)|con\s+mucho\s+gusto|un\s+placer)\b",
    re.IGNORECASE,
)
_POST_THANKS = re.compile(
    r"\b(?:thank|thanks|thx|thnx|ty|tysm|grateful|appreciate|gracias|agradezco|agradecida|"
    r"agradecido)\b",
    re.IGNORECASE,
)

#: Thanks for something the practice offers everyone ("thank u for being open on a Sunday",
#: "thanks for the tips", "gracias por la información"): accepting it confirms no care.
_POST_THANKS_GENERAL = re.compile(
    r"\b(?:thank\w*|thx|ty|gracias)\s+(?:(?:u|you|so|much|all|again|guys|y'all)\s+)*(?:for|por)\s+"
    r"(?:being\s+open|opening|staying\s+open|estar\s+abiert[oa]s|abrir|answering|responding|"
    r"replying|hosting|sponsoring|posting|sharing\s+(?:this|the)|(?:the|your|this|that|la|el|"
    r"los|las)\s+(?:quick\s+|fast\s+|great\s+|helpful\s+|free\s+)?(?:info|information|"
    r"informaci[oó]n|tips?|consejos?|update|reply|response|respuesta|answer|class|clase|workshop|"
    r"taller|seminar|webinar|event|evento|fair|feria|talk|charla|heads[\s-]*up|post|article|"
    r"video|giveaway|hours|horario|reminder|recordatorio))\b",
    re.IGNORECASE,
)
#: The poster speaking of themselves or their own: then the thanks may be for their care.
_POST_FIRST_PERSON = re.compile(
    r"\b(?:i|i'm|im|i've|i'd|me|my|mine|we|we're|we've|our|us|mi|mis|mí|yo|nosotros|nuestr[oa]s?)\b",
    re.IGNORECASE,
)


def _thanks_for_care(post: str) -> bool:
    """Return True when the post thanks the practice for something that may be care: not for
    being open or for information offered to everyone, by a poster who says nothing of
    themselves."""
    if not _POST_THANKS.search(post):
        return False
    return not (_POST_THANKS_GENERAL.search(post) and not _POST_FIRST_PERSON.search(post))


#: A generic person as the subject: "cualquier persona puede pedir copia de su expediente".
_GENERIC_SUBJECT = re.compile(
    r"\b(?:cualquier\w*(?:\s+persona)?|tod[oa]s?\s+(?:(?:los|las|el|la)\s+)?(?:pacientes?|"
    r"personas?|mundo)|cada\s+(?:paciente|persona)|quien(?:es)?|anyone|everyone|any\s+patient|"
    r"every\s+patient)\s+(?:\w+\s+){0,2}?(?:puede|pueden|debe|deben|tiene|tienen|pide|piden|"
    r"solicita|solicitan|can|may|must|should)\b",
    re.IGNORECASE,
)
#: Care promised with any of the practice's people: "en buenas manos con cualquiera de nuestros
#: dentistas", "in good hands with any of our doctors".
_ANY_OF_OUR = re.compile(
    r"\b(?:cualquiera\s+de\s+nuestr[oa]s|any\s+(?:one\s+)?of\s+our|any\s+of\s+the)\b",
    re.IGNORECASE,
)

#: "she's going to love it", "he'll be so happy": a feeling, said of staff named just before
#: in the sentence ("we passed your note to Dra. Cantú, she's going to love it").
_STAFF_FEELS = re.compile(
    r"(?:she|he)(?:'s|’s|\s+is|\s+will\s+be|'ll\s+be)\s+(?:going\s+to\s+(?:love|be)\s+|gonna\s+"
    r"(?:love|be)\s+)?(?:so\s+|very\s+)?(?:love|it|this|happy|thrilled|glad|touched|delighted|"
    r"blushing)\b",
    re.IGNORECASE,
)
_STAFF_TITLED = re.compile(
    r"\b(?:dr|dra|doctor|doctora|nurse|enfermera)\.?\s+(?-i:[A-ZÁÉÍÓÚÑ])", re.IGNORECASE
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

#: Session 7 (families read from the spent third blind set; each has a compliant look-alike in
#: ``tests/core/lint/test_relationship_s7.py``).
_CARE_PAST = (
    r"(?:placed|recommended|prescribed|provided|fitted|ordered|removed|dispensed|performed|"
    r"injected|adjusted|put\s+in|took\s+out|started\s+you\s+on)"
)
_CUES_S7 = phrases(
    (
        (
            # the practice's past act of care on a determined thing: "the space maintainer we
            # placed", "the ibuprofen schedule Dr. Lin recommended"
            r"\b(?=[tdwishfmcer])(?:\b(?:the|that|this|those|these)\s+(?:[\w-]+\s+){0,2}?(?:that\s+|"
            r"which\s+)?(?:we|i|"
            r"(?-i:Dr\.?\s+[A-Z][\w'-]*)|the\s+doctor|your\s+(?:doctor|surgeon|provider|dentist))"
            rf"\s+(?:already\s+|just\s+)?{_CARE_PAST}\b|"
            # time spent with the reader: "I spent 25 min with you", "Dr. X spent 45 minutes in
            # consultation"
            r"\b(?:we|i|(?-i:Dr\.?\s+[A-Z][\w'-]*)|the\s+doctor|(?:s?he))\s+spent\s+(?:over\s+|more\s+"
            r"than\s+|about\s+|almost\s+|nearly\s+|a\s+full\s+)?(?:\d+|an?|half\s+an|\w+)\s+(?:min|mins|"
            r"minutes?|hours?|hrs?)\s+(?:with\s+(?:you|u|him|her|them)|in\s+(?:consultation|the\s+"
            r"(?:room|exam|chair))|explaining|going\s+over|reviewing)\b|"
            # sending the reader's own things: "Sent your EpiPen to CVS", "we faxed your forms"
            r"(?:(?<!.)|(?<=[.!?]\s)|\b(?:we|i)\s+(?:already\s+|just\s+)?)(?:sent|faxed|mailed|called\s+"
            r"in|e-?prescribed|submitted|refilled|renewed)\s+(?:your|ur)\s+(?!(?:feedback|review|"
            r"comments?|message|kind\s+words|note|concerns?|suggestions?)\b)[\w-]+)",
            "'{m}' says the practice cared for or acted on the reviewer: it confirms they are a "
            "patient",
        ),
        (
            # future care of the reader: "I'll see you at 28 weeks", "we'll do a touch-up",
            # "f/u in 1 mo", "can't wait to meet the new little one"
            r"\b(?=[swifrlc])(?:\bsee\s+(?:you|u|ya)\s+(?:at|in)\s+(?:\d+|one|two|three|four|six)\s+"
            r"(?:weeks?|wks?|months?|mos?)\b|"
            r"(?<!\bif\s)(?<!\bcall\s)\b(?:we'll|i'll|we\s+will|i\s+will|we\s+can|i\s+can)\s+(?:do|"
            r"schedule|book|set\s+up|get\s+you\s+in\s+for)\s+(?:a|your|ur|the)\s+(?:quick\s+|free\s+)?"
            r"(?:touch-?up|re-?program(?:ming)?|re-?check|re-?fit|redo|re-?treat(?:ment)?|"
            r"adjustment|revision)\b|"
            r"\b(?:f/u|fu)\s+(?:in\s+\d+|on\s+\w+|mon|tue|tues|wed|thu|thurs|fri|sat|next)\b|"
            r"\b(?:results|labs)\s+f/u\b|"
            r"\b(?:can't|cannot|can\s+not|cant)\s+wait\s+to\s+(?:meet|see)\s+(?:the|your|ur)\s+"
            r"(?:new\s+)?(?:little\s+one|baby|babe|newborn|bundle)\b)",
            "'{m}' plans the reviewer's own care: it confirms they are a patient",
        ),
        (
            # the reader's results or state said bare: "Pathology came back benign", "glad the
            # toe feels better", "How's the diabetic foot ulcer?"
            r"\b(?=[abceghlmoprstux])(?:\b(?:pathology|biopsy|results?|labs?|scan|x-?rays?|mri|ct|"
            r"audiogram|culture|swab|"
            r"test|bloodwork|ultrasound|mammogram)\s+(?:came\s+back|showed|shows|was|were)\s+"
            r"(?:all\s+)?(?:benign|negative|normal|clear|positive|fine|mild|moderate|abnormal)\b|"
            r"\b(?:glad|happy|good\s+to\s+hear)\s+(?:that\s+)?(?:the|that|your|ur)\s+(?!(?:new\s+)?"
            r"(?:parking|hours|website|site|portal|location|office|waiting|app|system|tent|event|"
            r"class|team|staff|weather)\b)[\w-]+\s+(?:feels|is\s+feeling|is\s+healing|healed|is\s+"
            r"doing|looks)\s+(?:so\s+|much\s+)?(?:better|good|great|well|normal|healed)\b|"
            r"\bhow(?:'s|’s|\s+is)\s+(?:the|that|your|ur)\s+(?:[\w-]+\s+){0,2}?(?:ulcer|wound|knee|"
            r"back|shoulder|hip|ankle|wrist|tooth|toe|foot|rash|incision|scar|stitches|cast|splint|"
            r"implant|crown|filling|eye|ear|hearing\s+aid|leg|arm|neck|recovery|healing)\b|"
            r"\b(?:espero|esperamos|ojalá|ojala)\s+que\s+(?:ya\s+)?(?:siga|se\s+sienta|se\s+mejore|"
            r"est[eé]|se\s+recupere|sigas|te\s+sientas)\s+(?:muy\s+)?(?:mejor|recuper\w+|bien\s+de)\b)",
            "'{m}' speaks of the reviewer's own results or recovery: it confirms they are a "
            "patient",
        ),
        (
            # the record read out, or a denial drawn from it: "per our log", "no tenemos registro
            # de usted", "nunca ha sido paciente", "the patient received ...", "Pt was seen 3x"
            r"\b(?=[pnt])(?:\bper\s+(?:our|the)\s+(?:log|logs|records?|chart|notes|system|sign-?in\s+"
            r"sheet)\b|"
            r"\bno\s+(?:tenemos|hay|encontramos|existe)\s+(?:ningún\s+|ningun\s+)?(?:registro|"
            r"expediente)\s+de\s+(?:usted|él|ella|esa\s+persona|su)\b|"
            r"\b(?:nunca|no)\s+ha\s+sido\s+(?:paciente|atendid[oa])\b|"
            r"(?:^|(?<=[.!?]\s))(?:the\s+patient|(?-i:Pt|pt))\s+(?:was|is|has|had|received|got|"
            r"came|did|didn't|missed|declined|refused)\b)",
            "'{m}' reads out the reviewer's own record: it confirms (or denies) they are a patient",
        ),
        (
            r"\bya\s+(?:le|te|les|se\s+lo|se\s+la)\s+(?:mandamos|enviamos|explicamos|dijimos|"
            r"mand[ée]|envi[ée]|renovamos|surtimos)\b|\bse\s+l[oa]\s+(?:explicamos|dijimos|"
            r"expliqu[ée])\s+(?:cuando|el\s+día|en\s+su|en\s+la)\b|\bfue\s+un\s+(?:gusto|placer)\s+"
            r"(?:tenerl[oa]s?|atenderl[oa]s?|verl[oa]s?|tenerte|atenderte|verte)\b|\bfuimos\s+"
            r"(?:rápidos|rapidos|lentos)\b",
            "'{m}' says the practice cared for or acted on the reviewer (Spanish): it confirms "
            "they are a patient",
        ),
    ),
)

#: A post about the poster's relative ("my mom", "mi hija"); a reply that answers it with that
#: person's care in the third person confirms the relative is a patient.
_POST_RELATIVE = re.compile(
    r"\b(?=[mgd])(?:\b(?:my|mi|mis)\s+(?:\w+\s+)?(?:mom|mother|mum|dad|father|son|daughter|kid|kids|child|"
    r"children|husband|wife|grandma|grandmother|grandpa|grandfather|grandson|granddaughter|"
    r"baby|brother|sister|aunt|uncle|mamá|mama|madre|papá|papa|padre|hij[oa]s?|esposo|esposa|"
    r"abuel[oa]|niñ[oa]|beb[ée])\b|\b(?:grandma|grandpa|mom|dad)\b)",
    re.IGNORECASE,
)
_THIRD_PERSON_CARE = re.compile(
    r"(?:^|(?<=[.!?,;:]\s)|(?<=[.!?]\s\s)|(?<=\bbut\s)|(?<=\bpero\s)|(?<=\band\s))(?:(?:she|he)(?:'s|’s|\s+is|\s+was|\s+has|\s+had|\s+can\s+be|"
    r"\s+gets|\s+got|\s+received|\s+needs|\s+needed|\s+takes|\s+took|\s+refused|\s+declined)\s+"
    r"(?!(?:a|an|the|our|such|one|so|very|always|been\s+with|(?:more\s+than\s+|always\s+|"
    r"very\s+)?(?:welcome|free|invited|encouraged)\s+to|(?:taking|accepting|seeing)\s+new)\b)\w+|"
    r"(?:her|his)\s+(?!(?:team|colleagues|coworkers|staff)\b)[\w-]+(?:\s+[\w-]+){0,3}?\s+(?:is|was|"
    r"makes|made|has|had|needs|keeps)\b|"
    r"your\s+(?:grandmother|grandfather|mother|father|mom|dad|son|daughter|husband|wife|child|"
    r"grandma|grandpa)\s+(?:has|had|is|was|did|got|received|needs|needed)\s+(?:\w+\s+)?(?:been|"
    r"some|a|an|her|his|no|not|doing|having|on|adjusting)\b|"
    r"(?:staff|we|i|the\s+aides?|the\s+nurses?)\s+found\s+(?:it|them|\w+)\s+in\s+(?:her|his)\b|"
    r"\b(?:la|el)\s+(?:niña|niño|nena|nene|paciente)\s+(?:estuvo|estaba|está|tiene|tuvo|no\s+ha)\b|"
    r"\b(?:su|tu)\s+(?:esposo|esposa|mamá|papá|hij[oa]|madre|padre|abuel[oa])\s+(?:no\s+)?(?:ha|"
    r"estuvo|está|tiene|tuvo|vino)\b)",
    re.IGNORECASE | re.MULTILINE,
)


#: Spanish visit words with a possessive ("hasta su cita"), unless the words book one.
_SU_VISIT = re.compile(
    r"\b(?:su|sus|tu|tus)\s+(?:(?:primera|próxima|proxima|última|ultima|siguiente)\s+)?"
    r"(?:cita|citas|visita|consulta|limpieza|expediente|historial|radiografías|radiografias|"
    r"receta|procedimiento|cirugía|cirugia|resultados?)\b",
    re.IGNORECASE,
)
_FREE_OFFER = re.compile(r"\s+(?:gratis|gratuita|sin\s+costo|free)\b", re.IGNORECASE)
_BOOKING = re.compile(
    r"\b(?:pida|pedir|hacer|haga|agendar|agende|programar|programe|reservar|reserve|sacar|saque|"
    r"cambiar|cambie|confirmar|confirme|para|pa['’]|paciente|book|schedule)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _check(ctx: LintContext) -> Iterator[Hit]:
    """Yield PR004's hits: accepted thanks, acts on the reader, recovery, records, Spanish."""
    m = _ACCEPT.search(ctx.reply)
    if m and ctx.post and _thanks_for_care(ctx.post):
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
    yield from _S7_CHECK(ctx)
    if ctx.post and _POST_RELATIVE.search(ctx.post):
        for m in _THIRD_PERSON_CARE.finditer(ctx.reply):
            s, e = ctx.sentence_at(m.start())
            if _ANY_OF_OUR.search(ctx.reply, s, e):
                continue  # care promised with any of the practice's people, to come
            # the window, not the sentence: "Dra." would end a sentence before the name
            if _STAFF_FEELS.match(ctx.reply, m.start()) and _STAFF_TITLED.search(
                ctx.reply, max(0, m.start() - 40), m.start()
            ):
                continue  # "we'll pass it to Dr. Ruiz, she's going to love it": staff's joy
            yield Hit(
                m.start(),
                m.end(),
                f"'{m.group()}' speaks of the care of the person the post is about: it confirms "
                "they are a patient",
                None,
                False,
            )
    for m in _SU_VISIT.finditer(ctx.reply):
        s, _ = ctx.sentence_at(m.start())
        before = ctx.reply[s : m.start()]
        if _BOOKING.search(before) or _GENERIC_SUBJECT.search(before):
            continue
        if _FREE_OFFER.match(ctx.reply, m.end()):
            continue  # "tu consulta gratis": an offer of a first visit, not the reader's own
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
_S7_CHECK = phrase_check(_CUES_S7)

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
