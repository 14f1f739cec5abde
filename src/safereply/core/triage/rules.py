"""Keyword and pattern rules of triage: emergencies, crises, spam, questions and topic cues.

The emergency and crisis rules never depend on the classifier: they are plain patterns over the
normalised text, written to favour recall (a person reads every escalated post; a missed one can
cost a life). Each rule carries the short reason shown to staff.

Text is normalised first (lower case, curly quotes straightened, runs of spaces collapsed), so the
patterns can assume ``'`` and single spaces; apostrophes stay optional because posts often drop
them. The urgent rules read it with accents folded (``language.fold``), and the Spanish patterns of
``spanish.py`` run next to the English ones on every post, so a Spanish or Spanish-English post is
read as fully as an English one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from safereply.core.literal_index import LiteralIndex
from safereply.core.triage.language import fold
from safereply.core.triage.spanish import (
    CANT_GO_ON_CONTEXT,
    CANT_GO_ON_ES,
    CRISIS_ES,
    EMERGENCY_ES,
    FIGURES_ES,
    PAST_ES,
    PRESENT_ES,
    TOPIC_CUES_ES,
)

__all__ = [
    "CRISIS_RULES",
    "CRISIS_RULES_ES",
    "EMERGENCY_RULES",
    "EMERGENCY_RULES_ES",
    "TOPIC_DECIDES",
    "TOPIC_GATES",
    "TOPIC_RULES",
    "PatternRule",
    "benign_farewell",
    "classifier_text",
    "crisis_reasons",
    "cue_matches",
    "emergency_reasons",
    "is_question",
    "normalise",
    "pain_relief_refused",
    "spam_reasons",
    "told_as_past",
    "topic_cues",
    "topic_gated",
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
#: Intent or contemplation before a means ("going to take all", "thinking of just swallowing").
_INTENT = (
    r"(?:going to|gonna|will|i'?ll|want to|wanna|plan(?:ning)? to|about to|ready to|"
    r"(?:thinking|thought|think) (?:of|about)|decided to|tempted to|urge to|might)"
)

EMERGENCY_RULES = _rules(
    (
        ("mentions chest pain", r"\bchest (?:pains?|pressure|tightness|hurts?|hurting|is hurting)"),
        (
            "mentions chest pain",
            r"\bchest (?:feels|is|felt) (?:really |so |very |all )?(?:tight|heavy)",
        ),
        ("mentions chest pain", rf"\b(?:pressure|pain|tightness|weight) (?:in|on) {_WHO} chest"),
        ("mentions chest pain", r"\bcrushing (?:pain|pressure)"),
        ("mentions chest pain", r"\b(?:clutching|grabbing|holding) (?:his|her|my|their) chest\b"),
        (
            "mentions heart-attack signs",
            # session 9: the left arm alone is not a sign ("scar tissue in my left arm", "forgot
            # my left arm entirely"): it needs pain, numbness or weight in or down it
            rf"\b(?:pain|ache|aching|numb\w*|tingl\w*|heav\w+|weak\w*|pressure|hurts?|hurting|"
            rf"shooting|radiat\w+|spread\w*|going)\b[^.!?]{{0,25}}\b(?:in|into|down|to|through) "
            rf"{_WHO} left arm\b|\bleft arm (?:\w+ )?(?:is |feels |keeps |went |going )?(?:\w+ )?"
            rf"(?:numb|tingl\w*|heavy|weak|hurt\w*|aching|killing)\b|"
            rf"\barm (?:is |feels )?(?:numb|tingling)|\bdown {_WHO} (?:left )?arm",
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
            rf"\b{_CANT} (?:\w+ )?(?:breathe|breath|catch (?:my|his|her) breath)\b"
            r"(?! (?:through|out of|from) (?:my|his|her|their|the|one) (?:\w+ )?nose)",
        ),
        (
            "mentions trouble breathing",
            (
                r"\b(?:trouble|struggling|struggles|hard|difficulty|difficult|"
                r"problems?) (?:to )?breath(?:e|ing)"
            ),
        ),
        (
            "mentions trouble breathing",
            r"\b(?:barely|not|stopped|isn'?t|wasn'?t) breathing\b(?! a word)",
        ),
        (
            "mentions trouble breathing",
            r"\b(?:short(?:ness)? of breath|gasping|wheezing|choking)\b",
        ),
        (
            "mentions trouble breathing",
            (
                r"\b(?:lips?|face|skin) (?:look |looks |is |are |went |turning |"
                r"turned )?(?:blue|grey|gray|purple)\b|\bturning (?:blue|purple)\b|"
                r"\b(?:blue|purple) lips\b"
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
                # not across "and" ("to make sure that i ate and that i took my medicine")
                r"\b(?:drank|swallowed|ate|ingested|got into) (?:(?!\band\b)[^.!?]){0,30}"
                r"\b(?:bleach|"
                r"pods?|detergent|cleaner|antifreeze|poison|medicine|pills|tablets|"
                r"meds)\b"
            ),
        ),
        (
            # session 9: a condition recovered from or named by its metal or food ("recovering
            # from lead and mercury poisoning", "glyphosate poisoning") is not a poisoning now;
            # carbon monoxide, alcohol and blood poisoning (sepsis) still are
            "mentions poisoning",
            r"(?<!recovering from )(?<!recovered from )(?<!survived )(?<!history of )"
            r"(?<!lead )(?<!mercury )(?<!metal )(?<!metals )(?<!glyphosate )(?<!food )"
            r"(?<!arsenic )(?<!mold )(?<!mould )(?<!radiation )\bpoison(?:ed|ing)?\b"
            r"(?! of (?:my|his|her|their|the) (?:system|body)| ivy| oak)",
        ),
        (
            "mentions a severe allergic reaction",
            r"\bana?phyla\w*|\b(?:used|gave|give|giving|jabbed|injected|grabbed|administer\w*|"
            r"(?:no|without|don'?t have|didn'?t have) (?:an?|my|his|her|"
            r"the)?) ?(?:\w+ ){0,2}epi ?pens?\b|"
            r"\bepi ?pens? (?:didn'?t|did not|isn'?t|is not|not|wasn'?t) (?:work|help)",
        ),
        ("mentions a severe allergic reaction", r"\ballergic reaction\b"),
        (
            "mentions a severe allergic reaction",
            r"\bthroat (?:is |feels |was |keeps )?(?:getting |going |starting to )?(?:closing|"
            r"close|"
            r"swelling|swell|swollen|tight)",
        ),
        (
            "mentions a severe allergic reaction",
            (
                r"\b(?:face|lips?|tongue|throat|mouth|eyes?)\b[^.!?]{0,25}\b(?:swelling|"
                r"swollen|puffy|swell)\b"
            ),
        ),
        (
            # session 9: not hives told as chronic ("daily hives over one year")
            "mentions a severe allergic reaction",
            r"(?<!chronic )(?<!daily )(?<!recurring )(?<!recurrent )(?<!causing )(?<!caused )"
            r"\bhives\b"
            r"(?! (?:for|over|since) (?:\w+ )?(?:years?|months?|ages))",
        ),
        (
            # session 9: an eyelid or a brow that droops is not a stroke sign ("fix my drooping
            # eyelids", "eye droops and tears" after a face lift)
            "mentions stroke signs",
            r"(?<!eye )(?<!eyes )(?<!eyelid )(?<!eyelids )(?<!lid )(?<!lids )(?<!brow )"
            r"(?<!brows )(?<!eyebrow )(?<!breast )(?<!breasts )\bdroop(?:ing|y|s|ed)?\b"
            r"(?! (?:eye ?lids?|lids?|brows?|eyebrows?|breasts?|eyes?)\b)",
        ),
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
                r"\bbleed\w*[^.!?]{0,60}\b(?:won'?t|wont|will not|doesn'?t|does not|"
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
        ("mentions an overdose", r"\boverdos\w*|\bo\.d\.?'?d\b|\bod'd\b|\bod(?:ing|ed)\b"),
        (
            "mentions an overdose",
            (
                r"\btook (?:too many|too much|double|twice|triple|a bunch of|a handful of|"
                r"the whole bottle|extra)\b(?! (?:\w+ )?(?:mints?|cand(?:y|ies)|gum|cookies|"
                r"chocolates?|snacks|stickers|photos|pictures|notes|selfies|breaths?|time|days|"
                r"tries|steps|questions)\b)"
            ),
        ),
        (
            "mentions loss of consciousness",
            (
                r"\b(?:unconscious|(?<!office )(?<!offices )(?<!staff )(?<!portal )(?<!site )"
                r"(?<!website )(?<!app )(?<!system )(?<!billing )(?<!department )(?<!team )"
                r"(?<!portal is )(?<!site is )(?<!app is )(?<!office is )(?<!system is )"
                r"(?<!phone is )(?<!line is )(?<!website is )"
                r"(?:unresponsive|not responding|isn'?t responding)(?! to (?:my|our|the|a|an|"
                r"any|requests?|e-?mails?|calls?|messages?|texts?))"
                # session 9: "she has proven to be unresponsive and unreachable for follow-up"
                r"(?! and (?:unreachable|unhelpful|uncommunicative|rude|dismissive|uncaring))"
                r"(?<!proven to be unresponsive)|"
                r"won'?t wake up|can'?t wake (?:him|her|them)|fainted|passed out|"
                r"pass(?:ing)? out|"
                # session 9: "part of my nose collapsed", "she had collapsed lung"
                r"(?<!nose )(?<!nostril )(?<!septum )(?<!lung )(?<!vein )(?<!veins )(?<!arch )"
                r"(?<!side )"
                r"(?<!arches )(?<!ceiling )(?<!roof )collapsed(?! (?:lungs?|veins?|discs?|arch\w*|"
                r"nostrils?)\b)|blacked out)\b"
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
                r"\b(?:called|calling|call(?:ed|ing)? 911 (?:now|right now)|should i call|"
                r"do i call) 911\b|\b(?:ambulance (?:is ?n'?t|not) here|"
                # session 9: "we went in our own car, didn't need an ambulance"
                r"(?<!n't )(?<!not )(?<!didnt )(?<!dont )(?<!never )need an ambulance|"
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
            r"packet|sheet|strip|blister)\b",
        ),
        # Added after the blind check of docs/triage-urgent.md: indirect descriptions, infants,
        # poisons beyond cleaning products, falls, burns, blood sugar and other serious injuries.
        (
            "mentions chest pain",
            r"\bchest (?:feels|felt) like\b|\b(?:an elephant|a weight|something|someone|a brick) "
            r"(?:is |was )?(?:sitting|standing|pressing|crushing) (?:down )?on "
            r"(?:my|his|her) chest",
        ),
        (
            "mentions a fever in a young baby",
            # The lookahead sits after the keyword and is bounded, so long posts stay linear.
            r"\b(?:newborn|infant|baby|\d+[- ](?:day|week|wk)s?[- ]old|(?:[0-3]|one|two|three)[- ]"
            r"months?[- ]old)\b"
            r"(?![^.!?]{0,120}\b(?:broke|gone|went down|came down|is down|back to normal)\b)"
            r"[^.!?]{0,60}\b(?:fever|temp(?:erature)?|10[0-6](?:\.\d)?|3[89](?:\.\d)?|"
            r"hot to the touch|burning (?:up|hot)|(?:feels|is) (?:really |very |so )?hot)\b",
        ),
        (
            "mentions a rash that does not fade",
            r"\brash\b[^.!?]{0,40}\b(?:doesn'?t|does not|won'?t|will not|didn'?t|did not) "
            r"(?:fade|go away|disappear|blanch)\b[^.!?]{0,25}\b(?:press|glass)|\bglass test\b|"
            r"\bnon[- ]?blanching\b",
        ),
        (
            "mentions poisoning",
            r"\b(?:drank|drink|drinking|swallowed|ate|eaten|ingested|got into|bit into|chewed|"
            r"licked|sucked on) (?:\w+ ){0,5}(?:bleach|pods?|detergent|cleaner|antifreeze|lamp oil|"
            r"kerosene|gasoline|petrol|lighter fluid|nail polish remover|hand sanitizer|"
            r"vape (?:juice|liquid)|e-?liquid|nicotine|rat poison|weed killer|pesticide|"
            r"mouthwash|essential oils?|iron pills|edibles?|(?:washer|brake|lighter|"
            r"cleaning) fluid|"
            r"chemicals?|solvent|paint thinner|turpentine|methanol|coolant)\b",
        ),
        (
            "mentions a serious fall",
            r"\b(?:fell|fallen|falling|fall)\b[^.!?]{0,60}\b(?:can'?t (?:get up|move|stand|walk)|"
            r"(?:hip|leg|arm|wrist|neck) (?:looks|is|seems) (?:wrong|broken|bent)|in agony|"
            r"won'?t wake)|\bbone (?:is )?(?:sticking|poking) out\b",
        ),
        (
            "mentions a dangerous blood sugar",
            r"\b(?:blood )?(?:sugar|glucose|bg|bgl|bs)(?: level)? (?:is|was|of|at|reading|read|"
            r"dropped to|down to|hit|just hit)(?: at| only| like)? (?:[1-5]\d|[6-9]\d\d)\b",
        ),
        (
            "mentions a knocked-out tooth",
            r"\bknock\w* out (?:[\w']+ ){0,3}(?:tooth|teeth)\b|"
            r"\b(?:tooth|teeth) (?:got |was |were |has been |have been |just )?knocked out\b",
        ),
        (
            "mentions heavy bleeding",
            r"\bsoak(?:ing|ed|s)? (?:through )?(?:a |my |the |\d+ |two |three )?(?:pads?|gauze|"
            r"towels?|shirts?|bandages?|tampons?)\b",
        ),
        (
            "mentions severe abdominal pain",
            r"\b(?:severe|excruciating|unbearable|worst)\b[^.!?]{0,20}\b(?:pain|cramps?)\b"
            r"[^.!?]{0,30}\b(?:stomach|abdomen|belly|lower right|lower left|groin)\b",
        ),
        (
            "mentions a serious burn",
            r"\bburn(?:ed|t|s)? (?:my|his|her|their) (?:\w+ ){0,2}(?:badly|severely|bad)\b|"
            r"\b(?:badly|severely) burn(?:ed|t)\b|\bskin (?:is )?(?:peeling|bubbling|blistering|"
            r"coming) off\b|\b(?:third|3rd|second|2nd)[- ]degree burns?\b|\b(?:boiling|scalding) "
            r"(?:\w+ )?(?:water|oil)\b[^.!?]{0,40}\b(?:on (?:him|her|his|my)|burn\w*|skin)\b",
        ),
        (
            "mentions stroke signs",
            rf"\b(?:numb\w*|weak\w*|tingling|paralys\w*) (?:\w+ ){{0,3}}(?:on|in|down) (?:one|the "
            rf"(?:left|right)|(?:my|his|her|their) (?:left|right)) side\b|"
            rf"\b{_CANT} see (?:out of )?(?:one|(?:my|his|her) (?:left|right)) eye\b|"
            rf"\bsudden(?:ly)? (?:\w+ )?(?:lost|losing|loss of) (?:vision|sight|(?:his|her|my) "
            rf"(?:vision|sight|balance))|\bsudden(?:ly)? (?:went |going )?blind\b|"
            rf"\b{_CANT} find (?:my|his|her|the) words\b",
        ),
        (
            "mentions a serious injury",
            r"\b(?:been|got|was|were|is|has been) (?:stabbed|shot)\b(?! (?:up|with|of|twice|again|"
            r"at|down|in the (?:arm|butt|gum)|by the (?:dentist|doctor|nurse)))|\bgunshot\b|"
            r"\bhit by a (?:car|truck|bus|van)\b|\belectrocuted\b",
        ),
        (
            "mentions cardiac arrest",
            r"\b(?:doing|giving|started|start|performing|performed|need) cpr\b|\bno pulse\b|"
            r"\b(?:his|her|their) heart (?:has )?stopped\b|\b(?:went|gone|going|"
            r"is) into cardiac arrest\b",
        ),
        (
            "mentions spreading swelling",
            r"\bswollen shut\b|\bswelling (?:\w+ ){0,3}(?:up|down) (?:to|into) (?:my|his|her) "
            r"(?:eye|neck|throat|chest)",
        ),
        # Added after a probe of fresh phrasings written once the rules were known.
        (
            "mentions heavy bleeding",
            r"\b(?:won'?t|wont|will not|doesn'?t|does not|hasn'?t|has not|isn'?t|is not|not|"
            r"never) stop(?:ped)? bleeding\b|\b(?:severe|uncontrolled|profuse|non-?stop) "
            r"bleeding\b",
        ),
        (
            "mentions trouble breathing",
            r"\bhurts? to breathe\b|\b(?:pain|painful|hurts?) when (?:i |he |she )?breathes?\b",
        ),
        (
            "mentions stroke signs",
            r"\bsudden(?:ly)? (?:\w+ )?(?:weak\w*|numb\w*|paralys\w*)\b|"
            r"\bspeech (?:is |was |sounds |got )?(?:garbled|slurred|jumbled|gibberish)\b",
        ),
        (
            "mentions spreading swelling",
            rf"\b{_CANT} (?:even )?(?:open (?:my|his|her) mouth (?:or|and|to) )?swallow\b|"
            rf"\b(?:swollen|swelling)\b[^.!?]{{0,40}}\b{_CANT} (?:open (?:my|his|her) mouth|"
            rf"swallow|breathe)",
        ),
        # Added after a fourth probe of fresh phrasings (docs/triage-urgent.md).
        (
            "mentions trouble breathing",
            r"\bbreathing (?:weird|funny|strange|really fast|so fast|very fast|hard|heavily|"
            r"shallow)\b",
        ),
        (
            "mentions heavy bleeding",
            r"\bbleeding from (?:the|his|her|my|their) (?:head|ears?|eyes?|neck|chest)\b|"
            r"\b(?:cut|gash|wound|laceration)\b[^.!?]{0,30}\b(?:really|very|so|super) deep\b|"
            r"\bcan see (?:the )?bone\b|"
            # session 9: not a pregnancy told in the past ("i was 36 weeks pregnant and ...")
            r"(?<!was )(?<!were )(?<!was \d weeks )(?<!was \d\d weeks )"
            r"\b(?:pregnant|\d+ weeks)\b[^.!?]{0,40}\b(?:bleeding|"
            r"contractions|water broke)\b|\bwater (?:just )?broke\b",
        ),
        (
            "mentions a swallowed object",
            r"\b(?:batter(?:y|ies)|magnets?|button)\b[^.!?]{0,20}\b(?:in|up) (?:his|her|their|my) "
            r"(?:nose|nostril|ears?|throat)\b",
        ),
        (
            "mentions an overdose",
            r"\btook (?:[1-9]\d+|all|twenty|thirty|forty|fifty|a lot|a ton) (?:of )?(?:my |his |"
            r"her |their |the )?(?:\w+ )?(?:pills|tablets|meds|antidepressants|painkillers|"
            r"capsules)\b",
        ),
        # Added after the fourth blind set's one measurement (session 7): signs that name no
        # emergency word, each beside a look-alike in tests/core/triage/test_urgent_session7.py.
        (
            "mentions vomiting blood",
            # a hospital stay told in the past ("I was very poorly vomiting blood") is not now
            r"^(?![^.!?]*\b(?:i|he|she|we|they) (?:was|were|had been)\b)[^.!?]*?"
            r"\b(?:vomit\w*|throw\w* up|threw up|puk\w*)\b[^.!?]{0,40}\b(?:blood|bloody|"
            r"coffee[- ]grounds?)\b",
        ),
        (
            "mentions sudden loss of vision",
            r"\b(?:curtain|shadow|veil|gray|grey|black) (?:\w+ ){0,3}(?:over|across|coming down "
            r"(?:over|on)?|covering) (?:\w+ ){0,2}(?:my|his|her|the) (?:\w+ )?(?:eye|vision)\b|"
            r"\b(?:new|sudden|ton of|lots of|bunch of) (?:\w+ )?floaters\b[^.!?]{0,30}\bflash",
        ),
        (
            "mentions pregnancy with pain and fainting",
            r"\b(?:i'?m|i am|she'?s|she is|my wife is|my girlfriend is) (?:\d+ (?:weeks?|wks?) )?"
            r"pregnant\b[^.!?]{0,160}\b(?:(?:nearly|almost|about to) )?(?:passed out|pass out|"
            r"passing out|faint\w*|shoulder (?:hurts|pain))\b",
        ),
        (
            "mentions a spreading infection",
            r"\bred (?:streaks?|lines?) (?:\w+ ){0,3}(?:up|spreading|going|moving) (?:\w+ ){0,2}"
            r"(?:my|his|her|their|the) (?:\w+ )?(?:arm|leg|hand|foot|finger|toe|thigh|calf|wrist|"
            r"ankle|neck|skin)s?\b",
        ),
        (
            "mentions carbon monoxide",
            r"\bcarbon monoxide (?:alarm|detector)?\s?(?:is |keeps )?(?:going off|beeping)\b|"
            r"\b(?:heater|furnace|generator|space heater)\b[^.!?]{0,120}\b(?:dizzy|"
            r"nause\w*|throwing up|vomit\w*|passed out|confused)\b",
        ),
        # Added after the fifth blind set's one measurement (session 8), each beside a
        # look-alike in tests/core/triage/test_urgent_session8.py.
        (
            "mentions a rash that does not fade or a stiff neck with fever",
            r"\b(?:spots|rash|dots|marks|blotches)\b[^.!?]{0,60}\b(?:don'?t|doesn'?t|do not|"
            r"does not|won'?t|didn'?t) (?:fade|go away|disappear|blanch|turn white)\b[^.!?]{0,40}"
            r"\b(?:press\w*|glass|push\w*)|"
            r"^(?=[^.!?]*\bfever)[^.!?]*\b(?:stiff neck|neck is (?:so |really )?stiff|can'?t "
            r"(?:bend|move|turn) (?:his|her|their|my) (?:\w+ )?neck)\b",
        ),
        (
            "mentions confusion and vomiting after a blow to the head",
            r"^(?=[^.!?]*\bkeeps? (?:asking|repeating|saying) the same\b)[^.!?]*\b(?:threw up|"
            r"throwing up|vomit\w*|head)\b",
        ),
        (
            "mentions a rigid belly",
            r"\b(?:belly|stomach|abdomen|tummy)(?: is| feels|'s)? (?:\w+ )?"
            r"(?:hard as a (?:board|rock)|rock hard|rigid)\b(?![^.!?]{0,20}\bfrom (?:laugh|eat))",
        ),
        (
            "mentions an infection swelling an eye shut",
            r"^(?=[^.!?]*\b(?:fever|abscess|infect\w*|tooth|sleepy|lethargic)\b)[^.!?]*\beyes? "
            r"(?:is |are |'s )?(?:\w+ )?swollen shut\b",
        ),
        (
            "mentions a baby's dehydration",
            r"\b(?:sunken soft spot|soft spot (?:is |looks )?sunken|no wet diapers?|"
            r"(?:hasn'?t|has not) (?:had )?(?:a )?wet (?:a )?diaper)\b|"
            # session 10: no urine for hours, no tears, sunken eyes (a child, said now)
            r"\b(?:hasn'?t|has not|not|no|hasn'?t been able to) (?:peed|pee'?d|urinated|"
            r"pee(?:d)?|had a wet nappy)\b(?! on)[^.!?]{0,12}\b(?:in|for|since) (?:\d+|over|"
            r"more than|twelve|ten|eight|six|many|several|this morning|last night|yesterday)\b"
            r"(?=[^.!?]*\b(?:dry|tears|sunken|sleepy|letharg\w*|floppy|vomit\w*|diarrh\w*|"
            r"throwing up|won'?t drink|not drinking)\b)|"
            r"\b(?:no|not making|not crying|without) tears\b(?=[^.!?]*\b(?:vomit\w*|diarrh\w*|"
            r"throwing up|peed|pee|dry|sunken)\b)",
        ),
        (
            "mentions an injury with loss of feeling in the legs",
            r"\b(?:can'?t|cannot|can not) (?:feel|move) (?:his|her|my|their) legs\b"
            r"(?! (?:for|since) (?:years|a long time))",
        ),
        (
            "mentions pain low on the right with fever or vomiting",
            r"\b(?:pain|hurts?|ache)\b[^.!?]{0,40}\b(?:lower right|right lower|bottom right)\b"
            r"[^.!?]{0,120}\b(?:fever|vomit\w*|throwing up|threw up|can'?t (?:walk|stand))",
        ),
        # Session 9: present-danger signs no rule covered, as an emergency nurse would hear them,
        # each beside a look-alike in tests/core/triage/test_urgent_session9.py.
        (
            "mentions stroke signs",
            r"\b(?:suddenly|all of a sudden|out of nowhere)\b[^.!?]{0,60}\b(?:can'?t|cannot|"
            r"doesn'?t|does not) (?:seem to )?understand (?:what (?:we|i|you|people|anyone|they|he|"
            r"she) (?:are|'re|is|am|'m) saying|anything (?:we|i|you) say|us|me|words)\b|"
            r"\b(?:suddenly|all of a sudden|out of nowhere)\b[^.!?]{0,60}\b(?:double vision|"
            r"seeing double|(?:can'?t|cannot) walk straight|(?:hand|arm|leg|foot) (?:won'?t|"
            r"doesn'?t|will not|does not) work)\b|"
            r"\bone side of (?:his|her|my|their|the) (?:mouth|face|lip|smile) (?:is |looks |went )?"
            r"(?:hanging|sagging|drooping|droopy|lower|pulled)\b|\b(?:mouth|face|lip|smile) "
            r"(?:is |looks )?(?:hanging|sagging|pulled) (?:down )?(?:on|to) one side\b",
        ),
        (
            # sepsis or meningitis: a fever with a mind or a skin that is failing
            "mentions a fever with confusion",
            # (not "constant fevers ... post confusion syndrome", a chronic illness listed)
            r"^(?=[^.!?]*(?<!constant )(?<!chronic )(?<!recurring )(?<!recurrent )"
            # (the last condition is matched, not looked ahead for, so the literal pre-filter
            # of core.literals can skip the rule on a post without its words)
            r"\b(?:fever\w*|burning up|chills|shivering)\b)[^.!?]*?(?<!not )(?<!no )"
            r"\b(?:confused|confusion|disoriented|delirious|not making sense|hard to wake|mottled|"
            r"cold and clammy)\b(?! (?:about|by|with|as to|on|regarding|over|syndrome)\b)",
        ),
        (
            "mentions heavy bleeding",
            r"\b(?:mouth|socket|gauze|incision|wound|stitches|dressing|throat)\b[^.!?]{0,30}"
            r"\b(?:keeps?|is|are|won'?t stop) (?:filling (?:up )?with|soaking|gushing|pouring|"
            r"full of) (?:\w+ )?blood\b|\b(?:spitting|spit|spits|coughing|coughed) (?:up |out )?"
            r"(?:a )?(?:mouthfuls?|cups?|clots?|lots|handfuls?) of (?:\w+ )?blood\b|"
            r"\bspitting (?:up |out )?(?:bright red|fresh) blood\b",
        ),
        (
            # a blow to the head with vomiting and drowsiness (a bleed on the brain)
            "mentions vomiting and drowsiness after a blow to the head",
            r"^(?=[^.!?]*\b(?:fell (?:off|down|from)|hit (?:his|her|their|my) head|bumped (?:his|"
            r"her|their|my) head|head injury)\b)(?=[^.!?]*\b(?:sleepy|drowsy|hard to wake|"
            r"won'?t wake|can'?t stay awake|lethargic)\b)[^.!?]*?\b(?:threw up|throwing up|"
            r"vomit\w*)\b",
        ),
        (
            # a blood clot: a swollen, hot or red calf or leg after surgery, a cast or a flight
            "mentions a swollen leg after surgery",
            r"\b(?:calf|leg|thigh)\b[^.!?]{0,20}\b(?:swollen|swelling|puffy)\b[^.!?]{0,30}\b(?:hot|"
            r"warm|red|painful|hurts?|tender)\b[^.!?]{0,40}\b(?:after|since) "
            r"(?:my |his |her |the |a )?(?:\w+ )?(?:surgery|operation|op|c-?section|replacement|"
            r"flight|cast)\b",
        ),
        (
            # diabetic ketoacidosis, heat stroke, breathing that slows (an overdose)
            "mentions signs of a diabetic or heat emergency",
            r"^(?=[^.!?]*\b(?:vomit\w*|throwing up|type 1|diabet\w*|breathing (?:fast|hard|deep))"
            r"\b)[^.!?]*?\b(?:breath (?:smells?|smelling) (?:\w+ )?fruity|fruity (?:smelling )?"
            r"breath)\b|"
            r"^(?=[^.!?]*\b(?:confused|(?:really|very|so) hot|hot (?:and|to the touch)|collapsed|"
            r"passed out)\b)[^.!?]*?\b(?:not sweating|stopped sweating)\b",
        ),
        (
            "mentions loss of consciousness",
            r"\bbreathing (?:is )?(?:really |very |so |super )?slow(?:ly)?\b|"
            r"\b(?:can'?t|cannot|couldn'?t) (?:get|keep) (?:him|her|them) (?:to stay )?awake\b",
        ),
        # Session 9, after the spent sixth blind set: signs it showed no rule knew, said now.
        (
            # muscle breaking down after hard exercise (rhabdomyolysis): cola- or tea-coloured
            # urine with swollen muscles or after a workout; not beetroot or a dye
            "mentions dark urine after exertion",
            r"^(?=[^.!?]*\b(?:pee|urine|piss)\b[^.!?]{0,40}\b(?:cola|coca[- ]?cola|coke|"
            r"dark brown|brown|tea)[- ]?(?:colou?r\w*)?\b)"
            r"(?=[^.!?]*\b(?:swollen|swelling|workout|work ?out|pushups|push-ups|squats|drills|"
            r"practice|exercis\w*|crossfit|conditioning|sprints?|marathon|training)\b)",
        ),
        (
            # bloody diarrhoea with dizziness or fainting: blood lost or a colitis on cancer
            # immunotherapy; "a little blood on the paper" after a hard stool is not this
            "mentions bloody diarrhoea with dizziness",
            r"^(?=[^.!?]*\b(?:blood in (?:the |his |her |my )?(?:\w+ ){0,2}(?:stools?|bms?|poop|"
            r"diarrh\w*|last (?:few|ones?))|bloody (?:stools?|diarrh\w*|poop|bms?))\b)"
            r"(?=[^.!?]*\b(?:dizzy|light ?headed|faint\w*|passed out|pale|clammy)\b)",
        ),
        (
            # a kick or a blow to the belly with a hardening belly, paleness or a cold sweat
            "mentions a blow to the belly with signs of shock",
            r"^(?=[^.!?]*\b(?:kicked|punched|rammed|gored|trampled|stomped)\b[^.!?]{0,60}"
            r"\b(?:stomach|belly|abdomen|gut|ribs)\b)"
            r"(?=[^.!?]*\b(?:pale|cold sweat|clammy|(?:belly|stomach) (?:is )?(?:getting )?"
            r"(?:hard|rigid|swollen)|passed out)\b)",
        ),
        (
            # bile-green vomiting in a baby of days or weeks (a twisted bowel)
            "mentions green vomiting in a newborn",
            r"\b(?:\d+|one|two|three) (?:weeks?|days?)[- ]old\b[^.!?]{0,60}\b(?:vomit\w*|throw\w* "
            r"up|spit\w* up) (?:\w+ ){0,2}(?:green|bile|bilious)\b|\bnewborn\b[^.!?]{0,60}"
            r"\b(?:vomit\w*|throw\w* up) (?:\w+ ){0,2}(?:green|bile|bilious)\b",
        ),
        # Session 10, written anew (no blind set read): pregnancy and after-birth signs.
        (
            # clots as big as a fruit or a ball after a birth or a miscarriage; not "small clots"
            "mentions heavy bleeding with large clots",
            r"\b(?:passing|passed|pass|clots?) (?:\w+ ){0,3}(?:the size of|as big as|bigger than|"
            r"size of) (?:a |an |my )?(?:lemon|golf ?ball|egg|fist|plum|orange|baseball|palm)s?\b",
        ),
        (
            # a baby that has stopped moving late in a pregnancy; "not felt it move yet" at 16
            # weeks is not this
            "mentions a baby that stopped moving in the womb",
            r"\b(?:haven'?t|have not|hasn'?t|has not|not|can'?t|didn'?t|did not) (?:\w+ )?(?:felt|"
            r"feel|feeling) (?:the |my |our |her )?baby (?:move|kick)\w*\b(?! yet)(?=[^.!?]{0,40}"
            r"\b(?:since|all day|today|anymore|any more|for (?:\d+|a|hours|many|several))\b)|"
            r"\bbaby (?:has )?(?:stopped|isn'?t|is not|hasn'?t been|has not been) (?:moving|"
            r"kicking)\b(?! (?:much )?yet)",
        ),
        # Session 10, after the spent seventh blind set (each shape written anew, not its text):
        (
            # a body run through by what it fell on, or an object left in a wound; not a tour
            # of a site with exposed rebar
            "mentions an object through the body",
            r"\b(?:landed|fell|falling) on (?:a |the |some |exposed |an )?(?:rebar|spike|stake|"
            r"fence post|pitchfork|metal rod|iron bar)\b|\bimpaled\b",
        ),
        (
            # a racing heart at rest that will not settle (not 140 on standing, not a treadmill
            # test that came back down)
            "mentions a racing heart that will not settle",
            r"\b(?:heart rate|hr|pulse)(?: is| of| at| hits?| stuck at)? (?:1[5-9]\d|2[0-4]\d)\b"
            r"(?=[^.!?]{0,60}\b(?:lying|resting|sitting|at rest|won'?t (?:come|go) down|"
            r"not coming down|for (?:\d+|over an?) (?:min\w*|hours?))\b)",
        ),
        (
            # right-sided belly pain with vomiting or a fever, in a child above all (appendix)
            "mentions right-sided belly pain with vomiting or fever",
            r"\bright (?:lower )?(?:side of (?:his|her|my|the) )?(?:belly|stomach|tummy|abdomen)\b"
            r"(?=[^.!?]{0,100}\b(?:threw up|throwing up|vomit\w*|a fever|fever of|"
            r"(?:he'?s|she'?s|is) 10[1-4]|bent over|scream\w* (?:if|when))\b)",
        ),
    )
)

#: Medicines by their usual name endings (sertraline, diazepam, fluoxetine, oxycodone, ...).
_MED_NAME = (
    r"\w+(?:line|pam|lam|xetine|codone|morphone|done|pine|apine|zodone|triptyline|barbital|"
    r"prazole|olol|pril|sartan)"
)
_MEDS = (
    r"(?:pills|meds|medications?|medicines?|tablets|capsules|prescriptions?|sleeping pills|"
    rf"antidepressants|painkillers|insulin|{_MED_NAME})"
)

CRISIS_RULES = _rules(
    (
        (
            # Session 5, after the blind2 measurement missed "I took all my sertraline an hour
            # ago": a medicine by name, the rest of a supply, not only "pills".
            "mentions an overdose",
            rf"\b(?:took|taken|swallowed|downed) (?:all|every one|the rest|the whole (?:bottle|"
            rf"box|pack|packet|supply)) (?:of )?(?:my|his|her|the|our) (?:\w+ )?{_MEDS}\b"
            # carried somewhere, not swallowed ("took all my medications to the appointment")
            r"(?! (?:to|with|in|into|for|back|along|out|off|home)\b)",
        ),
        (
            # Asking for a method ("most painless way to go", "easiest way to end it").
            "asks about a way to die",
            r"\bpainless(?:est)? way(?:s)? (?:to|of) (?:go(?:ing)?|di(?:e|ing)|end\w*|do it|check "
            r"out)\b|\b(?:best|easiest|quickest|fastest|surest|least painful) (?:way|method)s? "
            r"(?:to|of) (?:kill(?:ing)? (?:my|one)sel(?:f|ves)|di(?:e|ing)|end(?:ing)? (?:it all|"
            r"my life|things))\b",
        ),
        (
            "mentions suicide",
            r"\bs[u*][i*]c[i*]d\w*|\bsuc[ie]?d(?:al|e|le|el)\b|\bsuicd\w*|\bkms\b|\bunaliv\w*|"
            r"\bsewer ?slide\b",
        ),
        (
            "mentions suicide",
            # "I was killing myself to make it on time" is effort, not intent
            r"\bkill?(?:ing|s)? (?:my|him|her|them) ?sel(?:f|ves)\b"
            r"(?! to (?:make|get|finish|arrive|keep up|meet|catch|be on time))",
        ),
        (
            "mentions suicide",
            # about someone else, a negation is a story ("cancer didn't take her life"); about
            # oneself it always counts
            r"\b(?:take|taking|took|end|ending|ended) my (?:own )?life\b|(?<!n't )(?<!not )"
            r"(?<!never )\b(?:take|taking|took|end|ending|ended) (?:his|her|their) (?:own )?life\b",
        ),
        (
            "mentions suicide",
            (
                # session 9: not "hoping that at the end everything would be fixed"
                r"(?<!the )\bend (?:it all|things|everything|my life|it tonight)\b|"
                r"\bready to end it\b|"
                r"\bways to (?:end it|die|kill)"
            ),
        ),
        (
            "mentions wanting to die",
            (
                r"\b(?:want|wants|wanted|wanna|wish|wishes) (?:to|i could|i was|"
                r"i were|he was|she was) (?:die|dead|disappear forever)\b|"
                r"\b(?:want|wants|wanted|wanna|wish) (?:to )?(?:just |simply )?die\b"
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
            # "even though you don't want to be here, they put you at ease": a generic "you"
            rf"(?<!you )\b(?:do{_NOT}|don'?t) want to (?:wake up|be alive|live|be here|exist)\b",
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
                rf" any more| like this)\b|\b{_CANT} keep living\b|"
                r"\b(?:don'?t|do not) (?:want|have) to (?:keep )?liv(?:e|ing) (?:much |any )?"
                r"(?:longer )?like this\b"
            ),
        ),
        (
            "mentions self-harm",
            (
                r"\bself[- ]?harm\w*|\bcutting (?:myself|again)\b|"
                # not a reassurance: "I'm not going to hurt myself" (session 9)
                r"(?<!not going to )(?<!not gonna )(?<!won't )(?<!wont )(?<!will not )"
                r"(?<!never )\b(?:hurt|hurting|harm|harming) (?:my|him|her)self\b"
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
                # "we have a plan" is a treatment plan found together (session 9)
                r"to take|it would take)|(?<!we )\b(?:made|have|got) (?:my|a) plan\b"
                r"(?! (?:to (?:switch|change|move|find|go)))"
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
            r"\btonight(?: is|'?s) the night(?=\s*(?:[.!,;]|$| for me))|"
            r"\bi think it'?s time\b(?! (?:to|for|i|we))",
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
                r"notes|letters?) (?:to (?:my(?! (?:home|work|address|office|house|employer|"
                r"insurance|doctor|lawyer))|everyone|all)|now|for (?:my|everyone))|"
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
            r"\b(?:not going to|won'?t|will not|not gonna) be (?:(?:here|around) (?:by then|"
            r"much|for (?:much )?long|anymore|any more|to see|after (?:this|tonight|today))|"
            r"alive)|\bif (?:something|anything) happens "
            r"to me\b|\btell (?:my \w+|everyone|them) (?:that )?i lov",
        ),
        # Session 9, after the spent sixth blind set: a wish not to be alive said without "if"
        # ("it is better I am not alive"), knowing the means and the dose, and a gun at hand
        # with a last word of where one is.
        (
            "mentions wanting to die",
            r"\b(?:it is|it'?s|its|would be|will be) (?:\w+ )?better (?:that |if )?(?:i|i'?m) "
            r"(?:am |was |were |be )?(?:not|no longer) (?:alive|living|in this world)\b",
        ),
        (
            "mentions a plan or means",
            r"\bi know (?:exactly )?(?:what'?s|what is|what we (?:keep|stock)) in (?:the|my|our) "
            r"(?:med(?:ication|icine)?s? |drug |pill )?(?:room|cabinet|cart|closet|locker|drawer)\b"
            r",? and (?:exactly )?how (?:much|many)\b|"
            # not a schedule: "I've done the math and my shift ends at 5, when you close"
            r"\bi'?ve (?:already )?done the math\b(?=[^.!?]{0,40}\b(?:pills|doses|units|"
            r"tablets)\b)",
        ),
        (
            "mentions a plan or means",
            r"^(?=.*\b(?:gun|rifle|shotgun|pistol|handgun|revolver|\d\d-\d\d|\.\d{2,3})\b)"
            r"(?=.*\b(?:wanted|want|needed) (?:some(?:body|one)|you|people|any(?:one|body)|y'?all) "
            r"to know where i (?:was|am|'?m|'?ll be)\b)",
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
        # Added after the blind check of docs/triage-urgent.md: means and intent without the
        # word suicide, preparations and farewells, hopelessness, and not being safe.
        (
            "talks about ending their life",
            r"\b(?:hang|hanging|hanged|shoot|shooting|slit|slitting|off|offing|gas|gassing|"
            r"suffocate|suffocating|poison|poisoning|stab|stabbing) (?:my|him|her|them) ?"
            r"sel(?:f|ves)\b"
            r"(?! (?:in the (?:foot|leg)|on (?:a|the)|by accident|accidentally|laughing))",
        ),
        (
            "talks about ending their life",
            r"\bend(?:ing)? (?:it all|it|this|things|everything|my suffering|the suffering)"
            r"(?=\s*(?:[.!,;]|$|tonight|today|now|right now|for good|soon|this (?:week|weekend)|"
            r"tomorrow|once and for all|and|permanently|forever))|"
            r"\benough (?:\w+ )?(?:to|that i can|so i can) (?:end it|die|kill|do it|not wake|"
            r"never wake|overdose|od)\b|"
            r"\bcheck(?:ing)? out (?:of (?:this )?(?:life|world)|for good|permanently)\b|"
            r"\bdone with (?:life|living|this life|this world|existing|being alive)\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:us(?:e|ing)|turn(?:ing)?) (?:it|them|that|the gun|a gun|my gun|a knife|"
            r"the knife) on (?:my|him|her|them)sel(?:f|ves)\b|"
            r"\b(?:slit|slice|slash|cut)\w* (?:my|his|her|"
            r"their) wrists?\b|\b(?:step|walk|jump|throw)\w* (?:(?:my|him|her)self )?in front of "
            r"(?:a|the) (?:train|bus|truck|lorry|car|traffic)\b|\bjump\w* (?:off|from) (?:a|the|my|"
            r"this|that|our|his|her) (?:\w+ )?(?:bridge|roof|building|balcony|ledge|cliff|overpass|"
            r"window|garage|tower)\b(?! for\b)",
        ),
        (
            "mentions a plan or means",
            rf"\b{_INTENT} (?:just |simply )?(?:take|taking|swallow\w*|down|downing) (?:all|every|"
            rf"the rest|(?:a|the|my) (?:whole|entire|full))\b|"
            rf"\b{_INTENT} (?:just )?(?:overdos\w*|od)\b|"
            r"\b(?:saved|saving|stockpil\w*|hoard\w*|stash\w*) (?:up )?(?:all )?(?:of )?"
            r"(?:my |his |her )?(?:\w+ )?(?:pills|meds|medications?|prescriptions?|tablets|"
            r"painkillers|opioids|oxy\w*)\b(?! (?:receipts?|costs?|money|cards?))|"
            r"\bplan(?:ning|ned)? (?:my|an?) (?:exit|death|suicide|own death|way out)\b",
        ),
        (
            "mentions deliberate self-harm",
            r"\b(?:took|taken|overdosed|swallowed|cut|burn(?:ed|t)|hurt|od'?d|crashed|jumped)\b"
            r"[^.!?]{0,40}\b(?:on purpose|intentionally|deliberately)\b|\bs/h\b|"
            r"\bself[- ]?injur\w*|"
            r"\b(?:cutting|burning|hurting|harming|hitting|scratching|starving) "
            r"(?:my|him|her|them) ?sel(?:f|ves)\b|"
            r"\b(?:burn|burned|burnt|burning|cut|cutting|carv\w+|scratch\w*) (?:my|"
            r"his|her) (?:own )?(?:arms?|wrists?|legs?|thighs?|skin|stomach|body)\b[^.!?]{0,30}"
            r"\b(?:on purpose|lighter|cigarette|razor|blade|knife|again)\b",
        ),
        (
            "says goodbye",
            r"\bwhoever finds me\b|\bsee (?:you|y'?all|everyone|you all) on the other side\b|"
            r"\b(?:this is|here'?s) my (?:final|last) (?:review|tweet|words|message|post|goodbye)\b"
            r"(?! (?:for|of|about|on|here))|"
            r"\b(?:wrote|written|writing|left|finished) (?:my|the) (?:goodbye |last |final )?"
            r"(?:notes?|letters)\b(?! (?:to|for) (?:the|your|this|our) )|"
            r"\b(?:gave|given|giving|give) away (?:my|his|her|all) |"
            r"\b(?:gave|given|giving|give) (?:my|the|his|her|all (?:of )?(?:my|his|her)) "
            r"(?:\w+ ){0,2}(?:dogs?|cats?|pets?|things|stuff|belongings|possessions|guitar) "
            r"(?:away|to (?:my|his|her|a|the) )|"
            r"\bwon'?t (?:need|be needing) (?:\w+ ){0,3}where i'?m going\b|"
            r"\bi (?:won'?t|will not|'?m not going to|am not going to|'?m not gonna) be "
            r"(?:here|around)(?=\s*(?:[.!]|$))|"
            # "not going to be here next week": a goodbye unless the sentence plans ahead.
            r"(?:^|[.!?]\s*)(?![^.!?]*\b(?:reschedul\w*|move|rebook|another (?:day|time)|"
            r"out of town|travel\w*|vacation|holiday|trip|away|back (?:on|in|by)|until|"
            r"the \d+(?:st|nd|rd|th)|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)"
            r"[^.!?]*\b(?:not going to|won'?t|will not|not gonna) be (?:here|around) "
            r"(?:next|by|tomorrow|after|for)\b|"
            r"\btell (?:my \w+|everyone|them) (?:that )?i'?m sorry\b",
        ),
        (
            "says others are better off without them",
            r"\b(?:better|easier|happier|fine|good|brighter|nicer)(?: \w+){0,2} without me\b|"
            r"\b(?:better|easier|happier)(?: off| place| life| lives)? if i (?:just )?(?:wasn'?t|"
            r"weren'?t|was not|were not|was gone|were gone|died|disappeared|was dead|were dead|"
            r"didn'?t exist|never existed)\b|\b(?:feel|feeling|felt|being|i'?m|i am|im) (?:like )?"
            r"(?:such |just |only |nothing but )?a (?:\w+ )?burden(?= to\b|\s*(?:[.!,;]|$)| and\b| "
            r"on\b)|\b(?:won'?t|will not|no longer) be (?:a (?:problem|burden|bother)|"
            r"in (?:anyone'?s|"
            r"your|the) way) (?:for|to) (?:anyone|anybody|everyone|them|my family)\b",
        ),
        (
            "mentions no reason to live",
            r"\bno (?:\w+ )?reasons? (?:left )?to (?:live|be alive|go on|keep going|stay alive|"
            r"wake up)\b|\b(?:can'?t|cannot|don'?t|do not) see (?:a|any) future(?=\s*(?:[.!,;]|$| "
            r"for (?:my ?self|me)| anymore))",
        ),
        (
            "says they do not feel safe",
            rf"\b(?:a )?danger to (?:my|him|her|them)sel(?:f|ves)\b|\b{_CANT} keep (?:my|him|her|"
            rf"them) ?sel(?:f|ves) safe\b|\bnot safe (?:with|around|from) (?:my|him|her) ?self\b|"
            rf"\b(?:don'?t|do not|can'?t|cannot) trust (?:my|him|her) ?self(?=\s*(?:[.!,;]|$| "
            rf"tonight| right now| anymore| alone| around| with (?:the|my|these) (?:pills|meds|"
            rf"knife|knives|gun)))|\bso (?:that )?i (?:can|could|will|would|'?ll) (?:finally |"
            rf"just )?(?:go|die|rest|be at peace|be free)(?=\s*(?:[.!]|$))",
        ),
        # Added after a probe of fresh phrasings written once the rules were known.
        (
            "says goodbye",
            r"\bgoodbye (?:text|message|letter|note|video|post|email|call)s?\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:drive|driving|drove|crash|crashing|steer\w*) (?:my car |the car )?(?:off|into) "
            r"(?:a|the) (?:\w+ )?(?:cliff|bridge|overpass|river|lake|oncoming traffic|wall|tree)\b|"
            r"\b(?:take|taking|swallow\w*|down|downing|eat|eating) (?:everything|all the (?:pills|"
            r"meds|tablets)|whatever) (?:\w+ )?(?:in|from) (?:my|the|our) (?:\w+ )?(?:cabinet|"
            r"cupboard|drawer|house|bathroom)\b",
        ),
        (
            "mentions deliberate self-harm",
            r"\bsh'?ing\b|\b(?:fresh )?cuts on (?:my|his|her) (?:arms?|wrists?|thighs?|legs?)\b",
        ),
        (
            "says they cannot go on",
            rf"\b{_CANT} (?:do|handle|deal with|cope with|face) (?:life|living|this life|"
            rf"existing)\b|\b(?:not going to|won'?t|not gonna) make it (?:through|past|to) "
            rf"(?:the night|tonight|tomorrow|the weekend|morning)\b|\blife is (?:pointless|"
            rf"meaningless|worthless|not worth it)\b|\bi (?:just )?want out(?=\s*(?:[.!,;]|$| "
            rf"of (?:this )?life))",
        ),
        (
            "mentions wanting to die",
            r"\b(?:don'?t|do not|dont) (?:want to|wanna) (?:be here|be alive|live|exist) "
            r"(?:anymore|any more)\b|\bwish(?:ed)? (?:i|he|she) (?:was|were|had) never (?:been )?"
            r"born\b",
        ),
        # Added after a second probe of fresh phrasings (docs/triage-urgent.md): giving up on
        # life, vanishing for good, a means in hand, not expecting to be alive.
        (
            "talks about ending their life",
            r"\b(?:give|giving|gave) up on (?:life|living|everything|myself)\b|"
            r"\b(?:tired of|done) (?:fighting|trying)(?=\s*(?:[.!,;]|$| anymore))|"
            r"\blet (?:it|this|everything) (?:all )?(?:be over|end)\b|"
            r"\b(?:disappear\w*|vanish\w*|be gone|not exist\w*)\b[^.!?]{0,20}\b(?:for good|"
            r"forever|and never come back|permanently)\b",
        ),
        (
            "mentions wanting to die",
            r"\b(?:no|lost (?:the|my|all)|losing all) will to live\b|"
            r"\b(?:don'?t|do not) (?:think|expect) (?:i'?ll|i will|i'?m going to|to) "
            r"(?:be alive|live|make it|still be here)\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:have|got|holding|with) (?:a|the|my) (?:knife|blade|razor|gun|rope|noose|pills|"
            r"bottle of \w+) (?:in my hands?|right here|next to me|ready|with me|in front of me)\b|"
            r"\b(?:standing|sitting|writing this|typing this|i'?m|i am|im) (?:on|from|at) "
            r"(?:the|a|my) (?:roof|rooftop|ledge|edge|railing|top floor)\b|"
            rf"\b{_INTENT} (?:just |simply )?(?:take|taking|swallow\w*|down|downing) "
            r"(?:his|her|their|my|the|a) (?:whole|entire|full) (?:prescription|supply|bottle|"
            r"box|pack|stash)\b",
        ),
        (
            "mentions deliberate self-harm",
            r"\b(?:scratch|cut|hit|bang|burn|pick)\w* (?:at )?(?:my|his|her) (?:\w+ )?"
            r"(?:arms?|skin|"
            r"legs?|wrists?|thighs?|head)\b[^.!?]{0,20}\buntil (?:it|they|i|he|she) "
            r"(?:bleeds?|bled|bruise|bruised)\b",
        ),
        # Added after a third probe of fresh phrasings (docs/triage-urgent.md).
        (
            "talks about ending their life",
            r"\bwant (?:it all|everything|all of it|this all|it to all) to (?:stop|end|be over)\b|"
            r"\b(?:going to|gonna) do it tonight\b|\btonight i'?m (?:going to|gonna) do it\b|"
            r"\bmade (?:my )?peace with (?:it|everything|dying|death|my decision)\b|"
            r"\b(?:don'?t|do not) (?:try to )?(?:look|come looking|search) for me\b",
        ),
        (
            "mentions wanting to die",
            r"\b(?:thinking|thought|think|fantasi[sz]\w*|dream\w*|obsess\w*) (?:a lot )?(?:about|"
            r"of) "
            r"(?:dying|death|not existing|not being here|not waking up|being dead|my death|"
            r"my funeral)\b|\b(?:my )?life (?:has|had) no (?:meaning|point|purpose)\b",
        ),
        (
            "mentions a plan or means",
            r"\bhow many (?:\w+ ){0,3}(?:it takes|would it take|does it take|it would take)"
            r"(?=\s*(?:[.!?]|$| to (?:die|od|overdose|kill|end)))|\blethal (?:dose|amount)\b|"
            r"\b(?:bought|buying|got|purchased|ordered) (?:a|the) (?:gun|pistol|rope|noose|"
            r"firearm)\b|\bsaying goodbye to (?:everyone|everybody|all of you|the world)\b",
        ),
        # Added after a fourth probe of fresh phrasings (docs/triage-urgent.md).
        (
            "says others are better off without them",
            r"\b(?:won'?t|will not|not going to|no longer|never) be (?:a|an) (?:\w+ )?(?:problem|"
            r"burden|bother|weight|drain|inconvenience)\b[^.!?]{0,20}\b(?:anyone|anybody|everyone|"
            r"them|you|my family)\b|\b(?:nobody|no one|anyone|they) (?:will|won'?t) (?:ever )?"
            r"(?:have|need) to (?:worry about|take care of|look after|put up with|deal with|"
            r"hear from) me\b|"
            r"\b(?:i'?m|i am|im) (?:so |just |completely |totally )?(?:worthless|"
            r"a waste of space)\b",
        ),
        (
            "mentions wanting to die",
            r"\b(?:i|he|she) (?:should|might as well|may as well) (?:just )?(?:die|end it|"
            r"kill (?:my|him|her)self|disappear)\b|\b(?:see|sees|seeing) (?:the|any|no) point "
            r"(?:in|of) (?:living|life|going on|being alive|anything)\b|"
            r"\bonly (?:thing|reason|one) (?:stopping|keeping|holding) me(?: back| alive| here)? "
            r"(?:is|are)\b|\bonly reason i'?m (?:still )?(?:alive|here)\b|"
            r"\b(?:can'?t promise|not sure|don'?t know if|doubt) (?:that )?(?:i'?ll|i will|i'?m "
            r"going to) (?:still )?be (?:here|alive|around)\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:walk|walking|drive|driving|jump|jumping|swim|swimming)\w* (?:into|in|out into) "
            r"(?:the )?(?:ocean|sea|river|lake|traffic|oncoming traffic)\b|"
            r"\b(?:would be|it'?d be) so easy to (?:just )?(?:\w+ )?(?:end|crash|jump|take|let go|"
            r"die|drive|step|walk|swallow|not wake)\b|"
            r"\bfinish what i started(?=\s*(?:[.!,;]|$| last| this| tonight))|"
            r"\b(?:razors?|blades?|pills|rope|gun|knife|bridge)\b[^.!?]{0,30}\b(?:calling "
            r"(?:to )?me|tempting me|staring at me)\b|\bleft (?:a|the|his|her) note\b[^.!?]{0,40}"
            r"\b(?:can'?t find|missing|gone|won'?t answer|isn'?t answering|not answering)\b",
        ),
        # Added after a fifth probe of fresh phrasings (docs/triage-urgent.md).
        (
            "talks about ending their life",
            r"\bend (?:my|him|her|them) ?sel(?:f|ves)\b|\bwant (?:this|it all|all this|my life) to "
            r"(?:end|be over|stop)\b|\bnever (?:have to )?(?:feel anything|wake up) again\b|"
            r"\b(?:wish|wishing|hope|hoping|pray|praying) (?:that )?(?:a|the|some) \w+ (?:would|"
            r"will) "
            r"(?:hit|kill|crash into|run over|end) me\b|\b(?:wish|wishing|hope|hoping|pray|"
            r"praying) "
            r"(?:that )?i (?:don'?t|never|won'?t) wake up\b",
        ),
        (
            "says goodbye",
            r"\bif i'?m (?:gone|not here|not around|dead) (?:tomorrow|tonight|soon|by)\b|"
            r"\bsorry for everything\b|\b(?:it )?(?:wasn'?t|isn'?t|is not|was not|it'?s not) "
            r"(?:anyone'?s|anybody'?s|your|you guys'?) fault(?=\s*(?:[.!;]|$))",
        ),
        (
            "says others are better off without them",
            r"\b(?:would|'?d) be (?:\w+ ){0,2}(?:relieved|better|happier|easier|fine|glad|"
            r"free) if i "
            r"(?:\w+ )?(?:was|were|wasn'?t|weren'?t) (?:gone|dead|here|around)\b",
        ),
        (
            "says they do not feel safe",
            r"\b(?:scared|afraid|frightened|terrified) of (?:my|him|her) ?self\b",
        ),
        (
            "mentions a plan or means",
            r"\b(?:looking up|look up|googl\w+|search\w*|research\w*) (?:for )?(?:\w+ ){0,3}"
            r"(?:tallest|highest) (?:buildings?|bridges?|cliffs?)\b|\b(?:looking up|googl\w+|"
            r"research\w*) (?:\w+ ){0,3}(?:lethal|how to die|ways to die|painless way)\b",
        ),
        (
            "mentions deliberate self-harm",
            r"\bcutting (?:my|his|her) (?:arms?|legs?|wrists?|thighs?|skin|stomach)\b",
        ),
        (
            "mentions deliberate self-harm",
            r"\b(?:burn(?:ed|t)?|cut) myself (?!on )(?:\w+ ){0,2}(?:again\b(?! on\b| at\b| in\b)|"
            r"with (?:a |the |my )?(?:lighter|razor|blade|knife|cigarette)\b)|"
            r"\b(?:not|isn'?t) enough anymore\b[^.!?]{0,40}\b(?:something worse|hurt myself|"
            r"kill myself)\b",
        ),
        (
            # session 8, after the fifth blind set: a gun the poster says is not for protection
            "mentions a gun for themselves",
            r"\b(?:bought|got|have|picked up|borrowed|loaded) (?:a |my \w+'?s? )?(?:hand)?gun\b"
            r"(?! (?:safe|lock|case|show|range))"
            r".{0,80}?\b(?:it'?s|it is) not for (?:protection|self[- ]defen[cs]e|hunting)\b",
        ),
        (
            # session 9: "I've made my arrangements", "the last time anyone will hear from me"
            "says goodbye",
            r"\b(?:made|making|sorted|finished) (?:all )?(?:my|the) (?:final )?arrangements\b"
            r"(?! (?:for|to|with|at)\b)|\b(?:last|final) time (?:anyone|anybody|you|you all|"
            r"y'?all|everyone) (?:will|'?ll) (?:ever )?(?:have to )?(?:hear from|see|deal with) "
            r"me\b",
        ),
    )
)

#: The Spanish and Spanish-English patterns (spanish.py), over accent-folded text.
EMERGENCY_RULES_ES = _rules(EMERGENCY_ES)
CRISIS_RULES_ES = _rules(CRISIS_ES)
#: Signs of an emergency in the other languages the blind sets' posts were written in (French,
#: Portuguese, Haitian Creole; session 8): triage cannot read these languages and says so, but a
#: person who cannot breathe, whose lips are blue or who coughs blood must not wait in the queue
#: for someone who can ("li pa ka respire ... bouch li vin ble"). Present tense only, and signs a
#: story would tell otherwise ("il ne respirait plus" is not matched), over accent-folded text.
EMERGENCY_RULES_OTHER = _rules(
    (
        (
            "mentions trouble breathing",
            r"\bpa (?:ka|kapab|kab) respire\b|\b(?:ne )?(?:peut|peux|arrive) (?:pas|plus) (?:a )?"
            r"respirer\b|\bne respire (?:pas|plus)\b|\bnao (?:consegue|consigo|esta conseguindo) "
            r"respirar\b|\bnao (?:esta )?respira(?:ndo)?\b",
        ),
        (
            "mentions blue lips",
            r"\bbouch (?:li|mwen|pitit (?:la|mwen)) (?:vin )?ble\b|\blevres (?:sont )?(?:toutes )?"
            r"bleues\b|\blabios (?:estao )?(?:roxos|azuis)\b",
        ),
        (
            # chest pain only said to be now: a story of it is told in these languages too
            "mentions chest pain",
            r"\bdor (?:forte )?no peito\b(?=[^.!?]{0,40}\b(?:agora|neste momento)\b)|"
            r"\bdouleur (?:a|dans) la poitrine\b(?=[^.!?]{0,40}\b(?:maintenant|en ce moment)\b)|"
            r"\bdoule nan pwatrin\b(?=[^.!?]{0,40}\b(?:kounye a|konnya|kounya)\b)",
        ),
        (
            "mentions coughing or vomiting blood",
            r"\b(?:ap|k ap) (?:touse|vomi) san\b|\b(?:crache|vomit) du sang\b|"
            r"\b(?:tossindo|vomitando|cuspindo) sangue\b",
        ),
        # Session 8, after the fifth blind set: Tagalog and Korean breathing and poisoning.
        (
            "mentions trouble breathing",
            # Korean is matched as the folded text holds it: decomposed (NFD)
            r"\bhindi (?:na )?(?:siya |ako |sya )?makahinga\b|"
            + unicodedata.normalize("NFD", "숨(?:을|이)? (?:잘 )?못 ?쉬|호흡이 곤란"),
        ),
        (
            "mentions poisoning with confusion",
            unicodedata.normalize(
                "NFD",
                r"(?:버섯|독|약)[^.!?]{0,80}(?:토하|구토)[^.!?]{0,120}(?:말이 이상|헛소리|의식)",
            ),
        ),
        # Session 9, after the spent sixth set: French, romanised Hindi, Somali, Vietnamese.
        (
            # a fever with shaking or a mind that fails (malaria, meningitis, sepsis)
            "mentions a fever with confusion",
            r"\bfievre\b[^.!?]{0,80}\b(?:il|elle) (?:tremble|delire|ne (?:me|nous) reconnait "
            r"plus|dit des choses bizarres)\b",
        ),
        (
            # "seene mein dard ho raha hai": chest pain going on now, not "tha" (was)
            "mentions chest pain",
            r"\b(?:seene|sine|chhati|chaati) (?:mein|me|main) (?:\w+ ){0,2}dard\b(?= (?:\w+ )?"
            r"(?:ho raha|ho rahi|hai)\b)",
        ),
        (
            # Somali: has fainted, does not answer when called
            "mentions loss of consciousness",
            r"\b(?:way|wuu|waa|hadda) (?:\w+ )?suux(?:day|ay|an|san)\b|\bmiyir(?:kii)? "
            r"(?:beelay|la'aan)\b|\bma(?:na)? jawaabayso\b",
        ),
        (
            # Vietnamese: a head struck, then slurred speech now; the crossed d is kept by fold
            "mentions a head injury",
            r"\b(?:gio|bay gio|hien gio) (?:\w+ ){0,3}noi (?:ngong|khong ro|lap)\b|"
            r"\bđap đau\b[^.!?]{0,80}\b(?:oi|non|buon ngu|lo mo)\b",
        ),
        # Session 10, written anew for the most common other languages of US patients: Polish,
        # Vietnamese and Tagalog here (Latin letters, folded); Chinese, Russian, Arabic and
        # Korean in EMERGENCY_RULES_SCRIPT. The plainest signs only, each said of now; triage
        # still says a person must read the post.
        (
            "mentions trouble breathing",
            r"\bnie (?:moze|moge|mozna) (?:zlapac )?oddychac\b|\bnie oddycha\b|\bdusi sie\b|"
            r"\bkhong tho (?:đuoc|noi)\b|\bkho tho\b|\bngung tho\b",
        ),
        (
            "mentions blue lips",
            r"\b(?:sine usta|usta (?:\w+ )?(?:sine|sinieja))\b|\bmoi (?:\w+ )?tim\b",
        ),
        (
            "mentions loss of consciousness",
            r"\bnieprzytomn\w*|\bstraci\w* przytomnosc\b|\bbat tinh\b|\bngat xiu\b|"
            r"\bnawalan (?:siya )?ng malay\b",
        ),
        (
            "mentions chest pain",
            r"\bbol w klatce piersiowej\b(?=[^.!?]{0,40}\b(?:teraz|od godziny|pot)\b)|"
            r"\bi ma bol w klatce piersiowej\b|"
            r"\bđau nguc\b(?=[^.!?]{0,30}\b(?:bay gio|dang|kho tho)\b)",
        ),
        # Session 10, after the spent seventh blind set (its Polish and Portuguese posts named
        # none of the signs above): a crushed limb gone cold or pale and numb; a cold sweat
        # with pallor, faintness or a falling pressure (shock).
        (
            "mentions a limb without blood flow",
            r"\b(?:noga|reka|stopa|dlon)\b[^.!?]{0,30}\b(?:zimn[aey]|blad[aey]|sin[aey])\b"
            r"[^.!?]{0,40}\bnie czuje\b",
        ),
        (
            "mentions a cold sweat with signs of shock",
            r"\b(?:palid[oa]|desmai\w*|tont[oa])\b[^.!?]{0,40}\bsuando frio\b|"
            r"\bsuando frio\b[^.!?]{0,40}\b(?:palid[oa]|desmai\w*|tont[oa]|pressao)\b",
        ),
    )
)
#: A wish to die said directly, in the other languages of the sets' posts (session 8: "Eu
#: quero morrer", "Ich will nicht mehr leben", "Gusto ko nang mamatay"), not the idioms of
#: laughing or shame ("je veux mourir de rire").
CRISIS_RULES_OTHER = _rules(
    (
        (
            "mentions wanting to die",
            r"\b(?:eu )?quero morrer\b(?! de (?:rir|vergonha|fome|sono|tedio|calor|frio|amor))|"
            r"\bnao quero (?:mais )?viver\b|\bje veux mourir\b(?! de (?:rire|honte|faim|froid))|"
            r"\bje (?:ne )?veux plus vivre\b|\bmwen (?:vle|ta vle) mouri\b|"
            r"\bmwen pa vle viv anko\b|\bich will (?:nicht mehr leben|sterben)\b|"
            r"\bgusto ko (?:nang )?mamatay\b",
        ),
        (
            "talks about ending their life",
            r"\b(?:vou|quero) me matar\b|\bme suicider\b|\bmettre fin a (?:mes jours|ma vie)\b|"
            r"\btouye tet mwen\b|\bmich umbringen\b|\bpatayin ko (?:ang )?sarili ko\b",
        ),
        (
            # Session 8: Arabic, accents and hamza folded ("سأنهي حياتي", "أريد أن أموت").
            "talks about ending their life",
            r"سانهي حياتي|انهي حياتي|اريد ان اموت|ساقتل نفسي|انتحر",
        ),
        # Session 10: Polish, Vietnamese, Tagalog; not "từ từ" (slowly, folded like "tự tử")
        (
            "mentions wanting to die",
            r"\bchce umrzec\b|\bnie chce (?:juz )?zyc\b|\bmuon chet\b|"
            r"\bkhong muon song (?:nua)?\b",
        ),
        (
            "talks about ending their life",
            r"\bzabic sie\b|\bzabije sie\b|\bodebrac sobie zycie\b|\bpope\w+ samoboj\w*|"
            r"\b(?:muon|đinh|se|sap) tu tu\b|\bmagpakamatay\b",
        ),
    )
)
#: Signs and wishes to die in languages of other scripts (session 10, written anew: Chinese,
#: Russian, Arabic, Korean; the plainest only, each said of now). Every match holds a letter of
#: those scripts (``_OTHER_SCRIPT``), so a post without one never runs them (``_possible``; a
#: test checks it on every such post of the repository). Over folded text: Cyrillic short i
#: folds to i, Korean is
#: decomposed (NFD), Arabic loses its hamza. Not "鼻子不能呼吸" or "нос не дышит" (a blocked
#: nose), "想死你了" (miss you to death), "笑死" (dying of laughter), a prevention hotline.
EMERGENCY_RULES_SCRIPT = _rules(
    (
        (
            "mentions trouble breathing",
            r"喘不[过過上][气氣]|(?<!鼻子)(?<!鼻)(?:不能|无法|無法|没有|沒有|不会|不會)呼吸|呼吸困[难難]|"
            r"не (?:может|могу|можем|могут) дышать|(?<!нос )(?<!носом )не дышит|"
            r"задыха(?:ется|юсь|емся)(?! от (?:жары|духоты|смеха|счастья|злости))|"
            r"لا (?:يستطيع|تستطيع|استطيع|يقدر|اقدر) (?:ان )?(?:يتنفس|تتنفس|اتنفس|التنفس)|"
            r"لا (?:يتنفس|تتنفس)|ضيق (?:في )?التنفس|"
            + unicodedata.normalize("NFD", "숨을? 안 ?쉬|숨이 막히"),
        ),
        (
            "mentions blue lips",
            r"(?:嘴唇|嘴巴)(?:发|發|变|變)?(?:紫|青|蓝|藍)|губы (?:\w+ )?(?:синие|посинели|синеют)|"
            + unicodedata.normalize("NFD", "입술이 (?:파래|파랗)"),
        ),
        (
            "mentions loss of consciousness",
            r"昏迷|叫不醒|(?:失去|没有|沒有)(?:意识|意識|知觉|知覺)|晕倒了|暈倒了|"
            r"без сознания|потерял[аи]? сознание|не приходит в себя|"
            r"فاقد (?:ا)?لوعي|فقد (?:ا)?لوعي|مغمى عليه|"
            + unicodedata.normalize("NFD", "의식이 없|정신을 잃"),
        ),
        (
            # chest pain said with a sign or a word of now ("现在", "сейчас", "الان")
            "mentions chest pain",
            r"(?:胸口|胸部|心口)(?:很|非常|好|特别|特別)?(?:痛|疼)(?=[^。.!?！？]{0,20}(?:现在|現在|"
            r"正在|一直|喘|冷汗|手臂|左臂))|"
            r"боль в груди(?=[^.!?]{0,40}(?:сейчас|давит|отдает|пот))|"
            r"الم (?:شديد )?في الصدر(?=[^.!?]{0,30}(?:الان|حاليا))",
        ),
        # Session 10, after the spent seventh blind set, whose Arabic and Chinese posts named
        # none of the signs above: speech that makes no sense or a throat that cannot swallow
        # (low sugar after insulin, a stroke); a cold sweat with dizziness or pallor (bleeding,
        # shock), not a cold sweat alone.
        (
            "mentions confusion or slurred speech",
            r"(?:يتكلم|تتكلم|يتحدث|تتحدث) (?:كلاما |كلام )?غير مفهوم|"
            r"لا (?:يستطيع|تستطيع) (?:ان )?(?:يبلع|تبلع)|"
            r"(?:说话|說話)(?:不清|含糊|听不懂|聽不懂)|(?:口齿|口齒)不清",
        ),
        (
            "mentions a cold sweat with signs of shock",
            r"(?:头晕|頭暈|脸色(?:发白|苍白)|臉色(?:發白|蒼白))[^。.!?]{0,12}(?:出|冒)冷汗|"
            r"(?:出|冒)冷汗[^。.!?]{0,12}(?:头晕|頭暈|脸色(?:发白|苍白)|臉色(?:發白|蒼白))",
        ),
    )
)
CRISIS_RULES_SCRIPT = _rules(
    (
        (
            "mentions wanting to die",
            r"我(?:真的|好|很)?想死(?!你|了你|我了)|不想活|活不下去|"
            r"хочу умереть|не хочу (?:больше )?жить|"
            + unicodedata.normalize("NFD", "죽고 싶|살고 싶지 않"),
        ),
        (
            "talks about ending their life",
            r"(?<!预防)(?<!預防)(?:自杀|自殺)(?!预防|預防|干预|干預|热线|熱線)|轻生|輕生|"
            r"结束(?:我的)?生命|結束(?:我的)?生命|"
            r"покончить с собои|покончу с собои|убить себя|убью себя|"
            # session 10 (spent seventh set): every pill at once, tonight
            r"(?:выпью|приму|проглочу|выпить|принять|проглотить) (?:их )?(?:все|всю пачку|"
            r"всю упаковку)(?: \w+)? (?:сразу|разом|за раз|одним разом)|"
            + unicodedata.normalize("NFD", "자살"),
        ),
    )
)
_SCRIPT_ONLY = frozenset(EMERGENCY_RULES_SCRIPT + CRISIS_RULES_SCRIPT)
#: A letter of the scripts those rules are written in (Cyrillic, Arabic, Korean jamo and
#: syllables, CJK): a post with none, an accented or emoji-laden review, never runs them.
_OTHER_SCRIPT = re.compile(
    "[\u0400-\u04ff\u0600-\u06ff\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u4e00-\u9fff]"
)
_EMERGENCY_ALL = (
    EMERGENCY_RULES + EMERGENCY_RULES_ES + EMERGENCY_RULES_OTHER + EMERGENCY_RULES_SCRIPT
)
_CRISIS_ALL = CRISIS_RULES + CRISIS_RULES_ES + CRISIS_RULES_OTHER + CRISIS_RULES_SCRIPT

# Figures of speech and talk *about* a condition, masked before the urgent rules run: an awareness
# poster, a seizure-disorder consult, "heart attack on a plate", "I nearly had a stroke waiting".
# Kept deliberately narrow (each entry is a fixed idiom), because whatever is masked here can never
# escalate; "suicide prevention line" stays visible, since calling it is a crisis.
_FIGURES = re.compile(
    r"\b(?:suicide|overdose|stroke|heart attack|seizure|opioid|mental health|self[- ]harm)"
    r" (?:prevention|awareness) (?:month|week|day|walk|run|event|posters?|workshops?|training|"
    r"campaign|fundraiser|ribbon|videos?|talks?|seminars?|leaflets?|brochures?|pamphlets?|"
    r"flyers?|info)\b|\b(?:overdose|stroke|suicide|seizure) awareness\b|"
    r"\b(?:seizure|epilepsy|stroke|heart attack|cardiac) (?:disorder|consult\w*|clinic|"
    r"follow[- ]?up|specialist|class|training|action plan|risk|medications?|meds|refills?|"
    r"prescriptions?)\b|"
    r"\bheart attack (?:on a plate|in a (?:bun|box|bowl))\b|"
    r"\bstroke of (?:\w+ )?(?:luck|genius|brilliance|fortune)\b|"
    r"\b(?:overdos\w*|od'?d|o\.d\.'?d) on (?:(?:the|some|free|too many|all the) )*"
    r"(?:candy|mints|gum|sugar|coffee|caffeine|chocolate|"
    r"cookies|cake|pizza|netflix|cuteness|love|nostalgia|carbs|snacks|sweets)\b|"
    r"\b(?:nearly|almost|practically) (?:had|have|having) (?:a )?(?:stroke|heart attack|"
    r"coronary|seizure|aneurysm)\b|\babout had (?:a )?(?:stroke|heart attack|coronary)\b|"
    # session 9: apnoea told beside its treatment ("stopped breathing at night ... CPAP")
    r"\bstop(?:s|ped|ping)? breathing (?:at night|in (?:my|his|her|their) sleep|while (?:i|he|"
    r"she) (?:slept|sleeps?))\b(?=[^\n]*\b(?:cpap|bipap|sleep stud(?:y|ies)|(?:sleep )?apnea)\b)|"
    r"\b(?:nearly|almost|practically) (?:passed out|fainted|"
    r"collapsed)\b|"
    r"\bdie of (?:embarrassment|laughter|laughing|boredom|cuteness|excitement|happiness|"
    r"jealousy|envy)\b|\bdied (?:laughing|of laughter)\b|"
    r"\bthought (?:i'?d|i would|i was going to|i was gonna) (?:pass out|faint|die|have a "
    r"(?:heart attack|stroke))\b|"
    # session 8: worry as an idiom ("MY WIFE IS WORRIED SICK"), and a joke about dying in the
    # dentist's chair ("if I die in the chair during this root canal tell my cat I loved her"):
    # the goodbye is conditional on a routine procedure, not a wish to die
    r"\b(?:worried|worrying|scared|stressed) (?:myself |herself |himself )?sick\b|"
    r"\bsick with worry\b|"
    r"\bif i (?:die|don'?t make it|pass away) (?:\w+ ){0,3}(?:in|during|on|under|at) (?:the |this |"
    r"my |that |a )?(?:\w+ ){0,2}(?:chair|surgery|procedure|root canal|appointment|cleaning|"
    r"extraction|filling|table|anesthesia|anaesthesia|visit|exam|drill|crown|colonoscopy|"
    r"wisdom teeth|shots?)\b[^.!?]{0,40}?\btell (?:my \w+|everyone|them) (?:that )?i lov\w*|"
    # Annoyance, not danger (issue 15): "this wait will be the death of me", "I'm going to scream".
    r"\b(?:be|is|was) the death of me\b|\b(?:going to|gonna|about to|could|want to|"
    r"wanted to) (?:scream|lose my mind)\b|\bpull (?:my|his|her|our) hair out\b|"
    # Hyperbole about money, waits and paperwork (issue 15, round 2): "this bill is going to kill
    # me", "the copay is literally killing me", "I'm dying to know", "bleeding money".
    r"\b(?:bills?|wait\w*|prices?|costs?|copays?|co-pays?|deductibles?|hold music|paperwork|"
    r"forms|traffic|insurance|parking|estimates?|invoices?|statements?|fees?|charges?|"
    r"(?:this|that|the) (?:office|place|practice|clinic|line|queue|phone tree|portal)) "
    r"(?:\w+ ){0,3}(?:kill\w*|be the end of) (?:me|us)\b|"
    r"\b(?:i'?m|im|i am|we'?re) (?:\w+ )?dying to (?:know|see|try|get|go|hear|find out|meet)\b|"
    r"\b(?:i|we) (?:could|would) kill for\b|\bbleed(?:ing)? (?:money|cash|me dry)\b|"
    r"\bbled (?:me|us) dry\b|"
    r"\bif i have to (?:wait|sit|listen|hear|call|fill)[^.!?]{0,60}\b(?:i'?ll|i'?m going to|"
    r"i'?m gonna|im gonna|i will) (?:die|lose it|scream|explode)\b|"
    r"\b(?:going to|gonna|will) be the end of me\b|\bsick and tired of\b|"
    # session 8: what a long wait made time for ("on hold so long I've finished a novel AND my
    # will", "waited so long I aged")
    r"\bso long (?:that )?(?:i'?ve|i have|i|we'?ve|my \w+ (?:has|have)) (?:\w+ ){0,5}"
    r"(?:(?:a|my) will|a (?:whole )?novel|a book|aged|grown|retired|grew a beard)\b|"
    r"\btired of being tired\b|"
    r"\b(?:is|was) (?:a |an )?(?:total |complete |absolute |literal )?(?:car ?crash|"
    r"train ?wreck|dumpster fire)\b|\bblood (?:is |was )?boiling\b|"
    r"\b(?:situation|parking|traffic|booking|scheduling|system|queue|line) (?:here )?(?:is|was) "
    r"(?:pure |total |basically |literally |social )?suicide\b|"
    r"\b(?:need|needed|needing) cpr (?:after|when|from)\b|"
    r"\boverdos\w* on (?:\w+ ){0,2}(?:magazines|tv|television|reality shows?|hold music|"
    r"small talk|paperwork|forms|coffee|dad jokes|puns|memes)\b|"
    # Numbing that wore off: "the numbing made my face droop for hours".
    r"\b(?:numbing|numbed|novocaine|anesthetic|lidocaine|the shot)\b[^.!?]{0,40}\bdroop\w*|"
    # A symptom that is over: "no more chest pain since ...", "no bleeding at all".
    r"\b(?:no more|no longer (?:have|has|any)|free of|never had|without any|no|barely any|"
    r"hardly any|very little|minimal|almost no|little to no) (?:\w+ ){0,2}"
    r"(?:chest pains?|bleeding|swelling|seizures|trouble breathing|shortness of breath)\b|"
    # Session 9, from the real reviews' false escalations and the spent fifth blind set:
    # - a state denied: "I'm not suicidal, don't worry", "no longer had suicidal thoughts", "no
    #   signs of heart attack" (not "I'm not suicidal but ...": other signs are read anyway);
    r"\b(?:not|never been|no longer) (?:actively )?suicidal\b(?!,? (?:yet|but|though))|"
    r"\bno longer (?:have|had|having|get|getting) (?:any )?suicidal (?:thoughts|ideations?|"
    r"feelings)\b|\bno (?:signs?|symptoms?|evidence) of (?:a )?(?:heart attack|stroke)\b|"
    # - what might have happened: "if my bp was still high I could have had a stroke";
    r"\b(?:could|might|would|may)(?: have|'?ve) (?:had|died of|died from) (?:a )?(?:stroke|"
    r"heart attack|seizure|aneurysm)\b|"
    # - a place or a price as the cause: "would drive you to suicide or madness", "cheaper to
    #   just die", "this co-pay is going to put me in an early grave";
    r"\b(?:drive|drives|driving|drove) (?:you|one|anyone|anybody|people|a person|a saint) to "
    r"(?:suicide|drink|madness|despair)\b|\bcheaper to (?:just |simply )?die\b|"
    r"\b(?:co-?pays?|bills?|prices?|costs?|fees?|deductibles?|insurance|premiums?) (?:\w+ ){0,4}"
    r"(?:put|send|drive) (?:me|us) (?:in|into|to) (?:an early|my|our|the) grave\b|"
    # - a condition named as a history or a group: "as a past anaphylaxis sufferer", "for heart
    #   attack patients";
    r"\b(?:past|former|previous|long-?time|lifelong) (?:\w+ )?(?:sufferer|survivor)\b|"
    r"\b(?:heart attack|stroke|seizure|overdose) (?:patients|victims|survivors)\b|"
    r"\bask(?:s|ed|ing)? (?:for|about) (?:the )?(?:symptoms|signs) of (?:a )?(?:heart attack|"
    r"stroke)\b|"
    # - the office as the cause: "gave me a splitting headache and chest pain every phone call";
    r"\bchest pains? (?:on |with |after )?(?:every|each) (?:phone )?call\b|"
    # - a dismissal told: "told me my chest pains were 'just stress'".
    r"\b(?:told|said|insisted)(?: me)?(?: that)? (?:my|his|her) (?:\w+ ){0,4}(?:was|were) "
    r"(?:just |only |all |probably )?['\"]?(?:just )?(?:stress|anxiety|nothing|in my head|"
    r"heartburn|indigestion|muscular|a pulled muscle|gas)\b"
)

# Historical mentions ("I had chest pain last year") do not need an ambulance now, nor do
# hypotheticals ("what should I do if my child ever swallows a battery?"). Only used to soften
# *emergency* rules, and only when no sign of the present is in the same sentence.
_PAST = re.compile(
    # session 9: a weekday or a weekend last, a date ("on tuesday 25 october", "on the 2nd of
    # november"), and "the night my son turned blue" (not "since the night ...")
    r"\blast (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b|"
    r"\b(?:i|she|my wife|we) (?:was|were) (?:\d+ (?:weeks?|months?) )?pregnant\b|"
    r"\bon (?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),? )?(?:the )?"
    r"\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b|"
    r"(?<!since )\bthe (?:night|day|morning|evening|afternoon|weekend) (?:my|our|when|that|i|"
    r"we|he|she|they)\b|"
    # session 9: a school year ("collapsed on the track sophomore year")
    r"\b(?:freshman|sophomore|junior|senior) year\b|"
    r"\b(?:last (?:week|month|year|time|spring|summer|fall|autumn|winter|christmas)|"
    r"years? ago|months? ago|weeks? ago|back in|in 20\d\d|when i was (?:a kid|little|young)|"
    r"as a (?:kid|child|teen)|in (?:january|february|march|april|june|july|august|september|"
    r"october|november|december))\b|\bin may(?=\s*(?:[.,;!]|$|and\b|but\b|when\b))"
)
_HYPOTHETICAL = re.compile(r"\bif (?:\w+ ){0,4}ever\b|\bhypothetical\w*|\bfor future reference\b")
# "now" counts only where it starts a clause or has a subject after it ("and now it's back"),
# not inside "they now use latex-free gloves".
_PRESENT = re.compile(
    # "two years ago today" is an anniversary, not today (session 9)
    r"(?<!ago )\b(?:right now|still|again|today|tonight|this (?:morning|evening|afternoon)|"
    r"currently|rn|"
    r"just)\b|(?:^|[,;:] ?|\b(?:and|but|so|until|till|even) )now\b(?! every| whenever)|"
    r"\bnow (?:it|it'?s|its|he|"
    r"he'?s|she|she'?s|i|i'?m|im|my|his|her|the|they|there|we)\b|"
    # "the toe is black now" (session 7), "so swollen now that" (session 9)
    r"\b(?:is|are|looks|look) (?:all |so |really |very |even )?\w+ now\b"
)
# The event an emergency sign is counted from, not the time of the sign (session 10: "gave birth
# a week ago, soaking a pad every 30 minutes"; "had my surgery 4 days ago, the incision is
# leaking pus"): the emergency rules read such a sentence as now. Not the classifier's gate:
# "had my wisdom teeth out 2 days ago, little swelling, no complaints" stays a story to it.
_SINCE_EVENT = re.compile(
    r"\b(?:gave birth|delivered|had (?:my |the |a |her |his )?(?:baby|surgery|c-?section|"
    r"operation|procedure|extraction|(?:wisdom )?teeth out|tooth out|miscarriage)) (?:\w+ ){0,2}"
    r"(?:\d+|a|one|two|three|four|five|six) (?:days?|weeks?) ago\b(?![^.!?]*\b(?:was|were|had)\b)"
)
# A title's full stop ("Mrs. Lee fell and hit her head last month") does not end a sentence
# (session 9): split there, the sentence lost its time and read as now.
_SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\bdr)\.|(?<=\bmr)\.|(?<=\bms)\.|(?<=\bmrs)\.)+[.!?\n]*")
# A sign-off, not a polite "sorry to post here but ...".
_FAREWELL = re.compile(
    r"\bsorry(?=\s*(?:[.!]|$| everyone| mom| mum| dad| guys| for everything))|"
    r"\b(?:bye|goodbye|forgive me|love you all|tell \w+ i love|adios|perdon\w*|los quiero)\b"
)


def sentences(text: str) -> list[str]:
    """Return the sentences of ``text`` (the whole text when it has no sentence break)."""
    return _SENTENCE.findall(text) or [text]


# Look-alike characters inside a word ("su1c1de", "k!ll myself"), read as the letters they hide.
_LOOKALIKE = re.compile(r"(?<=[a-z])[0-9!@$|](?=[a-z])")
_LETTER = {"1": "i", "!": "i", "|": "i", "3": "e", "0": "o", "4": "a", "@": "a", "$": "s", "5": "s"}


def _plain(norm: str) -> str:
    """Return the text with look-alike characters inside words replaced by their letters."""
    return _LOOKALIKE.sub(lambda m: _LETTER.get(m.group(0), m.group(0)), norm)


# Talk of a danger that is someone else's past or plainly not one (session 6, from the spent
# second blind set's frightening-but-not-urgent posts; each tested with a look-alike that must
# still escalate in tests/core/triage/test_urgent_session6.py):
# - bereavement: "we lost our son to suicide last spring" tells of a death, not the poster's risk;
# - a scare that turned out to be nothing: "thought I was having a heart attack, turned out to be
#   heartburn", "parecía que me dio un derrame 😂";
# - soreness after a session or a shot: "can't lift my arm after today's session" is not a
#   stroke sign;
# - "me quiero morir de tanto esperar": dying of the wait, like "morir de vergüenza";
# - "your parking garage is a death trap": a place described, not a danger to the poster now.
_FIGURES_TOLD = re.compile(
    r"\b(?:lost|losing|lose) (?:our|my|a|their|his|her) (?:\w+ ){0,2}to suicide\b|"
    r"\b(?:died|passed away|passed) (?:by|from|of) suicide\b|"
    r"\bthought (?:i was|i'?d|i'?m|it was|he was|she was) (?:having |going to have |had )?"
    r"(?:a )?(?:heart attack|stroke|seizure)\b(?=[^\n]{0,120}?\b(?:turn(?:ed|s) out|"
    r"(?:but )?it was (?:just|only))\b)|"
    # session 10: a scare explained as nothing ("my chest pain was just a pulled muscle")
    r"\b(?:chest|heart) (?:pain|thing|tightness|pressure)\b (?:\w+ ){0,4}?(?:was|turned out to "
    r"be) (?:just|only) (?:a |an )?(?:pulled muscle|muscle strain|strain|panic attack|anxiety|"
    r"heartburn|reflux|gas)\b|"
    # session 10: fainting on the table during a procedure, told by one who says they are fine
    r"\b(?:fainted|passed out) (?:on the (?:\w+ )?table|in the (?:\w+ )?chair)\b"
    r"(?=[^\n]{0,120}\bi'?m (?:fine|ok|okay|alright)\b)|"
    # session 8: a habit of fainting, told ("I've fainted at every blood draw since I was 12")
    r"\b(?:faint|fainted|pass out|passed out)\b (?:at|during) (?:every|each|all|most) \w+|"
    r"\bparec(?:ia|e|io) que (?:me|le) (?:dio|daba|iba a dar|estaba dando) (?:un |una )?"
    r"(?:derrame|infarto|ataque|embolia)\b|"
    r"\b(?:looked|look|felt) like (?:i|he|she) (?:had|was having) (?:a )?stroke\b(?=[^.!?]*"
    r"(?:lol|lmao|haha|😂|🤣))|"
    r"\b(?:can'?t|cannot|can not|couldn'?t) (?:lift|move|raise) (?:my|his|her) (?:\w+ )?arm\b"
    r"(?=[^.!?]{0,15}\bafter (?:(?:today|yesterday)'?s |my |the |this |that |a )?(?:morning'?s )?"
    r"(?:session|workout|shot|flu shot|vaccine|vaccination|injection|jab|class|pt|"
    r"physical therapy|massage|adjustment|gym)\b)|"
    r"\b(?:is|was|are|a|an|total|absolute|literal) death ?traps?\b|"
    # session 7, from the spent third blind set's frightening-not-urgent posts (each tested with
    # a look-alike that must still escalate, tests/core/triage/test_s7_triage.py):
    # - a preference, not a wish: "I'd rather be dead than go back to this dentist", "I'd rather
    #   get hit by a bus than call your billing office again" (but "I'd rather die than live
    #   like this" is a crisis: the other side must be an errand, not living);
    r"\b(?:i'?d|i would|id) (?:\w+ )?rather (?:be dead|die|get hit by (?:a )?(?:bus|truck|car|"
    r"train)|(?:walk|jump) (?:\w+ ){0,3}(?:into|in front of) (?:\w+ ){0,2}(?:traffic|a bus|"
    r"a train)|(?:eat|swallow) (?:\w+ ){0,2}(?:glass|nails))"
    r"(?= (?:\w+ ){0,2}than (?:\w+ ){0,2}(?:(?:go|going|come|coming) (?:back|in|there)|"
    r"call|calling|wait|waiting|"
    r"see|seeing|sit|sitting|deal|dealing|pay|paying|use|using|return|book|booking|step foot|"
    r"set foot|talk|talking|speak|speaking|fill|filling|spend|spending)\b)|"
    r"\bprefiero (?:morir\w*|estar muert[oa]|que me (?:atropelle|mate)\w*)"
    r"(?= (?:\w+ )?(?:que|a|antes que) (?:\w+ ){0,2}(?:volver|regresar|llamar|esperar|ir|pagar|"
    r"ver)\b)|"
    # - session 9: a threat over the office's hold music or forms ("if I have to hear one more
    #   hold message I'll walk into traffic"), never over living or a night like this;
    r"\bif (?:i|he|she|we|they) (?:have|has) to (?:hear|listen to|sit through|fill out|sit on|"
    r"be on|call|press) (?:\w+ ){0,2}(?:more |another )?(?:hold|phone|automated|menu|form|"
    r"voicemail|call|recording|message|prompt)\w*\b[^.!?]{0,40}?\b(?:i'?ll|he'?ll|she'?ll|"
    r"we'?ll|they'?ll|i will|he will|she will) (?:\w+ ){0,2}(?:walk|run|jump|drive)\w* "
    r"(?:\w+ ){0,3}(?:traffic|a bus|a train|a window|a bridge|a lake|the river)\b|"
    # - an accusation of past harm: "you almost killed my dad last month" (not "himself")
    r"\b(?:almost|nearly|practically|could have|could'?ve) (?:killed|kill) "
    r"(?:my|me|him|her|us|them|our)\b|"
    r"\bmori\w* (?:\w+ )?de tanto (?:esperar|llamar|marcar|hacer fila|estar en espera)\b|"
    # the dentist's numbing, in Spanish, as "the numbing made my face droop" is masked above
    r"\b(?:dentista|anestesia|inyeccion|piquete|novocaina|me anestesiaron)\b[^.!?]{0,40}"
    r"\b(?:cara|boca|labios?|lengua) (?:\w+ )?(?:dormid[oa]s?|adormecid[oa]s?|entumid[oa]s?)\b"
)


# A joke before a procedure (session 9, from the spent fifth blind set): "Wisdom teeth out
# tomorrow, already picked my funeral song ... see you on the other side Dr. Yoon" says goodbye
# to the doctor until the patient wakes up. Only said to a doctor, in a post about a procedure.
_PROCEDURE = re.compile(
    r"\b(?:wisdom teeth|surgery|procedure|operation|root canal|extraction|colonoscopy|"
    r"endoscopy|an(?:a)?esthesia|sedation|put under|going under)\b"
)
_SEE_YOU_DOCTOR = re.compile(
    r"\bsee (?:you|ya|y'?all) on the other side,? (?:dr|doc|doctor|dentist)\b"
)


@lru_cache(maxsize=8)
def _unfigured(norm: str) -> str:
    """Return the text with figures of speech and awareness phrases masked out (worked out once
    a text: the emergency and crisis rules and the urgency vetoes read the same post)."""
    text = _FIGURES_TOLD.sub(" ~ ", FIGURES_ES.sub(" ~ ", _FIGURES.sub(" ~ ", norm)))
    if _PROCEDURE.search(text):
        text = _SEE_YOU_DOCTOR.sub(" ~ ", text)
    return text


def _remote(sentence: str) -> bool:
    """Return True when a sentence tells of the past or a hypothetical, and nothing of now."""
    remote = _PAST.search(sentence) or PAST_ES.search(sentence) or _HYPOTHETICAL.search(sentence)
    return bool(remote) and not (_PRESENT.search(sentence) or PRESENT_ES.search(sentence))


def benign_farewell(norm: str) -> bool:
    """Return True when a post says goodbye for an ordinary reason: moving away, a doctor
    retiring, a holiday ("I'm not going to be around next week (holiday)")."""
    return _BENIGN_FAREWELL.search(fold(norm)) is not None


def told_as_past(norm: str, mentions: re.Pattern[str]) -> bool:
    """Return True when every sentence with a ``mentions`` match tells of the past or of a
    hypothetical, and none of them of now ("Last year my son swallowed a battery and the ER team
    saved his life"); False when no sentence has one."""
    found = False
    for sentence in sentences(_unfigured(fold(norm))):
        if mentions.search(sentence):
            found = True
            if not _remote(sentence):
                return False
    return found


def emergency_reasons(norm: str) -> list[str]:
    """Return the reasons an (already normalised) post looks like a medical emergency.

    English and Spanish patterns both run, over the text with accents folded; a sentence that
    only tells of the past ("I had chest pain last year", "hace dos años se ahogó") is skipped.
    """
    reasons: list[str] = []
    for sentence in sentences(_unfigured(fold(norm))):
        if _remote(sentence) and not _SINCE_EVENT.search(sentence):
            continue
        for rule in _possible("emergency", sentence):
            if rule.reason not in reasons and rule.search(sentence):
                reasons.append(rule.reason)
    return reasons


@cache
def _index(which: str) -> tuple[tuple[PatternRule, ...], LiteralIndex]:
    """Return a table of rules ("emergency", "crisis", "spam strong", "spam weak") with the
    index of the strings their patterns need (``core.literal_index``), made on first use."""
    tables = {
        "emergency": _EMERGENCY_ALL,
        "crisis": _CRISIS_ALL,
        "spam strong": SPAM_STRONG,
        "spam weak": SPAM_WEAK,
    }
    rules = tables[which]
    return rules, LiteralIndex([rule.pattern for rule in rules])


def _possible(which: str, text: str) -> list[PatternRule]:
    """Return the ``which`` rules (``_index``), in order, that could match in ``text``: a post
    holds none of what most rules need, and one scan for the strings is far cheaper than each
    pattern's. The rules written in other scripts (``_SCRIPT_ONLY``, whose strings the index does
    not read) are skipped on a post without a letter of those scripts (``_OTHER_SCRIPT``). Which
    rules match, and in what order, is unchanged."""
    rules, index = _index(which)
    found = [rules[i] for i in index.possible(text)]
    if text.isascii() or not _OTHER_SCRIPT.search(text):  # most posts (session 10)
        return [rule for rule in found if rule not in _SCRIPT_ONLY]
    return found


# A recovery story: the crisis it tells of is over ("Two years ago I was suicidal ... I'm doing
# great now", "hace años pensé en suicidarme ... hoy estoy bien").
_RECOVERED = re.compile(
    r"\b(?:hoy|ahora|now) (?:ya )?(?:estoy|i'?m|i am) (?:muy |so |doing |much )?(?:bien|mejor|"
    r"feliz|great|well|better|fine|good|happy)\b|\bi'?m (?:doing )?(?:so much |much )?(?:great|"
    r"well|better|fine|good|happy|in a (?:good|better) place) now\b|\b(?:doing|feeling) "
    r"(?:so much |much |a lot )?(?:great|better|well) now\b|\b(?:salvo|salvaron) la vida\b|"
    r"\bsaved my life\b|\bme (?:ayudo|ayudaron) a salir\b|\bsalir adelante\b|"
    r"\bgot me (?:through|into therapy|help)\b|"
    # "3 years ago I tried to end my life and your counselors are the reason I'm still here"
    r"\b(?:the reason|why) (?:i'?m|i am|im) (?:still )?(?:here|alive)\b|"
    # session 8: a life going on now ("... planning to end it. I'm getting married in June.")
    r"\b(?:i'?m|i am|we'?re|we are) getting married\b|"
    # "... I wanted to die. Three years later I'm cancer-free" (session 6)
    r"\b(?:years?|months?) later,? (?:i'?m|i am) (?:\w+ )?(?:cancer[- ]free|healthy|well|fine|"
    r"alive|thriving|in remission|clean|sober|doing (?:great|well|fine))\b"
)
# The moment a past crisis began, in a recovery story: "when they told me it was cancer"
# (session 6; read only by ``_without_recovered_past``).
_WHEN_TOLD = re.compile(
    r"\bwhen (?:i|they|he|she|the doctors?|my doctor) (?:was |were |first )?(?:told|found out|"
    r"heard|learned|got (?:the )?(?:news|diagnosis|results)|diagnosed)\b"
)
# "I can't take it anymore" about a wait or a cancellation is a complaint (issue 15); the same
# words with nothing about the practice, or with any other crisis sign, still escalate.
_TAKE_IT = re.compile(
    r"\b(?:can'?t|cannot|can not|couldn'?t|could not) (?:\w+ )?(?:take (?:it|this)|do this|"
    r"stand (?:it|this))(?: anymore| any more)\b"
)
_GRIEVANCE = re.compile(
    r"\b(?:wait\w*|minutes?|mins|hours?|hrs|on hold|cancel\w*|appointments?|appts?|resched\w*|"
    r"front desk|reception\w*|chiropract\w*|(?:this|the|that) (?:office|practice|clinic|place)|"
    r"billing|insurance company|phone tree|voicemail|parking|waiting room|walked out|scream\w*|"
    # session 7: "I can't take it anymore. 5th time you've lost my disability paperwork."
    r"paperwork|forms|records|referrals?|portal|lost (?:my|our|his|her) \w+)\b"
)


# A farewell with an ordinary reason (issue 15, round 2): moving away, a doctor retiring, a
# holiday. Only the "says goodbye" patterns give way to it, and only when they are the post's
# sole crisis sign.
_BENIGN_FAREWELL = re.compile(
    r"\b(?:mov(?:e|es|ed|ing) (?:to|away|out|back|across)|(?:we'?re|i'?m|we are|i am) moving|"
    r"relocat\w+|"
    r"retir\w+|new job|graduat\w+|(?:on )?(?:holiday|vacation)|transferr?\w* (?:to|my care)|"
    r"switching (?:to|practices|dentists|doctors)|nos mudamos|me mudo|jubil\w+)\b"
)


# "I couldn't take it any more, and began seeing a physical therapist", "stayed with him for 6
# weeks and couldn't take it any more": a story that went on, told in the past (session 9, from
# the real reviews); "I can't take it anymore" in the present is never read this way.
_MOVED_ON = re.compile(
    r"\b(?:couldn'?t|could not) (?:\w+ )?(?:take|stand) (?:it|this) any ?more\b[^.!?]{0,12}"
    r"\b(?:and|so) (?:i )?(?:then )?(?:began|started|went|switched|left|found|moved|changed|quit|"
    r"stopped seeing|decided to (?:see|go|switch|find|leave))\b|"
    r"\b(?:stayed|stuck it out|was) with (?:him|her|them|this \w+) for (?:\w+ ){1,2}(?:days|weeks|"
    r"months|years) and (?:just )?(?:couldn'?t|could not) (?:\w+ )?(?:take|stand) (?:it|this)"
)


def _grievance_only(text: str) -> bool:
    """Return True when every "can't take it anymore" in the post sits next to a grievance, or
    ends a story that went on ("... and began seeing a physical therapist")."""
    parts = sentences(text)
    found = False
    for index, sentence in enumerate(parts):
        if not _TAKE_IT.search(sentence):
            continue
        found = True
        near = sentence + " " + (parts[index + 1] if index + 1 < len(parts) else "")
        if not (_GRIEVANCE.search(near) or _MOVED_ON.search(sentence)):
            return False
    return found


def _without_recovered_past(text: str) -> str:
    """In a recovery story, return the text without its sentences about the past crisis."""
    if not _RECOVERED.search(text):
        return text
    kept = []
    for sentence in sentences(text):
        rest = _RECOVERED.sub(" ", sentence)
        past = _PAST.search(rest) or PAST_ES.search(rest) or _WHEN_TOLD.search(rest)
        if not past or _PRESENT.search(rest) or PRESENT_ES.search(rest):
            kept.append(sentence)
    return " ".join(kept)


def _crisis_matches(text: str) -> list[str]:
    reasons: list[str] = []
    for rule in _possible("crisis", text):
        if rule.reason not in reasons and rule.search(text):
            reasons.append(rule.reason)
    return reasons


def crisis_reasons(norm: str) -> list[str]:
    """Return the reasons an (already normalised) post shows a risk of self-harm.

    English and Spanish patterns both run over the text with accents folded. Time frames alone
    never soften these rules ("last year I wanted to die" still reaches a person); a crisis told
    as the past of a recovery story ("two years ago I was suicidal ... I'm doing great now") does
    not count, nor does "I can't take it anymore" about a wait or a cancellation when nothing
    else in the post is a crisis sign. "Ya no aguanto más" counts only with words of death,
    pills or farewell in the same post.
    """
    text = _without_recovered_past(_unfigured(_plain(fold(norm))))
    if _PAIN_HYPERBOLE.search(text) and pain_relief_refused(norm):
        # "no me dieron nada para el dolor ... me quiero morir del dolor" (session 7): dying of
        # the pain in a complaint about pain relief is the complaint; other crisis signs count
        text = _PAIN_HYPERBOLE.sub(" ~ ", text)
    reasons = _crisis_matches(text)
    if reasons == ["says they cannot go on"] and _grievance_only(text):
        reasons = []
    if reasons == ["says goodbye"] and _BENIGN_FAREWELL.search(text):
        reasons = []  # "last visit before moving to Canada, goodbye everyone and thank you!"
    if (
        not reasons
        and CANT_GO_ON_ES.search(text)
        and CANT_GO_ON_CONTEXT.search(CANT_GO_ON_ES.sub(" ", text))
    ):
        reasons.append("says they cannot go on")
    # An overdose signed off with an apology or a farewell ("took 30 of my pills. sorry") is
    # deliberate: it needs the crisis answer (988) as well as the ambulance.
    overdose = (r for r in _EMERGENCY_ALL if r.reason == "mentions an overdose")
    if not reasons and _FAREWELL.search(text) and any(r.search(text) for r in overdose):
        reasons.append("mentions an overdose with a farewell")
    return reasons


def classifier_text(norm: str) -> str | None:
    """Return the post without what the rules read as not urgent, or None when that is nothing.

    Figures of speech ("this wait will be the death of me", "me muero de risa"), "I can't
    take it anymore" next to a grievance and the past crisis of a recovery story ("two years ago
    I was suicidal ... I'm doing great now") are set aside by the rules; triage does not ask the
    urgency classifier about such a post, so it cannot undo that reading.
    """
    folded = fold(norm)
    text = _unfigured(folded)
    if _grievance_only(text):
        text = " ".join(s for s in sentences(text) if not _TAKE_IT.search(s))
    recovered = _without_recovered_past(text)
    if (
        recovered != text
        and _crisis_matches(_plain(text))
        and not _crisis_matches(_plain(recovered))
    ):
        text = recovered
    return None if text == folded else text


# A complaint about pain relief refused or stopped (issue 15): "they refused to give me more pain
# medication", "no me quisieron dar nada para el dolor". Not a crisis by itself; the rules still
# read it, and a post that also says "I have no reason to keep going" is a crisis.
_PAIN_RELIEF = (
    r"(?:pain|dolor|opioids?|oxy\w*|percocet|vicodin|norco|hydrocodone|tramadol|narcotics?|"
    r"painkillers?|refill\w*|anything (?:for|stronger)|something (?:for|stronger)|"
    r"algo (?:mas fuerte|para el dolor)|pain ?(?:meds?|medications?|medicine|pills|relief))"
)
_PAIN_REFUSED = re.compile(
    r"\b(?:refus\w*|denied|deny|denying|cut (?:me |him |her )?off|took (?:me|him|her) off|"
    r"taken off|stopped|no (?:me |le |nos )?(?:quis\w+|quier\w+|dan|dio|dieron|daban|recet\w+)|"
    r"se nego|se negaron|negaron|(?:me|le|nos) quitaron|"
    r"(?:won'?t|wouldn'?t|didn'?t|don'?t|will not|would not|did not|do not|not) (?:\w+ ){0,2}"
    r"(?:give|prescribe|refill|renew|write|increase|up))\b[^.!?]{0,80}\b" + _PAIN_RELIEF + r"|"
    r"\bpain (?:clinic|management|doctor|specialist|center|centre)\b[^.!?]{0,40}\b(?:cut|"
    r"reduced|lowered|halved|tapered|dropped|stopped)\b|"
    r"\b(?:pain ?(?:meds?|medications?|relief|killers?)|(?:algo )?para el dolor)\b[^.!?]{0,40}"
    r"\b(?:dijeron que no|refused|denied|said no|no me (?:la|lo|las|los|quis\w+|dieron|dan))\b"
)


#: Dying of the pain, read as hyperbole only in a complaint that pain relief was refused.
_PAIN_HYPERBOLE = re.compile(
    r"\b(?:morir\w*|muero|muriendo|mori) (?:\w+ )?del? dolor\b|"
    r"\b(?:die|dying|died) (?:of|from) (?:the )?pain\b"
)


def pain_relief_refused(norm: str) -> bool:
    """Return True when the post complains that pain relief was refused or stopped."""
    return bool(_PAIN_REFUSED.search(fold(norm)))


#: One of these alone makes a post spam.
SPAM_STRONG = _rules(
    (
        (
            "offers money or prizes",
            (
                r"\b(?:make|earn|made|turned) \$\d|\bearn money\b|\bpassive income\b|"
                r"\bfree (?:gift|spins|iphone|followers|status)\b|\b(?:to )?win an? (?:iphone|"
                r"ps5|gift|prize|car|trip|free)|\bcongratulations!? you'?ve been selected|"
                r"\byou'?ve won\b|\b(?:free|claim (?:your|a|an)) (?:\$?\d+ )?gift cards?\b|"
                r"\bgift card (?:giveaway|winner)|\bcasino\b|\brt to win\b"
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
            r"\b(?:replica|viagra|cialis|cbd|gummies|essential oils|no prescription needed)\b|"
            # a classified ad (session 7): "$200 OBO, pickup only"
            r"\b(?:obo|or best offer|pick ?-?up only|local pick ?-?up)\b",
        ),
        (
            "looks like phishing",
            (
                r"\bverify (?:your|the) (?:account|page)\b|\bwill be disabled\b|"
                r"\bclaim (?:it )?now\b|\bclaim your (?:prize|gift|reward)|\bget verified\b|"
                r"\bselected for verification\b|\bavoid (?:suspension|being suspended|"
                r"deactivation)\b"
            ),
        ),
        (
            "offers money or prizes",
            # a rate alone is a price ("$75/hr", "$10/day parking"); spam promises to pay it
            r"\b(?:earn|make|making|get paid|income|profit)\w* [^.!?]{0,30}"
            r"\$\d[\d,]*\s*(?:/|a |per )(?:day|week|month|hr|hour)\b|\bwork from home\b|"
            r"\bno experience needed\b|\bairdrop\b|\bfree tokens\b|\bhot singles\b|\bbuy my\b|"
            # the same offer in Spanish (session 7): "gana dinero desde tu casa"
            r"\bgan(?:a|ar|e) (?:\w+ )?dinero (?:desde (?:tu |su )?casa|facil|rapido)\b|"
            r"\b(?:trabaja|trabajar) desde (?:tu |su )?casa\b|"
            # session 8: "¿Quieres ganar 3.000€ al mes desde casa?"
            r"\bgan(?:a|ar|e|as) (?:\w+ )?[$€]?\d[\d.,]*\s*(?:€|\$|euros?|d[oó]lares|usd|pesos)? ?"
            r"(?:al|por|a la|cada) (?:mes|dia|día|semana)\b",
        ),
        ("looks like a test post", r"^(?:asdf|test|qwerty)(?:\W+(?:asdf|test|qwerty))*\W*$"),
        (
            "looks like a romance scam",
            r"\b(?:hello|hi) dear\b|\bknowing you better\b|\bsend me a friend request\b",
        ),
        (
            "follow-for-follow scheme",
            (
                r"\bf4f\b|\bfollow ?back\b(?! up)|\bfollow for follow\b|\bcheck (?:out )?my (?:bio|"
                r"page|channel|profile)\b|\blink in bio\b|\bpromote it on\b"
            ),
        ),
    )
)
#: Two of these together make a post spam.
SPAM_WEAK = _rules(
    (
        # session 8: "Vendo suplementos ..., escríbeme al WhatsApp", "Vendo seguidores reales"
        ("offers something for sale", r"\b(?:vendo|se venden?|a la venta|for sale)\b"),
        (
            "contains a link",
            (
                r"https?://|www\.|\b(?:bit\.ly|t\.me|tinyurl\.com|wa\.me)/|"
                r"\b[a-z0-9-]+\.(?:example|"
                r"com|net|xyz|io|biz|info)(?:/|\b)"
            ),
        ),
        (
            "promotes followers or marketing",
            (
                r"\b(?:followers|more likes|backlinks|seo|brand ambassador|collab|"
                r"promote (?:your|small)|reviews guaranteed|grow (?:your )?patients|"
                r"web ?designer|websites for|marketing agency|we build|subscribe|"
                r"youtube channel|boost your (?:\w+'?s )?(?:practice|google|rating|reviews|"
                r"ranking|online|patient))\b"
            ),
        ),
        (
            "asks for a private message",
            (
                r"\b(?:dm|inbox|message|whatsapp) (?:me|us)\b|\bsend (?:me|us) a (?:dm|"
                r"message)\b|\bwhatsapp\b|\bdm (?:for|to)\b|"
                # session 8, in Spanish: "escríbeme por privado", "escríbeme al DM"
                r"\bescr[ií]b(?:eme|enos|ame|anos)\b|\bpor (?:privado|interno|inbox|md)\b"
            ),
        ),
    )
)


def spam_reasons(norm: str) -> tuple[list[str], list[str]]:
    """Return the strong and the weak spam signals of a normalised post."""
    strong = [rule.reason for rule in _possible("spam strong", norm) if rule.search(norm)]
    weak = [rule.reason for rule in _possible("spam weak", norm) if rule.search(norm)]
    return strong, weak


# Without a question mark, only an unmistakable opening makes a sentence a question.
_QUESTION_START = re.compile(
    r"^(?:(?:hi+|hello+|hey+|quick question|question|q|ok(?:ay)?|so|but|and|also|um+|btw)"
    r"[,!:\- ]*)*(?:@\w+ )*"
    r"(?:how|what|when|where|which|who|why|do (?:you|u|y'?all)|does (?:anyone|any|the|your|it)|"
    r"did you|can (?:i|you|u|we|someone|my)|are (?:you|u|y'?all)|r u|is there|is it possible|"
    r"anyone know|any chance|has anyone|"
    # session 8: "ok but does the student insurance cover this", "is it invisalign you use or
    # one of the cheaper brands", "will my HSA card work"
    r"does (?:the|my|your|this|that|it|student|dr) \w+|is (?:it|that|this) (?:\w+ ){1,6}or\b|"
    r"will (?:my|you|u|y'?all|the|insurance)|could (?:i|you|my|we|someone))\b"
)
# An imported row or a form that reports a question, full stop or not: "Inquiry regarding ...",
# "Caller asks whether ...", "Question about whether ...", "Requesting clarification on ...".
_REPORTED_QUESTION = re.compile(
    r"^(?:\w+ ){0,2}(?:inquiry|inquiring|inquires|asks|asking|question|requesting (?:information|"
    r"clarification|confirmation)|wondering|wonders|please advise|please confirm|please let "
    r"(?:me|us) know)\b:? (?:about|regarding|re|whether|if|on|for|what|when|how|why)\b"
)
_RHETORICAL = re.compile(
    r"what (?:more|else) (?:could|can) (?:you|i|anyone|one) (?:want|ask)|who knew|why can'?t every|"
    r"how (?:lucky|great|cool)|what (?:a|an) \w+|what (?:else )?(?:can|could) (?:i|you|one|we) say|"
    r"(?:you|ya) know what|where (?:do|shall|should) i (?:begin|start)|what does that tell you|"
    # session 8: "... a busy signal for 2 hours. what's the point"
    r"^(?:so |like )?(?:what'?s|whats|what is) the point\W*$"
)


# In a glowing review a question is usually rhetorical ("Looking for an honest chiropractor? This is
# the guy!"); it is a real one when it is put to the reader or the practice.
_ASKS = re.compile(
    r"\b(?:you|your|y'?all|anyone|anybody|does (?:the|it|this|anyone)|is (?:there|it|this)|"
    r"are (?:there|they)|(?:can|could|do|should|will|may) (?:i|we)|how (?:do|can|much|long|soon)|"
    r"when (?:do|does|is|are|can|will)|what time|where (?:do|is|can))\b"
)


_ELSEWHERE = re.compile(
    r"\b(?:other|another|previous|prior|former|old|last|many|several|two|three|four|five|\d+) "
    r"(?:\w+ )?(?:doctors?|dentists?|chiropractors?|offices?|practices?|places?|hospitals?|"
    r"clinics?|physicians?|surgeons?|specialists?|providers?|therapists?|gps?)\b|"
    r"\belsewhere\b|\bbefore (?:i|finding|coming|seeing)\b|\bno one (?:else|would)\b"
)


def elsewhere_removed(norm: str) -> str:
    """Return the post without its sentences about other or earlier providers."""
    return " ".join(s for s in sentences(norm) if not _ELSEWHERE.search(s))


def asks_the_reader(norm: str) -> bool:
    """Return True when a question sentence is put to the reader or the practice."""
    return any("?" in s and _ASKS.search(s) for s in sentences(norm))


def is_question(norm: str) -> bool:
    """Return True when the post asks something (a question mark or a question opening)."""
    for sentence in sentences(norm):
        sentence = sentence.strip()
        if _RHETORICAL.search(sentence):
            continue
        if sentence.endswith("?") or "?" in sentence:
            return True
        if not sentence.endswith((".", "!")) and _QUESTION_START.search(sentence):
            return True
        if _REPORTED_QUESTION.search(sentence):
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

_DISCLOSED = (
    r"(?:told|tell|gave|give|mailed|sent|faxed|e-?mailed|texted|read|shared|showed|discussed|"
    r"mentioned|leaked|posted|handed|released)"
)
_HEALTH_RECORD = (
    r"(?:results?|diagnos[ie]s|records?|chart|test|x-?rays?|scans?|prescriptions?|notes|"
    r"pregnancy|hiv|std|sti|biopsy|medications?|lab ?work|labs|history)"
)
#: Whom a record is meant for: a provider, a pharmacy, an insurer (not a privacy breach).
_CARER = (
    r"(?:new |other |primary |family |regular |old )?(?:doctors?|dentists?|gps?|specialists?|"
    r"physicians?|pharmac(?:y|ist)|surgeons?|insurance|insurer|clinic|office|hospital|lab|"
    r"providers?|care team|school nurse|orthodontist|therapist|pcp|attorney|lawyer|"
    r"appointments?|visits?|surgery|procedures?|exams?|consult\w*)"
)

#: Whom a post's health details should not be told to (a privacy cue).
_KIN = (
    r"(?:mom|mother|mum|dad|father|parents?|husband|wife|partner|boss|employer|ex|sister|"
    r"brother|roommate|neighbou?r|son|daughter|kids?|family)"
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
        r"\b(?:privacy|private(?! practice)|hipaa|confidential\w*|out loud|(?:read|"
        r"discussed|talked about|announced) (?:my|his|her) \w+ (?:out loud|"
        r"in (?:the|a) (?:hallway|waiting room|lobby)|in front of)|could hear (?:everything|"
        r"every)|chart (?:open|left)|left my chart|(?:records?|results|"
        r"information|info) (?:to|with) (?:the wrong|my ex|someone else)|"
        r"wrong (?:parent|patient|person)|without (?:my|their|his|her) (?:consent|"
        r"permission)|gave my (?:information|info|records)|photos? of patients|"
        r"voicemail with my)\b|"
        # session 8: said for others to hear, or told to a relative ("ask me loud in waiting
        # room", "discussed my gum disease with my mother in the waiting room", "called my mom to
        # confirm my appointment", "read his diagnosis back to me on speakerphone")
        r"\b(?:ask\w*|said|say\w*|call\w*|read|talk\w*|spoke|announc\w*|yell\w*|discuss\w*)\b"
        r"[^.!?]{0,40}\bloud(?:ly)? in (?:the |a )?(?:waiting room|lobby|hallway)\b|"
        r"\bon (?:the )?speaker ?phone\b|\b(?:patients'? names|names of (?:the )?patients|nombres "
        r"de (?:los )?pacientes)\b|"
        r"\b(?:read|discussed|talked about|announced|mentioned|asked about) "
        rf"(?:my|his|her|our|their) (?:\w+ ){{1,3}}?(?:with|to|in front of) (?:my|his|her|their) "
        rf"{_KIN}\b(?! and me\b)|"
        rf"\b(?:called|call|phoned|texted|emailed) (?:my|his|her) {_KIN}\b[^.!?]{{0,20}}\bto "
        r"(?:confirm|discuss|tell (?:him|her|them) about|give (?:him|her|them)) my\b|"
        # A result, diagnosis or record given to the wrong person (issue 15, round 2): "told the
        # guy next to me my hepatitis result", "mailed my pap smear results to my old roommate".
        rf"\b{_DISCLOSED}\b[^.!?]{{0,40}}\b{_HEALTH_RECORD}\b[^.!?]{{0,40}}\bto "
        rf"(?:my|his|her|their|the|a|an|someone|some|another|everyone|half)\b(?! {_CARER}\b)|"
        rf"\b{_DISCLOSED} (?:the|my|a|an|some|another|our)\b[^.!?]{{0,30}}"
        rf"\b(?:my|our)\b[^.!?]{{0,20}}\b{_HEALTH_RECORD}\b"
    ),
}


#: Words precise enough to decide a topic on their own, whatever the model's cue mode for it
#: (session 8, from the spent fourth blind set's missed topics; each is also a cue of its topic,
#: so aspects find their clause). A practice's hours and a slot found ("squeezed me in", "open
#: until 7", "can we rebook?"); a call or message never answered ("nobody picks up", "goes
#: to voicemail", "never sends the after-visit summary"); a fault of the premises ("a dead
#: roach", "the ramp was blocked", "no toys, no TV", "the x-ray machine is broken"). Measured on
#: the spent second and third sets held out of training (docs/triage.md, "Session 8").
TOPIC_DECIDES: dict[str, re.Pattern[str]] = {
    "scheduling": re.compile(
        r"\b(?:fit|fits|squeez\w*|got|get|gets) (?:me|us|him|her|them|my \w+) in\b"
        r"(?! (?:trouble|touch|the door|line|shape)\b)|"
        r"\bopen (?:until|till|til|late|during|over|through)\b|"
        r"\bwhat time do (?:you|y'?all|you guys) (?:open|close)\b|"
        r"\b(?:saturday|sunday|weekend|evening|extended) (?:hours|appointments?|slots?)\b|"
        r"\b(?:rebook|reschedul)\w*|\bnext available\b"
    ),
    "communication": re.compile(
        r"\b(?:nobody|no one|no-one|never|not once)(?:'s| is| has| ever| even)? (?:calls?|called|"
        r"call(?:ed)? (?:me|us|back)|answers?|answered|picks? up|picked up|picking up|returns?|"
        r"returned|responds?|responded|replie[sd]|gets? back|got back|followed up|follows? up|"
        r"sends?|sent)\b|\b(?:phone|line) (?:just )?(?:rings|rang|ringing)\b|"
        r"\bgoes (?:straight )?to (?:voicemail|a machine)\b|\bpick up (?:the|your) phones?\b|"
        r"\binterpreters?\b|\bafter[- ]visit summar\w+|\bstraight answer\b|"
        r"\bwaiting (?:on|for) (?:a|the|their|your|any) (?:call|callback|call back|response|"
        r"reply)\b|\bwith every update\b|\b(?:answered|returned) (?:every|each) (?:text|message|"
        r"call|email)\b|\breaches a (?:person|human)\b"
    ),
    "facility": re.compile(
        r"\b(?:parking|bathrooms?|restrooms?|toilets?|filthy|dirty|spotless|mildew|carpets?|"
        r"roach(?:es)?|cockroach\w*|mou?ld|ramps?)\b|\bto park\b|"
        r"\b(?:room|lobby|area|office|clinic|building) (?:\w+ ){0,2}(?:with |has |had |there'?s )?"
        r"no (?:toys|tv|magazines|wi-?fi|seats|chairs|air conditioning|a/?c|heat)\b|"
        r"\b(?:loud|blaring) (?:tv|music)\b|\b(?:machine|equipment|elevator|heater|heating|"
        r"air conditioning|a/?c|wi-?fi) (?:\w+ ){0,2}(?:is |was |were |are |been )?(?:actually )?"
        r"(?:broken|out of order|not working)\b"
    ),
}


#: What a post must speak of for the classifier alone to give it a topic (session 7): on the spent
#: third blind set wait-time was added from any duration ("on the same med for 3 years", "3 weeks
#: walking on it", "it took four calls"); a wait needs a word of waiting, lateness, speed or a
#: visit's clock. Over folded text, English and Spanish. A topic cue still decides as before.
TOPIC_GATES: dict[str, re.Pattern[str]] = {
    "wait-time": re.compile(
        r"\b(?:wait\w*|queue\w*|line|hold|late|later|delay\w*|minutes?|mins?|hours?|hrs?|"
        r"forever|ages|on time|punctual\w*|prompt\w*|quick\w*|fast\w*|slow\w*|right away|"
        r"in and out|seen|sat|sitting|behind|early|effici\w*|speed\w*|espera\w*|esper\w*|fila|"
        r"tarde|tardan\w*|retras\w*|demor\w*|rapid\w*|lent\w*|horas?|minutos?|a tiempo|"
        r"puntual\w*|patience|paciencia|"
        # a delay counted in days: "3 weeks for ultrasound results", "6 weeks for a callback",
        # "in 10 days", "takes 10 weeks" (not "on the same med for 3 years", "3 weeks after")
        r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|several|few) (?:days?|weeks?|"
        r"months?) (?:for|to|until|till|without|later|now|ago|of|and (?:still|no|counting))|"
        r"(?:how long|after (?:\w+ )?(?:\d+|two|three|four|five|six|several) (?:days|weeks|"
        r"months))|"
        r"(?:in|takes?|took) (?:\w+ )?(?:\d+|two|three|four|five|six|ten|several) (?:days|weeks|"
        r"months))\b|\d+ ?(?:min|h)\b|"
        # a duration said alone: "They never called me back about my referral. 4 weeks."
        r"(?:^|[.!?] )(?:\d+|two|three|four|five|six|several) (?:days|weeks|months)[.!]|"
        # a delay counted on the calendar or the clock: "it's been 16 days", "pending for nine
        # days", "outstanding since January", "day 40 of asking", "week 3", "my 7:30 appointment
        # means 8:45", "that was three Fridays ago", "takes a month"
        r"\b(?:it'?s been|it has been|has been|have been|pending|outstanding|since|still "
        r"(?:nothing|here|no|not|haven'?t|hasn'?t)|(?:it is|it'?s) now|on day|day \d+|week \d+|"
        r"(?:days?|weeks?|months?|fridays|mondays) ago|takes? a (?:month|week|year)|same day|"
        r"my time|(?:your|my) turn|todavia|sigo|siguen|llevo|llevamos)\b|"
        r"\b\d{1,2}(?::\d\d)? ?(?:am|pm)\b|\b\d{1,2}:\d\d\b"
    ),
}


def topic_gated(topic: str, norm: str) -> bool:
    """Return False when a topic has a gate (``TOPIC_GATES``) and the post says none of its
    words: the classifier alone may then not give the topic."""
    gate = TOPIC_GATES.get(topic)
    return gate is None or gate.search(fold(norm)) is not None


def topic_cues(norm: str) -> set[str]:
    """Return the topics whose lexicon patterns appear in a normalised post (English, and
    Spanish over the accent-folded text: ``spanish.TOPIC_CUES_ES``)."""
    folded = fold(norm)
    return {topic for topic in TOPIC_RULES if cue_matches(topic, norm, folded)}


def cue_matches(topic: str, norm: str, folded: str | None = None) -> bool:
    """Return True when a topic's English or Spanish cue appears in normalised text
    (``folded``: the same text with accents folded, when the caller has it)."""
    english = TOPIC_RULES.get(topic)
    if english is not None and english.search(norm):
        return True
    decides = TOPIC_DECIDES.get(topic)
    if decides is not None and decides.search(norm):
        return True
    spanish = TOPIC_CUES_ES.get(topic)
    return (
        spanish is not None and spanish.search(fold(norm) if folded is None else folded) is not None
    )
