"""Each policy's ``apply`` changes exactly the inputs it should: identities (one solved path
checks the accounts of a write-down funded partly by each funder)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy, policy_note
from bsrlab.models.deleveraging.model import DebtLimitPath, PathParams
from bsrlab.models.deleveraging.path import (
    Exogenous,
    PathContext,
    baseline_exogenous,
    build_exogenous,
    solve_path,
)
from bsrlab.policies.fiscal import DebtRelief, DebtWriteDown, FiscalStimulus
from bsrlab.policies.monetary import (
    QE_NOTE,
    ForwardGuidance,
    HigherTarget,
    QuantitativeEasing,
    RateCut,
)

T = 30
PARAMS = PathParams()
DEBT = DebtLimitPath(debt_high=0.8, debt_low=0.6, kind="geometric", years=6)
FIELDS = [f.name for f in dataclasses.fields(Exogenous)]
#: The windowed policies and the one input each of them moves.
WINDOWED: dict[type, str] = {RateCut: "cut", QuantitativeEasing: "qe", FiscalStimulus: "g",
                             DebtRelief: "transfers"}
ALL = (RateCut, ForwardGuidance, HigherTarget, QuantitativeEasing, FiscalStimulus, DebtRelief,
       DebtWriteDown)


def _ctx(spell: tuple[int, int] | None = (2, 5)) -> PathContext:
    return PathContext(params=PARAMS, debt=DEBT, periods=T, spell=spell)


def _base(spell: tuple[int, int] | None = (2, 5)) -> Exogenous:
    return baseline_exogenous(PARAMS, DEBT, T, spell)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b))
    return bool(a == b)


def _changed(before: Exogenous, after: Exogenous) -> set[str]:
    return {f for f in FIELDS if not _same(getattr(before, f), getattr(after, f))}


@settings(max_examples=40, deadline=None)
@given(cls=st.sampled_from(list(WINDOWED)), size=st.floats(1e-4, 0.49),
       start=st.integers(0, T), duration=st.integers(1, T))
def test_windowed_policy_adds_size_on_its_window_and_nothing_else(
        cls: type, size: float, start: int, duration: int) -> None:
    assume(start + duration <= T - 1)
    base = _base()
    after = cls(size=size, start=start, duration=duration).apply(base, _ctx())
    field = WINDOWED[cls]
    assert _changed(base, after) == {field}
    expected = np.zeros(T)
    expected[start:start + duration] = size
    assert np.array_equal(getattr(after, field) - getattr(base, field), expected)


@pytest.mark.parametrize("cls", list(WINDOWED))
def test_windows_default_to_the_baseline_spell_or_the_deleveraging_years(cls: type) -> None:
    field = WINDOWED[cls]
    pol = cls()
    assert pol.needs_spell
    on_spell = getattr(pol.apply(_base(), _ctx((3, 7))), field)
    assert np.flatnonzero(on_spell).tolist() == [3, 4, 5, 6, 7]
    no_spell = getattr(pol.apply(_base(None), _ctx(None)), field)
    assert np.flatnonzero(no_spell).tolist() == list(range(DEBT.length))
    partial = getattr(cls(start=10).apply(_base(), _ctx((3, 7))), field)
    assert np.flatnonzero(partial).tolist() == [10, 11, 12, 13, 14]
    assert cls(start=1).needs_spell and cls(duration=1).needs_spell
    assert not cls(start=1, duration=2).needs_spell


@pytest.mark.parametrize("cls", list(WINDOWED))
def test_a_window_past_the_horizon_is_refused(cls: type) -> None:
    with pytest.raises(ParameterError, match=r"'start \+ duration'.*29"):
        cls(start=T - 3, duration=3).apply(_base(), _ctx())
    # ending exactly at periods - 1 is allowed
    cls(start=T - 4, duration=3).apply(_base(), _ctx())


@pytest.mark.parametrize("spell", [(2, 5), None])
@pytest.mark.parametrize("extra", [1, 3])
def test_forward_guidance_holds_the_rate_through_the_exit_plus_extra(
        spell: tuple[int, int] | None, extra: int) -> None:
    base = _base(spell)
    after = ForwardGuidance(extra_periods=extra).apply(base, _ctx(spell))
    assert _changed(base, after) == {"hold"}
    last = (spell[1] if spell else -1) + extra
    assert after.hold.tolist() == [t <= last for t in range(T)]
    with pytest.raises(ParameterError, match="'extra_periods'"):
        ForwardGuidance(extra_periods=T).apply(base, _ctx(spell))


def test_higher_target_sets_the_new_target_only() -> None:
    base = _base()
    after = HigherTarget(target=0.04).apply(base, _ctx())
    assert _changed(base, after) == {"pibar_new"}
    assert after.pibar_new == 0.04 and after.pibar_old == PARAMS.pibar
    # the steady nominal rate (1 + rbar)(1 + target) - 1 must stay above the floor
    floor_target = (1 + PARAMS.i_floor) / (1 + PARAMS.rbar) - 1
    with pytest.raises(ParameterError, match="'target'"):
        HigherTarget(target=floor_target - 1e-6).apply(base, _ctx())


@settings(max_examples=30, deadline=None)
@given(share=st.floats(1e-3, 1.0), second=st.floats(1e-3, 1.0),
       funded=st.sampled_from(["government", "creditors"]))
def test_write_down_lowers_old_debt_and_records_it(share: float, second: float,
                                                   funded: str) -> None:
    base = _base()
    assert base.written_off == base.written_off_government == 0.0
    after = DebtWriteDown(share=share, funded_by=funded).apply(base, _ctx())
    expect = {"debt_old", "written_off"} | ({"written_off_government"} if funded == "government"
                                            else set())
    assert _changed(base, after) == expect
    w = base.debt_old * share
    assert after.debt_old == pytest.approx(base.debt_old * (1 - share), rel=1e-15, abs=1e-15)
    # what is written off plus what remains is the old debt
    assert after.written_off + after.debt_old == pytest.approx(base.debt_old, rel=1e-15)
    assert after.written_off == pytest.approx(w, rel=1e-15)
    # the funder's part is all of it, the other's nothing
    gov = w if funded == "government" else 0.0
    assert after.written_off_government == pytest.approx(gov, rel=1e-15, abs=0.0)
    assert after.written_off_creditors == pytest.approx(w - gov, rel=1e-15, abs=1e-15)
    # a second write-down borne by creditors adds to the total and to the creditors' part only
    twice = DebtWriteDown(share=second, funded_by="creditors").apply(after, _ctx())
    w2 = after.debt_old * second
    assert twice.debt_old == pytest.approx(base.debt_old * (1 - share) * (1 - second),
                                           rel=1e-14, abs=1e-15)
    assert twice.written_off + twice.debt_old == pytest.approx(base.debt_old, rel=1e-14)
    assert twice.written_off_government == after.written_off_government
    assert twice.written_off_creditors == pytest.approx(w - gov + w2, rel=1e-14, abs=1e-15)


def test_inputs_refuse_a_government_part_beyond_the_write_down() -> None:
    base = _base()
    with pytest.raises(ParameterError, match="'written_off_government'"):
        dataclasses.replace(base, written_off=0.1, written_off_government=0.2)
    with pytest.raises(ParameterError, match="'written_off'"):
        dataclasses.replace(base, written_off=-0.1)
    with pytest.raises(ParameterError, match="'written_off_government'"):
        dataclasses.replace(base, written_off=0.1, written_off_government=-1e-3)


def _mixed_write_down() -> tuple[DebtWriteDown, DebtWriteDown]:
    """30% of the old debt borne by creditors, then 20% of it paid by the government (the
    second share is of the debt left, 0.2/0.7)."""
    return (DebtWriteDown(share=0.3, funded_by="creditors"),
            DebtWriteDown(share=0.2 / 0.7, funded_by="government"))


def test_mixed_write_down_records_each_funders_part() -> None:
    base = _base()
    ex = base
    for pol in _mixed_write_down():
        ex = pol.apply(ex, _ctx())
    d = base.debt_old
    assert ex.debt_old == pytest.approx(0.5 * d, rel=1e-14)
    assert ex.written_off == pytest.approx(0.5 * d, rel=1e-14)
    assert ex.written_off_government == pytest.approx(0.2 * d, rel=1e-14)
    assert ex.written_off_creditors == pytest.approx(0.3 * d, rel=1e-14)
    # the order of the two does not matter
    rev = base
    for pol in (DebtWriteDown(share=0.2, funded_by="government"),
                DebtWriteDown(share=0.3 / 0.8, funded_by="creditors")):
        rev = pol.apply(rev, _ctx())
    assert rev.written_off_government == pytest.approx(0.2 * d, rel=1e-14)
    assert rev.written_off_creditors == pytest.approx(0.3 * d, rel=1e-14)


def test_mixed_write_down_costs_the_government_its_part_and_the_savers_theirs() -> None:
    """A write-down of half the old debt, 30 points borne by creditors and 20 paid by the
    government, checked on the solved path against accounts kept by hand: what borrowers
    repay of the old debt at t = 0 (from their budget: output plus new borrowing less
    consumption) and what the government pays (its debt at t = 0, from zero) must sum to the
    old debt less the creditors' 30%, and the government's payment is the 20% alone."""
    pols = _mixed_write_down()
    mixed = solve_path(PARAMS, DEBT, pols, periods=T)
    creditors = solve_path(PARAMS, DEBT, (DebtWriteDown(share=0.5, funded_by="creditors"),),
                           periods=T)
    a = mixed.arrays
    chi_b, d_old = PARAMS.chi_b, DEBT.debt_high / PARAMS.chi_b
    # the Fisher surprise on the old nominal debt at t = 0, from the solved inflation
    phi0 = (1 + PARAMS.pibar) / (1 + float(a["inflation"][0]))
    new_debt = float(a["borrower_debt"][0]) / chi_b           # face value due at t = 1
    repaid = chi_b * (float(a["output"][0]) + new_debt / (1 + float(a["real_rate"][0]))
                      - float(a["c_borrower"][0]))
    paid_by_government = float(a["government_debt"][0])       # nothing else is spent at t = 0
    owed = chi_b * d_old * phi0                              # the old debt, real, at t = 0
    assert paid_by_government == pytest.approx(0.2 * owed, rel=1e-10)
    assert float(a["capital_transfers"][0]) == pytest.approx(0.2 * owed, rel=1e-10)
    assert np.all(a["capital_transfers"][1:] == 0.0)
    assert repaid == pytest.approx(0.5 * owed, rel=1e-9)
    # savers receive the borrowers' repayment and the government's payment: they lose 30%
    assert owed - (repaid + paid_by_government) == pytest.approx(0.3 * owed, rel=1e-9)
    # savers are Ricardian here: who pays does not move the allocation, only the accounts
    for key in ("output", "inflation", "c_borrower", "c_saver"):
        np.testing.assert_allclose(a[key], creditors.arrays[key], rtol=0, atol=1e-12)
    assert np.all(creditors.arrays["capital_transfers"] == 0.0)


@pytest.mark.parametrize("cls", ALL)
def test_apply_leaves_its_inputs_untouched_and_read_only(cls: type) -> None:
    base = _base()
    copies = {f: np.array(getattr(base, f), copy=True) for f in FIELDS
              if isinstance(getattr(base, f), np.ndarray)}
    pol = cls()
    after = pol.apply(base, _ctx())
    for f, arr in copies.items():
        assert np.array_equal(getattr(base, f), arr)
        assert not getattr(base, f).flags.writeable
        assert not getattr(after, f).flags.writeable
    assert isinstance(pol, Policy)


def test_build_exogenous_is_the_fold_of_apply_over_the_policies() -> None:
    pols = (FiscalStimulus(size=0.01, start=1, duration=4), FiscalStimulus(size=0.02),
            DebtRelief(size=0.03, start=0, duration=2), DebtWriteDown(share=0.5),
            HigherTarget(target=0.02), ForwardGuidance(extra_periods=2))
    ex = build_exogenous(PARAMS, DEBT, pols, T, (2, 5))
    manual = _base()
    for pol in pols:
        manual = pol.apply(manual, _ctx())
    assert _changed(ex, manual) == set()
    g = np.zeros(T)
    g[1:5] += 0.01
    g[2:6] += 0.02
    assert np.array_equal(ex.g, g)


def test_only_qe_has_a_note() -> None:
    assert policy_note(QuantitativeEasing()) == QE_NOTE
    for cls in ALL:
        if cls is not QuantitativeEasing:
            assert policy_note(cls()) is None


def test_needs_spell_is_a_property_of_the_policy() -> None:
    assert ForwardGuidance().needs_spell
    assert not HigherTarget().needs_spell
    assert not DebtWriteDown().needs_spell


# ---- parameter contract of the policies -------------------------------------------------

def _fields(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls) if f.init]


CASES = [(cls, f) for cls in ALL for f in _fields(cls)]


@pytest.mark.parametrize(("cls", "field"), CASES, ids=[f"{c.name}.{f}" for c, f in CASES])
@pytest.mark.parametrize("bad", ["abc", math.nan, math.inf, -math.inf, [0.1]])
def test_every_field_rejects_non_numbers_naming_the_field(cls: type, field: str,
                                                          bad: object) -> None:
    with pytest.raises(ParameterError, match=f"parameter '{field}'") as info:
        cls(**{field: bad})
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("cls", ALL)
def test_policies_compare_and_hash_by_value(cls: type) -> None:
    a, b = cls(), cls()
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    assert not hasattr(a, "__dict__")  # slots
    f = _fields(cls)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(a, f, getattr(a, f))


def test_numbers_are_converted_first() -> None:
    # the annotations say float and int; values that convert exactly are accepted
    assert RateCut(size="0.02") == RateCut(size=0.02)  # type: ignore[arg-type]
    assert FiscalStimulus(size=np.float32(0.25)).size == 0.25  # type: ignore[arg-type]
    assert FiscalStimulus(start=np.int64(3)).start == 3  # type: ignore[arg-type]
    assert FiscalStimulus(size=0.01) != FiscalStimulus(size=0.02)
    with pytest.raises(ParameterError, match="'start'"):
        FiscalStimulus(start=2.0)  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="'duration'"):
        DebtRelief(duration=0)
    with pytest.raises(ParameterError, match="'funded_by'"):
        DebtWriteDown(funded_by="taxpayers")
