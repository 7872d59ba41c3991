"""Validation of user-supplied parameters: convert first, then check.

Every function here either returns the converted value or raises
:class:`~bsrlab.core.errors.ParameterError` naming the field, the admissible rule and the
offending value. None of them lets a bare ``ValueError``, ``TypeError`` or ``OverflowError``
escape, and none of them emits a numpy warning.

Examples
--------
>>> real("beta", "0.5", lo=0, hi=1, lo_open=True, hi_open=True)
0.5
>>> real("beta", 1.5, lo=0, hi=1, lo_open=True, hi_open=True)
Traceback (most recent call last):
    ...
bsrlab.core.errors.ParameterError: parameter 'beta' must satisfy 0 < beta < 1 (a finite real number); got 1.5
>>> array("tau", [0.1, float("nan"), 0.3])
Traceback (most recent call last):
    ...
bsrlab.core.errors.ParameterError: parameter 'tau' must satisfy a finite real number; got nan (1 of 3 elements fail, first at flat index 1)
"""  # noqa: E501

from __future__ import annotations

import math
import numbers
import reprlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ParameterError

__all__ = [
    "array", "as_float", "choice", "flag", "integer", "range_rule", "readonly", "real", "require",
]

_S = TypeVar("_S", bound=str)
_FINITE = "a finite real number"


class _Shown:
    """Stand-in for a value whose ``repr`` is too long for a one-line message (or fails)."""

    def __init__(self, text: str) -> None:
        self.text = " ".join(text.split())

    def __repr__(self) -> str:
        return self.text


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 2, 4, 4, 4
_REPR.maxstring = _REPR.maxother = 40


def _shown(value: object) -> object:
    """``value`` itself, or a short stand-in when its ``repr`` is long or cannot be computed."""
    if isinstance(value, int) and value.bit_length() > 256:  # repr may exceed the digit limit
        return _Shown(f"<integer of {value.bit_length()} bits>")
    try:
        text = repr(value)
        if len(text) <= 120 and "\n" not in text:
            return value
        return _Shown(_REPR.repr(value))
    except Exception:  # a repr that raises (huge integers nested in a list, broken objects)
        return _Shown(f"<{type(value).__name__}>")


def _fmt(x: float) -> str:
    """A bound as people write it: ``0`` not ``0.0``, ``1e-12`` not ``1.0000000000000001e-12``."""
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


def _bound(name: str, which: str, value: float | None) -> float | None:
    if value is None:
        return None
    try:
        b = float(value)
    except (TypeError, ValueError, OverflowError):
        raise ParameterError(f"{name} ({which} bound)", "a real number", value) from None
    if math.isnan(b):
        raise ParameterError(f"{name} ({which} bound)", "a real number, not NaN", value)
    return b


def range_rule(name: str, lo: float | None = None, hi: float | None = None, *,
               lo_open: bool = False, hi_open: bool = False) -> str:
    """The rule text of an interval, for instance ``0 < beta < 1`` or ``n >= 1``.

    Parameters
    ----------
    name
        The parameter's name.
    lo, hi
        The bounds; ``None`` leaves that side unbounded.
    lo_open, hi_open
        Whether the bound itself is excluded.

    Returns
    -------
    str
        The rule, or ``""`` when both sides are unbounded.

    Examples
    --------
    >>> range_rule("beta", 0, 1, lo_open=True)
    '0 < beta <= 1'
    >>> range_rule("tol", lo=0.0)
    'tol >= 0'
    """
    lo_op = "<" if lo_open else "<="
    hi_op = "<" if hi_open else "<="
    if lo is not None and hi is not None:
        return f"{_fmt(float(lo))} {lo_op} {name} {hi_op} {_fmt(float(hi))}"
    if lo is not None:
        return f"{name} {'>' if lo_open else '>='} {_fmt(float(lo))}"
    if hi is not None:
        return f"{name} {hi_op} {_fmt(float(hi))}"
    return ""


