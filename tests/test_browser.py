"""The report renders in a real browser: headless system Chromium through Playwright.

Skipped when /usr/bin/chromium is absent, unless BSRLAB_REQUIRE_BROWSER=1 (then it fails).
Playwright never downloads a browser here: it launches the system Chromium.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread

from bsrlab.interfaces.cli import main
from bsrlab.presentation.figures import FIGURES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REMOTE = re.compile(r"""(src|href)\s*=\s*["']?\s*https?:|url\(\s*["']?https?:""", re.I)

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    required = os.environ.get("BSRLAB_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        if required:
            pytest.fail(f"BSRLAB_REQUIRE_BROWSER=1 but {CHROMIUM} is missing "
                        "(apt-get install -y chromium)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium); "
                    "set BSRLAB_REQUIRE_BROWSER=1 to make this a failure")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("BSRLAB_REQUIRE_BROWSER=1 but the playwright package is missing")
        pytest.skip("the playwright package is not installed")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build the report, open it from file:// in headless Chromium, collect what we check."""
    _need_browser()
    from playwright.sync_api import sync_playwright

    out = tmp_path_factory.mktemp("browser") / "report"
    code: object = 0
    try:
        main(["report", "--out", str(out)])
    except SystemExit as exc:
        code = exc.code
    assert code in (0, None)
    html_path = out / "report.html"
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html_path.as_uri(), wait_until="load")
            shot = page.screenshot(full_page=False)
            full = page.screenshot(full_page=True)
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.complete, i.naturalWidth, "
                "i.naturalHeight, i.getBoundingClientRect().width])")
            all_ok = page.evaluate(
                "Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)")
            n_figures = page.evaluate("document.querySelectorAll('figure').length")
            title = page.title()
        finally:
            browser.close()
    n_csv_figures = len([p for p in out.iterdir() if p.suffix == ".csv"])
    return {"shot": shot, "full": full, "images": images, "all_ok": all_ok,
            "n_figures": n_figures, "n_csv": n_csv_figures, "title": title,
            "requests": requests, "html": html_path.read_text(encoding="utf-8")}


def _pixels(png: bytes) -> np.ndarray:
    return imread(io.BytesIO(png))[..., :3]


def test_screenshot_is_not_blank(rendered: dict[str, Any]) -> None:
    for key in ("shot", "full"):
        px = _pixels(rendered[key])
        assert px.shape[0] > 100 and px.shape[1] > 100
        assert float(px.std()) > 0.05, key
        non_white = (px.mean(axis=2) < 0.95).mean()
        assert non_white > 0.02, key


def test_every_embedded_image_decoded(rendered: dict[str, Any]) -> None:
    assert rendered["all_ok"] is True
    imgs = rendered["images"]
    assert len(imgs) >= len(FIGURES)
    assert len(imgs) == rendered["n_figures"] == rendered["n_csv"]
    for complete, w, h, shown in imgs:
        assert complete and w > 0 and h > 0
        assert shown > 300  # laid out at a legible width


def test_no_remote_resources(rendered: dict[str, Any]) -> None:
    assert not REMOTE.search(rendered["html"])
    remote = [u for u in rendered["requests"] if u.startswith(("http:", "https:"))]
    assert remote == []
    assert "von Peter" in rendered["title"]
