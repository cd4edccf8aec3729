"""Builds the prose of one block and its position map, collapsing whitespace as readers see it."""

from __future__ import annotations

import html
from collections.abc import Callable

import regex

from medlint.documents.model import PositionMap

_WS = regex.compile(r"\s+")
ENTITY = regex.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


class BlockBuilder:
    """Collects text pieces with their source offsets; whitespace runs become one space."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self.positions = PositionMap()
        self._length = 0
        self._pending_space: tuple[int, int] | None = None  # source span of a collapsed run

    @property
    def length(self) -> int:
        """Length of the text so far, counting a space that is still pending."""
        return self._length + (1 if self._pending_space and self._length else 0)

    def _flush_space(self) -> None:
        if self._pending_space is not None and self._length:
            start, end = self._pending_space
            self._parts.append(" ")
            if end - start == 1:
                self.positions.add_verbatim(start, 1)
            else:
                self.positions.add_atomic(1, start, end - start)
            self._length += 1
        self._pending_space = None

    def space(self, src_start: int, src_end: int) -> None:
        """A break in the source (newline, <br>, collapsed whitespace) that reads as one space."""
        if self._pending_space is None:
            self._pending_space = (src_start, max(src_end, src_start + 1))

    def verbatim(self, source: str, src_start: int, src_end: int | None = None) -> None:
        """Source characters that appear unchanged in the prose (whitespace still collapses)."""
        end = len(source) if src_end is None else src_end
        pos = src_start
        for match in _WS.finditer(source, src_start, end):
            if match.start() > pos:
                self._word(source, pos, match.start())
            self.space(match.start(), match.end())
            pos = match.end()
        if pos < end:
            self._word(source, pos, end)

    def _word(self, source: str, start: int, end: int) -> None:
        self._flush_space()
        self._parts.append(source[start:end])
        self.positions.add_verbatim(start, end - start)
        self._length += end - start

    def mapped(self, text: str, src_start: int, src_end: int) -> None:
        """Text that stands for a source span of another form, such as an entity."""
        if not text:
            return
        if text.isspace():
            self.space(src_start, src_end)
            return
        self._flush_space()
        self._parts.append(text)
        self.positions.add_atomic(len(text), src_start, src_end - src_start)
        self._length += len(text)

    def decoded(self, source: str, src_start: int, src_end: int) -> None:
        """Raw HTML character data: entities are decoded, everything else kept verbatim."""
        pos = src_start
        for match in ENTITY.finditer(source, src_start, src_end):
            if match.start() > pos:
                self.verbatim(source, pos, match.start())
            self.mapped(html.unescape(match.group()), match.start(), match.end())
            pos = match.end()
        if pos < src_end:
            self.verbatim(source, pos, src_end)

    def text(self) -> str:
        return "".join(self._parts)


def align_piece(
    piece: str,
    raw: str,
    cursor: int,
    limit: int,
    emit_verbatim: Callable[[int, int], None],
    emit_mapped: Callable[[str, int, int], None],
) -> int:
    """Finds ``piece`` (parser output) in ``raw`` source from ``cursor`` and reports its mapping.

    Parsers such as markdown-it give decoded text without positions; this walks the source,
    matching characters and treating backslash escapes and entities as the characters they
    produce. Returns the new cursor.
    """
    found = raw.find(piece, cursor, limit)
    if found != -1 and "&" not in raw[cursor:found] and "\\" not in raw[cursor:found]:
        emit_verbatim(found, found + len(piece))
        return found + len(piece)
    i = 0
    j = cursor
    run_start = -1
    while i < len(piece) and j < limit:
        ch = piece[i]
        if raw[j] == ch:
            if run_start < 0:
                run_start = j
            i += 1
            j += 1
            continue
        if run_start >= 0:
            emit_verbatim(run_start, j)
            run_start = -1
        if raw[j] == "\\" and j + 1 < limit and raw[j + 1] == ch:
            emit_verbatim(j + 1, j + 2)
            i += 1
            j += 2
            continue
        if raw[j] == "&":
            match = ENTITY.match(raw, j, limit)
            if match:
                decoded = html.unescape(match.group())
                if decoded and piece.startswith(decoded, i):
                    emit_mapped(decoded, j, match.end())
                    i += len(decoded)
                    j = match.end()
                    continue
        j += 1  # markup the parser consumed (emphasis markers, brackets, ...)
    if run_start >= 0:
        emit_verbatim(run_start, j)
    if i < len(piece):
        # Could not align the rest: map it to where we stopped rather than guess.
        emit_mapped(piece[i:], min(j, limit), min(j, limit))
    return j
