"""The report's case section, every case page and the dashboard render in headless Chromium,
and no table is wider than the page at 1280 px.

Skipped when /usr/bin/chromium or the data are absent, unless BSRLAB_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from bsrlab.cases import EPISODES

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser

#: Per table: its own scroll width against its box and the page, and the page's overflow.
MEASURE = """() => {
  const doc = document.documentElement;
  const tables = Array.from(document.querySelectorAll('table')).map(t => ({
    scroll: t.scrollWidth, client: t.clientWidth,
    right: t.getBoundingClientRect().right, parent: t.parentElement.clientWidth}));
  const imgs = Array.from(document.images).map(i => i.complete && i.naturalWidth > 0);
  return {tables, page_scroll: doc.scrollWidth, page_client: doc.clientWidth, imgs};
}"""


def _need_browser() -> None:
    required = os.environ.get("BSRLAB_REQUIRE_BROWSER") == "1"
    if not CHROMIUM.exists():
        if required:
            pytest.fail(f"BSRLAB_REQUIRE_BROWSER=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("BSRLAB_REQUIRE_BROWSER=1 but the playwright package is missing")
        pytest.skip("the playwright package is not installed")


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Write the case section, every case page and the dashboard; measure them in Chromium."""
    _need_browser()
    from tests.cases.conftest import shared_data_dir

    data = shared_data_dir()
    if data is None:
        pytest.skip("the JST/BIS data files are not available (set BSRLAB_DATA)")
    from playwright.sync_api import sync_playwright

    from bsrlab.cases.dashboard import dashboard
    from bsrlab.presentation.content.cases import (
        report_section,
        write_case_report,
        write_dashboard,
    )
    from bsrlab.presentation.render.html import write_report

    base = tmp_path_factory.mktemp("pages")
    files = {"section": write_report(base / "section", "cases", [report_section(data)])}
    for name in EPISODES:
        files[name] = write_case_report(name, base / name, data)
    files["dashboard"] = write_dashboard(dashboard(data), base / "dashboard")
    out: dict[str, dict[str, Any]] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for key, path in files.items():
                page.goto(Path(path).as_uri(), wait_until="load")
                out[key] = page.evaluate(MEASURE)
        finally:
            browser.close()
    return out


def test_every_page_renders_with_its_figures(pages: dict[str, dict[str, Any]]) -> None:
    assert set(pages) == {"section", "dashboard", *EPISODES}
    for key, m in pages.items():
        assert m["imgs"] and all(m["imgs"]), key
        assert m["tables"], key


def test_no_table_wider_than_the_page(pages: dict[str, dict[str, Any]]) -> None:
    for key, m in pages.items():
        assert m["page_scroll"] <= m["page_client"], key
        for t in m["tables"]:
            assert t["scroll"] <= t["client"], (key, t)
            assert t["scroll"] <= m["page_client"] and t["right"] <= m["page_client"], (key, t)
            assert t["scroll"] <= t["parent"], (key, t)
