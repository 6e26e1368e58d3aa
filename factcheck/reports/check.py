"""Rendering a check result: a rich terminal report and Markdown.

Quotes come first (the verdict, the speaker, the words; then the evidence: where and when a
verified quote was first said, the word-level diff of a misquote, the other speaker of a
misattribution, the nearest stored quotes of an unverified one), then the claims that
conflict with the store. In Markdown all article text is escaped.
"""

from __future__ import annotations

from typing import Any

from ..checker import CheckResult, ClaimCheck, QuoteCheck, QuoteMatch
from ..escaping import escape_markdown as md_escape
from .conflicts import KIND_HELP, KIND_STYLES

VERDICT_STYLES = {"verified": "bold green", "misquote": "bold red",
                  "misattribution": "bold magenta", "unverified": "bold yellow"}
OMIT_WORDS = 10  # omitted context shown on each side of an excerpt


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clip_words(text: str, n: int, from_end: bool) -> str:
    words = _one_line(text).split()
    if len(words) <= n:
        return " ".join(words)
    return "… " + " ".join(words[-n:]) if from_end else " ".join(words[:n]) + " …"


def _where(m: QuoteMatch | dict[str, Any]) -> str:
    get = m.get if isinstance(m, dict) else lambda k: getattr(m, k)
    title = get("title") or get("article_id")
    return (f"{title} · {get('source') or 'unknown source'} · {get('published') or 'undated'}"
            f" [{get('start')}:{get('end')}]")


def summary_line(result: CheckResult) -> str:
    s = result.summary
    nq = len(result.quotes)
    kinds = ", ".join(f"{s[f'claims_{k}']} {k}" for k in
                      ("contradiction", "dispute", "update", "series", "consistent", "new")
                      if s[f"claims_{k}"])
    return (f"{nq} quote(s): {s['verified']} verified, {s['misquote']} misquote, "
            f"{s['misattribution']} misattribution, {s['unverified']} unverified · "
            f"{len(result.claims)} claim(s){': ' + kinds if kinds else ''} · "
            f"{s['conflicts']} conflict(s) with the store")


# --- terminal -------------------------------------------------------------------------------


def diff_text(diff: list[dict[str, Any]]) -> Any:
    """The diff as rich Text: dropped words struck out red, added words green."""
    from rich.text import Text

    out = Text()
    for k, op in enumerate(diff):
        if k:
            out.append(" ")
        kind = op["op"]
        if kind == "equal":
            out.append(_one_line(str(op["quote"])))
        elif kind == "omit":
            before = op.get("position") == "before"
            out.append(_clip_words(str(op["stored"]), OMIT_WORDS, from_end=before),
                       style="dim italic")
        elif kind == "delete":
            out.append(_one_line(str(op["stored"])), style="bold red strike")
        elif kind == "insert":
            out.append(_one_line(str(op["quote"])), style="bold green underline")
        else:
            out.append(_one_line(str(op["stored"])), style="bold red strike")
            out.append(" ")
            out.append(_one_line(str(op["quote"])), style="bold green underline")
    return out


