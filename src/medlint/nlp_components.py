"""Drop-ins for two of spaCy's English components that give every token the same attributes.

Both are pure Python in spaCy and together cost more than the tagger and parser they serve:

* ``attribute_ruler`` (tag map, morphology, word exceptions: 179 patterns) runs the general
  ``Matcher``, which tries every pattern at every token (2.1 s per 100,000 words here). Almost
  every pattern starts with a fixed tag or word, so an index on those finds the few patterns
  that can match a token, and the rest are checked by hand. Matches are applied in the ruler's
  own order (pattern number, then position), so later patterns win exactly as in spaCy.
* ``lemmatizer`` (rule mode) calls Python code for every token, although a lemma depends only
  on the word, its part of speech and its morphology; the drop-in looks those triples up in a
  table filled by the real lemmatizer on first sight.

tests/test_nlp.py checks that tags, parts of speech, morphology and lemmas stay identical.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

RULER = "medlint_attribute_ruler"
LEMMATIZER = "medlint_lemmatizer"
_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")  # the columns of a token row, in this order
Row = tuple[int, int, int, int]  # string hashes of tag, lower form, dependency; is_space
Predicate = Callable[[Row], bool]
Entry = tuple[int, list[Predicate]]  # pattern number, one test per token


class FastAttributeRuler:
    """The patterns, attributes and indices of a loaded ``AttributeRuler``, indexed."""

    def __init__(self, name: str = RULER) -> None:
        self.name = name
        # One-token patterns of fixed tags and words, by (tag, lower), (tag,) or (None, lower).
        self._fixed: dict[tuple[int | None, ...], list[int]] = {}
        # The others, by a value their first token must have in one column, or anywhere.
        self._by_column: list[dict[int, list[Entry]]] = [{} for _ in _FIELDS]
        self._anywhere: list[Entry] = []
        # Patterns whose first token is a regular expression on the lower form; the patterns
        # a lower form may start are worked out once per word.
        self._lower_regex: list[tuple[re.Pattern[str], Entry]] = []
        self._by_lower_regex: dict[int, list[Entry]] = {}
        self._attrs: list[dict[int, int]] = []
        self._indices: list[int] = []
        self._strings: Any = None

    def copy_from(self, ruler: Any) -> None:
        """Takes over the rules of spaCy's ``attribute_ruler`` pipe ``ruler``."""
        self._strings = ruler.vocab.strings
        self._attrs = list(ruler.attrs)
        self._indices = list(ruler.indices)
        for number in range(len(self._attrs)):
            _, alternatives = ruler.matcher.get(str(number))
            for pattern in alternatives:
                if not self._add_fixed(number, pattern):
                    self._add_general(number, pattern)

    def _hash(self, value: str | bool) -> int:
        return int(value) if isinstance(value, bool) else self._strings.add(value)

    def _values(self, value: Any) -> list[int] | None:
        """The hashes an equality or IN test accepts; None for other tests."""
        if isinstance(value, (str, bool)):
            return [self._hash(value)]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return [self._hash(v) for v in value["IN"]]
        return None

    def _add_fixed(self, number: int, pattern: list[dict[str, Any]]) -> bool:
        if len(pattern) != 1 or not pattern[0] or not set(pattern[0]) <= {"TAG", "LOWER"}:
            return False
        tags = self._values(pattern[0]["TAG"]) if "TAG" in pattern[0] else [None]
        lowers = self._values(pattern[0]["LOWER"]) if "LOWER" in pattern[0] else [None]
        if tags is None or lowers is None:
            return False
        for tag in tags:
            for lower in lowers:
                key = (tag,) if lower is None else (tag, lower)
                self._fixed.setdefault(key, []).append(number)
        return True

    def _add_general(self, number: int, pattern: list[dict[str, Any]]) -> None:
        entry = (number, [self._predicate(spec) for spec in pattern])
        for column in (1, 0, 2, 3):  # lower, tag, dependency, is_space
            field = _FIELDS[column]
            values = self._values(pattern[0][field]) if field in pattern[0] else None
            if values is not None:
                for value in values:
                    self._by_column[column].setdefault(value, []).append(entry)
                return
        lower = pattern[0].get("LOWER")
        if isinstance(lower, dict) and set(lower) == {"REGEX"}:
            self._lower_regex.append((re.compile(lower["REGEX"]), entry))
        else:
            self._anywhere.append(entry)

    def _predicate(self, spec: dict[str, Any]) -> Predicate:
        """One pattern token as a test on a token row."""
        tests: list[Predicate] = []
        for field, value in spec.items():
            if field not in _FIELDS:
                raise ValueError(f"unsupported attribute ruler pattern field {field!r}")
            at = _FIELDS.index(field)
            accepted = self._values(value)
            if accepted is not None:
                allowed = frozenset(accepted)
                tests.append(lambda row, at=at, allowed=allowed: row[at] in allowed)
                continue
            ((op, arg),) = value.items()
            if op == "NOT_IN":
                banned = frozenset(self._hash(v) for v in arg)
                tests.append(lambda row, at=at, banned=banned: row[at] not in banned)
            elif op == "REGEX":
                tests.append(self._regex_test(at, re.compile(arg)))
            else:
                raise ValueError(f"unsupported attribute ruler operator {op!r}")
        return lambda row: all(test(row) for test in tests)

    def _regex_test(self, at: int, rx: re.Pattern[str]) -> Predicate:
        seen: dict[int, bool] = {}
        strings = self._strings

        def test(row: Row) -> bool:
            value = row[at]
            if value not in seen:
                seen[value] = rx.search(strings[value]) is not None
            return seen[value]
        return test

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
        from spacy.tokens._retokenize import set_token_attrs

        rows = [tuple(r) for r in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        fixed, by_column, anywhere = self._fixed, self._by_column, self._anywhere
        matches: set[tuple[int, int, int]] = set()
        for start, row in enumerate(rows):
            tag, lower = row[0], row[1]
            for key in ((tag,), (tag, lower), (None, lower)):
                for number in fixed.get(key, ()):
                    matches.add((number, start, start + 1))
            for column, index in enumerate(by_column):
                for number, preds in index.get(row[column], ()):
                    self._try(rows, start, number, preds, matches)
            for number, preds in anywhere:
                self._try(rows, start, number, preds, matches)
            if self._lower_regex:
                for number, preds in self._starting_with(lower):
                    self._try(rows, start, number, preds, matches)
        for number, start, end in sorted(matches):
            index = self._indices[number]
            at = (start if index >= 0 else end) + index
            if start <= at < end:
                set_token_attrs(doc[at], self._attrs[number])
        return doc

    def _starting_with(self, lower: int) -> list[Entry]:
        found = self._by_lower_regex.get(lower)
        if found is None:
            text = self._strings[lower]
            found = [entry for rx, entry in self._lower_regex if rx.search(text)]
            self._by_lower_regex[lower] = found
        return found

    @staticmethod
    def _try(rows: list[Row], start: int, number: int, preds: list[Predicate],
             matches: set[tuple[int, int, int]]) -> None:
        end = start + len(preds)
        if end <= len(rows) and all(p(rows[start + k]) for k, p in enumerate(preds)):
            matches.add((number, start, end))

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterable[Any]:
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """spaCy's rule lemmatizer behind a table of (word, part of speech, morphology)."""

    def __init__(self, name: str = LEMMATIZER) -> None:
        self.name = name
        self._lemmatizer: Any = None
        self._overwrite = False
        self._known: dict[tuple[int, int, int], int] = {}

    def copy_from(self, lemmatizer: Any) -> None:
        self._lemmatizer = lemmatizer
        self._overwrite = bool(lemmatizer.overwrite)

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        known, lemmatize, strings = self._known, self._lemmatizer.lemmatize, doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self._overwrite:
                continue  # set by the attribute ruler ("'d" -> "would")
            key = (orth, pos, morph)
            found = known.get(key)
            if found is None:
                found = known[key] = strings.add(lemmatize(doc[i])[0])
            rows[i, 3] = found
            changed = True
        if changed:
            doc.from_array([LEMMA], rows[:, 3:4])
        return doc

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterable[Any]:
        for doc in docs:
            yield self(doc)


def _replace(nlp: Any, name: str, factory: str, component: type) -> None:
    """Swaps pipe ``name`` for the drop-in, or leaves it when the drop-in cannot take over its
    rules (a configured model whose ruler uses pattern fields this module does not index)."""
    from spacy.language import Language

    if name not in nlp.pipe_names:
        return
    if not Language.has_factory(factory):
        Language.factory(factory, func=lambda nlp, name: component(name))
    fast = nlp.add_pipe(factory, after=name)
    try:
        fast.copy_from(nlp.get_pipe(name))
    except ValueError:
        nlp.remove_pipe(factory)
        return
    nlp.remove_pipe(name)


def install(nlp: Any) -> None:
    """Replaces the pipeline's attribute ruler and rule lemmatizer with the drop-ins."""
    _replace(nlp, "attribute_ruler", RULER, FastAttributeRuler)
    lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None
    if lemmatizer is not None and getattr(lemmatizer, "mode", "") == "rule":
        _replace(nlp, "lemmatizer", LEMMATIZER, FastLemmatizer)
