"""Keyword and pattern rules of triage: emergencies, crises, spam, questions and topic cues.

The emergency and crisis rules never depend on the classifier: they are plain patterns over the
normalised text, written to favour recall (a person reads every escalated post; a missed one can
cost a life). Each rule carries the short reason shown to staff.

Text is normalised first (lower case, curly quotes straightened, runs of spaces collapsed), so the
patterns can assume ``'`` and single spaces; apostrophes stay optional because posts often drop
them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CRISIS_RULES",
    "EMERGENCY_RULES",
    "TOPIC_RULES",
    "PatternRule",
    "crisis_reasons",
    "emergency_reasons",
    "is_question",
    "normalise",
    "spam_reasons",
    "topic_cues",
]

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"'})
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Return lower-cased text with straight quotes and single spaces."""
    return _SPACES.sub(" ", text.translate(_QUOTES).lower()).strip()


@dataclass(frozen=True, slots=True)
class PatternRule:
    """A compiled pattern and the short human reason it gives when it matches."""

    reason: str
    pattern: re.Pattern[str]

    def search(self, text: str) -> re.Match[str] | None:
        """Return the first match in normalised text, if any."""
        return self.pattern.search(text)


def _rules(table: Iterable[tuple[str, str]]) -> tuple[PatternRule, ...]:
    return tuple(PatternRule(reason, re.compile(rx)) for reason, rx in table)


# Shared fragments. NOT = a negation with or without the apostrophe.
_NOT = r"(?:n'?t|not|cannot|can ?not)"
_CANT = r"(?:can'?t|cannot|can not|couldn'?t|unable to)"
_WHO = r"(?:my|his|her|their|the|our)"
_KID = r"(?:\w+ )?(?:son|daughter|kid|child|baby|toddler|boy|girl|\d+ (?:year|month|week) old)"

