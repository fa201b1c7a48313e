"""All claims of one article, with offsets and sentences; caching in the store; the pipeline step."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from unspin.claims import EXTRACTOR_VERSION, claims_for, claims_of, extract_claims
from unspin.model import Article

TEXT = (
    "Trade Minister Elena Varga met her Kessarian counterpart on Thursday.\n\n"
    "The talks lasted more than three hours. Both ministers agreed to a 60-day pause on new tariffs.\n\n"
    '"We came to stop the bleeding," Varga told reporters. Valdoria will release 200 detainees.'
)
PUB = datetime(2026, 3, 13, 8, 15, tzinfo=UTC)


def test_every_kind_is_found_with_its_normalised_value() -> None:
    claims = extract_claims(TEXT, published=PUB)
    found = {(c.kind, c.words) for c in claims}
    assert ("date", "Thursday") in found
    assert ("duration", "more than three hours") in found
    assert ("duration", "60-day pause") in found
    assert ("quantity", "200 detainees") in found
    assert ("quote", "We came to stop the bleeding") in found
    assert any(c.kind == "actor" and c.verb_class == "agree" for c in claims)
    (date,) = [c for c in claims if c.kind == "date"]
    assert date.text_value == "2026-03-12"
    (quote,) = [c for c in claims if c.kind == "quote"]
    assert quote.who == "Elena Varga" and quote.direct


def test_offsets_words_and_sentences_are_consistent() -> None:
    for c in extract_claims(TEXT, published=PUB):
        assert TEXT[c.start : c.end] == c.words
        assert TEXT[c.sentence_start : c.sentence_end] == c.sentence
        assert c.sentence_start <= c.start and c.end <= c.sentence_end + 1


def test_claims_are_in_reading_order() -> None:
    starts = [c.start for c in extract_claims(TEXT)]
    assert starts == sorted(starts)


def test_claims_of_an_article_use_its_publication_date() -> None:
    art = Article.create(TEXT, published=PUB)
    (date,) = [c for c in claims_of(art) if c.kind == "date"]
    assert date.article_id == art.id and date.text_value == "2026-03-12"


def test_without_a_date_the_dateline_anchors() -> None:
    text = "Minister resigns\nMay 03, 2013\nThe minister resigned on Thursday."
    dates = [c.text_value for c in extract_claims(text) if c.kind == "date"]
    assert dates == ["2013-05-03", "2013-05-02"]


def test_store_caches_claims_per_extractor_version(store) -> None:  # type: ignore[no-untyped-def]
    art = Article.create(TEXT, published=PUB)
    store.put_articles([art])
    assert store.get_claims(art.id, EXTRACTOR_VERSION) is None
    first = claims_for(store, art.id)
    assert store.get_claims(art.id, EXTRACTOR_VERSION) == first
    assert store.get_claims(art.id, EXTRACTOR_VERSION + 1) is None
    assert store.unextracted_ids([art.id], EXTRACTOR_VERSION) == []
    assert store.count_claims()["quote"] == 1


def test_claims_of_several_articles_are_written_in_one_batch(store) -> None:  # type: ignore[no-untyped-def]
    arts = [
        Article.create(TEXT, published=PUB),
        Article.create("Nobody speaks here."),
        Article.create("About 40 delegates met on Monday.", published=PUB),
    ]
    store.put_articles(arts)
    n = store.put_claims_many([(a.id, claims_of(a)) for a in arts], EXTRACTOR_VERSION)
    assert n == sum(len(claims_of(a)) for a in arts)
    for a in arts:
        assert store.get_claims(a.id, EXTRACTOR_VERSION) == claims_of(a)
    # replacing: the stored claims of an article are its latest, never appended to
    store.put_claims_many([(arts[0].id, claims_of(arts[2]))], EXTRACTOR_VERSION)
    assert len(store.get_claims(arts[0].id, EXTRACTOR_VERSION)) == len(claims_of(arts[2]))


def test_adding_an_article_extracts_its_claims(db_path: Path) -> None:
    from unspin.api import Unspin

    with Unspin(db_path) as u:
        report = u.add_text(TEXT, title="Talks", published=PUB)
        assert report.stages["claims"]["articles"] == 1
        (aid,) = report.added
        assert u.store.get_claims(aid, EXTRACTOR_VERSION) is not None
        assert [c.kind for c in u.claims(aid[:8])].count("quote") == 1


@pytest.mark.parametrize("text", ["", "No numbers, no dates, nobody speaks here."])
def test_texts_without_claims_give_none(text: str) -> None:
    assert extract_claims(text) == []


def test_compare_a_story_reads_its_members_from_the_store(db_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from unspin.api import Unspin

    with Unspin(db_path) as u:
        a = u.add_text("The talks lasted more than three hours.", published=PUB).added[0]
        b = u.add_text("The talks lasted about 45 minutes.", published=PUB).added[0]
        monkeypatch.setattr(u.store, "resolve_story_id", lambda s: "story-1", raising=False)
        monkeypatch.setattr(
            u.store,
            "story_member_rows",
            lambda ids: {"story-1": [{"article_id": a}, {"article_id": b}]},
            raising=False,
        )
        cmp = u.compare("story")
        assert cmp.story_id == "story-1"
        assert [g.label for g in cmp.groups] == ["conflict"]


def test_compare_needs_a_story_or_articles(db_path: Path) -> None:
    from unspin.api import Unspin
    from unspin.errors import UnspinError

    with Unspin(db_path) as u, pytest.raises(UnspinError, match="either a story id or a list"):
        u.compare()
