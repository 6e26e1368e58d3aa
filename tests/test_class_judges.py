"""One judge per conflict class, on short made-up articles (no spaCy, no model).

Each case asserts the conflict found, its kind, and a near-miss that must not be flagged.
"""

from __future__ import annotations

from factcheck.crosscheck import Conflict, find_conflicts
from factcheck.judges.frames import frame_of
from factcheck.records import Article, Claim

# Unrelated claims: a corpus where the fixtures' topic words are rare, as in real news.
FILLER = [
    "The parliament approved the budget for schools and roads after a long debate",
    "Farmers in the north expect a good harvest of wheat and barley this summer",
    "The national football team won its qualifier against the visitors",
    "Heavy snow closed mountain passes and delayed trains in the west",
    "The city council will discuss a new tram line next spring",
    "Exports of timber rose as demand from builders abroad recovered",
    "A new museum of modern art opened its doors to the public",
    "Teachers held talks with the education office about salaries",
]


def _claims(rows: list[tuple[str, str, str | None, str]]) -> tuple[list[Claim], dict]:
    """rows: (article id, text, speaker, date)."""
    claims, articles = [], {}
    for i, text in enumerate(FILLER):
        rows = [*rows, (f"f{i}", text, None, "2021-01-01")]
    for art, text, speaker, date in rows:
        articles.setdefault(art, Article(id=art, text=text, source=f"Outlet {art}",
                                         published=date))
        claims.append(Claim(text=text, start=0, end=len(text), article_id=art,
                            speaker=speaker, claim_time=date, data={}))
    return claims, articles


def _report(rows: list[tuple[str, str, str | None, str]]) -> list[Conflict]:
    claims, articles = _claims(rows)
    return find_conflicts(claims, None, articles)


def _with(conflicts: list[Conflict], *fragments: str) -> list[Conflict]:
    return [c for c in conflicts
            if all(any(f in e.text for e in c.claims) for f in fragments)]


# --- figures -----------------------------------------------------------------------------


def test_vaccine_rollout_is_a_series_and_one_day_count_stays_out():
    conflicts = _report([
        ("v1", "Health officials said 120,000 people had been vaccinated in Ostmark province "
               "so far", "Ostmark health office", "2021-02-01"),
        ("v2", "Ostmark province had vaccinated 410,000 people so far, the health office "
               "said", "Ostmark health office", "2021-03-15"),
        ("v3", "Clinics in Ostmark province vaccinated 9,000 people on Monday alone",
         "Ostmark health office", "2021-03-16"),
        ("v4", "In all, 410,000 people in Ostmark province have now been vaccinated",
         None, "2021-03-17"),
    ])
    series = _with(conflicts, "120,000", "410,000")
    assert series and series[0].kind == "series"
    assert not any("9,000" in e.text for c in conflicts for e in c.claims)  # one day alone
    # The same total restated by a second outlet is not a new step of the series.
    assert sum("410,000" in e.text for e in series[0].claims) == 1


def test_mine_collapse_toll_contradiction_and_restated_toll():
    conflicts = _report([
        ("m1", "The collapse at the Orsk copper mine killed 14 miners on Tuesday",
         "regional governor", "2022-05-10"),
        ("m2", "Rescuers said 22 miners died in the collapse at the Orsk copper mine",
         "miners' union", "2022-05-11"),
        ("m3", "The Orsk copper mine collapse on Tuesday killed 14 miners",
         None, "2022-05-12"),
        ("m4", "The Orsk copper mine employs 1,200 miners in three shifts", None, "2022-05-12"),
    ])
    hits = _with(conflicts, "14 miners", "22 miners")
    assert hits and hits[0].kind == "contradiction"
    # The same toll restated by another outlet agrees: never a conflict of its own.
    assert not _with(conflicts, "killed 14 miners on Tuesday", "Tuesday killed 14")
    assert not any("1,200" in e.text for c in conflicts for e in c.claims)  # not a toll


