"""One vocabulary: docs/api.md lists exactly the fields `unspin.serialize` produces, and
the CLI and the web API name an article's fields the same way."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from unspin import serialize
from unspin.cli import app as cli
from unspin.model import (
    Appearance,
    Article,
    BoilerplateLine,
    Churn,
    Claim,
    ClaimGroup,
    ComparedSource,
    Comparison,
    CopyTree,
    Origin,
    Passage,
    Relation,
    Republication,
    SentenceMatch,
    SentenceSpin,
    SpinReport,
    SpinSpan,
    Story,
    StoryDetail,
    StoryMember,
    StoryMerge,
    Substitution,
    Trace,
)
from unspin.store import Store
from unspin.web import create_app
from unspin.web.schemas import ArticleSummary

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
T = datetime(2025, 5, 6, 7, 8, tzinfo=UTC)

ARTICLE = Article.create(
    "Talks lasted three hours on Monday, the minister said.",
    title="Talks end",
    url="https://example.org/talks",
    site="Example News",
    author="A. Writer",
    published=T,
    language="en",
    origin=Origin("file", "talks.txt"),
    boilerplate=(BoilerplateLine("Share this", "share bar"),),
)
RELATION = Relation(
    "a" * 20,
    "b" * 20,
    "rewritten_copy",
    0.8,
    0.7,
    0.6,
    0.1,
    "facts",
    substitutions=(Substitution("talks", "negotiations", 0, 5, 0, 12),),
    passages=(Passage(0, 10, 0, 12, 2, 1),),
    sentences=(SentenceMatch(0, 10, 0, 12, 0.9),),
    added_facts=("Monday",),
    order_kept=1.0,
    facts_carried=0.9,
    common_source="AP",
)
TREE = CopyTree("a" * 20, None, (CopyTree("b" * 20, RELATION),))
CLAIM = Claim("a" * 20, "duration", 12, 23, "three hours", 0, 54, "Talks lasted …", 180.0)
STORY = Story("c" * 20, "Talks end", T, T, ("Example News",), 2, ("minister", "#3"))
DETAIL = StoryDetail(
    STORY,
    (
        StoryMember(
            "a" * 20,
            "Talks end",
            "Example News",
            T,
            1.0,
            "first",
            (("edited_copy", "source", "b" * 20),),
        ),
    ),
    (StoryMerge("d" * 20, "a" * 20, 0.6, "shared names", T),),
)
SPIN = SpinReport(
    0.9,
    "spun",
    "many swaps",
    (SpinSpan(0, 5, "Talks", "Negotiations", ("Meetings",), 0.85),),
    (SentenceSpin(0, 54, 0.9, 1),),
    text="Talks lasted three hours on Monday, the minister said.",
    article_id="a" * 20,
)
COMPARISON = Comparison(
    "c" * 20,
    (ComparedSource("a" * 20, "Example News", "Talks end", T, ("b" * 20,)),),
    (ClaimGroup("unique", "duration", "talks lasted", (CLAIM,), ("a" * 20,), None, ("b" * 20,)),),
)

REPUBLISHED = Republication(
    "a" * 20,
    Appearance("https://example.org/talks", "Example News", T, "file:talks.txt"),
    (Appearance("https://other.example/t", "other.example", None, None),),
)
# Section title in docs/api.md -> (what builds the dict, fields that hold another
# documented object, whose own fields are listed in that object's section).
CASES: dict[str, tuple[Callable[[], dict[str, Any]], set[str]]] = {
    "Article": (lambda: serialize.article_to_dict(ARTICLE), set()),
    "Article summary": (lambda: serialize.article_summary_to_dict(ARTICLE), set()),
    "Relation": (lambda: serialize.relation_to_dict(RELATION), set()),
    "Provenance tree": (lambda: serialize.tree_to_dict(TREE), {"relation", "copies"}),
    "Trace": (
        lambda: serialize.trace_to_dict(
            Trace("b" * 20, (RELATION,), CopyTree("b" * 20), (RELATION,))
        ),
        {"chain", "copies", "same_story", "siblings", "churn"},
    ),
    "Churn": (lambda: serialize.churn_to_dict(Churn(120, 0.6, 0.15, 0.8)), set()),
    "Spin report": (lambda: serialize.spin_report_to_dict(SPIN), set()),
    "Story": (lambda: serialize.story_to_dict(STORY), set()),
    "Story detail": (lambda: serialize.story_detail_to_dict(DETAIL), {"story"}),
    "Claim": (lambda: serialize.claim_to_dict(CLAIM), set()),
    "Comparison": (lambda: serialize.comparison_to_dict(COMPARISON), {"groups[].claims"}),
    "Republication": (lambda: serialize.republication_to_dict(REPUBLISHED), set()),
}


def documented() -> dict[str, set[str]]:
    """Section title -> the fields its table lists."""
    out: dict[str, set[str]] = {}
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        head = re.match(r"## (.+?) \(`\w+`\)$", line)
        if head:
            section = head.group(1)
            out[section] = set()
            continue
        row = re.match(r"\| `([\w.\[\]]+)` \|", line)
        if row and section:
            out[section].add(row.group(1))
    return out


def produced(data: dict[str, Any], stop: set[str], prefix: str = "") -> set[str]:
    """Every field name in ``data``, nested ones dotted (``spans[].text``)."""
    names: set[str] = set()
    for key, value in data.items():
        name = prefix + key
        names.add(name)
        if name in stop:
            continue
        if isinstance(value, dict):
            names |= produced(value, stop, name + ".")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            names |= produced(value[0], stop, name + "[].")
    return names


def test_every_object_has_a_section() -> None:
    assert set(documented()) == set(CASES)


@pytest.mark.parametrize("section", sorted(CASES))
def test_the_doc_lists_exactly_the_fields_produced(section: str) -> None:
    build, stop = CASES[section]
    data = build()
    json.dumps(data)  # JSON-ready as it stands
    assert produced(data, stop) == documented()[section]


def test_an_article_reads_back_from_its_dict() -> None:
    back = serialize.article_from_dict(serialize.article_to_dict(ARTICLE))
    assert back.id == ARTICLE.id
    assert (back.title, back.outlet, back.published, back.boilerplate) == (
        ARTICLE.title,
        ARTICLE.outlet,
        ARTICLE.published,
        ARTICLE.boilerplate,
    )


def test_a_dict_without_text_is_refused() -> None:
    with pytest.raises(ValueError, match="text"):
        serialize.article_from_dict({"title": "no text"})


def test_the_web_summary_model_has_the_summary_fields() -> None:
    assert set(ArticleSummary.model_fields) == documented()["Article summary"]


def test_list_json_and_api_articles_name_fields_the_same(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    with Store(db) as store:
        store.put_articles([ARTICLE])
    res = CliRunner().invoke(cli, ["--db", str(db), "list", "--json"])
    assert res.exit_code == 0, res.output
    listed = json.loads(res.stdout)
    with TestClient(create_app(db, read_only=True)) as client:
        served = client.get("/api/articles").json()["items"]
    assert listed == served
    assert set(listed[0]) == documented()["Article summary"]
