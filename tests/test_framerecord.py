"""Frames stored at ingest (issue #12): a stored frame is the frame the text gives, the
store keeps them on both backends, and a report from stored frames equals one that reads
every text."""

from __future__ import annotations

from dataclasses import asdict, fields

import pytest

from factcheck.crosscheck import find_conflicts
from factcheck.judges import framerecord
from factcheck.judges.frames import _frame_of
from factcheck.store.base import open_store
from tests.test_capability import _mixed
from tests.test_class_judges import FILLER

TEXTS = [
    *FILLER,
    "The ministry denied that 1,200 to 1,500 people had been detained in the north",
    "Officials called the vote free and fair; critics called it a sham",
    "The ferry link between the islands was suspended on Monday and is not back in force",
    "More than 40 people were killed, and at least 3 per cent of homes were damaged",
    "“We will never accept it,” she said, and blamed the coast guard for the collision",
    "Smugglers were responsible for the fire at the depot, the army’s spokesman said",
]


@pytest.mark.parametrize("text", TEXTS)
def test_decoded_frame_is_the_frame_of_the_text(text: str) -> None:
    want = _frame_of(text)
    got = framerecord.decode(framerecord.encode(want))
    assert got == want
    for f in fields(want):  # the same types too (a tuple is not a list, a set not a list)
        assert type(getattr(got, f.name)) is type(getattr(want, f.name)), f.name
    for x, y in zip(got.figures, want.figures):
        assert asdict(x) == asdict(y) and type(x) is type(y)


def test_version_is_stable_and_names_the_frame_code() -> None:
    assert framerecord.version() == framerecord.version() and len(framerecord.version()) == 16


def test_store_keeps_records_by_version(new_index: str) -> None:
    recs = framerecord.records_for(TEXTS[:3])
    with open_store(new_index) as s:
        with s.transaction():
            s.put_frame_records("v1", recs)
        assert s.frame_records("v1") == recs
        assert s.frame_records("v2") == {}  # another code's frames are never read
        one = next(iter(recs))
        assert s.frame_records("v1", [one]) == {one: recs[one]}
        with s.transaction():
            s.put_frame_records("v2", {one: recs[one]})
        assert set(s.frame_records("v1")) == set(recs) - {one}


def test_report_from_stored_frames_equals_report_from_texts() -> None:
    claims, articles = _mixed(200)
    recs = framerecord.records_for([c.text for c in claims])
    a = find_conflicts(claims, None, articles, frame_records=recs)
    b = find_conflicts(claims, None, articles)
    assert a and [asdict(c) for c in a] == [asdict(c) for c in b]


def test_damaged_record_falls_back_to_the_text() -> None:
    claims, articles = _mixed(60)
    recs = {k: "{not json" for k in framerecord.records_for([c.text for c in claims])}
    a = find_conflicts(claims, None, articles, frame_records=recs)
    assert [asdict(c) for c in a] == [asdict(c) for c in find_conflicts(claims, None, articles)]
