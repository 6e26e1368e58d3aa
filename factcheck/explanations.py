"""Explanations a journalist can read: who said what, when, and why the claims conflict.

"Vladimir Putin said that Moscow had suspended deliveries of S-300 missile systems (2 Sept
2013); a report published April 2017 says that in 2016, Russian S-300 … batteries were
transferred to Tartus. The state changed over time — deliveries: halted (2 Sept 2013) →
going ahead (2016): an update, not a contradiction."

Only quotes are shown in quotation marks: a reported or reporter clause is the outlet's
wording, and a journalist must not mistake it for the speaker's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .lexicons import THEME_CLASSES
from .records import Claim

if TYPE_CHECKING:
    from .judges import JudgeContext

MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov",
          "Dec")
MAX_DESCRIBED = 4  # claims spelled out in one explanation; the timeline shows them all

# What each event frame is about, and how its two states read in a timeline.
STATES: dict[str, tuple[str, dict[int, str]]] = {
    "supply": ("deliveries", {1: "going ahead", -1: "halted"}),
    "presence": ("military presence", {1: "building up", -1: "withdrawing"}),
    "truce": ("the truce", {1: "holding", -1: "broken"}),
    "tenure": ("{agent}'s place in power", {1: "kept", -1: "ended"}),
    "willingness": ("readiness to take part", {1: "ready", -1: "refusing"}),
    "visit": ("the visit", {1: "took place", -1: "did not take place"}),
    "attack": ("the strikes", {1: "carried out", -1: "did not happen"}),
}
_LOWER_STARTS = {"The", "A", "An", "It", "They", "We", "There", "This", "These", "Those",
                 "Such", "Its", "Their", "He", "She", "In", "On", "At", "After", "Before"}


def fmt_date(iso: str | None) -> str:
    """"2013-09-02" -> "2 Sept 2013", "2013-09" -> "Sept 2013", "2016" -> "2016"."""
    if not iso:
        return "undated"
    parts = iso.split("-")
    try:
        if len(parts) >= 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return iso
    return parts[0]


def fmt_figure(n: dict[str, Any]) -> str:
    """A figure with its hedge in words: "more than 70,000", "up to 500", "about 40"."""
    v = float(n["value"])
    text = f"{v:,.0f}" if v.is_integer() else f"{v:,}"
    low, high = n.get("low"), n.get("high")
    if high is None or high == float("inf"):
        return f"more than {text}"
    if low == 0:
        return f"up to {text}"
    if low is not None and high is not None and (high - low) > 0.1 * v:
        return f"about {text}"
    return text


def outlet(c: Claim, ctx: JudgeContext) -> str | None:
    art = ctx.articles.get(c.article_id)
    if art is not None and art.source and art.source.lower() != "unknown":
        return art.source
    return None


def who(c: Claim, ctx: JudgeContext) -> str:
    """The speaker, else the outlet, else "a report"."""
    return c.speaker or outlet(c, ctx) or "a report"


def frame_event(c: Claim, frame: str, agent: str | None = None) -> dict[str, Any] | None:
    """The claim's event in ``frame`` (the one about ``agent`` when given)."""
    evs = [e for e in (c.data or {}).get("events", []) if e.get("frame") == frame]
    if agent:
        evs = [e for e in evs if e.get("agent") in (agent, None)] or evs
    # A dated sub-event ("weeks after declaring a withdrawal") is the more telling one.
    evs.sort(key=lambda e: 0 if e.get("time") else 1)
    return evs[0] if evs else None


def member_time(c: Claim, topic_key: str) -> str:
    """The time a claim stands at on a conflict's timeline."""
    from .judges import event_time

    frame, _, key = topic_key.partition(":")
    return event_time(c, frame_event(c, frame, key)) or ""


def gist(text: str, rel_at: int | None = None, n: int = 120) -> str:
    """The claim text in one line, cut to about ``n`` characters around offset ``rel_at``."""
    text = " ".join(text.split()).rstrip(" ,;:.")
    if len(text) > n:
        lo = 0 if rel_at is None or rel_at < n // 2 else max(0, rel_at - n // 3)
        cut = text[lo: lo + n]
        if lo:
            cut = "…" + cut[cut.find(" ") + 1:]
        if lo + n < len(text):
            cut = cut[: cut.rfind(" ")] + "…"
        text = cut
    first = text.split(" ", 1)[0]
    if first in _LOWER_STARTS:
        text = first.lower() + text[len(first):]
    return text


