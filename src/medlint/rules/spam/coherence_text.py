"""A lexical view of an article for coherence checks: sentences, their content terms, sections.

Terms are content-word lemmas (nouns, proper nouns, adjectives, verbs) cut to their first
six letters, so "addiction"/"addicted" and "hormone"/"hormonal" meet. Words that any health
article uses ("help", "doctor", "symptom") are dropped: they carry no topic.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import regex

from medlint.documents.model import Block, Document
from medlint.resources import read_data
from medlint.rules.base import RuleContext

# Weight of a content word by part of speech: nouns carry the topic, verbs barely.
POS_WEIGHT = {"NOUN": 1.0, "PROPN": 1.0, "ADJ": 0.5, "VERB": 0.4}
STEM = 6
_WORD = regex.compile(r"[\p{L}][\p{L}\p{N}'’-]*")


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists in lint_rules/data/spam-coherence.yaml, as sets and compiled patterns."""
    raw = read_data("spam-coherence.yaml")
    out: dict[str, Any] = {}
    for key in ("generic", "deictic_nouns", "connectives", "type_nouns"):
        out[key] = frozenset(str(w).lower() for w in raw.get(key, []))
    for key in ("call_to_action", "biography"):
        flags = regex.IGNORECASE if key == "call_to_action" else 0
        out[key] = [regex.compile(p, flags) for p in raw.get(key, [])]
    return out


def stem(word: str) -> str:
    """A crude truncation stem: lower case, a plural 's' after a digit dropped, six letters."""
    word = word.lower().replace("’", "'")
    if len(word) > 3 and word[-1] == "s" and word[-2].isdigit():
        word = word[:-1]
    return word[:STEM]


@dataclass
class Sentence:
    """One sentence of a prose block, with its content terms and where it stands."""

    block: Block
    start: int  # block-text offsets
    end: int
    text: str
    terms: dict[str, float]  # stem -> weight (the largest weight seen)
    tokens: list[Any]  # spaCy tokens of the sentence (may be empty without NLP)
    index: int = 0  # position among the document's sentences
    first_in_block: bool = False
    first_in_section: bool = False  # first sentence after a heading (or of the document)

    @property
    def weight(self) -> float:
        return sum(self.terms.values())


@dataclass
class Article:
    """Sentences of all non-heading blocks, heading terms and term counts."""

    doc: Document
    sentences: list[Sentence] = field(default_factory=list)
    heading_terms: dict[int, dict[str, float]] = field(default_factory=dict)  # section -> terms
    title_terms: set[str] = field(default_factory=set)
    unit_count: Counter[str] = field(default_factory=Counter)  # term -> sentences/headings using it
    by_block: dict[int, list[Sentence]] = field(default_factory=dict)

    def support(self, term: str, excluded: int = 1) -> int:
        """How many units outside the ``excluded`` ones (which contain the term) use it."""
        return self.unit_count[term] - excluded

    def section_heading(self, block: Block) -> dict[str, float]:
        """Terms of the block's heading and of the headings above it."""
        terms: dict[str, float] = {}
        index: int | None = block.section
        seen = 0
        while index is not None and seen < 8 and index < len(self.doc.sections):
            terms.update(self.heading_terms.get(index, {}))
            index = self.doc.sections[index].parent
            seen += 1
        return terms


def _token_terms(tokens: list[Any]) -> dict[str, float]:
    generic = lexicon()["generic"]
    terms: dict[str, float] = {}
    for tok in tokens:
        weight = POS_WEIGHT.get(tok.pos_)
        if weight is None or tok.is_stop or tok.like_num or tok.like_url:
            continue
        lemma = (tok.text if tok.pos_ == "PROPN" else tok.lemma_).lower()
        if len(lemma) < 3 or lemma in generic or not lemma[0].isalpha():
            continue
        key = stem(lemma)
        if terms.get(key, 0.0) < weight:
            terms[key] = weight
    return terms


def _plain_terms(text: str) -> dict[str, float]:
    """Terms without a tagger (the fallback pipeline): every non-generic word, weight 0.7."""
    generic = lexicon()["generic"]
    terms: dict[str, float] = {}
    for m in _WORD.finditer(text):
        word = m.group().lower()
        if len(word) < 4 or word in generic or word in _STOP:
            continue
        terms[stem(word)] = 0.7
    return terms


_STOP = frozenset([
    "about", "above", "after", "again", "against", "also", "although", "among", "another",
    "because", "been", "before", "being", "below", "between", "both", "could", "does",
    "doing", "down", "during", "each", "either", "else", "every", "from", "further",
    "have", "having", "here", "hers", "herself", "himself", "into", "itself", "just",
    "like", "more", "most", "much", "must", "myself", "only", "other", "ours", "over",
    "same", "should", "some", "such", "than", "that", "their", "theirs", "them", "then",
    "there", "these", "they", "this", "those", "through", "under", "until", "very",
    "were", "what", "when", "where", "which", "while", "whom", "whose", "will", "with",
    "within", "without", "would", "your", "yours",
])


def build_article(doc: Document, ctx: RuleContext) -> Article:
    """The article view for ``doc`` (cached per document in ``ctx.shared``)."""
    cached = ctx.shared.get("coherence.article")
    if isinstance(cached, Article) and cached.doc is doc:
        return cached
    art = Article(doc)
    last_heading_seen = True  # the document start counts as a section start
    for block in doc.blocks:
        sdoc = ctx.spacy(block)
        if block.kind == "heading":
            if sdoc is not None and len(sdoc):
                terms = _token_terms(list(sdoc))
            else:
                terms = _plain_terms(block.text)
            art.heading_terms.setdefault(block.section, {}).update(terms)
            if block.level == 1 and not art.title_terms:
                art.title_terms = set(terms)
            art.unit_count.update(terms.keys())
            last_heading_seen = True
            continue
        if block.kind == "table_cell":
            # Cells are too short to judge but their words tie the article together.
            terms = (_token_terms(list(sdoc)) if sdoc is not None and len(sdoc)
                     else _plain_terms(block.text))
            art.unit_count.update(terms.keys())
            continue
        spans = ctx.sentences(block)
        tokens_by_sent: list[list[Any]] = [[] for _ in spans]
        if sdoc is not None and len(sdoc) and spans:
            starts = [s for s, _ in spans]
            j = 0
            for tok in sdoc:
                while j + 1 < len(spans) and tok.idx >= starts[j + 1]:
                    j += 1
                tokens_by_sent[j].append(tok)
        sents: list[Sentence] = []
        for k, (start, end) in enumerate(spans):
            toks = tokens_by_sent[k]
            text = block.text[start:end]
            terms = _token_terms(toks) if toks and toks[0].pos_ else _plain_terms(text)
            sent = Sentence(block, start, end, text, terms, toks, len(art.sentences),
                            first_in_block=k == 0,
                            first_in_section=k == 0 and last_heading_seen)
            art.sentences.append(sent)
            sents.append(sent)
            art.unit_count.update(terms.keys())
        if sents:
            art.by_block[block.index] = sents
            last_heading_seen = False
    if not art.title_terms and doc.title:
        art.title_terms = set(_plain_terms(doc.title))
        art.unit_count.update(art.title_terms)
    ctx.shared["coherence.article"] = art
    return art
