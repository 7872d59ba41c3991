"""Koo's model under policy: the three kinds of debt relief, a premature consolidation, the lab.

The presets are :mod:`bsrlab.scenarios.koo_presets` (read only); ``japan-1990s`` has no
discretionary policy of its own, ``japan-as-it-was`` has Japan's deficits as its baseline.
"""

from __future__ import annotations

import functools
import json
import math
import re

import numpy as np
import pytest

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy
from bsrlab.models.deleveraging.koo import KooParams, KooResult, solve_koo
from bsrlab.models.deleveraging.koo_check import check_equations
from bsrlab.policies.fiscal import DebtRelief, DebtWriteDown
from bsrlab.policies.koo import Consolidation, SpendingPath
from bsrlab.scenarios.koo_lab import (
    KOO_LAB_KEYS,
    LAB_LABELS,
    KooComparison,
    compare_koo,
    fiscal_cost,
)
from bsrlab.scenarios.koo_presets import get_koo_preset

JAPAN = "japan-1990s"


@functools.cache
def _solve(name: str, pols: tuple[Policy, ...] = (), omega: float | None = None) -> KooResult:
    pre = get_koo_preset(name)
    params: KooParams = pre.params if omega is None else pre.params.replace(omega=omega)
    return solve_koo(params, pre.debt, (*pre.policies("no policy"), *pols), periods=pre.periods)


def _equations(res: KooResult) -> None:
    for key, val in check_equations(res).items():
        assert np.max(np.abs(val)) < 1e-10, key


@functools.cache
def _lab(name: str = JAPAN) -> KooComparison:
    return compare_koo(name)


# --------------------------------------------------------------------------- three reliefs


CREDITORS = (DebtWriteDown(share=0.1, funded_by="creditors"),)
GOVERNMENT = (DebtWriteDown(share=0.1, funded_by="government"),)


def _transfer(omega: float | None = None) -> tuple[Policy, ...]:
    gov = _solve(JAPAN, GOVERNMENT, omega)
    return (DebtRelief(size=float(gov.capital_transfers.sum()), start=0, duration=1),)


def test_three_reliefs_of_the_same_size_give_three_paths() -> None:
    """A write-down of 10% of the old debt borne by creditors (a), the same write-down paid by
    the government (b) and a transfer to borrowers at t = 0 of what (b) costs (c), japan-1990s
    (omega > 0).

    (a) and (b) differ only through savers' safe assets, which enter their Euler equation
    through the wealth term omega a^(-eta): under (a) the written-off claims vanish from
    savers' balance sheets, under (b) the government pays creditors their value with bonds
    (capital transfer k_0), so government debt is higher by k_0 (less what the automatic
    stabilisers take in) and savers' safe assets are higher than under (a). With omega = 0
    the wealth term is gone and (a) and (b) give the same allocation. (b) and (c) cost the
    same, but the write-down lowers borrowers' legacy debt service in every later year (and
    the debt the cash-flow repair starts from) while the transfer is paid once at t = 0.
    """
    a, b, c = _solve(JAPAN, CREDITORS), _solve(JAPAN, GOVERNMENT), _solve(JAPAN, _transfer())
    for res in (a, b, c):
        _equations(res)
    k0 = float(b.capital_transfers[0])
    assert k0 > 0 and np.all(b.capital_transfers[1:] == 0) and np.all(a.capital_transfers == 0)
    assert fiscal_cost(c, _solve(JAPAN)) == pytest.approx(k0, rel=1e-14)
    for x, y in ((a, b), (b, c), (a, c)):
        assert np.max(np.abs(x.output_gap - y.output_gap)) > 1e-3
    # (a) against (b): the funding moves government debt by k_0 at t = 0 ...
    tau_y = get_koo_preset(JAPAN).params.tau_y
    assert b.government_debt[0] - a.government_debt[0] == pytest.approx(
        k0 - tau_y * (b.output[0] - a.output[0]), abs=1e-12)
    # ... savers' safe assets are lower when creditors bear the loss (by about k_0 / chi_s)
    chi_s = get_koo_preset(JAPAN).params.chi_s
    assert np.all(a.safe_assets[:10] < b.safe_assets[:10])
    assert (b.safe_assets[0] - a.safe_assets[0]) * chi_s == pytest.approx(k0, rel=0.1)
    # ... so savers save more and output is lower under (a) while the repair lasts
    assert np.all(a.output_gap[:8] < b.output_gap[:8])
    # without the wealth term the funding does not matter (savers are Ricardian)
    a0, b0 = _solve(JAPAN, CREDITORS, 0.0), _solve(JAPAN, GOVERNMENT, 0.0)
    assert np.max(np.abs(a0.output_gap - b0.output_gap)) < 1e-12
    assert np.max(np.abs(a0.government_debt - b0.government_debt)) > 0.1
    # (b) against (c): lower legacy service for years, against cash once
    assert np.all(b.legacy_service[1:20] < c.legacy_service[1:20])
    assert np.flatnonzero(c.transfers).tolist() == [0]


