"""The command line: click commands only (options, output, exit codes). The work behind
them (configuration, sources, first pass, cache, engine choice) is in medlint.runner."""

from medlint.cli import audit, check, evaluate, info  # noqa: F401  (registers the commands)
from medlint.cli.app import EXIT_FINDINGS, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, cli, internal_error

__all__ = ["EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "cli", "main"]


def main() -> None:
    """The ``medlint`` command. A bug (an exception no command turned into a message) prints
    one line naming the log file with the traceback and exits 3, so CI can tell a crash from
    findings (1) and misuse (2)."""
    try:
        cli(prog_name="medlint")
    except Exception as exc:  # the last resort: every other error is handled
        internal_error(exc)
