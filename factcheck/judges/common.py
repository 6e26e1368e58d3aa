"""What the class judges share: which party asserts a claim (a speaker, its state, the
outlet), whether two claims come from two parties, a topic label a reader understands, and
the judges' base class."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..records import Claim
from .frames import (
    _DATELINE,
    Frame,
    FrameCache,
    stem,
)

if TYPE_CHECKING:
    from . import JudgeContext, Verdict


def _verdict(*args: Any, **kw: Any) -> Verdict:
    from . import Verdict

    return Verdict(*args, **kw)


def _frames(ctx: JudgeContext) -> FrameCache:
    return ctx.frames


def party(c: Claim, ctx: JudgeContext) -> str:
    """Who asserts a claim: its speaker, else the outlet (the reporter's own voice). A
    reporter's lead-in ("the union leader blamed the company") speaks for the quote after it."""
    cache = ctx.frames.parties
    got = cache.get(id(c))
    if got is None:
        got = cache[id(c)] = _party_of(c, ctx)
    return str(got)


def _party_of(c: Claim, ctx: JudgeContext) -> str:
    voice = ctx.frames.voice.get(id(c))
    if voice is not None:
        c = voice
    if c.speaker and not _dateline_speaker(c):
        return " ".join((_owner(c, ctx) + c.speaker).lower().replace("'s", "").split())
    art = ctx.articles.get(c.article_id)
    return f"outlet:{(art.source or c.article_id).lower()}" if art else f"outlet:{c.article_id}"


def _dateline_speaker(c: Claim) -> bool:
    """"PORT ELLIS, Oct 30 (Wire) – …": the place a story was filed from is no speaker."""
    sp = c.speaker or ""
    return sp.isupper() and c.text.startswith(sp) and c.text[len(sp): len(sp) + 1] in (",", " ")


def _owner(c: Claim, ctx: JudgeContext) -> str:
    """"Norland's Defence Ministry said …" cut to "Defence Ministry" by the attributor: whose
    ministry it is, read from the words just before the claim ("" when none or named)."""
    art = ctx.articles.get(c.article_id)
    sp = c.speaker or ""
    if art is None or not art.text or "'" in sp or "’" in sp or not sp[:1].isupper():
        return ""
    before = art.text[max(0, c.start - 90): c.start]
    if sp not in before or ("'s" not in before and "’s" not in before):
        return ""
    # r"\b([A-Z][\w-]+)['’]s\s+(?:own\s+)?" + re.escape(sp) + r"\b", without compiling a
    # pattern per speaker: the owner's words, then the speaker's name right after them.
    owner = next((m.group(1) for m in _OWNED.finditer(before)
                  if before.startswith(sp, m.end()) and _EDGE.match(before, m.end() + len(sp))),
                 None)
    if owner is None or owner.lower() in sp.lower():
        return ""
    return owner + " "


_OWNED = re.compile(r"\b([A-Z][\w-]+)['’]s\s+(?:own\s+)?")


_EDGE = re.compile(r"\b")


# Speakers cut to a bare noun by the attributor ("Ministry"): not enough to say which side.
GENERIC_SPEAKERS = frozenset({"ministry", "the ministry", "government", "the government",
                              "police", "officials", "official", "spokesman", "spokeswoman",
                              "army", "military", "navy", "commission", "council", "board"})


def two_parties(a: Claim, b: Claim, ctx: JudgeContext) -> bool:
    pa, pb = party(a, ctx), party(b, ctx)
    if pa == pb:
        return False
    if _one_state(pa, pb):
        return False  # "Norland's defence ministry" and "Norland foreign ministry": one side
    ca = _country_voice(pa)
    if ca is not None and ca == _country_voice(pb):
        return False  # "Tokyo", "the Japanese", "a Japanese defence ministry spokesman"
    short, long_ = sorted((pa, pb), key=len)
    return short in GENERIC_SPEAKERS or short not in long_


# Bodies of a state: two of them named for one country speak for one government.
_STATE_BODY = re.compile(r"\b(?:ministry|ministries|government|cabinet|presidency|army|navy|"
                         r"military|armed forces|air force|embassy|foreign office|coast guard|"
                         r"defen[cs]e|interior)\b")


_VOICE_WORDS = frozenset("a an the of officials official authorities spokesman spokeswoman "
                         "spokesperson representative side forces troops military army navy "
                         "air force ministry government foreign defence defense interior "
                         "state statement command leadership".split())


@lru_cache(maxsize=10_000)
def _country_voice(p: str) -> str | None:
    """The country a party speaks for when it is only the state under another name: a
    capital, a demonym, or a state body with the country's adjective (None otherwise)."""
    from ..lexicons import COUNTRY_ALIASES

    words = [w.strip(".,'’") for w in p.split()]
    rest = [w for w in words if w not in _VOICE_WORDS]
    keys = {COUNTRY_ALIASES.get(w) for w in rest}
    if len(keys) != 1 or None in keys:
        return None
    return keys.pop()


def _one_state(pa: str, pb: str) -> bool:
    if not (_STATE_BODY.search(pa) and _STATE_BODY.search(pb)):
        return False
    generic = {"ministry", "government", "foreign", "defence", "defense", "interior", "the",
               "of", "state", "national", "army", "navy", "military", "office", "health",
               "energy", "water", "resources", "justice", "affairs", "forces", "armed", "air",
               "force", "embassy", "cabinet", "presidency", "coast", "guard", "federal"}
    na = set(pa.split()) - generic
    nb = set(pb.split()) - generic
    return bool(na & nb)


def _word_for(c: Claim, s: str) -> str:
    for w in c.text.replace("“", " ").replace("”", " ").replace('"', " ").split():
        w = w.strip(".,;:!?()[]'’")
        if w and stem(w) == s:
            return w
    return s


def topic_label(a: Claim, b: Claim, ctx: JudgeContext, shared: list[str],
                prefer: frozenset[str] = frozenset()) -> tuple[str, str]:
    """(key, label): the words both claims use for what they are about, as claim ``a`` says
    them ("Vell border crossing", "collision in Halden harbour"), never a stem or a unit."""
    if not shared:
        return "", ""
    phrase = _phrase(a.text, set(shared), prefer, _frames(ctx))
    if phrase:
        return shared[0], phrase
    return shared[0], _word_for(a, shared[0])


_LINKS = {"of", "in", "on", "at", "for", "the"}


MAX_LABEL_WORDS = 5


def _phrase(text: str, shared: set[str], prefer: frozenset[str], fc: FrameCache) -> str:
    """The run of consecutive words of ``text`` whose stems are shared (links like "of"
    allowed inside), the one that weighs most (or holds a ``prefer`` stem)."""
    # "OSTRAVEN, May 3 (Wire) -": where the story was filed is not what it is about.
    text = _DATELINE.sub(lambda m: " " * len(m.group(0)), text, count=1)
    words = [w.strip(".,;:!?()[]'’“”\"") for w in text.split()]
    runs: list[list[str]] = []
    cur: list[str] = []
    for w in words:
        st = stem(w) if w else ""
        if st in shared:
            cur.append(w)
        elif cur and w.lower() in _LINKS:
            cur.append(w)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    runs = [r[: len(r) - next(i for i, w in enumerate(reversed(r)) if w.lower() not in _LINKS)]
            for r in runs]
    runs = [r for r in runs if r]
    if not runs:
        return ""

    def weight(r: list[str]) -> tuple[int, float]:
        stems = {stem(w) for w in r}
        return (1 if stems & prefer else 0, sum(fc.idf(x) for x in stems & shared))

    best = max(runs, key=weight)[:MAX_LABEL_WORDS]
    while best[-1].lower() in _LINKS:  # cut to length, a label must not end on "the"
        best.pop()
    return " ".join(best)


class _Base:
    name = "rule"
    min_weight = 6.0  # summed rarity of the shared topic words
    min_rare = 3.5  # rarity of the rarest one

    def about_same(self, a: Claim, b: Claim, fa: Frame, fb: Frame, ctx: JudgeContext,
                   min_shared: int = 2) -> list[str] | None:
        fc = _frames(ctx)
        shared, weight = fc.shared(fa, fb)
        if not shared:
            return None
        if a.article_id == b.article_id and len(shared) >= 1 and weight >= self.min_rare:
            return shared
        if len(shared) < min_shared or weight < self.min_weight:
            return None
        if fc.idf(shared[0]) < self.min_rare:
            return None
        return shared

    def _dispute(self, a: Claim, b: Claim, ctx: JudgeContext, basis: str, what: str,
                 score: float, shared: list[str], prefer: frozenset[str] = frozenset()
                 ) -> Verdict:
        key, label = topic_label(a, b, ctx, shared, prefer)
        label = f"{label} — {what}" if label else what
        topic = f"{basis}:{key}"
        # The explanation is written once per conflict, over all its claims (crosscheck).
        return _verdict("dispute", score, "", topic, label, basis)
