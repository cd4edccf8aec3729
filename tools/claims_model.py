"""A learned "is this sentence a health claim" decision over the claim cues (issue #5).

The hand rules of :mod:`medlint.rules.claims.detect` decide claim or not from cue families; a
small logistic regression weighs the same evidence together with cheap lexical features
(first word's part of speech, modal, "you", first person, length, a number, words from a
fixed vocabulary), so one weak cue does not decide alone. Weights, vocabulary and threshold are data
(``lint_rules/data/claims-model.yaml``), fitted by ``tools/train_claims.py`` on the dev
sets only. Features are binary names; the score is a sum of weights (no numpy per sentence).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import regex

from medlint.resources import data_file, load_yaml
from medlint.rules.claims import detect

MODEL_FILE = "claims-model.yaml"
_FIRST_PERSON = frozenset({"i", "my", "me", "we", "our", "us", "myself"})
_YOU = frozenset({"you", "your", "yours", "yourself"})


@dataclass(frozen=True)
class ClaimModel:
    bias: float
    weights: dict[str, float]
    threshold: float
    vocabulary: frozenset[str]

    def probability(self, features: set[str]) -> float:
        w = self.weights
        z = self.bias + sum(w.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def is_claim(self, features: set[str]) -> bool:
        return self.probability(features) >= self.threshold


@functools.lru_cache(maxsize=1)
def model() -> ClaimModel | None:
    """The shipped model, or None when the data file is absent or disabled (``enabled: false``)."""
    path = data_file(MODEL_FILE)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    if regex.search(r"(?m)^enabled:\s*false\s*$", text):
        return None  # skip parsing 600 lines at every start-up while the rules decide
    data = load_yaml(text)
    if not data or not data.get("enabled", True):
        return None
    return ClaimModel(float(data["bias"]), {str(k): float(v) for k, v in data["weights"].items()},
                      float(data["threshold"]), frozenset(data.get("vocabulary", ())))


_WORD = regex.compile(r"[a-z][a-z'’-]*|\d[\d,.]*")
_MODALS = frozenset({"may", "might", "can", "could", "will", "would", "should", "must", "shall"})


def features(span: Any, result: tuple[str, str] | None, hits: dict[str, Any],
             vocabulary: frozenset[str]) -> set[str]:
    """The binary features of one sentence (a spaCy Span with tags): the rules' verdict and
    strength, the cue families that :func:`medlint.rules.claims.detect.classify` found on its
    way (no search is repeated), the sentence's shape and its words from a fixed vocabulary.
    Cheap by design: one token is read from spaCy, the rest is string work (issue #8 speed
    budget)."""
    out = {"rule=" + (result[0] if result else "none")}
    out.update("cue=" + name for name, found in hits.items() if found)
    text = span.text
    words = _WORD.findall(text.lower())
    if span:
        first = span[0]
        out.add("first=" + first.pos_)
        if first.tag_ == "VB":
            out.add("imperative")
    found = set(words)
    if found & _MODALS:
        out.add("modal")
    if found & _YOU:
        out.add("you")
    if found & _FIRST_PERSON:
        out.add("first_person")
    if any(w[0].isdigit() for w in words):
        out.add("number")
    if text.rstrip().endswith("?"):
        out.add("question")
    n = len(words)
    out.add("len=" + ("<6" if n < 6 else "<12" if n < 12 else "<20" if n < 20
                      else "<30" if n < 30 else "30+"))
    out.update("w=" + w for w in found & vocabulary)
    return out


def verdict(sent: Any, result: tuple[str, str] | None,
            hits: dict[str, Any]) -> tuple[str, str] | None:
    """The learned model's verdict; the strength stays the rules' when they found a claim,
    else it comes from the cue families that fired. Plugged in by :func:`install`."""
    learned = model()
    if learned is None:
        return result
    if not learned.is_claim(features(sent, result, hits, learned.vocabulary)):
        return None
    if result is not None:
        return result
    c = detect.cues()
    text = sent.text
    for name, strength in (("absolute", "absolute"), ("correlational", "correlational")):
        if hits.get(name):
            return strength, hits[name].group()
    hedge = c.hedges.search(text)
    return ("hedged", hedge.group()) if hedge else ("causal", "(learned)")


def install() -> None:
    """Routes claim detection through the learned model (an experiment; off in shipped code)."""
    detect.learned_verdict = verdict
