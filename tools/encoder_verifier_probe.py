"""Measure the int8 ONNX MiniLM encoder as a cheap second stage on spam/inserted-phrase candidates.

Deletion test with an encoder instead of a language model: for each cascade candidate at or
above the verifier floor, embed the sentence, the sentence without the span and the span, and
take (1) the change in cosine to the page centroid when the span is deleted, (2) the cosine of
the span to the rest of its sentence, (3) the cosine of the span to the page. A logistic head
on [logit(cascade p), those three] is fitted on dev candidates; for the cascade alone and with
the head it prints, on dev and holdout, the recall of labeled garbled/spliced occurrences and
the precision at the threshold that keeps dev clean + sampled reputable text within 1 false
alarm per 10k words, plus the share of sentences sent to the encoder and its CPU cost.

    python -m tools.encoder_verifier_probe [--sites-every N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from medlint.rules.spam import cascade
from tools.encoder_probe import EVAL, OnnxMiniLM
from tools.realsplit import finds, holdout, occurrences
from tools.train_spam_real import candidates, fit, label_of, span_of

FLOOR = 0.05
BUDGET = 1.0


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    return cascade._sentence_bounds(text, start, end)


def collect(sites_every: int) -> list[dict]:
    """One dict per passage: side, group, words, candidates, garbled and spliced spans."""
    out = []
    rw = EVAL / "real-web"
    for folder in ("spam", "spam2", "clean"):
        for line in (rw / folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            cands, text = candidates(rw / r["file"], r["file"])
            out.append({"side": "holdout" if holdout(r["file"]) else "dev", "group": folder,
                        "words": len(text.split()), "cands": cands, "text": text,
                        "garbled": occurrences(text, r.get("garbled_spans")),
                        "spliced": occurrences(text, r.get("spliced_spans")
                                               or r.get("spliced_sentences"))})
    pages = sorted((EVAL / "real-sites" / "reputable").rglob("*.md"))[::sites_every]
    for p in pages:
        cands, text = candidates(p, str(p.relative_to(EVAL / "real-sites")))
        out.append({"side": "holdout" if holdout(str(p)) else "dev", "group": "reputable",
                    "words": len(text.split()), "cands": cands, "text": text,
                    "garbled": [], "spliced": []})
    return out


def encoder_features(enc: OnnxMiniLM, data: list[dict]) -> tuple[float, int, int]:
    """Adds c.features['enc'] = (d_del, span_vs_rest, span_vs_page) to candidates >= FLOOR."""
    cpu0 = time.process_time()
    sent_total = sent_sent = 0
    for d in data:
        cascade.score(d["cands"])
        blocks = {}
        for c in d["cands"]:
            blocks.setdefault(c.block.index, c.block)
        todo = [c for c in d["cands"] if c.probability >= FLOOR]
        sent_total += max(1, d["text"].count(". ") + d["text"].count("\n\n"))
        if not todo:
            continue
        page_sents = [s for s in d["text"].split("\n") if len(s.split()) >= 4][:60]
        texts = list(page_sents)
        idx = []
        for c in todo:
            t = c.block.text
            lo, hi = _sentence(t, c.start, c.end)
            sent = t[lo:hi]
            rest = (t[lo:c.start] + " " + t[c.end:hi]).strip() or "."
            idx.append((len(texts), len(texts) + 1, len(texts) + 2))
            texts += [sent, rest, t[c.start:c.end]]
        sent_sent += len(todo)
        v = enc.embed(texts)
        cen = v[:len(page_sents)].mean(0) if page_sents else v.mean(0)
        cen /= np.linalg.norm(cen) or 1.0
        for c, (i, j, k) in zip(todo, idx, strict=True):
            c.features["enc"] = (float(v[j] @ cen - v[i] @ cen), float(v[k] @ v[j]),
                                 float(v[k] @ cen))
    return time.process_time() - cpu0, sent_sent, sent_total


def matrix(data: list[dict], side: str) -> tuple[np.ndarray, np.ndarray, list]:
    xs, ys, meta = [], [], []
    for d in data:
        if d["side"] != side:
            continue
        for c in d["cands"]:
            if c.probability < FLOOR:
                continue
            p = min(max(c.probability, 1e-4), 1 - 1e-4)
            xs.append([np.log(p / (1 - p)), *c.features.get("enc", (0.0, 0.0, 0.0))])
            ys.append(float(d["group"] != "clean" and d["group"] != "reputable"
                            and label_of(c, d["garbled"], d["spliced"])))
            meta.append((d, c))
    return np.array(xs), np.array(ys), meta


def evaluate(name: str, score_of, data: list[dict]) -> None:
    """Threshold from dev negatives at the budget; recall/precision per side."""
    def scored(side):
        x, _y, meta = matrix(data, side)
        return (score_of(x) if len(x) else np.zeros(0)), meta

    s_dev, m_dev = scored("dev")
    neg = sorted((s for s, (d, _c) in zip(s_dev, m_dev, strict=True)
                  if d["group"] in ("clean", "reputable")), reverse=True)
    words = sum(d["words"] for d in data if d["side"] == "dev"
                and d["group"] in ("clean", "reputable"))
    allowed = int(BUDGET * words / 1e4)
    thr = max(neg[allowed] + 1e-6 if len(neg) > allowed else -np.inf, 0.0)
    parts = []
    for side, (s, meta) in (("dev", (s_dev, m_dev)), ("holdout", scored("holdout"))):
        found, total, right, rep = 0, 0, 0, 0
        fa, fa_words = 0, 0
        for d in data:
            if d["side"] != side:
                continue
            hits = [span_of(c) for sc, (dd, c) in zip(s, meta, strict=True)
                    if dd is d and sc >= thr]
            if d["group"] in ("clean", "reputable"):
                fa += len(hits)
                fa_words += d["words"]
                continue
            total += len(d["garbled"]) + len(d["spliced"])
            found += sum(any(finds(g, h, 3) for h in hits) for g in d["garbled"])
            found += sum(any(finds(g, h, 2) for h in hits) for g in d["spliced"])
            rep += len(hits)
            right += sum(any(finds(g, h, 3) for g in d["garbled"])
                         or any(finds(g, h, 2) for g in d["spliced"]) for h in hits)
        parts.append(f"{side}: recall {found}/{total} = {found / max(total, 1):.2f}, "
                     f"precision {right}/{rep} = {right / max(rep, 1):.2f}, "
                     f"clean+reputable {1e4 * fa / max(fa_words, 1):.1f}/10k")
    print(f"{name:22s} thr {thr:.3f} | " + " | ".join(parts))


def ceiling(data: list[dict]) -> None:
    """Share of labeled occurrences that any candidate finds, whatever its probability: the
    most a second stage on these candidates could recall."""
    for side in ("dev", "holdout"):
        found = total = 0
        for d in data:
            if d["side"] != side or d["group"] in ("clean", "reputable"):
                continue
            hits = [span_of(c) for c in d["cands"]]
            total += len(d["garbled"]) + len(d["spliced"])
            found += sum(any(finds(g, h, 3) for h in hits) for g in d["garbled"])
            found += sum(any(finds(g, h, 2) for h in hits) for g in d["spliced"])
        print(f"candidate-stage ceiling {side}: {found}/{total} = {found / max(total, 1):.2f}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites-every", type=int, default=8)
    a = ap.parse_args(argv)
    data = collect(a.sites_every)
    ceiling(data)
    enc = OnnxMiniLM()
    cpu, sent, total = encoder_features(enc, data)
    words = sum(d["words"] for d in data)
    print(f"encoder stage: {cpu:.1f} CPU-s, {sent} candidate sentences of ~{total} "
          f"({100 * sent / max(total, 1):.1f}%), {1000 * cpu / words:.3f} CPU-s per 1,000 words")
    for side in ("dev", "holdout"):
        sh = {g: (sum(1 for d in data if d["side"] == side and d["group"] == g
                      for c in d["cands"] if c.probability >= FLOOR))
              for g in ("spam", "spam2", "clean", "reputable")}
        print(f"  {side} candidates sent per group: {sh}")
    x, y, _ = matrix(data, "dev")
    mean, sd = x.mean(0), x.std(0) + 1e-9
    theta, b = fit((x - mean) / sd, y, np.ones(len(y)))
    print(f"head on dev ({int(y.sum())}/{len(y)} positive): weights "
          + ", ".join(f"{t:+.2f}" for t in theta) + f", bias {b:+.2f}")
    evaluate("cascade alone", lambda x: 1 / (1 + np.exp(-x[:, 0])), data)
    evaluate("cascade + encoder head",
             lambda x: 1 / (1 + np.exp(-(((x - mean) / sd) @ theta + b))), data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
