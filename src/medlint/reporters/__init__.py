"""Reporters format results; they never judge. Each takes the run and writes text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from medlint.engine import FileResult
from medlint.rules.base import Rule

FORMATS = ("text", "json", "sarif", "github")


@dataclass
class Run:
    """Everything a reporter may show."""

    results: Sequence[FileResult]
    rules: Mapping[str, type[Rule]]
    version: str
    color: bool = False
    root: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        by_severity: Counter[str] = Counter()
        by_rule: Counter[str] = Counter()
        findings = 0
        for result in self.results:
            for f in result.findings:
                findings += 1
                by_severity[str(f.severity)] += 1
                by_rule[f.rule] += 1
        return {
            "files": len(self.results),
            "findings": findings,
            "words": sum(r.words for r in self.results),
            "by_severity": {k: by_severity.get(k, 0) for k in ("error", "warning", "info")},
            "by_rule": dict(sorted(by_rule.items())),
        }


def get_reporter(name: str) -> Callable[[Run, IO[str]], None]:
    if name == "json":
        from medlint.reporters.json import report
    elif name == "sarif":
        from medlint.reporters.sarif import report
    elif name == "github":
        from medlint.reporters.github import report
    else:
        from medlint.reporters.text import report
    return report
