"""Generate a realistic news corpus of any size, as JSONL, for the benchmarks.

Articles recombine the narrative sentences and direct quotes of ``seeds/`` with synthetic
ones: invented people with titles and outlets, quotes attributed in the ways real reports
do (``"...," X said.``, ``X told reporters: "..."``, pronoun follow-ups, ``according to``),
dates, numbers and places. Names in the seed sentences are kept as they are (they are just
realistic text here); every quote the generator attributes gets a synthetic speaker, so the
corpus has thousands of distinct speakers like a real archive.

Deterministic for a given ``--seed``; streams to the output, so a million quotes need no
memory. Usage::

    python bench/gen_corpus.py --quotes 10000 --out /tmp/corpus.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

FIRST = """Amara Bilal Carlos Dana Elena Farid Grace Hassan Ingrid Jonas Kenji Leila Marta Nikolai
Omar Priya Quentin Rania Stefan Tamar Umar Vera Wei Ximena Yusuf Zofia Adrian Beatriz Chidi
Dmitri Esther Fatima Goran Hana Ilya Julia Karim Lucia Mehmet Nadia Oleg Paula Rashid Sofia
Tomas Valentina Walid Yara Anders Brigitte""".split()
LAST = """Abara Bergstrom Castellano Dragomir Eriksen Farouk Galindo Haddad Ivanova Jansen Kowalski
Lindqvist Moreau Nakamura Okonkwo Petrov Quaresma Rahimi Salazar Tanaka Ulyanov Varga Weber
Xu Yilmaz Zubkov Almeida Brennan Chaudhry Delacroix Estrada Fischer Grigoryan Horvat Iqbal
Jovanovic Kaplan Lombardi Mansour Novak Ortega Pavlenko Qureshi Rossi Sandoval Toivonen
Urquhart Vasquez Wojcik Zamora""".split()
TITLES = [
    "Foreign Minister", "Defence Minister", "Deputy Foreign Minister", "Prime Minister",
    "President", "ambassador to the United Nations", "spokesman for the Foreign Ministry",
    "military spokeswoman", "senior diplomat", "Secretary of State", "Interior Minister",
    "opposition leader", "envoy", "army chief of staff", "government spokesman",
]
COUNTRIES = [
    "Arvania", "Beltoria", "Corvania", "Dastan", "Estmark", "Feloria", "Gravonia", "Halvia",
    "Istrany", "Jorvik", "Kestria", "Lunaria", "Moravel", "Norsca", "Ostrava", "Pelagia",
]
OUTLETS = [
    "The Evening Courier", "Daily Ledger", "Capital Wire", "Harbor Times", "Northern Post",
    "Continental Review", "World Dispatch", "Metro Herald", "Frontier News", "Global Monitor",
]
ORGS = ["the defence ministry", "the foreign ministry", "the United Nations", "the alliance",
        "the rebel command", "the interior ministry", "the central bank", "the election board"]
CUES = ["said", "told reporters", "said in a statement", "told a news conference",
        "said on Tuesday", "said on Friday", "told state television", "wrote on social media",
        "added", "warned", "insisted", "stressed"]
EVENTS = ["ceasefire", "arms shipment", "peace talks", "air strikes", "sanctions",
          "troop withdrawal", "prisoner exchange", "border closure", "naval exercise",
          "missile test", "aid convoy"]
VERBS = ["will not accept", "strongly condemns", "is ready to discuss", "has never supported",
         "fully backs", "rejects", "is deeply concerned about", "welcomes", "will respond to"]
JUDGEMENTS = ["a serious mistake", "the only way forward", "not on the table", "a provocation"]
LABELS = ["destabilizing", "unacceptable", "premature", "historic"]
WE_VERBS = ["will not accept", "strongly condemn", "are ready to discuss", "reject", "welcome"]
QUALS = ["in the coming days", "without preconditions", "under any circumstances",
         "as soon as possible", "before the end of the year", "at this stage",
         "in full coordination with our partners", "despite the pressure"]
PLACES = ["the capital", "the northern province", "the border region", "the port city",
          "the eastern front", "the coastal strip", "the mountain district"]

_QUOTE = re.compile(r"[“\"]([^”\"]{12,400})[”\"]")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def seed_material() -> tuple[list[str], list[str]]:
    """Narrative sentences without quote marks, and direct quote texts, from the seeds."""
    narrative: list[str] = []
    quotes: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        quotes += [q.strip().rstrip(",") for q in _QUOTE.findall(text)]
        for para in text.split("\n"):
            for sent in _SENT.split(para.strip()):
                words = sent.split()
                if 8 <= len(words) <= 45 and not re.search(r"[“”\"‘’']", sent) \
                        and sent.endswith("."):
                    narrative.append(sent)
    return narrative, quotes


class Generator:
    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.narrative, self.seed_quotes = seed_material()
        # A fixed population of speakers, so speakers recur across articles like in an archive.
        self.people = [
            (f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}", self.rng.choice(TITLES),
             self.rng.choice(COUNTRIES), self.rng.random() < 0.5)
            for _ in range(5000)
        ]

    def quote_text(self) -> str:
        r = self.rng
        if self.seed_quotes and r.random() < 0.3:
            text = r.choice(self.seed_quotes).rstrip(".")
            return text[:1].upper() + text[1:] + "."
        country = r.choice(COUNTRIES)
        event = r.choice(EVENTS)
        forms = [
            f"{country} {r.choice(VERBS)} the {event} {r.choice(QUALS)}",
            f"We {r.choice(['will', 'cannot', 'must', 'do not'])} "
            f"{r.choice(['accept', 'stop', 'support', 'ignore'])} the {event} in "
            f"{r.choice(PLACES)}",
            f"There were {r.randint(2, 900)} {r.choice(['soldiers', 'civilians', 'fighters'])} "
            f"killed near {r.choice(PLACES)} since {r.choice(['March', 'June', 'last week'])}",
            f"The {event} is {r.choice(JUDGEMENTS)}",
            f"Our position on the {event} has not changed",
        ]
        text = r.choice(forms)
        if r.random() < 0.4:
            text += f", and {r.choice(QUALS)} we {r.choice(WE_VERBS)} any {r.choice(EVENTS)}"
        return text + "."

    def paragraph(self, person: tuple[str, str, str, bool], first: bool) -> str:
        r = self.rng
        name, title, country, female = person
        surname = name.split()[-1]
        pron = "She" if female else "He"
        q = self.quote_text()
        who = f"{country}'s {title} {name}" if first else surname
        form = r.randrange(6)
        if form == 0:
            return f"“{q[:-1]},” {who} {r.choice(CUES)}."
        if form == 1:
            return f"{who} {r.choice(CUES)}: “{q}”"
        if form == 2:
            return f"“{q[:-1]},” {who} said. “{self.quote_text()}”"
        if form == 3:
            return f"{pron} added: “{q}”" if not first else f"{who} said: “{q}”"
        if form == 4:
            return (f"According to {r.choice(ORGS)}, the {r.choice(EVENTS)} would go ahead. "
                    f"“{q}” {who} told reporters in {r.choice(PLACES)}.")
        return (f"{who} described the {r.choice(EVENTS)} as “{r.choice(LABELS)}”, "
                f"saying {r.choice(COUNTRIES)} {r.choice(VERBS)} it.")

    def article(self, i: int, n_quotes: int) -> dict[str, object]:
        r = self.rng
        cast = [r.choice(self.people) for _ in range(r.randint(1, 3))]
        seen: set[str] = set()
        paras: list[str] = []
        event = r.choice(EVENTS)
        dateline = r.choice(COUNTRIES).upper()
        lead = r.choice(self.narrative) if self.narrative else ""
        paras.append(f"{dateline} — {lead}")
        made = 0
        while made < n_quotes:
            person = r.choice(cast)
            paras.append(self.paragraph(person, person[0] not in seen))
            seen.add(person[0])
            made += 1 + (paras[-1].count("“") > 1)
            for _ in range(r.randint(0, 2)):
                if self.narrative:
                    paras.append(" ".join(r.choice(self.narrative)
                                          for _ in range(r.randint(1, 3))))
        year = r.randint(2010, 2024)
        return {
            "id": f"gen-{i:07d}",
            "title": f"{cast[0][2]} and {r.choice(COUNTRIES)} at odds over {event}",
            "source": r.choice(OUTLETS),
            "published": f"{year}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
            "text": "\n\n".join(paras) + "\n",
        }

    def articles(self, quotes: int) -> Iterator[dict[str, object]]:
        """Articles until about ``quotes`` quotes have been written (about 6 per article)."""
        made = i = 0
        while made < quotes:
            n = min(self.rng.randint(3, 9), quotes - made)
            art = self.article(i, n)
            made += str(art["text"]).count("“")
            i += 1
            yield art


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quotes", "--size", type=int, default=1000, help="Approximate quote count.")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="-", help="Output JSONL (default stdout).")
    args = ap.parse_args(argv)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8")  # noqa: SIM115
    try:
        n = 0
        for art in Generator(args.seed).articles(args.quotes):
            out.write(json.dumps(art, ensure_ascii=False) + "\n")
            n += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"wrote {n} articles", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