def _real_rule(name: str, lo: float | None, hi: float | None, lo_open: bool, hi_open: bool,
               rule: str | None) -> str:
    rng = rule if rule is not None else range_rule(name, lo, hi, lo_open=lo_open, hi_open=hi_open)
    return f"{rng} ({_FINITE})" if rng else _FINITE


def as_float(value: object) -> float | None:
    """``float(value)`` for numbers and numeric strings, ``None`` for anything else.

    The conversion :func:`real` and :func:`array` apply before checking. Booleans, ``None``,
    complex numbers and arrays with more than one element are not real numbers here, even where
    Python or numpy would convert them. NaN and ±inf are returned as they are.

    Examples
    --------
    >>> as_float("1e-3"), as_float(True), as_float([1.0])
    (0.001, None, None)
    """
    if value is None or isinstance(value, bool | np.bool_ | complex | np.complexfloating):
        return None
    if isinstance(value, np.ndarray):
        if value.ndim != 0 or value.dtype.kind not in "iuf":
            return None
        value = value[()]
    if isinstance(value, numbers.Real | Decimal | np.integer | np.floating | str | bytes):
        try:
            with np.errstate(all="ignore"):
                return float(value)
        except (TypeError, ValueError, OverflowError):
            return None
    return None


def real(name: str, value: object, *, lo: float | None = None, hi: float | None = None,
         lo_open: bool = False, hi_open: bool = False, rule: str | None = None) -> float:
    """Convert ``value`` to a finite float and check it against optional bounds.

    Parameters
    ----------
    name
        The parameter's name as the user spells it.
    value
        Anything :func:`as_float` reads as a real number: ``int``, ``float``, numpy integer
        and floating scalars, 0-d arrays, ``Fraction``, ``Decimal``, numeric strings
        (``"0.5"``). Booleans, ``None``, complex numbers and sequences are rejected.
    lo, hi
        Optional bounds; ``None`` leaves that side unbounded.
    lo_open, hi_open
        Whether the bound itself is excluded (``lo < value`` instead of ``lo <= value``).
    rule
        The admissible range in words or symbols, replacing the one built from the bounds
        (``"R - 1 < alpha < 1"``); ``(a finite real number)`` is appended in either case.

    Returns
    -------
    float
        The converted value.

    Raises
    ------
    ParameterError
        If ``value`` is not a real number, is NaN or infinite, or lies outside the bounds.

    Examples
    --------
    >>> real("gamma", 2)
    2.0
    >>> real("gamma", "inf")
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ParameterError: parameter 'gamma' must satisfy a finite real number; got inf
    """
    lo_f = _bound(name, "lower", lo)
    hi_f = _bound(name, "upper", hi)
    x = as_float(value)
    if x is None:
        raise ParameterError(name, _real_rule(name, lo_f, hi_f, lo_open, hi_open, rule),
                             _shown(value))
    ok = math.isfinite(x)
    if ok and lo_f is not None:
        ok = x > lo_f if lo_open else x >= lo_f
    if ok and hi_f is not None:
        ok = x < hi_f if hi_open else x <= hi_f
    if not ok:
        raise ParameterError(name, _real_rule(name, lo_f, hi_f, lo_open, hi_open, rule), x)
    return x


def integer(name: str, value: object, *, lo: int | None = None, hi: int | None = None) -> int:
    """Check that ``value`` is an integer (``int`` or numpy integer) within inclusive bounds.

    Floats are rejected even when integral (``3.0``), and so are booleans and strings: an
    integer parameter (a horizon, a number of iterations) is given as an integer.

    Parameters
    ----------
    name
        The parameter's name.
    value
        The value to check.
    lo, hi
        Optional inclusive bounds.

    Returns
    -------
    int
        The value as a Python ``int``.

    Raises
    ------
    ParameterError
        If ``value`` is not an integer or lies outside the bounds.

    Examples
    --------
    >>> integer("horizon", 40, lo=1)
    40
    >>> integer("horizon", 2.5, lo=1)
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ParameterError: parameter 'horizon' must satisfy horizon >= 1 (an integer); got 2.5
    """  # noqa: E501
    rng = range_rule(name, lo, hi)
    admissible = f"{rng} (an integer)" if rng else "an integer"
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ParameterError(name, admissible, _shown(value))
    n = int(value)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise ParameterError(name, admissible, _shown(n))
    return n


