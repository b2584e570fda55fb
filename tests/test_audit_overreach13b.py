"""Review of the claims-by-content framing filter (session 13): real claims of a report are
not dropped because a heading opens with a listing word, a short paragraph holds a line
about the report, a next sentence says something new in a negative, or the report states
its own finding; and the e-mail test reads a long token in linear time.

Invented bodies, places and figures throughout; no citation marks.
"""

from __future__ import annotations

import time
from pathlib import Path

from whosaid import extract
from whosaid.audit import audit, load_sources
from whosaid.audit_checks import about_itself, list_heading, verdict_reply

HARBOUR = """Title: Pellow Harbour Board annual statement
Publisher: Pellow Harbour Board
Date: 4 May 2033

The Pellow harbour budget rose 4% this year to 9.2 million pounds.
Harbourmaster Idris Vanneck said the north breakwater repairs would finish in June.
Dredging of the Pellow channel will begin in September and cost 1.3 million pounds.
The price of a mooring at Pellow rose to 2,400 pounds a year.
"""


def _inferred(tmp_path: Path, report: str) -> list[str]:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    result = audit(extract(report, name="r"), load_sources(folder))
    return [c["text"] for c in result["claims"] if c.get("inferred")]


def test_a_heading_that_opens_with_a_listing_word_is_no_list(tmp_path: Path) -> None:
    got = _inferred(tmp_path, """Harbour review

Sources of funding

The Pellow harbour budget rose 4% this year to 9.2 million pounds.

Index of prices

The price of a mooring at Pellow rose to 2,400 pounds a year.
""")
    assert any(t.startswith("The Pellow harbour budget") for t in got), got
    assert any(t.startswith("The price of a mooring") for t in got), got


def test_a_claim_beside_a_line_about_the_report_is_still_checked(tmp_path: Path) -> None:
    got = _inferred(tmp_path, """Harbour review

This briefing draws on board papers. \
The Pellow harbour budget rose 4% this year to 9.2 million pounds.

Dredging of the Pellow channel will begin in September and cost 1.3 million pounds. \
Contact: harbour desk.
""")
    assert any(t.startswith("The Pellow harbour budget") for t in got), got
    assert any(t.startswith("Dredging of the Pellow") for t in got), got


def test_a_negative_next_sentence_that_goes_on_is_no_verdict(tmp_path: Path) -> None:
    got = _inferred(tmp_path, """Harbour review

Harbourmaster Idris Vanneck said the north breakwater repairs would finish in June. \
Funding did not change.
""")
    assert any(t.startswith("Harbourmaster Idris Vanneck") for t in got), got


def test_the_lexicons_keep_findings_and_prose_headings() -> None:
    assert not list_heading("Sources of funding") and not list_heading("Documents show a rise")
    assert list_heading("References") and list_heading("INDEX TO THE TRIAL BUNDLE")
    assert list_heading("## Documents referred to") and list_heading("Sources and references")
    assert not about_itself("This report has found that the ferry lost money.")
    assert about_itself("This briefing is not legal advice.")
    assert not verdict_reply("He was not contradicted.")
    assert not verdict_reply("The old estimate was wrong.")
    assert verdict_reply("That is false.") and verdict_reply("It did not.")
    assert verdict_reply("The council did not.")


def test_a_long_token_is_read_in_linear_time() -> None:
    t = time.perf_counter()
    about_itself("q" * 60_000)
    assert time.perf_counter() - t < 1.0
