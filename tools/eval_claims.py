"""Claim strength against external labeled sets, when ../shared/eval is present.

    python -m tools.eval_claims [--limit N] [--confusion] [--errors N --only NAME]

Maps medlint's strengths onto the ordinal labels these sets share (0 no claim,
1 correlational, 2 conditional causal = hedged, 3 direct causal; absolute counts as 3) and
prints accuracy and macro-F1 per set. Reported sets: Yu et al. 2020 (EurekAlert press releases
and PubMed conclusions), beside the published BioBERT figures and the cue-word baseline.
Development set: the press-release and abstract conclusions of Wright & Augenstein 2021
(InSciOut, from Sumner et al. 2014 and Bratton et al. 2019), a different corpus labeled with
the same scheme: cue changes are checked there, never on the Yu sets. Nothing is trained on
any of them. Skips cleanly when the data is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
YU = EVAL / "claim-strength-yu2020"
WRIGHT = EVAL / "exaggeration-wright2021"
PUBLISHED = {"eureka": (0.892, 0.61), "pubmed": (0.878, 0.65)}
LABEL = {None: 0, "correlational": 1, "hedged": 2, "causal": 3, "absolute": 3}


def load_sets() -> dict[str, list[tuple[str, int]]]:
    sets: dict[str, list[tuple[str, int]]] = {}
    if WRIGHT.is_dir():
        rows = []
        for name in ("insciout_train.jsonl", "insciout_test.jsonl"):
            with (WRIGHT / name).open(encoding="utf-8") as fh:
                for line in fh:
                    r = json.loads(line)
                    rows.append((r["press_release_conclusion"], int(r["press_release_strength"])))
                    rows.append((r["abstract_conclusion"], int(r["abstract_strength"])))
        sets["wright (dev)"] = rows
    for key, name in (("eureka", "annotated_eureka.csv"), ("pubmed", "annotated_pubmed.csv")):
        if (YU / name).is_file():
            with (YU / name).open(encoding="utf-8") as fh:
                sets[key] = [(r["sentence"], int(r["label"])) for r in csv.DictReader(fh)]
    return sets


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


def predict(texts: list[str]) -> list[int]:
    from medlint.nlp import get_pipeline
    from medlint.rules.claims.detect import classify

    nlp = get_pipeline("auto", {"sentences", "lemmas"}).nlp
    pred = []
    for doc in nlp.pipe(texts, batch_size=256):
        # Each row is one claim statement (some rows hold two sentences): take the strongest.
        results = [classify(sent) for sent in doc.sents] or [classify(doc[:])]
        pred.append(max(LABEL[r[0] if r else None] for r in results)
                    if any(results) else 0)
    return pred


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--confusion", action="store_true", help="print confusion matrices")
    parser.add_argument("--errors", type=int, default=0, help="print N errors per set")
    parser.add_argument("--only", help="only this set (e.g. wright)")
    args = parser.parse_args()
    sets = load_sets()
    if not sets:
        print(f"skipped: {EVAL} has no claim-strength data")
        return
    print("| data | sentences | accuracy | macro-F1 | BioBERT (published) | cue baseline |")
    print("|---|---:|---:|---:|---:|---:|")
    details = []
    for name, rows in sets.items():
        if args.only and not name.startswith(args.only):
            continue
        if args.limit:
            rows = rows[: args.limit]
        gold = [g for _, g in rows]
        pred = predict([t for t, _ in rows])
        accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
        biobert, baseline = PUBLISHED.get(name, (None, None))
        print(f"| {name} | {len(gold)} | {accuracy:.2f} | {macro_f1(gold, pred):.2f} | "
              f"{biobert if biobert else '-'} | {baseline if baseline else '-'} |")
        details.append((name, rows, gold, pred))
    for name, rows, gold, pred in details:
        if args.confusion:
            print(f"\n{name}: rows gold 0-3, columns predicted 0-3")
            for g in range(4):
                print(g, [sum(1 for a, b in zip(gold, pred, strict=True) if a == g and b == p)
                          for p in range(4)])
        if args.errors:
            shown = 0
            for (text, g), p in zip(rows, pred, strict=True):
                if g != p and shown < args.errors:
                    print(f"gold {g} pred {p}: {text}")
                    shown += 1
    sys.stdout.flush()


if __name__ == "__main__":
    main()
