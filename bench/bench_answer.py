"""Answer latency (extractive mode, warm process) and cold start of the answering service.

Builds a fresh index of corpus/ in a temporary data dir (in a separate process, so
this process starts cold), unless --data-dir names an existing one:
    .venv/bin/python bench/bench_answer.py [--rounds 3] [--data-dir DIR]
Prints one JSON object: cold start (build service, first answer), warm p50/p95 per question.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from questions import QUESTIONS  # bench/questions.py, beside this script

from assistant.container import Container
from assistant.core.logs import configure_logging
from assistant.core.settings import Settings
from evals.metrics import percentile


def main() -> None:
    """Measure cold start, then warm latency over a few rounds of the questions."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, help="an existing index (default: build one)")
    args = parser.parse_args()
    configure_logging("WARNING")
    if args.data_dir:
        measure(args.data_dir, args.rounds)
        return
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "ASSISTANT_DATA_DIR": data_dir}
        cmd = [sys.executable, "-m", "assistant.cli", "ingest", "--quiet"]
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        measure(Path(data_dir), args.rounds)


def measure(data_dir: Path, rounds: int) -> None:
    """Cold start and warm latency against the index in data_dir."""
    settings = Settings(data_dir=data_dir).model_copy(update={"llm": None})

    started = time.perf_counter()
    service = Container(settings).answering
    build_s = time.perf_counter() - started
    service.answer(QUESTIONS[0])
    first_s = time.perf_counter() - started

    started = time.perf_counter()
    service.warm_up(background=False)
    warm_up_s = time.perf_counter() - started

    fresh: list[float] = []  # questions not asked before in this process
    repeated: list[float] = []  # asked before: query encodings come from the cache
    for round_no in range(rounds):
        for question in QUESTIONS:
            t = time.perf_counter()
            service.answer(question)
            elapsed = (time.perf_counter() - t) * 1000
            is_new = round_no == 0 and question != QUESTIONS[0]
            (fresh if is_new else repeated).append(elapsed)
    print(
        json.dumps(
            {
                "mode": service.mode,
                "cold_build_service_s": round(build_s, 2),
                "cold_first_answer_s": round(first_s, 2),
                "warm_up_all_sentences_s": round(warm_up_s, 2),
                "new_questions": len(fresh),
                "warm_new_p50_ms": round(statistics.median(fresh), 1),
                "warm_new_p95_ms": round(percentile(fresh, 95), 1),
                "repeated_questions": len(repeated),
                "warm_repeated_p50_ms": round(statistics.median(repeated), 1),
                "warm_repeated_p95_ms": round(percentile(repeated, 95), 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
