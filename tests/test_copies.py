"""Syndicated copies: a republication is linked to the first article, never counted twice;
an update with new paragraphs, a shortened version or another story is not a copy."""

from __future__ import annotations

import json
from pathlib import Path

from factcheck.copies import COPY_JACCARD, jaccard, shingles
from factcheck.crosscheck import build_report
from factcheck.embeddings import HashEncoder
from factcheck.ingest import ingest
from factcheck.store import Store

BODY = [
    "The regional council voted on Tuesday to close the old ferry terminal by next spring.",
    "“We cannot keep pouring money into a building that floods every winter,” council "
    "leader Brigitte Holm said after the vote.",
    "The terminal handled 40,000 passengers last year, down from 95,000 a decade ago.",
    "Opposition member Karel Dvorak said the decision was rushed. “Nobody asked the "
    "islanders what they need,” he told reporters.",
    "Holm said a temporary pier would open in March. “The boats will keep running,” she said.",
    "The ferry operator said in a statement that it would not cut any routes this year.",
    "A public hearing on the new pier is planned for February, the council said.",
]


def story(header: str = "", footer: str = "", extra: list[str] | None = None,
          body: list[str] | None = None) -> str:
    paras = list(body or BODY) + (extra or [])
    return header + "\n\n".join(paras) + "\n" + footer


