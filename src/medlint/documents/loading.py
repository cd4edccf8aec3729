"""Bytes to text: encodings, BOMs and binary files, without ever raising."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class Decoded:
    text: str | None
    encoding: str
    error: str | None = None  # why the file could not be read as text
    notice: str | None = None  # decoded, but worth telling the user (non-UTF-8)


def decode(data: bytes) -> Decoded:
    """Decodes file bytes. UTF-8 (with or without BOM) and UTF-16/32 with BOM are exact; other
    encodings are detected and reported; binary data is refused with a reason."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom):].decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                return Decoded(None, encoding,
                               f"invalid {encoding} after its byte-order mark: {exc}")
    if b"\x00" in data[:8192]:
        return Decoded(None, "binary", "binary file (contains NUL bytes)")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from charset_normalizer import from_bytes  # only paid for on non-UTF-8 files

    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding is None:
        return Decoded(None, "unknown", "not valid UTF-8 and no encoding detected "
                       f"({utf8_error.reason} at byte {utf8_error.start})")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return Decoded(None, best.encoding, f"not valid UTF-8; decoding as {best.encoding} failed")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(8, len(text[:8192]) // 100):
        return Decoded(None, "binary", "binary file (control characters)")
    return Decoded(text, best.encoding,
                   notice=f"file is not UTF-8; read as {best.encoding} (convert it to UTF-8)")
