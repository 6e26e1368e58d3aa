"""General English lexicons for quote attribution: speech verbs, titles, speaker nouns.

Nothing here is keyed to any article; these are ordinary words of news reporting.
"""

from __future__ import annotations

# Lemmas of verbs that introduce or frame speech ("X said", "X warned", "X tweeted").
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add state note warn insist deny claim explain argue assert declare announce
    write tweet post reply respond answer ask continue conclude recall remark observe comment
    acknowledge admit concede confirm stress emphasize emphasise maintain contend suggest
    predict promise vow pledge urge describe reiterate repeat accuse charge complain lament
    joke quip shout yell scream chant whisper mutter boast brag testify report caution advise
    demand reaffirm assure tout criticize criticise blast slam praise hail mock protest retort
    counter interject inform speculate wonder muse clarify elaborate summarize summarise
    recount allege opine exclaim resume read quote cite proclaim thunder fume gush rail scoff
    sneer snap bark plead beg implore concur agree disagree object dismiss label brand dub
    term characterize characterise call mention highlight underline underscore indicate
    signal imply hint reveal disclose tease preach lecture tell grumble marvel rave laud
    acknowledge welcome decry condemn denounce reject rebut refute dispute challenge question
    query press wrote recommend propose threaten tweet retweet text email message telegraph
    announce advertise pronounce profess swear attest affirm certify guarantee speak blame
    """.split()
)

# Inflected speech-verb forms that are never nouns: trusted whatever tag the parser gives
# ("Smith says" tagged as a plural noun, "said" as an adjective).
SPEECH_VERB_FORMS: frozenset[str] = frozenset(
    """
    said says told tells added adds wrote writes asked asks explained explains argued argues
    insisted insists recalled recalls declared declares tweeted continued continues warned
    warns replied replies acknowledged acknowledges stressed stresses noted notes read reads
    """.split()
)

# Verbs that only count as a cue right next to the quote, not as a distant ancestor
# ("went on", "put it", "goes on").
WEAK_CUE_VERBS: frozenset[str] = frozenset("go put begin start end open close".split())

# Nouns that carry speech: "in a statement", "his assurance that", "her remarks".
SPEECH_NOUNS: frozenset[str] = frozenset(
    """
    statement remark comment word assurance claim warning message tweet post interview
    speech letter testimony announcement response reply answer note memo op-ed editorial
    release briefing declaration promise pledge vow accusation allegation charge complaint
    argument view belief position insistence suggestion question call appeal plea
    """.split()
)

# Titles and honorifics stripped from names into the role ("Secretary of State", "Mr.").
TITLE_WORDS: frozenset[str] = frozenset(
    """
    mr mrs ms miss dr prof sir dame lord lady president vice prime minister secretary
    senator sen rep reps representative congressman congresswoman governor gov lt lieutenant
    general gen col colonel maj major capt captain adm admiral sgt sergeant cmdr commander
    chairman chairwoman chair chief deputy spokesman spokeswoman spokesperson ambassador envoy
    mayor judge justice attorney king queen prince princess sheikh emir pope rev reverend
    father bishop cardinal speaker leader director officer official foreign defense defence
    interior finance state assistant acting former then-president the sec secretary-general
    undersecretary under-secretary ceo cfo founder candidate nominee hopeful senior
    treasurer auditor comptroller coach manager chancellor premier president-elect inspector
    superintendent sheriff magistrate councillor councilor councilman councilwoman alderman
    commissioner administrator professor dean pastor imam rabbi ayatollah mullah marshal
    brigadier chef host anchor correspondent economist analyst
    """.split()
)

HONORIFIC_GENDER: dict[str, str] = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f", "lord": "m",
    "lady": "f", "king": "m", "queen": "f", "prince": "m", "princess": "f",
    "congressman": "m", "congresswoman": "f", "spokesman": "m", "spokeswoman": "f",
    "chairman": "m", "chairwoman": "f", "father": "m", "sister": "f", "brother": "m",
}

# Head nouns of unnamed human sources: "a Western diplomat", "the official".
PERSON_NOUNS: frozenset[str] = frozenset(
    """
    official diplomat source aide spokesman spokeswoman spokesperson analyst expert
    observer witness resident activist lawmaker legislator senator congressman
    congresswoman representative minister secretary adviser advisor officer commander
    general soldier fighter rebel militant leader member staffer strategist operative
    consultant pollster economist scientist researcher professor lawyer attorney judge
    negotiator envoy ambassador president director chief chairman chairwoman head manager
    executive insider person man woman supporter voter critic opponent ally friend
    colleague counterpart veteran candidate nominee governor mayor delegate organizer
    organiser volunteer donor citizen protester protestor student teacher doctor nurse
    police policeman officer journalist reporter editor writer author columnist blogger
    commentator historian worker employee investigator prosecutor detective agent
    """.split()
)

# Head nouns of collective speakers: "the government said", "the ministry said".
ORG_NOUNS: frozenset[str] = frozenset(
    """
    government ministry department administration opposition committee council army
    military police campaign agency office embassy party coalition group organization
    organisation union company firm network newspaper paper magazine agency board court
    commission regime parliament congress senate house white kremlin cabinet team camp
    statement report memo letter poll survey study website site channel station authority bureau
    alliance mission court command
    """.split()
)

PRONOUN_FEATURES: dict[str, str] = {
    # m/f: singular person; p: plural; n: neuter (organisations, statements)
    "he": "m", "him": "m", "she": "f", "her": "f", "they": "p", "them": "p",
    "it": "n", "we": "p", "i": "1", "you": "2", "who": "?", "which": "?", "that": "?",
}

RELATIVE_PRONOUNS: frozenset[str] = frozenset({"who", "which", "that", "whom"})

NAME_PARTICLES: tuple[str, ...] = ("al-", "el-", " al ", "el ")
