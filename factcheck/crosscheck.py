"""The cross-checker: which claims in a corpus conflict, and how.

1. Candidate pairs, never all pairs: each claim's ``k`` nearest neighbours in the claim
   vector index, plus claims sharing a blocking key (an event frame with an entity —
   ``supply:s300`` —, a quantity — ``num:killed|conflict`` —, an evaluative scale with its
   theme, a designation like ``s300``) and explicit denial links. A bucket larger than
   ``bucket_cap`` only pairs each claim with its ``window`` next ones in time order (a
   figure or a state is most often contradicted by the next report of it), so the number
   of pairs grows linearly with the number of claims.
2. Judges (:mod:`factcheck.judges`) decide each pair; the strongest verdict wins.
3. Pairs with the same topic and kind are merged (union-find) into one :class:`Conflict`
   whose claims form a timeline: three death tolls are one ``series``. Conflicts of one kind
   in the same event frame that share a claim are then one story (the sale of "the weapons" and the
   deliveries of the S-300 named in the same claim) and are merged too.

With a store, :func:`build_report` takes neighbours from the store's claim index (one
batched search), never from an index built for the occasion.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np

from . import pairing
from .explanations import explain, member_time
from .judges import Judge, JudgeContext, Verdict, default_judges
from .judges.capability import pair_masks
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
    first_seen: str | None = None  # when a stored conflict was first found (issue #16)
    updated: str | None = None  # when its claims or explanation last changed


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


@lru_cache(maxsize=100_000)
def _designation(ent: str) -> bool:
    return any(ch.isdigit() for ch in ent)


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
        if _designation(ent):  # designations (S-300, F-16) are specific
            keys.add(f"ent:{ent}")
    # A denial's counterpart: claims with events about the same entity.
    if data.get("events"):
        for ent in ents:
            keys.add(f"den:{ent}")
    return keys


RARE_SHARE = 0.05  # a topic word in more claims than this is the corpus's subject
KEYS_PER_CLAIM = 4  # bounded (twice for claims with a signal): pairs grow linearly
SIGNAL_KEY = "signal"  # not a bucket: marks claims a class judge could act on


def frame_keys(fr: Any, frames: Any, per_claim: int = KEYS_PER_CLAIM,
               context: frozenset[str] = frozenset(), article: str = "") -> set[str]:
    """A claim's rarest topic words (in at least two claims, in few): where the claim it
    denies, restates with another figure or evaluates otherwise is found."""
    cap = max(3, RARE_SHARE * frames.n)
    rare = sorted((frames.df.get(s, 0), s) for s in fr.topic_stems
                  if 2 <= frames.df.get(s, 0) <= cap)
    signal = bool(fr.figures or fr.state or fr.evaluations or fr.legality or fr.blame
                  or fr.denial or fr.neg or fr.victory)
    # Word buckets only pair a claim with a signal-bearing one, so a plain claim can carry
    # as many keys as it needs to be found by its denial.
    keys = {f"w:{s}" for _, s in rare[: 2 * per_claim]}
    if signal:
        keys.add(SIGNAL_KEY)
    if fr.evaluations or fr.legality or fr.blame:
        # An evaluation names what it judges in its sentence or headline, often not itself;
        # so does blame ("X bore responsibility for the disaster": which disaster).
        ctx_rare = sorted((frames.df.get(s, 0), s) for s in context
                          if 2 <= frames.df.get(s, 0) <= cap)
        keys |= {f"w:{s}" for _, s in ctx_rare[:2 if fr.evaluations or fr.legality else 4]}
    if fr.evaluations or fr.legality:
        keys.add(f"eval:{article}")  # two sides judging one thing in one report
    # One quantity (deaths, people detained) meets its other figures in time order.
    keys |= {f"q:{f.measure or f.unit}" for f in fr.figures if f.measure or f.unit}
    return keys


def index_neighbours(index: Any, ids: list[int]) -> Neighbours:
    """Neighbours from a stored :class:`~factcheck.vectors.FaissIndex` keyed by claim id.

    Its ids are mapped back to positions in ``ids`` (the claims list); ids of claims not in
    the list (rows removed since, or filtered out) come back as -1.
    """
    pos = {int(cid): i for i, cid in enumerate(ids)}

    def search(q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        if index is None or len(index) == 0:
            n = len(np.atleast_2d(q))
            return np.zeros((n, 0), np.float32), np.zeros((n, 0), np.int64)
        scores, found = index.search(q, k)
        found = np.asarray(found, dtype=np.int64)
        flat = np.fromiter((pos.get(int(x), -1) for x in found.ravel()), dtype=np.int64,
                           count=found.size)
        return scores, flat.reshape(found.shape)

    return search


def candidate_pairs(claims: list[Claim], vectors: np.ndarray | None, k: int = 10,
                    neighbours: Neighbours | None = None, bucket_cap: int = 40,
                    window: int = 4, frames: Any = None,
                    frame_only: set[tuple[int, int]] | None = None) -> set[tuple[int, int]]:
    """Index pairs (i < j) worth judging; see the module doc. Pairs found only through the
    frames' word and quantity keys are also added to ``frame_only`` when given."""
    n = len(claims)
    got, only = candidate_codes(claims, vectors, k, neighbours, bucket_cap, window, frames)
    if frame_only is not None:
        frame_only.update(pairing.to_pairs(only, n))
    return pairing.to_pairs(got, n)


