"""Training: ``whosaid.train.train`` and ``whosaid train`` on a tiny PolNeAR-layout corpus.

The corpus is built in a temporary folder from the first three articles of
``../shared/data/polnear/train`` (text plus the first annotator's .ann), so the
tests take seconds and never touch the packaged model. PolNeAR is read from
``../shared``; the tests skip when it is not there.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from whosaid import pipeline
from whosaid.cli import app
from whosaid.extract.features import DocInfo
from whosaid.extract.tagger import CUE_MODEL, MODEL_DIR, ROLE_MODEL, CRFTagger, ModelMissingError
from whosaid.model import Document
from whosaid.parse import load_nlp
from whosaid.train import train

POLNEAR_TRAIN = Path(__file__).resolve().parents[2] / "shared/data/polnear/train"
N_ARTICLES = 3
runner = CliRunner()


def _tiny_corpus(dest: Path) -> Path:
    if not (POLNEAR_TRAIN / "text").is_dir():
        pytest.skip(f"PolNeAR train split not found at {POLNEAR_TRAIN}")
    (dest / "text").mkdir(parents=True)
    (dest / "attributions").mkdir()
    copied = 0
    for txt in sorted((POLNEAR_TRAIN / "text").glob("*.txt")):
        anns = sorted(
            p for p in (POLNEAR_TRAIN / "attributions").glob(f"{txt.stem}_*.ann")
            if p.stem.rsplit("_", 1)[0] == txt.stem
        )
        if not anns:
            continue
        shutil.copyfile(txt, dest / "text" / txt.name)
        shutil.copyfile(anns[0], dest / "attributions" / anns[0].name)
        copied += 1
        if copied == N_ARTICLES:
            break
    assert copied == N_ARTICLES, f"fewer than {N_ARTICLES} annotated articles in {POLNEAR_TRAIN}"
    return dest


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _tiny_corpus(tmp_path_factory.mktemp("polnear") / "train")


@pytest.fixture(scope="module")
def trained(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same corpus trained twice, into two folders."""
    first, second = tmp_path_factory.mktemp("model-a"), tmp_path_factory.mktemp("model-b")
    stages: list[tuple[str, int, int]] = []
    paths = train(corpus, first, progress=lambda stage, i, n: stages.append((stage, i, n)))
    assert paths == {"cue": first / CUE_MODEL, "role": first / ROLE_MODEL}
    # every stage reports and finishes
    for stage, n in (("parse", N_ARTICLES), ("features", N_ARTICLES), ("train", 2)):
        assert (stage, n, n) in stages
    train(corpus, second)
    return first, second


def test_training_is_deterministic(trained: tuple[Path, Path]) -> None:
    first, second = trained
    for name in (CUE_MODEL, ROLE_MODEL):
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        assert a, f"{name} is empty"
        assert a == b, f"{name} differs between two runs on the same corpus"


def test_trained_model_loads_and_tags(trained: tuple[Path, Path]) -> None:
    tagger = CRFTagger(trained[0])
    sdoc = load_nlp()("Officials said the airport would reopen on Sunday. "
                      '"We are ready," the minister told reporters.')
    tagged = tagger(DocInfo.build(sdoc))
    assert isinstance(tagged, list)
    for t in tagged:  # whatever a 3-article model finds, indices must be valid tokens
        assert t.cue and all(0 <= i < len(sdoc) for i in t.cue)
        assert all(0 <= i < len(sdoc) for i in t.source)
        assert all(0 <= i < len(sdoc) for run in t.content for i in run)
        assert 0.0 <= t.confidence <= 1.0


def test_train_without_text_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "not-polnear"
    folder.mkdir()
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    with pytest.raises((FileNotFoundError, ValueError), match=str(folder)):
        train(folder, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_train_without_gold_names_folder(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text("He said so.", encoding="utf-8")
    with pytest.raises(ValueError, match=str(tmp_path)):
        train(tmp_path, tmp_path / "out")


# --- the command ----------------------------------------------------------------


def test_cli_train_writes_models(corpus: Path, trained: tuple[Path, Path],
                                 tmp_path: Path) -> None:
    out = tmp_path / "model"
    result = runner.invoke(app, ["train", "--corpus", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    for name in (CUE_MODEL, ROLE_MODEL):
        assert f"{out / name}" in result.stdout
        assert (out / name).read_bytes() == (trained[0] / name).read_bytes()
    assert "trained in" in result.stdout
    for stage in ("parsing", "features", "training CRFs"):  # stage log off a terminal
        assert stage in result.stderr


def test_cli_train_defaults() -> None:
    """The defaults are the shared PolNeAR train split and the packaged model."""
    command = typer.main.get_command(app).commands["train"]  # type: ignore[attr-defined]
    params = {p.name: p.default for p in command.params}
    assert Path(params["corpus"]) == Path("../shared/data/polnear/train")
    assert Path(params["out"]) == MODEL_DIR


@pytest.mark.parametrize("layout", ["missing", "no-text"])
def test_cli_train_bad_corpus_exits_2(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "corpus"
    if layout == "no-text":
        (folder / "attributions").mkdir(parents=True)
    out = tmp_path / "out"
    result = runner.invoke(app, ["train", "--corpus", str(folder), "--out", str(out)])
    assert result.exit_code == 2
    assert str(folder) in result.stderr
    assert "PolNeAR" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


def test_cli_train_no_gold_exits_2(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "text" / "a.txt").write_text("He said so.", encoding="utf-8")
    result = runner.invoke(app, ["train", "--corpus", str(tmp_path), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"error: {tmp_path}" in result.stderr


# --- a missing model is a one-line error, not a traceback ---------------------------


def test_missing_model_error_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ModelMissingError, match="whosaid train"):
        CRFTagger(tmp_path)


@pytest.fixture
def no_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every front end goes through extract_many: make it meet a checkout with no model."""
    empty = tmp_path / "no-model"
    empty.mkdir()

    def extract_many(items: object, *, model: str = "fast", **_: object) -> Iterator[Document]:
        CRFTagger(empty)  # raises the real ModelMissingError
        yield from ()

    monkeypatch.setattr(pipeline, "extract_many", extract_many)


@pytest.mark.usefixtures("no_model")
def test_extract_without_model_is_one_line_error(tmp_path: Path) -> None:
    src = tmp_path / "a.txt"
    src.write_text("Officials said the airport would reopen.", encoding="utf-8")
    result = runner.invoke(app, ["extract", "-f", "jsonl", str(src)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "whosaid train" in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("no_model")
def test_eval_without_model_is_one_line_error(corpus: Path) -> None:
    result = runner.invoke(app, ["eval", "--gold", str(corpus)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "whosaid train" in lines[0]
    assert "Traceback" not in result.stderr
