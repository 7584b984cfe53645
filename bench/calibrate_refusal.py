"""Calibrate the refusal decision against the real index, on tuning sets only.

Run after `assistant ingest`:
    .venv/bin/python bench/calibrate_refusal.py [--set evals/sets/dev.jsonl ...] [--sweep]
Default sets: evals/sets/calibration.jsonl and evals/sets/dev.jsonl (never test.jsonl).
Prints each question's signals, then accuracy and false refusals of the current policy
(and, with --sweep, of a grid of thresholds).
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from assistant.answering.refusal import ScopePolicy, is_injection
from assistant.container import Container
from assistant.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SETS = [ROOT / "evals" / "sets" / name for name in ("calibration.jsonl", "dev.jsonl")]


def evaluate(rows: list[dict], signals: list, policy: ScopePolicy) -> dict:
    """Accuracy, false refusals and missed refusals of a policy."""
    refused = [
        is_injection(r["question"]) or not s.covered(policy)
        for r, s in zip(rows, signals, strict=True)
    ]
    answerable = [r for r in rows if not r["refuse"]]
    false_refusals = sum(f and not r["refuse"] for r, f in zip(rows, refused, strict=True))
    missed = sum(r["refuse"] and not f for r, f in zip(rows, refused, strict=True))
    correct = sum(f == r["refuse"] for r, f in zip(rows, refused, strict=True))
    return {
        "n": len(rows),
        "accuracy": correct / len(rows),
        "false_refusals": false_refusals,
        "false_refusal_rate": false_refusals / max(1, len(answerable)),
        "missed_refusals": missed,
    }


def main() -> None:
    """Score the tuning sets and print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--set", type=Path, action="append", help="a JSONL set with 'refuse'")
    args = parser.parse_args()
    rows = []
    for path in args.set or SETS:
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = [r | {"refuse": bool(r.get("refuse"))} for r in rows if not r.get("history")]
    service = Container(Settings()).answering
    signals = [service.scope(r["question"]) for r in rows]
    for r, s in zip(rows, signals, strict=True):
        flag = "R" if r["refuse"] else "A"
        print(f"{flag} {r.get('lang', 'nl')} {s.describe()}  {r['question'][:70]}")
    policy = service.tuning.scope
    print("current", policy, evaluate(rows, signals, policy))
    if args.sweep:
        results = []
        for dense in range(76, 84):
            for support in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3):
                for confident in (0.82, 0.84, 0.86, 0.88):
                    p = replace(
                        policy,
                        min_dense=dense / 100,
                        min_relevance=support,
                        confident_dense=confident,
                    )
                    results.append((evaluate(rows, signals, p), p))
        results.sort(key=lambda x: (-x[0]["accuracy"], x[0]["false_refusals"]))
        for res, p in results[:15]:
            print(p, res)


if __name__ == "__main__":
    main()
