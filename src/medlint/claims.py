"""Health claims: which sentences make one, how strongly, and whether evidence backs it.

Strength follows the scheme of Yu et al. (correlational / conditional causal / direct causal)
with an extra level for absolute language: ``hedged`` ("may reduce"), ``correlational`` ("is
linked to"), ``causal`` ("reduces", "is safer than") and ``absolute`` ("always cures").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import regex

from medlint.documents.model import Block, Document, Link
from medlint.rules import read_data, read_pack

STRENGTHS = ("hedged", "correlational", "causal", "absolute")


@dataclass(frozen=True)
class Cues:
    causal_verbs: frozenset[str]
    needs_particle: dict[str, tuple[str, ...]]
    correlational: Any
    hedges: Any
    absolute: Any
    comparative: Any
    outcome: Any
    negation: Any


def _phrases(items: Iterable[str]) -> Any:
    parts = sorted((regex.escape(str(i)).replace(r"\ ", r"\s+") for i in items), key=len,
                   reverse=True)
    return regex.compile(r"(?i)(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])")


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    data = read_data("claims-cues.yaml")
    return Cues(
        causal_verbs=frozenset(data["causal_verbs"]),
        needs_particle={k: tuple(v) for k, v in data["needs_particle"].items()},
        correlational=_phrases(data["correlational"]),
        hedges=_phrases(data["hedges"]),
        absolute=_phrases(data["absolute"]),
        comparative=_phrases(data["comparative"]),
        outcome=_phrases(data["outcome"]),
        negation=_phrases(data["negations"]),
    )


@dataclass
class Claim:
    block: Block
    start: int  # block-text offsets of the sentence
    end: int
    strength: str
    cue: str
    supported: bool = False
    evidence: tuple[str, ...] = ()  # what supports it: link URLs, citation text

    @property
    def text(self) -> str:
        return self.block.text[self.start:self.end]


_STATISTIC = regex.compile(
    r"""(?ix)
    \b\d+(?:[.,]\d+)?\s*(?:%|percent|per\s+cent)
    | \b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+(?:every\s+)?
      (?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|a\s+thousand)\b
    | \b(?:\d+(?:\.\d+)?|two|three|four|five|ten)\s*(?:times|-fold|fold)\s+
      (?:more|less|higher|lower|as)\b
    | \b\d[\d,.]*\s*(?:million|billion|thousand)?\s+(?:people|adults|children|americans|deaths|
      cases|patients|women|men|users|hospitali[sz]ations)\b
    """)
_NOT_STATISTIC = regex.compile(r"(?i)\b(?:mg|mcg|ml|milligrams?|grams?|kg|lbs?|minutes|hours|"
                               r"days|weeks|months|years|degrees|°|step|page|chapter|off|discount)\b")


def find_statistic(sentence: str) -> Any:
    """The first health number in a sentence ("40%", "1 in 3", "twice as likely", "5,000
    patients"), not a dose, duration, price or page number; or None."""
    for m in _STATISTIC.finditer(sentence):
        after = sentence[m.end():m.end() + 12]
        if not (_NOT_STATISTIC.match(after.strip()) or _NOT_STATISTIC.search(m.group())):
            return m
    return None


@functools.lru_cache(maxsize=1)
def testimonial_patterns() -> tuple[Any, ...]:
    """The patterns of the ``claims/testimonial`` pack rule: a success story is a claim."""
    pack = read_pack("claims.yaml")
    for rule in pack["rules"]:
        if rule["id"] == "claims/testimonial":
            return tuple(regex.compile(p if isinstance(p, str) else p["pattern"])
                         for p in rule["patterns"])
    return ()


_SAFETY = regex.compile(r"(?i)\b(?:is|are|'s|’s)\s+(?:\w+\s+)?(?:safe|harmless|risk-free)\b")


_QUESTION = regex.compile(r"\?\s*$")
_INSTRUCTION_START = regex.compile(
    r"(?i)^(?:ask|talk|call|see|speak|check|tell|make sure|try|learn|read|find|visit|contact|"
    r"click|sign up|download|book|schedule)\b")


_CLAIM_INFINITIVE = frozenset({
    "found", "shown", "proven", "proved", "known", "thought", "believed", "said", "able",
    "help", "helps", "helped", "designed", "likely", "unlikely", "seem", "seems", "seemed",
    "appear", "appears", "appeared", "expected", "reported", "claimed", "tend", "tends",
    "way", "ways"})


def _modifies_noun(tokens: list[Any], i: int) -> bool:
    """"an increased risk", "a significantly reduced rate": the participle is an adjective."""
    if i + 1 >= len(tokens) or tokens[i + 1].pos_ not in ("NOUN", "PROPN", "ADJ"):
        return False
    prev = tokens[i - 1]
    if prev.pos_ in ("DET", "ADJ"):
        return True
    return prev.pos_ == "ADV" and i > 1 and tokens[i - 2].pos_ in ("DET", "ADJ", "ADP")


_PARTICIPLE_NEXT = frozenset({"with", "by", "for", "in", "at", "after", "during"})


def _verb_claim(span: Any, c: Cues) -> tuple[str, int] | None:
    """A causal verb used as a verb, not negated: ("reduces", index) or None."""
    tokens = list(span)
    for i, tok in enumerate(tokens):
        lemma = tok.lemma_.lower()
        if tok.tag_ == "JJR" and tok.lower_ == "lower" and 0 < i < len(tokens) - 1 and \
                tokens[i - 1].pos_ in ("NOUN", "PROPN", "PRON") and \
                tokens[i + 1].pos_ in ("NOUN", "DET", "ADJ", "PRON", "NUM", "PROPN"):
            lemma = "lower"  # the tagger reads "Statins lower cholesterol" as an adjective
        elif lemma not in c.causal_verbs or tok.pos_ not in ("VERB", "AUX"):
            continue
        if tok.tag_ == "VBN" and i > 0 and _modifies_noun(tokens, i):
            continue  # "an increased risk" is an adjective (tags only: same with or without
            # the parser, so results do not depend on which other rules run)
        if tok.tag_ == "VBN" and 0 < i < len(tokens) - 1 and tokens[i - 1].pos_ in (
                "NOUN", "PROPN") and tokens[i + 1].lower_ in _PARTICIPLE_NEXT:
            continue  # a participle describing a noun: "people treated with insulin"
        prev = tokens[i - 1] if i else None
        if tok.tag_ == "VB" and (prev is None or prev.text in (",", ";", ":")):
            continue  # an instruction: "Make the most of ...", "If ..., ask ..."
        if tok.tag_ == "VB" and prev is not None and prev.lower_ == "to":
            before = tokens[i - 2].lower_ if i > 1 else ""
            if before not in _CLAIM_INFINITIVE:
                continue  # purpose, not a claim: "studying GLP-1s to treat addiction"
        if tok.tag_ == "VBG" and not (prev is not None and prev.lemma_ in ("be", "keep")):
            continue  # a gerund names an action: "the act of stopping heroin"
        particles = c.needs_particle.get(lemma)
        if particles and not _has_particle(tokens[i + 1:i + 5], particles):
            continue
        window = " ".join(t.lower_ for t in tokens[max(0, i - 3):i])
        if regex.search(r"(?<![\w])(?:not|n't|never|no|cannot|failed\s+to)(?![\w])", window):
            continue
        return tok.text, i
    return None


def _has_particle(following: list[Any], particles: tuple[str, ...]) -> bool:
    """"leads to", "led people to", "helps ease": the particle may follow an object, and
    "help" takes a bare verb."""
    words = " ".join(t.lower_ for t in following)
    if any(words.startswith(p) for p in particles):
        return True
    if "to" in particles and any(t.lower_ == "to" for t in following[1:3]):
        return True
    return "VB" in particles and any(t.tag_ == "VB" for t in following[:3])


def classify(span: Any) -> tuple[str, str] | None:
    """(strength, cue) for a claim sentence (a spaCy Span with tags and lemmas), or None."""
    c = cues()
    text = span.text
    if len(text.split()) < 3 or _QUESTION.search(text) or _INSTRUCTION_START.match(text):
        return None
    absolute = c.absolute.search(text)
    correlational = c.correlational.search(text)
    comparative = c.comparative.search(text)
    outcome = c.outcome.search(text) or _SAFETY.search(text)
    verb = _verb_claim(span, c)
    if not (correlational or comparative or outcome or verb):
        correlational = _COMPARISON.search(text)  # "20% higher in the north than the south"
        if not correlational:
            story = next((m for p in testimonial_patterns() if (m := p.search(text))), None)
            if story:
                return "causal", story.group()  # a success story offered as proof
            number = find_statistic(text)
            if number:
                return ("absolute" if absolute else "causal"), number.group()
            return None
    negated = c.negation.search(text)
    if _NO_EFFECT.search(text) or (
            correlational and _negated_before(c, text, correlational.start())):
        return None  # "there is no evidence that", "had no effect on", "is not linked to"
    if verb is None and not correlational:
        main = comparative or outcome
        if _negated_before(c, text, main.start()):  # type: ignore[union-attr]
            return None  # "has little impact on", "is not effective"
    if correlational and not (comparative or (verb and not _hedged(c, text, verb_pos(span, verb))
                                              and verb[1] < _token_index(span, correlational))):
        return "correlational", correlational.group()
    if comparative or outcome:
        found = comparative or outcome
        cue, where = found.group(), found.start()  # type: ignore[union-attr]
    else:
        cue, where = verb[0], verb_pos(span, verb)  # type: ignore[index]
    if absolute and not negated:
        return "absolute", absolute.group()
    if _hedged(c, text, where):
        return "hedged", cue
    return "causal", cue


_COMPARISON = regex.compile(
    r"(?i)\b(?:(?:higher|lower|greater|fewer|less|more|worse|better)\b(?!\s+than\s+(?:one|a|an|half|"
    r"\d))[^.;:]{0,40}?\bthan|"
    r"(?:twice|\w+\s+times)\s+(?:as|more)\s+(?:likely|common|often|high)|correlations|"
    r"associations|associated\s+to)\b")
_NO_EFFECT = regex.compile(
    r"(?i)\b(?:no|little|lack\s+of|without\s+any)\s+(?:\w+\s+){0,2}?(?:evidence|link|association|proof|"
    r"effects?|impact|benefits?|difference|increased?\s+risks?|change)\b")


def _negated_before(c: Cues, text: str, where: int) -> bool:
    return any(where - 30 <= m.start() < where for m in c.negation.finditer(text))


def _hedged(c: Cues, text: str, where: int) -> bool:
    """A hedge softens the claim it comes shortly before ("may reduce", "suggests that X
    lowers"), not one in another clause or a trailing "..., a study suggests"."""
    return any(where - 80 <= m.start() < where + 1 for m in c.hedges.finditer(text))


def verb_pos(span: Any, verb: tuple[str, int]) -> int:
    return span[verb[1]].idx - span.start_char


def _token_index(span: Any, match: Any) -> int:
    offset = span.start_char + match.start()
    for i, tok in enumerate(span):
        if tok.idx >= offset:
            return i
    return len(span)


# Evidence -----------------------------------------------------------------------------
_CITATION = regex.compile(
    r"""(?x)
    \[\^[^\]]+\]                                         # footnote [^1]
    | \[\d+(?:\s*[,–-]\s*\d+)*\]                          # numbered reference [1], [1, 2], [3-5]
    | \((?:[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|and|&)\s*[A-Z]?[\w'’-]*)?,?\s+(?:19|20)\d{2}[a-z]?
        (?:;\s*[^)]{0,80})?)\)                            # (Smith, 2020), (Smith et al. 2019)
    | (?i:according\s+to)\s+(?:the\s+|a\s+|an\s+)?[\w'’.-]*[A-Z0-9][\w'’.-]*
    | (?i:a|an|the|one)\s+(?:(?:19|20)\d{2}\s+)?(?i:study|trial|review|meta-analysis|report|
        analysis|survey)\s+(?i:published\s+)?(?i:in|by|from)\s+(?:the\s+)?[A-Z]
    | (?i:researchers|scientists)\s+(?i:at|from)\s+(?:the\s+)?[A-Z]
    | (?i:a|an|the)\s+(?:(?:19|20)\d{2}\s+)?(?:[A-Z][\w'’-]+\s+){1,4}(?i:study|trial|review|
        meta-analysis|report|survey|guidelines?)\b                 # "a Cochrane review found"
    | (?:Dr|Prof|Professor)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?,?[^.]{0,80}?\b
        (?i:said|says|explained|explains|told|notes|noted)\b       # a named expert quoted
    | (?i:doi:)\s*10\.\d{4,}
    """)


@functools.lru_cache(maxsize=1)
def authorities() -> tuple[tuple[str, ...], frozenset[str], Any]:
    data = read_data("authoritative-sources.yaml")
    names = _phrases(data["names"])
    return tuple(data["suffixes"]), frozenset(data["domains"]), names


def is_authoritative(url: str, extra_domains: Iterable[str] = ()) -> bool:
    suffixes, domains, _ = authorities()
    host = urlparse(url).netloc.lower().split(":")[0].removeprefix("www.")
    if not host:
        return False
    known = domains | frozenset(extra_domains)
    return host.endswith(suffixes) or any(host == d or host.endswith("." + d) for d in known)


def names_authority(text: str) -> bool:
    return bool(authorities()[2].search(text))


def _sentence_links(block: Block, start: int, end: int, doc: Document) -> list[Link]:
    lo, hi = block.source_span(start, end)
    return [link for link in block.links if doc.is_external(link) and lo <= link.start < hi]


def evidence(doc: Document, block: Block, start: int, end: int) -> tuple[str, ...]:
    """What backs the sentence: citations in it, or links and citations in its paragraph."""
    found: list[str] = []
    sentence = block.text[start:end]
    found += [m.group() for m in _CITATION.finditer(sentence)]
    found += [link.url for link in _sentence_links(block, start, end, doc)]
    if not found:
        found += [m.group() for m in _CITATION.finditer(block.text)]
        found += [link.url for link in block.links if doc.is_external(link)]
    return tuple(found)


def claim_sentences(doc: Document, ctx: Any) -> list[Claim]:
    """Every claim sentence of the document, cached per document for all claims rules."""
    key = "claims/sentences"
    if key in ctx.shared:
        return ctx.shared[key]
    claims: list[Claim] = []
    for block in doc.blocks:
        if block.kind in ("heading", "table_cell") or doc.in_reference_list(block):
            continue
        sdoc = ctx.spacy(block)
        if sdoc is None:
            continue
        for sent in sdoc.sents:
            result = classify(sent)
            if result is None:
                continue
            start, end = sent.start_char, sent.start_char + len(sent.text.rstrip())
            support = evidence(doc, block, start, end)
            claims.append(Claim(block, start, end, result[0], result[1], bool(support),
                                support))
    ctx.shared[key] = claims
    if isinstance(ctx.metrics, dict):
        ctx.metrics["claims"] = [
            {"offset": c.block.source_span(c.start, c.end)[0],
             "end_offset": c.block.source_span(c.start, c.end)[1],
             "strength": c.strength, "supported": c.supported} for c in claims]
    return claims


def iter_unsupported(claims: Iterable[Claim]) -> Iterator[Claim]:
    return (c for c in claims if not c.supported)
