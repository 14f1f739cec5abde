"""Urgent recall and false escalations of triage on every spent blind set, set by set.

    PYTHONPATH=src python bench/urgent_sets.py [--model FILE] [--data DIR] [--loso] [--verbose]

For each spent set (``data/triage_blind2`` ... ``triage_blind6``): urgent posts caught by the
rules alone and by rules plus classifier, in English, Spanish (and Spanish-English) and other
languages; posts tagged ``frightening-not-urgent`` that were escalated (precision on frightening
posts); every other escalated non-urgent post. ``--model`` scores with another urgency model file
(``scripts/train_urgent.py --out``). ``--loso`` trains, for each set, a model on the written
posts and every other spent set (``--spent``), never that one, and scores the set with it: the
leave-one-set-out estimate of what the classifier catches on a set by a new writer. ``--data``
also counts escalations on the shared real comments and reviews (never urgent).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from safereply.core.triage import triage  # noqa: E402
from safereply.core.triage import urgent as urgent_module  # noqa: E402
from safereply.core.triage.engine import _classifier_veto  # noqa: E402
from safereply.core.triage.model import LinearTextModel  # noqa: E402
from safereply.core.triage.rules import crisis_reasons, emergency_reasons, normalise  # noqa: E402
from safereply.core.triage.urgent import urgent_signal  # noqa: E402

SHIPPED = urgent_module.urgent_model
SETS = tuple(f"triage_blind{n}" for n in range(2, 7))
URGENT = ("emergency", "crisis")
REAL = ("nhs_fft_multilabel.jsonl", "provider_reviews.jsonl", "ratemds_practice_replies.jsonl")


def group(lang: str) -> str:
    """English, Spanish (with Spanish-English) or another language."""
    return "en" if lang == "en" else "es" if lang in ("es", "es-en") else "other"


def load_set(name: str) -> list[dict]:
    """Every post of one spent blind folder, in file order."""
    folder = ROOT / "data" / name
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def use_model(path: Path | None) -> None:
    """Score with the model at ``path`` (None: the shipped one)."""
    if path is None:
        urgent_module.__dict__["urgent_model"] = SHIPPED
        return
    model = LinearTextModel(json.loads(path.read_text(encoding="utf-8")))
    urgent_module.__dict__["urgent_model"] = lambda: model


def measure(posts: list[dict], lines: list[str]) -> Counter:
    """Count caught urgent posts (rules alone, classifier alone past its gate, combined) and
    false escalations."""
    c: Counter = Counter()
    for post in posts:
        norm = normalise(post["text"])
        rules = bool(crisis_reasons(norm) or emergency_reasons(norm))
        alone = _classifier_veto(norm, False) is None and urgent_signal(post["text"]) is not None
        kind = triage(post["text"]).kind.value
        combined = kind in URGENT
        if post["urgent"] in URGENT:
            g = group(post["lang"])
            c["urgent", g] += 1
            c["rules", g] += rules
            c["combined", g] += combined
            c["classifier", g] += alone
            if not combined:
                lines.append(f"MISSED {post['id']} {post['lang']} {post['text']!r}")
        elif combined:
            fright = "frightening-not-urgent" in post.get("tags", ())
            c["false_fright" if fright else "false_other"] += 1
            lines.append(f"ESCALATED {post['id']} {kind} {post['text']!r}")
        if post["urgent"] not in URGENT and "frightening-not-urgent" in post.get("tags", ()):
            c["fright"] += 1
    return c


def line(name: str, c: Counter) -> str:
    """One set's figures."""
    parts = []
    for g in ("en", "es", "other"):
        if c["urgent", g]:
            n = c["urgent", g]
            parts.append(
                f"{g} rules {c['rules', g]}/{n} classifier {c['classifier', g]}/{n} "
                f"all {c['combined', g]}/{n}"
            )
    escalated = sum(c[k, g] for k in ("combined",) for g in ("en", "es", "other"))
    flagged = escalated + c["false_fright"] + c["false_other"]
    precision = escalated / flagged if flagged else 1.0
    parts.append(f"frightening escalated {c['false_fright']}/{c['fright']}")
    parts.append(f"other false {c['false_other']}; urgent precision {precision:.3f}")
    return f"{name:14} " + "; ".join(parts)


def real_escalations(data: Path) -> int:
    """Escalated posts among the shared real comments and reviews (none is urgent)."""
    count = total = 0
    for name in REAL:
        for raw in (data / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(raw) if raw.strip() else {}
            text = (row.get("text") or row.get("review_text") or "").strip()
            if text:
                total += 1
                count += triage(text).kind.value in URGENT
    print(f"real comments and reviews escalated: {count}/{total}")
    return count


def loso_model(left_out: str, out: Path, real: list[Path]) -> Path:
    """Train a model on the written posts and every spent set but ``left_out``."""
    import train_urgent

    spent = [s for s in SETS if s != left_out]
    args = ["--real", *map(str, real), "--out", str(out), "--spent", *spent]
    train_urgent.main(args)
    return out


def main() -> None:
    """Print the figures of every spent set."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--loso", action="store_true")
    parser.add_argument("--sets", nargs="+", default=list(SETS))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    lines: list[str] = []
    total: Counter = Counter()
    real_files = (
        [Path("/work/shared/data") / n for n in REAL[:2]]
        if args.data is None
        else [args.data / n for n in REAL[:2]]
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets:
            model = args.model
            if args.loso:
                model = loso_model(name, Path(tmp) / f"without-{name}.json", real_files)
            use_model(model)
            c = measure(load_set(name), lines)
            total += c
            print(line(name, c), flush=True)
    print(line("all", total))
    if args.data:
        use_model(args.model)
        real_escalations(args.data)
    if args.verbose:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
