"""Candidate pairs as integer codes (``i * n + j``, ``i < j``) built with numpy.

The cross-checker's blocking buckets give tens of thousands of pairs; building them as
Python tuples in sets cost more than a fifth of a report (issue #12). Here each bucket's
pairs are made with array operations and the sets (neighbours, keys, frame-only pairs) are
sorted code arrays; :func:`crosscheck.candidate_pairs` turns the result back into tuples.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=128)
def _upper(m: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.triu_indices(m, 1)
    return a, b


def codes(x: np.ndarray, y: np.ndarray, n: int) -> np.ndarray:
    """Codes of the pairs (x[k], y[k]) in either order; pairs of a claim with itself dropped."""
    keep = x != y
    x, y = x[keep], y[keep]
    return np.minimum(x, y) * n + np.maximum(x, y)


def neighbour_codes(idx: np.ndarray, n: int) -> np.ndarray:
    """Pairs of each row's claim with the neighbours found for it (-1 and out-of-range ids,
    i.e. claims not in the list, left out)."""
    idx = np.asarray(idx, dtype=np.int64)
    if idx.size == 0:
        return np.zeros(0, dtype=np.int64)
    rows = np.repeat(np.arange(len(idx), dtype=np.int64), idx.shape[1])
    cols = idx.ravel()
    ok = (cols >= 0) & (cols < n)
    return codes(rows[ok], cols[ok], n)


def bucket_codes(members: np.ndarray, rank: np.ndarray, cap: int, window: int,
                 signal: np.ndarray | None, n: int) -> np.ndarray:
    """One bucket's pairs: all of them up to ``cap`` members, else each claim with its
    ``window`` next ones in time order (``rank``); with ``signal``, only pairs where one
    claim carries a signal."""
    m = len(members)
    if m < 2:
        return np.zeros(0, dtype=np.int64)
    if m <= cap:
        a, b = _upper(m)
        x, y = members[a], members[b]
    else:
        order = members[np.argsort(rank[members], kind="stable")]
        steps = range(1, min(window, m - 1) + 1)
        x = np.concatenate([order[:-d] for d in steps])
        y = np.concatenate([order[d:] for d in steps])
    if signal is not None:
        keep = signal[x] | signal[y]
        x, y = x[keep], y[keep]
    return codes(x, y, n)


def unique(c: np.ndarray) -> np.ndarray:
    """Sorted distinct codes (np.unique's hash path is ~20x slower on these arrays)."""
    c = np.sort(c)
    keep = np.ones(len(c), dtype=bool)
    np.not_equal(c[1:], c[:-1], out=keep[1:])
    return c[keep]


def union(parts: list[np.ndarray]) -> np.ndarray:
    return unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)


def member(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """For each code of ``a``, whether it is in the sorted codes ``b``."""
    if len(b) == 0:
        return np.zeros(len(a), dtype=bool)
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    return b[at] == a


def difference(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Codes of sorted ``a`` not in sorted ``b``."""
    return a[~member(a, b)]


def to_pairs(c: np.ndarray, n: int) -> set[tuple[int, int]]:
    return set(zip((c // n).tolist(), (c % n).tolist()))


def pair_codes(pairs: list[tuple[int, int]], n: int) -> np.ndarray:
    if not pairs:
        return np.zeros(0, dtype=np.int64)
    a = np.asarray(pairs, dtype=np.int64)
    return codes(a[:, 0], a[:, 1], n)
