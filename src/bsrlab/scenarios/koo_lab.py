r"""The Koo policy lab: every policy against the preset's own path, in Koo's model.

:func:`compare_koo` solves a preset of :mod:`bsrlab.scenarios.koo_presets` (its ``baseline``
policies in force in every row: "no policy" means no *further* policy) and, one at a time, the
policies of :data:`LAB_LABELS`: monetary policy (a rate cut during the spell at the floor, a rate
cut at t = 0, QE, forward guidance, a higher inflation target), deficit spending, the three kinds
of debt relief of the same fiscal size, and a premature consolidation.

Per row (keys :data:`KOO_LAB_KEYS`), over the horizon t = 0..T-1:

* ``cumulative_output_loss`` :math:`\sum_t \max(1 - y_t, 0)`, the output lost below potential
  (years of potential output; output above potential after a repair is not counted as a gain:
  it is an overshoot, not a recovery of what was lost), ``output_gained`` the no-policy row's
  loss minus this row's, ``output_loss_repair`` the loss over the no-policy repair,
  t = 0..repair_end;
* ``trough_output_gap``, ``years_at_floor`` (periods with the rate at its floor), ``floor_spell``
  (first and last period of the first spell there), ``repair_end`` (first period with debt at
  its target), ``min_inflation``;
* ``fiscal_cost``: :math:`\sum_t (\Delta g_t + \Delta tr_t + \Delta k_t - \Delta\tau_t)`, the
  policy's spending, transfers to borrowers and capital transfers (a government-paid
  write-down) less its discretionary taxes, each the difference to the no-policy row (negative
  for a consolidation); the automatic stabilisers and interest are not part of it;
* ``government_debt_end`` (:math:`B_{T-1}`) and ``government_debt_repair_end`` (at the
  no-policy ``repair_end``);
* ``multiplier``: ``output_gained / fiscal_cost`` where the policy costs the government
  something (fiscal cost > 0), None otherwise (a consolidation's sentence gives the output lost
  per unit of deficit it saves);
* ``sentence``: what the row shows and why, written from these numbers and the paths.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

import numpy as np

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.policy import Policy
from bsrlab.core.validate import choice, integer, real
from bsrlab.models.deleveraging.koo import KooResult, solve_koo
from bsrlab.models.deleveraging.outputs import KOO_LAB_KEYS
from bsrlab.policies.fiscal import DebtRelief, DebtWriteDown, FiscalStimulus
from bsrlab.policies.koo import CONSOLIDATION_KINDS, Consolidation
from bsrlab.policies.monetary import ForwardGuidance, HigherTarget, QuantitativeEasing, RateCut
from bsrlab.scenarios.koo_presets import KooPreset, Scenario, get_koo_preset

__all__ = ["KOO_LAB_KEYS", "LAB_LABELS", "KooComparison", "compare_koo", "output_shortfall"]


NO_POLICY = "no policy"
CUT_AT_FLOOR = "rate cut at the floor"
CUT_AT_START = "rate cut at t = 0"
QE = "QE"
GUIDANCE = "forward guidance"
TARGET = "higher inflation target"
SPENDING = "deficit spending"
CREDITORS = "write-down borne by creditors"
GOVERNMENT = "write-down paid by the government"
TRANSFER = "transfer to borrowers"
CONSOLIDATION = "premature consolidation"

#: The rows of the lab, in order.
LAB_LABELS: tuple[str, ...] = (NO_POLICY, CUT_AT_FLOOR, CUT_AT_START, QE, GUIDANCE, TARGET,
                               SPENDING, CREDITORS, GOVERNMENT, TRANSFER, CONSOLIDATION)

#: Paths whose output gaps differ by less than this in every period count as the same path.
SAME = 1e-9


@dataclass(frozen=True, eq=False)
class KooComparison:
    """The lab's table (``rows``, keys :data:`KOO_LAB_KEYS`, in the order of
    :data:`LAB_LABELS`), the solved paths and the policy behind each row, by label."""

    preset: KooPreset
    rows: tuple[Mapping[str, Any], ...]
    paths: Mapping[str, KooResult]
    policies: Mapping[str, Policy | None] = field(default_factory=dict)
    scenario: Scenario = "no policy"

    def __post_init__(self) -> None:
        object.__setattr__(self, "rows", tuple(MappingProxyType(dict(r)) for r in self.rows))
        object.__setattr__(self, "paths", MappingProxyType(dict(self.paths)))
        object.__setattr__(self, "policies", MappingProxyType(dict(self.policies)))

    def row(self, label: str) -> Mapping[str, Any]:
        """The row of ``label``; an unknown label raises ParameterError listing them."""
        for r in self.rows:
            if r["policy"] == label:
                return r
        raise ParameterError("label", "one of " + ", ".join(LAB_LABELS), label)

    def to_dict(self) -> dict[str, Any]:
        """The preset's name and first year, each row, and each row's policy with its fields."""
        pols: dict[str, Any] = {}
        for label, pol in self.policies.items():
            pols[label] = None if pol is None else {
                "policy": pol.name, **dataclasses.asdict(cast(Any, pol))}
        rows = []
        for r in self.rows:
            d = dict(r)
            d["floor_spell"] = None if r["floor_spell"] is None else list(r["floor_spell"])
            rows.append(d)
        return {"preset": self.preset.name, "first_year": self.preset.first_year,
                "scenario": self.scenario,
                "baseline": [p.name for p in self.preset.policies(self.scenario)],
                "rows": rows, "policies": pols}

    def to_frame(self) -> Any:
        """A DataFrame with one row per policy and the columns :data:`KOO_LAB_KEYS`."""
        import pandas as pd

        return pd.DataFrame([dict(r) for r in self.rows], columns=list(KOO_LAB_KEYS))


# --------------------------------------------------------------------------- measures


def fiscal_cost(path: KooResult, base: KooResult) -> float:
    """The policy's spending, transfers and capital transfers less its discretionary taxes,
    summed over the horizon, as differences to ``base`` (the row without the policy)."""
    a, b = path.arrays, base.arrays
    return float(np.sum(a["government_spending"] - b["government_spending"])
                 + np.sum(a["transfers"] - b["transfers"])
                 + np.sum(a["capital_transfers"] - b["capital_transfers"])
                 - np.sum(path.exogenous.taxes - base.exogenous.taxes))


def _same(a: KooResult, b: KooResult) -> bool:
    return bool(np.max(np.abs(a.output_gap - b.output_gap)) < SAME)


def output_shortfall(gap: Any) -> float:
    r"""The output lost below potential, :math:`\sum_t \max(-gap_t, 0)` (years of output)."""
    return float(np.sum(np.clip(-np.asarray(gap, dtype=float), 0.0, None)))


def _numbers(path: KooResult, base: KooResult) -> dict[str, Any]:
    loss = output_shortfall(path.output_gap)
    gained = output_shortfall(base.output_gap) - loss
    cost = fiscal_cost(path, base)
    rep = base.repair_end if base.repair_end is not None else path.periods - 1
    return {
        "cumulative_output_loss": loss,
        "output_gained": gained,
        "output_loss_repair": output_shortfall(path.output_gap[:rep + 1]),
        "trough_output_gap": float(np.min(path.output_gap)),
        "years_at_floor": path.periods_at_bound,
        "floor_spell": path.spell,
        "repair_end": path.repair_end,
        "min_inflation": float(np.min(path.inflation)),
        "fiscal_cost": cost,
        "government_debt_end": float(path.government_debt[-1]),
        "government_debt_repair_end": float(path.government_debt[rep]),
        "multiplier": gained / cost if cost > 1e-12 else None,
    }


# --------------------------------------------------------------------------- sentences


def _gain(x: float) -> str:
    return f"{'gains' if x >= 0 else 'loses'} {abs(x):.2f}"


def _change(row: Mapping[str, Any], base: Mapping[str, Any]) -> str:
    """The row's effect in numbers: output gained (horizon, repair), floor years, trough."""
    if row["multiplier"] is not None:
        mult = (f" at a fiscal cost of {row['fiscal_cost']:.3f} (multiplier "
                f"{row['multiplier']:.2f})")
    elif row["fiscal_cost"] < -1e-12:
        mult = (f" while saving the government {-row['fiscal_cost']:.3f} (output lost per unit "
                f"saved: {-row['output_gained'] / -row['fiscal_cost']:.2f})")
    else:
        mult = ""
    repair = base["output_loss_repair"] - row["output_loss_repair"]
    return (f"{_gain(row['output_gained'])} years of output over the horizon{mult} and "
            f"{_gain(repair)} over the years of the repair without policy, with "
            f"{row['years_at_floor']} years at the floor against {base['years_at_floor']}"
            f", a trough of {row['trough_output_gap']:.1%} against "
            f"{base['trough_output_gap']:.1%} and government debt at the end of "
            f"{row['government_debt_end']:.2f} against {base['government_debt_end']:.2f}")


