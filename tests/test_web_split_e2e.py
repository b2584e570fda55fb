"""One article carved out of a cross-document speaker, in a real browser.

Three articles that never give a first name write "President Harmon": the store makes
them one speaker (a title group). Every mention is named "Harmon", so only a split by
document can take one article out. Headless Debian Chromium (/usr/bin/chromium) on a
uvicorn server over a SQLite corpus of analysed texts written for this test; then a
statement's speaker is typed in on the document page and counted on the speaker page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NEEDS_CHROMIUM, checked_page, corpus_server
from test_corpus_identity import TITLE_TEXTS, sources
from whosaid.store import Corpus

SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "web"
TOKEN = "e2e-split"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    with corpus_server(tmp_path_factory, sources(TITLE_TEXTS), token=TOKEN,
                       name="split-e2e") as served:
        yield served


def test_split_one_document_out_then_type_a_speaker(server: tuple[str, Path],
                                                    browser: object) -> None:
    base, db = server
    with Corpus(db) as c:
        group = next(s for s in c.speakers() if "@title:" in s.key)
        docs = {r["name"]: r["id"] for r in c.list_documents(limit=10)[0]}
    SHOTS.mkdir(parents=True, exist_ok=True)
    with checked_page(browser) as page:
        page.goto(f"{base}/speakers/{group.id}")
        assert page.inner_text("p.meta").startswith("3 statements in 3 documents")
        options = page.locator("#split-document option").all_inner_texts()
        assert len(options) == 3 and all("1 statement" in o for o in options)
        page.select_option("#split-document", value=str(docs["t-two"]))
        page.fill("#split-document-form input[name=token]", TOKEN)
        page.click("#split-document-form button[type=submit]")
        page.wait_for_url("**/speakers/*")
        assert not page.url.endswith(f"/speakers/{group.id}")  # the speaker split off
        assert page.inner_text("p.meta").startswith("1 statement in 1 document")
        assert "tariffs" in page.inner_text("#statements")
        origin = page.locator("#decisions li a")
        assert origin.count() == 1 and origin.inner_text() == "split off from Harmon"
        assert origin.get_attribute("href") == f"/speakers/{group.id}"
        page.goto(f"{base}/speakers/{group.id}")
        assert page.inner_text("p.meta").startswith("2 statements in 2 documents")
        assert "tariffs" not in page.inner_text("#statements")
        decision = page.locator("#decisions li a")
        assert decision.count() == 1 and "split off its mentions in" in decision.inner_text()
        page.screenshot(path=str(SHOTS / "split-document.png"), full_page=True)
        decision.click()
        page.wait_for_url(f"**/documents/{docs['t-two']}")

        # a statement's speaker typed in by name, not offsets: counted on its page
        page.select_option("#s-statement", index=0)
        page.fill("#s-typed", "Nadia Harmon")
        page.fill("#speaker-form input[name=token]", TOKEN)
        page.click("#speaker-form button[type=submit]")
        page.wait_for_url("**/documents/*")
        assert "Nadia Harmon" in page.inner_text("#who-said-what")
        page.click("#who-said-what >> text=Nadia Harmon")
        page.wait_for_url("**/speakers/*")
        assert page.inner_text("h1").startswith("Nadia Harmon")
        assert page.inner_text("p.meta").startswith("1 statement in 1 document")
