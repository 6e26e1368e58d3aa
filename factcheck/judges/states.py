"""State judges: a state that changed over time (:class:`StateJudge`: an ``update``) and
two stages of one process told at one time (:class:`StageJudge`: a ``contradiction``)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import Claim
from ..timeexpr import time_relation
from .clauses import (
    OBJECT_REACH,
    _agent,
    _distance,
)
from .common import (
    _Base,
    _frames,
    _phrase,
    _verdict,
    topic_label,
)
from .frames import (
    _UNREAL,
    Frame,
    negated_at,
)

if TYPE_CHECKING:
    from . import JudgeContext, Verdict


class StateJudge(_Base):
    """A state that changed between two dates: in force -> suspended -> back in force."""

    min_weight = 3.0
    min_rare = 3.0

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return bool(fa.state and fb.state and fa.state != fb.state)

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        if not fa.state or not fb.state or fa.state == fb.state:
            return None
        if fa.modal in ("should", "may", "hope") or fb.modal in ("should", "may", "hope"):
            return None
        if a.article_id == b.article_id or fa.denial or fb.denial:
            return None  # a state reported over time is in two reports; denied, it is moot
        rel = time_relation(a.claim_time, b.claim_time, tolerance_days=3)
        if rel not in ("before", "after"):
            return None
        fc = _frames(ctx)
        shared, weight = fc.shared(fa, fb)
        if len(shared) < 2 or weight < 7.0 or fc.idf(shared[0]) < self.min_rare:
            return None
        # What changed is what the state word is about: a shared word close to it in both
        # ("suspended the corridor" / "the corridor is open again"), not a name elsewhere.
        near = [s for s in shared if _distance(a.text, s, fa.state_at) <= OBJECT_REACH
                and _distance(b.text, s, fb.state_at) <= OBJECT_REACH
                and not (_agent(a.text, s, fa.state_at) or _agent(b.text, s, fb.state_at))]
        if not near:
            return None
        near.sort(key=lambda s: _distance(a.text, s, fa.state_at))
        key = near[0]
        what = _phrase(a.text, set(shared), frozenset({key}), fc) or key
        m = _RESTRICTION.search(a.text, fa.state_at) if fa.state_restriction else None
        if m is not None and m.start() - fa.state_at <= OBJECT_REACH:
            what = " ".join(m.group(0).split())  # "the state of emergency in the capital"
        label = f"{what} — status"
        topic = f"state:{key}"
        return _verdict("update", 0.65, "", topic, label, "state")


# What a lifted / imposed restriction is, as the report says it.
_RESTRICTION = re.compile(r"(?:state of |\w+ )?(?:emergency|curfew|ban|embargo|blockade|"
                          r"sanctions?|restrictions?|lockdown|closure)(?:\s+(?:in|on|of|"
                          r"against)\s+(?:the\s+)?[A-Z][\w-]*)?")


# Stages of a delivery, in order: sent on its way, arrived, in service. "The first batch has
# arrived" reaches stage 2; "the shipment has not left yet" is still before stage 1.
_STAGES: list[tuple[int, re.Pattern[str]]] = [
    (3, re.compile(r"\b(?:installed|deployed|operational|in service|put into service|"
                   r"commissioned)\b", re.I)),
    (2, re.compile(r"\b(?:arrived|arrive|arrives|arriving|delivered|reached|received|landed|"
                   r"unloaded|handed over|docked)\b", re.I)),
    (1, re.compile(r"\b(?:left|leave|leaves|leaving|shipped|dispatched|loaded|set sail|"
                   r"sailed|departed|depart|on (?:its|their) way|en route|under way)\b", re.I)),
]


_YET = re.compile(r"\b(?:yet to|still to|has yet|have yet|had yet)\b", re.I)


_STAGE_REACH = 70  # characters between a stage word and the thing it is said of


_STAGE_NAMES = {1: "dispatch", 2: "arrival", 3: "deployment"}


@lru_cache(maxsize=50_000)
def stage_of(text: str) -> tuple[int, int]:
    """(stage, offset): +s when stage s is said to be reached, -s when it is said not to be
    ("has not left yet", "is yet to arrive"), 0 when no stage is named."""
    for st, rx in _STAGES:
        m = rx.search(text)
        if m is None:
            continue
        before = text[max(0, m.start() - 40): m.start()]
        if negated_at(text, m.start(), 4) or _YET.search(before):
            return -st, m.start()
        if _UNREAL.search(before) or re.search(r"\b(?:will|would|could|may|might|should|"
                                               r"expected to|due to|set to|plans? to|if)\s+"
                                               r"(?:\w+\s+){0,2}$", before, re.I):
            return 0, -1  # a plan or a hope, not a fact
        return st, m.start()
    return 0, -1


class StageJudge(_Base):
    """Fact vs fact: one report says a delivery reached a stage ("the first batch has
    arrived"), another of the same weeks that it has not reached an earlier one ("the
    shipment has not left yet"). Both cannot be true: a ``contradiction``. The other order
    in time (not left in May, arrived in June) is progress, not a conflict."""

    min_weight = 6.0
    min_rare = 3.5

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return fa.neg != fb.neg and not fa.denial and not fb.denial

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        (sa, at_a), (sb, at_b) = stage_of(a.text), stage_of(b.text)
        if not sa or not sb or (sa > 0) == (sb > 0):
            return None
        (pos, p_at, ps), (neg, n_at, ns) = sorted(
            ((a, at_a, sa), (b, at_b, sb)), key=lambda t: -t[2])
        if ps < -ns:
            return None  # "has left" vs "has not arrived": both true
        if time_relation(pos.claim_time, neg.claim_time, tolerance_days=3) == "after":
            return None  # not sent in May, arrived in June: progress
        if time_relation(pos.claim_time, neg.claim_time, tolerance_days=45) != "same":
            return None  # months apart: another shipment
        if pos.article_id == neg.article_id:
            return None
        fc = _frames(ctx)
        fp, fn = fc.get(pos), fc.get(neg)
        shared = self.about_same(pos, neg, fp, fn, ctx, min_shared=1)
        if shared is None:
            return None
        near = [s for s in shared if _distance(pos.text, s, p_at) <= _STAGE_REACH
                and _distance(neg.text, s, n_at) <= _STAGE_REACH]
        if not near or max(fc.idf(s) for s in near) < self.min_rare:
            return None  # what arrived is not what has not left
        key, label = topic_label(pos, neg, ctx, near, frozenset(near))
        return _verdict("contradiction", 0.7, "", f"stage:{key}",
                        f"{label} — {_STAGE_NAMES[ps]}", "stage")
