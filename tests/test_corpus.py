"""The reader on messy inputs: each bad input is one clear error naming it; the batch goes on.

Binary and large inputs are generated in ``tmp_path`` at test time; the small text fixtures
live in ``tests/fixtures/bad_inputs``.
"""

from __future__ import annotations

import io
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from factcheck import corpus
from factcheck.corpus import (
    article_from_bytes,
    decode_bytes,
    find_boilerplate,
    make_article,
    read_file,
    read_inputs,
    sniff_binary,
)
from factcheck.records import Article, IngestError

BAD = Path(__file__).parent / "fixtures" / "bad_inputs"
MB = 1024 * 1024


def split(items):  # type: ignore[no-untyped-def]
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, IngestError)]
    return arts, errs


def only_error(items) -> IngestError:  # type: ignore[no-untyped-def]
    arts, errs = split(list(items))
    assert not arts and len(errs) == 1, (arts, errs)
    return errs[0]


# -- bad inputs, one at a time -----------------------------------------------------------------

def test_missing_path_is_named() -> None:
    e = only_error(read_inputs(["/no/such/place.txt"]))
    assert e.path == "/no/such/place.txt" and "no such file" in e.message


def test_directory_without_articles(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    e = only_error(read_inputs([str(tmp_path / "empty")]))
    assert "no articles" in e.message and e.path.endswith("empty")


def test_directory_of_unsupported_files_names_each(tmp_path: Path) -> None:
    d = tmp_path / "junk"
    d.mkdir()
    (d / "table.csv").write_text("a,b\n1,2\n")
    (d / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    _, errs = split(list(read_inputs([str(d)])))
    by_path = {Path(e.path).name: e.message for e in errs}
    assert "unsupported file type '.csv'" in by_path["table.csv"]
    assert "PDF" in by_path["scan.pdf"]
    assert "no articles" in by_path["junk"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "secret.txt"
    p.write_text("Minister Ann Lee said \"we will talk\" on Monday.")
    if os.geteuid() != 0:
        p.chmod(0)
    else:  # root reads anything: simulate the refusal the OS would give a normal user
        def deny(path, *a, **k):  # type: ignore[no-untyped-def]
            raise PermissionError(13, "Permission denied", str(path))
        monkeypatch.setattr(corpus, "open", deny, raising=False)
    try:
        e = only_error(read_file(p))
    finally:
        p.chmod(0o644)
    assert e.path == str(p) and e.message == "permission denied"


def test_empty_and_blank_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\r\n\t ")
    (tmp_path / "bom_only.txt").write_bytes(b"\xef\xbb\xbf  \n")
    for name in ("empty.txt", "blank.txt", "bom_only.txt"):
        e = only_error(read_file(tmp_path / name))
        assert "empty" in e.message, (name, e)


@pytest.mark.parametrize("name,data,what", [
    ("paper.txt", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "PDF"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    ("photo2.md", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(500), "JPEG"),
    ("doc.txt", b"PK\x03\x04\x14\x00\x06\x00" + bytes(300), "ZIP"),
    ("blob.txt", bytes(range(256)) * 8, "binary"),
])
def test_binary_files_refused_by_content(tmp_path: Path, name: str, data: bytes,
                                         what: str) -> None:
    # Named like text on purpose: the check is on the bytes, not the suffix.
    p = tmp_path / name
    p.write_bytes(data)
    e = only_error(read_file(p))
    assert "not a text article" in e.message and what in e.message, e


def test_huge_file_refused_by_size_without_reading(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:  # a sparse 200 MB file: no disk used, no bytes to read
        fh.truncate(200 * MB)
    tracemalloc.start()
    try:
        e = only_error(read_file(p))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "200 MB file is larger than the 10 MB limit" in e.message
    assert peak < 5 * MB


def test_large_text_over_custom_limit(tmp_path: Path) -> None:
    p = tmp_path / "long.txt"
    p.write_text("The envoy said the talks went on. " * 40_000)  # ~1.4 MB
    e = only_error(read_inputs([str(p)], max_bytes=1 * MB))
    assert "limit" in e.message and "split" in e.message and "raise" not in e.message


def test_huge_jsonl_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    p = tmp_path / "big.jsonl"
    good = json.dumps({"id": "ok", "text": "Harbour master Ines Holloway said the port is open."})
    with open(p, "wb") as fh:
        fh.write(good.encode() + b"\n")
        fh.write(b'{"id": "big", "text": "' + b"x" * (3 * MB) + b'"}\n')
        fh.write(good.replace('"ok"', '"ok2"').encode() + b"\n")
    tracemalloc.start()
    try:
        items = list(read_inputs([str(p)], max_bytes=1 * MB))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    arts, errs = split(items)
    assert [a.id for a in arts] == ["ok", "ok2"]
    assert len(errs) == 1 and errs[0].path.endswith("big.jsonl:2")
    assert "limit" in errs[0].message
    assert peak < 8 * MB  # a line is never held beyond the limit


# -- encodings and line endings ----------------------------------------------------------------

SENTENCE = "Le ministre a déclaré : « Nous ne céderons pas à la pression », dit Señor Núñez."


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be",
                                      "utf-8-sig", "utf-32"])
def test_encodings_detected(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / f"{encoding}.txt"
    p.write_bytes(SENTENCE.encode(encoding))
    arts, errs = split(list(read_file(p)))
    assert not errs, errs
    assert arts[0].text == SENTENCE


def test_cp1252_curly_quotes_and_dashes() -> None:
    text = "The minister said: “We will not yield.” He added — firmly — that talks go on…"
    assert decode_bytes(text.encode("cp1252")) == text


def test_cyrillic_cp1251_detected() -> None:
    text = ("Министр иностранных дел заявил журналистам, что переговоры продолжатся на "
            "следующей неделе. «Мы не отступим», — сказал он.")
    assert decode_bytes(text.encode("cp1251")) == text


def test_utf16_without_bom_is_text_not_binary() -> None:
    data = "The envoy said: “The ceasefire holds.” Officials agreed.".encode("utf-16-le")
    assert sniff_binary(data) is None
    assert decode_bytes(data).startswith("The envoy said")


def test_invalid_bytes_never_raise() -> None:
    assert isinstance(decode_bytes(b"\xff\xfe\x00"), str)  # odd-length UTF-16
    assert isinstance(decode_bytes(b"caf\xe9 \x81\x8d\x8f"), str)


def test_mixed_line_endings_normalised_and_offsets_hold(tmp_path: Path) -> None:
    p = tmp_path / "mixed.txt"
    p.write_bytes(b"First line.\r\nSecond \"quote here\" said Bob Smith.\rThird.\nFourth.\r\n")
    (art,) = list(read_file(p))
    assert "\r" not in art.text
    assert art.text.startswith("First line.\nSecond")
    i = art.text.index("quote here")
    assert art.text[i:i + 10] == "quote here"


def test_nul_bytes_and_lone_surrogates_are_cleaned(tmp_path: Path) -> None:
    art = make_article("He said \ud800 \"hello\" to\x00 them.", "x")
    assert "\x00" not in art.text and "\ud800" not in art.text
    art.text.encode("utf-8")  # storable
    p = tmp_path / "s.jsonl"
    p.write_text('{"id": "s1", "text": "A \\ud800 lone surrogate, said Ann Lee."}\n')
    (a,) = list(read_file(p))
    assert isinstance(a, Article) and "\ufffd" in a.text


# -- JSONL -------------------------------------------------------------------------------------

def test_malformed_jsonl_reports_line_numbers_and_keeps_good_lines() -> None:
    arts, errs = split(list(read_file(BAD / "malformed.jsonl")))
    assert [a.id for a in arts] == ["good-1", "good-8"]
    lines = {e.path.rsplit(":", 1)[1]: e.message for e in errs}
    assert set(lines) == {"2", "3", "5", "6", "7"}  # line 4 is blank: skipped silently
    assert "malformed JSON" in lines["2"] and "column" in lines["2"]
    assert lines["5"] == 'record has no "text" string'  # a JSON list
    assert lines["6"] == 'record has no "text" string'
    assert "empty" in lines["7"]
    assert arts[0].published == "2021-03-04" and arts[0].title == "Ferry talks"


def test_jsonl_with_bom_and_latin1_line(tmp_path: Path) -> None:
    p = tmp_path / "bom.jsonl"
    line1 = json.dumps({"id": "a", "text": "Ann Lee said the port is open today."})
    line2 = json.dumps({"id": "b", "text": "Señor Núñez said the ferry is late."},
                       ensure_ascii=False)
    p.write_bytes(b"\xef\xbb\xbf" + line1.encode() + b"\n" + line2.encode("latin-1") + b"\n")
    arts, errs = split(list(read_file(p)))
    assert not errs
    assert arts[1].text == "Señor Núñez said the ferry is late."


def test_jsonl_deeply_nested_is_an_error_not_a_crash(tmp_path: Path) -> None:
    p = tmp_path / "deep.jsonl"
    p.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    e = only_error(read_file(p))
    assert "malformed JSON" in e.message or "no \"text\"" in e.message


# -- HTML, quote marks -------------------------------------------------------------------------

def test_html_with_scripts_and_no_article() -> None:
    e = only_error(read_file(BAD / "scripts_only.html"))
    assert "HTML page with no article text" in e.message


def test_html_scripts_never_reach_the_text() -> None:
    page = (b"<html><head><script>alert('said the president')</script></head><body>"
            b"<article><p>Ferry captain Hiro Eskildsen said the crossing was calm today."
            b"</p><script>evil()</script></article></body></html>")
    art = article_from_bytes(page, "p.html", None, "p.html", suffix=".html")
    assert "alert" not in art.text and "evil" not in art.text
    assert "Hiro Eskildsen" in art.text


def test_odd_quote_marks_are_read_as_is() -> None:
    (art,) = list(read_file(BAD / "odd_quotes.txt"))
    raw = (BAD / "odd_quotes.txt").read_text(encoding="utf-8")
    assert art.text == raw.rstrip("\n") + "\n" or art.text == raw


# -- directories and special files -------------------------------------------------------------

def test_hidden_directories_skipped_and_batch_goes_on(tmp_path: Path) -> None:
    d = tmp_path / "folder"
    (d / ".git").mkdir(parents=True)
    (d / ".git" / "description").write_text("Unnamed repository; edit this file.")
    (d / "sub").mkdir()
    (d / "a.txt").write_text("Mayor Leila Kestrel said the budget is fine this year.")
    (d / "b.txt").write_bytes(b"")
    (d / "sub" / "c.md").write_text("Foreman Greta Lindqvist said the crane is fixed now.")
    arts, errs = split(list(read_inputs([str(d), "/missing/one"])))
    assert sorted(a.id for a in arts) == ["a.txt", "c.md"]
    assert {Path(e.path).name for e in errs} == {"b.txt", "one"}


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    d = tmp_path / "loop"
    d.mkdir()
    (d / "a.txt").write_text("Mayor Leila Kestrel said the budget is fine this year.")
    (d / "again").symlink_to(d, target_is_directory=True)
    arts, _ = split(list(read_inputs([str(d)])))
    assert [a.id for a in arts] == ["a.txt"]


def test_fifo_is_refused_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    e = only_error(read_inputs([str(fifo)]))  # would block forever if opened
    assert "not a regular file" in e.message


def test_bad_sidecar_reported_and_articles_still_read(tmp_path: Path) -> None:
    d = tmp_path / "withmeta"
    d.mkdir()
    (d / "metadata.json").write_text("{not json")
    (d / "a.txt").write_text("Mayor Leila Kestrel said the budget is fine this year.")
    arts, errs = split(list(read_inputs([str(d)])))
    assert [a.id for a in arts] == ["a.txt"]
    assert "metadata" in errs[0].message and errs[0].path.endswith("metadata.json")


# -- stdin -------------------------------------------------------------------------------------

def test_stdin_text_and_jsonl() -> None:
    arts, _ = split(list(read_inputs(["-"], stdin=io.BytesIO(
        "Ferry captain Hiro Eskildsen said the crossing was calm.".encode("cp1252")))))
    assert arts[0].id.startswith("stdin-")
    lines = b"".join(json.dumps({"id": f"r{i}", "text": f"Story {i}: the port is open."})
                     .encode() + b"\n" for i in range(3000))
    arts, errs = split(list(read_inputs(["-"], stdin=io.BytesIO(lines + b"{bad\n"),
                                        max_bytes=64 * 1024)))
    # Streamed: the whole stream is larger than max_bytes, each line is not.
    assert len(arts) == 3000 and errs[0].path == "<stdin>:3001"


def test_empty_stdin() -> None:
    e = only_error(read_inputs(["-"], stdin=io.BytesIO(b"")))
    assert e.path == "<stdin>" and "empty" in e.message


# -- boilerplate on adversarial layout ---------------------------------------------------------

def test_boilerplate_finder_is_linear_on_blank_lines() -> None:
    import time

    text = "Intro line.\n" + " \n" * 200_000 + "End."
    t0 = time.process_time()
    find_boilerplate(text)
    assert time.process_time() - t0 < 2.0
