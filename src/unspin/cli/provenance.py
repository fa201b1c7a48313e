"""Commands over copies: ``unspin trace ID`` and ``unspin copies``."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.text import Text
from rich.tree import Tree

from unspin.api import Unspin
from unspin.cli._app import JSON_OPTION, app, console, errors_as_exit, open_store, print_json
from unspin.model import NOT_STORED, Appearance, CopyTree, Relation, Republication
from unspin.serialize import (
    appearance_to_dict,
    relation_to_dict,
    republication_to_dict,
    trace_to_dict,
    tree_to_dict,
)

_KIND_LABEL = {
    "duplicate": "duplicate",
    "edited_copy": "edited copy",
    "spun_copy": "spun copy",
    "rewritten_copy": "rewritten copy",
    "same_story": "same story",
    "unrelated": "unrelated",
}
_KIND_STYLE = {
    "duplicate": "cyan",
    "edited_copy": "yellow",
    "spun_copy": "magenta",
    "rewritten_copy": "red",
}


def _label(u: Unspin, article_id: str) -> str:
    a = u.article(article_id)
    bits = [f"[bold]{article_id[:12]}[/]"]
    if a.title:
        bits.append(escape(a.title[:70]))
    meta = [m for m in (a.outlet, a.published.date().isoformat() if a.published else None) if m]
    if meta:
        bits.append(f"[dim]({escape(', '.join(meta))})[/]")
    return " ".join(bits)


def _relation_label(rel: Relation) -> str:
    style = _KIND_STYLE.get(rel.kind, "white")
    parts = [
        f"[{style}]{_KIND_LABEL[rel.kind]}[/]",
        f"conf {rel.confidence:.2f}",
        f"{rel.reused:.0%} reused",
    ]
    if rel.kind == "spun_copy" and rel.substitutions:
        parts.append(
            f"{len(rel.substitutions)} swaps ({rel.substitution_rate:.0%} of content words)"
        )
    if rel.sentences:
        parts.append(f"{len(rel.sentences)} sentences reworded, {rel.coverage:.0%} of the source")
    if rel.common_source:
        parts.append(f"both copy a common source ({rel.common_source})")
    else:
        parts.append(f"source by {rel.direction}")
    return ", ".join(parts)


def _add_children(u: Unspin, branch: Tree, node: CopyTree) -> None:
    for child in node.children:
        rel, head = child.relation, _label(u, _node_id(child))
        if node.common_source is not None:
            sub = branch.add(f"{head}  [dim]←[/] {_sibling_label(child)}")
        else:
            sub = branch.add(f"{head}  [dim]←[/] {_relation_label(rel)}" if rel else head)
        _add_children(u, sub, child)


def _node_id(node: CopyTree) -> str:
    if node.article_id is None:  # only a root stands for a source not stored
        raise ValueError("a common source not stored has no article")
    return node.article_id


def _sibling_label(member: CopyTree) -> str:
    """How an article runs a common source: its kind and what it shares with a sibling."""
    rel = member.relation
    if rel is None:
        return "runs it"
    other = rel.copy_id if rel.source_id == member.article_id else rel.source_id
    style = _KIND_STYLE.get(rel.kind, "white")
    return (
        f"[{style}]{_KIND_LABEL[rel.kind]}[/], shares {max(rel.reused, rel.coverage):.0%} "
        f"with {other[:12]} (conf {rel.confidence:.2f})"
    )


def _common_source_label(tree: CopyTree) -> str:
    name = tree.common_source or NOT_STORED
    what = "a source not in the store" if name == NOT_STORED else f"{escape(name)}, not stored"
    return f"[yellow]common source[/] {what} [dim](run by {len(tree.children)} articles)[/]"


def word_diff(copy_text: str, rel: Relation) -> Text:
    """The copy's text with each swapped word shown next to its original.

    ``[original → swapped]``: the original struck through in red, the copy's word in
    green; text outside the aligned passages (added by the copier) is dimmed.
    """
    out = Text()
    inside = [(p.copy_start, p.copy_end) for p in rel.passages]

    def plain(start: int, end: int) -> None:
        pos = start
        for s, e in inside:
            s, e = max(s, start), min(e, end)
            if s >= e:
                continue
            if pos < s:
                out.append(copy_text[pos:s], style="dim italic")
            out.append(copy_text[s:e])
            pos = e
        if pos < end:
            out.append(copy_text[pos:end], style="dim italic")

    pos = 0
    for sub in sorted(rel.substitutions, key=lambda s: s.copy_start):
        plain(pos, sub.copy_start)
        out.append("[")
        out.append(sub.source, style="strike red")
        out.append(" → ")
        out.append(sub.copy, style="bold green")
        out.append("]")
        pos = sub.copy_end
    plain(pos, len(copy_text))
    return out


@app.command()
def trace(
    ctx: typer.Context,
    article_id: str = typer.Argument(..., metavar="ID", help="Article id or unique id prefix."),
    diff: bool = typer.Option(
        True, "--diff/--no-diff", help="Show the word diff against the direct source."
    ),
    json_out: bool = JSON_OPTION,
) -> None:
    """Show where an article comes from (its source chain) and every copy made from it.

    For a copy, prints its text with each swapped word next to the original it replaced.
    A text seen word for word at several addresses lists them, the first published first.
    """
    u = open_store(ctx)
    with errors_as_exit():
        t = u.trace(article_id)
        places = u.places(t.article_id)
        if json_out:
            data = trace_to_dict(t)
            data["places"] = [appearance_to_dict(p) for p in places] if len(places) > 1 else []
            print_json(data)
            return
        console.print(f"Article {_label(u, t.article_id)}")
        if len(places) > 1:
            console.print(f"Published word for word at {len(places)} addresses:")
            console.print(f"  [green]first at[/] {_place(places[0])}")
            for place in places[1:]:
                console.print(f"  [cyan]duplicate[/] at {_place(place)}")
        if t.common_source is not None:
            runs = "It runs" if not t.chain else f"{t.original[:12]} runs"
            named = "" if t.common_source == NOT_STORED else f" ({escape(t.common_source)})"
            console.print(
                f"{runs} a [yellow]common source not in the store[/]{named}, "
                f"as {len(t.siblings)} other stored article(s) do:"
            )
            for rel in t.siblings:
                other = rel.copy_id if rel.source_id == t.original else rel.source_id
                console.print(f"  {_label(u, other)} [dim]({_relation_label(rel)})[/]")
        if not t.chain:
            if t.common_source is None:
                console.print(
                    "Source: [green]none found[/] (an original, as far as this store knows)"
                )
        else:
            root = Tree(f"original {_label(u, t.chain[0].source_id)}")
            branch = root
            for rel in t.chain:
                branch = branch.add(f"{_label(u, rel.copy_id)}  [dim]←[/] {_relation_label(rel)}")
            console.print("Source chain:")
            console.print(root)
        if t.churn is not None and t.churn.taken:
            c = t.churn
            console.print(
                f"Taken from its source: {c.taken:.0%} of this article is its source's text "
                f"({c.taken_unquoted:.0%} outside quotation marks, {c.taken_in_quotes:.0%} "
                f"inside them); it uses {c.source_used:.0%} of its source"
            )
        if t.copies.children:
            copies = Tree(f"copies of {t.article_id[:12]}")
            _add_children(u, copies, t.copies)
            console.print(copies)
        else:
            console.print("Copies: none found")
        for rel in t.same_story:
            other = rel.copy_id if rel.source_id == t.article_id else rel.source_id
            console.print(f"Same story: {_label(u, other)} [dim](conf {rel.confidence:.2f})[/]")
        if diff and t.chain and t.chain[-1].sentences:
            last = t.chain[-1]
            console.print(
                f"\nSentence alignment against its source {last.source_id[:12]} (copy ← source):"
            )
            _print_sentences(u, last)
        elif diff and t.chain and t.chain[-1].substitutions:
            last = t.chain[-1]
            console.print(
                f"\nWord diff against its source {last.source_id[:12]} ([red]original[/] → [green]swapped[/]):"
            )
            console.print(word_diff(u.article(t.article_id).text, last))


def _print_sentences(u: Unspin, rel: Relation) -> None:
    """Each reworded sentence of a rewritten copy beside the source sentence it rewords."""
    copy_text, source_text = u.article(rel.copy_id).text, u.article(rel.source_id).text
    for m in rel.sentences:
        console.print(f"[bold]{m.similarity:.2f}[/] {escape(copy_text[m.copy_start : m.copy_end])}")
        console.print(f"     [dim]← {escape(source_text[m.source_start : m.source_end])}[/]")
    if rel.facts_carried is not None:
        console.print(
            f"{rel.facts_carried:.0%} of the copy's names and numbers are in the source; "
            f"{rel.order_kept or 0:.0%} of its matched sentences keep the source's order"
        )
    if rel.added_facts:
        console.print(f"Names and numbers not in the source: {escape(', '.join(rel.added_facts))}")


def _in_trees(forest: list[CopyTree]) -> set[tuple[str, str]]:
    """The (source, copy) pairs the trees draw, common sources' siblings included."""
    drawn: set[tuple[str, str]] = set()
    todo = list(forest)
    while todo:
        node = todo.pop()
        if node.common_source is not None:  # the relations among its siblings
            runs = [c.article_id for c in node.children if c.article_id is not None]
            drawn.update((a, b) for a in runs for b in runs if a != b)
        for child in node.children:
            if child.relation is not None:
                drawn.add((child.relation.source_id, child.relation.copy_id))
            todo.append(child)
    return drawn


