"""The versioned JSON report (schema: ``medlint/schemas/report-v1.schema.json``)."""

from __future__ import annotations

import json
from typing import IO

from medlint.reporters import Run

VERSION = "1"


def report(run: Run, out: IO[str]) -> None:
    """Writes each file's entry as it arrives (the same document ``json.dump(indent=2)``
    would write), so memory does not grow with the number of files."""
    head = json.dumps({"version": VERSION, "medlint": run.version}, ensure_ascii=False,
                      indent=2)
    out.write(head[:-2] + ',\n  "files": [')
    first = True
    for r in run:
        entry = {"path": r.path, "findings": [f.as_dict() for f in r.findings],
                 "metrics": r.metrics.to_json()}
        text = json.dumps(entry, ensure_ascii=False, indent=2, default=str)
        out.write(("\n" if first else ",\n") + "\n".join("    " + line
                                                         for line in text.splitlines()))
        first = False
    summary = json.dumps(run.summary(), ensure_ascii=False, indent=2)
    out.write(("]" if first else "\n  ]") + ',\n  "summary": '
              + "\n".join(("  " + line) if i else line
                          for i, line in enumerate(summary.splitlines())) + "\n}\n")
