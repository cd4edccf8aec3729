"""Linting on Dask distributed: a local cluster, or an existing one given by its scheduler.

``lint_dask(engine, sources)`` yields the same results as ``engine.lint(sources)`` (same
findings, order, metrics, fingerprints), computed in batches on Dask workers:

- Workers do not receive the engine: rule packs become classes at run time, which do not
  pickle. They receive a small *engine spec* (the configuration, the rule ids, the extra
  pack folders and the rule classes that do pickle by reference) and rebuild the engine
  once per worker process (``_worker_engine``, cached by the spec's digest), so each worker
  loads the rules and the spaCy pipeline once.
- The run-wide first pass (``engine.run_factory``, when ``engine.run`` is empty) runs before
  the batches. When the factory is a ``medlint.runcontext.Collector``, the pass itself runs
  on the workers (``collect_partial`` per batch, merged on the client in input order);
  any other factory is called on the client. The result is broadcast to every worker once
  (``client.scatter(..., broadcast=True)``) and each batch task gets the future.
- At most ``2 x workers`` batches are in flight, and results are yielded in input order as
  the oldest batch completes, so client memory stays bounded by the window, not the run.
- Source bytes are read on the client and shipped with the batch when the cluster is remote
  (``scheduler=...``): the workers may not see the client's files. On the local cluster the
  workers read the files themselves (``read_on_client`` overrides either default).
- The baseline is applied on the client (``engine._apply_baseline``), never shipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import pickle
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from medlint.config import Config
from medlint.engine import Engine, FileResult, Source, batches_of
from medlint.fileio import Skipped
from medlint.rules.base import Rule

INSTALL_HINT = "pip install 'medlint[dask]'"


class DaskUnavailable(RuntimeError):
    """dask.distributed is not installed."""


class BatchFailed(RuntimeError):
    """A batch failed on a worker (a crash, a lost worker, an unpicklable result)."""


@dataclass(frozen=True)
class EngineSpec:
    """Everything a worker needs to rebuild an engine equal to the client's."""

    config: Config
    rule_ids: tuple[str, ...]
    extra_packs: tuple[Path, ...] = ()
    classes: Mapping[str, type[Rule]] = field(default_factory=dict)  # picklable by reference

    def digest(self) -> str:
        return hashlib.sha256(pickle.dumps(self, protocol=5)).hexdigest()


def _picklable(cls: type) -> bool:
    try:
        return pickle.loads(pickle.dumps(cls)) is cls
    except Exception:
        return False


def engine_spec(engine: Engine) -> EngineSpec:
    """The spec of ``engine``: its rules are rebuilt with ``load_rules(config.extra_packs)``
    on the workers, except classes that pickle by reference (plain Python rules), which are
    sent as they are so a custom registry survives too."""
    config = replace(engine.config, overrides=list(engine.config.overrides))
    classes = {rid: cls for rid, cls in engine.registry.items() if _picklable(cls)}
    return EngineSpec(config, tuple(engine.registry), tuple(engine.config.extra_packs),
                      classes)


_ENGINES: dict[str, Engine] = {}  # per worker process, by spec digest


def _worker_engine(spec: EngineSpec, digest: str) -> Engine:
    engine = _ENGINES.get(digest)
    if engine is None:
        from medlint.rules import load_rules

        missing = [r for r in spec.rule_ids if r not in spec.classes]
        loaded = load_rules(spec.extra_packs) if missing else {}
        absent = [r for r in missing if r not in loaded]
        if absent:
            raise RuntimeError(
                f"rules {', '.join(absent)} are not available on this worker: install the "
                "same medlint version and plugins on every worker")
        registry = {r: spec.classes.get(r) or loaded[r] for r in spec.rule_ids}
        engine = Engine(spec.config, registry)
        if engine.needs():
            from medlint.nlp import get_pipeline

            get_pipeline(spec.config.model, engine.needs())  # load spaCy once per process
        _ENGINES.clear()  # one spec at a time: a new run replaces the old engine
        _ENGINES[digest] = engine
    return engine


def _lint_batch(spec: EngineSpec, digest: str, run: Mapping[str, Any] | None,
                batch: list[Source]) -> list[FileResult]:
    """Runs on a worker: one batch through the worker's engine (baseline not applied)."""
    engine = _worker_engine(spec, digest)
    engine.run = run or {}
    return engine._lint_chunk(batch, None)


