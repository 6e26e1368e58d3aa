"""``factcheck check`` through the CLI: exit codes, JSON, Markdown, --store, stdin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from factcheck.cli import app
from factcheck.store import Store

SEED_000 = "000_5936662356c6c8be.txt"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture()
def altered(tmp_path: Path, seeds_dir: Path) -> Path:
    """Seed 000 with Kerry's "potentially" dropped, under a new file name."""
    text = (seeds_dir / SEED_000).read_text(encoding="utf-8")
    path = tmp_path / "draft.txt"
    path.write_text(text.replace("missiles are potentially destabilizing",
                                 "missiles are destabilizing"), encoding="utf-8")
    return path


def test_check_json_reports_the_misquote(runner: CliRunner, seeded_index: Path,
                                         altered: Path) -> None:
    res = runner.invoke(app, ["check", str(altered), "--index", str(seeded_index), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["article"]["id"] == "draft.txt"
    verdicts = {q["quote"][:25]: q["verdict"] for q in data["quotes"]}
    assert verdicts["We have previously stated"] == "misquote"
    assert data["summary"]["misquote"] == 1
    assert data["summary"]["verified"] == len(data["quotes"]) - 1
    q = next(q for q in data["quotes"] if q["verdict"] == "misquote")
    m = q["matches"][0]
    assert set(m) >= {"quote_id", "quote", "speaker", "article_id", "published", "similarity",
                      "diff"}
    assert m["speaker"] == "John Kerry" and m["article_id"] == SEED_000
    assert {"op": "delete", "stored": "potentially", "quote": ""} in m["diff"]


def test_fail_on_turns_verdicts_into_exit_3(runner: CliRunner, seeded_index: Path,
                                            altered: Path, seeds_dir: Path) -> None:
    args = ["check", str(altered), "--index", str(seeded_index), "--json"]
    assert runner.invoke(app, [*args, "--fail-on", "misquote,misattribution"]).exit_code == 3
    assert runner.invoke(app, [*args, "--fail-on", "misattribution"]).exit_code == 0
    clean = ["check", str(seeds_dir / SEED_000), "--index", str(seeded_index), "--json",
             "--fail-on", "misquote,misattribution"]
    assert runner.invoke(app, clean).exit_code == 0
    bad = runner.invoke(app, [*args, "--fail-on", "lies"])
    assert bad.exit_code == 2 and "--fail-on" in bad.stderr


def test_terminal_and_markdown_output(runner: CliRunner, seeded_index: Path,
                                      altered: Path) -> None:
    res = runner.invoke(app, ["check", str(altered), "--index", str(seeded_index)])
    assert res.exit_code == 0, res.output
    assert "MISQUOTE" in res.stdout and "potentially" in res.stdout
    md = runner.invoke(app, ["check", str(altered), "--index", str(seeded_index),
                             "--format", "markdown"])
    assert md.exit_code == 0
    assert "### misquote — John Kerry" in md.stdout
    assert "~~potentially~~" in md.stdout


def test_markdown_escapes_article_text(runner: CliRunner, seeded_index: Path,
                                       tmp_path: Path) -> None:
    path = tmp_path / "inject.txt"
    path.write_text('"Click [here](http://evil.example) and <script>x()</script> *now*," '
                    "said Ada Quill.\n", encoding="utf-8")
    res = runner.invoke(app, ["check", str(path), "--index", str(seeded_index),
                              "--format", "markdown"])
    assert res.exit_code == 0, res.output
    assert "[here](http" not in res.stdout
    assert "<script>" not in res.stdout
    assert "\\[here\\]" in res.stdout


def test_stdin_input(runner: CliRunner, seeded_index: Path, seeds_dir: Path) -> None:
    text = (seeds_dir / "004_2ff34fa1bdc5f02b.txt").read_text(encoding="utf-8")
    text = text.replace("regime,” Lavrov said", "regime,” Zakharova said")
    res = runner.invoke(app, ["check", "-", "--index", str(seeded_index), "--json"], input=text)
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    mis = [q for q in data["quotes"] if q["verdict"] == "misattribution"]
    assert len(mis) == 1 and mis[0]["matches"][0]["speaker"] == "Sergei Lavrov"


def test_bad_input_is_one_clear_line(runner: CliRunner, seeded_index: Path,
                                     tmp_path: Path) -> None:
    res = runner.invoke(app, ["check", str(tmp_path / "missing.txt"), "--index",
                              str(seeded_index)])
    assert res.exit_code == 1
    assert "no such file" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    assert "Traceback" not in res.output
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    res = runner.invoke(app, ["check", str(empty), "--index", str(seeded_index)])
    assert res.exit_code == 1 and "empty" in res.stderr


def test_missing_store_and_bad_format(runner: CliRunner, altered: Path, tmp_path: Path,
                                      seeded_index: Path) -> None:
    res = runner.invoke(app, ["check", str(altered), "--index", str(tmp_path / "none")])
    assert res.exit_code == 1 and "no factcheck store" in res.stderr
    assert not (tmp_path / "none").exists()
    res = runner.invoke(app, ["check", str(altered), "--index", str(seeded_index),
                              "--format", "pdf"])
    assert res.exit_code == 2


def test_store_flag_adds_the_article_only_when_asked(runner: CliRunner, seeded_copy: Path,
                                                     altered: Path) -> None:
    with Store.open(seeded_copy, readonly=True) as store:
        before = store.counts()
    res = runner.invoke(app, ["check", str(altered), "--index", str(seeded_copy), "--json"])
    assert res.exit_code == 0
    with Store.open(seeded_copy, readonly=True) as store:
        assert store.counts() == before
    res = runner.invoke(app, ["check", str(altered), "--index", str(seeded_copy), "--json",
                              "--store"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["stored"] is True
    with Store.open(seeded_copy, readonly=True) as store:
        after = store.counts()
        assert after["articles"] == before["articles"] + 1
        assert store.get_article("draft.txt") is not None
    # Now stored, the draft's own wording verifies against itself.
    res = runner.invoke(app, ["check", str(altered), "--index", str(seeded_copy), "--json"])
    data = json.loads(res.stdout)
    assert data["article"]["already_stored_as"] == "draft.txt"
