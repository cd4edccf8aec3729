"""Signals for phrases pasted into sentences (link anchors, page titles, search queries).

An inserted phrase leaves traces that a single signal cannot tell apart from honest prose
(noun compounds, proper names, words used once), so the detector scores whole candidate
spans on many weak signals at once and reports a span only when together they agree:

* lexical cohesion: content words of the span that occur nowhere else in the document;
* shape: lower-case acronyms ("aa"), query words ("near me", "reviews"), a US state after a
  place name, Title Case runs that start and stop exactly at the span's edges;
* syntax: the part-of-speech seams at both edges of the span, and the seam left behind
  when the span is removed (a good insertion candidate leaves a well-formed join). Tags
  only: features from the dependency parse cost as much as the rest of the pipeline and
  added about three points of recall on generated insertions (measured when they were
  dropped, docs/rules/spam.md);
* repository context: the span matches the title, a heading or the slug of another article.

The weights are fitted by ``tools/train_spam_insertion.py`` on generated insertions
(development seed only) and shipped as data in ``lint_rules/data/spam-insertion-model.yaml``.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medlint import learned
from medlint.resources import read_data

MAX_SPAN = 18  # tokens; longer pastes are rare and would make enumeration costly
HARD_PUNCT = {".", ";", "(", ")", "[", "]", "!", "?", "\"", "“", "”", "…"}
INNER_PUNCT = {"(", ")", "—", "–", ":", ",", "|", "&"}  # allowed inside a span, not at an edge
SOFT_PUNCT = {":", "|", "&", "-", "/", ",", "'s", "’s", "+"}
CONTENT_POS = {"NOUN", "PROPN", "ADJ", "VERB", "NUM", "X"}
NOMINAL_POS = {"NOUN", "PROPN", "ADJ", "NUM", "X"}
FINITE_TAGS = {"VBZ", "VBP", "VBD", "MD"}
STOP = frozenset([
    "a", "an", "the", "and", "or", "but", "of", "for", "in", "on", "at", "to", "from",
    "by", "with", "without", "as", "is", "are", "was", "were", "be", "been", "being",
    "it", "its", "this", "that", "these", "those", "there", "their", "they", "them",
    "you", "your", "we", "our", "us", "i", "me", "my", "he", "she", "his", "her", "him",
    "not", "no", "do", "does", "did", "can", "could", "will", "would", "should", "may",
    "might", "must", "has", "have", "had", "than", "then", "so", "such", "very", "more",
    "most", "less", "least", "also", "just", "only", "if", "when", "while", "which",
    "who", "whom", "whose", "what", "where", "why", "how", "all", "any", "each", "other",
    "some", "many", "much", "few", "one", "two", "three", "into", "about", "over",
    "under", "after", "before", "during", "between", "through", "up", "down", "out",
    "off", "again", "further", "once",
])
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")
_YEAR = re.compile(r"^(19[89]\d|20[0-4]\d)$")


@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """Acronyms, query phrases, states, brand suffixes and legally required statements from
    lint_rules/data/spam-insertion.yaml."""
    data = read_data("spam-insertion.yaml")
    states = {str(s).lower() for s in data["states"]}
    return {
        "acronyms": frozenset(str(a).lower() for a in data["acronyms"]),
        "query": tuple(sorted({str(q).lower() for q in data["query_phrases"]},
                              key=lambda q: -len(q))),
        "query_by_first": _by_first_word(str(q).lower() for q in data["query_phrases"]),
        "states": frozenset(states),
        # lower-case state abbreviations that are ordinary words do not count in lower case
        "states_lower": frozenset(s for s in states if (s not in STOP and len(s) > 2)
                                  or s in {"fl", "tx", "nj", "ny", "nc", "sc", "az", "nv",
                                           "ga", "ky", "tn", "wa", "va", "pa", "ct", "nm"}),
        "brands": frozenset(str(b).lower() for b in data["brand_suffixes"]),
        "weak": frozenset(str(w).lower() for w in data.get("weak_query", ())),
        "required": tuple(re.compile(str(p), re.IGNORECASE)
                          for p in data.get("required_statements", ())),
    }


def _by_first_word(phrases: Iterable[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Query phrases split into words, by first word, the longest (in characters) first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(set(phrases), key=lambda q: -len(q)):
        parts = tuple(phrase.split())
        if parts:
            index.setdefault(parts[0], []).append(parts)
    return {first: tuple(found) for first, found in index.items()}


MODEL_FILE = "spam-insertion-model.yaml"
EVIDENCE = ("cohesion", "shape", "repo", "syntax")  # the keys of SentenceSignals.evidence
# Every name SentenceSignals.features can emit; the shipped weights are checked against it.
FEATURES = learned.FeatureSpec(
    frozenset({"foreign", "foreign_frac", "foreign_all", "foreign_out", "acro", "query",
               "state", "year", "brand", "brand_end", "finite", "comma", "colon", "gaz_frac",
               "gaz_exact", "content_frac", "all_finite_inside", "titlecase_run",
               "titlecase_edges", "lower_run", "nominal_frac", "ev_cohesion_shape", "link"}
              | {"ev_" + name for name in EVIDENCE}),
    ("len=", "lcase_lr=", "rcase_lr=", "lseam=", "rseam=", "join=", "first=", "last=",
     "ltag=", "rtag=", "jtag=", "agree=", *(f"ev_{name}_len=" for name in EVIDENCE)))


@functools.lru_cache(maxsize=1)
def model() -> dict[str, Any]:
    """Fitted weights (feature name to weight), the bias and the reporting threshold."""
    m = learned.load(MODEL_FILE, FEATURES)
    if m is None:
        return {"bias": -10.0, "threshold": 0.5, "min_agree": 2, "weights": {}}
    return {"bias": m.bias, "threshold": m.threshold,
            "min_agree": int(m.meta.get("min_agree", 2)), "weights": m.weights}


def stem(word: str) -> str:
    """A crude English stem, enough to match 'meetings' with 'meeting' for cohesion."""
    w = word.lower().replace("’", "'")
    for suffix in ("'s", "ies", "ing", "es", "ed", "s", "ly"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@functools.lru_cache(maxsize=65536)
def token_stems(text: str) -> tuple[str, ...]:
    """Stems of the words of one token's text (tokens repeat, so this is cached)."""
    return tuple(stem(w) for w in words(text))


