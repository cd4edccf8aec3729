"""Health claims: which sentences make one, how strongly, and whether evidence backs it.

Strength follows the scheme of Yu et al. (correlational / conditional causal / direct causal)
with an extra level for absolute language: ``hedged`` ("may reduce"), ``correlational`` ("is
linked to"), ``causal`` ("reduces", "is safer than") and ``absolute`` ("always cures").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import regex

from medlint.documents.model import Block, Document, Link
from medlint.resources import read_data
from medlint.rules.claims import policy as claims_policy
from medlint.startcache import compile_pattern

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
    # Every phrase starts with a word character, so "\b(?<!-)" equals "(?<![\w-])" here, and
    # the engine tries the alternation only at word starts (3x faster).
    return compile_pattern(r"(?i)\b(?<!-)(?:" + "|".join(parts) + r")(?![\w-])")


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
    kind: str | None = None  # what an editor wants sourced (claims_policy.KINDS), else None
    confidence: float = 0.0  # estimated probability that an editor wants a source

    @property
    def needs_source(self) -> bool:
        """A specific claim (statistic, efficacy, guarantee, ...) that no evidence backs."""
        return self.kind is not None and not self.supported

    @property
    def text(self) -> str:
        return self.block.text[self.start:self.end]


_STATISTIC = compile_pattern(
    r"""(?ix)
    \b\d+(?:[.,]\d+)?\s*(?:%|percent|per\s+cent)
    | \b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:in|out\s+of)\s+(?:every\s+)?
      (?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|a\s+hundred|a\s+thousand)\b
    | \b(?:\d+(?:\.\d+)?|two|three|four|five|ten)\s*(?:times|-fold|fold)\s+
      (?:more|less|higher|lower|as|faster|slower|better|greater|worse)\b
    | \b(?:about|around|nearly|almost|over|under|roughly|more\s+than|less\s+than|fewer\s+than|
      up\s+to|only)\s+(?:a|one|two)\s+(?:thirds?|quarters?|fifths?|tenths?)\s+(?:of\s+)?\b
    | \b(?:ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|
      four|five|six|seven|eight|nine))?\s+(?:percent|per\s+cent)\b
    | \b(?:about|around|nearly|almost|over|under|roughly|more\s+than|less\s+than|fewer\s+than)\s+
      half\s+(?:of\s+)?(?:all\s+)?(?:people|adults|children|patients|women|men|them|those|cases)\b
    | \b\d[\d,.]*\s*(?:million|billion|thousand)?\s+(?:[a-z]+\s+)?(?:people|adults|children|
      americans|deaths|cases|patients|women|men|users|customers|clients|hospitali[sz]ations)\b
    | \b\d{1,3}(?:,\d{3})+\s+(?:people\s+)?(?:die|died|deaths|are\s+diagnosed|
      are\s+hospitali[sz]ed)\b
    | \ban\s+estimated\s+\d[\d,.]*
    """)
# An effect size in clinical units (annotation guide, borderline 9): "lowers systolic blood
# pressure by 5 to 8 mmHg", "haemoglobin should rise by about 20 g/L".
_EFFECT_SIZE = compile_pattern(
    r"""(?ix)\b(?:ris|ris(?:e|es|en)|fall(?:s|en)?|fell|drop(?:s|ped)?|lower(?:s|ed)?|reduc(?:e|es|ed)|
    increas(?:e|es|ed)|rais(?:e|es|ed)|improv(?:e|es|ed)|cut(?:s)?|go(?:es)?\s+(?:up|down))\s+
    (?:[\w-]+\s+){0,4}?by\s+(?:about\s+|around\s+|up\s+to\s+|roughly\s+|an\s+average\s+of\s+)?
    \d+(?:\.\d+)?(?:\s*(?:to|-|–)\s*\d+(?:\.\d+)?)?\s*(?:g/l|g/dl|mmhg|mg/dl|mmol/l|points?|kg|
    pounds|lbs|bpm)(?!\w)""")
# A negated round figure is a disclaimer, not a statistic: "No vaccine is 100 percent effective".
_NEGATED_NUMBER = compile_pattern(
    r"(?i)\b(?:no|not|nothing|none)\s+(?:[\w-]+\s+){0,3}?(?:is|are)?\s*"
    r"100\s*(?:%|percent|per\s+cent)")
_PURITY = compile_pattern(r"(?i)\s*(?:safe|natural|effective|free|pure|organic|guaranteed|"
                        r"successful|drug-free|plant-based)\b")
_SAMPLE_SIZE = compile_pattern(
    r"(?i)\b(?:(?:survey|study|trial|sample|review|poll|cohort|group)\s+of|followed|recruited|"
    r"enrolled|surveyed|interviewed|involving|involved)\s+(?:more\s+than\s+|over\s+|about\s+|"
    r"nearly\s+|almost\s+|around\s+)?$")
_NOT_STATISTIC = compile_pattern(r"(?i)\b(?:mg|mcg|ml|milligrams?|grams?|kg|lbs?|minutes|hours|"
                               r"days|weeks|months|years|degrees|°|step|page|chapter|off|discount)\b")


def find_statistic(sentence: str) -> Any:
    """The first health number in a sentence ("40%", "1 in 3", "twice as likely", "5,000
    patients", "a third of", "lowers it by 5 mmHg"), not a dose, duration, price or page number;
    or None. Sentences that are not claims (a debunked figure, "No vaccine is 100% effective")
    have none."""
    found = _first_statistic(sentence)
    if found is None or not_a_claim(sentence) or _NEGATED_NUMBER.search(sentence):
        return None
    return found


def _first_statistic(sentence: str) -> Any:
    effect = _EFFECT_SIZE.search(sentence)
    if effect:
        return effect
    for m in _STATISTIC.finditer(sentence):
        after = sentence[m.end():m.end() + 12]
        if m.group().startswith("100") and _PURITY.match(sentence, m.end()):
            continue  # "100% safe", "100% natural": absolute language, not a statistic
        if _SAMPLE_SIZE.search(sentence[max(0, m.start() - 40):m.start()]):
            continue  # a study's size is not a health statistic: "a survey of 140 customers"
        if not (_NOT_STATISTIC.match(after.strip()) or _NOT_STATISTIC.search(m.group())):
            return m
    return None


@functools.lru_cache(maxsize=1)
def testimonial_patterns() -> tuple[Any, ...]:
    """Success stories offered as proof (``lint_rules/data/claims-testimonials.yaml``)."""
    data = read_data("claims-testimonials.yaml")
    return tuple(compile_pattern(p, regex.IGNORECASE) for p in data["patterns"])


# Safety statements: "is (completely) safe", and how often or how badly harms happen ("Serious
# allergic reactions are very rare", "side effects are usually mild").
_SAFETY = compile_pattern(
    r"(?i)\b(?:is|are|'s|’s)\s+(?:\w+\s+)?(?:safe|harmless|risk-free)\b"
    r"|\b(?:side[\s-]effects?|reactions?|complications?|adverse\s+events?)(?:\s+[\w-]+){0,4}?\s+(?:is|are|were|was)\s+"
    r"(?:\w+\s+)?(?:rare|uncommon|common|mild|serious|usually\s+mild|short-lived)\b")


_QUESTION = compile_pattern(r"\?\s*$")
# Sentence shapes that are not claims whatever cue words they hold (annotation guide): the page
# describing itself, a definition by "is when"/"means", a second-person symptom description,
# a claim reported in order to debunk it, a regulatory disclaimer, and a refutation.
_NOT_A_CLAIM_START = compile_pattern(
    r"""(?ix)
    (?:this|the|our)\s+(?:leaflet|page|article|guide|section|faq|post|booklet|factsheet)\s+
        (?:explains|describes|covers|tells|sets\s+out|is\s+for|looks\s+at)\b
    | (?:an?\s+|the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+(?:is\s+when|means\s+(?:that\s+)?you)\b
    | you\s+(?:may|might|will|could)\s+(?:also\s+)?(?:notice|feel|find\s+that\s+you|experience)\b
    """)
# The rest only runs when one of its trigger words is in the sentence (speed: issue #8).
_NOT_A_CLAIM_GATE = compile_pattern(
    r"(?i)claim|myth|rumou?r|read|heard|seen|sell|market|advertis|promot|intended|meant|wrong|"
    r"false|untrue|mislead|say|saying|promis")
_NOT_A_CLAIM = compile_pattern(
    r"""(?ix)
    \b(?:you\s+may\s+have\s+(?:read|heard|seen)|(?:repeated|repeat|spread|spreading|made|making|
        heard|read|believe)\s+(?:the\s+)?(?:claims?|myths?|rumou?rs?)\s+that|
        (?:websites|posts|sites|sellers|retailers|clinics|influencers|companies)\s+(?:\w+\s+){0,3}?
        (?:claim|claiming|say|saying|promise|promising)\s+(?:that\s+)?)
    | \b(?:sell|sells|market|markets|advertise|advertises)\b[^.]{0,80}?\b(?:they|which|that|and)\s+
        (?:say|says|claim|claims|promise|promises)\b
    | \b(?:is|are)\s+(?:widely\s+|often\s+|heavily\s+|aggressively\s+)?
        (?:promoted|marketed|advertised)\s+(?:for|as)\b
    | \bnot\s+(?:intended|meant)\s+to\s+(?:diagnose|treat|cure|prevent|replace)
    | \b(?:this|that|the)\s+(?:figure|claim|idea|belief|myth|number)\s+is\s+(?:wrong|false|untrue|
        a\s+myth|misleading)
    """)


def not_a_claim(sentence: str) -> bool:
    """Whether the sentence has a shape that is never a claim (see _NOT_A_CLAIM_START)."""
    return bool(_NOT_A_CLAIM_START.match(sentence) or (
        _NOT_A_CLAIM_GATE.search(sentence) and _NOT_A_CLAIM.search(sentence)))
_INSTRUCTION_START = compile_pattern(
    r"(?i)^(?:ask|talk|call|see|speak|check|tell|make sure|try|learn|read|find|visit|contact|"
    r"click|sign up|download|book|schedule)\b")


_CLAIM_INFINITIVE = frozenset({
    "found", "shown", "proven", "proved", "known", "thought", "believed", "said", "able",
    "help", "helps", "helped", "designed", "likely", "unlikely", "seem", "seems", "seemed",
    "appear", "appears", "appeared", "expected", "reported", "claimed", "tend", "tends",
    "way", "ways", "enough"})


def _modifies_noun(tokens: list[Any], i: int) -> bool:
    """"an increased risk", "a significantly reduced rate": the participle is an adjective."""
    if i + 1 >= len(tokens) or tokens[i + 1].pos_ not in ("NOUN", "PROPN", "ADJ"):
        return False
    prev = tokens[i - 1]
    if prev.pos_ in ("DET", "ADJ"):
        return True
    return prev.pos_ == "ADV" and i > 1 and tokens[i - 2].pos_ in ("DET", "ADJ", "ADP")


_SERVICE_VERBS = frozenset({"treat"})
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
        if lemma in _SERVICE_VERBS and (
                any(t.lower_ in ("we", "our", "us") for t in tokens[:i]) or (
                    tok.tag_ == "VBN" and prev is not None and prev.lemma_ == "be"
                    and i + 1 < len(tokens) and tokens[i + 1].lower_ in ("with", "by", "at"))):
            continue  # what a service does or how care is given: "Our physiotherapists treat
            # sports injuries", "Most people are treated with iron tablets"
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
        if _denied_effect(tokens, i):
            return tok.text, i  # "Shingrix cannot cause shingles": a safety claim, negated
        if regex.search(r"(?<![\w])(?:not|n't|never|no|nothing|none|cannot|failed\s+to)(?![\w])",
                        window):
            continue
        return tok.text, i
    return None


_DENIAL_AUX = frozenset({"does", "do", "did", "can", "will", "could", "would", "ca", "wo"})


def _denied_effect(tokens: list[Any], i: int) -> bool:
    """A third-person subject + "does not" / "cannot" + causal verb denies an effect, which is
    still a claim about safety or effectiveness ("Vitamin A does not prevent measles"); an
    instruction ("Do not stop ...") or a first/second person is not."""
    if i < 3 or tokens[i - 1].lower_ not in ("not", "n't") or \
            tokens[i - 2].lower_ not in _DENIAL_AUX:  # spaCy splits "cannot" into can + not
        return False
    subject = tokens[i - 3]
    return subject.pos_ in ("NOUN", "PROPN", "PRON") and \
        subject.lower_ not in ("i", "you", "we", "they", "people")


def _has_particle(following: list[Any], particles: tuple[str, ...]) -> bool:
    """"leads to", "led people to", "helps ease": the particle may follow an object, and
    "help" takes a bare verb."""
    words = " ".join(t.lower_ for t in following)
    if any(words.startswith(p) for p in particles):
        return True
    if "to" in particles and any(t.lower_ == "to" for t in following[1:3]):
        return True
    return "VB" in particles and any(t.tag_ == "VB" for t in following[:3])


def classify(span: Any, hits: dict[str, Any] | None = None) -> tuple[str, str] | None:
    """(strength, cue) for a claim sentence (a spaCy Span with tags and lemmas), or None.
    ``hits``, when given, receives the cue matches computed on the way (the learned model's
    features reuse them instead of searching again)."""
    text = span.text
    if hits is None:
        hits = {}
    if len(text.split()) < 3 or _QUESTION.search(text) or _INSTRUCTION_START.match(text):
        hits["shape"] = True
        return None
    result = _classify(span, text, hits)
    if result is None:
        return None
    hits["not_a_claim"] = blocked = not_a_claim(text)
    return None if blocked else result


def _classify(span: Any, text: str, hits: dict[str, Any]) -> tuple[str, str] | None:
    c = cues()
    hits["absolute"] = absolute = c.absolute.search(text) and claims_policy.absolute_cue(text)
    # (the cue list alone reads "does not guarantee", "always consult" and "completely blocked"
    # as absolute claims: issue #18)
    hits["correlational"] = correlational = c.correlational.search(text)
    hits["comparative"] = comparative = c.comparative.search(text)
    hits["outcome"] = outcome = c.outcome.search(text) or _SAFETY.search(text)
    hits["verb"] = verb = _verb_claim(span, c)
    if not (correlational or comparative or outcome or verb):
        hits["comparison"] = correlational = _COMPARISON.search(text)  # "20% higher in the
        # north than the south"
        if not correlational:
            hits["testimonial"] = story = next(
                (m for p in testimonial_patterns() if (m := p.search(text))), None)
            if story:
                return "causal", story.group()  # a success story offered as proof
            hits["statistic"] = number = find_statistic(text)
            if number:
                return ("absolute" if absolute else "causal"), number.group()
            return None
    hits["negation"] = negated = c.negation.search(text)
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


_COMPARISON = compile_pattern(
    r"(?i)\b(?:(?:higher|lower|greater|fewer|less|more|worse|better)\b(?!\s+than\s+(?:one|a|an|half|"
    r"\d))[^.;:]{0,40}?\bthan|"
    r"(?:twice|\w+\s+times)\s+(?:as|more)\s+(?:likely|common|often|high)|correlations|"
    r"associations|associated\s+to)\b")
_NO_EFFECT = compile_pattern(
    r"(?i)\b(?:no|little|lack\s+of|without\s+any)\s+(?:(?!side\b)\w+\s+){0,2}?(?:evidence|link|association|proof|"
    r"effects?|impact|benefits?|difference|increased?\s+risks?|change)\b")


def _negated_before(c: Cues, text: str, where: int) -> bool:
    return any(where - 30 <= m.start() < where for m in c.negation.finditer(text))


def _hedged(c: Cues, text: str, where: int) -> bool:
    """A hedge softens the claim it comes shortly before ("may reduce", "suggests that X
    lowers"), not one in another clause or a trailing "..., a study suggests"."""
    return any(where - 80 <= m.start() < where + 1 and not _DENIAL.match(text, m.end())
               for m in c.hedges.finditer(text))


_DENIAL = compile_pattern(r"(?i)(?:not\b|n?[’']t\b|\s+not\b)")  # "cannot cause" denies, not hedges


def verb_pos(span: Any, verb: tuple[str, int]) -> int:
    return span[verb[1]].idx - span.start_char


def _token_index(span: Any, match: Any) -> int:
    offset = span.start_char + match.start()
    for i, tok in enumerate(span):
        if tok.idx >= offset:
            return i
    return len(span)


# Evidence -----------------------------------------------------------------------------
_CITATION = compile_pattern(
    r"""(?x)
    \[\^[^\]]+\]                                         # footnote [^1]
    | \[\d+(?:\s*[,–-]\s*\d+)*\]                          # numbered reference [1], [1, 2], [3-5]
    | \((?:[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|and|&)\s*[A-Z]?[\w'’-]*)?,?\s+(?:19|20)\d{2}[a-z]?
        (?:;\s*[^)]{0,80})?)\)                            # (Smith, 2020), (Smith et al. 2019)
    | (?i:according\s+to)\s+(?:the\s+|a\s+|an\s+)?[\w'’.-]*[A-Z0-9][\w'’.-]*
    | (?i:according\s+to\s+(?:the\s+)?(?:[a-z]+\s+){0,3}(?:department|agency|ministry|records|
        registry|office|authority|service|institute|commission|council|statistics|figures))\b
    | (?i:a|an|the|one)\s+(?:(?:19|20)\d{2}\s+)?(?:[\w-]+\s+){0,4}?(?i:study|trial|review|
        meta-analysis|report|analysis|survey|poll)\s+(?i:published\s+)?(?i:in|by|from|of)\s+
        (?:the\s+)?[A-Z]                                    # "a large new study from Harvard"
    | (?i:data|figures|statistics|estimates)\s+(?i:from|by|published\s+by)\s+(?:the\s+)?[A-Z]
    | (?i:the|this|that)\s+(?i:study|trial|review|survey|researchers|authors|analysis)\s+
        (?i:also\s+)?(?i:found|showed|shows|suggests|suggested|reported|concluded)\b
                                                          # the study the page has just named
    | (?<=[a-z]{3})\d{1,2}(?=[.,;:](?:\s|$))             # glued digits: "an asthma attack2."
    | (?i:researchers|scientists)\s+(?i:at|from)\s+(?:the\s+)?[A-Z]
    | (?i:a|an|the)\s+(?:(?:19|20)\d{2}\s+)?(?:[A-Z][\w'’-]+\s+){1,4}(?i:study|trial|review|
        meta-analysis|report|survey|guidelines?)\b                 # "a Cochrane review found"
    | (?:Dr|Prof|Professor)\.?\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?,?[^.]{0,80}?\b
        (?i:said|says|explained|explains|told|notes|noted)\b       # a named expert quoted
    | (?i:doi:)\s*10\.\d{4,}
    | (?<=[a-z)%])[.,;]\d{1,3}(?:[,–-]\d{1,3})*(?=[A-Z\s]|$)   # glued digits: "adults.4Girls"
    | [¹²³⁴⁵⁶⁷⁸⁹⁰]+                                       # superscript reference digits
    | <sup>\s*\[?\d                                        # an HTML superscript marker
    | \b(?:[A-Z]{2,}[\w-]*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3})\s+(?:guidelines?|
        recommendations|position\s+statement|consensus\s+statement)\b   # a named guideline
    """)


# A named source quoted in news style (annotation guide, borderline 2): "Oduya said", "said
# Karen Oduya", "the county health department said"; "Experts say" names nobody. Only tried
# when a speech verb is present (speed).
_SPEECH = compile_pattern(r"\b(?:said|says|told|explained|explains|added|adds|reported|reports)\b")
_ATTRIBUTION = compile_pattern(
    r"""(?x)
    (?i:the\s+(?:[a-z]+\s+){0,3}(?:department|agency|ministry|authority|service|institute))\s+
        (?i:said|says|reported|reports)\b                     # "the county health department said"
    | \b(?!(?:He|She|They|It|We|I|You|Experts?|Doctors?|Researchers|Scientists|Studies|Officials|
        People|Patients|Some|Many|Most|Critics|Others|Health|Everyone|Nobody|Nutritionists|
        Specialists|Dietitians|Physicians|Parents|Users|Customers)\b)[A-Z][a-z][\w'’-]+
        (?:\s+[A-Z][\w'’-]+)?,?\s+(?i:said|says|explained|explains|told|adds|added)\b
                                                          # a named person quoted: "Oduya said"
    | (?i:said|says)\s+(?:[a-z'’]+\s+){0,4}?[A-Z][a-z][\w'’-]+\s+[A-Z][a-z][\w'’-]+
                                                          # "said Karen Oduya, the ..."
    """)


# A practitioner quoted about their own practice speaks for the business, not as a source:
# '"Most of my patients are pain-free," says our physiotherapist Owen Marsh.'
_OWN_PRACTICE = compile_pattern(
    r"(?i)\b(?:my|our)\s+(?:[\w-]+\s+){0,3}?(?:patients|clients|customers|clinic|practice|team|"
    r"therapy|treatments?|programme|program|products?)\b")


def _citations(text: str) -> list[str]:
    found = [m.group() for m in _CITATION.finditer(text)]
    named = _named_authority().search(text)
    if named:
        found.append(named.group())  # a named health agency or society: "the CDC estimates"
    if _SPEECH.search(text):
        found += [m.group() for m in _ATTRIBUTION.finditer(text)
                  if not _OWN_PRACTICE.search(text, max(0, m.start() - 200), m.end() + 100)]
    return found


@functools.lru_cache(maxsize=1)
def authorities() -> tuple[tuple[str, ...], frozenset[str], Any]:
    data = read_data("authoritative-sources.yaml")
    names = _phrases(data["names"])
    return tuple(data["suffixes"]), frozenset(data["domains"]), names


@functools.lru_cache(maxsize=1)
def _named_authority() -> Any:
    """The authorities' names matched case-sensitively: "WHO" names the agency, "who" does not."""
    names = read_data("authoritative-sources.yaml")["names"]
    parts = sorted((regex.escape(str(n)).replace(r"\ ", r"\s+") for n in names), key=len,
                   reverse=True)
    return compile_pattern(r"\b(?:" + "|".join(parts) + r")(?![\w-])")


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


_FOOTNOTE_DEF = compile_pattern(r"(?m)^\s*\[\^([^\]]+)\]:\s*$")  # just before the block
_FOOTNOTE_REF = compile_pattern(r"^\[\^([^\]]+)\]$")
_BARE_URL = compile_pattern(r"https?://[^\s)\]>\"']+")
_footnote_cache: list[Any] = [None, {}]


def _footnote_urls(doc: Document) -> dict[str, tuple[str, ...]]:
    """Footnote label -> the external URLs its definition gives ("[^4]: Some blog. https://...")."""
    if _footnote_cache[0] is doc:
        return _footnote_cache[1]
    table: dict[str, tuple[str, ...]] = {}
    for block in doc.blocks:
        start = block.source_span(0, 0)[0]
        m = _FOOTNOTE_DEF.search(doc.text, max(0, start - 40), start)
        if m is None:
            continue
        urls = [link.url for link in block.links if doc.is_external(link)]
        urls += [u.rstrip(".,;") for u in _BARE_URL.findall(block.text)]
        table[m.group(1)] = tuple(dict.fromkeys(urls))
    _footnote_cache[:] = [doc, table]
    return table


def _resolve(doc: Document, found: list[str]) -> list[str]:
    """A footnote whose definition is only a link counts as that link, so a footnote to a blog
    is weak evidence like a link to it (annotation guide: weak-source)."""
    if not any(f.startswith("[^") for f in found):
        return found
    table = _footnote_urls(doc)
    out: list[str] = []
    for f in found:
        m = _FOOTNOTE_REF.match(f)
        urls = table.get(m.group(1)) if m else None
        out += list(urls) if urls else [f]
    return out


def evidence(doc: Document, block: Block, start: int, end: int) -> tuple[str, ...]:
    """What backs the sentence: citations in it, or links and citations in its paragraph."""
    found: list[str] = []
    sentence = block.text[start:end]
    found += _citations(sentence)
    found += [link.url for link in _sentence_links(block, start, end, doc)]
    if not found:
        found += _citations(block.text)
        found += [link.url for link in block.links if doc.is_external(link)]
    return tuple(_resolve(doc, found))


# A review's signature after the quote: '"... worked." (Hannah P.)'.
_ATTRIBUTION_TAIL = compile_pattern(r"(?<=[.!?][\"”’']?)\s*[(—–-]\s*[^()\n]{0,40}\)?\s*$")


def prose_sentences(doc: Document, spacy_doc: Callable[[Block], Any]
                    ) -> Iterator[tuple[Block, Any]]:
    """The sentences claims are looked for in (spaCy spans with their blocks): headings,
    table cells and reference lists name and cite, they do not claim."""
    for block in doc.blocks:
        if block.kind in ("heading", "table_cell") or doc.in_reference_list(block):
            continue
        sdoc = spacy_doc(block)
        if sdoc is not None:
            for sent in sdoc.sents:
                yield block, sent


# An experimental learned verdict (tools/claims_model.py) can be plugged in here: it takes a
# sentence, the rules' verdict and the cue matches and returns the verdict. Off when None.
LearnedVerdict = Callable[[Any, tuple[str, str] | None, dict[str, Any]], tuple[str, str] | None]
learned_verdict: LearnedVerdict | None = None


def claim_sentences(doc: Document, ctx: Any) -> list[Claim]:
    """Every claim sentence of the document, cached per document for all claims rules: those
    the cues grade, and those :mod:`medlint.rules.claims.policy` says need a source (a statistic
    with no causal verb, a testimonial) even when no strength cue fired. When the learned
    scorer (:mod:`medlint.rules.claims.scorer`) ships, it decides which unsupported ones need a
    source and gives each its confidence."""
    key = "claims/sentences"
    if key in ctx.shared:
        return ctx.shared[key]
    learned = learned_verdict
    claims: list[Claim] = []
    found: list[tuple[dict[str, Any], Any]] = []
    page_sources = front_matter_sources(doc)
    for block, sent in prose_sentences(doc, ctx.spacy):
        hits: dict[str, Any] = {}
        result = classify(sent, hits)
        text = sent.text
        start, end = sent.start_char, sent.start_char + len(text.rstrip())
        if learned is not None:
            result = learned(sent, result, hits)
        story = bool(hits.get("testimonial")) or (not hits.get("shape") and _testimonial(text))
        verdict = None if hits.get("shape") else claims_policy.assess(text, story)
        if result is None:
            if verdict is None:
                if record_all is not None:
                    record_all.append((block, start, end, bool(evidence(doc, block, start, end)
                                                               or page_sources)))
                continue
            hedge = cues().hedges.search(text)
            result = ("hedged", hedge.group()) if hedge else ("causal", verdict.cue)
        if verdict is not None and verdict.kind == "guarantee":
            result = ("absolute", verdict.cue)  # "cures arthritis" promises, whatever the verb
        tail = _ATTRIBUTION_TAIL.search(text)
        if tail:
            end = sent.start_char + tail.start()  # the quote, not its "(Hannah P.)"
        support = evidence(doc, block, start, end) or page_sources
        cue = verdict.cue if verdict is not None else result[1]  # what makes it need a source
        claims.append(Claim(block, start, end, result[0], cue, bool(support), support,
                            verdict.kind if verdict else None,
                            verdict.confidence if verdict else 0.0))
        found.append((hits, verdict))
    _score(claims, found, bool(page_sources), record_all or ())
    if record_all:
        record_all.clear()
    ctx.shared[key] = claims
    return claims


# Training hook (tools/train_claims_source.py): when a list, every claim sentence's features,
# source offsets and rule verdict are appended to it.
record: list[dict[str, Any]] | None = None
# Experiment hook: when a list (and ``record`` is one), the sentences no cue grades are
# recorded too, with ``candidate: False``: (block, start, end, supported) per sentence.
record_all: list[tuple[Block, int, int, bool]] | None = None


def _score(claims: list[Claim], found: list[tuple[dict[str, Any], Any]],
           front_sources: bool, others: Iterable[tuple[Block, int, int, bool]] = ()) -> None:
    """The learned scorer's say on each unsupported claim: a kind when it wants a source, none
    when it does not (guarantees and testimonials keep the rules' verdict), and its probability
    as the confidence. ``others`` (non-candidate sentences) are only recorded for the trainer."""
    from medlint.learned import sigmoid
    from medlint.rules.claims import scorer

    model = scorer.model()
    if model is None and record is None:
        return
    page = scorer.page_context((c.text for c in claims), (c.supported for c in claims),
                               front_sources)
    threshold = model.threshold if model is not None and model.threshold is not None else 0.5
    for claim, (hits, _verdict) in zip(claims, found, strict=True):
        text = claim.text
        if record is None and (model is None or claim.supported):
            continue  # nothing to score and no trainer listening: skip the features
        feats = scorer.features(text, claim.strength, claim.kind, hits, names_authority(text),
                                page)
        if record is not None:
            record.append({"offsets": claim.block.source_span(claim.start, claim.end),
                           "features": feats, "kind": claim.kind, "supported": claim.supported,
                           "text": text})
        if model is None or claim.supported:
            continue
        z = model.score(feats)
        confidence = scorer.calibrated(model, z)
        if claim.kind in ("guarantee", "testimonial"):
            claim.confidence = max(confidence, claim.confidence)
            continue
        if sigmoid(z) < threshold:
            claim.kind = None
        elif claim.kind is None:
            if claims_policy.cleared(text):
                continue  # a reference value, "100% online", a definition
            claim.kind = "statistic" if hits.get("statistic") else "efficacy"
        claim.confidence = confidence
    if record is not None:
        for block, start, end, supported in others:
            text = block.text[start:end]
            record.append({"offsets": block.source_span(start, end),
                           "features": scorer.features(text, None, None, {},
                                                       names_authority(text), page),
                           "kind": None, "supported": supported, "text": text,
                           "candidate": False})


# Every testimonial pattern needs one of these words, so most sentences skip the 28 patterns.
_TESTIMONIAL_GATE = compile_pattern(
    r"(?i)\b(?:i|my|me|we|our|her|his|their|she|he|patients|clients|customers|users|members|"
    r"parents|families|people|women|men|hundreds|thousands|millions|success|satisfied|swear|"
    r"rave|later)\b|\d[\d,]*\+")


def _testimonial(text: str) -> bool:
    """A success story offered as proof, in any claim sentence (even one with a causal verb:
    "Dr. X has successfully treated hundreds of patients")."""
    return bool(_TESTIMONIAL_GATE.search(text)) and any(
        p.search(text) for p in testimonial_patterns())


_SOURCE_KEYS = ("citations", "references", "sources", "bibliography")


def front_matter_sources(doc: Document) -> tuple[str, ...]:
    """The page's own source list in front matter (``citations:``, ``references:``,
    ``sources:``), which backs the claims of the page as a whole."""
    found: list[str] = []
    for key, value in doc.front_matter.items():
        if str(key).lower() not in _SOURCE_KEYS:
            continue
        items = value if isinstance(value, list) else [value]
        found += [str(v) for v in items if v]
    return tuple(found)


def iter_unsupported(claims: Iterable[Claim]) -> Iterator[Claim]:
    return (c for c in claims if not c.supported)
