"""The real-text spam cascade (issue 17): false alarms of the old detectors, stability across
runs, link evidence, confidence and severity. Every sentence here was written for this file."""

import json

import pytest
from click.testing import CliRunner

from medlint.api import lint_text
from medlint.cli import cli
from medlint.documents import parse_document
from medlint.rules.base import Severity
from medlint.rules.spam.pasted import severity_for
from tests.conftest import TODAY


def spam(text: str, path: str = "page.md", **kw):
    return [f for f in lint_text(text, path, select=["spam"], today=TODAY, **kw).findings]


# Each of these fired on the old detectors (c563d11) and is honest page structure.
QUIET = {
    "heading link text": (
        "# Muscle health\n\nStrength training keeps older adults independent.\n\n"
        "See also [Frailty: Weakness With Age](frailty.md) for the warning signs.\n"),
    "topic named on its own guide": (
        "# Type 2 diabetes\n\nType 2 diabetes develops when the body stops responding to "
        "insulin. Type 2 diabetes is common after 45, and type 2 diabetes can often be put "
        "into remission with weight loss.\n"),
    "mdx import lines": (
        "import Callout from '../components/Callout'\nimport Steps from '../components/Steps'"
        "\n\n# Sleep hygiene\n\nKeep a regular bedtime and a dark, cool bedroom.\n"),
    "template tags": (
        "# Turning on reminders\n\n{% stepper %}\n{% step %}\nOpen the app settings.\n"
        "{% endstep %}\n{% step %}\nChoose reminders and pick a time.\n{% endstep %}\n"
        "{% endstepper %}\n\n{% step %}\n\n{% step %}\n"),
    "table rows": (
        "# Vitamin D doses\n\n| Age | Daily dose |\n|---|---|\n| Babies under 1 | 400 IU |\n"
        "| Children 1 to 18 | 600 IU |\n| Adults over 70 | 800 IU |\n"),
    "bylines and dates": (
        "# Hay fever\n\nWritten by the editorial team\n\nUpdated 4 March 2026\n\n"
        "Hay fever is an allergy to pollen that makes the eyes itch and the nose run.\n"),
    "bold labels": (
        "# Omega-3 supplements\n\n**Clinical Evidence:**\n\nTrials of fish oil show small "
        "effects on triglycerides.\n\n**Clinical Evidence:**\n\nEffects on mood are unclear.\n"),
    "trademark lines": (
        "# Blood glucose meters\n\nMeters measure sugar in a drop of blood.\n\n"
        "GlucoRead is a registered trademark of an example company\n"),
    "site-wide crisis line": (
        "# Feeling low\n\nLow mood often lifts with time and support. If you are thinking "
        "about suicide, call or text the crisis line at any hour of the day.\n"),
    "glued citation digits": (
        "# Teen sleep\n\nMost teenagers sleep less than they need, especially young adults.4"
        "Girls report poorer sleep than boys.5 Screens in the bedroom make it worse.\n"),
    "stripped list markers and hard breaks": (
        "# Packing for hospital\n\nBring these things with you\nyour medicines in their boxes"
        "\na list of your allergies\nsomething to read\n\nThe ward gives you towels.\n"),
}


@pytest.mark.parametrize("name", sorted(QUIET))
def test_honest_structure_is_quiet(name):
    assert spam(QUIET[name]) == []


def test_crisis_line_repeated_across_a_site_is_quiet_by_default():
    from medlint.engine import Source
    from medlint.runcontext import collect

    line = ("If you are thinking about suicide, call or text the crisis line at any hour of "
            "the day or night.")
    files = {f"site/p{i}.md": f"# Page {i}\n\nSome unique advice number {i} is here.\n\n"
             f"{line}\n" for i in range(4)}
    run = collect([Source(p, t.encode()) for p, t in files.items()])
    for path, text in files.items():
        assert spam(text, path, run=run) == []


SITE = {
    "site/index.md": "# Home\n\nWelcome to our clinic guides for patients and carers.\n",
    "site/asthma.md": (
        "# Asthma Inhaler Technique\n\nA spacer helps more medicine reach the lungs. Breathe "
        "out, seal your lips around the mouthpiece and press once.\n\nRinse your mouth after "
        "a steroid inhaler to avoid thrush.\n"),
    "site/knee.md": (
        "# Knee pain\n\nMost knee pain settles with rest and gentle exercise. Our physios "
        "teach Asthma Inhaler Technique to patients with long-term lung conditions too.\n\n"
        "During recovery, you'll need best knee brace for running sports support for six "
        "weeks after surgery.\n"),
}


