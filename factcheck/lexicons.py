"""General English news vocabulary used by the claim extractor and the rule judge.

Everything here is ordinary vocabulary of news about conflicts and diplomacy (speech verbs,
denial cues, negators, event frames with their opposite-polarity verbs, antonymous
adjectives, counted units, demonyms). Nothing is keyed to a particular article: the rules
must work on any corpus, and the tests exercise them on synthetic text about other topics.
"""

from __future__ import annotations

# --- attribution -------------------------------------------------------------------------

# Lemmas of verbs that introduce reported speech ("X said Y", "Y, X told reporters").
SPEECH_VERBS: frozenset[str] = frozenset(
    """say tell state add announce claim insist warn note report confirm accuse assert
    declare argue explain maintain reiterate stress emphasise emphasize acknowledge admit
    allege charge contend suggest indicate reveal disclose predict promise pledge vow
    threaten complain concede estimate write tweet testify brief inform assure caution
    recall remark reply respond counter observe mention deny dismiss reject refute dispute
    rebut believe think""".split()
)

# Lemmas that deny what someone else asserted. "deny" with a pronoun object ("denied that",
# "denied it") points back at the previous claim; with a clause it negates that clause.
DENIAL_VERBS: frozenset[str] = frozenset(
    "deny refute rebut dismiss reject dispute contradict disavow repudiate debunk".split()
)

# Words that, inside a quote, mark the speaker calling someone else's statement false.
DENIAL_CUES: frozenset[str] = frozenset(
    """lie lied lying lies false falsely untrue baseless fabricated fabrication groundless
    unfounded nonsense propaganda fake hoax misinformation disinformation denial""".split()
)

# Objects of a denial verb that refer back to an earlier statement instead of stating one.
ANAPHORIC_OBJECTS: frozenset[str] = frozenset(
    """that this it these those them report reports claim claims allegation allegations
    account accounts accusation accusations charge charges statement statements story
    suggestion suggestions assertion assertions rumour rumours rumor rumors""".split()
)

# --- negation ----------------------------------------------------------------------------

NEGATORS: frozenset[str] = frozenset(
    "not n't never no nobody nothing neither nor none without".split()
)

# Heads under which an event is only wanted, asked for or imagined ("asked Russia to cancel
# the sale", "prefer that Russia would not supply").
IRREALIS_HEADS: frozenset[str] = frozenset(
    """ask urge call demand want prefer hope seek press request wish propose plead appeal
    consider threaten plan""".split()
)
HYPOTHETICAL_MODALS: frozenset[str] = frozenset("could might may would should".split())

# Verbs whose complement is negated ("refused to deliver" = not deliver).
NEGATING_HEADS: frozenset[str] = frozenset(
    "refuse fail decline reject deny stop cease avoid halt suspend abandon".split()
)

# --- event frames ------------------------------------------------------------------------
# lemma -> (frame, polarity). Two claims about the same thing whose events fall in the same
# frame with opposite polarity are candidates for a conflict.

EVENT_FRAMES: dict[str, list[tuple[str, int]]] = {}


def _frame(name: str, positive: str, negative: str) -> None:
    for words, polarity in ((positive, 1), (negative, -1)):
        for lemma in words.split():
            EVENT_FRAMES.setdefault(lemma.replace("_", " "), []).append((name, polarity))


