"""What counts as a role: a title or a function ("Foreign Minister", "a spokesman for the
ministry", "the harbour master"), not a relation ("his Syrian counterpart"), an outlet's
possessive ("Radio Norte's") or an adjective ("daily")."""

from __future__ import annotations

import re

from factcheck.cues import PERSON_NOUNS, TITLE_WORDS

# person nouns that say how someone relates to someone else, not what they do
RELATION_NOUNS = frozenset(
    "counterpart friend ally colleague man woman person people member supporter critic "
    "opponent citizen voter resident".split()
)
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "eer", "man", "woman", "person")
ABBREVIATIONS = {
    "gov": "governor", "sen": "senator", "rep": "representative", "gen": "general",
    "sec": "secretary", "pres": "president", "lt": "lieutenant", "col": "colonel",
    "capt": "captain", "cmdr": "commander", "adm": "admiral", "sgt": "sergeant",
    "maj": "major", "insp": "inspector", "supt": "superintendent", "amb": "ambassador",
}
_WORD_RE = re.compile(r"[\w’'-]+")


def role_words(role: str | None) -> set[str]:
    """Lower-cased words of a role, abbreviations expanded ('Col.' -> colonel)."""
    if not role:
        return set()
    words = {w.strip(".,’'").lower() for w in _WORD_RE.findall(role)}
    words = {w[:-2] if w.endswith(("'s", "’s")) else w for w in words}
    return {ABBREVIATIONS.get(w, w) for w in words}


def function_word(word: str) -> bool:
    """A word naming a title or function (not a relation)."""
    w = ABBREVIATIONS.get(word.lower().strip(".,"), word.lower().strip(".,"))
    if w in RELATION_NOUNS:
        return False
    if w in TITLE_WORDS or w in PERSON_NOUNS:
        return True
    # agent nouns ('harbour master', 'farmer'); a capitalised '-ian' word is a nationality
    return len(w) > 4 and w.endswith(_AGENT_SUFFIXES) and w.isalpha() and word[:1].islower()


def is_role(role: str | None) -> bool:
    """Does ``role`` hold a title or function word? Relations and bare adjectives do not."""
    if not role:
        return False
    words = [w.strip(".,’'") for w in _WORD_RE.findall(role)]
    words = [w for w in words if w and not w.endswith(("'s", "’s"))]
    return any(function_word(w) for w in words)
