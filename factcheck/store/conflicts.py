"""The stored conflicts' tables (migration 5, issue #16), one implementation for both backends.

Both stores mix this in: the SQL here is the part of SQL that SQLite and PostgreSQL share
(``?`` placeholders become ``%s`` on PostgreSQL, lists become ``= ANY(...)``). What the
tables mean is in :mod:`factcheck.incremental`; callers use these methods, never SQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

CHUNK = 900  # SQLite's bound-parameter limit is 999 in old builds


class ConflictTables:
    backend: str
    conn: Any

    # -- helpers ------------------------------------------------------------------------------
    def _x(self, sql: str, args: Sequence[Any] = ()) -> Any:
        if self.backend == "postgres":
            sql = sql.replace("?", "%s")
        return self.conn.execute(sql, args)

    def _xmany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.backend == "postgres":
            with self.conn.cursor() as cur:
                cur.executemany(sql.replace("?", "%s"), rows)
        else:
            self.conn.executemany(sql, rows)

    def _rows_in(self, sql: str, values: Iterable[Any], args: Sequence[Any] = ()) -> list[Any]:
        """Rows of ``sql`` whose ``{IN}`` is a membership test in ``values``."""
        vals = list(values)
        if not vals:
            return []
        if self.backend == "postgres":
            return list(self._x(sql.replace("{IN}", "= ANY(?)"), [*args, vals]).fetchall())
        out: list[Any] = []
        for i in range(0, len(vals), CHUNK):
            chunk = vals[i:i + CHUNK]
            out += self._x(sql.replace("{IN}", f"IN ({','.join('?' * len(chunk))})"),
                           [*args, *chunk]).fetchall()
        return out

    def _exec_in(self, sql: str, values: Iterable[Any]) -> None:
        vals = list(values)
        if not vals:
            return
        if self.backend == "postgres":
            self._x(sql.replace("{IN}", "= ANY(?)"), [vals])
            return
        for i in range(0, len(vals), CHUNK):
            chunk = vals[i:i + CHUNK]
            self._x(sql.replace("{IN}", f"IN ({','.join('?' * len(chunk))})"), chunk)

    @staticmethod
    def _v(row: Any, key: str, pos: int) -> Any:
        return row[key] if isinstance(row, dict) else row[pos]

    # -- the queue of claims to judge -----------------------------------------------------------
    def queued_claims(self) -> list[int]:
        return [int(self._v(r, "claim_id", 0)) for r in
                self._x("SELECT claim_id FROM claim_queue ORDER BY claim_id").fetchall()]

    def queue_size(self) -> int:
        return int(self._v(self._x("SELECT count(*) AS n FROM claim_queue").fetchone(), "n", 0))

    def record_judged(self, ids: Sequence[int], terms: Sequence[tuple[str, str, int]],
                      when: str) -> None:
        """Claims ``ids`` are judged: off the queue, with their ``(term, t, claim_id)`` keys
        counted in ``term_df`` (caller's transaction; ids must be queued ones)."""
        self._exec_in("DELETE FROM claim_queue WHERE claim_id {IN}", ids)
        self._xmany("INSERT INTO claim_judged(claim_id, judged_at) VALUES (?, ?) "
                    "ON CONFLICT DO NOTHING", [(int(i), when) for i in ids])
        self._xmany("INSERT INTO claim_terms(term, t, claim_id) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING", [tuple(t) for t in terms])
        counts = Counter(t[0] for t in set(terms))
        self._xmany("INSERT INTO term_df(term, n) VALUES (?, ?) ON CONFLICT(term) DO UPDATE "
                    "SET n = term_df.n + excluded.n", sorted(counts.items()))

    def term_counts(self, terms: Iterable[str]) -> dict[str, int]:
        return {str(self._v(r, "term", 0)): int(self._v(r, "n", 1)) for r in
                self._rows_in("SELECT term, n FROM term_df WHERE term {IN}", set(terms))}

    def term_members(self, term: str, t: str, window: int) -> list[int]:
        """Judged claims holding ``term``: the ``window`` nearest to ``t`` in time order on
        each side."""
        before = self._x("SELECT claim_id FROM claim_terms WHERE term = ? AND t < ? "
                         "ORDER BY t DESC LIMIT ?", (term, t, window)).fetchall()
        after = self._x("SELECT claim_id FROM claim_terms WHERE term = ? AND t >= ? "
                        "ORDER BY t LIMIT ?", (term, t, window)).fetchall()
        return [int(self._v(r, "claim_id", 0)) for r in [*before, *after]]

    def term_all(self, term: str, limit: int) -> list[int]:
        return [int(self._v(r, "claim_id", 0)) for r in self._x(
            "SELECT claim_id FROM claim_terms WHERE term = ? LIMIT ?", (term, limit)).fetchall()]

    def article_claim_ids(self, article_ids: Iterable[str]) -> list[int]:
        return [int(self._v(r, "id", 0)) for r in
                self._rows_in("SELECT id FROM claims WHERE article_id {IN}", set(article_ids))]

    # -- conflicts --------------------------------------------------------------------------------
    def conflict_rows(self, ids: Iterable[str] | None = None, since: str | None = None
                      ) -> list[dict[str, Any]]:
        cols = ("SELECT id, kind, topic, topic_key, basis, score, explanation, claims, "
                "first_seen, updated, stale FROM conflicts")
        if ids is not None:
            rows = self._rows_in(cols + " WHERE id {IN}", list(ids))
        elif since is not None:
            rows = self._x(cols + " WHERE first_seen >= ?", (since,)).fetchall()
        else:
            rows = self._x(cols).fetchall()
        names = ["id", "kind", "topic", "topic_key", "basis", "score", "explanation", "claims",
                 "first_seen", "updated", "stale"]
        return [dict(r) if isinstance(r, dict) else dict(zip(names, tuple(r))) for r in rows]

    def conflicts_of_claims(self, claim_ids: Iterable[int]) -> set[str]:
        return {str(self._v(r, "conflict_id", 0)) for r in self._rows_in(
            "SELECT DISTINCT conflict_id FROM conflict_claims WHERE claim_id {IN}",
            {int(c) for c in claim_ids})}

    def conflict_members(self, conflict_ids: Iterable[str]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for r in self._rows_in("SELECT conflict_id, claim_id FROM conflict_claims WHERE "
                               "conflict_id {IN}", list(conflict_ids)):
            out.setdefault(str(self._v(r, "conflict_id", 0)), []).append(
                int(self._v(r, "claim_id", 1)))
        return out

    def stale_conflicts(self) -> list[str]:
        return [str(self._v(r, "id", 0)) for r in
                self._x("SELECT id FROM conflicts WHERE stale = 1").fetchall()]

    def replace_conflicts(self, remove: Iterable[str], rows: Sequence[dict[str, Any]],
                          members: dict[str, list[int]]) -> None:
        """Delete conflicts ``remove``, then store ``rows`` (caller's transaction)."""
        self._exec_in("DELETE FROM conflicts WHERE id {IN}", list(remove))
        self._exec_in("DELETE FROM conflicts WHERE id {IN}", [r["id"] for r in rows])
        self._xmany(
            "INSERT INTO conflicts(id, kind, topic, topic_key, basis, score, explanation, "
            "claims, first_seen, updated, stale) VALUES (?,?,?,?,?,?,?,?,?,?,0)",
            [(r["id"], r["kind"], r["topic"], r["topic_key"], r["basis"], r["score"],
              r["explanation"], r["claims"], r["first_seen"], r["updated"]) for r in rows])
        self._xmany("INSERT INTO conflict_claims(conflict_id, claim_id) VALUES (?, ?) "
                    "ON CONFLICT DO NOTHING",
                    [(cid, int(m)) for cid, ms in members.items() for m in ms])

    def reset_conflicts(self) -> None:
        """Forget every stored conflict and judgement: all claims queued again (caller's
        transaction). What ``report --rebuild`` and a model change start from."""
        for table in ("conflict_claims", "conflicts", "claim_terms", "term_df", "claim_judged",
                      "claim_queue"):
            self._x(f"DELETE FROM {table}")
        self._x("INSERT INTO claim_queue(claim_id) SELECT id FROM claims")

    def conflict_health(self) -> dict[str, int]:
        """Counts ``doctor`` checks: each should be 0 except the first three."""
        def n(sql: str) -> int:
            return int(self._v(self._x(sql).fetchone(), "n", 0))

        return {
            "conflicts": n("SELECT count(*) AS n FROM conflicts"),
            "queued": n("SELECT count(*) AS n FROM claim_queue"),
            "stale": n("SELECT count(*) AS n FROM conflicts WHERE stale = 1"),
            "missing_members": n(  # a deleted member marks its conflict stale
                "SELECT count(*) AS n FROM conflict_claims m JOIN conflicts f ON "
                "f.id = m.conflict_id WHERE f.stale = 0 AND NOT EXISTS "
                "(SELECT 1 FROM claims c WHERE c.id = m.claim_id)"),
            "memberless": n(
                "SELECT count(*) AS n FROM conflicts f WHERE NOT EXISTS "
                "(SELECT 1 FROM conflict_claims m WHERE m.conflict_id = f.id)"),
            "unaccounted_claims": n(
                "SELECT count(*) AS n FROM claims c WHERE NOT EXISTS "
                "(SELECT 1 FROM claim_queue q WHERE q.claim_id = c.id) AND NOT EXISTS "
                "(SELECT 1 FROM claim_judged j WHERE j.claim_id = c.id)"),
            "orphan_judged": n(
                "SELECT count(*) AS n FROM claim_judged j WHERE NOT EXISTS "
                "(SELECT 1 FROM claims c WHERE c.id = j.claim_id)"),
        }


__all__ = ["ConflictTables"]
