"""Near the edges of the admissible box: a correct result or a ParameterError, nothing else.

Parameters are drawn close to every boundary: R close to 1, alpha just above R - 1 (down to the
next float), alpha just below 1, gamma up to the last float below 1, output and the asset stock
over the whole floating-point range, shocks at 0, 1 and next to them. The test runs with warnings
as errors (pyproject), so a numpy overflow or invalid-value warning fails it, and so does any
error other than a ParameterError naming one of the parameters.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ParameterError
from bsrlab.vonpeter import (
    OUTPUT_KEYS,
    Params,
    equilibria,
    solve,
    steady_state,
    t_accounts,
    thresholds,
    vulnerability,
)

FIELDS = {"alpha", "beta", "gamma", "y", "H"}
BELOW_ONE = float(np.nextafter(1.0, 0.0))


@st.composite
def near_boundary(draw: st.DrawFn) -> tuple[float, float, float, float, float, float]:
    r = draw(st.one_of(st.floats(1e-15, 1e-3), st.floats(1e-3, 0.99)))  # R - 1
    beta = 1.0 / (1.0 + r)
    R = 1.0 / beta
    where = draw(st.sampled_from(["next", "near_low", "near_high", "last", "inside"]))
    if where == "next":
        alpha = float(np.nextafter(R - 1.0, 2.0))
    elif where == "last":
        alpha = BELOW_ONE
    else:
        u = {"near_low": st.floats(1e-300, 1e-6), "near_high": st.floats(1 - 1e-6, 1.0),
             "inside": st.floats(0.0, 1.0)}[where]
        alpha = (R - 1.0) + draw(u) * (1.0 - (R - 1.0))
    gamma = draw(st.one_of(st.just(0.0), st.floats(0.0, 1.0), st.floats(1 - 1e-6, 1.0),
                           st.just(BELOW_ONE)))
    gamma = min(gamma, BELOW_ONE)
    y = draw(st.one_of(st.just(1.0), st.floats(1e-300, 1e300)))
    H = draw(st.one_of(st.just(1.0), st.floats(1e-300, 1e300)))
    tau = draw(st.one_of(st.floats(0.0, 1.0), st.sampled_from([0.0, 1e-300, BELOW_ONE, 1.0])))
    return alpha, beta, gamma, y, H, tau


@settings(max_examples=400, deadline=None)
@given(x=near_boundary())
def test_near_the_boundary_a_result_or_a_parameter_error(
        x: tuple[float, float, float, float, float, float]) -> None:
    alpha, beta, gamma, y, H, tau = x
    p: Params | None = None
    error: ParameterError | None = None
    try:
        p = Params(alpha=alpha, beta=beta, gamma=gamma, y=y, H=H)
    except ParameterError as err:
        error = err
    if error is not None:  # a rejection names a parameter, in one line
        assert error.name in FIELDS and "\n" not in str(error)
    assume(p is not None)
    assert p is not None
    th = thresholds(p)
    s = solve(p, tau)
    ss = steady_state(p)
    eqs = equilibria(p, tau)
    v = vulnerability(p)
    acc = t_accounts(p, tau)
    for k in th.KEYS:
        assert 0.0 <= float(getattr(th, k)) <= 1.0, k
    d = [float(getattr(th, k)) for k in ("delta_0", "delta_div", "delta_star", "delta_K")]
    t = [float(getattr(th, k)) for k in ("tau_0", "tau_div", "tau_star", "tau_K")]
    # ordered up to round-off (near gamma = 1, tau_Div and tau* agree to ~1e-10 relative)
    assert all(lo <= hi + 1e-12 for lo, hi in pairwise(d))
    assert all(lo <= hi + 1e-12 for lo, hi in pairwise(t))
    for k in OUTPUT_KEYS:
        assert math.isfinite(float(getattr(s, k))), k
    assert 0.0 <= float(s.delta) <= 1.0
    assert all(math.isfinite(float(getattr(ss, k))) for k in ss.KEYS)
    assert eqs[-1].delta == 1.0
    assert all(np.all(np.isfinite(a)) for a in v.values.values())
    assert math.isfinite(acc.max_imbalance)


def test_an_output_so_large_that_amounts_overflow_is_an_error_naming_y() -> None:
    # R qH fits in floating point here, but omega = delta qH + (1 - p_t) y would not.
    with pytest.raises(ParameterError, match="parameter 'y'"):
        Params(alpha=0.0526316, beta=0.95, gamma=0.999999, y=1e308)
    sol = solve(Params(alpha=0.0526316, beta=0.95, gamma=0.999999, y=1e300), 1.0)
    assert np.all(np.isfinite(sol.total_losses)) and sol.converged
