"""Figures on real-news patterns, on short made-up reports: which figures are one quantity
of one story (place, event, population, part of the country), when a figure stands, and
which numbers are no figures at all (forecasts, increments, ratios, magnitudes).

Each case asserts the conflict found with its kind and the look-alike that must not be
flagged: another country's toll, another event's, a part of the dead, a province against the
nation, one strike against the war, a forecast, the same figure restated.
"""

from __future__ import annotations

from factcheck.crosscheck import find_conflicts
from factcheck.judges.frames import frame_of
from factcheck.records import Article, Claim
from tests.test_class_judges import _report, _with


def _flagged(conflicts, fragment: str) -> bool:
    return any(fragment in e.text for c in conflicts for e in c.claims)


# --- numbers that are no figures ---------------------------------------------------------


def test_forecasts_steps_ratios_and_magnitudes_are_no_figures():
    assert frame_of("The prime minister said the toll could reach 5,000").figures == []
    assert frame_of("Officials said the final toll should not be more than 20 or 21").figures == []
    assert frame_of("At least 15 more villagers were killed on the ridge").figures == []
    assert frame_of("The new count is four times higher than the ministry's").figures == []
    assert [f.value for f in frame_of("A 6.4 magnitude quake killed 31 people").figures] == [31]
    assert frame_of("an increase of 300 since its last report").figures == []


def test_scopes_of_real_wording():
    def scopes(text: str) -> list[str]:
        return [f.scope for f in frame_of(text).figures]

    assert scopes("2019 was the deadliest year of the insurgency, with 4,100 killed") == [
        "period"]
    assert scopes("Within the past 24 hours, troops killed 58 fighters, pushing the total "
                  "death toll to 2,940") == ["one-day", "cumulative"]
    # Ongoing attacks are many: their toll is not one incident's.
    assert scopes("The death toll from ongoing raids on the valley has climbed to 900") == [
        "plain"]
    assert scopes("It was the deadliest flood since a storm killed 700 people in 1998") == [
        "period"]
    assert frame_of("The toll in Talca Province rose to 30").figures[0].region == "talca"


# --- one quantity, one story ----------------------------------------------------------


def test_two_countries_floods_are_not_one_toll_but_a_day_later_count_is_a_series():
    conflicts = _report([
        ("k1", "The death toll from flooding in Kenya has risen to 40, the Red Cross said",
         "Red Cross", "2024-04-29"),
        ("k2", "At least 65 people have died in the floods in Kenya, officials said",
         "officials", "2024-04-30"),
        ("c1", "Floods in Colombia have killed 120 people, the disaster agency said",
         "disaster agency", "2024-04-30"),
    ])
    hits = _with(conflicts, "risen to 40", "65 people")
    assert hits and hits[0].kind == "series", [(c.kind, c.topic) for c in conflicts]
    assert not _flagged(conflicts, "120 people")  # another country's flood


def test_one_sellers_deals_with_two_buyers_are_two_deals():
    conflicts = _report([
        ("d1", "France agreed to sell six patrol boats to Kenya for $300 million",
         "French defence ministry", "2021-05-02"),
        ("d2", "The patrol boat contract between France and Indonesia is worth $450 million",
         None, "2021-06-10"),
        ("d3", "Budget papers put the French patrol boat deal with Kenya at $520 million",
         "Kenyan treasury", "2021-07-01"),
    ])
    hits = _with(conflicts, "$300 million", "$520 million")
    assert hits and hits[0].kind == "contradiction"  # one deal, two values
    assert not _flagged(conflicts, "$450 million")  # Indonesia's deal is another one


