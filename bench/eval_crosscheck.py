"""How well the cross-checker finds a corpus's gold conflicts, and how often it cries wolf.

Ingests a directory of articles into a temporary store (hash encoder by default, the
bundled model with ``--model``), runs :func:`factcheck.crosscheck.build_report` as the CLI
does, and scores the report against a gold file of conflicts (and, optionally, near-misses):

- found: a reported conflict holds claims whose evidence spans overlap the ``text_contains``
  of at least two of the gold sides;
- right kind: one such conflict has the kind the gold class maps to (:data:`KIND_MAP`);
- near-miss flagged: both sides of a near-miss sit inside one reported conflict;
- flags: conflicts in the report; false flags hold no two sides of any gold conflict.

    python bench/eval_crosscheck.py                      # synthetic_news + seeds, if present
    python bench/eval_crosscheck.py --set synthetic --json
    python bench/eval_crosscheck.py --articles DIR --conflicts gold.json [--near-misses nm.json]

Skips cleanly (exit 0, a note on stderr) when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SHARED = ROOT.parent / "shared" / "eval"

# Gold classes -> the report's kinds.
KIND_MAP = {
    "changed_over_time": "update",
    "numeric_changed_over_time": "series",
    "denial": "dispute",
    "blame": "dispute",
    "opposing_positions": "dispute",
    "evaluation": "dispute",
    "contradiction": "contradiction",
}
# Competing estimates by different bodies: a contradiction or a dispute, never a series.
ALSO_RIGHT = {("contradiction", "competing_estimates"): {"dispute"}}


@dataclass
class Side:
    file: str
    start: int
    end: int
    text: str


@dataclass
class GoldItem:
    id: str
    cls: str  # gold kind, or "near_miss"
    subkind: str | None
    sides: list[Side]
    topic: str = ""
    found: bool = False
    right_kind: bool = False
    kinds: list[str] = field(default_factory=list)


def _locate(articles: dict[str, Any], side: dict[str, Any]) -> Side | None:
    art = articles.get(side["file"])
    if art is None:
        return None
    pos = art.text.find(side["text_contains"])
    if pos < 0:
        folded = art.text.replace("’", "'").replace("“", '"').replace("”", '"')
        pos = folded.find(side["text_contains"])
    if pos < 0:
        return None
    return Side(side["file"], pos, pos + len(side["text_contains"]), side["text_contains"])


def load_gold(path: Path, articles: dict[str, Any], near: bool = False) -> list[GoldItem]:
    items = []
    for g in json.loads(path.read_text(encoding="utf-8")):
        sides = [s for s in (_locate(articles, s) for s in g["sides"]) if s is not None]
        if len(sides) < len(g["sides"]):
            print(f"warning: {path.name}: {g['id']}: a side was not found in its article",
                  file=sys.stderr)
        items.append(GoldItem(g["id"], "near_miss" if near else g["kind"], g.get("subkind"),
                              sides, g.get("topic", g.get("why", ""))))
    return items


def _holds(conflict: Any, side: Side) -> bool:
    return any(e.article_id == side.file and e.start < side.end and side.start < e.end
               for e in conflict.claims)


def sides_held(conflict: Any, item: GoldItem) -> int:
    return sum(_holds(conflict, s) for s in item.sides)


def right_kinds(item: GoldItem) -> set[str]:
    want = {KIND_MAP.get(item.cls, item.cls)}
    return want | ALSO_RIGHT.get((item.cls, item.subkind or ""), set())


def score(conflicts: list[Any], gold: list[GoldItem], near: list[GoldItem]) -> dict[str, Any]:
    """Score a report; marks ``found``/``right_kind`` on the gold items."""
    used: set[int] = set()
    for item in gold:
        hits = [(i, c) for i, c in enumerate(conflicts) if sides_held(c, item) >= 2]
        item.found = bool(hits)
        item.kinds = [c.kind for _, c in hits]
        item.right_kind = any(c.kind in right_kinds(item) for _, c in hits)
        used |= {i for i, _ in hits}
    flagged = []
    for item in near:
        hits = [c for c in conflicts if sides_held(c, item) >= len(item.sides)]
        item.found = bool(hits)
        item.kinds = [c.kind for c in hits]
        if hits:
            flagged.append(item.id)
    per_class: dict[str, dict[str, int]] = {}
    for item in gold:
        row = per_class.setdefault(item.cls + (f"/{item.subkind}" if item.subkind else ""),
                                   {"gold": 0, "found": 0, "right_kind": 0})
        row["gold"] += 1
        row["found"] += item.found
        row["right_kind"] += item.right_kind
    false_flags = [i for i in range(len(conflicts)) if i not in used]
    return {
        "gold": len(gold), "found": sum(g.found for g in gold),
        "right_kind": sum(g.right_kind for g in gold),
        "near_misses": len(near), "near_misses_flagged": len(flagged),
        "near_misses_flagged_ids": flagged,
        "flags": len(conflicts), "flags_matching_gold": len(used),
        "false_flags": len(false_flags), "kinds": dict(Counter(c.kind for c in conflicts)),
        "per_class": per_class,
        "missed": [{"id": g.id, "class": g.cls, "found": g.found, "kinds": g.kinds}
                   for g in gold if not g.right_kind],
        "_false_idx": false_flags,
    }


def run_report(articles_dir: Path, model: bool, keep: Path | None = None
               ) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    from factcheck.crosscheck import build_report
    from factcheck.ingest import ingest
    from factcheck.store import Store

    if model:
        from factcheck.embeddings import get_encoder

        encoder = get_encoder()
    else:
        from factcheck.embeddings import HashEncoder

        encoder = HashEncoder(384)
    with tempfile.TemporaryDirectory() as tmp:
        root = keep or Path(tmp) / "index"
        t0 = time.perf_counter()
        n_errors = 0
        if not (keep and keep.exists()):  # --keep DIR: ingest once, re-judge many times
            with Store.open(root) as store:
                n_errors = len(ingest([str(articles_dir)], store, encoder).errors)
        t_ingest = time.perf_counter() - t0
        with Store.open(root, create=False, readonly=True) as store:
            articles = {a.id: a for a in store.articles()}
            n_claims = len(store.claims())
            t0 = time.perf_counter()
            conflicts = build_report(store)
            t_report = time.perf_counter() - t0
    stats = {"articles": len(articles), "claims": n_claims,
             "claims_per_article": round(n_claims / max(1, len(articles)), 1),
             "ingest_s": round(t_ingest, 1), "report_s": round(t_report, 2),
             "errors": n_errors}
    return conflicts, articles, stats


def evaluate(articles_dir: Path, conflicts_path: Path, near_path: Path | None,
             model: bool = False, keep: Path | None = None
             ) -> tuple[dict[str, Any], list[Any], list[GoldItem], list[GoldItem]]:
    conflicts, articles, stats = run_report(articles_dir, model, keep)
    gold = load_gold(conflicts_path, articles)
    near = load_gold(near_path, articles, near=True) if near_path and near_path.exists() else []
    result = score(conflicts, gold, near)
    result["stats"] = stats
    return result, conflicts, gold, near


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def print_examples(name: str, result: dict[str, Any], conflicts: list[Any],
                   gold: list[GoldItem], near: list[GoldItem], limit: int) -> None:
    out = sys.stdout
    print(f"\n== {name}: found {result['found']}/{result['gold']}, right kind "
          f"{result['right_kind']}/{result['gold']}, near-misses flagged "
          f"{result['near_misses_flagged']}/{result['near_misses']}, flags "
          f"{result['flags']} ({result['false_flags']} match no gold)", file=out)
    print(f"   stats: {result['stats']}", file=out)
    for cls, row in sorted(result["per_class"].items()):
        print(f"   {cls:40s} {row['right_kind']}/{row['gold']} right kind "
              f"({row['found']} found)", file=out)
    misses = [g for g in gold if not g.right_kind]
    if misses:
        print(f"-- misses ({len(misses)}):", file=out)
    for g in misses[:limit]:
        state = f"found as {g.kinds}" if g.found else "not found"
        print(f" * {g.id} [{g.cls}] {state}", file=out)
        for s in g.sides:
            print(f"     {s.file}: {s.text}", file=out)
    for n in near:
        if n.found:
            print(f"-- near-miss flagged: {n.id} as {n.kinds}", file=out)
    false = result["_false_idx"]
    if false:
        print(f"-- flags matching no gold ({len(false)}):", file=out)
    for i in false[:limit]:
        c = conflicts[i]
        print(f" * [{c.kind}] {c.topic} ({c.score})", file=out)
        for e in c.claims[:4]:
            print(f"     {e.article_id}: {_short(e.text)}", file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=["synthetic", "seeds", "all"], default="all")
    ap.add_argument("--articles", type=Path, help="a directory of articles (own gold)")
    ap.add_argument("--conflicts", type=Path, help="gold conflicts JSON for --articles")
    ap.add_argument("--near-misses", type=Path, help="near-misses JSON for --articles")
    ap.add_argument("--model", action="store_true", help="embed with the bundled model")
    ap.add_argument("--json", action="store_true", help="JSON on stdout")
    ap.add_argument("--keep", type=Path, help="keep the stores under DIR and reuse them")
    ap.add_argument("--examples", type=int, default=40, help="misses/false flags to print")
    args = ap.parse_args(argv)

    sets: list[tuple[str, Path, Path, Path | None]] = []
    if args.articles:
        if not args.conflicts:
            ap.error("--articles needs --conflicts")
        sets.append(("custom", args.articles, args.conflicts, args.near_misses))
    else:
        if not SHARED.exists():
            print(f"note: {SHARED} absent; nothing to evaluate", file=sys.stderr)
            return 0
        syn = SHARED / "synthetic_news"
        if args.set in ("synthetic", "all") and syn.exists():
            sets.append(("synthetic_news", syn / "articles", syn / "conflicts.json",
                         syn / "near_misses.json"))
        if args.set in ("seeds", "all") and (SHARED / "seeds_conflicts.json").exists():
            sets.append(("seeds", ROOT / "seeds", SHARED / "seeds_conflicts.json", None))
    results: dict[str, Any] = {}
    for name, adir, cpath, npath in sets:
        print(f"evaluating {name} ({adir}) ...", file=sys.stderr)
        keep = args.keep / name if args.keep else None
        result, conflicts, gold, near = evaluate(adir, cpath, npath, args.model, keep)
        if not args.json:
            print_examples(name, result, conflicts, gold, near, args.examples)
        result.pop("_false_idx", None)
        results[name] = result
    if args.json:
        json.dump(results, sys.stdout, indent=1)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
