"""Claim frames read from a claim's own words: what the class judges compare.

A :class:`Frame` keeps the parts of a claim a fact-checker checks: its content words
(stems, for "the same proposition"), polarity (negated, denied), modality (should / may /
hopes), figures with their unit, the thing they count and their scope (one day, one
incident, a running total), evaluations with their valence, blame and agreement cues, and a
state change ("suspended", "back in force"). It is computed from the claim text at report
time, so stores ingested before it existed are judged the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from .. import lexicons as lx

# "VK-16", "Ka-27", "T-72": a designation is one word (its number is no figure to drop).
_TOKEN = re.compile(r"[A-Za-z]{1,3}-\d{1,4}[A-Za-z]?\b|[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|"
                    r"\d[\d,]*(?:\.\d+)?")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude, stable stem: "decommissioned" = "decommission", "vessels" = "vessel";
    news synonyms share one ("vote" = "poll" = "election", "ship" = "vessel")."""
    w = _stem(word)
    return SYNONYMS.get(w, w)


def _stem(word: str) -> str:
    w = word.lower().replace("’", "'")
    w = re.sub(r"'s$", "", w).strip("'-")
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ed"):
        w = w[:-2]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
            w = w[:-1]  # "stopped" -> "stop"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
        if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
            w = w[:-1]  # "running" -> "run", as "stopped" -> "stop"
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


# One thing, several words in news copy. Keys and values are stems.
SYNONYMS: dict[str, str] = {}
for _canon, _alts in {
    "election": "vote poll ballot",
    "accord": "agreement deal treaty pact",
    "vessel": "ship boat",
    "aircraft": "plane jet airliner warplane",
    "military": "combat",  # "combat aircraft" = "military aircraft"
    "blast": "explosion",
    "report": "finding",
    "earthquake": "quake tremor",
}.items():
    for _w in _alts.split():
        SYNONYMS[_stem(_w)] = _stem(_canon)
# Framing words dropped before stemming (their stems are topic words: "according" ->
# "accord", "reported" -> "report").
SKIP_WORDS = frozenset({"according", "reported", "reportedly", "reports", "reporting"})


def _stems(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


STOP = _stems(
    "a an the and or but of in on at to for from by with without as is are was were be been "
    "being has have had do does did will would shall should can could may might must it its "
    "this that these those there their they them he she his her him we our us you your i my "
    "me who whom which what when where while than then so such not no nor never only also "
    "very more most less least some any all each every both other another into onto over "
    "under about after before since until up down out off again just now still yet even "
    "said say says saying told tell added add stated statement claimed claim "
    "quoted spokesman spokeswoman spokesperson official officials minister "
    "ministry government president foreign told interview news agency week month year day "
    "today yesterday monday tuesday wednesday thursday friday saturday sunday morning evening "
    "night january february march april may june july august september october november "
    "december jan feb mar apr jun jul aug sep sept oct nov dec one two three four five six "
    "seven eight nine ten many several dozen per cent percent first last new also however "
    "because if though although whether said mr ms dr country state"
)
# Words that carry a frame's signal, not its topic: never count them as "the same thing".
NEGATION = frozenset({"no", "not", "never", "n't", "nothing", "none", "nobody", "neither",
                      "nor", "cannot", "without"})
DENIAL = _stems(
    "deny denies denied denial untrue false baseless fabricated fabrication fabrications lie "
    "lies lied nonsense groundless unfounded fake hoax refuted refute rejected reject "
    "dismissed dismiss invented fiction")
# Denial verbs: what they deny follows them ("X denied that the gates were opened"); who
# denies comes before and is not part of what is denied. The other denial words judge what
# they are said of ("the report is baseless"), so all of the claim is in scope.
DENIAL_VERBS = _stems("deny denies denied refute refuted refutes reject rejects rejected "
                      "dismiss dismissed dismisses")
# "rejects the troop withdrawal", "dismissed the minister": a stance or an act, not a
# denial; "rejected the accusation", "dismissed reports that …", "the claims were rejected
# as baseless" deny what was said.
STANCE_DENIAL = _stems("reject rejects rejected dismiss dismisses dismissed")
_REPORT_NOUNS = (r"(?:accusations?|allegations?|claims?|charges?|reports?|suggestions?|"
                 r"assertions?|version|account|story|stories|rumou?rs?|findings?|it|them|this)")
_REJECTED_REPORT = re.compile(
    r"\b(?:reject|dismiss)\w*\s+(?:(?:\w+\s+){0,5}" + _REPORT_NOUNS + r"\b|as\s|that\s)"
    r"|\b" + _REPORT_NOUNS + r"\s+(?:\w+\s+){0,3}?(?:was|were|is|are|been)\s+(?:\w+\s+)?"
    r"(?:rejected|dismissed)\b", re.I)
_LIE_VERB = re.compile(r"\b(?:lies|lie|lay)\s+(?:\w+ly\s+)?(?:with|on|upon|in|at|ahead|behind)\b",
                       re.I)
_SAYING = re.compile(r",\s+(?:saying|adding|insisting|arguing|explaining|stressing)\b", re.I)
# Denials without a denial word: "had nothing to do with", "is not true", "no truth in".
_DENIAL_PHRASE = re.compile(r"\b(?:never happened|nothing to do with|(?:is|was|are|were) not "
                            r"true|no truth (?:in|to)|does not correspond to (?:reality|the "
                            r"facts)|not based on (?:facts|reality)|no (?:such|involvement)"
                            r"|nothing (?:more|else|other) than (?:an? |the )?(?:\w+ )?(?:rumou?r|"
                            r"lie|fabrication|invention|fiction|fake)s?"
                            r"|(?:is|was|are|were) (?:\w+ )?incorrect)\b",
                            re.I)
# "without warning", "without delay": a manner, not a negated event.
_MANNER_NEG = frozenset({"without"})
COMPARATIVES = frozenset({"lower", "higher", "more", "less", "fewer", "longer", "later",
                          "earlier", "sooner", "greater", "smaller", "larger", "bigger"})
MODAL = {"should": "should", "must": "should", "ought": "should", "may": "may",
         "might": "may", "could": "may", "hope": "hope", "hopes": "hope", "hoped": "hope",
         "would": "will", "will": "will", "won't": "will", "demand": "should",
         "demanded": "should", "demands": "should", "call": "should", "calls": "should"}
# Agreement: "backed her assessment", "echoed her", "fully shared the minister's view".
# "Moscow-backed" (a compound) is no agreement.
_AGREEMENT = re.compile(r"(?<![\w-])(?:agree[sd]?|echo(?:ed|es)|backed|endorsed|concurred|seconded|"
                        r"(?:fully |also )?shared (?:[\w’'-]+ ){0,3}(?:view|conclusion|assessment|"
                        r"concern|position|finding)s?)\b", re.I)
AGREEMENT = _stems("agree agrees agreed echoed endorsed concurred")

# Evaluations: (dimension, valence). Quoted characterisations ("a farce") count too.
_EVAL_POS = ("free fair peaceful thorough courageous meticulous professional impartial "
             "credible legitimate justified proportionate appropriate balanced accurate "
             "transparent successful success historic sound robust lawful legal model "
             "reliable rigorous exemplary constructive")
_EVAL_NEG = ("flawed farce sham rigged fraudulent premature biased toothless illegal "
             "unlawful illegitimate irresponsible reckless unacceptable one-sided partial "
             "failure disgrace outrageous propaganda whitewash dead politically-ordered "
             "politically-motivated unreliable shoddy botched travesty charade staged "
             "provocation dangerous destabilising destabilizing unjustified disproportionate "
             "culprit worthless meaningless")
EVALUATIVE: dict[str, int] = {**{stem(w): 1 for w in _EVAL_POS.split()},
                              **{stem(w): -1 for w in _EVAL_NEG.split()}}
# Framing words: how a claim is put, never what it is about.
TOPIC_SKIP = _stems("people call called calls describe described branded termed dubbed "
                    "figure figures estimate estimates number numbers suspended "
                    "resumed reopened reopen closed lifted declared imposed reimposed signed "
                    "force again halted ended cancelled revoked withdrew time between within "
                    "anyone position used found higher hold cause caused causing laid role "
                    "involvement involved")
LEGALITY = _stems("legal lawful illegal unlawful law legality")

BLAME = _stems("responsible responsibility blame blamed blames fault culprit guilty "
               "perpetrator sabotage")
# "brought down by", "sunk by", "laid by": an agent named for an outcome.
_BLAME_BY = re.compile(r"\b(?:brought down|shot down|sunk|caused|laid|downed|destroyed|"
                       r"triggered|set off|started|carried out)\s+by\b"
                       r"|\bresult of\b|-laid\b|\bof \w+ manufacture\b|\bblamed on\b"
                       r"|\bthe work of\b|\bpoint\w* (?:the|a) finger at\b"
                       r"|\baccus\w*\s+(?:[\w'’-]+\s+){1,5}?of\s+(?:causing|shooting|downing|"
                       r"attacking|killing|sinking|bombing|starting|orchestrating|carrying out|"
                       r"sabotag\w*|planting|firing|committing|(?:an?|the)\s+(?:massacre|"
                       r"attack|war crime|atrocity))\b"
                       r"|\b(?:responsibility|blame|fault)\s+(?:for\s+(?:[\w'’-]+\s+){1,4}?)?"
                       r"(?:lies|lie|rests|rest|lay)\s+(?:\w+ly\s+)?(?:with|on|upon)\b"
                       r"|\b(?:placed|put|puts|laid|lays|pinned|pins)\s+(?:the\s+)?blame\b"
                       # the agent of a downing or of fire, named as the subject
                       r"|^\s*(?:[\w’'-]+\s+){1,3}(?:shot|brought|gunned)\s+down\b"
                       r"|^\s*(?:[\w’'-]+\s+){1,3}(?:fired on|fired at|opened fire on)\b",
                       re.I)
# "refused to abandon", "aim to halt": a state change that did not (yet) happen.
_UNREAL = re.compile(r"\b(?:refus\w*|fail\w*|aim\w*|want\w*|threaten\w*|seek\w*|sought|hop\w*|"
                     r"plan\w*|tr(?:y|ied|ies)|urg\w*|call\w* on|ask\w*|demand\w*)\s+"
                     r"(?:\w+\s+)?to\s*$", re.I)

# State changes: +1 the thing is on / in force / open, -1 it is off / suspended / closed.
_STATE_CUES: list[tuple[re.Pattern[str], int]] = [
    (re.compile(r"\b(?:back in force|in force again|open again|reopen\w*|resum\w+|"
                r"restor\w+|reinstat\w+|reimpos\w+|re-imposed?|back on)\b", re.I), 1),
    (re.compile(r"\b(?:entered into force|in force|came into force|took effect|opened(?! fire)|"
                r"was open|is open|are open|remains open|declared|imposed|signed)\b", re.I), 1),
    (re.compile(r"\b(?:suspend\w*|clos(?:ed|es|ing)|shut|halt\w*|lift\w*|revok\w+|"
                r"cancel\w*|abandon\w*|withdr[ae]w\w*|pulled out|scrapp\w+|tore up|"
                r"rip up|ripped up|expired?|ended|terminat\w+|frozen|froze)\b", re.I), -1),
]
# Objects that are themselves restrictions: lifting one opens, imposing one closes.
RESTRICTIONS = _stems("restriction restrictions ban embargo curfew emergency blockade "
                      "sanction sanctions closure lockdown")

# --- figures ---------------------------------------------------------------------------------

_NUM_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
              "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
              "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12}
_MULT = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "m": 1e6,
         "bn": 1e9, "k": 1e3}
