"""Claim extraction: checkable statements from quotes and from the reporter's own sentences.

A claim is a clause with its offsets into ``Article.text``, who asserts it (the quote's
speaker, the subject of a reported-speech verb, or ``None`` for the outlet's own voice),
and the time it is about. ``Claim.data`` carries the analysis the cross-checker uses:

- ``entities``: normalised keys (``S-300`` = ``S300`` = ``S 300`` -> ``s300``; "Moscow",
  "Russian" -> ``russia``) and ``labels`` (key -> a display form);
- ``events``: event frames with polarity ("suspended deliveries" -> supply, -1);
- ``scales``: predicative evaluative adjectives ("are defensive weapons" -> threat, -1);
- ``numbers``: figures with hedge interval, unit and the quantity they count
  (``killed|conflict|syria``);
- ``denial``: for "X denied that", the offsets of the denied claim; for "X denied that Y",
  ``clause`` (the content's polarity is already flipped);
- ``time``: how ``claim_time`` was found (expression, or the publication date).

The extractor is a pure function of the text and the spaCy parse, so it can run anywhere.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from . import lexicons as lx
from .records import Article, Claim, Quote
from .timeexpr import find_times, shift

MIN_WORDS = 4  # shorter spans are rarely checkable statements

_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "LAW"}
# Model designations: S-300, S300, "S 300", F-16, MiG-29, Su-24.
_DESIGNATION = re.compile(r"\b([A-Z][A-Za-z]{0,3})[- ]?(\d{2,4}[A-Z]?)(?:s)?\b")
_WORD = re.compile(r"[A-Za-z0-9]")
_CONTENT_DEPS = {"ccomp", "parataxis"}
_PRONOUNS = {"he", "she", "they", "it", "we", "i", "who", "that", "which"}


# --- entity keys ---------------------------------------------------------------------------


def entity_key(text: str) -> str:
    """Normalise an entity mention: ``"the S-300"`` and ``"S300"`` give the same key."""
    t = text.strip().lower()
    t = re.sub(r"['’]s$", "", t)
    for prefix in lx.ENTITY_PREFIXES:
        if t.startswith(prefix):
            t = t[len(prefix):]
    key = re.sub(r"[^0-9a-z]+", "", t)
    return lx.COUNTRY_ALIASES.get(key, key)


def person_key(text: str) -> str:
    """Key a person by surname, so "Bashar al-Assad", "President Assad" and "Assad's" meet."""
    toks = [t for t in re.split(r"\s+", text.strip()) if t]
    if not toks:
        return ""
    last = re.sub(r"['’]s$", "", toks[-1])
    low = last.lower()
    for particle in lx.NAME_PARTICLES:
        if low.startswith(particle) and len(low) > len(particle) + 2:
            last = last[len(particle):]
            break
    return entity_key(last)


def designations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, key) of model designations like S-300 / F-16 in ``text``."""
    out = []
    for m in _DESIGNATION.finditer(text):
        letters, digits = m.group(1), m.group(2)
        if len(digits) == 4 and digits[:2] in ("19", "20") and not letters.isupper():
            continue  # "In 2016" is a year, not a designation
        if letters.lower() in {"in", "on", "at", "by", "of", "to", "the", "and", "since"}:
            continue
        out.append((m.start(), m.end(), (letters + digits).lower()))
    return out


# --- helpers over the parse ------------------------------------------------------------------


def _words(text: str) -> int:
    return sum(1 for w in text.split() if _WORD.search(w))


def _in_ranges(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _overlap(start: int, end: int, ranges: list[tuple[int, int]]) -> int:
    return sum(max(0, min(end, e) - max(start, s)) for s, e in ranges)


def _negated(tok: Any) -> bool:
    """True when ``tok`` (or the auxiliary chain above it) carries a negation."""
    for child in tok.children:
        if child.dep_ == "neg" or child.lower_ in lx.NEGATORS:
            return True
    # "no deliveries", "without delivering"
    if tok.head is not tok and tok.head.lower_ in ("without",):
        return True
    return False


def _polarity(tok: Any) -> int:
    """+1 / -1 for the event at ``tok`` after negation and negating heads."""
    pol = -1 if _negated(tok) else 1
    node = tok
    # "refused to deliver", "failed to withdraw": the head negates its complement.
    for _ in range(3):
        head = node.head
        if head is node:
            break
        if node.dep_ in ("xcomp", "dobj", "pobj", "prep") and head.lemma_.lower() in (
            lx.NEGATING_HEADS
        ):
            pol = -pol
            break
        if node.dep_ not in ("xcomp", "prep", "pobj"):
            break
        node = head
    return pol


def _irrealis(tok: Any) -> bool:
    """Is the event at ``tok`` only wished for, requested or hypothetical?"""
    node = tok
    for _ in range(4):
        if any(c.dep_ == "aux" and c.lower_ in lx.HYPOTHETICAL_MODALS for c in node.children):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in node.children):
            return True
        if node is not tok and node.lemma_.lower() in lx.IRREALIS_HEADS:
            return True
        if node.head is node:
            break
        node = node.head
    return False


