"""Baselines: findings recorded once and ignored by later runs, identified by what they flag."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from medlint.engine.results import FileResult, Reported


def _fingerprint(rule: str, path: str, excerpt: str, occurrence: int = 0) -> str:
    """Identifies a finding by what it flags, not where, so baselines survive moved lines."""
    digest = hashlib.sha256(f"{rule}\0{Path(path).as_posix()}\0{excerpt}\0{occurrence}"
                            .encode()).hexdigest()
    return digest[:20]


class Baseline:
    """Findings recorded with ``--write-baseline`` and ignored by later runs."""

    VERSION = 1

    def __init__(self, entries: Iterable[tuple[str, str]] = ()) -> None:
        self.entries = set(entries)  # (path, fingerprint)

    def contains(self, path: str, finding: Reported) -> bool:
        return (Path(path).as_posix(), finding.fingerprint) in self.entries

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = [(e["path"], e["fingerprint"]) for e in data["findings"]]
        except FileNotFoundError:
            raise ValueError(f"{path}: baseline file not found") from None
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a medlint baseline ({exc})") from None
        return cls(entries)

    @classmethod
    def write(cls, path: Path, results: Iterable[FileResult]) -> int:
        findings = [
            {"path": Path(r.path).as_posix(), "rule": f.rule, "fingerprint": f.fingerprint,
             "excerpt": f.excerpt}
            for r in results for f in r.findings
        ]
        path.write_text(json.dumps({"version": cls.VERSION, "findings": findings}, indent=1,
                                   ensure_ascii=False) + "\n", encoding="utf-8")
        return len(findings)
