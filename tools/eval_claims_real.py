"""Reliability of the claims findings' confidence on the held-out side of the labeled real text.

    python -m tools.eval_claims_real [--eval DIR] [--cache FILE] [--side holdout|dev]

Collects the claim sentences as tools/train_claims_source.py does (or reads its ``--cache``),
scores them with the shipped scorer (``lint_rules/data/claims-source-model.yaml``), and prints,
for the sentences that would be reported, the mean confidence and the share an editor labeled
as needing a source, per confidence bin. Exits cleanly when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
from pathlib import Path

from tools.train_claims_source import EVAL, collect

BINS = (0.0, 0.1, 0.2, 0.3, 0.5, 0.7, 1.01)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval", type=Path, default=EVAL)
    ap.add_argument("--cache", type=Path)
    ap.add_argument("--side", choices=("holdout", "dev"), default="holdout")
    a = ap.parse_args()
    if a.cache and a.cache.is_file():
        rows = pickle.loads(a.cache.read_bytes())
    elif (a.eval / "real-web").is_dir():
        rows = collect(a.eval)
    else:
        print(f"no labeled real text under {a.eval}: nothing to measure")
        return
    from medlint.learned import sigmoid
    from medlint.rules.claims import scorer
    from medlint.rules.claims.policy import cleared

    model = scorer.model()
    if model is None:
        print("no scorer shipped")
        return
    threshold = model.threshold or 0.5
    side = a.side == "holdout"
    reported = []
    for r in rows:
        if r["set"] in ("words", "reputable") or r["holdout"] != side or r["supported"]:
            continue  # labeled sentences only (reputable pages carry no per-sentence label)
        z = model.score({k: v for k, v in r["features"].items() if not k.startswith("b=")})
        if r["kind"] is None and cleared(r["text"]):
            continue  # the policy's reference values, scope "100%" and definitions stay quiet
        if r["kind"] in ("guarantee", "testimonial") or sigmoid(z) >= threshold:
            reported.append((scorer.calibrated(model, z), bool(r["y"])))
    print(f"{a.side}: {len(reported)} reported claim sentences with a label")
    print("confidence bin | findings | mean confidence | labeled needs-source")
    for lo, hi in itertools.pairwise(BINS):
        inbin = [(c, y) for c, y in reported if lo <= c < hi]
        if inbin:
            mean = sum(c for c, _ in inbin) / len(inbin)
            rate = sum(y for _, y in inbin) / len(inbin)
            print(f"[{lo:.1f}, {min(hi, 1.0):.1f}) | {len(inbin):8d} | {mean:15.2f} | {rate:.2f}")


if __name__ == "__main__":
    main()
