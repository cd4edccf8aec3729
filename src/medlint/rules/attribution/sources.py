"""Whether a page cites any source at all: a link to another site, a source list in front
matter, a References/Sources heading, footnotes or [1]-style markers. Shared by
``attribution/missing-sources`` and the attribution metrics (the audit's "cites no source")."""

from __future__ import annotations

import regex

from medlint.documents.model import Document
from medlint.rules.claims.detect import front_matter_sources

REFERENCES_HEADING = regex.compile(
    r"(?i)^\s*(?:references?|sources?|citations?|bibliography|works\s+cited|"
    r"(?:research|studies)\s+cited|further\s+reading|resources|notes)\b")
_FOOTNOTE_DEFINITION = regex.compile(r"(?m)^\[\^[^\]]+\]:")
_CITATION_MARKER = regex.compile(r"\[\^?\d+\]")


def outbound_links(doc: Document) -> list[str]:
    """Absolute links to another site (links to the article's own site are not sources)."""
    return [link.url for link in doc.links if doc.is_external(link)]


def cites_sources(doc: Document) -> bool:
    """True when the page offers readers any way to check its evidence."""
    if outbound_links(doc) or front_matter_sources(doc):
        return True
    if any(b.kind == "heading" and REFERENCES_HEADING.match(b.text) for b in doc.blocks):
        return True
    return bool(_FOOTNOTE_DEFINITION.search(doc.text)) or any(
        _CITATION_MARKER.search(b.text) for b in doc.blocks)
