"""Who-said-what scoring (whosaid eval --speakers) on hand-made gold and predictions."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from whosaid.brat import parse_ann
from whosaid.cli import app
from whosaid.evaluate_speakers import (
    GoldRow,
    SpeakerGoldError,
    SpeakerScores,
    corpus_speakers_of,
    pair_counts,
    read_gold,
    score_documents,
    source_form,
    speaker_matches,
)
from whosaid.model import Attribution, Document, Source, Speaker, SpeakerKind, span_of

TEXT = ("Mayor Ana Ruiz said the bridge would reopen. "
        "She added that tolls would fall. "
        "The council said nothing.")
HEADER = "article\tcue_start\tcue_end\tspeaker\tkind\n"


def _offsets(text: str, word: str, after: int = 0) -> tuple[int, int]:
    s = text.index(word, after)
    return s, s + len(word)


def _ann(text: str) -> str:
    """First-annotator brat for TEXT: three attributions, sources "Mayor Ana Ruiz", "She",
    "The council"."""
    lines, t = [], 0
    for e, (src, cue) in enumerate([("Mayor Ana Ruiz", "said"), ("She", "added"),
                                    ("The council", "said")], 1):
        cs, ce = _offsets(text, cue, text.index(src))
        ss, se = _offsets(text, src)
        lines.append(f"T{t + 1}\tCue {cs} {ce}\t{cue}")
        lines.append(f"T{t + 2}\tSource {ss} {se}\t{src}")
        lines.append(f"E{e}\tAttribution:T{t + 1} Cue:T{t + 1} Source:T{t + 2}")
        t += 2
    return "\n".join(lines) + "\n"


def _prediction(text: str, speakers: list[str | None]) -> Document:
    """A document whose attributions have the gold cues and the given speaker names."""
    atts = []
    for (src, cue), name in zip([("Mayor Ana Ruiz", "said"), ("She", "added"),
                                 ("The council", "said")], speakers, strict=True):
        cs, ce = _offsets(text, cue, text.index(src))
        ss, se = _offsets(text, src)
        sp = Speaker(name=name, kind=SpeakerKind.PERSON, named=True) if name else None
        atts.append(Attribution(source=Source(text=src, start=ss, end=se, speaker=sp),
                                cue=span_of(text, cs, ce)))
    return Document(text=text, name="a", attributions=atts)


def _rows(speakers: list[tuple[str, str]]) -> list[GoldRow]:
    rows = []
    for (src, cue), (name, kind) in zip([("Mayor Ana Ruiz", "said"), ("She", "added"),
                                         ("The council", "said")], speakers, strict=True):
        cs, ce = _offsets(TEXT, cue, TEXT.index(src))
        rows.append(GoldRow("a", cs, ce, name, kind, "gold.tsv:2"))
    return rows


GOLD = [("Ana Ruiz", "person"), ("Ana Ruiz", "person"), ("city council", "organisation")]


def _score(pred: list[str | None], gold: list[tuple[str, str]] = GOLD) -> SpeakerScores:
    return score_documents(_rows(gold), {"a": TEXT}, {"a": parse_ann(_ann(TEXT))},
                           {"a": _prediction(TEXT, pred)})


def test_gold_equal_to_prediction_scores_one() -> None:
    scores = _score(["Ana Ruiz", "Ana Ruiz", "council"])
    overall = scores.overall().figures()
    assert overall["found"] == overall["accuracy"] == 1.0
    assert overall["precision"] == overall["recall"] == overall["f1"] == 1.0
    assert scores.forms["name"].gold == 1
    assert scores.forms["pronoun"].gold == 1
    assert scores.forms["description"].gold == 1


def test_a_wrong_person_counts_wrong() -> None:
    scores = _score(["Ana Ruiz", "Tom Ruiz", "council"])
    overall = scores.overall().figures()
    assert overall["found"] == 1.0
    assert overall["accuracy"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores.forms["pronoun"].figures()["accuracy"] == 0.0
    wrong = [j for j in scores.judgements if not j.right]
    assert len(wrong) == 1 and wrong[0].predicted == "Tom Ruiz"


def test_person_matching_rules() -> None:
    assert speaker_matches("Mr. Trump", "Donald Trump", "person")
    assert speaker_matches("Donald J. Trump Jr.", "Donald Trump", "person")
    assert speaker_matches("Clinton’s", "Hillary Clinton", "person")
    assert not speaker_matches("Bill Clinton", "Hillary Clinton", "person")
    assert not speaker_matches(None, "Hillary Clinton", "person")
    assert speaker_matches(None, "-", "none")
    assert not speaker_matches("Ana Ruiz", "-", "none")


def test_a_gold_name_copied_with_its_feed_mojibake_matches_the_repaired_name() -> None:
    # resolution repairs "FranÃ§ois"; a gold row copied from the same text keeps it
    assert speaker_matches("François Mercier", "FranÃ§ois Mercier", "person")
    assert speaker_matches("FranÃ§ois Mercier", "François Mercier", "person")
    assert not speaker_matches("Marie Mercier", "FranÃ§ois Mercier", "person")


def test_several_speakers_need_every_surname() -> None:
    gold = "Chuck Grassley + Patrick Leahy"
    assert speaker_matches("Grassley + Leahy", gold, "group")
    assert speaker_matches("Patrick Leahy + Chuck Grassley", gold, "group")
    assert not speaker_matches("Grassley", gold, "group")
    assert not speaker_matches("Grassley + Leahy", "Chuck Grassley", "person")


def test_body_and_group_matching_rules() -> None:
    assert speaker_matches("experts", "Experts in employment law", "group")
    assert not speaker_matches("Some", "some Republicans", "group")
    assert speaker_matches("the F.B.I.", "FBI", "organisation")
    assert speaker_matches("International Monetary Fund", "IMF", "organisation")
    assert speaker_matches("Clinton campaign", "Hillary Clinton’s campaign", "organisation")
    assert not speaker_matches("White House", "Clinton campaign", "organisation")


def test_source_forms() -> None:
    text = "Officials said it. Trump said it. Later, Trump and Mr. Lee said it."
    assert source_form(text, [(0, 9)]) == "description"  # no mid-sentence "Officials"
    assert source_form(text, [(19, 24)]) == "name"  # "Trump" recurs mid-sentence
    assert source_form(text, [(41, 58)]) == "name"
    assert source_form(text, None) == "none"
    assert source_form("He said it.", [(0, 2)]) == "pronoun"


def test_pair_metric_on_a_hand_made_case() -> None:
    # gold person, corpus speaker: A's two statements in different articles are one
    # speaker; B sits under A's speaker in article 3, so that pair is wrong
    counts = pair_counts([("a1", "Ann", 1), ("a2", "Ann", 1), ("a3", "Bob", 1),
                          ("a4", "Bob", 2), ("a1", "Ann", 1)])
    # corpus speaker 1: a1, a2, a3, a1 -> pairs across articles: 6 - 1 (a1,a1) = 5
    assert counts["corpus_pairs"] == 5
    # of those, one gold person: Ann a1-a2 twice = 2
    assert counts["corpus_pairs_same_person"] == 2
    # Ann pairs across articles: 3 - 1 = 2; Bob: a3-a4 = 1
    assert counts["person_pairs"] == 3
    assert counts["person_pairs_same_speaker"] == 2


def test_corpus_speakers_come_from_a_real_store() -> None:
    docs = {}
    for name, place in (("x", "plant"), ("y", "mine")):
        text = f"Jane Doe said the {place} would close."
        cs, ce = _offsets(text, "said")
        sp = Speaker(name="Jane Doe", kind=SpeakerKind.PERSON, named=True, id="s1")
        att = Attribution(source=Source(text="Jane Doe", start=0, end=8, speaker=sp),
                          cue=span_of(text, cs, ce))
        docs[name] = Document(text=text, name=name, attributions=[att], speakers=[sp])
    speakers = corpus_speakers_of(docs)
    assert set(speakers) == {("x", 9, 13), ("y", 9, 13)}
    assert speakers[("x", 9, 13)] == speakers[("y", 9, 13)]


def test_bad_gold_files_name_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "g.tsv"
    bad.write_text(HEADER + "a\t1\t5\tAna Ruiz\n", encoding="utf-8")
    with pytest.raises(SpeakerGoldError, match=r"g\.tsv:2: expected 5"):
        read_gold([bad])
    bad.write_text(HEADER + "a\t1\t5\tAna Ruiz\tpersn\n", encoding="utf-8")
    with pytest.raises(SpeakerGoldError, match=r"g\.tsv:2: unknown kind 'persn'"):
        read_gold([bad])
    bad.write_text("article\tspeaker\n", encoding="utf-8")
    with pytest.raises(SpeakerGoldError, match=r"g\.tsv:1: expected the header"):
        read_gold([bad])


def test_cli_scores_several_gold_files(tmp_path: Path) -> None:
    corpus = tmp_path / "dev"
    (corpus / "text").mkdir(parents=True)
    (corpus / "attributions").mkdir()
    (corpus / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "attributions" / "a_1.ann").write_text(_ann(TEXT), encoding="utf-8")
    rows = _rows(GOLD)
    first, second = tmp_path / "one.tsv", tmp_path / "two.tsv"
    first.write_text(HEADER + f"a\t{rows[0].cue_start}\t{rows[0].cue_end}\tAna Ruiz\tperson\n",
                     encoding="utf-8")
    second.write_text(HEADER + f"a\t{rows[1].cue_start}\t{rows[1].cue_end}\tAna Ruiz\tperson\n",
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--gold", str(corpus), "--speakers", str(first),
                                      str(second), "--json"])
    assert result.exit_code == 0, result.output
    assert '"articles": 1' in result.output
    assert '"gold": 2' in result.output
    missing = CliRunner().invoke(app, ["eval", "--gold", str(corpus), "--speakers",
                                       str(tmp_path / "nope.tsv")])
    assert missing.exit_code != 0
