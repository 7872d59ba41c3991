"""Koo's balance sheet recession: deleveraging, the zero lower bound, debt deflation, policy lab.

An Eggertsson-Krugman borrower-saver economy in three forms (see ``docs/deleveraging.md``):

* :mod:`~bsrlab.deleveraging.endowment` -- flexible prices, one-period deleveraging, closed forms;
* :mod:`~bsrlab.deleveraging.two_state` -- sticky prices, a two-state short run, closed forms;
* :mod:`~bsrlab.deleveraging.path` -- many periods, nonlinear, perfect foresight, stacked Newton;
  :mod:`~bsrlab.deleveraging.linear` is its hand-derived log-linear twin;

with policies (:mod:`~bsrlab.deleveraging.policy`), presets (:mod:`~bsrlab.deleveraging.presets`),
the policy lab (:mod:`~bsrlab.deleveraging.lab`), figures and the report section.
"""

from bsrlab.deleveraging.endowment import EndowmentParams, EndowmentResult, solve_endowment
from bsrlab.deleveraging.lab import Comparison, compare_policies, spending_multipliers
from bsrlab.deleveraging.linear import LinearPath, solve_linear
from bsrlab.deleveraging.model import DebtLimitPath, PathKind, PathParams
from bsrlab.deleveraging.path import PATH_KEYS, PathResult, solve_path
from bsrlab.deleveraging.policy import (
    DebtRelief,
    DebtWriteDown,
    FiscalStimulus,
    ForwardGuidance,
    HigherTarget,
    QuantitativeEasing,
    RateCut,
    make_policy,
)
from bsrlab.deleveraging.presets import PRESETS, Preset, get_preset
from bsrlab.deleveraging.two_state import TwoStateParams, TwoStateResult, solve_two_state

__all__ = [
    "PATH_KEYS",
    "PRESETS",
    "Comparison",
    "DebtLimitPath",
    "DebtRelief",
    "DebtWriteDown",
    "EndowmentParams",
    "EndowmentResult",
    "FiscalStimulus",
    "ForwardGuidance",
    "HigherTarget",
    "LinearPath",
    "PathKind",
    "PathParams",
    "PathResult",
    "Preset",
    "QuantitativeEasing",
    "RateCut",
    "TwoStateParams",
    "TwoStateResult",
    "compare_policies",
    "get_preset",
    "make_policy",
    "solve_endowment",
    "solve_linear",
    "solve_path",
    "solve_two_state",
    "spending_multipliers",
]
