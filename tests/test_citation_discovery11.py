"""Citation linking that holds whoever found the marker, and scoping that stays linear.

A reference-list number or an "according to" names one document only when nothing else
in the folder fits as well: two bulletins of one publisher are told apart by what the
citation states, never by file name. One document given twice (a page and its text) is
no rival of itself. Scoping a marker costs the markers near it, so a report with
thousands of markers in one paragraph or one run is read in linear time. All reports and
sources here are invented.
"""

from __future__ import annotations

import time

from whosaid.audit import audit, same_document
from whosaid.audit_sources import SourceDoc, source_from_text
from whosaid.extract.citations import find_citations
from whosaid.pipeline import extract

BULLETIN_7 = """Quenby Canal Trust
Lock Bulletin, Issue 7
Date: 3 March 2025

Repairs to the upper lock gates will start on 9 June and last six days.
Mooring fees for narrowboats will rise by four per cent from April.
"""
BULLETIN_8 = """Quenby Canal Trust
Lock Bulletin, Issue 8
Date: 2 June 2025

The new footbridge at the lower basin opened to walkers on Monday.
Mooring fees for day boats will stay frozen for a second year.
"""
COURIER = """Stravick Courier
Towpath closed after bank slip
Published 4 May 2025

A stretch of the towpath near the aqueduct was closed on Saturday after a bank slip.
Engineers expect the path to reopen within three weeks.
"""
COURIER_PAGE = """<html><head><title>Towpath closed after bank slip</title></head><body>
<p>Stravick Courier</p><h1>Towpath closed after bank slip</h1><p>Published 4 May 2025</p>
<p>A stretch of the towpath near the aqueduct was closed on Saturday after a bank slip.</p>
<p>Engineers expect the path to reopen within three weeks.</p></body></html>"""


def _bulletins() -> list[SourceDoc]:
    return [source_from_text(BULLETIN_7, "qct-bulletin-7"),
            source_from_text(BULLETIN_8, "qct-bulletin-8")]


def _cits(report: str, sources: list[SourceDoc]) -> list[dict]:
    return audit(extract(report, name="linking11"), sources)["citations"]


def _doc(cit: dict) -> str | None:
    return (cit["link"] or {}).get("document")


def test_a_numbered_reference_naming_only_the_publisher_is_not_linked_by_file_name() -> None:
    report = ("Mooring fees will rise from April [1].\n\n"
              "References\n[1] Quenby Canal Trust, Lock Bulletin, 2025.\n")
    (cit,) = _cits(report, _bulletins())
    assert cit["link"] is None
    assert "source_not_provided" in cit["flags"]
    assert sorted(cit["near_miss"]["documents"]) == ["qct-bulletin-7", "qct-bulletin-8"]


def test_a_numbered_reference_to_an_issue_the_folder_lacks_is_not_linked() -> None:
    report = ("Repairs to the lower lock will start in July [1].\n\n"
              "References\n[1] Quenby Canal Trust, Lock Bulletin, Issue 9, 2025.\n")
    (cit,) = _cits(report, _bulletins())
    assert cit["link"] is None and "source_not_provided" in cit["flags"]


def test_an_according_to_naming_only_the_series_is_not_linked_to_one_issue() -> None:
    report = ("Mooring fees will rise from April, according to the Quenby Canal Trust's "
              "Lock Bulletin.\n")
    (cit,) = _cits(report, _bulletins())
    assert cit["link"] is None and "source_not_provided" in cit["flags"]


def test_pattern_markers_that_state_their_issue_still_link() -> None:
    """Guard: the margin only refuses what the citation cannot tell apart."""
    report = ("Mooring fees for narrowboats will rise by four per cent from April [1]. "
              "The new footbridge at the lower basin opened to walkers on Monday [2].\n\n"
              "References\n[1] Quenby Canal Trust, Lock Bulletin, Issue 7, 3 March 2025.\n"
              "[2] Quenby Canal Trust, Lock Bulletin, Issue 8, 2 June 2025.\n")
    docs = [_doc(c) for c in _cits(report, _bulletins())]
    assert docs == ["qct-bulletin-7", "qct-bulletin-8"]


