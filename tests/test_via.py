"""The outlet a quote came through (``via``, issue #13): stored, shown with the evidence by
``quotes --json`` and kept by an export/import round trip."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

ARTICLE = (
    "Title: Quotas cut\nSource: Example Wire\nDate: 2025-03-02\n\n"
    "The daily Coastal Herald quoted Fisheries Minister Omar Haddad as saying: \"The quotas "
    "will be cut by a third next year.\"\n\n"
    "\"We will survive this,\" said Ana Ferro, who owns two trawlers.\n"
)


def test_via_is_stored_shown_and_round_tripped(tmp_path: Path, hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from factcheck.cli import app
    from factcheck.export import dumps_jsonl, import_jsonl
    from factcheck.ingest import ingest
    from factcheck.store import Store

    src = tmp_path / "quotas.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    root = tmp_path / "index"
    with Store.open(root) as store:
        summary = ingest([str(src)], store, hash_encoder)
        assert not summary.errors
        by_text = {q.quote[:10]: q for q in store.quotes()}
        exported = dumps_jsonl(store)
    assert by_text["The quotas"].speaker == "Omar Haddad"
    assert by_text["The quotas"].via == "Coastal Herald"
    assert by_text["We will su"].via is None
    res = CliRunner().invoke(app, ["quotes", "--index", str(root), "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    rows = rows if isinstance(rows, list) else rows.get("quotes", rows)
    assert any(r.get("via") == "Coastal Herald" for r in rows)
    with Store.open(tmp_path / "copy") as store:
        store.lock()
        import_jsonl(store, exported.splitlines(), hash_encoder)
        assert {q.via for q in store.quotes()} == {"Coastal Herald", None}
