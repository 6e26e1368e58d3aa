"""Judges: decide whether two claims conflict, and how.

A judge looks at one candidate pair and returns a :class:`Verdict` or ``None``. The
cross-checker asks every configured judge and keeps the strongest verdict.

- :class:`RuleJudge` works offline from the extractor's analysis: explicit denials linked to
  their target, opposite polarity within an event frame (delivered vs suspended), opposite
  ends of an evaluative scale (defensive vs destabilizing), a war's death toll over time.
- :mod:`.classes` has one offline judge per conflict class over claim frames
  (:mod:`.frames`): figures, denials, positions, evaluations, blame, states. The default
  is the rule judge plus these.
- :class:`NLIJudge` runs a natural-language-inference cross-encoder (any
  sentence-transformers ``CrossEncoder`` with a "contradiction" label), named by path or hub
  name, loaded lazily.

What *kind* of conflict a pair is follows from who said what when (:func:`classify_kind`):
a state that changed between two dates is an ``update``; a figure that moved is a
``series``; two parties asserting opposite things is a ``dispute``; otherwise one source
at one time cannot be right twice: a ``contradiction``.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..explanations import explain
from ..records import Article, Claim
from ..timeexpr import time_relation

log = logging.getLogger(__name__)

KINDS = ("contradiction", "dispute", "update", "series")

# Frames whose opposite polarity is a matter of position (what should be), not of fact:
# a change over time is still a dispute between the parties.
POSITION_FRAMES = frozenset({"tenure", "support"})
# Frames too loose to judge on polarity alone.
SKIP_FRAMES = frozenset({"trend", "support"})

UBIQUITY_MIN = 100  # claims: below this an entity always counts as a topic
UBIQUITY_SHARE = 0.25

FRAME_LABELS = {
    "supply": "deliveries", "presence": "military presence", "truce": "truce",
    "willingness": "readiness", "tenure": "hold on power", "trend": "trend",
    "visit": "visit", "attack": "strikes", "support": "support",
}
MEASURE_LABELS = {"killed": "death toll", "injured": "wounded", "displaced": "displaced",
                  "casualties": "casualties", "detained": "detained", "hostages": "hostages"}


@dataclass
class Verdict:
    kind: str  # contradiction | dispute | update | series
    score: float  # 0..1, how sure the judge is that the pair conflicts
    explanation: str
    topic: str  # a key grouping verdicts about the same thing ("supply:s300")
    topic_label: str  # how a reader would name it ("S-300 — deliveries")
    basis: str  # denial | polarity | scale | numeric | nli
    judge: str = "rule"


@dataclass
class JudgeContext:
    """What judges may consult besides the two claims."""

    articles: dict[str, Article] = field(default_factory=dict)
    entity_freq: Counter[str] = field(default_factory=Counter)  # claims per entity key
    n_claims: int = 0
    frames: Any = None  # a frames.FrameCache fitted on the report's claims

    def __post_init__(self) -> None:
        self._last_shared: tuple[Any, list[str]] = (None, [])
        # Keyed by id() for speed. Every claim cached is kept alive in ``_seen``, so its id is
        # never reused by a later object while this context lives (a context outliving its
        # claims would otherwise return a dead claim's values).
        self._seen: list[Claim] = []
        self._ents: dict[int, frozenset[str]] = {}
        self._pols: dict[int, dict[str, frozenset[int]]] = {}
        if self.frames is None:
            from .frames import FrameCache

            self.frames = FrameCache()

    def rare_shared(self, a: Claim, b: Claim) -> list[str]:
        """Entity keys both claims mention, rarest first (generic keys left out)."""
        key = (id(a), id(b))
        if self._last_shared[0] != key:  # every check of a pair asks it of the same pair
            self._last_shared = (key, self._rare_shared(a, b))
        return list(self._last_shared[1])

    def _rare_shared(self, a: Claim, b: Claim) -> list[str]:
        ea, eb = self._entities(a), self._entities(b)
        if not ea or not eb:
            return []
        shared = ea & eb
        if not shared:
            return []
        return sorted(shared, key=lambda k: (self.entity_freq.get(k, 0), k))

    def polarities(self, c: Claim) -> dict[str, frozenset[int]]:
        """A claim's event frames (those judged on polarity) and the polarities each has."""
        got = self._pols.get(id(c))
        if got is not None:
            return got
        acc: dict[str, set[int]] = {}
        for ev in c.data.get("events") or ():
            if ev["frame"] not in SKIP_FRAMES:
                acc.setdefault(ev["frame"], set()).add(ev["polarity"])
        got = {f: frozenset(p) for f, p in acc.items()}
        self._pols[id(c)] = got
        self._seen.append(c)
        return got

    def _entities(self, c: Claim) -> frozenset[str]:
        """A claim's entity keys that can name a topic (once per claim): generic keys and
        names in a quarter of a large corpus (its subject) left out."""
        got = self._ents.get(id(c))
        if got is not None:
            return got
        from ..lexicons import GENERIC_ENTITY_KEYS

        ubiquitous = max(UBIQUITY_MIN, UBIQUITY_SHARE * self.n_claims)
        got = frozenset(k for k in (c.data.get("entities") or ())
                        if k not in GENERIC_ENTITY_KEYS
                        and self.entity_freq.get(k, 0) <= ubiquitous)
        self._ents[id(c)] = got
        self._seen.append(c)
        return got

    def label(self, key: str, *claims: Claim) -> str:
        for c in claims:
            lab = c.data.get("labels", {}).get(key)
            if lab:
                return str(lab)
        return key


