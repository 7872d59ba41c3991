"""The report section "Policy lab": Section 4 of von Peter (2004), computed.

:func:`report_section` evaluates every registered banking policy (:mod:`bsrlab.policies.banking`)
once at one shock just beyond tau*, where without policy only the banking crisis remains, and
draws the six figures of :mod:`bsrlab.presentation.figures.policylab` for the report's
calibration. The comparison table and the figures read the same results.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from bsrlab.models.vonpeter import Params, thresholds
from bsrlab.models.vonpeter.policy import minimum_injection
from bsrlab.policies.banking import compare
from bsrlab.policies.registry import describe, names
from bsrlab.presentation.content.model import FigureItem, Item, Section, TableItem
from bsrlab.presentation.style import num, pct

if TYPE_CHECKING:
    from bsrlab.presentation.config import ReportConfig

__all__ = ["SECTION_ID", "comparison_frame", "report_section", "sections", "shock_shown"]

#: The section's anchor.
SECTION_ID = "policy-lab"


def sections(cfg: ReportConfig) -> list[Section]:
    """The policy lab for the report's calibration."""
    return [report_section(cfg.params)]


def shock_shown(params: Params) -> float:
    """The shock the section compares policies at: a quarter of the way from tau* to tau_K."""
    th = thresholds(params)
    return float(th.tau_star + 0.25 * (th.tau_K - th.tau_star))


def comparison_frame(params: Params, tau: float) -> pd.DataFrame:
    """One row per policy (and none): outcome, decline, output, losses, cost, equilibria."""
    rows = [
        {
            "policy": o.policy,
            "what it does": "no policy" if o.policy == "none" else describe(o.policy),
            "outcome": (o.outcome.value.replace("_", " ") if o.outcome is not None
                        else f"not admissible here ({o.note})"),
            "decline δ": pct(o.delta),
            "output from t+1 (y)": num(o.output),
            "loan losses λ (y)": num(o.loan_losses),
            "fiscal cost (y)": num(o.fiscal_cost),
            "crunch decline δ*": pct(min(o.delta_star, 1.0)) if o.outcome else "",
            "equilibria that remain": ", ".join(e["kind"].replace("_", " ")
                                                for e in o.equilibria),
        }
        for o in compare(params, tau)
    ]
    return pd.DataFrame(rows)


