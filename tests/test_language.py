"""Language packs (stigmatizing terms, unsafe advice, pseudo-science) in context, and the
context options they added to rule packs (exception_scope, per-entry unless/exceptions,
expand, per-entry fixable)."""

from pathlib import Path

import pytest

from medlint.api import lint_text
from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.rules.packs import PackError, build_rule, match_case
from tests.conftest import TODAY

STIGMA = "language/stigmatizing-term"
UNSAFE = "language/unsafe-advice"
PSEUDO = "language/pseudo-science"


def hits(text: str, rule: str, path: str = "x.md") -> list:
    result = lint_text(text, path, select=[rule], today=TODAY)
    return [f for f in result.findings if f.rule == rule]


# --- language/stigmatizing-term: (text, flagged excerpt or None, fix) ---------------------
STIGMA_CASES = [
    ("Some addicts may experience complications.", "addicts", "people with addiction"),
    ("Addicts often avoid hospitals.", "Addicts", "People with addiction"),
    ("An addict needs support, not judgment.", "An addict", "A person with addiction"),
    ("A heroin addict may need methadone.", "A heroin addict", "A person with heroin addiction"),
    ("An opioid addict can recover.", "An opioid addict", "A person with opioid addiction"),
    ("## Help for Heroin Addicts", "Heroin Addicts", "People with Heroin Addiction"),
    ("Ex-addicts often become peer mentors.", "Ex-addicts", "People in recovery"),
    ("She is a former addict.", "a former addict", "a person in recovery"),
    ("Junkies were turned away at the door.", "Junkies", "People who use drugs"),
    ("Drug users face stigma in clinics.", "Drug users", "People who use drugs"),
    ("Injection drug users need sterile supplies.", "Injection drug users",
     "People who inject drugs"),
    ("Heroin users are at high risk of overdose.", "Heroin users", "People who use heroin"),
    ("Opioid users should carry naloxone.", "Opioid users", "People who use opioids"),
    ("Substance abusers were once jailed.", "Substance abusers",
     "People with a substance use disorder"),
    ("Substance abuse affects whole families.", "Substance abuse", "Substance use"),
    ("Prescription drug abuse is rising.", "Prescription drug abuse",
     "Prescription drug misuse"),
    ("Alcohol abuse harms the liver.", "Alcohol abuse", "Alcohol misuse"),
    ("People who abuse alcohol often hide it.", "abuse", "misuse"),
    ("He abused opioids for years.", "abused", "misused"),
    ("A drug habit can cost thousands.", "A drug habit", "A substance use disorder"),
    ("His heroin habit began in college.", "heroin habit", "heroin use"),
    ("She has a drinking problem.", "a drinking problem", "an alcohol use disorder"),
    ("Alcoholics often deny the problem.", "Alcoholics", "People with alcohol use disorder"),
    ("Her alcoholic father drank daily.", "alcoholic father",
     "father with alcohol use disorder"),
    ("An alcoholic may hide bottles.", "An alcoholic", "A person with alcohol use disorder"),
    ("I have been clean for two years.", "clean", "in recovery"),
    ("She stayed clean after rehab.", "clean", "in recovery"),
    ("It took him years to get clean.", "clean", "into recovery"),
    ("Five years clean and counting.", "clean", "in recovery"),
    ("Her drug test came back clean.", "clean", "negative"),
    ("A clean urine test is required.", "clean", "negative"),
    ("He tested dirty for cocaine.", "dirty", "positive"),
    ("Clean and sober living homes help.", "Clean and sober", "In recovery"),
    ("Many people suffering from addiction avoid care.", "suffering from", "living with"),
    ("She suffers from severe depression.", "suffers from", "has"),
    ("People who suffer from anxiety avoid crowds.", "suffer from", "have"),
    ("He committed suicide last year.", "committed suicide", "died by suicide"),
    ("Thoughts of committing suicide are an emergency.", "committing suicide",
     "dying by suicide"),
    ("After a failed suicide attempt, follow-up care matters.", "a failed suicide attempt",
     "a suicide attempt"),
    ("Programs for the mentally ill lack funding.", "the mentally ill",
     "people with mental illness"),
    ("A mentally ill person is more often a victim.", "A mentally ill person",
     "A person with a mental illness"),
    ("A mentally ill adult needs support.", "A mentally ill adult",
     "An adult with a mental illness"),
    ("Schizophrenics are rarely violent.", "Schizophrenics", "People with schizophrenia"),
    ("Babies born addicted to opioids need care.", "born addicted to", "born dependent on"),
    ("Opioid replacement therapy saves lives.", "Opioid replacement therapy",
     "Opioid agonist therapy"),
    ("ADDICTS NEED CARE.", "ADDICTS", "PEOPLE WITH ADDICTION"),
    # suggestion only: flagged, never auto-fixed
    ("The addict's family suffers too.", "addict's", None),
    ("The city has a drug problem.", "a drug problem", None),
    # context: not flagged
    ("Clean the wound with soap and water.", None, None),
    ("Keep the wound clean and dry.", None, None),
    ("The wound has been clean since the second dressing change.", None, None),
    ("Clean needles prevent HIV.", None, None),
    ("Get clean needles from a syringe service program.", None, None),
    ("The water tested clean for lead.", None, None),
    ("Her mammogram came back clean.", None, None),
    ("He is an adrenaline junkie who loves skydiving.", None, None),
    ("The Prescription Drug User Fee Act funds FDA reviews.", None, None),
    ("Child abuse and sexual abuse are traumatic.", None, None),
    ("Narcotics Anonymous and Alcoholics Anonymous hold free meetings.", None, None),
    ("Heroin Addicts Anonymous meets on Fridays.", None, None),
    ("Adult Children of Alcoholics is a support group.", None, None),
    ("The National Institute on Drug Abuse funds research.", None, None),
    ("Call the Substance Abuse and Mental Health Services Administration helpline.", None,
     None),
    ("The Journal of Substance Abuse Treatment published the trial.", None, None),
    ('Her memoir, "Confessions of an Addict", was a bestseller.', None, None),
    ("As one father put it, “my son is an addict, and I love him.”", None, None),
    ("Avoid terms like addict and junkie in patient materials.", None, None),
    ("In DSM-IV, alcohol abuse and alcohol dependence were separate diagnoses.", None, None),
    ("An alcoholic drink contains about 14 grams of alcohol.", None, None),
    ("Alcoholic liver disease is preventable.", None, None),
    ("Addiction medicine treats addictive disorders.", None, None),
    ("He is suffering from nausea and vomiting.", None, None),
    ("Patients suffering from withdrawal need fluids.", None, None),
    ("Nicotine replacement therapy doubles quit rates.", None, None),
    ("Visit https://example.org/addicts/help for more.", None, None),
    ("Email help@addicts-support.org for information.", None, None),
]


