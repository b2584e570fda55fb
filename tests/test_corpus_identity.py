"""Who is one speaker across documents, and the user's say over it, on real databases.

Generational suffixes are part of a name's identity; one article's mentions can be
split out of a cross-document group (a title group) and the decision holds across
re-ingests; corpora stored by older rules are read again. SQLite and PostgreSQL
(``db_url``, see conftest.py). The texts are written for these tests.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from conftest import fresh_pg_database
from test_corpus import stated
from whosaid.cli import app
from whosaid.ingest import SourceText
from whosaid.model import Attribution, Source, Speaker, SpeakerKind, content_of, span_of
from whosaid.store import Corpus, CorpusError

SUFFIX_TEXTS = {
    "junior": "Edward Harmon Jr. said the family firm would open a plant in Ohio next year.",
    "father": "Edward Harmon said on Monday that the plant would hire 300 workers.",
    "initial": "Edward J. Harmon said the union had agreed to the terms of the contract.",
    "mister": "Mr. Harmon said the deal was good for the town and its schools.",
}

TITLE_TEXTS = {
    "t-one": "President Harmon said on Monday that the budget would pass before winter.",
    "t-two": ("Mr. Harmon said the tariffs would be lifted. President Harmon spoke in Ohio "
              "on Tuesday, where he met farmers."),
    "t-three": "President Harmon said on Friday that he was glad to be back in the capital.",
}


def sources(texts: dict[str, str], names: list[str] | None = None) -> list[SourceText]:
    return [SourceText(n, t, {"published": f"2024-05-0{i + 1}", "outlet": "Wire"}, n)
            for i, (n, t) in enumerate(texts.items()) if names is None or n in names]


def speaker_of(c: Corpus) -> dict[str, int]:
    """Document name -> the corpus speaker of its first statement."""
    with c.engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT d.name, ds.speaker_id FROM attributions a JOIN documents d "
            "ON d.id = a.document_id JOIN doc_speakers ds ON ds.id = a.doc_speaker_id "
            "WHERE a.active ORDER BY a.position DESC")).all()
    return {name: sid for name, sid in rows}


BOTH_TEXT = ("Edward Harmon Jr. said the plant would open in May. His father, Edward Harmon, "
             "said the town needed the jobs.")


def test_a_suffixed_name_joins_the_plain_name_without_evidence_of_two_people(
        db_url: str) -> None:
    """One outlet writes "Edward Harmon Jr.", others "Edward Harmon", "Edward J. Harmon"
    or "Mr. Harmon": nothing in the corpus says two people, so one speaker."""
    with Corpus(db_url) as c:
        c.ingest(sources(SUFFIX_TEXTS))
        sid = speaker_of(c)
        assert sid["junior"] == sid["father"] == sid["initial"] == sid["mister"]
        person = c.find_speaker(str(sid["father"]))
        assert person.key == "person:edward harmon"
        assert (person.count, person.documents) == (4, 4)
        assert "Edward Harmon Jr." in person.aliases
        assert c.find_speaker("Edward Harmon Jr.").id == person.id


def test_a_text_naming_father_and_son_keeps_the_suffix_apart_in_every_document(
        db_url: str, request: pytest.FixtureRequest) -> None:
    """Once one article quotes "Edward Harmon Jr." and "Edward Harmon" as two people, the
    suffixed name of every other article is the son and the plain ones the father;
    the decision follows what the corpus holds, not the order it came in: deleting
    the article joins them again, ingesting it again (or twice) splits them again."""
    with Corpus(db_url) as c:
        c.ingest(sources(SUFFIX_TEXTS))
        assert len(set(speaker_of(c).values())) == 1
        c.ingest([SourceText("both", BOTH_TEXT, {"published": "2024-05-09"}, "both")])
        expected = None
        for _ in range(2):
            sid = speaker_of(c)
            son = c.find_speaker("Edward Harmon Jr.")
            assert son.key == "person:edward harmon_jr"
            assert sid["junior"] == son.id
            assert sid["father"] == sid["initial"] == sid["mister"] != son.id
            assert (son.count, son.documents) == (2, 2)
            father = c.find_speaker(str(sid["father"]))
            assert (father.count, father.documents) == (4, 4)
            keys = sorted((s.key, s.count) for s in c.speakers())
            assert expected is None or keys == expected
            expected = keys
            c.ingest([SourceText("both", BOTH_TEXT, {"published": "2024-05-09"}, "both")])
        with c.engine.connect() as conn:
            both_id = conn.execute(text("SELECT id FROM documents WHERE name = 'both'")).scalar()
        assert c.delete_document(both_id)
        c.relink()
        assert len(set(speaker_of(c).values())) == 1
    # the other order, father-and-son article first, one text at a time: the same speakers
    with second_database(db_url, request) as url, Corpus(url) as c:
        c.ingest([SourceText("both", BOTH_TEXT, {"published": "2024-05-09"}, "both")])
        for one in reversed(list(SUFFIX_TEXTS)):
            c.ingest(sources(SUFFIX_TEXTS, [one]))
        assert sorted((s.key, s.count) for s in c.speakers()) == expected


@contextmanager
def second_database(db_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """Another fresh database of the same kind as ``db_url``."""
    if not db_url.startswith("postgresql"):
        yield str(Path(db_url).with_name("second.db"))
        return
    with fresh_pg_database(request.getfixturevalue("pg_server")) as url:
        yield url



def test_a_text_naming_the_father_of_a_quoted_son_is_evidence_too(db_url: str) -> None:
    """Only the son speaks, but his article names his father in full: two people, so
    the plain name of another article stays the father's."""
    son = ("Edward Harmon Jr., whose father Edward Harmon founded the mill in 1961, said "
           "the plant would open in May.")
    with Corpus(db_url) as c:
        c.ingest([SourceText("son", son, {}, "son"), *sources(SUFFIX_TEXTS, ["father"])])
        sid = speaker_of(c)
        assert sid["son"] != sid["father"]
        assert c.find_speaker(str(sid["son"])).key == "person:edward harmon_jr"
        assert c.find_speaker(str(sid["father"])).key == "person:edward harmon"


