"""Fit the learned "needs a source" scorer of claim sentences (issue #18).

    python -m tools.train_claims_source [--eval DIR] [--cache FILE] [--write]

Reads the labeled real text in ``../shared/eval`` when present (exits cleanly when not): the
``real-web`` passages (``unsupported_claims`` are positives, every other claim sentence of a
passage a negative), ``real-web/claims/sentences.jsonl`` (``needs_source``), our own labels of
1,829 more real-sites sentences (``tools/labels/claims-real-sites.jsonl``: offsets and a hash,
no text; drawn by ``tools/sample_labels.py`` and labeled before any detector run)
and the reputable pages of ``real-sites`` (every other claim sentence a negative, at lower
weight). A labeled sentence no candidate covers is kept as an ``uncovered`` row: it never
trains, and it counts as missed, so recall is that of the whole detector. Only the
development side is trained on: a file is held out when the SHA-1 of its topic (the path
without ``_1``/``_new`` variant suffixes) is 0 mod 4, the same split as the shared score
scripts. Five-fold out-of-fold probabilities on dev choose the threshold (precision >= 0.8 on
the labeled sentences, reputable findings <= 1.5 per 1k words) and fit Platt scaling for the
confidence; holdout figures are printed, never used. ``--write`` writes the weights (figures
only, no text) to ``lint_rules/data/claims-source-model.yaml``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.realsplit import finds, holdout, occurrences, read, read_labels

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "lint_rules" / "data" / "claims-source-model.yaml"
LABELS = ROOT / "tools" / "labels" / "claims-real-sites.jsonl"


def candidates(path: Path, every: bool = False) -> tuple[str, list[dict]]:
    """The claim sentences medlint's detector finds in one file, with their features; with
    ``every``, the other prose sentences too (``candidate: False``)."""
    from medlint.api import lint_text
    from medlint.rules.claims import detect

    text = read(path)
    detect.record = []
    detect.record_all = [] if every else None
    try:
        lint_text(text, path.name, select=["claims"])
        return text, detect.record
    finally:
        detect.record = None
        detect.record_all = None


def our_labels(sites: Path) -> dict[str, list[tuple[tuple[int, int], bool]]]:
    """Our own labels of real-sites sentences (tools/labels/claims-real-sites.jsonl: offsets,
    a hash of the sentence and the labels, no text), per file; a label whose sentence no
    longer hashes the same is dropped."""
    out: dict[str, list[tuple[tuple[int, int], bool]]] = {}
    if LABELS.is_file():
        for r in read_labels(sites, LABELS):
            out.setdefault(r["file"], []).append(((r["start"], r["end"]), r["needs_source"]))
    return out


def labeled_rows(name: str, text: str, recs: list[dict],
                 spans: list[tuple[tuple[int, int], bool]], kind: str) -> list[dict]:
    """Rows for the candidates a labeled sentence matches, plus one uncovered row for each
    labeled sentence no candidate matches (it counts against recall, never trains)."""
    rows, matched = [], set()
    for rec in recs:
        span = tuple(rec["offsets"])
        hit = [(i, y) for i, (s, y) in enumerate(spans) if finds(s, span)]
        if hit:
            matched.add(hit[0][0])
            rows.append({**rec, "y": hit[0][1], "w": 1.0, "set": kind, "file": name,
                         "holdout": holdout(name)})
    for i, (s, y) in enumerate(spans):
        if i not in matched:
            rows.append({"offsets": list(s), "features": {}, "kind": None, "supported": True,
                         "y": y, "w": 0.0, "set": kind, "file": name, "uncovered": True,
                         "holdout": holdout(name)})
    return rows


def collect(eval_dir: Path, every: bool = False) -> list[dict]:
    """One row per claim sentence: features, label, weight, source set, side, page words."""
    web, sites = eval_dir / "real-web", eval_dir / "real-sites"
    rows: list[dict] = []
    for folder in ("spam", "spam2", "clean"):
        for line in (web / folder / "labels.jsonl").read_text().splitlines():
            r = json.loads(line)
            text, recs = candidates(web / r["file"], every)
            claims = occurrences(text, r.get("unsupported_claims"))
            for rec in recs:
                span = tuple(rec["offsets"])
                rows.append({**rec, "y": any(finds(c, span) for c in claims), "w": 1.0,
                             "set": "passage", "tier": r.get("tier", "spam"),
                             "file": r["file"], "holdout": holdout(r["file"])})
    sampled: dict[str, list[dict]] = {}
    for line in (web / "claims" / "sentences.jsonl").read_text().splitlines():
        r = json.loads(line)
        sampled.setdefault(r["file"], []).append(r)
    ours = our_labels(sites)
    for name in sorted(set(sampled) | set(ours)):
        text, recs = candidates(sites / name, every)
        spans = []
        for r in sampled.get(name, ()):
            i = text.find(r["sentence"])
            spans.append(((i, i + len(r["sentence"])), r["needs_source"]))
        if spans:
            rows += labeled_rows(name, text, recs, spans, "sentence")
        if name in ours:
            rows += labeled_rows(name, text, recs, ours[name], "ours")
            if name.startswith("reputable/") and name not in sampled:
                # the page's other claim sentences stay reputable negatives
                rows += reputable_rows(name, text, recs, [s for s, _y in ours[name]])
    for page in sorted((sites / "reputable").rglob("*.md")):
        name = str(page.relative_to(sites))
        if name in sampled or name in ours:
            continue
        rows += reputable_rows(name, *candidates(page, every))
    return rows


def reputable_rows(name: str, text: str, recs: list[dict],
                   labeled: Sequence[tuple[int, int]] = ()) -> list[dict]:
    """A reputable page's word count and its claim sentences as low-weight negatives, except
    the sentences labeled one by one."""
    rows = [{"set": "words", "file": name, "holdout": holdout(name), "words": len(text.split())}]
    return rows + [{**rec, "y": False, "w": 0.3, "set": "reputable", "file": name,
                    "holdout": holdout(name)} for rec in recs
                   if not any(finds(s, tuple(rec["offsets"])) for s in labeled)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval", type=Path, default=EVAL)
    ap.add_argument("--cache", type=Path, help="pickle of the collected rows (re-used if present)")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--all", action="store_true",
                    help="record every prose sentence, not only the detector's candidates")
    a = ap.parse_args()
    if not (a.eval / "real-web").is_dir():
        print(f"no labeled real text under {a.eval}: nothing to train")
        return
    if a.cache and a.cache.is_file():
        rows = pickle.loads(a.cache.read_bytes())
    else:
        rows = collect(a.eval, a.all)
        if a.cache:
            a.cache.write_bytes(pickle.dumps(rows))
    from tools.claims_source_fit import report
    report(rows, a.l2, a.min_count, OUT if a.write else None)


if __name__ == "__main__":
    sys.exit(main())
