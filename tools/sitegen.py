"""Generates a synthetic health website for audits, benchmarks and scale tests.

``generate_site`` writes Markdown pages (and about one in ten as HTML) of realistic patient
information prose, assembled from the template bank below (written for medlint, not taken
from any real site), with the defects a site audit looks for sprinkled in at known rates:
missing or stale medical review, unsourced and absolute claims, long jargon-heavy sentences,
a boilerplate sentence pasted into about one page in ten, and on a few pages another page's
title pasted into a sentence as anchor text. The output depends only on the arguments: the
same ``seed`` always writes the same bytes.

``write_jsonl`` exports pages as JSON Lines records ``{"path", "text"}`` (the input of
``medlint audit --input-jsonl``).
"""

from __future__ import annotations

import datetime as _dt
import html
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HOST = "https://www.wellpath-health.example"
REFERENCE_DATE = _dt.date(2026, 11, 1)  # review ages are counted back from here

# Topic bank ----------------------------------------------------------------------------------
# Each topic: a display name, a condition phrase, advice and fact sentences, warning signs,
# and sources (organisation, URL) that a sourced claim may cite.


@dataclass(frozen=True)
class Topic:
    name: str
    condition: str
    audience_terms: tuple[str, ...]
    facts: tuple[str, ...]
    advice: tuple[str, ...]
    warnings: tuple[str, ...]
    sources: tuple[tuple[str, str], ...]
    jargon: tuple[str, ...]
    claim: str  # the subject of an unsourced or absolute claim


