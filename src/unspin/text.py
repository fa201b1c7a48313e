"""Text primitives shared by every stage: normalisation, ids, tokens, sentences.

Everything here is pure and deterministic, so ids and fingerprints agree across runs,
machines and the Spark job.

Example:
    >>> normalize("  “Hello”  —\\u00a0world ")
    '"Hello" - world'
    >>> [t.text for t in tokenize("It's 3.5% of U.S. GDP.")]
    ["It's", '3.5', '%', 'of', 'U.S', '.', 'GDP', '.']
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from itertools import accumulate

__all__ = [
    "quoted_spans",
    "FUNCTION_WORDS",
    "Token",
    "WordSwaps",
    "article_id",
    "content_words",
    "is_function_word",
    "normalize",
    "normalize_paragraphs",
    "paragraphs_id",
    "sentence_spans",
    "sentences",
    "tokenize",
    "word_swaps",
    "words",
]

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u200b": "",
        "\ufeff": "",
        "\u00ad": "",
    }
)
_SPACES = re.compile(r"[ \t\f\v]+")
# C0/C1 control characters other than tab and newline (format characters such as
# zero-width spaces are mapped away by _QUOTES above).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufff9-\ufffb]")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalize(text: str) -> str:
    """Normalise one line or paragraph: NFKC, plain quotes and dashes, single spaces.

    Idempotent: ``normalize(normalize(x)) == normalize(x)``.
    """
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text).translate(_QUOTES))
    return _SPACES.sub(" ", text.replace("\n", " ").replace("\t", " ")).strip()


def normalize_paragraphs(text: str) -> list[str]:
    """Split ``text`` into normalised, non-empty paragraphs.

    Paragraphs are separated by blank lines; where a text has no blank line at all,
    every line break separates paragraphs (common in extracted HTML and plain text).
    """
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = _BLANK_LINES.split(text) if _BLANK_LINES.search(text) else text.split("\n")
    return [p for p in (normalize(b) for b in blocks) if p]


def article_id(text: str) -> str:
    """Stable id of an article: the first 20 hex digits of SHA-256 of its normalised text.

    Case, whitespace, quote style and paragraph breaks do not change the id; any change
    of words does.
    """
    return paragraphs_id(normalize_paragraphs(text))


def paragraphs_id(paragraphs: list[str] | tuple[str, ...]) -> str:
    """:func:`article_id` of text already split by :func:`normalize_paragraphs`."""
    canonical = " ".join(paragraphs).casefold()
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True, slots=True)
class Token:
    """A token and its character span ``[start, end)`` in the text it came from."""

    text: str
    start: int
    end: int

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_word(self) -> bool:
        return self.text[:1].isalnum()


# Words: letters/digits with inner apostrophes, hyphens, dots or commas between digits
# ("3.5", "1,000"), dotted abbreviations ("U.S"). Anything else that is not space is one
# punctuation token. Possessive quantifiers (``++``, ``*+``): giving back a letter or a
# digit can never let a branch go on, so they change no match and only spare the regex
# engine its backtracking (each word was tried letter by letter as an abbreviation
# first): the aligner's tokenising ran 190 -> 160 us a text (bench/provenance_speed.py
# texts). tests/test_text.py holds the matches equal to the backtracking pattern's.
_TOKEN = re.compile(
    r"\d++(?:[.,:]\d+)*+"  # numbers: 3.5  1,000  10:30
    r"|[^\W\d_]++(?:\.[^\W\d_])++(?=\.)?"  # abbreviations: U.S  e.g
    r"|\w++(?:['\-]\w++)*+"  # words: it's  well-known
    r"|[^\w\s]",  # punctuation
    re.UNICODE,
)


# The word alternatives of _TOKEN alone: the same word tokens (a punctuation token is one
# character that starts no word, so skipping it changes no later match), as one group, so
# that ``split`` returns the text between words and the words in turn.
_WORD_TOKEN_SPLIT = re.compile(f"({_TOKEN.pattern.rsplit('|', 1)[0]})", re.UNICODE)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word and punctuation tokens with character offsets."""
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def word_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """The word tokens of ``text`` as :func:`tokenize` finds them (``is_word``), lower-cased,
    with their start and end offsets: three parallel lists, built without a
    :class:`Token` per word (the aligner's hot path).

    One ``split`` on the word pattern gives the gaps and the words in turn; the running
    sum of their lengths gives every offset (a loop over the matches cost 20 % more).
    """
    parts = _WORD_TOKEN_SPLIT.split(text)
    offsets = list(accumulate(map(len, parts)))
    found = parts[1::2]
    starts, ends = offsets[0:-1:2], offsets[1::2]
    if "_" in text:  # a token led by "_" is no word (every other \w is alphanumeric)
        keep = [k for k, w in enumerate(found) if w[0] != "_"]
        found = [found[k] for k in keep]
        starts = [starts[k] for k in keep]
        ends = [ends[k] for k in keep]
    return list(map(str.lower, found)), starts, ends


def words(text: str) -> list[str]:
    """The lower-cased word tokens of ``text`` (punctuation dropped)."""
    return [t.text.lower() for t in tokenize(text) if t.is_word]


