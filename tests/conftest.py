"""Shared fixtures: paths, the spaCy model (loaded once), a fake encoder, a seeded store."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_EVAL = ROOT.parent / "shared" / "eval"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    """../shared/eval, or skip when this checkout has no shared data beside it."""
    if not SHARED_EVAL.is_dir():
        pytest.skip(f"{SHARED_EVAL} not present")
    return SHARED_EVAL


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    from factcheck.nlp import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def hash_encoder():  # type: ignore[no-untyped-def]
    from factcheck.embeddings import HashEncoder

    return HashEncoder(384)


@pytest.fixture(scope="session")
def seeded_index(tmp_path_factory: pytest.TempPathFactory, hash_encoder) -> Path:  # type: ignore[no-untyped-def]
    """An index directory holding the five seeds, ingested once with the hash encoder.

    Tests must not write to it: copy it with ``seeded_copy`` to modify.
    """
    from factcheck.ingest import ingest
    from factcheck.store import Store

    root = tmp_path_factory.mktemp("seeded") / "index"
    with Store.open(root) as store:
        summary = ingest([str(SEEDS)], store, hash_encoder)
    assert not summary.errors, summary.errors
    return root


@pytest.fixture()
def seeded_copy(seeded_index: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the seeded index."""
    dest = tmp_path / "index"
    shutil.copytree(seeded_index, dest)
    return dest
