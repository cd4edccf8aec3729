"""Our labels of real sentences (tools/labels) hold figures and offsets, never the text, and
point at the sentences they were written for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools import train_claims_source
from tools.realsplit import fingerprint, read

LABELS = Path(__file__).resolve().parents[1] / "tools" / "labels"
EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
CLAIMS = {"file", "start", "end", "sha1", "round", "sample", "claim", "strength", "sourced",
          "needs_source"}
TESTIMONIALS = {"file", "start", "end", "sha1", "label"}


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (LABELS / name).read_text().splitlines()]


def test_claim_labels_carry_no_text_and_follow_the_policy():
    labels = rows("claims-real-sites.jsonl")
    assert len(labels) == 1829  # round 1: 501, round 2: 1,328 (tools/sample_labels.py)
    for r in labels:
        assert set(r) == CLAIMS
        assert r["claim"] in {"none", "textbook", "specific", "testimonial"}
        assert r["strength"] in {None, "correlational", "conditional", "direct", "absolute"}
        assert (r["strength"] is None) == (r["claim"] == "none")
        if r["needs_source"]:
            assert r["claim"] in {"specific", "testimonial"} and not r["sourced"]


def test_testimonial_labels_carry_no_text():
    for r in rows("testimonials-real.jsonl"):
        assert set(r) == TESTIMONIALS and r["label"] in {"testimonial", "near_miss"}


@pytest.mark.skipif(not (EVAL / "real-sites").is_dir(), reason="needs ../shared/eval")
@pytest.mark.parametrize(("name", "root"), [("claims-real-sites.jsonl", EVAL / "real-sites"),
                                            ("testimonials-real.jsonl", EVAL)])
def test_labels_point_at_their_sentences(name, root):
    for r in rows(name):
        assert fingerprint(read(root / r["file"])[r["start"]:r["end"]]) == r["sha1"], r["file"]


def test_a_label_whose_sentence_changed_is_dropped(tmp_path, monkeypatch):
    (tmp_path / "a.md").write_text("Green tea cures colds. Rest helps.\n")
    good = "Green tea cures colds."
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(r) for r in (
        {"file": "a.md", "start": 0, "end": len(good), "needs_source": True,
         "sha1": fingerprint(good)},
        {"file": "a.md", "start": 23, "end": 34, "needs_source": False, "sha1": "0" * 12},
        {"file": "gone.md", "start": 0, "end": 5, "needs_source": False, "sha1": "0" * 12},
    )) + "\n")
    monkeypatch.setattr(train_claims_source, "LABELS", labels)
    assert train_claims_source.our_labels(tmp_path) == {"a.md": [((0, len(good)), True)]}


def test_the_trainer_can_record_every_sentence():
    """``--all``: sentences no cue grades are recorded too, marked ``candidate: False``."""
    from medlint.api import lint_text
    from medlint.rules.claims import detect

    detect.record, detect.record_all = [], []
    try:
        lint_text("Green tea cures colds in 90% of people. The kitchen is blue.\n", "a.md",
                  select=["claims"])
        recorded = {r["text"]: r.get("candidate", True) for r in detect.record}
    finally:
        detect.record = detect.record_all = None
    assert recorded == {"Green tea cures colds in 90% of people.": True,
                        "The kitchen is blue.": False}


@pytest.mark.skipif(not (EVAL / "real-sites").is_dir(), reason="needs ../shared/eval")
@pytest.mark.parametrize("round_", [1, 2])
def test_each_round_of_labels_is_the_draw_it_was_written_for(round_):
    from tools.sample_labels import draw

    drawn = {(r["file"], fingerprint(r["sentence"])) for r in draw(EVAL, round_)}
    labeled = {(r["file"], r["sha1"]) for r in rows("claims-real-sites.jsonl")
               if r["round"] == round_}
    assert drawn == labeled
