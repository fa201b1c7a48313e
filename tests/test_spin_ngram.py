"""The trigram model that ranks de-spinning candidates in context (unspin.spin.ngram)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from unspin.lexicon import load_lexicon
from unspin.spin import ngram
from unspin.spin.restore import Restorer, Weights


def test_the_shipped_model_is_installed_and_reads_english() -> None:
    model = ngram.load_trigram_model()
    assert model is not None, "pocketsphinx (a dependency) ships the model"
    assert model.path.name == "en-us.lm.bin"
    # A probability, in nats: below 0, and higher for the established phrase.
    assert model.logp("minister", "prime") < 0
    assert model.logp("minister", "prime") > model.logp("pastor", "prime")
    assert model.logp("aid", "humanitarian") > model.logp("help", "compassionate")


def test_fit_is_the_gain_of_the_context_over_the_word_alone() -> None:
    model = ngram.load_trigram_model()
    assert model is not None
    assert model.fit("minister", None, None) == 0.0  # no context, no evidence
    assert model.fit("minister", "prime", None) == pytest.approx(
        model.logp("minister", "prime") - model.logp("minister")
    )
    assert model.fit("span", "attention", None) > 0 > model.fit("range", "attention", None)
    # Two words of context: "signal to noise" against "signal to commotion".
    assert model.fit("noise", "to", "signal") > model.fit("commotion", "to", "signal")
    # Many candidates at once: the same figures.
    words = ["noise", "commotion", "din"]
    assert model.fits(words, "to", "signal") == [model.fit(w, "to", "signal") for w in words]
    assert model.fits(words, None, None) == [0.0, 0.0, 0.0]


def test_the_model_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    ngram.load_trigram_model.cache_clear()
    monkeypatch.setenv(ngram.DISABLE_ENV, "1")
    try:
        assert ngram.load_trigram_model() is None
        restorer = Restorer(load_lexicon(learned=False))
        assert restorer.trigram is None
        assert restorer.restore_phrase("attention range")  # restores without it
    finally:
        monkeypatch.delenv(ngram.DISABLE_ENV)
        ngram.load_trigram_model.cache_clear()
    assert ngram.load_trigram_model() is not None


def test_context_ranks_the_established_phrase_first() -> None:
    """Frequencies alone prefer "interest rate" for "attention range"; the words around
    the candidate make "attention span" the first answer."""
    lex = load_lexicon(learned=False)
    plain = Restorer(lex, replace(Weights(), context=0.0))
    in_context = Restorer(lex)
    assert plain.restore_phrase("attention range")[0] != "attention span"
    assert in_context.restore_phrase("attention range")[0] == "attention span"
    assert in_context.restore_phrase("prime pastor")[0] == "prime minister"
