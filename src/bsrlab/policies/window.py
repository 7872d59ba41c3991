"""Policy windows (``start``, ``duration``), written once for every policy that has one.

A windowed policy acts in periods ``start .. start + duration - 1``. Either may be left ``None``:
it then refers to the first spell at the floor of the path without policy (``context.spell`` =
(first, last) period), or, if the floor never binds there, to the years of deleveraging from
t = 0 (``context.debt.length``). The window must end before the horizon (``periods - 1``), so
that the last period is the new steady state.

A policy class gets a window by deriving from :class:`Windowed` and declaring the two fields
with :func:`start_field` and :func:`duration_field`; its ``__post_init__`` calls
:func:`check_window`. A policy that adds its ``size`` per period to one input in the window
derives from :class:`SizedWindowed` instead and states only its own rule: the input
(``adds_to``) and the admissible sizes (``size_bounds``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ParameterError
from bsrlab.core.validate import integer, real

if TYPE_CHECKING:
    from bsrlab.models.deleveraging.path import Exogenous

__all__ = [
    "SizedWindowed",
    "Windowed",
    "added",
    "check_window",
    "duration_field",
    "resolve_window",
    "start_field",
]


def start_field() -> Any:
    """The dataclass field ``start`` (first period, ``None``: the baseline's spell)."""
    return field(default=None, metadata={
        "help": "first period of the policy (default: the first period at the floor without "
                "policy)"})


def duration_field() -> Any:
    """The dataclass field ``duration`` (periods, ``None``: as long as the baseline's spell)."""
    return field(default=None, metadata={
        "help": "periods the policy lasts (default: the spell at the floor without policy)"})


def check_window(policy: Any) -> None:
    """Validate ``policy.start`` (an integer >= 0) and ``policy.duration`` (>= 1) in place.

    Either may be ``None``. Raises :class:`~bsrlab.core.errors.ParameterError` naming the field.
    """
    if policy.start is not None:
        object.__setattr__(policy, "start", integer("start", policy.start, lo=0))
    if policy.duration is not None:
        object.__setattr__(policy, "duration", integer("duration", policy.duration, lo=1))


def resolve_window(name: str, start: int | None, duration: int | None, context: Any) -> slice:
    """The periods a windowed policy acts in, as a slice of ``0 .. context.periods - 1``.

    Parameters
    ----------
    name
        The policy's name (for the error message).
    start, duration
        The window as given; ``None`` takes the baseline's spell at the floor
        (``context.spell``) or, if there is none, ``0`` and ``context.debt.length``.
    context
        Anything with ``periods``, ``spell`` and ``debt.length``.

    Returns
    -------
    slice
        ``slice(start, start + duration)``.

    Raises
    ------
    ParameterError
        ``start + duration`` beyond ``periods - 1``: the policy must end before the horizon.
    """
    spell = context.spell
    s0, n = (spell[0], spell[1] - spell[0] + 1) if spell else (0, context.debt.length)
    s0 = s0 if start is None else start
    n = n if duration is None else duration
    last = context.periods - 1
    if s0 + n > last:
        raise ParameterError("start + duration", f"<= periods - 1 = {last} (policy "
                             f"'{name}' must end before the horizon)", s0 + n)
    return slice(s0, s0 + n)


def added(arr: NDArray[Any], window: slice, size: float) -> NDArray[np.float64]:
    """A new float array: ``arr`` with ``size`` added in ``window``."""
    out = np.array(arr, dtype=np.float64, copy=True)
    out[window] += size
    return out


class Windowed:
    """Mixin of the policies that act in a window of periods (fields ``start``, ``duration``)."""

    __slots__ = ()
    name: ClassVar[str]
    start: int | None
    duration: int | None

    @property
    def needs_spell(self) -> bool:
        """Whether the window refers to the baseline's spell at the floor (a field is None)."""
        return self.start is None or self.duration is None

    def window(self, context: Any) -> slice:
        """The periods the policy acts in (see :func:`resolve_window`)."""
        return resolve_window(self.name, self.start, self.duration, context)


class SizedWindowed(Windowed):
    """Mixin of the windowed policies that add ``size`` per period to one input in the window.

    A subclass declares the fields ``size``, ``start`` and ``duration`` and states its rule in
    two class attributes: ``adds_to``, the field of the inputs that ``size`` is added to, and
    ``size_bounds``, the admissible sizes as keyword arguments of
    :func:`~bsrlab.core.validate.real`.
    """

    __slots__ = ()
    adds_to: ClassVar[str]
    size_bounds: ClassVar[Mapping[str, Any]]
    size: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "size", real("size", self.size, **self.size_bounds))
        check_window(self)

    def apply(self, inputs: Exogenous, context: Any) -> Exogenous:
        """Add ``size`` to the input ``adds_to`` in the window; ``inputs`` stay unchanged."""
        changed: dict[str, Any] = {
            self.adds_to: added(getattr(inputs, self.adds_to), self.window(context), self.size)}
        return dataclasses.replace(inputs, **changed)
