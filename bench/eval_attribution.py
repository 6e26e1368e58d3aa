"""Evaluate quote attribution on PolNeAR direct quotes: factcheck vs textacy, side by side.

    python bench/eval_attribution.py [FILE ...] [--json] [--limit N] [--examples N]

FILE defaults to ../shared/eval/polnear/dev.jsonl (relative to the repository); the script
exits 0 with a message when it is absent. Both tools run on the same spaCy parse.

Scoring (stated in the output too):
- a gold quote is *found* when one predicted span overlaps >= 50% of the gold span;
- a prediction is *correct* (precision) when it overlaps some gold span by >= 50% of the
  shorter of the two spans; PolNeAR leaves titles, scare quotes and unattributed quotes
  unlabelled, so precision is a lower bound. The PolNeAR direct-quote set keeps only
  attributions whose content lies wholly inside the marks, so quoted fragments inside
  reported speech (our ``partial`` quotes: called it "a farce") are absent from the gold by
  construction; precision is therefore also given for non-partial predictions only
  (textacy marks nothing partial, so its two figures are equal);
- speaker accuracy is measured on found quotes. Gold speakers are split into *named* (holds a
  capitalised word that is not a pronoun), *pronoun* (he, she, they, ...) and *descriptive*
  ("a spokesman", "the statement"). A pronoun's referent is taken to be the nearest preceding
  named gold speaker mention within 1,500 characters, skipping names whose honorific clashes
  with the pronoun (she / Mr.) (PolNeAR has no gold coreference);
  pronouns without one, and I/we/you, are not scored. The rule is approximate (it is wrong
  when the pronoun refers to someone quoted earlier than the latest named speaker), which
  the pronoun figure inherits;
- names match after lower-casing and dropping punctuation, titles and possessives when they
  share the last (surname) token or one contains the other; a gold speaker span is first cut
  at a comma, parenthesis or " who/which/whose/of/from " ("Mr. Smith, who ..." -> Mr. Smith).

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


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
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
    descr: int = 0
    descr_ok: int = 0
    seconds: float = 0.0
    failed_docs: int = 0
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def figures(self) -> dict[str, float | int]:
        r = self.found / self.gold if self.gold else 0.0
        p = self.pred_ok / self.pred if self.pred else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {
            "gold_quotes": self.gold,
            "predicted": self.pred,
            "recall": round(r, 4),
            "precision": round(p, 4),
            "precision_not_partial": (
                round(self.pred_full_ok / self.pred_full, 4) if self.pred_full else 0
            ),
            "precision_attributed": (
                round(self.pred_attr_ok / self.pred_attr, 4) if self.pred_attr else 0
            ),
            "f1": round(f1, 4),
            "short_unmatched_predictions": self.short_unmatched,
            "named_speaker_accuracy": round(self.named_ok / self.named, 4) if self.named else 0,
            "named_speaker_n": self.named,
            "pronoun_speaker_accuracy": round(self.pron_ok / self.pron, 4) if self.pron else 0,
            "pronoun_speaker_n": self.pron,
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
    words = [w for w in words if w.rstrip(".") not in TITLE_WORDS and w not in {"a", "an"}]
    return [re.sub(r"^(?:al|el)-", "", w) for w in words]


_GOLD_TAIL_RE = re.compile(r",|\(| who | which | of | from | whose ")


def head_name(gold: str) -> str:
    """The name part of a gold speaker span ("Mr. Smith, who ..." -> "Mr. Smith")."""
    head = _GOLD_TAIL_RE.split(gold, maxsplit=1)[0].strip()
    return head or gold


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
        Pred(q.start, q.end, q.speaker.name if q.speaker else None, q.partial) for q in quotes
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
        out.append(Pred(s, e, speaker))
    return out


def score_doc(row: dict[str, Any], preds: list[Pred], tally: Tally, keep: int) -> None:
    text = row["text"]
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
        tally.pred_attr += p.speaker is not None
        tally.pred_full += not p.partial
        if ok:
            tally.pred_ok += 1
            tally.pred_attr_ok += p.speaker is not None
            tally.pred_full_ok += not p.partial
            continue
        words = len(text[p.start : p.end].split())
        short = words <= 3
        tally.short_unmatched += short
        cause = "extra: short span (<= 3 words)" if short else "extra: longer span"
        _add(tally, cause, excerpt(text, p.start, p.end, 40), keep)
    for g in golds:
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
        cls = speaker_class(g["speaker"])
        if cls == "pronoun":
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
                why = "none" if best.speaker is None else "other"
                _add(tally, f"pronoun speaker wrong ({why})",
                     f"gold {g['speaker']}->{ref} | ours {best.speaker} | "
                     + excerpt(text, g["speaker_start"], g["speaker_end"], 60), keep)
        elif cls == "named":
            tally.named += 1
            ok = names_match(best.speaker, g["speaker"])
            tally.named_ok += ok
            if not ok:
                why = "none" if best.speaker is None else "other"
                _add(tally, f"named speaker wrong ({why})",
                     f"gold {g['speaker']} | ours {best.speaker} | "
                     + excerpt(text, g["speaker_start"], g["speaker_end"], 60), keep)
        else:
            tally.descr += 1
            ok = best.speaker is not None and (
                names_match(best.speaker, g["speaker"])
                or bool(set(norm_name(best.speaker)) & set(norm_name(g["speaker"])))
            )
            tally.descr_ok += ok


def _add(tally: Tally, cause: str, example: str, keep: int) -> None:
    bucket = tally.errors[cause]
    bucket.append(example) if len(bucket) < keep else bucket.append("")


def run(files: list[Path], limit: int | None, keep: int) -> dict[str, Any]:
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
    tallies = {name: Tally() for name in tools}
    parse_s = 0.0
    nlp("warm up the pipeline.")
    for row in rows:
        text = row["text"]
        t0 = time.perf_counter()
        doc = nlp(text)
        parse_s += time.perf_counter() - t0
        for name, fn in tools.items():
            t0 = time.perf_counter()
            try:
                preds = fn(doc, text)
            except Exception:  # noqa: BLE001 - a tool failing on a doc counts as misses
                preds = []
                tallies[name].failed_docs += 1
            tallies[name].seconds += time.perf_counter() - t0
            score_doc(row, preds, tallies[name], keep)
    figures = {name: t.figures() for name, t in tallies.items()}
    ours_s = tallies["factcheck"].seconds
    return {
        "files": [str(f) for f in files],
        "docs": len(rows),
        "figures": figures,
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


ROWS = [
    ("recall", "recall"),
    ("precision", "precision (lower bound)"),
    ("f1", "F1"),
    ("precision_not_partial", "precision, non-partial predictions"),
    ("precision_attributed", "precision, predictions with a speaker"),
    ("short_unmatched_predictions", "unmatched predictions <= 3 words"),
    ("named_speaker_accuracy", "speaker accuracy, named gold"),
    ("pronoun_speaker_accuracy", "speaker accuracy, pronoun gold"),
    ("descriptive_speaker_accuracy", "speaker accuracy, descriptive gold"),
    ("predicted", "predicted spans"),
    ("seconds_excluding_parse", "seconds (excluding parse)"),
    ("failed_docs", "docs where the tool failed"),
]


def print_report(result: dict[str, Any], keep: int) -> None:
    figs = result["figures"]
    print(f"PolNeAR direct quotes: {result['docs']} docs, "
          f"{figs['factcheck']['gold_quotes']} gold quotes ({', '.join(result['files'])})")
    print(f"{'':38} {'factcheck':>10} {'textacy':>10}")
    for key, label in ROWS:
        a, b = figs["factcheck"][key], figs["textacy"][key]
        print(f"{label:38} {a!s:>10} {b!s:>10}")
    fc = figs["factcheck"]
    print(f"{'named / pronoun gold speakers scored':38} "
          f"{fc['named_speaker_n']:>10} {fc['pronoun_speaker_n']:>10}")
    t = result["timing"]
    print(f"\nparse {t['parse_seconds']}s; factcheck attribution {t['attribution_seconds']}s "
          f"(x{t['attribution_over_parse']} of parse); "
          f"(parse + attribution) / (2 x parse) = {t['parse_plus_attribution_over_2x_parse']}")
    print("\nRules: found = a predicted span covers >= 50% of the gold span; precision counts a"
          " prediction\ncorrect when it overlaps a gold span by >= 50% of the shorter span;"
          " the gold holds no quoted\nfragments inside reported speech (mixed quotes), hence"
          " the non-partial precision row."
          " A pronoun's referent is\nthe nearest preceding named gold speaker within 1,500"
          " characters (approximate; no gold\ncoreference); I/we/you and pronouns without one"
          " are not scored.")
    if keep:
        for tool in ("factcheck", "textacy"):
            errs = result["_errors"][tool]
            print(f"\nErrors by cause ({tool}):")
            for cause, items in sorted(errs.items(), key=lambda kv: -len(kv[1])):
                print(f"  {cause}: {len(items)}")
                if tool == "factcheck":
                    for ex in [x for x in items if x][:keep]:
                        print(f"      - {ex}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--examples", type=int, default=3, help="examples per error cause")
    args = ap.parse_args(argv)
    files = args.files or [DEFAULT]
    missing = [f for f in files if not f.exists()]
    if missing:
        print(f"PolNeAR data not found ({', '.join(map(str, missing))}); skipping evaluation.")
        return 0
    result = run(files, args.limit, 0 if args.json else args.examples)
    if args.json:
        out = {k: v for k, v in result.items() if k != "_errors"}
        print(json.dumps(out, indent=2))
    else:
        print_report(result, args.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
