"""The chain presets: sources for every number, and the facts each should show."""

from __future__ import annotations

import pytest

from bsrlab.models.vonpeter.constrained import EquilibriumKind
from bsrlab.scenarios.chain import (
    ChainResult,
    Scenario,
    get_preset,
    preset_names,
    preset_text,
    run_chain,
)
from bsrlab.scenarios.koo_presets import get_koo_preset

SOURCED = ("alpha", "R", "gamma", "tau", "selection", "koo")

_RUNS: dict[str, ChainResult] = {}


def chain(name: str) -> ChainResult:
    if name not in _RUNS:
        _RUNS[name] = run_chain(get_preset(name))
    return _RUNS[name]


def test_the_presets_are_shipped() -> None:
    assert preset_names() == ("japan-1990s-chain", "us-2008-chain")


@pytest.mark.parametrize("name", ["japan-1990s-chain", "us-2008-chain"])
def test_every_number_has_a_source(name: str) -> None:
    s = get_preset(name)
    assert s.name == name and s.title
    for key in SOURCED:
        assert len(s.source(key)) > 40, key
    assert s.facts and all(f.source for f in s.facts)
    assert Scenario.from_toml(preset_text(name)) == s
    assert Scenario.from_toml(s.to_toml()) == s


# ---- japan-1990s-chain --------------------------------------------------------------------------
# bsrlab scenario run japan-1990s-chain: tau = 0.432, the fundamental decline 42.8% (debt target
# 0.80), the self-fulfilling capital crunch at delta* = 67.7% (credit supply c = 0.564, loan
# losses 4.8% of output, 3.5% of the loans), the repair share 0.195 instead of 0.11; the policy
# rate at its floor 1991-1996 (6 years), the repair ending in 1997 (7 years), the output gap
# -15.5% in 1991.

JAPAN_FACTS = {"crunch_or_crisis", "repair_several_years", "spell_at_floor",
               "faster_than_without_crunch"}


def test_japan_facts_are_the_ones_tested() -> None:
    assert {f.key for f in get_preset("japan-1990s-chain").facts} == JAPAN_FACTS


def test_japan_crunch_or_crisis() -> None:
    res = chain("japan-1990s-chain")
    assert res.selected.kind in (EquilibriumKind.CAPITAL_CRUNCH, EquilibriumKind.BANKING_CRISIS)
    assert res.selected.delta == pytest.approx(0.6775, abs=1e-4)
    assert res.fundamental_delta == pytest.approx(0.4281, abs=1e-4)
    assert res.debt.debt_low == pytest.approx(0.8006, abs=1e-4)


def test_japan_repair_several_years() -> None:
    res = chain("japan-1990s-chain")
    assert res.path.repair_end is not None and res.path.repair_end + 1 >= 5
    assert res.path.repair_end + 1 == 7


def test_japan_spell_at_floor() -> None:
    res = chain("japan-1990s-chain")
    assert res.path.spell is not None
    a, b = res.path.spell
    assert a == 0 and b - a + 1 >= 5
    assert b - a + 1 == 6


def test_japan_faster_than_without_crunch() -> None:
    res = chain("japan-1990s-chain")
    fund = run_chain(res.scenario.replace(selection="fundamental"))
    assert fund.selected.kind is EquilibriumKind.FUNDAMENTAL
    assert res.handover_value("credit_supply") < 1.0
    assert res.koo_params.repair_share > get_koo_preset("japan-1990s").params.repair_share
    assert res.path.repair_end < fund.path.repair_end
    # without the crunch the chain is the Koo preset's own repair: 11 years, 10 at the floor
    assert fund.path.repair_end + 1 == 11 and fund.summary()["floor_spell_years"] == 10


# ---- us-2008-chain ------------------------------------------------------------------------------
# bsrlab scenario run us-2008-chain: tau = 0.2245 (the decline, with gamma = 0), the crunch at
# delta* = 27.1% (c = 0.939, six years of repair as in the preset), loan losses 5% of output,
# 1.5% of the loans; the policy rate at its floor 2010-2014, the output gap -7.5% in 2012.

US_FACTS = {"crunch_or_crisis", "spell_at_floor", "loan_losses_small_share"}


def test_us_facts_are_the_ones_tested() -> None:
    assert {f.key for f in get_preset("us-2008-chain").facts} == US_FACTS


def test_us_crunch() -> None:
    res = chain("us-2008-chain")
    assert res.selected.kind is EquilibriumKind.CAPITAL_CRUNCH
    assert res.handover_value("credit_supply") == pytest.approx(0.9394, abs=1e-4)


def test_us_spell_at_floor() -> None:
    res = chain("us-2008-chain")
    assert res.path.spell is not None
    a, b = res.path.spell
    assert b - a + 1 >= 4
    assert (a, b) == (1, 5)


def test_us_loan_losses_small_share() -> None:
    res = chain("us-2008-chain")
    assert 0 < res.handover_value("write_down_share") < 0.05
