r"""The scenario chain: an asset bust in the von Peter model handed to Koo's deleveraging model.

A :class:`Scenario` (frozen, hashable, TOML in and out) names a von Peter economy and a shock
``tau``, a rule that selects one of its equilibria, and a preset of Koo's model whose economy
runs the deleveraging. :func:`run_chain` solves the bust (decline, loan losses, bank capital,
crunch or crisis, credit granted), hands its outcome to the Koo economy through three named maps
and solves the path at the zero bound with the scenario's policies.

Units are shares of pre-bust output throughout: the von Peter model has y = 1 and bank loans
qH = alpha y/(R - 1) (11); the Koo economy has potential output 1 and borrowers' debt
``debt_high`` before the bust. The maps carry ratios (a decline, a share of loans), so the two
economies need not have the same debt; a calibration with qH = ``debt_high`` (alpha = (R - 1)
debt_high) makes the loans of the two models the same amount.

The hand-over maps
------------------
(a) :func:`debt_target`, collateral -> debt target: borrowers keep the pre-bust loan-to-value on
    the collateral's new value, ``debt_low = debt_high (1 - delta_f)``, with delta_f the decline of
    the fundamental equilibrium (the permanent loss of collateral value; the extra fall of a crunch
    or crisis at t is temporary and goes through map b).
(b) :func:`credit_supply` and :func:`forced_repair`, bank capital -> credit supply:
    ``c = (1 - delta_sel)/(1 - delta_f)`` in [0, 1], the credit the banks can grant relative to
    the fundamental equilibrium (1 when fundamental, 0 in a banking crisis). Where c < 1 the repair
    is forced faster, but never beyond ``cap`` (``repair_share_cap``, 0.5 by default, 0.2 in the
    presets) of borrowers' income a year: a cash-flow preset repairs with the share
    ``min(cap, rho/max(c, rho/cap))``, a target-path preset in
    ``min(years, max(1, ceil(years c), ceil((debt_high - debt_low)/(chi_b cap))))`` years (a
    one-off cut when c = 0 and the cap allows it); c = 1 leaves the preset unchanged.
(c) :func:`losses_written_off` and :func:`loan_loss_writedown`, loan losses -> savers' wealth:
    the loan losses written off (share of y) are the part of the old debt borrowers do not repay,
    borne by the banks' creditors, the savers: a write-down of the share lambda_w/qH of the old
    debt at t = 0, funded by the creditors, or by the government for the part a
    recapitalisation pays. Where the banks grant credit (fundamental, crunch) lambda_w is the
    selected equilibrium's lambda. In a banking crisis it is ``min(lambda, lambda_f)``, the loss
    at the fundamental decline: the crisis's lambda values the collateral at q_t = 0, a fire
    sale without buyers (no credit is granted), not the permanent loss of value that map (a)
    takes; the fire-sale losses lambda - lambda_w are not written off the borrowers' debt but
    stay with the banks, whose capital they wipe out (c = 0: map b).

The banking crisis
------------------
The von Peter crisis is a failure of the payment system at t: no credit (q_t H = 0), autarky
output eps y from t+1 (:data:`~bsrlab.models.vonpeter.allocation.AUTARKY_OUTPUT`), and loan losses
of nearly all the loans. Map (c) used to write all of them off the Koo borrowers' debt (36% of it
in ``japan-1990s-chain``, 74% in ``us-2008-chain`` with ``selection = "worst-stable"``), which
ended the balance sheet repair at once: one year at the floor for Japan, no recession at all for
the United States. With the fire-sale losses left with the banks the crisis reaches Koo's
economy as what it does to credit: no write-down beyond the permanent loss and the fastest
repair the cap allows. At the same shock a crisis then hands over no more credit and no larger
write-down than the capital crunch (``tests/scenarios/test_chain.py`` also checks that it never
costs less output over the first ten years). At the presets' shocks the crisis now gives a trough
of -15.6% with 7 years at the floor and of repair (``japan-1990s-chain``) and of -11.5% with 3
years (``us-2008-chain``): deeper than the crunch, not longer, since Koo's model takes it as a
faster repair. The autarky itself has no counterpart in Koo's model (it has no payment system);
``docs/scenario-chain.md`` gives the numbers before and after.

Banking policies (family ``banking`` of :mod:`bsrlab.policies.banking`: recapitalise, timely
rate cut, capital requirement, forbearance, tightening, threshold rule) act on the von Peter stage
before the equilibrium is selected; Koo policies (families ``deleveraging`` and ``koo``) are added
to the Koo preset's scenario.

Examples
--------
>>> s = Scenario(name="demo", alpha=0.07, R=1.05, gamma=0.01125, tau=0.0,
...              koo_preset="us-2008", koo_scenario="no policy", periods=20)
>>> res = run_chain(s)
>>> res.selected.kind.value, round(res.handover_value("credit_supply"), 12)
('fundamental', 1.0)
>>> Scenario.from_toml(s.to_toml()) == s
True
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, cast

import numpy as np

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.fileio import load_toml, loads_toml
from bsrlab.core.policy import Policy
from bsrlab.core.validate import choice, flag, integer, real
from bsrlab.models.deleveraging.koo import KooParams, KooResult, solve_koo
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind
from bsrlab.models.vonpeter import Params, closed, thresholds
from bsrlab.models.vonpeter.allocation import Allocation, allocations
from bsrlab.models.vonpeter.constrained import EquilibriumKind
from bsrlab.policies import registry
from bsrlab.policies.fiscal import DebtWriteDown
from bsrlab.scenarios.koo_presets import KOO_PRESETS, KooPreset, get_koo_preset

__all__ = [
    "KOO_SCENARIOS",
    "PRESETS",
    "SELECTIONS",
    "ChainFact",
    "ChainResult",
    "Handover",
    "LoanLossWriteDown",
    "PolicySpec",
    "Scenario",
    "credit_supply",
    "debt_target",
    "forced_repair",
    "get_preset",
    "loan_loss_writedown",
    "losses_written_off",
    "path_records",
    "preset_names",
    "preset_text",
    "run_chain",
    "select_equilibrium",
]

#: The equilibrium selection rules: ``fundamental`` (the fundamental equilibrium when it exists,
#: else the worst stable one), ``worst-stable`` (the stable equilibrium with the largest decline)
#: and ``capital-crunch`` (the capital crunch when one exists, else as ``fundamental``).
SELECTIONS: tuple[str, ...] = ("fundamental", "worst-stable", "capital-crunch")

#: The scenarios of a Koo preset (:meth:`KooPreset.policies`).
KOO_SCENARIOS: tuple[str, ...] = ("no policy", "as it happened")

#: The default cap of the share of borrowers' income a forced repair takes a year (map b).
REPAIR_SHARE_CAP = 0.5

#: The banking policies whose allocation the von Peter model computes (the chain needs one).
_NO_ALLOCATION = ("loan-spread", "credit-coefficient")

_PRESET_DIR = Path(__file__).resolve().parent / "chain_presets"


# --------------------------------------------------------------------------- the maps


def debt_target(debt_high: float, delta_fundamental: float) -> float:
    """Map (a), collateral -> debt target: ``debt_high (1 - delta_fundamental)``.

    Borrowers keep the pre-bust loan-to-value on the collateral's new value. The fundamental
    decline is the permanent loss of collateral value; the extra fall of a crunch or a crisis
    at t is temporary and reaches the Koo economy through :func:`credit_supply` instead.

    Parameters
    ----------
    debt_high
        Borrowers' debt before the bust, share of pre-bust output (>= 0).
    delta_fundamental
        The decline of the fundamental equilibrium, 0 <= delta <= 1.

    Returns
    -------
    float
        The debt target ``debt_low``, share of pre-bust output.

    Examples
    --------
    >>> debt_target(2.0, 0.25)
    1.5
    """
    dh = real("debt_high", debt_high, lo=0)
    d = real("delta_fundamental", delta_fundamental, lo=0, hi=1)
    return dh * (1.0 - d)


def credit_supply(delta_selected: float, delta_fundamental: float) -> float:
    """Map (b), bank capital -> credit supply: ``c = (1 - delta_sel)/(1 - delta_f)`` in [0, 1].

    The credit the banks grant in the selected equilibrium relative to what the fundamental
    equilibrium would have: credit is the value of the assets, (1 - delta) qH, so c is 1 in the
    fundamental equilibrium, (1 - delta*)/(1 - delta_f) in a capital crunch and 0 in a banking
    crisis. When the fundamental decline is total (delta_f = 1) no credit is lost to the banks'
    capital and c = 1.

    Examples
    --------
    >>> credit_supply(1.0, 0.3), credit_supply(0.3, 0.3), round(credit_supply(0.5, 0.2), 6)
    (0.0, 1.0, 0.625)
    """
    ds = real("delta_selected", delta_selected, lo=0, hi=1)
    df = real("delta_fundamental", delta_fundamental, lo=0, hi=1)
    if df >= 1.0:
        return 1.0
    return float(min(1.0, max(0.0, (1.0 - ds) / (1.0 - df))))


def forced_repair(debt: DebtLimitPath, params: KooParams, c: float, *,
                  cap: float = REPAIR_SHARE_CAP) -> tuple[DebtLimitPath, KooParams]:
    """Map (b), continued: the repair a credit supply ``c`` < 1 forces on the Koo economy.

    ``cap`` is the highest share of their income borrowers can be made to repay in a year.

    - Target-path presets (``repair_rule="target"``): the repair takes
      ``min(years, max(1, ceil(years c), n_cap))`` years, with ``n_cap = ceil((debt_high -
      debt_low)/(chi_b cap))`` the fewest years in which borrowers (income chi_b, share of
      output) repay the cut at ``cap`` of their income on average; with c = 0 and ``n_cap`` <= 1
      the limit is cut at once (a one-off path).
    - Cash-flow presets: the repair share becomes ``min(cap, rho/max(c, rho/cap))``: rho/c while
      that is below ``cap``, ``cap`` when credit is gone.

    c = 1 returns ``debt`` and ``params`` unchanged (the same objects).

    Examples
    --------
    >>> from bsrlab.models.deleveraging.model import DebtLimitPath
    >>> from bsrlab.models.deleveraging.koo import KooParams
    >>> d = DebtLimitPath(debt_high=1.0, debt_low=0.8, kind="linear", years=6)
    >>> forced_repair(d, KooParams(), 0.5)[0].years, forced_repair(d, KooParams(), 0.0)[0].kind
    (3, <PathKind.ONE_OFF: 'one-off'>)
    >>> p = KooParams(repair_rule="cash-flow", repair_share=0.1)
    >>> forced_repair(d, p, 0.5)[1].repair_share, forced_repair(d, p, 0.0)[1].repair_share
    (0.2, 0.5)
    >>> forced_repair(d, KooParams(chi_b=0.5), 0.0, cap=0.1)[0].years  # 0.2/(0.5 x 0.1) years
    4
    """
    c = real("credit_supply", c, lo=0, hi=1)
    cap = real("repair_share_cap", cap, lo=0, hi=1, lo_open=True, hi_open=True)
    if c >= 1.0:
        return debt, params
    if params.repair_rule == "cash-flow":
        rho = float(params.repair_share)
        return debt, params.replace(repair_share=min(cap, rho / max(c, rho / cap)))
    cut = float(debt.debt_high) - float(debt.debt_low)
    n_cap = 1 if debt.kind is PathKind.ONE_OFF else math.ceil(
        cut / (float(params.chi_b) * cap) - 1e-12)
    if c <= 0.0 and n_cap <= 1:
        return dataclasses.replace(debt, kind=PathKind.ONE_OFF), params
    # never slower than the preset's own path
    years = min(int(debt.years), max(1, math.ceil(int(debt.years) * c - 1e-12), n_cap))
    return dataclasses.replace(debt, years=years), params


@dataclass(frozen=True, kw_only=True, slots=True)
class LoanLossWriteDown:
    """Write off ``share`` of borrowers' old debt at t = 0, ``government`` of it (a share of the
    old debt, at most ``share``) paid by the government (a capital transfer), the rest borne by
    creditors.

    The write-down of map (c) when a recapitalisation pays part of the loan losses; with one
    funder alone the chain uses :class:`~bsrlab.policies.fiscal.DebtWriteDown`. It records the
    whole amount in the inputs' ``written_off`` and the government's part in
    ``written_off_government``.
    """

    name: ClassVar[str] = "loan-loss-write-down"
    label: ClassVar[str] = "loan-loss write-down"
    share: float
    government: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "share", real("share", self.share, lo=0, hi=1, lo_open=True))
        object.__setattr__(self, "government", real(
            "government", self.government, lo=0, hi=self.share,
            rule=f"0 <= government <= share (= {self.share:g})"))

    def apply(self, inputs: Any, context: Any) -> Any:
        """Lower the old debt by ``share``; record all of it as written off, and the
        government's part."""
        return dataclasses.replace(
            inputs, debt_old=inputs.debt_old * (1.0 - self.share),
            written_off=inputs.written_off + self.share * inputs.debt_old,
            written_off_government=(inputs.written_off_government
                                    + self.government * inputs.debt_old))


