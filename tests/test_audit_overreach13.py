"""Claims by content the report does not make (session 13, issue 14): a claim the report
quotes or reports in order to judge it, and a line about the report itself, are not checked
as the report's own claims; a plain uncited claim a source says strongly still is.

Invented bodies, places and figures throughout; no citation marks, so every claim below
could only be reached by content.
"""

from __future__ import annotations

from pathlib import Path

from whosaid import extract
from whosaid.audit import audit, load_sources

FERRY = """Title: Orrin Island Ferry Company winter timetable notice
Publisher: Orrin Island Ferry Company
Date: 3 February 2032

The Orrin Island ferry will not stop sailing in the winter; it runs twice a day until March.
Passenger numbers on the Orrin Island ferry rose to 84,000 last year, a record for the route.
Operations director Wenna Callory said the new ramp at Tolvean pier would be finished by April.
Figures in this notice are rounded to the nearest thousand.
"""

DEPOT = """Title: Kestle District Council cabinet minutes
Publisher: Kestle District Council
Date: 12 March 2032

Cabinet agreed that the Kestle bus depot will stay open and will not be sold to developers.
The council will spend 2.4 million pounds on new electric buses for the Kestle depot.
Councillors approved a plan to plant 600 trees along the Marrow valley cycle path.
"""


def _audit(tmp_path: Path, report: str) -> dict:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "ferry.txt").write_text(FERRY, encoding="utf-8")
    (folder / "depot.txt").write_text(DEPOT, encoding="utf-8")
    return audit(extract(report, name="r"), load_sources(folder))


def _claim(result: dict, start: str) -> dict | None:
    return next((c for c in result["claims"] if c["text"].startswith(start)), None)


def test_a_claim_reported_to_be_rejected_is_not_the_reports_own(tmp_path: Path) -> None:
    # each of these sets out someone else's claim and rejects it: checked as the report's
    # own claim it read as supported by a source that says the opposite
    result = _audit(tmp_path, """Transport in review

Some councillors claimed the Kestle bus depot will be sold to developers. It will not.

Some traders alleged the Kestle bus depot would be sold to developers, but that is wrong.

A rumour had it that the Kestle bus depot will be sold to developers. There is no evidence.
""")
    for start in ("Some councillors claimed", "Some traders alleged", "A rumour had it"):
        assert _claim(result, start) is None, start
    assert result["summary"]["inferred"] == 0


def test_a_quotation_standing_alone_is_no_claim_of_the_report(tmp_path: Path) -> None:
    # a fact check's quoted claim, put up for examination: nobody in it to check it against
    result = _audit(tmp_path, """Bus review

“Cabinet agreed that the Kestle bus depot will stay open and will not be sold to developers”

Made by: a councillor, at the March meeting.
""")
    assert _claim(result, "“Cabinet agreed") is None
    assert result["summary"]["inferred"] == 0


def test_a_disclaimer_line_makes_no_claim(tmp_path: Path) -> None:
    result = _audit(tmp_path, """Island transport briefing

Figures in this briefing are rounded to the nearest thousand.
""")
    assert result["claims"] == []


def test_a_plain_uncited_claim_is_still_checked_by_content(tmp_path: Path) -> None:
    # the guard: framing words elsewhere in the report do not stop a plain claim
    result = _audit(tmp_path, """Island transport in review

Some councillors claimed the Kestle bus depot will be sold to developers. That is false.

Passenger numbers on the Orrin Island ferry rose to 84,000 last year, a record for the route.

The council will spend 2.4 million pounds on new electric buses for the Kestle depot.

It is not true that the Kestle bus depot will be sold to developers.
""")
    # the report's own denial is its claim: the polarity check reads its negation
    for start in ("Passenger numbers on the Orrin", "The council will spend", "It is not true"):
        claim = _claim(result, start)
        assert claim is not None and claim["citation"] is None and claim["inferred"], start
        assert claim["flags"] == [], start
    assert _claim(result, "Some councillors claimed") is None


def test_the_lexicons_read_verdicts_quotations_and_lines_about_the_report() -> None:
    from whosaid.audit_checks import about_itself, verdict_reply, wholly_quoted

    assert verdict_reply("That is false.") and verdict_reply("It did not.")
    assert verdict_reply("There is no evidence for this.")
    assert not verdict_reply("The depot opened in 1962 and employs forty drivers from the valley.")
    assert wholly_quoted("2. “The ferry runs all winter”") and not wholly_quoted(
        "“The ferry runs all winter,” Wenna Callory said.")
    assert about_itself("This briefing is not legal advice.")
    assert about_itself("Contact: press office, 01234 567890")
    assert not about_itself("The council said the report was wrong.")
