"""medlint.learned: one weight-file layout, one scorer, and feature names tied to extractors."""

import math

import pytest

from medlint import learned
from medlint.documents import parse_document
from medlint.nlp import get_pipeline
from medlint.resources import read_data
from medlint.rules.spam import insertion_signals as sig


def test_shipped_insertion_weights_name_only_features_the_extractor_emits():
    data = read_data(sig.MODEL_FILE)
    assert sig.FEATURES.unknown(data["weights"]) == []
    assert sig.model()["weights"]  # loaded through learned.load, which checks the names


def test_insertion_extractor_emits_only_declared_features():
    text = "Hip pain is common. Many people with hip pain buy cheap viagra online each week.\n"
    doc = parse_document("a.md", text)
    res = get_pipeline("auto", {"sentences", "tags"}).process([doc])[0]
    ctx = sig.DocContext.build([text])
    emitted: set[str] = set()
    for sent in res.doc(doc.blocks[0]).sents:
        signals = sig.SentenceSignals(sent, ctx)
        for i, j in signals.spans():
            emitted.update(signals.features(i, j))
    assert emitted
    assert sig.FEATURES.unknown(emitted) == []


def test_a_renamed_feature_fails_the_check():
    model = learned.parse({"weights": {"len=3": 1.0, "renamed_feature": 2.0}, "bias": 0.0})
    with pytest.raises(learned.FeatureMismatch, match="renamed_feature"):
        model.check(sig.FEATURES)


def test_dense_layout_scores_and_checks_order():
    model = learned.parse({"features": ["a", "b"], "weights": [2.0, -1.0], "bias": 0.5,
                           "threshold": 0.7, "license": "MIT", "trained_by": "test"})
    assert model.threshold == 0.7 and model.meta == {"license": "MIT", "trained_by": "test"}
    model.check(["a", "b"])
    with pytest.raises(learned.FeatureMismatch):
        model.check(["b", "a"])
    assert math.isclose(model.probability({"a": 1.0, "b": 1.0}), 1 / (1 + math.exp(-1.5)))
    with pytest.raises(learned.FeatureMismatch):
        learned.parse({"features": ["a"], "weights": [1.0, 2.0], "bias": 0.0})


def test_real_text_spam_model_matches_its_extractor():
    """spam-real-model.yaml names only features the cascade emits (loading checks them)."""
    from medlint.rules.spam import cascade

    cascade.model.cache_clear()
    model = cascade.model()
    assert model.weights and model.threshold is not None
    assert not cascade.feature_spec().unknown(model.weights)


def test_claims_source_scorer_loads_and_emits_declared_features():
    from medlint.rules.claims import scorer

    model = scorer.model()
    assert model is not None and model.threshold is not None
    assert {"license", "training_data", "trained_by", "calibration"} <= set(model.meta)
    page = scorer.page_context(["Call us today for a free consultation."], [False], False)
    feats = scorer.features("Our programme is highly effective for anxiety.", "causal",
                            "efficacy", {"verb": True, "shape": True}, False, page)
    assert "cue=shape" not in feats and scorer.spec().unknown(feats) == []
    assert 0.0 < scorer.calibrated(model, model.score(feats)) < 1.0


def test_claims_scorer_does_not_overrule_the_policy_on_reference_values():
    from medlint.api import lint_text

    text = "Normal resting heart rate for adults is typically 60–100 beats a minute, or 95–99%.\n"
    assert [f for f in lint_text(text, "a.md", select=["claims"]).findings] == []
