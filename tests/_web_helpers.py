"""Shared builders for the web tests: a store with known articles, a client over it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from unspin.model import Article, BoilerplateLine, Origin, Passage, Relation, Substitution
from unspin.pipeline import PipelineConfig, run_after_ingest
from unspin.store import Store
from unspin.web import create_app

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

# Untrusted content: each payload would run script or break out of its context if a
# template printed it raw.
PAYLOADS = (
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(2)>",
    "{{ 7*7 }}<iframe src=//evil.example></iframe>",
    "' onmouseover='alert(3)",
)
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg onload", "<iframe", "onmouseover='alert")

SOURCE_TEXT = (
    "Heavy rain flooded the lower town of Wexcombe on Tuesday, and the river rose two metres "
    "in six hours.\n\n"
    "The council opened the school hall as a shelter for forty families whose homes were damaged."
)
COPY_TEXT = (
    "Heavy downpour flooded the lower town of Wexcombe on Tuesday, and the stream rose two metres "
    "in six hours.\n\n"
    "The council opened the school hall as a refuge for forty families whose homes were damaged."
)


def article(text: str, *, days: int = 0, **meta: object) -> Article:
    return Article.create(text, published=T0 + timedelta(days=days), **meta)  # type: ignore[arg-type]


def payload_articles() -> list[Article]:
    """Articles whose every field carries an injection payload."""
    out = []
    for i, p in enumerate(PAYLOADS):
        out.append(
            Article.create(
                f"Story number {i} about the harbour. {p} The end of paragraph one.\n\n"
                f"A second paragraph mentions {p} again.",
                title=f"Title {i} {p}",
                site=f"site{i} {p}",
                author=f"author {p}",
                url="javascript:alert(document.cookie)"
                if i == 0
                else f"https://example.org/{i}?q={p}",
                published=T0 + timedelta(hours=i),
                origin=Origin("text", f"<paste {p}>"),
                boilerplate=(BoilerplateLine(f"Share this {p}", "share"),),
            )
        )
    return out


def spun_pair() -> tuple[Article, Article, Relation]:
    """A source, its spun copy and the relation the provenance stage would store."""
    source = article(SOURCE_TEXT, title="Floods in Wexcombe", site="Wexcombe Gazette")
    copy = article(COPY_TEXT, days=1, title="Wexcombe flooded", site="Daily Trend Hub")
    subs = []
    for orig, spun in (("rain", "downpour"), ("river", "stream"), ("shelter", "refuge")):
        s0 = SOURCE_TEXT.index(orig)
        c0 = COPY_TEXT.index(spun)
        subs.append(Substitution(orig, spun, s0, s0 + len(orig), c0, c0 + len(spun)))
    p1s, p1c = SOURCE_TEXT.index("\n\n"), COPY_TEXT.index("\n\n")
    passages = (
        Passage(0, p1s, 0, p1c, 15, 2),
        Passage(p1s + 2, len(SOURCE_TEXT), p1c + 2, len(COPY_TEXT), 15, 1),
    )
    rel = Relation(
        source_id=source.id,
        copy_id=copy.id,
        kind="spun_copy",
        confidence=0.9,
        reused=0.93,
        coverage=1.0,
        substitution_rate=0.17,
        direction="published",
        substitutions=tuple(subs),
        passages=passages,
    )
    return source, copy, rel


def build_store(
    path: Path, articles: Iterable[Article], relations: Iterable[Relation] = ()
) -> Path:
    """A store holding ``articles`` and exactly ``relations`` (provenance does not run),
    grouped into stories by the stories stage."""
    arts = list(articles)
    with Store(path) as store:
        store.put_articles(arts)
        rels = list(relations)
        if rels:
            store.put_relations(rels)
        run_after_ingest(
            store, [a.id for a in arts], PipelineConfig(provenance=False, claims=False)
        )
    return path


def client(db: Path, **kwargs: object) -> TestClient:
    kwargs.setdefault("token", "")  # ignore a UNSPIN_TOKEN set in the environment
    return TestClient(create_app(db, **kwargs), base_url="http://testserver")  # type: ignore[arg-type]


def csrf(c: TestClient, page: str = "/add") -> str:
    """Load a form page and return the CSRF token it carries (the cookie is now set)."""
    r = c.get(page)
    assert r.status_code == 200, r.text
    token = c.cookies.get("unspin_csrf")
    assert token and f'value="{token}"' in r.text
    return token
