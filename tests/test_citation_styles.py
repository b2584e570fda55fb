"""Citation styles a careful writer uses, on invented reports and sources: each marker is
found, gets the entry it points at, scopes the right words and links the right source."""

from __future__ import annotations

import pytest

from whosaid.audit_sources import link, source_from_text
from whosaid.extract.citations import find_citations
from whosaid.model import Citation


def _cites(text: str) -> list[Citation]:
    return find_citations(text, [], [])


def _scoped(text: str, c: Citation) -> str:
    return text[c.scope[0]:c.scope[1]]


ENDNOTES = """The harbour levy rose to £4.20 a tonne.[1] Dredging will start in March.[2] \
The board expects forty jobs.[3] Lock gates come first.[4] The vote was 9 to 4.[5]

{heading}

1. Pellworth Harbour Board, Annual Levy Statement, 3 February 2025.
2. Ibid.
3. ibid., p. 4.
4. Pellworth Harbour Board, op. cit., p. 9.
"""


@pytest.mark.parametrize("heading", ["## Notes", "Endnotes", "**Notes**", "# References"])
def test_ibid_and_op_cit_notes_point_at_the_note_they_repeat(heading: str) -> None:
    text = ENDNOTES.format(heading=heading)
    refs = {c.label: c.reference for c in _cites(text)}
    first = "Pellworth Harbour Board, Annual Levy Statement, 3 February 2025."
    assert refs["1"] == first
    assert refs["2"] == first
    assert refs["3"].startswith(first) and refs["3"].endswith("p. 4")
    assert refs["4"].startswith(first) and "p. 4" not in refs["4"]
    assert refs["5"] is None  # a note number with no entry points nowhere


def test_id_repeats_the_previous_footnote() -> None:
    text = ("The council approved the plan.¹ Rents will be frozen.²\n\n"
            "¹ Marrow Vale Council, Minutes of 4 April 2025.\n² Id.\n")
    refs = {c.label: c.reference for c in _cites(text)}
    assert refs == {"1": "Marrow Vale Council, Minutes of 4 April 2025.",
                    "2": "Marrow Vale Council, Minutes of 4 April 2025."}


def test_an_ibid_note_links_the_source_of_the_note_before() -> None:
    sources = [
        source_from_text("PELLWORTH HARBOUR BOARD\nAnnual Levy Statement\n3 February 2025\n\n"
                         "The levy will rise to £4.20 a tonne from April.\n", "levy.txt"),
        source_from_text("PELLWORTH HARBOUR BOARD\nDredging Programme\n20 January 2025\n\n"
                         "Dredging of the inner basin starts in March.\n", "dredge.txt"),
    ]
    cit = {c.label: c for c in _cites(ENDNOTES.format(heading="Notes"))}
    for label in "1234":
        got = link(cit[label].label, cit[label].reference, sources)["link"]
        assert got is not None and got["document"] == "levy.txt", label


@pytest.mark.parametrize(("marker", "labels"), [
    ("[1, 3]", ["1", "3"]), ("[1-3]", ["1", "2", "3"]), ("[1][2]", ["1", "2"]),
    ("¹", ["1"]),
])
def test_numeric_marker_forms_with_a_bracketed_list(marker: str, labels: list[str]) -> None:
    text = (f"Ferry fares rose by 6%.{marker} Crossings fell.\n\nSources\n\n"
            "[1] Orland Ferries, Timetable Notice, 2 May 2025.\n"
            "[2] Orland Ferries, Fares Notice, 2 May 2025.\n"
            "[3] Orland Ferries, Staff Bulletin, June 2025.\n")
    cits = _cites(text)
    assert [c.label for c in cits] == labels
    assert all(c.reference and c.reference.startswith("Orland Ferries") for c in cits)
    assert {_scoped(text, c) for c in cits} == {"Ferry fares rose by 6%."}


@pytest.mark.parametrize("entry", ["1)", "1.", "(1)"])
def test_note_list_numbering_forms(entry: str) -> None:
    text = (f"Crossings fell by a third.[1]\n\n**References**\n\n"
            f"{entry} Orland Ferries, Fares Notice, 2 May 2025.\n")
    assert [c.reference for c in _cites(text)] == ["Orland Ferries, Fares Notice, 2 May 2025."]


