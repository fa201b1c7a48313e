#!/usr/bin/env python3
"""Rebuild examples/crawl/news.warc.gz, the bundled example WARC.

The WARC holds two HTTP response records (plus a leading warcinfo record):

* the Midland Post's HAND-EDITED copy of the Aldermoor flood-forecasting
  story (story B; the original is examples/flood-ai/original-wexcombe-gazette.html);
* the Southport Daily Ledger's independent report on the Harrowmouth
  harbour bridge collapse (story A).

The HTML of both pages lives only here (not as separate .html files under
examples/), so each article is ingested exactly once.  All texts are
fictional and were written for the unspin project (CC0).

The output is reproducible: record ids and dates are fixed, so running
this script twice produces byte-identical files.

Usage:  .venv/bin/python scripts/make_example_warc.py [OUTPUT]
"""

from __future__ import annotations

import html
import sys
import uuid
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "examples" / "crawl" / "news.warc.gz"

# --------------------------------------------------------------------------
# Story B, hand-edited copy (Midland Post).  Compared with the original:
# the lead and the trial sentence are reworded, one sentence is added (the
# grant), and three sentences are cut (the faulty-readings sentence, the
# journal/code paragraph, and "Last time we had about three hours.").
# --------------------------------------------------------------------------
EDITED_URL = "https://midlandpost.example/science/2026/03/06/ai-flood-warnings-aldermoor"
EDITED_TITLE = "Aldermoor researchers train AI to give three days' warning of floods"
EDITED_AUTHOR = "Midland Post Staff"
EDITED_PUBLISHED = "2026-03-06T09:45:00+00:00"
EDITED_PARAGRAPHS = [
    "Researchers at Aldermoor University have developed an artificial intelligence system "
    "that can warn of flash floods on the River Tamsin as much as 72 hours in advance, "
    "the university announced on Wednesday.",
    "The system, called Brightwater, combines a deep learning model with decades of "
    "rainfall records, river gauge readings and satellite images. In tests on 14 past "
    "floods, it gave a correct warning for 12 of them, compared with 8 for the forecasting "
    "tools the regional flood office uses today.",
    "The project was paid for with a grant of 1.2 million pounds from the Tamsin Valley "
    "Rivers Trust.",
    "\u201cFloods in this valley are getting faster and harder to see coming,\u201d said "
    "Professor Ingrid Solberg, who leads the university\u2019s hydroinformatics lab. "
    "\u201cClimate change means heavy rain arrives in shorter, sharper bursts, and the old "
    "models simply cannot keep up.\u201d",
    "At the heart of Brightwater is a neural network trained on more than 40 years of data "
    "from 230 monitoring stations. The team also tested a simpler machine learning approach "
    "based on a random forest, which performed well on small streams but missed several "
    "large events on the main river.",
    "Solberg said the hardest part of the work was not the model itself but the quality of "
    "the measurements. Many older gauges produce readings with a poor signal to noise "
    "ratio, especially during storms, when debris and turbulence disturb the sensors.",
    "\u201cPeople talk about big data as if more numbers automatically mean better "
    "answers,\u201d said Dr Marcus Oyelaran, a data scientist on the project. \u201cIn "
    "practice, most of our time went into cleaning the data we already had.\u201d",
    "Brightwater will be run by the regional flood office next to its current tools in a "
    "year-long trial beginning in April. Officials stressed that human forecasters will "
    "continue to make the final decision on public warnings.",
    "Residents of Lower Wexcombe, where a flood in 2024 damaged more than 300 homes, "
    "welcomed the news. \u201cThree days is enough time to move the car and lift the "
    "furniture,\u201d said local shopkeeper Helen Marsh.",
]

