"""Words a pack rule cannot match without: a cheap test before the regular-expression scan.

Pack patterns that open with lookbehinds ("not after a word", "after 'you should'") are tried
at every character of every sentence, which made the language packs the costliest rules after
the NLP itself. Nearly every pattern needs some literal word ("stop", "detox", "addict"), so a
block that contains none of a rule's required words cannot hold a match and is not scanned.

The words are read from the pattern's parse tree (Python's own regular-expression parser).
Anything this module cannot reason about (syntax only the ``regex`` engine knows, a branch
without a required word) means no gate for the whole rule, so the gate never changes a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from re import _constants as C
from re import _parser as sre_parse
from typing import Any

MIN_WORD = 3  # shorter required strings ("to", "an") are in every block: not worth testing
GROUPS_PER_PATTERN = 2  # the most selective groups tested per pattern (more cost more tests)
# Syntax the ``regex`` engine reads differently from Python's parser (POSIX classes, fuzzy
# matching "{e<=1}", anything in braces that is not a repeat count): no gate.
_FOREIGN_SYNTAX = re.compile(r"\[:|\{(?!\d*,?\d*\})")
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
# Letters that regular expressions match case-insensitively as "i" but casefold() does not map
# to "i" (checked over all of Unicode against both engines).
_DOTTED = str.maketrans({"İ": "i", "ı": "i"})


def fold(text: str) -> str:
    """The form both the required words and the scanned text are compared in."""
    return text.translate(_DOTTED).casefold()


Gate = tuple[tuple[str, ...], ...]  # every one of these groups needs one of its strings


def required_words(patterns: Iterable[str]) -> tuple[Gate, ...] | None:
    """For each pattern, groups of strings every match contains one of from each group
    (folded); None when that cannot be shown for some pattern (scan every block then)."""
    gates: set[Gate] = set()
    for pattern in patterns:
        gate = _pattern_gate(pattern)
        if gate is None:
            return None
        gates.add(gate)
    return tuple(sorted(gates)) if gates else None


def stored_required_words(patterns: Sequence[str]) -> tuple[Gate, ...] | None:
    """``required_words``, read back from the start-up cache when worked out before for these
    patterns by this very module (its source is part of the key): reading the parse trees of
    the built-in packs takes about 0.1 s per run."""
    from medlint.startcache import derived

    source = b"\0".join([Path(__file__).read_bytes(),
                         *(p.encode("utf-8", "surrogatepass") for p in patterns)])
    found = derived("pack-gates", source, lambda: required_words(patterns) or ())
    return tuple(tuple(tuple(group) for group in gate) for gate in found) or None


def passes(gates: tuple[Gate, ...], text: str) -> bool:
    """Whether folded ``text`` holds what at least one pattern needs."""
    return any(all(any(word in text for word in group) for group in gate) for gate in gates)


def _pattern_gate(pattern: str) -> Gate | None:
    if _FOREIGN_SYNTAX.search(pattern):
        return None
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    groups = [g for g in _sequence(list(parsed)) if min(len(w) for w in g) >= MIN_WORD]
    if not groups:
        return None
    groups.sort(key=_selectivity, reverse=True)
    return tuple(tuple(sorted(g)) for g in groups[:GROUPS_PER_PATTERN])


def _selectivity(words: set[str]) -> tuple[int, int]:
    return min(len(w) for w in words), -len(words)


def _sequence(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Groups of strings such that every match of this sequence holds one of each group."""
    groups: list[set[str]] = []
    run: list[str] = []

    def close_run() -> None:
        text = "".join(run)
        if text and text.isascii():
            groups.append({fold(text)})
        run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        close_run()
        if op is C.SUBPATTERN:  # (group, add_flags, del_flags, pattern)
            groups += _sequence(list(av[-1]))
        elif op is getattr(C, "ATOMIC_GROUP", None):  # the pattern itself
            groups += _sequence(list(av))
        elif op is C.BRANCH:
            found = _branch(av[1])
            if found:
                groups.append(found)
        elif op in _REPEATS and av[0] >= 1:
            groups += _sequence(list(av[2]))
    close_run()
    return groups


def _branch(alternatives: list[Any]) -> set[str] | None:
    """One group for a choice: each alternative's most selective group, together."""
    words: set[str] = set()
    for alternative in alternatives:
        groups = _sequence(list(alternative))
        if not groups:
            return None
        words |= max(groups, key=_selectivity)
    return words
