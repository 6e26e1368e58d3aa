"""The incremental cross-check: conflicts kept in the store, new claims judged on arrival.

Tables (store migration 5): ``conflicts`` (each with its ``first_seen`` and ``updated``
time), ``conflict_claims`` (its member claims), ``claim_queue`` (claims not judged yet: a
trigger queues every inserted claim, whoever writes it), ``claim_judged``, and the keys each
judged claim is found under (``claim_terms``) with their counts (``term_df``).

One step (:func:`update`) judges the queued claims against the stored ones:

1. *Seeds*: the queued claims, plus the surviving members of stale conflicts (a member was
   deleted or its article replaced: the delete trigger marks them).
2. *Region*: the seeds, the claims of their articles, their ``2k`` nearest claims in the
   store's claim index, the stored claims sharing a blocking key, a frame key or a rare
   topic word with them (the same keys :func:`crosscheck.candidate_pairs` buckets by; a key
   held by more than ``bucket_cap`` claims gives only the claims nearest in time, as the
   window does), and every claim of a stored conflict touching those.
3. :func:`crosscheck.find_conflicts` runs over the region, with the whole store's statistics
   (word and entity counts, number of claims) in place of the region's, so each pair is
   judged as a rebuild judges it.
4. The conflicts holding a seed are stored; a stored conflict sharing a claim with one of
   them (the story it grew into) or stale is removed. Other conflicts found in the region
   are left as stored: the step does not re-judge stories no new claim touches.

Equality with a rebuild (``report --rebuild``: forget everything, judge the whole store) is
exact when the region holds every claim a rebuild would pair with a seed, which is the case
for the vector neighbours a seed finds, for same-article pairs and for keys held by at most
``bucket_cap`` claims. It can differ (a) when a new claim enters an old claim's k nearest
without being among its own 2k, or pushes out another, (b) in a key bucket larger than
``bucket_cap`` (windowed by time over the region, not the whole bucket), (c) when word counts
shifted by new claims change a verdict on a pair of old claims no new claim touches.
``report --rebuild`` is the reference; tests hold an incremental build of three batches to
it. A change of embedding model (or of factcheck's version: the judges changed) makes the
stored conflicts stale as a whole; the next report rebuilds.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .crosscheck import (
    SIGNAL_KEY,
    ClaimEvidence,
    Conflict,
    _with_speaker,
    blocking_keys,
    find_conflicts,
    frame_keys,
    index_neighbours,
    stored_frames,
)
from .judges import JudgeContext
from .judges.frames import FrameCache
from .records import Claim

BASIS_KEY = "conflicts_basis"  # meta: the model and version the stored conflicts came from
FULL_SHARE = 0.5  # more queued claims than this share of the store: a rebuild is cheaper
BUCKET_CAP = 40  # as crosscheck.find_conflicts
WINDOW = 4
K = 10


@dataclass
class Update:
    """What one step did."""

    judged: int = 0  # queued claims judged
    region: int = 0  # claims the judges saw
    stored: int = 0  # claims in the store
    added: list[Conflict] = field(default_factory=list)  # new or changed conflicts
    removed: list[str] = field(default_factory=list)  # ids no longer stored
    touched: list[Conflict] = field(default_factory=list)  # every conflict this step stored
    rebuilt: bool = False
    written: bool = True  # False: computed for a read-only store, not saved
    seconds: float = 0.0


def basis(store: Any) -> str:
    from . import __version__

    model, dim = store.embedding_model()
    return f"{model}|{dim}|{__version__}"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())


def _t(c: Claim) -> str:
    """The claim's place in time order, as ``candidate_pairs`` sorts a bucket."""
    return f"{c.claim_time or ''}\x1f{c.article_id}\x1f{c.start:09d}"


