"""The report section "Koo's balance sheet recession": Japan after 1991 in Koo's model.

The preset ``japan-1990s`` of :mod:`bsrlab.scenarios.koo_presets` is solved once as it happened
(with the deficits Japan ran) by :func:`bsrlab.models.deleveraging.koo.solve_koo`; the lab
(:func:`bsrlab.scenarios.koo_lab.compare_koo`) is run once, and its row without further
policy is the same economy without the deficits. Every number of the prose and every figure
comes from these paths.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np

from bsrlab.models.deleveraging.koo import solve_koo
from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.style import pct
from bsrlab.presentation.table import Table
from bsrlab.scenarios.koo_lab import NO_POLICY, compare_koo
from bsrlab.scenarios.koo_presets import get_koo_preset

if TYPE_CHECKING:
    import pandas as pd

    from bsrlab.presentation.config import ReportConfig

__all__ = ["PRESET", "SECTION_ID", "lab_table", "report_section", "sections"]

#: The preset the section shows.
PRESET = "japan-1990s"

#: The section's anchor.
SECTION_ID = "koo"


#: Per preset: the story in one sentence, who borrows, and what the deficits were.
_STORY: dict[str, tuple[str, str, str]] = {
    "japan-1990s": (
        "Koo's account of Japan after 1991: firms whose balance sheets the bust left under "
        "water pay down debt whatever the interest rate, so the private sector saves even at a "
        "zero policy rate, and only the government's deficits, which borrow that surplus, keep "
        "demand from collapsing.", "indebted firms and their owners", "as Japan's packages did"),
    "us-2008": (
        "The United States after 2008: households whose mortgages the fall in house prices left "
        "above what lenders will refinance must bring their debt down, so they save even at a "
        "zero policy rate, and the government's deficits borrow that surplus.",
        "indebted households", "as the Recovery Act did"),
}


def sections(cfg: ReportConfig) -> list[Section]:
    """The Koo section on the configuration's ``deleveraging_preset``."""
    return [report_section(getattr(cfg, "deleveraging_preset", None) or PRESET)]


def _years(first_year: int, spell: tuple[int, int] | None) -> str:
    if spell is None:
        return "in no year"
    a, b = spell
    return f"from year {a} to year {b} after the bust ({first_year + a}-{first_year + b})"


def lab_table(rows: Any) -> pd.DataFrame:
    """The lab's rows as a readable table: numbers in percent, the sentence of each row.

    Column headers are the labels of the ``koo`` output vocabulary
    (:data:`bsrlab.models.deleveraging.outputs.KOO_VOCABULARY`), with the unit of each.
    """
    return _lab_rows(rows).to_frame()


def _lab_rows(rows: Any) -> Table:
    """:func:`lab_table` as a :class:`~bsrlab.presentation.table.Table`."""
    from bsrlab.models.deleveraging.outputs import KOO_VOCABULARY as V

    def p(v: Any, digits: int = 1) -> str:
        return "" if v is None else pct(v, digits)

    def head(key: str, unit: str = "") -> str:
        return V[key].label + (f" ({unit})" if unit else "")

    share = "% of a year's output"
    out = []
    for r in rows:
        rep = r["repair_end"]
        mult = r["multiplier"]
        out.append({
            head("policy"): r["policy"],
            head("cumulative_output_loss", share): p(r["cumulative_output_loss"]),
            head("output_gained", share): p(r["output_gained"]),
            head("trough_output_gap"): p(r["trough_output_gap"]),
            head("years_at_floor"): "" if r["years_at_floor"] is None else
            str(r["years_at_floor"]),
            head("repair_end", "year after the bust"): "" if rep is None else str(rep),
            head("min_inflation"): p(r["min_inflation"], 2),
            head("fiscal_cost", share): p(r["fiscal_cost"]),
            head("multiplier"): "" if mult is None else f"{mult:.2f}",
            head("sentence"): r["sentence"],
        })
    return Table.from_records(out)