def test_civilians_are_a_part_of_the_dead_not_a_rival_toll():
    conflicts = _report([
        ("w1", "The insurgency in Nigeria has killed 4,200 people since January, the "
               "monitor said", "monitor", "2022-05-01"),
        ("w2", "Civilians made up 1,900 of the dead in Nigeria, the monitor said",
         "monitor", "2022-05-02"),
        ("w3", "The insurgency in Nigeria has killed 4,900 people since January, the "
               "monitor said", "monitor", "2022-07-01"),
        ("w4", "Some 6,100 people have died in the insurgency in Nigeria since January, "
               "among them fighters and civilians, a rights group said", "rights group",
         "2022-09-01"),
    ])
    hits = _with(conflicts, "4,200", "4,900")
    assert hits and hits[0].kind == "series"
    assert _with(conflicts, "4,900", "6,100")  # "including civilians" is a breakdown
    assert not _flagged(conflicts, "1,900")
    # Who is counted is read before the figure and in its own clause, not in the next one.
    quake = _report([
        ("e1", "The quake toll in Nepal rose past 1,200 on Tuesday as soldiers reached the "
               "remote villages", "police", "2015-04-28"),
        ("e2", "The official death toll from the quake in Nepal climbed to 1,500 on Wednesday",
         "home ministry", "2015-04-29"),
    ])
    hits = _with(quake, "1,200", "1,500")
    assert hits and hits[0].kind == "series"


def test_a_province_is_not_the_nation_and_a_quake_is_not_a_mine():
    conflicts = _report([
        ("n1", "The flood death toll in Talca Province rose to 30, the governor said",
         "governor", "2023-06-10"),
        ("n2", "Floods across Chile have killed 85 people, the interior ministry said",
         "interior ministry", "2023-06-10"),
        ("q1", "The earthquake in Nepal has killed 310 people, the home ministry said",
         "home ministry", "2023-11-04"),
        ("q2", "The collapse of a mine in Nepal killed 12 workers, police said", "police",
         "2023-11-05"),
        ("q3", "The death toll from the earthquake in Nepal has risen to 420, police said",
         "police", "2023-11-06"),
    ])
    assert not _with(conflicts, "30", "85 people")
    assert not _flagged(conflicts, "12 workers")
    hits = _with(conflicts, "310 people", "420")
    assert hits and hits[0].kind == "series"


def test_one_strike_against_the_war_and_a_report_that_says_they_clash():
    conflicts = _report([
        ("g1", "The toll from the war in Somalia has risen to 18,700, the ministry said",
         "ministry", "2024-01-12"),
        ("g2", "An air strike on a house in Somalia killed 9 people, witnesses said",
         "witnesses", "2024-01-12"),
    ])
    assert not _flagged(conflicts, "9 people")
    # One report gives both counts and says they clash: far apart, still two estimates.
    text = ("Authorities in Haiti put the cyclone's death toll at 38. A university survey "
            "found 1,320 excess deaths in Haiti after the cyclone, far higher than the "
            "official count.")
    cut = text.index(" A university") + 1
    art = Article(id="h1", text=text, source="Outlet h1", published="2018-05-29")
    claims = [Claim(text=text[:cut - 2], start=0, end=cut - 2, article_id="h1",
                    speaker="authorities", claim_time="2018-05-29", data={}),
              Claim(text=text[cut:-1], start=cut, end=len(text) - 1, article_id="h1",
                    speaker="university survey", claim_time="2018-05-29", data={})]
    hits = _with(find_conflicts(claims, None, {"h1": art}), "at 38", "1,320")
    assert hits and hits[0].kind == "contradiction"  # two bodies, one storm's dead
    # Two reports that say nothing of it: 38 and 1,320 count different things.
    apart = _report([("h2", "Authorities in Haiti put the cyclone's death toll at 38",
                      "authorities", "2018-05-29"),
                     ("h3", "A survey found 1,320 excess deaths in Haiti after the cyclone",
                      "university survey", "2018-05-30")])
    assert not _with(apart, "at 38", "1,320")


def test_a_running_total_since_last_year_stands_on_its_report_date():
    conflicts = _report([
        ("f1", "The ferry disasters toll in Indonesia has climbed to 3,100 since January",
         "search agency", "2024-03-11"),
        ("f2", "At least 15 more people drowned, bringing the toll of ferry disasters in "
               "Indonesia since last year to 4,400", "search agency", "2024-11-26"),
    ])
    for c in conflicts:
        c2 = [e.text for e in c.claims]
        assert not (any("3,100" in t for t in c2) and any("4,400" in t for t in c2)
                    and c.kind == "contradiction")


