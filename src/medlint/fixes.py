"""Applying the fixes of fixable rules (``medlint check --fix`` / ``--diff``).

A fix replaces the source span ``[start, end)`` of a finding (character offsets into the
decoded text) with ``Finding.fix``. Fixes are only ever applied to prose: a fix is refused when
its span leaves the prose blocks or touches front matter, markup (tags, comments, code spans,
link destinations) or a URL, or when the source no longer reads as what the rule matched.
Everything outside the applied spans is kept byte for byte: the text is re-encoded in the
file's own encoding, a byte-order mark is kept, line endings are never touched, and files
whose encoding does not round-trip exactly are left alone.

Writing is atomic (a temporary file in the same folder, then ``os.replace``; permissions
kept), and a file that changed on disk since medlint read it is never overwritten.
"""

from __future__ import annotations

import codecs
import contextlib
import difflib
import hashlib
import html
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medlint.fileio import Skipped, read_input

_BOMS = {
    "utf-8": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}
# Markup and addresses a fix must never overlap.
_TAG = re.compile(r"<!--.*?-->|<[A-Za-z/!?][^<>]*>", re.S)
_URL = re.compile(r"(?:https?|ftp)://[^\s<>\"')\]]+|www\.[^\s<>\"')\]]+|mailto:[^\s<>\"')\]]+")
_MD_CODE = re.compile(r"(`+)(?:(?!\n[ \t]*\n).)+?\1", re.S)
_MD_DEST = re.compile(r"\]\([^)\n]*\)|\]\[[^\]\n]*\]|^\s{0,3}\[[^\]\n]+\]:.*$", re.M)
_MD_CHARS = re.compile(r"[*_`\[\]<>|\\#]")


class FixError(ValueError):
    """A fix that cannot be applied or written (encoding, bad span)."""


class FileChangedError(RuntimeError):
    """The file on disk is no longer the one medlint read; it was not overwritten."""


@dataclass(frozen=True)
class Edit:
    """One replacement of ``[start, end)`` in the source text."""

    start: int
    end: int
    replacement: str
    rule: str = ""
    expected: str | None = None  # what the rule matched, when it said


@dataclass
class FixPlan:
    applied: list[Edit] = field(default_factory=list)
    skipped: list[tuple[Edit, str]] = field(default_factory=list)  # (edit, reason)


@dataclass
class FileFix:
    """The outcome of fixing one file (or standard input)."""

    path: str
    old_text: str = ""
    new_text: str = ""
    encoding: str = "utf-8"
    bom: bool = False
    plan: FixPlan = field(default_factory=FixPlan)
    written: bool = False
    error: str | None = None
    new_bytes: bytes = b""

    @property
    def changed(self) -> bool:
        return self.error is None and self.new_text != self.old_text

    @property
    def count(self) -> int:
        return len(self.plan.applied)


@dataclass(frozen=True)
class Snapshot:
    """What the engine linted: a file's digest, or standard input's bytes."""

    path: str
    digest: str
    data: bytes | None = None  # kept only for standard input


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot_sources(sources: Iterable[Any], snapshots: dict[str, Snapshot]) -> Iterator[Any]:
    """Reads each file once, records its digest and hands the same bytes to the engine, so
    the fix is computed on exactly the bytes that were linted."""
    from medlint.engine import Source

    for source in sources:
        if source.data is not None:
            snapshots[source.path] = Snapshot(source.path, digest(source.data), source.data)
            yield source
            continue
        try:
            data = source.read()
        except (OSError, Skipped):
            yield source  # the engine reports it as unreadable or skipped
            continue
        snapshots[source.path] = Snapshot(source.path, digest(data))
        yield Source(source.path, data)


# Planning and applying -------------------------------------------------------------------
def _edit(finding: Any) -> Edit | None:
    fix = getattr(finding, "fix", None)
    if fix is None:
        return None
    start = getattr(finding, "offset", None)
    if start is None:  # a rules-level Finding rather than an engine Reported
        start, end = finding.start, finding.end
    else:
        end = finding.end_offset
    data = getattr(finding, "data", None) or {}
    expected = data.get("match") if isinstance(data.get("match"), str) else None
    return Edit(int(start), int(end), str(fix), str(getattr(finding, "rule", "")), expected)


