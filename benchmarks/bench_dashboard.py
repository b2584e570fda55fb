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
    ("two outlets", "/dashboard?outlet=Metro+Star&outlet=Daily+Ledger"),
    ("CSV: series", "/dashboard.csv?chart=series&period=week"),
    ("CSV: top per month", "/dashboard.csv?chart=top_by_period"),
    ("CSV: top people", "/dashboard.csv?chart=top_people&outlet=Metro+Star"),
    ("JSON: everything", "/dashboard.json"),
]


def after_change(client: object, corpus: object, wait: float) -> tuple[float, float]:
    """Wall and CPU ms of the first view after the corpus version moves, ``wait`` s later.

    The change is a bare version bump (what every write ends with), so only the
    dashboard's regrouping is measured, not the write.
    """
    from whosaid.store.schema import bump_version

    with corpus.engine.begin() as conn:  # type: ignore[attr-defined]
        bump_version(conn)
    time.sleep(wait)
    t0, c0 = time.perf_counter(), time.process_time()
    client.get("/dashboard")  # type: ignore[attr-defined]
    return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000


def main() -> None:
    from bench_pages import build, timed

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
    app = create_app(str(db))
    with TestClient(app) as client:
        corpus = app.state.web.corpus
        client.get("/dashboard")
        right = [after_change(client, corpus, 0.0) for _ in range(3)]
        later = [after_change(client, corpus, 8.0) for _ in range(3)]
        for name, runs in (("at once", right), ("8 s later", later)):
            print(f"first view {name} after a change: wall "
                  f"{statistics.median(r[0] for r in runs):.0f} ms, CPU "
                  f"{statistics.median(r[1] for r in runs):.0f} ms (median of 3)",
                  file=sys.stderr)
        for label, url in URLS:
            p50, p95, cpu, _first = timed(client, url, args.repeats)
            rows.append((label, url, p50, p95, cpu))
            print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, CPU p50 {cpu:.0f} ms",
                  file=sys.stderr)
    print(f"Corpus: {counts['documents']:,} documents, {counts['attributions']:,} statements, "
          f"{counts['speakers']:,} speakers (SQLite); {args.repeats} requests per URL after "
          "one warm-up.\n")
    print("The first view after the corpus changed (median of 3; wall clock, then this "
          "process's CPU time, which includes the refresher thread's regrouping):\n")
    print("| when | wall | CPU |\n| --- | --- | --- |")
    for name, runs in (("at once (waits for the regrouping)", right),
                       ("8 s later (the refresher regrouped meanwhile)", later)):
        print(f"| {name} | {statistics.median(r[0] for r in runs):.0f} ms | "
              f"{statistics.median(r[1] for r in runs):.0f} ms |")
    print("\n| view | URL | p50 | p95 | CPU p50 |\n| --- | --- | --- | --- | --- |")
    for label, url, p50, p95, cpu in rows:
        print(f"| {label} | `{url}` | {p50:.0f} ms | {p95:.0f} ms | {cpu:.0f} ms |")


if __name__ == "__main__":
    main()
