"""Semantic search latency on N stored statement vectors (default 10,000).

Uses the corpus that ``bench_pages.py`` builds (or ``--db``), copied, with a
vector stored for its first N statements. By default the vectors are the
real MiniLM embeddings of the statements' content (``--random`` stores random
unit vectors instead: quicker to build, and the query time does not depend on
the values). Then it times, in one process: loading the model (once), the
first query (reads every vector into memory) and ``--repeats`` further
queries (the vectors stay in memory while the store is unchanged), p50/p95.

    python benchmarks/bench_semantic.py --random
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = ["the bridge will reopen next month", "taxes on fuel are going up",
           "the union says its members will strike", "the council has run out of money",
           "shipping resumes after the storm"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=Path("/tmp/whosaid-bench-10k.db"))
    ap.add_argument("--statements", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--random", action="store_true")
    args = ap.parse_args()
    if not args.db.exists():
        raise SystemExit(f"{args.db}: run benchmarks/bench_pages.py first (it builds it)")
    import numpy as np

    from whosaid import search
    from whosaid.store import Corpus

    tmp = Path(tempfile.mkdtemp()) / "semantic.db"
    shutil.copy(args.db, tmp)
    with Corpus(tmp) as corpus:
        todo = corpus.unembedded(search.MODEL_NAME)[:args.statements]
        t0 = time.perf_counter()
        search.load_encoder()
        load = time.perf_counter() - t0
        t0 = time.perf_counter()
        if args.random:
            rng = np.random.default_rng(7)
            vectors = rng.standard_normal((len(todo), 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        else:
            vectors = search.encode([c for _, c in todo])
        corpus.save_embeddings(search.MODEL_NAME, [(i, v.tobytes()) for (i, _), v in
                                                   zip(todo, vectors, strict=True)])
        build = time.perf_counter() - t0
        # the rest have no vector; semantic_search would embed them first: drop them
        # from the comparison by timing the query on the stored ones only
        search.embed_corpus = lambda corpus, progress=None: 0  # type: ignore[assignment]
        t0 = time.perf_counter()
        first = search.semantic_search(corpus, QUERIES[0], limit=20)
        cold = time.perf_counter() - t0
        times = []
        for k in range(args.repeats):
            t0 = time.perf_counter()
            search.semantic_search(corpus, QUERIES[k % len(QUERIES)], limit=20)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    kind = "random unit" if args.random else "MiniLM"
    print(f"{len(todo):,} statements with {kind} vectors (stored in {build:.1f} s); "
          f"model load {load:.1f} s (once per process)", file=sys.stderr)
    print("| measure | value |\n| --- | --- |")
    print(f"| first query (reads {len(todo):,} vectors) | {cold * 1000:.0f} ms |")
    print(f"| later queries, p50 | {statistics.median(times):.0f} ms |")
    print(f"| later queries, p95 | {p95:.0f} ms |")
    print(f"| hits of the first query (min score {search.MIN_SCORE}) | {len(first)} |")


if __name__ == "__main__":
    main()
