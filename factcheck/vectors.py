"""The vector index: FAISS behind a small interface, ids shared with SQLite.

SQLite is the system of record and keeps every embedding; the FAISS file is a derived cache
that can always be rebuilt from it without a model. So a crash between a SQLite commit and an
index save loses nothing: on open, the store brings the index back in line with its rows.

The index type is chosen by size:

- below ``IVF_THRESHOLD`` vectors, exact inner product (``IndexFlatIP`` in an
  ``IndexIDMap2``): exact, and fast enough at that size;
- above it, an inverted-file index with 8-bit scalar quantisation (``IndexIVFScalarQuantizer``)
  holding the SQLite ids natively, with a hash-table direct map so ids can be removed and
  reconstructed. A search fetches ``k_factor``·k candidates and, when the index was given
  an ``exact`` source of the stored float vectors (the store's copy), re-ranks them exactly.

Why not ``IndexRefineFlat`` or ``IndexIDMap2`` over an IVF index: the first cannot remove
ids, and the second maps ids wrongly after a removal (it renumbers as if the inner index
were flat). Both were the previous design; ``tests/test_vectors.py`` pins the behaviour.

A flat index that grows past the threshold converts itself to IVF on ``add`` (it holds
every exact vector, so nothing is lost). An IVF index that has grown well past what its
lists were trained for (or shrunk below the threshold) reports ``needs_rebuild``; the
ingest pipeline then rebuilds it from SQLite's exact vectors.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)

IVF_THRESHOLD = 50_000
# Over-fetch for exact re-ranking, and lists probed per query. Tuned on 1M clustered
# vectors (bench/bench_search.py). Each re-ranked candidate costs one SQLite row read
# (~50 us), so the over-fetch is kept small: 8-bit codes rarely swap neighbours.
K_FACTOR = 2
NPROBE = 16
MIN_NPROBE = 8
# Points per list used to train the coarse quantiser (FAISS warns below 39).
TRAIN_PER_LIST = 48
TRAIN_ITERATIONS = 12
SMALL_BATCH = 16  # below this many queries a search runs on one thread

ExactSource = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]


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


def nlist_for(n: int) -> int:
    """Inverted lists for ``n`` vectors: about sqrt(n) (at most 8192), 39+ points per list.

    sqrt(n) keeps both the coarse search (nlist centroids) and the list scan (nprobe·n/nlist
    codes) small; 1000 lists at 1M vectors. FAISS wants 39 training points per list.
    """
    return int(max(1, min(8192, round(np.sqrt(max(n, 1))), n // 39)))


class FaissIndex:
    """A FAISS index keyed by 64-bit SQLite ids, with atomic saves. See the module doc."""

    def __init__(self, dim: int, index: Any = None, threshold: int | None = None) -> None:
        faiss = _faiss()
        self.dim = dim
        self.threshold = IVF_THRESHOLD if threshold is None else threshold
        self._index = index if index is not None else faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.nprobe = NPROBE
        self.k_factor = K_FACTOR
        # ids -> (ids, exact float32 vectors); set by the owner of the exact copy (the store).
        self.exact: ExactSource | None = None

    # -- construction -------------------------------------------------------------------
    @classmethod
    def build(cls, dim: int, ids: np.ndarray, vectors: np.ndarray,
              threshold: int | None = None) -> FaissIndex:
        """Build the right index type for ``len(ids)`` vectors."""
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) < (IVF_THRESHOLD if threshold is None else threshold):
            out = cls(dim, threshold=threshold)
            out.add(ids, vectors)
            return out
        return cls(dim, _build_ivf(dim, ids, vectors), threshold=threshold)

    @property
    def kind(self) -> str:
        return "flat" if self._ivf() is None else "ivf-sq8"

    def _ivf(self) -> Any:
        """The IVF index, or None for a flat one."""
        faiss = _faiss()
        inner = faiss.downcast_index(self._index)
        return inner if isinstance(inner, faiss.IndexIVF) else None

    @property
    def nlist(self) -> int:
        ivf = self._ivf()
        return 0 if ivf is None else int(ivf.nlist)

    def needs_rebuild(self) -> bool:
        """True when the index type or its list count no longer suits its size."""
        n = len(self)
        ivf = self._ivf()
        if ivf is None:
            return n >= self.threshold  # only after a bulk load that bypassed ``add``
        # Lists trained for a quarter of today's size are ~2x too coarse; below half the
        # threshold the exact index is as fast and exact.
        return n < self.threshold // 2 or nlist_for(n) >= 2 * int(ivf.nlist)

    # -- interface ----------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) == 0:
            return
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise ValueError(f"vector dimension {vectors.shape[-1]} != index dimension "
                             f"{self.dim}")
        if len(vectors) != len(ids):
            raise ValueError(f"{len(ids)} ids for {len(vectors)} vectors")
        if self._ivf() is None and len(self) + len(ids) >= self.threshold:
            # Growing past the threshold: the flat index holds every exact vector, so the
            # IVF index can be trained on them and nothing is approximated twice.
            old_ids, old_vecs = self._flat_contents()
            all_ids = np.concatenate([old_ids, ids])
            all_vecs = np.concatenate([old_vecs, vectors])
            self._index = _build_ivf(self.dim, all_ids, all_vecs)
            return
        self._index.add_with_ids(vectors, ids)

    def remove(self, ids: Iterable[int]) -> None:
        arr = np.asarray(list(ids), dtype=np.int64)
        if len(arr):
            faiss = _faiss()
            self._index.remove_ids(faiss.IDSelectorArray(len(arr), faiss.swig_ptr(arr)))

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(np.atleast_2d(queries), dtype=np.float32)
        n = len(queries)
        if len(self) == 0 or k <= 0:
            return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
        k = min(k, len(self))
        ivf = self._ivf()
        with _threads_for(n):
            if ivf is None:
                return self._index.search(queries, k)
            ivf.nprobe = max(MIN_NPROBE, min(self.nprobe, int(ivf.nlist)))
            fetch = min(len(self), max(k, int(np.ceil(k * self.k_factor))))
            scores, ids = ivf.search(queries, fetch)
        if self.exact is None:
            return scores[:, :k], ids[:, :k]
        return self._rerank(queries, scores, ids, k)

    def _rerank(self, queries: np.ndarray, scores: np.ndarray, ids: np.ndarray, k: int
                ) -> tuple[np.ndarray, np.ndarray]:
        """Exact inner products for the candidates, from the exact source."""
        assert self.exact is not None
        want = np.unique(ids[ids >= 0])
        got_ids, mat = self.exact(want)
        got_ids = np.asarray(got_ids, dtype=np.int64)
        order = np.argsort(got_ids)
        got_ids, mat = got_ids[order], np.asarray(mat, dtype=np.float32)[order]
        pos = np.clip(np.searchsorted(got_ids, ids), 0, max(len(got_ids) - 1, 0))
        found = (ids >= 0) & (len(got_ids) > 0)
        if len(got_ids):
            found &= got_ids[pos] == ids
        exact = scores.astype(np.float32).copy()  # ids without an exact vector keep theirs
        if found.any():
            rows, cols = np.nonzero(found)
            exact[rows, cols] = np.einsum("ij,ij->i", mat[pos[rows, cols]], queries[rows])
        exact[ids < 0] = -np.inf
        top = np.argsort(-exact, axis=1, kind="stable")[:, :k]
        out_s = np.take_along_axis(exact, top, axis=1)
        out_i = np.take_along_axis(ids, top, axis=1)
        out_i[~np.isfinite(out_s)] = -1
        return out_s, out_i

    def ids(self) -> np.ndarray:
        faiss = _faiss()
        ivf = self._ivf()
        if ivf is None:
            return faiss.vector_to_array(self._index.id_map).astype(np.int64)
        invlists = ivf.invlists
        parts = []
        for lst in range(int(ivf.nlist)):
            size = invlists.list_size(lst)
            if size:
                ptr = invlists.get_ids(lst)
                parts.append(np.array(faiss.rev_swig_ptr(ptr, size), dtype=np.int64))
                invlists.release_ids(lst, ptr)
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def reconstruct(self, id_: int) -> np.ndarray:
        """The stored vector for ``id_`` (decoded from 8 bits in an IVF index)."""
        return np.asarray(self._index.reconstruct(int(id_)), dtype=np.float32)

    def _flat_contents(self) -> tuple[np.ndarray, np.ndarray]:
        faiss = _faiss()
        flat = faiss.downcast_index(self._index.index)
        n = int(flat.ntotal)
        vecs = faiss.rev_swig_ptr(flat.get_xb(), n * self.dim)
        return self.ids(), np.array(vecs, dtype=np.float32).reshape(n, self.dim)

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
    def load(cls, path: Path, dim: int, threshold: int | None = None) -> FaissIndex:
        """Read an index file; raises ``ValueError`` when it is unreadable or mismatched."""
        faiss = _faiss()
        try:
            index = faiss.read_index(str(path))
        except Exception as exc:  # faiss raises RuntimeError on a corrupt file
            raise ValueError(f"unreadable index file {path}: {exc}") from exc
        if index.d != dim:
            raise ValueError(f"index {path} has dimension {index.d}, expected {dim}")
        if isinstance(index, faiss.IndexIDMap2):
            if not isinstance(faiss.downcast_index(index.index), faiss.IndexFlat):
                # The previous design (IDMap2 over IVF/refine) mis-maps ids after removals.
                raise ValueError(f"index {path} is of an outdated kind")
        elif not isinstance(index, faiss.IndexIVFScalarQuantizer):
            raise ValueError(f"index {path} is not a factcheck index")
        return cls(dim, index, threshold=threshold)


@contextlib.contextmanager
def _threads_for(n_queries: int) -> Iterator[None]:
    """One OpenMP thread for a handful of queries: the fork/join costs more than the work
    (measured 2 ms vs 55 ms for one query on a busy 2-core machine)."""
    if n_queries >= SMALL_BATCH:
        yield
        return
    faiss = _faiss()
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


def _build_ivf(dim: int, ids: np.ndarray, vectors: np.ndarray) -> Any:
    faiss = _faiss()
    n = len(ids)
    nlist = nlist_for(n)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    quantizer = faiss.IndexFlatIP(dim)
    ivf = faiss.IndexIVFScalarQuantizer(
        quantizer, dim, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    ivf.cp.niter = TRAIN_ITERATIONS
    ivf.cp.seed = 1234
    rng = np.random.default_rng(0)  # deterministic training sample
    size = min(n, nlist * TRAIN_PER_LIST)
    sample = vectors[np.sort(rng.choice(n, size=size, replace=False))]
    ivf.train(sample)
    # A hash-table direct map: ids are SQLite's (sparse), removal and reconstruct by id work.
    ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
    ivf.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
    log.info("built IVF-SQ8 index: %d vectors, %d lists", n, nlist)
    return ivf


def id_fingerprint(ids: np.ndarray) -> tuple[int, int, int]:
    """A cheap order-free fingerprint of an id set: count, sum, sum of squares (mod 2^64)."""
    arr = np.asarray(ids, dtype=np.int64)
    with np.errstate(over="ignore"):
        return int(len(arr)), int(arr.sum()), int(np.sum(arr * arr))
