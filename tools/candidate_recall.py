#!/usr/bin/env python3
"""Candidate recall of the spam cascade per kind of garbled span, on one side of the split.

    python -m tools.candidate_recall [--side dev|holdout] [--eval ../shared/eval] [--clean]

Why: recall of ``spam/inserted-phrase`` is bound by the candidate stage (a span no candidate
covers can never be reported). This prints, for each rough kind of labeled garbled span (a
single word, a lower-case run, a Title-Case run, a whole line, a long residue), how many
occurrences exist, how many some candidate finds (score.py's rule, factor 3: the ceiling) and
how many a candidate at or above the shipped threshold finds; and, per candidate kind, how many
candidates there are and how many find a label. ``--clean`` adds candidate counts on
real-web/clean (per 10k words); ``--wider`` switches on the wider candidate stage
(``cascade.WIDER``). Counts only: no label text is printed, so the held-out side
can be looked at without reading its labels.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from medlint.rules.spam import cascade
from tools.realsplit import finds, holdout, occurrences

ROOT = Path(__file__).resolve().parents[1]


def label_kind(text: str, span: tuple[int, int]) -> str:
    """A rough kind of a labeled occurrence, from its own shape and its line."""
    s = text[span[0]:span[1]]
    ws = s.split()
    ls = text.rfind("\n", 0, span[0]) + 1
    le = text.find("\n", span[1])
    line = text[ls:le if le != -1 else len(text)].strip()
    if line == s.strip():
        return "line"
    if len(ws) > 8:
        return "long"
    if len(ws) == 1:
        return "word"
    caps = sum(w[:1].isupper() for w in ws if w.isalpha() and len(w) > 3)
    if s[:1].isupper() and caps >= max(2, len([w for w in ws if len(w) > 3]) // 2):
        return "title"
    if s[:1].islower():
        return "lower" if len(ws) <= 3 else "lower4"
    return "other"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--side", default="dev", choices=["dev", "holdout"])
    ap.add_argument("--clean", action="store_true")
    ap.add_argument("--wider", action="store_true", help="switch cascade.WIDER on")
    a = ap.parse_args()
    cascade.WIDER = a.wider
    from tools.train_spam_real import candidates

    rw = Path(a.eval) / "real-web"
    if not rw.is_dir():
        print(f"no evaluation data at {rw}")
        return 0
    thr = float(cascade.model().threshold or 0.5)
    total: Counter[str] = Counter()
    ceil: Counter[str] = Counter()
    hit: Counter[str] = Counter()
    ck: Counter[str] = Counter()
    ck_right: Counter[str] = Counter()
    ck_rep: Counter[str] = Counter()
    clean_words = 0
    folders = ("spam", "spam2", "clean") if a.clean else ("spam", "spam2")
    for folder in folders:
        for line in (rw / folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            if holdout(r["file"]) != (a.side == "holdout"):
                continue
            cands, text = candidates(rw / r["file"], r["file"])
            cascade.score(cands)
            spans = [(c.block.source_span(c.start, c.end), c) for c in cands]
            if folder == "clean":
                clean_words += len(text.split())
                for _s, c in spans:
                    ck_rep[c.kind] += 1
                continue
            garbled = occurrences(text, r.get("garbled_spans"))
            for g in garbled:
                k = label_kind(text, g)
                total[k] += 1
                near = [c for s, c in spans if finds(g, s, 3)]
                ceil[k] += bool(near)
                hit[k] += any(c.probability >= thr for c in near)
            for s, c in spans:
                ck[c.kind] += 1
                ck_right[c.kind] += any(finds(g, s, 3) for g in garbled)
    print(f"[{a.side}] garbled occurrences by kind: total / some candidate / reported (>= {thr})")
    for k in sorted(total, key=lambda k: -total[k]):
        print(f"  {k:8s} {total[k]:4d} {ceil[k]:4d} {hit[k]:4d}")
    print(f"  {'all':8s} {sum(total.values()):4d} {sum(ceil.values()):4d} {sum(hit.values()):4d}")
    print(f"[{a.side}] candidates on spam passages by candidate kind: count / finding a label"
          + (" / on clean (per 10k words)" if a.clean else ""))
    for k in sorted(set(ck) | set(ck_rep), key=lambda k: -ck[k]):
        extra = (f" {ck_rep[k]:4d} ({ck_rep[k] / max(clean_words, 1) * 1e4:.1f})"
                 if a.clean else "")
        print(f"  {k:12s} {ck[k]:4d} {ck_right[k]:4d}{extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
