"""What kind of post it is (complaint, question, praise, other), with or without stars.

Posts on Facebook, Instagram and X, and many imported rows, carry no star rating; a blunt
complaint ("one star is generous"), sarcastic thanks ("thanks for the two hour wait 🙃"), a record
request unanswered for weeks or a question that complains must still read as a complaint. Three
signals are combined:

* the wording rules of ``engine`` (strong and weak complaint words, a question, praise words, a
  privacy breach) and sarcasm cues (``SARCASM``, below);
* the text classifier's kind outputs (``complaint``, ``question``, ``praise``, ``other``: logistic
  regressions over the same TF-IDF features as the topics, trained by ``scripts/train_triage.py``
  on labelled reviews with their rating stripped and on written comments and posts) and its tone;
* the lexicon tone of its words (``valence.py``), which knows the rare words of short posts;
* the star rating when there is one: a signal, never the answer.

A small multinomial logistic regression over these ``KIND_FEATURES`` (the "stacker", fitted by
``scripts/train_triage.py`` on out-of-fold classifier outputs of its training rows, each row once
with its rating and once without) decides. It is stored in the model file beside the text model
and evaluated here in pure Python. Spam, emergencies and crises are decided before it, by rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from safereply.core.triage.language import fold
from safereply.core.triage.valence import Valence

__all__ = ["KIND_CLASSES", "KIND_FEATURES", "SARCASM", "SHAPES", "KindSignals", "KindStacker"]

#: The kinds the stacker chooses between, in the order of its rows.
KIND_CLASSES = ("complaint", "question", "praise", "other")

#: The stacker's inputs, in order (``KindSignals.features``).
KIND_FEATURES = (
    "logit_complaint",
    "logit_question",
    "logit_praise",
    "logit_other",
    "complaint_words_strong",
    "complaint_words_weak",
    "praise_and_complaint_words",
    "question",
    "asks_the_reader",
    "praise_words",
    "privacy_breach",
    "sarcasm",
    "tone",
    "has_stars",
    "stars",
    "stars_under_3",
    "stars_4_or_5",
    "glowing",
    "length",
    "valence",
    "valence_positive_words",
    "valence_negative_words",
    # session 9: shapes of a post that its words alone misread (``SHAPES``)
    "laughing",
    "better_now",
    "recommends",
    "rhetorical_praise",
    "asks_advice",
    "not_complaining",
    "rebuke",
    "ends_grateful",
)

#: Sarcasm: thanks or praise for something no one wants (a wait, a bill, a fee, a cancellation),
#: or the eye-roll emoji and stock phrases. Thanks for a short wait is not matched: the bad thing
#: must be there ("two hour wait", "the bill", "collections").
SARCASM = re.compile(
    r"\b(?:thanks?|thank (?:you|u)|appreciate|love|loving|great|fantastic|wonderful|amazing|"
    r"shout ?-?outs? to|"
    r"awesome|(?:so|really) (?:thrilled|glad|happy)|nothing says|cool|wow|impressive|bold of|"
    r"good to know|iconic|classy|fun game|five stars for|really the highlight|so nice of)\b"
    r"[^.!?]{0,70}?\b(?:(?:\d+|two|three|four|five|an?|another) (?:hour|hr|minute|min|week|day|"
    r"month)s?(?: \w+)? (?:wait|hold|delay)|wait(?:ing)? (?:again|another)|another (?:\d+ )?"
    r"(?:hour|wait)|on hold|hold music|(?:the|a|another|surprise) (?:\$\d+ )?(?:bill|fee|charge)|"
    r"bill (?:in the mail|for)|billing me|charged?|charging|fees?|collections?|debt collector|"
    r"cancel+(?:ed|ing)?|lost|losing|lose|no-?show|voicemail|busy signal|for nothing|"
    r"reminder (?:text|call)|confirm (?:an|my) appointment|(?:running|ran) (?:late|behind)|"
    r"hours? (?:late|behind|past)|\$\d+|being (?:told|ignored|hung up on)|double|twice|"
    r"three times|(?:down|lost|wrong|cancel\w*) again)\b"
    r"|[\U0001f643\U0001f644\U0001fae0\U0001f9cd\U0001f480]"  # 🙃 🙄 🫠 🧍 💀
    r"|\b(?:cool,? cool|love that for (?:me|us)|make it make sense|what a joke|just saying|"
    r"good to know|thanks for nothing|so that'?s fun|great job|really impressive|new record|"
    # session 8: thanks to no one in particular is for a decision someone regrets ("shoutout to
    # whoever decided to put lilies in the allergy clinic")
    r"(?:shout ?-?outs?|thanks|thank you|kudos|props|congrats|hats off|bless) to whoever "
    r"(?:decided|thought|came up|designed|chose|picked|put|scheduled|approved|made|set))\b"
    # a promise quoted back at the practice: "'walk-ins welcome' they said. 'no wait' they said."
    r"|['\"][^'\"]{2,40}['\"] (?:they|she|he|you|y'?all|the (?:website|site|ad|sign)) "
    r"(?:said|say|says)\b"
)


#: Shapes of a post that the classifier, trained on words, misreads (session 9, read off the
#: spent fourth and fifth blind sets, where praise told with a hard past or a joke read as a
#: complaint and a worried question as one). Each is a stacker input: the stacker weighs it
#: against the rest, so none decides alone.
SHAPES: dict[str, re.Pattern[str]] = {
    # laughter: "I'm dead 😂", "jajaja", "lmao" (the post jokes, whatever its words of death)
    "laughing": re.compile(
        r"[\U0001f602\U0001f923\U0001f606\U0001f639]|\b(?:lol+|lmf?ao+|rofl|(?:ha){2,}h?|"
        r"(?:ja){2,}|(?:je){2,}|(?:ka){3,})\b|"
        r"\bi'?m (?:literally |actually )?(?:dead|deceased|screaming|wheezing)\b(?! tired)"
    ),
    # a hard time that is over: "finally quiet", "back to 315 pain free", "I can sneeze without
    # panic now", "gave me my life back", "estoy como nueva"
    "better_now": re.compile(
        r"\b(?:finally (?:\w+ ){0,2}(?:quiet|gone|better|fixed|healed|sleep\w*|walk\w*|normal|"
        r"pain|able|understood|have)|(?:i|we|he|she|they) can (?:\w+ ){1,3}(?:again|now)|"
        r"pain[- ]free|without (?:any )?(?:pain|panic|fear|crying)|no longer (?:hurts?|in pain|"
        r"scared|afraid)|back (?:to|on|in) (?:the |my )?(?:\d+|field|court|work|gym|running|"
        r"normal|lifting|myself)|(?:my|his|her|our) life back|game ?changer|como nuev[oa]|"
        r"ya (?:puedo|no me duele)|changed my life|life[- ]changing)\b"
    ),
    # a recommendation to others: "cannot recommend enough", "PSA for anyone", "women pls know
    # this exists", "go see her", "se los recomiendo"
    "recommends": re.compile(
        r"\b(?:recommend\w*|recomiendo|recomendad[oa]|psa|for anyone (?:in|with|who|looking)|"
        r"(?:pls|please) know|know (?:this|that|they) exists?|go see (?:her|him|them|dr)|"
        r"(?:would|will) (?:\w+ )?(?:go|come|get \w+) (?:back|again)|10/10|can'?t say enough)\b"
    ),
    # a question that marvels: "Who does that anymore?", "Do you know how rare that is",
    # "¿Dónde encuentras eso hoy?"
    "rhetorical_praise": re.compile(
        r"\b(?:who (?:does|do|would) that|how rare|where (?:else )?(?:do|can|would) you "
        r"(?:find|get)|what more could|how lucky|donde (?:mas )?(?:encuentras|hay))\b"
    ),
    # a worried question about what to do: "Should we come in or just watch him?", "Is that
    # normal?", "Can it wait until Monday?", "How long until I get my results?"
    "asks_advice": re.compile(
        r"\b(?:should (?:i|we|he|she|they) (?:\w+ )?(?:come|be seen|go|worry|call|bring|wait|"
        r"be worried|mention)|(?:is|was) (?:it|that|this) (?:normal|dangerous|bad|safe|okay|ok|"
        r"serious)(?= *(?:[?.,!]|or\b|$))|is (?:it|this) normal to (?:still )?(?:have|feel)|"
        r"(?:do|does) (?:i|we|he|she|they) (?:need|have) to (?:come|be seen|go in|bring|worry)|"
        r"can (?:it|this|that) wait|or (?:just )?(?:wait|watch)|normal,? or|how long (?:until|till|"
        r"before|should|will)|es normal|(?:debo|debemos|tengo que) (?:ir|llevar\w*))\b"
    ),
    # the poster says it is no complaint: "Not complaining, genuinely curious"
    "not_complaining": re.compile(
        r"\b(?:not (?:a )?complain\w*|no complaints?|(?:just|genuinely|honestly|only) "
        r"(?:curious|wondering|asking)|no (?:es|era) (?:una )?queja)\b"
    ),
    # a rebuke: "Do better.", "I counted.", "Shame on you", "fix your ..."
    "rebuke": re.compile(
        r"\b(?:do better|i counted|shame on|be ashamed|get it together|fix (?:this|it|your)|"
        r"(?:learn|need) to (?:listen|communicate)|have some (?:patience|respect|compassion|"
        r"decency)|pongan(?:se)? las pilas|hagan algo)\b"
    ),
    # a post that ends in gratitude: "... thank you", "Nunca lo voy a olvidar.", "God bless
    # her", "See you in 6 months" (its last sentence, so "thanks for the wait. Never again." is not)
    "ends_grateful": re.compile(
        r"(?:\b(?:thanks?|thank (?:you|u)|ty|grateful|gracias|bless(?:ed)?|bendiga|never forget|"
        r"nunca (?:lo|la|les) (?:voy a|vamos a) olvidar|da gusto|see (?:you|y'?all) (?:in|next|"
        r"then|soon)|(?:forever|so) thankful|much love)\b|[\U0001f64f\u2764\U0001f49b\U0001f49c"
        r"\U0001f499\U0001f49a\U0001f970])[^.!?\n]{0,40}[.!?\s]*$"
    ),
}


@dataclass(frozen=True, slots=True)
class KindSignals:
    """Everything the kind decision reads about one post (computed by ``engine``).

    Attributes:
        probs: the classifier's probability of each of ``KIND_CLASSES``.
        strong: strong complaint words found (not negated).
        weak: weak complaint words found (not negated).
        question: the post asks something.
        asks_reader: a question is put to the reader or the practice.
        praise: praise words found.
        privacy: the post describes a privacy breach (the privacy topic, outside a glowing review).
        sarcasm: sarcasm cues (``SARCASM``).
        tone: the classifier's tone from the words alone, -1..1.
        stars: the star rating, or None.
        glowing: a glowing review (4-5 stars and a very positive tone).
        words: the number of words.
        valence: the lexicon tone (``valence.py``), -1..1, and its rated words each way.
        norm: the normalised text (``rules.normalise``), for the shapes (``SHAPES``).
    """

    probs: Mapping[str, float]
    strong: int
    weak: int
    question: bool
    asks_reader: bool
    praise: bool
    privacy: bool
    sarcasm: bool
    tone: float
    stars: float | None
    glowing: bool
    words: int
    valence: Valence
    norm: str = ""

    def features(self) -> list[float]:
        """Return the stacker's inputs, in ``KIND_FEATURES`` order."""
        logits = [_logit(self.probs.get(k, 0.25)) for k in KIND_CLASSES]
        stars = self.stars
        folded = fold(self.norm)  # the Spanish shapes are written without accents
        return [
            *logits,
            float(self.strong > 0),
            float(self.weak > 0),
            float(self.praise and (self.strong > 0 or self.weak > 0)),
            float(self.question),
            float(self.asks_reader),
            float(self.praise),
            float(self.privacy),
            float(self.sarcasm),
            self.tone,
            float(stars is not None),
            (stars - 3.0) / 2.0 if stars is not None else 0.0,
            float(stars is not None and stars < 3),
            float(stars is not None and stars >= 4),
            float(self.glowing),
            math.log1p(self.words) / 5.0,
            self.valence.score,
            float(self.valence.positive > 0),
            float(self.valence.negative > 0),
            *(float(bool(pattern.search(folded))) for pattern in SHAPES.values()),
        ]


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1.0 - 1e-4)
    return math.log(p / (1.0 - p))