def test_a_senior_and_a_junior_in_two_articles_are_two_people(db_url: str) -> None:
    """No article names both, but the corpus writes "Sr." in one and "Jr." in another:
    two people; the plain name, which could be either, stays a speaker of its own."""
    senior = {"senior": "Edward Harmon Sr. said the family firm had weathered worse years."}
    with Corpus(db_url) as c:
        c.ingest(sources({**SUFFIX_TEXTS, **senior}, ["junior", "father", "senior"]))
        sid = speaker_of(c)
        assert len({sid["junior"], sid["father"], sid["senior"]}) == 3
        assert {c.find_speaker(str(i)).key for i in sid.values()} == {
            "person:edward harmon_jr", "person:edward harmon_sr", "person:edward harmon"}


DAY = "2024-06-01"  # the publication date of the hand-built documents


def test_evidence_read_by_older_rules_is_read_again(db_url: str) -> None:
    """A corpus stored before suffixes were kept read "Edward Harmon Jr." in a text as
    evidence of Edward Harmon: its bare "Harmon" went to the father. The speaker pass
    reads such evidence again from the stored text, once, and saves the new version."""
    son = stated("son-bare", DAY, "Edward Harmon Jr. opened the plant in May. Harmon said the "
                 "plant would hire 300 workers.", "Harmon said", "the plant would hire",
                 "Harmon")
    at = son.text.index("Harmon said")
    son.attributions[0].source = Source(text="Harmon", start=at, end=at + 6,
                                        speaker=son.speakers[0])
    father = stated("father", DAY, "Edward Harmon said the union had agreed to the terms.",
                    "Edward Harmon", "the union had agreed", "Edward Harmon")
    both = stated("both", DAY, BOTH_TEXT, "His father, Edward Harmon", "the town needed the jobs",
                  "Edward Harmon")
    at = BOTH_TEXT.index("Edward Harmon Jr.")
    son_speaker = Speaker(name="Edward Harmon Jr.", kind=SpeakerKind.PERSON, named=True, id="s2")
    both.speakers.append(son_speaker)
    both.attributions.append(Attribution(
        source=Source(text="Edward Harmon Jr.", start=at, end=at + 17, speaker=son_speaker),
        cue=span_of(BOTH_TEXT, at + 18, at + 22),
        content=content_of(BOTH_TEXT, [(at + 23, at + 51)])))
    with Corpus(db_url) as c:
        for doc in (son, father, both):  # "both": the corpus knows father and son apart
            c.store_document(doc)
        c.relink()
        sid = speaker_of(c)
        assert sid["son-bare"] != sid["father"]
        assert c.find_speaker(str(sid["son-bare"])).key == "person:edward harmon_jr"
        with c.engine.begin() as conn:  # as an older whosaid stored it
            conn.execute(text("UPDATE doc_speakers SET evidence = "
                              "'{\"names\": [\"Edward Harmon\"], \"common\": [], "
                              "\"titles\": []}'"))
        c.relink()
        sid = speaker_of(c)
        assert sid["son-bare"] != sid["father"]
        with c.engine.connect() as conn:
            stored = [json.loads(e) for (e,) in conn.execute(text(
                "SELECT evidence FROM doc_speakers ORDER BY id"))]
        assert stored[0]["names"] == ["Edward Harmon Jr."]
        assert c.find_speaker(str(sid["son-bare"])).key == "person:edward harmon_jr"
        assert {e["rules"] for e in stored} == {2}


