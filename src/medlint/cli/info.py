"""``medlint rules``, ``explain`` and ``config``: what is available and what is in effect."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from medlint.cli.app import cli, fail, load
from medlint.rules.base import Rule, doc_sections

ACCURACY_FILE = "rule-accuracy.json"


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def list_rules(fmt: str, config_path: Path | None) -> None:
    """List every available rule."""
    import json

    _, registry = load(config_path, Path.cwd(), {})
    if fmt == "json":
        click.echo(json.dumps([cls.summary() for cls in registry.values()], indent=2))
        return
    width = max(len(r) for r in registry)
    for rule_id, cls in registry.items():
        fix = " (fixable)" if cls.fixable else ""
        click.echo(f"{rule_id:<{width}}  {cls.severity!s:<7}  {cls.rationale}{fix}")


def accuracy_data() -> dict[str, Any] | None:
    """The per-rule real-text figures written by ``python -m tools.rule_accuracy``, if shipped."""
    from medlint.resources import data_file, read_data

    return read_data(ACCURACY_FILE) if data_file(ACCURACY_FILE).is_file() else None


def rule_text(cls: type[Rule], accuracy: dict[str, Any] | None) -> str:
    """The rule's reference as the terminal shows it: the headings of ``doc_sections``, the
    same text docs/rules/reference.md is generated from."""
    head = f"{cls.id}  ({cls.category}, {cls.severity}"
    head += ", fixable)" if cls.fixable else ")"
    lines = [head, f"Defined in: {cls.defined_in()}"]
    for heading, body in doc_sections(cls, accuracy):
        lines += ["", heading]
        lines += [f"    {line}" if line else "" for line in body.splitlines()]
    return "\n".join(lines)


def _finding_matches(target: str, path: Path | None, line: int | None, finding: Any) -> bool:
    if path is not None:
        return line is not None and finding.line <= line <= finding.end_line
    return bool(finding.fingerprint) and finding.fingerprint.startswith(target)


def _file_line(target: str) -> tuple[Path, int] | None:
    """``FILE:LINE`` when FILE exists and LINE is a number."""
    name, sep, number = target.rpartition(":")
    if sep and number.isdigit() and Path(name).is_file():
        return Path(name), int(number)
    return None


@cli.command()
@click.argument("target")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--today", help="date for date-based rules (YYYY-MM-DD), as in check")
def explain(target: str, paths: tuple[Path, ...], config_path: Path | None,
            today: str | None) -> None:
    """Explain a rule (RULE), or one finding: FILE:LINE, or a fingerprint (as in the baseline
    and SARIF) searched for in PATHS (default: the current folder)."""
    from medlint import runner

    _, registry = load(config_path, Path.cwd(), {})
    accuracy = accuracy_data()
    if target in registry:
        click.echo(rule_text(registry[target], accuracy))
        return
    where = _file_line(target)
    looks_like_fingerprint = len(target) >= 6 and all(
        c in "0123456789abcdef" for c in target.lower())
    if where is None and not looks_like_fingerprint:
        close = [r for r in registry if target in r]
        hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
        fail(f"{target!r} is not a rule id, FILE:LINE or finding fingerprint.{hint}")
    search = [where[0]] if where else list(paths or (Path.cwd(),))
    try:
        config, registry, engine = runner.build_engine(
            search[0], config_path, (), (), today, None)
    except runner.UsageError as exc:
        fail(str(exc))
    sources, _ = runner.folder_sources(search, config, None)
    runner.first_pass(engine, sources)
    path, line = where if where else (None, None)
    hits = [(result, f) for result in engine.lint(sources) for f in result.findings
            if _finding_matches(target, path, line, f)]
    if not hits:
        fail(f"no finding at {target}" if where else
             f"no finding with fingerprint {target} in {', '.join(map(str, search))}")
    for result, f in hits:
        click.echo(click.style(f"{result.path}:{f.line}:{f.column}", bold=True)
                   + f"  {f.rule} ({f.severity})  fingerprint {f.fingerprint}")
        click.echo(f"    {f.message}")
        click.echo(f"    excerpt: {f.excerpt}")
        if f.fix is not None:
            click.echo(f"    fix: replace with {f.fix!r}")
        click.echo("")
        cls = registry.get(f.rule)
        if cls is not None:
            click.echo(rule_text(cls, accuracy))
            click.echo("")


@cli.command("config")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path))
def show_config(path: Path | None, config_path: Path | None) -> None:
    """Print the effective configuration for PATH (default: the current folder)."""
    import json

    config, registry = load(config_path, path or Path.cwd(), {})
    from medlint.engine import Engine

    data = config.as_dict()
    try:
        data["active-rules"] = [a.rule.id for a in Engine(config, registry).active_rules()]
    except ValueError as exc:
        fail(f"{config.path or 'configuration'}: {exc}")
    click.echo(json.dumps(data, indent=2))
