"""The command line: click commands only (options, output, exit codes). The work behind
them (configuration, sources, first pass, cache, engine choice) is in medlint.runner."""

from medlint.cli import audit, check, evaluate, info  # noqa: F401  (registers the commands)
from medlint.cli.app import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, cli

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "cli", "main"]


def main() -> None:
    cli(prog_name="medlint")
