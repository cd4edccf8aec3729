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
    description: ClassVar[str] = ""
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


def iter_sentences(ctx: RuleContext, doc: Document,
                   kinds: Iterable[str] | None = None) -> Iterator[tuple[Block, int, int]]:
    """Every (block, start, end) sentence of the chosen block kinds."""
    wanted = set(kinds) if kinds else None
    for block in doc.blocks:
        if wanted is None or block.kind in wanted:
            for start, end in ctx.sentences(block):
                yield block, start, end