@dataclass
class DocContext:
    """Document-wide facts the span scorer needs: word counts and the run's gazetteer."""

    counts: Counter[str]
    upper_words: frozenset[str]  # words written in capitals somewhere (ADHD, AA)
    gazetteer: Gazetteer | GazetteerView | None = None

    @classmethod
    def build(cls, texts: Iterable[str], other_titles: Iterable[str] = (),
              gazetteer: Gazetteer | None = None) -> DocContext:
        counts: Counter[str] = Counter()
        upper: set[str] = set()
        for text in texts:
            counts.update(stem(w) for w in words(text))
            upper.update(m.lower() for m in re.findall(r"\b[A-Z]{2,6}s?\b", text))
        if gazetteer is None:
            gazetteer = Gazetteer()
            for title in other_titles:
                gazetteer.add(title)
        return cls(counts, frozenset(upper), gazetteer)


class Gazetteer:
    """Titles and headings of the run's articles, indexed by their first two words, each with
    the articles it belongs to. Built once per run and shared by every document (a document
    sees it through ``view``, without its own titles), so a run costs time linear in its
    number of articles."""

    def __init__(self) -> None:
        self._index: dict[tuple[str, str], dict[tuple[str, ...], set[str]]] = {}

    def add(self, title: str, owner: str = "") -> None:
        toks = tuple(words(title))
        content = [t for t in toks if t not in STOP]
        if len(toks) >= 3 and len(content) >= 2:
            self._index.setdefault(toks[:2], {}).setdefault(toks, set()).add(owner)

    def __bool__(self) -> bool:
        return bool(self._index)

    def get(self, first: str, second: str) -> list[tuple[str, ...]]:
        return list(self._index.get((first, second), ()))

    def view(self, owner: str, own_titles: Iterable[str]) -> GazetteerView:
        return GazetteerView(self, owner, frozenset(" ".join(words(t)) for t in own_titles))