# Closed-class words that article spinners leave alone (DSpin, NDSS 2014): articles,
# pronouns, prepositions, conjunctions, auxiliaries, determiners, common adverbs.
FUNCTION_WORDS: frozenset[str] = frozenset(
    [
        "a",
        "about",
        "above",
        "across",
        "after",
        "against",
        "all",
        "along",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "another",
        "any",
        "anybody",
        "anyone",
        "anything",
        "are",
        "around",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "behind",
        "being",
        "below",
        "beneath",
        "beside",
        "besides",
        "between",
        "beyond",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "done",
        "down",
        "during",
        "each",
        "either",
        "else",
        "enough",
        "even",
        "ever",
        "every",
        "everybody",
        "everyone",
        "everything",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "inside",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "least",
        "less",
        "like",
        "many",
        "may",
        "me",
        "might",
        "mine",
        "more",
        "most",
        "much",
        "must",
        "my",
        "myself",
        "neither",
        "no",
        "nobody",
        "none",
        "nor",
        "not",
        "nothing",
        "now",
        "of",
        "off",
        "on",
        "once",
        "one",
        "only",
        "onto",
        "or",
        "other",
        "others",
        "otherwise",
        "our",
        "ours",
        "ourselves",
        "out",
        "outside",
        "over",
        "own",
        "per",
        "rather",
        "same",
        "shall",
        "she",
        "should",
        "since",
        "so",
        "some",
        "somebody",
        "someone",
        "something",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "therefore",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "throughout",
        "thus",
        "till",
        "to",
        "too",
        "toward",
        "towards",
        "under",
        "underneath",
        "unless",
        "until",
        "up",
        "upon",
        "us",
        "very",
        "via",
        "was",
        "we",
        "were",
        "what",
        "whatever",
        "when",
        "whenever",
        "where",
        "whereas",
        "wherever",
        "whether",
        "which",
        "while",
        "who",
        "whoever",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "'s",
        "n't",
    ]
)


def is_function_word(word: str) -> bool:
    """True for closed-class words (see :data:`FUNCTION_WORDS`), case-insensitive."""
    return word.lower() in FUNCTION_WORDS


def content_words(text: str) -> list[str]:
    """Lower-cased word tokens that are not function words or numbers."""
    return [w for w in words(text) if w not in FUNCTION_WORDS and not w[:1].isdigit()]


_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "st",
        "jr",
        "sr",
        "inc",
        "ltd",
        "co",
        "corp",
        "vs",
        "etc",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of the sentences of ``text``.

    A rule-based splitter: a sentence ends at ``.``, ``!`` or ``?`` (with closing quotes
    or brackets) followed by space and an upper-case letter, digit or quote, except
    after common abbreviations and single initials. Paragraph breaks always end one.
    """
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        base = para.start()
        for m in _SENTENCE_END.finditer(chunk):
            end = base + m.end()
            before = chunk[: m.start()].rsplit(None, 1)
            last_word = before[-1].lower().strip("\"'(") if before else ""
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
            rest = text[end:].lstrip(" ")
            if rest and not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "\"'(\n"):
                continue
            if text[start:end].strip():
                spans.append(_trim(text, start, end))
            start = end
        end = para.end()
        if text[start:end].strip():
            spans.append(_trim(text, start, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]


# A quotation runs from an opening straight double quote to the next one within its
# paragraph (normalised text has only straight quotes). An unclosed quote runs to the end
# of its paragraph when the next paragraph opens with a quote mark (news prints a quote
# that continues into the next paragraph that way); otherwise it ends with its sentence,
# as a stray mark (a lost closing quote, an extraction slip) would else make the rest of
# a one-paragraph text a quotation.
_QUOTE_PARAGRAPH = re.compile(r"[^\n]+")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``[start, end)`` of the words inside double quotation marks."""
    spans: list[tuple[int, int]] = []
    paragraphs = list(_QUOTE_PARAGRAPH.finditer(text))
    sentence_ends: list[int] | None = None
    for n, para in enumerate(paragraphs):
        start = None
        for k in range(para.start(), para.end()):
            if text[k] != '"':
                continue
            if start is None:
                start = k + 1
            else:
                spans.append((start, k))
                start = None
        if start is None or start >= para.end():
            continue
        end = para.end()
        following = paragraphs[n + 1].group().lstrip() if n + 1 < len(paragraphs) else ""
        if not following.startswith('"'):
            if sentence_ends is None:
                sentence_ends = [e for _, e in sentence_spans(text)]
            at = bisect.bisect_right(sentence_ends, start)
            if at < len(sentence_ends):
                end = min(end, sentence_ends[at])
        spans.append((start, end))
    return spans


@dataclass(frozen=True, slots=True)
class WordSwaps:
    """How one word sequence is another with words swapped (:func:`word_swaps`).

    Attributes:
        stretches: each replaced stretch as ``(i1, i2, j1, j2)``: words ``a[i1:i2]``
            became ``b[j1:j2]``, in order.
        kept: how many words are unchanged, in order.
    """

    stretches: tuple[tuple[int, int, int, int], ...]
    kept: int


def word_swaps(a: list[str], b: list[str]) -> WordSwaps | None:
    """``b`` read as ``a`` with stretches of words swapped, or None when words were cut
    or added (then ``b`` is not ``a`` reworded word for word, but shortened or extended).

    Compare lower-cased words. The one reading of "a sentence, a quote, differs only by
    swaps" that spin (a story's other sources as evidence) and claims (an altered quote)
    share; each adds its own bar on what a swap may be.

    Example:
        >>> word_swaps(["send", "humanitarian", "aid", "now"], ["send", "compassionate", "help", "now"])
        WordSwaps(stretches=((1, 3, 1, 3),), kept=2)
    """
    from unspin.seqmatch import SequenceMatcher

    stretches: list[tuple[int, int, int, int]] = []
    kept = 0
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            kept += i2 - i1
        elif op == "replace":
            stretches.append((i1, i2, j1, j2))
        else:
            return None
    return WordSwaps(tuple(stretches), kept)