def test_a_lower_bound_then_a_risen_toll_is_a_series_but_two_floods_years_apart_are_not():
    conflicts = _report([
        ("p1", "At least 190 people were killed after the quake struck central Peru and "
               "Colombia's south", "civil defence", "2019-05-26"),
        ("p2", "The death toll from the earthquake in Peru and Colombia has risen to 236",
         "civil defence", "2019-05-28"),
        ("b1", "At least 21 people have been confirmed dead in flooding in Bangladesh",
         "disaster ministry", "2017-08-14"),
        ("b2", "The death toll from the floods in Bangladesh has risen to 58, officials said",
         "disaster ministry", "2020-07-20"),
    ])
    hits = _with(conflicts, "190 people", "236")
    assert hits and hits[0].kind == "series"  # quake = earthquake; the bound, then the count
    assert not _with(conflicts, "21 people", "58")  # two floods, three years apart


def test_deal_values_in_words_and_rounded_hedges():
    fig = frame_of("The radar contract is valued at about 720 million U.S. dollars").figures[0]
    assert fig.unit == "money:dollar" and fig.measure == "worth"
    assert fig.low == 0.95 * 7.2e8 and fig.high == 1.05 * 7.2e8  # "about" rounds a price
    conflicts = _report([
        ("r1", "Kenya's radar contract with France is worth $640 million", "treasury",
         "2020-02-01"),
        ("r2", "The radar contract between France and Kenya is valued at about 720 million "
               "U.S. dollars", "French ministry", "2020-09-01"),
        ("r3", "Kenya's radar deal with France is worth about $655 million, a lawmaker "
               "said", "lawmaker", "2020-03-01"),
    ])
    hits = _with(conflicts, "$640 million", "720 million")
    assert hits and hits[0].kind == "contradiction"
    assert not _with(conflicts, "$640 million", "$655 million")  # within the rounding


def test_two_bodies_estimates_of_one_countrys_war_compete_but_another_war_does_not():
    assert frame_of("at least 9,000 Somalis had died").figures[0].noun_class == "people"
    conflicts = _report([
        ("s1", "A research centre said at least 52,000 Somalis had died in the war",
         "research centre", "2016-02-11"),
        ("s2", "The UN envoy said the civil war in Somalia has cost the lives of about "
               "44,000 people", "UN envoy", "2016-04-22"),
        ("s3", "The war in Kenya has cost the lives of about 3,000 people, a monitor said",
         "monitor", "2016-04-23"),
    ])
    hits = _with(conflicts, "52,000", "44,000")
    assert hits and hits[0].kind == "contradiction"  # lower later, another body: competing
    assert not _flagged(conflicts, "3,000")  # another country's war


def test_a_campaigns_toll_is_neither_one_blasts_dead_nor_met_by_them():
    """Two bodies' counts for one blast clash; the whole bombardment's toll, said in a
    sentence that names the raid it followed, is another quantity."""
    fr = frame_of("At least 2,400 people have been killed in the nine-day bombardment of the "
                  "port that began after the border raid")
    assert [f.scope for f in fr.figures] == ["campaign"]
    assert [f.scope for f in frame_of("The strike during the siege killed 12 people").figures
            ] == ["incident"]
    conflicts = _report([
        ("b1", "At least 2,400 people have been killed in the nine-day bombardment of the "
               "port that began after the border raid", "port health office", "2025-03-12"),
        ("b2", "A blast at the port's ferry terminal killed 180 people on Monday, the port "
               "health office said", "port health office", "2025-03-12"),
        ("b3", "Rescue workers said 95 people were killed in the blast at the ferry terminal",
         "rescue workers", "2025-03-12"),
    ])
    hits = _with(conflicts, "killed 180", "95 people")
    assert hits and hits[0].kind == "contradiction", [(c.kind, c.topic) for c in conflicts]
    assert not _flagged(conflicts, "2,400")  # the bombardment's dead are not the blast's
