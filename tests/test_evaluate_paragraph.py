"""The paragraph protocol (the published PolNeAR scoring) on hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid.brat import BratAttribution
from whosaid.evaluate import ParagraphScores, evaluate_dir, read_split
from whosaid.evaluate_paragraph import (
    RoleSpans,
    chunks,
    score_paragraphs,
    spans_from_ann,
    spans_from_attributions,
    units_of,
)


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def spans(source: list[list[tuple[int, int]]] | None = None,
          cue: list[list[tuple[int, int]]] | None = None,
          content: list[list[tuple[int, int]]] | None = None) -> RoleSpans:
    return {"source": source or [], "cue": cue or [], "content": content or []}


TEXT = ("Smith said the plan would fail, and Jones agreed.\n\n"
        "Officials warned that prices would rise.")


def gold() -> RoleSpans:
    return spans(
        source=[[at(TEXT, "Smith")], [at(TEXT, "Officials")]],
        cue=[[at(TEXT, "said")], [at(TEXT, "warned")]],
        content=[[at(TEXT, "the plan would fail")], [at(TEXT, "that prices would rise")]],
    )


def f1(scores: ParagraphScores, role: str, kind: str = "exact") -> float:
    return scores[role].prf(kind)[2]


def test_units_are_blank_line_paragraphs() -> None:
    units = units_of(TEXT)
    assert len(units) == 2
    assert [TEXT[s:e] for s, e in units[1]][:2] == ["Officials", "warned"]
    # a single newline does not end a unit; whitespace-only lines do
    assert len(units_of("One line\nand its next.\n \nA second unit.")) == 2


def test_gold_as_prediction_scores_one() -> None:
    scores = score_paragraphs(TEXT, gold(), gold())
    for role in ("source", "cue", "content"):
        assert scores[role].prf("exact") == (1.0, 1.0, 1.0)
        assert scores[role].prf("begin") == (1.0, 1.0, 1.0)
        assert scores[role].jaccard() == 1.0
    assert scores.units == 2 and scores["content"].gold == 2


def test_one_token_shift_is_wrong_exactly_but_not_by_begin_or_jaccard() -> None:
    pred = gold()
    # "the plan would fail," : one token (the comma) too many
    s, e = at(TEXT, "the plan would fail,")
    pred["content"][0] = [(s, e)]
    scores = score_paragraphs(TEXT, gold(), pred)
    c = scores["content"]
    assert (c.exact, c.pred, c.gold) == (1, 2, 2)  # only the second content is exact
    assert c.begin == 2
    assert c.jaccard() == pytest.approx((4 / 5 + 1) / 2)
    # a shifted start: neither exact nor begin, still a Jaccard overlap
    pred["content"][0] = [at(TEXT, "plan would fail")]
    c = score_paragraphs(TEXT, gold(), pred)["content"]
    assert (c.exact, c.begin) == (1, 1)
    assert c.jaccard() == pytest.approx((3 / 4 + 1) / 2)


def test_prediction_overlapping_no_gold_costs_jaccard() -> None:
    pred = gold()
    pred["source"].append([at(TEXT, "Jones")])
    c = score_paragraphs(TEXT, gold(), pred)["source"]
    assert c.prf("exact") == (2 / 3, 1.0, pytest.approx(0.8))
    assert c.jaccard() == pytest.approx(2 / 3)  # two perfect gold chunks and one stray 0


def test_discontinuous_content_is_two_chunks() -> None:
    text = '"We will win," Smith said, "and soon."'
    two = [at(text, "We will win,"), at(text, "and soon.")]
    g = spans(content=[two])
    assert score_paragraphs(text, g, g)["content"].gold == 2
    # one chunk covering both fragments matches neither
    whole = spans(content=[[(two[0][0], two[1][1])]])
    c = score_paragraphs(text, g, whole)["content"]
    assert (c.gold, c.pred, c.exact, c.begin) == (2, 1, 0, 1)


def test_token_belongs_to_fragment_by_its_end() -> None:
    text = "Smith said hello there."
    # [a, b) cutting into "Smith" still takes it (a < e); "hello" ends past b, left out
    s, _ = at(text, "Smith")
    h, _ = at(text, "hello")
    g = spans(source=[[(s + 2, h + 2)]])
    pred = spans(source=[[at(text, "Smith said")]])
    assert score_paragraphs(text, g, pred)["source"].exact == 1


def test_nested_spans_later_overwrites() -> None:
    text = "Aides said Smith told them he would run again."
    outer = at(text, "Smith told them he would run again")
    inner = at(text, "he would run again")
    g = spans(content=[[outer], [inner]])
    # outer B I I I I..., inner rewrites "he" to B: two chunks, "Smith told them" and the rest
    expected = spans(content=[[at(text, "Smith told them")], [inner]])
    assert score_paragraphs(text, g, expected)["content"].prf("exact") == (1.0, 1.0, 1.0)
    # the other order: the outer span written last swallows the inner one
    swallowed = spans(content=[[inner], [outer]])
    c = score_paragraphs(text, swallowed, spans(content=[[outer]]))["content"]
    assert (c.gold, c.exact) == (1, 1)


def test_chunk_crossing_unit_boundary_restarts() -> None:
    text = '"We will win.\n\nWe will win again," Smith said.'
    whole = at(text, 'We will win.\n\nWe will win again,')
    g = spans(content=[[whole]])
    c = score_paragraphs(text, g, g)["content"]
    assert c.gold == 2  # one chunk per unit
    per_unit = spans(content=[[at(text, "We will win.")], [at(text, "We will win again,")]])
    assert score_paragraphs(text, g, per_unit)["content"].prf("exact") == (1.0, 1.0, 1.0)


def test_units_are_cut_at_300_tokens() -> None:
    words = " ".join(f"w{i}" for i in range(400))
    text = f"Smith said {words}."
    units = units_of(text)
    assert [len(u) for u in units] == [300]
    g = spans(content=[[at(text, words)]], source=[[at(text, "w350")]])
    scores = score_paragraphs(text, g, spans(content=[[(at(text, "w0")[0], at(text, "w297")[1])]]))
    assert scores["content"].exact == 1  # the chunk is cut at the 300th token
    assert scores["source"].gold == 0  # gold beyond the cut is not scored


def test_flat_bio_chunks() -> None:
    assert chunks(["B", "I", "O", "I", "I", "B", "B"]) == [(0, 2), (3, 5), (5, 6), (6, 7)]


def test_spans_read_in_file_order_from_ann() -> None:
    ann = ("T2\tContent 10 20\tx\nT1\tSource 0 5\ty\nT3\tContent 12 15\tz\n"
           "T4\tAttribution 6 9\tw\nE1\tAttribution:T4 Source:T1 Content:T2\n")
    read = spans_from_ann(ann)
    assert read == spans(source=[[(0, 5)]], content=[[(10, 20)], [(12, 15)]])
    att = BratAttribution({"Cue": [(6, 9)], "Content": [(10, 12), (14, 20)]})
    assert spans_from_attributions([att]) == spans(cue=[[(6, 9)]], content=[[(10, 12), (14, 20)]])


def test_span_outside_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        score_paragraphs("short", spans(cue=[[(0, 50)]]), spans())


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two annotators of one article who disagree on the content."""
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    s1, e1 = at(TEXT, "Smith")
    c1, d1 = at(TEXT, "said")
    x1, y1 = at(TEXT, "the plan would fail")
    first = f"T1\tSource {s1} {e1}\tSmith\nT2\tCue {c1} {d1}\tsaid\nT3\tContent {x1} {y1}\tc\n"
    x2, y2 = at(TEXT, "the plan would fail, and Jones agreed")
    second = f"T1\tSource {s1} {e1}\tSmith\nT2\tCue {c1} {d1}\tsaid\nT3\tContent {x2} {y2}\tc\n"
    (tmp_path / "attributions" / "a_x1.ann").write_text(first, encoding="utf-8")
    (tmp_path / "attributions" / "a_x2.ann").write_text(second, encoding="utf-8")
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "a.ann").write_text(first, encoding="utf-8")
    return tmp_path


def test_every_annotator_file_counts_or_only_the_first(corpus: Path) -> None:
    every, first = ParagraphScores(), ParagraphScores()
    evaluate_dir(corpus, corpus / "pred", paragraph=every)
    evaluate_dir(corpus, corpus / "pred", paragraph=first, annotators="first")
    assert every.files == 2 and first.files == 1
    assert every["content"].prf("exact") == (0.5, 0.5, 0.5)  # counted once per annotator
    assert every["cue"].prf("exact") == (1.0, 1.0, 1.0)
    assert first["content"].prf("exact") == (1.0, 1.0, 1.0)


def test_split_file_selects_articles(corpus: Path, tmp_path: Path) -> None:
    split = tmp_path / "split.tsv"
    split.write_text("# comment\narticle\tpart\na\ttune\nb\tcheck\n", encoding="utf-8")
    assert read_split(split, "tune") == {"a"}
    with pytest.raises(ValueError, match="no article of the split has gold"):
        evaluate_dir(corpus, corpus / "pred", articles=read_split(split, "check"))
    with pytest.raises(ValueError, match="parts: check, tune"):
        read_split(split, "held")
    split.write_text("a tune\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"split\.tsv:1: expected two tab-separated"):
        read_split(split, "tune")
