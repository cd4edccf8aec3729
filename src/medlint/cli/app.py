"""The click group and what every command shares: usage errors, exit codes, progress."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import click

from medlint import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
SEVERITIES = click.Choice(["error", "warning", "info"], case_sensitive=False)


def fail(message: str) -> NoReturn:
    click.echo(f"medlint: error: {message}", err=True)
    sys.exit(EXIT_USAGE)


def internal_error(exc: BaseException) -> NoReturn:
    """Writes the traceback to a new log file in the temporary folder and prints one line
    saying where (a traceback in a CI log helps nobody and may quote the page), exit 3."""
    import tempfile
    import traceback

    from medlint.reporters.text import escape

    where = "(no log: the temporary folder is not writable)"
    try:
        fd, name = tempfile.mkstemp(prefix="medlint-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write(f"medlint {__version__}\n{' '.join(sys.argv)}\n\n")
            fh.write("".join(traceback.format_exception(exc)))
        where = f"details in {name}"
    except OSError:
        pass
    summary = escape(f"{type(exc).__name__}: {exc}")[:300]
    click.echo(f"medlint: internal error: {summary}; {where}", err=True)
    sys.exit(EXIT_INTERNAL)


@contextlib.contextmanager
def usage_errors() -> Iterator[None]:
    """The runner's UsageError becomes a message and exit code 2."""
    from medlint.runner import UsageError

    try:
        yield
    except UsageError as exc:
        fail(str(exc))


@contextlib.contextmanager
def lint_errors(extra: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """Ctrl-C, a missing spaCy model, a bad input record and ``extra`` errors end a run with
    a message, not a traceback."""
    from medlint.runner import UsageError

    try:
        yield
    except KeyboardInterrupt:
        fail("interrupted")
    except UsageError as exc:
        fail(str(exc))
    except Exception as exc:
        from medlint.nlp import ModelError

        if isinstance(exc, (ModelError, *extra)):
            fail(str(exc))
        raise


def load(config_path: Path | None, start: Path, overrides: dict[str, Any]) -> tuple[Any, Any]:
    """Config and registry (medlint.runner.load), or a usage error."""
    from medlint import runner

    with usage_errors():
        return runner.load(config_path, start, overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medlint")
def cli() -> None:
    """medlint finds decayed health content: pasted spam, unsupported claims, missing medical
    review and prose patients cannot read."""


def progress(stream: Iterable[Any], total: int, choice: bool | None,
             label: str = "medlint") -> Iterator[Any]:
    """Passes results through, drawing a progress bar on stderr when wanted."""
    if not show_progress(choice, total):
        yield from stream
        return
    with click.progressbar(stream, length=total, file=sys.stderr, label=label,
                           show_pos=True) as bar:
        yield from bar


def show_progress(choice: bool | None, files: int) -> bool:
    if choice is not None:
        return choice
    return files >= 200 and sys.stderr.isatty() and not os.environ.get("CI")
