"""``safereply draft`` and ``safereply fix``: propose replies, and rewrite unsafe ones.

``draft`` reads posts (plain text, or JSON Lines ``{"id", "text", "platform"?, "rating"?}``) and a
practice profile (``--practice FILE``, required) and writes one reply per post:
``{"id", "reply", "verdict", "kind", "topics", ...}``. ``fix`` reads replies (plain text, or
``{"id", "reply", "post"?}``) and writes ``{"id", "reply", "verdict", "changes": [...]}``.

A bad line yields ``{"id", "error": "line N: ..."}`` and the batch goes on; the exit status is
then 2.
A reply that does not pass the linter (which the composer is built never to produce) gives exit 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from safereply.cli.io import (
    Exit,
    Record,
    Styler,
    UsageError,
    add_input_arguments,
    emit_json,
    read_records,
    require_rating,
    require_text,
    star_rating,
)
from safereply.errors import InputError, RecordError

__all__ = ["register", "run_draft", "run_fix"]

_VERDICT_STYLE = {"pass": ("green",), "warn": ("yellow",), "block": ("bold", "red")}


def register(subparsers: Any) -> None:
    """Add the ``draft`` and ``fix`` subcommands."""
    draft = subparsers.add_parser(
        "draft",
        help="propose a safe reply to each post for a practice profile",
        description=(
            "Propose a reply per post. Reads plain text (one post) or JSON Lines "
            '{"id", "text", "platform"?, "rating"?}. Every reply passes the linter; spam gets no '
            "reply and a reason. Wording varies between posts, reproducibly (--seed)."
        ),
    )
    add_input_arguments(draft, text_flag="--text", text_help="draft a reply to this post text")
    draft.add_argument(
        "--practice",
        required=True,
        metavar="FILE",
        help="the practice profile (TOML): name, phone, sign-off, improvements",
    )
    draft.add_argument(
        "--rating",
        type=star_rating,
        default=None,
        metavar="N",
        help="the post's star rating, 1-5 (for --text or plain input; a JSONL line's own wins)",
    )
    draft.add_argument(
        "--platform",
        default=None,
        metavar="NAME",
        help="where the post is, e.g. google or x (for --text or plain input; a line's own wins)",
    )
    draft.add_argument("--seed", type=int, default=None, help="vary the wording reproducibly")
    llm = draft.add_argument_group(
        "local language model",
        "Draft with a model the practice runs behind an OpenAI-compatible endpoint (Ollama, "
        "llama.cpp, vLLM). The post text is sent to that endpoint. Every draft is still linted; "
        "a failing one is fixed or replaced by the template draft.",
    )
    llm.add_argument(
        "--llm",
        action="store_true",
        help="use the model of SAFEREPLY_LLM_URL and SAFEREPLY_LLM_MODEL (or the flags below)",
    )
    llm.add_argument("--llm-url", metavar="URL", help="the server's base URL (implies --llm)")
    llm.add_argument("--llm-model", metavar="NAME", help="the model name (implies --llm)")
    llm.add_argument(
        "--llm-timeout",
        type=float,
        metavar="SECONDS",
        help="time limit per draft before the template is used (default: 20)",
    )
    draft.set_defaults(func=run_draft)

    fix = subparsers.add_parser(
        "fix",
        help="rewrite unsafe replies into safe ones, listing every change",
        description=(
            "Rewrite replies so they pass the linter. Reads plain text (one reply) or JSON Lines "
            '{"id", "reply", "post"?}. Keeps the apology, thanks and general improvements; '
            "removes or replaces names, dates, health details, confirmations, contact promises, "
            "defensive sentences and advice; adds the invitation to call."
        ),
    )
    add_input_arguments(fix, text_flag="--text", text_help="rewrite this reply text")
    fix.add_argument(
        "--practice",
        metavar="FILE",
        help="the practice profile (TOML); its phone is the number the rewrite offers",
    )
    fix.add_argument(
        "--post", metavar="TEXT", help="the post the reply answers (for --text or plain input)"
    )
    fix.add_argument("--seed", type=int, default=None, help="vary the wording reproducibly")
    fix.set_defaults(func=run_fix)


def _safely(record: Record, work) -> dict[str, Any]:
    """Run ``work`` on a record; turn a bad record into ``{"id", "error"}`` naming its line."""
    if record.error is not None:
        return {"id": record.id, "error": record.error}
    try:
        return work(record)
    except RecordError as exc:
        return {"id": record.id, "error": str(exc)}
    except InputError as exc:
        return {"id": record.id, "error": f"line {record.line}: {exc}"}


def _finish(results, args: argparse.Namespace, out: TextIO, write_text) -> int:
    had_errors = False
    worst_ok = True
    if args.format == "json":
        for result in results:  # streamed: a long batch shows progress
            had_errors |= "error" in result
            worst_ok &= result.get("verdict", "pass") == "pass"
            emit_json(result, out)
    else:
        results = list(results)
        had_errors = any("error" in r for r in results)
        worst_ok = all(r.get("verdict", "pass") == "pass" for r in results)
        write_text(results, out, Styler(out, args.color))
    if had_errors:
        return Exit.USAGE
    return Exit.OK if worst_ok else Exit.FINDINGS


def _header(result: dict[str, Any], style: Styler, extra: str) -> str:
    verdict = result["verdict"]
    return (
        f"{style(str(result['id']), 'bold')}  {style(verdict, *_VERDICT_STYLE[verdict])}  {extra}"
    )


def _indent(text: str) -> str:
    return "".join(f"    {line}\n" for line in text.splitlines() or [""])


def _write_drafts(results: list[dict[str, Any]], out: TextIO, style: Styler) -> None:
    for result in results:
        if "error" in result:
            out.write(f"{style(str(result['id']), 'bold')}  {style('error', 'red')}  ")
            out.write(f"{result['error']}\n")
            continue
        topics = ", ".join(result["topics"]) or "no topic"
        out.write(_header(result, style, f"{result['kind']} ({topics})") + "\n")
        if result["reply"]:
            out.write(_indent(result["reply"]))
        if result.get("reason"):
            out.write(style(f"    ↳ {result['reason']}", "dim") + "\n")
        if result.get("cited_improvement"):
            out.write(style(f"    ↳ cites: {result['cited_improvement']}", "dim") + "\n")
        if str(result.get("source", "")).startswith("llm"):
            out.write(style(f"    ↳ written by the local model ({result['source']})", "dim") + "\n")


def _write_fixes(results: list[dict[str, Any]], out: TextIO, style: Styler) -> None:
    for result in results:
        if "error" in result:
            out.write(f"{style(str(result['id']), 'bold')}  {style('error', 'red')}  ")
            out.write(f"{result['error']}\n")
            continue
        n = len(result["changes"])
        out.write(_header(result, style, f"{n} change{'s' if n != 1 else ''}") + "\n")
        out.write(_indent(result["reply"]))
        for change in result["changes"]:
            code = f"{change['code']} " if change.get("code") else ""
            what = change["before"] or change["after"]
            out.write(style(f"    ↳ {code}{change['action']}: {what!r}", "dim") + "\n")
            out.write(style(f"      why: {change['why']}", "dim") + "\n")


def run_draft(args: argparse.Namespace, *, stdin: Any = None, stdout: TextIO | None = None) -> int:
    """Draft a reply to every post of the input; return the exit status."""
    from safereply.core.compose import draft
    from safereply.core.practice import load_practice

    out = stdout or sys.stdout
    practice = load_practice(args.practice)  # ProfileError names the field: exit 2 in main()
    if args.llm or args.llm_url or args.llm_model:
        draft = _llm_drafter(args)

    def work(record: Record) -> dict[str, Any]:
        text = require_text(record, "text")
        platform = require_text(record, "platform", required=False)
        rating = require_rating(record)
        if platform is None:
            platform = args.platform
        if rating is None:
            rating = args.rating
        assert text is not None
        result = draft(
            text,
            practice=practice,
            platform=platform,
            rating=rating,
            post_id=record.id,
            seed=args.seed,
        )
        return result.to_dict(id=record.id)

    records = read_records(args.input, field="text", inline=args.inline, stdin=stdin)
    return _finish((_safely(r, work) for r in records), args, out, _write_drafts)


def _llm_drafter(args: argparse.Namespace):
    """Return ``draft`` with the local model first, from the settings and the flags."""
    from safereply.compose_llm import LLMConfig, LLMDrafter
    from safereply.settings import load_settings

    config = LLMConfig.from_settings(
        load_settings(), url=args.llm_url, model=args.llm_model, timeout=args.llm_timeout
    )
    if config is None:
        raise UsageError(
            "--llm needs a model server: set SAFEREPLY_LLM_URL and SAFEREPLY_LLM_MODEL, "
            "or give --llm-url and --llm-model"
        )
    if not config.is_local:
        print(
            f"safereply: note: post text is sent to {config.host}, which is not this machine "
            "or a private network",
            file=sys.stderr,
        )
    return LLMDrafter(config)


def run_fix(args: argparse.Namespace, *, stdin: Any = None, stdout: TextIO | None = None) -> int:
    """Rewrite every reply of the input; return the exit status."""
    from safereply.core.compose import fix
    from safereply.core.practice import load_practice

    out = stdout or sys.stdout
    practice = load_practice(args.practice) if args.practice else None

    def work(record: Record) -> dict[str, Any]:
        reply = require_text(record, "reply")
        post = require_text(record, "post", required=False)
        if post is None and args.post is not None:
            post = args.post
        assert reply is not None
        return fix(reply, post=post, practice=practice, seed=args.seed).to_dict(id=record.id)

    records = read_records(args.input, field="reply", inline=args.inline, stdin=stdin)
    return _finish((_safely(r, work) for r in records), args, out, _write_fixes)