TOPICS: tuple[Topic, ...] = (
    Topic(
        "high blood pressure", "hypertension", ("adults over 40", "people with diabetes"),
        ("High blood pressure rarely causes symptoms, which is why many people do not know "
         "they have it.",
         "Blood pressure is written as two numbers: the pressure when the heart beats and "
         "the pressure between beats.",
         "Over time, raised pressure strains the arteries, the heart and the kidneys.",
         "Readings taken at home are often lower than those taken in a clinic."),
        ("Cutting back on salt is one of the simplest changes you can make.",
         "Try to be active for at least 150 minutes a week, spread over several days.",
         "Take your readings at the same time each day and write them down.",
         "Keep taking your tablets even when you feel well, unless your doctor says "
         "otherwise."),
        ("a severe headache with blurred vision", "chest pain or shortness of breath",
         "sudden weakness on one side of the body"),
        (("the CDC", "https://www.cdc.gov/high-blood-pressure/"),
         ("the American Heart Association", "https://www.heart.org/en/health-topics/"
          "high-blood-pressure")),
        ("renin-angiotensin-aldosterone system activation", "left ventricular hypertrophy",
         "sympathetic overactivity"),
        "a low-salt diet",
    ),
    Topic(
        "type 2 diabetes", "type 2 diabetes", ("people who are overweight", "older adults"),
        ("Type 2 diabetes develops when the body stops responding well to insulin.",
         "Many people have raised blood sugar for years before they are diagnosed.",
         "The HbA1c test shows your average blood sugar over the past two to three months.",
         "Diabetes can affect the eyes, feet, nerves and kidneys if it is not controlled."),
        ("Swap sugary drinks for water, plain tea or coffee.",
         "Check your feet every day for cuts, blisters or changes in colour.",
         "Go to every eye screening appointment you are offered.",
         "Spread carbohydrate foods across the day rather than eating them all at once."),
        ("very high or very low blood sugar readings", "confusion or drowsiness",
         "a foot wound that is not healing"),
        (("the CDC", "https://www.cdc.gov/diabetes/"),
         ("the NIDDK", "https://www.niddk.nih.gov/health-information/diabetes")),
        ("peripheral insulin resistance", "beta-cell dysfunction",
         "advanced glycation end products"),
        "cinnamon capsules",
    ),
    Topic(
        "seasonal flu", "influenza", ("children under five", "pregnant women"),
        ("Flu spreads through droplets when people cough, sneeze or talk.",
         "Most healthy adults recover within a week or two.",
         "The flu virus changes every year, so the vaccine is updated each season.",
         "Flu tends to come on suddenly, while a cold usually builds up over a day or two."),
        ("Rest, drink plenty of fluids and stay home until your fever has gone.",
         "Wash your hands often and cover your mouth when you cough.",
         "Ask about the yearly flu vaccine, especially if you are in a higher-risk group.",
         "Paracetamol or ibuprofen can ease aches and bring down a temperature."),
        ("difficulty breathing", "chest pain", "symptoms that get better and then return "
         "worse"),
        (("the CDC", "https://www.cdc.gov/flu/"),
         ("the World Health Organization", "https://www.who.int/health-topics/influenza")),
        ("hemagglutinin antigenic drift", "neuraminidase inhibition",
         "secondary bacterial pneumonia"),
        "vitamin C megadoses",
    ),
    Topic(
        "migraine", "migraine", ("teenagers", "women in their thirties"),
        ("A migraine is more than a bad headache: it often comes with nausea and "
         "sensitivity to light.",
         "Some people notice warning signs, called an aura, before the pain starts.",
         "Attacks can last anywhere from a few hours to three days.",
         "Migraine often runs in families."),
        ("Keep a diary of attacks to spot triggers such as missed meals or poor sleep.",
         "Take pain relief early in an attack, when it tends to work best.",
         "Lie down in a dark, quiet room if you can.",
         "Avoid using painkillers on more than ten days a month, as this can cause "
         "rebound headaches."),
        ("a sudden, severe headache unlike any before", "weakness or slurred speech",
         "a headache with fever and a stiff neck"),
        (("the NHS", "https://www.nhs.uk/conditions/migraine/"),
         ("the NINDS", "https://www.ninds.nih.gov/health-information/disorders/migraine")),
        ("trigeminovascular activation", "cortical spreading depression",
         "calcitonin gene-related peptide signalling"),
        "magnesium patches",
    ),
    Topic(
        "iron deficiency", "iron deficiency anaemia", ("teenage girls", "vegetarians"),
        ("Iron helps red blood cells carry oxygen around the body.",
         "Low iron can make you feel tired, short of breath and pale.",
         "Heavy periods are a common cause of iron deficiency.",
         "A simple blood test can check your iron stores."),
        ("Eat iron-rich foods such as beans, lentils, dark green vegetables and red meat.",
         "Have a food or drink rich in vitamin C with meals to help absorb iron.",
         "Avoid tea and coffee with meals if your iron is low.",
         "Only take iron tablets if a health professional has advised it."),
        ("chest pain", "a fast or pounding heartbeat", "black, tarry stools"),
        (("the NIH Office of Dietary Supplements", "https://ods.od.nih.gov/factsheets/"
          "Iron-Consumer/"),
         ("MedlinePlus", "https://medlineplus.gov/irondeficiencyanemia.html")),
        ("ferritin depletion", "microcytic hypochromic indices",
         "hepcidin-mediated absorption"),
        "beetroot juice",
    ),
    Topic(
        "lower back pain", "lower back pain", ("office workers", "new parents"),
        ("Most back pain is not caused by anything serious and improves within a few weeks.",
         "Staying in bed for long periods can make back pain last longer.",
         "Scans are rarely needed unless there are warning signs.",
         "Stress and poor sleep can make pain feel worse."),
        ("Keep moving and carry on with daily activities as much as you can.",
         "Try gentle stretches and short walks through the day.",
         "Heat packs can ease muscle stiffness.",
         "Lift with your knees bent and keep the load close to your body."),
        ("numbness around the bottom or genitals", "loss of bladder or bowel control",
         "back pain with fever or weight loss"),
        (("the NHS", "https://www.nhs.uk/conditions/back-pain/"),
         ("MedlinePlus", "https://medlineplus.gov/backpain.html")),
        ("lumbar radiculopathy", "facet joint arthropathy",
         "central sensitisation"),
        "a posture corrector",
    ),
    Topic(
        "asthma", "asthma", ("children", "people who smoke"),
        ("Asthma makes the airways swollen and sensitive.",
         "Common triggers include colds, pollen, dust, smoke and cold air.",
         "A preventer inhaler reduces swelling in the airways over time.",
         "Asthma symptoms are often worse at night or early in the morning."),
        ("Use your preventer inhaler every day, even when you feel well.",
         "Ask your nurse to check your inhaler technique once a year.",
         "Keep a written asthma action plan and share it with family.",
         "Carry your reliever inhaler with you at all times."),
        ("a reliever inhaler that is not helping", "being too breathless to speak",
         "blue or grey lips"),
        (("the CDC", "https://www.cdc.gov/asthma/"),
         ("the NHLBI", "https://www.nhlbi.nih.gov/health/asthma")),
        ("eosinophilic airway inflammation", "bronchial hyperresponsiveness",
         "type 2 cytokine signalling"),
        "salt caves",
    ),
    Topic(
        "depression", "depression", ("young adults", "people living alone"),
        ("Depression is more than feeling low for a few days.",
         "It can affect sleep, appetite, energy and concentration.",
         "Talking therapies and medicines both help many people.",
         "Depression is common, and it is nobody's fault."),
        ("Talk to someone you trust about how you are feeling.",
         "Try to keep a regular routine for meals and sleep.",
         "Gentle exercise, such as a daily walk, can lift your mood.",
         "Speak to your GP if low mood lasts more than two weeks."),
        ("thoughts of harming yourself", "feeling unable to keep yourself safe",
         "not eating or drinking for days"),
        (("the NIMH", "https://www.nimh.nih.gov/health/topics/depression"),
         ("the World Health Organization", "https://www.who.int/news-room/fact-sheets/"
          "detail/depression")),
        ("monoaminergic dysregulation", "hypothalamic-pituitary-adrenal axis activation",
         "anhedonic symptom clusters"),
        "St John's wort",
    ),
    Topic(
        "high cholesterol", "high cholesterol", ("men over 45", "people with a family "
                                                  "history of heart disease"),
        ("Cholesterol is a fatty substance carried in the blood.",
         "Too much LDL cholesterol can build up in the walls of the arteries.",
         "High cholesterol does not usually cause symptoms.",
         "A blood test is the only way to know your level."),
        ("Eat more oats, beans, nuts and oily fish.",
         "Swap butter and lard for olive or rapeseed oil.",
         "Stop smoking, which lowers your good cholesterol.",
         "Take statins as prescribed and report muscle pain to your doctor."),
        ("chest pain on exertion", "pain in the calves when walking",
         "yellowish patches around the eyes"),
        (("the CDC", "https://www.cdc.gov/cholesterol/"),
         ("the NHLBI", "https://www.nhlbi.nih.gov/health/blood-cholesterol")),
        ("apolipoprotein B-containing lipoproteins", "hepatic LDL receptor upregulation",
         "atherosclerotic plaque formation"),
        "red yeast rice",
    ),
    Topic(
        "eczema", "atopic eczema", ("babies", "people with hay fever"),
        ("Eczema makes the skin dry, itchy and cracked.",
         "It often starts in childhood and can flare up and settle again.",
         "Soaps, heat and stress are common triggers.",
         "Eczema is not contagious."),
        ("Use a plain emollient several times a day, even when the skin looks clear.",
         "Wash with an emollient instead of soap.",
         "Keep nails short to limit damage from scratching.",
         "Use steroid creams as directed during flare-ups."),
        ("weeping, crusted or painful skin", "clusters of painful blisters",
         "a fever with a flare-up"),
        (("the NHS", "https://www.nhs.uk/conditions/atopic-eczema/"),
         ("the NIAMS", "https://www.niams.nih.gov/health-topics/atopic-dermatitis")),
        ("filaggrin loss-of-function variants", "transepidermal water loss",
         "Th2-skewed inflammation"),
        "coconut oil",
    ),
    Topic(
        "alcohol withdrawal", "alcohol dependence", ("heavy drinkers", "older adults"),
        ("Stopping suddenly after heavy drinking can be dangerous.",
         "Withdrawal symptoms usually start within a day of the last drink.",
         "Shaking, sweating and anxiety are common early signs.",
         "A supervised detox lowers the risk of seizures."),
        ("Talk to your GP before you stop drinking if you drink heavily every day.",
         "Cut down gradually if medical support is not available straight away.",
         "Eat regular meals and drink plenty of water.",
         "Ask about local support groups and counselling."),
        ("seizures or fits", "seeing or hearing things that are not there",
         "severe confusion"),
        (("the NIAAA", "https://www.niaaa.nih.gov/alcohols-effects-health"),
         ("SAMHSA", "https://www.samhsa.gov/find-help")),
        ("GABA-A receptor downregulation", "glutamatergic rebound excitation",
         "autonomic hyperactivity"),
        "milk thistle",
    ),
    Topic(
        "sleep problems", "insomnia", ("shift workers", "people with chronic pain"),
        ("Insomnia means regularly finding it hard to fall asleep or stay asleep.",
         "Most adults need between seven and nine hours of sleep a night.",
         "Worry, noise and caffeine are common causes.",
         "Short-term insomnia often settles once the cause is dealt with."),
        ("Go to bed and get up at the same times every day.",
         "Avoid caffeine after lunchtime.",
         "Keep screens out of the bedroom for an hour before sleep.",
         "Get out of bed if you cannot sleep, and return when you feel sleepy."),
        ("falling asleep while driving", "loud snoring with pauses in breathing",
         "insomnia lasting more than three months"),
        (("the CDC", "https://www.cdc.gov/sleep/"),
         ("the NHLBI", "https://www.nhlbi.nih.gov/health/insomnia")),
        ("circadian phase misalignment", "hyperarousal of the sleep-wake system",
         "reduced slow-wave sleep architecture"),
        "melatonin gummies",
    ),
)

