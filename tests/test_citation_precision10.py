"""A citation the audit finds or spells out itself links only to the one source it names:
never to the same publisher's other issue, quarter or bulletin, never through a fragment
of the credit, a notes entry of another section, a source line over an item that cites
its own source, or a table of figures read as a key. A wrong link is worse than a missed
one. All reports and sources here are invented."""

from __future__ import annotations

import time

from whosaid.audit import (
    LINK_MARGIN,
    SourceKeys,
    audit,
    discover_markers,
    note_markers,
    report_keys,
    wrapped_candidates,
)
from whosaid.audit_sources import SourceDoc, _idf, source_from_text, stated_numbers
from whosaid.pipeline import extract

ISSUE_7 = """Brackmoor Harbour Authority
Harbour Bulletin, Issue 7
Date: 3 March 2025

Dredging at the outer mole will start on 9 June and last six days.
Harbour dues for leisure craft will rise by four per cent from April.
"""
ISSUE_8 = """Brackmoor Harbour Authority
Harbour Bulletin, Issue 8
Date: 2 June 2025

The new pontoon at the inner basin opened to visiting yachts on Monday.
Harbour dues for fishing boats will stay frozen for a second year.
"""
QUARTER_1 = """Harnwick Valley Rail
Quarterly Performance Report, Q1 2025
Published 14 April 2025

Timekeeping on the valley line reached 91 per cent in the quarter.
Three new carriages entered service on the coastal branch.
"""
ECHO = """The Tellwick Echo
Lifeboat crew honoured for winter rescue
Published 2 May 2025

Four volunteers of the Tellwick lifeboat received bravery awards on Friday.
"""


def _sources() -> list[SourceDoc]:
    return [source_from_text(ISSUE_7, "bha-bulletin-7"),
            source_from_text(ISSUE_8, "bha-bulletin-8"),
            source_from_text(QUARTER_1, "hvr-quarterly-q1"),
            source_from_text(ECHO, "echo-lifeboat")]


def _links(report: str) -> dict[str, dict]:
    r = audit(extract(report, name="precision"), _sources())
    return {c["text"]: c for c in r["citations"]}


def _doc(cit: dict) -> str | None:
    return (cit["link"] or {}).get("document")


def test_an_issue_the_folder_lacks_is_not_linked_to_another_issue() -> None:
    report = ("The new breakwater will be finished by August {Brackmoor Harbour Authority, "
              "Harbour Bulletin, Issue 9}.\n\n"
              "Harbour dues for leisure craft will rise by four per cent from April "
              "{Brackmoor Harbour Authority, Harbour Bulletin, Issue 7}.\n\n"
              "The pontoon at the inner basin opened to visiting yachts on Monday "
              "{Brackmoor Harbour Authority, Harbour Bulletin, Issue 8}.\n")
    cits = _links(report)
    nine = cits["{Brackmoor Harbour Authority, Harbour Bulletin, Issue 9}"]
    assert nine["link"] is None and "source_not_provided" in nine["flags"]
    assert "another number or issue" in nine["note"]
    assert _doc(cits["{Brackmoor Harbour Authority, Harbour Bulletin, Issue 7}"]) == \
        "bha-bulletin-7"
    # the stated issue picks the right one of two alike: not the first by name
    assert _doc(cits["{Brackmoor Harbour Authority, Harbour Bulletin, Issue 8}"]) == \
        "bha-bulletin-8"


def test_a_citation_naming_only_the_publisher_of_two_sources_links_neither() -> None:
    report = ("Harbour dues for leisure craft will rise by four per cent from April "
              "⟨Brackmoor Harbour Authority bulletin⟩. The pontoon opened to visiting "
              "yachts on Monday ⟨Brackmoor Harbour Authority bulletin, 2 June 2025⟩.\n")
    r = audit(extract(report, name="publisher"), _sources())
    vague, dated = r["citations"]
    assert vague["link"] is None and "source_not_provided" in vague["flags"]
    assert set(vague["near_miss"]["documents"]) == {"bha-bulletin-7", "bha-bulletin-8"}
    assert "tells them apart" in vague["note"]
    # the date tells them apart
    assert _doc(dated) == "bha-bulletin-8"
    assert r["claims"][0]["flags"] == ["source_not_provided"]