def test_a_write_down_that_ends_the_repair_lets_the_limit_go_slack() -> None:
    """Writing off 45% of the old debt (borne by creditors) takes total debt below its target
    at once (repair_end = 0): the limit no longer forces repayment, borrowers stop at debt
    below it where it binds without the write-down (t = 1) and their Euler equation holds with
    equality there (multiplier 0): they save part of the relief instead of borrowing up to the
    limit and spending it."""
    base = _solve(JAPAN)
    big = _solve(JAPAN, (DebtWriteDown(share=0.45, funded_by="creditors"),))
    _equations(big)
    assert base.repair_end == 11 and big.repair_end == 0
    assert base.at_limit[1] and not big.at_limit[1]
    slack = ~big.at_limit
    assert np.all(np.abs(big.borrower_multiplier[slack]) < 1e-10)
    unused = big.debt_limit - big.borrower_debt
    assert np.all(unused[slack] > 1e-6) and unused[1] > 1e-3
    # consumption falls from its jump at t = 0: the windfall is spread over time
    assert big.c_borrower[0] > big.c_borrower[1] > big.c_borrower[2]


# --------------------------------------------------------------------------- consolidation


def test_premature_consolidation_during_the_repair() -> None:
    """japan-as-it-was (Japan's deficits as baseline): a consolidation of 2% of output a year
    from t = 6 (1997) for 10 years, in the middle of the repair.

    What the calibrated model gives: both a tax rise on savers and a spending cut lower output
    in every year from t = 6 to t = 20 against the path without consolidation (the tax rise by
    0.9-1.4% of output: lower government debt leaves savers fewer safe assets, so they save
    more, below the path without it from t = 7 on; the spending cut by 0.5-5.1%). The
    spending cut lengthens the stay at the floor from 10 to 16 years. The tax rise does not:
    the floor spell stays at t = 0..9, because after
    the repair ends (t = 10) the output gap without consolidation is about +1%, and the tax
    rise lowers it by less than that. Neither moves the end of the repair (t = 10).
    """
    base = _solve("japan-as-it-was")
    tax = _solve("japan-as-it-was", (Consolidation(size=0.02, kind="tax", start=6,
                                                    duration=10),))
    cut = _solve("japan-as-it-was", (Consolidation(size=0.02, kind="spending", start=6,
                                                    duration=10),))
    _equations(tax)
    after = slice(6, 21)
    assert np.all(base.output_gap[:6] - tax.output_gap[:6] > 0)  # anticipated from t = 0
    assert np.min(tax.output_gap[after] - base.output_gap[after]) > -0.015
    assert np.max(tax.output_gap[after] - base.output_gap[after]) < -0.008
    assert np.max(cut.output_gap[after] - base.output_gap[after]) < -0.005
    assert base.spell == (0, 9) and base.periods_at_bound == 10
    assert cut.spell == (0, 15) and cut.periods_at_bound == 16
    assert tax.spell == (0, 9) and tax.periods_at_bound == 10
    assert base.repair_end == tax.repair_end == cut.repair_end == 10
    # savers' safe assets fall below the path without it from the third year of the tax rise
    assert np.all(tax.safe_assets[8:21] < base.safe_assets[8:21])
    assert np.mean(tax.safe_assets[6:16] - base.safe_assets[6:16]) < 0
    assert tax.government_debt[15] < base.government_debt[15]


