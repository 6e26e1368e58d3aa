"""Stored claim frames (migration 6, issue #12), one implementation for both backends.

A claim's frame depends on its text alone (:mod:`factcheck.judges.framerecord`): rows are
keyed by the text's hash and name the frame code's version, so a row written by other code
is never read (the report reads the frame from the text instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class FrameRows:
    """Mixed into both stores after :class:`~.conflicts.ConflictTables` (its SQL helpers)."""

    _x: Any
    _xmany: Any
    _rows_in: Any
    _v: Any

    def put_frame_records(self, version: str, records: dict[str, str]) -> None:
        self._xmany("INSERT INTO claim_frames(text_key, version, frame) VALUES (?, ?, ?) "
                    "ON CONFLICT(text_key) DO UPDATE SET version = excluded.version, "
                    "frame = excluded.frame",
                    [(k, version, r) for k, r in sorted(records.items())])

    def frame_records(self, version: str, keys: Iterable[str] | None = None
                      ) -> dict[str, str]:
        """text key -> stored frame record of this ``version`` (all, or those of ``keys``)."""
        if keys is None:
            rows = self._x("SELECT text_key, frame FROM claim_frames WHERE version = ?",
                           (version,)).fetchall()
        else:
            rows = self._rows_in("SELECT text_key, frame FROM claim_frames "
                                 "WHERE version = ? AND text_key {IN}", set(keys), (version,))
        return {str(self._v(r, "text_key", 0)): str(self._v(r, "frame", 1)) for r in rows}