# --------------------------------------------------------------------------
# Story A, independent report (Southport Daily Ledger).
# --------------------------------------------------------------------------
LEDGER_URL = "https://southport-ledger.example/news/2026/03/11/harrowmouth-bridge-corrosion-warning"
LEDGER_TITLE = "Harrowmouth bridge collapse: inspectors had flagged corrosion, records show"
LEDGER_AUTHOR = "Callum Ferreira"
LEDGER_PUBLISHED = "2026-03-11T12:05:00+00:00"
LEDGER_PARAGRAPHS = [
    "Engineers warned more than two years ago that steel supports beneath the Tollgate "
    "Harbour Bridge in Harrowmouth were corroding, according to inspection records seen by "
    "the Ledger, a day after a 40-metre section of the bridge fell into the harbour.",
    "The span gave way at about 6:40 pm on Tuesday, sending two cars and a delivery van into "
    "the water. Seven people were taken to Harrowmouth General Hospital, one of them in "
    "critical condition. Fourteen people were pulled from the harbour by coastguard crews "
    "and the owners of nearby fishing boats. No one was killed.",
    "A 2023 inspection report, prepared for the Harrowmouth Port Authority, rated the "
    "bridge\u2019s overall condition as \u201cfair\u201d but noted \u201cmoderate to advanced "
    "corrosion\u201d on two of its steel piers and recommended repairs \u201cwithin 36 "
    "months\u201d. The repairs had been scheduled for the summer of 2026, a Port Authority "
    "spokesperson, Gideon Lusk, confirmed on Wednesday.",
    "\u201cThe bridge was inspected on schedule and was judged safe for traffic,\u201d Lusk "
    "said. \u201cWe will cooperate fully with the investigation, and we will not speculate "
    "about the cause until it is complete.\u201d",
    "The State Infrastructure Safety Board has sent a team of six investigators to the site. "
    "Its chair, Rosalind Achterberg, said divers would begin examining the fallen section on "
    "Thursday once the harbour currents allowed.",
    "Fire Chief Moira Castellane, whose crews led the rescue, praised the fishing crews who "
    "reached the water first. \u201cIt is a miracle that no one was killed,\u201d she said. "
    "\u201cThose boats were there within minutes, and they saved lives.\u201d",
    "Independent structural engineer Farah Lindgren, who has studied several bridges of the "
    "same design, cautioned against drawing early conclusions. \u201cCorrosion on a report "
    "is not the same thing as a cause,\u201d she said. \u201cThe investigators will need to "
    "look at the bearings, the deck joints and the loads on the night.\u201d",
    "The bridge, which opened in 1962, carried about 18,000 vehicles a day. Mayor Alan "
    "Pritchard said the city would run extra ferries across the harbour free of charge "
    "until further notice. Drivers are being diverted along Ashgate Road, which adds about "
    "25 minutes to the crossing.",
]