def losses_written_off(loan_losses: float, fundamental_loan_losses: float, *,
                       crisis: bool) -> float:
    """Map (c), first step: the loan losses (share of y) written off the borrowers' old debt.

    Where the banks grant credit at t (the fundamental equilibrium, a capital crunch) the
    collateral changes hands at a price credit pays for, and the losses ``loan_losses`` of the
    selected equilibrium are realised: all of them are written off. In a banking crisis no
    credit is granted, so q_t = 0 is the value of collateral nobody can buy (a fire sale), not
    a price it trades at; what borrowers cannot repay for good is the loss at the permanent
    decline of the collateral's value, the fundamental decline delta_f (as in map a):
    ``min(loan_losses, fundamental_loan_losses)``. The rest, the fire-sale losses, stays with
    the banks: it wipes out their capital, which is why they grant no credit (c = 0, map b).

    Examples
    --------
    >>> losses_written_off(0.05, 0.0, crisis=False), losses_written_off(2.4, 0.1, crisis=True)
    (0.05, 0.1)
    """
    lam = real("loan_losses", loan_losses, lo=0)
    lam_f = real("fundamental_loan_losses", fundamental_loan_losses, lo=0)
    return min(lam, lam_f) if flag("crisis", crisis) else lam


def loan_loss_writedown(loan_losses: float, asset_value: float, *,
                        government: float = 0.0) -> tuple[Policy, ...]:
    """Map (c), loan losses -> savers' wealth: the write-down of the old debt at t = 0.

    The loan losses lambda written off (non-performing loans, share of y:
    :func:`losses_written_off`) are the part of the old debt that borrowers do not repay; the
    banks' creditors, the savers, bear it. As a share of the loans qH (``asset_value``) it is
    written off the Koo borrowers' old debt at t = 0:
    ``DebtWriteDown(share=lambda/qH, funded_by="creditors")``. ``government`` (units of y) is
    the part of the losses public money pays (a recapitalisation's cost, at most lambda): that
    share is funded by the government, the rest by creditors (:class:`LoanLossWriteDown`). No
    losses: no policy.

    Examples
    --------
    >>> loan_loss_writedown(0.5, 10.0)
    (DebtWriteDown(share=0.05, funded_by='creditors'),)
    >>> loan_loss_writedown(0.0, 10.0)
    ()
    """
    lam = real("loan_losses", loan_losses, lo=0)
    qH = real("asset_value", asset_value, lo=0, lo_open=True)
    gov = min(real("government", government, lo=0), lam)
    share = min(1.0, lam / qH)
    if share <= 0.0:
        return ()
    g_share = min(share, gov / qH)
    if g_share <= 0.0:
        return (DebtWriteDown(share=share, funded_by="creditors"),)
    if g_share >= share:
        return (DebtWriteDown(share=share, funded_by="government"),)
    return (LoanLossWriteDown(share=share, government=g_share),)


