"""Dispute classes on short made-up reports of several sentences (no spaCy, no model).

News states the act and then the words: "X denied Y. 'quote,' X said." Each case asserts
the conflict found, its kind, the quote shown with it, and a near-miss left out.
"""

from __future__ import annotations

from factcheck.crosscheck import Conflict, find_conflicts
from factcheck.judges.frames import frame_of
from factcheck.records import Article, Claim
from tests.test_class_judges import FILLER

Segment = tuple[str, str | None, bool]  # text, speaker, is a quote


def _article(art: str, date: str, segments: list[Segment], source: str | None = None
             ) -> tuple[Article, list[Claim]]:
    text, claims = "", []
    for n, (sentence, speaker, quote) in enumerate(segments):
        start = len(text) + (1 if quote else 0)
        text += (f"“{sentence}” " if quote else f"{sentence}. ")
        claims.append(Claim(text=sentence, start=start, end=start + len(sentence),
                            article_id=art, speaker=speaker, claim_time=date,
                            quote_id=n if quote else None, data={}))
    return Article(id=art, text=text, source=source or f"Outlet {art}", published=date), claims


def _report(*arts: tuple[Article, list[Claim]]) -> list[Conflict]:
    articles, claims = {}, []
    for i, line in enumerate(FILLER):
        arts = (*arts, _article(f"f{i}", "2021-01-01", [(line, None, False)]))
    for art, cs in arts:
        articles[art.id] = art
        claims += cs
    return find_conflicts(claims, None, articles)


def _with(conflicts: list[Conflict], *fragments: str) -> list[Conflict]:
    return [c for c in conflicts if all(any(f in e.text for e in c.claims) for f in fragments)]


def _texts(conflicts: list[Conflict]) -> str:
    return " | ".join(e.text for c in conflicts for e in c.claims)


# --- denial of an event: the quote after the reported denial is shown with it ------------


def test_reported_denial_brings_its_quote_and_leaves_a_bystander_out():
    conflicts = _report(
        _article("t1", "2024-05-06", [
            ("Two crew members said the port authority at Velmar turned away the grain "
             "tanker Solva Star on Sunday night", "two crew members", False),
        ]),
        _article("t2", "2024-05-07", [
            ("The Velmar port authority denied that it had turned away the grain tanker "
             "Solva Star", "Velmar port authority", False),
            ("Every ship that asked for a berth this week got one,", "its spokeswoman", True),
            ("We watched the tanker sail off empty,", "Piet Lund", True),
        ]),
    )
    hits = _with(conflicts, "turned away the grain tanker Solva Star on Sunday",
                 "denied that it had turned away")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "Every ship that asked for a berth" in _texts(hits)  # the denier's own words
    assert "sail off empty" not in _texts(conflicts)  # a dock worker is not the denier
    assert "tanker" in hits[0].topic.lower() or "turned" in hits[0].topic.lower()


def test_denial_that_redates_the_event_is_shown_with_the_denial():
    conflicts = _report(
        _article("v1", "2023-09-01", [
            ("Footage posted online on Friday appears to show soldiers burning wheat fields "
             "outside the village of Tarsa", None, False),
        ]),
        _article("v2", "2023-09-03", [
            ("The army denied that its soldiers had burned wheat fields outside Tarsa",
             "the army", False),
            ("The footage was filmed during a fire-fighting drill two years ago,",
             "a spokesman", True),
        ]),
    )
    hits = _with(conflicts, "soldiers burning wheat fields", "fire-fighting drill")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]


def test_denial_by_the_accused_names_the_party_accused():
    conflicts = _report(
        _article("c1", "2025-02-10", [
            ("The national cyber agency said the stolen passenger data had been sold on a "
             "forum run by the Grey Lynx group", "national cyber agency", False),
        ]),
        _article("c2", "2025-02-11", [
            ("The Grey Lynx group denied running any forum", "Grey Lynx group", False),
            ("The Grey Lynx group denied that it had ever attacked hospitals",
             "Grey Lynx group", False),
        ]),
    )
    hits = _with(conflicts, "forum run by the Grey Lynx", "denied running any forum")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "hospitals" not in _texts(conflicts)  # denies something nobody asserted


