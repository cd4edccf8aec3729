"""Signals that a sentence was spliced in from other content, and how they are combined.

Signals (each weak alone, so a sentence is reported only when they agree):

* **novelty**: the share of the sentence's content terms (weighted: nouns 1, adjectives 0.5,
  verbs 0.4) used nowhere else in the article, not even in headings. Spliced sentences bring
  their own vocabulary; a sentence that belongs shares words with the rest of the page.
* **off-topic**: the sentence shares no term with the title, its heading or the article's
  most used terms.
* **dangling reference**: a demonstrative noun phrase ("those receptors", "these devices",
  "this type of loan") whose noun appears neither in the heading nor in the sentences just
  before it; or, at the start of a section, a bare definite plural ("The drugs") or a
  connective ("But", "Notably") that has nothing to attach to.
* **cluster**: spliced text often comes two or three sentences at a time, sharing words only
  among themselves, so a neighbour of a reported sentence is measured again with the
  reported sentence removed from the article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from medlint.rules.spam.coherence_text import Article, Sentence, lexicon, stem

DEMONSTRATIVES = frozenset({"this", "these", "those", "that", "such"})
PLURAL_DEMONSTRATIVES = frozenset({"these", "those"})


@dataclass
class Verdict:
    sentence: Sentence
    novelty: float
    novel_terms: list[str]
    topical: bool  # shares a term with the title, its heading or the article's top terms
    on_title: bool  # shares a term with the title or its heading
    dangling: str = ""  # the dangling phrase, when there is one
    strength: str = ""  # "strong" (demonstrative) or "weak" (definite NP / connective)
    reasons: list[str] = field(default_factory=list)
    flagged: bool = False


@dataclass
class Settings:
    novelty: float = 0.7  # novelty that alone (with no topical word) marks a splice
    novelty_with_cue: float = 0.45  # novelty enough when a dangling reference agrees
    min_novel_terms: float = 2.5  # weighted novel terms needed for novelty-only findings
    cluster_novelty: float = 0.5  # novelty a neighbour of a finding needs to join it
    top_terms: int = 8  # how many of the article's most used terms count as its topic
    novelty_alone: bool = False  # report novel sentences with no other signal (noisy)


def is_biography(text: str) -> bool:
    return any(p.search(text) for p in lexicon()["biography"])


def topic_terms(art: Article, top: int) -> set[str]:
    """Title terms plus the article's most used terms (used in three or more units)."""
    common = [t for t, n in art.unit_count.most_common(top) if n >= 3]
    return set(art.title_terms) | set(common)


def novelty(sent: Sentence, art: Article, removed: Iterable[Sentence] = ()) -> tuple[
        float, list[str]]:
    """Weighted share of the sentence's terms found in no other unit (and the terms)."""
    total = sent.weight
    if total <= 0:
        return 0.0, []
    removed_terms: dict[str, int] = {}
    for other in removed:
        if other is not sent:
            for t in other.terms:
                removed_terms[t] = removed_terms.get(t, 0) + 1
    novel = [t for t in sent.terms if art.support(t) - removed_terms.get(t, 0) <= 0]
    return sum(sent.terms[t] for t in novel) / total, novel


def _window_terms(sent: Sentence, art: Article, back: int = 3) -> set[str]:
    """Terms a reference in ``sent`` may point back to: the heading and recent sentences."""
    terms = set(art.section_heading(sent.block))
    same_section = [s for s in art.sentences[max(0, sent.index - back):sent.index]
                    if s.block.section == sent.block.section]
    for s in same_section:
        terms.update(s.terms)
        terms.update(stem(t.lemma_.lower()) for t in s.tokens if t.pos_ in ("NOUN", "PROPN"))
    # Earlier words in the same sentence count too ("X ... these Xs").
    return terms


