"""A citation naming a document the folder does not hold is not checked against the source
its claims say (audit._foreign_names, review 13b). Two holes (review 13d): a name broken by
a line wrap or a no-break space ("Brackley\\nWeekly") was read as two one-word keys and the
paper was checked as the release; a name the source writes only on a short line (a
signature under the text) was read as a word the source never uses. All names invented."""

from __future__ import annotations

from typing import Any

import pytest

from whosaid.audit import audit
from whosaid.audit_sources import source_from_text
from whosaid.pipeline import extract

BODY = """The harbour board will dredge the east channel this summer.
Pilot boats will be based at the quay from July.
"""
RELEASE = "Tollan Harbour Board\nPress release\n3 March 2031\n\n" + BODY
SIGNED = "Press release\n3 March 2031\n\n" + BODY + "\nFerris Quell\n"
SCHOOL = """Ostrel Valley Schools Inspectorate
Inspection report: Wenmoor Primary School
Date of inspection: 2 April 2031

Pupils at Wenmoor Primary read well above the national level.
The school has replaced its leaking roof and opened a new library.
"""
CLAIM = "The harbour board will dredge the east channel this summer"


def _claim(cited: str, release: str) -> dict[str, Any]:
    result = audit(extract(f"{CLAIM} ({cited}, 3 March 2031).\n", name="digest"),
                   [source_from_text(release, "board"), source_from_text(SCHOOL, "school")])
    return next(c for c in result["claims"] if "dredge" in c["text"])


@pytest.mark.parametrize("cited", ["Brackley\nWeekly", "Brackley\u00a0Weekly",
                                   "Brackley \n\tWeekly"])
def test_a_paper_whose_name_is_wrapped_stays_source_not_provided(cited: str) -> None:
    claim = _claim(cited, RELEASE)
    assert "source_not_provided" in claim["flags"], claim
    assert not claim.get("inferred")


def test_a_name_only_on_the_sources_signature_line_is_not_foreign() -> None:
    claim = _claim("Ferris Quell", SIGNED)
    assert claim.get("inferred") and "source_not_provided" not in claim["flags"], claim
