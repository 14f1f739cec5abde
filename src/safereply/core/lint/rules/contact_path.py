"""Contact-path rule: a reply to a complaint or a care question must invite the reviewer to call.

Rule 4: the practice never initiates contact; the reply gives the office phone number and invites
the reviewer to call, so the conversation can continue privately.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache

from safereply.core.lint.context import LintContext
from safereply.core.lint.fastlinear import FastLinear
from safereply.core.lint.types import Example, FixSafety, Hit, Rule
from safereply.core.vocab import Category, PostKind, Severity
from safereply.errors import SafeReplyError

_INVITE = re.compile(
    r"\b(?:call|phone|ring|reach|contact|text)\s+(?:us|our|the\s+office|me|the\s+practice|the\s+clinic|"
    r"\(?\d)|\bgive\s+(?:us|our\s+office|the\s+office)\s+a\s+(?:call|ring)\b|\b(?:speak|talk|chat)\s+"
    r"(?:with|to)\s+(?:us|our|me|someone|the\s+office|a\s+member)\b|\breach(?:able|ed)?\s+at\b|"
    r"\b(?:our|the)\s+(?:office|front\s+desk|practice)\s+(?:line|number|phone)\b|"
    r"\bcall\b.{0,40}\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}|\bget\s+in\s+touch\b|\bfeel\s+free\s+to\s+"
    r"(?:call|contact|reach|phone|get\s+in\s+touch)\b|\b(?:can\s+help|reach\s+(?:us|me|them|her|him))"
    r"\s+at\s+\(?\d",
    re.IGNORECASE,
)
#: A reply that opens with joy or thanks for praise ("Thank you!!", "Aww", "Love this",
#: "¡Qué gusto!"), not with thanks for feedback, which a complaint gets too.
_JOYFUL_OPENING = re.compile(
    r"^\W*(?:(?:thank\s*(?:you|u)|thanks|thx|ty|muchas\s+gracias|gracias)(?!\s+(?:so\s+much\s+|"
    r"again\s+)?(?:for|por)\s+(?:the\s+|your\s+|sus?\s+|this\s+|tu\s+)?(?:feedback|review|comments?|"
    r"comentarios?|note|input|honest|candid|patience|paciencia|letting|reaching|bringing|sharing|"
    r"raising|telling|taking|leaving|posting|writing|your\s+review|rating|1|one|two))|aw+|haha\w*|"
    r"jaja\w*|love\s+(?:this|that|it)|love\s+to\s+(?:hear|see|read)\s+(?:it|this|that)|we\s+love\s+"
    r"(?:this|that|it|seeing|hearing|reading)\b|feliz\s+(?:cumple\w*|aniversario)|happy\s+"
    r"(?:birthday|anniversary)|yay|woo+|we(?:'re|\s+are)\s+(?:so\s+)?(?:glad|happy|thrilled|"
    r"delighted)|so\s+(?:glad|happy)|congrat\w*|felicidades|what\s+a\s+(?:lovely|sweet|kind|nice|"
    r"great|wonderful)|how\s+(?:sweet|lovely|nice|fun)|omg|¡qu[eé]\s+(?:gusto|bonito|lindo|alegr[ií]a)|"
    # agreement with praise, or hearts: "right?? 😍", "🥰 We love this"
    r"right\s*\?+\W*(?:\U0001f60d|\U0001f970)|(?:\U0001f60d|\U0001f970|\U0001f979))",
    re.IGNORECASE,
)
_THANKS_FOR_PRAISE = re.compile(
    r"\b(?:thank(?:s|\s+you)(?:\s+(?:so|very)\s+much)?\s+(?:for\s+(?:the|your|this|such\s+a)\s+"
    r"(?:\w+\s+){0,2}(?:kind|lovely|nice|sweet|wonderful|great|thoughtful|heartfelt|glowing|"
    r"positive|five|5)|for\s+the\s+(?:love|shout-?out|stars))|means\s+(?:a\s+lot|so\s+much|the\s+world|a\s+great\s+deal)|"
    r"muchas\s+gracias\s+por\s+sus\s+(?:amables|bonitas|lindas)|gracias\s+por\s+sus\s+"
    r"(?:amables|bonitas|lindas)\s+palabras)|"
    # kind words passed on, a tag or a review thanked with joy: "we'll share your kind words
    # with the team", "Thanks for the tag!", "Thank you for this review!", "thank u!!"
    r"\bkind\s+words\b|\b(?:share|pass)\w*\s+(?:along\s+)?(?:your|this)\s+(?:kind\s+|lovely\s+)?"
    r"(?:note|praise|compliments?)\b|\bthanks?\s+(?:u\s+|you\s+)?(?:so\s+much\s+)?for\s+(?:the|"
    r"this)\s+(?:tag|review|shout-?out)\s*!|\bthank\s*(?:you|u)\s*!{2,}",
    re.IGNORECASE,
)
#: Joy at praise anywhere in a reply: "these are the comments that make our whole week", "we'll
#: frame it", "thanks for the laugh", "we're so proud of her", "THE CUTEST".
_JOY_AT_PRAISE = re.compile(
    r"\b(?:made|makes?|making)\s+(?:our|my|dr\.?\s+\w+(?:['’]s)?)\s+(?:whole\s+|entire\s+)?(?:day|week|"
    r"morning|month|year)|\bframe\s+(?:it|this)\b|\bthanks?\s+(?:u\s+|you\s+)?for\s+the\s+(?:laugh|"
    r"smile|love|shout-?out)|\bthank\s+you\s+for\s+smile\b|\b(?:so|very|super)\s+proud\s+of\s+"
    r"(?:her|him|them|our|the\s+team)\b|\b(?:the\s+)?cutest\b|\bstop{3,}\b|\bobsessed\b|\blove\s+"
    r"(?:a\s+good|to\s+see|seeing|hearing)\b|\blift\s+(?:her|him|them|us)\s+up\b|"
    # "she'll love it", "Sending so much love!", "love the energy", "share in your joy"
    r"\b(?:she|he|they)(?:['’]ll|\s+will)\s+(?:love\s+(?:it|this)|be\s+(?:so\s+)?(?:thrilled|"
    r"happy|delighted))\b|\bsending\s+(?:so\s+much\s+|all\s+the\s+|lots\s+of\s+)?love\b|"
    r"\blov(?:e|ing)\s+(?:the|this)\s+(?:energy|excitement|enthusiasm)\b|\bshare\s+in\s+your\s+"
    r"joy\b|\bthanks?\s+(?:u\s+|you\s+)?for\s+following\s+along\b|"
    r"\bhonou?red\s+by\s+(?:your|these|such)\s+(?:kind\s+|lovely\s+)?words\b|"
    r"\bthanks?\s+(?:u\s+|you\s+)?for\s+celebrating\b|"
    # heart eyes or a face holding back tears: delight, never a complaint's reply
    "[\U0001f60d\U0001f970\U0001f979]",
    re.IGNORECASE,
)
#: An upside-down face or an eye-roll: thanks said with it are sarcasm, not joy at praise.
_SARCASM = re.compile("[\U0001f643\U0001f644\U0001f612]")
#: Heart eyes, hearts or laughter in a post with no complaint's words: "who's the cute horse in
#: your story 😍" is delight, whatever its sentiment score.
_POST_DELIGHT = re.compile("[\U0001f60d\U0001f970\u2764\U0001f495\U0001f496\U0001f602\U0001f923]")
_POST_PREFIX = 800  # characters of the post that the call-invitation rule triages
_PHONE = re.compile(r"\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}|(?<![\d-])\d{3}-\d{4}(?![\d-])")
_EMERGENCY = re.compile(
    r"\b(?:911|988|emergency\s+room|nearest\s+(?:er|emergency))\b", re.IGNORECASE
)
_COMPLAINT_REPLY = re.compile(
    r"\b(?:sorry|apologi[sz]e|apologies|regret|unfortunately|concerns?|frustrat\w*|disappoint\w*|"
    r"upset|not\s+the\s+experience|fell\s+short|falls\s+short|make\s+(?:this|it|things)\s+right|"
    r"hear\s+more|take\s+(?:this|your\s+feedback|feedback|it)\s+seriously|understand\s+(?:how|"
    r"your)|inconvenience|that's\s+not\s+(?:ok|okay|acceptable))\b",
    re.IGNORECASE,
)
_POST_CONCERN = re.compile(
    r"\b(?:[12]\s*(?:/\s*5|stars?|out\s+of\s+5)|one\s+star|slow\w*|worst|meh|nobody|no\s+one|"
    r"won't|wouldn't|didn't|doesn't|never|sore|hurts?|hurting|pain|rude|terrible|horrible|awful|"
    # "still" and "wait" of a complaint, not "is the clinic still running?", "the waiting room"
    r"still(?!\s+(?:open|running|offer\w*|accept\w*|available|taking|do|doing|have|has|on))|"
    r"wait\w*(?<!waiting)(?!\s+(?:room|area|list))|waiting(?!\s+(?:room|area|list))|late|"
    r"mistake|wrong|refund|charged|bill\w*|lost|ignored|rushed|cares?\s+about|"
    r"properly|anyone\s+(?:at|here|there)|know\s+how\s+to)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=512)
def _post_kind(post: str) -> tuple[str, Callable[[], bool]] | None:
    """Return the post's kind for this rule as if no crisis or emergency rule matched, and a
    function telling whether one does (then the kind is "crisis" or "emergency"); None when
    triage cannot say. The kind is triage's, with "care-question" for a question about health
    or care. The urgent rules cost half of the post's triage, and a reply to a post of a kind
    that needs no call (praise, a plain question, spam) needs none whatever they say."""
    reading = post_reading(post)
    if reading is None:
        return None
    kind, sentiment, topics = reading.kind, reading.sentiment, reading.topics
    if kind == "complaint" and sentiment >= 0.5:
        kind = "praise"  # a glowing review with a passing gripe: thanks, not a call, is expected
    elif kind in ("question", "other") and _POST_CONCERN.search(post):
        kind = "complaint"  # "Does anyone here answer the phone?", "Meh service."
    elif kind == "question" and ("clinical-care" in topics or reading.health()):
        kind = "care-question"
    elif (
        kind == "other"
        and sentiment < 0.2
        and (sentiment < 0 or topics or reading.health())
        and not _POST_DELIGHT.search(post)
    ):
        kind = "complaint"  # "Waited forever." - short, but about a concern
    return kind, reading.urgent


@cache
def _triage_scorer() -> FastLinear:
    """Return the triage model with the linter's faster scorer (the same probabilities)."""
    from safereply.core.triage.model import default_model

    return FastLinear(default_model())


