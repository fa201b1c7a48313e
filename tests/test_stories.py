"""Incremental story clustering: joining, starting, time windows, copies and merges."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.model import Article, Relation
from unspin.store import Store
from unspin.stories import (
    ArticleSignals,
    Clusterer,
    StoryConfig,
    assign_articles,
    extract_terms,
    read_stories,
    read_story,
    rebuild_stories,
)
from unspin.stories.cluster import (
    _TERM_TOKEN,
    PREPARE_MIN_STORIES,
    MergeDecision,
    SplitDecision,
    StoryState,
    split_due,
)

T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)

CHILE_1 = (
    "Quake kills 12 in Chile",
    "A magnitude 6.1 earthquake struck near Valparaiso, Chile on Tuesday, killing 12 people. "
    "Officials in Santiago said rescue teams from Valparaiso were searching the rubble.",
)
CHILE_2 = (
    "Chile earthquake death toll reaches 12",
    "Rescuers in Valparaiso searched collapsed buildings after the 6.1 quake that killed 12 "
    "in Chile. President Boric visited hospitals in Santiago and Valparaiso.",
)
INDONESIA = (
    "Quake hits Indonesia's Sulawesi",
    "A strong earthquake of magnitude 5.8 hit Sulawesi, Indonesia, on Friday. Officials in "
    "Jakarta said 3 people died in Palu and the Sulawesi coast was evacuated.",
)
REHAB = (
    "Tara Reid enters rehab",
    "Actress Tara Reid checked into Promises Treatment Center in Malibu, her publicist "
    "Jack Ketsoyan told People magazine on Tuesday.",
)


def art(pair: tuple[str, str], hours: float = 0, site: str = "a.example") -> Article:
    title, text = pair
    return Article.create(text, title=title, site=site, published=T0 + timedelta(hours=hours))


def put(store: Store, *articles: Article) -> list[str]:
    store.put_articles(articles)
    return [a.id for a in articles]


def story_sets(store: Store) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for aid in store.article_ids():
        groups.setdefault(store.story_of([aid])[aid], set()).add(aid)
    return sorted(groups.values(), key=lambda g: -len(g))


def test_extract_terms_names_and_numbers() -> None:
    terms = extract_terms("Actress Tara Reid paid 1,000 dollars. She thanked Promises.")
    assert terms["reid"] == 1 and terms["promises"] == 1 and terms["#1000"] == 1
    assert "actress" not in terms and "she" not in terms  # sentence-initial words are not names


def test_extract_terms_adds_the_latest_year_named() -> None:
    terms = extract_terms(
        "The 76ers fired Maurice Cheeks in 2008. He was hired in 2005 before 2,008 fans."
    )
    assert terms["@2008"] == 1 and "@2005" not in terms
    assert terms["#2008"] == 2  # the year is still a number term ("2,008" counts too)
    assert [
        t for t in extract_terms("Sales rose to 3000 units, 2,010 of them online.") if t[0] == "@"
    ] == []
    assert extract_terms("A title of 1999", title="Looking back at 2001")["@2001"] == 1


def test_the_latest_year_sides_with_the_story_of_that_year_unshown() -> None:
    """Two stories with the same names and wording that differ only in the latest year
    their reports name: a report of the first's year scores higher with it, and the year
    term is in neither the key terms nor the shared names a decision shows."""
    v = np.zeros(8, np.float32)
    v[0] = 1.0

    def undated(sid: str, *terms: str) -> ArticleSignals:
        return ArticleSignals(id=sid, vector=v, terms=Counter(terms), ts=None)

    c = Clusterer(StoryConfig(join_threshold=0.99))  # every article starts its own story
    first = c.assign(undated("a", "cheeks", "#76ers", "@2008"))
    other = c.assign(undated("b", "cheeks", "#76ers", "@2005"))
    scored = c.score(undated("c", "cheeks", "#76ers", "@2008"))
    score = {story.id: value for story, value, _, _ in scored}
    assert score[first.story_id] > score[other.story_id]
    for story, _, _, shared in scored:
        assert shared == ["#76ers", "cheeks"] or shared == ["cheeks", "#76ers"]
        assert not any(t.startswith("@") for t in c.key_terms(story))


def test_same_event_joins_one_story(store: Store) -> None:
    a, b = art(CHILE_1), art(CHILE_2, hours=5, site="b.example")
    put(store, a, b)
    counts = assign_articles(store)
    assert counts["joined"] == 1 and counts["started"] == 1
    assert story_sets(store) == [{a.id, b.id}]


def test_same_kind_other_event_starts_its_own_story(store: Store) -> None:
    chile, indonesia, rehab = art(CHILE_1), art(INDONESIA, hours=2), art(REHAB, hours=3)
    put(store, chile, indonesia, rehab)
    assign_articles(store)
    assert len(story_sets(store)) == 3


def test_time_window_separates_the_same_words(store: Store) -> None:
    first = art(CHILE_1)
    month_later = art(CHILE_2, hours=24 * 30)
    put(store, first, month_later)
    assign_articles(store)
    assert len(story_sets(store)) == 2
    row = store.story_member_rows([store.story_of([month_later.id])[month_later.id]])
    (member,) = next(iter(row.values()))
    assert "time window" in member["reason"]


def test_only_the_latest_live_stories_are_candidates(store: Store) -> None:
    """Undated articles fall in every story's time span: the batch reads the latest
    ``live_stories`` stories only, so the Chile follow-up cannot join a Chile story that
    two later stories pushed out, and joins it when the bound admits it."""

    def undated(pair: tuple[str, str], url: str) -> Article:
        return Article.create(pair[1], title=pair[0], url=url)

    first, later = [undated(CHILE_1, "x1")], [undated(INDONESIA, "x2"), undated(REHAB, "x3")]
    put(store, *first, *later)
    assign_articles(store)
    follow_up = undated(CHILE_2, "x4")
    put(store, follow_up)
    rows = store.story_rows(latest=2)
    assert len(rows) == 2 and [r.seq for r in rows] == sorted(r.seq for r in rows)
    assert {r.title for r in rows} == {INDONESIA[0], REHAB[0]}
    assign_articles(store, [follow_up.id], config=StoryConfig(live_stories=2))
    assert len(story_sets(store)) == 4
    store.clear_stories()
    assign_articles(store, config=StoryConfig(live_stories=3))
    assert story_sets(store)[0] == {first[0].id, follow_up.id}


def test_incremental_batches_match_one_batch(store: Store, tmp_path) -> None:
    a, b, c = art(CHILE_1), art(CHILE_2, hours=5), art(INDONESIA, hours=6)
    put(store, a)
    assign_articles(store, [a.id])
    put(store, b, c)
    assign_articles(store, [b.id, c.id])
    with Store(tmp_path / "other.db") as other:
        put(other, a, b, c)
        assign_articles(other)
        assert story_sets(store) == story_sets(other)


def test_assigning_twice_is_a_no_op(store: Store) -> None:
    put(store, art(CHILE_1), art(CHILE_2, hours=1))
    assign_articles(store)
    assert assign_articles(store)["assigned"] == 0
    assert store.count_story_members() == 2


def test_copy_joins_its_sources_story_whatever_the_score(store: Store) -> None:
    source = art(CHILE_1)
    # A "copy" with different words: only provenance ties it to the source.
    copy = art(REHAB, hours=1, site="copier.example")
    put(store, source, copy)
    store.put_relations(
        [
            Relation(
                source_id=source.id,
                copy_id=copy.id,
                kind="spun_copy",
                confidence=0.9,
                reused=0.8,
                coverage=0.8,
                substitution_rate=0.4,
                direction="date",
            )
        ]
    )
    assign_articles(store)
    assert story_sets(store) == [{source.id, copy.id}]
    detail = read_story(store, store.story_of([copy.id])[copy.id])
    member = next(m for m in detail.members if m.article_id == copy.id)
    assert member.reason.startswith("copy of")
    assert ("spun_copy", "copy", source.id) in member.relations


def _sig(i: str, vec: list[float], terms: dict[str, int], ts: float | None = 0.0) -> ArticleSignals:
    v = np.asarray(vec, dtype=np.float32)
    return ArticleSignals(
        id=i * 20, vector=v / np.linalg.norm(v), terms=Counter(terms), ts=ts, title=i
    )


def test_bridging_article_merges_two_stories_and_says_why() -> None:
    config = StoryConfig(join_threshold=0.5, merge_threshold=0.5, entity_weight=0.5)
    c = Clusterer(config)
    # Background articles give the names their document frequencies (IDF > 0).
    for k in range(6):
        c.assign(_sig(f"bg{k}", [0, 0, 1], {f"other{k}": 1}))
    a = c.assign(_sig("a", [1, 0.2, 0], {"reid": 2, "promises": 1}))
    b = c.assign(_sig("b", [0.2, 1, 0], {"malibu": 2, "ketsoyan": 1}))
    assert a.story_id != b.story_id
    bridge = c.assign(_sig("c", [1, 1, 0], {"reid": 1, "promises": 1, "malibu": 1, "ketsoyan": 1}))
    assert len(bridge.merges) == 1
    merge = bridge.merges[0]
    assert merge.kept == a.story_id and merge.absorbed == b.story_id
    assert "matches both" in merge.reason
    assert c.by_id[b.story_id].merged_into == a.story_id
    assert c.live_story(b.story_id).n_articles == 3


def test_merge_is_persisted_and_members_move(store: Store) -> None:
    config = StoryConfig(join_threshold=0.3, merge_threshold=0.3, entity_weight=0.9)
    first, second = art(CHILE_1), art(REHAB, hours=1)
    bridge = Article.create(
        CHILE_1[1] + " " + REHAB[1],
        title="Chile quake; Reid in rehab",
        published=T0 + timedelta(hours=2),
    )
    put(store, first, second, bridge)
    counts = assign_articles(store, config=config)
    assert counts["merged"] == 1
    assert story_sets(store) == [{first.id, second.id, bridge.id}]
    (story,) = read_stories(store)
    detail = read_story(store, story.id)
    assert len(detail.merges) == 1 and detail.merges[0].article_id == bridge.id


def test_story_record_fields(store: Store) -> None:
    a, b = art(CHILE_1, site="a.example"), art(CHILE_2, hours=5, site="b.example")
    put(store, a, b)
    assign_articles(store)
    (story,) = read_stories(store)
    assert story.n_articles == 2
    assert set(story.outlets) == {"a.example", "b.example"}
    assert story.title in {CHILE_1[0], CHILE_2[0]}
    assert story.first_published == T0 and story.last_published == T0 + timedelta(hours=5)
    assert "valparaiso" in story.key_terms


def test_stored_key_terms_leave_out_the_latest_year(store: Store) -> None:
    a = art((CHILE_1[0], CHILE_1[1] + " The last quake this strong struck in 2010."))
    b = art((CHILE_2[0], CHILE_2[1] + " Chile last saw such damage in 2010."), hours=5)
    put(store, a, b)
    assign_articles(store)
    (story,) = read_stories(store)
    assert "#2010" in story.key_terms
    assert not any(t.startswith("@") for t in story.key_terms)


def test_stories_newest_first_and_rebuild(store: Store) -> None:
    put(store, art(CHILE_1), art(REHAB, hours=48))
    assign_articles(store)
    titles = [s.title for s in read_stories(store)]
    assert titles == [REHAB[0], CHILE_1[0]]
    counts = rebuild_stories(store)
    assert counts["assigned"] == 2 and len(read_stories(store)) == 2


def test_undated_articles_ignore_the_window(store: Store) -> None:
    a = Article.create(CHILE_1[1], title=CHILE_1[0])
    b = Article.create(CHILE_2[1], title=CHILE_2[0])
    put(store, a, b)
    assign_articles(store)
    assert story_sets(store) == [{a.id, b.id}]


def test_unknown_story_id(store: Store) -> None:
    from unspin.errors import NotFoundError

    with pytest.raises(NotFoundError, match="no story"):
        read_story(store, "s999")


# --- splits: two events that streamed into one story ----------------------------------

REHAB_2 = (
    "Reid in rehab at Promises",
    "Tara Reid is being treated at Promises in Malibu, publicist Jack Ketsoyan said, "
    "asking People readers to respect the actress's privacy.",
)


# Every article joins (the stream puts both events in one story) and the split check
# alone separates them: no small story is absorbed whole, which would keep small groups
# that still match the rest at the join threshold together (a test below).
_SPLIT = StoryConfig(join_threshold=0.0, split_threshold=0.5, small_story=0)


def _two_events(c: Clusterer) -> tuple[list[ArticleSignals], list[ArticleSignals]]:
    # Background articles give the names their document frequencies (IDF > 0).
    for k in range(6):
        c.assign(_sig(f"bg{k}", [0, 0, 1], {f"other{k}": 1}))
    williams = [
        _sig(f"w{k}", [1, 0.3, 0], {"chargers": 1, "okonkwo": 3, "jamal": 2}) for k in range(3)
    ]
    jackson = [
        _sig(f"j{k}", [1, 0.35, 0], {"chargers": 1, "lindqvist": 3, "vincent": 2}) for k in range(3)
    ]
    return williams, jackson


def test_a_story_holding_two_events_splits_and_says_why() -> None:
    c = Clusterer(_SPLIT)
    williams, jackson = _two_events(c)
    members = [williams[0], jackson[0], williams[1], jackson[1], williams[2], jackson[2]]
    story = {c.assign(m).story_id for m in members}
    assert len(story) == 1  # everything joined: the stream put both events in one story
    (sid,) = story
    split = c.split(sid, members)
    assert split is not None
    assert split.story == sid and split.new_story != sid
    assert set(split.moved) in ({m.id for m in jackson}, {m.id for m in williams})
    assert split.reason.startswith(f"split from {sid}:") and "chargers" in split.reason
    assert c.by_id[sid].n_articles == c.by_id[split.new_story].n_articles == 3
    kept = c.by_id[sid].terms
    assert ("okonkwo" in kept) != ("lindqvist" in kept)
    assert split.score < 0.5 and {sid, split.new_story} <= c.changed


def test_the_split_checks_partition_and_score_are_what_split_compares() -> None:
    c = Clusterer(_SPLIT)
    williams, jackson = _two_events(c)
    members = [williams[0], jackson[0], williams[1], jackson[1], williams[2], jackson[2]]
    (sid,) = {c.assign(m).story_id for m in members}
    groups = c.two_groups(members)
    assert groups is not None
    assert {frozenset(m.id for m in g) for g in groups} == {
        frozenset(m.id for m in williams),
        frozenset(m.id for m in jackson),
    }
    across, _, shared = c.group_score(*groups)
    within, _, _ = c.group_score(williams[:2], williams[2:])
    assert across < 0.5 <= within  # 0.5: _SPLIT's split threshold
    assert shared == ["chargers"]
    split = c.split(sid, members)
    assert split is not None and split.score == pytest.approx(across)
    # Members that do not fall in two groups of two or more give no partition.
    assert c.two_groups(williams[:3]) is None


def test_a_small_group_that_still_joins_the_rest_is_not_split_off() -> None:
    def split(small: int) -> SplitDecision | None:
        c = Clusterer(replace(_SPLIT, small_story=small))
        williams, jackson = _two_events(c)
        members = williams + jackson
        (sid,) = {c.assign(m).story_id for m in members}
        return c.split(sid, members)

    # Groups of 3 score below the split threshold with each other ...
    assert split(0) is not None
    assert split(2) is not None
    # ... but small enough to be absorbed whole, they leave only below the join threshold
    # (0 here): else absorb_small would put them back together.
    assert split(3) is None


def test_one_event_does_not_split_and_splits_can_be_turned_off() -> None:
    c = Clusterer(_SPLIT)
    williams, _ = _two_events(c)
    more = [_sig(f"x{k}", [1, 0.3, 0], {"chargers": 1, "okonkwo": 2}) for k in range(2)]
    members = williams + more
    (sid,) = {c.assign(m).story_id for m in members}
    assert c.split(sid, members) is None
    off = Clusterer(replace(_SPLIT, split_threshold=None))
    williams, jackson = _two_events(off)
    members = williams + jackson
    (sid,) = {off.assign(m).story_id for m in members}
    assert off.split(sid, members) is None


def test_a_copy_stays_with_its_source_in_a_split() -> None:
    c = Clusterer(_SPLIT)
    williams, jackson = _two_events(c)
    # A spun copy of an Okonkwo report whose names read like the other event's.
    copy = _sig("copy", [1, 0.35, 0], {"chargers": 1, "vincent": 1})
    members = [*williams, *jackson, copy]
    (sid,) = {c.assign(m).story_id for m in members}
    by_names = c.split(sid, members)
    assert by_names is not None
    assert (copy.id in by_names.moved) == (jackson[0].id in by_names.moved)
    c = Clusterer(_SPLIT)
    _two_events(c)
    (sid,) = {c.assign(m).story_id for m in members}
    split = c.split(sid, members, copies={copy.id: williams[0].id})
    assert split is not None
    assert (copy.id in split.moved) == (williams[0].id in split.moved)


def test_the_store_splits_a_story_across_batches(store: Store) -> None:
    config = _SPLIT
    chile = [art(CHILE_1), art(CHILE_2, hours=2, site="b.example")]
    rehab = [art(REHAB, hours=1), art(REHAB_2, hours=3, site="b.example")]
    put(store, chile[0], rehab[0])
    assign_articles(store, config=config)  # two articles: too few to check
    assert len(story_sets(store)) == 1
    put(store, chile[1], rehab[1])
    assign_articles(store, config=config)
    two = {frozenset(a.id for a in chile), frozenset(a.id for a in rehab)}
    assert set(map(frozenset, story_sets(store))) == two
    stories = read_stories(store)
    assert sorted(s.n_articles for s in stories) == [2, 2]
    moved = [
        m
        for s in stories
        for m in read_story(store, s.id).members
        if m.reason.startswith("split from")
    ]
    assert len(moved) == 2
    # Rebuilding from scratch (one batch) reaches the same two stories.
    rebuild_stories(store, config=config)
    assert set(map(frozenset, story_sets(store))) == two


def test_a_story_is_checked_for_a_split_as_it_grows_by_half() -> None:
    due = [n for n in range(1, 50) if split_due(n - 1, n)]
    assert due == [4, 6, 9, 14, 21, 31, 46]
    assert split_due(2, 8) and not split_due(4, 5) and not split_due(0, 3)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*"aZ9_'.,-!?: \n\t\"(", "É", "²", "Ⅻ", "中", "\u0301"]),
        max_size=40,
    )
)
def test_term_tokens_match_the_backtracking_regex(text: str) -> None:
    backtracking = re.compile(r"[^\W_]+(?:['.,\-][^\W_]+)*|[.!?:\n]")
    assert _TERM_TOKEN.findall(text) == backtracking.findall(text)


def _late_event() -> list[ArticleSignals]:
    """``a`` arrives first and matches ``b`` alone too little; ``c`` joins ``b``; then
    the story of ``b`` and ``c`` matches ``a``."""
    return [
        _sig("a", [1, 0.1, 0], {"reid": 1, "promises": 1}),
        _sig("b", [0.3, 1, 0], {"reid": 1, "malibu": 1, "ketsoyan": 1}),
        _sig("c", [1, 0.6, 0], {"reid": 1, "promises": 1, "malibu": 1, "ketsoyan": 1}),
    ]


_LATE = StoryConfig(join_threshold=0.5, merge_threshold=0.9, entity_weight=0.5)


def test_a_small_story_joins_the_story_that_grew_to_match_it() -> None:
    c = Clusterer(_LATE)
    for k in range(6):
        c.assign(_sig(f"bg{k}", [0, 0, 1], {f"other{k}": 1}))
    a, b, cc = _late_event()
    da, db, dc = c.assign(a), c.assign(b), c.assign(cc)
    assert (da.action, db.action, dc.action) == ("start", "start", "join")
    assert dc.story_id == db.story_id and db.score < _LATE.join_threshold
    lone = c.assign(_sig("z", [0, 1, -1], {"okonkwo": 1}))  # matches nothing: stays alone
    (merge,) = c.absorb_small(sorted(c.changed))
    assert {merge.kept, merge.absorbed} == {da.story_id, db.story_id}
    assert merge.article_id is None and merge.score >= _LATE.join_threshold
    assert "as wholes at the end of a batch" in merge.reason and "reid" in merge.reason
    assert c.live_story(da.story_id) is c.live_story(db.story_id)
    assert c.live_story(da.story_id).n_articles == 3
    assert c.live_story(lone.story_id).n_articles == 1
    assert c.absorb_small(sorted(c.changed)) == []  # nothing left to merge


def test_only_stories_up_to_the_small_size_are_absorbed() -> None:
    def run(small: int) -> int:
        c = Clusterer(replace(_LATE, small_story=small))
        for k in range(6):
            c.assign(_sig(f"bg{k}", [0, 0, 1], {f"other{k}": 1}))
        for sig in _late_event():
            c.assign(sig)
        return len(c.absorb_small(sorted(c.changed)))

    assert run(0) == 0  # turned off
    assert run(1) == 1  # the lone first report's story is small enough
    assert run(6) == 1


def test_the_store_records_an_absorbed_small_story_as_a_merge(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = [art(CHILE_1), art(CHILE_2, hours=1), art(INDONESIA, hours=2)]
    put(store, *articles)
    by_id = {x.id: replace(s, id=x.id) for x, s in zip(articles, _late_event(), strict=True)}
    monkeypatch.setattr(
        "unspin.stories.assign._signals", lambda batch, *_: [by_id[x.id] for x in batch]
    )
    counts = assign_articles(store, config=_LATE)
    assert counts["started"] == 2 and counts["joined"] == 1 and counts["merged"] == 1
    assert story_sets(store) == [{x.id for x in articles}]
    (story,) = read_stories(store)
    detail = read_story(store, story.id)
    assert story.n_articles == 3 and len(detail.members) == 3
    (merge,) = detail.merges
    assert merge.article_id is None and "as wholes at the end of a batch" in merge.reason


def _many_stories(rng: np.random.Generator, n: int, dim: int = 16) -> list[StoryState]:
    states = []
    for k in range(n):
        v = rng.normal(size=dim).astype(np.float32)
        states.append(
            StoryState(
                id=f"s{k:06d}-bg",
                seq=k + 1,
                vector_sum=v * 3,
                n_articles=3,
                term_counts=Counter({f"name{k % 97}": 2, f"place{k % 31}": 1}),
            )
        )
    return states


def test_a_batch_prepared_in_one_product_is_assigned_as_one_by_one() -> None:
    # Clusterer.prepare: the batch's cosines with the loaded stories in one product,
    # those of stories created or changed since computed again per article. Batches of
    # near copies of stored stories and of each other: joins, new stories, merges.
    rng = np.random.default_rng(7)
    n = PREPARE_MIN_STORIES + 200
    config = StoryConfig(join_threshold=0.45, merge_threshold=0.5, entity_weight=0.5)
    sigs = []
    for k in range(120):
        target = int(rng.integers(0, n))
        # two in three lie near one of five directions, so later ones meet earlier ones
        near = rng.normal(size=16) * 0.3 + target % 5
        vec = (near if k % 3 else rng.normal(size=16)).astype(np.float32)
        terms = {f"name{target % 97}": 1, f"place{(k // 2) % 31}": 1}
        sigs.append(_sig(f"n{k:03d}", list(vec), terms, ts=None))
    runs = []
    for prepared in (False, True):
        c = Clusterer(config, _many_stories(np.random.default_rng(3), n), next_seq=n + 1)
        if prepared:
            c.prepare(sigs)
            assert c._batch_sims is not None
        runs.append([c.assign(s) for s in sigs])
    one, batch = runs
    assert [(d.story_id, d.action, [m.absorbed for m in d.merges]) for d in one] == [
        (d.story_id, d.action, [m.absorbed for m in d.merges]) for d in batch
    ]
    assert max(abs(a.score - b.score) for a, b in zip(one, batch, strict=True)) < 1e-5
    actions = Counter(d.action for d in one)
    assert actions["join"] and actions["start"]


def _absorb_every_pass(c: Clusterer, story_ids: list[str]) -> list[MergeDecision]:
    """Clusterer.absorb_small as it first was: every small story scored on every pass."""
    cap, bar = c.config.small_story, c.config.join_threshold
    pending = {c.live_story(s).id for s in story_ids}
    merges: list[MergeDecision] = []
    merged = True
    while merged:
        merged = False
        small = sorted(
            (c.by_id[s] for s in pending if c.by_id[s].merged_into is None),
            key=lambda st: (st.n_articles, st.seq),
        )
        for story in small:
            if story.merged_into is not None or not 0 < story.n_articles <= cap:
                continue
            whole = ArticleSignals(story.id, story.centroid, story.terms, story.last_ts)
            for target, score, _, shared in c.score(whole):
                target = c.live_story(target.id)
                if target.id == story.id:
                    continue
                if score < bar:
                    break
                merges.append(c._merge(target, story, story.id, score, shared))
                pending.add(merges[-1].kept)
                merged = True
                break
    return merges


def _count_scorings(c: Clusterer, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count ``c.score`` calls from now on (in the returned list's one item)."""
    calls = [0]
    score = c.score

    def counted(
        sig: ArticleSignals, found: list[tuple[int, float]] | None = None
    ) -> list[tuple[StoryState, float, float, list[str]]]:
        calls[0] += 1
        return score(sig, found)

    monkeypatch.setattr(c, "score", counted)
    return calls