ANGLES = (
    ("{Name}: symptoms and causes", "overview"),
    ("Living with {name}", "living"),
    ("{Name} treatment options", "treatment"),
    ("When to see a doctor about {name}", "warning"),
    ("{Name} in {audience}", "audience"),
    ("Questions to ask about {name}", "questions"),
    ("Diet and {name}", "diet"),
    ("{Name}: myths and facts", "myths"),
    ("Managing {name} at work", "work"),
    ("How {name} is diagnosed", "diagnosis"),
)

FIRST_NAMES = ("Amara", "Ben", "Chloe", "Daniel", "Elif", "Farah", "George", "Hana", "Isaac",
               "Jonah", "Keisha", "Liam", "Maya", "Nikhil", "Olivia", "Pedro", "Rosa",
               "Samir", "Tess", "Yusuf")
LAST_NAMES = ("Adeyemi", "Brennan", "Castillo", "Dubois", "Evans", "Fischer", "Gupta",
              "Haddad", "Ito", "Jensen", "Kowalski", "Lindqvist", "Mensah", "Novak",
              "O'Connor", "Petrov", "Quinn", "Rahman", "Sato", "Walsh")
CREDENTIALS = ("MD", "DO", "RN", "PharmD", "MBBS", "FRCP", "RD", "MPH")

