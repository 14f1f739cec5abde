"""Drafts from a language model the practice runs itself, gated by the linter, templates behind.

The core keeps the :class:`~safereply.core.compose.Composer` protocol and does no I/O; this module
is the network side. :class:`LLMComposer` sends one chat-completions request to an
OpenAI-compatible endpoint (Ollama, llama.cpp's server, vLLM) and proposes what comes back::

    post ──► triage ──► emergency / crisis / spam? ──yes──► templates (the model is never asked)
                              │ no
                              ▼
                 prompt: triage + profile + rules ──► model (time limit) ──► clean, sanity-check
                                                                                   │
              lint ── pass ──► "llm"                                               │
                │ fails                                                            │
                ▼                                                                  │
           fix() ── pass, most of it kept ──► "llm-fixed"     ◄────────────────────┘
                │ otherwise, or the model is slow, down or answers garbage
                ▼
           TemplateComposer ──► "template" (and the acknowledgement behind it)

Nothing here is used unless the practice sets ``SAFEREPLY_LLM_URL`` and ``SAFEREPLY_LLM_MODEL``.
The post text goes to that endpoint, so it must be one the practice runs or trusts. Redirects and
proxies are not followed: the request goes to the configured address or nowhere.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.client
import ipaddress
import json
import logging
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from safereply.core.compose import Draft, DraftRequest, Proposal, TemplateComposer, fix
from safereply.core.compose import draft as core_draft
from safereply.core.compose.drafting import question_intent
from safereply.core.compose.rewriting import segment
from safereply.core.lint import Linter, default_linter
from safereply.core.practice import Practice
from safereply.core.vocab import Verdict
from safereply.errors import ConfigError

__all__ = [
    "MODEL_KINDS",
    "ChatClient",
    "LLMComposer",
    "LLMConfig",
    "LLMDrafter",
    "LLMError",
    "build_messages",
    "clean_reply",
]

log = logging.getLogger(__name__)

#: The only post kinds the model is asked about. Emergency and crisis posts keep their templates
#: (911 / 988), spam gets no reply, and a kind this list does not know goes to the templates too.
MODEL_KINDS = frozenset({"complaint", "praise", "question", "other"})

#: The longest answer body read from the endpoint; anything longer is garbage for a short reply.
_MAX_BODY = 256 * 1024
#: The longest reply text taken from the model before any checks (a reply is a paragraph).
_MAX_REPLY = 2000
#: After a failure (time limit, refused connection, HTTP error) the model is not asked again for
#: this many seconds, so a batch or a busy inbox does not wait out the time limit post after post.
_COOL_DOWN = 60.0


class LLMError(Exception):
    """The endpoint could not give a usable answer (the message says why, never the post)."""


@dataclass(frozen=True, slots=True)
class LLMConfig:
    """Where the model is and how long to wait for it.

    ``url`` is the server's base URL (``http://127.0.0.1:11434/v1`` for Ollama,
    ``http://127.0.0.1:8080`` for llama.cpp's server, ``http://127.0.0.1:8000/v1`` for vLLM) or
    the full ``.../chat/completions`` address. ``timeout`` is the time limit for the whole answer.

    Raises:
        ConfigError: the URL is not http(s) with a host, the model name is empty, or the time
            limit is not positive.
    """

    url: str
    model: str
    timeout: float = 20.0
    api_key: str = field(default="", repr=False)
    temperature: float = 0.4
    max_tokens: int = 400

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"SAFEREPLY_LLM_URL {self.url!r} is not an http(s) address with a host, "
                "e.g. http://127.0.0.1:11434/v1"
            )
        if not self.model.strip():
            raise ConfigError(
                "SAFEREPLY_LLM_MODEL is required with SAFEREPLY_LLM_URL (e.g. llama3.2:3b)"
            )
        if not self.timeout > 0:
            raise ConfigError(f"SAFEREPLY_LLM_TIMEOUT must be above 0 seconds, not {self.timeout}")

    @property
    def endpoint(self) -> str:
        """Return the chat-completions address the request is sent to."""
        base = self.url.strip().rstrip("/")
        if base.endswith("/chat/completions"):
            return base
        if re.search(r"/v\d+$", base):
            return f"{base}/chat/completions"
        return f"{base}/v1/chat/completions"

    @property
    def host(self) -> str:
        """Return the endpoint's host name (for messages; never the whole URL with a key)."""
        return urllib.parse.urlsplit(self.url.strip()).hostname or ""

    @property
    def is_local(self) -> bool:
        """Return True when the endpoint is this machine or a private network address."""
        host = self.host.lower()
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal", ".lan")):
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return "." not in host  # a bare name on the local network, e.g. "gpu-box"
        return address.is_loopback or address.is_private or address.is_link_local

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> LLMConfig | None:
        """Return the configuration from :class:`~safereply.settings.Settings`, or None when off.

        ``overrides`` (``url``, ``model``, ``timeout``, ``api_key``; None means "not given") win
        over the settings, as command-line flags do.
        """
        values: dict[str, Any] = {
            "url": getattr(settings, "llm_url", "") or "",
            "model": getattr(settings, "llm_model", "") or "",
            "timeout": getattr(settings, "llm_timeout", 20.0),
            "api_key": getattr(settings, "llm_api_key", "") or "",
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        if not values["url"].strip():
            return None
        return cls(**values)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: the post text goes to the configured address and nowhere else."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirect refused ({msg})", headers, fp)


