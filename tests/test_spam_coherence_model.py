"""The learned combiner of spam/off-topic-sentence: shipped data, scoring, opt-in wiring."""

import math

import pytest

from medlint.api import lint_text
from medlint.rules.spam.coherence import _ASTHMA, _SPLICE, OffTopicSentence
from tests.conftest import TODAY
from tools.offtopic_model import FEATURES, LearnedOffTopicSentence, model, score_rows

RULE = "spam/off-topic-sentence"


def _lint(text: str, learned: bool, threshold: float = 0.0):
    opts = {RULE: {"learned": learned, "learned_threshold": threshold}}
    return [f for f in lint_text(text, "a.md", select=[RULE], options=opts,
                                 today=TODAY).findings if f.rule == RULE]


@pytest.fixture(autouse=True)
def _learned_variant(monkeypatch):
    """The experiment lives in tools/: swap it into the API's registry for these tests."""
    from medlint import api

    monkeypatch.setattr(api, "_REGISTRY", {**api.registry(), RULE: LearnedOffTopicSentence})


def test_shipped_model_matches_the_feature_list():
    params = model()
    assert params["features"] == list(FEATURES)
    assert set(params["weights"]) == set(FEATURES)
    assert 0.0 < float(params["threshold"]) < 1.0


def test_score_rows_is_a_logistic_of_the_standardised_features():
    params = {"weights": dict.fromkeys(FEATURES, 0.0) | {"novelty": 2.0}, "bias": -1.0,
              "mean": {"novelty": 0.5}, "scale": {"novelty": 0.25}}
    row = [0.0] * len(FEATURES)
    row[FEATURES.index("novelty")] = 1.0
    (p,) = score_rows([row], params)
    assert math.isclose(p, 1 / (1 + math.exp(-(-1.0 + 2.0 * (1.0 - 0.5) / 0.25))))


def test_learned_combiner_is_opt_in():
    assert LearnedOffTopicSentence.options["learned"].default is False
    assert "learned" not in OffTopicSentence.options  # the shipped rule has no learned path


def test_learned_combiner_adds_findings_only_above_its_threshold():
    text = _ASTHMA.format(splice=_SPLICE)
    base = _lint(text, learned=False)
    loose = _lint(text, learned=True, threshold=1e-9)  # every sentence scores above this
    strict = _lint(text, learned=True, threshold=1.0)
    assert len(strict) == len(base)
    assert len(loose) > len(base)
    assert any("fit the article poorly" in f.message for f in loose)


def test_seed_article_unchanged_with_combiner_on(seed_text):
    opts = {RULE: {"learned": True}}
    got = sorted(seed_text[f.offset:f.end_offset][:40] for f in lint_text(
        seed_text, "heroin-detox.txt", select=[RULE], options=opts, today=TODAY).findings
        if f.rule == RULE)
    assert got == sorted(["Naltrexone blocks those receptors so opi",
                          "The drugs target receptors of the GLP-1 ",
                          "Notably, however, no pharmaceutical comp"])