def test_spending_path_equals_the_same_spending_as_a_window() -> None:
    """A spending path of a constant share is a fiscal stimulus of that size and window."""
    from bsrlab.policies.fiscal import FiscalStimulus

    a = _solve(JAPAN, (SpendingPath(path=[0.02] * 5, start=1),))
    b = _solve(JAPAN, (FiscalStimulus(size=0.02, start=1, duration=5),))
    assert np.array_equal(a.output_gap, b.output_gap)


# --------------------------------------------------------------------------- the lab


def test_lab_rows_have_the_fixed_keys_and_labels() -> None:
    lab = _lab()
    assert [r["policy"] for r in lab.rows] == list(LAB_LABELS)
    for r in lab.rows:
        assert tuple(r) == KOO_LAB_KEYS
    assert list(lab.to_frame().columns) == list(KOO_LAB_KEYS)
    d = lab.to_dict()
    assert d["preset"] == JAPAN and len(d["rows"]) == len(LAB_LABELS)
    json.dumps(d, allow_nan=False)
    assert set(lab.paths) == set(LAB_LABELS)
    with pytest.raises(ParameterError, match="'label'"):
        lab.row("helicopter")
    with pytest.raises(ParameterError, match="'preset'"):
        compare_koo("atlantis")
    with pytest.raises(ParameterError, match="'write_down'"):
        compare_koo(JAPAN, write_down=1.5)


def test_lab_identities() -> None:
    """Fiscal cost is the sum of the policy's spending, transfers and capital transfers less
    its discretionary taxes (from the path arrays, against the no-policy row); the multiplier
    is output gained over fiscal cost; output gained is the difference of cumulative losses."""
    lab = _lab()
    base = lab.paths["no policy"]
    for r in lab.rows:
        p = lab.paths[r["policy"]]
        cost = (np.sum(p.government_spending - base.government_spending)
                + np.sum(p.transfers - base.transfers)
                + np.sum(p.capital_transfers - base.capital_transfers)
                - np.sum(p.exogenous.taxes - base.exogenous.taxes))
        assert r["fiscal_cost"] == pytest.approx(cost, abs=1e-14)
        # the output lost below potential: an overshoot later does not offset the slump
        assert r["cumulative_output_loss"] == pytest.approx(
            -np.sum(np.minimum(p.output_gap, 0.0)), abs=1e-14)
        assert r["output_gained"] == pytest.approx(
            lab.row("no policy")["cumulative_output_loss"] - r["cumulative_output_loss"],
            abs=1e-14)
        if cost > 1e-12:  # output gained per unit of fiscal cost, where there is a cost
            assert r["multiplier"] == pytest.approx(r["output_gained"] / cost, rel=1e-14)
        else:
            assert r["multiplier"] is None
        assert r["years_at_floor"] == int(np.count_nonzero(p.at_bound))
        assert r["government_debt_end"] == p.government_debt[-1]
    assert lab.row("deficit spending")["fiscal_cost"] > 0
    assert lab.row("premature consolidation")["fiscal_cost"] < 0
    assert lab.row("write-down borne by creditors")["multiplier"] is None
    assert lab.row("transfer to borrowers")["fiscal_cost"] == pytest.approx(
        lab.row("write-down paid by the government")["fiscal_cost"], rel=1e-14)


