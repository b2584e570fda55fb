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
  named after the file stem; a first line written as a title (see
  :func:`first_line_title`) is its ``title``.
* ``.html`` / ``.htm``: the main text as extracted by trafilatura (navigation,
  footers and comments dropped), with title/author/date/url metadata.
* ``.jsonl``: one document per line, ``{"text": ..., "id": ..., "title": ...}``.
* ``.csv``: a header row and one document per row; the ``text`` (or ``body`` or
  ``content``) column is the text, every other non-empty column is metadata
  (``title``, ``url``, ``outlet``, ``published``, ``author``, ...).
* ``.warc`` / ``.warc.gz``: web archive files (warcio); each HTML (or plain
  text) response or resource record is one document, its main text extracted
  as for ``.html``, with the record's URL and capture date as metadata.
* ``.rss`` / ``.atom`` (and ``.xml`` when named explicitly): feeds read with
  feedparser; each entry's content (or summary) is one document, with title,
  link, author, published date and the feed's title as ``outlet``.
* ``-``: standard input, read as text and named ``stdin``.

Folders are walked recursively in sorted order for the extensions above (not
``.xml``, which is too generic to assume a feed); hidden files and folders
(names starting with ``.``) are skipped.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import logging
import os
import re
import stat
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from whosaid import parse
from whosaid.wording import plural

FEED_SUFFIXES = (".rss", ".atom")
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv", ".warc", *FEED_SUFFIXES)
HTML_SUFFIXES = (".html", ".htm")
CSV_TEXT_COLUMNS = ("text", "body", "content")
SNIFF_BYTES = 8192  # NUL bytes in this prefix mark a file as binary
NOT_TEXT = "not UTF-8 text (binary?)"
BINARY = NOT_TEXT  # NUL bytes: the message scripts and users already know


class _Stderr(logging.Handler):
    """Warnings to whatever ``sys.stderr`` is now (the CLI's, a test runner's), always:
    a replaced character must never pass unreported because logging is unconfigured."""

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr)


LOG = logging.getLogger("whosaid.ingest")
if not LOG.handlers:
    LOG.addHandler(_Stderr())
    LOG.propagate = False
BOMS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\xef\xbb\xbf", "utf-8-sig"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"))
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
    if "\x00" in text:
        return InputError(path, "contains NUL characters (binary data?)", line)
    return None


def clean_text(text: str, where: str) -> str:
    """Apply the invalid-code-point rule (lone surrogates -> U+FFFD), warning with ``where``."""
    bad = parse.invalid_code_points(text)
    if not bad:
        return text
    LOG.warning("%s: warning: %s (%s) replaced by U+FFFD", where,
                plural(bad, "invalid code point"),
                "lone surrogate" if bad == 1 else "lone surrogates")
    return parse.valid_text(text)


def _decode(data: bytes) -> str | None:
    """Text by BOM (UTF-8/16/32, dropped) or as UTF-8; None for binary / other encodings."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec).removeprefix("\ufeff")
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def not_text(data: bytes) -> str:
    """Why ``data`` is not read as text, naming the encoding it seems to be in."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return f"not valid {codec.removesuffix('-sig').upper()} despite its byte-order mark"
    if b"\x00" in data:
        return BINARY
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        where = f"byte 0x{data[exc.start]:02X} at offset {exc.start}"
    else:  # pragma: no cover - _decode would have accepted it
        return NOT_TEXT
    return f"not UTF-8 text ({where}; {_guess_encoding(data)}): convert it to UTF-8"


def _guess_encoding(data: bytes) -> str:
    """A name for an 8-bit encoding: the message tells the user what to convert from."""
    try:
        bytes(b for b in data if b >= 0x80).decode("cp1252")
    except UnicodeDecodeError:
        return "an unknown 8-bit encoding, e.g. ISO-8859-x or a legacy code page"
    return "looks like Windows-1252 / Latin-1"


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (too many levels of symbolic links)"
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
            continue
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            yield InputError(str(path), _os_problem(exc))
            continue
        if stat.S_ISDIR(mode):
            found, problems = _walk(path)
            yield from problems
            if not found and not problems:
                yield InputError(
                    str(path),
                    "no .txt, .html, .htm, .jsonl, .csv, .warc, .rss or .atom files in folder",
                )
            yield from found
        elif stat.S_ISREG(mode):
            yield path
        else:
            yield InputError(str(path), _special(mode))