@pytest.mark.parametrize(("text", "excerpt", "fix"), STIGMA_CASES,
                         ids=[c[0][:40] for c in STIGMA_CASES])
def test_stigmatizing_term_in_context(text, excerpt, fix):
    found = hits(text, STIGMA)
    if excerpt is None:
        assert not found, [f.excerpt for f in found]
    else:
        assert [f.excerpt for f in found] == [excerpt]
        assert found[0].fix == fix
        assert found[0].data.get("source"), "every entry names its source"


# --- language/unsafe-advice ----------------------------------------------------------------
UNSAFE_CASES = [
    ("Once you feel better, stop taking your antidepressants.", True),
    ("Stop taking your medication.", True),
    ("Just stop taking your meds and eat clean.", True),
    ("It's safe to stop taking your statins once your cholesterol is normal.", True),
    ("You don't need a doctor to get off opioids.", True),
    ("You don't need therapy, just more willpower.", True),
    ("There's no need to see a psychiatrist; a good diet fixes depression.", True),
    ("You can safely detox from alcohol at home on your own.", True),
    ("Quit drinking cold turkey this weekend.", True),
    ("Detox at home with these five herbs.", True),
    ("Home detox is perfectly safe.", True),
    ("Replace your blood pressure pills with beet juice.", True),
    ("Try turmeric instead of your antidepressants.", True),
    ("Don't trust your doctor, trust your gut.", True),
    ("Ignore your doctor's advice about statins.", True),
    ("Don't call 911 if your friend overdoses.", True),
    ("Let them sleep it off on the couch.", True),
    ("Don't stop taking your antidepressants without talking to your doctor.", False),
    ("Never stop taking your seizure medication suddenly.", False),
    ("If you have an allergic reaction, stop taking your medication and call 911.", False),
    ("If you stop taking your medication suddenly, you may have withdrawal symptoms.", False),
    ("You don't need to see a doctor for most colds.", False),
    ("You don't need a prescription to buy naloxone.", False),
    ("You don't need medication for mild anxiety.", False),
    ("Quit smoking cold turkey or use nicotine replacement.", False),
    ("Withdrawing from alcohol on your own can cause seizures.", False),
    ("Overcoming heroin withdrawal at a detox facility is much easier than detoxing at home.",
     False),
    ("Health professionals don't recommend overcoming withdrawal on your own.", False),
    ("Can you detox at home on your own?", False),
    ("Myth: you don't need a doctor to detox.", False),
    ('Some websites say "you can stop taking your meds once you feel fine."', False),
    ("Don't call 911 for non-emergencies.", False),
]


