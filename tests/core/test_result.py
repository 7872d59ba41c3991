"""Results: read-only arrays, JSON-ready dicts, frames; Diagnostics and verify."""

from __future__ import annotations

import dataclasses
import json
import pickle
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import BsrlabError, ConvergenceError, ParameterError
from bsrlab.core.result import Diagnostics, Result, verify


class Regime(Enum):
    CALM = "calm"
    CRISIS = "crisis"


@dataclass(frozen=True)
class Params:
    alpha: float
    beta: float

    def to_dict(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "beta": self.beta}


@dataclass(frozen=True, kw_only=True, eq=False)
class Solution(Result[Params]):
    KEYS = ("delta", "loan_rate", "regime")
    tau: np.ndarray
    delta: np.ndarray
    loan_rate: np.ndarray
    regime: Regime


@dataclass(frozen=True, kw_only=True, eq=False)
class Plain(Result[None]):
    x: np.ndarray
    n: int


OK = Diagnostics(converged=True, iterations=5, max_residual=1.2e-15, method="newton")


def make(**kw: Any) -> Solution:
    args: dict[str, Any] = {
        "params": Params(0.5, 0.95),
        "diagnostics": OK,
        "tau": np.array([0.0, 0.1, 0.2]),
        "delta": np.array([0.0, 0.05, 0.3]),
        "loan_rate": np.array([1.05, 1.2, np.inf]),
        "regime": Regime.CRISIS,
    }
    args.update(kw)
    return Solution(**args)


# --- Diagnostics --------------------------------------------------------------------------------

def test_diagnostics_str_is_one_line() -> None:
    assert str(OK) == "method=newton, converged=True, iterations=5, max residual=1.2e-15"


def test_diagnostics_to_dict_is_json_safe() -> None:
    assert OK.to_dict() == {"converged": True, "iterations": 5, "max_residual": 1.2e-15,
                            "method": "newton"}
    for bad in (float("nan"), float("inf"), -np.inf):
        d = Diagnostics(False, 50, bad, "newton").to_dict()
        assert d["max_residual"] is None
        assert json.loads(json.dumps(d, allow_nan=False)) == d


def test_diagnostics_coerces_numpy_values() -> None:
    d = Diagnostics(np.bool_(True), np.int64(3), np.float64(1e-14), "bisection")
    assert type(d.converged) is bool
    assert type(d.iterations) is int
    assert type(d.max_residual) is float
    assert json.dumps(d.to_dict())


@pytest.mark.parametrize("kw", [
    {"converged": 1}, {"iterations": -1}, {"iterations": 2.0}, {"max_residual": "abc"},
    {"max_residual": None}, {"method": 3},
])
def test_diagnostics_rejects_bad_fields(kw: dict[str, Any]) -> None:
    args: dict[str, Any] = {"converged": True, "iterations": 1, "max_residual": 0.0,
                            "method": "newton"}
    args.update(kw)
    with pytest.raises(ParameterError, match=next(iter(kw))):
        Diagnostics(**args)


def test_diagnostics_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        OK.converged = False  # type: ignore[misc]


# --- verify -------------------------------------------------------------------------------------

def test_verify_returns_the_diagnostics() -> None:
    assert verify(OK, 1e-12) is OK
    exact = Diagnostics(True, 0, 0.0, "closed form")
    assert verify(exact, 0) is exact


@pytest.mark.parametrize(("diag", "words"), [
    (Diagnostics(True, 5, 1e-6, "newton"), "max residual 1e-06 exceeds tolerance 1e-12"),
    (Diagnostics(True, 5, float("nan"), "newton"), "the residual is not finite"),
    (Diagnostics(True, 5, float("inf"), "newton"), "the residual is not finite"),
    (Diagnostics(False, 50, 1e-20, "newton"), "did not converge"),
])
def test_verify_raises_with_diagnostics(diag: Diagnostics, words: str) -> None:
    with pytest.raises(ConvergenceError) as info:
        verify(diag, 1e-12, what="fundamental root")
    exc = info.value
    assert exc.diagnostics is diag
    msg = str(exc)
    assert msg.startswith("fundamental root did not converge")
    assert words in msg
    assert str(diag) in msg
    assert "\n" not in msg
    assert isinstance(exc, BsrlabError)
    assert isinstance(exc, RuntimeError)


