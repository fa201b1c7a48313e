"""Evidence from the story: wording that differs from other sources only by swaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from spin_samples import STORY_A, STORY_B, STORY_X
from unspin.api import Unspin
from unspin.spin.story import sentence_swaps, story_swaps


def _words(sentence: str) -> list[str]:
    return sentence.split()


THEIRS = _words("We will send humanitarian aid to the flooded villages of the province")


def test_a_reworded_quote_gives_its_swaps() -> None:
    mine = _words("We will send compassionate help to the flooded villages of the province")
    assert sentence_swaps(mine, THEIRS) == [("humanitarian", "compassionate"), ("aid", "help")]


@pytest.mark.parametrize(
    "mine",
    [
        _words("We will send humanitarian aid to the flooded villages of the province"),
        _words("We will send aid to the flooded villages of the province"),
        _words("We will send humanitarian aid to the flooded towns of two provinces"),
        _words("We will not send humanitarian aid to the flooded villages of the province"),
        _words("We will send humanitarian aid to the flooded villages of the Kessel"),
        _words("They could bring medical supplies toward every damaged village in the province"),
    ],
    ids=["verbatim", "shorter", "number", "negation-added", "name", "different-sentence"],
)
def test_no_swaps_unless_only_content_words_differ(mine: list[str]) -> None:
    assert sentence_swaps(mine, THEIRS) == []


def test_story_swaps_count_each_other_source_once() -> None:
    assert story_swaps(STORY_X, [STORY_A, STORY_B, STORY_A]) == (
        ("aid", "help", 3),
        ("humanitarian", "compassionate", 3),
    )
    assert story_swaps(STORY_A, [STORY_B]) == ()


def _store(tmp_path: Path, folder: str, texts: dict[str, str]) -> Path:
    src = tmp_path / folder
    src.mkdir()
    for name, text in texts.items():
        (src / name).write_text(text + "\n", encoding="utf-8")
    return src


def test_a_quote_altered_against_the_other_sources_is_marked_and_their_wording_proposed(
    tmp_path: Path,
) -> None:
    src = _store(tmp_path, "news", {"a.txt": STORY_A, "b.txt": STORY_B, "x.txt": STORY_X})
    with Unspin(tmp_path / "s.db", create=True) as u:
        u.add([str(src)])
        # Each text opens with its headline, which ingest reads as the title.
        ids = {a.title: a.id for a in u.store.iter_articles()}
        assert len(set(u.store.story_of(list(ids.values())).values())) == 1
        x_id = ids[STORY_X.split("\n")[0]]
        alone = u.spin(STORY_X)  # the text alone: the quote stays as quoted
        in_story = u.spin(x_id)
    marked = [s for s in in_story.spans if s.text == "compassionate help"]
    assert marked and marked[0].suggestion == "humanitarian aid"
    assert not any(s.suggestion == "humanitarian aid" for s in alone.spans)
    assert in_story.probability is not None and alone.probability is not None
    assert in_story.probability > alone.probability


def test_copies_of_the_judged_article_are_not_evidence_against_it(tmp_path: Path) -> None:
    # A spun copy of A differs from A by swaps; judging A must not take them as A's.
    copy = STORY_A.replace("humanitarian aid", "compassionate help").replace(
        "Heavy rain", "Torrential rain"
    )
    src = _store(tmp_path, "news", {"a.txt": STORY_A, "copy.txt": copy})
    with Unspin(tmp_path / "s.db", create=True) as u:
        u.add([str(src)])
        a_id = next(a.id for a in u.store.iter_articles() if "compassionate" not in a.text)
        copy_id = next(a.id for a in u.store.iter_articles() if a.id != a_id)
        assert any(r.copy_id == copy_id for r in u.store.relations_of(a_id))
        stories = u.store.story_of([a_id, copy_id])
        assert stories[a_id] == stories[copy_id]  # in one story: excluded as a copy
        assert u._story_swaps(a_id, STORY_A) == ()
        report = u.spin(a_id)
    assert not any(s.text == "humanitarian aid" for s in report.spans)
