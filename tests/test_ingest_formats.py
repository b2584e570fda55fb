"""CSV, WARC and RSS/Atom inputs: one document per row, record or entry, metadata kept."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from whosaid.ingest import InputError, SourceText, count_documents, read_inputs

ARTICLE = ("<html><head><title>Port strike</title></head><body><nav>Home | News</nav>"
           "<article><h1>Port strike</h1><p>Dockworkers said the strike would go on until "
           "the company improved its offer. The union leader said talks had failed.</p>"
           "<p>The company said it had made a fair offer and would not raise it.</p>"
           "</article><footer>All rights reserved</footer></body></html>")


def read_all(*paths: Path) -> list[SourceText | InputError]:
    return list(read_inputs(list(paths)))


def test_csv_rows_with_metadata_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(
        "id,title,outlet,published,text\n"
        'a1,Ferry,Wire,2024-11-04,"Officials said the ferry would stop.\nIt was late."\n'
        "a2,Empty,Wire,2024-11-05,\n"
        "a3,,Daily,,Critics said it failed.\n", encoding="utf-8")
    got = read_all(path)
    docs = [g for g in got if isinstance(g, SourceText)]
    errors = [g for g in got if isinstance(g, InputError)]
    assert [d.name for d in docs] == ["a1", "a3"]
    assert docs[0].metadata == {"id": "a1", "title": "Ferry", "outlet": "Wire",
                                "published": "2024-11-04"}
    assert docs[0].text == "Officials said the ferry would stop.\nIt was late."
    assert docs[1].metadata == {"id": "a3", "outlet": "Daily"}  # empty cells dropped
    assert [(e.problem, e.line) for e in errors] == [("empty document", 4)]
    assert count_documents([path]) >= 3  # lines, not rows: an estimate for the bar


def test_csv_without_text_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("title,url\nA,http://a\n", encoding="utf-8")
    (err,) = read_all(path)
    assert isinstance(err, InputError) and "no text column" in err.problem


def _warc(path: Path, gz: bool) -> None:
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://news.example.org/port", "response", payload=io.BytesIO(ARTICLE.encode()),
            http_headers=http))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")],
                                 protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            "https://news.example.org/logo.png", "response",
            payload=io.BytesIO(b"\x89PNG"), http_headers=image))


def test_warc_html_responses_become_documents(tmp_path: Path) -> None:
    for gz, name in ((True, "crawl.warc.gz"), (False, "crawl.warc")):
        path = tmp_path / name
        _warc(path, gz)
        (doc,) = read_all(path)
        assert isinstance(doc, SourceText), doc
        assert doc.name == "https://news.example.org/port"
        assert "Dockworkers said the strike" in doc.text
        assert "All rights reserved" not in doc.text
        assert doc.metadata["url"] == "https://news.example.org/port"
        assert doc.metadata["captured"][:4].isdigit()
    assert [p.name for p in tmp_path.iterdir()] and len(read_all(tmp_path)) == 2


def test_broken_warc_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc"
    path.write_text("this is not a web archive\n", encoding="utf-8")
    (err,) = read_all(path)
    assert isinstance(err, InputError)


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Wire</title>
<item><title>Ferry</title><link>https://wire.example.com/ferry</link>
<author>kai@example.com (Kai)</author><pubDate>Mon, 04 Nov 2024 09:00:00 GMT</pubDate>
<description>&lt;p&gt;Officials said the ferry would stop.&lt;/p&gt;&lt;p&gt;Critics said
it was a mistake.&lt;/p&gt;</description></item>
<item><title>Empty</title><link>https://wire.example.com/empty</link><description>
</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Daily</title><entry><title>Bridge</title><link href="https://daily.example/bridge"/>
<id>urn:bridge</id><updated>2024-05-01T10:00:00Z</updated><author><name>Ann</name></author>
<content type="html">&lt;p&gt;The mayor said the bridge would reopen.&lt;/p&gt;</content>
</entry></feed>"""


def test_rss_and_atom_entries(tmp_path: Path) -> None:
    (tmp_path / "wire.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "daily.atom").write_text(ATOM, encoding="utf-8")
    got = read_all(tmp_path / "wire.rss", tmp_path / "daily.atom")
    docs = [g for g in got if isinstance(g, SourceText)]
    assert [d.name for d in docs] == ["https://wire.example.com/ferry",
                                      "https://daily.example/bridge"]
    ferry, bridge = docs
    assert ferry.text == "Officials said the ferry would stop.\n\nCritics said\nit was a mistake."
    assert ferry.metadata["outlet"] == "Harbour Wire"
    assert ferry.metadata["published"] == "2024-11-04T09:00:00Z"
    assert bridge.text == "The mayor said the bridge would reopen."
    assert (bridge.metadata["author"], bridge.metadata["published"]) == (
        "Ann", "2024-05-01T10:00:00Z")
    assert [g.problem for g in got if isinstance(g, InputError)] == ["empty document"]


def test_xml_that_is_no_feed_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text("<root><a>1</a></root>", encoding="utf-8")
    (err,) = read_all(path)
    assert isinstance(err, InputError) and "feed" in err.problem
