"""Who said what across the corpus store, on SQLite and PostgreSQL.

Several speakers per statement, cross-document identity of bare surnames,
aliases that are names, corrections that count in every reader, speaker
management (merge, split, rename, correct) and the upgrade of a corpus made
with older keys. The documents are built by hand, so these tests check the
store's decisions, not the extractor's.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import text

from whosaid.model import Attribution, Document, Source, Speaker, SpeakerKind, content_of
from whosaid.store import Corpus, CorpusError

PERSON, GROUP = SpeakerKind.PERSON, SpeakerKind.GROUP


def build(name: str, text_: str, statements: list[tuple[str, str, list[str]]],
          speakers: dict[str, tuple[str, SpeakerKind]], date: str = "2024-05-01",
          outlet: str = "Wire") -> Document:
    """A document whose statements are ``(source as written, speaker id, member ids)``.

    Each source is followed by " said" (the cue) and the content runs to the
    next full stop; speakers are ``id -> (name, kind)``.
    """
    sp = {k: Speaker(name=n, kind=kind, named=kind is not GROUP or "+" in n, id=k)
          for k, (n, kind) in speakers.items()}
    atts = []
    at = 0
    for source, ref, members in statements:
        s = text_.index(source, at)
        cue = text_.index("said", s + len(source))
        c0 = cue + 5
        c1 = text_.index(".", c0)
        atts.append(Attribution(
            source=Source(text=source, start=s, end=s + len(source), speaker=sp[ref],
                          members=[sp[m] for m in members]),
            cue={"text": "said", "start": cue, "end": cue + 4},
            content=content_of(text_, [(c0, c1)])))
        at = c1
    return Document(name=name, text=text_, attributions=atts, speakers=list(sp.values()),
                    metadata={"published": date, "outlet": outlet, "title": name})


def speaker_counts(c: Corpus) -> dict[str, int]:
    return {s.name: s.count for s in c.speakers()}


def doc_id(c: Corpus, name: str) -> int:
    rows, _ = c.list_documents(limit=100)
    return next(r["id"] for r in rows if r["name"] == name)


# --- several speakers -------------------------------------------------------------------

PAIR = build(
    "pair", "James Clyburn and George Butterfield said the bill was fair to farmers.",
    [("James Clyburn and George Butterfield", "s3", ["s1", "s2"])],
    {"s1": ("James Clyburn", PERSON), "s2": ("George Butterfield", PERSON),
     "s3": ("James Clyburn + George Butterfield", GROUP)})
ALONE = build("alone", "James Clyburn said the vote would be close.",
              [("James Clyburn", "s1", [])], {"s1": ("James Clyburn", PERSON)},
              date="2024-05-02")


def test_a_statement_of_two_people_counts_for_each(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.store_document(PAIR)
        c.store_document(ALONE)
        c.relink()
        counts = speaker_counts(c)
        assert counts["James Clyburn"] == 2 and counts["George Butterfield"] == 1
        assert "James Clyburn + George Butterfield" not in counts  # the group is no entity
        said = c.said("George Butterfield")
        assert [r["content"] for r in said] == ["the bill was fair to farmers"]
        assert said[0]["speaker"] == "George Butterfield"
        assert said[0]["speakers"] == ["George Butterfield", "James Clyburn"]
        hit = c.search("farmers")
        assert len(hit) == 1 and set(hit[0]["speakers"]) == {"James Clyburn",
                                                             "George Butterfield"}
        clyburn = c.find_speaker("James Clyburn")
        assert not any(" and " in a for a in clyburn.aliases)  # "X and Y" is no alias of X
        rows, total = c.speaker_directory(outlet="Wire")
        assert {r.name: r.count for r in rows}["George Butterfield"] == 1 and total == 2
        stored = c.stored_document(doc_id(c, "pair"))
        assert stored is not None
        members = stored.document.attributions[0].source.members  # type: ignore[union-attr]
        assert [m.name for m in members] == ["James Clyburn", "George Butterfield"]
        assert c.timeline(clyburn.id) == [("2024-05", 2)]
        assert sum(r["total"] for r in c.sourcing("outlet")) == 2  # each statement once


# --- the same person across documents ---------------------------------------------------


def one(name: str, sentence: str, source: str, speaker: str, kind: SpeakerKind = PERSON,
        date: str = "2024-06-01") -> Document:
    return build(name, sentence, [(source, "s1", [])], {"s1": (speaker, kind)}, date=date)


def test_bare_surname_joins_the_one_full_name_person_of_the_corpus(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.store_document(one("full", "Donald J. Trump said the wall would be built.",
                             "Donald J. Trump", "Donald J. Trump"))
        c.store_document(one("bare", "Trump said the rally was huge.", "Trump", "Trump"))
        c.store_document(one("ner", "Trump said taxes were too high.", "Trump", "Trump",
                             SpeakerKind.UNKNOWN))
        c.relink()
        assert c.find_speaker("Donald Trump").count == 3
        assert not [s for s in c.speakers() if s.name == "Trump"]
        # a second full-name Trump makes a bare "Trump" ambiguous: it stands apart ...
        c.store_document(one("ivanka", "Ivanka Trump said the visit went well.",
                             "Ivanka Trump", "Ivanka Trump"))
        c.store_document(one("mr", "Mr. Trump said the deal was done.", "Mr. Trump", "Trump"))
        c.relink()
        counts = {(s.name, s.count) for s in c.speakers()}
        assert ("Ivanka Trump", 1) in counts and ("Trump", 1) in {
            (s.name, s.count) for s in c.speakers() if s.key.startswith("person?:")}
        # ... unless the document's own evidence ("Mr.") picks one
        donald = c.find_speaker("Donald Trump")
        assert donald.count == 2 and "Mr. Trump" in donald.aliases


def test_clinton_follows_the_documents_own_evidence(db_url: str) -> None:
    both = build(
        "both", "Hillary Clinton and Bill Clinton arrived. Mrs. Clinton said the plan "
                "would work. Bill Clinton said the crowd was big.",
        [("Mrs. Clinton", "s1", []), ("Bill Clinton", "s2", [])],
        {"s1": ("Clinton", PERSON), "s2": ("Bill Clinton", PERSON)})
    with Corpus(db_url) as c:
        c.store_document(both)
        c.store_document(one("other", "Clinton said the race was close.", "Clinton",
                             "Clinton"))
        c.store_document(one("hrc", "Hillary Clinton said the debate went well.",
                             "Hillary Clinton", "Hillary Clinton"))
        c.relink()
        hillary, bill = c.find_speaker("Hillary Clinton"), c.find_speaker("Bill Clinton")
        assert (hillary.count, bill.count) == (2, 1)
        apart = [s for s in c.speakers() if s.key.startswith("person?:clinton@")]
        assert [s.count for s in apart] == [1]  # no evidence, two Clintons: left apart


def test_keys_are_names_and_aliases_are_not_phrases(db_url: str) -> None:
    headline = build(
        "headline", "Derelict Obama said the deal was weak. Barack Obama visited Ohio.",
        [("Derelict Obama", "s1", [])], {"s1": ("Derelict Obama", PERSON)})
    guests = build(
        "guests", "Among several hundred guests, Scott (D-Va.) said the bill was late.",
        [("several hundred guests, Scott (D-Va.)", "s1", [])],
        {"s1": ("Bobby Scott", PERSON)})
    with Corpus(db_url) as c:
        c.store_document(headline)
        c.store_document(guests)
        c.store_document(one("barack", "Barack Obama said the economy grew.", "Barack Obama",
                             "Barack Obama"))
        c.relink()
        keys = {s.key for s in c.speakers()}
        assert "person:barack obama" in keys and not any("derelict" in k for k in keys)
        assert c.find_speaker("Barack Obama").count == 2
        scott = c.find_speaker("Bobby Scott")
        assert all("guests" not in a for a in scott.aliases)


# --- corrections count everywhere ---------------------------------------------------------

JENS = build("jens", "Jens Stoltenberg said allies must spend more on defence.",
             [("Jens Stoltenberg", "s1", [])], {"s1": ("Jens Stoltenberg", PERSON)})
WRONG = build("wrong", "Mark Kelly met Jens Stoltenberg. He said the mission had worked.",
              [("He", "s1", [])],
              {"s1": ("Jens Stoltenberg", PERSON), "s2": ("Mark Kelly", PERSON)})


def everything(c: Corpus, name: str) -> dict[str, Any]:
    row = c.find_speaker(name)
    _items, total = c.speaker_statements(row.id)
    return {"count": row.count, "said": len(c.said(name)), "page": total,
            "directory": {r.name: r.count for r in c.speaker_directory()[0]}.get(name, 0),
            "search": [h["speaker"] for h in c.search("mission")]}


def test_a_corrected_speaker_counts_everywhere_and_survives_reingest(
        db_url: str) -> None:
    with Corpus(db_url) as c:
        c.store_document(JENS)
        c.store_document(WRONG)
        c.relink()
        assert everything(c, "Jens Stoltenberg")["count"] == 2
        wrong = doc_id(c, "wrong")
        att = WRONG.attributions[0]
        # picked from the document's speakers
        c.correct_speaker(wrong, (att.cue.start, att.cue.end), "Mark Kelly")
        assert everything(c, "Mark Kelly") == {"count": 1, "said": 1, "page": 1,
                                               "directory": 1, "search": ["Mark Kelly"]}
        assert everything(c, "Jens Stoltenberg")["count"] == 1
        assert c.counts()["attributions"] == 2
        shown = c.stored_document(wrong)
        assert shown is not None
        assert shown.document.attributions[0].source.speaker.name == "Mark Kelly"  # type: ignore[union-attr]
        # the text stored again (after a delete): the correction is applied again
        assert c.delete_document(wrong)
        c.store_document(WRONG)
        c.relink()
        assert c.find_speaker("Mark Kelly").count == 1
        assert c.find_speaker("Jens Stoltenberg").count == 1
        # typed: a name no document gives is a speaker of its own, found by name
        wrong = doc_id(c, "wrong")
        fix = c.correct_speaker(wrong, (att.cue.start, att.cue.end), "Scott Kelly")
        assert c.said("Scott Kelly")[0]["content"] == "the mission had worked"
        assert c.find_speaker("Mark Kelly").count == 0  # still named in the text
        # withdrawing the correction brings the earlier one back
        assert c.delete_correction(fix)
        assert c.find_speaker("Mark Kelly").count == 1


def test_a_deleted_statement_is_counted_nowhere(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.store_document(JENS)
        jens = doc_id(c, "jens")
        att = JENS.attributions[0]
        c.add_correction(jens, "delete", target_cue=(att.cue.start, att.cue.end))
        assert c.speakers() == [] and c.search("defence") == []
        assert c.counts()["attributions"] == 0


# --- management -----------------------------------------------------------------------------


def test_merge_split_rename_by_id_or_name(db_url: str) -> None:
    with Corpus(db_url) as c:
        for d in (JENS, WRONG, ALONE):
            c.store_document(d)
        c.relink()
        jens = c.find_speaker("Jens Stoltenberg")
        clyburn = c.find_speaker("James Clyburn")
        merged = c.merge(jens.id, clyburn.id)  # integer ids
        assert merged.count == 3
        renamed = c.rename(merged.id, "NATO chief")
        assert renamed.name == "NATO chief" and c.find_speaker("NATO chief").id == merged.id
        assert c.said("NATO chief")[0]["speaker"] == "NATO chief"
        back = c.split("NATO chief", "James Clyburn")
        assert back.name == "James Clyburn" and back.count == 1
        assert c.find_speaker("NATO chief").count == 2
        with pytest.raises(CorpusError, match="empty"):
            c.rename(merged.id, "  ")
    with Corpus(db_url) as c:  # stored decisions hold in a new session and after relink
        c.relink()
        assert c.find_speaker("NATO chief").count == 2


# --- upgrade of a corpus made with older keys --------------------------------------------------


def test_opening_an_old_corpus_rekeys_it_and_keeps_user_decisions(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.store_document(one("full", "Donald J. Trump said the wall would be built.",
                             "Donald J. Trump", "Donald J. Trump"))
        c.store_document(one("bare", "Trump said the rally was huge.", "Trump", "Trump",
                             SpeakerKind.UNKNOWN))
        c.store_document(JENS)
        c.relink()
    # make it what an older whosaid left: the old key for the bare name, a user merge
    # stored under that key, no link table, schema version 2
    with Corpus(db_url) as c, c.engine.begin() as conn:
        sid = conn.execute(text("INSERT INTO speakers (key, name, kind) VALUES "
                                "('person:j trump', 'J. Trump', 'person') RETURNING id")
                           ).scalar()
        conn.execute(text("UPDATE doc_speakers SET natural_key = 'person:j trump', "
                          "speaker_id = :s WHERE name = 'Trump'"), {"s": sid})
        conn.execute(text("INSERT INTO overrides (action, target, other, created) VALUES "
                          "('merge', 'person:jens stoltenberg', 'person:j trump', 'x')"))
        conn.execute(text("DROP TABLE statement_speakers"))
        conn.execute(text("UPDATE schema_version SET version = 2"))
    with Corpus(db_url) as c:
        assert c.upgraded_from == 2
        # the user's decision moved with the mention's new key: Trump stays with Jens
        assert c.find_speaker("Jens Stoltenberg").count == 2
        assert c.find_speaker("Donald Trump").count == 1
        # carried to the mention's own key, not to Donald Trump's: one mention moves
        assert {o["other"] for o in c.overrides()} == {"unknown:trump"}
        assert [s.key for s in c.speakers() if "trump" in s.key] == ["person:donald trump"]


def test_cli_rename_correct_and_counts(db_url: str) -> None:
    from typer.testing import CliRunner

    from whosaid.cli import app

    with Corpus(db_url) as c:
        for d in (JENS, WRONG, PAIR):
            c.store_document(d)
        c.relink()
        he = next(r["attribution_id"] for r in c.search("mission"))
    run = CliRunner().invoke
    result = run(app, ["speakers", "correct", str(he), "Mark Kelly", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert "Mark Kelly (1 statement)" in result.output
    result = run(app, ["speakers", "rename", "James Clyburn", "Jim Clyburn", "--db", db_url])
    assert result.exit_code == 0, result.output
    listed = {s["name"]: s["count"] for s in json.loads(
        run(app, ["speakers", "--db", db_url, "-f", "json"]).stdout)}
    assert listed == {"Jens Stoltenberg": 1, "Mark Kelly": 1, "Jim Clyburn": 1,
                      "George Butterfield": 1}
    said = json.loads(run(app, ["said", "Mark Kelly", "--db", db_url, "-f", "json"]).stdout)
    assert [r["content"] for r in said] == ["the mission had worked"]
    result = run(app, ["speakers", "correct", "999999", "X", "--db", db_url])
    assert result.exit_code == 1 and "no statement" in result.output


def test_ingested_pair_of_sources_counts_for_each(db_url: str) -> None:
    """The whole path: the pipeline's ``Source.members`` become a link per member."""
    from whosaid.ingest import SourceText

    with Corpus(db_url) as c:
        c.ingest([
            SourceText("pair", "Representatives James Clyburn and G. K. Butterfield met on "
                       "Monday. Mr. Clyburn and Mr. Butterfield said the bill was fair to "
                       "farmers.", {}, "pair"),
            SourceText("one", "James Clyburn said the vote would be close.", {}, "one")])
        assert c.find_speaker("James Clyburn").count == 2
        assert c.find_speaker("G. K. Butterfield").count == 1
        hit = c.search("farmers")
        assert sorted(hit[0]["speakers"]) == ["G. K. Butterfield", "James Clyburn"]
        assert not [s for s in c.speakers() if "+" in s.name]
