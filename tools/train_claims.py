"""Fits the learned claim detector (tools/claims_model.py) on the DEV sets only.

    python -m tools.train_claims            # cross-validate, fit, write the model
    python -m tools.train_claims --cv-only  # print the cross-validation figures only

Training data: corpus/labels/claims-dev.yaml and claims-dev2.yaml (13 articles). Never the
test set (corpus/labels/claims.yaml). Units are the detector's own sentences (spaCy, as
medlint.rules.claims.detect.claim_sentences sees them); a sentence is positive when a
``claims/claim`` label starts inside it. Features: tools.claims_model.features. The word
vocabulary is chosen without labels (content words in at least MIN_DF dev sentences). A logistic
regression (numpy, L2, Newton steps) is fitted; the L2 strength and the threshold are chosen by
leave-one-article-out cross-validation within dev+dev2 (pooled out-of-fold F1), then the model
is refitted on all dev sentences and written to lint_rules/data/claims-model.yaml.
Deterministic: no random numbers.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from medlint.documents import parse_document
from medlint.evaluation import load_labels
from medlint.nlp import get_pipeline
from medlint.resources import data_file
from medlint.rules.claims.detect import classify, prose_sentences
from tools.claims_model import MODEL_FILE, features

ROOT = Path(__file__).resolve().parents[1]
DEV = [ROOT / "corpus" / "labels" / "claims-dev.yaml", ROOT / "corpus" / "labels" /
       "claims-dev2.yaml"]
MIN_DF = 3
CONTENT = frozenset({"NOUN", "VERB", "ADJ", "ADV", "AUX"})
LAMBDAS = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
# Whether medlint uses the model (claims.claim_sentences): only if it beat the rules on the test
# set, measured once (docs/rules/claims.md, "Learned claim detector").
ENABLED = False
DROP: tuple[str, ...] = ()  # feature prefixes left out of the shipped model (see --drop)
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(9))  # 0.30 .. 0.70


def sentences() -> list[dict]:
    """One row per detector sentence of the dev articles: article, text, span, hits, label."""
    pipeline = get_pipeline("auto", {"sentences", "lemmas"})
    rows: list[dict] = []
    for label_file in DEV:
        labels = load_labels(label_file)
        for lf in labels.files:
            text = lf.path.read_text(encoding="utf-8-sig")
            doc = parse_document(str(lf.path), text)
            res = pipeline.process([doc])[0]
            starts = [lab.start for lab in lf.labels if lab.rule == "claims/claim"]
            for block, sent in prose_sentences(doc, res.doc):
                hits: dict = {}
                result = classify(sent, hits)
                s0, s1 = sent.start_char, sent.start_char + len(sent.text.rstrip())
                lo, hi = block.source_span(s0, s1)
                rows.append({"article": lf.path.name, "span": sent, "result": result,
                             "hits": hits,
                             "label": any(lo <= s < max(hi, lo + 1) for s in starts)})
    return rows


def vocabulary(rows: list[dict]) -> frozenset[str]:
    """Lower-cased words of content-word tokens in at least MIN_DF dev sentences (no labels)."""
    df: Counter[str] = Counter()
    for r in rows:
        df.update({t.lower_ for t in r["span"] if t.pos_ in CONTENT and t.is_alpha})
    return frozenset(w for w, n in df.items() if n >= MIN_DF)


def fit(x: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    """L2 logistic regression by Newton's method; the bias (column 0) is not penalised."""
    w = np.zeros(x.shape[1])
    reg = np.full(x.shape[1], lam)
    reg[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + reg * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(reg + 1e-6)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def prf(pred: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & y).sum())
    p = tp / pred.sum() if pred.sum() else 1.0
    r = tp / y.sum() if y.sum() else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def matrix(feats: list[set[str]], names: list[str]) -> np.ndarray:
    index = {n: i + 1 for i, n in enumerate(names)}
    x = np.zeros((len(feats), len(names) + 1))
    x[:, 0] = 1.0
    for k, f in enumerate(feats):
        for name in f:
            if name in index:
                x[k, index[name]] = 1.0
    return x


