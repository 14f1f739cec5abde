"""Tone rules: defensive, blaming, argumentative, sarcastic or dismissive wording, legal threats,
"fake review" accusations and public corrections of the reviewer's account.

Tone findings warn rather than block: a person decides, ideally after the cooling-off hold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from safereply.core.lint.context import LintContext
from safereply.core.lint.rules._util import phrase_check, phrases
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, Severity

_FAKE = phrases(
    (
        (
            r"\b(?:fake|false|fraudulent|fabricated|made[\s-]up|bogus|phony|phoney|untrue|dishonest|"
            r"malicious|troll|spam)\s+(?:review|reviews|post|comment|rating|account|profile)\b|"
            r"\b(?:this|your)\s+(?:review|post|comment|rating)\s+(?:is|was|seems|appears)\s+(?:to\s+be\s+)?"
            r"(?:fake|false|fabricated|made\s+up|fraudulent|not\s+(?:genuine|real|legitimate|honest))\b|"
            r"\bnot\s+a\s+(?:real|genuine|legitimate|actual)\s+(?:patient|review|customer|client)\b|"
            r"\b(?:competitor|competitors|disgruntled\s+(?:former\s+)?employee|troll|trolling|"
            r"office\s+down\s+the\s+street|(?:showed|came)\s+up\s+the\s+same\s+week)\b|"
            r"\b(?:you(?:'re|\s+are)|this\s+(?:person|reviewer)\s+is)\s+(?:lying|a\s+liar|making\s+"
            r"(?:this|it|things)\s+up)\b",
            "'{m}' accuses the reviewer of lying; it escalates the dispute in public",
        ),
    ),
)
# "This never happened" denies the account; "that should never happen" and "if that didn't
# happen, I want to know why" apologise for it.
_NEVER_HAPPENED = phrases(
    (
        (
            r"\b(?:never|didn't|did\s+not)\s+happen(?:ed)?\b",
            "'{m}' accuses the reviewer of lying; it escalates the dispute in public",
        ),
    ),
    unless=re.compile(
        r"\b(?:should|must|would|shall|ought\s+to|make\s+sure\s+(?:it|this|that))\s+"
        r"(?:\w+\s+)?never\s+happen|\bif\s+(?:that|this|it|so)\s+(?:didn't|did\s+not)\s+happen",
        re.IGNORECASE,
    ),
)

_LEGAL = phrases(
    (
        (
            # "a power of attorney": the poster's right to act for a parent, no threat
            r"\b(?:our\s+)?(?<!power\sof\s)(?<!powers\sof\s)(?:attorney|attorneys|lawyer|lawyers|"
            r"legal\s+(?:team|counsel|department|"
            r"action|recourse|steps|options)|counsel)\b|\b(?:defamation|defamatory|libel|libelous|"
            r"slander|slanderous)\b|\b(?:sue|suing|lawsuit|litigation|cease\s+and\s+desist|"
            r"take\s+(?:this|it)\s+down\s+or|remove\s+(?:this|your)\s+(?:review|post)\s+or)\b|"
            r"\b(?:(?:please\s+)?(?:remove|delete|take\s+down)\s+(?:this|your)\s+(?:comment|review|post|"
            r"rating))\b|\b(?:report(?:ed|ing)?\s+(?:this|your)\s+(?:review|post|comment|account)|flag(?:ged)?\s+"
            r"(?:this|your)\s+(?:review|post))\b",
            "'{m}' reads as a legal threat or a move against the reviewer",
        ),
    ),
)

_BLAME = phrases(
    (
        (
            r"\b(?:you|u)\s+(?:failed|refused|chose\s+not|neglected|forgot|ignored|declined|"
            r"(?:didn't|did\s+not|never)\s+(?:follow|show|come|call|pay|read|listen|bring|arrive|"
            r"tell|inform|mention|provide|cancel|keep|return|complete|take|fill|sign|bother|bring|"
            r"answer|respond|check|ask|wait|give|let)|were\s+(?:late|rude|told|informed|advised|warned|aware)|was\s+"
            r"(?:late|rude)|arrived\s+late|showed\s+up\s+late|no-?showed|missed|cancell?ed|should\s+"
            r"have|should've|need(?:ed)?\s+to\s+(?:read|understand|follow|realize|remember)|must\s+"
            r"(?:understand|realize)|clearly|obviously|knew|signed|agreed|were\s+given|received)\b",
            "'{m}' blames the reviewer or corrects their account in public",
        ),
        (
            r"\b(?:you|u)\s+(?:were|was|arrived|showed\s+up|came\s+in|got\s+here)\s+(?:[\w-]+\s+){0,3}"
            r"late\b|\b(?:if\s+you\s+had|had\s+you)\s+(?:only\s+|just\s+)?(?:shown\s+up|come|arrived|"
            r"read|followed|listened|called|paid|checked)\b|\b(?:had|have)\s+(?:you|u)\s+(?:followed|read|listened|arrived|shown|called|paid|"
            r"checked)\b|\bif\s+you\s+had\s+(?:only\s+)?(?:followed|read|listened|arrived|called|"
            r"paid)\b",
            "'{m}' blames the reviewer",
        ),
        (
            r"\b(?:as\s+(?:was|we|you\s+were|our\s+\w+)\s+(?:clearly\s+|already\s+|previously\s+)?"
            r"(?:explained|stated|told|informed|mentioned|discussed|advised)|contrary\s+to\s+(?:your|"
            r"what)|(?:that|this|it|which)\s+(?:is|was)\s+(?:simply\s+|just\s+|completely\s+|absolutely\s+)?"
            r"(?:not\s+(?:true|accurate|correct|what\s+happened)|untrue|false|incorrect|inaccurate|"
            r"misleading)|(?:your|these|those|the)\s+(?:claims?|accusations?|allegations?|version|"
            r"account|statements?)\s+(?:is|are|was|were)\s+(?:not|simply|false|untrue|inaccurate|"
            r"incorrect|misleading)|to\s+set\s+the\s+record\s+straight|for\s+the\s+record|let\s+me\s+"
            r"(?:be\s+clear|clarify|correct)|the\s+(?:real\s+)?facts\s+(?:are|is)|in\s+reality|"
            r"misinformation|misrepresent\w*|what\s+really\s+happened|the\s+truth\s+is)\b|"
            r"(?:^|(?<=[.!?]))\s*(?:in\s+fact|actually),",
            "'{m}' argues with the reviewer's account in public",
        ),
        (
            r"\b(?:you|u)\s+(?:are|were)\s+(?:mistaken|wrong|confused|incorrect|misinformed)\b|"
            r"\bget\s+your\s+facts\s+straight\b|\bwith\s+all\s+due\s+respect\b|(?:^|(?<=[.!?]\s))with\s+"
            r"respect\b|"
            r"\blet'?s\s+be\s+clear\b|\b(?:you\s+)?(?:may|must|might)\s+have\s+(?:the\s+wrong|"
            r"confused|mixed\s+(?:us|this)\s+up)\b|\b(?:was|were)\s+(?:explained|told|given|provided|"
            r"sent|offered|shown)\s+to\s+you\b|\b(?:done|handled)\s+(?:by\s+the\s+book|correctly|"
            r"properly|appropriately)\b|\beverything\s+(?:was\s+)?(?:correctly|properly|right)\b|"
            r"\bon\s+our\s+end\b|,\s*not\s+us\b|\b(?:security\s+)?(?:footage|camera\s+footage|"
            r"video\s+footage|(?:call|phone|audio|video|our)\s+recordings?|recordings?\s+(?:shows?|"
            r"confirms?|clearly|of\s+(?:the|your)\s+call)|phone\s+logs?|call\s+logs?)\b|\b(?:polite|professional|"
            r"courteous|respectful)\s+at\s+all\s+times\b|\b(?:seen|called|checked\s+in)\s+(?:on\s+"
            r"time|at\s+the\s+correct\s+time|promptly)\b|\bno\s+(?:missed\s+)?calls?\s+from\s+"
            r"(?:you|your)\b|\b(?:you\s+)?never\s+(?:mentioned|said|told|raised|complained|returned|"
            r"responded|called\s+back)\b|\b(?:have\s+not|haven't|did\s+not|didn't)\s+(?:responded|"
            r"respond|returned|return)\b|\bunfair\s+to\s+say\b|\b(?:can't|cannot)\s+help\s+(?:you\s+)?"
            r"if\s+you\b|\byou\s+won't\b|\b(?:demanding|demanded|seeking|asked\s+for)\s+(?:opioids|"
            r"narcotics|pain\s+(?:meds|pills|medication)|free)\b|\bdischarged\s+(?:you|her|him|them)\b|"
            r"\b(?:declined|refused|denied)\s+your\s+request\b|\bright\s+after\s+we\b|"
            r"\b(?:bent|bend)\s+over\s+backwards\b|\b(?:this|that)\s+is\s+(?:ridiculous|absurd|"
            r"laughable|nonsense)\b|\bridiculous\b|\bwe\s+understand\s+(?:you(?:'re|\s+are)\s+upset|"
            r"your\s+frustration),?\s+but\b|\bthe\s+doctor\s+is\s+the\s+expert\b|"
            r"\b(?:inaccurate|unfair|false|untrue|misleading|one-sided)\s+(?:and\s+\w+\s+)?"
            r"(?:review|account|portrayal|representation|description)\b|\b(?:have|has|had)\s+"
            r"(?:me|us|him|her)\s+confused\s+with\b|\bunsure\s+(?:as\s+to\s+)?who\s+you\s+are\b|"
            r"\bno\s+patient\s+(?:is|was|has\s+ever\s+been)\s+ever\b|\bno\s+patient\s+is\s+ever\b",
            "'{m}' argues with the reviewer or corrects their account in public",
        ),
        (
            r"\bperceived\s+(?:dissatisfaction|problem|issue|slight|rudeness)\b|\bperception\s+of\s+"
            r"events\b|\b(?:does|did)\s+not\s+correlate\b|\b(?:we\s+are|we're|i\s+am|i'm)\s+puzzled\b|"
            r"\bstaff\s+(?:is|are)\s+not\b|\bnobody\s+lied\b|\b(?:does|do|did)\s+not\s+(?:order|"
            r"prescribe|do|perform|recommend)\s+unnecessary\b|\b(?:that|this)\s+is\s+not\s+typical\b|"
            r"\b(?:must\s+)?(?:sadly\s+|respectfully\s+|strongly\s+)?disagree\b|\bnot\s+consistent\s+"
            r"with\s+(?:other|the\s+other|our\s+other)\s+(?:ratings|reviews)\b|\b(?:rated|reviewed)\s+"
            r"the\s+(?:\w+\s+)?(?:correct|right|wrong)\s+(?:doctor|office|practice|physician)\b|"
            r"\bdisgruntled\b|\bby\s+nature\b|\bwe\s+wish\s+you\s+(?:would|had)\s+(?:have\s+)?"
            r"(?:brought|told|called|come)\b|\bconfusing\s+(?:our|us|this)\b|\bif\s+(?:this|that)\s+"
            r"(?:in\s+fact\s+)?is\s+true\b|\bif\s+you\s+are\s+(?:truly|really|actually)\s+(?:our|a)\s+"
            r"patient\b|\ball\s+(?:the\s+)?other\s+reviews\b|\bno\s+(?:legal\s+)?right\s+to\b|"
            r"\bpolice\s+report\b|\btrespass\w*|\byou\s+were\s+unaware\b|\bpatients\s+arriving\s+late\b|"
            r"\bthis\s+is\s+simply\b|\bhard\s+to\s+believe\b|\b(?:does\s+not|doesn't)\s+sound\s+like\s+"
            r"(?:a\s+|an\s+)?(?:usual|typical|normal|accurate|us|our)\b|\bregret\s+(?:that\s+)?you\s+(?:feel|felt)\b|\b(?:finding|"
            r"find)\s+(?:another|a\s+new|a\s+different|a\s+better)\s+(?:practice|dentist|doctor|office|"
            r"provider)\b|\bset\s+the\s+record\s+straight\b|\bwe(?:'re|\s+are)\s+under\s+no\b|\bgood\s+luck\s*[.!]?\s*$|\bwhy\s+this\s+review\s+is\s+being\b",
            "'{m}' sounds defensive or argues with the reviewer",
        ),
        (
            r"\b(?:(?:it|that)(?:'s|\s+is|\s+was)\s+(?:your|ur)\s+(?:own\s+)?(?:fault|responsibility|"
            r"problem|choice)|your\s+own\s+fault|not\s+our\s+(?:fault|problem|responsibility|policy\s+to)|"
            r"we\s+(?:are|were)\s+not\s+(?:responsible|to\s+blame|at\s+fault)|(?:the\s+)?patient's\s+"
            r"responsibility|(?:our\s+)?policy\s+(?:clearly\s+)?(?:states|says|requires)|as\s+stated\s+"
            r"in\s+(?:our|the)\s+policy)\b",
            "'{m}' shifts blame onto the reviewer",
        ),
        (
            r"\b(?:the|your|ur)\s+(?:[\w-]+\s+){1,2}?(?:you|u)\s+(?:uploaded|sent|submitted|"
            r"gave\s+us|provided|filled\s+out|brought)\s+(?:was|were)\s+(?:(?:too|really|so|very)\s+)?"
            r"(?:blurry|wrong|incomplete|illegible|unreadable|incorrect|expired|outdated)\b",
            "'{m}' blames what the reviewer sent for the practice's miss",
        ),
    ),
)

_DEFENSIVE = phrases(
    (
        (
            r"\b(?:sorry\s+if\s+(?:you|this\s+patient|the\s+patient)\s+(?:feel|felt|think|thought|"
            r"believe|perceive|perceived)\b|sorry\s+(?:that\s+)?(?:you|this\s+patient|the\s+patient)\s+"
            r"(?:think|thought|believe|perceive|perceived)\b|sorry\s+(?:that\s+)?(?:you|this\s+patient|"
            r"the\s+patient)\s+(?:feel|felt)\s+(?:that\s+way|this\s+way|so|like\s+that|otherwise|as\s+"
            r"(?:though|if)|that\s+(?:we|our|the|this|it|you\s+were))\b|we\s+stand\s+by|we\s+(?:do\s+not|don't)\s+(?:appreciate|"
            r"accept|tolerate)|we\s+(?:will\s+not|won't)\s+tolerate|(?:go|find|look|seek\s+care)\s+"
            r"(?:somewhere|elsewhere)|(?:find|look\s+for)\s+another\s+(?:dentist|doctor|office|practice|"
            r"provider)|(?:you're|you\s+are)\s+(?:welcome|free)\s+to\s+(?:go|find|seek|take\s+your)|"
            # "entitled", not a right stated for everyone ("every patient is entitled to ...")
            r"maybe\s+(?:you|next\s+time\s+you)\s+should|obviously|unreasonable|not\s+entitled|"
            r"entitled(?!\s+to\b)|"
            r"(?:you|u)\s+(?:were|was|are|being)\s+(?:rude|abusive|aggressive|hostile|disrespectful|"
            r"belligerent|yelling|screaming|difficult|demanding|unreasonable)|your\s+(?:rude|abusive|"
            r"aggressive|hostile|unacceptable|disrespectful|poor)\s+(?:behavior|behaviour|attitude|"
            r"tone|conduct|manners)|calm\s+down|no\s+one\s+else\s+(?:has\s+)?(?:ever\s+)?complain\w*|"
            r"(?:everyone|everybody|all\s+(?:our|of\s+our)\s+(?:other\s+)?patients)\s+else\s+"
            r"(?:loves?|is\s+happy)|(?:other|most)\s+(?:patients|people)\s+(?:are|were|have\s+been|"
            r"don't|do\s+not)\s+(?:happy|satisfied|fine|have\s+(?:a|this|any)\s+problem)|"
            r"we\s+(?:are|were)\s+(?:not|under\s+no)\s+obligat\w*|we\s+did\s+nothing\s+wrong|"
            r"(?:not|never)\s+(?:our|my)\s+(?:job|concern)|whatever(?!\s+(?:they|he|she|it|its|the|their|"
            r"his|her|kind|type|questions?|concerns?|needs?|time|reason|insurance|plans?|budget|"
            r"works|is\s+best|you\s+(?:need|decide|choose|prefer|bring|have|send|want)))|deal\s+with\s+"
            r"it|get\s+over|"
            r"a\s+you\s+problem|some\s+people\s+(?:are|will)\s+never|never\s+satisfied|"
            r"(?:everyone|everybody|every\s+other\s+patient|all\s+(?:our\s+)?other\s+patients)\s+"
            r"(?:else\s+)?(?:seems?\s+to\s+)?(?:loves?|is\s+happy|are\s+happy)|reviews?\s+like\s+"
            r"this\s+(?:are|is)\s+why|(?:third|second|another|fourth|\d+(?:st|nd|rd|th))\s+(?:bad|negative|"
            r"fake|one-star|1-star)\s+review|please\s+stop|not\s+sure\s+what\s+(?:you\s+expected|this\s+"
            r"review\s+is\s+about)|(?:medical|dental)\s+(?:office|practice|clinic),?\s+not\s+a|"
            r"(?:do\s+not|don't)\s+have\s+time\s+for|rudeness\s+from|tells\s+us\s+everything|"
            r"sorry\s+not\s+sorry|policies\s+are\s+there\s+for\s+a\s+reason|don't\s+act\s+surprised|"
            r"if\s+you're\s+that\s+unhappy|you\s+get\s+what\s+you\s+pay\s+for)\b",
            "'{m}' sounds defensive or dismissive",
            "we're sorry to hear this and would like to understand what happened",
        ),
        (
            # excusing the practice or brushing the complaint aside: "tbf", "in my defence",
            # "so it evens out", "nothing to see here", "I said it as a joke", "cut her some
            # slack", "so don't expect ..."
            r"\b(?:tbf|to\s+be\s+fair|in\s+(?:our|my)\s+defen[cs]e|(?:it|that)\s+(?:all\s+)?"
            r"evens\s+out|nothing\s+to\s+see\s+here|(?:i|we)\s+(?:said|meant)\s+it\s+as\s+a\s+"
            r"joke|(?:i|we)\s+(?:was|were)\s+(?:just\s+)?(?:joking|kidding)|i['’]?m\s+a\s+kidder|"
            r"cut\s+(?:[\w'’-]+\s+){1,3}?some\s+slack|don['’]?t\s+expect)\b",
            "'{m}' excuses the practice or brushes the reviewer's complaint aside",
            "",
        ),
    ),
)

_SARCASM = phrases(
    (
        (
            r"\b(?:thanks?\s+(?:you\s+)?(?:so\s+much\s+)?for\s+the\s+(?:lovely|wonderful|glowing|charming)"
            r"\s+(?:review|feedback|words|note)(?=[^.!?]*(?:\.\s*(?:good\s+luck|maybe|next\s+time)|🙄|"
            r"\bnot\b))|must\s+be\s+nice|bless\s+your\s+heart|good\s+luck\s+"
            r"(?:finding|with\s+that|elsewhere)|(?:impossibly|unrealistic(?:ally)?)\s+(?:high\s+)?"
            r"(?:standards|expectations)|we'?re\s+(?:so\s+)?(?:sorry|sad)\s+we\s+(?:couldn't|could\s+"
            r"not)\s+(?:meet|live\s+up\s+to)\s+your\s+(?:lofty|high|impossible)|congratulations\s+"
            r"on\s+(?:being|your\s+(?:first|one))|lol|lmao|smh|sure\s+thing,?\s+buddy|"
            r"nice\s+try|(?:we\s+find\s+it|how|it's|it\s+is)\s+interesting|interesting\s+that|funny\s+"
            r"how|i\s+guess|ok\s*\.?$)\b|🙄|😒|🤡|🙃",
            "'{m}' reads as sarcastic",
            "",
        ),
    ),
)

# Answering a reviewer with the practice's rating, or lecturing them: "we have a 4.9-star
# rating", "hundreds of five-star reviews", "just so you know", "respect goes both ways".
_RATING_AND_LECTURE = phrases(
    (
        (
            r"\b(?:we\s+(?:have|hold|maintain|keep)|tenemos|our|with\s+an?)\s+(?:\w+\s+)?\d\.\d\s*"
            r"(?:-?\s*star|stars|estrellas|rating|average)|\b(?:hundreds|thousands|cientos|miles|"
            r"\d{3,})\s+(?:of\s+|de\s+)?(?:five-star|5-star|positive|glowing)\s+(?:reviews|rese[ñn]as)|"
            r"\b(?:cientos|miles)\s+de\s+(?:clientes|pacientes)\s+satisfechos|\b(?:hundreds|"
            r"thousands)\s+of\s+(?:happy|satisfied)\s+(?:patients|clients|families)",
            "'{m}' answers the reviewer with the practice's rating: it reads as dismissing them",
            "",
        ),
        (
            r"\bjust\s+so\s+you\s+know\b|\beducate\s+yourself\b|\bwe(?:'re|\s+are)\s+confident\s+in\s+"
            r"(?:them|our|the)\b|\bis\s+not\s+how\s+(?:a|an|the)\s+(?:\w+\s+)?(?:office|practice|"
            r"clinic|hospital)\s+works\b|\brespect\s+goes\s+both\s+ways\b|\brules\s+exist\s+for\s+a\s+"
            r"reason\b|\b(?:le|te)\s+convenga\b|\breflexionar\s+sobre\b|\bm[aá]s\s+f[aá]cil\s+culpar|"
            r"\bqu[eé]\s+curioso\b|(?:^|(?<=[.!?]\s))shocking\s+that\b",
            "'{m}' lectures the reviewer or sounds sarcastic",
            "",
        ),
    ),
)

_SARCASM_CHECK = phrase_check(_SARCASM)
#: Laughter: banter with a reader who praised or asked, sarcasm only when answering a complaint.
_LAUGHTER = re.compile(r"(?:lol|lmao)", re.IGNORECASE)
_SMIRK = re.compile("[\U0001f60f\U0001f643\U0001f644\U0001f612]")
#: A poster who laughs first ("lol the propofol nap was elite", "broke hers again 🙃", "💀"):
#: the reply laughing along is banter with them, not a jab.
_POST_LAUGHS = re.compile(
    r"\b(?:lol|lmao|lmfao|rofl|haha\w*|jaja\w*)\b|"
    r"[\U0001f480\U0001f602\U0001f923\U0001f643\U0001f605\U0001f606]",
    re.IGNORECASE,
)


def _sarcasm(ctx: LintContext) -> Iterator[Hit]:
    """TN005's phrases, less laughter ("lol", "LMAO") in a reply to a post that triage reads as
    praise or a plain question: "LOL it happens 😂 we have kids frames with a warranty"."""
    friendly: bool | None = None
    for hit in _SARCASM_CHECK(ctx):
        if _LAUGHTER.fullmatch(ctx.reply, hit.start, hit.end):
            if friendly is None:
                friendly = _friendly_post(ctx)
            if friendly:
                continue
        yield hit


def _friendly_post(ctx: LintContext) -> bool:
    """Return True when the post is praise or a plain question (no complaint, no care asked),
    the poster laughed first ("lol", "😂", "💀"), or the reply thanks for praise ("Thanks for
    the love!")."""
    from safereply.core.lint.rules.contact_path import post_kind, thanks_for_praise

    if ctx.post is None or _SMIRK.search(ctx.reply):
        return False  # "lol says the guy who ... 😏": a smirk makes the laughter a jab
    if _POST_LAUGHS.search(ctx.post):
        return True
    return thanks_for_praise(ctx.reply) or post_kind(ctx.post) in ("praise", "question")


RULES = (
    Rule(
        code="TN001",
        name="fake-review-accusation",
        category=Category.TONE,
        severity=Severity.WARNING,
        summary="Calls the review fake, the reviewer a liar or a competitor.",
        rationale="Accusations escalate disputes and often lead practices to disclose PHI to "
        "'prove' the reviewer wrong.",
        check=phrase_check((*_FAKE, *_NEVER_HAPPENED)),
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("This is a [[fake review]]."), Example("This [[never happened]].")),
        good=(Example("We take every review seriously."),),
    ),
    Rule(
        code="TN002",
        name="legal-threat",
        category=Category.TONE,
        severity=Severity.WARNING,
        summary="Mentions lawyers, defamation, lawsuits or reporting the review.",
        rationale="Legal threats in public look like retaliation and draw attention to the "
        "dispute.",
        check=phrase_check(_LEGAL),
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("Our [[attorney]] will review this [[defamatory]] post."),),
        good=(Example("We'd like to hear more; please call (555) 388-9100."),),
    ),
    Rule(
        code="TN003",
        name="blames-reviewer",
        category=Category.TONE,
        severity=Severity.WARNING,
        summary="Blames the reviewer or corrects their account in public.",
        rationale="Correcting a reviewer in public is argumentative and invites disclosure of "
        "what really happened.",
        check=phrase_check(_BLAME),
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("Actually, [[you were late]] by 20 minutes."),
            Example("[[That is simply not true]]."),
        ),
        good=(Example("We're sorry to hear about the wait and are working to shorten it."),),
    ),
    Rule(
        code="TN004",
        name="defensive-dismissive",
        category=Category.TONE,
        severity=Severity.WARNING,
        summary="Defensive or dismissive wording ('sorry you feel that way', 'we stand by').",
        rationale="A calm reply that owns the concern reads better to every future patient.",
        check=phrase_check((*_DEFENSIVE, *_RATING_AND_LECTURE)),
        fix_safety=FixSafety.UNSAFE,
        bad=(
            Example("We're [[sorry you feel that way]]."),
            Example("[[No one else has complained]]."),
        ),
        good=(Example("We're sorry to hear this and want to make it right."),),
    ),
    Rule(
        code="TN005",
        name="sarcasm",
        category=Category.TONE,
        severity=Severity.WARNING,
        summary="Sarcastic wording or emoji.",
        rationale="Sarcasm is read literally by strangers and looks unprofessional.",
        check=_sarcasm,
        fix_safety=FixSafety.UNSAFE,
        bad=(Example("[[Thanks for the lovely review]]. [[Good luck finding]] better."),),
        good=(Example("Thank you for taking the time to share this."),),
    ),
)
