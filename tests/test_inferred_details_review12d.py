"""A figure in a one-off bracket of a sentence no citation covers is a detail of the claim,
not an unfound citation mark (review12d). Invented bodies, places and figures."""

from __future__ import annotations

import pytest

from whosaid import extract
from whosaid.audit import audit
from whosaid.audit_sources import source_from_text

DEPOT = """Title: Orrowby bus depot yearly note
Publisher: Orrowby Transit
Date: 3 March 2032

The Orrowby depot repaired 237 buses in the year to January, up from 164 a year earlier.
Depot foreman Tamsin Quarrell said the new wash bay would open in October.
"""
POOLS = """Title: Lathecombe leisure pools report
Publisher: Lathecombe Leisure
Date: 8 April 2032

Swimming lessons at the Lathecombe pools grew by 14 per cent, manager Odo Fernhill said.
"""


@pytest.mark.parametrize("sentence", [
    # a closing aside in brackets: its figure (98 against the source's 164) is the claim's
    "The Orrowby depot repaired 237 buses in the year to January (up from 98 a year earlier).",
    # a short bracket holding a figure: 311 against 237
    "The Orrowby depot repaired (311) buses in the year to January, up from 164 a year earlier.",
    # a percentage in brackets: 22% against 14 per cent
    "Swimming lessons at the Lathecombe pools grew by 14 per cent (22%), manager Odo Fernhill "
    "said.",
])
def test_a_bracketed_figure_outside_citations_is_checked(sentence: str) -> None:
    report = extract("Transit and pools\n\n" + sentence + "\n", name="r")
    result = audit(report, [source_from_text(DEPOT, "depot"), source_from_text(POOLS, "pools")])
    claims = [c for c in result["claims"] if c.get("inferred")]
    assert len(claims) == 1
    assert "unsupported_detail" in claims[0]["flags"]
    # the claim is the report's sentence as written, bracket included
    assert claims[0]["text"] == report.text[claims[0]["start"]:claims[0]["end"]].strip()


def test_a_reference_entry_is_no_claim_by_content() -> None:
    # guard (passes on e9ae2e4 too): a notes list of the report, authors and dates of
    # sources, says nothing itself
    report = extract("Transit notes\n\nThe Orrowby depot repaired 237 buses in the year to "
                     "January, up from 164 a year earlier.\n\nNotes\n\n"
                     "^ Quarrell, Tamsin (3 March 2032).\n"
                     "^ Fernhill, Odo (8 April 2032).\n", name="r")
    result = audit(report, [source_from_text(DEPOT, "depot"), source_from_text(POOLS, "pools")])
    assert [c["text"] for c in result["claims"] if c.get("inferred")] == [
        "The Orrowby depot repaired 237 buses in the year to January, up from 164 a year earlier."]
