"""Plain text to the document model: blank lines separate paragraphs, markers make lists."""

from __future__ import annotations

import regex

from medlint.documents.builder import BlockBuilder
from medlint.documents.model import Block, Document

_PARAGRAPH = regex.compile(r"(?:[^\n]*\S[^\n]*(?:\n|$))+")
_ITEM = regex.compile(r"[ \t]*(?:[-*•]|\d{1,3}[.)])[ \t]+")
_TERMINAL = (".", "!", ",", ";", ":", "…", '"', "”", ")")


def _looks_like_heading(line: str, first: bool) -> bool:
    words = line.split()
    if not words or len(words) > 14 or line.rstrip().endswith(_TERMINAL):
        return False
    if line.rstrip().endswith("?"):
        return True
    capitalised = sum(1 for w in words if w[:1].isupper() or not w[:1].isalpha())
    return first or capitalised / len(words) >= 0.6


def parse_text(doc: Document) -> None:
    source = doc.text
    blocks: list[Block] = []
    list_counter = 0
    for para in _PARAGRAPH.finditer(source):
        lines = [(m.start(), m.end()) for m in regex.finditer(r"[^\n]+", source[: para.end()],
                                                              pos=para.start())]
        items = [_ITEM.match(source, s, e) for s, e in lines]
        if any(items) and items[0]:
            list_counter += 1
            for (_, e), marker in zip(lines, items, strict=True):
                if marker:
                    builder = BlockBuilder()
                    builder.verbatim(source, marker.end(), e)
                    blocks.append(Block("list_item", builder.text(), builder.positions,
                                        list_id=list_counter,
                                        list_ordered=marker.group().strip()[0].isdigit(),
                                        depth=1))
                elif blocks and blocks[-1].kind == "list_item":
                    # A wrapped continuation line belongs to the item above.
                    prev = blocks[-1]
                    builder = BlockBuilder()
                    builder.verbatim(source, prev.start, e)
                    blocks[-1] = Block("list_item", builder.text(), builder.positions,
                                       list_id=prev.list_id, list_ordered=prev.list_ordered,
                                       depth=1)
            continue
        builder = BlockBuilder()
        builder.verbatim(source, para.start(), para.end())
        text = builder.text()
        if not text:
            continue
        single_line = len(lines) == 1
        if single_line and _looks_like_heading(text, first=not blocks):
            blocks.append(Block("heading", text, builder.positions, level=1 if not blocks else 2))
        else:
            blocks.append(Block("paragraph", text, builder.positions))
    doc.blocks = blocks
