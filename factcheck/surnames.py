"""Bare surnames settled the same way whatever order articles are stored in.

An article that names someone only by surname ("Okafor said ...") is credited to a stored
person with that surname: the most quoted one. Resolved one batch at a time, "most quoted"
and "stored" depend on which articles came first, so two writers ingesting halves of a
corpus at once, or one writer given the files in another order, would credit some of those
quotes differently. After each batch, every surname the batch mentioned is settled against
all that is stored: the surname-only quotes and claims of that surname go to the person
with the most full-name quotes (ties: the smaller name), a speaker known only by the
surname is folded into that person, and the surname as an alias belongs to them alone.
Run under the store's write lock, so the outcome is a function of the stored articles.
"""

from __future__ import annotations

from typing import Any

from .speakers import SpeakerIndex, name_key

Mention = tuple[str, int, int, "str | None", "str | None"]


def settle_surname(store: Any, index: SpeakerIndex, surname: str) -> bool:
    """Settle one surname (caller's transaction); True when anything moved."""
    group = [e for e in index.entries.values()
             if e.kind == "person" and any(k.split()[-1:] == [surname] for k in e.keys)]
    if len(group) < 2:
        return False
    full = [e for e in group if any(len(k.split()) >= 2 and k.split()[-1] == surname
                                    for k in e.keys)]
    if not full:
        return False
    mentions = store.speaker_mentions([e.id for e in group])

    def bare(m: Mention) -> bool:
        return m[3] is not None and name_key(m[3]) == surname

    full_quotes = {e.id: 0 for e in full}
    for m in mentions:
        if m[0] == "quotes" and m[2] in full_quotes and m[3] and not bare(m):
            full_quotes[m[2]] += 1
    winner = min(full, key=lambda e: (-full_quotes[e.id], e.name))
    moved = False
    for table in ("quotes", "claims"):
        ids = [m[1] for m in mentions if m[0] == table and bare(m) and m[2] != winner.id]
        if ids:
            store.move_mentions(table, ids, winner.id)
            moved = True
    # Aliases: the surname is the winner's alone; a speaker known only by it is folded in.
    others = [e for e in group if e.id != winner.id]
    aliases = store.aliases_of([e.id for e in others])
    forms = {m[3] for m in mentions if bare(m)}
    for e in others:
        own = {a for a in aliases.get(e.id, []) if name_key(a) == surname}
        forms |= own
        if own or surname in e.keys:
            store.remove_alias(e.id, surname)
            e.keys.discard(surname)
            index.by_key.get(surname, set()).discard(e.id)
            moved = True
        left = [m for m in mentions if m[2] == e.id and not bare(m)]
        if not e.keys and not left:
            store.delete_speakers([e.id])
            del index.entries[e.id]
    for form in sorted(f for f in forms if f):
        store.add_alias(winner.id, form, surname)
        winner.keys.add(surname)
        index.by_key.setdefault(surname, set()).add(winner.id)
    if moved:
        # Roles come with the quotes that named them.
        roles: dict[int, set[str]] = {e.id: set() for e in group if e.id in index.entries}
        for m in store.speaker_mentions(list(roles)):
            if m[0] == "quotes" and m[4]:
                roles[m[2]].add(m[4])
        for sid, rs in roles.items():
            store.set_roles(sid, sorted(rs))
        counts = {sid: 0 for sid in roles}
        for m in store.speaker_mentions(list(roles)):
            if m[0] == "quotes":
                counts[m[2]] += 1
        for sid, n in counts.items():
            index.entries[sid].quotes = n
    return moved