class PostReading:
    """What triage says of a post that this rule reads, the crisis and emergency rules apart.

    ``kind``, ``sentiment`` and ``topics`` are triage's when no urgent rule matches (spam, then
    the kind stacker); ``urgent()`` runs the crisis and emergency rules (on first call) and
    returns whether one matched; ``facts()`` puts the two together as ``triage_with`` does.
    """

    def __init__(
        self, post: str, norm: str, probs: dict[str, float], sentiment: float, topics: set[str]
    ) -> None:
        from safereply.core.triage import engine

        kind = _kind_without_urgency(post, norm, probs, sentiment, topics)
        self.norm, self.post, self._raw, self._topics = norm, post, sentiment, topics
        self.kind = str(kind)
        self.topics = frozenset() if kind is PostKind.SPAM else frozenset(topics)
        self.sentiment = engine._settled_sentiment(sentiment, kind, None)
        self._asked = False
        self._urgent: PostKind | None = None

    def health(self) -> bool:
        """Return True when the post names a health term (triage's disclosure, crisis apart)."""
        from safereply.core.triage import engine

        return bool(engine._health_terms(self.post))

    def urgent_kind(self) -> PostKind | None:
        """Return CRISIS or EMERGENCY when one of triage's urgent rules matches, else None."""
        if not self._asked:
            from safereply.core.triage import engine
            from safereply.core.triage.trace import Trace

            decided = engine._urgent_by_rules(self.norm, Trace())
            self._urgent = decided[0] if decided is not None else None
            self._asked = True
        return self._urgent

    def urgent(self) -> bool:
        """Return True when a crisis or emergency rule matches the post."""
        return self.urgent_kind() is not None

    def facts(self) -> tuple[str, float, frozenset[str], Callable[[], bool]]:
        """Return kind, sentiment, topics and disclosure, as triage works them out."""
        from safereply.core.triage import engine

        urgent = self.urgent_kind()
        if urgent is None:
            return self.kind, self.sentiment, self.topics, self.health
        sentiment = engine._settled_sentiment(self._raw, urgent, None)
        # triage keeps no topic on an emergency or a crisis (engine._NO_TOPICS)
        return str(urgent), sentiment, frozenset(), lambda: True


