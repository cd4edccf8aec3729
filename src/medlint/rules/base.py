"""What a rule is: identity, documentation, examples, the NLP it needs, and ``check``."""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from medlint.documents.model import Block, Document
    from medlint.metrics import Metrics
    from medlint.nlp import NLPResults

CATEGORIES = ("readability", "spam", "claims", "attribution", "language", "document")

# What a rule may ask of the NLP layer, cheapest first.
NEEDS = ("sentences", "tags", "lemmas", "parse", "entities")


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> Severity:
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (use error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


# The severity contract (README "Severities"): what each level promises an editor. A rule
# declares its class as ``Rule.contract``; tests/test_severity_contract.py checks every
# registered rule's default severity (and the calibrated thresholds) against it.
#   defect      error: no page should be published with it (unsafe advice, an impossible
#               review date, a file medlint could not check)
#   review      warning: an editor should look (unsupported claims, missing reviewer,
#               stigmatizing terms, grade far above target); a finding may be graded down
#               to info, never up to error
#   style       info: style advice (passive voice, single long sentences, jargon)
#   calibrated  a detector with a calibrated confidence (pasted or spliced text): the level
#               of each finding comes from its confidence (medlint.rules.spam.severity_for),
#               error only at measured high precision; the default for overrides is warning
CONTRACTS: dict[str, Severity] = {
    "defect": Severity.ERROR,
    "review": Severity.WARNING,
    "style": Severity.INFO,
    "calibrated": Severity.WARNING,
}


def contract_for(severity: Severity) -> str:
    """The contract class a rule without a declared one (a user's pack, a plugin) is held
    to: the one whose default level it uses, so nothing outside medlint has to change."""
    return {Severity.ERROR: "defect", Severity.WARNING: "review", Severity.INFO: "style"}[
        severity]


@dataclass(frozen=True)
class Example:
    """A snippet the rule must flag (``fails``) or leave alone. The test suite runs every one."""

    text: str
    fails: bool
    path: str = "example.md"  # the suffix picks the format (.md, .html, .txt)
    options: Mapping[str, Any] = field(default_factory=dict)
    data: bytes | None = None  # raw file bytes, for rules about encodings and binary files


def bad(text: str, **kw: Any) -> Example:
    return Example(text=text, fails=True, **kw)


def good(text: str, **kw: Any) -> Example:
    return Example(text=text, fails=False, **kw)


def option_name(key: str) -> str:
    """The documented spelling of an option or config key (``max-words``). Rules name options
    as Python identifiers (``max_words``); users, errors and ``explain`` see hyphens."""
    return key.replace("_", "-")


@dataclass(frozen=True)
class Option:
    """A documented, typed rule setting that config can override."""

    default: Any
    help: str
    type: type | tuple[type, ...] | None = None

    def validate(self, name: str, value: Any) -> Any:
        expected = self.type or type(self.default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            names = expected.__name__ if isinstance(expected, type) else "/".join(
                t.__name__ for t in expected)
            raise ValueError(f"option {name!r} must be {names}, not {type(value).__name__}")
        return value


@dataclass
class Finding:
    """A problem at ``[start, end)`` in the document's text. Severity is set by the engine."""

    rule: str
    message: str
    start: int
    end: int
    fix: str | None = None  # replacement for [start, end) when the rule is fixable
    data: dict[str, Any] = field(default_factory=dict)
    # A rule may grade one finding (e.g. by claim strength); a severity configured for the
    # rule or its category still wins.
    severity: Severity | None = None


@dataclass
class RuleContext:
    """What a rule may read besides the document: its options, the date, NLP, run signals."""

    options: Mapping[str, Any]
    today: _dt.date
    nlp: NLPResults | None = None
    run: Mapping[str, Any] = field(default_factory=dict)  # read-only signals from the whole run
    # A plugin's own JSON metrics; built-in categories compute theirs as ``Rule.metrics``.
    metrics: dict[str, Any] = field(default_factory=dict)
    shared: dict[str, Any] = field(default_factory=dict)  # per-document cache rules share

    def sentences(self, block: Block) -> list[tuple[int, int]]:
        """Sentence spans in block text coordinates (the whole block when NLP is off)."""
        if self.nlp is None:
            return [(0, len(block.text))]
        return self.nlp.sentences(block)

    def spacy(self, block: Block) -> Any:
        """The spaCy Doc for a block, or None when the pipeline lacks what was asked."""
        return None if self.nlp is None else self.nlp.doc(block)

    def parse(self, blocks: Iterable[Block]) -> None:
        """Adds heads and dependency labels to these blocks' spaCy docs (for a rule with
        ``parses_on_demand``: the parser is costly, so it runs only on the blocks asked for)."""
        if self.nlp is not None:
            self.nlp.parse(blocks)


class Rule:
    """Base of every rule. Subclasses set the class attributes and implement ``check``.

    A rule reads the document and yields findings with spans; it never reads files, prints,
    sets its own severity or decides the exit code.
    """

    id: ClassVar[str]
    category: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    # The severity contract class (CONTRACTS); "" = not declared, held to contract_for.
    contract: ClassVar[str] = ""
    rationale: ClassVar[str]
    source: ClassVar[str]
    examples: ClassVar[tuple[Example, ...]] = ()
    needs: ClassVar[frozenset[str]] = frozenset()
    options: ClassVar[Mapping[str, Option]] = {}
    # The document metrics the rule reads: the engine computes them once, before the rules.
    metrics: ClassVar[tuple[type[Metrics], ...]] = ()
    fixable: ClassVar[bool] = False
    # The rule's reference page (``medlint explain``, docs/rules/reference.md) is built from
    # these: ``description`` is "What it checks", ``not_flagged`` what it deliberately leaves
    # alone, ``unmeasured`` why real-text precision and recall are missing or partial, and
    # ``suppression`` replaces the comment syntax for findings comments cannot reach.
    description: ClassVar[str] = ""
    not_flagged: ClassVar[str] = ""
    unmeasured: ClassVar[str] = ""
    suppression: ClassVar[str] = ""
    origin: ClassVar[str] = "builtin"  # builtin, pack file path, or plugin name
    internal: ClassVar[bool] = False  # raised by the engine itself; has no examples
    uses_run: ClassVar[bool] = False  # reads RuleContext.run (the first-pass run signals)
    # A rule that needs "parse" gets every block parsed before ``check``, unless it narrows
    # the blocks down itself and calls ``RuleContext.parse`` on those (the parser is costly).
    parses_on_demand: ClassVar[bool] = False

    def check(self, doc: Document, ctx: RuleContext) -> Iterable[Finding]:
        raise NotImplementedError

    def finding(self, message: str, start: int, end: int, **kw: Any) -> Finding:
        return Finding(self.id, message, start, end, **kw)

    def block_finding(self, block: Block, message: str, start: int, end: int,
                      **kw: Any) -> Finding:
        """A finding given in block-text coordinates, mapped to the source."""
        src_start, src_end = block.source_span(start, end)
        return Finding(self.id, message, src_start, src_end, **kw)

    @classmethod
    def contract_class(cls) -> str:
        """The declared contract class, or the one the default severity implies."""
        return cls.contract or contract_for(cls.severity)

    @classmethod
    def default_options(cls) -> dict[str, Any]:
        return {name: opt.default for name, opt in cls.options.items()}

    @classmethod
    def resolve_options(cls, overrides: Mapping[str, Any]) -> dict[str, Any]:
        resolved = cls.default_options()
        for name, value in overrides.items():
            key = name.replace("-", "_")  # the underscore spelling is still accepted
            if key not in cls.options:
                known = ", ".join(sorted(map(option_name, cls.options))) or "none"
                raise ValueError(f"rule {cls.id} has no option {option_name(name)!r} "
                                 f"(options: {known})")
            resolved[key] = cls.options[key].validate(option_name(name), value)
        return resolved

    @classmethod
    def summary(cls) -> dict[str, Any]:
        return {
            "id": cls.id,
            "category": cls.category,
            "severity": str(cls.severity),
            "rationale": cls.rationale,
            "source": cls.source,
            "fixable": cls.fixable,
            "needs": sorted(cls.needs),
            "origin": cls.origin,
        }

    @classmethod
    def defined_in(cls) -> str:
        """The file that defines the rule, for ``medlint explain``: a pack file or plugin as
        recorded in ``origin``, else the module's path inside the package (medlint/rules/...)."""
        if cls.origin != "builtin":
            return cls.origin
        module = sys.modules.get(cls.__module__)
        file = getattr(module, "__file__", None)
        if not file:
            return cls.origin
        package_parent = Path(__file__).resolve().parents[2]  # the folder holding medlint/
        try:
            return Path(file).resolve().relative_to(package_parent).as_posix()
        except ValueError:  # a rule class defined outside medlint (a plugin, a test)
            return cls.__module__.replace(".", "/") + ".py"


DOC_HEADINGS = ("What it checks", "Why it matters", "Example", "What it does not flag",
                "Options", "How to suppress", "Measured accuracy on real text")


def doc_examples(cls: type[Rule]) -> tuple[Example | None, Example | None]:
    """The flagged example and its fixed version: the passing example closest to the first
    failing one (the pair a reader compares), both run by tests/test_rule_examples.py."""
    import difflib

    bads = [e for e in cls.examples if e.fails]
    goods = [e for e in cls.examples if not e.fails]
    if not bads:
        return None, None
    bad_ex = bads[0]
    # A fix changes the text, not the options: prefer passing examples run as the bad one is.
    goods = [g for g in goods if dict(g.options) == dict(bad_ex.options)] or goods
    if not goods:
        return bad_ex, None
    return bad_ex, max(goods, key=lambda g: difflib.SequenceMatcher(
        None, bad_ex.text, g.text).ratio())


def _example_text(ex: Example) -> str:
    if ex.data is not None:
        shown = ex.data[:60]
        return f"(raw file bytes) {shown!r}" + (" ..." if len(ex.data) > 60 else "")
    return ex.text.rstrip("\n")


def _with_options(ex: Example) -> str:
    if not ex.options:
        return ""
    return "\n(with options " + ", ".join(
        f"{option_name(k)} = {v!r}" for k, v in ex.options.items()) + ")"


def _fraction(figure: Mapping[str, Any], key: str) -> str:
    value = figure.get(key)
    return "n/a" if value is None else f"{value:.2f}"


def accuracy_text(cls: type[Rule], accuracy: Mapping[str, Any] | None) -> str:
    """The rule's measured precision and recall on real text, from the data file written by
    ``python -m tools.rule_accuracy`` (date and data set named), or why there is none."""
    if not accuracy:
        return ("No measurement file (lint_rules/data/rule-accuracy.json) is installed. "
                + (cls.unmeasured or ""))
    figures = accuracy.get("rules", {}).get(cls.id, {})
    sets = accuracy.get("data-sets", {})
    when = f"measured {accuracy.get('date', '?')} at {accuracy.get('commit', '?')}"
    lines = []
    spam = figures.get("spam-passages")
    if spam:
        n = sets.get("real-web passages", {}).get("spam-passages", "?")
        lines.append(
            f"Precision {_fraction(spam, 'precision')} ({spam['right']} of {spam['findings']} "
            f"findings on {n} labeled spam passages find a label), recall "
            f"{_fraction(spam, 'recall')} ({spam['labels-found']} of {spam['labels']} garbled "
            f"spans and spliced sentences); {spam['clean-per-10k-words']} findings per 10k "
            "words on the 45 clean passages. Data set: real-web spam/, spam2/, clean/.")
    sent = figures.get("claim-sentences")
    if sent:
        n = sets.get("real-web claim sentences", {})
        lines.append(
            f"Precision {_fraction(sent, 'precision')}, recall {_fraction(sent, 'recall')} on "
            f"the {n.get('sentences', '?')} labeled sentences ({n.get('need-a-source', '?')} "
            f"need a source): {sent['right']} right, {sent['false']} false, {sent['missed']} "
            "missed. Data set: real-web claims/sentences.jsonl (pages of real-sites).")
    claimed = figures.get("unsupported-claims-found")
    if claimed:
        lines.append(f"Finds {claimed['found']} of the {claimed['labels']} unsupported claims "
                     "labeled in the real-web passages.")
    review = figures.get("clean-passages")
    if review:
        lines.append(
            f"Precision {_fraction(review, 'precision')}, recall {_fraction(review, 'recall')} "
            f"on the 45 clean real-web passages labeled for a review line ({review['right']} "
            f"right, {review['false']} false, {review['missed']} missed); the passages are "
            "excerpts, so a review line elsewhere on the page is not seen.")
    if not lines:
        lines.append("No real-text precision or recall: " + (cls.unmeasured or "(reason not "
                                                             "documented)"))
    elif cls.unmeasured:
        lines.append("Note: " + cls.unmeasured)
    rate = figures.get("reputable-per-1k-words")
    pages = sets.get("real-sites reputable")
    if pages:
        lines.append(f"On the {pages['reputable-pages']} reputable real-sites pages "
                     f"({pages['reputable-words']:,} words): {rate or 0} findings per 1k words.")
    return " ".join(lines) + f" ({when}, `python -m tools.rule_accuracy --sites`.)"


def suppress_text(cls: type[Rule]) -> str:
    """The suppression syntax of medlint/suppression.py, spelled for this rule."""
    rule_id = cls.id
    if cls.suppression:
        return cls.suppression
    return (f"`<!-- medlint-disable-next-line {rule_id} -->` before the line; "
            f"`<!-- medlint-disable {rule_id} -->` ... `<!-- medlint-enable {rule_id} -->` "
            f"around a passage; `<!-- medlint-disable-file {rule_id} -->` for the file; front "
            f"matter `medlint: {{ignore: [{rule_id}]}}`; or `ignore = [\"{rule_id}\"]` in "
            ".medlint.toml. The category name in place of the id covers all its rules.")


def doc_sections(cls: type[Rule],
                 accuracy: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """The rule's reference, heading by heading (DOC_HEADINGS): one source for
    docs/rules/reference.md and ``medlint explain``, so the two cannot disagree."""
    bad_ex, good_ex = doc_examples(cls)
    if bad_ex is None:
        example = ("None runnable: the engine raises this finding itself when a rule fails "
                   "on a file; tests/test_engine.py makes a rule fail to check it.")
    else:
        example = "Flagged:\n" + _example_text(bad_ex) + _with_options(bad_ex)
        example += ("\n\nFixed:\n" + _example_text(good_ex) + _with_options(good_ex)
                    if good_ex else "\n\n(no passing example)")
    if cls.options:
        options = "\n".join(f"- `{option_name(name)}` (default `{opt.default!r}`): {opt.help}"
                             for name, opt in cls.options.items())
    else:
        options = ("None. Its severity can be set in .medlint.toml: "
                   f"`[severity] \"{cls.id}\" = \"info\"`.")
    why = f"{cls.rationale}\n\nStandard: {cls.source}"
    return list(zip(DOC_HEADINGS, (cls.description, why, example, cls.not_flagged, options,
                                   suppress_text(cls), accuracy_text(cls, accuracy)),
                    strict=True))


def iter_sentences(ctx: RuleContext, doc: Document,
                   kinds: Iterable[str] | None = None) -> Iterator[tuple[Block, int, int]]:
    """Every (block, start, end) sentence of the chosen block kinds."""
    wanted = set(kinds) if kinds else None
    for block in doc.blocks:
        if wanted is None or block.kind in wanted:
            for start, end in ctx.sentences(block):
                yield block, start, end
