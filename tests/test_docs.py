"""Docs that cannot drift: the rule reference is generated, and every command is in the README."""

import importlib.util
from pathlib import Path

from safereply.cli.main import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location("gen", ROOT / "scripts" / "gen_rules_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rule_reference_is_up_to_date():
    current = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert current == _load_generator().render(), "run: python scripts/gen_rules_doc.py"


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert f"safereply {name}" in readme, f"`safereply {name}` is not documented"


def test_readme_states_the_safety_net_and_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "safety net, not a guarantee" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci in readme, "the test command in .ci/run must be the README's"
