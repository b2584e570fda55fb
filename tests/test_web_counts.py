"""What the pages say of a one-statement corpus and of a corrected statement.

Counts agree with their nouns on every page ("1 statement in 1 document", never "1
statements"), and a statement whose speaker a user corrected says so wherever it is
listed: the speaker page, search, the statements table, the API and the downloads.
SQLite and PostgreSQL (``db_url``); the texts are written for these tests.
"""

from __future__ import annotations

import csv
import io
import re

from fastapi.testclient import TestClient

from test_corpus_identity import sources
from whosaid.store import Corpus
from whosaid.web import create_app

TOKEN = "counts-token"
WRONG_PLURAL = re.compile(r"(?<![\d.,])1 (statements|documents|speakers|rows|claims|"
                          r"attributions|citations)\b")
TEXTS = {
    "pier": "Tobias Wrenfield said the new pier would not be finished before the summer.",
    "fares": "Hedda Quarrie said the ferry fares would rise in autumn. She noted that the "
             "winter timetable would stay as it is.",
}


def test_one_of_each_reads_singular_on_every_page(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources({"pier": TEXTS["pier"]}))
        (speaker,) = c.speakers()
    with TestClient(create_app(db_url)) as client:
        pages = {url: client.get(url) for url in (
            f"/speakers/{speaker.id}", "/dashboard", "/search?q=pier", "/documents/1",
            "/statements", "/speakers", "/documents")}
        for url, page in pages.items():
            assert page.status_code == 200, url
            text = re.sub(r"<[^>]+>", "", page.text)
            assert not WRONG_PLURAL.search(text), (url, WRONG_PLURAL.search(text))
        speaker_page = pages[f"/speakers/{speaker.id}"].text
        assert re.search(r"1 statement in 1 document, 2024-05-01</p>", speaker_page)
        assert "1 document · 1 statement · 1 speaker in the corpus; 1 statement matches" \
            in pages["/dashboard"].text
        assert "1 statement in 1 claim" in pages["/search?q=pier"].text
        assert "1 attribution ·" in pages["/documents/1"].text
        assert 'id="downloads">1 speaker ·' in pages["/speakers"].text
        assert 'id="downloads">1 document ·' in pages["/documents"].text
        assert 'id="downloads">1 row ·' in pages["/statements"].text


def test_a_corrected_statement_is_marked_wherever_it_is_listed(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources(TEXTS))
        noted = next(s for s in c.search("timetable"))
        c.correct_statement(noted["attribution_id"], "Tobias Wrenfield")
        tobias = c.find_speaker("Tobias Wrenfield").id
    with TestClient(create_app(db_url, token=TOKEN)) as client:
        page = client.get(f"/speakers/{tobias}").text
        items = re.findall(r"<li><div class=\"when\">.*?</li>", page, re.S)
        marked = [i for i in items if 'class="corrected"' in i]
        assert len(items) == 2 and len(marked) == 1 and "winter timetable" in marked[0]
        assert 'class="corrected"' in client.get("/search", params={"q": "timetable"}).text
        table = client.get("/statements", params={"speaker": tobias}).text
        assert table.count('class="corrected"') == 1
        api = client.get(f"/api/speakers/{tobias}").json()["statements"]["items"]
        assert sorted(s["corrected"] for s in api) == [False, True]
        rows = list(csv.DictReader(io.StringIO(client.get(
            "/api/export", params={"what": "statements", "format": "csv",
                                   "speaker": tobias}).text)))
        assert sorted(r["corrected"] for r in rows) == ["False", "True"]
        download = client.get("/statements", params={"speaker": tobias, "format": "json"})
        assert sorted(r["corrected"] for r in download.json()) == [False, True]
