"""Copies as they are made in the wild: heavy spin, house style, wire stories, rewrites."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from provenance_samples import ORIGINAL, SAME_STORY, article
from real_copy_samples import HOUSE_STYLE, REWRITE, SPUN_HEAVY, WIRE_A, WIRE_B, WIRE_C
from unspin import Unspin
from unspin.cli import app
from unspin.model import Article, Relation
from unspin.provenance.credit import credited_source
from unspin.provenance.relate import relate
from unspin.provenance.swaps import editorial_reason


def _store_texts(tmp_path: Path, texts: dict[str, str]) -> Unspin:
    """A store at ``tmp_path/u.db`` holding ``texts`` (file name -> text), added as files."""
    src = tmp_path / "in"
    src.mkdir()
    for name, text in texts.items():
        (src / name).write_text(text)
    u = Unspin(tmp_path / "u.db")
    u.add([str(src)])
    return u


@pytest.mark.parametrize(
    ("source", "copy", "reason"),
    [
        ("jewellery", "jewelry", "spelling"),
        ("neighbours", "neighbors", "spelling"),
        ("realized", "realised", "spelling"),
        ("said", "says", "function"),
        ("according to", "said", "function"),
        ("California Highway Patrol", "CHP", "name"),
        ("his", "Charles", "function"),
        ("colts", "Charles", "name"),
        ("two", "2", "number"),
        ("billion", "bn", "number"),
        ("on Monday", "today", "date"),
        ("world ' s", "world's", "format"),
        ("break - in", "breakin", "format"),
        ("who was not at", "stopped by the hall for", "reworded"),
        ("blood alcohol", "ba", "abbreviation"),
    ],
)
def test_an_editors_change_is_named(source: str, copy: str, reason: str) -> None:
    assert editorial_reason(source, copy) == reason


@pytest.mark.parametrize(
    ("source", "copy"),
    [
        ("storm", "tempest"),
        ("comic strip", "funny cartoon"),
        ("governor", "legislative head"),
        ("artificial intelligence", "counterfeit consciousness"),
        ("rock", "shake"),
    ],
)
def test_a_spinners_swap_has_no_editorial_reason(source: str, copy: str) -> None:
    assert editorial_reason(source, copy) is None


def test_heavily_spun_copy_is_found_with_the_original_as_source() -> None:
    orig, spun = article(ORIGINAL), article(SPUN_HEAVY)
    for a, b in ((orig, spun), (spun, orig)):
        rel = relate(a, b)
        assert rel.kind == "spun_copy"
        assert (rel.source_id, rel.copy_id) == (orig.id, spun.id)
        assert rel.direction == "wording"
    swaps = {(s.source.lower(), s.copy.lower()) for s in relate(orig, spun).substitutions}
    assert {("library", "archive"), ("engineers", "technicians"), ("hills", "slopes")} <= swaps


def test_house_style_edit_is_an_edited_copy_never_spun() -> None:
    rel = relate(article(ORIGINAL), article(HOUSE_STYLE))
    assert rel.kind == "edited_copy"
    assert rel.coverage > 0.9 and rel.reused > 0.9


@pytest.mark.parametrize("wire", [WIRE_A, WIRE_B, WIRE_C], ids=["added", "inserted", "trimmed"])
def test_wire_story_run_by_another_outlet_is_an_edited_copy(wire: str) -> None:
    rel = relate(article(ORIGINAL), article(wire))
    assert rel.kind in ("edited_copy", "duplicate")
    assert rel.kind != "spun_copy"


def test_rewrite_is_traced_with_its_sentence_alignment() -> None:
    orig, rewrite = article(ORIGINAL, 0), article(REWRITE, 30)
    rel = relate(rewrite, orig)
    assert rel.kind == "rewritten_copy"
    assert (rel.source_id, rel.copy_id) == (orig.id, rewrite.id)
    assert len(rel.sentences) >= 6
    assert rel.coverage >= 0.6  # share of the source's sentences reworded
    assert rel.facts_carried is not None and rel.facts_carried >= 0.8
    assert rel.order_kept is not None and rel.order_kept >= 0.8
    # the quote is matched to the quote
    quote = next(m for m in rel.sentences if "stay away" in REWRITE[m.copy_start : m.copy_end])
    assert "stay away" in ORIGINAL[quote.source_start : quote.source_end]


def test_rewrite_without_dates_takes_the_side_holding_more_facts_as_source() -> None:
    orig, rewrite = article(ORIGINAL), article(REWRITE.split("\n\n", 3)[-1] + "\n")
    rel = relate(rewrite, orig)
    if rel.kind == "rewritten_copy":
        assert (rel.source_id, rel.direction) == (orig.id, "facts")
    else:  # a two-paragraph excerpt is too short to call a rewrite: never the wrong way
        assert rel.kind not in ("duplicate", "edited_copy", "spun_copy")


def test_independent_reports_of_one_event_are_the_same_story() -> None:
    rel = relate(article(ORIGINAL), article(SAME_STORY))
    assert rel.kind == "same_story"


def test_unspin_copies_names_the_original_of_a_heavily_spun_pair(tmp_path: Path) -> None:
    u = _store_texts(tmp_path, {"spun.txt": SPUN_HEAVY, "original.txt": ORIGINAL})
    by_text = {a.text.strip()[:40]: a.id for a in u.articles(limit=10)}
    original_id = by_text[ORIGINAL.strip()[:40]]
    spun_id = by_text[SPUN_HEAVY.strip()[:40]]
    u.close()
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "u.db"), "copies", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [(r["source"], r["copy"], r["kind"]) for r in data["relations"]] == [
        (original_id, spun_id, "spun_copy")
    ]
    assert data["trees"][0]["article"] == original_id
    text = CliRunner().invoke(app, ["--db", str(tmp_path / "u.db"), "copies"]).output
    assert "spun copy" in text and "original" in text


def test_brief_inside_a_longer_article_is_found_through_the_anchor_index(tmp_path: Path) -> None:
    # A 3-paragraph brief of the wire story stored before a long article that carries
    # it among paragraphs of its own: the MinHash bands miss such pairs (their Jaccard
    # is low), the containment anchors do not.
    paras = ORIGINAL.strip().split("\n\n")
    brief = "\n\n".join(paras[:3]) + "\n"
    own = [
        f"Paragraph {i} of the long article is its own reporting about the valley "
        f"railway number {i}, the ferry timetable and the market square in spring."
        for i in range(40)
    ]
    long_article = "\n\n".join([*own[:20], *paras[:3], *own[20:]]) + "\n"
    u = _store_texts(tmp_path, {"a_brief.txt": brief, "b_long.txt": long_article})
    rels = u.copy_relations()
    assert len(rels) == 1 and rels[0].kind in ("edited_copy", "duplicate")
    assert rels[0].reused == 1.0 or rels[0].coverage == 1.0


def _credited(text: str, dateline: str) -> str:
    return f"{dateline} (AP) - " + text


def test_wire_story_run_by_three_outlets_is_three_siblings_of_the_agency(tmp_path: Path) -> None:
    # Two outlets add a paragraph each, one trims the story; each credits the AP.
    wire = {"a.txt": WIRE_A, "b.txt": WIRE_B, "c.txt": WIRE_C}
    u = _store_texts(tmp_path, {n: _credited(t, "PORT ALLEN") for n, t in wire.items()})
    rels = u.copy_relations()
    assert len(rels) == 3
    assert {r.kind for r in rels} == {"edited_copy"}
    assert {r.common_source for r in rels} == {"Associated Press"}
    ids = [a.id for a in u.articles()]
    comparison = u.compare(article_ids=ids)
    assert len(comparison.sources) == 1, "copies of one wire story are one source"
    (story,) = u.stories()
    assert u.story(story.id).independent_sources == 1
    out = CliRunner().invoke(app, ["--db", str(tmp_path / "u.db"), "story", story.id]).output
    assert "3 articles, 1 independent sources" in out
    from unspin.web.storyview import story_page

    assert story_page(u, story.id).independent_sources == 1
    # One node for the agency's story, the three outlets side by side beneath it.
    (tree,) = u.copies()
    assert tree.article_id is None and tree.common_source == "Associated Press"
    assert sorted(c.article_id or "" for c in tree.children) == sorted(ids)
    assert all(not c.children for c in tree.children) and tree.copies_count() == 3
    db = ["--db", str(tmp_path / "u.db")]
    out = CliRunner().invoke(app, [*db, "copies"]).output
    assert "common source Associated Press, not stored (run by 3 articles)" in out
    assert "Also copied" not in out, "siblings' relations are drawn by the common source"
    assert "3 copy relations: 3 copies in 1 provenance trees" in out
    tree_json = json.loads(CliRunner().invoke(app, [*db, "copies", "--json"]).output)["trees"]
    assert tree_json[0]["article"] is None
    assert tree_json[0]["common_source"] == "Associated Press"
    assert len(tree_json[0]["copies"]) == 3
    trace = json.loads(CliRunner().invoke(app, [*db, "trace", ids[0], "--json"]).output)
    assert trace["common_source"] == "Associated Press" and trace["original"] == ids[0]
    assert len(trace["siblings"]) == 2 and trace["chain"] == []
    out = CliRunner().invoke(app, [*db, "trace", ids[0]]).output
    assert "runs a common source not in the store (Associated Press)" in out
    assert "an original, as far as" not in out


def test_a_spin_of_one_wire_copy_hangs_under_that_copy() -> None:
    # Siblings of a common source keep their own copies beneath them.
    from unspin.provenance import copy_forest

    def rel(src: str, cpy: str, kind: str, common: str | None) -> Relation:
        return Relation(src, cpy, kind, 0.9, 0.9, 0.9, 0.1, "dates", common_source=common)

    forest = copy_forest(
        [
            rel("a", "b", "edited_copy", "Reuters"),
            rel("a", "c", "edited_copy", "not stored"),
            rel("b", "s", "spun_copy", None),
            rel("x", "y", "duplicate", None),
        ]
    )
    group, plain = forest
    assert group.common_source == "Reuters" and [c.article_id for c in group.children] == [
        "a",
        "b",
        "c",
    ]
    b = group.children[1]
    assert [(c.article_id, c.relation.kind if c.relation else None) for c in b.children] == [
        ("s", "spun_copy")
    ]
    assert group.size() == 4 and group.copies_count() == 4
    assert plain.article_id == "x" and plain.common_source is None and plain.size() == 2


def test_copies_extended_differently_share_a_source_that_is_not_stored() -> None:
    rel = relate(article(WIRE_A), article(WIRE_B))
    assert rel.kind == "edited_copy" and rel.common_source == "not stored"
    assert relate(article(ORIGINAL), article(WIRE_C)).common_source is None


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("PORT ALLEN (AP) - Heavy rain flooded...", "Associated Press"),
        ("LONDON (Reuters) - Shares fell...", "Reuters"),
        ("Shares fell on Monday.\n\n-- AFP", "AFP"),
        ("Berlin (dpa) - Die...", "dpa"),
        ("Acme Corp. today announced... (PRNewswire) Press release", "press release"),
        ("The river rose by nearly two metres, the council said.", None),
    ],
)
def test_credited_source(text: str, credit: str | None) -> None:
    assert credited_source(text) == credit


def test_pair_page_shows_a_rewrite_sentence_beside_sentence() -> None:
    from unspin.web.pairs import pair_rows

    orig, rewrite = article(ORIGINAL, 0), article(REWRITE, 30)
    rel = relate(orig, rewrite)
    rows = pair_rows(orig, rewrite, rel)
    assert len(rows) == len(rel.sentences)
    quote = next(r for r in rows if "stay away" in r.copy_[0].text)
    assert "stay away" in quote.source[0].text


_QUESTIONS = [
    "Why are you running for the council this year?",
    "What would you change first about the bus network?",
    "How would you pay for the new flood defences along the river?",
    "What do you make of the plan to close the central library on Sundays?",
    "Which of your opponents' proposals would you keep, and why?",
    "What is the one promise voters should hold you to?",
]


def _interview(name: str, answers: list[str]) -> str:
    intro = (
        f"Ahead of the Port Allen council election, Harbour News put the same questions "
        f"to every candidate. Here are the answers of {name}."
    )
    body = "\n\n".join(f"{q}\n\n{name}: {a}" for q, a in zip(_QUESTIONS, answers, strict=True))
    return intro + "\n\n" + body + "\n"


def test_interviews_sharing_a_questionnaire_are_not_copies() -> None:
    one = _interview(
        "Mira Santos",
        [
            "Because the harbour district has waited ten years for a plan.",
            "More evening buses to the hospital, paid from the parking fund.",
            "A levy on new waterfront flats, agreed with the regional office.",
            "I oppose it; the library is where our older residents meet.",
            "The cycle lanes on Mill Street, which cost little and save lives.",
            "That the bridge reopens before next winter.",
        ],
    )
    two = _interview(
        "Tom Okafor",
        [
            "I have run a bakery here for twenty years and know the streets.",
            "Cheaper monthly passes for students and shift workers.",
            "Through the national flood programme, not local taxes.",
            "It is a sensible saving if the reading rooms stay open.",
            "None of them, frankly; they are recycled ideas.",
            "No new parking charges in the town centre.",
        ],
    )
    rel = relate(article(one, 0), article(two, 5))
    assert rel.kind not in ("duplicate", "edited_copy", "spun_copy", "rewritten_copy")


def test_unspin_trace_shows_a_rewrite_sentence_by_sentence(tmp_path: Path) -> None:
    texts = {
        "original.txt": "Title: Floods in Port Allen\nPublished: 2024-03-05\n\n" + ORIGINAL,
        "rewrite.txt": "Title: Port Allen under water\nPublished: 2024-03-06\n\n" + REWRITE,
    }
    db = tmp_path / "u.db"
    with _store_texts(tmp_path, texts) as u:
        (rel,) = u.copy_relations()
    assert rel.kind == "rewritten_copy"
    out = CliRunner().invoke(app, ["--db", str(db), "trace", rel.copy_id]).output
    assert "rewritten copy" in out and "Sentence alignment" in out
    assert "names and numbers are in the source" in out


def test_independent_reports_of_the_bundled_fare_story_are_not_rewrites(tmp_path: Path) -> None:
    # examples/README.md: four independent reports of the Brennford fare increase, written
    # to share most facts; none may be taken for a rewrite (or any copy) of another.
    examples = Path(__file__).resolve().parents[1] / "examples"
    with Unspin(tmp_path / "u.db") as u:
        u.add([str(examples / "transit-fares"), str(examples / "feeds" / "wire.rss")])
        kinds = {r.kind for r in u.copy_relations()}
    assert kinds == set()


_STATEMENT = (
    '"The harbour has served this town for more than a century and it will serve it for '
    "another. We have asked the ministry for emergency funding, and we expect an answer by "
    "the end of the month. Until then the council will pay for the temporary repairs "
    'itself, because the boats cannot wait," '
)


def test_two_reports_quoting_one_statement_verbatim_are_not_copies() -> None:
    """The same quote carried by two independent reports is not copying."""
    a = article(
        "The mayor of Brennford vowed on Monday to keep the old harbour open after storms "
        "damaged its western pier. " + _STATEMENT + "she told reporters at the town hall. "
        "The pier was built in 1911 and handles about forty fishing boats. Engineers are "
        "due to inspect it next week, according to the council, which has not yet put a "
        "figure on the cost of the work."
    )
    b = article(
        "Brennford's mayor, Lorraine Abbott, said she would fight to save the harbour. "
        + _STATEMENT
        + "Abbott said in a statement. Fishermen gathered on the quay on Tuesday to hear "
        "what would happen to their moorings. Some said they had already moved their "
        "boats to Selcombe, a port twelve miles along the coast."
    )
    assert relate(a, b).kind == "same_story"


def test_a_copy_of_the_narrative_around_a_quote_is_still_a_copy() -> None:
    narrative = (
        "The mayor of Brennford vowed on Monday to keep the old harbour open after storms "
        "damaged its western pier, which was built in 1911 and handles about forty "
        "fishing boats. Engineers are due to inspect it next week, according to the "
        "council, which has not yet put a figure on the cost of the work. "
    )
    a = article(narrative + _STATEMENT + "she said.")
    b = article(narrative + _STATEMENT + "the mayor said, speaking at the town hall.")
    assert relate(a, b).kind in ("edited_copy", "duplicate")


def test_a_quote_left_open_in_a_one_paragraph_copy_does_not_hide_it() -> None:
    # A quote opened and never closed runs to the end of its paragraph; when the whole
    # text is one paragraph, nearly all of it reads as quoted. Two texts that each carry
    # (nearly) all of the other are still copies.
    text = (
        'Fishermen said: "We have nowhere else to go. The mayor of Brennford vowed on '
        "Monday to keep the old harbour open after storms damaged its western pier, which "
        "was built in 1911 and handles about forty fishing boats. Engineers are due to "
        "inspect it next week, according to the council, which has not yet put a figure "
        "on the cost of the work. The harbour master said the eastern pier was sound and "
        "would take the larger trawlers until the repairs were done, though the queue for "
        "the fuel berth would be long."
    )
    edited = (
        text.replace("on Monday", "on Monday evening")
        .replace("next week", "within days")
        .replace(", though the queue for the fuel berth would be long", "")
        + " The council meets again on Thursday."
    )
    assert relate(article(text), article(edited)).kind == "edited_copy"


_RELEASE = (
    "Harbourside Water today announced a 40 million pound programme to replace the lead "
    "pipes that still serve 12,000 homes in the old town. Work starts in May and will run "
    "for three years, street by street, with letters sent to each household two weeks "
    "ahead. Residents will keep their supply during the work except for one afternoon.\n\n"
    '"This is the largest investment in our network for a generation," said chief '
    'executive Dana Morrow. "Every family in the old town will drink from new pipes by '
    'the end of the programme."\n\n'
    "The programme is funded from the company's capital budget and will not raise bills."
)


def test_churn_counts_the_quotes_a_copy_carries_apart(tmp_path: Path) -> None:
    # A newsroom pastes the release's narrative and quote and adds a paragraph of its own.
    own = (
        "Councillors welcomed the plan at Tuesday's meeting but asked the company to "
        "publish the order in which streets will be dug up."
    )
    u = _store_texts(
        tmp_path,
        {
            "release.txt": "Published: 2026-03-02T09:00:00Z\n\n" + _RELEASE,
            "story.txt": "Published: 2026-03-02T15:00:00Z\n\n" + _RELEASE + "\n\n" + own,
        },
    )
    (rel,) = u.copy_relations()
    assert rel.kind in ("duplicate", "edited_copy") and rel.common_source is None
    churned = u.churn(rel)
    words = len(re.findall(r"\w+", _RELEASE + own))
    assert churned.copy_words == words
    release_words = len(re.findall(r"\w+", _RELEASE))
    quote_words = len(re.findall(r"\w+", " ".join(re.findall(r'"([^"]+)"', _RELEASE))))
    assert churned.taken == pytest.approx(release_words / words, abs=0.02)
    assert churned.taken_in_quotes == pytest.approx(quote_words / words, abs=0.02)
    assert churned.taken_unquoted == pytest.approx((release_words - quote_words) / words, abs=0.03)
    assert churned.source_used == pytest.approx(1.0, abs=0.02)
    copy_id = rel.copy_id
    trace = json.loads(
        CliRunner().invoke(app, ["--db", str(tmp_path / "u.db"), "trace", copy_id, "--json"]).output
    )
    assert trace["churn"]["taken"] == pytest.approx(churned.taken, abs=1e-4)
    out = CliRunner().invoke(app, ["--db", str(tmp_path / "u.db"), "trace", copy_id]).output
    assert "Taken from its source:" in " ".join(out.split())
    from unspin.web.pairs import pair_page

    page = pair_page(u, rel.copy_id, rel.source_id)
    assert page.churn.taken_in_quotes == pytest.approx(churned.taken_in_quotes)


def _at(text: str, url: str, day: int | None) -> Article:
    from datetime import UTC, datetime

    when = None if day is None else datetime(2026, 3, day, 9, tzinfo=UTC)
    return Article.create(text, url=url, published=when)


def test_an_outlets_own_shared_passage_is_not_a_copy() -> None:
    # Two dated articles of one outlet around a shared background passage, each with
    # text of its own: the outlet reuses its own text.
    one = _at(WIRE_A, "https://harbour.example/news/flood-1", 2)
    two = _at(WIRE_B, "https://harbour.example/news/flood-2", 4)
    assert relate(one, two).kind == "same_story"
    # The same texts at two outlets are copies of a source neither holds.
    other = _at(WIRE_B, "https://coast.example/flood", 4)
    rel = relate(one, other)
    assert rel.kind == "edited_copy" and rel.common_source == "not stored"
    # One outlet copying the whole of another of its texts is still a copy, and undated
    # texts of one host are not judged as one outlet's.
    assert relate(one, _at(WIRE_A + "\n\nUpdated.", "https://harbour.example/n3", 5)).is_copy
    undated = relate(
        _at(WIRE_A, "https://corpus.example/1", None), _at(WIRE_B, "https://corpus.example/2", None)
    )
    assert undated.kind == "edited_copy"


def test_two_texts_sharing_only_a_phrase_are_not_siblings() -> None:
    # Two paragraphs of one author on two panels of one mural, sharing 9-word phrases:
    # a turn of phrase, not a wire story both ran (aligned, they would pass for an
    # edited copy: most of the shorter one lines up with the longer).
    first = (
        "Panel 12 dates from the early period of the town hall. It was recovered from the "
        "rubble of the old granary beside the river gate. It shows a weaver at her loom "
        "and is badly faded, with the upper third lost to damp.\n\nPanel 14 is one of the "
        "pieces of the great harvest mural of the north wall. It was found set into the "
        "east face of the council chamber, where it was carefully placed at the same time "
        "as the chamber was rebuilt after the fire."
    )
    second = (
        "Panel 16 is another of the pieces of the great harvest mural. It was set into the "
        "east face of the council chamber in the same manner, and at the same time, as "
        "Panel 14."
    )
    one, two = (
        _at(first, "https://wiki.example/a", None),
        _at(second, "https://wiki.example/b", None),
    )
    assert relate(one, two).kind == "same_story"
    # With a long run in common the same two would be siblings of a common source.
    shared = "It was set into the east face of the council chamber where the masons fixed it"
    longer = relate(
        _at(first + " " + shared + ".", "https://wiki.example/a", None),
        _at(second + " " + shared + " again.", "https://wiki.example/b", None),
    )
    assert longer.common_source == "not stored"
