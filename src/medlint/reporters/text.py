"""Human-readable report: ``path:line:col: severity rule message`` with the excerpt.

When the run asks (``extra["hide_info"]``, the default of ``medlint check``), info findings
are counted but not listed, and one closing line says how many and how to show them: the
text report is what an editor reads, and style advice per sentence buries what to act on."""

from __future__ import annotations

from typing import IO

import click

from medlint.reporters import Run
from medlint.rules.readability.metrics import ReadabilityMetrics

_COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}


def report(run: Run, out: IO[str]) -> None:
    def style(text: str, **kw: object) -> str:
        return click.style(text, **kw) if run.color else text  # type: ignore[arg-type]

    hide_info = bool(run.extra.get("hide_info"))
    hidden = 0
    for result in run:
        shown = 0
        for f in result.findings:
            if hide_info and str(f.severity) == "info":
                hidden += 1
                continue
            shown += 1
            level = str(f.severity)
            location = style(f"{result.path}:{f.line}:{f.column}:", bold=True)
            out.write(f"{location} {style(level, fg=_COLORS[level])} "
                      f"{style(f.rule, dim=True)} {f.message}\n")
            if f.excerpt:
                out.write(f"    {style('│', dim=True)} {f.excerpt}\n")
        # A file with nothing to report prints nothing (a baseline run, a clean page).
        readability = result.metrics.get(ReadabilityMetrics)
        grade = readability.fk_grade if readability is not None else None
        if grade is not None and shown:
            out.write(style(f"{result.path}: reading grade {grade:.1f} (Flesch-Kincaid)\n",
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
