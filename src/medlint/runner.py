"""The application layer under the CLI and the Python API: configuration and registry,
sources (folders, standard input, JSONL), the run-wide first pass, cache policy and the
choice of local or Dask engine. No click here: problems are raised as UsageError and the
CLI turns them into messages and exit codes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from medlint.config import Config
from medlint.engine import BATCH_SIZE, Engine, FileResult, Source, today_from
from medlint.rules.base import Rule


class UsageError(Exception):
    """The command was used wrongly (bad option, config, rule name or input)."""


class InputError(UsageError):
    """A bad record in a JSONL input (a usage error, not a crash)."""


def load(config_path: Path | None, start: Path, overrides: dict[str, Any]
         ) -> tuple[Config, dict[str, type[Rule]]]:
    """The configuration found from ``start`` (or ``config_path``) with ``overrides`` applied,
    and the registry it asks for; config entries must name known rules."""
    from medlint.config import ConfigError, load_config
    from medlint.rules import RuleLoadError, load_rules
    from medlint.rules.packs import PackError

    try:
        config = load_config(start, config_path)
    except ConfigError as exc:
        raise UsageError(str(exc)) from None
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    try:
        registry = load_rules(config.extra_packs)
    except (RuleLoadError, PackError) as exc:
        raise UsageError(str(exc)) from None
    for rule_id in list(config.rules) + list(config.severity):
        if rule_id not in registry and "/" in rule_id:
            where = config.path or "configuration"
            raise UsageError(f"{where}: unknown rule {rule_id!r} (see 'medlint rules')")
    return config, registry


def split(values: tuple[str, ...]) -> list[str] | None:
    """Comma lists from repeated options, flattened (None when empty)."""
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return items or None


def build_engine(start: Path, config_path: Path | None, select: tuple[str, ...],
                 ignore: tuple[str, ...], today: str | None, model: str | None,
                 baseline: Any = None, overrides: dict[str, Any] | None = None,
                 cross_page: bool = False) -> tuple[Config, dict[str, type[Rule]], Engine]:
    """Config, rule registry and engine from the options ``check`` and ``audit`` share.
    ``cross_page`` (the audit) lets boilerplate across pages count as evidence; ``check``
    keeps a file's findings independent of the other files linted with it."""
    try:
        day = today_from(today)
    except ValueError as exc:
        raise UsageError(f"--today: {exc}") from None
    config, registry = load(config_path, start, {"select": split(select), "model": model,
                                                 "today": day, **(overrides or {})})
    ignored = split(ignore)
    if ignored:
        config.ignore = config.ignore + ignored
    unknown = [s for s in (config.select or []) + config.ignore
               if "/" in s and "*" not in s and s not in registry]
    if unknown:
        raise UsageError(f"unknown rule(s): {', '.join(unknown)} (see 'medlint rules')")
    if cross_page and "spam/duplicate-text" in registry:
        config.rules.setdefault("spam/duplicate-text", {}).setdefault("use-run", True)
    try:
        engine = Engine(config, registry, baseline)
        engine.active_rules()
    except ValueError as exc:
        raise UsageError(f"{config.path or 'configuration'}: {exc}") from None
    return config, registry, engine


