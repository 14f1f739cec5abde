"""Medical-advice rule: individual clinical advice or reassurance given in public.

Advice in a public reply implies knowledge of the reviewer's case and may be wrong for them; the
reply invites them to call so a clinician can help privately.
"""

from __future__ import annotations

import re

from safereply.core.lint.rules._util import call_invitation, phrase_check, phrases
from safereply.core.lint.types import Example, FixSafety, Rule
from safereply.core.vocab import Category, Severity

_REMEDY = (
    r"(?:ibuprofen|advil|motrin|tylenol|acetaminophen|aspirin|aleve|naproxen|benadryl|antibiotics?|"
    r"amoxicillin|penicillin|medications?|meds|painkillers?|pain\s+(?:relievers?|medicine|meds|"
    r"medication)|pills?|tablets?|doses?|dosage|\d+\s?mg|ice(?:\s+pack)?|heat(?:ing\s+pad)?|"
    r"warm\s+(?:salt\s*)?water|salt\s*water|saline|(?:cold|warm)\s+compress(?:es)?|compress(?:es)?|"
    r"floss(?:ing)?|mouthwash|rinse|rinsing|gauze|soft\s+foods?|straws?|chewing|hot\s+(?:drinks|"
    r"liquids|foods)|spicy\s+foods|elevat(?:e|es|ed|ing|ion)\b|fluids|hydrat\w+|orajel|clove\s+oil|cream|ointment|"
    r"drops|inhaler|retainer|night\s+guard|brace|splint|crutches|exercises?|stretch(?:es|ing)?|"
    r"sensodyne|toothpaste|deep\s+breathing|breathing\s+exercises|log|diary|looked\s+at|checked(?:\s+out)?|"
    r"seen\s+by\s+a|dermatologist|specialist|rest|ice|heat|antacids?|probiotics?|vitamins?|"
    r"supplements?|water|humidifier|steam|tea|honey|gargle|ginger)"
)

