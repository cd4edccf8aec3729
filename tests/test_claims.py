"""Claims: the seed's unsourced claims, strength, evidence, metrics, severity by kind."""

import json

import pytest
from click.testing import CliRunner

from medlint.api import lint_text
from medlint.cli import cli
from medlint.rules.base import Severity
from tests.conftest import TODAY

SEED_CLAIMS = [
    "Overcoming heroin withdrawal at a detox or rehab facility is much easier than detoxing "
    "at home.",
    "because the chances of success are so low.",
    "it works much faster, and to a much stronger degree, than other opioids.",
    "Dr. Hoffman has successfully treated hundreds of patients battling addiction.",
]


def claims_of(text, path="a.md"):
    """Every claims finding (one rule per kind of claim, one finding per sentence)."""
    result = lint_text(text, path, select=["claims"], today=TODAY)
    return result


def claim_metrics(text):
    """``metrics.claims`` of the JSON report: every claim sentence, sourced-needing or not."""
    result = CliRunner().invoke(cli, ["check", "-", "--stdin-filename", "a.md", "--format",
                                      "json", "--no-cache", "--select", "claims"], input=text)
    return json.loads(result.output)["files"][0]["metrics"]["claims"]


@pytest.mark.parametrize("claim", SEED_CLAIMS)
def test_seed_unsourced_claims_are_reported_on_their_sentence(seed_text, claim):
    result = claims_of(seed_text, "seed.txt")
    spans = [seed_text[f.offset:f.end_offset] for f in result.findings]
    assert any(claim in span for span in spans), spans


@pytest.mark.parametrize(("sentence", "strength"), [
    ("Coffee is linked to a lower risk of liver disease.", "correlational"),
    ("Smoking is associated with an increased risk of stroke.", "correlational"),
    ("Exercise may lower blood pressure in older adults.", "hedged"),
    ("Vitamin D could reduce the risk of falls.", "hedged"),
    ("Statins lower cholesterol.", "causal"),
    ("Walking after meals reduces blood sugar spikes.", "causal"),
    ("Physical therapy is more effective than rest for back pain.", "causal"),
    ("This herb always cures insomnia.", "absolute"),
    ("The vaccine cannot cause flu.", "causal"),  # a denied effect is a safety claim
    ("Zinc does not shorten colds.", "causal"),
    ("The cream is completely safe with no side effects.", "absolute"),
    ("Serious reactions to the jab are very rare.", "causal"),
    ("Smoking is the leading cause of lung cancer.", "causal"),
])
def test_strength(sentence, strength):
    """Every claim sentence gets a strength in the metrics, reported or not (textbook facts
    such as "Statins lower cholesterol" are listed, not flagged: issue #18)."""
    (claim,) = claim_metrics(sentence + "\n")
    assert claim["strength"] == strength


@pytest.mark.parametrize("sentence", [
    "Ask your doctor before you stop any medicine.",
    "Drink water with your meals.",
    "There is no evidence that coffee causes cancer.",
    "Is sugar linked to hyperactivity?",
    "Researchers are studying new drugs to treat migraine.",
    "The act of stopping smoking takes planning.",
])
def test_not_claims(sentence):
    assert claims_of(sentence + "\n").findings == []


@pytest.mark.parametrize("evidence", [
    "according to the [CDC](https://www.cdc.gov/x)",
    "(Smith et al., 2020)",
    "[^1]\n\n[^1]: A trial, 2020.",
    "[3]",
    "according to the World Health Organization",
    "a 2021 study in The Lancet found",
])
def test_cited_claims_are_left_alone(evidence):
    text = f"Statins lower cholesterol, {evidence}.\n"
    assert claims_of(text).findings == []


def test_own_site_links_are_not_evidence():
    text = ("---\nurl: https://www.example-clinic.com/statins\n---\n\nStatins are more effective "
            "than diet for cholesterol ([our guide](https://www.example-clinic.com/guide)).\n")
    assert len(claims_of(text).findings) == 1


def test_severity_by_kind_never_error():
    """A specific unsupported claim is a warning, a hedged one information; no claim fails a
    page by default (issue #18: 61 reputable pages failed on claims errors)."""
    text = ("Statins lower cholesterol. Studies show that statins prevent strokes. "
            "Fish oil may be better than statins for some people. "
            "This herb always cures insomnia.\n")
    levels = {f.data["kind"]: (f.rule, f.severity) for f in claims_of(text).findings}
    assert levels == {"study": ("claims/unsupported-claim", Severity.WARNING),
                      "comparison": ("claims/unsupported-claim", Severity.INFO),
                      "guarantee": ("claims/absolute-language", Severity.WARNING)}
    assert all(0 < f.data["confidence"] <= 1 for f in claims_of(text).findings)


