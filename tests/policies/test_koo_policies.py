"""Koo's fiscal rules (``spending-path``, ``consolidation``): registry, validation, apply."""

from __future__ import annotations

import dataclasses
import math
from typing import cast

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy
from bsrlab.models.deleveraging.koo import KooExogenous, koo_exogenous
from bsrlab.models.deleveraging.model import DebtLimitPath, PathParams
from bsrlab.models.deleveraging.path import PathContext, baseline_exogenous
from bsrlab.policies import registry
from bsrlab.policies.koo import Consolidation, SpendingPath

T = 30
PARAMS = PathParams()
DEBT = DebtLimitPath(debt_high=0.8, debt_low=0.6, kind="geometric", years=6)
CTX = PathContext(params=PARAMS, debt=DEBT, periods=T, spell=(2, 5))


def _koo() -> KooExogenous:
    return koo_exogenous(PARAMS, DEBT, (), T, (2, 5))


def _changed(before: KooExogenous, after: KooExogenous) -> set[str]:
    out = set()
    for f in dataclasses.fields(KooExogenous):
        a, b = getattr(before, f.name), getattr(after, f.name)
        same = np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
        if not same:
            out.add(f.name)
    return out


def test_registered_in_their_own_family() -> None:
    assert registry.names("koo") == ("spending-path", "consolidation")
    assert registry.get("spending-path", "koo") is SpendingPath
    assert registry.get("consolidation", "koo") is Consolidation
    assert "consolidation" not in registry.names("deleveraging")
    for name in registry.names("koo"):
        assert registry.make(name, "koo") == registry.get(name)()
        assert isinstance(registry.get(name)(), Policy)
        assert all(h for _, _, h in registry.parameters(name).values())


def test_koo_inputs_start_without_taxes_and_keep_their_class() -> None:
    ex = _koo()
    assert isinstance(ex, KooExogenous) and np.array_equal(ex.taxes, np.zeros(T))
    assert not ex.taxes.flags.writeable
    with pytest.raises(ParameterError, match="'taxes'"):
        dataclasses.replace(ex, taxes=np.zeros(T + 1))


@settings(max_examples=30, deadline=None)
@given(path=st.lists(st.floats(-0.49, 0.49), min_size=1, max_size=12),
       start=st.integers(0, T))
def test_spending_path_adds_its_path_to_spending_and_nothing_else(path: list[float],
                                                                  start: int) -> None:
    assume(start + len(path) <= T - 1)
    base = _koo()
    after = SpendingPath(path=path, start=start).apply(base, CTX)
    assert isinstance(after, KooExogenous)  # the class is kept
    assert _changed(base, after) <= {"g"}
    expected = np.zeros(T)
    expected[start:start + len(path)] = path
    assert np.array_equal(after.g - base.g, expected)


def test_spending_path_past_the_horizon_is_refused() -> None:
    with pytest.raises(ParameterError, match=r"'start \+ duration'"):
        SpendingPath(path=[0.01] * 3, start=T - 3).apply(_koo(), CTX)


@pytest.mark.parametrize("duration", [None, 1, 4])
@pytest.mark.parametrize("kind", ["tax", "spending"])
def test_consolidation_raises_taxes_or_cuts_spending_in_its_window(kind: str,
                                                                   duration: int | None) -> None:
    base = _koo()
    after = cast(KooExogenous, Consolidation(size=0.03, kind=kind, start=4,
                                             duration=duration).apply(base, CTX))
    last = T - 2 if duration is None else 4 + duration - 1  # for good: to the horizon's eve
    window = np.zeros(T)
    window[4:last + 1] = 0.03
    if kind == "tax":
        assert _changed(base, after) == {"taxes"}
        assert np.array_equal(after.taxes - base.taxes, window)
    else:
        assert _changed(base, after) == {"g"}
        assert np.array_equal(base.g - after.g, window)


def test_a_tax_consolidation_needs_the_koo_inputs() -> None:
    plain = baseline_exogenous(PARAMS, DEBT, T, (2, 5))
    with pytest.raises(ParameterError, match="'kind'"):
        Consolidation(kind="tax").apply(plain, CTX)
    cut = Consolidation(kind="spending", start=1, duration=2).apply(plain, CTX)
    assert cut.g[1] == -0.02
    with pytest.raises(ParameterError, match="'start'"):
        Consolidation(start=T - 1).apply(_koo(), CTX)


@pytest.mark.parametrize(("cls", "field"), [
    (SpendingPath, "path"), (SpendingPath, "start"), (Consolidation, "size"),
    (Consolidation, "kind"), (Consolidation, "start"), (Consolidation, "duration")])
@pytest.mark.parametrize("bad", ["abc", math.nan, math.inf, [0.1, "x"], -1])
def test_bad_fields_are_parameter_errors_naming_the_field(cls: type, field: str,
                                                          bad: object) -> None:
    if field == "path" and bad == -1:
        bad = [0.6]
    with pytest.raises(ParameterError, match=f"parameter '{field}'") as info:
        cls(**{field: bad})
    assert "\n" not in str(info.value)


def test_values_are_converted_compared_and_hashed() -> None:
    assert SpendingPath(path=np.array([0.01, 0.02])) == SpendingPath(path=(0.01, 0.02))  # type: ignore[arg-type]
    assert hash(SpendingPath(path=[0.01])) == hash(SpendingPath(path=(0.01,)))
    assert Consolidation(size="0.03") == Consolidation(size=0.03)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'path'"):
        SpendingPath(path=[])
    with pytest.raises(dataclasses.FrozenInstanceError):
        Consolidation().size = 0.1  # type: ignore[misc]
