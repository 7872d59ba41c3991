"""The deleveraging model's policies under their former import path, and ``make_policy``.

The classes live in :mod:`bsrlab.policies.monetary` and :mod:`bsrlab.policies.fiscal`;
:func:`make_policy` builds one from the command line's options with the old signature, where
``size`` is the policy's magnitude (its ``magnitude`` field).
"""

from __future__ import annotations

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy
from bsrlab.policies import registry
from bsrlab.policies.fiscal import DebtRelief, DebtWriteDown, FiscalStimulus
from bsrlab.policies.monetary import ForwardGuidance, HigherTarget, QuantitativeEasing, RateCut

__all__ = [
    "POLICY_NAMES",
    "DebtRelief",
    "DebtWriteDown",
    "FiscalStimulus",
    "ForwardGuidance",
    "HigherTarget",
    "Policy",
    "QuantitativeEasing",
    "RateCut",
    "make_policy",
]

FAMILY = "deleveraging"

#: The names accepted by :func:`make_policy` and the command line (``none`` means no policy).
POLICY_NAMES = (registry.NONE, *registry.names(FAMILY))


def make_policy(name: str, *, size: float | None = None, start: int | None = None,
                duration: int | None = None, extra_periods: int | None = None) -> Policy | None:
    """Build a policy of the deleveraging model from its name and the command line's options.

    ``size`` is the policy's magnitude: rate points for ``rate-cut``, share of output per period
    for ``qe``, ``fiscal`` and ``debt-relief``, the new target for ``higher-target``, the share
    of old debt for ``write-down``; ``forward-guidance`` has none. ``none`` returns None. An
    option the policy does not take raises ParameterError naming it.
    """
    if name == registry.NONE:
        if any(v is not None for v in (size, start, duration, extra_periods)):
            raise ParameterError("policy", "a policy name when --size/--start/--duration/"
                                 "--extra-periods are given", name)
        return None
    cls = registry.get(name, FAMILY)
    magnitude = getattr(cls, "magnitude", None) or "size"
    options = {magnitude: size, "start": start, "duration": duration,
               "extra_periods": extra_periods}
    return registry.make(name, FAMILY, **options)
