"""Signals that a list is a string of unrelated sentences rather than a list of one thing.

A real list, even one of loosely related tips, is introduced ("Habits that help:", a heading
right above it) and its items share a form (all fragments, all instructions). A mash-up list
has no lead-in, its items share no words with each other or the lead-in, and items carry
references that point outside the list ("This type of program...") or a sales pitch. Each
signal also occurs in honest lists, so a list is reported only when low cohesion and at
least two other signals agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medlint.documents.model import Block
from medlint.rules.spam.coherence_offtopic import dangling_reference
from medlint.rules.spam.coherence_text import Article, Sentence, lexicon


@dataclass
class ListVerdict:
    items: list[Block]
    cohesion: float = 1.0
    reasons: list[str] = field(default_factory=list)
    score: int = 0
    flagged: bool = False


@dataclass
class ListSettings:
    min_items: int = 4
    max_cohesion: float = 0.5  # share of items tied by a word to another item or the lead-in
    min_score: int = 3  # low cohesion plus at least two more signals


def _item_sentences(art: Article, item: Block) -> list[Sentence]:
    return art.by_block.get(item.index, [])


def _form(sents: list[Sentence]) -> str:
    """'fragment', 'instruction' or 'statement' by the item's first sentence."""
    if not sents or not sents[0].tokens:
        return "fragment"
    toks = sents[0].tokens
    words = [t for t in toks if not t.is_punct]
    if not words:
        return "fragment"
    if words[0].tag_ == "VB" or (words[0].lower_ in ("do", "don't", "never", "always")):
        return "instruction"
    has_finite = any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in toks)
    if has_finite and sents[0].text.rstrip().endswith((".", "!", "?")):
        return "statement"
    return "fragment"


def lead_in(art: Article, items: list[Block]) -> tuple[str, dict[str, float]]:
    """How the list is introduced ('colon', 'heading', 'sentence' or '') and its terms."""
    doc = art.doc
    first = items[0]
    prev = doc.blocks[first.index - 1] if first.index > 0 else None
    terms: dict[str, float] = dict(art.section_heading(first))
    if prev is None:
        return "", terms
    if prev.kind == "heading":
        return "heading", terms
    if prev.kind == "paragraph":
        sents = art.by_block.get(prev.index, [])
        if sents:
            terms.update(sents[-1].terms)
        text = prev.text.rstrip()
        if text.endswith(":"):
            return "colon", terms
        return "", terms
    return "", terms


def judge_lists(art: Article, settings: ListSettings) -> list[ListVerdict]:
    lists: dict[int, list[Block]] = {}
    for block in art.doc.blocks:
        if block.kind == "list_item" and block.list_id is not None and block.depth <= 1:
            lists.setdefault(block.list_id, []).append(block)
    lex = lexicon()
    out: list[ListVerdict] = []
    for items in lists.values():
        if len(items) < settings.min_items:
            continue
        sents = [_item_sentences(art, it) for it in items]
        terms = [set().union(*(s.terms for s in ss)) if ss else set() for ss in sents]
        how, lead_terms = lead_in(art, items)
        title = art.title_terms
        tied = 0
        for i, t in enumerate(terms):
            own = t - title
            others = set().union(*(terms[j] for j in range(len(terms)) if j != i)) - title
            if own & (others | set(lead_terms)):
                tied += 1
        verdict = ListVerdict(items, cohesion=tied / len(items))
        if verdict.cohesion > settings.max_cohesion:
            out.append(verdict)
            continue
        verdict.score = 1
        verdict.reasons.append(f"only {tied} of {len(items)} items share a word with another "
                               "item or the lead-in")
        if not how:
            verdict.score += 1
            verdict.reasons.append("nothing introduces the list")
        dangling = [ss[0] for ss in sents if ss and dangling_reference(ss[0], art)[1] == "strong"]
        if dangling:
            verdict.score += min(2, len(dangling))
            verdict.reasons.append(f"'{dangling[0].text[:40]}…' refers to something outside "
                                   "the list")
        cta = [ss[0] for ss in sents if ss and any(p.search(ss[0].text)
                                                  for p in lex["call_to_action"])]
        if cta and len(cta) < len(items):
            verdict.score += 1
            verdict.reasons.append("a sales pitch sits among the items")
        forms = [_form(ss) for ss in sents]
        if (forms.count("statement") >= len(items) - 1 and len(set(forms)) > 1) or \
                (forms.count("statement") == len(items) and not how):
            verdict.score += 1
            verdict.reasons.append("the items are stand-alone statements, not parts of one list")
        verdict.flagged = verdict.score >= settings.min_score
        out.append(verdict)
    return out
