"""The test doubles of the linter speak its real vocabulary (issue 13: a fake emitted codes that
do not exist, so a test could pass on a code the product never gives)."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import fake_check

from safereply.core.lint import default_rules

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "connectors"))
import google_world

RISKY = "Sorry about your visit. This is a fake review."


def _real() -> dict[str, tuple[str, str]]:
    return {rule.code: (rule.name, rule.category) for rule in default_rules()}


def test_the_services_fake_linter_emits_real_codes_names_and_categories():
    real = _real()
    findings = fake_check(RISKY).to_dict()["findings"]
    assert findings
    for f in findings:
        assert f["code"] in real, f["code"]
        assert (f["name"], f["category"]) == real[f["code"]]


def test_the_connectors_fake_linter_emits_real_codes_and_categories():
    real = _real()
    findings = google_world.check(RISKY).to_dict()["findings"]
    assert findings
    assert all(f["code"] in real and f["category"] == real[f["code"]][1] for f in findings)
