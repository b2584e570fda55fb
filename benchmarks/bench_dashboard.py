"""Dashboard latency on the 10,000-document SQLite corpus of bench_pages.py: p50 and p95.

Every dashboard view an analyst would open: the default, each period, an
outlet, a date range, all filters together, and the CSV/JSON downloads. The
corpus is the one ``benchmarks/bench_pages.py`` builds (and this script
builds it the same way when it is missing). In process, under FastAPI's
TestClient, one warm-up request per URL not counted:

    python benchmarks/bench_dashboard.py [--docs 10000] [--repeats 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

URLS = [
    ("default (monthly)", "/dashboard"),
    ("weekly", "/dashboard?period=week"),
    ("daily, two years", "/dashboard?period=day"),
    ("one outlet", "/dashboard?outlet=Metro+Star"),
    ("date range", "/dashboard?from=2023-03-01&to=2023-09-30"),
    ("outlet + range + weekly + top 25",
     "/dashboard?outlet=Daily+Ledger&from=2024-01-01&to=2024-06-30&period=week&top=25"),
    ("CSV: series", "/dashboard.csv?chart=series&period=week"),
    ("CSV: top people", "/dashboard.csv?chart=top_people&outlet=Metro+Star"),
    ("JSON: everything", "/dashboard.json"),
]


def main() -> None:
    from bench_pages import build

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--repeats", type=int, default=20)
    args = ap.parse_args()
    db = args.db or Path(f"/tmp/whosaid-bench-{args.docs // 1000}k.db")
    if not db.exists():
        build(db, args.docs)
    from fastapi.testclient import TestClient

    from whosaid.store import Corpus
    from whosaid.web import create_app

    with Corpus(db) as corpus:
        counts = corpus.counts()
    rows = []
    with TestClient(create_app(str(db))) as client:
        from whosaid.web import dashboard

        cold = []
        for _ in range(3):  # the first view after a change groups the whole corpus
            dashboard._CACHE.clear()
            t0 = time.perf_counter()
            client.get("/dashboard")
            cold.append((time.perf_counter() - t0) * 1000)
        print(f"first view after a change: {statistics.median(cold):.0f} ms (median of 3)",
              file=sys.stderr)
        for label, url in URLS:
            times = []
            for k in range(args.repeats + 1):
                t0 = time.perf_counter()
                r = client.get(url)
                dt = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
                if k:
                    times.append(dt)
            times.sort()
            p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
            rows.append((label, url, statistics.median(times), p95))
            print(f"{label}: p50 {rows[-1][2]:.0f} ms, p95 {p95:.0f} ms", file=sys.stderr)
    print(f"Corpus: {counts['documents']:,} documents, {counts['attributions']:,} statements, "
          f"{counts['speakers']:,} speakers (SQLite); {args.repeats} requests per URL after "
          "one warm-up.\n")
    print(f"The first view after the corpus changed (grouping every statement once): "
          f"{statistics.median(cold):.0f} ms, median of 3.\n")
    print("| view | URL | p50 | p95 |\n| --- | --- | --- | --- |")
    for label, url, p50, p95 in rows:
        print(f"| {label} | `{url}` | {p50:.0f} ms | {p95:.0f} ms |")


if __name__ == "__main__":
    main()
