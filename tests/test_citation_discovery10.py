"""Citation markers found from the provided sources' metadata, in wrappers no pattern
knows; linear scoping of thousands of markers; sentences of hard-wrapped plain text.
All reports and sources here are invented."""

from __future__ import annotations

import time

from whosaid.audit import audit, discover_markers, wrapped_candidates
from whosaid.audit_sources import _idf, source_from_text
from whosaid.extract.citations import find_citations, regex_sentences
from whosaid.pipeline import extract

NOTICE = """Brackmoor Harbour Authority
Navigation Notice No. 12 of 2025: Dredging at the Outer Mole
Date: 4 June 2025

Dredging at the outer mole will start on 9 June and last six days.
The main channel will be closed to vessels over 40 metres during the work.
Fishing boats may use the inner berth while the dredger is on station.
"""
ECHO = """The Tellwick Echo
Lifeboat crew honoured for winter rescue
Published 2 May 2025

Four volunteers of the Tellwick lifeboat received bravery awards on Friday.
"""


def _sources() -> list:
    return [source_from_text(NOTICE, "bha-notice-12"), source_from_text(ECHO, "echo-lifeboat")]


def _found(text: str) -> list[tuple[int, int, str]]:
    srcs = _sources()
    taken = [(c.start, c.end) for c in find_citations(text, [], [])]
    return discover_markers(text, srcs, _idf(srcs), None, taken)


def test_unknown_wrappers_naming_a_source_are_markers() -> None:
    text = ("Dredging at the outer mole will start on 9 June {Brackmoor Harbour Authority "
            "· 4 June 2025}. The main channel will be closed to large vessels "
            "⟨BHA notice no. 12, 4/6/2025⟩.\n\n"
            "Pilots must report at the fairway buoy first — Brackmoor Harbour Authority, "
            "Navigation Notice No. 12\n\n"
            "Four volunteers received bravery awards on Friday.\n"
            "↳ Tellwick Echo, 2 May 2025\n")
    found = _found(text)
    spans = [text[s:e] for s, e, _lab in found]
    assert spans == ["{Brackmoor Harbour Authority · 4 June 2025}",
                     "⟨BHA notice no. 12, 4/6/2025⟩",
                     "— Brackmoor Harbour Authority, Navigation Notice No. 12",
                     "↳ Tellwick Echo, 2 May 2025"]
    # scoped like any marker: the sentence each closes, without the marker
    cits = find_citations(text, [], [], found)
    scoped = [text[c.scope[0]:c.scope[1]] for c in cits]
    assert scoped[0] == "Dredging at the outer mole will start on 9 June"
    assert scoped[1].startswith("The main channel will be closed")
    assert scoped[2] == "Pilots must report at the fairway buoy first"
    assert scoped[3] == "Four volunteers received bravery awards on Friday."


def test_running_prose_and_asides_are_not_markers() -> None:
    text = ("The Brackmoor Harbour Authority said on 4 June 2025 that dredging would "
            "start soon. The harbour master spoke to pilots (the authority said it would "
            "review the plan in June 2025). Boats queued at the mole {about forty of "
            "them}. The Tellwick Echo reported on 2 May 2025 that four volunteers were "
            "honoured — a first for the town.\n")
    assert _found(text) == []


def test_wrapper_naming_nothing_provided_is_no_marker() -> None:
    text = "The ferry timetable changes next week {Pelmont Valley Rail, 3 March 2025}.\n"
    assert _found(text) == []