@pytest.mark.parametrize(("seed", "join"), [(0, 0.62), (2, 0.7)])
def test_absorbing_small_stories_rescores_only_what_a_merge_can_change(
    monkeypatch: pytest.MonkeyPatch, seed: int, join: float
) -> None:
    # absorb_small scores a story again only when a merge since its last scoring touched
    # one of its candidates or brought a new one: the same merges as scoring every small
    # story on every pass, with fewer scorings.
    config = StoryConfig(join_threshold=join, merge_threshold=0.99, entity_weight=0.3)
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(6, 16))
    sigs = []
    for k in range(90):
        vec = centres[k % 6] + rng.normal(size=16) * 0.9
        terms = {f"name{k % 6}": 1, f"place{int(rng.integers(0, 40))}": 1}
        sigs.append(_sig(f"m{k:03d}", list(vec), terms, ts=float(k)))
    runs = []
    for memo in (True, False):
        c = Clusterer(config)
        for s in sigs:
            c.assign(s)
        calls = _count_scorings(c, monkeypatch)
        if memo:
            merges = c.absorb_small(sorted(c.changed))
        else:
            merges = _absorb_every_pass(c, sorted(c.changed))
        runs.append(([(m.kept, m.absorbed, round(m.score, 9)) for m in merges], calls[0]))
    (memo_merges, memo_calls), (every_merges, every_calls) = runs
    assert memo_merges == every_merges
    assert len(memo_merges) >= 5
    assert memo_calls < every_calls


