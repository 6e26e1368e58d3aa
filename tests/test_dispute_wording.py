"""Dispute classes in the wording of real wire copy (made-up reports, no spaCy, no model).

Each rule: the conflict it finds, its kind, and the look-alike it must leave out.
"""

from __future__ import annotations

from factcheck.judges.common import _country_voice
from factcheck.judges.disputes import blamed
from factcheck.judges.frames import frame_of, stems_of
from tests.test_dispute_judges import _article, _report, _texts, _with

PAD = ("The harbour office published its winter timetable for the island ferries, with two "
       "extra sailings on Fridays and a late boat on Sundays from the first week of December. ")


# --- blame: two reports, one event --------------------------------------------------------


def test_blame_across_reports_needs_the_same_event_not_a_common_word():
    conflicts = _report(
        _article("b1", "2024-02-03", [
            ("The harbour authority blamed the collision near Brask Point on the captain of "
             "the ferry Lindholm", "harbour authority", False),
        ]),
        _article("b2", "2024-02-04", [
            ("The responsibility for the collision near Brask Point lies entirely with the "
             "harbour pilots' side", "Lindholm Ferries", False),
        ]),
        _article("b3", "2024-02-05", [
            ("The fault for the delay lies entirely with the Orsa welding contractor side",
             "pipeline consortium", False),
        ]),
    )
    hits = _with(conflicts, "blamed the collision near Brask Point", "harbour pilots")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # "lies entirely with" in another story about a pipeline is not the same event.
    assert "welding contractor" not in _texts(conflicts)


def test_blame_for_two_kinds_of_outcome_is_two_events():
    conflicts = _report(
        _article("k1", "2023-06-01", [
            ("An air strike allegedly carried out by Vessan Air Force jets killed nine people "
             "in the Koll market district", "monitoring group", False),
        ]),
        _article("k2", "2023-06-02", [
            ("On Monday night a Vessan Air Force patrol plane monitoring the Koll market "
             "district was mistakenly shot down by Koll militia gunners", None, False),
        ]),
    )
    assert not _with(conflicts, "air raid", "shot down"), [(c.kind, c.topic) for c in conflicts]


def test_a_question_of_who_is_responsible_names_no_culprit():
    conflicts = _report(
        _article("q1", "2022-11-09", [
            ("Investigators were unable to verify who was responsible for the explosion at the "
             "Tarvik gas terminal", None, False),
        ]),
        _article("q2", "2022-11-09", [
            ("The blast at the Tarvik gas terminal was caused by a faulty valve fitted by the "
             "operator", "energy ministry of Sella", False),
        ]),
    )
    assert not conflicts, [(c.kind, c.topic) for c in conflicts]


def test_blame_words_of_wire_copy_name_the_culprit():
    assert blamed("The fault for the pipeline blast lies with the contractor") == {"contractor"}
    assert "saboteur" in blamed("He placed the blame for the blast on saboteurs")
    assert "rebel" in blamed("the responsibility for the raid lies on the rebels")
    assert frame_of("The health minister accused the navy of a massacre").blame
    # "lies with" is where blame rests, not a lie.
    assert not frame_of("The fault lies entirely with the port operator").denial
    assert frame_of("The port operator said the report was a lie").denial


def test_one_report_two_parties_apart_blame_one_named_outcome():
    conflicts = _report(
        _article("s1", "2024-08-12", [
            ("The coast guard said that responsibility for it lies on the crew of the "
             "trawler Nora", "Halmar coast guard", False),
            (PAD * 4, None, False),
            ("He placed blame for the sinking of the Nora on the coast guard cutter itself",
             "Ivo Brann", False),
            ("The harbour office blamed the late sailings on the Nora's engine", "harbour office",
             False),
        ]),
    )
    hits = _with(conflicts, "crew of the trawler Nora", "placed blame for the sinking")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # Further apart, an outcome of its own ("the late sailings") is another event.
    assert not _with(conflicts, "late sailings", "placed blame for the sinking")


