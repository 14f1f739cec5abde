"""The practice's own details are not identifiers, even without a profile; the poster's are.

Issue 10, item 3: a phone number, address, hours or website that the reply presents as the
office's own is not an identifier; the poster's number or e-mail ("we'll call you at ...", "we sent
it to you at ...") is, and is outside contact too. Inviting the reviewer to write to the office's
public e-mail is their choice: a warning at most, and none when the reply also invites a call.
"""

from __future__ import annotations

import pytest

from safereply.core.lint import default_linter

LINTER = default_linter()


def _codes(text: str) -> dict[str, str]:
    return {f.code: str(f.severity) for f in LINTER.check(text).findings}


@pytest.mark.parametrize(
    "text",
    [
        "Visit us at 200 Main St, Suite 4, or call (555) 201-3300.",
        "We're at 40 Oak Ave, open Sat 8-1. Call (555) 201-3300 with any questions.",
        "Our new office at 12 Elm Street opens Monday; call (555) 201-3300 to book.",
        "Questions? Write to info@lakesidepeds.example or call 555-201-3300.",
        "Please contact us at info@brightsmiles.example or call (555) 201-3300.",
    ],
)
def test_the_office_own_details_are_not_identifiers(text):
    codes = _codes(text)
    assert not {"ID004", "ID005", "OC003"} & set(codes), codes


def test_an_email_invitation_without_a_phone_is_only_a_warning():
    report = LINTER.check("Please contact us at info@brightsmiles.example so we can help.")
    assert str(report.verdict) == "warn"
    (finding,) = [f for f in report.findings if f.code == "OC003"]
    assert "patient portal" not in finding.message
    assert "call is safer" in finding.message


@pytest.mark.parametrize(
    ("text", "identifier", "contact"),
    [
        ("We'll call you at 555-301-2299 tomorrow.", "ID004", "OC001"),
        ("We returned your call at 555-0177 twice.", "ID004", "OC002"),
        ("We mailed it to 42 Oak Lane.", "ID005", "OC002"),
    ],
)
def test_the_poster_own_details_are_identifiers_and_outside_contact(text, identifier, contact):
    codes = _codes(text)
    assert codes.get(identifier) == "error", codes
    assert codes.get(contact) == "error", codes


def test_an_email_sent_to_the_poster_is_an_identifier():
    codes = _codes("We sent the forms to you at j.smith@mail.example.")
    assert codes.get("ID004") == "error", codes


def test_asking_for_details_by_email_still_blocks():
    assert _codes("Email us your date of birth and we'll look into it.").get("OC003") == "error"
