"""Speaker ids are stable: deleting or re-ingesting a document renumbers no one else.

A speaker's id is its page's URL, the id ``said``, corrections and merges are given
by, and what a user bookmarks. The corpus pass re-keys speakers whenever the corpus
changes (a spelling cluster loses its most used spelling, a title group shrinks to
one article); the person keeps its id. A speaker whose documents are all deleted gets
its id back when they are ingested again, no one else ever gets it, and the id of a
speaker merged into another leads to that one. SQLite and PostgreSQL (``db_url``);
the texts are written for these tests.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from test_corpus_identity import TITLE_TEXTS, sources, speaker_of
from whosaid.cli import app
from whosaid.model import SpeakerKind
from whosaid.speakers import Mention
from whosaid.store import Corpus, CorpusError
from whosaid.web import create_app

SPELLING_TEXTS = {
    "s-one": "Jonas Pettersen, the county engineer, said the bridge repairs would take "
             "two months.",
    "s-two": "Jonas Petersen said on Monday that the road would close for a week.",
    "s-three": "Jonas Petersen said the buses would run on the old route until May.",
    "other": "Marta Ilves, a fisheries analyst, said the catch had fallen for three years.",
    "lone": "Tobias Wrenfield said the new pier would not be finished before the summer.",
}


def ids_by_name(c: Corpus) -> dict[str, int]:
    return {s.name: s.id for s in c.speakers(min_count=0)}


def doc_id(c: Corpus, name: str) -> int:
    with c.engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM documents WHERE name = :n"),
                                {"n": name}).scalar_one())


def test_deleting_and_reingesting_renumbers_no_one(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources(SPELLING_TEXTS))
        before = ids_by_name(c)
        jonas = speaker_of(c)["s-one"]
        assert speaker_of(c)["s-two"] == speaker_of(c)["s-three"] == jonas
        assert c.find_speaker(str(jonas)).key == "person:jonas petersen"  # most used
        lone = before["Tobias Wrenfield"]
        # the two articles of the most used spelling go: the person is keyed by the
        # spelling left, and keeps its id; no one else moves
        c.delete_document(doc_id(c, "s-two"))
        c.delete_document(doc_id(c, "s-three"))
        after = ids_by_name(c)
        assert after.pop("Jonas Pettersen") == jonas
        assert c.find_speaker(str(jonas)).key == "person:jonas pettersen"
        assert after == {n: i for n, i in before.items() if n in after}
        # the only article of a speaker goes: its id is no one's, not even a newcomer's
        c.delete_document(doc_id(c, "lone"))
        assert "Tobias Wrenfield" not in ids_by_name(c)
        with pytest.raises(CorpusError, match="no longer in the corpus"):
            c.find_speaker(str(lone))
        with TestClient(create_app(db_url)) as client:  # "gone", not "never was"
            for url in (f"/speakers/{lone}", f"/api/speakers/{lone}",
                        f"/statements?speaker={lone}", f"/api/attributions?speaker={lone}",
                        f"/api/export?speaker={lone}"):
                r = client.get(url)
                assert r.status_code == 410 and "documents that named it were deleted" in r.text
        c.ingest([*sources({"new": "Hedda Quarrie said the ferry fares would rise in "
                                   "autumn."})])
        newcomer = ids_by_name(c)["Hedda Quarrie"]
        assert newcomer not in before.values()
        # ingested again: every speaker has the id it had at first
        c.ingest(sources(SPELLING_TEXTS))
        again = ids_by_name(c)
        assert again.pop("Hedda Quarrie") == newcomer
        assert again == before


def test_a_title_group_of_one_article_keeps_its_id(db_url: str) -> None:
    """"President Harmon" in three articles is one speaker; two articles are deleted and
    the one left is keyed by its document alone: the same speaker, the same page."""
    with Corpus(db_url) as c:
        c.ingest(sources(TITLE_TEXTS))
        group = speaker_of(c)["t-one"]
        assert "@title:" in c.find_speaker(str(group)).key
        for name in ("t-one", "t-three"):
            c.delete_document(doc_id(c, name))
        left = c.find_speaker(str(group))
        assert "@title:" not in left.key and left.count == 1 and speaker_of(c)["t-two"] == group
        c.ingest(sources(TITLE_TEXTS))
        assert set(speaker_of(c).values()) == {group}
        assert "@title:" in c.find_speaker(str(group)).key


def test_a_merged_speaker_id_leads_to_the_person(db_url: str, tmp_path: Path) -> None:
    """Merging Marta Ilves into Tobias Wrenfield (a user's decision): her id, on the page,
    the API and the CLI, leads to him; undoing the merge gives her id back."""
    with Corpus(db_url) as c:
        c.ingest(sources(SPELLING_TEXTS))
        ids = ids_by_name(c)
        marta, tobias = ids["Marta Ilves"], ids["Tobias Wrenfield"]
        assert c.merge(tobias, marta).id == tobias
        assert c.speaker_by_id(marta) is None and c.moved_speaker(marta) == tobias
        assert c.find_speaker(str(marta)).id == tobias
    with TestClient(create_app(db_url)) as client:
        page = client.get(f"/speakers/{marta}?page=1", follow_redirects=False)
        assert page.status_code == 307
        assert page.headers["location"] == f"/speakers/{tobias}?page=1"
        assert "Tobias Wrenfield" in client.get(f"/speakers/{marta}").text
        api = client.get(f"/api/speakers/{marta}", follow_redirects=False)
        assert api.status_code == 307 and api.headers["location"] == f"/api/speakers/{tobias}"
        assert client.get(f"/api/speakers/{marta}").json()["speaker"]["id"] == tobias
        assert client.get("/speakers/99999").status_code == 404
        # a statements table linked by her id (a dashboard link) lists his statements
        table = client.get("/statements", params={"speaker": marta, "format": "json"})
        assert {r["speaker_id"] for r in table.json()} == {tobias}
        assert any("catch had fallen" in r["content"] for r in table.json())
        api = client.get("/api/attributions", params={"speaker": marta}).json()["items"]
        assert api and {r["speaker_id"] for r in api} == {tobias}
        csv_text = client.get("/api/export", params={"speaker": marta}).text
        assert "catch had fallen" in csv_text and "new pier" in csv_text
    said = CliRunner().invoke(app, ["said", str(marta), "--db", db_url, "--format", "json"])
    assert said.exit_code == 0 and "catch had fallen" in said.output
    with Corpus(db_url) as c:
        back = c.split(tobias, "Marta Ilves")
        assert back.id == marta and c.moved_speaker(marta) is None
        assert ids_by_name(c) == ids
        # the split undid the merge: no decision is left to list on either page
        assert c.overrides() == []
        assert c.speaker_decisions(tobias) == c.speaker_decisions(marta) == []


def test_a_database_of_the_previous_version_gets_stable_ids(db_url: str) -> None:
    """A v5 database (no id history) is upgraded in place; from then on ids hold."""
    with Corpus(db_url) as c:
        c.ingest(sources(SPELLING_TEXTS))
        before = ids_by_name(c)
        with c.engine.begin() as conn:
            conn.execute(text("DROP TABLE speaker_keys"))
            conn.execute(text("UPDATE schema_version SET version = 5"))
    with Corpus(db_url) as c:
        assert c.upgraded_from == 5
        assert ids_by_name(c) == before
        c.delete_document(doc_id(c, "s-two"))
        c.delete_document(doc_id(c, "s-three"))
        assert ids_by_name(c)["Jonas Pettersen"] == before["Jonas Petersen"]


def test_a_speakers_documents_come_most_statements_first_and_cut_in_sql(db_url: str) -> None:
    """The split form's choices: the documents with the most statements first, as many
    as asked (the database sorts and cuts; ties by document id)."""
    texts = {"two": "Jonas Petersen said the road would close for a week. Jonas Petersen "
                    "added that the buses would run on the old route.",
             "one": "Jonas Petersen said the bridge would reopen in May.",
             "also-one": "Jonas Petersen said the ferry would not stop at the pier."}
    with Corpus(db_url) as c:
        c.ingest(sources(texts))
        jonas = c.find_speaker("Jonas Petersen")
        docs = c.speaker_documents(jonas.id, limit=5)
        assert [d["statements"] for d in docs] == [2, 1, 1]
        assert [d["id"] for d in docs] == [doc_id(c, "two"), *sorted(
            doc_id(c, n) for n in ("one", "also-one"))]
        assert c.speaker_documents(jonas.id, limit=1) == docs[:1]


def test_a_split_by_name_is_listed_as_the_text_wrote_it(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources(SPELLING_TEXTS))
        jonas = speaker_of(c)["s-one"]
        alone = c.split(jonas, "jonas pettersen")
        assert alone.id != jonas and alone.name == "Jonas Pettersen"
        assert [d["text"] for d in c.speaker_decisions(jonas)] == [
            "split off the mentions named 'Jonas Pettersen'"]


def test_two_writers_adding_speakers_at_once_get_different_ids(db_url: str) -> None:
    """A web merge and a CLI ingest may each add a speaker at the same moment: the
    second writer's new id must not be the first one's (uncommitted) id. The first
    holds its transaction open while the second, another connection of another
    engine in a thread, adds its speaker; then the first commits."""
    with Corpus(db_url) as first, Corpus(db_url) as second:
        first.ingest(sources({"other": SPELLING_TEXTS["other"]}))
        ansel = Mention("Ansel Vortigan", SpeakerKind.PERSON, True)
        orla = Mention("Orla Dunmere", SpeakerKind.PERSON, True)
        got: dict[str, object] = {}

        def add_second() -> None:
            try:
                with second.engine.begin() as conn:
                    got["id"] = second._speaker_for(conn, "person:orla dunmere", orla)
            except Exception as error:  # reported below, in the test's thread
                got["error"] = error

        with first.engine.begin() as conn:
            mine = first._speaker_for(conn, "person:ansel vortigan", ansel)
            writer = threading.Thread(target=add_second)
            writer.start()
            time.sleep(1.0)  # SQLite: the second writer now waits for the lock
        writer.join(timeout=60)
        assert "error" not in got, got.get("error")
        assert isinstance(got["id"], int) and got["id"] != mine
        found = {s.name: s.id for s in first.speakers(min_count=0)}
        with first.engine.connect() as conn:
            keys = dict(conn.execute(text("SELECT key, speaker_id FROM speaker_keys")).all())
    assert keys["person:ansel vortigan"] == mine
    assert keys["person:orla dunmere"] == got["id"]
    assert len(set(found.values())) == len(found)


def test_splits_by_punctuated_and_accented_names_are_listed_as_written(db_url: str) -> None:
    """The stored alias is folded ("jonas k petersen", "jonas pettersen"); the page
    lists the names as the texts wrote them, the same on SQLite and PostgreSQL."""
    texts = {**{k: SPELLING_TEXTS[k] for k in ("s-two", "s-three")},
             "accent": "Jonás Pettersen, the county engineer, said the bridge repairs "
                       "would take two months.",
             "initial": "Jonas K. Petersen said the council would vote on the ferry plan "
                        "in June."}
    with Corpus(db_url) as c:
        c.ingest(sources(texts))
        jonas = speaker_of(c)["s-two"]
        assert speaker_of(c)["accent"] == speaker_of(c)["initial"] == jonas
        assert c.split(jonas, "Jonas K. Petersen").name == "Jonas K. Petersen"
        assert c.split(jonas, "jonas pettersen").name == "Jonás Pettersen"
        assert [d["text"] for d in c.speaker_decisions(jonas)] == [
            "split off the mentions named 'Jonas K. Petersen'",
            "split off the mentions named 'Jonás Pettersen'"]


def test_a_speaker_pass_reads_what_a_writer_committed_before_it(tmp_path: Path) -> None:
    """A CLI ingest's speaker pass starting while a web merge is being stored: the pass
    must read the corpus inside its own transaction (after the merge commits), or it
    writes speakers computed without the merge. The merge's override row is stored in
    an open transaction; the pass runs in a thread on another engine; then the merge
    commits. SQLite only: there pysqlite would begin the pass's transaction only at
    its first write."""
    db = str(tmp_path / "race.db")
    with Corpus(db) as first, Corpus(db) as second:
        first.ingest(sources(SPELLING_TEXTS))
        marta, tobias = speaker_of(first)["other"], speaker_of(first)["lone"]
        keys = {s.id: s.key for s in first.speakers(min_count=0)}
        got: dict[str, object] = {}

        def speaker_pass() -> None:
            try:
                second.relink()
            except Exception as error:  # reported below, in the test's thread
                got["error"] = error

        with first.engine.begin() as conn:
            conn.execute(text("INSERT INTO overrides (action, target, other, created) "
                              "VALUES ('merge', :t, :o, '2026-01-01T00:00:00+00:00')"),
                         {"t": keys[tobias], "o": keys[marta]})
            worker = threading.Thread(target=speaker_pass)
            worker.start()
            time.sleep(1.0)  # SQLite: the pass now waits for the merge's transaction
        worker.join(timeout=120)
        assert "error" not in got, got.get("error")
        assert speaker_of(first)["other"] == speaker_of(first)["lone"] == tobias
