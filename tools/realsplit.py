"""The real evaluation data (../shared/eval) as every trainer and evaluation reads it: one
dev / holdout split, so nothing is tuned on the part kept aside, and the label matching of
real-web/score.py, so training targets are counted as the scorer counts them.

A file is held out when the hash of its *topic* (the file name without Mayo-style variant
suffixes ``_1``, ``_2``, ``_new``) falls in one of four buckets: variants of one topic stay on
one side, about a quarter of the files are held out.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path, PurePosixPath


def topic(path: str) -> str:
    """The file's topic: its folder and stem without variant suffixes."""
    p = PurePosixPath(path)
    return str(p.parent / re.sub(r"(_\d+|_new)+$", "", p.stem))


def holdout(path: str) -> bool:
    """True for the held-out quarter (by topic)."""
    return int(hashlib.sha1(topic(path).encode()).hexdigest(), 16) % 4 == 0


def read(path: Path) -> str:
    """A file decoded as medlint and score.py decode it (BOM removed, CRLF kept)."""
    return path.read_bytes().decode("utf-8-sig", errors="replace")


def fingerprint(sentence: str) -> str:
    """What our label files (tools/labels) keep of a sentence instead of its text."""
    return hashlib.sha1(sentence.encode()).hexdigest()[:12]


def read_labels(root: Path, labels: Path) -> list[dict]:
    """The rows of one of our label files (``file`` relative to ``root``, ``start``, ``end``,
    ``sha1``) whose file is present and whose sentence still has that fingerprint; each file
    is read once."""
    rows, texts = [], {}
    for line in labels.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["file"] not in texts:
            path = root / r["file"]
            texts[r["file"]] = read(path) if path.is_file() else None
        text = texts[r["file"]]
        if text is not None and fingerprint(text[r["start"]:r["end"]]) == r["sha1"]:
            rows.append(r)
    return rows


def occurrences(text: str, labels: list[str] | None) -> list[tuple[int, int]]:
    """Spans of each labeled string, at word boundaries, each occurrence once."""
    spans = set()
    for s in labels or []:
        left = r"(?<!\w)" if s[:1].isalnum() else ""
        right = r"(?!\w)" if s[-1:].isalnum() else ""
        spans.update(m.span() for m in re.finditer(left + re.escape(s) + right, text))
    return sorted(spans)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def finds(label: tuple[int, int], span: tuple[int, int], factor: float = 2) -> bool:
    """score.py's rule: the span covers half the label and is at most max(factor x its
    length, its length + 30) long."""
    n = label[1] - label[0]
    return overlap(label, span) >= 0.5 * n and span[1] - span[0] <= max(factor * n, n + 30)
