"""Crisis probabilities: how likely is each loss regime, and a fundamental banking crisis?

The parameters (alpha, R or beta, gamma) and the shock tau are random (see
:mod:`bsrlab.scale.distributions`), possibly correlated through a Gaussian copula. The answer
is the probability of each loss regime of Proposition 3 (firms absorb, bank dividends absorb,
bank capital absorbs, banks insolvent) and of a fundamental banking crisis, tau > tau*
(Proposition 4: beyond tau* only the banking crisis remains), with standard errors.

Two methods:

``qmc-exact-shock``
    Given the parameters, every regime is an interval of tau between two thresholds
    (tau_0 < tau_Div < tau_K, Appendix 2) and the crisis is tau > tau*; so the conditional
    probabilities are differences of the shock's CDF at the thresholds, computed exactly. With
    a Gaussian copula the shock's conditional CDF is still in closed form,
    Phi((Phi^-1(F(t)) - mu)/s) with the conditional mean mu and sd s of its normal score. Only
    the parameters are sampled, by scrambled Sobol points (quasi-Monte Carlo); the standard
    error comes from independent scramblings (randomised QMC). With every parameter fixed the
    answer is exact (standard error 0). Used whenever the shock's CDF is available in closed
    form, which is the case for every distribution of the syntax.
``mc``
    Plain Monte Carlo over parameters and shock together, each draw solved by the fused
    kernel; standard errors sqrt(p (1 - p)/(n - 1)). Used when asked for
    (``sampling = "mc"``), e.g. to check the first method.

Examples
--------
>>> cfg = RiskConfig.from_dict({"parameters": {"alpha": 0.5, "R": 1.05, "gamma": 0.0},
...                             "shock": {"tau": {"uniform": [0.0, 0.2]}}})
>>> r = risk(cfg)
>>> r.method, round(r.probabilities["fundamental_crisis"], 6)  # tau* = 5.5 % for gamma = 0
('qmc-exact-shock', 0.725)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import special

from bsrlab.core.errors import ConfigError, ParameterError
from bsrlab.models.vonpeter.kernel import evaluate
from bsrlab.models.vonpeter.params import Params
from bsrlab.models.vonpeter.solve import Regime
from bsrlab.models.vonpeter.thresholds import thresholds
from bsrlab.scale._config import integer, require_model_keys, table, unknown
from bsrlab.scale.distributions import Box, Distribution, parse

__all__ = ["PROBABILITY_KEYS", "RiskConfig", "RiskResult", "joint_sample", "risk"]

Arr = NDArray[np.float64]

#: The JSON keys of ``probabilities`` and ``standard_errors``, in order.
PROBABILITY_KEYS: tuple[str, ...] = (*(r.label for r in Regime), "fundamental_crisis")

_PARAM_KEYS = ("alpha", "R", "beta", "gamma")
_SECTIONS = ("parameters", "shock", "correlations", "method")
_METHOD_KEYS = ("points", "seed", "sampling", "replicates")
_SAMPLING = ("auto", "qmc", "mc")
#: Upper end of R: alpha < 1 and R - 1 < alpha need R < 2.
_R_MAX = 2.0


@dataclass(frozen=True)
class RiskConfig:
    """A risk question: distributions of alpha, R, gamma and tau, correlations, the method.

    Build it with :meth:`from_dict` (the parsed TOML of ``bsrlab risk --config``). Variables
    are named ``alpha``, ``R`` (given directly, or as ``beta`` with R = 1/beta), ``gamma``
    and ``tau``. ``correlations`` holds the copula's pairwise correlations of the random
    variables (``[correlations] alpha.tau = -0.3``).
    """

    alpha: Distribution
    rate: Distribution
    rate_is_beta: bool
    gamma: Distribution
    tau: Distribution
    correlations: dict[tuple[str, str], float] = field(default_factory=dict)
    points: int = 65536
    seed: int = 0
    sampling: str = "auto"
    replicates: int = 16

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> RiskConfig:
        """Parse and check a risk configuration (unknown keys and impossible distributions are
        errors naming them)."""
        unknown(doc, _SECTIONS, "")
        params = table(doc, "parameters", "")
        shock = table(doc, "shock", "")
        corr = table(doc, "correlations", "")
        method = table(doc, "method", "")
        unknown(params, _PARAM_KEYS, "parameters.")
        unknown(shock, ("tau",), "shock.")
        unknown(method, _METHOD_KEYS, "method.")
        require_model_keys(params, shock)
        is_beta = "beta" in params
        if is_beta:
            rate = parse("beta", params["beta"], Box(1.0 / _R_MAX, 1.0, True, True))
            r_hi = 1.0 / rate.lo
        else:
            rate = parse("R", params["R"], Box(1.0, _R_MAX, True, True))
            r_hi = rate.hi
        alpha = parse("alpha", params["alpha"], Box(r_hi - 1.0, 1.0, True, True))
        gamma = parse("gamma", params.get("gamma", 0.0), Box(0.0, 1.0, False, True))
        tau = parse("tau", shock["tau"], Box(0.0, 1.0))
        rate_name = "beta" if is_beta else "R"
        names = {"alpha": alpha, rate_name: rate, "gamma": gamma, "tau": tau}
        pairs: dict[tuple[str, str], float] = {}
        for a, row in corr.items():
            if not isinstance(row, dict):
                raise ConfigError(f"correlations.{a}: expected a table such as "
                                  f"{{ tau = -0.3 }}; got {row!r}")
            for b, rho in row.items():
                for v in (a, b):
                    if v not in names:
                        raise ConfigError(f"unknown key 'correlations.{a}.{b}': '{v}' is not "
                                          f"one of {', '.join(names)}")
                    if names[v].is_fixed:
                        raise ParameterError(f"correlations.{a}.{b}", f"{v} random (it is "
                                             "fixed)", names[v].value)
                if a == b:
                    raise ConfigError(f"correlations.{a}.{b}: a variable with itself")
                if isinstance(rho, bool) or not isinstance(rho, int | float) or not -1 < rho < 1:
                    raise ParameterError(f"correlations.{a}.{b}", "-1 < rho < 1", rho)
                key = (a, b) if _ORDER[a] < _ORDER[b] else (b, a)
                if key in pairs:
                    raise ConfigError(f"correlations: {key[0]} and {key[1]} given twice")
                pairs[key] = float(rho)
        points = integer("method.points", method.get("points", 65536), 2, 1 << 26)
        seed = integer("method.seed", method.get("seed", 0), 0, 2**63 - 1)
        replicates = integer("method.replicates", method.get("replicates", 16), 2, 1024)
        sampling = method.get("sampling", "auto")
        if sampling not in _SAMPLING:
            raise ParameterError("method.sampling", "one of " + ", ".join(_SAMPLING), sampling)
        cfg = cls(alpha=alpha, rate=rate, rate_is_beta=is_beta, gamma=gamma, tau=tau,
                  correlations=pairs, points=points, seed=seed, sampling=sampling,
                  replicates=replicates)
        cfg.copula()  # positive definite?
        return cfg

    @property
    def variables(self) -> dict[str, Distribution]:
        """The four variables by name (``R`` or ``beta`` for the rate)."""
        return {"alpha": self.alpha, "beta" if self.rate_is_beta else "R": self.rate,
                "gamma": self.gamma, "tau": self.tau}

    def random(self) -> list[str]:
        """The names of the random variables, in the fixed order alpha, R/beta, gamma, tau."""
        return [k for k, d in self.variables.items() if not d.is_fixed]

    def copula(self) -> NDArray[np.float64]:
        """The correlation matrix of the random variables' normal scores (checked)."""
        names = self.random()
        c = np.eye(len(names))
        for (a, b), rho in self.correlations.items():
            i, j = names.index(a), names.index(b)
            c[i, j] = c[j, i] = rho
        if len(names) and np.min(np.linalg.eigvalsh(c)) <= 1e-10:
            raise ParameterError("correlations", "a positive definite correlation matrix",
                                 {f"{a}.{b}": r for (a, b), r in self.correlations.items()})
        return c


