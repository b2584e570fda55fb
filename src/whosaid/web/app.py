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

import hmac
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from whosaid.store import Corpus

HERE = Path(__file__).resolve().parent
MAX_BODY = 4_000_000  # bytes of request body; larger requests get 413
MAX_TEXT = 1_000_000  # characters of article text accepted for analysis
PAGE_SIZE = 25
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


@dataclass
class WebState:
    """What every request handler needs: the corpus, the token, limits, locks."""

    corpus: Corpus
    token: str | None
    max_text: int
    templates: Jinja2Templates
    model: str = "fast"  # the extraction model every analysis on this server uses
    # spaCy and the CRF taggers are shared, so analysis runs one document at a time
    analyse_lock: threading.Lock = field(default_factory=threading.Lock)
    write_lock: threading.Lock = field(default_factory=threading.Lock)

    def token_ok(self, given: str | None) -> bool:
        """Constant-time comparison; False when no token is configured."""
        if not self.token or not given:
            return False
        return hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8"))

    def check_write(self, given: str | None) -> None:
        """Raise 403 when writes are off, 401 when the token is missing or wrong."""
        if not self.token:
            raise HTTPException(403, "writes are disabled on this server: start it with a "
                                     "token (whosaid serve --token, or $WHOSAID_TOKEN)")
        if not self.token_ok(given):
            raise HTTPException(401, "a valid API token is required for this request "
                                     "(Authorization: Bearer TOKEN)",
                                headers={"WWW-Authenticate": "Bearer"})


def state(request: Request) -> WebState:
    return request.app.state.web  # type: ignore[no-any-return]


def request_token(request: Request) -> str | None:
    """The token from ``Authorization: Bearer`` or ``X-Whosaid-Token``."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-whosaid-token")


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
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=env)


def create_app(db_url: str, token: str | None = None, *, max_body: int = MAX_BODY,
               max_text: int = MAX_TEXT, model: str = "fast") -> FastAPI:
    """The web UI and API over the corpus at ``db_url`` (a SQLite path or database URL).

    ``token`` enables writes; without it the server is read-only (analysis,
    which stores nothing, stays open).
    """
    corpus = Corpus(db_url)
    web = WebState(corpus=corpus, token=token or None, max_text=max_text,
                   templates=_templates(), model=model)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        corpus.close()

    app = FastAPI(
        title="whosaid", version="1", lifespan=lifespan,
        description="Who said what: attributions, speakers and citations in news text. "
                    "Reads are public; writes need `Authorization: Bearer TOKEN`.",
        docs_url=None, redoc_url=None,  # Swagger UI loads from a CDN; /openapi.json stays
    )
    app.state.web = web
    app.add_middleware(BodyLimit, limit=max_body)  # type: ignore[arg-type]

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

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

    from whosaid.web import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    return app

