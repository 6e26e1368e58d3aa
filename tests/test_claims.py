"""Claim extraction on short synthetic articles (not the seeds)."""

from __future__ import annotations

from factcheck.claims import designations, entity_key, extract_claims
from factcheck.records import Article, Mention, Quote


def _claims(nlp, text: str, published: str = "2019-03-14", quotes=None):  # type: ignore[no-untyped-def]
    art = Article(id="t.txt", text=text, published=published, source="Test Wire")
    return extract_claims(art, quotes or [], nlp(text))


def _find(claims, fragment: str):  # type: ignore[no-untyped-def]
    hits = [c for c in claims if fragment in c.text]
    assert hits, [c.text for c in claims]
    return hits[0]


def test_entity_keys_normalise_designations_and_countries():
    assert entity_key("S-300") == entity_key("S300") == entity_key("S 300") == "s300"
    assert entity_key("the Kremlin") == entity_key("Russian") == "russia"
    assert [k for _, _, k in designations("F-16 jets and MiG 29s, not in 2016")] == ["f16", "mig29"]


def test_reporter_clause_with_year_gets_that_time(nlp):
    text = ("In 2014, the navy bought two frigates, and in 2018, Norwegian F-35 fighter jets "
            "were transferred to the Orland air base.")
    claims = _claims(nlp, text)
    jets = _find(claims, "F-35")
    assert jets.speaker is None  # the outlet's own voice
    assert jets.claim_time == "2018"
    assert "f35" in jets.data["entities"]
    ev = jets.data["events"][0]
    assert (ev["frame"], ev["polarity"]) == ("supply", 1)
    assert text[jets.start:jets.end] == jets.text


def test_reported_speech_speaker_full_name_and_relative_time(nlp):
    text = ("Prime Minister Anna Lindqvist met the envoy in Oslo. The navy kept training, "
            "although Lindqvist said last week Norway had suspended deliveries of NASAMS "
            "launchers to the coalition.")
    claims = _claims(nlp, text, published="2019-03-14")
    c = _find(claims, "suspended deliveries")
    assert c.speaker == "Anna Lindqvist"
    assert c.claim_time == "2019-03-07"
    assert any(e["frame"] == "supply" and e["polarity"] == -1 for e in c.data["events"])
    assert "Lindqvist said" not in c.text


def test_anaphoric_denial_points_at_the_denied_claim(nlp):
    text = ("Local officials said the minister visited Port Halden on Tuesday, but the ministry "
            "denied that.")
    claims = _claims(nlp, text, published="2020-02-14")
    target = _find(claims, "visited Port Halden")
    denial = _find(claims, "denied that")
    assert denial.data["denial"]["target_start"] == target.start
    assert denial.data["denial"]["target_end"] == target.end
    assert denial.speaker and "ministry" in denial.speaker
    assert target.speaker == "Local officials"
    # The denial is about the visit, at the visit's time.
    assert denial.claim_time == target.claim_time == "2020-02-11"
    assert [e["polarity"] for e in denial.data["events"]] == [-1]


def test_denied_clause_is_negated(nlp):
    claims = _claims(nlp, "The army denied that its troops had withdrawn from the border town.")
    c = _find(claims, "denied that its troops")
    assert c.data["denial"]["clause"] is True
    assert any(e["frame"] == "presence" and e["polarity"] == 1 for e in c.data["events"])


def test_numbers_with_hedges_and_measure(nlp):
    claims = _claims(nlp, "The civil war in Norland has killed more than 10,000 people, "
                          "monitors said.")
    nums = [n for c in claims for n in c.data["numbers"]]
    assert nums and nums[0]["value"] == 10000
    assert nums[0]["low"] == 10000 and nums[0]["high"] == float("inf")
    assert nums[0]["key"] == "killed|conflict"
    assert nums[0]["unit"] == "people"


def test_requests_and_hypotheticals_are_not_events(nlp):
    claims = _claims(nlp, "Officials asked the company to cancel the sale of the turbines.")
    assert all(not c.data["events"] for c in claims)


