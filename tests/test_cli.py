"""The command line and the output formatters.

These check this layer's behaviour (files read and written, error reporting,
formats, exit codes); what the extractor finds is tested elsewhere, so the
formatter tests build Documents by hand.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
import types
from collections.abc import Iterable, Iterator
from pathlib import Path

import jsonschema
import pytest
from rich.console import Console
from typer.testing import CliRunner

import whosaid
from whosaid import parse, pipeline
from whosaid.brat import parse_ann, to_ann
from whosaid.cli import app
from whosaid.model import (
    Attribution,
    AttributionType,
    Citation,
    Document,
    Source,
    Speaker,
    SpeakerKind,
    content_of,
    span_of,
)
from whosaid.output import (
    CSV_COLUMNS,
    csv_header,
    csv_rows,
    render_table,
    to_brat,
    to_json,
    to_jsonl_line,
)
from whosaid.parse import paragraphs_of

STRINGER = (
    "Lieutenant General Johnny Stringer, the alliance's deputy supreme allied commander, "
    "warned that drones are a threat."
)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()
VALIDATOR = jsonschema.Draft202012Validator(Document.model_json_schema())


def run(*args: str | Path) -> object:
    return runner.invoke(app, [str(a) for a in args])


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def stub_extract_many(items: Iterable[pipeline.Item], *, model: str = "fast",
                      batch_size: int = 16) -> Iterator[Document]:
    """A stand-in for the extractor: one attribution per "<source> said/warned <content>".

    Keeps the CLI tests about the CLI (reading, writing, formats, exit codes) and
    independent of the tagger model, while still giving the formats real rows.
    """
    for name, text, meta in items:
        attributions = []
        for m in _CUE.finditer(text):
            start = text.rfind(".", 0, m.start()) + 1
            while start < m.start() and text[start].isspace():
                start += 1
            stop = text.find(".", m.end())
            stop = len(text) if stop < 0 else stop
            source = text[start:m.start()].rstrip(" ,")
            attributions.append(Attribution(
                source=Source(text=source, start=start, end=start + len(source))
                if source else None,
                cue=span_of(text, m.start(), m.end()),
                content=content_of(text, [(m.end() + 1, stop)]) if stop > m.end() + 1 else None,
            ))
        yield Document(name=name, text=text, metadata=meta, paragraphs=paragraphs_of(text),
                       attributions=attributions, model=model)


_CUE = re.compile(r"\b(said|warned|argue)\b")


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "extract_many", stub_extract_many)


def valid_document(obj: object) -> Document:
    VALIDATOR.validate(obj)
    return Document.model_validate(obj)


# --- a hand-built document -------------------------------------------------------

TEXT = (
    '"We will not back down," said Dr. Amara Okafor, the agency\'s chief economist. '
    "She warned that [bold]rents[/bold] were rising. (Source: Agency bulletin)"
)


def sample_doc() -> Document:
    """Two attributions (one through a pronoun) and a citation, offsets into TEXT."""
    t = TEXT
    name_start = t.index("Amara Okafor")
    okafor = Speaker(name="Amara Okafor", kind=SpeakerKind.PERSON, named=True, title="Dr.",
                     role="the agency's chief economist", id="s1")
    src1_start = t.index("Dr. Amara")
    src1_end = t.index(", the agency")
    said = t.index("said")
    she = t.index("She")
    warned = t.index("warned")
    rents_start = t.index("[bold]")
    rents_end = t.index(" (Source")
    marker = t.index("(Source")
    return Document(
        name="sample",
        text=t,
        attributions=[
            Attribution(
                source=Source(text=t[src1_start:src1_end], start=src1_start, end=src1_end,
                              speaker=okafor),
                cue=span_of(t, said, said + 4),
                content=content_of(t, [(1, t.index(',"') + 1)]),
                type=AttributionType.DIRECT,
                confidence=0.9,
            ),
            Attribution(
                source=Source(text="She", start=she, end=she + 3, speaker=okafor,
                              resolved_from=span_of(t, name_start, name_start + 12)),
                cue=span_of(t, warned, warned + 6),
                content=content_of(t, [(rents_start, rents_end - 1), (warned + 12, warned + 16)]),
                type=AttributionType.INDIRECT,
            ),
            Attribution(cue=span_of(t, warned, warned + 6)),  # no source, no content
        ],
        speakers=[okafor],
        citations=[Citation(text="(Source: Agency bulletin)", label="Agency bulletin",
                            start=marker, end=len(t), scope=(she, marker), kind="label")],
    )


# --- output formatters ------------------------------------------------------------


def test_to_json_round_trips_and_matches_schema() -> None:
    doc = sample_doc()
    data = json.loads(to_json(doc))
    assert valid_document(data) == doc
    assert "\n  " in to_json(doc)  # indented for people


def test_to_jsonl_line_is_one_line() -> None:
    line = to_jsonl_line(sample_doc())
    assert "\n" not in line
    assert valid_document(json.loads(line)) == sample_doc()


def test_csv_rows() -> None:
    doc = sample_doc()
    rows = csv_rows(doc)
    assert csv_header() == list(CSV_COLUMNS)
    assert len(rows) == 3
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    first = dict(zip(CSV_COLUMNS, rows[0], strict=True))
    assert first["document"] == "sample"
    assert first["type"] == "direct"
    assert (first["speaker"], first["speaker_kind"]) == ("Amara Okafor", "person")
    assert first["source"] == "Dr. Amara Okafor"
    assert doc.text[int(first["source_start"]):int(first["source_end"])] == first["source"]
    assert first["cue"] == "said"
    assert doc.text[int(first["cue_start"]):int(first["cue_end"])] == "said"
    assert first["content"] == "We will not back down,"
    assert first["content_fragments"] == "1-23"
    assert first["confidence"] == "0.9"
    second = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert second["source"] == "She"
    assert second["speaker"] == "Amara Okafor"
    assert second["content_fragments"].count(";") == 1
    assert all(part.count("-") == 1 for part in second["content_fragments"].split(";"))
    third = dict(zip(CSV_COLUMNS, rows[2], strict=True))
    assert third["speaker"] == third["source"] == third["content"] == ""
    assert third["confidence"] == "1"


def test_csv_rows_empty_document() -> None:
    assert csv_rows(Document(name="x", text="Nothing here.")) == []


def test_to_brat_is_polnear_standoff() -> None:
    doc = sample_doc()
    assert to_brat(doc) == to_ann(doc)
    parsed = parse_ann(to_brat(doc))
    assert len(parsed) == 3
    assert parsed[0].get("Source") == [(doc.attributions[0].source.start,  # type: ignore[union-attr]
                                        doc.attributions[0].source.end)]  # type: ignore[union-attr]


def render(doc: Document, width: int = 200) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None)
    render_table(doc, console)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_render_table_shows_speaker_cue_content_type() -> None:
    out = render(sample_doc())
    for header in ("#", "Speaker (kind)", "Cue", "Content", "Type"):
        assert header in out
    assert "Amara Okafor" in out and "(person)" in out
    assert "We will not back down," in out
    assert "direct" in out and "indirect" in out
    assert "Citations" in out and "Agency bulletin" in out


def test_render_table_does_not_interpret_markup() -> None:
    out = render(sample_doc())
    assert "[bold]rents[/bold]" in out  # article text is shown literally, not styled


def test_render_table_colours() -> None:
    console = Console(file=io.StringIO(), width=200, force_terminal=True, color_system="standard")
    render_table(sample_doc(), console)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b[36m" in out  # cyan speaker
    assert "\x1b[33m" in out  # yellow cue


def test_render_table_truncates_long_content() -> None:
    text = "He said " + "very " * 100 + "long."
    doc = Document(name="long", text=text, attributions=[
        Attribution(cue=span_of(text, 3, 7), content=content_of(text, [(8, len(text))]))])
    out = render(doc, width=400)
    assert "…" in out
    assert "very " * 40 not in out


def test_render_table_empty_document() -> None:
    out = render(Document(name="quiet", text="Nothing was said."))
    assert "quiet" in out and "no attributions found" in out
    assert "Citations" not in out


# --- small commands ---------------------------------------------------------------


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert whosaid.__version__ in result.stdout


def test_schema() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == Document.model_json_schema()


@pytest.mark.parametrize("args", [
    [],
    ["extract"],
    ["extract", "--format", "xml", "x.txt"],
    ["extract", "--model", "no-such-model", "x.txt"],
    ["no-such-command"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_table_with_out_is_a_usage_error(tmp_path: Path) -> None:
    src = write(tmp_path / "a.txt", STRINGER)
    result = run("extract", "--format", "table", "--out", tmp_path / "out", src)
    assert result.exit_code == 2
    assert "table output goes to the terminal" in result.stderr
    assert not (tmp_path / "out").exists()


def test_out_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    src = write(tmp_path / "a.txt", STRINGER)
    result = run("extract", "--format", "json", "--out", src, src)
    assert result.exit_code == 2


# --- extract: formats on stdout ---------------------------------------------------


def test_single_document_json_by_default(tmp_path: Path) -> None:
    src = write(tmp_path / "stringer.txt", STRINGER)
    result = run("extract", src)  # stdout is not a terminal under CliRunner -> json
    assert result.exit_code == 0, result.stderr
    doc = valid_document(json.loads(result.stdout))
    assert doc.name == "stringer"
    assert doc.text == STRINGER
    for att in doc.attributions:  # whatever the extractor finds, offsets must hold
        assert doc.text[att.cue.start:att.cue.end] == att.cue.text


@pytest.mark.usefixtures("stub")
def test_several_documents_json_array(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STRINGER)
    write(tmp_path / "b.txt", "Officials said the talks would resume.")
    result = run("extract", "--format", "json", tmp_path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert [valid_document(d).name for d in data] == ["a", "b"]


def test_no_documents_json_is_empty_array(tmp_path: Path) -> None:
    result = run("extract", "--format", "json", tmp_path / "missing.txt")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []


@pytest.mark.usefixtures("stub")
def test_jsonl_stdout(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STRINGER)
    write(tmp_path / "b.txt", "She said no.")
    result = run("extract", "--format", "jsonl", tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [valid_document(json.loads(line)).name for line in lines] == ["a", "b"]


@pytest.mark.usefixtures("stub")
def test_csv_stdout(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STRINGER)
    result = run("extract", "--format", "csv", tmp_path)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == csv_header()
    assert len(rows) == 2
    row = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    assert row["document"] == "a" and row["cue"] == "warned"
    assert STRINGER[int(row["cue_start"]):int(row["cue_end"])] == "warned"


@pytest.mark.usefixtures("stub")
def test_brat_stdout(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", STRINGER)
    write(tmp_path / "b.txt", "He said yes.")
    result = run("extract", "--format", "brat", tmp_path)
    assert result.exit_code == 0, result.stderr
    headers = [line for line in result.stdout.splitlines() if line.startswith("# ")]
    assert headers == ["# a", "# b"]
    blocks = [block.split("\n", 1)[1] for block in result.stdout.split("# ")[1:]]
    assert [len(parse_ann(block)) for block in blocks] == [1, 1]  # valid standoff each


@pytest.mark.usefixtures("stub")
def test_table_stdout(tmp_path: Path) -> None:
    src = write(tmp_path / "stringer.txt", STRINGER)
    result = run("extract", "--format", "table", src)
    assert result.exit_code == 0, result.stderr
    assert "stringer" in result.stdout
    assert "attribution(s)" in result.stdout


@pytest.mark.usefixtures("stub")
def test_stdin() -> None:
    result = runner.invoke(app, ["extract", "-f", "jsonl", "-"], input="He said hi.\r\n")
    assert result.exit_code == 0, result.stderr
    doc = valid_document(json.loads(result.stdout))
    assert (doc.name, doc.text) == ("stdin", "He said hi.\n")


@pytest.mark.usefixtures("stub")
def test_crlf_normalised_end_to_end(tmp_path: Path) -> None:
    src = tmp_path / "crlf.txt"
    src.write_bytes(b"First paragraph.\r\n\r\nHe said the second one.\r\n")
    doc = valid_document(json.loads(run("extract", "-f", "json", src).stdout))
    assert doc.text == "First paragraph.\n\nHe said the second one.\n"
    assert all(doc.text[p.start:p.end].strip() for p in doc.paragraphs)


@pytest.mark.usefixtures("stub")
def test_html_end_to_end_strips_boilerplate() -> None:
    result = run("extract", "-f", "json", EXAMPLES / "cycle-lanes.html")
    assert result.exit_code == 0, result.stderr
    doc = valid_document(json.loads(result.stdout))
    assert "Okonjo told the chamber" in doc.text
    assert "All rights reserved" not in doc.text and "Subscribe" not in doc.text
    assert doc.metadata["author"] == "Priya Natarajan"


def test_examples_all_process() -> None:
    result = run("extract", "-f", "jsonl", EXAMPLES)
    assert result.exit_code == 0, result.stderr
    docs = [valid_document(json.loads(line)) for line in result.stdout.splitlines()]
    assert len(docs) == 7
    wire = {d.name: d for d in docs}["wire-0002"]
    assert wire.metadata["outlet"] == "Harbour Wire"


# --- extract: --out ---------------------------------------------------------------


@pytest.mark.usefixtures("stub")
def test_out_json_one_file_per_document(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", STRINGER)
    write(tmp_path / "in" / "sub" / "b.txt", "They said so.")
    out = tmp_path / "out" / "nested"
    result = run("extract", "--format", "json", "--out", out, tmp_path / "in")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "b.json"]
    doc = valid_document(json.loads((out / "a.json").read_text(encoding="utf-8")))
    assert doc.text == STRINGER
    assert result.stdout == ""


def test_out_brat_writes_exactly_one_ann_per_txt(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    for name in ("one", "two", "three"):
        write(inputs / f"{name}.txt", STRINGER)
    out = tmp_path / "out"
    result = run("extract", "--format", "brat", "--out", out, inputs)
    assert result.exit_code == 0, result.stderr
    # brat opens a document from its .txt and .ann side by side
    assert sorted(p.name for p in out.iterdir()) == [
        "one.ann", "one.txt", "three.ann", "three.txt", "two.ann", "two.txt"]
    for ann in out.glob("*.ann"):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        assert text == STRINGER
        spans = re.findall(r"^T\d+\t\S+ (\d+) (\d+)\t(.*)$", ann.read_text(encoding="utf-8"),
                           re.M)
        assert spans and all(text[int(a):int(b)] == t for a, b, t in spans)
        parse_ann(ann.read_text(encoding="utf-8"))


@pytest.mark.usefixtures("stub")
def test_out_brat_uses_jsonl_document_names(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "w1", "text": STRINGER}) + "\n" + json.dumps({"text": "He said."}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("extract", "--format", "brat", "--out", out, feed)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["feed-2.ann", "feed-2.txt", "w1.ann",
                                                      "w1.txt"]
    assert (out / "w1.txt").read_text(encoding="utf-8") == STRINGER


@pytest.mark.usefixtures("stub")
def test_out_jsonl_and_csv_combined_files(tmp_path: Path) -> None:
    write(tmp_path / "in" / "a.txt", STRINGER)
    write(tmp_path / "in" / "b.txt", "Critics argue that it is too late.")
    out = tmp_path / "out"
    assert run("extract", "-f", "jsonl", "-o", out, tmp_path / "in").exit_code == 0
    assert run("extract", "-f", "csv", "-o", out, tmp_path / "in").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["attributions.csv", "attributions.jsonl"]
    lines = (out / "attributions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [valid_document(json.loads(line)).name for line in lines] == ["a", "b"]
    with (out / "attributions.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == csv_header()


@pytest.mark.usefixtures("stub")
def test_out_default_format_is_json(tmp_path: Path) -> None:
    src = write(tmp_path / "a.txt", STRINGER)
    result = run("extract", "--out", tmp_path / "out", src)
    assert result.exit_code == 0, result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["a.json"]


@pytest.mark.usefixtures("stub")
def test_out_names_are_made_safe_and_unique(tmp_path: Path) -> None:
    write(tmp_path / "x" / "same.txt", "He said one.")
    write(tmp_path / "y" / "same.txt", "He said two.")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "../../escape", "text": "She said three."}) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = run("extract", "-f", "json", "-o", out, tmp_path / "x", tmp_path / "y", feed)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["_.._escape.json", "same-2.json", "same.json"]
    assert not (tmp_path / "escape.json").exists()
    assert "two documents named 'same'" in result.stderr


# --- extract: bad inputs ----------------------------------------------------------


@pytest.mark.usefixtures("stub")
def test_bad_inputs_reported_and_others_processed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parse, "MAX_CHARS", 500)
    inputs = tmp_path / "in"
    write(inputs / "a-good.txt", STRINGER)
    (inputs / "b-binary.txt").write_bytes(b"\x7fELF\x00\x00\x00")
    (inputs / "c-latin1.txt").write_bytes("Il a dit: «très bien».".encode("latin-1"))
    write(inputs / "d-empty.txt", "  \n")
    write(inputs / "e-huge.txt", "word " * 200)
    write(inputs / "f-feed.jsonl", "\n".join([
        json.dumps({"id": "ok-line", "text": "Officials said it was fine."}),
        "{not json",
        json.dumps({"id": "no-text"}),
    ]) + "\n")
    write(inputs / "g-good.txt", "Critics argue that the plan is flawed.")
    missing = tmp_path / "missing.txt"

    result = run("extract", "--format", "jsonl", missing, inputs)

    assert result.exit_code == 1
    names = [json.loads(line)["name"] for line in result.stdout.splitlines()]
    assert names == ["a-good", "ok-line", "g-good"]
    err = result.stderr
    assert f"error: {missing}: no such file or folder" in err
    assert f"error: {inputs / 'b-binary.txt'}: not UTF-8 text (binary?)" in err
    assert f"error: {inputs / 'c-latin1.txt'}: not UTF-8 text (byte 0x" in err  # issue 16
    assert f"error: {inputs / 'd-empty.txt'}: empty document" in err
    assert f"error: {inputs / 'e-huge.txt'}: too large: 1000 characters, limit 500" in err
    assert f"error: {inputs / 'f-feed.jsonl'}:2: invalid JSON" in err
    assert f"error: {inputs / 'f-feed.jsonl'}:3: no \"text\" field" in err
    assert err.count("error: ") == 7


@pytest.mark.usefixtures("stub")
def test_bad_input_with_out_still_writes_good_files(tmp_path: Path) -> None:
    write(tmp_path / "in" / "good.txt", STRINGER)
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x00")
    out = tmp_path / "out"
    result = run("extract", "-f", "brat", "-o", out, tmp_path / "in")
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["good.ann", "good.txt"]
    assert "bad.txt: not UTF-8 text (binary?)" in result.stderr


@pytest.mark.usefixtures("stub")
def test_unwritable_output_is_reported(tmp_path: Path) -> None:
    src = write(tmp_path / "a.txt", STRINGER)
    out = tmp_path / "out"
    (out / "attributions.jsonl").mkdir(parents=True)  # the file cannot be created
    result = run("extract", "-f", "jsonl", "-o", out, src)
    assert result.exit_code == 1
    assert f"error: {out / 'attributions.jsonl'}:" in result.stderr


@pytest.mark.usefixtures("stub")
def test_all_good_exits_0_and_stderr_has_no_errors(tmp_path: Path) -> None:
    src = write(tmp_path / "a.txt", STRINGER)
    result = run("extract", "-f", "jsonl", src)
    assert result.exit_code == 0
    assert "error" not in result.stderr


def test_documents_stream_through_extract_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI hands extract_many a lazy stream and writes each result as it comes."""
    for name in ("a", "b", "c"):
        write(tmp_path / f"{name}.txt", f"{name} said so.")
    events: list[str] = []
    def spy(items: Iterable[pipeline.Item], *, model: str = "fast") -> Iterator[Document]:
        assert not isinstance(items, list | tuple)
        assert model == "fast"
        for item in items:
            events.append(f"read {item[0]}")
            yield from stub_extract_many([item], model=model)

    monkeypatch.setattr(pipeline, "extract_many", spy)
    out = tmp_path / "out"
    result = run("extract", "-f", "jsonl", "-o", out, tmp_path)
    assert result.exit_code == 0, result.stderr
    assert events == ["read a", "read b", "read c"]


