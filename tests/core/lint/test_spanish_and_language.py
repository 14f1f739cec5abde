"""Spanish names and relatives, greetings that address the reviewer, and unreadable languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from safereply.core.lint import default_linter
from safereply.core.practice import load_practice

LINTER = default_linter()
PRACTICE = load_practice(Path(__file__).parent / "corpus" / "practice.toml")


def _found(text: str, practice=None) -> dict[str, str]:
    return {f.text: f.code for f in LINTER.check(text, practice=practice).findings}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hola Sra. Gómez, gracias por su reseña.", "Gómez"),
        ("Estimada María, lamentamos lo sucedido.", "María"),
        ("¡Gracias Don Ramiro!", "Ramiro"),
        ("Su hijo Mateo se portó muy bien.", "Mateo"),
    ],
)
def test_spanish_greetings_titles_and_relatives_name_people(text, name):
    assert _found(text).get(name) == "ID001"


@pytest.mark.parametrize(
    "text", ["Muchas gracias por sus palabras.", "Buenos días, gracias por su comentario."]
)
def test_spanish_thanks_without_a_name_pass(text):
    assert str(LINTER.check(text).verdict) == "pass"


def test_a_greeting_addresses_the_reviewer_even_with_a_staff_first_name():
    staff_first = "Tom"  # Tom Reyes is on the corpus practice's staff
    report = LINTER.check(f"Hi {staff_first}, thanks for the review!", practice=PRACTICE)
    assert "ID001" in {f.code for f in report.findings}
    later = LINTER.check(
        f"Thanks for the review! Ask for {staff_first} at the front desk.", practice=PRACTICE
    )
    assert "ID001" not in {f.code for f in later.findings}


def test_a_reply_in_another_language_gets_a_warning_that_says_so():
    report = LINTER.check("Obrigado pelo seu comentário, ficamos muito felizes.")
    (finding,) = [f for f in report.findings if f.code == "LA001"]
    assert str(report.verdict) == "warn"
    assert "cannot check" in finding.message


def test_english_and_spanish_replies_get_no_language_warning():
    for text in ("Thank you for the review.", "Gracias por su reseña."):
        assert "LA001" not in {f.code for f in LINTER.check(text).findings}
