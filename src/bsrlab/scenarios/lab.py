r"""The policy lab: every policy against the path without policy, on one preset.

For each policy the lab reports the cumulative output loss :math:`-\sum_t (y_t/y^* - 1)` (years
of potential output), the trough of the output gap, the lowest inflation, the periods at the
floor, the fiscal cost :math:`\sum_t (g_t + T_t)` and the multiplier: cumulative output gained
over the path without policy divided by the fiscal cost (None where there is no fiscal cost).

:func:`spending_multipliers` measures the multiplier of a small spending impulse at the floor
(during the baseline's spell at the floor) and away from it (the same impulse in the economy
without deleveraging, where the Taylor rule is free to respond).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from bsrlab.models.deleveraging.outputs import COMPARE_KEYS as _COMPARE_KEYS
from bsrlab.models.deleveraging.path import PathResult, solve_path
from bsrlab.policies import registry
from bsrlab.scenarios.presets import Preset, get_preset

__all__ = ["COMPARE_KEYS", "Comparison", "compare_policies", "spending_multipliers"]

#: The CLI's JSON keys, one object per policy (declared in
#: :mod:`bsrlab.models.deleveraging.outputs`).
COMPARE_KEYS = _COMPARE_KEYS


@dataclass(frozen=True, eq=False)
class Comparison:
    """The lab's table (``rows``, keys :data:`COMPARE_KEYS`) and the solved paths by label.

    ``descriptions`` maps each row label to the policy's one-line description from the
    registry, for captions and legends.
    """

    preset: Preset
    rows: tuple[dict[str, Any], ...]
    paths: dict[str, PathResult]
    descriptions: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"preset": self.preset.name, "rows": [dict(r) for r in self.rows]}

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(list(self.rows), columns=list(COMPARE_KEYS))

    @property
    def notes(self) -> tuple[str, ...]:
        out: list[str] = []
        for label, path in self.paths.items():
            out.extend(f"{label}: {n}" for n in path.notes)
        return tuple(out)


def _row(label: str, path: PathResult, base: PathResult) -> dict[str, Any]:
    cost = path.fiscal_cost
    gained = base.cumulative_output_loss - path.cumulative_output_loss
    return {
        "policy": label,
        "cumulative_output_loss": path.cumulative_output_loss,
        "trough_output_gap": float(path.output_gap.min()),
        "min_inflation": float(path.inflation.min()),
        "periods_at_bound": path.periods_at_bound,
        "fiscal_cost": cost,
        "multiplier": gained / cost if cost > 0 else None,
    }


def compare_policies(preset: str | Preset = "japan-1990s", *,
                     periods: int | None = None) -> Comparison:
    """Solve the preset without policy and under each of its lab policies; tabulate."""
    pre = get_preset(preset) if isinstance(preset, str) else preset
    T = pre.periods if periods is None else periods
    base = solve_path(pre.params, pre.debt, (), periods=T)
    rows, paths = [], {}
    for label, pol in pre.lab_policies().items():
        path = base if pol is None else solve_path(pre.params, pre.debt, (pol,), periods=T,
                                                   baseline=base)
        paths[label] = path
        rows.append(_row(label, path, base))
    descriptions = pre.lab_descriptions()
    return Comparison(preset=pre, rows=tuple(rows), paths=paths,
                      descriptions={label: descriptions[label] for label in paths})


def spending_multipliers(preset: str | Preset = "japan-1990s", *, size: float = 1e-3,
                         periods: int | None = None) -> dict[str, float]:
    """Cumulative spending multipliers at the floor and away from it for a small impulse.

    At the floor: spending ``size`` per period during the baseline's first spell at the floor.
    Away: the same impulse, same dates, in the economy whose debt limit does not fall.
    """
    pre = get_preset(preset) if isinstance(preset, str) else preset
    T = pre.periods if periods is None else periods
    base = solve_path(pre.params, pre.debt, (), periods=T)
    s0, s1 = base.spell if base.spell else (0, 0)
    pol = registry.get("fiscal", "deleveraging")(size=size, start=s0, duration=s1 - s0 + 1)
    at = solve_path(pre.params, pre.debt, (pol,), periods=T, baseline=base)
    flat = dataclasses.replace(pre.debt, debt_low=pre.debt.debt_high)
    b2 = solve_path(pre.params, flat, (), periods=T)
    away = solve_path(pre.params, flat, (pol,), periods=T, baseline=b2)
    return {
        "at_bound": (base.cumulative_output_loss - at.cumulative_output_loss) / at.fiscal_cost,
        "away": (b2.cumulative_output_loss - away.cumulative_output_loss) / away.fiscal_cost,
        "still_at_bound": bool(at.arrays["at_bound"][s0:s1 + 1].all()),
    }