def _collect_batch(batch: list[Source]) -> dict[str, Any]:
    """Runs on a worker: the first pass over one batch."""
    from medlint.runcontext import collect_partial

    return collect_partial(batch)


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise DaskUnavailable(
            f"the Dask engine needs dask.distributed, which is not installed ({exc}); "
            f"install it with: {INSTALL_HINT}") from None
    return distributed


def _batches(sources: Iterable[Source], size: int, read: bool) -> Iterator[list[Source]]:
    return batches_of((_with_data(s) if read else s for s in sources), size)


def _with_data(source: Source) -> Source:
    """The source with its bytes, read here; unreadable here, the worker reports it
    unreadable, as the local engine does."""
    if source.data is None:
        with contextlib.suppress(OSError, Skipped):
            return replace(source, data=source.read())
    return source


def _windowed(client: Any, fn: Any, batches: Iterable[list[Source]], window: int,
              *args: Any) -> Iterator[Any]:
    """Submits ``fn(*args, batch)`` for each batch, at most ``window`` in flight, and yields
    the results in submission order; a failure names the batch's first path."""
    pending: deque[tuple[str, Any]] = deque()
    try:
        for batch in batches:
            pending.append((batch[0].path, client.submit(fn, *args, batch, pure=False)))
            while len(pending) >= window:
                yield _result(*pending.popleft())
        while pending:
            yield _result(*pending.popleft())
    finally:
        for _, future in pending:
            future.cancel()


def _result(first_path: str, future: Any) -> Any:
    try:
        return future.result()
    except Exception as exc:
        raise BatchFailed(f"a Dask batch failed (batch starting with {first_path}): "
                          f"{type(exc).__name__}: {exc}") from exc


def lint_dask(engine: Engine, sources: Iterable[Source], workers: int = 2,
              scheduler: str | None = None, batch_size: int = 64, *,
              read_on_client: bool | None = None,
              max_in_flight: int | None = None) -> Iterator[FileResult]:
    """Lints ``sources`` on Dask and yields results in input order, identical to
    ``engine.lint(sources)``. Starts a local cluster of ``workers`` single-threaded worker
    processes, or connects to ``scheduler`` (``tcp://host:port``); whatever it opens is
    closed when the iterator ends or is closed. Raises DaskUnavailable at once when
    dask.distributed is not installed, and BatchFailed when a batch fails on a worker."""
    distributed = _import_distributed()
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    return _run(distributed, engine, sources, max(1, workers), scheduler, batch_size,
                read_on_client, max_in_flight)


def _run(distributed: Any, engine: Engine, sources: Iterable[Source], workers: int,
         scheduler: str | None, batch_size: int, read_on_client: bool | None,
         max_in_flight: int | None) -> Iterator[FileResult]:
    from medlint.runcontext import Collector, finish, merge_partial

    read = scheduler is not None if read_on_client is None else read_on_client
    batches = _batches(sources, batch_size, read)
    first = next(batches, None)
    if first is None:
        return  # nothing to lint: no cluster, no first pass (as Engine.lint)
    batches_all: Iterator[list[Source]] = _chain(first, batches)
    spec = engine_spec(engine)
    digest = spec.digest()
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(distributed.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR))
            client = stack.enter_context(distributed.Client(cluster))
        else:
            client = stack.enter_context(distributed.Client(scheduler))
            workers = max(1, len(client.scheduler_info().get("workers", {})))
        window = max_in_flight or 2 * workers
        run: Any = engine.run or None
        if engine.run_factory is not None and not engine.run:
            factory = engine.run_factory
            if isinstance(factory, Collector):
                merged: dict[str, Any] = {}
                parts = _batches(factory.sources, batch_size, read)
                for part in _windowed(client, _collect_batch, parts, window):
                    merge_partial(merged, part)
                engine.run = finish(merged)
            else:
                engine.run = factory()
            run = engine.run
        run_arg = client.scatter(dict(run), broadcast=True, hash=False) if run else None
        spec_arg = client.scatter(spec, broadcast=True, hash=False)
        for results in _windowed(client, _lint_batch, batches_all, window, spec_arg, digest,
                                 run_arg):
            for result in results:
                yield engine._apply_baseline(result)


def _chain(first: list[Source], rest: Iterator[list[Source]]) -> Iterator[list[Source]]:
    yield first
    yield from rest
