"""Speaker management in a real browser: correct by picking, rename, merge, split.

A real uvicorn server on loopback over a SQLite corpus of hand-built documents,
driven by headless Debian Chromium (/usr/bin/chromium; Playwright only drives
it, nothing is downloaded). Screenshots go to test-output/web/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NEEDS_CHROMIUM, checked_page, serving
from test_manage import ALONE, JENS, PAIR, WRONG
from whosaid.store import Corpus

SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "web"
TOKEN = "e2e-manage"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    from whosaid.web import create_app

    db = tmp_path_factory.mktemp("manage-e2e") / "e2e.db"
    with Corpus(db) as c:
        for d in (JENS, WRONG, PAIR, ALONE):
            c.store_document(d)
        c.relink()
        docs = {r["name"]: r["id"] for r in c.list_documents(limit=10)[0]}
    app = create_app(str(db), token=TOKEN)
    with serving(app) as url:
        yield url, docs


def heading_count(page: object) -> str:
    return str(page.inner_text("p.meta"))  # type: ignore[attr-defined]


def test_correct_by_picking_then_rename_merge_and_split(
        server: tuple[str, dict[str, int]], browser: object) -> None:
    base, docs = server
    SHOTS.mkdir(parents=True, exist_ok=True)
    with checked_page(browser) as page:

        # 1. the "He said" of the WRONG document is Mark Kelly, not Jens Stoltenberg: pick him
        page.goto(f"{base}/documents/{docs['wrong']}")
        assert "Jens Stoltenberg" in page.inner_text("#who-said-what")
        page.select_option("#s-statement", index=0)
        page.select_option("#s-picked", label="Mark Kelly (person)")
        page.fill("#speaker-form input[name=token]", TOKEN)
        page.click("#speaker-form button[type=submit]")
        page.wait_for_url("**/documents/*")
        assert "Mark Kelly" in page.inner_text("#who-said-what")
        assert page.locator("#who-said-what .corrected").count() == 1
        page.screenshot(path=str(SHOTS / "manage-correct.png"), full_page=True)
        page.click("#who-said-what a.who")
        page.wait_for_selector("#statements")
        assert page.inner_text("h1").startswith("Mark Kelly")
        assert "the mission had worked" in page.inner_text("#statements")

        # 2. rename him (the token typed once in this tab fills the other forms)
        page.fill("#rename-name", "Commander Mark Kelly")
        page.click("#rename-form button[type=submit]")
        page.wait_for_load_state()
        assert page.inner_text("h1").startswith("Commander Mark Kelly")

        # 3. on Jens Stoltenberg's page, merge James Clyburn in, then split him off again
        page.goto(f"{base}/speakers")
        page.click("text=Jens Stoltenberg")
        page.wait_for_selector("#merge-form")
        assert heading_count(page).startswith("1 statement in")
        page.fill("#merge-other", "James Clyburn")
        page.fill("#merge-form input[name=token]", TOKEN)
        page.click("#merge-form button[type=submit]")
        page.wait_for_load_state()
        assert heading_count(page).startswith("3 statements")
        assert "James Clyburn" in page.inner_text("#split-alias")
        page.screenshot(path=str(SHOTS / "manage-speaker.png"), full_page=True)
        page.select_option("#split-alias", "James Clyburn")
        page.fill("#split-form input[name=token]", TOKEN)
        page.click("#split-form button[type=submit]")
        page.wait_for_load_state()
        assert page.inner_text("h1").startswith("James Clyburn")
        assert heading_count(page).startswith("2 statements")
