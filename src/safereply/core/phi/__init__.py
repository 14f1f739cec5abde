"""Recognizers for protected health information in free text.

Each recognizer returns ``Entity`` spans with a kind and a reason; the lint rules decide whether an
entity, in its sentence, discloses something about the person a reply answers.
"""

from safereply.core.phi.entities import Entity
from safereply.core.phi.health import find_health_terms
from safereply.core.phi.identifiers import (
    find_contact_details,
    find_dates,
    find_money,
    find_record_numbers,
    find_street_addresses,
    find_times,
)
from safereply.core.phi.names import find_names

__all__ = [
    "Entity",
    "find_contact_details",
    "find_dates",
    "find_health_terms",
    "find_money",
    "find_names",
    "find_record_numbers",
    "find_street_addresses",
    "find_times",
]
