"""A per-point reference solver: scalar ``math`` and :func:`scipy.optimize.brentq`.

It computes the same outputs as :func:`bsrlab.models.vonpeter.solve.solve` for one point at a time,
by an independent route: the regime-1 decline is the root of h(delta) = delta - 1 + (1-tau)(1-R
delta)^e bracketed on [0, delta_Div] (h(0) = -tau <= 0 and h(delta_Div) >= 0 below tau_Div). It is
the oracle for the two-method tests and the baseline of the speed benchmark; it is not meant to be
fast.

It stays independent on purpose: it writes out its own arithmetic (qH, K, delta*, the prices,
the losses and the regime names) instead of calling :mod:`bsrlab.models.vonpeter.closed`, the
solver's kernel or :class:`~bsrlab.models.vonpeter.solve.Regime`, so that a slip in one of those
shows up as a disagreement between the two methods.
"""

from __future__ import annotations

from scipy.optimize import brentq

__all__ = ["solve_point"]


def solve_point(alpha: float, beta: float, gamma: float, tau: float, y: float = 1.0
                ) -> dict[str, float | str]:
    """Solve one point; returns the CLI's ``solve`` keys (regime as its label)."""
    R = 1.0 / beta
    e = gamma / (gamma - 1.0)
    ds = (R - 1.0) * ((R / alpha) ** (1.0 - gamma) - 1.0)
    pbar_next = (1.0 - ds) ** e
    pbar_t = (R / alpha) ** (-gamma)
    tau_div = 1.0 - (1.0 - ds / R) / pbar_next
    qH = alpha * y / (R - 1.0)
    s = alpha * y / R
    K = s
    Pi = (1.0 - alpha) * y
    if tau < tau_div:
        if tau == 0.0:
            delta = 0.0
        else:
            delta = brentq(lambda d: d - 1.0 + (1.0 - tau) * (1.0 - R * d) ** e, 0.0, ds / R,
                           xtol=1e-15, rtol=8.9e-16, maxiter=200)
        p_next = (1.0 - R * delta) ** e
        p_t = (1.0 + R * delta / (R - 1.0)) ** e
        s_t = s + delta * qH
    else:
        delta = 1.0 - (1.0 - tau) * pbar_next
        p_next = pbar_next
        p_t = pbar_t
        s_t = pbar_t * y
    D_t = qH - s_t
    omega = delta * qH + (1.0 - p_t) * y
    lam = max(0.0, omega - Pi)
    if lam <= (R - 1.0) * K:
        K_t, div = K, (R - 1.0) * K - lam
    else:
        K_t, div = R * K - lam, 0.0
    if lam <= 0.0:
        regime = "firms_absorb"
    elif lam <= (R - 1.0) * K:
        regime = "dividends_absorb"
    elif lam < R * K:
        regime = "capital_absorbs"
    else:
        regime = "insolvent"
    return {
        "delta": delta, "p_t": p_t, "p_next": p_next, "s_t": s_t, "s_next": (R - 1.0) * D_t,
        "asset_value_t": (1.0 - delta) * qH, "loan_losses": lam, "total_losses": omega,
        "firm_profits_t": max(0.0, Pi - omega), "bank_capital_t": K_t, "bank_dividends_t": div,
        "deposits_t": D_t, "depositor_losses": max(0.0, lam - R * K), "regime": regime,
    }

