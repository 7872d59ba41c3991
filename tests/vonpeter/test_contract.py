"""The model contract: parameters (conversion, equality, hashing), results (read-only arrays,
diagnostics), solvers that raise rather than return what they did not verify, the declared
vocabulary and the one definition of the regimes."""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

import numpy as np
import pytest

from bsrlab.cases.diagnose import REGIMES
from bsrlab.cases.episodes import OUTCOMES
from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.vonpeter import outputs
from bsrlab.models.vonpeter.thresholds import delta_0
from bsrlab.models.vonpeter.vulnerability import THRESHOLD_FUNCTIONS
from bsrlab.vonpeter import (
    OUTPUT_KEYS,
    VOCABULARY,
    EquilibriumKind,
    Params,
    Regime,
    Thresholds,
    equilibria,
    instability_path,
    solve,
    steady_state,
    t_accounts,
    thresholds,
    vulnerability,
)

solve_module = importlib.import_module("bsrlab.models.vonpeter.solve")

GOOD = {"alpha": 0.5, "beta": 0.95, "gamma": 0.3, "y": 1.0, "H": 1.0}
P = Params(**GOOD)


# --- parameters -------------------------------------------------------------------------------

def test_params_equality_and_hash_by_content() -> None:
    a = Params(alpha=0.5, beta=0.95)
    b = Params(alpha=0.5, beta=0.95)
    assert a == b and hash(a) == hash(b) and a is not b
    assert {a: "x"}[b] == "x"
    assert a != Params(alpha=0.5, beta=0.95, gamma=0.1)
    assert a != Params(alpha=[0.5], beta=0.95)  # same value, other shape
    assert Params(alpha=0.5, beta=0.95, gamma=-0.0) == Params(alpha=0.5, beta=0.95, gamma=0.0)
    assert hash(Params(alpha=0.5, beta=0.95, gamma=-0.0)) == hash(a)
    arr = Params(alpha=np.array([0.3, 0.5]), beta=0.95)
    assert arr == Params(alpha=[0.3, 0.5], beta=0.95) and len({arr, arr.replace()}) == 1
    assert (a == "Params") is False


def test_params_fields_are_read_only_copies() -> None:
    src = np.array([0.3, 0.5])
    p = Params(alpha=src, beta=0.95)
    src[0] = 0.9
    assert float(p.a[0]) == 0.3
    for name in ("alpha", "beta", "gamma", "y", "H"):
        with pytest.raises(ValueError, match="read-only"):
            np.asarray(getattr(p, name))[...] = 0.4
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.beta = 0.9  # type: ignore[misc]
    assert not hasattr(p, "__dict__")  # slots


def test_params_keeps_its_interface() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.2)
    assert float(p.R) == pytest.approx(1.05) and float(p.e) == pytest.approx(0.2 / (0.2 - 1))
    assert p.shape == () and p.is_scalar
    assert set(p.to_dict()) == {"alpha", "beta", "R", "gamma", "y", "H"}
    assert repr(p).startswith("Params(alpha=0.5, beta=0.952")
    assert dataclasses.replace(p, gamma=0.0) == p.replace(gamma=0.0)


@pytest.mark.parametrize("name", ["alpha", "beta", "gamma", "y", "H"])
@pytest.mark.parametrize("value", ["abc", None, float("nan"), float("inf"), float("-inf"),
                                   [0.5, "x"], True, 1j])
def test_every_field_rejects_non_finite_and_non_numbers(name: str, value: object) -> None:
    with pytest.raises(ParameterError) as info:
        Params(**{**GOOD, name: value})  # type: ignore[arg-type]
    assert info.value.name == name
    assert f"'{name}'" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("value", ["abc", None, float("nan"), float("inf"), float("-inf"), True])
def test_tau_rejects_non_finite_and_non_numbers(value: object) -> None:
    with pytest.raises(ParameterError) as info:
        solve(P, value)  # type: ignore[arg-type]
    assert info.value.name == "tau"