class ChatClient:
    """A minimal OpenAI-compatible chat-completions client (standard library only).

    One POST per call, no streaming, no proxies, no redirects, a hard time limit on the whole
    exchange, and a cap on the answer's size. After a failure the endpoint is left alone for
    ``cool_down`` seconds. Safe to share between threads.
    """

    def __init__(
        self,
        config: LLMConfig,
        *,
        cool_down: float = _COOL_DOWN,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.cool_down = cool_down
        self.clock = clock
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
        self._lock = threading.Lock()
        self._resting_until = 0.0
        self._last_failure = ""

    def complete(self, messages: Sequence[dict[str, str]], *, seed: int | None = None) -> list[str]:
        """Return the text of every complete choice the model answered with.

        Raises:
            LLMError: the endpoint is resting after a failure, is down, is slower than the time
                limit, answers an HTTP error, or answers something that is not a chat completion.
        """
        with self._lock:
            if self.clock() < self._resting_until:
                raise LLMError(f"skipped after a recent failure ({self._last_failure})")
        try:
            body = self._with_deadline(lambda: self._post(messages, seed))
            return _choices(body)
        except LLMError as exc:
            if not isinstance(exc, _BadAnswer):
                with self._lock:
                    self._resting_until = self.clock() + self.cool_down
                    self._last_failure = str(exc)
            raise

    def _payload(self, messages: Sequence[dict[str, str]], seed: int | None) -> bytes:
        payload: dict[str, Any] = {
            "model": self.config.model,
            "messages": list(messages),
            "temperature": self.config.temperature,
            "max_tokens": self.config.max_tokens,
            "stream": False,
        }
        if seed is not None:
            payload["seed"] = seed
        return json.dumps(payload).encode("utf-8")

    def _post(self, messages: Sequence[dict[str, str]], seed: int | None) -> bytes:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        request = urllib.request.Request(
            self.config.endpoint, data=self._payload(messages, seed), headers=headers
        )
        try:
            with self._opener.open(request, timeout=self.config.timeout) as response:
                body = response.read(_MAX_BODY + 1)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise LLMError(f"the model server answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise LLMError(f"cannot reach the model server: {exc.reason}") from None
        except TimeoutError:
            raise LLMError(f"no answer within {self.config.timeout:g} s") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:  # dropped, malformed
            raise LLMError(f"the connection failed: {type(exc).__name__}") from None
        if len(body) > _MAX_BODY:
            raise _BadAnswer("the answer is too large")
        return body

    def _with_deadline(self, work: Callable[[], bytes]) -> bytes:
        """Run ``work`` in a daemon thread and give up when the time limit passes.

        The socket timeout alone bounds each read, not the whole answer: a server that sends a
        byte every few seconds would never trip it.
        """
        box: dict[str, Any] = {}
        done = threading.Event()

        def run() -> None:
            try:
                box["value"] = work()
            except BaseException as exc:  # handed to the caller's thread
                box["error"] = exc
            finally:
                done.set()

        threading.Thread(target=run, name="safereply-llm", daemon=True).start()
        if not done.wait(self.config.timeout):
            raise LLMError(f"no answer within {self.config.timeout:g} s")
        if "error" in box:
            raise box["error"]
        return box["value"]


class _BadAnswer(LLMError):
    """The server answered, but not with a usable chat completion (no cool-down: it is up)."""


def _choices(body: bytes) -> list[str]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _BadAnswer("the answer is not JSON") from None
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list):
        raise _BadAnswer("the answer has no 'choices' list")
    out: list[str] = []
    for choice in choices:
        if not isinstance(choice, dict) or choice.get("finish_reason") == "length":
            continue  # cut off at max_tokens: half a sentence is not a reply
        message = choice.get("message")
        content = message.get("content") if isinstance(message, dict) else choice.get("text")
        if isinstance(content, str) and content.strip():
            out.append(content)
    if not out:
        raise _BadAnswer("the answer has no complete reply text")
    return out


# --- the prompt ----------------------------------------------------------------------------------

_KIND_GUIDE = {
    "complaint": (
        "The post is a complaint. Say you are sorry the experience fell short and that the "
        "concern matters, in general terms, without admitting or denying anything that happened."
    ),
    "praise": (
        "The post is praise. Thank the poster warmly and say the team will be glad to hear it. "
        "The invitation to call may be left out of a thank-you."
    ),
    "question": (
        "The post is a question. Give a short, general answer that is true of any practice "
        "(for example that the front desk can help with it), then invite a call. Never give "
        "medical or dental advice, prices, or promises of coverage."
    ),
    "other": (
        "Thank the poster for reaching out, and invite a call if there is anything to help with."
    ),
}
_INTENT_HINT = {
    "clinical": (
        "It is about care or symptoms: every situation is different, so no advice in public."
    ),
    "records": "It is about records or forms.",
    "insurance": "It is about insurance.",
    "cost": "It is about cost or payment.",
    "new-patients": "It is about taking new patients.",
    "scheduling": "It is about appointments or scheduling.",
    "hours": "It is about opening hours.",
    "location": "It is about the location or getting there.",
    "services": "It is about the services offered.",
}


def _budget(request: DraftRequest) -> int:
    """Return the length to ask for: room under the platform limit, and short in any case."""
    return max(120, min(600, request.max_chars - 40))


def build_messages(request: DraftRequest) -> list[dict[str, str]]:
    """Return the chat messages for one post: the five rules, the triage and the profile.

    The post is given for context only; the model is told never to repeat or refer to its
    details. Improvements are listed only for a complaint, and only those on the post's topics.
    """
    practice = request.practice
    kind = request.kind
    lines = [
        f"Practice: {practice.name}",
        f"Office phone: {practice.phone}",
    ]
    if practice.address and kind == "question":
        lines.append(f"Office address: {practice.address}")
    topics = ", ".join(request.topics) if request.topics else "no particular topic"
    lines.append(f"Triage of the post: {kind}; topics: {topics}.")
    lines.append(_KIND_GUIDE.get(kind, _KIND_GUIDE["other"]))
    lines += _kind_lines(request)
    if request.discloses_health:
        lines.append("The post mentions health details: do not refer to them in any way.")
    lines.append(
        "The post, for context only (never repeat, quote or refer to anything in it):\n"
        f"<<<\n{request.text}\n>>>"
    )
    return [
        {"role": "system", "content": _system_prompt(request)},
        {"role": "user", "content": "\n".join(lines)},
    ]


def _system_prompt(request: DraftRequest) -> str:
    """Return the five rules every reply must follow, with the office phone and the length to
    keep under."""
    practice = request.practice
    budget = _budget(request)
    where = " (this is for X, which counts every character)" if request.platform == "x" else ""
    return "\n".join(
        [
            "You write short public replies, on behalf of a medical or dental practice, to "
            "online reviews and social media posts. Anyone can read the reply, so it must follow "
            "these rules without exception:",
            "1. No patient specifics: no names (not even the poster's), no dates or times, no "
            "treatments, procedures, conditions, symptoms, medications, results, bills or "
            "amounts, and nothing else that the post says. Do not quote, repeat or paraphrase "
            "the post.",
            "2. Never confirm or deny that the poster is or was a patient: do not write 'your "
            "visit', 'your appointment', 'your treatment', 'when you came in', 'our records', "
            "'we have no record of you' or anything like them.",
            f"3. Invite the poster to call the office at {practice.phone}, using exactly that "
            "number. Give no other phone number, e-mail address or web address, and do not "
            "promise to call, e-mail or message them.",
            "4. Stay calm, kind and professional: do not argue, correct, blame, defend, or say "
            "the post is false; give no medical advice; promise nothing about refunds, staff or "
            "outcomes.",
            f"5. At most {budget} characters{where}. Plain text in English: one short paragraph, "
            "no greeting by name, no sign-off, no hashtags, emoji, markdown or quotation marks.",
            "Answer with the reply text only.",
        ]
    )


def _kind_lines(request: DraftRequest) -> list[str]:
    """Return the lines only some kinds get: a question's intent hint; for a complaint, thanks
    for any praise and the practice's changes on its topics (or not to mention any)."""
    kind = request.kind
    practice = request.practice
    lines: list[str] = []
    if kind == "question":
        health = request.discloses_health or "clinical-care" in request.topics
        hint = _INTENT_HINT.get(question_intent(request.text, health=health))
        if hint:
            lines.append(hint)
    if kind == "complaint":
        if request.mixed:
            lines.append("The post also praises something: thank the poster for the kind words.")
        changes = _improvements(practice, request.topics)
        if changes:
            lines.append(
                "Changes the practice has made on these topics; you may mention one, as "
                "something the practice has done, without linking it to this post:"
            )
            lines.extend(f"- {text}" for text in changes)
        else:
            lines.append("Do not mention any specific change or improvement.")
    return lines


def _improvements(practice: Practice, topics: Sequence[str]) -> list[str]:
    out: list[str] = []
    for topic in topics:
        for item in practice.improvements_for(topic)[:2]:
            if item.text not in out:
                out.append(item.text)
    return out


# --- what comes back -----------------------------------------------------------------------------

_THINK = re.compile(r"<think>.*?</think>", re.IGNORECASE | re.DOTALL)
_FENCE = re.compile(r"^```\w*\s*$", re.MULTILINE)
_LABEL = re.compile(
    r"^\s*(?:(?:here(?:'s| is)\s+(?:a|the|my)\s+(?:\w+\s+){0,3}(?:reply|response)[^:\n]{0,40})"
    r"|reply|response|draft)\s*:\s*",
    re.IGNORECASE,
)
_QUOTES = (('"', '"'), ("“", "”"), ("'", "'"))
_CLOSING = re.compile(
    r"^\s*(?:[—–~-].*|(?:best|warm(?:est)?|kind)?\s*(?:regards|wishes|sincerely|cheers|"
    r"thanks|thank\s+you|best)[,!.]?)\s*$",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[{}<>\[\]|`\\*#]|https?://|www\.", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_DOMAIN = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|co|us|health|dental|care)\b")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Words nearly every English reply has: an answer with fewer than two of them is not one.
_COMMON_WORDS = (
    "we you the to and our for your us of a is are thank thanks please this that it in with "
    "be can would call glad sorry here team"
)
_COMMON = frozenset(_COMMON_WORDS.split())


def clean_reply(text: str, practice: Practice) -> str:
    """Return the model's answer as one plain paragraph: no reasoning, labels, quotes, sign-off.

    Returns "" for an answer that is left unfinished (an unclosed ``<think>``).
    """
    text = _THINK.sub("", text)
    if "<think>" in text.lower():
        return ""
    text = _FENCE.sub("", text).strip()
    text = _LABEL.sub("", text, count=1).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    sign_off = (practice.sign_off or "").lower()
    while len(lines) > 1 and (
        _CLOSING.match(lines[-1])
        or (sign_off and sign_off in lines[-1].lower())
        or (practice.name.lower() in lines[-1].lower() and len(lines[-1].split()) <= 8)
    ):
        lines.pop()
    text = re.sub(r"\s+", " ", " ".join(lines)).strip()
    for left, right in _QUOTES:
        if len(text) > 2 and text.startswith(left) and text.endswith(right):
            text = text[1:-1].strip()
    return text


def implausible(text: str, practice: Practice) -> str | None:
    """Return why a cleaned answer cannot be a reply (garbage, markup, foreign contact details).

    None means it may go to the linter. Contact details other than the practice's own are refused
    here rather than repaired: a model that makes up a number or an address is not trusted with
    the rest of the reply either.
    """
    if not text:
        return "empty"
    if len(text) > _MAX_REPLY:
        return "too long"
    words = _WORD.findall(text)
    if len(words) < 6:
        return "too few words"
    letters = sum(c.isalpha() for c in text)
    if letters < 0.6 * sum(not c.isspace() for c in text):
        return "not mostly words"
    if sum(w.lower() in _COMMON for w in words) < 2:
        return "not an English reply"
    website = (practice.website or "").lower().removeprefix("https://").removeprefix("http://")
    website = website.removeprefix("www.").rstrip("/")
    scrubbed = text.replace(practice.website, "") if practice.website else text
    if _MARKUP.search(scrubbed):
        return "markup or a web address"
    if _EMAIL.search(text):
        return "an e-mail address"
    for m in _DOMAIN.finditer(text):
        if not website or website not in m.group().lower():
            return "a web address"
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if len(digits) >= 7 and not (
            digits.endswith(practice.phone_digits) or practice.phone_digits.endswith(digits)
        ):
            return "a phone number that is not the office's"
    return None


def _cites(reply: str, practice: Practice, topics: Sequence[str]) -> str | None:
    """Return the recorded improvement the reply mentions, if any (most of its words appear)."""
    low = reply.lower()
    for topic in topics:
        for item in practice.improvements_for(topic):
            words = {w.lower() for w in _WORD.findall(item.text) if len(w) > 3}
            if words and sum(w in low for w in words) >= max(1, round(0.6 * len(words))):
                return item.text
    return None


def _seed(request: DraftRequest) -> int:
    return int.from_bytes(hashlib.sha256(request.seed.encode("utf-8")).digest()[:4], "big")


def _sign(reply: str, practice: Practice) -> str:
    return f"{reply}\n— {practice.sign_off}" if practice.sign_off else reply


class LLMComposer:
    """Propose the model's reply for a post, repaired with ``fix`` when it does not pass.

    Yields nothing (so drafting falls to the templates) for emergency, crisis, spam and unknown
    kinds, when the endpoint is slow, down or answers garbage, and when the repaired reply would
    keep too little of the model's text. ``outcome`` says what happened on the last ``propose``;
    use one composer per draft when you read it (:class:`LLMDrafter` does).
    """

    name = "llm"

    def __init__(self, client: ChatClient, *, linter: Linter | None = None) -> None:
        self.client = client
        self.linter = linter
        self.outcome: str | None = None

    def propose(self, request: DraftRequest) -> Iterator[Proposal]:
        """Yield the model's reply (signed, then unsigned), or its repaired version, or nothing."""
        self.outcome = None
        if request.kind not in MODEL_KINDS:
            self.outcome = f"the local model is not asked about {request.kind} posts"
            return
        try:
            answers = self.client.complete(build_messages(request), seed=_seed(request))
        except LLMError as exc:
            self.outcome = f"the local model was not used: {exc}"
            log.warning("llm draft fell back to the templates: %s", exc)
            return
        linter = self.linter or default_linter()
        reasons: list[str] = []
        for answer in answers:
            proposal, why = self._one(answer, request, linter)
            if proposal is None:
                reasons.append(why)
                continue
            # Said only if this proposal is the draft; the drafter knows which one won.
            self.outcome = why or "the local model's draft did not fit the platform"
            cited = _cites(proposal.reply, request.practice, request.topics)
            yield Proposal(_sign(proposal.reply, request.practice), cited, proposal.source)
            yield Proposal(proposal.reply, cited, proposal.source)
        if reasons and self.outcome is None:
            self.outcome = "the local model's draft was not used: " + "; ".join(
                dict.fromkeys(reasons)
            )
        log.info("llm draft: %s", self.outcome or "passed the linter")

    def _one(
        self, answer: str, request: DraftRequest, linter: Linter
    ) -> tuple[Proposal | None, str]:
        practice = request.practice
        text = clean_reply(answer, practice)
        why = implausible(text, practice)
        if why is not None:
            return None, why
        repaired = fix(text, post=request.text, practice=practice, linter=linter)
        if repaired.verdict is not Verdict.PASS:
            return None, "it did not pass the linter, even after fix"
        if not repaired.changes:
            return Proposal(text, source="llm"), ""
        actions = [c.action for c in repaired.changes]
        dropped = sum(a in ("remove", "replace") for a in actions)
        if "fallback" in actions or dropped * 2 > len(segment(text)):
            return None, "fix had to replace most of it"
        codes = sorted({c.code for c in repaired.changes if c.code})
        note = "the local model's draft was rewritten to pass the linter"
        return Proposal(repaired.reply, source="llm-fixed"), (
            f"{note} ({', '.join(codes)})" if codes else note
        )


class LLMDrafter:
    """``draft()`` with the local model first: the callable the CLI and the inbox use.

    It has the signature of :func:`safereply.core.compose.draft` (and of ``Analysers.compose``)
    and returns a :class:`~safereply.core.compose.Draft` whose ``source`` is ``llm``,
    ``llm-fixed``, ``template``, ``acknowledgement`` or ``none``; ``reason`` says why the model's
    draft was rewritten or not used. Drafts from the model are remembered (``cache_size``
    posts), so a page that shows the suggestion and the button that saves it see the same text.
    """

    def __init__(
        self,
        config: LLMConfig,
        *,
        client: ChatClient | None = None,
        cache_size: int = 256,
        linter: Linter | None = None,
    ) -> None:
        self.config = config
        self.client = client or ChatClient(config)
        self.linter = linter
        if not config.is_local:
            log.warning(
                "drafting sends post text to %s, which is not this machine or a private network",
                config.host,
            )
        self.cache_size = cache_size
        self._cache: OrderedDict[Any, Draft] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(
        self,
        text: str,
        *,
        practice: Practice,
        platform: str | None = None,
        rating: float | None = None,
        post_id: Any = None,
        triage_result: Any = None,
        seed: int | str | None = None,
        linter: Linter | None = None,
    ) -> Draft:
        """Draft a reply to one post; see :func:`safereply.core.compose.draft`."""
        triage_key = None
        if triage_result is not None:
            triage_key = (
                str(getattr(triage_result.kind, "value", triage_result.kind)),
                tuple(str(getattr(t, "value", t)) for t in triage_result.topics),
            )
        key = (text, practice, platform, rating, str(post_id), str(seed), triage_key)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        composer = LLMComposer(self.client, linter=linter or self.linter)
        result = core_draft(
            text,
            practice=practice,
            platform=platform,
            rating=rating,
            post_id=post_id,
            triage_result=triage_result,
            seed=seed,
            composers=(composer, TemplateComposer()),
            linter=linter or self.linter,
        )
        model_draft_as_is = result.source == "llm"
        if composer.outcome and result.reason is None and not model_draft_as_is:
            result = dataclasses.replace(result, reason=composer.outcome)
        if result.source.startswith("llm"):
            with self._lock:
                self._cache[key] = result
                while len(self._cache) > self.cache_size:
                    self._cache.popitem(last=False)
        return result