def readonly(arr: object) -> NDArray[Any]:
    """Return ``arr`` as an ndarray nobody can write through.

    An array that owns its data is frozen in place (``flags.writeable = False``). A view whose
    data some writeable array could still change is copied first and the copy is frozen; a view
    that is read-only all the way down is returned as is. Anything else is converted with
    ``np.asarray``.

    Examples
    --------
    >>> a = readonly([1.0, 2.0])
    >>> a.flags.writeable
    False
    """
    a = np.asarray(arr)
    if a.flags.owndata:
        a.flags.writeable = False
        return a
    if not a.flags.writeable and not _writeable_base(a):
        return a
    c = a.copy()
    c.flags.writeable = False
    return c


def _writeable_base(a: NDArray[Any]) -> bool:
    base = a.base
    while isinstance(base, np.ndarray):
        if base.flags.writeable:
            return True
        base = base.base
    return False


def _flat_detail(n_bad: int, n: int, first: int) -> str:
    return f"{n_bad} of {n} elements fail, first at flat index {first}"


def array(name: str, value: object, *, lo: float | None = None, hi: float | None = None,
          lo_open: bool = False, hi_open: bool = False,
          rule: str | None = None) -> NDArray[np.float64]:
    """Convert ``value`` to a read-only float64 array of finite numbers within optional bounds.

    Parameters
    ----------
    name
        The parameter's name.
    value
        A real number, a (nested) sequence of real numbers or an array of integers or floats.
        Booleans, complex numbers, ``None`` and non-numeric strings are rejected.
    lo, hi, lo_open, hi_open, rule
        As in :func:`real`, applied element by element.

    Returns
    -------
    numpy.ndarray
        A new float64 array with ``flags.writeable`` False; it shares no memory with ``value``.

    Raises
    ------
    ParameterError
        Naming the first failing element; for arrays with at least one dimension the detail
        reads ``k of n elements fail, first at flat index i``.

    Examples
    --------
    >>> array("tau", [0.1, 0.2]).tolist()
    [0.1, 0.2]
    >>> array("tau", [0.1, 1.2, 1.5], lo=0, hi=1, hi_open=True)
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ParameterError: parameter 'tau' must satisfy 0 <= tau < 1 (a finite real number); got 1.2 (2 of 3 elements fail, first at flat index 1)
    """  # noqa: E501
    lo_f = _bound(name, "lower", lo)
    hi_f = _bound(name, "upper", hi)
    admissible = _real_rule(name, lo_f, hi_f, lo_open, hi_open, rule)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError, OverflowError):  # ragged nesting, unconvertible objects
        raise ParameterError(name, admissible, _shown(value)) from None
    kind = raw.dtype.kind
    if kind in "iuf":
        with np.errstate(all="ignore"):
            out = np.array(raw, dtype=np.float64, copy=True)
    elif kind in "OUS":
        flat = raw.ravel()
        out = np.empty(flat.size, dtype=np.float64)
        bad: list[int] = []
        for i, item in enumerate(flat.tolist()):
            x = as_float(item)
            if x is None:
                bad.append(i)
            else:
                out[i] = x
        if bad:
            first = flat.tolist()[bad[0]]
            detail = _flat_detail(len(bad), flat.size, bad[0]) if raw.ndim else ""
            raise ParameterError(name, admissible, _shown(first), detail)
        out = out.reshape(raw.shape)
    else:  # booleans, complex numbers, dates, records
        first = raw.ravel()[0].item() if raw.size else value
        detail = _flat_detail(raw.size, raw.size, 0) if raw.ndim and raw.size else ""
        raise ParameterError(name, admissible, _shown(first), detail)
    with np.errstate(invalid="ignore"):
        ok = np.isfinite(out)
        if lo_f is not None:
            ok &= out > lo_f if lo_open else out >= lo_f
        if hi_f is not None:
            ok &= out < hi_f if hi_open else out <= hi_f
    _raise_first(name, admissible, out, ok)
    out.flags.writeable = False
    return out


