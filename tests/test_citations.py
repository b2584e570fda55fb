"""Inline citation markers, parsed with the real spaCy pipeline (no mocks)."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid.extract.citations import (
    according_to_citations,
    find_citations,
    reference_list,
    regex_sentences,
)
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
    text = ("The minister announced new tariffs on Wednesday. (Source: Reuters) "
            "Exporters said the move would hurt sales. Prices rose sharply in March.")
    (c,) = cite(text)
    assert (c.label, c.kind) == ("Reuters", "label")
    assert scoped(text, c) == "The minister announced new tariffs on Wednesday."


def test_marker_inside_its_sentence() -> None:
    text = ("Officials confirmed the outage (Citation: grid operator log) on Tuesday. "
            "Crews hope to finish within a week.")
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
    text = ("He said they [sic] would come. She noted that [Lindell] and [the agency] "
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
    text = ("The minister announced new tariffs on Wednesday. (Source: Reuters) "
            "Exporters said the move would hurt sales.")
    (c,) = find_citations(text, [], [])
    assert scoped(text, c) == "The minister announced new tariffs on Wednesday."
    spans = [text[s.start:s.end] for s in regex_sentences(text)]
    assert spans == ["The minister announced new tariffs on Wednesday.",
                     "(Source: Reuters) Exporters said the move would hurt sales."]


def test_superscripts_up_to_two_digits_each_scope_their_own_sentence() -> None:
    text = (
        "The levy rose by 40 per cent in April 2023.¹ A tribunal found that a leaflet in "
        "a shop window was not notice.¹ Tram use fell by a tenth.¹² Cafés reported "
        "their quietest winter since 2018.¹³\n"
        "\n"
        "## Sources\n"
        "\n"
        "¹ Lands Tribunal of Westmark, 4 February 2031, press note.\n"
        "¹² Westmark Ropeworks plc, 9 January 2031, shareholder meeting transcript.\n"
        "¹³ Regional newspaper coverage.\n"
    )
    cits = cite(text)
    assert [c.label for c in cits] == ["1", "1", "12", "13"]
    assert [scoped(text, c) for c in cits] == [
        "The levy rose by 40 per cent in April 2023.",
        "A tribunal found that a leaflet in a shop window was not notice.",
        "Tram use fell by a tenth.",
        "Cafés reported their quietest winter since 2018.",
    ]
    assert cits[0].reference == "Lands Tribunal of Westmark, 4 February 2031, press note."
    assert cits[2].reference == ("Westmark Ropeworks plc, 9 January 2031, shareholder meeting "
                                 "transcript.")
    assert cits[3].reference == "Regional newspaper coverage."


def test_superscript_pairs_and_ranges_follow_the_definitions() -> None:
    text = ("Fares rose.¹² Wages fell.¹⁻³\n\n"
            "¹ Rail regulator, 2024, fares bulletin.\n² Union survey, 2024.\n"
            "³ Labour office, 2025, wage tables.\n")
    cits = cite(text)
    assert [(c.text, c.label) for c in cits] == [("¹²", "1"), ("¹²", "2"), ("¹⁻³", "1"),
                                                 ("¹⁻³", "2"), ("¹⁻³", "3")]
    assert [scoped(text, c) for c in cits] == ["Fares rose."] * 2 + ["Wages fell."] * 3


def test_unit_powers_are_not_footnotes() -> None:
    text = ("The new depot covers 4,500 m² and the park 12 km². The site cost £4m.²\n\n"
            "² Council budget papers, March 2025.\n")
    cits = cite(text)
    assert [(c.text, c.label) for c in cits] == [("²", "2")]
    # a marker closing its paragraph vouches for the whole paragraph
    assert scoped(text, cits[0]) == text[:text.index("£4m.") + 4]


def test_square_bracket_source_marker_but_not_a_link_text() -> None:
    text = ("The bridge will reopen in May [Source: county highways bulletin]. "
            "Tolls stay the same [Source: Tolls](https://roads.example/tolls).")
    cits = cite(text)
    assert [(c.kind, c.label) for c in cits] == [("label", "county highways bulletin"),
                                                 ("link", "Source: Tolls")]
    assert scoped(text, cits[0]) == "The bridge will reopen in May"


def test_reference_list_with_bold_heading_bullets_and_parenthesised_numbers() -> None:
    text = ("Catches fell by a sixth [1]. The slipway will shut for a year [2].\n\n"
            "**Sources:**\n"
            "- [1] Marine agency, Catch statistics 2030.\n"
            "(2) Slipway trust, 6 May 2031, minutes.\n")
    start, refs = reference_list(text)
    assert start == text.index("**Sources:**")
    assert refs == {"1": "Marine agency, Catch statistics 2030.",
                    "2": "Slipway trust, 6 May 2031, minutes."}
    assert [c.reference for c in cite(text)] == list(refs.values())


def test_bracketed_bare_urls_scope_their_sentence() -> None:
    text = ("The ferry captain said the refunds would arrive by October "
            "(https://talk.example/call-in/2031-02-11). The resurfacing starts in "
            "spring (https://roads.example/news/resurfacing?utm_source=flyer&utm_medium=post).")
    cits = cite(text)
    assert [c.label for c in cits] == [
        "https://talk.example/call-in/2031-02-11",
        "https://roads.example/news/resurfacing?utm_source=flyer&utm_medium=post"]
    assert all(c.kind == "url" for c in cits)
    assert [scoped(text, c).rstrip(" (") for c in cits] == [
        "The ferry captain said the refunds would arrive by October",
        "The resurfacing starts in spring"]


def test_marker_closing_a_paragraph_leaves_out_sentences_with_their_own_marker() -> None:
    text = ("Tram lines will extend in July. (Source: city transit office) The mayor "
            "said tickets would not rise. Late trams will leave every half hour. (Source: "
            "transit office press release)\n")
    first, second = cite(text)
    assert scoped(text, first) == "Tram lines will extend in July."
    assert scoped(text, second) == ("The mayor said tickets would not rise. "
                                    "Late trams will leave every half hour.")


def test_link_words_opening_a_sentence_scope_the_rest_of_it() -> None:
    text = ("Made by: a councillor.\n\n"
            "[A study of 7,400 patients](https://doi.org/10.1000/abc) found that "
            "referrals rose in spring. Nurses agreed.")
    (c,) = cite(text)
    assert c.kind == "link"
    assert scoped(text, c) == "found that referrals rose in spring."


@pytest.mark.parametrize("phrase", [
    "the tribunal's press summary of 4 February",
    "the coastguard's duty log for 17 November",
    "the inspector's closure notice",
    "the council's minutes",
    "a survey issued Monday",
    "a copy of the memo seen by this newspaper",
    "the harbourmaster's website",
    "the society's annual report for 2030/31",
])
def test_according_to_a_document_is_a_citation(phrase: str) -> None:
    text = (f"The slipway will shut for resurfacing next month, according to {phrase}. "
            "Work starts soon.")
    (c,) = according_to_citations(text, [])
    assert c.label == phrase
    assert c.text == f"according to {phrase}"
    assert scoped(text, c) == "The slipway will shut for resurfacing next month"


@pytest.mark.parametrize("phrase", [
    "officials", "the ferry captain", "two people who have read the memo",
    "the audit office", "one survey firm", "the study's authors",
    "the Halden Research Center", "a spokeswoman who would not discuss the report",
])
def test_according_to_a_person_or_an_organisation_is_not_a_citation(phrase: str) -> None:
    text = f"The slipway will shut for resurfacing next month, according to {phrase}."
    assert according_to_citations(text, []) == []


def test_superscript_after_a_space_following_punctuation() -> None:
    text = ("Fares rose in March. ¹ Wages fell in April.²\n\n"
            "¹ Rail regulator, 2024.\n² Pay board, 2025.\n")
    cits = cite(text)
    assert [(c.label, c.reference) for c in cits] == [("1", "Rail regulator, 2024."),
                                                     ("2", "Pay board, 2025.")]
    assert [scoped(text, c) for c in cits] == ["Fares rose in March.", "Wages fell in April."]


def test_author_or_publisher_and_date_in_parentheses() -> None:
    text = ("The ferry captain promised refunds (Pembry Sound, 11 February 2031). Hay "
            "fever cases rose with pollen (Strand et al., 2030). The hearing was on a "
            "weekday (Tuesday, 14 October 2031), and the fee was cut (aged 16 to 21, 2024).")
    cits = cite(text)
    assert [c.label for c in cits] == ["Pembry Sound, 11 February 2031", "Strand et al., 2030"]
    assert [scoped(text, c) for c in cits] == ["The ferry captain promised refunds",
                                               "Hay fever cases rose with pollen"]


@pytest.mark.parametrize(("label", "date"), [
    ("the log of 3 June", (None, 6, 3)), ("the answer of 12th of May", (None, 5, 12)),
    ("the notice of June 3rd", (None, 6, 3)), ("the bulletin of Sept. 9", (None, 9, 9)),
    ("the memo of 9 sept", (None, 9, 9)), ("the letter of Dec 31st", (None, 12, 31)),
    ("the summary of 19 June 2031", (2031, 6, 19)),
    ("the Mayor 3 office", None), ("the 3 Marc file", None),
])
def test_one_definition_of_day_month_dates(label: str, date: tuple | None) -> None:
    """The citation reader and the source reader share the day-month forms: a label that
    names a day and a month names a document, and that day is the date the audit links
    by; a word that only starts like a month ("Mayor", "Marc") is none."""
    from whosaid.audit_sources import find_dates
    from whosaid.extract.citations import _names_document

    got = [(d.y, d.m, d.d) for _s, _e, d in find_dates(label)]
    assert got == ([date] if date else [])
    assert _names_document(label) is (date is not None)
    # the source reader keeps one guard of its own: "May 10:30" is a time, not 10 May
    assert find_dates("the log of May 10:30") == []
    assert _names_document("the log of May 10:30")


def test_bracketed_note_numbers_with_a_notes_list_are_citations() -> None:
    """"(2)" before a full stop is a note marker when a notes list gives "(n)" entries;
    a section number "4(1)" and an enumeration "(1) the ..." are not; a number with no
    note is a marker with no reference."""
    text = ("The pool will close in May (1). Under section 4(1), the council may act. Fares "
            "rise by 5 per cent (2). The options are (1) the pool or (2) the library. Most "
            "residents disagree (9).\n\nNotes\n\n(1) Kelby Council, committee minutes, 6 May "
            "2031.\n(2) Kelby Trams, press release, 2 June 2031.\n")
    cits = find_citations(text, [], [])
    assert [(c.text, c.reference) for c in cits] == [
        ("(1)", "Kelby Council, committee minutes, 6 May 2031."),
        ("(2)", "Kelby Trams, press release, 2 June 2031."), ("(9)", None)]
    assert text[cits[0].scope[0]:cits[0].scope[1]].startswith("The pool will close")
    assert find_citations("Fares rise (2). Costs fall (3).", [], []) == []  # no notes list


def test_author_date_markers_take_their_reference_entry() -> None:
    """"(Name, 2025a)" and a case name with a year are author-date markers resolved against
    an "Name (2025a) ..." reference list, so 2025a and 2025b differ by their entries;
    "n.d.", "personal communication" and "(various sources)" are citations of nothing."""
    text = ("Queues grew in June (Kelby Water Trust, 2031a). Two depots will shut (Kelby "
            "Water Trust, 2031b). The eviction was unlawful (Marsh v Kelby Rope Ltd, 2031). "
            "Spirits are low (a nurse, personal communication). Rents doubled (Anonymous, "
            "n.d.). Demand is rising (trade estimates).\n\nReferences\n\nKelby Water Trust "
            "(2031a) Record of the trustees' meeting, 1 October 2031.\nKelby Water Trust "
            "(2031b) Record of the trustees' meeting, 5 November 2031.\nMarsh v Kelby Rope Ltd "
            "(2031) Lands Tribunal, written decision, 22 August 2031.\n")
    cits = find_citations(text, [], [])
    assert [c.label for c in cits] == [
        "Kelby Water Trust, 2031a", "Kelby Water Trust, 2031b", "Marsh v Kelby Rope Ltd, 2031",
        "a nurse, personal communication", "Anonymous, n.d.", "trade estimates"]
    assert cits[0].reference.endswith("1 October 2031.")
    assert cits[1].reference.endswith("5 November 2031.")
    assert cits[2].reference.startswith("Marsh v Kelby Rope Ltd (2031)")
    assert [c.reference for c in cits[3:]] == [None, None, None]
    assert [c.resolvability.value for c in cits[3:]] == ["generic"] * 3
    # without parenthesised citations around it, "(trade estimates)" is prose
    assert find_citations("Demand is rising (trade estimates).", [], []) == []


def test_unpublished_words_of_unnamed_people_are_generic_and_names_take_small_words() -> None:
    """A note citing "Phone call with an unnamed adviser, March 2026" names nothing a
    reader could look up: generic, whatever its date; "Interview with Ada Brett" names
    someone. A publisher with small words in its name ("Letters from the Quay"), a title
    before a year and a month-year date are author-date markers; "HTTP://" is a URL."""
    text = ("Buses are half empty.[1] Demand will grow.[2] Fares rose.[3]\n\n## Notes\n\n"
            "1. Phone call with an unnamed adviser, Office of Canals, March 2026.\n"
            "2. Email from an adviser to the minister, 3 June 2025.\n"
            "3. Interview with Ada Brett, Kelby Tide Radio, 3 June 2026.\n")
    cits = find_citations(text, [], [])
    assert [c.resolvability.value for c in cits] == ["generic", "generic", "resolvable"]
    text = ("Rents rose (Letters from the Tollgate, 3 May 2026). The lock shut (Kelby Canal "
            "Board, Canal Yearbook 2026). Fares fell (Quillmouth Radio, March 2026). See "
            "[the post](HTTPS://TOLLGATE.example/2026/rents) for more.\n")
    cits = find_citations(text, [], [])
    assert [c.label for c in cits] == [
        "Letters from the Tollgate, 3 May 2026", "Kelby Canal Board, Canal Yearbook 2026",
        "Quillmouth Radio, March 2026", "the post"]
    assert cits[3].kind == "link" and cits[3].resolvability.value == "resolvable"


def test_described_people_take_adjectives_only_and_codes_and_name_runs_stay_cheap() -> None:
    """"(one tram driver)" describes a person: a generic citation; "(a first for traders)"
    is prose, "for" ending the description. "H2 buses" are no second half (a period code
    needs a year or a results word next to it), and the acronym scan stays linear on a
    50,000-character "A-A-..." run (it was quadratic: 17 s)."""
    import time

    from whosaid.audit_sources import initials, words

    text = ("Tolls rose (Letters from the Tollgate, 3 May 2026). Takings hit a high (a first "
            "for traders). Morale is low (one tram driver).\n")
    assert [c.label for c in find_citations(text, [], [])] == [
        "Letters from the Tollgate, 3 May 2026", "one tram driver"]
    assert "half" not in words("The H2 buses run at night.")
    assert words("H2 2026 results") == ["second", "half", "result"]
    assert "grcb" in initials("Guild of River and Canal Boatmen")
    t0 = time.process_time()
    initials("A-" * 25000)
    assert time.process_time() - t0 < 2.0