def dangling_reference(sent: Sentence, art: Article) -> tuple[str, str]:
    """The dangling phrase in ``sent`` and its strength ("strong"/"weak"), or ("", "")."""
    toks = sent.tokens
    if not toks or sent.text.rstrip().endswith(":"):
        return "", ""  # "Watch for these warning signs:" points forward, not back
    lex = lexicon()
    window: set[str] | None = None
    # Demonstrative + noun phrase: at the sentence start, or anywhere in a section opener.
    for i, tok in enumerate(toks):
        low = tok.lower_
        if low not in DEMONSTRATIVES or tok.pos_ not in ("DET", "ADJ", "PRON"):
            continue
        if i > 0 and (not sent.first_in_section or low not in PLURAL_DEMONSTRATIVES):
            continue
        head, phrase_end = _np_head(toks, i + 1)
        if head is None:
            continue
        noun = head.lemma_.lower()
        if noun in lex["type_nouns"] and phrase_end + 1 < len(toks) and \
                toks[phrase_end].lower_ == "of":
            inner, phrase_end = _np_head(toks, phrase_end + 1)
            if inner is not None:
                head = inner
                noun = inner.lemma_.lower()
        if noun in lex["generic"] or (low in ("this", "that") and (
                noun in lex["deictic_nouns"] or stem(noun) in art.title_terms)):
            continue
        if low == "such" and i == 0:
            continue
        if window is None:
            window = _window_terms(sent, art)
        earlier = {stem(t.lemma_.lower()) for t in toks[:i]}
        if stem(noun) in window or stem(noun) in earlier:
            continue
        phrase = " ".join(t.text for t in toks[i:phrase_end])
        return phrase, "strong"
    first = toks[0]
    if sent.first_in_section and first.lower_ in lex["connectives"] and \
            first.pos_ in ("CCONJ", "ADV", "SCONJ"):
        return first.text, "weak"
    if first.lower_ == "the" and len(toks) > 2:
        head, _end = _np_head(toks, 1, max_len=2)
        if head is not None and head.tag_ in ("NNS", "NNPS") and head.i == toks[1].i and \
                head.dep_ in ("nsubj", "nsubjpass", "") and head.lemma_.lower() \
                not in lex["generic"]:
            if window is None:
                window = _window_terms(sent, art)
            if stem(head.lemma_.lower()) not in window:
                return f"The {head.text}", "weak"
    return "", ""


def _np_head(toks: list[Any], start: int, max_len: int = 4) -> tuple[Any, int]:
    """Head noun of a short noun phrase starting at ``start`` (adjectives/nouns then noun)."""
    head = None
    j = start
    while j < len(toks) and j < start + max_len:
        tok = toks[j]
        if tok.pos_ in ("NOUN", "PROPN"):
            head = tok
            j += 1
            continue
        if tok.pos_ in ("ADJ", "NUM") or (tok.pos_ == "VERB" and tok.tag_ in ("VBN", "VBG")):
            j += 1
            continue
        break
    return head, j


def judge(art: Article, settings: Settings) -> list[Verdict]:
    """Every scored sentence's verdict, in document order."""
    topic = topic_terms(art, settings.top_terms)
    verdicts: list[Verdict] = []
    for sent in art.sentences:
        if sent.block.kind == "table_cell" or is_biography(sent.text):
            continue
        nov, novel = novelty(sent, art)
        heading = art.section_heading(sent.block)
        topical = any(t in topic or t in heading for t in sent.terms)
        on_title = any(t in art.title_terms or t in heading for t in sent.terms)
        phrase, strength = dangling_reference(sent, art)
        verdicts.append(Verdict(sent, nov, novel, topical, on_title, phrase, strength))
    for v in verdicts:
        _decide(v, settings)
    _extend_clusters(verdicts, art, settings)
    return verdicts


def _decide(v: Verdict, s: Settings) -> None:
    novel_weight = sum(v.sentence.terms[t] for t in v.novel_terms)
    if v.strength == "strong" and v.sentence.first_in_section:
        v.reasons.append(f"'{v.dangling}' opens the section but refers to nothing before it")
    elif v.strength == "strong" and v.sentence.first_in_block and \
            v.novelty >= s.novelty_with_cue and not v.on_title:
        v.reasons.append(f"'{v.dangling}' refers to nothing before it")
    elif v.strength == "weak" and v.novelty >= s.novelty_with_cue and not v.on_title:
        v.reasons.append(f"'{v.dangling}' has nothing before it to refer to")
    elif s.novelty_alone and v.novelty >= s.novelty and novel_weight >= s.min_novel_terms \
            and not v.topical:
        v.reasons.append("shares almost no words with the rest of the article")
    v.flagged = bool(v.reasons)


def _extend_clusters(verdicts: list[Verdict], art: Article, s: Settings) -> None:
    """Neighbours of findings that are novel once the finding itself is set aside."""
    changed = True
    while changed:
        changed = False
        for i, v in enumerate(verdicts):
            if not v.flagged:
                continue
            for j in (i - 1, i + 1):
                if not 0 <= j < len(verdicts):
                    continue
                w = verdicts[j]
                if w.flagged or w.sentence.block is not v.sentence.block:
                    continue
                cluster = [x.sentence for x in verdicts if x.flagged and
                           x.sentence.block is v.sentence.block]
                nov, novel = novelty(w.sentence, art, cluster)
                shared = set(w.sentence.terms) & set(v.sentence.terms)
                if nov >= s.cluster_novelty and shared:
                    w.novelty, w.novel_terms = nov, novel
                    w.reasons.append("continues the spliced passage before or after it")
                    w.flagged = True
                    changed = True

