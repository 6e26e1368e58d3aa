"""Claim frames as stored records: read once at ingest, not again by every report (issue #12).

A frame (:func:`.frames.frame_of`) depends on the claim's text alone, and reading it is a
third of a report's work. Ingest stores each text's frame as JSON under the hash of the
text; a report decodes the stored record instead of reading the text again. The record
names the frame code's :data:`VERSION` (a hash of the modules that read frames): after any
change to them a stored record is ignored and the frame is read from the text, so a stored
frame is always the one the current code would read.

The JSON keeps every type (frozensets, tuples, figures), so a decoded frame equals the frame
read from the text; no pickle: a shared store's rows never run code.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import frames as _frames
from .frames import Figure, Frame

_CLASSES = {"Frame": Frame, "Figure": Figure}


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


def _enc(v: Any) -> Any:
    if isinstance(v, bool) or v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, frozenset):
        return {"~fs": sorted(_enc(x) for x in v)}
    if isinstance(v, tuple):
        return {"~t": [_enc(x) for x in v]}
    if isinstance(v, list):
        return [_enc(x) for x in v]
    if is_dataclass(v) and type(v).__name__ in _CLASSES:
        return {"~dc": type(v).__name__, "~f": {f.name: _enc(getattr(v, f.name))
                                              for f in fields(v)}}
    raise TypeError(f"cannot store a frame value of type {type(v).__name__}")


def _hook(v: dict[str, Any]) -> Any:
    # json calls this for every object, innermost first: values arrive decoded already.
    # Tags start with "~", which no field name can.
    if "~fs" in v:
        return frozenset(v["~fs"])
    if "~t" in v:
        return tuple(v["~t"])
    if "~dc" in v:
        return _CLASSES[v["~dc"]](**v["~f"])
    return v  # the field map of a dataclass


def encode(fr: Frame) -> str:
    return json.dumps(_enc(fr), ensure_ascii=False, separators=(",", ":"))


def decode(record: str) -> Frame:
    fr = json.loads(record, object_hook=_hook)
    if not isinstance(fr, Frame):
        raise ValueError("not a frame record")
    return fr


def records_for(texts: list[str]) -> dict[str, str]:
    """text key -> record, for the distinct ``texts`` (read with the current frame code)."""
    return {text_key(t): encode(_frames.frame_of(t)) for t in dict.fromkeys(texts)}
