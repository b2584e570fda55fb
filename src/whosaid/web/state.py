"""What every request handler shares: the per-app state and how to reach it.

A module of its own, below ``app``, ``api``, ``pages`` and ``tables``, so the
routers import it and ``app`` imports the routers, never the other way round.
"""

from __future__ import annotations

import hmac
import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException, Request
from fastapi.templating import Jinja2Templates

from whosaid.store import Corpus

PAGE_SIZE = 25


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
    pool: Any = None  # whosaid.web.pool.AnalysisPool: analysis off the loop (None: in-process)

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
