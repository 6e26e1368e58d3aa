"""The cross-checker: which claims in a corpus conflict, and how.

1. Candidate pairs, never all pairs: each claim's ``k`` nearest neighbours in the claim
   vector index, plus claims sharing a blocking key (an event frame with an entity —
   ``supply:s300`` —, a quantity — ``num:killed|conflict`` —, an evaluative scale with its
   theme, a designation like ``s300``) and explicit denial links. Buckets larger than
   ``bucket_cap`` are skipped (a key that common tells nothing), so the number of pairs
   grows linearly with the number of claims.
2. Judges (:mod:`factcheck.judges`) decide each pair; the strongest verdict wins.
3. Pairs with the same topic and kind are merged (union-find) into one :class:`Conflict`
   whose claims form a timeline: three death tolls are one ``series``.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .judges import Judge, JudgeContext, Verdict, default_judges
from .lexicons import GENERIC_ENTITY_KEYS
from .records import Article, Claim

log = logging.getLogger(__name__)

Neighbours = Callable[[np.ndarray, int], tuple[np.ndarray, np.ndarray]]


@dataclass
class ClaimEvidence:
    """One claim in a conflict, with everything needed to show and re-find it."""

    text: str
    article_id: str
    title: str | None
    source: str | None
    published: str | None
    claim_time: str | None
    speaker: str | None
    quote_id: int | None
    start: int
    end: int


ClaimRef = ClaimEvidence  # the name used in the design notes


@dataclass
class Conflict:
    id: str
    topic: str  # a reader's name for what the claims disagree about
    kind: str  # contradiction | dispute | update | series
    score: float
    explanation: str
    claims: list[ClaimEvidence] = field(default_factory=list)
    topic_key: str = ""  # machine key of the topic ("supply:s300")
    basis: str = ""  # denial | polarity | scale | numeric | nli


# --- candidate pairs ---------------------------------------------------------------------


def faiss_neighbours(vectors: np.ndarray) -> Neighbours:
    """A flat inner-product FAISS index over ``vectors``; returns its search function."""
    import faiss

    mat = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexFlatIP(mat.shape[1])
    index.add(mat)

    def search(q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        q = np.ascontiguousarray(np.atleast_2d(q), dtype=np.float32)
        return index.search(q, min(k, index.ntotal))

    return search


def blocking_keys(claim: Claim) -> set[str]:
    """Keys under which a claim meets the claims it may conflict with."""
    data = claim.data or {}
    ents = [e for e in data.get("entities", []) if e not in GENERIC_ENTITY_KEYS]
    keys: set[str] = set()
    for ev in data.get("events", []):
        for ent in ents:
            keys.add(f"ev:{ev['frame']}:{ent}")
    for sc in data.get("scales", []):
        if sc.get("theme"):
            keys.add(f"sc:{sc['scale']}:{sc['theme']}")
        for ent in ents:
            keys.add(f"sc:{sc['scale']}:{ent}")
    for num in data.get("numbers", []):
        keys.add(f"num:{num['key']}")
    if data.get("denial"):
        for ent in ents:
            keys.add(f"den:{ent}")
    for ent in ents:
        if any(ch.isdigit() for ch in ent):  # designations (S-300, F-16) are specific
            keys.add(f"ent:{ent}")
    # A denial's counterpart: claims with events about the same entity.
    if data.get("events"):
        for ent in ents:
            keys.add(f"den:{ent}")
    return keys


def candidate_pairs(claims: list[Claim], vectors: np.ndarray | None, k: int = 10,
                    neighbours: Neighbours | None = None, bucket_cap: int = 40
                    ) -> set[tuple[int, int]]:
    """Index pairs (i < j) worth judging; see the module doc."""
    n = len(claims)
    pairs: set[tuple[int, int]] = set()
    if n < 2:
        return pairs
    if vectors is not None and len(vectors) == n and k > 0:
        search = neighbours or faiss_neighbours(vectors)
        _, idx = search(vectors, k + 1)
        for i, row in enumerate(np.asarray(idx)):
            for j in row:
                j = int(j)
                if 0 <= j < n and j != i:
                    pairs.add((min(i, j), max(i, j)))
    elif vectors is not None and len(vectors) != n:
        log.warning("claim vectors (%d) do not match claims (%d); using entity blocking only",
                    len(vectors), n)
    buckets: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        for key in blocking_keys(c):
            buckets[key].append(i)
    skipped = 0
    for members in buckets.values():
        if len(members) > bucket_cap:
            skipped += 1
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    if skipped:
        log.info("skipped %d blocking keys with more than %d claims", skipped, bucket_cap)
    # Explicit denial links ("X denied that" -> the claim denied).
    where = {(c.article_id, c.start, c.end): i for i, c in enumerate(claims)}
    for i, c in enumerate(claims):
        den = (c.data or {}).get("denial") or {}
        j = where.get((c.article_id, den.get("target_start"), den.get("target_end")))
        if j is not None and j != i:
            pairs.add((min(i, j), max(i, j)))
    return pairs


def _with_speaker(c: Claim) -> Claim:
    """The extractor's speaker when the store could not canonicalise it."""
    if c.speaker is None and (c.data or {}).get("speaker"):
        return replace(c, speaker=c.data["speaker"])
    return c