def _name(label: str) -> str:
    return label if label == QE else f"the {label}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(label: str, row: Mapping[str, Any], rows: Mapping[str, Mapping[str, Any]],
              paths: Mapping[str, KooResult], pols: Mapping[str, Policy | None],
              pre: KooPreset) -> str:
    base, bp, path = rows[NO_POLICY], paths[NO_POLICY], paths[label]
    pol = pols[label]
    if label == NO_POLICY:
        rep = row["repair_end"]
        end = ("does not end within the horizon" if rep is None
               else f"ends at t = {rep} ({pre.first_year + rep})")
        boom = float(np.sum(np.clip(bp.output_gap, 0.0, None)))
        return (f"Without further policy the repair {end}, the rate is at its floor "
                f"{row['years_at_floor']} years and the output gap reaches "
                f"{row['trough_output_gap']:.1%}; the output lost below potential over the "
                f"horizon is {row['cumulative_output_loss']:.2f} years of output (the "
                f"{boom:.2f} years of output above potential after the slump are an "
                f"overshoot, not counted against it).")
    if _same(path, bp):
        if label == QE:
            why = ("it swaps reserves for bonds at unchanged expected policy rates, and no "
                   "equation of the model reads it")
        elif label in (CUT_AT_FLOOR, CUT_AT_START):
            w = cast(RateCut, pol).window(_Ctx(bp))
            why = (f"the rate is at its floor in every period of the cut (t = {w.start}.."
                   f"{w.stop - 1}) with or without it: lowering the rule's intercept moves a "
                   f"shadow rate that is already below the floor")
        else:
            why = "the policy moves no input that the equilibrium depends on"
        return (f"{_cap(_name(label))} changes nothing (the path equals the one without "
                f"policy): {why}.")
    text = f"{_cap(_name(label))} {_change(row, base)}"
    if label in (CUT_AT_FLOOR, CUT_AT_START):
        why = "the cut lowers the rate in periods where it is above its floor"
    elif label == GUIDANCE:
        last = int(np.flatnonzero(path.exogenous.hold)[-1])
        exit_ = bp.spell[1] if bp.spell else -1
        held = slice(exit_ + 1, last + 1)
        lower = int(np.count_nonzero(path.real_rate[held] < bp.real_rate[held]))
        why = (f"the rate is held at its floor through t = {last}, {last - exit_} years beyond "
               f"the exit without policy, and the real rate is lower in {lower} of those years")
    elif label == TARGET:
        w = _Ctx(bp).window()
        lower = int(np.count_nonzero(path.real_rate[w] < bp.real_rate[w]))
        why = (f"the new target of {path.exogenous.pibar_new:.1%} raises inflation (minimum "
               f"{row['min_inflation']:.2%} against {base['min_inflation']:.2%}), which lowers "
               f"the real rate in {lower} of the {w.stop - w.start} years at the floor without "
               f"policy and the real value of nominal debt")
    elif label == SPENDING:
        w = cast(FiscalStimulus, pol).window(_Ctx(bp))
        higher = int(np.count_nonzero(path.natural_rate[w] > bp.natural_rate[w]))
        floor = int(np.count_nonzero(path.at_bound[w]))
        why = (f"the rate stays at its floor in {floor} of the {w.stop - w.start} years of "
               f"spending, where no rate rise offsets it, and the bonds that pay for it add to "
               f"savers' safe assets: the natural rate is higher in {higher} of those years")
    elif label == CREDITORS:
        other = GOVERNMENT if GOVERNMENT in paths else NO_POLICY
        da = float(path.safe_assets[0] - paths[other].safe_assets[0])
        word = "lower" if da < 0 else "higher"
        than = ("when the government pays for the same write-down" if other == GOVERNMENT
                else "without policy")
        why = (f"creditors bear the loss, so savers' safe assets at t = 0 are {abs(da):.3f} "
               f"{word} than {than}, and {'the larger' if da < 0 else 'a smaller'} wealth "
               f"term in their Euler equation makes them save {'more' if da < 0 else 'less'}")
    elif label == GOVERNMENT:
        da = float(path.safe_assets[0] - bp.safe_assets[0])
        why = (f"the government pays creditors {path.capital_transfers[0]:.3f} with bonds, so "
               f"savers' safe assets at t = 0 move by only {da:+.3f} against no policy while "
               f"government debt rises, and borrowers owe less for years")
    elif label == TRANSFER:
        gov = rows[GOVERNMENT]
        diff = row["output_gained"] - gov["output_gained"]
        diff_rep = gov["output_loss_repair"] - row["output_loss_repair"]
        if _same(path, paths[GOVERNMENT]):
            why = ("it coincides with the government-paid write-down of the same cost, because "
                   "borrowers at their limit spend a transfer as they spend lower debt service")
        else:
            why = (f"at the fiscal cost of the government-paid write-down it "
                   f"{_gain(diff_rep)} years of output against it over the repair years and "
                   f"{_gain(diff)} over the horizon, because the transfer is paid once at "
                   f"t = 0 while the write-down lowers the legacy debt service of every later "
                   f"year and the debt the repair starts from")
    elif label == CONSOLIDATION:
        con = cast(Consolidation, pol)
        w = con.window(_Ctx(bp))
        after = slice(w.start, min(w.stop + 5, path.periods))
        drop = float(np.mean(path.output_gap[after] - bp.output_gap[after]))
        da = float(np.mean(path.safe_assets[w] - bp.safe_assets[w]))
        what = (f"a tax rise of {con.size:.1%} of output on savers" if con.kind == "tax"
                else f"a spending cut of {con.size:.1%} of output")
        channel = ("lowers government debt and with it savers' safe assets "
                   f"({da:+.3f} on average while it lasts), so savers save more"
                   if con.kind == "tax" else "lowers demand one for one at the floor and "
                   "lowers the bonds savers hold")
        why = (f"{what} from t = {w.start} to t = {w.stop - 1} {channel}: the output gap is "
               f"{drop:+.2%} on average from its start to five years after its end, against "
               f"the path without it")
    else:
        why = "see the numbers"
    same = [other for other, p in paths.items()
            if other not in (label, NO_POLICY, GOVERNMENT if label == TRANSFER else "")
            and _same(path, p)]
    if same:
        why += "; the path coincides with the one of " + ", ".join(same)
    return f"{text}: {why}."


