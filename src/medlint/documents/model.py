"""The document model every rule reads: prose blocks, links and a map back to source offsets."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlparse

BlockKind = Literal["heading", "paragraph", "list_item", "blockquote", "table_cell", "text"]


class PositionMap:
    """Maps character indices of extracted prose back to offsets in the source text.

    Stored as runs so a 5 MB article does not need one integer per character. A run is
    either *verbatim* (text and source advance together) or *atomic* (an entity such as
    ``&amp;`` or a synthetic space standing for a line break: every text character in it
    maps to the whole source span).
    """

    __slots__ = ("_atomic", "_src_len", "_src_start", "_text_len", "_text_start")

    def __init__(self) -> None:
        self._text_start: list[int] = []
        self._text_len: list[int] = []
        self._src_start: list[int] = []
        self._src_len: list[int] = []
        self._atomic: list[bool] = []

    @property
    def text_length(self) -> int:
        return self._text_start[-1] + self._text_len[-1] if self._text_start else 0

    def add_verbatim(self, src_start: int, length: int) -> None:
        if length <= 0:
            return
        if (self._text_start and not self._atomic[-1]
                and self._src_start[-1] + self._src_len[-1] == src_start):
            # Merge with the previous run when it continues contiguously.
            self._text_len[-1] += length
            self._src_len[-1] += length
            return
        self._append(length, src_start, length, False)

    def add_atomic(self, text_len: int, src_start: int, src_len: int) -> None:
        if text_len <= 0:
            return
        self._append(text_len, src_start, src_len, True)

    def _append(self, text_len: int, src_start: int, src_len: int, atomic: bool) -> None:
        self._text_start.append(self.text_length)
        self._text_len.append(text_len)
        self._src_start.append(src_start)
        self._src_len.append(src_len)
        self._atomic.append(atomic)

    def _run(self, index: int) -> int:
        run = bisect.bisect_right(self._text_start, index) - 1
        return max(run, 0)

    def start(self, index: int) -> int:
        """Source offset where the text character at ``index`` begins."""
        if not self._text_start:
            return 0
        index = min(max(index, 0), self.text_length - 1)
        run = self._run(index)
        if self._atomic[run]:
            return self._src_start[run]
        return self._src_start[run] + index - self._text_start[run]

    def end(self, index: int) -> int:
        """Source offset just after the text character at ``index - 1`` (an exclusive end)."""
        if not self._text_start:
            return 0
        last = min(max(index - 1, 0), self.text_length - 1)
        run = self._run(last)
        if self._atomic[run]:
            return self._src_start[run] + self._src_len[run]
        return self._src_start[run] + last - self._text_start[run] + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span covering text ``[start, end)``; an empty text span maps to a point."""
        if end <= start:
            point = self.start(start)
            return point, point
        return self.start(start), self.end(end)


@dataclass
class Link:
    """A hyperlink: its visible text, its target and where the text sits in the source."""

    text: str
    url: str
    start: int
    end: int
    rel: str = ""


@dataclass
class Block:
    """One unit of prose as a reader sees it: a heading, a paragraph, a list item, a cell."""

    kind: BlockKind
    text: str
    positions: PositionMap
    level: int = 0  # heading level (1-6); 0 for other kinds
    list_id: int | None = None  # items of one list share an id
    list_ordered: bool = False
    depth: int = 0  # nesting depth of lists and blockquotes
    in_blockquote: bool = False
    section: int = 0  # index into Document.sections
    links: list[Link] = field(default_factory=list)
    index: int = 0  # position in Document.blocks
    front_matter_key: str = ""  # for prose from front matter: its key path, e.g. faq[0].answer

    @property
    def start(self) -> int:
        return self.positions.start(0)

    @property
    def end(self) -> int:
        return self.positions.end(len(self.text))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        return self.positions.span(start, end)


REFERENCE_HEADING = re.compile(
    r"(?i)^\W*(?:references?|sources?|citations?|footnotes?|notes|bibliography|further reading|"
    r"works cited|studies cited|read more)\W*$")
_FOOTNOTE_LABEL = re.compile(r"(?m)^[ \t]*\[\^[^\]\n]{1,30}\]:[ \t]*$")


@dataclass
class Section:
    """Text from a heading to the next heading of the same or higher level."""

    index: int
    heading: Block | None
    level: int
    parent: int | None = None


@dataclass
class Comment:
    """An HTML comment in the source (where suppression directives live)."""

    text: str
    start: int
    end: int


@dataclass
class Document:
    """A parsed source file. Offsets are character indices into ``text``."""

    path: str
    text: str
    format: Literal["markdown", "html", "text"]
    blocks: list[Block] = field(default_factory=list)
    front_matter: dict[str, Any] = field(default_factory=dict)
    front_matter_span: tuple[int, int] | None = None
    front_matter_error: str | None = None
    links: list[Link] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # HTML <meta> name/property → content
    json_ld: list[Any] = field(default_factory=list)  # parsed schema.org blocks
    title: str = ""
    encoding: str = "utf-8"
    notices: list[tuple[str, str]] = field(default_factory=list)  # (rule id, message)
    _line_starts: list[int] | None = field(default=None, repr=False)
    _own_host: str | None = field(default=None, repr=False)

    @property
    def own_host(self) -> str:
        """The page's own site (from front matter ``url``/``canonical`` or ``og:url``), so
        links back to it are told apart from sources; "" when the page does not say."""
        if self._own_host is None:
            self._own_host = ""
            for value in (self.front_matter.get("url"), self.front_matter.get("canonical"),
                          self.meta.get("og:url"), self.meta.get("canonical")):
                if isinstance(value, str) and "//" in value:
                    self._own_host = urlparse(value).netloc.lower().removeprefix("www.")
                    break
        return self._own_host

    def is_external(self, link: Link) -> bool:
        """A web link to another site than the page's own."""
        parsed = urlparse(link.url)
        host = parsed.netloc.lower().removeprefix("www.")
        return parsed.scheme in ("http", "https") and bool(host) and host != self.own_host

    def in_reference_list(self, block: Block) -> bool:
        """Whether the block sits under a References / Sources / Footnotes heading: it cites,
        it does not make claims, and its titles are not pasted text."""
        start = block.source_span(0, 0)[0]
        if _FOOTNOTE_LABEL.search(self.text, max(0, start - 40), start):
            return True  # a footnote definition: [^2]: Chen LW, et al. ...
        if not 0 <= block.section < len(self.sections):
            return False
        section: Section | None = self.sections[block.section]
        while section is not None:
            if section.heading is not None and REFERENCE_HEADING.match(section.heading.text):
                return True
            section = self.sections[section.parent] if section.parent is not None else None
        return False

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        if self._line_starts is None:
            starts = [0]
            find = self.text.find
            pos = find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = find("\n", pos + 1)
            self._line_starts = starts
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return line + 1, offset - self._line_starts[line] + 1

    def line_bounds(self, line: int) -> tuple[int, int]:
        """Offsets of the start and end (before the newline) of a 1-based line."""
        self.line_col(0)
        assert self._line_starts is not None
        line = min(max(line, 1), len(self._line_starts))
        start = self._line_starts[line - 1]
        end = self._line_starts[line] - 1 if line < len(self._line_starts) else len(self.text)
        return start, end

    def prose_blocks(self, *kinds: BlockKind) -> list[Block]:
        if not kinds:
            return self.blocks
        return [b for b in self.blocks if b.kind in kinds]

    @property
    def word_count(self) -> int:
        return sum(len(b.text.split()) for b in self.blocks)