def select(x: np.ndarray, y: np.ndarray, articles: np.ndarray, verbose: bool = False
           ) -> tuple[dict, float, float]:
    """Leave-one-article-out F1 for each (lambda, threshold); the best pair (first on ties)."""
    best = (-1.0, 0.0, 0.0)
    table = {}
    for lam in LAMBDAS:
        oof = np.zeros(len(y))
        for art in sorted(set(articles)):
            test = articles == art
            w = fit(x[~test], y[~test].astype(float), lam)
            oof[test] = 1.0 / (1.0 + np.exp(-np.clip(x[test] @ w, -30, 30)))
        for t in THRESHOLDS:
            table[(lam, t)] = prf(oof >= t, y)
            if table[(lam, t)][2] > best[0] + 1e-9:
                best = (table[(lam, t)][2], lam, t)
        if verbose:
            line = "  ".join(f"{t:.2f}:{table[(lam, t)][2]:.3f}" for t in THRESHOLDS)
            print(f"lambda {lam:>5}: out-of-fold F1 by threshold  {line}")
    return table, best[1], best[2]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--nested", action="store_true",
                    help="also estimate the whole selection procedure by nested CV (slow)")
    ap.add_argument("--drop", default=",".join(DROP),
                    help="comma-separated feature-name prefixes to leave out (ablation)")
    args = ap.parse_args()
    drop = tuple(d for d in args.drop.split(",") if d)
    rows = sentences()
    vocab = vocabulary(rows)
    feats = [features(r["span"], r["result"], r["hits"], vocab) for r in rows]
    names = sorted({f for fs in feats for f in fs if not f.startswith(drop)})
    x = matrix(feats, names)
    y = np.array([r["label"] for r in rows])
    articles = np.array([r["article"] for r in rows])
    rules = np.array([r["result"] is not None for r in rows])
    print(f"{len(rows)} sentences, {int(y.sum())} claims, {len(set(articles))} articles, "
          f"{len(names)} features ({len(vocab)} words)")
    p, r, f = prf(rules, y)
    print(f"rules (tuned on these articles): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    table, lam, t = select(x, y, articles, verbose=True)
    p, r, f = table[(lam, t)]
    print(f"chosen lambda {lam}, threshold {t}: out-of-fold P {p:.3f} R {r:.3f} F1 {f:.3f}")
    if args.nested:
        pred = np.zeros(len(rows), dtype=bool)
        for art in sorted(set(articles)):
            test = articles == art
            _, lam_i, t_i = select(x[~test], y[~test], articles[~test])
            w = fit(x[~test], y[~test].astype(float), lam_i)
            pred[test] = 1.0 / (1.0 + np.exp(-np.clip(x[test] @ w, -30, 30))) >= t_i
        n = prf(pred, y)
        print(f"nested (selection inside each fold): P {n[0]:.3f} R {n[1]:.3f} F1 {n[2]:.3f}")
    if args.cv_only:
        return 0
    w = fit(x, y.astype(float), lam)
    weights = {n: round(float(v), 4) for n, v in zip(names, w[1:], strict=True)
               if abs(v) >= 1e-4}
    used = sorted(n[2:] for n in weights if n.startswith("w="))
    out = {"enabled": ENABLED, "lambda": lam, "threshold": t, "bias": round(float(w[0]), 4),
           "trained_on": [str(p.relative_to(ROOT)) for p in DEV],
           "cv": {"precision": round(float(p), 3), "recall": round(float(r), 3),
                  "f1": round(float(f), 3)},
           "vocabulary": used, "weights": dict(sorted(weights.items()))}
    header = ("# Learned claim detector (tools/claims_model.py), written by\n"
              "# tools/train_claims.py from the dev sets only. Do not edit by hand.\n"
              "# Off: it did not beat the rules on the test set (docs/rules/claims.md).\n")
    data_file(MODEL_FILE).write_text(header + yaml.safe_dump(out, sort_keys=False, width=100),
                                     encoding="utf-8")
    print(f"wrote {data_file(MODEL_FILE)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
