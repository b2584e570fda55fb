"""Issue 12, on real PostgreSQL: two writers of one corpus at the same moment.

Two ingests storing documents that name the same new person must both be stored
under one speaker (neither clashes on the new key), and two speaker passes at once
(a CLI ingest's and a web merge's) must run one after the other, so neither fails
and the corpus ends as one pass would leave it.

Each test lines the two writers up with a real table lock: a third connection
holds ``speaker_keys`` in EXCLUSIVE mode (reads go on, writes wait), so both
writers are inside their transactions, past their reads, before either can commit;
then it lets go. PostgreSQL comes from ``$WHOSAID_TEST_PG`` or
scripts/start_postgres.sh (tests/conftest.py); each test gets a fresh database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Connection, create_engine, text

from conftest import fresh_pg_database
from whosaid import pipeline
from whosaid.model import Document
from whosaid.store import Corpus

# invented people, places and events
NEW_PERSON = {
    "quay-a": "Margaret Quenby said the tram depot at Orrin Cross would close in March. "
              "Margaret Quenby added that the drivers would move to the new yard.",
    "quay-b": "Margaret Quenby, the depot manager, said the night trams would stop at "
              "Orrin Cross from April.",
}
BARE_SURNAME = {
    "full": "Margaret Quenby said the tram depot at Orrin Cross would close in March.",
    "bare": "Ms. Quenby said the night trams would stop running at midnight.",
}


@pytest.fixture
def pg_db(pg_server: str) -> Iterator[str]:
    with fresh_pg_database(pg_server) as url:
        Corpus(url).close()  # the schema, made once, as a deployment would
        yield url


def analysed(texts: dict[str, str]) -> dict[str, Document]:
    """The documents as an ingest would store them (analysed once, up front)."""
    return {name: pipeline.extract(body, name=name) for name, body in texts.items()}


def waiting_sessions(conn: Connection) -> int:
    """How many other sessions of this database wait for a lock (any kind)."""
    return int(conn.execute(text(
        "SELECT count(DISTINCT a.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE NOT l.granted AND a.datname = current_database() "
        "AND a.pid <> pg_backend_pid()")).scalar_one())


def run_lined_up(url: str, writers: list[Callable[[], None]]) -> list[BaseException]:
    """Run the writers in threads, in order, while ``speaker_keys`` is locked against
    writes: each starts once the ones before it wait for a lock (the first at the
    table lock, past its reads and its first writes). Then let go; return the errors
    they raised."""
    errors: list[BaseException] = []

    def guarded(job: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                job()
            except BaseException as error:  # reported in the test's thread
                errors.append(error)
        return run

    blocker = create_engine(url)
    threads = [threading.Thread(target=guarded(job)) for job in writers]
    try:
        with blocker.connect() as watch, blocker.begin() as hold:
            hold.execute(text("LOCK TABLE speaker_keys IN EXCLUSIVE MODE"))
            for n, t in enumerate(threads, 1):
                t.start()
                deadline = time.monotonic() + 120
                while waiting_sessions(watch) < n and t.is_alive() \
                        and time.monotonic() < deadline:
                    watch.commit()  # a fresh snapshot of pg_locks each time
                    time.sleep(0.05)
                assert errors or waiting_sessions(watch) == n, \
                    f"writer {n} never waited for a lock"
        for t in threads:
            t.join(timeout=300)
        assert not any(t.is_alive() for t in threads), "a writer never finished"
    finally:
        blocker.dispose()
    return errors


def consistent(c: Corpus) -> None:
    """Nothing dangling or doubled: every mention's speaker exists, every speaker has
    mentions, and ``speaker_keys`` leads each live key to its speaker."""
    with c.engine.connect() as conn:
        dangling = conn.execute(text(
            "SELECT count(*) FROM doc_speakers d LEFT JOIN speakers s ON s.id = d.speaker_id "
            "WHERE s.id IS NULL")).scalar_one()
        idle = conn.execute(text(
            "SELECT count(*) FROM speakers s WHERE NOT EXISTS "
            "(SELECT 1 FROM doc_speakers d WHERE d.speaker_id = s.id)")).scalar_one()
        astray = conn.execute(text(
            "SELECT count(*) FROM speakers s LEFT JOIN speaker_keys k ON k.key = s.key "
            "WHERE k.speaker_id IS DISTINCT FROM s.id")).scalar_one()
    assert (dangling, idle, astray) == (0, 0, 0)


def test_two_ingests_naming_the_same_new_person_store_both_under_one_speaker(
        pg_db: str) -> None:
    """Both documents bring the key of a person the corpus has never seen: the second
    writer's insert meets the first one's (uncommitted) row. It must take that
    speaker, not fail and lose its document."""
    docs = analysed(NEW_PERSON)
    with Corpus(pg_db) as one, Corpus(pg_db) as two:
        stored: dict[str, bool] = {}

        def store(corpus: Corpus, name: str) -> Callable[[], None]:
            def job() -> None:
                stored[name] = corpus.store_document(docs[name])
            return job

        errors = run_lined_up(pg_db, [store(one, "quay-a"), store(two, "quay-b")])
        assert errors == [] and stored == {"quay-a": True, "quay-b": True}
        one.relink()
        assert one.counts()["documents"] == 2
        people = [s for s in one.speakers(min_count=0) if s.name == "Margaret Quenby"]
        assert len(people) == 1
        said = one.said(people[0].id)
        assert len(said) == 3 and {row["document"] for row in said} == {"quay-a", "quay-b"}
        consistent(one)


def test_two_speaker_passes_at_once_run_one_after_the_other(pg_db: str) -> None:
    """A stored split (a web split whose pass has not run yet) gives the bare-surname
    mention a speaker of its own: two passes both find that speaker missing. Run one
    after the other, the second finds it made; interleaved, both would create it."""
    docs = analysed(BARE_SURNAME)
    with Corpus(pg_db) as one, Corpus(pg_db) as two:
        for doc in docs.values():
            assert one.store_document(doc)
        one.relink()
        person = one.find_speaker("Margaret Quenby")
        assert len(one.said(person.id)) == 2  # the bare surname joined the full name
        with one.engine.begin() as conn:
            sha = conn.execute(text("SELECT sha256 FROM documents WHERE name = 'bare'")
                               ).scalar_one()
            conn.execute(text("INSERT INTO overrides (action, target, other, created) "
                              "VALUES ('split', :t, :o, '2026-01-01T00:00:00+00:00')"),
                         {"t": person.key, "o": f"doc:{sha}"})
        errors = run_lined_up(pg_db, [one.relink, two.relink])
        assert errors == []
        speakers = {s.id: s for s in one.speakers(min_count=0)}
        assert person.id in speakers and len(speakers) == 2
        assert sorted(len(one.said(i)) for i in speakers) == [1, 1]
        consistent(one)


def test_a_merge_and_an_ingests_speaker_pass_at_once_keep_the_merge(pg_db: str) -> None:
    """A CLI ingest has stored a document ("Ms. Quenby") and starts its speaker pass
    while a web merge folds Margaret Quenby into Peter Aldane. The pass must wait for
    the merge and read it: read before the merge commits, it would link the new
    mention to the speaker the merge deleted (or undo the merge for it)."""
    docs = analysed({**BARE_SURNAME, "other": "Peter Aldane said the ferry timetable "
                                              "would change in the autumn."})
    with Corpus(pg_db) as web, Corpus(pg_db) as cli:
        for name in ("full", "other"):
            assert web.store_document(docs[name])
        web.relink()
        keep, folded = web.find_speaker("Peter Aldane"), web.find_speaker("Margaret Quenby")
        assert cli.store_document(docs["bare"])  # its pass has not run yet

        def merge() -> None:
            web.merge(keep.id, folded.id)

        errors = run_lined_up(pg_db, [merge, cli.relink])
        assert errors == []
        said = web.said(keep.id)
        assert {row["document"] for row in said} == {"full", "bare", "other"}
        assert [s.id for s in web.speakers(min_count=0)] == [keep.id]
        consistent(web)
