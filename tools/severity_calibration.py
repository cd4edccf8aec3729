"""Precision of the calibrated spam rules by confidence, on the real labeled passages.

The error level of spam findings (``medlint.rules.spam.severity_for``) must mean "a defect
no page should be published with": this prints, for the dev and the holdout side of
tools/realsplit.py, how many spam findings at or above each confidence find a labeled
pasted span or spliced sentence (score.py's matching), so the error threshold is read
from measured precision rather than guessed. Run: ``python -m tools.severity_calibration``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tools.realsplit import finds, holdout, occurrences, read

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "real-web"
FOLDERS = ("spam", "spam2", "clean")
RULES = ("spam/inserted-phrase", "spam/off-topic-sentence")
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)


def _labels(folder: Path) -> dict[str, dict]:
    out = {}
    for line in (folder / "labels.jsonl").read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["file"]] = row
    return out


def _findings(eval_dir: Path) -> list[tuple[str, str, float, bool]]:
    """(file, rule, confidence, finds a label) for every spam finding on the passages."""
    rows = []
    for name in FOLDERS:
        folder = eval_dir / name
        labels = _labels(folder)
        report = subprocess.run(
            [sys.executable, "-m", "medlint", "check", "--format", "json", "--no-cache",
             "--select", ",".join(RULES), str(folder)],
            capture_output=True, text=True, check=False)
        for entry in json.loads(report.stdout)["files"]:
            rel = f"{name}/{Path(entry['path']).name}"
            label = labels.get(rel, {})
            text = read(folder / Path(entry["path"]).name)
            spans = occurrences(text, (label.get("garbled_spans") or [])
                                + (label.get("spliced_sentences") or []))
            for f in entry["findings"]:
                conf = float((f.get("data") or {}).get("confidence", 0.0))
                span = (f["offset"], f["end_offset"])
                hit = any(finds(s, span) for s in spans)
                rows.append((rel, f["rule"], conf, hit))
    return rows


def main() -> None:
    rows = _findings(EVAL)
    for side, wanted in (("dev", False), ("holdout", True)):
        print(f"{side}:")
        for rule in RULES:
            mine = [r for r in rows if r[1] == rule and holdout(r[0]) == wanted]
            for t in THRESHOLDS:
                above = [r for r in mine if r[2] >= t]
                hits = sum(r[3] for r in above)
                prec = hits / len(above) if above else float("nan")
                print(f"  {rule:26} conf>={t:.2f}: {len(above):4d} findings, "
                      f"{hits:4d} true, precision {prec:.3f}")


if __name__ == "__main__":
    main()