def test_another_quarter_of_a_provided_report_is_not_linked() -> None:
    report = ("Timekeeping on the valley line reached 88 per cent in the quarter "
              "[Harnwick Valley Rail quarterly report, Q2]. Three new carriages entered "
              "service [Harnwick Valley Rail quarterly report, Q1].\n\n"
              "| Q2 | 88% | 91% |\n|---|---|---|\n")
    cits = _links(report)
    q2 = cits["[Harnwick Valley Rail quarterly report, Q2]"]
    # a table row of figures keyed "Q2" is no key: the quarter is not spelt away
    assert q2["label"] == "Harnwick Valley Rail quarterly report, Q2"
    assert q2["link"] is None and "source_not_provided" in q2["flags"]
    assert _doc(cits["[Harnwick Valley Rail quarterly report, Q1]"]) == "hvr-quarterly-q1"


def test_a_dash_credit_is_read_whole_not_from_its_last_part() -> None:
    report = ("Timekeeping on the valley line reached 88 per cent in the quarter. — Q2 "
              "2025 — Harnwick Valley Rail, Quarterly Performance Report\n\n"
              "Three new carriages entered service on the coastal branch. — Q1 2025 — "
              "Harnwick Valley Rail, Quarterly Performance Report\n")
    r = audit(extract(report, name="dashes"), _sources())
    texts = [(c["text"], _doc(c)) for c in r["citations"]]
    assert texts == [
        ("— Q2 2025 — Harnwick Valley Rail, Quarterly Performance Report", None),
        ("— Q1 2025 — Harnwick Valley Rail, Quarterly Performance Report", "hvr-quarterly-q1")]
    assert r["claims"][0]["flags"] == ["source_not_provided"]
    assert not r["claims"][1]["flags"]


def test_symbol_notes_take_the_entries_of_their_own_section() -> None:
    text = ("Dredging at the outer mole will start on 9 June.† Four volunteers received "
            "bravery awards.‡\n\n"
            "† Brackmoor Harbour Authority, Harbour Bulletin, Issue 7, 3 March 2025\n"
            "‡ Tellwick Echo, 2 May 2025\n\n"
            "SECOND PART\n\n"
            "The pontoon at the inner basin opened to visiting yachts.† Lifeboat crews "
            "were honoured.‡\n\n"
            "† Brackmoor Harbour Authority, Harbour Bulletin, Issue 8, 2 June 2025\n"
            "‡ Tellwick Echo, 2 May 2025\n")
    srcs = _sources()
    _start, found = note_markers(text, SourceKeys(srcs), _idf(srcs))
    labels = [lab for _s, _e, lab in found]
    assert labels == ["Brackmoor Harbour Authority, Harbour Bulletin, Issue 7, 3 March 2025",
                      "Tellwick Echo, 2 May 2025",
                      "Brackmoor Harbour Authority, Harbour Bulletin, Issue 8, 2 June 2025",
                      "Tellwick Echo, 2 May 2025"]
    r = audit(extract(text, name="sections"), srcs)
    assert [_doc(c) for c in r["citations"]] == ["bha-bulletin-7", "echo-lifeboat",
                                                 "bha-bulletin-8", "echo-lifeboat"]
    assert not r["claims"][0]["flags"]


def test_an_item_with_its_own_citation_is_not_vouched_for_by_the_line_above() -> None:
    report = ("HARBOUR\n\n"
              "<< Brackmoor Harbour Authority, Harbour Bulletin, Issue 7, 3 March 2025 >>\n"
              "Dredging at the outer mole will start on 9 June and last six days.\n"
              "The new pontoon at the inner basin opened to visiting yachts on Monday "
              "(Brackmoor Harbour Authority, Harbour Bulletin, Issue 8, 2 June 2025).\n\n"
              "<< Tellwick Echo, 2 May 2025 >>\n"
              "Four volunteers of the Tellwick lifeboat received bravery awards on Friday.\n")
    r = audit(extract(report, name="items"), _sources())
    by_claim: dict[str, list[str]] = {}
    for c in r["claims"]:
        by_claim.setdefault(c["text"][:20], []).append(
            _doc(r["citations"][c["citation"]]) or "-")
    assert by_claim["The new pontoon at t"] == ["bha-bulletin-8"]
    assert by_claim["Dredging at the oute"] == ["bha-bulletin-7"]
    assert not any(c["flags"] for c in r["claims"])


def test_key_lines_still_spell_out_short_forms() -> None:
    """Guard (passes before and after): a key line's short form is spelt out, and a short
    form the key gives to a body not provided is not linked by its letters."""
    report = ("Short forms used:\nHVR = Harnwick Valley Radio\nTE = The Tellwick Echo\n\n"
              "Timekeeping on the valley line reached 88 per cent {HVR, 14 April 2025}. "
              "Four volunteers received bravery awards {TE, 2 May 2025}.\n")
    cits = _links(report)
    assert cits["{HVR, 14 April 2025}"]["link"] is None
    assert _doc(cits["{TE, 2 May 2025}"]) == "echo-lifeboat"
    lines, rows = report_keys("| Q2 | 88% | 91% |\n| FY24 | rail | up |\nTE = Tellwick Echo")
    assert lines == {"te": "Tellwick Echo"} and rows == {}