def test_near_miss_same_publisher_other_date_is_flagged() -> None:
    report = ("Dredging at the outer mole will start on 9 June and last six days "
              "{Brackmoor Harbour Authority · 18 May 2025}.\n\n"
              "The main channel will be closed to vessels over 40 metres during the work "
              "{Brackmoor Harbour Authority · 4 June 2025}.\n")
    r = audit(extract(report, name="wrappers"), _sources())
    cits = {c["text"]: c for c in r["citations"]}
    miss = cits["{Brackmoor Harbour Authority · 18 May 2025}"]
    assert miss["link"] is None and miss["near_miss"] is not None
    assert "source_not_provided" in miss["flags"]
    ok = cits["{Brackmoor Harbour Authority · 4 June 2025}"]
    assert ok["link"]["document"] == "bha-notice-12"
    claims = {c["text"][:30]: c for c in r["claims"]}
    assert "source_not_provided" in claims["Dredging at the outer mole wil"]["flags"]
    assert not claims["The main channel will be close"]["flags"]


def test_discovery_is_linear_on_long_input() -> None:
    srcs = _sources()
    idf = _idf(srcs)
    # 4,000 wrapped credits naming a source, and adversarial openers without a closer
    # (all different: each is scored)
    text = " ".join(f"Boats {i} queued at the mole {{BHA notice no. 12, 4 June 2025, p. {i}}}."
                    for i in range(4000))
    t0 = time.process_time()
    found = discover_markers(text, srcs, idf)
    assert len(found) == 4000
    assert time.process_time() - t0 < 4.0
    for bad in ("{" * 50_000, "(a b c " * 8_000, "x — " * 12_000, "\n↳ " * 16_000):
        t0 = time.process_time()
        wrapped_candidates(bad)
        discover_markers(bad, srcs, idf)
        assert time.process_time() - t0 < 1.0, bad[:10]


def test_scoping_thousands_of_markers_is_linear() -> None:
    # about 50,000 characters and 4,000 markers each: took 3 s and more before
    texts = [" ".join(f"Fees rose {i} [{i % 90 + 1}]." for i in range(4000))
             + "\n\nReferences\n" + "\n".join(f"[{i}] Tellwick Echo, 2 May 2025"
                                              for i in range(1, 91)),
             " ".join(f"Fees {i} (Tellwick Echo, 2 May)." for i in range(4000)),
             "\n\n".join(f"Fee {i} (Source: Echo)." for i in range(4000))]
    for text in texts:
        t0 = time.process_time()
        cits = find_citations(text, [], [])
        assert len(cits) == 4000
        assert time.process_time() - t0 < 2.0


WRAPPED = """HARROWMERE DRAINAGE BOARD
Date: 4 June 2025

The board agreed on Tuesday that the pumping station at Orme Lane would
not close before the end of the winter season, because the lower
channel still floods after heavy rain and the farms on the east bank
have no other outlet for their water.
The chair said the cost of repairs would be met from reserves and that
no increase in the drainage rate would be needed this year or next.

- Repairs will start in September and take about six weeks to finish
  in all, weather permitting, with the channel kept open throughout.
- A survey of the upper channel will follow in the spring next year.
"""


def test_hard_wrapped_lines_join_into_sentences() -> None:
    got = [WRAPPED[s.start:s.end] for s in regex_sentences(WRAPPED)]
    assert got[:2] == ["HARROWMERE DRAINAGE BOARD", "Date: 4 June 2025"]
    assert got[2].startswith("The board agreed") and got[2].endswith("for their water.")
    assert got[3].startswith("The chair said") and got[3].endswith("this year or next.")
    assert got[4].startswith("- Repairs") and got[4].endswith("kept open throughout.")
    assert got[5] == "- A survey of the upper channel will follow in the spring next year."
    # a negation on the next line stays in its sentence
    assert "would\nnot close" in got[2]


def test_unwrapped_lines_keep_their_breaks() -> None:
    # "Key: value" lines of a wrapped text end where their line does
    text = ("Title: Annual statement of the Harrowmere Drainage Board for the year 2025\n"
            "Publisher: Harrowmere Drainage Board, Orme Lane, Harrowmere, Lower Fen\n"
            "The board met four times in the year and agreed every budget line it was\n"
            "shown, and pumping costs rose by a tenth on the year before, mainly because\n"
            "of the price of power\n")
    got = [text[s.start:s.end] for s in regex_sentences(text)]
    assert len(got) == 3 and got[2].startswith("The board met") and got[2].endswith("power")
    # lines that are paragraphs (wider than any wrap) keep every break
    long = ("The board met four times in the year and agreed every budget line it was shown "
            "to it by the treasurer at the spring meeting\nPumping costs rose\n") * 3
    assert len(regex_sentences(long)) == 6


