"""Evaluate quote attribution on PolNeAR direct quotes: factcheck vs textacy, side by side.

    python bench/eval_attribution.py [FILE ...] [--json] [--limit N] [--examples N]
    python bench/eval_attribution.py --synthetic [DIR] [--json] [--examples N]

FILE defaults to ../shared/eval/polnear/dev.jsonl (relative to the repository); the script
exits 0 with a message when it is absent. Both tools run on the same spaCy parse.

``--synthetic`` (or a FILE that is a synthetic_news-style directory or its gold.jsonl) scores
that format instead ({"file", "quotes": [{"quote", "speaker", "also_accept", "kind", ...}],
"not_quotes"}, articles in ``articles/``; default ../shared/eval/synthetic_news): each
article goes through the reader (header, boilerplate and page-data exclusion) and the
attributor; it reports right-speaker accuracy over all gold quotes, quote recall, not-quotes
stored and errors with their context (see ``run_synthetic``).

Scoring (stated in the output too):
- a gold quote is *found* when one predicted span overlaps >= 50% of the gold span;
- a prediction is *correct* (precision) when it overlaps some gold span by >= 50% of the
  shorter of the two spans; PolNeAR leaves titles, scare quotes and unattributed quotes
  unlabelled, so precision is a lower bound;
- *direct quotes* are the predictions not marked ``partial``. The PolNeAR direct-quote set
  keeps only attributions whose content lies wholly inside the marks, so quoted fragments
  inside reported speech (our ``partial`` quotes: called it "a farce") are absent from the
  gold by construction. The headline rows compare like with like: recall and precision of
  the direct quotes alone (a gold quote counts as found only when a non-partial prediction
  covers it, so marking a real quote partial costs recall). The "all spans" rows count the
  partial quotes too. textacy marks nothing partial, so its rows are equal;
- speaker accuracy is measured on found quotes. Gold speakers are split into *named* (holds a
  capitalised word that is not a pronoun), *pronoun* (he, she, they, ...) and *descriptive*
  ("a spokesman", "the statement"). PolNeAR has no gold coreference, so a pronoun's referent
  comes from a rule, two of which are reported:
  v2 (``pronoun_referents``): the salient person before the pronoun. Candidates are spaCy
  PERSON mentions outside quotation marks and the named gold speaker spans (ORG/GPE/NORP
  too for it/they; a one- or two-word ORG/GPE that is a speech verb's subject may be a
  person). Gender comes from Mr./Mrs./Ms./Miss anywhere in the article, else from the
  pronouns in sentences naming that person alone (sentences holding a pronoun-speaker gold
  quote are not used). In the pronoun's own sentence the main-clause subject before it, else
  the nearest mention, wins ("who": the nearest); going back sentence by sentence (2,500
  characters at most) a compatible main-clause subject wins, a sentence led by the same
  pronoun continues the chain, else the first compatible subject, else the leftmost mention.
  *descriptive* gold speakers ("the Ohio governor", "one user") count as right when the
  tool's speaker name matches the description or the tool's speaker phrase overlaps the
  gold speaker span (it found that phrase and may have resolved it to the person meant,
  which PolNeAR cannot confirm). Because each tool's speaker rows are over the quotes it
  found, speaker accuracy is also given on the gold quotes *both* tools found;
  v1 (the old rule): the nearest preceding named gold speaker within 1,500 characters whose
  honorific does not clash. A manual reading of 60 random pronoun quotes (``MANUAL_CHECK``)
  found v2 right on 53/59 and v1 on 28/42 scored. I/we/you and pronouns without a referent
  are not scored;
- names match after lower-casing and dropping punctuation, titles (never the last word:
  "Mr. Bishop") and possessives when they share the last (surname) token or one contains the
  other; the name part of a gold speaker span is its first comma/parenthesis/who-separated
  part that does not open with a determiner or end a possessive description ("the ministry
  spokeswoman, Ana Ruiz" and "the mayor's spokeswoman, Ana Ruiz" -> Ana Ruiz; "Mr. Smith,
  who ..." -> Mr. Smith), cut before of/from/at unless only titles precede ("Speaker of the
  House Paul Ryan" stays whole).

The issue #3 targets (recall >= 0.95, precision >= 0.85 on direct quotes, named >= 0.92,
pronoun >= 0.85, time ratio < 1) are checked at the end, with the rate rows where textacy
is ahead; ``--json`` carries the same under ``targets`` and ``behind_textacy``.

Example excerpts print to the terminal only; nothing from PolNeAR is written anywhere.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from factcheck.cues import TITLE_WORDS  # noqa: E402

DEFAULT = REPO.parent / "shared" / "eval" / "polnear" / "dev.jsonl"
PRONOUNS = {
    "he", "she", "they", "it", "we", "i", "you", "who", "him", "her", "them", "us", "which",
    "that", "his", "hers", "its", "their",
}
_QUOTE_CHARS = "\"'“”‘’`«»„ "


@dataclass
class Pred:
    start: int
    end: int
    speaker: str | None
    partial: bool = False
    speaker_start: int | None = None  # offsets of the speaker phrase the tool points at
    speaker_end: int | None = None


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    found_full: int = 0  # gold quotes found by a non-partial (direct-quote) prediction
    pred: int = 0
    pred_ok: int = 0
    pred_attr: int = 0
    pred_attr_ok: int = 0
    pred_full: int = 0
    pred_full_ok: int = 0
    short_unmatched: int = 0
    named: int = 0
    named_ok: int = 0
    pron: int = 0
    pron_ok: int = 0
    pron2: int = 0
    pron2_ok: int = 0
    named_all: int = 0  # named gold quotes, found or not
    pron2_all: int = 0
    descr: int = 0
    descr_ok: int = 0
    seconds: float = 0.0
    failed_docs: int = 0
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # (doc index, gold start) -> (speaker class, right?) for every found, scored gold quote
    outcomes: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)
    per_doc: list[tuple[int, ...]] = field(default_factory=list)  # _COUNTED fields per doc

    def figures(self) -> dict[str, float | int]:
        r = self.found / self.gold if self.gold else 0.0
        p = self.pred_ok / self.pred if self.pred else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        rd = self.found_full / self.gold if self.gold else 0.0
        pd = self.pred_full_ok / self.pred_full if self.pred_full else 0.0
        return {
            "recall_direct": round(rd, 4),
            "precision_direct": round(pd, 4),
            "f1_direct": round(2 * pd * rd / (pd + rd), 4) if pd + rd else 0.0,
            "gold_quotes": self.gold,
            "predicted": self.pred,
            "recall": round(r, 4),
            "precision": round(p, 4),
            "precision_direct_attributed": (
                round(self.pred_attr_ok / self.pred_attr, 4) if self.pred_attr else 0
            ),
            "f1": round(f1, 4),
            "short_unmatched_predictions": self.short_unmatched,
            "named_speaker_accuracy": round(self.named_ok / self.named, 4) if self.named else 0,
            "named_speaker_n": self.named,
            "pronoun_speaker_accuracy": round(self.pron_ok / self.pron, 4) if self.pron else 0,
            "pronoun_speaker_n": self.pron,
            "pronoun_speaker_accuracy_v2": (
                round(self.pron2_ok / self.pron2, 4) if self.pron2 else 0
            ),
            "pronoun_speaker_n_v2": self.pron2,
            "named_speaker_accuracy_all_gold": (
                round(self.named_ok / self.named_all, 4) if self.named_all else 0
            ),
            "pronoun_speaker_accuracy_v2_all_gold": (
                round(self.pron2_ok / self.pron2_all, 4) if self.pron2_all else 0
            ),
            "descriptive_speaker_accuracy": (
                round(self.descr_ok / self.descr, 4) if self.descr else 0
            ),
            "descriptive_speaker_n": self.descr,
            "seconds_excluding_parse": round(self.seconds, 3),
            "failed_docs": self.failed_docs,
        }


def norm_name(name: str | None) -> list[str]:
    if not name:
        return []
    name = name.replace("’", "'").lower()
    name = re.sub(r"'s\b|'$", "", name)
    words = re.findall(r"[a-z0-9][a-z0-9\-']*", name)
    words = [w for w in words if w not in {"a", "an"}]
    # titles go, but never the last word ("Mr. Bishop" -> bishop, not nothing)
    kept = [w for w in words[:-1] if w.rstrip(".") not in TITLE_WORDS] + words[-1:]
    return [re.sub(r"^(?:al|el)-", "", w) for w in kept]


_GOLD_PARTS_RE = re.compile(r",|\(|\)| who | which | whose |;")
_GOLD_TAIL_RE = re.compile(r" of | from | at ")
_POSSESSIVE_RE = re.compile(r"\w['’]s? ")
_DETERMINER_STARTS = {"the", "a", "an", "his", "her", "their", "its", "our", "my"}


def head_name(gold: str) -> str:
    """The name part of a gold speaker span: the first comma-separated part that does not
    open with a determiner ("the ministry spokeswoman, Ana Ruiz" -> Ana Ruiz;
    "Mr. Smith, who ..." -> Mr. Smith), cut before of/from/at unless only titles precede
    it ("Speaker of the House Paul Ryan" stays whole)."""
    parts = [p.strip() for p in _GOLD_PARTS_RE.split(gold) if p.strip()]
    if not parts:
        return gold
    # "the Rev. Peter Wherry, of ...": a determiner before a title opens a name, not a
    # description
    parts = [re.sub(r"^(?:the|The) (?=(?:Rev|Hon|Revd|Very Rev|late)\b)", "", p) for p in parts]
    def is_name(p: str) -> bool:
        words = p.split()
        return (
            words[0].lower() not in _DETERMINER_STARTS
            and any(w[:1].isupper() for w in words)
            # "Ms. Merkel's spokesman" / "Mr. Hunter's chief of staff": a description
            # ending in a common noun, not the name that follows it
            and not (_POSSESSIVE_RE.search(p) and not words[-1][:1].isupper())
        )

    part = next((p for p in parts if is_name(p)), parts[0])
    head = _GOLD_TAIL_RE.split(part, maxsplit=1)[0].strip()
    if head and any(w.lower().rstrip(".") not in TITLE_WORDS for w in head.split()):
        return head
    return part


def names_match(pred: str | None, gold: str | None) -> bool:
    p, g = norm_name(pred), norm_name(head_name(gold) if gold else gold)
    if not p or not g:
        return False
    if p[-1] == g[-1]:
        return True
    ps, gs = " ".join(p), " ".join(g)
    return ps in gs or gs in ps


def speaker_class(speaker: str) -> str:
    words = speaker.strip().split()
    if len(words) == 1 and words[0].lower() in PRONOUNS:
        return "pronoun"
    # a proper name heads the phrase ("Joel Pollak of ...", "the Washington Post"), not a
    # description that merely holds one ("The New York businessman")
    first, last = words[0], words[-1].strip(",.")
    if first.lower() in _NOT_NAME_STARTS:
        return "named" if last[:1].isupper() and first.lower() in {"the"} else "descriptive"
    if first[:1].isupper() or last[:1].isupper():
        return "named"
    return "descriptive"


_NOT_NAME_STARTS = {
    "the", "a", "an", "some", "many", "most", "several", "other", "others", "one", "two",
    "both", "all", "another", "each", "few", "this", "these", "those", "that", "his", "her",
    "their", "its", "our", "my", "such",
}
# First/second person speakers (a narrator, "we" of an editorial) have no named antecedent.
_UNSCORED_PRONOUNS = {"i", "we", "you", "us"}
# A pronoun's referent must be named within this many characters before it.
_REFERENT_WINDOW = 1500


def _gender_clash(pronoun: str, name: str) -> bool:
    """'she' cannot refer to 'Mr. X', nor 'he' to 'Mrs./Ms. X' (honorifics only)."""
    first = name.split()[0].rstrip(".").lower() if name.split() else ""
    if pronoun in ("she", "her") and first == "mr":
        return True
    return pronoun in ("he", "him") and first in ("mrs", "ms", "miss")


_HONORIFIC_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+((?:[A-Z][\w'\-]+\s+){0,3}[A-Z][\w'\-]+)")
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_MALE = {"he", "him", "his", "himself"}
_FEMALE = {"she", "her", "hers", "herself"}
_PERSON_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}
# v2 looks this far back (characters) for a pronoun's referent
_REFERENT_WINDOW_V2 = 2500


def _surname(name: str) -> str:
    words = norm_name(head_name(name))
    return words[-1] if words else ""


def _name_key(name: str) -> str:
    return " ".join(norm_name(head_name(name)))


@dataclass
class _PMention:
    pos: int
    sent: int
    name: str
    main_subj: bool
    subj: bool
    kind: str  # "person" or "org"


def _is_main_subject(tok: Any) -> bool:
    """A subject of the sentence's main clause (or of a speech verb: '..., Smith said')."""
    if tok.dep_ not in ("nsubj", "nsubjpass"):
        return False
    head = tok.head
    root = tok.sent.root
    return (
        head.i == root.i
        or (head.dep_ in ("conj", "parataxis") and head.head.i == root.i)
        or head.lemma_.lower() in ("say", "tell", "add", "write")
    )


