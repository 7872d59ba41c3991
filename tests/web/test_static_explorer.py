"""``explorer.html``: one file that works from disk, offline, and whose sliders move the figures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bsrlab.models.vonpeter import Params, thresholds
from bsrlab.presentation.render.explorer import explorer_data, explorer_html

REMOTE = re.compile(r"""(src|href)\s*=\s*["']?\s*https?:|url\(\s*["']?https?:""", re.I)


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explorer") / "explorer.html"
    path.write_text(explorer_html(Params.from_R(alpha=0.5, R=1.05, gamma=0.0)),
                    encoding="utf-8")
    return path


def test_one_self_contained_file(page_file: Path) -> None:
    text = page_file.read_text(encoding="utf-8")
    assert not REMOTE.search(text)
    assert "<script src" not in text and "<link" not in text


def test_data_come_from_the_library() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.0)
    d = explorer_data(p, n_alpha=5, n_tau=11)
    i = d["alpha"].index(0.5)
    assert d["th"]["tau_star"][i] == pytest.approx(float(thresholds(p).tau_star), rel=1e-4)
    assert len(d["omega"]) == len(d["alpha"]) and len(d["omega"][0]) == 11


def test_explorer_html_refuses_array_params() -> None:
    from bsrlab.core.errors import ParameterError

    with pytest.raises(ParameterError, match="scalar parameters"):
        explorer_html(Params.from_R(alpha=[0.4, 0.5], R=1.05))


@pytest.mark.browser
def test_opens_from_disk_offline_and_the_slider_moves_the_figure(page_file: Path,
                                                                 browser: Any) -> None:
    attempted: list[str] = []
    errors: list[str] = []
    ctx = browser.new_context(offline=True)

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            attempted.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    try:
        pg = ctx.new_page()
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(page_file.as_uri())
        assert pg.locator("#fig8-outcome").inner_text() == "fundamental"
        assert pg.locator("#regime").inner_text().startswith("below τ*")
        before = pg.locator("#svg-fig5").inner_html()
        assert pg.locator("#svg-fig5 polyline").count() >= 2
        pg.locator("#tau").fill("40")  # tau = 0.1 > tau* = 0.055
        assert pg.locator("#regime").inner_text().startswith("beyond τ*")
        assert pg.locator("#fig8-outcome").inner_text() == "banking crisis"
        assert pg.locator("#svg-fig5").inner_html() != before
        before9 = pg.locator("#svg-fig9").inner_html()
        pg.locator("#alpha").fill("3")
        assert pg.locator("#svg-fig9").inner_html() != before9
        _not_blank(pg.screenshot())
    finally:
        ctx.close()
    assert errors == []
    assert attempted == []


def _not_blank(png: bytes) -> None:
    import io

    from matplotlib.image import imread

    px = imread(io.BytesIO(png))[..., :3]
    assert float(px.std()) > 0.05 and (px.mean(axis=2) < 0.95).mean() > 0.02