_HEDGES = [("at least", 1.0, math.inf), ("more than", 1.0, math.inf), ("over", 1.0, math.inf),
           ("fewer than", 0.0, 1.0), ("less than", 0.0, 1.0), ("under", 0.0, 1.0),
           ("up to", 0.0, 1.0), ("nearly", 0.85, 1.0), ("almost", 0.85, 1.0),
           ("about", 0.85, 1.15), ("around", 0.85, 1.15), ("some", 0.85, 1.15),
           ("roughly", 0.85, 1.15), ("approximately", 0.85, 1.15), ("an estimated", 0.85, 1.15),
           ("estimated", 0.85, 1.15), ("exceeded", 1.0, math.inf), ("topped", 1.0, math.inf),
           ("above", 1.0, math.inf), ("in excess of", 1.0, math.inf)]
_FIGURE = re.compile(
    r"(?P<hedge>(?:at least|more than|fewer than|less than|up to|nearly|almost|about|around|"
    r"some|roughly|approximately|an estimated|estimated|over|under|exceeded|topped|above|"
    r"in excess of)\s+)?"
    r"(?P<cur>US\$|[$€£])?(?<![\w\-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|twenty|thirty|forty|fifty)\b)"
    r"(?:\s*(?P<mult>hundred|thousand|million|billion|bn|m|k)\b)?"
    r"(?P<pct>\s*(?:%|per ?cent\b|percent\b))?"
    r"(?P<rest>(?:\s+[A-Za-z][\w\-]*){0,4})", re.I)

# What a figure counts, by the noun after it (stems) -> a class; nouns of one class are one
# population, other nouns (passengers vs crew) are parts and never compared with the whole.
NOUN_CLASS: dict[str, str] = {}
for _cls, _words in (
    ("people", "people person resident inhabitant villager civilian individual"),
    ("vessel", "vessel ship boat freighter tanker"),
    # The dead are people: "12 bodies recovered" and "41 of the 57 people recovered"
    # count one population.
    ("people", "body remain victim dead"),
):
    for _w in _words.split():
        NOUN_CLASS[stem(_w)] = _cls
# "52,000 Somalis", "8,000 Chileans": a nation's people are people.
_DEMONYMS = frozenset(stem(a) for a, k in lx.COUNTRY_ALIASES.items()
                      if a != k and a.endswith(("an", "ans", "i", "is", "ese", "ish")))


def noun_class(noun: str | None) -> str | None:
    if noun is None:
        return None
    return NOUN_CLASS.get(noun) or ("people" if noun in _DEMONYMS else noun)


# What is measured, by a word in the clause (stems) -> measure.
MEASURE_WORDS: dict[str, str] = {}
for _m, _words in {
    "killed": "killed kill died die dead death deaths toll lives fatalities perished",
    "injured": "injured wounded hurt injuries",
    "detained": "detained arrested detention arrests custody",
    "held": "held waiting queue backlog stuck anchor stranded",
    "aboard": "aboard carrying board carried",
    "displaced": "displaced resettled moved evacuated fled homeless relocated uprooted",
    "recovered": "recovered retrieved identified returned",
    "hunger": "hunger hungry food famine starving malnourished short shortage shortages",
    "turnout": "turnout",
    "vaccinated": "vaccinated vaccination doses jabs inoculated",
    "missing": "missing unaccounted trapped",
    # The rescued are not the dead; casualties are the dead and the wounded together.
    "rescued": "rescued saved",
    "casualties": "casualties casualty",
}.items():
    for _w in _words.split():
        MEASURE_WORDS.setdefault(stem(_w), _m)
