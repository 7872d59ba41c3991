"""The one JSON encoder of bsrlab.

:func:`to_jsonable` turns results, parameters and numpy values into plain dicts, lists, strings,
numbers, booleans and ``None``; :func:`dumps` writes them as strict JSON (``allow_nan=False``).

A non-finite float is written as ``null``. This is how an unbounded quantity appears in JSON:
an infinite loan rate in a banking crisis, for instance, is ``null`` rather than ``Infinity``,
which is not JSON. NaN (a quantity that is undefined at that point) is ``null`` as well.

Examples
--------
>>> import numpy as np
>>> print(dumps({"loan_rate": float("inf"), "delta": np.array([0.5, np.nan])}, indent=None))
{"loan_rate": null, "delta": [0.5, null]}
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import numbers
from collections.abc import Mapping
from enum import Enum
from pathlib import PurePath
from typing import Any

import numpy as np

__all__ = ["dumps", "to_jsonable"]


def _float(x: float) -> float | None:
    return x if math.isfinite(x) else None


def _array(a: np.ndarray[Any, Any]) -> Any:
    kind = a.dtype.kind
    if kind == "f":
        obj = a.astype(object)
        obj[~np.isfinite(a)] = None
        return obj.tolist()
    if kind in "biuU":
        return a.tolist()
    if kind == "M":
        return to_jsonable(_dates(a).tolist())
    if kind == "O":
        return to_jsonable(a.tolist())
    raise TypeError(f"cannot encode an array of dtype {a.dtype} as JSON")


def _dates(a: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """ISO 8601 strings of a datetime64 array, ``None`` for NaT."""
    out = np.array(np.datetime_as_string(a), dtype=object)
    out[np.isnat(a)] = None
    return out


def to_jsonable(obj: Any) -> Any:
    """Convert ``obj`` into values :func:`json.dumps` writes without loss or NaN.

    Parameters
    ----------
    obj
        ``None``, ``bool``, ``int``, ``float``, ``str``; numpy scalars and arrays; ``Enum``
        members (their value); mappings (keys become strings), lists and tuples; paths (as
        strings); dates and times, numpy's included (ISO 8601); objects with a ``to_dict()``
        method and other dataclass instances (field by field).

    Returns
    -------
    Any
        Nested dicts, lists, ``str``, ``int``, ``float``, ``bool`` and ``None``; every float is
        finite (NaN and ±inf become ``None``).

    Raises
    ------
    TypeError
        For an object of any other type (complex numbers, for instance).

    Examples
    --------
    >>> import numpy as np
    >>> to_jsonable({"n": np.int64(3), "x": (1.5, float("nan"))})
    {'n': 3, 'x': [1.5, None]}
    """
    if obj is None:
        return None
    if isinstance(obj, Enum):
        return to_jsonable(obj.value)
    if isinstance(obj, str):
        return str(obj)
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return _float(float(obj))
    if isinstance(obj, np.ndarray):
        return _array(obj)
    if isinstance(obj, np.datetime64):
        return _dates(np.asarray(obj)).item()
    if isinstance(obj, Mapping):
        return {_key(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, dt.date | dt.time):
        return obj.isoformat()
    if isinstance(obj, numbers.Real):  # Fraction and other registered real numbers
        return _float(float(obj))
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict) and not isinstance(obj, type):
        return to_jsonable(to_dict())
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    raise TypeError(f"cannot encode {type(obj).__name__} as JSON")


def _key(k: Any) -> str:
    v = to_jsonable(k)
    return v if isinstance(v, str) else json.dumps(v)


def dumps(obj: Any, *, indent: int | None = 2) -> str:
    """Write ``obj`` as strict JSON; non-finite floats become ``null``.

    Parameters
    ----------
    obj
        Anything :func:`to_jsonable` accepts.
    indent
        Indentation of nested values; ``None`` writes one line.

    Returns
    -------
    str
        The JSON text; it never contains ``NaN`` or ``Infinity``.

    Examples
    --------
    >>> print(dumps([1, float("-inf")], indent=None))
    [1, null]
    """
    return json.dumps(to_jsonable(obj), indent=indent, allow_nan=False)
