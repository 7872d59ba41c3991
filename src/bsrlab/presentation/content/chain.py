"""The report section of a scenario chain: the bust, the hand-over and Koo's path.

Built from a solved chain (:func:`bsrlab.scenarios.chain.run_chain`); every number of the prose,
the table and the figure comes from it. ``bsrlab scenario run ... --out DIR`` writes it.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from bsrlab.presentation.content.model import FigureItem, Section, TableItem
from bsrlab.presentation.style import pct

if TYPE_CHECKING:
    from bsrlab.scenarios.chain import ChainResult

__all__ = ["SECTION_ID", "handover_table", "report_section"]

#: The section's anchor.
SECTION_ID = "chain"


def handover_table(result: ChainResult) -> pd.DataFrame:
    """The mapped quantities: name, value and meaning (shares of pre-bust output)."""
    rows = []
    for h in result.handover:
        v = h.value
        shown = f"{v:.4g}" if isinstance(v, float) else str(v)
        rows.append({"quantity": h.name, "value": shown, "meaning": h.meaning})
    return pd.DataFrame(rows, columns=["quantity", "value", "meaning"])


def report_section(result: ChainResult) -> Section:
    """The chain as one report section: prose, the hand-over table and the chain's figure."""
    s = result.scenario
    summ = result.summary()
    vp = result.vonpeter()
    first = summ["first_year"]
    esc = html.escape
    spell = summ["floor_spell"]
    floor = ("the policy rate never reaches its floor" if spell is None else
             f"the policy rate sits at its floor from {first + spell[0]} to "
             f"{first + spell[1]} ({summ['floor_spell_years']} years)")
    repair = ("the repair does not end within the horizon" if summ["repair_end"] is None else
              f"the balance sheet repair ends in {first + summ['repair_end']} "
              f"({summ['repair_years']} years)")
    c = float(result.handover_value("credit_supply"))
    intro = (
        f"<p>Scenario <code>{esc(s.name)}</code>. A productivity shock tau = {pct(s.tau, 1)} "
        f"in the von Peter economy (alpha = {s.alpha:g}, R = {s.R:g}, gamma = {s.gamma:g}) "
        f"lowers the value of the collateral by {pct(result.fundamental_delta, 1)} in the "
        f"fundamental equilibrium; the rule <code>{esc(s.selection)}</code> selects the "
        f"{esc(result.selected.kind.text)} (decline {pct(vp['delta'], 1)}, loss regime "
        f"{esc(str(vp['regime']).replace('_', ' '))}, loan losses {pct(vp['loan_losses'], 1)} "
        f"of output).</p>"
        f"<p>The hand-over gives Koo's economy (<code>{esc(s.koo_preset)}</code>, "
        f"{esc(s.koo_scenario)}) a debt target of {pct(result.debt.debt_low, 1)} of output "
        f"(map a), a credit supply c = {c:.3f} of the fundamental one (map b) and a write-down "
        f"of {pct(result.handover_value('write_down_share'), 1)} of the old debt borne by "
        f"savers (map c). Then {floor}; {repair}; the output gap reaches "
        f"{pct(summ['trough_gap'], 1)} at its trough and government debt ends at "
        f"{pct(summ['government_debt_end'], 0)} of output.</p>")
    from bsrlab.presentation.figures.chain import chain_figure  # matplotlib only when drawn

    fig, data = chain_figure(result, title=s.title or s.name)
    notes = [f"<b>{esc(k)}</b>: {esc(v)}" for k, v in s.sources]
    notes += [f"Should show: {esc(f.statement)} ({esc(f.source)})" for f in s.facts]
    return Section(
        id=SECTION_ID, title=s.title or s.name, intro=intro,
        items=[TableItem(caption="The hand-over: every quantity the von Peter outcome passes to "
                                 "Koo's model (shares of pre-bust output).",
                         frame=handover_table(result), name="chain_handover"),
               FigureItem(name="chain", figure=fig, data=data,
                          caption="Left: the von Peter outcome the hand-over carries. Middle "
                                  "and right: Koo's paths in years after the bust; the years "
                                  "at the floor are shaded grey.")],
        notes=tuple(notes))
