"""Fit the learned "needs a source" scorer of claim sentences (issue #18).

    python -m tools.train_claims_source [--eval DIR] [--cache FILE] [--write]

Reads the labeled real text in ``../shared/eval`` when present (exits cleanly when not): the
``real-web`` passages (``unsupported_claims`` are positives, every other claim sentence of a
passage a negative), ``real-web/claims/sentences.jsonl`` (``needs_source``) and the reputable
pages of ``real-sites`` (every claim sentence a negative, at lower weight). Only the
development side is trained on: a file is held out when the SHA-1 of its topic (the path
without ``_1``/``_new`` variant suffixes) is 0 mod 4, the same split as the shared score
scripts. Five-fold out-of-fold probabilities on dev choose the threshold (precision >= 0.8 on
the labeled sentences, reputable findings <= 2 per 1k words) and fit Platt scaling for the
confidence; holdout figures are printed, never used. ``--write`` writes the weights (figures
only, no text) to ``lint_rules/data/claims-source-model.yaml``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

from tools.realsplit import finds, holdout, occurrences, read

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "lint_rules" / "data" / "claims-source-model.yaml"










def candidates(path: Path) -> tuple[str, list[dict]]:
    """The claim sentences medlint's detector finds in one file, with their features."""
    from medlint.api import lint_text
    from medlint.rules.claims import detect

    text = read(path)
    detect.record = []
    try:
        lint_text(text, path.name, select=["claims"])
        return text, detect.record
    finally:
        detect.record = None


def collect(eval_dir: Path) -> list[dict]:
    """One row per claim sentence: features, label, weight, source set, side, page words."""
    web, sites = eval_dir / "real-web", eval_dir / "real-sites"
    rows: list[dict] = []
    for folder in ("spam", "spam2", "clean"):
        for line in (web / folder / "labels.jsonl").read_text().splitlines():
            r = json.loads(line)
            text, recs = candidates(web / r["file"])
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
    for name, labels in sampled.items():
        text, recs = candidates(sites / name)
        spans = []
        for r in labels:
            i = text.find(r["sentence"])
            spans.append(((i, i + len(r["sentence"])), r["needs_source"]))
        for rec in recs:
            span = tuple(rec["offsets"])
            hit = [y for s, y in spans if finds(s, span)]
            if hit:
                rows.append({**rec, "y": hit[0], "w": 1.0, "set": "sentence", "file": name,
                             "holdout": holdout(name)})
    for page in sorted((sites / "reputable").rglob("*.md")):
        name = str(page.relative_to(sites))
        if name in sampled:
            continue
        text, recs = candidates(page)
        rows.append({"set": "words", "file": name, "holdout": holdout(name),
                     "words": len(text.split())})
        for rec in recs:
            rows.append({**rec, "y": False, "w": 0.3, "set": "reputable", "file": name,
                         "holdout": holdout(name)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval", type=Path, default=EVAL)
    ap.add_argument("--cache", type=Path, help="pickle of the collected rows (re-used if present)")
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--l2", type=float, default=10.0)
    ap.add_argument("--min-count", type=int, default=5)
    a = ap.parse_args()
    if not (a.eval / "real-web").is_dir():
        print(f"no labeled real text under {a.eval}: nothing to train")
        return
    if a.cache and a.cache.is_file():
        rows = pickle.loads(a.cache.read_bytes())
    else:
        rows = collect(a.eval)
        if a.cache:
            a.cache.write_bytes(pickle.dumps(rows))
    from tools.claims_source_fit import report
    report(rows, a.l2, a.min_count, OUT if a.write else None)


if __name__ == "__main__":
    sys.exit(main())