@pytest.mark.parametrize(("text", "flagged"), UNSAFE_CASES, ids=[c[0][:40] for c in UNSAFE_CASES])
def test_unsafe_advice_in_context(text, flagged):
    found = hits(text, UNSAFE)
    assert bool(found) == flagged, [f.excerpt for f in found]
    if found:
        assert str(found[0].severity) == "error"
        assert found[0].fix is None


# --- language/pseudo-science ---------------------------------------------------------------
PSEUDO_CASES = [
    ("This herbal tea helps flush out toxins that build up in your body.", True),
    ("A three-day juice cleanse will reset your gut.", True),
    ("Cleanse your liver with lemon water every morning.", True),
    ("Detox foot pads draw out heavy metals overnight.", True),
    ("Sweat out toxins in our infrared sauna.", True),
    ("An alkaline diet will alkalize your blood.", True),
    ("Toxins accumulate in your fat cells.", True),
    ("Generally speaking, detox involves clearing the body of all toxins.", True),
    ("Your liver and kidneys remove toxins from the blood without help.", False),
    ("There is no evidence that detox teas flush out toxins.", False),
    ("Medical detox helps people manage alcohol withdrawal safely.", False),
    ("Our detox program offers 24/7 medical supervision.", False),
    ("Botulinum toxin is produced by Clostridium bacteria.", False),
    ("Dialysis removes toxins from the blood when the kidneys fail.", False),
    ("In kidney failure, toxins build up in the blood.", False),
    ("Gently cleanse the skin with a mild soap.", False),
    ("Before your colonoscopy, a bowel prep will cleanse your colon.", False),
    ("Do detox teas work?", False),
    ("Detox diets are popular but unproven.", False),
]


@pytest.mark.parametrize(("text", "flagged"), PSEUDO_CASES, ids=[c[0][:40] for c in PSEUDO_CASES])
def test_pseudo_science_in_context(text, flagged):
    found = hits(text, PSEUDO)
    assert bool(found) == flagged, [f.excerpt for f in found]


def test_seed_flags_addicts(seed_text):
    found = hits(seed_text, STIGMA, "heroin-detox.txt")
    addicts = [f for f in found if f.excerpt == "addicts"]
    assert addicts, [f.excerpt for f in found]
    assert addicts[0].fix == "people with addiction"
    line = seed_text.splitlines()[addicts[0].line - 1]
    assert "some addicts may experience complications" in line


