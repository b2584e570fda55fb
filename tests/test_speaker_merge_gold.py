"""The hand-made speaker-merge gold (tests/data/speaker_merge_gold.tsv) and its evaluation.

The gold file is checked on its own; its offsets against the PolNeAR dev texts and
a two-article run of benchmarks/eval_speaker_merge.py need ../shared (skipped
without it).
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from whosaid.speakers import full_names_in_text

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "speaker_merge_gold.tsv"
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
# two small articles that share one person (Mike Pence), one of them only by surname
PAIR = ("usa-today_2016-09-08_with-two-months-to-go-trump-stil",
        "wash-post_2016-09-26_charlotte-struggles-to-return-to")


def _evaluator() -> ModuleType:
    name = "eval_speaker_merge"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


needs_dev = pytest.mark.skipif(not (DEV / "text").is_dir(),
                               reason=f"PolNeAR dev texts not found in {DEV}")


def test_gold_file_is_well_formed() -> None:
    ev = _evaluator()
    gold = ev.load_gold(GOLD)  # raises GoldError on a bad header, offsets or duplicates
    articles = {g.article for g in gold}
    clusters = Counter(g.cluster for g in gold)
    assert 10 <= len(articles) <= 20
    assert len(gold) >= 100
    # entities shared across articles are the point of the gold set
    cross = {c for c in clusters
             if len({g.article for g in gold if g.cluster == c}) > 1}
    assert {"donald_trump", "hillary_clinton", "barack_obama", "mike_pence"} <= cross
    # no article text: the mention column is a short reminder only
    assert all(len(g.mention) <= ev.MAX_MENTION for g in gold)
    assert all(g.end - g.start < 200 for g in gold)


def test_bad_gold_is_refused(tmp_path: Path) -> None:
    ev = _evaluator()
    path = tmp_path / "gold.tsv"
    path.write_text("article\tstart\tend\tcluster\na\t5\t3\tx\n", encoding="utf-8")
    with pytest.raises(ev.GoldError, match="start < end"):
        ev.load_gold(path)
    path.write_text("article\tstart\tend\tcluster\na\t1\t3\tx\na\t1\t3\ty\n", encoding="utf-8")
    with pytest.raises(ev.GoldError, match="duplicate"):
        ev.load_gold(path)


def test_pairwise_scores_on_a_toy_prediction() -> None:
    ev = _evaluator()
    g = [ev.GoldMention("a", 0, 5, "x"), ev.GoldMention("b", 0, 5, "x"),
         ev.GoldMention("b", 9, 12, "y"), ev.GoldMention("c", 0, 3, "x")]
    pred = {g[0]: ev.Predicted(1), g[1]: ev.Predicted(1), g[2]: ev.Predicted(1),
            g[3]: ev.Predicted(None, reason="no source")}
    s = ev.score(g, pred)
    # predicted merges: (a,b) right, (a,b9) and (b,b9) wrong; gold merges: 3 x-pairs
    assert (s["all"]["tp"], s["all"]["fp"], s["all"]["fn"]) == (1, 2, 0)
    assert s["all"]["recall_e2e"] == pytest.approx(1 / 3)
    assert (s["cross"]["tp"], s["cross"]["fp"]) == (1, 1)
    assert s["unmatched"] == Counter({"no source": 1})


def test_middle_initial_keeps_the_first_name() -> None:
    # found by the gold: "Donald J. Trump" was evidence for a "J. Trump"
    text = "Donald J. Trump spoke. Did Trump win? Candidate Trump said so. Trump left."
    assert full_names_in_text(text, "Trump") == ["Donald J. Trump"]


@needs_dev
def test_gold_offsets_fit_the_dev_texts() -> None:
    ev = _evaluator()
    assert ev.check_against_texts(ev.load_gold(GOLD), DEV) == []


@needs_dev
def test_evaluation_runs_on_two_articles(tmp_path: Path) -> None:
    ev = _evaluator()
    gold = [g for g in ev.load_gold(GOLD) if g.article in PAIR]
    assert {g.article for g in gold} == set(PAIR)
    result, pred = ev.evaluate(gold, DEV, tmp_path / "merge.db")
    assert result["mentions"] == len(gold) and result["articles"] == 2
    assert result["matched"] + sum(result["unmatched"].values()) == len(gold)
    assert set(pred) == set(gold)
    for scope in ("all", "cross"):
        assert 0.0 <= result[scope]["precision"] <= 1.0
        assert 0.0 <= result[scope]["recall"] <= 1.0
    assert "| cross-document only |" in ev.report(result, "cmd")
