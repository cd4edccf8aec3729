"""Who wrote and medically reviewed a page, and when: found in front matter, schema.org
JSON-LD, meta tags and byline text, with where each fact sits in the file."""

from __future__ import annotations

import datetime as _dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import regex

from medlint.dates import DATE_PATTERN, ParsedDate, from_match, parse_date
from medlint.documents.model import Document
from medlint.resources import read_data
from medlint.startcache import compile_pattern

REVIEWER_KEYS = ("reviewer", "reviewers", "reviewed_by", "medically_reviewed_by",
                 "medical_reviewer", "clinical_reviewer", "medical_reviewers")
REVIEW_DATE_KEYS = ("last_reviewed", "reviewed", "reviewed_on", "review_date", "reviewed_at",
                    "medically_reviewed_at", "medically_reviewed_on", "last_medical_review",
                    "medically_reviewed", "review_date_medical")
UPDATED_KEYS = ("updated", "last_updated", "updated_on", "modified", "last_modified",
                "date_modified", "lastmod", "date", "published", "publish_date", "pub_date")
AUTHOR_KEYS = ("author", "authors", "written_by", "writer", "byline")
NOT_MEDICAL_KEYS = ("fact_checked_by", "factchecked_by", "edited_by", "editor")


def norm_key(key: str) -> str:
    return regex.sub(r"[\s_.\-]", "", str(key)).lower()


@functools.lru_cache(maxsize=1)
def credentials() -> tuple[frozenset[str], Any, frozenset[str]]:
    data = read_data("credentials.yaml")
    known = frozenset(_cred_norm(c) for c in data["clinical"] + data["scientific"])
    fellowship = compile_pattern(data["fellowship_pattern"])
    return known, fellowship, frozenset(data["non_person_words"])


def _cred_norm(token: str) -> str:
    return token.replace(".", "").replace(" ", "").upper()


def is_credential(token: str) -> bool:
    known, fellowship, _ = credentials()
    token = token.strip(" .;:()")
    return bool(token) and (_cred_norm(token) in known or bool(fellowship.fullmatch(
        token.replace(".", ""))))


@dataclass
class Person:
    name: str
    credentials: list[str] = field(default_factory=list)
    dr_title: bool = False
    source: str = ""  # front matter, json-ld, meta, text
    start: int = 0
    end: int = 0

    @property
    def is_person(self) -> bool:
        _, _, non_person = credentials()
        words = self.name.split()
        if not words or not self.name[:1].isupper():
            return False
        return not any(w.lower().strip(".,") in non_person for w in words)


@dataclass
class DateFact:
    date: ParsedDate
    source: str
    start: int = 0
    end: int = 0


@dataclass
class Attribution:
    reviewers: list[Person] = field(default_factory=list)
    not_medical: list[Person] = field(default_factory=list)  # fact checkers, editorial teams
    review_dates: list[DateFact] = field(default_factory=list)
    updated_dates: list[DateFact] = field(default_factory=list)
    authors: list[Person] = field(default_factory=list)
    byline: tuple[int, int] | None = None  # where attribution text sits, for pointing at it

    def named_reviewers(self) -> list[Person]:
        return [p for p in self.reviewers if p.is_person]


_NAME_PREFIX = compile_pattern(r"^(?:Dr\.?|Doctor|Prof\.?|Professor)\s+", regex.I)


def parse_person(text: str, source: str = "", start: int = 0) -> Person:
    """"Dr. Jane Doe, MD, FACP, a board-certified internist" → Jane Doe [MD, FACP]."""
    raw = text.strip().strip(",;:-—–|·")
    dr = bool(_NAME_PREFIX.match(raw))
    raw = _NAME_PREFIX.sub("", raw)
    parts = [p.strip() for p in raw.split(",")]
    name_tokens = parts[0].split()
    creds: list[str] = []
    while len(name_tokens) > 1 and is_credential(name_tokens[-1]):
        creds.insert(0, name_tokens.pop().strip("."))
    for part in parts[1:]:
        tokens = part.split()
        if tokens and all(is_credential(t) for t in tokens):
            creds.extend(t.strip(".") for t in tokens)
        else:
            break
    name = " ".join(name_tokens)
    return Person(name, creds, dr, source, start, start + len(text))


def _people(value: Any, source: str, start: int = 0, end: int = 0) -> list[Person]:
    if value is None or isinstance(value, bool):
        return []
    if isinstance(value, list):
        return [p for v in value for p in _people(v, source, start, end)]
    if isinstance(value, dict):
        name = value.get("name") or value.get("@id") or ""
        if not isinstance(name, str) or not name.strip():
            return []
        person = parse_person(name, source)
        for key in ("credentials", "credential", "honorificSuffix", "hasCredential", "title",
                    "jobTitle"):
            extra = value.get(key)
            items = extra if isinstance(extra, list) else [extra]
            for item in items:
                if isinstance(item, dict):
                    item = item.get("name") or item.get("credentialCategory") or ""
                if isinstance(item, str):
                    person.credentials.extend(t.strip(".") for t in regex.split(r"[,\s]+", item)
                                              if is_credential(t))
        person.start, person.end = start, end
        return [person]
    if isinstance(value, str) and value.strip():
        person = parse_person(value, source)
        person.start, person.end = start, end
        return [person]
    return []