def documents_of(c: Corpus, speaker_id: int) -> set[str]:
    return {r["document"] for r in c.said(speaker_id)}


def test_one_document_splits_out_of_a_title_group_and_stays_out(db_url: str) -> None:
    """Three articles that never give a first name say "President Harmon": one speaker.
    The user splits one article's mentions out (all are named "Harmon", so a split by
    name cannot do it); counts, `said` and re-ingests follow; merging back undoes it."""
    with Corpus(db_url) as c:
        c.ingest(sources(TITLE_TEXTS))
        sid = speaker_of(c)
        group = sid["t-one"]
        assert sid["t-two"] == sid["t-three"] == group
        assert "@title:" in c.find_speaker(str(group)).key
        with pytest.raises(CorpusError, match="every mention"):
            c.split(group, "Harmon")  # by name: every mention is "Harmon"
        with c.engine.connect() as conn:
            doc_two = conn.execute(text("SELECT id FROM documents WHERE name = 't-two'")
                                   ).scalar_one()
        alone = c.split(group, document=doc_two)
        assert alone.id != group and alone.count == 1 and alone.name == "Harmon"
        assert documents_of(c, group) == {"t-one", "t-three"}
        assert documents_of(c, alone.id) == {"t-two"}
        assert c.find_speaker(str(group)).count == 2
        with pytest.raises(CorpusError, match="no mentions in document"):
            c.split(group, document=doc_two)
        with pytest.raises(CorpusError, match="no document"):
            c.split(group, document=99999)
    # the article is deleted and ingested again: the decision, stored by its text, holds
    with Corpus(db_url) as c:
        c.delete_document(doc_two)
        c.relink()
        c.ingest(sources(TITLE_TEXTS, ["t-two"]))
        sid = speaker_of(c)
        assert sid["t-one"] == sid["t-three"] != sid["t-two"]
        assert c.find_speaker(str(sid["t-one"])).count == 2
        # merging the article back into the group undoes the split
        merged = c.merge(sid["t-one"], sid["t-two"])
        assert merged.count == 3
        assert not [o for o in c.overrides() if o["action"] == "split"]


