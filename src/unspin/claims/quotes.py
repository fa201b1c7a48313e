"""Quotes and who said them: direct ("...," said X) and indirect (X said that ...).

Direct quotes are the words between quotation marks (straight or curly, paired within a
paragraph; a paragraph that opens a quote without closing it runs to its end, the way
multi-paragraph quotes are printed). Fewer than :data:`MIN_QUOTE_WORDS` words, or words
that are all capitalised, are scare quotes or titles ("Harbour Lights"), not quotes.

The speaker is read, in order of preference, from

1. after the quote: ``"...," said X`` / ``"...," X said`` / ``"...," X told Y``;
2. before it: ``X said: "..."`` / ``X told reporters "..."`` / ``according to X, "..."``;
3. the quote just before, when this one continues it (a new paragraph of the same speech).

Indirect quotes are whole clauses reported by a verb of saying: ``X said (that) ...``,
``..., X said.``, ``..., said X, a spokesman for Y.``, ``according to X, ...`` and
``..., saying ...``. Surnames and pronouns resolve to the full name met earlier.

Example:
    >>> [(q.content, q.speaker) for q in find_quotes('"We will not back down," said Mara Lind.')]
    [('We will not back down', 'Mara Lind')]
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from unspin.claims.actors import NameBook, names_in, noun_phrase_before, speaker_name
from unspin.text import FUNCTION_WORDS

__all__ = ["MIN_QUOTE_WORDS", "REPORTING_VERBS", "Quote", "find_quotes"]

# Quotes shorter than this are scare quotes or titles. Set on the ECB+ dev clusters: at 2,
# one-word nicknames and two-word scare quotes came in as quotes.
MIN_QUOTE_WORDS = 3

REPORTING_VERBS: tuple[str, ...] = (
    "said", "says", "say", "told", "tells", "added", "adds", "stated", "announced",
    "announces", "confirmed", "confirms", "reported", "explained", "noted",
    "insisted", "claimed", "argued", "argues", "warned", "warns", "believes",
    "acknowledged", "admitted", "wrote", "testified", "declared", "disclosed",
    "revealed", "recalled", "estimated", "is saying", "are saying", "are reporting",
    "is reporting", "complained", "maintained", "stressed", "emphasised", "emphasized", "described", "reads", "read",
)  # fmt: skip
_VERB = "|".join(re.escape(v) for v in sorted(REPORTING_VERBS, key=len, reverse=True))
_QUOTE_MAP = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"', "\u2033": '"'}
)
_SPEAKER_AFTER_VERB = re.compile(
    rf"^\s*[,.]?\s*(?P<verb>{_VERB})\s+(?P<spk>[^,.;:!?\"\n]+(?:\.\s?[A-Z][^,.;:!?\"\n]*)?)"
)
_SPEAKER_BEFORE_VERB = re.compile(rf"^\s*,?\s*(?P<spk>[^,;:!?\"\n]{{1,80}}?)\s+(?P<verb>{_VERB})\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to (?P<spk>[^,.;:\"\n]+(?:\.\s?[A-Z][^,.;:\"\n]*)?)")
_SAYING = re.compile(
    r",\s+(?:saying|adding|insisting|arguing|claiming|telling [^,.]{1,30}?)\s+(?:that\s+)?"
)
# A sentence that opens with a name (after an optional title) makes that person the
# referent of a following "he"/"she".
_SUBJECT = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Prof)\.? )?([A-Z][a-z]+(?: [A-Z][a-z]+)*)(?:'s)? [a-z]"
)
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "After",
        "Before",
        "When",
        "While",
        "But",
        "And",
        "As",
        "If",
        "It",
        "He",
        "She",
        "They",
        "We",
        "I",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Here",
        "His",
        "Her",
        "Their",
        "Its",
        "Our",
        "Since",
        "Until",
        "During",
        "Police",
        "Officials",
        "Authorities",
        "According",
        "Meanwhile",
        "However",
        "Still",
        "Yet",
        "Now",
        "Then",
        "Later",
        "Earlier",
        "Last",
        "Next",
        "Both",
        "Some",
        "Many",
        "Most",
    ]
)
# Degrees and suffixes set off by commas ("J. Ana Duarte, MD, said") are blanked (same
# length, offsets kept) so the name before them is read as the speaker.
_DEGREES = re.compile(r",\s(?:MD|PhD|M\.D\.|Ph\.D\.|Jr\.|Sr\.|Esq\.)(?:,\s(?:MD|PhD))?(?=,)")
_TAIL_REST = r"\s+(?:(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:\s+\w+)?|yesterday|today|last night|(?:after|at|in|on|during|before|following|to|in a)\s[^,;]{1,60}?)"
# The patterns the quote finders try on every sentence, compiled once (written inline,
# each call formatted the long verb alternation again before the regex cache found it).
_REPORTING_VERB = re.compile(rf"\b(?P<verb>{_VERB})\b")
# "saying" near the end of the text before a quote: a match begins at most this many
# characters before the end ("saying", 80 others and a final newline), so the search
# starts there.
_SAYING_AT_END = re.compile(r"\bsaying\b[^\"]{0,80}$")
_SAYING_AT_END_REACH = len("saying") + 80 + 1


def _last_reporting_verb(text: str) -> re.Match[str] | None:
    """The last match of ``_REPORTING_VERB.finditer(text)``, looked for in the text's
    last 256 characters first, then in four times as many, and so on. Exact: no match
    holds the start of another (a verb of two words ends in "saying" or "reporting",
    neither a verb of its own; tests/test_claims_quotes.py), so the matches from any
    position on are those of the whole scan that start there."""
    width = 256
    while True:
        start = max(0, len(text) - width)
        last = deque(_REPORTING_VERB.finditer(text, start), maxlen=1)
        if last or start == 0:
            return last[0] if last else None
        width *= 4


_SAID_TAIL = re.compile(
    rf",\s+(?:(?P<verb1>{_VERB})\s+(?P<spk1>[^,;!?\n]+?)|(?P<spk2>[^,;!?\n]{{1,80}}?)\s+(?P<verb2>{_VERB})(?P<rest>{_TAIL_REST})?)(?:,[^;!?\n]*)?\s*\.?\s*$"
)
_SAID_HEAD = re.compile(
    rf"\b(?P<verb>{_VERB})\b(?:\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today))?(?:\s+(?:him|her|them|us|reporters|journalists|the [A-Z][\w ]{{0,30}}?|[A-Z][\w]+(?: [A-Z]\w+)*))?\s+(?:that\s+)?(?=[A-Za-z])"
)
_QUOTE_MARK = re.compile('"')
_TIME_WORDS = re.compile(
    r"\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|last night|in a statement|in an interview|on Twitter|at a news conference)\b.*$"
)


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote and its speaker.

    Attributes:
        start, end: span of the quoted or reported words.
        content: those words.
        speaker: the speaker's name as resolved (``Tobias Renwick``), or ``None``.
        speaker_start, speaker_end: span of the speaker mention, where there is one.
        verb: the reporting verb (``said``, ``according to``), or ``None``.
        direct: ``True`` for words in quotation marks.
    """

    start: int
    end: int
    content: str
    speaker: str | None
    speaker_start: int | None
    speaker_end: int | None
    verb: str | None
    direct: bool


