"""Command-line conventions: data on stdout, one ``error:`` line on stderr, exit 0/1/2.

Typer's ``CliRunner`` keeps stdout and stderr apart (``result.stdout``/``result.stderr``).
Usage errors are formatted by ``factcheck.cli.app.run`` (the console-script entry point),
so those are tested through ``run`` itself.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_crash import write_corpus  # a sibling test module (tests/ is on sys.path)
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.cli.app import run
from factcheck.store import SCHEMA_VERSION, Store

runner = CliRunner()


@pytest.fixture(scope="module")
def harbour_index(tmp_path_factory: pytest.TempPathFactory, nlp, hash_encoder) -> Path:  # type: ignore[no-untyped-def]
    """A small store of synthetic harbour-town stories (read-only for tests)."""
    from factcheck.ingest import ingest

    root = tmp_path_factory.mktemp("harbour")
    write_corpus(root / "corpus", 12, seed=5)
    with Store.open(root / "index") as store:
        summary = ingest([str(root / "corpus")], store, hash_encoder)
    assert not summary.errors
    return root / "index"


@pytest.fixture()
def harbour_copy(harbour_index: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "index"
    shutil.copytree(harbour_index, dest)
    return dest


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def assert_one_error_line(stderr: str, *fragments: str) -> None:
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "Traceback" not in stderr
    for f in fragments:
        assert f in lines[0], (f, lines[0])


def run_captured(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    cap = capsys.readouterr()
    return code, cap.out, cap.err


# -- usage errors: exit 2 ----------------------------------------------------------------------

@pytest.mark.parametrize("args,fragments", [
    (["quotes", "--since", "yesterday"], ["cannot read date 'yesterday'", "YYYY-MM-DD"]),
    (["quotes", "--until", "2013-02-30"], ["cannot read date"]),
    (["quotes", "--since", "2014", "--until", "2013-05"], ["--since 2014 is after --until"]),
    (["search", "-k", "0", "ferry"], ["-k must be at least 1"]),
    (["search", "-k", "-3", "ferry"], ["-k must be at least 1"]),
    (["search", "   "], ["search text is empty"]),
    (["quotes", "--speaker", "Grimaldo Oskarson"], ["unknown speaker", "did you mean",
                                                    "Grimaldi"]),
    (["quotes", "--speaker", "Zzyzx Qwerty"], ["unknown speaker 'Zzyzx Qwerty'"]),
])
def test_bad_options_exit_2(harbour_index: Path, args: list[str], fragments: list[str]) -> None:
    r = invoke(*args, "--index", str(harbour_index))
    assert r.exit_code == 2, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert_one_error_line(r.stderr, *fragments)


@pytest.mark.parametrize("args,fragment", [
    (["search", "--bogus", "x"], "No such option: --bogus"),
    (["search", "-k", "abc", "x"], "'-k'"),
    (["nosuchcommand"], "No such command"),
    (["ingest"], "Missing argument"),
])
def test_click_usage_errors_are_one_line(capsys: pytest.CaptureFixture[str], args: list[str],
                                         fragment: str) -> None:
    code, out, err = run_captured(capsys, *args)
    assert code == 2
    assert out == ""
    assert_one_error_line(err, fragment, "--help")


def test_help_and_bare_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_captured(capsys, "--help")
    assert code == 0 and "doctor" in out
    code, out, err = run_captured(capsys)  # bare command: the help, as a usage error
    assert code == 2 and "Usage" in out + err


# -- failures: exit 1 --------------------------------------------------------------------------

def test_missing_store(tmp_path: Path) -> None:
    r = invoke("quotes", "--index", str(tmp_path / "nowhere"))
    assert r.exit_code == 1
    assert_one_error_line(r.stderr, "no factcheck store", "factcheck ingest")


def test_store_from_a_newer_version(harbour_copy: Path) -> None:
    with Store.open(harbour_copy) as s:
        s.set_meta("schema_version", str(SCHEMA_VERSION + 5))
    for args in (["quotes"], ["doctor"], ["ingest", "-"]):
        r = invoke(*args, "--index", str(harbour_copy))
        assert r.exit_code == 1, (args, r.stderr)
        assert_one_error_line(r.stderr, "newer factcheck", "factcheck ingest")


def test_store_built_with_another_model(harbour_copy: Path, tmp_path: Path) -> None:
    r = invoke("search", "ferry line", "--index", str(harbour_copy), "--model", "hash-256")
    assert r.exit_code == 1
    assert_one_error_line(r.stderr, "'hash-384'", "--model hash-384", "reindex --model hash-256")
    (tmp_path / "a.txt").write_text('Mayor Leila Kestrel said: "The ferry is late again."')
    r = invoke("ingest", str(tmp_path / "a.txt"), "--index", str(harbour_copy),
               "--model", "hash-256")
    assert r.exit_code == 1
    assert_one_error_line(r.stderr, "reindex --model")


def test_busy_store(harbour_copy: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text('Mayor Leila Kestrel said: "The ferry is late again."')
    with Store.open(harbour_copy) as holder:
        holder.lock()
        for args in (["ingest", str(tmp_path / "a.txt")], ["doctor", "--repair"],
                     ["reindex"]):
            r = invoke(*args, "--index", str(harbour_copy))
            assert r.exit_code == 1, (args, r.stderr)
            assert_one_error_line(r.stderr, "busy", "--wait")
        # Readers are not blocked by a writer.
        assert invoke("quotes", "--index", str(harbour_copy)).exit_code == 0


def test_unexpected_errors_are_one_line(harbour_index: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*a, **k):  # type: ignore[no-untyped-def]
        raise RuntimeError("something\nbroke [badly]")

    monkeypatch.setattr(Store, "quotes", boom)
    r = invoke("quotes", "--index", str(harbour_index))
    assert r.exit_code == 1
    assert_one_error_line(r.stderr, "unexpected RuntimeError: something broke [badly]",
                          "FACTCHECK_DEBUG")


def test_interrupt_exits_130(harbour_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(*a, **k):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "quotes", stop)
    r = invoke("quotes", "--index", str(harbour_index))
    assert r.exit_code == 130
    assert_one_error_line(r.stderr, "interrupted")


def test_damaged_database(tmp_path: Path) -> None:
    root = tmp_path / "idx"
    root.mkdir()
    (root / "factcheck.sqlite").write_bytes(b"garbage" * 1000)
    r = invoke("quotes", "--index", str(root))
    assert r.exit_code == 1
    assert_one_error_line(r.stderr, "not a readable factcheck store")


# -- data on stdout ----------------------------------------------------------------------------

def test_json_goes_to_stdout_only(harbour_index: Path) -> None:
    r = invoke("quotes", "--json", "--index", str(harbour_index))
    assert r.exit_code == 0 and r.stderr == ""
    data = json.loads(r.stdout)
    assert len(data["quotes"]) > 0


# -- a messy batch: exit 1 at the end, one line per skipped input ------------------------------

def test_messy_folder_ingest(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    d = tmp_path / "messy"
    d.mkdir()
    (d / "good.txt").write_text('Mayor Leila Kestrel said: "The ferry is late again."')
    (d / "latin1.txt").write_bytes('Señor Núñez said: "The port is closed."'.encode("latin-1"))
    (d / "empty.txt").write_bytes(b"")
    (d / "scan.pdf").write_bytes(b"%PDF-1.5\n" + bytes(200))
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    (d / "bad.jsonl").write_text('{"id": "j1", "text": "Harbour master Ines Holloway said '
                                 'the port is open."}\n{oops\n')
    r = invoke("ingest", str(d), str(tmp_path / "missing"), "--index", str(tmp_path / "idx"),
               "--model", "hash")
    assert r.exit_code == 1, r.stderr
    assert "Traceback" not in r.stderr
    assert "Ingested 3 article(s)" in r.stdout  # good.txt, latin1.txt, j1
    skipped = [ln for ln in r.stderr.splitlines() if ln.startswith("skipped ")]
    named = {Path(ln.split(":")[0].removeprefix("skipped ")).name for ln in skipped}
    assert named == {"empty.txt", "scan.pdf", "image.txt", "bad.jsonl", "missing"}
    assert any("bad.jsonl:2: malformed JSON" in ln for ln in skipped)
    assert "warning: 5 input(s) skipped" in r.stderr
    r = invoke("quotes", "--json", "--index", str(tmp_path / "idx"))
    texts = {q["quote"] for q in json.loads(r.stdout)["quotes"]}
    assert "The port is closed." in texts  # latin-1 decoded


def test_clean_ingest_exits_0(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    write_corpus(tmp_path / "c", 3)
    r = invoke("ingest", str(tmp_path / "c"), "--index", str(tmp_path / "idx"), "--model",
               "hash", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["added"] == 3


# -- doctor ------------------------------------------------------------------------------------

def test_doctor_exit_codes(harbour_copy: Path) -> None:
    r = invoke("doctor", "--index", str(harbour_copy), "--json")
    assert r.exit_code == 0, r.stdout
    assert json.loads(r.stdout)["ok"] is True
    (harbour_copy / "quotes.faiss").unlink()
    r = invoke("doctor", "--index", str(harbour_copy))
    assert r.exit_code == 1
    assert "quotes.faiss is missing" in r.stdout and "doctor --repair" in r.stdout
    r = invoke("verify", "--index", str(harbour_copy), "--repair")
    assert r.exit_code == 0, r.stdout
    assert "healthy" in r.stdout
    assert invoke("doctor", "--index", str(harbour_copy)).exit_code == 0