def test_numeric_strings_are_converted() -> None:
    assert Params(alpha="0.5", beta="0.95") == Params(alpha=0.5, beta=0.95)


def test_infinite_scale_names_the_field() -> None:
    with pytest.raises(ParameterError, match=r"'y' must satisfy y > 0 \(a finite real number\)"):
        Params(alpha=0.5, beta=0.95, y=float("inf"))
    with pytest.raises(ParameterError, match="'y' must satisfy y > 0 small enough"):
        Params(alpha=0.5, beta=0.95, y=1e308)
    with pytest.raises(ParameterError, match="'H' must satisfy H > 0 large enough"):
        Params(alpha=0.5, beta=0.95, H=1e-308)


# --- results ----------------------------------------------------------------------------------

def _arrays(obj: Any) -> list[np.ndarray]:
    return [v for f in dataclasses.fields(obj) if isinstance(v := getattr(obj, f.name), np.ndarray)]


def test_result_arrays_are_read_only() -> None:
    p = Params(alpha=np.array([0.3, 0.5]), beta=0.95, gamma=0.2)
    results = [solve(p, np.array([0.01, 0.5])), thresholds(p), steady_state(p),
               instability_path(P, 0.2)]
    for r in results:
        arrays = _arrays(r)
        assert arrays, type(r).__name__
        for a in arrays:
            with pytest.raises(ValueError, match="read-only"):
                a[...] = 0.0
    v = vulnerability(p)
    with pytest.raises(ValueError, match="read-only"):
        v.values["delta_star"][...] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        v.derivatives["tau_K"]["alpha"][...] = 0.0
    with pytest.raises(TypeError):
        v.values["delta_star"] = np.zeros(2)  # type: ignore[index]


def test_diagnostics_name_the_method() -> None:
    assert solve(P, 0.01).diagnostics.method == "monotone-newton"
    assert solve(P, 1.0).diagnostics.method == "closed-form"  # regime 2: no root needed
    th = thresholds(P)
    assert th.diagnostics.method == "monotone-newton" and th.diagnostics.converged
    assert th.delta_0_iterations == th.diagnostics.iterations >= 1
    assert steady_state(P).diagnostics.method == "closed-form"
    assert vulnerability(P).diagnostics.method == "complex-step"
    assert instability_path(P, 0.2).diagnostics.method == "fixed-point"
    assert t_accounts(P, 0.05).diagnostics == solve(P, 0.05).diagnostics


def test_frames_have_one_row_per_point() -> None:
    p = Params(alpha=np.array([0.3, 0.5, 0.7]), beta=0.95)
    assert thresholds(p).to_frame().shape == (3, 8)
    assert steady_state(p).to_frame().shape == (3, 10)
    assert vulnerability(P).to_frame().shape == (8, 5)


# --- solvers raise rather than return what they did not verify -------------------------------

def test_unconverged_delta_0_raises_with_diagnostics() -> None:
    p = Params(alpha=0.5, beta=0.95, gamma=0.6)
    with pytest.raises(ConvergenceError, match="delta_0 did not converge") as info:
        thresholds(p, max_iter=1)
    diag = info.value.diagnostics
    assert diag is not None and diag.converged is False and diag.iterations == 1
    assert diag.max_residual > 1e-10
    with pytest.raises(ConvergenceError):
        delta_0(p.a, p.R, p.g, max_iter=1)
    assert thresholds(p).delta_0_residual < 1e-12  # the default converges


def test_delta_0_tolerance_is_enforced() -> None:
    p = Params(alpha=0.5, beta=0.95, gamma=0.6)
    with pytest.raises(ConvergenceError, match=r"exceeds tolerance|did not converge"):
        thresholds(p, tol=0.0, max_iter=3)


