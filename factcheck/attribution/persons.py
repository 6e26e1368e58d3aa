"""The people an article names: fullest name per person, gender from honorifics and the
article's own pronouns, short forms ("Kerry", "Hillary") joined to full names."""

from __future__ import annotations

from typing import Any

from factcheck.attribution.common import (
    _PERSON_LABELS,
    _PREFIX_GENDER,
    _clean_name,
    _Entity,
    _join_name,
    _norm_token,
)
from factcheck.cues import (
    HONORIFIC_GENDER,
    PERSON_NOUNS,
)


class PersonIndex:
    """A pass of the attributor (mixed into ``core._Attributor``)."""

    # set by core._Attributor
    text: str
    doc: Any

    # ---- persons ------------------------------------------------------------------
    def _ent_words(self, ent: Any) -> tuple[list[str], list[str]]:
        return _clean_name([t.text for t in ent])

    def _collect_persons(self) -> None:
        for ent in self.ents:
            if ent.label_ not in _PERSON_LABELS:
                continue
            if any(self.in_quote[i] >= 0 for i in range(ent.start, ent.end)):
                continue
            titles, words = self._ent_words(ent)
            if not words or not any(w[:1].isupper() for w in words):
                continue
            name = _join_name(words)
            self.name_count[name] = self.name_count.get(name, 0) + 1
            if name not in self.persons:
                gender = None
                for t in titles:
                    gender = HONORIFIC_GENDER.get(t.lower().rstrip("."), gender)
                self.persons[name] = _Entity(name, "person", gender=gender)
                self.person_by_last.setdefault(_norm_token(words[-1]), []).append(name)
            elif self.persons[name].gender is None:
                for t in titles:
                    g = HONORIFIC_GENDER.get(t.lower().rstrip("."))
                    if g:
                        self.persons[name].gender = g
        self._honorific_genders()
        self._infer_genders()

    def _honorific_genders(self) -> None:
        """'Mr. Hale' where the NER left the honorific outside the name: the honorific
        decides the person's gender (over pronoun votes); a surname seen with both 'Mr.'
        and 'Mrs.' (a couple merged into one entity) gets no gender rather than a wrong one."""
        seen: dict[int, tuple[_Entity, set[str]]] = {}
        for ent in self.ents:
            if ent.label_ not in _PERSON_LABELS or ent.start == 0:
                continue
            g = _PREFIX_GENDER.get(self.doc[ent.start - 1].lower_.rstrip("."))
            if g is None or self.in_quote[ent.start] >= 0:
                continue
            _, words = self._ent_words(ent)
            if not words:
                continue
            person = self._canonical_person(_join_name(words))
            seen.setdefault(id(person), (person, set()))[1].add(g)
        for person, genders in seen.values():
            person.gender = next(iter(genders)) if len(genders) == 1 else None

    def _infer_genders(self) -> None:
        """Guess a person's gender from the pronouns the article uses around them: in a
        sentence naming one person only, and the next sentence when it names nobody."""
        votes: dict[int, list[int]] = {}  # id(entity) -> [male, female]
        ents_by_id: dict[int, _Entity] = {}
        prev: _Entity | None = None
        for s0, s1 in self.sents:
            named: dict[int, _Entity] = {}
            male = female = 0
            described = False  # an unnamed person leads the sentence ('A senior officer ...')
            for i in range(s0, s1):
                if self.in_quote[i] >= 0:
                    continue
                tok = self.doc[i]
                low = tok.lower_
                if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ == "NOUN" and (
                        tok.lemma_.lower() in PERSON_NOUNS):
                    described = True
                if low in ("he", "him", "his", "himself"):
                    male += 1
                elif low in ("she", "her", "hers", "herself"):
                    female += 1
                ei = self.ent_of[i]
                if ei >= 0 and self.ents[ei].label_ in _PERSON_LABELS and i == self.ents[ei].start:
                    _, words = self._ent_words(self.ents[ei])
                    if words:
                        ent = self._canonical_person(_join_name(words))
                        named[id(ent)] = ent
            target = None
            has_quote = any(self.in_quote[i] >= 0 for i in range(s0, s1))
            if len(named) == 1:
                target = next(iter(named.values()))
            elif not named and not described and prev is not None and not has_quote:
                # a quote's "she said" is what we want to resolve, not evidence
                target = prev
            if target is not None and (male or female) and not (male and female):
                v = votes.setdefault(id(target), [0, 0])
                v[0 if male else 1] += 1
                ents_by_id[id(target)] = target
            prev = target if len(named) == 1 else (None if named or described else prev)
        for key, (m, f) in votes.items():
            ent = ents_by_id[key]
            if ent.gender is None and m != f:
                ent.gender = "m" if m > f else "f"
                ent.guessed = True

    def _canonical_person(self, name: str) -> _Entity:
        words = name.split()
        normed = [_norm_token(w) for w in words]
        if not words or not normed[-1]:
            return _Entity(name or "?", "unknown")
        best: str | None = None
        cands = self.person_by_last.get(normed[-1], [])
        if len(words) == 1 and not any(len(c.split()) > 1 for c in cands):
            cands = []  # only itself so far: a first name may still match a full name
        if not cands and len(words) == 1:
            # a first name on its own ("Hillary") when exactly one full name starts with it
            cands = [
                n for n in self.persons
                if len(n.split()) > 1 and _norm_token(n.split()[0]) == normed[0]
            ]
            if len(cands) != 1:
                cands = []
        for c in cands:
            cw = {_norm_token(w) for w in c.split()}
            if not set(normed) <= cw:
                continue
            if best is None:
                best = c
                continue
            key = (len(c.split()), self.name_count.get(c, 0))
            if key > (len(best.split()), self.name_count.get(best, 0)):
                best = c
        if best is None:
            ent = self.persons.get(name)
            if ent is None:
                ent = _Entity(name, "person")
                self.persons[name] = ent
                self.person_by_last.setdefault(normed[-1], []).append(name)
            return ent
        return self.persons[best]
