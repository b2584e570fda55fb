"""Loopback load test of the web API: requests/s and p99 latency for analyse and search.

Starts the app with uvicorn on 127.0.0.1 (a free port) over a temporary SQLite
corpus of the bundled examples, then sends a fixed number of requests from a
few client threads, stopping early at a time bound. Only 127.0.0.1 is ever
contacted. Usage: python benchmarks/bench_web.py [--requests 200] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

from web_common import QUERIES, TEXT, free_port
from whosaid.ingest import read_inputs
from whosaid.store import Corpus
from whosaid.web import create_app

ROOT = Path(__file__).resolve().parents[1]


def run(kind: str, base: str, n: int, workers: int, deadline: float) -> dict[str, float]:
    """Send ``n`` requests of one kind from ``workers`` threads; stop at ``deadline``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()

    def one(i: int) -> None:
        nonlocal errors
        if time.monotonic() > deadline:
            return
        with httpx.Client(base_url=base, timeout=30) as c:
            t0 = time.perf_counter()
            if kind == "analyse":
                r = c.post("/api/analyse", json={"text": f"{TEXT} ({i})"})
            else:
                r = c.get("/api/search", params={"q": QUERIES[i % len(QUERIES)]})
            dt = time.perf_counter() - t0
        with lock:
            latencies.append(dt)
            errors += r.status_code != 200

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(n)))
    wall = time.perf_counter() - start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else 0
    return {"requests": len(latencies), "errors": errors, "seconds": round(wall, 2),
            "rps": round(len(latencies) / wall, 1) if wall else 0.0,
            "p50_ms": round(1000 * statistics.median(latencies), 1) if latencies else 0.0,
            "p99_ms": round(1000 * p99, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="per endpoint")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60, help="time bound per endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        with Corpus(db) as corpus:
            corpus.ingest(read_inputs([ROOT / "examples"]))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port,
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        httpx.post(base + "/api/analyse", json={"text": TEXT}, timeout=60)  # warm the models
        results = {}
        for kind in ("analyse", "search"):
            results[kind] = run(kind, base, args.requests, args.workers,
                                time.monotonic() + args.seconds)
        server.should_exit = True
        thread.join(timeout=10)
    print(json.dumps({"workers": args.workers, **results}, indent=2))


if __name__ == "__main__":
    main()
