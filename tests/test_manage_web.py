"""Speaker management through the API and the HTML forms (FastAPI test client, SQLite).

The same store methods serve the CLI, so these check the web layer's part:
tokens, ids as numbers or strings, clear 4xx errors, and that a correction
shows in the speaker pages, ``said``-like lists, search, exports and the
sourcing counts the dashboard draws.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from test_manage import ALONE, JENS, PAIR, WRONG, doc_id
from whosaid.store import Corpus
from whosaid.web import create_app

TOKEN = "manage-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    db = tmp_path / "manage.db"
    with Corpus(db) as c:
        for d in (JENS, WRONG, PAIR, ALONE):
            c.store_document(d)
        c.relink()
    with TestClient(create_app(str(db), token=TOKEN)) as tc:
        yield tc


def speaker(client: TestClient, name: str) -> dict[str, object]:
    items = client.get("/api/speakers", params={"limit": 100}).json()["items"]
    return next(s for s in items if s["name"] == name)


def test_merge_takes_ids_as_numbers_or_strings(client: TestClient) -> None:
    jens, clyburn = speaker(client, "Jens Stoltenberg"), speaker(client, "James Clyburn")
    r = client.post("/api/speakers/merge", json={"keep": jens["id"], "other": clyburn["id"]})
    assert r.status_code == 401  # no token
    r = client.post("/api/speakers/merge", json={"keep": jens["id"], "other": clyburn["id"]},
                    headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 4
    butterfield = speaker(client, "George Butterfield")
    r = client.post("/api/speakers/merge", headers=AUTH,
                    json={"keep": str(jens["id"]), "other": str(butterfield["id"])})
    assert r.status_code == 200 and r.json()["count"] == 4  # the pair counts once for one
    r = client.post("/api/speakers/merge", headers=AUTH, json={"keep": 99999, "other": 1})
    assert r.status_code == 422 and "no speaker" in r.json()["detail"]
    r = client.post("/api/speakers/merge", headers=AUTH, json={"keep": "", "other": 1})
    assert r.status_code == 422


def test_rename_split_and_correct_through_the_api(client: TestClient) -> None:
    jens = speaker(client, "Jens Stoltenberg")
    r = client.post(f"/api/speakers/{jens['id']}/rename", json={"name": "NATO chief"},
                    headers=AUTH)
    assert r.status_code == 200 and r.json()["name"] == "NATO chief"
    assert client.get(f"/api/speakers/{jens['id']}").json()["speaker"]["name"] == "NATO chief"
    # correct the "He" of the WRONG document: pick Mark Kelly, a speaker of that document
    doc = client.get("/api/documents", params={"limit": 50}).json()["items"]
    wrong = next(d["id"] for d in doc if d["name"] == "wrong")
    picks = client.get(f"/api/documents/{wrong}/speakers").json()
    assert {p["name"] for p in picks} == {"Jens Stoltenberg", "Mark Kelly"}
    statements = client.get("/api/attributions", params={"document": wrong}).json()["items"]
    aid = statements[0]["attribution_id"]
    assert statements[0]["speaker"] == "NATO chief"
    r = client.post(f"/api/statements/{aid}/speaker", json={"speaker": "Mark Kelly"})
    assert r.status_code == 401
    r = client.post(f"/api/statements/{aid}/speaker", json={"speaker": "Mark Kelly"},
                    headers=AUTH)
    assert r.status_code == 201, r.text
    kelly = speaker(client, "Mark Kelly")
    assert kelly["count"] == 1
    assert speaker(client, "NATO chief")["count"] == 1
    page = client.get(f"/api/speakers/{kelly['id']}").json()
    assert [s["content"] for s in page["statements"]["items"]] == ["the mission had worked"]
    hits = client.get("/api/search", params={"q": "mission"}).json()
    assert hits["groups"][0]["items"][0]["speaker"] == "Mark Kelly"
    csv = client.get("/api/export", params={"what": "statements", "format": "csv",
                                            "speaker": kelly["id"]}).text
    assert "Mark Kelly" in csv and "the mission had worked" in csv
    exported = json.loads(client.get("/api/export", params={"what": "speakers",
                                                            "format": "json"}).text)
    assert {s["name"]: s["count"] for s in exported}["Mark Kelly"] == 1
    assert client.get(f"/documents/{wrong}").status_code == 200
    r = client.post("/api/statements/999999/speaker", json={"speaker": "X"}, headers=AUTH)
    assert r.status_code == 404
    r = client.post("/api/speakers/split", headers=AUTH,
                    json={"speaker": kelly["id"], "alias": "Nobody"})
    assert r.status_code == 422 and "no mentions named" in r.json()["detail"]


def test_html_forms_need_the_token_and_redirect(client: TestClient) -> None:
    jens = speaker(client, "Jens Stoltenberg")
    r = client.post(f"/speakers/{jens['id']}/rename", data={"name": "J. S."},
                    follow_redirects=False)
    assert r.status_code == 401
    r = client.post(f"/speakers/{jens['id']}/rename", data={"name": "Jens S.", "token": TOKEN},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/speakers/{jens['id']}"
    page = client.get(f"/speakers/{jens['id']}").text
    assert "Jens S." in page and 'id="merge-form"' in page and 'id="split-form"' in page
    with Corpus(client.app.state.web.corpus.url) as c:  # type: ignore[attr-defined]
        wrong = doc_id(c, "wrong")
    cue = WRONG.attributions[0].cue
    r = client.post(f"/documents/{wrong}/speaker", follow_redirects=False,
                    data={"statement": f"{cue.start}-{cue.end}", "picked": "Jens Stoltenberg",
                          "typed": "Scott Kelly", "token": TOKEN})
    assert r.status_code == 303
    assert speaker(client, "Scott Kelly")["count"] == 1  # the typed name wins over the pick
    r = client.post(f"/documents/{wrong}/speaker", data={"statement": "x", "token": TOKEN})
    assert r.status_code == 422