INTROS = (
    "{Condition} is one of the most common reasons people see their family doctor.",
    "If you have recently been told you have {condition}, you probably have a lot of "
    "questions.",
    "This page explains {condition} in plain language, and what you can do about it.",
    "{Condition} affects people of every age, but {audience} are more likely to be "
    "affected.",
    "Many readers write to us about {condition}; here are the answers to the questions we "
    "hear most often.",
    "Around the world, millions of people live with {condition} and lead full lives.",
    "Getting the right information early makes {condition} much easier to manage.",
    "Our editors put this guide together with help from people who live with {condition}.",
    "Whether you are newly diagnosed or have lived with {condition} for years, this guide "
    "is for you.",
    "{Condition} is often misunderstood, so it helps to start with the basics.",
)
# Lead-ins and tails vary the wording of the shared sentence bank, so pages of a generated
# site share few full sentences (as on a real site) and the boilerplate signal stays clean.
FACT_LEADS = (
    "", "For most people, ", "In general, ", "Put simply, ", "It is worth knowing that ",
    "Doctors often explain that ", "As many readers find, ", "In plain terms, ",
    "One thing to understand is that ", "Broadly speaking, ", "What surprises many people "
    "is that ", "As a rule, ", "It helps to remember that ", "Our nurses often point out "
    "that ", "Specialists describe how ", "Something people ask about is why ",
    "In everyday life, ", "The short version is that ", "Researchers have long noted that ",
    "Patients are often told that ", "A useful starting point is that ",
    "From a practical point of view, ", "Most guides agree that ", "Looking at the basics, ",
)
FACT_TAILS = (
    "", ", although this varies from person to person", ", as your care team can explain",
    " for many of the people we hear from", ", which is worth discussing at your next visit",
    ", even in people who otherwise feel healthy", ", and this can change over the years",
    " in many cases", ", though not in everyone", ", something many people do not realise",
    ", so it is worth keeping an eye on", ", as several of our readers have found",
    ", particularly during the first year", ", which surprises a lot of people",
    " according to most patient guides", ", and it is nothing to be embarrassed about",
    " at some point in life", ", which is why regular check-ups matter",
    ", especially when other health problems are present", ", even with good treatment",
)
ADVICE_LEADS = (
    "", "Day to day, ", "In practice, ", "Over the coming weeks, ", "As a next step, ",
    "Once you feel ready, ", "To start with, ", "If it suits you, ", "Little by little, ",
    "Alongside any treatment, ", "Whatever your age, ", "Most weeks, ", "At home, ",
    "With a bit of planning, ", "From the start, ", "Even on busy days, ",
    "When you can, ", "As part of your routine, ", "Between appointments, ",
    "On good days and bad days, ", "Where it is safe to do so, ", "With support, ",
)
ADVICE_TAILS = (
    "", ", ideally with support from someone close to you", " wherever possible",
    ", and note how you feel afterwards", ", even if progress seems slow",
    " as your confidence grows", ", checking with your pharmacist if unsure",
    " and build up gradually", ", and keep it up for at least a month",
    ", writing it into your weekly plan", ", and tell your care team how it goes",
    ", especially in the colder months", " before your next review",
    ", asking a friend to join you if that helps", ", at a pace that feels manageable",
    ", and ask for help if it becomes hard", " so it becomes a habit",
    ", starting this week if you can",
)
BRIDGES = tuple(b.replace("{c}", "{condition}") for b in (
    "Everyone with {c} is different, so what works for one person may not suit another.",
    "Your doctor or nurse can help you decide which {c} treatment is right for you.",
    "With {c}, small changes kept up over months tend to make the biggest difference.",
    "It can take a few weeks before you notice an improvement in {c} symptoms.",
    "Family and friends can be a real help with {c}, so let them know what you need.",
    "Bring a list of your medicines to every {c} appointment.",
    "Write down your questions about {c} before you see your doctor.",
    "Some people with {c} find it useful to keep a simple diary of their symptoms.",
    "Support groups for {c} can put you in touch with others in the same position.",
    "Living with {c} can be tiring, so be kind to yourself on difficult days.",
))
IMPERATIVES = ("Bring", "Write")
HEADINGS = {
    "facts": ("What is {condition}?", "About {condition}", "How {condition} affects you",
              "Understanding {condition}"),
    "advice": ("What you can do", "Things that help", "Self-care tips",
               "Looking after yourself"),
    "warnings": ("When to get help", "Warning signs", "When to see a doctor",
                 "Urgent symptoms"),
}
CLOSINGS = (  # under eight words: not counted as boilerplate
    "This page is general guidance only.",
    "Unsure? Ask a pharmacist or your GP.",
    "In an emergency, call for help immediately.",
    "Your own doctor knows you best.",
)
CLAIM_TAILS = ("", " within weeks", " without any need for medicines", " in just a month",
               " for good", ", whatever your age", " in older adults too",
               " faster than prescription drugs")