def _quote_block(q: QuoteCheck) -> Any:
    from rich.console import Group
    from rich.text import Text

    lines: list[Any] = []
    head = Text()
    head.append(f"{q.verdict.upper():<15}", style=VERDICT_STYLES.get(q.verdict, "bold"))
    who = q.speaker or "no speaker named"
    if q.stored_speaker and q.stored_speaker != q.speaker:
        who += f" (= {q.stored_speaker})"
    head.append(who, style="bold cyan")
    head.append(f"  [{q.start}:{q.end}]", style="dim")
    lines.append(head)
    lines.append(Text("  “" + _one_line(q.quote) + "”"))
    for note in q.notes:
        lines.append(Text("  · " + note, style="italic"))
    if q.verdict == "verified" and q.first_said:
        f = q.first_said
        lines.append(Text(f"  first said: {_where(f)}", style="dim"))
        for m in q.matches[1:]:
            lines.append(Text(f"  also: {_where(m)}", style="dim"))
        if q.matches and q.matches[0].diff:
            lines.append(Text("  ") + diff_text(q.matches[0].diff))
    elif q.verdict in ("misquote", "misattribution"):
        for m in q.matches[:1 if q.verdict == "misquote" else 3]:
            label = f"  stored ({m.speaker or '?'}): " if q.verdict == "misattribution" \
                else "  stored: "
            lines.append(Text(label, style="dim") + Text("“" + _one_line(m.quote) + "”"))
            lines.append(Text(f"    {_where(m)}", style="dim"))
            if m.diff:
                lines.append(Text("  diff: ", style="dim") + diff_text(m.diff))
    elif q.matches:
        lines.append(Text("  nearest stored:", style="dim"))
        for m in q.matches:
            sem = f" cos {m.semantic:.2f}" if m.semantic is not None else ""
            lines.append(Text(f"    {m.speaker or '?'}: ", style="cyan")
                         + Text("“" + _one_line(m.quote) + "”")
                         + Text(f"  ({_where(m)}; words {m.similarity:.2f}{sem})", style="dim"))
    lines.append(Text(""))
    return Group(*lines)


def _claim_block(c: ClaimCheck) -> Any:
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    head = Text()
    head.append(f"{c.verdict.upper():<15}", style=KIND_STYLES.get(c.verdict, "bold"))
    head.append(c.speaker or "the outlet", style="bold cyan")
    head.append(f"  [{c.start}:{c.end}] about {c.claim_time or '?'}", style="dim")
    parts: list[Any] = [head, Text("  " + _one_line(c.text))]
    for conf in c.conflicts[:3]:
        parts.append(Text(f"  {conf['kind']} — {KIND_HELP.get(conf['kind'], '')}: "
                          f"{conf['topic']} (score {conf['score']:.2f}, id {conf['id']})",
                          style="italic"))
        parts.append(Text("  " + _one_line(conf["explanation"]), style="dim"))
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("", no_wrap=True)
        table.add_column("", ratio=3)
        for e in conf["claims"]:
            if e.get("new"):
                continue
            table.add_row(Text(f"    {e.get('claim_time') or '?'}", style="dim"),
                          Text(f"{e.get('speaker') or 'the outlet'}: ", style="cyan")
                          + Text(_one_line(e["text"]))
                          + Text(f"  ({_where(e)})", style="dim"))
        parts.append(table)
    parts.append(Text(""))
    return Group(*parts)


