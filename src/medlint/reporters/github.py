"""GitHub Actions workflow commands, so findings show as annotations on pull requests."""

from __future__ import annotations

from typing import IO

from medlint.reporters import Run

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def report(run: Run, out: IO[str]) -> None:
    for result in run:
        for f in result.findings:
            props = [f"file={_escape_property(result.path)}", f"line={f.line}",
                     f"col={f.column}", f"endLine={f.end_line}"]
            if f.end_line == f.line:
                props.append(f"endColumn={f.end_column}")
            props.append(f"title={_escape_property(f.rule)}")
            out.write(f"::{_LEVEL[str(f.severity)]} {','.join(props)}::"
                      f"{_escape_data(f.message)}\n")
    summary = run.summary()
    out.write(f"medlint: {summary['findings']} finding(s) in {summary['files']} file(s)\n")