@dataclass(frozen=True)
class _Ctx:
    """What a window needs: the horizon, the spell at the floor and the debt path."""

    path: KooResult

    @property
    def periods(self) -> int:
        return self.path.periods

    @property
    def spell(self) -> tuple[int, int] | None:
        return self.path.spell

    @property
    def debt(self) -> Any:
        return self.path.debt

    def window(self) -> slice:
        """The first spell at the floor (the debt path's years if there is none)."""
        if self.path.spell is None:
            return slice(0, self.path.debt.length)
        return slice(self.path.spell[0], self.path.spell[1] + 1)


# --------------------------------------------------------------------------- the lab


def compare_koo(preset_name: str | KooPreset = "japan-1990s", *, cut: float = 0.01,
                qe: float = 0.1, extra_periods: int = 2, target_rise: float = 0.02,
                spending: float = 0.02, write_down: float = 0.1,
                consolidation: float = 0.02, consolidation_kind: str = "tax",
                consolidation_start: int | None = None,
                consolidation_duration: int | None = 10,
                scenario: str = "no policy") -> KooComparison:
    """Solve the preset without further policy and under each lab policy; tabulate.

    ``scenario`` (``"no policy"`` or ``"as it happened"``, see
    :meth:`~bsrlab.scenarios.koo_presets.KooPreset.policies`) gives the policies in force in
    every row; "no policy" is the row with no policy beyond them.

    The windows refer to the no-policy path: the rate cut at the floor, QE and the deficit
    spending act during its first spell at the floor (the debt path's years if the floor does
    not bind); the rate cut at t = 0 acts at t = 0 only (it bites only if the rate is not yet
    at its floor then). Forward guidance holds the rate ``extra_periods`` beyond the exit of the
    path with no policy at all (:func:`~bsrlab.models.deleveraging.koo.solve_koo` resolves
    it; with baseline policies that exit may differ from the no-policy row's). The higher
    target is the preset's ``pibar`` plus ``target_rise``. The reliefs write off
    ``write_down`` of the old debt at t = 0, borne by creditors or paid by the government, and
    transfer to borrowers at t = 0 what the government-paid write-down cost. The premature
    consolidation (``consolidation_kind`` ``"tax"`` or ``"spending"``, ``consolidation`` a
    year) starts at ``consolidation_start`` (default: the middle of the no-policy repair,
    repair_end // 2 + 1) and lasts ``consolidation_duration`` periods (None: for good).

    Raises
    ------
    ParameterError
        For an unknown preset or a bad option, naming it.
    ConvergenceError
        If a path cannot be solved (with the options in force).
    """
    pre = get_koo_preset(preset_name) if isinstance(preset_name, str) else preset_name
    if not isinstance(pre, KooPreset):
        raise ParameterError("preset_name", "a Koo preset's name", type(pre).__name__)
    cut = real("cut", cut, lo=0, hi=0.5, lo_open=True, hi_open=True)
    qe = real("qe", qe, lo=0, lo_open=True)
    extra_periods = integer("extra_periods", extra_periods, lo=1, hi=200)
    target_rise = real("target_rise", target_rise, lo=0, hi=0.2, lo_open=True)
    spending = real("spending", spending, lo=0, hi=0.5, lo_open=True, hi_open=True)
    write_down = real("write_down", write_down, lo=0, hi=1, lo_open=True)
    consolidation = real("consolidation", consolidation, lo=0, hi=0.5, lo_open=True,
                         hi_open=True)
    consolidation_kind = choice("consolidation_kind", consolidation_kind,
                                CONSOLIDATION_KINDS)
    if consolidation_start is not None:
        consolidation_start = integer("consolidation_start", consolidation_start, lo=0)
    if consolidation_duration is not None:
        consolidation_duration = integer("consolidation_duration", consolidation_duration,
                                         lo=1)
    scen = cast(Scenario, choice("scenario", scenario, ("no policy", "as it happened")))
    T = pre.periods
    baseline = pre.policies(scen)

    base = solve_koo(pre.params, pre.debt, baseline, periods=T)
    paths: dict[str, KooResult] = {NO_POLICY: base}

    def solve(pol: Policy | None, near: str | None = None) -> KooResult:
        """The path under ``pol``, Newton's method started from the path of the row ``near``
        (one whose policy acts on the same inputs) if it was solved, else from the baseline.

        A start is only where the iterations begin: the path is the same to the tolerance.
        Should the solve from ``near`` fail, it is done again from the baseline, so a row
        fails only where it fails from the baseline.
        """
        other = paths.get(near) if near is not None else None
        if other is not None:
            try:
                return solve_koo(pre.params, pre.debt, (*baseline, pol), periods=T,
                                 start=other)
            except ConvergenceError:
                pass
        return solve_koo(pre.params, pre.debt, (*baseline, pol), periods=T, start=base)

    ctx = _Ctx(base)
    w = ctx.window()
    s0, n = w.start, w.stop - w.start
    rep = base.repair_end if base.repair_end is not None else T - 2
    pols: dict[str, Policy | None] = {
        CUT_AT_FLOOR: RateCut(size=cut, start=s0, duration=n),
        CUT_AT_START: RateCut(size=cut, start=0, duration=1),
        QE: QuantitativeEasing(size=qe, start=s0, duration=n),
        GUIDANCE: ForwardGuidance(extra_periods=extra_periods),
        TARGET: HigherTarget(target=pre.params.pibar + target_rise),
        SPENDING: FiscalStimulus(size=spending, start=s0, duration=n),
        CREDITORS: DebtWriteDown(share=write_down, funded_by="creditors"),
        GOVERNMENT: DebtWriteDown(share=write_down, funded_by="government"),
    }
    start = rep // 2 + 1 if consolidation_start is None else consolidation_start
    con = Consolidation(size=consolidation, kind=consolidation_kind, start=start,
                        duration=consolidation_duration)
    con.window(ctx)  # checks the window against the horizon before any solve
    pols[CONSOLIDATION] = con
    failed: dict[str, str] = {}
    for label, pol in pols.items():
        try:
            # the write-downs differ only in who pays the creditors: one starts the other
            paths[label] = solve(pol, CREDITORS if label == GOVERNMENT else None)
        except ConvergenceError as exc:
            failed[label] = str(exc.args[0]).split(" [")[0]
    if GOVERNMENT in paths:
        # the same fiscal cost as the government-paid write-down, paid as a transfer at t = 0
        pols[TRANSFER] = DebtRelief(size=fiscal_cost(paths[GOVERNMENT], base), start=0,
                                    duration=1)
        try:
            paths[TRANSFER] = solve(pols[TRANSFER], GOVERNMENT)
        except ConvergenceError as exc:
            failed[TRANSFER] = str(exc.args[0]).split(" [")[0]
    else:
        failed[TRANSFER] = "it is sized by the government-paid write-down, which has no path"
    pols = {NO_POLICY: None, **pols}
    numbers = {label: {"policy": label, **_numbers(paths[label], base)}
               for label in LAB_LABELS if label in paths}
    away = _cut_off_the_floor(pre, base, baseline, cut, T)
    rows = []
    for label in LAB_LABELS:
        if label in paths:
            row = dict(numbers[label])
            row["sentence"] = _sentence(label, row, numbers, paths, pols, pre)
            if label in (CUT_AT_FLOOR, CUT_AT_START) and away:
                row["sentence"] += " " + away
        else:
            row = dict.fromkeys(KOO_LAB_KEYS)
            row["policy"] = label
            row["sentence"] = f"No equilibrium path was found for {_name(label)}: {failed[label]}."
        rows.append({key: row[key] for key in KOO_LAB_KEYS})
    return KooComparison(preset=pre, rows=tuple(rows),
                         paths={label: paths[label] for label in LAB_LABELS if label in paths},
                         policies={label: pols.get(label) for label in LAB_LABELS},
                         scenario=scen)