def _kind_without_urgency(
    post: str, norm: str, probs: dict[str, float], sentiment: float, topics: set[str]
) -> PostKind:
    """Triage's ``_kind`` (rules only) with the crisis and emergency rules left out: spam, then
    the kind stacker over wording, classifier and stars."""
    from safereply.core.triage import engine
    from safereply.core.triage.trace import Trace

    trace = Trace()
    signals, strong, weak = engine.kind_signals(post, norm, probs, None)
    decided = engine._spam(norm, trace)
    if decided is not None:
        return decided[0]
    if "privacy" in topics and not signals.glowing:
        strong.insert(0, "privacy concern")  # describing a breach is a complaint in itself
    model = _triage_scorer().model
    return engine._kind_by_wording(model, norm, signals, strong, weak, sentiment, trace)


def post_reading(post: str) -> PostReading | None:
    """Return what triage says of a post that this rule reads (``PostReading``); None when
    unusable.

    The same steps as ``triage_with(default_model(), post, urgent_classifier=False)``, without
    what this rule never reads (aspects, priority, reasons), which cost more than the rest;
    disclosure and the urgent rules are only worked out when asked. Topics are plain strings.
    ``test_contact_path_triage.py`` pins that the answers are triage's own.
    """
    from safereply.core.triage import engine
    from safereply.core.triage.language import detect_language, fold
    from safereply.core.triage.rules import normalise
    from safereply.core.triage.spanish import TOPIC_CUES_ES

    try:
        engine._validate(post, None, None)
    except SafeReplyError:  # an unusable post must never break linting
        return None
    scorer = _triage_scorer()
    norm = normalise(post)
    probs = scorer.predict_proba(post)
    sentiment = max(-1.0, min(1.0, engine._tone(probs)))
    topics = engine._topics(scorer.model, probs, norm)
    if detect_language(post) == "es":
        # as triage does: a Spanish topic cue decides its topic in a Spanish post
        folded = fold(norm)
        topics |= {t for t, cue in TOPIC_CUES_ES.items() if cue.search(folded)}
    return PostReading(post, norm, probs, sentiment, topics)


