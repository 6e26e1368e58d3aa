"""The dispute judges: a denial of a reported event (:class:`DenialJudge`), opposite
stances (:class:`PositionJudge`, :class:`OutcomeJudge`), clashing evaluations
(:class:`EvaluationJudge`) and blame put on different causes (:class:`BlameJudge`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import Claim
from ..timeexpr import time_relation
from .clauses import (
    AGAINST,
    _anaphoric_pair,
    _count_denied,
    _objects_after,
    _one_clause,
    _other_place,
    _same_predicate,
)
from .common import (
    _Base,
    _frames,
    party,
    two_parties,
)
from .frames import (
    Frame,
    FrameCache,
    stem,
    stems_of,
    topic_of,
)

if TYPE_CHECKING:
    from . import JudgeContext, Verdict


class DenialJudge(_Base):
    """An event asserted by one party, denied (or called untrue) by another."""

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        """One side negates or denies, the other asserts; neither evaluates."""
        return ((fa.neg or fa.denial) != (fb.neg or fb.denial)
                and not fa.evaluations and not fb.evaluations)

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        for x, y, fx, fy in ((a, b, fa, fb), (b, a, fb, fa)):
            if (id(x), id(y)) in ctx.frames.answered and two_parties(x, y, ctx):
                # "Norland rejected the accusation": it answers the claim before it.
                fc = _frames(ctx)
                # Named for the outcome when there is one ("the blast"), else its rarest words.
                # Not how it was said ("emphatically disagreed"): adverbs and reporting verbs.
                said = {stem(w) for w in _ADVERB.findall(x.text)} | _REPORTING
                pool = fx.topic_stems - said
                if len(pool & fx.lower_stems) >= 2 and not pool & _OUTCOME_STEMS:
                    pool &= fx.lower_stems  # the event, not the places and names around it
                own = sorted(pool, key=lambda s: (s not in _OUTCOME_STEMS, fc.df.get(s, 0), s)
                             )[:4] or sorted(
                    fx.topic_stems, key=lambda s: (fc.df.get(s, 0), s))[:4]
                return self._dispute(x, y, ctx, "denial-frame", "denial", 0.75, own,
                                     prefer=_OUTCOME_STEMS & frozenset(own))
            # y denies; x asserts plainly (no negation, no denial, not a wish or a guess).
            if not (fy.neg or fy.denial) or fx.neg or fx.denial or fx.modal in ("may", "hope",
                                                                                  "should"):
                continue
            if len(fy.neg_scope & fx.topic_stems) < 2:
                continue  # fewer than two denied words the other side uses (tested below)
            if fy.agree or fx.agree or not two_parties(x, y, ctx):
                continue
            if x.article_id != y.article_id and _far_apart(x, y):
                continue  # a denial answers a report of days or weeks, not one years apart
            if fy.denial and _tail_denial(y.text):
                continue  # "X said it took the town, but the government denied it": one
                # report of both sides; the claim itself asserts what the other says
            if fy.modal in ("should", "hope") or fx.evaluations or fy.evaluations:
                continue  # stances and evaluations have their own judges
            if fy.denial and self._accused(x, y, fx, fy, ctx):
                shared = _frames(ctx).shared(fx, fy)[0]
                return self._dispute(x, y, ctx, "denial-frame", "denial", 0.7, shared,
                                     prefer=fy.neg_scope & fx.lower_stems)
            shared = self.about_same(x, y, fx, fy, ctx)
            if shared is None:
                continue
            w = _frames(ctx).shared(fx, fy)[1]
            # What is negated must be what the other side asserts: "No vessel opened fire
            # on the Sea Wren" against "a patrol boat opened fire on the Sea Wren".
            denied = fy.neg_scope & set(shared)
            if len(denied) < 2 or len(shared) < 3 or w < 8.0:
                continue
            if not denied & fx.lower_stems & fy.lower_stems:
                continue  # only a name in common ("not monitored by the X Mission")
            if fx.stems & AGAINST:
                continue  # "we condemn any aid convoy" agrees with "we will not accept it"
            if _other_place(x.text, y.text, _frames(ctx).context(x), _frames(ctx).context(y)):
                continue  # accepted "in the north", refused "in the coastal strip"
            if not _same_predicate(x.text, y.text):
                continue  # "will not accept the exercise" vs "ready to discuss the exercise"
            if not _one_clause(x.text, y.text, denied, shared):
                continue  # "accept the convoy in the strip, and discuss the exercise" vs
                # "do not support the exercise in the strip": two clauses, two things
            fc = _frames(ctx)
            rarest = sorted(fy.neg_scope, key=lambda s: (fc.df.get(s, 0), s))[:2]
            scope_mass = sum(fc.idf(s) for s in fy.neg_scope)
            denied_mass = sum(fc.idf(s) for s in denied)
            counted = _count_denied(fx, fy, y.text)
            if not set(rarest) & fx.topic_stems and not counted and not (
                    len(denied) >= 4 and denied_mass >= DENIED_MOST * scope_mass):
                continue  # the most specific thing denied is not what the other asserts
                # (unless most of what is denied is: "denied that the fuel depot was shelled,
                # where footage showed its tanks burning")
            if denied_mass < DENIED_SHARE * scope_mass and not counted:
                continue  # "cannot support the ceasefire" vs "support the border closure"
            # The label names what is denied, in the words of the report (lowercase: the
            # event, not the outlet whose report is denied).
            return self._dispute(x, y, ctx, "denial-frame", "denial",
                                 min(0.9, 0.6 + 0.02 * w), shared,
                                 prefer=denied & fx.lower_stems)
        return None


    def _accused(self, x: Claim, y: Claim, fx: Frame, fy: Frame, ctx: JudgeContext) -> bool:
        """Denial by the accused: ``x`` says something of a party ("the launcher had been
        supplied to the rebels"), that party denies it in so many words ("the rebels denied
        possessing any launcher"). What is denied, less the party's name, is in ``x``."""
        fc = _frames(ctx)
        names = stems_of(party(y, ctx)) - _PARTY_SKIP
        # "the Norlandic army denied" answers what is said of Norland: a name and its
        # adjective share their first five letters at least.
        names |= {s for s in fx.stems for n in names
                  if min(len(s), len(n)) >= 5 and (s.startswith(n) or n.startswith(s))}
        if not names or not names & fx.stems:
            return False
        shared, weight = fc.shared(fx, fy)
        if not fc.same_story(x, y) and (len(shared) < 2 or weight < 8.0):
            return False  # another story that names the same party
        denied = (fy.neg_scope & fx.topic_stems) - names
        if not any(fc.idf(s) >= 3.5 for s in denied):
            return False
        if fx.stems & AGAINST or _other_place(x.text, y.text, fc.context(x), fc.context(y)):
            return False
        # Most of what the denial names (by rarity) is in the other claim.
        scope = fy.neg_scope - names
        return sum(fc.idf(s) for s in denied) >= DENIED_MOST * sum(fc.idf(s) for s in scope)


_ADVERB = re.compile(r"\b[a-z]{3,}ly\b")


_REPORTING = frozenset(stem(w) for w in "disagreed agreed came comes said added stressed noted "
                       "announced claimed insisted earlier reported near".split())


# A denial only as the closing clause of a sentence that reports the claim it denies.
_TAIL_DENIAL = re.compile(r"[,;]?\s+(?:but|while|though|although)\s+(?:[\w'’-]+\s+){0,5}?"
                          r"(?:denied|denies|deny|rejected|rejects|disputed|disputes)"
                          r"(?:\s+(?:it|this|that|the claims?|the reports?))?\s*[.!]?\s*$",
                          re.I)


@lru_cache(maxsize=50_000)
def _tail_denial(text: str) -> bool:
    return bool(_TAIL_DENIAL.search(text))


def _far_apart(x: Claim, y: Claim, days: int | None = None) -> bool:
    """More than ``days`` (DENIAL_REACH_DAYS) between two claims' times; the same month is
    never far (no date parsing on most pairs)."""
    tx, ty = x.claim_time or "", y.claim_time or ""
    if not tx or not ty or tx[:7] == ty[:7]:
        return False
    return time_relation(tx, ty, days or DENIAL_REACH_DAYS) in ("before", "after")


_PARTY_SKIP = frozenset(stems_of("the a an of for and self said spokesman spokeswoman "
                                 "official officials ministry government office outlet "
                                 "defence defense foreign interior state national"))


class PositionJudge(_Base):
    """Opposite stances on one proposition: "should be X" vs "will never be X"."""

    min_weight = 4.0

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return fa.neg != fb.neg and "should" in (fa.modal, fb.modal)

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        # One side says it should (must, demands) happen; the other that it will not or
        # has no grounds.
        if fa.neg == fb.neg:
            return None
        pos, negated = (fa, fb) if fb.neg else (fb, fa)
        if pos.modal != "should" or negated.modal in ("may", "should"):
            return None  # "could not stop it": ability, not a stance
        if fa.agree or fb.agree or not two_parties(a, b, ctx):
            return None
        shared = self.about_same(a, b, fa, fb, ctx, min_shared=1)
        if shared is None or _frames(ctx).idf(shared[0]) < 4.0:
            return None
        if not negated.neg_scope & pos.modal_scope & set(shared):
            return None  # what one says should happen is not what the other says will not
        pos_c, neg_c = (a, b) if fb.neg else (b, a)
        if not _same_predicate(pos_c.text, neg_c.text, modal=True):
            return None  # "must stop the test" vs "do not support the test": they agree
        wanted, refused = _objects_after(pos_c.text, True), _objects_after(neg_c.text, False)
        if wanted and refused and not wanted & refused:
            return None  # "must accept the ceasefire" vs "do not accept the peace talks"
        fc = _frames(ctx)
        if _other_place(a.text, b.text, fc.context(a), fc.context(b)):
            return None  # "must stop the strikes in the capital" vs "… in the north"
        _, w = _frames(ctx).shared_context(a, b)
        if w < 8.0 and not _frames(ctx).same_story(a, b):
            return None  # one word in common, but two different stories
        return self._dispute(a, b, ctx, "position", "opposing positions", 0.6, shared)


class OutcomeJudge(_Base):
    """Opposite stances on who won: "we have defeated the militants" vs "they remain a
    deadly threat" / "have not been defeated", from two sides at one time."""

    min_weight = 4.0

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return fa.victory * fb.victory < 0

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        if fa.victory * fb.victory >= 0 or fa.agree or fb.agree or not two_parties(a, b, ctx):
            return None
        if time_relation(a.claim_time, b.claim_time, OUTCOME_REACH_DAYS) in ("before", "after"):
            return None  # months apart, "defeated" then "a threat again" is no one stance
        fc = _frames(ctx)
        shared = self.about_same(a, b, fa, fb, ctx, min_shared=1)
        if shared is None:
            if a.article_id != b.article_id:
                return None
            shared, w = fc.shared_context(a, b)  # one report: "the group", named around it
            if w < 8.0:
                return None
        if _other_place(a.text, b.text, fc.context(a), fc.context(b)):
            return None  # "defeated in the north" vs "a threat in the delta"
        return self._dispute(a, b, ctx, "position", "opposing positions", 0.55, shared)


OUTCOME_REACH_DAYS = 60


def what_clash(fa: Frame, fb: Frame) -> str:
    if fa.legality and fb.legality and fa.legality != fb.legality:
        return "legality"
    return "evaluation"


_WISHED = re.compile(r"\b(?:call\w*\s+for|demand\w*|urg\w*|seek\w*|sought|want\w*|ask\w*\s+"
                     r"for)\s+[\"“']?(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:free|fair|impartial|"
                     r"independent|thorough|transparent|credible|peaceful)\b", re.I)


@lru_cache(maxsize=50_000)
def _wished(text: str) -> bool:
    return bool(_WISHED.search(text))


class EvaluationJudge(_Base):
    """One thing judged good by one party and bad by another (or lawful vs illegal)."""

    min_weight = 3.0
    min_rare = 2.5

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return bool((fa.legality and fb.legality) or (fa.evaluations and fb.evaluations))

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        clash = (fa.legality and fb.legality and fa.legality != fb.legality) or (
            fa.valence and fb.valence and fa.valence != fb.valence)
        if not clash or fa.agree or fb.agree:
            return None
        if any(len(f.evaluations) == 1 and not f.legality and _wished(c.text)
               for c, f in ((a, fa), (b, fb))):
            return None  # "called for an impartial inquiry": a demand, not a verdict
        if not two_parties(a, b, ctx):
            return None
        if (fa.target and fb.target and not fa.target & fb.target and not _anaphoric_pair(a, b)
                and what_clash(fa, fb) != "legality"):
            return None  # "called the convoy historic" vs "called the sanctions premature"
        shared = self.about_same(a, b, fa, fb, ctx, min_shared=1)
        if (shared is None and a.article_id == b.article_id and not _anaphoric_pair(a, b)
                and what_clash(fa, fb) != "legality"):
            # One report, two speakers, two different things judged. Lawful vs illegal in one
            # report is the exception: two sides arguing over the one action it covers.
            return None
        if shared is None and a.article_id != b.article_id:
            # "called the report ...": what is judged is often named only in the sentence.
            shared, w = _frames(ctx).shared_context(a, b)
            if len(shared) < 2 or w < 9.0 or _frames(ctx).idf(shared[0]) < 4.0:
                return None
        what = "legality" if fa.legality and fb.legality else "evaluation"
        if not shared and fa.target:
            shared = sorted(fa.target)  # "called the peg ...": the thing judged names it
        return self._dispute(a, b, ctx, "evaluation", what, 0.55, shared or [],
                             prefer=fa.target | fb.target)


class BlameJudge(_Base):
    """One outcome, responsibility put on different parties or causes."""

    min_weight = 6.0
    min_rare = 3.5

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return fa.blame and fb.blame

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        if not (fa.blame and fb.blame) or fa.agree or fb.agree:
            return None
        if _unknown_culprit(a.text) or _unknown_culprit(b.text):
            return None  # "could not verify who was responsible": no culprit named
        if _first_version(a.text) or _first_version(b.text):
            return None  # "the ministry initially blamed X": a version since given up
        if not two_parties(a, b, ctx):
            return None
        voiced = (a.speaker or id(a) in ctx.frames.voice, b.speaker or id(b) in ctx.frames.voice)
        if a.article_id == b.article_id and not all(voiced):
            return None  # one report laying out one side's case, not two sides
        fc = _frames(ctx)
        ba, bb = blamed(a.text), blamed(b.text)
        if ba and bb and ba & bb:
            return None  # both put it on the same party: they agree
        if ba and bb and not (fa.denial or fb.denial) and (
                {s for s in bb & _blame_tail(a.text) if fc.idf(s) >= 3.5}
                or {s for s in ba & _blame_tail(b.text) if fc.idf(s) >= 3.5}):
            # "held the neighbour responsible, because the missile was its own" vs "downed
            # by a warhead of that missile": each names the other's culprit; they agree.
            return None
        if (a.article_id == b.article_id and ba and bb and not fa.neg and not fb.neg
                and (abs(a.start - b.start) <= NEAR or _one_outcome(a.text, b.text))):
            # One report, two parties next to each other, two culprits: "the farmer's sister
            # held the guards responsible" / "the border service blamed smugglers for the
            # shooting".
            out = outcome(a.text) or outcome(b.text)
            shared = fc.shared_context(a, b)[0]
            what = f"{out} — who is to blame" if out else "who is to blame"
            v = self._dispute(a, b, ctx, "blame", "who is to blame", 0.6, shared)
            if out:
                v.topic_label, v.topic = what, f"blame:{stem(out.split()[-1])}"
            return v
        shared, weight = fc.shared(fa, fb)
        # The same outcome (a rare shared word: "the blast", "the mine") in the same story.
        if (not shared or fc.idf(shared[0]) < 3.5) and a.article_id != b.article_id \
                and ba and bb and fc.same_story(a, b):
            # "X bore responsibility for the disaster" vs "the airliner that crashed was
            # brought down by a missile fired by Y": the outcome is named in the sentences
            # around them, and the two name different culprits.
            shared, weight = fc.shared_context(a, b)
            if len(shared) < 3 or weight < 15.0 or fc.idf(shared[0]) < 4.0:
                return None
            if not _OUTCOME_STEMS & set(shared):
                return None  # the sentences share words, but name no outcome in common
        if not shared or fc.idf(shared[0]) < 3.5:
            return None
        if not fc.same_story(a, b) and (len(shared) < 2 or weight < 8.0):
            return None
        if a.article_id != b.article_id and not _same_event(a, b, shared, fc):
            return None
        ta, tb = _blamed_for(a.text), _blamed_for(b.text)
        if ta and tb and not ta & tb:
            return None  # "blamed the late sailings on …" / "for the sinking": two outcomes
        # Keyed by the outcome when one is shared ("the mine"), so the pairs of one story
        # are one conflict, not one per rare word.
        shared = sorted(shared, key=lambda s: s not in _OUTCOME_STEMS)
        return self._dispute(a, b, ctx, "blame", "who is to blame", 0.6, shared,
                             prefer=_OUTCOME_STEMS)


# Who is blamed: "brought down by X", "X bore responsibility", "blamed X for", "held X
# responsible". Stems of the few words naming the party or cause (no function words).
_BLAMED = [
    re.compile(r"\b(?:brought down|shot down|sunk|caused|laid|downed|destroyed|started|"
               r"carried out)\s+by\s+(?P<who>(?:[\w’'-]+\s+){0,9}[\w’'-]+)", re.I),
    re.compile(r"(?P<who>(?:[\w’'-]+\s+){0,3}[\w’'-]+)\s+(?:bore|bears|bear|had|has|have|"
               r"took|takes)\s+(?:full\s+|sole\s+)?responsibility\b", re.I),
    re.compile(r"(?P<who>(?:[\w’'-]+\s+){0,3}[\w’'-]+)\s+(?:was|were|is|are)\s+"
               r"(?:solely\s+|fully\s+)?(?:responsible|to blame)\b", re.I),
    re.compile(r"\b(?:blamed|blames|blame|held|holds|hold|accused|accuses|accuse)\s+"
               r"(?P<who>(?:[\w’'“”\"-]+\s+){0,4}?[\w’'“”\"-]+)\s+(?:for|responsible|of)\b",
               re.I),
    re.compile(r"\b(?:responsibility|blame|fault)\s+(?:for\s+(?:[\w'’-]+\s+){1,4}?)?"
               r"(?:lies|lie|rests|rest|lay)\s+(?:\w+ly\s+)?(?:with|on|upon)\s+"
               r"(?P<who>(?:[\w’'-]+\s+){0,3}[\w’'-]+)", re.I),
    re.compile(r"\b(?:placed|put|puts|laid|lays|pinned|pins)\s+(?:the\s+)?blame\s+"
               r"(?:for\s+(?:[\w'’-]+\s+){1,4}?)?on\s+(?P<who>(?:[\w’'-]+\s+){0,3}[\w’'-]+)",
               re.I),
    # "the sinking was a result of shore battery fire"
    re.compile(r"\b(?:was|were|is|are)\s+(?:the\s+|a\s+)?(?:direct\s+)?result\s+of\s+"
               r"(?P<who>(?:[\w’'-]+\s+){0,4}[\w’'-]+)", re.I),
    # Active wording: "coastal fighter jets shot down a warplane", "its VK-16s fired on the
    # plane" (the subject, up to three words before the verb).
    re.compile(r"(?:^|[,;]\s+|\b(?:that|said|says)\s+)(?P<who>(?:[\w’'-]+\s+){0,2}[\w’'-]+)\s+"
               r"(?:shot|brought|gunned)\s+down\b|(?:^|[,;]\s+|\b(?:that|said|says)\s+)"
               r"(?P<who2>(?:[\w’'-]+\s+){0,2}[\w’'-]+)\s+(?:fired on|fired at|opened fire on)\b",
               re.I),
    re.compile(r"\b(?:blamed on|the work of|triggered by|set off by|point\w* (?:the|a) "
               r"finger at)\s+"
               r"(?P<who>(?:[\w’'“”\"-]+\s+){0,5}[\w’'“”\"-]+)", re.I),
]


NEAR = 400  # characters: the two sides of one event quoted next to each other in a report


_OUTCOME = re.compile(r"\b(?:for|behind|over|of)\s+(?:the|this|that|his|her|their|its)\s+"
                      r"(?P<o>(?:[a-z][\w-]+\s+){0,2}?(?:violence|death|deaths|killing|killings|"
                      r"crash|collapse|downing|sinking|blast|explosion|attack|fire|flood|"
                      r"flooding|disaster|tragedy|shooting|spill|outage|leak|injuries|strike|"
                      r"collision|derailment|clashes|riot|breach|hack))\b", re.I)


_OUTCOME_STEMS = frozenset(stem(w) for w in (
    "violence death deaths killing crash collapse downing sinking blast explosion attack "
    "fire flood flooding disaster tragedy shooting spill outage leak injuries strike "
    "collision derailment clashes riot breach hack mine missile").split())


_UNKNOWN_CULPRIT = re.compile(r"\b(?:who|whoever)\s+(?:was|is|were|are|had been)\s+"
                              r"(?:responsible|to blame|behind)\b|\bnot\s+(?:yet\s+)?"
                              r"(?:clear|known)\s+who\b", re.I)


_FIRST_VERSION = re.compile(r"\b(?:initially|originally|at first|first)\s+(?:blam\w*|accus\w*|"
                            r"held\s+\w+\s+responsible|said)\b", re.I)


@lru_cache(maxsize=50_000)
def _first_version(text: str) -> bool:
    return bool(_FIRST_VERSION.search(text))


@lru_cache(maxsize=50_000)
def _unknown_culprit(text: str) -> bool:
    return bool(_UNKNOWN_CULPRIT.search(text))


# What happened, as a blame claim names it; the means ("missile", "fire") are left out.
# "The disaster", "the tragedy" can name any event: they never tell two events apart.
_EVENT_STEMS = _OUTCOME_STEMS - frozenset(stem(w) for w in "missile mine fire disaster tragedy "
                                          "violence".split())


_DOWNED = re.compile(r"\b(?:shot|brought|gunned)\s+down\b|\bdowned\b", re.I)


def _events(text: str) -> frozenset[str]:
    got = stems_of(text) & _EVENT_STEMS
    return got | {stem("downing")} if _DOWNED.search(text) else got


def _named_in(text: str, s: str) -> bool:
    """``s`` is a name in ``text``: a word of that stem capitalised inside the sentence."""
    words = text.split()
    return any(w[:1].isupper() and stem(w.strip(".,;:!?()[]\"“”'’")) == s
               for w in words[1:])


def _same_event(a: Claim, b: Claim, shared: list[str], fc: FrameCache) -> bool:
    """Two reports blame for one event: what they share is a name ("the Halden ferry") or the
    outcome itself, not a common word ("entirely", "preliminary"); and when both say what
    happened, they say it alike ("the downing" / "shot down", not "the downing" / "killing")."""
    ea, eb = _events(a.text), _events(b.text)
    named = [s for s in shared if _named_in(a.text, s) and _named_in(b.text, s)]
    if not any(s in _OUTCOME_STEMS or (s in named and fc.idf(s) >= 3.5) for s in shared) \
            and not _OUTCOME_STEMS & set(fc.shared_context(a, b)[0]) \
            and not (ea & eb and named):  # "the downing of the Ka-27" / "… for the downing"
        return False
    if ea and eb and not ea & eb:
        return False
    return not _other_place(a.text, b.text, fc.context(a), fc.context(b))


_BLAMED_THING = re.compile(r"\bblam\w*\s+((?:the|a|an|its|their)\s+[\w\s'’-]{1,40}?)\s+on\b",
                           re.I)


def _blamed_for(text: str) -> frozenset[str]:
    """Topic stems of what a claim blames someone for ("for the sinking", "blamed the late
    sailings on …"), empty when it does not say."""
    m = _BLAMED_THING.search(text)
    got = topic_of(m.group(1)) if m else frozenset()
    out = outcome(text)
    return got | (topic_of(out) if out else frozenset())


def _one_outcome(a: str, b: str) -> bool:
    """Two parties of one report, further apart, who name the outcome they blame for: one
    names it ("for the attack"), the other names none or the same one."""
    oa, ob = outcome(a), outcome(b)
    if not (oa or ob):
        return False
    if oa and ob:
        return stem(oa.split()[-1]) == stem(ob.split()[-1])
    named, other = (oa, b) if oa else (ob, a)
    m = _BLAMED_THING.search(other)  # "blamed the late sailings on …": its own outcome
    return m is None or stem(named.split()[-1]) in stems_of(m.group(1))


def outcome(text: str) -> str:
    """The outcome a blame claim names ("for the violence", "behind the cyber attack")."""
    m = _OUTCOME.search(text)
    return m.group("o") if m else ""


_BLAME_FILLER = frozenset(stem(w) for w in (
    "a an the of that which who from by it its this was were had been suggest suggesting "
    "said say says with and or in on at for type fired".split()))


_WHERE_WORDS = frozenset("off in near at over during after before when while outside inside "
                         "along across".split())


@lru_cache(maxsize=50_000)
def _blame_tail(text: str) -> frozenset[str]:
    """Topic stems from the first blame cue on: what a claim says of the cause. Who blames
    ("The army blamed …") comes before and is no culprit it names."""
    starts = [m.start() for rx in _BLAMED for m in [rx.search(text)] if m is not None]
    return topic_of(text[min(starts) if starts else 0:])


@lru_cache(maxsize=50_000)
def blamed(text: str) -> frozenset[str]:
    """Stems naming who or what a claim blames (empty when it names none)."""
    out: set[str] = set()
    for rx in _BLAMED:
        for m in rx.finditer(text):
            who = m.groupdict().get("who") or m.groupdict().get("who2") or ""
            words = [w.strip("“”\"‘’'") for w in who.split()]
            # "shot down by shore batteries off the coast": where is not who.
            cut = next((i for i, w in enumerate(words) if i and w.lower() in _WHERE_WORDS),
                       len(words))
            words = words[:cut]
            words += [p for w in words if "-" in w for p in w.split("-") if len(p) > 2]
            out |= {stem(w) for w in words} - _BLAME_FILLER
    return frozenset(s for s in out if len(s) > 2)


DENIAL_REACH_DAYS = 180  # two reports further apart in time are two events, not a denial


DENIED_SHARE = 0.4  # of what a denial negates (by rarity), the other claim must assert this


DENIED_MOST = 0.6  # ... and this much when the denial's rarest words are not in the other
