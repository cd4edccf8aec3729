"""Runs the per-rule case files tests/rules/<category>/<rule>.yml (format: tools/rule_cases.py).

A ``fail`` case must flag exactly the listed spans (their text, in order), a ``pass`` case
nothing, and a ``fix`` case must leave exactly the given text after the rule's fixes.
"""

from pathlib import Path

import pytest
import yaml

from medlint.api import registry
from tools.rule_cases import CASES_DIR, case_file, run_case

FILES = sorted(CASES_DIR.rglob("*.yml"))
CASES = [
    pytest.param(data["rule"], name, case, id=f"{data['rule']}:{name}")
    for path in FILES
    for data in [yaml.safe_load(path.read_text(encoding="utf-8"))]
    for name, case in data["cases"].items()
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(CASES_DIR).as_posix())
def test_case_file_names_its_rule(path: Path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["rule"] in registry(), f"{path}: unknown rule {data['rule']}"
    assert case_file(data["rule"]) == path, "one file per rule, at rules/<category>/<name>.yml"
    for name, case in data["cases"].items():
        assert ("pass" in case) != ("fail" in case), f"{name}: exactly one of pass / fail"
        assert "fail" in case or not {"flagged", "fix"} & set(case), f"{name}: pass with spans"


@pytest.mark.parametrize(("rule_id", "name", "case"), CASES)
def test_case(rule_id: str, name: str, case: dict):
    flagged, fixed = run_case(rule_id, case)
    if "pass" in case:
        assert flagged == [], f"{rule_id} should not flag: {flagged}"
        return
    assert flagged == case["flagged"]
    if "fix" in case:
        assert fixed == case["fix"]
