"""The learned claim detector (tools.claims_model): shipped data, features, wiring."""


import json

import numpy as np
import pytest
from click.testing import CliRunner

from medlint.cli import cli
from medlint.resources import read_data
from medlint.rules.claims import detect
from tools import claims_model
from tools.claims_model import ClaimModel


def test_shipped_model_data_is_well_formed():
    data = read_data(claims_model.MODEL_FILE)
    assert 0 < data["threshold"] < 1
    assert data["trained_on"] == ["corpus/labels/claims-dev.yaml",
                                  "corpus/labels/claims-dev2.yaml"]  # never the test set
    assert "rule=none" in data["weights"] and data["weights"]["rule=none"] < 0
    assert all(w.isalpha() for w in data["vocabulary"])


def test_probability_is_a_logistic_sum_of_weights():
    m = ClaimModel(-1.0, {"a": 2.0, "b": 0.5}, 0.5, frozenset())
    assert m.probability(set()) == pytest.approx(1 / (1 + np.exp(1.0)))
    assert m.probability({"a", "b", "unknown"}) == pytest.approx(1 / (1 + np.exp(-1.5)))
    assert m.is_claim({"a"}) and not m.is_claim({"b"})


def _spans(text):
    from medlint.documents import parse_document
    from medlint.nlp import get_pipeline

    doc = parse_document("a.md", text)
    res = get_pipeline("auto", {"sentences", "lemmas"}).process([doc])[0]
    return list(res.doc(doc.blocks[0]).sents)


def test_features_reuse_the_rules_verdict_and_read_the_shape():
    from medlint.rules.claims.detect import classify

    question, claim = _spans("Does coffee help you lose weight? Statins lower cholesterol.\n")
    hits = {}
    assert classify(question, hits) is None
    f = claims_model.features(question, None, hits, frozenset({"coffee"}))
    assert {"rule=none", "question", "you", "w=coffee", "cue=shape"} <= f
    hits = {}
    result = classify(claim, hits)
    f = claims_model.features(claim, result, hits, frozenset())
    assert {"rule=causal", "cue=verb", "len=<6"} <= f and "you" not in f


@pytest.mark.parametrize("bias, found", [(-50.0, 0), (50.0, 2)])
def test_claim_sentences_follow_the_model_when_enabled(monkeypatch, bias, found):
    model = ClaimModel(bias, {}, 0.5, frozenset())
    monkeypatch.setattr(claims_model, "model", lambda: model)
    monkeypatch.setattr(detect, "learned_verdict", claims_model.verdict)
    text = "Green tea lowers blood pressure. Our shop opened in 2019 near the old market.\n"
    result = CliRunner().invoke(cli, ["check", "-", "--stdin-filename", "a.md", "--format",
                                      "json", "--no-cache", "--select", "claims"], input=text)
    assert len(json.loads(result.output)["files"][0]["metrics"]["claims"]) == found


def test_training_fit_separates_a_toy_problem():
    from tools.train_claims import fit, prf

    x = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([1, 1, 0, 0, 1], dtype=float)
    w = fit(x, y, 0.1)
    assert w[1] > 0 > w[2]
    assert prf(x @ w > 0, y.astype(bool)) == (1.0, 1.0, 1.0)
