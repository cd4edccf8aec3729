"""The severity contract (README "Severities") over every registered rule: each built-in rule
declares its class, its default level is the class's level, and every finding its own failing
examples produce keeps to the class (errors only from defects and confident detectors)."""

import pytest

from medlint.api import lint_text, registry
from medlint.rules.base import CONTRACTS, Severity
from medlint.rules.spam import severity_for
from tests.conftest import TODAY

RULES = registry()


@pytest.mark.parametrize("rule_id", list(RULES))
def test_rule_declares_its_contract(rule_id):
    cls = RULES[rule_id]
    assert cls.contract in CONTRACTS, f"{rule_id} declares no severity contract class"
    assert cls.severity == CONTRACTS[cls.contract], (
        f"{rule_id}: default {cls.severity} does not match contract {cls.contract!r}")


FAILING = [
    pytest.param(rule_id, i, ex, id=f"{rule_id}-bad{i}")
    for rule_id, cls in RULES.items()
    for i, ex in enumerate(cls.examples)
    if ex.fails
]


@pytest.mark.parametrize(("rule_id", "index", "example"), FAILING)
def test_findings_keep_to_the_contract(rule_id, index, example):
    cls = RULES[rule_id]
    data = example.data if example.data is not None else example.text
    options = {rule_id: dict(example.options)} if example.options else None
    result = lint_text(data, example.path, select=[rule_id], options=options, today=TODAY)
    for f in (f for f in result.findings if f.rule == rule_id):
        level = f.severity
        if cls.contract == "defect":
            assert level == Severity.ERROR
        elif cls.contract == "review":
            assert level in (Severity.WARNING, Severity.INFO), "a review finding is never an error"
        elif cls.contract == "style":
            assert level == Severity.INFO
        else:
            confidence = f.as_dict()["confidence"]
            assert level == severity_for(confidence), (rule_id, confidence, level)
