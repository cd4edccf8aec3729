"""The words a pack rule cannot match without: the gate may skip a block only if no match."""

from __future__ import annotations

from pathlib import Path

import pytest

from medlint.api import registry
from medlint.documents import parse_document
from medlint.rules.pack_gate import fold, passes, required_words, stored_required_words
from medlint.rules.packs import PackRule

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("patterns", "expected"), [
    ([r"(?<![\w-])stop\s+taking(?![\w-])"], ((("taking",), ("stop",)),)),
    ([r"(?:foo|bars)+baz"], ((("baz",), ("bars", "foo")),)),
    ([r"x(?>abcd)"], ((("abcd",),),)),
    ([r"Junkies?"], ((("junkie",),),)),
])
def test_required_words(patterns, expected):
    assert required_words(patterns) == expected


@pytest.mark.parametrize("pattern", [
    r"a|bcd",  # a branch with no word of three letters or more
    r"(?:abc)?def?",  # optional text is not required; "de" is too short
    r"[[:alpha:]]abc",  # POSIX class: the regex engine reads it differently
    r"abc{e<=1}",  # fuzzy matching, regex engine only
    r"\p{L}+ing",  # a class Python's parser does not know
    r"[a-z]+",
])
def test_no_gate_when_it_cannot_be_shown(pattern):
    assert required_words([pattern]) is None


def test_dotted_and_dotless_i_fold_to_i():
    assert fold("İNSULİN ınsulin") == "insulin insulin"


def _pack_rules() -> list[type[PackRule]]:
    return [r for r in registry().values() if isinstance(r, type) and issubclass(r, PackRule)]


def test_built_in_packs_have_gates():
    gated = [r.id for r in _pack_rules() if r._gate()]
    assert "language/stigmatizing-term" in gated and "language/unsafe-advice" in gated


def test_gate_passes_every_block_the_scanner_matches():
    """Soundness on real prose: wherever a rule's scanner finds a match, the gate lets the
    block through (so skipping the others cannot lose a finding)."""
    rules = [r for r in _pack_rules() if r._gate()]
    checked = 0
    paths = sorted((ROOT / "corpus").rglob("*.md"))
    texts = [b.text for p in paths for b in parse_document(str(p), p.read_text()).blocks]
    texts += [str(e.text) for r in rules for e in r.examples]
    for rule in rules:
        scanner = rule.scanner if rule.scanner is not None else rule.matcher
        for text in texts:
            if scanner.search(text):
                checked += 1
                assert passes(rule._gate(), fold(text)), (rule.id, text[:120])
    assert checked > 50


def test_stored_gates_are_the_gates(tmp_path, monkeypatch):
    from medlint import startcache

    monkeypatch.setenv("MEDLINT_STARTUP_CACHE", str(tmp_path))
    monkeypatch.setattr(startcache, "_DERIVED", {})
    for rule in _pack_rules():
        patterns = ([e.pattern for e in rule.entries] if rule.entries
                    else [rule.matcher.pattern])
        expected = required_words(patterns)
        assert stored_required_words(patterns) == expected  # worked out and stored
        assert stored_required_words(patterns) == expected  # read back
