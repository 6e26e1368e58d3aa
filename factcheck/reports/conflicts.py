"""Rendering claim conflicts: a rich terminal view, Markdown, and the JSON form.

Conflicts are grouped by topic; each shows its kind, why it was flagged, and a timeline of
its claims (claim time, publication date, speaker, source, article, offsets, sentence).
In Markdown every piece of article text is escaped, so nothing in an article can inject
formatting or links into a newsroom document.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from ..crosscheck import ClaimEvidence, Conflict, conflict_to_dict

KIND_STYLES = {"contradiction": "bold red", "dispute": "bold yellow", "update": "bold cyan",
               "series": "bold magenta"}
KIND_HELP = {
    "contradiction": "cannot both be true (same thing, same time)",
    "dispute": "parties assert opposite things",
    "update": "the state changed over time",
    "series": "an evolving figure",
}


def group_by_topic(conflicts: list[Conflict]) -> OrderedDict[str, list[Conflict]]:
    groups: OrderedDict[str, list[Conflict]] = OrderedDict()
    for c in conflicts:
        groups.setdefault(c.topic, []).append(c)
    return groups


def to_json(conflicts: list[Conflict]) -> dict[str, Any]:
    return {"conflicts": [conflict_to_dict(c) for c in conflicts]}


def _who(e: ClaimEvidence) -> str:
    return e.speaker or f"{e.source or 'the outlet'} (reporter)"


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- terminal -------------------------------------------------------------------------------


def render_terminal(conflicts: list[Conflict]) -> Any:
    """A rich renderable: one section per topic, each conflict with timeline and evidence."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    if not conflicts:
        return Text("No conflicts found.")
    parts: list[Any] = []
    for topic, items in group_by_topic(conflicts).items():
        body: list[Any] = []
        for c in items:
            head = Text()
            head.append(f"{c.kind.upper()}", style=KIND_STYLES.get(c.kind, "bold"))
            head.append(f"  {KIND_HELP.get(c.kind, '')}  score {c.score:.2f}  id {c.id}",
                        style="dim")
            body.append(head)
            body.append(Text(c.explanation))
            table = Table(show_header=True, header_style="bold", box=None, pad_edge=False,
                          expand=True)
            table.add_column("about", no_wrap=True)
            table.add_column("published", no_wrap=True)
            table.add_column("who")
            table.add_column("article")
            table.add_column("claim", ratio=3)
            for e in c.claims:
                where = f"{e.title or e.article_id}\n{e.source or ''} [{e.start}:{e.end}]"
                table.add_row(e.claim_time or "?", e.published or "?", _who(e), where,
                              Text(_one_line(e.text)))
            body.append(table)
            body.append(Text(""))
        parts.append(Panel(Group(*body), title=Text(topic, style="bold"), title_align="left"))
    return Group(*parts)


# --- markdown -------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def md_escape(text: str) -> str:
    """Escape Markdown (and inline HTML) metacharacters in article text."""
    text = _one_line(text)
    text = text.replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(conflicts: list[Conflict]) -> str:
    lines = ["# Claim conflicts", ""]
    if not conflicts:
        return "\n".join(lines + ["No conflicts found.", ""])
    for topic, items in group_by_topic(conflicts).items():
        lines += [f"## {md_escape(topic)}", ""]
        for c in items:
            lines += [f"### {c.kind} — {KIND_HELP.get(c.kind, '')} (score {c.score:.2f}, "
                      f"id `{c.id}`)", "", md_escape(c.explanation), "",
                      "| about | published | who | article | claim |",
                      "|---|---|---|---|---|"]
            for e in c.claims:
                where = (f"{md_escape(e.title or e.article_id)}, {md_escape(e.source or '')} "
                         f"\\[{e.start}:{e.end}\\]")
                lines.append(f"| {md_escape(e.claim_time or '?')} | "
                             f"{md_escape(e.published or '?')} | {md_escape(_who(e))} | "
                             f"{where} | {md_escape(e.text)} |")
            lines.append("")
    return "\n".join(lines)
