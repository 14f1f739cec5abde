"""Post triage: what each post is, what it is about, and how urgent it is.

    >>> from safereply.core.triage import triage
    >>> triage("Waited two hours past my appointment", rating=1).kind
    <PostKind.COMPLAINT: 'complaint'>

``explain(text, ...)`` returns the same result with the trace of the steps that decided it
(``trace.py``; ``safereply triage --explain``).

Runs on the standard library alone: the TF-IDF + logistic-regression model is shipped as JSON and
evaluated in pure Python; emergency and crisis detection are rules that never depend on it.
"""

from __future__ import annotations

from safereply.core.triage.engine import MAX_TEXT, explain, triage
from safereply.core.triage.result import TriageResult
from safereply.core.triage.trace import Step, Trace

__all__ = ["MAX_TEXT", "Step", "Trace", "TriageResult", "explain", "triage"]