def test_reference_style_markdown_links_carry_their_url() -> None:
    text = ("The [rate statement][1] kept rates on hold. Ships must avoid the north "
            "channel, says the [harbour notice][ntm].\n\n"
            "[1]: https://calderbank.example/statements/2025-05\n"
            '[ntm]: https://harbour.example/ntm/14-2025 "Notice 14"\n')
    cits = _cites(text)
    assert [(c.kind, c.label, c.reference) for c in cits] == [
        ("link", "rate statement", "https://calderbank.example/statements/2025-05"),
        ("link", "harbour notice", "https://harbour.example/ntm/14-2025")]
    # the link inside its sentence vouches for all of it, not the words before it
    assert _scoped(text, cits[0]).endswith("kept rates on hold.")
    assert _scoped(text, cits[1]).startswith("Ships must avoid the north channel")


def test_a_link_inside_a_sentence_scopes_the_sentence() -> None:
    text = ("Sales fell in the first quarter. The [call transcript](https://ledger.example/ir/q1) "
            "shows the finance chief expects a recovery.")
    (cit,) = _cites(text)
    scoped = _scoped(text, cit)
    assert scoped.startswith("The ") and scoped.endswith("expects a recovery.")
    assert "Sales fell" not in scoped


@pytest.mark.parametrize(("written", "label"), [
    ("(Port Workers Union, 12 May 2025)", "Port Workers Union, 12 May 2025"),
    ("(Calder Statistics 2025)", "Calder Statistics 2025"),
    ("(Calder Reserve Bank, May 2025, p. 3)", "Calder Reserve Bank, May 2025"),
    ("(Calder Reserve Bank 2025, pp. 3-4)", "Calder Reserve Bank 2025"),
])
def test_publisher_and_date_in_parentheses(written: str, label: str) -> None:
    text = f"Turnout in the ballot was 61% {written}. The result is binding."
    (cit,) = _cites(text)
    assert cit.label == label
    assert _scoped(text, cit) == "Turnout in the ballot was 61%"


def test_a_capitalised_phrase_with_a_year_inside_a_sentence_is_no_citation() -> None:
    text = "The rules (Harbour Act 2019) were amended twice."
    assert _cites(text) == []


def test_source_lines_under_numbered_points() -> None:
    text = ("1. Rates held at 3.5%. The committee voted 6-3.\n"
            "Source: Calder Reserve Bank, Monetary Policy Statement, 6 March 2025.\n\n"
            "(a) Dockers will ballot on strike action.\n"
            "Sources: Port Workers Union ballot notice and Calder Port Authority statement\n\n"
            "(b) Two warnings are in force on the Ost.\n"
            "Sources: Flood Warning FW-2025-031, 10 March 2025; Flood Warning FW-2025-031, "
            "12 March 2025\n")
    cits = _cites(text)
    assert [c.label for c in cits] == [
        "Calder Reserve Bank, Monetary Policy Statement, 6 March 2025",
        "Port Workers Union ballot notice", "Calder Port Authority statement",
        "Flood Warning FW-2025-031, 10 March 2025", "Flood Warning FW-2025-031, 12 March 2025"]
    assert "committee voted 6-3" in _scoped(text, cits[0])
    assert _scoped(text, cits[1]).endswith("Dockers will ballot on strike action.")


def test_and_inside_a_name_does_not_split_a_source_line() -> None:
    text = "Waiting lists grew.\nSource: Department of Health and Social Care, 3 May 2025\n"
    assert [c.label for c in _cites(text)] == ["Department of Health and Social Care, 3 May 2025"]


# --- sources that identify themselves, and citations that name them ------------------


def _notices() -> list:
    return [
        source_from_text("WENDMOUTH HYDROGRAPHIC OFFICE\nNotice to Mariners No. 14 of 2025\n"
                         "Issued 3 April 2025\n\nThe north channel buoy has moved 200 m east.\n",
                         "ntm-a.txt"),
        source_from_text("WENDMOUTH HYDROGRAPHIC OFFICE\nNotice to Mariners No. 15 of 2025\n"
                         "Issued 17 April 2025\n\nThe south pier light is out of service.\n",
                         "ntm-b.txt"),
        source_from_text("RIVERS AGENCY\nFlood Warning FW-2025-031\nIssued 10 March 2025\n"
                         "https://rivers.example/warnings/FW-2025-031\n\n"
                         "Levels on the Ost are rising.\n", "fw-a.txt"),
        source_from_text("RIVERS AGENCY\nFlood Warning FW-2025-031 (update)\nIssued 12 March 2025\n"
                         "https://rivers.example/warnings/FW-2025-031\n\n"
                         "Levels on the Ost are falling.\n", "fw-b.txt"),
        source_from_text("RIVERS AGENCY\nFlood Warning FW-2025-044\nIssued 12 March 2025\n\n"
                         "Levels on the Brae are rising.\n", "fw-c.txt"),
    ]


