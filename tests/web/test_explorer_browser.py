"""The explorer in a real browser: pages render, sliders and toggles act, state is in the URL,
bad values are refused in one line, and no request leaves the machine."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from matplotlib.image import imread

from tests.web.conftest import DEEP_TEXT, wait_text

pytestmark = pytest.mark.browser

#: Route -> a selector that appears once the page has computed.
PAGES = {"": "a[href='/vonpeter']", "vonpeter": ".bsr-regime", "policy": "table.bsr",
         "koo": ".bsr-koo-loss", "chain": ".bsr-chain-kind", "cases": ".bsr-note"}


def _not_blank(png: bytes) -> None:
    px = imread(io.BytesIO(png))[..., :3]
    assert px.shape[0] > 100 and px.shape[1] > 100
    assert float(px.std()) > 0.03
    assert (px.mean(axis=2) < 0.95).mean() > 0.005  # text at least; charts are counted apart


def _open(page: Any, url: str, selector: str) -> None:
    page.goto(url)
    page.wait_for_selector(selector, timeout=30_000)


def _canvases(page: Any) -> int:
    return int(page.evaluate("""() => { let n = 0; const walk = (r) => {
        for (const e of r.querySelectorAll('*')) { if (e.tagName === 'CANVAS') n++;
          if (e.shadowRoot) walk(e.shadowRoot); } }; walk(document); return n; }"""))


def test_every_page_loads_and_renders(app_url: str, context: Any) -> None:
    # All pages are opened at once (the server builds them while the browser draws others).
    pages = {}
    for route in PAGES:
        pg = context.new_page()
        pg.evaluate(f"window.location.href = {app_url + route!r}")
        pages[route] = pg
    try:
        for route, pg in pages.items():
            pg.wait_for_selector(PAGES[route], timeout=30_000)
        for route, pg in pages.items():
            _not_blank(pg.screenshot(full_page=False))
            text = pg.evaluate(DEEP_TEXT)
            assert "Traceback" not in text, route
            assert "bsrlab: error" not in text, route
            if route in ("vonpeter", "policy", "koo", "chain"):
                assert _canvases(pg) >= 2, route  # the Bokeh charts are drawn
    finally:
        for pg in pages.values():
            pg.close()


def _click_tau(page: Any, tau: float) -> None:
    base = page.locator(".bsr-tau .noUi-base").first.bounding_box()
    page.mouse.click(base["x"] + tau * base["width"], base["y"] + base["height"] / 2)


def test_tau_past_tau_star_changes_regime_and_figure8(app_url: str, page: Any) -> None:
    _open(page, app_url + "vonpeter?alpha=0.5&R=1.05&gamma=0&tau=0.03", ".bsr-regime")
    assert page.locator(".bsr-taustar").inner_text() == "0.0550"
    before = page.locator(".bsr-regime").inner_text()
    assert before.startswith("below τ*")
    assert page.locator(".bsr-fig8").inner_text() == "fundamental"
    _click_tau(page, 0.08)  # past tau* = 0.055
    after = wait_text(page, ".bsr-regime", lambda t: t.startswith("beyond τ*"))
    assert after != before
    assert wait_text(page, ".bsr-fig8", lambda t: t != "fundamental") == "banking crisis"
    assert "tau=0.0" in page.url and "tau=0.03" not in page.url  # the state is in the URL
    # the current view's data and figure download from the page
    with page.expect_download(timeout=20_000) as dl:
        page.get_by_role("button", name="Download data (CSV)").click()
    csv = Path(dl.value.path()).read_text(encoding="utf-8")
    head = csv.splitlines()[0].split(",")
    assert head[:5] == ["figure", "state_alpha", "state_R", "state_gamma", "state_tau"]
    tau_state = float(csv.splitlines()[1].split(",")[4])
    assert tau_state > 0.055
    with page.expect_download(timeout=20_000) as dl:
        page.get_by_role("button", name="Download figure (SVG)").click()
    assert b"<svg" in Path(dl.value.path()).read_bytes()[:2000]


def test_policy_toggle_changes_the_koo_path(app_url: str, page: Any) -> None:
    _open(page, app_url + "koo?preset=japan-1990s&happened=0&policy=no+policy", ".bsr-koo-loss")
    before = page.locator(".bsr-koo-loss").inner_text()
    page.locator(".bsr-policy").get_by_text("deficit spending", exact=True).click()
    after = wait_text(page, ".bsr-koo-loss", lambda t: t != before)
    assert float(after.rstrip("%")) < float(before.rstrip("%"))  # spending lowers the loss
    assert "policy=deficit+spending" in page.url
    page.locator(".bsr-happened input").click()
    wait_text(page, ".bsr-koo-loss", lambda t: t != after)
    assert "happened=1" in page.url


def test_a_link_reproduces_the_view(app_url: str, page: Any, context: Any) -> None:
    _open(page, app_url + "vonpeter?alpha=0.4&R=1.06&gamma=0.1&tau=0.03", ".bsr-regime")
    _click_tau(page, 0.2)
    wait_text(page, ".bsr-regime", lambda t: t.startswith("beyond τ*"))
    link = page.url
    assert "alpha=0.4" in link and "R=1.06" in link and "gamma=0.1" in link
    status = page.locator(".bsr-status").first.inner_text()
    other = context.new_page()
    try:
        other.goto(link)
        other.wait_for_selector(".bsr-regime", timeout=30_000)
        assert other.locator(".bsr-status").first.inner_text() == status
    finally:
        other.close()


def test_a_value_sent_directly_is_refused_in_one_line(app_url: str, page: Any,
                                                      cli: Any) -> None:
    expected = cli("solve", "--alpha", "5", "--R", "1.05", "--gamma", "0", "--tau", "0.03")
    assert expected.code == 2
    line = expected.err.strip()
    _open(page, app_url + "vonpeter?alpha=5", ".bsr-error div")
    shown = page.locator(".bsr-error div").first.inner_text()
    assert shown == line
    assert "\n" not in shown
    text = page.evaluate(DEEP_TEXT)
    assert "Traceback" not in text and 'File "' not in text
    # a value sent over the websocket, past the slider's own bounds, is checked on the server
    page.evaluate("""() => { for (const m of Bokeh.documents[0].all_models)
        if (m.type === 'Slider' && m.title.startsWith('τ')) { m.value = 5; m.value_throttled = 5 }
    }""")
    wait_text(page, ".bsr-error div", lambda t: "tau" in t)
    assert page.locator(".bsr-error div").first.inner_text() == (
        "bsrlab: error: parameter 'tau' must satisfy 0 <= tau <= 1; got 5.0")
    assert "Traceback" not in page.evaluate(DEEP_TEXT)


def test_no_request_left_the_machine(attempted: list[str]) -> None:
    # Runs last: every page above was loaded through the recording route, and every
    # non-loopback request would have been aborted and recorded.
    assert attempted == []
