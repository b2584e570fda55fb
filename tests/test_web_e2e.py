"""End to end: a real uvicorn server on loopback, driven by headless Debian Chromium.

Analyses the NATO briefing through the page form, checks the highlighted
source/cue/content spans and the speaker list, stores it, checks the phone
layout (390 px) has no horizontal overflow, and saves screenshots under
test-output/web/. Chromium is Debian's /usr/bin/chromium (.ci/run installs it);
Playwright only drives it, no browser is downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NEEDS_CHROMIUM, checked_page, no_overflow, serving

BRIEFING = Path(__file__).resolve().parents[2] / "shared/examples/nato-briefing.txt"
SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "web"
TOKEN = "e2e-token"

pytestmark = [
    pytest.mark.skipif(not BRIEFING.exists(), reason=f"{BRIEFING} not found (../shared)"),
    NEEDS_CHROMIUM,
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from whosaid.web import create_app

    app = create_app(str(tmp_path_factory.mktemp("e2e") / "e2e.db"), token=TOKEN)
    with serving(app) as url:
        yield url



def test_analyse_the_briefing_in_chromium(server: str, browser: object) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    text = BRIEFING.read_text(encoding="utf-8")
    with checked_page(browser) as page:
        page.goto(server + "/")
        page.fill("#name", "NATO briefing")
        page.fill("#text", text)
        page.click("#analyse-button")
        page.wait_for_selector("#article", timeout=60_000)

        # the three roles are highlighted, each in its own colour
        colours = {}
        for role in ("source", "cue", "content", "citation"):
            spans = page.locator(f"#article .hl-{role}")
            assert spans.count() > 0, role
            colours[role] = spans.first.evaluate("e => getComputedStyle(e).backgroundColor")
        assert len({colours["source"], colours["cue"], colours["content"]}) == 3, colours
        article = page.inner_text("#article")
        assert article.strip() == text.strip()  # every character shown, none added

        speakers = page.inner_text("#speakers")
        assert "Johnny Stringer" in speakers and "Stoltenberg" in speakers
        assert page.locator(".citations li").count() == 6
        # clicking a row in "who said what" marks that attribution's spans in the text
        page.locator("#who-said-what li[data-att]").first.click()
        assert page.locator("#article .active").count() > 0
        page.screenshot(path=str(SHOTS / "analyse-laptop.png"), full_page=True)

        page.set_viewport_size({"width": 390, "height": 844})
        assert no_overflow(page), "horizontal overflow at phone width"
        page.screenshot(path=str(SHOTS / "analyse-phone.png"), full_page=True)


def test_store_then_browse_on_a_phone(server: str, browser: object) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with checked_page(browser, 390, 844) as page:
        page.goto(server + "/")
        page.fill("#text", BRIEFING.read_text(encoding="utf-8"))
        page.check("input[name=store]")
        page.fill("input[name=token]", TOKEN)
        page.click("#analyse-button")
        page.wait_for_url("**/documents/*")
        assert page.locator("#article .hl-source").count() > 0
        assert "Johnny Stringer" in page.inner_text("#speakers")
        assert no_overflow(page)
        page.screenshot(path=str(SHOTS / "document-phone.png"), full_page=True)
        for path in ("/speakers", "/dashboard", "/search?q=drones", "/documents"):
            page.goto(server + path)
            assert no_overflow(page), path
        page.goto(server + "/speakers")
        page.click("text=Johnny Stringer")
        page.wait_for_selector("#statements")
        assert page.locator("#statements li:not(.empty)").count() >= 1
        page.screenshot(path=str(SHOTS / "speaker-phone.png"), full_page=True)
        page.goto(server + "/dashboard")
        assert "Johnny Stringer" in page.inner_text("#top-people")  # most quoted, clickable
        assert page.locator("#class-table a").count() > 0
        page.screenshot(path=str(SHOTS / "dashboard-phone.png"), full_page=True)
