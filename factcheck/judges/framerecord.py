"""Claim frames as stored records: read once at ingest, not again by every report (issue #12).

A frame (:func:`.frames.frame_of`) depends on the claim's text alone, and reading it is a
third of a report's work. Ingest stores each text's frame as JSON under the hash of the
text; a report decodes the stored record instead of reading the text again. The record
names the frame code's :data:`VERSION` (a hash of the modules that read frames): after any
change to them a stored record is ignored and the frame is read from the text, so a stored
frame is always the one the current code would read.

The JSON keeps every type (frozensets, tuples, figures), so a decoded frame equals the frame
read from the text (a frame that would not read back equal is not stored); no pickle: a
shared store's rows never run code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import frames as _frames
from .frames import Figure, Frame


@lru_cache(maxsize=1)
def version() -> str:
    """A hash of the source of the frame reader and of the project modules it uses."""
    mods = {_frames.__name__, __name__}
    for value in vars(_frames).values():
        name = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        if isinstance(name, str) and name.startswith("factcheck"):
            mods.add(name)
    h = hashlib.sha256()
    for name in sorted(mods):
        mod = sys.modules.get(name)
        path = getattr(mod, "__file__", None)
        if path:
            h.update(name.encode() + b"\0" + Path(path).read_bytes())
    return h.hexdigest()[:16]


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


_PRIMITIVE = (bool, int, float, str, type(None))


def _field(v: Any) -> tuple[str, Any]:
    """(kind, JSON value) of one frame field; the kind says how to rebuild it."""
    if isinstance(v, _PRIMITIVE):
        return "p", v
    if isinstance(v, frozenset) and all(isinstance(x, str) for x in v):
        return "f", sorted(v)
    if isinstance(v, list):
        if all(isinstance(x, _PRIMITIVE) for x in v):
            return "l", v
        if all(isinstance(x, tuple) and all(isinstance(y, _PRIMITIVE) for y in x) for x in v):
            return "t", [list(x) for x in v]
        if all(type(x) is Figure for x in v):
            rows = [[getattr(x, f.name) for f in fields(Figure)] for x in v]
            if all(isinstance(y, _PRIMITIVE) for r in rows for y in r):
                return "g", rows
    raise TypeError(f"cannot store a frame value of type {type(v).__name__}")


_REBUILD: dict[str, Any] = {
    "p": lambda v: v, "l": lambda v: v, "f": frozenset,
    "t": lambda v: [tuple(x) for x in v], "g": lambda v: [Figure(*x) for x in v]}


def encode(fr: Frame) -> str:
    """The frame's fields in declaration order, after a string of their kinds."""
    got = [_field(getattr(fr, f.name)) for f in fields(Frame)]
    return json.dumps(["".join(k for k, _ in got), *(v for _, v in got)],
                      ensure_ascii=False, separators=(",", ":"))


def decode(record: str) -> Frame:
    kinds, *values = json.loads(record)
    if len(kinds) != len(values) or len(values) != len(fields(Frame)):
        raise ValueError("not a frame record")
    return Frame(*[_REBUILD[k](v) for k, v in zip(kinds, values)])


def _record(fr: Frame) -> str | None:
    # Stored only when it reads back as the same frame (a NaN figure would not, say).
    try:
        rec = encode(fr)
        return rec if decode(rec) == fr else None
    except (TypeError, ValueError):
        return None


def records_for(texts: list[str]) -> dict[str, str]:
    """text key -> record, for the distinct ``texts`` (read with the current frame code)."""
    out = {}
    for t in dict.fromkeys(texts):
        rec = _record(_frames.frame_of(t))
        if rec is not None:
            out[text_key(t)] = rec
    return out