_ORDER = {"alpha": 0, "R": 1, "beta": 1, "gamma": 2, "tau": 3}


@dataclass(frozen=True)
class RiskResult:
    """Probabilities of the loss regimes and of a fundamental crisis, with standard errors.

    ``to_dict()`` is the JSON of ``bsrlab risk``: ``probabilities``, ``standard_errors``
    (keys :data:`PROBABILITY_KEYS`), ``method`` and ``points``. ``reason`` says why the
    method was used.
    """

    probabilities: dict[str, float]
    standard_errors: dict[str, float]
    method: str
    points: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The command line's JSON object."""
        return {"probabilities": dict(self.probabilities),
                "standard_errors": dict(self.standard_errors),
                "method": self.method, "points": self.points}


def joint_sample(cfg: RiskConfig, u: Arr) -> dict[str, Arr]:
    """Values of the variables from uniform points ``u`` (n x d, d = number of random ones).

    The copula: z = Phi^-1(u), correlated z' = L z (L the Cholesky factor), then each
    variable's inverse CDF at Phi(z'). Fixed variables are returned as length-n constants.
    """
    names = cfg.random()
    n = u.shape[0]
    out: dict[str, Arr] = {}
    if names:
        corr = cfg.copula()
        if np.allclose(corr, np.eye(len(names))):
            v = u
        else:
            z = special.ndtri(u) @ np.linalg.cholesky(corr).T
            v = special.ndtr(z)
        for i, k in enumerate(names):
            out[k] = cfg.variables[k].ppf(v[:, i])
    for k, d in cfg.variables.items():
        if d.is_fixed:
            out[k] = np.full(n, d.value)
    return out