# Defects, inserted at known rates.
UNSOURCED = (
    "Studies show that {claim} can reverse {condition} in most people.",
    "Research proves that {claim} lowers the risk of {condition} by half.",
    "Experts agree that {claim} is the best natural treatment for {condition}.",
    "It is well known that {claim} prevents {condition}.",
)
ABSOLUTE = (
    "{Claim} always works and is completely safe for everyone.",
    "This approach is guaranteed to cure {condition} for good.",
    "You will never need medication again once you start {claim}.",
    "{Claim} is 100% effective, with no side effects at all.",
)
SOURCED = (
    "According to {org}, {fact_lc} [Read more from {org}]({url}).",
    "As [{org}]({url}) puts it, {fact_lc}",
    "{Fact} You can check this on the [{org} website]({url}).",
    "Guidance from [{org}]({url}) notes that {fact_lc}",
    "{Fact} This is explained in more detail by [{org}]({url}).",
)
LONG_JARGON = (
    "In the context of {jargon0}, which current pathophysiological models implicate "
    "alongside {jargon1} and, in a subset of individuals, {jargon2}, the clinical "
    "presentation of {condition} is considerably heterogeneous, and therapeutic "
    "interventions should consequently be individualised according to comorbidity burden, "
    "pharmacokinetic considerations and patient-reported outcome measures obtained over "
    "successive consultations.",
    "Although the precise aetiological contribution of {jargon0} remains incompletely "
    "characterised, accumulating observational evidence suggests that {jargon1} may "
    "potentiate symptom severity, thereby necessitating multidisciplinary assessment that "
    "incorporates {jargon2} when formulating longitudinal management strategies for "
    "{condition}.",
)
BOILERPLATE = ("Sign up to our weekly newsletter for the latest health news, recipes and "
               "exclusive offers delivered straight to your inbox.")