class Judge(Protocol):
    name: str

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None: ...


def _party(c: Claim) -> str | None:
    return (c.speaker or "").strip().lower() or None


def classify_kind(a: Claim, b: Claim, basis: str, position: bool = False,
                  relation: str | None = None) -> str:
    """The kind of a conflict between ``a`` and ``b`` found on ``basis``.

    ``relation`` overrides how the two claims' times relate (``before`` / ``after`` /
    ``same``), for events dated inside their claim ("weeks after declaring a withdrawal").
    """
    rel = relation or time_relation(a.claim_time, b.claim_time)
    differ_in_time = rel in ("before", "after")
    pa, pb = _party(a), _party(b)
    two_parties = pa is not None and pb is not None and pa != pb
    if basis == "denial":
        return "dispute"
    if basis == "numeric":
        if differ_in_time:
            return "series"
        return "dispute" if two_parties else "contradiction"
    if position:
        if two_parties or (pa != pb):
            return "dispute"
        return "update" if differ_in_time else "contradiction"
    if differ_in_time:
        return "update"
    return "dispute" if two_parties else "contradiction"


DENIAL_REACH_DAYS = 180


def _one_denies(a: Claim, b: Claim) -> bool:
    """One of two claims, with a speaker, denies ("denied the accusations")."""
    from .frames import frame_of

    return any(x.speaker and frame_of(x.text).denial for x in (a, b))


def event_time(c: Claim, ev: dict[str, Any] | None) -> str | None:
    """When an event happened: its own time ("weeks after ...") or its claim's."""
    if ev is not None and ev.get("time"):
        return str(ev["time"])
    return c.claim_time


def event_relation(a: Claim, ea: dict[str, Any], b: Claim, eb: dict[str, Any]) -> str:
    """How event ``ea`` of ``a`` and ``eb`` of ``b`` relate in time."""
    rel = time_relation(event_time(a, ea), event_time(b, eb))
    if rel in ("same", "unknown"):
        # "weeks after declaring a withdrawal": earlier than its clause even when the dates,
        # at their precision, cannot tell.
        da = (ea.get("lead") or {}).get("dir", 0)
        db = (eb.get("lead") or {}).get("dir", 0)
        if da != db and time_relation(a.claim_time, b.claim_time) in ("same", "unknown"):
            return "before" if da < db else "after"
    return rel


def _who(c: Claim, ctx: JudgeContext) -> str:
    if c.speaker:
        return c.speaker
    art = ctx.articles.get(c.article_id)
    return (art.source if art and art.source and art.source != "unknown" else None) or "the outlet"


def _agents_compatible(x: str | None, y: str | None) -> bool:
    return x is None or y is None or x == y


