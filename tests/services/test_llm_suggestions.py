"""The inbox's suggested reply from the practice's own model, when the setting is on.

The model is a chat-completions server on 127.0.0.1 in a thread of the test.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from factories import add_practice

from safereply.compose_llm import LLMDrafter
from safereply.core.practice import Practice
from safereply.services import SYSTEM, NewPost, build_services
from safereply.settings import Settings

PROFILE = Practice(name="Willow Creek Dental", phone="(555) 610-4400", sign_off="Willow Creek")
MODEL_REPLY = (
    "We're sorry the experience fell short, and we take every concern seriously. "
    "Please call our office at (555) 610-4400 so we can talk this through."
)


@contextmanager
def chat_server(reply: str) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Yield the base URL of a chat-completions server that always answers ``reply``."""
    requests: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            requests.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            body = json.dumps(
                {"choices": [{"message": {"content": reply}, "finish_reason": "stop"}]}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _services(store, clock, **llm: str):
    settings = Settings(environment="test", secret_key="x" * 40, **llm)
    services = build_services(store, settings, clock=clock)
    return services, add_practice(services, PROFILE)


def _save_event(services, pid: int, post_id: int) -> dict[str, Any]:
    events = services.audit.events(SYSTEM, pid, object_id=post_id)
    return [e for e in events if e["action"] == "draft.save"][-1]


def test_suggestions_come_from_the_model_when_the_setting_is_on(store, clock):
    with chat_server(MODEL_REPLY) as (url, requests):
        services, pid = _services(store, clock, llm_url=url, llm_model="local-model")
        inbox = services.inbox
        assert isinstance(inbox.analysers.compose, LLMDrafter)
        complaint = inbox.receive(
            SYSTEM,
            pid,
            NewPost(
                platform="google",
                external_id="r1",
                rating=1,
                text="Waited two hours past my appointment and the front desk was rude.",
            ),
        ).post_id
        draft = inbox.suggest(SYSTEM, complaint)["draft"]
        assert draft["text"] == f"{MODEL_REPLY}\n— Willow Creek"
        assert draft["source"] == "suggested" and draft["verdict"] == "pass"
        assert _save_event(services, pid, complaint)["detail"]["composer"] == "llm"
        assert [r["model"] for r in requests] == ["local-model"]
        # The page shows the suggestion before it is saved: the same text, and no second request.
        again = inbox.analysers.compose(
            "Waited two hours past my appointment and the front desk was rude.",
            practice=PROFILE,
            platform="google",
            rating=1,
            post_id=str(complaint),
        )
        assert again.reply == draft["text"] and len(requests) == 1

        emergency = inbox.receive(
            SYSTEM,
            pid,
            NewPost(
                platform="facebook",
                external_id="f1",
                text="I have crushing chest pain and can't breathe after the visit",
            ),
        ).post_id
        urgent = inbox.suggest(SYSTEM, emergency)["draft"]
        assert "911" in urgent["text"] and len(requests) == 1  # never sent to the model
        assert _save_event(services, pid, emergency)["detail"]["composer"] == "template"


def test_without_the_setting_the_inbox_keeps_the_templates(store, clock):
    services, pid = _services(store, clock)
    assert not isinstance(services.inbox.analysers.compose, LLMDrafter)
    post = services.inbox.receive(
        SYSTEM, pid, NewPost(platform="google", external_id="r1", text="Lovely team, thank you!")
    ).post_id
    assert services.inbox.suggest(SYSTEM, post)["draft"]["verdict"] == "pass"
    assert _save_event(services, pid, post)["detail"]["composer"] == "template"