# Measures of a fixed past fact (who was aboard) vs running totals and levels.
FIXED_MEASURES = frozenset({"aboard", "turnout", "worth"})  # a deal's worth is set once
# "since" as an adverb ("has stayed high since, with ...") names no start.
# "the deadliest since a storm in 1998": a comparison, not a running total's start.
CUMULATIVE_MARKERS = re.compile(r"\b(?:(?<!deadliest )(?<!worst )(?<!biggest )(?<!largest )"
                                r"(?<!highest )(?<!first )(?<!strongest )since(?!\s*[,.;)])|"
                                r"so far|in total|a total of|to date|altogether|in all|"
                                r"cumulative|overall|all told)\b", re.I)
# "..., bringing the toll to 9,400", "pushing the total death toll to 2,940": the figure
# right after is the running total (the one before it is the day's or the strike's).
_TOTAL_LEAD = re.compile(r"\b(?:bringing|pushing|raising|taking|total|overall)\b[^,.;]{0,40}?"
                         r"\b(?:toll|total|tally)\s+(?:\w+\s+){0,3}?(?:to|of|at)\s+$", re.I)
ONE_DAY_MARKERS = re.compile(r"\b(?:alone|in a single day|in one day|that day|on (?:that|the)"
                             r" day|overnight|in one night|(?:in|during|over|within|for) "
                             r"(?:the (?:past|last|previous) )?24 hours)\b",
                             re.I)
# "detained on Sunday", "killed yesterday": that day's count (unless one incident is named).
DAY_MARKERS = re.compile(r"\b(?:killed|died|dead|detained|arrested|injured|wounded)\s+"
                         r"(?:[\w-]+\s+){0,6}?(?:on (?:monday|tuesday|wednesday|thursday|friday|"
                         r"saturday|sunday)|yesterday|today)\b", re.I)
# A year's (a month's) toll is not the war's running total.
# Only for counts of events (a level "stood at 12 trucks last week" is that week's level).
EVENT_COUNTS = frozenset({"killed", "injured", "detained", "displaced", "vaccinated",
                          "recovered", "missing"})
PERIOD_MARKERS = re.compile(r"\b(?:(?:last|this|that|the past|the previous|the first|the last)"
                            r"\s+(?:\w+\s+)?(?:year|month|quarter|half)s?|"
                            r"(?:a|per|each|every) (?:year|month)|annual(?:ly)?|"
                            r"(?:deadliest|bloodiest|worst|most lethal|second-deadliest)\s+"
                            r"(?:year|month|week|day)s?|"
                            r"(?:in|during|throughout) (?:the year )?(?:19|20)\d\d(?! (?:war|"
                            r"election|vote|uprising|revolution|conflict))\b(?!-))\b", re.I)
# Over the war (the epidemic): the running total, whatever the wording.
WAR_MARKERS = re.compile(r"\b(?:the war|the conflict|the civil war|the uprising|the "
                         r"insurgency|the fighting|the epidemic|the pandemic|the outbreak|"
                         r"nationwide|across the country|nationally)\b", re.I)
# "the 11-day bombardment", "the three-week offensive", "during the siege": a campaign's
# toll. Neither one strike's dead (an incident word after it, "that began after the attack",
# is not what is counted; one before it is: "the strike during the siege") nor the whole
# war's: it meets only another campaign's.
CAMPAIGN_MARKERS = re.compile(
    r"\b(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several)"
    r"[- ](?:day|week|month)[- ](?:long[- ])?(?:\w+[- ])?|(?:the|its|their|this|that|"
    r"[A-Z]\w+['’]s)\s+(?:\w+\s+)?)(?:bombardment|offensive|air campaign|military campaign|"
    r"bombing campaign|siege|blockade)\b")
# "in some districts", "in parts of the province": a figure for a part, not the whole.
LOCAL_MARKERS = re.compile(r"\b(?:in|at|across|for)\s+(?:some|several|a few|certain|a "
                           r"number of|a handful of|parts of|part of|individual|selected|"
                           r"one of the)\s+\w+", re.I)
_INCIDENT = re.compile(r"(?<!ongoing )\b(?:blast|explosion|crash|strike|attack|shooting|collapse|"
                       r"sinking|ambush|raid|bombing|bomb|fire|incident|accident|mine)\b",
                       re.I)
INCIDENT_NOUNS = _stems("blast explosion crash strike attack shooting collapse sinking "
                        "ambush raid bombing fire incident accident mine")
# "in Lorn Province", "in Brack County", "Tessa district": a named part of the
# country; its count is never the nation's, only the same part's.
_REGION = re.compile(r"\b(?:in|for|of)\s+(?:the\s+)?((?:[A-Z][\w'’-]+\s+){1,3})"
                     r"(?:[Pp]rovince|[Ss]tate|[Dd]istrict|[Cc]ounty|[Rr]egion|[Gg]overnorate|"
                     r"[Oo]blast|[Pp]refecture)\b")
# "could reach 5,000", "is expected to rise to 300": a forecast, not a figure reported.
_PROJECTION = re.compile(r"\b(?:could|may|might|would|will|should|expected to|likely to|feared to|"
                         r"set to)\s+(?:\w+\s+){0,2}?(?:reach|rise|climb|exceed|top|hit|pass|"
                         r"surpass|go up|grow|double|increase|be)(?:\s+(?:to|more than|over|"
                         r"higher than|above|as high as|up to))?\s+$", re.I)
UNIT_WORDS = _stems("metre meter kilometre kilometer km mile foot feet tonne ton kilogram kg "
                    "litre liter dollar euro pound cubic second hour minute")


@dataclass
class Figure:
    value: float
    low: float
    high: float
    unit: str | None  # "percent", a unit word, or None for a count
    noun: str | None  # the stem of what it counts
    noun_class: str | None
    measure: str | None
    scope: str  # "cumulative" | "one-day" | "incident" | "campaign" | "war" | "plain" | ...
    text: str
    start: int  # offset in the claim text
    cited: bool = False  # another body's figure quoted ("the 52 per cent announced by X")
    region: str | None = None  # a named part of the country ("in Lorn province")


@dataclass
class Frame:
    stems: frozenset[str]
    neg: bool
    denial: bool
    modal: str | None
    agree: bool
    blame: bool
    evaluations: list[tuple[str, int]] = field(default_factory=list)  # (stem, valence)
    legality: int = 0
    state: int = 0  # +1 on / -1 off, after negation
    state_restriction: bool = False
    figures: list[Figure] = field(default_factory=list)
    topic_stems: frozenset[str] = frozenset()  # stems minus signal words
    neg_scope: frozenset[str] = frozenset()  # stems of the few words after a negator
    modal_scope: frozenset[str] = frozenset()  # stems of the few words after "should"
    state_at: int = -1  # where the state cue is in the text
    lower_stems: frozenset[str] = frozenset()  # stems of words not capitalised: no names
    target: frozenset[str] = frozenset()  # what an evaluation is of ("called the peg ...")
    victory: int = 0  # +1 "we have defeated them", -1 "they remain a threat": a war's outcome

    @property
    def valence(self) -> int:
        vals = {v for _, v in self.evaluations}
        return vals.pop() if len(vals) == 1 else 0


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)  # no groups in the pattern: the whole matches