def _paras(paragraphs: list[str]) -> str:
    return "\n".join(f"        <p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def midland_post_page() -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(EDITED_TITLE)} | Midland Post</title>
  <meta name="author" content="{EDITED_AUTHOR}">
  <meta name="description" content="A new flood-forecasting system from Aldermoor University gave correct warnings for 12 of 14 past floods.">
  <meta property="og:site_name" content="Midland Post">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{html.escape(EDITED_TITLE)}">
  <meta property="og:url" content="{EDITED_URL}">
  <meta property="article:published_time" content="{EDITED_PUBLISHED}">
  <meta property="article:section" content="Science">
  <link rel="canonical" href="{EDITED_URL}">
  <link rel="stylesheet" href="/static/css/post.css">
</head>
<body>
  <header class="masthead">
    <a class="logo" href="https://midlandpost.example/">Midland Post</a>
    <nav class="main-nav" aria-label="Sections">
      <ul>
        <li><a href="/news/">News</a></li>
        <li><a href="/politics/">Politics</a></li>
        <li><a href="/science/">Science</a></li>
        <li><a href="/business/">Business</a></li>
        <li><a href="/sport/">Sport</a></li>
        <li><a href="/weather/">Weather</a></li>
      </ul>
    </nav>
    <a class="subscribe" href="/subscribe/">Subscribe from 1 pound a week</a>
  </header>
  <main>
    <article class="story">
      <p class="kicker"><a href="/science/">Science</a></p>
      <h1>{html.escape(EDITED_TITLE)}</h1>
      <p class="byline">By {EDITED_AUTHOR} &middot; <time datetime="{EDITED_PUBLISHED}">6 March 2026, 9:45am</time></p>
      <div class="share-bar" role="group" aria-label="Share">
        <span>Share</span>
        <a href="https://social.example/share?u={EDITED_URL}">Post</a>
        <a href="mailto:?subject=Flood%20warnings">Email</a>
        <button type="button">Copy link</button>
      </div>
      <figure class="lead-image">
        <img src="/media/2026/03/tamsin-gauge.jpg" alt="A river level gauge on the banks of the Tamsin" width="1200" height="675">
        <figcaption>A river gauge on the Tamsin near Lower Wexcombe. Photo: Midland Post/Kit Adeleke</figcaption>
      </figure>
      <div class="story-body">
{_paras(EDITED_PARAGRAPHS)}
      </div>
      <aside class="newsletter-box">
        <h2>The Midland Morning</h2>
        <p>Sign up for our morning newsletter and get the region's top stories before breakfast.</p>
        <form action="/newsletter/" method="post"><input type="email" name="email" placeholder="Your email"><button>Sign up</button></form>
      </aside>
    </article>
    <aside class="related">
      <h2>More from Science</h2>
      <ul>
        <li><a href="/science/2026/03/02/bees-return-to-orchards/">Wild bees return to valley orchards</a></li>
        <li><a href="/science/2026/02/27/observatory-funding/">Observatory secures funding for new telescope</a></li>
      </ul>
    </aside>
  </main>
  <footer class="site-footer">
    <ul>
      <li><a href="/about/">About us</a></li>
      <li><a href="/contact/">Contact</a></li>
      <li><a href="/privacy/">Privacy policy</a></li>
      <li><a href="/terms/">Terms of use</a></li>
    </ul>
    <p>&copy; 2026 Midland Post Media Ltd. All rights reserved.</p>
  </footer>
</body>
</html>
"""


def ledger_page() -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{html.escape(LEDGER_TITLE)} - Southport Daily Ledger</title>
  <meta name="author" content="{LEDGER_AUTHOR}">
  <meta property="og:site_name" content="Southport Daily Ledger">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{html.escape(LEDGER_TITLE)}">
  <meta property="article:published_time" content="{LEDGER_PUBLISHED}">
  <link rel="canonical" href="{LEDGER_URL}">
</head>
<body>
  <div class="top-bar"><a href="/login">Log in</a> | <a href="/subscribe">Subscribe</a></div>
  <header>
    <a href="https://southport-ledger.example/" class="brand">Southport Daily Ledger</a>
    <nav>
      <a href="/news/">News</a>
      <a href="/region/">Region</a>
      <a href="/opinion/">Opinion</a>
      <a href="/business/">Business</a>
      <a href="/sport/">Sport</a>
    </nav>
  </header>
  <main id="content">
    <article>
      <h1>{html.escape(LEDGER_TITLE)}</h1>
      <div class="meta">
        <span class="author">By {LEDGER_AUTHOR}</span>
        <time datetime="{LEDGER_PUBLISHED}">March 11, 2026</time>
        <span class="read-time">5 min read</span>
      </div>
      <figure>
        <img src="/img/2026/03/tollgate-span.jpg" alt="The collapsed span of the Tollgate Harbour Bridge" width="1024" height="576">
        <figcaption>The collapsed span of the Tollgate Harbour Bridge on Wednesday. Source: Southport Daily Ledger / Anika Brandt</figcaption>
      </figure>
      <div class="article-text">
{_paras(LEDGER_PARAGRAPHS)}
      </div>
      <div class="share-tools">
        <p>Share this with family and friends</p>
        <a href="https://social.example/share?u={LEDGER_URL}">Share</a>
        <a href="mailto:?subject=Harrowmouth%20bridge">Email</a>
      </div>
      <div class="newsletter-signup">
        <p>Sign up for our morning newsletter: the Ledger Briefing, in your inbox at 7am.</p>
        <a href="/newsletters/">Sign up</a>
      </div>
    </article>
  </main>
  <footer>
    <nav><a href="/about">About</a> <a href="/corrections">Corrections</a> <a href="/privacy">Privacy</a> <a href="/contact">Contact</a></nav>
    <p>Copyright &copy; 2026 Southport Daily Ledger. All rights reserved.</p>
  </footer>
</body>
</html>
"""


PAGES = [
    # (target URI, fetch date, HTTP Last-Modified, html)
    (EDITED_URL, "2026-03-07T08:00:00Z", "Fri, 06 Mar 2026 09:45:00 GMT", midland_post_page),
    (LEDGER_URL, "2026-03-11T18:30:00Z", "Wed, 11 Mar 2026 12:05:00 GMT", ledger_page),
]

_NS = uuid.UUID("6f0d5a3e-5c1e-4d7a-9a51-756e7370696e")  # fixed namespace -> stable ids


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NS, name)}>"


def build(out: Path = DEFAULT_OUT) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        info = writer.create_warcinfo_record(
            out.name,
            {
                "software": "unspin scripts/make_example_warc.py (warcio)",
                "format": "WARC File Format 1.0",
                "description": "Fictional example pages for unspin; CC0 public domain dedication.",
            },
        )
        info.rec_headers.replace_header("WARC-Date", "2026-03-11T18:30:00Z")
        info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo"))
        writer.write_record(info)
        for uri, fetched, last_modified, page in PAGES:
            body = page().encode("utf-8")
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("Last-Modified", last_modified),
                ],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Date": fetched,
                    "WARC-Record-ID": _record_id(uri),
                },
            )
            writer.write_record(record)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    print(build(target))