EMERGENCY_RULES = _rules(
    (
        ("mentions chest pain", r"\bchest (?:pains?|pressure|tightness|hurts?|hurting|is hurting)"),
        (
            "mentions chest pain",
            r"\bchest (?:feels|is|felt) (?:really |so |very |all )?(?:tight|heavy)",
        ),
        ("mentions chest pain", rf"\b(?:pressure|pain|tightness|weight) (?:in|on) {_WHO} chest"),
        ("mentions chest pain", r"\bcrushing (?:pain|pressure)"),
        (
            "mentions heart-attack signs",
            rf"\b(?:left arm|arm (?:is |feels )?(?:numb|tingling)|down {_WHO} (?:left )?arm)",
        ),
        (
            "mentions heart-attack signs",
            (
                r"(?<!gave me a )(?<!give me a )(?<!giving me a )\bheart attack\b(?! (?:last|"
                r"years?|in 20))"
            ),
        ),
        (
            "mentions trouble breathing",
            rf"\b{_CANT} (?:\w+ )?(?:breathe|breath|catch (?:my|his|her) breath)",
        ),
        (
            "mentions trouble breathing",
            (
                r"\b(?:trouble|struggling|struggles|hard|difficulty|difficult|"
                r"problems?) (?:to )?breath(?:e|ing)"
            ),
        ),
        ("mentions trouble breathing", r"\b(?:barely|not|stopped|isn'?t|wasn'?t) breathing\b"),
        (
            "mentions trouble breathing",
            r"\b(?:short(?:ness)? of breath|gasping|wheezing|choking)\b",
        ),
        (
            "mentions trouble breathing",
            (
                r"\b(?:lips?|face|skin) (?:look |looks |is |are |went |turning |"
                r"turned )?(?:blue|grey|gray)\b|\bturning blue\b|\bblue lips\b"
            ),
        ),
        (
            "mentions trouble breathing",
            r"\basthma attack\b|\binhaler (?:is ?n'?t|not) (?:working|helping)",
        ),
        (
            "mentions a swallowed object",
            (
                r"\b(?:swallowed|ate|eaten|swallow) (?:a |an |the |some |two |"
                r"my |her |his )?(?:\w+ )?(?:batter(?:y|ies)|magnets?|coins?|button|"
                r"pins?|screws?|tooth ?pick)"
            ),
        ),
        (
            "mentions poisoning",
            (
                r"\b(?:drank|swallowed|ate|ingested|got into) .{0,30}\b(?:bleach|"
                r"pods?|detergent|cleaner|antifreeze|poison|medicine|pills|tablets|"
                r"meds)\b"
            ),
        ),
        ("mentions poisoning", r"\bpoison(?:ed|ing)?\b"),
        ("mentions a severe allergic reaction", r"\bana?phyla\w*|\bepi ?pens?\b"),
        ("mentions a severe allergic reaction", r"\ballergic reaction\b"),
        (
            "mentions a severe allergic reaction",
            r"\bthroat (?:is |feels |was |keeps )?(?:closing|swelling|swollen|tight)",
        ),
        (
            "mentions a severe allergic reaction",
            (
                r"\b(?:face|lips?|tongue|throat|mouth|eyes?)\b[^.!?]{0,25}\b(?:swelling|"
                r"swollen|puffy|swell)\b"
            ),
        ),
        ("mentions a severe allergic reaction", r"\bhives\b"),
        ("mentions stroke signs", r"\bdroop(?:ing|y|s|ed)?\b"),
        (
            "mentions stroke signs",
            (
                r"\bslurr(?:ed|ing)\b|\btalking funny\b|\bwords (?:are |keep )?(?:coming out|"
                r"come out) wrong"
            ),
        ),
        (
            "mentions stroke signs",
            rf"\b{_CANT} (?:lift|move|feel) (?:his|her|my|their) (?:\w+ )?(?:arm|leg|face|side)",
        ),
        (
            "mentions stroke signs",
            rf"\bface (?:won'?t|will not|doesn'?t|does not|can'?t) move|\b{_CANT} smile\b",
        ),
        (
            "mentions stroke signs",
            (
                r"\b(?:left|right|one) side (?:of (?:my|his|her) (?:body|face) )?(?:feels |"
                r"is |went |has gone )?(?:\w+ )?(?:and )?(?:numb|weak|paralys\w+)"
            ),
        ),
        (
            "mentions stroke signs",
            r"\b(?:having|had|have|is having) a stroke\b|\bstroke (?:signs|symptoms)\b",
        ),
        (
            "mentions heavy bleeding",
            (
                r"\bbleed\w*[^.!?]{0,40}\b(?:won'?t|wont|will not|doesn'?t|does not|"
                r"hasn'?t|has not|isn'?t|is not|not|never) (?:stop|stopping|stopped|"
                r"slowing)"
            ),
        ),
        ("mentions heavy bleeding", rf"\b{_CANT} stop (?:the |his |her |my )?bleeding"),
        (
            "mentions heavy bleeding",
            (
                r"\b(?:bleeding|bleeds|bled) (?:heavily|a lot|badly|profusely|"
                r"everywhere|through)|\bheavy bleeding\b|\bheavily bleeding\b"
            ),
        ),
        (
            "mentions heavy bleeding",
            (
                r"\b(?:a lot of|lots of|so much|pool of|gushing) blood\b|\bsoaked (?:through|"
                r"with blood)"
            ),
        ),
        (
            "mentions heavy bleeding",
            (
                r"\b(?:vomiting|throwing up|coughing up|spitting up|peeing) blood\b|"
                r"\bblood (?:coming )?(?:out of|from) (?:his|her|my|their) (?:ear|"
                r"ears|nose|mouth)"
            ),
        ),
        ("mentions an overdose", r"\boverdos\w*|\bo\.d\.?'?d\b"),
        (
            "mentions an overdose",
            (
                r"\btook (?:too many|too much|double|twice|triple|a bunch of|a handful of|"
                r"the whole bottle|extra)\b"
            ),
        ),
        (
            "mentions loss of consciousness",
            (
                r"\b(?:unconscious|unresponsive|not responding|isn'?t responding|"
                r"won'?t wake up|can'?t wake (?:him|her|them)|fainted|passed out|"
                r"pass(?:ing)? out|collapsed|blacked out)\b"
            ),
        ),
        (
            "mentions loss of consciousness",
            r"\b(?:feel|feeling|felt) (?:really |very |so )?faint\b",
        ),
        ("mentions a seizure", r"\bseiz(?:ure|ing)\b|\bconvuls\w+"),
        ("mentions a head injury", r"\bhit (?:his|her|my|their) head\b"),
        ("mentions a knocked-out tooth", r"\bknock\w* (?:\w+ ){0,3}(?:tooth|teeth) (?:\w+ )?out\b"),
        ("mentions the worst headache", r"\bworst headache\b"),
        (
            "mentions a dangerous fever",
            rf"\bfever of (?:10[3-9]|4[0-2])\b|\b{_KID}[^.!?]{{0,40}}\b(?:limp|floppy|lethargic)\b",
        ),
        (
            "mentions spreading swelling",
            (
                rf"\bswelling[^.!?]{{0,40}}\b(?:neck|eye|spreading)\b|\bhard to (?:open (?:my|"
                rf"his|her) mouth|swallow)\b|\b{_CANT} swallow"
            ),
        ),
        (
            "asks for emergency help",
            (
                r"\b(?:call(?:ed|ing)? 911|ambulance (?:is ?n'?t|not) here|need an ambulance|"
                r"is this an emergency)\b"
            ),
        ),
        # Added after the first held-out check (docs/triage.md).
        (
            "mentions a swallowed object",
            r"\bswallow\w* [^.!?]{0,40}\b(?:batter(?:y|ies)|magnets?|coins?)\b",
        ),
        (
            "mentions heavy bleeding",
            r"\bblood (?:is |keeps )?(?:pouring|gushing|spurting|everywhere)|\bblood[^.!?]{0,40}"
            r"\b(?:won'?t|will not|doesn'?t|does not|not) stop",
        ),
        # Added after the second blind check (docs/triage.md).
        (
            "mentions stroke signs",
            rf"\b(?:face|mouth|smile) (?:\w+ )?(?:went|is|looks|going) (?:\w+ )?"
            rf"(?:lopsided|crooked|uneven|numb)|"
            rf"\b{_CANT} (?:talk|speak) (?:properly|right|clearly|normally)",
        ),
        (
            "mentions an overdose",
            r"\b(?:took|taken|swallowed|ate) (?:a |the )?(?:whole|entire|full) (?:bottle|pack|box|"
            r"packet)\b",
        ),
    )
)

