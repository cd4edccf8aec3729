"""YAML front matter, loaded safely and bounded against alias bombs."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

import regex
import yaml

from medlint.documents.builder import BlockBuilder, align_piece
from medlint.documents.model import Block

MAX_FRONT_MATTER_CHARS = 256_000
MAX_ALIASES = 100
MAX_VALUES = 100_000  # after aliases are expanded

# Front matter keys whose strings pages display (Vale's ``text.frontmatter`` idea): linted as
# prose. Dotted paths reach into mappings (``seo.description``); every string under a key is
# linted (``faq`` items' questions and answers, ``key_takeaways`` list items).
FRONT_MATTER_PROSE = ("description", "summary", "excerpt", "faq", "faqs", "key_takeaways",
                      "keyTakeaways")
MAX_PROSE_BLOCKS = 1_000
_STR_TAG = "tag:yaml.org,2002:str"
_NOT_PROSE = regex.compile(r"\S*(?:://|^www\.)\S*|[\w./-]+\.(?:png|jpe?g|gif|svg|webp|html?|pdf)")
_WORD = regex.compile(r"\S+")
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’)\]]*$")


def sentence_key(text: str) -> str:
    """A sentence with case, spacing and punctuation normalized, to find it elsewhere."""
    return " ".join(regex.findall(r"\w+", text.lower()))


class _TooLarge(Exception):
    pass


class BoundedLoader(yaml.SafeLoader):
    """SafeLoader that refuses documents which expand aliases more than ``MAX_ALIASES`` times."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"more than {MAX_ALIASES} aliases (possible alias bomb)")
        return super().compose_node(parent, index)

    def construct_yaml_timestamp(self, node: Any) -> Any:  # type: ignore[override]
        """An impossible date (``2020-02-30``, ``2020-13-45``) stays the string it was
        written as, for the date rules to report, instead of failing the whole run."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp",
                               BoundedLoader.construct_yaml_timestamp)


def _plain(value: Any, budget: list[int]) -> Any:
    """Dates become ISO strings so front matter serialises to JSON and compares simply; the
    budget stops a few aliases from expanding into millions of values."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(value, dict):
        return {str(k): _plain(v, budget) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, budget) for v in value]
    if isinstance(value, _dt.date | _dt.datetime):
        return value.isoformat()
    return value


def load_front_matter(source: str) -> tuple[dict[str, Any], str | None]:
    """Returns (data, error). Data is always a dict; an error explains what went wrong."""
    if len(source) > MAX_FRONT_MATTER_CHARS:
        return {}, f"front matter is larger than {MAX_FRONT_MATTER_CHARS} characters"
    try:
        data = yaml.load(source, Loader=BoundedLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2}, column {mark.column + 1})" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return {}, f"invalid YAML front matter{where}: {problem}"
    except RecursionError:
        return {}, "front matter is nested too deeply"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, f"front matter is a {type(data).__name__}, not a mapping"
    try:
        return _plain(data, [MAX_VALUES]), None
    except _TooLarge:
        return {}, f"front matter expands to more than {MAX_VALUES} values (an alias bomb?)"
    except RecursionError:  # an alias inside its own anchor: `a: &x [*x]`
        return {}, "front matter refers to itself (a recursive alias)"


def prose_blocks(text: str, start: int, end: int, keys: Sequence[str],
                 on_page: Callable[[str], bool] = lambda key: False) -> list[Block]:
    """Blocks for the displayed strings under ``keys`` in the YAML at ``text[start:end]``,
    mapped to their offsets in ``text`` (the composed YAML nodes know where each scalar
    sits, so findings get the right line and column). Sentences ``on_page`` (by
    ``sentence_key``) are left out: a description copied from the lead is linted once, in
    the body, and is not a repeat within the page."""
    if not keys or end - start > MAX_FRONT_MATTER_CHARS:
        return []
    try:
        root = yaml.compose(text[start:end], Loader=BoundedLoader)
    except (yaml.YAMLError, RecursionError):
        return []  # load_front_matter reports the problem
    blocks: list[Block] = []
    if not isinstance(root, yaml.MappingNode):
        return blocks
    for key in dict.fromkeys(keys):
        node: Any = root
        for part in key.split("."):
            node = _child(node, part)
        if node is not None:
            _collect(node, key, text, start, blocks, set(), on_page)
    return blocks


def _child(node: Any, key: str) -> Any:
    if not isinstance(node, yaml.MappingNode):
        return None
    return next((v for k, v in node.value
                 if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _collect(node: Any, path: str, text: str, base: int, out: list[Block],
             seen: set[int], on_page: Callable[[str], bool]) -> None:
    if len(out) >= MAX_PROSE_BLOCKS or id(node) in seen:
        return  # an alias seen before (or a recursive one) is linted once
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        if node.tag == _STR_TAG and node.value.strip() \
                and not _NOT_PROSE.fullmatch(node.value.strip()):
            out.extend(_scalar_blocks(node, path, text, base, on_page))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _collect(item, f"{path}[{i}]", text, base, out, seen, on_page)
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                _collect(v, f"{path}.{k.value}", text, base, out, seen, on_page)


def _sentences(value: str) -> list[list[str]]:
    """The value's words, grouped into sentences (a word ending in . ! ? ends one)."""
    groups: list[list[str]] = [[]]
    for word in _WORD.findall(value):
        groups[-1].append(word)
        if _SENTENCE_END.search(word):
            groups.append([])
    return [g for g in groups if g]


def _scalar_blocks(node: Any, path: str, text: str, base: int,
                   on_page: Callable[[str], bool]) -> list[Block]:
    """Aligns the scalar's words with its source (quotes, escapes, folded lines and block
    indentation are skipped over), collapsing whitespace as the page would; one block per
    run of sentences not already on the page."""
    cursor = base + node.start_mark.index
    limit = base + node.end_mark.index
    blocks: list[Block] = []
    builder: BlockBuilder | None = None

    def verbatim(s: int, e: int) -> None:
        assert builder is not None
        builder.verbatim(text, s, e)

    def mapped(piece: str, s: int, e: int) -> None:
        if builder is not None:
            builder.mapped(piece, s, e)

    def close() -> None:
        if builder is not None and builder.text().strip():
            blocks.append(Block("paragraph", builder.text(), builder.positions,
                                front_matter_key=path))

    for sentence in _sentences(node.value):
        if on_page(sentence_key(" ".join(sentence))):
            close()
            builder = None
            for word in sentence:  # skipped, but the cursor moves past it
                cursor = align_piece(word, text, cursor, limit, lambda s, e: None, mapped)
            continue
        if builder is None:
            builder = BlockBuilder()
        for word in sentence:
            if builder.length:
                builder.space(cursor, cursor + 1)
            cursor = align_piece(word, text, cursor, limit, verbatim, mapped)
    close()
    return blocks