def _rate(cfg: RiskConfig, values: Mapping[str, Arr]) -> Arr:
    return 1.0 / values["beta"] if cfg.rate_is_beta else values["R"]


def risk(cfg: RiskConfig) -> RiskResult:
    """The probability of each loss regime and of a fundamental crisis (tau > tau*).

    See the module's description of the two methods; ``cfg.sampling`` chooses (``auto``:
    ``qmc-exact-shock``, since every shock distribution of the syntax has a closed-form CDF).

    Raises
    ------
    ParameterError
        A sampled point outside the admissible box (e.g. delta* too close to 1).
    ConvergenceError
        A threshold or equilibrium that could not be verified.
    """
    if cfg.sampling == "mc":
        return _risk_mc(cfg, "asked for (sampling = \"mc\")")
    reason = ("the shock's CDF is in closed form: exact over tau, scrambled Sobol points "
              "over the parameters")
    return _risk_qmc(cfg, reason)


def _conditional_cdf(cfg: RiskConfig, values: Mapping[str, Arr], u: Arr | None,
                     t: Arr) -> Arr:
    """F(t | parameters) of the shock under the Gaussian copula (the marginal without it)."""
    names = cfg.random()
    F = cfg.tau.cdf(t)
    if u is None or "tau" not in names or not any("tau" in k for k in cfg.correlations):
        return F
    corr = cfg.copula()
    j = names.index("tau")
    others = [i for i in range(len(names)) if i != j]
    s12 = corr[j, others]
    s22 = corr[np.ix_(others, others)]
    w = np.linalg.solve(s22, s12)
    cond_sd = math.sqrt(max(1.0 - float(s12 @ w), 0.0))
    # the parameters' normal scores, correlated as in joint_sample
    z = special.ndtri(u[:, others]) @ np.linalg.cholesky(s22).T
    mu = z @ w
    with np.errstate(divide="ignore"):
        zt = special.ndtri(F)
    return special.ndtr((zt - mu) / cond_sd)


