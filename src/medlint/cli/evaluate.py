"""``medlint eval``: scores rules against labeled corpora."""

from __future__ import annotations

import os
from pathlib import Path

import click

from medlint.cli.app import cli, fail, load


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
        claim_findings,
        format_table,
        load_labels,
        score_file,
        score_file_sentences,
        sentence_spans,
    )
    from medlint.rules.claims.metrics import ClaimMetrics

    config, registry = load(None, Path.cwd(), {"today": today_from(today)})
    scores: dict[str, Score] = {}
    strengths = StrengthScore()
    sentences = 0
    for label_path in labels:
        try:
            label_set = load_labels(label_path)
        except LabelError as exc:
            fail(str(exc))
        unknown = [r for r in label_set.rules if r not in registry and r != CLAIM_RULE]
        if unknown:
            fail(f"{label_path}: unknown rule(s) {', '.join(unknown)}")
        select = [r for r in label_set.rules if r != CLAIM_RULE]
        run_config = Config(root=config.root, select=select, today=config.today,
                            model=config.model)
        # claims/claim is scored from the claims metrics, computed whatever rules are selected
        engine = Engine(run_config, registry,
                        metrics=(ClaimMetrics,) if CLAIM_RULE in label_set.rules else ())
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
            findings += claim_findings(doc, result.metrics.get(ClaimMetrics))
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
