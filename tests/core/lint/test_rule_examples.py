"""Every rule ships bad and good examples, and they run as tests."""

import re

import pytest

from safereply.core.lint import default_linter, default_rules

LINTER = default_linter()
RULES = default_rules()
_MARK = re.compile(r"\[\[(.+?)\]\]")


def _strip(text: str) -> tuple[str, list[tuple[int, int]]]:
    spans, out, pos = [], [], 0
    for m in _MARK.finditer(text):
        out.append(text[pos : m.start()])
        start = sum(len(p) for p in out)
        out.append(m.group(1))
        spans.append((start, start + len(m.group(1))))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def _bad_cases():
    for rule in RULES:
        for n, example in enumerate(rule.bad):
            yield pytest.param(rule, example, id=f"{rule.code}-bad-{n}")


def _good_cases():
    for rule in RULES:
        for n, example in enumerate(rule.good):
            yield pytest.param(rule, example, id=f"{rule.code}-good-{n}")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_bad_and_good_examples(rule):
    assert rule.bad, f"{rule.code} has no bad example"
    assert rule.good, f"{rule.code} has no good example"
    for example in rule.bad:
        assert _MARK.search(example.text), f"{rule.code}: bad example without a [[span]]"


@pytest.mark.parametrize(("rule", "example"), list(_bad_cases()))
def test_bad_example_is_flagged_at_the_marked_span(rule, example):
    text, spans = _strip(example.text)
    found = [f for f in LINTER.check(text, post=example.post).findings if f.code == rule.code]
    assert found, f"{rule.code} did not fire on {text!r}"
    for start, end in spans:
        assert any(f.start < end and start < f.end for f in found), (
            f"{rule.code} missed the span {text[start:end]!r}; found {[f.text for f in found]}"
        )


@pytest.mark.parametrize(("rule", "example"), list(_good_cases()))
def test_good_example_is_not_flagged(rule, example):
    report = LINTER.check(example.text, post=example.post)
    assert rule.code not in {f.code for f in report.findings}, report.findings


def test_codes_and_names_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"[A-Z]{2}\d{3}", rule.code)
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name)


def test_every_design_category_has_a_rule():
    from safereply.core.vocab import Category

    assert {r.category for r in RULES} == set(Category)
