"""The table views (/documents, /speakers, /statements): sort, filter, export, URL state.

A real SQLite corpus of four short articles analysed by the real pipeline,
served by the real app through FastAPI's TestClient. Every sort key is tried
in both orders and checked against the rows it returns; every filter is
checked to keep exactly the rows that pass it; the CSV and JSON downloads are
checked to carry the same rows as the page, with formula cells neutralised.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from whosaid.export import csv_safe
from whosaid.ingest import SourceText
from whosaid.store import Corpus
from whosaid.store.browse import table_sorts
from whosaid.web import create_app
from whosaid.web.tables import VIEWS

ARTICLES = [
    ("bridge", "Mayor Maria Lopez said on Monday that the bridge would reopen in March. "
               "She added that the repairs had cost far more than expected. "
               "Critics warned that the city budget was out of control.",
     {"outlet": "Harbour Wire", "published": "2024-01-10", "title": "Bridge to reopen",
      "author": "A. Writer"}),
    ("strike", "John Smith, the union leader, said his members would strike on Friday. "
               '"We have no choice," he said. According to a source familiar with the '
               "talks, the offer will not change.",
     {"outlet": "Daily Ledger", "published": "2024-02-15",
      "title": "=HYPERLINK(\"http://evil.example\",\"click\")"}),
    ("port", "The port authority said that shipping would resume next week. "
             "Maria Lopez told reporters the harbour was safe.",
     {"outlet": "Harbour Wire", "published": "2024-03-20", "title": "Port reopens"}),
    ("airport", "Officials said the airport would reopen on Sunday.", {}),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = tmp_path_factory.mktemp("tables") / "tables.db"
    with Corpus(db) as corpus:
        report = corpus.ingest([SourceText(n, t, m, n) for n, t, m in ARTICLES])
        assert report.stored == len(ARTICLES), report.errors
    with TestClient(create_app(str(db), token="t")) as c:
        yield c


def rows(client: TestClient, view: str, **params: str) -> list[dict[str, Any]]:
    r = client.get(f"/{view}", params={**params, "format": "json"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/json")
    return list(r.json())


def page_total(client: TestClient, view: str, **params: str) -> int:
    r = client.get(f"/{view}", params=params)
    assert r.status_code == 200, r.text
    found = re.search(r'id="downloads">(\d+) (?:row|speaker|document)', r.text)
    assert found, "the page states how many rows match"
    return int(found.group(1))


def sort_key(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


FIELD = {"documents": {"ingested": "ingested_at", "title": "title"},
         "speakers": {}, "statements": {"id": "attribution_id", "document": "title"}}


@pytest.mark.parametrize("view", ["documents", "speakers", "statements"])
def test_every_column_sorts_both_ways(client: TestClient, view: str) -> None:
    keys = table_sorts(view)
    assert len(keys) >= 7
    for key in keys:
        field = FIELD[view].get(key, key)
        for order in ("asc", "desc"):
            got = rows(client, view, sort=key, order=order)
            assert got, (view, key)
            values = [r[field] if field in r else r.get(key) for r in got]
            if (view, key) in (("documents", "title"), ("statements", "document")):
                values = [r["title"] or r.get("name") or r.get("document") for r in got]
            present = [v for v in values if v is not None]
            # empty values always come last, whatever the order
            assert values[:len(present)] == present, (view, key, order, values)
            if isinstance(present[0], str) and key not in ("published", "first", "last",
                                                           "ingested"):
                continue  # text collation is the database's; dates and numbers are checked
            expected = sorted(present, key=sort_key, reverse=order == "desc")
            assert present == expected, (view, key, order)


def test_the_page_links_every_column_header_to_its_sort(client: TestClient) -> None:
    html = client.get("/statements", params={"outlet": "Harbour Wire"}).text
    heads = re.findall(r'data-sort="(\w+)" href="([^"]+)"', html)
    shown = {c.key for c in VIEWS["statements"].columns}
    assert {k for k, _ in heads} == shown and shown <= set(table_sorts("statements"))
    for key, href in heads:
        params = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        assert params["sort"] == [key]
        assert params["outlet"] == ["Harbour Wire"]  # the filters stay in the URL
        assert "page" not in params


def test_outlet_and_date_filters(client: TestClient) -> None:
    wire = rows(client, "documents", outlet="Harbour Wire")
    assert sorted(r["title"] for r in wire) == ["Bridge to reopen", "Port reopens"]
    feb = rows(client, "documents", **{"from": "2024-02-01", "to": "2024-02-29"})
    assert [r["outlet"] for r in feb] == ["Daily Ledger"]
    statements = rows(client, "statements", outlet="Harbour Wire", **{"from": "2024-03-01"})
    assert statements and all(r["outlet"] == "Harbour Wire" and r["published"] >= "2024-03-01"
                              for r in statements)
    everyone = {r["name"]: r["count"] for r in rows(client, "speakers")}
    march = {r["name"]: r["count"] for r in rows(client, "speakers", **{"from": "2024-03-01"})}
    lopez = next(n for n in everyone if "Lopez" in n)
    # the speaker table counts only the statements in the date range
    assert 0 < march[lopez] < everyone[lopez]
    assert page_total(client, "statements", outlet="Harbour Wire") == len(
        rows(client, "statements", outlet="Harbour Wire"))


def test_speaker_kind_gender_type_specificity_filters(client: TestClient) -> None:
    every = rows(client, "statements")
    for name in ("kind", "gender", "type", "specificity"):
        values = {r[name] for r in every if r[name]}
        assert values, name
        for value in values:
            got = rows(client, "statements", **{name: value})
            assert got and all(r[name] == value for r in got), (name, value)
            assert len(got) == sum(r[name] == value for r in every) or name == "gender"
    women = rows(client, "speakers", gender="female")
    assert women and all(r["gender"] == "female" for r in women)
    assert any("Lopez" in r["name"] for r in women)
    # documents with a statement by a woman: the two articles quoting Maria Lopez
    docs = rows(client, "documents", gender="female")
    assert sorted(r["title"] for r in docs) == ["Bridge to reopen", "Port reopens"]
    people = rows(client, "speakers", kind="person")
    assert people and all(r["kind"] == "person" for r in people)


def test_speaker_filter_and_drill_down(client: TestClient) -> None:
    lopez = next(r for r in rows(client, "speakers") if "Lopez" in r["name"])
    said = rows(client, "statements", speaker=str(lopez["id"]))
    assert len(said) == lopez["count"]
    assert all(r["speaker_id"] == lopez["id"] for r in said)
    html = client.get("/speakers").text
    # each speaker's count links to the statements behind it
    assert f'href="/statements?speaker={lopez["id"]}"' in html
    page = client.get("/statements", params={"speaker": lopez["id"]}).text
    assert lopez["name"] in page and "speaker: " in page  # the filter shows as a chip


def test_text_search(client: TestClient) -> None:
    docs = rows(client, "documents", q="harbour")
    assert [r["title"] for r in docs] == ["Port reopens"]
    said = rows(client, "statements", q="bridge reopen")
    assert said and all("bridge" in r["content"].lower() for r in said)
    assert rows(client, "speakers", q="smith")[0]["name"].endswith("Smith")
    assert rows(client, "documents", q="100%_") == []  # % and _ are taken literally


@pytest.mark.parametrize("view", ["documents", "speakers", "statements"])
def test_csv_and_json_carry_the_same_rows(client: TestClient, view: str) -> None:
    params = {"outlet": "Harbour Wire", "sort": table_sorts(view)[1], "order": "asc"}
    as_json = rows(client, view, **params)
    r = client.get(f"/{view}", params={**params, "format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert f"whosaid-{view}.csv" in r.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == len(as_json) > 0
    assert list(table[0]) == list(as_json[0])
    key = "attribution_id" if view == "statements" else "id"
    assert [int(t[key]) for t in table] == [j[key] for j in as_json]


def test_csv_cells_cannot_run_as_formulas(client: TestClient) -> None:
    table = list(csv.DictReader(io.StringIO(
        client.get("/documents", params={"format": "csv"}).text)))
    title = next(t["title"] for t in table if "HYPERLINK" in t["title"])
    assert title.startswith("'=HYPERLINK")
    assert csv_safe("-1 said") == "'-1 said" and csv_safe(-1) == -1
    assert csv_safe("@SUM(A1)") == "'@SUM(A1)" and csv_safe("said") == "said"


def test_export_links_keep_the_view_state(client: TestClient) -> None:
    html = client.get("/statements", params={"type": "direct", "sort": "speaker",
                                              "order": "asc", "page": "1"}).text
    for fmt in ("csv", "json"):
        href = re.search(rf'id="export-{fmt}" href="([^"]+)"', html).group(1)
        params = parse_qs(urlsplit(href.replace("&amp;", "&")).query)
        assert params == {"type": ["direct"], "sort": ["speaker"], "order": ["asc"],
                          "format": [fmt]}


def test_filter_form_offers_every_filter(client: TestClient) -> None:
    html = client.get("/statements").text
    for name in ("q", "outlet", "from", "to", "kind", "gender", "type", "specificity"):
        assert f'name="{name}"' in html, name
    # an empty field, as the form sends it, is no filter
    empty = {k: "" for k in ("q", "outlet", "from", "to", "kind", "gender", "type",
                             "specificity", "speaker")}
    assert page_total(client, "statements", **empty) == len(rows(client, "statements"))


@pytest.mark.parametrize("params, problem", [
    ({"sort": "bogus"}, "sort: choose one of"),
    ({"order": "sideways"}, "order: asc or desc"),
    ({"from": "2024-13-01"}, "from: give an ISO date"),
    ({"gender": "other"}, "gender: choose one of"),
    ({"speaker": "abc"}, "speaker: give a number"),
    ({"format": "xml"}, "format: html, csv or json"),
    ({"page": "0"}, "page:"),
])
def test_bad_parameters_are_a_clear_422(client: TestClient, params: dict[str, str],
                                        problem: str) -> None:
    for view in ("documents", "speakers", "statements"):
        r = client.get(f"/{view}", params=params)
        assert r.status_code == 422 and problem in r.text, (view, params, r.text[:200])


def test_paging_beyond_the_end_is_empty_not_an_error(client: TestClient) -> None:
    r = client.get("/statements", params={"page": "40"})
    assert r.status_code == 200 and "No statements match." in r.text


@pytest.mark.parametrize("deep", [1000, 0])
def test_pages_of_every_sort_join_up(client: TestClient, deep: int,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Page by page, each sort gives every row once (the keys are paged, then read),
    whether the database pages or the kept keys do (``DEEP``: from where on)."""
    from whosaid.store import browse
    from whosaid.store.browse import TableFilters

    monkeypatch.setattr(browse, "DEEP", deep)
    corpus = client.app.state.web.corpus  # type: ignore[attr-defined]
    for view, query in (("statements", corpus.table_statements),
                        ("documents", corpus.table_documents)):
        for sort in table_sorts(view):
            for order in ("asc", "desc"):
                whole, total = query(TableFilters(), sort=sort, order=order, limit=1000)
                paged = [r for k in range(0, total, 3)
                         for r in query(TableFilters(), sort=sort, order=order, limit=3,
                                        offset=k)[0]]
                assert paged == whole and len(whole) == total, (view, sort, order)


