"""Sentence-level scoring (``unit: sentence``) used by the claims corpus."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.cli import cli
from medlint.documents import parse_document
from medlint.evaluation import (
    LabelError,
    Score,
    StrengthScore,
    load_labels,
    score_file_sentences,
    sentence_spans,
)

ARTICLE = ("---\ntitle: Test\n---\n# Statins\n\nStatins lower LDL cholesterol. Take them at "
           "night. Smoking is linked to lung cancer.\n\nThis tea cures arthritis. Drink two "
           "cups.\n")


def write_labels(tmp_path: Path, items: str, unit: str = "sentence") -> Path:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "labels").mkdir()
    path = tmp_path / "labels" / "l.yaml"
    path.write_text(f"root: ..\nunit: {unit}\nrules: [claims/claim, claims/unsupported-claim]\n"
                    f"files:\n  c/a.md:\n{items}", encoding="utf-8")
    return path


def test_sentence_spans_split_blocks_and_skip_headings():
    doc = parse_document("a.md", ARTICLE)
    texts = [ARTICLE[s:e] for s, e in sentence_spans(doc)]
    assert texts == ["Statins lower LDL cholesterol.", "Take them at night.",
                     "Smoking is linked to lung cancer.", "This tea cures arthritis.",
                     "Drink two cups."]


def test_scores_count_sentences_not_spans(tmp_path):
    labels = load_labels(write_labels(tmp_path, (
        '    - {rule: claims/claim, strength: causal, text: "Statins lower LDL"}\n'
        '    - {rule: claims/claim, strength: absolute, text: "This tea cures"}\n')))
    doc = parse_document("a.md", ARTICLE)
    spans = sentence_spans(doc)
    statins = ARTICLE.index("Statins lower")
    tea = ARTICLE.index("This tea")
    take = ARTICLE.index("Take them")
    findings = [  # two findings in one sentence count once; one false positive
        {"rule": "claims/claim", "offset": statins, "end_offset": statins + 7,
         "strength": "causal"},
        {"rule": "claims/claim", "offset": statins + 8, "end_offset": statins + 12,
         "strength": "causal"},
        {"rule": "claims/claim", "offset": take, "end_offset": take + 4, "strength": "causal"},
        {"rule": "claims/claim", "offset": tea, "end_offset": tea + 8, "strength": "causal"},
    ]
    scores: dict[str, Score] = {}
    strengths = StrengthScore()
    score_file_sentences(labels.files[0].labels, findings, labels.rules, scores, spans, "a",
                         strengths)
    claim = scores["claims/claim"]
    assert (claim.tp, claim.fn, claim.fp) == (2, 0, 1)
    assert claim.precision == pytest.approx(2 / 3)
    assert strengths.confusion[("causal", "causal")] == 1
    assert strengths.confusion[("absolute", "causal")] == 1
    unsupported = scores["claims/unsupported-claim"]
    assert (unsupported.tp, unsupported.fn, unsupported.fp) == (0, 0, 0)


def test_bad_strength_and_unit_are_reported(tmp_path):
    with pytest.raises(LabelError, match="strength must be one of"):
        load_labels(write_labels(tmp_path, '    - {rule: claims/claim, strength: strong, '
                                            'text: "Statins lower LDL"}\n'))
    path = tmp_path / "labels" / "l.yaml"
    path.write_text(path.read_text().replace("unit: sentence", "unit: word"))
    with pytest.raises(LabelError, match="unit must be"):
        load_labels(path)


def test_eval_command_prints_sentence_scores(tmp_path):
    path = write_labels(tmp_path, (
        '    - {rule: claims/claim, strength: causal, text: "Statins lower LDL"}\n'
        '    - {rule: claims/unsupported-claim, text: "Statins lower LDL"}\n'
        '    - {rule: claims/claim, strength: correlational, text: "Smoking is linked"}\n'
        '    - {rule: claims/unsupported-claim, text: "Smoking is linked"}\n'
        '    - {rule: claims/claim, strength: absolute, text: "This tea cures"}\n'
        '    - {rule: claims/unsupported-claim, text: "This tea cures"}\n'))
    result = CliRunner().invoke(cli, ["eval", str(path), "--show-errors"])
    assert result.exit_code == 0, result.output
    assert "5 sentences scored one by one" in result.output
    assert "| `claims/claim` | 3 |" in result.output
    assert "Claim strength on" in result.output
