"""The validation toolkit: convert first, then check; every failure is a ParameterError."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from bsrlab.core.errors import BsrlabError, ParameterError
from bsrlab.core.validate import (
    array,
    as_float,
    choice,
    integer,
    range_rule,
    readonly,
    real,
    require,
)

BAD_REALS = ["abc", None, [], float("nan"), float("inf"), float("-inf"), "inf", "-inf", "nan",
             True, False, np.bool_(True), 1j, np.complex128(1.0), {}, [0.5], (0.5,),
             np.array([0.5]), "", b"x", object(), 10**400, np.float64("nan"), np.inf]

anything = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
    st.complex_numbers(), st.lists(st.floats(), max_size=3), st.fractions(),
    st.decimals(allow_nan=True, allow_infinity=True),
)


# --- real ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", BAD_REALS,
                         ids=[f"{i}-{type(v).__name__}" for i, v in enumerate(BAD_REALS)])
def test_real_rejects_non_numbers_and_non_finite(value: object) -> None:
    with pytest.raises(ParameterError) as info:
        real("beta", value)
    assert info.value.name == "beta"
    assert "parameter 'beta'" in str(info.value)
    assert "a finite real number" in str(info.value)


@pytest.mark.parametrize(("value", "expected"), [
    (0.5, 0.5), (1, 1.0), ("0.25", 0.25), (" 1e-3 ", 0.001), (np.float32(0.5), 0.5),
    (np.int64(3), 3.0), (np.array(2.0), 2.0), (Fraction(1, 4), 0.25), (Decimal("0.5"), 0.5),
])
def test_real_converts_numbers_and_numeric_strings(value: object, expected: float) -> None:
    x = real("gamma", value)
    assert type(x) is float
    assert x == expected


@pytest.mark.parametrize(("kw", "rule"), [
    ({"lo": 0, "hi": 1, "lo_open": True, "hi_open": True}, "0 < beta < 1"),
    ({"lo": 0, "hi": 1}, "0 <= beta <= 1"),
    ({"lo": 0.5, "lo_open": True}, "beta > 0.5"),
    ({"lo": 0}, "beta >= 0"),
    ({"hi": 1e-12, "hi_open": True}, "beta < 1e-12"),
    ({"hi": -2}, "beta <= -2"),
])
def test_real_rule_text_is_built_from_the_bounds(kw: dict[str, Any], rule: str) -> None:
    with pytest.raises(ParameterError) as info:
        real("beta", 7.25 if "hi" in kw else -7.25, **kw)
    assert info.value.admissible == f"{rule} (a finite real number)"
    msg = str(info.value)
    assert rule in msg
    assert msg.endswith("got 7.25" if "hi" in kw else "got -7.25")


def test_real_bounds_open_and_closed() -> None:
    assert real("beta", 0, lo=0) == 0.0
    assert real("beta", 1, hi=1) == 1.0
    with pytest.raises(ParameterError, match="beta > 0"):
        real("beta", 0, lo=0, lo_open=True)
    with pytest.raises(ParameterError, match="beta < 1"):
        real("beta", 1, hi=1, hi_open=True)


def test_real_custom_rule_and_non_finite_message() -> None:
    with pytest.raises(ParameterError) as info:
        real("alpha", 2.0, hi=1, hi_open=True, rule="R - 1 < alpha < 1")
    assert info.value.admissible == "R - 1 < alpha < 1 (a finite real number)"
    with pytest.raises(ParameterError) as info:
        real("alpha", "nan", lo=0)
    assert str(info.value) == (
        "parameter 'alpha' must satisfy alpha >= 0 (a finite real number); got nan")


def test_real_error_is_a_value_error_and_a_bsrlab_error() -> None:
    with pytest.raises(ValueError, match="tau"):
        real("tau", "abc")
    with pytest.raises(BsrlabError):
        real("tau", "abc")


def test_huge_values_give_a_short_one_line_message() -> None:
    for value in (10**5000, [10**5000], np.arange(5000.0), "x" * 1000):
        with pytest.raises(ParameterError) as info:
            real("x", value, lo=0, hi=1)
        msg = str(info.value)
        assert "\n" not in msg
        assert len(msg) < 200


@settings(max_examples=300, deadline=None)
@given(value=anything)
def test_real_returns_a_finite_float_or_raises_parameter_error(value: object) -> None:
    x = as_float(value)
    if x is not None and math.isfinite(x):
        y = real("v", value)
        assert type(y) is float
        assert y == x
    else:
        with pytest.raises(ParameterError, match=r"^parameter 'v' must satisfy a finite real"):
            real("v", value)


@settings(max_examples=200, deadline=None)
@given(x=st.floats(allow_nan=False, allow_infinity=False),
       lo=st.floats(-10, 10), hi=st.floats(-10, 10))
def test_real_accepts_exactly_the_closed_interval(x: float, lo: float, hi: float) -> None:
    assume(lo <= hi)
    if lo <= x <= hi:
        assert real("x", x, lo=lo, hi=hi) == x
    else:
        with pytest.raises(ParameterError, match="parameter 'x'"):
            real("x", x, lo=lo, hi=hi)


# --- integer ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [3.0, 2.5, "3", True, None, float("nan"), float("inf"),
                                   np.float64(3.0), np.bool_(True), [3]], ids=repr)
def test_integer_rejects_non_integers(value: object) -> None:
    with pytest.raises(ParameterError) as info:
        integer("horizon", value)
    assert info.value.name == "horizon"
    assert "an integer" in str(info.value)


def test_integer_accepts_ints_and_numpy_integers_within_bounds() -> None:
    assert integer("n", 3) == 3
    n = integer("n", np.int64(4), lo=1, hi=4)
    assert type(n) is int
    assert n == 4
    with pytest.raises(ParameterError, match=r"1 <= n <= 4 \(an integer\); got 5"):
        integer("n", 5, lo=1, hi=4)
    with pytest.raises(ParameterError, match=r"n >= 1 \(an integer\); got 0"):
        integer("n", np.uint8(0), lo=1)


# --- array --------------------------------------------------------------------------------------

def test_array_converts_scalars_and_sequences_read_only() -> None:
    a = array("tau", [[0.1, 0.2], [0.3, 0.4]])
    assert a.dtype == np.float64
    assert a.shape == (2, 2)
    assert not a.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        a[0, 0] = 1.0
    s = array("tau", 0.5)
    assert s.shape == ()
    assert float(s) == 0.5
    assert array("tau", ["0.5", "1"]).tolist() == [0.5, 1.0]
    assert array("tau", np.arange(3)).tolist() == [0.0, 1.0, 2.0]
    assert array("tau", []).shape == (0,)


def test_array_does_not_freeze_or_share_the_callers_array() -> None:
    mine = np.linspace(0, 1, 5)
    a = array("tau", mine)
    assert mine.flags.writeable
    assert not np.shares_memory(a, mine)
    mine[0] = 9.0
    assert a[0] == 0.0


@pytest.mark.parametrize(("value", "first", "index", "count"), [
    ([0.1, float("nan"), 0.3], "nan", 1, 1),
    ([0.1, 0.2, float("inf"), float("-inf")], "inf", 2, 2),
    ([[0.1, 0.2], ["abc", None]], "'abc'", 2, 2),
    ([None, 1.0], "None", 0, 1),
    ([True, False], "True", 0, 2),
    (np.array([1 + 1j, 2.0]), "(1+1j)", 0, 2),
])
def test_array_names_the_first_failing_flat_index(value: object, first: str, index: int,
                                                   count: int) -> None:
    with pytest.raises(ParameterError) as info:
        array("tau", value)
    msg = str(info.value)
    assert "parameter 'tau'" in msg
    assert f"got {first}" in msg
    assert f"first at flat index {index}" in msg
    assert f"{count} of " in msg


def test_array_bounds_report_count_and_first_index() -> None:
    with pytest.raises(ParameterError) as info:
        array("tau", [0.1, 1.2, 0.3, 1.5], lo=0, hi=1, hi_open=True)
    assert str(info.value) == ("parameter 'tau' must satisfy 0 <= tau < 1 (a finite real number);"
                               " got 1.2 (2 of 4 elements fail, first at flat index 1)")


@pytest.mark.parametrize("value", ["abc", None, float("nan"), [[1.0], [1.0, 2.0]], {}, True],
                         ids=repr)
def test_array_rejects_bad_scalars_and_ragged_input(value: object) -> None:
    with pytest.raises(ParameterError, match="parameter 'x'"):
        array("x", value)


@settings(max_examples=200, deadline=None)
@given(a=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                    elements=st.one_of(st.floats(allow_nan=False, allow_infinity=False),
                                       st.sampled_from([np.nan, np.inf, -np.inf]))))
def test_array_first_non_finite_index_property(a: np.ndarray) -> None:
    flat = a.ravel()
    bad = np.flatnonzero(~np.isfinite(flat))
    assume(bad.size > 0)
    with pytest.raises(ParameterError) as info:
        array("x", a)
    assert f"{bad.size} of {flat.size} elements fail, first at flat index {bad[0]}" in str(
        info.value)


@settings(max_examples=100, deadline=None)
@given(a=hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5),
                    elements=st.floats(allow_nan=False, allow_infinity=False)))
def test_array_round_trips_finite_arrays(a: np.ndarray) -> None:
    out = array("x", a)
    np.testing.assert_array_equal(out, a)
    assert not out.flags.writeable


# --- require ------------------------------------------------------------------------------------

def test_require_raises_for_the_first_failing_element() -> None:
    tau = np.array([0.1, 0.6, 0.7, 0.2])
    require("tau", tau, tau < 0.9, "tau < 1 - alpha")
    with pytest.raises(ParameterError) as info:
        require("tau", tau, tau < 0.5, "tau < 1 - alpha")
    assert info.value.admissible == "tau < 1 - alpha"
    assert info.value.value == 0.6
    assert "2 of 4 elements fail, first at flat index 1" in str(info.value)


def test_require_nan_fails_even_where_the_mask_holds() -> None:
    x = np.array([0.1, np.nan])
    with pytest.raises(ParameterError, match="first at flat index 1"):
        require("x", x, ~(x > 1), "x <= 1")


def test_require_scalar_and_broadcasting() -> None:
    require("x", 0.5, True, "x < 1")
    with pytest.raises(ParameterError) as info:
        require("x", 2.0, False, "x < 1")
    assert str(info.value) == "parameter 'x' must satisfy x < 1; got 2.0"
    with pytest.raises(ParameterError, match="first at flat index 1"):
        require("x", 3.0, np.array([True, False]), "x < y")
    with pytest.raises(ParameterError, match="mask has shape"):
        require("x", np.zeros(2), np.ones(3, dtype=bool), "x < y")


@settings(max_examples=200, deadline=None)
@given(data=st.data(), shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=6))
def test_require_first_failing_index_property(data: st.DataObject,
                                              shape: tuple[int, ...]) -> None:
    values = data.draw(hnp.arrays(np.float64, shape, elements=st.floats(-5, 5)))
    mask = data.draw(hnp.arrays(np.bool_, shape))
    assume(not mask.all())
    with pytest.raises(ParameterError) as info:
        require("v", values, mask, "a rule")
    first = int(np.flatnonzero(~mask.ravel())[0])
    assert f"first at flat index {first}" in str(info.value)
    assert info.value.value == values.ravel()[first]


# --- choice, readonly, helpers ------------------------------------------------------------------

def test_choice() -> None:
    assert choice("method", "newton", ("newton", "bisection")) == "newton"
    with pytest.raises(ParameterError) as info:
        choice("method", "Newton", ("newton", "bisection"))
    assert str(info.value) == ("parameter 'method' must satisfy one of 'newton', 'bisection';"
                               " got 'Newton'")
    with pytest.raises(ParameterError, match="got None"):
        choice("method", None, ["newton"])


def test_readonly_freezes_owned_arrays_in_place() -> None:
    a = np.arange(3.0)
    r = readonly(a)
    assert r is a
    assert not a.flags.writeable


def test_readonly_copies_views_of_writeable_memory() -> None:
    base = np.arange(6.0)
    for view in (base[::2], np.broadcast_to(base, (2, 6)), base.reshape(2, 3).T):
        r = readonly(view)
        assert not r.flags.writeable
        assert not np.shares_memory(r, base)
        np.testing.assert_array_equal(r, view)
    assert base.flags.writeable


def test_readonly_keeps_read_only_views_of_read_only_memory() -> None:
    base = np.arange(6.0)
    base.flags.writeable = False
    view = base[1:]
    assert readonly(view) is view
    assert not readonly([1, 2]).flags.writeable


def test_as_float_and_range_rule() -> None:
    assert as_float("2.5") == 2.5
    assert as_float(True) is None
    assert as_float(np.array([1.0])) is None
    x = as_float(float("nan"))
    assert x is not None and math.isnan(x)
    assert range_rule("x") == ""
    assert range_rule("x", 0, 1, lo_open=True, hi_open=True) == "0 < x < 1"
