"""Figures on short made-up reports (no spaCy, no model): what a figure counts, over what,
and when two figures are one quantity.

Each case asserts the conflict found with its kind and a near-miss that must not be
flagged: a different quantity, a different event, the same figure restated, one day (or one
year) against a running total, a part of the place, a distance, a rival's figure quoted.
"""

from __future__ import annotations

from factcheck.crosscheck import Conflict
from factcheck.judges import JudgeContext, RuleJudge
from factcheck.judges.frames import frame_of
from factcheck.records import Article, Claim
from tests.test_class_judges import _report, _with  # one corpus builder for the judge tests


def _flagged(conflicts: list[Conflict], fragment: str) -> bool:
    return any(fragment in e.text for c in conflicts for e in c.claims)


# --- frames ------------------------------------------------------------------------------


def test_figure_frames_read_parts_ranges_old_values_money_and_distances():
    part = frame_of("The bodies of 41 of the 57 trapped miners have now been recovered").figures
    assert (part[0].value, part[0].measure, part[0].noun_class) == (41, "recovered", None) \
        or (part[0].value, part[0].measure) == (41, "recovered")
    assert part[1].value == 57 and part[1].measure == "missing"  # the whole keeps its own
    rng = frame_of("Aid groups said between 2,000 and 3,500 people died in the floods").figures
    assert len(rng) == 1 and (rng[0].low, rng[0].high) == (1990.0, 3500.0)
    rose = frame_of("The toll rose to 32, up from 20 the day before, officials said").figures
    assert [f.value for f in rose] == [32]  # the earlier value is not the claim's own
    deal = frame_of("The frigate contract is worth about $1.4 billion").figures[0]
    assert deal.unit == "money:dollar" and deal.measure == "worth"
    miles = frame_of("The camp lies 25 miles north of the town where 11 villagers were killed")
    assert [f.measure for f in miles.figures] == [None, "killed"]  # a distance is no toll
    weeks = frame_of("The curfew was reimposed six weeks after it was lifted")
    assert not weeks.figures  # a duration, not a count
    assert frame_of("the bodies of all but three of the dead were returned").figures == []


def test_figure_scopes():
    def scope(text: str) -> str:
        return frame_of(text).figures[0].scope

    assert scope("Turnout in some districts exceeded 90 per cent") == "local"
    assert scope("At least 800 people were killed in the province last year") == "period"
    assert scope("The insurgency has killed 3,100 people") == "war"  # the whole war's toll
    assert scope("Police detained 45 people on Saturday") == "one-day"
    assert scope("Police detained 45 people on Saturday alone") == "one-day"
    # Two figures, two scopes: one strike's dead and the war's running toll.
    two = frame_of("The strike killed 30 people, bringing the war's toll to 9,400").figures
    assert [f.scope for f in two] == ["incident", "war"]
    cited = frame_of("Monitors put turnout at 38 per cent, well below the 52 per cent "
                     "announced by the Election Board").figures
    assert [f.cited for f in cited] == [False, True]


# --- conflicts and their near-misses -----------------------------------------------------


def test_contract_value_contradiction_and_the_same_value_restated():
    conflicts = _report([
        ("d1", "The frigate contract with the Varnish shipyard is worth $1.2 billion, the "
               "defence ministry said", "defence ministry", "2022-03-02"),
        ("d2", "The Varnish shipyard frigate contract is valued at about $1.6 billion, "
               "according to budget papers", None, "2022-06-20"),
        ("d3", "The defence ministry said the Varnish shipyard frigate deal was worth "
               "$1.2 billion", None, "2022-03-04"),
    ])
    hits = _with(conflicts, "$1.6 billion")
    assert hits and hits[0].kind == "contradiction"  # a deal's worth is set once
    assert "value of the deal" in hits[0].topic
    assert not _with(conflicts, "is worth $1.2 billion", "worth $1.2 billion\"")
    assert sum("$1.2 billion" in e.text for e in hits[0].claims) == 1  # restated: one side


def test_flood_damage_estimate_is_a_series_and_the_displaced_stay_apart():
    conflicts = _report([
        ("w1", "Flood damage in the Lennart valley was estimated at $40 million",
         "Lennart water board", "2023-01-12"),
        ("w2", "The Lennart valley flood damage estimate has risen to $95 million",
         "Lennart water board", "2023-03-02"),
        ("w3", "The Lennart valley flood displaced 3,200 people", None, "2023-01-13"),
    ])
    hits = _with(conflicts, "$40 million", "$95 million")
    assert hits and hits[0].kind == "series"
    assert not _flagged(conflicts, "3,200")  # people displaced are another quantity


def test_remains_recovered_part_of_a_whole_is_a_series():
    conflicts = _report([
        ("r1", "Rescuers at the Kestel colliery had so far recovered 12 bodies",
         "Kestel rescue service", "2024-02-03"),
        ("r2", "The bodies of 41 of the 57 miners trapped at the Kestel colliery have now "
               "been recovered", "Kestel mine operator", "2024-02-20"),
    ])
    hits = _with(conflicts, "12 bodies", "41 of the 57")
    assert hits and hits[0].kind == "series", [(c.kind, c.topic) for c in conflicts]


def test_one_day_and_one_year_counts_are_not_set_against_the_running_toll():
    conflicts = _report([
        ("e1", "The cholera epidemic in Marrow province has killed 340 people since March",
         "Marrow health ministry", "2019-06-01"),
        ("e2", "Cholera killed 12 people in Marrow province on Monday",
         "Marrow health ministry", "2019-06-03"),
        ("e3", "The cholera epidemic in Marrow province has killed 410 people since March",
         "Marrow health ministry", "2019-06-20"),
        ("e4", "In Marrow province 95 people died of cholera last year", "aid group",
         "2019-06-21"),
    ])
    hits = _with(conflicts, "340 people", "410 people")
    assert hits and hits[0].kind == "series"
    assert not _flagged(conflicts, "12 people")  # one day's dead
    assert not _flagged(conflicts, "95 people")  # last year's dead


