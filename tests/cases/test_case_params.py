"""Every parameter class of the case studies converts first, then checks: a non-numeric or
non-finite value is a ParameterError naming the field, never a bare TypeError or ValueError."""

from __future__ import annotations

import pytest

from bsrlab.cases import CalibrationSpec, Observables
from bsrlab.core.errors import ParameterError

BAD = ["abc", None, float("nan"), float("inf"), float("-inf"), [0.1]]
OBSERVABLES = ["capital_ratio", "real_rate", "credit_gdp", "firm_leverage", "deflation"]
SPEC = ["R", "alpha", "gamma", "min_asset_ratio", "min_real_rate", "gamma_max"]


@pytest.mark.parametrize("field", OBSERVABLES)
@pytest.mark.parametrize("value", [v for v in BAD if v is not None])
def test_observables_refuse_bad_values_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ParameterError, match=f"parameter '{field}'"):
        Observables(**{field: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("field", OBSERVABLES)
def test_a_missing_observable_is_none(field: str) -> None:
    assert getattr(Observables(**{field: None}), field) is None


@pytest.mark.parametrize("field", SPEC)
@pytest.mark.parametrize("value", [v for v in BAD if v is not None])
def test_calibration_spec_refuses_bad_values_naming_the_field(field: str, value: object) -> None:
    with pytest.raises(ParameterError, match=f"parameter '{field}'"):
        CalibrationSpec(**{field: value})  # type: ignore[arg-type]


def test_numeric_strings_are_converted() -> None:
    obs = Observables(capital_ratio="0.05", credit_gdp="1.2")  # type: ignore[arg-type]
    assert obs.capital_ratio == 0.05 and obs.credit_gdp == 1.2
    assert CalibrationSpec(R="1.05").R == 1.05  # type: ignore[arg-type]
