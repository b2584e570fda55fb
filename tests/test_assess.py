"""Source specificity, cue stance, citation grades and sourcing profiles (real pipeline)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from whosaid import extract
from whosaid.assess import STANCE_TABLE, stance_of, stance_table_markdown
from whosaid.extract.citations import according_to_citations, find_citations, grade
from whosaid.model import Citation, Resolvability, Specificity, Stance

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "specificity_gold.tsv"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev"
BRIEFING = ROOT.parent / "shared" / "examples" / "nato-briefing.txt"

TEXT = (
    "Jens Stoltenberg said the alliance would act. "
    "The Pentagon said it had no comment. "
    "A senior official said the talks had stalled. "
    "People familiar with the talks said a deal was close. "
    "Critics argue that the plan is too expensive. "
    "It was reported that the summit would be delayed."
)


@pytest.fixture(scope="module")
def doc():
    return extract(TEXT, name="mix")


def by_cue(doc, cue: str):
    return next(a for a in doc.attributions if cue in a.cue.text)


def test_every_attribution_gets_a_class_and_a_stance(doc) -> None:
    assert doc.attributions
    for att in doc.attributions:
        assert isinstance(att.specificity, Specificity)
        assert isinstance(att.stance, Stance)
        if att.source is None:
            assert att.specificity is Specificity.UNATTRIBUTED


def test_specificity_classes(doc) -> None:
    classes = {a.source.text if a.source else None: a.specificity for a in doc.attributions}
    assert classes["Jens Stoltenberg"] is Specificity.NAMED_PERSON
    assert classes["The Pentagon"] is Specificity.NAMED_ORGANISATION
    assert classes["A senior official"] is Specificity.ROLE_ONLY
    assert classes["People familiar with the talks"] is Specificity.ANONYMOUS
    assert classes["Critics"] is Specificity.VAGUE_COLLECTIVE


def test_profile_counts_and_shares(doc) -> None:
    p = doc.profile
    assert p is not None and p.attributions == len(doc.attributions)
    assert sum(p.specificity.values()) == p.attributions
    assert abs(sum(p.specificity_share.values()) - 1.0) < 0.01
    assert p.specificity["named_person"] >= 1 and p.specificity["vague_collective"] >= 1
    assert p.sentences == len(doc.sentences)
    assert 0 <= p.unsourced_sentences <= p.unattributed_sentences <= p.sentences


@pytest.mark.parametrize(("cue", "stance"), [
    ("said", Stance.NEUTRAL), ("has warned", Stance.EMPHATIC), ("asserted", Stance.EMPHATIC),
    ("suggested", Stance.HEDGED), ("believes", Stance.HEDGED), ("revealed", Stance.FACTIVE),
    ("confirmed", Stance.FACTIVE), ("according to", Stance.NEUTRAL), ("a belief", Stance.HEDGED),
    ("mumbled", Stance.NEUTRAL),
])
def test_stance_of_cues(cue: str, stance: Stance) -> None:
    assert stance_of(cue) is stance


def test_docs_stance_table_is_generated_from_the_code() -> None:
    doc = (ROOT / "docs" / "sourcing.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- stance-table -->\n(.*?)<!-- /stance-table -->", doc, re.S)
    assert block is not None, "docs/sourcing.md lost its stance-table markers"
    assert block.group(1) == stance_table_markdown()
    assert set(STANCE_TABLE) == set(Stance)


def _cit(label: str, kind: str = "label", reference: str | None = None) -> Citation:
    return Citation(text=label, label=label, start=0, end=1, scope=(0, 0), kind=kind,
                    reference=reference)


@pytest.mark.parametrize(("label", "kind", "reference", "expected"), [
    ("NATO press release", "label", None, Resolvability.GENERIC),
    ("official briefing notes", "label", None, Resolvability.GENERIC),
    ("Reuters", "label", None, Resolvability.GENERIC),
    ("Reuters, 12 March 2024", "label", None, Resolvability.PARTIAL),
    ("Smith, J., Coal in Decline, 2023.", "label", None, Resolvability.RESOLVABLE),
    ('"Allied Air Defence Review", NATO, 2024', "label", None, Resolvability.RESOLVABLE),
    ("https://nato.int/cps/en/natohq/news.htm", "url", None, Resolvability.RESOLVABLE),
    ("doi:10.1000/182", "label", None, Resolvability.RESOLVABLE),
    ("3", "numeric", None, Resolvability.GENERIC),
    ("1", "numeric", "Energy Agency, Global Emissions Review, 2024.", Resolvability.RESOLVABLE),
])
def test_resolvability_grades(label: str, kind: str, reference: str | None,
                              expected: Resolvability) -> None:
    assert grade(_cit(label, kind, reference)) is expected


def test_more_marker_forms() -> None:
    text = ("Wages rose 4% in May.¹ Prices fell [^2]. See [the survey](https://ex.org/s) "
            "for details. The full data is at https://stats.example.org/wages.\n\n"
            "¹ Labour Office, Wage Bulletin, June 2024.\n[^2]: Price index, 2024.\n")
    cits = find_citations(text, [], [])
    kinds = {c.kind: c for c in cits}
    assert set(kinds) == {"footnote", "link", "url"}
    foot = [c for c in cits if c.kind == "footnote"]
    assert [c.label for c in foot] == ["1", "2"]
    assert foot[0].reference == "Labour Office, Wage Bulletin, June 2024."
    assert foot[0].resolvability is Resolvability.RESOLVABLE
    assert text[foot[0].scope[0]:foot[0].scope[1]] == "Wages rose 4% in May."
    link = kinds["link"]
    assert (link.label, link.reference) == ("the survey", "https://ex.org/s")
    assert kinds["url"].label == "https://stats.example.org/wages"
    # a link inside its sentence vouches for the whole sentence around it
    assert text[link.scope[0]:link.scope[1]] == "See [the survey](https://ex.org/s) for details."
    for c in cits:
        assert text[c.start:c.end] == c.text
        if c is not link:  # every other scope leaves its marker out
            assert c.scope[1] <= c.start or c.scope[0] >= c.end


def test_according_to_a_document_is_a_citation_but_not_a_person() -> None:
    text = ("Emissions fell by 4 percent last year, according to a 2024 report by the "
            "Energy Agency. Growth will slow, according to officials.")
    cits = according_to_citations(text, [])
    assert [c.label for c in cits] == ["a 2024 report by the Energy Agency"]
    c = cits[0]
    assert c.kind == "according_to" and text[c.start:c.end] == c.text
    assert text[c.scope[0]:c.scope[1]] == "Emissions fell by 4 percent last year"
    doc = extract(text)
    assert any(c.kind == "according_to" for c in doc.citations)
    # the phrase stays an attribution as well
    assert any("according" in a.cue.text.lower() for a in doc.attributions)


def test_gold_file_is_offsets_and_labels_only() -> None:
    with GOLD.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((ln for ln in fh if not ln.startswith("#")),
                                   delimiter="\t"))
    assert len(rows) >= 300
    assert set(rows[0]) == {"article", "start", "end", "label"}
    valid = {s.value for s in Specificity}
    for r in rows:
        assert r["label"] in valid
        assert 0 <= int(r["start"]) <= int(r["end"])
    if POLNEAR.is_dir():  # the offsets point at real mentions
        for r in rows[:50]:
            text = (POLNEAR / "text" / f"{r['article']}.txt").read_text(encoding="utf-8")
            assert text[int(r["start"]):int(r["end"])].strip()


def test_briefing_profile() -> None:
    if not BRIEFING.exists():
        pytest.skip(f"{BRIEFING} not found (../shared is not beside the checkout)")
    doc = extract(BRIEFING.read_text(encoding="utf-8"), name="nato-briefing")
    p = doc.profile
    assert p is not None and p.attributions == len(doc.attributions) > 0
    assert p.specificity["vague_collective"] >= 3  # some, political observers, alliance leaders
    assert p.specificity["named_person"] >= 1
    assert p.resolvability == {"resolvable": 0, "partial": 0, "generic": 6}


def test_outlet_profiles_from_the_store(tmp_path: Path) -> None:
    from whosaid.store import Corpus

    with Corpus(tmp_path / "c.db") as corpus:
        for name, outlet, text in [
            ("a", "Wire", "Critics said the plan failed. (Source: NATO press release)"),
            ("b", "Wire", "Jens Stoltenberg said the alliance would act."),
            ("c", "Daily", "A senior official said the talks had stalled."),
        ]:
            corpus.store_document(extract(text, name=name, metadata={"outlet": outlet}))
        profiles = corpus.sourcing_profiles()
        assert set(profiles) == {"Wire", "Daily"}
        wire = profiles["Wire"]
        assert wire.documents == 2 and wire.attributions == 2
        assert wire.specificity["vague_collective"] == 1
        assert wire.specificity["named_person"] == 1
        assert wire.resolvability["generic"] == 1
        assert profiles["Daily"].specificity["role_only"] == 1
        assert list(corpus.sourcing_profiles(outlet="Daily")) == ["Daily"]


# --- one taxonomy ----------------------------------------------------------------------


def test_speaker_kind_follows_the_source_class(doc) -> None:
    from whosaid.assess import CLASS_KINDS

    officials = extract("Officials said the airport would reopen on Sunday.").attributions[0]
    assert officials.specificity is Specificity.ROLE_ONLY
    assert officials.source.speaker.kind.value == "group"  # not "anonymous" any more
    mayor = extract("The mayor said the road would close.").attributions[0]
    assert mayor.specificity is Specificity.ROLE_ONLY
    assert mayor.source.speaker.kind.value == "person"
    for att in doc.attributions:
        if att.source is not None and att.source.speaker is not None:
            assert att.source.speaker.kind in CLASS_KINDS[att.specificity], att.source.text


def test_docs_source_class_table_is_generated_from_the_code() -> None:
    from whosaid.assess import SOURCE_CLASSES, source_class_markdown

    text = (ROOT / "docs" / "sourcing.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- source-classes -->\n(.*?)<!-- /source-classes -->", text, re.S)
    assert block is not None, "docs/sourcing.md lost its source-classes markers"
    assert block.group(1) == source_class_markdown()
    assert list(SOURCE_CLASSES) == list(Specificity)


def test_profile_of_files_equals_profile_of_the_stored_corpus(tmp_path: Path) -> None:
    """`whosaid profile FILES` and `whosaid profile --db` of the same articles agree.

    They used to differ: the store recomputed each source's class from its words
    (no parse, so pronouns, relative clauses and entities were classed anew) and
    had no sentence counts, so the unattributed shares were 0.
    """
    import json

    from typer.testing import CliRunner

    from whosaid.cli import app

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Lindiwe Dube, who chairs the board, said the plan would work. She added that "
        "costs were falling.\n\nThe report said prices rose. Critics argue it is too late.\n"
        "Prices have doubled since 2020.\n", encoding="utf-8")
    (folder / "b.txt").write_text(
        "A senior official said the talks had stalled. People familiar with the talks said "
        "a deal was close. (Source: ministry briefing)\n\nIt was reported that the summit "
        "would be delayed. The weather was cold.\n", encoding="utf-8")
    runner = CliRunner()
    files = runner.invoke(app, ["profile", str(folder), "-f", "json"], env={"WHOSAID_DB": ""})
    assert files.exit_code == 0, files.output
    every = json.loads(files.stdout)[-1]
    assert every["document"] == "(all)"
    db = tmp_path / "c.db"
    ingest = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert ingest.exit_code == 0, ingest.output
    stored = runner.invoke(app, ["profile", "--db", str(db), "-f", "json"])
    assert stored.exit_code == 0, stored.output
    (row,) = json.loads(stored.stdout)
    assert row["outlet"] == "(none)"
    keys = ("documents", "attributions", "specificity", "stance", "sentences",
            "unattributed_sentences", "unsourced_sentences", "citations", "resolvability")
    assert {k: row[k] for k in keys} == {k: every[k] for k in keys}
    assert row["unattributed_sentences"] > 0  # counted, not left at 0


def test_v4_migration_backfills_source_classes(tmp_path: Path) -> None:
    """A corpus stored before schema v4 gets each statement's class from its words."""
    from sqlalchemy import create_engine, text

    from whosaid.store import Corpus

    db = tmp_path / "old.db"
    with Corpus(db) as corpus:
        corpus.store_document(extract("Critics said the plan failed. The mayor said it "
                                      "would work.", metadata={"outlet": "Wire"}))
    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # take the database back to what v3 had
        conn.execute(text("DROP INDEX IF EXISTS ix_attributions_specificity"))
        for table, column in (("attributions", "specificity"), ("attributions", "stance"),
                              ("doc_speakers", "gender"), ("doc_speakers", "gender_evidence"),
                              ("speakers", "gender"), ("documents", "profile")):
            conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        conn.execute(text("UPDATE schema_version SET version = 3"))
    engine.dispose()
    with Corpus(db) as corpus:  # opening migrates
        with corpus.engine.connect() as conn:
            classes = [r[0] for r in conn.execute(text(
                "SELECT specificity FROM attributions ORDER BY position"))]
        assert classes == ["vague_collective", "role_only"]
        wire = corpus.sourcing_profiles()["Wire"]
        assert wire.specificity["vague_collective"] == 1 and wire.specificity["role_only"] == 1
