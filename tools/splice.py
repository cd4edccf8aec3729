"""Synthetic splices for evaluating spam/off-topic-sentence and spam/incoherent-list.

A case takes a clean *host* article and a *donor* article from another subject area and
splices donor text into the host the way scraped mash-ups and broken CMS migrations do:

* ``sentence``: one donor sentence inserted between two host sentences of a paragraph;
* ``paragraph``: a donor paragraph (two or more sentences) inserted after a host paragraph;
* ``item``: a donor sentence added as an item of a host list (Markdown hosts with lists);
* ``mashup``: a new list of five or six sentences drawn from several articles, inserted
  after a host paragraph (the seed article's numbered list has this shape).

Every case is a function of its seed, so a benchmark can keep separate *dev* seeds (for
tuning) and *report* seeds (only ever measured). Labels follow
corpus/labels/spam-coherence.yaml: one span per spliced sentence, the whole list for a
mash-up. Donors come from a different subject area than the host, judged by the file
name's subject words (DOMAINS), not by the detector.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medlint.documents import parse_document
from medlint.documents.model import Block, Document

DEV_SEEDS = range(0, 120)
REPORT_SEEDS = range(10_000, 10_120)
KINDS = ("sentence", "sentence", "paragraph", "item", "mashup")

# Subject areas by words in the article's file name: a donor never shares the host's area.
DOMAINS: dict[str, tuple[str, ...]] = {
    "addiction": ("alcohol", "opioid", "heroin", "kratom", "cocaine", "suboxone", "methadone",
                  "benzodiazepine", "detox", "rehab", "naloxone", "fentanyl", "withdrawal"),
    "cardiometabolic": ("statin", "atorvastatin", "cholesterol", "blood-pressure",
                        "hypertension", "diabetes", "metformin", "stroke", "heart"),
    "mental": ("depression", "adhd", "anxiety", "antidepressant", "insomnia", "sleep"),
    "skin": ("eczema", "psoriasis", "acne", "head-lice"),
    "gut": ("ibs", "fodmap", "coeliac", "celiac", "hepatitis", "bowel"),
    "musculoskeletal": ("knee", "hip", "back-pain", "osteoporosis", "arthritis"),
    "respiratory": ("asthma", "copd", "apnea", "apnoea", "cpap"),
    "infection": ("vaccine", "shingles", "flu", "travel"),
    "women": ("pregnancy", "menopause", "contracept"),
    "neuro": ("migraine", "headache", "hearing"),
}

_MIN_WORDS = 8
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(])")


def domain_of(path: Path) -> str:
    name = path.stem.lower()
    for domain, words in DOMAINS.items():
        if any(w in name for w in words):
            return domain
    return "other:" + name


def split_sentences(text: str) -> list[str]:
    """A plain splitter (enough for donor prose); keeps "Dr." and "e.g." whole."""
    text = " ".join(text.split())
    parts = _SENT.split(text)
    out: list[str] = []
    for part in parts:
        if out and re.search(r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|e\.g|i\.e|vs|approx)\.$", out[-1]):
            out[-1] += " " + part
        else:
            out.append(part)
    return [s for s in out if s]


@dataclass
class Article:
    path: Path
    text: str
    doc: Document
    domain: str

    def paragraphs(self) -> list[Block]:
        return [b for b in self.doc.blocks if b.kind == "paragraph" and not b.in_blockquote
                and len(b.text.split()) >= 12]

    def lists(self) -> dict[int, list[Block]]:
        out: dict[int, list[Block]] = {}
        for b in self.doc.blocks:
            if b.kind == "list_item" and b.list_id is not None and b.depth <= 1:
                out.setdefault(b.list_id, []).append(b)
        return out


@dataclass
class Case:
    seed: int
    kind: str
    host: Path
    donor: Path
    text: str
    labels: list[dict[str, str]] = field(default_factory=list)
    name: str = ""


def load_articles(paths: Iterable[Path]) -> list[Article]:
    out = []
    for path in sorted(paths):
        text = path.read_text(encoding="utf-8-sig")
        out.append(Article(path, text, parse_document(str(path), text), domain_of(path)))
    return out


def _donor_sentences(article: Article) -> list[str]:
    """Self-contained donor sentences: prose, long enough, not pointing back with a pronoun."""
    out = []
    for block in article.paragraphs():
        for sent in split_sentences(block.text):
            words = sent.split()
            if len(words) < _MIN_WORDS or not sent.endswith((".", "!")):
                continue
            if words[0].lower() in {"it", "they", "this", "these", "those", "he", "she",
                                    "that", "such", "but", "however", "also", "so", "and"}:
                continue  # a dangling opener would make the case easier than a real splice
            out.append(sent)
    return out


def _donor_paragraphs(article: Article) -> list[list[str]]:
    out = []
    for block in article.paragraphs():
        sents = split_sentences(block.text)
        if 2 <= len(sents) <= 4 and all(len(s.split()) >= 6 for s in sents):
            out.append(sents)
    return out


def make_case(seed: int, articles: Sequence[Article], kind: str | None = None) -> Case | None:
    """The spliced article for ``seed`` (None when the drawn host cannot take the splice)."""
    rng = random.Random(seed)
    kind = kind or rng.choice(KINDS)
    hosts = [a for a in articles if a.path.suffix == ".md"] or list(articles)
    for _attempt in range(20):
        host = rng.choice(hosts)
        donors = [a for a in articles if a.domain != host.domain]
        if not donors:
            return None
        donor = rng.choice(donors)
        case = _splice(kind, rng, host, donor, articles)
        if case is not None:
            case.seed = seed
            case.name = f"splice-{seed:05d}-{kind}-{host.path.stem}.md"
            return case
    return None


def _splice(kind: str, rng: random.Random, host: Article, donor: Article,
            articles: Sequence[Article]) -> Case | None:
    text = host.text
    if kind == "sentence":
        sentences = _donor_sentences(donor)
        paras = [b for b in host.paragraphs() if len(split_sentences(b.text)) >= 2]
        if not sentences or not paras:
            return None
        sent = rng.choice(sentences)
        block = rng.choice(paras)
        starts = _sentence_starts(block)
        if len(starts) < 2:
            return None
        at = rng.choice(starts[1:])
        new = text[:at] + sent + " " + text[at:]
        return Case(0, kind, host.path, donor.path, new,
                    [{"rule": "spam/off-topic-sentence", "text": sent}])
    if kind == "paragraph":
        paras = _donor_paragraphs(donor)
        hosts = host.paragraphs()
        if not paras or not hosts:
            return None
        sents = rng.choice(paras)
        block = rng.choice(hosts)
        at = _line_end(text, block.end)
        new = text[:at] + "\n\n" + " ".join(sents) + text[at:]
        return Case(0, kind, host.path, donor.path, new,
                    [{"rule": "spam/off-topic-sentence", "text": s} for s in sents])
    if kind == "item":
        lists = [items for items in host.lists().values() if len(items) >= 3]
        sentences = _donor_sentences(donor)
        if not lists or not sentences:
            return None
        items = rng.choice(lists)
        item = rng.choice(items[1:])
        line_start = text.rfind("\n", 0, item.start) + 1
        marker = re.match(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+", text[line_start:])
        if marker is None:
            return None
        prefix = marker.group()
        if prefix.strip()[0].isdigit():
            prefix = prefix.replace(prefix.strip()[:-1], "1", 1)
        sent = rng.choice(sentences)
        if not items[0].text.rstrip().endswith((".", "!", "?")):
            sent = sent.rstrip(".!")  # match the list's fragment style
            if not items[0].text[:1].isupper():
                sent = sent[0].lower() + sent[1:]
        new = text[:line_start] + prefix + sent + "\n" + text[line_start:]
        return Case(0, kind, host.path, donor.path, new,
                    [{"rule": "spam/off-topic-sentence", "text": sent}])
    if kind == "mashup":
        pool: list[str] = []
        others = [a for a in articles if a.path != host.path]
        rng.shuffle(others)
        for source in [host, donor, *others[:4]]:
            sents = _donor_sentences(source)
            if sents:
                pool.append(rng.choice(sents))
        hosts = host.paragraphs()
        if len(pool) < 5 or not hosts:
            return None
        picked = pool[:rng.choice((5, 6))]
        rng.shuffle(picked)
        block = rng.choice(hosts)
        at = _line_end(text, block.end)
        numbered = rng.random() < 0.5
        lines = [(f"{i}. " if numbered else "- ") + s for i, s in enumerate(picked, 1)]
        body = "\n".join(lines)
        new = text[:at] + "\n\n" + body + "\n" + text[at:]
        first_marker = len(lines[0]) - len(picked[0])
        return Case(0, kind, host.path, donor.path, new,
                    [{"rule": "spam/incoherent-list", "text": body[first_marker:]}])
    raise ValueError(f"unknown splice kind {kind!r}")


def _sentence_starts(block: Block) -> list[int]:
    """Source offsets where the block's sentences begin."""
    starts = [block.start]
    for m in _SENT.finditer(block.text):
        starts.append(block.positions.start(m.end()))
    return starts


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", max(offset - 1, 0))
    return len(text) if end == -1 else end


def make_cases(seeds: Iterable[int], articles: Sequence[Article]) -> list[Case]:
    return [c for c in (make_case(s, articles) for s in seeds) if c is not None]
