"""Attributing direct quotes to their speakers: the driver of the passes.

``attribute(article, doc)`` finds every quoted span (``quotemarks``), decides which are
quotes and which fragments (``spans``), looks for each one's cue in the spaCy parse
(``cueing``: a speech verb governing the quote, one right after it, "according to X", a colon
introduction, a short "he said." sentence next to it), turns the cue's subject into a speaker
with its role (``mentions``, ``descriptions``, ``via``), resolves pronouns and short forms to
the fullest name in the article (``resolution``, ``persons``), and lets uncued quote
paragraphs inherit the previous speaker. Everything is linear in the length of the text
except small bounded look-backs.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from factcheck.attribution.common import (
    _HYPHEN_WORD_RE,
    _PERSON_LABELS,
    _Cand,
    _Entity,
    _Found,
)
from factcheck.attribution.cueing import CueFinder
from factcheck.attribution.mentions import Mentions
from factcheck.attribution.persons import PersonIndex
from factcheck.attribution.resolution import Resolution
from factcheck.attribution.spans import SpanRules
from factcheck.cues import ORG_NOUNS
from factcheck.quotemarks import find_quote_spans, paragraphs
from factcheck.records import Article, Mention, Quote

log = logging.getLogger(__name__)

__all__ = ["attribute", "attribute_many"]


def _parse(text: str) -> Any:
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    if len(text) <= nlp.max_length:
        return nlp(text)
    # Very long input: parse newline-delimited chunks and join them; the joined Doc has
    # exactly the original text so every offset stays valid.
    from spacy.tokens import Doc

    chunks: list[str] = []
    pos = 0
    step = max(1000, nlp.max_length // 2)
    while pos < len(text):
        end = min(len(text), pos + step)
        if end < len(text):
            nl = text.rfind("\n", pos + 1, end)
            end = nl + 1 if nl > pos else end
        chunks.append(text[pos:end])
        pos = end
    return Doc.from_docs(list(nlp.pipe(chunks)), ensure_whitespace=False)


def attribute(article: Article, doc: Any = None) -> list[Quote]:
    """Every direct quote of ``article`` with its speaker (a pure function of the text)."""
    if doc is None or doc.text != article.text:
        doc = _parse(article.text)
    return _Attributor(article.text, doc, article.source).run()


def attribute_many(
    articles: Iterable[Article], batch_size: int = 16, n_process: int = 1
) -> Iterator[tuple[Article, Any, list[Quote]]]:
    """Attribute many articles with ``nlp.pipe``; yields the Doc too for reuse downstream."""
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    pending: list[Article] = []

    def flush() -> Iterator[tuple[Article, Any, list[Quote]]]:
        short = [a for a in pending if len(a.text) <= nlp.max_length]
        docs = iter(nlp.pipe((a.text for a in short), batch_size=batch_size, n_process=n_process))
        for art in pending:
            doc = next(docs) if len(art.text) <= nlp.max_length else _parse(art.text)
            yield art, doc, attribute(art, doc)

    for article in articles:
        pending.append(article)
        if len(pending) >= batch_size * 4:
            yield from flush()
            pending = []
    if pending:
        yield from flush()



# a national news agency named after its country: 'Ruritanian News Agency (RNA)'
_NATIONAL_AGENCY_RE = re.compile(
    r"(?:The\s+)?([A-Z][a-z]+)\s+(?:[A-Z][a-z]+\s+)?(?:News|Press|Telegraph|Information|"
    r"Telegraphic|Wire)\s+Agency\b"
)
# descriptions a verb of going on does not tie to the previous speaker
_NOT_CONTINUED = frozenset(
    "spokesman spokeswoman spokesperson official source representative aide statement".split())
_STATE_BODY_WORDS = frozenset(
    "Ministry Navy Army Air Force Government Cabinet Parliament Central Bank Office".split())
# an unnamed spokesperson with no body of their own: 'a press officer', 'the spokeswoman'
_OFFICER_RE = re.compile(
    r"(?i:an?|the)\s+(?:press\s+(?:officer|secretary|office)|spokes(?:man|woman|person)|"
    r"media\s+officer|representative|official)"
)
# a state body named without its country: 'Ministry of Energy', 'Foreign Ministry', 'the Navy'
_STATE_BODY_RE = re.compile(
    r"(?:(?:[A-Z][a-z]+\s+){0,2}Ministry(?:\s+of(?:\s+(?:the|and|[A-Z][a-z]+))+)?"
    r"|Ministry\s+of(?:\s+(?:the|and|[A-Z][a-z]+))+"
    r"|(?:Navy|Army|Air\s+Force|Government|Cabinet|Parliament|Central\s+Bank|Foreign\s+Office))"
)


class _Attributor(CueFinder, Resolution, Mentions, PersonIndex, SpanRules):
    """All passes over one article: spans, cues, mentions, resolution, canonical names."""

    def __init__(self, text: str, doc: Any, source: str | None = None) -> None:
        self.text = text
        self.source = source
        self.source_key = " ".join(re.findall(r"\w+", (source or "").lower()))
        self.doc = doc
        self.n = len(doc)
        self.tok_start = [t.idx for t in doc]
        self.sents = [(s.start, s.end) for s in doc.sents]
        self.sent_of = [0] * self.n
        for si, (s, e) in enumerate(self.sents):
            for i in range(s, e):
                self.sent_of[i] = si
        self.paras = paragraphs(text)
        self.para_starts = [p[0] for p in self.paras]
        self.spans = find_quote_spans(text)
        # token -> index of the quote span whose content holds it (-1 outside quotes)
        self.in_quote = [-1] * self.n
        self.is_mark = [False] * self.n
        for qi, sp in enumerate(self.spans):
            a, b = self._tok_range(sp.start, sp.end)
            for i in range(a, b):
                self.in_quote[i] = qi
            for pos in (sp.open_mark, sp.close_mark):
                if pos is not None:
                    j = self._tok_at(pos)
                    if j is not None and self.in_quote[j] < 0:
                        self.is_mark[j] = True
        self.ent_of: list[int] = [-1] * self.n
        # a "name" glued by a hyphen to a lower-case word is part of a compound, not a
        # person ('a Johnny-come-lately', 'Trump-style'): the small NER tags some of them
        # a one-word "person" the article tags as a place more often is the place ('in
        # Geneva, who arrived ...': the small NER flips a city to PERSON now and then)
        places: dict[str, int] = {}
        for e in doc.ents:
            if e.label_ in ("GPE", "LOC"):
                places[e.text] = places.get(e.text, 0) + 1
            elif e.label_ in _PERSON_LABELS and len(e) == 1:
                places[e.text] = places.get(e.text, 0) - 1
        self.place_count = {k: v for k, v in places.items() if v > 0}
        self.ents = [
            e for e in doc.ents
            if not (e.label_ in _PERSON_LABELS and _HYPHEN_WORD_RE.match(text, e.end_char))
            and not (e.label_ in _PERSON_LABELS and len(e) == 1 and places.get(e.text, 0) > 0)
        ]
        for ei, ent in enumerate(self.ents):
            for i in range(ent.start, ent.end):
                self.ent_of[i] = ei
        self.persons: dict[str, _Entity] = {}
        # every mention of a named person outside quotes (token, entity), in text order, and
        # the role words seen with each person: what descriptions match
        self.person_mentions: list[tuple[int, _Entity]] = []
        self.roles_of: dict[int, set[str]] = {}
        self.person_by_last: dict[str, list[str]] = {}
        self.name_count: dict[str, int] = {}
        self._collect_persons()
        self.anon: list[tuple[int, str, _Entity]] = []  # (tok, head lemma, entity)
        self.cands: list[_Cand] = []
        self.cand_sents: list[int] = []
        self.pron_subj_sents: dict[str, set[int]] = {}
        self._collect_candidates()
        self.found: list[_Found | None] = [None] * len(self.spans)
        self.relax = False

    # ---- offsets ------------------------------------------------------------------
    def _tok_at(self, pos: int) -> int | None:
        i = bisect.bisect_right(self.tok_start, pos) - 1
        if i < 0 or i >= self.n:
            return None
        tok = self.doc[i]
        return i if tok.idx <= pos < tok.idx + max(1, len(tok.text)) else None

    def _tok_range(self, start: int, end: int) -> tuple[int, int]:
        """Tokens overlapping [start, end)."""
        a = bisect.bisect_right(self.tok_start, start) - 1
        if a < 0:
            a = 0
        if a < self.n and self.doc[a].idx + len(self.doc[a].text) <= start:
            a += 1
        b = bisect.bisect_left(self.tok_start, end)
        return a, max(a, b)

    def _para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    # ---- main ---------------------------------------------------------------------
    def run(self) -> list[Quote]:
        groups: dict[int, list[int]] = {}
        for qi, sp in enumerate(self.spans):
            groups.setdefault(sp.group, []).append(qi)
        keep = [not self._not_a_quote(sp) for sp in self.spans]
        for qi in range(len(self.spans)):
            if keep[qi]:
                self.found[qi] = self._find(qi) or None
        for qi in range(len(self.spans)):
            if keep[qi] and self.found[qi] is None:
                self.found[qi] = self._find_nearby(qi)
        self._continued_descriptions(keep)
        # a multi-paragraph quote takes the speaker of whichever part has a cue (last first)
        for members in groups.values():
            if len(members) > 1:
                src = next((m for m in reversed(members) if self.found[m] is not None), None)
                if src is not None:
                    for m in members:
                        if self.found[m] is None:
                            f = self.found[src]
                            assert f is not None
                            self.found[m] = _Found(f.speaker, f.cue, f.confidence * 0.9, f.ent,
                                                   extra=f.extra)
        # uncued quotes inherit from the previous quote in the paragraph, or from the
        # previous paragraph when the paragraph opens with the quote
        last: tuple[int, int] | None = None  # (paragraph, span index) of the last speaker
        for qi, sp in enumerate(self.spans):
            if not keep[qi]:
                continue
            para = self._para_of(sp.para_start)
            f = self.found[qi]
            if f is None and last is not None:
                lp, lq = last
                opens_para = not self.text[sp.para_start : sp.open_mark].strip()
                lf = self.found[lq]
                assert lf is not None
                if lp == para or (lp == para - 1 and opens_para):
                    conf = 0.75 if lp == para else 0.6
                    self.found[qi] = _Found(lf.speaker, None, conf, lf.ent)
                    f = self.found[qi]
            if f is not None:
                last = (para, qi)
        partial: list[bool] = []
        for qi in range(len(self.spans)):
            partial.append(self._is_partial(qi, partial))
        out: list[Quote] = []
        for qi, sp in enumerate(self.spans):
            if not keep[qi]:
                continue
            f = self.found[qi]
            if partial[qi] and len(self.text[sp.start : sp.end].split()) <= 3 and (
                f is None or self._own_outlet(f)
            ):
                # a short quoted fragment that nobody is saying (or only the outlet itself:
                # 'the Herald can reveal ... a muddy "ditch"') is a scare quote, a term or a
                # label (click "subscribe"), not a quote
                continue
            cs, ce = self._context(sp)
            speaker = f.speaker if f is not None else None
            if speaker is not None and f is not None and f.ent is not None:
                # names may have grown fuller after the mention was made
                speaker.name = f.ent.name
                speaker.role = speaker.role or f.ent.role
            if speaker is not None:
                speaker = self._body_of_officer(speaker)
                self._qualify_body(speaker)
            out.append(
                Quote(
                    text=self.text[sp.start : sp.end],
                    start=sp.start,
                    end=sp.end,
                    speaker=speaker,
                    cue=f.cue if f is not None else None,
                    via=f.extra.get("via") if f is not None else None,
                    partial=partial[qi],
                    context=self.text[cs:ce],
                    context_start=cs,
                    context_end=ce,
                    confidence=round(
                        (f.confidence if f is not None else 0.2)
                        * (0.8 if sp.close_mark is None else 1.0),
                        3,
                    ),
                )
            )
        return out

    def _continued_descriptions(self, keep: list[bool]) -> None:
        """'"...," the pilot continued.' / 'the engineer added': a definite description no
        one named holds, cued by a verb of going on, is the person who spoke the quote just
        before (same or previous paragraph). Spokespeople and sources are left alone: 'the
        spokesman added' after a minister's quote is usually someone else."""
        prev: int | None = None
        for qi in range(len(self.spans)):
            if not keep[qi]:
                continue
            f = self.found[qi]
            described = f is not None and f.speaker is not None and (
                f.ent is None or f.ent.kind == "anonymous") and (
                f.speaker.kind in ("anonymous", "organisation"))
            if described and prev is not None and f is not None and f.speaker is not None and (
                    f.speaker.name.startswith("the ")
                    and f.speaker.name.split()[-1].lower() not in ORG_NOUNS | _NOT_CONTINUED
                    and (f.cue or "").split()[:1] in (["continued"], ["added"], ["continues"],
                                                      ["adds"])):
                pf = self.found[prev]
                near = self._para_of(self.spans[qi].para_start) - self._para_of(
                    self.spans[prev].para_start) <= 1
                if pf is not None and pf.ent is not None and pf.ent.kind == "person" and near:
                    sp = pf.speaker
                    assert sp is not None
                    self.found[qi] = _Found(
                        Mention(name=pf.ent.name, kind="person",
                                role=pf.ent.role or f.speaker.name[4:],
                                surface=f.speaker.surface, start=f.speaker.start,
                                end=f.speaker.end),
                        f.cue, f.confidence * 0.9, pf.ent, f.cue_tok, f.extra)
            if self.found[qi] is not None:
                prev = qi

    def _outlet_country(self) -> str | None:
        """The country a national news agency is named after ('Ruritanian News Agency',
        'Ruritania Press Agency'), when the article's text names that country or people."""
        m = _NATIONAL_AGENCY_RE.match(self.source or "")
        if m is None:
            return None
        word = m.group(1)
        stem = word[: max(4, len(word) - 3)]  # Ruritan(ia, ian)
        if re.search(rf"\b{re.escape(stem)}\w*\b", self.text):
            return word
        return None

    def _qualify_body(self, speaker: Mention) -> None:
        """A state body named without its country ('the Foreign Ministry said') in a national
        agency's report is that country's body: 'Ruritanian Foreign Ministry'."""
        if speaker.kind != "organisation":
            return
        name = re.sub(r"^(?i:the)\s+", "", speaker.name)
        if not _STATE_BODY_RE.fullmatch(name):
            return
        country = self._outlet_country()
        if country is None:
            return
        places = {w for e in self.ents if e.label_ in ("GPE", "NORP") for w in e.text.split()}
        own = {w for w in name.split() if w[:1].isupper() and w not in _STATE_BODY_WORDS}
        if places & own or country in name.split():
            return  # the body's country is named already ('Norlandic Navy')
        speaker.name = f"{country} {name}"

    def _body_of_officer(self, speaker: Mention) -> Mention:
        """'When I asked the Harbour Board, a press officer wrote back that "..."': an unnamed
        spokesperson with no body of their own speaks for the one body named before them in
        the same sentence (the description is kept as the role)."""
        if speaker.kind != "anonymous" or speaker.start is None:
            return speaker
        if not _OFFICER_RE.fullmatch(speaker.name):
            return speaker
        i = self._tok_at(speaker.start)
        if i is None:
            return speaker
        s0, _ = self.sents[self.sent_of[i]]
        bodies = {
            re.sub(r"^(?i:the)\s+", "", e.text) for e in self.ents
            if e.label_ == "ORG" and s0 <= e.start and e.end <= i
            and self.in_quote[e.start] < 0
        }
        if len(bodies) != 1:
            return speaker
        return Mention(name=bodies.pop(), kind="organisation", role=speaker.name,
                       surface=speaker.surface, start=speaker.start, end=speaker.end)

    def _own_outlet(self, f: _Found) -> bool:
        """Is the speaker the article's own outlet ('The Herald can reveal ...')?"""
        if f.speaker is None or not self.source_key:
            return False
        key = " ".join(re.findall(r"\w+", f.speaker.name.lower()))
        key = key[4:] if key.startswith("the ") else key
        return bool(key) and f" {key} " in f" {self.source_key} "


