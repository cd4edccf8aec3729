"""``medlint audit``: options and the report files; an audit always exits 0 unless misused."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from medlint import __version__
from medlint.cli.app import EXIT_OK, EXIT_USAGE, cli, fail, lint_errors, progress, usage_errors


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
@click.option("--base-url", help="Link each page of the HTML report to the live site: this URL "
              "plus the page's relative path (.md dropped).")
@click.option("--progress/--no-progress", "show", default=None,
              help="Progress bar on stderr [auto: on for long runs on a terminal, never in CI].")
def audit(site_dirs: tuple[Path, ...], html_out: Path | None, json_out: Path | None,
          csv_out: Path | None, jsonl_out: Path | None, input_jsonl: Path | None, top: int,
          engine_name: str, workers: int, scheduler: str | None, jobs: int,
          config_path: Path | None, select: tuple[str, ...], ignore: tuple[str, ...],
          today: str | None, model: str | None, no_cache: bool, base_url: str | None,
          show: bool | None) -> None:
    """Audit whole sites (SITE_DIRS and/or --input-jsonl) into one report: the site at a
    glance, charts, the worst pages first and cross-page signals. Exits 0 unless the
    command is used wrongly: an audit is a picture, not a gate."""
    import datetime as dt

    from medlint import runner
    from medlint.audit import SiteAudit
    from medlint.audit.aggregate import common_base, file_context, review_window, rule_notes
    from medlint.audit.render import CsvSink, render_html, text_summary, write_json
    from medlint.engine.results import printable
    from medlint.fileio import atomic_writer, write_atomic

    if not site_dirs and input_jsonl is None:
        fail("give at least one site folder or --input-jsonl FILE")
    if any(str(p) == "-" for p in site_dirs):
        fail("read standard input with --input-jsonl -")
    if scheduler and engine_name != "dask":
        fail("--scheduler needs --engine dask")
    if input_jsonl is not None and str(input_jsonl) != "-" and not input_jsonl.is_file():
        fail(f"{input_jsonl}: no such file")
    start = site_dirs[0] if site_dirs else Path.cwd()
    with usage_errors():
        config, registry, engine = runner.build_engine(start, config_path, select, ignore,
                                                       today, model, cross_page=True)
    folder_sources, missing = (runner.folder_sources(site_dirs, config, None) if site_dirs
                               else ([], []))
    for path, problem in missing:
        click.echo(f"medlint: error: {path}: {problem}", err=True)
    if missing:
        sys.exit(EXIT_USAGE)
    with usage_errors():
        sources, total = runner.with_jsonl(folder_sources, input_jsonl)
    runner.first_pass(engine, sources)
    # The cache needs every page's bytes at hand; a JSONL export is streamed instead.
    cache = None
    if not no_cache and input_jsonl is None and engine_name == "local":
        cache = runner.result_cache(config, registry, engine, None, folder_sources)
    with usage_errors():
        stream, errors = runner.lint_stream(engine, sources, engine_name, jobs=jobs,
                                            total=total, cache=cache, dask_workers=workers,
                                            scheduler=scheduler)

    with contextlib.ExitStack() as stack:
        def opened(path: Path) -> Any:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                return stack.enter_context(atomic_writer(path, newline=""))
            except OSError as exc:
                fail(f"{path}: cannot write: {exc.strerror or exc}")

        on_row = CsvSink(opened(csv_out)) if csv_out is not None else None
        lines = opened(jsonl_out) if jsonl_out is not None else None
        if site_dirs:
            base = os.path.commonpath([str(d) for d in site_dirs])
        else:
            with usage_errors():
                base = common_base(s.path for s in sources)
        if site_dirs and len(site_dirs) == 1 and Path(site_dirs[0]).is_file():
            base = str(Path(site_dirs[0]).parent)
        site = SiteAudit(top=top, on_row=on_row, base=base, today=config.today,
                         review_months=review_window(
                             registry, config.rules.get("attribution/stale-review", {})))
        with lint_errors(errors):
            for result in progress(stream, total, show, "medlint audit"):
                result = printable(result)
                row = site.add(result)
                if lines is not None:
                    lines.write(runner.audit_line(result, row.score, row.path))

    run = dict(engine.run or {})
    if not run and engine.run_factory is not None and site.has_cross_page_signals:
        run = dict(engine.run_factory())  # every result came from the cache
    texts: dict[str, str] = {}
    wanted = {p["source"] for p in site.worst_pages()}
    if input_jsonl is not None and wanted:
        from medlint.documents.loading import decode

        for source in sources:
            if source.path in wanted and source.data is not None:
                texts[source.path] = decode(source.data).text or ""

    def context(path: str) -> str | None:
        return texts[path] if path in texts else file_context(path)

    summary = site.finish(run.get("titles"), run.get("sentence_files"), context,
                          rule_notes(registry))
    names = [_shown(p) for p in site_dirs] + ([_shown(input_jsonl)] if input_jsonl else [])
    try:
        if json_out is not None:
            json_out.parent.mkdir(parents=True, exist_ok=True)
            with atomic_writer(json_out) as fh:
                write_json(summary, fh)
        if html_out is not None:
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
            html_out.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(html_out, render_html(summary, "medlint site audit", stamp, names,
                                               __version__, base_url=base_url or ""))
    except OSError as exc:
        fail(f"{exc.filename or 'output'}: cannot write: {exc.strerror or exc}")
    written = [str(p) for p in (html_out, json_out, csv_out, jsonl_out) if p is not None]
    if written:
        click.echo(f"medlint audit: {summary['site']['files']:,} pages; wrote "
                   f"{', '.join(written)}", err=True)
    else:
        click.echo(text_summary(summary), nl=False)
    sys.exit(EXIT_OK)


def _shown(path: Path) -> str:
    """How the report names an input: relative to the working folder when inside it, else
    the folder's own name, so a shared report does not reveal the auditor's file system."""
    if str(path) == "-":
        return "standard input"
    resolved = Path(os.path.abspath(path))
    try:
        return str(resolved.relative_to(Path.cwd())) or "."
    except ValueError:
        return resolved.name or str(path)
