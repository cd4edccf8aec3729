"""The readability corpus: articles written at known grades, with hand-labeled findings."""

from pathlib import Path

import pytest

from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.evaluation import Score, load_labels, score_file
from medlint.rules import load_rules
from medlint.rules.readability.metrics import ReadabilityMetrics
from tests.conftest import ROOT, TODAY

LABELS = ROOT / "corpus" / "labels" / "readability.yaml"

# Flesch-Kincaid band each article was written for (file name prefix → (low, high)).
BANDS = {"grade5": (3.5, 6.5), "grade6": (4.0, 7.0), "grade7": (6.0, 8.5),
         "grade8": (6.5, 8.5), "grade12": (11.0, 14.0), "grade16": (15.0, 19.0)}

# What the detectors must reach on this corpus (measured values are in docs/rules/readability.md).
FLOORS = {
    "readability/grade-level": (1.0, 1.0),
    "readability/section-grade": (1.0, 1.0),
    "readability/long-sentence": (1.0, 1.0),
    "readability/jargon": (0.9, 0.6),
    "readability/passive-voice": (0.85, 0.85),
}


@pytest.fixture(scope="module")
def run():
    label_set = load_labels(LABELS)
    config = Config(root=ROOT, select=label_set.rules, today=TODAY)
    engine = Engine(config, load_rules(plugins=False))
    sources = [Source(str(f.path)) for f in label_set.files]
    return label_set, list(engine.lint(sources))


def test_every_grade_band_is_covered(run):
    label_set, _ = run
    names = {Path(f.path).name.split("-")[0] for f in label_set.files}
    assert {"grade5", "grade8", "grade12", "grade16"} <= names


def test_articles_read_at_their_grade(run):
    label_set, results = run
    for labeled, result in zip(label_set.files, results, strict=True):
        low, high = BANDS[Path(labeled.path).name.split("-")[0]]
        grade = result.metrics.get(ReadabilityMetrics).fk_grade
        assert low <= grade <= high, f"{labeled.path.name}: grade {grade}"


def test_labels_are_found(run):
    label_set, results = run
    scores: dict[str, Score] = {}
    for labeled, result in zip(label_set.files, results, strict=True):
        score_file(labeled.labels, [f.as_dict() for f in result.findings], label_set.rules,
                   scores, labeled.path.name)
    for rule, (precision, recall) in FLOORS.items():
        score = scores[rule]
        assert score.precision >= precision, (rule, score.false_positives)
        assert score.recall >= recall, (rule, score.misses)