def report_section(preset: str = PRESET) -> Section:
    """The section: intro with the preset's facts and the model's numbers, five figures, a table."""
    from bsrlab.presentation.figures.koo import (
        balances_figure,
        gap_inflation_figure,
        lab_figure,
        rates_figure,
        repair_figure,
    )

    pre = get_koo_preset(preset)
    story, who, packages = _STORY.get(pre.name, _STORY[PRESET if pre.name.startswith("japan")
                                                       else "us-2008"])
    happened = solve_koo(pre.params, pre.debt, pre.policies("as it happened"),
                         periods=pre.periods)
    comp = compare_koo(pre)
    without = comp.paths[NO_POLICY]
    y0 = pre.first_year
    rep = happened.repair_end
    rep_w = without.repair_end
    repair = slice(0, (rep if rep is not None else happened.periods - 1) + 1)
    repair_w = slice(0, (rep_w if rep_w is not None else without.periods - 1) + 1)
    gap = float(np.mean(happened.output_gap[repair]))
    gap_w = float(np.mean(without.output_gap[repair_w]))
    infl = float(np.mean(happened.inflation[repair]))
    infl_w = float(np.mean(without.inflation[repair_w]))
    surplus = float(np.mean(happened.private_surplus[repair]))
    surplus_min = float(np.min(happened.private_surplus[repair]))
    deficit = float(np.mean(happened.government_deficit[repair]))
    mirror = float(np.max(np.abs(happened.private_surplus - happened.government_deficit)))
    trough = float(np.min(happened.output_gap[repair]))
    trough_w = float(np.min(without.output_gap[repair_w]))
    spending = float(np.max(happened.government_spending - without.government_spending))
    spend_years = np.flatnonzero(np.abs(happened.government_spending
                                        - without.government_spending) > 1e-12)
    spend_span = (f"{y0 + int(spend_years[0])}-{y0 + int(spend_years[-1])}"
                  if spend_years.size else "no year")
    target = pre.params.chi_b * happened.terms.debt_target
    rep_text = "does not end within the horizon" if rep is None else (
        f"ends in year {rep} ({y0 + rep})")
    rep_when = "not within the horizon" if rep is None else (
        f"year {rep} after the bust, {y0 + rep}")
    facts = "".join(f"<li>{html.escape(f.statement)}</li>" for f in pre.facts)
    how = ("pay it down from their cash flow" if pre.params.repair_rule == "cash-flow" else
           f"must bring it down over {pre.debt.length} years")
    intro = (
        f"<p>Preset <code>{html.escape(pre.name)}</code>, as it happened. {story} The preset "
        f"starts the bust in {y0}; {who} ({pct(pre.params.chi_b, 0)} of the economy) owe "
        f"{pct(float(pre.debt.debt_high), 0)} of potential output and "
        f"{how} to a target of {pct(target, 0)}, and the government "
        f"spends {pct(spending, 1)} of potential output a year in {spend_span}, {packages}; "
        f"the rate floor is {pct(pre.params.i_floor, 0)}.</p>"
        f"<p>Solved as it happened, the repair {rep_text}; the policy rate sits at its floor "
        f"{happened.periods_at_bound} years, {_years(y0, happened.spell)}. Over the repair "
        f"the output gap averages {pct(gap, 1)} (lowest {pct(trough, 1)}) and inflation "
        f"{pct(infl, 2)} a year; the private financial surplus averages {pct(surplus, 1)} of "
        f"potential output and is at least {pct(surplus_min, 1)} in every year, mirrored by a "
        f"government deficit of {pct(deficit, 1)} on average (the two differ by at most "
        f"{mirror:.0e}). Without the deficits the floor binds {without.periods_at_bound} years, "
        f"the output gap averages {pct(gap_w, 1)} over the repair (lowest {pct(trough_w, 1)}) "
        f"and inflation {pct(infl_w, 2)} a year. The facts the preset is calibrated to "
        f"reproduce (checked by the test suite on the path as it happened):</p>"
        f"<ul>{facts}</ul>")
    fig1, d1 = balances_figure.table(happened, without)
    fig2, d2 = repair_figure.table(happened)
    fig3, d3 = rates_figure.table(happened)
    fig4, d4 = gap_inflation_figure.table(happened, without)
    fig5, d5 = lab_figure.table(comp)
    best = min((r for r in comp.rows if r["cumulative_output_loss"] is not None),
               key=lambda r: r["cumulative_output_loss"])
    worst = max((r for r in comp.rows if r["cumulative_output_loss"] is not None),
                key=lambda r: r["cumulative_output_loss"])
    stem = "koo_" + pre.name.replace("-", "_")
    return Section(
        id=SECTION_ID,
        title="Koo's balance sheet recession",
        intro=intro,
        items=[
            FigureItem(
                name=f"{stem}_balances", figure=fig1, data=d1,
                title="The private surplus and the government deficit",
                caption=(
                    "Each year the private sector's financial surplus (green) equals the "
                    "government's deficit (purple, hatched): the government borrows what firms "
                    "and households save. As it happened (left) the surplus averages "
                    f"{pct(surplus, 1)} of potential output over the repair; without the "
                    "deficits (right) the surplus is mirrored only by the deficit that follows "
                    "from the slump and the fiscal rule (lower tax receipts, interest). "
                    "Grey: the years with the policy "
                    "rate at its floor. Years after the bust; percent of potential output.")),
            FigureItem(
                name=f"{stem}_repair", figure=fig2, data=d2, title="The balance sheet repair",
                caption=(
                    "Borrowers' debt (orange) falls along their limit (dashed) by about the "
                    "same amount every year until it reaches the target of "
                    f"{pct(target, 0)} of potential output; the dash-dotted line marks the year "
                    f"the repair ends ({rep_when}). Grey: the years "
                    "with the policy rate at its floor.")),
            FigureItem(
                name=f"{stem}_rates", figure=fig3, data=d3, title="Interest rates",
                caption=(
                    "The natural rate (dash-dotted) is negative while firms repay, so the rule's "
                    "shadow rate (dotted) is below the floor and the policy rate stays there "
                    f"{happened.periods_at_bound} years (grey); once the repair ends the "
                    "natural rate rises and the policy rate leaves the floor. Rates in percent "
                    "a year.")),
            FigureItem(
                name=f"{stem}_gap_inflation", figure=fig4, data=d4,
                title="Output gap and inflation",
                caption=(
                    "As it happened (solid) the output gap averages "
                    f"{pct(gap, 1)} over the repair against {pct(gap_w, 1)} without the "
                    "deficits (dashed), and inflation stays positive but low, "
                    f"{pct(infl, 2)} a year on average against {pct(infl_w, 2)}. Grey: the "
                    "years at the floor as it happened.")),
            FigureItem(
                name=f"{stem}_lab", figure=fig5, data=d5, title="The policy lab",
                caption=(
                    "Cumulative output loss over the horizon under each policy, added to the "
                    "economy without the deficits, in percent of a year's potential output; "
                    "a negative loss (blue) is a net gain because the boom after the repair "
                    f"outweighs the slump. {best['policy'].capitalize()} does best "
                    f"({pct(best['cumulative_output_loss'], 1)}), {worst['policy']} worst "
                    f"({pct(worst['cumulative_output_loss'], 1)}); the table below says why.")),
            TableItem(
                caption=("The policy lab, on the economy without the deficits: numbers in "
                         "percent of potential output (losses, gains and fiscal costs summed "
                         "over the horizon, in percent of one year's output), the multiplier "
                         "is output gained over fiscal cost; each row's sentence says what it "
                         "shows and why."),
                frame=_lab_rows(comp.rows), name=f"{stem}_lab_table"),
        ])