def pronoun_referents(row: dict[str, Any], doc: Any) -> dict[int, str | None]:
    """Referent of every pronoun gold speaker (keyed by speaker_start), rule v2.

    Candidates are person mentions outside the gold quotes: spaCy PERSON entities and named
    gold speaker spans (ORG/GPE/NORP entities too for it/they). Gender comes from Mr./Mrs./
    Ms./Miss before the surname anywhere in the article, else from the pronouns the article
    uses in sentences naming that person alone (sentences holding a pronoun-speaker gold quote
    are not used, so the pronoun being scored never decides its own referent). In the
    pronoun's sentence the main-clause subject before it, else the nearest mention before it,
    is the referent; "who" takes the nearest. Going back sentence by sentence (up to 2,500
    characters): a compatible main-clause subject wins; a sentence whose subject is a
    compatible pronoun continues the chain (skip it); else the first compatible subject, else
    the leftmost compatible mention.
    """
    import bisect

    from factcheck.cues import SPEECH_VERBS
    from factcheck.quotemarks import find_quote_spans

    text = row["text"]
    golds = row["quotes"]
    # mentions inside quotation marks (gold or not) are not antecedents
    inside = bytearray(len(text) + 1)
    for a, b in [(q["start"], q["end"]) for q in golds] + [
        (sp.start, sp.end) for sp in find_quote_spans(text)
    ]:
        inside[a:b] = b"\x01" * (b - a)

    def in_quote(pos: int) -> bool:
        return bool(inside[pos])

    sents = list(doc.sents)
    sent_starts = [s.start_char for s in sents]

    def sent_of(pos: int) -> int:
        return max(0, bisect.bisect_right(sent_starts, pos) - 1)

    mentions: list[_PMention] = []
    gold_named_pos: list[tuple[int, int]] = []
    for q in golds:
        if speaker_class(q["speaker"]) == "named":
            gold_named_pos.append((q["speaker_start"], q["speaker_end"]))
    def ent_kind(e: Any) -> str | None:
        if e.label_ == "PERSON":
            return "person"
        if e.label_ not in ("ORG", "GPE", "NORP"):
            return None
        # the small model often tags a surname as ORG/GPE: as the subject of a speech verb
        # a one- or two-word name may be a person
        root = e.root
        speaks = root.dep_ == "nsubj" and root.head.lemma_.lower() in SPEECH_VERBS
        short = len(e) <= 2 and all(t.pos_ == "PROPN" for t in e)
        return "any" if speaks and short else "org"

    for a, b in sorted(set(gold_named_pos)):
        name = head_name(text[a:b])
        kinds = [ent_kind(e) for e in doc.char_span(a, b, alignment_mode="expand").ents] if (
            doc.char_span(a, b, alignment_mode="expand") is not None) else []
        kind = "person" if "person" in kinds or name.split()[0].rstrip(".").lower() in (
            _HONORIFIC_GENDER) else "org" if "org" in kinds else "any"
        mentions.append(_PMention(a, sent_of(a), name, True, True, kind))
    for e in doc.ents:
        if in_quote(e.start_char):
            continue
        if any(a <= e.start_char < b for a, b in gold_named_pos):
            continue
        root = e.root
        kind = ent_kind(e)
        if kind is None:
            continue
        if root.dep_ in ("appos", "compound") and root.head.dep_ in ("nsubj", "nsubjpass"):
            root = root.head
        subj = root.dep_ in ("nsubj", "nsubjpass")
        mentions.append(
            _PMention(e.start_char, sent_of(e.start_char), e.text, _is_main_subject(root),
                      subj, kind)
        )
    mentions.sort(key=lambda m: m.pos)

    # gender by name (full name, else surname; both genders seen -> unknown): honorifics
    # first, then pronoun votes
    honor: dict[str, set[str]] = defaultdict(set)
    for m in _HONORIFIC_RE.finditer(text):
        key = _name_key(m.group(2))
        if key:
            honor[key].add(_HONORIFIC_GENDER[m.group(1).lower()])
    pron_sents = {
        sent_of(q["speaker_start"]) for q in golds if speaker_class(q["speaker"]) == "pronoun"
    }
    by_sent: dict[int, list[_PMention]] = defaultdict(list)
    for m in mentions:
        by_sent[m.sent].append(m)
    votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    prev_person: str | None = None
    for si, sent in enumerate(sents):
        persons = {_name_key(m.name) for m in by_sent.get(si, []) if m.kind != "org"}
        persons.discard("")
        male = female = 0
        for t in sent:
            if in_quote(t.idx):
                continue
            male += t.lower_ in _MALE
            female += t.lower_ in _FEMALE
        target = None
        if len(persons) == 1:
            target = next(iter(persons))
        elif not persons and si not in pron_sents:
            target = prev_person
        if target and (male or female) and not (male and female) and si not in pron_sents:
            votes[target][0 if male else 1] += 1
        prev_person = target if len(persons) == 1 else (None if persons else prev_person)
    by_key: dict[str, set[str]] = defaultdict(set)
    for key, gs in honor.items():
        by_key[key] |= gs
    for key, (mv, fv) in votes.items():
        if key not in honor and mv != fv:
            by_key[key].add("m" if mv > fv else "f")
    by_surname: dict[str, set[str]] = defaultdict(set)
    for key, gs in by_key.items():
        by_surname[key.split()[-1]] |= gs

    full_names: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        key = _name_key(m.name)
        if " " in key:
            full_names[key.split()[-1]].add(key)

    def gender_of(name: str) -> str | None:
        key = _name_key(name)
        if not key:
            return None
        sur = key.split()[-1]
        # a full name unseen: its surname's gender, unless two people share the surname
        gs = by_key.get(key) or (
            by_surname.get(sur, set()) if len(full_names.get(sur, ())) <= 1 else set()
        )
        return next(iter(gs)) if len(gs) == 1 else None

    def compatible(pron: str, m: _PMention) -> bool:
        if pron in ("it", "they", "their", "them", "which", "that"):
            return m.kind in ("org", "any")
        if m.kind == "org":
            return False
        want = _PERSON_PRONOUN_GENDER.get(pron)
        have = gender_of(m.name)
        return want is None or have is None or want == have

    def pronoun_subject(si: int, pron: str) -> bool:
        forms = _MALE if pron in ("he", "him", "his") else _FEMALE if pron in (
            "she", "her") else set()
        return any(
            t.lower_ in forms and t.dep_ in ("nsubj", "nsubjpass") and not in_quote(t.idx)
            for t in sents[si]
        )

    out: dict[int, str | None] = {}
    for q in golds:
        if speaker_class(q["speaker"]) != "pronoun":
            continue
        pron = q["speaker"].lower()
        pos = q["speaker_start"]
        si = sent_of(pos)
        ref: str | None = None
        here = [m for m in by_sent.get(si, []) if m.pos < pos and compatible(pron, m)]
        if here:
            mains = [m for m in here if m.main_subj]
            ref = here[-1].name if pron == "who" or not mains else mains[-1].name
        else:
            for sj in range(si - 1, -1, -1):
                if sents[sj].end_char < pos - _REFERENT_WINDOW_V2:
                    break
                cands = [m for m in by_sent.get(sj, []) if compatible(pron, m)]
                mains = [m for m in cands if m.main_subj]
                if mains:
                    ref = mains[0].name
                    break
                if pronoun_subject(sj, pron):
                    continue
                if cands:
                    subs = [m for m in cands if m.subj]
                    ref = (subs or cands)[0].name
                    break
        out[pos] = ref
    return out


def overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def excerpt(text: str, start: int, end: int, width: int = 70) -> str:
    s = text[max(0, start - width) : min(len(text), end + width)]
    return " ".join(s.split())[: 2 * width + 60]


def ours(doc: Any, text: str) -> list[Pred]:
    from factcheck.attribution import attribute
    from factcheck.records import Article

    quotes = attribute(Article(id="eval", text=text), doc)
    return [
        Pred(q.start, q.end, q.speaker.name if q.speaker else None, q.partial,
             q.speaker.start if q.speaker else None, q.speaker.end if q.speaker else None)
        for q in quotes
    ]


def textacy_quotes(doc: Any, text: str) -> list[Pred]:
    from textacy.extract.triples import direct_quotations

    out: list[Pred] = []
    for triple in direct_quotations(doc):
        c = triple.content
        s, e = c.start_char, c.end_char
        while s < e and text[s] in _QUOTE_CHARS:
            s += 1
        while e > s and text[e - 1] in _QUOTE_CHARS:
            e -= 1
        speaker = " ".join(t.text for t in triple.speaker) if triple.speaker else None
        sp = triple.speaker
        out.append(Pred(s, e, speaker, False, sp[0].idx if sp else None,
                        sp[-1].idx + len(sp[-1].text) if sp else None))
    return out


