"""Patient-relationship rules: wording that confirms or denies that someone is or was a patient.

Both directions disclose: "see you at your next cleaning" confirms, "we have no record of you"
denies, and either tells the world something about the reviewer's care.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import phrase_check, phrases
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, Severity

_VISIT = (
    r"(?:visit|visits|appointment|appointments|appt|appts|cleaning|cleanings|check-?up|check\s+up|"
    r"exam|exams|procedure|procedures|treatment|treatments|surgery|consultation|consult|follow-?up|"
    r"session|sessions|stay|time\s+in\s+the\s+chair|time\s+with\s+us|care\s+with\s+us|"
    r"chart|file|records?|medical\s+records?|dental\s+records?|treatment\s+plan|care\s+plan|"
    r"results|x-?rays?|prescription|new\s+patient\s+paperwork|paperwork|intake|tooth|teeth|mouth|"
    r"smile\s+makeover|recovery|healing|progress|case|account|bill|balance|insurance|slot|slots|"
    r"booking|reservation|recall|mrn|member\s+id|claim|no-?show|check-?in|wait|journey|"
    r"time\s+here|stay\s+with\s+us)"
)
_ROLE = (
    r"(?:dentist|doctor|physician|provider|hygienist|orthodontist|surgeon|pediatrician|therapist|"
    r"chiropractor|dermatologist|optometrist|care\s+team|medical\s+team|dental\s+team|practice|"
    r"primary\s+care\s+(?:doctor|provider|physician)|pcp|specialist|nurse|oral\s+surgeon)"
)
_SAFE_ROLE = r"(?!\s+(?:of\s+choice|home)\b)"
#: Right before "your": a step anyone who calls may take ("to check", "& verify", "can confirm").
_CHECK_PLAN = (
    r"(?:(?<=\bto\scheck\s)|(?<=&\scheck\s)|(?<=\band\scheck\s)|(?<=\bcan\scheck\s)|"
    r"(?<=\bto\sverify\s)|(?<=\bcan\sverify\s)|(?<=\bto\sconfirm\s)|(?<=\bcan\sconfirm\s))"
)

_CONFIRM = phrases(
    (
        (
            # "call to book & check ur insurance": a step for anyone who calls, not the reader's
            rf"(?!{_CHECK_PLAN}(?:your|ur)\s+(?:[\w-]+\s+)?(?:insurance|coverage|benefits)\b)"
            rf"\b(?:your|ur)\s+(?:[\w:'’/.-]*[\w'’/]\s+){{0,2}}?{_VISIT}\b(?!\s+of\s+(?:events|what))|"
            rf"\b(?:his|her)\s+(?:last\s+|recent\s+|next\s+|first\s+)?(?:visit|appointment|"
            rf"appt|cleaning|check-?up|exam|procedure|surgery|treatment|care|stay)\b",
            "'{m}' confirms the reviewer had care here",
            "your experience",
        ),
        (
            r"\b(?:when|while|after|before|since|the\s+day|the\s+time|each\s+time|every\s+time|"
            r"last\s+time)\s+(?:you|u)\s+(?:came|come|were|was|visited|stopped|checked|sat|called|"
            r"arrived|left|got|had|walked|first\s+came|came\s+back|waited|were\s+waiting|checked\s+in)"
            r"(?:\s+(?:in|by|here|to\s+see|"
            r"into|to\s+our|to\s+the|for))?\b",
            "'{m}' confirms the reviewer visited the practice",
        ),
        (
            r"\b(?:you\s+(?:came|come)\s+(?:in|by|to\s+see\s+us|to\s+our)|you\s+(?:were|was|have\s+been|"
            r"got)\s+(?:seen|treated|examined|here|in\s+our\s+(?:office|chair|care)|in\s+the\s+chair)|"
            r"you\s+visited\s+(?:us|our)|you\s+saw\s+(?:dr\.?|doctor|our)|you\s+were\s+checked\s+in|"
            r"(?:bringing|brought|bring)\s+(?:your\s+\w+(?:\s+[A-Z]\w+)?|him|her|them)\s+in|"
            r"(?:this|the)\s+(?:patient|person|reviewer|individual|gentleman|lady|woman|man)\s+"
            r"(?:was|were|has\s+been|came|arrived|left|called)\b|"
            r"(?:we|dr\.?\s+\w+)\s+discharged\s+(?:you|her|him|them|this)|"
            r"(?:paperwork|forms?|consent|agreement|contract|policy)\s+(?:that\s+)?you\s+signed|"
            r"(?:the|your)\s+wait\s+(?:time\s+)?was\s+(?:only|just|actually|less|under|about|\d)|"
            r"\bwas\s+a\s+no-?show\b|\b(?:you|u)\s+(?:were|was)\s+(?:a\s+)?no-?show)\b",
            "'{m}' confirms the reviewer was seen here",
        ),
        (
            r"\b(?:we|i|dr\.?\s+\w+|our\s+(?:team|staff|doctor|dentist|hygienist)|the\s+team|everyone)"
            r"\s+(?:saw|treated|examined|cared\s+for|took\s+care\s+of|remembers?|remembered|"
            r"enjoyed\s+"
            r"(?:seeing|treating|meeting|having|working\s+with|caring\s+for)|loved\s+(?:seeing|having|"
            r"meeting|treating)|recalls?)\s+(?:you|u|your|ur)\b",
            "'{m}' says the practice knows or treated the reviewer",
        ),
        (
            r"\b(?:it\s+was\s+(?:a\s+pleasure|great|nice|wonderful|lovely|a\s+joy)|(?:such\s+)?a\s+"
            r"pleasure|we\s+(?:enjoy|love)|always\s+a\s+pleasure)\s+(?:to\s+)?(?:see|seeing|treat|"
            r"treating|meet|meeting|have|having|care\s+for|caring\s+for|taking\s+care\s+of|work\s+with|"
            r"working\s+with)\s+(?:you|u|your)\b",
            "'{m}' confirms the reviewer was seen here",
        ),
        (
            r"\b(?:see|seeing)\s+(?:you|u)\s+(?:again|back|next\s+time|at\s+your|for\s+your|in\s+"
            r"(?:six|6|three|3|a\s+few)\s+months|at\s+the\s+next|soon\s+for)\b",
            "'{m}' says the reviewer will be back for care",
        ),
        (
            r"\b(?:we|i|dr\.?\s+[A-Z]\w+|our\s+(?:team|doctor|dentist|hygienist|surgeon))\s+(?:\w+\s+)?"
            r"(?:caught|diagnosed|found|detected|fixed|repaired|removed|placed|performed|pulled|"
            r"extracted|filled|prescribed)\s+(?:the|your|that|his|her)\b",
            "'{m}' says the practice treated the reviewer",
        ),
        (
            r"\b(?:glad|happy|pleased|proud|honou?red|privileged|thrilled)\s+(?:that\s+)?(?:we|i)\s+"
            r"(?:were\s+able\s+to|was\s+able\s+to|could|can|got\s+to)\s+(?:help|assist|be\s+of\s+"
            r"(?:help|service)|make\s+a\s+difference|take\s+care|treat|work\s+with)\b|\bglad\s+to\s+"
            r"(?:have\s+been|be)\s+of\s+(?:help|service)\b|\b(?:have|has)\s+made\s+a\s+difference\b|"
            r"\bmake\s+a\s+difference\s+(?:for|in)\s+(?:you|your)\b|\b(?:continue|continuing)\s+to\s+"
            r"(?:provide|give|offer)\s+(?:[\w-]+\s+){0,4}?(?:care|services?|treatment)\s+(?:to|for)\s+you\b|"
            r"\b(?:you|u)\s+(?:had|have\s+had)\s+(?:a|an|such\s+a)\s+(?:[\w-]+\s+){0,2}?experience\s+"
            r"(?:at|in|with)\s+(?:our|us|the\s+office|the\s+clinic|dr)\b|\b(?:glad|happy|pleased|"
            r"relieved|thrilled)\s+(?:to\s+(?:hear|know|see)\s+)?(?:that\s+)?(?:you(?:'re|\s+are)|you\s+"
            r"were)\s+(?:now\s+)?(?:feeling|doing)\s+(?:[\w-]+\s+){0,2}?(?:better|well|great|good)\b|"
            r"\byour\s+(?:patient\s+)?loyalty\b|\b(?:this|that|the)\s+(?:patient|client)\s+(?:\w+\s+)?"
            r"(?:is|was|were|did|had|has|rated|wrote|attended|came|missed|refused)\b|\b(?:the|this|that)\s+"
            r"(?:individual|person|parent|family|reviewer)\s+(?:who\s+wrote\s+this\s+review\s+)?"
            r"(?:was|were|came|attended|did\s+not|didn't|had|rated)\b|\b(?:you|u)\s+(?:and\s+your\s+"
            r"\w+\s+)?had\s+to\s+wait\b|\b(?:thank\s+you\s+for|appreciate\s+you|thankful\s+you)\s+"
            r"(?:choosing|trusting|selecting|chose|picked)\s+(?:us|me|our\s+\w+|dr\.?\s+\w+|[A-Z][\w']*"
            r"(?:\s+[\w']+){0,3}?)\s+(?:for|with|as)\s+(?:your|ur)\b|\b(?:travell?ing|coming|driving)\s+"
            r"(?:so\s+far\s+|all\s+the\s+way\s+)?to\s+(?:come\s+to\s+|see\s+)?(?:us|our|dr\.?|mayo|the\s+"
            r"clinic)\b|\bour\s+(?:encounter|sessions?|work\s+together|time\s+together)\b|\b(?:were|"
            r"was)\s+discharged\s+from\b|\bif\s+you\s+are\s+(?:truly|really|actually)\s+(?:our|a)\s+"
            r"patient\b|\byou\s+were\s+one\s+of\s+the\b|\bpart\s+of\s+our\s+(?:practice\s+|dental\s+|"
            r"clinic\s+)?family\b|\bsee\s+(?:you|u)\s+(?:both|all|two|guys)\s+(?:again|back)\b|"
            r"\bbring\s+(?:him|her|them|your\s+\w+)\s+back\b",
            "'{m}' confirms the reviewer had care here",
        ),
        (
            r"\b(?:i|we)\s+(?:(?:was|were|have\s+been|'ve\s+been|am|are|had\s+been)\s+)?(?:able\s+to|"
            r"could|got\s+to)\s+(?:help|assist|serve|care\s+for|treat|give\s+you|provide\s+you|step\s+"
            r"into)\b|\b(?:allowing|letting|allow|let)\s+(?:us|me)\s+(?:to\s+)?(?:serve|care\s+for|"
            r"treat|help|take\s+care\s+of)\s+you\b|\b(?:pleased|glad|happy|honou?red|privileged)\s+to\s+"
            r"have\s+(?:served|helped|treated|cared\s+for|seen)\s+you\b|\b(?:pleasure|privilege|"
            r"honou?r)\s+to\s+(?:assist|serve|care\s+for|treat|help)\s+(?:in\s+)?(?:you|your)\b|"
            r"\byour\s+(?:[\w-]+\s+)?(?:care|(?:health\s*care|healthcare|medical|dental)\s+needs|"
            r"treatment\s+needs)\b|\bthe\s+care\s+(?:that\s+)?(?:you\s+received|was\s+provided\s+to\s+"
            r"you|we\s+provided)\b|\b(?:your\s+trust\s+in\s+(?:me|us|our|dr)|the\s+trust\s+you\s+"
            r"(?:put|placed|have)\s+in)\b|\b(?:you(?:'re|\s+are)|you\s+and\s+your\s+\w+\s+are)\s+"
            r"(?:now\s+)?(?:doing|feeling)\s+(?:so\s+|a\s+lot\s+|much\s+|even\s+)?(?:better|well|"
            r"great)\b|\bseeing\s+improvements?\b|\byou\s+had\s+[\"“]?(?:great|good|amazing|excellent|"
            r"wonderful)\s+results\b|\bhearing\s+(?:back\s+)?from\s+our\s+(?:\w+\s+)?patients\b|"
            r"\bwhich\s+of\s+our\s+(?:\w+\s+)?patients\s+you\s+are\b|\byour\s+(?:[\w-]+\s+)?"
            r"experience\s+(?:while\s+)?(?:with|at|in)\s+(?:me|dr\.?|our|us|the\s+(?:office|clinic|"
            r"practice))\b|\bthe\s+experience\s+you\s+had\s+(?:with|at|in)\b|\bkeep(?:ing)?\s+you\s+"
            r"waiting\b|\b(?:were|was|been|got)\s+kept\s+waiting\b|\b(?:on|at)\s+(?:a|your|the)\s+(?:next\s+|"
            r"future\s+)?follow-?up\b|\bdear\s+(?:valued\s+)?patient\b|\b(?:continue|continued|"
            r"continuing)\s+to\s+(?:use|see|visit|choose|trust)\s+(?:\S+\s+){0,4}?for\s+your\b|"
            r"\bleft\s+(?:the|your)\s+(?:appointment|visit|office)\b|\b(?:with|about|for|of|treat|"
            r"treated)\s+this\s+(?:patient|client)\b|\bthe\s+patient\s+above\b|\byour\s+(?:son|"
            r"daughter|child|wife|husband|mother|father|mom|dad)['’]s\s+(?:experience|visit|care|"
            r"appointment|treatment)\b|\b(?:give|giving|provide|providing|gave|provided)\s+you\s+"
            r"(?:with\s+)?(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:care|service|treatment|experience)\b|"
            r"\bremember\s+(?:the|this|that|your)\s+(?:encounter|visit|appointment|case)\b|"
            r"\b(?:helpful|useful|beneficial)\s+(?:for|to)\s+you\b|\b(?:find|found)\s+(?:my|our)\s+"
            r"(?:services|care|treatment)\b|\bservices\s+were\s+(?:helpful|effective|useful)\b|"
            r"\b(?:travell?ing|coming|driving|making\s+the\s+trip)\b[^.!?]{0,40}\bto\s+(?:see\s+(?:me|us|"
            r"dr)|(?:my|our)\s+(?:office|clinic|practice))\b",
            "'{m}' confirms the reviewer had care here",
        ),
        (
            r"\b(?:thank\s+you|thanks)\s+(?:so\s+much\s+|again\s+)?for\s+(?:choosing|trusting|selecting|"
            r"picking)\s+(?:us|me|our\b|dr\.?|(?=(?-i:[A-Z]))\w+)|\byour\s+(?:[\w-]+\s+)?experience\s+(?:with|at)"
            r"\s+(?:(?=(?-i:[A-Z]))\w+|us\b|me\b)|\byou\s+were\s+(?:provided|given|offered)\s+(?:with\s+)?|"
            r"\bservices?\s+(?:you\s+)?received\s+(?:from|at)\s+(?:us|our)\b|\b(?:able\s+to|could)\s+"
            r"(?:accommodate\s+you|get\s+you\s+in|fit\s+you\s+in|see\s+you)\b|\b(?:glad|happy|pleased)"
            r"\s+(?:that\s+)?you\s+found\s+(?:us|our|dr|me)\b|\b(?:have\s+been|were|are)\s+a\s+(?:pleasure|"
            r"joy|delight)\s+to\s+(?:treat|see|care\s+for|work\s+with|have)\b|\benjoy(?:ing)?\s+(?:your\s+"
            r"new|the\s+new\s+you)\b|\b(?:he|she|they)(?:'s|\s+is|'re|\s+are)\s+(?:now\s+)?(?:feeling|"
            r"doing)\s+(?:so\s+|a\s+lot\s+|much\s+)?(?:better|well)\b|\bfor\s+being\s+(?:my|our|a)\s+"
            r"(?:[\w-]+\s+)?(?:patient|client)\b",
            "'{m}' confirms the reviewer had care here",
        ),
        (
            r"\bremember(?:s|ed)?\s+(?:you|u|your)\b|\b(?:great|good|nice|lovely|wonderful|a\s+pleasure|"
            r"a\s+joy|fun)\s+(?:to\s+)?(?:see|seeing|have|having|meet|meeting)\s+(?:you|u)\b(?!\s+soon)|"
            r"\b(?:take|taking|took|taken)\s+care\s+of\s+(?:you|your|u)\b|\btrusting\s+us\s+with\s+"
            r"(?:your|ur)\b|\b(?:for\s+)?all\s+these\s+years\b|\b(?:dental|medical|health)\s+home\s+"
            r"with\s+us\b|\bgrow(?:ing)?\s+up\s+(?:in|at|with)\s+(?:our|us)\b|\b(?:sticking|stuck|"
            r"staying|stayed)\s+with\s+us\b|\bpart\s+of\s+(?:your|ur)\s+(?:\w+\s+)?(?:journey|care|"
            r"treatment|story|recovery)\b|\b(?:get|got|getting)\s+(?:your|ur)\s+(?:\w+\s+){0,2}?"
            r"(?:done|fixed|finished|started|placed|taken\s+care\s+of|sorted)\b|\byour\s+experience\s+"
            r"(?:at|with|in)\s+(?:our|the|dr)\b",
            "'{m}' confirms the reviewer had care here",
        ),
        (
            r"\b(?:welcome\s+back|glad\s+(?:to\s+have\s+you|you(?:'re|\s+are))\s+back|nice\s+to\s+have\s+"
            r"you\s+back|good\s+to\s+see\s+you\s+again|thanks?\s+(?:you\s+)?for\s+coming\s+(?:back|in|"
            r"to\s+see))\b",
            "'{m}' confirms a return visit",
        ),
        (
            r"\b(?:privilege|pleasure|honou?r)\s+of\s+(?:caring\s+for|treating|serving|taking\s+care\s+"
            r"of|helping|working\s+with)\s+(?:you|your|the\s+family)\b|\b(?:happy|glad|pleased|"
            r"delighted|thrilled)\s+to\s+have\s+(?:been\s+able\s+to\s+)?help(?:ed)?\b|\bexperience\s+"
            r"visiting\s+(?:our|the)\s+(?:clinic|office|practice|center|centre)\b|\b(?:need|see)\s+"
            r"(?:me|us)\s+again\b|\bremember\s+(?:the|your)\s+family\b",
            "'{m}' confirms the reviewer had care here",
        ),
        (
            rf"\b(?:as\s+your|your\s+(?:(?:regular|usual|long-?time|long-term|family|new|former|"
            rf"current|trusted)\s+){{0,2}}){_ROLE}\b{_SAFE_ROLE}",
            "'{m}' says the practice cares for the reviewer",
            "",
        ),
        (
            r"\b(?:(?:you(?:'re|\s+are|\s+were|'ve\s+been|\s+have\s+been|\s+became)|being|as|become)"
            r"\s+(?:a|an|our|one\s+of\s+our)\s+(?:[\w-]+\s+){0,2}?(?:patients?|clients?|members?)|"
            r"(?:our|a)\s+(?:valued|loyal|long-?time|longtime|wonderful|favorite|favourite|former|"
            r"current|great|special)\s+patient(?!s)|"
            r"patients?\s+like\s+(?:you|yourself)|you\s+as\s+(?:a|our)\s+patient|you(?:'ve|\s+have)\s+been\s+"
            r"(?:a\s+patient|coming|with\s+us|seeing\s+(?:us|dr))|(?:loyal|long-?time)\s+patient)\b",
            "'{m}' confirms the reviewer is a patient",
        ),
        (
            r"\b(?:after|for|over)\s+(?:a\s+decade|decades|(?:so\s+)?many\s+years|(?:\d+|two|three|four|"
            r"five|six|seven|eight|nine|ten|fifteen|twenty)\s+years?)\s+(?:with\s+us|of\s+(?:care|"
            r"visits|coming|trusting\s+us)|as\s+(?:our|a)\s+patient|in\s+our\s+care)\b|\b(?:years|"
            r"decade)\s+with\s+us\b",
            "'{m}' describes the reviewer's history with the practice",
        ),
        (
            r"\b(?:our|the)\s+(?:[\w-]+\s+){0,2}?(?:records|chart|charts|notes|files|system|database|"
            r"schedule|logs?)\s+"
            r"(?:show|shows|indicate|indicates|say|says|reflect|reflects|confirm|confirms)\b|"
            r"\baccording\s+to\s+(?:our|your)\s+(?:records|chart|notes|file|system|schedule)\b|"
            r"\bwe\s+(?:checked|reviewed|looked\s+(?:at|into|through)|pulled(?:\s+up)?|went\s+through|"
            r"searched|double-?checked)\s+(?:your|our|the)\s+(?:records|chart|file|files|notes|system|"
            r"account|schedule|database|history|x-?rays)\b|\bin\s+our\s+(?:system|records|chart)\b",
            "'{m}' says the practice looked up the reviewer's records",
        ),
        (
            r"\bthank\s+you\s+for\s+(?:choosing|trusting)\s+(?:us|our\s+\w+|dr\.?\s+\w+)\s+(?:with|for)\s+"
            r"(?:your|ur)\b",
            "'{m}' confirms the reviewer entrusted their care to the practice",
            "thank you for sharing your feedback",
        ),
        (
            r"\b(?:during|throughout|after|before)\s+(?:your|ur)\s+(?:stay|visit|treatment|care|time|"
            r"procedure|recovery|pregnancy)\b",
            "'{m}' confirms the reviewer had care here",
        ),
    ),
)

# Everyday confirmations the phrases above miss: accepting thanks ("you're welcome", "con
# gusto"), a treatment that is working, a visit booked or planned, the practice's own notes.
_CONFIRM_MORE = phrases(
    (
        (
            r"^\W*(?:you(?:'re|’re|\s+are)\s+(?:so\s+|very\s+|most\s+)?welcome(?!\s+to\b)|con\s+"
            r"(?:mucho\s+)?gusto|de\s+nada|(?:it\s+was\s+)?(?:my|our)\s+pleasure)\b",
            "'{m}' accepts the reviewer's thanks for their care: it confirms they are a patient",
        ),
        (
            r"\b(?:glad|happy|thrilled|relieved)\s+(?:to\s+hear\s+)?(?:that\s+)?(?:the|your|ur)\s+"
            r"(?:[\w-]+\s+){1,3}?(?:is|are|has\s+been|have\s+been)\s+(?:finally\s+|now\s+|really\s+)?"
            r"(?:helping|working|making|improving|coming\s+down|healing|better)\b|\byou\s+did\s+(?:so\s+"
            r"|such\s+a\s+)?(?:great|amazing|awesome|well|fantastic|good\s+job)\b",
            "'{m}' speaks of the reviewer's own treatment: it confirms they are a patient",
        ),
        (
            r"\bsee\s+(?:you|u|y'all)\s+(?:in|on|next|this|at\s+the)\s+(?:january|february|march|april|"
            r"may|june|july|august|september|october|november|december|monday|tuesday|wednesday|"
            r"thursday|friday|saturday|sunday|week|month|spring|summer|fall|winter|\d)\w*|"
            r"\b(?:l[oa]s?|te)\s+vemos\b|\bnos\s+vemos\s+(?:el|en|la|este|esta)\b|\bl[oa]s?\s+esperamos\s+(?:el|en|la|para)\b|"
            r"\b(?:we|i)\s+(?:rebooked|rescheduled|booked|squeezed|fit|referred|recommended|advised|"
            r"told)\s+(?:you|u)\b|\b(?:you|u)\s+(?:brought|dropped)(?:\s+\w+)?\s+(?:in|by|off|over)\b|"
            r"\b(?:sigue|siguen)\s+viniendo\b|\bkeeps?\s+coming\s+(?:in|back|every)\b",
            "'{m}' speaks of the reviewer's visits: it confirms they are a patient",
        ),
        (
            r"\b(?:appreciate|thank\s+you\s+for|thanks\s+for)\s+your\s+(?:business|patronage|"
            r"continued\s+(?:trust|support|business))\b|\bwelcome\s+to\s+(?:the|our)\s+"
            r"(?:[\w'’-]+\s+){0,3}?family\b|\bmy\s+(?:notes|records|chart)\s+(?:show|shows|indicate|"
            r"indicates|say|says|reflect|reflects|confirm)\b|\byou\s+(?:described|told\s+us|said|"
            r"mentioned)\s+(?:\w+\s+){0,3}?(?:at|to)\s+(?:the\s+)?(?:front\s+desk|us|our|the\s+(?:nurse|"
            r"doctor))|\b(?-i:(?:Mr|Mrs|Ms|Miss|Sr|Sra)\.?\s+[A-Z]\w+)\s+(?:experienced|received|had)\b",
            "'{m}' confirms the reviewer had care here",
        ),
    ),
)

_SEE_YOU_SOON = phrases(
    (
        (
            r"\bsee\s+(?:you|u)\s+(?:again\s+)?soon\b",
            "'{m}' may read as a confirmation that the reviewer is coming back for care",
        ),
    ),
    low_confidence=True,
)

_DENY = phrases(
    (
        (
            r"\b(?:we|i)\s+(?:have|had|has|find|found|could\s+find|can\s+find|show|see)\s+no\s+"
            r"(?:record|records|trace|history|file|chart|appointment)s?\s+(?:of|for|that)\b|"
            r"\bno\s+(?:record|records)\s+of\s+(?:you|your|this|a|any|the)\b|"
            r"\b(?:there\s+is|there's)\s+no\s+record\b",
            "'{m}' denies the reviewer is a patient: as much a disclosure as confirming it",
        ),
        (
            r"\b(?:you|this\s+(?:person|reviewer|individual)|the\s+reviewer|they)\s+(?:were|was|"
            r"have|has|are|is)\s+(?:never|not)\s+(?:been\s+)?(?:seen|treated|a\s+patient|our\s+patient|"
            r"here|in\s+our\s+office|one\s+of\s+our\s+patients|a\s+client)\b|"
            r"\bnever\s+(?:been\s+)?(?:seen|treated)\s+(?:you|here|by\s+us|in\s+our)\b|"
            r"\b(?:has|have)\s+never\s+been\s+(?:a|our)\s+patient\b|"
            r"\b(?:we|i|dr\.?\s+\w+)\s+(?:have\s+)?never\s+(?:seen|treated|met)\s+(?:you|this\s+person)\b",
            "'{m}' denies the reviewer was seen here",
        ),
        (
            r"\b(?:not|isn't|is\s+not|aren't|are\s+not|wasn't|was\s+not)\s+(?:one\s+of\s+)?our\s+"
            r"patients?\b|\b(?:we\s+(?:don't|do\s+not|can't|cannot|couldn't|could\s+not)\s+(?:have|"
            r"find|locate|see)\s+(?:you|your\s+name|anyone|any\s+(?:record|patient))|"
            r"(?:you're|you\s+are|your\s+name\s+is)\s+not\s+in\s+our\s+(?:system|records|database))\b",
            "'{m}' denies the reviewer is a patient",
        ),
        (
            r"\b(?:unable|not\s+able)\s+to\s+(?:identify|find|locate)\s+(?:a|any|you|your)\b|"
            r"\b(?:find|found|locate|located|have|had|see|saw|is|was)\s+(?:no\s+|not\s+)?(?:anyone|"
            r"anybody|no\s+one|nobody|(?:(?:a|any|an)\s+)?(?:patient|record|appointment|visit)s?)\s+"
            r"(?:by|under|with)\s+(?:that|this|the|your)\s+name\b|\bnever\s+met\s+(?:you|u)\b|"
            r"\b(?:the\s+)?wrong\s+(?:office|practice|doctor|clinic|dentist)\b",
            "'{m}' says the reviewer may not be a patient here: a denial in public",
        ),
        (
            r"\b(?:do\s+not|don't|cannot|can't|could\s+not|couldn't)\s+(?:recall|remember|place)\s+"
            r"(?:this|you|your|the|any)\b",
            "'{m}' discusses whether the reviewer is in the practice's records",
        ),
    ),
)

#: Words before "your experience with us" that make "with us" the sharing's, not the visit's.
_SHARED_WITH_US = re.compile(
    r"\b(?:shar(?:e|ed|es|ing)|post(?:ed|ing|s)?|tell(?:ing|s)?\s+us\s+about|writ(?:e|ing|ten)\s+"
    r"about|describ\w+|pass(?:ing)?\s+along)\s+(?:\w+\s+){0,2}?$",
    re.IGNORECASE,
)
#: Words before "provide you with care" that make it the practice's aim, not a visit.
_AIM = re.compile(
    r"\b(?:goals?|aims?|mission|strive|striving|commit\w*|dedicated|priority|purpose)\b"
    r"[^.!?]{0,30}$",
    re.IGNORECASE,
)
#: Words before "your doctor" that send the reader to their own doctor, or set that doctor
#: beside the practice ("coordinate with your doctor", "with you and your doctor"): not this
#: practice.
_ASK_YOUR = re.compile(
    r"\b(?:ask|talk\s+(?:to|with)|check\s+with|speak\s+(?:to|with)|consult(?:\s+with)?|see|call|"
    r"contact|tell|discuss\s+(?:\w+\s+){0,3}with|(?:coordinat\w+|collaborat\w+|communicat\w+|"
    r"partner\w*|work\w*|together)\s+(?:\w+\s+){0,2}?with|with\s+you\s+and)\s+$",
    re.IGNORECASE,
)
#: An anniversary verb with someone of the practice as its subject before "N years with us":
#: "Priya, who just hit 5 years with us", "Marlene at the front desk just marked 25 years with
#: us" (staff news, not the reader's history). The reader as subject ("you just hit") is no
#: staff news.
_ANNIVERSARY_VERB = re.compile(
    r"\b(?:hit|hits|celebrated|celebrates|celebrating|marked|marks|marking|reached|reaches|"
    r"completed|completes|passed|turned|turns)\s+(?:(?:her|his|their|a|an)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
_STAFF_SUBJECT = re.compile(r"\b(?:she|he|they|who)\b|\b(?-i:[A-Z][a-z]+)\b(?![,!])", re.I)
_WHO = re.compile(r"\bwho\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]|[^\w\s,'’-]")
_READER_WORD = re.compile(r"\b(?:you|u|your|ur|y'all|yourself)\b", re.I)
#: "welcome back" to someone else than the reader: to a town the post says the poster moved
#: back to, to the area, or staff welcomed back by the practice ("we're thrilled to welcome
#: back Dr. Lee", "welcome back to Nurse Amy after her maternity leave").
_WELCOME_PLACE = re.compile(
    r"\s+to\s+(?:the\s+)?(?:town|area|neighbou?rhood|city|state|valley|island|county|"
    r"community|world)\b|\s+to\s+(?P<place>(?-i:[A-Z])[\w'’-]+)",
    re.IGNORECASE,
)
#: The place a post says the poster moved (back) to: "Moved back to Pine Hollow after 6 years".
_MOVED_TO = re.compile(
    r"\b(?:moved|moving|move|relocated|relocating)\s+(?:back\s+)?(?:home\s+)?to\s+([\w'’-]+)",
    re.IGNORECASE,
)
_WELCOME_STAFF_BEFORE = re.compile(r"\b(?:to|we|we're|we\s+are|i)\s+$", re.IGNORECASE)
_STAFF_LEAVE = re.compile(
    r"\b(?:from|after)\s+(?:her|his|their)\s+(?:[\w-]+\s+)?(?:leave|sabbatical|vacation|"
    r"honeymoon|deployment|break|training|fellowship)\b",
    re.IGNORECASE,
)


#: "before you come in" (present tense after "before": a visit to come, told to anyone).
_FUTURE_VISIT = re.compile(r"before\s+(?:you|u)\s+(?:come|arrive)\b", re.I)
#: A first visit still to come, for someone asking as a new patient: "before your first visit".
_FIRST_VISIT = re.compile(r"(?:your|ur)\s+first\s+(?:visit|appointment|appt|consult\w*)$", re.I)
_BEFORE_BOOKING = re.compile(r"\b(?:before|book|schedule|make)\s+$", re.I)
#: Words after a thank-you that make it about the review or an event, not about care: "thank
#: you for coming back to update your review", "for trusting us with this feedback", "it was
#: our pleasure to be there".
_NOT_CARE_AFTER = re.compile(
    r"\s+(?:to\s+(?:update|edit|revise|change|add\s+to)\s+(?:your|the|this)\s+(?:review|post|"
    r"rating|comment)|with\s+(?:this|your|the|that)\s+(?:[\w-]+\s+)?(?:feedback|review|story|"
    r"comments?|note|message|suggestion)|with\s+something\s+(?:so\s+|this\s+|very\s+|as\s+)?"
    r"(?:personal|important|painful|difficult|hard|private|sensitive|vulnerable|meaningful)|"
    r"with\s+(?:your|these|this|those)\s+(?:honest\s+|kind\s+)?(?:words|thoughts|feelings|"
    r"concerns?)|to\s+(?:be\s+there|host|sponsor|attend|join|support\s+"
    r"(?:the|this|our)))\b",
    re.I,
)
_YEARS_WITH_US = re.compile(r"(?:after|for|over|years|decade)\b.*\bwith\s+us$", re.I)
_WELCOME_BACK = re.compile(r"welcome\s+back$", re.I)
_EXPERIENCE_WITH_US = re.compile(r"your\s+(?:[\w-]+\s+)?experience\s+with\s+(?:us|me)$", re.I)
#: Trusted with the reader's words, not their care: "thank you for trusting us with your story".
_TRUSTED_WITH = re.compile(r"with\s+(?:your|ur)$", re.I)
_WORDS_AFTER = re.compile(
    r"\s+(?:own\s+|kind\s+|honest\s+|family['’]s\s+)?(?:story|stories|words|feedback|review|"
    r"thoughts|message|note|post|memories)\b",
    re.I,
)
#: The reader in a role that is no one's care: "we loved having you in the volunteer cohort".
_NOT_A_PATIENT_ROLE = re.compile(
    r"\s+(?:in|at|on|as|for|with)\s+(?:the|our|a|an|this|last|that)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:volunteers?|cohort|training|internship|interns?|board|fundraiser|gala|5k|walk|run|"
    r"open\s+house|job\s+fair|career\s+day|shadow\s+day)\b",
    re.I,
)
#: "bring them in" / "bring your forms in" whose object is papers or things, not a person:
#: "you can upload documents or bring them in", "bring your paperwork in".
_BRING_IN = re.compile(r"(?:bringing|brought|bring)\s+(?:them|your\s+\w+)\s+in$", re.I)
_THINGS_BROUGHT = re.compile(
    r"\b(?:documents?|forms?|papers?|paperwork|receipts?|records|statements?|pay\s*stubs?|"
    r"proofs?|letters?|bills?|cards?|ids?|copies|files|photos|devices?|glasses|"
    r"(?:hearing\s+)?aids|supplies|samples|donations?|books?)\b(?![^.!?;]*\b(?:kids?|"
    r"children|child|sons?|daughters?|babies|baby|boys?|girls?|twins|parents?|mom|dad|him|her)\b)"
    r"[^.!?;]*$",
    re.I,
)
#: "see you <when>" as the office's part after the reader's call: "Call Barb at 555-0140 and
#: we'll see you this week" (an offer to whoever calls, not a booked visit).
_SEE_YOU = re.compile(
    r"see\s+(?:you|u)\s+(?:again\s+)?(?:this|next|in|on|soon|tomorrow|today|then)\b", re.I
)
_AFTER_READER_CALLS = re.compile(
    r"^\W*(?:(?:please|just|simply)\s+)?(?:call|ring|phone|text|give\s+(?:us|\w+)\s+a\s+"
    r"(?:call|ring))\b[^.!?]*?\d[^.!?]*\band\s+(?:we['’]ll|we\s+will|we\s+can|"
    r"(?:she|he|they)['’]ll|someone\s+will)\s+(?:\w+\s+)?$",
    re.I,
)
#: A thank-you to a crowd before "see you next March": the event's walkers, not one patient.
_TO_EVERYONE = re.compile(
    r"\b(?:thank\s+you|thanks|shout-?out|gracias)\s+(?:so\s+much\s+)?(?:to\s+|a\s+)?"
    r"(?:everyone|everybody|all\s+of\s+you|all|todos|todas)\s+(?:who|que|for)\b",
    re.I,
)
#: Nothing of the reader's after "see you next March": the sentence ends there.
_NOTHING_AFTER = re.compile(r"\w*\s*(?:[!.…]+|$)")
_PROVIDE_YOU = re.compile(r"(?:give|provide|offer)\s+you\b", re.I)
_YOUR_ROLE = re.compile(rf"your\s+{_ROLE}$", re.I)


def _confirms(ctx: LintContext) -> Iterator[Hit]:
    """PR001's phrases, less three wordings that confirm nothing: "thank you for sharing your
    experience with us", "our goal is to provide you with the best care", "ask your doctor"."""
    for hit in _CONFIRM_CHECK(ctx):
        text = ctx.reply[hit.start : hit.end]
        s, _ = ctx.sentence_at(hit.start)
        before = ctx.reply[s : hit.start]
        if _EXPERIENCE_WITH_US.match(text) and _SHARED_WITH_US.search(before):
            continue
        if _PROVIDE_YOU.match(text) and _AIM.search(before):
            continue
        if _YOUR_ROLE.match(text) and _ASK_YOUR.search(before):
            continue
        if _FUTURE_VISIT.match(text) or _NOT_CARE_AFTER.match(ctx.reply, hit.end):
            continue
        if (_TRUSTED_WITH.search(text) and _WORDS_AFTER.match(ctx.reply, hit.end)) or (
            _NOT_A_PATIENT_ROLE.match(ctx.reply, hit.end)
        ):
            continue  # the reader's story, or the reader as a volunteer: no care
        if _FIRST_VISIT.match(text) and _BEFORE_BOOKING.search(before):
            continue  # "we'll check coverage before your first appointment": none yet
        if _YEARS_WITH_US.match(text) and _staff_anniversary(before):
            continue
        if _WELCOME_BACK.match(text) and _welcomes_someone_else(ctx, before, hit.end):
            continue
        if _to_anyone(ctx, hit, text, before):
            continue
        yield hit


