"""Reporters format results; they never judge. Each takes the run and writes text."""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # kept light: the CLI reads FORMATS at start-up
    from medlint.engine import FileResult
    from medlint.rules.base import Rule

# The one list of reporters: format name -> module with ``report(run, out)``. The CLI's
# --format choices are read from here; the first entry is the default.
REPORTERS: dict[str, str] = {
    "text": "medlint.reporters.text",
    "json": "medlint.reporters.json",
    "sarif": "medlint.reporters.sarif",
    "github": "medlint.reporters.github",
}
FORMATS = tuple(REPORTERS)


@dataclass
class Run:
    """Everything a reporter may show. ``results`` may be a stream: reporters iterate the run
    itself, once, and each file's result is counted and then dropped, so a 100,000-file run
    is not held in memory; ``summary()`` is complete once the iteration has ended."""

    results: Iterable[FileResult]
    rules: Mapping[str, type[Rule]]
    version: str
    color: bool = False
    root: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    _files: int = field(default=0, init=False)
    _findings: int = field(default=0, init=False)
    _words: int = field(default=0, init=False)
    _by_severity: Counter[str] = field(default_factory=Counter, init=False)
    _by_rule: Counter[str] = field(default_factory=Counter, init=False)
    _consumed: bool = field(default=False, init=False)

    def __iter__(self) -> Iterator[FileResult]:
        if self._consumed:
            raise RuntimeError("a run's results can be iterated once")
        self._consumed = True
        from medlint.engine.results import printable

        for result in map(printable, self.results):
            self._files += 1
            self._words += result.words
            for f in result.findings:
                self._findings += 1
                self._by_severity[str(f.severity)] += 1
                self._by_rule[f.rule] += 1
            yield result

    def summary(self) -> dict[str, Any]:
        if not self._consumed:
            for _ in self:
                pass
        return {
            "files": self._files,
            "findings": self._findings,
            "words": self._words,
            "by_severity": {k: self._by_severity.get(k, 0) for k in ("error", "warning", "info")},
            "by_rule": dict(sorted(self._by_rule.items())),
        }


def get_reporter(name: str) -> Callable[[Run, IO[str]], None]:
    """The ``report`` function of a registered format (unknown names get the text one)."""
    module = importlib.import_module(REPORTERS.get(name, REPORTERS["text"]))
    return module.report
