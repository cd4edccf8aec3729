"""The cheap stage of the real-text spam cascade: candidate spans and their features.

Real pasted text is rarely another article's title. It is a lower-case search query in the
middle of a sentence ("best X for Y", "X near me", a service and a city), a shop name with
its preposition, SERP or template residue ("Read More →"), a keyword line, an image file
name, mojibake, a repeated keyword run, a spinner artefact, or another site's boilerplate.
This module finds such candidates with regular expressions over block and line text (no NLP
model, so it is cheap and gives a file the same result alone or in a run), describes each by
a few features and scores it with the logistic model in
``lint_rules/data/spam-real-model.yaml`` (trained by ``tools/train_spam_real.py``).

A verifier (for example a language-model deletion test, ``medlint.rules.spam.lm``) can be
plugged in with :func:`set_verifier`; it sees only candidate sentences, never the whole text.
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from medlint import learned
from medlint.documents.model import Block, Document
from medlint.resources import read_data

PROSE_KINDS = ("paragraph", "list_item", "table_cell", "blockquote", "text")
KINDS = ("first_person", "near_me", "city", "query", "mixed", "residue", "mojibake",
         "spinner", "repeat",
         "title", "caps", "kwline", "url", "anchor", "boiler", "legacy")
# The wider candidate stage of issue 17's recall work (spinner-artefact patterns, marked
# residue, city queries and spinner artefacts in headings, short acronyms inside query runs).
# Off: on the dev side it found 28/142 garbled occurrences against 27 (precision 0.92 both,
# clean 0.0 per 10k), on the held-out side 8/75 both, so it is not shipped switched on
# (docs/rules/spam.md, "Wider candidates").
WIDER = False
# Kinds that are evidence in a heading too: a scraped page keeps another site's "Read also:"
# or "Posted: ... [source]" residue, a lower-case local-search query or a spinner artefact as a
# heading line, while honest headings are Title-Case or sentence-case names of the section.
HEADING_KINDS = frozenset({"residue", "city", "mojibake", "spinner"})


def _heading_evidence(kind: str, span: str) -> bool:
    """True when a candidate of this kind is evidence inside a heading. Residue only in its
    marked forms (a colon, "[source]", a file name's digits): "Read more" or "Elsewhere on
    ..." is also an honest site's own section heading."""
    if kind not in HEADING_KINDS:
        return False
    return kind != "residue" or any(ch in span for ch in ":[") or any(ch.isdigit() for ch in span)
# Link evidence cannot be learned from the plain-text evaluation passages: its weights are
# set by hand in the model file (``hand_weights``) and added to the learned logit.
HAND = ("link", "offsite", "k_anchor", "legacy_shape")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
STOP = frozenset([
    "a", "an", "the", "and", "or", "but", "of", "for", "in", "on", "at", "to", "from", "by",
    "with", "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "there", "their", "they", "them", "you", "your", "we", "our", "us", "i", "me", "my",
    "he", "she", "his", "her", "not", "no", "do", "does", "did", "can", "could", "will", "would",
    "should", "may", "might", "must", "has", "have", "had", "than", "then", "so", "such", "very",
    "more", "most", "also", "just", "only", "if", "when", "while", "which", "who", "what", "where",
    "why", "how", "all", "any", "each", "other", "some", "many", "much", "few", "one", "into",
    "about", "over", "under", "after", "before", "during", "between", "through", "up", "down",
    "out", "off"
])
# Words after which a lower-case query opener ("best") is ordinary English.
_OPENER_OK_BEFORE = frozenset([
    "the", "a", "an", "your", "our", "their", "its", "his", "her", "my", "at", "is", "are", "be",
    "was", "were", "'s", "one", "two", "three", "which", "that", "this", "these", "those"
])
# A query run after an opener: up to five lower-case words, or (wider stage) short acronyms too.
_LTOK = r"[a-z0-9][\w'’-]*"
_QTOK = r"(?:" + _LTOK + r"|[A-Z]{2,4}(?![\w'’-]))"
_QUERY_RUN = re.compile(r"\S+\s+((?:" + _QTOK + r"\s+){0,4}" + _QTOK + ")")
_QUERY_RUN_LOWER = re.compile(r"\S+\s+((?:" + _LTOK + r"\s+){0,4}" + _LTOK + ")")
_TERMINAL = tuple(".!?:;\"')”’…")
# Another writer's or business's voice; "our bodies", "our health" are everyone's.
_FIRST = re.compile(r"(?:^|\s)(?:I|I['’](?:ve|m|d)|[Ww]e['’](?:re|ve)|[Oo]ur(?! (?:bod|health|"
                    r"brain|cell|live|skin|mind|immune|gut|heart|own|planet|world|society)))\s")

# (sentence, spans) -> one score per span, higher = more likely pasted.
Verifier = Callable[[str, list[tuple[int, int]]], list[float]]
_VERIFIER: Verifier | None = None


def set_verifier(fn: Verifier | None) -> None:
    """Plugs a second-stage verifier in (None removes it). It is called only on sentences
    holding candidates, with the candidate spans in sentence coordinates."""
    global _VERIFIER
    _VERIFIER = fn


def verifier() -> Verifier | None:
    """The plugged-in verifier, else ``medlint.rules.spam.lm.score_spans`` when that module
    imports (it is optional and loaded only on first use), else None."""
    global _VERIFIER
    if _VERIFIER is None:
        try:
            from medlint.rules.spam import lm  # type: ignore[attr-defined]
        except Exception:  # absent or broken: the cheap stage stands alone
            return None
        _VERIFIER = getattr(lm, "score_spans", None)
    return _VERIFIER


def verifier_available() -> bool:
    """True when a verifier is plugged in, or when the language-model verifier's weights
    are installed (checked without loading them). Without it the cascade is the cheap stage
    alone, and findings differ from a run with it."""
    if _VERIFIER is not None:
        return True
    return _lm_available()


@functools.lru_cache(maxsize=1)
def _lm_available() -> bool:
    try:
        from medlint.rules.spam import lm
    except Exception:  # absent or broken: the cheap stage stands alone
        return False
    return bool(lm.available())


def _takes_prefix(fn: Verifier) -> bool:
    try:
        return "prefix" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


LEXICON = "spam-real-lexicon.yaml"


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Cue lists of lint_rules/data/spam-real-lexicon.yaml, compiled."""
    data = read_data(LEXICON)
    cities = sorted({str(c).lower() for c in data["cities"]}, key=len, reverse=True)
    spinner = sorted({str(s) for s in data["spinner"]}, key=len, reverse=True)
    return {
        "city": re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, cities)) + r")(?![\w-])",
                           re.IGNORECASE),
        "openers": frozenset(str(o).lower() for o in data["query_openers"]),
        "residue": tuple(re.compile(p, re.IGNORECASE) for p in data["residue"]),
        "boiler": tuple(re.compile(p) if "[A-Z]" in p else re.compile(p, re.IGNORECASE)
                        for p in data["boilerplate"]),
        "spinner": re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, spinner)) + r")(?!\w)"),
    }


@functools.lru_cache(maxsize=1)
def spinner_patterns() -> tuple[re.Pattern[str], ...]:
    """The wider stage's spinner-artefact patterns, compiled on first use only: with
    ``WIDER`` off (the default) a run never pays for them."""
    return tuple(re.compile(str(p)) for p in read_data(LEXICON).get("spinner_patterns") or ())


@functools.lru_cache(maxsize=1)
def model() -> learned.LogisticModel:
    """The scorer of lint_rules/data/spam-real-model.yaml through medlint.learned (its
    feature names checked against this extractor), with the hand-set link weights added
    (no file: a model that reports nothing)."""
    m = learned.load(MODEL_FILE, feature_spec())
    return _with_hand_weights(m) if m is not None else learned.LogisticModel({}, -30.0, 1.0)


def _with_hand_weights(m: learned.LogisticModel) -> learned.LogisticModel:
    weights = dict(m.weights)
    for n, w in (m.meta.get("hand_weights") or {}).items():
        weights[str(n)] = weights.get(str(n), 0.0) + float(w)
    return learned.LogisticModel(weights, m.bias, m.threshold, m.features, m.meta)


@dataclass
class Candidate:
    """A span of one block's text that may be pasted, with its features and probability."""

    block: Block
    start: int  # block-text offsets
    end: int
    kind: str
    features: dict[str, float] = field(default_factory=dict)
    probability: float = 0.0
    splice: bool = False  # a whole sentence from elsewhere rather than a pasted phrase
    verified: bool = False  # the second-stage verifier scored it


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    for suffix in ("'s", "ies", "ing", "es", "ed", "s", "ly"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


@dataclass
class Page:
    """Page-wide facts: stem counts, lower-case word set, title words, first-person share."""

    counts: Counter[str]
    lower: frozenset[str]
    title: frozenset[str]
    we_share: float
    first_share: float

    @classmethod
    def build(cls, doc: Document) -> Page:
        counts: Counter[str] = Counter()
        lower: set[str] = set()
        we = total = first = 0
        for b in doc.blocks:
            toks = _WORD.findall(b.text)
            counts.update(stem(t) for t in toks)
            lower.update(t for t in toks if t.islower())
            if b.kind in PROSE_KINDS:
                total += 1
                we += bool(re.search(r"\b(?:we|our|us)\b", b.text, re.IGNORECASE))
                first += bool(_FIRST.search(b.text))
        title = frozenset(stem(w) for w in words(doc.title) if w not in STOP)
        return cls(counts, frozenset(lower), title, we / total if total else 0.0,
                   first / total if total else 0.0)


def _lines(block: Block) -> Iterable[tuple[int, int]]:
    """(start, end) of each non-empty line of the block text, stripped."""
    at = 0
    for line in block.text.split("\n"):
        s = len(line) - len(line.lstrip())
        t = line.strip()
        if t:
            yield at + s, at + s + len(t)
        at += len(line) + 1


def _spans(block: Block) -> Iterable[tuple[str, int, int]]:
    """Raw candidate spans of one block by kind (block-text offsets)."""
    text = block.text
    lex = lexicon()
    for m in re.finditer(r"(?:\b[A-Za-z][\w'’-]*\s+){1,4}near me\b", text):
        toks = m.group(0).split()[:-2]
        keep = 0
        for t in reversed(toks):
            if t.lower() in STOP:
                break
            keep += 1
        if keep:
            start = m.end() - len(" ".join([*toks[len(toks) - keep:], "near", "me"]))
            yield "near_me", start, m.end()
    for m in lex["city"].finditer(text):
        city = m.group(0)
        if len(city) <= 3:
            continue  # "us", "ca", "fl": only after a city (the tail below)
        left = text[max(0, m.start() - 200):m.start()]  # bounded: long lines stay linear
        if city.lower() == "mass" and not left.endswith("in "):
            continue
        run = re.search(r"((?:\b[A-Za-z][a-z'’-]+\s+){1,4})((?:in|for)\s+)?$", left)
        if not run:
            continue
        toks = run.group(1).split()
        glue = run.group(2) or ""
        while toks and toks[-1] in ("in", "for") and not glue:
            glue = toks.pop() + " "
        keep: list[str] = []
        for t in reversed(toks):
            if t.lower() in STOP or t[0].isupper():
                break
            keep.insert(0, t)
            if t in lex["openers"]:
                break
        if not keep:
            continue
        if city[0].isupper() and not (glue.startswith("for") or keep[0] in lex["openers"]):
            continue  # "demonstrated in Philadelphia": prose; "best X in Dubai": a query
        start = m.start() - len(" ".join(keep)) - 1 - len(glue)
        if start > 0 and text[start - 1:start].isalpha():
            continue
        end = m.end()
        tail = re.match(r"\s+(?:[a-z]{2}|US|UK|USA)\b", text[end:])
        if tail and lex["city"].fullmatch(tail.group(0).strip()):
            end += len(tail.group(0))
        yield "city", start, end
    openers = re.compile(r"(?<![\w'’-])(?:" + "|".join(sorted(lex["openers"])) + r")\s")
    for o in openers.finditer(text):
        # a short acronym may sit in the query ("best ED medication"); other capitals end it
        m = (_QUERY_RUN if WIDER else _QUERY_RUN_LOWER).match(text, o.start())
        if not m:
            continue
        before = re.findall(r"[\w'’]+", text[max(0, m.start() - 20):m.start()])
        if before and before[-1].lower() in _OPENER_OK_BEFORE:
            continue
        # cut the run at the first function word after two words ("best ed medication")
        toks = [(t.start(), t.end(), t.group(0))
                for t in re.finditer(r"\S+", text[m.start():m.end()])]
        end = m.start() + toks[0][1]
        for i, (_s, e, t) in enumerate(toks[1:], 1):
            if t in STOP and t != "for":
                break
            if t == "for" and i + 1 < len(toks):
                end = m.start() + toks[i + 1][1]
                break
            end = m.start() + e
        if len(text[m.start():end].split()) >= 2:
            yield "query", m.start(), end
    for m in re.finditer(r"(?<![\w-])(?:Buy|Order) (?:[A-Z][\w-]+ ){0,3}(?:Online|Now|[A-Z][\w-]+)"
                         r"(?= [a-z])", text):
        yield "query", m.start(), m.end()
    for m in re.finditer(r"(?<=[a-z,] )(?:[a-z][\w-]+ ){0,2}[a-z][\w-]+ (?:reviews|coupons?|"
                         r"for sale|price list)(?= [a-z])", text):
        if not any(w in STOP for w in words(m.group(0))):
            yield "query", m.start(), m.end()
    shop = r"\bfrom\s+([a-z]+\d+[a-z0-9]*|[a-z]{3,}\d*(?:\.com|\.net|\.org))\b"
    for m in re.finditer(shop, text):
        yield "mixed", m.start(), m.end()
    for s, e in _lines(block):
        line = text[s:e]
        for p in lex["residue"]:
            for m in p.finditer(line):
                if m.end() > m.start():
                    yield "residue", s + m.start(), s + m.end()
    for m in re.finditer(r"(?<!\w)\w{0,40}(?:â[\x80-\xbf€™œ“”]?|Ã[\x80-\xbf])\w{1,40}", text):
        yield "mojibake", m.start(), m.end()
    for m in lex["spinner"].finditer(text):
        yield "spinner", m.start(), m.end()
    for p in spinner_patterns() if WIDER else ():
        for m in p.finditer(text):
            yield "spinner", *(m.span("s") if "s" in p.groupindex else m.span())
    for m in re.finditer(r"(?i)(?<!\w)((?:[a-z][\w'’-]*\s+){1,6}[a-z][\w'’-]*)\s+\1(?!\w)", text):
        if any(w not in STOP for w in words(m.group(1))) and len(words(m.group(1))) >= 2:
            yield "repeat", m.start(), m.end()
    for m in re.finditer(r"(?<=[a-z,] )((?:[A-Z][a-z’'-]+|of|to|and|for|in|the|a|vs)"
                         r"(?:\s+(?:[A-Z][a-z’'-]+|of|to|and|for|in|the|a|vs)){2,9})"
                         r"(?= [a-z])", text):
        toks = m.group(1).split()
        if toks[-1][0].isupper() and sum(t[0].isupper() for t in toks) >= 3:
            yield "title", m.start(1), m.end(1)
    for m in re.finditer(r"(?<![A-Za-z])([A-Z’']{2,}(?:\s+[A-Z’']{2,}){3,})(?![A-Za-z])", text):
        yield "caps", m.start(1), m.end(1)
    for m in re.finditer(r"(?<=[a-z,] )https?://\S+(?= [a-z])", text):
        yield "url", m.start(), m.end()
    for link in block.links:
        at = text.find(link.text) if link.text.strip() else -1
        if at != -1 and link.text[:1].islower() and len(link.text.split()) >= 2:
            yield "anchor", at, at + len(link.text)
    line = text.strip()
    if (block.kind in ("paragraph", "text") and "\n" not in line
            and 2 <= len(line.split()) <= 8 and not line.endswith(_TERMINAL)):
        s = text.index(line)
        yield "kwline", s, s + len(line)


def _sentences(text: str) -> Iterable[tuple[int, int]]:
    """Rough sentence spans (for boilerplate and first-person splices)."""
    for s, e in _lines_of(text):
        start = s
        for m in re.finditer(r"[.!?](?=\s+[A-Z\"“])", text[s:e]):
            yield start, s + m.end()
            start = s + m.end()
            while start < e and text[start].isspace():
                start += 1
        if start < e:
            yield start, e


def _lines_of(text: str) -> Iterable[tuple[int, int]]:
    at = 0
    for line in text.split("\n"):
        s = len(line) - len(line.lstrip())
        if line.strip():
            yield at + s, at + len(line.rstrip())
        at += len(line) + 1


def features_of(c: Candidate, page: Page, doc: Document) -> dict[str, float]:
    text = c.block.text
    span = text[c.start:c.end]
    ws = words(span)
    content = [w for w in ws if w not in STOP]
    stems = [stem(w) for w in content]
    own = Counter(stems)
    novel = sum(page.counts[s] <= own[s] for s in stems) / len(stems) if stems else 0.0
    lower_else = (sum(w in page.lower for w in content) / len(content)) if content else 0.0
    in_title = (sum(s in page.title for s in stems) / len(stems)) if stems else 0.0
    # windows, not the whole text: a 20 MB line must stay linear
    before = text[max(0, c.start - 200):c.start].rstrip(" \t")
    after = text[c.end:c.end + 200].lstrip(" \t")
    line_start = (not before and c.start <= 200) or before.endswith("\n")
    line_end = (not after and len(text) - c.end <= 200) or after.startswith("\n")
    prev = re.findall(r"[\w'’]+", before[-30:])
    nxt = re.findall(r"[\w'’]+", after[:30])
    f = {f"k_{c.kind}": 1.0 for _ in (0,)}
    link = next((ln for ln in c.block.links if (ln.text.strip() and ln.text.strip() in span)
                 or span in ln.text), None)
    f.update({
        "log_words": math.log1p(len(ws)),
        "novel": novel,
        "lower_start": float(span[:1].islower()),
        "lower_elsewhere": lower_else,
        "in_title": in_title,
        "alone_line": float(line_start and line_end),
        "mid": float(bool(prev) and not before.endswith(_TERMINAL) and not line_start),
        "prev_fn": float(bool(prev) and prev[-1].lower() in STOP),
        "next_fn": float(bool(nxt) and nxt[0].lower() in STOP),
        "link": float(link is not None),
        "offsite": float(link is not None and doc.is_external(link)),
        "we_page": page.we_share,
        "first_page": page.first_share,
        "has_query": float(bool(re.search(r"\bnear (?:me|you)\b", span)
                                or lexicon()["city"].search(span)
                                or (ws and ws[0] in lexicon()["openers"]))),
    })
    return f


def find(doc: Document, page: Page | None = None) -> list[Candidate]:
    """Every candidate of the document, with features (not yet scored)."""
    page = page or Page.build(doc)
    lex = lexicon()
    out: list[Candidate] = []
    for block in doc.blocks:
        heading = WIDER and block.kind == "heading"
        if (block.kind not in PROSE_KINDS and not heading) or doc.in_reference_list(block):
            continue
        seen: set[tuple[int, int]] = set()
        for kind, s, e in _spans(block):
            if e <= s or (s, e) in seen or (
                    heading and not _heading_evidence(kind, block.text[s:e])):
                continue  # overlapping candidates all stay: the scorer picks among them
            seen.add((s, e))
            out.append(Candidate(block, s, e, kind))
        if heading:
            continue
        for s, e in _sentences(block.text):
            sent = block.text[s:e]
            if any(p.search(sent) for p in lex["boiler"]):
                out.append(Candidate(block, s, e, "boiler", splice=True))
            elif len(sent.split()) >= 6 and _FIRST.search(sent):
                out.append(Candidate(block, s, e, "first_person", splice=True))
    for c in out:
        c.features = features_of(c, page, doc)
    return out


# Features that mean different things for different kinds of candidate ("novel" words are
# strong evidence for a city anchor, weak for a Title-Case name): crossed with the kind.
CROSSED = ("novel", "lower_start", "mid", "alone_line", "legacy_p", "first_page", "we_page",
           "in_title", "lower_elsewhere", "log_words", "next_fn", "prev_fn", "has_query")


MODEL_FILE = "spam-real-model.yaml"
BASE_FEATURES = ("log_words", "novel", "lower_start", "lower_elsewhere", "in_title",
                 "alone_line", "mid", "prev_fn", "next_fn", "link", "offsite", "we_page",
                 "first_page", "has_query", "legacy_p", "legacy_shape")


def feature_spec() -> learned.FeatureSpec:
    """Every name ``expand`` can emit: base features, kind flags, kind-crossed features."""
    return learned.FeatureSpec(frozenset(BASE_FEATURES)
                               | {f"k_{k}" for k in KINDS}
                               | {f"{k}*{f}" for k in KINDS for f in CROSSED})


def expand(c: Candidate) -> dict[str, float]:
    """The candidate's features with the kind-crossed ones added."""
    f = dict(c.features)
    for k in CROSSED:
        v = c.features.get(k, 0.0)
        if v:
            f[f"{c.kind}*{k}"] = v
    return f


def score(cands: Sequence[Candidate],
          params: learned.LogisticModel | dict[str, Any] | None = None) -> None:
    """Sets each candidate's probability from the logistic model (a parsed weight file, as
    the trainer passes it, or the shipped model)."""
    m = model() if params is None else (
        params if isinstance(params, learned.LogisticModel)
        else _with_hand_weights(learned.parse(params)))
    for c in cands:
        c.probability = m.probability(expand(c))


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(lo, hi) of the rough sentence around ``text[start:end]`` (hi exclusive)."""
    lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    hi = min([i for i in (text.find(".", end), text.find("\n", end)) if i != -1],
             default=len(text))
    return lo, min(len(text), hi + 1)


def _prefix(text: str, lo: int) -> str:
    """The sentence before ``lo`` in the same block ("" when there is none)."""
    if lo <= 0:
        return ""
    head = text[:lo].rstrip()
    cut = max(head.rfind(".", 0, len(head) - 1), head.rfind("\n", 0, len(head) - 1)) + 1
    return head[cut:].strip()


def verify(cands: Sequence[Candidate], floor: float, weight: float = 1.0,
           center: float = 0.0, veto: bool = False, prefix: bool = False) -> int:
    """Second stage: sends the sentences of candidates scored at or above ``floor`` to the
    verifier and folds its score into their probability: logit + weight x (score - center);
    with ``veto`` (and always for link text) the term can only lower it. ``prefix`` passes
    the previous sentence of the block as context. Candidates of one sentence go in one
    call. Returns the number of sentences sent (0 when no verifier is available)."""
    fn = verifier()
    todo = [c for c in cands if c.probability >= floor]
    if fn is None or not todo:
        return 0
    groups: dict[tuple[int, int, int], list[Candidate]] = {}
    for c in todo:  # one call per sentence, with all its candidate spans
        lo, hi = _sentence_bounds(c.block.text, c.start, c.end)
        groups.setdefault((c.block.index, lo, hi), []).append(c)
    for (_, lo, hi), group in groups.items():
        text = group[0].block.text
        spans = [(c.start - lo, min(c.end, hi) - lo) for c in group]
        try:
            if prefix and _takes_prefix(fn):
                vals = fn(text[lo:hi], spans, prefix=_prefix(text, lo))  # type: ignore[call-arg]
            else:
                vals = fn(text[lo:hi], spans)
        except Exception:  # a verifier failure leaves the cheap stage's scores standing
            continue
        for c, v in zip(group, vals, strict=True):
            term = weight * (float(v) - center)
            if veto or c.features.get("link"):
                # link text is detached from the grammar whether pasted or not: for a linked
                # candidate the verifier can only lower (the hand-set link weights judge it)
                term = min(term, 0.0)
            z = math.log(c.probability / max(1e-9, 1 - c.probability)) + term
            c.probability = learned.sigmoid(z)
            c.verified = True
    return len(groups)
