"""Vulnerability maps and fan charts, and their figures."""

from __future__ import annotations

import numpy as np
import pytest

from bsrlab.core.errors import ParameterError
from bsrlab.scale.distributions import Box, parse
from bsrlab.scale.maps import deleveraging_fan, vulnerability_map
from bsrlab.vonpeter import Params, thresholds


def test_vulnerability_map_matches_thresholds() -> None:
    shock = parse("tau", {"beta": [2.0, 40.0]}, Box(0.0, 1.0))
    xs, ys = np.linspace(0.2, 0.9, 8), np.linspace(0.0, 0.8, 5)
    m = vulnerability_map("alpha", xs, "gamma", ys, R=1.04, shock=shock)
    gx, gy = np.meshgrid(xs, ys)
    th = thresholds(Params.from_R(alpha=gx, R=1.04, gamma=gy))
    np.testing.assert_allclose(m.values["delta_star"], th.delta_star, rtol=1e-12)
    np.testing.assert_allclose(m.values["tau_star"], th.tau_star, rtol=1e-12)
    np.testing.assert_allclose(m.values["crisis_probability"], shock.sf(th.tau_star))
    # Proposition 5: more leverage, more deflation -> lower thresholds, likelier crisis
    assert np.all(np.diff(m.values["tau_star"], axis=1) < 0)
    assert np.all(np.diff(m.values["crisis_probability"], axis=0) > 0)
    with pytest.raises(ParameterError, match="axes"):
        vulnerability_map("alpha", xs, "alpha", ys)


def test_figures_draw_the_map_and_a_fan() -> None:
    from bsrlab.presentation.figures.scale import fan_chart, vulnerability_heatmaps

    m = vulnerability_map("alpha", np.linspace(0.3, 0.9, 4), "R", np.linspace(1.01, 1.2, 3),
                          shock=parse("tau", {"uniform": [0.0, 0.2]}, Box(0.0, 1.0)))
    fig, data = vulnerability_heatmaps(m)
    assert len(fig.axes) == 6 and len(data) == 12  # three panels and their colour bars
    fan = deleveraging_fan({"sigma": parse("sigma", {"uniform": [0.4, 0.8]},
                                           Box(0.0, 10.0, True))},
                           draws=4, periods=12, seed=3)
    assert fan.bands["output_gap"][0.05].shape == (12,)
    lo, mid, hi = (fan.bands["output_gap"][q] for q in (0.05, 0.5, 0.95))
    assert np.all(lo <= mid) and np.all(mid <= hi)
    fig, data = fan_chart(fan)
    assert list(data.columns) == ["t", "q0.05", "q0.25", "q0.5", "q0.75", "q0.95"]
