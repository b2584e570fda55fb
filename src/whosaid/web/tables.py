"""The table views: ``/documents``, ``/speakers`` and ``/statements``, Datasette-style.

Every column sorts (``sort``, ``order``), every view filters by the same query
parameters (``outlet``, ``speaker``, ``kind``, ``gender``, ``specificity``,
``type``, ``from``, ``to``, ``q``) and pages (``page``), so a view's whole
state is its URL: the dashboard links here, and a view can be shared. The same
URL with ``format=csv`` or ``format=json`` downloads every matching row (not
just the page), in the same order. CSV cells that a spreadsheet would run as a
formula are neutralised (:func:`whosaid.export.csv_safe`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from whosaid.export import csv_safe
from whosaid.model import AttributionType, Gender, SpeakerKind, Specificity
from whosaid.store import CorpusError
from whosaid.store.browse import TableFilters, stored_columns, table_sorts
from whosaid.web.api import current_speaker
from whosaid.web.dashboard import watch
from whosaid.web.state import PAGE_SIZE, state

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=500)]
FILTERS = ("outlet", "speaker", "kind", "gender", "specificity", "type", "from", "to", "q",
           "document")
CHOICES = {"kind": [k.value for k in SpeakerKind], "gender": [g.value for g in Gender],
           "specificity": [s.value for s in Specificity],
           "type": [t.value for t in AttributionType]}


@dataclass(frozen=True)
class Column:
    key: str  # the row field and the sort key
    label: str
    num: bool = False
    css: str = ""  # "opt" / "wide": hidden at phone width


@dataclass(frozen=True)
class View:
    name: str
    title: str
    columns: tuple[Column, ...]
    sort: str  # default sort and order
    order: str
    filters: tuple[str, ...]  # which filters the form offers (all are accepted)
    export: tuple[str, ...]  # columns of the CSV/JSON download, in order


VIEWS = {
    "documents": View(
        "documents", "Documents",
        (Column("title", "document"), Column("outlet", "outlet"),
         Column("author", "author", css="opt"), Column("published", "published"),
         Column("attributions", "statements", num=True),
         Column("speakers", "speakers", num=True, css="opt")),
        "published", "desc",
        ("q", "outlet", "from", "to", "kind", "gender", "type", "specificity"),
        ("id", "title", "name", "outlet", "author", "published", "url", "attributions",
         "speakers", "ingested_at")),
    "speakers": View(
        "speakers", "Speakers",
        (Column("name", "speaker"), Column("kind", "kind"), Column("gender", "gender"),
         Column("count", "statements", num=True), Column("documents", "documents", num=True),
         Column("first", "first", css="opt"), Column("last", "last", css="opt")),
        "count", "desc",
        ("q", "kind", "gender", "outlet", "from", "to", "type", "specificity"),
        ("id", "name", "kind", "gender", "count", "documents", "first", "last", "aliases",
         "titles", "roles")),
    "statements": View(
        "statements", "Statements",
        (Column("published", "published"), Column("outlet", "outlet", css="opt"),
         Column("speaker", "speaker"), Column("kind", "kind", css="opt"),
         Column("gender", "gender", css="opt"), Column("cue", "cue", css="opt"),
         Column("content", "content"), Column("type", "type"),
         Column("specificity", "specificity", css="opt"),
         Column("document", "document", css="opt"),
         Column("confidence", "conf.", num=True, css="opt")),
        "published", "desc",
        ("q", "outlet", "from", "to", "kind", "gender", "type", "specificity"),
        ("attribution_id", "published", "outlet", "document_id", "document", "title", "url",
         "speaker_id", "speaker", "kind", "gender", "source", "cue", "content", "type",
         "specificity", "confidence", "corrected")),
}


@dataclass
class TableState:
    """One table request: its filters, sort, order and page, all from the URL."""

    filters: TableFilters
    sort: str
    order: str
    page: int


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _int(name: str, value: str | None) -> int | None:
    value = _text(value)
    if value is None:
        return None
    if not value.isdigit():
        raise HTTPException(422, f"{name}: give a number (an id), not {value!r}")
    return int(value)


def _date(name: str, value: str | None) -> str | None:
    value = _text(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: give an ISO date (YYYY-MM-DD), not {value!r}"
                            ) from None


def _choice(name: str, value: str | None) -> str | None:
    value = _text(value)
    if value is not None and value not in CHOICES[name]:
        raise HTTPException(422, f"{name}: choose one of {', '.join(CHOICES[name])}")
    return value


def table_state(view: View, outlet: list[str], speaker: str | None, kind: str | None,
                gender: str | None, specificity: str | None, type_: str | None,
                date_from: str | None, date_to: str | None, q: str | None,
                document: str | None, sort: str | None, order: str | None,
                page: str | None) -> TableState:
    """Read and check the parameters; empty ones (as a GET form sends them) are unset.

    ``outlet`` may be given several times (the dashboard links to the statements of
    the outlets it compares): one outlet or any of several.
    """
    picked = tuple(dict.fromkeys(o for o in (_text(v) for v in outlet) if o))
    f = TableFilters(outlet=picked[0] if len(picked) == 1 else None,
                     outlets=picked if len(picked) > 1 else (),
                     speaker=_int("speaker", speaker),
                     kind=_choice("kind", kind), gender=_choice("gender", gender),
                     specificity=_choice("specificity", specificity),
                     type=_choice("type", type_), date_from=_date("from", date_from),
                     date_to=_date("to", date_to), q=_text(q),
                     document=_int("document", document))
    sort = _text(sort) or view.sort
    sorts = table_sorts(view.name)
    if sort not in sorts:
        raise HTTPException(422, f"sort: choose one of {', '.join(sorts)}")
    order = _text(order) or (view.order if sort == view.sort else "asc")
    if order not in ("asc", "desc"):
        raise HTTPException(422, "order: asc or desc")
    n = _int("page", page)
    n = 1 if n is None else n
    if n < 1 or n > 100_000:
        raise HTTPException(422, "page: 1 to 100000")
    return TableState(f, sort, order, n)


def _url(request: Request, drop: tuple[str, str] | None = None, **change: str | None) -> str:
    """This view's URL with some parameters changed (None drops one) or one ``(name,
    value)`` pair dropped; empty ones dropped, repeated ones (outlets) kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if v and (k, v) != drop]
    for key, value in change.items():
        key = key.rstrip("_")
        params = [(k, v) for k, v in params if k != key]
        if value is not None:
            params.append((key, value))
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def _render(request: Request, view: View, ts: TableState, fmt: str | None) -> Response:
    corpus = state(request).corpus
    query = {"documents": corpus.table_documents, "speakers": corpus.table_speakers,
             "statements": corpus.table_statements}[view.name]
    if fmt in ("csv", "json"):
        return _download(request, view, ts, fmt)
    if fmt not in (None, "", "html"):
        raise HTTPException(422, "format: html, csv or json")
    watch(corpus)  # its counts and sorted lists are recomputed after a change
    try:
        rows, total = query(ts.filters, sort=ts.sort, order=ts.order, limit=PAGE_SIZE,
                            offset=(ts.page - 1) * PAGE_SIZE)
    except CorpusError as exc:
        raise HTTPException(422, str(exc)) from None
    stored = stored_columns()
    columns = [c for c in view.columns if stored.get(c.key, True)]
    pages = max(1, math.ceil(total / PAGE_SIZE))
    heads = []
    for col in columns:
        active = col.key == ts.sort
        flip = "asc" if active and ts.order == "desc" else "desc"
        if not active:
            flip = "desc" if col.num or col.key in ("published", "first", "last") else "asc"
        heads.append({"col": col, "active": active, "order": ts.order if active else None,
                      "href": _url(request, sort=col.key, order=flip, page=None)})
    filters = {k: request.query_params.get(k, "") for k in FILTERS}
    if len(ts.filters.outlets) > 1:
        filters["outlet"] = ""  # several: the chips show them, the form offers one
    # a chip per filter (per outlet when there are several) that removes it
    active_filters = [(k, v, _url(request, drop=(k, v), page=None))
                      for k, v in request.query_params.multi_items()
                      if k in FILTERS and v.strip()]
    speaker_name = None
    if ts.filters.speaker is not None:
        speaker_name = corpus.speaker_name(ts.filters.speaker)
    web = state(request)
    return web.templates.TemplateResponse(request, f"{view.name}.html", {
        "view": view, "rows": rows, "total": total, "heads": heads, "filters": filters,
        "active_filters": active_filters, "speaker_name": speaker_name,
        "outlets": corpus.outlets(), "choices": {k: v for k, v in CHOICES.items()
                                                 if stored.get(k, True)},
        "sort": ts.sort, "order": ts.order, "writable": bool(web.token),
        "csv_url": _url(request, format="csv", page=None),
        "json_url": _url(request, format="json", page=None),
        "pager": {"page": ts.page, "pages": pages, "total": total,
                  "prev": _url(request, page=str(ts.page - 1)) if ts.page > 1 else None,
                  "next": _url(request, page=str(ts.page + 1)) if ts.page < pages else None},
        "statements_url": lambda **kw: _statements_url(request, **kw),
    })


