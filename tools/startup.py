"""How fast `medlint --help` and `medlint rules` answer, and proof that spaCy stays unloaded.

    python -m tools.startup [--runs 10]

Prints the median and worst wall time of whole-process runs (process start to exit).
Target (issue 2): well under half a second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "medlint --help": ["--help"],
    "medlint rules": ["rules"],
    "medlint --version": ["--version"],
}
PROBE = (
    "import sys, runpy; sys.argv = ['medlint'] + sys.argv[1:]\n"
    "try:\n    runpy.run_module('medlint', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "print('SPACY_LOADED' if 'spacy' in sys.modules else 'SPACY_NOT_LOADED', file=sys.stderr)\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    print("| command | median (s) | worst (s) | spaCy imported |\n|---|---:|---:|---|")
    for label, argv in COMMANDS.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "medlint", *argv], capture_output=True,
                           check=True)
            times.append(time.perf_counter() - start)
        probe = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True,
                               text=True)
        loaded = "yes" if "SPACY_LOADED" in probe.stderr else "no"
        print(f"| `{label}` | {statistics.median(times):.3f} | {max(times):.3f} | {loaded} |")


if __name__ == "__main__":
    main()
