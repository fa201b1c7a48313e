"""Quotes with and without speakers, direct and indirect (unspin.claims.quotes).

Every sentence here is invented for the tests (no public-data text).
"""

from __future__ import annotations

import pytest

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