def _value(num: str, mult: str | None) -> float | None:
    n = num.lower().replace(",", "")
    try:
        v = float(n) if n[0].isdigit() else float(_NUM_WORDS[n])
    except (KeyError, ValueError):
        return None
    if mult:
        v *= _MULT.get(mult.lower(), 1)
    return v


def _figure_text(m: re.Match[str], used: int) -> str:
    """"22 miners", "about 49 per cent", "190 cubic metres per second": the figure as said."""
    end = m.end("pct") if m.group("pct") else m.end("mult") if m.group("mult") else m.end("num")
    words = (m.group("rest") or "").split()[:used]
    return " ".join([m.string[m.start(): end].strip(), *words])


def rest_first(m: re.Match[str]) -> str:
    rest = (m.group("rest") or "").split()
    return stem(rest[0]) if rest and not m.group("mult") and not m.group("pct") else ""


# "the deadliest flood since a storm in 1998": a comparison, not a running total's start.
_COMPARED_SINCE = re.compile(r"\b(?:deadliest|worst|biggest|largest|highest|strongest|first|"
                             r"most \w+)\s+(?:[\w-]+\s+){0,3}?since\b", re.I)


def _scope_of(seg: str, stems: frozenset[str], whole: str, counted: bool) -> str:
    """What a figure counts over: a running total, one day, one incident, a period (a
    year's toll), a part of the place (some districts), or nothing said ("plain"). Read
    from the figure's own stretch of the claim first ("the strike killed 30, bringing the
    war's toll to 250,000": two scopes), then from the whole claim."""
    for text in (seg, whole):
        text = _COMPARED_SINCE.sub(" ", text)
        if LOCAL_MARKERS.search(text):
            return "local"
        if counted and PERIOD_MARKERS.search(text) and not re.search(
                r"(?<!deadliest )(?<!worst )\bsince\b(?!\s*[,.;)])", text, re.I):
            return "period"
        if CUMULATIVE_MARKERS.search(text):
            return "cumulative"
        if ONE_DAY_MARKERS.search(text):
            return "one-day"
        camp, inc = CAMPAIGN_MARKERS.search(text), _INCIDENT.search(text)
        if camp and (inc is None or camp.start() < inc.start()):  # not "the strike during
            return "campaign"  # the siege": that is the strike's dead
        if inc:
            return "incident"  # one blast, one strike ("ongoing attacks" are many)
        if WAR_MARKERS.search(text):
            return "war"  # the war's (the epidemic's) toll: a running total of the whole
        if DAY_MARKERS.search(text):
            return "one-day"  # "detained on Sunday": that day's count
    return "plain"


def _old_value(text: str, m: re.Match[str]) -> bool:
    """"up from 20", "from a previously reported 20 to 32", "compared with 70": a figure
    the claim gives as the earlier value, not as its own."""
    before = text[max(0, m.start() - 40): m.start()]
    if re.search(r"\b(?:up|down|rising|risen|rose|fell|fallen|dropped|increased|decreased|"
                 r"climbed|jumped|raised|revised|lowered|grew|grown)\s+(?:\w+\s+){0,4}?from\s+"
                 r"(?:the\s+|a\s+|an\s+)?(?:previous(?:ly)?\s+(?:reported\s+)?|earlier\s+|"
                 r"initial\s+)?$", before, re.I):
        return True
    return bool(re.search(r"\b(?:compared (?:with|to)|previous(?:ly reported)?|earlier "
                          r"(?:figure|estimate|toll) of|from an? (?:earlier|initial|"
                          r"previous))\s+(?:the\s+|a\s+|an\s+)?$", before, re.I))


_ANY_NUMBER = re.compile(r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                         r"twenty|thirty|forty|fifty)\b", re.I)


