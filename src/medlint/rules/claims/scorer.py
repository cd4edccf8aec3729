"""A learned "does an editor want a source here" score for claim sentences (issue #18).

The cheap stage is the detector: only sentences :func:`medlint.rules.claims.detect.classify`
grades or :mod:`medlint.rules.claims.policy` gives a kind reach this model. It weighs the cues,
the policy's kind, the strength, hedges, negation, numbers, a named source, a small word
vocabulary and the page around the sentence (does the page cite anything, does it sell)
into one logistic probability. Weights are data (``lint_rules/data/claims-source-model.yaml``),
fitted by ``tools/train_claims_source.py`` on the development side of the labeled real text;
no real text ships, only the figures. Features are sparse names; scoring is a dictionary sum.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from medlint import learned
from medlint.startcache import compile_pattern

MODEL_FILE = "claims-source-model.yaml"
_WORD = compile_pattern(r"[a-z][a-z'’-]*")
_NUMBER = compile_pattern(r"\d")
_HEDGE = compile_pattern(r"(?i)\b(?:may|might|could|can|possibly|potentially|perhaps|probably|"
                       r"likely|appears?|seems?|some|often|usually|generally|typically)\b")
_NEGATION = compile_pattern(r"(?i)\b(?:not|no|never|none|nor|without|cannot)\b|n[’']t\b")
_WE = compile_pattern(r"(?i)\b(?:we|our|us)\b")
_YOU = compile_pattern(r"(?i)\b(?:you|your)\b")
_I = compile_pattern(r"(?i)\b(?:i|my|me)\b")
_PROMO = compile_pattern(
    r"(?i)\b(?:call\s+(?:us|now|today)|contact\s+us|our\s+(?:team|clinic|center|centre|program|"
    r"programme|products?|formula|services?|facility|staff|experts?|doctors?)|free\s+(?:consultation|"
    r"shipping|trial|assessment)|buy|order|shop|discount|offer|insurance|admissions?|enrol|"
    r"sign\s+up|book\s+(?:a|an|your)|get\s+started|money[-\s]back|customers?|clients?)\b|\$\d")
_SPEC = learned.FeatureSpec(
    frozenset({"hedge", "negation", "number", "we", "you", "i", "authority", "len<12", "len>30",
               "page=cites", "page=promo", "page=promo2", "page=sourced", "question"}),
    ("strength=", "kind=", "cue=", "w="))


def page_context(texts: Iterable[str], supported: Iterable[bool], front_sources: bool
                 ) -> dict[str, float]:
    """Page-level features: whether the page cites anything, and whether it sells."""
    texts = list(texts)
    promo = sum(len(_PROMO.findall(t)) for t in texts)
    n_supported = sum(bool(s) for s in supported)
    out: dict[str, float] = {}
    if front_sources or n_supported:
        out["page=cites"] = 1.0
    if n_supported >= 3:
        out["page=sourced"] = 1.0
    if promo >= 2:
        out["page=promo"] = 1.0
    if promo >= 6:
        out["page=promo2"] = 1.0
    return out


def features(text: str, strength: str | None, kind: str | None, hits: Mapping[str, Any],
             authority: bool, page: Mapping[str, float]) -> dict[str, float]:
    """The sparse binary features of one claim sentence."""
    out = dict(page)
    out["strength=" + (strength or "none")] = 1.0
    out["kind=" + (kind or "none")] = 1.0
    for name, found in hits.items():
        if found and name != "shape":
            out["cue=" + name] = 1.0
    words = _WORD.findall(text.lower())
    for w in set(words):
        out["w=" + w] = 1.0
    for name, pattern in (("hedge", _HEDGE), ("negation", _NEGATION), ("number", _NUMBER),
                          ("we", _WE), ("you", _YOU), ("i", _I)):
        if pattern.search(text):
            out[name] = 1.0
    if authority:
        out["authority"] = 1.0
    if len(words) < 12:
        out["len<12"] = 1.0
    elif len(words) > 30:
        out["len>30"] = 1.0
    if text.rstrip().endswith("?"):
        out["question"] = 1.0
    return out


def spec() -> learned.FeatureSpec:
    return _SPEC


@functools.lru_cache(maxsize=1)
def model() -> learned.LogisticModel | None:
    """The shipped model, or None when its weight file is absent."""
    return learned.load(MODEL_FILE, _SPEC)


def calibrated(model: learned.LogisticModel, z: float) -> float:
    """The probability that an editor wants a source, Platt-scaled on the development side
    (the file's ``calibration: {a, c}``); the raw probability when the file has none."""
    cal = model.meta.get("calibration") or {}
    return learned.sigmoid(float(cal.get("a", 1.0)) * z + float(cal.get("c", 0.0)))
