"""Issue 16, beyond one machine, on real PostgreSQL: several ``whosaid ingest``
processes write one corpus at once with nothing lost or duplicated, and
``whosaid serve --workers 2`` serves it from two processes.

PostgreSQL comes from ``$WHOSAID_TEST_PG`` or scripts/start_postgres.sh (tests/conftest.py);
each test gets a fresh database, dropped afterwards.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import fresh_pg_database
from whosaid.store import Corpus

ROOT = Path(__file__).resolve().parent.parent
EXE = str(Path(sys.executable).with_name("whosaid"))
SUBJECTS = ["The mayor", "A union leader", "The minister", "Critics", "A spokeswoman",
            "Residents", "The company", "Officials"]


@pytest.fixture
def pg_db(pg_server: str) -> Iterator[str]:
    with fresh_pg_database(pg_server) as url:
        yield url


def feed(path: Path, numbers: range) -> Path:
    path.write_text("".join(json.dumps({
        "id": f"doc-{n}", "outlet": f"Wire {n % 3}",
        "text": f"{SUBJECTS[n % len(SUBJECTS)]} said on day {n} that the ferry to island "
                f"{n} would run again. “We are ready,” she told reporters."}) + "\n"
        for n in numbers), encoding="utf-8")
    return path


def test_concurrent_ingest_processes_lose_and_duplicate_nothing(
        pg_db: str, tmp_path: Path) -> None:
    Corpus(pg_db).close()  # create the schema once, as a deployment would
    # three processes, overlapping inputs: 0-7, 4-11, 0-11 (12 distinct documents)
    feeds = [feed(tmp_path / "a.jsonl", range(0, 8)), feed(tmp_path / "b.jsonl", range(4, 12)),
             feed(tmp_path / "c.jsonl", range(0, 12))]
    procs = [subprocess.Popen([EXE, "ingest", str(f), "--db", pg_db], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in feeds]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    with Corpus(pg_db) as corpus:
        counts = corpus.counts()
        engine = corpus.engine
        with engine.connect() as conn:
            names = sorted(r[0] for r in conn.execute(text("SELECT name FROM documents")))
            dup = conn.execute(text("SELECT count(*) FROM (SELECT sha256 FROM documents "
                                    "GROUP BY sha256 HAVING count(*) > 1) d")).scalar_one()
    assert names == sorted(f"doc-{n}" for n in range(12))  # nothing lost, nothing twice
    assert dup == 0
    assert counts["attributions"] >= 12
    again = subprocess.run([EXE, "ingest", str(feeds[2]), "--db", pg_db], capture_output=True,
                           text=True, timeout=600)
    assert "0 stored, 12 already in the database, 0 failed" in again.stdout + again.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_with_two_workers_on_postgresql(pg_db: str, tmp_path: Path) -> None:
    subprocess.run([EXE, "ingest", str(feed(tmp_path / "a.jsonl", range(5))), "--db", pg_db],
                   check=True, capture_output=True, timeout=600)
    port = free_port()
    proc = subprocess.Popen([EXE, "serve", "--db", pg_db, "--port", str(port), "--read-only",
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/documents", timeout=5) as r:
                    listing = json.loads(r.read())
                    break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr
                time.sleep(0.5)
        assert listing["total"] == 5
        for _ in range(20):
            with urllib.request.urlopen(f"{base}/api/documents?limit=1", timeout=30) as r:
                assert r.status == 200
        req = urllib.request.Request(f"{base}/api/analyse", data=json.dumps(
            {"text": "The mayor said the bridge was safe."}).encode(),
            headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=300) as r:
            assert json.loads(r.read())["attributions"]
        # the supervisor and its two server processes (plus their analysis workers)
        group = subprocess.run(["pgrep", "-s", str(proc.pid)], capture_output=True,
                               text=True).stdout.split()
        assert len(group) >= 3, group
    finally:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
