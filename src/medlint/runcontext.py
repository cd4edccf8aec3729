"""Signals that need the whole run, gathered in a cheap first pass before linting.

Rules read them through ``RuleContext.run``; e.g. the titles and slugs of the other articles,
which are strong evidence when they turn up pasted inside a sentence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medlint.documents import parse_document
from medlint.documents.loading import decode
from medlint.engine.results import Source
from medlint.fileio import Skipped


def collect(sources: Iterable[Source]) -> dict[str, Any]:
    """Titles, headings and slugs of every readable source, by path; and for each hashed
    sentence of eight words or more, the paths it occurs in (``sentence_files``, only
    sentences found in two files or more), so boilerplate is reported once per run."""
    return finish(collect_partial(sources))


def collect_partial(sources: Iterable[Source]) -> dict[str, Any]:
    """The first pass over one part of a run (e.g. one batch on a Dask worker): like
    ``collect`` but ``sentence_files`` keeps every sentence, so parts can be merged."""
    titles: dict[str, str] = {}
    headings: dict[str, list[str]] = {}
    slugs: dict[str, str] = {}
    sentence_files: dict[str, list[str]] = {}
    for source in sources:
        try:
            data = source.read()
        except (OSError, Skipped):
            continue
        decoded = decode(data)
        if decoded.text is None:
            continue
        doc = parse_document(source.path, decoded.text)
        titles[source.path] = doc.title
        headings[source.path] = [b.text for b in doc.blocks if b.kind == "heading"]
        slugs[source.path] = Path(source.path).stem.replace("-", " ").replace("_", " ")
        for key in sentence_keys(doc):
            sentence_files.setdefault(key, []).append(source.path)
    return {"titles": titles, "headings": headings, "slugs": slugs,
            "sentence_files": sentence_files}


def merge_partial(into: dict[str, Any], part: dict[str, Any]) -> dict[str, Any]:
    """Adds ``part`` (a later part of the run, in input order) to ``into``; returns it."""
    for name in ("titles", "headings", "slugs"):
        into.setdefault(name, {}).update(part[name])
    files = into.setdefault("sentence_files", {})
    for key, paths in part["sentence_files"].items():
        files.setdefault(key, []).extend(paths)
    return into


def finish(partial: dict[str, Any]) -> dict[str, Any]:
    """The run context from merged parts: only sentences shared by two files or more."""
    files = partial.get("sentence_files", {})
    shared = {k: v for k, v in files.items() if len(v) > 1}
    return {"titles": partial.get("titles", {}), "headings": partial.get("headings", {}),
            "slugs": partial.get("slugs", {}), "sentence_files": shared}


class Collector:
    """``engine.run_factory = Collector(sources)`` behaves like ``lambda: collect(sources)``
    and also tells a distributed runner which sources the first pass covers, so it can
    run the pass on its workers (``medlint.distributed``). ``sources`` must be iterable
    more than once."""

    def __init__(self, sources: Iterable[Any]) -> None:
        self.sources = sources

    def __call__(self) -> dict[str, Any]:
        return collect(self.sources)


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")  # linear: no backtracking on long text


def sentence_key(text: str) -> str:
    """A short hash of a sentence with case, spacing and punctuation normalized."""
    norm = " ".join(re.findall(r"[a-z0-9]+", text.lower()))
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def sentence_keys(doc: Any, min_words: int = 8) -> set[str]:
    """Hashes of the document's prose sentences of at least ``min_words`` words."""
    keys: set[str] = set()
    for block in doc.blocks:
        if block.kind == "heading":
            continue
        for sentence in _SENTENCE_BREAK.split(block.text):
            if sentence.endswith((".", "!", "?")) and len(sentence.split()) >= min_words:
                keys.add(sentence_key(sentence))
    return keys
