"""What every solver returns: frozen results with their diagnostics.

A model's result is a frozen dataclass deriving from :class:`Result`. It carries the parameters
it was computed from, the solver's :class:`Diagnostics` and its outputs; every numpy array among
its fields is made read-only on construction. ``KEYS`` names the outputs in the order
:meth:`Result.to_dict`, :meth:`Result.to_frame` and :meth:`Result.to_json` write them.

Examples
--------
>>> from dataclasses import dataclass
>>> import numpy as np
>>> @dataclass(frozen=True, kw_only=True, eq=False)
... class Decline(Result[dict]):
...     KEYS = ("tau", "delta")
...     tau: np.ndarray
...     delta: np.ndarray
>>> r = Decline(params={"alpha": 0.5}, tau=np.array([0.1, 0.2]), delta=np.array([0.0, np.inf]),
...             diagnostics=Diagnostics(True, 0, 0.0, "closed form"))
>>> r.delta.flags.writeable
False
>>> r.to_dict()["delta"]
[0.0, None]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

import numpy as np

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.jsonio import dumps, to_jsonable
from bsrlab.core.validate import as_float, integer, readonly, real

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Diagnostics", "Result", "verify"]

P = TypeVar("P")


@dataclass(frozen=True, slots=True)
class Diagnostics:
    """How a solver fared.

    Parameters
    ----------
    converged
        Whether the solver met its own stopping rule at every point.
    iterations
        The number of iterations it took (the most any point needed); 0 for closed forms.
    max_residual
        The largest absolute residual of the equations solved, over all points. May be NaN or
        infinite when the solver broke down; :func:`verify` rejects that.
    method
        The solver's name (``newton``, ``bisection``, ``closed form``).

    Examples
    --------
    >>> d = Diagnostics(converged=True, iterations=5, max_residual=1.2e-15, method="newton")
    >>> print(d)
    method=newton, converged=True, iterations=5, max residual=1.2e-15
    >>> Diagnostics(False, 50, float("nan"), "newton").to_dict()
    {'converged': False, 'iterations': 50, 'max_residual': None, 'method': 'newton'}
    """

    converged: bool
    iterations: int
    max_residual: float
    method: str

    def __post_init__(self) -> None:
        if not isinstance(self.converged, bool | np.bool_):
            raise ParameterError("converged", "a boolean", self.converged)
        object.__setattr__(self, "converged", bool(self.converged))
        object.__setattr__(self, "iterations", integer("iterations", self.iterations, lo=0))
        residual = as_float(self.max_residual)
        if residual is None:
            raise ParameterError("max_residual", "a real number (NaN and inf allowed)",
                                 self.max_residual)
        object.__setattr__(self, "max_residual", residual)
        if not isinstance(self.method, str):
            raise ParameterError("method", "a string", self.method)
        object.__setattr__(self, "method", str(self.method))

    def to_dict(self) -> dict[str, Any]:
        """The diagnostics as a JSON-ready dict; a non-finite ``max_residual`` becomes None."""
        r = self.max_residual
        return {
            "converged": self.converged,
            "iterations": self.iterations,
            "max_residual": r if math.isfinite(r) else None,
            "method": self.method,
        }

    def __str__(self) -> str:
        return (f"method={self.method}, converged={self.converged}, "
                f"iterations={self.iterations}, max residual={self.max_residual:.3g}")


@dataclass(frozen=True, kw_only=True, eq=False)
class Result(Generic[P]):
    """Base class of every model result.

    Subclasses are frozen dataclasses (``@dataclass(frozen=True, kw_only=True, eq=False)``;
    ``eq=False`` because arrays have no single truth value) that add their outputs as fields
    and name them in ``KEYS``. A subclass defining ``__post_init__`` calls
    ``super().__post_init__()``.

    Parameters
    ----------
    params
        The parameters the result was computed from.
    diagnostics
        How the solver fared; ``converged``, ``iterations`` and ``max_residual`` are also
        properties of the result.

    Notes
    -----
    Every numpy array among the fields is made read-only on construction with
    :func:`~bsrlab.core.validate.readonly`: an array owning its data is frozen in place, a view
    of writeable memory is copied first.
    """

    KEYS: ClassVar[tuple[str, ...]] = ()
    """The output fields, in the order the JSON and table outputs list them. Empty: every field
    except ``params`` and ``diagnostics``, in declaration order."""

    params: P
    diagnostics: Diagnostics

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                object.__setattr__(self, f.name, readonly(value))

    @property
    def converged(self) -> bool:
        """Whether the solver met its stopping rule at every point (``diagnostics``)."""
        return self.diagnostics.converged

    @property
    def iterations(self) -> int:
        """The iterations the solver took (the most any point needed); 0 for closed forms."""
        return self.diagnostics.iterations

    @property
    def max_residual(self) -> float:
        """The largest absolute residual of the equations solved, over all points."""
        return self.diagnostics.max_residual

    def output_keys(self) -> tuple[str, ...]:
        """``KEYS``, or every field but ``params`` and ``diagnostics`` when ``KEYS`` is empty."""
        if self.KEYS:
            return self.KEYS
        return tuple(f.name for f in fields(self) if f.name not in ("params", "diagnostics"))

    def to_dict(self) -> dict[str, Any]:
        """The outputs in ``KEYS`` order, then ``params`` and ``diagnostics``, JSON-ready.

        Arrays become nested lists, numpy scalars Python numbers, ``Enum`` members their value
        and non-finite floats ``None``.
        """
        out = {k: to_jsonable(getattr(self, k)) for k in self.output_keys()}
        out["params"] = to_jsonable(self.params)
        out["diagnostics"] = self.diagnostics.to_dict()
        return out

    def plain_outputs(self) -> dict[str, Any]:
        """The outputs in ``KEYS`` order as plain values, without ``params`` and ``diagnostics``.

        A scalar output becomes a float, an array nested lists; non-finite values stay as they
        are (unlike :meth:`to_dict`).
        """
        out: dict[str, Any] = {}
        for k in self.output_keys():
            v = np.asarray(getattr(self, k))
            out[k] = float(v) if v.ndim == 0 else v.tolist()
        return out

    def to_frame(self) -> pd.DataFrame:
        """A pandas DataFrame with one row per point and one column per output in ``KEYS``.

        Outputs are broadcast against each other (a scalar output repeats on every row) and
        flattened in C order; ``Enum`` members are replaced by their value.
        """
        import pandas as pd

        keys = self.output_keys()
        values = [_plain(getattr(self, k)) for k in keys]
        shape = np.broadcast_shapes(*(v.shape for v in values)) if values else ()
        cols = {k: np.ravel(np.broadcast_to(v, shape)) for k, v in zip(keys, values, strict=True)}
        return pd.DataFrame(cols, index=pd.RangeIndex(int(np.prod(shape, dtype=np.int64))))

    def to_json(self, *, indent: int | None = 2) -> str:
        """:meth:`to_dict` as strict JSON (non-finite floats as ``null``)."""
        return dumps(self.to_dict(), indent=indent)


def _plain(value: Any) -> np.ndarray[Any, Any]:
    """An output as an array, with ``Enum`` members replaced by their value."""
    if isinstance(value, Enum):
        return np.asarray(value.value)
    arr = np.asarray(value)
    if arr.dtype.kind == "O":
        flat = [v.value if isinstance(v, Enum) else v for v in arr.ravel().tolist()]
        arr = np.asarray(flat).reshape(arr.shape)
    return arr


def verify(diagnostics: Diagnostics, tol: float, *, what: str = "") -> Diagnostics:
    """Return ``diagnostics`` if the solver converged to within ``tol``; raise otherwise.

    Parameters
    ----------
    diagnostics
        The solver's diagnostics.
    tol
        The largest admissible residual (``tol >= 0``).
    what
        What was solved (``fundamental root``); defaults to the method's name.

    Returns
    -------
    Diagnostics
        The same diagnostics.

    Raises
    ------
    ConvergenceError
        Carrying ``diagnostics`` as its attribute, if the solver did not converge, its residual
        is NaN or infinite, or its residual exceeds ``tol``.

    Examples
    --------
    >>> verify(Diagnostics(True, 4, 1e-14, "newton"), 1e-12).iterations
    4
    >>> verify(Diagnostics(True, 4, 1e-6, "newton"), 1e-12)
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ConvergenceError: newton did not converge: max residual 1e-06 exceeds tolerance 1e-12 [method=newton, converged=True, iterations=4, max residual=1e-06]
    """  # noqa: E501
    tol = real("tol", tol, lo=0)
    subject = what or diagnostics.method
    r = diagnostics.max_residual
    if not diagnostics.converged:
        raise ConvergenceError(f"{subject} did not converge", diagnostics)
    if not math.isfinite(r):
        raise ConvergenceError(f"{subject} did not converge: the residual is not finite",
                               diagnostics)
    if r > tol:
        raise ConvergenceError(
            f"{subject} did not converge: max residual {r:.3g} exceeds tolerance {tol:.3g}",
            diagnostics)
    return diagnostics
