"""Bookmarks and corrections as a reader meets them, in a real browser.

A reader keeps a speaker's address; a user merges that speaker into another, deletes an
article, corrects a statement. The bookmark still opens the person (merged: the page of
the speaker it joined), the corrected statement is marked on the speaker's page, and
the counts read "1 statement". Headless Debian Chromium on a uvicorn server over a
SQLite corpus of texts written for this test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NEEDS_CHROMIUM, checked_page, corpus_server
from test_corpus_identity import sources
from test_corpus_ids import SPELLING_TEXTS
from whosaid.store import Corpus

SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "web"
TOKEN = "e2e-ids"
TEXTS = {**SPELLING_TEXTS,
         "fares": "Hedda Quarrie said the ferry fares would rise in autumn. She noted that "
                  "the winter timetable would stay as it is."}

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with corpus_server(tmp_path_factory, sources(TEXTS), token=TOKEN,
                       name="ids-e2e") as served:
        yield served


def test_bookmarks_survive_merges_and_deletions(server: tuple[str, Path],
                                                browser: object) -> None:
    base, db = server
    with Corpus(db) as c:
        ids = {s.name: s.id for s in c.speakers()}
        docs = {r["name"]: r["id"] for r in c.list_documents(limit=20)[0]}
    jonas, marta, tobias = ids["Jonas Petersen"], ids["Marta Ilves"], ids["Tobias Wrenfield"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with checked_page(browser) as page:
        # merge Marta Ilves into Tobias Wrenfield on his page
        page.goto(f"{base}/speakers/{tobias}")
        assert page.inner_text("p.meta").startswith("1 statement in 1 document")
        page.fill("#merge-other", "Marta Ilves")
        page.fill("#merge-form input[name=token]", TOKEN)
        page.click("#merge-form button[type=submit]")
        page.wait_for_load_state()
        assert page.inner_text("p.meta").startswith("2 statements in 2 documents")
        # her bookmark opens the person she is now part of, at its own address
        page.goto(f"{base}/speakers/{marta}")
        assert page.url == f"{base}/speakers/{tobias}"
        assert page.inner_text("h1").startswith("Tobias Wrenfield")

        # two articles of the most used spelling are deleted: Jonas keeps his page
        for name in ("s-two", "s-three"):
            r = page.request.delete(f"{base}/api/documents/{docs[name]}",
                                    headers={"Authorization": f"Bearer {TOKEN}"})
            assert r.ok, r.text()
        page.goto(f"{base}/speakers/{jonas}")
        assert page.inner_text("h1").startswith("Jonas Pettersen")
        assert page.inner_text("p.meta").startswith("1 statement in 1 document")

        # "She noted" corrected to Tobias Wrenfield by picking him on the document page
        page.goto(f"{base}/documents/{docs['fares']}")
        option = page.locator("#s-statement option", has_text="noted")
        page.select_option("#s-statement", value=option.get_attribute("value"))
        page.fill("#s-typed", "Tobias Wrenfield")
        page.fill("#speaker-form input[name=token]", TOKEN)
        page.click("#speaker-form button[type=submit]")
        page.wait_for_url("**/documents/*")
        page.goto(f"{base}/speakers/{tobias}")
        assert page.inner_text("p.meta").startswith("3 statements in 3 documents")
        marked = page.locator("#statements li", has=page.locator(".corrected"))
        assert marked.count() == 1 and "winter timetable" in marked.inner_text()
        page.screenshot(path=str(SHOTS / "ids-corrected.png"), full_page=True)
