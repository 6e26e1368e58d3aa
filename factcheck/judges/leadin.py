"""A reported denial or accusation, and the quotes that follow it in the speaker's words.

News copy states the act first and gives the words after it:

    The port authority denied that any tanker had been turned away. "Every ship that asked
    for a berth got one," its director said.

    The union blamed the company for the collapse. "The props were rotten," its leader said.

The first sentence carries the signal (a denial verb, a blame cue) and names what is
denied; the quote that follows is the same party's own words, often without the signal
("No water was let out that night") or re-dating the event ("The footage is from a drill
two years ago"). The cross-checker judges the lead-in and shows its quotes with it, and a
reporter's lead-in ("the union leader held the mine owners responsible") speaks for the
party its quote names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from .frames import stems_of

LEAD_GAP = 120  # characters between a lead-in and its quote: the next sentence, not later
FOLLOWERS = 3  # quotes kept per lead-in
_NAME_SKIP = frozenset(stems_of("the a an of for and its his her their said says spokesman "
                                "spokeswoman spokesperson official officials head chief "
                                "commander leader minister ministry office"))


_SPOKESPERSON = re.compile(r"^(?:a|an|the|its|his|her|their)\s+(?:\w+\s+)?(?:spokes(?:man|woman|"
                          r"person)|representative|statement)$", re.I)


def _names(speaker: str | None) -> frozenset[str]:
    """Stems of a speaker's name words ("the Front's commander" -> front)."""
    return stems_of(speaker or "") - _NAME_SKIP


def _same_party(lead: Any, quote: Any) -> bool:
    if not quote.speaker:
        return False
    if lead.speaker:
        if lead.speaker == quote.speaker or _SPOKESPERSON.match(quote.speaker):
            return True  # "The army denied it. 'The footage is old,' a spokesman said."
        return bool(_names(lead.speaker) & _names(quote.speaker))
    # A reporter's lead-in names its party as its subject: "Ana Ruiz, the union's leader,
    # blamed the company" followed by Ruiz's quote.
    head = " ".join(w for w in lead.text.split()[:8] if w[:1].isupper())
    names = " ".join(w for w in quote.speaker.split() if w[:1].isupper())
    return bool(_names(names) & stems_of(head))


def _denies(fr: Any) -> bool:
    return bool(fr.denial or fr.neg)


