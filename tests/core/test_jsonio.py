"""The JSON encoder: strict JSON, non-finite floats as null, numpy and Enum values unwrapped."""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from enum import Enum, IntEnum, StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from bsrlab.core.jsonio import dumps, to_jsonable


class Colour(Enum):
    RED = "red"


class Level(IntEnum):
    HIGH = 2


class Method(StrEnum):
    NEWTON = "newton"


@dataclass
class Point:
    x: float
    y: np.ndarray


class WithToDict:
    def to_dict(self) -> dict[str, Any]:
        return {"rate": float("inf")}


def _no_nan_or_infinity(text: str) -> bool:
    return "NaN" not in text and "Infinity" not in text


def test_scalars() -> None:
    assert to_jsonable(None) is None
    assert to_jsonable(np.bool_(True)) is True
    assert type(to_jsonable(np.int32(3))) is int
    assert type(to_jsonable(np.float32(0.5))) is float
    assert to_jsonable(np.float64("nan")) is None
    assert to_jsonable(float("-inf")) is None
    assert to_jsonable(Fraction(1, 2)) == 0.5
    assert to_jsonable(np.str_("a")) == "a"


def test_enums_paths_dates_and_objects() -> None:
    assert to_jsonable(Colour.RED) == "red"
    assert to_jsonable(Level.HIGH) == 2
    assert type(to_jsonable(Method.NEWTON)) is str
    assert to_jsonable(Path("data") / "x.csv") == str(Path("data") / "x.csv")
    assert to_jsonable(dt.date(2008, 9, 15)) == "2008-09-15"
    assert to_jsonable(np.array(["2008-09-15", "NaT"], dtype="datetime64[D]")) == [
        "2008-09-15", None]
    assert to_jsonable(np.datetime64("2008-09-15")) == "2008-09-15"
    assert to_jsonable(WithToDict()) == {"rate": None}
    assert to_jsonable(Point(1.0, np.array([np.nan, 2.0]))) == {"x": 1.0, "y": [None, 2.0]}


def test_containers_and_keys() -> None:
    obj = {Colour.RED: (1, 2.5), 3: [np.float64("inf")], "a": {"b": np.arange(2)}}
    assert to_jsonable(obj) == {"red": [1, 2.5], "3": [None], "a": {"b": [0, 1]}}


def test_arrays_keep_their_shape() -> None:
    a = np.array([[1.0, np.nan], [np.inf, -np.inf]])
    assert to_jsonable(a) == [[1.0, None], [None, None]]
    assert to_jsonable(np.array(2.5)) == 2.5
    assert to_jsonable(np.array([True, False])) == [True, False]
    assert to_jsonable(np.array(["x", "y"])) == ["x", "y"]
    assert to_jsonable(np.array([Colour.RED, None], dtype=object)) == ["red", None]


@pytest.mark.parametrize("obj", [1j, np.complex128(1), np.array([1j]), object(), {1, 2}])
def test_unsupported_types_raise_type_error(obj: object) -> None:
    with pytest.raises(TypeError, match="cannot encode"):
        to_jsonable(obj)


def test_dumps_writes_null_for_an_unbounded_rate() -> None:
    text = dumps({"loan_rate": float("inf"), "delta": np.array([0.5, np.nan])}, indent=None)
    assert text == '{"loan_rate": null, "delta": [0.5, null]}'
    assert dumps([1], indent=2) == "[\n  1\n]"


floats = st.floats(allow_nan=True, allow_infinity=True)
arrays = hnp.arrays(
    st.sampled_from([np.float64, np.float32, np.int64, np.bool_]),
    hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)
words = st.text(alphabet="abc xyz", max_size=5)  # never spells NaN or Infinity
leaves = st.one_of(floats, st.integers(), st.booleans(), st.none(), words,
                   floats.map(np.float64), arrays)
nested = st.recursive(
    leaves,
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.tuples(children, children),
                               st.dictionaries(words, children, max_size=4)),
    max_leaves=20,
)


def _has_non_finite(obj: Any) -> bool:
    if isinstance(obj, dict):
        return any(_has_non_finite(v) for v in obj.values())
    if isinstance(obj, list | tuple):
        return any(_has_non_finite(v) for v in obj)
    if isinstance(obj, np.ndarray):
        return obj.dtype.kind == "f" and not bool(np.all(np.isfinite(obj)))
    if isinstance(obj, float | np.floating):
        return not math.isfinite(obj)
    return False


@settings(max_examples=300, deadline=None)
@given(obj=nested)
def test_dumps_is_strict_json_for_any_nesting(obj: Any) -> None:
    text = dumps(obj)
    assert _no_nan_or_infinity(text)
    json.loads(text)


@settings(max_examples=150, deadline=None)
@given(obj=nested, bad=st.sampled_from([np.nan, np.inf, -np.inf]), where=st.integers(0, 2))
def test_non_finite_values_become_null(obj: Any, bad: float, where: int) -> None:
    wrapped = [[obj, bad], {"v": np.array([obj, bad], dtype=object)}, (bad, np.float32(bad))]
    text = dumps(wrapped[where], indent=None)
    assert "null" in text
    assert _no_nan_or_infinity(text)


@settings(max_examples=150, deadline=None)
@given(obj=nested)
def test_finite_values_round_trip(obj: Any) -> None:
    assume(not _has_non_finite(obj))
    assert json.loads(dumps(obj)) == _plain(obj)


def _plain(obj: Any) -> Any:
    """What a finite nesting reads back as: tuples and arrays become lists."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.ndarray | np.generic):
        return obj.tolist()
    return obj


@settings(max_examples=150, deadline=None)
@given(a=hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5)))
def test_float_arrays_round_trip_with_null_for_non_finite(a: np.ndarray) -> None:
    back = np.array(json.loads(dumps(a)), dtype=object).reshape(a.shape)
    finite = np.isfinite(a)
    assert all(v is None for v in back[~finite].tolist())
    np.testing.assert_array_equal(back[finite].astype(np.float64), a[finite])
