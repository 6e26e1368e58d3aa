"""Clause-level reading for the class judges: which verbs and objects a negation or a
denial reaches, one clause or two, places named, a state word's agent and distance, and
pronoun claims that point back to the claim before them."""

from __future__ import annotations

import re
from functools import lru_cache

from ..records import Claim
from .frames import (
    Frame,
    stem,
    stems_of,
)

# Where one statement ends and the next begins inside a claim: "…, and …", "…; …", "…, but …".
_CLAUSE = re.compile(r",\s+(?:and|but|while|whereas|as)\s+|;\s+|\s+—\s+|:\s+")


@lru_cache(maxsize=50_000)
def _clause_stems(text: str) -> tuple[frozenset[str], ...]:
    return tuple(stems_of(part) for part in _CLAUSE.split(text) if part.strip())


# A plain statement that is itself against something does not assert it.
AGAINST = frozenset(stem(w) for w in (
    "condemn condemns condemned oppose opposes opposed reject rejects rejected refuse refuses "
    "refused denounce denounces denounced protest protests protested").split())


_PLACE = re.compile(r"\b(?:in|near|at|off|across)\s+(?:the\s+)?((?:[A-Za-z][\w'-]*\s*){1,2})")


def _places(text: str) -> frozenset[str]:
    got: set[str] = set()
    for m in _PLACE.finditer(text):
        words = m.group(1).split()
        if words and words[0].lower() not in ("the", "a", "an", "any", "full", "coming"):
            got.add(" ".join(stem(w) for w in words))
    return frozenset(got)


def _other_place(a: str, b: str, ctx_a: frozenset[str] = frozenset(),
                 ctx_b: frozenset[str] = frozenset()) -> bool:
    """Both say where, and no place of one is a place of the other, nor named around it:
    two events ("at the dam" and "in the village below it" are one, when the village's
    sentence names the dam)."""
    pa, pb = _places(a), _places(b)
    if not pa or not pb or pa & pb:
        return False
    wa = {w for p in pa for w in p.split()}
    wb = {w for p in pb for w in p.split()}
    return not wa & wb and not wa & ctx_b and not wb & ctx_a


_VERB_NEG = frozenset({"not", "never", "cannot"})


_AUX = frozenset(("be been being is are was were have has had do does did to the a an ever yet "
                  "also further any longer again so still even will would shall can could "
                  "certainly ever").split())


@lru_cache(maxsize=50_000)
def _verbs_after(text: str, modal: bool) -> frozenset[str]:
    """Stems of the first content word after each verbal negation ("will not *accept*",
    "has never *supported*") or, with ``modal``, after each should-modal ("must *stop*")."""
    words = [w.strip(".,;:!?()[]\"“”'’").lower() for w in text.split()]
    out: set[str] = set()
    for i, w in enumerate(words):
        if modal:
            cue = w in ("should", "must", "ought")
        else:
            cue = w in _VERB_NEG or w.endswith("n't")
        if not cue:
            continue
        for nxt in words[i + 1: i + 5]:
            if nxt and nxt not in _AUX and nxt not in _VERB_NEG:
                out.add(stem(nxt))
                break
    return frozenset(out)


@lru_cache(maxsize=50_000)
def _objects_after(text: str, modal: bool) -> frozenset[str]:
    """The head noun of what follows the verb after each negation (or should-modal): what is
    accepted or refused ("must accept the *ceasefire* in the east")."""
    words = [w.strip(".,;:!?()[]\"“”'’").lower() for w in text.split()]
    out: set[str] = set()
    for i, w in enumerate(words):
        cue = (w in ("should", "must", "ought")) if modal else (
            w in _VERB_NEG or w.endswith("n't"))
        if not cue:
            continue
        rest = [x for x in words[i + 1: i + 10] if x and x not in _AUX and x not in _VERB_NEG]
        phrase: list[str] = []
        for x in rest[1:]:  # the noun phrase after the verb, up to a preposition
            if x in _OBJ_END:
                break
            if x not in _OBJ_SKIP:
                phrase.append(x)
            if len(phrase) >= 5:
                break
        if phrase:
            out.add(stem(phrase[-1]))  # its head: "the new harbour *quota*"
    return frozenset(out)


_OBJ_SKIP = frozenset("a an the any all our their its his her".split())


_OBJ_END = frozenset("of in on at to for with from by before after until during as this that "
                     "these those next and or but under without despite".split())


def _same_predicate(asserted: str, negating: str, modal: bool = False) -> bool:
    """The negated verb is the asserted one: "will not accept X" answers "accepts X", not
    "is ready to discuss X". Only verbal negations are tested ("no vessel" names a thing)."""
    verbs = _verbs_after(negating, False)
    if not verbs:
        return True
    if modal:
        wanted = _verbs_after(asserted, True)
        return not wanted or bool(verbs & wanted)
    return bool(verbs & stems_of(asserted))


def _one_clause(text: str, denial: str, denied: frozenset[str] | set[str],
                shared: list[str]) -> bool:
    """Most of what is denied (all but one stem, at least two) is asserted in one clause of
    ``text``, and that clause and the denying clause share three topic words themselves."""
    need = max(2, len(denied) - 1)
    topic = set(shared)
    negating = [cl for cl in _clause_stems(denial) if cl & denied]
    return any(len(denied & cx) >= need and any(len(cx & cy & topic) >= 3 for cy in negating)
               for cx in _clause_stems(text))


_DENIAL_VERB_AT = re.compile(r"\b(?:den(?:y|ies|ied)|reject\w*|dismiss\w*|refut\w*)\b", re.I)


def _count_denied(fx: Frame, fy: Frame, denying: str) -> bool:
    """The denial names the other claim's count after its verb ("denied reports that the
    strike killed 16 civilians" / "16 civilians were killed"): one event, by its figure."""
    if not fx.figures or not fy.figures:
        return False
    m = _DENIAL_VERB_AT.search(denying)
    if m is None:
        return False
    return any(g.start > m.start() and g.value == f.value and g.noun and g.noun == f.noun
               for g in fy.figures for f in fx.figures)


def _agent(text: str, s: str, at: int) -> bool:
    """Is ``s`` only a name before the state word (who acted: "Norland reimposed"), never
    what the state is of?"""
    pos = 0
    seen_after = False
    for w in text.split():
        i = text.find(w, pos)
        pos = i + len(w)
        word = w.strip(".,;:!?()[]'’“”\"")
        if word and stem(word) == s:
            if i > at or not word[0].isupper():
                seen_after = True
    return not seen_after


_PRONOUN_START = ("it ", "they ", "this ", "that ", "these ", "those ")


def _anaphoric_pair(a: Claim, b: Claim) -> bool:
    """"X called the report thorough ... it was premature": the second claim's subject is a
    pronoun for the thing the first just judged, a sentence or two before."""
    first, second = sorted((a, b), key=lambda c: c.start)
    return (second.text.lower().startswith(_PRONOUN_START)
            and 0 <= second.start - first.end <= 400)


def _distance(text: str, s: str, at: int) -> int:
    best = 10**6
    pos = 0
    for w in text.split():
        i = text.find(w, pos)
        pos = i + len(w)
        if stem(w.strip(".,;:!?()[]'’“”\"")) == s:
            best = min(best, abs(i - at))
    return best


OBJECT_REACH = 60  # characters between a state word and what it is said of
