"""The dashboard in a real browser: filters, click-throughs, downloads, screenshots.

uvicorn on a free loopback port over a SQLite corpus of the four articles in
tests/data/dashboard/articles.jsonl (two outlets, January and March 2024, none
in February), driven by Debian's Chromium through Playwright (no browser
download). Saves docs/img/dashboard.png and docs/img/speaker.png.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import NEEDS_CHROMIUM, checked_page, no_overflow, serving

ARTICLES = Path(__file__).resolve().parent / "data" / "dashboard" / "articles.jsonl"
IMG = Path(__file__).resolve().parents[1] / "docs" / "img"

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from whosaid.ingest import read_inputs
    from whosaid.store import Corpus
    from whosaid.web import create_app

    db = str(tmp_path_factory.mktemp("dash") / "dash.db")
    with Corpus(db) as corpus:
        assert corpus.ingest(read_inputs([ARTICLES])).stored == 4
    app = create_app(db)
    with serving(app) as url:
        yield url


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    with checked_page(browser) as pg:
        yield pg


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_dashboard_charts_and_screenshot(server: str, page: object) -> None:
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    people = page.locator("#top-people svg a")  # type: ignore[attr-defined]
    assert people.count() == 4  # Maria Lopez, David Hume, Ellen Park, Peter Grant
    assert "Maria Lopez" in (people.first.text_content() or "")
    assert page.locator("#top-orgs svg a").count() == 1  # type: ignore[attr-defined]
    rows = page.locator("#class-table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 6
    assert "named person" in rows.first.inner_text() and "8" in rows.first.inner_text()
    gender = page.inner_text("#gender-table")  # type: ignore[attr-defined]
    assert "female\t6" in gender and "male\t3" in gender
    # a monthly series on a real axis: January, an empty February, March
    ticks = page.locator("#class-series svg text").all_text_contents()  # type: ignore[attr-defined]
    assert {"2024-01", "2024-02", "2024-03"} <= set(ticks)
    outlets = page.locator("#outlet-table thead th a")  # type: ignore[attr-defined]
    assert outlets.all_inner_texts() == ["Harbour Wire", "Valley Gazette"]
    IMG.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(IMG / "dashboard.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    assert no_overflow(page), "horizontal overflow at phone width"


def test_outlet_filter_and_row_click(server: str, page: object) -> None:
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    page.select_option("#d-outlet", "Valley Gazette")  # type: ignore[attr-defined]
    page.click("#d-apply")  # type: ignore[attr-defined]
    page.wait_for_url("**outlet=Valley+Gazette**")  # type: ignore[attr-defined]
    selected = page.locator("#outlet-table th.selected")  # type: ignore[attr-defined]
    assert selected.inner_text() == "Valley Gazette"
    # Valley Gazette quotes Maria Lopez once; the bar links to exactly that
    bar = page.locator("#top-people svg a", has_text="Maria Lopez")  # type: ignore[attr-defined]
    assert (bar.text_content() or "").endswith("1")
    bar.click()
    page.wait_for_url("**/statements?**")  # type: ignore[attr-defined]
    q = query(page.url)  # type: ignore[attr-defined]
    assert q["outlet"] == ["Valley Gazette"] and "speaker" in q
    assert page.locator("table tbody tr").count() == 1  # type: ignore[attr-defined]
    assert "ferry timetable" in page.inner_text("table tbody")  # type: ignore[attr-defined]


def test_date_filter_and_period(server: str, page: object) -> None:
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    page.fill("#d-from", "2024-03-01")  # type: ignore[attr-defined]
    page.fill("#d-to", "2024-03-31")  # type: ignore[attr-defined]
    page.select_option("#d-period", "week")  # type: ignore[attr-defined]
    page.click("#d-apply")  # type: ignore[attr-defined]
    page.wait_for_url("**period=week**")  # type: ignore[attr-defined]
    q = query(page.url)  # type: ignore[attr-defined]
    assert q["from"] == ["2024-03-01"] and q["to"] == ["2024-03-31"]
    assert page.input_value("#d-from") == "2024-03-01"  # type: ignore[attr-defined]
    people = page.locator("#top-people svg a").all_text_contents()  # type: ignore[attr-defined]
    assert any("Maria Lopez" in p and p.strip().endswith("1") for p in people), people
    # weeks from Monday 26 February to the week of 31 March: six slots, most empty
    ticks = page.locator("#class-series svg text").all_text_contents()  # type: ignore[attr-defined]
    assert "2024-02-26" in ticks and "2024-03-25" in ticks
    # a bar of the series opens that week's statements of that class
    bar = page.locator("#class-series svg a").first  # type: ignore[attr-defined]
    bar.click()
    page.wait_for_url("**/statements?**")  # type: ignore[attr-defined]
    q = query(page.url)  # type: ignore[attr-defined]
    assert q["from"] == ["2024-02-26"] and q["to"] == ["2024-03-03"] and "specificity" in q
    assert page.locator("table tbody tr").count() >= 1  # type: ignore[attr-defined]


def test_slice_and_class_row_clicks(server: str, page: object) -> None:
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    page.locator("#gender svg a").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/statements?**")  # type: ignore[attr-defined]
    q = query(page.url)  # type: ignore[attr-defined]
    assert q["gender"] == ["female"] and q["kind"] == ["person"]
    assert page.locator("table tbody tr").count() == 6  # type: ignore[attr-defined]
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    page.click("#class-table a:text('anonymous')")  # type: ignore[attr-defined]
    page.wait_for_url("**specificity=anonymous**")  # type: ignore[attr-defined]
    assert "familiar with the talks" in page.inner_text("table tbody")  # type: ignore[attr-defined]


def test_downloads_keep_the_filters(server: str, page: object) -> None:
    page.goto(server + "/dashboard?outlet=Harbour+Wire&period=week")  # type: ignore[attr-defined]
    href = page.get_attribute("#top-people a.dl-json", "href")  # type: ignore[attr-defined]
    assert href is not None and query(href)["outlet"] == ["Harbour Wire"]
    body = page.request.get(server + href).json()  # type: ignore[attr-defined]
    assert body["filters"]["outlet"] == ["Harbour Wire"]
    assert [p["name"] for p in body["top_people"]] == ["Maria Lopez", "Peter Grant"]
    csv_href = page.get_attribute("#series a.dl-csv", "href")  # type: ignore[attr-defined]
    text = page.request.get(server + csv_href).text()  # type: ignore[attr-defined]
    lines = text.strip().splitlines()
    assert lines[0].startswith("period,from,to,named_person")
    assert len(lines) - 1 == 7  # the weeks of 15 Jan .. 26 Feb, every one listed
    whole = json.loads(page.request.get(  # type: ignore[attr-defined]
        server + page.get_attribute("#dl-all", "href")).text())  # type: ignore[attr-defined]
    assert set(whole) >= {"top_people", "classes", "gender", "series", "outlets"}


def test_speaker_page_screenshot(server: str, page: object) -> None:
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    page.locator("#outlet-table a", has_text="Maria Lopez").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/statements?**")  # type: ignore[attr-defined]
    sid = query(page.url)["speaker"][0]  # type: ignore[attr-defined]
    page.goto(f"{server}/speakers/{sid}")  # type: ignore[attr-defined]
    assert "female" in page.inner_text("#gender")  # type: ignore[attr-defined]
    badge = page.locator("h1 .kind")  # type: ignore[attr-defined]
    box = badge.bounding_box()
    assert box is not None and box["height"] < 30, "the kind badge wraps"
    page.set_viewport_size({"width": 390, "height": 844})  # type: ignore[attr-defined]
    box = badge.bounding_box()
    assert box is not None and box["height"] < 30, "the kind badge wraps at phone width"
    page.set_viewport_size({"width": 1100, "height": 800})  # type: ignore[attr-defined]
    # a quotation shows its own marks once, never doubled
    quotes = page.locator("q").all()  # type: ignore[attr-defined]
    assert quotes
    for q in quotes:
        assert q.evaluate("e => getComputedStyle(e).quotes") == "none"
    page.screenshot(path=str(IMG / "speaker.png"), full_page=True)  # type: ignore[attr-defined]


def test_two_outlets_and_the_most_quoted_per_period(server: str, page: object) -> None:
    """Several outlets picked in the form stay in the URL and in every link; a name in
    the per-period table opens that speaker's statements of that period."""
    page.goto(server + "/dashboard")  # type: ignore[attr-defined]
    page.select_option("#d-outlet", ["Harbour Wire", "Valley Gazette"])  # type: ignore[attr-defined]
    page.click("#d-apply")  # type: ignore[attr-defined]
    page.wait_for_url("**outlet=Valley+Gazette**")  # type: ignore[attr-defined]
    assert query(page.url)["outlet"] == ["Harbour Wire", "Valley Gazette"]  # type: ignore[attr-defined]
    picked = page.eval_on_selector(  # type: ignore[attr-defined]
        "#d-outlet", "s => [...s.selectedOptions].map(o => o.value)")
    assert picked == ["Harbour Wire", "Valley Gazette"]
    heads = page.locator("#outlet-table thead th a").all_inner_texts()  # type: ignore[attr-defined]
    assert heads == ["Harbour Wire", "Valley Gazette"]
    rows = page.locator("#period-table tbody tr")  # type: ignore[attr-defined]
    assert rows.count() == 3  # March, the empty February, January: newest first
    assert rows.first.inner_text().startswith("2024-03-01")
    january = rows.nth(2)
    assert "Maria Lopez (3)" in january.inner_text()
    january.locator("a", has_text="Maria Lopez").click()
    page.wait_for_url("**/statements?**")  # type: ignore[attr-defined]
    q = query(page.url)  # type: ignore[attr-defined]
    assert q["from"] == ["2024-01-01"] and q["to"] == ["2024-01-31"]
    assert q["outlet"] == ["Harbour Wire", "Valley Gazette"] and "speaker" in q
    assert page.locator("table tbody tr").count() == 3  # type: ignore[attr-defined]
    chips = page.inner_text("#active-filters")  # type: ignore[attr-defined]
    assert "outlet: Harbour Wire" in chips and "outlet: Valley Gazette" in chips
