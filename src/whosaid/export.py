"""Write query results (lists of flat dicts) as CSV, JSON, JSONL or Parquet.

Pure formatting with no database imports: every corpus query returns rows of
scalars (lists are joined with ``; `` for CSV, kept as lists elsewhere), so one
writer serves ``speakers``, ``said``, ``search`` and ``duplicates``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

EXPORT_SUFFIXES = (".csv", ".json", ".jsonl", ".parquet")


def _columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        cols.extend(k for k in row if k not in cols)
    return cols


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """``value`` as a CSV cell a spreadsheet will not run as a formula.

    Article text is untrusted, and Excel or LibreOffice evaluate a cell that
    starts with ``= + - @`` (or a tab or carriage return before one): such a
    text cell gets a leading apostrophe, which spreadsheets show as text.
    Numbers stay numbers (a negative count is not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return csv_safe(value)


def write_csv(rows: Sequence[dict[str, Any]], stream: TextIO,
              columns: Sequence[str] | None = None) -> None:
    cols = list(columns or _columns(rows))
    writer = csv.writer(stream)
    writer.writerow(cols)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in cols])


def write_jsonl(rows: Sequence[dict[str, Any]], stream: TextIO) -> None:
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")


def write_json(rows: Sequence[dict[str, Any]], stream: TextIO) -> None:
    stream.write(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str) + "\n")


def write_parquet(rows: Sequence[dict[str, Any]], path: Path,
                  columns: Sequence[str] | None = None) -> None:
    """Columns typed by pyarrow from the values; an empty result keeps its column names."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = list(columns or _columns(rows))
    if rows:
        table = pa.Table.from_pylist([{c: row.get(c) for c in cols} for row in rows])
    else:
        table = pa.table({c: pa.array([], type=pa.string()) for c in cols})
    pq.write_table(table, path)


def export(rows: Sequence[dict[str, Any]], path: Path,
           columns: Sequence[str] | None = None) -> None:
    """Write ``rows`` to ``path`` in the format its suffix names."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        write_parquet(rows, path, columns)
        return
    if suffix not in EXPORT_SUFFIXES:
        raise ValueError(f"{path}: unknown export format; use one of "
                         f"{', '.join(EXPORT_SUFFIXES)}")
    with path.open("w", encoding="utf-8", newline="") as fh:
        if suffix == ".csv":
            write_csv(rows, fh, columns)
        elif suffix == ".jsonl":
            write_jsonl(rows, fh)
        else:
            write_json(rows, fh)