@pytest.mark.parametrize(("label", "document"), [
    ("Notice to Mariners No. 15 of 2025", "ntm-b.txt"),
    ("Wendmouth Hydrographic Office, Notice to Mariners 15/2025", "ntm-b.txt"),
    ("Hydrographic Office notice no. 14", "ntm-a.txt"),
    ("Rivers Agency, Flood Warning FW-2025-044", "fw-c.txt"),
    ("Flood Warning FW-2025-031, 12 March 2025", "fw-b.txt"),
    # one code and one address for two warnings: the date tells them apart
    ("https://rivers.example/warnings/FW-2025-031 (12 March 2025)", "fw-b.txt"),
    ("Rivers Agency warning, 10 March 2025, https://rivers.example/warnings/FW-2025-031",
     "fw-a.txt"),
])
def test_documents_cited_by_their_number_or_code(label: str, document: str) -> None:
    got = link(label, None, _notices())["link"]
    assert got is not None and got["document"] == document


def test_a_number_no_source_has_is_not_linked_to_a_neighbour() -> None:
    out = link("Wendmouth Hydrographic Office, Notice to Mariners No. 16 of 2025", None,
               _notices())
    assert out["link"] is None
    assert out["near_miss"] is not None and "number" in out["near_miss"]["conflicts"]


def test_json_ld_metadata_of_an_html_page() -> None:
    page = ('<html><head><title>Home</title><script type="application/ld+json">'
            '{"@context": "https://schema.org", "@graph": [{"@type": "Organization", '
            '"name": "Wendmouth Echo Ltd"}, {"@type": "NewsArticle", '
            '"headline": "Bridge tolls to double", "datePublished": "2025-05-02T08:00:00Z", '
            '"author": [{"@type": "Person", "name": "Ines Parry"}], '
            '"publisher": {"@type": "Organization", "name": "Wendmouth Echo"}}]}'
            "</script></head><body><p>Tolls on the bridge will double in June, the council "
            "said.</p></body></html>")
    src = source_from_text(page, "tolls.html")
    m = src.meta
    assert (m.title, m.date, m.publisher, m.author) == (
        "Bridge tolls to double", "2025-05-02", "Wendmouth Echo", "Ines Parry")
    got = link("Wendmouth Echo, 2 May 2025", None, [src, *_notices()])["link"]
    assert got is not None and got["document"] == "tolls.html"


def test_front_matter_and_an_author_date_citation() -> None:
    blog = source_from_text("---\ntitle: Why the towpath closed\ndate: 2025-04-09\n"
                            "author: Mira Vardakis\n---\n\nThe towpath closed after the bank "
                            "slipped, the trust said.\n", "towpath.md")
    assert (blog.meta.title, blog.meta.date, blog.meta.author) == (
        "Why the towpath closed", "2025-04-09", "Mira Vardakis")
    sources = [blog, *_notices()]
    got = link("Vardakis 2025", None, sources)["link"]
    assert got is not None and got["document"] == "towpath.md"
    assert link("Vardakis 2023", None, sources)["link"] is None


def test_a_wire_dateline_names_the_agency_and_the_day() -> None:
    wire = source_from_text("CALDER, March 4 (Northwire) - Ledger Foods said on Tuesday that "
                            "sales fell 3% in the quarter.\n\nThe company said prices would "
                            "rise.\n", "wire.txt")
    assert (wire.meta.publisher, wire.meta.date) == ("Northwire", "--03-04")
    sources = [wire, *_notices()]
    got = link("Northwire, 4 March 2025", None, sources)["link"]
    assert got is not None and got["document"] == "wire.txt"
    assert link("Northwire, 9 March 2025", None, sources)["link"] is None


@pytest.mark.parametrize("line", [
    "- Source: Port Workers Union, Ballot Notice, 2 May 2025",
    "*Source: Port Workers Union, Ballot Notice, 2 May 2025*",
    "**Source:** Port Workers Union, Ballot Notice, 2 May 2025",
])
def test_a_bulleted_or_emphasised_source_line_closes_the_point_above(line: str) -> None:
    text = f"- The ballot closes on 14 May\n{line}\n\n- Turnout was 61%.\n"
    (cit,) = _cites(text)
    assert cit.label == "Port Workers Union, Ballot Notice, 2 May 2025"
    assert "The ballot closes on 14 May" in _scoped(text, cit)
    assert "Turnout" not in _scoped(text, cit)


@pytest.mark.parametrize("heading", ["### Notes and references", "Sources & notes",
                                     "**References and further reading**"])
def test_combined_note_headings(heading: str) -> None:
    text = f"Coroners found no fault.[1]\n\n{heading}\n\n1. Coroner's Report, 2 June 2025.\n"
    assert [c.reference for c in _cites(text)] == ["Coroner's Report, 2 June 2025."]


