"""Sample articles for the provenance tests (written for this project) and a toy spinner."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from unspin.model import Article

ORIGINAL = """\
Heavy rain flooded the harbour district of Port Allen on Tuesday night, forcing more than 300 residents to leave their homes, the city council said on Wednesday.

The river rose by nearly two metres in six hours after a storm stalled over the hills north of the town. Fire crews used small boats to reach families trapped on the upper floors of older buildings near the docks.

Mayor Helen Ortiz said the emergency shelters at the sports hall and the central library would stay open for the rest of the week. "We are asking people to stay away from the water and to check on their neighbours," she told reporters outside the town hall.

The regional weather office warned that more rain was expected on Thursday and that the ground was already saturated. Engineers were inspecting the old stone bridge on Mill Street, which was closed to traffic as a precaution.

Local businesses near the harbour reported serious damage to stock and equipment. The chamber of commerce said it would open a fund to help small shops recover, and the national government promised to send additional pumps and trained staff by Friday morning.
"""

UNRELATED = """\
The national orchestra announced its new season on Monday, with a programme that mixes familiar symphonies with six works by young composers from across the country.

The conductor, Marta Lindqvist, said the orchestra wanted to reach audiences who rarely attend concerts. Tickets for students will cost half the usual price, and several evening concerts will be broadcast live on public radio.

The season opens in September with a performance of a late symphony, followed by a festival of chamber music in the old customs house. The orchestra will also tour four smaller towns in the spring, playing in schools and community halls.
"""

# An independent report of the same event: the same names and figures, its own words.
SAME_STORY = """\
Hundreds of people in Port Allen spent Tuesday night in emergency shelters after the river burst its banks and water poured into streets around the harbour.

Residents described waking to find water at their doors. Rescue teams in boats moved through the flooded district until dawn, and the council later put the number of people evacuated at just over 300.

