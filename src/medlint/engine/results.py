"""What a run produces, as reporters, the cache and the audit see it: no engine logic here, so
the cache and reporters can import these types without importing the engine."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from medlint import fileio
from medlint.fileio import DEFAULT_MAX_BYTES
from medlint.metrics import DocumentMetrics
from medlint.rules.base import Severity

EXCERPT_CHARS = 240


@dataclass
class Reported:
    """A finding as reporters see it: positioned, excerpted and with its final severity."""

    rule: str
    category: str
    severity: Severity
    message: str
    line: int
    column: int
    end_line: int
    end_column: int
    offset: int
    end_offset: int
    excerpt: str
    fix: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    fingerprint: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule, "category": self.category, "severity": str(self.severity),
            "message": self.message, "line": self.line, "column": self.column,
            "end_line": self.end_line, "end_column": self.end_column, "offset": self.offset,
            "end_offset": self.end_offset, "excerpt": self.excerpt,
        }
        if self.fix is not None:
            out["fix"] = self.fix
        if self.data:
            out["data"] = self.data
            if "confidence" in self.data:  # calibrated probability, also at the top level
                out["confidence"] = self.data["confidence"]
        return out


@dataclass
class FileResult:
    path: str
    findings: list[Reported] = field(default_factory=list)
    # typed; ``metrics.to_json()`` is the report's ``metrics`` object
    metrics: DocumentMetrics = field(default_factory=DocumentMetrics)
    words: int = 0

    def __post_init__(self) -> None:
        if isinstance(self.metrics, Mapping):  # parsed JSON (a report or a test's literal)
            self.metrics = DocumentMetrics.from_json(self.metrics)


def printable(result: FileResult) -> FileResult:
    """``result`` itself, or a copy whose path is valid Unicode: a file name that is not UTF-8
    comes from ``os.fsdecode`` with lone surrogates, which no report can encode; each stands
    for a byte and is shown as ``\\xNN``."""
    try:
        result.path.encode("utf-8")
    except UnicodeEncodeError:
        name = result.path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        return replace(result, path=name)
    return result


@dataclass
class Source:
    """One input: a path on disk, or text given directly (stdin). ``roots`` are the resolved
    linted folders a symlink may point into (empty: a file named explicitly)."""

    path: str
    data: bytes | None = None
    roots: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    _read: bytes | None = field(default=None, repr=False, compare=False)

    def read(self, keep: bool = False) -> bytes:
        """The input's bytes under the reading policy (medlint.fileio.read_input); with
        ``keep`` they are held until ``release``, so a cache miss does not read twice.
        Raises fileio.Skipped or OSError."""
        if self.data is not None:
            return self.data
        if self._read is not None:
            return self._read
        data = fileio.read_input(self.path, self.roots, self.max_bytes)
        if keep:
            self._read = data
        return data

    def release(self) -> None:
        """Drops bytes held by ``read(keep=True)``."""
        self._read = None