CRISIS_RULES = _rules(
    (
        ("mentions suicide", r"\bsuicid\w*|\bkms\b|\bunalive\b"),
        ("mentions suicide", r"\bkill(?:ing)? (?:my|him|her|them)sel(?:f|ves)\b"),
        (
            "mentions suicide",
            r"\b(?:take|taking|took|end|ending|ended) (?:my|his|her|their) (?:own )?life\b",
        ),
        (
            "mentions suicide",
            (
                r"\bend (?:it all|things|everything|my life|it tonight)\b|\bready to end it\b|"
                r"\bways to (?:end it|die|kill)"
            ),
        ),
        (
            "mentions wanting to die",
            (
                r"\b(?:want|wants|wanted|wanna|wish|wishes) (?:to|i could|i was|"
                r"i were|he was|she was) (?:die|dead|disappear forever)\b|\bwant to die\b"
            ),
        ),
        (
            "mentions wanting to die",
            (
                r"\b(?:rather|better off) (?:be )?dead\b|\bhappier if (?:i|he|"
                r"she) (?:was|were|'?m) (?:dead|gone)"
            ),
        ),
        (
            "mentions wanting to die",
            rf"\b(?:do{_NOT}|don'?t) want to (?:wake up|be alive|live|be here|exist)\b",
        ),
        (
            "mentions wanting to die",
            (
                r"\b(?:and|to|never|if i don'?t|if i do not|if i never) "
                r"(?:not )?wake up\b(?! (?:in|"
                r"at|early))"
            ),
        ),
        ("mentions wanting to die", r"\btired of (?:being alive|living)\b|\bnever been born\b"),
        (
            "says others are better off without them",
            (
                r"\bbetter (?:off )?without me\b|\bnotice if i (?:was|were|'?m) gone\b|"
                r"\b(?:i'?m|i am) (?:just )?a burden\b"
            ),
        ),
        (
            "mentions no reason to live",
            (
                r"\bno (?:reason|point) (?:to|in) (?:keep going|keep living|living|"
                r"going on|being alive)\b|\bwhat'?s the point (?:anymore|of living|"
                r"of anything)\b|\bno point anymore\b"
            ),
        ),
        (
            "mentions no way out",
            rf"\b(?:do{_NOT}|don'?t|can'?t|cannot) see (?:a|any) way out\b|\bno way out\b",
        ),
        (
            "says they cannot go on",
            (
                rf"\b{_CANT} (?:do this|take (?:it|this)|keep living|go on|live like this)"
                rf"(?: anymore|"
                rf" any more| like this)\b|\b{_CANT} keep living\b"
            ),
        ),
        (
            "mentions self-harm",
            (
                r"\bself[- ]?harm\w*|\bcutting (?:myself|again)\b|\b(?:hurt|hurting|"
                r"harm|harming) (?:my|him|her)self\b"
            ),
        ),
        (
            "mentions a plan or means",
            (
                r"\bpills? (?:lined up|counted|ready)\b|\b(?:saved|saving|stockpil\w+|"
                r"hoard\w*) (?:up )?(?:all )?(?:my |of my )?(?:pills|meds|medication)"
            ),
        ),
        (
            "mentions a plan or means",
            (
                r"\btook all (?:my|of my|his|her) (?:pills|meds|medication)\b|"
                r"\b(?:thinking|thought|think) (?:of|about) (?:overdosing|taking all|"
                r"jumping|ending)"
            ),
        ),
        (
            "mentions a plan or means",
            (
                r"\bhow many (?:of )?(?:my |these |the )?(?:\w+ )?(?:pills|tablets) "
                r"(?:would it take|"
                r"to take|it would take)|\b(?:made|have|got) (?:my|a) plan\b(?! (?:to (?:switch|"
                r"change|move|find|go)))"
            ),
        ),
        (
            "mentions a plan or means",
            (
                r"\b(?:got|have|bought) (?:the|a) (?:rope|noose)\b|\buse it on (?:him|"
                r"her|my|them)sel(?:f|ves)\b|\bgun to (?:my|his|her) head\b"
            ),
        ),
        (
            "mentions a plan or means",
            (
                r"\bjump(?:ing)? (?:off (?:a|the) (?:bridge|roof|building)|in front of)|"
                r"\bstanding on (?:the|a) (?:bridge|ledge|roof)\b|\b(?:drive|driving|"
                r"crash|crashing) (?:my car )?into a (?:wall|tree)"
            ),
        ),
        (
            "mentions a plan or means",
            r"\btonight'?s the night\b|\bi think it'?s time\b(?! (?:to|for|i|we))",
        ),
        (
            "says goodbye",
            (
                r"\b(?:this is my|my final|final|last) (?:goodbye|message|post)\b|"
                r"\bgoodbye (?:everyone|all|world|forever)\b|\blast post you'?ll\b"
            ),
        ),
        (
            "says goodbye",
            (
                r"\b(?:writing|wrote|written|left) (?:my |a )?(?:suicide |goodbye )?(?:note|"
                r"notes|letters?) (?:to (?:my|everyone|all)|now|for (?:my|everyone))|"
                r"\bwriting my note\b|\bsuicide note\b"
            ),
        ),
        (
            "says goodbye",
            (
                r"\bgiven away (?:my|all my) (?:stuff|things|belongings)|\bwon'?t be (?:around|"
                r"here) (?:much longer|by then|anymore|for long|tomorrow)\b"
            ),
        ),
        (
            "says they do not feel safe",
            r"\b(?:don'?t|do not) feel safe (?:with|around) myself\b|\bscared of what i'?ll do\b",
        ),
        (
            "mentions the pain stopping for good",
            (
                r"\b(?:want|wants) (?:it all|everything|the pain) to (?:end|stop forever|"
                r"be over)\b|\bwant it all to end\b|\bpain to stop forever\b"
            ),
        ),
        # Added after the first held-out check (docs/triage.md): wider indirect forms.
        (
            "says others are better off without them",
            r"\b(?:fine|better|happier|easier|good)(?: off)? without me\b|"
            r"\b(?:nobody|no one|noone) (?:would|will|is going to) (?:miss|notice|care)\b",
        ),
        (
            "says they cannot go on",
            r"\b(?:can'?t|cannot|can not|don'?t think i can|not sure i can) "
            r"(?:keep going|go on|keep doing this|do this anymore|carry on)\b|\bdone trying\b",
        ),
        (
            "mentions wanting to die",
            r"\b(?:sleep|disappear|go away) forever\b|\b(?:not|isn'?t|ain'?t|no longer) worth "
            r"living\b|\bstop existing\b|\bnot (?:want|wanting) to exist\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:how|ways?|plan\w*) to (?:end it|end my|kill|die)\b|\b(?:going to|gonna|will|"
            r"i'?ll|want to) end it\b|\bbottle of (?:pills|tablets)\b|\b(?:pills|meds|tablets) "
            r"and (?:a bottle of )?(?:vodka|alcohol|whiskey|wine|booze)\b",
        ),
        (
            "says goodbye",
            r"\bgiv(?:e|ing|en) (?:away )?(?:my|all my|away my) (?:things|stuff|belongings)|"
            r"\b(?:not going to|won'?t|will not|not gonna) be (?:here|around|alive) "
            r"(?:next|by|much|for|tomorrow|anymore|after)|\bif (?:something|anything) happens "
            r"to me\b|\btell (?:my \w+|everyone|them) (?:that )?i lov",
        ),
        # Added after the second blind check (docs/triage.md).
        (
            "mentions wanting to die",
            r"\b(?:nothing|no one|nobody) (?:left )?to live for\b|\bthe end for me\b|"
            r"\b(?:easier|better) (?:life|lives|place)? ?if i (?:just )?"
            r"(?:wasn'?t|weren'?t|was not|were not) (?:around|here|alive)\b|"
            r"\bwant (?:it|this|everything) (?:all )?to be over\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:going to|gonna|will|wants? to|plans? to|threaten\w* to) jump\b|\btake "
            r"everything in the (?:cabinet|cupboard|house)|\b(?:said|saying|say) my goodbyes\b|"
            r"\bdark thoughts\b|\bthoughts (?:of|about) (?:hurting|harming|killing|ending)",
        ),
    )
)

