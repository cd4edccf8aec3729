"""HTML to the document model.

Uses the standard library's tolerant HTML tokenizer because it reports where every tag,
entity and run of text sits in the source, which tree builders do not; that is what lets
each finding point at the exact character.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

from medlint.documents.builder import BlockBuilder
from medlint.documents.model import Block, Comment, Link

_SKIP = {"script", "style", "noscript", "template", "pre", "code", "svg", "math", "textarea",
         "select", "iframe", "object"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BLOCKS = {"p", "div", "section", "article", "main", "header", "footer", "aside", "nav",
           "li", "td", "th", "blockquote", "dd", "dt", "figcaption", "caption", "address",
           "details", "summary", "form", "fieldset", "table", "tr", "ul", "ol", "dl", "body",
           "html", "hr", "figure", "center", *_HEADINGS}
_VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}
_MAX_DEPTH = 512


@dataclass
class Extracted:
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    json_ld: list[object] = field(default_factory=list)
    title: str = ""
    errors: list[str] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self, source: str, base: int) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.base = base
        self.out = Extracted()
        self.stack: list[str] = []
        self.skip_depth = 0
        self.skip_tag = ""
        self.builder = BlockBuilder()
        self.links: list[Link] = []
        self.open_links: list[tuple[str, str, int]] = []
        self.in_title = False
        self.title_parts: list[str] = []
        self.script_json = False
        self.script_parts: list[str] = []
        self._line_starts = [0]
        pos = source.find("\n", base)
        while pos != -1:
            self._line_starts.append(pos + 1 - base)
            pos = source.find("\n", pos + 1)
        self.list_counter = 0
        self.lists: list[tuple[int, bool]] = []

    # Offsets -----------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self.base + self._line_starts[line - 1] + col

    # Block handling ----------------------------------------------------------
    def _kind(self) -> tuple[str, int, int | None, bool, bool]:
        in_quote = "blockquote" in self.stack
        for tag in reversed(self.stack):
            if tag in _HEADINGS:
                return "heading", _HEADINGS[tag], None, False, in_quote
            if tag in ("td", "th"):
                return "table_cell", 0, None, False, in_quote
            if tag == "li" and self.lists:
                list_id, ordered = self.lists[-1]
                return "list_item", 0, list_id, ordered, in_quote
            if tag == "blockquote":
                return "blockquote", 0, None, False, in_quote
        return "paragraph", 0, None, False, in_quote

    def _flush(self) -> None:
        text = self.builder.text()
        if text.strip():
            kind, level, list_id, ordered, in_quote = self._kind()
            block = Block(kind=kind, text=text, positions=self.builder.positions,  # type: ignore[arg-type]
                          level=level, list_id=list_id, list_ordered=ordered,
                          depth=len(self.lists) + self.stack.count("blockquote"),
                          in_blockquote=in_quote)
            for link in self.links:
                end = min(link.end, len(text))
                link.text = text[link.start:end]
                link.start, link.end = block.source_span(link.start, end)
            block.links = self.links
            self.out.links.extend(self.links)
            self.out.blocks.append(block)
        self.builder = BlockBuilder()
        self.links = []

    # Parser callbacks ----------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta":
            key = a.get("name") or a.get("property") or a.get("itemprop")
            if key and "content" in a:
                self.out.meta[key.lower()] = a["content"]
            return
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth += 1
            return
        if tag == "title" and "title" not in self.stack:
            self.in_title = True
            return
        if tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.script_json = True
            self.script_parts = []
            self.skip_depth, self.skip_tag = 1, tag
            return
        if tag in _SKIP:
            self.skip_depth, self.skip_tag = 1, tag
            return
        if tag == "br":
            offset = self._offset()
            raw = self.get_starttag_text() or "<br>"
            self.builder.space(offset, offset + len(raw))
            return
        if tag in _BLOCKS:
            self._flush()
        if tag in ("ul", "ol"):
            self.list_counter += 1
            self.lists.append((self.list_counter, tag == "ol"))
        if tag == "a":
            self.open_links.append((a.get("href", ""), a.get("rel", ""), self.builder.length))
        if tag not in _VOID and len(self.stack) < _MAX_DEPTH:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            if tag == self.skip_tag:
                self.skip_depth -= 1
                if not self.skip_depth and self.script_json:
                    self._finish_json_ld()
            return
        if tag == "title" and self.in_title:
            self.in_title = False
            self.out.title = " ".join("".join(self.title_parts).split())
            return
        if tag == "a" and self.open_links:
            href, rel, start = self.open_links.pop()
            self.links.append(Link("", href, start, self.builder.length, rel))
        if tag in _BLOCKS:
            self._flush()
        if tag in self.stack:
            while self.stack:
                popped = self.stack.pop()
                if popped in ("ul", "ol") and self.lists:
                    self.lists.pop()
                if popped == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self.script_json:
            self.script_parts.append(data)
            return
        if self.skip_depth:
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        start = self._offset()
        self.builder.verbatim(self.source, start, start + len(data))

    def _ref(self, raw: str) -> None:
        if self.script_json:
            self.script_parts.append(html.unescape(raw))
            return
        if self.skip_depth:
            return
        if self.in_title:
            self.title_parts.append(html.unescape(raw))
            return
        start = self._offset()
        end = start + len(raw)
        if not self.source.startswith(raw, start) and self.source.startswith(raw[:-1], start):
            end -= 1  # an entity written without its semicolon
        self.builder.mapped(html.unescape(raw), start, end)

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        raw = f"<!--{data}-->"
        self.out.comments.append(Comment(raw, start, start + len(raw)))

    def _finish_json_ld(self) -> None:
        self.script_json = False
        raw = "".join(self.script_parts)
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            self.out.errors.append(f"invalid JSON-LD: {exc}")
            return
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("@graph"), list):
                self.out.json_ld.extend(item["@graph"])
            else:
                self.out.json_ld.append(item)

    def close(self) -> None:
        super().close()
        self._flush()


def extract(source: str, start: int = 0, end: int | None = None) -> Extracted:
    """Extracts prose blocks from ``source[start:end]`` with offsets into ``source``."""
    end = len(source) if end is None else end
    parser = _Extractor(source, start)
    try:
        parser.feed(source[start:end])
        parser.close()
    except (AssertionError, ValueError, RecursionError) as exc:
        parser.out.errors.append(f"HTML could not be fully parsed: {exc}")
        parser._flush()
    return parser.out
