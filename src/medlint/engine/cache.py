"""A result cache keyed by file content, configuration, rules and medlint version.

Entries are JSON files written atomically (temp file + rename), so concurrent runs are safe;
an entry that cannot be read or parsed is treated as missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from medlint import __version__
from medlint.engine.results import FileResult, Reported
from medlint.metrics import DocumentMetrics
from medlint.rules.base import Severity

CACHE_DIR_NAME = ".medlint_cache"
FORMAT = 1


def _package_fingerprint() -> str:
    """Changes whenever medlint's own code or built-in packs change (also between releases)."""
    root = Path(__file__).resolve().parents[1]  # the whole medlint package, not engine/ only
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".yml", ".json", ".txt") and path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    from medlint.resources import builtin_pack_dir

    packs = builtin_pack_dir()
    if packs.is_dir() and not packs.is_relative_to(root):
        for path in sorted(packs.rglob("*.y*ml")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


class ResultCache:
    def __init__(self, folder: Path, context: Any) -> None:
        self.folder = folder / f"v{FORMAT}"
        self.salt = hashlib.sha256(
            (_package_fingerprint() + json.dumps(context, sort_keys=True, default=str)).encode()
        ).hexdigest()
        self.hits = 0
        self.misses = 0

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(Path(path).as_posix().encode() + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, path: str) -> FileResult | None:
        try:
            raw = json.loads(self._file(key).read_text(encoding="utf-8"))
            findings = []
            for f in raw["findings"]:
                findings.append(Reported(
                    rule=f["rule"], category=f["category"],
                    severity=Severity.parse(f["severity"]), message=f["message"],
                    line=f["line"], column=f["column"], end_line=f["end_line"],
                    end_column=f["end_column"], offset=f["offset"], end_offset=f["end_offset"],
                    excerpt=f["excerpt"], fix=f.get("fix"), data=f.get("data", {}),
                    fingerprint=f["fingerprint"]))
            result = FileResult(path, findings, DocumentMetrics.from_json(raw["metrics"]),
                                raw["words"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> None:
        entry = {
            "findings": [{**f.as_dict(), "fingerprint": f.fingerprint} for f in result.findings],
            "metrics": result.metrics.to_json(),
            "words": result.words,
        }
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, ensure_ascii=False, default=str)
            os.replace(tmp, target)
        except OSError:
            return  # a read-only or full disk only costs speed
        gitignore = self.folder.parent / ".gitignore"
        if not gitignore.exists():
            with contextlib.suppress(OSError):
                gitignore.write_text("# created by medlint\n*\n")
