"""Train the linter's learned sentence signal and write it as plain JSON.

    python scripts/train_lint_signal.py --spent [--leave-out SET ...] [--scores FILE] [--out FILE]

Rows are sentences (split exactly as the linter splits them). A sentence is positive for an
output when a labelled evidence span of its category overlaps it; every sentence of a compliant
reply is negative for all outputs. Sources (see ``scripts/lint_data.py``): the development set's
train split, the hand-written corpus (compliant replies, and violating replies of one sentence),
the compliant sentences of the real replies labelled in rounds 0-2, and every line of the
composer's templates (compliant by construction: SafeReply's own drafts must pass). With
``--spent`` (how the shipped model is trained since session 6) the sets that were measured blind
once and are spent since join the training replies: the development set's blind split, the
round-3 real replies and every spent blind set (``SPENT_BLIND_DIRS``: ``data/lint_blind2`` ...
``data/lint_blind6`` since session 10); block thresholds of every output but the relationship
one are then held to 0.4% of compliant replies instead of 0.6%. ``--leave-out lint_blind6``
trains without that spent set, to measure the recipe on it as on a new writer's. The tune split
is never trained on. A blind set that is not spent (``data/lint_blind7``, being written in
session 10) is refused by name and never read.

A second model reads whole replies (every training reply, labelled as a whole). A reply's score
for an output is the geometric mean of its best sentence's probability and the reply model's.
Thresholds are calibrated, per output, on that combined score for replies the models did not
see: out-of-fold predictions whose folds are grouped by writer (``lint_data.writer_group``: a
whole blind set, one file of the development set or one round of real replies), so a reply is
scored by models that read nothing its writer wrote; the tune split is scored by the fold model
that left its writer out. (Until session 9 the folds were grouped by reply: twin replies of one
writer leaked across folds and the thresholds came out too low for a new writer.) Fold models
reuse the final model's pruned vocabulary, one fit each instead of two. ``block`` is the lowest
threshold at which at most ``Params.block_fp`` of compliant replies reach it, ``warn`` the
lowest at which at most ``Params.warn_fp`` do. ``--scores`` writes the calibration scores.

``--compare`` prints, for each model family (word n-grams, character n-grams, both) and C, the
tune split's average precision per output, and exits. The defaults are what won. Fixed seeds and
sorted inputs: a rerun writes a byte-identical file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GroupKFold

sys.path.insert(0, str(Path(__file__).resolve().parent))
import textmodel
from lint_data import (
    BLIND,
    REAL_BLIND,
    REAL_TUNED,
    ROOT,
    SPENT_BLIND_DIRS,
    TRAIN,
    TUNE,
    Labelled,
    load_dev,
    load_own_corpus,
    load_real,
    split_of,
    trainable,
    writer_group,
)
from textmodel import round_to

from safereply.core.lint.context import MIN_SIGNAL_TOKENS, LintContext
from safereply.core.triage.model import MODEL_FORMAT

#: Greetings that address no one, as the rewriter and the templates write them.
SAFE_GREETINGS = ("Hi there,", "Hello,", "Hi everyone,", "Hello there,")
#: Sample weight of the composer's template lines (compliant by construction; drafts must pass).
TEMPLATE_WEIGHT = 5.0
#: Model outputs and the linter category each stands for.
OUTPUTS = {
    "relationship": "patient-relationship",
    "health": "health-detail",
    "advice": "medical-advice",
    "contact": "outside-contact",
    "tone": "tone",
    "identifier": "identifier",
}


@dataclass(frozen=True)
class Params:
    """Training settings (the defaults are what the shipped model used)."""

    family: str = "both"
    c: float = 4.0
    word_min_df: int = 2
    char_min_df: int = 3
    keep_word: int = 6000
    keep_char: int = 14000
    folds: int = 5
    multiple_instance: bool = True
    block_fp: float = 0.006
    #: Outputs whose block threshold is held to a stricter share of compliant replies (the
    #: precision-calibrated threshold; the warn band below it is unchanged).
    strict_block_fp: float = 0.006
    strict_outputs: tuple[str, ...] = ()
    warn_fp: float = 0.015
    digits: int = 5


#: The shipped model's settings (``--spent``): more compliant replies in real voices, so block
#: thresholds of every output but the relationship one are held to 0.4% of compliant replies.
SPENT_PARAMS = Params(
    strict_block_fp=0.004, strict_outputs=("health", "advice", "contact", "tone", "identifier")
)


@dataclass
class Rows:
    """Sentences, their reply index, a 0/1 label and a sample weight per output."""

    texts: list[str]
    reply: list[int]
    y: np.ndarray  # (n, outputs)
    w: np.ndarray | None = None  # (n, outputs); None: every weight is 1

    def weights(self) -> np.ndarray:
        """Return the weight matrix (ones when none was given)."""
        return np.ones(self.y.shape) if self.w is None else self.w

    def take(self, index: np.ndarray) -> Rows:
        """Return the rows at ``index``."""
        return Rows(
            [self.texts[i] for i in index],
            [self.reply[i] for i in index],
            self.y[index],
            self.weights()[index],
        )

    def __add__(self, other: Rows) -> Rows:
        return Rows(
            self.texts + other.texts,
            self.reply + other.reply,
            np.vstack([self.y, other.y]),
            np.vstack([self.weights(), other.weights()]),
        )


def _scored_spans(reply: str) -> list[tuple[int, int]]:
    """Return the sentence spans the linter scores (three words or more)."""
    return [
        (start, end)
        for start, end in LintContext(reply=reply).sentences
        if len(re.findall(r"\w\w+", reply[start:end])) >= MIN_SIGNAL_TOKENS
    ]


def multiple_instance_rows(replies: list[Labelled], vecs: list, models: list) -> Rows:
    """Rows for replies labelled as a whole, without evidence spans (multiple-instance learning).

    For each labelled category, the sentence the current model scores highest is taken as the
    positive and the reply's other sentences are left out for that output (weight 0): which of
    them also carry it is unknown. For categories the reply is not labelled with, every
    sentence is a negative.
    """
    texts: list[str] = []
    owner: list[int] = []
    labels: list[list[int]] = []
    weights: list[list[float]] = []
    names = list(OUTPUTS)
    for index, item in enumerate(replies):
        if not item.labels or item.evidence:
            continue
        spans = _scored_spans(item.reply)
        if not spans:
            continue
        sentences = [item.reply[a:b] for a, b in spans]
        probs = predict(vecs, models, sentences)
        for row_index, sentence in enumerate(sentences):
            row, weight = [], []
            for k, name in enumerate(names):
                if OUTPUTS[name] in item.labels:
                    best = int(np.argmax(probs[:, k]))
                    row.append(int(row_index == best))
                    weight.append(1.0 if row_index == best else 0.0)
                else:
                    row.append(0)
                    weight.append(1.0)
            texts.append(sentence)
            owner.append(index)
            labels.append(row)
            weights.append(weight)
    shape = (-1, len(names))
    return Rows(
        texts, owner, np.array(labels, dtype=int).reshape(shape), np.array(weights).reshape(shape)
    )


def _reply_path(sentence_path: Path) -> Path:
    """Return where the reply-level model goes: beside the sentence model."""
    return sentence_path.with_name(sentence_path.name.replace("signal-", "signal-reply-"))


def whole_reply_rows(replies: list[Labelled]) -> Rows:
    """One row per reply, labelled by its reply-level labels."""
    names = list(OUTPUTS)
    y = np.array([[int(OUTPUTS[n] in r.labels) for n in names] for r in replies], dtype=int)
    w = np.array([[_weight(r)] * len(names) for r in replies])
    return Rows([r.reply for r in replies], list(range(len(replies))), y, w)


def _weight(item: Labelled) -> float:
    """Return a reply's sample weight: the composer's own lines count more (they must pass)."""
    return TEMPLATE_WEIGHT if item.source == "templates" else 1.0


def sentence_rows(replies: list[Labelled]) -> Rows:
    """Cut replies into sentences labelled by the evidence spans they overlap."""
    texts: list[str] = []
    owner: list[int] = []
    labels: list[list[int]] = []
    weights: list[float] = []
    names = list(OUTPUTS)
    for index, item in enumerate(replies):
        spans = LintContext(reply=item.reply).sentences
        if item.labels and not item.evidence:
            continue  # labelled as a whole: see multiple_instance_rows
        for start, end in spans:
            if len(re.findall(r"\w\w+", item.reply[start:end])) < MIN_SIGNAL_TOKENS:
                continue  # the linter never scores such a sentence
            row = [
                int(any(c == OUTPUTS[n] and s < end and start < e for c, s, e in item.evidence))
                for n in names
            ]
            texts.append(item.reply[start:end])
            owner.append(index)
            labels.append(row)
            weights.append(_weight(item))
    shape = (-1, len(names))
    w = np.repeat(np.array(weights, dtype=float).reshape(-1, 1), len(names), axis=1)
    return Rows(texts, owner, np.array(labels, dtype=int).reshape(shape), w.reshape(shape))


def vectorizers(params: Params, vocab: tuple[list[str], list[str]] | None = None) -> list:
    """Return the vectorizers of the model family: ``textmodel``'s word 1-2-grams and/or
    char_wb 2-5-grams."""
    word, char = textmodel.vectorizers(params, vocab)
    return {"word": [word], "char": [char], "both": [word, char]}[params.family]


def _features(vecs: list, texts: list[str], fit: bool) -> csr_matrix:
    return textmodel.features(vecs, texts, fit)


def _fit(x: csr_matrix, rows: Rows, params: Params) -> list[LogisticRegression]:
    models = []
    weights = rows.weights()
    for k in range(rows.y.shape[1]):
        model = LogisticRegression(C=params.c, class_weight="balanced", max_iter=5000)
        model.fit(x, rows.y[:, k], sample_weight=weights[:, k])
        models.append(model)
    return models


def _prune(vecs: list, models: list, params: Params) -> tuple[list[str], list[str]]:
    weights = np.abs(np.vstack([m.coef_[0] for m in models])).max(axis=0)
    kept: list[list[str]] = []
    start = 0
    for vec in vecs:
        names = vec.get_feature_names_out()
        keep = params.keep_word if vec.analyzer == "word" else params.keep_char
        block = weights[start : start + len(names)]
        start += len(names)
        order = np.argsort(-block, kind="stable")[:keep]
        kept.append(sorted(str(names[i]) for i in order))
    if len(kept) == 1:
        return kept[0], kept[0]
    return kept[0], kept[1]


def fit_pipeline(rows: Rows, params: Params, vocab: tuple[list[str], list[str]] | None = None):
    """Fit, prune the vocabulary, refit on it; return (vectorizers, models).

    With ``vocab`` (an earlier fit's pruned vocabulary), fit once on it: the out-of-fold models
    reuse the final model's vocabulary, which halves the cost of calibration.
    """
    if vocab is None:
        vecs = vectorizers(params)
        x = _features(vecs, rows.texts, fit=True)
        vocab = _prune(vecs, _fit(x, rows, params), params)
    vecs = vectorizers(params, vocab)
    return vecs, _fit(_features(vecs, rows.texts, fit=True), rows, params)


def vocabulary(vecs: list) -> tuple[list[str], list[str]]:
    """Return the (word, char) vocabularies of fitted vectorizers, as ``vectorizers`` takes them."""
    kept = [sorted(vec.vocabulary_) for vec in vecs]
    return (kept[0], kept[-1])


def predict(vecs: list, models: list, texts: list[str]) -> np.ndarray:
    """Return (n, outputs) probabilities."""
    if not texts:
        return np.zeros((0, len(models)))
    x = _features(vecs, texts, fit=False)
    return np.column_stack([m.predict_proba(x)[:, 1] for m in models])


def reply_max(rows: Rows, probs: np.ndarray, count: int) -> np.ndarray:
    """Return each reply's highest sentence probability per output."""
    out = np.zeros((count, probs.shape[1]))
    for i, owner in enumerate(rows.reply):
        out[owner] = np.maximum(out[owner], probs[i])
    return out


def out_of_fold(
    rows: Rows,
    params: Params,
    groups: Sequence[str],
    final: tuple[list, list],
    held: Rows | None = None,
    held_groups: Sequence[str] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Return out-of-fold probabilities of ``rows`` and of ``held`` (never trained on).

    ``groups`` names each row's writer group (``lint_data.writer_group`` of its reply): folds
    never split a group, so a row is scored by a model that saw nothing its writer wrote (twin
    replies of one writer would otherwise leak and make thresholds too low). A held row is
    scored by the fold model that left its group out; a held row whose group has no training
    row, by ``final`` (the vectorizers and models fitted on every row). Fold models are fitted
    on ``final``'s pruned vocabulary (the choice of terms is the only thing they share with it).
    """
    vocab = vocabulary(final[0])
    oof = np.zeros(rows.y.shape)
    held_probs = np.zeros((0, rows.y.shape[1])) if held is None else np.zeros(held.y.shape)
    done = np.zeros(len(held_probs), dtype=bool)
    folds = GroupKFold(params.folds).split(rows.texts, groups=list(groups))
    for train_idx, test_idx in folds:
        vecs, models = fit_pipeline(rows.take(train_idx), params, vocab)
        oof[test_idx] = predict(vecs, models, [rows.texts[i] for i in test_idx])
        left_out = {groups[i] for i in test_idx}
        mine = np.array([g in left_out for g in held_groups], dtype=bool)
        if held is not None and mine.any():
            held_probs[mine] = predict(vecs, models, [held.texts[i] for i in np.flatnonzero(mine)])
            done |= mine
    if held is not None and not done.all():
        vecs, models = final
        held_probs[~done] = predict(vecs, models, [held.texts[i] for i in np.flatnonzero(~done)])
    return oof, held_probs


def choose(scores: np.ndarray, compliant: np.ndarray, max_fp: float) -> float:
    """Return the lowest threshold (0.01 steps) reached by at most ``max_fp`` of compliant."""
    negatives = scores[compliant]
    for t in np.arange(0.30, 0.991, 0.01):
        if negatives.size == 0 or float(np.mean(negatives >= t)) <= max_fp:
            return round(float(t), 2)
    return 0.99


def export(vecs: list, models: list, thresholds: dict, params: Params, meta: dict) -> dict:
    """Return the model file content in the ``LinearTextModel`` JSON layout."""
    coef = np.vstack([m.coef_[0] for m in models])
    spaces = []
    start = 0
    for vec in vecs:
        names = vec.get_feature_names_out()
        terms = {}
        for i, name in enumerate(names):
            column = coef[:, start + i]
            terms[str(name)] = [round_to(vec.idf_[i], params.digits)] + [
                round_to(w, params.digits) for w in column
            ]
        start += len(names)
        ngram = [1, 2] if vec.analyzer == "word" else [2, 5]
        spaces.append({"analyzer": vec.analyzer, "ngram_range": ngram, "terms": terms})
    return {
        "format": MODEL_FORMAT,
        "outputs": list(OUTPUTS),
        "intercepts": [round_to(m.intercept_[0], params.digits) for m in models],
        "thresholds": thresholds,
        "meta": {**meta, "params": asdict(params)},
        "spaces": spaces,
    }


def template_lines() -> list[Labelled]:
    """Return every line of the composer's templates, filled in: compliant by construction.

    The drafts SafeReply proposes must pass its own linter, so the signal learns that these
    sentences (thanks, apologies, invitations to call, 911/988 guidance) are safe.
    """
    from safereply.core.compose.templates import load_templates

    fields = {
        "phone": "(555) 201-3300",
        "name": "Riverside Family Dental",
        "address": "12 Elm St, Springfield",
        "website": "riversidedental.example",
        "improvement": "added a second check-in station",
        "flags": "trouble breathing or swallowing, or heavy bleeding",
    }

    def lines(node: object):
        if isinstance(node, str):
            yield node
        elif isinstance(node, list):
            for item in node:
                yield from lines(item)
        elif isinstance(node, dict):
            for value in node.values():
                yield from lines(value)

    out = []
    for key, node in sorted(load_templates().data.items()):
        if key in ("spam", "version"):
            continue
        for n, line in enumerate(lines(node)):
            if line:
                text = line.format_map(_Defaults(fields))
                out.append(Labelled(f"template-{key}-{n}", text, None, frozenset(), "templates"))
                # The greetings the rewriter puts where a name was ("Hi Karen," -> "Hi there,").
                greeted = f"{SAFE_GREETINGS[n % len(SAFE_GREETINGS)]} {text[:1].lower()}{text[1:]}"
                out.append(
                    Labelled(f"template-{key}-{n}-g", greeted, None, frozenset(), "templates")
                )
    return out


class _Defaults(dict):
    """Format fields, leaving unknown placeholders as plain words."""

    def __missing__(self, key: str) -> str:
        return key


def training_replies(
    data: Path, spent: bool = False, spent_dirs: Sequence[Path] = SPENT_BLIND_DIRS
) -> tuple[list[Labelled], list[Labelled]]:
    """Return (train replies, tune replies).

    With ``spent``, the sets measured blind once and spent since (the dev blind split, the
    round-3 real replies and the spent blind sets ``spent_dirs``: ``data/lint_blind2`` ...
    ``data/lint_blind6``) join the training replies; the tune split stays out of training either
    way. A blind folder that is not spent (``data/lint_blind7``) is refused by name before
    anything in it is read.

    Raises:
        SystemExit: a folder of ``spent_dirs`` is a blind set that is not spent.
    """
    train = load_dev(TRAIN) + template_lines()
    tune = load_dev(TUNE)
    own = load_own_corpus()
    real = load_real(REAL_TUNED, data)
    if spent:
        # A spent reply whose text is also in the tune split (written twice, independently)
        # stays out: thresholds are chosen on the tune split and it must not be trained on.
        tuned = {r.reply for r in tune}
        more = load_dev(BLIND) + load_real((REAL_BLIND,), data)
        for directory in spent_dirs:
            more += load_dev(None, trainable(directory))
        train += [r for r in more if r.reply not in tuned]
    train += own + [r for r in real if split_of(r.id) != TUNE]
    tune += [r for r in real if split_of(r.id) == TUNE]
    return train, tune


def compare(train_rows: Rows, tune_rows: Rows, say) -> None:
    """Print average precision per output on the tune split's evidence-labelled sentences."""
    for family in ("word", "char", "both"):
        for c in (1.0, 4.0, 10.0):
            params = Params(family=family, c=c)
            vecs, models = fit_pipeline(train_rows, params)
            probs = predict(vecs, models, tune_rows.texts)
            aps = []
            for k in range(len(OUTPUTS)):
                if tune_rows.y[:, k].any():
                    aps.append(average_precision_score(tune_rows.y[:, k], probs[:, k]))
            per = " ".join(f"{n}={a:.3f}" for n, a in zip(OUTPUTS, aps, strict=False))
            say(f"{family:5s} C={c:<4} mean AP {np.mean(aps):.3f}  {per}")


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "src/safereply/core/lint/model/signal-model.json"
    )
    parser.add_argument("--compare", action="store_true", help="compare model families and exit")
    parser.add_argument(
        "--spent",
        action="store_true",
        help="also train on the spent blind sets (dev blind split, data/lint_blind2..6, round 3)",
    )
    parser.add_argument(
        "--leave-out",
        action="append",
        default=[],
        metavar="SET",
        help="with --spent, leave this spent set out (e.g. lint_blind6) to measure the recipe "
        "on it as if it were a new writer's",
    )
    parser.add_argument(
        "--scores", type=Path, help="also write the calibration scores (JSON) to this file"
    )
    return parser.parse_args(argv)


def _spent_dirs(leave_out: Sequence[str]) -> tuple[Path, ...]:
    """Return the spent blind folders minus those left out (each must be a spent set's name)."""
    names = {d.name for d in SPENT_BLIND_DIRS}
    unknown = sorted(set(leave_out) - names)
    if unknown:
        raise SystemExit(f"--leave-out: {', '.join(unknown)} is no spent blind set")
    return tuple(d for d in SPENT_BLIND_DIRS if d.name not in leave_out)


@dataclass
class Calibration:
    """Scores of replies no model saw, for choosing thresholds: one row per reply."""

    replies: list[Labelled]
    scores: np.ndarray  # (replies, outputs): combined sentence x reply score

    def dump(self, path: Path) -> None:
        """Write the scores and labels as JSON (to try other thresholds without retraining)."""
        rows = [
            {
                "id": r.id,
                "group": writer_group(r),
                "labels": sorted(r.labels),
                "scores": [round(float(v), 6) for v in row],
            }
            for r, row in zip(self.replies, self.scores, strict=True)
        ]
        path.write_text(json.dumps({"outputs": list(OUTPUTS), "rows": rows}) + "\n")


def calibration_scores(
    train: list[Labelled], tune: list[Labelled], train_rows: Rows, tune_rows: Rows, params: Params
) -> tuple[Calibration, tuple[list, list], tuple[list, list]]:
    """Return out-of-fold scores of every training and tune reply, and the final two models.

    Folds are grouped by writer (``writer_group``) for the sentence and the reply model alike;
    the tune replies are scored by the fold model that left their writer group out.
    """
    groups = [writer_group(r) for r in train]
    tune_groups = [writer_group(r) for r in tune]
    final = fit_pipeline(train_rows, params)
    oof, tune_probs = out_of_fold(
        train_rows,
        params,
        [groups[i] for i in train_rows.reply],
        final,
        tune_rows,
        [tune_groups[i] for i in tune_rows.reply],
    )
    # The reply-level model: every labelled reply, whole (no evidence needed).
    reply_rows = whole_reply_rows(train)
    reply_final = fit_pipeline(reply_rows, params)
    reply_oof, reply_tune = out_of_fold(
        reply_rows, params, groups, reply_final, whole_reply_rows(tune), tune_groups
    )
    # A reply's combined score: the best sentence's geometric mean with the reply's probability.
    scores = np.sqrt(
        np.vstack(
            [reply_max(train_rows, oof, len(train)), reply_max(tune_rows, tune_probs, len(tune))]
        )
        * np.vstack([reply_oof, reply_tune])
    )
    # Replies that gave no sentence (a multi-sentence corpus reply without evidence) are left out.
    seen = np.zeros(len(train) + len(tune), dtype=bool)
    seen[list(set(train_rows.reply))] = True
    seen[[len(train) + i for i in set(tune_rows.reply)]] = True
    replies = [r for r, ok in zip(train + tune, seen, strict=True) if ok]
    return Calibration(replies, scores[seen]), final, reply_final


def thresholds_of(
    calibration: Calibration, params: Params, say
) -> tuple[dict[str, float], dict[str, float]]:
    """Return (thresholds, figures): per output the block and warn thresholds and recalls."""
    scores = calibration.scores
    compliant = np.array([not r.labels for r in calibration.replies])
    thresholds: dict[str, float] = {}
    figures: dict[str, float] = {}
    for k, (name, category) in enumerate(OUTPUTS.items()):
        max_fp = params.strict_block_fp if name in params.strict_outputs else params.block_fp
        block = choose(scores[:, k], compliant, max_fp)
        warn = min(block, choose(scores[:, k], compliant, params.warn_fp))
        thresholds[name] = block
        thresholds[f"{name}/warn"] = warn
        has = np.array([category in r.labels for r in calibration.replies])
        figures[f"{name}_recall_at_block"] = round(float(np.mean(scores[has, k] >= block)), 4)
        figures[f"{name}_recall_at_warn"] = round(float(np.mean(scores[has, k] >= warn)), 4)
        say(
            f"{name:12s} block {block:.2f} (recall {figures[f'{name}_recall_at_block']:.3f}) "
            f"warn {warn:.2f} (recall {figures[f'{name}_recall_at_warn']:.3f}) "
            f"on {int(has.sum())} held-out replies with the label"
        )
    return thresholds, figures


def _write(path: Path, content: dict, say) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        json.dump(content, handle, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        handle.write("\n")
    say(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


def main(argv: Sequence[str] | None = None) -> int:
    """Train, calibrate and write the model; print what was measured on the way."""
    args = _parse(argv)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr)

    params = SPENT_PARAMS if args.spent else Params()
    spent_dirs = _spent_dirs(args.leave_out)
    train, tune = training_replies(args.data, spent=args.spent, spent_dirs=spent_dirs)
    train_rows = sentence_rows(train)
    tune_rows = sentence_rows(tune)
    tune_evidence = tune_rows
    if params.multiple_instance:
        # Replies labelled as a whole (the real RateMDs replies, the hand-written corpus) join
        # through the sentence a first model, fitted on evidence spans only, scores highest.
        first = fit_pipeline(train_rows, params)
        train_rows = train_rows + multiple_instance_rows(train, *first)
        tune_rows = tune_rows + multiple_instance_rows(tune, *first)
    if args.compare:
        compare(train_rows, tune_evidence, say)
        return 0
    say(
        f"train: {len(train)} replies, {len(train_rows.texts)} sentences "
        f"({dict(zip(OUTPUTS, train_rows.y.sum(axis=0).tolist(), strict=True))} positive); "
        f"tune: {len(tune)} replies, {len(tune_rows.texts)} sentences"
    )
    calibration, (vecs, models), (reply_vecs, reply_models) = calibration_scores(
        train, tune, train_rows, tune_rows, params
    )
    if args.scores:
        calibration.dump(args.scores)
    thresholds, figures = thresholds_of(calibration, params, say)
    meta = {
        "trained_on": {
            "dev_train_replies": sum(r.source.startswith("dev/") for r in train),
            "spent_blind_sets": [d.name for d in spent_dirs] if args.spent else [],
            "own_corpus_replies": sum(r.source == "own-corpus" for r in train),
            "real_replies": sum(r.source.startswith("real/") for r in train),
            "template_lines": sum(r.source == "templates" for r in train),
            "sentences": len(train_rows.texts),
        },
        "calibrated_on": "out-of-fold predictions, folds grouped by writer (blind set, dev file)",
        "figures": figures,
    }
    reply_meta = {"trained_on": {"replies": len(train)}}
    _write(args.out, export(vecs, models, thresholds, params, meta), say)
    _write(_reply_path(args.out), export(reply_vecs, reply_models, {}, params, reply_meta), say)
    return 0


if __name__ == "__main__":
    sys.exit(main())