def figures(text: str, stems: frozenset[str]) -> list[Figure]:
    out: list[Figure] = []
    if not _ANY_NUMBER.search(text):
        return out
    at_measure = [(m.start(), MEASURE_WORDS[stem(m.group(0))]) for m in _TOKEN.finditer(text)
                  if stem(m.group(0)) in MEASURE_WORDS]
    matches = list(_FIGURE.finditer(text))
    skip: set[int] = set()  # matches folded into another (the high end of a range)
    for k, m in enumerate(matches):
        if k in skip:
            continue
        num = m.group("num")
        if re.fullmatch(r"(?:1[89]|20)\d\d", num) and not m.group("mult") and not m.group("cur"):
            continue  # a year
        before = text[max(0, m.start() - 12): m.start()].lower()
        if re.search(r"(?:\d|\bof|\bno\.?|\bflight|\bprecinct|\bpage|\bresolution)\s*$",
                     before) and not re.search(r"\bof\s*$", before):
            continue
        if re.search(r"\b(?:not|of whom|of which|of them|out of|all but|all except)\s*$", before):
            continue  # "not two as the ministry says", "of whom 530 were released", "all
            # but two of the victims" (the figure is the whole less two, unknown here)
        after = text[m.end("num"): m.end("num") + 2]
        if after.startswith("-") or re.match(r"\s*(?:am|pm|a\.m|p\.m)\b", after):
            continue  # "2-year-old", times of day
        if rest_first(m) in _DATE_WORDS or re.search(
                r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$",
                text[max(0, m.start() - 12): m.start()], re.I):
            continue  # "19 July", "March 14": a date
        if rest_first(m) in DURATIONS:
            continue  # "six weeks after", "for two days": a duration, not a count
        if rest_first(m) in _NOT_A_COUNT or re.search(
                r"\b(?:increase|rise|jump|drop|fall)\s+of\s+$", text[max(0, m.start() - 20):
                                                                  m.start()], re.I):
            continue  # "15 more killed", "four times higher", "a 6.2 magnitude quake",
            # "an increase of 300": a step or a ratio, not the count itself
        if _old_value(text, m):
            continue  # the earlier figure a rise or fall is measured from
        if _PROJECTION.search(text[max(0, m.start() - 50): m.start()]) or re.search(
                r"\d\s+or\s+$", text[max(0, m.start() - 8): m.start()]):
            continue  # a forecast ("the toll could reach 5,000") is no figure reported
        value = _value(num, m.group("mult"))
        if value is None:
            continue
        hedge = (m.group("hedge") or "").strip().lower()
        lo, hi = next(((value * a, value * b) for h, a, b in _HEDGES if h == hedge),
                      (value * 0.995, value * 1.005))
        # "between 74,000 and 81,000", "estimates range from 100,000 to 150,000": one figure,
        # an interval; its noun and unit are the high end's.
        fig_m = m
        nxt = matches[k + 1] if k + 1 < len(matches) else None
        if nxt is not None:
            gap = text[m.end("num") if not m.group("mult") else m.end("mult"): nxt.start()]
            lead = text[max(0, m.start() - 30): m.start()].lower()
            if (re.fullmatch(r"\s*(?:and|to|-|–)\s*", gap)
                    and (re.search(r"\bbetween\s+$", lead)
                         or (re.search(r"\bfrom\s+$", lead) and not re.search(
                             r"\b(?:rose|risen|rising|fell|fallen|dropped|increased|climbed|"
                             r"jumped|grew|grown|raised|revised|lowered|up|down)\b", lead))
                         or gap.strip() in ("-", "–"))):
                hv = _value(nxt.group("num"), nxt.group("mult") or m.group("mult"))
                if hv is not None and hv >= value:
                    lo, hi, value = min(lo, value), hv, (value + hv) / 2
                    fig_m = nxt
                    skip.add(k + 1)
        rest = [stem(w) for w in (fig_m.group("rest") or "").split()]
        unit: str | None = "percent" if fig_m.group("pct") else None
        cur = m.group("cur") or fig_m.group("cur")
        if cur:
            unit = CURRENCY.get(cur, "money")
        noun = None
        units: list[str] = []
        used = 0  # words of the rest that belong to the figure ("merchant vessels")
        for w in rest[:3]:
            if w in UNIT_WORDS and noun is None:
                units.append(w)
                used += 1
                continue
            if w in STOP or w in MEASURE_WORDS or w in EVALUATIVE:
                if w in _MEASURE_NOUNS and noun is not None and noun not in NOUN_CLASS:
                    noun = None  # "1,320 excess deaths": a modifier of the dead, not a noun
                break
            noun = w  # the last word of "merchant vessels", "crew members"
            used += 1
            if w in NOUN_CLASS:
                break
        if units and unit is None:
            unit = " ".join(units)
            per = rest[len(units): len(units) + 2]
            if len(per) == 2 and per[0] in ("per", "a") and per[1] in UNIT_WORDS:
                unit += f"/{per[1]}"  # a rate (cubic metres per second), not an amount
                used += 2
        if unit is None and _WORD_DOLLARS.match(text, max(fig_m.end(g) for g in ("num", "mult")
                                                       if fig_m.group(g))):
            unit = "dollar"  # "720 million U.S. dollars"
        if unit in MONEY_UNITS:
            unit = "money:" + unit
            if hedge in _ROUNDING:
                # "about $720 million": a deal's worth is rounded, not guessed
                lo, hi = value * 0.95, value * 1.05
            noun = None  # "$1.2 billion contract": the money, not a count of contracts
        # "41 of the 57 people aboard have been recovered": the part counts the whole's
        # population, and its measure is the clause's verb, not the whole's "aboard".
        whole = _PART_OF.match(text, fig_m.end("num") if not fig_m.group("mult")
                               else fig_m.end("mult"))
        whole_span = (-1, -1)
        if whole is not None and noun is None:
            wm = _FIGURE.match(text, whole.end())
            if wm is not None:
                whole_span = (wm.start(), wm.end())
                wrest = [stem(w) for w in (wm.group("rest") or "").split()]
                noun = next((w for w in wrest[:2] if w not in STOP and w not in MEASURE_WORDS),
                            None)
                if _REMAINS_OF.search(text, 0, m.start()):
                    noun = "body"  # "the remains of 41 of the 57 passengers": the dead
        # What the figure measures: the measure word nearest to it ("800 detained, of whom
        # 530 released": 530 is not a count of the detained).
        near = sorted((abs(pos - m.start()), meas) for pos, meas in at_measure
                      if abs(pos - m.start()) <= 100
                      and not whole_span[0] <= pos < whole_span[1])
        measures = [meas for _, meas in near[:1]]
        if unit and (unit.split("/")[0] in LENGTH_UNITS or "/" in unit):
            measures = []  # "25 miles north of the town": a distance, never a death toll
        if unit and unit.startswith("money:"):
            measures = [MONEY_MEASURES.get(meas, meas) for meas in measures
                        if meas in MONEY_MEASURES] or _money_measure(text, m.start())
        if unit is None and noun is None and not measures:
            continue
        # The figure's own stretch: from the previous figure to the next one (a duration or
        # a year before it is no figure: "within the past 24 hours, ... killed 58").
        prev = k - 1
        while prev >= 0 and (rest_first(matches[prev]) in DURATIONS or re.fullmatch(
                r"(?:1[89]|20)\d\d", matches[prev].group("num"))):
            prev -= 1
        seg_lo = matches[prev].end() if prev >= 0 else 0
        seg_hi = matches[k + 2].start() if fig_m is not m and k + 2 < len(matches) else (
            nxt.start() if nxt is not None and fig_m is m else len(text))
        scope = _scope_of(text[seg_lo: seg_hi], stems, text,
                          bool(measures) and measures[0] in EVENT_COUNTS)
        if scope != "war" and _TOTAL_LEAD.search(text, seg_lo, m.start()):
            scope = "cumulative"
        reg = _REGION.search(text[seg_lo: seg_hi]) or _REGION.search(text)
        fig_end = max(fig_m.end(g) for g in ("num", "mult", "pct") if fig_m.group(g))
        out.append(Figure(value, lo, hi, unit, noun, noun_class(noun),
                          measures[0] if measures else None, scope,
                          _figure_text(m, used) if fig_m is m else
                          text[m.start(): fig_m.end("num")], m.start(),
                          cited=bool(_CITED.match(text, fig_end)),
                          region=reg.group(1).strip().lower() if reg else None))
    return out


_WORD_DOLLARS = re.compile(r"\s+(?:U\.S\.|US|American)\s+dollars?\b")
_ROUNDING = frozenset({"about", "around", "some", "roughly", "approximately", "an estimated",
                       "estimated"})
_MEASURE_NOUNS = _stems("death deaths fatalities fatality casualties casualty injuries arrests")
_NOT_A_COUNT = _stems("more additional further other times magnitude")
DURATIONS = _stems("day days week weeks month months year years decade decades hour hours "
                   "minute minutes night nights")
# "the 52 per cent announced by the board", "38 per cent from the monitors": a
# figure the claim quotes as someone else's, not its own.
_CITED = re.compile(r"(?:\s+[\w-]+){0,3}?\s*,?\s+(?:(?i:announced|given|reported|claimed|cited|"
                    r"released|published|put out|quoted)\s+by|from\s+the\s+"
                    r"(?:[A-Z][\w-]*|(?:observers|monitors|ministry|commission|agency|government|"
                    r"authorities|officials|police|army|military|rebels|opposition|mission|"
                    r"council|monitoring group|health ministry)\b))")
_REMAINS_OF = re.compile(r"\b(?:bodies|remains)\s+of\s+(?:the\s+)?$", re.I)
_PART_OF = re.compile(r"\s+(?:out\s+)?of\s+(?:the\s+|all\s+|its\s+|their\s+)?"
                      r"(?:(?:approximately|about|around|some|nearly|almost|roughly)\s+)?(?=\d)",
                      re.I)
CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "US$": "dollar"}
MONEY_UNITS = frozenset({"dollar", "euro", "pound", "money"} | {stem(w) for w in (
    "dollars euros pounds rupees yuan yen roubles rubles francs".split())})
LENGTH_UNITS = _stems("metre meter kilometre kilometer km mile foot feet")
# What a sum of money is: a deal's worth (fixed once signed) or damage, losses, a cost.
_MONEY_WORDS = {"worth": "worth valued value contract deal order sale purchase package "
                         "sell sold buy bought",
                "damage": "damage damages losses loss cost costs bill repair reconstruction"}
_MONEY_STEMS = {stem(w): m for m, ws in _MONEY_WORDS.items() for w in ws.split()}
MONEY_MEASURES: dict[str, str] = {}


def _money_measure(text: str, at: int) -> list[str]:
    near = sorted((abs(t.start() - at), _MONEY_STEMS[stem(t.group(0))])
                  for t in _TOKEN.finditer(text) if stem(t.group(0)) in _MONEY_STEMS
                  and abs(t.start() - at) <= 80)
    return [near[0][1]] if near else []


_TARGET = re.compile(r"\b(?:described|called|calls|call|termed|branded|dubbed|labelled|"
                     r"labeled)\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?"
                     r"(?P<t>[\w’'\- ]{2,50}?)\s+(?:as\s+)?[\"“‘(]", re.I)
