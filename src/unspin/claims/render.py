"""A comparison as a reader takes it in: statements ranked by what matters, as data,
Markdown or HTML (the terminal and the web page render the same statements).

Each row is one statement a person reads once — "Raising the price of a single ride to
$2.90 from $2.50 — 4 of 4 sources (3 independent)" — with each source's own sentence
under it and the claim's words marked. Rows come in sections (:data:`SECTION_TITLES`):
conflicts, facts several independent voices confirm, differences in substance, minor
differences, and claims one source makes, grouped by source.

:func:`unspin.serialize.comparison_to_dict` is the JSON shape (docs/api.md).
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Sequence
from dataclasses import dataclass

from unspin.claims.compare import statement
from unspin.model import Claim, ClaimGroup, Comparison

__all__ = [
    "SECTION_TITLES",
    "Said",
    "Statement",
    "by_section",
    "said_html",
    "section_of",
    "statements",
    "support",
    "to_html",
    "to_markdown",
    "unique_by_source",
]

SECTION_TITLES = {
    "conflict": "Conflicts",
    "agree": "Confirmed by several sources",
    "differ": "Differences in substance",
    "minor": "Minor differences",
    "unique": "Reported by one source only",
}


@dataclass(frozen=True, slots=True)
class Said:
    """One source's own sentence behind a statement, with the claim's words marked.

    Attributes:
        article_id, outlet: the voice.
        sentence: its sentence.
        marks: ``(start, end)`` offsets of the claim's words within ``sentence``.
    """

    article_id: str
    outlet: str
    sentence: str
    marks: tuple[tuple[int, int], ...]

    def pieces(self) -> list[tuple[str, bool]]:
        """The sentence as ``(text, marked)`` pieces, in order."""
        out: list[tuple[str, bool]] = []
        at = 0
        for start, end in self.marks:
            if start < at:
                continue
            if start > at:
                out.append((self.sentence[at:start], False))
            out.append((self.sentence[start:end], True))
            at = end
        if at < len(self.sentence):
            out.append((self.sentence[at:], False))
        return out


@dataclass(frozen=True, slots=True)
class Statement:
    """One row of a comparison as a reader sees it.

    Attributes:
        section: ``conflict``, ``agree``, ``differ``, ``minor`` or ``unique``.
        kind: the claims' kind.
        text: the statement (:attr:`ClaimGroup.topic`; merged rows cover every figure).
        reason: why the sources conflict or differ.
        sources: articles that make it (voices and the copies echoing them).
        independent: independent voices that make it.
        total: articles compared.
        said: each voice's own sentence.
    """

    section: str
    kind: str
    text: str
    reason: str | None
    sources: int
    independent: int
    total: int
    said: tuple[Said, ...]


def section_of(group: ClaimGroup) -> str:
    """The section a group is shown in (``minor`` for a difference in form only)."""
    return "minor" if group.minor else group.label


def support(st: Statement) -> str:
    """``4 of 4 sources (3 independent)``, or the one outlet of a unique claim."""
    if st.section == "unique":
        return st.said[0].outlet if st.said else "one source"
    noun = "source" if st.total == 1 else "sources"
    told = f"{st.sources} of {st.total} {noun} ({st.independent} independent)"
    return f"disputed between {told}" if st.section == "conflict" else told


def _outlets(cmp: Comparison) -> dict[str, str]:
    return {s.article_id: s.outlet or s.article_id[:10] for s in cmp.sources}


def _spans(claims: Sequence[Claim]) -> tuple[tuple[int, int], ...]:
    return tuple(
        sorted(
            {(max(0, c.start - c.sentence_start), max(0, c.end - c.sentence_start)) for c in claims}
        )
    )


def _mergeable(a: ClaimGroup, b: ClaimGroup) -> bool:
    """Two agreements read from the same sentence of every voice ("to $2.90 from $2.50")
    are one statement."""
    if a.label != "agree" or b.label != "agree":
        return False
    if set(a.voices) != set(b.voices):
        return False
    where_a = {(c.article_id, c.sentence_start) for c in a.claims}
    where_b = {(c.article_id, c.sentence_start) for c in b.claims}
    return where_a == where_b


def statements(cmp: Comparison) -> list[Statement]:
    """The comparison's rows in reading order (the groups' own order, :func:`rank`),
    agreements read from the same sentences merged into one row."""
    outlets = _outlets(cmp)
    total = len(cmp.sources) + sum(len(s.copies) for s in cmp.sources)
    runs: list[list[ClaimGroup]] = []
    for g in cmp.groups:
        twin = next((r for r in runs if _mergeable(r[0], g)), None)
        if twin is not None:
            twin.append(g)
        else:
            runs.append([g])
    rows = []
    for run in runs:
        head = run[0]
        by_voice: dict[str, list[Claim]] = {}
        for g in run:
            for v, c in zip(g.voices, g.claims, strict=True):
                by_voice.setdefault(v, []).append(c)
        if len(run) > 1:
            covering = [
                dataclasses.replace(
                    cs[0], start=min(c.start for c in cs), end=max(c.end for c in cs)
                )
                for cs in by_voice.values()
            ]
            text = statement(covering)
        else:
            text = head.topic
        echoes = {e for g in run for e in g.echoes}
        rows.append(
            Statement(
                section=section_of(head),
                kind=head.kind,
                text=text,
                reason=head.reason,
                sources=len(head.voices) + len(echoes),
                independent=len(head.voices),
                total=total,
                said=tuple(
                    Said(v, outlets.get(v, v[:10]), cs[0].sentence, _spans(cs))
                    for v, cs in by_voice.items()
                ),
            )
        )
    return rows


def by_section(rows: Sequence[Statement]) -> dict[str, list[Statement]]:
    """Rows per section, in :data:`SECTION_TITLES` order (empty sections left out)."""
    out: dict[str, list[Statement]] = {}
    for section in SECTION_TITLES:
        found = [r for r in rows if r.section == section]
        if found:
            out[section] = found
    return out


def unique_by_source(rows: Sequence[Statement]) -> dict[str, list[Statement]]:
    """Claims one source makes, grouped by its outlet (sources in first-row order)."""
    out: dict[str, list[Statement]] = {}
    for r in rows:
        if r.section == "unique" and r.said:
            out.setdefault(r.said[0].outlet, []).append(r)
    return out


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _md_said(s: Said) -> str:
    return "".join(f"**{_md(t)}**" if marked else _md(t) for t, marked in s.pieces())


def to_markdown(cmp: Comparison) -> str:
    """The comparison as a Markdown report: sources, then each section's statements."""
    lines = [
        f"# Comparison{' of story ' + cmp.story_id if cmp.story_id else ''}",
        "",
        "## Sources",
        "",
    ]
    outlets = _outlets(cmp)
    for s in cmp.sources:
        copies = (
            f" (with {len(s.copies)} cop{'y' if len(s.copies) == 1 else 'ies'} folded in)"
            if s.copies
            else ""
        )
        when = f", {s.published.isoformat()}" if s.published else ""
        lines.append(
            f"- **{_md(outlets[s.article_id])}**: {_md(s.title or s.article_id)}{when}{copies}"
        )
    sections = by_section(statements(cmp))
    for section, rows in sections.items():
        lines += ["", f"## {SECTION_TITLES[section]} ({len(rows)})", ""]
        if section == "unique":
            for outlet, mine in unique_by_source(rows).items():
                lines += [f"### {_md(outlet)} ({len(mine)})", ""]
                lines += [f"- {_md(r.text)}" for r in mine]
                lines.append("")
            continue
        for r in rows:
            lines.append(f"- **{_md(r.text)}** — {support(r)}")
            if r.reason:
                lines.append(f"  - _{_md(r.reason)}_")
            lines += [f"  - {_md(s.outlet)}: {_md_said(s)}" for s in r.said]
    return "\n".join(lines).rstrip("\n") + "\n"


