"""``doctor`` finds and repairs drift; concurrent runs stay consistent; nothing is executed.

Each doctor test damages a private copy of the seeded store in one specific way, checks that
``diagnose`` names the damage, repairs it, and checks again.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from test_crash import subprocess_env, write_corpus  # a sibling test module (tests/ is on sys.path)

from factcheck.doctor import diagnose
from factcheck.store import INDEX_FILES, Store

PACKAGE = Path(__file__).resolve().parent.parent / "factcheck"


def findings(report, check: str):  # type: ignore[no-untyped-def]
    return [f for f in report.findings if f.check == check]


def check_repaired(root: Path, check: str, hash_encoder=None):  # type: ignore[no-untyped-def]
    """Diagnose (expect ``check`` to be a problem), repair, diagnose again (expect healthy)."""
    with Store.open(root, readonly=True) as s:
        before = diagnose(s)
    assert not before.ok
    assert any(f.problem for f in findings(before, check)), before.findings
    with Store.open(root) as s:
        fixed = diagnose(s, repair=True, encoder=hash_encoder)
    assert all(f.repaired for f in findings(fixed, check) if f.severity != "ok")
    with Store.open(root, readonly=True) as s:
        after = diagnose(s)
    assert after.ok, after.problems()
    return before


def test_seeded_store_is_healthy(seeded_index: Path) -> None:
    with Store.open(seeded_index, readonly=True) as s:
        report = diagnose(s)
    assert report.ok, report.problems()
    assert report.model == "hash-384" and report.schema_version >= 1
    checks = {f.check for f in report.findings}
    assert {"schema", "model", "sqlite", "quote-offsets", "claim-offsets", "fulltext",
            "speakers", "embeddings", "index:quotes", "index:claims"} <= checks


def test_orphan_and_missing_vectors(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        index = s.load_index_file("quotes")
        some = index.ids()[:3].tolist()
        index.remove(some)  # missing
        index.add(np.array([10_001, 10_002]), np.ones((2, index.dim), np.float32))  # orphans
        index.save(seeded_copy / INDEX_FILES["quotes"])
    before = check_repaired(seeded_copy, "index:quotes")
    (f,) = findings(before, "index:quotes")
    assert "2 orphan vector(s)" in f.message and "3 missing vector(s)" in f.message
    assert "orphan id 10001" in f.examples


def test_index_vectors_that_differ_from_sqlite(seeded_copy: Path) -> None:
    from factcheck.vectors import FaissIndex

    with Store.open(seeded_copy) as s:
        ids, mat = s.table_vectors("quotes", None)
        FaissIndex.build(mat.shape[1], ids, -mat).save(seeded_copy / INDEX_FILES["quotes"])
    before = check_repaired(seeded_copy, "index:quotes")
    assert "differ from SQLite" in findings(before, "index:quotes")[0].message


def test_missing_and_corrupt_index_files(seeded_copy: Path) -> None:
    (seeded_copy / INDEX_FILES["quotes"]).unlink()
    (seeded_copy / INDEX_FILES["claims"]).write_bytes(b"not faiss")
    before = check_repaired(seeded_copy, "index:quotes")
    assert "missing" in findings(before, "index:quotes")[0].message
    assert "unreadable" in findings(before, "index:claims")[0].message


def test_quote_offsets_that_drifted_are_reanchored(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        qid, start, end, text = s.conn.execute(
            "SELECT id, start, end, text FROM quotes ORDER BY id LIMIT 1").fetchone()
        with s.transaction():
            s.conn.execute("UPDATE quotes SET start=start+3, end=end+3 WHERE id=?", (qid,))
    check_repaired(seeded_copy, "quote-offsets")
    with Store.open(seeded_copy, readonly=True) as s:
        assert tuple(s.conn.execute("SELECT start, end FROM quotes WHERE id=?",
                                    (qid,)).fetchone()) == (start, end)


def test_quote_text_not_in_article_is_reported_not_invented(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        with s.transaction():
            s.conn.execute("UPDATE quotes SET text='words nobody wrote' WHERE id="
                           "(SELECT min(id) FROM quotes)")
    with Store.open(seeded_copy) as s:
        report = diagnose(s, repair=True)
    (f,) = findings(report, "quote-offsets")
    assert f.problem and "not found in their article" in f.message


def test_claim_offsets_checked(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        with s.transaction():
            s.conn.execute("UPDATE claims SET start=-5 WHERE id=(SELECT min(id) FROM claims)")
    check_repaired(seeded_copy, "claim-offsets")


def test_speakers_with_no_quotes_are_pruned(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        with s.transaction():
            sid = s.add_speaker("Ottoline Vexworthy", "person", "ottoline vexworthy")
            s.add_alias(sid, "Vexworthy", "vexworthy")
    before = check_repaired(seeded_copy, "speakers")
    assert any("Ottoline Vexworthy" in e for e in findings(before, "speakers")[0].examples)
    with Store.open(seeded_copy, readonly=True) as s:
        assert "Ottoline Vexworthy" not in {sp.name for sp in s.speakers()}


def test_unembedded_rows_need_the_model(seeded_copy: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    with Store.open(seeded_copy) as s:
        with s.transaction():
            s.conn.execute("UPDATE quotes SET vector=NULL WHERE id IN "
                           "(SELECT id FROM quotes ORDER BY id LIMIT 2)")
    with Store.open(seeded_copy) as s:  # without an encoder: reported, with the fix
        report = diagnose(s, repair=True)
    (f,) = findings(report, "embeddings")
    assert f.problem and "--model hash-384" in f.message
    check_repaired(seeded_copy, "embeddings", hash_encoder)


def test_wrong_size_vectors_cleared(seeded_copy: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    with Store.open(seeded_copy) as s:
        with s.transaction():
            s.conn.execute("UPDATE claims SET vector=x'00000000' WHERE id="
                           "(SELECT min(id) FROM claims)")
    check_repaired(seeded_copy, "claims-vectors", hash_encoder)


def test_fulltext_index_rebuilt(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        with s.transaction():  # drift the FTS table without touching the quotes
            s.conn.execute("INSERT INTO quotes_fts(rowid, text) VALUES (999999, 'ghost')")
    check_repaired(seeded_copy, "fulltext")


def test_dangling_references_removed(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as s:
        s.conn.execute("PRAGMA foreign_keys = OFF")
        with s.transaction():
            s.conn.execute("DELETE FROM speakers WHERE id=(SELECT min(speaker_id) FROM quotes)")
        s.conn.execute("PRAGMA foreign_keys = ON")
    check_repaired(seeded_copy, "references")


def test_temp_files_and_unrecorded_save(seeded_copy: Path) -> None:
    (seeded_copy / "quotes.faiss.x1y2.tmp").write_bytes(b"half")
    with Store.open(seeded_copy) as s:
        s.conn.execute("DELETE FROM meta WHERE key='index_quotes'")
    with Store.open(seeded_copy, readonly=True) as s:
        report = diagnose(s)
    assert findings(report, "temp-files")[0].problem
    assert "no save recorded" in findings(report, "index:quotes")[0].message
    with Store.open(seeded_copy) as s:
        diagnose(s, repair=True)
    with Store.open(seeded_copy, readonly=True) as s:
        report = diagnose(s)
        assert report.ok and not findings(report, "temp-files")
        assert s.index_state("quotes") is not None


def test_doctor_reports_a_writer_in_progress(seeded_copy: Path) -> None:
    with Store.open(seeded_copy) as w:
        w.lock()
        with Store.open(seeded_copy, readonly=True) as r:
            assert findings(diagnose(r), "lock")


# -- concurrency -------------------------------------------------------------------------------

def _ingest_cmd(corpus: Path, index: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "factcheck", "ingest", str(corpus), "--index", str(index),
            "--model", "hash", "--no-claims", *extra]


def test_second_writer_process_busy_then_waits(tmp_path: Path) -> None:
    corpus, index = tmp_path / "c", tmp_path / "idx"
    write_corpus(corpus, 4)
    holder = Store.open(index)
    holder.lock()
    try:
        busy = subprocess.run(_ingest_cmd(corpus, index), env=subprocess_env(),
                              capture_output=True, text=True, timeout=120)
        assert busy.returncode == 1
        assert busy.stderr.strip().count("\n") == 0, busy.stderr  # one line
        assert "busy" in busy.stderr and "--wait" in busy.stderr
        assert "Traceback" not in busy.stderr
        threading.Timer(1.0, holder.unlock).start()
        waited = subprocess.run(_ingest_cmd(corpus, index, "--wait", "60"),
                                env=subprocess_env(), capture_output=True, text=True,
                                timeout=120)
        assert waited.returncode == 0, waited.stderr
    finally:
        holder.close()
    with Store.open(index, readonly=True) as s:
        assert s.counts()["articles"] == 4


def test_two_ingests_at_once_and_a_reader(tmp_path: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.search import search_quotes

    index = tmp_path / "idx"
    q1 = write_corpus(tmp_path / "c1", 10, seed=1, prefix="one")
    q2 = write_corpus(tmp_path / "c2", 10, seed=2, prefix="two")
    procs = [subprocess.Popen(_ingest_cmd(tmp_path / c, index, "--wait", "120",
                                          "--batch-size", "4"),
                              env=subprocess_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
             for c in ("c1", "c2")]
    # Meanwhile, search the store as it grows: a reader must never fail or see ghosts.
    searches = 0
    while any(p.poll() is None for p in procs):
        if (index / "factcheck.sqlite").exists():
            try:
                s = Store.open(index, readonly=True)
            except Exception as exc:  # only "not migrated yet" is acceptable
                assert "interrupted first ingest" in str(exc) or "needs an upgrade" in str(exc)
                time.sleep(0.1)
                continue
            with s:
                hits = search_quotes(s, hash_encoder, "harbour expansion funding", k=5)
                known = set(s.get_quotes([h.id for h in hits]))
                assert all(h.id in known for h in hits)
                searches += 1
        time.sleep(0.1)
    for p in procs:
        assert p.wait() == 0, p.stderr.read() if p.stderr else ""
    assert searches > 0
    with Store.open(index, readonly=True) as s:
        assert s.counts()["articles"] == 20
        assert s.counts()["quotes"] == q1 + q2
        assert diagnose(s).ok


# -- security ----------------------------------------------------------------------------------

UNSAFE_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib"}
UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}


def test_no_unsafe_deserialisation_or_execution_in_the_package() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in UNSAFE_MODULES for n in names):
                    offenders.append(f"{path.name}:{node.lineno} imports {names}")
            elif isinstance(node, ast.Call):
                fn = node.func
                name = fn.id if isinstance(fn, ast.Name) else getattr(fn, "attr", "")
                if isinstance(fn, ast.Name) and name in UNSAFE_CALLS:  # not re.compile
                    offenders.append(f"{path.name}:{node.lineno} calls {name}")
                if name == "load" and any(k.arg == "allow_pickle" for k in node.keywords):
                    offenders.append(f"{path.name}:{node.lineno} loads with allow_pickle")
    # nlp.py imports the spaCy model package by its configured name: a module name, not a
    # path from an input file.
    offenders = [o for o in offenders if not o.startswith("nlp.py")]
    # rayingest.py pickles its own stages' results between Ray workers of one run (Ray's
    # object store is pickle-based anyway); nothing read from an input or a store is
    # unpickled. Only the import is allowed there, nothing else.
    offenders = [o for o in offenders
                 if not (o.startswith("rayingest.py:") and o.endswith("imports ['pickle', '']"))]
    assert not offenders, offenders


def test_articles_are_parsed_never_run(tmp_path: Path) -> None:
    from factcheck.corpus import read_inputs

    marker = tmp_path / "pwned"
    payloads = {
        "a.py": f"import pathlib; pathlib.Path({str(marker)!r}).write_text('x')",
        "b.html": f"<html><body><script>require('fs').writeFileSync({str(marker)!r})"
                  "</script><p>Mayor Leila Kestrel said the budget is fine this year.</p>"
                  "</body></html>",
        "c.jsonl": '{"text": "__import__(\'os\').system(\'touch ' + str(marker) + '\')", '
                   '"id": "x"}\n',
        "d.txt": "{{ self.__init__.__globals__ }} ${jndi:ldap://x} $(touch " + str(marker)
                 + ")",
    }
    for name, body in payloads.items():
        (tmp_path / name).write_text(body)
    items = list(read_inputs([str(tmp_path)]))
    assert not marker.exists()
    texts = " ".join(getattr(i, "text", "") for i in items)
    assert "${jndi" in texts  # kept as text, verbatim


@pytest.mark.parametrize("name", ["[bold]x[/bold].txt", "[/red]odd.txt", "a\nb.txt"])
def test_odd_file_names_do_not_break_messages(tmp_path: Path, name: str) -> None:
    # Rich markup in a path ("[/red]" is a closing tag) must be shown, not interpreted;
    # "/" cannot be in a file name, so the path's directories supply it.
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(b"")
    proc = subprocess.run(_ingest_cmd(p, tmp_path / "idx"), env=subprocess_env(),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and "empty file" in skipped[0]
    assert name.replace("\n", " ") in skipped[0]