def _linked(tok: Any, nouns: frozenset[str]) -> bool:
    """Is one of ``nouns`` an argument of ``tok`` (or ``tok``'s head, for adjectives)?"""
    near = [tok.head, *tok.children]
    for c in tok.children:
        if c.dep_ in ("prep", "xcomp", "acomp", "attr", "dobj"):
            near += list(c.children)
            near += [g for gc in c.children if gc.dep_ == "prep" for g in gc.children]
    if tok.head.pos_ in ("AUX", "VERB") and tok.dep_ in ("acomp", "attr", "pobj"):
        near += [c for c in tok.head.children if c.dep_.startswith("nsubj")]
    return any(n.lemma_.lower() in nouns or n.lower_ in nouns for n in near)


def _phrasal_lemma(tok: Any) -> str:
    lemma = tok.lemma_.lower()
    parts = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    if parts:
        return f"{lemma} {parts[0]}"
    if lemma == "move" and any(c.lower_ == "into" for c in tok.children):
        return "move into"
    return lemma


class _Analyzer:
    """Per-article state: the parse, names seen, the article's main place."""

    def __init__(self, article: Article, quotes: list[Quote], doc: Any) -> None:
        self.article = article
        self.quotes = quotes
        self.doc = doc
        # Doc.text joins every token and Span.ents walks every entity of the Doc: both are
        # read once here, not once per claim (that made extraction quadratic in the text).
        self.text = doc.text
        self.ents = tuple(doc.ents)
        self._ent_starts = [e.start for e in self.ents]
        self.excluded = list(article.excluded)
        self.names: list[str] = [q.speaker.name for q in quotes if q.speaker and q.speaker.name]
        places: Counter[str] = Counter()
        for ent in self.ents:
            if _in_ranges(ent.start_char, ent.end_char, self.excluded):
                continue
            if ent.label_ in ("PERSON", "ORG"):
                self.names.append(ent.text)
            if ent.label_ in ("GPE", "NORP"):
                key = entity_key(ent.text)
                if key in lx.COUNTRY_ALIASES.values():
                    places[key] += 1
        # The article's main countries say where "the war" of a figure is when it names none.
        self.places = [k for k, _ in places.most_common(2)]
        self.doc_freq: Counter[str] = Counter()

    def ents_in(self, span: Any) -> list[Any]:
        """``span.ents`` (the entities wholly inside ``span``) without a walk of the Doc."""
        i = bisect.bisect_left(self._ent_starts, span.start)
        out = []
        while i < len(self.ents) and self.ents[i].end <= span.end:
            out.append(self.ents[i])
            i += 1
        return out

    def ents_at(self, i: int) -> list[Any]:
        """The entity holding token ``i`` (a list of at most one)."""
        j = bisect.bisect_right(self._ent_starts, i) - 1
        return [self.ents[j]] if j >= 0 and i < self.ents[j].end else []

    # --- speakers -----------------------------------------------------------------------

    def full_name(self, surface: str) -> str:
        """The fullest form of a name found in the article ("Putin" -> "Vladimir Putin")."""
        surface = surface.strip()
        last = surface.split()[-1].lower() if surface.split() else ""
        best = surface
        for name in self.names:
            toks = name.split()
            if toks and toks[-1].lower().strip("’'s") == last and len(name) > len(best):
                if surface.lower() in name.lower():
                    best = name
        return best

    def speaker_of(self, verb: Any, last_speaker: str | None) -> str | None:
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            if verb.dep_ == "conj":
                return self.speaker_of(verb.head, last_speaker)
            return None
        if subj.lower_ in _PRONOUNS:
            return last_speaker
        s_start = subj.left_edge.idx
        s_end = subj.right_edge.idx + len(subj.right_edge)
        # The attributor's mention, when it named this subject, is the best name.
        for q in self.quotes:
            m = q.speaker
            if m and m.name and m.start is not None and m.end is not None and (
                s_start <= m.start < s_end
            ):
                return m.name
        ents = self.ents_at(subj.i)
        if ents and (ents[0].label_ == "PERSON" or subj.pos_ == "PROPN"):
            return self.full_name(_clean_surface(ents[0].text))
        # A description: the head noun with its modifiers ("Senior Israeli sources",
        # "the government of Ostrava"), not its appositions or relative clauses.
        toks = [t for t in subj.subtree if t.i <= subj.i and t.dep_ not in ("det", "punct")]
        end = subj.i + 1
        for c in subj.children:
            if c.dep_ == "prep" and c.i > subj.i and c.right_edge.i - subj.i <= 4:
                end = c.right_edge.i + 1
        text = self.doc[toks[0].i if toks else subj.i: end].text
        return _clean_surface(text)

    # --- analysis of one claim span -------------------------------------------------------

    def analyse(self, span: Any, start: int, end: int) -> dict[str, Any]:
        text = self.text
        entities: dict[str, str] = {}
        for ent in self.ents_in(span):
            if ent.label_ in _ENTITY_LABELS:
                key = entity_key(ent.text)
                if key and not key.isdigit():
                    entities.setdefault(key, ent.text)
                if ent.label_ == "PERSON" and len(ent) > 1:
                    sur = person_key(ent.text)
                    if len(sur) > 2 and sur not in lx.GENERIC_ENTITY_KEYS:
                        entities.setdefault(sur, ent.text)
        for s, e, key in designations(text[start:end]):
            entities[key] = text[start + s: start + e]
        lemmas = {t.lemma_.lower() for t in span}
        lower = {t.lower_ for t in span}
        events = self._events(span, lemmas | lower)
        for ev in events:
            if ev.get("name"):  # the holder of an office is what a tenure claim is about
                entities.setdefault(ev["agent"], ev.pop("name"))
        scales = self._scales(span)
        numbers = self._numbers(span)
        return {
            "entities": sorted(entities),
            "labels": entities,
            "events": events,
            "scales": scales,
            "numbers": numbers,
            "places": self.places,
        }

    def _agent(self, tok: Any, span: Any) -> str | None:
        """Who does the event: its subject if inside the claim, else the last named actor
        before it in the claim (parses of long news sentences misplace subjects). A noun or
        a subjectless verb ("weeks after declaring a withdrawal") takes the subject of the
        clause it hangs from."""
        node = tok
        for _ in range(4):
            for c in node.children:
                if c.dep_ == "nsubj" and span.start <= c.i < span.end:
                    if c.lower_ in _PRONOUNS:
                        return None
                    # Only named actors count: "the army" and "rebel units" may be anyone.
                    ents = [e for e in self.ents_in(span) if e.start <= c.i < e.end]
                    return _ent_key(ents[0]) or None if ents else None
            # Climb only where the subject is shared: the object of a subjectless verb,
            # an xcomp, a gerund after a preposition ("after declaring").
            if node.dep_ == "dobj" and node.head.lemma_.lower() in lx.EVENT_LIGHT_VERBS:
                node = node.head
            elif node.dep_ == "xcomp":
                node = node.head
            elif node.dep_ == "pcomp" and node.head.dep_ == "prep" and node.head.head.pos_ in (
                "VERB", "AUX"
            ):
                node = node.head.head
            else:
                break
        actors = [e for e in self.ents_in(span) if e.end <= tok.i and e.label_ in
                  ("PERSON", "ORG", "GPE", "NORP")]
        if actors and tok.pos_ == "VERB":
            return _ent_key(actors[-1]) or None
        return None

    def _lead(self, tok: Any) -> dict[str, Any] | None:
        """"weeks after declaring a withdrawal": the withdrawal is earlier than the clause.

        Returns ``{"dir": -1 | 1, "unit": ..., "n": ...}`` (unit/n None when not said)."""
        node = tok
        for _ in range(4):
            if node.head is node:
                return None
            prev, node = node, node.head
            word = node.lower_
            if node.pos_ == "ADP" and prev.dep_ in ("pcomp", "pobj") and (
                word in lx.EARLIER_MARKERS or word in lx.LATER_MARKERS
            ):
                out: dict[str, Any] = {"dir": -1 if word in lx.EARLIER_MARKERS else 1,
                                       "unit": None, "n": None}
                # "weeks" hangs from the marker or, as often, from the main verb.
                near = [c for c in node.children if c.dep_ == "npadvmod"]
                if node.i > 0:
                    near.append(node.nbor(-1))
                for c in near:
                    if c.lower_ in lx.LEAD_UNITS:
                        out["unit"] = lx.LEAD_UNITS[c.lower_]
                        nums = [_number_value(g) for g in c.children if g.dep_ == "nummod"]
                        out["n"] = int(nums[0]) if nums and nums[0] else None
                        break
                return out
            if node.dep_ in ("ccomp", "relcl", "ROOT"):
                return None
        return None

    def _roles(self, span: Any) -> list[dict[str, Any]]:
        """A person's place in a government, as ``tenure`` events (see the lexicon)."""
        out = []
        for tok in span:
            lemma = tok.lemma_.lower()
            head = tok.head
            holder = pol = None
            if lemma in lx.MEMBERSHIP_NOUNS and tok.dep_ in ("attr", "dobj") and (
                head.lemma_.lower() in ("be", "remain", "stay", "have", "play")
            ):
                bodies = [g for c in tok.children if c.dep_ == "prep" and c.lower_ in
                          ("of", "in") for g in c.children if g.dep_ == "pobj"
                          and g.lemma_.lower() in lx.GOVERNING_BODIES]
                if not bodies:
                    continue
                holder = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")),
                              None)
                neg = _negated(head) or any(c.lower_ == "no" for c in tok.children)
                pol = -1 if neg else 1
                word = f"{'not ' if neg else ''}{lemma} of the {bodies[0].lemma_.lower()}"
            elif lemma in lx.OFFICE_NOUNS and tok.dep_ in ("nsubj", "nsubjpass") and (
                head.lemma_.lower() in ("be", "remain")
            ):
                preds = [c for c in head.children if c.dep_ in ("acomp", "attr") and c.i > tok.i]
                if not preds:
                    continue
                pred = re.sub(r"\s*-\s*", "-", span.doc[preds[0].i: preds[-1].i + 1].text
                              .lower())
                value = lx.OFFICE_PREDICATES.get(pred)
                if value is None:
                    continue
                holder = next((c for c in tok.children if c.dep_ == "poss"), None)
                pol = -value if _negated(head) else value
                word = f"{lemma} {pred}"
            else:
                continue
            if holder is None or _modal_only(head):
                continue
            ents = [e for e in self.ents_in(span) if e.start <= holder.i < e.end
                    and e.label_ in ("PERSON", "ORG", "NORP", "GPE")]
            if ents:
                agent, name = _ent_key(ents[0]), ents[0].text
            elif holder.pos_ == "PROPN":  # a name the tagger missed ("Kovac's post")
                name = " ".join(t.text for t in holder.subtree
                                if t is holder or t.dep_ in ("compound", "flat"))
                agent = person_key(name)
            else:
                continue
            if agent:
                out.append({"frame": "tenure", "polarity": pol, "lemma": word,
                            "agent": agent, "at": tok.idx, "name": name})
        return out

    def _events(self, span: Any, words: set[str]) -> list[dict[str, Any]]:
        events = []
        for tok in span:
            if tok.pos_ not in ("VERB", "NOUN", "ADJ", "AUX") or tok.dep_ == "compound":
                continue
            if _irrealis(tok):
                continue  # asked to cancel, would prefer not to supply, could send: no fact
            lemma = _phrasal_lemma(tok)
            if lemma in lx.STOPPERS or tok.lemma_.lower() in lx.STOPPERS:
                # "suspended deliveries": the object's frame, negated.
                objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
                objs += [g for c in tok.children if c.dep_ == "prep" for g in c.children
                         if g.dep_ == "pobj"]
                found = False
                for obj in objs:
                    for frame, pol in lx.EVENT_FRAMES.get(obj.lemma_.lower(), []):
                        events.append(self._event(frame, -pol * _polarity(tok), tok, lemma, span))
                        found = True
                if found:
                    continue
            frames = lx.EVENT_FRAMES.get(lemma) or lx.EVENT_FRAMES.get(tok.lemma_.lower(), [])
            if tok.pos_ == "NOUN" and tok.head.lemma_.lower() in lx.STOPPERS:
                continue  # handled with its stopper
            if any(f == "supply" for f, _ in frames) and any(
                c.dep_ == "dobj" and lx.THEME_CLASSES.get(c.lemma_.lower()) == "forces"
                for c in tok.children
            ):
                frames = [("presence", 1)]  # "sent troops into": a deployment, not a sale
            for frame, pol in frames:
                nouns = lx.FRAME_NOUNS.get(frame)
                if nouns:
                    # "agree", "end", "hold" say something about a truce or talks only when
                    # the truce or the talks are what they govern.
                    if not (nouns & words) or not _linked(tok, nouns):
                        continue
                elif tok.pos_ == "NOUN" and frame not in ("supply", "presence"):
                    continue  # nouns name events reliably only for transfers / deployments
                events.append(self._event(frame, pol * _polarity(tok), tok, lemma, span))
        roles = self._roles(span)
        # A role statement replaces the looser verb reading of the same words ("remain").
        events = [e for e in events if not (e["frame"] == "tenure" and roles)] + roles
        return events

    def _event(self, frame: str, pol: int, tok: Any, lemma: str, span: Any) -> dict[str, Any]:
        ev = {"frame": frame, "polarity": pol, "lemma": lemma,
              "agent": self._agent(tok, span), "at": tok.idx}
        lead = self._lead(tok)
        if lead is not None:
            ev["lead"] = lead
        return ev

    def _scales(self, span: Any) -> list[dict[str, Any]]:
        out = []
        for tok in span:
            word = tok.lower_
            if tok.i >= 2 and tok.nbor(-1).text == "-" and tok.nbor(-2).lower_ == "non":
                word = f"non-{word}"  # the parser splits "non-negotiable" in three
            if word not in lx.SCALES:
                continue
            # Only predicative uses evaluate something ("the missiles are destabilizing",
            # "are defensive weapons"); "defensive systems" as a name of a category does not.
            if tok.dep_ in ("acomp", "attr", "oprd"):
                pred = tok
            elif tok.dep_ == "amod" and tok.head.dep_ in ("attr", "conj", "oprd", "acomp"):
                pred = tok.head
            else:
                continue
            scale, value = lx.SCALES[word]
            neg = _negated(pred) or _negated(pred.head) if pred.dep_ != "conj" else _negated(pred)
            if pred.dep_ in ("acomp", "attr") and _negated(pred.head):
                neg = True
            if pred.dep_ == "conj":
                neg = False  # "not offensive, but defensive": the negation is the first conjunct's
            out.append({"scale": scale, "value": -value if neg else value, "word": word,
                        "theme": self._theme(pred)})
        return out

    def _theme(self, pred: Any) -> str | None:
        """What a predicative adjective is said of: the copula's subject, classed."""
        verb = pred
        while verb.dep_ in ("attr", "acomp", "conj", "oprd", "amod") and verb.head is not verb:
            verb = verb.head
            if verb.pos_ in ("AUX", "VERB"):
                break
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        words = [t.lemma_.lower() for t in subj.subtree] if subj is not None else []
        words += [pred.lemma_.lower()]
        for w in words:
            if w in lx.THEME_CLASSES:
                return lx.THEME_CLASSES[w]
        return None

    def _numbers(self, span: Any) -> list[dict[str, Any]]:
        out = []
        skip_ents = {"DATE", "TIME", "ORDINAL"}
        for tok in span:
            if tok.ent_type_ in skip_ents:
                continue
            value = _number_value(tok)
            if value is None:
                continue
            nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
            if nxt is not None and nxt.lower_ in lx.MULTIPLIERS and nxt.i < span.end:
                value *= lx.MULTIPLIERS[nxt.lower_]
            if tok.head.lower_ in lx.MULTIPLIERS and tok.dep_ in ("compound", "nummod", "quantmod"):
                continue  # the multiplier word carries the figure
            if "-" in tok.text and not tok.like_num:
                continue  # "two-and-a-half", "six-point"
            nxt_is_hyphen = nxt is not None and nxt.text == "-"
            if nxt_is_hyphen:
                continue  # "2-year-old", "five-year war": an attribute, not a count
            low, high = _hedge(tok, value)
            unit, measure, counter_tok = _unit_and_measure(tok)
            if measure is None and unit is None:
                continue
            subject = _killer(counter_tok) if measure in ("killed", "injured", "displaced",
                                                          "casualties") else None
            if measure == "killed" and subject not in lx.CONFLICT_NOUNS and any(
                t.lemma_.lower() in lx.CONFLICT_NOUNS and t.i < tok.i for t in span
            ) and not any(t.lemma_.lower() in lx.THEME_CLASSES for t in span if t.i < tok.i):
                subject = "war"  # the parse lost the subject; the clause names the war
            key_subject = "conflict" if subject in lx.CONFLICT_NOUNS else (subject or "?")
            key = f"{measure or unit}|{key_subject}"
            out.append({"value": value, "low": low, "high": high, "unit": unit,
                        "measure": measure or unit, "subject": subject, "key": key,
                        "text": tok.text})
        return out


