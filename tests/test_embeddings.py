"""Encoders: the deterministic fake, backend selection, distinct-text encoding, ONNX parity."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from factcheck.embeddings import HashEncoder, ModelLoadError, backend_name, get_encoder
from factcheck.ingest import encode_unique


def test_hash_encoder_is_deterministic_normalised_and_word_sensitive() -> None:
    enc = HashEncoder(64)
    a = enc.encode(["The harbour will reopen on Monday", "The harbour will reopen on Monday"])
    b = HashEncoder(64).encode(["The harbour will reopen on Monday", "Tariffs on grain rise"])
    assert a.shape == (2, 64) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(a[0], b[0])
    assert float(b[0] @ b[1]) < 0.5
    assert enc.encode([]).shape == (0, 64)


def test_get_encoder_hash_and_backend_names(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(get_encoder("hash"), HashEncoder)
    assert get_encoder("hash-32").dim == 32
    monkeypatch.delenv("FACTCHECK_BACKEND", raising=False)
    assert backend_name() == "torch"
    monkeypatch.setenv("FACTCHECK_BACKEND", "onnx")
    assert backend_name() == "onnx"
    with pytest.raises(ModelLoadError):
        backend_name("tensorflow")


class CountingEncoder(HashEncoder):
    def __init__(self) -> None:
        super().__init__(32)
        self.seen: list[str] = []

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        self.seen += texts
        return super().encode(texts, batch_size)


def test_encode_unique_encodes_each_text_once_and_keeps_order() -> None:
    enc = CountingEncoder()
    texts = ["a wire story", "a local story", "a wire story", "a wire story"]
    vecs = encode_unique(enc, texts)
    assert enc.seen == ["a wire story", "a local story"]
    assert vecs.shape == (4, 32)
    assert np.allclose(vecs, HashEncoder(32).encode(texts))


needs_onnx = pytest.mark.skipif(
    importlib.util.find_spec("onnxruntime") is None or importlib.util.find_spec("onnx") is None,
    reason="the optional onnx extra is not installed")


@pytest.mark.model
@needs_onnx
def test_onnx_backend_gives_the_default_models_vectors(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FACTCHECK_CACHE", str(tmp_path))
    texts = ["The ministry denied sending troops across the river.",
             "Fishing quotas will be cut by a third next season, the commissioner said.", "ok"]
    ref = get_encoder(backend="torch")
    onnx = get_encoder(backend="onnx")
    assert onnx.name == ref.name  # same model: a store accepts either
    a, b = ref.encode(texts), onnx.encode(texts)
    assert np.min(np.sum(a * b, axis=1)) > 0.9999
    int8 = get_encoder(backend="onnx-int8")
    assert int8.name == ref.name + "+int8"  # different vectors: a different model to the store


def test_vector_cache_skips_texts_encoded_in_an_earlier_batch() -> None:
    from factcheck.ingest import VectorCache

    enc = CountingEncoder()
    cache = VectorCache(size=2)
    first = encode_unique(enc, ["one claim", "two claim"], cache)
    again = encode_unique(enc, ["two claim", "three claim"], cache)
    assert enc.seen == ["one claim", "two claim", "three claim"]
    assert np.allclose(again[0], first[1])
    assert list(cache.data) == ["two claim", "three claim"]  # bounded, oldest out first
