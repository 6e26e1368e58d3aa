"""Reading articles: files, directories, JSONL, HTML, stdin; metadata; boilerplate.

``read_inputs`` streams ``Article`` or ``IngestError`` items so one bad file never stops a
batch and a large JSONL file is never held in memory whole. Text is decoded (BOM, UTF-8,
then detection), line endings are normalised, and the result is the stored text that every
offset refers to. Reader comments, adverts, related-post lists and author boxes are found
and recorded as ``Article.excluded`` ranges: the text is kept as it was, nothing in those
ranges is attributed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, BinaryIO

from .dates import find_date_in_text, normalise_date
from .records import Article, IngestError

MAX_ARTICLE_BYTES = 20 * 1024 * 1024  # one article larger than this is refused, not read
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
SIDECAR_NAMES = {"metadata.json"}

_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3", "an SQLite database"),
]


class CorpusError(Exception):
    """An input that cannot be read as an article."""


@dataclass
class Metadata:
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None
    id: str | None = None


# -- decoding ---------------------------------------------------------------------------------

def sniff_binary(head: bytes) -> str | None:
    """Name the binary format of ``head`` or return None when it looks like text."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with BOM: text
    if b"\x00" in head[:4096]:
        return "binary data (NUL bytes)"
    return None


def decode_bytes(data: bytes) -> str:
    """Decode article bytes: BOMs, then strict UTF-8, then charset detection, then cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding:
            return str(best)
    except Exception:  # detection is best effort; cp1252 below always decodes
        pass
    return data.decode("cp1252", errors="replace")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- header blocks and titles ---------------------------------------------------------------

_HEADER_LINE = re.compile(
    r"^(title|headline|source|publisher|outlet|date|published|url|link)\s*:\s*(.+)$", re.I
)
_HEADER_KEYS = {
    "title": "title", "headline": "title", "source": "source", "publisher": "source",
    "outlet": "source", "date": "published", "published": "published", "url": "url",
    "link": "url",
}


def split_header(text: str) -> tuple[Metadata, str]:
    """Read a ``Key: value`` header block at the very top of a text file, if any."""
    meta = Metadata()
    lines = text.split("\n")
    n = 0
    for line in lines:
        m = _HEADER_LINE.match(line.strip())
        if not m:
            break
        setattr(meta, _HEADER_KEYS[m.group(1).lower()], m.group(2).strip())
        n += 1
    # Only a real block counts: two or more keys, followed by a blank line or the end.
    if n >= 2 and (n == len(lines) or not lines[n].strip()):
        return meta, "\n".join(lines[n:]).lstrip("\n")
    return Metadata(), text


def guess_title(text: str) -> str | None:
    for line in text.split("\n")[:8]:
        line = line.strip()
        if not line:
            continue
        words = line.split()
        if 2 <= len(words) <= 20 and not line.endswith((".", "”", '"')):
            return line
        return None
    return None


# -- boilerplate ------------------------------------------------------------------------------

# A section heading that starts text which is not the article's own; it runs to the end.
_TAIL_MARKERS = re.compile(
    r"^\s*(?:"
    r"(?:\d+\s+)?comments?(?:\s*\(?\d+\)?)?"
    r"|comments are closed\.?"
    r"|(?:leave|post|add) a (?:comment|reply)"
    r"|related (?:posts|articles|stories|content|news)"
    r"|(?:read|see) (?:more|also)\s*:?"
    r"|more (?:from|on) .{0,40}"
    r"|you (?:may|might) also (?:like|be interested in)"
    r"|(?:advertisement|sponsored(?: content)?|promoted(?: stories)?)"
    r"|share this(?: article| story)?:?"
    r"|request information"
    r"|about (?:the author|[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3} \d[\d,]* (?:articles|posts))"
    r"|subscribe to (?:our|the) newsletter.*"
    r")\s*$",
    re.I,
)
_SECOND_PERSON = re.compile(r"\b(?:you|your|you['’]ll|you['’]re)\b", re.I)
_QUOTE_CHARS = "\"“”«»"


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        spans.append((m.start(), m.end()))
    return spans


def _looks_like_promo(par: str) -> bool:
    stripped = par.strip()
    if not stripped:
        return True
    if any(q in stripped for q in _QUOTE_CHARS):
        return False
    words = stripped.split()
    titleish = len(words) <= 8 and sum(w[:1].isupper() for w in words) >= len(words) - 1
    return titleish or bool(_SECOND_PERSON.search(stripped))


def find_boilerplate(text: str) -> list[tuple[int, int]]:
    """Ranges of ``text`` that are not the article: trailing comment/related/advert blocks.

    A marker line ("Comments 19", "Related posts", "Request Information", "About X 123
    Articles") starts a block that runs to the end of the text. The block is extended back
    over promotional paragraphs just before it (short title-case taglines, text addressing
    the reader as "you" outside quotes), which is how adverts lead into their forms.
    """
    pars = _paragraphs(text)
    cut = None
    # A marker near the very top ("Comments" in a menu, a title) does not start the tail: it
    # must come after some article text (three paragraphs and 300 characters at least).
    for i, (start, end) in enumerate(pars):
        if i < 3 or start < 300:
            continue
        offset = start
        lines = text[start:end].split("\n")
        for j, line in enumerate(lines):
            if _TAIL_MARKERS.match(line):
                # Short lines just above the marker in the same block (a byline) go with it.
                if all(len(prev.split()) <= 5 for prev in lines[:j]):
                    offset = start
                cut = offset
                break
            offset += len(line) + 1
        if cut is not None:
            break
    if cut is None:
        return []
    idx = next(i for i, (s, e) in enumerate(pars) if s <= cut < e + 1)
    while idx > 0 and _looks_like_promo(text[pars[idx - 1][0]:pars[idx - 1][1]]):
        idx -= 1
        cut = pars[idx][0]
    # Author bylines directly above an "About X" box ("Niamh Harris") belong to it as well.
    return [(cut, len(text))]


# -- HTML -------------------------------------------------------------------------------------

class _HTMLExtractor(HTMLParser):
    SKIP = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
            "iframe", "button", "select", "template"}
    BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "br", "tr",
             "section", "article", "main", "figcaption", "pre"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self._in_title = False
        self._skip = 0
        self._article_depth = 0
        self.parts: list[str] = []
        self.article_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"].strip())
        elif tag == "title":
            self._in_title = True
        if tag in self.SKIP:
            self._skip += 1
        if tag in ("article", "main"):
            self._article_depth += 1
        if tag in self.BLOCK:
            self._emit("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            self.handle_starttag(tag, attrs)
        elif tag == "br":
            self._emit("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self.SKIP and self._skip:
            self._skip -= 1
        if tag in ("article", "main") and self._article_depth:
            self._article_depth -= 1
        if tag in self.BLOCK:
            self._emit("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        self._emit(data)

    def _emit(self, s: str) -> None:
        self.parts.append(s)
        if self._article_depth:
            self.article_parts.append(s)


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def parse_html(raw: str) -> tuple[Metadata, str]:
    """Main text and metadata of an HTML page; scripts, navigation and forms dropped."""
    parser = _HTMLExtractor()
    parser.feed(raw)
    parser.close()
    body = _tidy("".join(parser.article_parts)) or _tidy("".join(parser.parts))
    m = parser.meta
    meta = Metadata(
        title=m.get("og:title") or m.get("twitter:title") or (parser.title.strip() or None),
        source=m.get("og:site_name") or m.get("publisher") or m.get("application-name"),
        published=(m.get("article:published_time") or m.get("datepublished")
                   or m.get("date") or m.get("pubdate") or m.get("dc.date")),
        url=m.get("og:url"),
    )
    return meta, body


# -- article assembly -------------------------------------------------------------------------

def make_article(text: str, article_id: str, meta: Metadata | None = None,
                 path: str | None = None) -> Article:
    """Build an ``Article`` from decoded text and whatever metadata is known."""
    meta = meta or Metadata()
    text = normalise_newlines(text)
    header, text = split_header(text)
    title = meta.title or header.title or guess_title(text)
    source = meta.source or header.source
    url = meta.url or header.url
    raw_date = meta.published or header.published
    published = normalise_date(raw_date) if raw_date else None
    inferred = False
    if published is None:
        published = find_date_in_text(text)
        inferred = published is not None
    if not text.strip():
        raise CorpusError("empty file (no text)")
    return Article(
        id=meta.id or article_id, text=text, title=title, source=source, published=published,
        published_inferred=inferred, url=url, path=path, content_hash=content_hash(text),
        excluded=find_boilerplate(text),
    )


def load_sidecar(path: Path) -> dict[str, Metadata]:
    """Read a metadata sidecar: ``{file name: {title, source, published, url}}``."""
    try:
        data = json.loads(decode_bytes(path.read_bytes()))
    except (OSError, ValueError) as exc:
        raise CorpusError(f"cannot read metadata: {exc}") from exc
    if not isinstance(data, dict):
        raise CorpusError("metadata must be a JSON object keyed by file name")
    out: dict[str, Metadata] = {}
    for name, rec in data.items():
        if isinstance(rec, dict):
            out[name] = Metadata(
                title=_str(rec.get("title")), source=_str(rec.get("source")),
                published=_str(rec.get("published") or rec.get("date")),
                url=_str(rec.get("url")),
            )
    return out


def _str(v: Any) -> str | None:
    return None if v is None or str(v).strip() == "" else str(v).strip()


def _read_limited(fh: BinaryIO, limit: int, name: str) -> bytes:
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise CorpusError(
            f"file is larger than {limit // (1024 * 1024)} MB; one article that large is "
            "refused (split it, or feed it as JSONL records)"
        )
    return data


def read_file(path: Path, meta: Metadata | None = None,
              max_bytes: int = MAX_ARTICLE_BYTES) -> Iterator[Article | IngestError]:
    """Read one file: an article, or a JSONL stream of them."""
    name = str(path)
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            with open(path, "rb") as fh:
                yield from read_jsonl(fh, name)
            return
        with open(path, "rb") as fh:
            data = _read_limited(fh, max_bytes, name)
    except CorpusError as exc:
        yield IngestError(name, str(exc))
        return
    except PermissionError:
        yield IngestError(name, "permission denied")
        return
    except OSError as exc:
        yield IngestError(name, exc.strerror or str(exc))
        return
    try:
        yield article_from_bytes(data, path.name, meta, name, suffix=path.suffix.lower())
    except CorpusError as exc:
        yield IngestError(name, str(exc))


def article_from_bytes(data: bytes, article_id: str, meta: Metadata | None, name: str,
                       suffix: str = "") -> Article:
    if not data.strip():
        raise CorpusError("empty file")
    what = sniff_binary(data[:8192])
    if what:
        raise CorpusError(f"not a text article: looks like {what}")
    text = decode_bytes(data)
    head = text.lstrip()[:500].lower()
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        html_meta, body = parse_html(text)
        if len(body.split()) < 5:
            raise CorpusError("HTML page with no article text")
        merged = Metadata(
            title=(meta and meta.title) or html_meta.title,
            source=(meta and meta.source) or html_meta.source,
            published=(meta and meta.published) or html_meta.published,
            url=(meta and meta.url) or html_meta.url,
            id=meta.id if meta else None,
        )
        return make_article(body, article_id, merged, name)
    return make_article(text, article_id, meta, name)


def read_jsonl(fh: BinaryIO | io.TextIOBase, name: str) -> Iterator[Article | IngestError]:
    """Stream JSONL records ``{"id", "text", "title", "source", "published", "url"}``.

    Bad lines are reported with their line number; good lines go through.
    """
    for lineno, raw in enumerate(fh, start=1):
        line = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        if not line.strip():
            continue
        where = f"{name}:{lineno}"
        try:
            rec = json.loads(line)
        except ValueError as exc:
            yield IngestError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
            yield IngestError(where, 'record has no "text" string')
            continue
        rid = _str(rec.get("id")) or f"{Path(name).name}:{lineno}"
        meta = Metadata(
            title=_str(rec.get("title")), source=_str(rec.get("source")),
            published=_str(rec.get("published") or rec.get("date")), url=_str(rec.get("url")),
            id=rid,
        )
        try:
            yield make_article(rec["text"], rid, meta, where)
        except CorpusError as exc:
            yield IngestError(where, str(exc))


def _iter_dir(path: Path) -> Iterator[Path]:
    for child in sorted(path.rglob("*")):
        if child.is_file() and not child.name.startswith(".") and child.name not in SIDECAR_NAMES:
            yield child


def read_inputs(paths: Iterable[str], metadata: str | Path | None = None,
                max_bytes: int = MAX_ARTICLE_BYTES,
                stdin: BinaryIO | None = None) -> Iterator[Article | IngestError]:
    """Stream articles (or errors) from paths: files, directories, or ``-`` for stdin.

    A directory's own ``metadata.json`` is used as its sidecar unless ``metadata`` is given.
    """
    sidecar: dict[str, Metadata] = {}
    if metadata is not None:
        try:
            sidecar = load_sidecar(Path(metadata))
        except CorpusError as exc:
            yield IngestError(str(metadata), str(exc))
    for raw in paths:
        if raw == "-":
            fh = stdin or sys.stdin.buffer
            data = fh.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield IngestError("<stdin>", "input larger than the article size limit")
                continue
            stripped = data.lstrip()
            if stripped.startswith(b"{"):
                yield from read_jsonl(io.BytesIO(data), "<stdin>")
                continue
            try:
                aid = "stdin-" + hashlib.sha256(data).hexdigest()[:12]
                yield article_from_bytes(data, aid, None, "<stdin>")
            except CorpusError as exc:
                yield IngestError("<stdin>", str(exc))
            continue
        path = Path(raw)
        if not path.exists():
            yield IngestError(raw, "no such file or directory")
            continue
        if path.is_dir():
            local = dict(sidecar)
            own = path / "metadata.json"
            if not sidecar and own.is_file():
                try:
                    local = load_sidecar(own)
                except CorpusError as exc:
                    yield IngestError(str(own), str(exc))
            found = False
            for child in _iter_dir(path):
                suffix = child.suffix.lower()
                if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES:
                    yield IngestError(str(child), f"skipped: unsupported file type {suffix!r}")
                    continue
                found = True
                yield from read_file(child, local.get(child.name), max_bytes)
            if not found:
                yield IngestError(raw, "directory holds no articles (.txt, .md, .html, .jsonl)")
            continue
        yield from read_file(path, sidecar.get(path.name), max_bytes)
