"""Best-sentence BM25 on a corpus 100x the real one: build time and search latency.

The sentence index is built in memory whenever the retriever opens or refreshes, and
searched for every Dutch question, so both costs grow with the corpus. This bench needs
no model: the passages are the real PDF's sentences, shuffled per copy and grouped like
the ingest chunks (about 800 characters), with a copy number in each section heading.
Usage: python bench/bench_sentence_index.py [--scale 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from assistant.core.lexical import BestSentenceIndex
from assistant.core.text import split_sentences
from evals.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]
PASSAGE_CHARS = 800


def passages(scale: int) -> list[list[str]]:
    """`scale` shuffled copies of the PDF's sentences, grouped into passages."""
    import pypdf

    pdf = next((ROOT / "corpus").glob("*.pdf"))
    text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages)
    sentences = [s for s in split_sentences(" ".join(text.split())) if len(s) > 20]
    rng = random.Random(42)
    out: list[list[str]] = []
    for copy in range(scale):
        order = sentences[:]
        rng.shuffle(order)
        current: list[str] = []
        for sentence in order:
            current.append(f"Deel {copy}\n{sentence}")
            if sum(len(s) for s in current) >= PASSAGE_CHARS:
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def questions() -> list[str]:
    """The single-turn questions of both eval sets (only their wording is used)."""
    rows = []
    for name in ("dev.jsonl", "test.jsonl"):
        path = ROOT / "evals" / "sets" / name
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [r["question"] for r in rows if not r.get("history")]


def main() -> None:
    """Build the index a few times, then search every question; print one JSON object."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--k", type=int, default=30, help="passages per search (candidate_k)")
    args = parser.parse_args()
    corpus = passages(args.scale)
    builds = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        index = BestSentenceIndex(corpus)
        builds.append(time.perf_counter() - started)
    latencies = []
    for _ in range(args.rounds):
        for question in questions():
            started = time.perf_counter()
            index.search(question, args.k)
            latencies.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "scale": args.scale,
                "passages": len(corpus),
                "sentences": sum(len(p) for p in corpus),
                "build_s_median": round(statistics.median(builds), 2),
                "search_ms_p50": round(percentile(latencies, 50) or 0.0, 2),
                "search_ms_p95": round(percentile(latencies, 95) or 0.0, 2),
                "searches": len(latencies),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