def _key_span(doc: Document, key: str) -> tuple[int, int]:
    """The line of a front-matter key, so findings point at it."""
    if doc.front_matter_span is None:
        return 0, 0
    lo, hi = doc.front_matter_span
    m = regex.search(rf"(?m)^[ \t]*{regex.escape(str(key))}[ \t]*:.*$", doc.text[lo:hi])
    return (lo + m.start(), lo + m.end()) if m else (lo, lo)


# Byline text ------------------------------------------------------------------
_NAME_CHUNK_END = compile_pattern(
    r"""(?x)
    ,?\s+(?:on|in)\s+(?=(?:\d|[A-Z][a-z]{2,8}\.?\s+\d))   # " on October 2, 2025", " in August"
    | \s*[—–|·•;]\s* | \s+-\s+ | \n
    | (?<!\bDr)(?<!\bProf)(?<!\b[A-Z])(?<!\b[A-Z][a-z])\.(?:\s|$)
    | \s+(?i:written|updated|published|fact|edited|last|posted)\b
    """)
_REVIEW_TRIGGER = compile_pattern(
    r"""(?x)
    (?P<fact>(?i:fact[ -]?checked|edited|copy[ -]?edited)\s+by\s+)
    | (?P<qual>(?i:(?:last\s+)?(?:medically|clinically|medical|expert|clinical)\s+reviewed
        |medical\s+review(?:er)?|clinical\s+review(?:er)?|reviewed)
       (?:\s+(?i:on)\s+(?P<pre_date>[^\n]{4,30}?))?\s+(?i:by)\s+)
    | (?P<label>(?i:medical\s+reviewer|clinical\s+reviewer|reviewer|reviewed\s+by)\s*:\s*)
    """)
_REVIEW_DATE_TRIGGER = compile_pattern(
    r"(?i)\b(?:(?:page\s+)?last\s+(?:medically\s+|clinically\s+)?reviewed|review\s+date|"
    r"(?:medically\s+|clinically\s+)?reviewed(?:\s+on)?)\s*:?\s*(?:on\s+)?$")
_UPDATED_TRIGGER = compile_pattern(
    r"(?i)\b(?:last\s+updated|updated|published|posted|last\s+modified|modified)\s*:?\s*"
    r"(?:on\s+)?$")
_AUTHOR_TRIGGER = compile_pattern(
    r"(?P<lead>(?i:written\s+by|authored\s+by|author\s*:)\s*|^By\s+)")


def _chunk_after(text: str, start: int) -> tuple[int, int]:
    m = _NAME_CHUNK_END.search(text, start)
    end = m.start() if m else len(text)
    return start, end


def _text_facts(doc: Document, att: Attribution) -> None:
    for block in doc.blocks:
        if block.kind == "heading" and not block.text.lower().startswith(("reviewed", "medically")):
            continue
        text = block.text
        found_here = False
        for m in _REVIEW_TRIGGER.finditer(text):
            s, e = _chunk_after(text, m.end())
            person = parse_person(text[s:e], "text")
            src_start, src_end = block.source_span(s, e)
            person.start, person.end = src_start, src_end
            if m.group("fact"):
                att.not_medical.append(person)
                continue
            found_here = True
            att.reviewers.append(person)
            if m.group("pre_date"):
                dm = DATE_PATTERN.search(m.group("pre_date"))
                if dm:
                    pd = from_match(dm)
                    ds, de = block.source_span(m.start("pre_date") + dm.start(),
                                               m.start("pre_date") + dm.end())
                    att.review_dates.append(DateFact(pd, "text", ds, de))
            # A date right after the name ("... on 02/14/2026", "in August 2026").
            tail = regex.match(r",?\s+(?:on|in)\s+", text[e:])
            if tail:
                dm = DATE_PATTERN.match(text, e + tail.end())
                if dm:
                    ds, de = block.source_span(dm.start(), dm.end())
                    att.review_dates.append(DateFact(from_match(dm), "text", ds, de))
        for dm in DATE_PATTERN.finditer(text):
            before = text[max(0, dm.start() - 40):dm.start()]
            ds, de = block.source_span(dm.start(), dm.end())
            if any(f.start == ds for f in att.review_dates):
                continue
            if _REVIEW_DATE_TRIGGER.search(before):
                att.review_dates.append(DateFact(from_match(dm), "text", ds, de))
                found_here = True
            elif _UPDATED_TRIGGER.search(before):
                att.updated_dates.append(DateFact(from_match(dm), "text", ds, de))
                found_here = True
        if len(text) < 400:
            for m in _AUTHOR_TRIGGER.finditer(text):
                s, e = _chunk_after(text, m.end())
                person = parse_person(text[s:e], "text")
                if person.name and person.name.split()[0][:1].isupper():
                    person.start, person.end = block.source_span(s, e)
                    att.authors.append(person)
                    found_here = True
        if found_here and att.byline is None:
            att.byline = (block.start, block.end)


