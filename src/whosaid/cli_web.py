"""``whosaid serve``: the web UI and HTTP API over a corpus (FastAPI + uvicorn).

Registered onto :data:`whosaid.cli.app` (imported at the bottom of ``cli.py``).
FastAPI and uvicorn are imported only when the command runs, so the other
commands start as fast as before. Writes (storing analyses, corrections,
speaker merges) need a token: ``--token`` or ``$WHOSAID_TOKEN``, else one is
generated and printed, so a local server is writable by whoever started it
and by nobody else.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import typer

from whosaid.cli_common import DB_HELP, app
from whosaid.cli_common import check_model as _check_model


@app.command()
def serve(
    db: Annotated[str, typer.Option("--db", envvar="WHOSAID_DB", help=DB_HELP)] = "whosaid.db",
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535)] = 8000,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="WHOSAID_TOKEN", show_default=False,
        help="API token for writes (default: a random one, printed).")] = None,
    read_only: Annotated[bool, typer.Option(
        "--read-only", help="Refuse every write (no token at all).")] = False,
    model: Annotated[str, typer.Option(
        "--model", "-m", help="Extraction model for analysis and writes.")] = "fast",
    no_gender: Annotated[bool, typer.Option(
        "--no-gender", help="Show no speaker gender (dashboard, downloads); analyse without it.",
    )] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=1, max=64,
        help="Server processes (uvicorn workers; use PostgreSQL for more than one).")] = 1,
    analysis_workers: Annotated[int, typer.Option(
        "--analysis-workers", min=1, max=64,
        help="Analysis processes per server process.")] = 1,
    analysis_timeout: Annotated[float, typer.Option(
        "--analysis-timeout", min=1.0,
        help="Seconds one analysis may take; then 503 and its worker is replaced.")] = 120.0,
) -> None:
    """Serve the web UI and JSON API (/api, /openapi.json) on the corpus."""
    try:
        import uvicorn

        from whosaid.web import create_app
    except ImportError as exc:
        typer.echo(f"error: the web UI needs its extra ({exc.name} is missing): "
                   "pip install 'whosaid[web]'", err=True)
        raise typer.Exit(1) from None

    if read_only:
        token = None
    elif not token:
        token = secrets.token_urlsafe(18)
    try:
        web = create_app(db, token=token, model=_check_model(model),
                         analysis_workers=analysis_workers if workers == 1 else 0,
                         analysis_timeout=analysis_timeout)
    except Exception as exc:  # bad URL, server down, newer schema: one line is enough
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        typer.echo(f"error: cannot open database {db}: {first}", err=True)
        raise typer.Exit(1) from None
    if no_gender:
        import os

        os.environ["WHOSAID_GENDER"] = "0"
        web.state.show_gender = False
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"whosaid: serving {db} at http://{shown}:{port}/", err=False)
    typer.echo("writes: disabled (read-only)" if token is None else f"API token: {token}")
    if workers > 1:
        # uvicorn starts the worker processes and each builds its app from these
        import os

        if web.state.web.pool is not None:  # pragma: no cover - built with 0 above
            web.state.web.pool.close()
        os.environ.update({"WHOSAID_SERVE_DB": db, "WHOSAID_SERVE_MODEL": model,
                           "WHOSAID_SERVE_TOKEN": token or "",
                           "WHOSAID_ANALYSIS_WORKERS": str(analysis_workers),
                           "WHOSAID_ANALYSIS_TIMEOUT": str(analysis_timeout)})
        typer.echo(f"{workers} server processes, {analysis_workers} analysis worker(s) each")
        uvicorn.run("whosaid.web.app:app_from_env", factory=True, workers=workers,
                    host=host, port=port, log_level="warning")
        return
    uvicorn.run(web, host=host, port=port, log_level="warning")