def claim_terms(c: Claim, frames: FrameCache) -> set[str]:
    """The keys a claim is counted and found under: topic stems (``s:``), entities (``e:``),
    blocking keys (``b:``), frame keys but rare words (``f:``), and for an evaluation or
    blame, the words of its sentence and headline (``c:``)."""
    fr = frames.get(c)
    out = {"s:" + s for s in fr.topic_stems}
    out |= {"e:" + e for e in set((c.data or {}).get("entities", []))}
    out |= {"b:" + k for k in blocking_keys(c)}
    evaluative = bool(fr.evaluations or fr.legality or fr.blame)
    context = frames.context(c) if evaluative else frozenset()
    out |= {"f:" + k for k in frame_keys(fr, frames, context=context, article=c.article_id)
            if not k.startswith("w:") and k != SIGNAL_KEY}
    out |= {"c:" + s for s in context}
    return out


class StoredCounts(dict):  # type: ignore[type-arg]
    """Counts of the whole store's judged claims per key (``term_df``) plus ``extra`` (the
    claims being judged now), fetched on first use: the statistics a rebuild would fit."""

    def __init__(self, store: Any, prefix: str, extra: Counter[str]) -> None:
        super().__init__()
        self.store, self.prefix, self.extra = store, prefix, extra

    def prefetch(self, keys: Iterable[str]) -> None:
        want = [k for k in set(keys) if not dict.__contains__(self, k)]
        got = self.store.term_counts(self.prefix + k for k in want)
        for k in want:
            dict.__setitem__(self, k, got.get(self.prefix + k, 0)
                             + self.extra.get(self.prefix + k, 0))

    def get(self, key: Any, default: Any = None) -> Any:
        if not dict.__contains__(self, key):
            self.prefetch([key])
        n = dict.__getitem__(self, key)
        return n if n else default

    def __getitem__(self, key: Any) -> Any:
        return self.get(key, 0)

    def __contains__(self, key: object) -> bool:
        return bool(self.get(key, 0))


def _frames(claims: list[Claim], articles: dict[str, Any]) -> FrameCache:
    fc = FrameCache()
    fc.articles = articles
    return fc


def _articles(store: Any, ids: Iterable[str]) -> dict[str, Any]:
    out = {}
    for aid in sorted(set(ids)):
        a = store.get_article(aid)
        if a is not None:
            out[aid] = a
    return out


def _members(conflicts: list[Conflict], claims: list[Claim]) -> dict[str, list[int]]:
    by_span: dict[tuple[str, int, int], list[int]] = {}
    for c in claims:
        by_span.setdefault((c.article_id, c.start, c.end), []).append(int(c.id or 0))
    return {f.id: sorted({i for e in f.claims for i in by_span.get(
        (e.article_id, e.start, e.end), [])}) for f in conflicts}


def _row(c: Conflict) -> dict[str, Any]:
    return {"id": c.id, "kind": c.kind, "topic": c.topic, "topic_key": c.topic_key,
            "basis": c.basis, "score": c.score, "explanation": c.explanation,
            "claims": json.dumps([asdict(e) for e in c.claims], ensure_ascii=False),
            "first_seen": c.first_seen, "updated": c.updated}


def _conflict(r: dict[str, Any]) -> Conflict:
    return Conflict(id=r["id"], topic=r["topic"], kind=r["kind"], score=float(r["score"]),
                    explanation=r["explanation"],
                    claims=[ClaimEvidence(**e) for e in json.loads(r["claims"])],
                    topic_key=r["topic_key"], basis=r["basis"], first_seen=r["first_seen"],
                    updated=r["updated"])


def _same(a: dict[str, Any], b: Conflict) -> bool:
    return (a["kind"], a["topic"], a["explanation"], round(float(a["score"]), 3),
            a["claims"]) == (b.kind, b.topic, b.explanation, round(b.score, 3), _row(b)["claims"])


def _dated(found: list[Conflict], members: dict[str, list[int]], old: dict[str, dict[str, Any]],
           old_members: dict[str, list[int]], now: str) -> None:
    """first_seen: the stored one for the same id, else the earliest of the stored conflicts
    sharing a claim with it (the story it grew from), else now."""
    by_claim: dict[int, list[str]] = {}
    for cid, ms in old_members.items():
        for m in ms:
            by_claim.setdefault(m, []).append(cid)
    for c in found:
        prev = old.get(c.id)
        if prev is not None:
            c.first_seen = prev["first_seen"]
            c.updated = prev["updated"] if _same(prev, c) else now
            continue
        firsts = [old[o]["first_seen"] for m in members.get(c.id, [])
                  for o in by_claim.get(m, []) if o in old]
        c.first_seen = min(firsts) if firsts else now
        c.updated = now


