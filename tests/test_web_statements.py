"""The story page as a reader takes it in, on the bundled transit-fare story: facts the
sources confirm first (conflicts above them), no internal key in any row, and the
timeline in order on one clock with each outlet's local time beside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from _web_helpers import client
from conftest import EXAMPLES
from unspin.api import Unspin


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("statements") / "examples.db"
    with Unspin(path, create=True) as u:
        u.add([str(EXAMPLES)])
    return path


@pytest.fixture(scope="module")
def app_client(db: Path) -> TestClient:
    return client(db, read_only=True)


@pytest.fixture(scope="module")
def transit(app_client: TestClient) -> str:
    items = app_client.get("/api/stories").json()["items"]
    return str(next(s["id"] for s in items if "transit fare" in (s["title"] or "")))


def test_page_opens_with_the_facts_all_sources_confirm(
    app_client: TestClient, transit: str
) -> None:
    data = app_client.get(f"/api/stories/{transit}").json()
    rows = data["claims"]["rows"]
    order = {"conflict": 0, "agree": 1, "differ": 2, "minor": 3, "unique": 4}
    assert [order[r["section"]] for r in rows] == sorted(order[r["section"]] for r in rows)
    first = rows[0]
    assert first["section"] == "agree"
    assert first["independent"] == len(data["claims"]["columns"])
    assert first["support"].startswith(f"{first['sources']} of ")
    # the fare rising to $2.90 from $2.50 is one statement, both figures marked
    fare = next(r for r in rows if "$2.90" in r["label"] and "$2.50" in r["label"])
    assert fare["section"] == "agree" and fare["independent"] == 4
    for said in fare["said"]:
        marked = {said["sentence"][a:b] for a, b in said["marks"]}
        assert marked == {"$2.90", "$2.50"}


def test_minor_differences_fold_below_substance(app_client: TestClient, transit: str) -> None:
    rows = app_client.get(f"/api/stories/{transit}").json()["claims"]["rows"]
    minor = [r for r in rows if r["section"] == "minor"]
    assert any("three" in r["label"] and r["kind"] == "duration" for r in minor)
    html = app_client.get(f"/stories/{transit}").text
    assert re.search(r'<details class="minor-claims">\s*<summary>\d+ minor difference', html)


def test_no_row_shows_an_internal_key(app_client: TestClient, transit: str) -> None:
    """Every statement is words read from a source's sentence, or who said which words."""
    rows = app_client.get(f"/api/stories/{transit}").json()["claims"]["rows"]
    for r in rows:
        label = r["label"]
        sentences = " ".join(s["sentence"] for s in r["said"])
        if r["kind"] == "quote" and ": \u201c" in label:
            who, _, said = label.partition(": \u201c")
            # a name as written (capitalised words), the words as quoted
            assert said and all(w[:1].isupper() for w in who.split()), label
            assert said.rstrip("\u201d").strip("… ")[:20].lower() in sentences.lower(), label
            continue
        words = [w for w in label.strip("… ").split() if w != "…"]
        assert " ".join(words[1:]) in sentences or words[-1] in sentences, label
        assert not re.search(r"\b(abbott lorraine|union riders|money agency)\b", label)


def test_unique_claims_are_grouped_by_source_and_collapsed(
    app_client: TestClient, transit: str
) -> None:
    html = app_client.get(f"/stories/{transit}").text
    summaries = re.findall(r'<details class="unique-claims">\s*<summary>([^<]+)</summary>', html)
    assert len(summaries) >= 3
    assert any(s.startswith("Metro Civic Review: ") for s in summaries)


def test_timeline_reads_in_order_with_local_times(app_client: TestClient, transit: str) -> None:
    data = app_client.get(f"/api/stories/{transit}").json()
    whens = [t["when"] for t in data["timeline"]]
    assert all(w.endswith(" UTC") for w in whens) and whens == sorted(whens)
    courier = next(t for t in data["timeline"] if t["article"]["outlet"] == "Brennford Courier")
    assert courier["when"] == "2026-03-13 04:40 UTC"
    assert courier["local"] == "2026-03-12 23:40 UTC-05:00"
    html = app_client.get(f"/stories/{transit}").text
    assert "(local 2026-03-12 23:40 UTC-05:00)" in html


def test_timeline_in_the_readers_zone(app_client: TestClient, transit: str) -> None:
    data = app_client.get(f"/api/stories/{transit}", params={"tz": "Europe/Berlin"}).json()
    assert data["zone"] == "Europe/Berlin"
    courier = next(t for t in data["timeline"] if t["article"]["outlet"] == "Brennford Courier")
    assert courier["when"] == "2026-03-13 05:40 CET"


def test_unknown_zone_is_one_clear_error(app_client: TestClient, transit: str) -> None:
    r = app_client.get(f"/api/stories/{transit}", params={"tz": "Mars/Olympus"})
    assert r.status_code == 400
    assert r.json()["detail"].startswith("tz=Mars/Olympus: unknown time zone")


def test_story_page_draws_who_copied_whom(app_client: TestClient) -> None:
    """The Aldermoor story: one original, an edited copy and two spun copies (one a copy
    of the edited copy), drawn with each node a link to its article, each edge to its
    pair page, coloured by kind."""
    items = app_client.get("/api/stories").json()["items"]
    sid = next(s["id"] for s in items if "Aldermoor" in (s["title"] or ""))
    d = app_client.get(f"/api/stories/{sid}").json()["diagram"]
    top = {n["outlet"] for n in d["nodes"] if n["y"] == min(m["y"] for m in d["nodes"])}
    assert top == {"Wexcombe Gazette"}
    by_id = {n["id"]: n for n in d["nodes"]}
    for e in d["edges"]:
        assert by_id[e["copy"]]["y"] > by_id[e["source"]]["y"]  # a copy sits beneath
        assert e["pair"] == f"/pairs/{e['copy']}/{e['source']}"
    assert {e["kind"] for e in d["edges"]} == {"edited_copy", "spun_copy"}
    html = app_client.get(f"/stories/{sid}").text
    svg = html[html.index('<svg class="prov"') : html.index("</svg>")]
    for n in d["nodes"]:
        assert f'<a href="/articles/{n["id"]}"' in svg
    for e in d["edges"]:
        assert f'<a href="{e["pair"]}"' in svg
    assert 'class="edge spun_copy"' in svg and 'class="node edited_copy"' in svg


def test_story_without_copies_has_no_diagram(app_client: TestClient, transit: str) -> None:
    data = app_client.get(f"/api/stories/{transit}").json()
    assert data["diagram"] is None
    assert '<svg class="prov"' not in app_client.get(f"/stories/{transit}").text


def test_report_carries_the_diagram_and_statements(db: Path, app_client: TestClient) -> None:
    from unspin.report import story_report

    items = app_client.get("/api/stories").json()["items"]
    copies = next(s["id"] for s in items if "Aldermoor" in (s["title"] or ""))
    transit = next(s["id"] for s in items if "transit fare" in (s["title"] or ""))
    with Unspin(db, read_only=True) as u:
        drawn, compared = story_report(u, copies), story_report(u, transit)
    svg = drawn[drawn.index('<svg class="prov"') : drawn.index("</svg>")]
    assert "Wexcombe Gazette" in svg and "<a " not in svg  # a mailed file has no server
    assert "svg.prov line.edge.spun_copy" in drawn  # the stylesheet travels inline
    assert compared.index("Confirmed by several sources") < compared.index("minor difference")
    assert "<mark>$2.90</mark>" in compared