def render_terminal(result: CheckResult) -> Any:
    """A rich renderable of the whole check."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.rule import Rule
    from rich.text import Text

    a = result.article
    title = Text(f"{a.get('title') or a['id']}", style="bold")
    meta = Text(f"{a['id']} · {a.get('source') or 'unknown source'} · "
                f"{a.get('published') or 'undated'}", style="dim")
    parts: list[Any] = [title, meta]
    if a.get("already_stored_as"):
        parts.append(Text(f"note: this exact text is already stored as "
                          f"{a['already_stored_as']}; its quotes match themselves",
                          style="yellow"))
    parts.append(Text(summary_line(result)))
    out: list[Any] = [Panel(Group(*parts), title="factcheck check", title_align="left")]
    out.append(Rule("Quotes", align="left"))
    if not result.quotes:
        out.append(Text("No direct quotes found."))
    out += [_quote_block(q) for q in result.quotes]
    conflicting = [c for c in result.claims if c.conflicts]
    out.append(Rule("Claims in conflict with the store", align="left"))
    if not conflicting:
        out.append(Text("None."))
    out += [_claim_block(c) for c in conflicting]
    rest = [c for c in result.claims if not c.conflicts]
    if rest:
        n_cons = sum(1 for c in rest if c.verdict == "consistent")
        out.append(Text(f"{n_cons} claim(s) consistent with stored claims, "
                        f"{len(rest) - n_cons} new (nothing comparable stored).", style="dim"))
    if result.stored:
        out.append(Text(f"Stored {a['id']} in the index.", style="green"))
    return Group(*out)


# --- markdown -------------------------------------------------------------------------------


def diff_markdown(diff: list[dict[str, Any]]) -> str:
    """The diff in Markdown: ~~dropped~~ **added**, omitted context in italics."""
    parts: list[str] = []
    for op in diff:
        kind = op["op"]
        if kind == "equal":
            parts.append(md_escape(str(op["quote"])))
        elif kind == "omit":
            before = op.get("position") == "before"
            parts.append("*" + md_escape(_clip_words(str(op["stored"]), OMIT_WORDS, before))
                         + "*")
        elif kind == "delete":
            parts.append(f"~~{md_escape(str(op['stored']))}~~")
        elif kind == "insert":
            parts.append(f"**{md_escape(str(op['quote']))}**")
        else:
            parts.append(f"~~{md_escape(str(op['stored']))}~~ **{md_escape(str(op['quote']))}**")
    return " ".join(p for p in parts if p)


def _md_where(m: QuoteMatch | dict[str, Any]) -> str:
    return md_escape(_where(m))


def render_markdown(result: CheckResult) -> str:
    a = result.article
    lines = [f"# Check: {md_escape(a.get('title') or a['id'])}", "",
             f"{md_escape(a['id'])} · {md_escape(a.get('source') or 'unknown source')} · "
             f"{md_escape(a.get('published') or 'undated')}", "",
             md_escape(summary_line(result)), ""]
    if a.get("already_stored_as"):
        lines += [f"> Note: this exact text is already stored as "
                  f"{md_escape(a['already_stored_as'])}.", ""]
    lines += ["## Quotes", ""]
    if not result.quotes:
        lines += ["No direct quotes found.", ""]
    for q in result.quotes:
        who = md_escape(q.speaker or "no speaker named")
        if q.stored_speaker and q.stored_speaker != q.speaker:
            who += f" (= {md_escape(q.stored_speaker)})"
        lines += [f"### {q.verdict} — {who}", "", f"> “{md_escape(q.quote)}”", ""]
        lines += [f"- {md_escape(n)}" for n in q.notes]
        if q.verdict == "verified" and q.first_said:
            lines.append(f"- first said: {_md_where(q.first_said)}")
            lines += [f"- also: {_md_where(m)}" for m in q.matches[1:]]
            if q.matches and q.matches[0].diff:
                lines.append(f"- excerpt: {diff_markdown(q.matches[0].diff)}")
        elif q.verdict in ("misquote", "misattribution"):
            for m in q.matches[:1 if q.verdict == "misquote" else 3]:
                lines.append(f"- stored ({md_escape(m.speaker or '?')}): “{md_escape(m.quote)}” "
                             f"— {_md_where(m)}")
                if m.diff:
                    lines.append(f"- diff: {diff_markdown(m.diff)}")
        elif q.matches:
            lines.append("- nearest stored quotes:")
            lines += [f"  - {md_escape(m.speaker or '?')}: “{md_escape(m.quote)}” — "
                      f"{_md_where(m)}" for m in q.matches]
        lines.append("")
    lines += ["## Claims in conflict with the store", ""]
    conflicting = [c for c in result.claims if c.conflicts]
    if not conflicting:
        lines += ["None.", ""]
    for c in conflicting:
        lines += [f"### {c.verdict} — {md_escape(c.speaker or 'the outlet')}", "",
                  f"> {md_escape(c.text)}", ""]
        for conf in c.conflicts[:3]:
            lines.append(f"- **{conf['kind']}** ({md_escape(KIND_HELP.get(conf['kind'], ''))}):"
                         f" {md_escape(conf['topic'])} — {md_escape(conf['explanation'])}")
            for e in conf["claims"]:
                if e.get("new"):
                    continue
                lines.append(f"  - {md_escape(e.get('claim_time') or '?')}, "
                             f"{md_escape(e.get('speaker') or 'the outlet')}: "
                             f"“{md_escape(e['text'])}” — {_md_where(e)}")
        lines.append("")
    rest = [c for c in result.claims if not c.conflicts]
    if rest:
        n_cons = sum(1 for c in rest if c.verdict == "consistent")
        lines += [f"{n_cons} claim(s) consistent with stored claims, {len(rest) - n_cons} new.",
                  ""]
    return "\n".join(lines)