class RuleJudge:
    """The offline judge: lexicons and the extractor's analysis, no model."""

    name = "rule"

    def __init__(self, numeric_tolerance: float = 0.1) -> None:
        self.numeric_tolerance = numeric_tolerance

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        # Each check needs its part of the analysis on one side (a denial) or on both
        # (figures, events, scales): most pairs are settled without calling any.
        da, db = a.data, b.data
        if da.get("denial") or db.get("denial"):
            if a.article_id != b.article_id and (a.claim_time or "")[:7] != (
                    b.claim_time or "")[:7] and time_relation(
                    a.claim_time, b.claim_time, DENIAL_REACH_DAYS) in ("before", "after"):
                return None  # a denial answers a report of days or weeks: years apart, the
                # two are other events (neither a dispute nor a change of state)
            verdict = self._denial(a, b, ctx)
            if verdict is not None:
                return verdict
        for field_, check in (("numbers", self._numbers), ("events", self._events),
                              ("scales", self._scales)):
            if da.get(field_) and db.get(field_):
                verdict = check(a, b, ctx)
                if verdict is not None:
                    return verdict
        return None

    # --- explicit denials -------------------------------------------------------------------

    def _denial(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        for x, y in ((a, b), (b, a)):
            den = x.data.get("denial") or {}
            if not den:
                continue
            direct = (den.get("target_start") == y.start and den.get("target_end") == y.end
                      and x.article_id == y.article_id and bool(den.get("anaphoric")))
            if direct:
                from .frames import frame_of, stems_of

                fy = frame_of(y.text)
                if fy.neg or {"declin", "refus"} & fy.stems or _party(x) == _party(y):
                    continue  # "he declined to say ...": nothing asserted to deny
                own = frame_of(x.text).topic_stems - stems_of(x.speaker or "")
                if len(own) >= 2 and not own & fy.topic_stems:
                    continue  # "denied possessing X" says what it denies: not that claim
            shared = ctx.rare_shared(x, y)
            if not direct:
                # A denial cue in a quote ("they lied when they said ...") or a denied clause
                # must be about the same event: a shared entity and a shared frame.
                fx = {e["frame"] for e in x.data.get("events", [])}
                fy = {e["frame"]: e["polarity"] for e in y.data.get("events", [])}
                same = [f for f in fx & set(fy) if fy[f] > 0]
                if not shared or not same or _party(x) == _party(y):
                    continue
                if x.article_id != y.article_id and len(shared) < 2:
                    from ..lexicons import COUNTRY_NAMES

                    if shared[0] in COUNTRY_NAMES:
                        continue  # two stories that both name a country: two events
            key = shared[0] if shared else "denial"
            topic_label = ctx.label(key, x, y) if shared else "denied claim"
            expl = explain("dispute", "denial", f"{topic_label} — denial", f"denial:{key}",
                           [y, x], ctx)
            return Verdict("dispute", 0.95 if direct else 0.7, expl, f"denial:{key}",
                           f"{topic_label} — denial", "denial")
        return None

    # --- opposite events --------------------------------------------------------------------

    def _events(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        from ..lexicons import COUNTRY_NAMES

        pa, pb = ctx.polarities(a), ctx.polarities(b)
        if not any(len(pa[f] | pb[f]) > 1 for f in pa.keys() & pb.keys()):
            return None  # no frame with opposite polarity in the two: nothing below can fire
        shared = ctx.rare_shared(a, b)
        specific = [k for k in shared if k not in COUNTRY_NAMES]
        if not shared:
            return None
        for ea in a.data.get("events", []):
            for eb in b.data.get("events", []):
                if ea["frame"] != eb["frame"] or ea["frame"] in SKIP_FRAMES:
                    continue
                if ea["polarity"] == eb["polarity"]:
                    continue
                if not _agents_compatible(ea.get("agent"), eb.get("agent")):
                    continue
                if ea["frame"] == "tenure" and not (ea.get("agent")
                                                    and ea.get("agent") == eb.get("agent")):
                    continue  # whose hold on power: both claims must name the same person
                if not specific and not (ea.get("agent") and ea.get("agent") == eb.get("agent")):
                    continue  # "Russia" alone is too broad a topic unless it is the actor
                if not _same_deal(a, b, ea, eb, specific, ctx):
                    continue
                frame = ea["frame"]
                position = frame in POSITION_FRAMES
                kind = classify_kind(a, b, "polarity", position,
                                     relation=event_relation(a, ea, b, eb))
                if kind == "contradiction" and _one_denies(a, b):
                    kind = "dispute"  # a reported event and a party's denial of it
                key = ea["agent"] if frame == "tenure" else (specific or shared)[0]
                label = f"{ctx.label(key, a, b)} — {FRAME_LABELS.get(frame, frame)}"
                score = 0.6 + min(0.3, 0.1 * len(shared))
                expl = explain(kind, "polarity", label, f"{frame}:{key}", [a, b], ctx)
                return Verdict(kind, score, expl, f"{frame}:{key}", label, "polarity")
        return None

    # --- opposite evaluations ---------------------------------------------------------------

    def _scales(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        shared = ctx.rare_shared(a, b)
        for sa in a.data.get("scales", []):
            for sb in b.data.get("scales", []):
                if sa["scale"] != sb["scale"] or sa["value"] == sb["value"]:
                    continue
                theme = sa.get("theme") if sa.get("theme") == sb.get("theme") else None
                if theme is None and not shared:
                    continue
                if _party(a) == _party(b) and a.article_id == b.article_id:
                    continue  # "not offensive, but defensive" inside one statement
                kind = classify_kind(a, b, "scale", position=True)
                about = theme or ctx.label(shared[0], a, b)
                key = f"scale:{sa['scale']}:{theme or shared[0]}"
                expl = explain(kind, "scale", f"{about} — {sa['scale']}", key, [a, b], ctx)
                return Verdict(kind, 0.55, expl, key, f"{about} — {sa['scale']}", "scale")
        return None

    # --- figures ----------------------------------------------------------------------------

    def _numbers(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        places_a = set(a.data.get("places", []))
        places_b = set(b.data.get("places", []))
        if places_a and places_b and not places_a & places_b:
            return None
        from .figures import figure_places, other_places

        where_a, where_b = figure_places(a, ctx), figure_places(b, ctx)
        if other_places(where_a, where_b):
            return None  # two countries' wars
        for na in a.data.get("numbers", []):
            for nb in b.data.get("numbers", []):
                if na["key"] != nb["key"] or na["key"].endswith("|?") and not ctx.rare_shared(
                    a, b
                ):
                    continue
                if na.get("measure") not in MEASURE_LABELS and not ctx.rare_shared(a, b):
                    continue  # "51 officials" and "40 militiamen" are not one quantity
                if not na["key"].endswith("|conflict"):
                    continue  # other figures: the class judges' FigureJudge
                va, vb = float(na["value"]), float(nb["value"])
                if abs(va - vb) <= self.numeric_tolerance * max(va, vb):
                    continue
                if not _scopes_agree(a, va, b, vb, ctx):
                    continue  # one day's or one strike's dead vs the war's running toll
                if not _nouns_agree(a, va, b, vb, ctx):
                    continue  # "50,000 militants killed" is one side's dead, not the war's
                kind = classify_kind(a, b, "numeric")
                if kind != "series" and not _disjoint(na, nb):
                    continue  # "more than 50" and "51" agree
                measure = MEASURE_LABELS.get(na["measure"], na["measure"])
                from ..lexicons import COUNTRY_NAMES

                subject = na["key"].split("|")[1]
                place = [p for p in a.data.get("places", []) if p in places_b]
                label = measure + (f" of the {subject}" if subject not in ("?", "") else "")
                if place:
                    label += f" ({COUNTRY_NAMES.get(place[0], place[0])})"
                where = "+".join(sorted(where_a & where_b or where_a | where_b))
                key = f"num:{na['key']}:{where}"  # one war's toll: never joined to another's
                expl = explain(kind, "numeric", label, key, [a, b], ctx)
                return Verdict(kind, 0.8, expl, key, label, "numeric")
        return None


def _same_deal(a: Claim, b: Claim, ea: dict[str, Any], eb: dict[str, Any],
               specific: list[str], ctx: JudgeContext) -> bool:
    """Are two event claims about one deal (delivery, presence, truce)? Not when each names
    another country besides the actor ("S-300s for Iran" vs "S-300s for Syria")."""
    from ..lexicons import COUNTRY_NAMES

    actors = {ea.get("agent"), eb.get("agent")}
    ca = {e for e in a.data.get("entities", []) if e in COUNTRY_NAMES} - actors
    cb = {e for e in b.data.get("entities", []) if e in COUNTRY_NAMES} - actors
    return not (ca and cb and not ca & cb)


def _scopes_agree(a: Claim, va: float, b: Claim, vb: float, ctx: JudgeContext) -> bool:
    """What the claims' frames say each figure counts over (one day, one strike, a year,
    part of the country, the war) allows them to be one quantity."""
    from .figures import scopes_comparable

    def scope(c: Claim, v: float) -> str | None:
        for f in ctx.frames.get(c).figures:
            if abs(f.value - v) <= 0.01 * max(v, 1.0) or f.low <= v <= f.high:
                return f.scope
        return None

    # Both are the war's toll already (the rule judge's key says so): "war" is a total.
    sa, sb = (None if s is None else "cumulative" if s == "war" else s
              for s in (scope(a, va), scope(b, vb)))
    return sa is None or sb is None or scopes_comparable(sa, sb)


def _frame_figure(c: Claim, v: float, ctx: JudgeContext) -> Any:
    return next((f for f in ctx.frames.get(c).figures
                 if abs(f.value - v) <= 0.01 * max(v, 1.0) or f.low <= v <= f.high), None)


def _nouns_agree(a: Claim, va: float, b: Claim, vb: float, ctx: JudgeContext) -> bool:
    from .figures import nouns_comparable

    fa, fb = _frame_figure(a, va, ctx), _frame_figure(b, vb, ctx)
    return fa is None or fb is None or nouns_comparable(fa, fb)


def _disjoint(na: dict[str, Any], nb: dict[str, Any]) -> bool:
    lo_a, hi_a = na.get("low", na["value"]), na.get("high", na["value"])
    lo_b, hi_b = nb.get("low", nb["value"]), nb.get("high", nb["value"])
    hi_a = float("inf") if hi_a is None else hi_a
    hi_b = float("inf") if hi_b is None else hi_b
    return hi_a < lo_b or hi_b < lo_a


class NLIJudge:
    """A natural-language-inference cross-encoder as a judge.

    ``model`` is a directory or a hub name of a sentence-transformers ``CrossEncoder``
    trained for NLI; its config's ``id2label`` must name a contradiction label. Pairs are
    scored both ways and the larger contradiction probability counts. Only pairs about the
    same thing (a shared entity) are judged, so unrelated sentences are never flagged.
    """

    name = "nli"

    def __init__(self, model: str, threshold: float = 0.7, device: str = "cpu",
                 require_shared_entity: bool = True) -> None:
        self.model_ref = model
        self.threshold = threshold
        self.device = device
        self.require_shared_entity = require_shared_entity
        self._model: Any = None
        self._contradiction: int | None = None

    def load(self) -> Any:
        if self._model is None:
            from ..nlp import ModelLoadError

            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                from sentence_transformers import CrossEncoder

                model = CrossEncoder(self.model_ref, device=self.device)
            except Exception as exc:
                raise ModelLoadError(
                    f"cannot load NLI model {self.model_ref!r} ({type(exc).__name__}: {exc}); "
                    "pass a local cross-encoder directory with --nli-model"
                ) from exc
            self._contradiction = contradiction_index(model)
            self._model = model
        return self._model

    def contradiction_scores(self, pairs: list[tuple[str, str]]) -> list[float]:
        """Probability of "contradiction" for each (premise, hypothesis) pair."""
        import numpy as np

        model = self.load()
        if not pairs:
            return []
        logits = np.asarray(model.predict(pairs, apply_softmax=False, show_progress_bar=False),
                            dtype=np.float64)
        if logits.ndim == 1:  # a single-output model scores "conflict" directly
            return [float(x) for x in 1 / (1 + np.exp(-logits))]
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        return [float(p) for p in probs[:, self._contradiction or 0]]

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        shared = ctx.rare_shared(a, b)
        if self.require_shared_entity and not shared:
            return None
        s1, s2 = self.contradiction_scores([(a.text, b.text), (b.text, a.text)])
        score = max(s1, s2)
        if score < self.threshold:
            return None
        kind = classify_kind(a, b, "nli")
        key = shared[0] if shared else "nli"
        label = ctx.label(key, a, b) if shared else "statements"
        expl = (explain(kind, "nli", label, f"nli:{key}", [a, b], ctx)
                + f" (NLI contradiction probability {score:.2f})")
        return Verdict(kind, round(score, 3), expl, f"nli:{key}", label, "nli", judge="nli")


def contradiction_index(model: Any) -> int:
    """Index of the "contradiction" output of an NLI cross-encoder."""
    config = getattr(getattr(model, "model", None), "config", None)
    id2label = getattr(config, "id2label", None) or {}
    for idx, label in id2label.items():
        if str(label).lower().startswith("contradict"):
            return int(idx)
    log.warning("NLI model has no 'contradiction' label (%s); using output 0", id2label)
    return 0


def default_judges() -> list[Judge]:
    from .classes import class_judges

    return [RuleJudge(), *class_judges()]


def make_judges(judge: str = "rule", nli_model: str | None = None,
                threshold: float = 0.7) -> list[Judge]:
    """Judges by name for the CLI: ``rule`` (default) or ``nli`` (rule + NLI)."""
    judges: list[Judge] = default_judges()
    if judge == "nli":
        if not nli_model:
            raise ValueError("--judge nli needs --nli-model PATH_OR_NAME")
        judges.append(NLIJudge(nli_model, threshold=threshold))
    elif judge != "rule":
        raise ValueError(f"unknown judge {judge!r}; use 'rule' or 'nli'")
    return judges
