"""Fuzzes every parser and every rule with generated hostile documents (issue 20).

A document is a few hostile fragments (markup that parsers scan back over, symbols spaCy's
tokenizer splits one at a time, entities, control characters, odd YAML, HTML attributes,
impossible dates), each repeated many times, plus free text. Each one is parsed as Markdown,
HTML and plain text and linted with every rule; it must finish within a time bound that
grows with its size, raise nothing and produce no ``document/rule-error``.

    python -m tools.fuzz [--examples 300] [--max-repeat 20000] [--seconds 600]

prints how many documents ran, the slowest ones and every failure (exit 1 if any). The unit
suite runs a few small examples of the same check (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from hypothesis import strategies as st

FRAGMENTS = (
    "*_", "[", "](", "![", "<", "</", "&amp;", "&#x", "`", "~~", "\\", "|", "- ", "1. ", "> ",
    "\n\n", "\n", "    ", "# ", "---\n", "<p ", "a=b ", '<a href="', "<!--", "-->", "<script>",
    "😀", "\u200f", "\u202e", "\x1b[2J", "\x07", "\x00", "\ufeff", "\ud83d", "é", "ﬁ", "http://",
    "www.", "example.com/", "(", ")", ".", "!", "?", "...", "—", "%", "1,000", "100% ",
    "cure ", "Dr. ", "et al. ", "e.g. ", "reviewed: 2020-02-30\n", "date: 2020-13-45\n",
    "a: &a [x, x]\n", "b: [*a, *a]\n", "title: ", "[^1]", "[^1]: ", "<table><tr><td>",
)
PROSE = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
FORMATS = ("page.md", "page.html", "page.txt")


def documents(max_repeat: int = 200, max_parts: int = 6) -> st.SearchStrategy[str]:
    """Hostile documents: fragments repeated up to ``max_repeat`` times, between prose."""
    part = st.one_of(
        st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, max_repeat)).map(
            lambda fr: fr[0] * fr[1]),
        PROSE,
        st.lists(st.sampled_from(FRAGMENTS), max_size=20).map("".join),
    )
    front = st.sampled_from(["", "---\ntitle: T\n---\n", "---\nreviewed: 2020-02-30\n---\n"])
    return st.builds(lambda head, parts: head + "".join(parts), front,
                     st.lists(part, min_size=1, max_size=max_parts))


def time_bound(text: str) -> float:
    """Seconds a document may take through every parser and rule: a floor for start-up and
    the model's first batch, plus a generous rate per character (an honest page runs at
    well over 10,000 characters a second)."""
    return 20.0 + len(text) / 2_000


class TooSlow(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupts the block after ``seconds`` (main thread, POSIX; elsewhere only timed)."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def expired(signum: int, frame: object) -> None:
        raise TooSlow(f"over {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Outcome:
    seconds: float
    problems: list[str] = field(default_factory=list)


def check_document(text: str, bound: float | None = None) -> Outcome:
    """Parses ``text`` in every format and lints it with every rule; what went wrong."""
    from medlint import api
    from medlint.documents import parse_document
    from medlint.documents.loading import decode

    bound = time_bound(text) if bound is None else bound
    outcome = Outcome(0.0)
    start = time.monotonic()
    try:
        with deadline(bound):
            # A file holds bytes: a lone surrogate arrives as the invalid UTF-8 it encodes to.
            data = text.encode("utf-8", "surrogatepass")
            for name in FORMATS:
                parse_document(name, decode(data).text or "")
                result = api.lint_text(data, name)
                for f in result.findings:
                    if f.rule == "document/rule-error":
                        outcome.problems.append(f"{name}: {f.message}")
    except TooSlow as exc:
        outcome.problems.append(f"too slow: {exc} for {len(text):,} characters")
    except Exception as exc:  # a crash is what the fuzzer looks for
        outcome.problems.append(f"{type(exc).__name__}: {exc}")
    outcome.seconds = time.monotonic() - start
    return outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--max-repeat", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=600, help="stop after this long")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from hypothesis import HealthCheck, given, seed, settings

    ran: list[tuple[float, int, str]] = []
    failures: list[tuple[str, list[str]]] = []
    began = time.monotonic()
    check_document("warm-up: load the registry and the models once.", bound=300)

    @seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(documents(args.max_repeat))
    def run(text: str) -> None:
        if time.monotonic() - began > args.seconds:
            return
        outcome = check_document(text)
        ran.append((outcome.seconds, len(text), text[:60]))
        if outcome.problems:
            failures.append((text[:200], outcome.problems))

    run()
    elapsed = time.monotonic() - began
    ran.sort(reverse=True)
    chars = sum(n for _, n, _ in ran)
    print(f"fuzz: {len(ran)} documents ({chars:,} characters) in {elapsed:.1f} s, "
          f"{len(failures)} failing")
    for seconds, size, head in ran[:5]:
        print(f"  slowest: {seconds:.2f} s  {size:,} chars  {head!r}")
    for head, problems in failures[:20]:
        print(f"  FAIL {head!r}: {'; '.join(problems)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