# Supplying goods or arms, from either side of the transaction.
_frame(
    "supply",
    """deliver delivery transfer supply ship shipment send sell sale provide provision
    export arm receive acquire obtain purchase buy hand_over""",
    "withhold embargo",
)
# A force's presence somewhere.
_frame(
    "presence",
    """deploy deployment reinforce reinforcement station build_up buildup move_into
    redeploy""",
    "withdraw withdrawal pull_out pullout retreat drawdown evacuate",
)
# Truces and ceasefires: made / holding vs broken.
_frame(
    "truce",
    "hold observe respect honour honor agree sign announce declare extend uphold",
    "break violate violation breach collapse shatter end abandon over tatters fray",
)
# Willingness to take part in something (talks, a deal, a plan).
_frame(
    "willingness",
    "ready willing prepared agree accept welcome participate attend join commit",
    "refuse refusal reject decline unwilling boycott oppose",
)
# A leader staying in power vs leaving it.
_frame(
    "tenure",
    "remain stay retain keep non-negotiable",
    "resign step_down oust topple unseat depose remove overthrow",
)
# Movement of a figure.
_frame(
    "trend",
    "rise increase grow climb surge soar jump double",
    "fall decrease drop decline shrink plunge halve",
)
# Someone going somewhere (a visit is typically what a denial is about).
_frame("visit", "visit travel", "")
# Attack or strike.
_frame("attack", "attack strike bomb shell target raid hit", "")
# Support vs opposition to a party or a policy.
_frame("support", "support back endorse favour favor", "condemn oppose denounce")

# A person's place in a government: "X will not be part of the transitional government",
# "X will have no role in the cabinet" (tenure, by its polarity) and "X's presidency is
# non-negotiable" (tenure, +1). Nouns for membership, bodies one is a member of, offices, and
# what is said of an office that keeps (+1) or ends (-1) it.
MEMBERSHIP_NOUNS: frozenset[str] = frozenset("part component member element role place".split())
GOVERNING_BODIES: frozenset[str] = frozenset(
    """government cabinet coalition transition administration council leadership executive
    authority regime parliament junta presidency future settlement""".split()
)
OFFICE_NOUNS: frozenset[str] = frozenset(
    """presidency post position role seat office job tenure rule premiership chairmanship
    leadership mandate future place""".split()
)
OFFICE_PREDICATES: dict[str, int] = {
    "non-negotiable": 1, "nonnegotiable": 1, "secure": 1, "safe": 1, "untouchable": 1,
    "guaranteed": 1, "assured": 1, "over": -1, "finished": -1, "untenable": -1,
}
# Particles of surnames dropped to key a person by surname ("Bashar al-Assad" -> assad).
NAME_PARTICLES: tuple[str, ...] = ("al-", "el-", "ad-", "as-", "ash-", "an-", "at-", "ar-")

# Verbs whose object noun names the subject's own action ("declared a withdrawal",
# "began the deployment"); "condemned the transfer" is someone else's.
EVENT_LIGHT_VERBS: frozenset[str] = frozenset(
    """declare announce begin start complete finish launch order conduct make carry resume
    continue undertake execute implement confirm complete""".split()
)

# "weeks after declaring a withdrawal": the event under after/since happened before the
# clause's time; under before, after it. Lead units resolve how far.
EARLIER_MARKERS: frozenset[str] = frozenset("after following since".split())
LATER_MARKERS: frozenset[str] = frozenset("before ahead".split())
LEAD_UNITS: dict[str, str] = {"day": "day", "days": "day", "week": "week", "weeks": "week",
                              "month": "month", "months": "month", "year": "year",
                              "years": "year"}

# Frames where "negative" words are too generic to count without a frame noun nearby:
# "end" ends anything, "agree" agrees to anything. They only count when the claim also has
# one of the frame's nouns.
FRAME_NOUNS: dict[str, frozenset[str]] = {
    "truce": frozenset("ceasefire cease-fire truce armistice ceasefires truces".split()),
    "willingness": frozenset(
        "talk talks negotiation negotiations conference dialogue deal plan agreement".split()
    ),
}

# Verbs that stop an event named by their object ("suspended deliveries", "halted the
# withdrawal"): the object's frame with negative polarity.
STOPPERS: frozenset[str] = frozenset(
    """suspend cancel halt stop freeze postpone delay scrap block cease abandon shelve
    hold_off put_off call_off""".split()
)

# Adjectives (and a few nouns) that are each other's opposite when said of the same thing.
ANTONYM_PAIRS: tuple[tuple[str, str], ...] = (
    ("legal", "illegal"),
    ("lawful", "unlawful"),
    ("legitimate", "illegitimate"),
    ("true", "false"),
    ("possible", "impossible"),
    ("negotiable", "non-negotiable"),
    ("open", "closed"),
    ("alive", "dead"),
    ("guilty", "innocent"),
    ("voluntary", "forced"),
    ("accurate", "inaccurate"),
    ("ready", "unready"),
)

