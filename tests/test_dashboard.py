"""The dashboard's numbers, filters, links and downloads (FastAPI TestClient, real SQLite).

The corpus is tests/data/dashboard/articles.jsonl: four short articles written
for this test, two outlets, January and March 2024 (none in February).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

ARTICLES = Path(__file__).resolve().parent / "data" / "dashboard" / "articles.jsonl"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    from whosaid.ingest import read_inputs
    from whosaid.store import Corpus

    path = str(tmp_path_factory.mktemp("dash") / "dash.db")
    with Corpus(path) as corpus:
        assert corpus.ingest(read_inputs([ARTICLES])).stored == 4
    return path


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    from whosaid.web import create_app

    with TestClient(create_app(db)) as c:
        yield c


def data(client: TestClient, **params: str) -> dict:
    r = client.get("/dashboard.json", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def test_counts_of_the_whole_corpus(client: TestClient) -> None:
    d = data(client)
    assert d["statements"] == 15
    people = {p["name"]: p["count"] for p in d["top_people"]}
    assert people["Maria Lopez"] == 4 and d["top_people"][0]["name"] == "Maria Lopez"
    assert people["Peter Grant"] == 1 and people["Ellen Park"] == 1
    assert [o["name"] for o in d["top_organisations"]] == ["Port Authority"]
    classes = {c["class"]: c["count"] for c in d["classes"]}
    assert classes == {"named_person": 8, "named_organisation": 2, "role_only": 2,
                       "anonymous": 1, "vague_collective": 2, "unattributed": 0}
    gender = {g["gender"]: g["count"] for g in d["gender"]}
    assert gender == {"female": 6, "male": 3, "unknown": 0}


def test_outlet_and_date_filters(client: TestClient) -> None:
    vg = data(client, outlet="Valley Gazette")
    assert vg["statements"] == 7
    assert {p["name"]: p["count"] for p in vg["top_people"]}["Maria Lopez"] == 1
    march = data(client, **{"from": "2024-03-01", "to": "2024-03-31"})
    assert march["statements"] == 8
    assert {p["name"]: p["count"] for p in march["top_people"]}["Maria Lopez"] == 1
    assert [o["outlet"] for o in march["outlets"]] == ["Harbour Wire", "Valley Gazette"]
    # the comparison keeps every outlet, the picked one marked
    picked = data(client, outlet="Harbour Wire")["outlets"]
    assert [(o["outlet"], o["selected"]) for o in picked] == [
        ("Harbour Wire", True), ("Valley Gazette", False)]


def test_series_on_a_real_time_axis(client: TestClient) -> None:
    months = data(client)["series"]
    assert [r["period"] for r in months] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    feb = months[1]
    assert sum(v for k, v in feb.items() if k not in ("period", "from", "to")) == 0
    assert months[0]["to"] == "2024-01-31" and months[1]["to"] == "2024-02-29"
    days = data(client, period="day", **{"from": "2024-01-14", "to": "2024-01-21"})["series"]
    assert len(days) == 8 and days[1]["period"] == "2024-01-15"
    assert days[1]["named_person"] == 2 and days[0]["named_person"] == 0
    weeks = data(client, period="week")["series"]
    assert weeks[0]["period"] == "2024-01-15"  # a Monday
    assert all(r["period"] < s["period"] for r, s in itertools.pairwise(weeks))


def test_every_link_opens_the_matching_statements(client: TestClient) -> None:
    d = data(client, outlet="Valley Gazette", **{"from": "2024-01-01"})
    maria = next(p for p in d["top_people"] if p["name"] == "Maria Lopez")
    q = parse_qs(urlparse(maria["href"]).query)
    assert q == {"outlet": ["Valley Gazette"], "from": ["2024-01-01"],
                 "speaker": [str(maria["speaker_id"])]}
    anon = next(c for c in d["classes"] if c["class"] == "anonymous")
    assert parse_qs(urlparse(anon["href"]).query)["specificity"] == ["anonymous"]
    female = next(g for g in d["gender"] if g["gender"] == "female")
    assert parse_qs(urlparse(female["href"]).query)["gender"] == ["female"]
    # the statements table behind each link holds exactly the counted statements
    for item, n in ((maria, 1), (female, 3)):
        rows = client.get(item["href"] + "&format=json").json()
        assert len(rows) == n, item["href"]


def test_page_links_every_bar_and_row(client: TestClient) -> None:
    html = client.get("/dashboard", params={"period": "week"}).text
    assert html.count('href="/statements?') >= 20
    assert 'class="bar-link"' in html and 'class="slice-link"' in html
    assert "/dashboard.csv?period=week&amp;top=10&amp;chart=series" in html


@pytest.mark.parametrize("chart", ["top_people", "top_organisations", "top_by_period",
                                   "classes", "gender", "series", "outlets"])
def test_each_chart_downloads_as_csv_and_json(client: TestClient, chart: str) -> None:
    params = {"chart": chart, "outlet": "Harbour Wire"}
    r = client.get("/dashboard.csv", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows, chart
    j = client.get("/dashboard", params={**params, "format": "json"}).json()
    assert j["filters"]["outlet"] == ["Harbour Wire"] and chart in j
    if chart == "top_people":
        assert [row["name"] for row in rows] == [p["name"] for p in j["top_people"]]


@pytest.mark.parametrize(("params", "problem"), [
    ({"from": "2024-13-01"}, "from:"), ({"to": "soon"}, "to:"), ({"period": "year"}, "period:"),
    ({"top": "many"}, "top:"), ({"from": "2024-05-01", "to": "2024-01-01"}, "from:"),
    ({"chart": "pie", "format": "csv"}, "chart:"), ({"format": "xml"}, "format:"),
])
def test_bad_parameters_are_named(client: TestClient, params: dict, problem: str) -> None:
    r = client.get("/dashboard", params=params)
    assert r.status_code == 422 and problem in r.text


def test_speaker_page_shows_gender_and_its_evidence(client: TestClient) -> None:
    maria = data(client)["top_people"][0]
    assert maria["name"] == "Maria Lopez"
    html = client.get(f"/speakers/{maria['speaker_id']}").text
    line = html.split('id="gender"', 1)[1].split("</p>", 1)[0]
    assert "female" in line and "3 documents as female" in line
    assert "first name female" in line and "pronoun female" in line
    # a stored document's speaker list carries it too, with the evidence as a tooltip
    doc = client.get("/documents", params={"format": "json", "q": "berth"}).json()[0]
    page = client.get(f"/documents/{doc['id']}").text
    assert 'class="gender-badge" title="gender evidence: first_name female' in page


def test_gender_can_be_hidden(db: str) -> None:
    from whosaid.web import create_app

    app = create_app(db)
    app.state.show_gender = False
    with TestClient(app) as c:
        page = c.get("/dashboard").text
        assert "speaker gender" not in page and 'id="gender"' not in page
        d = c.get("/dashboard.json").json()
        assert "gender" not in d and "gender_female" not in d["series"][0]
        assert c.get("/dashboard.csv", params={"chart": "gender"}).status_code == 404
        maria = c.get("/dashboard.json").json()["top_people"][0]
        assert 'id="gender"' not in c.get(f"/speakers/{maria['speaker_id']}").text


def test_hostile_outlet_is_escaped(tmp_path: Path) -> None:
    from whosaid.pipeline import extract
    from whosaid.store import Corpus
    from whosaid.web import create_app

    bad = '"><script>alert(1)</script>'
    path = str(tmp_path / "x.db")
    with Corpus(path) as corpus:
        corpus.store_document(extract("Maria Lopez said the berth was ready.",
                                      metadata={"outlet": bad, "published": "2024-01-02"}))
        corpus.relink()
    with TestClient(create_app(path)) as c:
        html = c.get("/dashboard").text
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_figures_follow_every_change_of_the_corpus(db_url: str) -> None:
    """The grouped rows are cached per corpus state: a new document or a merge shows at once.

    Runs on SQLite and PostgreSQL (the signature query is plain SQL for both).
    """
    from whosaid.pipeline import extract
    from whosaid.store import Corpus
    from whosaid.web import create_app

    meta = {"outlet": "Wire", "published": "2024-05-02"}
    with Corpus(db_url) as corpus:
        corpus.store_document(extract("Maria Lopez said the berth was ready.", metadata=meta))
        corpus.relink()
    with TestClient(create_app(db_url)) as c:
        first = c.get("/dashboard.json").json()
        assert first["statements"] == 1
        assert [(p["name"], p["count"]) for p in first["top_people"]] == [("Maria Lopez", 1)]
        with Corpus(db_url) as corpus:
            corpus.store_document(extract("M. Lopez said the cranes had arrived. Peter Grant "
                                          "said the strike was over.", metadata=meta))
            corpus.relink()
        second = c.get("/dashboard.json").json()
        assert second["statements"] == 3
        names = {p["name"] for p in second["top_people"]}
        assert "Peter Grant" in names
        with Corpus(db_url) as corpus:
            lopez = [s for s in corpus.speakers() if "Lopez" in s.name]
            if len(lopez) == 2:  # the store kept "M. Lopez" apart: merge them by hand
                corpus.merge(lopez[0].key, lopez[1].key)
        third = c.get("/dashboard.json").json()
        top = third["top_people"][0]
        assert "Lopez" in top["name"] and top["count"] == 2


def test_most_quoted_per_period(client: TestClient) -> None:
    """Each month's most-quoted people and organisations, counted like the whole: the
    months add up to the totals, and each name opens that month's statements."""
    d = data(client)
    periods = d["top_by_period"]
    assert [r["period"] for r in periods] == [r["period"] for r in d["series"]]
    jan, feb, mar = periods
    assert feb["top_people"] == [] and feb["statements"] == 0
    assert (jan["top_people"][0]["name"], jan["top_people"][0]["count"]) == ("Maria Lopez", 3)
    assert [o["name"] for o in mar["top_organisations"]] == ["Port Authority"]
    summed: dict[str, int] = {}
    for r in periods:
        for p in r["top_people"]:
            summed[p["name"]] = summed.get(p["name"], 0) + p["count"]
    assert summed == {p["name"]: p["count"] for p in d["top_people"]}
    for r in periods:
        for p in r["top_people"] + r["top_organisations"]:
            q = parse_qs(urlparse(p["href"]).query)
            assert q == {"from": [r["from"]], "to": [r["to"]], "speaker": [str(p["speaker_id"])]}
            assert len(client.get(p["href"] + "&format=json").json()) == p["count"], p
    weekly = data(client, period="week", outlet="Valley Gazette")["top_by_period"]
    assert sum(p["count"] for r in weekly for p in r["top_people"]
               if p["name"] == "Maria Lopez") == 1
    rows = list(csv.DictReader(io.StringIO(client.get(
        "/dashboard.csv", params={"chart": "top_by_period"}).text)))
    assert rows[0] == {"period": "2024-01-01", "from": "2024-01-01", "to": "2024-01-31",
                       "kind": "person", "rank": "1", "speaker_id": str(jan["top_people"][0]
                                                                      ["speaker_id"]),
                       "name": "Maria Lopez", "count": "3"}
    html = client.get("/dashboard").text
    table = html.split('id="period-table"', 1)[1].split("</table>", 1)[0]
    assert table.index("2024-03-01") < table.index("2024-01-01")  # newest first
    assert "Maria Lopez</a> (3)" in table