def workers(jobs: int, files: int) -> int:
    """Processes pay off only when there are several batches of files to share out."""
    wanted = jobs or (os.cpu_count() or 1)
    return max(1, min(wanted, files // BATCH_SIZE))


def result_cache(config: Config, registry: dict[str, type[Rule]], engine: Engine,
                 folder: Path | None, sources: list[Source]) -> Any:
    """The result cache, keyed also by everything that can change a result."""
    from medlint.engine.cache import ResultCache, default_folder

    if folder is None:  # the user's cache folder, never the linted repository
        folder = default_folder()
    packs = hashlib.sha256()
    for pack_dir in config.extra_packs:
        for path in sorted(Path(pack_dir).glob("*.y*ml")):
            packs.update(path.read_bytes())
    context = {"config": config.as_dict(), "rules": sorted(registry),
               "origins": sorted({cls.origin for cls in registry.values()}),
               "packs": packs.hexdigest(), "run": run_fingerprint(engine, sources)}
    return ResultCache(folder, context)


def run_fingerprint(engine: Engine, sources: list[Source]) -> str:
    """Rules that read other files' titles and boilerplate depend on every file of the run,
    so their cached results are valid only for the same set of files with the same bytes."""
    if not engine.uses_run():
        return ""
    digest = hashlib.sha256()
    from medlint.fileio import Skipped

    for source in sources:
        digest.update(source.path.encode("utf-8", "surrogateescape") + b"\0")
        try:
            data = source.read()
        except (OSError, Skipped):
            data = b""
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def first_pass(engine: Engine, sources: Iterable[Source]) -> None:
    """Wires the run-wide first pass (other pages' titles, boilerplate) when a rule reads it;
    it runs lazily, once, when the engine first needs it."""
    if engine.uses_run():
        from medlint.runcontext import Collector

        engine.run_factory = Collector(sources)


def folder_sources(paths: Iterable[Path], config: Config, stdin_filename: str | None,
                   read_stdin: Callable[[], bytes] | None = None
                   ) -> tuple[list[Source], list[tuple[Path, str]]]:
    """Sources for files and folders (discovery applies the config's include/exclude and
    symlink policy), with ``-`` read through ``read_stdin``; and the paths that failed."""
    from medlint.discovery import discover

    paths = list(paths)
    sources: list[Source] = []
    missing: list[tuple[Path, str]] = []
    files = [p for p in paths if str(p) != "-"]
    if len(files) != len(paths) and read_stdin is not None:
        sources.append(Source(stdin_filename or "stdin.md", read_stdin()))
    # a symlink met while walking a folder may point only inside the folders given
    roots = tuple(sorted({os.path.realpath(p) for p in files if p.is_dir()}))
    for path, problem in discover(files, config):
        if problem:
            missing.append((path, problem))
        else:
            named = path in files  # a file named explicitly is read wherever it points
            sources.append(Source(str(path), roots=() if named else roots,
                                  max_bytes=config.max_file_size))
    return sources, missing


class JsonlSources:
    """Re-iterable sources from a JSONL export, so the run's first pass and the lint pass
    each stream the file instead of holding every page in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __iter__(self) -> Iterator[Source]:
        try:
            from medlint.jsonl import read_sources
        except ImportError:
            raise InputError("--input-jsonl is not available in this build "
                             "(medlint.jsonl is missing)") from None
        try:
            yield from read_sources(self.path)
        except (ValueError, OSError) as exc:
            raise InputError(str(exc)) from None

    def count(self) -> int:
        with self.path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())


class Chain:
    """Folder sources followed by JSONL sources, iterable any number of times."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[Source]:
        for part in self.parts:
            yield from part


def with_jsonl(folder: list[Source], input_jsonl: Path | None) -> tuple[Any, int]:
    """Folder sources plus the pages of a JSONL export (``-``: standard input, read once),
    and how many there are in all."""
    if input_jsonl is None:
        return folder, len(folder)
    if str(input_jsonl) == "-":
        part: Any = list(JsonlSources(input_jsonl))
        total = len(folder) + len(part)
    else:
        part = JsonlSources(input_jsonl)
        total = len(folder) + part.count()
    return Chain([folder, part]), total


def lint_stream(engine: Engine, sources: Any, engine_name: str, *, jobs: int = 0,
                total: int = 0, cache: Any = None, dask_workers: int = 2,
                scheduler: str | None = None
                ) -> tuple[Iterable[FileResult], tuple[type[BaseException], ...]]:
    """Results of the chosen engine (local processes or Dask) and the errors that mean a
    usage problem rather than a crash."""
    if engine_name != "dask":
        return engine.lint(sources, jobs=workers(jobs, total), cache=cache), ()
    try:
        from medlint.distributed import BatchFailed, DaskUnavailable, lint_dask
    except ImportError:
        raise UsageError("--engine dask is not available in this build (medlint.distributed "
                         "is missing)") from None
    try:
        stream = lint_dask(engine, sources, workers=dask_workers, scheduler=scheduler)
    except DaskUnavailable as exc:
        raise UsageError(str(exc)) from None
    return stream, (DaskUnavailable, BatchFailed)


def audit_line(result: FileResult, score: float, path: str | None = None) -> str:
    """One page of ``medlint audit --jsonl`` (``path``: as the report shows it, relative)."""
    return json.dumps({"path": result.path if path is None else path,
                       "words": result.words, "score": score,
                       "findings": [f.as_dict() for f in result.findings],
                       "metrics": result.metrics.to_json()}, ensure_ascii=False, default=str) + "\n"
