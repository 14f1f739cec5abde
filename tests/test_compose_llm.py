"""Drafts from a local language model, against a chat-completions server run by the test itself.

Every server here listens on 127.0.0.1 in a thread of the test: no test reaches the network.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from safereply import check, parse_practice
from safereply.cli.main import main
from safereply.compose_llm import (
    ChatClient,
    LLMComposer,
    LLMConfig,
    LLMDrafter,
    LLMError,
    build_messages,
    clean_reply,
    implausible,
)
from safereply.core.compose import DraftRequest, drafting
from safereply.core.vocab import Verdict
from safereply.errors import ConfigError
from safereply.settings import Settings, load_settings

PRACTICE_TOML = """
[practice]
name = "Riverside Family Dental"
phone = "(555) 388-9100"
sign_off = "The Riverside team"
website = "riversidedental.example"

[[improvements]]
topic = "wait-time"
text = "added a second check-in station"

[[improvements]]
topic = "billing"
text = "hired a billing coordinator who returns calls the same day"
"""
PRACTICE = parse_practice(PRACTICE_TOML)

GOOD = (
    "We're sorry the experience fell short, and we take concerns like this seriously. "
    "We have added a second check-in station to keep things moving. "
    "Please call our office at (555) 388-9100 so we can talk this through."
)
COMPLAINT = "Waited two hours for my root canal with Dr. Patel. Karen Smith, never again."


@dataclass
class Triaged:
    kind: str
    topics: list[str] = field(default_factory=list)
    discloses_health: bool = False


WAIT = Triaged("complaint", ["wait-time"])


@dataclass
class Behaviour:
    """What the test server does with the next request."""

    reply: str | list[str] = GOOD
    status: int = 200
    delay: float = 0.0
    raw: bytes | None = None  # sent as the body instead of a completion
    trickle: bool = False  # headers at once, then the body a byte every 0.2 s
    finish_reason: str = "stop"
    location: str | None = None  # answer with a redirect there
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


class ChatServer:
    """A chat-completions endpoint on 127.0.0.1 with a scripted behaviour."""

    def __init__(self) -> None:
        self.behaviour = Behaviour()
        behaviour = lambda: self.behaviour  # noqa: E731 - the handler reads the current one

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output clean
                pass

            def do_POST(self) -> None:
                b = behaviour()
                length = int(self.headers.get("Content-Length", 0))
                b.requests.append(json.loads(self.rfile.read(length)))
                b.headers.append(dict(self.headers))
                with contextlib.suppress(OSError):  # the client gave up (time limit)
                    self._answer(b)

            def _answer(self, b: Behaviour) -> None:
                if b.delay:
                    time.sleep(b.delay)
                if b.location:
                    self.send_response(302)
                    self.send_header("Location", b.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if b.raw is not None:
                    body = b.raw
                else:
                    replies = [b.reply] if isinstance(b.reply, str) else b.reply
                    body = json.dumps(
                        {
                            "id": "chatcmpl-1",
                            "object": "chat.completion",
                            "choices": [
                                {
                                    "index": i,
                                    "message": {"role": "assistant", "content": text},
                                    "finish_reason": b.finish_reason,
                                }
                                for i, text in enumerate(replies)
                            ],
                        }
                    ).encode()
                self.send_response(b.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if b.trickle:
                    for byte in body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.2)
                else:
                    self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def requests(self) -> list[dict[str, Any]]:
        return self.behaviour.requests

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = ChatServer()
    yield s
    s.close()


def _drafter(server: ChatServer, timeout: float = 5.0, **kw: Any) -> LLMDrafter:
    return LLMDrafter(LLMConfig(server.url, "test-model", timeout=timeout, **kw))


def _draft(drafter: LLMDrafter, text: str = COMPLAINT, triage=WAIT, post_id="p1", **kw: Any):
    return drafter(text, practice=PRACTICE, post_id=post_id, triage_result=triage, **kw)


# --- a good draft --------------------------------------------------------------------------------


def test_a_good_draft_passes_through_signed_and_marked_llm(server):
    d = _draft(_drafter(server))
    assert d.source == "llm" and d.verdict is Verdict.PASS and d.reason is None
    assert d.reply == f"{GOOD}\n— The Riverside team"
    assert d.cited_improvement == "added a second check-in station"
    assert d.kind == "complaint" and d.topics == ("wait-time",)
    assert d.to_dict()["source"] == "llm"
    assert check(d.reply, post=COMPLAINT, practice=PRACTICE).verdict is Verdict.PASS


def test_the_request_is_a_chat_completion_for_the_configured_model(server):
    _draft(_drafter(server))
    (body,) = server.requests
    assert body["model"] == "test-model" and body["stream"] is False
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert isinstance(body["seed"], int)
    assert "Authorization" not in server.behaviour.headers[0]


def test_an_api_key_is_sent_as_a_bearer_token_only_when_set(server):
    _draft(_drafter(server, api_key="sekrit"))
    assert server.behaviour.headers[0]["Authorization"] == "Bearer sekrit"
    assert "sekrit" not in repr(LLMConfig(server.url, "m", api_key="sekrit"))


def test_the_prompt_carries_triage_profile_and_the_five_rules():
    request = DraftRequest(
        text=COMPLAINT,
        kind="complaint",
        topics=("wait-time",),
        practice=PRACTICE,
        platform="x",
        max_chars=280,
        mixed=True,
    )
    system, user = (m["content"] for m in build_messages(request))
    # The five rules.
    assert "No patient specifics" in system and "Do not quote, repeat or paraphrase" in system
    assert "Never confirm or deny that the poster is or was a patient" in system
    assert "call the office at (555) 388-9100" in system
    assert "Stay calm" in system
    assert "At most 240 characters" in system and "X" in system
    # The triage and the profile; improvements only for the post's own topics.
    assert "Triage of the post: complaint; topics: wait-time." in user
    assert "Riverside Family Dental" in user and "(555) 388-9100" in user
    assert "added a second check-in station" in user
    assert "billing coordinator" not in user
    assert "thank the poster for the kind words" in user
    # The post is there for context, fenced, and the model is told never to repeat it.
    assert f"<<<\n{COMPLAINT}\n>>>" in user and "never repeat, quote or refer" in user
    assert "quote the post" not in (system + user).lower().replace("do not quote", "")


def test_no_improvement_is_offered_when_none_matches_the_topic():
    request = DraftRequest(
        text="The parking lot is tiny.", kind="complaint", topics=("facility",), practice=PRACTICE
    )
    user = build_messages(request)[1]["content"]
    assert "Do not mention any specific change" in user
    assert "check-in station" not in user and "billing" not in user


def test_a_question_gets_its_intent_and_a_praise_no_improvements():
    q = DraftRequest(
        text="Do you take Delta Dental?", kind="question", topics=(), practice=PRACTICE
    )
    assert "It is about insurance." in build_messages(q)[1]["content"]
    p = DraftRequest(text="Lovely team", kind="praise", topics=("wait-time",), practice=PRACTICE)
    user = build_messages(p)[1]["content"]
    assert "praise" in user and "check-in station" not in user


def test_answers_are_cleaned_of_reasoning_labels_quotes_and_sign_offs():
    raw = (
        '<think>The user wants a reply.</think>\nReply: "Thank you so much for the kind words! '
        'Our team will be glad to hear it."\n\nBest regards,\n— The Riverside team'
    )
    assert clean_reply(raw, PRACTICE) == (
        "Thank you so much for the kind words! Our team will be glad to hear it."
    )
    assert clean_reply("<think>never finished", PRACTICE) == ""


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("asdf qwer zxcv", "too few words"),
        ("lorem ipsum dolor sit amet consectetur adipiscing elit", "not an English reply"),
        ('{"reply": "Thank you for the kind words, we are glad"}', "markup"),
        ("Thank you 12345 67890 13579 24680 11223 34455 66778 for the 99887 kind words", "words"),
        ("Thank you! Please call us at (555) 123-4567 so we can help.", "not the office's"),
        ("Thank you! Please e-mail us at help@example.com so we can help you.", "e-mail"),
        ("Thank you! Please see https://example.com so we can help you today.", "web address"),
        ("Thank you! Please see riverside.com so we can help you with this.", "web address"),
    ],
)
def test_garbage_and_made_up_contact_details_are_refused(text, why):
    assert why in (implausible(text, PRACTICE) or "")


def test_the_office_phone_and_website_are_allowed():
    text = "Thank you! Visit riversidedental.example or call us at 555-388-9100 any time."
    assert implausible(text, PRACTICE) is None


# --- unsafe drafts -------------------------------------------------------------------------------


def test_an_unsafe_draft_naming_the_poster_and_a_treatment_is_fixed(server):
    server.behaviour.reply = (
        "Hi Karen, we're sorry your root canal took so long. "
        "We have added a second check-in station to keep things moving. "
        "Please call our office at (555) 388-9100 so we can talk this through."
    )
    d = _draft(_drafter(server))
    assert d.source == "llm-fixed" and d.verdict is Verdict.PASS
    assert "Karen" not in d.reply and "root canal" not in d.reply
    assert "second check-in station" in d.reply  # the model's safe sentences are kept
    assert d.reason.startswith("the local model's draft was rewritten to pass the linter")
    assert check(d.reply, post=COMPLAINT, practice=PRACTICE).verdict is Verdict.PASS


def test_a_draft_with_nothing_safe_to_keep_is_replaced_by_the_template(server):
    server.behaviour.reply = (
        "Karen, this review is fake. Our records show you never had a root canal with "
        "Dr. Patel, and you missed your last two appointments."
    )
    d = _draft(_drafter(server))
    assert d.source == "template" and d.verdict is Verdict.PASS
    assert "Karen" not in d.reply and "root canal" not in d.reply
    assert "(555) 388-9100" in d.reply
    assert d.reason.startswith("the local model's draft was not used")


def test_the_first_usable_choice_wins(server):
    server.behaviour.reply = ["asdf", GOOD]
    d = _draft(_drafter(server))
    assert d.source == "llm" and d.reply.startswith(GOOD)


def test_on_x_the_sign_off_goes_and_a_too_long_draft_falls_back(server):
    fits = (
        "We're sorry the experience fell short, and we take every single concern like this "
        "seriously. We have added a second check-in station to keep things moving. Please call "
        "our office at (555) 388-9100 so we can talk this through. Thank you so much for letting "
        "us know."
    )
    assert 240 < len(fits) <= 280 < len(f"{fits}\n— The Riverside team")
    server.behaviour.reply = fits
    d = _draft(_drafter(server), platform="x")
    assert d.source == "llm" and d.reply == fits  # without the sign-off, which did not fit
    server.behaviour.reply = f"{fits} {GOOD}"  # over 280 characters however it is cut
    d = _draft(_drafter(server), platform="x", post_id="p2")
    assert d.source == "template" and len(d.reply) <= 280
    assert d.reason == "the local model's draft did not fit the platform"


# --- the model is slow, down or answers garbage --------------------------------------------------


def test_a_slow_server_hits_the_time_limit_and_the_template_is_used(server):
    server.behaviour.delay = 3.0
    started = time.monotonic()
    d = _draft(_drafter(server, timeout=0.5))
    assert time.monotonic() - started < 2.5
    assert d.source == "template" and d.verdict is Verdict.PASS
    assert d.reason == "the local model was not used: no answer within 0.5 s"


def test_a_server_that_trickles_its_answer_still_hits_the_time_limit(server):
    # Each byte comes well within the socket timeout; only a limit on the whole answer stops it.
    server.behaviour.trickle = True
    started = time.monotonic()
    d = _draft(_drafter(server, timeout=0.8))
    assert time.monotonic() - started < 2.5
    assert d.source == "template" and "no answer within 0.8 s" in d.reason


def test_a_500_falls_back_and_the_server_is_left_alone_for_a_while(server):
    server.behaviour.status = 500
    drafter = _drafter(server)
    d = _draft(drafter)
    assert d.source == "template" and d.reason.endswith("HTTP 500")
    d2 = _draft(drafter, post_id="p2")
    assert d2.source == "template" and "after a recent failure" in d2.reason
    assert len(server.requests) == 1  # the second post did not wait on a failing server


def test_the_cool_down_ends(server):
    now = [0.0]
    config = LLMConfig(server.url, "m")
    client = ChatClient(config, cool_down=60, clock=lambda: now[0])
    server.behaviour.status = 500
    with pytest.raises(LLMError, match="HTTP 500"):
        client.complete([{"role": "user", "content": "hi"}])
    server.behaviour.status = 200
    with pytest.raises(LLMError, match="recent failure"):
        client.complete([{"role": "user", "content": "hi"}])
    now[0] = 61
    assert client.complete([{"role": "user", "content": "hi"}]) == [GOOD]


@pytest.mark.parametrize(
    "raw",
    [
        b"this is not json",
        b'{"choices": "nope"}',
        b'{"error": {"message": "model not found"}}',
        b'{"choices": [{"message": {"content": 42}}]}',
        b'{"choices": [{"message": {"role": "assistant"}}]}',
        b"\xff\xfe\x00",
    ],
)
def test_malformed_answers_fall_back(server, raw):
    server.behaviour.raw = raw
    d = _draft(_drafter(server))
    assert d.source == "template" and d.verdict is Verdict.PASS
    assert d.reason.startswith("the local model was not used: the answer")


def test_an_answer_cut_off_at_max_tokens_is_not_used(server):
    server.behaviour.finish_reason = "length"
    d = _draft(_drafter(server))
    assert d.source == "template" and "no complete reply" in d.reason


def test_garbage_text_falls_back(server):
    server.behaviour.reply = "asdf qwer zxcv"
    d = _draft(_drafter(server))
    assert d.source == "template" and "too few words" in d.reason


def test_a_server_that_is_down_falls_back_at_once():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    drafter = LLMDrafter(LLMConfig(f"http://127.0.0.1:{port}", "m", timeout=5))
    started = time.monotonic()
    d = drafter(COMPLAINT, practice=PRACTICE, triage_result=WAIT)
    assert time.monotonic() - started < 3
    assert d.source == "template" and "cannot reach the model server" in d.reason


def test_redirects_are_not_followed(server):
    other = ChatServer()
    try:
        server.behaviour.location = other.url + "/chat/completions"
        d = _draft(_drafter(server))
        assert d.source == "template" and "HTTP 302" in d.reason
        assert other.requests == []  # the post text went nowhere else
    finally:
        other.close()


# --- posts the model is never asked about --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "triage", "needle"),
    [
        ("My husband has crushing chest pain right now", Triaged("emergency"), "911"),
        ("I want to end it all", Triaged("crisis"), "988"),
    ],
)
def test_emergency_and_crisis_posts_never_go_to_the_model(server, text, triage, needle):
    d = _draft(_drafter(server), text=text, triage=triage)
    assert server.requests == []
    assert d.source == "template" and needle in d.reply and d.verdict is Verdict.PASS
    assert d.reason == f"the local model is not asked about {triage.kind} posts"


def test_spam_never_goes_to_the_model(server):
    d = _draft(_drafter(server), text="BUY FOLLOWERS NOW", triage=Triaged("spam"))
    assert server.requests == [] and d.reply == "" and d.source == "none"


def test_the_real_triage_keeps_an_emergency_from_the_model(server):
    d = _drafter(server)(
        "I have crushing chest pain and can't breathe after the visit", practice=PRACTICE
    )
    assert d.kind == "emergency" and server.requests == [] and "911" in d.reply


# --- caching, settings --------------------------------------------------------------------------


def test_the_same_post_is_drafted_once(server):
    drafter = _drafter(server)
    first, second = _draft(drafter), _draft(drafter)
    assert first == second and len(server.requests) == 1
    _draft(drafter, post_id="p2")
    assert len(server.requests) == 2


def test_the_model_is_off_by_default(monkeypatch):
    for name in ("SAFEREPLY_LLM_URL", "SAFEREPLY_LLM_MODEL", "SAFEREPLY_SETTINGS_FILE"):
        monkeypatch.delenv(name, raising=False)
    assert Settings().llm_url == ""
    assert LLMConfig.from_settings(Settings()) is None


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("SAFEREPLY_SETTINGS_FILE", raising=False)
    monkeypatch.setenv("SAFEREPLY_LLM_URL", "http://127.0.0.1:11434/v1")
    monkeypatch.setenv("SAFEREPLY_LLM_MODEL", "llama3.2:3b")
    monkeypatch.setenv("SAFEREPLY_LLM_TIMEOUT", "7.5")
    monkeypatch.setenv("SAFEREPLY_LLM_API_KEY", "k")
    config = LLMConfig.from_settings(load_settings())
    assert config.endpoint == "http://127.0.0.1:11434/v1/chat/completions"
    assert (config.model, config.timeout, config.api_key) == ("llama3.2:3b", 7.5, "k")
    assert config.is_local


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("http://localhost:8080", "http://localhost:8080/v1/chat/completions"),
        ("http://localhost:8000/v1/", "http://localhost:8000/v1/chat/completions"),
        ("http://gpu:8000/v1/chat/completions", "http://gpu:8000/v1/chat/completions"),
    ],
)
def test_the_endpoint_is_built_from_the_base_url(url, endpoint):
    assert LLMConfig(url, "m").endpoint == endpoint


def test_bad_settings_are_refused_with_the_setting_named():
    with pytest.raises(ConfigError, match="SAFEREPLY_LLM_URL"):
        LLMConfig("file:///etc/passwd", "m")
    with pytest.raises(ConfigError, match="SAFEREPLY_LLM_MODEL"):
        LLMConfig("http://127.0.0.1:11434", " ")
    with pytest.raises(ConfigError, match="SAFEREPLY_LLM_TIMEOUT"):
        LLMConfig("http://127.0.0.1:11434", "m", timeout=0)
    with pytest.raises(ConfigError, match="SAFEREPLY_LLM_MODEL"):
        LLMConfig.from_settings(Settings(llm_url="http://127.0.0.1:11434"))


def test_a_hosted_endpoint_is_not_local():
    assert not LLMConfig("https://api.example.com/v1", "m").is_local
    assert LLMConfig("http://192.168.1.20:11434", "m").is_local


def test_the_composer_satisfies_the_core_protocol(server):
    from safereply.core.compose import Composer

    assert isinstance(LLMComposer(ChatClient(LLMConfig(server.url, "m"))), Composer)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def practice_file(tmp_path):
    path = tmp_path / "practice.toml"
    path.write_text(PRACTICE_TOML, encoding="utf-8")
    return str(path)


@pytest.fixture
def stand_in_triage(monkeypatch):
    def triage(text, platform, rating):
        return Triaged("emergency") if "chest pain" in text else WAIT

    monkeypatch.setattr(drafting, "_triage", triage)


def test_cli_draft_llm_with_flags(server, practice_file, stand_in_triage, capsys):
    status = main(
        [
            "draft",
            "--text",
            COMPLAINT,
            "--practice",
            practice_file,
            "--llm-url",
            server.url,
            "--llm-model",
            "test-model",
            "--format",
            "json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["source"] == "llm" and out["reply"].startswith(GOOD)
    assert server.requests[0]["model"] == "test-model"


def test_cli_draft_llm_from_the_environment_in_text(
    server, practice_file, stand_in_triage, monkeypatch, capsys
):
    monkeypatch.delenv("SAFEREPLY_SETTINGS_FILE", raising=False)
    monkeypatch.setenv("SAFEREPLY_LLM_URL", server.url)
    monkeypatch.setenv("SAFEREPLY_LLM_MODEL", "env-model")
    status = main(["draft", "--text", COMPLAINT, "--practice", practice_file, "--llm"])
    out = capsys.readouterr().out
    assert status == 0 and "written by the local model (llm)" in out
    assert server.requests[0]["model"] == "env-model"


def test_cli_draft_llm_falls_back_and_says_why(server, practice_file, stand_in_triage, capsys):
    server.behaviour.status = 503
    args = ["draft", "--text", COMPLAINT, "--practice", practice_file, "--llm-url", server.url]
    status = main([*args, "--llm-model", "m", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    assert status == 0 and out["source"] == "template" and out["verdict"] == "pass"
    assert out["reason"] == "the local model was not used: the model server answered HTTP 503"


def test_cli_draft_llm_without_a_server_is_a_usage_error(practice_file, monkeypatch, capsys):
    for name in ("SAFEREPLY_LLM_URL", "SAFEREPLY_LLM_MODEL", "SAFEREPLY_SETTINGS_FILE"):
        monkeypatch.delenv(name, raising=False)
    status = main(["draft", "--text", "Lovely team", "--practice", practice_file, "--llm"])
    assert status == 2 and "SAFEREPLY_LLM_URL" in capsys.readouterr().err


def test_cli_draft_without_llm_asks_no_model(server, practice_file, stand_in_triage, monkeypatch):
    monkeypatch.setenv("SAFEREPLY_LLM_URL", server.url)
    monkeypatch.setenv("SAFEREPLY_LLM_MODEL", "m")
    assert main(["draft", "--text", COMPLAINT, "--practice", practice_file]) == 0
    assert server.requests == []
