"""The public surface is declared in one place and locked by this test."""

import ast
from pathlib import Path

import safereply

SRC = Path(safereply.__file__).parent


def test_all_is_sorted_and_complete():
    assert safereply.__all__ == sorted(safereply.__all__)
    for name in safereply.__all__:
        assert hasattr(safereply, name), name


def test_public_api_is_stable():
    assert set(safereply.__all__) >= {
        "check",
        "triage",
        "draft",
        "fix",
        "Practice",
        "load_practice",
        "parse_practice",
        "Report",
        "Finding",
        "Verdict",
    }


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_core_stays_pure():
    """The core does no I/O beyond reading its own package data: no storage, web or network."""
    forbidden = (
        "safereply.store",
        "safereply.services",
        "safereply.web",
        "safereply.jobs",
        "safereply.cli",
        "sqlalchemy",
        "fastapi",
        "httpx",
        "requests",
        "urllib.request",
        "socket",
        "sklearn",
        "numpy",
    )
    for path in (SRC / "core").rglob("*.py"):
        for module in _imports(path):
            assert not module.startswith(forbidden), f"{path.relative_to(SRC)} imports {module}"
