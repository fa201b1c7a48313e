"""Actors and what they do: agreeing, refusing, proposing, accusing (and who speaks).

Two jobs live here because both are about *who*:

* :func:`noun_phrase_before` and :func:`speaker_name` read the phrase naming a person or
  body before a verb (``Brennford County Transit Director Mara Oyelaran`` -> ``Mara Oyelaran``;
  ``the navy spokesperson`` -> ``navy spokesperson``), and :class:`NameBook` resolves a
  surname or pronoun to the full name met earlier in the article.
* :func:`find_actions` finds verbs of agreeing, refusing, proposing and accusing with
  their actor and object: "Both ministers agreed to a 60-day pause" ->
  ``(agree, "Both ministers", "a 60-day pause")``. Passives ("was charged with murder")
  keep the agent of a ``by`` phrase or none.

Saying is handled by :mod:`unspin.claims.quotes` (every quote has a speaker and a verb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from unspin.text import FUNCTION_WORDS

__all__ = [
    "VERB_CLASSES",
    "Action",
    "NameBook",
    "find_actions",
    "noun_phrase_before",
    "speaker_name",
]

# Verb forms by class. Multi-word forms first so "turned down" wins over "turned".
VERB_CLASSES: dict[str, tuple[str, ...]] = {
    "agree": ("agreed", "agrees", "agree", "accepted", "accepts", "approved", "approves",
              "signed", "signs", "endorsed", "endorses", "consented", "reached a deal",
              "reached an agreement", "struck a deal", "gave a go-ahead", "backed"),
    "refuse": ("refused", "refuses", "rejected", "rejects", "denied", "denies", "declined",
               "declines", "dismissed", "dismisses", "vetoed", "rebuffed", "turned down",
               "ruled out", "discounted", "walked out", "blocked"),
    "propose": ("proposed", "proposes", "offered", "offers", "suggested", "suggests",
                "called for", "calls for", "calling for", "urged", "urges", "recommended",
                "recommends", "demanded", "demands", "pressing for", "pressed for",
                "requested", "put forward", "floated"),
    "accuse": ("accused", "accuses", "blamed", "blames", "charged", "charges", "indicted",
               "condemned", "condemns", "alleged"),
}  # fmt: skip
_VERB_TO_CLASS = {v: c for c, vs in VERB_CLASSES.items() for v in vs}
_VERB_RE = re.compile(
    r"\b(" + "|".join(re.escape(v) for v in sorted(_VERB_TO_CLASS, key=len, reverse=True)) + r")\b"
)
_SKIP_BETWEEN = frozenset(
    [
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "also",
        "not",
        "did",
        "does",
        "do",
        "then",
        "later",
        "already",
        "reportedly",
        "finally",
        "formally",
        "unanimously",
        "jointly",
        "both",
        "eventually",
        "initially",
        "swiftly",
        "quickly",
        "publicly",
        "again",
        "never",
        "just",
        "been",
        "be",
        "could",
        "should",
        "may",
        "might",
    ]
)
_KEEP_IN_NP = frozenset(("the", "a", "an", "of", "for", "and", "'s", "both"))
_PRONOUNS = frozenset(("he", "she", "they", "it", "we", "i"))
# Words that are titles or roles, not names: stripped from the front of a name.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "col",
        "capt",
        "cpl",
        "lt",
        "sgt",
        "cmdr",
        "commander",
        "president",
        "prime",
        "minister",
        "chief",
        "inspector",
        "general",
        "attorney",
        "district",
        "judge",
        "superior",
        "court",
        "justice",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "deputy",
        "director",
        "officer",
        "detective",
        "sheriff",
        "mayor",
        "senator",
        "representative",
        "coroner",
        "admiral",
        "state",
        "county",
        "foreign",
        "trade",
        "captain",
        "lieutenant",
        "sergeant",
        "pastor",
        "rev",
        "father",
        "sir",
        "dame",
        "lord",
        "lady",
        "king",
        "queen",
        "prince",
        "princess",
        "md",
        "phd",
        "homicide",
        "corporal",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "head",
        "leader",
        "minister's",
        "vice",
        "acting",
        "former",
        "assistant",
        "special",
        "agent",
        "commissioner",
        "governor",
        "ambassador",
        "envoy",
        "economy",
        "finance",
        "defence",
        "defense",
        "interior",
    ]
)
_TOKEN = re.compile(r"[A-Za-z][\w.'-]*|'s|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Action:
    """An actor doing one of the verbs that matter when sources are compared.

    Attributes:
        start, end: span of the verb.
        verb: the verb as written (``agreed``).
        verb_class: ``agree``, ``refuse``, ``propose`` or ``accuse``.
        actor: the subject as written (``Both ministers``), or ``None`` (passive, no agent).
        actor_start: where the actor phrase starts (for the claim span), or the verb start.
        obj: the words after the verb to the end of the clause (at most 12 words).
        negated: ``did not agree`` and the like.
    """

    start: int
    end: int
    verb: str
    verb_class: str
    actor: str | None
    actor_start: int
    obj: str
    negated: bool = False


def noun_phrase_before(text: str, pos: int, floor: int = 0) -> tuple[str, int] | None:
    """The noun phrase ending right before ``pos`` (a subject before its verb).

    Scans back over words that are not function words (``the``/``of``/``for`` allowed
    inside), at most 8 tokens, stopping at punctuation other than abbreviation dots.

    Returns:
        ``(phrase, start)`` or ``None`` when no word precedes.
    """
    window = text[max(floor, pos - 120) : pos]
    base = pos - len(window)
    toks = [(m.group(), base + m.start()) for m in _TOKEN.finditer(window)]
    picked: list[tuple[str, int]] = []
    for tok, at in reversed(toks):
        low = tok.lower()
        if not picked and low in _SKIP_BETWEEN:
            continue
        if not tok[0].isalpha() and tok != "'s":
            break
        if low in _PRONOUNS:
            if not picked:
                picked.append((tok, at))
            break
        if low in FUNCTION_WORDS and low not in _KEEP_IN_NP:
            break
        if low in _SKIP_BETWEEN:
            break
        picked.append((tok, at))
        if len(picked) >= 8:
            break
    while picked and picked[-1][0].lower() in ("of", "for", "and", "'s"):
        picked.pop()
    if not picked:
        return None
    picked.reverse()
    start = picked[0][1]
    end = picked[-1][1] + len(picked[-1][0])
    return text[start:end], start


def speaker_name(phrase: str) -> str:
    """A speaker's name from the phrase naming them.

    A phrase ending in a capitalised word is a name: titles and roles in front are
    dropped (``coast guard spokesman Captain Tobias Renwick`` -> ``Tobias Renwick``). Otherwise it
    is a role or body: determiners are dropped (``the Navy spokesperson`` ->
    ``Navy spokesperson``).
    """
    toks = [t for t in re.findall(r"[A-Za-z][\w.'-]*", phrase) if t]
    while toks and toks[0].lower() in ("the", "a", "an", "both", "their", "his", "her", "its"):
        toks.pop(0)
    if not toks:
        return phrase.strip()
    if "of" in toks and toks[0][0].islower():
        # "trade ministers of Valdoria and Kessaria": the head before "of"
        return " ".join(toks[: toks.index("of")])
    if "and" in toks and toks[-1][0].isupper() and toks[0][0].isupper():
        return " ".join(toks)  # "Varga and Reinholt": both
    if toks[-1][0].isupper():
        name: list[str] = []
        for t in reversed(toks):
            if not t[0].isupper() or t.lower().rstrip(".") in _TITLES:
                break
            name.append(t)
        if name:
            return " ".join(reversed(name)).rstrip(",")
    return " ".join(toks).replace(" 's", "'s")


class NameBook:
    """Full names met in an article, to resolve surnames and pronouns.

    Feed it names in reading order with :meth:`add` and sentence subjects and speakers
    with :meth:`mention`; :meth:`resolve` turns ``Renwick`` into ``Tobias Renwick`` and
    ``he`` into the last person who was a subject or a speaker (not merely the last name
    mentioned: "… said he knew Ingrid Vasse. He denied it" means the subject, not Vasse).
    """

    def __init__(self) -> None:
        self._full: list[str] = []
        self.last_person: str | None = None

    def add(self, name: str) -> None:
        parts = name.split()
        if len(parts) >= 2 and all(p[:1].isupper() for p in parts):
            if name not in self._full:
                self._full.append(name)
            if self.last_person is None:
                self.last_person = name

    def mention(self, name: str) -> None:
        """Note ``name`` as the subject of a sentence: the referent of a later he/she."""
        full = self.resolve(speaker_name(name))
        if full and full[:1].isupper() and full.lower() not in _PRONOUNS:
            self.last_person = full

    def resolve(self, name: str | None) -> str | None:
        if name is None:
            return None
        if name.lower() in _PRONOUNS:
            return self.last_person
        parts = name.split()
        if len(parts) == 1 and parts[0][:1].isupper():
            for full in reversed(self._full):
                if full.split()[-1] == parts[0]:
                    return full
        return name


_CAP_RUN = re.compile(
    r"\b(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'-]*)(?:[ \t]+(?:[A-Z][a-z]{0,2}\.|[A-Z][\w'-]*))+"
)


def names_in(text: str) -> list[tuple[int, str]]:
    """Capitalised runs of two or more words, as normalised names, with their offsets."""
    out = []
    for m in _CAP_RUN.finditer(text):
        name = speaker_name(m.group())
        if len(name.split()) >= 2:
            out.append((m.start(), name))
    return out


def find_actions(text: str, start: int = 0, end: int | None = None) -> list[Action]:
    """Verbs of agreeing, refusing, proposing and accusing in ``text[start:end]``."""
    end = len(text) if end is None else end
    found: list[Action] = []
    for m in _VERB_RE.finditer(text, start, end):
        verb = m.group(1)
        if verb in ("charges", "offers", "demands", "backed") and _looks_like_noun(text, m.start()):
            continue
        before = text[max(start, m.start() - 25) : m.start()].lower()
        passive = bool(re.search(r"\b(?:was|were|been|be|is|are|being)\s+$", before))
        negated = bool(re.search(r"\b(?:not|never|n't)\s+$", before))
        actor: str | None
        if passive:
            by = re.match(
                r"[^.;]{0,60}?\bby\s+((?:the\s+)?[A-Za-z][\w'-]*(?:\s+[A-Z][\w'-]*)*)",
                text[m.end() : end],
            )
            actor = by.group(1) if by else None
            actor_start = m.start()
        else:
            np = noun_phrase_before(text, m.start(), start)
            actor, actor_start = (np[0], np[1]) if np else (None, m.start())
        obj_m = re.match(r"\s*([^.;:!?\n]{0,100})", text[m.end() : end])
        obj_words = (obj_m.group(1) if obj_m else "").split(",")[0].split()[:12]
        found.append(
            Action(
                m.start(),
                m.end(),
                verb,
                _VERB_TO_CLASS[verb],
                actor,
                actor_start,
                " ".join(obj_words),
                negated,
            )
        )
    return found


def _looks_like_noun(text: str, pos: int) -> bool:
    return bool(
        re.search(
            r"\b(?:the|a|an|his|her|their|its|of|new|two|three|murder)\s+$",
            text[max(0, pos - 10) : pos],
        )
    )
