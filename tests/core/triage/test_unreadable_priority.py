"""A post in a language triage cannot read is read by a person first: whatever kind the English
and Spanish models guess for it (an Arabic insulin emergency was once read as praise, with a
normal priority), its priority is at least high, with the reason; posts triage reads keep theirs."""

from __future__ import annotations

import pytest

from safereply.core.triage import explain, triage
from safereply.core.triage.engine import UNREADABLE
from safereply.core.vocab import Priority

UNREADABLE_POSTS = [
    # Arabic: a diabetic husband sweating and confused after insulin without food
    "أرجوكم ساعدوني. زوجي مريض سكري، أخذ الإنسولين ولم يأكل شيئاً، والآن يتعرق بشدة ويتكلم "
    "كلاماً غير مفهوم. هل أحضره إلى العيادة؟",
    # Russian: thanks to the doctor (praise would be low)
    "Большое спасибо доктору Ивановой и всей команде клиники за внимание и терпение к моей маме.",
    # Vietnamese: a billing complaint
    "Tôi gọi điện ba lần để hỏi về hóa đơn mà không ai gọi lại. Bây giờ họ gửi cho công ty thu nợ.",
]


@pytest.mark.parametrize("text", UNREADABLE_POSTS)
def test_a_post_triage_cannot_read_is_at_least_high_priority(text):
    result = triage(text)
    assert UNREADABLE in result.reasons
    assert result.priority in (Priority.HIGH, Priority.URGENT)


def test_the_trace_says_why():
    _, trace = explain(UNREADABLE_POSTS[1])
    assert "a person must read first a post triage cannot read" in str(trace.to_list())


@pytest.mark.parametrize(
    "text, priority",
    [
        ("Great team, thank you so much!", Priority.LOW),
        ("¡Gracias a todo el equipo, son los mejores!", Priority.LOW),
    ],
)
def test_posts_triage_reads_keep_their_priority(text, priority):
    result = triage(text)
    assert UNREADABLE not in result.reasons and result.priority is priority