def _threshold_probabilities(cfg: RiskConfig, values: Mapping[str, Arr],
                             u: Arr | None) -> dict[str, Arr]:
    R = _rate(cfg, values)
    th = thresholds(Params.from_R(alpha=values["alpha"], R=R, gamma=values["gamma"]))
    cdf = {k: _conditional_cdf(cfg, values, u, np.asarray(getattr(th, k)))
           for k in ("tau_0", "tau_div", "tau_K", "tau_star")}
    # the regimes' intervals [0, tau_0), [tau_0, tau_Div), [tau_Div, tau_K), [tau_K, 1]
    return {
        "firms_absorb": cdf["tau_0"],
        "dividends_absorb": cdf["tau_div"] - cdf["tau_0"],
        "capital_absorbs": cdf["tau_K"] - cdf["tau_div"],
        "insolvent": 1.0 - cdf["tau_K"],
        "fundamental_crisis": 1.0 - cdf["tau_star"],
    }


def _risk_qmc(cfg: RiskConfig, reason: str) -> RiskResult:
    from scipy.stats import qmc

    params = [k for k in cfg.random() if k != "tau"]
    if not params:  # nothing to sample: exact
        values = {k: np.array([d.value]) for k, d in cfg.variables.items()}
        probs = _threshold_probabilities(cfg, values, None)
        p = {k: float(probs[k][0]) for k in PROBABILITY_KEYS}
        return RiskResult(p, dict.fromkeys(PROBABILITY_KEYS, 0.0), "qmc-exact-shock", 1,
                          "every parameter is fixed and the shock's CDF is in closed form: "
                          "exact")
    reps = cfg.replicates
    m = max(1, math.ceil(math.log2(max(cfg.points / reps, 2))))
    per = 1 << m
    root = np.random.SeedSequence(cfg.seed)
    means = np.empty((reps, len(PROBABILITY_KEYS)))
    for r, child in enumerate(root.spawn(reps)):
        sob = qmc.Sobol(len(params), scramble=True, seed=np.random.default_rng(child))
        u = np.clip(sob.random_base2(m), 1e-16, 1.0 - 1e-16)
        if "tau" in cfg.random():  # tau is integrated exactly: its column is a placeholder
            u = np.column_stack([u, np.full(per, 0.5)])
        values = joint_sample(cfg, u)
        probs = _threshold_probabilities(cfg, values, u)
        means[r] = [float(np.mean(probs[k])) for k in PROBABILITY_KEYS]
    est = means.mean(axis=0)
    se = means.std(axis=0, ddof=1) / math.sqrt(reps)
    return RiskResult(dict(zip(PROBABILITY_KEYS, map(float, est), strict=True)),
                      dict(zip(PROBABILITY_KEYS, map(float, se), strict=True)),
                      "qmc-exact-shock", reps * per,
                      f"{reason} ({reps} independent scramblings of {per} points)")


def _risk_mc(cfg: RiskConfig, reason: str) -> RiskResult:
    rng = np.random.default_rng(np.random.SeedSequence(cfg.seed))
    n = cfg.points
    d = len(cfg.random())
    u = rng.random((n, d)) if d else np.empty((n, 0))
    u = np.clip(u, 1e-16, 1.0 - 1e-16)
    values = joint_sample(cfg, u)
    out = evaluate(values["alpha"], _rate(cfg, values), values["gamma"], values["tau"],
                   outputs=("regime", "tau_star"))
    counts = np.bincount(out["regime"], minlength=len(Regime))
    p = {r.label: float(counts[r]) / n for r in Regime}
    p["fundamental_crisis"] = float(np.count_nonzero(values["tau"] > out["tau_star"])) / n
    se = {k: math.sqrt(v * (1.0 - v) / max(n - 1, 1)) for k, v in p.items()}
    return RiskResult(p, se, "mc", n, f"plain Monte Carlo over parameters and shock: {reason}")
