"""A result cache keyed by file content, configuration, rules and medlint version.

It lives in the user's cache folder (``$MEDLINT_CACHE_DIR``, else
``$XDG_CACHE_HOME/medlint/results`` or ``~/.cache/medlint/results``, as pip and black keep
theirs), never in a linted repository, because anyone who can commit to a repository could
otherwise plant entries that hide findings or links that redirect medlint's writes.

Folders are created 0700 and checked not to be symlinks; entries are opened with O_NOFOLLOW
and written atomically (temp file + rename), so concurrent runs are safe. Each entry carries
an HMAC, under a per-user secret kept in the cache folder, over its key and its content, and
is checked field by field: an entry that is damaged, forged, badly typed or moved to
another key is a miss, never a wrong answer or a crash.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import Any

from medlint import __version__
from medlint.engine.results import FileResult, Reported
from medlint.metrics import DocumentMetrics
from medlint.rules.base import Severity

FORMAT = 1


def _package_fingerprint() -> str:
    """Changes whenever medlint's own code or built-in packs change (also between releases)."""
    root = Path(__file__).resolve().parents[1]  # the whole medlint package, not engine/ only
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".yml", ".json", ".txt") and path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    from medlint.resources import builtin_pack_dir

    packs = builtin_pack_dir()
    if packs.is_dir() and not packs.is_relative_to(root):
        for path in sorted(packs.rglob("*.y*ml")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


def default_folder() -> Path:
    """The result cache's folder when ``--cache-dir`` is not given: the user's cache."""
    setting = os.environ.get("MEDLINT_CACHE_DIR")
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medlint" / "results"


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_MAX_ENTRY_BYTES = 16 * 1024 * 1024


def _safe_dir(folder: Path) -> bool:
    """Creates ``folder`` (and missing parents) with mode 0700; false when it, or a folder
    created on the way, is a symlink or not a folder, so nothing is written through a link."""
    missing = []
    probe = folder
    while not os.path.lexists(probe) and probe.parent != probe:
        missing.append(probe)
        probe = probe.parent
    try:
        for part in reversed(missing):
            with contextlib.suppress(FileExistsError):
                os.mkdir(part, 0o700)
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except OSError:
        return False


def _read_small(path: Path) -> bytes:
    """A regular file's bytes, never through a symlink, a FIFO or an oversized file."""
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _MAX_ENTRY_BYTES:
            raise OSError("not a cache entry")
        return os.read(fd, _MAX_ENTRY_BYTES)
    finally:
        os.close(fd)


def _write_atomic(folder: Path, name: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")  # O_EXCL, mode 0600
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, folder / name)  # replaces a link at the name, never writes through it
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _secret(folder: Path) -> bytes | None:
    """The per-user HMAC secret, created on first use (None: no safe folder for it)."""
    if not _safe_dir(folder):
        return None
    path = folder / "secret"
    with contextlib.suppress(OSError):
        data = _read_small(path)
        if len(data) >= 32:
            return data
    data = secrets.token_bytes(32)
    try:
        _write_atomic(folder, "secret", data)
        return _read_small(path)  # another run may have won the race: use what is there
    except OSError:
        return None


_STR = ("rule", "category", "message", "excerpt", "fingerprint")
_INT = ("line", "column", "end_line", "end_column", "offset", "end_offset")


def _finding(f: Any) -> Reported:
    """A finding from an entry, with every field's type checked (TypeError otherwise)."""
    if not isinstance(f, dict):
        raise TypeError("finding")
    for name in _STR:
        if not isinstance(f.get(name), str):
            raise TypeError(name)
    for name in _INT:
        if type(f.get(name)) is not int:
            raise TypeError(name)
    fix, data = f.get("fix"), f.get("data", {})
    if not (fix is None or isinstance(fix, str)) or not isinstance(data, dict):
        raise TypeError("fix")
    return Reported(
        rule=f["rule"], category=f["category"], severity=Severity.parse(f["severity"]),
        message=f["message"], line=f["line"], column=f["column"], end_line=f["end_line"],
        end_column=f["end_column"], offset=f["offset"], end_offset=f["end_offset"],
        excerpt=f["excerpt"], fix=fix, data=data, fingerprint=f["fingerprint"])


class ResultCache:
    """Lint results by key; see the module docstring for where and how they are kept."""

    def __init__(self, folder: Path, context: Any) -> None:
        self.root = folder
        self.folder = folder / f"v{FORMAT}"
        self.salt = hashlib.sha256(
            (_package_fingerprint() + json.dumps(context, sort_keys=True, default=str)).encode()
        ).hexdigest()
        self.hits = 0
        self.misses = 0
        self._secret: bytes | bool | None = False  # False: not looked up yet

    def problem(self) -> str | None:
        """Why nothing can be cached here (a symlink, a file, no permission), or None;
        the run goes on uncached, but the user should hear why their cache is unused."""
        if _safe_dir(self.root) and _safe_dir(self.folder):  # root first: never mkdir through it
            return None
        return (f"cache folder {self.root} is unusable (a symlink, not a folder, or not "
                "writable); results are not cached")

    def _mac(self, key: str, payload: bytes) -> str | None:
        if self._secret is False:
            self._secret = _secret(self.root)
        if not self._secret:
            return None
        assert isinstance(self._secret, bytes)
        return hmac.new(self._secret, key.encode() + b"\0" + payload, "sha256").hexdigest()

    def key(self, path: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt.encode())
        digest.update(Path(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, path: str) -> FileResult | None:
        try:
            head, _, payload = _read_small(self._file(key)).partition(b"\n")
            mac = self._mac(key, payload)
            if mac is None or not hmac.compare_digest(head, mac.encode()):
                raise ValueError("entry not signed for this key")
            raw = json.loads(payload)
            if not isinstance(raw, dict) or type(raw.get("words")) is not int:
                raise TypeError("entry")
            findings = [_finding(f) for f in raw["findings"]]
            metrics = raw["metrics"]
            if not isinstance(metrics, dict):
                raise TypeError("metrics")
            result = FileResult(path, findings, DocumentMetrics.from_json(metrics), raw["words"])
        except Exception:  # any damage is a miss: the file is linted again
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> None:
        entry = {
            "findings": [{**f.as_dict(), "fingerprint": f.fingerprint} for f in result.findings],
            "metrics": result.metrics.to_json(),
            "words": result.words,
        }
        try:
            payload = json.dumps(entry, ensure_ascii=False, default=str).encode("utf-8")
            mac = self._mac(key, payload)
            target = self._file(key)
            if mac is None or not (_safe_dir(self.folder) and _safe_dir(target.parent)):
                return
            _write_atomic(target.parent, target.name, mac.encode() + b"\n" + payload)
        except (OSError, ValueError, TypeError):
            return  # a read-only or full disk only costs speed