def test_seed_has_no_unsafe_advice(seed_text):
    assert not hits(seed_text, UNSAFE, "heroin-detox.txt")


def test_findings_only_come_from_prose():
    text = ("---\ntitle: Help for addicts\n---\n\nSee `addicts` and [the page](/addicts) or "
            "<span title=\"addicts\">help</span>.\n\n```\naddicts\n```\n")
    assert not hits(text, STIGMA)
    html = ('<html><head><title>Addicts</title><meta name="description" content="addicts">'
            '</head><body><p><img alt="addicts" src="a.png"> <a href="/addicts">help</a></p>'
            '<script>var addicts = 1;</script></body></html>')
    assert not hits(html, STIGMA, "x.html")


# --- packs.py context options --------------------------------------------------------------
def _rule(**spec):
    base = {"id": "language/test-rule", "kind": "substitution", "rationale": "r",
            "source": "s", "message": "{match} -> {replacement}",
            "examples": {"bad": ["x"], "good": ["y"]}}
    base.update(spec)
    return build_rule(base, Path("test.yaml"))


def _run(cls, text, path="x.md"):
    engine = Engine(Config(root=Path.cwd(), today=TODAY), {cls.id: cls})
    return next(iter(engine.lint([Source(path, text.encode())]))).findings


def test_exception_scope_block_pairs_quotes_from_block_start():
    # An opening quote more than 80 characters before the match: the default window cannot
    # see it, and would even pair the wrong quote marks; block scope gets it right.
    quote = '"' + "x " * 50 + 'bad word here" and bad word outside'
    swap = [{"match": "bad word", "replace": "good word"}]
    window = _rule(swap=swap, exceptions=['"[^"]*"'])
    block = _rule(swap=swap, exceptions=['"[^"]*"'], exception_scope="block")
    assert len(_run(window, quote)) == 2
    assert [f.excerpt for f in _run(block, quote)] == ["bad word"]
    assert _run(block, quote)[0].offset > quote.index('" and')


@pytest.mark.parametrize("spec", [
    {"swap": [{"pattern": "good(", "replace": "x"}, {"match": "fine", "replace": "y"}]},
    {"kind": "existence", "tokens": ["fine"], "patterns": ["bad[word"]},
])
def test_invalid_pattern_is_named_with_its_rule(spec):
    """Patterns are compiled together for speed; a broken one is still named."""
    with pytest.raises(PackError, match=r"language/test-rule: invalid regular expression "
                                        r"'(good\(|bad\[word)'"):
        _rule(**spec)


def test_entries_are_traced_back_without_compiling_each_up_front():
    rule = _rule(swap={"addicts": "people with addiction", "addict": "person with addiction"})
    assert rule._entry_res == {}
    findings = _run(rule, "Many addicts and one addict.")
    assert [f.data["replacement"] for f in findings] == ["people with addiction",
                                                         "person with addiction"]


def test_exception_scope_rejects_unknown_value():
    with pytest.raises(PackError, match="exception_scope"):
        _rule(swap={"a": "b"}, exception_scope="sentence")


def test_per_entry_unless_and_exceptions_apply_to_that_entry_only():
    cls = _rule(swap=[
        {"match": "clean", "replace": "in recovery", "unless": [r"\bwound\b"]},
        {"match": "addict", "replace": "person with addiction", "exceptions": ["addict x"]},
    ])
    assert "sentences" in cls.needs
    text = "The wound is clean and the addict is here. She is clean. An addict x."
    assert [f.excerpt for f in _run(cls, text)] == ["addict", "clean"]


def test_per_entry_fixable_false_suggests_without_fixing():
    cls = _rule(fixable=True, swap=[{"match": "a b", "replace": "c", "fixable": False},
                                    {"match": "d", "replace": "e"}])
    found = _run(cls, "a b d")
    assert [(f.excerpt, f.fix) for f in found] == [("a b", None), ("d", "e")]
    assert found[0].data["replacement"] == "c"