def test_one_document_given_as_a_page_and_as_text_links() -> None:
    two = [source_from_text(COURIER, "courier-towpath"),
           source_from_text(COURIER_PAGE, "courier-towpath-page", is_html=True)]
    report = ("A stretch of the towpath was closed on Saturday after a bank slip "
              "{Stravick Courier, 4 May 2025}.\n")
    (cit,) = _cits(report, two)
    assert _doc(cit) in ("courier-towpath", "courier-towpath-page")
    assert not cit["flags"]
    assert same_document(two[0], two[1])


def test_two_issues_of_one_template_are_not_one_document() -> None:
    """Guard: a shared template and publisher do not make two issues one document."""
    shared = ("Quenby Canal Trust\nLock Bulletin, Issue {n}\nDate: {d}\n\n"
              "The Trust publishes this bulletin for boaters, walkers and anglers on the "
              "Quenby navigation. Notices of closures, fees and works are listed below.\n"
              "Mooring fees for narrowboats will rise by {p} per cent from April.\n")
    a = source_from_text(shared.format(n=7, d="3 March 2025", p="four"), "qct-7")
    b = source_from_text(shared.format(n=8, d="2 June 2025", p="five"), "qct-8")
    assert not same_document(a, b)
    undated = source_from_text(shared.format(n=8, d="", p="five"), "qct-8b")
    assert not same_document(a, undated)


def _timed(text: str) -> tuple[float, list]:
    t0 = time.process_time()
    cits = find_citations(text, [], [])
    return time.process_time() - t0, cits


REFS = "\n\nReferences\n" + "\n".join(f"[{i}] Pellinore Gazette, 3 May 2025"
                                      for i in range(1, 91))


def test_a_run_of_4000_markers_is_scoped_in_linear_time() -> None:
    text = "Fares rose. " + "".join(f"[{i % 90 + 1}]" for i in range(4000)) + REFS
    assert len(text) > 15_000
    took, cits = _timed(text)
    assert took < 2.0, took
    assert len(cits) == 4000
    # the whole run vouches for the sentence before it
    assert {c.scope for c in cits} == {(0, len("Fares rose."))}


def test_4000_markers_in_one_unsplit_paragraph_are_scoped_in_linear_time() -> None:
    text = " ".join(f"mooring fees at the upper basin rose {i}[{i % 90 + 1}] and"
                    for i in range(4000)) + "." + REFS
    assert len(text) > 150_000
    took, cits = _timed(text)
    assert took < 2.0, took
    assert len(cits) == 4000
    # each marker vouches for its own sentence up to itself
    first, second = cits[0], cits[1]
    assert text[first.scope[0]:first.scope[1]] == "mooring fees at the upper basin rose 0"
    assert text[second.scope[0]:second.scope[1]].endswith(
        "and mooring fees at the upper basin rose 1")


def test_4000_footnotes_after_sentence_ends_are_scoped_in_linear_time() -> None:
    text = " ".join(f"Fees rose {i}.[^{i}]" for i in range(4000)) + "\n\n" + "\n".join(
        f"[^{i}]: Merrowby Gazette, report {i}, 2025" for i in range(4000)) + "\n"
    assert len(text) > 50_000
    took, cits = _timed(text)
    assert took < 2.0, took
    assert len(cits) == 4000
    assert text[cits[1].scope[0]:cits[1].scope[1]] == "Fees rose 1."


def test_adversarial_closers_and_punctuation_runs_stay_linear() -> None:
    """Guard: long runs of closing quotes and brackets before markers, and punctuation
    between markers, are read once."""
    text = ("Prices fell" + "”)" * 12_500 + "[1] " + "rose" + ") " * 12_500 + "[2].\n\n"
            "References\n[1] Ossingham Post, 3 May 2025\n[2] Ossingham Post, 4 May 2025\n")
    assert len(text) > 50_000
    took, _cits = _timed(text)
    assert took < 2.0, took


# --- notes and indexes the report keeps for itself -----------------------------------

