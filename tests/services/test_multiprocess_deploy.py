"""deploy/ says what the tests run (issue 16): the units' commands parse as the commands the
multi-process tests start, the example settings are real settings, and the proxy points at the
web unit's port."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from safereply.cli.main import build_parser
from safereply.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
TESTS = (ROOT / "tests" / "services" / "test_multiprocess_services.py").read_text()


def exec_lines(unit: str, key: str = "ExecStart") -> list[list[str]]:
    """The safereply commands of a unit's ``key=`` lines, without the interpreter."""
    out = []
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        if line.startswith(f"{key}="):
            argv = shlex.split(line.split("=", 1)[1])
            assert argv[:3] == ["/opt/safereply/.venv/bin/python", "-m", "safereply"], line
            out.append(argv[3:])
    return out


def test_the_web_unit_runs_serve_with_workers_as_the_tests_do():
    (argv,) = exec_lines("safereply-web.service")
    args = build_parser().parse_args(argv)
    assert args.command == "serve" and args.workers >= 2 and args.host == "127.0.0.1"
    assert '["serve", "--workers", "2", "--host", "127.0.0.1", "--port", str(port)]' in TESTS
    (pre,) = exec_lines("safereply-web.service", "ExecStartPre")
    assert build_parser().parse_args(pre).command == "doctor"
    nginx = (DEPLOY / "nginx" / "safereply.conf").read_text()
    assert f"server 127.0.0.1:{args.port};" in nginx
    assert "X-Forwarded-For" in nginx and "ssl_certificate " in nginx


def test_the_worker_unit_runs_the_worker_as_the_tests_do():
    (argv,) = exec_lines("safereply-worker@.service")
    args = build_parser().parse_args(argv)
    assert args.command == "worker" and not args.once
    assert '["worker", "--workers", "2"]' in TESTS and argv == ["worker", "--workers", "2"]


def test_the_backup_unit_runs_safereply_backup():
    text = (DEPLOY / "systemd" / "safereply-backup.service").read_text()
    command = re.search(r"-m safereply backup (/var/backups/safereply/[^ ]+)\$\(date", text)
    assert command is not None  # one new, dated file per run: backup refuses to overwrite
    assert build_parser().parse_args(["backup", f"{command.group(1)}x.dump"]).command == "backup"


def test_the_example_settings_are_settings_and_pass_the_production_check():
    values = {}
    for line in (DEPLOY / "safereply.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            assert key.startswith("SAFEREPLY_"), key
            values[key[len("SAFEREPLY_") :].lower()] = value
    settings = Settings(**{k: v for k, v in values.items() if v})
    settings.check_secure()  # long enough, not the placeholder
    assert settings.environment == "production" and settings.login_throttle == "redis"
    assert settings.trusted_proxy_networks and settings.redis_url.startswith("redis://")


def test_serve_refuses_a_worker_count_it_cannot_run(capsys):
    from safereply.cli.main import main

    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err
    assert main(["serve", "--demo", "--workers", "2"]) == 2
    assert "--demo runs in one process" in capsys.readouterr().err
