"""The versioned JSON report (schema: ``medlint/schemas/report-v1.schema.json``)."""

from __future__ import annotations

import json
from typing import IO

from medlint.reporters import Run

VERSION = "1"


def report(run: Run, out: IO[str]) -> None:
    files = [
        {"path": r.path, "findings": [f.as_dict() for f in r.findings], "metrics": r.metrics}
        for r in run.results
    ]
    payload = {"version": VERSION, "medlint": run.version, "files": files,
               "summary": run.summary()}
    json.dump(payload, out, ensure_ascii=False, indent=2, default=str)
    out.write("\n")
