"""Reading and writing files as a hostile repository cannot abuse: the one place that opens
an input (symlink, special file and size policy) and the one helper that writes an output
atomically, so a killed run never leaves a truncated report and a link never redirects it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class Skipped(Exception):
    """A file medlint deliberately does not read; the message says why (a finding)."""


def inside(real: str, roots: Iterable[str]) -> bool:
    """Whether the resolved path ``real`` is one of ``roots`` or below one."""
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def read_input(path: str, roots: tuple[str, ...] = (),
               max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of an input file under the reading policy, so a FIFO cannot hang the run,
    ``/dev/zero`` cannot exhaust memory and a link cannot leak a file from outside.

    With ``roots`` (the linted folders, resolved), a symlink is followed only when its target
    is inside one of them. Raises Skipped (policy) or OSError (cannot read).
    """
    info = os.lstat(path)
    target = path
    if stat.S_ISLNK(info.st_mode):
        target = os.path.realpath(path)
        if roots and not inside(target, roots):
            raise Skipped("symbolic link to a file outside the linted folders; not read")
        info = os.stat(target)
    if not stat.S_ISREG(info.st_mode):
        raise Skipped("not a regular file (FIFO, device, socket or folder); not opened")
    if info.st_size > max_bytes:
        raise Skipped(f"file is {info.st_size} bytes, above the max-file-size limit of "
                      f"{max_bytes} bytes; not read")
    fd = os.open(target, os.O_RDONLY | _NONBLOCK | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between stat and open
            raise Skipped("not a regular file (FIFO, device, socket or folder); not opened")
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:
        raise Skipped(f"file grew above the max-file-size limit of {max_bytes} bytes "
                      "while read; not read")
    return data


@contextlib.contextmanager
def atomic_writer(path: str | Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text file to write ``path`` through: the data goes to a temporary file in the same
    folder, which replaces ``path`` (``os.replace``) only when the block ends without error,
    so a killed or failed run never leaves a truncated report, readers see the old file or
    the whole new one, and a symlink at ``path`` is replaced, not written through."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(dir=str(target.parent), prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path: str | Path, text: str) -> None:
    """``atomic_writer`` for a whole text at once."""
    with atomic_writer(path) as fh:
        fh.write(text)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
