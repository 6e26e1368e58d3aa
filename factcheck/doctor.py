"""Checking a store: do SQLite and the FAISS indexes agree, and do offsets hold? Repair.

On PostgreSQL (no derived files) the checks are the data ones: hashes, offsets, speakers,
embeddings.

``diagnose(store)`` looks at everything that can drift after a crash, a kill, a copy or a
hand edit, and returns a ``DoctorReport`` of ``Finding`` items. With ``repair=True`` (the
store must be writable; the writer lock is taken) it fixes what can be fixed from SQLite
alone: index files are patched or rebuilt and re-recorded, stray temp files removed, the
full-text index rebuilt, quotes whose offsets drifted re-anchored on their text, unused
speakers pruned. What needs a model (rows without an embedding) is fixed only when an
encoder is passed, and what needs the original input (an article whose text no longer
holds its quotes) is reported with the command that fixes it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .store import INDEX_FILES, LOCK_NAME, SCHEMA_VERSION, Store

log = logging.getLogger(__name__)

MAX_EXAMPLES = 5
VECTOR_SAMPLE = 256  # index vectors compared with SQLite's copy, per index
VECTOR_TOLERANCE = 1e-4  # exact indexes; quantised ones get a looser bound below
QUANTISED_TOLERANCE = 0.05


@dataclass
class Finding:
    """One thing doctor looked at. ``severity``: ok | info | warning | error."""

    check: str
    severity: str
    message: str
    count: int = 0
    repaired: bool = False
    examples: list[str] = field(default_factory=list)

    @property
    def problem(self) -> bool:
        return self.severity in ("warning", "error") and not self.repaired


@dataclass
class DoctorReport:
    index: str
    schema_version: int
    known_schema_version: int
    model: str | None
    dim: int | None
    counts: dict[str, int]
    findings: list[Finding] = field(default_factory=list)
    repaired: bool = False  # repair was asked for

    @property
    def ok(self) -> bool:
        """True when nothing is left to fix."""
        return not any(f.problem for f in self.findings)

    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.problem]


def writer_active(store: Store) -> bool:
    """Is another process holding the writer lock right now?"""
    import fcntl

    if store.locked or store.backend != "sqlite":
        return False
    path = store.root / LOCK_NAME
    if not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def diagnose(store: Store, repair: bool = False, encoder: Any = None,
             prune_speakers: bool = True) -> DoctorReport:
    """Check ``store`` (and repair it when ``repair``); see the module doc."""
    if repair:
        if store.readonly:
            raise ValueError("repair needs a store opened for writing")
        store.lock()
    model, dim = store.embedding_model()
    report = DoctorReport(
        index=store.describe(), schema_version=store.schema_version(),
        known_schema_version=SCHEMA_VERSION, model=model, dim=dim, counts=store.counts(),
        repaired=repair,
    )
    add = report.findings.append
    add(Finding("schema", "ok", f"schema version {report.schema_version} "
                f"(this factcheck knows {SCHEMA_VERSION})"))
    add(Finding("model", "ok" if model else "info",
                f"embedding model {model} ({dim} dimensions)" if model
                else "no embeddings yet (nothing ingested with quotes)"))
    if not repair and writer_active(store):
        add(Finding("lock", "info", "another process is writing to this store: an index "
                    "briefly behind SQLite may just be mid-save"))
    # SQLite keeps derived files beside the database (FTS5 table, FAISS indexes) that can
    # drift; on PostgreSQL the database is the only copy and checks its own integrity.
    files = store.backend == "sqlite"
    if files:
        _check_sqlite(store, repair, add)
    _check_hashes(store, repair, add)
    _check_offsets(store, "quotes", repair, add)
    _check_offsets(store, "claims", repair, add)
    if files:
        _check_fts(store, repair, add)
    _check_speakers(store, repair and prune_speakers, add)
    _check_conflicts(store, repair, add)
    if dim is not None:
        if files:
            _check_blobs(store, dim, repair, add)
        _check_unembedded(store, model, repair, encoder, add)
    if not files:
        _check_pg_indexes(store, repair, add)
    if files:
        _check_temp_files(store, repair, add)
        for name in INDEX_FILES:
            _check_index(store, name, dim, repair, add)
    if repair:
        store.save_indexes()
        report.counts = store.counts()
    return report


# -- checks -----------------------------------------------------------------------------------

def _check_sqlite(store: Store, repair: bool, add: Any) -> None:
    rows = [r[0] for r in store.conn.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        add(Finding("sqlite", "error", "SQLite reports damage: " + "; ".join(rows[:3])
                    + " (not repairable here: move the index aside and re-ingest)",
                    count=len(rows), examples=rows[:MAX_EXAMPLES]))
        return
    bad = store.conn.execute("PRAGMA foreign_key_check").fetchall()
    if not bad:
        add(Finding("sqlite", "ok", "SQLite integrity and references ok"))
        return
    examples = [f"{r[0]} row {r[1]} -> missing {r[2]}" for r in bad[:MAX_EXAMPLES]]
    finding = Finding("references", "error",
                      f"{len(bad)} row(s) point at rows that no longer exist", count=len(bad),
                      examples=examples)
    if repair:
        with store.transaction():
            for table, rowid, parent, _ in bad:
                if parent == "articles" or table in ("speaker_aliases", "speaker_roles"):
                    store.conn.execute(f"DELETE FROM {table} WHERE rowid=?", (rowid,))
                elif parent == "speakers":
                    store.conn.execute(f"UPDATE {table} SET speaker_id=NULL WHERE rowid=?",
                                       (rowid,))
                elif parent == "quotes":
                    store.conn.execute(f"UPDATE {table} SET quote_id=NULL WHERE rowid=?",
                                       (rowid,))
        finding.repaired = not store.conn.execute("PRAGMA foreign_key_check").fetchall()
        finding.message += "; dangling rows removed or unlinked"
    add(finding)


def _check_hashes(store: Store, repair: bool, add: Any) -> None:
    bad = []
    for aid, text, h in store.article_hashes():
        if hashlib.sha256(text.encode("utf-8", errors="replace")).hexdigest() != h:
            bad.append(aid)
    if not bad:
        add(Finding("articles", "ok", "every article's text matches its content hash"))
        return
    finding = Finding("articles", "warning",
                      f"{len(bad)} article(s) changed since ingest (text does not match its "
                      "hash); re-ingest them to re-attribute", count=len(bad),
                      examples=bad[:MAX_EXAMPLES])
    add(finding)


def _check_offsets(store: Store, table: str, repair: bool, add: Any) -> None:
    """Every quote (claim) text must be exactly ``article.text[start:end]``."""
    rows = store.misplaced(table)
    # The database counts characters as Python does, but confirm each hit in Python.
    bad = [r for r in rows if r["atext"][r["start"]:r["end"]] != r["text"]
           or r["start"] < 0 or r["end"] < r["start"]]
    what = "quote" if table == "quotes" else "claim"
    if not bad:
        add(Finding(f"{what}-offsets", "ok", f"every {what}'s offsets point at its text"))
        return
    examples = [f"{what} {r['id']} in {r['article_id']} [{r['start']}:{r['end']}]: "
                f"{r['text'][:40]!r}" for r in bad[:MAX_EXAMPLES]]
    finding = Finding(f"{what}-offsets", "error",
                      f"{len(bad)} {what}(s) whose offsets do not point at their text",
                      count=len(bad), examples=examples)
    if repair:
        fixed = 0
        with store.transaction():
            for r in bad:
                start = _relocate(r["atext"], r["text"], r["start"])
                if start is None:
                    continue
                store.set_offsets(table, r["id"], start, start + len(r["text"]))
                fixed += 1
        finding.repaired = fixed == len(bad)
        finding.message += (f"; re-anchored {fixed}" + ("" if finding.repaired else
                            f", {len(bad) - fixed} not found in their article (re-ingest it)"))
    add(finding)


def _relocate(text: str, needle: str, near: int) -> int | None:
    """The occurrence of ``needle`` in ``text`` closest to ``near``, or None."""
    if not needle:
        return None
    best = None
    pos = text.find(needle)
    while pos != -1:
        if best is None or abs(pos - near) < abs(best - near):
            best = pos
        pos = text.find(needle, pos + 1)
    return best


def _check_fts(store: Store, repair: bool, add: Any) -> None:
    try:
        store.conn.execute("INSERT INTO quotes_fts(quotes_fts, rank) VALUES('integrity-check', 1)")
        add(Finding("fulltext", "ok", "full-text index agrees with the quotes"))
        return
    except sqlite3.DatabaseError as exc:
        finding = Finding("fulltext", "error", f"full-text index is out of step ({exc})")
    if repair:
        with store.transaction():
            store.conn.execute("INSERT INTO quotes_fts(quotes_fts) VALUES('rebuild')")
        finding.repaired = True
        finding.message += "; rebuilt"
    add(finding)


def _check_speakers(store: Store, repair: bool, add: Any) -> None:
    unused = store.unused_speakers()
    if not unused:
        add(Finding("speakers", "ok", "every speaker has quotes or claims"))
        return
    finding = Finding("speakers", "warning",
                      f"{len(unused)} speaker(s) with no quotes or claims (left behind by "
                      "re-ingested articles)", count=len(unused),
                      examples=[f"{i}: {name}" for i, name in unused[:MAX_EXAMPLES]])
    if repair:
        with store.transaction():
            store.delete_speakers([i for i, _ in unused])
        finding.repaired = True
        finding.message += "; pruned"
    add(finding)


def _check_conflicts(store: Store, repair: bool, add: Any) -> None:
    """The stored conflicts (issue #16): every member claim exists, every claim is judged
    or queued. A broken table is cleared by repair: the next report judges everything."""
    from .incremental import BASIS_KEY, basis

    h = store.conflict_health()
    bad = {k: h[k] for k in ("missing_members", "memberless", "unaccounted_claims",
                             "orphan_judged") if h[k]}
    if not bad:
        waiting = []
        if h["queued"]:
            waiting.append(f"{h['queued']} claim(s) not judged yet")
        if h["stale"]:
            waiting.append(f"{h['stale']} conflict(s) to re-judge (claims deleted)")
        stored_basis = store.get_meta(BASIS_KEY)
        if stored_basis is not None and stored_basis != basis(store):
            waiting.append("conflicts from another model or version")
        msg = f"{h['conflicts']} stored conflict(s) consistent with the claims"
        add(Finding("conflicts", "info" if waiting else "ok",
                    msg + ("; " + ", ".join(waiting) + ": the next `factcheck report` judges "
                           "them" if waiting else "")))
        return
    finding = Finding("conflicts", "error", "stored conflicts out of step with the claims: "
                      + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in bad.items())
                      + " (fix: factcheck doctor --repair, or factcheck report --rebuild)",
                      count=sum(bad.values()))
    if repair:
        with store.transaction():
            store.reset_conflicts()
        finding.repaired = True
        finding.message += "; cleared, every claim queued for the next report"
    add(finding)


def _check_blobs(store: Store, dim: int, repair: bool, add: Any) -> None:
    for table in INDEX_FILES:
        bad = [r[0] for r in store.conn.execute(
            f"SELECT id FROM {table} WHERE vector IS NOT NULL AND length(vector) != ?",
            (dim * 4,))]
        if not bad:
            continue
        finding = Finding(f"{table}-vectors", "error",
                          f"{len(bad)} {table} row(s) hold an embedding of the wrong size",
                          count=len(bad), examples=[str(i) for i in bad[:MAX_EXAMPLES]])
        if repair:
            with store.transaction():
                for i in range(0, len(bad), 900):
                    chunk = bad[i:i + 900]
                    store.conn.execute(
                        f"UPDATE {table} SET vector=NULL WHERE id IN "
                        f"({','.join('?' * len(chunk))})", chunk)
            finding.repaired = True
            finding.message += "; cleared (they count as unembedded now)"
        add(finding)


def _check_unembedded(store: Store, model: str | None, repair: bool, encoder: Any,
                      add: Any) -> None:
    n_q = store.unembedded("quotes")
    n_c = store.unembedded("claims")
    n = n_q + n_c
    if not n:
        add(Finding("embeddings", "ok", "every quote and claim has an embedding"))
        return
    finding = Finding("embeddings", "warning",
                      f"{n_q} quote(s) and {n_c} claim(s) have no embedding "
                      f"(search cannot find them; run `factcheck doctor --repair --model "
                      f"{model}` or `factcheck reindex --model {model}`)", count=n)
    if repair and encoder is not None:
        from .ingest import embed_stored

        if encoder.name != model:
            finding.message += f"; not re-embedded: the store uses {model!r}, not {encoder.name!r}"
            add(finding)
            return
        embed_stored(store, encoder, only_missing=True)
        finding.repaired = True
        finding.message += f"; embedded {n} with {encoder.name}"
    add(finding)


def _check_pg_indexes(store: Any, repair: bool, add: Any) -> None:
    missing = store.missing_indexes()
    if not missing:
        add(Finding("vector-index", "ok", "HNSW vector indexes present"))
        return
    finding = Finding("vector-index", "warning", f"missing {', '.join(missing)} (searches scan "
                      "every vector; fix: `factcheck doctor --repair`)", count=len(missing))
    if repair:
        store.rebuild_indexes()
        finding.repaired = True
        finding.message += "; rebuilt"
    add(finding)


def _check_temp_files(store: Store, repair: bool, add: Any) -> None:
    temps = sorted(p for f in INDEX_FILES.values() for p in store.root.glob(f + ".*.tmp"))
    if not temps:
        return
    finding = Finding("temp-files", "warning",
                      f"{len(temps)} temp file(s) left by an interrupted index save",
                      count=len(temps), examples=[p.name for p in temps[:MAX_EXAMPLES]])
    if repair:
        # The lock is held, so no save is in progress: these are leftovers. (Store.lock
        # already removed them; count what is still there.)
        left = [p for p in temps if p.exists()]
        for p in left:
            p.unlink()
        finding.repaired = True
        finding.message += "; removed"
    add(finding)


def _check_index(store: Store, name: str, dim: int | None, repair: bool, add: Any) -> None:
    from .vectors import id_fingerprint

    check = f"index:{name}"
    path = store.root / INDEX_FILES[name]
    db_ids = store.vector_ids(name)
    if dim is None:
        if path.exists():
            add(Finding(check, "warning", f"{path.name} exists but the store records no "
                        "embedding model", repaired=False))
        return
    try:
        index = store.load_index_file(name)
    except ValueError as exc:
        finding = Finding(check, "error", f"{path.name} is unreadable or of the wrong "
                          f"shape ({exc})")
        _rebuild(store, name, finding, repair)
        add(finding)
        return
    if index is None:
        sev = "error" if len(db_ids) else "info"
        finding = Finding(check, sev, f"{path.name} is missing ({len(db_ids)} vector(s) in "
                          "SQLite)", count=len(db_ids))
        if len(db_ids):
            _rebuild(store, name, finding, repair)
        add(finding)
        return

    ids = index.ids()
    uniq, counts = np.unique(ids, return_counts=True)
    dups = uniq[counts > 1]
    have, want = set(uniq.tolist()), set(db_ids.tolist())
    orphans = sorted(have - want)
    missing = sorted(want - have)
    problems = []
    if orphans:
        problems.append(f"{len(orphans)} orphan vector(s) (no row in SQLite)")
    if missing:
        problems.append(f"{len(missing)} missing vector(s) (rows not in the index)")
    if len(dups):
        problems.append(f"{len(dups)} id(s) held more than once")
    wrong = _compare_vectors(store, name, index, sorted(have & want))
    if wrong:
        problems.append(f"{len(wrong)} sampled vector(s) differ from SQLite's copy")

    recorded = store.index_state(name)
    file_fp = id_fingerprint(ids)
    record_note = ""
    if recorded is None:
        record_note = "no save recorded"
    elif (recorded.get("count"), recorded.get("sum"), recorded.get("sumsq")) != file_fp:
        record_note = "the file is not the one last recorded (interrupted save, or copied in)"

    if not problems:
        msg = f"{path.name}: {len(ids)} vector(s), agrees with SQLite ({index.kind})"
        finding = Finding(check, "ok", msg)
        if record_note:
            finding = Finding(check, "info", msg + f"; {record_note}")
            if repair:
                store.record_index(name, index)
                finding.repaired = True
                finding.message += "; re-recorded"
        add(finding)
        return
    examples = ([f"orphan id {i}" for i in orphans[:MAX_EXAMPLES]]
                + [f"missing id {i}" for i in missing[:MAX_EXAMPLES]])
    finding = Finding(check, "error", f"{path.name} disagrees with SQLite: "
                      + ", ".join(problems) + (f"; {record_note}" if record_note else ""),
                      count=len(orphans) + len(missing) + len(dups) + len(wrong),
                      examples=examples)
    if repair:
        if len(dups) or wrong or store.repair_index(name, index) is None:
            _rebuild(store, name, finding, repair)
        else:
            store.set_index(name, index)
            finding.repaired = True
            finding.message += "; patched from SQLite"
    add(finding)


def _compare_vectors(store: Store, name: str, index: Any, common: list[int]) -> list[int]:
    """Ids among a sample of ``common`` whose index vector differs from SQLite's."""
    if not common:
        return []
    step = max(1, len(common) // VECTOR_SAMPLE)
    sample = common[::step][:VECTOR_SAMPLE]
    # FaissIndex may not expose reconstruct; the wrapped IndexIDMap2 does, by external id.
    reconstruct = getattr(index, "reconstruct", None) or index._index.reconstruct
    try:
        got = np.stack([reconstruct(int(i)) for i in sample])
    except Exception:  # index types that cannot reconstruct: nothing to compare
        return []
    ids, want = store.table_vectors(name, sample)
    if len(ids) != len(sample):
        return []
    tol = VECTOR_TOLERANCE if index.kind == "flat" else QUANTISED_TOLERANCE
    err = np.abs(got - want).max(axis=1)
    return [int(i) for i, e in zip(sample, err) if e > tol]


def _rebuild(store: Store, name: str, finding: Finding, repair: bool) -> None:
    if not repair:
        finding.message += " (fix: `factcheck doctor --repair`)"
        return
    from .vectors import FaissIndex

    _, dim = store.embedding_model()
    ids, mat = store.table_vectors(name, None)
    store.set_index(name, FaissIndex.build(dim or mat.shape[1], ids, mat))
    finding.repaired = True
    finding.message += f"; rebuilt from SQLite ({len(ids)} vector(s))"
