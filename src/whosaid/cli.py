"""The ``whosaid`` command line: extract, eval, train, schema.

Bad inputs never stop a run: each is reported on stderr as ``error: path: problem``
while the other documents are still processed, and the exit code is 1 at the end
if any input failed (2 for usage errors, 0 otherwise). Documents stream from the
reader through :func:`whosaid.pipeline.extract_many` to the writer one at a time,
so a folder of any size runs in constant memory. A missing model file is reported
in one line (run ``whosaid train``) with exit code 1.
"""

from __future__ import annotations

import csv
import importlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TextIO

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

import whosaid
from whosaid.cli_common import app, ctrl_c
from whosaid.cli_common import check_model as _check_model
from whosaid.cli_common import progress as _progress

if TYPE_CHECKING:
    from whosaid.model import Document

# the packaged model folder (= whosaid.extract.tagger.MODEL_DIR), without importing the tagger
MODEL_DIR = Path(__file__).resolve().parent / "models"


def _output() -> Any:
    """whosaid.output, imported when a command first writes (it needs the data model)."""
    from whosaid import output

    return output


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    BRAT = "brat"
    CSV = "csv"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"whosaid {whosaid.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Who said what: extract attributions (source, cue, content) from news text."""


# --- writers: one per format, each takes documents one at a time -------------


class _Writer(Protocol):
    def write(self, doc: Document) -> None: ...
    def close(self) -> None: ...


class _JsonStdout:
    """One doc prints as an object, several as an array; streamed after the second."""

    def __init__(self) -> None:
        self.first: str | None = None
        self.count = 0

    def write(self, doc: Document) -> None:
        text = _output().to_json(doc)
        self.count += 1
        if self.count == 1:
            self.first = text  # hold it: we do not know yet whether an array is needed
            return
        if self.count == 2:
            typer.echo("[\n" + (self.first or ""), nl=False)
            self.first = None
        typer.echo(",\n" + text, nl=False)

    def close(self) -> None:
        if self.count == 0:
            typer.echo("[]")
        elif self.count == 1:
            typer.echo(self.first)
        else:
            typer.echo("\n]")


