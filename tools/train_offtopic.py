"""Trains the spliced-sentence combiner of spam/off-topic-sentence (issue #4).

    python -m tools.train_offtopic            # writes lint_rules/data/offtopic-model.yaml
    python -m tools.train_offtopic --dry-run  # prints the numbers only

Training data: generator splices (tools.splice) with DEV seeds only, into the
corpus articles that carry no coherence label (the same host pool as the benchmark; REPORT
seeds are never touched). Positives: sentences of ``sentence``/``paragraph``/``item`` splices.
Negatives: every other sentence of those cases. Mash-up lists are left out (their items are
judged by spam/incoherent-list). Plain-numpy L2 logistic regression, full-batch gradient
descent, deterministic. The threshold is the lowest score at which the dev hosts' clean
sentences give at most MAX_FA false alarms per 10,000 words (counting only sentences the
rule would not already report).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import math
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from medlint.documents import parse_document
from medlint.nlp import get_pipeline
from medlint.rules.base import RuleContext
from medlint.rules.spam.coherence_offtopic import Settings, judge
from medlint.rules.spam.coherence_text import _plain_terms, build_article
from tools.eval_spam_coherence import corpus_articles, labeled
from tools.offtopic_model import FEATURES, features
from tools.splice import DEV_SEEDS, load_articles, make_cases

ROOT = Path(__file__).resolve().parents[1]

OUT = ROOT / "lint_rules" / "data" / "offtopic-model.yaml"
MAX_FA = 1.0  # false alarms per 10,000 words allowed on clean host text
L2 = 1.0
BALANCED = True


def _df_table(articles: list[Any]) -> tuple[dict[Path, set[str]], Counter[str]]:
    """Plain-word stems of every article and their document frequency (for --df-experiment)."""
    terms = {a.path: set(_plain_terms(a.text)) for a in articles}
    df: Counter[str] = Counter()
    for t in terms.values():
        df.update(t)
    return terms, df


def _df_columns(terms: dict[str, float], novel: set[str], df: Counter[str],
                own: set[str]) -> list[float]:
    """Corpus-prior columns, with the case's host and donor left out of the counts."""
    def d(t: str) -> int:
        return df[t] - (1 if t in own else 0)
    total = sum(terms.values()) or 1.0
    common = sum(w for t, w in terms.items() if d(t) >= 5) / total
    rare_novel = sum(w for t, w in terms.items() if t in novel and d(t) <= 1) / total
    mean_novel = (sum(math.log1p(max(d(t), 0)) for t in novel) / len(novel)) if novel else 3.0
    return [common, rare_novel, mean_novel]