ANTONYMS: dict[str, str] = {}
for _a, _b in ANTONYM_PAIRS:
    ANTONYMS[_a] = _b
    ANTONYMS[_b] = _a

# Evaluative scales: word -> (scale, +1 / -1). Each antonym pair is a scale of its own; the
# "threat" scale gathers the words used to call a force or a weapon a danger or not.
SCALES: dict[str, tuple[str, int]] = {}
for _a, _b in ANTONYM_PAIRS:
    SCALES[_a] = (_a, 1)
    SCALES[_b] = (_a, -1)
for _w in "offensive destabilizing destabilising dangerous threatening aggressive".split():
    SCALES[_w] = ("threat", 1)
for _w in "defensive stabilizing stabilising harmless peaceful".split():
    SCALES[_w] = ("threat", -1)

# What an evaluation is about, by class: "the missiles are destabilizing" and "the systems
# are defensive weapons" both evaluate weapons.
THEME_CLASSES: dict[str, str] = {}
for _w in """missile weapon system arms battery rocket drone munition warplane jet aircraft
        tank artillery""".split():
    THEME_CLASSES[_w] = "weapons"
for _w in "troop force army soldier militia deployment presence".split():
    THEME_CLASSES[_w] = "forces"
for _w in "election vote referendum ballot poll".split():
    THEME_CLASSES[_w] = "election"
for _w in "strike raid airstrike attack bombing operation".split():
    THEME_CLASSES[_w] = "attack"

# --- numbers -----------------------------------------------------------------------------

NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 36,
    "scores": 50, "hundreds": 300, "thousands": 3000, "tens of thousands": 30000,
    "hundreds of thousands": 300000, "millions": 3e6,
}

MULTIPLIERS: dict[str, float] = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3,
}

# Hedges before a number and the interval they imply, as (low factor, high factor).
HEDGES: dict[str, tuple[float, float]] = {
    "more than": (1.0, float("inf")),
    "over": (1.0, float("inf")),
    "at least": (1.0, float("inf")),
    "upwards of": (1.0, float("inf")),
    "in excess of": (1.0, float("inf")),
    "less than": (0.0, 1.0),
    "fewer than": (0.0, 1.0),
    "under": (0.0, 1.0),
    "up to": (0.0, 1.0),
    "at most": (0.0, 1.0),
    "about": (0.85, 1.15),
    "around": (0.85, 1.15),
    "some": (0.85, 1.15),
    "roughly": (0.85, 1.15),
    "approximately": (0.85, 1.15),
    "nearly": (0.85, 1.0),
    "almost": (0.85, 1.0),
    "close to": (0.85, 1.0),
    "an estimated": (0.8, 1.2),
}

# What a figure counts, by the verb or noun near it. "killed 70,000", "claimed 100,000
# lives", "a death toll of 250,000" all count the dead.
MEASURES: dict[str, str] = {
    "kill": "killed", "killed": "killed", "die": "killed", "dead": "killed",
    "death": "killed", "deaths": "killed", "toll": "killed", "fatality": "killed",
    "fatalities": "killed", "life": "killed", "lives": "killed", "casualty": "casualties",
    "casualties": "casualties", "wound": "injured", "wounded": "injured", "injure": "injured",
    "injured": "injured", "injury": "injured", "displace": "displaced",
    "displaced": "displaced", "refugee": "displaced", "refugees": "displaced",
    "flee": "displaced", "arrest": "detained", "detain": "detained", "detainee": "detained",
    "detained": "detained", "prisoner": "detained", "hostage": "hostages",
    "abduct": "hostages", "kidnap": "hostages",
}

# Nouns for "the whole conflict" as the thing that killed or displaced people, so that "a
# war that has killed" and "a conflict that has claimed" count the same quantity.
CONFLICT_NOUNS: frozenset[str] = frozenset(
    "war conflict fighting violence crisis uprising insurgency unrest revolution".split()
)