def _unit(*coords: tuple[int, float]) -> np.ndarray:
    """A unit vector of 16 dimensions from ``(axis, value)`` pairs."""
    v = np.zeros(16, dtype=np.float32)
    for axis, value in coords:
        v[axis] = value
    return v / np.linalg.norm(v)


def _absorb_both_ways(
    config: StoryConfig, rows: list[tuple[str, int, int, np.ndarray, dict[str, int]]]
) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]], Clusterer]:
    """Stories built from ``(name, seq, articles, vector, names)`` rows, absorbed by
    ``absorb_small`` and by scoring every small story on every pass: the ids by name, the
    ``(kept, absorbed)`` pairs of each way, and the clusterer ``absorb_small`` ran on."""

    def clusterer() -> Clusterer:
        states = [
            StoryState(f"s{seq:06d}-{name}", seq, vec, n, Counter(names))
            for name, seq, n, vec, names in rows
        ]
        return Clusterer(config, states, next_seq=len(rows) + 1)

    c = clusterer()
    ids = {s.id[-1]: s.id for s in c.states}
    memo = [(m.kept, m.absorbed) for m in c.absorb_small(list(ids.values()))]
    every = [(m.kept, m.absorbed) for m in _absorb_every_pass(clusterer(), list(ids.values()))]
    return ids, memo, every, c


