"""A learned combiner of cheap lexical signals for spliced sentences (spam/off-topic-sentence).

Each signal alone is weak (health prose is lexically diverse: a clean sentence names a new
symptom or body part almost every time), so a logistic regression weighs them together.
Features come only from the article view in medlint.rules.spam.coherence_text (lemmas, sentence
spans): no embeddings, no extra spaCy calls. Weights and threshold are data
(lint_rules/data/offtopic-model.yaml), trained by tools/train_offtopic.py on generator
dev seeds only.
"""

from __future__ import annotations

import functools
import math
from typing import Any, ClassVar

from medlint.resources import read_data
from medlint.rules.base import Option, Rule, RuleContext
from medlint.rules.spam.coherence import OffTopicSentence
from medlint.rules.spam.coherence_offtopic import Settings, Verdict, judge, novelty
from medlint.rules.spam.coherence_text import Article, Sentence

FEATURES = (
    "novelty",  # weighted share of terms used in no other unit
    "novel_weight",  # log1p of the weighted number of such terms
    "near1",  # share of the sentence's weight found in the sentences just before/after
    "near2",  # same for two sentences either side
    "outside_block",  # share of weight used outside the sentence's own block
    "block_novelty",  # share of the block's weight used nowhere outside the block
    "on_title",  # shares a term with the title
    "on_heading",  # shares a term with its section heading(s)
    "topical",  # shares a term with the article's most used terms
    "support",  # mean log support of its terms across the article's units
    "first_in_block",
    "first_in_section",
    "list_item",
    "dangling_strong",
    "dangling_weak",
    "length",  # log of the number of tokens / words
    "block_sentences",  # log of the number of sentences in its block
    "neighbour_novelty",  # mean novelty of the sentences either side in the same block
    "novel_off_heading",  # novelty when no heading term is shared (0 otherwise)
    "novel_isolated",  # novelty times the share of weight NOT found within two sentences
    "block_novel_opener",  # block novelty for the first sentence of a block (0 otherwise)
)


@functools.lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """Weights, feature scaling and threshold from lint_rules/data/offtopic-model.yaml."""
    raw = read_data("offtopic-model.yaml") or {}
    return raw


def _share(terms: dict[str, float], other: set[str]) -> float:
    total = sum(terms.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in terms.items() if t in other) / total


def features(art: Article, sentences: list[Sentence], dangling: dict[int, str]) -> list[
        list[float]]:
    """One feature row (in FEATURES order) per sentence of ``sentences``.

    ``dangling`` maps a sentence index to "strong" or "weak" when it has a dangling reference.
    """
    allsents = art.sentences
    # Terms per block, and in how many blocks (plus headings) each term occurs.
    block_terms: dict[int, dict[str, float]] = {}
    for s in allsents:
        bt = block_terms.setdefault(s.block.index, {})
        for t, w in s.terms.items():
            if bt.get(t, 0.0) < w:
                bt[t] = w
    block_count: dict[str, int] = {}
    for bt in block_terms.values():
        for t in bt:
            block_count[t] = block_count.get(t, 0) + 1
    heading_units: dict[str, int] = {}
    for ht in art.heading_terms.values():
        for t in ht:
            heading_units[t] = heading_units.get(t, 0) + 1
    common = {t for t, n in art.unit_count.most_common(8) if n >= 3}
    novelties = {s.index: novelty(s, art)[0] for s in allsents}
    rows: list[list[float]] = []
    for sent in sentences:
        i = sent.index
        nov, novel = novelty(sent, art)
        novel_w = sum(sent.terms[t] for t in novel)
        near1: set[str] = set()
        near2: set[str] = set()
        for j in (i - 2, i - 1, i + 1, i + 2):
            if 0 <= j < len(allsents):
                other = allsents[j]
                near2.update(other.terms)
                if abs(j - i) == 1:
                    near1.update(other.terms)
        bidx = sent.block.index
        outside = {t for t in sent.terms
                   if block_count.get(t, 0) > 1 or heading_units.get(t, 0) > 0}
        bt = block_terms.get(bidx, {})
        btotal = sum(bt.values())
        bnovel = sum(w for t, w in bt.items()
                     if block_count.get(t, 0) <= 1 and heading_units.get(t, 0) == 0)
        heading = art.section_heading(sent.block)
        terms = sent.terms
        support = (sum(math.log1p(max(art.support(t), 0)) for t in terms) / len(terms)
                   if terms else 0.0)
        siblings = art.by_block.get(bidx, [])
        neigh = [novelties[s.index] for s in siblings if abs(s.index - i) == 1]
        ntoks = len(sent.tokens) or len(sent.text.split())
        strength = dangling.get(i, "")
        rows.append([
            nov,
            math.log1p(novel_w),
            _share(terms, near1),
            _share(terms, near2),
            _share(terms, outside),
            bnovel / btotal if btotal > 0 else 0.0,
            float(any(t in art.title_terms for t in terms)),
            float(any(t in heading for t in terms)),
            float(any(t in common for t in terms)),
            support,
            float(sent.first_in_block),
            float(sent.first_in_section),
            float(sent.block.kind == "list_item"),
            float(strength == "strong"),
            float(strength == "weak"),
            math.log1p(ntoks),
            math.log1p(len(siblings)),
            sum(neigh) / len(neigh) if neigh else 0.0,
        ])
        row = rows[-1]
        row.append(nov * (1.0 - row[7]))
        row.append(nov * (1.0 - row[3]))
        row.append(row[5] * row[10])
    return rows