def test_group_speaker_page_lists_what_the_group_said(tmp_path: Any) -> None:
    """"A and B said" links the statement to A and to B; the group's own page, which
    the article links its source to, still shows it (it showed 0 statements)."""
    db = tmp_path / "pair.db"
    with Corpus(db) as corpus:
        corpus.ingest([SourceText(
            "pair", "Representatives James Clyburn and G. K. Butterfield met on Monday. "
            "Mr. Clyburn and Mr. Butterfield said the bill was fair to farmers.", {},
            "pair")])
    with TestClient(create_app(str(db))) as c:
        article = c.get("/documents/1").text
        group = re.search(r'class="speaker-link" href="(/speakers/\d+)"><span[^>]*>'
                          r'Mr\. Clyburn and Mr\. Butterfield', article)
        assert group, "the group source links to its speaker page"
        page = c.get(group.group(1)).text
        assert re.search(r"1 statement in 1 document(?!s)", page)
        assert "the bill was fair to farmers" in page
        said_by = re.search(r'class="with">said by (.*?)</small>', page).group(1)
        members = re.findall(r'<a href="(/speakers/\d+)">([^<]+)</a>', said_by)
        assert [n for _, n in members] == ["James Clyburn", "G. K. Butterfield"]
        for href, _ in members:  # each member's page has it too, "with" the other
            member = c.get(href).text
            assert "the bill was fair to farmers" in member and "class=\"with\">with" in member