def test_a_small_story_is_scored_again_when_a_merge_changes_one_of_its_candidates() -> None:
    # X matches neither K nor Y alone (cosine 0.66 < 0.70), so its first scoring merges
    # nothing; then Y and K merge (0.75), and their centroid matches X (0.71). The merged
    # story is too big to be scored whole again, so only X's second scoring can find it:
    # the merge changed one of X's candidates, and X is scored again and joins them.
    p, q = math.sqrt(0.4394), math.sqrt(0.125)
    config = StoryConfig(
        join_threshold=0.70, merge_threshold=0.99, entity_weight=0.0, small_story=2
    )
    ids, memo, every, c = _absorb_both_ways(
        config,
        [
            ("x", 1, 1, _unit((0, 1.0)), {}),
            ("y", 2, 1, _unit((0, 0.66), (1, p), (2, q)), {}),
            ("k", 3, 2, _unit((0, 0.66), (1, p), (2, -q)), {}),
        ],
    )
    assert memo == [(ids["y"], ids["k"]), (ids["x"], ids["y"])] == every
    assert c.live_story(ids["k"]).n_articles == 4


def test_a_small_story_is_scored_again_when_a_new_candidate_enters_its_top() -> None:
    # Three candidates a scoring (X itself among them). X's first are A and B, close by
    # embedding but sharing no names: no merge. C, fourth by embedding, shares X's name.
    # Then A merges into E (they share a name) and their centroid falls behind C, which
    # enters X's candidates untouched by any merge: X is scored again and joins C.
    config = StoryConfig(
        join_threshold=0.6, merge_threshold=0.99, entity_weight=0.5, small_story=2, candidates=3
    )
    ids, memo, every, _ = _absorb_both_ways(
        config,
        [
            ("e", 1, 2, _unit((0, 0.2), (1, 0.98)), {"eta": 1}),
            ("x", 2, 1, _unit((0, 1.0)), {"zeta": 1}),
            ("a", 3, 1, _unit((0, 0.9), (1, 0.436)), {"eta": 1}),
            ("b", 4, 3, _unit((0, 0.85), (1, -0.527)), {"theta": 1}),
            ("c", 5, 3, _unit((0, 0.7), (3, 0.714)), {"zeta": 1}),
        ],
    )
    assert memo == [(ids["e"], ids["a"]), (ids["x"], ids["c"])] == every


