"""Quotes with and without speakers, direct and indirect (unspin.claims.quotes)."""

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
            'According to the church\'s minister, "We have no idea what caused it".',
            ("We have no idea what caused it", "church's minister", True),
        ),
        (
            "\u201cThe facility is not licensed,\u201d deputy director Millicent Tidwell told The Post.",
            ("The facility is not licensed", "Millicent Tidwell", True),
        ),
        ('"It was a complete shock, " Hillgen said.', ("It was a complete shock", "Hillgen", True)),
    ],
)
def test_direct_quotes_with_speakers(text: str, expected: tuple[str, str | None, bool]) -> None:
    assert expected in _qs(text)


def test_a_quote_without_a_speaker_has_none() -> None:
    text = 'I was appalled to hear comments like, "Well, she put herself in the limelight, so she deserved it."'
    assert _qs(text) == [("Well, she put herself in the limelight, so she deserved it", None, True)]


@pytest.mark.parametrize(
    "text",
    ['The "American Pie" star left.', 'The TVs get "basic cable."', 'He was the "bagman" then.'],
)
def test_titles_and_scare_quotes_are_not_quotes(text: str) -> None:
    assert [q for q in _qs(text) if q[2]] == []


def test_a_continued_quote_keeps_its_speaker() -> None:
    text = (
        "Fulton County District Attorney Paul Howard spoke.\n"
        '"The community has spoken," Howard said.\n'
        '"Even though we are puzzled, we must accept the conclusion."'
    )
    assert [s for _, s, _ in _qs(text)] == ["Paul Howard", "Paul Howard"]


def test_a_surname_resolves_to_the_full_name() -> None:
    text = (
        "Navy spokesman Commander Nirad Sinha described the raid.\n"
        "The pirates are from Somalia and Yemen, two countries surrounding the Gulf of Aden, Sinha said."
    )
    (q,) = [q for q in find_quotes(text) if q.content.startswith("The pirates")]
    assert q.speaker == "Nirad Sinha" and not q.direct


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        (
            "The Indian navy said it arrested 23 pirates who threatened a merchant vessel.",
            "it arrested 23 pirates who threatened a merchant vessel",
            "Indian navy",
        ),
        (
            "A hungry man was caught in Houston on Monday, said Alfredo Perez, a spokesman for the Marshals Service.",
            "A hungry man was caught in Houston on Monday",
            "Alfredo Perez",
        ),
        (
            "Police said they made 86 arrests over the course of the protests.",
            "they made 86 arrests over the course of the protests",
            "Police",
        ),
        (
            "His body was discovered Tuesday by a maid, Coroner Gary Hargrove said.",
            "His body was discovered Tuesday by a maid",
            "Gary Hargrove",
        ),
        (
            "The navy defended its actions, saying it had fired in self-defense.",
            "it had fired in self-defense",
            "navy",
        ),
        (
            "The pirates were Somali, according to the Indian navy.",
            "The pirates were Somali",
            "Indian navy",
        ),
    ],
)
def test_indirect_quotes(text: str, content: str, speaker: str) -> None:
    assert (content, speaker, False) in _qs(text)


def test_a_pronoun_speaker_is_the_last_subject_not_the_last_name() -> None:
    text = (
        "Mr. LaRue served four months in prison.\n"
        "A few researchers have suggested that Mr. LaRue could have been Deep Throat.\n"
        "He discounted those rumors, saying the source was probably several people."
    )
    book_text = "Fred LaRue, a Nixon aide, died.\n" + text
    (q,) = [q for q in find_quotes(book_text) if q.content.startswith("the source")]
    assert q.speaker == "Fred LaRue"


def test_offsets_point_at_the_quoted_words() -> None:
    text = 'Opening words. "We did not come here to sign a treaty," Varga told reporters.'
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == q.content == "We did not come here to sign a treaty"
    assert q.speaker_start is not None and text[q.speaker_start : q.speaker_end] == "Varga"
