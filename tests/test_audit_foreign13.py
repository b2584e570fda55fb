"""A citation that names a document the folder does not hold (a weekly paper repeating a
press release) is not checked against the press release its claims match: the claims stay
source_not_provided and the release is only suggested (review 13b). A one-word key the
report coins is not such a name (tests/test_audit_unlinked13b.py)."""

from __future__ import annotations

from typing import Any

from test_audit_unlinked13b import BOARD, SCHOOL
from whosaid.audit import audit
from whosaid.audit_sources import source_from_text
from whosaid.pipeline import extract


def _run(report: str) -> dict[str, Any]:
    return audit(extract(report, name="digest"),
                 [source_from_text(BOARD, "board"), source_from_text(SCHOOL, "school")])


def _dredge(result: dict[str, Any]) -> list[dict[str, Any]]:
    claims = [c for c in result["claims"] if "dredge" in c["text"]]
    assert claims, result["claims"]
    return claims


def test_a_paper_not_in_the_folder_stays_source_not_provided() -> None:
    result = _run("The harbour board will dredge the east channel this summer "
                  "(Brackley Weekly, 3 March 2031).\n")
    claims = _dredge(result)
    assert all("source_not_provided" in c["flags"] for c in claims), claims
    assert not any(c.get("inferred") for c in claims)
    cit = next(c for c in result["citations"] if c["label"].startswith("Brackley"))
    assert cit["inferred"] is False and cit["link"] is None


def test_a_paper_sharing_a_word_with_the_source_stays_source_not_provided() -> None:
    # "Harbour" is the board's own word, "Courier" is not: the paper is another document
    result = _run("The harbour board will dredge the east channel this summer "
                  "(Tollan Harbour Courier, 3 March 2031).\n")
    claims = _dredge(result)
    assert all("source_not_provided" in c["flags"] for c in claims), claims
    assert not any(c.get("inferred") for c in claims)
