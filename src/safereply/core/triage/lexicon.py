"""Health lexicon: the words that make a post disclose health information.

Grouped by kind so a reader can see at a glance what is covered and add to the right list. Terms are
lower case; a term matches as whole words, with an optional plural ``s``/``es``. Multi-word terms
allow any run of spaces or hyphens between their words.

``insurance/billing`` terms are listed for completeness (DESIGN.md counts a bill or insurance detail
tied to the poster as a health detail for replies), but a post only *discloses health information*
when it names a clinical term: a billing complaint alone is not flagged (see ``CLINICAL_GROUPS``).
"""

from __future__ import annotations

import re
from types import MappingProxyType

__all__ = ["CLINICAL_GROUPS", "HEALTH_TERMS", "health_term_pattern"]

HEALTH_TERMS = MappingProxyType(
    {
        "condition": (
            "asthma", "diabetes", "diabetic", "cancer", "tumor", "tumour", "depression",
            "anxiety", "adhd", "autism", "bipolar", "schizophrenia", "ptsd", "ocd", "epilepsy",
            "hypertension", "high blood pressure", "heart attack", "heart disease", "stroke",
            "arthritis", "copd", "covid", "flu", "pneumonia", "infection", "ear infection",
            "uti", "hiv", "hepatitis", "std", "sti", "herpes", "migraine", "eczema", "psoriasis",
            "rash", "allergy", "allergic", "broken wrist", "broken arm", "broken leg", "fracture",
            "concussion", "dementia", "alzheimer's", "parkinson's", "sleep apnea", "obesity",
            "eating disorder", "anorexia", "bulimia", "addiction", "learning disability",
            "mental health", "thyroid", "kidney disease", "celiac", "miscarriage", "sinus",
        ),
        "symptom": (
            "pain", "back pain", "chest pain", "toothache", "headache", "fever", "cough",
            "bleeding", "bled", "swelling", "swollen", "numbness", "dizzy", "dizziness",
            "nausea", "vomiting", "chest tightness", "shortness of breath", "sensitive teeth",
            "sore throat", "lump", "seizure", "panic attack", "insomnia", "fatigue",
        ),
        "medication": (
            "medication", "medicine", "meds", "antibiotic", "antibiotics", "amoxicillin",
            "insulin", "metformin", "inhaler", "epipen", "antidepressant", "antidepressants",
            "xanax", "adderall", "oxycodone", "opioid", "painkiller", "pain pills",
            "prescription", "refill", "birth control", "blood thinners", "warfarin",
            "steroid", "cream", "vaccine", "flu shot",
        ),
        "procedure": (
            "surgery", "operation", "biopsy", "colonoscopy", "stitches", "iv sedation",
            "sedation", "anesthesia", "anesthetic", "injection", "physical therapy", "therapy",
            "chemo", "chemotherapy", "dialysis", "c-section", "vasectomy", "physical",
            "vaccination", "checkup", "skin check",
        ),
        "dental": (
            "root canal", "filling", "fillings", "crown", "cavity", "cavities", "extraction",
            "wisdom teeth", "tooth pulled", "implant", "dentures", "bridge", "veneers",
            "braces", "invisalign", "night guard", "deep cleaning", "scaling", "gum disease",
            "gingivitis", "periodontitis", "dry socket", "abscess", "cracked tooth",
            "broken tooth",
        ),
        "test": (
            "x-ray", "x-rays", "xray", "mri", "ct scan", "ultrasound", "blood test", "blood work",
            "bloodwork", "lab", "labs", "test results", "results", "a1c", "cholesterol",
            "mammogram", "pap smear", "ekg", "ecg", "covid test", "diagnosis", "diagnosed",
        ),
        "device": (
            "pacemaker", "hearing aid", "hearing aids", "cpap", "wheelchair", "walker",
            "crutches", "cast", "retainer", "glucose monitor", "catheter",
        ),
        "pregnancy": (
            "pregnant", "pregnancy", "weeks pregnant", "expecting", "prenatal", "ivf",
            "fertility", "due date", "postpartum",
        ),
        "insurance/billing": (
            "insurance", "copay", "co-pay", "deductible", "claim", "prior authorization",
            "medicaid", "medicare", "hsa", "fsa", "ppo", "hmo", "out of network", "in network",
            "bill", "statement", "balance", "collections",
        ),
    }
)  # fmt: skip

#: Groups that make a post disclose health information.
CLINICAL_GROUPS = frozenset(HEALTH_TERMS) - {"insurance/billing"}


def _term_regex(term: str) -> str:
    words = [re.escape(w) for w in term.split()]
    return r"[\s-]+".join(words) + r"(?:s|es)?"


def health_term_pattern(groups: frozenset[str] = CLINICAL_GROUPS) -> re.Pattern[str]:
    """Return one case-insensitive pattern matching any term of the given groups.

    Each match's ``lastgroup`` names its group (``/`` replaced by ``_``). Within a group longer
    terms are tried first, so "chest pain" wins over "pain".
    """
    parts = []
    for group in sorted(groups):
        terms = sorted(HEALTH_TERMS[group], key=len, reverse=True)
        body = "|".join(_term_regex(t) for t in terms)
        parts.append(f"(?P<{group.replace('/', '_')}>\\b(?:{body})\\b)")
    return re.compile("|".join(parts), re.IGNORECASE)
