"""Server-rendered HTML pages: analyse, documents, speakers, search, sourcing, citation audit.

Every value from an article or its metadata reaches the page through Jinja's
autoescape or ``markupsafe.escape`` (charts); forms that write carry the token
as a field, so a cross-site form cannot write without knowing it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile as FormFile

from whosaid.model import AttributionType, Document
from whosaid.store import CorpusError
from whosaid.web import render
from whosaid.web.api import (
    MAX_SOURCES,
    analyse_text,
    audit_report,
    check_text,
    moved_or_404,
    search_groups,
    store_text,
)
from whosaid.web.state import PAGE_SIZE, WebState, state

router = APIRouter(include_in_schema=False)
Page = Annotated[int, Query(ge=1, le=100_000)]
UPLOAD_SUFFIXES = (".txt", ".html", ".htm")
SOURCE_SUFFIXES = (".txt", ".md", ".html", ".htm")
PICK_LIMIT = 200  # stored documents offered as sources on the audit page
SPLIT_CHOICES = 200  # a speaker's documents offered by the split-by-document form


def page_html(request: Request, template: str, status: int = 200, **context: Any) -> Response:
    web = state(request)
    context.setdefault("writable", bool(web.token))
    return web.templates.TemplateResponse(request, template, context, status_code=status)


def pager(request: Request, page: int, total: int, size: int = PAGE_SIZE) -> dict[str, Any]:
    """Previous/next links that keep the page's other query parameters."""
    pages = max(1, math.ceil(total / size))

    def url(n: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k != "page" and v}
        params["page"] = str(n)
        return f"{request.url.path}?{urlencode(params)}"

    return {"page": page, "pages": pages, "total": total,
            "prev": url(page - 1) if page > 1 else None,
            "next": url(page + 1) if page < pages else None}


def article_context(doc: Document, speaker_href: dict[str, str]) -> dict[str, Any]:
    return {"doc": doc, "segments": render.segments(doc), "rows": render.who_said_what(doc),
            "doc_speakers": render.speaker_counts(doc), "speaker_href": speaker_href,
            "types": [t.value for t in AttributionType]}


# --- analyse --------------------------------------------------------------------------


@router.get("/")
def home(request: Request) -> Response:
    return page_html(request, "analyse.html", text="", name="")


@router.post("/analyse")
async def analyse_page(request: Request,
                       text: Annotated[str, Form()] = "",
                       name: Annotated[str, Form(max_length=500)] = "",
                       file: UploadFile | None = None,
                       store: Annotated[str, Form()] = "",
                       token: Annotated[str, Form()] = "") -> Response:
    web = state(request)
    metadata: dict[str, str] = {}
    if file is not None and file.filename:
        text, name, metadata = await _read_upload(web, file, name)
    text = check_text(web, text)
    name = name.strip()
    if store:
        web.check_write(token)
        from starlette.concurrency import run_in_threadpool

        doc_id, _ = await run_in_threadpool(store_text, web, text, name or None, metadata)
        return RedirectResponse(f"/documents/{doc_id}", status_code=303)
    from starlette.concurrency import run_in_threadpool

    doc = await run_in_threadpool(analyse_text, web, text, name or None, metadata)
    hrefs = {s.id or s.name: f"#sp-{s.id}" for s in doc.speakers}
    return page_html(request, "analysed.html", name=name, text=text,
                     **article_context(doc, hrefs))


async def _read_upload(web: WebState, file: FormFile, name: str,
                       suffixes: tuple[str, ...] = UPLOAD_SUFFIXES
                       ) -> tuple[str, str, dict[str, str]]:
    """Text of an uploaded .txt or .html file (main text via trafilatura for HTML)."""
    from whosaid.ingest import InputError, _read_html, _read_text_bytes

    filename = Path(file.filename or "upload").name
    suffix = Path(filename).suffix.lower()
    if suffix not in suffixes:
        raise HTTPException(415, f"{filename}: upload a {' or '.join(suffixes)} file")
    data = await file.read(web.max_text * 4 + 1)
    if len(data) > web.max_text * 4:
        raise HTTPException(413, f"{filename}: the file is too large")
    item = (_read_html(data, Path(filename)) if suffix in (".html", ".htm")
            else _read_text_bytes(data, filename, Path(filename).stem))
    if isinstance(item, InputError):
        raise HTTPException(422, f"{filename}: {item.problem}")
    return item.text, name.strip() or item.name, item.metadata


# --- documents ------------------------------------------------------------------------


# /documents, /speakers and /statements (the tables) are in whosaid.web.tables