def test_stated_places_in_a_series() -> None:
    assert stated_numbers("Harbour Bulletin, Issue 9") == {"issue": {"9"}}
    assert stated_numbers("Vol. 3, part 2") == {"volume": {"3"}, "part": {"2"}}
    assert stated_numbers("Quarterly report, Q2 2025; second quarter") == {"quarter": {"2"}}
    assert stated_numbers("H1 2025 results") == {"half": {"1"}}
    # a hydrogen bus and a section reference are no places in a series
    assert stated_numbers("H2 buses, issue 4.2") == {}
    assert 0 < LINK_MARGIN < 0.116  # below the smallest gap of a right link on the tune sets


def test_reading_whole_credits_and_notes_is_linear() -> None:
    srcs = _sources()
    idf = _idf(srcs)
    for unit in ("Word. — Q2 — Harnwick — ", "rose.† " * 3 + "\n† Issue 7 Harnwick Valley Rail\n",
                 "Issue 7 Q1 " * 3):
        text = (unit * (50_000 // len(unit) + 1))[:50_000]
        t0 = time.process_time()
        wrapped_candidates(text)
        discover_markers(text, srcs, idf)
        stated_numbers(text)
        assert time.process_time() - t0 < 10.0, unit


def _claims(report: str) -> list[tuple[str, str | None, list[str]]]:
    r = audit(extract(report, name="review"), _sources())
    return [(c["text"][:24], _doc(r["citations"][c["citation"]]), c["flags"])
            for c in r["claims"]]


def test_stacked_source_lines_each_vouch_for_their_own_item() -> None:
    report = ("HARBOUR DIGEST\n"
              "<<Brackmoor Harbour Authority, Harbour Bulletin, Issue 7, 3 March 2025>>\n"
              "Dredging at the outer mole will start on 9 June and last six days.\n"
              "<<Brackmoor Harbour Authority, Harbour Bulletin, Issue 8, 2 June 2025>>\n"
              "The new pontoon at the inner basin opened to visiting yachts on Monday.\n"
              "<<Tellwick Echo, 2 May 2025>>\n"
              "Four volunteers of the Tellwick lifeboat received bravery awards on Friday.\n")
    assert _claims(report) == [
        ("Dredging at the outer mo", "bha-bulletin-7", []),
        ("The new pontoon at the i", "bha-bulletin-8", []),
        ("Four volunteers of the T", "echo-lifeboat", [])]


def test_asides_in_a_confirmed_house_style_are_not_citations() -> None:
    report = ("Timekeeping reached 91 per cent in the quarter [Harnwick Valley Rail, Quarterly "
              "Performance Report, Q1 2025]. Four volunteers received bravery awards "
              "[Tellwick Echo, 2 May 2025]. The mayor stayed at home [not for the first "
              "time]. Farmers were angry [many of them lost money].\n")
    r = audit(extract(report, name="asides"), _sources())
    assert [c["text"] for c in r["citations"]] == [
        "[Harnwick Valley Rail, Quarterly Performance Report, Q1 2025]",
        "[Tellwick Echo, 2 May 2025]"]


def test_a_dash_aside_about_a_source_is_no_credit() -> None:
    report = ("Timekeeping on the valley line reached 91 per cent in the quarter — the "
              "Harnwick Valley Rail's third such report of 2025.\n\nThe line reopened.\n")
    r = audit(extract(report, name="aside"), _sources())
    assert r["citations"] == []


def test_claim_lines_ending_in_markers_stay_apart() -> None:
    report = ("Dredging at the outer mole will start on 9 June and last six days "
              "(Brackmoor Harbour Authority, 3 March 2025)\n"
              "The new pontoon at the inner basin opened to visiting yachts on Monday "
              "(Brackmoor Harbour Authority, 2 June 2025)\n"
              "Four volunteers of the Tellwick lifeboat received bravery awards on Friday "
              "(Tellwick Echo, 2 May 2025)\n"
              "Timekeeping on the valley line reached 91 per cent in the quarter "
              "(Harnwick Valley Rail, 14 April 2025)\n")
    assert _claims(report) == [
        ("Dredging at the outer mo", "bha-bulletin-7", []),
        ("The new pontoon at the i", "bha-bulletin-8", []),
        ("Four volunteers of the T", "echo-lifeboat", []),
        ("Timekeeping on the valle", "hvr-quarterly-q1", [])]


def test_a_remark_line_is_no_key_and_a_table_pointer_no_date() -> None:
    report = ("NOTE: All figures are provisional and may be revised later this year.\n\n"
              "Timekeeping on the valley line reached 91 per cent in the quarter [Harnwick "
              "Valley Rail, Quarterly Performance Report, Q1 2025, NOTE 3]. Three new "
              "carriages entered service {Harnwick Valley Rail, Quarterly Performance Report, "
              "table 3.4.12}. Four volunteers received bravery awards {Tellwick Echo, 2 May "
              "2025}.\n")
    r = audit(extract(report, name="remarks"), _sources())
    assert [_doc(c) for c in r["citations"]] == ["hvr-quarterly-q1", "hvr-quarterly-q1",
                                                 "echo-lifeboat"]
    assert r["citations"][0]["label"].endswith("NOTE 3")


def test_a_notice_start_date_is_no_publisher() -> None:
    notice = ("Kelmar Port Authority\nBerth closure notice\nFrom: 12 March 2025 until "
              "further notice\nPublisher: Kelmar Port Authority\n\nBerth 4 is closed.\n")
    src = source_from_text(notice, "kpa-berth")
    assert src.meta.publisher == "Kelmar Port Authority"
    mail = ("From: Lisk Ferries Press Office <press@liskferries.example>\nTo: desk@paper.example\n"
            "Subject: Ferry timetable changes\n\nThe winter timetable starts on Monday.\n")
    assert source_from_text(mail, "lisk-mail").meta.publisher == "Lisk Ferries Press Office"


def test_discovery_cost_does_not_grow_with_sources_sharing_common_words() -> None:
    def sources(n: int) -> list[SourceDoc]:
        return [source_from_text(f"Title: Annual report on regional ferries {i}\nPublisher: "
                                 f"Board of Ferries Region {i}\nType: report\nDate: "
                                 f"{1 + i % 28} March 2025\n\nFerries ran late in region {i}.\n",
                                 f"f{i}") for i in range(n)]
    text = " ".join(f"Ferries ran late in district {i} (board report {i}, March 2025, "
                    f"table {i % 50})." for i in range(300))
    cpu = []
    for n in (20, 160):
        srcs = sources(n)
        idf = _idf(srcs)
        t0 = time.process_time()
        discover_markers(text, srcs, idf)
        cpu.append(time.process_time() - t0)
    assert cpu[1] < 3 * cpu[0] + 0.5, cpu


def test_pointers_and_old_years_in_two_digit_dates() -> None:
    from whosaid.audit_sources import citation_fields
    assert [d.iso() for d in citation_fields("Tarrow notice, 03.02.24").dates] == ["2024-02-03"]
    assert [d.iso() for d in citation_fields("Tarrow notice, 16.05.98").dates] == ["1998-05-16"]
    for pointer in ("table 3.4.12", "annex 1.2.11", "fig. 2.10.24", "chart 5.6.07"):
        assert citation_fields(f"Tarrow notice, {pointer}").dates == [], pointer


def test_rows_of_a_fixed_width_table_are_not_joined_as_wrapped_lines() -> None:
    from whosaid.extract.citations import regex_sentences
    body = ("Tram services on the northern route were cut back again this winter after the\n"
            "operator lost two of its older vessels to repairs that took longer than planned.\n")
    rows = ["Route name         Sailings planned    Sailings run    Late by an hour or more",
            "North route        120                 104             14 of them in January",
            "South route        98                  97              3 of them in February"]
    text = body * 3 + "\n" + "\n".join(rows) + "\nThe figures above cover the whole winter.\n"
    got = [text[s.start:s.end] for s in regex_sentences(text)]
    assert got[:3] == [body.strip()] * 3  # wrapped prose is still joined
    assert got[3:6] == rows


def test_html_note_spans_around_a_note_mark_or_nothing_add_no_brackets() -> None:
    from whosaid.audit_sources import parse_html
    page = ('<p>Fees rose by a fifth.<span class="easy-footnote-margin-adjust"></span>'
            '<span class="easy-footnote"><a href="#fn-bottom-1"><sup>1</sup></a></span> '
            'Boats queued.</p>')
    assert parse_html(page)[0].strip() == "Fees rose by a fifth.[1] Boats queued."
    aside = '<p>Fees rose<span class="note">(closed since Tuesday)</span>.</p>'
    assert parse_html(aside)[0].strip() == "Fees rose (closed since Tuesday)."
    side = '<p>Fees rose.<span class="sidenote">Tellwick Echo, 2 May 2025</span> Boats.</p>'
    assert "[Tellwick Echo, 2 May 2025]" in parse_html(side)[0]
