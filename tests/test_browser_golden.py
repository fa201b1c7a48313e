"""The pages as a person sees them: screenshots in headless Chromium compared with
reviewed golden images, and axe-core's accessibility audit run in the same browser.

Pages (store built from examples/, so the data is fixed and no page shows a clock):
the transit-fare story (statements), the Aldermoor story (the provenance diagram), a
spun copy's article page and its pair page, at 1280 and 390 px wide; the static report
of the Aldermoor story likewise. A screenshot matches its golden image when at most
:data:`MAX_CHANGED_SHARE` of its pixels differ by more than :data:`PIXEL_TOLERANCE`.

Regenerate the golden images after a reviewed change of the pages::

    UNSPIN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_browser_golden.py

then look at every changed PNG under tests/golden/ before committing it. A mismatch
writes the new screenshot to test-artifacts/ beside the golden one.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, UNSPIN, examples_db, serving

pytestmark = pytest.mark.browser

GOLDEN = ROOT / "tests" / "golden"
ARTIFACTS = ROOT / "test-artifacts"
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)
# A channel difference up to this (of 255) is anti-aliasing or font hinting, not a change.
PIXEL_TOLERANCE = 40
# At most this share of pixels may differ beyond the tolerance: a changed word or colour
# in a statement row changes well over 0.5 % of a page; two runs on one machine differ
# by none.
MAX_CHANGED_SHARE = 0.005
# axe-core impact levels that fail the test (moderate and minor are reported, not failed).
FAILING_IMPACTS = ("serious", "critical")

_AXE_RUN = """
async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """``unspin serve`` over a store built from examples/: (base URL, database)."""
    assert CHROMIUM.exists(), "Chromium is missing at /usr/bin/chromium (scripts/system_deps.sh)"
    db = examples_db(tmp_path_factory.mktemp("golden"))
    with serving(db, "--read-only") as base:
        yield base, db


@pytest.fixture(scope="module")
def server(served: tuple[str, Path]) -> str:
    return served[0]


def _get(url: str) -> object:
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)


@pytest.fixture(scope="module")
def pages(server: str) -> dict[str, str]:
    stories = _get(server + "/api/stories")["items"]  # type: ignore[index]
    transit = next(s["id"] for s in stories if "transit fare" in (s["title"] or ""))
    copies = next(s["id"] for s in stories if "Aldermoor" in (s["title"] or ""))
    diagram = _get(f"{server}/api/stories/{copies}")["diagram"]  # type: ignore[index]
    outlet = {n["id"]: n["outlet"] for n in diagram["nodes"]}
    spun = next(
        e
        for e in diagram["edges"]
        if e["kind"] == "spun_copy" and outlet[e["copy"]] == "NewsMill Today"
    )
    return {
        "story": f"/stories/{transit}",
        "story-copies": f"/stories/{copies}",
        "article": f"/articles/{spun['copy']}",
        "pair": spun["pair"],
        "_report_story": copies,
    }


@pytest.fixture(scope="module")
def report(
    pages: dict[str, str], served: tuple[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The static report of the Aldermoor story, written by the CLI from the same store."""
    out = tmp_path_factory.mktemp("report") / "story.html"
    subprocess.run(
        [str(UNSPIN), "--db", str(served[1]), "report", pages["_report_story"], "--out", str(out)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str, width: int):  # type: ignore[no-untyped-def]
    # bypass_csp lets the test inject axe-core; the pages themselves allow no inline script
    context = browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True, device_scale_factor=1
    )
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def _same_as_golden(png: bytes, name: str) -> None:
    from PIL import Image, ImageChops

    golden = GOLDEN / f"{name}.png"
    if os.environ.get("UNSPIN_UPDATE_GOLDEN"):
        golden.write_bytes(png)
        return
    assert golden.exists(), f"{golden}: no golden image (UNSPIN_UPDATE_GOLDEN=1, then review)"
    new = Image.open(io.BytesIO(png)).convert("RGB")
    old = Image.open(golden).convert("RGB")
    if new.size != old.size or _changed_share(ImageChops.difference(new, old)) > MAX_CHANGED_SHARE:
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"{name}.new.png").write_bytes(png)
    assert new.size == old.size, f"{name}: {new.size} != golden {old.size}"
    share = _changed_share(ImageChops.difference(new, old))
    assert share <= MAX_CHANGED_SHARE, f"{name}: {share:.2%} of pixels changed"


def _changed_share(diff) -> float:  # type: ignore[no-untyped-def]
    grey = diff.convert("L").point(lambda v: 255 if v > PIXEL_TOLERANCE else 0)
    changed = grey.histogram()[255]
    return float(changed) / (diff.size[0] * diff.size[1])


def _axe(page) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    assert AXE.exists(), f"{AXE}: axe-core is missing (bash scripts/system_deps.sh installs it)"
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, object]] = page.evaluate(_AXE_RUN)
    return found


def _check(browser, url: str, name: str, width: int) -> None:  # type: ignore[no-untyped-def]
    context, page = _open(browser, url, width)
    try:
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= width, f"{name}: {wide} px wide in a {width} px window"
        _same_as_golden(page.screenshot(full_page=True), f"{name}-{width}")
        violations = _axe(page)
        failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
        assert failing == [], f"{name} at {width}px: {failing}"
    finally:
        context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["story", "story-copies", "article", "pair"])
def test_page_matches_golden_and_passes_axe(
    browser,  # type: ignore[no-untyped-def]
    server: str,
    pages: dict[str, str],
    name: str,
    width: int,
) -> None:
    _check(browser, server + pages[name], name, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_report_matches_golden_and_passes_axe(browser, report: str, width: int) -> None:  # type: ignore[no-untyped-def]
    _check(browser, report, "report", width)
