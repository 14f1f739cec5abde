"""The administration commands when a new user makes an ordinary mistake (session 8's trial run).

Each case is what a person following the README met: a wrong practice id, ``init`` run again.
The answer is a plain message and a usable exit status, never a traceback or a duplicate.
"""

from __future__ import annotations

import io

import pytest

from safereply.cli.main import main

PROFILE = """
[practice]
name = "Cedar Park Pediatrics"
phone = "(555) 770-1200"
"""

CSV = "review_id,reviewer,rating,comment\nr1,Ana,5,Lovely front desk and short wait\n"


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = tmp_path / "admin.sqlite3"
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SAFEREPLY_ADMIN_PASSWORD", "a long admin password")
    (tmp_path / "practice.toml").write_text(PROFILE)
    (tmp_path / "reviews.csv").write_text(CSV)
    return tmp_path


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _init(env, capsys, *extra):
    return run(
        capsys,
        "init",
        "--admin-email",
        "owner@cedar.test",
        "--practice",
        str(env / "practice.toml"),
        *extra,
    )


def test_init_run_again_keeps_the_one_practice(env, capsys):
    assert _init(env, capsys, "--location", "Main St")[0] == 0
    status, out, _ = _init(env, capsys, "--location", "Main St")
    assert status == 0
    assert "practice exists: Cedar Park Pediatrics (id 1)" in out
    assert "practice created" not in out
    status, out, _ = run(capsys, "users", "list")
    assert "[practice 1: admin]" in out and "practice 2" not in out


@pytest.mark.parametrize(
    "argv",
    [
        ("users", "add", "new@cedar.test", "--practice-id", "9", "--password-stdin"),
        ("users", "role", "owner@cedar.test", "--practice-id", "9", "--role", "staff"),
        ("import", "{csv}", "--practice-id", "9", "--platform", "google"),
        ("import", "{csv}", "--practice-id", "9"),
    ],
    ids=["users-add", "users-role", "import", "import-without-platform"],
)
def test_a_practice_id_nobody_uses_is_named_not_a_traceback(env, capsys, monkeypatch, argv):
    assert _init(env, capsys)[0] == 0
    argv = tuple(a.format(csv=env / "reviews.csv") for a in argv)
    monkeypatch.setattr("sys.stdin", io.StringIO("another long password 7\n"))
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert "no such practice" in err
    assert "Traceback" not in err and "practice_settings" not in err
    status, out, _ = run(capsys, "users", "list")
    assert "new@cedar.test" not in out  # nothing half-made


def test_an_import_of_one_row_says_one_row(env, capsys):
    assert _init(env, capsys)[0] == 0
    status, out, _ = run(
        capsys, "import", str(env / "reviews.csv"), "--practice-id", "1", "--platform", "google"
    )
    assert status == 0
    assert out.startswith("1 row: 1 imported, 0 already there, 0 rejected"), out