def _focus(c: Claim, topic_key: str) -> int | None:
    """Offset in the claim text of what the conflict is about (the event, the word)."""
    frame, _, key = topic_key.partition(":")
    ev = frame_event(c, frame, key) if frame in STATES else None
    if ev is not None and isinstance(ev.get("at"), int):
        return int(ev["at"]) - c.start
    if frame == "scale":
        scale = key.split(":", 1)[0]
        for sc in (c.data or {}).get("scales", []):
            if sc.get("scale") == scale:
                at = c.text.lower().find(str(sc.get("word", "")).lower())
                if at >= 0:
                    return at
    return None


def describe(c: Claim, ctx: JudgeContext, topic_key: str = "") -> str:
    """One claim as a journalist would cite it."""
    frame, _, key = topic_key.partition(":")
    ev = frame_event(c, frame, key) if frame in STATES else None
    g = gist(c.text, _focus(c, topic_key))
    when = fmt_date(c.claim_time)
    data = c.data or {}
    source = data.get("source")
    art = ctx.articles.get(c.article_id)
    pub = fmt_date(art.published) if art is not None and art.published else None
    surname = (c.speaker or "").split()[-1:] or [""]
    denial = data.get("denial") or {}
    if denial.get("anaphoric"):
        out = f"{who(c, ctx)} denied it ({when})"
    elif source == "quote" and c.speaker:
        out = f"{c.speaker} ({when}): “{g}”"
    elif c.speaker and surname[0] and surname[0] in g[:40]:
        out = f"{g} ({when})"  # the clause names its speaker: "Ozerov also gave ..."
    elif c.speaker:
        out = f"{c.speaker} said that {g} ({when})"
    elif outlet(c, ctx):
        out = f"{outlet(c, ctx)} reported ({pub or when}) that {g}"
    else:
        out = f"a report published {pub or when} says that {g}"
    if ev is not None and ev.get("time"):
        out += f" — the {ev.get('lemma', 'event')} dates to about {fmt_date(ev['time'])}"
    return out


def _figures(members: Sequence[Claim], topic_key: str, ctx: JudgeContext) -> str:
    key = (topic_key.split(":") + [""])[1]  # "num:killed|conflict:syria": the place after
    steps: list[tuple[str, str, list[str]]] = []  # (figure, date, sources)
    for c in members:
        nums = [n for n in (c.data or {}).get("numbers", []) if n.get("key") == key]
        if not nums:
            continue
        fig, date = fmt_figure(nums[0]), fmt_date(c.claim_time)
        if steps and steps[-1][:2] == (fig, date):
            if who(c, ctx) not in steps[-1][2]:
                steps[-1][2].append(who(c, ctx))
            continue
        steps.append((fig, date, [who(c, ctx)]))
    return " → ".join(f"{fig} ({date}, {' and '.join(src)})" for fig, date, src in steps)


def _frame_figures(members: Sequence[Claim], topic_key: str, ctx: JudgeContext) -> str:
    _, measure, noun = (topic_key.split(":") + ["", ""])[:3]
    steps: list[str] = []
    for c in members:
        # The report's frames (stored ones decoded once): the figures of frame_of(text).
        figs = [f for f in ctx.frames.get(c).figures
                if (f.measure or f.unit or "") == measure and (f.noun_class or "") == noun]
        if figs:
            step = f"{figs[0].text} ({fmt_date(c.claim_time)}, {who(c, ctx)})"
            if step not in steps:
                steps.append(step)
    return " → ".join(steps)


def _positions(members: Sequence[Claim], ctx: JudgeContext, word: Any) -> str:
    """"John Kerry: “destabilizing”; Viktor Ozerov: “defensive”" — each party once."""
    seen: dict[str, str] = {}
    for c in members:
        w = word(c)
        if w and who(c, ctx) not in seen:
            seen[who(c, ctx)] = w
    return "; ".join(f"{k}: {v}" for k, v in seen.items())


def _scale_word(c: Claim, scale: str) -> str | None:
    from .lexicons import SCALES

    words = [s for s in (c.data or {}).get("scales", []) if s.get("scale") == scale]
    plain = [s["word"] for s in words if SCALES.get(s["word"], ("", 0))[1] == s["value"]]
    if plain:
        return f"“{plain[0]}”"
    return f"not “{words[0]['word']}”" if words else None


