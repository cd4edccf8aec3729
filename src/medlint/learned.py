"""One logistic scorer for every shipped learned model: load a weight file, check that its
feature names are ones the extractor produces, score.

A model that silently ignores a renamed feature still runs, just worse; the name check turns
that into an error at load time (and in tests/test_learned.py).

Weight files live in ``lint_rules/data/``. The layout for new models::

    features: [name, ...]          # the extractor's names, in order
    weights: [0.5, ...]            # same order
    bias: -1.2
    threshold: 0.8                 # optional
    license: ...                   # metadata, free text
    training_data: ...
    trained_by: ...

``weights`` may instead be a mapping of name to weight (sparse models whose extractor emits
feature families such as ``len=3``; ``spam-insertion-model.yaml``). Other keys are kept in
``LogisticModel.meta``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from medlint.resources import data_file, load_builtin_yaml


class FeatureMismatch(ValueError):
    """A weight file names features its extractor does not produce (or misses some)."""


@dataclass(frozen=True)
class FeatureSpec:
    """The names an extractor can emit: fixed names plus families (``prefix`` + any value)."""

    names: frozenset[str]
    prefixes: tuple[str, ...] = ()

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self.names or name.startswith(self.prefixes))

    def unknown(self, names: Iterable[str]) -> list[str]:
        """The names of ``names`` this extractor never emits, sorted."""
        return sorted(n for n in names if n not in self)


def linear(features: Mapping[str, float], weights: Mapping[str, float], bias: float) -> float:
    """The logit of sparse features (summed in the features' order: scores are reproducible)."""
    return bias + sum(weights.get(k, 0.0) * v for k, v in features.items())


def sigmoid(z: float) -> float:
    """The logistic function, clamped so extreme logits cannot overflow."""
    return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))


@dataclass(frozen=True)
class LogisticModel:
    weights: dict[str, float]
    bias: float
    threshold: float | None = None
    features: tuple[str, ...] = ()  # the declared order when the file lists one
    meta: dict[str, Any] = field(default_factory=dict)

    def score(self, features: Mapping[str, float]) -> float:
        return linear(features, self.weights, self.bias)

    def probability(self, features: Mapping[str, float]) -> float:
        return sigmoid(self.score(features))

    def check(self, spec: FeatureSpec | Sequence[str], source: str = "model") -> None:
        """Raises FeatureMismatch unless the weights' names agree with the extractor's: a
        dense extractor (a name list) must match exactly and in order, a sparse one
        (FeatureSpec) must be able to emit every weighted name."""
        if isinstance(spec, FeatureSpec):
            bad = spec.unknown(self.weights)
            if bad:
                raise FeatureMismatch(f"{source}: features the extractor never emits: "
                                      + ", ".join(bad[:10]))
            return
        names = tuple(self.features or self.weights)
        if names != tuple(spec):
            missing = sorted(set(spec) - set(names))
            extra = sorted(set(names) - set(spec))
            raise FeatureMismatch(f"{source}: feature names differ from the extractor's "
                                  f"(missing {missing}, unknown {extra}, or another order)")


_LAYOUT_KEYS = {"features", "weights", "bias", "threshold"}


def parse(data: Mapping[str, Any]) -> LogisticModel:
    """A model from a parsed weight file (either layout of the module docstring)."""
    raw = data["weights"]
    names: tuple[str, ...] = tuple(str(n) for n in data.get("features") or ())
    if isinstance(raw, Mapping):
        weights = {str(k): float(v) for k, v in raw.items()}
    else:
        if len(raw) != len(names):
            raise FeatureMismatch(f"{len(raw)} weights for {len(names)} features")
        weights = {n: float(w) for n, w in zip(names, raw, strict=True)}
    threshold = data.get("threshold")
    return LogisticModel(weights, float(data.get("bias", 0.0)),
                         None if threshold is None else float(threshold), names,
                         {k: v for k, v in data.items() if k not in _LAYOUT_KEYS})


def load(name: str, spec: FeatureSpec | Sequence[str]) -> LogisticModel | None:
    """The model in ``lint_rules/data/<name>``, checked against ``spec``; None when absent."""
    path = data_file(name)
    if not path.is_file():
        return None
    model = parse(load_builtin_yaml(path))
    model.check(spec, name)
    return model
