"""How many real testimonials medlint's claims rules report as testimonials (issue #18).

    python -m tools.eval_testimonials [--eval DIR] [--side dev|holdout|all] [--sites]

Reads ``tools/labels/testimonials-real.jsonl``: our own labels of real sentences (file, offsets,
a hash of the sentence, ``testimonial`` or ``near_miss``; no text) found by reading
``../shared/eval/real-sites`` (thought-archive, help-centre) and the ``real-web`` passages.
A labeled sentence is found when a ``claims/`` finding of kind ``testimonial`` covers half of it
and is at most three times its length. Prints counts only, so the held-out side (the topic
split of tools/realsplit) can be checked without reading its text. ``--sites`` also counts the
testimonial findings on every real-sites page per 10k words (reputable pages have none to find).
Exits cleanly when ../shared/eval is absent.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from tools.realsplit import finds, holdout, read, read_labels

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
LABELS = ROOT / "tools" / "labels" / "testimonials-real.jsonl"


def testimonial_spans(text: str, name: str) -> list[tuple[int, int]]:
    """The spans medlint reports as testimonials in one file."""
    from medlint.api import lint_text

    result = lint_text(text, name, select=["claims"])
    return [(f.offset, f.end_offset) for f in result.findings
            if f.rule == "claims/testimonial" or (f.data or {}).get("kind") == "testimonial"]


def labels(eval_dir: Path, side: str) -> list[dict]:
    return [r for r in read_labels(eval_dir, LABELS)
            if side == "all" or holdout(r["file"]) == (side == "holdout")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval", type=Path, default=EVAL)
    ap.add_argument("--side", choices=("dev", "holdout", "all"), default="dev")
    ap.add_argument("--sites", action="store_true")
    a = ap.parse_args()
    if not (a.eval / "real-web").is_dir():
        print(f"no labeled real text under {a.eval}: nothing to evaluate")
        return
    rows = labels(a.eval, a.side)
    spans: dict[str, list[tuple[int, int]]] = {}
    counts: Counter[tuple[str, bool]] = Counter()
    for r in rows:
        if r["file"] not in spans:
            spans[r["file"]] = testimonial_spans(read(a.eval / r["file"]), Path(r["file"]).name)
        hit = any(finds((r["start"], r["end"]), s, 3) for s in spans[r["file"]])
        counts[r["label"], hit] += 1
    found, total = counts["testimonial", True], counts["testimonial", True] + counts[
        "testimonial", False]
    wrong = counts["near_miss", True]
    print(f"{a.side}: testimonials found {found}/{total}; near misses flagged {wrong}/"
          f"{wrong + counts['near_miss', False]}")
    if a.sites:
        for group in ("reputable", "thought-archive", "help-centre"):
            n = words = 0
            for page in sorted((a.eval / "real-sites" / group).rglob("*.md*")):
                name = str(page.relative_to(a.eval / "real-sites"))
                if a.side != "all" and holdout(name) != (a.side == "holdout"):
                    continue
                text = read(page)
                words += len(text.split())
                n += len(testimonial_spans(text, page.name))
            print(f"real-sites/{group}: {n} testimonial findings in {words:,} words "
                  f"({n / max(1, words) * 1e4:.1f} per 10k)")


if __name__ == "__main__":
    main()
