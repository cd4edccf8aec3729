"""SARIF 2.1.0, for code-scanning dashboards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from medlint.reporters import Run

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _rule_descriptor(rule: Any) -> dict[str, Any]:
    help_lines = [rule.rationale, f"Source: {rule.source}"]
    for ex in rule.examples:
        help_lines.append(f"{'Bad' if ex.fails else 'Good'}: {ex.text.strip()[:300]}")
    return {
        "id": rule.id,
        "name": rule.id.replace("/", "-"),
        "shortDescription": {"text": rule.rationale},
        "fullDescription": {"text": rule.description or rule.rationale},
        "help": {"text": "\n".join(help_lines)},
        "defaultConfiguration": {"level": _LEVEL[str(rule.severity)]},
        "properties": {"category": rule.category, "source": rule.source,
                       "tags": [rule.category]},
    }


def _uri(path: str) -> str:
    p = Path(path)
    return p.as_posix() if not p.is_absolute() else p.as_uri()


def report(run: Run, out: IO[str]) -> None:
    rule_ids = list(run.rules)
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = []
    for file_result in run:
        for f in file_result.findings:
            region: dict[str, Any] = {
                "startLine": f.line, "startColumn": f.column,
                "endLine": f.end_line, "endColumn": f.end_column,
                "charOffset": f.offset, "charLength": f.end_offset - f.offset,
            }
            if f.excerpt:
                region["snippet"] = {"text": f.excerpt}
            entry: dict[str, Any] = {
                "ruleId": f.rule,
                "level": _LEVEL[str(f.severity)],
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _uri(file_result.path)},
                    "region": region,
                }}],
                "partialFingerprints": {"medlint/v1": f.fingerprint},
            }
            if f.rule in index:
                entry["ruleIndex"] = index[f.rule]
            results.append(entry)
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "medlint",
                "version": run.version,
                "semanticVersion": run.version,
                "rules": [_rule_descriptor(run.rules[r]) for r in rule_ids],
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    json.dump(sarif, out, ensure_ascii=False, indent=2)
    out.write("\n")
