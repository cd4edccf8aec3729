"""The claims corpus scored sentence by sentence, as ``medlint eval`` does: a guard against
regressions at the figures measured (docs/rules/claims.md), not the issue's targets."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from medlint.cli import cli

LABELS = Path(__file__).resolve().parents[1] / "corpus" / "labels"


def scores(name: str) -> dict[str, tuple[float, float, float]]:
    result = CliRunner().invoke(cli, ["eval", str(LABELS / name)])
    assert result.exit_code == 0, result.output
    table = {}
    for line in result.output.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 7 and cells[0].startswith("`claims/"):
            table[cells[0].strip("`")] = tuple(float(c) for c in cells[4:7])
    return table


@pytest.fixture(scope="module")
def test_set():
    return scores("claims.yaml")


def test_claim_detection_on_held_out_articles(test_set):
    precision, recall, f1 = test_set["claims/claim"]
    assert precision >= 0.80 and recall >= 0.74 and f1 >= 0.78  # measured 0.84/0.78/0.81


def test_unsupported_claims_on_held_out_articles(test_set):
    precision, _, _ = test_set["claims/unsupported-claim"]
    # The corpus labels every unsourced causal claim (the guide before issue #18); the rule now
    # reports only what an editor wants sourced, so recall on these labels is low by design
    # (measured 1.00/0.06) and precision is the guard. Real-text figures: docs/rules/claims.md.
    assert precision >= 0.95


def test_every_claims_rule_is_scored(test_set):
    assert set(test_set) == {"claims/claim", "claims/unsupported-claim", "claims/weak-source",
                             "claims/absolute-language", "claims/statistic-without-source",
                             "claims/testimonial"}
