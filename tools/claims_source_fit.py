"""The fitting half of tools/train_claims_source.py: numpy logistic regression over sparse
binary features, five-fold out-of-fold scores on the development side, threshold and Platt
scaling chosen there, figures printed for both sides."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np

LEXICAL = ("w=",)
KEEP = ("guarantee", "testimonial")  # the rules' verdict stands for these kinds


def vocabulary(rows: list[dict], min_count: int) -> list[str]:
    counts = Counter(f for r in rows for f in r["features"])
    return sorted(f for f, n in counts.items() if not f.startswith(LEXICAL) or n >= min_count)


def matrix(rows: list[dict], names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names)), dtype=np.float64)
    for i, r in enumerate(rows):
        for f, v in r["features"].items():
            j = index.get(f)
            if j is not None:
                x[i, j] = v
    return x


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float, steps: int = 300
        ) -> tuple[np.ndarray, float]:
    """Weighted L2 logistic regression by full-batch Adam (deterministic)."""
    d = x.shape[1]
    beta, b = np.zeros(d), 0.0
    m, v, mb, vb = np.zeros(d), np.zeros(d), 0.0, 0.0
    total = w.sum()
    for t in range(1, steps + 1):
        p = 1 / (1 + np.exp(-np.clip(x @ beta + b, -30, 30)))
        g = w * (p - y)
        gb = g.sum() / total
        gw = (x.T @ g) / total + l2 * beta / total
        m, v = 0.9 * m + 0.1 * gw, 0.999 * v + 0.001 * gw * gw
        mb, vb = 0.9 * mb + 0.1 * gb, 0.999 * vb + 0.001 * gb * gb
        lr = 0.05
        beta -= lr * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
        b -= lr * (mb / (1 - 0.9 ** t)) / (math.sqrt(vb / (1 - 0.999 ** t)) + 1e-8)
    return beta, b


def platt(z: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling of logits: p = sigmoid(a * z + c)."""
    a, c = 1.0, 0.0
    for _ in range(2000):
        p = 1 / (1 + np.exp(-np.clip(a * z + c, -30, 30)))
        ga, gc = float(((p - y) * z).mean()), float((p - y).mean())
        a, c = a - 0.5 * ga, c - 0.5 * gc
    return a, c


def flagged(rows: list[dict], p: np.ndarray, t: float) -> np.ndarray:
    return np.array([not r["supported"] and (r["kind"] in KEEP or pi >= t)
                     for r, pi in zip(rows, p, strict=True)])


def figures(rows: list[dict], p: np.ndarray, t: float, words: int) -> dict[str, float]:
    """Precision and recall on the labeled sentences (the shared 558, ours, both; a labeled
    sentence no candidate covers counts as missed), passage recall, reputable flags per 1k."""
    f = flagged(rows, p, t)
    y = np.array([r["y"] for r in rows])
    out = {}
    sets = np.array([r["set"] for r in rows])
    for name, s in (("sent", sets == "sentence"), ("ours", sets == "ours"),
                    ("both", (sets == "sentence") | (sets == "ours"))):
        tp, fp, fn = (f & y & s).sum(), (f & ~y & s).sum(), (~f & y & s).sum()
        out[name + "_P"] = tp / (tp + fp) if tp + fp else 0.0
        out[name + "_R"] = tp / (tp + fn) if tp + fn else 0.0
    pas = np.array([r["set"] == "passage" for r in rows])
    out["pass_R"] = (f & y & pas).sum() / max(1, (y & pas).sum())
    rep = np.array([r["set"] == "reputable" or r.get("tier") == "reputable" for r in rows])
    out["rep_per_1k"] = (f & rep).sum() / max(1, words) * 1000
    return out


def report(rows: list[dict], l2: float, min_count: int, out: Path | None) -> None:
    words = {s: sum(r["words"] for r in rows if r["set"] == "words" and r["holdout"] == s)
             for s in (False, True)}
    rows = [r for r in rows if r["set"] != "words"]
    print("labeled sentences no candidate covers (dev/holdout):",
          sum(1 for r in rows if r.get("uncovered") and r["y"] and not r["holdout"]),
          sum(1 for r in rows if r.get("uncovered") and r["y"] and r["holdout"]))
    dev = [r for r in rows if not r["holdout"]]
    hold = [r for r in rows if r["holdout"]]
    names = vocabulary(dev, min_count)
    xd, xh = matrix(dev, names), matrix(hold, names)
    yd = np.array([float(r["y"]) for r in dev])
    wd = np.array([r["w"] for r in dev])
    # out-of-fold logits on dev, folds by file so a page never scores itself
    files = sorted({r["file"] for r in dev})
    fold = {f: i % 5 for i, f in enumerate(files)}
    folds = np.array([fold[r["file"]] for r in dev])
    oof = np.zeros(len(dev))
    for k in range(5):
        tr = folds != k
        beta, b = fit(xd[tr], yd[tr], wd[tr], l2)
        oof[~tr] = xd[~tr] @ beta + b
    best = None
    base = np.array([1.0 if r["kind"] else 0.0 for r in dev])
    print("rules (dev):", figures(dev, base, 0.5, words[False]))
    hbase = np.array([1.0 if r["kind"] else 0.0 for r in hold])
    print("rules (holdout):", figures(hold, hbase, 0.5, words[True]))
    for t in (0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        fig = figures(dev, 1 / (1 + np.exp(-oof)), t, words[False])
        ok = fig["both_P"] >= 0.8 and fig["rep_per_1k"] <= 1.5
        score = fig["both_R"] + fig["pass_R"]
        print(f"t={t:.3f} " + " ".join(f"{k}={v:.2f}" for k, v in fig.items())
              + (" ok" if ok else ""))
        if ok and (best is None or score > best[0]):
            best = (score, float(t))
    t = best[1] if best else 0.5
    beta, b = fit(xd, yd, wd, l2)
    # Platt scaling on the population that is reported: the labeled dev sentences the
    # out-of-fold scores flag (reputable pages carry no per-sentence label).
    rep = flagged(dev, 1 / (1 + np.exp(-oof)), t) & np.array([r["set"] != "reputable"
                                                               for r in dev])
    a, c = platt(oof[rep], yd[rep])
    ph = 1 / (1 + np.exp(-(xh @ beta + b)))
    print(f"chosen t={t:.3f}, {len(names)} features, platt a={a:.3f} c={c:.3f}")
    print("dev (oof):", figures(dev, 1 / (1 + np.exp(-oof)), t, words[False]))
    print("holdout  :", figures(hold, ph, t, words[True]))
    if out is None:
        return
    keep = [(n, float(w)) for n, w in zip(names, beta, strict=True) if abs(w) >= 1e-3]
    lines = ["# Learned 'needs a source' scorer of claim sentences (medlint.rules.claims.scorer),",
             "# written by tools/train_claims_source.py. Do not edit by hand.",
             "license: MIT (weights fitted on our own labels of public web text; no text ships)",
             "training_data: development side of ../shared/eval/real-web (passages and",
             "  claims/sentences.jsonl), real-sites/reputable and our labels of real-sites",
             "  sentences (tools/labels/claims-real-sites.jsonl)",
             "trained_by: tools/train_claims_source.py",
             f"threshold: {t:.3f}", f"bias: {b:.4f}",
             f"calibration: {{a: {a:.4f}, c: {c:.4f}}}", "weights:"]
    lines += [f"  {json_key(n)}: {w:.4f}" for n, w in keep]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out} ({len(keep)} weights)")


def json_key(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