ANCHOR_PASTES = (
    "Many readers also found our guide [{title}]({url}) useful when they were first "
    "diagnosed.",
    "You can learn more in [{title}]({url}), which covers this in more depth.",
)


@dataclass
class _Page:
    index: int
    topic: Topic
    title: str
    slug: str
    url: str
    html: bool


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _plan(pages: int, rng: random.Random) -> list[_Page]:
    plans: list[_Page] = []
    seen: dict[str, int] = {}
    for i in range(pages):
        topic = rng.choice(TOPICS)
        pattern, _ = rng.choice(ANGLES)
        title = pattern.format(name=topic.name, Name=_cap(topic.name),
                               audience=rng.choice(topic.audience_terms))
        seen[title] = seen.get(title, 0) + 1
        if seen[title] > 1:
            title = f"{title} (part {seen[title]})"
        slug = _slugify(title)
        is_html = rng.random() < 0.1
        plans.append(_Page(i, topic, title, slug, f"{HOST}/health/{slug}/", is_html))
    return plans


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _fill(template: str, topic: Topic, rng: random.Random) -> str:
    fact = rng.choice(topic.facts)
    org, url = rng.choice(topic.sources)
    fact_lc = fact[0].lower() + fact[1:] if not fact[:2].isupper() else fact
    return template.format(
        condition=topic.condition, Condition=_cap(topic.condition), name=topic.name,
        audience=rng.choice(topic.audience_terms), claim=topic.claim, Claim=_cap(topic.claim),
        org=org, url=url, fact_lc=fact_lc, Fact=fact, jargon0=topic.jargon[0],
        jargon1=topic.jargon[1], jargon2=topic.jargon[2])


