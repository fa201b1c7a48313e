"""The web app in a real headless Chromium (Debian's), driven by Playwright.

Starts ``unspin serve`` on a free loopback port over a database built from examples/,
clicks from the stories list to a story and on to a spun copy's pair page, checks the
highlighted substitutions, and runs basic accessibility checks (labels, one h1 and a
heading order, visible keyboard focus, text contrast >= 4.5:1) on every page. Each page's
screenshot lands in test-artifacts/.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MIN_CONTRAST = 4.5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"unspin serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


UNSPIN = Path(sys.executable).parent / "unspin"


def examples_db(folder: Path) -> Path:
    """A database at ``folder/examples.db`` holding examples/, added as a user would."""
    db = folder / "examples.db"
    subprocess.run(
        [str(UNSPIN), "--db", str(db), "add", str(ROOT / "examples")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return db


@contextmanager
def serving(db: Path, *args: str) -> Iterator[str]:
    """``unspin serve`` over ``db`` on a free loopback port (``$UNSPIN_TOKEN`` cleared),
    with ``args`` added; yields its base URL once it answers, stops it after."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "UNSPIN_TOKEN"}
    proc = subprocess.Popen(
        [str(UNSPIN), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(base + "/api/summary", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    pytest.importorskip("playwright")
    with serving(examples_db(tmp_path_factory.mktemp("browser"))) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# --- accessibility checks (run inside the page) ---------------------------------------

_A11Y_JS = """
() => {
  const problems = [];
  // 1. every form control has an accessible name from a label
  for (const el of document.querySelectorAll('input, textarea, select')) {
    if (['hidden', 'submit', 'button'].includes(el.type)) continue;
    const labelled = (el.id && document.querySelector(`label[for="${el.id}"]`))
      || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
    if (!labelled) problems.push(`unlabelled ${el.tagName} ${el.name}`);
  }
  // 2. one h1, and no heading level skipped on the way down
  const heads = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]);
  if (heads.filter(l => l === 1).length !== 1) problems.push(`h1 count ${heads.filter(l => l === 1).length}`);
  if (heads[0] !== 1) problems.push('first heading is not h1');
  for (let i = 1; i < heads.length; i++) {
    if (heads[i] > heads[i - 1] + 1) problems.push(`heading h${heads[i - 1]} -> h${heads[i]}`);
  }
  // 3. text contrast, from computed styles (background: nearest opaque ancestor)
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.99)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || el.closest('[hidden]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) continue;
    const fg = rgb(style.color).slice(0, 3), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    checked++;
    if (ratio < %MIN%) problems.push(`contrast ${ratio.toFixed(2)} ${el.tagName}.${el.className}: ${el.textContent.trim().slice(0, 40)}`);
  }
  if (!checked) problems.push('no text checked');
  return problems;
}
""".replace("%MIN%", str(MIN_CONTRAST))

_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {tag: el.tagName, outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow};
}
"""


def _check_a11y(page) -> None:  # type: ignore[no-untyped-def]
    problems = page.evaluate(_A11Y_JS)
    assert problems == [], f"{page.url}: {problems}"
    # keyboard: Tab moves focus onto a link and the focus ring shows
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focus = page.evaluate(_FOCUS_JS)
    assert focus is not None, f"{page.url}: Tab focused nothing"
    assert focus["outline"] != "none" and focus["width"] >= 2, (
        f"{page.url}: focus not visible {focus}"
    )


def _features(server: str) -> dict[str, bool]:
    with urllib.request.urlopen(server + "/api/summary", timeout=10) as r:
        return dict(json.load(r)["features"])


def _open_spun_pair(page, server: str) -> None:  # type: ignore[no-untyped-def]
    """From the front page to a story, then to a spun copy's pair page, by clicking."""
    page.goto(server + "/")
    _shot(page, "1-stories")
    _check_a11y(page)
    if _features(server)["stories"]:
        page.locator("ol.cards a").filter(has_text="Aldermoor").first.click()
    else:  # the front page lists articles: go to the story through a copy's page
        page.locator("ol.cards a").filter(has_text="discloses").first.click()
        page.wait_for_selector("h2#text-h")
        page.get_by_role("link", name="its story").click()
    page.wait_for_selector("h2#timeline-h")
    _shot(page, "2-story")
    _check_a11y(page)
    page.locator(".tree li:has(> .node .rel-spun_copy) a.pair-link").first.click()
    page.wait_for_selector(".pair")


def test_click_through_to_spun_pair_with_highlights(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _open_spun_pair(page, server)
    assert "/pairs/" in page.url
    assert page.locator("h1").inner_text().lower().startswith("spun copy")
    swaps = page.locator(".pair-cell.copy .swap")
    assert swaps.count() >= 20  # the example spun copy swapped dozens of words
    first = swaps.first
    original, spun = first.locator("del").inner_text(), first.locator("ins").inner_text()
    assert original and spun and original != spun
    assert f"“{original}”" in (first.get_attribute("title") or "")
    # each swap shows on both sides: struck in the source, replaced in the copy
    assert page.locator(".pair-cell.source del.swapped").count() == swaps.count()
    rates = page.locator(".rates dd").all_inner_texts()
    assert rates[0].endswith("%") and rates[1].endswith("%")
    n_listed = sum(int(t) for t in page.locator("table.subs tbody td:last-child").all_inner_texts())
    assert n_listed == int(rates[2]) >= 20
    _shot(page, "4-pair")
    _check_a11y(page)


def test_pair_highlights_are_visible_colours(page, server: str) -> None:  # type: ignore[no-untyped-def]
    _open_spun_pair(page, server)
    colours = page.evaluate(
        """() => ['.pair-cell.copy .swap del', '.pair-cell.copy .swap ins'].map(
             s => getComputedStyle(document.querySelector(s)).backgroundColor)"""
    )
    assert colours[0] != colours[1] and "rgba(0, 0, 0, 0)" not in colours


def test_article_page_and_boilerplate(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/articles?q=unveils")
    page.locator("ol.cards a").first.click()
    page.wait_for_selector("h2#text-h")
    _shot(page, "3-article")
    _check_a11y(page)
    assert page.locator(".text p").count() >= 3


def test_search_box_finds_articles(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/articles")
    page.get_by_label("Search titles and text").fill("fares")
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles?q=fares")
    assert page.locator("ol.cards li").count() >= 1
    assert "match “fares”" in page.locator("p.count").inner_text()


def test_add_page_batch_progress_updates(page, server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(server + "/add")
    _shot(page, "5-add")
    _check_a11y(page)
    page.get_by_label("Addresses, one per line").fill("http://127.0.0.1:9/not-public")
    page.get_by_role("button", name="Fetch and add").click()
    page.wait_for_url("**/jobs/*")
    # the page polls /api/jobs/{id} and fills in the outcome without a reload
    page.wait_for_selector('[data-field="result"]:not([hidden])', timeout=20_000)
    assert page.locator('[data-field="state"]').inner_text() == "done"
    assert "non-public address" in page.locator('[data-field="failed"]').inner_text()
    _shot(page, "6-job")


def test_pasted_payload_is_inert(page, server: str) -> None:  # type: ignore[no-untyped-def]
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    page.goto(server + "/add")
    page.get_by_label("Title (optional)").fill("<img src=x onerror=alert(1)>Payload")
    page.get_by_label("Article text").fill(
        "A pasted article <script>alert(2)</script> with <b onmouseover=alert(3)>markup</b> inside."
    )
    page.get_by_role("button", name="Add this article").click()
    page.wait_for_selector("h2#text-h")
    page.hover("text=markup")
    assert fired == []
    assert "<script>alert(2)</script>" in page.locator(".text").inner_text()