class GazetteerView:
    """The run's gazetteer as one document sees it: other articles' titles only."""

    def __init__(self, gazetteer: Gazetteer, owner: str, own: frozenset[str]) -> None:
        self._gazetteer, self._owner, self._own = gazetteer, owner, own

    def __bool__(self) -> bool:
        return bool(self._gazetteer)

    def get(self, first: str, second: str) -> list[tuple[str, ...]]:
        found = self._gazetteer._index.get((first, second), {})
        return [toks for toks, owners in found.items()
                if owners - {self._owner} and " ".join(toks) not in self._own]


_SHAPE = ("acro", "query", "state", "year", "brand", "colon")  # flags of "shape" evidence


@dataclass
class Candidate:
    start: int  # char offsets within the spaCy doc (block text)
    end: int
    score: float
    features: dict[str, float]

    @property
    def probability(self) -> float:
        return learned.sigmoid(self.score)


def _case(text: str) -> str:
    if text.isupper() and len(text) > 1:
        return "UP"
    if text[:1].isupper():
        return "TI"
    if text[:1].islower():
        return "LO"
    return "OT"


def _coarse(text: str, pos: str, tag: str) -> str:
    if pos == "PUNCT":
        return "P" + (text if text in {",", ":", "-", "|"} else "")
    if pos == "AUX" or tag in FINITE_TAGS:
        return "VFIN"
    if pos == "VERB":
        return "V" + tag[-1:]  # VB, VBG, VBN -> B, G, N
    return pos


def _bucket(n: float, edges: Sequence[float]) -> str:
    for i, edge in enumerate(edges):
        if n <= edge:
            return str(i)
    return str(len(edges))


