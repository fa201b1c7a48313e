"""Background document frequencies: how common each name or number is in news at large.

Story clustering weighs the names and numbers two articles share by their rarity. A
store's own document frequencies say nothing while it is small (two reports of one
phone call, alone in a store, share names that then look "common" and count for
nothing), so every term's document frequency starts from a shipped background table
(``assets/stories/background_df.tsv.gz``, built by ``scripts/build_background_df.py``
from wordfreq's English word frequencies, data CC BY-SA 4.0) and the store's own counts
are added to it:

    idf(t) = log((BACKGROUND_DOCS + n + 1) / (df_background(t) + df_store(t) + 0.5))

With a few articles the background decides ("monday" is common, "mori" rare); with
thousands, the store's own counts do.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from unspin.errors import UnspinError

__all__ = ["BACKGROUND_DOCS", "Background", "background"]

# The pseudo-documents the shipped table counts (scripts/build_background_df.py): small
# beside a real store (772 ECB+ articles already weigh as much as 77 % of it), so the
# store's own counts take over as it grows.
BACKGROUND_DOCS = 1000


@dataclass(frozen=True)
class Background:
    """A background document-frequency table: ``df`` over ``n_docs`` documents."""

    df: dict[str, int]
    n_docs: int

    def get(self, term: str) -> int:
        """The background document frequency of ``term`` (0 if the table lacks it: rare)."""
        return self.df.get(term, 0)


EMPTY = Background({}, 0)


@lru_cache(maxsize=1)
def background() -> Background:
    """The shipped table (read once per process).

    Raises:
        UnspinError: the packaged table is missing or damaged (a broken install).
    """
    path = resources.files("unspin") / "assets" / "stories" / "background_df.tsv.gz"
    try:
        lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
        head, n = lines[0].split("\t")
        if head != "#docs" or int(n) != BACKGROUND_DOCS:
            raise ValueError(f"header {lines[0]!r}, expected '#docs\\t{BACKGROUND_DOCS}'")
        df = {t: int(c) for t, c in (line.split("\t") for line in lines[1:] if line)}
    except (OSError, ValueError, IndexError) as exc:
        raise UnspinError(
            f"{path}: background document frequencies unreadable ({exc}); reinstall unspin "
            "or rebuild with scripts/build_background_df.py"
        ) from exc
    return Background(df, BACKGROUND_DOCS)
