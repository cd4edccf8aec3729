"""``medlint check``: options, the report and the exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click

from medlint import __version__
from medlint.cli.app import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    SEVERITIES,
    cli,
    fail,
    lint_errors,
    progress,
    usage_errors,
)
from medlint.reporters import FORMATS


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)),
              default=FORMATS[0], show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to a file instead of standard output.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this config file instead of searching upward from the first path.")
@click.option("--select", multiple=True, help="Only these rules or categories (comma list).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (comma list).")
@click.option("--min-severity", type=SEVERITIES, help="Lowest severity to report [info].")
@click.option("--fail-on", type=SEVERITIES, help="Lowest severity that fails the run [error].")
@click.option("--baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Ignore findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=Path),
              help="Record every current finding in this file and exit 0.")
@click.option("--stdin-filename", help="Name (and so format) of text read from '-'.")
@click.option("--today", envvar="MEDLINT_TODAY", help="Date for date-based rules (YYYY-MM-DD).")
@click.option("--model", help="spaCy model: auto, blank, or a package name.")
@click.option("--color/--no-color", default=None, help="Colour text output [auto: on a TTY].")
@click.option("--fix", is_flag=True,
              help="Apply the fixes of fixable rules in place; exit 1 when a file changed. "
              "Standard input: print the fixed text (the report goes to stderr).")
@click.option("--diff", "show_diff", is_flag=True,
              help="Print the fixes as a unified diff instead of writing them.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes (default 0: one per core, for runs large enough to gain).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="MEDLINT_CACHE_DIR",
              help="Where to keep cached results [$XDG_CACHE_HOME/medlint/results, or "
              "~/.cache/medlint/results; never inside the linted tree by default].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--progress/--no-progress", "show", default=None,
              help="Progress bar on stderr [auto: on for long runs on a terminal, never in CI].")
def check(paths: tuple[Path, ...], fmt: str, output: Path | None, config_path: Path | None,
          select: tuple[str, ...], ignore: tuple[str, ...], min_severity: str | None,
          fail_on: str | None, baseline: Path | None, write_baseline: Path | None,
          stdin_filename: str | None, today: str | None, model: str | None,
          color: bool | None, fix: bool = False, show_diff: bool = False, jobs: int = 0,
          cache_dir: Path | None = None, no_cache: bool = False,
          show: bool | None = None) -> None:
    """Lint PATHS (files, folders, or - for standard input)."""
    from medlint import runner
    from medlint.engine import Baseline, FileResult
    from medlint.rules.base import Severity

    if not paths:
        fail("give at least one file or folder to check (or - for standard input)")
    use_stdin = any(str(p) == "-" for p in paths)
    start = Path(stdin_filename).parent if (use_stdin and stdin_filename) else paths[0]
    if str(start) == "-":
        start = Path.cwd()
    base = None
    if baseline is not None:
        try:
            base = Baseline.load(baseline)
        except ValueError as exc:
            fail(str(exc))
    with usage_errors():
        config, registry, engine = runner.build_engine(
            start, config_path, select, ignore, today, model, base,
            {"min_severity": Severity.parse(min_severity) if min_severity else None,
             "fail_on": Severity.parse(fail_on) if fail_on else None})
    sources, missing = runner.folder_sources(paths, config, stdin_filename,
                                             sys.stdin.buffer.read)
    runner.first_pass(engine, sources)
    fixing = fix or show_diff
    # The text report lists what an editor acts on (errors, warnings) unless info was asked
    # for; JSON, SARIF and GitHub keep everything the engine reports.
    show_info = bool(min_severity) or config.min_severity_set
    if fixing and write_baseline is not None:
        fail("--fix/--diff cannot be combined with --write-baseline")
    for path, problem in missing:
        click.echo(f"medlint: error: {path}: {problem}", err=True)
    snapshots: dict[str, Any] = {}
    cache = None if (no_cache or fixing) else runner.result_cache(config, registry, engine,
                                                                  cache_dir, sources)
    if cache is not None and (cache_problem := cache.problem()):
        click.echo(f"medlint: warning: {cache_problem}", err=True)
    workers = runner.workers(jobs, len(sources))
    failing = fixed_any = False
    if not fixing and write_baseline is None:
        # The common case streams: each file is reported as it is linted, then dropped.
        def watched(results: Iterable[FileResult]) -> Iterator[FileResult]:
            nonlocal failing
            for result in results:
                failing = failing or any(f.severity >= config.fail_on for f in result.findings)
                yield result

        with lint_errors():
            _report(fmt, output, watched(progress(engine.lint(sources, jobs=workers,
                                                               cache=cache),
                                                   len(sources), show)), registry, color,
                    show_info=show_info)
        _warn_unmatched(base)
        sys.exit(EXIT_USAGE if missing else EXIT_FINDINGS if failing else EXIT_OK)
    held: list[FileResult] = []
    with lint_errors():
        if fixing:
            from medlint.fixes import snapshot_sources

            held.extend(engine.lint(snapshot_sources(sources, snapshots)))
        else:
            held.extend(progress(engine.lint(sources, jobs=workers, cache=cache),
                                  len(sources), show))
    if write_baseline is not None:
        count = Baseline.write(write_baseline, held)
        click.echo(f"medlint: recorded {count} finding(s) in {write_baseline}", err=True)
        sys.exit(EXIT_OK)
    fixed_any, to_stderr = _fix(engine, held, snapshots, show_diff)
    stream = sys.stderr if (to_stderr and output is None) else None
    color = False if stream is not None and color is None else color
    _report(fmt, output, held, registry, color, stream, show_info=show_info)
    _warn_unmatched(base)
    failing = any(f.severity >= config.fail_on for r in held for f in r.findings)
    if missing:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if (failing or fixed_any) else EXIT_OK)


def _warn_unmatched(base: Any) -> None:
    """A baseline that matched nothing is almost always one read from the wrong folder; say
    so on stderr (it is not a finding and does not change the exit status)."""
    warning = base.unmatched_warning() if base is not None else None
    if warning:
        click.echo(f"medlint: warning: {warning}", err=True)


def _fix(engine: Any, results: list[Any], snapshots: dict[str, Any], show_diff: bool
         ) -> tuple[bool, bool]:
    """Applies (or, with ``show_diff``, prints) fixes; re-lints what changed so the report
    shows what is left. Returns (a file changed or would change or could not be fixed, the
    report must go to stderr because stdout carries a diff or fixed standard input)."""
    from medlint.engine import Source
    from medlint.fixes import fix_results, unified_diff

    outcomes = fix_results(results, snapshots, write=not show_diff)
    stdin_paths = {path for path, snap in snapshots.items() if snap.data is not None}
    changed = False
    relint: dict[str, bytes] = {}
    counts: dict[str, int] = {}
    for outcome in outcomes:
        if outcome.error:
            click.echo(f"medlint: error: {outcome.path}: {outcome.error}", err=True)
            changed = True
            continue
        if show_diff:
            if outcome.changed:
                click.echo(unified_diff(outcome.old_text, outcome.new_text, outcome.path),
                           nl=False)
                click.echo(f"would fix {outcome.count} issue(s) in {outcome.path}", err=True)
                changed = True
        elif outcome.path in stdin_paths:
            if outcome.changed:
                relint[outcome.path] = outcome.new_bytes
                counts[outcome.path] = outcome.count
        elif outcome.written:
            click.echo(f"fixed {outcome.count} issue(s) in {outcome.path}", err=True)
            relint[outcome.path] = outcome.new_bytes
            changed = True
    to_stderr = show_diff
    if not show_diff and stdin_paths:
        to_stderr = True
        for path in stdin_paths:  # print standard input, fixed or not, like a formatter
            sys.stdout.buffer.write(relint.get(path, snapshots[path].data))
            sys.stdout.buffer.flush()
            if path in counts:
                click.echo(f"fixed {counts[path]} issue(s) in {path}", err=True)
    if relint:
        again = {r.path: r for r in engine.lint([Source(p, d) for p, d in relint.items()])}
        results[:] = [again.get(r.path, r) for r in results]
    return changed, to_stderr


def _report(fmt: str, output: Path | None, results: list[Any], registry: Any,
            color: bool | None, stream: Any = None, show_info: bool = True) -> None:
    from medlint.reporters import Run, get_reporter

    if color is None:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(results=results, rules=registry, version=__version__, color=bool(color),
              extra={"hide_info": not show_info})
    reporter = get_reporter(fmt)
    if output is not None:
        from medlint.fileio import atomic_writer

        with atomic_writer(output) as fh:
            reporter(run, fh)
    else:
        reporter(run, stream or sys.stdout)
