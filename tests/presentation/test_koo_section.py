"""The report section "Koo's balance sheet recession": figures, data and the report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bsrlab.models.deleveraging.koo import KooResult, solve_koo
from bsrlab.presentation.content.koo import SECTION_ID, report_section
from bsrlab.presentation.content.model import Section
from bsrlab.presentation.figures.deleveraging import X_LABEL
from bsrlab.presentation.figures.koo import (
    balances_figure,
    gap_inflation_figure,
    lab_figure,
    rates_figure,
    repair_figure,
)
from bsrlab.scenarios.koo_lab import NO_POLICY, KooComparison, compare_koo
from bsrlab.scenarios.koo_presets import get_koo_preset

N = 20


@pytest.fixture(scope="module")
def solved() -> tuple[KooResult, KooResult, KooComparison]:
    pre = get_koo_preset("japan-1990s")
    happened = solve_koo(pre.params, pre.debt, pre.policies("as it happened"),
                         periods=pre.periods)
    comp = compare_koo(pre)
    return happened, comp.paths[NO_POLICY], comp


@pytest.fixture(scope="module")
def figures(solved: tuple[KooResult, KooResult, KooComparison]) -> dict[str, Any]:
    a, b, comp = solved
    return {"balances": balances_figure(a, b), "repair": repair_figure(a),
            "rates": rates_figure(a), "gap": gap_inflation_figure(a, b),
            "lab": lab_figure(comp)}


@pytest.fixture(scope="module")
def section() -> Section:
    return report_section()


def _close(x: Any, y: Any) -> None:
    np.testing.assert_allclose(np.asarray(x, dtype=float), np.asarray(y, dtype=float)[:N],
                               rtol=0, atol=1e-14)


def test_balances_data_match_the_paths(figures: dict[str, Any],
                                       solved: tuple[KooResult, KooResult, Any]) -> None:
    a, b, _ = solved
    d = figures["balances"][1]
    assert len(d) == N
    for tag, path in (("happened", a), ("without", b)):
        _close(d[f"private_surplus_{tag}"], path.private_surplus)
        _close(d[f"government_deficit_{tag}"], path.government_deficit)
        assert (d[f"at_bound_{tag}"].to_numpy() == np.asarray(path.at_bound)[:N]).all()
        # Koo's mirror: the private surplus is the government deficit
        gap = d[f"private_surplus_{tag}"] - d[f"government_deficit_{tag}"]
        assert float(np.max(np.abs(gap))) < 1e-10
    # the deficits make a surplus of several percent every year of the repair
    assert a.repair_end is not None
    assert (d["private_surplus_happened"][: a.repair_end + 1] > 0.01).all()


def test_repair_rates_gap_data_match_the_path(figures: dict[str, Any],
                                              solved: tuple[KooResult, KooResult, Any]) -> None:
    a, b, _ = solved
    rep = figures["repair"][1]
    _close(rep["borrower_debt"], a.borrower_debt)
    _close(rep["debt_limit"], a.debt_limit)
    assert np.allclose(rep["debt_target"], a.params.chi_b * a.terms.debt_target)
    assert rep.loc[rep["repair_end"], "t"].tolist() == [a.repair_end]
    rates = figures["rates"][1]
    for col in ("policy_rate", "shadow_rate", "natural_rate"):
        _close(rates[col], a.arrays[col])
    assert (rates["floor"] == a.params.i_floor).all()
    gap = figures["gap"][1]
    for col in ("output_gap", "inflation"):
        _close(gap[f"{col}_happened"], a.arrays[col])
        _close(gap[f"{col}_without"], b.arrays[col])


def test_lab_data_match_the_rows(figures: dict[str, Any],
                                 solved: tuple[Any, Any, KooComparison]) -> None:
    comp = solved[2]
    d = figures["lab"][1]
    rows = [r for r in comp.rows if r["cumulative_output_loss"] is not None]
    assert d["policy"].tolist() == [r["policy"] for r in rows]
    _close(d["cumulative_output_loss"], [r["cumulative_output_loss"] for r in rows])


def _drawn(ax: Any) -> list[str]:
    """Labels of the artists drawn on ``ax`` that carry a legend label."""
    arts = [*ax.lines, *ax.patches, *ax.collections, *ax.containers]
    return [str(a.get_label()) for a in arts if not str(a.get_label()).startswith("_")]


@pytest.mark.parametrize("name", ["balances", "repair", "rates", "gap", "lab"])
def test_axes_legends_and_time_axis(figures: dict[str, Any], name: str) -> None:
    fig: Figure = figures[name][0]
    FigureCanvasAgg(fig).draw()
    for ax in fig.axes:
        assert ax.has_data(), f"{name}: an empty panel"
        leg = ax.get_legend()
        assert leg is not None
        entries = [t.get_text() for t in leg.get_texts()]
        assert entries and set(entries) <= set(_drawn(ax)), (entries, _drawn(ax))
        if name == "lab":
            assert "%" in ax.get_xticklabels()[1].get_text()
            continue
        assert ax.get_xlabel() == X_LABEL
        ticks = ax.get_xticks()
        assert np.allclose(ticks, np.round(ticks))
        if ax is fig.axes[0] or ax.get_ylabel():  # a shared y axis labels its first panel
            assert any(t.get_text().endswith("%") for t in ax.get_yticklabels())
        assert not any("$" in t.get_text() for t in ax.texts)


def test_labels_inside_the_figure(figures: dict[str, Any]) -> None:
    for name, (fig, _) in figures.items():
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        r = canvas.get_renderer()
        w, h = canvas.get_width_height()
        for ax in fig.axes:
            (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
            texts = [ax.xaxis.label, ax.yaxis.label, ax.title,
                     *(t for t in ax.get_xticklabels() if x0 <= t.get_position()[0] <= x1),
                     *(t for t in ax.get_yticklabels() if y0 <= t.get_position()[1] <= y1)]
            for t in texts:
                if not t.get_text() or not t.get_visible():
                    continue
                bb = t.get_window_extent(r)
                assert bb.x0 >= -1 and bb.y0 >= -1 and bb.x1 <= w + 1 and bb.y1 <= h + 1, (
                    name, t.get_text())


def test_section_numbers_and_items(section: Section,
                                   solved: tuple[KooResult, KooResult, Any]) -> None:
    a = solved[0]
    assert section.id == SECTION_ID
    assert section.title == "Koo's balance sheet recession"
    assert len(section.figures) == 5 and len(section.tables) == 1
    assert f"floor {a.periods_at_bound} years" in section.intro
    assert a.repair_end is not None
    rep = slice(0, a.repair_end + 1)
    for v in (np.mean(a.output_gap[rep]), np.mean(a.private_surplus[rep])):
        assert f"{100 * v:.1f}%" in section.intro
    assert f"{100 * np.mean(a.inflation[rep]):.2f}%" in section.intro
    table = section.tables[0].frame
    assert len(table) == len(solved[2].rows)
    from bsrlab.models.deleveraging.outputs import KOO_VOCABULARY

    assert table[KOO_VOCABULARY["sentence"].label].str.len().min() > 40
    assert KOO_VOCABULARY["years_at_floor"].label in table.columns
    assert all(len(f.caption) > 150 for f in section.figures)


def test_section_follows_the_report_s_preset() -> None:
    from bsrlab.presentation.config import ReportConfig
    from bsrlab.presentation.content.koo import sections

    (us,) = sections(ReportConfig(deleveraging_preset="us-2008"))
    assert "Preset <code>us-2008</code>" in us.intro and "households" in us.intro
    assert all(f.name.startswith("koo_us_2008_") for f in us.figures)


def test_section_in_the_report(cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "r"
    res = cli("report", "--out", str(out), "--sections", "koo")
    assert res.code == 0, res.err
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f'<section id="{SECTION_ID}">' in page
    assert "Koo&#x27;s balance sheet recession" in page or "Koo's balance sheet recession" in page
    for stem in ("balances", "repair", "rates", "gap_inflation", "lab"):
        name = f"koo_japan_1990s_{stem}"
        assert f'<figure id="{name}">' in page
        assert (out / f"{name}.csv").is_file()
    assert page.count("data:image/svg+xml;base64,") >= 5