def test_audit_of_an_explainer_with_endnotes_ibid_and_a_reference_link() -> None:
    """End to end: each claim is checked against the source its note points to, an
    "Ibid." note included, and a "[rs]: url" line is no part of the last note."""
    from whosaid import extract
    from whosaid.audit import audit

    report = ("The harbour levy will rise to £4.20 a tonne from April.[1] Dredging of the "
              "inner basin starts in March.[2] The board expects forty new jobs.[3] The base "
              "rate stays at 3.5%, the [rate statement][rs] said.\n\n## Notes\n\n"
              "1. Pellworth Harbour Board, Annual Levy Statement, 3 February 2025.\n"
              "2. Pellworth Harbour Board, Dredging Programme, 20 January 2025.\n3. Ibid.\n\n"
              "[rs]: https://calderbank.example/statements/2025-03\n")
    sources = [
        source_from_text("PELLWORTH HARBOUR BOARD\nAnnual Levy Statement\n3 February 2025\n\n"
                         "The levy will rise to £4.20 a tonne from April.\n", "levy"),
        source_from_text("PELLWORTH HARBOUR BOARD\nDredging Programme\n20 January 2025\n\n"
                         "Dredging of the inner basin starts in March. The board expects "
                         "forty new jobs.\n", "dredge"),
        source_from_text("CALDER RESERVE BANK\nMonetary Policy Statement\n6 March 2025\n"
                         "URL: https://calderbank.example/statements/2025-03\n\n"
                         "The committee kept the base rate at 3.5%.\n", "bank"),
    ]
    result = audit(extract(report, name="explainer"), sources)
    assert [c["link"]["document"] if c["link"] else None for c in result["citations"]] == \
        ["levy", "dredge", "dredge", "bank"]
    assert "calderbank" not in (result["citations"][2]["reference"] or "")
    assert all(c["flags"] == [] for c in result["claims"])


@pytest.mark.parametrize(("written", "labels"), [
    ("(Calder Echo, 12 May)", ["Calder Echo, 12 May"]),
    ("(Calder Echo, May 12)", ["Calder Echo, May 12"]),
    ("(the Calder Echo, 2025-05-12)", ["the Calder Echo, 2025-05-12"]),
    ("(PWU ballot notice, 12/05/2025)", ["PWU ballot notice, 12/05/2025"]),
    ("(Calder Echo, 12 May 2025; Northwire, 13 May 2025)",
     ["Calder Echo, 12 May 2025", "Northwire, 13 May 2025"]),
])
def test_any_written_date_after_a_publisher(written: str, labels: list[str]) -> None:
    text = f"Turnout in the ballot was 61% {written}. The result is binding."
    cits = _cites(text)
    assert [c.label for c in cits] == labels
    assert {_scoped(text, c) for c in cits} == {"Turnout in the ballot was 61%"}


@pytest.mark.parametrize("text", ["The meeting (Tuesday, 12 May 2025) was short.",
                                  "He arrived late (in May 2025)."])
def test_a_date_in_parentheses_is_no_citation(text: str) -> None:
    assert _cites(text) == []


def test_a_note_naming_two_sources_cites_both() -> None:
    text = ("Rates held and wages rose.[3]\n\nNotes\n\n3. Calder Reserve Bank, Monetary Policy "
            "Statement, 6 March 2025; Calder Statistics Office, Labour Bulletin, May 2025.\n")
    cits = _cites(text)
    assert [c.reference for c in cits] == [
        "Calder Reserve Bank, Monetary Policy Statement, 6 March 2025",
        "Calder Statistics Office, Labour Bulletin, May 2025."]
    assert all(c.label == "3" and _scoped(text, c) == "Rates held and wages rose." for c in cits)
    # "; see also ..." is no second source
    text = "Rates held.[1]\n\nNotes\n\n1. Calder Reserve Bank, Statement; see also p. 4.\n"
    assert len(_cites(text)) == 1



def test_a_citation_may_call_an_untyped_record_a_report() -> None:
    """Every other word of the citation is the source's: the writer's word for the kind
    of document does not keep it from linking; other missing words still do."""
    record = source_from_text("HM CORONER FOR WEND VALLEY\nRecord of Inquest\nInquest touching "
                              "the death of Peter Amsel\nDate of inquest: 14 April 2025\n\n"
                              "The coroner found that the crane failed.\n", "inquest")
    label = "Coroner's report, inquest into the death of Peter Amsel, 14 April 2025"
    got = link(label, None, [record, *_notices()])["link"]
    assert got is not None and got["document"] == "inquest"
    assert link("Coroner's report on the crane at Calder Docks", None,
                [record, *_notices()])["link"] is None
