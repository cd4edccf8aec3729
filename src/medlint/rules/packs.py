"""Rule packs: YAML files in ``lint_rules/`` whose rules are instances of a few kinds.

Kinds (in the spirit of Vale's):

* ``existence``: flag listed ``tokens`` (word-bounded phrases) or ``patterns`` (regexes).
* ``substitution``: flag ``swap`` keys and suggest their replacement; can be ``fixable``.

Both take ``scope`` (heading, paragraph, list, table, sentence, document), ``ignorecase``,
``exceptions`` (regexes; a match inside one is ignored) and ``unless`` (regexes; a match is
ignored when its sentence also matches one, e.g. negation: "there is no cure").

Context options (all optional, additive):

* ``exception_scope``: ``window`` (default: exceptions are searched within 80 characters of the
  match) or ``block`` (searched over the whole block from its start, once per block, so long
  spans such as quotations pair their quote marks correctly).
* Per entry: a ``swap`` entry, and an existence ``tokens``/``patterns`` item written as a
  mapping (``{pattern|match, source, note, unless, exceptions}``), may carry its own
  ``unless`` and ``exceptions``, evaluated only for that entry's matches. Swap entries may also
  set ``fixable: false`` (suggest only) and ``expand: true`` (``replace`` may use ``\\1`` or
  ``\\g<name>`` from the entry's own ``pattern``; a group that opens a capitalised match is
  lower-cased, since the capital belonged to the sentence start).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import regex
import yaml

from medlint.documents.frontmatter import MAX_VALUES, BoundedLoader
from medlint.resources import YAML_LOADER, load_yaml
from medlint.rules.base import (
    CATEGORIES,
    CONTRACTS,
    Example,
    Finding,
    Option,
    Rule,
    RuleContext,
    Severity,
)
from medlint.rules.pack_gate import Gate, fold, passes, stored_required_words
from medlint.startcache import compile_pattern

REGEX_TIMEOUT = 1.0  # seconds a single pack regex may run on one block
SCOPES = ("heading", "paragraph", "list", "table", "sentence", "document")
_SCOPE_KINDS = {
    "heading": {"heading"},
    "paragraph": {"paragraph", "blockquote", "text"},
    "list": {"list_item"},
    "table": {"table_cell"},
    "sentence": {"paragraph", "blockquote", "text", "list_item", "table_cell"},
    "document": {"heading", "paragraph", "blockquote", "text", "list_item", "table_cell"},
}
_COMMON_KEYS = {"id", "kind", "category", "severity", "scope", "rationale", "source", "message",
                "ignorecase", "nonword", "exceptions", "unless", "examples", "description",
                "not_flagged", "unmeasured", "link", "exception_scope", "contract"}
EXCEPTION_SCOPES = ("window", "block")
_SWAP_KEYS = {"match", "pattern", "replace", "source", "note", "unless", "exceptions", "fixable",
              "expand"}
_ITEM_KEYS = {"match", "pattern", "source", "note", "unless", "exceptions"}
_TEMPLATE_REF = regex.compile(r"\\g<(\w+)>|\\(\d+)")
_SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the",
                "to", "who", "with"}
_KIND_KEYS = {
    "existence": {"tokens", "patterns"},
    "substitution": {"swap", "fixable"},
}


class PackError(ValueError):
    """A rule pack that cannot be used, with the file and rule that are wrong."""

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class SwapEntry:
    pattern: str
    replacement: str
    source: str = ""
    note: str = ""
    unless: tuple[Any, ...] = ()  # compiled regexes tested on the match's sentence
    exceptions: tuple[Any, ...] = ()  # compiled regexes; a match inside one is ignored
    fixable: bool = True  # False: the replacement is suggested but never applied by --fix
    expand: bool = False  # replacement is a template over the entry's own groups
    compiled: Any = None  # the entry's own pattern, compiled (for expand)


class LazyPattern:
    """A pack pattern compiled on first use, then behaving as the compiled pattern.

    Compiling is most of what loading the packs costs (about 0.5 s cold), and most patterns
    never meet a block that passes their rule's required-word gate in a one-file run.
    """

    __slots__ = ("_compiled", "_parts", "flags", "line", "path", "pattern", "rule_id")

    def __init__(self, path: Path, rule_id: str, pattern: str, flags: int, line: int | None,
                 parts: tuple[str, ...] = ()) -> None:
        self.path, self.rule_id, self.pattern = path, rule_id, pattern
        self.flags, self.line, self._parts = flags, line, parts
        self._compiled: Any = None

    def compiled(self) -> Any:
        """The compiled pattern; a broken one raises PackError naming it (or its part)."""
        if self._compiled is None:
            try:
                self._compiled = compile_pattern(self.pattern, self.flags)
            except regex.error as exc:
                for part in self._parts:  # name the broken alternative
                    LazyPattern(self.path, self.rule_id, part, self.flags, self.line).compiled()
                raise PackError(self.path, f"rule {self.rule_id}: invalid regular expression "
                                f"{self.pattern!r}: {exc}", self.line) from None
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # unset slots and dunders (pickle, copy) are not the regex's
            raise AttributeError(name)
        return getattr(self.compiled(), name)


def _compile(path: Path, rule_id: str, pattern: str, flags: int, line: int | None) -> Any:
    return LazyPattern(path, rule_id, pattern, flags, line)


def _compile_alternatives(path: Path, rule_id: str, alternatives: list[str], flags: int,
                          line: int | None, keep_order: bool = False) -> Any:
    """One pattern for all alternatives, longest first (when it fails to compile, the
    alternatives are compiled one by one to name the broken one)."""
    ordered = alternatives if keep_order else sorted(alternatives, key=len, reverse=True)
    return LazyPattern(path, rule_id, "|".join(f"(?:{a})" for a in ordered), flags, line,
                       tuple(alternatives))


def _patterns(rule: type[PackRule]) -> Iterator[Any]:
    """Every pattern a pack rule holds (for eager validation)."""
    yield from (p for p in (rule.scanner, rule.matcher) if p is not None)
    yield from rule.exception_res + rule.unless_res
    for entry in rule.entries:
        yield from entry.unless + entry.exceptions


def _word(phrase: str, nonword: bool) -> str:
    body = r"\s+".join(regex.escape(part) for part in phrase.split())
    return body if nonword else rf"(?<![\w-]){body}(?![\w-])"


def match_case(original: str, replacement: str) -> str:
    """Gives ``replacement`` the capitalisation of ``original`` (Addicts → People with ...).

    A title-cased phrase of two or more words (a heading: "Substance Abuse") gives a
    title-cased replacement ("Substance Use"), small words aside.
    """
    if original.isupper() and len(original) > 1:
        return replacement.upper()
    words = original.split()
    if len(words) > 1 and all(w[:1].isupper() for w in words if w.lower() not in _SMALL_WORDS):
        out = [w if (w.lower() in _SMALL_WORDS and i) or w[:1].isupper()
               else w[:1].upper() + w[1:] for i, w in enumerate(replacement.split(" "))]
        return " ".join(out)
    if original[:1].isupper() and not replacement[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def expand_template(m: Any, template: str) -> str:
    """Fills ``\\1`` / ``\\g<name>`` in ``template`` from match ``m``.

    A group that starts the match and is merely capitalised ("Heroin" at a sentence start) is
    lower-cased, so "Heroin users" → "people who use heroin".
    """

    def group(ref: Any) -> str:
        key: int | str = int(ref.group(2)) if ref.group(2) else ref.group(1)
        value = m.group(key) or ""
        if (value and m.start(key) == m.start() and value[:1].isupper()
                and value[1:] == value[1:].lower()):
            value = value[:1].lower() + value[1:]
        return value

    return _TEMPLATE_REF.sub(group, template)


class PackRule(Rule):
    """A rule defined by data. Subclasses are created per YAML entry by ``load_pack``."""

    kind: str = "existence"
    scope: tuple[str, ...] = ("document",)
    message: str = "{match}"
    entries: tuple[SwapEntry, ...] = ()
    matcher: Any = None
    # Entry packs scan with a group-free alternation (capture groups around alternatives
    # disable the regex engine's literal-prefix search: ~60x slower) and then identify the
    # entry by trying the entries in the same order at the match position.
    scanner: Any = None
    entry_order: tuple[int, ...] = ()  # entry indices, longest pattern first
    entry_flags: int = 0
    _entry_res: ClassVar[dict[int, Any]] = {}  # entries' own patterns, compiled when needed
    exception_res: tuple[Any, ...] = ()
    unless_res: tuple[Any, ...] = ()
    exception_scope: str = "window"
    gate_words: ClassVar[tuple[Gate, ...] | bool | None] = False  # False: not worked out yet

    def check(self, doc: Any, ctx: RuleContext) -> Iterable[Finding]:
        kinds: set[str] = set()
        for scope in self.scope:
            kinds |= _SCOPE_KINDS[scope]
        per_sentence = ("sentence" in self.scope or bool(self.unless_res)
                        or any(e.unless for e in self.entries))
        gate = self._gate()
        folded: dict[int, str] = ctx.shared.setdefault("packs.folded", {})
        for block in doc.blocks:
            if block.kind not in kinds:
                continue
            if gate:
                text = folded.get(block.index)
                if text is None:
                    text = folded[block.index] = fold(block.text)
                if not passes(gate, text):
                    continue  # lacks words every match needs (pack_gate.py)
            if self.scope == ("sentence",) or per_sentence:
                spans = ctx.sentences(block)
            else:
                spans = [(0, len(block.text))]
            cache: dict[int, list[tuple[int, int]]] = {}
            for s_start, s_end in spans:
                yield from self._match(block, s_start, s_end, cache)

    @classmethod
    def _gate(cls) -> tuple[Gate, ...] | None:
        """The rule's required words, worked out on first use (None: scan every block)."""
        if cls.gate_words is False:
            patterns = ([e.pattern for e in cls.entries] if cls.entries
                        else [cls.matcher.pattern] if cls.matcher is not None else [])
            cls.gate_words = stored_required_words(patterns)
        return cls.gate_words or None

    def _match(self, block: Any, s_start: int, s_end: int,
               cache: dict[int, list[tuple[int, int]]] | None = None) -> Iterator[Finding]:
        text = block.text
        sentence = text[s_start:s_end]
        if self.unless_res and any(u.search(sentence, timeout=REGEX_TIMEOUT)
                                   for u in self.unless_res):
            return
        cache = {} if cache is None else cache
        scanner = self.scanner if self.scanner is not None else self.matcher
        for m in scanner.finditer(text, s_start, s_end, timeout=REGEX_TIMEOUT):
            if m.end() == m.start():
                continue
            if any(self._excepted(exc, text, m.start(), m.end(), cache)
                   for exc in self.exception_res):
                continue
            found = m.group()
            entry, own = self._identify(m, text, s_end)
            if entry and (
                    any(self._excepted(exc, text, m.start(), m.end(), cache)
                        for exc in entry.exceptions)
                    or any(u.search(sentence, timeout=REGEX_TIMEOUT) for u in entry.unless)):
                continue
            replacement = ""
            if entry and entry.replacement:
                template = entry.replacement
                if entry.expand:
                    template = expand_template(own, template) if own else ""
                replacement = match_case(found, template) if template else ""
            message = self.message.format(match=found, replacement=replacement,
                                          note=entry.note if entry else "")
            fixable = self.fixable and entry is not None and entry.fixable
            fix = replacement if (fixable and replacement) else None
            data = {"match": found}
            if entry:
                if replacement:
                    data["replacement"] = replacement
                if entry.source:
                    data["source"] = entry.source
            yield self.block_finding(block, message, m.start(), m.end(), fix=fix, data=data)

    def _identify(self, m: Any, text: str, end: int) -> tuple[SwapEntry | None, Any]:
        """The entry behind match ``m`` and the entry's own match (for its groups)."""
        if self.scanner is None:
            return self._entry(m), None
        for index in self.entry_order:
            compiled = self._entry_res.get(index)
            if compiled is None:
                compiled = self._entry_res[index] = compile_pattern(self.entries[index].pattern,
                                                                    self.entry_flags)
            own = compiled.match(text, m.start(), end, timeout=REGEX_TIMEOUT)
            if own is not None and own.end() == m.end():
                return self.entries[index], own
        return None, None

    def _entry(self, m: Any) -> SwapEntry | None:
        if not self.entries or not m.lastgroup:
            return None
        name = m.lastgroup
        if not (name[:1] == "e" and name[1:].isdigit()):  # an entry's own group closed last
            name = next((k for k, v in m.groupdict().items()
                         if v is not None and k[:1] == "e" and k[1:].isdigit()), "")
        return self.entries[int(name[1:])] if name else None

    def _excepted(self, exc: Any, text: str, start: int, end: int,
                  cache: dict[int, list[tuple[int, int]]]) -> bool:
        if self.exception_scope != "block":
            return self._inside_exception(exc, text, start, end)
        spans = cache.get(id(exc))
        if spans is None:
            spans = [(e.start(), e.end()) for e in exc.finditer(text, timeout=REGEX_TIMEOUT)]
            cache[id(exc)] = spans
        return any(s <= start and e >= end for s, e in spans)

    @staticmethod
    def _inside_exception(exc: Any, text: str, start: int, end: int) -> bool:
        window_start = max(0, start - 80)
        for e in exc.finditer(text, window_start, min(len(text), end + 80),
                              timeout=REGEX_TIMEOUT):
            if e.start() <= start and e.end() >= end:
                return True
        return False