def _statements_url(request: Request, **kw: Any) -> str:
    """The statements behind a row: this view's statement filters plus ``kw``."""
    keep = ("outlet", "kind", "gender", "specificity", "type", "from", "to")
    own = {k: str(v) for k, v in kw.items() if v is not None}
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k in keep and v and k not in own]
    params += list(own.items())
    return "/statements?" + urlencode(params)


def _download(request: Request, view: View, ts: TableState, fmt: str) -> Response:
    corpus = state(request).corpus
    stored = stored_columns()
    columns = [c for c in view.export if stored.get(c, True)]
    try:  # build the query now, so a bad filter is a 422 and not a broken download
        rows = corpus.table_rows(view.name, ts.filters, sort=ts.sort, order=ts.order)
        first = next(rows, None)
    except CorpusError as exc:
        raise HTTPException(422, str(exc)) from None

    def all_rows() -> Iterator[dict[str, Any]]:
        if first is not None:
            yield first
            yield from rows

    body = _csv(all_rows(), columns) if fmt == "csv" else _json(all_rows(), columns)
    media = "text/csv" if fmt == "csv" else "application/json"
    return StreamingResponse(body, media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="whosaid-{view.name}.{fmt}"'})


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return csv_safe(value)


def _csv(rows: Iterator[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(columns)
    for n, row in enumerate(rows, 1):
        writer.writerow([_cell(row.get(c)) for c in columns])
        if n % 500 == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _json(rows: Iterator[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    yield "["
    for n, row in enumerate(rows):
        item = {c: row.get(c) for c in columns}
        yield ("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False, default=str)
    yield "\n]\n"


# --- routes ----------------------------------------------------------------------------
# The parameters are read as text so an empty form field means "no filter"; each is
# checked in table_state, with a 422 that names it.


def _speaker_id(request: Request, value: str | None) -> str | None:
    """A speaker filter given by name ("?speaker=Grace Whitlow") as its id; the store's
    refusal (no such speaker, or a name several share, with their ids) is the 422. An
    id merged into another speaker is that one's (a dashboard link kept from before the
    merge); one whose documents were deleted is 410."""
    value = _text(value)
    if value is None:
        return value
    if value.isdigit():
        return str(current_speaker(state(request).corpus, int(value)))
    try:
        return str(state(request).corpus.find_speaker(value).id)
    except CorpusError as exc:
        raise HTTPException(422, f"speaker: give a number (an id) or a speaker's name; "
                                 f"{exc}") from None


def _table_route(name: str) -> None:
    """Register ``/{name}``: the three tables take the same parameters and differ only
    in their view (columns, sorts, query)."""
    view = VIEWS[name]

    def route(request: Request, outlet: Text | None = None, speaker: Text | None = None,
              kind: Text | None = None, gender: Text | None = None,
              specificity: Text | None = None, type: Text | None = None,
              date_from: Annotated[str | None, Query(alias="from", max_length=20)] = None,
              date_to: Annotated[str | None, Query(alias="to", max_length=20)] = None,
              q: Text | None = None, document: Text | None = None,
              sort: Text | None = None, order: Text | None = None,
              page: Text | None = None, format: Text | None = None) -> Response:
        # ``outlet`` may repeat (any of several); the declared parameter documents it
        speaker = _speaker_id(request, speaker)
        ts = table_state(view, request.query_params.getlist("outlet"), speaker, kind, gender,
                         specificity, type, date_from, date_to, q, document, sort, order, page)
        return _render(request, view, ts, format)

    router.add_api_route(f"/{name}", route, methods=["GET"], name=f"{name}_table")


for _name in ("documents", "speakers", "statements"):
    _table_route(_name)