_COPULA_TARGET = re.compile(r"^\W*(?:the\s+)?(?P<t>[\w’'\- ]{2,40}?)\s+(?:is|was|are|were|"
                            r"has been|had been|remains)\s+", re.I)


# "the envoy, Ana Ruiz, whom he described as ...": what is judged comes before "whom".
_RELATIVE_TARGET = re.compile(r"(?P<t>(?:[\w’'-]+,?\s+){1,4}?)(?:whom|which|who)\s+"
                              r"(?:\w+\s+){0,2}?(?:described|called|calls|termed|branded|"
                              r"dubbed|hailed|praised)\b", re.I)


def _target(text: str) -> frozenset[str]:
    """The thing an evaluation judges: "called the new peg ...", "the vote was fair"."""
    # The relative pattern needs "who"/"which" (so "wh"): skip its slow scan without it.
    m = ((_RELATIVE_TARGET.search(text) if "wh" in text.lower() else None)
         or _TARGET.search(text) or _COPULA_TARGET.search(text))
    if m is None:
        return frozenset()
    # "the council's monitors": the head is what is judged; whose they are is not.
    words = [w.strip(",;:") for w in m.group("t").split() if not re.search(r"['’]s,?$", w)]
    return frozenset(stem(w) for w in words if stem(w) not in STOP and len(w) > 2)


def negated_at(text: str, pos: int, reach: int = 5) -> bool:
    """A negator among the ``reach`` words before ``pos``: "has not reopened", "never fair".
    A "no" further off ("no lower than 260") is about something else."""
    before = [w.lower().replace("’", "'") for w in _words(text[max(0, pos - 60): pos])]
    return any(w in NEGATION or w.endswith("n't") for w in before[-reach:])


def _state(text: str, stems: frozenset[str], neg: bool) -> tuple[int, bool, int]:
    for pattern, value in _STATE_CUES:
        m = pattern.search(text)
        if m is None or _UNREAL.search(text[max(0, m.start() - 40): m.start()]):
            continue
        after = {stem(w) for w in _words(text[m.end(): m.end() + 60])[:5]}
        before = {stem(w) for w in _words(text[max(0, m.start() - 90): m.start()])[-10:]}
        restriction = bool((after | before) & RESTRICTIONS)
        v = -value if restriction else value
        return (-v if negated_at(text, m.start()) else v), restriction, m.start()
    return 0, False, -1


# "HARBOURTON, 19 July (Reuters) — ": a dateline names where the story was filed, not its topic.
_DATELINE = re.compile(r"^\s*[A-Z][A-Z .'-]{2,}(?:,[^—\-(]{0,40})?\s*(?:\([^)]{0,40}\))?"
                       r"\s*[—–-]+\s*")
_DATE_WORDS = _stems("january february march april may june july august september october "
                     "november december jan feb mar apr jun jul aug sep sept oct nov dec")


_SIGNAL = (TOPIC_SKIP | DENIAL | AGREEMENT | BLAME | frozenset(EVALUATIVE) | LEGALITY
           | frozenset(MEASURE_WORDS) | STOP | RESTRICTIONS)
_ILLEGAL = _stems("illegal unlawful")
_JUDGING = frozenset(EVALUATIVE) | LEGALITY  # a claim with none of these evaluates nothing
# "legal" before a noun names a kind of thing (legal team, legal quarrel, legal committee);
# "illegal blockade", "lawful order" still judge it.
_CLASSIFIERS = _stems("legal")
_CLASSIFYING = re.compile(r"\s+(?!(?:and|or|but|under|in|to|for|by|at|as|on|if|because|since|"
                          r"from|with|until|when|while|after|before|unless)\b)[a-z][a-z-]+\b")
_POLITICAL = re.compile(r"\bpolitically[ -](?:ordered|motivated|driven|inspired|dictated)\b",
                        re.I)


@lru_cache(maxsize=100_000)
def frame_of(text: str) -> Frame:
    """The frame of a claim text (cached: wire copy repeats sentences; do not mutate)."""
    return _frame_of(text)


_HOW_PARTS = frozenset("backed led based aligned run owned controlled allied funded sponsored "
                       "made built linked affiliated".split())


def _stems_of(text: str, dateline: bool = True) -> tuple[list[str], frozenset[str]]:
    if dateline:
        text = _DATELINE.sub(lambda m: " " * len(m.group(0)), text, count=1)
    words = [w for w in _words(text) if w.lower() not in SKIP_WORDS]
    stems = frozenset(stem(w) for w in words if not w[0].isdigit())
    # "Tor-M" is the Tor, "Navy-laid" names the navy: a compound's parts count too.
    # "Tarn-backed", "Vessan-led", "port-run": the second part says how, not about what.
    stems |= {stem(p) for w in words if "-" in w for p in w.split("-")
              if len(p) > 2 and not p[0].isdigit() and p.lower() not in _HOW_PARTS}
    return words, stems


@lru_cache(maxsize=100_000)
def stems_of(text: str) -> frozenset[str]:
    """A text's stems, as its frame has them, without the rest of the frame."""
    return _stems_of(text)[1]


@lru_cache(maxsize=100_000)
def topic_of(text: str) -> frozenset[str]:
    """A text's topic stems, as its frame has them, without the rest of the frame."""
    return frozenset(s for s in stems_of(text) if s not in _SIGNAL and len(s) > 2)


