"""Names and numbers of a text (provenance.names): what copies carry over."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from unspin.provenance.names import name_overlap, names

# The plain definition: walk the tokens, a capitalised word counts unless it starts a
# sentence (first token, or after . ! ?), a number always.
_REFERENCE = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['\-]\w+)*|[.!?]")


def _reference_names(text: str) -> frozenset[str]:
    out: set[str] = set()
    start = True
    for tok in _REFERENCE.findall(text):
        if tok in ".!?":
            start = True
            continue
        if tok[:1].isdigit() or (tok[:1].isupper() and not start):
            out.add(tok.lower())
        start = False
    return frozenset(out)


def test_names_of_a_news_sentence() -> None:
    text = (
        "Officials in Jakarta said 1,200 homes were lost. Rescue teams from U.S. Army units came."
    )
    # The full stops of "U.S." end a sentence for this rule: "Army" reads as its first word.
    assert names(text) == {"jakarta", "1,200", "u"}


def test_a_word_that_starts_a_sentence_is_no_name() -> None:
    assert names("Rescue teams came. Officials left!") == frozenset()
    assert names("Version 3.5 shipped, said Ana. Ana agreed.") == {"3.5", "ana"}


@given(st.text(alphabet="aZÉé9_.,:'-!? 中1x\n", max_size=60))
@settings(max_examples=400, deadline=None)
def test_names_follow_the_plain_definition(text: str) -> None:
    assert names(text) == _reference_names(text)


def test_name_overlap_is_a_jaccard_share() -> None:
    a = "Talks between Maria Lopez and Chen Wei lasted 3 hours."
    b = "Maria Lopez met Chen Wei in Lima."
    # "Maria" opens b's sentence, so b's names are lopez, chen, wei and lima.
    assert names(b) == {"lopez", "chen", "wei", "lima"}
    assert name_overlap(a, b) == 3 / 6
    assert name_overlap("no names here.", "none here either.") == 0.0