def select_equilibrium(points: Sequence[Allocation], rule: str) -> Allocation:
    """The equilibrium ``rule`` selects among ``points`` (ordered by the decline).

    ``fundamental``: the fundamental equilibrium when it exists, else the stable equilibrium
    with the largest decline; ``worst-stable``: the stable equilibrium with the largest decline;
    ``capital-crunch``: the capital crunch when one exists, else as ``fundamental``.
    """
    rule = choice("selection", rule, SELECTIONS)
    if not points:
        raise ParameterError("points", "at least one equilibrium", "none")
    by_kind = {p.kind: p for p in points}
    stable = [p for p in points if p.stable]
    worst = max(stable or list(points), key=lambda p: p.delta)
    if rule == "capital-crunch" and EquilibriumKind.CAPITAL_CRUNCH in by_kind:
        return by_kind[EquilibriumKind.CAPITAL_CRUNCH]
    if rule in ("fundamental", "capital-crunch") and EquilibriumKind.FUNDAMENTAL in by_kind:
        return by_kind[EquilibriumKind.FUNDAMENTAL]
    return worst


# --------------------------------------------------------------------------- the scenario


@dataclass(frozen=True, slots=True)
class PolicySpec:
    """A policy by name and options (``options`` as sorted (key, value) pairs: hashable)."""

    name: str
    options: tuple[tuple[str, Any], ...] = ()

    def make(self, family: str) -> Policy:
        """The policy, built by :func:`bsrlab.policies.registry.make` in ``family``."""
        pol = registry.make(self.name, family, **dict(self.options))
        if pol is None:
            raise ParameterError("policies.name", "a policy name (not 'none')", self.name)
        return pol

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, **dict(self.options)}


