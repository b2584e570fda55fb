"""Reading inputs: formats, normalisation, and every kind of bad input."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from whosaid import parse
from whosaid.ingest import (
    InputError,
    SourceText,
    count_documents,
    normalise_newlines,
    read_inputs,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

ARTICLE_HTML = """<!DOCTYPE html>
<html><head>
<meta charset="utf-8">
<title>Mayor opens bridge | Town News</title>
<meta name="author" content="Jo Reporter">
<meta name="date" content="2024-05-01">
<link rel="canonical" href="https://news.example.org/bridge">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport section link</a></li></ul></nav>
<article>
<h1>Mayor opens bridge</h1>
<p>The new footbridge over the canal opened on Saturday, and hundreds of residents walked
across it in the first hour, officials said.</p>
<p>"This bridge joins two halves of our town that have looked at each other for a century,"
Mayor Ellen Vance said at the ribbon cutting. She added that the project came in under budget.</p>
<p>Critics argue that the money would have been better spent on the bus network, according to
a statement from the local ratepayers' association.</p>
</article>
<footer><p>Copyright 2024 Town News Media Group. All rights reserved. Privacy policy.</p></footer>
</body></html>
"""


def read_all(*paths: Path) -> list[SourceText | InputError]:
    return list(read_inputs(paths))


def only_error(items: list[SourceText | InputError]) -> InputError:
    assert len(items) == 1, items
    assert isinstance(items[0], InputError), items
    return items[0]


def only_doc(items: list[SourceText | InputError]) -> SourceText:
    assert len(items) == 1, items
    assert isinstance(items[0], SourceText), items
    return items[0]


# --- plain text ---------------------------------------------------------------


def test_txt_named_after_stem(tmp_path: Path) -> None:
    path = tmp_path / "story-one.txt"
    path.write_text("The minister said the plan would work.\n", encoding="utf-8")
    doc = only_doc(read_all(path))
    assert doc.name == "story-one"
    assert doc.text == "The minister said the plan would work.\n"
    assert doc.metadata == {}
    assert doc.origin == str(path)


@pytest.mark.parametrize(("text", "title"), [
    ("Harbour board delays vote on ferry fares\n\nThe board said on Monday it needed more time.\n",
     "Harbour board delays vote on ferry fares"),
    # a one-line lede is a sentence, not a title
    ("The board said on Monday it needed more time.\n\nA vote is due in June.\n", None),
    ("Will the ferry run?\n\nThe board said it would decide soon.\n", None),
    # no blank line after it, or nothing after it: no title
    ("Harbour board delays vote\nThe board said it needed more time.\n", None),
    ("Harbour board delays vote on ferry fares\n", None),
    # too long for a title
    (" ".join(["word"] * 21) + "\n\nThe board said so.\n", None),
])
def test_txt_first_line_written_as_a_title_is_its_title(
        tmp_path: Path, text: str, title: str | None) -> None:
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    doc = only_doc(read_all(path))
    assert doc.metadata.get("title") == title
    assert doc.text == text  # the title line stays in the text: offsets never move


def test_bom_is_stripped(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffShe said yes.".encode())
    assert only_doc(read_all(path)).text == "She said yes."


def test_line_endings_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"First line.\r\nSecond line.\rThird line.\n")
    text = only_doc(read_all(path)).text
    assert text == "First line.\nSecond line.\nThird line.\n"
    assert "\r" not in text


def test_normalise_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\n\r\n") == "a\nb\nc\n\n"


def test_other_extension_named_explicitly_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("He said it was fine.", encoding="utf-8")
    assert only_doc(read_all(path)).name == "notes"


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"They said hello.\r\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    doc = only_doc(read_all(Path("-")))
    assert (doc.name, doc.text) == ("stdin", "They said hello.\n")


# --- folders ------------------------------------------------------------------


def test_folder_walked_recursively_and_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "two.txt").write_text("Two said so.", encoding="utf-8")
    (tmp_path / "a" / "one.txt").write_text("One said so.", encoding="utf-8")
    (tmp_path / "zero.TXT").write_text("Zero said so.", encoding="utf-8")
    (tmp_path / "skip.md").write_text("not an input in a folder walk", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "secret.txt").write_text("Hidden said so.", encoding="utf-8")
    names = [d.name for d in read_all(tmp_path) if isinstance(d, SourceText)]
    assert names == ["one", "two", "zero"]


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    err = only_error(read_all(tmp_path))
    assert err.path == str(tmp_path)
    assert "no .txt" in err.problem


def test_examples_folder_reads_cleanly() -> None:
    items = read_all(EXAMPLES)
    assert not [i for i in items if isinstance(i, InputError)]
    names = [i.name for i in items if isinstance(i, SourceText)]
    assert len(names) == 7  # 3 .txt, 1 .html, 3 JSONL lines
    assert {"wire-0001", "wire-0002", "wire-0003", "cycle-lanes"} <= set(names)


# --- errors -------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    err = only_error(read_all(path))
    assert err.path == str(path)
    assert err.line is None
    assert err.problem == "no such file or folder"
    assert str(err) == f"{path}: no such file or folder"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"PK\x03\x04\x00\x00binary stuff")
    assert only_error(read_all(path)).problem == "not UTF-8 text (binary?)"


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le ministre a déclaré que ça allait.".encode("latin-1"))
    assert only_error(read_all(path)).problem.startswith("not UTF-8 text (byte 0xE9 at offset")
    assert "Windows-1252 / Latin-1" in only_error(read_all(path)).problem  # named (issue 16)


@pytest.mark.parametrize("content", [b"", b"   \n\r\n\t  ", "\ufeff".encode()])
def test_empty_document(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert only_error(read_all(path)).problem == "empty document"


def test_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_CHARS", 10)
    path = tmp_path / "big.txt"
    path.write_text("x" * 11, encoding="utf-8")
    assert only_error(read_all(path)).problem == "too large: 11 characters, limit 10"
    path.write_text("x" * 10, encoding="utf-8")
    assert only_doc(read_all(path)).text == "x" * 10


def test_too_large_by_size_is_refused_without_decoding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "MAX_CHARS", 10)
    path = tmp_path / "huge.txt"
    path.write_text("y" * 41, encoding="utf-8")
    problem = only_error(read_all(path)).problem
    assert problem.startswith("too large:") and "limit 10" in problem


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Secret said so.", encoding="utf-8")
    path.chmod(0)
    try:
        assert only_error(read_all(path)).problem == "permission denied"
    finally:
        path.chmod(0o644)


def test_read_failure_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("Secret said so.", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert only_error(read_all(path)).problem == "permission denied"


def test_errors_do_not_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Alice said hi.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "c.txt").write_text("Carol said bye.", encoding="utf-8")
    items = read_all(tmp_path / "missing.txt", tmp_path)
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["InputError", "SourceText", "InputError", "SourceText"]


def test_input_error_attributes_and_str() -> None:
    err = InputError("wire.jsonl", "invalid JSON", 3)
    assert (err.path, err.problem, err.line) == ("wire.jsonl", "invalid JSON", 3)
    assert str(err) == "wire.jsonl:3: invalid JSON"
    assert isinstance(err, Exception)


# --- JSONL --------------------------------------------------------------------


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_jsonl_documents_and_metadata(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [
        json.dumps({"id": "a1", "text": "Ann said one.", "title": "T", "outlet": "O",
                    "published": "2024-01-01", "url": "https://x.example", "author": "Au",
                    "tags": ["x"], "score": None}),
        "",
        json.dumps({"name": "second", "text": "Bob said\r\ntwo."}),
        json.dumps({"text": "Cy said three.", "id": 42}),
        json.dumps({"text": "Di said four."}),
    ])
    docs = read_all(path)
    assert all(isinstance(d, SourceText) for d in docs)
    assert [d.name for d in docs] == ["a1", "second", "42", "feed-5"]
    first = docs[0]
    assert isinstance(first, SourceText)
    assert first.metadata == {"id": "a1", "title": "T", "outlet": "O", "published": "2024-01-01",
                              "url": "https://x.example", "author": "Au"}
    assert first.origin == f"{path}:1"
    assert docs[1].text == "Bob said\ntwo."
    assert docs[3].origin == f"{path}:5"


def test_jsonl_bad_lines_report_line_numbers_and_continue(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "feed.jsonl", [
        json.dumps({"id": "ok1", "text": "Ann said one."}),
        '{"id": "broken", "text": ',
        json.dumps({"id": "notext"}),
        json.dumps({"id": "blank", "text": "   "}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "num", "text": 5}),
        json.dumps({"id": "ok2", "text": "Bob said two."}),
    ])
    items = read_all(path)
    good = [i.name for i in items if isinstance(i, SourceText)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert good == ["ok1", "ok2"]
    assert [e.line for e in errors] == [2, 3, 4, 5, 6]
    assert all(e.path == str(path) for e in errors)
    assert errors[0].problem.startswith("invalid JSON")
    assert str(errors[0]).startswith(f"{path}:2: invalid JSON")
    assert errors[1].problem == 'no "text" field'
    assert errors[2].problem == "empty document"


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b'{"text": "caf\xe9"}\n{"text": "Ann said hi."}\n')
    items = read_all(path)
    assert isinstance(items[0], InputError) and items[0].line == 1
    assert items[0].problem.startswith("not UTF-8 text (byte 0xE9")  # encoding named (issue 16)
    assert isinstance(items[1], SourceText)


def test_jsonl_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_bytes(b"\x00\x00\x00garbage")
    err = only_error(read_all(path))
    assert err.problem == "not UTF-8 text (binary?)" and err.line is None


def test_jsonl_too_large_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "MAX_CHARS", 5)
    path = write_jsonl(tmp_path / "feed.jsonl", [json.dumps({"text": "abcdefgh"})])
    err = only_error(read_all(path))
    assert (err.line, err.problem) == (1, "too large: 8 characters, limit 5")


# --- HTML ---------------------------------------------------------------------


def test_html_main_text_without_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "bridge.html"
    path.write_text(ARTICLE_HTML, encoding="utf-8")
    doc = only_doc(read_all(path))
    assert doc.name == "bridge"
    assert "Mayor Ellen Vance said" in doc.text
    assert "Critics argue" in doc.text
    for boilerplate in ("Sport section link", "Copyright", "Privacy policy"):
        assert boilerplate not in doc.text
    assert doc.metadata.get("author") == "Jo Reporter"
    assert doc.metadata.get("url") == "https://news.example.org/bridge"
    assert "Mayor opens bridge" in doc.metadata.get("title", "")
    assert doc.metadata.get("date") == "2024-05-01"


def test_html_crlf_normalised(tmp_path: Path) -> None:
    path = tmp_path / "bridge.htm"
    path.write_bytes(ARTICLE_HTML.replace("\n", "\r\n").encode())
    assert "\r" not in only_doc(read_all(path)).text


def test_html_without_main_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<html><head><title>x</title></head><body></body></html>", encoding="utf-8")
    assert "no main text" in only_error(read_all(path)).problem


def test_html_binary(tmp_path: Path) -> None:
    path = tmp_path / "fake.html"
    path.write_bytes(b"\x00\x01<html>")
    assert only_error(read_all(path)).problem == "not UTF-8 text (binary?)"


def test_html_empty(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("  \n", encoding="utf-8")
    assert only_error(read_all(path)).problem == "empty document"


def test_html_example_strips_boilerplate() -> None:
    doc = only_doc(read_all(EXAMPLES / "cycle-lanes.html"))
    assert "Okonjo told the chamber" in doc.text
    for boilerplate in ("Subscribe", "cookies", "Most read", "All rights reserved"):
        assert boilerplate not in doc.text


# --- counting -----------------------------------------------------------------


def test_count_documents(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A said.", encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", ['{"text": "x"}', "", '{"text": "y"}', "oops"])
    assert count_documents([tmp_path, tmp_path / "missing.txt"]) == 1 + 3 + 1
