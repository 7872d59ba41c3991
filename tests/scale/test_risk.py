"""Crisis probabilities: exact over the shock, QMC and MC agree, probabilities add up."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from scipy import stats

from bsrlab.core.errors import ConfigError, ParameterError
from bsrlab.scale.distributions import Box, parse
from bsrlab.scale.risk import PROBABILITY_KEYS, RiskConfig, risk
from bsrlab.vonpeter import Params, thresholds

REGIMES = PROBABILITY_KEYS[:4]


def _cfg(**over: object) -> RiskConfig:
    doc = {"parameters": {"alpha": {"uniform": [0.3, 0.9]}, "gamma": {"uniform": [0.0, 0.5]},
                          "R": 1.05},
           "shock": {"tau": {"exponential": {"mean": 0.03}}},
           "method": {"points": 16384, "seed": 1}}
    doc.update(over)
    return RiskConfig.from_dict(doc)


def test_fixed_parameters_beta_shock_is_exact() -> None:
    cfg = RiskConfig.from_dict({"parameters": {"alpha": 0.6, "R": 1.04, "gamma": 0.3},
                                "shock": {"tau": {"beta": [2.0, 30.0]}}})
    r = risk(cfg)
    th = thresholds(Params.from_R(alpha=0.6, R=1.04, gamma=0.3))
    F = stats.beta(2.0, 30.0).cdf
    assert r.method == "qmc-exact-shock"
    assert abs(r.probabilities["fundamental_crisis"] - (1.0 - F(float(th.tau_star)))) < 1e-12
    assert abs(r.probabilities["insolvent"] - (1.0 - F(float(th.tau_K)))) < 1e-12
    assert abs(r.probabilities["firms_absorb"] - F(float(th.tau_0))) < 1e-12
    assert all(v == 0.0 for v in r.standard_errors.values())


@pytest.mark.parametrize("corr", [{}, {"alpha": {"tau": 0.6}, "gamma": {"alpha": -0.3}}])
def test_qmc_and_mc_agree_within_four_standard_errors(corr: dict) -> None:
    cfg = _cfg(correlations=corr)
    q = risk(cfg)
    m = risk(dataclasses.replace(cfg, sampling="mc", points=200_000, seed=7))
    assert q.method == "qmc-exact-shock" and m.method == "mc"
    for k in PROBABILITY_KEYS:
        se = np.hypot(q.standard_errors[k], m.standard_errors[k])
        assert abs(q.probabilities[k] - m.probabilities[k]) < 4 * se, k
        assert q.standard_errors[k] < m.standard_errors[k]  # QMC with exact shock is sharper
    for r in (q, m):
        assert abs(sum(r.probabilities[k] for k in REGIMES) - 1.0) < 1e-12
    assert set(q.to_dict()) == {"probabilities", "standard_errors", "method", "points"}


def test_crisis_is_likelier_with_more_leverage() -> None:
    lo = risk(_cfg(parameters={"alpha": 0.4, "R": 1.05}))
    hi = risk(_cfg(parameters={"alpha": 0.8, "R": 1.05}))
    assert hi.probabilities["fundamental_crisis"] > lo.probabilities["fundamental_crisis"]


@pytest.mark.parametrize(("doc", "err", "match"), [
    ({"parameters": {"alpha": 0.5, "R": 1.05, "delta": 1}}, ConfigError, "parameters.delta"),
    ({"params": {}}, ConfigError, "'params'"),
    ({"parameters": {"alpha": {"uniform": [0.9, 0.3]}, "R": 1.05}}, ParameterError,
     "alpha uniform"),
    ({"parameters": {"alpha": {"uniform": [0.01, 0.9]}, "R": 1.05}}, ParameterError, "alpha"),
    ({"parameters": {"alpha": {"beta": [2, 2]}, "R": 1.05}}, ParameterError, "alpha"),
    ({"parameters": {"alpha": 0.5, "R": {"normal": [1.05, 0.0]}}}, ParameterError, "sd > 0"),
    ({"parameters": {"alpha": 0.5, "R": 1.05}, "shock": {"tau": {"gamma": [1, 2]}}},
     ConfigError, "unknown distribution 'gamma'"),
    ({"parameters": {"alpha": 0.5, "R": 1.05}, "shock": {"tau": {"normal": [5.0, 0.01]}}},
     ParameterError, "tau"),
    ({"parameters": {"alpha": {"uniform": [0.3, 0.9]}, "R": 1.05},
      "correlations": {"alpha": {"tau": 1.5}}}, ParameterError, "correlations.alpha.tau"),
    ({"parameters": {"alpha": 0.5, "R": 1.05}, "correlations": {"alpha": {"tau": 0.5}}},
     ParameterError, "fixed"),
    ({"parameters": {"alpha": 0.5, "R": 1.05}, "method": {"points": 0}}, ParameterError,
     "method.points"),
])
def test_bad_configurations_are_named(doc: dict, err: type, match: str) -> None:
    doc = {"shock": {"tau": {"uniform": [0.0, 0.2]}}, **doc}
    with pytest.raises(err, match=match):
        RiskConfig.from_dict(doc)


@pytest.mark.parametrize("spec", [{"uniform": [0.1, 0.4]}, {"normal": [0.2, 0.3]},
                                  {"lognormal": [-2.0, 0.5]}, {"beta": [2.0, 5.0]},
                                  {"exponential": {"mean": 0.1}},
                                  {"triangular": [0.0, 0.1, 0.5]}])
def test_distributions_cdf_inverts_ppf(spec: dict) -> None:
    d = parse("tau", spec, Box(0.0, 1.0))
    u = np.linspace(0.01, 0.99, 99)
    x = d.ppf(u)
    assert np.all((x >= 0.0) & (x <= 1.0)) and np.all(np.diff(x) > 0)
    np.testing.assert_allclose(d.cdf(x), u, atol=1e-9)
