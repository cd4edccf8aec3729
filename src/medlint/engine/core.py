"""Runs rules over documents and owns everything between a rule's finding and a report:
selection, options, severities, suppression, baselines and the fail level."""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medlint import suppression
from medlint.config import Config, path_matches, rule_matches
from medlint.documents import Document, parse_document
from medlint.documents.loading import decode
from medlint.engine.baseline import _fingerprint
from medlint.engine.results import EXCERPT_CHARS, FileResult, Reported, Source
from medlint.fileio import Skipped
from medlint.metrics import Metrics, RawMetrics
from medlint.rules.base import Finding, Rule, RuleContext, Severity

if TYPE_CHECKING:
    from medlint.engine.baseline import Baseline
    from medlint.engine.cache import ResultCache

BATCH_SIZE = 32


@dataclass
class ActiveRule:
    rule: Rule
    options: dict[str, Any]
    severity: Severity
    configured: bool = False  # the severity comes from config, not the rule's default


class Engine:
    """Lints sources with a registry of rules under one configuration."""

    def __init__(self, config: Config, registry: Mapping[str, type[Rule]],
                 baseline: Baseline | None = None, run: Mapping[str, Any] | None = None,
                 metrics: Iterable[type[Metrics]] = ()) -> None:
        self.config = config
        # Document metrics computed even when no selected rule reads them (``medlint eval``).
        self.metrics = tuple(metrics)
        self.run = run or {}
        # Builds ``run`` on first need, so a run served from the cache skips the first pass.
        self.run_factory: Callable[[], Mapping[str, Any]] | None = None
        self.registry = registry
        self.baseline = baseline
        self._rule_sets: dict[tuple[int, ...], list[ActiveRule]] = {}
        self._metric_plans: dict[tuple[int, ...], list[tuple[type[Metrics], dict[str, Any]]]] = {}
        self._instances: dict[str, Rule] = {}
        self._needs: frozenset[str] | None = None

    # Selection ---------------------------------------------------------------
    def _overrides_for(self, path: str) -> list[Any]:
        rel = self._relative(path)
        return [o for o in self.config.overrides if any(path_matches(g, rel) for g in o.files)]

    def _relative(self, path: str) -> str:
        try:
            return Path(path).resolve().relative_to(self.config.root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):  # outside the root, or a symlink loop
            return Path(path).as_posix()

    def active_rules(self, path: str = "") -> list[ActiveRule]:
        """The rules that run on ``path``, with options and severities resolved."""
        return self._active_for(tuple(self._overrides_for(path)) if path else ())

    def _active_for(self, overrides: tuple[Any, ...]) -> list[ActiveRule]:
        key = tuple(id(o) for o in overrides)
        if key in self._rule_sets:
            return self._rule_sets[key]
        select = self.config.select
        ignore = list(self.config.ignore)
        severity = dict(self.config.severity)
        options = {k: dict(v) for k, v in self.config.rules.items()}
        for o in overrides:
            if o.select is not None:
                select = o.select
            ignore += o.ignore
            severity.update(o.severity)
            for rule_id, opts in o.rules.items():
                options.setdefault(rule_id, {}).update(opts)
        active: list[ActiveRule] = []
        for rule_id, cls in self.registry.items():
            if select is not None and not any(rule_matches(s, rule_id) for s in select):
                continue
            if any(rule_matches(s, rule_id) for s in ignore):
                continue
            resolved = cls.resolve_options(options.get(rule_id, {}))
            level = severity.get(rule_id, severity.get(cls.category, cls.severity))
            configured = rule_id in severity or cls.category in severity
            active.append(ActiveRule(self._instance(cls), resolved, level, configured))
        self._rule_sets[key] = active
        self._metric_plans[key] = self._plan_metrics(active, options)
        return active

    def _plan_metrics(self, active: list[ActiveRule], options: Mapping[str, Mapping[str, Any]]
                      ) -> list[tuple[type[Metrics], dict[str, Any]]]:
        """The metrics to compute, in the order the rules (then the caller) ask for them,
        each with the options of its ``options_rule`` as configured here, selected or not."""
        kinds: list[type[Metrics]] = []
        for kind in [m for a in active for m in a.rule.metrics] + list(self.metrics):
            if kind not in kinds:
                kinds.append(kind)
        plan = []
        for kind in kinds:
            source = self.registry.get(kind.options_rule) if kind.options_rule else None
            opts = source.resolve_options(options.get(source.id, {})) if source else {}
            plan.append((kind, opts))
        return plan

    def metric_plan(self, path: str = "") -> list[tuple[type[Metrics], dict[str, Any]]]:
        """The document metrics computed for ``path``, with the options they read."""
        overrides = tuple(self._overrides_for(path)) if path else ()
        self._active_for(overrides)
        return self._metric_plans[tuple(id(o) for o in overrides)]

    def _instance(self, cls: type[Rule]) -> Rule:
        if cls.id not in self._instances:
            self._instances[cls.id] = cls()
        return self._instances[cls.id]

    def uses_run(self) -> bool:
        return any(a.rule.uses_run for a in self.active_rules())

    def needs(self) -> frozenset[str]:
        """What the NLP layer must provide for every rule that may run in this configuration."""
        if self._needs is None:
            needs: set[str] = set()
            for overrides in [(), *((o,) for o in self.config.overrides)]:
                for active in self._active_for(overrides):
                    needs |= active.rule.needs
                for kind, _ in self._metric_plans[tuple(id(o) for o in overrides)]:
                    needs |= kind.needs
            self._needs = frozenset(needs)
        return self._needs

    # Running -----------------------------------------------------------------
    def lint(self, sources: Iterable[Source], jobs: int = 1,
             cache: ResultCache | None = None) -> Iterator[FileResult]:
        """Lints in batches (spaCy sees many blocks at once), in ``jobs`` processes, and
        yields results in input order as they are ready. Cached results cost no NLP, no
        run-wide first pass and no worker processes."""
        if cache is None:
            yield from self._lint_fresh(sources, jobs, None)
            return
        sources = list(sources)
        hits: dict[int, FileResult] = {}
        for i, source in enumerate(sources):
            try:
                data = source.read(keep=True)  # a miss lints these bytes without reading again
            except (OSError, Skipped):
                continue
            hit = cache.get(cache.key(source.path, data), source.path)
            if hit is not None:
                source.release()
                hits[i] = self._apply_baseline(hit)
        fresh = self._lint_fresh([s for i, s in enumerate(sources) if i not in hits], jobs,
                                 cache)
        for i in range(len(sources)):
            yield hits[i] if i in hits else next(fresh)

    def _lint_fresh(self, sources: Iterable[Source], jobs: int,
                    cache: ResultCache | None) -> Iterator[FileResult]:
        chunks = batches_of(sources, BATCH_SIZE)
        if self.run_factory is not None and not self.run:
            first = next(chunks, None)
            if first is None:
                return
            self.run = self.run_factory()  # the whole-run first pass, once, before forking
            chunks = itertools.chain([first], chunks)
        if jobs <= 1:
            for chunk in chunks:
                yield from map(self._apply_baseline, self._lint_chunk(chunk, cache))
            return
        import multiprocessing

        if self.needs():
            from medlint.nlp import get_pipeline

            get_pipeline(self.config.model, self.needs())  # load once; workers share it
        global _WORKER_STATE
        _WORKER_STATE = (self, cache)
        context = multiprocessing.get_context("fork")
        # Objects alive now (the pipeline, rule data, the run's first pass) move to a
        # generation the collector never scans, so workers do not copy the pages they share.
        gc.freeze()
        try:
            for results in self._supervise(chunks, jobs, context):
                # applied here, not in the workers, so the baseline's counts add up
                yield from map(self._apply_baseline, results)
        finally:
            gc.unfreeze()

    def _supervise(self, chunks: Iterator[list[Source]], jobs: int, context: Any
                   ) -> Iterator[list[FileResult]]:
        """Batches linted in worker processes, in input order, surviving workers that die
        (``kill -9``, the OOM killer, RLIMIT_AS) or overrun their time budget: the pool is
        replaced, the other batches in flight are sent again, and the failed batch is re-run
        file by file; a file that fails alone gets a finding, so the run never hangs."""
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        def start() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(jobs, mp_context=context, initializer=_limit_memory)

        pool = start()
        pending: deque[list[Any]] = deque()  # [chunk, future, alone]
        try:
            while True:
                while len(pending) < 2 * jobs:
                    chunk = next(chunks, None)
                    if chunk is None:
                        break
                    pending.append([chunk, pool.submit(_lint_chunk_in_worker, chunk), False])
                if not pending:
                    return
                chunk, future, alone = pending[0]
                limit = batch_budget(chunk)
                try:
                    results = future.result(timeout=limit)
                except (BrokenProcessPool, TimeoutError, MemoryError) as exc:
                    _stop(pool)
                    pool = start()
                    pending.popleft()
                    for entry in pending:  # lost with the old pool: sent again
                        if not entry[1].done() or entry[1].exception() is not None:
                            entry[1] = pool.submit(_lint_chunk_in_worker, entry[0])
                    if alone:
                        yield [self._failed(chunk[0].path, exc, limit)]
                    else:
                        for source in reversed(chunk):
                            pending.appendleft([[source], pool.submit(_lint_chunk_in_worker,
                                                                      [source]), True])
                    continue
                pending.popleft()
                yield results
        finally:
            _stop(pool)

    def _failed(self, path: str, exc: BaseException, limit: float) -> FileResult:
        """The finding for a file whose worker overran its budget or died on it."""
        if isinstance(exc, TimeoutError):
            return self._unreadable(path, f"not checked: linting took longer than its "
                                    f"{limit:.0f} s budget (60 s + 30 s per MB)",
                                    "document/too-slow")
        if isinstance(exc, MemoryError):
            return self._unreadable(path, "not checked: linting needed more memory than the "
                                    "worker's limit", "document/too-slow")
        return self._unreadable(path, "not checked: the worker process linting it died "
                                "(killed, or out of memory) twice", "document/too-slow")

    def _lint_chunk(self, chunk: list[Source], cache: ResultCache | None) -> list[FileResult]:
        """Lints one batch and stores the results; ``lint`` has already served cache hits.
        The baseline is applied by the caller, in the parent process."""
        loaded = []
        for source in chunk:
            try:
                data = source.read()
            except Skipped as exc:
                loaded.append((source, None, self._unreadable(source.path, str(exc),
                                                              "document/skipped"), None))
                continue
            except OSError as exc:
                reason = exc.strerror or str(exc)
                loaded.append((source, None, self._unreadable(source.path,
                                                              f"cannot read file: {reason}"),
                               None))
                continue
            finally:
                source.release()
            key = cache.key(source.path, data) if cache is not None else None
            doc, ready = self._parse(source.path, data)
            loaded.append((source, doc, ready, key))
        results = self._run_batch(loaded)
        if cache is not None:
            for (_, _, _, key), result in zip(loaded, results, strict=True):
                if key is not None:
                    cache.put(key, result)
        return results

    def _parse(self, path: str, data: bytes) -> tuple[Document | None, FileResult | None]:
        decoded = decode(data)
        if decoded.text is None:
            return None, self._unreadable(path, decoded.error or "unreadable")
        doc = parse_document(path, decoded.text,
                             front_matter_prose=self.config.frontmatter_prose)
        doc.encoding = decoded.encoding
        if decoded.notice:
            doc.notices.append(("document/encoding", decoded.notice))
        return doc, None

    def _unreadable(self, path: str, reason: str,
                    rule_id: str = "document/unreadable") -> FileResult:
        """A result holding only a finding about the file itself (not read, not checked)."""
        result = FileResult(path)
        active = {a.rule.id: a for a in self.active_rules(path)}
        if rule_id in active and active[rule_id].severity >= self.config.min_severity:
            result.findings.append(Reported(
                rule_id, "document", active[rule_id].severity, reason, 1, 1, 1, 1, 0, 0, "",
                fingerprint=_fingerprint(rule_id, path, reason)))
        return result

    def _run_batch(self, batch: list[tuple[Source, Document | None, FileResult | None, Any]]
                   ) -> list[FileResult]:
        docs = [doc for _, doc, _, _ in batch if doc is not None]
        nlp_results: list[Any] = [None] * len(docs)
        needs = self.needs()
        if needs and docs:
            from medlint.nlp import get_pipeline

            pipeline = get_pipeline(self.config.model, needs)
            nlp_results = pipeline.process(docs)
        by_doc = {id(d): r for d, r in zip(docs, nlp_results, strict=True)}
        results = []
        for _source, doc, ready, _key in batch:
            if doc is None:
                assert ready is not None
                results.append(ready)
            else:
                results.append(self.check_document(doc, by_doc[id(doc)], self.run))
        return results

    def check_document(self, doc: Document, nlp: Any = None,
                       run: Mapping[str, Any] | None = None) -> FileResult:
        """Runs the active rules on one parsed document."""
        result = FileResult(doc.path, words=doc.word_count)
        sup = suppression.collect(doc)
        shared: dict[str, Any] = {}  # work the metrics and the rules share
        self._compute_metrics(doc, nlp, run, shared, result)
        plugin_metrics: dict[str, Any] = {}
        raw: list[tuple[ActiveRule, Finding]] = []
        for active in self.active_rules(doc.path):
            rule = active.rule
            if rule.needs and nlp is not None and not rule.needs <= nlp.provides:
                continue  # the blank fallback pipeline cannot serve syntax rules
            ctx = RuleContext(options=active.options, today=self.config.today, nlp=nlp,
                              run=run or {}, metrics=plugin_metrics, shared=shared)
            try:
                if "parse" in rule.needs and not rule.parses_on_demand:
                    ctx.parse(doc.blocks)
                for finding in rule.check(doc, ctx):
                    raw.append((active, finding))
            except TimeoutError:
                raw.append((self._rule_error(doc.path), Finding(
                    "document/rule-error", f"rule {rule.id} stopped: a pattern ran longer than "
                    "its time limit on this file", 0, 0)))
            except Exception as exc:  # a rule bug must not end the run with a traceback
                raw.append((self._rule_error(doc.path), Finding(
                    "document/rule-error", f"rule {rule.id} failed on this file: "
                    f"{type(exc).__name__}: {exc}", 0, 0)))
        for name, value in plugin_metrics.items():
            result.metrics.add(RawMetrics(name, value))
        for message, start, end in sup.problems:
            raw.append((self._rule_error(doc.path), Finding("document/rule-error", message,
                                                             start, end)))
        counts: Counter[str] = Counter()
        for active, finding in sorted(raw, key=lambda p: (p[1].start, p[1].end, p[1].rule)):
            level = active.severity
            if finding.severity is not None and not active.configured:
                level = finding.severity
            if level < self.config.min_severity:
                continue
            if finding.rule != "document/rule-error" and sup.suppressed(finding.rule,
                                                                       finding.start):
                continue
            reported = self._position(doc, active, finding, level)
            key = f"{reported.rule}\0{reported.excerpt}"
            reported.fingerprint = _fingerprint(reported.rule, doc.path, reported.excerpt,
                                                counts[key])
            counts[key] += 1
            result.findings.append(reported)
        return result

    def _compute_metrics(self, doc: Document, nlp: Any, run: Mapping[str, Any] | None,
                         shared: dict[str, Any], result: FileResult) -> None:
        """Each planned metric once per document, before the rules, so the figures do not
        depend on which rule runs first; a failure is left to the rules that read it."""
        for kind, options in self.metric_plan(doc.path):
            if kind.needs and nlp is not None and not kind.needs <= nlp.provides:
                continue  # the blank fallback pipeline cannot serve it
            ctx = RuleContext(options=options, today=self.config.today, nlp=nlp,
                              run=run or {}, shared=shared)
            try:
                value = kind.compute(doc, ctx)
            except Exception:  # the rules that read it fail the same way and report it
                continue
            if value is not None:
                result.metrics.add(value)

    def _rule_error(self, path: str) -> ActiveRule:
        from medlint.rules.document import RuleFailure

        return ActiveRule(self._instance(RuleFailure), {}, RuleFailure.severity)

    def _position(self, doc: Document, active: ActiveRule, finding: Finding,
                  level: Severity) -> Reported:
        start = min(max(finding.start, 0), len(doc.text))
        end = min(max(finding.end, start), len(doc.text))
        line, col = doc.line_col(start)
        end_line, end_col = doc.line_col(end)
        excerpt = " ".join(doc.text[start:end].split())
        if len(excerpt) > EXCERPT_CHARS:
            excerpt = excerpt[: EXCERPT_CHARS - 1] + "…"
        rule = active.rule
        return Reported(rule.id, rule.category, level, finding.message, line, col,
                        end_line, end_col, start, end, excerpt, finding.fix, finding.data)

    def _apply_baseline(self, result: FileResult) -> FileResult:
        if self.baseline is not None:
            result.findings = self.baseline.filter(result)
        return result