# --- eval -------------------------------------------------------------------------


class FakeScores:
    def markdown(self) -> str:
        return "| role | P | R | F1 |\n|---|---|---|---|\n| Cue | 1.0 | 0.5 | 0.67 |"

    def as_dict(self) -> dict[str, object]:
        return {"Cue": {"p": 1.0, "r": 0.5, "f1": 0.67}}


@pytest.fixture
def fake_evaluate(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    calls: list[tuple[object, ...]] = []
    module = types.ModuleType("whosaid.evaluate")

    def evaluate_dir(gold: Path, pred: Path | None, *, model: str, progress: object):  # type: ignore[no-untyped-def]
        calls.append((gold, pred, model))
        assert callable(progress)
        progress(1, 2)
        progress("article-2")
        progress()
        return FakeScores(), 2

    module.evaluate_dir = evaluate_dir  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "whosaid.evaluate", module)
    return calls


def test_eval_markdown(tmp_path: Path, fake_evaluate: list[tuple[object, ...]]) -> None:
    result = run("eval", "--gold", tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "| Cue | 1.0 | 0.5 | 0.67 |" in result.stdout
    assert "2 article(s)" in result.stdout
    assert fake_evaluate == [(tmp_path, None, "fast")]


def test_eval_json(tmp_path: Path, fake_evaluate: list[tuple[object, ...]]) -> None:
    pred = tmp_path / "pred"
    pred.mkdir()
    result = run("eval", "--gold", tmp_path, "--pred", pred, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == {"articles": 2, "scores": FakeScores().as_dict()}
    assert fake_evaluate == [(tmp_path, pred, "fast")]


def test_eval_missing_gold_is_usage_error(tmp_path: Path) -> None:
    assert run("eval", "--gold", tmp_path / "nope").exit_code == 2
    assert run("eval").exit_code == 2


def test_eval_without_evaluate_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "whosaid.evaluate", None)  # import fails
    result = run("eval", "--gold", tmp_path)
    assert result.exit_code == 1
    assert "not available" in result.stderr


# --- start-up and structure ---------------------------------------------------------


def test_help_and_version_import_nothing_heavy() -> None:
    """``whosaid --help`` must start fast: no spaCy, pydantic models, database, torch."""
    import subprocess

    code = ("import sys\nfrom whosaid.cli import app\nsys.argv = ['whosaid', '--help']\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            "heavy = ('spacy', 'pydantic', 'sqlalchemy', 'torch', 'numpy', 'trafilatura', "
            "'fastapi', 'pyarrow', 'whosaid.pipeline', 'whosaid.model')\n"
            "print(sorted(m for m in heavy if m in sys.modules))")
    for argv in ("--help", "--version"):
        out = subprocess.run([sys.executable, "-c", code.replace("--help", argv)],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1] == "[]", (argv, out)


def test_cli_constants_match_the_modules_they_stand_for() -> None:
    from whosaid import cli, cli_common
    from whosaid.extract.tagger import MODEL_DIR

    assert cli_common.MODELS == pipeline.MODELS
    assert cli.MODEL_DIR.resolve() == MODEL_DIR.resolve()


def test_command_modules_do_not_import_each_other() -> None:
    """cli imports the command modules; they import cli_common, never cli or each other."""
    src = Path(whosaid.__file__).parent
    modules = ["cli_audit", "cli_corpus", "cli_spark", "cli_web", "cli_common"]
    for name in modules:
        text = (src / f"{name}.py").read_text(encoding="utf-8")
        imported = set(re.findall(r"^\s*(?:from|import) whosaid\.(cli\w*)", text, re.M))
        assert imported <= {"cli_common"} - {name}, (name, imported)


def test_profile_files_win_over_whosaid_db(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    article = tmp_path / "a.txt"
    write(article, STRINGER)
    monkeypatch.setenv("WHOSAID_DB", str(tmp_path / "absent.db"))
    result = run("profile", "-f", "json", article)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["document"] for r in rows] == ["a"]  # the file, not the database
    assert not (tmp_path / "absent.db").exists()
    both = run("profile", "--db", tmp_path / "x.db", article)
    assert both.exit_code == 2 and "not both" in both.stderr

