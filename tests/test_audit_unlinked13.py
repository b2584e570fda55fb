"""A found citation that links to no source, whose claims one source says strongly.

A report whose markers are keys into something whosaid does not read ("{Kessel bundle,
tab 3}") has its markers found (here by the house style they repeat) but linked to
nothing. Its claims used to be flagged source_not_provided, although unfound they would
have been checked as claims by content. Now, when no field of the citation agrees with
any source (no near miss), the citation is not generic, and one provided source says its
claims strongly (the claims-by-content decision), they are checked against that source and
marked inferred; the citation stays unlinked. A near miss and a citation whose claims no
source says strongly keep source_not_provided. All names and texts are invented.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from whosaid.audit import audit, to_html
from whosaid.audit_sources import source_from_text
from whosaid.model import Document
from whosaid.pipeline import extract
from whosaid.web import create_app

WEEKLY = """Brackley Weekly
Ferry timetable changes from June
Published 11 May 2031

The Tollan ferry will run every twenty minutes from June, the harbour board said.
Fares for cyclists will rise to three marks next spring.
The night crossing will stop for the winter months because too few passengers use it.
"""

SCHOOL = """Ostrel Valley Schools Inspectorate
Inspection report: Wenmoor Primary School
Date of inspection: 2 April 2031

Pupils at Wenmoor Primary read well above the national level.
The school has replaced its leaking roof and opened a new library.
Attendance fell to 91 percent last year.
"""

BOARD = """Tollan Harbour Board
Press release
3 March 2031

The harbour board will dredge the east channel this summer.
Pilot boats will be based at Kelby quay from July.
"""

REPORT = (
    "The Tollan ferry will run every twenty minutes from June {Kessel bundle, tab 3}. "
    "Fares for cyclists will rise to five marks next spring {Kessel bundle, tab 3}.\n\n"
    "Pupils at Wenmoor Primary read well above the national level {Kessel bundle, tab 5}.\n\n"
    "The harbour board will dredge the east channel this summer (Tollan Harbour Board "
    "press release, 17 February 2031).\n\n"
    "The old lighthouse cottage will become a museum of weaving {Kessel bundle, tab 9}.\n"
)


@functools.cache
def _run() -> tuple[dict[str, Any], Document]:
    """The audit of REPORT against the three sources (once: the tests only read it)."""
    sources = [source_from_text(WEEKLY, "weekly"), source_from_text(SCHOOL, "school"),
               source_from_text(BOARD, "board")]
    doc = extract(REPORT, name="harbour-notes")
    return audit(doc, sources), doc


def _claim(result: dict[str, Any], start: str) -> dict[str, Any]:
    return next(c for c in result["claims"] if c["text"].startswith(start))


def _citation(result: dict[str, Any], label: str) -> dict[str, Any]:
    return next(c for c in result["citations"] if c["label"] == label)


def test_an_unlinked_markers_claims_are_checked_against_the_source_that_says_them() -> None:
    result, doc = _run()
    cit = _citation(result, "Kessel bundle, tab 3")
    assert cit["link"] is None and cit["near_miss"] is None  # still not linked
    assert cit["inferred"] is True and cit["suggested"]["document"] == "weekly"
    assert "source_not_provided" not in cit["flags"]
    assert "checked against it (inferred from content, not linked)" in cit["note"]
    first = _claim(result, "The Tollan ferry will run")
    assert first["flags"] == [] and first["citation"] == cit["index"]
    assert first["inferred"]["document"] == "weekly"
    assert first["evidence"]["document"] == "weekly"
    # checked, not waved through: the wrong fare is a wrong detail of the same source
    fares = _claim(result, "Fares for cyclists")
    assert fares["flags"] == ["unsupported_detail"] and fares["inferred"]["document"] == "weekly"
    school = _claim(result, "Pupils at Wenmoor Primary")
    assert school["flags"] == [] and school["inferred"]["document"] == "school"
    assert result["summary"]["inferred"] >= 3
    para = next(p for p in result["paragraphs"] if cit["index"] in p["citations"])
    assert "their citation names no provided source" in para["verdict"]
    assert "no citation found" not in para["verdict"]
    page = to_html(result, doc)
    assert "its citation names no provided source" in page
    assert "inferred from content" in page


def test_a_near_miss_keeps_source_not_provided() -> None:
    result, _doc = _run()
    # the folder has the board's press release of 3 March; this cites one of 17 February,
    # although the claim is word for word in the one the folder has
    near = _citation(result, "Tollan Harbour Board press release, 17 February 2031")
    assert near["near_miss"] is not None and near["inferred"] is False
    dredge = _claim(result, "The harbour board will dredge")
    assert dredge["flags"] == ["source_not_provided"] and not dredge.get("inferred")
    # in the same report an unlinked key whose claims the weekly says is checked
    assert _claim(result, "The Tollan ferry will run")["inferred"]["document"] == "weekly"


def test_claims_no_source_says_strongly_keep_source_not_provided() -> None:
    result, _doc = _run()
    cit = _citation(result, "Kessel bundle, tab 9")
    assert cit["flags"] == ["source_not_provided"] and cit["inferred"] is False
    museum = _claim(result, "The old lighthouse cottage")
    assert museum["flags"] == ["source_not_provided"] and not museum.get("inferred")
    # the other keys of the same style, whose claims a source says, are checked
    assert _citation(result, "Kessel bundle, tab 5")["inferred"] is True


def test_the_web_page_says_in_words_that_the_unlinked_citation_was_checked(
        tmp_path: Path) -> None:
    with TestClient(create_app(str(tmp_path / "audit.db"), max_body=200_000,
                               max_text=20_000)) as client:
        page = client.post("/audit", data={"text": REPORT, "name": "harbour-notes.txt"},
                           files=[("sources", ("weekly.txt", WEEKLY.encode(), "text/plain")),
                                  ("sources", ("school.txt", SCHOOL.encode(), "text/plain")),
                                  ("sources", ("board.txt", BOARD.encode(), "text/plain"))])
    assert page.status_code == 200, page.text
    assert "not linked; its claims are checked against" in page.text
    assert "its citation names no provided source" in page.text
