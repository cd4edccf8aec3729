"""The start-up store: what it gives back is what compiling or parsing would give."""

from __future__ import annotations

import marshal

import pytest
import regex
import yaml

from medlint import startcache

PATTERNS = [r"(?<![\w-])addicts?(?![\w-])", r"\b(heroin|crack)\s+(?:user|addict)s?\b",
            r"(?P<n>\d+)\s*%|cure[sd]?"]
TEXT = "Crack users and an addict; 95 % cured, co-addicts, heroin addicts. ADDICT"


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("MEDLINT_STARTUP_CACHE", str(tmp_path))
    monkeypatch.setattr(startcache.PATTERNS, "entries", None)
    monkeypatch.setattr(startcache.PATTERNS, "dirty", False)
    monkeypatch.setattr(startcache, "_DERIVED", {})
    return tmp_path


def _same(a, b):
    return ([m.span() for m in a.finditer(TEXT)] == [m.span() for m in b.finditer(TEXT)]
            and (a.groups, a.groupindex, a.flags) == (b.groups, b.groupindex, b.flags))


def test_stored_patterns_rebuild_identically(store, monkeypatch):
    for pattern in PATTERNS:
        startcache.compile_pattern(pattern, regex.IGNORECASE)
    startcache.PATTERNS.save()
    monkeypatch.setattr(startcache.PATTERNS, "entries", None)  # a new process reads the file
    for pattern in PATTERNS:
        assert (pattern, int(regex.IGNORECASE)) in startcache.PATTERNS.load()
        rebuilt = startcache.compile_pattern(pattern, regex.IGNORECASE)
        assert _same(rebuilt, regex.compile(pattern, regex.IGNORECASE, cache_pattern=False))


def test_broken_pattern_raises_and_is_not_stored(store):
    with pytest.raises(regex.error):
        startcache.compile_pattern("(broken", 0)
    assert ("(broken", 0) not in startcache.PATTERNS.load()


def test_a_damaged_file_falls_back_to_compiling(store, monkeypatch):
    path = startcache.PATTERNS.path()
    path.write_bytes(marshal.dumps({(PATTERNS[0], 0): (1, [2, 3])}))
    assert _same(startcache.compile_pattern(PATTERNS[0]), regex.compile(PATTERNS[0]))
    path.write_bytes(b"not marshal")
    monkeypatch.setattr(startcache.PATTERNS, "entries", None)
    assert _same(startcache.compile_pattern(PATTERNS[1]), regex.compile(PATTERNS[1]))


def test_switched_off(monkeypatch):
    monkeypatch.setenv("MEDLINT_STARTUP_CACHE", "off")
    assert startcache.cache_folder() is None
    assert _same(startcache.compile_pattern(PATTERNS[2]), regex.compile(PATTERNS[2]))


def test_yaml_comes_back_equal_and_fresh_and_dates_are_parsed_each_time(store):
    calls = []

    def parse(text):
        calls.append(text)
        return yaml.safe_load(text)

    text = "words: [a, b]\nweight: 0.125\nnested: {x: 1}\n"
    first = startcache.parse_yaml(text, parse, "test")
    first["words"].append("changed")
    again = startcache.parse_yaml(text, parse, "test")
    assert again == {"words": ["a", "b"], "weight": 0.125, "nested": {"x": 1}}
    assert len(calls) == 1
    dated = "reviewed: 2026-01-02\n"
    assert startcache.parse_yaml(dated, parse, "test") == startcache.parse_yaml(dated, parse,
                                                                                "test")
    assert len(calls) == 3  # a date cannot be stored, so it is parsed again