def _frame_of(text: str) -> Frame:
    text = _DATELINE.sub(lambda m: " " * len(m.group(0)), text, count=1)
    words, stems = _stems_of(text, dateline=False)
    low = [w.lower().replace("’", "'") for w in words]
    neg = any((w in NEGATION or w.endswith("n't")) and w not in _MANNER_NEG
              and not (i + 1 < len(low) and low[i + 1] in COMPARATIVES)
              for i, w in enumerate(low))
    scope: set[str] = set()
    negating = neg or bool(stems & DENIAL) or any(w.endswith("n't") or w in NEGATION
                                                  for w in low)
    denial_of_report = negating and bool(_REJECTED_REPORT.search(text))
    # "denied the report, saying only fighters were killed": the reason given is not denied.
    said = _SAYING.search(text) if negating else None
    upto = len([w for w in _words(text[: said.start()]) if w.lower() not in SKIP_WORDS]
               ) if said else len(words)
    lies = stem("lies") if _LIE_VERB.search(text) else ""  # "the fault lies with X"
    for i, w in enumerate(low if negating else ()):
        if lies and stem(w) == lies:
            continue
        if stem(w) in STANCE_DENIAL and not denial_of_report:
            continue  # "rejects the troop withdrawal": a stance, nothing denied
        if stem(w) in DENIAL_VERBS and len(words) - i > 3:
            # "X denied that the gates were opened": what follows the verb is denied.
            end = upto if i < upto - 2 else len(words)
            scope |= {stem(x) for x in words[i + 1: end] if not x[0].isdigit()}
        elif stem(w) in DENIAL:
            scope |= stems  # "called the report ... a fabrication": all of it is denied
        elif w in _MANNER_NEG:
            continue
        elif w in NEGATION or w.endswith("n't"):
            if i + 1 < len(low) and low[i + 1] in COMPARATIVES:
                continue  # "no lower than 260", "no later than May": a bound, not a denial
            scope |= {stem(x) for x in words[i + 1: i + 7] if not x[0].isdigit()}
    scope -= UNIT_WORDS
    denial = bool((stems - STANCE_DENIAL - {lies}) & DENIAL) or bool(
        _DENIAL_PHRASE.search(text)) or (
        bool(stems & STANCE_DENIAL) and bool(_REJECTED_REPORT.search(text)))
    # "May" in the middle of a sentence is the month.
    modal = next((MODAL[w] for w, orig in zip(low, words) if w in MODAL
                  and not (orig == "May" and w == "may")), None)
    mscope: set[str] = set()
    for i, w in enumerate(low if modal is not None else ()):
        if MODAL.get(w) == "should":
            mscope |= {stem(x) for x in words[i + 1: i + 6] if not x[0].isdigit()}
    evals = []
    legality = 0
    for m in _TOKEN.finditer(text) if stems & _JUDGING else ():
        st = stem(m.group(0))
        if st in _CLASSIFIERS and _CLASSIFYING.match(text, m.end()):
            continue  # "the legal committee", "a legal quarrel": a kind of thing, no verdict
        if st in EVALUATIVE:  # "not fair", "was never legal": turned over
            evals.append((st, -EVALUATIVE[st] if negated_at(text, m.start(), 3)
                          else EVALUATIVE[st]))
        if st in LEGALITY and st != "law" and not legality:
            legality = -1 if st in _ILLEGAL else 1
            if negated_at(text, m.start(), 3):
                legality = -legality
    if _POLITICAL.search(text):  # "a politically ordered verdict"
        evals.append(("politically", -1))
    if len({v for _, v in evals}) > 1:
        evals = _own_evaluations(text, evals)
    if not legality and "consistent with the law" in text.lower():
        legality = -1 if negated_at(text, text.lower().index("consistent with"), 3) else 1
    blame = bool(stems & BLAME) or bool(_BLAME_BY.search(text))
    state, restriction, state_at = _state(text, stems, neg)
    topic = frozenset(s for s in stems if s not in _SIGNAL and len(s) > 2)
    return Frame(stems=stems, neg=neg, denial=denial, modal=modal,
                 agree=bool(_AGREEMENT.search(text)) and not neg, blame=blame, evaluations=evals,
                 legality=legality, state=state, state_restriction=restriction,
                 figures=figures(text, stems), topic_stems=topic,
                 neg_scope=frozenset(scope) & topic, modal_scope=frozenset(mscope) & topic,
                 state_at=state_at,
                 lower_stems=frozenset(stem(w) for w in words if w[0].islower()),
                 target=_target(text) if evals or legality else frozenset(),
                 victory=_victory(text))


# Who won: "we have defeated the militants", "the group is at its end", "declared victory
# over …" against "they remain a deadly threat", "have not been defeated", "the fight is far
# from over". A stance on one proposition, said by two sides at one time.
_WON = re.compile(r"\b(?:\w+'ve|have|has|had)\s+(?:now\s+|finally\s+|completely\s+)?"
                  r"(?:defeated|beaten|crushed|vanquished)\b"
                  r"|\b(?:is|are|was|were|has been|have been)\s+(?:now\s+|finally\s+|"
                  r"completely\s+)?(?:defeated|beaten|crushed|vanquished)\b"
                  r"|\bis\s+at\s+its\s+end\b|\bdeclared\s+victory\b", re.I)
_NOT_WON = re.compile(r"\bremains?\s+(?:a\s+|an\s+)?(?:\w+\s+){0,2}(?:threat|adversary|danger|"
                      r"enemy|menace)\b|\b(?:not|never)\s+(?:yet\s+|been\s+|suffered\s+an?\s+|"
                      r"completely\s+|fully\s+)?(?:\w+\s+)?(?:defeated|defeat|beaten|finished)\b"
                      r"|\bfar\s+from\s+(?:over|complete|finished|defeated)\b"
                      r"|\b(?:fight|war|battle|campaign)\s+(?:remains|continues|is not over)\b",
                      re.I)


def _victory(text: str) -> int:
    if _NOT_WON.search(text):
        return -1
    return 1 if _WON.search(text) else 0


# "…; the mayor still calls them toothless", "…, while critics called it a sham": a later clause
# that reports another party's characterisation, not the speaker's own.
_COUNTER_CLAUSE = re.compile(r"(?:;|,\s+(?:but|while|whereas|though|although)|\s+—)\s+"
                             r"(?=(?:[\w’'-]+\s+){0,4}(?:still\s+)?(?:calls?|called|says?|said|"
                             r"describe[sd]?|brand(?:s|ed)?|dubs?|dubbed|term(?:s|ed)?|insists?|"
                             r"insisted|maintains?|maintained)\b)", re.I)


# An evaluation of a pronoun near the claim's start: "described them as", "called it a sham".
_PRONOUN_OBJECT = re.compile(r"^(?:\S+\s+){0,4}?(?:call(?:s|ed)?|describe[sd]?|brand(?:s|ed)?|"
                             r"dub(?:s|bed)?|term(?:s|ed)?)\s+(?:them|it|this|these|those)\b",
                             re.I)


# Blame for an outcome named only before: "bore responsibility for the disaster".
_GENERIC_OUTCOME = re.compile(r"\b(?:for|behind|over)\s+(?:the|this|that)\s+(?:disaster|"
                              r"tragedy|incident|accident|attack|crash|downing|collapse|"
                              r"sinking|blast|explosion|deaths|killings|fire|spill)\b", re.I)


