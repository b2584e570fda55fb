"""The table views in a real browser: every filter, every sort header, every export link.

uvicorn on a free loopback port over a SQLite corpus of four short articles
(analysed by the real pipeline), driven by Debian's Chromium through
Playwright (``executable_path``, no browser download). Each step acts as a
user does (choose in the filter form and submit, click a column head, click a
download link, remove a filter chip) and checks the rows the page then shows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import NEEDS_CHROMIUM, checked_page, no_overflow, serving

ARTICLES = [
    ("bridge", "Mayor Maria Lopez said on Monday that the bridge would reopen in March. "
               "She added that the repairs had cost far more than expected. "
               "Critics warned that the city budget was out of control.",
     {"outlet": "Harbour Wire", "published": "2024-01-10", "title": "Bridge to reopen"}),
    ("strike", "John Smith, the union leader, said his members would strike on Friday. "
               '"We have no choice," he said. According to a source familiar with the '
               "talks, the offer will not change.",
     {"outlet": "Daily Ledger", "published": "2024-02-15", "title": "Union to strike"}),
    ("port", "The port authority said that shipping would resume next week. "
             "Maria Lopez told reporters the harbour was safe.",
     {"outlet": "Harbour Wire", "published": "2024-03-20", "title": "Port reopens"}),
    ("airport", "Officials said the airport would reopen on Sunday.",
     {"outlet": "Daily Ledger", "published": "2024-03-02", "title": "Airport news"}),
]

pytestmark = NEEDS_CHROMIUM


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from whosaid.ingest import SourceText
    from whosaid.store import Corpus
    from whosaid.web import create_app

    db = str(tmp_path_factory.mktemp("tables-e2e") / "t.db")
    with Corpus(db) as corpus:
        assert corpus.ingest([SourceText(n, t, m, n) for n, t, m in ARTICLES]).stored == 4
    with serving(create_app(db)) as url:
        yield url


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    with checked_page(browser, accept_downloads=True) as pg:
        yield pg


TABLE = {"documents": "#documents", "speakers": "#speaker-table",
         "statements": "#statement-table"}


def column(page: object, view: str, key: str) -> list[str]:
    """The text of one column, by the sort key of its head, for every row shown."""
    table = TABLE[view]
    heads = page.locator(f"{table} thead th a.sort")  # type: ignore[attr-defined]
    keys = [heads.nth(i).get_attribute("data-sort") for i in range(heads.count())]
    k = keys.index(key) + 1
    cells = page.locator(f"{table} tbody tr td:nth-child({k})")  # type: ignore[attr-defined]
    return [cells.nth(i).inner_text().strip() for i in range(cells.count())]


def params(page: object) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)  # type: ignore[attr-defined]


def download(page: object, link: str) -> str:
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click(link)  # type: ignore[attr-defined]
    return Path(info.value.path()).read_text(encoding="utf-8")


@pytest.mark.parametrize("view", ["documents", "speakers", "statements"])
def test_every_column_head_sorts(server: str, page: object, view: str) -> None:
    page.goto(f"{server}/{view}")  # type: ignore[attr-defined]
    heads = page.locator(f"{TABLE[view]} thead th a.sort")  # type: ignore[attr-defined]
    keys = [heads.nth(i).get_attribute("data-sort") for i in range(heads.count())]
    assert len(keys) >= 6
    for key in keys:
        page.click(f'{TABLE[view]} thead a[data-sort="{key}"]')  # type: ignore[attr-defined]
        page.wait_for_url(f"**sort={key}**")  # type: ignore[attr-defined]
        first = params(page)["order"][0]
        th = page.locator(f'{TABLE[view]} thead th[aria-sort]')  # type: ignore[attr-defined]
        assert th.count() == 1 and th.locator("a").get_attribute("data-sort") == key
        # a second click on the same head turns the order round
        page.click(f'{TABLE[view]} thead a[data-sort="{key}"]')  # type: ignore[attr-defined]
        page.wait_for_url(lambda url, f=first: f"order={'asc' if f == 'desc' else 'desc'}"
                          in url)
        if key in ("published", "count", "documents", "attributions", "first", "last"):
            shown = [v for v in column(page, view, key) if v]
            numeric = key in ("count", "documents", "attributions")
            values = [int(v) for v in shown] if numeric else shown
            assert values == sorted(values, reverse=params(page)["order"][0] == "desc"), key


def test_statement_filters_one_by_one(server: str, page: object) -> None:
    choices = [("#f-outlet", "outlet", "Harbour Wire"), ("#f-kind", "kind", "person"),
               ("#f-gender", "gender", "female"), ("#f-type", "type", "direct"),
               ("#f-specificity", "specificity", "anonymous")]
    for selector, key, value in choices:
        page.goto(f"{server}/statements")  # type: ignore[attr-defined]
        page.select_option(selector, value)  # type: ignore[attr-defined]
        page.click("#apply-filters")  # type: ignore[attr-defined]
        page.wait_for_url(f"**{key}=**")  # type: ignore[attr-defined]
        assert params(page)[key] == [value]
        shown = column(page, "statements", key)
        assert shown, (key, value)
        assert all(v == value.replace("_", " ") for v in shown), (key, shown)
        chip = page.locator("#active-filters .chip")  # type: ignore[attr-defined]
        assert chip.count() == 1
        chip.first.click()  # the chip removes its filter
        page.wait_for_load_state()  # type: ignore[attr-defined]
        assert key not in params(page)
    page.goto(f"{server}/statements")  # type: ignore[attr-defined]
    page.fill("#f-from", "2024-02-01")  # type: ignore[attr-defined]
    page.fill("#f-to", "2024-03-05")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**from=2024-02-01**")  # type: ignore[attr-defined]
    dates = column(page, "statements", "published")
    assert dates and all("2024-02-01" <= d <= "2024-03-05" for d in dates)
    page.fill("#f-q", "bridge")  # type: ignore[attr-defined]
    page.fill("#f-from", "")  # type: ignore[attr-defined]
    page.fill("#f-to", "")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**q=bridge**")  # type: ignore[attr-defined]
    contents = column(page, "statements", "content")
    assert contents and all("bridge" in c.lower() for c in contents)


def test_document_and_speaker_filters(server: str, page: object) -> None:
    page.goto(f"{server}/documents")  # type: ignore[attr-defined]
    page.fill("#f-q", "harbour")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**q=harbour**")  # type: ignore[attr-defined]
    assert column(page, "documents", "title") == ["Port reopens"]
    for selector, key, value, titles in (
            ("#f-outlet", "outlet", "Daily Ledger", {"Union to strike", "Airport news"}),
            ("#f-gender", "gender", "female", {"Bridge to reopen", "Port reopens"}),
            ("#f-kind", "kind", "anonymous", {"Union to strike"}),
            ("#f-type", "type", "direct", {"Union to strike"}),
            ("#f-specificity", "specificity", "anonymous", {"Union to strike"})):
        page.goto(f"{server}/documents")  # type: ignore[attr-defined]
        page.select_option(selector, value)  # type: ignore[attr-defined]
        page.click("#apply-filters")  # type: ignore[attr-defined]
        page.wait_for_url(f"**{key}=**")  # type: ignore[attr-defined]
        assert set(column(page, "documents", "title")) == titles, key
    page.goto(f"{server}/documents")  # type: ignore[attr-defined]
    page.fill("#f-from", "2024-03-01")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**from=2024-03-01**")  # type: ignore[attr-defined]
    assert set(column(page, "documents", "title")) == {"Port reopens", "Airport news"}

    page.goto(f"{server}/speakers")  # type: ignore[attr-defined]
    page.select_option("#f-gender", "female")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**gender=female**")  # type: ignore[attr-defined]
    assert [n.splitlines()[0] for n in column(page, "speakers", "name")] == ["Maria Lopez"]
    page.select_option("#f-outlet", "Daily Ledger")  # type: ignore[attr-defined]
    page.select_option("#f-gender", "")  # type: ignore[attr-defined]
    page.select_option("#f-kind", "person")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**kind=person**")  # type: ignore[attr-defined]
    assert [n.splitlines()[0] for n in column(page, "speakers", "name")] == ["John Smith"]
    for selector, key, value in (("#f-type", "type", "direct"),
                                 ("#f-specificity", "specificity", "named_person")):
        page.goto(f"{server}/speakers")  # type: ignore[attr-defined]
        page.select_option(selector, value)  # type: ignore[attr-defined]
        page.click("#apply-filters")  # type: ignore[attr-defined]
        page.wait_for_url(f"**{key}=**")  # type: ignore[attr-defined]
        names = {n.splitlines()[0] for n in column(page, "speakers", "name")}
        assert names and names <= {"Maria Lopez", "John Smith"}, (key, names)
    page.goto(f"{server}/speakers")  # type: ignore[attr-defined]
    page.fill("#f-q", "smith")  # type: ignore[attr-defined]
    page.fill("#f-from", "2024-02-01")  # type: ignore[attr-defined]
    page.fill("#f-to", "2024-02-28")  # type: ignore[attr-defined]
    page.click("#apply-filters")  # type: ignore[attr-defined]
    page.wait_for_url("**q=smith**")  # type: ignore[attr-defined]
    assert [n.splitlines()[0] for n in column(page, "speakers", "name")] == ["John Smith"]
    # drill down: a speaker's count opens the statements behind it
    page.click("#speaker-table tbody tr:first-child td a[href^='/statements']")  # type: ignore[attr-defined]
    page.wait_for_url("**/statements?**speaker=**")  # type: ignore[attr-defined]
    assert set(column(page, "statements", "speaker")) == {"John Smith"}
    assert params(page)["from"] == ["2024-02-01"]  # the date range came along


@pytest.mark.parametrize("view", ["documents", "speakers", "statements"])
def test_export_links_download_the_filtered_view(server: str, page: object,
                                                 view: str) -> None:
    page.goto(f"{server}/{view}?outlet=Harbour+Wire&sort=id&order=asc")  # type: ignore[attr-defined]
    total = int(page.inner_text("#downloads").split()[0])  # type: ignore[attr-defined]
    assert total >= 1
    table = list(csv.DictReader(io.StringIO(download(page, "#export-csv"))))
    rows = json.loads(download(page, "#export-json"))
    assert len(table) == len(rows) == total
    key = "attribution_id" if view == "statements" else "id"
    ids = [r[key] for r in rows]
    assert ids == sorted(ids) and [int(t[key]) for t in table] == ids
    if view != "speakers":
        assert {r["outlet"] for r in rows} == {"Harbour Wire"}


def test_tables_fit_a_phone(server: str, browser: object) -> None:
    with checked_page(browser, 390, 844) as pg:
        for url in ("/documents", "/speakers", "/statements?sort=content", "/api-docs"):
            pg.goto(server + url)
            assert no_overflow(pg), url