def test_expand_fills_groups_and_lowercases_a_sentence_start_capital():
    cls = _rule(fixable=True, swap=[{"pattern": r"\b(heroin|opioid)\s+users\b",
                                     "replace": r"people who use \1", "expand": True}])
    found = _run(cls, "Heroin users and opioid users.")
    assert [f.fix for f in found] == ["People who use heroin", "people who use opioid"]


def test_expand_rejects_a_missing_group():
    with pytest.raises(PackError, match="group"):
        _rule(swap=[{"pattern": r"(a)b", "replace": r"\2", "expand": True}])


def test_existence_items_as_mappings_carry_note_source_and_unless():
    spec = {"id": "language/test-exist", "kind": "existence", "rationale": "r", "source": "s",
            "message": "{match}: {note}", "examples": {"bad": ["x"], "good": ["y"]},
            "tokens": ["plain token"],
            "patterns": [{"pattern": r"\bstop\s+now\b", "note": "why", "source": "src",
                          "unless": [r"\bdoctor\b"]}]}
    cls = build_rule(spec, Path("t.yaml"))
    found = _run(cls, "Stop now. Stop now, says your doctor. A plain token.")
    assert [(f.excerpt, f.message) for f in found] == [
        ("Stop now", "Stop now: why"), ("plain token", "plain token: ")]
    assert found[0].data["source"] == "src"


def test_old_style_packs_are_unchanged():
    cls = _rule(fixable=True, swap={"addicts": "people with addiction"},
                exceptions=["Addicts Anonymous"])
    assert cls.exception_scope == "window" and not cls.needs
    found = _run(cls, "Addicts Anonymous helps addicts.")
    assert [(f.excerpt, f.fix) for f in found] == [("addicts", "people with addiction")]


def test_unknown_swap_key_is_an_error():
    with pytest.raises(PackError, match="unknown swap key"):
        _rule(swap=[{"match": "a", "replace": "b", "when": "x"}])


@pytest.mark.parametrize(("original", "replacement", "expected"), [
    ("Addicts", "people with addiction", "People with addiction"),
    ("addicts", "people with addiction", "people with addiction"),
    ("ADDICTS", "people with addiction", "PEOPLE WITH ADDICTION"),
    ("Substance Abuse", "substance use", "Substance Use"),
    ("Heroin Addicts", "people with heroin addiction", "People with Heroin Addiction"),
    ("Heroin addicts", "people with heroin addiction", "People with heroin addiction"),
])
def test_match_case(original, replacement, expected):
    assert match_case(original, replacement) == expected


def test_builtin_packs_compile_when_validated():
    """The registry loads built-in packs lazily; every pattern must still compile."""
    from medlint.resources import builtin_pack_dir
    from medlint.rules.packs import load_pack_dir

    assert load_pack_dir(builtin_pack_dir(), validate=True)


def test_lazy_pack_compiles_on_first_use_and_names_a_broken_pattern():
    spec = {"id": "language/lazy", "kind": "existence", "rationale": "r", "source": "s",
            "message": "m", "patterns": ["ok", "(broken"],
            "examples": {"bad": ["ok"], "good": ["fine"]}}
    rule = build_rule(spec, Path("p.yaml"), 3, validate=False)
    assert rule.matcher._compiled is None
    with pytest.raises(PackError, match=r"invalid regular expression '\(broken'"):
        rule.matcher.finditer("text")


@pytest.mark.parametrize(("text", "flagged"), [
    ("Just stop taking your medication when you feel better.", True),
    ("You can just stop taking your antidepressants.", True),
    ("You shouldn't just stop taking your medication.", False),
    ("Don't simply quit your meds without a plan from your prescriber.", False),
    ("Never just stop taking your insulin.", False),
    ("Don't stop taking your medication without talking to your doctor.", False),
])
def test_unsafe_advice_respects_negation(text, flagged):
    """Issue 19: negated advice is the safe advice, not an unsafe instruction."""
    found = lint_text(text, "page.md", select=["language/unsafe-advice"]).findings
    assert bool(found) == flagged, [f.message for f in found]