def score_rows(rows: list[list[float]], params: dict[str, Any] | None = None) -> list[float]:
    """Probability of a splice for each feature row under the shipped (or given) model."""
    params = params if params is not None else model()
    weights = params.get("weights") or {}
    if not weights:
        return [0.0] * len(rows)
    mean = params.get("mean") or {}
    scale = params.get("scale") or {}
    bias = float(params.get("bias", 0.0))
    cols = [(k, float(weights.get(name, 0.0)), float(mean.get(name, 0.0)),
             float(scale.get(name, 1.0)) or 1.0) for k, name in enumerate(FEATURES)]
    out = []
    for row in rows:
        z = bias + sum(w * (row[k] - m) / s for k, w, m, s in cols)
        out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
    return out


# The learned combiner stays off in the shipped rule: on dev seeds it did not beat the
# hand-written signals at <= 1 false alarm per 10,000 clean words (docs/rules/spam-coherence.md).
# This subclass is the opt-in path for evaluations: swap it into a registry by rule id.
class LearnedOffTopicSentence(OffTopicSentence):
    """spam/off-topic-sentence plus the learned combiner (options ``learned``,
    ``learned_threshold``), for experiments only."""

    options: ClassVar[dict[str, Option]] = {
        **OffTopicSentence.options,
        "learned": Option(False, "Also report sentences the learned lexical combiner "
                          "(lint_rules/data/offtopic-model.yaml) scores above its threshold."),
        "learned_threshold": Option(0.0, "Score threshold for the learned combiner (0: the "
                                    "shipped one, chosen for <= 1 false alarm per 10k words).",
                                    (int, float)),
    }

    def verdicts(self, art: Article, settings: Settings, ctx: RuleContext) -> list[Verdict]:
        verdicts = judge(art, settings)
        if ctx.options.get("learned"):
            apply_learned(art, verdicts, float(ctx.options.get("learned_threshold") or 0.0))
        return verdicts


def apply_learned(art: Article, verdicts: list[Verdict], threshold: float) -> None:
    """Flags sentences the logistic-regression combiner scores as spliced."""
    params = model()
    threshold = threshold or float(params.get("threshold", 1.0))
    todo = [v for v in verdicts if not v.flagged]
    if not todo or not params.get("weights"):
        return
    dangling = {v.sentence.index: v.strength for v in verdicts if v.strength}
    rows = features(art, [v.sentence for v in todo], dangling)
    for v, p in zip(todo, score_rows(rows, params), strict=True):
        if p >= threshold:
            v.reasons.append(f"its words and place fit the article poorly (score {p:.2f})")
            v.flagged = True


def with_learned(rules: dict[str, type[Rule]]) -> dict[str, type[Rule]]:
    """A copy of a registry whose spam/off-topic-sentence is the learned variant."""
    return {**rules, OffTopicSentence.id: LearnedOffTopicSentence}
