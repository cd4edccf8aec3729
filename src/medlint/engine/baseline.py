"""Baselines: findings recorded once and ignored by later runs, identified by what they flag.

Format 2 (written today) keys files by their path relative to the baseline file's folder, so
a baseline written from one folder matches when medlint runs from another, and stores per
file and rule only short hashes of the flagged text::

    {"version": 2, "files": {
     "articles/a.md": {"claims/unsupported-claim": ["3f1c0a9b2e7d", ...]}}}

Format 1 (one entry per finding with its path as given on the command line, the rule, a
fingerprint and the excerpt) is still read, with its old meaning.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from medlint.engine.results import FileResult, Reported
from medlint.fileio import write_atomic

KEY_CHARS = 12  # 48 bits per (file, rule): collisions are not a practical concern


def _fingerprint(rule: str, path: str, excerpt: str, occurrence: int = 0) -> str:
    """Identifies a finding by what it flags, not where, so baselines survive moved lines."""
    digest = hashlib.sha256(f"{rule}\0{Path(path).as_posix()}\0{excerpt}\0{occurrence}"
                            .encode("utf-8", "surrogateescape")).hexdigest()
    return digest[:20]


def _key(excerpt: str, occurrence: int) -> str:
    """What a format-2 baseline records of a finding: its file and rule are the keys around
    it, so only the flagged text and which repeat of it this is are hashed."""
    return hashlib.sha256(f"{excerpt}\0{occurrence}".encode("utf-8", "surrogatepass")
                          ).hexdigest()[:KEY_CHARS]


def _keyed(findings: Iterable[Reported]) -> Iterable[tuple[Reported, str]]:
    """Each finding with its key; repeats of the same text under one rule are numbered in
    file order, as the engine numbers them for fingerprints."""
    seen: Counter[tuple[str, str]] = Counter()
    for f in findings:
        yield f, _key(f.excerpt, seen[f.rule, f.excerpt])
        seen[f.rule, f.excerpt] += 1


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(os.path.relpath(Path(path).resolve(), folder)).as_posix()
    except (ValueError, OSError, RuntimeError):  # another drive, or a symlink loop
        return Path(path).as_posix()


class Baseline:
    """Findings recorded with ``--write-baseline`` and ignored by later runs. Counts what it
    matched, so the command line can warn when a baseline matched nothing."""

    VERSION = 2

    def __init__(self, entries: Iterable[tuple[str, str]] = (),
                 files: Mapping[str, Mapping[str, Iterable[str]]] | None = None,
                 folder: Path | None = None, name: str = "") -> None:
        self.entries = set(entries)  # format 1: (path as given, fingerprint)
        self._entry_paths = {p for p, _ in self.entries}
        self.files = {path: {rule: set(keys) for rule, keys in rules.items()}
                      for path, rules in (files or {}).items()}
        self.folder = (folder or Path.cwd()).resolve()
        self.name = name
        self.checked = 0  # files filtered
        self.named = 0  # of those, files the baseline records
        self.matched = 0  # findings it removed

    def filter(self, result: FileResult) -> list[Reported]:
        """The findings of ``result`` the baseline does not record."""
        self.checked += 1
        old = Path(result.path).as_posix()
        recorded = self.files.get(_relative(result.path, self.folder)) if self.files else None
        if recorded is not None or old in self._entry_paths:
            self.named += 1
        kept = []
        for f, key in _keyed(result.findings):
            if (recorded is not None and key in recorded.get(f.rule, ())) \
                    or (old, f.fingerprint) in self.entries:
                self.matched += 1
            else:
                kept.append(f)
        return kept

    def unmatched_warning(self) -> str | None:
        """A warning when the run checked files but the baseline matched none of them and
        its own files are not where it says (a moved baseline, or a format-1 baseline run
        from another folder); a run over other files only (a new page) is not warned."""
        if self.matched or self.named or not self.checked or not (self.files or self.entries):
            return None
        if self.files:
            if any((self.folder / p).exists() for p in self.files):
                return None
            where = f"paths in it are relative to its folder, {self.folder}"
        else:
            if any(Path(p).exists() for p in self._entry_paths):
                return None
            where = ("it is in the old format, whose paths are relative to the folder it was "
                     "written from; write it again with --write-baseline")
        count = len(self.files) or len(self._entry_paths)
        return (f"baseline {self.name} matched nothing: none of the {count} file(s) it records "
                f"was checked ({where})")

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Reads format 1 or 2; anything else (wrong types, nesting too deep for the JSON
        reader, a folder) is ``ValueError("... not a medlint baseline ...")``."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            folder = path.parent
            if data.get("version") == 1 or "findings" in data:
                findings = data["findings"]
                if not isinstance(findings, list) or not all(
                        isinstance(e, dict) and isinstance(e.get("path"), str)
                        and isinstance(e.get("fingerprint"), str) for e in findings):
                    raise ValueError("findings must be objects with string path and fingerprint")
                return cls([(e["path"], e["fingerprint"]) for e in findings], name=str(path))
            if data.get("version") != cls.VERSION:
                raise ValueError(f"unknown version {data.get('version')!r}")
            files = data["files"]
            if not isinstance(files, dict) or not all(
                    isinstance(rules, dict) and all(
                        isinstance(keys, list) and all(isinstance(k, str) for k in keys)
                        for keys in rules.values())
                    for rules in files.values()):
                raise ValueError("files must map paths to rules to lists of strings")
            files = {p: {r: list(keys) for r, keys in rules.items()}
                     for p, rules in files.items()}
        except FileNotFoundError:
            raise ValueError(f"{path}: baseline file not found") from None
        except RecursionError:
            raise ValueError(f"{path}: not a medlint baseline (nested too deeply)") from None
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{path}: not a medlint baseline ({exc})") from None
        return cls(files=files, folder=folder, name=str(path))

    @classmethod
    def write(cls, path: Path, results: Iterable[FileResult]) -> int:
        """Writes format 2, one file per line (small, and reviewable in a diff)."""
        folder = path.parent.resolve()
        files: dict[str, dict[str, list[str]]] = {}
        count = 0
        for r in results:
            rules = files.setdefault(_relative(r.path, folder), {})
            for f, key in _keyed(r.findings):
                rules.setdefault(f.rule, []).append(key)
                count += 1
        lines = [f" {json.dumps(p, ensure_ascii=False)}: {json.dumps(rules, sort_keys=True)}"
                 for p, rules in sorted(files.items()) if rules]
        body = ",\n".join(lines)
        write_atomic(path, f'{{"version": {cls.VERSION}, "files": {{\n{body}\n}}}}\n')
        return count