def test_configured_severity_overrides_strength(tmp_path):
    from medlint.config import Config

    config = Config(severity={"claims/unsupported-claim": Severity.ERROR})
    result = lint_text("Coffee is more effective than tea against liver disease.\n", "a.md",
                       select=["claims/unsupported-claim"], config=config, today=TODAY)
    assert [f.severity for f in result.findings] == [Severity.ERROR]


def test_metrics_list_every_claim_sentence():
    text = ("Statins lower cholesterol [1].\n\nCoffee is linked to liver health. Drink water.\n")
    result = CliRunner().invoke(cli, ["check", "-", "--stdin-filename", "a.md", "--format",
                                      "json", "--no-cache"], input=text)
    metrics = json.loads(result.output)["files"][0]["metrics"]["claims"]
    assert [(m["strength"], m["supported"]) for m in metrics] == [("causal", True),
                                                                   ("correlational", False)]
    first = metrics[0]
    assert text[first["offset"]:first["end_offset"]].startswith("Statins lower cholesterol")


def test_weak_source_only_when_no_authority():
    weak = ("Turmeric is as effective as ibuprofen, says [a blog](https://wellness.example/"
            "turmeric).\n")
    strong = ("Turmeric is as effective as ibuprofen, says [a review](https://pubmed.ncbi.nlm.nih."
              "gov/1/).\n")
    rule = "claims/weak-source"
    assert [f.rule for f in lint_text(weak, "a.md", select=[rule]).findings] == [rule]
    assert lint_text(strong, "a.md", select=[rule]).findings == []
    extra = lint_text(weak, "a.md", select=[rule],
                      options={rule: {"extra-domains": ["wellness.example"]}})
    assert extra.findings == []


def test_statistics_need_sources_but_doses_do_not():
    rule = "claims/statistic-without-source"
    text = "Nearly 1 in 3 adults has high blood pressure. Take 500 mg twice a day.\n"
    (f,) = lint_text(text, "a.md", select=[rule]).findings
    assert "1 in 3" in f.message


def test_absolute_language_is_negation_aware():
    rule = "claims/absolute-language"
    assert lint_text("There is no cure for the common cold.\n", "a.md", select=[rule]).findings \
        == []
    assert lint_text("This tea is a miracle cure for colds.\n", "a.md", select=[rule]).findings


def test_seed_gets_testimonial(seed_text):
    result = lint_text(seed_text, "seed.txt", select=["claims/testimonial"])
    assert any("hundreds of patients" in f.excerpt for f in result.findings)


@pytest.mark.parametrize("sentence", [
    "This leaflet explains what gout is and how it is treated.",
    "Menopause is when your periods stop for good.",
    "You may notice that you feel dizzy when you stand up.",
    "You may have read that vaccines cause autism.",
    "Some shops sell copper bracelets that they say ease arthritis.",
    "This product is not intended to diagnose, treat, cure or prevent any disease.",
    "Our nurses treat minor injuries and burns.",
    "Most people are treated with antibiotic tablets.",
])
def test_shapes_that_are_not_claims(sentence):
    assert claims_of(sentence + "\n").findings == []


def test_named_people_and_lower_case_agencies_are_evidence():
    claim = "About 1 in 10 people with flu get pneumonia"
    for text in (f"{claim}, said Maria Lopez, the county's health officer.\n",
                 f"{claim}, Lopez said.\n",
                 f"{claim}, according to the state health department.\n"):
        assert claims_of(text).findings == [], text
    assert claims_of(f"{claim}, experts said.\n").findings


def test_footnote_to_a_blog_is_a_weak_source():
    text = ("Ginger is more effective than mint for nausea.[^1]\n\n[^1]: Happy Tummy blog. "
            "https://happytummy.example/ginger\n")
    rule = "claims/weak-source"
    assert [f.rule for f in lint_text(text, "a.md", select=[rule]).findings] == [rule]
    assert [f.rule for f in claims_of(text).findings] == [rule]  # one finding a sentence


@pytest.mark.parametrize("sentence", [
    "I lost 12 pounds in three weeks.",
    "Mia fixed my back pain in two visits.",
    "Since starting the drops, my eyes feel fresh all day.",
    "The clinic gave me my confidence back.",
    "My knee pain is gone.",
])
def test_first_person_outcome_stories_are_testimonials(sentence):
    found = lint_text(sentence + "\n", "a.md", select=["claims/testimonial"]).findings
    assert found, sentence


def test_statistic_shapes():
    rule = "claims/statistic-without-source"

    def stats(text):
        return lint_text(text + "\n", "a.md", select=[rule]).findings

    assert stats("Migraine affects about a third of women at some point.")
    assert stats("The pills lower blood pressure by about 5 mmHg.")
    assert stats("It gets results three times faster.")
    assert not stats("No test is 100% accurate.")
    assert not stats("The cream is 100% natural.")
    assert not stats("The survey of 140 customers ran in May.")