def test_several_outlets_together_and_side_by_side(tmp_path: Path) -> None:
    """``outlet`` given twice: the figures of both, the comparison of just those two, and
    links to /statements that keep both (the table takes several outlets too)."""
    import json

    from whosaid.ingest import SourceText
    from whosaid.store import Corpus
    from whosaid.web import create_app

    items = []
    for line in ARTICLES.read_text().splitlines():
        art = json.loads(line)
        outlet = "Coast Courier" if art["id"] == "vg-2" else art["outlet"]
        items.append(SourceText(art["id"], art["text"], {
            "outlet": outlet, "published": art["published"], "title": art["title"]},
            art["id"]))
    path = str(tmp_path / "three.db")
    with Corpus(path) as corpus:
        assert corpus.ingest(items).stored == 4
    with TestClient(create_app(path)) as c:
        one = {o: data(c, outlet=o)["statements"] for o in
               ("Harbour Wire", "Valley Gazette", "Coast Courier")}
        both = c.get("/dashboard.json", params=[("outlet", "Harbour Wire"),
                                                ("outlet", "Valley Gazette")]).json()
        assert both["filters"]["outlet"] == ["Harbour Wire", "Valley Gazette"]
        assert both["statements"] == one["Harbour Wire"] + one["Valley Gazette"]
        assert [o["outlet"] for o in both["outlets"]] == ["Harbour Wire", "Valley Gazette"]
        assert all(o["selected"] for o in both["outlets"])
        alone = data(c, outlet="Coast Courier")["outlets"]  # one outlet: all, it marked
        assert len(alone) == 3 and [o["outlet"] for o in alone if o["selected"]] == [
            "Coast Courier"]
        maria = next(p for p in both["top_people"] if p["name"] == "Maria Lopez")
        assert parse_qs(urlparse(maria["href"]).query)["outlet"] == [
            "Harbour Wire", "Valley Gazette"]
        rows = c.get(maria["href"] + "&format=json").json()
        assert len(rows) == maria["count"]
        assert {r["outlet"] for r in rows} == {"Harbour Wire", "Valley Gazette"}
        everything = c.get("/statements", params=[
            ("outlet", "Harbour Wire"), ("outlet", "Valley Gazette"), ("format", "json")]).json()
        assert len(everything) == both["statements"]
        page = c.get("/statements", params=[("outlet", "Harbour Wire"),
                                            ("outlet", "Valley Gazette")]).text
        chips = page.split('id="active-filters"', 1)[1].split("</p>", 1)[0]
        assert "outlet: Harbour Wire" in chips and "outlet: Valley Gazette" in chips
        html = c.get("/dashboard", params=[("outlet", "Harbour Wire"),
                                           ("outlet", "Valley Gazette")]).text
        compare = html.split('id="outlet-table"', 1)[1].split("</thead>", 1)[0]
        assert "Coast Courier" not in compare and "Valley Gazette" in compare