def _ent_key(ent: Any) -> str:
    """An entity's key; people by surname, so agents match across articles."""
    return person_key(ent.text) if ent.label_ == "PERSON" else entity_key(ent.text)


def _modal_only(verb: Any) -> bool:
    """"could be part of", "might remain": possibilities, not positions."""
    return any(c.dep_ == "aux" and c.lower_ in ("could", "might", "may") for c in verb.children)


def _clean_surface(text: str) -> str:
    text = text.strip().strip("“”\"'‘’,.:;()[]- ").strip()
    return re.sub(r"^(the|a|an)\s+", "", text, flags=re.I)


def _number_value(tok: Any) -> float | None:
    text = tok.text.lower().replace(",", "")
    if tok.like_num and re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in lx.NUMBER_WORDS and tok.pos_ in ("NUM", "NOUN"):
        if text in ("one", "a"):
            return None  # "one" is too often a pronoun
        return float(lx.NUMBER_WORDS[text])
    return None


def _hedge(tok: Any, value: float) -> tuple[float, float]:
    doc = tok.doc
    before = doc[max(0, tok.i - 3): tok.i].text.lower()
    for hedge, (lo, hi) in lx.HEDGES.items():
        if before.endswith(hedge):
            return value * lo, value * hi if hi != float("inf") else float("inf")
    return value * 0.97, value * 1.03


