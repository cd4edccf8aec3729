"""``medlint rules``, ``explain`` and ``config``: what is available and what is in effect."""

from __future__ import annotations

from pathlib import Path

import click

from medlint.cli.app import cli, fail, load
from medlint.rules.base import option_name


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


@cli.command()
@click.argument("rule_id")
def explain(rule_id: str) -> None:
    """Explain a rule: rationale, source, options and examples."""
    _, registry = load(None, Path.cwd(), {})
    if rule_id not in registry:
        close = [r for r in registry if rule_id in r]
        hint = f" Did you mean: {', '.join(close[:5])}?" if close else ""
        fail(f"unknown rule {rule_id!r}.{hint}")
    cls = registry[rule_id]
    click.echo(click.style(cls.id, bold=True) + f"  ({cls.category}, {cls.severity})")
    click.echo(f"\n{cls.rationale}")
    if cls.description:
        click.echo(f"\n{cls.description}")
    click.echo(f"\nSource: {cls.source}")
    click.echo(f"Defined in: {cls.defined_in()}")
    if cls.needs:
        click.echo(f"Needs: {', '.join(sorted(cls.needs))}")
    if cls.fixable:
        click.echo("Fixable: yes")
    if cls.options:
        click.echo("\nOptions:")
        for name, opt in cls.options.items():
            click.echo(f"  {option_name(name)} = {opt.default!r}  {opt.help}")
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

    config, registry = load(config_path, path or Path.cwd(), {})
    from medlint.engine import Engine

    data = config.as_dict()
    try:
        data["active-rules"] = [a.rule.id for a in Engine(config, registry).active_rules()]
    except ValueError as exc:
        fail(f"{config.path or 'configuration'}: {exc}")
    click.echo(json.dumps(data, indent=2))
