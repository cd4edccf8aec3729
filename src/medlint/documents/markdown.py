"""Markdown (CommonMark + tables + footnotes + YAML front matter) to the document model."""

from __future__ import annotations

from collections.abc import Sequence

import regex
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from medlint.documents import html as html_parser
from medlint.documents.builder import BlockBuilder, align_piece
from medlint.documents.frontmatter import (
    FRONT_MATTER_PROSE,
    load_front_matter,
    prose_blocks,
    sentence_key,
)
from medlint.documents.model import Block, Comment, Document, Link

_PARSER: MarkdownIt | None = None
# markdown-it is linear but pays ~10 us per inline token, and its link-label scan goes back
# over the rest of a paragraph for each "[": a paragraph of 500,000 "*_" or 200,000 "[" took
# 10 s or more. A paragraph with more markup characters than this is taken as plain text
# (no prose paragraph comes near it).
MAX_INLINE_MARKUP = 5_000
_MARKUP = regex.compile(r"[*_\[\]&<>`!\\~|()]")


def _parser() -> MarkdownIt:
    global _PARSER
    if _PARSER is None:
        _PARSER = (
            MarkdownIt("commonmark", {"html": True})
            .enable(["table", "strikethrough"])
            .use(front_matter_plugin)
            .use(footnote_plugin)
        )
        _PARSER.core.ruler.at("inline", _bounded_inline)
    return _PARSER


def _bounded_inline(state: StateCore) -> None:
    """markdown-it's inline pass, except that a block with more than ``MAX_INLINE_MARKUP``
    markup characters becomes one text token, so parsing stays linear with a small factor."""
    md = state.md
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        if _markup_count(token.content) > MAX_INLINE_MARKUP:
            token.children.append(Token("text", "", 0, content=token.content))
        else:
            md.inline.parse(token.content, md, state.env, token.children)


def _markup_count(text: str) -> int:
    """How many characters of ``text`` markdown's inline rules act on, counted up to just
    past the cap (the count is only compared with it)."""
    count = 0
    for _ in _MARKUP.finditer(text):
        count += 1
        if count > MAX_INLINE_MARKUP:
            break
    return count


class _LineIndex:
    def __init__(self, text: str) -> None:
        self.starts = [0]
        pos = text.find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self.length = len(text)

    def offset(self, line: int) -> int:
        """Offset of the start of a 0-based line (clamped to the end of the text)."""
        if line >= len(self.starts):
            return self.length
        return self.starts[line]


def parse_markdown(doc: Document, front_matter_prose: Sequence[str] = FRONT_MATTER_PROSE
                   ) -> None:
    text = doc.text
    lines = _LineIndex(text)
    tokens = _parser().parse(text)
    state = _WalkState(doc, lines, front_matter_prose)
    for token in tokens:
        state.visit(token)
    if state.yaml_span is not None and front_matter_prose:
        on_page = {sentence_key(s) for b in state.blocks for s in _SENTENCE.split(b.text)}
        state.blocks[:0] = prose_blocks(text, *state.yaml_span, front_matter_prose,
                                        on_page.__contains__)
    doc.blocks = state.blocks


_SENTENCE = regex.compile(r"(?<=[.!?…][\"'”’)\]]*)\s+")


