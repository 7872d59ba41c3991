"""Fiscal rules of Koo's model (:func:`bsrlab.models.deleveraging.koo.solve_koo`), by name.

Registered in the family ``koo``. Each is a frozen dataclass validated on construction whose
:meth:`apply` returns new exogenous inputs built with :func:`dataclasses.replace` (for Koo's
model a :class:`~bsrlab.models.deleveraging.koo.KooExogenous`, which carries discretionary
taxes besides path.py's inputs); the inputs given are left untouched.

================= ===================== ======================================================
name              class                 what it does
================= ===================== ======================================================
``spending-path`` :class:`SpendingPath` government spending following a path of shares of
                                        output from ``start``, debt-financed
``consolidation`` :class:`Consolidation` a tax rise on savers or a spending cut of ``size``
                                        from ``start``, for ``duration`` periods or for good
================= ===================== ======================================================

The three kinds of debt relief need no class of their own: a write-down borne by creditors
(``write-down`` with ``funded_by="creditors"``: savers' safe assets fall by the value written
off), a write-down paid by the government (``funded_by="government"``: the government pays
creditors the value written off with bonds, so savers' safe assets are unchanged and
government debt rises by it) and lump-sum transfers to borrowers (``debt-relief``) are in
:mod:`bsrlab.policies.fiscal`. Automatic stabilisers are the parameter ``tau_y`` of
:class:`~bsrlab.models.deleveraging.koo.KooParams`, not a policy.

Windows follow :func:`bsrlab.policies.window.resolve_window`: a policy must end before the
horizon (``periods - 1``), where the new steady state, without fiscal action, begins; "for
good" therefore means through period ``periods - 2``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import array, choice, integer, real
from bsrlab.policies.registry import register
from bsrlab.policies.window import added, resolve_window

if TYPE_CHECKING:
    from bsrlab.models.deleveraging.path import Exogenous

__all__ = ["CONSOLIDATION_KINDS", "FAMILY", "Consolidation", "SpendingPath"]

FAMILY = "koo"

#: What a consolidation changes: a tax rise on savers or a cut in government spending.
CONSOLIDATION_KINDS = ("tax", "spending")

_MAX_PATH = 200


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class SpendingPath:
    """Government spending following a path of shares of output from ``start``, debt-financed.

    ``path[j]`` is added to spending in period ``start + j`` (a negative entry spends less than
    without the policy); the deficit follows from it, the automatic stabilisers and interest.
    ``path`` is stored as a tuple of floats (any sequence of numbers is accepted).
    """

    name: ClassVar[str] = "spending-path"
    label: ClassVar[str] = "spending path"
    magnitude: ClassVar[str | None] = None
    needs_spell: ClassVar[bool] = False
    path: Sequence[float] = field(default=(0.02, 0.02, 0.02), metadata={
        "help": "spending per period from start, shares of potential output (each between "
                "-0.5 and 0.5, 1 to 200 periods)"})
    start: int = field(default=0, metadata={"help": "the period of the path's first entry "
                                                    "(>= 0)"})

    def __post_init__(self) -> None:
        values = array("path", self.path, lo=-0.5, hi=0.5, lo_open=True, hi_open=True)
        if values.ndim != 1 or not 1 <= values.size <= _MAX_PATH:
            raise ParameterError("path", f"a list of 1 to {_MAX_PATH} shares of output",
                                 self.path)
        object.__setattr__(self, "path", tuple(float(v) for v in values))
        object.__setattr__(self, "start", integer("start", self.start, lo=0))

    def apply(self, inputs: Exogenous, context: Any) -> Exogenous:
        """Add ``path`` to spending in periods ``start .. start + len(path) - 1``."""
        window = resolve_window(self.name, self.start, len(self.path), context)
        g = np.array(inputs.g, dtype=np.float64, copy=True)
        g[window] += np.asarray(self.path)
        return dataclasses.replace(inputs, g=g)


@register(FAMILY)
@dataclass(frozen=True, kw_only=True, slots=True)
class Consolidation:
    """A tax rise or spending cut of ``size`` (share of output) a year from ``start``.

    ``kind="tax"`` raises lump-sum taxes on savers (who pay every tax in the model; with
    ``omega = 0`` this moves government debt only, with ``omega > 0`` it also lowers the safe
    assets savers hold); ``kind="spending"`` cuts government spending. It lasts ``duration``
    periods, or for good (``None``: through the last period before the horizon).
    """

    name: ClassVar[str] = "consolidation"
    label: ClassVar[str] = "consolidation"
    magnitude: ClassVar[str | None] = "size"
    needs_spell: ClassVar[bool] = False
    size: float = field(default=0.02, metadata={
        "help": "tax rise or spending cut per period, share of potential output "
                "(0 < size < 0.5)"})
    kind: str = field(default="tax", metadata={
        "help": "'tax' (a tax rise on savers) or 'spending' (a spending cut)"})
    start: int = field(default=0, metadata={"help": "first period of the consolidation (>= 0)"})
    duration: int | None = field(default=None, metadata={
        "help": "periods it lasts (default: for good, through the period before the horizon)"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", real("size", self.size, lo=0, hi=0.5, lo_open=True,
                                              hi_open=True))
        object.__setattr__(self, "kind", choice("kind", self.kind, CONSOLIDATION_KINDS))
        object.__setattr__(self, "start", integer("start", self.start, lo=0))
        if self.duration is not None:
            object.__setattr__(self, "duration", integer("duration", self.duration, lo=1))

    def window(self, context: Any) -> slice:
        """The periods it acts in: ``start`` for ``duration`` periods or to ``periods - 2``."""
        duration = (context.periods - 1 - self.start if self.duration is None
                    else self.duration)
        if duration < 1:
            raise ParameterError("start", f"a start before period {context.periods - 1} (the "
                                 f"horizon)", self.start)
        return resolve_window(self.name, self.start, duration, context)

    def apply(self, inputs: Exogenous, context: Any) -> Exogenous:
        """Add ``size`` to discretionary taxes, or subtract it from spending, in the window."""
        window = self.window(context)
        if self.kind == "spending":
            return dataclasses.replace(inputs, g=added(inputs.g, window, -self.size))
        taxes = getattr(inputs, "taxes", None)
        if taxes is None:
            raise ParameterError("kind", "'spending' for a model without discretionary taxes "
                                 "(path.py's savers are Ricardian: a tax rise moves nothing "
                                 "there; use solve_koo)", self.kind)
        changed: dict[str, Any] = {"taxes": added(taxes, window, self.size)}
        return dataclasses.replace(inputs, **changed)