def report_section(params: Params) -> Section:
    """The "Policy lab" section for scalar ``params``."""
    from bsrlab.presentation.figures import policylab as figs

    th = thresholds(params)
    tau = shock_shown(params)
    ts, tK, ds = float(th.tau_star), float(th.tau_K), float(th.delta_star)
    xmin = float(minimum_injection(params, tau))
    table = comparison_frame(params, tau)
    seq = [round(0.6 * ts, 4), round(0.95 * ts, 4), round(0.95 * ts, 4), round(1.2 * ts, 4)]
    fig1, d1 = figs.frontier_policies(params)
    fig2, d2 = figs.injection_threshold(params, tau)
    fig3, d3 = figs.requirement_threshold(params)
    fig4, d4 = figs.recap_regime_map(params)
    fig5, d5 = figs.shock_sequence(params, seq)
    fig6, d6 = figs.recap_t_accounts(params, tau)
    policies = ", ".join(f"<code>{html.escape(n)}</code>" for n in names("banking"))
    intro = (
        "<p>Section 4 of the paper discusses policy in words; here every instrument is a "
        f"registered policy ({policies}) solved in the model. At the shock τ = {pct(tau)}, "
        f"beyond τ* = {pct(ts)} and below τ_K = {pct(tK)}, the fundamental decline exceeds the "
        f"critical δ* = {pct(ds)}: without policy the banking crisis is the only equilibrium. "
        "A policy succeeds when it restores the fundamental equilibrium, which a credible "
        "policy can then select (Section 4.2).</p>"
        f"<p>The smallest injection of bank capital that does so is X = {num(xmin)} (units of "
        "output y): admissible lending rises by R/(R − 1) per unit of capital, so the crunch "
        "moves to δ*(X) = δ* + RX/qH. The outcome of each policy below is the fundamental "
        "equilibrium where it exists; output from t+1 is (1 − τ)y there and the autarky "
        "output εy = 0.1y in a crisis.</p>")
    items: list[Item] = [
        TableItem(caption=(
            f"Every banking policy at τ = {pct(tau)} with its default options (bsrlab policy "
            "compare). The outcome is the fundamental equilibrium where it remains; loan losses, "
            "fiscal cost and output are in units of y."), frame=table, name="policy_comparison"),
        FigureItem(name="policy_frontier", figure=fig1, data=d1,
                   title="The frontier with and without each policy",
                   caption=(
                       "Each curve is the critical decline δ* against leverage α: above a "
                       "curve the economy can fall into a crunch. Every instrument shifts the "
                       "frontier up, most a capital requirement below the banks' ratio (the "
                       "constraint binds later) and least a cut at t, which works only through "
                       "the price level at t.")),
        FigureItem(name="policy_injection", figure=fig2, data=d2,
                   title="The crunch decline against the injection",
                   caption=(
                       f"δ*(X) rises linearly with the capital injected; it meets the decline "
                       f"δ(τ) at the minimum injection X = {num(xmin)} y. To the left (shaded) "
                       "the crisis is the only equilibrium.")),
        FigureItem(name="policy_requirement", figure=fig3, data=d3,
                   title="Capital requirements, both variants",
                   caption=(
                       "With the paper's bank capital, a lower requirement κ moves the crunch "
                       "out (solid). If instead the banks hold a lower ratio κ and must keep it "
                       "(dashed), the crunch sets in earlier and the multiplier 1/κ makes it "
                       "stronger: the paper's footnote 46.")),
        FigureItem(name="policy_regime_map", figure=fig4, data=d4,
                   title="Outcomes over the shock and the injection",
                   caption=(
                       "Below τ_Div (blue) losses stay within bank dividends; in yellow they "
                       "reach bank capital but the fundamental equilibrium survives; in red the "
                       "crisis is the only one. The line is the minimum injection, zero up to "
                       "τ* and rising linearly beyond.")),
        FigureItem(name="policy_shocks", figure=fig5, data=d5,
                   title="Capital and thresholds over a sequence of shocks",
                   caption=(
                       "Shocks in successive periods, with the banks paying out all normal "
                       "profits. A shock below τ* leaves the banks with a capital ratio at or "
                       "above (R − 1)/R, because loans fall with the asset price: the next "
                       "shock meets higher thresholds, until one exceeds τ* of its state.")),
        FigureItem(name="policy_t_accounts", figure=fig6, data=d6,
                   title="The bank's balance sheet with a recapitalisation",
                   caption=(
                       "The bank's balance sheet at t after the losses of the fundamental "
                       "allocation (left; the capital constraint set aside), then with the "
                       "minimum injection: an unfunded injection adds reserves and capital; a "
                       "tax-funded one turns households' deposits into capital; a "
                       "deposit-funded one converts deposits into equity households hold. "
                       "Capital rises by X in each case.")),
    ]
    notes = (
        "Funding matters only when γ > 0: a tax lowers households' wealth and spending from "
        "t+1, which with the model's Euler equation (31) raises p_{t+1} and lowers the decline; "
        "the crunch decline δ*(X) is the same for every funding.",
        "The paper says a rate cut cannot help once banks are constrained. In the model a cut "
        "at t raises the price level at t by the factor R/R_t, lowers real loan losses and "
        "moves the crunch out, δ*(R_t) = (R − 1)[(R/α)^(1−γ) R/R_t − 1]: the assets stay "
        "priced by credit, but the constraint binds later.",
    )
    return Section(id=SECTION_ID, title="Policy lab: what policy can do about banking distress",
                   intro=intro, items=items, notes=notes)