@dataclass(frozen=True, kw_only=True, slots=True)
class ChainFact:
    """What a chain preset should show: a key (the test's name), the statement, its source."""

    key: str
    statement: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "statement": self.statement, "source": self.source}


def _policy_specs(key: str, value: Any, families: Sequence[str]) -> tuple[PolicySpec, ...]:
    """Validate a list of policies (tables with ``name`` and options) of ``families``."""
    if isinstance(value, PolicySpec):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ParameterError(key, "a list of policies (tables with a name and options)", value)
    out = []
    for i, item in enumerate(value):
        if isinstance(item, PolicySpec):
            spec = item
        elif isinstance(item, Mapping):
            opts = dict(item)
            name = opts.pop("name", None)
            if not isinstance(name, str):
                raise ParameterError(f"{key}[{i}].name", "a policy name", name)
            for k, v in opts.items():
                if not isinstance(v, bool | int | float | str):
                    raise ParameterError(f"{key}[{i}].{k}", "a number, a string or a boolean",
                                         v)
            spec = PolicySpec(name, tuple(sorted(opts.items())))
        else:
            raise ParameterError(f"{key}[{i}]", "a table with a policy name and options", item)
        allowed = [n for f in families for n in registry.names(f)]
        if spec.name not in allowed or spec.name in _NO_ALLOCATION:
            ok = [n for n in allowed if n not in _NO_ALLOCATION]
            raise ParameterError(f"{key}[{i}].name", "one of " + ", ".join(ok), spec.name)
        family = next(f for f in families if spec.name in registry.names(f))
        try:
            spec.make(family)
        except ParameterError as exc:
            raise ParameterError(f"{key}[{i}].{exc.name}", exc.admissible, exc.value,
                                 exc.detail) from None
        out.append(spec)
    return tuple(out)


def _family(name: str, families: Sequence[str]) -> str:
    return next(f for f in families if name in registry.names(f))


_KOO_FAMILIES = ("deleveraging", "koo")
_BANKING_FAMILIES = ("banking",)


