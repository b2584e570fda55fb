"""Inline citation markers, parsed with the real spaCy pipeline (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid.extract.citations import find_citations, reference_list, regex_sentences
from whosaid.model import Citation
from whosaid.parse import load_nlp, paragraphs_of, sentences_of

NATO = Path("/work/shared/examples/nato-briefing.txt")
NATO_LABELS = [
    "NATO communications team",
    "official briefing notes",
    "NATO press release",
    "legal analysis brief",
    "defense policy white paper",
    "defense council briefing",
]


def cite(text: str) -> list[Citation]:
    """Citations through the same parse the pipeline uses."""
    sents = sentences_of(load_nlp()(text))
    cits = find_citations(text, paragraphs_of(text), sents)
    for c in cits:
        assert text[c.start:c.end] == c.text
        s, e = c.scope
        assert s <= e
        # the scope never contains the marker it belongs to
        assert e <= c.start or s >= c.end
    return cits


def scoped(text: str, c: Citation) -> str:
    return text[c.scope[0]:c.scope[1]]


def test_nato_briefing_one_citation_per_paragraph() -> None:
    if not NATO.exists():
        pytest.skip(f"example text {NATO} is not available on this machine")
    text = NATO.read_text(encoding="utf-8")
    cits = cite(text)
    assert [c.label for c in cits] == NATO_LABELS
    paras = paragraphs_of(text)
    assert len(paras) == 6
    for c, p, label in zip(cits, paras, NATO_LABELS, strict=True):
        assert c.kind == "label"
        assert c.text == f"(Citation: {label})"
        assert c.reference is None
        assert p.start <= c.start < c.end <= p.end
        assert c.scope == (p.start, len(text[:c.start].rstrip()))


def test_mid_paragraph_marker_scopes_the_sentence_it_closes() -> None:
    text = ("The minister announced new tariffs on Monday. (Source: Reuters) "
            "Exporters said the move would hurt sales. Prices rose sharply in March.")
    (c,) = cite(text)
    assert (c.label, c.kind) == ("Reuters", "label")
    assert scoped(text, c) == "The minister announced new tariffs on Monday."


def test_marker_inside_its_sentence() -> None:
    text = ("Officials confirmed the outage (Citation: grid operator log) on Tuesday. "
            "Repairs are expected to take a week.")
    (c,) = cite(text)
    assert c.label == "grid operator log"
    assert scoped(text, c) == "Officials confirmed the outage"


def test_marker_ending_paragraph_scopes_the_whole_paragraph() -> None:
    text = ("Turnout was the highest in decades. Observers reported few irregularities. "
            "(Citation: election commission)\nA second paragraph follows.")
    (c,) = cite(text)
    assert scoped(text, c) == ("Turnout was the highest in decades. "
                               "Observers reported few irregularities.")


def test_sources_marker_gives_one_citation_per_label() -> None:
    text = "The plant will close next year. (Sources: company filing; union statement)"
    cits = cite(text)
    assert [c.label for c in cits] == ["company filing", "union statement"]
    assert {c.text for c in cits} == {"(Sources: company filing; union statement)"}
    assert {c.scope for c in cits} == {(0, len("The plant will close next year."))}


def test_label_markers_are_case_insensitive_and_varied() -> None:
    text = ("Rates held steady. (source: central bank) Growth slowed. (Ref: IMF outlook) "
            "Jobs rose. (Via: Bloomberg) Done.")
    assert [c.label for c in cite(text)] == ["central bank", "IMF outlook", "Bloomberg"]


def test_bare_source_line_at_paragraph_end() -> None:
    text = ("The storm made landfall overnight. Thousands lost power. "
            "Source: National Weather Service.")
    (c,) = cite(text)
    assert c.label == "National Weather Service"
    assert c.text == "Source: National Weather Service"
    assert scoped(text, c) == "The storm made landfall overnight. Thousands lost power."


def test_bare_source_needs_a_sentence_boundary() -> None:
    text = "The data source: an internal survey of 300 firms."
    assert cite(text) == []


def test_numeric_markers_resolve_the_reference_list() -> None:
    text = (
        "Emissions fell by 4% in 2023 [1]. Coal use dropped sharply [2, 3]. "
        "Analysts expect a rebound.\n"
        "\n"
        "References\n"
        "[1] Energy Agency, Global Emissions Review, 2024.\n"
        "[2] Smith, J., Coal in Decline, 2023.\n"
        "3. Grid Report, Annual Statistics, 2024.\n"
    )
    cits = cite(text)
    assert [(c.text, c.label) for c in cits] == [("[1]", "1"), ("[2, 3]", "2"), ("[2, 3]", "3")]
    assert all(c.kind == "numeric" for c in cits)
    assert [c.reference for c in cits] == [
        "Energy Agency, Global Emissions Review, 2024.",
        "Smith, J., Coal in Decline, 2023.",
        "Grid Report, Annual Statistics, 2024.",
    ]
    assert scoped(text, cits[0]) == "Emissions fell by 4% in 2023"
    assert scoped(text, cits[1]) == "Coal use dropped sharply"
    # the entries of the list are not citations themselves
    ref_start = text.index("References")
    assert all(c.start < ref_start for c in cits)


def test_numeric_range_and_unresolved_reference() -> None:
    text = "Several studies disagree [3–5]."
    cits = cite(text)
    assert [c.label for c in cits] == ["3", "4", "5"]
    assert all(c.reference is None and c.text == "[3–5]" for c in cits)
    assert {c.scope for c in cits} == {(0, len("Several studies disagree"))}


def test_editorial_brackets_are_not_citations() -> None:
    text = ("He said they [sic] would come. She added that [Trump] and [the agency] "
            "had agreed, as noted in [2024a] and [ 1 ].")
    cits = cite(text)
    assert [c.text for c in cits] == ["[ 1 ]"]


def test_adjacent_markers_share_one_scope_without_each_other() -> None:
    text = "Prices rose again [1][2]. Demand was flat."
    cits = cite(text)
    assert [c.label for c in cits] == ["1", "2"]
    assert all(scoped(text, c) == "Prices rose again" for c in cits)


def test_marker_alone_on_its_line_scopes_the_paragraph_above() -> None:
    text = "The council approved the budget. Critics objected.\n(Citation: council minutes)\n"
    (c,) = cite(text)
    assert scoped(text, c) == "The council approved the budget. Critics objected."


def test_notes_heading_without_entries_is_not_a_reference_list() -> None:
    text = "A claim [1].\nNotes\nThis is ordinary prose about notes [2]."
    assert reference_list(text) == (len(text), {})
    assert [c.label for c in cite(text)] == ["1", "2"]


def test_without_sentences_falls_back_to_a_regex_split() -> None:
    text = ("The minister announced new tariffs on Monday. (Source: Reuters) "
            "Exporters said the move would hurt sales.")
    (c,) = find_citations(text, [], [])
    assert scoped(text, c) == "The minister announced new tariffs on Monday."
    spans = [text[s.start:s.end] for s in regex_sentences(text)]
    assert spans == ["The minister announced new tariffs on Monday.",
                     "(Source: Reuters) Exporters said the move would hurt sales."]
