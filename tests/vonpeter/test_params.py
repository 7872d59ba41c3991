"""Bad input: every invalid parameter names itself, its admissible range and the value given."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bsrlab.core.errors import ParameterError
from bsrlab.vonpeter import Params, admissible_lending, instability_path, solve

GOOD = {"alpha": 0.5, "beta": 0.95, "gamma": 0.3, "y": 1.0, "H": 1.0}


@pytest.mark.parametrize(
    ("name", "value", "range_text"),
    [
        ("alpha", 0.01, "R - 1 < alpha < 1"),
        ("alpha", 1.0, "R - 1 < alpha < 1"),
        ("alpha", float("nan"), "R - 1 < alpha < 1"),
        ("beta", 0.0, "0 < beta < 1"),
        ("beta", 1.0, "0 < beta < 1"),
        ("gamma", -0.1, "0 <= gamma < 1"),
        ("gamma", 1.0, "0 <= gamma < 1"),
        ("y", 0.0, "y > 0"),
        ("H", -2.0, "H > 0"),
    ],
)
def test_invalid_parameter_message(name: str, value: float, range_text: str) -> None:
    kwargs = {**GOOD, name: value}
    with pytest.raises(ParameterError) as info:
        Params(**kwargs)
    msg = str(info.value)
    assert f"'{name}'" in msg and range_text in msg and repr(value) in msg
    assert info.value.name == name


@pytest.mark.parametrize("tau", [-0.01, 1.01, float("inf")])
def test_invalid_tau(tau: float) -> None:
    with pytest.raises(ParameterError, match=r"'tau' must satisfy 0 <= tau <= 1; got"):
        solve(Params(**GOOD), tau)


def test_array_error_names_first_bad_element() -> None:
    with pytest.raises(ParameterError, match=r"2 of 3 elements fail, first at flat index 1"):
        Params(alpha=[0.5, 0.01, 0.02], beta=0.95)


def test_non_numeric_value() -> None:
    with pytest.raises(ParameterError, match="'gamma' must satisfy a real number"):
        Params(alpha=0.5, beta=0.95, gamma="abc")


def test_frozen_and_replace_validates() -> None:
    p = Params(**GOOD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.alpha = 0.3  # type: ignore[misc]
    with pytest.raises(ParameterError, match="beta"):
        p.replace(beta=2.0)
    assert float(p.replace(alpha=0.6).a) == 0.6


def test_other_entry_points_validate() -> None:
    p = Params(**GOOD)
    with pytest.raises(ParameterError, match="delta"):
        admissible_lending(p, 1.5)
    with pytest.raises(ParameterError, match="start"):
        instability_path(p, -0.1)
    with pytest.raises(ParameterError, match="R > 1"):
        Params.from_R(alpha=0.5, R=0.9)
    with pytest.raises(ParameterError, match="broadcast"):
        Params(alpha=np.full(3, 0.5), beta=np.full(2, 0.95))