def test_denial_phrases_without_a_denial_verb():
    for text in ("The union had nothing to do with the fire at the depot",
                 "Reports of a second leak are not true",
                 "The story does not correspond to reality"):
        assert frame_of(text).denial, text
    # "without warning" is a manner, not a negated event: the assertion stays plain.
    fr = frame_of("Operators opened the sluice gates without warning on Monday night")
    assert not fr.neg and not fr.denial


def test_denial_verb_scope_is_what_follows_it():
    fr = frame_of("The Ostmark water board denied that the sluice gates were opened")
    assert {"sluic", "gat", "open"} <= fr.neg_scope
    assert "ostmark" not in fr.neg_scope  # who denies is not what is denied


# --- who speaks: one government, and a ministry named by its owner ------------------------


def test_ministry_named_by_its_owner_is_a_party_of_its_own():
    # The attributor cuts "Sorland's Defence Ministry" to "Defence Ministry"; the owner is
    # read back from the words before the claim.
    a1, c1 = _article("b1", "2022-08-01", [("A Norland patrol boat entered Kessel Bay on "
                                             "Friday", "Defence Ministry", True)])
    a1.text = "Sorland's Defence Ministry said: " + a1.text
    c1[0].start += 33
    c1[0].end += 33
    a2, c2 = _article("b2", "2022-08-02", [("No Norland patrol boat entered Kessel Bay on "
                                             "Friday", "Defence Ministry", True)])
    a2.text = "Norland's Defence Ministry said: " + a2.text
    c2[0].start += 33
    c2[0].end += 33
    assert a1.text[c1[0].start: c1[0].end] == c1[0].text
    hits = _with(_report((a1, c1), (a2, c2)), "A Norland patrol boat", "No Norland patrol")
    assert hits and hits[0].kind == "dispute"
    # Both ministries of one country: one side, no dispute.
    a2.text = "Sorland's Defence Ministry said: " + a2.text[33:]
    assert not _with(_report((a1, c1), (a2, c2)), "A Norland patrol boat", "No Norland")


def test_two_bodies_of_one_government_are_one_side():
    conflicts = _report(
        _article("g1", "2023-04-02", [
            ("The explosion at the Brenna pumping station was caused by a charge planted "
             "by Ostian agents", "Valdor Interior Ministry", False),
        ]),
        _article("g2", "2023-04-03", [
            ("Valdor Foreign Ministry blamed Ostian saboteurs for the explosion at the "
             "Brenna pumping station", "Valdor Foreign Ministry", False),
        ]),
    )
    assert not conflicts, [(c.kind, c.topic) for c in conflicts]


# --- blame ----------------------------------------------------------------------------------


def test_blame_in_one_report_with_each_sides_words():
    conflicts = _report(
        _article("s1", "2024-11-12", [
            ("A farmer was shot dead near the Ostrava border crossing on Monday", None,
             False),
            ("Lena Dovic, the farmer's sister, held the border guards responsible", None,
             False),
            ("He was walking his cows home and they fired without a word,", "Lena Dovic",
             True),
            ("The border service blamed smugglers for the shooting", "border service",
             False),
            ("Our patrol came under fire first from a smugglers' car,", "border service",
             True),
        ]),
    )
    hits = _with(conflicts, "walking his cows", "came under fire first")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert hits[0].topic.startswith("shooting"), hits[0].topic
    assert "shot dead near" not in _texts(hits)  # the reporter's fact is no side


