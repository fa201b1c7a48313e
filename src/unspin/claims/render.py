"""A comparison as data, Markdown or HTML (the terminal table lives in the CLI).

:func:`unspin.serialize.comparison_to_dict` is the JSON shape (docs/api.md); Markdown and
HTML are rendered from it, so all formats say the same thing.
"""

from __future__ import annotations

import html

from unspin.model import Comparison

__all__ = ["LABEL_TITLES", "to_html", "to_markdown"]

LABEL_TITLES = {
    "conflict": "Conflicts",
    "differ": "Differences",
    "agree": "Agreements",
    "unique": "Reported by one source only",
}


def _outlets(cmp: Comparison) -> dict[str, str]:
    return {s.article_id: s.outlet or s.article_id[:10] for s in cmp.sources}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(cmp: Comparison) -> str:
    """The comparison as a Markdown report: sources, then a table per label."""
    outlets = _outlets(cmp)
    lines = [
        f"# Comparison{' of story ' + cmp.story_id if cmp.story_id else ''}",
        "",
        "## Sources",
        "",
    ]
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
    for label, title in LABEL_TITLES.items():
        groups = cmp.by_label(label)
        if not groups:
            continue
        lines += ["", f"## {title} ({len(groups)})", ""]
        if label == "unique":
            lines += ["| source | kind | claim | sentence |", "| --- | --- | --- | --- |"]
            for g in groups:
                c = g.claims[0]
                lines.append(
                    f"| {_md(outlets[g.voices[0]])} | {c.kind} | {_md(c.words)} | {_md(c.sentence)} |"
                )
            continue
        lines += ["| kind | about | what each source says | reason |", "| --- | --- | --- | --- |"]
        for g in groups:
            says = "<br>".join(
                f"**{_md(outlets[v])}**: {_md(c.words)}"
                for v, c in zip(g.voices, g.claims, strict=True)
            )
            lines.append(f"| {g.kind} | {_md(g.topic)} | {says} | {_md(g.reason or '')} |")
    return "\n".join(lines) + "\n"


def to_html(cmp: Comparison) -> str:
    """The comparison as a self-contained HTML page (no external assets)."""
    e = html.escape
    outlets = _outlets(cmp)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>unspin compare{' ' + e(cmp.story_id) if cmp.story_id else ''}</title>",
        "<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse;width:100%;margin-bottom:2rem}td,th{border:1px solid #ccc;"
        "padding:.4rem;vertical-align:top;text-align:left}.conflict h2{color:#a40000}"
        ".differ h2{color:#8a5a00}.agree h2{color:#1d6b1d}.reason{font-style:italic}</style>",
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
    for label, title in LABEL_TITLES.items():
        groups = cmp.by_label(label)
        if not groups:
            continue
        parts.append(f'<section class="{label}"><h2>{e(title)} ({len(groups)})</h2><table>')
        parts.append(
            "<tr><th>kind</th><th>about</th><th>what each source says</th><th>reason</th></tr>"
        )
        for g in groups:
            says = "<br>".join(
                f"<strong>{e(outlets[v])}</strong>: &ldquo;{e(c.words)}&rdquo;"
                for v, c in zip(g.voices, g.claims, strict=True)
            )
            parts.append(
                f"<tr><td>{e(g.kind)}</td><td>{e(g.topic)}</td><td>{says}</td>"
                f'<td class="reason">{e(g.reason or "")}</td></tr>'
            )
        parts.append("</table></section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
