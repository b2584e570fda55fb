"""What every ``whosaid`` command module shares: the root app, option types, helpers.

``cli.py`` and each ``cli_*`` module import this module and nothing of each
other, so the command modules form a tree, not a circle: ``cli`` (extract,
eval, train, schema) imports the command modules to register them, and they
all stand on this one. Nothing heavy is imported here or at the top of a
command module (no spaCy, pydantic models, database drivers, torch): the
commands import what they need when they run, so ``whosaid --help`` and
``--version`` start in a fraction of a second.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

# the extraction models; equal to whosaid.pipeline.MODELS (tests/test_cli.py checks),
# named here so that checking an option does not import spaCy
MODELS = ("fast", "accurate")

app = typer.Typer(
    name="whosaid",
    help="Who said what: extract attributions (source, cue, content) from news text.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # plain click help: rich's boxed help costs more start-up time than --help may take
    rich_markup_mode=None,
)

DB_HELP = "SQLite file or postgresql:// URL (default: whosaid.db, or $WHOSAID_DB)."
DbOption = Annotated[str, typer.Option("--db", envvar="WHOSAID_DB", help=DB_HELP)]


class QueryFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


FormatOption = Annotated[
    QueryFormat | None,
    typer.Option("--format", "-f", case_sensitive=False,
                 help="table (default on a terminal) | json (default when piped) | jsonl | csv",
                 show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", dir_okay=False,
                 help="Export to a file instead: .csv, .json, .jsonl or .parquet.",
                 show_default=False),
]


def check_model(model: str) -> str:
    """The model name, or a usage error listing the models."""
    if model not in MODELS:
        raise typer.BadParameter(
            f"unknown model {model!r}; choose one of {', '.join(MODELS)}",
            param_hint="--model",
        )
    return model


def stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``error: message`` on stderr; the caller raises the returned Exit."""
    from rich.text import Text

    stderr_console().print(Text(f"error: {message}", style="red"), soft_wrap=True)
    return typer.Exit(code)


def open_corpus(db: str) -> Any:
    """The Corpus, or a one-line error (bad URL, server down, newer schema)."""
    from whosaid.store import Corpus

    try:
        return Corpus(db)
    except Exception as exc:  # driver errors are many and specific; the message is enough
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(f"cannot open database {db}: {first}") from None


def progress(stderr: Console, label: str, *, rate: str = "docs") -> Progress:
    """The progress bar of long commands: spinner, bar, n/total, rate, elapsed."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.text import Text

    class PerSecond(ProgressColumn):
        """Items per second: the figure that says whether --workers pays off."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"-- {rate}/s" if speed is None else f"{speed:.1f} {rate}/s",
                        style="cyan")

    return Progress(
        SpinnerColumn(),
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        PerSecond(),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
        console=stderr,
        transient=True,
        # only reroute stdout through the bar when it is the same terminal;
        # otherwise rich would send piped JSON to stderr
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=False,
    )


def ctrl_c(exc: BaseException) -> bool:
    """True for a Ctrl-C, also one that landed while pydantic serialised a document: its
    serialiser catches the KeyboardInterrupt and raises PydanticSerializationError
    ("... KeyboardInterrupt ...") instead, which must still end the run with status 130."""
    return isinstance(exc, KeyboardInterrupt) or (
        type(exc).__name__ == "PydanticSerializationError" and "KeyboardInterrupt" in str(exc))