def _front_matter_facts(doc: Document, att: Attribution, reviewer_keys: Iterable[str],
                        date_keys: Iterable[str], author_keys: Iterable[str]) -> None:
    fm = doc.front_matter
    if not fm:
        return
    by_norm = {norm_key(k): k for k in fm}
    reviewer = {norm_key(k) for k in reviewer_keys}
    dates = {norm_key(k) for k in date_keys}
    updated = {norm_key(k) for k in UPDATED_KEYS}
    authors = {norm_key(k) for k in author_keys}
    not_medical = {norm_key(k) for k in NOT_MEDICAL_KEYS}
    for nk, key in by_norm.items():
        value = fm[key]
        span = _key_span(doc, key)
        if nk in reviewer:
            people = _people(value, "front matter", *span)
            cred_key = next((k for k in by_norm if k.startswith(nk) and k.endswith(
                ("credentials", "credential", "title"))), None)
            if cred_key and people:
                extra = fm[by_norm[cred_key]]
                items = extra if isinstance(extra, list) else [extra]
                for item in items:
                    people[0].credentials.extend(
                        t.strip(".") for t in regex.split(r"[,\s]+", str(item))
                        if is_credential(t))
            att.reviewers.extend(people)
        elif nk in not_medical:
            att.not_medical.extend(_people(value, "front matter", *span))
        elif nk in dates and not isinstance(value, bool):
            att.review_dates.append(DateFact(parse_date(value), "front matter", *span))
        elif nk in updated and not isinstance(value, bool | list | dict):
            att.updated_dates.append(DateFact(parse_date(value), "front matter", *span))
        elif nk in authors:
            att.authors.extend(_people(value, "front matter", *span))


def _json_ld_facts(doc: Document, att: Attribution) -> None:
    for item in doc.json_ld:
        if not isinstance(item, dict):
            continue
        att.reviewers.extend(_people(item.get("reviewedBy"), "json-ld"))
        att.authors.extend(_people(item.get("author"), "json-ld"))
        if item.get("lastReviewed"):
            att.review_dates.append(DateFact(parse_date(item["lastReviewed"]), "json-ld"))
        for key in ("dateModified", "datePublished"):
            if item.get(key):
                att.updated_dates.append(DateFact(parse_date(item[key]), "json-ld"))


_META_REVIEWER = {"reviewer", "reviewed-by", "reviewedby", "medical-reviewer", "citation_reviewer"}
_META_AUTHOR = {"author", "article:author", "citation_author", "dc.creator", "byl"}
_META_REVIEW_DATE = {"last-reviewed", "lastreviewed", "review-date", "citation_review_date"}
_META_UPDATED = {"article:modified_time", "article:published_time", "dc.date.modified",
                 "last-modified", "date", "citation_date", "dcterms.modified"}


def _meta_facts(doc: Document, att: Attribution) -> None:
    for key, value in doc.meta.items():
        if key in _META_REVIEWER:
            att.reviewers.extend(_people(value, "meta"))
        elif key in _META_AUTHOR:
            att.authors.extend(_people(value, "meta"))
        elif key in _META_REVIEW_DATE:
            att.review_dates.append(DateFact(parse_date(value), "meta"))
        elif key in _META_UPDATED:
            att.updated_dates.append(DateFact(parse_date(value), "meta"))


def extract(doc: Document, reviewer_keys: Iterable[str] = REVIEWER_KEYS,
            date_keys: Iterable[str] = REVIEW_DATE_KEYS,
            author_keys: Iterable[str] = AUTHOR_KEYS) -> Attribution:
    att = Attribution()
    _front_matter_facts(doc, att, reviewer_keys, date_keys, author_keys)
    _json_ld_facts(doc, att)
    _meta_facts(doc, att)
    _text_facts(doc, att)
    return att


def anchor(doc: Document, att: Attribution) -> tuple[int, int]:
    """Where a document-level attribution finding points: the byline, else the front matter,
    else the title heading, else the first line."""
    if att.byline:
        return att.byline
    if doc.front_matter_span:
        lo, _ = doc.front_matter_span
        end = doc.text.find("\n", lo + 4)
        return lo, end if end != -1 else lo
    heading = next((b for b in doc.blocks if b.kind == "heading"), None)
    if heading:
        return heading.start, heading.end
    if doc.blocks:
        return doc.blocks[0].start, doc.blocks[0].end
    end = doc.text.find("\n")
    return 0, len(doc.text) if end == -1 else end


def months_between(earlier: _dt.date, later: _dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (
        1 if later.day < earlier.day else 0)
