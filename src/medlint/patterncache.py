"""Compiled pack patterns kept between runs, as Python keeps bytecode in ``__pycache__``.

Compiling the built-in packs' large alternations is most of what the pack engine costs in a
one-file run (about 0.3 s of 2-3 s): the ``regex`` module parses and optimises each pattern
in Python before handing a list of opcodes to its C core. This module keeps those opcodes,
keyed by the pattern's own text and flags (so an edited pack can never meet a stale entry),
in one file per ``regex`` and Python version in the user's cache folder
(``$XDG_CACHE_HOME/medlint`` or ``~/.cache/medlint``; never the linted repository), and
rebuilds the pattern from them with the same C call ``regex`` makes. Anything unexpected
(another ``regex`` release, a broken file, no writable folder) falls back to
``regex.compile``. ``MEDLINT_PATTERN_CACHE=off`` switches it off; a path moves it.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import regex
import regex._main as _regex_main

_FORMAT = 1
_MAX_ENTRIES = 5000  # patterns from packs edited many times: start afresh past this
_store: dict[tuple[str, int], tuple[Any, ...]] | None = None
_dirty = False


def cache_file() -> Path | None:
    """Where the opcodes live, or None when the cache is off."""
    setting = os.environ.get("MEDLINT_PATTERN_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        folder = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = Path(base) / "medlint"
    version = f"{regex.__version__}-py{sys.version_info[0]}{sys.version_info[1]}-v{_FORMAT}"
    return folder / f"patterns-{version}.marshal"


def _load() -> dict[tuple[str, int], tuple[Any, ...]]:
    global _store
    if _store is None:
        _store = {}
        path = cache_file()
        if path is not None:
            with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
                data = marshal.loads(path.read_bytes())
                if isinstance(data, dict) and len(data) <= _MAX_ENTRIES:
                    _store = data
            atexit.register(_save)
    return _store


def _save() -> None:
    """Writes new entries atomically (a concurrent run loses at most its own additions)."""
    path = cache_file()
    if not _dirty or path is None or _store is None:
        return
    with contextlib.suppress(OSError, ValueError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(marshal.dumps(_store))
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


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
    store = _load() if cache_file() is not None else None
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
        global _dirty
        # Flags come as enum members, which marshal cannot store: plain ints for the C call.
        entry = tuple(int(v) if isinstance(v, int) else v for v in captured[1:])
        with contextlib.suppress(ValueError):  # an opcode argument marshal cannot store
            marshal.dumps(entry)
            store[key] = entry
            _dirty = True
    return compiled


__all__ = ["cache_file", "compile_pattern"]
