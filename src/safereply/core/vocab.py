"""The fixed vocabularies of DESIGN.md §2. Outside checks rely on these exact strings."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["TOPICS", "Category", "PostKind", "Priority", "Severity", "Topic", "Verdict"]


class Category(StrEnum):
    """Finding categories of the reply linter."""

    IDENTIFIER = "identifier"
    HEALTH_DETAIL = "health-detail"
    PATIENT_RELATIONSHIP = "patient-relationship"
    OUTSIDE_CONTACT = "outside-contact"
    TONE = "tone"
    MEDICAL_ADVICE = "medical-advice"
    MISSING_CONTACT_PATH = "missing-contact-path"


#: Categories whose error-severity findings block a reply.
BLOCKING_CATEGORIES = frozenset(
    {
        Category.IDENTIFIER,
        Category.HEALTH_DETAIL,
        Category.PATIENT_RELATIONSHIP,
        Category.OUTSIDE_CONTACT,
        Category.MEDICAL_ADVICE,
    }
)


class Severity(StrEnum):
    """How sure a finding is and how much it matters."""

    ERROR = "error"
    WARNING = "warning"


class Verdict(StrEnum):
    """What may happen to a reply."""

    BLOCK = "block"
    WARN = "warn"
    PASS = "pass"

    @property
    def rank(self) -> int:
        """Order verdicts: pass < warn < block."""
        return {"pass": 0, "warn": 1, "block": 2}[self.value]


class PostKind(StrEnum):
    """What a post is."""

    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    SPAM = "spam"
    EMERGENCY = "emergency"
    CRISIS = "crisis"
    OTHER = "other"


class Topic(StrEnum):
    """What a post is about."""

    WAIT_TIME = "wait-time"
    SCHEDULING = "scheduling"
    STAFF_COURTESY = "staff-courtesy"
    BILLING = "billing"
    CLINICAL_CARE = "clinical-care"
    FACILITY = "facility"
    COMMUNICATION = "communication"
    PRIVACY = "privacy"


TOPICS: tuple[str, ...] = tuple(t.value for t in Topic)


class Priority(StrEnum):
    """How soon a post needs a reply."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"
