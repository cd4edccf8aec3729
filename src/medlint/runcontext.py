"""Signals that need the whole run, gathered in a cheap first pass before linting.

Rules read them through ``RuleContext.run``; e.g. the titles and slugs of the other articles,
which are strong evidence when they turn up pasted inside a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from medlint.documents import parse_document
from medlint.documents.loading import decode


def collect(sources: Iterable[Any]) -> dict[str, Any]:
    """Titles, headings and slugs of every readable source, by path."""
    titles: dict[str, str] = {}
    headings: dict[str, list[str]] = {}
    slugs: dict[str, str] = {}
    for source in sources:
        data = source.data
        if data is None:
            try:
                data = Path(source.path).read_bytes()
            except OSError:
                continue
        decoded = decode(data)
        if decoded.text is None:
            continue
        doc = parse_document(source.path, decoded.text)
        titles[source.path] = doc.title
        headings[source.path] = [b.text for b in doc.blocks if b.kind == "heading"]
        slugs[source.path] = Path(source.path).stem.replace("-", " ").replace("_", " ")
    return {"titles": titles, "headings": headings, "slugs": slugs}