def _comparable(a: Claim, b: Claim) -> bool:
    if a.article_id == b.article_id and a.start < b.end and b.start < a.end:
        return False  # nested or overlapping spans of one article say one thing
    if " ".join(a.text.split()) == " ".join(b.text.split()):
        return False  # the same sentence twice (wire copy)
    return True


# --- conflicts ------------------------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def evidence(claim: Claim, articles: dict[str, Article]) -> ClaimEvidence:
    art = articles.get(claim.article_id)
    return ClaimEvidence(
        text=claim.text, article_id=claim.article_id, title=art.title if art else None,
        source=art.source if art else None, published=art.published if art else None,
        claim_time=claim.claim_time, speaker=claim.speaker, quote_id=claim.quote_id,
        start=claim.start, end=claim.end,
    )


def _conflict_id(members: Iterable[Claim], kind: str, topic_key: str) -> str:
    h = hashlib.sha1(kind.encode() + topic_key.encode())
    for c in sorted(members, key=lambda c: (c.article_id, c.start, c.end)):
        h.update(f"|{c.article_id}:{c.start}:{c.end}".encode())
    return h.hexdigest()[:10]


def judge_pair(a: Claim, b: Claim, judges: list[Judge], ctx: JudgeContext) -> Verdict | None:
    best: Verdict | None = None
    for judge in judges:
        v = judge.judge(a, b, ctx)
        if v is not None and (best is None or v.score > best.score):
            best = v
    return best


def find_conflicts(claims: list[Claim], vectors: np.ndarray | None,
                   articles: dict[str, Article], judges: list[Judge] | None = None,
                   k: int = 10, neighbours: Neighbours | None = None,
                   bucket_cap: int = 40) -> list[Conflict]:
    """Conflicts among ``claims`` (``vectors[i]`` embeds ``claims[i]``), strongest first."""
    judges = judges if judges is not None else default_judges()
    claims = [_with_speaker(c) for c in claims]
    freq: Counter[str] = Counter()
    for c in claims:
        freq.update(set((c.data or {}).get("entities", [])))
    ctx = JudgeContext(articles=articles, entity_freq=freq, n_claims=len(claims))
    pairs = candidate_pairs(claims, vectors, k, neighbours, bucket_cap)
    log.info("%d claims, %d candidate pairs", len(claims), len(pairs))

    groups: dict[tuple[str, str], list[tuple[int, int, Verdict]]] = defaultdict(list)
    for i, j in sorted(pairs):
        a, b = claims[i], claims[j]
        if not _comparable(a, b):
            continue
        v = judge_pair(a, b, judges, ctx)
        if v is not None:
            groups[(v.topic, v.kind)].append((i, j, v))

    conflicts: list[Conflict] = []
    for (topic_key, kind), items in groups.items():
        uf = _UnionFind()
        for i, j, _ in items:
            uf.union(i, j)
        comps: dict[int, list[tuple[int, int, Verdict]]] = defaultdict(list)
        for item in items:
            comps[uf.find(item[0])].append(item)
        for comp in comps.values():
            members = sorted({x for i, j, _ in comp for x in (i, j)},
                             key=lambda x: (claims[x].claim_time or "", claims[x].article_id,
                                            claims[x].start))
            verdicts = sorted((v for _, _, v in comp), key=lambda v: -v.score)
            explanation = _explain(verdicts, [claims[x] for x in members], ctx)
            mclaims = [claims[x] for x in members]
            conflicts.append(Conflict(
                id=_conflict_id(mclaims, kind, topic_key), topic=verdicts[0].topic_label,
                kind=kind, score=round(max(v.score for v in verdicts), 3),
                explanation=explanation, claims=[evidence(c, articles) for c in mclaims],
                topic_key=topic_key, basis=verdicts[0].basis,
            ))
    conflicts.sort(key=lambda c: (-c.score, c.topic, c.id))
    return conflicts