class _WalkState:
    """Walks markdown-it's flat token stream, tracking containers."""

    def __init__(self, doc: Document, lines: _LineIndex,
                 front_matter_prose: Sequence[str] = FRONT_MATTER_PROSE) -> None:
        self.doc = doc
        self.lines = lines
        self.front_matter_prose = front_matter_prose
        self.yaml_span: tuple[int, int] | None = None  # the YAML between the fences
        self.blocks: list[Block] = []
        self.containers: list[tuple[str, int | None, bool]] = []  # (kind, list id, ordered)
        self.list_counter = 0
        self.heading_level = 0
        self.row_cursor = 0  # search position within a table row

    def visit(self, token: Token) -> None:
        t = token.type
        if t == "front_matter":
            self._front_matter(token)
        elif t in ("bullet_list_open", "ordered_list_open"):
            self.list_counter += 1
            self.containers.append(("list", self.list_counter, t == "ordered_list_open"))
        elif t in ("bullet_list_close", "ordered_list_close", "blockquote_close"):
            if self.containers:
                self.containers.pop()
        elif t == "blockquote_open":
            self.containers.append(("blockquote", None, False))
        elif t == "heading_open":
            self.heading_level = int(token.tag[1:])
        elif t == "heading_close":
            self.heading_level = 0
        elif t == "tr_open" and token.map:
            self.row_cursor = self.lines.offset(token.map[0])
        elif t in ("th_open", "td_open"):
            self.containers.append(("cell", None, False))
        elif t in ("th_close", "td_close"):
            if self.containers:
                self.containers.pop()
        elif t == "inline":
            self._inline(token)
        elif t == "html_block" and token.map:
            self._html_block(token)

    def _front_matter(self, token: Token) -> None:
        if not token.map:
            return
        start = 0
        end = self.lines.offset(token.map[1])
        self.doc.front_matter_span = (start, end)
        data, error = load_front_matter(token.content)
        self.doc.front_matter = data
        self.doc.front_matter_error = error
        if data and not error:
            yaml_start = self.lines.offset(token.map[0] + 1)
            self.yaml_span = (yaml_start, max(yaml_start, self.lines.offset(token.map[1] - 1)))

    def _html_block(self, token: Token) -> None:
        assert token.map is not None
        start = self.lines.offset(token.map[0])
        end = min(self.lines.offset(token.map[1]), len(self.doc.text))
        sub = html_parser.extract(self.doc.text, start, end)
        self.doc.comments.extend(sub.comments)
        self.doc.links.extend(sub.links)
        self.blocks.extend(sub.blocks)

    def _kind(self) -> tuple[str, int | None, bool, int, bool]:
        in_quote = any(c[0] == "blockquote" for c in self.containers)
        depth = sum(1 for c in self.containers if c[0] in ("list", "blockquote"))
        if self.heading_level:
            return "heading", None, False, depth, in_quote
        for kind, list_id, ordered in reversed(self.containers):
            if kind == "cell":
                return "table_cell", None, False, depth, in_quote
            if kind == "list":
                return "list_item", list_id, ordered, depth, in_quote
            if kind == "blockquote":
                return "blockquote", None, False, depth, in_quote
        return "paragraph", None, False, depth, in_quote

    def _inline(self, token: Token) -> None:
        if not token.map:
            return
        source = self.doc.text
        kind, list_id, ordered, depth, in_quote = self._kind()
        if kind == "table_cell":
            cursor = self.row_cursor
            limit = self.lines.offset(token.map[0] + 1)
        else:
            cursor = self.lines.offset(token.map[0])
            limit = self.lines.offset(token.map[1])
        limit = min(limit, len(source))
        builder = BlockBuilder()
        links: list[Link] = []
        open_links: list[tuple[str, int]] = []
        in_autolink = False  # <https://...>: a URL, not prose
        autolinks: list[Link] = []  # already in source offsets

        def verbatim(s: int, e: int) -> None:
            builder.verbatim(source, s, e)

        for child in token.children or []:
            ct = child.type
            if ct == "text" and in_autolink:
                found = source.find(child.content, cursor, limit)
                if found != -1:
                    cursor = found + len(child.content)
                    autolinks.append(Link(child.content, child.content, found,
                                          found + len(child.content)))
            elif ct == "text":
                if child.content:
                    cursor = align_piece(
                        child.content, source, cursor, limit, verbatim, builder.mapped
                    )
            elif ct in ("softbreak", "hardbreak"):
                nl = source.find("\n", cursor, limit)
                if nl != -1:
                    builder.space(nl, nl + 1)
                    cursor = nl + 1
                else:
                    builder.space(cursor, cursor + 1)
            elif ct == "code_inline":
                found = source.find(child.content, cursor, limit)
                if found != -1:
                    cursor = found + len(child.content)
                builder.space(cursor, cursor)
            elif ct == "html_inline":
                found = source.find(child.content, cursor, limit)
                if found != -1:
                    if child.content.startswith("<!--"):
                        self.doc.comments.append(
                            Comment(child.content, found, found + len(child.content))
                        )
                    cursor = found + len(child.content)
            elif ct == "link_open" and child.markup == "autolink":
                in_autolink = True
            elif ct == "link_close" and in_autolink:
                in_autolink = False
            elif ct == "link_open":
                open_links.append((str(child.attrs.get("href", "")), builder.length))
            elif ct == "link_close" and open_links:
                href, text_start = open_links.pop()
                links.append(Link("", href, text_start, builder.length))
                cursor = _past_link_target(source, cursor, limit)
            elif ct == "footnote_ref":
                label = child.meta.get("label", "")
                marker = f"[^{label}]"
                found = source.find(marker, cursor, limit)
                if found != -1:
                    verbatim(found, found + len(marker))
                    cursor = found + len(marker)
            elif ct == "image":
                # Alt text is not prose on the page; skip the whole image markup.
                found = source.find(")", cursor, limit)
                cursor = found + 1 if found != -1 else cursor
        text = builder.text()
        self.doc.links.extend(autolinks)
        if not text.strip():
            return
        block = Block(
            kind=kind,  # type: ignore[arg-type]
            text=text,
            positions=builder.positions,
            level=self.heading_level,
            list_id=list_id,
            list_ordered=ordered,
            depth=depth,
            in_blockquote=in_quote,
        )
        for link in links:
            start, end = block.source_span(link.start, min(link.end, len(text)))
            link.text = text[link.start : link.end]
            link.start, link.end = start, end
        block.links = links + autolinks
        self.doc.links.extend(links)
        self.blocks.append(block)
        if kind == "table_cell":
            self.row_cursor = max(cursor, block.end)


def _past_link_target(source: str, cursor: int, limit: int) -> int:
    """The offset just after a link's ``](target "title")`` or ``][ref]``, so the prose after
    the link is not searched for inside its URL."""
    close = source.find("]", cursor, limit)
    if close == -1:
        return cursor
    pos = close + 1
    if pos < limit and source[pos] == "(":
        depth = 0
        for i in range(pos, limit):
            if source[i] == "\\":
                continue
            if source[i] == "(":
                depth += 1
            elif source[i] == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
        return cursor
    if pos < limit and source[pos] == "[":
        end = source.find("]", pos, limit)
        return end + 1 if end != -1 else pos
    return pos
