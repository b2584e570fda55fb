"""The words of a found citation that links nowhere but is checked against the source
its claims pick (audit._unlinked_by_content) must be true of each claim.

One claim out of several picking a source strongly is enough (UNLINKED_STRONG = 1) for
every claim under the citation to be checked against that source. The note, the claim's
words and the paragraph verdict used to say that the source says all of them ("says most
of what it vouches for", "Its claims are said by ..."), also when it says one of three
and the others come back claim_not_found. They now say how many it says and, for each
claim, whether it is one of them. All names and texts are invented.
"""

from __future__ import annotations

import functools
from typing import Any

from whosaid.audit import audit, to_html
from whosaid.audit_sources import source_from_text
from whosaid.model import Document
from whosaid.pipeline import extract

BOARD = """Tollan Harbour Board
Press release
3 March 2031

The harbour board will dredge the east channel this summer.
Pilot boats will be based at Kelby quay from July.
The board expects forty new berths for fishing boats by the end of 2032.
"""

SCHOOL = """Ostrel Valley Schools Inspectorate
Inspection report: Wenmoor Primary School
Date of inspection: 2 April 2031

Pupils at Wenmoor Primary read well above the national level.
The school has replaced its leaking roof and opened a new library.
"""

# a key the report coins (in no source) with the board's own day: one of its three claims is
# the board's, the other two are the report's own
REPORT = (
    "The harbour board will dredge the east channel this summer. The mayor said the work "
    "would cost nine million marks. Local divers fear the silt will smother the oyster "
    "beds (Kesselring, 3 March 2031).\n\n"
    "Pupils at Wenmoor Primary read well above the national level (Ostrel Valley Schools "
    "Inspectorate, inspection report, 2 April 2031).\n"
)


@functools.cache
def _run() -> tuple[dict[str, Any], Document]:
    """The audit of REPORT against the two sources (once: the tests only read it)."""
    doc = extract(REPORT, name="harbour-digest")
    return audit(doc, [source_from_text(BOARD, "board"), source_from_text(SCHOOL, "school")]), doc


def _claim(result: dict[str, Any], start: str) -> dict[str, Any]:
    return next(c for c in result["claims"] if c["text"].startswith(start))


def test_the_note_says_how_many_of_the_citations_claims_the_source_says() -> None:
    result, _doc = _run()
    cit = next(c for c in result["citations"] if c["label"].startswith("Kesselring"))
    assert cit["inferred"] is True and cit["link"] is None
    assert cit["suggested"]["strong_claims"] == 1 and cit["suggested"]["claims"] == 3
    assert "1 of its 3 claims is said by" in cit["note"]
    assert "Its claims are said by" not in cit["note"]
    para = next(p for p in result["paragraphs"] if cit["index"] in p["citations"])
    assert "checked against the source that says them" not in para["verdict"]


def test_each_claims_words_say_whether_the_source_says_that_claim() -> None:
    result, doc = _run()
    dredge = _claim(result, "The harbour board will dredge")
    assert dredge["flags"] == [] and dredge["inferred"]["strong"] is True
    assert "says this strongly" in dredge["inferred"]["words"]
    divers = _claim(result, "Local divers fear")
    assert divers["inferred"]["strong"] is False
    assert "says 1 other claim under the same citation strongly, not this one" in \
        divers["inferred"]["words"]
    for claim in (dredge, divers):
        assert "says most of what it vouches for" not in claim["inferred"]["words"]
    assert "not this one" in to_html(result, doc)