def test_qe_and_the_rate_cuts_at_the_floor_change_nothing() -> None:
    lab = _lab()
    base = lab.paths["no policy"]
    qe = lab.paths["QE"]
    for key in qe.arrays:
        if key != "qe_holdings":
            assert np.array_equal(qe.arrays[key], base.arrays[key]), key
    assert qe.qe_holdings[-1] > 0
    assert base.at_bound[0]  # japan-1990s is at its floor from t = 0: nothing to cut before
    for label in ("QE", "rate cut at the floor", "rate cut at t = 0"):
        # QE exactly; a cut of a shadow rate below the floor to Newton's round-off
        assert np.max(np.abs(lab.paths[label].output_gap - base.output_gap)) < 1e-12
        assert "changes nothing" in lab.row(label)["sentence"]
    assert dict(lab.row("QE"), policy=None, sentence=None) == dict(
        lab.row("no policy"), policy=None, sentence=None)


def _numbers_in(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"[-+]?\d+\.\d+", text)]


def test_sentences_match_the_numbers() -> None:
    lab = _lab()
    base_row = lab.row("no policy")
    base = lab.paths["no policy"]
    for r in lab.rows:
        s, label = r["sentence"], r["policy"]
        assert s.endswith(".") and "\n" not in s
        same = bool(np.max(np.abs(lab.paths[label].output_gap - base.output_gap)) < 1e-9)
        if label != "no policy":
            assert ("changes nothing" in s) is same, label
        if same or label == "no policy":
            continue
        verb = "gains" if r["output_gained"] >= 0 else "loses"
        assert f"{verb} {abs(r['output_gained']):.2f} years of output over the horizon" in s
        assert f"{r['years_at_floor']} years at the floor against " \
               f"{base_row['years_at_floor']}" in s
        assert f"a trough of {r['trough_output_gap']:.1%}" in s
        if r["multiplier"] is not None:
            assert f"(multiplier {r['multiplier']:.2f})" in s
            assert f"fiscal cost of {r['fiscal_cost']:.3f}" in s
        else:
            assert "multiplier" not in s
        # "coincides" only where two paths do coincide
        assert "coincide" not in s or any(
            np.max(np.abs(lab.paths[label].output_gap - p.output_gap)) < 1e-9
            for other, p in lab.paths.items() if other not in (label, "no policy"))
    creditors = lab.row("write-down borne by creditors")["sentence"]
    gap = (lab.paths["write-down paid by the government"].safe_assets[0]
           - lab.paths["write-down borne by creditors"].safe_assets[0])
    assert gap > 0 and f"{gap:.3f} lower" in creditors
    transfer = lab.row("transfer to borrowers")["sentence"]
    assert "coincide" not in transfer  # the transfer and the write-down differ here
    s = base_row["sentence"]
    assert f"ends at t = {base_row['repair_end']}" in s
    assert f"{base_row['cumulative_output_loss']:.2f} years of output" in s
    assert all(math.isfinite(x) for x in _numbers_in(s))


def test_lab_numbers_for_japan_1990s() -> None:
    """The lab's headline numbers for japan-1990s, as the model gives them (t = 0 is 1991)."""
    lab = _lab()
    row = lab.row
    assert row("no policy")["years_at_floor"] == 11 and row("no policy")["repair_end"] == 11
    assert row("no policy")["trough_output_gap"] == pytest.approx(-0.136, abs=5e-4)
    assert row("deficit spending")["multiplier"] == pytest.approx(2.44, abs=0.01)
    assert row("write-down paid by the government")["output_gained"] > \
        row("write-down borne by creditors")["output_gained"]
    assert row("premature consolidation")["output_gained"] < 0
    assert row("premature consolidation")["years_at_floor"] == 14
    # a rate cut bites once the rate is off its floor: the sentence says by how much
    assert "Away from the floor the same cut does bite: at t = 11" in \
        row("rate cut at the floor")["sentence"]
    assert row("higher inflation target")["trough_output_gap"] > \
        row("no policy")["trough_output_gap"]
