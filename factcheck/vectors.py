"""The vector index: FAISS behind a small interface, ids shared with SQLite.

SQLite is the system of record and keeps every embedding; the FAISS file is a derived cache
that can always be rebuilt from it without a model. So a crash between a SQLite commit and an
index save loses nothing: on open, ``reconcile`` brings the index back in line with the store.

Index type is chosen by size: exact inner product (``IndexFlatIP``) below
``IVF_THRESHOLD`` vectors; above it an IVF index with 8-bit scalar quantisation whose top
candidates are re-ranked exactly (``IndexRefineFlat``), so recall stays close to exact search.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

IVF_THRESHOLD = 50_000


class VectorIndex(Protocol):
    """What the rest of factcheck needs from a vector index."""

    dim: int

    def __len__(self) -> int: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, ids: Iterable[int]) -> None: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Return (scores, ids), each shaped (len(queries), k); missing slots have id -1."""
        ...

    def ids(self) -> np.ndarray: ...

    def save(self, path: Path) -> None: ...


def _faiss() -> Any:
    import faiss  # lazy: ~0.3 s import, not needed by model-free commands

    return faiss


def _nlist_for(n: int) -> int:
    # ~4·sqrt(n) lists, the usual FAISS guidance, with enough points per list to train.
    return max(16, min(int(4 * np.sqrt(n)), n // 39))


class FaissIndex:
    """A FAISS index with 64-bit ids (``IndexIDMap2``) and atomic saves."""

    def __init__(self, dim: int, index: Any = None) -> None:
        faiss = _faiss()
        self.dim = dim
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.nprobe = 32

    # -- construction -------------------------------------------------------------------
    @classmethod
    def build(cls, dim: int, ids: np.ndarray, vectors: np.ndarray,
              threshold: int = IVF_THRESHOLD) -> FaissIndex:
        """Build the right index type for ``len(ids)`` vectors."""
        faiss = _faiss()
        n = len(ids)
        if n < threshold:
            out = cls(dim)
            out.add(ids, vectors)
            return out
        nlist = _nlist_for(n)
        quantizer = faiss.IndexFlatIP(dim)
        ivf = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        rng = np.random.default_rng(0)  # deterministic training sample
        sample = vectors[rng.choice(n, size=min(n, nlist * 64), replace=False)]
        ivf.train(sample)
        refine = faiss.IndexRefineFlat(ivf)
        refine.k_factor = 4.0
        index = faiss.IndexIDMap2(refine)
        out = cls(dim, index)
        out.add(ids, vectors)
        log.info("built IVF-SQ8 index: %d vectors, %d lists", n, nlist)
        return out

    @property
    def kind(self) -> str:
        return "flat" if self._is_flat() else "ivf-sq8-refine"

    def _is_flat(self) -> bool:
        faiss = _faiss()
        inner = faiss.downcast_index(self._index.index)
        return isinstance(inner, faiss.IndexFlat)

    # -- interface ----------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.shape[1] != self.dim:
            raise ValueError(f"vector dimension {vectors.shape[1]} != index dimension {self.dim}")
        self._index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Iterable[int]) -> None:
        arr = np.asarray(list(ids), dtype=np.int64)
        if len(arr):
            faiss = _faiss()
            self._index.remove_ids(faiss.IDSelectorArray(len(arr), faiss.swig_ptr(arr)))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        if len(self) == 0 or k <= 0:
            n = len(queries)
            return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
        if not self._is_flat():
            faiss = _faiss()
            ivf = faiss.extract_index_ivf(self._index)
            ivf.nprobe = self.nprobe
        scores, ids = self._index.search(queries, min(k, len(self)))
        return scores, ids

    def ids(self) -> np.ndarray:
        faiss = _faiss()
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)

    def save(self, path: Path) -> None:
        """Write atomically: temp file in the same directory, fsync, rename."""
        faiss = _faiss()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            faiss.write_index(self._index, tmp)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
            dir_fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def load(cls, path: Path, dim: int) -> FaissIndex:
        """Read an index file; raises ``ValueError`` when it is unreadable or mismatched."""
        faiss = _faiss()
        try:
            index = faiss.read_index(str(path))
        except Exception as exc:  # faiss raises RuntimeError on a corrupt file
            raise ValueError(f"unreadable index file {path}: {exc}") from exc
        if index.d != dim:
            raise ValueError(f"index {path} has dimension {index.d}, expected {dim}")
        if not isinstance(index, faiss.IndexIDMap2):
            raise ValueError(f"index {path} is not an id-mapped index")
        return cls(dim, index)


def id_fingerprint(ids: np.ndarray) -> tuple[int, int, int]:
    """A cheap order-free fingerprint of an id set: count, sum, sum of squares (mod 2^64)."""
    arr = np.asarray(ids, dtype=np.int64)
    with np.errstate(over="ignore"):
        return int(len(arr)), int(arr.sum()), int(np.sum(arr * arr))
