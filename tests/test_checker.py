"""Checking new articles against the store: quote verdicts and claim conflicts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from factcheck.checker import CheckResult, QuoteCheck, check_article, compare, read_article
from factcheck.corpus import Metadata, make_article
from factcheck.records import StoredQuote
from factcheck.store import Store
from factcheck.store.base import open_store
from factcheck.textdiff import tokenize

FIXTURES = Path(__file__).parent / "fixtures" / "checker"
SEED_000 = "000_5936662356c6c8be.txt"
SEED_002 = "002_f8a06107b65dec98.txt"
SEED_004 = "004_2ff34fa1bdc5f02b.txt"


# --- helpers ---------------------------------------------------------------------------------


def _stored(text: str, speaker: str = "A Person") -> StoredQuote:
    return StoredQuote(id=1, quote=text, speaker=speaker, speaker_id=1, speaker_role=None,
                       anonymous=False, partial=False, article_id="x", title=None,
                       source=None, published=None, start=0, end=len(text), context="")


def _relation(stored: str, quoted: str) -> tuple[str, list[str]]:
    p = compare(_stored(stored), tokenize(stored), tokenize(quoted), 100.0)
    return p.relation, p.notes


def _find(result: CheckResult, fragment: str) -> QuoteCheck:
    hits = [q for q in result.quotes if fragment in q.quote]
    assert hits, f"no quote containing {fragment!r}: {[q.quote for q in result.quotes]}"
    return hits[0]


def _seed(seeds_dir: Path, name: str, old: str = "", new: str = "", aid: str | None = None):  # type: ignore[no-untyped-def]
    text = (seeds_dir / name).read_text(encoding="utf-8")
    if old:
        assert old in text, old
        text = text.replace(old, new)
    meta = json.loads((seeds_dir / "metadata.json").read_text(encoding="utf-8"))[name]
    return make_article(text, aid or f"check-{name}", Metadata(**meta))


def _fingerprint(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.iterdir()):
        if p.is_file() and p.name != ".lock":
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()


# --- pairwise comparison rules (synthetic, no store) -----------------------------------------


def test_excerpt_that_keeps_meaning_is_an_excerpt() -> None:
    rel, notes = _relation("The committee met twice. We expect the road to reopen in May.",
                           "the road to reopen in May")
    assert rel == "excerpt"
    assert "excerpt" in notes[0]


def test_excerpt_that_drops_a_governing_negation_is_changed() -> None:
    rel, notes = _relation("I do not believe the factory will close this year.",
                           "the factory will close this year")
    assert rel == "changed"
    assert "leaves out" in notes[0]
    rel, _ = _relation("The airline says fares will fall, but that is false.",
                       "fares will fall")
    assert rel == "changed"


def test_affirming_negation_and_other_clauses_do_not_flip() -> None:
    assert _relation("It is no secret that the union wants higher pay.",
                     "the union wants higher pay")[0] == "excerpt"
    assert _relation("Nobody wants a strike, but the talks have stalled badly.",
                     "the talks have stalled badly")[0] == "excerpt"


def test_substantive_changes_are_named() -> None:
    rel, notes = _relation("The reactor is not safe to restart.", "The reactor is safe to restart.")
    assert rel == "changed" and "negation dropped" in notes[0]
    rel, notes = _relation("Prices may rise by 3 percent.", "Prices will rise by 3 percent.")
    assert rel == "changed" and "qualifier" in notes[0]
    rel, notes = _relation("We sold 1,200 tickets in an hour.",
                           "We sold 12,000 tickets in an hour.")
    assert rel == "changed" and "number changed" in notes[0]


def test_minor_differences_are_exact() -> None:
    assert _relation("“The U.S. won’t realise it,” she said",
                     "The US will not realize it, she said")[0] == "exact"
    assert _relation("We will, as we said last week, sail tomorrow",
                     "We will ... sail tomorrow")[0] == "exact"
    # An ellipsis does not excuse cutting a negation.
    assert _relation("We will not, whatever happens, sail tomorrow",
                     "We will … sail tomorrow")[0] == "changed"


def test_unrelated_wording_is_weak() -> None:
    assert _relation("The orchestra will tour Japan next spring with a new conductor.",
                     "Budget cuts forced the museum to close two galleries.")[0] == "weak"


# --- synthetic store, other topics ------------------------------------------------------------


@pytest.fixture(scope="module")
def synthetic_index(tmp_path_factory: pytest.TempPathFactory, hash_encoder) -> Path:  # type: ignore[no-untyped-def]
    from factcheck.ingest import ingest

    root = tmp_path_factory.mktemp("checker") / "index"
    with Store.open(root) as store:
        summary = ingest([str(FIXTURES / "store")], store, hash_encoder)
    assert not summary.errors
    return root


@pytest.fixture(scope="module")
def roundup(synthetic_index: Path, hash_encoder) -> CheckResult:  # type: ignore[no-untyped-def]
    article = read_article(str(FIXTURES / "new_roundup.txt"))
    with Store.open(synthetic_index, readonly=True) as store:
        return check_article(article, store, hash_encoder)


def test_synthetic_verified_quote_said_twice_is_one_verdict(roundup: CheckResult) -> None:
    q = _find(roundup, "We will not start dredging")
    assert q.verdict == "verified"
    assert q.stored_speaker == "Alina Voss"
    assert len(q.matches) == 2  # stored by two outlets
    assert q.first_said is not None
    assert q.first_said["published"] == "2019-03-14"
    assert [m.published for m in q.matches] == ["2019-03-14", "2019-03-16"]


def test_synthetic_excerpt_and_fragments(roundup: CheckResult) -> None:
    q = _find(roundup, "could take another six months")
    assert q.verdict == "verified"
    assert any("excerpt" in n for n in q.notes)
    assert _find(roundup, "safe and effective").verdict == "verified"
    # One common word another speaker used is not a misattribution.
    safe = [q for q in roundup.quotes if q.quote.strip(" ,.") == "safe"][0]
    assert safe.verdict == "unverified"
    assert any("Ruth Adeyemi" in n for n in safe.notes)


def test_synthetic_misquotes(roundup: CheckResult) -> None:
    hedge = _find(roundup, "This stadium will pay for itself")
    assert hedge.verdict == "misquote"
    diff = hedge.matches[0].diff
    assert {"op": "delete", "stored": "probably", "quote": ""} in diff
    number = _find(roundup, "Every month of delay")
    assert number.verdict == "misquote"
    assert number.stored_speaker == "Tomas Brandt"  # "Brandt" matched to the stored person
    assert any(o["op"] == "replace" and o["stored"] == "40,000" for o in number.matches[0].diff)
    negation = _find(roundup, "I can support a budget")
    assert negation.verdict == "misquote"
    assert "negation dropped" in negation.notes[0]
    flipped = _find(roundup, "this stadium will come in on budget")
    assert flipped.verdict == "misquote"
    assert "Nobody should believe that" in flipped.notes[0]


def test_synthetic_misattribution_and_unverified(roundup: CheckResult) -> None:
    q = _find(roundup, "Parents deserve more information")
    assert q.verdict == "misattribution"
    assert q.stored_speaker == "Ruth Adeyemi"
    assert q.other_speakers == ["Marco Bellini"]
    assert q.matches[0].speaker == "Marco Bellini"
    new = _find(roundup, "first ships to return")
    assert new.verdict == "unverified"
    assert new.matches and all(m.speaker == "Alina Voss" for m in new.matches)
    assert all(m.relation == "nearest" for m in new.matches)


def test_synthetic_summary_and_claims(roundup: CheckResult) -> None:
    s = roundup.summary
    assert (s["verified"], s["misquote"], s["misattribution"], s["unverified"]) == (3, 4, 1, 2)
    by_text = {c.text: c for c in roundup.claims}
    # Same words with a negation flipped are not "consistent".
    flipped = [c for t, c in by_text.items() if t.startswith("I can support")]
    assert flipped and flipped[0].verdict != "consistent"
    same = [c for t, c in by_text.items() if t.startswith("Parents deserve")]
    assert same and same[0].verdict == "consistent"
    data = roundup.to_dict()
    assert set(data) >= {"article", "quotes", "claims", "summary"}
    assert set(data["quotes"][0]) >= {"quote", "speaker", "verdict", "matches"}
    json.dumps(data)


def test_unknown_speaker_is_not_an_error(synthetic_index: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    art = make_article('"The ferry timetable will change in April," said Oskar Lindqvist.\n',
                       "ferry")
    with Store.open(synthetic_index, readonly=True) as store:
        result = check_article(art, store, hash_encoder)
    (q,) = result.quotes
    assert q.verdict == "unverified"
    assert q.stored_speaker is None
    assert any("not a speaker in the store" in n for n in q.notes)


# --- the seeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SEED_000, SEED_002, SEED_004])
def test_unaltered_seed_copy_is_all_verified(seeded_any: str, hash_encoder, seeds_dir: Path,
                                             name: str) -> None:  # type: ignore[no-untyped-def]
    with open_store(seeded_any, create=False, readonly=True) as store:
        result = check_article(_seed(seeds_dir, name), store, hash_encoder)
    assert result.quotes
    assert {q.verdict for q in result.quotes} == {"verified"}, [
        (q.quote, q.verdict, q.notes) for q in result.quotes if q.verdict != "verified"]
    assert result.article["already_stored_as"] == name


def test_seed_kerry_potentially_dropped_is_a_misquote(seeded_any: str, hash_encoder,
                                                      seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    art = _seed(seeds_dir, SEED_000, "missiles are potentially destabilizing",
                "missiles are destabilizing")
    with open_store(seeded_any, create=False, readonly=True) as store:
        result = check_article(art, store, hash_encoder)
    q = _find(result, "We have previously stated")
    assert q.verdict == "misquote"
    assert q.stored_speaker == "John Kerry"
    assert {"op": "delete", "stored": "potentially", "quote": ""} in q.matches[0].diff
    others = [x.verdict for x in result.quotes if x is not q]
    assert set(others) == {"verified"}


def test_seed_lavrov_credited_to_zakharova_is_a_misattribution(
        seeded_any: str, hash_encoder, seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    art = _seed(seeds_dir, SEED_002, "remains,\" Lavrov said", "remains,\" Zakharova said")
    with open_store(seeded_any, create=False, readonly=True) as store:
        result = check_article(art, store, hash_encoder)
    q = _find(result, "The possibility for a political solution remains")
    assert q.verdict == "misattribution"
    assert q.stored_speaker == "Maria Zakharova"
    assert q.other_speakers == ["Sergei Lavrov"]
    assert "Maria Zakharova" in q.notes[0] and "Sergei Lavrov" in q.notes[0]


def test_seed_s300_delivery_claim_conflicts(seeded_any: str, hash_encoder,
                                            seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    art = _seed(seeds_dir, SEED_000, "Russia rarely comments publicly on arms sales",
                "Russia delivered S-300 systems to Syria in 2013. Russia rarely comments "
                "publicly on arms sales")
    with open_store(seeded_any, create=False, readonly=True) as store:
        result = check_article(art, store, hash_encoder)
    claim = [c for c in result.claims if "delivered S-300" in c.text]
    assert claim, [c.text for c in result.claims]
    c = claim[0]
    assert c.verdict in ("contradiction", "dispute")
    evidence = [e for conf in c.conflicts for e in conf["claims"] if not e["new"]]
    suspended = [e for e in evidence if "suspended deliveries of S-300" in e["text"]]
    assert suspended, evidence
    e = suspended[0]
    assert e["article_id"] == SEED_002 and e["published"] == "2013-09-09"
    assert e["source"] == "Naharnet" and e["end"] > e["start"] > 0
    assert result.summary["conflicts"] >= 1


def test_check_never_writes_to_the_store(seeded_copy: Path, hash_encoder,
                                         seeds_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with Store.open(seeded_copy, readonly=True) as store:
        store.index("quotes")
        store.index("claims")
    before = _fingerprint(seeded_copy)
    art = _seed(seeds_dir, SEED_004, "regime,” Lavrov said", "regime,” Zakharova said")
    with Store.open(seeded_copy, readonly=True) as store:
        counts = store.counts()
        result = check_article(art, store, hash_encoder)
        assert store.counts() == counts
    assert _find(result, "playing some kind of game").verdict == "misattribution"
    assert _fingerprint(seeded_copy) == before


# --- the real model ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def model_index(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    from factcheck.embeddings import get_encoder
    from factcheck.ingest import ingest

    root = tmp_path_factory.mktemp("checker-model") / "index"
    with Store.open(root) as store:
        summary = ingest([str(seeds_dir / SEED_000), str(seeds_dir / SEED_004)], store,
                         get_encoder(), metadata=seeds_dir / "metadata.json")
    assert not summary.errors
    return root


@pytest.mark.model
def test_model_misquote_and_misattribution(model_index: Path, seeds_dir: Path) -> None:
    from factcheck.embeddings import get_encoder

    encoder = get_encoder()
    with Store.open(model_index, readonly=True) as store:
        assert store.embedding_model()[0] == encoder.name
        kerry = check_article(_seed(seeds_dir, SEED_000, "missiles are potentially",
                                    "missiles are"), store, encoder)
        lavrov = check_article(_seed(seeds_dir, SEED_004, "regime,” Lavrov said",
                                     "regime,” Zakharova said"), store, encoder)
        plain = check_article(_seed(seeds_dir, SEED_004), store, encoder)
    assert _find(kerry, "We have previously stated").verdict == "misquote"
    assert _find(lavrov, "playing some kind of game").verdict == "misattribution"
    assert {q.verdict for q in plain.quotes} == {"verified"}


@pytest.mark.model
def test_model_unverified_shows_nearest_by_meaning(model_index: Path) -> None:
    from factcheck.embeddings import get_encoder

    encoder = get_encoder()
    art = make_article('"Moscow must grasp that we are running out of patience," '
                       "John Kerry said on Monday.\n", "patience")
    with Store.open(model_index, readonly=True) as store:
        result = check_article(art, store, encoder)
    (q,) = result.quotes
    assert q.verdict == "unverified"
    assert q.matches and "patience is not infinite" in q.matches[0].quote
