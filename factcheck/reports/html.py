"""Self-contained HTML reports: conflicts, who said what, and check results.

One file, nothing fetched: CSS and JS are inline, and a Content-Security-Policy forbids every
network request. The policy allows only the page's own script (by its SHA-256), so even text
that slipped past escaping could not run; every piece of article text is escaped anyway.

The page records its own health for the browser test and for anyone curious:
``<html data-js-errors="N" data-csp-violations="N" data-ready="1">``.

Rendering works from records (Conflict, Claim, StoredQuote, Speaker, Article and the
checker's results), read by attribute or key so the writer does not pin their classes.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..dates import date_range
from ..escaping import escape_html
from ..records import Article, Speaker, StoredQuote

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C564B",
           "#7F7F7F"]
OUTLET_COLOUR = "#5b6470"
CONTEXT_WINDOW = 300  # characters of article text shown either side of a claim at most

KIND_LABELS = {
    "contradiction": "Contradiction", "dispute": "Dispute", "update": "Update",
    "series": "Series", "denial": "Denial",
}
KIND_HELP = {
    "contradiction": "one source said two incompatible things",
    "dispute": "different parties assert opposite things",
    "update": "the situation changed between the dates",
    "series": "a figure changed over time",
    "denial": "a statement was explicitly denied",
}
VERDICT_HELP = {
    "verified": "matches a stored quote by the same speaker",
    "misquote": "the words differ from the stored quote",
    "misattribution": "the stored quote is by someone else",
    "unverified": "not found in the store",
}


def esc(value: Any) -> str:
    return escape_html(value)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


# --- text helpers ----------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*")
# A period after these is not a sentence end: initials ("U.S.", "J.") and common titles.
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z](?:\.[A-Z])*|\b(?:Mr|Mrs|Ms|Dr|St|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|"
    r"Prof|Jr|Sr|No|vs|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec))$")


def _boundaries(text: str, lo: int, hi: int) -> list[re.Match[str]]:
    out = []
    for m in _SENTENCE_END.finditer(text, lo, hi):
        if text[m.start()] == "." and _ABBREVIATION.search(text, max(0, m.start() - 12),
                                                           m.start()):
            continue
        out.append(m)
    return out


def context_span(text: str, start: int, end: int, window: int = CONTEXT_WINDOW
                 ) -> tuple[int, int, bool, bool]:
    """The sentence(s) around ``text[start:end]``, from the previous sentence end to the next
    but at most ``window`` characters either side; the flags say where a sentence was cut."""
    lo = max(0, start - window)
    s = lo
    for m in _boundaries(text, lo, start):
        s = m.end()
    cut_left = s == lo and lo > 0
    if cut_left:  # no boundary in reach: start at a word
        sp = text.find(" ", lo, start)
        s = sp + 1 if sp != -1 else start
    hi = min(len(text), end + window)
    after = _boundaries(text, end, hi)
    m = after[0] if after else None
    cut_right = False
    if m:
        e = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        # keep closing quote marks or brackets that belong to the sentence
        while e < len(text) and text[e] in "\"'”’)]":
            e += 1
    else:
        sp = text.rfind(" ", end, hi)
        e = hi if hi == len(text) or sp == -1 else sp
        cut_right = e < len(text)
    return s, e, cut_left, cut_right


def highlighted(text: str, start: int, end: int, cls: str = "hl") -> str:
    """Escaped context of ``text[start:end]`` with that span in a <mark>."""
    if not text or not (0 <= start <= end <= len(text)):
        return ""
    s, e, cut_left, cut_right = context_span(text, start, end)
    before = ("… " if cut_left else "") + text[s:start]
    after = text[end:e] + (" …" if cut_right else "")
    return (f"{esc(before)}<mark class=\"{cls}\">{esc(text[start:end])}</mark>{esc(after)}")


def word_diff(expected: str, actual: str) -> str:
    """Word-level diff: words only in ``expected`` (the stored original) as <del>, words only
    in ``actual`` (the article under check) as <ins>."""
    a = re.findall(r"\S+", expected or "")
    b = re.findall(r"\S+", actual or "")
    sm = difflib.SequenceMatcher(a=[_fold(w) for w in a], b=[_fold(w) for w in b],
                                 autojunk=False)
    out: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            out.append(esc(" ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(f"<del>{esc(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{esc(' '.join(b[j1:j2]))}</ins>")
    return " ".join(out)


def _words_of(text: str) -> list[str]:
    return [_fold(w) for w in re.findall(r"\S+", text or "")]


def _fold(word: str) -> str:
    # Curly vs straight marks and trailing punctuation are not a misquote.
    w = word.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return w.strip(".,;:!?\"'").lower() or w


# --- dates -------------------------------------------------------------------------------------


def _days(partial: str | None) -> tuple[int, int] | None:
    if not partial:
        return None
    try:
        lo, hi = date_range(partial)
        return date.fromisoformat(lo).toordinal(), date.fromisoformat(hi).toordinal()
    except (ValueError, IndexError):
        return None


def _axis_ticks(lo: int, hi: int) -> list[tuple[int, str]]:
    """Tick positions (ordinal days) and labels: years, or months when the span is short."""
    d0, d1 = date.fromordinal(lo), date.fromordinal(hi)
    ticks: list[tuple[int, str]] = []
    if d1.year - d0.year >= 2:
        step = max(1, (d1.year - d0.year) // 8 + 1)
        for y in range(d0.year + 1, d1.year + 1, step):
            ticks.append((date(y, 1, 1).toordinal(), str(y)))
    else:
        y, m = d0.year, d0.month
        months = (d1.year - d0.year) * 12 + d1.month - d0.month
        step = max(1, months // 8 + 1)
        while (y, m) <= (d1.year, d1.month):
            o = date(y, m, 1).toordinal()
            if lo <= o <= hi:
                ticks.append((o, date(y, m, 1).strftime("%b %Y")))
            m += step
            while m > 12:
                m -= 12
                y += 1
    return ticks


# --- page shell --------------------------------------------------------------------------------

CSS = """
:root{--fg:#1d232b;--muted:#5b6470;--bg:#fff;--card:#f6f7f9;--line:#dde1e6;--accent:#0b5cad;
--mark:#fff1a8;--ok:#1a7f37;--warn:#b35900;--bad:#c62828;--unk:#6e7781}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--fg);background:var(--bg)}
header.page{background:#14202e;color:#fff;padding:1.2rem 1rem}
header.page h1{margin:0 0 .3rem;font-size:1.5rem;line-height:1.25}
header.page p{margin:0;color:#c9d3de;font-size:.95rem}
nav.toc{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-top:.7rem}
nav.toc a{color:#fff;font-size:.95rem}
main{max-width:60rem;margin:0 auto;padding:1rem}
h2{font-size:1.3rem;border-bottom:2px solid var(--line);padding-bottom:.3rem;margin-top:2rem}
h3{font-size:1.1rem;margin:.2rem 0 .4rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1rem;
margin:1rem 0}
.meta{color:var(--muted);font-size:.9rem}
.badge{display:inline-block;font-size:.78rem;font-weight:600;letter-spacing:.02em;
text-transform:uppercase;border-radius:999px;padding:.1rem .6rem;color:#fff;
background:var(--muted);vertical-align:middle}
.kind-contradiction,.v-misattribution{background:var(--bad)}
.kind-dispute,.kind-denial{background:#8250df}
.kind-update{background:var(--accent)}
.kind-series{background:#0a7d8c}
.v-verified{background:var(--ok)}
.v-misquote{background:var(--warn)}
.v-unverified{background:var(--unk)}
.explain{margin:.4rem 0 .8rem}
ol.claims{list-style:none;padding:0;margin:0}
ol.claims>li{border-left:5px solid var(--c,#888);background:var(--bg);padding:.6rem .8rem;
margin:.6rem 0;border-radius:0 6px 6px 0}
.who{font-weight:600}
.swatch{display:inline-block;width:.8em;height:.8em;border-radius:50%;background:var(--c);
margin-right:.35em;vertical-align:baseline}
blockquote{margin:.35rem 0 0;padding:0;color:var(--fg);overflow-wrap:anywhere}
mark{background:var(--mark);color:inherit;padding:0 .1em;border-radius:2px}
figure.timeline{margin:.5rem 0 1rem;padding:.6rem .6rem .2rem;background:var(--bg);
border:1px solid var(--line);border-radius:6px}
figure.timeline figcaption{font-size:.85rem;color:var(--muted);margin-bottom:.3rem}
.tl-row{display:grid;grid-template-columns:12rem 1fr;align-items:center;gap:.6rem;
min-height:1.9rem}
.tl-label{font-size:.85rem;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tl-track{position:relative;height:1.6rem;border-bottom:1px dashed var(--line)}
.tl-about{position:absolute;top:.45rem;height:.7rem;min-width:4px;border-radius:4px;
background:var(--c);opacity:.45;border:2px solid var(--c)}
.tl-link{position:absolute;top:.75rem;border-top:2px dotted var(--c)}
.tl-pub{position:absolute;top:.3rem;width:1rem;height:1rem;margin-left:-.5rem;
background:var(--c);transform:rotate(45deg);border:2px solid #fff;box-shadow:0 0 0 1px var(--c)}
.tl-axis{position:relative;height:1.6rem;margin-left:12.6rem;font-size:.75rem;
color:var(--muted)}
.tl-axis span{position:absolute;top:.1rem;transform:translateX(-50%);white-space:nowrap}
.tl-axis span::before{content:"";position:absolute;left:50%;top:-.3rem;height:.3rem;
border-left:1px solid var(--muted)}
.tl-key{font-size:.78rem;color:var(--muted);display:flex;flex-wrap:wrap;gap:.3rem 1rem;
margin:.2rem 0 .3rem}
.tl-key i{display:inline-block;vertical-align:middle;margin-right:.3rem}
.k-pub{width:.7rem;height:.7rem;background:var(--muted);transform:rotate(45deg)}
.k-about{width:1.4rem;height:.6rem;border-radius:3px;background:#aab2bd}
.search{position:sticky;top:0;background:var(--bg);padding:.5rem 0;z-index:2}
.search input{width:100%;font:inherit;padding:.55rem .8rem;border:1px solid #9aa4af;
border-radius:6px}
.search .count{font-size:.85rem;color:var(--muted);margin-top:.2rem}
section.speaker{margin:1rem 0}
section.speaker>h3 .meta{font-weight:400}
ul.quotes{list-style:none;margin:.3rem 0;padding:0}
ul.quotes>li{padding:.5rem 0 .6rem;border-top:1px solid var(--line)}
.hidden{display:none!important}
ol.checks{list-style:none;padding:0}
.match{margin-top:.4rem}
blockquote.stored{color:var(--muted)}
del.omit{background:none;color:var(--muted);text-decoration:none;font-size:.9em}
del.omit::before{content:"["}
del.omit::after{content:"]"}
.new-claim{font-size:.75rem;font-weight:700;color:#fff;background:var(--accent);
border-radius:4px;padding:0 .35rem;margin-left:.3rem}
.diff{margin-top:.4rem;padding:.5rem;background:var(--bg);border:1px solid var(--line);
border-radius:6px;overflow-wrap:anywhere}
del{background:#ffd7d5;color:#82071e;text-decoration:line-through}
ins{background:#ccffd8;color:#116329;text-decoration:none}
.empty{color:var(--muted);font-style:italic}
footer{max-width:60rem;margin:2rem auto;padding:0 1rem;color:var(--muted);font-size:.85rem}
a{color:var(--accent)}
@media (max-width:640px){
 body{font-size:15px}
 main{padding:.6rem}
 .tl-row{grid-template-columns:1fr;gap:0;min-height:0}
 .tl-label{font-size:.8rem;margin-top:.3rem}
 .tl-axis{margin-left:0}
 .card{padding:.7rem}
}
@media print{.search{display:none}header.page{background:none;color:#000}
 header.page p,nav.toc a{color:#000}}
"""

# The page's health, recorded before anything else runs: the browser test reads it back from
# the DOM, and a CSP violation (an attempted request, a blocked script) counts as a failure.
HEAD_JS = """(function(){var d=document.documentElement,n=0,c=0;
d.setAttribute('data-js-errors','0');d.setAttribute('data-csp-violations','0');
window.addEventListener('error',function(e){n++;d.setAttribute('data-js-errors',String(n));
d.setAttribute('data-js-error-last',String(e.message||e.type));},true);
document.addEventListener('securitypolicyviolation',function(e){c++;
d.setAttribute('data-csp-violations',String(c));
d.setAttribute('data-csp-last',String(e.violatedDirective)+' '+String(e.blockedURI));});})();"""

# Search: filters quotes by every word typed (speaker, words, outlet, date); ?q=... in the
# address pre-fills it, so a filtered view can be shared as a link.
BODY_JS = """(function(){
var box=document.getElementById('wsw-search');
if(box){
 var items=[].slice.call(document.querySelectorAll('#who-said-what li.quote'));
 var speakers=[].slice.call(document.querySelectorAll('#who-said-what section.speaker'));
 var count=document.getElementById('wsw-count');
 items.forEach(function(li){li._t=(li.getAttribute('data-search')||'').toLowerCase();});
 var apply=function(){
  var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean),shown=0;
  items.forEach(function(li){var ok=words.every(function(w){return li._t.indexOf(w)>=0;});
   li.classList.toggle('hidden',!ok);if(ok)shown++;});
  speakers.forEach(function(s){s.classList.toggle('hidden',
   !s.querySelector('li.quote:not(.hidden)'));});
  count.textContent=words.length?shown+' of '+items.length+' quotes match':
   items.length+' quotes';
  document.documentElement.setAttribute('data-search-shown',String(shown));
 };
 box.addEventListener('input',apply);
 var q=new URLSearchParams(location.search).get('q');
 if(q){box.value=q;}
 apply();
}
document.documentElement.setAttribute('data-ready','1');
})();"""


def _csp(script_hashes: Iterable[str]) -> str:
    srcs = " ".join(f"'sha256-{h}'" for h in script_hashes)
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src {srcs}; base-uri 'none'; form-action 'none'")


def _sha256(js: str) -> str:
    return base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")


def page(title: str, subtitle: str, sections: Sequence[tuple[str, str, str]],
         generated: str | None = None) -> str:
    """A complete HTML document; ``sections`` are (anchor id, heading, inner HTML)."""
    generated = generated or time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    toc = "".join(f'<a href="#{esc(sid)}">{esc(head)}</a>' for sid, head, _ in sections)
    body = "".join(
        f'<section id="{esc(sid)}" class="top"><h2>{esc(head)}</h2>{inner}</section>'
        for sid, head, inner in sections)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_csp([_sha256(HEAD_JS), _sha256(BODY_JS)])}\">"  # noqa: E501
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        f"<meta name=\"generator\" content=\"factcheck\"><title>{esc(title)}</title>"
        f"<script>{HEAD_JS}</script><style>{CSS}</style></head><body>"
        f"<header class=\"page\"><h1>{esc(title)}</h1><p>{esc(subtitle)}</p>"
        f"<nav class=\"toc\">{toc}</nav></header><main>{body}</main>"
        f"<footer>Generated by factcheck on {esc(generated)}. Each quotation names the "
        "article it came from, as stored; nothing on this page is loaded from the network."
        "</footer>"
        f"<script>{BODY_JS}</script></body></html>\n"
    )


def write_html(path: str | Path, html: str) -> Path:
    """Write atomically: a reader never sees half a report."""
    from ..export import open_atomic

    with open_atomic(path) as fh:
        fh.write(html)
    return Path(path)


# --- pieces ------------------------------------------------------------------------------------


def _safe_url(url: str | None) -> str | None:
    """Only web links become hrefs (an article's ``javascript:`` URL stays text)."""
    if url and re.match(r"^https?://", url.strip(), re.I):
        return url.strip()
    return None


def _outlet(art: Article | None) -> str | None:
    if art is None or not art.source or art.source.lower() == "unknown":
        return None
    return art.source


def _article_ref(art: Article | None, article_id: str | None) -> str:
    """Outlet · date · title (linked when the article has a web URL)."""
    if art is None:
        return f'<span class="meta">{esc(article_id or "unknown article")}</span>'
    bits = []
    if _outlet(art):
        bits.append(f"<span class=\"outlet\">{esc(art.source)}</span>")
    date_txt = art.published or "undated"
    if art.published and art.published_inferred:
        date_txt += " (from the text)"
    bits.append(f"<time>{esc(date_txt)}</time>")
    title = esc(art.title or art.id)
    url = _safe_url(art.url)
    bits.append(f'<a href="{esc(url)}" rel="noopener noreferrer">{title}</a>' if url
                else f"<cite>{title}</cite>")
    return '<span class="meta">' + " · ".join(bits) + "</span>"


class Colours:
    """One colour per voice, stable within a conflict (and across a page if shared)."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def __call__(self, key: str | None) -> str:
        if key is None:
            return OUTLET_COLOUR
        if key not in self.seen:
            self.seen[key] = PALETTE[len(self.seen) % len(PALETTE)]
        return self.seen[key]


def timeline(claims: Sequence[Any], articles: dict[str, Article], colours: Colours) -> str:
    """A chart of when each claim was published (diamond) and the time it refers to (bar)."""
    rows = []
    spans: list[int] = []
    for c in claims:
        art = _art_for(c, articles)
        pub = _days(art.published if art else None)
        about = _days(_get(c, "claim_time"))
        rows.append((c, art, pub, about))
        for d in (pub, about):
            if d:
                spans += list(d)
    if not spans:
        return '<p class="empty">No dates to place these claims on a timeline.</p>'
    lo, hi = min(spans), max(spans)
    pad = max(30, (hi - lo) // 20)
    lo, hi = lo - pad, hi + pad

    def x(day: float) -> float:
        return round(100.0 * (day - lo) / (hi - lo), 2)

    out = ['<figure class="timeline" role="img" aria-label="Timeline of the claims">',
           '<figcaption>When each claim was published, and the time it is about</figcaption>',
           '<div class="tl-key"><span><i class="k-pub"></i>published</span>'
           '<span><i class="k-about"></i>time the claim refers to</span></div>']
    for c, art, pub, about in rows:
        speaker = _get(c, "speaker")
        label = speaker or _outlet(art) or "unnamed outlet"
        colour = colours(speaker or (f"outlet:{_outlet(art)}" if _outlet(art) else None))
        when = _get(c, "claim_time")
        tip = f"{label}: published {art.published if art else '?'}" + (
            f", refers to {when}" if when else "")
        marks = []
        if about:
            marks.append(f'<span class="tl-about" style="left:{x(about[0])}%;'
                         f'width:{round(max(0.0, x(about[1] + 1) - x(about[0])), 2)}%" '
                         f'title="refers to {esc(when)}"></span>')
        if pub and about:
            mid_pub = (pub[0] + pub[1]) / 2
            a0, a1 = x(min(about[1] + 1, mid_pub)), x(max(about[1] + 1, mid_pub))
            if a1 - a0 > 0.5:
                marks.append(f'<span class="tl-link" style="left:{a0}%;width:{round(a1 - a0, 2)}%">'
                             "</span>")
        if pub:
            marks.append(f'<span class="tl-pub" style="left:{x((pub[0] + pub[1]) / 2)}%" '
                         f'title="published {esc(art.published if art else "")}"></span>')
        out.append(f'<div class="tl-row" style="--c:{colour}" title="{esc(tip)}">'
                   f'<div class="tl-label"><span class="swatch"></span>{esc(label)}</div>'
                   f'<div class="tl-track">{"".join(marks)}</div></div>')
    ticks = "".join(f'<span style="left:{x(o)}%">{esc(t)}</span>'
                    for o, t in _axis_ticks(lo, hi))
    out.append(f'<div class="tl-axis" aria-hidden="true">{ticks}</div></figure>')
    return "".join(out)


def claim_item(c: Any, articles: dict[str, Article], colours: Colours) -> str:
    art = _art_for(c, articles)
    speaker = _get(c, "speaker")
    who = esc(speaker) if speaker else f"{esc(_outlet(art) or 'Unnamed outlet')} (own reporting)"
    colour = colours(speaker or (f"outlet:{_outlet(art)}" if _outlet(art) else None))
    when = _get(c, "claim_time")
    start, end = _get(c, "start"), _get(c, "end")
    text = art.text if art else ""
    body = highlighted(text, int(start), int(end)) if text and start is not None else ""
    if not body:
        body = f'<mark class="hl">{esc(_get(c, "text"))}</mark>'
    about = f' · <span class="about">about {esc(when)}</span>' if when else ""
    # In a check report, the claims of the article under check are flagged.
    new = '<span class="new-claim">this article</span> ' if _get(c, "new") else ""
    return (f'<li class="claim" style="--c:{colour}"><span class="swatch"></span>{new}'
            f'<span class="who">{who}</span> {_article_ref(art, _get(c, "article_id"))}'
            f'{about}<blockquote>{body}</blockquote></li>')


def conflict_card(conflict: Any, index: int, articles: dict[str, Article]) -> str:
    kind = str(_get(conflict, "kind") or "conflict")
    topic = _get(conflict, "topic_label") or _get(conflict, "topic") or "Conflicting claims"
    claims = list(_get(conflict, "claims") or [])
    # Oldest first, as a reader follows a story.
    claims.sort(key=lambda c: ((_days(_pub_of(c, articles)) or (0, 0))[0],
                               (_days(_get(c, "claim_time")) or (0, 0))[0]))
    colours = Colours()
    score = _get(conflict, "score")
    score_txt = f' · <span class="meta">score {float(score):.2f}</span>' if isinstance(
        score, int | float) else ""
    explanation = _get(conflict, "explanation")
    parts = [
        # The anchor is the conflict's stable id: ClaimReview items link to it.
        f'<article class="card conflict" id="conflict-{esc(_get(conflict, "id") or index)}" '
        f'data-kind="{esc(kind)}">',
        f'<h3>{esc(topic)}</h3>',
        f'<div><span class="badge kind-{esc(_slug(kind))}" title="{esc(KIND_HELP.get(kind, ""))}">'
        f'{esc(KIND_LABELS.get(kind, kind))}</span>{score_txt}</div>',
    ]
    if explanation:
        parts.append(f'<p class="explain">{esc(explanation)}</p>')
    parts.append(timeline(claims, articles, colours))
    parts.append('<ol class="claims">'
                 + "".join(claim_item(c, articles, colours) for c in claims) + "</ol>")
    parts.append("</article>")
    return "".join(parts)


def _pub_of(c: Any, articles: dict[str, Article]) -> str | None:
    art = _art_for(c, articles)
    return art.published if art else None


def _art_for(c: Any, articles: dict[str, Article]) -> Article | None:
    """The claim's article; else one made from the evidence the claim carries itself."""
    aid = _get(c, "article_id")
    art = articles.get(aid)
    if art is None and aid is not None:
        art = Article(id=str(aid), text="", title=_get(c, "title"), source=_get(c, "source"),
                      published=_get(c, "published"))
    return art


def conflicts_section(conflicts: Sequence[Any], articles: dict[str, Article]) -> str:
    if not conflicts:
        return '<p class="empty">No conflicting claims were found.</p>'
    counts = Counter(str(_get(c, "kind") or "conflict") for c in conflicts)
    summary = ", ".join(f"{n} {KIND_LABELS.get(k, k).lower()}" for k, n in counts.items())
    return (f'<p class="meta">{len(conflicts)} conflict(s): {esc(summary)}.</p>'
            + "".join(conflict_card(c, i, articles) for i, c in enumerate(conflicts, 1)))


def _quote_li(q: StoredQuote, articles: dict[str, Article], names: str) -> str:
    art = articles.get(q.article_id)
    body = highlighted(art.text, q.start, q.end) if art and art.text else ""
    if not body:
        body = f'<mark class="hl">{esc(q.quote)}</mark>'
    flags = []
    if q.partial:
        flags.append("partial quote")
    if q.speaker_role:
        flags.append(q.speaker_role)
    extra = f' <span class="meta">({esc("; ".join(flags))})</span>' if flags else ""
    # What the search box matches: who (with aliases), the quoted words, where and when;
    # not the surrounding sentence, which often names someone else.
    hay = " ".join(x for x in (names, q.quote, q.source, q.published, q.title,
                               q.speaker_role) if x)
    return (f'<li class="quote" data-speaker="{esc(q.speaker or "")}" '
            f'data-date="{esc(q.published or "")}" data-search="{esc(hay)}">'
            f"{_article_ref(art, q.article_id)}{extra}<blockquote>{body}</blockquote></li>")


def who_said_what_section(quotes: Sequence[StoredQuote], speakers: Sequence[Speaker],
                          articles: dict[str, Article]) -> str:
    """Per speaker (most quoted first), their quotes oldest first, with a search box."""
    by_speaker: dict[str, list[StoredQuote]] = {}
    for q in quotes:
        key = str(q.speaker_id) if q.speaker_id is not None else f"name:{q.speaker or '?'}"
        by_speaker.setdefault(key, []).append(q)
    info = {str(s.id): s for s in speakers}
    groups = sorted(by_speaker.items(), key=lambda kv: (-len(kv[1]), (kv[1][0].speaker or "")))
    parts = ['<div class="search"><label for="wsw-search" class="meta">Search quotes '
             '(speaker, words, outlet, date)</label>'
             '<input id="wsw-search" type="search" placeholder="e.g. missiles 2013" '
             'autocomplete="off"><div id="wsw-count" class="count" aria-live="polite">'
             f"{len(quotes)} quotes</div></div>"]
    if not quotes:
        parts.append('<p class="empty">No quotes stored.</p>')
    for key, qs in groups:
        qs = sorted(qs, key=lambda q: ((_days(q.published) or (0, 0))[0], q.article_id, q.start))
        sp = info.get(key)
        name = (sp.name if sp else None) or qs[0].speaker or "Unattributed"
        meta = []
        if sp is not None:
            if sp.kind != "person":
                meta.append(sp.kind)
            if sp.roles:
                meta.append("; ".join(sp.roles))
            others = [a for a in sp.aliases if a != sp.name]
            if others:
                meta.append("also: " + ", ".join(others))
        meta_html = f' <span class="meta">— {esc(" · ".join(meta))}</span>' if meta else ""
        parts.append(
            f'<section class="speaker" id="speaker-{esc(_slug(key))}"><h3>{esc(name)} '
            f'<span class="meta">({len(qs)})</span>{meta_html}</h3><ul class="quotes">'
            + "".join(_quote_li(q, articles, " ".join([name, *(sp.aliases if sp else [])]))
                      for q in qs) + "</ul></section>")
    return "".join(parts)


# --- check results -------------------------------------------------------------------------


def diff_ops_html(ops: Sequence[Any]) -> str:
    """The checker's word diff (``textdiff.DiffOp`` or its dict) as HTML: stored words the
    article drops in <del>, words it adds in <ins>, stored words outside an excerpt greyed."""
    out: list[str] = []
    for o in ops:
        op, stored, quote = _get(o, "op"), _get(o, "stored") or "", _get(o, "quote") or ""
        if op == "equal":
            out.append(esc(quote or stored))
        elif op == "omit":
            out.append(f'<del class="omit" title="not in the quoted excerpt">{esc(stored)}</del>')
        else:
            note = ""
            if _get(o, "at_ellipsis"):
                note = ' title="cut, marked with an ellipsis in the article"'
            elif _get(o, "editorial"):
                note = ' title="bracketed editorial words"'
            if stored and op in ("delete", "replace"):
                out.append(f"<del{note}>{esc(stored)}</del>")
            if quote and op in ("insert", "replace"):
                out.append(f"<ins{note}>{esc(quote)}</ins>")
    return " ".join(x for x in out if x)


def _match_ref(match: Any) -> str:
    bits = [f'<span class="who">{esc(_get(match, "speaker") or "unknown speaker")}</span>']
    if _get(match, "source") and str(_get(match, "source")).lower() != "unknown":
        bits.append(esc(_get(match, "source")))
    bits.append(f"<time>{esc(_get(match, 'published') or 'undated')}</time>")
    if _get(match, "title"):
        bits.append(f"<cite>{esc(_get(match, 'title'))}</cite>")
    return " · ".join(bits)


def check_item(result: Any, article: Article | None) -> str:
    """One checked quote: verdict, who the article credits, the stored evidence, the diff."""
    verdict = str(_get(result, "verdict") or "unverified")
    q_text = _get(result, "quote") or ""
    start, end = _get(result, "start"), _get(result, "end")
    body = ""
    if article is not None and isinstance(start, int) and isinstance(end, int):
        body = highlighted(article.text, start, end)
    if not body:
        body = f'<mark class="hl">{esc(q_text)}</mark>'
    speaker = _get(result, "speaker")
    stored_speaker = _get(result, "stored_speaker")
    who = esc(speaker or "unattributed")
    if stored_speaker and stored_speaker != speaker:
        who += f' <span class="meta">(stored as {esc(stored_speaker)})</span>'
    parts = [f'<li class="check card" data-verdict="{esc(verdict)}">',
             f'<span class="badge v-{esc(_slug(verdict))}" '
             f'title="{esc(VERDICT_HELP.get(verdict, ""))}">{esc(verdict)}</span> ',
             f'<span class="who">{who}</span>',
             f"<blockquote>{body}</blockquote>"]
    others = _get(result, "other_speakers") or []
    if verdict == "misattribution" and others:
        parts.append(f'<p class="explain">These words are stored as said by '
                     f'<strong>{esc(", ".join(others))}</strong>.</p>')
    for note in _get(result, "notes") or []:
        parts.append(f'<p class="explain meta">{esc(note)}</p>')
    matches = list(_get(result, "matches") or [])
    if matches:
        best = matches[0]
        label = "Nearest stored quotes" if verdict == "unverified" else "Stored quote"
        parts.append(f'<div class="match"><div class="meta">{label}: {_match_ref(best)}</div>')
        ops = _get(best, "diff") or []
        stored_text = _get(best, "quote") or ""
        if verdict == "misquote" or ops:
            diff = diff_ops_html(ops) if ops else word_diff(stored_text, q_text)
            parts.append('<div class="diff" aria-label="word-level differences">'
                         '<span class="meta">stored → this article: </span>'
                         f"{diff}</div>")
        elif stored_text and _words_of(stored_text) != _words_of(q_text):
            parts.append(f'<blockquote class="stored">“{esc(stored_text)}”</blockquote>')
        for m in matches[1:] if verdict == "unverified" else []:
            parts.append(f'<div class="meta">{_match_ref(m)}: “{esc(_get(m, "quote"))}”</div>')
        parts.append("</div>")
    parts.append("</li>")
    return "".join(parts)


def check_section(results: Sequence[Any], article: Article | None) -> str:
    if not results:
        return '<p class="empty">No direct quotes found in this article.</p>'
    counts = Counter(str(_get(r, "verdict") or "unverified") for r in results)
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    return (f'<p class="meta">{len(results)} quote(s): {esc(summary)}.</p>'
            '<ol class="checks">'
            + "".join(check_item(r, article) for r in results) + "</ol>")


def check_conflicts(claim_checks: Sequence[Any]) -> list[Any]:
    """The distinct conflicts the checked article's claims are part of, strongest first."""
    seen: dict[str, Any] = {}
    for cc in claim_checks:
        for conf in _get(cc, "conflicts") or []:
            key = str(_get(conf, "id") or id(conf))
            seen.setdefault(key, conf)
    return sorted(seen.values(), key=lambda c: -float(_get(c, "score") or 0.0))


# --- whole reports -------------------------------------------------------------------------


def render_report(conflicts: Sequence[Any], quotes: Sequence[StoredQuote],
                  speakers: Sequence[Speaker], articles: Iterable[Article],
                  title: str = "factcheck report", generated: str | None = None) -> str:
    """The ``report`` page: conflicts with timelines, then who said what."""
    arts = {a.id: a for a in articles}
    subtitle = (f"{len(arts)} article(s), {len(quotes)} quote(s), "
                f"{len(conflicts)} conflict(s)")
    return page(title, subtitle, [
        ("conflicts", "Conflicting claims", conflicts_section(conflicts, arts)),
        ("who-said-what", "Who said what", who_said_what_section(quotes, speakers, arts)),
    ], generated)


def render_check(result: Any, article: Article | None,
                 stored_articles: Iterable[Article] = (), title: str | None = None,
                 generated: str | None = None) -> str:
    """The ``check`` page for a ``checker.CheckResult`` (or its ``to_dict()``): each quote
    of ``article`` with its verdict and diff, then the conflicts its claims are part of.

    ``stored_articles`` supply the context of the stored claims the conflicts cite
    (without them a stored claim shows its own words only).
    """
    arts = {a.id: a for a in stored_articles}
    if article is not None:
        arts[article.id] = article
    quotes = list(_get(result, "quotes") or [])
    conflicts = check_conflicts(_get(result, "claims") or [])
    name = (article.title or article.id) if article is not None else "article"
    bits = [f"{len(quotes)} quote(s) checked", f"{len(conflicts)} claim conflict(s)"]
    if article is not None:
        where = " · ".join(x for x in (_outlet(article), article.published) if x)
        if where:
            bits.insert(0, where)
    return page(title or f"Check: {name}", " — ".join(bits), [
        ("quotes", "Quotes", check_section(quotes, article)),
        ("conflicts", "Claim conflicts with the store", conflicts_section(conflicts, arts)),
    ], generated)


__all__ = [
    "esc", "context_span", "highlighted", "word_diff", "page", "write_html", "timeline",
    "conflicts_section", "who_said_what_section", "check_section", "diff_ops_html",
    "check_conflicts", "render_report", "render_check",
]
