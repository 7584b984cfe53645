"""Calibrate the refusal decision on evals/sets/calibration.jsonl against the real index.

Run after `assistant ingest`:
    ASSISTANT_DATA_DIR=/tmp/h3data .venv/bin/python bench/calibrate_refusal.py [--sweep]
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
SET = ROOT / "evals" / "sets" / "calibration.jsonl"


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
    """Score the calibration set and print the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--set", type=Path, default=SET, help="a JSONL set with 'refuse'")
    args = parser.parse_args()
    lines = args.set.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line]
    rows = [r | {"refuse": bool(r.get("refuse"))} for r in rows if not r.get("history")]
    service = Container(Settings()).answering
    signals = [service.scope(r["question"]) for r in rows]
    for r, s in zip(rows, signals, strict=True):
        flag = "R" if r["refuse"] else "A"
        print(f"{flag} {r['lang']} {s.describe()}  {r['question'][:70]}")
    policy = service.tuning.scope
    print("current", policy, evaluate(rows, signals, policy))
    if args.sweep:
        results = []
        for d in range(74, 86):
            for rel in range(20, 40, 2):
                p = replace(policy, min_dense=d / 100, min_relevance=rel / 100)
                results.append((evaluate(rows, signals, p), p))
        results.sort(key=lambda x: (-x[0]["accuracy"], x[0]["false_refusals"]))
        for res, p in results[:15]:
            print(p, res)


if __name__ == "__main__":
    main()
