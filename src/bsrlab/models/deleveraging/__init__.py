"""Koo's balance sheet recession: deleveraging, the zero lower bound, debt deflation, policy lab.

An Eggertsson-Krugman borrower-saver economy in three forms (see ``docs/deleveraging.md``):

* :mod:`~bsrlab.models.deleveraging.endowment` -- flexible prices, one-period deleveraging,
  closed forms;
* :mod:`~bsrlab.models.deleveraging.two_state` -- sticky prices, a two-state short run,
  closed forms;
* :mod:`~bsrlab.models.deleveraging.path` -- many periods, nonlinear, perfect foresight,
  stacked Newton;
  :mod:`~bsrlab.models.deleveraging.linear` is its hand-derived log-linear twin;

:mod:`~bsrlab.models.deleveraging.outputs` declares every output once (the JSON keys, labels,
units). Parameters are frozen, validated, hashable dataclasses; results carry
:class:`~bsrlab.core.result.Diagnostics` and read-only arrays, and a solver raises
:class:`~bsrlab.core.errors.ConvergenceError` rather than return what it did not verify.

Policies live in :mod:`bsrlab.policies`, presets and the policy lab in :mod:`bsrlab.scenarios`,
figures and the report section in :mod:`bsrlab.presentation`; :mod:`bsrlab.deleveraging` gathers
the public names of all of them.
"""

from bsrlab.models.deleveraging.endowment import EndowmentParams, EndowmentResult, solve_endowment
from bsrlab.models.deleveraging.linear import LinearPath, solve_linear
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind, PathParams
from bsrlab.models.deleveraging.outputs import (
    COMPARE_KEYS,
    ENDOWMENT_KEYS,
    EXTRA_KEYS,
    PATH_KEYS,
    TWO_STATE_KEYS,
    VOCABULARY,
)
from bsrlab.models.deleveraging.path import Exogenous, PathContext, PathResult, solve_path
from bsrlab.models.deleveraging.two_state import TwoStateParams, TwoStateResult, solve_two_state

__all__ = [
    "COMPARE_KEYS",
    "ENDOWMENT_KEYS",
    "EXTRA_KEYS",
    "PATH_KEYS",
    "TWO_STATE_KEYS",
    "VOCABULARY",
    "DebtLimitPath",
    "EndowmentParams",
    "EndowmentResult",
    "Exogenous",
    "LinearPath",
    "PathContext",
    "PathKind",
    "PathParams",
    "PathResult",
    "TwoStateParams",
    "TwoStateResult",
    "solve_endowment",
    "solve_linear",
    "solve_path",
    "solve_two_state",
]
