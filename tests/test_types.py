"""mypy over src/safereply, as part of the test suite (issue 13).

The configuration lives in pyproject.toml ([tool.mypy]): normal checking for the whole package and
the flags of ``--strict`` for ``safereply.core``. Running it here, rather than only by hand, means a
type error fails the suite like any other broken behaviour, and the message lists every error with
its file, line and code so it can be fixed without rerunning anything.
"""

from __future__ import annotations

from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"


def _mypy(*targets: Path) -> tuple[str, int]:
    """Run mypy with the project's configuration on the targets; return (report, exit status).

    The cache sits in the repository's .mypy_cache (ignored by git), so a second run checks only
    the modules that changed.
    """
    stdout, stderr, status = api.run(
        [
            "--config-file",
            str(CONFIG),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            *(str(t) for t in targets),
        ]
    )
    return stdout + stderr, status


def test_src_type_checks_clean() -> None:
    """Every module of src/safereply passes mypy (strict for the core)."""
    report, status = _mypy(ROOT / "src" / "safereply")
    errors = [line for line in report.splitlines() if ": error:" in line]
    assert status == 0 and not errors, f"mypy found {len(errors)} error(s):\n" + "\n".join(errors)


def test_mypy_run_reports_a_planted_error(tmp_path: Path) -> None:
    """The harness itself can fail: a module with a type error gives status 1 and names the line.

    Guards against a configuration that silently checks nothing (a wrong path or an exclude).
    """
    bad = tmp_path / "planted_error.py"
    bad.write_text('def count() -> int:\n    return "three"\n', encoding="utf-8")
    report, status = _mypy(bad)
    assert status == 1, report
    assert "planted_error.py:2: error:" in report
    assert "[return-value]" in report