def test_wrap_join_is_linear() -> None:
    text = ("word " * 14 + "\n") * 10_000
    t0 = time.process_time()
    regex_sentences(text)
    assert time.process_time() - t0 < 2.0


def test_footnotes_in_an_unknown_style_are_found_from_their_entries() -> None:
    text = ("Dredging at the outer mole will start on 9 June.† Four volunteers of the "
            "lifeboat received bravery awards.‡ Boats queued at the mole all day.\n\n"
            "Notes\n"
            "† Brackmoor Harbour Authority, Navigation Notice No. 12, 4 June 2025\n"
            "‡ Tellwick Echo, 2 May 2025\n")
    found = _found(text)
    assert [(text[s:e], lab) for s, e, lab in found] == [
        ("†", "Brackmoor Harbour Authority, Navigation Notice No. 12, 4 June 2025"),
        ("‡", "Tellwick Echo, 2 May 2025")]
    cits = find_citations(text, [], [], found)
    assert [text[c.scope[0]:c.scope[1]] for c in cits] == [
        "Dredging at the outer mole will start on 9 June.",
        "Four volunteers of the lifeboat received bravery awards."]
    # notes that name nothing provided set no style: the symbols stay text
    other = text.replace("Brackmoor Harbour Authority, Navigation Notice No. 12",
                         "Pelmont Valley Rail").replace("Tellwick Echo", "Pelmont Valley Rail")
    assert _found(other) == []


def test_a_bare_credit_after_the_sentence_has_a_citations_shape() -> None:
    text = ("Four volunteers of the lifeboat received bravery awards. Tellwick Echo, "
            "2 May 2025\n\n"
            "Tellwick Echo readers voted for the crew in a poll. The poll closed on "
            "2 May 2025.\n")
    found = _found(text)
    assert [text[s:e] for s, e, _lab in found] == ["Tellwick Echo, 2 May 2025"]


def test_numbered_list_under_an_unknown_heading_gives_the_entries() -> None:
    report = ("Dredging at the outer mole will start on 9 June and last six days [1].\n\n"
              "Four volunteers of the lifeboat received bravery awards on Friday [2].\n\n"
              "Where these facts come from\n\n"
              "[1] Brackmoor Harbour Authority, Navigation Notice No. 12 of 2025, 4 June "
              "2025\n"
              "[2] Tellwick Echo, Lifeboat crew honoured for winter rescue, 2 May 2025\n")
    r = audit(extract(report, name="notes"), _sources())
    cits = [(c["text"], c["reference"], (c["link"] or {}).get("document"))
            for c in r["citations"]]
    assert cits == [
        ("[1]", "Brackmoor Harbour Authority, Navigation Notice No. 12 of 2025, 4 June 2025",
         "bha-notice-12"),
        ("[2]", "Tellwick Echo, Lifeboat crew honoured for winter rescue, 2 May 2025",
         "echo-lifeboat")]
    assert not any(c["flags"] for c in r["claims"])


CLIPPINGS = """HARBOUR DESK CUTTINGS
Every entry starts with the line naming where it came from. Abbreviations:
  BHA = Brackmoor Harbour Authority
  TE = The Tellwick Echo

DREDGING

<< BHA, notice no. 12, 4 June 2025 >>
Dredging at the outer mole will start on 9 June and last six days. The main channel will be
closed to vessels over 40 metres during the work.

<< TE, 2 May 2025 >>
Four volunteers of the Tellwick lifeboat received bravery awards on Friday.

<< newsroom memo >>
Pilots expect the work to overrun by a week.
"""


