"""The compiled-pattern store: a pattern rebuilt from stored opcodes is the same pattern."""

from __future__ import annotations

import marshal

import pytest
import regex

from medlint import patterncache

PATTERNS = [r"(?<![\w-])addicts?(?![\w-])", r"\b(heroin|crack)\s+(?:user|addict)s?\b",
            r"(?P<n>\d+)\s*%|cure[sd]?"]
TEXT = "Crack users and an addict; 95 % cured, co-addicts, heroin addicts. ADDICT"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDLINT_PATTERN_CACHE", str(tmp_path))
    monkeypatch.setattr(patterncache, "_store", None)
    monkeypatch.setattr(patterncache, "_dirty", False)
    return tmp_path


def _same(a, b):
    return ([m.span() for m in a.finditer(TEXT)] == [m.span() for m in b.finditer(TEXT)]
            and (a.groups, a.groupindex, a.flags) == (b.groups, b.groupindex, b.flags))


def test_stored_patterns_rebuild_identically(store, monkeypatch):
    for pattern in PATTERNS:
        patterncache.compile_pattern(pattern, regex.IGNORECASE)
    patterncache._save()
    monkeypatch.setattr(patterncache, "_store", None)  # a new process reads the file
    for pattern in PATTERNS:
        assert (pattern, int(regex.IGNORECASE)) in patterncache._load()
        rebuilt = patterncache.compile_pattern(pattern, regex.IGNORECASE)
        assert _same(rebuilt, regex.compile(pattern, regex.IGNORECASE, cache_pattern=False))


def test_broken_pattern_raises_and_is_not_stored(store):
    with pytest.raises(regex.error):
        patterncache.compile_pattern("(broken", 0)
    assert ("(broken", 0) not in patterncache._load()


def test_a_damaged_file_falls_back_to_compiling(store, monkeypatch):
    path = patterncache.cache_file()
    path.write_bytes(marshal.dumps({(PATTERNS[0], 0): (1, [2, 3])}))
    assert _same(patterncache.compile_pattern(PATTERNS[0]), regex.compile(PATTERNS[0]))
    path.write_bytes(b"not marshal")
    monkeypatch.setattr(patterncache, "_store", None)
    assert _same(patterncache.compile_pattern(PATTERNS[1]), regex.compile(PATTERNS[1]))


def test_switched_off(monkeypatch):
    monkeypatch.setenv("MEDLINT_PATTERN_CACHE", "off")
    assert patterncache.cache_file() is None
    assert _same(patterncache.compile_pattern(PATTERNS[2]), regex.compile(PATTERNS[2]))
