"""Hypothesis strategies over the admissible parameter box of the von Peter model."""

from __future__ import annotations

from hypothesis import strategies as st

from bsrlab.vonpeter import Params


@st.composite
def params(draw: st.DrawFn, *, gamma_max: float = 0.95, with_scale: bool = False) -> Params:
    """Admissible (alpha, beta, gamma[, y, H]): R - 1 < alpha < 1 and 0.6 <= beta <= 0.99.

    (alpha > R - 1 with alpha < 1 needs R < 2, so beta > 0.5.)
    """
    beta = draw(st.floats(0.6, 0.99))
    R = 1.0 / beta
    u = draw(st.floats(0.02, 0.98))
    alpha = (R - 1.0) + u * (1.0 - (R - 1.0))
    gamma = draw(st.floats(0.0, gamma_max))
    y = draw(st.floats(0.1, 10.0)) if with_scale else 1.0
    H = draw(st.floats(0.1, 10.0)) if with_scale else 1.0
    return Params(alpha=alpha, beta=beta, gamma=gamma, y=y, H=H)


taus = st.floats(0.0, 1.0)