def test_a_capital_and_a_state_body_of_one_country_are_one_side():
    assert _country_voice("tokyo") == _country_voice("a japanese defence ministry spokesman")
    assert _country_voice("the japanese") == "japan"
    assert _country_voice("kenji sato") is None
    conflicts = _report(
        _article("j1", "2021-04-02", [
            ("The Japanese defence ministry blamed the grounding of the survey ship Kaiyo on "
             "a faulty chart", "Japanese defence ministry", False),
            ("Tokyo blamed the grounding of the survey ship Kaiyo on a reef missing from the "
             "chart", "Tokyo", False),
        ]),
    )
    assert not conflicts, [(c.kind, c.topic) for c in conflicts]


# --- denials ------------------------------------------------------------------------------


def test_a_denial_in_the_closing_clause_is_not_the_claim_it_reports():
    conflicts = _report(
        _article("d1", "2021-10-30", [
            ("Rebel fighters said on Saturday they had captured the hill town of Olen and its "
             "airstrip", "rebel command", False),
            ("the provincial government denied this", "provincial government", False),
        ]),
        _article("d2", "2021-10-30", [
            ("Rebel fighters said on Saturday they had captured the hill town of "
             "Olen and its airstrip, but the provincial government denied", None, False),
        ]),
    )
    hits = _with(conflicts, "said on Saturday they had captured", "denied this")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # The second report carries both sides: it does not dispute the rebels' claim.
    assert not _with(conflicts, "said on Saturday they had captured", "but the provincial")


def test_the_reason_given_after_saying_is_not_what_is_denied():
    fr = frame_of("The coast guard denied reports that its cutter rammed the fishing boat "
                  "Nessa off Kel Point, saying the trawler had strayed into the Orvik zone")
    assert "orvik" not in fr.neg_scope and "nessa" in fr.neg_scope
    conflicts = _report(
        _article("c1", "2024-03-11", [
            ("A coast guard cutter rammed the fishing boat Nessa off Kel Point on Sunday",
             "fishermen's association", False),
        ]),
        _article("c2", "2024-03-12", [
            ("The coast guard denied reports that its cutter rammed the fishing boat Nessa "
             "off Kel Point, saying the trawler had strayed into the Orvik exclusion zone",
             "coast guard", False),
        ]),
        _article("c3", "2024-03-12", [
            ("The trawler had strayed into the Orvik exclusion zone twice last winter",
             None, False),
        ]),
    )
    hits = _with(conflicts, "rammed the fishing boat Nessa off Kel Point on Sunday",
                 "denied reports")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert not _with(conflicts, "twice last winter", "denied reports")


def test_a_denial_that_names_the_count_is_of_that_event():
    conflicts = _report(
        _article("n1", "2022-09-02", [
            ("as many as 14 villagers had been killed when an artillery barrage hit the "
             "weekly market of Dask", "district governor", False),
        ]),
        _article("n2", "2022-09-02", [
            ("The army denied reports that an artillery barrage in the northern Vell uplands "
             "had killed as many as 14 villagers", "army", False),
        ]),
        _article("n3", "2022-09-03", [
            ("The district council said the weekly market of Dask would move to new "
             "positions", "district council", False),
        ]),
    )
    hits = _with(conflicts, "14 villagers had been killed", "army denied reports")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "new positions" not in _texts(conflicts)


def test_rejecting_a_claim_several_words_on_is_a_denial():
    assert frame_of("The navy rejected on Thursday a port authority claim that its boats "
                    "blocked the ferry").denial
    assert not frame_of("The navy rejected on Thursday the new budget for its boats").denial


# --- evaluations and topic words ------------------------------------------------------------


