"""Built-in data in the form a run uses, kept between runs as Python keeps ``__pycache__``.

Two costs of a one-file run are pure preparation of data that rarely changes: compiling the
packs' large alternations (the ``regex`` module parses and optimises each pattern in Python
before handing a list of opcodes to its C core; about 0.3 s) and parsing the big YAML data
files (the insertion model, word lists; about 0.1 s) and the CMU dictionary's table (0.1 s).
This module keeps the opcodes and the
tables, keyed by the pattern's own text and flags or the source's own bytes (so an edited
pack or data file can never meet a stale entry), in files per ``regex`` and Python version in
the user's cache folder (``$XDG_CACHE_HOME/medlint`` or ``~/.cache/medlint``; never the linted
repository). Anything unexpected (another release, a damaged file, no writable folder) falls
back to compiling or parsing. ``MEDLINT_STARTUP_CACHE=off`` switches it off; a path moves it.
Only built-in data goes through it (a repository's own files are never stored).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import regex
import regex._main as _regex_main

_FORMAT = 1
_MAX_ENTRIES = 5000  # patterns from packs edited many times: start afresh past this


def cache_folder() -> Path | None:
    """Where the stores live, or None when they are off."""
    setting = os.environ.get("MEDLINT_STARTUP_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medlint"


class _Store:
    """One marshal file of entries, read on first use and written at exit when it grew."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.entries: dict[Any, Any] | None = None
        self.dirty = False

    def path(self) -> Path | None:
        folder = cache_folder()
        version = f"{regex.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-v{_FORMAT}"
        return None if folder is None else folder / f"{self.kind}-{version}.marshal"

    def load(self) -> dict[Any, Any] | None:
        """The entries, or None when the cache is off."""
        path = self.path()
        if path is None:
            return None
        if self.entries is None:
            self.entries = {}
            with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
                data = marshal.loads(path.read_bytes())
                if isinstance(data, dict) and len(data) <= _MAX_ENTRIES:
                    self.entries = data
            atexit.register(self.save)
        return self.entries

    def put(self, key: Any, value: Any) -> None:
        entries = self.load()
        if entries is not None:
            with contextlib.suppress(ValueError):  # a value marshal cannot store
                marshal.dumps(value)
                entries[key] = value
                self.dirty = True

    def save(self) -> None:
        """Writes the entries atomically (a concurrent run loses at most its own additions)."""
        path = self.path()
        if not self.dirty or path is None or self.entries is None:
            return
        with contextlib.suppress(OSError, ValueError):
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(marshal.dumps(self.entries))
                os.replace(tmp, path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        self.dirty = False


PATTERNS = _Store("patterns")
_DERIVED: dict[str, _Store] = {}


def derived(kind: str, source: bytes, build: Callable[[], Any]) -> Any:
    """``build()``, whose result depends on ``source`` alone, from the ``kind`` store when this
    exact source was seen before; a fresh copy each call, so callers may change it. Results
    marshal cannot store (dates, sets of tuples, ...) are built each time."""
    found = recall(kind, source)
    if found is not None:
        return found
    result = build()
    remember(kind, source, result)
    return result


def recall(kind: str, source: bytes) -> Any:
    """What ``remember`` stored for ``source`` (a fresh copy), or None."""
    entries = _DERIVED.setdefault(kind, _Store(kind)).load()
    stored = None if entries is None else entries.get(hashlib.sha256(source).hexdigest())
    if stored is not None:
        with contextlib.suppress(EOFError, ValueError, TypeError):
            return marshal.loads(stored)
    return None


def remember(kind: str, source: bytes, value: Any) -> None:
    """Stores ``value``, which depends on ``source`` alone (unless marshal cannot store it)."""
    with contextlib.suppress(ValueError):
        _DERIVED.setdefault(kind, _Store(kind)).put(hashlib.sha256(source).hexdigest(),
                                                     marshal.dumps(value))


def parse_yaml(text: str, parse: Callable[[str], Any], parser: str) -> Any:
    """``parse(text)`` through ``derived``, keyed by the text and the ``parser`` (name and
    version)."""
    source = f"{parser}\0{text}".encode("utf-8", "surrogatepass")
    return derived("yaml", source, lambda: parse(text))


class _Recorder:
    """Stands in for ``regex``'s C module during one compile to capture the call it makes."""

    def __init__(self, real: Any, pattern: str) -> None:
        self.real, self.pattern, self.args = real, pattern, None

    def compile(self, *args: Any) -> Any:
        if args and args[0] is self.pattern:
            self.args = args
        return self.real.compile(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def compile_pattern(pattern: str, flags: int = 0) -> Any:
    """``regex.compile(pattern, flags)``, from stored opcodes when this pattern was seen before.

    Raises ``regex.error`` exactly as ``regex.compile`` does (a broken pattern is never stored).
    """
    store = PATTERNS.load()
    if store is None:
        return regex.compile(pattern, flags)
    key = (pattern, int(flags))
    args = store.get(key)
    if args is not None:
        try:
            return _regex_main._regex.compile(pattern, *args)
        except Exception:  # a stale or foreign entry: compile afresh
            store.pop(key, None)
    real = _regex_main._regex
    recorder = _Recorder(real, pattern)
    _regex_main._regex = recorder
    try:
        # Past regex's own in-process cache, which would answer without the C call.
        compiled = _regex_main._compile(pattern, flags, False, {}, False)
    finally:
        _regex_main._regex = real
    captured = recorder.args
    # Only patterns with no locale dependence and no named lists are safe to rebuild.
    if (captured is not None and len(captured) == 11 and not captured[5]
            and not captured[1] & regex.LOCALE):
        # Flags come as enum members, which marshal cannot store: plain ints for the C call.
        PATTERNS.put(key, tuple(int(v) if isinstance(v, int) else v for v in captured[1:]))
    return compiled


__all__ = ["PATTERNS", "cache_folder", "compile_pattern", "derived", "parse_yaml", "recall",
           "remember"]
