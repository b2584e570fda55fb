"""Citation styles no list of known wrappers names: credits in a text's own house style
("(via X, 4/17/2025)", "(id., para. 3)", "(X, supra)"), reference lists numbered only by
HTML order, a phrase in the slot of numbered markers, and the links they make. All
reports and sources here are invented."""

from __future__ import annotations

import time

from whosaid.audit_sources import link, parse_html, source_from_text
from whosaid.extract import citations as cit
from whosaid.extract.citations import find_citations, reference_list
from whosaid.model import Citation, Resolvability


def _cites(text: str) -> list[Citation]:
    return find_citations(text, [], [])


def _scoped(text: str, c: Citation) -> str:
    return text[c.scope[0]:c.scope[1]]


DIGEST = """# Brackwater round-up

- The ferry company will drop its winter timetable (via Brackwater Gazette, 4/17/2025).
- Fares on the short crossing rise by a fifth (via Brackwater Gazette, 4/17/2025).
- A new pontoon opens in June (hat tip: Selwyn Marine Services, 2 April 2025).
- Dockers plan a protest march (via the harbourside chat group).
- The harbour master is said to be retiring (h/t a listener).
- Night sailings return in May (overheard at the ferry terminal).
- The slipway was closed for a week (See Marrow Harbour Log ¶ 12).
"""


def test_credits_in_a_house_style_wrapper_are_found_without_their_lead_in() -> None:
    cits = _cites(DIGEST)
    labels = [c.label for c in cits]
    assert labels == ["Brackwater Gazette, 4/17/2025", "Brackwater Gazette, 4/17/2025",
                      "Selwyn Marine Services, 2 April 2025", "the harbourside chat group",
                      "a listener", "overheard at the ferry terminal", "Marrow Harbour Log"]
    scoped = _scoped(DIGEST, cits[1])
    assert "Fares on the short crossing rise by a fifth" in scoped and "ferry" not in scoped
    assert cits[0].text == "(via Brackwater Gazette, 4/17/2025)"


def test_described_credits_are_generic_and_named_ones_are_not() -> None:
    grades = {c.label: c.resolvability for c in _cites(DIGEST)}
    assert grades["the harbourside chat group"] is Resolvability.GENERIC
    assert grades["a listener"] is Resolvability.GENERIC
    assert grades["overheard at the ferry terminal"] is Resolvability.GENERIC
    assert grades["Brackwater Gazette, 4/17/2025"] is not Resolvability.GENERIC


MEMO = """Summary of decisions

The tribunal found the landlord had ignored three repair notices (Quarry Lane Tenants v \
Helmstead Homes, Decision, 14 March 2025, para. 6). The landlord admitted the delay \
(id., para. 9). Rents were cut by a tenth (id., para. 12). The inspector's report found damp \
in every flat (Helmstead Housing Inspectorate, Inspection Report HI-2025/03, p. 4). The \
tribunal accepted the inspector's figures (Quarry Lane Tenants decision, supra, para. 15). \
The landlord may appeal (Helmstead Housing Inspectorate report, supra, p. 7).
"""


def test_id_takes_the_citation_before_and_supra_the_earlier_one_by_its_words() -> None:
    cits = _cites(MEMO)
    assert len(cits) == 6
    case = "Quarry Lane Tenants v Helmstead Homes, Decision, 14 March 2025"
    report = "Helmstead Housing Inspectorate, Inspection Report HI-2025/03"
    assert [c.label for c in cits] == [case, case, case, report, case, report]
    assert cits[1].text == "(id., para. 9)"
    assert _scoped(MEMO, cits[1]) == "The landlord admitted the delay"


def test_a_repeat_links_the_source_of_the_citation_it_repeats() -> None:
    sources = [source_from_text(
        "HELMSTEAD HOUSING INSPECTORATE\nInspection Report HI-2025/03\n2 March 2025\n\n"
        "Damp was found in every flat inspected at Quarry Lane.\n", "inspection.txt")]
    supra = _cites(MEMO)[5]
    assert supra.text == "(Helmstead Housing Inspectorate report, supra, p. 7)"
    got = link(supra.label, supra.reference, sources)
    assert got["link"] and got["link"]["document"] == "inspection.txt"


def test_asides_in_a_house_style_text_stay_prose() -> None:
    text = DIGEST + ("- Some 300 walkers joined in (about twice last year's crowd).\n"
                     "- Tickets are cheaper (e.g. for children).\n"
                     "- The sale closed early (Tuesday, 12 May 2025).\n"
                     "- The crossing takes longer (2025).\n"
                     "- Takings hit a high (a first for traders).\n"
                     "- The fee was cut (aged 16 to 21, 2024).\n"
                     "- The crew is short-handed (one deck hand).\n")
    cits = _cites(text)
    labels = [c.label for c in cits]
    assert len(labels) == 8 and labels[-1] == "one deck hand"
    assert cits[-1].resolvability is Resolvability.GENERIC
    assert not any(w in x for x in labels for w in ("twice", "children", "Tuesday", "first",
                                                    "aged"))