def _raise_first(name: str, admissible: str, values: NDArray[Any], ok: NDArray[np.bool_]) -> None:
    if bool(np.all(ok)):
        return
    bad = np.flatnonzero(~ok.ravel())
    first = int(bad[0])
    v = values.ravel()[first]
    shown: object = v.item() if isinstance(v, np.generic) else v
    detail = _flat_detail(bad.size, ok.size, first) if ok.ndim else ""
    raise ParameterError(name, admissible, _shown(shown), detail)


def require(name: str, values: object, ok_mask: object, rule: str) -> None:
    """Raise for the first element of ``values`` where ``ok_mask`` is False or the value is NaN.

    Use it for rules that involve several parameters, after each has been converted, e.g.
    ``require("tau", tau, tau < 1 - alpha, "tau < 1 - alpha")``.

    Parameters
    ----------
    name
        The parameter's name.
    values
        The (converted) values, a scalar or an array.
    ok_mask
        Boolean scalar or array, broadcastable with ``values``: True where the rule holds.
    rule
        The rule in words or symbols, as it appears in the error message.

    Raises
    ------
    ParameterError
        Naming the first failing element (flat index, after broadcasting) and, for arrays, how
        many fail.

    Examples
    --------
    >>> import numpy as np
    >>> tau = np.array([0.1, 0.6])
    >>> require("tau", tau, tau < 0.5, "tau < 1 - alpha")
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ParameterError: parameter 'tau' must satisfy tau < 1 - alpha; got 0.6 (1 of 2 elements fail, first at flat index 1)
    """  # noqa: E501
    v = np.asarray(values)
    ok = np.asarray(ok_mask, dtype=bool)
    try:
        v, ok = np.broadcast_arrays(v, ok)
    except ValueError:
        detail = f"the rule's mask has shape {ok.shape}, the values {v.shape}"
        raise ParameterError(name, rule, _shown(values), detail) from None
    if v.dtype.kind in "fc":
        ok = ok & ~np.isnan(v)
    _raise_first(name, rule, v, ok)


def choice(name: str, value: object, options: Iterable[_S]) -> _S:
    """Check that ``value`` is one of the strings ``options`` and return that option.

    Parameters
    ----------
    name
        The parameter's name.
    value
        The value to check (compared with ``==``; a ``StrEnum`` member matches its value).
    options
        The admissible strings.

    Returns
    -------
    str
        The element of ``options`` equal to ``value``.

    Raises
    ------
    ParameterError
        If ``value`` is not a string or matches no option.

    Examples
    --------
    >>> choice("method", "newton", ["newton", "bisection"])
    'newton'
    >>> choice("method", "secant", ["newton", "bisection"])
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ParameterError: parameter 'method' must satisfy one of 'newton', 'bisection'; got 'secant'
    """  # noqa: E501
    opts = list(options)
    if isinstance(value, str):
        for opt in opts:
            if opt == value:
                return opt
    raise ParameterError(name, "one of " + ", ".join(repr(str(o)) for o in opts), _shown(value))


def flag(name: str, value: object) -> bool:
    """``value`` as a bool; only True and False (numpy's too) are accepted.

    >>> flag("nominal_debt", True)
    True
    >>> flag("nominal_debt", 1)
    Traceback (most recent call last):
        ...
    bsrlab.core.errors.ParameterError: parameter 'nominal_debt' must satisfy True or False; got 1
    """
    if not isinstance(value, bool | np.bool_):
        raise ParameterError(name, "True or False", value)
    return bool(value)