def test_cli_splits_one_document_out(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources(TITLE_TEXTS))
        group = speaker_of(c)["t-one"]
    runner = CliRunner()
    res = runner.invoke(app, ["speakers", "split", str(group), "--document", "t-three",
                              "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "split off" in res.output
    with Corpus(db_url) as c:
        assert c.find_speaker(str(group)).count == 2
    res = runner.invoke(app, ["speakers", "split", str(group), "--db", db_url])
    assert res.exit_code != 0
    assert "alias" in res.output and "document" in res.output
    res = runner.invoke(app, ["speakers", "split", str(group), "--document", "nowhere",
                              "--db", db_url])
    assert res.exit_code != 0 and "no document 'nowhere'" in res.output


def test_a_typed_name_is_no_evidence_for_other_articles(db_url: str) -> None:
    """A user types "Nadia Harmon" for one statement: it is hers, and the corpus gains no
    full-name Harmon that would take the other articles' "President Harmon" (who is "he")."""
    with Corpus(db_url) as c:
        c.ingest(sources(TITLE_TEXTS))
        with c.engine.connect() as conn:
            doc, start, end = conn.execute(text(
                "SELECT d.id, a.cue_start, a.cue_end FROM attributions a JOIN documents d "
                "ON d.id = a.document_id WHERE d.name = 't-two' ORDER BY a.position")).first()
        c.correct_speaker(doc, (start, end), "Nadia Harmon")
        sid = speaker_of(c)
        nadia = c.find_speaker("Nadia Harmon")
        assert (nadia.count, nadia.documents) == (1, 1) and sid["t-two"] == nadia.id
        assert sid["t-one"] == sid["t-three"] != nadia.id
        assert c.find_speaker(str(sid["t-one"])).count == 2
        # an analysed full name of the surname is a candidate as before
        c.ingest([SourceText("full", "Edward Harmon said the harvest was late this year.",
                             {}, "full")])
        sid = speaker_of(c)
        assert sid["t-one"] == sid["t-three"] == sid["full"]


def test_a_corpus_keyed_the_old_way_is_upgraded_and_keeps_user_decisions(db_url: str) -> None:
    """Stored by a whosaid that keyed "Edward Harmon Jr." as Edward Harmon (one speaker,
    evidence without versions), with a rename and a correction on it: ingesting the same
    texts again splits the son off (the corpus has an article naming both) and loses
    neither decision."""
    texts = {**SUFFIX_TEXTS, "both": BOTH_TEXT}
    with Corpus(db_url) as c:
        c.ingest(sources(texts))
        father = c.find_speaker("Edward Harmon")
        with c.engine.connect() as conn:
            doc, start, end = conn.execute(text(
                "SELECT d.id, a.cue_start, a.cue_end FROM attributions a JOIN documents d "
                "ON d.id = a.document_id WHERE d.name = 'mister'")).first()
        c.correct_speaker(doc, (start, end), "Linda Harmon")
        c.rename(father.id, "Ed Harmon (mill owner)")
        with c.engine.begin() as conn:  # the old keys: the son under his father's key
            conn.execute(text(
                "UPDATE doc_speakers SET natural_key = 'person:edward harmon', speaker_id = "
                f"{father.id}, evidence = '[\"Edward Harmon\"]' WHERE name = 'Edward Harmon Jr.'"))
            conn.execute(text("DELETE FROM speakers WHERE key = 'person:edward harmon_jr'"))
        c.ingest(sources(texts))  # nothing new to store: the speaker pass upgrades
        renamed = c.find_speaker("Ed Harmon (mill owner)")
        assert renamed.id == father.id and renamed.count == 3  # "father", "initial", "both"
        # the "Mr. Harmon" whose statement is Linda's now names him no more
        assert "Mr." not in renamed.titles and "Harmon" not in renamed.aliases
        junior = c.find_speaker("Edward Harmon Jr.")
        assert junior.id != father.id and junior.count == 2
        linda = c.find_speaker("Linda Harmon")
        assert linda.count == 1 and "Mr. Harmon" not in linda.aliases
        assert [o["action"] for o in c.overrides()] == ["rename"]
        assert len(c.corrections()) == 1



def test_a_corpus_that_kept_every_suffix_apart_is_upgraded(db_url: str) -> None:
    """Stored by a whosaid that always keyed "Edward Harmon Jr." apart, with the user's
    merge of the two and a rename: the speaker pass joins them (no evidence of two
    people), keeps the rename and drops nothing else the user decided."""
    with Corpus(db_url) as c:
        c.ingest(sources(SUFFIX_TEXTS))
        father = c.find_speaker("Edward Harmon")
        with c.engine.begin() as conn:  # the previous keys, and the merge the user made
            son_id = conn.execute(text(
                "INSERT INTO speakers (key, name, kind, surname) VALUES "
                "('person:edward harmon_jr', 'Edward Harmon Jr.', 'person', 'harmon_jr') "
                "RETURNING id")).scalar_one()
            conn.execute(text(
                "UPDATE doc_speakers SET natural_key = 'person:edward harmon_jr', "
                f"speaker_id = {son_id} WHERE name = 'Edward Harmon Jr.'"))
            conn.execute(text(
                "INSERT INTO overrides (action, target, other, created) VALUES ('merge', "
                "'person:edward harmon', 'person:edward harmon_jr', '2026-12-01T00:00:00')"))
        c.rename(father.id, "Ed Harmon (mill owner)")
        c.ingest(sources(SUFFIX_TEXTS))  # nothing new to store: the speaker pass upgrades
        person = c.find_speaker("Ed Harmon (mill owner)")
        assert person.id == father.id and person.key == "person:edward harmon"
        assert (person.count, person.documents) == (4, 4)
        assert len(set(speaker_of(c).values())) == 1
        assert [o["action"] for o in c.overrides()] == ["rename"]
        with c.engine.connect() as conn:
            keys = {k for (k,) in conn.execute(text("SELECT key FROM speakers"))}
        assert keys == {"person:edward harmon"}

PAIR_TEXT = ("Mr. Okonjo and Mr. Varga said the harbour bill would pass next month. Daniel "
             "Okonjo and Peter Varga spoke in Leeds on Friday.")


def test_a_statement_of_two_people_names_both_in_every_cli_export(db_url: str,
                                                                  tmp_path: Path) -> None:
    """"Mr. Okonjo and Mr. Varga said" counts once for each, and a search's CSV and
    Parquet name both speakers, not only the first."""
    with Corpus(db_url) as c:
        c.ingest([SourceText("pair", PAIR_TEXT, {"published": "2024-07-01"}, "pair")])
        assert c.find_speaker("Daniel Okonjo").count == 1
        assert c.find_speaker("Peter Varga").count == 1
    runner = CliRunner()
    for who in ("Daniel Okonjo", "Peter Varga"):
        res = runner.invoke(app, ["said", who, "--db", db_url, "-f", "csv"])
        assert res.exit_code == 0 and "harbour bill" in res.output
    res = runner.invoke(app, ["search", "harbour bill", "--db", db_url, "-f", "csv"])
    assert res.exit_code == 0, res.output
    row = next(csv.DictReader(io.StringIO(res.output)))
    assert row["speakers"].split("; ") == ["Daniel Okonjo", "Peter Varga"]
    out = tmp_path / "hits.parquet"
    res = runner.invoke(app, ["search", "harbour bill", "--db", db_url, "--out", str(out)])
    assert res.exit_code == 0, res.output
    import pyarrow.parquet as pq

    assert pq.read_table(out).to_pylist()[0]["speakers"] == ["Daniel Okonjo", "Peter Varga"]


def test_a_statement_is_corrected_again_by_the_id_first_listed(db_url: str) -> None:
    """A correction gives the statement a new row; the id `said` listed before still names
    it, and the CLI reports each speaker of "A + B"."""
    with Corpus(db_url) as c:
        c.ingest(sources(TITLE_TEXTS, ["t-one"]))
        first = c.said(c.speakers()[0].id)[0]["attribution_id"]
    runner = CliRunner()
    res = runner.invoke(app, ["speakers", "correct", str(first), "Nadia Harmon + Peter Varga",
                              "--db", db_url])
    assert res.exit_code == 0, res.output
    assert "Nadia Harmon (1 statement)" in res.output
    assert "Peter Varga (1 statement)" in res.output
    res = runner.invoke(app, ["speakers", "correct", str(first), "Peter Varga", "--db", db_url])
    assert res.exit_code == 0, res.output
    with Corpus(db_url) as c:
        assert c.find_speaker("Peter Varga").count == 1
        assert "Nadia Harmon" not in [s.name for s in c.speakers()]
        assert len(c.corrections()) == 2  # kept: withdrawing the second restores the first
    res = runner.invoke(app, ["speakers", "correct", str(first), " ", "--db", db_url])
    assert res.exit_code != 0 and "pick a speaker or type a name" in res.output


def test_a_full_name_splits_by_document_into_a_speaker_of_its_own(db_url: str) -> None:
    """Every article names "Edward Harmon" in full; the user says one article's Edward
    Harmon is someone else: that article's mentions get a speaker of their own."""
    texts = {n: SUFFIX_TEXTS[n] for n in ("father", "initial")}
    texts["third"] = "Edward Harmon said the vote in the council was close."
    with Corpus(db_url) as c:
        c.ingest(sources(texts))
        person = c.find_speaker("Edward Harmon")
        assert person.count == 3
        other = c.split(person.id, document="third")
        assert other.id != person.id and other.count == 1 and other.name == "Edward Harmon"
        assert other.key.startswith("person:edward harmon#split:doc:")
        assert c.find_speaker(str(person.id)).count == 2
        c.relink()  # any later pass keeps it
        assert c.find_speaker(str(person.id)).count == 2


def test_father_and_son_in_one_article_are_two_corpus_speakers(db_url: str) -> None:
    """The resolver keeps "Edward Harmon Jr." and "Edward Harmon" of one text apart and
    the store keys them apart; the father of another article joins the father."""
    both = ("Edward Harmon Jr. said the plant would open in May. His father, Edward Harmon, "
            "said the town needed the jobs.")
    with Corpus(db_url) as c:
        c.ingest([SourceText("both", both, {}, "both"), *sources(SUFFIX_TEXTS, ["father"])])
        son, father = c.find_speaker("Edward Harmon Jr."), c.find_speaker("Edward Harmon")
        assert son.id != father.id
        assert (son.count, son.documents) == (1, 1)
        assert (father.count, father.documents) == (2, 2)
        assert [s["content"] for s in c.said(son.id)] == ["the plant would open in May"]