def test_one_strike_is_not_the_war_and_a_distance_is_not_a_toll():
    conflicts = _report([
        ("s1", "The air strike on Dornach market killed 30 people, the Varga health office "
               "said", "Varga health office", "2016-04-02"),
        ("s2", "The war in Varga has killed more than 9,000 people, the monitoring group "
               "said", "monitoring group", "2016-04-03"),
        ("s3", "Dornach lies 25 miles north of the Varga front line, where 30 people were "
               "killed", None, "2016-04-03"),
        ("s4", "The Dornach market is 40 miles from the Varga capital", None, "2016-04-04"),
    ])
    assert not _with(conflicts, "30 people", "9,000")
    assert not _with(conflicts, "25 miles", "40 miles")


def test_turnout_of_two_bodies_conflicts_but_a_part_and_a_quoted_pair_do_not():
    conflicts = _report([
        ("t1", "The Election Board of Sallen put national turnout at 52 per cent",
         "Election Board", "2025-04-07"),
        ("t2", "Independent monitors in Sallen said national turnout was about 38 per cent, "
               "well below the 52 per cent announced by the Election Board",
         "independent monitors", "2025-04-07"),
        ("t3", "The opposition in Sallen said turnout in some districts exceeded 90 per cent",
         "opposition", "2025-04-08"),
        ("t4", "Two Sallen turnout figures remain: 52 per cent from the Election Board and "
               "about 38 per cent from the monitors", None, "2025-05-01"),
    ])
    hits = _with(conflicts, "put national turnout at 52", "about 38 per cent")
    assert hits and hits[0].kind == "contradiction"
    assert not _flagged(conflicts, "90 per cent")  # some districts are not the country
    assert not _flagged(conflicts, "Two Sallen turnout figures")  # both quoted: no side


def test_a_range_holding_the_other_figure_agrees():
    conflicts = _report([
        ("q1", "Aid groups said between 2,000 and 3,500 people died in the Tarsa earthquake",
         "aid groups", "2020-09-01"),
        ("q2", "About 3,000 people died in the Tarsa earthquake, the government said",
         "government", "2020-09-02"),
    ])
    assert not _with(conflicts, "2,000", "3,000")


# --- the rule judge's deals --------------------------------------------------------------


def _event_claim(text: str, entities: list[str], polarity: int, date: str, art: str) -> Claim:
    return Claim(text=text, start=0, end=len(text), article_id=art, speaker=None,
                 claim_time=date, data={"entities": entities, "events": [
                     {"frame": "supply", "polarity": polarity, "agent": "russia"}]})


def test_one_countrys_arms_deal_is_not_anothers():
    ctx = JudgeContext(n_claims=2)
    a = _event_claim("Russia delivered S-300 batteries to Iran", ["russia", "s300", "iran"],
                     1, "2016-05-01", "x1")
    b = _event_claim("Russia suspended S-300 deliveries to Syria", ["russia", "s300", "syria"],
                     -1, "2016-09-01", "x2")
    c = _event_claim("Russia suspended S-300 deliveries to Iran", ["russia", "s300", "iran"],
                     -1, "2016-09-01", "x3")
    ctx.frames.fit([a, b, c])
    assert RuleJudge().judge(a, b, ctx) is None
    v = RuleJudge().judge(a, c, ctx)
    assert v is not None and v.kind == "update"


# --- one story, one conflict -------------------------------------------------------------


def test_a_state_change_named_two_ways_in_the_same_reports_is_one_conflict():
    conflicts = _report([
        ("k1", "OSTRAVEN, 3 May (Wire) — The transport ministry suspended the cross-border "
               "rail link to Velmar on Monday", None, "2023-05-03"),
        ("k1", "The rail link to Velmar is suspended until the bridge inspections are "
               "finished", "ministry spokeswoman", "2023-05-03"),
        ("k2", "Freight trains began running to Velmar again after the ministry reopened the "
               "cross-border rail link", None, "2023-09-10"),
        ("k2", "Today the rail link to Velmar is open again", "ministry spokeswoman",
         "2023-09-10"),
    ])
    updates = [c for c in conflicts if c.kind == "update"]
    assert len(updates) == 1, [(c.topic, [e.text[:30] for e in c.claims]) for c in updates]
    assert "OSTRAVEN" not in updates[0].topic  # a dateline is no topic


# --- claims: a figure hung on the speech verb --------------------------------------------


def test_a_figure_after_the_speech_verb_is_a_claim_of_its_speaker():
    from factcheck.attribution import attribute
    from factcheck.claims import extract_claims
    from factcheck.nlp import load_spacy

    text = ("ALVERA, 4 May (Wire) — The ruling party won 61 of the 120 seats, the electoral "
            "commission announced on Monday, with turnout at 52.3 per cent.\n\n"
            "The monitoring mission said its own count showed turnout of about 41 per cent.")
    art = Article(id="alvera.txt", text=text, source="Wire", published="2024-05-04")
    doc = load_spacy()(text)
    claims = extract_claims(art, attribute(art, doc), doc)
    tail = [c for c in claims if c.text.startswith("with turnout at 52.3")]
    assert tail and "commission" in (tail[0].speaker or "").lower()
    own = [c for c in claims if "about 41 per cent" in c.text]
    assert own and "mission" in (own[0].speaker or "").lower()