def post_facts(post: str) -> tuple[str, float, frozenset[str], Callable[[], bool]] | None:
    """Return what triage says of a post that this rule reads: kind, sentiment, topics, and a
    function telling whether the post discloses health information; None when unusable
    (``post_reading`` with the urgent rules run)."""
    reading = post_reading(post)
    return None if reading is None else reading.facts()


def thanks_for_praise(reply: str) -> bool:
    """Return True when a reply thanks for praise or shows joy at it ("Thank you for the kind
    words!", "Aww", "we'll frame it"), with no apology and no eye-roll: the post was praise."""
    return bool(
        _THANKS_FOR_PRAISE.search(reply)
        or _JOYFUL_OPENING.search(reply)
        or _JOY_AT_PRAISE.search(reply)
    ) and not (_COMPLAINT_REPLY.search(reply) or _SARCASM.search(reply))


def post_kind(post: str) -> str | None:
    """Return the kind this rule reads in a post ("complaint", "care-question", "question",
    "praise", "spam", "other"), the urgent rules apart; None when triage cannot say."""
    found = _post_kind(post[:_POST_PREFIX])
    return None if found is None else found[0]


def needs_call_invitation(ctx: LintContext) -> bool:
    """Return True when the reply answers a complaint or a care question."""
    if _EMERGENCY.search(ctx.reply):
        return False
    if thanks_for_praise(ctx.reply):
        return False  # thanks for kind words: the post was praise, whatever triage made of it
    urgent: Callable[[], bool] = bool  # no post: nothing urgent
    if ctx.post:
        # The opening of a review says what it is; triaging a long post whole would cost more
        # than the rest of the linter together.
        found = _post_kind(ctx.post[:_POST_PREFIX])
        if found is not None:
            kind, urgent = found
            # a crisis or an emergency needs no call either: its rules run only when it matters
            if kind in ("complaint", "care-question"):
                return not urgent()
            if kind in ("spam", "question", "praise"):
                return False
    return bool(_COMPLAINT_REPLY.search(ctx.reply)) and not urgent()


