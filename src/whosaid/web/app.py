"""The FastAPI application: ``create_app(db_url, token=None)``.

One process serves the HTML pages (Jinja2, autoescaped) and the JSON API
under ``/api`` over one :class:`~whosaid.store.Corpus`. Reads are public;
writes (ingest, speaker merge/split, corrections) need the token given here,
compared in constant time. Without a token, writes are refused (403), so a
server started without one can never be changed over the network.

Defence in depth for untrusted article text: autoescaped templates, a strict
Content-Security-Policy (no inline script, no third-party origins), ``nosniff``
and no framing. Request bodies are capped (413) before they are parsed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from whosaid.parse import MAX_CHARS
from whosaid.store import Corpus
from whosaid.web import api, apidocs, dashboard, manage, pages, tables

# routers import these from whosaid.web.state; the names stay here for older imports
from whosaid.web.state import PAGE_SIZE, WebState, request_token, state  # noqa: F401
from whosaid.wording import plural

HERE = Path(__file__).resolve().parent
MAX_BODY = 4_000_000  # bytes of request body; larger requests get 413
MAX_TEXT = MAX_CHARS  # characters of article text accepted for analysis: the CLI's limit
ANALYSIS_TIMEOUT = 120.0  # seconds one analysis may take before its worker is replaced (503)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.limit
            except ValueError:
                await _plain(send, 400, "bad Content-Length header")
                return
            if too_big:
                await _plain(send, 413, self._message())
                return
        # a chunked body has no length up front: read it (up to the limit), then replay
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            chunks, total, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunk = message.get("body", b"")
                total += len(chunk)
                if total > self.limit:
                    await _plain(send, 413, self._message())
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        await self.app(scope, receive, send)

    def _message(self) -> str:
        return f"request body too large: the limit is {self.limit} bytes"


async def _plain(send: Send, status: int, detail: str) -> None:
    import json

    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY")]


class SecurityHeaders:
    """Security headers on every response (pages, API, errors, static files), and
    redirects kept relative: a ``Location`` naming this server's own host (taken
    from the request's Host header) is cut to its path, so Host is never reflected."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secure_headers(list(message.get("headers") or []))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def secure_headers(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with the security headers set (an explicit CSP is kept) and an
    absolute ``Location`` made relative."""
    from urllib.parse import urlsplit, urlunsplit

    present = {k.lower() for k, _ in headers}
    out = [(k, v) for k, v in headers if k.lower() not in
           (b"x-content-type-options", b"referrer-policy", b"x-frame-options")]
    out += [(k, v) for k, v in SECURITY_HEADERS
            if k != b"content-security-policy" or k not in present]
    for i, (k, v) in enumerate(out):
        if k.lower() == b"location":
            parts = urlsplit(v.decode("latin-1"))
            if parts.scheme or parts.netloc:
                path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
                out[i] = (k, ("/" + path.lstrip("/")).encode("latin-1"))
    return out


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["plural"] = plural  # {{ n|plural('statement') }}: "1 statement"
    return Jinja2Templates(env=env)


def create_app(db_url: str, token: str | None = None, *, max_body: int = MAX_BODY,
               max_text: int = MAX_TEXT, model: str = "fast", analysis_workers: int = 1,
               analysis_timeout: float = ANALYSIS_TIMEOUT, analysis_queue: int = 4) -> FastAPI:
    """The web UI and API over the corpus at ``db_url`` (a SQLite path or database URL).

    ``token`` enables writes; without it the server is read-only (analysis,
    which stores nothing, stays open). Analysis runs in ``analysis_workers``
    worker processes (:mod:`whosaid.web.pool`), each job limited to
    ``analysis_timeout`` seconds, ``analysis_queue`` more waiting at most (then
    503); ``analysis_workers=0`` analyses in the server process, one at a time,
    with no time limit (for embedding in a process that must not fork).
    """
    corpus = Corpus(db_url)
    web = WebState(corpus=corpus, token=token or None, max_text=max_text,
                   templates=_templates(), model=model)
    if analysis_workers > 0:
        from whosaid.web.pool import AnalysisPool

        web.pool = AnalysisPool(analysis_workers, analysis_timeout, analysis_queue, model)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if web.pool is not None:
            web.pool.close()
        corpus.close()

    app = FastAPI(
        title="whosaid", version="1", lifespan=lifespan,
        description="Who said what: attributions, speakers and citations in news text. "
                    "Reads are public; writes need `Authorization: Bearer TOKEN`.",
        docs_url=None, redoc_url=None,  # Swagger UI loads from a CDN; /openapi.json stays
    )
    app.state.web = web
    app.add_middleware(BodyLimit, limit=max_body)  # type: ignore[arg-type]
    app.add_middleware(SecurityHeaders)  # type: ignore[arg-type]

    def wants_html(request: Request) -> bool:
        return not request.url.path.startswith("/api") and \
            request.url.path != "/openapi.json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if wants_html(request):
            return web.templates.TemplateResponse(
                request, "error.html", {"status": exc.status_code, "detail": exc.detail},
                status_code=exc.status_code, headers=getattr(exc, "headers", None))
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    def client_error(request: Request, status: int, detail: str) -> Any:
        if wants_html(request):
            return web.templates.TemplateResponse(
                request, "error.html", {"status": status, "detail": detail}, status_code=status)
        return JSONResponse({"detail": detail}, status_code=status)

    @app.exception_handler(OverflowError)
    async def out_of_range(request: Request, exc: OverflowError) -> Any:
        # an id, offset or limit too large for the database's 64-bit integers
        return client_error(request, 422, "a number in the request is out of range")

    @app.exception_handler(UnicodeError)
    async def bad_unicode(request: Request, exc: UnicodeError) -> Any:
        return client_error(request, 422, "the request holds invalid code points "
                                          "(lone surrogates) or undecodable bytes")

    try:
        from sqlalchemy.exc import DataError
    except ImportError:  # pragma: no cover - sqlalchemy is a dependency of the store
        pass
    else:
        @app.exception_handler(DataError)
        async def bad_value(request: Request, exc: DataError) -> Any:
            # PostgreSQL refusing a value (an integer out of range, say)
            return client_error(request, 422, "a value in the request is out of range "
                                              "for the database")

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Any:
        # answered by Starlette's outermost middleware: set the headers here
        response = JSONResponse({"detail": "internal server error"}, status_code=500)
        response.raw_headers.extend(SECURITY_HEADERS)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_input(request: Request, exc: RequestValidationError) -> Any:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        detail = "; ".join(problems) or "invalid request"
        if wants_html(request):
            return web.templates.TemplateResponse(
                request, "error.html", {"status": 422, "detail": detail}, status_code=422)
        return JSONResponse({"detail": detail}, status_code=422)

    app.include_router(api.router)
    app.include_router(manage.router)  # speaker management: merge, split, rename, correct
    app.include_router(tables.router)  # before pages: /documents/{id} stays in pages
    app.include_router(apidocs.router)  # /api-docs: the API without a CDN
    app.include_router(pages.router)
    app.include_router(dashboard.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app


def app_from_env() -> FastAPI:
    """The app of one ``whosaid serve --workers N`` process (uvicorn imports this
    factory in each worker; ``serve`` puts its options in the environment)."""
    import os

    return create_app(os.environ["WHOSAID_SERVE_DB"],
                      token=os.environ.get("WHOSAID_SERVE_TOKEN") or None,
                      model=os.environ.get("WHOSAID_SERVE_MODEL", "fast"),
                      analysis_workers=int(os.environ.get("WHOSAID_ANALYSIS_WORKERS", "1")),
                      analysis_timeout=float(os.environ.get("WHOSAID_ANALYSIS_TIMEOUT",
                                                            str(ANALYSIS_TIMEOUT))))
