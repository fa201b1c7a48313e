"""Quotes with and without speakers, direct and indirect (unspin.claims.quotes).

Every sentence here is invented for the tests (no public-data text).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.claims.quotes import find_quotes


def _qs(text: str) -> list[tuple[str, str | None, bool]]:
    return [(q.content, q.speaker, q.direct) for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We will not back down," said Mara Lind.', ("We will not back down", "Mara Lind", True)),
        ('"We will not back down," Mara Lind said.', ("We will not back down", "Mara Lind", True)),
        (
            'Mara Lind told reporters: "We will not back down."',
            ("We will not back down", "Mara Lind", True),
        ),
        (
            'According to the harbour master, "Nobody saw the crane move".',
            ("Nobody saw the crane move", "harbour master", True),
        ),
        (
            "\u201cThe ferry is not certified,\u201d deputy inspector Oda Frenkel told The Courier.",
            ("The ferry is not certified", "Oda Frenkel", True),
        ),
        (
            '"It was a complete surprise, " Lindqvist said.',
            ("It was a complete surprise", "Lindqvist", True),
        ),
    ],
)
def test_direct_quotes_with_speakers(text: str, expected: tuple[str, str | None, bool]) -> None:
    assert expected in _qs(text)


def test_a_quote_without_a_speaker_has_none() -> None:
    text = 'Protesters carried signs with "Fares up, service down, patience gone."'
    assert _qs(text) == [("Fares up, service down, patience gone", None, True)]


@pytest.mark.parametrize(
    "text",
    [
        'The "Harbour Lights" singer left.',
        'The flats get "free parking."',
        'He was the "fixer" then.',
    ],
)
def test_titles_and_scare_quotes_are_not_quotes(text: str) -> None:
    assert [q for q in _qs(text) if q[2]] == []


def test_a_continued_quote_keeps_its_speaker() -> None:
    text = (
        "Brennford County Transit Director Mara Oyelaran spoke.\n"
        '"The board has decided," Oyelaran said.\n'
        '"Even though riders are angry, we must balance the budget."'
    )
    assert [s for _, s, _ in _qs(text)] == ["Mara Oyelaran", "Mara Oyelaran"]


def test_a_surname_resolves_to_the_full_name() -> None:
    text = (
        "Coast guard spokesman Captain Tobias Renwick described the rescue.\n"
        "The crew were from Valdoria and Kessaria, two countries bordering the strait, Renwick said."
    )
    (q,) = [q for q in find_quotes(text) if q.content.startswith("The crew")]
    assert q.speaker == "Tobias Renwick" and not q.direct


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "The Valdorian coast guard said it towed 14 fishing boats back to port.",
            "it towed 14 fishing boats back to port",
            "Valdorian coast guard",
        ),
        (
            "The missing hiker was found near the ridge on Monday, said Ana Duarte, a spokeswoman for the park service.",
            "The missing hiker was found near the ridge on Monday",
            "Ana Duarte",
        ),
        (
            "Stewards said they turned away 300 fans at the gates of the stadium.",
            "they turned away 300 fans at the gates of the stadium",
            "Stewards",
        ),
        (
            "The leak was found Tuesday by a night guard, Fire Chief Anselm Brody said.",
            "The leak was found Tuesday by a night guard",
            "Anselm Brody",
        ),
        (
            "The council defended its decision, saying it had followed the law.",
            "it had followed the law",
            "council",
        ),
        (
            "The ferry was overloaded, according to the port authority.",
            "The ferry was overloaded",
            "port authority",
        ),
    ],
)
def test_indirect_quotes(text: str, content: str, speaker: str) -> None:
    assert (content, speaker, False) in _qs(text)


def test_a_pronoun_speaker_is_the_last_subject_not_the_last_name() -> None:
    text = (
        "Erik Halvorsen, a former harbour master, retired.\n"
        "Mr. Halvorsen ran the port for a decade.\n"
        "A few commentators have suggested that Mr. Halvorsen knew Ingrid Vasse.\n"
        "He dismissed those claims, saying the two had never met in person."
    )
    (q,) = [q for q in find_quotes(text) if q.content.startswith("the two")]
    assert q.speaker == "Erik Halvorsen"


def test_offsets_point_at_the_quoted_words() -> None:
    text = 'Opening words. "We did not come here to sign a treaty," Varga told reporters.'
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == q.content == "We did not come here to sign a treaty"
    assert q.speaker_start is not None and text[q.speaker_start : q.speaker_end] == "Varga"


# --- the scans of the line before a quote, kept to where their matches can be ---

_LINE_PIECES = [
    "said", "says", "say", "is saying", "are reporting", "is", "are", "saying", "reporting",
    "unsaid", "essays", "this saying", "told", "wrote", "reads", "read", "according to",
    "According to", "Mara Lind", "the minister", ",", ".", "'", "-", "_", "x", "\u00e9",
    "that", "he", " ", "  ", "2013", "a" * 90, "word " * 60,
]  # fmt: skip


def test_no_reporting_verb_holds_the_start_of_another() -> None:
    """What _last_reporting_verb relies on: one-word verbs are letters only, and the
    inner word of a two-word verb is no verb of its own."""
    from unspin.claims.quotes import REPORTING_VERBS

    for verb in REPORTING_VERBS:
        words = verb.split()
        assert all(w.isalpha() for w in words)
        assert not any(" ".join(words[k:]) in REPORTING_VERBS for k in range(1, len(words)))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_LINE_PIECES), max_size=40), st.sampled_from([" ", "", "\n"]))
def test_the_end_first_scans_find_what_whole_scans_find(pieces: list[str], glue: str) -> None:
    """The last reporting verb of a line, and "saying" near its end, found from the end
    as the scans of the whole line find them."""
    from unspin.claims import quotes

    line = glue.join(pieces)
    whole = list(quotes._REPORTING_VERB.finditer(line))
    last = quotes._last_reporting_verb(line)
    assert (last.span() if last else None) == (whole[-1].span() if whole else None)
    rx = quotes._SAYING_AT_END
    near_end = rx.search(line, max(0, len(line) - quotes._SAYING_AT_END_REACH))
    assert (near_end.span() if near_end else None) == (m.span() if (m := rx.search(line)) else None)


@pytest.mark.parametrize("tail", [0, 1, 70, 79, 80, 81, 200])
def test_saying_is_looked_for_as_far_back_as_its_match_can_begin(tail: int) -> None:
    from unspin.claims import quotes

    rx = quotes._SAYING_AT_END
    for line in (f"He went on saying {'x' * tail}", f"saying {'x' * tail}\n"):
        near_end = rx.search(line, max(0, len(line) - quotes._SAYING_AT_END_REACH))
        assert bool(near_end) == bool(rx.search(line)) == (tail <= 79)