def _neighbour_ids(store: Any, seeds: list[Claim], k: int) -> set[int]:
    ids = [int(c.id) for c in seeds if c.id is not None]
    index = store.index("claims")
    if not ids or index is None or len(index) == 0:
        return set()
    got_ids, mat = store.table_vectors("claims", ids)
    if not len(got_ids):
        return set()
    _, found = index.search(np.asarray(mat, np.float32), 2 * k + 1)
    return {int(x) for x in np.asarray(found).ravel() if int(x) >= 0}


def _key_ids(store: Any, seeds: list[Claim], frames: FrameCache, bucket_cap: int,
             window: int) -> set[int]:
    """Stored claims sharing a key with a seed: all of a small bucket, the nearest in time of
    a large one (``window`` each side; 2 for rare words, as in candidate_pairs)."""
    wanted: dict[tuple[str, ...], set[str]] = {}  # (terms) -> times
    for c in seeds:
        fr = frames.get(c)
        evaluative = bool(fr.evaluations or fr.legality or fr.blame)
        context = frames.context(c) if evaluative else frozenset()
        t = _t(c)
        for k in blocking_keys(c):
            wanted.setdefault(("b:" + k,), set()).add(t)
        for k in frame_keys(fr, frames, context=context, article=c.article_id):
            if k == SIGNAL_KEY:
                continue
            if k.startswith("w:"):
                wanted.setdefault(("s:" + k[2:], "c:" + k[2:]), set()).add(t)
            else:
                wanted.setdefault(("f:" + k,), set()).add(t)
    counts = store.term_counts(t for terms in wanted for t in terms)
    out: set[int] = set()
    for terms, times in wanted.items():
        size = sum(counts.get(t, 0) for t in terms)
        if size == 0:
            continue
        for term in terms:
            if size <= bucket_cap:
                out.update(store.term_all(term, bucket_cap + 1))
            else:
                w = 2 if term.startswith(("s:", "c:")) else window
                for t in sorted(times):
                    out.update(store.term_members(term, t, w))
    return out


def _run(store: Any, claims: list[Claim], judges: Any, k: int, n_total: int,
         extra: Counter[str], seeds: set[int] | None = None,
         stored_members: set[int] | None = None) -> list[Conflict]:
    """find_conflicts over ``claims`` (a region), with the whole store's statistics."""
    ids = [int(c.id or 0) for c in claims]
    vectors = neighbours = None
    index = store.index("claims")
    if ids and index is not None and len(index):
        got_ids, mat = store.table_vectors("claims", ids)
        if len(got_ids):
            pos = {cid: i for i, cid in enumerate(ids)}
            vectors = np.zeros((len(claims), mat.shape[1]), dtype=np.float32)
            for cid, row in zip(got_ids.tolist(), mat):
                vectors[pos[int(cid)]] = row
            neighbours = index_neighbours(index, ids)
    articles = _articles(store, (c.article_id for c in claims))

    def corpus(ctx: JudgeContext) -> None:
        df = StoredCounts(store, "s:", extra)
        df.prefetch(s for fr in list(ctx.frames._frames.values()) for s in fr.topic_stems)
        ents = StoredCounts(store, "e:", extra)
        ctx.frames.df = df
        ctx.frames.n = n_total
        ctx.entity_freq = ents  # type: ignore[assignment]
        ctx.n_claims = n_total

    keep = None
    if seeds is not None:
        # A pair of old claims was judged when the later of them came: a verdict it had is
        # in a stored conflict (both its claims are in ``stored_members``). Other old pairs
        # need no second look.
        seed = [int(c.id or 0) in seeds for c in claims]
        held = [int(c.id or 0) in (stored_members or set()) for c in claims]

        def keep(i: int, j: int) -> bool:
            return seed[i] or seed[j] or (held[i] and held[j])

    from .judges.framerecord import text_key

    records = stored_frames(store, {text_key(c.text) for c in claims})
    return find_conflicts(claims, vectors, articles, judges=judges, k=k,
                          neighbours=neighbours, corpus=corpus, keep_pair=keep,
                          frame_records=records)