def _clean_speaker(phrase: str) -> str:
    phrase = _TIME_WORDS.sub("", phrase.strip())
    phrase = re.sub(r"\s+(?:told|to)\s+.*$", "", phrase)
    return phrase.strip(" ,")


def _direct_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted words (inside the marks) in the quote-normalised text."""
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        ls, le = line.span()
        marks = [m.start() for m in _QUOTE_MARK.finditer(text, ls, le)]
        while len(marks) >= 2:
            a, b = marks[0], marks[1]
            spans.append((a + 1, b))
            marks = marks[2:]
        if marks:
            i = marks[0]
            after = text[i + 1 : le]
            if (
                _SPEAKER_AFTER_VERB.match(after)
                or _SPEAKER_BEFORE_VERB.match(after)
                and re.match(r"^\s*,", after)
            ):
                spans.append((ls, i))  # the closing mark of a quote opened a paragraph before
            else:
                spans.append((i + 1, le))
    return spans


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " ,.-'":
        s += 1
    while e > s and text[e - 1] in " ,.-'":
        e -= 1
    return s, e


def find_quotes(
    text: str,
    sentences: list[tuple[int, int]] | None = None,
    names: list[tuple[int, str]] | None = None,
) -> list[Quote]:
    """Every direct and indirect quote in ``text`` with its speaker, in order.

    Args:
        sentences: the sentence spans of ``text`` (:func:`unspin.text.sentence_spans`),
            if already known; used for indirect quotes.
        names: :func:`unspin.claims.actors.names_in` of ``text``, if already known.
    """
    from unspin.text import sentence_spans

    norm = _DEGREES.sub(lambda m: " " * len(m.group()), text.translate(_QUOTE_MAP))
    book = NameBook()
    names = names_in(text) if names is None else names
    name_i = 0
    quotes: list[Quote] = []

    spans = sentences if sentences is not None else sentence_spans(text)
    subjects = [
        (s, m.group(1))
        for s, _ in spans
        if (m := _SUBJECT.match(text, s)) and m.group(1).split()[0] not in _NOT_NAMES
    ]
    subject_i = 0

    def learn(upto: int) -> None:
        nonlocal name_i, subject_i
        while True:
            n_at = names[name_i][0] if name_i < len(names) else len(text) + 1
            s_at = subjects[subject_i][0] if subject_i < len(subjects) else len(text) + 1
            if min(n_at, s_at) >= upto:
                return
            if n_at <= s_at:
                book.add(names[name_i][1])
                name_i += 1
            else:
                book.mention(subjects[subject_i][1])
                subject_i += 1

    direct: list[tuple[int, int]] = []
    for s, e in _direct_spans(norm):
        s, e = _trim(norm, s, e)
        words = text[s:e].split()
        if len(words) >= MIN_QUOTE_WORDS and not all(
            w[:1].isupper() or not w[:1].isalpha() for w in words
        ):
            direct.append((s, e))
    # One pass in reading order, so names, subjects and the last speaker are known when
    # a quote needs them; sentences holding a direct quote are not read as indirect ones.
    events = [(s, e, True) for s, e in direct] + [
        (s, e, False) for s, e in spans if not any(a < e and s < b for a, b in direct)
    ]
    last: Quote | None = None
    for s, e, is_direct in sorted(events):
        learn(s)
        if is_direct:
            spk, sp_s, sp_e, verb = _direct_speaker(norm, s, e)
            name = book.resolve(speaker_name(spk)) if spk else None
            if (
                name is None
                and last is not None
                and last.speaker
                and s - last.end < CONTINUATION_GAP
            ):
                name, verb = last.speaker, last.verb  # the next paragraph of the same speech
            q: Quote | None = Quote(s, e, text[s:e], name, sp_s, sp_e, verb, True)
        else:
            q = _indirect(norm, text, s, e, book)
        if q is None:
            continue
        if q.speaker is not None and not plausible_speaker(q.speaker):
            q = Quote(q.start, q.end, q.content, None, None, None, q.verb, q.direct)
            if not q.direct:
                continue  # an indirect quote is only a quote with a speaker
        quotes.append(q)
        if q.speaker and q.speaker[0].isupper():
            book.add(q.speaker)
            book.mention(q.speaker)
        if q.speaker:
            last = q
    return sorted(quotes, key=lambda q: q.start)


# A quote with no attribution continues the previous one when it starts within this many
# characters of its end (the next paragraph of the same speech). ECB+ dev clusters.
CONTINUATION_GAP = 160


def _direct_speaker(
    norm: str, s: int, e: int
) -> tuple[str | None, int | None, int | None, str | None]:
    line_end = norm.find("\n", e)
    line_end = len(norm) if line_end == -1 else line_end
    lead = re.match(r"[\s,.!?'\"]*", norm[e:line_end])
    after = norm[e + (lead.end() if lead else 0) : line_end]
    offset = line_end - len(after)
    m = _SPEAKER_AFTER_VERB.match(after)
    if (
        m
        and m.group("spk").split()[0].lower() not in ("that", "in", "on", "to")
        and _has_content(m.group("spk"))
    ):
        phrase = _clean_speaker(m.group("spk"))
        ps = offset + m.start("spk")
        return phrase, ps, ps + len(phrase), m.group("verb")
    m = _SPEAKER_BEFORE_VERB.match(after)
    if m and len(m.group("spk").split()) <= 8 and _has_content(m.group("spk")):
        phrase = _clean_speaker(m.group("spk"))
        ps = offset + m.start("spk")
        return phrase, ps, ps + len(phrase), m.group("verb")
    line_start = norm.rfind("\n", 0, s) + 1
    before = norm[line_start : max(line_start, s - 1)]
    # (the scans of the line before a quote were most of find_quotes: each is skipped or
    # kept to the line's end where its match can only be there)
    acc = list(_ACCORDING.finditer(before)) if "ccording to " in before else []
    if acc:
        phrase = _clean_speaker(acc[-1].group("spk"))
        ps = line_start + acc[-1].start("spk")
        return phrase, ps, ps + len(phrase), "according to"
    near_end = max(0, len(before) - _SAYING_AT_END_REACH)
    if _SAYING_AT_END.search(before, near_end) and _first_verb(before):
        np = noun_phrase_before(norm, line_start + _first_verb(before), line_start)
        if np:
            phrase = _clean_speaker(np[0])
            return phrase, np[1], np[1] + len(phrase), "saying"
    v = _last_reporting_verb(before)
    if v is not None:
        np = noun_phrase_before(norm, line_start + v.start(), line_start)
        if np:
            phrase = _clean_speaker(np[0])
            return phrase, np[1], np[1] + len(phrase), v.group("verb")
    return None, None, None, None


def _indirect(norm: str, text: str, s: int, e: int, book: NameBook) -> Quote | None:
    sent = norm[s:e]
    # "..., X said." / "..., said X, a spokesman."
    tail = _SAID_TAIL.search(sent)
    if tail:
        phrase = tail.group("spk1") or tail.group("spk2")
        verb = tail.group("verb1") or tail.group("verb2")
        phrase = _clean_speaker(phrase.split(",")[0])
        if (
            phrase
            and plausible_speaker(phrase)
            and not phrase.lower().startswith(("that ", "it ", "this "))
        ):
            cs, ce = _trim(norm, s, s + tail.start())
            ps = s + (tail.start("spk1") if tail.group("spk1") else tail.start("spk2"))
            if ce - cs > 15:
                return Quote(
                    cs,
                    ce,
                    text[cs:ce],
                    book.resolve(speaker_name(phrase)),
                    ps,
                    ps + len(phrase),
                    verb,
                    False,
                )
    acc = _ACCORDING.search(sent)
    if acc:
        phrase = _clean_speaker(acc.group("spk"))
        ps = s + acc.start("spk")
        if acc.start() < 3:
            cs, ce = s + acc.end(), e
        else:
            cs, ce = s, s + acc.start()
        cs, ce = _trim(norm, cs, ce)
        if ce - cs > 15:
            return Quote(
                cs,
                ce,
                text[cs:ce],
                book.resolve(speaker_name(phrase)),
                ps,
                ps + len(phrase),
                "according to",
                False,
            )
    saying = _SAYING.search(sent)
    if saying:
        np = noun_phrase_before(norm, s + _first_verb(sent), s) if _first_verb(sent) else None
        cs, ce = _trim(norm, s + saying.end(), e)
        if np and ce - cs > 15:
            phrase = _clean_speaker(np[0])
            return Quote(
                cs,
                ce,
                text[cs:ce],
                book.resolve(speaker_name(phrase)),
                np[1],
                np[1] + len(phrase),
                "saying",
                False,
            )
    head = _SAID_HEAD.search(sent)
    if (
        head
        and head.group("verb") not in ("reports", "reported", "estimated")
        or head
        and head.start() < 60
    ):
        np = noun_phrase_before(norm, s + _skip_apposition(sent, head.start()), s)
        if np is not None:
            phrase = _clean_speaker(np[0])
            cs, ce = _trim(norm, s + head.end(), e)
            nxt = norm[cs : cs + 3]
            if ce - cs > 15 and phrase and not nxt.startswith('"'):
                return Quote(
                    cs,
                    ce,
                    text[cs:ce],
                    book.resolve(speaker_name(phrase)),
                    np[1],
                    np[1] + len(phrase),
                    head.group("verb"),
                    False,
                )
    return None


_NOT_IN_SPEAKER = frozenset(
    [
        "would",
        "will",
        "was",
        "were",
        "is",
        "are",
        "has",
        "have",
        "had",
        "could",
        "should",
        "can",
        "may",
        "might",
        "that",
        "which",
        "who",
        "whom",
        "not",
        "never",
        "also",
        "been",
        "be",
        "being",
        "do",
        "does",
        "did",
    ]
)
_SPEAKER_START_OK = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "our", "both", "he", "she", "they", "we", "i"]
)


def plausible_speaker(name: str) -> bool:
    """Whether a speaker phrase can name someone: short, no verbs, not a bare preposition.

    Rejects what a loose pattern drags in ("on", "alternative would have been cuts").
    """
    words = name.split()
    if not words or len(words) > MAX_SPEAKER_WORDS:
        return False
    low = [w.lower() for w in words]
    if any(w in _NOT_IN_SPEAKER for w in low):
        return False
    return low[0] not in FUNCTION_WORDS or low[0] in _SPEAKER_START_OK


# Longest speaker phrase accepted ("the Alabama medical society's vice president" fits).
MAX_SPEAKER_WORDS = 7


def _skip_apposition(sent: str, verb_at: int) -> int:
    """Where the subject ends before a verb, skipping ", who ...," or ", a spokesman ...,"."""
    m = re.search(r",\s*(?:who|which|a|an|the)\b[^,]{1,80},\s*$", sent[:verb_at])
    return m.start() if m else verb_at


def _first_verb(sent: str) -> int:
    """Offset of the first lower-case past-tense or auxiliary verb (the main verb, roughly)."""
    m = re.search(
        r"\b(?:[a-z]+ed|said|told|was|were|has|had|is|are|made|took|gave|went)\b", sent[1:]
    )
    return m.start() + 1 if m else 0


def _has_content(phrase: str) -> bool:
    return any(w.lower() not in FUNCTION_WORDS for w in re.findall(r"[A-Za-z]+", phrase))