def test_competing_estimates_of_the_displaced():
    conflicts = _report([
        ("d1", "About 40,000 people had been displaced by the floods in the Varna delta",
         "Red Crescent", "2023-04-02"),
        ("d2", "Only 12,000 people had been displaced by the Varna delta floods",
         "interior ministry", "2023-04-03"),
    ])
    hits = _with(conflicts, "40,000", "12,000")
    assert hits and hits[0].kind in ("contradiction", "dispute")


def test_a_part_is_not_the_whole_and_units_are_not_compared():
    conflicts = _report([
        ("p1", "The ferry Kalma was carrying 210 people when it sank off Brekk",
         None, "2022-08-01"),
        ("p2", "The ferry Kalma had carried 196 passengers and 14 crew off Brekk",
         "coast guard", "2022-08-02"),
        ("p3", "The Brekk reservoir holds 1.5 billion cubic metres of water", None, "2022-08-01"),
        ("p4", "The Brekk reservoir holds 1.5 cubic kilometres of water", None, "2022-08-03"),
    ])
    assert not conflicts


# --- denial, positions, evaluations, blame ---------------------------------------------------


def test_border_shooting_denied_and_agreement_not_flagged():
    conflicts = _report([
        ("b1", "Lumerian border guards fired on a minibus at the Tarvo crossing on Friday",
         "Dravan police", "2024-02-09"),
        ("b2", "No Lumerian border guard fired on any minibus at the Tarvo crossing",
         "Lumerian interior ministry", "2024-02-10"),
        ("b3", "Lumerian border guards fired on a minibus at the Tarvo crossing, witnesses "
               "said", "a Dravan lawmaker", "2024-02-10"),
    ])
    hits = _with(conflicts, "No Lumerian border guard")
    assert hits and all(c.kind == "dispute" for c in hits)
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"b1", "b3"}]


def test_report_called_a_fabrication_is_a_denial():
    conflicts = _report([
        ("f1", "Dornish trawlers fished inside the Selk Bank exclusion zone last month",
         "Halden coast guard", "2023-06-01"),
        ("f2", "The fisheries ministry called the report that Dornish trawlers fished in the "
               "Selk Bank zone a fabrication", "Dornish fisheries ministry", "2023-06-02"),
    ])
    hits = _with(conflicts, "fabrication")
    assert hits and hits[0].kind == "dispute"


def test_opposite_positions_on_a_quota():
    conflicts = _report([
        ("q1", "The Selk Bank cod quota should be cut by half", "fishermen's union",
         "2023-03-01"),
        ("q2", "The Selk Bank cod quota will not be cut this year", "fisheries minister",
         "2023-03-02"),
        ("q3", "The Selk Bank cod quota should be cut by half", "a coastal mayor", "2023-03-03"),
    ])
    hits = _with(conflicts, "will not be cut")
    assert hits and hits[0].kind == "dispute"
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"q1", "q3"}]


def test_clashing_evaluations_of_a_currency_peg():
    conflicts = _report([
        ("c1", "The central bank called the new currency peg sound and credible",
         "central bank governor", "2024-01-10"),
        ("c2", "Opposition economists called the currency peg reckless", "opposition",
         "2024-01-11"),
    ])
    hits = _with(conflicts, "sound and credible", "reckless")
    assert hits and hits[0].kind == "dispute"


def test_blame_for_a_ferry_collision_and_agreement_not_flagged():
    conflicts = _report([
        ("h1", "The port authority blamed the ferry crew for the collision in Halden harbour",
         "Halden port authority", "2022-11-02"),
        ("h2", "The collision in Halden harbour was caused by a faulty buoy",
         "ferry company", "2022-11-03"),
        ("h3", "The harbour master backed the port authority's finding on the collision in "
               "Halden harbour", "Halden harbour master", "2022-11-03"),
    ])
    hits = _with(conflicts, "blamed the ferry crew", "faulty buoy")
    assert hits and hits[0].kind == "dispute"
    assert not any(e.article_id == "h3" for c in conflicts for e in c.claims)


# --- states -------------------------------------------------------------------------------