class SentenceSignals:
    """Per-token evidence for one sentence, with prefix sums so spans score in O(1)."""

    def __init__(self, sent: Any, ctx: DocContext) -> None:
        lex = lexicon()
        toks = list(sent)
        self.toks = toks
        n = len(toks)
        # Token attributes read once: spaCy builds a Python object on every attribute access.
        texts = [t.text for t in toks]
        self.texts = texts
        self.pos = pos = [t.pos_ for t in toks]
        self.tags = tags = [t.tag_ for t in toks]
        self.punct = [t.is_punct for t in toks]
        stems = [token_stems(text) for text in texts]
        sent_counts = Counter(w for ws in stems for w in ws)
        lowers = [text.lower() for text in texts]
        self.lowers = lowers
        self.coarse = [_coarse(text, p, tag) for text, p, tag in zip(texts, pos, tags,
                                                                        strict=True)]
        self.case = [_case(text) for text in texts]
        hard = [text in HARD_PUNCT for text in texts]
        content = [p in CONTENT_POS and lw not in STOP and len(text) > 2
                   for text, lw, p in zip(texts, lowers, pos, strict=True)]
        counts = ctx.counts
        foreign = [is_content and bool(ws) and all(counts[w] - sent_counts[w] <= 0 for w in ws)
                   for is_content, ws in zip(content, stems, strict=True)]
        acro = [(lw in lex["acronyms"] and text.islower())
                or (text.islower() and len(lw) >= 2 and lw in ctx.upper_words
                    and lw not in STOP and len(lw) <= 5)
                for text, lw in zip(texts, lowers, strict=True)]
        query = [False] * n
        weak = [lw in lex["weak"] for lw in lowers]
        by_first = lex["query_by_first"]
        for i in range(n):
            if weak[i] and ((i + 1 < n and weak[i + 1]) or (i > 0 and weak[i - 1])):
                query[i] = True
                continue
            for parts in by_first.get(lowers[i], ()):
                if tuple(lowers[i:i + len(parts)]) == parts:
                    for k in range(i, i + len(parts)):
                        query[k] = True
                    break
        state = [(lw in lex["states_lower"] if text.islower() else
                  (text.isupper() and lw in lex["states"]) or
                  (text.istitle() and lw in lex["states"] and len(lw) > 2))
                 and i > 0 and pos[i - 1] in {"PROPN", "NOUN"}
                 for i, (text, lw) in enumerate(zip(texts, lowers, strict=True))]
        year = [bool(_YEAR.match(text)) for text in texts]
        midcap = [i > 0 and self.case[i] == "TI" and not hard[i - 1] for i in range(n)]
        brand = [lw in lex["brands"] for lw in lowers]
        finite = [c == "VFIN" for c in self.coarse]
        comma = [text == "," for text in texts]
        colon = [text in {"|", "—", "–"} or (
            text == ":" and i + 1 < n and (
                self.case[i + 1] in {"TI", "UP"}
                or lowers[i + 1] in {"what", "how", "why", "when", "who", "your", "a", "the"}
                or tags[i + 1] == "VBG"))
            for i, text in enumerate(texts)]
        gaz = [False] * n
        if ctx.gazetteer:
            i = 0
            while i < n:
                best = 0
                nxt = i + 1
                while nxt < n and not stems[nxt]:
                    nxt += 1
                second = lowers[nxt] if nxt < n else ""
                for title in ctx.gazetteer.get(lowers[i], second):
                    k = 0
                    j = i
                    while j < n and k < len(title):
                        if not stems[j]:
                            j += 1
                            continue
                        if lowers[j] != title[k]:
                            break
                        j += 1
                        k += 1
                    if k == len(title):
                        best = max(best, j - i)
                for k in range(i, i + best):
                    gaz[k] = True
                i += max(best, 1)
        # A token that can make a span worth scoring.
        trigger = [foreign[i] or acro[i] or query[i] or state[i] or gaz[i] or year[i]
                   or (midcap[i] and pos[i] != "PROPN") for i in range(n)]
        self.flags = {"hard": hard, "content": content, "foreign": foreign, "acro": acro,
                      "query": query, "state": state, "year": year, "midcap": midcap,
                      "brand": brand, "finite": finite, "comma": comma, "gaz": gaz,
                      "colon": colon, "trigger": trigger}
        self.prefix = {}
        for name, values in self.flags.items():
            acc = [0]
            for v in values:
                acc.append(acc[-1] + (1 if v else 0))
            self.prefix[name] = acc
        self._shape_sums: tuple[list[int], list[int]] | None = None

    def _make_shape_sums(self) -> tuple[list[int], list[int]]:
        """Prefix sums of Title Case words (function words, punctuation and numbers allowed
        in titles) and of nominal words; built on the first scored span of the sentence."""
        titled, nominals = [0], [0]
        for k, tok in enumerate(self.toks):
            titled.append(titled[-1] + (self.case[k] in {"TI", "UP"} or self.lowers[k] in STOP
                                        or self.punct[k] or tok.like_num))
            nominals.append(nominals[-1] + (self.pos[k] in NOMINAL_POS))
        return titled, nominals

    def count(self, name: str, i: int, j: int) -> int:
        p = self.prefix[name]
        return p[j] - p[i]

    def spans(self) -> Iterable[tuple[int, int]]:
        """Candidate spans with the shape of a pasted title or query: no hard punctuation
        inside, a trigger, and at the edges neither punctuation nor the host's function
        words (``_bad_start``, ``_bad_end``)."""
        n = len(self.toks)
        hard, punct = self.flags["hard"], self.punct
        content, triggers = self.prefix["content"], self.prefix["trigger"]
        ends = [not (punct[k] or self._bad_end(k)) for k in range(n)]
        for i in range(n):
            if hard[i] or punct[i] or self._bad_start(i):
                continue
            for j in range(i + 1, min(n, i + MAX_SPAN) + 1):
                if hard[j - 1]:
                    break
                if not ends[j - 1] or content[j] == content[i] or triggers[j] == triggers[i]:
                    continue
                if not self._plausible_body(i, j):
                    continue
                yield i, j

    def _bad_start(self, i: int) -> bool:
        """A determiner, conjunction or preposition of the host cannot start a span."""
        c_first, first = self.coarse[i], self.lowers[i]
        return c_first in {"DET", "CCONJ", "SCONJ", "PART"} or (
            c_first == "ADP" and first not in {"near"}) or (
            c_first == "PRON" and first not in {"what", "how", "which", "who"})

    def _bad_end(self, k: int) -> bool:
        """A function word cannot end a span."""
        c_last = self.coarse[k]
        return c_last in {"DET", "CCONJ", "SCONJ", "ADP", "PART", "AUX"} or (
            c_last == "PRON" and self.lowers[k] not in {"me", "it", "you", "them"})

    def _plausible_body(self, i: int, j: int) -> bool:
        """Mostly content words unless it reads as a query; a finite verb only in a query or
        a title."""
        prefix = self.prefix
        length = j - i
        content = prefix["content"][j] - prefix["content"][i]
        marked = (prefix["query"][j] - prefix["query"][i] + prefix["gaz"][j] - prefix["gaz"][i]
                  + prefix["acro"][j] - prefix["acro"][i])
        if length >= 3 and content / length < 0.5 and not marked:
            return False
        return not (prefix["finite"][j] - prefix["finite"][i] and not marked
                    and self.case[i] != "TI")

    def evidence(self, i: int, j: int) -> dict[str, bool]:
        """Independent kinds of evidence; a span is reported only when two agree."""
        prefix = self.prefix
        content = max(prefix["content"][j] - prefix["content"][i], 1)
        foreign = prefix["foreign"][j] - prefix["foreign"][i]
        n = len(self.toks)
        case = self.case
        title_edges = (i > 0 and case[i] in {"TI", "UP"} and case[i - 1] == "LO"
                       and (j == n or case[j] in {"LO", "OT"}))
        shape = title_edges or any(prefix[name][j] != prefix[name][i] for name in _SHAPE)
        return {
            "cohesion": foreign >= 2 and foreign / content >= 0.5,
            "shape": shape,
            "repo": prefix["gaz"][j] - prefix["gaz"][i] >= 3,
            "syntax": self.glued(i, j),
        }

    def passes(self, i: int, j: int, min_agree: int = 2,
               ev: Mapping[str, bool] | None = None) -> bool:
        """Two kinds of evidence agree. A match with another article's title is one kind, not
        enough alone: prose mentions other pages' subjects ("Hormone replacement therapy
        (HRT) is...") far more often than the generator's insertions suggest."""
        ev = self.evidence(i, j) if ev is None else ev
        return sum(ev.values()) >= min_agree

    def glued(self, i: int, j: int) -> bool:
        """The span is glued to noun-phrase material on a side where a phrase boundary
        would be expected: a noun run continuing into it, or a new noun phrase after it."""
        nominal = {"NOUN", "PROPN", "ADJ", "NUM"}
        n = len(self.toks)
        left = self.coarse[i - 1] if i > 0 else "START"
        right = self.coarse[j] if j < n else "END"
        first, last = self.coarse[i], self.coarse[j - 1]
        if last in {"NOUN", "PROPN", "VN", "ADJ"} and (right in nominal | {"DET", "VG"} or (
                right == "PRON" and self.tags[j] == "PRP$")):
            return True
        if left in {"NOUN", "PROPN"} and first in nominal | {"VG"}:
            return True
        return left in {"DET", "ADJ"} and first in {"VG", "VFIN", "PRON", "ADV"}

    def features(self, i: int, j: int, ev: Mapping[str, bool] | None = None
                 ) -> dict[str, float]:
        """Features of span [i, j) (token indices within the sentence); ``ev`` is its
        ``evidence`` when the caller has it already."""
        toks = self.toks
        n = len(toks)
        length = j - i
        c = self.count
        content = c("content", i, j)
        feats: dict[str, float] = {
            "len=" + _bucket(length, (1, 2, 3, 4, 6, 8, 11)): 1.0,
            "foreign": c("foreign", i, j),
            "foreign_frac": c("foreign", i, j) / max(content, 1),
            "foreign_all": float(c("foreign", i, j) == content),
            "foreign_out": self._foreign_outside(i, j),
            "acro": min(c("acro", i, j), 2),
            "query": min(c("query", i, j), 3),
            "state": min(c("state", i, j), 1),
            "year": min(c("year", i, j), 1),
            "brand": min(c("brand", i, j), 1),
            "brand_end": float(self.flags["brand"][j - 1]),
            "finite": min(c("finite", i, j), 2),
            "comma": min(c("comma", i, j), 2),
            "colon": min(c("colon", i, j), 2),
            "gaz_frac": c("gaz", i, j) / length,
            "gaz_exact": float(c("gaz", i, j) == length and length >= 3
                               and (i == 0 or not self.flags["gaz"][i - 1])
                               and (j == n or not self.flags["gaz"][j])),
            "content_frac": content / length,
            # Removing a pasted phrase leaves a sentence: it seldom holds every finite verb.
            "all_finite_inside": float(c("finite", i, j) > 0
                                       and c("finite", i, j) == c("finite", 0, n)),
        }
        # Casing: a Title Case run that starts and stops exactly at the span's edges.
        cases = self.case[i:j]
        if self._shape_sums is None:
            self._shape_sums = self._make_shape_sums()
        titled, nominals = self._shape_sums
        title_words = titled[j] - titled[i]
        left_case = self.case[i - 1] if i > 0 else "START"
        right_case = self.case[j] if j < n else "END"
        all_title = title_words == length and cases[0] in {"TI", "UP"}
        feats["titlecase_run"] = float(all_title and length >= 2)
        feats["titlecase_edges"] = float(all_title and length >= 2 and left_case == "LO"
                                         and right_case in {"LO", "END", "OT"})
        feats["lower_run"] = float(all(cs in {"LO", "OT"} for cs in cases))
        feats["lcase_lr=" + left_case + cases[0]] = 1.0
        feats["rcase_lr=" + cases[-1] + right_case] = 1.0
        # Part-of-speech seams at both edges and the join that removing the span leaves.
        left = self.coarse[i - 1] if i > 0 else "START"
        right = self.coarse[j] if j < n else "END"
        first, last = self.coarse[i], self.coarse[j - 1]
        feats["lseam=" + left + "_" + first] = 1.0
        feats["rseam=" + last + "_" + right] = 1.0
        feats["join=" + left + "_" + right] = 1.0
        feats["first=" + first] = 1.0
        feats["last=" + last] = 1.0
        tags = self.tags
        ltag = tags[i - 1] if i > 0 else "START"
        rtag = tags[j] if j < n else "END"
        feats["ltag=" + ltag + "_" + tags[i]] = 1.0
        feats["rtag=" + tags[j - 1] + "_" + rtag] = 1.0
        feats["jtag=" + ltag + "_" + rtag] = 1.0
        # Nominal run: the span is a run of nouns/adjectives continuing a noun run.
        nominal = nominals[j] - nominals[i]
        feats["nominal_frac"] = nominal / length
        ev = self.evidence(i, j) if ev is None else ev
        agree = sum(ev.values())
        feats["agree=" + str(agree)] = 1.0
        for name, on in ev.items():
            if on:
                feats["ev_" + name] = 1.0
                feats[f"ev_{name}_len={_bucket(length, (2, 4, 7))}"] = 1.0
        if ev["cohesion"] and ev["shape"]:
            feats["ev_cohesion_shape"] = 1.0
        feats["link"] = 0.0
        return feats

    def _foreign_outside(self, i: int, j: int) -> float:
        """Share of the sentence's content words outside the span that are foreign."""
        total = self.count("content", 0, len(self.toks)) - self.count("content", i, j)
        if total <= 0:
            return 0.0
        outside = self.count("foreign", 0, len(self.toks)) - self.count("foreign", i, j)
        return outside / total