def _special(mode: int) -> str:
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else
            "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else
            "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    return f"{kind}: not read (only regular files are)"


def _walk(folder: Path) -> tuple[list[Path | InputError], list[InputError]]:
    """Input files under ``folder`` sorted by path (paths only: cheap to hold).

    Files that are not regular (FIFOs, devices, sockets, broken or looping
    links) come back as errors in their sorted place, without being opened;
    subfolders that cannot be listed come back as errors in the second list.
    """
    found: list[tuple[Path, Path | InputError]] = []
    problems: list[InputError] = []

    def unreadable(exc: OSError) -> None:
        problems.append(InputError(exc.filename or str(folder),
                                   f"folder not read: {_os_problem(exc)}"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or _kind(Path(name)) not in SUFFIXES:
                continue
            path = Path(root) / name
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                found.append((path, InputError(str(path), _os_problem(exc))))
                continue
            found.append((path, path if stat.S_ISREG(mode)
                          else InputError(str(path), _special(mode))))
    found.sort(key=lambda pair: pair[0])
    return [item for _p, item in found], problems


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
    suffix = _kind(path)
    try:
        if suffix == ".jsonl":
            with _open(path) as fh:
                yield from _read_jsonl(fh, path)
            return
        if suffix == ".csv":
            with _open(path) as fh:
                yield from _read_csv(fh, path)
            return
        if suffix == ".warc":
            with _open(path) as fh:
                yield from _read_warc(fh, path)
            return
        if suffix in (*FEED_SUFFIXES, ".xml"):
            with _open(path) as fh:
                data = fh.read()
            yield from _read_feed(data, path)
            return
        # UTF-8 needs at most 4 bytes per character: too large without reading it.
        # HTML gets more room for markup, but is still refused before parsing: a
        # 20 MB page otherwise costs trafilatura half a minute and a gigabyte.
        room = HTML_BYTES_PER_CHAR if suffix in HTML_SUFFIXES else 4
        with _open(path) as fh:  # a regular file (a FIFO would block the read)
            size = os.fstat(fh.fileno()).st_size
            if size > room * _limit():
                yield InputError(str(path), _too_large_bytes(size))
                return
            data = path.read_bytes()
    except NotRegular as exc:
        yield InputError(str(path), str(exc))
        return
    except OSError as exc:
        yield InputError(str(path), _os_problem(exc))
        return
    if suffix in HTML_SUFFIXES:
        yield _read_html(data, path)
    else:
        yield _read_text_bytes(data, str(path), path.stem)


HTML_BYTES_PER_CHAR = 8  # an HTML file may be this many bytes per character of text


class NotRegular(OSError):
    """A FIFO, device or socket where a file was expected: never read from."""


def _open(path: Path) -> BinaryIO:
    """Open a regular file for reading; a FIFO or device raises NotRegular instead of
    blocking (O_NONBLOCK for the open, then fstat before any read)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(_special(mode))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _kind(path: Path) -> str:
    """The reader-selecting suffix: ``.warc.gz`` counts as ``.warc``."""
    name = path.name.lower()
    if name.endswith((".warc.gz", ".warc")):
        return ".warc"
    return path.suffix.lower()


def _too_large_bytes(size: int) -> str:
    return f"too large: {size} bytes, limit {_limit()} characters"


TITLE_MAX_WORDS = 20  # a longer first line is a paragraph, not a title
_SENTENCE_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")


def first_line_title(text: str) -> str | None:
    """The title of a plain text, when its first line is written as one.

    Plain text has no markup, so the one signal is layout: a first line of at
    most 20 words that stands alone (a blank line follows) and does not end as
    a sentence does. A one-line lede ends with a full stop, so it stays text.
    The line stays in the text too: offsets never move.
    """
    first, blank, rest = text.lstrip().partition("\n\n")
    line = first.strip()
    if not blank or not rest.strip() or "\n" in line or not line:
        return None
    if len(line.split()) > TITLE_MAX_WORDS or _SENTENCE_END.search(line):
        return None
    return line


def _read_text_bytes(data: bytes, origin: str, name: str) -> SourceText | InputError:
    text = _decode(data)
    if text is None:
        return InputError(origin, not_text(data))
    text = clean_text(normalise_newlines(text), origin)
    title = first_line_title(text)
    meta = {"title": title} if title else {}
    return _check_text(text, origin) or SourceText(name, text, meta, origin)


def _read_html(data: bytes, path: Path, origin: str | None = None,
               name: str | None = None) -> SourceText | InputError:
    """Main text via trafilatura; boilerplate (nav, footer, comments) is dropped."""
    import trafilatura

    origin = origin or str(path)
    if b"\x00" in data and not any(data.startswith(bom) for bom, _ in BOMS):
        return InputError(origin, BINARY)
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
    text = clean_text(normalise_newlines(extracted), origin)
    if len(text) > _limit():
        return InputError(origin, _too_large(len(text)))
    meta = {k: parse.valid_text(v) for k, v in _html_metadata(html).items()}
    return SourceText(name or path.stem, text, meta, origin)


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
        yield InputError(origin, BINARY)
        return
    fh.seek(0)
    for lineno, raw in enumerate(fh, 1):
        if b"\x00" in raw:
            yield InputError(origin, BINARY, lineno)
            continue
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            yield InputError(origin, not_text(raw), lineno)
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
    where = f"{origin}:{lineno}"
    text = clean_text(normalise_newlines(text.removeprefix("\ufeff")), where)
    error = _check_text(text, origin, lineno)
    if error is not None:
        return error
    metadata = _valid_metadata(_scalar_metadata(record, "text"), where)
    name = metadata.get("id") or metadata.get("name") or f"{path.stem}-{lineno}"
    return SourceText(name, text, metadata, where)


def _valid_metadata(metadata: dict[str, str], where: str) -> dict[str, str]:
    """Metadata keys and values under the same invalid-code-point rule as the text."""
    if not any(parse.invalid_code_points(k + v) for k, v in metadata.items()):
        return metadata
    LOG.warning("%s: warning: invalid code points (lone surrogates) in the metadata "
                "replaced by U+FFFD", where)
    return {parse.valid_text(k): parse.valid_text(v) for k, v in metadata.items()}


def _scalar_metadata(record: dict[str, object], skip: str,
                     drop_empty: bool = False) -> dict[str, str]:
    """String, number fields as metadata (not the text itself, nor nested values)."""
    return {
        key: str(value)
        for key, value in record.items()
        if key != skip and isinstance(value, str | int | float) and not isinstance(value, bool)
        and not (drop_empty and str(value).strip() == "")
    }


def _read_csv(fh: BinaryIO, path: Path) -> Iterator[SourceText | InputError]:
    """One document per row; a bad row is reported and skipped, the others read."""
    origin = str(path)
    head = fh.read(SNIFF_BYTES)
    if b"\x00" in head:
        yield InputError(origin, BINARY)
        return
    fh.seek(0)
    # invalid UTF-8 bytes become U+DC80-U+DCFF (surrogateescape), so a bad row is
    # reported and the reader stays in step; a field over the character limit is
    # read whole (up to CSV_FIELD_MAX) and refused by _check_text, the rows after it kept
    stream = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="surrogateescape", newline="")
    csv.field_size_limit(max(_limit() * 32, CSV_FIELD_MAX))
    reader = csv.DictReader(stream)
    try:
        header = reader.fieldnames
    except (UnicodeDecodeError, csv.Error) as exc:
        yield InputError(origin, f"could not read the CSV header ({exc})")
        return
    column = next((c for c in CSV_TEXT_COLUMNS if header and c in header), None)
    if column is None:
        yield InputError(origin, "no text column (expected one named text, body or content)")
        return
    while True:
        lineno = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            # only a field over CSV_FIELD_MAX gets here: the reader resumes at the next line
            yield InputError(origin, f"unreadable row ({exc})", lineno)
            continue
        if None in row:  # more fields than the header names
            yield InputError(origin, "more fields than columns in the header", lineno)
            continue
        if any(_ESCAPED.search(v) for v in row.values() if isinstance(v, str)):
            yield InputError(origin, "not UTF-8 text (invalid bytes in this row)", lineno)
            continue
        text = normalise_newlines((row.get(column) or "").removeprefix("\ufeff"))
        error = _check_text(text, origin, lineno)
        if error is not None:
            yield error
            continue
        metadata = _scalar_metadata(dict(row), column, drop_empty=True)
        name = metadata.get("id") or metadata.get("name") or f"{path.stem}-{lineno}"
        yield SourceText(name, text, metadata, f"{origin}:{lineno}")


CSV_FIELD_MAX = 64 << 20  # characters; a longer field cannot be read in step
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes surrogateescape could not decode


def _read_warc(fh: BinaryIO, path: Path) -> Iterator[SourceText | InputError]:
    """HTML and plain-text responses/resources of a WARC file, one document each."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    origin = str(path)
    found = 0
    try:
        for n, record in enumerate(ArchiveIterator(fh), 1):
            if record.rec_type not in ("response", "resource"):
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{origin}#{n}"
            if record.rec_type == "response" and record.http_headers is not None:
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            ctype = ctype.lower()
            if "html" not in ctype and not ctype.startswith("text/plain"):
                continue
            data = record.content_stream().read()
            found += 1
            name = uri or f"{path.name}-{n}"
            item: SourceText | InputError
            if "html" in ctype:
                item = _read_html(data, path, origin=where, name=name)
            else:
                item = _read_text_bytes(data, where, name)
            if isinstance(item, SourceText):
                meta = {"url": uri} if uri else {}
                captured = record.rec_headers.get_header("WARC-Date")
                if captured:
                    meta["captured"] = captured
                item.metadata = {**meta, **item.metadata}
            yield item
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        yield InputError(origin, f"not a readable WARC file ({exc})")
        return
    if not found:
        yield InputError(origin, "no HTML or text records in the WARC file")


def _entry_date(entry: dict[str, object]) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return time.strftime("%Y-%m-%dT%H:%M:%SZ", value)
    return None


def _html_to_text(html: str) -> str:
    """Visible text of an HTML fragment (feed content), one line per block."""
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # malformed markup: fall back to the raw string
        return html
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for block in root.iter("p", "div", "li", "h1", "h2", "h3", "h4", "blockquote"):
        block.tail = "\n\n" + (block.tail or "")
    lines = [" ".join(line.split()) for line in root.text_content().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _read_feed(data: bytes, path: Path) -> Iterator[SourceText | InputError]:
    """RSS/Atom entries as documents; a feed with no usable entries is an error."""
    import feedparser

    origin = str(path)
    if b"\x00" in data[:SNIFF_BYTES]:
        yield InputError(origin, BINARY)
        return
    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        yield InputError(origin, f"not an RSS or Atom feed with entries{reason}")
        return
    outlet = str(feed.feed.get("title") or "").strip()
    for n, entry in enumerate(feed.entries, 1):
        where = f"{origin}#{n}"
        body = ""
        if entry.get("content"):
            body = str(entry.content[0].get("value") or "")
        body = body or str(entry.get("summary") or "")
        text = normalise_newlines(_html_to_text(body) if "<" in body else body)
        text = clean_text(text, where)
        error = _check_text(text, origin, n)
        if error is not None:
            yield error
            continue
        meta = {"title": entry.get("title"), "url": entry.get("link"),
                "author": entry.get("author"), "published": _entry_date(entry),
                "outlet": outlet, "id": entry.get("id")}
        metadata = {k: str(v).strip() for k, v in meta.items() if v and str(v).strip()}
        name = metadata.get("url") or metadata.get("id") or f"{path.stem}-{n}"
        yield SourceText(name, text, metadata, where)


def count_documents(paths: Iterable[Path]) -> int:
    """A cheap estimate of the documents in ``paths`` (for a progress bar total).

    JSONL and CSV lines are counted without being parsed; every error, WARC and
    feed file counts as one (callers let the total grow when it is exceeded).
    """
    total = 0
    for item in iter_files(paths):
        if isinstance(item, Path) and _kind(item) == ".csv":
            try:
                with item.open("rb") as fh:
                    total += max(1, sum(1 for raw in fh if raw.strip()) - 1)
            except OSError:
                total += 1
        elif isinstance(item, Path) and item.suffix.lower() == ".jsonl":
            try:
                with item.open("rb") as fh:
                    total += max(1, sum(1 for raw in fh if raw.strip()))
            except OSError:
                total += 1
        else:
            total += 1
    return total