def test_border_crossing_closed_then_reopened_is_an_update():
    conflicts = _report([
        ("s1", "The Vell border crossing was closed to all traffic on Monday", None,
         "2022-03-01"),
        ("s2", "The Vell border crossing reopened to traffic on Thursday", None, "2022-03-10"),
        ("s3", "Lorries queued for hours before the Vell border crossing reopened", None,
         "2022-03-11"),
    ])
    hits = _with(conflicts, "was closed", "reopened to traffic")
    assert hits and hits[0].kind == "update"
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"s2", "s3"}]


def test_refusing_to_end_is_not_a_state_change():
    fr = frame_of("The government refused to end the curfew in the capital")
    assert fr.state == 0
    assert frame_of("The curfew in the capital was lifted").state == 1  # a restriction off


# --- frames -------------------------------------------------------------------------------


def test_frames_read_news_phrasing():
    fr = frame_of("No Lumerian guard fired on the minibus at the Tarvo crossing")
    assert fr.neg and {"fired", "minibus"} <= fr.neg_scope and "tarvo" not in fr.neg_scope
    assert not frame_of("keep the flow no lower than 260 cubic metres per second").neg
    assert frame_of("the ministry fully shared the governor’s conclusion").agree
    assert frame_of("The report was a fabrication, the ministry said").denial
    assert frame_of("MARSTAD, 4 May (Wire) — Pilots struck on Friday").topic_stems.isdisjoint(
        {"marstad", "wire"})  # a dateline is where the story was filed, not its topic
    peg = frame_of('She called the new currency peg "sound and credible"')
    assert peg.valence == 1 and {"currency", "peg"} <= peg.target
    assert frame_of("The vote was not fair").valence == -1


def test_figures_keep_unit_population_and_scope():
    (f,) = frame_of("about 40,000 people had been displaced by the floods so far").figures
    assert (f.value, f.noun_class, f.measure, f.scope) == (40000, "people", "displaced",
                                                           "cumulative")
    assert f.low < 40000 < f.high
    (r,) = frame_of("the river fell to 190 cubic metres per second").figures
    assert r.unit is not None and r.unit.endswith("/second") and r.text.endswith("per second")
    assert not frame_of("Flight KX417 landed at 10:40 on 19 July").figures
    assert not frame_of("nine were killed, not two as the ministry says").figures[1:]


# --- precision guards on multi-clause statements ---------------------------------------------


def test_denial_of_one_clause_is_not_a_denial_of_the_other():
    # The licence fee is in the second clause of h1 ("ready to discuss"), what h2 refuses is
    # "support": not the same statement. h3 refuses what h1 says it accepts.
    conflicts = _report([
        ("h1", "We will accept the herring quota in the Orla Bay, and in the coming weeks we "
               "are ready to discuss any licence fee", "Orsk fisheries minister", "2023-05-02"),
        ("h2", "We do not support the licence fee in the Orla Bay, and in the coming weeks we "
               "are ready to discuss any herring quota", "Tallen fishing council", "2023-05-03"),
        ("h3", "We do not accept the herring quota in the Orla Bay", "Tallen fishing council",
         "2023-05-04"),
    ])
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"h1", "h2"}]
    hits = _with(conflicts, "We do not accept the herring quota")
    assert hits and hits[0].kind == "dispute"


def test_condemning_and_refusing_agree_and_other_places_are_other_events():
    conflicts = _report([
        ("p1", "The council will not accept the Marrow Hill quarry extension",
         "Lenby council", "2022-09-01"),
        ("p2", "Residents strongly condemn the Marrow Hill quarry extension",
         "Marrow Hill residents' group", "2022-09-02"),
        ("p3", "We will accept the Marrow Hill quarry extension in the eastern pit",
         "Brant Aggregates", "2022-09-03"),
        ("p4", "We do not accept the Marrow Hill quarry extension in the western meadow",
         "Lenby council", "2022-09-04"),
    ])
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"p1", "p2"}]
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"p3", "p4"}]