Speaking outside the town hall, Mayor Helen Ortiz urged everyone to keep clear of flooded roads. Forecasters expect another band of heavy rain on Thursday, and the Mill Street bridge remains shut while engineers assess it.
"""

# A paragraph and a heavy spin of it in the manner of real spinner output (written for
# this project): content words swapped, and function words too ("Although" → "In spite
# of the fact that", "about" → "concerning"), so no LSH band and too few anchors are
# shared; only an embedding neighbour proposes the pair.
HEAVY_ORIGINAL = (
    "Although the harbour authority had warned fishermen about the approaching storm, several "
    "small boats left the port before dawn and were caught by strong winds near the northern "
    "reef. Rescue crews searched the rough water for most of the morning, and every sailor was "
    "eventually brought back to shore, tired and cold but without serious injuries."
)
HEAVY_SPUN = (
    "In spite of the fact that the port specialist had cautioned anglers concerning the "
    "approaching tempest, a few little vessels exited the port prior to sunrise and got trapped "
    "by solid breezes close to the northerly reef. Salvage teams looked through the harsh water "
    "during the greater part of the morning, and each mariner was at last carried back to land, "
    "worn out and chilly yet with no genuine wounds."
)

# The toy spinner's thesaurus: content words of ORIGINAL → synonyms (never names).
SYNONYMS = {
    "heavy": "weighty",
    "rain": "precipitation",
    "flooded": "inundated",
    "district": "quarter",
    "night": "evening",
    "forcing": "compelling",
    "residents": "inhabitants",
    "leave": "depart",
    "homes": "dwellings",
    "city": "municipal",
    "said": "stated",
    "river": "stream",
    "rose": "climbed",
    "nearly": "almost",
    "metres": "meters",
    "hours": "hrs",
    "storm": "tempest",
    "stalled": "stopped",
    "hills": "slopes",
    "town": "township",
    "crews": "teams",
    "used": "utilized",
    "small": "little",
    "boats": "vessels",
    "reach": "achieve",
    "families": "households",
    "trapped": "caught",
    "upper": "higher",
    "floors": "storeys",
    "older": "aged",
    "buildings": "structures",
    "docks": "wharves",
    "emergency": "crisis",
    "shelters": "refuges",
    "sports": "athletics",
    "hall": "auditorium",
    "central": "main",
    "library": "archive",
    "stay": "remain",
    "open": "accessible",
    "rest": "remainder",
    "week": "period",
    "asking": "requesting",
    "people": "individuals",
    "water": "liquid",
    "check": "verify",
    "neighbours": "neighbors",
    "told": "informed",
    "reporters": "journalists",
    "regional": "provincial",
    "weather": "climate",
    "office": "bureau",
    "warned": "cautioned",
    "expected": "anticipated",
    "ground": "soil",
    "already": "previously",
    "saturated": "soaked",
    "engineers": "technicians",
    "inspecting": "examining",
    "old": "ancient",
    "stone": "rock",
    "bridge": "span",
    "closed": "shut",
    "traffic": "vehicles",
    "precaution": "safeguard",
    "local": "neighbourhood",
    "businesses": "companies",
    "reported": "described",
    "serious": "severe",
    "damage": "harm",
    "stock": "inventory",
    "equipment": "gear",
    "chamber": "council",
    "commerce": "trade",
    "fund": "pool",
    "help": "aid",
    "shops": "stores",
    "recover": "recuperate",
    "national": "federal",
    "government": "administration",
    "promised": "pledged",
    "send": "dispatch",
    "additional": "extra",
    "pumps": "pumping units",
    "trained": "skilled",
    "staff": "personnel",
    "morning": "dawn",
}

T0 = datetime(2024, 3, 5, 9, 0, tzinfo=UTC)


def spin(text: str, rate: float, seed: int = 0) -> tuple[str, list[tuple[int, int]]]:
    """Swap ``rate`` of the swappable words of ``text``; return it and the swapped spans."""
    rng = random.Random(seed)
    matches = [m for m in re.finditer(r"[A-Za-z]+", text) if m.group().lower() in SYNONYMS]
    chosen = sorted(rng.sample(matches, round(rate * len(matches))), key=lambda m: m.start())
    out, spans, pos = [], [], 0
    for m in chosen:
        rep = SYNONYMS[m.group().lower()]
        if m.group()[0].isupper():
            rep = rep[0].upper() + rep[1:]
        out.append(text[pos : m.start()])
        start = sum(len(x) for x in out)
        out.append(rep)
        spans.append((start, start + len(rep)))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), spans


def edit(text: str) -> str:
    """A hand edit: drop the last paragraph, add a sentence, reword one sentence."""
    paras = text.strip().split("\n\n")[:-1]
    paras[1] = paras[1].replace(
        "Fire crews used small boats", "Firefighters in rubber dinghies worked through the night"
    )
    paras.append("Readers can send photos of the flooding to our newsroom by email.")
    return "\n\n".join(paras)


def article(text: str, hours: float | None = None, **meta: object) -> Article:
    """An article published ``hours`` after T0 (None: no date)."""
    published = None if hours is None else T0 + timedelta(hours=hours)
    return Article.create(text, published=published, **meta)


def hosts_of_one_paragraph() -> list[Article]:
    """Five articles, each 300 words of its own (made-up content words between function
    words drawn at random, so no two share a phrase or a skeleton) around one shared
    paragraph of ORIGINAL: too little shared for an LSH band, enough anchors."""
    shared = "\n\n".join(ORIGINAL.split("\n\n")[1:3])
    glue = ["the", "of", "and", "in", "to", "a", "with", "for", "on", "by", "from", "at"]
    hosts = []
    for k in range(5):
        rng = random.Random(k)
        words = [f"vel{k}{chr(97 + i % 26)}{i}" if i % 2 else rng.choice(glue) for i in range(300)]
        own = ". ".join(" ".join(words[i : i + 12]) for i in range(0, 300, 12))
        hosts.append(article(f"{own}.\n\n{shared}", k, title=f"host {k}"))
    return hosts
