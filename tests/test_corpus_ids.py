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

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from test_corpus_identity import TITLE_TEXTS, sources, speaker_of
from whosaid.cli import app
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
