"""Fiscal policies of the many-period deleveraging model, registered by name.

Government debt is held by savers and serviced by lump-sum taxes on them, so its financing does
not move the allocation (savers are Ricardian). Each policy is a frozen dataclass validated on
construction whose :meth:`apply` returns new exogenous inputs
(:class:`~bsrlab.models.deleveraging.path.Exogenous`).

=============== ======================= =====================================================
name            class                   what it does
=============== ======================= =====================================================
``fiscal``      :class:`FiscalStimulus` government spending ``size`` per period,
                                        debt-financed
``debt-relief`` :class:`DebtRelief`     transfers ``size`` per period to borrowers,
                                        debt-financed
``write-down``  :class:`DebtWriteDown`  writes off a ``share`` of borrowers' old debt at
                                        t = 0, paid by the government or borne by creditors
=============== ======================= =====================================================
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

from bsrlab.core.validate import choice, real
from bsrlab.policies.registry import register
from bsrlab.policies.window import SizedWindowed, duration_field, start_field

if TYPE_CHECKING:
    from bsrlab.models.deleveraging.path import Exogenous

__all__ = ["DebtRelief", "DebtWriteDown", "FiscalStimulus"]

FAMILY = "deleveraging"

#: The admissible fiscal sizes per period, 0 < size < 0.5 (share of output).
_SHARE_BELOW_HALF: Mapping[str, Any] = MappingProxyType(
    {"lo": 0, "hi": 0.5, "lo_open": True, "hi_open": True})


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class FiscalStimulus(SizedWindowed):
    """Government spending of ``size`` (share of potential output) per period, debt-financed."""

    name: ClassVar[str] = "fiscal"
    label: ClassVar[str] = "fiscal stimulus"
    magnitude: ClassVar[str | None] = "size"
    adds_to: ClassVar[str] = "g"
    size_bounds: ClassVar[Mapping[str, Any]] = _SHARE_BELOW_HALF
    size: float = field(default=0.02, metadata={
        "help": "spending per period, share of potential output (0 < size < 0.5)"})
    start: int | None = start_field()
    duration: int | None = duration_field()


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class DebtRelief(SizedWindowed):
    """Transfers of ``size`` (aggregate, share of output) per period to borrowers, debt-financed.

    The government pays part of the borrowers' debt service; borrowers at their limit spend it.
    """

    name: ClassVar[str] = "debt-relief"
    label: ClassVar[str] = "debt relief"
    magnitude: ClassVar[str | None] = "size"
    adds_to: ClassVar[str] = "transfers"
    size_bounds: ClassVar[Mapping[str, Any]] = _SHARE_BELOW_HALF
    size: float = field(default=0.02, metadata={
        "help": "transfers to borrowers per period, share of output (0 < size < 0.5)"})
    start: int | None = start_field()
    duration: int | None = duration_field()


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class DebtWriteDown:
    """Write off a ``share`` of borrowers' old debt at t = 0.

    ``funded_by="government"`` pays creditors the written-off amount (a capital transfer, part of
    the deficit); ``"creditors"`` makes savers bear it (no fiscal cost). The amount is added to
    the inputs' ``written_off`` and, when the government pays, to ``written_off_government``;
    write-downs applied in turn each keep their own funder, so the inputs can hold a write-down
    funded partly by the government and partly by creditors.
    """

    name: ClassVar[str] = "write-down"
    label: ClassVar[str] = "debt write-down"
    magnitude: ClassVar[str | None] = "share"
    needs_spell: ClassVar[bool] = False
    share: float = field(default=0.1, metadata={
        "help": "share of borrowers' old debt written off at t = 0 (0 < share <= 1)"})
    funded_by: str = field(default="government", metadata={
        "help": "who pays for it: 'government' (a capital transfer) or 'creditors'"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "share", real("share", self.share, lo=0, hi=1, lo_open=True))
        object.__setattr__(self, "funded_by",
                           choice("funded_by", self.funded_by, ("government", "creditors")))

    def apply(self, inputs: Exogenous, context: Any) -> Exogenous:
        """Lower the old debt per borrower by ``share`` of it; record what was written off and
        the part the government pays."""
        w = self.share * inputs.debt_old
        gov = w if self.funded_by == "government" else 0.0
        return dataclasses.replace(
            inputs, debt_old=inputs.debt_old - w, written_off=inputs.written_off + w,
            written_off_government=inputs.written_off_government + gov)
