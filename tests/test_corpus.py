"""The corpus store against real databases: SQLite files and a PostgreSQL server.

PostgreSQL comes from ``$WHOSAID_TEST_PG`` (a server URL; .ci/run exports it
from scripts/start_postgres.sh) or, failing that, from running that script
here; the PostgreSQL cases skip, saying why, only when no server can be started.
Each test gets a fresh database. Texts are short so the suite stays fast.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from whosaid.cli import app
from whosaid.ingest import SourceText, read_inputs
from whosaid.model import (
    Attribution,
    Document,
    Source,
    Speaker,
    SpeakerKind,
    content_of,
    span_of,
)
from whosaid.store import Corpus, CorpusError, database_url, text_hash
from whosaid.store.schema import LATEST

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

TEXTS = {
    "nato-1": ("NATO Secretary General Jens Stoltenberg said the alliance would respond "
               "firmly. Stoltenberg added that talks with Moscow would continue.",
               {"published": "2024-03-02", "outlet": "Wire"}),
    "nato-2": ("Jens Stoltenberg said on Monday that allies must spend more on defence.",
               {"published": "2024-03-01", "outlet": "Daily"}),
    "stringer-1": ("Lieutenant General Johnny Stringer, the alliance's deputy supreme allied "
                   "commander, said the exercise went well.", {"published": "2024-04-01"}),
    "stringer-2": ("Gen. Stringer said the troops were ready for winter.",
                   {"published": "2024-04-02"}),
    "kelly-1": ("Senator Mark Kelly said the bill would pass next week.", {}),
    "kelly-2": ("Astronaut Scott Kelly said the mission had been a success.", {}),
    "kelly-3": ("Kelly said the plan was deeply flawed.", {}),
}


def items(names: list[str] | None = None) -> list[SourceText]:
    return [SourceText(n, t, dict(m), n) for n, (t, m) in TEXTS.items()
            if names is None or n in names]


# --- databases ----------------------------------------------------------------


@pytest.fixture
def corpus(db_url: str) -> Iterator[Corpus]:
    with Corpus(db_url) as c:
        c.ingest(items())
        yield c


# --- ingest ---------------------------------------------------------------------


def test_ingest_examples_is_idempotent(db_url: str) -> None:
    with Corpus(db_url) as c:
        first = c.ingest(read_inputs([EXAMPLES]))
        counts = c.counts()
        again = c.ingest(read_inputs([EXAMPLES]))
        assert (first.stored, first.skipped, first.errors) == (7, 0, [])
        assert (again.stored, again.skipped) == (0, 7)
        assert c.counts() == counts
        assert counts["attributions"] > 20


def test_ingest_with_two_workers_stores_the_same(tmp_path: Path) -> None:
    """Analysis in worker processes changes nothing in what is stored."""
    rows = []
    for workers in (1, 2):
        with Corpus(f"sqlite:///{tmp_path / f'w{workers}.db'}") as c:
            report = c.ingest(read_inputs([EXAMPLES]), workers=workers)
            assert (report.stored, report.errors) == (7, [])
            with c.engine.connect() as conn:
                rows.append(conn.execute(text(
                    "SELECT d.name, a.cue_text, a.source_text, a.content_text "
                    "FROM attributions a JOIN documents d ON d.id = a.document_id "
                    "ORDER BY d.name, a.position")).all())
    assert rows[0] == rows[1]
    assert len(rows[0]) > 20


def test_metadata_and_dates_kept(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(read_inputs([EXAMPLES / "wire.jsonl"]))
        with c.engine.connect() as conn:
            row = conn.execute(text(
                "SELECT name, title, outlet, author, url, published, metadata FROM documents "
                "WHERE name = 'wire-0001'")).one()
    assert row.title == "Ferry operator cancels winter crossings"
    assert (row.outlet, row.author, row.published) == ("Harbour Wire", "Kai Lennart",
                                                       "2024-11-04")
    assert json.loads(row.metadata)["id"] == "wire-0001"


def test_same_text_twice_in_one_run_is_stored_once(db_url: str) -> None:
    twin = SourceText("twin", "  " + TEXTS["nato-2"][0] + "\r\n", {}, "twin")
    with Corpus(db_url) as c:
        report = c.ingest([*items(["nato-2"]), twin])
        assert (report.stored, report.skipped) == (1, 1)
        assert text_hash(twin.text) == text_hash(TEXTS["nato-2"][0])


def test_bad_files_reported_and_skipped(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXTS["nato-2"][0], encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "empty.txt").write_text("   ", encoding="utf-8")
    (folder / "rows.csv").write_text("title,text\nOne,\"Critics said it failed.\"\nTwo,\n",
                                     encoding="utf-8")
    with Corpus(db_url) as c:
        report = c.ingest(read_inputs([folder]))
        assert report.stored == 2
        problems = {Path(where.split(":")[0]).name: p for where, p in report.errors}
        assert set(problems) == {"binary.txt", "empty.txt", "rows.csv"}
        assert c.counts()["documents"] == 2


# --- speakers across documents -------------------------------------------------


def by_name(c: Corpus) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for s in c.speakers():
        out.setdefault(s.name, []).append(s.as_dict())
    return out


def test_full_names_merge_across_documents(corpus: Corpus) -> None:
    jens = corpus.find_speaker("Jens Stoltenberg")
    assert (jens.kind, jens.count, jens.documents) == ("person", 3, 2)
    assert "Secretary General" in jens.titles
    assert (jens.first, jens.last) == ("2024-03-01", "2024-03-02")
    assert corpus.find_speaker("Stoltenberg").id == jens.id  # an alias finds it


def test_surname_with_shared_title_joins_the_person(corpus: Corpus) -> None:
    johnny = corpus.find_speaker("Johnny Stringer")
    assert johnny.count == 2 and johnny.documents == 2
    assert "the alliance's deputy supreme allied commander" in johnny.roles
    assert "Stringer" in johnny.aliases


def test_shared_surname_without_evidence_is_not_merged(corpus: Corpus) -> None:
    speakers = by_name(corpus)
    assert speakers["Mark Kelly"][0]["count"] == 1
    assert speakers["Scott Kelly"][0]["count"] == 1
    assert speakers["Kelly"][0]["count"] == 1  # its own speaker: no first name, no title
    assert corpus.find_speaker("Kelly").key.startswith("person?:kelly@")


HARMON = {
    "h-president": "President Harmon said on Monday that the budget would pass before winter.",
    "h-mister": ("Mr. Harmon said the tariffs would be lifted. President Harmon spoke in Ohio "
                 "on Tuesday, where he met farmers."),
    "h-headline": ("Weary Harmon Returns Home\n\nPresident Harmon said on Friday that he was "
                   "glad to be back."),
    "h-governor": "Governor Harmon said the roads would be repaired by spring.",
    "h-missus": ("Mrs. Harmon said the school would open in May. President Harmon was not "
                 "there."),
}


def harmon(names: list[str]) -> list[SourceText]:
    return [SourceText(n, HARMON[n], {}, n) for n in names]


def harmon_speakers(c: Corpus) -> dict[str, int]:
    """Document name -> corpus speaker id of its (one) statement."""
    with c.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.name, ds.speaker_id FROM attributions a JOIN documents d "
            "ON d.id = a.document_id JOIN doc_speakers ds ON ds.id = a.doc_speaker_id")).all()
    return {name: sid for name, sid in rows}


def test_bare_surnames_with_a_shared_title_are_one_person(db_url: str) -> None:
    """No article gives a first name; "President Harmon" in each makes them one person,
    the title read off the text where the statement says "Mr. Harmon", and a headline's
    capitalised word is no first name. Another title or a disagreeing honorific is not."""
    with Corpus(db_url) as c:
        c.ingest(harmon(["h-president", "h-mister", "h-headline", "h-governor"]))
        sid = harmon_speakers(c)
        assert sid["h-president"] == sid["h-mister"] == sid["h-headline"]
        assert sid["h-governor"] != sid["h-president"]
        president = c.find_speaker(str(sid["h-president"]))
        assert (president.name, president.kind, president.documents) == ("Harmon", "person", 3)
        c.ingest(harmon(["h-missus"]))  # "Mrs." against "Mr.": not one person, no guess
        sid = harmon_speakers(c)
        assert len({sid["h-president"], sid["h-mister"], sid["h-missus"]}) == 3


def test_a_nickname_joins_the_person_and_a_close_name_does_not(db_url: str) -> None:
    texts = {"joe": "Joe Harmon said the mill would reopen in March.",
             "joseph": "Joseph Harmon said on Friday that the union had agreed.",
             "ivana": "Ivana Harmon said the gallery would close for a month.",
             "ivanka": "Ivanka Harmon said the new line would sell well."}
    with Corpus(db_url) as c:
        c.ingest([SourceText(n, t, {}, n) for n, t in texts.items()])
        sid = harmon_speakers(c)
        assert sid["joe"] == sid["joseph"]
        assert len({sid["joe"], sid["ivana"], sid["ivanka"]}) == 3


def test_an_honorific_that_fits_no_name_of_its_text_looks_in_the_corpus(db_url: str) -> None:
    """"Mr. Harmon" in a text that names only Linda Harmon is someone else: the one male
    Harmon the corpus knows. (Hand-built speakers: tests the store, not the resolver.)"""
    edward = stated("edward", "2024-01-01", "Edward Harmon said the plant would close.",
                    "Edward Harmon", "the plant would close", "Edward Harmon")
    mister = stated("mister", "2024-01-02", "Mr. Harmon said the workers were paid. The "
                    "firm is run by Linda Harmon.", "Mr. Harmon", "the workers were paid",
                    "Harmon")
    mister.speakers[0].title = "Mr."
    missus = stated("missus", "2024-01-03", "Mrs. Harmon said the firm would grow. Linda "
                    "Harmon and Edward Harmon met.", "Mrs. Harmon", "the firm would grow",
                    "Harmon")
    missus.speakers[0].title = "Mrs."
    with Corpus(db_url) as c:
        for doc in (edward, mister, missus):
            c.store_document(doc)
        c.relink()
        sid = harmon_speakers(c)
        assert sid["mister"] == sid["edward"]
        # "Mrs." fits Linda, a name of its own text: hers, not the corpus's
        assert sid["missus"] != sid["edward"]
        assert c.find_speaker(str(sid["missus"])).name == "Linda Harmon"


def test_a_title_group_is_shown_by_its_name_without_the_title() -> None:
    from collections import Counter

    from whosaid.store.corpus import best_name

    counts = Counter({"President Harmon, speaking in Ohio": 1, "Harmon": 1})
    assert best_name("person?:harmon@title:president", counts, "Harmon, speaking") == "Harmon"


def test_bare_surname_titles_are_read_again_for_an_older_corpus(db_url: str) -> None:
    """A corpus stored before titles were kept (evidence: a bare list of names) is upgraded
    by the speaker pass: the titles are read from the stored texts, once, and saved."""
    with Corpus(db_url) as c:
        c.ingest(harmon(["h-president", "h-mister"]))
        with c.engine.begin() as conn:
            conn.execute(text("UPDATE doc_speakers SET evidence = '[]'"))
        c.relink()
        sid = harmon_speakers(c)
        assert sid["h-president"] == sid["h-mister"]
        with c.engine.connect() as conn:
            stored = [json.loads(e) for (e,) in conn.execute(text(
                "SELECT evidence FROM doc_speakers ORDER BY id"))]
        assert [e["titles"] for e in stored] == [["President"], ["President"]]


def test_two_speakers_with_one_name_need_an_id(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest([SourceText(f"k{i}", f"Kelly said plan {i} was flawed.", {}, "")
                  for i in range(2)])
        with pytest.raises(CorpusError, match=r"names 2 speakers.*use the id"):
            c.find_speaker("Kelly")


def test_merge_and_split_persist_across_ingests(db_url: str) -> None:
    with Corpus(db_url) as c:
        # two full-name Kellys in the corpus: the bare "Kelly" is ambiguous, left apart
        c.ingest(items(["kelly-1", "kelly-2", "kelly-3"]))
        bare = next(s for s in c.speakers() if s.name == "Kelly")
        merged = c.merge("Mark Kelly", str(bare.id))
        assert merged.count == 2 and "Kelly" in merged.aliases
    # a new document with the same bare surname in it follows the stored decision
    with Corpus(db_url) as c:
        again = SourceText("kelly-4", "Kelly said the vote was close.", {}, "kelly-4")
        c.ingest([again])
        assert c.find_speaker("Mark Kelly").count == 2  # kelly-4 is its own document scope
        assert c.overrides()[0]["action"] == "merge"
        split = c.split("Mark Kelly", "Kelly")
        assert split.name == "Kelly"
        assert c.find_speaker("Mark Kelly").count == 1


def test_merge_of_one_speaker_with_itself_is_refused(corpus: Corpus) -> None:
    with pytest.raises(CorpusError, match="already one speaker"):
        corpus.merge("Jens Stoltenberg", "Stoltenberg")


def test_unnamed_speakers_stay_in_their_document(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest([SourceText(f"crit-{i}", f"Critics said plan {i} was flawed.", {}, "")
                  for i in range(2)])
        critics = [s for s in c.speakers() if s.name == "Critics"]
        assert [s.count for s in critics] == [1, 1]
        assert {s.kind for s in critics} == {"group"}


# --- queries ------------------------------------------------------------------------


def stated(name: str, date: str, text: str, source: str, content: str,
           speaker: str) -> Document:
    """A hand-built document with one attribution: tests the store, not the extractor."""
    s, c = text.index(source), text.index(content)
    cue = text.index(" said") + 1
    src = Source(text=source, start=s, end=s + len(source),
                 speaker=Speaker(name=speaker, kind=SpeakerKind.PERSON, named=True, id="s1"))
    att = Attribution(source=src, cue=span_of(text, cue, cue + 4),
                      content=content_of(text, [(c, c + len(content))]))
    return Document(name=name, text=text, attributions=[att], speakers=[src.speaker],
                    metadata={"published": date, "outlet": name.upper()})


STATED = [
    stated("late", "2024-03-02", "Jens Stoltenberg said the alliance would respond firmly.",
           "Jens Stoltenberg", "the alliance would respond firmly", "Jens Stoltenberg"),
    stated("early", "2024-03-01", "Stoltenberg said allies must spend more on defence.",
           "Stoltenberg", "allies must spend more on defence", "Jens Stoltenberg"),
    stated("kelly", "2024-01-01", "Kelly said the plan was deeply flawed.", "Kelly",
           "the plan was deeply flawed", "Kelly"),
]


def test_said_is_in_date_order(db_url: str) -> None:
    with Corpus(db_url) as c:
        for doc in STATED:
            assert c.store_document(doc)
        assert not c.store_document(STATED[0])  # the same text again: a no-op
        rows = c.said("Jens Stoltenberg")
        assert [r["document"] for r in rows] == ["early", "late"]
        assert rows[0]["content"] == "allies must spend more on defence"
        assert (rows[0]["outlet"], rows[0]["published"]) == ("EARLY", "2024-03-01")


def test_full_text_search_stems_and_ranks(db_url: str) -> None:
    with Corpus(db_url) as c:
        for doc in STATED:
            c.store_document(doc)
        rows = c.search("responds firmly")
        assert [r["document"] for r in rows] == ["late"]
        assert rows[0]["speaker"] == "Jens Stoltenberg"
        assert c.search("flawed plans")[0]["document"] == "kelly"
        assert c.search("zebra") == []
        assert c.search('"; DROP TABLE documents; --') == []


def test_unknown_speaker_suggests_names(corpus: Corpus) -> None:
    with pytest.raises(CorpusError, match="did you mean"):
        corpus.find_speaker("Jens Stoltenbreg")


# --- schema migrations ----------------------------------------------------------------


def test_schema_version_recorded_and_newer_refused(db_url: str) -> None:
    with Corpus(db_url) as c, c.engine.begin() as conn:
        assert conn.execute(text("SELECT version FROM schema_version")).scalar() == LATEST
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": LATEST + 1})
    with pytest.raises(RuntimeError, match="newer"):
        Corpus(db_url)


# --- the CLI ----------------------------------------------------------------------------


def test_cli_ingest_and_queries(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("".join(json.dumps({"id": n, "text": t, **m}) + "\n"
                             for n, (t, m) in TEXTS.items()), encoding="utf-8")
    result = runner.invoke(app, ["ingest", str(jsonl), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "7 stored" in result.output

    result = runner.invoke(app, ["speakers", "--db", db_url, "--format", "json"])
    speakers = json.loads(result.stdout)
    jens = next(s for s in speakers if s["name"] == "Jens Stoltenberg")
    assert {"name", "kind", "aliases", "count"} <= set(jens)
    assert jens["count"] == 3 and jens["kind"] == "person"

    result = runner.invoke(app, ["said", "Stoltenberg", "--db", db_url, "-f", "jsonl"])
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["published"] for x in lines] == ["2024-03-01", "2024-03-02", "2024-03-02"]

    result = runner.invoke(app, ["search", "anything", "--db", db_url, "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("published,document,")

    result = runner.invoke(app, ["said", "Nobody Atall", "--db", db_url])
    assert result.exit_code == 1 and "no speaker" in result.output

    result = runner.invoke(app, ["speakers", "merge", "Mark Kelly", "Scott Kelly",
                                 "--db", db_url])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["speakers", "--db", db_url, "-f", "json"])
    names = {s["name"]: s for s in json.loads(result.stdout)}
    assert "Scott Kelly" not in names and names["Mark Kelly"]["count"] == 2
    assert "Astronaut Scott Kelly" in names["Mark Kelly"]["aliases"]
    result = runner.invoke(app, ["speakers", "--db", db_url, "-f", "table"])
    assert result.exit_code == 0 and "Stoltenberg" in result.stdout


def test_cli_export_parquet_csv_jsonl(corpus: Corpus, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    runner = CliRunner()
    url = corpus.url.replace("postgresql+psycopg://", "postgresql://").removeprefix(
        "sqlite:///")
    for suffix in (".parquet", ".csv", ".jsonl"):
        out = tmp_path / f"speakers{suffix}"
        result = runner.invoke(app, ["speakers", "--db", url, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
    table = pq.read_table(tmp_path / "speakers.parquet")
    assert {"name", "kind", "aliases", "count"} <= set(table.column_names)
    assert "Jens Stoltenberg" in table.column("name").to_pylist()
    result = runner.invoke(app, ["speakers", "--db", url, "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2


# --- crash safety (SQLite file; the PostgreSQL path shares the code) -------------------


def test_kill_9_mid_ingest_leaves_a_consistent_db_and_rerun_finishes(tmp_path: Path) -> None:
    docs = tmp_path / "many.jsonl"
    with docs.open("w", encoding="utf-8") as fh:
        for i in range(400):
            fh.write(json.dumps({"id": f"d{i}", "text": f"Official number {i} said the "
                                 f"bridge would reopen in {i + 2} weeks, critics said."}) + "\n")
    db = tmp_path / "crash.db"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-c", "from whosaid.cli import app; app()",
               "ingest", str(docs), "--db", str(db)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
            if db.exists():
                try:
                    with sqlite3.connect(db, timeout=1) as conn:
                        stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
                except sqlite3.Error:
                    continue
                if stored >= 20:
                    break
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert 20 <= stored < 400, "ingest finished before it could be killed"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # every stored document is whole: its attributions and speakers are there
        assert conn.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM attributions a WHERE a.document_id = d.id)").fetchone()[0] == 0
        fts = conn.execute("SELECT count(*) FROM attribution_fts").fetchone()[0]
        with_content = conn.execute(
            "SELECT count(*) FROM attributions WHERE content_text IS NOT NULL").fetchone()[0]
        assert fts == with_content

    with Corpus(db) as c:
        report = c.ingest(read_inputs([docs]))
        assert report.stored + report.skipped == 400 and report.skipped >= 20
        assert c.counts()["documents"] == 400


# --- page caches and indexes (schema v5) -----------------------------------------


def test_cached_counts_follow_every_change(db_url: str) -> None:
    """Table totals, sorted speaker lists and speaker details are kept in memory until
    the corpus version moves: another process's ingest, a rename and a correction each
    show at once."""
    from whosaid.store.browse import TableFilters

    every = TableFilters()
    with Corpus(db_url) as c:
        c.ingest(items(["nato-1", "nato-2"]))
        before = c.version()
        statements = c.table_statements(every)[1]
        docs = c.table_documents(every, sort="attributions")[1]
        ranked = c.table_speakers(every, sort="count")[0]
        assert statements == 3 and docs == 2
        assert ranked[0]["name"] == "Jens Stoltenberg" and ranked[0]["count"] == 3
        assert c.version() == before  # reading moves nothing
        with Corpus(db_url) as other:  # as another process would
            other.ingest(items(["kelly-1"]))
        assert c.version() != before
        assert c.table_statements(every)[1] == statements + 1
        assert c.table_documents(every, sort="attributions")[1] == docs + 1
        c.rename(ranked[0]["id"], "J. Stoltenberg")
        assert c.table_speakers(every, sort="count")[0][0]["name"] == "J. Stoltenberg"
        stored = c.stored_document(c.table_documents(every, sort="id", order="asc")[0][0]["id"])
        assert stored is not None
        cue = stored.document.attributions[0].cue
        c.add_correction(stored.id, "delete", target_cue=(cue.start, cue.end))
        assert c.table_statements(every)[1] == statements
        assert c.table_speakers(every, sort="count")[0][0]["count"] == 2


def test_v5_upgrade_drops_the_flag_index_and_keeps_the_rows(db_url: str) -> None:
    """A v4 database (flag index, no change counter) opens as v5 with the same rows."""
    with Corpus(db_url) as c:
        c.ingest(items(["nato-1", "kelly-1"]))
        counts = c.counts()
    engine = create_engine(database_url(db_url))
    with engine.begin() as conn:  # what whosaid left before v5
        conn.execute(text("CREATE INDEX IF NOT EXISTS ix_attributions_active "
                          "ON attributions (active)"))
        conn.execute(text("DROP TABLE corpus_state"))
        conn.execute(text("UPDATE schema_version SET version = 4"))
    engine.dispose()
    with Corpus(db_url) as c:
        assert c.upgraded_from == 4
        assert c.counts() == counts
        assert c.version()[1] == 0 and len(c.version()[0]) == 32
        from sqlalchemy import inspect

        with c.engine.connect() as conn:
            indexes = {ix["name"] for ix in inspect(conn).get_indexes("attributions")}
            assert "ix_attributions_active" not in indexes
            names = {ix["name"] for ix in inspect(conn).get_indexes("doc_speakers")}
            assert "ix_doc_speakers_names" in names
        c.ingest(items(["kelly-2"]))
        assert c.version()[1] > 0


def test_refresh_recomputes_kept_values_of_an_older_version(db_url: str) -> None:
    """What the web app's refresher thread does after a change: the kept value is
    computed again in the background, so the next reader finds it ready."""
    calls: list[int] = []

    def documents(conn: object) -> int:
        calls.append(1)
        return int(conn.execute(text("SELECT count(*) FROM documents")).scalar_one())  # type: ignore[attr-defined]

    with Corpus(db_url) as c:
        c.ingest(items(["nato-1"]))
        with c.engine.connect() as conn:
            assert c.memo(conn, ("test-docs",), documents) == 1
            assert c.memo(conn, ("test-docs",), documents) == 1 and len(calls) == 1
        assert c.refresh() == 0  # nothing is old
        with Corpus(db_url) as other:
            other.ingest(items(["nato-2"]))
        assert c.refresh() >= 1 and len(calls) == 2
        with c.engine.connect() as conn:
            assert c.memo(conn, ("test-docs",), documents) == 2 and len(calls) == 2


@pytest.mark.parametrize("deep", [1000, 0])
def test_table_pages_join_up_on_both_databases(db_url: str, deep: int,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Every sort of /statements and /documents, page by page, is the whole list, whether
    the database pages or the kept keys do (``DEEP``: from which offset on)."""
    from whosaid.store import browse
    from whosaid.store.browse import TableFilters, table_sorts

    monkeypatch.setattr(browse, "DEEP", deep)
    with Corpus(db_url) as c:
        c.ingest(items())
        for view, query in (("statements", c.table_statements),
                            ("documents", c.table_documents)):
            for sort in table_sorts(view):
                for order in ("asc", "desc"):
                    whole, total = query(TableFilters(), sort=sort, order=order, limit=1000)
                    paged = [r for k in range(0, total, 2) for r in query(
                        TableFilters(), sort=sort, order=order, limit=2, offset=k)[0]]
                    assert paged == whole and len(whole) == total, (view, sort, order)