def _to_anyone(ctx: LintContext, hit: Hit, text: str, before: str) -> bool:
    """Return True when "bring them in" or "see you this week" is said to anyone: papers
    brought in, the office seeing whoever calls, a crowd thanked after an event."""
    if _BRING_IN.match(text):
        return _THINGS_BROUGHT.search(before) is not None  # "upload documents or bring them in"
    if not _SEE_YOU.match(text):
        return False
    if _AFTER_READER_CALLS.search(before):
        return True  # "Call Barb at 555-0140 and we'll see you this week"
    # "Thank you to everyone who walked ... See you next March!"
    return bool(
        _TO_EVERYONE.search(ctx.reply[: hit.start]) and _NOTHING_AFTER.match(ctx.reply, hit.end)
    )


def _staff_anniversary(before: str) -> bool:
    """Return True when "N years with us" closes an anniversary of someone of the practice."""
    before = _CLAUSE_BREAK.split(before)[-1]  # "thank YOU 💙 Shoutout to Priya, who just hit"
    relative = list(_WHO.finditer(before))
    if relative:  # "we'll share your words with our team, led by Sandra, who just celebrated"
        before = before[relative[-1].start() :]
    return bool(
        _ANNIVERSARY_VERB.search(before)
        and _STAFF_SUBJECT.search(before)
        and not _READER_WORD.search(before)
    )