def test_source_lines_over_items_read_through_the_reports_key() -> None:
    r = audit(extract(CLIPPINGS, name="cuttings"), _sources())
    cits = {c["text"]: c for c in r["citations"]}
    assert cits["<< BHA, notice no. 12, 4 June 2025 >>"]["link"]["document"] == "bha-notice-12"
    # the key turns "TE" into the paper's name: linked though no rule knows the style
    assert cits["<< TE, 2 May 2025 >>"]["link"]["document"] == "echo-lifeboat"
    # two found by the sources confirm the style: the third line is a citation too
    desk = cits["<< newsroom memo >>"]
    assert desk["link"] is None and desk["flags"] == ["unresolvable_citation"]
    # each source line vouches for the item under it, not the one above
    by_text = {c["text"][:25]: c for c in r["claims"]}
    assert r["citations"][by_text["Four volunteers of the Te"]["citation"]]["text"] == \
        "<< TE, 2 May 2025 >>"
    assert r["citations"][by_text["Pilots expect the work to"]["citation"]]["text"] == \
        "<< newsroom memo >>"
    assert not by_text["Dredging at the outer mol"]["flags"]


def test_short_titles_keyed_in_a_table() -> None:
    text = ("Dredging at the outer mole will start on 9 June [Mole notice]. Four lifeboat "
            "volunteers received awards [Echo report]. Pilots expect delays [pilot chat].\n\n"
            "| Abbrev | Paper | Author | Published |\n|---|---|---|---|\n"
            "| Mole notice | Navigation Notice No. 12 of 2025 | Brackmoor Harbour Authority "
            "| 4 June 2025 |\n"
            "| Echo report | Lifeboat crew honoured for winter rescue | Tellwick Echo "
            "| 2 May 2025 |\n")
    # the audit's discovery finds them from the table and the sources alone (nothing taken)
    srcs = _sources()
    found = discover_markers(text, srcs, _idf(srcs), None, [])
    assert [text[s:e] for s, e, _lab in found] == ["[Mole notice]", "[Echo report]",
                                                   "[pilot chat]"]
    # and the report's own repeated style finds them first (citations.induced_spans)
    assert [c.text for c in find_citations(text, [], [])] == ["[Mole notice]", "[Echo report]",
                                                              "[pilot chat]"]


def test_html_side_notes_keep_brackets() -> None:
    from whosaid.audit_sources import parse_html
    page = ('<p>Dredging will start on 9 June.<label class="margin-toggle"></label>'
            '<span class="sidenote">Brackmoor Harbour Authority, 4 June 2025.</span> '
            'Boats queued at the mole.<span class="highlight">all day</span></p>')
    text = parse_html(page)[0]
    assert "9 June. [Brackmoor Harbour Authority, 4 June 2025.] Boats" in text
    assert "[all day]" not in text


def test_email_headers_and_quoted_front_matter_give_the_metadata() -> None:
    mail = ("From: Tellwick Rowing Club <news@rowing.example>\nTo: members\n"
            "Date: Sat, 3 May 2025 09:12:40 +0100\n"
            "Subject: Regatta moved to the outer mole\n\nDear members,\n")
    meta = source_from_text(mail, "club-mail").meta
    assert (meta.title, meta.publisher, meta.date) == (
        "Regatta moved to the outer mole", "Tellwick Rowing Club", "2025-05-03")
    page = '---\ntitle: "Outer mole closed for dredging"\nauthor: Harbour desk\n---\n\nText.\n'
    assert source_from_text(page, "page").meta.title == "Outer mole closed for dredging"


def test_two_digit_year_dates_in_citations() -> None:
    from whosaid.audit_sources import DateVal, citation_fields
    assert citation_fields("BHA, notice, 04.06.25").dates == [DateVal(2025, 6, 4)]
    assert citation_fields("BHA notice, para. 4.2.11").dates == []
