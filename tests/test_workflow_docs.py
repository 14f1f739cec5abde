"""docs/workflow.md is drawn from the workflow table; it must not drift from it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from safereply.core.workflow import TRANSITIONS

ROOT = Path(__file__).resolve().parents[1]


def _renderer():
    path = ROOT / "scripts" / "render_workflow.py"
    spec = importlib.util.spec_from_file_location("render_workflow", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_workflow_doc_is_the_rendered_table():
    current = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert current == _renderer().render(), "run: python scripts/render_workflow.py"


def test_every_move_and_edge_is_in_the_doc():
    doc = _renderer().render()
    for t in TRANSITIONS:
        assert f"| `{t.name}` | `{t.action}` | {t.role} |" in doc
        for source in t.sources:
            for target in t.targets():
                line = next(
                    (
                        x
                        for x in doc.splitlines()
                        if x.strip().startswith(f"{source} --> {target}:")
                    ),
                    None,
                )
                assert line is not None and t.name in line, (source, target, t.name)


def test_check_mode_reports_a_stale_doc(tmp_path, monkeypatch):
    module = _renderer()
    stale = tmp_path / "workflow.md"
    stale.write_text("# an old drawing\n", encoding="utf-8")
    monkeypatch.setattr(module, "OUT", stale)
    assert module.main(["--check"]) == 1
    assert module.main([]) == 0
    assert module.main(["--check"]) == 0
