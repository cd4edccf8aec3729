"""JSON Lines input: one ``{"path": str, "text": str}`` record per line.

A million-page export is easier to ship as one JSONL file than as a million small files;
``read_sources`` streams it (one line in memory at a time) as engine ``Source`` objects, so
it plugs into ``Engine.lint`` and ``medlint.distributed.lint_dask`` unchanged.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from medlint.engine import Source


def read_sources(path: Path | str) -> Iterator[Source]:
    """Yields one Source per record of the JSONL file ``path`` ("-" reads stdin). Blank
    lines are skipped; a malformed line raises ``ValueError("FILE:LINE: reason")``."""
    name = str(path)
    if name == "-":
        yield from _read(sys.stdin, "<stdin>")
        return
    with Path(path).open("r", encoding="utf-8", newline="") as fh:
        yield from _read(fh, name)


def _read(fh: IO[str], name: str) -> Iterator[Source]:
    lineno = 0
    while True:
        try:
            line = fh.readline()
        except UnicodeDecodeError as exc:
            raise ValueError(f"{name}:{lineno + 1}: not UTF-8 text ({exc.reason})") from None
        if not line:
            return
        lineno += 1
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno})"
                             ) from None
        if not isinstance(record, dict):
            raise ValueError(f"{where}: expected a JSON object with \"path\" and \"text\", "
                             f"got {type(record).__name__}")
        for key in ("path", "text"):
            if key not in record:
                raise ValueError(f"{where}: missing \"{key}\"")
            if not isinstance(record[key], str):
                raise ValueError(f"{where}: \"{key}\" must be a string, got "
                                 f"{type(record[key]).__name__}")
        if not record["path"]:
            raise ValueError(f"{where}: \"path\" is empty")
        yield Source(path=record["path"],
                     data=record["text"].encode("utf-8", errors="surrogatepass"))