# Historical mentions ("I had chest pain last year") do not need an ambulance now. Only used to
# soften *emergency* rules, and only when no sign of the present is in the same sentence.
_PAST = re.compile(
    r"\b(?:last (?:week|month|year|time)|years? ago|months? ago|weeks? ago|back in|in 20\d\d)\b"
)
_PRESENT = re.compile(
    r"\b(?:now|right now|still|again|today|tonight|this (?:morning|"
    r"evening|afternoon)|currently|rn|just)\b"
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")


def _sentences(text: str) -> list[str]:
    return _SENTENCE.findall(text) or [text]


def emergency_reasons(norm: str) -> list[str]:
    """Return the reasons an (already normalised) post looks like a medical emergency."""
    reasons: list[str] = []
    for sentence in _sentences(norm):
        historical = _PAST.search(sentence) and not _PRESENT.search(sentence)
        if historical:
            continue
        for rule in EMERGENCY_RULES:
            if rule.reason not in reasons and rule.search(sentence):
                reasons.append(rule.reason)
    return reasons


def crisis_reasons(norm: str) -> list[str]:
    """Return the reasons an (already normalised) post shows a risk of self-harm."""
    reasons: list[str] = []
    for rule in CRISIS_RULES:
        if rule.reason not in reasons and rule.search(norm):
            reasons.append(rule.reason)
    return reasons


#: One of these alone makes a post spam.
SPAM_STRONG = _rules(
    (
        (
            "offers money or prizes",
            (
                r"\b(?:make|earn|made|turned) \$\d|\$\d[\d,]* (?:a|per) (?:week|"
                r"day|month)\b|\bearn money\b|\bpassive income\b|\bfree (?:gift|"
                r"spins|iphone|followers|status)\b|\b(?:to )?win an? (?:iphone|"
                r"ps5|gift|prize|car|trip|free)|\bcongratulations!? you'?ve been selected|"
                r"\byou'?ve won\b|\bgift card\b|\bwin win\b|\bcasino\b|\brt to win\b"
            ),
        ),
        (
            "promotes crypto or trading",
            (
                r"\bcrypto\w*|\bforex\b|\bnfts?\b|\bbitcoin\b|\bdouble your (?:investment|"
                r"money)\b|\bfree signals\b"
            ),
        ),
        (
            "sells unrelated goods",
            r"\b(?:replica|viagra|cialis|cbd|gummies|essential oils|no prescription needed)\b",
        ),
        (
            "looks like phishing",
            (
                r"\bverify (?:your|the) (?:account|page)\b|\bwill be disabled\b|"
                r"\bclaim (?:it )?now\b|\bclaim your (?:prize|gift|reward)|\bget verified\b"
            ),
        ),
        (
            "offers money or prizes",
            r"\$\d[\d,]*\s*(?:/|a |per )(?:day|week|month|hr|hour)\b|\bwork from home\b|"
            r"\bno experience needed\b|\bairdrop\b|\bfree tokens\b|\bhot singles\b|\bbuy my\b",
        ),
        ("looks like a test post", r"^(?:asdf|test|qwerty)(?:\W+(?:asdf|test|qwerty))*\W*$"),
        (
            "looks like a romance scam",
            r"\b(?:hello|hi) dear\b|\bknowing you better\b|\bsend me a friend request\b",
        ),
        (
            "follow-for-follow scheme",
            (
                r"\bf4f\b|\bfollow ?back\b|\bfollow for follow\b|\bcheck (?:out )?my (?:bio|"
                r"page|channel)\b|\blink in bio\b|\bpromote it on\b"
            ),
        ),
    )
)
#: Two of these together make a post spam.
SPAM_WEAK = _rules(
    (
        (
            "contains a link",
            (
                r"https?://|www\.|\b(?:bit\.ly|t\.me|tinyurl\.com|wa\.me)/|\b[a-z0-9-]+\.(?:example|"
                r"com|net|xyz|io|biz|info)(?:/|\b)"
            ),
        ),
        (
            "promotes followers or marketing",
            (
                r"\b(?:followers|more likes|backlinks|seo|brand ambassador|collab|"
                r"promote (?:your|small)|reviews guaranteed|grow (?:your )?patients|"
                r"web ?designer|websites for|marketing agency|we build|subscribe|"
                r"youtube channel)\b"
            ),
        ),
        (
            "asks for a private message",
            (
                r"\b(?:dm|inbox|message|whatsapp) (?:me|us)\b|\bsend (?:me|us) a (?:dm|"
                r"message)\b|\bwhatsapp\b|\bdm (?:for|to)\b"
            ),
        ),
    )
)


def spam_reasons(norm: str) -> tuple[list[str], list[str]]:
    """Return the strong and the weak spam signals of a normalised post."""
    strong = [rule.reason for rule in SPAM_STRONG if rule.search(norm)]
    weak = [rule.reason for rule in SPAM_WEAK if rule.search(norm)]
    return strong, weak


# Without a question mark, only an unmistakable opening makes a sentence a question.
_QUESTION_START = re.compile(
    r"^(?:hi|hello|hey|quick question|question)?[,!: ]*(?:@\w+ )*"
    r"(?:how|what|when|where|which|who|why|do you|does (?:anyone|any|the|your|it)|did you|"
    r"can (?:i|you|we|someone|my)|are you|is there|is it possible|anyone know|any chance|"
    r"has anyone)\b"
)
_RHETORICAL = re.compile(
    r"what more (?:could|can) (?:you|i|anyone|one) (?:want|ask)|who knew|why can'?t every|"
    r"how (?:lucky|great|cool)|what (?:a|an) \w+"
)


def is_question(norm: str) -> bool:
    """Return True when the post asks something (a question mark or a question opening)."""
    for sentence in _sentences(norm):
        sentence = sentence.strip()
        if _RHETORICAL.search(sentence):
            continue
        if sentence.endswith("?") or "?" in sentence:
            return True
        if not sentence.endswith((".", "!")) and _QUESTION_START.search(sentence):
            return True
    return False


_STAFF = (
    r"(?:receptionists?|front desk|front office|staff|nurses?|hygienists?|"
    r"assistants?|office manager|manager|doctors?|dr\.?|dentists?|"
    r"team|people|paramedics?|crew|call handlers?|tech|surgeon|everyone|"
    r"everybody|billing lady|girl|guy|lady|woman|man)"
)
_MANNER = (
    r"(?:rude|friendly|unfriendly|kind|kindness|nice|lovely|polite|"
    r"impolite|helpful|unhelpful|caring|uncaring|compassionate|dismissive|"
    r"condescending|arrogant|unprofessional|professional|gentle|sweet|"
    r"welcoming|warm|cold|patient with|respectful|disrespectful|courteous|"
    r"attentive|pleasant|wonderful|amazing|fantastic|brilliant|great|"
    r"excellent|awesome|the best|a gem|sarcastic|short with|annoyed|"
    r"judged|judgmental|listened|listens|bedside manner|manners|customer service)"
)

TOPIC_RULES: dict[str, re.Pattern[str]] = {
    "wait-time": re.compile(
        r"\b(?:wait(?:ed|ing)?|sat) (?:in the (?:lobby|waiting room) )?(?:for )?(?:over |"
        r"almost |nearly |about |around |more than )?(?:\d+|an?|one|two|"
        r"three|four|five|half an?) (?:\d+ )?(?:min|mins|minutes|hours?|"
        r"hrs?)\b"
        r"|\b(?:minutes|mins|hours?|hrs?) (?:late|behind|past (?:my|the|"
        r"our) appointment)|\brunning (?:\d+\+? minutes )?(?:late|behind)\b"
        r"|\b(?:long|the|short|zero|no) wait\b|\bwait ?times?\b|\bon time\b|"
        r"\bin and out\b|\bright on time\b|\bseen (?:right away|quickly|"
        r"promptly|on time)\b"
        r"|\b(?:minutes|hours?) in the waiting room\b|\bresponse time\b|"
        r"\bquick response\b|\bfinally seen\b|\bwaiting room (?:for|with)\b|"
        r"\bkept (?:me |us )?waiting\b"
    ),
    "scheduling": re.compile(
        r"\b(?:book(?:ed|ing)?|schedul\w+|reschedul\w+|cancel+(?:ed|ing)?|"
        r"rebook\w*|move[sd]?) (?:\w+ ){0,3}appointments?\b|"
        r"\bappointments? (?:\w+ ){0,2}(?:cancel+ed|"
        r"moved|booked|available)\b"
        r"|\breschedul\w+|\bbook(?:ed|ing)? online\b|\bonline booking\b|"
        r"\bnext available\b|\bsame[- ]day (?:appointment|visit)s?\b|\bwalk[- ]ins?\b"
        r"|\b(?:taking|accepting) new patients\b|\bopen (?:on|tomorrow|"
        r"today|saturdays?|sundays?|weekends?)\b|\b(?:evening|weekend|"
        r"opening|office) hours\b|\bwhat time do you open\b"
        r"|\bon hold\b|\bwait ?list\b|\b(?:get|got|getting) an appointment\b|"
        r"\bimpossible to get\b|\bno record of (?:it|my appointment)\b|"
        r"\bphone system\b"
    ),
    "staff-courtesy": re.compile(
        rf"\b{_STAFF}\b[^.!?]{{0,40}}\b{_MANNER}\b|"
        rf"\b{_MANNER}\b[^.!?]{{0,25}}\b{_STAFF}\b|"
        r"\brolled (?:her|his) eyes\b|\byelled\b|\bhung up on\b|\bbedside manner\b|"
        r"\bcustomer service\b|\bno manners\b|\bcut me off\b|\bgossip\w*"
    ),
    "billing": re.compile(
        r"\b(?:bill(?:ed|ing|s)?|overcharg\w*|charg(?:e|ed|es|ing)|copays?|"
        r"co-pays?|deductibles?|insurance|in[- ]network|out[- ]of[- ]network|"
        r"refunds?|invoices?|statements?|collections|prices?|pricing|costs?|"
        r"fees?|pay(?:ment)? plans?|payments?|paid|pay|hsa|fsa|carecredit|"
        r"medicaid|medicare|ppo|hmo|aetna|cigna|delta|blue cross|quotes?|"
        r"quoted|estimates?|claims?|reimburs\w*|not covered|covered|price match|"
        r"financing|expensive|cheap|afford\w*)\b|\$\d"
    ),
    "clinical-care": re.compile(
        r"\b(?:diagnos\w+|misdiagnos\w+|treatment|treated|prescri\w+|medications?|"
        r"antibiotics?|x-?rays?|fillings?|crowns?|root canals?|extractions?|"
        r"implants?|surgery|surgeon|procedures?|biopsy|results|thorough|"
        r"examined|exam|missed (?:my|the|his|her)|brushed it off|found the cause|"
        r"work(?:up)?|cleaning|whitening|braces|wisdom teeth|pain relief|"
        r"second opinion|competent|incompetent|knowledgeable|care plan|"
        r"referr\w+|sedation|injection|stitches|rushed)\b"
    ),
    "facility": re.compile(
        r"\b(?:waiting room|lobby|parking|park(?:ed)?|bathrooms?|restrooms?|"
        r"toilets?|clean|cleanliness|dirty|filthy|spotless|smells?|smelled|"
        r"mildew|carpets?|chairs?|elevator|lift|stairs|building|wheelchair access|"
        r"accessible|bus stop|location|plaza|garage|tvs?|kids corner|decor|"
        r"freezing|too (?:hot|cold)|noisy|ambulance|taxi|transport|food|"
        r"comfortable|modern|facilities|facility|equipment|trash)\b"
    ),
    "communication": re.compile(
        r"\b(?:call(?:ed|s)? (?:me |us )?back|callbacks?|never heard back|"
        r"heard back|return(?:ed)? (?:my |our )?calls?|explain(?:ed|s|"
        r"ing)?|explanation|kept (?:me |us )?(?:informed|updated)|portal|"
        r"voicemail|emails?|reminders?|nobody told|no one told|told (?:us|"
        r"me) anything|information|communicat\w+|letters?|answers?|different answers|"
        r"itemi[sz]ed|records|text reminders?|check how i was|checked (?:on|"
        r"in))\b"
    ),
    "privacy": re.compile(
        r"\b(?:privacy|private|hipaa|confidential\w*|out loud|(?:read|"
        r"discussed|talked about|announced) (?:my|his|her) \w+ (?:out loud|"
        r"in (?:the|a) (?:hallway|waiting room|lobby)|in front of)|could hear (?:everything|"
        r"every)|chart (?:open|left)|left my chart|(?:records?|results|"
        r"information|info) (?:to|with) (?:the wrong|my ex|someone else)|"
        r"wrong (?:parent|patient|person)|without (?:my|their|his|her) (?:consent|"
        r"permission)|gave my (?:information|info|records)|photos? of patients|"
        r"voicemail with my)\b"
    ),
}


def topic_cues(norm: str) -> set[str]:
    """Return the topics whose lexicon patterns appear in a normalised post."""
    return {topic for topic, pattern in TOPIC_RULES.items() if pattern.search(norm)}
