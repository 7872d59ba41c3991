"""Section 2 extended: the Fisher term of nominal debt and government spending that shifts supply.

Closed forms against the linear system of state S (``np.linalg.solve``), against the model
without the extensions (both parameters at zero), and against the determinacy condition.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ParameterError
from bsrlab.models.deleveraging.two_state import (
    TwoStateParams,
    debt_deflation_effect,
    paradox_of_flexibility,
    paradox_of_thrift,
    paradox_of_toil,
    solve_two_state,
    solve_two_state_numeric,
    spending_multiplier_bound,
)


def _params(**kw: Any) -> TwoStateParams | None:
    try:
        return TwoStateParams(**kw)
    except ParameterError:
        return None


def _with(p: TwoStateParams, **kw: float) -> TwoStateParams:
    return TwoStateParams(**{**p.__dict__, **kw})


def _y(p: TwoStateParams, *, at_bound: bool = True) -> float:
    return solve_two_state_numeric(p, at_bound=at_bound)["output"]


BASE: dict[str, st.SearchStrategy[float]] = {
    "beta": st.floats(0.95, 0.995), "sigma": st.floats(0.3, 2.0), "kappa": st.floats(0.0, 0.03),
    "mu": st.floats(0.3, 0.75), "chi_b": st.floats(0.0, 0.7), "cs_share": st.floats(0.8, 1.2),
    "delta": st.floats(-0.05, 0.3), "g": st.floats(-0.02, 0.05),
    "t_b": st.floats(-0.05, 0.05), "supply": st.floats(-0.02, 0.02),
    "phi_pi": st.floats(1.1, 3.0), "phi_y": st.floats(0.0, 1.0)}
EXTENDED = st.fixed_dictionaries({**BASE, "psi": st.floats(0.0, 1.5),
                                  "fisher": st.floats(0.0, 3.0)})


# ---- psi = fisher = 0: the model without the extensions, to the last bit ----------------

def _reference(p: TwoStateParams) -> dict[str, float]:
    """The closed forms of the model without psi and fisher, from the raw fields."""
    chi_s = 1.0 - p.chi_b
    ss = p.sigma * p.cs_share
    rbar = 1.0 / p.beta - 1.0
    k = p.kappa / (1.0 - p.beta * p.mu)
    b = ss * p.mu / (1.0 - p.mu)
    rn = rbar - (1 - p.mu) * p.chi_b * p.delta / (chi_s * ss)
    a_pi = ss * (p.phi_pi - p.mu) * k / (1 - p.mu)
    a_y = ss * p.phi_y / (1 - p.mu)
    y_t = ((ss * (rn - rbar) / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / chi_s + a_pi * p.supply)
           / (1 + a_pi + a_y))
    shadow_t = rbar + p.phi_pi * k * (y_t - p.supply) + p.phi_y * y_t
    m_bound = 1.0 / (chi_s * (1.0 - b * k))
    m_taylor = 1.0 / (chi_s * (1.0 + ss * ((p.phi_pi - p.mu) * k + p.phi_y) / (1 - p.mu)))
    if shadow_t < 0:
        y = ((ss * rn / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / chi_s - b * k * p.supply)
             / (1 - b * k))
        shadow, i, m = rbar + p.phi_pi * k * (y - p.supply) + p.phi_y * y, 0.0, m_bound
    else:
        y, shadow, i, m = y_t, shadow_t, shadow_t, m_taylor
    cb = y - p.t_b - p.delta
    n = ss * rn / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / chi_s
    cs = (y - p.g - p.chi_b * cb) / chi_s
    return {
        "output": y, "inflation": k * (y - p.supply), "natural_rate": rn, "policy_rate": i,
        "shadow_rate": shadow, "at_bound": shadow_t < 0, "c_saver": cs, "c_borrower": cb,
        "spending_multiplier": m, "transfer_multiplier": m,
        "spending_multiplier_bound": m_bound, "spending_multiplier_taylor": m_taylor,
        "determinate": True, "b": b, "k": k,
        "thrift": -p.chi_b / (chi_s * (1 - b * k)), "toil": -b * k / (1 - b * k),
        "flexibility": b * (n - p.supply) / ((1 - p.beta * p.mu) * (1 - b * k) ** 2)}


GRID = list(itertools.product(
    [0.95, 0.99], [0.5, 1.0, 2.0], [0.0, 0.01, 0.03], [0.3, 0.6, 0.8], [0.0, 0.3, 0.6],
    [-0.05, 0.1, 0.3], [0.0, 0.02], [-0.03, 0.0], [-0.01, 0.01]))


def test_zero_psi_and_fisher_reproduce_the_model_without_them_exactly() -> None:
    names = ("beta", "sigma", "kappa", "mu", "chi_b", "delta", "g", "t_b", "supply")
    solved = refused = 0
    for values in GRID:
        kw = dict(zip(names, values, strict=True))
        p = _params(**kw)
        if p is None:  # 1 - b k <= 0: refused with or without the explicit zeros
            refused += 1
            with pytest.raises(ParameterError, match="'kappa'"):
                TwoStateParams(**kw, psi=0.0, fisher=0.0)
            continue
        solved += 1
        assert p == TwoStateParams(**kw, psi=0.0, fisher=0.0)
        ref = _reference(p)
        got = solve_two_state(p).to_dict()
        got.update(thrift=paradox_of_thrift(p), toil=paradox_of_toil(p),
                   flexibility=paradox_of_flexibility(p))
        assert got == ref, kw  # bit for bit, not approximately
        assert spending_multiplier_bound(p) == ref["spending_multiplier_bound"]
    assert solved > 1000 and refused > 0


# ---- the closed forms with both extensions against the linear system -------------------

@settings(max_examples=150, deadline=None)
@given(kw=EXTENDED)
def test_extended_closed_forms_match_linear_system(kw: dict[str, float]) -> None:
    p = _params(**kw)
    assume(p is not None)
    assert p is not None
    res = solve_two_state(p)
    num = solve_two_state_numeric(p, at_bound=res.at_bound)
    for key in ("output", "inflation", "c_saver", "c_borrower", "policy_rate"):
        assert getattr(res, key) == pytest.approx(num[key], abs=1e-10)
    assert res.diagnostics.max_residual < 1e-12
    # borrowers: real service of nominal debt; Phillips: spending seen by a share 1 - psi
    assert res.c_borrower == pytest.approx(
        res.output - p.t_b - p.delta + p.fisher * res.inflation, abs=1e-13)
    assert res.inflation == pytest.approx(p.k * (res.output - p.supply - p.psi * p.g), abs=1e-13)
    h = 1e-3
    for at_bound, m in ((True, res.spending_multiplier_bound),
                        (False, res.spending_multiplier_taylor)):
        y0 = _y(p, at_bound=at_bound)
        fd = (_y(_with(p, g=p.g + h), at_bound=at_bound) - y0) / h
        assert fd == pytest.approx(m, rel=1e-7, abs=1e-9)
        if p.chi_b > 1e-3:  # a transfer of aggregate size T: t_b falls by T/chi_b
            fd_t = (_y(_with(p, t_b=p.t_b - h / p.chi_b), at_bound=at_bound) - y0) / h
            if at_bound == res.at_bound:
                assert fd_t == pytest.approx(res.transfer_multiplier, rel=1e-7, abs=1e-9)
            if at_bound:  # transfers do not shift supply: 1/(chi_s (1 - B k))
                assert fd_t == pytest.approx(1 / (p.chi_s * (1 - p.b_ad * p.k)), rel=1e-7)
    # spending shifts supply, transfers do not: at the bound spending does less when psi > 0
    m_t = 1 / (p.chi_s * (1 - p.b_ad * p.k))
    assert res.spending_multiplier_bound == pytest.approx(
        m_t - p.psi * p.b_ad * p.k / (1 - p.b_ad * p.k), rel=1e-12, abs=1e-12)
    # aggregate demand at the bound: y = N + B pi
    yb = solve_two_state_numeric(p, at_bound=True)
    n = p.sigma_s * p.natural_rate / (1 - p.mu) + (p.g - p.chi_b * p.t_b) / p.chi_s
    assert yb["output"] == pytest.approx(n + p.b_ad * yb["inflation"], abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(kw=EXTENDED, psi=st.floats(0.0, 1.5))
def test_spending_multiplier_with_psi_matches_stated_closed_form(kw: dict[str, float],
                                                                 psi: float) -> None:
    p = _params(**{**kw, "psi": psi, "fisher": 0.0})
    assume(p is not None)
    assert p is not None
    b, k = p.b, p.k
    stated = (1 / p.chi_s - psi * b * k) / (1 - b * k)
    assert spending_multiplier_bound(p) == pytest.approx(stated, rel=1e-12)
    assert solve_two_state(p).spending_multiplier_bound == pytest.approx(stated, rel=1e-12)
    fd = (_y(_with(p, g=p.g + 1e-3)) - _y(p)) / 1e-3
    assert fd == pytest.approx(stated, rel=1e-7, abs=1e-9)
    if psi <= 1:  # the derived range of psi: the multiplier is at least one
        assert spending_multiplier_bound(p) >= 1 - 1e-12
    # with the Fisher term too: B = b + chi_b fisher/chi_s replaces b
    q = _params(**{**kw, "psi": psi})
    assume(q is not None)
    assert q is not None
    bq = q.b + q.chi_b * q.fisher / q.chi_s
    stated_q = (1 / q.chi_s - psi * bq * q.k) / (1 - bq * q.k)
    assert spending_multiplier_bound(q) == pytest.approx(stated_q, rel=1e-12)
    fd_q = (_y(_with(q, g=q.g + 1e-3)) - _y(q)) / 1e-3
    assert fd_q == pytest.approx(stated_q, rel=1e-7, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(beta=st.floats(0.95, 0.995), sigma=st.floats(0.3, 2.0), mu=st.floats(0.3, 0.8),
       kappa=st.floats(0.0, 0.02), psi=st.floats(0.0, 1.0), fisher=st.floats(0.0, 3.0))
def test_psi_limits(beta: float, sigma: float, mu: float, kappa: float, psi: float,
                    fisher: float) -> None:
    # chi_b = 0: Eggertsson (2011), (1 - psi b k)/(1 - b k); the Fisher term has no debtors
    p = _params(beta=beta, sigma=sigma, mu=mu, kappa=kappa, chi_b=0.0, delta=0.0, psi=psi,
                fisher=fisher)
    assume(p is not None)
    assert p is not None
    bk = sigma * mu / (1 - mu) * kappa / (1 - beta * mu)
    assert spending_multiplier_bound(p) == pytest.approx((1 - psi * bk) / (1 - bk), rel=1e-12)
    # kappa = 0: 1/chi_s whatever psi and fisher
    q = TwoStateParams(beta=beta, sigma=sigma, mu=mu, kappa=0.0, chi_b=0.4, psi=psi,
                       fisher=fisher)
    assert spending_multiplier_bound(q) == pytest.approx(1 / 0.6, rel=1e-13)


# ---- the Fisher term: debt deflation at the bound ----------------------------------------

def test_fisher_term_lowers_output_at_the_bound_when_inflation_falls() -> None:
    p0 = TwoStateParams(kappa=0.01)
    r0 = solve_two_state(p0)
    assert r0.at_bound and r0.inflation < 0
    prev = r0
    for f in (0.2, 0.5, 1.0, 2.0):
        r = solve_two_state(_with(p0, fisher=f))
        assert r.at_bound and r.output < prev.output and r.inflation < prev.inflation
        assert r.c_borrower < prev.c_borrower
        prev = r
    # with inflation above zero at the bound (potential output lower) it raises output
    up = TwoStateParams(kappa=0.01, delta=0.06, supply=-0.2)
    ru = solve_two_state_numeric(up, at_bound=True)
    assert ru["inflation"] > 0
    assert solve_two_state_numeric(_with(up, fisher=0.5), at_bound=True)["output"] > ru["output"]


def test_aggregate_demand_slopes_up_with_the_fisher_term_alone() -> None:
    # mu = 0: no expected-inflation channel (b = 0); only nominal debt makes demand slope up
    p = TwoStateParams(mu=0.0, kappa=0.02, fisher=0.0)
    q = _with(p, fisher=1.0)
    assert p.b == 0.0 and q.b_ad > 0
    a, b = solve_two_state_numeric(p, at_bound=True), solve_two_state_numeric(q, at_bound=True)
    assert a["inflation"] < 0 and b["output"] < a["output"]


@settings(max_examples=100, deadline=None)
@given(kw=EXTENDED)
def test_debt_deflation_effect_and_paradoxes_are_derivatives(kw: dict[str, float]) -> None:
    p = _params(**kw)
    assume(p is not None)
    assert p is not None
    h = 1e-6
    y = _y(p)
    pi = solve_two_state_numeric(p, at_bound=True)["inflation"]
    up, down = _params(**{**kw, "fisher": p.fisher + h}), _params(**{**kw, "fisher": p.fisher - h})
    assume(up is not None)
    assert up is not None
    d = debt_deflation_effect(p)
    # central differences where fisher - h is admissible, one-sided at fisher = 0
    fd = (_y(up) - _y(down)) / (2 * h) if down is not None else (_y(up) - y) / h
    assert fd == pytest.approx(d, rel=1e-5, abs=1e-8)
    assert d == pytest.approx(p.chi_b * pi / (p.chi_s * (1 - p.b_ad * p.k)), abs=1e-12)
    if abs(pi) > 1e-9 and p.chi_b > 1e-9 and p.kappa > 0:  # (a denormal chi_b underflows d)
        assert (d < 0) == (pi < 0)  # nominal debt lowers output exactly when prices fall
    assert (_y(_with(p, delta=p.delta + h)) - y) / h == pytest.approx(
        paradox_of_thrift(p), rel=1e-5, abs=1e-8)
    assert (_y(_with(p, supply=p.supply + h)) - y) / h == pytest.approx(
        paradox_of_toil(p), rel=1e-5, abs=1e-8)
    assert paradox_of_thrift(p) <= 0 and paradox_of_toil(p) <= 0
    k_up, k_down = _params(**{**kw, "kappa": p.kappa + h}), _params(**{**kw, "kappa": p.kappa - h})
    assume(k_up is not None)
    assert k_up is not None
    if k_down is not None:
        fd_k = (_y(k_up) - _y(k_down)) / (2 * h)
        assert fd_k == pytest.approx(paradox_of_flexibility(p), rel=1e-4, abs=1e-7)


@settings(max_examples=80, deadline=None)
@given(kappa=st.floats(0.002, 0.03), chi_b=st.floats(0.1, 0.7), mu=st.floats(0.3, 0.8),
       f1=st.floats(0.0, 2.0), df=st.floats(0.01, 2.0))
def test_fisher_term_steepens_the_paradox_of_flexibility(kappa: float, chi_b: float, mu: float,
                                                          f1: float, df: float) -> None:
    lo = _params(kappa=kappa, chi_b=chi_b, mu=mu, fisher=f1, delta=0.5)
    hi = _params(kappa=kappa, chi_b=chi_b, mu=mu, fisher=f1 + df, delta=0.5)
    assume(lo is not None and hi is not None)
    assert lo is not None and hi is not None
    assert lo.natural_rate < 0  # g = t_b = s = 0: flexibility lowers output ...
    assert paradox_of_flexibility(hi) < paradox_of_flexibility(lo) < 0  # ... more with debt


# ---- uniqueness and stability: 1 - (b + chi_b fisher/chi_s) k > 0 ------------------------

@settings(max_examples=100, deadline=None)
@given(kw=st.fixed_dictionaries(BASE), eps=st.floats(1e-4, 0.5))
def test_refusal_outside_the_determinate_region(kw: dict[str, float], eps: float) -> None:
    p = _params(**kw)
    assume(p is not None)
    assert p is not None
    assume(p.chi_b > 0.01 and p.kappa > 1e-4 and 1 - p.b * p.k > 1e-3)
    fmax = p.chi_s * (1 / p.k - p.b) / p.chi_b
    inside = TwoStateParams(**kw, fisher=fmax * (1 - eps))
    assert 1 - inside.b_ad * inside.k > 0
    res = solve_two_state(inside)
    assert res.determinate and res.diagnostics.max_residual < 1e-8 * max(1.0, abs(res.output))
    # the Taylor regime's condition 1 + A_pi + a_y > 0 follows from it
    a = (inside.sigma_s * ((inside.phi_pi - inside.mu) * inside.k + inside.phi_y)
         / (1 - inside.mu) - inside.chi_b * inside.fisher / inside.chi_s * inside.k)
    assert 1 + a > 0
    with pytest.raises(ParameterError, match=r"parameter 'fisher' must satisfy "
                       r"1 - \(b \+ chi_b\*fisher/chi_s\)\*k > 0.*so fisher <") as info:
        TwoStateParams(**kw, fisher=fmax * (1 + eps))
    assert "\n" not in str(info.value) and "kappa" in str(info.value)


def test_refusal_messages() -> None:
    # defaults: b = 4, k = 0.02/0.208, chi_b = chi_s: fisher < 1/k - b = 10.4 - 4 = 6.4
    with pytest.raises(ParameterError, match=r"'fisher'.*so fisher < 6\.4\b.*got 7\.0"):
        TwoStateParams(fisher=7.0)
    assert 1 - TwoStateParams(fisher=6.3).b_ad * TwoStateParams(fisher=6.3).k > 0
    # an indeterminate kappa is reported as before, whatever fisher is
    with pytest.raises(ParameterError, match=r"'kappa' must satisfy 1 - b\*k > 0.*got 0.5"):
        TwoStateParams(kappa=0.5, fisher=1.0)
    for name in ("psi", "fisher"):
        with pytest.raises(ParameterError, match=f"parameter '{name}' must satisfy"):
            TwoStateParams(**{name: -0.1})
    assert TwoStateParams(psi="0.5") == TwoStateParams(psi=0.5)  # type: ignore[arg-type]
    p = TwoStateParams(psi=0.5, fisher=1.0)
    assert dataclasses.replace(p, g=0.01) == _with(p, g=0.01)
    # no debtors: fisher is inert
    assert solve_two_state(TwoStateParams(chi_b=0.0, fisher=50.0)).to_dict() == \
        solve_two_state(TwoStateParams(chi_b=0.0)).to_dict()