def _sections(page: _Page, plans: list[_Page], rng: random.Random, words: int
              ) -> list[tuple[str | None, str, list[str]]]:
    """The page body as (heading, kind, items): kind "prose" (paragraphs) or "list"."""
    topic = page.topic
    defects = {
        "unsourced": rng.random() < 0.3,
        "absolute": rng.random() < 0.2,
        "sourced": rng.random() < 0.5,
        "jargon": rng.random() < 0.15,
        "boilerplate": rng.random() < 0.1,
        "anchor": len(plans) > 1 and rng.random() < 0.05,
    }
    used_keys: set[str] = set()

    def vary(core: str, leads: tuple[str, ...], tails: tuple[str, ...]) -> str | None:
        """``core`` with a lead-in and a tail, or None when the page already has it."""
        key = core.lower()
        if key in used_keys:
            return None
        used_keys.add(key)
        lead, tail = rng.choice(leads), rng.choice(tails)
        body = core.rstrip(".")
        if lead:
            first = body.split(" ", 1)[0]
            keep = (len(first) > 1 and first.isupper()) or first in ("St", "I")
            body = lead + (body if keep else body[:1].lower() + body[1:])
        return body + tail + "."

    paragraphs: list[list[str]] = []  # sentences of every prose paragraph, body order
    facts = list(topic.facts)
    rng.shuffle(facts)
    opening = _fill(rng.choice(INTROS), topic, rng)
    intro = [vary(opening, FACT_LEADS if rng.random() < 0.3 else ("",), FACT_TAILS) or ""]
    intro += [v for v in (vary(f, FACT_LEADS, FACT_TAILS) for f in facts[:2]) if v]
    paragraphs.append(intro)
    layout: list[tuple[str | None, str, list[list[str]] | list[str]]] = [(None, "prose",
                                                                          [intro])]
    budget = max(40, (words - 60) // 2)
    bridges = [_fill(b, topic, rng) for b in BRIDGES]
    rng.shuffle(bridges)
    for kind in ("facts", "advice", "warnings"):
        heading = _fill(rng.choice(HEADINGS[kind]), topic, rng)
        if kind == "warnings":
            layout.append((heading, "list", [_cap(w) for w in topic.warnings]))
            continue
        own = list(facts[2:] if kind == "facts" else topic.advice)
        rng.shuffle(own)
        own_style = (FACT_LEADS, FACT_TAILS) if kind == "facts" else (ADVICE_LEADS,
                                                                         ADVICE_TAILS)
        section: list[list[str]] = []
        para: list[str] = []
        used = 0
        size = rng.randint(3, 5)
        while used < budget and (own or bridges):
            mine = bool(own) and (not bridges or rng.random() < 0.6)
            if mine:
                sentence = vary(own.pop(), *own_style)
            else:
                bridge = bridges.pop()
                imperative = bridge.split(" ", 1)[0] in IMPERATIVES
                sentence = vary(bridge, ADVICE_LEADS if imperative else FACT_LEADS,
                                ADVICE_TAILS if imperative else FACT_TAILS)
            if sentence is None:
                continue
            para.append(sentence)
            used += len(sentence.split())
            if len(para) >= size:
                section.append(para)
                para, size = [], rng.randint(3, 5)
        if para:
            section.append(para)
        paragraphs += section
        layout.append((heading, "prose", section))

    def insert(sentence: str) -> None:
        target = rng.choice(paragraphs[1:] or paragraphs)
        target.insert(rng.randint(0, len(target)), sentence)

    def claim(templates: tuple[str, ...], tails: tuple[str, ...]) -> str:
        return vary(_fill(rng.choice(templates), topic, rng), FACT_LEADS, tails) or ""

    if defects["sourced"]:
        insert(_fill(rng.choice(SOURCED), topic, rng))
    if defects["unsourced"]:
        insert(claim(UNSOURCED, CLAIM_TAILS))
    if defects["absolute"]:
        insert(claim(ABSOLUTE, CLAIM_TAILS))
    if defects["jargon"]:
        jargon = list(topic.jargon)
        rng.shuffle(jargon)
        insert(rng.choice(LONG_JARGON).format(
            condition=topic.condition, jargon0=jargon[0], jargon1=jargon[1],
            jargon2=jargon[2]))
    if defects["boilerplate"]:
        insert(BOILERPLATE)
    if defects["anchor"]:
        other = rng.choice([p for p in plans if p.index != page.index])
        insert(rng.choice(ANCHOR_PASTES).format(title=other.title, url=other.url))
    closing = [rng.choice(CLOSINGS)]
    layout.append((None, "prose", [closing]))
    out: list[tuple[str | None, str, list[str]]] = []
    for heading, kind, items in layout:
        if kind == "prose":
            out.append((heading, kind, [" ".join(p) for p in items]))  # type: ignore[misc]
        else:
            out.append((heading, kind, items))  # type: ignore[arg-type]
    return out


def _front(page: _Page, rng: random.Random, today: _dt.date) -> dict[str, str]:
    meta = {"title": page.title, "url": page.url, "author": _person(rng)}
    roll = rng.random()
    if roll < 0.7:  # a named reviewer; fresh, stale or undated review
        creds = rng.sample(CREDENTIALS, rng.choice((1, 1, 2)))
        meta["reviewer"] = f"{_person(rng)}, {', '.join(creds)}"
        age = rng.random()
        if age < 0.6:
            days = rng.randint(10, 540)
        elif age < 0.9:
            days = rng.randint(800, 2000)
        else:
            days = -1
        if days >= 0:
            meta["last_reviewed"] = (today - _dt.timedelta(days=days)).isoformat()
    updated = today - _dt.timedelta(days=rng.randint(0, 900))
    meta["updated"] = updated.isoformat()
    return meta


def _markdown(page: _Page, meta: dict[str, str],
              body: list[tuple[str | None, str, list[str]]]) -> str:
    lines = ["---"]
    for key, value in meta.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines += ["---", "", f"# {page.title}", ""]
    for heading, kind, items in body:
        if heading:
            lines += [f"## {heading}", ""]
        if kind == "list":
            lines += ["Get medical help straight away if you have:", ""]
            lines += [f"- {item}" for item in items] + [""]
        else:
            for paragraph in items:
                lines += [paragraph, ""]
    return "\n".join(lines)


_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _inline_html(text: str) -> str:
    out, pos = [], 0
    for m in _LINK.finditer(text):
        out.append(html.escape(text[pos:m.start()], quote=False))
        out.append(f'<a href="{html.escape(m.group(2))}">{html.escape(m.group(1))}</a>')
        pos = m.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _html(page: _Page, meta: dict[str, str],
          body: list[tuple[str | None, str, list[str]]]) -> str:
    head = [f"<title>{html.escape(page.title)}</title>",
            f'<link rel="canonical" href="{html.escape(page.url)}">',
            f'<meta name="author" content="{html.escape(meta["author"])}">']
    if "reviewer" in meta:
        head.append(f'<meta name="reviewer" content="{html.escape(meta["reviewer"])}">')
    if "last_reviewed" in meta:
        head.append(f'<meta name="last-reviewed" content="{meta["last_reviewed"]}">')
    head.append(f'<meta name="last-modified" content="{meta["updated"]}">')
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             *head, "</head>", "<body>", "<article>", f"<h1>{html.escape(page.title)}</h1>"]
    for heading, kind, items in body:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        if kind == "list":
            parts += ["<p>Get medical help straight away if you have:</p>", "<ul>",
                      *(f"<li>{_inline_html(i)}</li>" for i in items), "</ul>"]
        else:
            parts += [f"<p>{_inline_html(p)}</p>" for p in items]
    parts += ["</article>", "</body>", "</html>", ""]
    return "\n".join(parts)


