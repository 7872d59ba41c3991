"""The deleveraging section of ``bsrlab report``: a preset's paths and the policy comparison.

:func:`report_section` builds the section of one preset (the policy lab is solved once and both
figures and the table are drawn from that one comparison); :func:`sections` takes the preset from
the report's configuration (``deleveraging_preset``, default ``japan-1990s``).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.style import pct
from bsrlab.scenarios.lab import compare_policies
from bsrlab.scenarios.presets import NO_POLICY, get_preset

if TYPE_CHECKING:
    from bsrlab.presentation.config import ReportConfig

__all__ = ["DEFAULT_PRESET", "report_section", "sections"]

#: The preset shown when the configuration names none.
DEFAULT_PRESET = "japan-1990s"


def sections(cfg: ReportConfig) -> list[Section]:
    """The deleveraging section of the report described by ``cfg`` (its preset)."""
    return [report_section(getattr(cfg, "deleveraging_preset", None) or DEFAULT_PRESET)]


def report_section(preset: str = DEFAULT_PRESET) -> Section:
    """The section for ``preset``: intro, the paths without policy, the comparison and its table."""
    from bsrlab.presentation.figures.deleveraging import comparison_figure, path_figure, years

    pre = get_preset(preset)
    comp = compare_policies(pre)
    base = comp.paths[NO_POLICY]
    bound = base.bound_periods
    fig1, data1 = path_figure(base, period=pre.period,
                              title=f"{pre.title}: the path without policy")
    fig2, data2 = comparison_figure(comp, title=f"{pre.title}: the policy lab")
    if bound.size:
        first, last = years(bound[[0, -1]], pre.period)
        spell = f"years {first:g}-{last:g} after the bust"
    else:
        spell = "no year"
    intro = (
        f"<p>{html.escape(pre.title)}. The debt limit of borrowers falls from "
        f"{pct(float(pre.debt.debt_high), 0)} to {pct(float(pre.debt.debt_low), 0)} of "
        f"potential output over {pre.debt.length} {html.escape(pre.period)}s, announced at "
        f"t = 0 (an Eggertsson-Krugman borrower-saver economy with sticky prices and a zero "
        f"floor on the policy rate). The policy rate sits at the floor in "
        f"{html.escape(spell)}; the cumulative output loss is "
        f"{pct(base.cumulative_output_loss, 1)} of a {html.escape(pre.period)}'s potential "
        f"output. The Newton solver converged in {base.iterations} iterations (largest residual "
        f"{base.max_residual:.1e}).</p>"
        "<p>Calibration is illustrative; sources: "
        + "; ".join(f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in pre.sources.items())
        + ".</p>")
    table = comp.to_frame()
    described = " ".join(f"{label}: {text.rstrip('.')}."
                         for label, text in comp.descriptions.items() if label != NO_POLICY)
    stem = f"deleveraging_{pre.name.replace('-', '_')}"
    return Section(
        id=f"deleveraging-{pre.name}",
        title=f"Balance sheet recession: {pre.title}",
        intro=intro,
        items=[
            FigureItem(
                name=f"{stem}_paths", figure=fig1,
                data=data1, title="Deleveraging without policy",
                caption=(
                    "Borrowers must pay down debt (top right), so savers must spend more; that "
                    "needs a negative real rate for a while (the natural rate, top middle). The "
                    "policy rate cannot follow below its floor (dotted line; the grey band marks "
                    "the years at the floor), so output and inflation fall and deflation raises "
                    "the real burden of the old nominal debt. The private financial surplus "
                    "equals the government deficit every year: with no government, borrowers' "
                    "surplus is savers' deficit (bottom left). Time in years after the bust "
                    "(t = 0 is its first year); rates, gaps and flows in percent.")),
            FigureItem(
                name=f"{stem}_policies", figure=fig2,
                data=data2, title="The policy lab",
                caption=(
                    "A rate cut ordered while the rate is at its floor and quantitative easing "
                    "leave the path unchanged: neither moves any expected policy rate. Forward "
                    "guidance (keeping the rate at the floor after the slump ends) and a higher "
                    "inflation target lower expected real rates; fiscal stimulus and debt relief "
                    "fill the gap in demand directly and cut the output loss the most per unit "
                    "of fiscal cost while the floor binds. The policies compared (sizes and "
                    "windows are the preset's): " + described)),
            TableItem(caption=(
                "Policy comparison: cumulative output loss and fiscal cost in units of a "
                "period's potential output; the multiplier is cumulative output gained over "
                "cumulative fiscal cost (empty where there is no fiscal cost)."),
                frame=table, name=f"{stem}_comparison"),
        ])
