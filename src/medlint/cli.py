"""Command line: ``medlint check``, ``audit``, ``rules``, ``explain``, ``config``.

Imports stay light at module level so ``medlint --help`` and ``medlint rules`` answer fast;
spaCy loads only inside a check whose rules need it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from medlint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
SEVERITIES = click.Choice(["error", "warning", "info"], case_sensitive=False)


def _fail(message: str) -> NoReturn:
    click.echo(f"medlint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medlint")
def cli() -> None:
    """medlint finds decayed health content: pasted spam, unsupported claims, missing medical
    review and prose patients cannot read."""


def _load(config_path: Path | None, start: Path, overrides: dict[str, Any]) -> tuple[Any, Any]:
    from medlint.config import ConfigError, load_config
    from medlint.rules import RuleLoadError, load_rules
    from medlint.rules.packs import PackError

    try:
        config = load_config(start, config_path)
    except ConfigError as exc:
        _fail(str(exc))
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    try:
        registry = load_rules(config.extra_packs)
    except (RuleLoadError, PackError) as exc:
        _fail(str(exc))
    for rule_id in list(config.rules) + list(config.severity):
        if rule_id not in registry and "/" in rule_id:
            where = config.path or "configuration"
            _fail(f"{where}: unknown rule {rule_id!r} (see 'medlint rules')")
    return config, registry


def _split(values: tuple[str, ...]) -> list[str] | None:
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return items or None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "sarif", "github"]),
              default="text", show_default=True, help="Output format.")
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
              help="Where to keep cached results [.medlint_cache beside the config file, or in "
              "the current folder].")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [auto: on for long runs on a terminal, never in CI].")
def check(paths: tuple[Path, ...], fmt: str, output: Path | None, config_path: Path | None,
          select: tuple[str, ...], ignore: tuple[str, ...], min_severity: str | None,
          fail_on: str | None, baseline: Path | None, write_baseline: Path | None,
          stdin_filename: str | None, today: str | None, model: str | None,
          color: bool | None, fix: bool = False, show_diff: bool = False, jobs: int = 0,
          cache_dir: Path | None = None, no_cache: bool = False,
          progress: bool | None = None) -> None:
    """Lint PATHS (files, folders, or - for standard input)."""
    from medlint.engine import Baseline, FileResult
    from medlint.rules.base import Severity

    if not paths:
        _fail("give at least one file or folder to check (or - for standard input)")
    use_stdin = any(str(p) == "-" for p in paths)
    start = Path(stdin_filename).parent if (use_stdin and stdin_filename) else paths[0]
    if str(start) == "-":
        start = Path.cwd()
    base = None
    if baseline is not None:
        try:
            base = Baseline.load(baseline)
        except ValueError as exc:
            _fail(str(exc))
    config, registry, engine = _engine(
        start, config_path, select, ignore, today, model, base,
        {"min_severity": Severity.parse(min_severity) if min_severity else None,
         "fail_on": Severity.parse(fail_on) if fail_on else None})

    sources, missing = _sources(paths, config, stdin_filename)
    if engine.uses_run():
        from medlint.runcontext import Collector

        engine.run_factory = Collector(sources)
    fixing = fix or show_diff
    if fixing and write_baseline is not None:
        _fail("--fix/--diff cannot be combined with --write-baseline")
    for path, problem in missing:
        click.echo(f"medlint: error: {path}: {problem}", err=True)
    snapshots: dict[str, Any] = {}
    cache = None if (no_cache or fixing) else _cache(config, registry, engine, cache_dir, sources)
    workers = _workers(jobs, len(sources))
    failing = fixed_any = False
    if not fixing and write_baseline is None:
        # The common case streams: each file is reported as it is linted, then dropped.
        def watched(results: Iterable[FileResult]) -> Iterator[FileResult]:
            nonlocal failing
            for result in results:
                failing = failing or any(f.severity >= config.fail_on for f in result.findings)
                yield result

        with _lint_errors():
            _report(fmt, output, watched(_progress(engine.lint(sources, jobs=workers,
                                                               cache=cache),
                                                   len(sources), progress)), registry, color)
        sys.exit(EXIT_USAGE if missing else EXIT_FINDINGS if failing else EXIT_OK)
    held: list[FileResult] = []
    with _lint_errors():
        if fixing:
            from medlint.fixes import snapshot_sources

            held.extend(engine.lint(snapshot_sources(sources, snapshots)))
        else:
            held.extend(_progress(engine.lint(sources, jobs=workers, cache=cache),
                                  len(sources), progress))
    if write_baseline is not None:
        count = Baseline.write(write_baseline, held)
        click.echo(f"medlint: recorded {count} finding(s) in {write_baseline}", err=True)
        sys.exit(EXIT_OK)
    fixed_any, to_stderr = _fix(engine, held, snapshots, show_diff)
    stream = sys.stderr if (to_stderr and output is None) else None
    color = False if stream is not None and color is None else color
    _report(fmt, output, held, registry, color, stream)
    failing = any(f.severity >= config.fail_on for r in held for f in r.findings)
    if missing:
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_FINDINGS if (failing or fixed_any) else EXIT_OK)


@contextlib.contextmanager
def _lint_errors() -> Iterator[None]:
    """Ctrl-C and a missing spaCy model end a run with a message, not a traceback."""
    try:
        yield
    except KeyboardInterrupt:
        _fail("interrupted")
    except Exception as exc:
        from medlint.nlp import ModelError

        if isinstance(exc, ModelError):
            _fail(str(exc))
        raise


def _engine(start: Path, config_path: Path | None, select: tuple[str, ...],
            ignore: tuple[str, ...], today: str | None, model: str | None,
            baseline: Any = None, overrides: dict[str, Any] | None = None,
            cross_page: bool = False) -> tuple[Any, Any, Any]:
    """Config, rule registry and engine from the shared command-line options (``check`` and
    ``audit``); exits with a usage error on a bad date, config, rule name or option."""
    from medlint.engine import Engine, today_from

    try:
        day = today_from(today)
    except ValueError as exc:
        _fail(f"--today: {exc}")
    config, registry = _load(config_path, start, {"select": _split(select), "model": model,
                                                  "today": day, **(overrides or {})})
    ignored = _split(ignore)
    if ignored:
        config.ignore = config.ignore + ignored
    unknown = [s for s in (config.select or []) + config.ignore
               if "/" in s and "*" not in s and s not in registry]
    if unknown:
        _fail(f"unknown rule(s): {', '.join(unknown)} (see 'medlint rules')")
    # audit: boilerplate across pages is evidence (check stays per-file)
    if cross_page and "spam/duplicate-text" in registry:
        config.rules.setdefault("spam/duplicate-text", {}).setdefault("use_run", True)
    try:
        engine = Engine(config, registry, baseline)
        engine.active_rules()
    except ValueError as exc:
        _fail(f"{config.path or 'configuration'}: {exc}")
    return config, registry, engine


def _progress(stream: Iterable[Any], total: int, choice: bool | None,
              label: str = "medlint") -> Iterator[Any]:
    """Passes results through, drawing a progress bar on stderr when wanted."""
    if not _show_progress(choice, total):
        yield from stream
        return
    with click.progressbar(stream, length=total, file=sys.stderr, label=label,
                           show_pos=True) as bar:
        yield from bar


def _workers(jobs: int, files: int) -> int:
    """Processes pay off only when there are several batches of files to share out."""
    from medlint.engine import BATCH_SIZE

    wanted = jobs or (os.cpu_count() or 1)
    return max(1, min(wanted, files // BATCH_SIZE))


def _show_progress(choice: bool | None, files: int) -> bool:
    if choice is not None:
        return choice
    return files >= 200 and sys.stderr.isatty() and not os.environ.get("CI")


def _cache(config: Any, registry: Any, engine: Any, folder: Path | None,
           sources: list[Any]) -> Any:
    """The result cache, keyed also by everything that can change a result."""
    import hashlib

    from medlint.cache import CACHE_DIR_NAME, ResultCache

    if folder is None:
        base = config.path.parent if config.path else Path.cwd()
        folder = base / CACHE_DIR_NAME
    packs = hashlib.sha256()
    for pack_dir in config.extra_packs:
        for path in sorted(Path(pack_dir).glob("*.y*ml")):
            packs.update(path.read_bytes())
    context = {"config": config.as_dict(), "rules": sorted(registry),
               "origins": sorted({cls.origin for cls in registry.values()}),
               "packs": packs.hexdigest(), "run": _run_fingerprint(engine, sources)}
    return ResultCache(folder, context)


def _run_fingerprint(engine: Any, sources: list[Any]) -> str:
    """Rules that read other files' titles and boilerplate depend on every file of the run,
    so their cached results are valid only for the same set of files with the same bytes."""
    import hashlib

    if not engine.uses_run():
        return ""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.path.encode("utf-8", "surrogateescape") + b"\0")
        try:
            data = source.data if source.data is not None else Path(source.path).read_bytes()
        except OSError:
            data = b""
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


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


def _sources(paths: tuple[Path, ...], config: Any, stdin_filename: str | None
             ) -> tuple[list[Any], list[tuple[Path, str]]]:
    from medlint.discovery import discover
    from medlint.engine import Source

    sources: list[Source] = []
    missing: list[tuple[Path, str]] = []
    files = [p for p in paths if str(p) != "-"]
    if len(files) != len(paths):
        data = sys.stdin.buffer.read()
        sources.append(Source(stdin_filename or "stdin.md", data))
    for path, problem in discover(files, config):
        if problem:
            missing.append((path, problem))
        else:
            sources.append(Source(str(path)))
    return sources, missing


def _report(fmt: str, output: Path | None, results: list[Any], registry: Any,
            color: bool | None, stream: Any = None) -> None:
    from medlint.reporters import Run, get_reporter

    if color is None:
        color = output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    run = Run(results=results, rules=registry, version=__version__, color=bool(color))
    reporter = get_reporter(fmt)
    if output is not None:
        with output.open("w", encoding="utf-8") as fh:
            reporter(run, fh)
    else:
        reporter(run, stream or sys.stdout)


class _InputError(Exception):
    """A bad record in a JSONL input (a usage error, not a crash)."""


class _JsonlSources:
    """Re-iterable sources from a JSONL export, so the run's first pass and the lint pass
    each stream the file instead of holding every page in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[Any]:
        try:
            from medlint.jsonl import read_sources
        except ImportError:
            raise _InputError("--input-jsonl is not available in this build "
                              "(medlint.jsonl is missing)") from None
        try:
            yield from read_sources(self.path)
        except (ValueError, OSError) as exc:
            raise _InputError(str(exc)) from None

    def count(self) -> int:
        with self.path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())


