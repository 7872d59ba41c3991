"""The model contract of the deleveraging family: parameters, results, verified solutions."""

from __future__ import annotations

import dataclasses
import math
import pickle

import numpy as np
import pytest

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.result import Diagnostics
from bsrlab.models.deleveraging.endowment import EndowmentParams, solve_endowment
from bsrlab.models.deleveraging.linear import solve_linear
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind, PathParams
from bsrlab.models.deleveraging.outputs import (
    ARRAY_KEYS,
    COMPARE_KEYS,
    ENDOWMENT_KEYS,
    ENDOWMENT_VOCABULARY,
    EXTRA_KEYS,
    PATH_KEYS,
    TWO_STATE_KEYS,
    TWO_STATE_VOCABULARY,
    VOCABULARY,
)
from bsrlab.models.deleveraging.path import PathResult, build_exogenous, solve_path, solve_system
from bsrlab.models.deleveraging.two_state import TwoStateParams, solve_two_state
from bsrlab.policies import registry
from bsrlab.policies.fiscal import DebtRelief, FiscalStimulus
from bsrlab.scenarios.lab import compare_policies
from bsrlab.scenarios.presets import get_preset

#: Each parameter class with the smallest valid keyword arguments.
PARAM_CLASSES = {
    PathParams: {},
    DebtLimitPath: {"debt_high": 0.8, "debt_low": 0.6},
    EndowmentParams: {"beta": 0.96, "d_high": 0.5, "d_low": 0.2},
    TwoStateParams: {},
}
CASES = [(cls, f.name) for cls in PARAM_CLASSES for f in dataclasses.fields(cls) if f.init]


@pytest.mark.parametrize(("cls", "field"), CASES, ids=[f"{c.__name__}.{f}" for c, f in CASES])
@pytest.mark.parametrize("bad", ["abc", None, math.nan, math.inf, -math.inf])
def test_every_field_rejects_non_numbers_naming_the_field(cls: type, field: str,
                                                          bad: object) -> None:
    with pytest.raises(ParameterError, match=f"parameter '{field}'") as info:
        cls(**{**PARAM_CLASSES[cls], field: bad})
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("cls", list(PARAM_CLASSES))
def test_parameters_compare_and_hash_by_value(cls: type) -> None:
    kw = PARAM_CLASSES[cls]
    a, b = cls(**kw), cls(**kw)
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    f = next(f.name for f in dataclasses.fields(cls) if f.init)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, f, getattr(a, f))


def test_value_equality_is_by_content() -> None:
    assert {PathParams(): 1}[PathParams()] == 1
    assert PathParams(beta="0.97") == PathParams(beta=0.97)  # type: ignore[arg-type]
    assert PathParams(beta=0.98) != PathParams()
    assert DebtLimitPath(debt_high=1, debt_low=0.5, kind="linear") == DebtLimitPath(
        debt_high=1.0, debt_low=0.5, kind=PathKind.LINEAR)
    a = EndowmentParams(beta=[0.9, 0.95], d_high=0.5, d_low=[0.1, 0.2])
    b = EndowmentParams(beta=np.array([0.9, 0.95]), d_high=0.5, d_low=(0.1, 0.2))
    assert a == b and hash(a) == hash(b)
    assert a != EndowmentParams(beta=[0.9, 0.96], d_high=0.5, d_low=[0.1, 0.2])
    assert a != EndowmentParams(beta=0.9, d_high=0.5, d_low=0.1)
    assert not np.asarray(a.beta).flags.writeable
    assert TwoStateParams(delta="0.05") == TwoStateParams(delta=0.05)  # type: ignore[arg-type]
    assert dataclasses.replace(PathParams(), sigma=1.0).sigma == 1.0


def test_slots_where_nothing_relies_on_an_instance_dict() -> None:
    for obj in (PathParams(), DebtLimitPath(debt_high=0.8, debt_low=0.6),
                EndowmentParams(beta=0.9, d_high=0.5, d_low=0.1)):
        assert not hasattr(obj, "__dict__")
    # TwoStateParams keeps its __dict__: callers build variations from it
    p = TwoStateParams(kappa=0.01)
    assert TwoStateParams(**{**p.__dict__, "g": 0.01}) == dataclasses.replace(p, g=0.01)


def test_endowment_arrays_that_do_not_broadcast_are_refused() -> None:
    with pytest.raises(ParameterError, match=r"'d_high'.*broadcast"):
        EndowmentParams(beta=[0.9, 0.95], d_high=[0.5, 0.4, 0.3], d_low=0.1)


@pytest.fixture(scope="module")
def us_path() -> PathResult:
    pre = get_preset("us-2008")
    return solve_path(pre.params, pre.debt, (FiscalStimulus(size=0.01),), periods=40)


def test_path_result_carries_diagnostics_and_read_only_arrays(us_path: PathResult) -> None:
    res = us_path
    d = res.diagnostics
    assert isinstance(d, Diagnostics) and d.method == "stacked-newton"
    assert (res.converged, res.iterations, res.max_residual) == (
        d.converged, d.iterations, d.max_residual)
    assert d.converged and d.iterations >= 1 and d.max_residual < 1e-12
    assert set(res.arrays) == set(ARRAY_KEYS)
    for k, arr in res.arrays.items():
        assert not arr.flags.writeable, k
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = arr[0]
    with pytest.raises(TypeError):
        res.arrays["output"] = np.zeros(40)  # type: ignore[index]
    assert res.output_gap is res.arrays["output_gap"]
    assert list(res.to_frame().columns) == [k for k in (*PATH_KEYS, *EXTRA_KEYS) if k != "t"]
    pol = res.to_dict()["policies"][0]
    assert list(pol) == ["policy", "size", "start", "duration"] and pol["policy"] == "fiscal"
    back = pickle.loads(pickle.dumps(res))
    assert back.to_dict() == res.to_dict() and back.diagnostics == res.diagnostics
    assert not back.arrays["output"].flags.writeable