def test_blame_on_the_same_culprit_is_agreement():
    conflicts = _report(
        _article("k1", "2022-03-01", [
            ("The union blamed the mine owners for the collapse at the Kelby colliery",
             "miners' union", False),
        ]),
        _article("k2", "2022-03-02", [
            ("The collapse at the Kelby colliery was caused by rotten roof props, the "
             "inspectorate said", "mines inspectorate", False),
            ("Rotten roof props bought by the mine owners caused the collapse at the Kelby "
             "colliery, the families' lawyer said", "families' lawyer", False),
        ]),
    )
    hits = _with(conflicts, "blamed the mine owners", "rotten roof props, the inspectorate")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # The lawyer names the props *and* the owners: no dispute with the union.
    assert not _with(conflicts, "blamed the mine owners", "families' lawyer")


def test_blame_when_each_names_the_others_culprit():
    conflicts = _report(
        _article("d1", "2021-06-01", [
            ("The strike committee held the rail company responsible for the derailment "
             "near Lisno, because its signals had not been repaired", "strike committee",
             False),
        ]),
        _article("d2", "2021-06-03", [
            ("The derailment near Lisno was caused by a faulty signal, investigators said",
             "investigators", False),
        ]),
    )
    assert not _with(conflicts, "strike committee", "faulty signal"), \
        [(c.kind, c.topic) for c in conflicts]


# --- evaluations and legality ---------------------------------------------------------------


def test_legal_before_a_noun_is_no_verdict():
    assert not frame_of("The fishermen's legal challenge will be heard in May").legality
    assert frame_of("The new quota is illegal").legality == -1
    assert frame_of("The quota was perfectly legal").legality == 1
    conflicts = _report(
        _article("q1", "2023-06-01", [("The legal quarrel over the herring quota is no "
                                       "closer to being settled", None, False)]),
        _article("q2", "2023-06-02", [("The herring quota is illegal, the trawler owners "
                                       "said", "trawler owners", False)]),
        _article("q3", "2023-06-03", [("The herring quota is lawful, the fisheries ministry "
                                       "said", "fisheries ministry", False)]),
    )
    hits = _with(conflicts, "quota is illegal", "quota is lawful")
    assert hits and hits[0].kind == "dispute"
    assert not _with(conflicts, "legal quarrel")


def test_evaluation_of_a_person_named_before_whom():
    assert frame_of("He thanked the mediator, Ana Ruiz, whom he described as “patient and "
                    "impartial”").target >= {"mediator", "ruiz"}
    conflicts = _report(
        _article("e1", "2024-02-01", [("He thanked the council's mediator, Ana Ruiz, whom "
                                       "he described as “patient and impartial”", "Ivo Marek",
                                       False)]),
        _article("e2", "2024-02-05", [("Minister Tomas Hale called the council's inspectors "
                                       "“worthless”", "Tomas Hale", False)]),
    )
    assert not conflicts, [(c.kind, c.topic) for c in conflicts]


# --- fact vs fact ---------------------------------------------------------------------------


def test_arrived_against_not_left_yet_is_a_contradiction_and_progress_is_not():
    conflicts = _report(
        _article("p1", "2022-10-03", [("The first batch of Kormit radar units has arrived at "
                                       "the Lenz air base", "Lenz base commander", False)]),
        _article("p2", "2022-10-06", [("The shipment of Kormit radar units has not left the "
                                       "factory yet", "the manufacturer", False)]),
    )
    hits = _with(conflicts, "has arrived", "has not left")
    assert hits and hits[0].kind == "contradiction", [(c.kind, c.topic) for c in conflicts]
    assert "Kormit" in hits[0].topic
    # Not left in May, arrived in June: progress. Left vs not yet arrived: both true.
    assert not _report(
        _article("p3", "2022-05-02", [("The shipment of Kormit radar units has not left the "
                                       "factory yet", "the manufacturer", False)]),
        _article("p4", "2022-06-20", [("The first batch of Kormit radar units has arrived at "
                                       "the Lenz air base", "Lenz base commander", False)]),
    )
    assert not _report(
        _article("p5", "2022-10-03", [("The Kormit radar units left the factory on Monday",
                                       "the manufacturer", False)]),
        _article("p6", "2022-10-04", [("The Kormit radar units have not arrived at the Lenz "
                                       "air base yet", "Lenz base commander", False)]),
    )
    # A plan is no fact: "will arrive" against "has not left".
    assert not _report(
        _article("p7", "2022-10-03", [("The Kormit radar units will arrive at the Lenz air "
                                       "base next month", "Lenz base commander", False)]),
        _article("p8", "2022-10-04", [("The Kormit radar units have not left the factory yet",
                                       "the manufacturer", False)]),
    )


