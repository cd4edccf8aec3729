"""Per-rule regression cases as data, one YAML file per rule (sqlfluff's style).

    python -m tools.rule_cases            # write tests/rules/<category>/<rule>.yml from the
                                          # rules' in-class examples (existing files are kept)
    python -m tools.rule_cases --force    # rewrite them all

A case file maps case names to one case each::

    rule: spam/inserted-phrase
    cases:
      mid_sentence_keywords:
        fail: "text the rule must flag"
        flagged: ["exact text of each finding's span, in order"]
        fix: "the text after the rule's fixes (fixable rules only)"
        config: {option: value}          # optional rule options
        path: example.md                 # optional; the suffix picks the format
      ordinary_prose:
        pass: "text the rule must leave alone"

A false alarm found on real text becomes one ``pass`` case in one file;
``tests/test_rule_cases.py`` runs them all.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from medlint.api import lint_text, registry
from medlint.fixes import apply_fixes
from tests.conftest import TODAY

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = ROOT / "tests" / "rules"


def case_file(rule_id: str) -> Path:
    category, _, name = rule_id.partition("/")
    return CASES_DIR / category / f"{name}.yml"


def run_case(rule_id: str, case: Mapping[str, Any]) -> tuple[list[str], str]:
    """The flagged span texts of ``rule_id`` on the case's text, and the text after its fixes."""
    text = case["fail"] if "fail" in case else case["pass"]
    options = {rule_id: dict(case["config"])} if case.get("config") else None
    result = lint_text(text, case.get("path", "example.md"), select=[rule_id],
                       options=options, today=TODAY)
    hits = [f for f in result.findings if f.rule == rule_id]
    return [text[f.offset:f.end_offset] for f in hits], apply_fixes(text, hits)


def cases_from_examples(rule_id: str, cls: type) -> dict[str, Any]:
    """The rule's in-class examples as cases, with today's flagged spans and fixes."""
    cases: dict[str, Any] = {}
    for i, ex in enumerate(cls.examples):
        if ex.data is not None:
            continue  # raw-bytes examples stay in the class (tests/test_rule_examples.py)
        case: dict[str, Any] = {("fail" if ex.fails else "pass"): ex.text}
        if ex.options:
            case["config"] = dict(ex.options)
        if ex.path != "example.md":
            case["path"] = ex.path
        if ex.fails:
            flagged, fixed = run_case(rule_id, case)
            case["flagged"] = flagged
            if cls.fixable and fixed != ex.text:
                case["fix"] = fixed
        cases[f"{'fail' if ex.fails else 'pass'}_{i}"] = case
    return cases


def _literal(dumper: yaml.Dumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text and text.strip(" \n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rewrite existing case files")
    args = parser.parse_args()
    dumper = type("CaseDumper", (yaml.SafeDumper,), {})
    dumper.add_representer(str, _literal)
    written = 0
    for rule_id, cls in registry().items():
        path = case_file(rule_id)
        cases = cases_from_examples(rule_id, cls)
        if not cases or (path.exists() and not args.force):
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.dump({"rule": rule_id, "cases": cases}, Dumper=dumper,
                                  sort_keys=False, allow_unicode=True, width=100),
                        encoding="utf-8")
        written += 1
    print(f"wrote {written} case files under {CASES_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
