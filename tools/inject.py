"""Generates labeled spam insertions: phrases from one article pasted into another.

Sites decay this way through SEO plug-ins that paste link anchors, content spinners and
scraped mash-ups. On real pages the pasted phrase is mostly a lower-case query ("best <topic>
for <topic>", "<topic> near me", "seeking top <topic>"), a service with a place ("sober houses
in mass"), or a shop name with its preposition ("from meds4sure"), dropped mid-sentence; less
often another page's title or heading (lower-cased, sometimes with a clinic's brand name). The
generator imitates that mix, deterministically from a seed, so a detector can be measured on
thousands of cases with exact span labels. Real text decides: report these figures only
beside ``../shared/eval/real-web/score.py``'s.

Use one seed for development and another for the reported figures.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from medlint.documents import parse_document
from medlint.documents.model import Document

_SENT = re.compile(r"[^.!?]+[.!?]+(?=\s|$)|[^.!?]+$")
_WORDB = re.compile(r"\S+")
_UNSAFE = re.compile(r"[*_#\[\]`<>|\\]")

BRAND_FIRST = ("sunrise", "harbor", "lantana", "serenity", "oakwood", "blue ridge", "pinnacle",
               "new horizons", "clearview", "riverbend", "summit", "evergreen", "haven house",
               "bright path", "willow creek", "coastal", "northstar", "cedar grove")
BRAND_SECOND = ("recovery", "rehab", "detox center", "wellness", "health", "clinic",
                "treatment center", "behavioral health", "recovery center", "pharmacy")
CITIES = (("delray beach", "fl"), ("orlando", "fl"), ("tampa", "fl"), ("austin", "tx"),
          ("houston", "tx"), ("phoenix", "az"), ("scottsdale", "az"), ("columbus", "oh"),
          ("nashville", "tn"), ("denver", "co"), ("san diego", "ca"), ("camden", "nj"),
          ("boston", "ma"), ("charlotte", "nc"), ("las vegas", "nv"), ("louisville", "ky"))
QUERY_TEMPLATES = ("{k} near me", "best {k}", "{k} cost", "{k} reviews", "how long does {k} last",
                   "{k} near me open now", "best {k} in {city} {st}", "{k} {city} {st}",
                   "what is {k}", "{k} for sale", "top 10 {k} 2024", "free {k} online",
                   "{k} reddit", "{k} vs {k2}", "{k} printable pdf", "cheap {k} {city}")
TITLE_SUFFIXES = (" | {Brand}", " - {Brand}", ": {Brand}", " {year}", " ({year} Guide)")
# What real pasted anchors look like (../shared/research/real-text-detection.md): a shop name
# with its preposition ("from <shop>"), a service with a place ("<service> in <state>"), and
# lower-case queries of two to six words dropped into the middle of a noun phrase.
SHOP_FIRST = ("meds", "pills", "rx", "health", "cure", "pharma", "vita", "care", "dose",
              "well")
SHOP_SECOND = ("4sure", "4you", "24", "direct", "hub", "online", "mart", "plus", "now", "store")
SHOP_PREPOSITIONS = ("from", "from", "at", "via", "by")
SERVICES = ("sober houses", "detox centers", "rehab centers", "iop programs", "dentists",
            "botox clinics", "chiropractors", "hair transplant clinics", "weight loss clinics",
            "therapists", "urgent care", "addiction counselors")
PLACES = ("mass", "nj", "fl", "socal", "nyc", "texas", "ohio", "jersey", "boston ma",
          "delray beach", "orange county", "the bay area")
MID_TEMPLATES = ("best {k} for {k2}", "top {k} centers", "{k} treatment options",
                 "seeking top {k}", "{k} and {k2} help", "affordable {k} programs",
                 "{k} side effects", "how to {k} fast")


@dataclass
class Injected:
    """One generated article: its text and the inserted spans (character offsets)."""

    path: str
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    host: str = ""


def _clean(phrase: str) -> str:
    phrase = _UNSAFE.sub(" ", phrase)
    return " ".join(phrase.split()).strip(" .,:;!?")


def _keywords(title: str, rng: random.Random) -> str:
    stop = {"a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "what",
            "how", "why", "when", "your", "you", "do", "does", "is", "are", "can", "it",
            "should", "get", "need", "who", "by", "from", "at", "they", "their", "them"}
    ws = [w for w in re.findall(r"[A-Za-z0-9'-]+", title) if w.lower() not in stop]
    if not ws:
        return title.lower()
    n = min(len(ws), rng.choice((1, 2, 2, 3)))
    start = rng.randrange(0, len(ws) - n + 1)
    return " ".join(ws[start:start + n]).lower()


def _brand(rng: random.Random) -> str:
    return f"{rng.choice(BRAND_FIRST)} {rng.choice(BRAND_SECOND)}"


def make_phrase(donor: Document, rng: random.Random, others: Sequence[Document] = ()
                ) -> tuple[str, str]:
    """A phrase a spam tool would paste, taken from ``donor``; returns (phrase, kind)."""
    headings = [b.text for b in donor.blocks if b.kind == "heading" and len(b.text.split()) >= 2]
    title = donor.title or (headings[0] if headings else "")
    kind = rng.choices(("title_lower", "title", "title_brand", "heading", "query",
                        "title_suffix", "shop", "service_place", "query_mid"),
                       weights=(10, 5, 10, 5, 20, 5, 15, 15, 15))[0]
    if kind == "shop":
        name = rng.choice(SHOP_FIRST) + rng.choice(SHOP_SECOND)
        phrase = f"{rng.choice(SHOP_PREPOSITIONS)} {name}"
    elif kind == "service_place":
        service = rng.choice((rng.choice(SERVICES), _keywords(title, rng)))
        phrase = f"{service} in {rng.choice(PLACES)}"
    elif kind == "query_mid":
        other = rng.choice(others) if others else donor
        phrase = rng.choice(MID_TEMPLATES).format(k=_keywords(title, rng),
                                                  k2=_keywords(other.title or title, rng))
    elif kind in {"heading"} and headings:
        text = rng.choice(headings)
        phrase = text.lower() if rng.random() < 0.6 else text
    elif kind == "title":
        phrase = title
    elif kind == "title_brand":
        phrase = f"{title.lower()} {_brand(rng)}"
    elif kind == "title_suffix":
        suffix = rng.choice(TITLE_SUFFIXES).format(
            Brand=_brand(rng).title(), year=rng.choice(("2023", "2024", "2025")))
        phrase = title + suffix
    elif kind == "query":
        city, st = rng.choice(CITIES)
        other = rng.choice(others) if others else donor
        phrase = rng.choice(QUERY_TEMPLATES).format(
            k=_keywords(title, rng), k2=_keywords(other.title or title, rng), city=city, st=st)
    else:
        kind = "title_lower"
        phrase = title.lower()
    return _clean(phrase), kind


def _positions(doc: Document, rng: random.Random) -> list[tuple[int, str]]:
    """Candidate source offsets for an insertion: ('before', offset of a word) or ('after', end)."""
    found: list[tuple[int, str]] = []
    for block in doc.blocks:
        if block.kind not in {"paragraph", "list_item", "table_cell", "blockquote", "text"}:
            continue
        text = block.text
        for m in _SENT.finditer(text):
            sent = m.group(0)
            wordspans = [(w.start() + m.start(), w.end() + m.start())
                         for w in _WORDB.finditer(sent)]
            if len(wordspans) < 6:
                continue
            choice = rng.random()
            if choice < 0.06:  # sentence start
                idx = 0
            elif choice < 0.12:  # sentence end, before the final punctuation
                ws, we = wordspans[-1]
                core = text[ws:we].rstrip(".!?:;,\"')”")
                end = ws + len(core)
                if core and text[end - 1:end].isalnum():
                    src = block.positions.end(end)
                    if doc.text[src - 1:src] == text[end - 1:end]:
                        found.append((src, "after"))
                continue
            else:
                idx = rng.randrange(1, len(wordspans))
                prev = text[wordspans[idx - 1][0]:wordspans[idx - 1][1]]
                if not prev[-1:].isalnum():  # do not paste right after a comma or colon
                    continue
            ws, _ = wordspans[idx]
            if not text[ws:ws + 1].isalnum():
                continue
            src = block.positions.start(ws)
            if doc.text[src:src + 1] != text[ws:ws + 1]:
                continue
            found.append((src, "before"))
    return found


def inject(articles: Sequence[tuple[str, str]], seed: int, variants: int = 3,
           per_article: tuple[int, int] = (1, 3)) -> list[Injected]:
    """``variants`` copies of every article, each with 1-3 phrases from other articles."""
    rng = random.Random(seed)
    docs = [parse_document(path, text) for path, text in articles]
    out: list[Injected] = []
    for h, host in enumerate(docs):
        donors = [d for k, d in enumerate(docs) if k != h and d.title]
        if not donors:
            continue
        for v in range(variants):
            positions = _positions(host, rng)
            if not positions:
                continue
            count = min(len(positions), rng.randint(*per_article))
            chosen = sorted(rng.sample(positions, count), key=lambda p: p[0])
            text = host.text
            pieces: list[str] = []
            spans: list[tuple[int, int]] = []
            kinds: list[str] = []
            last = 0
            shift = 0
            for offset, where in chosen:
                if offset < last:
                    continue
                phrase, kind = make_phrase(rng.choice(donors), rng, donors)
                if not phrase:
                    continue
                if where == "before" and _is_sentence_start(text, offset):
                    phrase = phrase[:1].upper() + phrase[1:]
                insert = phrase + " " if where == "before" else " " + phrase
                pieces.append(text[last:offset])
                start = offset + shift + (0 if where == "before" else 1)
                pieces.append(insert)
                spans.append((start, start + len(phrase)))
                kinds.append(kind)
                shift += len(insert)
                last = offset
            pieces.append(text[last:])
            name = host.path.rsplit("/", 1)[-1]
            out.append(Injected(f"inj-{v}-{name}", "".join(pieces), spans, kinds, host.path))
    return out


def _is_sentence_start(text: str, offset: int) -> bool:
    before = text[:offset].rstrip()
    return not before or before[-1] in ".!?\n>" or text[offset - 1:offset] == "\n"