def said_html(s: Said) -> str:
    """A source's sentence as escaped HTML with the claim's words in ``<mark>``."""
    e = html.escape
    return "".join(f"<mark>{e(t)}</mark>" if marked else e(t) for t, marked in s.pieces())


def to_html(cmp: Comparison) -> str:
    """The comparison as a self-contained HTML page (no external assets)."""
    e = html.escape
    outlets = _outlets(cmp)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>unspin compare{' ' + e(cmp.story_id) if cmp.story_id else ''}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
        "li{margin:.3rem 0}.conflict h2{color:#a40000}.differ h2{color:#8a5a00}"
        ".agree h2{color:#1d6b1d}.support,.reason{color:#444}.reason{font-style:italic}"
        "mark{background:#fff2a8}</style>",
        "</head><body>",
        f"<h1>Comparison{' of story ' + e(cmp.story_id) if cmp.story_id else ''}</h1>",
        "<h2>Sources</h2><ul>",
    ]
    for s in cmp.sources:
        copies = f" ({len(s.copies)} copies folded in)" if s.copies else ""
        parts.append(
            f"<li><strong>{e(outlets[s.article_id])}</strong>: {e(s.title or s.article_id)}{e(copies)}</li>"
        )
    parts.append("</ul>")
    for section, rows in by_section(statements(cmp)).items():
        parts.append(
            f'<section class="{section}"><h2>{e(SECTION_TITLES[section])} ({len(rows)})</h2>'
        )
        if section == "unique":
            for outlet, mine in unique_by_source(rows).items():
                parts.append(f"<details><summary>{e(outlet)} ({len(mine)})</summary><ul>")
                parts += [f"<li>{said_html(r.said[0])}</li>" for r in mine]
                parts.append("</ul></details>")
        else:
            parts.append("<ul>")
            for r in rows:
                said = "".join(
                    f"<li><strong>{e(s.outlet)}</strong>: {said_html(s)}</li>" for s in r.said
                )
                reason = f'<div class="reason">{e(r.reason)}</div>' if r.reason else ""
                parts.append(
                    f'<li><strong>{e(r.text)}</strong> <span class="support">— {e(support(r))}'
                    f"</span>{reason}<ul>{said}</ul></li>"
                )
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