def collect(seeds: range, df_experiment: bool = False) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, int, list[str]]:
    """(features, labels, already-flagged mask, words of host text, sentence texts)."""
    coherence, _spam = labeled()
    articles = load_articles([p for p in corpus_articles() if p.resolve() not in coherence])
    art_terms, df = _df_table(articles)
    cases = [c for c in make_cases(seeds, articles) if c.kind != "mashup"]
    docs = [parse_document(c.name, c.text) for c in cases]
    pipeline = get_pipeline("auto", {"sentences", "lemmas"})
    results = pipeline.process(docs)
    xs: list[list[float]] = []
    ys: list[int] = []
    flagged: list[bool] = []
    texts: list[str] = []
    words = 0
    for case, doc, nlp in zip(cases, docs, results, strict=True):
        ctx = RuleContext(options={}, today=_dt.date.today(), nlp=nlp)
        art = build_article(doc, ctx)
        verdicts = judge(art, Settings())
        dangling = {v.sentence.index: v.strength for v in verdicts if v.strength}
        sents = [v.sentence for v in verdicts]
        rows = features(art, sents, dangling)
        if df_experiment:
            own_terms = art_terms.get(case.host, set()) | art_terms.get(case.donor, set())
            for sent, row in zip(sents, rows, strict=True):
                novel = {t for t in sent.terms if art.support(t) <= 0}
                own = {t[:6] for t in own_terms}
                row.extend(_df_columns(sent.terms, novel, df, own))
        label_texts = [" ".join(item["text"].split()) for item in case.labels]
        for v, row in zip(verdicts, rows, strict=True):
            s = v.sentence
            text = " ".join(s.text.split())
            pos = bool(text) and any(text in lab or lab in text for lab in label_texts)
            xs.append(row)
            ys.append(int(pos))
            flagged.append(v.flagged)
            texts.append(f"{case.name}: {text[:90]}")
            if not pos:
                words += len(text.split())
    return (np.array(xs, dtype=float), np.array(ys, dtype=int), np.array(flagged),
            words, texts)


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2, steps: int = 4000) -> tuple[
        np.ndarray, float, np.ndarray, np.ndarray]:
    """Standardised L2 logistic regression (class-balanced), by gradient descent."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    n, d = z.shape
    pos = y.sum()
    sw = (np.where(y == 1, n / (2 * max(pos, 1)), n / (2 * max(n - pos, 1))) if BALANCED
          else np.ones(n))
    w = np.zeros(d)
    b = 0.0
    lr = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = (p - y) * sw
        w -= lr * (z.T @ g / n + l2 * w / n)
        b -= lr * g.mean()
    return w, b, mean, scale


def predict(x: np.ndarray, w: np.ndarray, b: float, mean: np.ndarray,
            scale: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-(((x - mean) / scale) @ w + b)))


def pick_threshold(p: np.ndarray, y: np.ndarray, flagged: np.ndarray, words: int) -> float:
    """Lowest threshold with at most MAX_FA new false alarms per 10,000 clean words."""
    allowed = int(MAX_FA * words / 10_000)
    neg = np.sort(p[(y == 0) & ~flagged])[::-1]
    if len(neg) <= allowed:
        return 0.5
    return float(neg[allowed]) + 1e-6


def report(name: str, p: np.ndarray, y: np.ndarray, flagged: np.ndarray, thr: float,
           words: int) -> None:
    hit = (p >= thr) | flagged
    tp = int((hit & (y == 1)).sum())
    fp = int((hit & (y == 0)).sum())
    fn = int((~hit & (y == 1)).sum())
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    print(f"{name}: thr {thr:.3f} tp {tp} fp {fp} fn {fn} P {prec:.2f} R {rec:.2f} "
          f"F1 {f1:.2f}; FA/10k clean words {fp / words * 10_000:.2f}")


def hash_host(text: str) -> int:
    """A stable number for the host article of a row (file name after the splice kind)."""
    name = text.split(":", 1)[0].split("-", 3)[-1]
    return sum(name.encode("utf-8"))


def recall_at(p: np.ndarray, y: np.ndarray, flagged: np.ndarray, words: int,
              budgets: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0)) -> str:
    """Recall of new (not already flagged) splices at several false-alarm budgets."""
    out = []
    pos = (y == 1) & ~flagged
    neg = np.sort(p[(y == 0) & ~flagged])[::-1]
    for budget in budgets:
        allowed = int(budget * words / 10_000)
        thr = neg[allowed] + 1e-9 if allowed < len(neg) else 0.0
        rec = float((p[pos] >= thr).mean()) if pos.any() else 0.0
        out.append(f"R@{budget:g}FA/10k {rec:.2f}")
    return ", ".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--df-experiment", action="store_true",
                        help="add corpus document-frequency columns (host and donor left out); "
                        "implies --dry-run")
    parser.add_argument("--show", type=int, default=0, help="print the top-N scored negatives")
    args = parser.parse_args(argv)
    x, y, flagged, words, texts = collect(DEV_SEEDS, args.df_experiment)
    if args.df_experiment:
        args.dry_run = True
    print(f"dev sentences {len(y)}, spliced {int(y.sum())}, clean host words {words}")
    # Two-fold check by case parity of row order is not case-aware; use a split by half.
    # Held-out check: train on half the host articles, score the other half.
    hosts = np.array([hash_host(t) % 2 for t in texts])
    for fold in (0, 1):
        tr, te = hosts != fold, hosts == fold
        w, b, m, s = fit(x[tr], y[tr])
        fold_words = max(int(words * te.mean()), 1)
        thr_f = pick_threshold(predict(x[tr], w, b, m, s), y[tr], flagged[tr],
                               max(words - fold_words, 1))
        p_te = predict(x[te], w, b, m, s)
        report(f"held-out hosts {fold}", p_te, y[te], flagged[te], thr_f, fold_words)
        print(f"  {recall_at(p_te, y[te], flagged[te], fold_words)}")
    w, b, m, s = fit(x, y)
    p = predict(x, w, b, m, s)
    thr = pick_threshold(p, y, flagged, words)
    report("dev (train)", p, y, flagged, thr, words)
    names = list(FEATURES) + (["df_common", "df_rare_novel", "df_mean_novel"]
                              if args.df_experiment else [])
    for name, wi in sorted(zip(names, w, strict=True), key=lambda t: -abs(t[1])):
        print(f"  {name:18s} {wi:+.3f}")
    if args.show:
        order = np.argsort(-p)
        for k in order[:args.show]:
            print(f"{p[k]:.3f} {'POS' if y[k] else 'neg'} {texts[k]}")
    if args.dry_run:
        return 0
    data = {
        "features": list(FEATURES),
        "weights": {n: round(float(v), 5) for n, v in zip(FEATURES, w, strict=True)},
        "bias": round(float(b), 5),
        "mean": {n: round(float(v), 5) for n, v in zip(FEATURES, m, strict=True)},
        "scale": {n: round(float(v), 5) for n, v in zip(FEATURES, s, strict=True)},
        "threshold": round(thr, 5),
    }
    header = ("# Logistic-regression weights for spam/off-topic-sentence (issue #4).\n"
              "# Generated by tools/train_offtopic.py from generator DEV seeds only;\n"
              "# do not edit by hand. Features: tools.offtopic_model.FEATURES.\n")
    OUT.write_text(header + yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