def _unit_and_measure(tok: Any) -> tuple[str | None, str | None, Any]:
    """The unit a figure counts, the quantity it measures, and the token that governs it."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and (nxt.text == "%" or nxt.lower_ in ("percent", "per", "pct")):
        return "percent", None, tok
    unit_tok = None
    if tok.dep_ in ("nummod", "quantmod", "amod", "compound") and tok.head.pos_ in ("NOUN",
                                                                                      "PROPN"):
        unit_tok = tok.head
    unit = measure = None
    if unit_tok is not None:
        lemma = unit_tok.lemma_.lower()
        unit = lx.UNIT_ALIASES.get(lemma, lemma)
        measure = lx.MEASURES.get(unit_tok.lower_) or lx.MEASURES.get(lemma)
    gov = unit_tok if unit_tok is not None else tok
    if measure is None:
        # "killed 70,000", "claimed 100,000 lives", "a death toll of 250,000"
        head = gov.head
        for cand in (head, head.head if head.dep_ == "prep" else None):
            if cand is None or cand is gov:
                continue
            lemma = cand.lemma_.lower()
            if lemma == "claim":
                if unit_tok is not None and unit_tok.lemma_.lower() in ("life", "live"):
                    measure = "killed"
                break
            measure = lx.MEASURES.get(lemma) or lx.MEASURES.get(cand.lower_)
            if measure:
                break
    if measure in ("killed", "injured", "displaced", "casualties", "detained", "hostages") and (
        unit not in ("troops", "fighters")
    ):
        unit = "people"
    return unit, measure, gov


def _killer(tok: Any) -> str | None:
    """The subject of the verb governing a casualty figure: "a war that has killed ..."."""
    node = tok
    for _ in range(3):
        if node.pos_ in ("VERB", "AUX"):
            break
        node = node.head
    subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return None
    if subj.lower_ in ("that", "which", "who"):
        # "a conflict that the UN says has killed": climb to the relative clause's noun.
        climb = node
        for _ in range(3):
            if climb.dep_ == "relcl":
                return climb.head.lemma_.lower()
            climb = climb.head
        return None
    return subj.lemma_.lower()


# --- segmentation ------------------------------------------------------------------------


class _Frame:
    """A reported-speech frame in a sentence: "Putin said last week", "Muqdad denied that"."""

    def __init__(self, verb: Any, start: int, end: int, content: tuple[int, int] | None,
                 denial: str | None) -> None:
        self.verb = verb
        self.start = start  # token indices [start, end)
        self.end = end
        self.content = content
        self.denial = denial  # None | "anaphoric" | "clause"
        self.tails: list[tuple[int, int]] = []  # ", with turnout at 52.3 per cent"


def _frames(sent: Any, covered: list[tuple[int, int]]) -> list[_Frame]:
    frames = []
    for tok in sent:
        if tok.pos_ != "VERB" or tok.lemma_.lower() not in lx.SPEECH_VERBS:
            continue
        if _in_ranges(tok.idx, tok.idx + len(tok), covered):
            continue  # speech inside a quote belongs to the quote's claim
        has_subj = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) or (
            tok.dep_ == "conj" and any(c.dep_ == "nsubj" for c in tok.head.children)
        )
        if not has_subj:
            continue
        lemma = tok.lemma_.lower()
        comps = [c for c in tok.children if c.dep_ in _CONTENT_DEPS]
        # A parse that hangs the quote before the sentence on this verb ("...," and then
        # "The mission said its count showed ..."): the content is the clause in this piece.
        inside = [c for c in comps if sent.start <= c.i < sent.end
                  and not _in_ranges(c.idx, c.idx + len(c), covered)]
        if inside and inside[0] is not comps[0]:
            comps = inside
        # "the board announced on Monday, with turnout at 52.3 per cent": a figure
        # hung on the speech verb is part of what is said, not of the frame.
        tails = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                 and c.i > tok.i and c.i > 0 and c.nbor(-1).text == ","
                 and any(t.like_num for t in c.subtree)]
        other = [c for c in tok.children if c.dep_ not in _CONTENT_DEPS | {"conj", "cc"}
                 and not (c.dep_ == "punct" and c.i > tok.i)
                 and not (c.dep_ == "advcl" and c.i > tok.i) and c not in tails]
        idx = [tok.i] + [t.i for c in other for t in c.subtree]
        f_start, f_end = min(idx), max(idx) + 1
        denial = None
        content: tuple[int, int] | None = None
        if comps:
            comp = comps[0]
            c_start, c_end = comp.left_edge.i, comp.right_edge.i + 1
            if c_start > tok.i:
                f_end = min(f_end, c_start)
            content = (max(c_start, f_end) if c_start > tok.i else c_start, c_end)
            if lemma in lx.DENIAL_VERBS:
                denial = "clause"
        elif tok.dep_ in ("advcl", "parataxis") and tok.head.i > tok.i and tok.head.pos_ in (
            "VERB", "AUX"
        ):
            # A mis-parse common in news: "although Putin said last week Moscow had
            # suspended ..." hangs "said" under "suspended". The content is the rest of the
            # head's clause after the frame.
            content = (f_end, tok.head.right_edge.i + 1)
        elif tok.dep_ in ("parataxis", "ccomp") and tok.head.i < tok.i and tok.head.pos_ in (
            "VERB", "AUX"
        ) and lemma not in lx.DENIAL_VERBS and not (
            tok.dep_ == "ccomp" and tok.head.lemma_.lower() in lx.SPEECH_VERBS
        ):  # "the mission said its count indicated ...": reported by "said", not a frame
            # "X visited Y on Tuesday, officials said": the content precedes the frame.
            content = (tok.head.left_edge.i, f_start)
        elif lemma in lx.DENIAL_VERBS:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if objs and objs[0].lemma_.lower() in lx.ANAPHORIC_OBJECTS | {"that", "this", "it"}:
                denial = "anaphoric"
            elif not objs:
                denial = "anaphoric"
        else:
            continue
        if content is not None and content[0] < f_start and content[1] > f_start:
            content = (content[0], f_start)
        # Keep everything inside this sentence piece.
        f_start, f_end = max(f_start, sent.start), min(f_end, sent.end)
        if content is not None:
            content = (max(content[0], sent.start), min(content[1], sent.end))
            if content[1] <= content[0]:
                content = None
        if f_end <= f_start:
            continue
        frame = _Frame(tok, f_start, f_end, content, denial)
        frame.tails = [(c.i, c.right_edge.i + 1) for c in tails
                       if sent.start <= c.i and c.right_edge.i < sent.end]
        frames.append(frame)
    frames.sort(key=lambda f: f.start)
    return frames


def _pieces(doc: Any) -> Iterator[Any]:
    """Sentences, cut at line breaks: headlines and bylines are not part of the lede."""
    for sent in doc.sents:
        pos = sent.start_char
        for line in re.split(r"(\n+)", sent.text):
            if line and not line.startswith("\n") and line.strip():
                piece = doc.char_span(pos, pos + len(line), alignment_mode="contract")
                if piece is not None and len(piece):
                    yield piece
            pos += len(line)


def _trim(doc: Any, start: int, end: int) -> tuple[int, int]:
    """Drop punctuation, conjunctions and subordinators at the edges of a token range."""
    while start < end and (doc[start].dep_ in ("cc", "mark", "punct") or doc[start].is_punct
                           or doc[start].lower_ in ("that", "and", "but")):
        start += 1
    while end > start and (doc[end - 1].pos_ in {"CCONJ", "SCONJ"} or doc[end - 1].is_punct
                           and doc[end - 1].text not in ("”", '"', ")", "]")):
        end -= 1
    return start, end


def _split_coordinated(doc: Any, start: int, end: int) -> list[tuple[int, int]]:
    """Split "A did X, and in 2016 B did Y" into its independent clauses."""
    cuts = []
    for tok in doc[start:end]:
        if (tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX") and start <= tok.head.i < end
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children)):
            left = tok.left_edge.i
            if start < left < end:
                cuts.append(left)
    bounds = [start] + sorted(set(cuts)) + [end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _future_verb(tok: Any) -> bool:
    """Is the verb governing ``tok`` in the future tense ("will on Friday assess")?"""
    node = tok
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX"):
            break
        if node.head is node:
            return False
        node = node.head
    return any(c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo") for c in
               node.children)


def _times(doc: Any, text: str, start: int, end: int, published: str | None) -> list[Any]:
    """Resolved time expressions in ``text[start:end]``, each with its own tense."""
    past = find_times(text[start:end], published, False)
    future = find_times(text[start:end], published, True)
    out = []
    for rp, rf in zip(past, future):
        span = doc.char_span(start + rp.start, start + rp.end, alignment_mode="expand")
        if rp.granularity == "year" and span is not None and span.root.dep_ in (
            "compound", "nummod", "amod", "poss", "nmod"
        ):
            continue  # "the 1998 treaty", "Syria's 2011 uprising": a name, not the claim's time
        out.append(rf if span is not None and _future_verb(span.root) else rp)
    return [t for t in out if t.iso]


# How far back "days / weeks / months / years after" reaches when no number is given, in
# the unit it is best expressed in (weeks -> the month before).
_LEAD_DEFAULTS = {"day": ("day", 3), "week": ("month", 1), "month": ("month", 3),
                  "year": ("year", 2)}


def _lead_time(claim_time: str | None, lead: dict[str, Any]) -> str | None:
    """The time of an event said to be ``lead`` before/after the claim's own time."""
    unit, n = lead.get("unit"), lead.get("n")
    if unit is None:
        return None
    if n:
        unit, n = ("day", 7 * n) if unit == "week" else (unit, n)
    else:
        unit, n = _LEAD_DEFAULTS[unit]
    return shift(claim_time, unit, n * int(lead["dir"]))