def score_doc(
    row: dict[str, Any],
    preds: list[Pred],
    tally: Tally,
    keep: int,
    referents: dict[int, str | None] | None = None,
    doc_no: int = 0,
) -> None:
    text = row["text"]
    referents = referents or {}
    golds = sorted(row["quotes"], key=lambda q: q["start"])
    # referents for pronoun speakers: nearest preceding named gold speaker mention
    named_mentions = sorted(
        (q["speaker_start"], q["speaker"]) for q in golds if speaker_class(q["speaker"]) == "named"
    )
    tally.gold += len(golds)
    tally.pred += len(preds)
    for p in preds:
        ok = any(
            overlap(p.start, p.end, g["start"], g["end"])
            >= 0.5 * max(1, min(p.end - p.start, g["end"] - g["start"]))
            for g in golds
        )
        tally.pred_attr += p.speaker is not None and not p.partial
        tally.pred_full += not p.partial
        if ok:
            tally.pred_ok += 1
            tally.pred_attr_ok += p.speaker is not None and not p.partial
            tally.pred_full_ok += not p.partial
            continue
        words = len(text[p.start : p.end].split())
        short = words <= 3
        tally.short_unmatched += short
        cause = "extra: short span (<= 3 words)" if short else "extra: longer span"
        _add(tally, cause, excerpt(text, p.start, p.end, 40), keep)
    for g in golds:
        g_cls = speaker_class(g["speaker"])
        tally.named_all += g_cls == "named"
        tally.pron2_all += (
            g_cls == "pronoun"
            and referents.get(g["speaker_start"]) is not None
            and g["speaker"].lower() not in _UNSCORED_PRONOUNS
        )
        best = max(
            preds, key=lambda p: overlap(p.start, p.end, g["start"], g["end"]), default=None
        )
        glen = max(1, g["end"] - g["start"])
        if best is None or overlap(best.start, best.end, g["start"], g["end"]) < 0.5 * glen:
            if best is not None and overlap(best.start, best.end, g["start"], g["end"]) > 0:
                cause = "missed: predicted span covers < 50% of gold"
            elif g.get("unclosed"):
                cause = "missed: gold span unclosed (split by annotators)"
            else:
                cause = "missed: no span"
            _add(tally, cause, excerpt(text, g["start"], g["end"]), keep)
            continue
        tally.found += 1
        tally.found_full += any(
            not p.partial and overlap(p.start, p.end, g["start"], g["end"]) >= 0.5 * glen
            for p in preds
        )
        cls = speaker_class(g["speaker"])
        if cls == "pronoun":
            ref2 = referents.get(g["speaker_start"])
            if ref2 is not None and g["speaker"].lower() not in _UNSCORED_PRONOUNS:
                tally.pron2 += 1
                ok2 = names_match(best.speaker, ref2)
                tally.pron2_ok += ok2
                tally.outcomes[(doc_no, g["start"])] = ("pronoun", ok2)
                if not ok2:
                    _speaker_error(tally, "pronoun speaker wrong, rule v2",
                                   f"{g['speaker']}->{ref2}", best, text, g, keep)
            ref = None
            pron = g["speaker"].lower()
            for pos, name in named_mentions:
                if g["speaker_start"] - _REFERENT_WINDOW <= pos < g["speaker_start"]:
                    if _gender_clash(pron, name):
                        continue
                    ref = name
            if ref is None or g["speaker"].lower() in _UNSCORED_PRONOUNS:
                continue  # no named antecedent nearby in the gold: not scored
            tally.pron += 1
            ok = names_match(best.speaker, ref)
            tally.pron_ok += ok
            if not ok:
                _speaker_error(tally, "pronoun speaker wrong, rule v1",
                               f"{g['speaker']}->{ref}", best, text, g, keep)
        elif cls == "named":
            tally.named += 1
            ok = names_match(best.speaker, g["speaker"])
            tally.named_ok += ok
            tally.outcomes[(doc_no, g["start"])] = ("named", ok)
            if not ok:
                _speaker_error(tally, "named speaker wrong", g["speaker"], best, text, g, keep)
        else:
            tally.descr += 1
            # a description ("the Ohio governor", "one user") is right when the tool names it,
            # or points at the very phrase the annotators marked (and may have resolved it to
            # the person meant, which PolNeAR cannot confirm: no gold coreference)
            ok = best.speaker is not None and (
                names_match(best.speaker, g["speaker"])
                or bool(set(norm_name(best.speaker)) & set(norm_name(g["speaker"])))
                or (
                    best.speaker_start is not None
                    and best.speaker_end is not None
                    and overlap(best.speaker_start, best.speaker_end, g["speaker_start"],
                                g["speaker_end"]) > 0
                )
            )
            tally.descr_ok += ok
            tally.outcomes[(doc_no, g["start"])] = ("descriptive", ok)
            if not ok:
                _speaker_error(tally, "descriptive speaker wrong", g["speaker"], best, text, g,
                               keep)


