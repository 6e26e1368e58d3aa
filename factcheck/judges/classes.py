"""The class judges behind one gate, one judge per conflict class over claim frames
(:mod:`factcheck.judges.frames`). Each judge answers one question about a pair of claims and
abstains otherwise:

- :mod:`.figures` — :class:`FigureJudge`: one quantity (same measure, population, unit,
  scope) given two values: a ``series`` when it moved over time, a ``contradiction`` when it
  cannot have (one time; a fixed fact such as who was aboard; competing estimates);
- :mod:`.disputes` — :class:`DenialJudge` (an event said not to have happened, a report
  called untrue / baseless / fabricated), :class:`PositionJudge` and :class:`OutcomeJudge`
  (opposite stances), :class:`EvaluationJudge` ("free and fair" vs "a farce"),
  :class:`BlameJudge` (one outcome, responsibility put on different causes): ``dispute``;
- :mod:`.states` — :class:`StateJudge` (in force -> suspended -> back in force: ``update``)
  and :class:`StageJudge` ("has arrived" vs "has not left yet": ``contradiction``);
- :mod:`.common` (parties, labels, the base class) and :mod:`.clauses` (what a negation
  reaches, places, pronoun claims) are what they share.

Precision first: every judge needs the two claims to be about the same thing (shared rare
topic words, or one article), from two parties where a dispute needs two, and never fires on
agreement ("backed her assessment") or on the same figure restated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..records import Claim
from .disputes import (
    BlameJudge,
    DenialJudge,
    EvaluationJudge,
    OutcomeJudge,
    PositionJudge,
)
from .figures import FigureJudge
from .states import (
    StageJudge,
    StateJudge,
)

if TYPE_CHECKING:
    from . import JudgeContext, Verdict

GATE_RARITY = 2.5  # no judge acts on a pair whose rarest shared word is commoner than this


class ClassJudges:
    """The class judges behind one cheap gate: most candidate pairs share no topic word and
    carry no figures or evaluations on both sides, and none of the judges could fire."""

    name = "rule"
    frames_only = True  # judges the pairs only frame keys propose

    def __init__(self, judges: list[Any] | None = None) -> None:
        self.judges = judges if judges is not None else [
            FigureJudge(), DenialJudge(), PositionJudge(), OutcomeJudge(), EvaluationJudge(),
            BlameJudge(),
            StateJudge(), StageJudge()]
        self._coulds = [(j, getattr(j, "could", None)) for j in self.judges]

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext, bits: int = -1) -> Verdict | None:
        """``bits``: which judges' ``could`` already holds (bit ``k`` for ``judges[k]``; the
        report computes them for all pairs at once, :mod:`.capability`); -1 tests each."""
        fc = ctx.frames
        gates = fc._gate  # read directly: this runs on every candidate pair
        fa, ra, ea, ma = gates.get(id(a)) or fc.gate(a, GATE_RARITY)
        fb, rb, eb, mb = gates.get(id(b)) or fc.gate(b, GATE_RARITY)
        if (ra.isdisjoint(fb.topic_stems) and not (ea and eb) and ma.isdisjoint(mb)
                and not (fa.blame and fb.blame)  # blame names its outcome around it
                and not (fa.victory and fb.victory)  # so does "the group remains a threat"
                and (id(a), id(b)) not in fc.answered and (id(b), id(a)) not in fc.answered):
            return None
        best = None
        for k, (j, could) in enumerate(self._coulds):
            if bits != -1:
                if not bits >> k & 1:
                    continue
            elif could is not None and not could(fa, fb):
                continue  # the judge's own first test, without the call and frame look-ups
            v = j.judge(a, b, ctx)
            if v is not None and (best is None or v.score > best.score):
                best = v
        return best


def class_judges() -> list[Any]:
    return [ClassJudges()]
