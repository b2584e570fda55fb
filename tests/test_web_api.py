"""The web layer through FastAPI's test client, against a real SQLite corpus.

Covers the JSON API (analyse = ``whosaid extract -f json``), token-protected
writes, body and text limits, clear 4xx errors, corrections that survive a
re-ingest, and hostile article text and metadata rendered inert in every page.
"""

from __future__ import annotations

import hmac
import inspect
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import whosaid
from whosaid.web import create_app
from whosaid.web.state import WebState

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(2)>'
TEXT = ("NATO Secretary General Jens Stoltenberg said on Monday that allies must spend more "
        "on defence. Critics warned the plan would fail.")
HOSTILE = (f'Officials said "{SCRIPT}" was harmless. {IMG} said the plan was bad. '
           f"Jens Stoltenberg said {IMG} would never run.")
HOSTILE_META = {"title": f"Title {SCRIPT}", "outlet": f"Outlet {IMG}",
                "author": SCRIPT, "url": f"javascript:alert(3){IMG}", "published": "2024-03-01"}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("web") / "web.db"


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(str(db), token=TOKEN, max_body=200_000,
                               max_text=50_000)) as c:
        for text, meta in ((TEXT, {"outlet": "Wire", "published": "2024-02-01"}),
                           (HOSTILE, HOSTILE_META)):
            r = c.post("/api/documents", json={"text": text, "name": "n", "metadata": meta},
                       headers=AUTH)
            assert r.status_code == 201, r.text
        yield c


def doc_id(client: TestClient, text: str) -> int:
    items = client.get("/api/documents", params={"limit": 100}).json()["items"]
    wanted = "Title" if text is HOSTILE else None
    return next(i["id"] for i in items if i["title"] == wanted or
                (wanted and i["title"] and i["title"].startswith(wanted)))


def test_analyse_is_the_extract_json(client: TestClient) -> None:
    r = client.post("/api/analyse", json={"text": TEXT})
    assert r.status_code == 200
    assert r.json() == whosaid.extract(TEXT).model_dump(mode="json")
    assert client.get("/openapi.json").json()["paths"]["/api/analyse"]["post"]


