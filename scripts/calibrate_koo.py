"""Coarse search for calibrations of Koo's model that reproduce the facts of section 5.5.

Run by hand: ``.venv/bin/python scripts/calibrate_koo.py [japan|us] [--samples N] [--seed S]``.
It draws N random points (default 150, about 0.1 s each) from a small grid around the
preset in :mod:`bsrlab.scenarios.koo_presets`, solves each on the scenario the facts describe
(with the preset's fiscal policies, the Japanese spending window ending with the repair), and
prints the best points by a loss that is zero when every fact holds. Keep N small: the machine
is shared. Parameters not varied keep the preset's values.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable
from typing import Any

import numpy as np

from bsrlab.core.errors import BsrlabError
from bsrlab.models.deleveraging.koo import KooResult, calibrate_omega, solve_koo
from bsrlab.models.deleveraging.model import DebtLimitPath
from bsrlab.policies.fiscal import FiscalStimulus
from bsrlab.scenarios.koo_presets import (
    JAPAN_RATE_PRE,
    US_RATE_PRE,
    KooPreset,
    get_koo_preset,
)

JAPAN_GRID: dict[str, list[Any]] = {
    "beta": [0.9, 0.93, 0.95], "rate_pre": [0.02, 0.03], "eta": [1.0, 2.0, 3.0],
    "sigma": [0.25, 0.5], "kappa": [0.01, 0.02, 0.05], "repair_share": [0.08, 0.11],
    "debt_low": [0.8, 1.0], "amortisation": [0.1, 0.2], "contract_rate": [None, 0.06],
    "pibar": [0.005, 0.01], "phi_y": [0.5, 1.0], "spending": [0.02, 0.03, 0.035, 0.04],
}
US_GRID: dict[str, list[Any]] = {
    "beta": [0.93, 0.96], "rate_pre": [0.01, 0.02], "sigma": [0.33, 0.5],
    "kappa": [0.01, 0.02], "eta": [1.0, 2.0], "amortisation": [0.05, 1.0],
    "phi_y": [0.5, 1.0], "decay": [0.7, 0.85], "years": [5, 6],
}


def longest_spell(flags: np.ndarray) -> int:
    best = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def japan_facts(res: KooResult) -> dict[str, float] | None:
    if res.repair_end is None:
        return None
    n = res.repair_end + 1
    gap, infl, surplus = res.output_gap[:n], res.inflation[:n], res.private_surplus[:n]
    return {"floor": longest_spell(res.at_bound), "gap_min": gap.min(),
            "gap_mean": gap.mean(), "infl_mean": infl.mean(), "surplus_min": surplus.min(),
            "surplus_mean": surplus.mean(), "repair_years": n}


def japan_loss(f: dict[str, float] | None) -> float:
    if f is None:
        return 99.0
    return (0.01 * max(0, 8 - f["floor"]) + max(0, -0.07 - f["gap_min"])
            + max(0, f["gap_mean"] + 0.005) + max(0, -0.04 - f["gap_mean"])
            + max(0, f["infl_mean"] - 0.01) + max(0, -0.015 - f["infl_mean"])
            + max(0, -f["surplus_min"]) + max(0, 0.03 - f["surplus_mean"])
            + 0.01 * max(0, 10 - f["repair_years"]))


def us_facts(res: KooResult) -> dict[str, float]:
    debt = np.concatenate([[res.debt.debt_high], res.borrower_debt])
    return {"floor": longest_spell(res.at_bound), "trough": res.output_gap.min(),
            "debt_falls": int(np.count_nonzero(np.diff(debt) < -1e-9))}


def us_loss(f: dict[str, float] | None) -> float:
    if f is None:
        return 99.0
    return (0.01 * max(0, 6 - f["floor"]) + 0.01 * max(0, f["floor"] - 8)
            + max(0, f["trough"] + 0.04) + max(0, -0.08 - f["trough"])
            + 0.01 * max(0, abs(f["debt_falls"] - 5) - 1))


def solve_point(pre: KooPreset, point: dict[str, Any]) -> KooResult:
    point = dict(point)
    rate = point.pop("rate_pre")
    spending = point.pop("spending", None)
    debt_changes = {k: point.pop(k) for k in ("debt_low", "years", "decay") if k in point}
    debt = DebtLimitPath(**{**pre.debt.to_dict(), **debt_changes})
    params = pre.params.replace(omega=0.0, **point)
    params = params.replace(omega=calibrate_omega(params, debt, rate))
    policies = pre.facts_policies()
    if spending is not None:  # Japan: spending from 1992 to the end of the repair
        rho_agg = params.repair_share * params.chi_b
        end = max(2, round((debt.debt_high - debt.debt_low) / rho_agg) - 1)
        policies = (FiscalStimulus(size=spending, start=1, duration=end),)
    return solve_koo(params, debt, policies, periods=pre.periods)


def search(pre: KooPreset, grid: dict[str, list[Any]], facts: Callable[[KooResult], Any],
           loss: Callable[[Any], float], samples: int, seed: int) -> None:
    rng = random.Random(seed)
    rows = []
    for _ in range(samples):
        point = {key: rng.choice(values) for key, values in grid.items()}
        try:
            f = facts(solve_point(pre, point))
        except BsrlabError:
            f = None
        rows.append((loss(f), point, f))
    rows.sort(key=lambda row: row[0])
    for value, point, f in rows[:10]:
        shown = {k: round(float(v), 4) for k, v in f.items()} if f else None
        print(f"{value:.4f}  {point}  {shown}")
    print(f"{sum(1 for row in rows if row[2] is None)} of {samples} had no admissible path")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", choices=["japan", "us"])
    parser.add_argument("--samples", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.which == "japan":
        grid = {**JAPAN_GRID, "rate_pre": JAPAN_GRID["rate_pre"] + [JAPAN_RATE_PRE]}
        search(get_koo_preset("japan-1990s"), grid, japan_facts, japan_loss, args.samples,
               args.seed)
    else:
        grid = {**US_GRID, "rate_pre": US_GRID["rate_pre"] + [US_RATE_PRE]}
        search(get_koo_preset("us-2008"), grid, us_facts, us_loss, args.samples, args.seed)


if __name__ == "__main__":
    main()