def test_credits_in_square_brackets_as_a_house_style() -> None:
    text = ("Fares rise in May [via Brackwater Gazette, 4/17/2025]. The pontoon opens in June "
            "[Selwyn Marine Services notice]. Dockers will march [h/t a listener]. The vote was "
            "close [sic]. The crossing is slower [Brackwater Gazette, 4/18/2025].\n")
    labels = [c.label for c in _cites(text)]
    assert labels == ["Brackwater Gazette, 4/17/2025", "Selwyn Marine Services notice",
                      "a listener", "Brackwater Gazette, 4/18/2025"]


def test_a_text_that_does_not_cite_in_parentheses_keeps_its_asides() -> None:
    text = ("The council met on Monday. Rents rose again (for the third year). The mayor "
            "spoke for an hour. Two members left early (both from the harbour ward). Nobody "
            "voted against. The meeting closed at nine. The next one is in May (the ninth).\n")
    assert _cites(text) == []


WIKI = ("<html><body><p>The lighthouse was built in 1871.<sup><a href=\"#cite_note-1\">[1]</a>"
        "</sup> Its lamp was electrified in 1931.<sup><a href=\"#cite_note-2\">[2]</a></sup> "
        "Keepers left in 1988.<sup>[<i><a href=\"/wiki/Help:x\">citation needed</a></i>]</sup>"
        "</p>\n<h2>References</h2>\n<ol class=\"references\">\n<li id=\"cite_note-1\"><b>"
        "<a href=\"#cite_ref-1\">^</a></b> Orvell, Jan (2019). \"Lights of the Marrow coast\". "
        "Gullhaven Press.</li>\n<li id=\"cite_note-2\"><b><a href=\"#cite_ref-2\">^</a></b> "
        "\"Lamp history\". Gullhaven Lights Trust. 3 May 2021.</li>\n</ol></body></html>")


def test_an_html_reference_list_is_numbered_by_its_order() -> None:
    text = parse_html(WIKI)[0]
    _start, refs = reference_list(text)
    assert refs["1"].startswith("Orvell, Jan (2019).")
    assert refs["2"].startswith('"Lamp history".')


def test_html_list_numbers_follow_start_value_and_note_ids() -> None:
    page = ('<ol start="4"><li>four</li><li>five</li><li value="9">nine</li></ol>'
            '<ol><li id="fn7">seven</li></ol><ul><li>dot</li></ul>')
    text = parse_html(page)[0]
    for line in ("4. four", "5. five", "9. nine", "7. seven"):
        assert line in text
    assert "1. dot" not in text


def test_superscript_note_numbers_in_html_are_numbered_markers() -> None:
    page = ('<p>Tolls rose by a tenth.<sup>1</sup> The bridge shut for a week'
            '<sup><a href="#fn2">2</a></sup> in June.</p><p>It spans 400 m<sup>2</sup> of '
            'water and 10<sup>6</sup> cars cross it.</p><h2>Notes</h2><ol><li>Marrow Bridge '
            'Trust, Toll notice, 2 May 2025.</li><li>Marrow Post, 9 June 2025.</li></ol>')
    text = parse_html(page)[0]
    assert "tenth.[1]" in text and "week[2]" in text
    assert "m2 of" in text and "106 cars" in text  # exponents are no notes
    refs = {c.label: c.reference for c in _cites(text)}
    assert refs == {"1": "Marrow Bridge Trust, Toll notice, 2 May 2025.",
                    "2": "Marrow Post, 9 June 2025."}


def test_a_phrase_in_the_slot_of_numbered_markers_is_a_marker_with_no_entry() -> None:
    text = parse_html(WIKI)[0]
    cits = _cites(text)
    needed = [c for c in cits if c.label == "citation needed"]
    assert len(needed) == 1 and needed[0].resolvability is Resolvability.GENERIC
    assert _scoped(text, needed[0]).startswith("Keepers left in")
    assert {c.label: c.reference for c in cits if c.kind == "numeric"}["1"].startswith("Orvell")


def test_a_bracketed_aside_is_no_marker_without_numbered_markers() -> None:
    text = "The vote was close.[sic] The motion passed. It was late.[laughter]\n"
    assert _cites(text) == []


def test_a_share_link_with_its_own_parameters_links_the_page() -> None:
    page = ('<html><head><link rel="canonical" href="https://www.marrowpost.example/news/'
            '2025/may/02/quay-reopens"><title>Quay reopens</title></head><body><p>The quay '
            'reopened on Friday.</p></body></html>')
    src = source_from_text(page, "quay.html", is_html=True)
    other = source_from_text("Gullhaven Lights Trust\nLamp history\n\nThe lamp is old.\n",
                             "lamp.txt")
    got = link("1", "[\"x\"](https://marrowpost.example/news/2025/may/02/quay-reopens"
               "?CMP=share_btn&s=20)", [src, other])
    assert got["link"] and got["link"]["document"] == "quay.html"
    assert got["link"]["method"] == "url"