# (figure, numerator field, denominator field) for the bootstrap intervals
_RATIOS = [
    ("recall_direct", "found_full", "gold"),
    ("precision_direct", "pred_full_ok", "pred_full"),
    ("named_speaker_accuracy", "named_ok", "named"),
    ("pronoun_speaker_accuracy_v2", "pron2_ok", "pron2"),
]
_COUNTED = sorted({f for _, a, b in _RATIOS for f in (a, b)})


def _counts(t: Tally) -> tuple[int, ...]:
    return tuple(getattr(t, f) for f in _COUNTED)


def _bootstrap(per_doc: list[tuple[int, ...]], rounds: int = 1000) -> dict[str, list[float]]:
    """95% intervals for the target figures, resampling whole articles (seeded): how far
    a figure could move on another sample of the same kind of news."""
    import random

    if not per_doc:
        return {}
    rng = random.Random(2024)
    idx = {f: i for i, f in enumerate(_COUNTED)}
    draws: dict[str, list[float]] = {name: [] for name, _, _ in _RATIOS}
    n = len(per_doc)
    for _ in range(rounds):
        sums = [0] * len(_COUNTED)
        for _ in range(n):
            row = per_doc[rng.randrange(n)]
            for i, v in enumerate(row):
                sums[i] += v
        for name, num, den in _RATIOS:
            d = sums[idx[den]]
            draws[name].append(sums[idx[num]] / d if d else 0.0)
    out = {}
    for name, vals in draws.items():
        vals.sort()
        out[name] = [round(vals[int(0.025 * rounds)], 4), round(vals[int(0.975 * rounds) - 1], 4)]
    return out


def _speaker_error(tally: Tally, cause: str, gold: str, best: Pred, text: str,
                   g: dict[str, Any], keep: int) -> None:
    why = "none" if best.speaker is None else "other"
    _add(tally, f"{cause} ({why})", f"gold {gold} | ours {best.speaker} | "
         + excerpt(text, g["speaker_start"], g["speaker_end"], 60), keep)


def _add(tally: Tally, cause: str, example: str, keep: int) -> None:
    bucket = tally.errors[cause]
    bucket.append(example) if len(bucket) < keep else bucket.append("")


def _cached_docs(nlp: Any, rows: list[dict[str, Any]], cache: Path) -> tuple[list[Any], float]:
    """Parses from a DocBin kept outside the repository (re-runs skip the parse); the parse
    time measured when the cache was written is kept beside it."""
    from spacy.tokens import DocBin

    meta = cache.with_suffix(".json")
    if cache.exists() and meta.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        info = json.loads(meta.read_text())
        if len(docs) >= len(rows) and all(d.text == r["text"] for d, r in zip(docs, rows)):
            return docs[: len(rows)], info["parse_seconds"] * len(rows) / max(1, len(docs))
    docs, parse_s = [], 0.0
    for row in rows:
        t0 = time.perf_counter()
        docs.append(nlp(row["text"]))
        parse_s += time.perf_counter() - t0
    db = DocBin(store_user_data=False)
    for d in docs:
        db.add(d)
    db.to_disk(cache)
    meta.write_text(json.dumps({"parse_seconds": parse_s}))
    return docs, parse_s