NOTES_REPORT = """Boaters' news

The Trust will repair the upper lock gates from 9 June.* Mooring fees for narrowboats \
will rise by four per cent from April.* A stretch of the towpath near the aqueduct was \
closed on Saturday after a bank slip.‖ Boaters say the moorings are full every weekend.** \
The cottages by the locks are let in summer.‖‖

NOTES
*  Quenby Canal Trust, Lock Bulletin, Issue 7,
   3 March 2025.
‖  Stravick Courier, "Towpath closed after bank slip",
   4 May 2025.
** Conversations with boaters at the lower basin.
"""


def _three() -> list[SourceDoc]:
    return [*_bulletins(), source_from_text(COURIER, "courier-towpath")]


def test_symbol_notes_with_wrapped_entries_are_markers() -> None:
    cits = _cits(NOTES_REPORT, _three())
    by_text: dict[str, list[str | None]] = {}
    for c in cits:
        by_text.setdefault(c["text"], []).append(_doc(c))
    assert by_text["*"] == ["qct-bulletin-7", "qct-bulletin-7"]
    assert by_text["‖"] == ["courier-towpath"]
    assert by_text["**"] == [None]
    generic = next(c for c in cits if c["text"] == "**")
    assert "unresolvable_citation" in generic["flags"]
    # a mark of the style's symbols that the notes lack: a note naming nothing findable
    missing = next(c for c in cits if c["text"] == "‖‖")
    assert missing["link"] is None and "unresolvable_citation" in missing["flags"]


def test_a_bulleted_source_list_makes_no_star_notes() -> None:
    """Guard: "* X" lines alone are a bulleted list; an italic closing star is no note."""
    report = ("The new footbridge at the lower basin opened on Monday, *the Trust said*. "
              "Fees for day boats stay frozen.\n\n"
              "Sources\n* Quenby Canal Trust, Lock Bulletin, Issue 8, 2 June 2025\n")
    cits = _cits(report, _three())
    assert not any(c["text"].strip() == "*" for c in cits)


INDEX_REPORT = """SUBMISSIONS OF THE BOATERS' ASSOCIATION

1. The Trust will repair the upper lock gates from 9 June [D/1/2]. Mooring fees for \
narrowboats will rise by four per cent from April [D/1/3, para 2].

2. A stretch of the towpath near the aqueduct was closed on Saturday after a bank slip \
[D/2/1]. Engineers expect the path to reopen within three weeks [D/2/1].

3. Boaters were not asked about the new fees [D/3/7].

DOCUMENTS

Folder 1  Quenby Canal Trust, Lock Bulletin, Issue 7,
          3 March 2025
Folder 2  Stravick Courier, "Towpath closed after bank slip", 4 May 2025
Folder 3  Quenby Canal Trust, consultation response to boaters, 1 April 2025

For the Association
12 June 2025
"""


def test_bundle_references_are_read_through_the_reports_own_index() -> None:
    cits = _cits(INDEX_REPORT, _three())
    docs = [(c["text"], _doc(c)) for c in cits]
    assert docs[:4] == [("[D/1/2]", "qct-bulletin-7"), ("[D/1/3, para 2]", "qct-bulletin-7"),
                        ("[D/2/1]", "courier-towpath"), ("[D/2/1]", "courier-towpath")]
    last = cits[4]
    assert last["text"] == "[D/3/7]" and last["link"] is None
    assert "source_not_provided" in last["flags"]  # the index names it; the folder lacks it


def test_no_index_naming_a_provided_source_spells_nothing_out() -> None:
    """Guard: without an index, or with one naming nothing provided, bundle references
    stay what they are: generic."""
    body = INDEX_REPORT.split("DOCUMENTS")[0]
    for report in (body, body + "DOCUMENTS\n\nFolder 1  Ossingham Post, 1 May 2025\n"
                   "Folder 2  Ossingham Post, 2 May 2025\nFolder 3  Ossingham Post, 3 May 2025\n"):
        cits = _cits(report, _three())
        assert cits and all(c["link"] is None and "unresolvable_citation" in c["flags"]
                            for c in cits)