def _states(members: Sequence[Claim], topic_key: str, ctx: JudgeContext) -> str:
    frame, _, key = topic_key.partition(":")
    noun, words = STATES.get(frame, (frame, {1: "yes", -1: "no"}))
    noun = noun.replace("{agent}", ctx.label(key, *members))
    steps: list[tuple[str, str]] = []
    for c in members:
        ev = frame_event(c, frame, key)
        if ev is None:
            continue
        state = words.get(1 if ev["polarity"] > 0 else -1, "")
        if steps and steps[-1][0] == state:
            continue
        steps.append((state, fmt_date(member_time(c, topic_key))))
    return f"{noun}: " + " → ".join(f"{s} ({d})" for s, d in steps)


def explain(kind: str, basis: str, label: str, topic_key: str, members: Sequence[Claim],
            ctx: JudgeContext) -> str:
    """Why ``members`` (one conflict's claims) conflict, in plain words, oldest first."""
    members = sorted(members, key=lambda c: (member_time(c, topic_key), c.article_id, c.start))
    if basis == "numeric":
        head = label[:1].upper() + label[1:]
        figures = _figures(members, topic_key, ctx)
        tail = {"series": "The figure changed over time: a running count, not an error.",
                "dispute": "The sources give different figures for the same time.",
                "contradiction": "One source gives different figures for the same time."}
        return f"{head}: {figures}. {tail.get(kind, '')}".strip()
    if basis == "figure":
        head = label[:1].upper() + label[1:]
        tail = {"series": "The figure changed over time: a running count, not an error.",
                "contradiction": "Different figures for one quantity at one time, or for a "
                                 "fixed fact: both cannot be right."}
        return f"{head}: {_frame_figures(members, topic_key, ctx)}. {tail.get(kind, '')}".strip()
    frame, _, key = topic_key.partition(":")
    shown = list(members)
    if len(shown) > MAX_DESCRIBED:
        shown = shown[: MAX_DESCRIBED - 1] + shown[-1:]
    descs: list[str] = []
    for c in shown:
        d = describe(c, ctx, topic_key)
        if d not in descs:
            descs.append(d)
    more = len(members) - len(shown)
    text = "; ".join(descs) + (f" (and {more} more in the timeline)" if more > 0 else "") + "."
    text = text[:1].upper() + text[1:]
    if basis == "denial":
        deniers = sorted({who(c, ctx) for c in members if (c.data or {}).get("denial")})
        deny = " and ".join(deniers) or "One side"
        return f"{text} {deny[:1].upper() + deny[1:]} denies it: the parties dispute what " \
               "happened."
    why = {"position": f"The parties take opposite positions on {label.split(' — ')[0]}.",
           "evaluation": f"The parties judge {label.split(' — ')[0]} in opposite terms.",
           "blame": "The parties put the responsibility for the same outcome on different "
                    "causes.",
           "state": "The state changed over time: an update, not a contradiction.",
           "denial-frame": "One side says it did not happen: the parties dispute what "
                           "happened.",
           "stage": "One says it has reached a stage, the other, of the same weeks, that it "
                    "has not reached an earlier one: both cannot be true."}
    if basis in why:
        return f"{text} {why[basis]}"
    if basis == "scale":
        scale = topic_key.split(":")[1] if topic_key.count(":") >= 2 else ""
        about = label.split(" — ")[0]
        if about in THEME_CLASSES.values():
            about = f"the {about}"  # a class of things ("weapons"), not a name
        views = _positions(members, ctx, lambda c: _scale_word(c, scale))
        return f"{text} Opposite judgements of {about} — {views}."
    if kind == "update":
        return f"{text} The state changed over time — {_states(members, topic_key, ctx)}: " \
               "an update, not a contradiction."
    if kind == "dispute":
        if frame not in STATES:
            return f"{text} The parties take opposite positions on {label}."
        noun, words = STATES[frame]
        noun = noun.replace("{agent}", ctx.label(key, *members))

        def state(c: Claim) -> str | None:
            ev = frame_event(c, frame, key)
            return None if ev is None else words[1 if ev["polarity"] > 0 else -1]

        return f"{text} The parties take opposite positions on {noun} — " \
               f"{_positions(members, ctx, state)}."
    if kind == "contradiction":
        return f"{text} They say opposite things about the same thing at the same time: " \
               "both cannot be true."
    return text