def _ingest(root: Path, files: dict[str, str], meta: dict | None = None):  # type: ignore[no-untyped-def]
    d = root / "in"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    if meta:
        (d / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    with Store.open(root / "idx") as store:
        return ingest([str(d)], store, HashEncoder(64), n_process=1)


def _counts(root: Path) -> tuple[int, int, int]:
    with Store.open(root / "idx", readonly=True) as store:
        c = store.counts()
        conflicts = len(build_report(store))
    return c["quotes"], c["claims"], conflicts


def test_republished_copy_leaves_counts_unchanged(tmp_path: Path) -> None:
    a = tmp_path / "a"
    a.mkdir()
    s1 = _ingest(a, {"wire.txt": story()})
    before = _counts(a)
    copy = story(header="Islands Daily | Home | News | Weather\n\n",
                 footer="\nShare this story\n")
    s2 = _ingest(a, {"reprint.txt": copy},
                 meta={"reprint.txt": {"source": "Islands Daily", "published": "2023-01-12"}})
    assert s1.quotes > 0 and s2.copies == 1 and s2.quotes == 0 and not s2.errors
    assert _counts(a) == before
    with Store.open(a / "idx", readonly=True) as store:
        assert store.copy_of("reprint.txt") == "wire.txt"
        (c,) = store.copies()["wire.txt"]
        assert c.source == "Islands Daily" and c.published == "2023-01-12"
        speakers = {s.name: s.quote_count for s in store.speakers()}
    assert speakers.get("Brigitte Holm") == 2


def test_copies_within_one_run_are_found(tmp_path: Path) -> None:
    s = _ingest(tmp_path, {"a.txt": story(), "b.txt": story(header="By Staff\n\n"),
                           "c.txt": story()})
    assert s.copies == 2 and s.added == 1


def test_update_with_new_paragraphs_is_not_a_copy(tmp_path: Path) -> None:
    update = story(extra=[
        "Late on Tuesday the islanders' association said it would challenge the vote in court.",
        "“This is not over,” association chair Oona Lind said. “We will fight for the "
        "terminal.”",
    ])
    s = _ingest(tmp_path, {"a.txt": story(), "b_update.txt": update})
    assert s.copies == 0 and s.added == 2
    assert jaccard(shingles(story()), shingles(update)) < COPY_JACCARD


def test_other_story_and_shortened_version_are_not_copies(tmp_path: Path) -> None:
    other = [p.replace("ferry terminal", "tram depot").replace("islanders", "commuters")
             .replace("passengers", "riders") for p in BODY]
    s = _ingest(tmp_path, {"a.txt": story(), "b.txt": story(body=other),
                           "c_short.txt": story(body=BODY[:4])})
    assert s.copies == 0 and s.added == 3


def test_copy_is_stored_again_unchanged_on_reingest(tmp_path: Path) -> None:
    files = {"a.txt": story(), "b.txt": story(header="Wire copy\n\n")}
    _ingest(tmp_path, files)
    s = _ingest(tmp_path, files)
    assert s.unchanged == 2 and s.copies == 0


def test_long_texts_compared_on_their_start_and_length() -> None:
    import time

    from factcheck.copies import CopyFinder
    from factcheck.records import Article

    words = [f"w{i % 997}x{i % 13}" for i in range(200_000)]
    base = " ".join(words)  # ~1.5 MB
    finder = CopyFinder([], text_of=lambda _id: None)
    t = time.process_time()
    assert finder.find(Article(id="a", text=base))[0] is None
    assert time.process_time() - t < 20
    assert finder.find(Article(id="b", text="Reprinted. " + base))[0] == "a"
    longer = base + " " + " ".join(reversed(words[:80_000]))  # 40 % more at the end
    assert finder.find(Article(id="c", text=longer))[0] is None


TOLL_A = [
    "The collapse of the Kessel road bridge on Monday killed 9 workers, the county sheriff "
    "said.",
    "Crews with cranes and dogs kept searching the river bank below the bridge on Tuesday, "
    "and the main road to the coast stayed closed to all traffic.",
    "“We owe the families a full account of what went wrong here,” county governor Mirela "
    "Dragan told reporters at the site.",
]
TOLL_B = ("The builders' union said 14 workers died in the collapse of the Kessel road "
          "bridge, and accused the contractor of hiding the true toll from the families.\n")


def test_copy_of_a_conflicting_story_adds_no_conflict_and_no_search_hit(tmp_path: Path) -> None:
    """The report held a conflict before; a later reprint under another outlet and date
    (the case where a story would conflict with its own copy) changes no count."""
    _ingest(tmp_path, {"sheriff.txt": story(body=TOLL_A), "union.txt": TOLL_B},
            meta={"sheriff.txt": {"source": "Valley Post", "published": "2021-06-01"},
                  "union.txt": {"source": "Labour Weekly", "published": "2021-06-02"}})
    before = _counts(tmp_path)
    assert before[2] >= 1, "the two tolls should conflict"
    s = _ingest(tmp_path, {"z_reprint.txt": story(header="Coast Times | News\n\n",
                                                   body=TOLL_A, footer="\nMore stories\n")},
                meta={"z_reprint.txt": {"source": "Coast Times", "published": "2021-06-09"}})
    assert s.copies == 1 and s.quotes == 0
    assert _counts(tmp_path) == before
    from factcheck.search import search_quotes

    with Store.open(tmp_path / "idx", readonly=True) as store:
        hits = search_quotes(store, HashEncoder(64), "a full account of what went wrong", k=10)
        assert [h.article_id for h in hits if "full account" in h.quote] == ["sheriff.txt"]


def test_copies_group_the_same_on_both_backends(new_index: str, tmp_path: Path) -> None:
    """Near-copies on SQLite and PostgreSQL alike: which articles are copies, of what,
    grouped under their original in date order (undated first), filtered by id, and the
    report counting the story once."""
    from factcheck.manage import list_articles
    from factcheck.store.base import open_store

    d = tmp_path / "in"
    d.mkdir()
    files = {"orig.txt": story(), "ferry2.txt": story(body=[p.replace("ferry", "bus")
                                                            for p in BODY]),
             "r1.txt": story(header="Islands Daily | Home\n\n"),
             "r2.txt": story(footer="\nShare this story\n"),
             "r3.txt": story(header="By Staff\n\n")}
    for name, text in files.items():
        (d / name).write_text(text, encoding="utf-8")
    (d / "metadata.json").write_text(json.dumps({
        "orig.txt": {"published": "2023-01-10"}, "r1.txt": {"published": "2023-01-12"},
        "r2.txt": {"published": "2023-01-11"}}), encoding="utf-8")
    with open_store(new_index) as store:
        s = ingest([str(d)], store, HashEncoder(64), n_process=1)
        assert s.copies == 3 and s.added == 2, s
        groups = {k: [a.id for a in v] for k, v in store.copies().items()}
        assert groups == {"orig.txt": ["r3.txt", "r2.txt", "r1.txt"]}
        assert store.copies(["ferry2.txt"]) == {}
        assert [a.id for a in store.copies(["orig.txt"])["orig.txt"]] == groups["orig.txt"]
        rows = {r.id: r.copy_of for r in list_articles(store, copies=True)}
        assert rows == {"orig.txt": None, "ferry2.txt": None, "r1.txt": "orig.txt",
                        "r2.txt": "orig.txt", "r3.txt": "orig.txt"}
        assert {q.article_id for q in store.quotes()} == {"orig.txt", "ferry2.txt"}