def test_a_quoted_title_in_a_reference_entry_matches_the_main_part_of_the_title() -> None:
    src = source_from_text('"Lamps and long nights": a lighthouse keeper remembers the '
                           "storms\n\nThe keeper talked about storms.\n", "keeper.md")
    other = source_from_text("Gullhaven Lights Trust\nLamp history\n\nThe lamp is old.\n",
                             "lamp.txt")
    got = link("3", 'Orvell, Jan (Spring 2025). "Conversation: a lighthouse keeper remembers '
               'the storms". Coast Monthly. pp. 4-7.', [src, other])
    assert got["link"] and got["link"]["document"] == "keeper.md"


def test_an_all_figure_date_that_reads_both_ways_agrees_either_way() -> None:
    june = source_from_text("Brackwater Ferries\nTimetable notice\n3 June 2025\n\n"
                            "Winter sailings end.\n", "june.txt")
    got = link("Brackwater Ferries timetable notice, 6/3/2025", None, [june])
    assert got["link"] and got["link"]["document"] == "june.txt"
    assert "date" in got["link"]["fields"]


def test_a_kind_the_source_heading_also_names_is_no_conflict() -> None:
    src = source_from_text("Kestrel Field Trust\nReport no. KFT 2025/09\nIssued: 2 June 2025\n\n"
                           "EASTGATE WHARF\nINTERIM STATEMENT ON THE SURVEY\n\n"
                           "Timbers of a jetty were found.\n", "kft.txt")
    got = link("Kestrel Field Trust interim statement", None, [src])
    assert got["link"] and got["link"]["document"] == "kft.txt"


def test_a_day_month_year_joined_by_dashes_is_a_sources_date() -> None:
    src = source_from_text("HOLLIS & PRYCE - AUCTIONEERS\nSALE RESULTS | Sale 412: Clocks\n"
                           "For release: 14-Oct-2024\n\nMost clocks sold well.\n", "sale.txt")
    assert src.meta.date == "2024-10-14"
    other = link("Hollis & Pryce, Sale 398 results, 2 May 2023", None, [src])
    assert other["link"] is None  # another year: another sale


def test_new_patterns_are_linear_on_long_adversarial_input() -> None:
    bad = [
        "(" * 50_000,
        "(" + "a" * 50_000,
        "(a (b " * 8_000 + ".",
        "- x (via " + "X, " * 15_000 + ").\n",
        "(id., " + "para. 1, " * 5_000 + ").",
        "(" + "X supra " * 6_000 + ").",
        "end.[" + "a" * 50_000,
        "end.[1] end.[2] " + ".[a" * 16_000,  # was 10 s: an unbounded link title
        "x (e.g. " * 7_000,
    ]
    for text in bad:
        t0 = time.process_time()
        _cites(text)
        assert time.process_time() - t0 < 2.0, text[:20]


def test_each_new_pattern_is_linear_on_its_worst_input() -> None:
    scanned = [  # run over whole texts with finditer
        (cit._PAREN_END, "(" + "a(" * 25_000),
        (cit._PAREN_END, "(" + "a (b) " * 8_000),
        (cit._BRACKET_END, "[" + "a [b] " * 8_000),
        (cit._BRACKET_END, "[" * 50_000),
        (cit._SLOT_PHRASE, ".[ab" * 12_000),
        (cit._SLOT_PHRASE, ".[" + "a" * 50_000),
        (cit._MDLINK, "[" * 50_000),
        (cit._MDLINK, "[a" * 25_000),
        (cit._REFLINK, "[a] " * 12_000),
    ]
    for rx, text in scanned:
        t0 = time.process_time()
        list(rx.finditer(text))
        assert time.process_time() - t0 < 1.0, (rx.pattern[:30], text[:20])
    matched = [  # tried at the start of one label
        (cit._NOT_CITE_OPEN, "e.g" * 16_000),
        (cit._LEAD_IN, "via " * 12_000 + "X"),
        (cit._SUPRA, "X " * 25_000 + "y"),
        (cit._SUPRA, "X supra " * 6_000 + "(z"),
        (cit._INLINE_REPEAT, "id., " + "x" * 50_000),
    ]
    for rx, text in matched:
        t0 = time.process_time()
        rx.match(text)
        assert time.process_time() - t0 < 1.0, (rx.pattern[:30], text[:20])
    for label in ("X" + ", p. 1" * 8_000 + " x", ", p. 1-" * 7_000, "via " * 12_000):
        t0 = time.process_time()
        cit._credit(label)
        assert time.process_time() - t0 < 1.0, label[:20]
