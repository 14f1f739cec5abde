"""What a complaint is about, read from its own words: which recorded improvement to cite.

Triage tags every topic a post touches, from a statistical model that also guesses: a complaint
about being charged twice can come back tagged ``wait-time`` too. A reply that then says "we added
a second check-in station" answers a complaint nobody made. So before an improvement is cited, or
a topic line is chosen, the complaint's own words must show that it is about that topic: each
topic has a small lexicon of the words people use when they complain about it ("waited", "two
hours", "lobby" for the wait; "charged", "bill", "refund" for billing).

:func:`complaint_topics` returns the topics a complaint is about, most salient first: the topics
whose words it uses, whether or not triage tagged them, ranked by how much of the complaint is
about each. A triage topic without any of its words is dropped. Measured in
``bench/compose_quality.py`` (citation precision and recall per topic, on labelled posts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from safereply.core.vocab import TOPICS

__all__ = ["EVIDENCE", "complaint_topics", "topic_evidence"]

_NUM = (
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|several|few|"
    r"couple\s+of)"
)
_SPAN = r"(?:min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?|months?)"
_PEOPLE = (
    r"(?:husband|wife|spouse|partner|mom|mother|dad|father|parents?|son|daughter|kids?|child|"
    r"sister|brother|employer|boss|neighbou?r|roommate|cousin|family|friend|ex|school|church)"
)

#: The words of a complaint about each topic. Whole words, any case.
EVIDENCE: dict[str, re.Pattern[str]] = {
    topic: re.compile(pattern, re.IGNORECASE)
    for topic, pattern in {
        "wait-time": (
            r"\b(?:wait(?:ed|s)?\b|waiting(?!\s+room)|waiting\s+room\s+for|"
            rf"{_NUM}\s*-?\s*{_SPAN}\s+(?:late|past|behind|wait|in\s+the|on\s+hold|to\s+(?:be\s+)?(?:seen|called|get))|"
            rf"(?:over|almost|nearly|more\s+than|after)\s+(?:an?|one|two|three|\d+)\s*{_SPAN}|"
            rf"{_NUM}\s*{_SPAN}\s+(?:for|of)\s+(?:a|an|my|the)\b|"
            r"kept\s+(?:me|us|him|her|them|patients|people|everyone)\s+waiting|"
            r"sat\s+(?:in|there|around)|sitting\s+(?:in|there|around)|lobby\s+for|"
            r"run(?:s|ning)?\s+(?:\w+\s+){0,3}(?:late|behind)|ran\s+(?:\w+\s+){0,3}(?:late|behind)|"
            r"behind\s+schedule|on\s+hold\s+for|still\s+(?:waiting|here|nothing|not\s+(?:seen|called|back)|haven'?t\s+(?:been|heard))|"
            r"took\s+(?:forever|ages|so\s+long|too\s+long|(?:my\s+)?whole)|takes?\s+(?:so\s+long|forever|a\s+month)|"
            r"it'?s\s+been\s+\d+|(?:day|week)\s+\d+|\d+(?:st|nd|rd|th)\s+week|"
            r"(?:since|from)\s+(?:january|february|march|april|may|june|july|august|september|october|"
            r"november|december|last\s+(?:week|month|year))|ago|delay(?:s|ed)?|punctual\w*|queue|"
            r"(?:never|not|rarely|seldom)\s+(?:\w+\s+)?on\s+time|late\s+again|forever)\b"
        ),
        "scheduling": (
            r"\b(?:schedul\w*|re-?schedul\w*|book(?:ed|ing)?|cancel(?:l?ed|l?ing|lations?)?|"
            r"no[-\s]show|double[-\s]booked|overbooked|"
            r"(?:get|got|getting)\s+(?:an?\s+)?(?:appointment|appt|in\b|seen)|"
            r"earliest|next\s+available|availability|openings?|walk[-\s]?ins?|"
            r"same[-\s]day|wait\s*list|turned\s+away|new\s+patients|"
            r"(?:couldn'?t|can'?t|cannot|unable\s+to)\s+(?:get\s+(?:in|seen|an?\s+appointment)|book)|"
            r"appointments?\s+(?:was|were|got|had\s+been)\s+(?:cancel|moved|changed|lost)\w*|"
            r"(?:moved|lost|forgot|changed)\s+(?:my|our|the)\s+appointment|"
            r"(?:late|early)\s+(?:fee|policy)|close\s+early|reminders?|mix-?up|"
            r"wrong\s+(?:day|date|time|office|location)|no\s+(?:evenings|weekends)|work\s+hours)\b"
        ),
        "staff-courtesy": (
            r"\b(?:rude\w*|disrespect\w*|unprofessional|condescend\w*|dismissive|arrogant|"
            r"attitude|yell\w*|shout\w*|snap(?:ped|py)|snipp?y|hung\s+up\s+on|rolled\s+(?:her|his|their)\s+eyes|"
            r"eye[-\s]?roll\w*|belittl\w*|patroni[sz]\w*|nasty|uncaring|"
            r"indifferent|impolite|discourteous|abrupt|curt|short\s+with|"
            r"treat(?:ed|s)?\s+(?:me|us|people|patients|my\s+\w+)\s+(?:like|badly|poorly|horribly)|"
            r"how\s+they\s+treat|(?:no|zero|lack\s+of)\s+(?:empathy|compassion|manners|respect|courtesy)|"
            r"(?:didn'?t|doesn'?t|don'?t)\s+(?:care|listen|even\s+look|look\s+at\s+me)|ignored\s+(?:me|us)|"
            r"laughed\s+at|lectur\w*|shrug|blamed\s+(?:me|us)|acted\s+like|feel\s+like\s+a\s+burden|"
            r"talks?\s+over|bedside\s+manner|demeanou?r|manners|gossip\w*|on\s+(?:her|his|their)\s+phone|"
            r"(?:never|didn'?t)\s+(?:introduced?|apologi[sz]ed?|said\s+sorry)|say\s+sorry|"
            r"mean\s+to|so\s+cold|unfriendly|unhelpful|impatient|rough\s+(?:and|with)|annoyed|humiliat\w*|"
            r"made\s+fun|judg(?:ed|ing|mental)|(?:nobody|no\s+one)\s+introduced|called\s+(?:me\s+)?\W?difficult|"
            r"need\w*\s+(?:some\s+)?(?:serious\s+)?training)\b"
        ),
        "billing": (
            r"\b(?:bill(?:s|ed|ing)?|overbill\w*|charg(?:e|es|ed|ing)|overcharg\w*|invoice\w*|"
            r"statements?|refunds?|refunded|paid|payments?|pay(?:ing)?\s+(?:for|the|a|my|twice|again|\$)|co-?pays?|deductibles?|balance|"
            r"collections?|insurance|insurer|claims?|coverage|covered|out[-\s]of[-\s]pocket|"
            r"prices?|pricing|cost(?:s|ly)?|fees?|expensive|money|\$\s?\d+|dollars?|deposit|"
            r"estimates?|quoted?|credit\s+card|debit|scam|itemi[sz]ed|explanation\s+of\s+benefits|eob|"
            r"in[-\s]network|out[-\s]of[-\s]network|owe[ds]?)\b"
        ),
        "clinical-care": (
            r"\b(?:misdiagnos\w*|wrong\s+(?:tooth|medication|med|dose|diagnosis|vaccine|eye|side|leg|arm)|"
            r"botched|malpractice|negligen\w*|incompetent\s+(?:doctor|dentist|dr|physician|surgeon|nurse)|"
            r"made\s+(?:it|things|me)\s+worse|got\s+worse|still\s+(?:in\s+pain|hurts|sick|bleeding)|"
            r"infect(?:ion|ed)|pain(?:ful)?|hurt(?:s|ing)?|injur\w*|damag\w*|broke|broken\s+(?:tooth|bone|wrist)|"
            r"cracked|fell\s+out|came\s+(?:loose|off)|side\s+effects?|reaction|"
            r"refused\s+to\s+(?:treat|see|prescribe|refill|examine|order)|"
            r"(?:didn'?t|never|did\s+not|wouldn'?t)\s+(?:examine|check|test|order|look\s+at\s+(?:my|the))|"
            r"rushed|(?:exam|appointment|visit)\s+(?:lasted|took)\s+(?:\w+\s+)?(?:minutes?|seconds)|"
            r"google\s+it|drug\s+seeking|couldn'?t\s+find\s+a\s+vein|drilled|diagnos(?:is|ed)\s+(?:was\s+)?wrong|"
            r"(?:doctor|dentist|dr\.?|physician|surgeon)\s+(?:missed|ignored|dismissed)|"
            r"treatment\s+(?:didn'?t|did\s+not|never)|quality\s+of\s+care|poor\s+care|bad\s+care|"
            r"(?:wrong|incorrect)\s+(?:treatment|prescription)|unnecessary\s+(?:treatment|procedures?|tests?|work)|"
            r"(?:crown|filling|bridge|implant|veneer|cap)\s+(?:fell|broke|cracked|came)|didn'?t\s+need|"
            r"assembly\s+line|no\s+real\s+exam|\d+\s+minutes\s+with\s+the\s+(?:doctor|dentist)|"
            r"barely\s+(?:discussed|examined|looked)|numbing|couldn'?t\s+eat|didn'?t\s+even\s+look\s+at\s+my|"
            r"pushed\s+(?:a|an|me|unnecessary))\b"
        ),
        "facility": (
            r"\b(?:dirty|filthy|unclean|clean(?:liness)?|gross|smell\w*|stink\w*|odou?r|"
            r"parking|car\s+park|garage|bathrooms?|restrooms?|toilets?|"
            r"waiting\s+room\s+(?:was|is)|building|elevator|stairs|wheelchair|"
            r"access(?:ible|ibility)|chairs?|seating|freezing|temperature|noisy|cramped|"
            r"run[-\s]down|outdated|equipment|machine|facilit(?:y|ies)|signage|"
            r"hard\s+to\s+find|mold|bugs?|roach\w*|broken\s+(?:chair|door|machine|elevator)|"
            r"tv|magazines|sink|floor|carpet|lights?|walls?\s+(?:are|were)\s+(?:paper\s+)?thin|out\s+of\s+order|"
            r"falling\s+apart|music)\b"
        ),
        "communication": (
            r"\b(?:never\s+(?:called|calls|returned|got\s+back|heard\s+(?:back|from)|responded|replied|told|received)|"
            r"(?:no|not\s+a)\s+(?:call\s*back|callback|response|reply|answer|update|one\s+(?:called|answered|explained|told))|"
            r"(?:didn'?t|did\s+not|won'?t|wouldn'?t|doesn'?t|don'?t|not)\s+(?:call|return|answer|respond|reply|"
            r"explain|tell|inform|get\s+back|let\s+(?:me|us)\s+know|pick\s+up|informed|told)|"
            r"(?:call|calls|phone|voicemails?|messages?|emails?|e-mails?)\s+(?:went\s+)?"
            r"(?:unanswered|unreturned|ignored|to\s+voicemail)|unresponsive|ghost(?:ed|ing)|"
            r"call(?:s|ed)?\s+back|callbacks?|voicemails?|on\s+hold|phone\s+(?:line|system|tree|manners)|"
            r"answer(?:s|ed)?\s+the\s+phone|heads\s+up|"
            r"(?:left|leaving)\s+(?:a\s+|several\s+|multiple\s+|\d+\s+)?(?:messages?|voicemails?)|"
            r"in\s+the\s+dark|nobody\s+(?:ever\s+)?(?:told|explained|called|knows|returned|answered|got\s+back)|"
            r"no\s+one\s+(?:ever\s+)?(?:returned|answered|got\s+back)|no\s+one\s+(?:told|explained|called|knows)|"
            r"miscommunicat\w*|communicat\w*|simple\s+answer|good\s+luck\s+getting|"
            r"(?:emails?|calls?|messages?)\s+(?:and|but)\s+(?:nothing|no)|unreachable|"
            r"(?:can'?t|couldn'?t|cannot|unable\s+to)\s+(?:reach|get\s+(?:through|a\s+hold|hold|anyone))|"
            r"heard\s+from\s+anyone|any\s+update|"
            r"records?\s+(?:request\w*|sent|transfer\w*)|request(?:ed)?\s+(?:my\s+)?records|"
            r"(?:send|sent|fax|faxed|transfer)\s+(?:my\s+)?(?:records|x-?rays|referral|images|results|prescription)|"
            r"referral\s+(?:was\s+)?(?:never|still|pending|lost)|paperwork|forms?\b|portal|"
            r"ask(?:ed|ing)\s+(?:\w+\s+)?(?:twice|three\s+times|again|since|for\s+(?:my|the))|"
            r"returns?\s+(?:my\s+)?calls?|get\s+a\s+call|call(?:ed)?\s+(?:twice|again|\d+\s+times)|"
            r"no\s+(?:explanation|reason\s+given|warning|notice)|not\s+an\s+answer|pick\s+up\s+(?:a|the)\s+phone|"
            r"e-?mail(?:ed|s)?|fax|lines?\s+open|(?:my|the)\s+(?:lab\s+|test\s+)?results|"
            r"(?:get|getting|want)\s+my\s+(?:records|results|x-?rays|images)|vaccination\s+record|"
            r"different\s+answers|returning\s+(?:calls|messages)|mailbox\s+is\s+full)\b"
        ),
        "privacy": (
            r"\b(?:privacy|private|confidential\w*|hipaa\s+(?:violation|breach)|violat\w+\s+(?:my\s+)?(?:privacy|hipaa)|"
            r"without\s+(?:my|our|her|his|the\s+patient'?s?|patient'?s?)\s+(?:consent|permission|authori[sz]ation)|"
            # "without asking" is privacy only about passing something on ("discussed my results
            # with my sister without asking"), not "rescheduled me twice without asking".
            r"(?:told|shared|sent|gave|posted|discussed|mentioned|showed|released|faxed|emailed|"
            r"called|talked)\b[^.!?]{0,60}\bwithout\s+asking|"
            r"never\s+(?:gave\s+permission|signed\s+a\s+release)|"
            rf"(?:told|gave|sent|mailed|shared|discussed|mentioned|showed|released|faxed|emailed)\s+"
            rf"(?:\w+\s+){{0,5}}(?:to|with)\s+(?:my|our|her|his|a|the)\s+(?:\w+\s+)?{_PEOPLE}|"
            rf"told\s+my\s+(?:\w+\s+)?{_PEOPLE}|"
            r"(?:out\s+loud|loud\s+enough|in\s+front\s+of\s+(?:everyone|the|other)|for\s+the\s+whole\s+(?:lobby|room)|"
            r"whole\s+(?:room|lobby|line|waiting\s+room)|everyone\s+(?:could\s+)?hear\w*|overheard|speaker\s*phone|"
            r"in\s+the\s+hallway)|"
            r"(?:someone|somebody|another\s+patient)\s*'?s\s+(?:\w+\s+)?(?:statement|records?|chart|results|name|"
            r"information|visit|allergies|bill)|someone\s+else'?s|another\s+patient'?s|"
            r"posted\s+(?:my|a\s+(?:photo|picture|video))|social\s+media|tiktok|"
            r"(?:looked|snooped)\s+(?:at|in|through)\s+my\s+(?:chart|records|file)|"
            r"data\s+breach|breach|personal\s+(?:information|info|details)|my\s+information|leaked|"
            r"sign-?in\s+sheet|reason\s+for\s+(?:the\s+)?visit|anyone\s+can\s+(?:read|see|hear)|"
            r"hear\s+every\s+word|voicemail\s+with|on\s+my\s+work\s+phone)\b"
        ),
    }.items()
}

assert set(EVIDENCE) == set(TOPICS), "every topic needs its complaint words"


#: Words just before a word about the wait that make it praise, not a complaint ("no wait",
#: "never had to wait", "a short wait").
_NOT_A_COMPLAINT = re.compile(
    r"\b(?:no|never\s+(?:had\s+to|have\s+to)|didn'?t\s+(?:have|need)\s+to|don'?t\s+have\s+to|"
    r"not\s+(?:much\s+(?:of\s+a)?|a\s+long)|short|little|minimal|quick|barely|hardly|"
    r"spotless(?:ly)?|reasonable|easy)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def topic_evidence(text: str) -> dict[str, int]:
    """Return, per topic, how many of its complaint words the text uses (topics with none left out).

    A word about the wait right after a denial ("no wait", "never had to wait", "a short wait")
    does not count.
    """
    counts: dict[str, int] = {}
    for topic, pattern in EVIDENCE.items():
        n = sum(
            1
            for m in pattern.finditer(text)
            if topic != "wait-time"
            or not _NOT_A_COMPLAINT.search(text[max(0, m.start() - 30) : m.start()])
        )
        if n:
            counts[topic] = n
    return counts


def complaint_topics(text: str, triage_topics: Sequence[str] = ()) -> tuple[str, ...]:
    """Return the topics a complaint is about, most salient first.

    A topic counts when the complaint uses its words; a topic triage tagged counts a little more
    (ties go to triage), but never without any of its words.
    """
    found = topic_evidence(text)
    tagged = set(triage_topics)
    scored = {t: n + (0.5 if t in tagged else 0.0) for t, n in found.items()}
    order = list(TOPICS)
    return tuple(sorted(scored, key=lambda t: (-scored[t], order.index(t))))
