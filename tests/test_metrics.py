"""Document metrics are typed, computed by their category whichever of its rules is selected,
and serialise to the report's ``metrics`` JSON (also through the cache)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medlint.api import lint_text
from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.engine.cache import ResultCache
from medlint.metrics import DocumentMetrics
from medlint.rules import load_rules
from medlint.rules.attribution.metrics import AttributionMetrics
from medlint.rules.claims.metrics import ClaimMetrics
from medlint.rules.readability.metrics import ReadabilityMetrics
from tests.conftest import TODAY

PAGE = ("---\ntitle: Green tea\nauthor: Sam Rivera\nreviewer: Dana Okafor, MD\n"
        "checked_by: Ana Ruiz, RN\nlast_reviewed: 2025-09-14\n---\n\n# Green tea\n\n"
        "Studies show that green tea prevents cancer. About 40% of adults drink it daily. "
        "Green tea is made from the leaves of the tea plant, and it contains caffeine. " * 4
        + "\n\n## Buying it\n\nThis tea is guaranteed to lower your blood pressure.\n")

# The rules of each category that read its metrics, and the category selected as a whole.
CASES = {
    ReadabilityMetrics: ["readability/grade-level", "readability/section-grade",
                         "readability/long-sentence"],
    AttributionMetrics: [r for r in load_rules() if r.startswith("attribution/")],
    ClaimMetrics: [r for r in load_rules() if r.startswith("claims/")]
    + ["attribution/missing-sources"],
}


@pytest.mark.parametrize("kind", list(CASES), ids=lambda k: k.key)
def test_metrics_are_typed_and_the_same_whichever_rule_is_selected(kind):
    whole = lint_text(PAGE, "tea.md", select=[kind.key if kind is not ClaimMetrics
                                              else "claims"], today=TODAY)
    expected = whole.metrics.get(kind)
    assert isinstance(expected, kind)
    assert expected.to_json(), "the page has something to measure"
    for rule in CASES[kind]:
        got = lint_text(PAGE, "tea.md", select=[rule], today=TODAY).metrics.get(kind)
        assert got == expected, rule


def test_attribution_metrics_read_the_missing_reviewer_keys_not_the_first_rule():
    """A key configured for another attribution rule does not change the metrics."""
    options = {"attribution/invalid-review-date": {"reviewer_keys": ["checked_by"]}}
    plain = lint_text(PAGE, "tea.md", select=["attribution"], today=TODAY)
    other = lint_text(PAGE, "tea.md", select=["attribution"], options=options, today=TODAY)
    assert other.metrics.get(AttributionMetrics) == plain.metrics.get(AttributionMetrics)
    assert plain.metrics.get(AttributionMetrics).reviewer == "Dana Okafor"
    own = lint_text(PAGE, "tea.md", select=["attribution/stale-review"], today=TODAY,
                    options={"attribution/missing-reviewer": {"reviewer_keys": ["checked_by"]}})
    assert own.metrics.get(AttributionMetrics).reviewer == "Ana Ruiz"


def test_caller_asks_for_metrics_no_selected_rule_reads():
    """``medlint eval`` scores claim detection without selecting a claims rule."""
    config = Config(root=Path.cwd(), select=["readability/jargon"], today=TODAY)
    (result,) = Engine(config, load_rules(), metrics=(ClaimMetrics,)).lint(
        [Source("tea.md", PAGE.encode())])
    claims = result.metrics.get(ClaimMetrics)
    assert claims is not None and len(claims) >= 3
    assert not result.metrics.get(ReadabilityMetrics)
    assert {c.strength for c in claims} >= {"causal"}


def test_metrics_serialise_to_the_report_json_and_back_through_the_cache(tmp_path):
    config = Config(root=tmp_path, today=TODAY)
    cache = ResultCache(tmp_path / "cache", {"test": 1})
    sources = [Source("tea.md", PAGE.encode())]
    (fresh,) = Engine(config, load_rules()).lint(sources, cache=cache)
    (cached,) = Engine(config, load_rules()).lint(sources, cache=cache)
    assert cache.hits == 1
    assert list(fresh.metrics.to_json()) == ["attribution", "claims", "readability"]
    assert json.dumps(cached.metrics.to_json()) == json.dumps(fresh.metrics.to_json())
    assert [type(m) for m in cached.metrics] == [AttributionMetrics, ClaimMetrics,
                                                  ReadabilityMetrics]
    again = DocumentMetrics.from_json(json.loads(json.dumps(fresh.metrics.to_json())))
    assert again == fresh.metrics and again.get(ClaimMetrics) == fresh.metrics.get(ClaimMetrics)
