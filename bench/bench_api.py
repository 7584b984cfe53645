"""Benchmark the served API: /api/ask under concurrent clients on loopback, and server memory.

Starts `assistant serve` (extractive mode, real corpus ingested into a temporary data
dir) as its own process, fires a bounded number of /api/ask requests from N client
threads, and reads the server's resident memory from /proc.
Usage: python bench/bench_api.py [--clients 10] [--requests 200]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from evals.metrics import percentile

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QUESTIONS = [
    "Hoe krijg ik mijn medewerkers meer betrokken?",
    "Wat is sociale innovatie?",
    "Wat levert sociale innovatie mijn bedrijf op?",
    "Welke rol speelt de leidinggevende bij sociale innovatie?",
    "Welke kritische succesfactoren zijn er voor sociale innovatie in het mkb?",
    "Wat vraagt de SER Overijssel van de provincie?",
    "Hoe houd ik mensen langer inzetbaar?",
    "Wordt het morgen mooi weer in Zwolle?",  # a refusal costs time too
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MB (Linux /proc)."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def start_server(env: dict[str, str], port: int) -> tuple[subprocess.Popen, float]:
    """Start `assistant serve`; returns the process and the seconds until /healthz answered."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(BIN / "assistant"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/healthz"
    while time.perf_counter() - started < 180:
        if proc.poll() is not None:
            raise RuntimeError(f"server stopped: {proc.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return proc, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("server did not answer /healthz within 180 s")


def load(base: str, clients: int, total: int) -> dict:
    """`total` /api/ask requests spread over `clients` threads; latencies and errors."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                start = time.perf_counter()
                response = client.post("/api/ask", json={"question": QUESTIONS[i % len(QUESTIONS)]})
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    if response.status_code != 200:
                        errors.append(response.status_code)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "requests": total,
        "clients": clients,
        "errors": len(errors),
        "seconds": round(wall, 2),
        "requests_per_s": round(total / wall, 2),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "ASSISTANT_DATA_DIR": data, "ASSISTANT_LLM": ""}
        env.pop("ASSISTANT_ADMIN_TOKEN", None)
        subprocess.run(
            [str(BIN / "assistant"), "ingest", "--quiet"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = free_port()
        proc, startup_s = start_server(env, port)
        try:
            base = f"http://127.0.0.1:{port}"
            idle_rss, _ = rss_mb(proc.pid)
            load(base, 1, len(QUESTIONS))  # warm-up: every question once
            result = load(base, args.clients, args.requests)
            rss, peak = rss_mb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    result.update(
        startup_s=round(startup_s, 1),
        rss_idle_mb=round(idle_rss, 1),
        rss_after_mb=round(rss, 1),
        rss_peak_mb=round(peak, 1),
    )
    print("| measure | value |\n|---|---|")
    for key, value in result.items():
        print(f"| {key} | {value} |")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench_api.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