def _as_list(value: Any, what: str, path: Path, rule_id: str, line: int | None) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise PackError(path, f"rule {rule_id}: {what} must be a list", line)
    return value


def _entry_regexes(item: dict[str, Any], key: str, path: Path, rule_id: str, flags: int,
                   line: int | None) -> tuple[Any, ...]:
    return tuple(_compile(path, rule_id, str(p), flags, line)
                 for p in _as_list(item.get(key), key, path, rule_id, line))


def _check_template(compiled: Any, template: str, path: Path, rule_id: str,
                    line: int | None) -> None:
    for ref in _TEMPLATE_REF.finditer(template):
        name, number = ref.group(1), ref.group(2)
        ok = (int(number) <= compiled.groups) if number else (
            name in compiled.groupindex or (name.isdigit() and int(name) <= compiled.groups))
        if not ok:
            raise PackError(path, f"rule {rule_id}: replacement {template!r} refers to a group "
                            "its pattern does not have", line)


def _item_entries(raw: list[Any], path: Path, rule_id: str, line: int | None, nonword: bool,
                  flags: int) -> list[SwapEntry]:
    """Existence tokens/patterns as entries (used when any item is a mapping)."""
    entries: list[SwapEntry] = []
    for item, literal in raw:
        if not isinstance(item, dict):
            pattern = _word(str(item), nonword) if literal else str(item)
            entries.append(SwapEntry(pattern, ""))
            continue
        unknown = set(item) - _ITEM_KEYS
        if unknown or not ("match" in item or "pattern" in item):
            raise PackError(path, f"rule {rule_id}: an item written as a mapping needs 'match' "
                            f"or 'pattern' (allowed keys: {', '.join(sorted(_ITEM_KEYS))})", line)
        pattern = str(item["pattern"]) if "pattern" in item else _word(str(item["match"]),
                                                                       nonword)
        entries.append(SwapEntry(
            pattern, "", str(item.get("source", "")), str(item.get("note", "")),
            _entry_regexes(item, "unless", path, rule_id, flags, line),
            _entry_regexes(item, "exceptions", path, rule_id, flags, line)))
    return entries