def test_refresher_regroups_after_a_change_without_a_view(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """After an ingest by another process, the dashboard's figures and the tables' kept
    counts are recomputed in the background: the next views find them ready."""
    import time

    from whosaid.pipeline import extract
    from whosaid.store import Corpus, browse
    from whosaid.web import create_app, dashboard

    monkeypatch.setattr(dashboard, "REFRESH_EVERY", 0.1)
    path = str(tmp_path / "r.db")
    meta = {"outlet": "Wire", "published": "2024-05-02"}
    with Corpus(path) as corpus:
        corpus.store_document(extract("Maria Lopez said the berth was ready.", metadata=meta))
        corpus.relink()
    app = create_app(path)
    with TestClient(app) as c:
        assert c.get("/dashboard.json").json()["statements"] == 1
        assert c.get("/statements").status_code == 200
        web_corpus = app.state.web.corpus
        with Corpus(path) as other:
            other.store_document(extract("Peter Grant said the strike was over.",
                                         metadata=meta))
            other.relink()
        version = web_corpus.version()
        kept = [k for k in browse._SMALL if k[0].endswith("r.db") and k[1] == "statements"]
        assert kept
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (
                dashboard._CACHE[web_corpus.url][0] == version
                and all(browse._SMALL[k][0] == version for k in kept)):
            time.sleep(0.1)
        assert dashboard._CACHE[web_corpus.url][0] == version, "the dashboard was regrouped"
        assert all(browse._SMALL[k][0] == version for k in kept), "the counts were recomputed"
        assert browse._SMALL[kept[0]][1] == 2
        assert c.get("/dashboard.json").json()["statements"] == 2
