"""Shared pieces of the tests that use real servers: PostgreSQL (``$WHOSAID_TEST_PG`` or
one started by scripts/start_postgres.sh, a fresh database per test), Debian's Chromium
driven by Playwright, and a uvicorn server on loopback. One Chromium per test session; no
browser is downloaded."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NEEDS_CHROMIUM = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="/usr/bin/chromium missing: apt-get install chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread on a free loopback port; yield its base URL."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def corpus_server(tmp_path_factory: pytest.TempPathFactory, items: Iterable[Any], *,
                  token: str, name: str) -> Iterator[tuple[str, Path]]:
    """A SQLite corpus of ``items`` (``read_inputs``-style sources) in a fresh temporary
    folder ``name``, served with write ``token``: (base URL, database path). The one
    setup of the browser tests that write through the web."""
    from whosaid.store import Corpus
    from whosaid.web import create_app

    db = tmp_path_factory.mktemp(name) / "e2e.db"
    with Corpus(db) as c:
        c.ingest(items)
    with serving(create_app(str(db), token=token)) as url:
        yield url, db


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@contextmanager
def checked_page(browser: Any, width: int = 1280, height: int = 900,
                 **options: Any) -> Iterator[Any]:
    """A new page that records script errors and console errors; the test fails on any.

    Every browser test wants the same guard: a page that looks right while its
    JavaScript throws is broken for the user.
    """
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        yield page
    finally:
        page.close()
    assert not errors, errors


def no_overflow(page: Any) -> bool:
    """No horizontal scrolling: the page fits its viewport's width."""
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


# --- PostgreSQL ----------------------------------------------------------------------


def pg_server_url() -> str | None:
    """``$WHOSAID_TEST_PG``, else the server scripts/start_postgres.sh starts (or finds)."""
    url = os.environ.get("WHOSAID_TEST_PG")
    if url:
        return url
    try:
        done = subprocess.run(["bash", str(ROOT / "scripts" / "start_postgres.sh")],
                              capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


@pytest.fixture(scope="session")
def pg_server() -> str:
    url = pg_server_url()
    if not url:
        pytest.skip("no PostgreSQL server: WHOSAID_TEST_PG unset and "
                    "scripts/start_postgres.sh could not start one")
    return url


@contextmanager
def fresh_pg_database(server: str) -> Iterator[str]:
    """A new, empty database on ``server``, dropped afterwards even if connections linger."""
    from sqlalchemy import create_engine, text

    from whosaid.store.corpus import database_url

    name = f"whosaid_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{server.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each kind: every store behaviour is checked on both."""
    if request.param == "sqlite":
        yield str(tmp_path / "corpus.db")
        return
    with fresh_pg_database(request.getfixturevalue("pg_server")) as url:
        yield url