#: Another way in that a reply offers the reader: to e-mail the office ("Please email your
#: name to care@...", "You may also reach the front desk at office@..."), or to walk in.
_OTHER_WAY_IN = re.compile(
    r"(?:^|[.!?]\s+|\bplease\s+|\byou\s+(?:can|may)\s+(?:also\s+)?)(?:e-?mail|write\s+to|reach)\b"
    r"(?:[^.!?@]|\.(?=\w)){0,60}@[\w-]+\.|\bwalk\s+in\s+(?:any\s*time|anytime|today|mon|tue|wed|thu|fri|sat|"
    r"sun|\d)|\bwalk-?ins?\s+(?:are\s+)?(?:always\s+)?welcome\b|\bno\s+(?:appointment|appt)\.?\s+"
    r"(?:needed|necessary|required)\b",
    re.IGNORECASE,
)


def has_call_invitation(ctx: LintContext) -> bool:
    """Return True when the reply invites the reviewer to call (or gives the office number),
    or offers another way in: to e-mail the office or to walk in."""
    if _INVITE.search(ctx.reply) or _PHONE.search(ctx.reply) or _OTHER_WAY_IN.search(ctx.reply):
        return True
    return bool(ctx.practice and ctx.practice.phone_digits[-7:] in re.sub(r"\D", "", ctx.reply))


def _missing_call(ctx: LintContext) -> Iterator[Hit]:
    if has_call_invitation(ctx) or not needs_call_invitation(ctx):
        return  # the cheap test first: triage of the post only when no invitation is there
    start, end = ctx.sentences[-1] if ctx.sentences else (0, len(ctx.reply))
    phone = f" at {ctx.practice.phone}" if ctx.practice else ""
    yield Hit(
        start,
        end,
        "this reply answers a complaint or care question but never invites the reviewer to call "
        "the office",
        suggestion=f"Please call our office{phone} so we can talk this through.",
    )


RULES = (
    Rule(
        code="CP001",
        name="missing-call-invitation",
        category=Category.MISSING_CONTACT_PATH,
        severity=Severity.WARNING,
        summary="A reply to a complaint or care question that never invites the reviewer to call.",
        rationale="The practice never reaches out; the reply must give the reviewer the way to "
        "continue privately: the office phone.",
        check=_missing_call,
        fix_safety=FixSafety.SAFE,
        bad=(Example("[[We're sorry to hear about the wait.]]"),),
        good=(Example("We're sorry to hear about the wait. Please call us at (555) 388-9100."),),
    ),
)