def test_a_must_and_a_not_of_different_verbs_are_no_opposite_positions():
    conflicts = _report([
        ("m1", "The regulator must stop the Harrow colliery closure", "miners' union",
         "2021-04-01"),
        ("m2", "We do not support the Harrow colliery closure", "Harrow town council",
         "2021-04-02"),
        ("m3", "The Harrow colliery closure will not stop", "Coal board", "2021-04-03"),
    ])
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"m1", "m2"}]
    hits = _with(conflicts, "will not stop")
    assert hits and hits[0].kind == "dispute"


def _article_claims(rows: list[tuple[str, str, str, str | None, str]]
                    ) -> tuple[list[Claim], dict]:
    """rows: (article id, article text, claim sentence in it, speaker, date)."""
    claims, articles = _claims([])
    for art, text, sentence, speaker, date in rows:
        articles[art] = Article(id=art, text=text, source=f"Outlet {art}", published=date)
        start = text.index(sentence)
        claims.append(Claim(text=sentence, start=start, end=start + len(sentence),
                            article_id=art, speaker=speaker, claim_time=date, data={}))
    return claims, articles


def test_an_evaluation_of_them_reads_what_the_sentence_before_names():
    # The speaker's own view comes before "; the employers still call them biased".
    assert frame_of('The union described them as "fair and thorough"; the employers '
                    'still call them biased').valence == 1
    assert frame_of("The union called the audit fair but biased").valence == 0
    claims, articles = _article_claims([
        ("e1", 'Lowmoor Mills, May 3. The employers\' federation called the wage tribunal '
               'inspectors "biased amateurs" on Tuesday.',
         'The employers\' federation called the wage tribunal inspectors "biased amateurs"',
         "employers' federation", "2022-05-03"),
        ("e2", "Views of the wage tribunal inspectors are divided. The union described them "
               'as "fair and thorough"; the employers still call them biased.',
         'The union described them as "fair and thorough"; the employers still call them '
         "biased", "weavers' union", "2022-05-05"),
        # near-miss: "them" is the ferry crews the sentence before names, not the inspectors
        ("e3", "Views of the Lowmoor ferry crews are divided. The union described them as "
               '"fair and thorough"; the employers still call them biased.',
         'The union described them as "fair and thorough"; the employers still call them '
         "biased", "weavers' union", "2022-05-06"),
    ])
    conflicts = find_conflicts(claims, None, articles)
    pairs = [{e.article_id for e in c.claims} for c in conflicts]
    hit = [c for c in conflicts if {e.article_id for e in c.claims} >= {"e1", "e2"}]
    assert hit and hit[0].kind == "dispute"
    assert not [p for p in pairs if p >= {"e1", "e3"}]


def test_two_exchanges_over_one_audit_months_apart_are_two_conflicts():
    claims, articles = _claims([
        ("h1", "The ombudsman called the Calder harbour audit thorough", "Calder ombudsman",
         "2022-03-01"),
        ("h2", "The port authority called the Calder harbour audit flawed",
         "Calder port authority", "2022-03-02"),
        # more of the archive, so that four claims on one audit still make a rare topic
        *[(f"g{i}", f"Rainfall in district {i} was {i + 10} millimetres", None, "2022-01-01")
          for i in range(90)],
    ])
    # Six months later one report gives both sides of the final audit.
    text = ("The pilots' guild called the Calder harbour audit rigorous. "
            "The shipowners called the Calder harbour audit a whitewash.")
    articles["h3"] = Article(id="h3", text=text, source="Outlet h3", published="2022-09-10")
    for sentence, speaker in (("The pilots' guild called the Calder harbour audit rigorous",
                               "Calder pilots' guild"),
                              ("The shipowners called the Calder harbour audit a whitewash",
                               "Calder shipowners")):
        start = text.index(sentence)
        claims.append(Claim(text=sentence, start=start, end=start + len(sentence),
                            article_id="h3", speaker=speaker, claim_time="2022-09-10",
                            data={}))
    conflicts = find_conflicts(claims, None, articles)
    disputes = [[(e.article_id, e.start) for e in c.claims] for c in conflicts
                if c.kind == "dispute"]
    ids = [{a for a, _ in d} for d in disputes]
    assert {"h1", "h2"} in ids and [d for d in disputes if {a for a, _ in d} == {"h3"}]
    # near-miss: the March critic and the September defender are not one exchange
    assert not [d for d in ids if {"h2", "h3"} <= d]


