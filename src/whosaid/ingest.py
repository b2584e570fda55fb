"""Ingest: turn files and folders into texts, reporting bad inputs instead of dying.

A batch job over thousands of articles should not stop at the first binary file
or broken JSON line, so :func:`read_inputs` *yields* an :class:`InputError` for
each bad input and carries on with the rest.

Line endings are normalised (``\\r\\n`` and ``\\r`` become ``\\n``) and a UTF-8
byte-order mark is dropped before anything else sees the text, so every offset
in a :class:`whosaid.model.Document` refers to the *normalised* text, which is
also the ``text`` stored in the document.

Supported inputs:

* ``.txt`` (and any explicitly named file with another extension): UTF-8 text,
  named after the file stem.
* ``.html`` / ``.htm``: the main text as extracted by trafilatura (navigation,
  footers and comments dropped), with title/author/date/url metadata.
* ``.jsonl``: one document per line, ``{"text": ..., "id": ..., "title": ...}``.
* ``-``: standard input, read as text and named ``stdin``.

Folders are walked recursively in sorted order for the four extensions above;
hidden files and folders (names starting with ``.``) are skipped.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from whosaid import parse

SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")
SNIFF_BYTES = 8192  # NUL bytes in this prefix mark a file as binary
NOT_TEXT = "not UTF-8 text (binary?)"
EMPTY = "empty document"
STDIN = "-"


@dataclass
class SourceText:
    """One input document, ready for :func:`whosaid.pipeline.extract_many`."""

    name: str
    text: str  # normalised: "\n" line endings, no BOM
    metadata: dict[str, str] = field(default_factory=dict)
    origin: str = ""  # "path" or "path:line" (JSONL), for error messages and provenance


class InputError(Exception):
    """An input that could not be read; yielded, not raised, by :func:`read_inputs`."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        super().__init__(path, problem, line)
        self.path = path
        self.problem = problem
        self.line = line

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.problem}"


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and lone ``\\r`` become ``\\n``; offsets refer to the result."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _limit() -> int:
    # read at call time so the limit can be changed (and monkeypatched in tests)
    return parse.MAX_CHARS


def _too_large(n: int) -> str:
    return f"too large: {n} characters, limit {_limit()}"


def _check_text(text: str, path: str, line: int | None = None) -> InputError | None:
    """The checks every document goes through, whatever its format."""
    if not text.strip():
        return InputError(path, EMPTY, line)
    if len(text) > _limit():
        return InputError(path, _too_large(len(text)), line)
    return None


def _decode(data: bytes) -> str | None:
    """UTF-8 (BOM tolerated and dropped), or None for binary / other encodings."""
    if b"\x00" in data[:SNIFF_BYTES]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a folder"
    return exc.strerror or str(exc)


def iter_files(paths: Iterable[Path]) -> Iterator[Path | InputError]:
    """Expand folders (recursively, sorted) and check that named paths exist."""
    for path in paths:
        if str(path) == STDIN:
            yield path
        elif path.is_dir():
            found = _walk(path)
            if not found:
                yield InputError(str(path), "no .txt, .html, .htm or .jsonl files in folder")
            yield from found
        elif path.is_file():
            yield path
        elif path.exists():
            yield InputError(str(path), "not a regular file or folder")
        else:
            yield InputError(str(path), "no such file or folder")


