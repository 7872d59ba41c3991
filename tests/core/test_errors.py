"""The error hierarchy: one-line messages that survive a trip through pickle (worker pools)."""

from __future__ import annotations

import pickle

from bsrlab.core.errors import BsrlabError, ConfigError, ConvergenceError, ParameterError
from bsrlab.core.result import Diagnostics


def test_parameter_error_names_the_rule_and_value_and_pickles() -> None:
    err = ParameterError("alpha", "R - 1 < alpha < 1", 5.0, "1 of 3 elements fail")
    assert str(err) == ("parameter 'alpha' must satisfy R - 1 < alpha < 1; got 5.0 "
                        "(1 of 3 elements fail)")
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is ParameterError
    assert (back.name, back.admissible, back.value, back.detail) == ("alpha",
                                                                     "R - 1 < alpha < 1", 5.0,
                                                                     "1 of 3 elements fail")
    assert str(back) == str(err)
    assert isinstance(back, BsrlabError) and isinstance(back, ValueError)


def test_convergence_error_carries_its_diagnostics_through_pickle() -> None:
    d = Diagnostics(converged=False, iterations=60, max_residual=1e-3, method="newton")
    err = ConvergenceError("root did not converge", d)
    back = pickle.loads(pickle.dumps(err))
    assert back.diagnostics == d
    assert "\n" not in str(back) and "iterations=60" in str(back)


def test_config_error_pickles() -> None:
    back = pickle.loads(pickle.dumps(ConfigError("config file 'x' is not valid TOML")))
    assert str(back) == "config file 'x' is not valid TOML"
