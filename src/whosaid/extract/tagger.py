"""The trained part of extraction: a CRF for cues and a CRF for source/content.

Two linear-chain CRFs (python-crfsuite), trained by ``whosaid train`` on
PolNeAR train. The cue tagger labels each sentence B/I/O. The role tagger then
runs once per cue over the sentences around it and labels source (S) and
content (C) tokens, so one token can belong to different roles for different
cues ("X said Y believes Z"). CRFs are small, deterministic, need no GPU and
run at parse speed, which is why the default model is built on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from whosaid.extract.features import DocInfo, RoleFeaturizer, cue_features, role_window

MODEL_DIR = Path(str(resources.files("whosaid") / "models"))
CUE_MODEL = "cue.crfsuite"
ROLE_MODEL = "role.crfsuite"


@dataclass
class TaggedAttribution:
    """Token-level result before it becomes character spans."""

    cue: list[int]
    source: list[int]
    content: list[list[int]]  # contiguous runs
    confidence: float
    method: str = "tagger"  # or the rule that made it, kept in the output for auditability


class ModelMissingError(RuntimeError):
    pass


@lru_cache(maxsize=4)
def _tagger(path: str) -> pycrfsuite.Tagger:
    if not Path(path).exists():
        raise ModelMissingError(f"{path}: model file missing; run `whosaid train` to build it")
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


def runs(labels: list[str], tag: str, offset: int = 0) -> list[list[int]]:
    """Contiguous runs of B-tag/I-tag labels as lists of token indices."""
    out: list[list[int]] = []
    for i, lab in enumerate(labels):
        if lab == "B-" + tag or (lab == "I-" + tag and not (out and out[-1][-1] == offset + i - 1)):
            out.append([offset + i])
        elif lab == "I-" + tag:
            out[-1].append(offset + i)
    return out


def patient_source(info: DocInfo, att: TaggedAttribution) -> bool:
    """A cue verb with a by-agent whose source holds the verb's subject or the noun it
    modifies ("the town hit hardest by the floods"): that one undergoes the act, it does
    not say anything (tune part neutral, docs/accuracy.md; the demo's "town" speaker)."""
    a = info.attrs
    cue = set(att.cue)
    head = next((i for i in att.cue if a.heads[i] not in cue or a.heads[i] == i), att.cue[0])
    if not any(a.deps[c] == "agent" for c in a.children[head]):
        return False
    patients = [c for c in a.children[head] if a.deps[c] in ("nsubj", "nsubjpass")]
    if a.deps[head] == "acl":
        patients.append(a.heads[head])
    return any(p in att.source for p in patients)


class CRFTagger:
    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.cue = _tagger(str(model_dir / CUE_MODEL))
        self.role = _tagger(str(model_dir / ROLE_MODEL))

    def find_cues(self, info: DocInfo) -> list[tuple[list[int], float]]:
        out = []
        for start, end in info.sent_bounds:
            if end - start < 2:
                continue
            labels = self.cue.tag(cue_features(info, start, end))
            if "B-CUE" not in labels and "I-CUE" not in labels:
                continue
            for run in runs(labels, "CUE", start):
                conf = min(self.cue.marginal(labels[i - start], i - start) for i in run)
                out.append((run, conf))
        return out

    def find_roles(self, info: DocInfo, feats: RoleFeaturizer, cue: list[int]
                   ) -> tuple[list[int], list[list[int]], float]:
        lo, hi = role_window(info, cue)
        labels = self.role.tag(feats.features(lo, hi, cue))
        source_runs = runs(labels, "S", lo)
        # A source is one mention: keep the run nearest the cue.
        source = min(source_runs, key=lambda r: min(abs(r[0] - cue[0]), abs(r[-1] - cue[0])),
                     default=[])
        content = runs(labels, "C", lo)
        prob = self.role.probability(labels) ** (1 / max(1, hi - lo))
        return source, content, prob

    def attribute(self, info: DocInfo, feats: RoleFeaturizer, cue: list[int], conf: float
                  ) -> TaggedAttribution:
        """The role CRF's source and content for a cue found by any tagger with ``conf``."""
        source, content, prob = self.find_roles(info, feats, cue)
        return TaggedAttribution(cue, source, content, round(conf * prob, 4))

    def __call__(self, info: DocInfo) -> list[TaggedAttribution]:
        feats = RoleFeaturizer(info)
        found = [self.attribute(info, feats, cue, conf) for cue, conf in self.find_cues(info)]
        return [att for att in found if not patient_source(info, att)]