@dataclass(frozen=True, kw_only=True, slots=True)
class Scenario:
    """One chain scenario: the bust, the selection rule, the Koo economy, policies and maps.

    Parameters
    ----------
    name, title
        The scenario's name (a preset's name) and a title for tables and reports.
    alpha, R, gamma
        The von Peter calibration (y = H = 1); R = 1/beta.
    tau
        The productivity shock at t, 0 <= tau <= 1.
    selection
        The equilibrium selection rule, one of :data:`SELECTIONS`.
    koo_preset, koo_scenario, periods
        The Koo preset whose economy runs the deleveraging, its scenario (``no policy`` or
        ``as it happened``) and the horizon (None: the preset's).
    koo_params
        Changes to the preset's :class:`~bsrlab.models.deleveraging.koo.KooParams` as (field,
        value) pairs (``[koo.params]`` in TOML); ``omega`` keeps the preset's calibrated value
        unless it is given.
    koo_policies, banking_policies
        Policies by name and options (:class:`PolicySpec`) of the families ``deleveraging``
        and ``koo``, and ``banking``.
    collateral, credit_supply, loan_losses
        Switch each hand-over map on or off (off: the preset's debt target, its repair, no
        write-down).
    repair_share_cap
        The highest share of borrowers' income a forced repair takes a year (map b): the
        repair share of a cash-flow preset, the average yearly cut of a target path.
    sources, facts
        A source for every number ((key, text) pairs) and what the chain should show.

    Validated on construction (a bad value is a :class:`ParameterError` naming the key);
    equal and hashed by value.
    """

    name: str
    title: str = ""
    alpha: float
    R: float
    gamma: float = 0.0
    tau: float
    selection: str = "fundamental"
    koo_preset: str
    koo_scenario: str = "no policy"
    periods: int | None = None
    koo_params: tuple[tuple[str, Any], ...] = ()
    koo_policies: tuple[PolicySpec, ...] = ()
    banking_policies: tuple[PolicySpec, ...] = ()
    collateral: bool = True
    credit_supply: bool = True
    loan_losses: bool = True
    repair_share_cap: float = REPAIR_SHARE_CAP
    sources: tuple[tuple[str, str], ...] = ()
    facts: tuple[ChainFact, ...] = ()

    def __post_init__(self) -> None:
        def put(key: str, value: Any) -> None:
            object.__setattr__(self, key, value)

        for key in ("name", "title"):
            if not isinstance(getattr(self, key), str):
                raise ParameterError(key, "a string", getattr(self, key))
        if not self.name.strip():
            raise ParameterError("name", "a non-empty string", self.name)
        put("R", real("R", self.R, lo=1, lo_open=True))
        put("alpha", real("alpha", self.alpha))
        put("gamma", real("gamma", self.gamma))
        self.vonpeter_params()  # validates alpha, R, gamma together
        put("tau", real("tau", self.tau, lo=0, hi=1))
        put("selection", choice("selection", self.selection, SELECTIONS))
        put("koo_preset", choice("koo_preset", self.koo_preset, tuple(KOO_PRESETS)))
        put("koo_scenario", choice("koo_scenario", self.koo_scenario, KOO_SCENARIOS))
        if self.periods is not None:
            put("periods", integer("periods", self.periods, lo=3, hi=500))
        changes = (self.koo_params.items() if isinstance(self.koo_params, Mapping)
                   else self.koo_params)
        pairs_k = tuple(sorted((str(k), v) for k, v in changes))
        known = [f.name for f in dataclasses.fields(KooParams)]
        for k, v in pairs_k:
            if k not in known:
                raise ParameterError(f"koo_params.{k}", "a field of the Koo model's parameters ("
                                     + ", ".join(known) + ")", v)
            if not isinstance(v, bool | int | float | str):
                raise ParameterError(f"koo_params.{k}", "a number, a string or a boolean", v)
        put("koo_params", pairs_k)
        try:
            self.koo_economy()
        except ParameterError as exc:
            raise ParameterError(f"koo_params.{exc.name}", exc.admissible, exc.value,
                                 exc.detail) from None
        put("koo_policies", _policy_specs("koo_policies", self.koo_policies, _KOO_FAMILIES))
        put("banking_policies", _policy_specs("banking_policies", self.banking_policies,
                                              _BANKING_FAMILIES))
        for key in ("collateral", "credit_supply", "loan_losses"):
            put(key, flag(key, getattr(self, key)))
        put("repair_share_cap", real("repair_share_cap", self.repair_share_cap, lo=0, hi=1,
                                     lo_open=True, hi_open=True))
        src = self.sources.items() if isinstance(self.sources, Mapping) else self.sources
        pairs = []
        for item in src:
            if (not isinstance(item, tuple | list) or len(item) != 2
                    or not all(isinstance(x, str) for x in item)):
                raise ParameterError("sources", "(key, text) pairs of strings", item)
            pairs.append((item[0], item[1]))
        put("sources", tuple(pairs))
        facts = []
        for i, f in enumerate(self.facts):
            if isinstance(f, Mapping):
                f = _fact(f"facts[{i}]", f)
            if not isinstance(f, ChainFact):
                raise ParameterError(f"facts[{i}]", "a table with key, statement and source", f)
            facts.append(f)
        put("facts", tuple(facts))

    # -- derived ---------------------------------------------------------------------------

    def vonpeter_params(self) -> Params:
        """The von Peter parameters (y = H = 1)."""
        return Params.from_R(alpha=self.alpha, R=self.R, gamma=self.gamma)

    def preset(self) -> KooPreset:
        """The Koo preset whose economy runs the deleveraging."""
        return get_koo_preset(self.koo_preset)

    def koo_economy(self) -> KooParams:
        """The Koo preset's parameters with ``koo_params`` applied."""
        base = self.preset().params
        return base.replace(**dict(self.koo_params)) if self.koo_params else base

    def horizon(self) -> int:
        """The Koo path's horizon: ``periods``, or the preset's."""
        return self.preset().periods if self.periods is None else int(self.periods)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)

    def source(self, key: str) -> str:
        """The source given for ``key`` ('' if none)."""
        return dict(self.sources).get(key, "")

    # -- TOML ------------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, text_or_path: str | os.PathLike[str]) -> Scenario:
        """A scenario from TOML text or a ``.toml`` file (read with the bounded reader).

        Unknown keys are errors naming them (``vonpeter.alfa``); a value out of range is a
        :class:`ParameterError` naming its key.
        """
        if isinstance(text_or_path, os.PathLike) or (
                isinstance(text_or_path, str) and "\n" not in text_or_path
                and "=" not in text_or_path):
            data = load_toml(text_or_path, what=f"scenario file '{text_or_path}'")
        elif isinstance(text_or_path, str):
            data = loads_toml(text_or_path, what="scenario TOML")
        else:
            raise ParameterError("scenario", "TOML text or a path to a .toml file",
                                 type(text_or_path).__name__)
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """A scenario from the parsed TOML document (see :meth:`to_toml` for the layout)."""
        _known("", data, ("name", "title", "vonpeter", "koo", "banking", "maps", "sources",
                          "facts"))
        vp = _table(data, "vonpeter")
        _known("vonpeter", vp, ("alpha", "R", "beta", "gamma", "tau", "selection"))
        koo = _table(data, "koo")
        _known("koo", koo, ("preset", "scenario", "periods", "params", "policies"))
        bank = _table(data, "banking")
        _known("banking", bank, ("policies",))
        maps = _table(data, "maps")
        _known("maps", maps, ("collateral", "credit_supply", "loan_losses", "repair_share_cap"))
        if ("R" in vp) == ("beta" in vp):
            raise ParameterError("vonpeter.R", "exactly one of R (> 1) and beta (0 < beta < 1)",
                                 vp.get("R", vp.get("beta")))
        if "beta" in vp:
            beta = real("vonpeter.beta", vp["beta"], lo=0, hi=1, lo_open=True, hi_open=True)
            R = 1.0 / beta
        else:
            R = vp["R"]
        for key, where in (("alpha", vp), ("tau", vp)):
            if key not in where:
                raise ParameterError(f"vonpeter.{key}", "a value (required)", None)
        if "preset" not in koo:
            raise ParameterError("koo.preset", "one of " + ", ".join(KOO_PRESETS), None)
        sources = _table(data, "sources")
        facts = data.get("facts", [])
        if not isinstance(facts, list):
            raise ParameterError("facts", "a list of tables (key, statement, source)", facts)
        kw: dict[str, Any] = {
            "name": data.get("name", ""), "title": data.get("title", ""),
            "alpha": vp["alpha"], "R": R, "gamma": vp.get("gamma", 0.0), "tau": vp["tau"],
            "selection": vp.get("selection", "fundamental"), "koo_preset": koo["preset"],
            "koo_scenario": koo.get("scenario", "no policy"), "periods": koo.get("periods"),
            "koo_params": tuple(_table(koo, "params").items()),
            "koo_policies": _policy_list("koo.policies", koo.get("policies", [])),
            "banking_policies": _policy_list("banking.policies", bank.get("policies", [])),
            "sources": tuple((str(k), _text(f"sources.{k}", v)) for k, v in sources.items()),
            "facts": tuple(_fact(f"facts[{i}]", f) for i, f in enumerate(facts)),
        }
        kw.update({k: maps[k] for k in ("collateral", "credit_supply", "loan_losses",
                                        "repair_share_cap") if k in maps})
        keyed = {"alpha": "vonpeter.alpha", "R": "vonpeter.R", "gamma": "vonpeter.gamma",
                 "tau": "vonpeter.tau", "selection": "vonpeter.selection",
                 "koo_preset": "koo.preset", "koo_scenario": "koo.scenario",
                 "periods": "koo.periods", "koo_policies": "koo.policies",
                 "koo_params": "koo.params",
                 "banking_policies": "banking.policies"}
        try:
            return cls(**kw)
        except ParameterError as exc:
            cut = min((i for i in (exc.name.find("["), exc.name.find(".")) if i >= 0),
                      default=len(exc.name))
            head, rest = exc.name[:cut], exc.name[cut:]
            name = keyed.get(head, head) + rest
            if head in ("collateral", "credit_supply", "loan_losses", "repair_share_cap"):
                name = f"maps.{head}"
            raise ParameterError(name, exc.admissible, exc.value, exc.detail) from None

    def to_toml(self) -> str:
        """The scenario as TOML; :meth:`from_toml` reads it back to an equal scenario."""
        lines = [f"name = {_tq(self.name)}", f"title = {_tq(self.title)}", "", "[vonpeter]",
                 f"alpha = {_tv(self.alpha)}", f"R = {_tv(self.R)}",
                 f"gamma = {_tv(self.gamma)}", f"tau = {_tv(self.tau)}",
                 f"selection = {_tq(self.selection)}", "", "[koo]",
                 f"preset = {_tq(self.koo_preset)}", f"scenario = {_tq(self.koo_scenario)}"]
        if self.periods is not None:
            lines.append(f"periods = {int(self.periods)}")
        if self.koo_params:
            lines += ["", "[koo.params]", *_kv(dict(self.koo_params))]
        for spec in self.koo_policies:
            lines += ["", "[[koo.policies]]", *_kv(spec.to_dict())]
        for spec in self.banking_policies:
            lines += ["", "[[banking.policies]]", *_kv(spec.to_dict())]
        lines += ["", "[maps]", f"collateral = {_tv(self.collateral)}",
                  f"credit_supply = {_tv(self.credit_supply)}",
                  f"loan_losses = {_tv(self.loan_losses)}",
                  f"repair_share_cap = {_tv(self.repair_share_cap)}"]
        if self.sources:
            lines += ["", "[sources]", *(f"{_tq(k)} = {_tq(v)}" for k, v in self.sources)]
        for f in self.facts:
            lines += ["", "[[facts]]", *_kv(f.to_dict())]
        return "\n".join(lines) + "\n"


