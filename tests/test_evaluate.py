"""Scoring against PolNeAR gold: the numbers the project reports must mean what they say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from whosaid.brat import BratAttribution
from whosaid.evaluate import ROLES, Scores, evaluate_dir, score_document

POLNEAR_DEV = Path(__file__).resolve().parents[2] / "shared/data/polnear/dev"


def at(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``sub``, so tests read as text, not numbers."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def att(
    cue: list[tuple[int, int]] | None = None,
    source: list[tuple[int, int]] | None = None,
    content: list[tuple[int, int]] | None = None,
) -> BratAttribution:
    roles = {"Cue": cue, "Source": source, "Content": content}
    return BratAttribution({k: v for k, v in roles.items() if v})


def exact(scores: Scores, role: str) -> tuple[float, float, float]:
    return scores[role].exact()


TEXT = 'Smith said "we will win" on Monday, and Jones told reporters the plan failed.'


def smith(text: str = TEXT) -> BratAttribution:
    return att([at(text, "said")], [at(text, "Smith")], [at(text, '"we will win"')])


def jones(text: str = TEXT) -> BratAttribution:
    return att([at(text, "told")], [at(text, "Jones")], [at(text, "the plan failed")])


def test_perfect_match_scores_one_everywhere() -> None:
    gold = [smith(), jones()]
    scores = score_document(TEXT, gold, [smith(), jones()])
    for role in ROLES:
        assert scores[role].exact() == (1.0, 1.0, 1.0)
        assert scores[role].overlap() == (1.0, 1.0, 1.0)
        assert scores[role].pred_total == scores[role].gold_total == 2


def test_whitespace_only_difference_is_still_exact() -> None:
    text = 'Smith said\n "we will win" today.'
    gold = [att([at(text, "said")], [at(text, "Smith")], [at(text, '"we will win"')])]
    pred = [
        att(
            [at(text, "said\n ")],  # trailing newline and space
            [at(text, "Smith ")],
            [at(text, ' "we will win" ')],
        )
    ]
    scores = score_document(text, gold, pred)
    for role in ROLES:
        assert exact(scores, role) == (1.0, 1.0, 1.0)


def test_cue_mismatch() -> None:
    gold = [smith()]
    pred = [att([at(TEXT, "Smith said")], [at(TEXT, "Smith")], [at(TEXT, '"we will win"')])]
    scores = score_document(TEXT, gold, pred)
    assert exact(scores, "cue") == (0.0, 0.0, 0.0)
    assert exact(scores, "attribution") == (0.0, 0.0, 0.0)
    # the cue overlaps the gold cue, so source and content are judged on their own
    assert exact(scores, "source") == (1.0, 1.0, 1.0)
    assert exact(scores, "content") == (1.0, 1.0, 1.0)


def test_source_is_correct_only_when_cue_overlaps() -> None:
    gold = [smith()]
    elsewhere = att([at(TEXT, "told")], [at(TEXT, "Smith")], [at(TEXT, '"we will win"')])
    scores = score_document(TEXT, gold, [elsewhere])
    assert scores["source"].pred_correct == 0
    assert scores["source"].gold_matched == 0
    assert scores["content"].pred_correct == 0

    sa = at(TEXT, "sa")  # part of "said": overlaps the gold cue without equalling it
    scores = score_document(TEXT, gold, [att([sa], [at(TEXT, "Smith")])])
    assert scores["cue"].pred_correct == 0
    assert scores["source"].pred_correct == 1
    assert scores["source"].gold_matched == 1
    assert scores["content"].pred_correct == 0  # predicted absent, gold present


def test_absent_source_on_both_sides_counts_as_equal() -> None:
    text = "It was reported that the talks collapsed."
    gold = [att([at(text, "was reported")], None, [at(text, "that the talks collapsed")])]
    same = [att([at(text, "was reported")], None, [at(text, "that the talks collapsed")])]
    scores = score_document(text, gold, same)
    assert scores["source"].pred_total == scores["source"].gold_total == 1
    assert exact(scores, "source") == (1.0, 1.0, 1.0)
    assert exact(scores, "attribution") == (1.0, 1.0, 1.0)
    # overlap has no source tokens on either side: reported as 0, not as a division error
    assert scores["source"].overlap() == (0.0, 0.0, 0.0)

    invented = [
        att([at(text, "was reported")], [at(text, "It")], [at(text, "that the talks collapsed")])
    ]
    scores = score_document(text, gold, invented)
    assert exact(scores, "source") == (0.0, 0.0, 0.0)
    assert exact(scores, "attribution") == (0.0, 0.0, 0.0)


def test_discontinuous_content() -> None:
    text = '"We will," she said, "win the vote."'
    both = [at(text, '"We will,"'), at(text, '"win the vote."')]
    gold = [att([at(text, "said")], [at(text, "she")], both)]

    scores = score_document(text, gold, [att([at(text, "said")], [at(text, "she")], both)])
    assert exact(scores, "content") == (1.0, 1.0, 1.0)

    # fragments given in another order and with different whitespace: same characters
    reordered = [at(text, ' "win the vote."'), at(text, '"We will," ')]
    scores = score_document(text, gold, [att([at(text, "said")], [at(text, "she")], reordered)])
    assert exact(scores, "content") == (1.0, 1.0, 1.0)

    first_only = att([at(text, "said")], [at(text, "she")], both[:1])
    scores = score_document(text, gold, [first_only])
    assert exact(scores, "content") == (0.0, 0.0, 0.0)
    # tokens: gold content " We will , " win the vote . " = 11, prediction " We will , " = 5
    assert scores["content"].gold_tokens == 11
    assert scores["content"].pred_tokens == 5
    assert scores["content"].overlap()[:2] == (1.0, 5 / 11)


def test_overlap_token_counts_by_hand() -> None:
    text = "Officials said the plan would fail badly."
    gold = [
        att([at(text, "said")], [at(text, "Officials")], [at(text, "the plan would fail badly")])
    ]
    # prediction: content "would fail badly." (would fail badly .) and a cue "Officials said"
    pred = [
        att([at(text, "Officials said")], [at(text, "Officials")], [at(text, "would fail badly.")])
    ]
    scores = score_document(text, gold, pred)

    content = scores["content"]
    assert (content.pred_tokens, content.pred_tokens_in_gold) == (4, 3)
    assert (content.gold_tokens, content.gold_tokens_in_pred) == (5, 3)
    p, r, f = content.overlap()
    assert (p, r) == (0.75, 0.6)
    assert f == pytest.approx(2 * 0.75 * 0.6 / 1.35)

    cue = scores["cue"]
    # predicted cue "Officials said" has 2 tokens, 1 of them gold; the gold cue "said" is found
    assert (cue.pred_tokens, cue.pred_tokens_in_gold) == (2, 1)
    assert (cue.gold_tokens, cue.gold_tokens_in_pred) == (1, 1)
    # attribution: union of roles. gold: Officials said the plan would fail badly (7 tokens);
    # predicted: Officials said would fail badly . (6 tokens), 5 of them gold
    whole = scores["attribution"]
    assert (whole.pred_tokens, whole.pred_tokens_in_gold) == (6, 5)
    assert (whole.gold_tokens, whole.gold_tokens_in_pred) == (7, 5)


def test_token_cut_by_a_span_boundary_is_not_inside() -> None:
    text = "Officials said the plan would fail badly."
    gold = [att([at(text, "said")], None, [at(text, "the plan would fail badly")])]
    pred = [att([at(text, "said")], None, [at(text, "plan would fai")])]
    content = score_document(text, gold, pred)["content"]
    assert (content.pred_tokens, content.pred_tokens_in_gold) == (2, 2)  # "plan", "would"
    assert (content.gold_tokens, content.gold_tokens_in_pred) == (5, 2)


def test_micro_average_sums_counts_over_documents() -> None:
    doc1 = score_document(TEXT, [smith()], [smith()])  # cue 1/1 correct
    text2 = "Brown said yes, Green said no, White said maybe."
    gold2 = [att([at(text2, "said")])]
    pred2 = [att([at(text2, "Brown")]), att([at(text2, "Green")]), att([at(text2, "White")])]
    doc2 = score_document(text2, gold2, pred2)  # cue 0/3 correct, 0/1 found
    assert doc2["cue"].exact() == (0.0, 0.0, 0.0)

    total = Scores().add(doc1).add(doc2)
    c = total["cue"]
    assert (c.pred_total, c.pred_correct, c.gold_total, c.gold_matched) == (4, 1, 2, 1)
    p, r, f = total["cue"].exact()
    assert (p, r) == (0.25, 0.5)  # macro would give P = 0.5
    assert f == pytest.approx(1 / 3)
    assert total.precision("cue") == 0.25
    assert total.recall("cue", "overlap") == c.overlap()[1]
    # adding did not change the per-document objects
    assert doc1["cue"].pred_total == 1


def test_each_gold_counts_once_and_duplicate_predictions_each_count() -> None:
    gold = [smith()]
    scores = score_document(TEXT, gold, [smith(), smith()])
    assert (scores["cue"].pred_total, scores["cue"].pred_correct) == (2, 2)
    assert (scores["cue"].gold_total, scores["cue"].gold_matched) == (1, 1)


def test_gold_without_cue_counts_in_recall_for_its_roles() -> None:
    text = "The senator, aides say, will resign."
    gold = [att(None, [at(text, "aides")], [at(text, "The senator")]), att([at(text, "say")])]
    scores = score_document(text, gold, gold)
    assert scores["cue"].gold_total == 1  # only the attribution with a cue
    assert scores["source"].gold_total == 2  # the cue-less one has a source
    assert scores["source"].gold_matched == 1  # it can never be matched: no cue to overlap
    assert scores["attribution"].gold_total == 2
    assert scores["attribution"].gold_matched == 2  # as a whole it equals itself
    # an attribution with no roles at all is ignored on both sides
    empty = score_document(text, [BratAttribution({})], [BratAttribution({})])
    assert all(empty[r].gold_total == empty[r].pred_total == 0 for r in ROLES)


def test_span_outside_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        score_document("short", [], [att([(2, 99)])])


def test_as_dict_and_markdown() -> None:
    text = "Officials said the plan would fail badly."
    gold = [
        att([at(text, "said")], [at(text, "Officials")], [at(text, "the plan would fail badly")])
    ]
    pred = [att([at(text, "said")], [at(text, "Officials")], [at(text, "would fail badly.")])]
    scores = score_document(text, gold, pred)
    d = scores.as_dict()
    json.dumps(d)  # JSON-able
    assert set(d) == set(ROLES)
    assert d["content"]["overlap"]["p"] == 0.75
    assert d["content"]["overlap"]["f1"] == round(2 * 0.75 * 0.6 / 1.35, 4)
    assert d["cue"]["exact"] == {
        "p": 1.0,
        "r": 1.0,
        "f1": 1.0,
        "pred_total": 1,
        "pred_correct": 1,
        "gold_total": 1,
        "gold_matched": 1,
    }
    table = scores.markdown().splitlines()
    assert table[0].startswith("| role | exact P | exact R | exact F1 | overlap P")
    assert len(table) == 2 + len(ROLES)
    assert table[2].startswith("| cue | 1.000 | 1.000 | 1.000 |")
    assert "| content | 0.000 | 0.000 | 0.000 | 0.750 | 0.600 | 0.667 |" in table


# --- folders ----------------------------------------------------------------------

A_TEXT = 'Smith said "we will win" on Monday.\n'
B_TEXT = "Jones told reporters\nthe plan\nhad failed, officials said.\n"


def _ann_line(ident: str, label: str, text: str, frags: list[tuple[int, int]]) -> str:
    spec = ";".join(f"{s} {e}" for s, e in frags)
    return f"{ident}\t{label} {spec}\t" + " ".join(text[s:e] for s, e in frags)


def a_gold_ann() -> str:
    t = A_TEXT
    return "\n".join(
        [
            _ann_line("T1", "Source", t, [at(t, "Smith")]),
            _ann_line("T2", "Cue", t, [at(t, "said")]),
            _ann_line("T3", "Content", t, [at(t, '"we will win"')]),
            _ann_line("T4", "Attribution", t, [at(t, "said")]),
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            "",
        ]
    )


def b_gold_ann() -> str:
    """E line first, and a content span whose text runs over two lines of the file."""
    t = B_TEXT
    return "\n".join(
        [
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            _ann_line("T1", "Source", t, [at(t, "Jones")]),
            _ann_line("T2", "Cue", t, [at(t, "told")]),
            _ann_line("T3", "Content", t, [at(t, "the plan\nhad failed")]),  # multi-line text
            _ann_line("T4", "Attribution", t, [at(t, "told")]),
            "",
        ]
    )


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    gold = tmp_path / "gold"
    (gold / "text").mkdir(parents=True)
    (gold / "attributions").mkdir()
    (gold / "text" / "a.txt").write_text(A_TEXT, encoding="utf-8")
    (gold / "text" / "b.txt").write_text(B_TEXT, encoding="utf-8")
    (gold / "text" / "c.txt").write_text(A_TEXT, encoding="utf-8")
    # two annotators of a: "a_1" sorts first and is the gold; "a_2" saw nothing
    (gold / "attributions" / "a_2.ann").write_text("", encoding="utf-8")
    (gold / "attributions" / "a_1.ann").write_text(a_gold_ann(), encoding="utf-8")
    (gold / "attributions" / "b_x.ann").write_text(b_gold_ann(), encoding="utf-8")
    (gold / "attributions" / "c_x.ann").write_text(a_gold_ann(), encoding="utf-8")
    return gold


def test_evaluate_dir_with_prediction_files(corpus: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "a.ann").write_text(a_gold_ann(), encoding="utf-8")  # <article>.ann
    (pred / "b_system.ann").write_text(b_gold_ann(), encoding="utf-8")  # <article>_*.ann
    # c has no prediction file: it counts as no predictions

    calls: list[tuple[int, int]] = []
    per_article: dict[str, Scores] = {}
    scores, n = evaluate_dir(
        corpus,
        pred,
        progress=lambda done, total: calls.append((done, total)),
        per_article=per_article,
    )
    assert n == 3
    assert calls == [(1, 3), (2, 3), (3, 3)]
    assert set(per_article) == {"a", "b", "c"}
    for role in ROLES:
        assert per_article["a"][role].exact() == (1.0, 1.0, 1.0)  # gold is a_1, not a_2
        assert per_article["b"][role].exact() == (1.0, 1.0, 1.0)
        assert per_article["c"][role].pred_total == 0
        c = scores[role]
        assert (c.pred_total, c.pred_correct, c.gold_total, c.gold_matched) == (2, 2, 3, 2)
        assert scores.precision(role) == 1.0
        assert scores.recall(role) == pytest.approx(2 / 3)
    # the multi-line content: the, plan, had, failed
    assert per_article["b"]["content"].gold_tokens == 4


def test_evaluate_dir_prefers_exact_prediction_file(corpus: Path, tmp_path: Path) -> None:
    pred = tmp_path / "pred"
    pred.mkdir()
    (pred / "a.ann").write_text(a_gold_ann(), encoding="utf-8")
    (pred / "a_other.ann").write_text("", encoding="utf-8")
    per_article: dict[str, Scores] = {}
    evaluate_dir(corpus, pred, per_article=per_article)
    assert per_article["a"]["cue"].exact() == (1.0, 1.0, 1.0)


def test_evaluate_dir_gold_against_itself(corpus: Path) -> None:
    # a PolNeAR-layout folder as --pred reads its attributions/, first annotator again
    scores, n = evaluate_dir(corpus, corpus)
    assert n == 3
    for role in ROLES:
        assert scores[role].exact() == (1.0, 1.0, 1.0)
        assert scores[role].overlap() == (1.0, 1.0, 1.0)


def test_evaluate_dir_runs_the_pipeline_without_pred(corpus: Path) -> None:
    scores, n = evaluate_dir(corpus)
    assert n == 3
    assert scores["cue"].gold_total == 3
    for role in ROLES:
        for value in (*scores[role].exact(), *scores[role].overlap()):
            assert 0.0 <= value <= 1.0


def test_evaluate_dir_rejects_other_layouts(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        evaluate_dir(tmp_path / "missing")
    (tmp_path / "attributions").mkdir()
    with pytest.raises(FileNotFoundError, match=r"no text/ folder"):
        evaluate_dir(tmp_path)
    (tmp_path / "text").mkdir()
    with pytest.raises(ValueError, match=r"no \.txt articles"):
        evaluate_dir(tmp_path)
    other = tmp_path / "other"
    (other / "text").mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match=r"other: no attributions/ folder"):
        evaluate_dir(other)


def test_evaluate_dir_missing_pred_folder(corpus: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nowhere"):
        evaluate_dir(corpus, tmp_path / "nowhere")


def test_real_polnear_dev_gold_against_itself_is_perfect() -> None:
    if not (POLNEAR_DEV / "text").is_dir():
        pytest.skip(f"PolNeAR dev split not found at {POLNEAR_DEV}")
    scores, n = evaluate_dir(POLNEAR_DEV, POLNEAR_DEV)
    assert n > 0
    assert scores["cue"].gold_total > 1000
    for role in ROLES:
        assert scores[role].exact() == (1.0, 1.0, 1.0)
        assert scores[role].overlap() == (1.0, 1.0, 1.0)