def _has_verb(span: Any) -> bool:
    return any(t.pos_ in ("VERB", "AUX") for t in span)


# --- the extractor ---------------------------------------------------------------------------


def extract_claims(article: Article, quotes: list[Quote], doc: Any | None = None) -> list[Claim]:
    """Claims of ``article``: one per quote sentence and per reported or reporter clause.

    ``doc`` is the spaCy parse of ``article.text`` (the attributor's, to avoid parsing
    twice); it is parsed here when not given.
    """
    if doc is None:
        from .nlp import load_spacy

        doc = load_spacy()(article.text)
    an = _Analyzer(article, quotes, doc)
    text = article.text
    claims: list[Claim] = []
    covered: list[tuple[int, int]] = []  # spans of full quotes, claimed via the quote
    speaker_at: list[tuple[int, str]] = []  # (offset, speaker) for resolving "he said"

    def make(start: int, end: int, speaker: str | None, *, quote_index: int | None = None,
             frame: tuple[int, int] | None = None, extra: dict[str, Any] | None = None,
             flip: bool = False, analyse_range: tuple[int, int] | None = None) -> Claim | None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if _in_ranges(start, end, an.excluded) or end <= start:
            return None
        a_start, a_end = analyse_range or (start, end)
        span = doc.char_span(a_start, a_end, alignment_mode="expand")
        if span is None:
            return None
        data = an.analyse(span, a_start, a_end)
        if flip:
            for ev in data["events"]:
                ev["polarity"] = -ev["polarity"]
            for sc in data["scales"]:
                sc["value"] = -sc["value"]
            data["negated_by_denial"] = True
        if extra:
            data.update(extra)
        if speaker is None:
            # A clause carrying someone's quoted words ("adding that talks were "going
            # nowhere"") reports that speaker, not the outlet.
            near = [quotes[quote_index]] if quote_index is not None else [
                q for q in quotes if q.start < end and q.end > start]
            speaker = next((q.speaker.name for q in near
                            if q.speaker and q.speaker.kind != "unknown"), None)
        data["speaker"] = speaker  # kept in data too: the store may not know every speaker
        times = _times(doc, text, a_start, a_end, article.published)
        if not times and frame is not None:
            times = _times(doc, text, frame[0], frame[1], article.published)
        if times:
            claim_time = times[0].iso
            data["time"] = {"expr": times[0].surface, "granularity": times[0].granularity}
        else:
            claim_time = article.published
            data["time"] = {"expr": None, "granularity": "published"}
        for ev in data["events"]:
            lead = ev.get("lead")
            if lead:
                ev["time"] = _lead_time(claim_time, lead)
        claim = Claim(text=text[start:end], start=start, end=end, article_id=article.id,
                      speaker=speaker, quote_index=quote_index, claim_time=claim_time,
                      data=data)
        claims.append(claim)
        return claim

    # 1. Full quotes: one claim per sentence inside the quote.
    sents = list(doc.sents) if quotes else []
    sent_ends = [sent.end_char for sent in sents]
    for qi, q in enumerate(quotes):
        if q.partial or _words(q.text) < MIN_WORDS or _in_ranges(q.start, q.end, an.excluded):
            continue
        speaker = q.speaker.name if q.speaker and q.speaker.kind != "unknown" else None
        covered.append((q.start, q.end))
        if speaker:
            speaker_at.append((q.start, speaker))
        # Only the sentences the quote overlaps (not every sentence per quote).
        for si in range(max(0, bisect.bisect_right(sent_ends, q.start)), len(sents)):
            sent = sents[si]
            if sent.start_char >= q.end:
                break
            s, e = max(sent.start_char, q.start), min(sent.end_char, q.end)
            if e - s > 0 and _words(text[s:e]) >= 3:
                extra: dict[str, Any] = {"source": "quote"}
                cues = {t.lower_ for t in doc.char_span(s, e, alignment_mode="expand") or []}
                cue_at = [t.idx for t in doc.char_span(s, e, alignment_mode="expand") or []
                          if t.lower_ in lx.DENIAL_CUES]
                if cues & lx.DENIAL_CUES:
                    extra["denial"] = {"cue": sorted(cues & lx.DENIAL_CUES)[0]}
                c = make(s, e, speaker, quote_index=qi, extra=extra)
                if c is not None and cue_at:
                    # "they lied when they said they are targeting X": what follows the cue
                    # is what the speaker calls false.
                    for ev in c.data["events"]:
                        if ev.get("at", 0) > cue_at[0]:
                            ev["polarity"] = -ev["polarity"]

    def quote_at(start: int, end: int) -> int | None:
        for qi, q in enumerate(quotes):
            if start <= q.start and q.end <= end:
                return qi
        return None

    def last_speaker(before: int) -> str | None:
        prior = [name for pos, name in speaker_at if pos < before]
        return prior[-1] if prior else None

    # 2. Sentences: reported speech and the reporter's own clauses.
    prev_claims: list[Claim] = []
    for sent in _pieces(doc):
        if _in_ranges(sent.start_char, sent.end_char, an.excluded):
            continue
        if _overlap(sent.start_char, sent.end_char, covered) >= 0.8 * len(sent.text):
            prev_claims = []
            continue
        frames = _frames(sent, covered)
        used = [False] * (sent.end - sent.start)
        sent_claims: list[Claim] = []
        deferred: list[tuple[_Frame, str | None]] = []

        def mark(a: int, b: int, _used: list[bool] = used, _s: int = sent.start) -> None:
            for i in range(a, b):
                if 0 <= i - _s < len(_used):
                    _used[i - _s] = True

        for fr in frames:
            speaker = an.speaker_of(fr.verb, last_speaker(doc[fr.start].idx))
            if speaker:
                speaker_at.append((doc[fr.start].idx, speaker))
            mark(fr.start, fr.end)
            f_chars = (doc[fr.start].idx, doc[fr.end - 1].idx + len(doc[fr.end - 1]))
            if fr.denial == "anaphoric":
                deferred.append((fr, speaker))
                continue
            for a, b in fr.tails:
                mark(a, b)
                s_char, e_char = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
                if e_char - s_char > 0 and _words(text[s_char:e_char]) >= MIN_WORDS - 1:
                    c = make(s_char, e_char, speaker, frame=f_chars,
                             extra={"source": "reported", "frame": doc[fr.start:fr.end].text})
                    if c is not None:
                        sent_claims.append(c)
            if fr.content is None:
                continue
            mark(*fr.content)
            for a, b in _split_coordinated(doc, *fr.content):
                a, b = _trim(doc, a, b)
                if b <= a or _words(doc[a:b].text) < MIN_WORDS - 1 or not _has_verb(doc[a:b]):
                    continue
                s_char, e_char = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
                if _overlap(s_char, e_char, covered) > 0.4 * (e_char - s_char):
                    continue
                extra = {"source": "reported", "frame": doc[fr.start:fr.end].text}
                if fr.denial == "clause":
                    # The claim shown is the whole "X denied that Y"; the analysis is Y's,
                    # with its polarity turned over.
                    extra["denial"] = {"clause": True, "target_text": doc[a:b].text}
                    c = make(f_chars[0], e_char, speaker, frame=f_chars, extra=extra,
                             flip=True, analyse_range=(s_char, e_char))
                else:
                    c = make(s_char, e_char, speaker, frame=f_chars, extra=extra,
                             quote_index=quote_at(s_char, e_char))
                if c is not None:
                    sent_claims.append(c)
        # What no frame took is the outlet's own voice.
        i = 0
        n = len(used)
        while i < n:
            if used[i]:
                i += 1
                continue
            j = i
            while j < n and not used[j]:
                j += 1
            for a, b in _split_coordinated(doc, sent.start + i, sent.start + j):
                a, b = _trim(doc, a, b)
                if b <= a:
                    continue
                span = doc[a:b]
                if _words(span.text) < MIN_WORDS or not _has_verb(span):
                    continue
                s_char, e_char = span.start_char, span.end_char
                if _overlap(s_char, e_char, covered) > 0.4 * (e_char - s_char):
                    continue
                c = make(s_char, e_char, None, extra={"source": "reporter"},
                         quote_index=quote_at(s_char, e_char))
                if c is not None:
                    sent_claims.append(c)
            i = j
        sent_claims.sort(key=lambda c: c.start)
        # "..., but X denied that": the denied claim is the one just before, once all of
        # this sentence's claims are known.
        for fr, speaker in deferred:
            before = [c for c in sent_claims if c.end <= doc[fr.start].idx]
            target = before[-1] if before else (prev_claims[-1] if prev_claims else None)
            fs, fe = _trim(doc, fr.start, fr.end)
            if fe <= fs:
                continue
            extra = {"source": "reported", "denial": {"anaphoric": True}}
            if target is not None:
                extra["denial"].update({"target_start": target.start,
                                        "target_end": target.end,
                                        "target_text": target.text})
            c = make(doc[fs].idx, doc[fe - 1].idx + len(doc[fe - 1]), speaker, extra=extra,
                     analyse_range=(target.start, target.end) if target else None,
                     flip=target is not None)
            if c is not None and target is not None:
                c.claim_time = target.claim_time
                c.data["entities"] = target.data.get("entities", [])
                c.data["labels"] = target.data.get("labels", {})
            if c is not None:
                sent_claims.append(c)
        sent_claims.sort(key=lambda c: c.start)
        if sent_claims:
            prev_claims = sent_claims
    claims.sort(key=lambda c: (c.start, c.end))
    return claims
