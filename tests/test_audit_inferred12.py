"""Claims by content (session 12): a sentence no found citation vouches for, that one
provided source says strongly, is checked against that source and marked inferred.

Invented bodies, places and figures throughout; the report's citation marks ("⟪qh 31⟫")
are in a style nothing in whosaid reads, so the claims are reached by content alone; the
mark left at the end of such a sentence is blanked, so its number is no detail of the claim.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import whosaid.audit as audit_mod
from whosaid import extract
from whosaid.audit import audit, load_sources, to_html
from whosaid.model import Document

HARBOUR = """Title: Quillmouth Harbour Board annual statement
Publisher: Quillmouth Harbour Board
Date: 4 May 2031

The harbour board handled 412 cargo ships in the year to March, up from 380 a year earlier.
Chief executive Ysolde Marrack said the new crane would be installed by September.
The board approved a plan to deepen the eastern fairway to nine metres.
Passenger ferry sailings to Dunlow Island will continue through the winter.
"""

LIBRARY = """Title: Brackenford Library Trust newsletter
Publisher: Brackenford Library Trust
Date: 2 June 2031

The trust opened two new reading rooms in the old mill building this spring.
Lending of audiobooks rose by 18 per cent, the trust's librarian Ivo Stannard said.
The book bus will visit eleven villages every fortnight from July.
"""

# the same sentence in two different documents: neither is clearly the source
TWIN_A = """Title: Sennet Vale Water quarterly bulletin
Publisher: Sennet Vale Water
Date: 1 July 2031

Reservoir stocks at Pelwick Fen stood at 64 per cent of capacity at the end of June.
Engineers replaced four kilometres of cracked mains under the market square.
"""
TWIN_B = """Title: Pelwick Fen parish council minutes
Publisher: Pelwick Fen Parish Council
Date: 9 July 2031

Reservoir stocks at Pelwick Fen stood at 64 per cent of capacity at the end of June.
Councillors agreed to repaint the bus shelter on Cobb Row before the autumn fair.
"""


def _folder(tmp_path: Path, docs: dict[str, str]) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, text in docs.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def _audit(tmp_path: Path, report: str, docs: dict[str, str]) -> dict:
    return audit(extract(report, name="r"), load_sources(_folder(tmp_path, docs)))


def _claim(result: dict, start: str) -> dict | None:
    return next((c for c in result["claims"] if c["text"].startswith(start)), None)


REPORT = """Port and libraries review