class _Chain:
    """Folder sources followed by JSONL sources, iterable any number of times."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[Any]:
        for part in self.parts:
            yield from part


@cli.command()
@click.argument("site_dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--html", "html_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the self-contained HTML report here.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the audit summary as JSON here.")
@click.option("--csv", "csv_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one CSV row per page here.")
@click.option("--jsonl", "jsonl_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Stream every page's findings here, one JSON object per line.")
@click.option("--input-jsonl", type=click.Path(dir_okay=False, path_type=Path),
              help="Read pages from a JSONL file of {\"path\", \"text\"} records (- for stdin).")
@click.option("--top", type=click.IntRange(min=0), default=200, show_default=True,
              help="Worst pages kept with their findings for the report (bounds memory).")
@click.option("--engine", "engine_name", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Run in this process (and --jobs workers) or on Dask.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Dask workers of the local cluster (--engine dask).")
@click.option("--scheduler", help="Address of an existing Dask scheduler (tcp://HOST:PORT).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0,
              help="Worker processes of the local engine (default 0: one per core).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this config file instead of searching upward from the first folder.")
@click.option("--select", multiple=True, help="Only these rules or categories (comma list).")
@click.option("--ignore", multiple=True, help="Skip these rules or categories (comma list).")
@click.option("--today", envvar="MEDLINT_TODAY", help="Date for date-based rules (YYYY-MM-DD).")
@click.option("--model", help="spaCy model: auto, blank, or a package name.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr [auto: on for long runs on a terminal, never in CI].")
def audit(site_dirs: tuple[Path, ...], html_out: Path | None, json_out: Path | None,
          csv_out: Path | None, jsonl_out: Path | None, input_jsonl: Path | None, top: int,
          engine_name: str, workers: int, scheduler: str | None, jobs: int,
          config_path: Path | None, select: tuple[str, ...], ignore: tuple[str, ...],
          today: str | None, model: str | None, no_cache: bool,
          progress: bool | None) -> None:
    """Audit whole sites (SITE_DIRS and/or --input-jsonl) into one report: the site at a
    glance, charts, the worst pages first and cross-page signals. Exits 0 unless the
    command is used wrongly: an audit is a picture, not a gate."""
    import datetime as dt
    import json

    from medlint.audit import SiteAudit
    from medlint.audit.aggregate import file_context
    from medlint.audit.render import CsvSink, render_html, text_summary, write_json

    if not site_dirs and input_jsonl is None:
        _fail("give at least one site folder or --input-jsonl FILE")
    if any(str(p) == "-" for p in site_dirs):
        _fail("read standard input with --input-jsonl -")
    if scheduler and engine_name != "dask":
        _fail("--scheduler needs --engine dask")
    if input_jsonl is not None and str(input_jsonl) != "-" and not input_jsonl.is_file():
        _fail(f"{input_jsonl}: no such file")
    start = site_dirs[0] if site_dirs else Path.cwd()
    config, registry, engine = _engine(start, config_path, select, ignore, today, model,
                                       cross_page=True)

    folder_sources, missing = _sources(site_dirs, config, None) if site_dirs else ([], [])
    for path, problem in missing:
        click.echo(f"medlint: error: {path}: {problem}", err=True)
    if missing:
        sys.exit(EXIT_USAGE)
    sources: Any = folder_sources
    total = len(folder_sources)
    if input_jsonl is not None:
        if str(input_jsonl) == "-":
            try:
                jsonl_part: Any = list(_JsonlSources(input_jsonl))
            except _InputError as exc:
                _fail(str(exc))
            total += len(jsonl_part)
        else:
            jsonl_part = _JsonlSources(input_jsonl)
            total += jsonl_part.count()
        sources = _Chain([folder_sources, jsonl_part])
    if engine.uses_run():
        from medlint.runcontext import Collector

        engine.run_factory = Collector(sources)
    # The cache needs every page's bytes at hand; a JSONL export is streamed instead.
    cache = None
    if not no_cache and input_jsonl is None and engine_name == "local":
        cache = _cache(config, registry, engine, None, folder_sources)

    if engine_name == "dask":
        try:
            from medlint.distributed import BatchFailed, DaskUnavailable, lint_dask
        except ImportError:
            _fail("--engine dask is not available in this build (medlint.distributed is "
                  "missing)")
        try:
            stream = lint_dask(engine, sources, workers=workers, scheduler=scheduler)
        except DaskUnavailable as exc:
            _fail(str(exc))
        errors: tuple[type[BaseException], ...] = (DaskUnavailable, BatchFailed)
    else:
        stream = engine.lint(sources, jobs=_workers(jobs, total), cache=cache)
        errors = ()

    with contextlib.ExitStack() as stack:
        def opened(path: Path) -> Any:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                return stack.enter_context(path.open("w", encoding="utf-8", newline=""))
            except OSError as exc:
                _fail(f"{path}: cannot write: {exc.strerror or exc}")

        on_row = CsvSink(opened(csv_out)) if csv_out is not None else None
        lines = opened(jsonl_out) if jsonl_out is not None else None
        site = SiteAudit(top=top, on_row=on_row)
        try:
            for result in _progress(stream, total, progress, "medlint audit"):
                row = site.add(result)
                if lines is not None:
                    lines.write(json.dumps({
                        "path": result.path, "words": result.words, "score": row.score,
                        "findings": [f.as_dict() for f in result.findings],
                        "metrics": result.metrics}, ensure_ascii=False, default=str) + "\n")
        except KeyboardInterrupt:
            _fail("interrupted")
        except _InputError as exc:
            _fail(str(exc))
        except Exception as exc:
            from medlint.nlp import ModelError

            if isinstance(exc, ModelError | errors):
                _fail(str(exc))
            raise

    run = dict(engine.run or {})
    if not run and engine.run_factory is not None and site.has_cross_page_signals:
        run = dict(engine.run_factory())  # every result came from the cache
    texts: dict[str, str] = {}
    wanted = {p["path"] for p in site.worst_pages()}
    if input_jsonl is not None and wanted:
        from medlint.documents.loading import decode

        for source in sources:
            if source.path in wanted and source.data is not None:
                texts[source.path] = decode(source.data).text or ""

    def context(path: str) -> str | None:
        return texts[path] if path in texts else file_context(path)

    summary = site.finish(run.get("titles"), run.get("sentence_files"), context)
    names = [str(p) for p in site_dirs] + ([str(input_jsonl)] if input_jsonl else [])
    try:
        if json_out is not None:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            with json_out.open("w", encoding="utf-8") as fh:
                write_json(summary, fh)
        if html_out is not None:
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            html_out.parent.mkdir(parents=True, exist_ok=True)
            base = os.path.commonpath([str(d) for d in site_dirs]) if (
                site_dirs and input_jsonl is None) else ""
            html_out.write_text(render_html(summary, "medlint site audit", stamp, names,
                                            __version__, base), encoding="utf-8")
    except OSError as exc:
        _fail(f"{exc.filename or 'output'}: cannot write: {exc.strerror or exc}")
    written = [str(p) for p in (html_out, json_out, csv_out, jsonl_out) if p is not None]
    if written:
        click.echo(f"medlint audit: {summary['site']['files']:,} pages; wrote "
                   f"{', '.join(written)}", err=True)
    else:
        click.echo(text_summary(summary), nl=False)
    sys.exit(EXIT_OK)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def list_rules(fmt: str, config_path: Path | None) -> None:
    """List every available rule."""
    import json

    _, registry = _load(config_path, Path.cwd(), {})
    if fmt == "json":
        click.echo(json.dumps([cls.summary() for cls in registry.values()], indent=2))
        return
    width = max(len(r) for r in registry)
    for rule_id, cls in registry.items():
        fix = " (fixable)" if cls.fixable else ""
        click.echo(f"{rule_id:<{width}}  {cls.severity!s:<7}  {cls.rationale}{fix}")


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Explain a rule: rationale, source, options and examples."""
    _, registry = _load(None, Path.cwd(), {})
    if rule_id not in registry:
        close = [r for r in registry if rule_id in r]
        hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
        _fail(f"unknown rule {rule_id!r}.{hint}")
    cls = registry[rule_id]
    click.echo(click.style(cls.id, bold=True) + f"  ({cls.category}, {cls.severity})")
    click.echo(f"\n{cls.rationale}")
    if cls.description:
        click.echo(f"\n{cls.description}")
    click.echo(f"\nSource: {cls.source}")
    click.echo(f"Defined in: {cls.origin}")
    if cls.needs:
        click.echo(f"Needs: {', '.join(sorted(cls.needs))}")
    if cls.fixable:
        click.echo("Fixable: yes")
    if cls.options:
        click.echo("\nOptions:")
        for name, opt in cls.options.items():
            click.echo(f"  {name.replace('_', '-')} = {opt.default!r}  {opt.help}")
    for ex in cls.examples:
        label = "Bad" if ex.fails else "Good"
        text = ex.text if ex.data is None else f"<{len(ex.data)} bytes of raw file data>"
        click.echo(f"\n{label}:\n" + "\n".join(f"    {line}" for line in text.splitlines()))