def store_missing_frames(store: Any, claims: list[Claim]) -> int:
    """Store the frames of ``claims`` the store has none of for this frame code (claims
    ingested before it, or brought in by ``import`` / ``copy``), so the next report decodes
    them instead of reading every text again. Returns how many were stored."""
    if not hasattr(store, "put_frame_records"):
        return 0
    from .judges.framerecord import records_for, text_key, version

    keys = {c.text: text_key(c.text) for c in claims}
    have = store.frame_records(version(), set(keys.values()))
    missing = [t for t, key in keys.items() if key not in have]
    if missing:
        store.put_frame_records(version(), records_for(missing))
    return len(missing)


def rebuild(store: Any, judges: Any = None, k: int = K) -> Update:
    """Forget the stored conflicts, judge the whole store again, store the result (first-seen
    times of conflicts found again are kept)."""
    from .crosscheck import build_report

    t0 = time.perf_counter()
    now = _now()
    with store.transaction():
        old = {r["id"]: r for r in store.conflict_rows()}
        old_members = store.conflict_members(old)
        found = build_report(store, judges=judges, k=k)
        claims = store.claims()
        members = _members(found, claims)
        _dated(found, members, old, old_members, now)
        store.reset_conflicts()
        frames = _frames(claims, {})
        frames.articles = _articles(store, (c.article_id for c in claims))
        terms = [(term, _t(c), int(c.id or 0)) for c in map(_with_speaker, claims)
                 for term in claim_terms(c, frames)]
        store.record_judged([int(c.id or 0) for c in claims], terms, now)
        store.replace_conflicts([], [_row(c) for c in found], members)
        store.set_meta(BASIS_KEY, basis(store))
        store_missing_frames(store, claims)
    return Update(judged=len(claims), region=len(claims), stored=len(claims),
                  added=[c for c in found if c.updated == now], removed=[
                      i for i in old if i not in {c.id for c in found}],
                  rebuilt=True, seconds=time.perf_counter() - t0)


def pending(store: Any) -> bool:
    """Are there claims to judge, stale conflicts, or conflicts of another model?"""
    return bool(store.queue_size() or store.stale_conflicts()
                or store.get_meta(BASIS_KEY) != basis(store))


def update(store: Any, judges: Any = None, k: int = K, full_share: float = FULL_SHARE,
           bucket_cap: int = BUCKET_CAP, window: int = WINDOW) -> Update:
    """Judge the queued claims against the stored ones and store the result (see the module
    doc). A read-only store gets the same computation, not saved (``written`` False)."""
    t0 = time.perf_counter()
    n_total = store.counts()["claims"]
    if not store.readonly and store.get_meta(BASIS_KEY) != basis(store):
        return rebuild(store, judges, k)
    queued = store.queued_claims()
    if not store.readonly and n_total and len(queued) > full_share * n_total:
        return rebuild(store, judges, k)
    if store.readonly:
        return _step(store, judges, k, bucket_cap, window, n_total, queued, t0)
    with store.transaction():
        return _step(store, judges, k, bucket_cap, window, n_total, store.queued_claims(),
                     t0)