score = learned.linear  # the trainer (tools/train_spam_insertion.py) scores with the same sum


def find_insertions(sent: Any, ctx: DocContext, threshold: float | None = None,
                    links: Sequence[tuple[int, int]] = ()) -> list[Candidate]:
    """Non-overlapping spans of ``sent`` (a spaCy Span) scored above the threshold; only
    spans with as many kinds of evidence as the model was trained on are scored."""
    m = model()
    weights, bias, min_agree = m["weights"], m["bias"], m["min_agree"]
    limit = m["threshold"] if threshold is None else threshold
    logit = math.log(limit / (1 - limit))
    sig = SentenceSignals(sent, ctx)
    scored: list[tuple[float, int, int, dict[str, float]]] = []
    for i, j in sig.spans():
        ev = sig.evidence(i, j)
        if not sig.passes(i, j, min_agree, ev):
            continue
        feats = sig.features(i, j, ev)
        start, end = sig.toks[i].idx, sig.toks[j - 1].idx + len(sig.toks[j - 1].text)
        if any(a <= start and end <= b for a, b in links):
            feats["link"] = 1.0
        s = score(feats, weights, bias)
        if s >= logit:
            scored.append((s, i, j, feats))
    scored.sort(key=lambda x: -x[0])
    taken: list[Candidate] = []
    used: set[int] = set()
    for s, i, j, feats in scored:
        if used.intersection(range(i, j)):
            continue
        used.update(range(i, j))
        toks = sig.toks
        taken.append(Candidate(toks[i].idx, toks[j - 1].idx + len(toks[j - 1].text), s, feats))
    return sorted(taken, key=lambda c: c.start)