def test_each_side_blames_the_other_for_one_downing():
    conflicts = _report(
        _article("n1", "2019-09-18", [("The Norland army blamed Sorland air defences for the "
                                       "downing of the Tarva cargo plane", "Norland army",
                                       False)]),
        _article("n2", "2019-09-19", [("Sorland blamed the Norland army for the downing of "
                                       "the Tarva cargo plane", "Sorland government", False)]),
    )
    hits = _with(conflicts, "blamed Sorland air defences", "blamed the Norland army")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "cargo plane" in hits[0].topic, hits[0].topic


def test_bare_denial_answers_the_accusation_before_it():
    conflicts = _report(
        _article("a1", "2021-04-13", [
            ("Sorland said a Norland drone crossed into its airspace near Vetka on Tuesday",
             "Sorland", False),
            ("Sorland's foreign minister held Norland responsible for the incursion", None,
             False),
            ("Norland rejected the accusation", "Norland", False),
            ("Our drones were grounded all week,", "its spokesman", True),
        ]),
    )
    hits = _with(conflicts, "held Norland responsible", "rejected the accusation")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "grounded all week" in _texts(hits)
    # A bare denial with nothing before it from another party denies nothing we hold.
    assert not _report(_article("a2", "2021-04-14", [
        ("Norland rejected the accusation", "Norland", False)]))


def test_accused_of_and_pointing_the_finger_are_blame():
    assert frame_of("Valdor accused the rebels of shooting down the cargo plane").blame
    assert frame_of("The minister pointed the finger at the port's owners").blame
    assert not frame_of("The rebels were accused of corruption in a court case").blame


def test_denial_of_involvement_by_the_accused_named_as_an_adjective():
    conflicts = _report(
        _article("r1", "2020-07-18", [
            ("Investigators said the cargo plane was hit by a missile fired from Norland "
             "territory", "crash investigators", False),
        ]),
        _article("r2", "2020-07-19", [
            ("The Norlandic defence ministry denied any role in the missile strike on the "
             "cargo plane", "Norlandic defence ministry", False),
        ]),
    )
    hits = _with(conflicts, "fired from Norland", "denied any role")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]


# --- stances ----------------------------------------------------------------------------------


def test_opposite_stance_needs_the_same_object():
    conflicts = _report(
        _article("o1", "2023-03-01", [("The fishing fleet must accept the new Kessel Bay "
                                       "quota this season", "fleet owners' council", False)]),
        _article("o2", "2023-03-02", [("We will not accept the new Kessel Bay quota this "
                                       "season,", "Ria Moss", True)]),
        _article("o3", "2023-03-03", [("We do not accept the Kessel Bay harbour fees this "
                                       "season,", "Jon Abt", True)]),
    )
    hits = _with(conflicts, "must accept the new Kessel Bay quota", "will not accept")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "harbour fees" not in _texts(conflicts)  # accepting a quota, refusing fees


def test_rejecting_a_proposal_is_a_stance_not_a_denial():
    assert not frame_of("The strikers reject the pay offer from the rail company").denial
    assert frame_of("The rail company rejected the accusation").denial
    assert frame_of("The company dismissed reports that the talks had collapsed").denial


def test_opposite_stances_in_two_places_are_two_propositions():
    conflicts = _report(
        _article("w1", "2023-05-01", [("Farmers must stop the water cuts in the Lerna valley",
                                       "farmers' league", False)]),
        _article("w2", "2023-05-02", [("We will not stop the water cuts in the Osk delta,",
                                       "Mara Teel", True)]),
    )
    assert not conflicts, [(c.kind, c.topic) for c in conflicts]