def test_verify_names_the_method_by_default_and_checks_tol() -> None:
    with pytest.raises(ConvergenceError, match=r"^newton did not converge"):
        verify(Diagnostics(False, 3, 0.1, "newton"), 1e-12)
    with pytest.raises(ParameterError, match="tol >= 0"):
        verify(OK, -1.0)


@settings(max_examples=200, deadline=None)
@given(residual=st.floats(min_value=0, allow_nan=False, allow_infinity=False),
       tol=st.floats(min_value=0, max_value=1))
def test_verify_raises_exactly_when_residual_exceeds_tol(residual: float, tol: float) -> None:
    assume(residual != tol)
    diag = Diagnostics(True, 1, residual, "newton")
    if residual < tol:
        assert verify(diag, tol) is diag
    else:
        with pytest.raises(ConvergenceError) as info:
            verify(diag, tol)
        assert info.value.diagnostics is diag


def test_convergence_error_without_diagnostics_is_unchanged() -> None:
    exc = ConvergenceError("no root in the bracket")
    assert str(exc) == "no root in the bracket"
    assert exc.diagnostics is None


def test_convergence_error_pickles_with_its_diagnostics() -> None:
    exc = ConvergenceError("root", OK)
    back = pickle.loads(pickle.dumps(exc))
    assert str(back) == str(exc)
    assert back.diagnostics == OK


# --- Result -------------------------------------------------------------------------------------

def test_result_arrays_are_read_only() -> None:
    r = make()
    for name in ("tau", "delta", "loan_rate"):
        arr = getattr(r, name)
        assert not arr.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1.0


def test_result_is_frozen() -> None:
    r = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.delta = np.zeros(3)  # type: ignore[misc]


def test_result_copies_views_of_writeable_arrays() -> None:
    base = np.array([0.0, 0.05, 0.3, 0.4])
    r = make(delta=base[:3])
    base[0] = 9.0
    assert r.delta[0] == 0.0
    assert base.flags.writeable


def test_result_fields_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        Solution(Params(0.5, 0.9), OK)  # type: ignore[misc]


def test_result_to_dict_follows_keys_then_params_and_diagnostics() -> None:
    d = make().to_dict()
    assert list(d) == ["delta", "loan_rate", "regime", "params", "diagnostics"]
    assert d["delta"] == [0.0, 0.05, 0.3]
    assert d["loan_rate"] == [1.05, 1.2, None]
    assert d["regime"] == "crisis"
    assert d["params"] == {"alpha": 0.5, "beta": 0.95}
    assert d["diagnostics"] == OK.to_dict()


def test_result_without_keys_lists_every_output_field() -> None:
    r = Plain(params=None, diagnostics=OK, x=np.array([[1.0, np.nan]]), n=np.int64(2))
    d = r.to_dict()
    assert list(d) == ["x", "n", "params", "diagnostics"]
    assert d["x"] == [[1.0, None]]
    assert type(d["n"]) is int


def test_result_to_json_has_no_nan_or_infinity() -> None:
    text = make().to_json()
    assert "NaN" not in text
    assert "Infinity" not in text
    assert json.loads(text)["loan_rate"] == [1.05, 1.2, None]
    assert "\n" not in make().to_json(indent=None)


def test_result_to_frame_one_row_per_point() -> None:
    pytest.importorskip("pandas")
    df = make().to_frame()
    assert list(df.columns) == ["delta", "loan_rate", "regime"]
    assert len(df) == 3
    assert df["regime"].tolist() == ["crisis"] * 3
    assert np.isinf(df["loan_rate"].iloc[2])
    grid = Plain(params=None, diagnostics=OK, x=np.arange(6.0).reshape(2, 3), n=4).to_frame()
    assert grid.shape == (6, 2)
    assert grid["x"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert grid["n"].tolist() == [4] * 6


def test_result_scalar_outputs_give_one_row() -> None:
    pytest.importorskip("pandas")
    r = make(tau=np.float64(0.1), delta=np.array(0.05), loan_rate=np.array(1.2))
    assert len(r.to_frame()) == 1
    assert r.to_dict()["delta"] == 0.05
