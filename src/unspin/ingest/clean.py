"""Line-level boilerplate clean-up for extracted and plain-text articles.

Extraction leaves, and plain text carries, short lines that are page furniture rather
than reporting: share bars ("Share", "Share this with family and friends"), audio and
read-time badges ("LISTEN TO THIS ARTICLE", "6 min read"), newsletter promos, photo and
caption credits ("EPA-EFE/Name", "Source: SBS News, AP / Name"), "Published … Updated …"
stamps and bylines. :func:`clean_lines` removes them and returns every removed line with
its reason, so nothing is silently lost; bylines and dates are parsed into metadata.

Only short lines are ever candidates (see :data:`MAX_BOILERPLATE_WORDS`): a paragraph of
reporting that happens to say "share" or "subscribe" is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from unspin.ingest.dates import date_line, parse_datetime
from unspin.model import BoilerplateLine
from unspin.text import normalize

__all__ = [
    "MAX_BOILERPLATE_WORDS",
    "CleanResult",
    "classify_line",
    "clean_lines",
    "outlet_credit",
]

# A line longer than this is reporting, never furniture. 30 words keeps every gold
# sentence of the extraction benchmark (bench/extraction_accuracy.py) while catching
# the longest newsletter promos seen there (~25 words).
MAX_BOILERPLATE_WORDS = 30

_I = re.IGNORECASE
_SOCIAL = r"(?:facebook|twitter|x|whatsapp|linkedin|reddit|pinterest|email|e-mail|messenger|telegram|flipboard|copy link|print)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "share",
        re.compile(
            rf"^(?:share|shares|share this|share (?:this|the) (?:article|story|page|post)|share on {_SOCIAL}"
            rf"|share this with (?:your )?(?:family|friends)(?: and (?:family|friends))?|share via {_SOCIAL}"
            rf"|{_SOCIAL}|tweet|comments?|\d+ comments?|save|save (?:article|story)|copy link|gift (?:this )?article"
            rf"|(?:{_SOCIAL}[\s,|/·•]*){{2,}})[\s.!:]*$",
            _I,
        ),
    ),
    (
        "listen",
        re.compile(
            r"^(?:listen|listen (?:to|now)(?: (?:this|the))?(?: (?:article|story|audio))?|listen to this article"
            r"|audio|play audio|hear this story|listen to article)(?:[\s:·•|-]*\d+[:.]?\d* ?(?:min(?:ute)?s?|mins?))?[\s.!:]*$",
            _I,
        ),
    ),
    (
        "read-time",
        re.compile(
            r"^(?:(?:estimated )?read(?:ing)? time[:\s]*)?\d+\s*(?:-|to)?\s*\d*\s*(?:min(?:ute)?s?|mins?)\.?(?:\s*read)?[\s.]*$"
            r"|^reading time[:\s].{0,20}$",
            _I,
        ),
    ),
    (
        "newsletter",
        re.compile(
            r"(?:sign(?:ing)? up (?:for|to our|now|here|today)|subscribe|get (?:our|the) \w+ newsletter|delivered (?:straight )?to your inbox"
            r"|in your inbox|newsletter)",
            _I,
        ),
    ),
    (
        "credit",
        re.compile(
            r"^(?:(?:photo|photograph|image|picture|pictured|video|graphic|illustration|caption|file photo|credit|credits|source|sources)s?"
            r"(?: credit)?\s*[:|]\s*.{0,160}"
            r"|.{0,120}\b(?:EPA-EFE|EPA|AFP|AP|Reuters|Getty Images|Shutterstock|PA|Alamy|Xinhua|ANP|dpa|Bloomberg|NurPhoto|SIPA|Zuma)(?: Photo| Images| Wire| via Getty Images)?\s*/\s*[\w .'-]{2,60}"
            r"|.{0,120}\((?:photo|image|credit)s?:?[^)]{0,80}\)"
            r"|.{0,80}\b(?:via Getty Images|Getty Images|Shutterstock|AP Photo|AFP Photo|Reuters Photo))[\s.]*$",
            _I,
        ),
    ),
    (
        "dateline",
        re.compile(
            r"^(?:(?:published|updated|posted|last updated|first published|modified|date|publicado|publié|veröffentlicht|pubblicato)\b[\s:]*(?:on\s+)?.{0,80}\d.{0,80})$",
            _I,
        ),
    ),
    (
        "byline",
        re.compile(
            r"^(?i:by|written by|reporting by|words by|von|par)\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}"
            r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3})*(?:\s*[,|·•-]\s*.{0,60})?$"
        ),
    ),
    (
        "promo",
        re.compile(
            r"^(?:advertisement|advertising|sponsored(?: content)?|ad|story continues below(?: advertisement)?"
            r"|continue reading(?: below)?|scroll to continue(?: with content)?|read more|read more:.*|related(?: articles?| stories| coverage)?:?.*"
            r"|recommended(?: stories| reading)?:?|more from .{0,40}|most (?:read|popular|viewed)|trending(?: now)?"
            r"|follow us on .{0,60}|click here .{0,80}|download (?:our|the) (?:free )?app.{0,60}"
            r"|all rights reserved\.?.{0,40}|this article (?:was|has been) (?:amended|updated).{0,120}"
            r"|we use cookies.{0,160}|skip (?:to|advertisement).{0,40}|image \d+ of \d+|\d+ of \d+ (?:photos|images)"
            r"|(?:open|view) (?:image )?gallery.{0,20}|watch:?.{0,80}|video:.{0,80}"
            r"|(?:see more|see also|also read|read also|don't miss|do not miss|more on this|more:|must read)\b.{0,120}"
            r"|disclaimer:.{0,300}|tags?\s*:?\s*\S.{0,200}"
            r"|.{3,120}\[(?:video|insight|reaction|pics|photos|poll|watch|analysis|live)\]\|?)[\s.!]*$",
            _I,
        ),
    ),
]

# Boilerplate as an article spinner rewords it (the same furniture, synonyms swapped):
# "Be a part of our weekly e-bulletin", "Picture credit score: …", "This text was
# initially printed on …", "Learn extra". Each pattern names the reworded words it
# matched, which the removed line's reason records as evidence ("credit, reworded:
# picture credit score"). Phrases are SpinBot-style synonym swaps of the plain patterns
# above (credit -> credit score, newsletter -> e-bulletin, published -> printed/revealed,
# read -> learn), as seen in spun copies of news pages.
_REWORDED: list[tuple[str, re.Pattern[str]]] = [
    (
        "newsletter",
        re.compile(
            r"^(?:be a part of|join|enroll in|sign up for|subscribe to|get)\b.{0,40}?"
            r"\b(?P<evidence>e-?bulletins?|e-?newsletters?|publication list|mailing list|news ?letters?|e-?mail (?:digest|bulletin)s?)\b.{0,60}$",
            _I,
        ),
    ),
    (
        "credit",
        re.compile(
            r"^(?P<evidence>(?:picture|image|photograph|photo|graphic)s? credit score|picture credit|photograph credit)s?\s*[:|]?\s*.{0,120}$",
            _I,
        ),
    ),
    (
        "origin",
        re.compile(
            r"^(?:this (?:article|story|text|piece|report) (?:was|has been) )?"
            r"(?P<evidence>(?:initially|at first) (?:published|printed|revealed|posted|appeared|launched)"
            r"|(?:originally|first) (?:printed|revealed|launched))"
            r"(?:\s+(?:on|in|by|at)\s+[^,;]{2,60})?[\s.]*$",
            _I,
        ),
    ),
    (
        "promo",
        re.compile(
            r"^(?P<evidence>learn (?:extra|more)|read (?:extra|additional)|study (?:extra|more))\b[\s:.!]*.{0,100}$",
            _I,
        ),
    ),
]

# A promo that mentions a newsletter must also look like a call to action, so a news
# sentence about a newsletter ("The council's newsletter said …") survives.
_CALL_TO_ACTION = re.compile(
    r"(?:sign up|subscribe|get (?:it|them|the|our)|delivered|inbox|register|enter your e-?mail|join \d|for free|newsletters?$|newsletters? ?[:|])",
    _I,
)


# Lines that credit the outlet an article came from, and the outlet's name in them:
# "Source: Example News", "This article was originally published on Example Review",
# "Example News / Reuters", "© 2026 Example News". Read before the line is removed.
_OUTLET_CREDITS = [
    re.compile(r"^(?:source|sources|via)\s*:\s*(?P<outlet>[^/|,;]{2,60}?)[\s.]*$", _I),
    re.compile(
        r"^(?:this (?:article|story|text|piece|report) (?:was|has been) )?"
        r"(?:initially|originally|first|at first)\s+(?:published|printed|revealed|posted|appeared|launched)"
        r"\s+(?:on|in|by|at)\s+(?P<outlet>[^,;:()]{2,60}?)(?:,?\s+on\s+\w+ \d[\w ,]*)?[\s.]*$",
        _I,
    ),
    re.compile(
        r"^(?P<outlet>[A-Z][\w&.' -]{1,40}?)\s*/\s*(?:Reuters|AP|AFP|Bloomberg|dpa|Xinhua|PA|ANP)[\s.]*$"
    ),
    re.compile(
        r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?\s+)?"
        r"(?P<outlet>[A-Z][\w&.' -]{1,50}?)(?:\s*\d{4})?(?:[.,]?\s*all rights reserved)?[\s.]*$",
        _I,
    ),
]
# Words that make a credited "outlet" a person or a picture agency, not the outlet.
_NOT_AN_OUTLET = re.compile(r"\b(?:photo|image|picture|getty|shutterstock|staff|wire|file)\b", _I)


def outlet_credit(line: str) -> str | None:
    """The outlet a credit line names ("Source: Example News" -> ``Example News``), or None."""
    return _outlet_credit(normalize(line))


def _outlet_credit(text: str) -> str | None:
    """:func:`outlet_credit` of a line already normalised."""
    if len(text.split()) > MAX_BOILERPLATE_WORDS:
        return None
    for rx in _OUTLET_CREDITS:
        m = rx.match(text)
        if m:
            outlet = m.group("outlet").strip(" .")
            if (
                outlet
                and outlet[0].isupper()
                and not _NOT_AN_OUTLET.search(outlet)
                and len(outlet.split()) <= 6
            ):
                return outlet
    return None


# The ASCII characters that normalising turns into spaces although ``str.split`` reads
# them as part of a word (control characters that are not white space): a word made of
# them alone would vanish. Every white space character stays a separator, and no other
# ASCII character changes (tests/test_text.py).
_CONTROL_IN_WORDS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def classify_line(line: str) -> str | None:
    """The boilerplate reason for one line (``share``, ``credit``, …), or None if it is text.

    Reworded furniture carries its evidence: ``newsletter, reworded: e-bulletin``.
    """
    if (
        line.isascii()
        and len(line.split()) > MAX_BOILERPLATE_WORDS
        and not _CONTROL_IN_WORDS.search(line)
    ):
        # Such a line has as many words before normalising as after: most lines of an
        # article stop here, before the cost of normalising them.
        return None
    text = normalize(line)
    if not text:
        return None
    n_words = len(text.split())
    if n_words > MAX_BOILERPLATE_WORDS:
        return None
    if _outlet_credit(text) is not None:
        return "credit"
    for reason, pattern in _PATTERNS:
        if reason == "newsletter":
            quoted = '"' in text
            if (
                not quoted
                and pattern.search(text)
                and _CALL_TO_ACTION.search(text)
                and n_words <= 25
            ):
                return reason
            continue
        if reason == "dateline" and n_words > 14:
            continue
        if reason == "byline" and n_words > 12:
            continue
        if reason == "credit" and n_words > 20:
            continue
        if pattern.match(text):
            return reason
    if n_words <= REWORDED_MAX_WORDS:
        for reason, pattern in _REWORDED:
            m = pattern.match(text)
            if m and '"' not in text:
                return f"{reason}, reworded: {m.group('evidence').lower()}"
    return None


# Reworded furniture is only ever a short line: the longest seen in spun copies ("Be a
# part of our weekly e-bulletin for the most recent information") is 11 words; 20 keeps a
# margin and leaves every sentence of reporting (which runs longer) alone.
REWORDED_MAX_WORDS = 20


@dataclass
class CleanResult:
    """Kept paragraphs, removed lines, and metadata read from bylines and date stamps."""

    paragraphs: list[str] = field(default_factory=list)
    removed: list[BoilerplateLine] = field(default_factory=list)
    author: str | None = None
    published: datetime | None = None
    site: str | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


_BYLINE_NAME = re.compile(
    r"^(?:by|written by|reporting by|words by)\s+(.+?)(?:\s*[,|·•]\s*.*)?$", _I
)
_UPDATED_VALUE = re.compile(r"^(?:last )?updated\b[\s:]*(?:on\s+)?(.+?)(?:\s*(?:\||·|•).*)?$", _I)
_DATELINE_VALUE = re.compile(
    r"^(?:published|posted|first published|date)\b[\s:]*(?:on\s+)?(.+?)(?:\s*(?:\||·|•|,?\s*updated|,?\s*last updated).*)?$",
    _I,
)


# A trailing block of at least this many short lines, at least half of them links, is a
# "related stories" list (set on bench/extraction_accuracy.py: catches the teaser lists
# trafilatura keeps on sports and entertainment pages, drops no gold line there).
RELATED_BLOCK_MIN_LINES = 3
RELATED_BLOCK_LINK_SHARE = 0.5


# List items ("3) …", "- …", "• …") belong to the article even when they are links.
_ENUMERATED = re.compile(r"^\s*(?:\d{1,3}[).]|[-•*·–])\s")
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}")


def _wordy(line: str) -> bool:
    """At least three words of two or more letters, and not a bare URL or handle."""
    if re.search(r"https?://|www\.|@\w", line):
        return False
    return len(_ALPHA_WORD.findall(line)) >= 3


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")


def _teaser(line: str) -> bool:
    """A line of a related-stories block that is a headline or teaser, not a sentence."""
    return not _SENTENCE_END.search(line.strip())


def clean_lines(
    paragraphs: list[str],
    link_texts: frozenset[str] = frozenset(),
    *,
    leading_dates: bool = False,
) -> CleanResult:
    """Remove boilerplate lines from ``paragraphs``; keep what was removed and why.

    A paragraph made of several lines is judged line by line. Bylines fill ``author``;
    "Published …" stamps fill ``published`` (timezone-aware) when they parse; a credit
    line naming the outlet ("Source: X", "Originally published on X", "X / Reuters",
    "© X") fills ``site``.

    Args:
        paragraphs: the text, one paragraph (or line) per item.
        link_texts: normalised texts of the page's links (see
            :func:`unspin.ingest.extract.link_texts`): a short line that is exactly a
            link is navigation, and a trailing block of them is a related-stories list.
        leading_dates: a line that is nothing but a date (:func:`date_line`) among the
            furniture at the top of the text (before the first line of text) is a date
            stamp: it fills ``published`` and is removed as ``dateline``. For plain
            texts, where nothing else marks the stamp; further down, such a line is text.
    """
    from unspin.ingest.extract import link_key

    result = CleanResult()
    lines: list[tuple[int, str, str | None]] = []  # (paragraph index, line, reason)
    at_top = leading_dates
    for pi, para in enumerate(paragraphs):
        for line in para.split("\n"):
            if not line.strip():
                continue
            reason = classify_line(line)
            if reason is None and at_top and date_line(normalize(line)) is not None:
                reason = "dateline"
            at_top = at_top and reason is not None
            if reason is None and link_texts and not _ENUMERATED.match(line):
                key = link_key(line)
                if key in link_texts and _wordy(line) and len(key.split()) <= MAX_BOILERPLATE_WORDS:
                    reason = "link"
            lines.append((pi, line.strip(), reason))
    # A trailing related-stories block: short lines, half or more of them links.
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        if len(lines[i][1].split()) > MAX_BOILERPLATE_WORDS:
            break
        block = lines[i:]
        n_links = sum(1 for _, _, r in block if r == "link")
        if _ENUMERATED.match(lines[i][1]):
            break
        if (
            lines[i][2] == "link"
            and len(block) >= RELATED_BLOCK_MIN_LINES
            and n_links / len(block) >= RELATED_BLOCK_LINK_SHARE
        ):
            start = i
    lines = [
        (pi, line, reason or ("related" if i >= start and _teaser(line) else None))
        for i, (pi, line, reason) in enumerate(lines)
    ]

    kept: dict[int, list[str]] = {}
    updated: datetime | None = None
    for pi, line, reason in lines:
        if reason is None:
            kept.setdefault(pi, []).append(line)
            continue
        text = normalize(line)
        result.removed.append(BoilerplateLine(text, reason))
        if result.site is None:
            result.site = _outlet_credit(text)
        if reason == "byline" and result.author is None:
            m = _BYLINE_NAME.match(text)
            if m:
                result.author = m.group(1).strip()
        elif reason == "dateline" and result.published is None:
            m = _DATELINE_VALUE.match(text)
            if m:
                result.published = parse_datetime(m.group(1))
            else:
                stamp = date_line(text)
                if stamp is not None:
                    result.published = stamp
                else:
                    m = _UPDATED_VALUE.match(text)
                    if m:
                        updated = updated or parse_datetime(m.group(1))
    if result.published is None:
        # Only an "Updated …" stamp: the nearest date the text gives of its publication.
        result.published = updated
    result.paragraphs = [" ".join(kept[pi]) for pi in sorted(kept)]
    return result