def run(
    files: list[Path],
    limit: int | None,
    keep: int,
    tool_names: list[str] | None = None,
    cache: Path | None = None,
) -> dict[str, Any]:
    from factcheck.nlp import load_spacy

    nlp = load_spacy()
    rows: list[dict[str, Any]] = []
    for f in files:
        with f.open(encoding="utf-8") as fh:
            rows.extend(json.loads(line) for line in fh if line.strip())
    if limit:
        rows = rows[:limit]
    tools: dict[str, Callable[[Any, str], list[Pred]]] = {
        "factcheck": ours,
        "textacy": textacy_quotes,
    }
    tools = {k: v for k, v in tools.items() if not tool_names or k in tool_names}
    tallies = {name: Tally() for name in tools}
    parse_s = 0.0
    nlp("warm up the pipeline.")
    cached: list[Any] | None = None
    if cache is not None:
        cached, parse_s = _cached_docs(nlp, rows, cache)
    for k, row in enumerate(rows):
        text = row["text"]
        if cached is not None:
            doc = cached[k]
        else:
            t0 = time.perf_counter()
            doc = nlp(text)
            parse_s += time.perf_counter() - t0
        referents = pronoun_referents(row, doc)
        for name, fn in tools.items():
            t0 = time.perf_counter()
            try:
                preds = fn(doc, text)
            except Exception:  # noqa: BLE001 - a tool failing on a doc counts as misses
                preds = []
                tallies[name].failed_docs += 1
            tallies[name].seconds += time.perf_counter() - t0
            before = _counts(tallies[name])
            score_doc(row, preds, tallies[name], keep, referents, k)
            after = _counts(tallies[name])
            tallies[name].per_doc.append(tuple(b - a for a, b in zip(before, after)))
    figures = {name: t.figures() for name, t in tallies.items()}
    intervals = {name: _bootstrap(t.per_doc) for name, t in tallies.items()}
    head_to_head: dict[str, Any] = {}
    if len(tallies) == 2:
        # speaker accuracy on the gold quotes every tool found: the conditional rows above
        # compare different subsets (textacy finds mostly the easy '"...," X said' quotes)
        a, b = tallies.values()
        common = a.outcomes.keys() & b.outcomes.keys()
        for cls in ("named", "pronoun", "descriptive"):
            keys = [k for k in common if a.outcomes[k][0] == cls]
            head_to_head[cls] = {"n": len(keys)} | {
                name: round(sum(t.outcomes[k][1] for k in keys) / len(keys), 4) if keys else 0
                for name, t in tallies.items()
            }
    ours_s = tallies["factcheck"].seconds if "factcheck" in tallies else 0.0
    return {
        "files": [str(f) for f in files],
        "docs": len(rows),
        "figures": figures,
        "speaker_accuracy_on_quotes_both_found": head_to_head,
        "intervals_95": intervals,
        "timing": {
            "parse_seconds": round(parse_s, 3),
            "attribution_seconds": round(ours_s, 3),
            "attribution_over_parse": round(ours_s / parse_s, 4) if parse_s else 0,
            "parse_plus_attribution_over_2x_parse": (
                round((ours_s + parse_s) / (2 * parse_s), 4) if parse_s else 0
            ),
        },
        "_errors": {name: dict(t.errors) for name, t in tallies.items()},
    }


# A human reading of 60 pronoun-speaker quotes drawn at random (seed 2024) from dev + train
# (counts only; the texts stay in PolNeAR). One referent was not a named entity ("the company"),
# leaving 59.
MANUAL_CHECK = (
    "Manual check of the referent rules (60 random pronoun quotes, dev+train, seed 2024; 59 with"
    " a named referent):\nv2 agrees with the human reading on 53/59 (0.90); v1 scores 42 of them"
    " and agrees on 28/42 (0.67).\nfactcheck's speaker was right by human reading on 50/59"
    " (0.85) (0.81 before the v2-era changes)."
)

ROWS = [
    ("recall_direct", "recall, direct quotes"),
    ("precision_direct", "precision, direct quotes"),
    ("f1_direct", "F1, direct quotes"),
    ("recall", "recall, all spans (+ partial)"),
    ("precision", "precision, all spans (lower bound)"),
    ("f1", "F1, all spans"),
    ("precision_direct_attributed", "precision, direct quotes with a speaker"),
    ("short_unmatched_predictions", "unmatched predictions <= 3 words"),
    ("named_speaker_accuracy", "speaker accuracy, named gold"),
    ("pronoun_speaker_accuracy_v2", "speaker accuracy, pronoun gold (v2)"),
    ("pronoun_speaker_accuracy", "speaker accuracy, pronoun gold (v1)"),
    ("descriptive_speaker_accuracy", "speaker accuracy, descriptive gold"),
    ("named_speaker_accuracy_all_gold", "named right / all named gold quotes"),
    ("pronoun_speaker_accuracy_v2_all_gold", "pronoun (v2) right / all pronoun gold"),
    ("predicted", "predicted spans"),
    ("seconds_excluding_parse", "seconds (excluding parse)"),
    ("failed_docs", "docs where the tool failed"),
]


# Issue #3's targets. Rates where higher is better are compared with textacy row by row.
TARGETS = [
    ("recall_direct", 0.95, "quote recall >= 0.95 (direct quotes)"),
    ("precision_direct", 0.85, "precision >= 0.85 (direct quotes)"),
    ("named_speaker_accuracy", 0.92, "named-speaker accuracy >= 0.92"),
    ("pronoun_speaker_accuracy_v2", 0.85, "pronoun-speaker accuracy >= 0.85 (v2 referent)"),
]
_COUNT_ROWS = {
    "short_unmatched_predictions", "predicted", "seconds_excluding_parse", "failed_docs",
}


def targets(result: dict[str, Any]) -> dict[str, Any]:
    """Each target met or not, and every rate row where factcheck is behind textacy."""
    figs = result["figures"]
    out: dict[str, Any] = {}
    if "factcheck" in figs:
        fc = figs["factcheck"]
        out["targets"] = {key: {"value": fc[key], "target": t, "met": fc[key] >= t}
                          for key, t, _ in TARGETS}
        ratio = result["timing"]["parse_plus_attribution_over_2x_parse"]
        out["targets"]["time_ratio"] = {"value": ratio, "target": 1.0, "met": 0 < ratio < 1.0}
        if "textacy" in figs:
            tx = figs["textacy"]
            out["behind_textacy"] = [
                key for key, _ in ROWS
                if key not in _COUNT_ROWS and fc[key] < tx[key]
            ]
    return out