def test_closed_form_results_carry_verified_diagnostics() -> None:
    e = solve_endowment(EndowmentParams(beta=[0.9, 0.96], d_high=0.5, d_low=0.2))
    assert e.diagnostics.method == "closed form" and e.diagnostics.max_residual < 1e-14
    assert all(not np.asarray(getattr(e, k)).flags.writeable for k in ENDOWMENT_KEYS)
    assert list(e.to_dict()) == list(ENDOWMENT_KEYS)
    t = solve_two_state(TwoStateParams())
    assert t.diagnostics.method == "closed form" and t.diagnostics.max_residual < 1e-14
    assert list(t.to_dict()) == list(TWO_STATE_KEYS)
    pre = get_preset("japan-1990s")
    li = solve_linear(pre.params, pre.debt, periods=40)
    assert li.diagnostics.method == "sparse direct" and li.diagnostics.max_residual < 1e-12
    for k in li.KEYS:
        assert not getattr(li, k).flags.writeable


def test_every_output_is_declared_once_in_the_vocabulary() -> None:
    for k in (*ARRAY_KEYS, *COMPARE_KEYS):
        assert VOCABULARY[k].name == k
    assert tuple(ENDOWMENT_VOCABULARY) == ENDOWMENT_KEYS
    assert tuple(TWO_STATE_VOCABULARY) == TWO_STATE_KEYS
    assert len(set(PATH_KEYS) | set(EXTRA_KEYS)) == len(PATH_KEYS) + len(EXTRA_KEYS)


# ---- a solver never returns what it did not verify --------------------------------------

#: A one-off cut of the debt limit with real debt: Newton converges, but only to an allocation
#: with negative borrowers' consumption at t = 0 (no equilibrium).
INFEASIBLE = (PathParams(sigma=1.0, nominal_debt=False),
              DebtLimitPath(debt_high=0.8, debt_low=0.51875, kind="one-off"))


def test_a_converged_but_infeasible_path_raises_with_diagnostics() -> None:
    p, d = INFEASIBLE
    # the stacked system itself has a root, and at that root borrowers consume < 0 at t = 0
    raw = solve_system(p, d, build_exogenous(p, d, (), 50, None))
    assert raw.converged and raw.parts["cb"][0] < 0 < raw.parts["cb"][1:].min()
    with pytest.raises(ConvergenceError, match=r"no admissible equilibrium.*c_b.*t = 0") as info:
        solve_path(p, d, periods=50)
    diag = info.value.diagnostics
    assert diag is not None and diag.converged and diag.max_residual < 1e-12
    assert diag.iterations == raw.iterations and diag.method == "stacked-newton"


def test_policies_that_leave_no_equilibrium_are_named() -> None:
    pre = get_preset("japan-1990s")
    pols = (FiscalStimulus(size=0.49), DebtRelief(size=0.49))
    with pytest.raises(ConvergenceError, match="no admissible equilibrium under 'fiscal', "
                                               "'debt-relief'") as info:
        solve_path(pre.params, pre.debt, pols, periods=pre.periods)
    assert info.value.diagnostics is not None


@pytest.mark.parametrize("max_iter", [1, 2])
def test_non_convergence_raises_with_diagnostics(max_iter: int) -> None:
    pre = get_preset("japan-1990s")
    match = f"did not converge in {max_iter} iterations"
    with pytest.raises(ConvergenceError, match=match) as info:
        solve_path(pre.params, pre.debt, periods=pre.periods, max_iter=max_iter)
    diag = info.value.diagnostics
    assert diag is not None and not diag.converged
    assert diag.iterations == max_iter and math.isfinite(diag.max_residual)
    assert diag.max_residual > 1e-12
    assert str(diag) in str(info.value)


@pytest.mark.parametrize(("kw", "name"), [({"periods": 40.0}, "periods"),
                                          ({"tol": 0.0}, "tol"), ({"tol": "abc"}, "tol"),
                                          ({"max_iter": 0}, "max_iter")])
def test_solver_options_are_validated(kw: dict[str, object], name: str) -> None:
    pre = get_preset("us-2008")
    with pytest.raises(ParameterError, match=f"'{name}'"):
        solve_path(pre.params, pre.debt, **kw)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'policies'"):
        solve_path(pre.params, pre.debt, ("fiscal",))  # type: ignore[arg-type]


def test_the_lab_captions_come_from_the_registry() -> None:
    comp = compare_policies("us-2008", periods=30)
    labels = [r["policy"] for r in comp.rows]
    assert list(comp.descriptions) == labels
    assert all(list(r) == list(COMPARE_KEYS) for r in comp.rows)
    names = {"rate cut": "rate-cut", "QE": "qe", "forward guidance": "forward-guidance",
             "fiscal stimulus": "fiscal", "debt relief": "debt-relief",
             "higher target": "higher-target"}
    for label, name in names.items():
        assert comp.descriptions[label] == registry.describe(name)
    assert comp.descriptions["no policy"]
