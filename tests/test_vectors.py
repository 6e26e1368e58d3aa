"""FaissIndex: index type by size, ids that survive removals, re-ranking, saves."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from factcheck.vectors import FaissIndex, id_fingerprint, nlist_for

DIM = 32


def unit(n: int, seed: int = 0) -> np.ndarray:
    x = np.random.default_rng(seed).normal(size=(n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def sparse_ids(n: int) -> np.ndarray:
    # SQLite ids are sparse after deletes: never assume 0..n-1.
    return np.arange(7, 7 + 3 * n, 3, dtype=np.int64)


def top1(index: FaissIndex, vec: np.ndarray) -> int:
    return int(index.search(vec[None, :], 1)[1][0, 0])


def test_small_index_is_exact_and_finds_itself() -> None:
    x, ids = unit(300), sparse_ids(300)
    index = FaissIndex.build(DIM, ids, x, threshold=1000)
    assert index.kind == "flat"
    assert [top1(index, x[i]) for i in range(0, 300, 37)] == list(ids[0:300:37])


def test_large_index_is_ivf_with_native_ids() -> None:
    x, ids = unit(2000), sparse_ids(2000)
    index = FaissIndex.build(DIM, ids, x, threshold=1000)
    assert index.kind == "ivf-sq8"
    assert index.nlist == nlist_for(2000)
    assert id_fingerprint(index.ids()) == id_fingerprint(ids)
    index.nprobe = index.nlist  # probe everything: the result must be the vector itself
    assert [top1(index, x[i]) for i in range(0, 2000, 199)] == list(ids[0:2000:199])


@pytest.mark.parametrize("n", [300, 2000])
def test_removed_ids_are_gone_and_the_rest_still_map_right(n: int) -> None:
    # IDMap2 over IVF returned the wrong ids after a removal; this pins the fix.
    x, ids = unit(n, seed=1), sparse_ids(n)
    index = FaissIndex.build(DIM, ids, x, threshold=1000)
    index.nprobe = max(index.nlist, 1)
    gone = ids[: n // 10]
    index.remove(gone.tolist())
    assert len(index) == n - len(gone)
    assert not set(index.ids().tolist()) & set(gone.tolist())
    for i in range(n // 10, n, n // 7):
        assert top1(index, x[i]) == ids[i]
    for i in range(0, n // 10, 7):
        assert top1(index, x[i]) != ids[i]


def test_replacement_reuses_nothing_and_finds_the_new_vector() -> None:
    x, ids = unit(1500, seed=2), sparse_ids(1500)
    index = FaissIndex.build(DIM, ids, x, threshold=1000)
    index.nprobe = index.nlist
    new = unit(1, seed=99)[0]
    index.remove([int(ids[5])])
    index.add(np.array([10_000_000]), new[None, :])
    assert top1(index, new) == 10_000_000
    assert len(index) == 1500


def test_flat_index_converts_itself_when_it_grows_past_the_threshold() -> None:
    x, ids = unit(1200, seed=3), sparse_ids(1200)
    index = FaissIndex(DIM, threshold=1000)
    index.add(ids[:900], x[:900])
    assert index.kind == "flat" and not index.needs_rebuild()
    index.add(ids[900:], x[900:])
    assert index.kind == "ivf-sq8"
    assert id_fingerprint(index.ids()) == id_fingerprint(ids)
    index.nprobe = index.nlist
    assert top1(index, x[1100]) == ids[1100]


def test_ivf_index_asks_for_a_rebuild_when_far_past_its_training() -> None:
    x, ids = unit(20_000, seed=4), sparse_ids(20_000)
    index = FaissIndex.build(DIM, ids[:4000], x[:4000], threshold=1000)
    index.add(ids[4000:10_000], x[4000:10_000])
    assert not index.needs_rebuild()
    index.add(ids[10_000:], x[10_000:])  # 5x the training size
    assert nlist_for(20_000) >= 2 * index.nlist
    assert index.needs_rebuild()
    index.remove(ids[400:].tolist())  # shrunk below half the threshold
    assert index.needs_rebuild()


def test_exact_rerank_gives_exact_scores_and_order() -> None:
    x, ids = unit(3000, seed=5), sparse_ids(3000)
    index = FaissIndex.build(DIM, ids, x, threshold=1000)
    index.nprobe = index.nlist
    index.k_factor = 20

    def exact(want: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = np.searchsorted(ids, want)
        return want[::-1], x[rows][::-1]  # any order: the index must not rely on it

    index.exact = exact
    q = unit(3, seed=6)
    scores, got = index.search(q, 10)
    truth = np.argsort(-(q @ x.T), axis=1)[:, :10]
    assert (got == ids[truth]).all()
    assert np.allclose(scores, np.take_along_axis(q @ x.T, truth, axis=1), atol=1e-5)


def test_search_on_empty_and_k_larger_than_index() -> None:
    index = FaissIndex(DIM)
    s, i = index.search(unit(2), 5)
    assert s.shape == (2, 0) and i.shape == (2, 0)
    index.add(sparse_ids(3), unit(3))
    s, i = index.search(unit(1), 10)
    assert i.shape == (1, 3)


def test_dimension_and_count_mismatches_raise() -> None:
    index = FaissIndex(DIM)
    with pytest.raises(ValueError):
        index.add(np.array([1]), np.zeros((1, DIM + 1), dtype=np.float32))
    with pytest.raises(ValueError):
        index.add(np.array([1, 2]), np.zeros((1, DIM), dtype=np.float32))


@pytest.mark.parametrize("n", [200, 1500])
def test_save_and_load_round_trip(tmp_path: Path, n: int) -> None:
    x, ids = unit(n, seed=7), sparse_ids(n)
    index = FaissIndex.build(DIM, ids, x, threshold=1000)
    index.remove([int(ids[3])])
    path = tmp_path / "quotes.faiss"
    index.save(path)
    loaded = FaissIndex.load(path, DIM, threshold=1000)
    assert loaded.kind == index.kind
    assert id_fingerprint(loaded.ids()) == id_fingerprint(index.ids())
    loaded.nprobe = max(loaded.nlist, 1)
    assert top1(loaded, x[10]) == ids[10]
    assert np.allclose(loaded.reconstruct(int(ids[10])), x[10], atol=0.02)
    with pytest.raises(ValueError):
        FaissIndex.load(path, DIM + 1)


def test_corrupt_or_outdated_files_are_refused(tmp_path: Path) -> None:
    import faiss

    bad = tmp_path / "bad.faiss"
    bad.write_bytes(b"not an index")
    with pytest.raises(ValueError):
        FaissIndex.load(bad, DIM)
    # The previous IVF layout (IDMap2 over IVF) is refused so the store rebuilds it.
    x = unit(400)
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, 4, faiss.METRIC_INNER_PRODUCT)
    ivf.train(x)
    old = faiss.IndexIDMap2(ivf)
    old.add_with_ids(x, sparse_ids(400))
    faiss.write_index(old, str(tmp_path / "old.faiss"))
    with pytest.raises(ValueError):
        FaissIndex.load(tmp_path / "old.faiss", DIM)