@router.get("/documents/{doc_id}")
def document_page(request: Request, doc_id: int) -> Response:
    stored = state(request).corpus.stored_document(doc_id)
    if stored is None:
        raise HTTPException(404, f"no document {doc_id}")
    hrefs = {local: f"/speakers/{sid}" for local, sid in stored.speaker_ids.items()}
    return page_html(request, "document.html", stored=stored,
                     **article_context(stored.document, hrefs))


def _span(value: str, what: str) -> tuple[int, int] | None:
    """``"12-30"`` to (12, 30); empty to None; anything else is a 422."""
    value = value.strip()
    if not value:
        return None
    try:
        start, end = (int(v) for v in value.replace(",", "-").split("-"))
    except ValueError:
        raise HTTPException(422, f"{what}: write a span as START-END, e.g. 120-164") from None
    return start, end


@router.post("/documents/{doc_id}/corrections")
def correct_page(request: Request, doc_id: int,
                 action: Annotated[str, Form()],
                 token: Annotated[str, Form()] = "",
                 target_cue: Annotated[str, Form(max_length=40)] = "",
                 source: Annotated[str, Form(max_length=40)] = "",
                 cue: Annotated[str, Form(max_length=40)] = "",
                 content: Annotated[str, Form(max_length=1000)] = "",
                 type: Annotated[str, Form(max_length=20)] = "",
                 speaker: Annotated[str, Form(max_length=300)] = "",
                 note: Annotated[str, Form(max_length=2000)] = "") -> Response:
    web = state(request)
    web.check_write(token)
    fragments = [s for part in content.split(";") if (s := _span(part, "content"))]
    with web.write_lock:
        try:
            web.corpus.add_correction(
                doc_id, action, target_cue=_span(target_cue, "attribution"),
                source=_span(source, "source"), cue=_span(cue, "cue"),
                fragments=fragments or None, type=type or None, speaker=speaker,
                note=note)
        except CorpusError as exc:
            status = 404 if str(exc).startswith("no document") else 422
            raise HTTPException(status, str(exc)) from None
    return RedirectResponse(f"/documents/{doc_id}#corrections", status_code=303)


@router.post("/documents/{doc_id}/corrections/{correction_id}/delete")
def uncorrect_page(request: Request, doc_id: int, correction_id: int,
                   token: Annotated[str, Form()] = "") -> Response:
    web = state(request)
    web.check_write(token)
    with web.write_lock:
        if not web.corpus.delete_correction(correction_id):
            raise HTTPException(404, f"no correction {correction_id}")
    return RedirectResponse(f"/documents/{doc_id}#corrections", status_code=303)


# --- speakers ---------------------------------------------------------------------------


@router.get("/speakers/{speaker_id}")
def speaker_page(request: Request, speaker_id: int, page: Page = 1) -> Response:
    corpus = state(request).corpus
    row = corpus.speaker_by_id(speaker_id)
    if row is None:
        return moved_or_404(request, corpus, speaker_id, "/speakers")
    items, total = corpus.speaker_statements(speaker_id, limit=PAGE_SIZE,
                                             offset=(page - 1) * PAGE_SIZE)
    for item in items:  # the other speakers of each statement, linked: "with" or, on a
        # group's page ("A and B said" links each member, not the group), "said by"
        item["others"] = [(i, n) for i, n in zip(item["speaker_ids"], item["speakers"],
                                                  strict=True) if i != speaker_id]
        item["as_group"] = speaker_id not in item["speaker_ids"]
    chart = render.bar_timeline(corpus.timeline(speaker_id), f"statements by {row.name}")
    from whosaid.web.dashboard import show_gender, speaker_gender, watch

    watch(corpus)
    gender = speaker_gender(corpus, speaker_id) if show_gender(request) else None
    documents = corpus.speaker_documents(speaker_id, limit=SPLIT_CHOICES) \
        if row.documents > 1 else []
    return page_html(request, "speaker.html", speaker=row, items=items, chart=chart,
                     gender=gender, pager=pager(request, page, total), documents=documents,
                     decisions=corpus.speaker_decisions(speaker_id))


# --- search ----------------------------------------------------------------------------


@router.get("/search")
def search_page(request: Request, q: Annotated[str, Query(max_length=500)] = "",
                mode: str = "text", page: Page = 1,
                min_score: Annotated[float | None, Query(ge=-1.0, le=1.0)] = None
                ) -> Response:
    from whosaid.search import MIN_SCORE

    semantic = mode == "semantic"
    cut = MIN_SCORE if min_score is None else min_score
    groups = search_groups(state(request), q, semantic=semantic, limit=200,
                           min_score=cut) if q.strip() else []
    start = (page - 1) * PAGE_SIZE
    return page_html(request, "search.html", q=q, mode="semantic" if semantic else "text",
                     min_score=cut,
                     groups=groups[start:start + PAGE_SIZE],
                     hits=sum(g["count"] for g in groups),
                     pager=pager(request, page, len(groups)))


