"""Measure a glued-word candidate ("weightand", "systemso") on real text, before wiring it in.

A token of lower-case letters used once on its page that splits into two words the page uses
on their own, one of them a function word, is a candidate (a spinner or scraper dropped the
space). Prints, per side of the topic-hashed split, labeled garbled occurrences it finds and
how many candidates it raises per 10k words on real-web/clean and all of real-sites/reputable
(the false-alarm budget is 1 per 10k words). Regular expressions only:
``python -m tools.glued_probe``.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter

from medlint.rules.spam.cascade import STOP
from tools.encoder_probe import EVAL
from tools.realsplit import finds, holdout, occurrences, read

TOKEN = re.compile(r"(?<![\w'’.-])[a-z]{6,}(?![\w'’-])")
WORD = re.compile(r"[A-Za-z]+")


def dictionary() -> frozenset[str]:
    """Whole words of the MiniLM WordPiece vocabulary when installed (else empty): real
    compounds ("because", "outcome") are not glue."""
    from tools.coherence_embed import model_dir

    folder = model_dir()
    if folder is None:
        return frozenset()
    words = (folder / "vocab.txt").read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in words if w.isalpha())


def glued(text: str, known: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of tokens that look like two page words with the space dropped."""
    counts = Counter(w.lower() for w in WORD.findall(text))
    out = []
    for m in TOKEN.finditer(text):
        tok = m.group()
        if counts[tok] > 1 or tok in known:
            continue
        for i in range(2, len(tok) - 1):
            a, b = tok[:i], tok[i:]
            if (a in STOP) == (b in STOP):
                continue
            if counts[a] >= 1 and counts[b] >= 1 and max(len(a), len(b)) >= 4:
                out.append(m.span())
                break
    return out


def main() -> int:
    for known in (frozenset(), dictionary()):
        print(f"dictionary filter: {len(known)} words")
        run(known)
    return 0


def run(known: frozenset[str]) -> None:
    rw = EVAL / "real-web"
    stats: dict[str, list[int]] = {}
    for folder in ("spam", "spam2", "clean"):
        for line in (rw / folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            text = read(rw / r["file"])
            hits = glued(text, known)
            key = ("holdout" if holdout(r["file"]) else "dev") + ("/clean" if folder == "clean"
                                                                   else "/spam")
            s = stats.setdefault(key, [0, 0, 0, 0, 0])
            garbled = occurrences(text, r.get("garbled_spans"))
            s[0] += sum(any(finds(g, h, 3) for h in hits) for g in garbled)
            s[1] += len(garbled)
            s[2] += len(hits)
            s[3] += sum(any(finds(g, h, 3) for g in garbled) for h in hits)
            s[4] += len(text.split())
    rep = [0, 0]
    for p in (EVAL / "real-sites" / "reputable").rglob("*.md"):
        text = read(p)
        rep[0] += len(glued(text, known))
        rep[1] += len(text.split())
    for key, (found, total, k, right, words) in sorted(stats.items()):
        print(f"{key:14s} garbled found {found}/{total}; candidates {k} right {right}; "
              f"{1e4 * k / max(words, 1):.1f} per 10k words")
    print(f"real-sites/reputable: {rep[0]} candidates in {rep[1]:,} words = "
          f"{1e4 * rep[0] / max(rep[1], 1):.2f} per 10k")


if __name__ == "__main__":
    sys.exit(main())