def print_report(result: dict[str, Any], keep: int) -> None:
    figs = result["figures"]
    print(f"PolNeAR direct quotes: {result['docs']} docs, "
          f"{figs['factcheck']['gold_quotes']} gold quotes ({', '.join(result['files'])})")
    names = list(figs)
    print(f"{'':38} " + " ".join(f"{n:>10}" for n in names))
    for key, label in ROWS:
        print(f"{label:38} " + " ".join(f"{figs[n][key]!s:>10}" for n in names))
    h2h = result.get("speaker_accuracy_on_quotes_both_found")
    if h2h:
        print("\nSpeaker accuracy on the gold quotes both tools found:")
        for cls, row in h2h.items():
            print(f"  {cls:12} n={row['n']:<5} " + " ".join(
                f"{n} {row[n]}" for n in names))
    tg = targets(result)
    if "targets" in tg:
        print("\nTargets (issue #3):")
        labels = {key: label for key, _, label in TARGETS}
        labels["time_ratio"] = "(parse + attribution) / (2 x parse) < 1"
        ci = result.get("intervals_95", {}).get("factcheck", {})
        for key, t in tg["targets"].items():
            band = f"  (95% interval over articles {ci[key][0]}-{ci[key][1]})" if key in ci else ""
            print(f"  {'met   ' if t['met'] else 'MISSED'} {labels[key]}: {t['value']}{band}")
        if "behind_textacy" in tg:
            behind = ", ".join(tg["behind_textacy"]) or "none"
            print(f"  rows where textacy is ahead: {behind}")
    fc = figs[names[0]]
    print(f"gold speakers scored: named {fc['named_speaker_n']}, pronoun v2 "
          f"{fc['pronoun_speaker_n_v2']}, pronoun v1 {fc['pronoun_speaker_n']}")
    t = result["timing"]
    print(f"\nparse {t['parse_seconds']}s; factcheck attribution {t['attribution_seconds']}s "
          f"(x{t['attribution_over_parse']} of parse); "
          f"(parse + attribution) / (2 x parse) = {t['parse_plus_attribution_over_2x_parse']}")
    print("\nRules: found = a predicted span covers >= 50% of the gold span; precision counts a"
          " prediction\ncorrect when it overlaps a gold span by >= 50% of the shorter span."
          " 'Direct quotes' are the\npredictions not marked partial: PolNeAR keeps only"
          " attributions whose content lies wholly\ninside the marks, so quoted fragments"
          " inside reported speech (partial) are absent from its\ngold by construction; the"
          " 'all spans' rows count them anyway (a lower bound).\n"
          "A descriptive gold speaker ('the Ohio governor') is right when the tool names it or"
          " points at\nthe same phrase (it may resolve it to the person meant; PolNeAR has no"
          " coreference to check).\n"
          "Speaker accuracy rows are over the quotes each tool found; the '/ all ... gold' rows"
          " count a missed quote as wrong.\n"
          "Pronoun referents (PolNeAR has no gold coreference): v2 = the salient person"
          " mention before the pronoun\n(main-clause subject of the nearest sentence naming"
          " a gender-compatible person or gold speaker;\npronoun-subject sentences continue the"
          " chain; gender from Mr./Mrs./Ms. and the article's own\npronouns); v1 = the nearest"
          " preceding named gold speaker within 1,500 characters (old rule).\nI/we/you and"
          " pronouns without a referent are not scored.\n" + MANUAL_CHECK)
    if keep:
        for tool in names:
            errs = result["_errors"][tool]
            print(f"\nErrors by cause ({tool}):")
            for cause, items in sorted(errs.items(), key=lambda kv: -len(kv[1])):
                print(f"  {cause}: {len(items)}")
                if tool == "factcheck":
                    for ex in [x for x in items if x][:keep]:
                        print(f"      - {ex}")


# --------------------------------------------------------------------------------------
# synthetic_news gold format: {"file", "quotes": [{"quote", "speaker", "also_accept", "kind",
# "partial", "pronoun"}], "not_quotes": [...]} with the articles in ``articles/``


SYNTHETIC_DEFAULT = REPO.parent / "shared" / "eval" / "synthetic_news"


def is_synthetic(path: Path) -> bool:
    """A synthetic_news-style directory (gold.jsonl + articles/) or its gold.jsonl."""
    if path.is_dir():
        return (path / "gold.jsonl").exists() and (path / "articles").is_dir()
    return path.name == "gold.jsonl" and (path.parent / "articles").is_dir()


def _fold_marks(s: str) -> str:
    return s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def speaker_right(got: str | None, gold: str, also: list[str], kind: str) -> bool:
    """The tool's speaker is the gold speaker or one of its accepted names (folded: case,
    accents, titles, al-); for a person, the same surname with no clashing first name."""
    from factcheck.speakers import name_key

    if not got:
        return False
    wants = [gold, *also]
    for want in wants:
        for k in ("person", "organisation"):
            if name_key(got, k) and name_key(got, k) == name_key(want, k):
                return True
    if kind == "anonymous":
        # an unnamed source is right when our description is a shorter form of the gold one
        # with the same head noun ('a senior official' for 'anonymous senior ... official')
        drop = {"a", "an", "the", "one", "anonymous", "at", "of", "in", "for", "from", "near"}
        split = r" (?:at|of|in|for|from|who|near|with) "

        def head_of(s: str) -> list[str]:
            return re.split(split, " ".join(re.findall(r"[a-z]+", s.lower())))[0].split()
        g = [w for w in re.findall(r"[a-z]+", got.lower()) if w not in drop]
        w = [x for x in re.findall(r"[a-z]+", gold.lower()) if x not in drop]
        gh, wh = head_of(got), head_of(gold)
        if g and gh and wh and gh[-1] == wh[-1] and set(g) <= set(w):
            return True
    if kind == "person":
        g = name_key(got).split()
        w = name_key(gold).split()
        if g and w and g[-1] == w[-1] and (len(g) == 1 or g[0] == w[0]):
            return True
    return False


def _occurrences(text: str, s: str) -> list[int]:
    out, i = [], text.find(s)
    while i >= 0 and s:
        out.append(i)
        i = text.find(s, i + 1)
    return out