def test_no_military_aircraft_denies_a_combat_aircraft_tracked():
    conflicts = _report([
        ("j1", "Coastguard radars tracked a Norland combat aircraft within three kilometres "
               "of Skerry island before the crash", "Vesland coastguard",
         "2023-06-02"),
        ("j2", "No Norland military aircraft had been airborne within 40 kilometres of "
               "Skerry island that morning", "Norland defence ministry", "2023-06-02"),
        # near-miss: what is denied is another thing near the island (no warships)
        ("j3", "No Norland military vessels had sailed within 40 kilometres of Skerry "
               "island that morning", "Norland navy", "2023-06-03"),
    ])
    hits = _with(conflicts, "tracked a Norland combat aircraft", "No Norland military aircraft")
    assert hits and hits[0].kind == "dispute"
    assert not _with(conflicts, "tracked a Norland combat aircraft", "military vessels")


def test_blame_put_on_two_culprits_of_one_collapse_named_around_them():
    # A compound "-backed" is no agreement ("the Norland-backed militia").
    assert not frame_of("The bridge was blown up by the Norland-backed militia").agree
    claims, articles = _article_claims([
        ("b1", "ORRIN, May 9 - The Orrin colliery collapse at Kell Pit killed nine miners on "
               "Monday. The union said the mine owners bore responsibility for the disaster.",
         "the mine owners bore responsibility for the disaster", "miners' union",
         "2023-05-09"),
        ("b2", "Kell Pit stays shut. The owners said the Orrin colliery roof that collapsed on "
               "Monday was brought down by an unlicensed blasting crew hired by the council.",
         "the Orrin colliery roof that collapsed on Monday was brought down by an "
         "unlicensed blasting crew hired by the council", "Orrin Mining Ltd", "2023-05-10"),
        # near-miss: inspectors blame the same party as the union: no dispute between them
        ("b3", "Kell Pit stays shut. Inspectors said the Orrin colliery collapse on Monday was "
               "caused by the mine owners' neglect of the roof supports.",
         "the Orrin colliery collapse on Monday was caused by the mine owners' neglect of "
         "the roof supports", "mines inspectorate", "2023-05-11"),
    ])
    conflicts = find_conflicts(claims, None, articles)
    hit = [c for c in conflicts if {e.article_id for e in c.claims} >= {"b1", "b2"}]
    assert hit and hit[0].kind == "dispute"
    assert not [c for c in conflicts if {e.article_id for e in c.claims} == {"b1", "b3"}]


def test_a_lower_count_by_another_body_splits_a_series_into_competing_estimates():
    conflicts = _report([
        ("d1", "The Brannock Rights Watch said 1,200 people had been detained since the "
               "Brannock dock strike began", "Brannock Rights Watch", "2024-03-01"),
        ("d2", "Police said 300 people had been detained since the Brannock dock strike "
               "began", "Brannock police", "2024-03-20"),
        ("d3", "Brannock Rights Watch raised the number of people detained since the Brannock "
               "dock strike began to 1,900", "Brannock Rights Watch", "2024-04-02"),
    ])
    contra = [c for c in conflicts if c.kind == "contradiction"]
    assert contra and {e.article_id for e in contra[0].claims} == {"d1", "d2"}
    series = [c for c in conflicts if c.kind == "series"]
    # near-miss: the police's lower count is no step of the watchdog's rising series
    assert series and {e.article_id for e in series[0].claims} == {"d1", "d3"}


def test_a_label_cut_to_length_does_not_end_on_a_link_word() -> None:
    from factcheck.judges.common import MAX_LABEL_WORDS, _phrase
    from factcheck.judges.frames import FrameCache, stem

    words = "pumps stopped working inside the old mill".split()
    shared = {stem(w) for w in words if w != "the"}
    label = _phrase(" ".join(words), shared, frozenset(), FrameCache())
    assert label == "pumps stopped working inside"
    assert len(label.split()) <= MAX_LABEL_WORDS
