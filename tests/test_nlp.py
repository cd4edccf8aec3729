"""The NLP layer: the components medlint swaps into spaCy's pipeline must not change its output."""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from medlint.config import Config
from medlint.engine import Engine, Source
from medlint.nlp import AUTO_MODELS
from medlint.rules.base import Rule

spacy = pytest.importorskip("spacy")

ROOT = Path(__file__).resolve().parents[1]
# Slang, contractions and clitics that the ruler's word patterns exist for, plus plain prose.
ODD = ("Y'all gonna get it, ain't ya? I'd have done it, 'cause c'mon, let's go. Gotta say "
       "nothin' beats ol' somethin' doin' 'em good. There is a cure, and that was it.\n\n"
       "  \t \n")


def _model() -> str:
    for name in AUTO_MODELS:
        try:
            importlib.import_module(name)
        except ImportError:
            continue
        return name
    pytest.skip("no spaCy English model installed")


def _texts() -> list[str]:
    texts = [ODD]
    for path in sorted((ROOT / "corpus").rglob("*.md"))[:40]:
        texts.extend(p for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip())
    return texts


@pytest.mark.parametrize("parser", [True, False], ids=["with-parser", "tags-only"])
def test_drop_in_components_give_spacys_attributes(parser: bool) -> None:
    from medlint.nlp_components import install

    exclude = ["ner", "senter"] + ([] if parser else ["parser"])
    stock = spacy.load(_model(), exclude=exclude)
    fast = spacy.load(_model(), exclude=exclude)
    install(fast)
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    texts = _texts()
    compared = 0
    for a, b in zip(stock.pipe(texts), fast.pipe(texts), strict=True):
        for s, t in zip(a, b, strict=True):
            assert (s.pos_, s.tag_, str(s.morph), s.lemma_) == (t.pos_, t.tag_, str(t.morph),
                                                                t.lemma_), (s.text, a.text)
            compared += 1
    assert compared > 3000


class _Subjects(Rule):
    """A plugin-style rule that reads the parse without asking for it block by block."""

    id = "test/subjects"
    category = "test"
    rationale = "test"
    source = "test"
    needs = frozenset({"parse"})

    def check(self, doc, ctx):
        for block in doc.blocks:
            sdoc = ctx.spacy(block)
            for token in sdoc or ():
                if token.dep_ == "nsubj":
                    yield self.block_finding(block, token.text, token.idx,
                                             token.idx + len(token.text))


def test_rule_needing_parse_gets_parsed_blocks() -> None:
    """The parser is out of the main pass; a rule that needs it, and does not parse on
    demand, still sees every block parsed."""
    _model()
    engine = Engine(Config(today=dt.date(2026, 11, 25)), {_Subjects.id: _Subjects})
    text = "The nurse checks your blood pressure.\n\nYour doctor explains the results.\n"
    result = next(iter(engine.lint([Source("a.md", text.encode())])))
    assert [f.message for f in result.findings] == ["nurse", "doctor"]


def test_ruler_with_unknown_pattern_fields_is_left_in_place() -> None:
    """A configured model whose attribute ruler uses fields the drop-in does not index keeps
    spaCy's own ruler instead of failing to load."""
    from medlint.nlp_components import install

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "Dr."}]], {"LEMMA": "doctor"})
    install(nlp)
    assert nlp.pipe_names == ["attribute_ruler"]
    assert nlp("See Dr. Lee")[1].lemma_ == "doctor"


def test_spacy_imports_without_its_command_line_which_stays_importable():
    """A fresh process: import_spacy skips spacy.cli (typer, requests), yet it still loads."""
    probe = "\n".join([
        "import sys",
        "from medlint.nlp import import_spacy",
        "sp = import_spacy()",
        "print('requests' in sys.modules, 'spacy.cli' in sys.modules)",
        "import spacy.cli.info",
        "print(callable(sp.info), sys.modules['spacy.cli.info'].__file__ is not None)",
    ])
    seen = subprocess.check_output([sys.executable, "-c", probe], text=True).split()
    assert seen == ["False", "False", "True", "True"]


def test_tokenizer_not_read_from_disk_only_once_proven_equal(tmp_path, monkeypatch):
    from medlint import startcache
    from medlint.nlp import _load_model

    module = next((importlib.import_module(n) for n in AUTO_MODELS
                   if importlib.util.find_spec(n)), None)
    if module is None:
        pytest.skip("no English model installed")
    monkeypatch.setenv("MEDLINT_STARTUP_CACHE", str(tmp_path))
    monkeypatch.setattr(startcache, "_DERIVED", {})
    exclude = ["ner", "parser", "senter"]
    first = _load_model(spacy, module, exclude)  # works the verdict out
    assert list(startcache._DERIVED["spacy-tokenizer"].entries.values())
    second = _load_model(spacy, module, exclude)  # uses it
    assert second.tokenizer.to_bytes() == first.tokenizer.to_bytes()
    assert [t.text for t in second(ODD)] == [t.text for t in first(ODD)]
