"""Page latency of the web UI on a 10,000-document SQLite corpus: p50 and p95 per page.

Building the corpus: the articles in ``examples/`` are analysed once by the
real pipeline; then each of the 10,000 documents is a clone of one of them
with a new text (the original plus a numbered line at the end, so the
offsets hold and the text hash is new), new metadata (one of 12 outlets, a
date spread over two years, a title) and its person speakers renamed from a
pool of 3,000 synthetic names (so the speaker directory has thousands of
people, not the examples' few dozen), each with a gender. The clones go in
through ``Corpus.store_document`` (the ingest write path: speaker keys,
attributions, full-text index), then the speaker pass runs once.

Measuring: the app from ``whosaid.web.create_app`` under FastAPI's TestClient
(in process: no network; the time is the app's and the database's), each page
requested ``--repeats`` times after one warm-up request, the median and 95th
percentile reported. Run:

    python benchmarks/bench_pages.py                 # builds /tmp/whosaid-bench-10k.db once
    python benchmarks/bench_pages.py --docs 2000     # smaller
    python benchmarks/bench_pages.py --rebuild       # build it again
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTLETS = ["Harbour Wire", "Daily Ledger", "The Courier", "Metro Star", "Northern Echo",
           "Coastal Times", "Capital Post", "Valley Herald", "Evening Standard Review",
           "Morning Gazette", "River City News", "The Observer Weekly"]
FIRST = {"female": ["Maria", "Anna", "Grace", "Fatima", "Helen", "Priya", "Sofia", "Laura",
                    "Chloe", "Amara", "Ingrid", "Nadia", "Ruth", "Olivia", "Mei"],
         "male": ["John", "David", "Ahmed", "Peter", "Kofi", "Lars", "Rahul", "Marco",
                  "Tomás", "Samuel", "Victor", "Hiroshi", "Daniel", "Paul", "Omar"]}
LAST = ["Okafor", "Lindqvist", "Moreau", "Nakamura", "Fischer", "Costa", "Haddad", "Novak",
        "Mensah", "Kowalski", "Petrov", "Oliveira", "Brennan", "Sato", "Adeyemi", "Larsen",
        "Rossi", "Dubois", "Schmidt", "Kaplan", "Reyes", "Walsh", "Ibrahim", "Jensen",
        "Morales", "Chen", "Singh", "Murphy", "Bauer", "Varga"]


def names(n: int, rng: random.Random) -> list[tuple[str, str]]:
    pool = []
    seen: set[str] = set()
    while len(pool) < n:
        gender = rng.choice(("female", "male"))
        name = f"{rng.choice(FIRST[gender])} {rng.choice(LAST)}"
        if len(seen) > len(FIRST["female"]) * 2 * len(LAST) - 10:
            name += f" {rng.choice(LAST)}-{len(pool)}"  # the pool is larger than the grid
        if name in seen:
            continue
        seen.add(name)
        pool.append((name, gender))
    return pool


def build(db: Path, n_docs: int, seed: int = 7) -> None:
    from whosaid.ingest import read_inputs
    from whosaid.model import Gender, SpeakerKind
    from whosaid.pipeline import extract_many
    from whosaid.store import Corpus

    rng = random.Random(seed)
    items = [i for i in read_inputs([ROOT / "examples"]) if hasattr(i, "text")]
    t0 = time.perf_counter()
    bases = list(extract_many([(i.name, i.text, i.metadata) for i in items]))
    print(f"analysed {len(bases)} example articles in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    pool = names(3000, rng)
    t0 = time.perf_counter()
    with Corpus(db) as corpus:
        for k in range(n_docs):
            base = bases[k % len(bases)]
            text = f"{base.text}\n\n(Bulletin {k})"
            day = rng.randrange(730)
            published = time.strftime("%Y-%m-%d", time.gmtime(1_672_531_200 + day * 86400))
            meta = {"outlet": OUTLETS[k % len(OUTLETS)], "published": published,
                    "title": f"{(base.metadata.get('title') or base.name or 'Report')} #{k}"}
            speakers = []
            renames: dict[str, object] = {}
            for sp in base.speakers:
                if sp.kind is SpeakerKind.PERSON:
                    name, gender = pool[rng.randrange(len(pool))]
                    new = sp.model_copy(update={"name": name, "gender": Gender(gender)})
                else:
                    new = sp
                speakers.append(new)
                renames[sp.id or sp.name] = new
            atts = []
            for att in base.attributions:
                src = att.source
                if src is not None and src.speaker is not None:
                    key = src.speaker.id or src.speaker.name
                    src = src.model_copy(update={"speaker": renames.get(key, src.speaker)})
                atts.append(att.model_copy(update={"source": src}))
            doc = base.model_copy(update={"text": text, "name": f"bulletin-{k}",
                                          "metadata": meta, "speakers": speakers,
                                          "attributions": atts})
            corpus.store_document(doc)
            if (k + 1) % 1000 == 0:
                print(f"stored {k + 1} documents ({time.perf_counter() - t0:.0f} s)",
                      file=sys.stderr)
        corpus.relink()
        print(f"built {db}: {corpus.counts()} in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr)


def pages(client: object) -> list[tuple[str, str]]:
    """(label, URL) of every page, with ids and values taken from the corpus."""
    docs = client.get("/documents", params={"format": "json", "sort": "id",  # type: ignore[attr-defined]
                                            "order": "asc"}).json()
    speakers = client.get("/speakers", params={"format": "json", "kind": "person"}).json()  # type: ignore[attr-defined]
    doc_id, speaker_id = docs[len(docs) // 2]["id"], speakers[0]["id"]
    return [
        ("analyse form", "/"),
        ("documents", "/documents"),
        ("documents, sorted by statements", "/documents?sort=attributions&order=desc"),
        ("documents, outlet + date range", "/documents?outlet=Metro+Star&from=2023-03-01"
                                           "&to=2023-09-30"),
        ("documents, text search", "/documents?q=ferry"),
        ("documents, women quoted", "/documents?gender=female"),
        ("documents, page 200", "/documents?page=200"),
        ("one document", f"/documents/{doc_id}"),
        ("speakers", "/speakers"),
        ("speakers, by name", "/speakers?sort=name&order=asc"),
        ("speakers, women, one outlet", "/speakers?gender=female&outlet=Daily+Ledger"),
        ("speakers, date range", "/speakers?from=2024-01-01&to=2024-06-30"),
        ("one speaker", f"/speakers/{speaker_id}"),
        ("statements", "/statements"),
        ("statements, by content", "/statements?sort=content&order=asc"),
        ("statements, one speaker", f"/statements?speaker={speaker_id}"),
        ("statements, type + specificity", "/statements?type=direct&specificity=named_person"),
        ("statements, full text", "/statements?q=council"),
        ("statements, page 1000", "/statements?page=1000"),
        ("search", "/search?q=council+budget"),
        ("dashboard", "/dashboard"),
    ]


Row = tuple[str, str, float, float, float, float]  # label, URL, p50, p95, CPU p50, first


def changed(client: object) -> None:
    """Move the corpus version, as every write does last: the caches start again."""
    from whosaid.store.schema import bump_version

    with client.app.state.web.corpus.engine.begin() as conn:  # type: ignore[attr-defined]
        bump_version(conn)


def timed(client: object, url: str, repeats: int) -> tuple[float, float, float, float]:
    """p50 and p95 wall-clock time and p50 CPU time of ``repeats`` requests, in ms, and
    the CPU time of the first request, made right after a corpus change (a version
    bump: what every write ends with), so every cache of the page starts empty.

    CPU time is the process's (the app runs in a thread of this process, SQLite
    in the same thread), so it says what a request costs even when other jobs
    load the machine and stretch the wall clock.
    """
    times, cpu, first = [], [], 0.0
    changed(client)
    for k in range(repeats + 1):
        t0, c0 = time.perf_counter(), time.process_time()
        r = client.get(url)  # type: ignore[attr-defined]
        dt, dc = time.perf_counter() - t0, time.process_time() - c0
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
        if k:  # the first request warms caches and is not counted
            times.append(dt * 1000)
            cpu.append(dc * 1000)
        else:
            first = dc * 1000
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpu), first


def measure(db: Path, repeats: int, only: str | None = None) -> list[Row]:
    from fastapi.testclient import TestClient

    from whosaid.web import create_app, dashboard

    # no background refresher here: it would recompute kept figures after every
    # version bump below and add its CPU time to the requests measured
    dashboard.REFRESH_IDLE = 0.0
    out = []
    with TestClient(create_app(str(db))) as client:
        for label, url in pages(client):
            if only and only not in label and only not in url:
                continue
            p50, p95, cpu, first = timed(client, url, repeats)
            out.append((label, url, p50, p95, cpu, first))
            print(f"{label}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, CPU p50 {cpu:.0f} ms, "
                  f"first {first:.0f} ms", file=sys.stderr)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--only", help="measure only the pages whose label or URL contains this")
    args = ap.parse_args()
    db = args.db or Path(f"/tmp/whosaid-bench-{args.docs // 1000}k.db")
    if args.rebuild and db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    if not db.exists():
        build(db, args.docs)
    from whosaid.store import Corpus

    with Corpus(db) as corpus:
        counts = corpus.counts()
    rows = measure(db, args.repeats, args.only)
    print(f"Corpus: {counts['documents']:,} documents, {counts['attributions']:,} statements, "
          f"{counts['speakers']:,} speakers (SQLite, {db.stat().st_size / 2**20:.0f} MiB); "
          f"{args.repeats} requests per page after one warm-up.\n")
    print("| page | URL | p50 | p95 | CPU p50 | CPU, first view |\n"
          "| --- | --- | --- | --- | --- | --- |")
    for label, url, p50, p95, cpu, first in rows:
        print(f"| {label} | `{url}` | {p50:.0f} ms | {p95:.0f} ms | {cpu:.0f} ms "
              f"| {first:.0f} ms |")


if __name__ == "__main__":
    main()