def test_a_call_for_an_impartial_inquiry_is_no_verdict():
    conflicts = _report(
        _article("e1", "2023-01-09", [
            ("The blockade of Tessa port is reckless and must end,", "Ana Kell", True),
        ]),
        _article("e2", "2023-01-10", [
            ("The dockers' union called for \"an immediate and impartial inquiry\" into the "
             "blockade of Tessa port", "dockers' union", False),
        ]),
        _article("e3", "2023-01-10", [
            ("The blockade of Tessa port is lawful and proportionate,", "navy command", True),
        ]),
    )
    hits = _with(conflicts, "reckless", "lawful and proportionate")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "impartial inquiry" not in _texts(conflicts)


def test_compound_parts_that_say_how_are_no_topic_words():
    assert "back" not in stems_of("Kessel-backed militia fired on the convoy")
    assert "kessel" in stems_of("Kessel-backed militia fired on the convoy")
    assert "tor" in stems_of("a Tor-M launcher")  # a compound's name part still counts


# --- bare denials: pronouns, the report after the denial, the next quote ----------------------


def test_a_pronoun_denial_answers_the_report_before_it():
    conflicts = _report(
        _article("p1", "2019-07-19", [
            ("The two navies disagreed on Friday over the claim that a Sella frigate downed a "
             "Vessan survey drone near the Orn reef", None, False),
            ("it simply didn't happen", "Vessan navy", False),
            ("The Orn reef lighthouse was repainted last spring", None, False),
        ]),
    )
    hits = _with(conflicts, "downed a Vessan survey drone", "simply didn't happen")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "repainted" not in _texts(conflicts)


def test_a_denial_given_first_answers_the_report_given_after_it():
    assert frame_of("this is nothing more than a rumour").denial
    assert frame_of("That is incorrect").denial
    assert not frame_of("Exports were no more than a trickle").denial
    conflicts = _report(
        _article("fr1", "2016-06-06", [
            ("this is nothing more than a rumour", "Colonel Ivo Dran", True),
            ("Harbour Watch had reported earlier that gunboats shelled the fish market in "
             "the port of Kessa on Monday, killing 11 traders", "Harbour Watch", False),
        ]),
    )
    hits = _with(conflicts, "shelled the fish market", "nothing more than a rumour")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # Without a report to answer (nothing said after it was reported), nothing is paired.
    alone = _report(
        _article("fr2", "2016-06-07", [
            ("this is nothing more than a rumour", "Colonel Ivo Dran", True),
            ("The fish market in the port of Kessa opens at dawn on weekdays", None, False),
        ]),
    )
    assert not _with(alone, "opens at dawn", "rumour"), [(c.kind, c.topic) for c in alone]


def test_the_next_quote_of_the_person_quoted_goes_with_the_reported_denial():
    conflicts = _report(
        _article("g1", "2014-07-13", [
            ("A Sellan mortar round fired across the border hit a farm on the Vessan side, "
             "killing a shepherd", "Vessan foreign ministry", False),
            ("Vessan police said they had opened an inquiry into the shepherd's death",
             "Vessan police", False),
            ("Sella denied firing across the border", "Sella", False),
            ("Our units do not fire across the border,", "Tomas Rell", True),
            ("This is total nonsense and the report is untrue.", "Tomas Rell", True),
        ]),
    )
    hits = _with(conflicts, "mortar round fired across", "denied firing across the border")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # The second quote is the denier's words on the shelling, not an answer to the inquiry.
    assert not _with(conflicts, "opened an inquiry", "total nonsense")


def test_a_designation_is_one_word():
    assert "vk-16" in stems_of("one VK-16 was shot down")
    assert "t-72" in stems_of("two T-72 tanks")


