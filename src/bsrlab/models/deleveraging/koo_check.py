r"""Every equation of Koo's model, recomputed from a solved path's columns.

:func:`check_equations` is written apart from the solver (:mod:`.koo`): it reads only the
result's output columns, its parameters, the inputs after the policies and the derived scalars,
and evaluates each equation period by period in plain Python. A residual near zero in every
period is evidence that the columns are an equilibrium of the model stated in ``docs/koo.md``,
not merely a root of the solver's own residual function.

The columns are aggregates where the result says so (``new_debt`` = chi_b d_t, ...); they are
turned back into per-borrower quantities here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from bsrlab.models.deleveraging.koo import KooResult

__all__ = ["check_equations"]


def check_equations(result: KooResult) -> dict[str, NDArray[np.float64]]:
    """Residuals of every equation, per period (arrays of length T; ``steady_state`` of 3).

    Keys: ``savers_euler`` (with the wealth term), ``borrowers_budget``,
    ``borrowers_slackness`` (min(limit - debt, multiplier)), ``limit`` (min(limit - debt, 0)),
    ``multiplier_sign`` (min(multiplier, 0)), ``multiplier`` (its definition),
    ``debt_limit`` (the target path or the cash-flow rule), ``legacy`` (principal),
    ``legacy_service``, ``phillips``, ``policy_rule`` (with floor, cut and hold), ``fisher``,
    ``price_level``, ``government_budget``, ``taxes``, ``safe_assets``, ``resources``,
    ``sectoral_balances`` (the private financial surplus, from incomes, consumption, taxes
    and interest, equals the government deficit B_t - B_{t-1}), ``surplus_columns`` and
    ``deficit_column`` (the result's own surplus and deficit columns agree with it),
    ``borrower_surplus`` (= net repayment at values), ``steady_state`` (3 values: the new
    steady state's savers' Euler equation and its consumption levels).
    """
    p = result.params
    k = result.terms
    ex = result.exogenous
    a = result.arrays
    T = result.periods
    cb_, cs_s = p.chi_b, 1.0 - p.chi_b
    sig = p.sigma
    y = [float(v) for v in a["output"]]
    pi = [float(v) for v in a["inflation"]]
    i = [float(v) for v in a["policy_rate"]]
    r = [float(v) for v in a["real_rate"]]
    cb = [float(v) for v in a["c_borrower"]]
    cs = [float(v) for v in a["c_saver"]]
    d = [float(v) / cb_ for v in a["new_debt"]]
    ell = [float(v) / cb_ for v in a["legacy_debt"]]
    lim = [float(v) / cb_ for v in a["debt_limit"]]
    B = [float(v) for v in a["government_debt"]]
    g = [float(v) for v in a["government_spending"]]
    tr = [float(v) for v in a["transfers"]]
    cap = [float(v) for v in a["capital_transfers"]]
    tax = [float(v) for v in a["taxes"]]
    mult = [float(v) for v in a["borrower_multiplier"]]
    P = [float(v) for v in a["price_level"]]
    pn, po = ex.pibar_new, ex.pibar_old
    ic = k.contract_rate
    out: dict[str, list[float]] = {key: [] for key in (
        "savers_euler", "borrowers_budget", "borrowers_slackness", "limit", "multiplier_sign",
        "multiplier", "debt_limit", "legacy", "legacy_service", "phillips", "policy_rule",
        "fisher", "price_level", "government_budget", "taxes", "safe_assets", "resources",
        "sectoral_balances", "surplus_columns", "deficit_column", "borrower_surplus")}
    # the new steady state from T on, computed afresh from the parameters
    x = 1.0 / (1.0 + k.rate_new)
    dstar = float(result.debt.debt_low) / cb_
    cb_star = 1.0 + dstar * x - dstar
    cs_star = (1.0 - cb_ * cb_star) / cs_s
    a_star = (cb_ * dstar * x + p.gov_debt) / cs_s
    wealth_star = p.omega * a_star ** (-p.eta) * cs_star ** (1.0 / sig) if p.omega else 0.0
    steady = [1.0 - p.beta * (1.0 + k.rate_new) - wealth_star,
              cb_star - k.cb_star, cs_star - k.cs_star]
    for t in range(T):
        pi_next = pi[t + 1] if t + 1 < T else pn
        R = 1.0 + r[t]
        R_prev = 1.0 + (r[t - 1] if t else k.rate_old)
        cb_next = cb[t + 1] if t + 1 < T else cb_star
        cs_next = cs[t + 1] if t + 1 < T else cs_star
        d_prev = d[t - 1] if t else 0.0
        ell_prev = ell[t - 1] if t else k.legacy0
        B_prev = B[t - 1] if t else p.gov_debt
        infl_leg = pi[t] if p.nominal_debt else po
        amort = 1.0 if t == T - 1 else p.amortisation
        # savers: u'(c_t) = beta R u'(c_t+1) + omega a^-eta
        wealth = (cb_ * (ell[t] + d[t] / R) + B[t]) / cs_s
        w_term = p.omega * wealth ** (-p.eta) if p.omega else 0.0
        out["savers_euler"].append(
            (cs[t] ** (-1 / sig) - p.beta * R * cs_next ** (-1 / sig) - w_term)
            * cs[t] ** (1 / sig))
        out["safe_assets"].append(wealth - float(a["safe_assets"][t]))
        # borrowers
        service = (ic + amort) * ell_prev / (1.0 + infl_leg)
        out["legacy_service"].append(service - float(a["legacy_service"][t]) / cb_)
        out["legacy"].append(ell[t] * (1.0 + infl_leg) - (1.0 - amort) * ell_prev)
        out["borrowers_budget"].append(
            cb[t] - (y[t] + tr[t] / cb_ + d[t] / R - d_prev - service))
        mu = (cb[t] ** (-1 / sig) - p.beta_b * R * cb_next ** (-1 / sig)) * cb[t] ** (1 / sig)
        out["multiplier"].append(mu - mult[t])
        slack = lim[t] - ell[t] - d[t]
        out["borrowers_slackness"].append(min(slack, mu))
        out["limit"].append(min(slack, 0.0))
        out["multiplier_sign"].append(min(mu, 0.0))
        if p.repair_rule == "target":
            out["debt_limit"].append(lim[t] - float(ex.debt[t]))
        else:
            q_prev = (ell[t - 1] + d[t - 1]) if t else k.debt_old
            rule = max(dstar, q_prev - p.repair_share * (y[t] + tr[t] / cb_))
            out["debt_limit"].append(lim[t] - rule)
        # prices and policy
        out["phillips"].append(pi[t] - pn - p.kappa * math.log(y[t]) - p.beta * (pi_next - pn))
        shadow = ((1.0 + k.rate_new) * (1.0 + pn) * ((1.0 + pi[t]) / (1.0 + pn)) ** p.phi_pi
                  * y[t] ** p.phi_y - float(ex.cut[t])) - 1.0
        rule_i = p.i_floor if bool(ex.hold[t]) else max(p.i_floor, shadow)
        out["policy_rule"].append(i[t] - rule_i)
        out["fisher"].append((1.0 + i[t]) - R * (1.0 + pi_next))
        out["price_level"].append(P[t] - (P[t - 1] if t else 1.0) * (1.0 + pi[t]))
        # government
        taxes = (k.tax_level + p.tax_repay * B_prev + p.tau_y * (y[t] - 1.0)
                 + float(ex.taxes[t]))
        out["taxes"].append(tax[t] - taxes)
        out["government_budget"].append(B[t] - (R_prev * B_prev + g[t] + tr[t] + cap[t] - taxes))
        out["resources"].append(y[t] - cs_s * cs[t] - cb_ * cb[t] - g[t])
        # flow of funds: borrowers' surplus is their net repayment at values
        value_prev = (ell_prev + d_prev / R_prev) if t else k.legacy0
        repay = cb_ * (value_prev - ell[t] - d[t] / R)
        out["borrower_surplus"].append(float(a["borrower_surplus"][t]) - repay)
        private = (cb_ * (y[t] - cb[t]) + tr[t] + cs_s * (y[t] - cs[t]) - taxes + cap[t]
                   + (R_prev - 1.0) * B_prev)
        out["sectoral_balances"].append(private - (B[t] - B_prev))
        out["surplus_columns"].append(
            float(a["private_surplus"][t]) - float(a["government_deficit"][t]))
        out["deficit_column"].append(float(a["government_deficit"][t]) - (B[t] - B_prev))
    res = {key: np.asarray(vals, dtype=np.float64) for key, vals in out.items()}
    res["steady_state"] = np.asarray(steady, dtype=np.float64)
    return res
