"""The report's speed-ups change no result (issue #12).

- The pair masks (judges.capability) are necessary conditions: every judge test module's
  corpora give the same report with and without them (the judge tests are re-run with
  ``find_conflicts`` comparing both), and a mixed synthetic corpus does too.
- Candidate pairs built as numpy codes (factcheck.pairing) are the pairs the set-based
  blocking gave, frame-only pairs included.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from dataclasses import asdict

import numpy as np
import pytest

from factcheck import crosscheck
from factcheck.crosscheck import (
    SIGNAL_KEY,
    blocking_keys,
    candidate_pairs,
    find_conflicts,
    frame_keys,
)
from factcheck.judges import JudgeContext, RuleJudge
from factcheck.records import Article, Claim
from tests import (
    test_class_judges,
    test_dispute_judges,
    test_dispute_wording,
    test_figure_judges,
    test_figure_stories,
)


def _same(masked: list, unmasked: list) -> None:
    assert [asdict(c) for c in masked] == [asdict(c) for c in unmasked]


def _checked(*args, **kw):
    got = find_conflicts(*args, **kw)
    _same(got, find_conflicts(*args, **{**kw, "prefilter": False}))
    return got


MODULES = [test_class_judges, test_dispute_judges, test_dispute_wording, test_figure_judges,
           test_figure_stories]
CASES = [(m, name) for m in MODULES for name, fn in vars(m).items()
         if name.startswith("test_") and callable(fn) and not inspect.signature(fn).parameters]


@pytest.mark.parametrize("module,name", CASES, ids=[f"{m.__name__.split('.')[-1]}::{n}"
                                                    for m, n in CASES])
def test_judge_cases_same_with_and_without_masks(monkeypatch, module, name):
    for m in MODULES:  # the figure tests build their corpora with the class tests' helper
        if hasattr(m, "find_conflicts"):
            monkeypatch.setattr(m, "find_conflicts", _checked)
    getattr(module, name)()


def _mixed(n: int) -> tuple[list[Claim], dict[str, Article]]:
    """Claims with every kind of analysis the rule judge reads, spread over a few topics."""
    rng = np.random.default_rng(7)
    texts = [
        "The ministry said the fuel convoy reached the port of Valdor on Monday",
        "The rebels denied that the fuel convoy reached the port of Valdor",
        "Officials said 1,200 people were killed in the war so far",
        "Medics said 1,900 people were killed in the war so far",
        "The truce in the hill district was suspended after the shelling",
        "The truce in the hill district is back in force, the mediators said",
        "The council called the new toll scheme fair and transparent",
        "Drivers called the new toll scheme unfair and reckless",
        "The dam operator was to blame for the flooding of the valley",
        "Heavy rain alone caused the flooding of the valley, the operator said",
    ]
    claims, articles = [], {}
    for i in range(n):
        t = texts[i % len(texts)]
        art = f"a{i // 3}"
        articles.setdefault(art, Article(id=art, text=t, source=f"Outlet {i % 5}",
                                         published=f"20{10 + i % 8}-0{1 + i % 9}-1{i % 9}"))
        data: dict = {"entities": [f"topic{i % 7}", "valdor"] if i % 2 else [f"topic{i % 7}"]}
        if i % 3 == 0:
            data["events"] = [{"frame": ["supply", "truce", "support"][i % 3],
                               "polarity": int(rng.choice([1, -1])), "lemma": "x",
                               "agent": None}]
        if i % 5 == 0:
            data["numbers"] = [{"key": "killed|conflict", "value": float(100 * (i % 9 + 1)),
                                "measure": "killed"}]
        if i % 11 == 0:
            data["scales"] = [{"scale": "ready", "word": "ready",
                               "value": int(rng.choice([1, -1]))}]
        if i % 13 == 0:
            data["denial"] = {"target_start": 0, "target_end": 5}
        claims.append(Claim(text=t, start=0, end=len(t), article_id=art,
                            speaker=f"Speaker {i % 4}" if i % 2 else None,
                            claim_time=articles[art].published, data=data))
    return claims, articles


def test_mixed_corpus_same_with_and_without_masks():
    claims, articles = _mixed(240)
    rng = np.random.default_rng(1)
    vecs = rng.normal(size=(len(claims), 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    got = _checked(claims, vecs, articles, bucket_cap=12)
    assert got  # the corpus has conflicts: the comparison is not between two empty lists


def test_rule_mask_never_drops_a_rule_verdict():
    from factcheck.judges import SKIP_FRAMES
    from factcheck.judges.capability import rule_mask

    claims, articles = _mixed(90)
    ctx = JudgeContext(articles=articles, n_claims=len(claims))
    ctx.frames.fit(claims, articles)
    ii, jj = np.triu_indices(len(claims), 1)
    mask = rule_mask(claims, ii, jj, SKIP_FRAMES)
    judge = RuleJudge()
    fired = [k for k, (i, j) in enumerate(zip(ii.tolist(), jj.tolist()))
             if judge.judge(claims[i], claims[j], ctx) is not None]
    assert fired and all(mask[k] for k in fired)
    assert not mask.all()  # and it does drop pairs


def _reference_pairs(claims, frames, bucket_cap=40, window=4):
    """The set-based blocking the numpy codes replaced (kNN left out)."""
    buckets: dict[str, list[int]] = defaultdict(list)
    signal: set[int] = set()
    for i, c in enumerate(claims):
        for key in blocking_keys(c):
            buckets[key].append(i)
        fr = frames.get(c)
        context = (frames.context(c) if (fr.evaluations or fr.legality or fr.blame)
                   else frozenset())
        for key in frame_keys(fr, frames, context=context, article=c.article_id):
            if key == SIGNAL_KEY:
                signal.add(i)
            else:
                buckets[key].append(i)

    def windowed(members, w):
        order = sorted(members, key=lambda i: (claims[i].claim_time or "",
                                               claims[i].article_id, claims[i].start))
        return [(order[x], order[y]) for x in range(len(order))
                for y in range(x + 1, min(len(order), x + 1 + w))]

    pairs: set[tuple[int, int]] = set()
    frame_only: set[tuple[int, int]] = set()
    for key in sorted(buckets, key=lambda k: k.startswith(("w:", "q:"))):
        members = buckets[key]
        wide = not key.startswith("w:")
        if len(members) <= bucket_cap:
            got = [(x, y) for n, x in enumerate(members) for y in members[n + 1:]]
        else:
            got = windowed(members, window if wide else 2)
        new = {(min(x, y), max(x, y)) for x, y in got
               if x != y and (wide or x in signal or y in signal)}
        if key.startswith(("w:", "q:")):
            frame_only |= new - pairs
        pairs |= new
    return pairs, frame_only


def test_candidate_codes_are_the_set_based_pairs():
    claims, articles = _mixed(300)
    ctx = JudgeContext(articles=articles, n_claims=len(claims))
    ctx.frames.fit(claims, articles)
    for cap in (5, 40):
        want, want_only = _reference_pairs(claims, ctx.frames, bucket_cap=cap)
        only: set[tuple[int, int]] = set()
        got = candidate_pairs(claims, None, bucket_cap=cap, frames=ctx.frames,
                              frame_only=only)
        # Denial links come on top of the buckets.
        links = got - want
        assert all((claims[i].data or {}).get("denial") or (claims[j].data or {}).get("denial")
                   for i, j in links)
        assert want <= got and only == want_only and want_only


def test_neighbour_codes_drop_self_and_missing():
    from factcheck.pairing import neighbour_codes, to_pairs

    idx = np.array([[0, 2, -1], [1, 0, 7], [2, 1, 0]])
    assert to_pairs(neighbour_codes(idx, 3), 3) == {(0, 2), (0, 1), (1, 2)}
    assert crosscheck.pairing is not None


def test_every_could_reads_only_profiled_flags():
    """A class judge's ``could`` is called once per pair of flag profiles, so every frame
    field it reads must be in ``capability.profile`` (a missing one silently drops pairs)."""
    import re

    from factcheck.judges.capability import profile
    from factcheck.judges.classes import class_judges

    profiled = set(re.findall(r"\bfr\.(\w+)", inspect.getsource(profile)))
    judges = [j for group in class_judges() for j in getattr(group, "judges", [group])]
    assert len(judges) > 5
    for judge in judges:
        could = getattr(judge, "could", None)
        if could is None:
            continue
        read = set(re.findall(r"\bf[ab]\.(\w+)", inspect.getsource(could)))
        assert read <= profiled, f"{type(judge).__name__}.could reads {read - profiled}"
