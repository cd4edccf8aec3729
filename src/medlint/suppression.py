"""Suppression comments and front-matter ignores.

``<!-- medlint-disable [ids] -->`` … ``<!-- medlint-enable [ids] -->``,
``<!-- medlint-disable-next-line [ids] -->``, ``<!-- medlint-disable-file [ids] -->`` and
front matter ``medlint: {ignore: [ids]}``. Ids may be rule ids or categories; none means all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from medlint.config import rule_matches
from medlint.documents.model import Document

_DIRECTIVE = regex.compile(
    r"medlint-(disable-next-line|disable-file|disable|enable)\b([^>]*?)(?:-->|$)")
_ALL = "*"


@dataclass
class Suppressions:
    ranges: list[tuple[str, int, int]] = field(default_factory=list)  # (selector, start, end)
    file_wide: list[str] = field(default_factory=list)
    problems: list[tuple[str, int, int]] = field(default_factory=list)  # (message, start, end)

    def suppressed(self, rule_id: str, start: int) -> bool:
        for selector in self.file_wide:
            if selector == _ALL or rule_matches(selector, rule_id):
                return True
        for selector, lo, hi in self.ranges:
            if lo <= start < hi and (selector == _ALL or rule_matches(selector, rule_id)):
                return True
        return False


def _selectors(raw: str) -> list[str]:
    items = [s for s in regex.split(r"[\s,]+", raw.strip()) if s]
    return items or [_ALL]


def collect(doc: Document) -> Suppressions:
    sup = Suppressions()
    open_at: dict[str, int] = {}
    for comment in sorted(doc.comments, key=lambda c: c.start):
        for m in _DIRECTIVE.finditer(comment.text):
            action, selectors = m.group(1), _selectors(m.group(2))
            if action == "disable-file":
                sup.file_wide.extend(selectors)
            elif action == "disable":
                for s in selectors:
                    open_at.setdefault(s, comment.start)
            elif action == "enable":
                for s in selectors:
                    if s == _ALL:
                        for key, start in open_at.items():
                            sup.ranges.append((key, start, comment.end))
                        open_at.clear()
                    elif s in open_at:
                        sup.ranges.append((s, open_at.pop(s), comment.end))
                    else:
                        sup.problems.append((f"medlint-enable {s} without a matching "
                                             "medlint-disable", comment.start, comment.end))
            else:  # disable-next-line
                line, _ = doc.line_col(comment.end)
                total_lines = doc.text.count("\n") + 1
                nxt = line + 1
                while nxt <= total_lines:
                    lo, hi = doc.line_bounds(nxt)
                    if doc.text[lo:hi].strip():
                        for s in selectors:
                            sup.ranges.append((s, lo, hi + 1))
                        break
                    nxt += 1
    for selector, start in open_at.items():
        sup.ranges.append((selector, start, len(doc.text) + 1))
    meta = doc.front_matter.get("medlint")
    if isinstance(meta, dict):
        ignore = meta.get("ignore", [])
        if isinstance(ignore, str):
            ignore = [ignore]
        if isinstance(ignore, list):
            sup.file_wide.extend(str(i) for i in ignore)
    return sup
