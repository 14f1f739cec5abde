"""`safereply draft` and `safereply fix` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field

import pytest

from safereply.cli.main import main
from safereply.core.compose import drafting

PRACTICE = """
[practice]
name = "Riverside Family Dental"
phone = "(555) 388-9100"
sign_off = "The Riverside team"

[[improvements]]
topic = "wait-time"
text = "added a second check-in station"
"""


@dataclass
class _Triaged:
    kind: str
    topics: list[str] = field(default_factory=list)
    discloses_health: bool = False


def _stand_in_triage(text: str, platform: str | None, rating: float | None) -> _Triaged:
    """A few keywords, enough to exercise the command (the real triage is tested elsewhere)."""
    low = text.lower()
    if "buy" in low:
        return _Triaged("spam")
    if "chest pain" in low:
        return _Triaged("emergency")
    if "?" in low:
        return _Triaged("question")
    if "wait" in low:
        return _Triaged("complaint", ["wait-time"])
    return _Triaged("praise")


@pytest.fixture
def triaged(monkeypatch):
    monkeypatch.setattr(drafting, "_triage", _stand_in_triage)


@pytest.fixture
def practice(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(PRACTICE, encoding="utf-8")
    return str(path)


def _write(tmp_path, lines: list[str | dict]) -> str:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
        encoding="utf-8",
    )
    return str(path)


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_draft_writes_one_design_object_per_post(triaged, practice, tmp_path, capsys):
    path = _write(
        tmp_path,
        [
            {"id": "a", "text": "Waited two hours!", "platform": "google", "rating": 1},
            {"id": "b", "text": "Do you take Delta Dental?"},
            {"id": "c", "text": "BUY FOLLOWERS NOW"},
            {"id": "d", "text": "My dad has chest pain"},
        ],
    )
    status = main(["draft", path, "--practice", practice, "--format", "json"])
    out = _jsonl(capsys.readouterr().out)
    assert status == 0
    assert [o["id"] for o in out] == ["a", "b", "c", "d"]
    for o in out:
        assert list(o)[:5] == ["id", "reply", "verdict", "kind", "topics"]
        assert o["verdict"] == "pass"
    assert "(555) 388-9100" in out[0]["reply"] and out[0]["topics"] == ["wait-time"]
    assert out[0]["cited_improvement"] == "added a second check-in station"
    assert out[2]["reply"] == "" and out[2]["reason"]
    assert "911" in out[3]["reply"]


def test_draft_bad_lines_become_errors_and_the_batch_goes_on(triaged, practice, tmp_path, capsys):
    path = _write(
        tmp_path,
        [
            {"id": 1, "text": "Waited forever"},
            "{not json",
            {"id": 3},
            {"id": 4, "text": "Great!", "rating": 9},
            {"id": 5, "text": "Lovely team"},
        ],
    )
    status = main(["draft", path, "--practice", practice, "--format", "json"])
    out = _jsonl(capsys.readouterr().out)
    assert status == 2
    assert [o["id"] for o in out] == [1, 2, 3, 4, 5]
    assert out[1]["error"].startswith("line 2: invalid JSON")
    assert out[2]["error"] == "line 3: missing field 'text'"
    assert out[3]["error"].startswith("line 4: field 'rating'")
    assert out[4]["verdict"] == "pass"


def test_draft_seed_varies_wording_reproducibly(triaged, practice, capsys):
    replies = {}
    for seed in ("1", "2", "1"):
        main(
            [
                "draft",
                "--text",
                "Waited so long",
                "--practice",
                practice,
                "--format",
                "json",
                "--seed",
                seed,
            ]
        )
        replies.setdefault(seed, []).append(_jsonl(capsys.readouterr().out)[0]["reply"])
    assert replies["1"][0] == replies["1"][1]


def test_draft_text_output_is_readable(triaged, practice, capsys):
    status = main(
        ["draft", "--text", "Waited two hours", "--practice", practice, "--color", "never"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("1  pass  complaint (wait-time)\n    ")
    assert "↳ cites: added a second check-in station" in out


def test_draft_requires_a_practice(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["draft", "--text", "hi"])
    assert exc.value.code == 2
    assert "--practice" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ('[practice]\nname = "X"\n', "field 'practice.phone': is required"),
        (
            '[practice]\nname = "X"\nphone = "555-201-7788"\n[[improvements]]\ntopic = "parking"\n'
            'text = "more spaces"\n',
            "field 'improvements[0].topic': unknown topic 'parking'",
        ),
        ("[practice\nname=", "not valid TOML"),
    ],
)
def test_bad_profiles_are_reported_naming_the_field(tmp_path, capsys, profile, field):
    path = tmp_path / "bad.toml"
    path.write_text(profile, encoding="utf-8")
    status = main(["draft", "--text", "hi", "--practice", str(path)])
    assert status == 2
    assert field in capsys.readouterr().err


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "safereply", *args], input=stdin, capture_output=True, timeout=60
    )


def test_fix_rewrites_a_plain_text_reply_from_stdin(practice):
    result = run(
        "fix",
        "-",
        "--practice",
        practice,
        "--color",
        "never",
        stdin=b"Hi Karen, we'll call you about your crown.",
    )
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert out.startswith("1  pass  2 changes\n    Hi there,")
    assert "(555) 388-9100" in out and "Karen" not in out.split("↳")[0]
    assert "ID001 edit" in out and "OC001 replace" in out


def test_fix_jsonl_uses_the_post_and_keeps_going_after_bad_lines(practice, tmp_path):
    path = _write(
        tmp_path,
        [
            {"id": "r1", "reply": "Sorry about the root canal.", "post": "My root canal hurt"},
            "[1, 2]",
            {"id": "r3", "reply": 5},
            {"id": "r4", "reply": "Thank you for the kind words!"},
        ],
    )
    result = run("fix", path, "--practice", practice, "--format", "json")
    out = _jsonl(result.stdout.decode())
    assert result.returncode == 2
    assert [o["id"] for o in out] == ["r1", 2, "r3", "r4"]
    assert list(out[0]) == ["id", "reply", "verdict", "changes"]
    assert "root canal" not in out[0]["reply"] and out[0]["verdict"] == "pass"
    assert out[1]["error"] == "line 2: expected a JSON object"
    assert out[2]["error"] == "line 3: field 'reply' must be a string"
    assert out[3]["changes"] == [] and out[3]["reply"] == "Thank you for the kind words!"


def test_fix_post_flag_applies_to_inline_text():
    result = run(
        "fix",
        "--text",
        "We're sorry the root canal hurt.",
        "--post",
        "My root canal hurt",
        "--format",
        "json",
    )
    (out,) = _jsonl(result.stdout.decode())
    assert result.returncode == 0
    assert "root canal" not in out["reply"] and "call our office" in out["reply"]


def test_fix_with_an_unreadable_profile_exits_2():
    result = run("fix", "--practice", "/nonexistent/practice.toml", "--text", "hi")
    assert result.returncode == 2
    assert "cannot read the file" in result.stderr.decode()


def test_draft_takes_rating_and_platform_for_inline_text(triaged, practice, capsys, monkeypatch):
    seen = {}

    def spy(text, platform, rating):
        seen.update(platform=platform, rating=rating)
        return _stand_in_triage(text, platform, rating)

    monkeypatch.setattr(drafting, "_triage", spy)
    status = main(
        [
            "draft",
            "--text",
            "Lovely team",
            "--rating",
            "5",
            "--platform",
            "x",
            "--practice",
            practice,
            "--format",
            "json",
        ]
    )
    out = _jsonl(capsys.readouterr().out)
    assert status == 0 and out[0]["verdict"] == "pass"
    assert seen == {"platform": "x", "rating": 5.0}


def test_draft_rating_flag_is_validated_and_a_record_s_own_values_win(
    triaged, practice, tmp_path, capsys, monkeypatch
):
    with pytest.raises(SystemExit) as exc:
        main(["draft", "--text", "Hi", "--rating", "nine", "--practice", practice])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["draft", "--text", "Hi", "--rating", "9", "--practice", practice])
    assert exc.value.code == 2
    assert "--rating: must be from 1 to 5" in capsys.readouterr().err
    seen = []
    monkeypatch.setattr(
        drafting,
        "_triage",
        lambda text, platform, rating: seen.append((platform, rating)) or _Triaged("praise"),
    )
    path = _write(
        tmp_path,
        [{"id": 1, "text": "Nice", "rating": 4, "platform": "yelp"}, {"id": 2, "text": "Nice"}],
    )
    main(["draft", path, "--rating", "5", "--platform", "google", "--practice", practice])
    assert seen == [("yelp", 4.0), ("google", 5.0)]