def _swap_entries(raw: Any, path: Path, rule_id: str, line: int | None,
                  nonword: bool, flags: int = regex.IGNORECASE) -> list[SwapEntry]:
    entries: list[SwapEntry] = []
    if isinstance(raw, dict):
        for observed, expected in raw.items():
            entries.append(SwapEntry(_word(str(observed), nonword), str(expected)))
    elif isinstance(raw, list):
        for item in raw:
            if not isinstance(item, dict) or "replace" not in item or not (
                    "match" in item or "pattern" in item):
                raise PackError(path, f"rule {rule_id}: each swap entry needs 'match' (or "
                                "'pattern') and 'replace'", line)
            unknown = set(item) - _SWAP_KEYS
            if unknown:
                raise PackError(path, f"rule {rule_id}: unknown swap key(s) "
                                f"{', '.join(sorted(unknown))}", line)
            pattern = item["pattern"] if "pattern" in item else _word(str(item["match"]), nonword)
            expand = bool(item.get("expand", False))
            compiled = _compile(path, rule_id, str(pattern), flags, line) if expand else None
            if compiled is not None:
                _check_template(compiled, str(item["replace"]), path, rule_id, line)
            entries.append(SwapEntry(
                pattern, str(item["replace"]), str(item.get("source", "")),
                str(item.get("note", "")),
                _entry_regexes(item, "unless", path, rule_id, flags, line),
                _entry_regexes(item, "exceptions", path, rule_id, flags, line),
                bool(item.get("fixable", True)), expand, compiled))
    else:
        raise PackError(path, f"rule {rule_id}: 'swap' must be a mapping or a list", line)
    if not entries:
        raise PackError(path, f"rule {rule_id}: 'swap' is empty", line)
    return entries


