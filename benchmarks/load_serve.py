"""Loopback load test of ``whosaid serve --workers N``: analyse and search, 1 vs 2 workers.

For each worker count, starts ``whosaid serve --workers N --read-only`` on a free
127.0.0.1 port over one corpus (PostgreSQL from ``$WHOSAID_TEST_PG`` or
scripts/start_postgres.sh, in a fresh database holding ``examples/``; ``--db`` for
another), warms every analysis worker, then sends at most ``--requests`` requests
per endpoint from ``--clients`` threads, each endpoint bounded by ``--seconds``.
Reports throughput, p50/p99 latency, errors and the server's memory (summed RSS of
every process in its session: supervisor, server processes, analysis workers).
Only 127.0.0.1 is contacted; every server started is stopped.

    python benchmarks/load_serve.py [--workers 1 2] [--requests 120] [--clients 4] [--seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from web_common import QUERIES, TEXT, free_port

ROOT = Path(__file__).resolve().parents[1]
EXE = str(Path(sys.executable).with_name("whosaid"))


def request(url: str, body: bytes | None = None) -> int:
    req = urllib.request.Request(url, data=body, headers={"content-type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def session_rss_mb(sid: int) -> float:
    pids = subprocess.run(["pgrep", "-s", str(sid)], capture_output=True, text=True).stdout
    total = 0
    for pid in pids.split():
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def load(kind: str, base: str, n: int, clients: int, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors = 0

    def one(i: int) -> None:
        nonlocal errors
        if time.monotonic() > deadline:
            return
        start = time.monotonic()
        if kind == "analyse":
            status = request(f"{base}/api/analyse", json.dumps({"text": TEXT}).encode())
        else:
            status = request(f"{base}/api/search?q={QUERIES[i % len(QUERIES)].replace(' ', '+')}")
        latencies.append(time.monotonic() - start)
        errors += status != 200

    start = time.monotonic()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(n)))
    wall = time.monotonic() - start
    lat = sorted(latencies)
    return {"requests": len(lat), "errors": errors, "rps": len(lat) / wall if wall else 0.0,
            "p50": statistics.median(lat) if lat else 0.0,
            "p99": lat[min(len(lat) - 1, int(0.99 * len(lat)))] if lat else 0.0}


def database(args: argparse.Namespace) -> tuple[str, str | None]:
    """(URL, name of a database to drop afterwards)."""
    if args.db:
        return args.db, None
    server = os.environ.get("WHOSAID_TEST_PG") or subprocess.run(
        ["bash", str(ROOT / "scripts" / "start_postgres.sh")], capture_output=True, text=True,
        check=True).stdout.strip()
    from sqlalchemy import create_engine, text

    from whosaid.store import database_url

    name = f"whosaid_load_{uuid.uuid4().hex[:10]}"
    with create_engine(database_url(server), isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{server.rsplit('/', 1)[0]}/{name}"
    subprocess.run([EXE, "ingest", str(ROOT / "examples"), "--db", url], check=True,
                   capture_output=True)
    return url, name


def drop(name: str) -> None:
    from sqlalchemy import create_engine, text

    from whosaid.store import database_url

    server = os.environ.get("WHOSAID_TEST_PG") or subprocess.run(
        ["bash", str(ROOT / "scripts" / "start_postgres.sh")], capture_output=True, text=True,
        check=True).stdout.strip()
    with create_engine(database_url(server), isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def serve_and_load(url: str, workers: int, args: argparse.Namespace) -> list[dict[str, Any]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([EXE, "serve", "--db", url, "--port", str(port), "--read-only",
                             "--workers", str(workers)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while request(f"{base}/api/documents") != 200:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.5)
        # warm every server process's analysis worker (connections spread over them)
        with ThreadPoolExecutor(workers * 2) as pool:
            list(pool.map(lambda _i: request(f"{base}/api/analyse",
                                             json.dumps({"text": TEXT}).encode()),
                          range(workers * 4)))
        rows = []
        for kind in ("analyse", "search"):
            result = load(kind, base, args.requests, args.clients, args.seconds)
            rows.append({"workers": workers, "endpoint": kind, **result,
                         "rss_mb": session_rss_mb(proc.pid)})
            print(rows[-1], file=sys.stderr, flush=True)
        return rows
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--requests", type=int, default=120)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--db", default=None, help="corpus URL (default: a fresh PostgreSQL db)")
    args = parser.parse_args()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_avg = os.getloadavg()[0]
    url, made = database(args)
    try:
        rows = [r for n in args.workers for r in serve_and_load(url, n, args)]
    finally:
        if made:
            drop(made)
    kind = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"`python benchmarks/load_serve.py --requests {args.requests} --clients "
          f"{args.clients} --seconds {args.seconds:g}` ({started}, {kind}, nproc "
          f"{os.cpu_count()}, load {load_avg:.1f} at start)\n")
    print("| server processes | endpoint | requests | errors | requests/s | p50 | p99 | "
          "server RSS |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['workers']} | {r['endpoint']} | {r['requests']} | {r['errors']} | "
              f"{r['rps']:.1f} | {r['p50'] * 1000:.0f} ms | {r['p99'] * 1000:.0f} ms | "
              f"{r['rss_mb']:.0f} MB |")


if __name__ == "__main__":
    main()
