"""Claim strength against Yu et al. (2020) labels, when ../shared/eval is present.

    python benchmarks/eval_claims.py [--limit N]

Maps medlint's strengths onto the dataset's ordinal labels (0 no claim, 1 correlational,
2 conditional causal = hedged, 3 direct causal; absolute counts as 3) and prints accuracy and
macro-F1 per file beside the published BioBERT figures and the cue-word baseline. Nothing is
trained on this data. Skips cleanly when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "claim-strength-yu2020"
PUBLISHED = {"annotated_eureka.csv": (0.892, 0.61), "annotated_pubmed.csv": (0.878, 0.65)}
LABEL = {None: 0, "correlational": 1, "hedged": 2, "causal": 3, "absolute": 3}


def macro_f1(gold: list[int], pred: list[int]) -> float:
    scores = []
    for label in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0)
    return sum(scores) / len(scores)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is not present")
        return
    from medlint.claims import classify
    from medlint.nlp import get_pipeline

    nlp = get_pipeline("auto", {"sentences", "lemmas"}).nlp
    print("| data | sentences | accuracy | macro-F1 | BioBERT (published) | cue baseline |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, (biobert, baseline) in PUBLISHED.items():
        with (DATA / name).open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        if args.limit:
            rows = rows[: args.limit]
        gold = [int(r["label"]) for r in rows]
        pred = []
        for doc in nlp.pipe((r["sentence"] for r in rows), batch_size=256):
            result = classify(doc[:])
            pred.append(LABEL[result[0] if result else None])
        accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
        print(f"| {name} | {len(gold)} | {accuracy:.2f} | {macro_f1(gold, pred):.2f} | "
              f"{biobert:.2f} | {baseline:.2f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