@app.command()
def copies(ctx: typer.Context, json_out: bool = JSON_OPTION) -> None:
    """List every copy relation: provenance trees (original → copies → copies of copies),
    then the relations a tree cannot draw (a copy with a second source).

    Articles that run one source the store lacks (a wire story or press release, each
    outlet cutting or adding its own) stand side by side under a "common source" node,
    named after the agency their credit lines name.

    Last, texts published word for word at more than one address (one stored article
    seen at several URLs): where each appeared first, and where it ran since.

    With --json: ``{"trees": [...], "relations": [...], "republished": [...]}``, the
    relations flat.
    """
    u = open_store(ctx)
    with errors_as_exit():
        relations = u.copy_relations()
        forest = u.copies()
        republished = u.republished()
        if json_out:
            print_json(
                {
                    "trees": [tree_to_dict(t) for t in forest],
                    "relations": [relation_to_dict(r, evidence=False) for r in relations],
                    "republished": [republication_to_dict(r) for r in republished],
                }
            )
            return
        if not forest and not republished:
            console.print("No copies found.")
            return
        for tree in forest:
            if tree.common_source is not None:
                root = Tree(_common_source_label(tree))
            else:
                root = Tree(f"[green]original[/] {_label(u, _node_id(tree))}")
            _add_children(u, root, tree)
            console.print(root)
        drawn = _in_trees(forest)
        extra = [r for r in relations if (r.source_id, r.copy_id) not in drawn]
        if extra:
            console.print("Also copied (a second source of a copy shown above):")
            for rel in extra:
                console.print(
                    f"  {_label(u, rel.copy_id)} [dim]←[/] {_label(u, rel.source_id)}: "
                    f"{_relation_label(rel)}"
                )
        if republished:
            _print_republished(u, republished)
        n = sum(t.copies_count() for t in forest)
        places = sum(len(r.copies) for r in republished)
        again = (
            f"; {_count(len(republished), 'text')} republished word for word at "
            f"{_count(places, 'more address', 'more addresses')}"
            if republished
            else ""
        )
        console.print(
            f"[dim]{len(relations)} copy relations: {n} copies in {len(forest)} provenance trees"
            f"{f', {len(extra)} more beside them' if extra else ''}{again}[/]"
        )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _place(place: Appearance) -> str:
    meta = [
        m
        for m in (place.site, place.published.date().isoformat() if place.published else None)
        if m
    ]
    return escape(place.url or "?") + (f" [dim]({escape(', '.join(meta))})[/]" if meta else "")


def _print_republished(u: Unspin, republished: list[Republication]) -> None:
    """The texts seen word for word at several addresses: first place, then the others."""
    console.print("Published word for word at more than one address:")
    for r in republished:
        branch = Tree(_label(u, r.article_id))
        branch.add(f"[green]first at[/] {_place(r.original)}")
        for place in r.copies:
            branch.add(f"[cyan]duplicate[/] at {_place(place)}")
        console.print(branch)