def test_a_loaded_storys_terms_are_read_only_when_used() -> None:
    """A story loaded from the store keeps its terms as the stored JSON until they are
    read: building the clusterer and scoring by embedding do not read them, and a story
    saved untouched writes the same JSON back."""
    stored = '{"reid":3,"promises":2,"#2008":1}'
    rng = np.random.default_rng(4)
    states = [
        StoryState(f"s{k:06d}-x", k + 1, rng.normal(size=8).astype(np.float32), 3,
                   stored_terms=stored)
        for k in range(40)
    ]  # fmt: skip
    clusterer = Clusterer(StoryConfig(), states)
    sig = ArticleSignals("a", states[0].vector_sum / np.linalg.norm(states[0].vector_sum), {})
    assert clusterer.candidates(sig)
    assert all(s.term_counts is None for s in states)
    assert states[1].terms_json() == stored, "untouched: the stored JSON as it was"
    story = states[0]
    assert story.terms == Counter({"reid": 3, "promises": 2, "#2008": 1})
    story.terms.update({"reid": 1, "lohan": 1})  # updated in place once read
    assert story.terms["reid"] == 4 and story.stored_terms is None
    assert json.loads(story.terms_json()) == {"reid": 4, "promises": 2, "#2008": 1, "lohan": 1}
    story.terms = Counter({"x": 1})
    assert story.terms_json() == '{"x":1}'
    assert StoryState("s2", 2, np.zeros(8, np.float32)).terms == Counter()
