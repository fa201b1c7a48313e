"""End to end: `unspin trace` and `unspin copies` on a temporary database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance_samples import ORIGINAL, UNRELATED, edit, spin
from unspin.cli import app
from unspin.model import Article

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    edited = edit(ORIGINAL)
    spun, _ = spin(Article.create(edited).text, 0.4, seed=8)
    for name, text in [
        ("a-original", ORIGINAL),
        ("b-edited", edited),
        ("c-spun", spun),
        ("d-other", UNRELATED),
    ]:
        (root / f"{name}.txt").write_text(text, encoding="utf-8")
    path = root / "u.db"
    result = runner.invoke(
        app, ["--db", str(path), "add", "--no-claims", "--no-stories", str(root)]
    )
    assert result.exit_code == 0, result.output
    return path


def _id(text: str) -> str:
    return Article.create(text).id


def _invoke(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


# The edit cuts the original's last paragraph and adds one of its own, and neither file
# is dated: each holds text the other lacks, so neither is named the other's source; both
# run a common source the store does not hold, and the spin hangs under the edit it spins.


def test_copies_lists_the_provenance_tree(db: Path) -> None:
    out = _invoke(db, "copies")
    assert "common source a source not in the store (run by 2 articles)" in out
    assert "edited copy, shares" in out and "spun copy" in out
    assert "3 copies in 1 provenance trees" in out


def test_copies_json_nests_copies_of_copies(db: Path) -> None:
    data = json.loads(_invoke(db, "copies", "--json"))
    (tree,) = data["trees"]
    assert len(data["relations"]) >= 2
    assert tree["article"] is None and tree["common_source"] == "not stored"
    assert tree["relation"] is None
    runs = {c["article"]: c for c in tree["copies"]}
    assert set(runs) == {_id(ORIGINAL), _id(edit(ORIGINAL))}
    child = runs[_id(edit(ORIGINAL))]
    assert child["relation"]["kind"] == "edited_copy"
    (grandchild,) = child["copies"]
    assert grandchild["relation"]["kind"] == "spun_copy"


def test_trace_shows_each_swapped_word_next_to_its_original(db: Path) -> None:
    edited = Article.create(edit(ORIGINAL)).text
    spun, _ = spin(edited, 0.4, seed=8)
    out = _invoke(db, "trace", _id(spun)[:10])
    assert "Source chain" in out and "spun copy" in out
    data = json.loads(_invoke(db, "trace", "--json", _id(spun)))
    sub = data["chain"][-1]["substitutions"][0]
    assert f"[{sub['source']} → {sub['copy']}]" in " ".join(out.split())


def test_trace_json_of_the_original(db: Path) -> None:
    data = json.loads(_invoke(db, "trace", "--json", _id(ORIGINAL)))
    assert data["chain"] == [] and data["original"] == _id(ORIGINAL)
    assert data["common_source"] == "not stored" and data["copies"] == []
    (sibling,) = data["siblings"]
    assert {sibling["source"], sibling["copy"]} == {_id(ORIGINAL), _id(edit(ORIGINAL))}


def test_trace_of_an_unknown_id_fails_with_a_message(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "trace", "ffffffffff"])
    assert result.exit_code == 1
    assert "no article" in result.output


def test_copies_on_an_empty_store(tmp_path: Path) -> None:
    from unspin.store import Store

    Store(tmp_path / "empty.db").close()
    assert "No copies found" in _invoke(tmp_path / "empty.db", "copies")


def test_copies_lists_a_text_republished_word_for_word_under_another_headline(
    tmp_path: Path,
) -> None:
    """One report run word for word by a second outlet under its own headline is one
    stored article seen at two addresses: `unspin copies` names the address that
    published it first and the one that ran it since, and a third outlet's later run."""
    body = (
        "The council of Harbourton voted on Monday to close the old river bridge for "
        "repairs after engineers found cracks in two of its piers.\n\nOfficials said the "
        "work would take three months and cost about $2 million from the road fund."
    )
    rows = [
        {
            "url": "https://second.example/b",
            "text": f"Bridge to shut\n\n{body}",
            "published": "2026-03-03",
        },
        {
            "url": "https://first.example/a",
            "text": f"Council closes bridge\n\n{body}",
            "published": "2026-03-02",
        },
        {
            "url": "https://third.example/c",
            "text": f"Repairs for old bridge\n\n{body}",
            "published": "2026-03-05",
        },
        {
            "url": "https://first.example/a",
            "text": f"Council closes bridge\n\n{body}",
            "published": "2026-03-02",
        },
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "u.db"
    _invoke(db, "add", "--no-claims", "--no-stories", str(src))
    out = " ".join(_invoke(db, "copies").split())
    assert "Published word for word at more than one address" in out
    assert "first at https://first.example/a (first.example, 2026-03-02)" in out
    assert (
        "duplicate at https://second.example/b" in out
        and "duplicate at https://third.example/c" in out
    )
    assert "1 text republished word for word at 2 more addresses" in out
    data = json.loads(_invoke(db, "copies", "--json"))
    (entry,) = data["republished"]
    assert entry["kind"] == "duplicate" and entry["article"] == _id(body)
    assert entry["original"]["url"] == "https://first.example/a"
    assert [c["url"] for c in entry["copies"]] == [
        "https://second.example/b",
        "https://third.example/c",
    ]
    assert entry["copies"][0]["outlet"] == "second.example"
    trace = " ".join(_invoke(db, "trace", _id(body)[:12]).split())
    assert "Published word for word at 3 addresses" in trace
    assert "first at https://first.example/a" in trace
    places = json.loads(_invoke(db, "trace", "--json", _id(body)))["places"]
    assert [p["url"] for p in places][0] == "https://first.example/a" and len(places) == 3