The harbour board handled 412 cargo ships in the year to March, up from 380 a year earlier ⟪qh 31⟫
The board rejected a plan to deepen the eastern fairway to nine metres ⟪qh 31⟫
Lending of audiobooks rose by 25 per cent, the trust's librarian Ivo Stannard said ⟪bl 7⟫
"""


@pytest.fixture()
def unseen(tmp_path: Path) -> dict:
    return _audit(tmp_path, REPORT, {"harbour": HARBOUR, "library": LIBRARY})


def test_an_unread_citation_style_still_gets_its_claim_checked(unseen: dict) -> None:
    assert unseen["citations"] == []  # nothing reads "⟪qh 31⟫" as a marker
    c = _claim(unseen, "The harbour board handled 412")
    assert c is not None and c["flags"] == []
    assert c["citation"] is None
    assert c["inferred"]["document"] == "harbour"
    assert c["inferred"]["coverage"] >= 0.7
    assert "no citation found for this" in c["inferred"]["words"]
    assert "Quillmouth Harbour Board annual statement" in c["inferred"]["words"]
    assert unseen["summary"]["inferred"] == 3


def test_a_changed_figure_under_an_unread_citation_is_flagged(unseen: dict) -> None:
    c = _claim(unseen, "Lending of audiobooks")
    assert c is not None and c["inferred"]["document"] == "library"
    assert "unsupported_detail" in c["flags"]


def test_a_flipped_verb_under_an_unread_citation_is_flagged(unseen: dict) -> None:
    c = _claim(unseen, "The board rejected a plan")
    assert c is not None and c["inferred"]["document"] == "harbour"
    assert "negation_flip" in c["flags"]


def test_the_report_says_in_words_that_the_link_is_inferred(tmp_path: Path) -> None:
    report = extract(REPORT, name="r")
    result = audit(report, load_sources(_folder(tmp_path, {"harbour": HARBOUR,
                                                           "library": LIBRARY})))
    page = to_html(result, report)
    assert "no citation found for this" in page and "(inferred from content)" in page
    verdicts = " ".join(p["verdict"] for p in result["paragraphs"])
    assert "inferred from content" in verdicts


def test_guard_an_opinion_sharing_topic_words_is_no_claim(tmp_path: Path) -> None:
    # guard (passes on the session-start code too): the report's own view of the harbour
    # shares words with the statement, but says nothing the statement says
    report = ("Port review\n\nWe think the harbour board should care more about the ships "
              "and the channel than it does.\nThe ferry to the island is a pleasant trip in "
              "any season, in our view.\n")
    result = _audit(tmp_path, report, {"harbour": HARBOUR, "library": LIBRARY})
    assert result["claims"] == []


def test_a_claim_two_sources_say_alike_is_not_inferred(tmp_path: Path) -> None:
    report = ("Water notes\n\nReservoir stocks at Pelwick Fen stood at 64 per cent of capacity "
              "at the end of June ⟪ovw⟫\nEngineers replaced four kilometres of cracked mains "
              "under the market square ⟪ovw⟫\n")
    result = _audit(tmp_path, report, {"water": TWIN_A, "parish": TWIN_B})
    assert _claim(result, "Reservoir stocks") is None  # 64% is in both: no one source
    c = _claim(result, "Engineers replaced")  # only the water bulletin says this
    assert c is not None and c["inferred"]["document"] == "water"


def test_a_found_citation_keeps_its_claims(tmp_path: Path) -> None:
    report = ("Port review\n\nThe board approved a plan to deepen the eastern fairway to "
              "nine metres (Quillmouth Harbour Board annual statement, 4 May 2031).\n"
              "Passenger ferry sailings to Dunlow Island will continue through the winter "
              "⟪qh 31⟫\n")
    result = _audit(tmp_path, report, {"harbour": HARBOUR, "library": LIBRARY})
    assert len(result["citations"]) == 1
    cited = _claim(result, "The board approved")
    assert cited is not None and cited["citation"] == 0 and "inferred" not in cited
    assert cited["evidence"]["document"] == "harbour" and cited["flags"] == []
    # the sentence after it, under a mark nothing reads, is a claim by content
    ferry = _claim(result, "Passenger ferry sailings")
    assert ferry is not None and ferry["citation"] is None
    assert ferry["inferred"]["document"] == "harbour"
    assert [c["start"] for c in result["claims"]] == sorted(c["start"] for c in result["claims"])


def _town(k: int) -> str:
    return "Bro" + chr(97 + k % 26) + chr(97 + k // 26) + "ford"


def _sources(n: int) -> list:
    from whosaid.audit_sources import SourceDoc, source_meta

    out = []
    for k in range(n):
        body = "\n".join(
            f"The depot at {_town(k)} repaired {k * 10 + j} buses for route {j} "
            f"during week {j + 1}." for j in range(10))
        text = f"Title: Depot bulletin {k}\nDate: {k % 28 + 1} March 2031\n\n{body}\n"
        out.append(SourceDoc(id=f"d{k}", path=f"d{k}.txt", text=text,
                             title=f"Depot bulletin {k}", meta=source_meta(text)))
    return out


def _report(n: int) -> str:
    # one sentence in twenty says what a source says; the others share its topic words
    lines = []
    for i in range(n):
        k, j = i % 30, i % 10
        if i % 20 == 0:
            lines.append(f"The depot at {_town(k)} repaired {k * 10 + j} buses for "
                         f"route {j} during week {j + 1}.")
        else:
            lines.append(f"Riders near the {_town(k)} depot talked about buses on day {i}.")
    return "\n".join(lines) + "\n"


def test_claims_by_content_take_linear_time() -> None:
    sources = _sources(30)
    warm = _report(40)
    audit_mod.inferred_claims(Document(text=warm), warm, [], sources)  # models and caches
    took = []
    for n in (200, 2000):
        text = _report(n)
        t0 = time.process_time()
        found = audit_mod.inferred_claims(Document(text=text), text, [], sources)
        took.append(time.process_time() - t0)
        assert len(found) >= n // 20 * 0.8
    assert took[1] < 20 * max(took[0], 0.05), took


def test_the_web_page_says_the_source_is_inferred(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from whosaid.web import create_app

    with TestClient(create_app(str(tmp_path / "a.db"), token="t", max_body=200_000,
                               max_text=20_000)) as client:
        page = client.post("/audit", data={"text": REPORT, "name": "r.txt"},
                           files=[("sources", ("harbour.txt", HARBOUR.encode(), "text/plain")),
                                  ("sources", ("library.txt", LIBRARY.encode(), "text/plain"))])
    assert page.status_code == 200, page.text
    html = page.text
    assert "no citation found (inferred from content)" in html
    assert "no citation found for this; the folder&#39;s" in html or \
        "no citation found for this; the folder's" in html


def test_guard_a_line_naming_the_source_is_no_claim(tmp_path: Path) -> None:
    # guard (passes on the session-start code too): a reference line names the document;
    # its words are the source's title and publisher, not what the source says
    report = ("Port review\n\nThe board approved a plan to deepen the eastern fairway to "
              "nine metres ⟪4⟫\n\nSources consulted\n\nQuillmouth Harbour Board, "
              "Quillmouth Harbour Board annual statement, 4 May 2031.\n")
    result = _audit(tmp_path, report, {"harbour": HARBOUR, "library": LIBRARY})
    assert not any("Sources consulted" in c["text"] or c["text"].startswith("Quillmouth")
                   for c in result["claims"] if c.get("inferred"))