def test_same_findings_alone_and_in_a_tree(tmp_path):
    for rel, text in SITE.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")

    def run(*paths):
        result = CliRunner().invoke(cli, ["check", "--format", "json", "--no-cache",
                                          "--min-severity", "info", "--today", "2026-12-03",
                                          *map(str, paths)], catch_exceptions=False)
        files = json.loads(result.output)["files"]
        return {f["path"]: [(x["rule"], x["offset"], x["end_offset"]) for x in f["findings"]]
                for f in files}

    tree = run(tmp_path / "site")
    for rel in SITE:
        alone = run(tmp_path / rel)
        (key,) = alone
        tkey = next(k for k in tree if k.endswith(rel))
        assert alone[key] == tree[tkey], rel


def test_offsite_link_anchor_is_evidence():
    page = ("# Tooth sensitivity\n\nSensitive teeth hurt with cold drinks. A desensitising "
            "toothpaste, used twice a day, {anchor} eases the pain within a few weeks.\n")
    linked = page.format(anchor="[cheap veneers turkey deals](https://veneers.example.com/)")
    plain = page.format(anchor="cheap veneers turkey deals")
    hit = [f for f in spam(linked) if "veneers" in f.excerpt]
    assert hit, spam(linked)
    plain_hit = [f for f in spam(plain) if "veneers" in f.excerpt]
    assert not plain_hit or hit[0].data["confidence"] > plain_hit[0].data["confidence"]


def test_confidence_in_json_and_severity_mapping():
    text = ("# Dental care\n\nBrush twice a day with fluoride toothpaste. Patients who want "
            "best teeth whitening in Dubai should still see a dentist first.\n")
    result = lint_text(text, "d.md", select=["spam/inserted-phrase"], today=TODAY)
    assert result.findings
    out = result.findings[0].as_dict()
    assert 0 < out["confidence"] <= 1
    assert out["severity"] == str(severity_for(out["confidence"]))
    assert severity_for(0.95) is Severity.ERROR
    assert severity_for(0.6) is Severity.WARNING  # below the measured error threshold (0.65)
    assert severity_for(0.2) is Severity.INFO


@pytest.mark.parametrize("text, phrase", [
    ("# Kratom\n\nKratom is a tree from South East Asia whose leaves act on opioid receptors. "
     "Many people search for kratom near me before they know the risks of daily use.\n",
     "kratom near me"),
    ("# Hair loss\n\nMinoxidil slows hair loss in many men. Clinics for hair transplant in "
     "karachi advertise results in a single day, which is not realistic.\n",
     "hair transplant in karachi"),
    ("# Stomach pain\n\nGastritis makes the stomach lining sore. Acid from the stomach "
     "irritates the bodyâs lining further when you drink alcohol.\n", "bodyâs"),
])
def test_real_insertion_shapes(text, phrase):
    found = [text[f.offset:f.end_offset] for f in spam(text)]
    assert any(phrase in f and len(f) <= len(phrase) + 12 for f in found), found


def test_verifier_hook_sees_only_candidate_sentences():
    from medlint.rules.spam import cascade

    seen = []

    def fake(sentence, spans):
        seen.append((sentence, spans))
        return [3.0 for _ in spans]

    text = ("# Dental care\n\nBrush twice a day with fluoride toothpaste. Floss once a day. "
            "Patients who want best teeth whitening in Dubai should still see a dentist.\n")
    off = {"spam/inserted-phrase": {"verifier": False}}
    base = lint_text(text, "d.md", select=["spam/inserted-phrase"], today=TODAY,
                     options=off).findings
    cascade.set_verifier(fake)
    try:
        opts = {"spam/inserted-phrase": {"verifier": True}}
        found = lint_text(text, "d.md", select=["spam/inserted-phrase"], today=TODAY,
                          options=opts).findings
    finally:
        cascade.set_verifier(None)
    assert seen and all("Floss once a day" not in s for s, _ in seen)
    for sentence, spans in seen:
        assert all(0 <= a < b <= len(sentence) for a, b in spans)
    assert found and found[0].data["confidence"] >= base[0].data["confidence"]
    assert found[0].data["verified"] is True and base[0].data["verified"] is False


