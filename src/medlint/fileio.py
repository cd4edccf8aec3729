"""Reading and writing files as a hostile repository cannot abuse: the one place that opens
an input (symlink, special file and size policy) and the one helper that writes an output
atomically, so a killed run never leaves a truncated report and a link never redirects it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

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


def write_atomic(path: str | Path, data: bytes | str, mode: int = 0o644) -> None:
    """Writes ``data`` to ``path`` through a temporary file in the same folder and
    ``os.replace``: readers see the old file or the whole new one, never a truncated one,
    and a symlink at ``path`` is replaced, not written through."""
    target = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                               prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, mode & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
