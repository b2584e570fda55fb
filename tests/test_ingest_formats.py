"""CSV, WARC and RSS/Atom inputs: one document per row, record or entry, metadata kept."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from whosaid import parse
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


# --- issue 16: no silent loss -----------------------------------------------------


def test_csv_field_over_the_limit_is_reported_and_later_rows_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_CHARS", 1000)
    path = tmp_path / "feed.csv"
    path.write_text("id,text\n"
                    "a,Officials said it would reopen.\n"
                    f'big,"{"He said so. " * 500}"\n'
                    'c,"Critics said, on two lines,\nthat it failed."\n', encoding="utf-8")
    got = read_all(path)
    assert [g.name for g in got if isinstance(g, SourceText)] == ["a", "c"]
    [err] = [g for g in got if isinstance(g, InputError)]
    assert (err.line, err.problem) == (3, "too large: 6000 characters, limit 1000")


def test_csv_row_with_invalid_utf8_is_reported_and_later_rows_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_bytes(b"id,text\na,She said yes.\nb,caf\xe9 said no\nc,They said maybe.\n")
    got = read_all(path)
    assert [g.name for g in got if isinstance(g, SourceText)] == ["a", "c"]
    assert [(g.line, g.problem) for g in got if isinstance(g, InputError)] == [
        (3, "not UTF-8 text (invalid bytes in this row)")]


def test_fifo_in_a_folder_is_skipped_with_an_error_not_opened(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("She said yes.", encoding="utf-8")
    os.mkfifo(tmp_path / "b.txt")  # opening it for reading would block forever
    (tmp_path / "c.txt").write_text("He said no.", encoding="utf-8")
    got = read_all(tmp_path)
    assert [g.name if isinstance(g, SourceText) else g.problem for g in got] == [
        "a", "a FIFO (named pipe): not read (only regular files are)", "c"]
    assert [g.problem for g in read_all(tmp_path / "b.txt")] == [
        "a FIFO (named pipe): not read (only regular files are)"]


def test_symlink_loop_is_reported_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    [err] = read_all(loop)
    assert isinstance(err, InputError)
    assert err.problem == "symbolic link loop (too many levels of symbolic links)"
    [err] = read_all(tmp_path)  # inside a folder too
    assert isinstance(err, InputError) and err.path == str(loop) and "loop" in err.problem


def test_unreadable_subfolder_is_reported(tmp_path: Path) -> None:
    """As an unprivileged user (root reads everything), the walk reports what it cannot read."""
    base = Path(tempfile.mkdtemp(prefix="whosaid-perm-"))
    try:
        base.chmod(0o755)
        (base / "ok.txt").write_text("She said yes.", encoding="utf-8")
        (base / "ok.txt").chmod(0o644)
        locked = base / "locked"
        locked.mkdir()
        (locked / "hidden.txt").write_text("He said no.", encoding="utf-8")
        locked.chmod(0o000)
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: drop root, walk, report, exit
            try:
                os.close(read)
                if os.geteuid() == 0:
                    os.setgid(65534)
                    os.setuid(65534)
                rows = [[getattr(i, "path", ""), getattr(i, "problem", getattr(i, "name", ""))]
                        for i in read_inputs([base])]
                os.write(write, json.dumps(rows).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as fh:
            got = json.loads(fh.read() or "[]")
        os.waitpid(pid, 0)
        assert [str(locked), "folder not read: permission denied"] in got
        assert ["", "ok"] in got
    finally:
        locked.chmod(0o755)
        shutil.rmtree(base)