def protected_spans(text: str, doc: Any = None) -> list[tuple[int, int]]:
    """Spans of ``text`` a fix must never overlap: front matter, markup, code, URLs."""
    spans = [m.span() for m in _URL.finditer(text)]
    fmt = getattr(doc, "format", "markdown")
    if fmt in ("markdown", "html"):
        spans += [m.span() for m in _TAG.finditer(text)]
    if fmt == "markdown":
        spans += [m.span() for m in _MD_CODE.finditer(text)]
        spans += [m.span() for m in _MD_DEST.finditer(text)]
    front = getattr(doc, "front_matter_span", None)
    if front:
        spans.append(tuple(front))
    return sorted(spans)


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``[start, end)`` (or the point ``start`` when empty) meets a protected span."""
    for s, e in spans:
        if s >= max(end, start + 1):
            break  # spans are sorted by start
        if (s < end and e > start) if end > start else (s < start < e):
            return True
    return False


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def plan_fixes(text: str, findings: Iterable[Any], doc: Any = None) -> FixPlan:
    """Chooses which fixes to apply, deterministically.

    Fixes are ordered by start, then longer span first, then rule id and replacement; a fix
    overlapping one already chosen is skipped (run ``--fix`` again to apply it if it still
    applies). Identical fixes from several findings count once. With ``doc`` (the parsed
    document of ``text``) a fix must also lie inside one prose block.
    """
    plan = FixPlan()
    edits = [e for e in (_edit(f) for f in findings) if e is not None]
    edits.sort(key=lambda e: (e.start, -(e.end - e.start), e.rule, e.replacement))
    protected = protected_spans(text, doc)
    blocks = sorted((b.start, b.end) for b in getattr(doc, "blocks", []) or [])
    last_end = -1
    last_point: int | None = None
    seen: set[tuple[int, int, str]] = set()
    for edit in edits:
        key = (edit.start, edit.end, edit.replacement)
        if key in seen:
            continue
        reason = _refusal(text, edit, protected, blocks, doc)
        if reason is None and (edit.start < last_end or (
                edit.start == edit.end and edit.start == last_point)):
            reason = "overlaps another fix"
        if reason:
            plan.skipped.append((edit, reason))
            continue
        seen.add(key)
        plan.applied.append(edit)
        last_end = edit.end
        last_point = edit.start if edit.start == edit.end else None
    return plan


def _refusal(text: str, edit: Edit, protected: Sequence[tuple[int, int]],
             blocks: Sequence[tuple[int, int]], doc: Any) -> str | None:
    if not 0 <= edit.start <= edit.end <= len(text):
        return "span outside the file"
    original = text[edit.start:edit.end]
    if edit.expected is not None and not _same_words(original, edit.expected):
        return "the source does not read as the matched text (markup or entities inside it)"
    if _overlaps(edit.start, edit.end, protected):
        return "touches front matter, markup, code or a URL"
    if doc is not None and not any(s <= edit.start and edit.end <= e for s, e in blocks):
        return "not inside a prose block"
    fmt = getattr(doc, "format", None)
    if fmt == "markdown" and _MD_CHARS.search(edit.replacement):
        return "replacement contains Markdown syntax"
    return None


def apply_plan(text: str, plan: FixPlan, doc: Any = None) -> str:
    pieces: list[str] = []
    cursor = 0
    escape = getattr(doc, "format", None) == "html"
    for edit in plan.applied:
        pieces.append(text[cursor:edit.start])
        pieces.append(html.escape(edit.replacement, quote=False) if escape else edit.replacement)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def apply_fixes(text: str, findings: Iterable[Any], doc: Any = None) -> str:
    """``text`` with the fixes of ``findings`` applied (see :func:`plan_fixes`)."""
    return apply_plan(text, plan_fixes(text, findings, doc), doc)


# Files -----------------------------------------------------------------------------------
def detect_bom(data: bytes, encoding: str) -> bool:
    bom = _BOMS.get(encoding.lower().replace("_", "-"))
    return bool(bom) and data.startswith(bom)  # type: ignore[arg-type]


def encode(text: str, encoding: str, bom: bool) -> bytes:
    try:
        data = text.encode(encoding)
    except (UnicodeEncodeError, LookupError) as exc:
        raise FixError(f"cannot encode the fixed text as {encoding}: {exc}") from None
    if bom:
        prefix = _BOMS.get(encoding.lower().replace("_", "-"))
        if prefix is None:
            raise FixError(f"no byte-order mark known for {encoding}")
        data = prefix + data
    return data


def unsafe_to_write(path: str | Path) -> str | None:
    """Why ``--fix`` must not write ``path`` (None: it may): a symlink would redirect the
    write outside the tree, a read-only file says "do not change me", and replacing one link
    of a hard-linked file would silently split it from its other names."""
    try:
        info = os.lstat(path)
    except OSError as exc:
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISLNK(info.st_mode):
        return "not fixed: the file is a symbolic link (medlint never writes through links)"
    if not stat.S_ISREG(info.st_mode):
        return "not fixed: not a regular file"
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        return "not fixed: the file is read-only"
    if info.st_nlink > 1:
        return (f"not fixed: the file has {info.st_nlink} hard links (writing would split "
                "it from its other names)")
    return None


def write_fixed(path: str | Path, original_bytes: bytes, new_text: str, encoding: str,
                bom: bool) -> bytes:
    """Atomically replaces ``path`` with ``new_text`` encoded like the original.

    The new bytes go to a temporary file in the same folder (same permissions), and replace
    the file only if its content is still ``original_bytes``; otherwise FileChangedError is
    raised and the file is left as it is. A symlink, a read-only or hard-linked file is
    refused with FixError (``unsafe_to_write``). Returns the bytes written.
    """
    refusal = unsafe_to_write(path)
    if refusal:
        raise FixError(refusal)
    target = Path(path)
    data = encode(new_text, encoding, bom)
    info = target.lstat()
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=".medlint-tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            with contextlib.suppress(OSError):
                os.chown(tmp_name, info.st_uid, info.st_gid)
        if read_input(str(target)) != original_bytes or unsafe_to_write(target):
            raise FileChangedError(f"{path}: changed since medlint read it; not overwritten")
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return data


def unified_diff(old: str, new: str, path: str) -> str:
    """A ``git apply``-compatible unified diff of one file (empty when nothing changed)."""
    if old == new:
        return ""
    name = Path(path).as_posix()
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 fromfile=f"a/{name}", tofile=f"b/{name}")
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def fix_bytes(path: str, data: bytes, findings: Iterable[Any]) -> FileFix:
    """Decodes ``data`` like the engine does, and computes (but does not write) its fixes."""
    from medlint.documents import parse_document
    from medlint.documents.loading import decode

    result = FileFix(path)
    decoded = decode(data)
    if decoded.text is None:
        result.error = decoded.error or "unreadable"
        return result
    result.old_text = result.new_text = decoded.text
    result.encoding = decoded.encoding
    result.bom = detect_bom(data, decoded.encoding)
    try:
        round_trip = encode(decoded.text, decoded.encoding, result.bom)
    except FixError:
        round_trip = b""
    if round_trip != data:
        result.error = (f"its {decoded.encoding} encoding does not round-trip byte for byte; "
                        "convert it to UTF-8 to use --fix")
        return result
    doc = parse_document(path, decoded.text)
    result.plan = plan_fixes(decoded.text, findings, doc)
    result.new_text = apply_plan(decoded.text, result.plan, doc)
    result.new_bytes = encode(result.new_text, result.encoding, result.bom)
    return result


def fix_results(results: Iterable[Any], snapshots: Mapping[str, Snapshot], *,
                write: bool) -> list[FileFix]:
    """Computes, and with ``write`` applies, the fixes of every result with fixable findings.

    Files are re-read and must still match the digest of what was linted; standard input
    is fixed from its recorded bytes and never written (the caller prints it).
    """
    fixes: list[FileFix] = []
    for result in results:
        findings = [f for f in result.findings if getattr(f, "fix", None) is not None]
        snap = snapshots.get(result.path)
        if not findings or snap is None:
            continue
        if snap.data is not None:
            fixes.append(fix_bytes(result.path, snap.data, findings))
            continue
        refusal = unsafe_to_write(result.path)
        if refusal:
            fixes.append(FileFix(result.path, error=refusal))
            continue
        try:
            current = read_input(result.path)
        except Skipped as exc:
            fixes.append(FileFix(result.path, error=f"not fixed: {exc}"))
            continue
        except OSError as exc:
            fixes.append(FileFix(result.path, error=f"cannot read file: {exc.strerror or exc}"))
            continue
        if digest(current) != snap.digest:
            fixes.append(FileFix(result.path, error="changed since medlint read it; not fixed "
                                 "(run medlint again)"))
            continue
        outcome = fix_bytes(result.path, current, findings)
        if write and outcome.changed:
            try:
                write_fixed(result.path, current, outcome.new_text, outcome.encoding,
                            outcome.bom)
                outcome.written = True
            except FileChangedError:
                outcome.error = "changed while medlint was fixing it; not overwritten"
            except (OSError, FixError) as exc:
                outcome.error = f"cannot write the fixed file: {exc}"
        fixes.append(outcome)
    return fixes


__all__ = ["Edit", "FileChangedError", "FileFix", "FixError", "FixPlan", "Snapshot",
           "apply_fixes", "apply_plan", "fix_bytes", "fix_results", "plan_fixes",
           "protected_spans", "snapshot_sources", "unified_diff", "unsafe_to_write", "write_fixed"]