def test_quote_claims_keep_quote_index_and_speaker(nlp):
    text = ('"We will never abandon the ceasefire in the valley," Defence Minister Omar Haddad '
            "told reporters.")
    start = text.index("We")
    end = text.index(',"')
    q = Quote(text=text[start:end], start=start, end=end,
              speaker=Mention(name="Omar Haddad", surface="Omar Haddad"))
    claims = _claims(nlp, text, quotes=[q])
    c = _find(claims, "abandon the ceasefire")
    assert c.quote_index == 0
    assert c.speaker == "Omar Haddad"
    assert c.data["source"] == "quote"
    assert any(e["frame"] == "truce" and e["polarity"] == 1 for e in c.data["events"])


def test_excluded_ranges_give_no_claims(nlp):
    text = "Rebels broke the truce in Marivelle on Friday. Buy our great product today now."
    art = Article(id="x", text=text, published="2021-04-17",
                  excluded=[(text.index("Buy"), len(text))])
    claims = extract_claims(art, [], nlp(text))
    assert claims and all(c.end <= text.index("Buy") for c in claims)


def test_a_persons_place_in_a_government_is_a_tenure_event(nlp):
    claims = _claims(nlp, "The prime minister said Elena Varga will not be part of the new "
                          "cabinet. Coalition partners say Varga's post is non-negotiable.")
    out = _find(claims, "part of the new cabinet")
    ev = [e for e in out.data["events"] if e["frame"] == "tenure"]
    assert [(e["polarity"], e["agent"]) for e in ev] == [(-1, "varga")]
    assert {"elenavarga", "varga"} <= set(out.data["entities"])  # surname key too
    keep = _find(claims, "non-negotiable")
    assert [(e["frame"], e["polarity"], e["agent"]) for e in keep.data["events"]] == [
        ("tenure", 1, "varga")]
    assert [(s["scale"], s["value"]) for s in keep.data["scales"]] == [("negotiable", -1)]


def test_possible_roles_are_not_positions(nlp):
    claims = _claims(nlp, "Elena Varga could be part of a future government, analysts said.")
    assert all(e["frame"] != "tenure" for c in claims for e in c.data["events"])


def test_weeks_after_dates_the_earlier_event(nlp):
    claims = _claims(nlp, "Norland has sent more troops into Kessel province, weeks after "
                          "announcing a withdrawal of its forces there.", published="2022-03-04")
    c = _find(claims, "weeks after")
    evs = {e["lemma"]: e for e in c.data["events"]}
    assert (evs["send"]["frame"], evs["send"]["polarity"]) == ("presence", 1)  # troops: not a sale
    w = evs["withdrawal"]
    assert (w["frame"], w["polarity"], w["agent"]) == ("presence", -1, "norland")
    assert w["time"] == "2022-02" and "time" not in evs["send"]
    two = _claims(nlp, "Two weeks after declaring a pullout, Norland deployed more troops in "
                       "Kessel.", published="2022-03-04")
    pull = [e for c in two for e in c.data["events"] if e["lemma"] == "pullout"][0]
    assert pull["time"] == "2022-02-18"


def test_a_noun_event_takes_no_agent_from_a_critic(nlp):
    claims = _claims(nlp, "Norway condemned the transfer of the jets to the island.")
    tr = [e for c in claims for e in c.data["events"] if e["frame"] == "supply"]
    assert tr and tr[0]["agent"] is None


def test_a_clause_carrying_a_partial_quote_reports_its_speaker(nlp):
    from factcheck.attribution import attribute

    text = ('OSLO — Trade minister Kari Olsen said on Tuesday that the grain deal "will '
            'collapse within weeks unless the ports reopen," adding that talks were "frankly '
            'going nowhere."\n')
    art = Article(id="t", text=text, published="2020-03-04")
    quotes = attribute(art, nlp(text))
    claims = extract_claims(art, quotes, nlp(text))
    adding = _find(claims, "talks were")
    assert adding.speaker == "Kari Olsen"