def test_reading_notes_and_indexes_is_linear() -> None:
    """Guard: 50,000-character foot blocks of index lines, wrapped notes and stars."""
    from whosaid.audit import SourceKeys, _idf, note_markers, report_index
    srcs = _three()
    keys, idf = SourceKeys(srcs), _idf(srcs)
    texts = ["".join(f"Folder {i % 900}  Stravick Courier, {i} May 2025\n   more\n"
                     for i in range(1400)),
             "x.* " * 12_500 + "\n\n" + "*  Stravick Courier, 4 May 2025\n   x\n" * 150,
             "\n".join(["   wrapped line of a note"] * 2000),
             "Folder 1" + " " * 50_000 + "9\n" + "‖" + " " * 50_000 + "9\n"]
    for text in texts:
        assert len(text) > 50_000
        t0 = time.process_time()
        report_index(text, keys, idf)
        note_markers(text, keys, idf)
        assert time.process_time() - t0 < 2.0


# --- over-reach found in review (905f559) -------------------------------------------------

_NOTICE = """Corby Ferry Company
Timetable notice
Published 2 May 2025

The morning ferry to Dunmere will leave at 7.40 from 9 June.
Fares for cyclists will rise by one pound from July.
"""
_PIER = """Dunmere Weekly
Ferry pier to close for repairs
Published 6 May 2025

The ferry pier at Dunmere will close for two weeks in August while the deck is replaced.
"""


def _ferry() -> list[SourceDoc]:
    return [source_from_text(_NOTICE, "ferry-notice"), source_from_text(_PIER, "dunmere-pier")]


def test_markdown_emphasis_is_no_star_note() -> None:
    report = ("Ferry news\n\nThe morning ferry will leave at 7.40 from 9 June.* Riders were "
              "*very* unhappy, and the council called the change **unacceptable**. The pier "
              "will close for two weeks in August.\u2020\n\n"
              "* Corby Ferry Company, Timetable notice, 2 May 2025.\n"
              "\u2020 Dunmere Weekly, \"Ferry pier to close for repairs\", 6 May 2025.\n")
    cits = _cits(report, _ferry())
    texts = [c["text"] for c in cits]
    assert texts.count("*") == 1 and "**" not in texts, texts
    assert {_doc(c) for c in cits} == {"ferry-notice", "dunmere-pier"}


def test_a_table_of_contents_is_no_index_of_documents() -> None:
    report = ("FERRY COMMITTEE REPORT\n\nContents\nPart 1  Introduction\n"
              "Part 2  What the Corby Ferry Company timetable notice of 2 May 2025 changes\n"
              "Part 3  Dunmere Weekly on the pier repairs, 6 May 2025\n"
              "Part 4  Recommendations\n\n"
              "1. The committee agreed to review the subsidy [M 2/25]. It asked officers to "
              "report on fares for cyclists [M 3/25]. The chair thanked the crew [M 4/25].\n")
    cits = [c for c in _cits(report, _ferry()) if c["text"].startswith("[M")]
    assert cits and all(_doc(c) is None for c in cits), [(c["text"], _doc(c)) for c in cits]


_ABOUT = ("About the Corby Ferry Company: the company has run the crossing between Corby and "
          "Dunmere since 1921 and carries about 400,000 passengers a year on three boats. It is "
          "owned by the two towns and reinvests every surplus in the boats, the piers and the "
          "crews. Timetables, fares and notices of works are published on the company's website "
          "and at both piers. Media enquiries go to the press office, open on weekdays from nine "
          "to five; outside those hours the duty manager answers calls about the service.\n")


def test_two_releases_sharing_an_about_block_are_two_documents() -> None:
    a = source_from_text("Corby Ferry Company\nPress release\n2 May 2025\n\nThe morning ferry "
                         "will leave at 7.40 from 9 June.\n\n" + _ABOUT, "release-a")
    b = source_from_text("Corby Ferry Company\nPress release\n2 May 2025\n\nThe pier at Dunmere "
                         "will close for two weeks in August.\n\n" + _ABOUT, "release-b")
    assert not same_document(a, b)
    cits = _cits("Ferry news\n\nThe pier will close in August.[1]\n\nReferences\n"
                 "[1] Corby Ferry Company, press release, 2 May 2025.\n", [a, b])
    assert [_doc(c) for c in cits] == [None]