_WORKER_STATE: tuple[Engine, ResultCache | None] | None = None


def _lint_chunk_in_worker(chunk: list[Source]) -> list[FileResult]:
    assert _WORKER_STATE is not None
    engine, cache = _WORKER_STATE
    return engine._lint_chunk(chunk, cache)


FILE_SECONDS = 60.0  # per file, so a batch of honest pages never comes near it
SECONDS_PER_MB = 30.0  # an honest 1 MB article takes a few seconds
WORKER_MEMORY = 4 << 30  # address space a worker may add to what it shares at the fork


def batch_budget(chunk: list[Source]) -> float:
    """Seconds a batch may take in a worker: in proportion to its files and their sizes."""
    total = 0.0
    for source in chunk:
        size = len(source.data) if source.data is not None else 0
        if source.data is None:
            with contextlib.suppress(OSError):
                size = os.stat(source.path).st_size
        total += FILE_SECONDS + SECONDS_PER_MB * min(size, source.max_bytes) / 1e6
    return total


def _limit_memory() -> None:
    """Caps a worker's address space (RLIMIT_AS) so one hostile file costs a MemoryError in
    that worker rather than the machine's memory; skipped where it is not supported."""
    with contextlib.suppress(ImportError, OSError, ValueError):
        import resource

        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[0])
        wanted = pages * os.sysconf("SC_PAGE_SIZE") + WORKER_MEMORY
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft == resource.RLIM_INFINITY or soft > wanted:
            resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def _stop(pool: Any) -> None:
    """Ends a pool now, killing its workers (one may be stuck on a hostile file)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, AttributeError):
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def batches_of(sources: Iterable[Source], size: int) -> Iterator[list[Source]]:
    chunk: list[Source] = []
    for source in sources:
        chunk.append(source)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
