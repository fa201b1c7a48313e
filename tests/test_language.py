"""Language identification by stop-word profiles (unit + property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from unspin.language import _PROFILES, _WORD, MIN_COVERAGE, guess_language

_PROFILE_WORDS = sorted({w for profile in _PROFILES.values() for w in profile})


def _per_token(text: str) -> str | None:
    """The definition: the profile holding the largest share of the tokens (first on a
    tie), each token tested against each profile."""
    max_words = 2000  # guess_language's default
    tokens = [w.lower() for w in _WORD.findall(text[: max_words * 8])][:max_words]
    if len(tokens) < 5:
        return None
    best, best_cov = None, 0.0
    for lang, profile in _PROFILES.items():
        cov = sum(1 for t in tokens if t in profile) / len(tokens)
        if cov > best_cov:
            best, best_cov = lang, cov
    return best if best_cov >= MIN_COVERAGE else None


def test_news_sentences_in_each_language() -> None:
    assert (
        guess_language("The council said on Monday that the new bridge would open in May.") == "en"
    )
    assert (
        guess_language(
            "Der Präsident sagte, dass die Regierung das Gesetz nicht ändern wird und die "
            "Wahlen im Mai stattfinden."
        )
        == "de"
    )
    assert (
        guess_language(
            "Le président a déclaré que le gouvernement ne va pas changer la loi et que les "
            "élections auront lieu dans le pays en mai."
        )
        == "fr"
    )
    assert (
        guess_language(
            "El presidente dijo que el gobierno no va a cambiar la ley y que las elecciones "
            "serán en mayo en el país."
        )
        == "es"
    )


def test_too_short_or_unknown_text_is_not_judged() -> None:
    assert guess_language("Hello world") is None
    assert guess_language("Zxqv brrt klonk plimf quazz ytterbium") is None


@given(
    st.lists(
        st.one_of(st.sampled_from(_PROFILE_WORDS), st.text(alphabet="xyzqkw", min_size=1)),
        max_size=60,
    ),
    st.sampled_from([" ", ", ", ". ", " 42 "]),
)
def test_counts_of_distinct_tokens_give_the_per_token_shares(words: list[str], sep: str) -> None:
    text = sep.join(w.upper() if i % 5 == 0 else w for i, w in enumerate(words))
    assert guess_language(text) == _per_token(text)
