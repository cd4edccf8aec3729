"""Every rule's own bad/good examples, run as tests (the sqlfluff/proselint way)."""

import pytest

from medlint.api import lint_text, registry
from tests.conftest import TODAY

RULES = registry()
CASES = [
    pytest.param(rule_id, i, ex, id=f"{rule_id}-{'bad' if ex.fails else 'good'}{i}")
    for rule_id, cls in RULES.items()
    for i, ex in enumerate(cls.examples)
]


@pytest.mark.parametrize(("rule_id", "index", "example"), CASES)
def test_example(rule_id, index, example):
    data = example.data if example.data is not None else example.text
    options = {rule_id: dict(example.options)} if example.options else None
    result = lint_text(data, example.path, select=[rule_id], options=options, today=TODAY)
    hits = [f for f in result.findings if f.rule == rule_id]
    if example.fails:
        assert hits, f"{rule_id} should flag:\n{example.text}"
    else:
        assert not hits, f"{rule_id} should not flag:\n{example.text}\n got: " + "; ".join(
            f"{f.message} [{f.excerpt}]" for f in hits)


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_is_documented(rule_id):
    cls = RULES[rule_id]
    assert cls.category in rule_id.split("/")[0]
    assert cls.rationale and cls.source
    assert len(cls.rationale) < 300, "the rationale is one line"
    if not cls.internal:
        assert any(e.fails for e in cls.examples), f"{rule_id} has no failing example"
        assert any(not e.fails for e in cls.examples), f"{rule_id} has no passing example"
