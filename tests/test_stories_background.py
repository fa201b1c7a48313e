"""Cold start: term weights that hold from the first article (background frequencies)."""

from __future__ import annotations

from pathlib import Path

from unspin.api import Unspin
from unspin.embed import StaticEmbedder
from unspin.stories import EMBED_TOKENS, ArticleSignals, Clusterer, extract_terms
from unspin.stories.background import BACKGROUND_DOCS, EMPTY, background

# Two invented reports of one phone call by outlets on different continents: the same
# leaders and places, each with its own officials and wording.
NEW_YORK = (
    "President Ana Varga and Prime Minister Kenji Mori spoke by phone on Monday, the White "
    "House said. The call lasted greater than three hours, according to officials, and covered "
    "trade and the Serrat border dispute. Varga pressed Mori on tariffs on Lindhaven steel, "
    'officials said. "We want humanitarian aid to reach the region quickly," Varga said after '
    "the call. White House spokesman Daniel Okafor told reporters in Washington that Secretary "
    "Helen Brandt would travel to Geneva in April."
)
TOKYO = (
    "Prime Minister Kenji Mori and President Ana Varga held a more than 40-minute chat on "
    "Tuesday, Mori's office said. The two leaders discussed trade and the Serrat border "
    "dispute. Mori told Varga that Japan would keep its tariffs on Lindhaven steel under "
    'review. "We want compassionate help to reach the region quickly," Varga said after the '
    "call. Chief Cabinet Secretary Hiroshi Tanabe told a news conference in Tokyo that Nippon "
    "Steel and Kobe officials had been briefed."
)


def _signals(texts: list[str]) -> list[ArticleSignals]:
    vectors = StaticEmbedder.load().encode(texts, max_tokens=EMBED_TOKENS)
    return [
        ArticleSignals(f"a{i}", v, extract_terms(t))
        for i, (t, v) in enumerate(zip(texts, vectors, strict=True))
    ]


def test_the_shipped_table_knows_common_and_rare_names() -> None:
    bg = background()
    assert bg.n_docs == BACKGROUND_DOCS
    assert bg.get("monday") > bg.get("putin") > bg.get("lindhaven") == 0
    assert bg.get("#2019") > 0


def test_two_reports_of_one_call_alone_in_a_store_share_a_story() -> None:
    c = Clusterer()
    first, second = (c.assign(s) for s in _signals([NEW_YORK, TOKYO]))
    assert second.action == "join" and second.story_id == first.story_id
    assert "varga" in second.reason and "mori" in second.reason


def test_without_the_background_the_store_alone_splits_them() -> None:
    # What the issue saw: in a store of two, every shared name is "common".
    c = Clusterer(background=EMPTY)
    first, second = (c.assign(s) for s in _signals([NEW_YORK, TOKYO]))
    assert second.action == "start" and second.story_id != first.story_id


def test_an_empty_database_puts_both_reports_in_one_story(tmp_path: Path) -> None:
    (tmp_path / "ny.txt").write_text(
        "Title: Varga and Mori hold long phone call\n\n" + NEW_YORK, encoding="utf-8"
    )
    (tmp_path / "tokyo.txt").write_text(
        "Title: Mori, Varga discuss trade in phone call\n\n" + TOKYO, encoding="utf-8"
    )
    with Unspin(tmp_path / "news.db") as u:
        u.add([str(tmp_path / "ny.txt"), str(tmp_path / "tokyo.txt")])
        stories = u.stories()
    assert len(stories) == 1 and stories[0].n_articles == 2


# The Tokyo report as an article spinner rewrites it: words swapped for synonyms, names,
# numbers and days left alone. Its source is not in the store.
SPUN_TOKYO = (
    "Top Minister Kenji Mori and Head of state Ana Varga organized a greater than 40-minute "
    "conversation on Tuesday, Mori's workplace stated. The 2 leaders talked about commerce and "
    "the Serrat boundary dispute. Mori informed Varga that Japan would maintain its tariffs on "
    'Lindhaven metal below evaluation. "We would like compassionate assist to achieve the area '
    'rapidly," Varga stated after the name. Chief Cupboard Secretary Hiroshi Tanabe informed a '
    "information convention in Tokyo that Nippon Metal and Kobe officers had been briefed."
)


def test_a_spun_copy_without_its_source_joins_through_the_names_it_kept() -> None:
    c = Clusterer()
    first, spun = (c.assign(s) for s in _signals([NEW_YORK, SPUN_TOKYO]))
    assert spun.action == "join" and spun.story_id == first.story_id
    assert "lindhaven" in spun.reason
