"""Human-readable report: ``path:line:col: severity rule message`` with the excerpt.

When the run asks (``extra["hide_info"]``, the default of ``medlint check``), info findings
are counted but not listed, and one closing line says how many and how to show them: the
text report is what an editor reads, and style advice per sentence buries what to act on."""

from __future__ import annotations

import re
from typing import IO

import click

from medlint.reporters import Run
from medlint.rules.readability.metrics import ReadabilityMetrics

_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}
# What a terminal or a CI log acts on rather than shows: C0 and C1 controls (escape sequences
# that retitle or clear the terminal, newlines that start a fake line), line and paragraph
# separators, bidirectional overrides, and the lone surrogates of a file name that is not
# UTF-8 (each stands for one byte).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f"
                     "\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every character a terminal or CI log would act on written as a Python
    escape (``\\x1b``, ``\\n``, ``\\xff`` for a byte of a non-UTF-8 file name)."""
    return _UNSAFE.sub(_escaped, text)


def display_path(path: str) -> str:
    """A path as a text line may start with: escaped, and never beginning with ``::``
    (GitHub Actions reads such a line as a workflow command)."""
    shown = escape(path)
    return f"./{shown}" if shown.lstrip().startswith("::") else shown


def report(run: Run, out: IO[str]) -> None:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if run.color else text  # type: ignore[arg-type]

    hide_info = bool(run.extra.get("hide_info"))
    hidden = 0
    for result in run:
        path = display_path(result.path)
        shown = 0
        for f in result.findings:
            if hide_info and str(f.severity) == "info":
                hidden += 1
                continue
            shown += 1
            level = str(f.severity)
            location = style(f"{path}:{f.line}:{f.column}:", bold=True)
            out.write(f"{location} {style(level, fg=_COLORS[level])} "
                      f"{style(escape(f.rule), dim=True)} {escape(f.message)}\n")
            if f.excerpt:
                out.write(f"    {style('│', dim=True)} {escape(f.excerpt)}\n")
        # A file with nothing to report prints nothing (a baseline run, a clean page).
        readability = result.metrics.get(ReadabilityMetrics)
        grade = readability.fk_grade if readability is not None else None
        if grade is not None and shown:
            out.write(style(f"{path}: reading grade {grade:.1f} (Flesch-Kincaid)\n",
                            dim=True))
    summary = run.summary()
    sev = summary["by_severity"]
    parts = [f"{sev[k]} {k}{'s' if sev[k] != 1 and k != 'info' else ''}"
             for k in ("error", "warning", "info") if sev[k]]
    counts = ", ".join(parts) if parts else "no findings"
    files = summary["files"]
    words = summary["words"]
    out.write(style(f"\n{counts} in {files} file{'s' if files != 1 else ''} "
                    f"({words} words checked)\n", bold=True))
    if hidden:
        out.write(style(f"{hidden} info finding{'s' if hidden != 1 else ''} (style advice) "
                        "hidden: show them with --min-severity info\n", dim=True))