class _LinesStdout:
    """JSONL, brat (with ``# name`` headers) or CSV on stdout."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.csv: Any = None
        if fmt is Format.CSV:
            self.csv = csv.writer(sys.stdout)
            self.csv.writerow(_output().csv_header())

    def write(self, doc: Document) -> None:
        if self.fmt is Format.JSONL:
            typer.echo(_output().to_jsonl_line(doc))
        elif self.fmt is Format.BRAT:
            typer.echo(f"# {doc.name}")
            typer.echo(_output().to_brat(doc), nl=False)
        else:
            self.csv.writerows(_output().csv_rows(doc))

    def close(self) -> None:
        sys.stdout.flush()


class _TableStdout:
    def __init__(self) -> None:
        self.console = Console()

    def write(self, doc: Document) -> None:
        _output().render_table(doc, self.console)
        self.console.print()

    def close(self) -> None:
        pass


_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class _DirWriter:
    """--out DIR: a file per document (json, brat) or one combined file (jsonl, csv)."""

    def __init__(self, fmt: Format, out: Path, warn: Any) -> None:
        self.fmt, self.out, self.warn = fmt, out, warn
        self.used: set[str] = set()
        self.count = 0
        self.stream: TextIO | None = None
        self.csv: Any = None
        if fmt is Format.JSONL:
            self.stream = (out / "attributions.jsonl").open("w", encoding="utf-8")
        elif fmt is Format.CSV:
            self.stream = (out / "attributions.csv").open("w", encoding="utf-8", newline="")
            self.csv = csv.writer(self.stream)
            self.csv.writerow(_output().csv_header())

    def _file_for(self, name: str | None, suffix: str) -> Path:
        """A safe, unique file name: document names (JSONL ids) are untrusted."""
        base = _UNSAFE.sub("_", name or "document").strip(" .") or "document"
        stem, n = base, 1
        while stem.lower() in self.used:
            n += 1
            stem = f"{base}-{n}"
        if stem != base:
            self.warn(f"warning: two documents named {base!r}; writing {stem}{suffix}")
        self.used.add(stem.lower())
        return self.out / f"{stem}{suffix}"

    def write(self, doc: Document) -> None:
        self.count += 1
        if self.fmt is Format.JSON:
            path = self._file_for(doc.name, ".json")
            path.write_text(_output().to_json(doc) + "\n", encoding="utf-8")
        elif self.fmt is Format.BRAT:
            # the text beside its .ann, as brat needs both to open a document
            ann = self._file_for(doc.name, ".ann")
            ann.write_text(_output().to_brat(doc), encoding="utf-8")
            with ann.with_suffix(".txt").open("w", encoding="utf-8", newline="") as fh:
                fh.write(doc.text)
        elif self.fmt is Format.JSONL:
            assert self.stream is not None
            self.stream.write(_output().to_jsonl_line(doc) + "\n")
        else:
            self.csv.writerows(_output().csv_rows(doc))

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()


def _writer(fmt: Format, out: Path | None, warn: Any) -> _Writer:
    if out is not None:
        return _DirWriter(fmt, out, warn)
    if fmt is Format.TABLE:
        return _TableStdout()
    if fmt is Format.JSON:
        return _JsonStdout()
    return _LinesStdout(fmt)


# --- commands ---------------------------------------------------------------


@app.command()
def extract(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH",
            help="Files or folders (.txt, .html, .htm, .jsonl; folders recursively); - is stdin.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", case_sensitive=False,
            help="Output format (default: table on a terminal, else json).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", file_okay=False, dir_okay=True, writable=True,
            help="Write to this folder (created if missing) instead of stdout.",
        ),
    ] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Extraction model.")] = "fast",
    workers: Annotated[
        int,
        typer.Option("--workers", "-w", min=1,
                     help="Worker processes (each loads the model once); output stays in order."),
    ] = 1,
    no_gender: Annotated[bool, typer.Option(
        "--no-gender", help="Leave speaker gender out (also: WHOSAID_GENDER=0).")] = False,
) -> None:
    """Extract attributions from articles; bad inputs are reported, others still processed."""
    if no_gender:  # read by pipeline.analyse, in this process and in every worker
        os.environ["WHOSAID_GENDER"] = "0"
    from whosaid.extract.tagger import ModelMissingError
    from whosaid.ingest import InputError, count_documents, read_inputs
    from whosaid.parallel import BrokenProcessPool, extract_parallel

    _check_model(model)
    if fmt is None:
        fmt = Format.TABLE if out is None and sys.stdout.isatty() else Format.JSON
    if fmt is Format.TABLE and out is not None:
        raise typer.BadParameter(
            "table output goes to the terminal; use --format json, jsonl, csv or brat with --out",
            param_hint="--out",
        )
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            problem = f"cannot create folder: {exc.strerror}"
            raise typer.BadParameter(problem, param_hint="--out") from exc

    stderr = Console(stderr=True, highlight=False)
    failures = 0

    def warn(message: str) -> None:
        stderr.print(Text(message), soft_wrap=True)

    # the pre-count costs a directory walk, so only pay it when a bar can be shown
    total = count_documents(paths) if stderr.is_terminal else 0
    progress = _progress(stderr, "extracting") if total > 1 else None
    task = progress.add_task("", total=total) if progress else None

    def advance(name: str) -> None:
        if progress is not None and task is not None:
            progress.update(task, advance=1, description=name)

    def good_items() -> Iterator[tuple[str | None, str, dict[str, str]]]:
        nonlocal failures
        for item in read_inputs(paths):
            if isinstance(item, InputError):
                failures += 1
                stderr.print(Text(f"error: {item}", style="red"), soft_wrap=True)
                advance(item.path)
            else:
                yield item.name, item.text, item.metadata

    from pydantic_core import PydanticSerializationError

    writer: _Writer | None = None
    written = 0
    try:
        with progress if progress is not None else nullcontext():
            # made inside the progress context so stdout writes go through its redirect
            writer = _writer(fmt, out, warn)
            for doc in extract_parallel(good_items(), workers, model=model):
                writer.write(doc)
                written += 1
                advance(doc.name or "")
    except ModelMissingError as exc:
        stderr.print(Text(f"error: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except (KeyboardInterrupt, PydanticSerializationError) as exc:
        if not ctrl_c(exc):
            raise
        # workers are already terminated; the finally below flushes what was written
        stderr.print(Text(f"interrupted after {written} document(s)", style="red"))
        raise typer.Exit(130) from None
    except BrokenProcessPool as exc:  # a worker was killed (out of memory, kill -9)
        stderr.print(Text(f"error: a worker process died: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # stdout closed early (``| head``): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except OSError as exc:  # --out folder not writable, disk full, ...
        where = exc.filename or (out if out is not None else "stdout")
        stderr.print(Text(f"error: {where}: {exc.strerror or exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    finally:
        if writer is not None:
            writer.close()
    if out is not None:
        warn(f"wrote {written} document(s) to {out}")
    raise typer.Exit(1 if failures else 0)


def _eval_speakers(gold: Path, files: list[Path], model: str, as_json: bool) -> None:
    """``eval --speakers``: who-said-what figures (whosaid.evaluate_speakers)."""
    from whosaid.evaluate_speakers import SpeakerGoldError, evaluate_speakers
    from whosaid.extract.tagger import ModelMissingError

    stderr = Console(stderr=True, highlight=False)
    try:
        scores = evaluate_speakers(gold, files, model=model)
    except ModelMissingError as exc:
        stderr.print(Text(f"error: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except (SpeakerGoldError, FileNotFoundError, ValueError) as exc:
        stderr.print(Text(f"error: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(scores.as_dict(), indent=2))
    else:
        typer.echo(scores.markdown())
        typer.echo(f"\n{scores.articles} article(s)")


@app.command("eval")
def eval_(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold", exists=True, file_okay=False, dir_okay=True,
            help="Gold folder (PolNeAR layout: text/ and attributions/).",
        ),
    ],
    pred: Annotated[
        Path | None,
        typer.Option(
            "--pred", exists=True, file_okay=False, dir_okay=True,
            help="Folder of predicted .ann files; extracted on the fly when omitted.",
        ),
    ] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Extraction model.")] = "fast",
    as_json: Annotated[bool, typer.Option("--json", help="Print scores as JSON.")] = False,
    protocol: Annotated[
        str,
        typer.Option(
            "--protocol",
            help="document (linked, first annotator), paragraph (the published PolNeAR "
            "protocol: per unit and role, unlinked) or both.",
        ),
    ] = "document",
    annotators: Annotated[
        str,
        typer.Option("--annotators", help="Paragraph protocol gold: all annotator files or first."),
    ] = "all",
    split: Annotated[
        Path | None,
        typer.Option("--split", exists=True, dir_okay=False,
                     help="TSV of article<TAB>part (e.g. eval/dev-split.tsv); needs --part."),
    ] = None,
    part: Annotated[
        str | None, typer.Option("--part", help="Score only the articles of this part of --split.")
    ] = None,
    speakers: Annotated[
        Path | None,
        typer.Option("--speakers", exists=True, dir_okay=False,
                     help="Speaker gold TSV(s) (../shared/guides/speaker-gold.md): score who "
                     "said what instead of spans; more files may follow it."),
    ] = None,
    more_speakers: Annotated[
        list[Path] | None,
        typer.Argument(exists=True, dir_okay=False, show_default=False,
                       help="Further speaker gold TSVs, after --speakers FILE."),
    ] = None,
) -> None:
    """Score extraction against gold brat annotations (PolNeAR layout)."""
    from whosaid.extract.tagger import ModelMissingError

    _check_model(model)
    if speakers is not None or more_speakers:
        if speakers is None:
            raise typer.BadParameter("extra files are speaker gold: give --speakers first",
                                     param_hint="--speakers")
        _eval_speakers(gold, [speakers, *(more_speakers or [])], model, as_json)
        return
    if protocol not in ("document", "paragraph", "both"):
        raise typer.BadParameter("choose document, paragraph or both", param_hint="--protocol")
    if annotators not in ("all", "first"):
        raise typer.BadParameter("choose all or first", param_hint="--annotators")
    if (split is None) != (part is None):
        raise typer.BadParameter("--split and --part go together", param_hint="--split")
    stderr = Console(stderr=True, highlight=False)
    try:
        # imported here so the rest of the CLI works without the evaluation module
        evaluate = importlib.import_module("whosaid.evaluate")
    except ModuleNotFoundError as exc:
        if exc.name != "whosaid.evaluate":
            raise
        stderr.print(Text("error: evaluation is not available in this build"))
        raise typer.Exit(1) from None

    progress = _progress(stderr, "scoring") if stderr.is_terminal else None
    task = progress.add_task("", total=None) if progress else None

    def callback(*args: Any, **kwargs: Any) -> None:
        """Tolerant of (done, total), (name,) or no arguments."""
        if progress is None or task is None:
            return
        if len(args) >= 2 and all(isinstance(a, int) for a in args[:2]):
            progress.update(task, completed=args[0], total=args[1])
        else:
            progress.update(task, advance=1, description=str(args[0]) if args else "")

    extra: dict[str, Any] = {}  # only what differs from the default call
    paragraph = None
    try:
        if split is not None and part is not None:
            extra["articles"] = evaluate.read_split(split, part)
        if protocol != "document":
            paragraph = extra["paragraph"] = evaluate.ParagraphScores()
            extra["annotators"] = annotators
        with progress if progress is not None else nullcontext():
            scores, n_articles = evaluate.evaluate_dir(
                gold, pred, model=model, progress=callback, **extra
            )
    except ModelMissingError as exc:
        stderr.print(Text(f"error: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except (FileNotFoundError, ValueError) as exc:  # bad folders, unreadable .ann (BratError)
        stderr.print(Text(f"error: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        result: dict[str, Any] = {"articles": n_articles}
        if protocol != "paragraph":
            result["scores"] = scores.as_dict()
        if paragraph is not None:
            result["paragraph"] = paragraph.as_dict()
        typer.echo(json.dumps(result, indent=2))
        return
    if protocol != "paragraph":
        if paragraph is not None:
            typer.echo("Document level (linked attributions, first annotator file):\n")
        typer.echo(scores.markdown())
    if paragraph is not None:
        if protocol == "both":
            typer.echo("")
        typer.echo(f"Paragraph protocol ({annotators} annotator files, {paragraph.files} "
                   f"article-annotator pairs, {paragraph.units} units):\n")
        typer.echo(paragraph.markdown())
    typer.echo(f"\n{n_articles} article(s)")


STAGES = {"parse": "parsing", "features": "features", "train": "training CRFs"}  # + "epoch N"


def _elapsed(seconds: float) -> str:
    minutes, secs = divmod(seconds, 60)
    return f"{int(minutes)} min {secs:.0f} s" if minutes else f"{secs:.1f} s"


@app.command()
def train(
    corpus: Annotated[
        Path,
        typer.Option(
            "--corpus", file_okay=False, dir_okay=True,
            help="Training split in PolNeAR layout (text/ and attributions/).",
        ),
    ] = Path("../shared/data/polnear/train"),
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", file_okay=False, dir_okay=True,
            help="Folder for the model files (default: the packaged model).",
            show_default=False,
        ),
    ] = MODEL_DIR,
    model: Annotated[
        str,
        typer.Option("--model", "-m",
                     help="Which model to train: fast (two CRFs) or accurate (MiniLM cue tagger)."),
    ] = "fast",
    epochs: Annotated[
        int, typer.Option("--epochs", min=1, help="Accurate model only: passes over the corpus.")
    ] = 5,
    seed: Annotated[int, typer.Option("--seed", help="Accurate model only: random seed.")] = 13,
    precision: Annotated[
        str,
        typer.Option("--precision",
                     help="Accurate model only: auto (bf16 where the CPU has it natively), "
                          "fp32 or bf16."),
    ] = "auto",
    layers: Annotated[
        int, typer.Option("--layers", min=1, max=6,
                          help="Accurate model only: MiniLM layers kept (of 6).")
    ] = 4,
    limit: Annotated[
        int | None,
        typer.Option("--limit", min=1, help="Train on the first N articles only (smoke runs)."),
    ] = None,
) -> None:
    """Train a model (fast: cue and role CRFs; accurate: MiniLM tagger) on a PolNeAR split."""
    _check_model(model)
    if model == "accurate":
        # imported here: torch and transformers load slowly and extract never needs them
        from whosaid.extract.neural import ACCURATE_DIR
        from whosaid.train_accurate import train as train_accurate

        def train_model(corpus: Path, out: Path, progress: Callable[[str, int, int], None]
                        ) -> dict[str, Path]:
            return train_accurate(corpus, ACCURATE_DIR if out == MODEL_DIR else out,
                                  epochs=epochs, seed=seed, limit=limit, precision=precision,
                                  layers=layers,
                                  progress=progress)
    else:
        # imported here: training pulls in pycrfsuite's trainer, which extract never needs
        from whosaid.train import train as train_fast

        def train_model(corpus: Path, out: Path, progress: Callable[[str, int, int], None]
                        ) -> dict[str, Path]:
            return train_fast(corpus, out, progress=progress, limit=limit)

    stderr = Console(stderr=True, highlight=False)
    if not (corpus / "text").is_dir():
        stderr.print(
            Text(f"error: {corpus}: not a PolNeAR-layout folder (expected text/ and "
                 "attributions/ inside)", style="red"),
            soft_wrap=True,
        )
        raise typer.Exit(2)

    # No auto-refresh thread: training forks one process per CRF, and a fork
    # taken while another thread holds the stderr lock could hang the child.
    progress = Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        auto_refresh=False,
        redirect_stdout=False,
        redirect_stderr=False,
    ) if stderr.is_terminal else None
    tasks: dict[str, TaskID] = {}

    def callback(stage: str, i: int, n: int) -> None:
        if progress is None:
            if i == n:  # a plain log line per finished stage off a terminal
                stderr.print(f"{STAGES.get(stage, stage)}: {i}/{n}")
            return
        if stage not in tasks:
            tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=n)
            if stage == "train":  # the bar cannot tick while the CRFs train
                progress.console.print(Text("training the CRFs (minutes on the full corpus)",
                                            style="dim"))
        progress.update(tasks[stage], completed=i, total=n)
        progress.refresh()

    start = time.perf_counter()
    try:
        with progress if progress is not None else nullcontext():
            paths = train_model(corpus, out, progress=callback)
    except (FileNotFoundError, ValueError) as exc:  # not PolNeAR layout, no gold, bad .ann
        message = str(exc) if str(corpus) in str(exc) else f"{corpus}: {exc}"
        stderr.print(Text(f"error: {message}", style="red"), soft_wrap=True)
        raise typer.Exit(2) from None
    except OSError as exc:  # --out not writable, disk full
        where = exc.filename or out
        stderr.print(Text(f"error: {where}: {exc.strerror or exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    except RuntimeError as exc:  # a CRF training process failed
        stderr.print(Text(f"error: {exc}", style="red"), soft_wrap=True)
        raise typer.Exit(1) from None
    for kind, path in paths.items():
        typer.echo(f"wrote {kind} model: {path}")
    typer.echo(f"trained in {_elapsed(time.perf_counter() - start)}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output document (``--format json``)."""
    from whosaid.model import Document

    typer.echo(json.dumps(Document.model_json_schema(), indent=2))


# the other command modules register on the same app (they import cli_common, not cli)
from whosaid import cli_audit as _cli_audit  # noqa: E402, F401  (audit, profile)
from whosaid import cli_corpus as _cli_corpus  # noqa: E402, F401  (ingest, speakers, ...)
from whosaid import cli_spark as _cli_spark  # noqa: E402, F401  (spark)
from whosaid import cli_web as _cli_web  # noqa: E402, F401  (serve)

if __name__ == "__main__":  # pragma: no cover
    app()