def test_active_wording_names_who_downed_it():
    assert "fighter" in blamed("Coastal fighter jets shot down a patrol plane near the cape")
    assert "vk-16" in blamed("its VK-16s fired on the patrol plane after it ignored warnings")
    assert "shor" in blamed("the sinking was a result of shore battery fire")
    conflicts = _report(
        _article("a1", "2015-11-24", [
            ("the Ka-27 was downed by ground fire over the Tarn valley", "Vessan army", False),
            ("its VK-16s fired on the Vessan Ka-27 after it ignored several warnings",
             "Sellan air force", False),
        ]),
        _article("a2", "2015-11-25", [
            ("Sellan VK-16s shot down a Vessan Ka-27 over the Tarn valley", "Vessan army", False),
        ]),
    )
    hits = _with(conflicts, "downed by ground fire", "fired on the Vessan Ka-27")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # The same culprit in two reports ("its VK-16s" / "Sellan VK-16s"): they agree.
    assert not _with(conflicts, "fired on the Vessan Ka-27", "Sellan VK-16s shot down")


def test_a_denial_does_not_answer_a_report_years_apart():
    conflicts = _report(
        _article("y1", "2019-07-08", [
            ("Coalition patrol boats foiled an attack on a grain ship in the Kessa strait on "
             "Monday by the Front", "coalition spokesman", False),
        ]),
        _article("y2", "2019-07-08", [
            ("What the coalition said about an attack on a grain ship in the Kessa strait is a "
             "false allegation.", "Front spokesman", True),
        ]),
        _article("y3", "2024-06-23", [
            ("Since November the Front has attacked a dozen grain ships in the Kessa strait",
             None, False),
        ]),
    )
    hits = _with(conflicts, "foiled an attack on a grain ship", "false allegation")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "Since November" not in _texts(conflicts)


# --- opposite stances on who won ---------------------------------------------------------------


def test_declared_victory_against_a_remaining_threat_is_a_dispute():
    assert frame_of("We've defeated the Front").victory == 1
    assert frame_of("the Front, however, remains a deadly adversary").victory == -1
    assert frame_of("the Front has not suffered a final defeat").victory == -1
    assert frame_of("The talks are finished for today").victory == 0
    conflicts = _report(
        _article("v1", "2018-09-18", [
            ("The Tarn Front is defeated in all of the valleys where we fought the Tarn Front",
             "President Odile Penk", True),
            ("The Tarn Front, however, remains a deadly adversary,", "Colonel Aro Bekk", True),
        ]),
        _article("v2", "2019-06-02", [
            ("The Tarn Front remains a threat in the hill country", "interior ministry", False),
        ]),
    )
    hits = _with(conflicts, "is defeated in all of the valleys", "deadly adversary")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    assert "hill country" not in _texts(conflicts)  # nine months on: no one stance


def test_a_version_given_up_is_no_side_of_the_blame():
    conflicts = _report(
        _article("i1", "2018-09-18", [
            ("The survey plane Kessa was mistakenly shot down by Orla shore batteries off the "
             "Vell coast", None, False),
        ]),
        _article("i2", "2018-09-18", [
            ("The navy initially blamed Vessan frigates for the loss of the survey plane Kessa "
             "off the Vell coast", None, False),
        ]),
        _article("i3", "2018-09-19", [
            ("The navy blamed Vessan frigates for the loss of the survey plane Kessa off the "
             "Vell coast", "navy", False),
        ]),
    )
    assert not _with(conflicts, "initially blamed"), [(c.kind, c.topic) for c in conflicts]
    hits = _with(conflicts, "shore batteries", "The navy blamed Vessan frigates")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]


def test_footage_called_fabricated_answers_the_report_of_the_event():
    conflicts = _report(
        _article("st1", "2016-10-27", [
            ("saying the footage circulating online was \"fabricated", "Vessan defence "
             "ministry", False),
            ("Colonel Ivo Dran said the video was cut together from old clips",
             "Colonel Ivo Dran", False),
            ("A drone strike hit the Kessel fuel depot on Wednesday, killing four workers, "
             "Port Watch reported", "Port Watch", False),
        ]),
    )
    hits = _with(conflicts, "drone strike hit the Kessel fuel depot", "was \"fabricated")
    assert hits and hits[0].kind == "dispute", [(c.kind, c.topic) for c in conflicts]
    # The spokesman's own words are no report the ministry answers.
    assert not _with(conflicts, "cut together from old clips", "was \"fabricated")
