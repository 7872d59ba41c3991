"""Koo's balance sheet recession: the public import path of the deleveraging model and its lab.

The model lives in :mod:`bsrlab.models.deleveraging`, its policies in
:mod:`bsrlab.policies.monetary` and :mod:`bsrlab.policies.fiscal` (listed by
:mod:`bsrlab.policies.registry`), the presets and the policy lab in :mod:`bsrlab.scenarios`;
this module gathers their public names so that ``from bsrlab.deleveraging import solve_path``
works.
"""

from bsrlab.models.deleveraging import *  # noqa: F403
from bsrlab.models.deleveraging import __all__ as _model_names
from bsrlab.policies import registry
from bsrlab.policies.deleveraging import POLICY_NAMES, make_policy
from bsrlab.policies.fiscal import DebtRelief, DebtWriteDown, FiscalStimulus
from bsrlab.policies.monetary import ForwardGuidance, HigherTarget, QuantitativeEasing, RateCut
from bsrlab.scenarios.lab import COMPARE_KEYS, Comparison, compare_policies, spending_multipliers
from bsrlab.scenarios.presets import PRESETS, Preset, get_preset

__all__ = [
    *_model_names,
    "COMPARE_KEYS",
    "POLICY_NAMES",
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
    "registry",
    "spending_multipliers",
]
