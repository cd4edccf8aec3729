"""Draw real-sites sentences to label for the claims scorer (issue #18), before any detector run.

    python -m tools.sample_labels --out DIR [--eval DIR] [--round 1|2]

Writes ``DIR/to_label.jsonl`` (outside the repository: it holds real text): sentences of
``../shared/eval/real-sites`` files that ``real-web/claims/sentences.jsonl`` does not already
cover, found by a plain line and punctuation splitter (no medlint rule is run). Two draws:
windows of eight consecutive sentences from randomly chosen files (14 reputable, 16
thought-archive, 10 help-centre), so the base rate is the sites' own; and up to two sentences
per further file that carry a number or an evidence word ("study", "risk", "effective", ...),
so the rarer positive class gets examples (70 reputable, 70 thought-archive, 40 help-centre).
The labels themselves go to ``tools/labels/claims-real-sites.jsonl`` as offsets, a hash of the
sentence and the labels, never the text. Round 1 (2026-12-04, 501 sentences) used those
quotas; round 2 skips every file round 1 drew from and takes about three times as many
(windows from 40 / 50 / 20 files, lexical draws from 200 / 200 / 60).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from tools.realsplit import holdout, read

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
ROUNDS = {  # round: (seed, files per group for windows, sentences per group by lexical filter)
    1: (20261204, {"reputable": 14, "thought-archive": 16, "help-centre": 10},
        {"reputable": 70, "thought-archive": 70, "help-centre": 40}),
    2: (20261205, {"reputable": 40, "thought-archive": 50, "help-centre": 20},
        {"reputable": 200, "thought-archive": 200, "help-centre": 60}),
}
LABELED = ROOT / "tools" / "labels" / "claims-real-sites.jsonl"
WINDOW = 8
_SKIP = re.compile(r"^\s*(#|import |export |\||<|```|\{|\}|---|!\[|Source:|URL:|[-*_]{3,}\s*$)")
_CUT = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
_MARKER = re.compile(r"\s*(?:[-*+]|\d+[.)])\s+")
_EVIDENCE = re.compile(
    r"\d|%|\b(?:stud(?:y|ies)|research|trial|proven|effective|effectiveness|reduce[sd]?|"
    r"increase[sd]?|risk|lower|better|best|more likely|cure[sd]?|guarantee|shown|evidence|"
    r"works?)\b", re.I)


def sentences(text: str) -> list[str]:
    """Sentences of prose lines (front matter, headings, tables, code and MDX skipped)."""
    start = 0
    if text.startswith("---"):
        end = text.find("\n---", 3)
        start = end + 4 if end > 0 else 0
    out = []
    for line in text[start:].splitlines():
        if not line.strip() or _SKIP.match(line):
            continue
        marker = _MARKER.match(line)
        body = line[marker.end():] if marker else line.strip()
        i = 0
        for cut in _CUT.finditer(body):
            out.append((body[i:cut.start()] + cut.group().rstrip()).strip())
            i = cut.end()
        out.append(body[i:].strip())
    return [s for s in out if len(s.split()) >= 3 and s in text]


def draw(eval_dir: Path, round_: int) -> list[dict]:
    seed, windows, lexical = ROUNDS[round_]
    sites = eval_dir / "real-sites"
    done = {json.loads(line)["file"] for line in
            (eval_dir / "real-web" / "claims" / "sentences.jsonl").read_text().splitlines()}
    if round_ > 1:  # files an earlier round drew from
        done |= {r["file"] for line in LABELED.read_text().splitlines()
                 if (r := json.loads(line))["round"] < round_}
    rng = random.Random(seed)
    files = {g: sorted(n for p in (sites / g).rglob("*") if p.suffix in (".md", ".mdx")
                       and (n := str(p.relative_to(sites))) not in done) for g in windows}
    rows: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(name: str, ss: list[str], k: int, group: str, mode: str) -> None:
        rows.append({"file": name, "sentence": ss[k], "prev": ss[k - 1] if k else "",
                     "next": ss[k + 1] if k + 1 < len(ss) else "", "group": group,
                     "mode": mode, "holdout": holdout(name)})
        seen.add((name, ss[k]))

    def pages(group: str) -> Iterator[tuple[str, list[str]]]:
        order = files[group][:]
        rng.shuffle(order)
        for name in order:
            yield name, sentences(read(sites / name))

    for group, n in windows.items():
        taken = 0
        for name, ss in pages(group):
            if taken >= n:
                break
            if len(ss) < WINDOW:
                continue
            first = rng.randrange(0, len(ss) - WINDOW + 1)
            for k in range(first, first + WINDOW):
                add(name, ss, k, group, "window")
            taken += 1
    for group, n in lexical.items():
        got = 0
        for name, ss in pages(group):
            if got >= n:
                break
            pool = [k for k, s in enumerate(ss) if _EVIDENCE.search(s) and (name, s) not in seen]
            for k in rng.sample(pool, min(2, len(pool))):
                add(name, ss, k, group, "lexical")
                got += 1
    for i, r in enumerate(rows):
        r["id"] = i
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--eval", type=Path, default=EVAL)
    ap.add_argument("--round", type=int, choices=sorted(ROUNDS), default=1)
    a = ap.parse_args()
    if not (a.eval / "real-sites").is_dir():
        print(f"no real sites under {a.eval}: nothing to draw")
        return
    if a.out.resolve().is_relative_to(ROOT):
        raise SystemExit("--out must be outside the repository: the draw holds real text")
    rows = draw(a.eval, a.round)
    a.out.mkdir(parents=True, exist_ok=True)
    with (a.out / "to_label.jsonl").open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} sentences, {sum(r['holdout'] for r in rows)} on the held-out side")


if __name__ == "__main__":
    main()
