"""Credit lines that name a wire agency or a press release: the common source of copies.

When two outlets run the same wire story, neither is the source of the other: both copy
the agency's text, which the store does not hold. The agency is named in a dateline or
credit line: "PORT ALLEN (AP) —", "(Reuters)", "— AFP", "Associated Press", "PA Media",
"dpa", "— Press release". :func:`credited_source` finds it.
"""

from __future__ import annotations

import re

__all__ = ["credited_source"]

# Each agency's canonical name and the patterns that credit it. Case matters for the
# short ones ("AP", "AFP", "dpa" read as words in prose otherwise).
_AGENCIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "Associated Press",
        re.compile(r"\((?:AP|The Associated Press)\)|\bAssociated Press\b|^AP\b|\bAP\s*[—–-]\s"),
    ),
    ("Reuters", re.compile(r"\(Reuters\)|\bReuters\b")),
    ("AFP", re.compile(r"\(AFP\)|\bAFP\b|\bAgence France-Presse\b")),
    ("PA Media", re.compile(r"\bPA Media\b|\(PA\)|\bPress Association\b")),
    ("dpa", re.compile(r"\(dpa\)|\bdpa\b|\bDeutsche Presse-Agentur\b")),
    ("press release", re.compile(r"(?i)\bpress release\b|\bPR Newswire\b|\bBusiness Wire\b")),
)
# Credit lines and datelines stand at the top or the bottom of a story.
_EDGE_CHARS = 400


def credited_source(text: str) -> str | None:
    """The wire agency (or "press release") a text credits at its top or bottom, if any.

    Example:
        >>> credited_source("PORT ALLEN (AP) - Heavy rain flooded the harbour...")
        'Associated Press'
    """
    edges = text[:_EDGE_CHARS] + "\n" + text[-_EDGE_CHARS:]
    for name, pattern in _AGENCIES:
        if pattern.search(edges):
            return name
    return None