def _known(where: str, table: Mapping[str, Any], keys: Sequence[str]) -> None:
    unknown = [k for k in table if k not in keys]
    if unknown:
        name = ", ".join(f"{where}.{k}" if where else k for k in unknown)
        raise ParameterError(name, "a known key (" + ", ".join(
            f"{where}.{k}" if where else k for k in keys) + ")", "unknown key")


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ParameterError(key, "a table", value)
    return value


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ParameterError(key, "a string", value)
    return value


def _policy_list(key: str, value: Any) -> tuple[PolicySpec, ...]:
    if not isinstance(value, list):
        raise ParameterError(key, "a list of tables ([[...policies]] with name and options)",
                             value)
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ParameterError(f"{key}[{i}]", "a table with a policy name and options", item)
        opts = dict(item)
        name = opts.pop("name", None)
        if not isinstance(name, str):
            raise ParameterError(f"{key}[{i}].name", "a policy name", name)
        out.append(PolicySpec(name, tuple(sorted(opts.items()))))
    return tuple(out)


def _fact(key: str, value: Any) -> ChainFact:
    if not isinstance(value, Mapping):
        raise ParameterError(key, "a table with key, statement and source", value)
    _known(key, value, ("key", "statement", "source"))
    return ChainFact(key=_text(f"{key}.key", value.get("key")),
                     statement=_text(f"{key}.statement", value.get("statement")),
                     source=_text(f"{key}.source", value.get("source", "")))


def _tq(s: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(s, ensure_ascii=False)


def _tv(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    return _tq(str(v))


def _kv(d: Mapping[str, Any]) -> list[str]:
    return [f"{k} = {_tv(v)}" for k, v in d.items()]


# --------------------------------------------------------------------------- presets


def preset_names() -> tuple[str, ...]:
    """The chain presets shipped with bsrlab (TOML files of ``scenarios/chain_presets``)."""
    return tuple(sorted(p.stem for p in _PRESET_DIR.glob("*.toml")))


def preset_text(name: str) -> str:
    """The TOML text of the chain preset ``name``."""
    names = preset_names()
    if name not in names:
        raise ParameterError("preset", "one of " + ", ".join(names), name)
    return (_PRESET_DIR / f"{name}.toml").read_text(encoding="utf-8")


def get_preset(name: str) -> Scenario:
    """The chain preset ``name`` as a :class:`Scenario`."""
    return Scenario.from_toml(preset_text(name))


#: The chain presets' names (``japan-1990s-chain``, ``us-2008-chain``).
PRESETS: tuple[str, ...] = preset_names()


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True, slots=True)
class Handover:
    """One mapped quantity: its name, value and meaning (units: shares of pre-bust output)."""

    name: str
    value: Any
    meaning: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "meaning": self.meaning}


def path_records(result: KooResult) -> list[dict[str, Any]]:
    """A Koo path's per-period records with the keys of ``bsrlab deleverage path --format json``
    (``PATH_KEYS``, then ``KOO_EXTRA_KEYS``): :meth:`KooResult.records`."""
    return result.records()


