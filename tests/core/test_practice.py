"""The practice profile: parsing, validation with field names, and helpers."""

import datetime as dt

import pytest

from safereply.core.practice import load_practice, parse_practice
from safereply.errors import ProfileError

GOOD = """
[practice]
name = "Riverside Family Dental"
phone = "(555) 388-9100"
sign_off = "The Riverside team"
staff = ["Tom", "Maria Alvarez"]

[[improvements]]
topic = "wait-time"
text = "added a second check-in station"
since = "2026-10-01"

[[improvements]]
topic = "wait-time"
text = "text you when the doctor is running late"
since = 2026-11-01
"""


def test_a_full_profile_parses():
    p = parse_practice(GOOD)
    assert p.name == "Riverside Family Dental"
    assert p.phone_digits == "5553889100"
    assert p.staff == ("Tom", "Maria Alvarez")
    newest = p.improvements_for("wait-time")[0]
    assert newest.since == dt.date(2026, 11, 1)
    assert p.improvements_for("billing") == ()


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[practice]\nname = "X"', "practice.phone"),
        ('[practice]\nphone = "(555) 388-9100"', "practice.name"),
        ('[practice]\nname = "X"\nphone = "call us"', "practice.phone"),
        ('[practice]\nname = "X"\nphone = "555-388-9100"\nstaff = "Tom"', "practice.staff"),
        (
            '[practice]\nname = "X"\nphone = "555-388-9100"\n[[improvements]]\ntopic = "parking"\n'
            'text = "more spaces"',
            "improvements[0].topic",
        ),
        (
            '[practice]\nname = "X"\nphone = "555-388-9100"\n[[improvements]]\ntopic = "billing"\n'
            'text = "clearer bills"\nsince = "last week"',
            "improvements[0].since",
        ),
        ('name = "X"', "practice"),
    ],
)
def test_bad_profiles_name_the_field(text, field):
    with pytest.raises(ProfileError) as err:
        parse_practice(text)
    assert err.value.field == field
    assert f"'{field}'" in str(err.value)


def test_unparsable_toml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("[practice\nname=", encoding="utf-8")
    with pytest.raises(ProfileError, match="not valid TOML") as err:
        load_practice(path)
    assert str(path) in str(err.value)


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(ProfileError, match="cannot read"):
        load_practice(tmp_path / "nope.toml")
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b'[practice]\nname = "Caf\xe9"\n')
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_practice(bad)


def test_a_profile_nested_too_deeply_is_an_error_not_a_crash():
    from safereply.core.practice import ProfileError, parse_practice

    deep = "[practice]\nname = 'A'\nphone = '(555) 201-3300'\nx = " + "[" * 5000 + "]" * 5000
    with pytest.raises(ProfileError, match=r"nested too deeply|not valid TOML"):
        parse_practice(deep)