_ADVICE = phrases(
    (
        (
            r"(?:\b(?:you\s+(?:should|need\s+to|must|may\s+want\s+to|might\s+want\s+to|can\s+try|"
            r"could\s+try|(?:can|may|could)\s+(?:take|use|apply|skip|double|stop|start|increase))|we\s+(?:recommend|suggest|advise|would\s+recommend|'d\s+recommend|'d\s+"
            r"suggest|would\s+suggest)(?:\s+that)?(?:\s+you)?|(?:i|dr\.?\s+\w+)\s+(?:recommends?|"
            r"suggests?|advises?)|we(?:'d|\s+would)\s+(?:recommend|suggest|advise))|"
            r"(?:^|(?<=[.!?,;:])|(?<=\band)|(?<=\bjust)|(?<=\bplease)|(?<=\bthen)|(?<=\balso))\s*"
            r"(?:try|take|keep\s+taking|"
            r"stop\s+taking|continue\s+(?:to\s+take|taking|using)|start\s+taking|use|apply|avoid|"
            r"make\s+sure\s+(?:to|you)|be\s+sure\s+to|don't\s+forget\s+to|remember\s+to|stick\s+to|"
            r"switch\s+to|gently|alternate|alternating|rinse|gargle|brush|floss|elevate|keep\s+"
            r"(?:wearing|using|pushing|doing|icing)|have\s+you\s+tried))\b"
            rf"(?:\s+[\w'-]+){{0,6}}?\s+{_REMEDY}\b",
            "'{m}' gives individual clinical advice in public",
        ),
        (
            r"\b(?:(?:that|this|some|the|any|mild|a\s+little|a\s+bit\s+of|slight)\s+(?:pain|swelling|"
            r"bleeding|sensitivity|soreness|discomfort|bruising|numbness|tenderness|ache|aching|redness|"
            r"drainage|throbbing|stiffness|tightness)\s+(?:is|are|can\s+be)\s+(?:completely\s+|"
            r"totally\s+|perfectly\s+|very\s+)?(?:normal|common|expected|typical|to\s+be\s+expected|"
            r"nothing\s+to\s+worry\s+about|part\s+of\s+(?:the\s+)?(?:healing|recovery|process)|fine|"
            r"harmless)|(?:should|will|usually|typically)\s+(?:go\s+away|resolve|subside|heal|settle"
            r"(?:\s+down)?|improve|disappear|get\s+better|fade|wear\s+off)\b(?:\s+(?:in|within|after|on"
            r"\s+its\s+own|by\s+itself|soon|shortly|with\s+time))?|nothing\s+to\s+worry\s+about|no\s+"
            r"need\s+to\s+(?:worry|be\s+concerned)|(?:it's|it\s+is)\s+(?:perfectly\s+|completely\s+)?"
            r"(?:normal|common)\s+(?:to\s+(?:feel|have|experience|notice|see)|after)|(?:you|it)\s+(?:don't|doesn't|do\s+not|does\s+not)"
            r"\s+need\s+(?:a|an|another|to\s+(?:see|come|worry|take))|you(?:'ll|\s+will)\s+be\s+"
            r"(?:fine|ok|okay|good\s+as\s+new)|(?:your|the)\s+(?:tooth|teeth|gums?|jaw|mouth|knee|back|"
            r"wound|incision|site|socket|skin|eye)\s+(?:will|should)\s+(?:heal|be\s+fine|feel\s+better|"
            r"settle))",
            "'{m}' reassures the reviewer about their health in public",
        ),
        (
            r"\b(?:(?:that|this|some|the|any|mild|a\s+little|slight)\s+(?:kind|sort|type|amount|bit)\s+"
            r"of\s+\w+\s+(?:is|are)\s+(?:completely\s+|totally\s+|perfectly\s+|very\s+)?(?:normal|"
            r"common|expected|typical|fine|harmless))|\bnothing\s+serious\b|\b(?:it's|it\s+is)\s+safe\s+"
            r"to\b|\b(?:you're|you\s+are)\s+(?:fine|ok|okay|safe|cleared|good)\s+to\b|\bno\s+need\s+to\s+"
            r"come\s+in\b|\b(?:isn't|is\s+not|aren't|are\s+not)\s+(?:necessary|needed|required)\b|"
            r"\b(?:doesn't|does\s+not|don't|do\s+not)\s+need\s+(?:a|an|another|any)\b|"
            r"\bshould\s+take\s+care\s+of\s+it\b|\bwill\s+(?:clear\s+up|pass|stop|go\s+down|resolve)\b"
            r"(?!\s+(?:them|it|this|that|those|your|our|along|on|the|by|any|all))|"
            r"\bshould\s+(?:break|pass|clear(?:\s+up)?|stop|wear\s+off|go\s+down)\b|"
            r"\b(?:is|are)\s+(?:just|probably|likely|most\s+likely)\s+(?:from|due\s+to|caused\s+by|a\s+side"
            r"\s+effect|a\s+viral|viral|nothing|normal)\b|\b(?:almost\s+certainly|most\s+likely|probably)"
            r"\s+(?:a|an|just|nothing|from|viral|harmless|benign)\b|\b(?:cut|double|doubling|halve|increase|"
            r"decrease|lower|raise|skip)\s+(?:up\s+)?(?:on\s+)?(?:the|your)\s+(?:dose|dosage|antibiotics?|"
            r"medication|meds|pills?)\b|(?<!after\shours,\s)\b(?:go|head)\s+to\s+(?:an?\s+)?urgent\s+care\b"
            r"(?![^.!?]*\b(?:if\s+we(?:'re|\s+are)\s+closed|after\s+hours|when\s+we(?:'re|\s+are)\s+"
            r"closed))|\b(?<!whether\sto\s)keep\s+taking\b|"
            r"\bhang\s+in\s+there\b(?=.*\b(?:dose|medication|meds|kick\s+in|work)\b)|\bkick\s+in\b|"
            r"\b(?:sounds?|looks?|seems?)\s+like\s+(?:you\s+(?:just\s+)?(?:need|have)|anxiety|an?\s+\w+\s+"
            r"(?:infection|issue|problem|thing|reaction|strain|sprain|virus|cold|allergy))\b",
            "'{m}' gives individual clinical advice in public",
        ),
        (
            r"\b\d+\s?(?:mg|milligrams?|ml)\b",
            "'{m}' is a dosage instruction",
        ),
    ),
)
# Encouragement to keep on with a treatment: "keep going with the drops", "¡siga así!".
_KEEP_GOING = phrases(
    (
        (
            # "whether to keep using it is one for your doctor": the question restated, no advice
            r"\b(?<!whether\sto\s)(?<!whether\snot\sto\s)(?:keep\s+(?:it\s+up|going|at\s+it|practicing|"
            r"doing\s+(?:those|the|your)|wearing|using)|"
            r"siga\s+as[ií]|sigue\s+as[ií]|no\s+olvide\s+(?:usar|tomar|aplicar|ponerse))\b|"
            r"(?:^|(?<=[.!?]\s))take\s+care\s+of\s+(?:that|the|this)\s+(?!feedback|review)\w+",
            "'{m}' encourages the reviewer to keep on with their treatment: individual advice",
        ),
    ),
)
# A follow-up visit named for the reader ("see you at your 3-month check", "la vemos en 2 semanas"):
# it schedules their care in public (a visit, an interval, a check), not an invitation to anyone.
_NUMBER = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen)"
_NUMERO = r"(?:\d+|un|una|dos|tres|cuatro|cinco|seis|ocho|nueve|diez|doce)"
_INTERVAL = rf"{_NUMBER}(?:\s*-\s*|\s+)(?:days?|weeks?|wks?|months?|mos?|years?|yrs?)\b"
_VISIT = (
    r"(?:check(?:-?\s?ups?)?|checkups?|re-?checks?|follow[-\s]?ups?|recalls?|cleanings?|clean|"
    r"scans?|ultrasounds?|x-?rays?|visits?|appointments?|appts?|post[-\s]?op|weigh[-\s]?ins?|"
    r"tests?|labs?|fittings?|exams?|physicals?|shots?|infusions?|injections?|colonoscopy|"
    r"mammogram|scope|screening|touch[-\s]?ups?|suture\s+removal|refresh)\b"
)
_VISITA = (
    r"(?:revisi[oó]n|cita|consulta|control|chequeo|checkup|limpieza|seguimiento|ecograf[ií]a|"
    r"curaci[oó]n|vacunaci[oó]n|vacuna|ajuste|sesi[oó]n|resultados)\b"
)
_FOLLOW_UP = phrases(
    (
        (
            # "your 6-week check", "the 2-week weight check", "her 1-year": an interval of care
            rf"\b(?:your|ur|her|his|their|the)\s+(?:next\s+)?{_NUMBER}[-\s](?:day|week|wk|month|mo|"
            rf"year|yr)s?\b(?:\s+[\w'-]+){{0,2}}?\s+{_VISIT}|"
            rf"\bsee(?:ing)?\s+(?:you|u|ya|y'all|you\s+(?:both|all)|her|him|them)\s+(?:back\s+)?"
            rf"(?:at|for)\s+(?:your|ur|her|his|their|the)\s+(?:next\s+)?{_NUMBER}-(?:day|week|wk|"
            r"month|mo|year|yr)\b",
            "'{m}' names the reviewer's follow-up visit in public",
        ),
        (
            # "see y'all in six months", "see u in 10 years", "your colonoscopy in one year"
            rf"\bsee(?:ing)?\s+(?:you|u|ya|y'all|you\s+(?:both|all)|her|him|them)\s+(?:back\s+)?"
            rf"(?:again\s+)?in\s+(?:another\s+)?{_INTERVAL}",
            "'{m}' names the reviewer's follow-up visit in public",
        ),
        (
            rf"\b(?:your|ur|her|his)\s+(?:next\s+)?(?:[\w-]+\s+){{0,2}}?{_VISIT}\s+in\s+{_INTERVAL}",
            "'{m}' names the reviewer's follow-up visit in public",
        ),
        (
            # "nos vemos en la revisión de diciembre", "la vemos en 2 semanas para los resultados"
            rf"\b(?:(?:la|lo|las|los|le|les|te)\s+(?:vemos|veremos|esperamos)|nos\s+vemos)\s+"
            rf"(?:en|para|a)\s+(?:(?:la|el|su|tu|sus|tus|los|las)\s+)?(?:pr[oó]xim[oa]\s+)?"
            rf"(?:{_NUMERO}\s+(?:d[ií]as|semanas?|mes(?:es)?|años?)\b|{_VISITA})",
            "'{m}' names the reviewer's follow-up visit in public",
        ),
    ),
)
# Reassurance and instructions by shape, in English and Spanish: "Yes, normal", "swelling can
# last 6-8 weeks", "is usually a sprain", "continue nightly use", "siga con el jarabe",
# "go easy on the knee", "a low-dose stimulant", "you're a great candidate", "ya le toca la vacuna".
_ADVICE_SHAPES = phrases(
    (
        (
            r"\b(?:yes|yep|yeah|s[ií])[,!.]*\s+(?:(?:that's|that\s+is|it's|it\s+is|is|es)\s+)?"
            r"(?:totally\s+|completely\s+|perfectly\s+|very\s+|muy\s+|s[uú]per\s+)?(?:normal|"
            r"expected|common)\b(?!\s+(?:business|office|hours|operating|practice))",
            "'{m}' reassures the reviewer about their health in public",
        ),
        (
            r"\b(?:healing|recovery|maturation|swelling|bruising|numbness|soreness|stiffness|"
            r"tenderness|sensitivity)\s+(?:can|may|will|usually|typically|often|should)\s+"
            r"(?:take|last)\s+(?:up\s+to\s+)?(?:\d|a\s+few|several|one|two|three|four|six)",
            "'{m}' reassures the reviewer about their health in public",
        ),
        (
            r"\b(?:pain|swelling|bleeding|oozing|soreness|bruising|numbness|discomfort|redness)\s+"
            r"for\s+(?:up\s+to\s+)?(?:a\s+few|\d+|one|two|three|several)\s+\w+\s+(?:is|are)\s+"
            r"(?:completely\s+|totally\s+|perfectly\s+)?(?:normal|common|expected|typical)\b|"
            r"\b(?:is|are)\s+(?:usually|typically|often|most\s+often)\s+(?:just\s+)?(?:an?\s+)?"
            r"(?:sprain|strain|viral|virus|harmless|benign|temporary|nothing\s+serious|the\s+culprit)\b",
            "'{m}' reassures the reviewer about their health in public",
        ),
        (
            r"(?:^|(?<=[.!?,;:])|(?<=\band)|(?<=\bjust)|(?<=\bplease)|(?<=\balso)|(?<=\bnow))\s*"
            r"continue\s+(?:with\s+)?(?:your|ur|nightly|daily|using|wearing|doing|taking)\b|"
            r"\b(?:sig[au]e?|contin[uú]e|contin[uú]a)\s+con\s+(?:el|la|los|las|su|sus|tu|tus)\s+"
            r"(?!nosotros)\w+|"
            r"\bgo\s+easy\s+on\s+(?:the|that|your|ur|those|this)\s+\w+|"
            r"\b(?:an?|the)\s+low[-\s]dose\s+(?!ct\b|x-?rays?\b|radiation\b|imaging\b|scans?\b)\w+|"
            r"\bdosis\s+(?:baja|alta|m[aá]s\s+baja)\b|"
            r"\b(?<!if\s)(?<!whether\s)(?:you're|you\s+are|you'd\s+be|you\s+would\s+be|she's|he's|"
            r"she\s+is|he\s+is|would\s+be)\s+(?:an?\s+)?(?:great|good|perfect|ideal|excellent)\s+"
            r"candidate\b|"
            r"\b(?:le|te)\s+toca\s+(?:la|el|su|tu)\s+(?:vacuna|dosis|revisi[oó]n|limpieza|control|"
            r"chequeo|refuerzo)\b|"
            r"\b(?:dr|dra|doctor|doctora)\.?\s+(?:\w+\s+)?(?:le|te)\s+(?:recomend|aconsej|indic)[oó]\b",
            "'{m}' gives individual clinical advice in public",
        ),
        (
            # a restriction for a time: "no hard foods for 24 hours", "avoid peanuts till ..."
            r"\b(?:avoid|no|skip|stay\s+off|hold\s+off\s+on)\s+(?:[\w'-]+\s+){0,3}?(?:foods?|"
            r"drinks?|alcohol|lifting|exercise|exercising|workouts?|swimming|driving|smoking|"
            r"straws?|gym|sun|makeup|peanuts?|nuts|dairy|caffeine|coffee|baths?|bathing|showers?|"
            r"contacts|lenses|running|sports|spicy|chewing)\b(?:\s+[\w'-]+){0,5}?\s+(?:for\s+"
            r"(?:at\s+least\s+|the\s+next\s+|another\s+)?(?:\d+|one|two|three|four|five|six|a\s+few|"
            r"a\s+couple(?:\s+of)?)\s+(?:hours?|hrs?|days?|weeks?|wks?)|till|until|til)\b",
            "'{m}' gives individual clinical advice in public",
        ),
        (
            # a referral or a course foretold: "follow up w/ cardiology this week", "you'll
            # probably need 3 sessions", "probablemente necesite", "encourage you to try it"
            r"(?:^|(?<=[.!?]\s))(?:please\s+)?follow[-\s]?up\s+(?:with|w/)\s+(?:your\s+)?[\w-]+"
            r"(?:\s+[\w-]+)?\s+(?:this|next|within|in)\s+(?:week|month|\d|a\s+few|two|a\s+couple)|"
            r"\b(?:prob(?:ably)?|probablemente|likely|most\s+likely)\s+(?:vas\s+a\s+necesitar|"
            r"va\s+a\s+necesitar|necesit[ae]s?|necesitar[aá]s?|need|will\s+need)\b"
            r"(?!\s+(?:to\s+(?:bring|call|fill|book|show|arrive|pay|sign)|a\s+referral|your\s+"
            r"(?:card|id|insurance)))|"
            r"\bencourage\s+you\s+to\s+(?:schedule|give\s+(?:the|your|it|this)|continue|keep|try|"
            r"start|stop|take|use|consider|stick|get\s+(?:checked|screened|tested|seen))\b",
            "'{m}' gives individual clinical advice in public",
        ),
    ),
)
# "every 2 hours", "twice a day": a dosage only where something is taken or applied.
_SCHEDULE_DOSE = phrases(
    (
        (
            r"\bevery\s+\d+(?:\s*(?:-|to)\s*\d+)?\s+hours\b|"
            r"\b(?:once|twice|three\s+times|3\s+times|2\s+times)\s+(?:a|per)\s+day\b",
            "'{m}' is a dosage instruction",
        ),
    ),
    unless=re.compile(
        r"^(?![\s\S]*\b(?:take|taking|use|using|apply|applying|dose|doses|drops?|pills?|tablets?|"
        r"capsules?|mg|spray|rinse|ice|icing|medication|meds|medicine|cream|ointment|inhaler|"
        r"puffs?|antibiotics?|ibuprofen|tylenol|advil|wear|wearing|brush|floss)\b)",
        re.IGNORECASE,
    ),
)

RULES = (
    Rule(
        code="MA001",
        name="medical-advice",
        category=Category.MEDICAL_ADVICE,
        severity=Severity.ERROR,
        summary="Gives individual clinical advice or reassurance in public.",
        rationale="Advice implies knowledge of the reviewer's case and may be wrong for them; a "
        "clinician should talk with them privately, by phone.",
        check=phrase_check(
            (*_ADVICE, *_KEEP_GOING, *_SCHEDULE_DOSE, *_FOLLOW_UP, *_ADVICE_SHAPES),
            suggestion=call_invitation,
        ),
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("[[You should take ibuprofen]] for the swelling."),
            Example("[[Some soreness is normal]] for a few days."),
            Example("[[Try warm salt water]] rinses."),
        ),
        good=(Example("If you have questions about your care, please call (555) 388-9100."),),
    ),
)