# the dashboard is whosaid.web.dashboard


# --- citation audit -----------------------------------------------------------------------


def _stored_choices(web: WebState) -> list[dict[str, Any]]:
    rows, _total = web.corpus.list_documents(limit=PICK_LIMIT, offset=0)
    return rows


@router.get("/audit")
def audit_form(request: Request) -> Response:
    return page_html(request, "audit.html", text="", name="",
                     stored=_stored_choices(state(request)), picked=[], kept=[], error=None)


async def _read_source_upload(web: WebState, upload: FormFile) -> tuple[str, str]:
    """(file name, text) of an uploaded source; HTML is kept as markup, so the audit
    reads the page's own metadata (<title>, <meta>, canonical link)."""
    filename = Path(upload.filename or "source").name
    if Path(filename).suffix.lower() not in (".html", ".htm"):
        text, _name, _meta = await _read_upload(web, upload, "", SOURCE_SUFFIXES)
        return filename, text
    data = await upload.read(web.max_text * 4 + 1)
    if len(data) > web.max_text * 4:
        raise HTTPException(413, f"{filename}: the file is too large")
    try:
        return filename, data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise HTTPException(422, f"{filename}: not UTF-8 text") from None


@router.post("/audit")
async def audit_page(request: Request,
                     text: Annotated[str, Form()] = "",
                     name: Annotated[str, Form(max_length=500)] = "",
                     file: UploadFile | None = None,
                     stored: Annotated[list[int] | None, Form()] = None) -> Response:
    """Audit a pasted or uploaded report against uploaded and/or stored source documents.

    When the input is wrong (no report, a file of the wrong kind, too many sources)
    the form comes back with the report text and every source file already read
    kept in it, and a message saying what to fix.
    """
    from starlette.concurrency import run_in_threadpool

    from whosaid.audit import report_text, source_from_text

    web = state(request)
    form = await request.form()
    picked = list(dict.fromkeys(stored or []))
    # sources uploaded with an earlier, failed attempt travel back as hidden fields
    use = {str(v) for v in form.getlist("kept_use")}
    kept = [{"name": str(n), "text": str(t)} for k, (n, t) in
            enumerate(zip(form.getlist("kept_name"), form.getlist("kept_text"), strict=False))
            if str(k) in use]
    try:
        if file is not None and file.filename:
            if Path(file.filename).suffix.lower() in (".html", ".htm"):
                # the audit reads an HTML report itself: its links are its citations
                fname, raw = await _read_source_upload(web, file)
                text, name = report_text(raw, fname), name.strip() or Path(fname).stem
            else:
                text, name, _meta = await _read_upload(web, file, name)
        # read by hand: a browser sends an empty part when no source file is chosen
        uploads = [f for f in form.getlist("sources") if isinstance(f, FormFile) and f.filename]
        for upload in uploads:
            fname, stext = await _read_source_upload(web, upload)
            kept.append({"name": fname, "text": stext})
        text = check_text(web, text, "report")
        if len(kept) + len(picked) > MAX_SOURCES:
            raise HTTPException(422, f"sources: at most {MAX_SOURCES} source documents")
        srcs = []
        for k, item in enumerate(kept):
            stext = check_text(web, item["text"], f"sources.{k} ({item['name']})")
            srcs.append(source_from_text(stext, Path(item["name"]).stem, path=item["name"]))
        if len({s.id for s in srcs}) < len(srcs):
            raise HTTPException(422, "sources: two source files have the same name")
        hrefs: dict[str, str] = {}
        for doc_id in picked:
            row = web.corpus.stored_document(doc_id)
            if row is None:
                raise HTTPException(404, f"no document {doc_id}")
            src = source_from_text(row.document.text, f"doc{doc_id}",
                                   title=row.title or row.document.name, url=row.url,
                                   path=f"/documents/{doc_id}", is_html=False)
            src.analysed = row.document
            srcs.append(src)
            hrefs[src.id] = f"/documents/{doc_id}"
        result, doc = await run_in_threadpool(audit_report, web, text, name.strip() or None,
                                              srcs)
    except HTTPException as exc:
        if exc.status_code == 503:
            raise
        return page_html(request, "audit.html", status=exc.status_code, text=text,
                         name=name, stored=_stored_choices(web), picked=picked, kept=kept,
                         error=str(exc.detail))
    for k, s in enumerate(result["sources"]):
        hrefs.setdefault(s["id"], f"#src-{k}")
    from whosaid.audit import WORDS

    return page_html(request, "audited.html", name=name.strip(), result=result,
                     segments=render.audit_segments(doc.text, result), source_href=hrefs,
                     plain=WORDS)