def test_server_model_is_used_for_analysis_and_writes(db: Path) -> None:
    text = "Two former aides implored her to drop out of the race."
    with TestClient(create_app(str(db), token=TOKEN, model="accurate")) as acc:
        r = acc.post("/api/analyse", json={"text": text})
        assert r.status_code == 200
        assert r.json() == whosaid.extract(text, model="accurate").model_dump(mode="json")
        assert [a["method"] for a in r.json()["attributions"]] == ["minilm"]
        r = acc.post("/api/documents", json={"text": text},
                     headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code in (200, 201), r.text
        stored = acc.get(f"/api/documents/{r.json()['id']}").json()
        assert stored["document"]["model"] == "accurate"


def test_writes_need_the_token(client: TestClient, db: Path) -> None:
    body = {"text": "The mayor said the bridge would reopen."}
    assert client.post("/api/documents", json=body).status_code == 401
    r = client.post("/api/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401 and "token" in r.json()["detail"]
    assert client.post("/api/speakers/merge", json={"keep": "1", "other": "2"}).status_code == 401
    assert client.delete("/api/corrections/1").status_code == 401
    r = client.post("/api/documents", json=body, headers={"X-Whosaid-Token": TOKEN})
    assert r.status_code == 201 and r.json()["stored"] is True, r.text
    again = client.post("/api/documents", json=body, headers=AUTH)
    assert again.status_code == 200 and again.json() == {"id": r.json()["id"], "stored": False}
    # a form post from the page needs it too
    assert client.post("/analyse", data={"text": body["text"], "store": "1"}).status_code == 401
    with TestClient(create_app(str(db))) as ro:  # no token configured: read-only
        r = ro.post("/api/documents", json=body, headers=AUTH)
        assert r.status_code == 403 and "disabled" in r.json()["detail"]
        assert ro.post("/api/analyse", json=body).status_code == 200


def test_token_compared_in_constant_time() -> None:
    assert "hmac.compare_digest" in inspect.getsource(WebState.token_ok)
    web = WebState.__new__(WebState)
    web.token = TOKEN
    assert web.token_ok(TOKEN) and not web.token_ok(TOKEN[:-1]) and not web.token_ok(None)
    assert hmac.compare_digest(TOKEN.encode(), TOKEN.encode())


def test_size_limits(client: TestClient) -> None:
    r = client.post("/api/analyse", content=b"x" * 200_001,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "limit" in r.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        for _ in range(30):
            yield b"y" * 10_000

    r = client.post("/api/analyse", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    r = client.post("/api/analyse", json={"text": "a " * 30_000})
    assert r.status_code == 413 and "characters" in r.json()["detail"]


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"{not json", 422, "json"),
    (b'{"name": "x"}', 422, "text: field required"),
    (b'{"text": "   "}', 422, "empty"),
    (b'{"text": 12}', 422, "text:"),
    (b'{"text": "a", "metadata": {"k": [1]}}', 422, "metadata"),
])
def test_bad_input_is_a_clear_4xx(client: TestClient, body: bytes, status: int,
                                  words: str) -> None:
    r = client.post("/api/analyse", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert words in r.json()["detail"].lower()


def test_lone_surrogates_follow_the_one_rule_in_every_field(client: TestClient) -> None:
    """Issue 16: a lone surrogate in ``name`` or metadata was a 422 while the same code
    point in the text became U+FFFD; the CLI and Spark replace it everywhere."""
    body = (b'{"text": "Jens Stoltenberg said the plan \\ud800 works.", "name": "a\\ud800b", '
            b'"metadata": {"outlet\\udc00": "Wire \\udfff"}}')
    r = client.post("/api/analyse", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["name"] == "a\ufffdb"
    assert doc["text"] == "Jens Stoltenberg said the plan \ufffd works."
    assert doc["metadata"] == {"outlet\ufffd": "Wire \ufffd"}
    items = client.get("/api/speakers", params={"outlet": "Wire"}).json()["items"]
    speaker = next(s for s in items if s["name"] == "Jens Stoltenberg")
    r = client.post(f"/api/speakers/{speaker['id']}/rename",
                    content=b'{"name": "Jens \\ud800 Stoltenberg"}',
                    headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 200 and r.json()["name"] == "Jens \ufffd Stoltenberg"
    client.post(f"/api/speakers/{speaker['id']}/rename", json={"name": speaker["name"]},
                headers=AUTH)

def test_bad_queries_and_unknown_ids(client: TestClient) -> None:
    assert client.get("/api/documents/999999").status_code == 404
    assert client.get("/api/speakers/999999").status_code == 404
    r = client.get("/api/documents", params={"limit": 0})
    assert r.status_code == 422 and "limit" in r.json()["detail"]
    assert client.get("/api/search").status_code == 422
    page = client.get("/speakers?page=0")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert client.get("/documents/999999").status_code == 404
    r = client.post("/api/documents/999999/corrections", json={"action": "delete",
                                                               "target_cue": [0, 3]},
                    headers=AUTH)
    assert r.status_code == 404


def test_lists_paginate_and_filter(client: TestClient) -> None:
    first = client.get("/api/documents", params={"limit": 1}).json()
    second = client.get("/api/documents", params={"limit": 1, "offset": 1}).json()
    assert first["total"] >= 2 and len(first["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    wire = client.get("/api/speakers", params={"outlet": "Wire"}).json()
    names = [s["name"] for s in wire["items"]]
    assert "Jens Stoltenberg" in names
    later = client.get("/api/speakers", params={"since": "2024-02-15"}).json()
    stolt = next(s for s in later["items"] if s["name"] == "Jens Stoltenberg")
    assert stolt["count"] == 1  # only the March statement
    speaker = client.get(f"/api/speakers/{stolt['id']}").json()
    assert speaker["statements"]["total"] == 2
    assert [m for m, _ in speaker["timeline"]] == ["2024-02", "2024-03"]
    assert "Jens Stoltenberg" in client.get("/speakers?kind=person").text
    csv = client.get("/api/export", params={"what": "statements", "speaker": stolt["id"]})
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("attribution_id")


def test_search_groups_repeated_claims(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "plan fail"}).json()
    assert r["mode"] == "text" and r["total"] >= 1
    assert "fail" in r["groups"][0]["claim"]
    assert "would fail" in client.get("/search?q=fail").text
    by = client.get("/api/sourcing", params={"by": "outlet"}).json()["rows"]
    wire = next(row for row in by if row["group"] == "Wire")
    # the one taxonomy (whosaid.assess.SOURCE_CLASSES), as profile and the dashboard show it
    assert set(wire) == {"group", "total", "named_person", "named_organisation", "role_only",
                         "anonymous", "vague_collective", "unattributed"}
    assert wire["named_person"] >= 1 and wire["total"] == sum(
        v for k, v in wire.items() if k not in ("group", "total"))


def test_corrections_are_stored_exported_and_survive_reingest(client: TestClient,
                                                              db: Path) -> None:
    text = "The minister said the tax would rise. Analysts expect a slowdown."
    r = client.post("/api/documents", json={"text": text, "name": "tax"}, headers=AUTH)
    did = r.json()["id"]
    doc = client.get(f"/api/documents/{did}").json()["document"]
    cue = doc["attributions"][0]["cue"]
    src = text.index("The minister")
    # edit: narrow the source; add: a new attribution on "expect"
    fix = {"action": "edit", "target_cue": [cue["start"], cue["end"]],
           "source": [src + 4, src + 12], "cue": [cue["start"], cue["end"]],
           "content": [[text.index("the tax"), text.index(" would rise") + 11]],
           "note": "narrower source"}
    assert client.post(f"/api/documents/{did}/corrections", json=fix).status_code == 401
    assert client.post(f"/api/documents/{did}/corrections", json=fix,
                       headers=AUTH).status_code == 201
    e = text.index("expect")
    add = {"action": "add", "source": [text.index("Analysts"), text.index("Analysts") + 8],
           "cue": [e, e + 6], "content": [[e + 7, len(text) - 1]], "speaker": "Analysts"}
    assert client.post(f"/api/documents/{did}/corrections", json=add,
                       headers=AUTH).status_code == 201
    bad = {"action": "add", "cue": [5, 5000]}
    r = client.post(f"/api/documents/{did}/corrections", json=bad, headers=AUTH)
    assert r.status_code == 422 and "inside the text" in r.json()["detail"]

    def check(doc_json: dict) -> None:
        atts = doc_json["attributions"]
        edited = next(a for a in atts if a["cue"]["start"] == cue["start"])
        assert edited["source"]["text"] == "minister" and edited["method"] == "correction"
        assert any(a["cue"]["text"] == "expect" for a in atts)

    check(client.get(f"/api/documents/{did}").json()["document"])
    ann = client.get(f"/api/documents/{did}/ann").text
    assert f"Source {src + 4} {src + 12}\tminister" in ann and "\texpect" in ann
    page = client.get(f"/documents/{did}").text
    assert "narrower source" in page and "corrected" in page

    # re-ingest: the document row goes, the same text comes back with a new id
    assert client.delete(f"/api/documents/{did}").status_code == 401
    assert client.delete(f"/api/documents/{did}", headers=AUTH).status_code == 200
    assert client.get(f"/api/documents/{did}").status_code == 404
    r = client.post("/api/documents", json={"text": text, "name": "tax"}, headers=AUTH)
    assert r.status_code == 201 and r.json()["stored"] is True, r.text
    check(client.get(f"/api/documents/{r.json()['id']}").json()["document"])
    raw = client.get(f"/api/documents/{r.json()['id']}", params={"corrected": False}).json()
    assert all(a["method"] != "correction" for a in raw["document"]["attributions"])
    with zipfile.ZipFile(io.BytesIO(client.get("/api/corrections/export").content)) as zf:
        names = zf.namelist()
    assert any(n.startswith("attributions/") for n in names)
    assert any(n.startswith("text/") for n in names)
    cid = client.get(f"/api/documents/{r.json()['id']}/corrections").json()[-1]["id"]
    assert client.delete(f"/api/corrections/{cid}", headers=AUTH).status_code == 200
    assert client.delete(f"/api/corrections/{cid}", headers=AUTH).status_code == 404


def test_page_form_correction_and_upload(client: TestClient) -> None:
    did = client.get("/api/documents", params={"outlet": "Wire"}).json()["items"][0]["id"]
    doc = client.get(f"/api/documents/{did}").json()["document"]
    cue = doc["attributions"][-1]["cue"]
    r = client.post(f"/documents/{did}/corrections", follow_redirects=False,
                    data={"action": "delete", "target_cue": f"{cue['start']}-{cue['end']}",
                          "token": TOKEN})
    assert r.status_code == 303
    r = client.post(f"/documents/{did}/corrections",
                    data={"action": "edit", "target_cue": "x", "token": TOKEN})
    assert r.status_code == 422 and "START-END" in r.text
    up = client.post("/analyse", files={"file": ("a.html", b"<html><body><article><p>"
                                                  b"The mayor said the bridge would reopen "
                                                  b"on Sunday after repairs.</p></article>"
                                                  b"</body></html>", "text/html")})
    assert up.status_code == 200 and "hl-cue" in up.text
    bad = client.post("/analyse", files={"file": ("a.exe", b"MZ\x00", "application/x")})
    assert bad.status_code == 415


def test_hostile_text_and_metadata_are_inert_everywhere(client: TestClient) -> None:
    hid = doc_id(client, HOSTILE)
    pages = ["/", "/documents", f"/documents/{hid}", "/speakers", "/dashboard",
             "/search?q=harmless", "/search?q=" + SCRIPT, f"/speakers?outlet={IMG}"]
    for s in client.get("/api/speakers", params={"limit": 500}).json()["items"]:
        pages.append(f"/speakers/{s['id']}")
    bodies = {url: client.get(url) for url in pages}
    form = client.post("/analyse", data={"text": HOSTILE, "name": SCRIPT})
    bodies["POST /analyse"] = form
    bodies["404"] = client.get(f"/documents/{SCRIPT}")
    for url, r in bodies.items():
        html = r.text
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        assert "javascript:alert" not in html.replace("&#34;", ""), url
        assert "script-src 'self'" in r.headers["content-security-policy"], url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in bodies[f"/documents/{hid}"].text
    assert "&lt;img src=x onerror=alert(2)&gt;" in bodies[f"/documents/{hid}"].text
    assert "Outlet &#34;&gt;&lt;img" in bodies["/dashboard"].text  # also inside the SVG
    assert "&lt;script&gt;" in bodies["POST /analyse"].text


def test_table_pages_keep_hostile_values_inert(client: TestClient) -> None:
    for url in ("/statements", f"/statements?outlet={IMG}", f"/documents?q={SCRIPT}",
                f"/speakers?q={IMG}", f"/documents?outlet={IMG}&sort=outlet",
                "/api-docs"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "<script>alert" not in r.text and "<img src=x" not in r.text, url
    table = client.get("/documents", params={"format": "csv"}).text
    assert SCRIPT in table  # exported as the text it is; a CSV is not a page


def test_every_api_response_has_a_schema(client: TestClient) -> None:
    from whosaid.web import api

    spec = client.get("/openapi.json").json()
    ours = {(m, "/api" + r.path.removeprefix("/api"))
            for r in api.router.routes for m in getattr(r, "methods", ())}
    assert len(ours) >= 20
    for method, path in ours:
        op = spec["paths"][path][method.lower()]
        ok = [s for s in op["responses"] if s.startswith("2")]
        assert ok, (method, path)
        content = op["responses"][ok[0]].get("content", {})
        assert content, (method, path)
        for media, body in content.items():
            schema = body.get("schema", {})
            # a named model, a typed list or a file: never an untyped object
            assert "$ref" in schema or schema.get("type") in ("array", "string") or \
                "items" in schema, (method, path, media, schema)


def test_responses_follow_their_schemas(client: TestClient) -> None:
    listed = client.get("/api/documents", params={"limit": 2}).json()
    assert set(listed) == {"total", "limit", "offset", "items"}
    assert {"id", "title", "attributions"} <= set(listed["items"][0])
    speaker = client.get("/api/speakers", params={"limit": 1}).json()["items"][0]
    detail = client.get(f"/api/speakers/{speaker['id']}").json()
    assert detail["speaker"]["id"] == speaker["id"]
    assert {"total", "items"} <= set(detail["statements"])
    hits = client.get("/api/search", params={"q": "spend defence"}).json()
    assert hits["groups"] and all(h["score"] is not None  # every hit is scored
                                  for g in hits["groups"] for h in g["items"])


def test_api_page_works_without_a_cdn(client: TestClient) -> None:
    r = client.get("/api-docs")
    assert r.status_code == 200
    html = r.text
    for path in ("/api/documents", "/api/speakers/{speaker_id}", "/api/search"):
        assert f"<code>{path}</code>" in html, path
    # everything it loads is our own: no script, style or font from another origin
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)
    assert 'action="/api-docs/try"' in html
    speaker = client.get("/api/speakers", params={"limit": 1}).json()["items"][0]
    go = client.get("/api-docs/try", params={"path": "/api/speakers/{speaker_id}",
                                             "speaker_id": speaker["id"], "limit": "2"},
                    follow_redirects=False)
    assert go.status_code == 303
    assert go.headers["location"] == f"/api/speakers/{speaker['id']}?limit=2"
    assert client.get(go.headers["location"]).json()["speaker"]["id"] == speaker["id"]
    assert client.get("/api-docs/try", params={"path": "/api/nothing"}).status_code == 404
    missing = client.get("/api-docs/try", params={"path": "/api/documents/{doc_id}"})
    assert missing.status_code == 422 and "doc_id: required" in missing.text
