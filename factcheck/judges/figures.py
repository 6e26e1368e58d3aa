"""The figure judge: one quantity (same measure, population, unit, scope, place and event)
given two values — a ``series`` when it moved over time, a ``contradiction`` when it cannot
have, competing estimates of a running total."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ..records import Claim
from ..timeexpr import time_relation
from .common import (
    _Base,
    _frames,
    _verdict,
    two_parties,
)
from .frames import (
    FIXED_MEASURES,
    Figure,
    Frame,
    stem,
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
