"""Which judges could act on which candidate pairs, for all pairs at once (issue #12 speed).

A report has tens of thousands of candidate pairs and most of them are settled by each
judge's first test ("both claims carry figures", "one side negates, the other asserts").
Calling every judge on every pair to run that test costs more than the judging itself, so
each claim's capabilities are read once and the first tests are run over arrays of pairs:

- :class:`~factcheck.judges.RuleJudge` acts only on a pair with a denial on one side, one
  war-toll figure key on both, an event frame with two polarities between them, or one
  evaluative scale with two values (its own checks, in that order, need these);
- each class judge's ``could(fa, fb)`` reads only a frame's flags (:func:`profile`), so it is
  called once per pair of distinct flag profiles that occur, not once per pair of claims.

A mask is a necessary condition: a pair it drops is one the judge would return ``None`` for,
so the report is unchanged (``tests/test_capability.py`` compares masked and unmasked
reports). A judge without a mask here is asked about every pair.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..records import Claim


def profile(fr: Any) -> tuple[Any, ...]:
    """The frame flags a class judge's ``could`` may read (truth values of its lists).

    A ``could`` that reads anything else (stems, scopes' contents) must not be masked here:
    add what it reads to this tuple."""
    return (fr.neg, fr.denial, fr.modal, fr.agree, fr.blame, bool(fr.evaluations),
            fr.valence, fr.legality, fr.state, fr.state_restriction, bool(fr.figures),
            bool(fr.neg_scope), bool(fr.modal_scope), bool(fr.target), fr.victory)


def class_bits(coulds: list[Any], frames: list[Any], ii: np.ndarray, jj: np.ndarray
               ) -> np.ndarray:
    """Per pair, bit ``k`` set when the ``k``-th class judge's ``could`` holds (a judge
    without one always has its bit set)."""
    ids: dict[tuple[Any, ...], int] = {}
    reps: list[Any] = []
    by_frame: dict[int, int] = {}  # claims of one text share their frame object
    prof = np.empty(len(frames), dtype=np.int64)
    for n, fr in enumerate(frames):
        k = by_frame.get(id(fr))
        if k is None:
            p = profile(fr)
            k = ids.get(p)
            if k is None:
                k = ids[p] = len(reps)
                reps.append(fr)
            by_frame[id(fr)] = k
        prof[n] = k
    combo = prof[ii] * len(reps) + prof[jj]
    # One ``could`` call per profile pair that occurs, in a table over all profile pairs
    # (a few hundred profiles in practice; past that, over the pairs that occur).
    if len(reps) > 2000:
        uniq, inverse = np.unique(combo, return_inverse=True)
        return class_table(coulds, reps, uniq)[inverse.ravel()]
    present = np.flatnonzero(np.bincount(combo, minlength=len(reps) * len(reps)))
    table = np.zeros(len(reps) * len(reps), dtype=np.int64)
    table[present] = class_table(coulds, reps, present)
    return table[combo]


def class_table(coulds: list[Any], reps: list[Any], combos: np.ndarray) -> np.ndarray:
    """The class bits of each profile pair ``c`` (profiles ``c // n`` and ``c % n``)."""
    table = np.zeros(len(combos), dtype=np.int64)
    for u, c in enumerate(combos.tolist()):
        fa, fb = reps[c // len(reps)], reps[c % len(reps)]
        bits = 0
        for k, could in enumerate(coulds):
            if could is None or could(fa, fb):
                bits |= 1 << k
        table[u] = bits
    return table


def _frame_bits(names: dict[str, int], frame: str) -> int:
    # One bit per event frame (a shared bit for names past 62: only more pairs pass).
    return 1 << names.setdefault(frame, min(len(names), 62))


def rule_mask(claims: list[Claim], ii: np.ndarray, jj: np.ndarray,
              skip_frames: frozenset[str]) -> np.ndarray:
    """Pairs the rule judge could act on (see the module doc)."""
    n = len(claims)
    denial = np.zeros(n, dtype=bool)
    scale_any = np.zeros(n, dtype=bool)
    pos = np.zeros(n, dtype=np.int64)  # frames with a +1 event
    neg = np.zeros(n, dtype=np.int64)  # frames with a -1 event
    other = np.zeros(n, dtype=np.int64)  # frames with another polarity, or two in one claim
    war: list[frozenset[str]] = []
    scales: list[dict[str, set[Any]]] = []
    names: dict[str, int] = {}
    for i, c in enumerate(claims):
        d = c.data or {}
        denial[i] = bool(d.get("denial"))
        war.append(frozenset(str(x["key"]) for x in d.get("numbers") or ()
                             if str(x["key"]).endswith("|conflict")))
        sc: dict[str, set[Any]] = {}
        for s in d.get("scales") or ():
            sc.setdefault(s["scale"], set()).add(s["value"])
        scales.append(sc)
        scale_any[i] = bool(sc)
        for ev in d.get("events") or ():
            if ev["frame"] in skip_frames:
                continue
            bit = _frame_bits(names, ev["frame"])
            if ev["polarity"] == 1:
                pos[i] |= bit
            elif ev["polarity"] == -1:
                neg[i] |= bit
            else:
                other[i] |= bit
        other[i] |= pos[i] & neg[i]  # both polarities in one claim: any partner differs
    any_a, any_b = (pos | neg | other)[ii], (pos | neg | other)[jj]
    opposite = (((pos[ii] & neg[jj]) | (neg[ii] & pos[jj]) | (other[ii] & any_b)
                 | (any_a & other[jj])) != 0)
    mask = denial[ii] | denial[jj] | opposite
    # Figures and scales are rarer: test the few pairs that have them on both sides exactly.
    for k in np.flatnonzero(~mask & (scale_any[ii] & scale_any[jj])).tolist():
        sa, sb = scales[ii[k]], scales[jj[k]]
        mask[k] = any(len(sa[s] | sb[s]) > 1 for s in sa.keys() & sb.keys())
    has_war = np.fromiter((bool(w) for w in war), dtype=bool, count=n)
    for k in np.flatnonzero(~mask & has_war[ii] & has_war[jj]).tolist():
        mask[k] = not war[ii[k]].isdisjoint(war[jj[k]])
    return mask


def pair_masks(judges: list[Any], claims: list[Claim], ctx: Any, ii: np.ndarray,
               jj: np.ndarray) -> list[tuple[np.ndarray | None, bool]]:
    """Per judge: (for each pair, 0 when the judge cannot act on it, else non-zero; ``None``
    when the judge has no mask), and whether the value is the class judges' ``bits``."""
    from . import SKIP_FRAMES, RuleJudge
    from .classes import ClassJudges

    frames = None
    out: list[tuple[np.ndarray | None, bool]] = []
    for judge in judges:
        if type(judge) is RuleJudge:
            out.append((rule_mask(claims, ii, jj, SKIP_FRAMES), False))
        elif type(judge) is ClassJudges:
            if frames is None:
                frames = [ctx.frames.get(c) for c in claims]
            coulds = [could for _, could in judge._coulds]
            out.append((class_bits(coulds, frames, ii, jj), True))
        else:
            out.append((None, False))
    return out