def _own_evaluations(text: str, evals: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Mixed valence in one claim: when a later clause reports someone else's words ("the minister
    called them impartial; the mayor still calls them toothless"), the speaker's view is what
    comes before it. Otherwise the claim stays mixed (no valence)."""
    m = _COUNTER_CLAUSE.search(text)
    if not m:
        return evals
    head = {stem(t.group(0)) for t in _TOKEN.finditer(text[:m.start()])}
    own = [e for e in evals if e[0] in head]
    if _POLITICAL.search(text[:m.start()]):
        own.append(("politically", -1))
    return own if len({v for _, v in own}) == 1 else evals


MIN_CORPUS = 200
STOP_WORDS = frozenset(w for w in (
    "the a an and or but of in on at to for from by with it this that he she they we i its "
    "his her their our mr ms dr after before when while if as").split())


class FrameCache:
    """Frames of the claims of one report, and how common each topic stem is among them."""

    def __init__(self) -> None:
        self._frames: dict[int, Frame] = {}
        self._seen: list[Any] = []
        self._context: dict[int, frozenset[str]] = {}
        self._story: dict[str, frozenset[str]] = {}
        self._last: tuple[Any, Any] = (None, None)
        self._idf: dict[str, float] = {}
        self._rare: dict[tuple[int, float], frozenset[str]] = {}
        self._measures: dict[int, frozenset[str]] = {}
        self._gate: dict[int, tuple[Frame, frozenset[str], bool, frozenset[str]]] = {}
        self.articles: dict[str, Any] = {}
        self.followers: dict[int, list[int]] = {}  # lead-in index -> its quotes' indices
        self.voice: dict[int, Any] = {}  # a reporter's lead-in -> the quote it speaks for
        self.parties: dict[int, str] = {}  # claim -> who asserts it (common.party)
        self.answers: dict[int, int] = {}  # bare denial index -> index of what it denies
        self.answered: set[tuple[int, int]] = set()  # (id(claim denied), id(denial))
        self.where: dict[Any, frozenset[str]] = {}  # claim id / article id -> countries
        self.df: dict[str, int] = {}
        self.n = 0
        self._records: dict[str, str] = {}  # frames stored at ingest (framerecord)
        self._decoded: dict[str, Frame] = {}

    def use_records(self, records: dict[str, str]) -> None:
        """Frames stored at ingest, by text key, of this code's version: decoded, not read."""
        from .framerecord import decode, text_key

        self._records, self._decode, self._key = records, decode, text_key

    def _read(self, text: str) -> Frame:
        if not self._records:
            return frame_of(text)
        fr = self._decoded.get(text)
        if fr is None:
            rec = self._records.get(self._key(text))
            try:
                fr = None if rec is None else self._decode(rec)
            except (ValueError, KeyError, TypeError):
                fr = None  # a damaged row: read the text, as without a stored frame
            fr = self._decoded[text] = fr or frame_of(text)
        return fr

    def get(self, claim: Any) -> Frame:
        got = self._frames.get(id(claim))
        if got is not None:
            return got
        fr = self._read(claim.text)
        speaker = claim.speaker or (claim.data or {}).get("speaker")
        if speaker:
            # Who speaks is not what the claim is about: "Almeida described X as historic"
            # and "Almeida described Y as unacceptable" share a name, not a topic.
            names = stems_of(speaker)
            if names & fr.topic_stems:
                fr = replace(fr, topic_stems=fr.topic_stems - names,
                             neg_scope=fr.neg_scope - names, modal_scope=fr.modal_scope - names)
        self._frames[id(claim)] = fr
        # Every per-claim cache here is keyed by id() and filled only after get(): keeping
        # the claim alive keeps its id from being reused by another object while the cache
        # lives (a cache outliving its claims would answer for a dead one).
        self._seen.append(claim)
        return fr

    def context(self, claim: Any) -> frozenset[str]:
        """Topic stems of the claim's sentence and its article's headline: a reported clause
        ("176 people had been aboard") names its story only there."""
        key = id(claim)
        ctx = self._context.get(key)
        if ctx is None:
            art = self.articles.get(claim.article_id)
            text = claim.text
            if art is not None and art.text:
                lo = max(art.text.rfind(". ", 0, claim.start), art.text.rfind("\n", 0,
                                                                                claim.start))
                hi_dot = art.text.find(". ", claim.end)
                hi_nl = art.text.find("\n", claim.end)
                ends = [x for x in (hi_dot, hi_nl) if x >= 0]
                hi = min(ends) if ends else len(art.text)
                text = art.text[lo + 1: hi] + " . " + (art.title or "")
                fr = self.get(claim)
                if ((fr.evaluations and not fr.target and _PRONOUN_OBJECT.search(claim.text))
                        or (fr.blame and _GENERIC_OUTCOME.search(claim.text))):
                    # "X described them as impartial": what is judged is named one sentence
                    # before ("Opinions of the council's monitors are divided.").
                    before = max(art.text.rfind(". ", 0, lo), art.text.rfind("\n", 0, lo))
                    text += " . " + art.text[before + 1: lo + 1]
            ctx = topic_of(text) | self.get(claim).topic_stems
            self._context[key] = ctx
        return ctx

    def story(self, article_id: str) -> frozenset[str]:
        """Names an article keeps coming back to (capitalised words seen twice or more): the
        story it belongs to."""
        got = self._story.get(article_id)
        if got is None:
            art = self.articles.get(article_id)
            counts: dict[str, int] = {}
            for w in _TOKEN.findall(art.text if art is not None else ""):
                if w[0].isupper() and w.lower() not in STOP_WORDS:
                    st = stem(w)
                    counts[st] = counts.get(st, 0) + 1
            # A short item names its story once; a long one keeps coming back to it.
            least = 2 if art is not None and len(art.text) > 600 else 1
            got = frozenset(s for s, n in counts.items() if n >= least and s not in STOP)
            self._story[article_id] = got
        return got

    def same_story(self, a: Any, b: Any, least: float = 7.0, rare: float = 3.0) -> bool:
        """Do two claims' articles share their recurring names: at least one rare one (the
        dam's, the ship's name), not only the countries every story of a region names?"""
        if a.article_id == b.article_id:
            return True
        common = self.story(a.article_id) & self.story(b.article_id)
        weights = [self.idf(s) for s in common]
        return sum(weights) >= least and max(weights, default=0) >= rare

    def shared_context(self, a: Any, b: Any) -> tuple[list[str], float]:
        common = sorted(self.context(a) & self.context(b),
                        key=lambda s: (self.df.get(s, 0), s))
        return common, sum(self.idf(s) for s in common)

    def fit(self, claims: list[Any], articles: dict[str, Any] | None = None) -> None:
        self.articles = articles or {}
        df: dict[str, int] = {}
        for c in claims:
            for s in self.get(c).topic_stems:
                df[s] = df.get(s, 0) + 1
        self.df, self.n = df, len(claims)
        self._idf = {}
        self._rare = {}
        self._gate = {}
        from .leadin import lead_followers

        # A reported denial or accusation, and its party's quotes right after it.
        self.followers = lead_followers(claims, self.articles, self)
        self.voice = {id(claims[i]): claims[js[0]] for i, js in self.followers.items()
                      if not claims[i].speaker and claims[js[0]].speaker}
        self.parties = {}
        from .leadin import anaphoric_targets

        # "X rejected the accusation": the claim it answers, earlier in the report.
        self.answers = anaphoric_targets(claims, self, self.followers)
        self.answered = {(id(claims[t]), id(claims[d])) for d, t in self.answers.items()}

    def idf(self, s: str) -> float:
        # A small store is a sample of the news: rarity is measured as if among at least
        # MIN_CORPUS claims, so thresholds mean the same in a test and in a desk's archive.
        got = self._idf.get(s)
        if got is None:
            got = math.log((max(self.n, MIN_CORPUS) + 1) / (self.df.get(s, 0) + 1)) + 0.1
            self._idf[s] = got
        return got

    def shared(self, a: Frame, b: Frame) -> tuple[list[str], float]:
        """Topic stems both frames have, rarest first, and their weight (the last pair's
        answer is kept: every class judge asks it of the same pair)."""
        key = (id(a), id(b))
        if self._last[0] == key:
            return self._last[1]
        common = sorted(a.topic_stems & b.topic_stems, key=lambda s: (self.df.get(s, 0), s))
        got = (common, sum(self.idf(s) for s in common))
        self._last = (key, got)
        return got

    def gate(self, claim: Any, least: float) -> tuple[Frame, frozenset[str], bool,
                                                      frozenset[str]]:
        """(frame, its stems at least ``least`` rare, evaluates?, measures of its figures),
        once per claim: what the class judges' gate asks of every pair."""
        got = self._gate.get(id(claim))
        if got is None:
            fr = self.get(claim)
            got = (fr, self.rare(fr, least), bool(fr.evaluations or fr.legality),
                   self.measures(fr) if fr.figures else frozenset())
            self._gate[id(claim)] = got
        return got

    def rare(self, fr: Frame, least: float) -> frozenset[str]:
        """The frame's topic stems at least ``least`` rare (once per frame and threshold)."""
        key = (id(fr), least)
        got = self._rare.get(key)
        if got is None:
            got = frozenset(s for s in fr.topic_stems if self.idf(s) >= least)
            self._rare[key] = got
        return got

    def measures(self, fr: Frame) -> frozenset[str]:
        got = self._measures.get(id(fr))
        if got is None:
            got = frozenset(f.measure or f.unit for f in fr.figures) - {None}
            self._measures[id(fr)] = got
        return got

    def common_share(self, s: str) -> float:
        return self.df.get(s, 0) / max(1, self.n)


__all__ = ["Figure", "Frame", "FrameCache", "frame_of", "stem", "stems_of", "topic_of", "lx"]
