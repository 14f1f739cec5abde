"""The administration commands, end to end on a SQLite file (real triage and linter)."""

from __future__ import annotations

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from safereply.cli.main import main

PROFILE = """
[practice]
name = "Cedar Park Pediatrics"
phone = "(555) 770-1200"
sign_off = "The Cedar Park team"
"""


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = tmp_path / "admin.sqlite3"
    monkeypatch.setenv("SAFEREPLY_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SAFEREPLY_ADMIN_PASSWORD", "a long admin password")
    (tmp_path / "practice.toml").write_text(PROFILE)
    return tmp_path


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_init_creates_database_admin_and_practice(env, capsys):
    status, out, _ = run(
        capsys,
        "init",
        "--admin-email",
        "owner@cedar.test",
        "--practice",
        str(env / "practice.toml"),
        "--location",
        "Main St",
    )
    assert status == 0
    assert "administrator created: owner@cedar.test" in out
    assert "practice created: Cedar Park Pediatrics (id 1)" in out
    status, out, _ = run(capsys, "init", "--admin-email", "owner@cedar.test")
    assert status == 0 and "administrator exists" in out
    status, out, _ = run(capsys, "db", "current")
    assert status == 0 and "up to date" in out


def test_import_reports_rejected_lines_and_is_idempotent(env, capsys):
    run(capsys, "init", "--practice", str(env / "practice.toml"))
    export = env / "reviews.csv"
    export.write_text(
        "review_id,reviewer,stars,review_text\n"
        "g1,Avery,1,We waited over an hour and the front desk was rude.\n"
        "g2,Blake,5,\n"
        "g3,Casey,5,Wonderful with my toddler!\n"
    )
    status, out, _ = run(
        capsys, "import", str(export), "--practice-id", "1", "--platform", "google"
    )
    assert status == 1
    assert out.splitlines()[0].startswith("3 rows: 2 imported, 0 already there, 1 rejected")
    assert "line 3: no review or comment text" in out
    status, out, _ = run(
        capsys,
        "import",
        str(export),
        "--practice-id",
        "1",
        "--platform",
        "google",
        "--format",
        "json",
    )
    assert json.loads(out)["duplicates"] == 2 and json.loads(out)["created"] == 0
    status, _, err = run(capsys, "import", str(env / "missing.csv"), "--practice-id", "1")
    assert status == 2 and "cannot read" in err


def test_users_commands(env, capsys, monkeypatch):
    run(
        capsys,
        "init",
        "--admin-email",
        "owner@cedar.test",
        "--practice",
        str(env / "practice.toml"),
    )
    monkeypatch.setattr(sys, "stdin", io.StringIO("another long password\n"))
    status, out, _ = run(
        capsys,
        "users",
        "add",
        "nurse@cedar.test",
        "--practice-id",
        "1",
        "--role",
        "staff",
        "--password-stdin",
    )
    assert status == 0 and "created nurse@cedar.test" in out
    assert (
        run(capsys, "users", "role", "nurse@cedar.test", "--practice-id", "1", "--role", "manager")[
            0
        ]
        == 0
    )
    status, out, _ = run(capsys, "users", "list", "--format", "json")
    users = {u["email"]: u for u in map(json.loads, out.splitlines())}
    assert users["nurse@cedar.test"]["roles"] == {"1": "manager"}
    status, out, _ = run(capsys, "users", "token", "nurse@cedar.test")
    assert re.fullmatch(r"sr_[\w-]{40,}\n", out)
    status, out, _ = run(
        capsys, "users", "token", "nurse@cedar.test", "--scope", "read", "--days", "7"
    )
    assert status == 0 and out.startswith("sr_")
    status, _, err = run(capsys, "users", "token", "nurse@cedar.test", "--days", "400")
    assert status == 2 and "365 days" in err
    assert run(capsys, "users", "deactivate", "nurse@cedar.test")[0] == 0
    status, _, err = run(
        capsys, "users", "role", "ghost@cedar.test", "--practice-id", "1", "--remove"
    )
    assert status == 2 and "no account" in err


def test_backup_makes_a_consistent_copy(env, capsys):
    import sqlite3

    run(capsys, "init", "--practice", str(env / "practice.toml"))
    target = env / "backup.sqlite3"
    status, _, _ = run(capsys, "backup", str(target))
    assert status == 0 and target.is_file()
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT name FROM practices").fetchall() == [("Cedar Park Pediatrics",)]
    status, _, err = run(capsys, "backup", str(target))
    assert status == 2 and "exists" in err


def test_serve_demo_starts_a_working_instance(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": str(src), "SAFEREPLY_SWEEP_INTERVAL": "0"}
    env.pop("SAFEREPLY_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "safereply", "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        banner = ""
        deadline = time.monotonic() + 60
        while "password:" not in banner and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            banner += line
        password = re.search(r"password: (\S+)", banner).group(1)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        login = urllib.request.Request(
            f"{base}/api/v1/auth/login",
            data=json.dumps({"email": "staff@demo.example", "password": password}).encode(),
            headers={"Content-Type": "application/json"},
        )
        response = urllib.request.urlopen(login, timeout=5)
        cookie = response.headers["Set-Cookie"].split(";")[0]
        listing = urllib.request.Request(
            f"{base}/api/v1/practices/1/posts?limit=200", headers={"Cookie": cookie}
        )
        posts = json.load(urllib.request.urlopen(listing, timeout=5))["items"]
        assert len(posts) == 15
        escalated = {p["kind"] for p in posts if p["state"] == "escalated"}
        assert escalated <= {"emergency", "crisis"} and len(escalated) >= 1
        assert posts[0]["state"] == "escalated"  # the most urgent come first
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_init_refuses_a_profile_nested_too_deeply(env, capsys):
    """Issue 12, defect 6: a deeply nested TOML array is an error message, not a traceback."""
    deep = env / "deep.toml"
    deep.write_text(
        '[practice]\nname = "X"\nphone = "(555) 770-1200"\nstaff = '
        + "[" * 3000
        + "]" * 3000
        + "\n"
    )
    status, _, err = run(capsys, "init", "--practice", str(deep))
    assert status == 2 and "nested too deeply" in err
    settings = env / "settings.toml"
    settings.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    status, _, err = run(capsys, "db", "--settings", str(settings), "current")
    assert status == 2 and "nested too deeply" in err