def test_verifier_absent_is_skipped_silently(monkeypatch):
    from medlint.rules.spam import cascade

    monkeypatch.setattr(cascade, "_VERIFIER", None)
    monkeypatch.setattr(cascade, "_lm_available", lambda: False)
    text = ("# Dental care\n\nBrush twice a day with fluoride toothpaste. Patients who want "
            "best teeth whitening in Dubai should still see a dentist.\n")
    found = lint_text(text, "d.md", select=["spam/inserted-phrase"], today=TODAY).findings
    assert found and all(f.data["verified"] is False for f in found)


def test_verifier_folds_score_with_weight_center_and_veto():
    from medlint.rules.spam import cascade

    text = "Patients who want best teeth whitening in Dubai should still see a dentist."
    doc = parse_document("d.md", "# Dental\n\n" + text + "\n")
    block = next(b for b in doc.blocks if b.kind == "paragraph")
    at = block.text.index("best")

    def run(score, **kw):
        c = cascade.Candidate(block, at, at + 4, "query", probability=0.5)
        cascade.set_verifier(lambda s, spans: [score for _ in spans])
        try:
            assert cascade.verify([c], floor=0.05, **kw) == 1
        finally:
            cascade.set_verifier(None)
        return c.probability

    assert run(2.0, weight=0.5) > 0.5 > run(-2.0, weight=0.5)
    assert abs(run(3.0, weight=1.0, center=3.0) - 0.5) < 1e-9
    assert run(2.0, weight=0.5, veto=True) == 0.5 > run(-2.0, weight=0.5, veto=True)


# The wider candidate stage (cascade.WIDER, off by default): spinner artefacts written for
# this file, and ordinary British and US English that must stay quiet with it switched on.
SPUN = [
    ("Rest matters after surgery. What'south more, a short walk each day helps the wound.\n",
     "What'south"),
    ("Drink water through the day. Most people volition need more when it is hot outside.\n",
     "volition"),
    ("Keep the dressing dry. You whitethorn notice a little redness around the stitches.\n",
     "whitethorn"),
    ("Store tablets out of reach. Brand sure the cap clicks shut after every dose.\n",
     "Brand sure"),
    ("Check the label twice. Caffeine isn'metric ton the only thing that keeps you up.\n",
     "isn'metric ton"),
]
PLAIN = [
    "She chose the clinic of her own volition, after reading about it for weeks.\n",
    "Rinse the tin can before it goes in the recycling, and flatten the box.\n",
    "A whitethorn hedge lines the hospital garden, and patients walk beside it.\n",
    "The patient's second visit was in March; the '90s guidance has since changed.\n",
    "Don't skip doses: it's safer, you'll feel better, and we've seen fewer relapses.\n",
    "Meet the nurse at the main door; at that place, the signs point to the ward.\n",
]


@pytest.mark.parametrize("text, phrase", SPUN)
def test_wider_candidates_find_spinner_artefacts(monkeypatch, text, phrase):
    from medlint.rules.spam import cascade

    monkeypatch.setattr(cascade, "WIDER", True)
    page = "# Care at home\n\n" + text
    found = [page[f.offset:f.end_offset] for f in spam(page)]
    assert any(phrase in f for f in found), found


@pytest.mark.parametrize("text", PLAIN)
@pytest.mark.parametrize("wider", [False, True])
def test_wider_candidates_leave_plain_english_alone(monkeypatch, text, wider):
    from medlint.rules.spam import cascade

    monkeypatch.setattr(cascade, "WIDER", wider)
    assert not spam("# Care at home\n\n" + text)


def test_wider_candidates_honest_headings_quiet(monkeypatch):
    from medlint.rules.spam import cascade

    monkeypatch.setattr(cascade, "WIDER", True)
    page = ("# Asthma\n\n## Read more\n\nInhalers open the airways.\n\n## Elsewhere on this "
            "site\n\nSee the page on hay fever.\n\n## Support groups in London\n\nAsk your "
            "nurse.\n")
    assert not spam(page)
