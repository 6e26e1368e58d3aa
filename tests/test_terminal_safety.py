"""Escape sequences and bidi overrides from articles never reach the terminal raw.

ANSI/CSI colour and clear-screen codes, OSC window titles and hyperlinks, a one-byte C1 CSI,
backspaces, carriage returns and bidi overrides are put into a file name, a record id, a
title, an outlet and quoted text; every command's table output, its messages and CSV cells
must show them as visible escapes, and --json must keep the exact data.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.escaping import escape_terminal

runner = CliRunner()

CSI = "\x1b[2J\x1b[31m"
OSC = "\x1b]0;pwned\x07"
LINK = "\x1b]8;;http://evil.example\x1b\\"
C1 = "\x9b2J"
RLO = "\u202e"
RAW = ("\x1b", "\x9b", "\x07", "\x08", "\r", "\u202e", "\u2066")

TITLE = f"Harbour {OSC}talks{CSI} resume"
SOURCE = f"Coast {RLO}Wire{C1}"
TEXT = (f"Title: {TITLE}\nSource: {SOURCE}\nDate: 2022-05-04\n\n"
        "Negotiators met at the harbour office on Wednesday.\n\n"
        f"“We will sign the {CSI}dredging{LINK} contract by June,” port director "
        f"Helga Marstrand{OSC} said.\n\n"
        f"“The fees [bold]x[/bold] stay where they are {RLO}until autumn\b\b\r,” "
        "Marstrand added.\n")


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def assert_clean(res, what: str) -> None:  # type: ignore[no-untyped-def]
    for stream in (res.stdout, res.stderr):
        for ch in RAW:
            assert ch not in stream, (what, repr(ch), stream[:2000])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("hostile")
    docs = root / "docs"
    docs.mkdir()
    (docs / f"port{CSI}{RLO}.txt").write_text(TEXT, encoding="utf-8")
    (docs / f"bad{OSC}.txt").write_bytes(b"\x00\x01\x02\x03\x04\x05" * 300)  # skipped
    rec = {"id": f"rec{CSI}{OSC}1", "title": TITLE, "source": SOURCE,
           "published": "2022-05-05",
           "text": ("Unions gathered at the depot on Thursday.\n\n"
                    f"“The strike {LINK}ends on Monday,” union leader Piet Vos{C1} said.\n")}
    (docs / "wire.jsonl").write_text(json.dumps(rec) + "\n", encoding="utf-8")
    # Two reports of one toll that disagree, so `report` has a conflict to show.
    (docs / f"toll{OSC}a.txt").write_text(
        f"Title: Tunnel {CSI}collapse\nSource: Valley {RLO}Post\nDate: 2021-06-02\n\n"
        "The collapse at the Brenn rail tunnel on Monday killed 9 workers, the county "
        f"sheriff said.{CSI} Crews kept digging on Tuesday.\n", encoding="utf-8")
    (docs / f"toll{C1}b.txt").write_text(
        f"Title: Union {OSC}disputes toll\nSource: Brenn {C1}Courier\nDate: 2021-06-03\n\n"
        "The builders' union said 16 workers died in the collapse at the Brenn rail tunnel, "
        f"and accused the contractor{LINK} of hiding the true toll.\n", encoding="utf-8")
    index = root / "index"
    res = run("ingest", str(docs), "--index", str(index), "--model", "hash",
              "--processes", "1")
    assert res.exit_code == 1, res.output  # the binary file is skipped
    assert_clean(res, "ingest")
    assert "skipped" in res.stderr and "\\x1b" in res.stderr
    return index, docs


COMMANDS = [
    ("quotes",),
    ("quotes", "--limit", "1"),
    ("search", "dredging contract", "--model", "hash"),
    ("speakers",),
    ("report",),
    ("report", "--format", "markdown"),
    ("doctor",),
    ("export", "--format", "csv"),
    ("export", "--format", "jsonl"),
    # every other command of factcheck/cli/ that prints stored data (issue #17)
    ("quotes", "--json"),
    ("quotes", "--speaker", "Vos"),
    ("search", "strike ends", "--claims", "--model", "hash"),
    ("search", "strike ends", "--claims", "--model", "hash", "--json"),
    ("speakers", "Marstrand"),
    ("speakers", "--json"),
    ("articles",),
    ("articles", "--json"),
    ("claims",),
    ("claims", "toll"),
    ("claims", "--json"),
    ("report", "--json"),
    ("report", "--format", "html"),
    ("doctor", "--json"),
    ("verify",),
    ("export", "--format", "claimreview", "--organisation", f"Desk{OSC}",
     "--review-url", "https://example.org/r.html"),
    ("export", "--json"),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_raw_control_characters_in_any_command(hostile, args) -> None:  # type: ignore[no-untyped-def]
    index, _ = hostile
    res = run(*args, "--index", str(index))
    assert res.exit_code in (0, 1), res.output
    assert_clean(res, " ".join(args))


def test_tables_show_visible_escapes_and_no_markup(hostile) -> None:  # type: ignore[no-untyped-def]
    index, _ = hostile
    res = run("quotes", "--index", str(index))
    assert res.exit_code == 0
    assert "\\x1b" in res.stdout and "\\u202e" in res.stdout
    assert "[bold]x[/bold]" in res.stdout  # shown as written, not taken as markup


def test_json_keeps_the_exact_data(hostile) -> None:  # type: ignore[no-untyped-def]
    index, _ = hostile
    res = run("quotes", "--index", str(index), "--json")
    assert_clean(res, "quotes --json")  # escaped as \\uXXXX, still the same data
    quotes = json.loads(res.stdout)["quotes"]
    assert any(CSI in q["quote"] and LINK in q["quote"] for q in quotes)
    assert any(q["title"] == TITLE and q["source"] == SOURCE for q in quotes)
    assert any(q["article_id"] == f"rec{CSI}{OSC}1" for q in quotes)


def test_csv_cells_escaped_and_formulas_defused(tmp_path: Path, hostile) -> None:  # type: ignore[no-untyped-def]
    index, _ = hostile
    out = tmp_path / "q.csv"
    res = run("export", "--format", "csv", "--index", str(index), "--output", str(out))
    assert res.exit_code == 0, res.output
    data = out.read_text(encoding="utf-8")
    for ch in RAW:
        assert ch not in data
    assert escape_terminal(TITLE) in data


def test_check_output_is_clean(tmp_path: Path, hostile) -> None:  # type: ignore[no-untyped-def]
    index, _ = hostile
    p = tmp_path / f"new{OSC}.txt"
    p.write_text(TEXT.replace("June", "July"), encoding="utf-8")
    res = run("check", str(p), "--index", str(index), "--model", "hash")
    assert res.exit_code in (0, 1), res.output
    assert_clean(res, "check")
    res = run("check", str(tmp_path / f"missing{CSI}.txt"), "--index", str(index))
    assert res.exit_code != 0
    assert_clean(res, "check missing file")


def test_escape_terminal_shapes() -> None:
    assert escape_terminal("a\x1b[31mb") == "a\\x1b[31mb"
    assert escape_terminal("x\u202ey") == "x\\u202ey"
    assert escape_terminal("x\x9by") == "x\\x9by"
    assert escape_terminal("line\n\ttab") == "line\n\ttab"
    assert escape_terminal("line\n", newlines=False) == "line\\x0a"
    assert escape_terminal("Zürich — “ok” مرحبا") == "Zürich — “ok” مرحبا"


def test_report_has_a_conflict_to_show(hostile) -> None:  # type: ignore[no-untyped-def]
    index, _ = hostile
    res = run("report", "--index", str(index), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["conflicts"], "the toll pair should conflict"
    res = run("report", "--index", str(index))
    assert "\\x1b" in res.stdout or "\\u202e" in res.stdout or "\\x9b" in res.stdout


def test_writing_commands_and_their_messages_are_clean(tmp_path: Path, hostile) -> None:  # type: ignore[no-untyped-def]
    """ingest again, check --format markdown, reindex, copy, import, delete, doctor --repair."""
    import shutil

    index, docs = hostile
    work = tmp_path / f"store{CSI}"
    shutil.copytree(index, work)
    res = run("ingest", str(docs), "--index", str(work), "--model", "hash", "--processes", "1")
    assert_clean(res, "ingest again")  # "unchanged", the skipped binary file
    dup = tmp_path / "dup"
    dup.mkdir()
    # The same story under another (hostile) name and outlet: a republication message.
    (dup / f"reprint{RLO}.txt").write_text(TEXT.replace("Coast", f"Other {OSC}"),
                                          encoding="utf-8")
    # A different text under a stored name: refused, the message names it.
    (dup / f"port{CSI}{RLO}.txt").write_text("Another story entirely, about tram fares.\n",
                                            encoding="utf-8")
    res = run("ingest", str(dup), "--index", str(work), "--model", "hash", "--processes", "1")
    assert res.exit_code in (0, 1), res.output
    assert_clean(res, "ingest copies")
    p = tmp_path / f"draft{OSC}.txt"
    p.write_text(TEXT.replace("June", "July"), encoding="utf-8")
    for fmt in ("markdown", "html", "json"):
        res = run("check", str(p), "--index", str(work), "--model", "hash", "--format", fmt)
        assert res.exit_code == 0, res.output
        assert_clean(res, f"check --format {fmt}")
    for args in (("reindex",), ("reindex", "--json"), ("doctor", "--repair")):
        res = run(*args, "--index", str(work))
        assert res.exit_code in (0, 1), res.output
        assert_clean(res, " ".join(args))
    dst = tmp_path / f"copy{OSC}{RLO}"
    res = run("copy", str(work), str(dst))
    assert res.exit_code == 0, res.output
    assert_clean(res, "copy")
    dump = tmp_path / f"dump{CSI}.jsonl"
    res = run("export", "--index", str(work), "--output", str(dump))
    assert res.exit_code == 0, res.output
    assert_clean(res, "export --output")
    res = run("import", str(dump), "--index", str(tmp_path / f"imp{C1}"))
    assert res.exit_code == 0, res.output
    assert_clean(res, "import")
    res = run("delete", f"rec{CSI}{OSC}1", f"gone{RLO}{C1}", "--index", str(work))
    assert res.exit_code == 1, res.output  # the second id is not in the store
    assert_clean(res, "delete")
    assert "Deleted 1 article(s)" in res.stdout and "\\u202e" in res.stderr
    res = run("doctor", "--index", str(work))
    assert res.exit_code == 0, res.output
    assert_clean(res, "doctor after delete")
