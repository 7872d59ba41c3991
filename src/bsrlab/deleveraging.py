"""Koo's balance sheet recession: the public import path of the deleveraging model and its lab.

The model lives in :mod:`bsrlab.models.deleveraging`, its policies in
:mod:`bsrlab.policies.deleveraging`, the presets and the policy lab in :mod:`bsrlab.scenarios`;
this module gathers their public names so that ``from bsrlab.deleveraging import solve_path``
works.
"""

from bsrlab.models.deleveraging import *  # noqa: F403
from bsrlab.models.deleveraging import __all__ as _model_names
from bsrlab.policies.deleveraging import (
    DebtRelief,
    DebtWriteDown,
    FiscalStimulus,
    ForwardGuidance,
    HigherTarget,
    QuantitativeEasing,
    RateCut,
    make_policy,
)
from bsrlab.scenarios.lab import Comparison, compare_policies, spending_multipliers
from bsrlab.scenarios.presets import PRESETS, Preset, get_preset

__all__ = [
    *_model_names,
    "PRESETS",
    "Comparison",
    "DebtRelief",
    "DebtWriteDown",
    "FiscalStimulus",
    "ForwardGuidance",
    "HigherTarget",
    "Preset",
    "QuantitativeEasing",
    "RateCut",
    "compare_policies",
    "get_preset",
    "make_policy",
    "spending_multipliers",
]