@cli.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def show_config(path: Path | None, config_path: Path | None) -> None:
    """Print the effective configuration for PATH (default: the current folder)."""
    import json

    config, registry = _load(config_path, path or Path.cwd(), {})
    from medlint.engine import Engine

    data = config.as_dict()
    try:
        data["active-rules"] = [a.rule.id for a in Engine(config, registry).active_rules()]
    except ValueError as exc:
        _fail(f"{config.path or 'configuration'}: {exc}")
    click.echo(json.dumps(data, indent=2))


@cli.command("eval")
@click.argument("labels", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--today", envvar="MEDLINT_TODAY", default="2026-11-25", show_default=True,
              help="Date for date-based rules, so scores do not drift with the calendar.")
@click.option("--show-errors", is_flag=True, help="List missed labels and false positives.")
def evaluate(labels: tuple[Path, ...], today: str, show_errors: bool) -> None:
    """Score rules against labeled corpora: precision, recall and F1 per rule (per sentence
    for label files with ``unit: sentence``)."""
    from medlint.config import Config
    from medlint.engine import Engine, Source, today_from
    from medlint.evaluation import (
        CLAIM_RULE,
        LabelError,
        Score,
        StrengthScore,
        format_table,
        load_labels,
        score_file,
        score_file_sentences,
        sentence_spans,
    )

    config, registry = _load(None, Path.cwd(), {"today": today_from(today)})
    scores: dict[str, Score] = {}
    strengths = StrengthScore()
    sentences = 0
    for label_path in labels:
        try:
            label_set = load_labels(label_path)
        except LabelError as exc:
            _fail(str(exc))
        unknown = [r for r in label_set.rules if r not in registry and r != CLAIM_RULE]
        if unknown:
            _fail(f"{label_path}: unknown rule(s) {', '.join(unknown)}")
        select = [r for r in label_set.rules if r != CLAIM_RULE]
        if CLAIM_RULE in label_set.rules and not any(r.startswith("claims/") for r in select):
            select.append("claims/unsupported-claim")  # it fills metrics.claims
        run_config = Config(root=config.root, select=select, today=config.today,
                            model=config.model)
        engine = Engine(run_config, registry)
        sources = [Source(str(f.path)) for f in label_set.files]
        if engine.uses_run():
            from medlint.runcontext import collect

            engine.run = collect(sources)
        for labeled, result in zip(label_set.files, engine.lint(sources), strict=True):
            findings = [f.as_dict() for f in result.findings if f.rule in select]
            name = os.path.relpath(labeled.path, label_set.source.resolve().parent.parent)
            if label_set.unit == "span":
                score_file(labeled.labels, findings, label_set.rules, scores, name)
                continue
            from medlint.documents import parse_document

            doc = parse_document(str(labeled.path),
                                 labeled.path.read_text(encoding="utf-8-sig"))
            spans = sentence_spans(doc)
            sentences += len(spans)
            findings += [{"rule": CLAIM_RULE, "line": doc.line_col(c["offset"])[0],
                          "excerpt": " ".join(doc.text[c["offset"]:c["end_offset"]].split()),
                          **c} for c in result.metrics.get("claims", [])]
            score_file_sentences(labeled.labels, findings, label_set.rules, scores, spans,
                                 name, strengths)
    if sentences:
        click.echo(f"{sentences} sentences scored one by one.\n")
    click.echo(format_table(scores))
    if strengths.confusion:
        click.echo("\n" + strengths.table())
    if show_errors:
        for rule, score in sorted(scores.items()):
            for miss in score.misses:
                click.echo(f"missed  {rule}  {miss}")
            for fp in score.false_positives:
                click.echo(f"false+  {rule}  {fp}")


def main() -> None:
    cli(prog_name="medlint")