class KindStacker:
    """The multinomial logistic regression that turns ``KindSignals`` into a kind.

    Args:
        data: ``{"features": [...], "classes": [...], "coef": [[...]], "intercept": [...]}`` as
            written by ``scripts/train_triage.py``.

    Raises:
        ValueError: the features or classes are not the ones this code computes.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        if tuple(data["features"]) != KIND_FEATURES or tuple(data["classes"]) != KIND_CLASSES:
            raise ValueError("the kind stacker was trained on other features or kinds")
        self.coef: tuple[tuple[float, ...], ...] = tuple(
            tuple(float(w) for w in row) for row in data["coef"]
        )
        self.intercept: tuple[float, ...] = tuple(float(b) for b in data["intercept"])
        if len(self.coef) != len(KIND_CLASSES) or any(
            len(row) != len(KIND_FEATURES) for row in self.coef
        ):
            raise ValueError("the kind stacker's weights have the wrong shape")

    def probabilities(self, features: Sequence[float]) -> dict[str, float]:
        """Return the probability of each kind (softmax over the classes)."""
        scores = [
            b + sum(w * x for w, x in zip(row, features, strict=True))
            for row, b in zip(self.coef, self.intercept, strict=True)
        ]
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {k: e / total for k, e in zip(KIND_CLASSES, exps, strict=True)}

    def decide(self, signals: KindSignals) -> str:
        """Return the most probable kind (the first of ``KIND_CLASSES`` among ties)."""
        probs = self.probabilities(signals.features())
        return max(KIND_CLASSES, key=lambda k: probs[k])