def _examples(raw: Any, path: Path, rule_id: str, line: int | None) -> tuple[Example, ...]:
    if not isinstance(raw, dict) or not raw.get("bad") or not raw.get("good"):
        raise PackError(path, f"rule {rule_id}: needs 'examples' with at least one 'bad' and "
                        "one 'good' snippet", line)
    unknown = set(raw) - {"bad", "good"}
    if unknown:
        raise PackError(path, f"rule {rule_id}: unknown examples key(s) {sorted(unknown)}", line)
    out = [Example(str(t), True) for t in _as_list(raw["bad"], "bad", path, rule_id, line)]
    out += [Example(str(t), False) for t in _as_list(raw["good"], "good", path, rule_id, line)]
    return tuple(out)


def build_rule(spec: dict[str, Any], path: Path, line: int | None = None,
               validate: bool = True) -> type[PackRule]:
    """Validates one YAML rule entry and returns its rule class. With ``validate`` off its
    patterns compile on first use (built-in packs, which the tests compile)."""
    if not isinstance(spec, dict):
        raise PackError(path, "each rule must be a mapping", line)
    rule_id = spec.get("id")
    if not isinstance(rule_id, str) or "/" not in rule_id:
        raise PackError(path, f"rule id must look like 'category/name', got {rule_id!r}", line)
    kind = spec.get("kind")
    if kind not in _KIND_KEYS:
        raise PackError(path, f"rule {rule_id}: kind must be one of {sorted(_KIND_KEYS)}, "
                        f"got {kind!r}", line)
    unknown = set(spec) - _COMMON_KEYS - _KIND_KEYS[kind]
    if unknown:
        raise PackError(path, f"rule {rule_id}: unknown key(s) {', '.join(sorted(unknown))}",
                        line)
    category = spec.get("category", rule_id.split("/", 1)[0])
    if category not in CATEGORIES or not rule_id.startswith(category + "/"):
        raise PackError(path, f"rule {rule_id}: category must be one of {CATEGORIES} and match "
                        "the id prefix", line)
    for key in ("rationale", "source", "message"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise PackError(path, f"rule {rule_id}: '{key}' is required", line)
    try:
        severity = Severity.parse(str(spec.get("severity", "warning")))
    except ValueError as exc:
        raise PackError(path, f"rule {rule_id}: {exc}", line) from None
    contract = str(spec.get("contract", ""))
    if contract and contract not in CONTRACTS:
        raise PackError(path, f"rule {rule_id}: unknown contract {contract!r} (use "
                        f"{', '.join(CONTRACTS)})", line)
    scope = tuple(_as_list(spec.get("scope", "document"), "scope", path, rule_id, line))
    bad_scopes = [s for s in scope if s not in SCOPES]
    if bad_scopes or not scope:
        raise PackError(path, f"rule {rule_id}: unknown scope {bad_scopes}; use {SCOPES}", line)
    flags = regex.IGNORECASE if spec.get("ignorecase", True) else 0
    nonword = bool(spec.get("nonword", False))
    entries: list[SwapEntry] = []
    alternatives: list[str] = []
    exception_scope = str(spec.get("exception_scope", "window"))
    if exception_scope not in EXCEPTION_SCOPES:
        raise PackError(path, f"rule {rule_id}: exception_scope must be one of "
                        f"{EXCEPTION_SCOPES}, got {exception_scope!r}", line)
    if kind == "existence":
        tokens = _as_list(spec.get("tokens"), "tokens", path, rule_id, line)
        patterns = _as_list(spec.get("patterns"), "patterns", path, rule_id, line)
        if not tokens and not patterns:
            raise PackError(path, f"rule {rule_id}: existence needs 'tokens' or 'patterns'", line)
        if any(isinstance(item, dict) for item in tokens + patterns):
            entries = _item_entries([(t, True) for t in tokens] + [(p, False) for p in patterns],
                                    path, rule_id, line, nonword, flags)
        else:
            alternatives = [_word(str(t), nonword) for t in tokens] + [str(p) for p in patterns]
    else:
        entries = _swap_entries(spec.get("swap"), path, rule_id, line, nonword, flags)
    scanner = None
    entry_order: tuple[int, ...] = ()
    if entries:
        # One scanner finds every entry; an entry's own pattern is compiled the first time
        # a match must be traced back to it (most entries never match in a given run).
        order = sorted(range(len(entries)), key=lambda i: len(entries[i].pattern), reverse=True)
        scanner = _compile_alternatives(path, rule_id, [entries[i].pattern for i in order],
                                        flags, line, keep_order=True)
        entry_order = tuple(order)
    matcher = None
    if not entries:  # entries are found by their scanner; plain alternatives by one matcher
        matcher = _compile_alternatives(path, rule_id, alternatives, flags, line)
    exceptions = tuple(_compile(path, rule_id, str(p), flags, line) for p in
                       _as_list(spec.get("exceptions"), "exceptions", path, rule_id, line))
    unless = tuple(_compile(path, rule_id, str(p), flags, line) for p in
                   _as_list(spec.get("unless"), "unless", path, rule_id, line))
    entry_unless = any(e.unless for e in entries)
    needs = (frozenset({"sentences"}) if ("sentence" in scope or unless or entry_unless)
             else frozenset())
    attrs: dict[str, Any] = {
        "id": rule_id,
        "category": category,
        "severity": severity,
        "contract": contract,
        "rationale": spec["rationale"].strip(),
        "source": spec["source"].strip(),
        "description": str(spec.get("description", "")).strip(),
        "not_flagged": str(spec.get("not_flagged", "")).strip(),
        "unmeasured": str(spec.get("unmeasured", "")).strip(),
        "examples": _examples(spec.get("examples"), path, rule_id, line),
        "needs": needs,
        "options": {},
        "fixable": bool(spec.get("fixable", False)) and kind == "substitution",
        "origin": str(path),
        "kind": kind,
        "scope": scope,
        "message": spec["message"],
        "entries": tuple(entries),
        "matcher": matcher,
        "scanner": scanner,
        "entry_order": entry_order,
        "entry_flags": flags,
        "_entry_res": {},
        "exception_res": exceptions,
        "unless_res": unless,
        "exception_scope": exception_scope,
        "gate_words": False,
    }
    try:
        spec["message"].format(match="", replacement="", note="")
    except (KeyError, IndexError, ValueError) as exc:
        raise PackError(path, f"rule {rule_id}: message has an unknown placeholder {exc}; use "
                        "{match}, {replacement} or {note}", line) from None
    name = "Pack_" + regex.sub(r"\W", "_", rule_id)
    rule: type[PackRule] = type(name, (PackRule,), attrs)
    if validate:
        for pattern in _patterns(rule):
            pattern.compiled()
    return rule


def load_pack(path: Path, validate: bool = True) -> list[type[PackRule]]:
    """Loads every rule of one pack file; errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PackError(path, f"cannot read rule pack: {exc}") from None
    try:
        # A user's pack (validate) may come from a repository being linted: the same alias
        # budget as front matter, before anything is expanded.
        node = yaml.compose(text, Loader=BoundedLoader if validate else YAML_LOADER)
        if validate and _expanded_size(node, {}) > MAX_VALUES:
            raise PackError(path, f"more than {MAX_VALUES} values once aliases are expanded "
                            "(possible alias bomb)")
        data = load_yaml(text)
    except RecursionError:
        raise PackError(path, "invalid YAML: nested too deeply") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackError(path, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                        mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise PackError(path, "a rule pack is a mapping with a 'rules' list")
    unknown = set(data) - {"rules", "pack", "description"}
    if unknown:
        raise PackError(path, f"unknown top-level key(s) {', '.join(sorted(unknown))}")
    lines: list[int | None] = [None] * len(data["rules"])
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "rules" and isinstance(value, yaml.SequenceNode):
                lines = [item.start_mark.line + 1 for item in value.value]
    return [build_rule(spec, path, line, validate)
            for spec, line in zip(data["rules"], lines, strict=False)]


def _expanded_size(node: Any, seen: dict[int, int]) -> int:
    """How many nodes ``node`` stands for once every alias is expanded; each distinct node is
    counted once (``seen``), so this is linear in the file however deep the aliases go."""
    if node is None:
        return 0
    known = seen.get(id(node))
    if known is not None:
        return known
    seen[id(node)] = 1  # a recursive alias counts once instead of looping
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(child, seen) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, seen) + _expanded_size(v, seen) for k, v in node.value)
    seen[id(node)] = size = min(size, MAX_VALUES + 1)
    return size


def load_pack_dir(folder: Path, validate: bool = True) -> list[type[PackRule]]:
    rules: list[type[PackRule]] = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        rules.extend(load_pack(path, validate))
    return rules


__all__ = ["EXCEPTION_SCOPES", "SCOPES", "Option", "PackError", "PackRule", "build_rule",
           "expand_template", "load_pack", "load_pack_dir", "match_case"]