def _walk(folder: Path) -> list[Path]:
    """Input files under ``folder`` sorted by path (paths only: cheap to hold)."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(
            Path(root) / name
            for name in files
            if not name.startswith(".") and Path(name).suffix.lower() in SUFFIXES
        )
    return sorted(found)


def read_inputs(paths: Iterable[Path]) -> Iterator[SourceText | InputError]:
    """Every document in ``paths``, in order; bad inputs come back as InputError."""
    for item in iter_files(paths):
        if isinstance(item, InputError):
            yield item
        else:
            yield from read_file(item)


def read_file(path: Path) -> Iterator[SourceText | InputError]:
    """The document(s) in one file, chosen by extension (JSONL gives several)."""
    if str(path) == STDIN:
        yield _read_text_bytes(sys.stdin.buffer.read(), STDIN, "stdin")
        return
    suffix = path.suffix.lower()
    try:
        if suffix == ".jsonl":
            with path.open("rb") as fh:
                yield from _read_jsonl(fh, path)
            return
        if suffix not in HTML_SUFFIXES and path.stat().st_size > 4 * _limit():
            # UTF-8 needs at most 4 bytes per character: too large without reading it
            yield InputError(str(path), _too_large_bytes(path.stat().st_size))
            return
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), _os_problem(exc))
        return
    if suffix in HTML_SUFFIXES:
        yield _read_html(data, path)
    else:
        yield _read_text_bytes(data, str(path), path.stem)


def _too_large_bytes(size: int) -> str:
    return f"too large: {size} bytes, limit {_limit()} characters"


def _read_text_bytes(data: bytes, origin: str, name: str) -> SourceText | InputError:
    text = _decode(data)
    if text is None:
        return InputError(origin, NOT_TEXT)
    text = normalise_newlines(text)
    return _check_text(text, origin) or SourceText(name, text, {}, origin)


def _read_html(data: bytes, path: Path) -> SourceText | InputError:
    """Main text via trafilatura; boilerplate (nav, footer, comments) is dropped."""
    import trafilatura

    origin = str(path)
    if b"\x00" in data[:SNIFF_BYTES]:
        return InputError(origin, NOT_TEXT)
    decoded = _decode(data)
    # legacy charsets (windows-1252, ...) are common in HTML: let trafilatura
    # detect the encoding from the bytes when they are not UTF-8
    html: str | bytes = decoded if decoded is not None else data
    if decoded is not None and not decoded.strip():
        return InputError(origin, EMPTY)
    try:
        extracted = trafilatura.extract(
            html, include_comments=False, include_tables=False, favor_recall=True
        )
    except Exception as exc:  # trafilatura/lxml raise many types on malformed input
        return InputError(origin, f"could not parse HTML ({exc})")
    if not extracted or not extracted.strip():
        return InputError(origin, "no main text could be extracted from the HTML")
    text = normalise_newlines(extracted)
    if len(text) > _limit():
        return InputError(origin, _too_large(len(text)))
    return SourceText(path.stem, text, _html_metadata(html), origin)


def _html_metadata(html: str | bytes) -> dict[str, str]:
    """Title, author, date and URL when the page declares them; {} otherwise."""
    import trafilatura

    try:
        meta = trafilatura.extract_metadata(html)
    except Exception:  # metadata is a nicety: never fail the document for it
        return {}
    out: dict[str, str] = {}
    for key in ("title", "author", "date", "url"):
        value = getattr(meta, key, None) if meta is not None else None
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    return out


def _read_jsonl(fh: BinaryIO, path: Path) -> Iterator[SourceText | InputError]:
    """One document per non-blank line; a bad line is reported and skipped."""
    origin = str(path)
    if b"\x00" in fh.read(SNIFF_BYTES):
        yield InputError(origin, NOT_TEXT)
        return
    fh.seek(0)
    for lineno, raw in enumerate(fh, 1):
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            yield InputError(origin, NOT_TEXT, lineno)
            continue
        if not line.strip():
            continue
        yield _jsonl_record(line, path, lineno)


def _jsonl_record(line: str, path: Path, lineno: int) -> SourceText | InputError:
    origin = str(path)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(origin, f"invalid JSON: {exc.msg} (column {exc.colno})", lineno)
    if not isinstance(record, dict):
        return InputError(origin, "expected a JSON object with a \"text\" field", lineno)
    text = record.get("text")
    if text is None:
        return InputError(origin, "no \"text\" field", lineno)
    if not isinstance(text, str):
        return InputError(origin, "\"text\" is not a string", lineno)
    text = normalise_newlines(text.removeprefix("\ufeff"))
    error = _check_text(text, origin, lineno)
    if error is not None:
        return error
    metadata = {
        key: str(value)
        for key, value in record.items()
        if key != "text" and isinstance(value, str | int | float) and not isinstance(value, bool)
    }
    name = metadata.get("id") or metadata.get("name") or f"{path.stem}-{lineno}"
    return SourceText(name, text, metadata, f"{origin}:{lineno}")


def count_documents(paths: Iterable[Path]) -> int:
    """A cheap upper bound on the documents in ``paths`` (for a progress bar total).

    JSONL lines are counted without being parsed; every error counts as one.
    """
    total = 0
    for item in iter_files(paths):
        if isinstance(item, Path) and item.suffix.lower() == ".jsonl":
            try:
                with item.open("rb") as fh:
                    total += max(1, sum(1 for raw in fh if raw.strip()))
            except OSError:
                total += 1
        else:
            total += 1
    return total
