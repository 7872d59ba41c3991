"""Monetary policies of the many-period deleveraging model, registered by name.

Every policy is announced at t = 0 and fully credible (perfect foresight); each is a frozen
dataclass validated on construction whose :meth:`apply` returns new exogenous inputs
(:class:`~bsrlab.models.deleveraging.path.Exogenous`) and leaves the given ones untouched.

==================== ============================ ============================================
name                 class                        what it does
==================== ============================ ============================================
``rate-cut``         :class:`RateCut`             lowers the rule's intercept by ``size`` in a
                                                  window
``forward-guidance`` :class:`ForwardGuidance`     holds the rate at the floor ``extra_periods``
                                                  beyond the date the path without policy
                                                  leaves it
``higher-target``    :class:`HigherTarget`        raises the inflation target to ``target`` for
                                                  good
``qe``               :class:`QuantitativeEasing`  buys bonds for reserves at unchanged expected
                                                  policy rates: a balance-sheet swap
==================== ============================ ============================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import integer, real
from bsrlab.policies.registry import register
from bsrlab.policies.window import SizedWindowed, duration_field, start_field

if TYPE_CHECKING:
    from bsrlab.models.deleveraging.path import Exogenous

__all__ = ["QE_NOTE", "ForwardGuidance", "HigherTarget", "QuantitativeEasing", "RateCut"]

FAMILY = "deleveraging"

#: What quantitative easing does in this model (the note of a path with QE).
QE_NOTE = ("quantitative easing swaps reserves for bonds at unchanged expected policy rates; "
           "with no portfolio frictions in this model it changes no equation, so the path "
           "equals the path without it")


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class RateCut(SizedWindowed):
    """Lower the intercept of the Taylor rule by ``size`` (rate points) in a window."""

    name: ClassVar[str] = "rate-cut"
    label: ClassVar[str] = "rate cut"
    magnitude: ClassVar[str | None] = "size"
    adds_to: ClassVar[str] = "cut"  # subtracted from the rule's gross intercept
    size_bounds: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {"lo": 0, "hi": 0.5, "lo_open": True, "hi_open": True,
         "rule": "0 < size < 0.5 (rate points)"})
    size: float = field(default=0.01, metadata={"help": "cut of the rule's intercept, rate "
                                                        "points (0 < size < 0.5)"})
    start: int | None = start_field()
    duration: int | None = duration_field()


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class ForwardGuidance:
    """Keep the policy rate at the floor ``extra_periods`` beyond the exit without policy."""

    name: ClassVar[str] = "forward-guidance"
    label: ClassVar[str] = "forward guidance"
    magnitude: ClassVar[str | None] = None
    needs_spell: ClassVar[bool] = True
    extra_periods: int = field(default=2, metadata={
        "help": "periods the rate stays at the floor after the path without policy leaves it "
                "(1 to 200)"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra_periods",
                           integer("extra_periods", self.extra_periods, lo=1, hi=200))

    def apply(self, inputs: Exogenous, context: Any) -> Exogenous:
        """Hold the rate at the floor through the baseline's last period there + extra_periods."""
        spell = context.spell
        last = (spell[1] if spell else -1) + self.extra_periods
        T = context.periods
        if last > T - 2:
            raise ParameterError("extra_periods", f"a hold ending by period {T - 2}",
                                 self.extra_periods)
        hold = np.array(inputs.hold, dtype=bool, copy=True)
        hold[: last + 1] = True
        return dataclasses.replace(inputs, hold=hold)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class HigherTarget:
    """Raise the inflation target to ``target`` (per period) for good, announced at t = 0."""

    name: ClassVar[str] = "higher-target"
    label: ClassVar[str] = "higher target"
    magnitude: ClassVar[str | None] = "target"
    needs_spell: ClassVar[bool] = False
    target: float = field(default=0.03, metadata={
        "help": "the new inflation target per period (-0.5 < target < 0.5)"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "target", real("target", self.target, lo=-0.5, hi=0.5,
                                                lo_open=True, hi_open=True))

    def apply(self, inputs: Exogenous, context: Any) -> Exogenous:
        """Set the new target; its steady nominal rate must lie above the floor."""
        p = context.params
        steady_i = (1 + p.rbar) * (1 + self.target) - 1
        if not p.i_floor < steady_i:
            raise ParameterError("target", f"a steady nominal rate above the floor "
                                 f"{p.i_floor:g}", self.target)
        return dataclasses.replace(inputs, pibar_new=float(self.target))


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class QuantitativeEasing(SizedWindowed):
    """Central-bank purchases of ``size`` (share of output) per period, paid with reserves.

    A swap of reserves for bonds that leaves every expected policy rate unchanged changes no
    equation of the model (no portfolio frictions): the allocation equals the one without it.
    """

    name: ClassVar[str] = "qe"
    label: ClassVar[str] = "QE"
    magnitude: ClassVar[str | None] = "size"
    adds_to: ClassVar[str] = "qe"  # recorded only: no equation reads it
    size_bounds: ClassVar[Mapping[str, Any]] = MappingProxyType(
        {"lo": 0, "lo_open": True, "rule": "size > 0 (share of output)"})
    size: float = field(default=0.1, metadata={
        "help": "purchases per period, share of output (size > 0)"})
    start: int | None = start_field()
    duration: int | None = duration_field()

    def note(self) -> str:
        """What quantitative easing does in this model."""
        return QE_NOTE