def lead_followers(claims: list[Any], articles: dict[str, Any], frames: Any
                   ) -> dict[int, list[int]]:
    """Index of each denial / blame lead-in -> indices of the quotes right after it by the
    same party (in ``claims``)."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_article[c.article_id].append(i)
    out: dict[int, list[int]] = {}
    for idx in by_article.values():
        if len(idx) < 2:
            continue
        idx.sort(key=lambda i: (claims[i].start, claims[i].end))
        for n, i in enumerate(idx):
            lead = claims[i]
            fr = frames.get(lead)
            if not (fr.denial or fr.blame):
                continue
            got: list[int] = []
            end = lead.end
            for j in idx[n + 1:]:
                q = claims[j]
                if q.start < end:
                    continue  # a span nested in one already taken
                if q.start - end > LEAD_GAP:
                    break
                if not _same_party(lead, q) and not (
                        fr.denial and not got and _denies(frames.get(q))) and not (
                        got and q.speaker and claims[got[-1]].speaker == q.speaker):
                    # (the next quote of the person just quoted goes on with the words)
                    # A denial quoted right after a reported denial is its words, even when
                    # the quote names a person of the body ("…," said its minister).
                    break
                if q.quote_id is None:
                    break  # a reported sentence says a thing of its own, not the words
                got.append(j)
                end = q.end
                if len(got) >= FOLLOWERS:
                    break
            if got:
                out[i] = got
    return out


# "Norland rejected the accusation", "dismissed the claims as baseless": what is denied is
# named only in an earlier sentence of the report.
_ANAPHORIC = re.compile(
    r"\b(?:den(?:y|ies|ied)|reject(?:s|ed)?|dismiss(?:es|ed)?|refut(?:es|ed)?)\s+"
    r"(?:(?:the|these|those|this|that|such|all|any|its|their)\s+)?(?:\w+\s+)?"
    r"(?P<what>accusations?|allegations?|claims?|charges?|reports?|suggestions?|assertions?|"
    r"version|it|them|this)\b"
    r"|\b(?:the\s+)?(?P<what2>accusations?|allegations?|claims?|charges?|reports?|evidence|"
    r"footage|video|videos|images|photos|pictures)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:as|were|was|are|is)\s+[\"“']?(?:\w+\s+)?(?:baseless|false|untrue|fabricated|groundless|"
    r"unfounded|lies|nonsense|fake|staged|doctored)\b"
    # A pronoun denial opening the claim: "It simply didn't happen", "This is nothing more
    # than a rumour", "That is incorrect".
    r"|^(?:but\s+)?(?P<pron>it|this|that)\s+(?:simply\s+|just\s+)?(?:didn't|did not|never)\s+"
    r"happen"
    r"|^(?:but\s+)?(?:it|this|that)\s+(?:is|was)\s+(?:\w+\s+){0,3}?(?:untrue|incorrect|false|"
    r"a lie|lies|nonsense|an? rumou?r|a fabrication|fake|slander|disinformation|baseless)\b",
    re.I)
# A report the denial answers, given after it: "Reuters reported earlier that ...".
_REPORTED = re.compile(r"\b(?:reported|had said|said earlier|earlier)\b", re.I)
_ACCUSATIONS = frozenset({"accusation", "accusations", "allegation", "allegations", "charge",
                          "charges"})
ANAPHORA_REACH = 700  # characters back to the sentence a bare denial answers


@lru_cache(maxsize=50_000)
def _anaphoric_word(text: str) -> str | None:
    """What a bare denial rejects ("accusation"), once per text (wire copy repeats them)."""
    m = _ANAPHORIC.search(text)
    return None if m is None else (m.group("what") or m.group("what2") or "").lower()


def anaphoric_targets(claims: list[Any], frames: Any, followers: dict[int, list[int]]
                      ) -> dict[int, int]:
    """Index of each bare denial ("rejected the accusation") -> index of the claim it
    answers: the nearest earlier claim of the report by another party that asserts
    something (for an accusation or a charge, the nearest one that blames)."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(claims):
        by_article[c.article_id].append(i)
    quotes_of = {j for js in followers.values() for j in js}
    out: dict[int, int] = {}
    for idx in by_article.values():
        idx.sort(key=lambda i: (claims[i].start, claims[i].end))
        for n, i in enumerate(idx):
            y = claims[i]
            if i in quotes_of:
                continue  # a quote after a reported denial: the lead-in names what it denies
            what = _anaphoric_word(y.text)
            if what is None:
                continue
            earlier = [j for j in reversed(idx[:n])
                       if 0 <= y.start - claims[j].end <= ANAPHORA_REACH
                       and j not in quotes_of and _asserts(claims[j], frames)
                       and not _one_voice(claims[j], y)]
            if what in _ACCUSATIONS:
                earlier = [j for j in earlier if frames.get(claims[j]).blame] or earlier[:1]
            if not earlier:
                # Denial first, the report after: "'This is a rumour,' the ministry said. ...
                # Reuters had reported that ..." (a later claim given as an earlier report).
                earlier = [j for j in idx[n + 1:]
                           if 0 <= claims[j].start - y.end <= ANAPHORA_REACH
                           and j not in quotes_of and _asserts(claims[j], frames)
                           and not _one_voice(claims[j], y)
                           and _REPORTED.search(_sentence(claims[j], frames))][:1]
            if earlier:
                # The report's words: of several earlier claims, the one that shares most of
                # what the denial and its lead-in name (nearest first on a tie).
                own = frames.get(y).topic_stems
                out[i] = max(earlier, key=lambda j: len(own & frames.get(claims[j]).topic_stems)
                             ) if own else earlier[0]
    return out


def _sentence(c: Any, frames: Any) -> str:
    """The sentence a claim stands in (its own text when the article is not at hand)."""
    art = getattr(frames, "articles", {}).get(c.article_id)
    if art is None or not art.text:
        return str(c.text)
    lo = max(art.text.rfind(". ", 0, c.start), art.text.rfind("\n", 0, c.start)) + 1
    ends = [x for x in (art.text.find(". ", c.end), art.text.find("\n", c.end)) if x >= 0]
    return str(art.text[lo: min(ends) if ends else len(art.text)])


def _asserts(c: Any, frames: Any) -> bool:
    fr = frames.get(c)
    return not (fr.neg or fr.denial) and fr.modal not in ("may", "hope", "should")


def _one_voice(a: Any, b: Any) -> bool:
    if not a.speaker or not b.speaker:
        return False
    return a.speaker == b.speaker or bool(_names(a.speaker) & _names(b.speaker))
