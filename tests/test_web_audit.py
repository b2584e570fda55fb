"""The citation audit and sourcing profiles over HTTP: ``/api/audit``, ``/api/profile``, ``/audit``.

FastAPI's TestClient against a real SQLite corpus in a temporary folder, no mocks.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from whosaid.cli import app as cli
from whosaid.web import create_app

TOKEN = "audit-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BRIEFING = Path(__file__).resolve().parents[2] / "shared/examples/nato-briefing.txt"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
BRIDGE = ("Title: Harbour Bridge Repairs Approved\n\n"
          "The city council approved 12 million euros for repairs to the harbour bridge on "
          "Monday. Work will start in May and last six months.\n")
LIBRARY = ("Title: Library Opening Hours Extended\n\n"
           "The central library will open until 9 pm on weekdays from next month. "
           "Librarian Ana Costa said demand from students had grown.\n")
FAITHFUL = "The city council approved 12 million euros for repairs to the harbour bridge."
WRONG = "The central library will open until 11 pm on weekdays."
REPORT = (f"{FAITHFUL} (Source: Harbour Bridge Repairs Approved)\n\n"
          f"{WRONG} (Source: Library Opening Hours Extended)\n")
SOURCES = [{"name": "bridge", "text": BRIDGE}, {"id": "library", "text": LIBRARY}]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("web-audit") / "audit.db"
    with TestClient(create_app(str(db), token=TOKEN, max_body=200_000,
                               max_text=20_000)) as c:
        yield c


@pytest.fixture(scope="module")
def audited(client: TestClient) -> dict:
    r = client.post("/api/audit", json={"report": REPORT, "name": "report.txt",
                                        "sources": SOURCES})
    assert r.status_code == 200, r.text
    return r.json()


def test_api_audit_flags_faithful_and_wrong_number(audited: dict) -> None:
    faithful, wrong = audited["claims"]
    assert faithful["text"] == FAITHFUL and faithful["flags"] == []
    ev = faithful["evidence"]
    assert ev["document"] == "bridge" and BRIDGE[ev["start"]:ev["end"]] == ev["text"]
    assert 0 < ev["score"] <= 1.5
    assert wrong["text"] == WRONG and wrong["flags"] == ["unsupported_detail"]
    assert wrong["details"] == ["11 pm"] and wrong["evidence"]["document"] == "library"
    assert REPORT[wrong["start"]:wrong["end"]] == WRONG and wrong["citation"] == 1
    for cit, doc in zip(audited["citations"], ("bridge", "library"), strict=True):
        assert cit["link"]["document"] == doc and cit["resolvability"] == "partial"
        assert len(cit["scope"]) == 2 and cit["label"]
    assert audited["summary"]["supported"] == 1
    assert audited["summary"]["flags"]["unsupported_detail"] == 1


def test_api_audit_is_the_cli_json(audited: dict, tmp_path: Path) -> None:
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "bridge.txt").write_text(BRIDGE, encoding="utf-8")
    (folder / "library.txt").write_text(LIBRARY, encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text(REPORT, encoding="utf-8")
    out = CliRunner().invoke(cli, ["audit", str(report), "--sources", str(folder),
                                   "--format", "json"])
    assert out.exit_code == 0, out.output
    from_cli = json.loads(out.stdout)
    for row in (*from_cli["sources"], *audited["sources"]):
        row.pop("path")  # a file path in the CLI, the source's name over HTTP
    assert from_cli == audited


def test_api_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "post" in paths["/api/audit"]
    assert {"get", "post"} <= set(paths["/api/profile"])


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"sources": []}, 422, "report: field required"),
    ({"report": "  "}, 422, "report: the text is empty"),
    ({"report": "Hi there all.", "sources": [{"id": "a", "text": ""}]}, 422,
     "sources.0.text: the text is empty"),
    ({"report": "Hi there all.", "sources": [{"id": "a", "text": "x"},
                                             {"name": "a", "text": "y"}]}, 422, "two sources"),
    ({"report": "Hi there all.", "sources": [{"text": "x"}] * 51}, 422, "sources"),
    ({"report": "a " * 10_001}, 413, "characters"),
    ({"report": "Hi there all.", "sources": [{"text": "a " * 10_001}]}, 413, "sources.0.text"),
])
def test_api_audit_bad_input(client: TestClient, body: dict, status: int, words: str) -> None:
    r = client.post("/api/audit", json=body)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"].lower()


def test_api_body_limit_applies(client: TestClient) -> None:
    r = client.post("/api/audit", content=b"x" * 200_001,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_audit_page_escapes_hostile_report_and_sources(client: TestClient) -> None:
    stored = f"Title: Stored {SCRIPT}\n\nThe mayor said the ferry would run again {IMG}.\n"
    r = client.post("/api/documents", headers=AUTH, json={
        "text": stored, "metadata": {"title": f"Stored {SCRIPT}", "outlet": f"Out {IMG}"}})
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    form = client.get("/audit")
    assert form.status_code == 200 and 'href="/audit"' in form.text
    assert "Stored &lt;script&gt;" in form.text
    report = (f"The council approved 12 million euros {SCRIPT} for the bridge. "
              f"(Source: {IMG})\n\nThe mayor said the ferry would run again. "
              f"(Source: Stored)\n")
    source = f"Title: Bridge {SCRIPT}\nURL: javascript:alert(3)\n\n{BRIDGE} {IMG}\n"
    page = client.post("/audit", data={"text": report, "name": SCRIPT, "stored": [str(did)]},
                       files=[("sources", ("bridge.txt", source.encode(), "text/plain")),
                              ("sources", ("", b"", "application/octet-stream"))])
    assert page.status_code == 200, page.text
    html = page.text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "javascript:alert" not in html.replace("&#34;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert 'id="claims"' in html and 'id="citations"' in html
    assert f'href="/documents/{did}"' in html  # the stored source links to its page


def test_audit_page_bad_input_is_a_clear_4xx(client: TestClient) -> None:
    r = client.post("/audit", data={"text": "Report. (Source: x)"},
                    files=[("sources", ("a.exe", b"MZ\x00", "application/x"))])
    assert r.status_code == 415 and "text/html" in r.headers["content-type"]
    assert client.post("/audit", data={"text": "Report.", "stored": ["999999"]}
                       ).status_code == 404
    assert client.post("/audit", data={"text": " "}).status_code == 422


def test_profile_of_a_text_and_per_outlet(client: TestClient) -> None:
    text = "Critics said the plan failed. Jens Stoltenberg said it worked."
    row = client.post("/api/profile", json={"text": text, "name": "p"}).json()
    assert row["document"] == "p" and row["attributions"] == 2
    assert row["specificity"]["vague_collective"] == 1 and "name a person" in row["summary"]
    assert client.post("/api/profile", json={"text": ""}).status_code == 422
    r = client.post("/api/documents", headers=AUTH,
                    json={"text": text, "metadata": {"outlet": "Wire"}})
    assert r.status_code in (200, 201)
    wire = client.get("/api/profile", params={"outlet": "Wire"}).json()
    assert [r["outlet"] for r in wire["rows"]] == ["Wire"]
    assert wire["rows"][0]["specificity"]["named_person"] >= 1
    everything = client.get("/api/profile").json()["rows"]
    assert "Wire" in {r["outlet"] for r in everything}
    assert client.get("/api/profile", params={"outlet": "nowhere"}).status_code == 404


def test_profile_of_the_nato_briefing(client: TestClient) -> None:
    if not BRIEFING.exists():
        pytest.skip(f"{BRIEFING} not found (../shared is not beside the checkout)")
    text = BRIEFING.read_text(encoding="utf-8")
    r = client.post("/api/profile", json={"text": text, "name": "nato-briefing"})
    assert r.status_code == 200, r.text
    row = r.json()
    assert row["citations"] == 6 and row["resolvability"]["generic"] == 6
    assert row["resolvability"]["resolvable"] == row["resolvability"]["partial"] == 0
    assert "citations: 6 generic" in row["summary"]


def test_audit_form_keeps_report_and_sources_on_error(client: TestClient) -> None:
    """An empty report: the page says what to fix and keeps the uploaded sources."""
    page = client.post("/audit", data={"text": "  ", "name": "my report"},
                       files=[("sources", ("bridge.txt", BRIDGE.encode(), "text/plain")),
                              ("sources", ("library.txt", LIBRARY.encode(), "text/plain"))])
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    html = page.text
    assert 'id="audit-error"' in html and "report: the text is empty" in html
    assert 'value="my report"' in html
    assert html.count('name="kept_name"') == 2 and 'value="bridge.txt"' in html
    assert "The central library will open until 9 pm" in html  # the source text itself
    # a wrong file keeps the pasted report and the good source
    page = client.post("/audit", data={"text": REPORT},
                       files=[("sources", ("bridge.txt", BRIDGE.encode(), "text/plain")),
                              ("sources", ("notes.exe", b"MZ\x00", "application/x"))])
    assert page.status_code == 415 and "notes.exe" in page.text
    assert "Harbour Bridge Repairs Approved)" in page.text and 'value="bridge.txt"' in page.text
    # sending the kept sources back (one unticked) with a report audits against them
    page = client.post("/audit", data={
        "text": REPORT, "kept_name": ["bridge.txt", "library.txt"],
        "kept_text": [BRIDGE, LIBRARY], "kept_use": ["0"]})
    assert page.status_code == 200, page.text
    assert 'id="claims"' in page.text and "the source says this" in page.text
    assert "the cited document is not among the sources" in page.text  # library dropped


def test_audit_page_shows_flags_in_plain_words(client: TestClient) -> None:
    page = client.post("/audit", data={"text": REPORT},
                       files=[("sources", ("bridge.txt", BRIDGE.encode(), "text/plain")),
                              ("sources", ("library.txt", LIBRARY.encode(), "text/plain"))])
    assert page.status_code == 200, page.text
    html = page.text
    assert "the source gives a different number or detail" in html
    assert "the claim&#39;s 11 pm is not in it" in html or "the claim's 11 pm is not in it" in html
    # the evidence sits beside the claim, in the same row
    row = html[html.index('id="claim-1"'):]
    row = row[:row.index("</tr>")]
    assert "open until 9 pm on weekdays" in row


HTML_REPORT = (
    "<html><head><title>Notes</title></head><body><article><h1>Notes</h1>"
    f"<p>{FAITHFUL[:-1]} (<a href=\"https://city.example/news/bridge-repairs?utm_source=x\">"
    "source</a>).</p></article></body></html>")


def test_report_text_keeps_html_links() -> None:
    """The audit's own reading of an HTML report keeps each link as a citation."""
    from whosaid.audit import report_text

    text = report_text(HTML_REPORT, "notes.html")
    assert "[source](https://city.example/news/bridge-repairs?utm_source=x)" in text
    assert report_text("plain [1] text", "notes.txt") == "plain [1] text"


def test_audit_page_html_report_keeps_inline_links(client: TestClient) -> None:
    page = client.post("/audit", data={"name": "notes"},
                       files=[("file", ("notes.html", HTML_REPORT.encode(), "text/html"))])
    assert page.status_code == 200, page.text
    assert "city.example/news/bridge-repairs" in page.text