@dataclass(frozen=True, kw_only=True, eq=False)
class ChainResult:
    """A solved chain: the von Peter outcome, the hand-over and the Koo path.

    ``equilibria`` are every equilibrium at the shock (with the banking policies), ``selected``
    the one the rule picks, ``fundamental_delta`` the fundamental decline (the permanent loss of
    collateral value) and ``fundamental_loan_losses`` the loan losses at it, ``handover`` the
    mapped quantities, ``koo_params``, ``debt`` and
    ``policies`` what the Koo economy was solved with, ``path`` the solved path.
    """

    scenario: Scenario
    params: Params
    equilibria: tuple[Allocation, ...]
    selected: Allocation
    fundamental_delta: float
    fundamental_loan_losses: float
    delta_star: float
    tau_star: float
    fiscal_cost: float
    handover: tuple[Handover, ...]
    koo_params: KooParams
    debt: DebtLimitPath
    policies: tuple[Policy, ...]
    path: KooResult

    def handover_value(self, name: str) -> Any:
        """The value of the mapped quantity ``name``."""
        for h in self.handover:
            if h.name == name:
                return h.value
        raise ParameterError("handover", "one of " + ", ".join(h.name for h in self.handover),
                             name)

    def vonpeter(self) -> dict[str, Any]:
        """The selected equilibrium's allocation (JSON key ``vonpeter``)."""
        a = self.selected
        return {"kind": a.kind.value, "selection": self.scenario.selection,
                "tau": self.scenario.tau, "delta": a.delta,
                "fundamental_delta": self.fundamental_delta, "regime": a.regime,
                "loan_losses": a.loan_losses,
                "fundamental_loan_losses": self.fundamental_loan_losses,
                "bank_capital_t": a.bank_capital_t,
                "credit": a.credit, "asset_value": self.asset_value,
                "loan_rate": a.loan_rate if math.isfinite(a.loan_rate) else None,
                "p_t": a.p_t, "p_next": a.p_next, "depositor_losses": a.depositor_losses,
                "stable": a.stable, "self_fulfilling": a.self_fulfilling,
                "delta_star": self.delta_star, "tau_star": self.tau_star,
                "fiscal_cost": self.fiscal_cost,
                "banking_policies": [s.to_dict() for s in self.scenario.banking_policies],
                "equilibria": [e.point() for e in self.equilibria]}

    @property
    def asset_value(self) -> float:
        """Bank loans qH before the bust (share of y)."""
        p = self.params
        return float(closed.asset_value(p.a, p.R, np.asarray(p.y, dtype=np.float64)))

    def summary(self) -> dict[str, Any]:
        """The path in a few numbers (JSON key ``summary``).

        ``years_at_floor`` counts every year at the floor, ``floor_spell`` is the first spell
        (first, last t); ``repair_end`` the first t at which borrowers' debt is at or below the
        target (``repair_years`` = repair_end + 1); ``cumulative_loss`` the output lost over the
        repair, minus the sum of the output gap over t = 0..repair_end (the whole horizon when
        the repair does not end), in years of output; ``cumulative_gap_horizon`` the sum of the
        gap over the horizon; ``mean_gap_repair`` and ``mean_inflation_repair`` averages over
        the repair; ``government_debt_end`` at the last period.
        """
        ar = self.path.arrays
        gap = np.asarray(ar["output_gap"])
        spell = self.path.spell
        end = self.path.repair_end
        first = self.preset.first_year
        upto = gap.size if end is None else end + 1
        return {
            "first_year": first,
            "outcome": self.selected.kind.value,
            "years_at_floor": int(np.count_nonzero(ar["at_bound"])),
            "floor_spell": None if spell is None else [int(spell[0]), int(spell[1])],
            "floor_spell_years": 0 if spell is None else int(spell[1] - spell[0] + 1),
            "repair_end": end,
            "repair_years": None if end is None else int(end + 1),
            "trough_gap": float(gap.min()),
            "trough_year": int(np.argmin(gap)),
            "cumulative_loss": float(-gap[:upto].sum()),
            "cumulative_gap_horizon": float(gap.sum()),
            "mean_gap_repair": float(gap[:upto].mean()),
            "mean_inflation_repair": float(np.asarray(ar["inflation"])[:upto].mean()),
            "government_debt_end": float(ar["government_debt"][-1]),
            "government_debt_peak": float(np.max(ar["government_debt"])),
            "borrower_debt_start": float(ar["borrower_debt"][0]),
            "periods": int(self.path.periods),
        }

    @property
    def preset(self) -> KooPreset:
        return self.scenario.preset()

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``vonpeter``, ``handover``, ``path``, ``summary``."""
        return {"vonpeter": self.vonpeter(),
                "handover": [h.to_dict() for h in self.handover],
                "path": path_records(self.path), "summary": self.summary()}


# --------------------------------------------------------------------------- the chain


def _banking_stage(s: Scenario, params: Params) -> tuple[Params, list[Allocation], Allocation,
                                                         float, float, float]:
    """(parameters in force, equilibria, the fundamental allocation (decline and loan losses
    without the capital constraint), delta*, tau*, fiscal cost) with the banking policies (a
    pre-emptive tightening changes R)."""
    if not s.banking_policies:
        als = allocations(params, s.tau)
        fund = allocations(params, s.tau, forbearance=True)[0]
        th = thresholds(params)
        return params, als, fund, float(th.delta_star), float(th.tau_star), 0.0
    from bsrlab.models.vonpeter.lab import BankingInputs, evaluate
    from bsrlab.policies.banking import BankingContext

    ctx = BankingContext(params, float(s.tau))
    inputs = BankingInputs()
    for spec in s.banking_policies:
        inputs = spec.make("banking").apply(inputs, ctx)
    names = "+".join(spec.name for spec in s.banking_policies)
    out = evaluate(params, s.tau, inputs, policy=names)
    if not out.allocations:
        raise ParameterError("banking.policies", "policies whose allocation the model computes",
                             names)
    p = out.params
    ratio = inputs.capital_ratio
    req = inputs.requirement if ratio is None else ratio
    fund = allocations(p, s.tau, injection=inputs.injection, funding=inputs.funding,
                       rate=inputs.rate, capital_ratio=ratio, requirement=req,
                       forbearance=True)[0]
    return (p, list(out.allocations), fund, float(out.delta_star), float(out.tau_star),
            float(out.fiscal_cost))


def run_chain(scenario: Scenario) -> ChainResult:
    """Run the chain: the bust, the hand-over maps, the Koo path at the zero bound.

    Raises
    ------
    ParameterError
        For inputs out of range, or a hand-over that leaves the Koo economy without a steady
        state (the message gives the mapped values).
    ConvergenceError
        When the Koo path cannot be solved or is not admissible; the message gives the mapped
        values and the solver's diagnostics.
    """
    if not isinstance(scenario, Scenario):
        raise ParameterError("scenario", "a Scenario", type(scenario).__name__)
    s = scenario
    params, als, fund, ds, ts, cost = _banking_stage(s, s.vonpeter_params())
    delta_f, lam_f = float(fund.delta), float(fund.loan_losses)
    sel = select_equilibrium(als, s.selection)
    qH = float(closed.asset_value(params.a, params.R, 1.0))
    pre = s.preset()
    kp, debt = s.koo_economy(), pre.debt
    dh = float(debt.debt_high)
    hand: list[Handover] = [
        Handover("collateral_decline", delta_f, "fundamental decline delta_f: the permanent "
                 "loss of collateral value"),
        Handover("selected_decline", sel.delta, f"decline in the selected equilibrium "
                 f"({sel.kind.text})"),
    ]
    if s.collateral:
        debt = dataclasses.replace(debt, debt_low=debt_target(dh, delta_f))
    hand.append(Handover("debt_low", float(debt.debt_low), "borrowers' debt target, share of "
                         "pre-bust output: debt_high (1 - delta_f) (map a)"
                         + ("" if s.collateral else "; map off: the preset's")))
    c = credit_supply(sel.delta, delta_f) if s.credit_supply else 1.0
    hand.append(Handover("credit_supply", c, "credit granted relative to the fundamental "
                         "equilibrium, (1 - delta_sel)/(1 - delta_f) (map b)"))
    debt, kp = forced_repair(debt, kp, c, cap=s.repair_share_cap)
    if kp.repair_rule == "cash-flow":
        hand.append(Handover("repair_share", float(kp.repair_share), "share of borrowers' "
                             "income used for repayment (map b: rho/c, at most the cap)"))
    else:
        hand.append(Handover("repair_years", 1 if debt.kind is PathKind.ONE_OFF
                             else int(debt.years), "years of the debt-limit path (map b: "
                             "ceil(years c), no faster than the cap; one-off when c = 0 and "
                             "the cap allows it)"))
    lam = float(sel.loan_losses)
    crisis = sel.kind is EquilibriumKind.BANKING_CRISIS
    lam_w = losses_written_off(lam, lam_f, crisis=crisis) if s.loan_losses else 0.0
    gov = min(lam_w, cost)
    wd = loan_loss_writedown(lam_w, qH, government=gov) if s.loan_losses else ()
    share = min(1.0, lam_w / qH)
    share_gov = min(share, gov / qH)
    hand += [
        Handover("loan_losses", lam, "non-performing loans lambda of the selected equilibrium, "
                 "share of pre-bust output"),
        Handover("fundamental_loan_losses", lam_f, "loan losses at the fundamental decline "
                 "delta_f (the permanent loss), share of pre-bust output"),
        Handover("losses_written_off", lam_w, "loan losses written off the borrowers' debt "
                 "(map c): lambda, or in a banking crisis min(lambda, the loss at delta_f)"
                 + ("" if s.loan_losses else "; map off: none")),
        Handover("fire_sale_losses", lam - lam_w if s.loan_losses else 0.0,
                 "losses left with the banks, not written off: a crisis's fire sale at "
                 "q_t = 0 beyond the permanent loss"),
        Handover("asset_value", qH, "bank loans qH before the bust, share of pre-bust output"),
        Handover("write_down_share", share, "share of borrowers' old debt written off at t = 0, "
                 "losses_written_off/qH (map c)"),
        Handover("write_down_government", share_gov,
                 "part of it paid by the government (a recapitalisation's cost), share of the "
                 "old debt; the rest is borne by creditors"),
        Handover("written_off", share * dh, "old debt written off at t = 0, share of pre-bust "
                 "output, all of it (savers lose it less the government's part)"),
    ]
    koo_pols = tuple(spec.make(_family(spec.name, _KOO_FAMILIES)) for spec in s.koo_policies)
    pols = (*wd, *pre.policies(cast(Any, s.koo_scenario)), *koo_pols)
    T = s.horizon()
    shown = "; ".join(f"{h.name} = {h.value:.4g}" for h in hand)
    try:
        path = solve_koo(kp, debt, pols, periods=T)
    except ConvergenceError as exc:
        hint = ""
        if c < 1.0 and str(exc).startswith("natural rate"):
            hint = (f"; the repair the credit supply c = {c:.3g} forces may be faster than this "
                    f"economy can take: lower maps.repair_share_cap (now "
                    f"{s.repair_share_cap:g})")
        raise ConvergenceError(f"scenario '{s.name}': the Koo path after the hand-over "
                               f"({shown}) failed: {str(exc).split(' [')[0]}{hint}",
                               exc.diagnostics) from None
    except ParameterError as exc:
        raise ParameterError(exc.name, exc.admissible, exc.value,
                             f"in scenario '{s.name}' after the hand-over: {shown}") from None
    return ChainResult(scenario=s, params=params, equilibria=tuple(als), selected=sel,
                       fundamental_delta=delta_f, fundamental_loan_losses=lam_f,
                       delta_star=ds, tau_star=ts,
                       fiscal_cost=cost, handover=tuple(hand), koo_params=kp, debt=debt,
                       policies=tuple(pols), path=path)
