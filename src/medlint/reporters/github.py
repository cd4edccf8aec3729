"""GitHub Actions workflow commands, so findings show as annotations on pull requests.

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step (50 per job)
and drops the rest without saying so. This reporter therefore annotates the most important
findings first, says how many it left out, and, when ``$GITHUB_STEP_SUMMARY`` names a file,
appends a Markdown summary of every finding to it (SARIF and JSON stay complete).
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from typing import IO, TYPE_CHECKING

from medlint.reporters import Run

if TYPE_CHECKING:
    from medlint.engine.results import Reported

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
LEVELS = ("error", "warning", "info")  # most important first
PER_LEVEL = 10  # annotations of one level GitHub shows per step
PER_JOB = 50  # annotations GitHub shows per job, all steps together
FILE_ROWS = 50  # per-file rows in the step summary; the rest are counted in one line


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def _annotation(path: str, f: Reported) -> str:
    props = [f"file={_escape_property(path)}", f"line={f.line}", f"col={f.column}",
             f"endLine={f.end_line}"]
    if f.end_line == f.line:
        props.append(f"endColumn={f.end_column}")
    props.append(f"title={_escape_property(f.rule)}")
    return f"::{_LEVEL[str(f.severity)]} {','.join(props)}::{_escape_data(f.message)}\n"


def _confidence(f: Reported) -> float:
    """A rule without a confidence is a deterministic check, so it ranks as certain."""
    value = f.data.get("confidence")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else 1.0


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _counts_row(name: str, counts: Counter[str]) -> str:
    cells = " | ".join(str(counts.get(level, 0)) for level in LEVELS)
    return f"| {name} | {cells} | {sum(counts.values())} |\n"


def step_summary(by_rule: dict[str, Counter[str]], by_file: list[tuple[str, Counter[str]]],
                 files: int, annotated: int, dropped: int) -> str:
    """Markdown for the job summary: every finding counted by rule, then the files with the
    most findings (capped at ``FILE_ROWS`` rows: the summary is read, not searched)."""
    total = sum(sum(c.values()) for c in by_rule.values())
    head = "| {} | Errors | Warnings | Notices | Total |\n|---|---:|---:|---:|---:|\n"
    lines = [f"## medlint\n\n{total} finding(s) in {files} file(s); {annotated} annotated, "
             f"{dropped} not annotated (GitHub shows {PER_LEVEL} per level per step).\n\n"]
    if not total:
        return "".join(lines)
    lines.append(head.format("Rule"))
    for rule, counts in sorted(by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        lines.append(_counts_row(f"`{_cell(rule)}`", counts))
    ranked = sorted(by_file, key=lambda pf: tuple(-pf[1].get(level, 0) for level in LEVELS))
    lines.append("\n" + head.format("File"))
    for path, counts in ranked[:FILE_ROWS]:
        lines.append(_counts_row(_cell(path), counts))
    if len(ranked) > FILE_ROWS:
        lines.append(f"\n... and {len(ranked) - FILE_ROWS} more file(s) with findings "
                     "(`--format json` or `--format sarif` lists them all).\n")
    return "".join(lines)


def report(run: Run, out: IO[str]) -> None:
    # One bounded heap per level keeps the best PER_LEVEL findings of a stream of any size;
    # the sort key is (confidence, earlier file, earlier finding), so the heap's smallest
    # entry is the one to drop.
    best: dict[str, list[tuple[float, int, int, str]]] = {level: [] for level in LEVELS}
    by_rule: dict[str, Counter[str]] = {}
    by_file: list[tuple[str, Counter[str]]] = []
    order = 0
    for index, result in enumerate(run):
        counts: Counter[str] = Counter()
        for f in result.findings:
            level = str(f.severity)
            counts[level] += 1
            by_rule.setdefault(f.rule, Counter())[level] += 1
            order += 1
            entry = (_confidence(f), -index, -order, _annotation(result.path, f))
            heap = best[level]
            if len(heap) < PER_LEVEL:
                heapq.heappush(heap, entry)
            elif entry > heap[0]:
                heapq.heapreplace(heap, entry)
        if counts:
            by_file.append((result.path, counts))
    shown: list[str] = []
    for level in LEVELS:
        for entry in sorted(best[level], reverse=True):
            if len(shown) < PER_JOB:
                shown.append(entry[3])
    out.writelines(shown)
    summary = run.summary()
    dropped = summary["findings"] - len(shown)
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if dropped:
        where = "the job summary" if target else "--format sarif or --format json"
        out.write(f"medlint: {dropped} finding(s) not annotated (GitHub shows {PER_LEVEL} "
                  f"errors, {PER_LEVEL} warnings and {PER_LEVEL} notices per step, most "
                  f"important first); see {where} for all of them\n")
    out.write(f"medlint: {summary['findings']} finding(s) in {summary['files']} file(s)\n")
    if target:
        text = step_summary(by_rule, by_file, summary["files"], len(shown), dropped)
        _append(target, text)


def _append(target: str, text: str) -> None:
    """GitHub gives each step one summary file; steps append to it, never replace it. One
    O_APPEND write, so a parallel step's summary is never interleaved with ours."""
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        data = text.encode("utf-8")
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)

