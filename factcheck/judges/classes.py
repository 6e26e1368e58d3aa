"""One judge per conflict class, over claim frames (:mod:`factcheck.judges.frames`).

Each judge answers one question about a pair of claims and abstains otherwise:

- :class:`FigureJudge` — one quantity (same measure, same population, same unit, same
  scope) given two values: a ``series`` when it moved over time, a ``contradiction`` when
  it cannot have (one time; a fixed fact such as who was aboard; a running total that
  another body puts lower later: competing estimates);
- :class:`DenialJudge` — one side asserts an event, the other says it did not happen or
  calls the report untrue / baseless / fabricated: ``dispute``;
- :class:`PositionJudge` — opposite stances on one proposition ("should be decommissioned"
  vs "will never be"): ``dispute``;
- :class:`EvaluationJudge` — clashing evaluations of one thing ("free and fair" vs "a
  farce"; "lawful" vs "illegal"): ``dispute``;
- :class:`BlameJudge` — one outcome, responsibility put on different causes: ``dispute``;
- :class:`StateJudge` — a state that changed (in force -> suspended -> back in force):
  ``update``.

Precision first: every judge needs the two claims to be about the same thing (shared rare
topic words, or one article), from two parties where a dispute needs two, and never fires on
agreement ("backed her assessment") or on the same figure restated.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..records import Claim
from ..timeexpr import time_relation
from .frames import (
    _DATELINE,
    _UNREAL,
    FIXED_MEASURES,
    Figure,
    Frame,
    FrameCache,
    negated_at,
    stem,
    stems_of,
    topic_of,
)

if TYPE_CHECKING:
    from . import JudgeContext, Verdict

MEASURE_LABELS = {"killed": "death toll", "injured": "injured", "detained": "people detained",
                  "held": "vessels held", "aboard": "people aboard", "displaced": "displaced",
                  "recovered": "remains recovered", "hunger": "people short of food",
                  "turnout": "turnout", "vaccinated": "people vaccinated",
                  "missing": "missing", "worth": "value of the deal", "damage": "damage"}
# Running totals: a later, lower figure from another body is a competing estimate.
RUNNING_TOTALS = frozenset({"killed", "injured", "detained", "displaced", "recovered",
                            "vaccinated"})


def _verdict(*args: Any, **kw: Any) -> Verdict:
    from . import Verdict

    return Verdict(*args, **kw)


def _frames(ctx: JudgeContext) -> FrameCache:
    return ctx.frames


def party(c: Claim, ctx: JudgeContext) -> str:
    """Who asserts a claim: its speaker, else the outlet (the reporter's own voice). A
    reporter's lead-in ("the union leader blamed the company") speaks for the quote after it."""
    cache = ctx.frames.parties
    got = cache.get(id(c))
    if got is None:
        got = cache[id(c)] = _party_of(c, ctx)
    return str(got)


def _party_of(c: Claim, ctx: JudgeContext) -> str:
    voice = ctx.frames.voice.get(id(c))
    if voice is not None:
        c = voice
    if c.speaker and not _dateline_speaker(c):
        return " ".join((_owner(c, ctx) + c.speaker).lower().replace("'s", "").split())
    art = ctx.articles.get(c.article_id)
    return f"outlet:{(art.source or c.article_id).lower()}" if art else f"outlet:{c.article_id}"


def _dateline_speaker(c: Claim) -> bool:
    """"PORT ELLIS, Oct 30 (Wire) – …": the place a story was filed from is no speaker."""
    sp = c.speaker or ""
    return sp.isupper() and c.text.startswith(sp) and c.text[len(sp): len(sp) + 1] in (",", " ")


def _owner(c: Claim, ctx: JudgeContext) -> str:
    """"Norland's Defence Ministry said …" cut to "Defence Ministry" by the attributor: whose
    ministry it is, read from the words just before the claim ("" when none or named)."""
    art = ctx.articles.get(c.article_id)
    sp = c.speaker or ""
    if art is None or not art.text or "'" in sp or "’" in sp or not sp[:1].isupper():
        return ""
    before = art.text[max(0, c.start - 90): c.start]
    if sp not in before or ("'s" not in before and "’s" not in before):
        return ""
    # r"\b([A-Z][\w-]+)['’]s\s+(?:own\s+)?" + re.escape(sp) + r"\b", without compiling a
    # pattern per speaker: the owner's words, then the speaker's name right after them.
    owner = next((m.group(1) for m in _OWNED.finditer(before)
                  if before.startswith(sp, m.end()) and _EDGE.match(before, m.end() + len(sp))),
                 None)
    if owner is None or owner.lower() in sp.lower():
        return ""
    return owner + " "


_OWNED = re.compile(r"\b([A-Z][\w-]+)['’]s\s+(?:own\s+)?")
_EDGE = re.compile(r"\b")


# Speakers cut to a bare noun by the attributor ("Ministry"): not enough to say which side.
GENERIC_SPEAKERS = frozenset({"ministry", "the ministry", "government", "the government",
                              "police", "officials", "official", "spokesman", "spokeswoman",
                              "army", "military", "navy", "commission", "council", "board"})


def two_parties(a: Claim, b: Claim, ctx: JudgeContext) -> bool:
    pa, pb = party(a, ctx), party(b, ctx)
    if pa == pb:
        return False
    if _one_state(pa, pb):
        return False  # "Norland's defence ministry" and "Norland foreign ministry": one side
    ca = _country_voice(pa)
    if ca is not None and ca == _country_voice(pb):
        return False  # "Tokyo", "the Japanese", "a Japanese defence ministry spokesman"
    short, long_ = sorted((pa, pb), key=len)
    return short in GENERIC_SPEAKERS or short not in long_


# Bodies of a state: two of them named for one country speak for one government.
_STATE_BODY = re.compile(r"\b(?:ministry|ministries|government|cabinet|presidency|army|navy|"
                         r"military|armed forces|air force|embassy|foreign office|coast guard|"
                         r"defen[cs]e|interior)\b")


_VOICE_WORDS = frozenset("a an the of officials official authorities spokesman spokeswoman "
                         "spokesperson representative side forces troops military army navy "
                         "air force ministry government foreign defence defense interior "
                         "state statement command leadership".split())


@lru_cache(maxsize=10_000)
def _country_voice(p: str) -> str | None:
    """The country a party speaks for when it is only the state under another name: a
    capital, a demonym, or a state body with the country's adjective (None otherwise)."""
    from ..lexicons import COUNTRY_ALIASES

    words = [w.strip(".,'’") for w in p.split()]
    rest = [w for w in words if w not in _VOICE_WORDS]
    keys = {COUNTRY_ALIASES.get(w) for w in rest}
    if len(keys) != 1 or None in keys:
        return None
    return keys.pop()


def _one_state(pa: str, pb: str) -> bool:
    if not (_STATE_BODY.search(pa) and _STATE_BODY.search(pb)):
        return False
    generic = {"ministry", "government", "foreign", "defence", "defense", "interior", "the",
               "of", "state", "national", "army", "navy", "military", "office", "health",
               "energy", "water", "resources", "justice", "affairs", "forces", "armed", "air",
               "force", "embassy", "cabinet", "presidency", "coast", "guard", "federal"}
    na = set(pa.split()) - generic
    nb = set(pb.split()) - generic
    return bool(na & nb)


def _word_for(c: Claim, s: str) -> str:
    for w in c.text.replace("“", " ").replace("”", " ").replace('"', " ").split():
        w = w.strip(".,;:!?()[]'’")
        if w and stem(w) == s:
            return w
    return s


def topic_label(a: Claim, b: Claim, ctx: JudgeContext, shared: list[str],
                prefer: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(key, label): the words both claims use for what they are about, as claim ``a`` says
    them ("Vell border crossing", "collision in Halden harbour"), never a stem or a unit."""
    if not shared:
        return "", ""
    phrase = _phrase(a.text, set(shared), prefer, _frames(ctx))
    if phrase:
        return shared[0], phrase
    return shared[0], _word_for(a, shared[0])


_LINKS = {"of", "in", "on", "at", "for", "the"}
MAX_LABEL_WORDS = 5


def _phrase(text: str, shared: set[str], prefer: frozenset[str], fc: FrameCache) -> str:
    """The run of consecutive words of ``text`` whose stems are shared (links like "of"
    allowed inside), the one that weighs most (or holds a ``prefer`` stem)."""
    # "OSTRAVEN, May 3 (Wire) -": where the story was filed is not what it is about.
    text = _DATELINE.sub(lambda m: " " * len(m.group(0)), text, count=1)
    words = [w.strip(".,;:!?()[]'’“”\"") for w in text.split()]
    runs: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        st = stem(w) if w else ""
        if st in shared:
            cur.append(w)
        elif cur and w.lower() in _LINKS:
            cur.append(w)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    runs = [r[: len(r) - next(i for i, w in enumerate(reversed(r)) if w.lower() not in _LINKS)]
            for r in runs]
    runs = [r for r in runs if r]
    if not runs:
        return ""

    def weight(r: list[str]) -> tuple[int, float]:
        stems = {stem(w) for w in r}
        return (1 if stems & prefer else 0, sum(fc.idf(x) for x in stems & shared))

    best = max(runs, key=weight)[:MAX_LABEL_WORDS]
    while best[-1].lower() in _LINKS:  # cut to length, a label must not end on "the"
        best.pop()
    return " ".join(best)


class _Base:
    name = "rule"
    min_weight = 6.0  # summed rarity of the shared topic words
    min_rare = 3.5  # rarity of the rarest one

    def about_same(self, a: Claim, b: Claim, fa: Frame, fb: Frame, ctx: JudgeContext,
                   min_shared: int = 2) -> list[str] | None:
        fc = _frames(ctx)
        shared, weight = fc.shared(fa, fb)
        if not shared:
            return None
        if a.article_id == b.article_id and len(shared) >= 1 and weight >= self.min_rare:
            return shared
        if len(shared) < min_shared or weight < self.min_weight:
            return None
        if fc.idf(shared[0]) < self.min_rare:
            return None
        return shared

    def _dispute(self, a: Claim, b: Claim, ctx: JudgeContext, basis: str, what: str,
                 score: float, shared: list[str], prefer: frozenset[str] = frozenset()
                 ) -> Verdict:
        key, label = topic_label(a, b, ctx, shared, prefer)
        label = f"{label} — {what}" if label else what
        topic = f"{basis}:{key}"
        # The explanation is written once per conflict, over all its claims (crosscheck).
        return _verdict("dispute", score, "", topic, label, basis)


# Where one statement ends and the next begins inside a claim: "…, and …", "…; …", "…, but …".
_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas|as)\s+|;\s+|\s+—\s+|:\s+")


@lru_cache(maxsize=50_000)
def _clause_stems(text: str) -> tuple[frozenset[str], ...]:
    return tuple(stems_of(part) for part in _CLAUSE.split(text) if part.strip())


# A plain statement that is itself against something does not assert it.
AGAINST = frozenset(stem(w) for w in (
    "condemn condemns condemned oppose opposes opposed reject rejects rejected refuse refuses "
    "refused denounce denounces denounced protest protests protested").split())
_PLACE = re.compile(r"\b(?:in|near|at|off|across)\s+(?:the\s+)?((?:[A-Za-z][\w'-]*\s*){1,2})")


def _places(text: str) -> frozenset[str]:
    got: set[str] = set()
    for m in _PLACE.finditer(text):
        words = m.group(1).split()
        if words and words[0].lower() not in ("the", "a", "an", "any", "full", "coming"):
            got.add(" ".join(stem(w) for w in words))
    return frozenset(got)


def _other_place(a: str, b: str, ctx_a: frozenset[str] = frozenset(),
                 ctx_b: frozenset[str] = frozenset()) -> bool:
    """Both say where, and no place of one is a place of the other, nor named around it:
    two events ("at the dam" and "in the village below it" are one, when the village's
    sentence names the dam)."""
    pa, pb = _places(a), _places(b)
    if not pa or not pb or pa & pb:
        return False
    wa = {w for p in pa for w in p.split()}
    wb = {w for p in pb for w in p.split()}
    return not wa & wb and not wa & ctx_b and not wb & ctx_a


_VERB_NEG = frozenset({"not", "never", "cannot"})
_AUX = frozenset(("be been being is are was were have has had do does did to the a an ever yet "
                  "also further any longer again so still even will would shall can could "
                  "certainly ever").split())


@lru_cache(maxsize=50_000)
def _verbs_after(text: str, modal: bool) -> frozenset[str]:
    """Stems of the first content word after each verbal negation ("will not *accept*",
    "has never *supported*") or, with ``modal``, after each should-modal ("must *stop*")."""
    words = [w.strip(".,;:!?()[]\"“”'’").lower() for w in text.split()]
    out: set[str] = set()
    for i, w in enumerate(words):
        if modal:
            cue = w in ("should", "must", "ought")
        else:
            cue = w in _VERB_NEG or w.endswith("n't")
        if not cue:
            continue
        for nxt in words[i + 1: i + 5]:
            if nxt and nxt not in _AUX and nxt not in _VERB_NEG:
                out.add(stem(nxt))
                break
    return frozenset(out)


@lru_cache(maxsize=50_000)
def _objects_after(text: str, modal: bool) -> frozenset[str]:
    """The head noun of what follows the verb after each negation (or should-modal): what is
    accepted or refused ("must accept the *ceasefire* in the east")."""
    words = [w.strip(".,;:!?()[]\"“”'’").lower() for w in text.split()]
    out: set[str] = set()
    for i, w in enumerate(words):
        cue = (w in ("should", "must", "ought")) if modal else (
            w in _VERB_NEG or w.endswith("n't"))
        if not cue:
            continue
        rest = [x for x in words[i + 1: i + 10] if x and x not in _AUX and x not in _VERB_NEG]
        phrase: list[str] = []
        for x in rest[1:]:  # the noun phrase after the verb, up to a preposition
            if x in _OBJ_END:
                break
            if x not in _OBJ_SKIP:
                phrase.append(x)
            if len(phrase) >= 5:
                break
        if phrase:
            out.add(stem(phrase[-1]))  # its head: "the new harbour *quota*"
    return frozenset(out)


_OBJ_SKIP = frozenset("a an the any all our their its his her".split())
_OBJ_END = frozenset("of in on at to for with from by before after until during as this that "
                     "these those next and or but under without despite".split())


def _same_predicate(asserted: str, negating: str, modal: bool = False) -> bool:
    """The negated verb is the asserted one: "will not accept X" answers "accepts X", not
    "is ready to discuss X". Only verbal negations are tested ("no vessel" names a thing)."""
    verbs = _verbs_after(negating, False)
    if not verbs:
        return True
    if modal:
        wanted = _verbs_after(asserted, True)
        return not wanted or bool(verbs & wanted)
    return bool(verbs & stems_of(asserted))


def _one_clause(text: str, denial: str, denied: frozenset[str] | set[str],
                shared: list[str]) -> bool:
    """Most of what is denied (all but one stem, at least two) is asserted in one clause of
    ``text``, and that clause and the denying clause share three topic words themselves."""
    need = max(2, len(denied) - 1)
    topic = set(shared)
    negating = [cl for cl in _clause_stems(denial) if cl & denied]
    return any(len(denied & cx) >= need and any(len(cx & cy & topic) >= 3 for cy in negating)
               for cx in _clause_stems(text))


_DENIAL_VERB_AT = re.compile(r"\b(?:den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*)\b", re.I)


def _count_denied(fx: Frame, fy: Frame, denying: str) -> bool:
    """The denial names the other claim's count after its verb ("denied reports that the
    strike killed 16 civilians" / "16 civilians were killed"): one event, by its figure."""
    if not fx.figures or not fy.figures:
        return False
    m = _DENIAL_VERB_AT.search(denying)
    if m is None:
        return False
    return any(g.start > m.start() and g.value == f.value and g.noun and g.noun == f.noun
               for g in fy.figures for f in fx.figures)


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


def _agent(text: str, s: str, at: int) -> bool:
    """Is ``s`` only a name before the state word (who acted: "Norland reimposed"), never
    what the state is of?"""
    pos = 0
    seen_after = False
    for w in text.split():
        i = text.find(w, pos)
        pos = i + len(w)
        word = w.strip(".,;:!?()[]'’“”\"")
        if word and stem(word) == s:
            if i > at or not word[0].isupper():
                seen_after = True
    return not seen_after


_PRONOUN_START = ("it ", "they ", "this ", "that ", "these ", "those ")


def _anaphoric_pair(a: Claim, b: Claim) -> bool:
    """"X called the report thorough ... it was premature": the second claim's subject is a
    pronoun for the thing the first just judged, a sentence or two before."""
    first, second = sorted((a, b), key=lambda c: c.start)
    return (second.text.lower().startswith(_PRONOUN_START)
            and 0 <= second.start - first.end <= 400)


def _distance(text: str, s: str, at: int) -> int:
    best = 10**6
    pos = 0
    for w in text.split():
        i = text.find(w, pos)
        pos = i + len(w)
        if stem(w.strip(".,;:!?()[]'’“”\"")) == s:
            best = min(best, abs(i - at))
    return best


def _same_quantity(x: Figure, y: Figure) -> bool:
    if x.unit != y.unit:
        return False  # 2.4 billion m3 and 2.4 km3 are one amount in two units: never compared
    if x.measure != y.measure:
        return False
    if x.measure is None and (x.unit is None or x.noun != y.noun or x.unit == "percent"):
        return False  # "58.2 per cent" and "37.9 per cent": of what? Two candidates' shares
    if x.measure is None and x.noun is None and "/" not in (x.unit or ""):
        return False  # "within five kilometres": a distance in passing, not a quantity
    if x.region != y.region:
        return False  # one province's dead vs the nation's (or another province's)
    if not nouns_comparable(x, y):
        # passengers vs people: a part vs the whole. A bare figure ("raised to 21,500")
        # counts the people its measure is about, never a named part of them.
        return False
    return scopes_comparable(x.scope, y.scope)


def nouns_comparable(x: Figure, y: Figure) -> bool:
    """Can two figures count one population? People and people, or a bare figure and
    people; a named part (fighters of one side, passengers, children) is another count."""
    if x.noun_class == y.noun_class:
        return True
    bare, other = (x, y) if x.noun_class is None else (y, x)
    return bare.noun_class is None and other.noun_class == "people"


def scopes_comparable(sx: str, sy: str) -> bool:
    """Can two figures of one measure be one quantity, given what they count over?"""
    scopes = {sx, sy}
    if "war" in scopes:
        # The whole war's toll meets only another running total: a plain "30 people were
        # killed" is one event's dead.
        return scopes <= {"war", "cumulative"}
    if "local" in scopes:
        return False  # "in some districts": a part of the place, never its whole
    if "campaign" in scopes:
        return scopes == {"campaign"}  # one offensive's dead: neither one strike's nor all
    if "cumulative" in scopes and scopes & {"one-day", "incident", "period"}:
        return False  # one day's (one blast's, one year's) count vs a running total
    if ("one-day" in scopes or "period" in scopes) and len(scopes) > 1:
        return False
    return True


# Bodies named like countries ("the UN", "EU") say who counts, not where.
_NOT_PLACES = frozenset({"unitednations", "europeanunion"})
# A capitalised word (or two: "Saudi Arabia"), possessive dropped; "U.S.-led" and
# "Britain-based" are who leads or where a body sits, not where the figure is.
_CAP_WORD = re.compile(r"(?<![\w-])([A-Z][A-Za-z.]*)(?:['’]s)?(?![\w.-]*-)")


@lru_cache(maxsize=50_000)
def countries_in(text: str) -> frozenset[str]:
    """Countries a text names (their seats and demonyms too), by the shared lexicon."""
    from ..lexicons import COUNTRY_ALIASES

    words = [m.group(1).replace(".", "").lower() for m in _CAP_WORD.finditer(text)]
    got = {COUNTRY_ALIASES.get(w) for w in words}
    got |= {COUNTRY_ALIASES.get(a + b) for a, b in zip(words, words[1:])}
    return frozenset(got - {None} - _NOT_PLACES)  # type: ignore[operator]


def figure_places(c: Claim, ctx: JudgeContext) -> frozenset[str]:
    """Where a claim's figure is: the countries the claim names, else its sentence and
    headline, else the two its article names most (a wire story about one war)."""
    fc = _frames(ctx)
    got = fc.where.get(id(c))
    if got is not None:
        return got
    fc.get(c)  # keeps the claim alive while its id keys the cache
    got = countries_in(c.text)
    art = fc.articles.get(c.article_id)
    if not got and art is not None and art.text:
        lo = max(art.text.rfind(". ", 0, c.start), art.text.rfind("\n", 0, c.start))
        hi = art.text.find("\n", c.end)
        got = countries_in(art.text[lo + 1: hi if hi >= 0 else len(art.text)]
                           + " . " + (art.title or ""))
        if not got:
            got = fc.where.get(c.article_id)  # type: ignore[call-overload]
            if got is None:
                from ..lexicons import COUNTRY_ALIASES

                counts: dict[str, int] = {}
                for m in _CAP_WORD.finditer(art.text):
                    k = COUNTRY_ALIASES.get(m.group(1).replace(".", "").lower())
                    if k and k not in _NOT_PLACES:
                        counts[k] = counts.get(k, 0) + 1
                got = frozenset(sorted(counts, key=lambda k: -counts[k])[:2])
                fc.where[c.article_id] = got  # type: ignore[index]
    fc.where[id(c)] = got
    return got


# Who a toll counts, when the claim names it: civilians, soldiers and fighters are parts of
# the dead, never the whole ("900 civilians among the 2,300 dead").
_POPULATION = re.compile(r"\b(civilian|soldier|troop|fighter|militant|rebel|combatant|"
                         r"jihadist|insurgent|child|children|wom[ae]n|policem[ae]n)s?\b", re.I)
# "48,000 people, including soldiers and civilians": a breakdown, not who is counted.
_BREAKDOWN = re.compile(r"\b(?:including|among them|of whom|of them|of which)\b.*", re.I | re.S)


# "... rose past 800 as soldiers cleared the roads": another clause, not who is counted.
_NEXT_CLAUSE = re.compile(r",?\s+(?:as|while|when|whereas|after|where|but)\s", re.I)


@lru_cache(maxsize=50_000)
def population(text: str, at: int = 0) -> frozenset[str]:
    """The part of the dead (the detained, ...) a claim names for its figure at ``at``: the
    words before it and its own clause; its breakdown ("including ...") left out."""
    nxt = _NEXT_CLAUSE.search(text, at + 1)
    head = _BREAKDOWN.sub("", text[: nxt.start()] if nxt else text)
    return frozenset(m.group(1).lower().rstrip("s").replace("children", "child")
                     .replace("women", "woman").replace("men", "man")
                     for m in _POPULATION.finditer(head))


def figure_time(c: Claim, x: Figure, ctx: JudgeContext) -> str | None:
    """When a figure stands: a running total "since last year" stands on the day it is
    reported, not at its start."""
    if (x.scope in ("cumulative", "war") and len(c.claim_time or "") < 10) or (
            x.measure in RUNNING_TOTALS and x.scope not in ("one-day", "period")
            and (_PERFECT.search(c.text) or _EVENT_DATED.search(c.text))):
        # Only a coarse start ("last year": a year, no day) is replaced; "since Monday"
        # keeps its day.
        # "At least 40 people have died in the floods that struck on Monday": the count
        # is as of the report, Monday is when the flood struck.
        art = _frames(ctx).articles.get(c.article_id)
        if art is not None and art.published and (c.claim_time or "") < art.published[:10]:
            return art.published
    return c.claim_time


# What killed (displaced, ...) the people a figure counts: a quake's toll is not a flood's,
# nor a war's. A named storm is its own event ("Cyclone Alba" vs "Cyclone Ketu").
_EVENT_KINDS = {
    "quake": "earthquake earthquakes quake quakes tremor tremors aftershock",
    "flood": "flood floods flooding floodwaters deluge",
    "storm": "hurricane typhoon cyclone storm tornado",
    "war": "war conflict fighting uprising insurgency invasion offensive revolution",
    "collapse": "collapse collapsed cave-in",
    "sinking": "ferry capsized sank sinking shipwreck",
    "epidemic": "epidemic pandemic outbreak cholera virus",
    "fire": "fire blaze wildfire wildfires",
    "crash": "crash crashed",
}
_EVENT_WORD = {w: k for k, ws in _EVENT_KINDS.items() for w in ws.split()}
_NAMED_STORM = re.compile(r"\b(?:Hurricane|Typhoon|Cyclone|Storm)\s+([A-Z][a-z]+)")


@lru_cache(maxsize=50_000)
def events_in(text: str) -> frozenset[str]:
    got = {_EVENT_WORD[w] for w in re.findall(r"[a-z][a-z-]*", text.lower()) if w in _EVENT_WORD}
    named = {f"storm:{m.group(1).lower()}" for m in _NAMED_STORM.finditer(text)}
    return frozenset((got - {"storm"}) | named if named else got)


def figure_event(c: Claim, ctx: JudgeContext) -> frozenset[str]:
    """What happened, by the claim's words, else its sentence and headline."""
    fc = _frames(ctx)
    key = ("event", id(c))
    cached = fc.where.get(key)
    if cached is not None:
        return cached
    fc.get(c)  # keeps the claim alive while its id keys the cache
    got = events_in(c.text)
    if not got:
        art = _frames(ctx).articles.get(c.article_id)
        if art is not None and art.text:
            lo = max(art.text.rfind(". ", 0, c.start), art.text.rfind("\n", 0, c.start))
            hi = art.text.find("\n", c.end)
            got = events_in(art.text[lo + 1: hi if hi >= 0 else len(art.text)] + " . "
                            + (art.title or ""))
    fc.where[key] = got
    return got


LONG_EVENTS = frozenset({"war", "epidemic"})  # counted over years, not weeks
DISASTER_COUNTS = frozenset({"killed", "injured", "missing", "recovered", "rescued"})


def _days_apart(t1: str | None, t2: str | None) -> int:
    from datetime import date

    def day(t: str | None) -> date | None:
        parts = (t or "")[:10].split("-")
        try:
            return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 7,
                        int(parts[2]) if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            return None

    d1, d2 = day(t1), day(t2)
    return abs((d1 - d2).days) if d1 and d2 else 0


_EVENT_NAMES = {"quake": "earthquake", "flood": "floods", "war": "war", "collapse": "collapse",
                "sinking": "sinking", "epidemic": "epidemic", "fire": "fire", "crash": "crash"}


def _story_words(places: frozenset[str], events: frozenset[str]) -> str:
    """Where and what, as a reader names a toll: "Chile, earthquake", "Somalia, war"."""
    from ..lexicons import COUNTRY_NAMES

    names = [COUNTRY_NAMES.get(p, p.title()) for p in sorted(places)][:2]
    for e in sorted(events):
        names.append(f"storm {e.split(':', 1)[1].title()}" if e.startswith("storm:")
                     else _EVENT_NAMES.get(e, e))
        break
    return ", ".join(names)


def other_events(ea: frozenset[str], eb: frozenset[str]) -> bool:
    """Both say what happened and nothing in common: two events (a quake and a mine)."""
    return bool(ea and eb and not ea & eb)


def other_places(pa: frozenset[str], pb: frozenset[str]) -> bool:
    """Two figures from two stories: each names a country the other does not (a quake
    in one country and one in another; arms for one buyer and for another, same seller)."""
    return bool(pa and pb and pa - pb and pb - pa)


def _disjoint(x: Figure, y: Figure) -> bool:
    if abs(x.value - y.value) <= 0.02 * max(x.value, y.value):
        return False
    return x.high < y.low or y.high < x.low


class FigureJudge(_Base):
    """Two values of one quantity: an evolving figure, or two that cannot both be right."""

    min_weight = 3.0
    min_rare = 2.5

    @staticmethod
    def could(fa: Frame, fb: Frame) -> bool:
        return bool(fa.figures and fb.figures)

    def judge(self, a: Claim, b: Claim, ctx: JudgeContext) -> Verdict | None:
        fa, fb = _frames(ctx).get(a), _frames(ctx).get(b)
        if not fa.figures or not fb.figures:
            return None
        if a.article_id == b.article_id and not two_parties(a, b, ctx):
            return None  # one speaker's breakdown or a rival figure quoted: not two claims
        if _war_toll(a) and _war_toll(b):
            return None  # the rule judge's death-toll series
        pa, pb = figure_places(a, ctx), figure_places(b, ctx)
        if other_places(pa, pb):
            return None  # two countries' tolls (deals), never one quantity
        if bool(pa) != bool(pb) and not _frames(ctx).same_story(a, b):
            return None  # one says where, the other nowhere: only the story's names can tie them
        ev = figure_event(a, ctx) | figure_event(b, ctx)
        if other_events(figure_event(a, ctx), figure_event(b, ctx)):
            return None  # a quake's dead and a mine collapse's, a storm and another
        brief = bool(ev) and not ev & LONG_EVENTS and _days_apart(a.claim_time,
                                                                    b.claim_time) > 365
        for x in fa.figures:
            for y in fb.figures:
                if x.cited or y.cited:
                    continue  # a rival's figure quoted: the claim is not its side
                if not _same_quantity(x, y):
                    continue
                if population(a.text, x.start) != population(b.text, y.start):
                    continue  # civilians (fighters) killed vs everyone killed
                if brief and x.measure in DISASTER_COUNTS:
                    continue  # a flood's dead are counted within months: years apart, two floods
                if not _disjoint(x, y) and not self._rising_step(a, b, x, y, ctx):
                    continue  # "more than 50" and "51" agree
                if not self._plausible(a, b, x, y, ctx):
                    continue  # 173 vs 100,973: two counts of different things
                if x.scope in ("one-day", "period") and time_relation(
                        a.claim_time, b.claim_time, tolerance_days=0) != "same":
                    continue  # two days' (two years') counts: two quantities
                shared = self.about_same(a, b, fa, fb, ctx, min_shared=1)
                if shared is None:
                    # A reported clause names its story in its sentence or headline.
                    shared, w = _frames(ctx).shared_context(a, b)
                    if len(shared) < 2 or w < 9.0 or _frames(ctx).idf(shared[0]) < 4.0:
                        if not (self._one_story_total(a, b, x, y, ctx)
                                or self._one_war_total(a, b, x, y, ctx, pa, pb)):
                            return None
                kind = self._kind(a, b, x, y, ctx)
                what = MEASURE_LABELS.get(x.measure or "", x.noun or "figure")
                if x.measure is None and x.unit:
                    what = _unit_label(a, x, fa, fb)  # "flow (cubic metres per second)"
                elif x.unit and x.unit.startswith("money:"):
                    what = f"{what} ({x.unit.split(':', 1)[1]}s)"
                label = what
                for ent in ctx.rare_shared(a, b)[:1]:  # a name, never a stem
                    label = f"{what} ({ctx.label(ent, a, b)})"
                story = _story_words(pa & pb or pa | pb,
                                     figure_event(a, ctx) & figure_event(b, ctx))
                if story:
                    label = f"{what} ({story})"  # "death toll (Chile, earthquake)"
                where = "+".join(sorted(pa & pb or pa | pb))
                # The place is part of the story: two countries' tolls are never joined.
                topic = f"fig:{x.measure or x.unit}:{x.noun_class or ''}:{where}"
                return _verdict(kind, 0.75, "", topic, label, "figure")
        return None

    @staticmethod
    def _one_war_total(a: Claim, b: Claim, x: Figure, y: Figure, ctx: JudgeContext,
                       pa: frozenset[str], pb: frozenset[str]) -> bool:
        """"The war in Somalia has cost 40,000 lives" and "52,000 Somalis died in the
        war": one country, one war, two running totals of it (its monitors' estimates)."""
        return (bool(pa) and pa == pb and x.measure in RUNNING_TOTALS
                and {x.scope, y.scope} <= {"war", "cumulative"}
                and "war" in figure_event(a, ctx) & figure_event(b, ctx))

    @staticmethod
    def _rising_step(a: Claim, b: Claim, x: Figure, y: Figure, ctx: JudgeContext) -> bool:
        """"At least 190 killed" on Wednesday, "the toll has risen to 236" on Friday: the
        bound agrees with the later count, and the count moved: a step of the series."""
        if x.measure not in RUNNING_TOTALS or abs(x.value - y.value) <= 0.02 * max(
                x.value, y.value):
            return False
        rel = time_relation(figure_time(a, x, ctx), figure_time(b, y, ctx), tolerance_days=0)
        if rel not in ("before", "after"):
            return False
        (c1, f1), (c2, f2) = ((a, x), (b, y)) if rel == "before" else ((b, y), (a, x))
        return f2.value > f1.value and bool(_RISING.search(c2.text))

    @staticmethod
    def _plausible(a: Claim, b: Claim, x: Figure, y: Figure, ctx: JudgeContext) -> bool:
        """Two estimates of one quantity are rarely more than RATIO apart (a monitor's count
        four times another's is news); a toll of 9 and one of 18,000 count different things
        (one strike's dead and the war's). Only a running total may grow further, and only
        from the earlier figure to the later one."""
        lo, hi = sorted((x, y), key=lambda f: f.value)
        if hi.value <= RATIO * max(lo.value, 1.0):
            return True
        if a.article_id == b.article_id:
            art = _frames(ctx).articles.get(a.article_id)
            if any(_FAR_APART.search(t) for t in (a.text, b.text, art.text if art else "")):
                return True  # "30 times the official count": the report says they clash
        first = a if time_relation(figure_time(a, x, ctx), figure_time(b, y, ctx),
                                   tolerance_days=3) == "before" else (
            b if time_relation(figure_time(b, y, ctx), figure_time(a, x, ctx),
                               tolerance_days=3) == "before" else None)
        if first is None or x.measure not in RUNNING_TOTALS or lo.scope not in (
                "cumulative", "war"):
            return False  # only a total said to be one ("since ...") grows that far
        return (lo is x) == (first is a)  # the smaller figure is the earlier one

    @staticmethod
    def _one_story_total(a: Claim, b: Claim, x: Figure, y: Figure, ctx: JudgeContext) -> bool:
        """A running total of one story ("12 bodies recovered so far" ... "41 of the 57
        recovered"), in two reports that share the story's rare names but no word of their
        own sentences: a counted measure, neither figure tied to one incident."""
        return (x.measure in RUNNING_TOTALS and x.noun_class is not None
                and "incident" not in (x.scope, y.scope)
                and a.article_id != b.article_id and _frames(ctx).same_story(a, b))

    @staticmethod
    def _kind(a: Claim, b: Claim, x: Figure, y: Figure, ctx: JudgeContext) -> str:
        if x.measure in FIXED_MEASURES or (x.scope == "incident" and y.scope == "incident"):
            return "contradiction"  # who was aboard, one blast's dead: fixed once and for all
        ta, tb = figure_time(a, x, ctx), figure_time(b, y, ctx)
        rel = time_relation(ta, tb, tolerance_days=3)
        if x.measure in RUNNING_TOTALS and rel not in ("before", "after"):
            # A disaster's toll moves by the day, and by the hour: counts a day apart, or
            # of one day told as rising ("climbed to", "surpassed"), are steps of one count.
            rel = time_relation(ta, tb, tolerance_days=0)
            if rel not in ("before", "after") and _RISING.search(a.text) and _RISING.search(
                    b.text):
                rel = "before" if x.value < y.value else "after"
        if rel not in ("before", "after"):
            return "contradiction"
        first, later = (x, y) if rel == "before" else (y, x)
        if (x.measure in RUNNING_TOTALS and later.value < first.value
                and two_parties(a, b, ctx)):
            return "contradiction"  # a running total put lower later by another body
        return "series"


_NUMBERISH = re.compile(r"^(?:[\d.,%$€£]+|at|least|more|than|fewer|less|up|to|nearly|almost|"
                        r"about|around|some|roughly|approximately|an|estimated|over|under|"
                        r"hundred|thousand|million|billion|bn|m|k|exceeded|topped|above)$", re.I)


def _unit_label(a: Claim, x: Figure, fa: Frame, fb: Frame) -> str:
    """A measured amount named as the report names it: the noun both claims use just
    before the figure ("the flow ... had dropped to 190") and the unit as written."""
    unit = " ".join(w for w in x.text.split() if not _NUMBERISH.match(w)) or "figure"
    both = fa.topic_stems & fb.topic_stems
    before = [w.strip(".,;:!?()[]'’“”\"") for w in a.text[:x.start].split()][-10:]
    head = next((w for w in reversed(before) if w and w[0].islower() and stem(w) in both),
                None)
    return f"{head} ({unit})" if head else unit


def _war_toll(c: Claim) -> bool:
    return any(str(n.get("key", "")).endswith("|conflict") for n in (c.data or {}).get(
        "numbers", []))


_PERFECT = re.compile(r"\b(?:has|have)\s+(?:now\s+|so far\s+|already\s+)?(?:been\s+)?"
                      r"(?:died|killed|risen|reached|climbed|passed|surpassed|topped|recovered|"
                      r"detained|arrested|displaced|injured|wounded|confirmed|documented|"
                      r"recorded|counted|soared|jumped)\b", re.I)
# "2,140 people died in the 3 March earthquake": the date is the event's, not the count's.
_EVENT_DATED = re.compile(r"\b(?:in|during|from|by|after) the (?:\w+ ){0,2}?(?:\d{1,2} )?(?:"
                          r"January|February|March|April|May|June|July|August|September|"
                          r"October|November|December)(?: \d{1,2})?(?:-\w+)? (?:\w+ )?"
                          r"(?:earthquake|quake|flood|floods|flooding|storm|hurricane|attack|"
                          r"blast|collapse|disaster)\b")
_FAR_APART = re.compile(r"\btimes (?:higher|more|greater|larger|the official)\b|"
                        r"\bunderestimat|\bfar (?:higher|lower|more|fewer) than\b", re.I)
_RISING = re.compile(r"\b(?:ris(?:en|es|ing)|rose|climb\w*|surpass\w*|passe[sd]|topp\w*|"
                     r"reach\w*|soar\w*|jump\w*|inch\w*|mount\w*|grew|grown|increas\w*)\b",
                     re.I)
RATIO = 10.0  # two figures further apart than this are not two estimates of one number
DENIAL_REACH_DAYS = 180  # two reports further apart in time are two events, not a denial
DENIED_SHARE = 0.4  # of what a denial negates (by rarity), the other claim must assert this
DENIED_MOST = 0.6  # ... and this much when the denial's rarest words are not in the other
OBJECT_REACH = 60  # characters between a state word and what it is said of
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
