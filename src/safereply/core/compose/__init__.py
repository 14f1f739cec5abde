"""Drafting and safe rewriting: a good reply for every post, and a fix for every unsafe one.

``draft`` proposes a reply suited to the post's kind and topics; ``fix`` rewrites an unsafe reply
sentence by sentence; ``acknowledgement`` is the pre-checked bland reply that always passes;
``urgent_reply`` answers an emergency or crisis post; ``quick_fix`` applies one finding's fix (the
editor's button). Every reply ``draft`` and ``fix`` return has been through the linter. Composers
(:class:`Composer`) propose candidates and the linter gates them, so a future model-backed
composer can be added without trusting it.
"""

from __future__ import annotations

from safereply.core.compose.drafting import TemplateComposer, acknowledgement, draft
from safereply.core.compose.quickfix import QuickFix, quick_fix, quick_fixes
from safereply.core.compose.rewriting import fix
from safereply.core.compose.strategy import Composer, Proposal, gate, weighted_length
from safereply.core.compose.types import Change, Draft, DraftRequest, FixResult, TriageLike
from safereply.core.compose.urgent import directs_to_help, help_line, urgent_reply

__all__ = [
    "Change",
    "Composer",
    "Draft",
    "DraftRequest",
    "FixResult",
    "Proposal",
    "QuickFix",
    "TemplateComposer",
    "TriageLike",
    "acknowledgement",
    "directs_to_help",
    "draft",
    "fix",
    "gate",
    "help_line",
    "quick_fix",
    "quick_fixes",
    "urgent_reply",
    "weighted_length",
]
