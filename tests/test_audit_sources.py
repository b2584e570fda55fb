"""Source metadata and citation linking (``whosaid.audit_sources``) on texts written for it."""

from __future__ import annotations

import pytest

from whosaid.audit_sources import (
    citation_fields,
    find_dates,
    link,
    norm_url,
    source_from_text,
)


@pytest.mark.parametrize(("written", "iso"), [
    ("3 March 2025", "2025-03-03"), ("March 3, 2025", "2025-03-03"),
    ("2025-03-03", "2025-03-03"), ("03/03/2025", "2025-03-03"),
    ("3rd of March 2025", "2025-03-03"), ("Mar. 3, 2025", "2025-03-03"),
    ("13/03/2025", "2025-03-13"), ("03/13/2025", "2025-03-13"), ("12.03.2025", "2025-03-12"),
    ("2025-04-02T09:00:00Z", "2025-04-02"), ("February 2025", "2025-02"), ("6 March", "--03-06"),
])
def test_date_forms(written: str, iso: str) -> None:
    assert [d.iso() for _s, _e, d in find_dates(f"Issued {written} by the board")] == [iso]


def test_no_date_in_ordinary_words() -> None:
    assert find_dates("5 market stalls and 3 mayors met in the A9 lay-by") == []


def test_url_normalisation() -> None:
    key = "dunmereferries.example/notices/winter-timetable"
    for url in ("HTTP://WWW.DunmereFerries.example/notices/winter-timetable/",
                "https://dunmereferries.example/notices/winter-timetable?utm_source=x&fbclid=1",
                "www.dunmereferries.example/notices/winter-timetable#top",
                "https://dunmereferries.example:443/notices/winter-timetable/index.html"):
        assert norm_url(url) == key, url
    assert norm_url("https://a.example/p?id=3&utm_medium=mail") == "a.example/p?id=3"


def test_metadata_from_a_letterhead_and_a_byline() -> None:
    release = source_from_text(
        "MINISTRY OF WATERWAYS\nPRESS RELEASE\n\nFor immediate release: 3 March 2025\n\n"
        "Canal locks to reopen in spring\n\nThe ministry said the locks would reopen in "
        "April after repairs costing €3 million.\n", "locks")
    m = release.meta
    assert (m.publisher, m.date, m.type, m.title) == (
        "Ministry of Waterways", "2025-03-03", "press release", "Canal locks to reopen in spring")
    news = source_from_text(
        "Ferry fares frozen for islanders\nBy Ada Brook | Coast Gazette | March 5, 2025\n\n"
        "The ferry operator said fares would not rise this winter, and that the timetable "
        "is online.\nhttps://ferries.example/fares\n", "fares")
    assert (news.meta.author, news.meta.publisher, news.meta.date) == (
        "Ada Brook", "Coast Gazette", "2025-03-05")
    assert news.meta.urls == ["https://ferries.example/fares"]  # a URL in the body counts


def test_metadata_from_an_html_page() -> None:
    page = ("<html><head><title>Tide report 2024 | Harbour Trust</title>"
            '<meta property="og:site_name" content="Harbour Trust">'
            '<meta name="author" content="Rhea Cole">'
            '<meta property="article:published_time" content="2025-01-09T08:00:00Z">'
            '<link rel="canonical" href="https://harbour.example/tides/2024/">'
            "<script>var x = 1;</script></head><body><h1>Tide report 2024</h1>"
            "<p>High tides rose by 4 cm on average, see "
            '<a href="https://harbour.example/data">the data</a>.</p></body></html>')
    src = source_from_text(page, "tides")
    m = src.meta
    assert (m.title, m.publisher, m.author, m.date) == (
        "Tide report 2024", "Harbour Trust", "Rhea Cole", "2025-01-09")
    assert m.urls[0] == "https://harbour.example/tides/2024/"
    assert "var x" not in src.text and "[the data](https://harbour.example/data)" in src.text
    assert m.found_in["date"] == "meta article:published_time"


def _folder() -> list:
    return [
        source_from_text("Title: Arrests after warehouse fire\nPublisher: Fenland Police\n"
                         "Date: 17 February 2025\nType: Press release\n\nTwo men were "
                         "arrested after a fire on Mill Lane.\n", "arson"),
        source_from_text("Title: Speed cameras on the coast road\nPublisher: Fenland Police\n"
                         "Date: 24 February 2025\nType: Press release\n\nSix cameras will be "
                         "switched on in March.\n", "cameras"),
        source_from_text("IN THE HIGH COURT\n\nMarsh Quarry Ltd v Fenland District Council\n\n"
                         "Judgment of 4 February 2025\n\nThe appeal is dismissed.\n", "quarry"),
        source_from_text("FENLAND DISTRICT COUNCIL\nMinutes of the meeting of 11 February 2025"
                         "\n\nThe council voted to close the pool for repairs.\n", "minutes"),
    ]


@pytest.mark.parametrize(("label", "doc"), [
    ("Fenland Police, 24 February 2025", "cameras"),  # publisher + date
    ("Fenland Police press release, 17/02/2025", "arson"),  # + type, numeric date
    ("Arrests after warehouse fire", "arson"),  # exact title
    ("Marsh Quarry v Fenland", "quarry"),  # a shortened case name
    ("Fenland District Council minutes", "minutes"),  # document type
])
def test_linking_on_every_field(label: str, doc: str) -> None:
    got = link(label, None, _folder())
    assert got["link"] is not None and got["link"]["document"] == doc, got


def test_near_miss_and_generic_labels() -> None:
    srcs = _folder()
    near = link("Fenland Police press release, 3 March 2025", None, srcs)
    assert near["link"] is None
    assert near["near_miss"]["documents"] == ["arson", "cameras"]
    assert near["near_miss"]["conflicts"] == ["date"]
    assert link("police sources", None, srcs)["link"] is None  # one shared word is not enough
    assert link("official figures", None, srcs)["near_miss"] is None


def test_citation_fields_read_urls() -> None:
    cf = citation_fields("Vale Radio", "https://radio.example/morning-line/2025-03-06?utm_x=1")
    assert [d.iso() for d in cf.dates] == ["2025-03-06"]
    assert "morn" in cf.url_words or "morning" in cf.url_words
