"""Engine behaviour that no single rule shows: failures, timeouts, selection, severities."""

import datetime as dt

import regex

from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.rules.base import Rule, Severity, bad, good
from medlint.rules.packs import build_rule


class Crashing(Rule):
    id = "document/test-crash"
    category = "document"
    rationale = "test"
    source = "test"
    examples = (bad("x"), good("y"))

    def check(self, doc, ctx):
        yield self.finding("before the crash", 0, 1)
        raise KeyError("boom")


def lint(registry, text, path="a.md", **config):
    engine = Engine(Config(today=dt.date(2026, 11, 25), **config), registry)
    return next(iter(engine.lint([Source(path, text.encode())])))


def test_rule_crash_becomes_a_finding_and_others_still_run():
    from medlint.rules.document import FrontMatter, RuleFailure

    registry = {c.id: c for c in (Crashing, FrontMatter, RuleFailure)}
    result = lint(registry, "---\n: [\n---\ntext\n")
    rules = sorted(f.rule for f in result.findings)
    assert rules == ["document/front-matter", "document/rule-error", "document/test-crash"]
    error = next(f for f in result.findings if f.rule == "document/rule-error")
    assert "document/test-crash" in error.message and "KeyError" in error.message
    assert error.severity == Severity.ERROR


def test_catastrophic_pack_regex_times_out(monkeypatch, tmp_path):
    from medlint.rules import packs
    from medlint.rules.document import RuleFailure

    monkeypatch.setattr(packs, "REGEX_TIMEOUT", 0.05)
    spec = {"id": "language/slow", "kind": "existence", "rationale": "r", "source": "s",
            "message": "m", "patterns": [r"(a|aa)+$"], "nonword": True,
            "examples": {"bad": ["a"], "good": ["b"]}}
    slow = build_rule(spec, tmp_path / "slow.yaml")
    registry = {slow.id: slow, RuleFailure.id: RuleFailure}
    result = lint(registry, "a" * 60 + "b\n")
    (finding,) = result.findings
    assert finding.rule == "document/rule-error"
    assert "language/slow" in finding.message and "time limit" in finding.message


def test_category_severity_and_rule_severity_precedence(tmp_path):
    spec = {"id": "language/flag-x", "kind": "existence", "rationale": "r", "source": "s",
            "message": "x", "tokens": ["xylophone"], "examples": {"bad": ["a"], "good": ["b"]}}
    rule = build_rule(spec, tmp_path / "p.yaml")
    registry = {rule.id: rule}
    text = "A xylophone.\n"
    assert lint(registry, text).findings[0].severity == Severity.WARNING
    cat = lint(registry, text, severity={"language": Severity.INFO})
    assert cat.findings[0].severity == Severity.INFO
    both = lint(registry, text, severity={"language": Severity.INFO,
                                          "language/flag-x": Severity.ERROR})
    assert both.findings[0].severity == Severity.ERROR
    assert lint(registry, text, ignore=["language"]).findings == []
    assert lint(registry, text, select=["claims"]).findings == []


def test_unless_and_exceptions_in_packs(tmp_path):
    spec = {"id": "claims/test-cure", "kind": "existence", "rationale": "r", "source": "s",
            "message": "m", "tokens": ["cure"], "scope": "sentence",
            "unless": [r"\bno\s+cure\b"], "exceptions": [r"cure-all\s+myths"],
            "examples": {"bad": ["a"], "good": ["b"]}}
    rule = build_rule(spec, tmp_path / "p.yaml")
    registry = {rule.id: rule}
    text = "There is no cure yet. This pill is a cure. We debunk cure-all myths.\n"
    result = lint(registry, text)
    assert [text[f.offset:f.end_offset] for f in result.findings] == ["cure"]
    assert result.findings[0].offset == text.index("a cure") + 2


def test_substitution_keeps_case(tmp_path):
    spec = {"id": "language/test-swap", "kind": "substitution", "rationale": "r",
            "source": "s", "message": "use '{replacement}' not '{match}'", "fixable": True,
            "swap": [{"match": "addicts", "replace": "people with addiction"},
                     {"match": "addict", "replace": "person with addiction"}],
            "examples": {"bad": ["a"], "good": ["b"]}}
    rule = build_rule(spec, tmp_path / "p.yaml")
    result = lint({rule.id: rule}, "Addicts and an addict. ADDICTS.\n")
    assert [f.fix for f in result.findings] == [
        "People with addiction", "person with addiction", "PEOPLE WITH ADDICTION"]
    assert result.findings[0].message == "use 'People with addiction' not 'Addicts'"


def test_word_boundaries_are_unicode_aware(tmp_path):
    spec = {"id": "language/test-word", "kind": "existence", "rationale": "r", "source": "s",
            "message": "m", "tokens": ["café"], "examples": {"bad": ["a"], "good": ["b"]}}
    rule = build_rule(spec, tmp_path / "p.yaml")
    result = lint({rule.id: rule}, "Un café. Cafés. décafé.\n")
    assert len(result.findings) == 1
    assert regex.search(r"\w", "é")