def _welcomes_someone_else(ctx: LintContext, before: str, end: int) -> bool:
    """Return True when "welcome back" welcomes the poster to a town or area, or staff back to
    the practice, not the reader back for care."""
    s, e = ctx.sentence_at(end - 1)
    after = ctx.reply[end:e]
    if _READER_WORD.match(after.lstrip(" ,")):
        return False
    if _WELCOME_STAFF_BEFORE.search(before) or _STAFF_LEAVE.search(ctx.reply[s:e]):
        return True
    m = _WELCOME_PLACE.match(after)
    if m is None:
        return False
    place = m.group("place")
    if place is None:
        return True
    moved_to = {m.group(1).lower() for m in _MOVED_TO.finditer(ctx.post or "")}
    return place.lower() in moved_to


_CONFIRM_CHECK = phrase_check((*_CONFIRM, *_CONFIRM_MORE, *_SEE_YOU_SOON))

RULES = (
    Rule(
        code="PR001",
        name="confirms-patient",
        category=Category.PATIENT_RELATIONSHIP,
        severity=Severity.ERROR,
        summary="Confirms the reviewer is or was a patient ('your visit', 'welcome back', "
        "'our records show', 'see you at your next cleaning').",
        rationale="Confirming that someone is a patient is itself a disclosure of PHI.",
        check=_confirms,
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("We're sorry [[your visit]] was stressful."),
            Example("[[Welcome back]]! We hope all is well."),
            Example("[[Our records show]] the claim was filed."),
            Example("Dr. Lee [[remembers you]] fondly."),
            Example("We can't wait to [[see you at your]] next cleaning!"),
        ),
        good=(
            Example("Thank you for sharing your experience."),
            Example("We welcome new patients; please call (555) 388-9100."),
        ),
    ),
    Rule(
        code="PR002",
        name="denies-patient",
        category=Category.PATIENT_RELATIONSHIP,
        severity=Severity.ERROR,
        summary="Denies the reviewer is or was a patient ('we have no record of you').",
        rationale="Denial discloses as much as confirmation and reads as an accusation.",
        check=phrase_check(_DENY),
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("[[We have no record of]] you."),
            Example("[[You were never seen]] here."),
        ),
        good=(Example("We can't discuss anyone's care online, but we'd like to talk with you."),),
    ),
)