def _step(store: Any, judges: Any, k: int, bucket_cap: int, window: int, n_total: int,
          queued: list[int], t0: float) -> Update:
    now = _now()
    stale = store.stale_conflicts()
    survivors = [m for ms in store.conflict_members(stale).values() for m in ms]
    seed_ids = set(queued) | set(survivors)
    seeds = [_with_speaker(c) for c in store.get_claims(sorted(seed_ids))]
    seed_ids = {int(c.id or 0) for c in seeds}
    if not seeds and not stale:
        return Update(stored=n_total, written=not store.readonly,
                      seconds=time.perf_counter() - t0)
    frames = _frames(seeds, {})
    frames.articles = _articles(store, (c.article_id for c in seeds))
    queued_set = set(queued)
    new_terms = [(term, _t(c), int(c.id or 0)) for c in seeds if c.id in queued_set
                 for term in claim_terms(c, frames)]
    extra: Counter[str] = Counter(t[0] for t in set(new_terms))
    # Frame keys read word counts: the whole store's, as the run below.
    frames.df = StoredCounts(store, "s:", extra)  # type: ignore[assignment]
    frames.n = n_total
    region = set(seed_ids)
    region |= set(store.article_claim_ids(c.article_id for c in seeds))
    region |= _neighbour_ids(store, seeds, k)
    region |= _key_ids(store, seeds, frames, bucket_cap, window)
    touching = store.conflicts_of_claims(region) - set(stale)
    old_members = store.conflict_members(touching | set(stale))
    region |= {m for ms in old_members.values() for m in ms}
    claims = store.get_claims(sorted(region))
    found = _run(store, claims, judges, k, n_total, extra, seed_ids,
                 {m for ms in old_members.values() for m in ms})
    members = _members(found, claims)
    new = [c for c in found if set(members[c.id]) & seed_ids]
    new_claims = {m for c in new for m in members[c.id]}
    removed = set(stale) | {cid for cid in touching
                            if set(old_members.get(cid, [])) & new_claims}
    old = {r["id"]: r for r in store.conflict_rows(removed | {c.id for c in new})}
    _dated(new, members, old, {cid: ms for cid, ms in old_members.items() if cid in old}, now)
    gone = sorted(removed - {c.id for c in new})
    result = Update(judged=len(queued), region=len(claims), stored=n_total,
                    added=[c for c in new if c.updated == now], removed=gone,
                    written=not store.readonly, seconds=0.0)
    if not store.readonly:
        store.record_judged(queued, new_terms, now)
        store.replace_conflicts(removed, [_row(c) for c in new],
                                {c.id: members[c.id] for c in new})
        store_missing_frames(store, claims)
        if store.get_meta(BASIS_KEY) is None:
            store.set_meta(BASIS_KEY, basis(store))
    result.seconds = time.perf_counter() - t0
    result.touched = new
    return result


def stored(store: Any, since: str | None = None, until: str | None = None) -> list[Conflict]:
    """The stored conflicts, strongest first; ``since``/``until`` (partial ISO dates) select
    by the day each was first seen."""
    from .dates import date_range

    rows = store.conflict_rows(since=date_range(since)[0] if since else None)
    out = [_conflict(r) for r in rows if not r.get("stale")]
    if until:
        last = date_range(until)[1]
        out = [c for c in out if (c.first_seen or "")[:10] <= last]
    out.sort(key=lambda c: (-c.score, c.topic, c.id))
    return out


def current(store: Any, judges: Any = None, since: str | None = None,
            until: str | None = None) -> tuple[list[Conflict], Update | None]:
    """The conflicts as of now: pending work judged first (and saved when the store is
    writable), then the stored ones. A read-only store with pending work gets them computed
    in memory: the caller never sees a stale report."""
    if not pending(store):
        return stored(store, since, until), None
    if store.readonly:
        from .crosscheck import build_report

        if store.get_meta(BASIS_KEY) != basis(store):
            found = build_report(store, judges=judges)  # nothing stored is usable
            return _window(found, since, until), None
        up = update(store, judges)
        have = {c.id: c for c in stored(store)}
        for cid in up.removed:
            have.pop(cid, None)
        for c in up.touched:
            have[c.id] = c
        found = sorted(have.values(), key=lambda c: (-c.score, c.topic, c.id))
        return _window(found, since, until), up
    up = update(store, judges)
    return stored(store, since, until), up


def _window(found: list[Conflict], since: str | None, until: str | None) -> list[Conflict]:
    from .dates import date_range

    lo = date_range(since)[0] if since else ""
    hi = date_range(until)[1] if until else "9999"
    return [c for c in found if lo <= (c.first_seen or _now())[:10] <= hi]


__all__ = ["Update", "basis", "claim_terms", "current", "pending", "rebuild", "stored",
           "update"]