# Units that mean the same thing.
UNIT_ALIASES: dict[str, str] = {
    "%": "percent", "per cent": "percent", "pct": "percent", "percent": "percent",
    "person": "people", "people": "people", "civilian": "people", "life": "people",
    "resident": "people", "$": "usd", "dollar": "usd", "usd": "usd", "euro": "eur",
    "€": "eur", "£": "gbp", "pound": "gbp", "kilometre": "km", "kilometer": "km",
    "mile": "mile", "ton": "tonne", "tonne": "tonne", "troop": "troops",
    "soldier": "troops", "fighter": "fighters", "militant": "fighters",
}

# --- entities ----------------------------------------------------------------------------

# Demonyms, short forms and seats of government that stand for the country in news copy
# ("Moscow said", "Russian officials", "the U.S."). Keys are normalised entity keys.
COUNTRY_ALIASES: dict[str, str] = {}


COUNTRY_NAMES: dict[str, str] = {}


def _country(key: str, aliases: str, name: str | None = None) -> None:
    COUNTRY_ALIASES[key] = key
    COUNTRY_NAMES[key] = name or key.title()
    for alias in aliases.split():
        COUNTRY_ALIASES[alias] = key


_country("unitedstates", "us usa america american americans washington whitehouse",
         "the United States")
_country("unitedkingdom", "uk britain british greatbritain london", "the United Kingdom")
_country("russia", "russian russians moscow kremlin russianfederation")
_country("china", "chinese beijing")
_country("syria", "syrian syrians damascus")
_country("israel", "israeli israelis jerusalem telaviv")
_country("iran", "iranian iranians tehran")
_country("iraq", "iraqi iraqis baghdad")
_country("turkey", "turkish ankara turkiye")
_country("ukraine", "ukrainian ukrainians kyiv kiev")
_country("france", "french paris")
_country("germany", "german berlin")
_country("lebanon", "lebanese beirut")
_country("jordan", "jordanian amman")
_country("egypt", "egyptian cairo")
_country("saudiarabia", "saudi saudis riyadh", "Saudi Arabia")
_country("yemen", "yemeni sanaa")
_country("libya", "libyan tripoli")
_country("afghanistan", "afghan afghans kabul")
_country("pakistan", "pakistani islamabad")
_country("india", "indian newdelhi")
_country("japan", "japanese tokyo")
_country("northkorea", "northkorean pyongyang", "North Korea")
_country("southkorea", "southkorean seoul", "South Korea")
_country("italy", "italian rome")
_country("sudan", "sudanese khartoum")
_country("ethiopia", "ethiopian addisababa")
_country("armenia", "armenian yerevan")
_country("azerbaijan", "azerbaijani azeri baku")
_country("venezuela", "venezuelan caracas")
_country("qatar", "qatari doha")
_country("palestine", "palestinian palestinians")
_country("mexico", "mexican mexicans")
_country("indonesia", "indonesian indonesians jakarta")
_country("nigeria", "nigerian nigerians abuja")
_country("somalia", "somali somalis mogadishu")
_country("myanmar", "burma burmese")
_country("philippines", "philippine filipino filipinos manila")
_country("bangladesh", "bangladeshi dhaka")
_country("nepal", "nepalese nepali kathmandu")
_country("haiti", "haitian haitians")
_country("colombia", "colombian colombians bogota")
_country("brazil", "brazilian brazilians brasilia")
_country("kenya", "kenyan kenyans nairobi")
_country("europeanunion", "eu brussels european", "the European Union")
_country("unitednations", "un", "the United Nations")

# Entity keys too generic to tell two topics apart (kept out of topic blocking).
GENERIC_ENTITY_KEYS: frozenset[str] = frozenset(
    """government regime state ministry country official officials people world west east
    monday tuesday wednesday thursday friday saturday sunday today yesterday""".split()
)

# Determiners and titles stripped from the front of an entity before making its key.
ENTITY_PREFIXES: tuple[str, ...] = ("the ", "a ", "an ")