def candidate_codes(claims: list[Claim], vectors: np.ndarray | None, k: int = 10,
                    neighbours: Neighbours | None = None, bucket_cap: int = 40,
                    window: int = 4, frames: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`candidate_pairs` as sorted pair codes (:mod:`.pairing`): all pairs, and those
    only the frames' word and quantity keys proposed."""
    n = len(claims)
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    base: list[np.ndarray] = []  # neighbours and the extractor's keys
    extra: list[np.ndarray] = []  # the frames' word and quantity keys
    if vectors is not None and len(vectors) == n and k > 0:
        search = neighbours or faiss_neighbours(vectors)
        _, idx = search(vectors, k + 1)
        base.append(pairing.neighbour_codes(idx, n))
    elif vectors is not None and len(vectors) != n:
        log.warning("claim vectors (%d) do not match claims (%d); using entity blocking only",
                    len(vectors), n)
    buckets: dict[str, list[int]] = defaultdict(list)
    signal = np.zeros(n, dtype=bool)
    plain: dict[int, set[str]] = {}  # a frame's keys when its claim's sentence adds none
    for i, c in enumerate(claims):
        for key in blocking_keys(c):
            buckets[key].append(i)
        if frames is not None:
            fr = frames.get(c)
            if fr.evaluations or fr.legality or fr.blame:
                fkeys = frame_keys(fr, frames, context=frames.context(c), article=c.article_id)
            else:
                fkeys = plain.get(id(fr))  # claims of one text share their frame object
                if fkeys is None:
                    fkeys = plain[id(fr)] = frame_keys(fr, frames)
            for key in fkeys:
                if key == SIGNAL_KEY:
                    signal[i] = True
                else:
                    buckets[key].append(i)
    # A bucket too large to pair in full pairs each claim with its next ones in time order.
    order = sorted(range(n), key=lambda i: (claims[i].claim_time or "", claims[i].article_id,
                                           claims[i].start))
    rank = np.empty(n, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(n, dtype=np.int64)
    windowed = 0
    for key, members in buckets.items():
        windowed += len(members) > bucket_cap
        # A shared rare word is a weaker key than a frame or a quantity: a narrower window,
        # and only pairs where one claim carries a signal (a figure, a negation, an
        # evaluation, blame, a state) that a class judge could act on.
        wide = not key.startswith("w:")
        got = pairing.bucket_codes(np.asarray(members, dtype=np.int64), rank, bucket_cap,
                                   window if wide else 2, None if wide else signal, n)
        (extra if key.startswith(("w:", "q:")) else base).append(got)
    if windowed:
        log.info("%d blocking keys with more than %d claims paired by time window only",
                 windowed, bucket_cap)
    base_codes, extra_codes = pairing.union(base), pairing.union(extra)
    # Pairs only the frames' keys proposed (the frame judges alone look at them).
    only = pairing.difference(extra_codes, base_codes)
    # Explicit denial links ("X denied that" -> the claim denied).
    where = {(c.article_id, c.start, c.end): i for i, c in enumerate(claims)}
    links = []
    for i, c in enumerate(claims):
        den = (c.data or {}).get("denial") or {}
        j = where.get((c.article_id, den.get("target_start"), den.get("target_end")))
        if j is not None and j != i:
            links.append((i, j))
    return pairing.union([base_codes, extra_codes, pairing.pair_codes(links, n)]), only


def _ids(values: list[str]) -> np.ndarray:
    """Each value's number (equal values, equal numbers)."""
    seen: dict[str, int] = {}
    return np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64,
                       count=len(values))


def _with_speaker(c: Claim) -> Claim:
    """The extractor's speaker when the store could not canonicalise it."""
    if c.speaker is None and (c.data or {}).get("speaker"):
        return replace(c, speaker=c.data["speaker"])
    return c


def _headline(c: Claim, articles: dict[str, Article], text: str | None = None,
              titles: dict[str, str] | None = None) -> bool:
    """A claim that is the article's headline: a fragment ("Blast damages dam, three
    killed"), and the body says it again in full. ``text``: the claim's normalised text,
    ``titles``: normalised titles by article (both computed once by the caller)."""
    title = None if titles is None else titles.get(c.article_id)
    if title is None:
        art = articles.get(c.article_id)
        title = " ".join((art.title or "").split()) if art is not None else ""
        if titles is not None:
            titles[c.article_id] = title
    text = " ".join(c.text.split()) if text is None else text
    return bool(title) and (text == title or (len(text) > 20 and text in title))


def _comparable(a: Claim, b: Claim, same_text: bool = True) -> bool:
    if a.article_id == b.article_id and a.start < b.end and b.start < a.end:
        return False  # nested or overlapping spans of one article say one thing
    if same_text and " ".join(a.text.split()) == " ".join(b.text.split()):
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


CLASS_FRAMES = frozenset({"position", "evaluation", "blame", "state"})  # never chained
STAR_FRAMES = frozenset({"denial-frame", "blame", "position", "evaluation"})
LEAD_FRAMES = frozenset({"denial-frame", "blame"})  # shown with their quotes (judges.leadin)
STAR_PAIRS = 2  # pairs kept per denial / blame / stance conflict, strongest first
STAR_DAYS = 31  # a counterpart months later answers another report
STAR_NEAR = 3  # days between the two sides of one exchange
MERGE_MAX = 12  # claims in one merged story: more is a hub claim gluing unrelated stories


@dataclass
class _Part:
    topic_key: str
    kind: str
    members: set[int]
    verdicts: list[Verdict]

    @property
    def frame(self) -> str:
        return self.topic_key.split(":", 1)[0]

    @property
    def score(self) -> float:
        return max(v.score for v in self.verdicts)


def _place_of(topic_key: str) -> str:
    """The countries a figure's key names ("fig:killed:people:syria", "num:killed|conflict:
    yemen"): two countries' tolls never chain through a claim that names neither."""
    parts = topic_key.split(":")
    return parts[3] if parts[0] == "fig" and len(parts) > 3 else (
        parts[2] if parts[0] == "num" and len(parts) > 2 else "")


def _merge_stories(parts: list[_Part], claims: list[Claim] | None = None,
                   stems: Callable[[int], frozenset[str]] | None = None) -> list[list[_Part]]:
    """Parts of one kind in one event frame that share a claim are one story.

    Kinds stay apart: a claim disputed today and the same claim updated years later are
    two findings, and merging would hide the dispute under the update. Two state changes
    told in the same reports about one thing named in two ways ("the accord" / "the
    fishing accord", "the rail link" / "the cross-border rail link") are one story too.
    """
    uf = _UnionFind()
    size = {i: len(p.members) for i, p in enumerate(parts)}
    from .judges.figures import other_places

    by_claim: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    # A figure's countries: two countries' tolls never chain through a claim naming neither.
    where = {i: frozenset(x for x in _place_of(p.topic_key).split("+") if x)
             for i, p in enumerate(parts)}
    for i, p in enumerate(parts):
        uf.find(i)
        if p.frame in CLASS_FRAMES:
            continue  # class judges' parts are whole stories already: no chaining by hubs
        for m in p.members:
            by_claim[(p.frame, p.kind, m)].append(i)

    def join(x: int, y: int) -> None:
        ra, rb = uf.find(x), uf.find(y)
        if ra == rb or size[ra] + size[rb] > MERGE_MAX or other_places(where[ra], where[rb]):
            return
        uf.union(ra, rb)
        root = uf.find(ra)
        size[root] = size[ra] + size[rb]
        where[root] = where[ra] | where[rb]

    for idxs in by_claim.values():
        for other in idxs[1:]:
            join(idxs[0], other)
    if claims is not None and stems is not None:
        states = [i for i, p in enumerate(parts) if p.frame == "state"]
        for x in states:
            for y in states:
                if y <= x or parts[x].kind != parts[y].kind:
                    continue
                px, py = parts[x], parts[y]
                arts_x = {claims[m].article_id for m in px.members}
                arts_y = {claims[m].article_id for m in py.members}
                if not (px.members & py.members or len(arts_x & arts_y) >= 2):
                    continue
                kx, ky = px.topic_key.split(":", 1)[1], py.topic_key.split(":", 1)[1]
                if (all(kx in stems(m) for m in py.members)
                        or all(ky in stems(m) for m in px.members)):
                    join(x, y)
    groups: dict[int, list[_Part]] = defaultdict(list)
    for i, p in enumerate(parts):
        groups[uf.find(i)].append(p)
    return list(groups.values())


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


def _distinct_figures(members: list[Claim], topic_key: str, ctx: JudgeContext) -> list[Claim]:
    """One claim per figure: the same figure restated by a second outlet is no new step."""
    _, measure, noun = (topic_key.split(":") + ["", ""])[:3]
    seen: list[float] = []
    out = []
    for c in members:
        figs = [f for f in ctx.frames.get(c).figures if (f.measure or f.unit or "") == measure
                and (f.noun_class or "") in (noun, "")]
        if figs and any(abs(figs[0].value - v) <= 0.02 * max(v, figs[0].value) for v in seen):
            continue
        if figs:
            seen.append(figs[0].value)
        out.append(c)
    return out


def _by_figure_time(members: list[Claim], ctx: JudgeContext) -> list[Claim]:
    """A running total "since last year" stands on its report's day on the timeline."""
    from .judges.figures import figure_time

    def when(c: Claim) -> str:
        figs = ctx.frames.get(c).figures
        return (figure_time(c, figs[0], ctx) if figs else c.claim_time) or ""

    return sorted(members, key=lambda c: (when(c), c.article_id, c.start))


def _competing(members: list[Claim], topic_key: str, ctx: JudgeContext
               ) -> list[tuple[str, list[Claim]]]:
    """A "series" whose running total falls, in time order, where the lower figure is another
    body's (18,000 moved out, says an alliance; 4,200 resettled, says the ministry; 21,500,
    says the alliance later) is two counts kept side by side: the fall is a contradiction
    (competing estimates), and each body's own steps stay a series. Empty when it is one."""
    from .judges.common import party
    from .judges.figures import RUNNING_TOTALS, figure_time

    _, measure, noun = (topic_key.split(":") + ["", ""])[:3]
    if measure not in RUNNING_TOTALS:
        return []
    steps: list[tuple[str, float, str, Claim]] = []
    for c in members:
        figs = [f for f in ctx.frames.get(c).figures if (f.measure or "") == measure
                and (f.noun_class or "") in (noun, "")]
        if figs:
            steps.append((figure_time(c, figs[0], ctx) or "", figs[0].value, party(c, ctx), c))
    steps.sort(key=lambda t: (t[0], t[1]))
    drop = next(((first, later) for i, first in enumerate(steps) for later in steps[i + 1:]
                 if later[0] > first[0] and later[1] < 0.9 * first[1]
                 and later[2] != first[2]), None)
    if drop is None:
        return []
    out: list[tuple[str, list[Claim]]] = [("contradiction", [drop[0][3], drop[1][3]])]
    # The higher count's own steps stay a series (the lower body's figures left out).
    low = {id(later[3]) for i, first in enumerate(steps) for later in steps[i + 1:]
           if later[0] > first[0] and later[1] < 0.9 * first[1] and later[2] != first[2]}
    rest = [t[3] for t in steps if id(t[3]) not in low]
    if len(rest) >= 2:
        out.append(("series", rest))
    return out


def _day(c: Claim) -> int:
    parts = (c.claim_time or "")[:10].split("-")
    try:
        y, m, d = (int(parts[0]), int(parts[1]) if len(parts) > 1 else 7,
                   int(parts[2]) if len(parts) > 2 else 15)  # "2025-06": mid-month
    except ValueError:
        return 0
    return y * 372 + m * 31 + d


def _star_groups(comp: list[tuple[int, int, Verdict]], claims: list[Claim]
                 ) -> list[list[tuple[int, int, Verdict]]]:
    """A denial / stance / evaluation story keeps its STAR_PAIRS strongest pairs, the
    closest counterparts first (one report, then the nearest days: an answer is given to
    the report it answers). Pairs touching none of the kept claims are another exchange on
    the same topic (the interim report judged in March, the final one in April): they are
    grouped again, once."""
    def key(t: tuple[int, int, Verdict]) -> tuple[float, bool, int]:
        a, b = claims[t[0]], claims[t[1]]
        return (-t[2].score, a.article_id != b.article_id, abs(_day(a) - _day(b)))

    out: list[list[tuple[int, int, Verdict]]] = []
    ranked = sorted(comp, key=key)
    while ranked and len(out) < 2:
        kept = [ranked[0]]
        used = {ranked[0][0], ranked[0][1]}
        first_gap = abs(_day(claims[ranked[0][0]]) - _day(claims[ranked[0][1]]))
        for t in ranked[1:]:
            if len(kept) >= STAR_PAIRS:
                break
            a, b = claims[t[0]], claims[t[1]]
            near = (a.article_id == b.article_id
                    or abs(_day(a) - _day(b)) <= first_gap + STAR_DAYS)
            if near and (t[0] in used or t[1] in used):  # a star: one side, its counterparts
                kept.append(t)
                used |= {t[0], t[1]}
        out.append(kept)
        days = {_day(claims[x]) for x in used}
        # A second exchange: its two sides in one report or within days of each other,
        # months away from the first one.
        ranked = [t for t in ranked if t[0] not in used and t[1] not in used
                  and (claims[t[0]].article_id == claims[t[1]].article_id
                       or abs(_day(claims[t[0]]) - _day(claims[t[1]])) <= STAR_NEAR)
                  and min(abs(_day(claims[t[0]]) - d) for d in days) > STAR_DAYS]
    return out


def find_conflicts(claims: list[Claim], vectors: np.ndarray | None,
                   articles: dict[str, Article], judges: list[Judge] | None = None,
                   k: int = 10, neighbours: Neighbours | None = None,
                   bucket_cap: int = 40,
                   corpus: Callable[[JudgeContext], None] | None = None,
                   keep_pair: Callable[[int, int], bool] | None = None,
                   prefilter: bool = True,
                   frame_records: dict[str, str] | None = None) -> list[Conflict]:
    """Conflicts among ``claims`` (``vectors[i]`` embeds ``claims[i]``), strongest first.

    ``corpus`` may replace the statistics fitted on ``claims`` (word and entity counts) with
    a whole store's, when ``claims`` is only the part of it being re-judged (issue #16);
    ``keep_pair(i, j)`` False skips a candidate pair (one judged before); ``prefilter``
    False asks every judge about every pair (the same result, slower: for tests);
    ``frame_records`` are the frames stored at ingest (``store.frame_records``), decoded
    instead of read from the claims' texts."""
    judges = judges if judges is not None else default_judges()
    claims = [_with_speaker(c) for c in claims]
    norm = [" ".join(c.text.split()) for c in claims]  # once per claim, not once per pair
    titles: dict[str, str] = {}  # each article's title, normalised once
    headlines = {i for i, c in enumerate(claims) if _headline(c, articles, norm[i], titles)}
    freq: Counter[str] = Counter()
    for c in claims:
        freq.update(set((c.data or {}).get("entities", [])))
    ctx = JudgeContext(articles=articles, entity_freq=freq, n_claims=len(claims))
    if frame_records:
        ctx.frames.use_records(frame_records)
    ctx.frames.fit(claims, articles)
    if corpus is not None:
        corpus(ctx)
    n = len(claims)
    got, only = candidate_codes(claims, vectors, k, neighbours, bucket_cap, frames=ctx.frames)
    # A bare denial ("rejected the accusation") meets the claim it answers (judges.leadin).
    answers = [(min(d, t), max(d, t)) for d, t in ctx.frames.answers.items()]
    codes = pairing.union([got, pairing.pair_codes(answers, n)])
    log.info("%d claims, %d candidate pairs", n, len(codes))

    groups: dict[tuple[str, str], list[tuple[int, int, Verdict]]] = defaultdict(list)
    ii, jj = codes // max(n, 1), codes % max(n, 1)  # sorted pairs, as sorted() gives them
    # Pairs only the frames' keys proposed go to the frame judges alone: the other judges
    # keep the pairs (and the cost) they had.
    frames_only = pairing.member(codes, only)
    # Pairs never judged, left out at once: one sentence twice (wire copy), nested or
    # overlapping spans of one article, a headline (the tests _comparable and _headline make).
    text_id = _ids(norm)
    art_id = _ids([c.article_id for c in claims])
    start = np.fromiter((c.start for c in claims), dtype=np.int64, count=n)
    end = np.fromiter((c.end for c in claims), dtype=np.int64, count=n)
    head = np.zeros(n, dtype=bool)
    head[sorted(headlines)] = True
    overlap = (art_id[ii] == art_id[jj]) & (start[ii] < end[jj]) & (start[jj] < end[ii])
    keep = (text_id[ii] != text_id[jj]) & ~overlap & ~head[ii] & ~head[jj]
    ii, jj, frames_only = ii[keep], jj[keep], frames_only[keep]
    # Each judge's first tests, over all pairs at once: a pair no judge could act on is
    # never looked at (judges.capability; the verdicts are the same).
    got_masks = (pair_masks(judges, claims, ctx, ii, jj) if prefilter
                 else [(None, False)] * len(judges))
    is_frame = [getattr(j, "frames_only", False) for j in judges]
    live = np.zeros(len(ii), dtype=bool)
    for (m, _), fo in zip(got_masks, is_frame):
        may = np.ones(len(ii), dtype=bool) if m is None else m != 0
        live |= may if fo else may & ~frames_only
    masks = [(None if m is None else m.tolist(), bits) for m, bits in got_masks]
    ilist, jlist, olist = ii.tolist(), jj.tolist(), frames_only.tolist()
    for p in np.flatnonzero(live).tolist():
        i, j = ilist[p], jlist[p]
        a, b = claims[i], claims[j]
        if keep_pair is not None and not keep_pair(i, j):
            continue
        only_frames = olist[p]
        v = None
        for judge, (m, bits), fo in zip(judges, masks, is_frame):
            if only_frames and not fo:
                continue
            if m is None:
                said = judge.judge(a, b, ctx)
            elif not m[p]:
                continue
            else:
                said = judge.judge(a, b, ctx, m[p]) if bits else judge.judge(a, b, ctx)
            if said is not None and (v is None or said.score > v.score):
                v = said
        if v is not None:
            groups[(v.topic, v.kind)].append((i, j, v))

    parts: list[_Part] = []
    for (topic_key, kind), items in groups.items():
        uf = _UnionFind()
        for i, j, _ in items:
            uf.union(i, j)
        comps: dict[int, list[tuple[int, int, Verdict]]] = defaultdict(list)
        for item in items:
            comps[uf.find(item[0])].append(item)
        for comp in comps.values():
            if topic_key.split(":", 1)[0] in STAR_FRAMES:
                # A denial answers the report it denies: keep its closest counterparts, not
                # everyone on the reporting side (two officials agreeing are not a conflict).
                if topic_key.startswith("evaluation:"):
                    # One word for what is judged ("the report") is often two things over
                    # months (the interim and the final report): nearest exchanges first.
                    groups_of = _star_groups(comp, claims)
                else:
                    groups_of = [sorted(comp, key=lambda t: -t[2].score)[:STAR_PAIRS]]
            else:
                groups_of = [comp]
            for g in groups_of:
                parts.append(_Part(topic_key, kind, {x for i, j, _ in g for x in (i, j)},
                                   sorted((v for _, _, v in g), key=lambda v: -v.score)))

    # A denial or an accusation is shown with its party's own words right after it
    # (judges.leadin): "X denied Y." + "'There was no Y,' X said."
    for p in parts:
        if p.frame in LEAD_FRAMES:
            p.members |= {q for m in list(p.members) for q in ctx.frames.followers.get(m, ())}

    conflicts: list[Conflict] = []
    for story in _merge_stories(parts, claims, lambda m: ctx.frames.get(claims[m]).topic_stems):
        best = max(story, key=lambda p: (p.score, len(p.members), p.topic_key))
        lead = best.verdicts[0]
        topic_key, kind = best.topic_key, best.kind
        mclaims = sorted((claims[x] for x in set().union(*(p.members for p in story))),
                         key=lambda c: (member_time(c, topic_key), c.article_id, c.start))
        if kind == "dispute" and lead.basis in ("denial-frame", "position", "evaluation",
                                                "blame"):
            # "fully shared the minister's conclusion": an echo of one side, not a side.
            mclaims = [c for c in mclaims if not ctx.frames.get(c).agree]
            if len(mclaims) < 2:
                continue
        if lead.basis == "figure":
            mclaims = _by_figure_time(_distinct_figures(mclaims, topic_key, ctx), ctx)
            if len(mclaims) < 2:
                continue
        variants = [(kind, mclaims)]
        if lead.basis == "figure" and kind == "series":
            variants = _competing(mclaims, topic_key, ctx) or variants
        for kind, mclaims in variants:
            explanation = explain(kind, lead.basis, lead.topic_label, topic_key, mclaims, ctx)
            if lead.judge != "rule":
                explanation = lead.explanation
            conflicts.append(Conflict(
                id=_conflict_id(mclaims, kind, topic_key), topic=lead.topic_label, kind=kind,
                score=round(max(p.score for p in story), 3), explanation=explanation,
                claims=[evidence(c, articles) for c in mclaims], topic_key=topic_key,
                basis=lead.basis,
            ))
    conflicts.sort(key=lambda c: (-c.score, c.topic, c.id))
    return conflicts


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
    """Conflicts among all claims in ``store``, filtered.

    Neighbours come from the store's claim index (``store.index("claims")``), searched once
    for all claims; claims without a vector still meet others through blocking keys.
    """
    claims: list[Claim] = store.claims()
    vectors: np.ndarray | None = None
    neighbours: Neighbours | None = None
    ids = [c.id for c in claims if c.id is not None]
    if ids and len(ids) == len(claims):
        got_ids, mat = store.table_vectors("claims", ids)
        index = store.index("claims")
        if index is not None and len(got_ids):
            # Query rows for claims without a vector stay zero: they find nothing useful and
            # are paired by blocking keys alone.
            pos = {int(cid): i for i, cid in enumerate(ids)}
            vectors = np.zeros((len(claims), mat.shape[1]), dtype=np.float32)
            for cid, row in zip(got_ids.tolist(), mat):
                vectors[pos[int(cid)]] = row
            if len(got_ids) < len(claims):
                log.warning("%d claims have no vector; they are paired by entities only",
                            len(claims) - len(got_ids))
            neighbours = index_neighbours(index, ids)
    articles = {a.id: a for a in store.articles()}
    conflicts = find_conflicts(claims, vectors, articles, judges=judges, k=k,
                               neighbours=neighbours, frame_records=stored_frames(store))
    return select_conflicts(store, conflicts, topic, speaker, kind)


def stored_frames(store: Any, keys: Iterable[str] | None = None) -> dict[str, str]:
    """The store's frame records of this code's version (none from a store without them)."""
    if not hasattr(store, "frame_records"):
        return {}
    from .judges.framerecord import version

    return store.frame_records(version(), keys)


def select_conflicts(store: Any, conflicts: list[Conflict], topic: str | None = None,
                     speaker: str | None = None, kind: str | None = None) -> list[Conflict]:
    """``conflicts`` about ``topic``, of ``kind``, involving ``speaker`` (fuzzy)."""
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

    out = {"id": c.id, "topic": c.topic, "kind": c.kind, "score": c.score,
           "explanation": c.explanation, "claims": [asdict(e) for e in c.claims]}
    if c.first_seen:  # a stored conflict (issue #16)
        out.update(first_seen=c.first_seen, updated=c.updated)
    return out