def run_synthetic(root: Path, keep: int) -> dict[str, Any]:
    """Right-speaker accuracy and not-quotes stored on a synthetic_news-style corpus, through
    the ingest path a user gets (reader, boilerplate exclusion, attribution)."""
    from factcheck.attribution import attribute
    from factcheck.corpus import read_file
    from factcheck.ingest import in_excluded
    from factcheck.records import Article

    if root.is_file():
        root = root.parent
    golds = [json.loads(line) for line in (root / "gold.jsonl").read_text().splitlines()
             if line.strip()]
    t = defaultdict(int)
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: dict[str, list[str]] = defaultdict(list)
    seconds = 0.0
    for row in golds:
        arts = [a for a in read_file(root / "articles" / row["file"]) if isinstance(a, Article)]
        if not arts:
            t["unreadable"] += 1
            continue
        art = arts[0]
        text = art.text
        t0 = time.perf_counter()
        quotes = [q for q in attribute(art) if not in_excluded(art, q.start)]
        seconds += time.perf_counter() - t0
        used: set[int] = set()  # predictions matched to a gold quote
        taken: dict[str, int] = defaultdict(int)
        for g in row["quotes"]:
            t["gold"] += 1
            occ = _occurrences(text, g["quote"])
            k = taken[g["quote"]]
            taken[g["quote"]] += 1
            if not occ:
                t["gold_not_in_text"] += 1
                continue
            gs = occ[min(k, len(occ) - 1)]
            ge = gs + len(g["quote"])
            glen = max(1, ge - gs)
            best = max(range(len(quotes)), key=lambda i: overlap(
                quotes[i].start, quotes[i].end, gs, ge), default=None)
            cls = "pronoun" if g.get("pronoun") else g.get("kind", "person")
            by_kind[cls][1] += 1
            if best is None or overlap(quotes[best].start, quotes[best].end, gs, ge) < 0.5 * glen:
                t["missed"] += 1
                _add_s(errors, "missed quote", f"{row['file']} | {g['speaker']} | "
                       + excerpt(text, gs, ge, 50), keep)
                continue
            used.add(best)
            t["found"] += 1
            q = quotes[best]
            got = q.speaker.name if q.speaker else None
            ok = speaker_right(got, g["speaker"], g.get("also_accept", []), g.get("kind", ""))
            t["right"] += ok
            by_kind[cls][0] += ok
            if not ok:
                ctx = text[q.context_start : q.context_end] or excerpt(text, gs, ge, 60)
                _add_s(errors, f"wrong speaker ({cls})",
                       f"{row['file']} | gold {g['speaker']} | ours {got!r} | "
                       + " ".join(ctx.split())[:220], keep)
        not_q = [(s, s + len(n)) for n in row.get("not_quotes", []) for s in _occurrences(text, n)]
        for i, q in enumerate(quotes):
            if i in used:
                continue
            if any(overlap(q.start, q.end, a, b) >= 0.5 * max(1, min(q.end - q.start, b - a))
                   for a, b in not_q):
                t["not_quotes_stored"] += 1
                _add_s(errors, "not-quote stored", f"{row['file']} | {q.text[:80]!r} "
                       f"(speaker {q.speaker.name if q.speaker else None!r})", keep)
            else:
                t["other_extra"] += 1
                _add_s(errors, "stored, in no gold list", f"{row['file']} | {q.text[:80]!r}",
                       keep)
    gold = t["gold"] or 1
    return {
        "corpus": str(root),
        "articles": len(golds),
        "gold_quotes": t["gold"],
        "found": t["found"],
        "right_speaker": t["right"],
        "right_speaker_accuracy": round(t["right"] / gold, 4),
        "right_speaker_of_found": round(t["right"] / t["found"], 4) if t["found"] else 0,
        "recall": round(t["found"] / gold, 4),
        "not_quotes_stored": t["not_quotes_stored"],
        "other_extra_stored": t["other_extra"],
        "by_class": {k: {"right": v[0], "n": v[1]} for k, v in sorted(by_kind.items())},
        "seconds_attribution": round(seconds, 2),
        "_errors": dict(errors),
    }


def _add_s(errors: dict[str, list[str]], cause: str, example: str, keep: int) -> None:
    errors[cause].append(example if len(errors[cause]) < keep else "")


def print_synthetic(result: dict[str, Any], keep: int) -> None:
    r = result
    print(f"synthetic_news: {r['articles']} articles, {r['gold_quotes']} gold quotes "
          f"({r['corpus']})")
    print(f"  right speaker / all gold quotes   {r['right_speaker_accuracy']}  "
          f"({r['right_speaker']}/{r['gold_quotes']})")
    print(f"  right speaker / found quotes      {r['right_speaker_of_found']}")
    print(f"  quote recall                      {r['recall']}  ({r['found']})")
    print(f"  not-quotes stored                 {r['not_quotes_stored']}")
    print(f"  stored, in no gold list           {r['other_extra_stored']}")
    print("  by class (right/n): " + ", ".join(
        f"{k} {v['right']}/{v['n']}" for k, v in r["by_class"].items()))
    print("Rules: a gold quote is found when a stored quote (outside excluded boilerplate)"
          " covers >= 50% of it;\nthe speaker is right when its folded name equals the gold"
          " speaker or an also_accept name\n(or, for a person, the same surname and first"
          " name if given). 'pronoun' = gold quotes whose cue is a pronoun.")
    if keep:
        for cause, items in sorted(r["_errors"].items(), key=lambda kv: -len(kv[1])):
            print(f"  {cause}: {len(items)}")
            for ex in [x for x in items if x][:keep]:
                print(f"      - {ex}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--examples", type=int, default=3, help="examples per error cause")
    ap.add_argument("--tools", default="factcheck,textacy", help="comma-separated tools to run")
    ap.add_argument("--parse-cache", type=Path, default=None,
                    help="DocBin file (outside the repo) to reuse parses across runs")
    ap.add_argument("--synthetic", type=Path, nargs="?", const=SYNTHETIC_DEFAULT, default=None,
                    help="score a synthetic_news-style corpus (gold.jsonl + articles/) instead")
    args = ap.parse_args(argv)
    if args.synthetic is not None or any(is_synthetic(f) for f in args.files):
        roots = [f for f in args.files if is_synthetic(f)] or [args.synthetic or SYNTHETIC_DEFAULT]
        if not all(is_synthetic(r) for r in roots):
            print(f"synthetic_news data not found ({', '.join(map(str, roots))}); skipping.")
            return 0
        for root in roots:
            res = run_synthetic(root, 0 if args.json else args.examples)
            if args.json:
                print(json.dumps({k: v for k, v in res.items() if k != "_errors"}, indent=2))
            else:
                print_synthetic(res, args.examples)
        return 0
    files = args.files or [DEFAULT]
    missing = [f for f in files if not f.exists()]
    if missing:
        print(f"PolNeAR data not found ({', '.join(map(str, missing))}); skipping evaluation.")
        return 0
    result = run(files, args.limit, 0 if args.json else args.examples,
                 args.tools.split(","), args.parse_cache)
    if args.json:
        out = {k: v for k, v in result.items() if k != "_errors"}
        out.update(targets(result))
        print(json.dumps(out, indent=2))
    else:
        print_report(result, args.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
