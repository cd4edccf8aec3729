"""Parsing source files into :class:`~medlint.documents.model.Document`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePath

from medlint.documents.model import Block, Comment, Document, Link, PositionMap, Section

__all__ = ["Block", "Comment", "Document", "Link", "PositionMap", "Section", "detect_format",
           "parse_document"]

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdx"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
TEXT_SUFFIXES = {".txt", ".text"}
SUPPORTED_SUFFIXES = MARKDOWN_SUFFIXES | HTML_SUFFIXES | TEXT_SUFFIXES


def detect_format(path: str) -> str:
    suffix = PurePath(path).suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return "markdown"


def parse_document(path: str, text: str, fmt: str | None = None,
                   front_matter_prose: Sequence[str] | None = None) -> Document:
    """Builds the document model. Never raises on content: problems become notices.
    ``front_matter_prose``: the front matter keys linted as prose (default: the displayed
    ones, ``frontmatter.FRONT_MATTER_PROSE``)."""
    fmt = fmt or detect_format(path)
    doc = Document(path=path, text=text, format=fmt)  # type: ignore[arg-type]
    if fmt == "html":
        from medlint.documents import html

        extracted = html.extract(text)
        doc.blocks = extracted.blocks
        doc.links = extracted.links
        doc.comments = extracted.comments
        doc.meta = extracted.meta
        doc.json_ld = extracted.json_ld
        doc.title = extracted.title
        for error in extracted.errors:
            doc.notices.append(("document/parse-error", error))
    elif fmt == "text":
        from medlint.documents.text import parse_text

        parse_text(doc)
    else:
        from medlint.documents.markdown import parse_markdown

        if front_matter_prose is None:
            parse_markdown(doc)
        else:
            parse_markdown(doc, front_matter_prose)
        if doc.front_matter_error:
            doc.notices.append(("document/front-matter", doc.front_matter_error))
    _finish(doc)
    return doc


def _finish(doc: Document) -> None:
    doc.blocks.sort(key=lambda b: b.start)
    sections: list[Section] = [Section(0, None, 0)]
    stack: list[int] = [0]
    for i, block in enumerate(doc.blocks):
        block.index = i
        if block.kind == "heading":
            while len(stack) > 1 and sections[stack[-1]].level >= block.level:
                stack.pop()
            section = Section(len(sections), block, block.level, parent=stack[-1])
            sections.append(section)
            stack.append(section.index)
        block.section = stack[-1]
    doc.sections = sections
    doc.links.sort(key=lambda link: link.start)
    if not doc.title:
        fm_title = doc.front_matter.get("title")
        if isinstance(fm_title, str):
            doc.title = fm_title
        else:
            first = next((b for b in doc.blocks if b.kind == "heading"), None)
            doc.title = first.text if first else ""