def _explain(verdicts: list[Verdict], members: list[Claim], ctx: JudgeContext) -> str:
    from .judges import _fmt_number

    if verdicts[0].basis == "numeric":
        key = verdicts[0].topic.split(":", 1)[1]
        steps = []
        for c in members:
            nums = [n for n in c.data.get("numbers", []) if n["key"] == key]
            if nums:
                who = c.speaker or ctx.articles.get(c.article_id, Article("", "")).source
                steps.append(f"{_fmt_number(nums[0])} ({c.claim_time or 'undated'}, "
                             f"{who or 'the outlet'})")
        label = verdicts[0].topic_label
        return f"{label}: " + " → ".join(steps)
    seen: list[str] = []
    for v in verdicts:
        if v.explanation not in seen:
            seen.append(v.explanation)
    more = f" (+{len(seen) - 3} more)" if len(seen) > 3 else ""
    return "; ".join(seen[:3]) + more


# --- the report over a store ---------------------------------------------------------------


def filter_conflicts(conflicts: list[Conflict], topic: str | None = None,
                     speaker_names: Iterable[str] | None = None, kind: str | None = None
                     ) -> list[Conflict]:
    out = conflicts
    if kind:
        out = [c for c in out if c.kind == kind.lower()]
    if topic:
        words = [w for w in topic.lower().split() if w]

        def about(c: Conflict) -> bool:
            hay = " ".join([c.topic, c.topic_key, *(e.text for e in c.claims)]).lower()
            return all(w in hay for w in words)

        out = [c for c in out if about(c)]
    if speaker_names is not None:
        names = {n.lower() for n in speaker_names}
        out = [c for c in out if any((e.speaker or "").lower() in names for e in c.claims)]
    return out


def build_report(store: Any, topic: str | None = None, speaker: str | None = None,
                 kind: str | None = None, judges: list[Judge] | None = None,
                 k: int = 10) -> list[Conflict]:
    """Conflicts among all claims in ``store``, filtered; uses the stored vectors only."""
    claims: list[Claim] = store.claims()
    ids = [c.id for c in claims if c.id is not None]
    vectors: np.ndarray | None = None
    if ids and len(ids) == len(claims):
        got = store.claim_vectors(ids)
        if got is not None and len(got) == len(claims):
            vectors = np.asarray(got, dtype=np.float32)
        else:
            log.warning("some claims have no vector; candidate pairs from entities only")
    articles = {a.id: a for a in store.articles()}
    conflicts = find_conflicts(claims, vectors, articles, judges=judges, k=k)
    names: list[str] | None = None
    if speaker:
        names = [speaker]
        found: list[Any] = []
        try:
            from .speakers import match_speakers

            found = match_speakers(speaker, store.speakers())
        except LookupError:
            # Reported-speech speakers the store has no record of still count by name.
            q = speaker.lower()
            if not any(q in (e.speaker or "").lower() for c in conflicts for e in c.claims):
                raise
            names += sorted({e.speaker for c in conflicts for e in c.claims
                             if e.speaker and q in e.speaker.lower()})
        for sp in found:
            if sp is not None:
                names += [sp.name, *getattr(sp, "aliases", [])]
    return filter_conflicts(conflicts, topic, names, kind)


def conflict_to_dict(c: Conflict) -> dict[str, Any]:
    """The JSON form: ``{"id", "topic", "kind", "score", "explanation", "claims": [...]}``."""
    from dataclasses import asdict

    return {"id": c.id, "topic": c.topic, "kind": c.kind, "score": c.score,
            "explanation": c.explanation, "claims": [asdict(e) for e in c.claims]}