def _cut_off_the_floor(pre: KooPreset, base: KooResult, baseline: tuple[Policy, ...],
                       cut: float, T: int) -> str:
    """What the same rate cut does in the first year off the floor, and whose spending moves.

    One more solve: the cut for one year at the first date after the first spell at the floor
    (nothing if the floor never binds, or binds to the end of the horizon). The change of
    output that year is split into savers' and borrowers' consumption (chi_s dc_s, chi_b dc_b;
    with government spending unchanged they sum to it).
    """
    if base.spell is None or base.spell[1] + 2 >= T:
        return ""
    t = base.spell[1] + 1
    try:
        off = solve_koo(pre.params, pre.debt, (*baseline, RateCut(size=cut, start=t, duration=1)),
                        periods=T, start=base)
    except ConvergenceError:
        return ""
    p = pre.params
    dy = float(off.output[t] - base.output[t])
    ds = float(p.chi_s * (off.c_saver[t] - base.c_saver[t]))
    db = float(p.chi_b * (off.c_borrower[t] - base.c_borrower[t]))
    if abs(dy) < 1e-9:
        return (f"Off the floor too (the same cut at t = {t}, the first year after the spell) "
                f"output does not move.")
    limit = "at their limit" if bool(off.at_limit[t]) else "off their limit"
    return (f"Away from the floor the same cut does bite: at t = {t}, the first year after the "
            f"spell, it raises output by {dy:.2%} of potential that year, of which savers' "
            f"consumption is {ds:+.2%} and borrowers' ({limit}) {db:+.2%}.")