def test_unconverged_solve_raises_with_diagnostics(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(solve_module, "_NEWTON_MAX_ITER", 0)  # only the closed-form first step
    p = Params(alpha=0.5, beta=0.95, gamma=0.6)
    with pytest.raises(ConvergenceError, match="fundamental root") as info:
        solve(p, 0.9 * float(thresholds(p).tau_div))
    diag = info.value.diagnostics
    assert diag is not None and diag.converged is False and diag.max_residual > 1e-10


# --- one vocabulary ---------------------------------------------------------------------------

def test_key_orders_are_unchanged() -> None:
    assert OUTPUT_KEYS == (
        "delta", "p_t", "p_next", "s_t", "s_next", "asset_value_t", "loan_losses",
        "total_losses", "firm_profits_t", "bank_capital_t", "bank_dividends_t", "deposits_t",
        "depositor_losses")
    assert (*OUTPUT_KEYS, "regime") == outputs.SOLUTION_KEYS
    assert Thresholds.KEYS == ("delta_0", "delta_div", "delta_star", "delta_K", "tau_0",
                               "tau_div", "tau_star", "tau_K")
    assert tuple(THRESHOLD_FUNCTIONS) == Thresholds.KEYS


def _keys(obj: object) -> set[str]:
    """Every key of a nested to_dict() (mappings inside lists and mappings)."""
    out: set[str] = set()
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            out.update(x)
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return out


def test_every_output_of_the_family_is_declared() -> None:
    arr = Params(alpha=np.array([0.3, 0.5]), beta=0.95, gamma=0.2)
    dicts = [solve(P, 0.02).to_dict(), solve(arr, 0.5).to_dict(), *solve(P, [0.0, 1.0]).records(),
             thresholds(P).to_dict(), thresholds(arr).to_dict(), steady_state(P).to_dict(),
             *[e.to_dict() for e in equilibria(P, 0.01)], instability_path(P, 0.2).to_dict(),
             P.to_dict()]
    vul = vulnerability(P).to_dict()
    keys = set().union(*(_keys(d) for d in dicts)) | set(vul) | _keys(list(vul.values()))
    frames = [solve(arr, 0.1).to_frame(), thresholds(arr).to_frame(),
              steady_state(arr).to_frame(), instability_path(P, 0.2).to_frame()]
    keys |= {str(c) for f in frames for c in f.columns}
    missing = sorted(keys - set(VOCABULARY))
    assert not missing, f"outputs not declared in models/vonpeter/outputs.py: {missing}"


def test_declared_labels_match_what_the_command_line_shows() -> None:
    assert VOCABULARY["delta"].label == "asset price decline δ"
    assert VOCABULARY["delta"].fmt == "pct" and VOCABULARY["p_next"].fmt == "num"
    assert VOCABULARY["delta_star"].label == "capital crunch, instability"
    assert VOCABULARY["delta_star"].format(0.055) == "5.500 %"
    assert all(VOCABULARY[k].fmt == "pct" for k in Thresholds.KEYS)


# --- one definition of the regimes and equilibrium kinds -------------------------------------

def test_regime_names() -> None:
    assert [r.label for r in Regime] == ["firms_absorb", "dividends_absorb", "capital_absorbs",
                                         "insolvent"]
    assert Regime.CAPITAL_ABSORBS.text == "bank capital absorbs"
    assert all(Regime.from_label(r.label) is r for r in Regime)
    with pytest.raises(ParameterError, match="'regime'"):
        Regime.from_label("crunch")
    assert REGIMES == ("firms_absorb", "dividends_absorb", "capital_absorbs", "systemic_crisis")


def test_equilibrium_kind_names() -> None:
    assert [k.value for k in EquilibriumKind] == ["fundamental", "capital_crunch",
                                                  "banking_crisis"]
    assert EquilibriumKind.CAPITAL_CRUNCH.text == "capital crunch"
    assert EquilibriumKind.BANKING_CRISIS.outcome == "systemic_crisis"
    assert OUTCOMES == ("capital_crunch", "systemic_crisis")