def generate_site(folder: Path, pages: int, seed: int = 0, words: int = 300, *,
                  today: _dt.date = REFERENCE_DATE) -> list[Path]:
    """Writes ``pages`` articles of about ``words`` words each under ``folder`` (one
    sub-folder per topic) and returns their paths in a stable order. Deterministic: the
    same arguments write the same files. Review dates are counted back from ``today``."""
    rng = random.Random(seed)
    folder = Path(folder)
    plans = _plan(pages, rng)
    paths: list[Path] = []
    for page in plans:
        meta = _front(page, rng, today)
        body = _sections(page, plans, rng, words)
        sub = folder / _slugify(page.topic.name)
        sub.mkdir(parents=True, exist_ok=True)
        if page.html:
            path = sub / f"{page.slug}.html"
            text = _html(page, meta, body)
        else:
            path = sub / f"{page.slug}.md"
            text = _markdown(page, meta, body)
        path.write_text(text, encoding="utf-8", newline="\n")
        paths.append(path)
    return paths


def write_jsonl(paths: Iterable[Path], out: Path, root: Path) -> int:
    """Writes one ``{"path", "text"}`` record per page (paths relative to ``root``, POSIX
    style) to ``out``; returns the number of records."""
    count = 0
    root = Path(root)
    with Path(out).open("w", encoding="utf-8", newline="\n") as fh:
        for path in paths:
            path = Path(path)
            try:
                rel = path.relative_to(root).as_posix()
            except ValueError:
                rel = path.as_posix()
            record = {"path": rel, "text": path.read_text(encoding="utf-8")}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count
