"""The paper's figures: each runs, and the numbers it draws agree with the model."""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.patches import Rectangle

from bsrlab.core.errors import ParameterError
from bsrlab.presentation.figures import (
    FIGURES,
    fig2_outcomes,
    fig4_repayment,
    fig5_balance_sheets,
    fig6_t_accounts,
    fig7_financial_extremes,
    fig8_instability,
    fig9_frontier,
)
from bsrlab.presentation.figures.vonpeter import instability_start
from bsrlab.vonpeter import (
    Params,
    admissible_lending,
    instability_path,
    solve,
    steady_state,
    t_accounts,
    thresholds,
)

R = 1.05
P = Params(alpha=0.5, beta=1 / R, gamma=0.1)
P0 = Params(alpha=0.5, beta=1 / R, gamma=0.0)
CALIBRATIONS = [P, P0, Params(alpha=0.3, beta=0.97, gamma=0.4)]


def curve(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["element"] == "curve"].reset_index(drop=True)


def marker(df: pd.DataFrame, name: str) -> pd.Series:
    rows = df[df["element"] == name]
    assert len(rows) == 1, name
    return rows.iloc[0]


@pytest.mark.parametrize("name", list(FIGURES))
@pytest.mark.parametrize("params", CALIBRATIONS, ids=["default", "gamma0", "other"])
def test_each_figure_runs_and_returns_figure_and_data(name: str, params: Params) -> None:
    before = dict(mpl.rcParams)
    fig, data = FIGURES[name](params)
    assert isinstance(fig, Figure)
    assert isinstance(data, pd.DataFrame)
    assert data.columns[0] == "element"
    assert len(data) > 0
    num = data.select_dtypes("number")
    assert np.isfinite(num.to_numpy(dtype=float)[~num.isna().to_numpy()]).all()
    assert dict(mpl.rcParams) == before  # styling does not leak into global settings


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_render_at_900_pixels(name: str) -> None:
    fig, _ = FIGURES[name](P)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    img = imread(io.BytesIO(buf.getvalue()))
    assert img.shape[1] == 900
    # not blank: a good share of the pixels is not white
    assert (img[..., :3].mean(axis=2) < 0.9).mean() > 0.01


def test_scalar_parameters_required() -> None:
    with pytest.raises(ParameterError, match="scalar"):
        fig2_outcomes(Params(alpha=[0.4, 0.5], beta=1 / R))


# ---- Figure 2 ------------------------------------------------------------------------------

@pytest.mark.parametrize("params", CALIBRATIONS, ids=["default", "gamma0", "other"])
def test_fig2_outcomes_follow_the_model(params: Params) -> None:
    _, data = fig2_outcomes(params)
    th = thresholds(params)
    c = curve(data)
    sol = solve(params, c["tau"].to_numpy())
    np.testing.assert_allclose(c["delta_fundamental"], sol.delta, rtol=0, atol=1e-13)
    beyond = c["tau"] > float(th.tau_star)
    assert (c.loc[beyond, "delta_constrained"] == 1.0).all()
    np.testing.assert_array_equal(c.loc[~beyond, "delta_constrained"],
                                  c.loc[~beyond, "delta_fundamental"])
    K = float(steady_state(params).bank_capital)
    np.testing.assert_allclose(c["bank_capital_ratio"], sol.bank_capital_t / K, atol=1e-13)
    for name, key in (("tau_div", "tau_div"), ("tau_star", "tau_star"), ("tau_K", "tau_K")):
        assert marker(data, name)["tau"] == pytest.approx(float(getattr(th, key)), abs=1e-15)
    # the ranges change exactly at tau_Div and tau_K
    assert set(c.loc[c["tau"] < float(th.tau_div), "range"]) == {"wealth effects"}
    assert set(c.loc[c["tau"] >= float(th.tau_K), "range"]) == {"banking crisis"}


# ---- Figure 4 ------------------------------------------------------------------------------

def test_fig4_payoffs_and_default_point() -> None:
    _, data = fig4_repayment(P)
    ss = steady_state(P)
    qH, Pi, K = float(ss.asset_value), float(ss.firm_profits), float(ss.bank_capital)
    c = curve(data)
    x = c["receipts"].to_numpy()
    np.testing.assert_allclose(c["loan_losses"], np.maximum(R * qH - x, 0), atol=1e-12)
    np.testing.assert_allclose(c["firm_profits"], np.maximum(x - R * qH, 0), atol=1e-12)
    np.testing.assert_allclose(c["repayment"] + c["loan_losses"], R * qH, atol=1e-12)
    assert marker(data, "default_point")["receipts"] == pytest.approx(R * qH, rel=1e-14)
    st = marker(data, "steady_state")
    assert st["receipts"] == pytest.approx(1.0 + qH, rel=1e-14)
    assert st["firm_profits"] == pytest.approx(Pi, rel=1e-14)
    assert marker(data, "capital_limit")["loan_losses"] == pytest.approx(R * K, rel=1e-14)


def test_fig4_curve_agrees_with_the_solved_equilibrium() -> None:
    _, data = fig4_repayment(P)
    c = curve(data)
    th = thresholds(P)
    taus = np.linspace(float(th.tau_0), float(th.tau_K), 7)
    sol = solve(P, taus)
    receipts = sol.p_t * 1.0 + sol.asset_value_t
    np.testing.assert_allclose(np.interp(receipts, c["receipts"], c["loan_losses"]),
                               sol.loan_losses, atol=1e-10)
    np.testing.assert_allclose(np.interp(receipts, c["receipts"], c["firm_profits"]),
                               sol.firm_profits_t, atol=1e-10)


# ---- Figure 5 ------------------------------------------------------------------------------

@pytest.mark.parametrize("params", CALIBRATIONS, ids=["default", "gamma0", "other"])
def test_fig5_shading_boundaries_are_the_thresholds(params: Params) -> None:
    fig, data = fig5_balance_sheets(params)
    th = thresholds(params)
    expected = [0.0, float(th.tau_0), float(th.tau_div), float(th.tau_K)]
    bands = sorted((p for p in fig.axes[0].patches if isinstance(p, Rectangle)),
                   key=lambda r: r.get_x())
    assert len(bands) == 4
    lefts = [b.get_x() / 100 for b in bands]
    rights = [(b.get_x() + b.get_width()) / 100 for b in bands]
    np.testing.assert_allclose(lefts, expected, atol=1e-14)
    np.testing.assert_allclose(rights[:3], expected[1:], atol=1e-14)
    for name, t in zip(("tau_0", "tau_div", "tau_K"), expected[1:], strict=True):
        assert marker(data, name)["tau"] == pytest.approx(t, abs=1e-15)


def test_fig5_losses_and_ranges_follow_the_model() -> None:
    _, data = fig5_balance_sheets(P)
    c = curve(data)
    sol = solve(P, c["tau"].to_numpy())
    np.testing.assert_allclose(c["total_losses"], sol.total_losses, atol=1e-13)
    np.testing.assert_allclose(c["loan_losses"], sol.loan_losses, atol=1e-13)
    names = ["firms absorb", "bank dividends absorb", "bank capital absorbs", "depositors lose"]
    # the range drawn agrees with the solver's regime, away from the boundaries themselves
    th = thresholds(P)
    edges = np.array([float(th.tau_0), float(th.tau_div), float(th.tau_K)])
    away = np.min(np.abs(c["tau"].to_numpy()[:, None] - edges[None, :]), axis=1) > 1e-9
    drawn = c.loc[away, "range"].to_numpy()
    model = np.array(names)[sol.regime[away]]
    np.testing.assert_array_equal(drawn, model)
    ss = steady_state(P)
    m = marker(data, "tau_0")
    assert m["total_losses"] == pytest.approx(float(ss.firm_profits), rel=1e-9)
    assert marker(data, "tau_K")["loan_losses"] == pytest.approx(
        R * float(ss.bank_capital), rel=1e-9)


# ---- Figure 6 ------------------------------------------------------------------------------

@pytest.mark.parametrize("tau", [None, 0.01, 0.049, 0.2])
def test_fig6_t_accounts_balance(tau: float | None) -> None:
    _, data = fig6_t_accounts(P, tau)
    assert list(dict.fromkeys(data["stage"])) == ["t-", "t", "t+"]
    for stage, rows in data.groupby("stage"):
        assets = rows.loc[rows["side"] == "assets", "value"].sum()
        liab = rows.loc[rows["side"] == "liabilities", "value"].sum()
        assert assets == pytest.approx(liab, abs=1e-10), stage
    t = float(data["tau"].iloc[0])
    acc = t_accounts(P, t)
    plus = data[data["stage"] == "t+"]
    assert plus.loc[plus["side"] == "assets", "value"].sum() == pytest.approx(
        acc["t+"].total_assets, abs=1e-14)
    # t+: credit shrinks to q_t H
    assert plus.loc[plus["side"] == "assets", "value"].sum() == pytest.approx(
        float(solve(P, t).asset_value_t), abs=1e-12)


def test_fig6_default_shock_lies_where_capital_absorbs() -> None:
    _, data = fig6_t_accounts(P)
    th = thresholds(P)
    t = float(data["tau"].iloc[0])
    assert float(th.tau_div) < t < float(th.tau_K)


# ---- Figure 7 ------------------------------------------------------------------------------

@pytest.mark.parametrize("params", CALIBRATIONS, ids=["default", "gamma0", "other"])
def test_fig7_fixed_points_are_delta_star_and_one(params: Params) -> None:
    _, data = fig7_financial_extremes(params)
    th = thresholds(params)
    crunch = marker(data, "capital_crunch")
    crisis = marker(data, "banking_crisis")
    assert crunch["delta"] == pytest.approx(float(th.delta_star), abs=1e-15)
    assert crisis["delta"] == 1.0
    for m in (crunch, crisis):  # where credit demand meets admissible lending
        assert m["credit_demand"] == pytest.approx(m["admissible_lending"], abs=1e-12)
    c = curve(data)
    qH = float(steady_state(params).asset_value)
    np.testing.assert_allclose(c["admissible_lending"],
                               admissible_lending(params, c["delta"].to_numpy()) / qH,
                               atol=1e-13)
    np.testing.assert_allclose(c["credit_demand"], 1 - c["delta"], atol=1e-15)
    # no other crossing: demand exceeds lending strictly between the fixed points
    gap = c["credit_demand"] - c["admissible_lending"]
    inner = (c["delta"] > float(th.delta_star) + 1e-9) & (c["delta"] < 1 - 1e-9)
    assert (gap[inner] > 0).all()
    # below delta* lending exceeds demand (delta = 0 is the steady state, tau = 0's fundamental)
    below = (c["delta"] > 1e-9) & (c["delta"] < float(th.delta_star) - 1e-9)
    assert (gap[below] < 0).all()


# ---- Figure 8 ------------------------------------------------------------------------------

def test_fig8_cobweb_runs_from_past_delta_star_to_the_crisis() -> None:
    _, data = fig8_instability(P)
    th = thresholds(P)
    path = data[data["element"] == "path"].sort_values("round")
    start = instability_start(P)
    assert float(th.delta_star) < start < float(th.delta_K)
    assert path["delta"].iloc[0] == pytest.approx(start, abs=1e-15)
    assert path["delta"].iloc[-1] == 1.0
    assert np.all(np.diff(path["delta"]) >= 0)
    ref = instability_path(P, start, 0.0)
    np.testing.assert_allclose(path["delta"], ref.deltas, atol=0)
    # each next decline is the credit contraction the constraint requires
    np.testing.assert_allclose(path["contraction"].to_numpy()[:-1],
                               path["delta"].to_numpy()[1:], atol=1e-13)
    # the gap to delta* grows R/(R-1)-fold in the first round
    g0 = path["delta"].iloc[0] - float(th.delta_star)
    g1 = path["delta"].iloc[1] - float(th.delta_star)
    assert g1 / g0 == pytest.approx(R / (R - 1), rel=1e-8)
    assert marker(data, "capital_crunch")["delta"] == pytest.approx(float(th.delta_star))


def test_fig8_start_below_delta_star_stays_put() -> None:
    _, data = fig8_instability(P, start=0.01)
    path = data[data["element"] == "path"]
    assert path["delta"].max() < float(thresholds(P).delta_star)


# ---- Figure 9 ------------------------------------------------------------------------------

def test_fig9_paper_numbers() -> None:
    _, data = fig9_frontier(P)
    c = curve(data)
    g0 = c[c["gamma"] == 0.0]
    at = dict(zip(g0["alpha"], g0["delta_star"], strict=True))
    assert at[0.5] == pytest.approx(0.055, abs=1e-12)   # weak balance sheets: 5.5%
    assert at[0.25] == pytest.approx(0.16, abs=1e-12)   # strong balance sheets: 16%
    ex = data[data["element"] == "paper_example"].set_index("alpha")["delta_star"]
    assert round(100 * ex[0.5], 1) == 5.5
    assert round(100 * ex[0.25], 1) == 16.0


def test_fig9_curves_fall_with_alpha_and_gamma() -> None:
    _, data = fig9_frontier(P, gammas=[0.0, 0.2, 0.5])
    c = curve(data)
    assert sorted(set(c["gamma"])) == [0.0, 0.1, 0.2, 0.5]  # the calibration's gamma is added
    for _, g in c.groupby("gamma"):
        assert np.all(np.diff(g["delta_star"].to_numpy()) < 0)
    pivot = c.pivot_table(index="alpha", columns="gamma", values="delta_star")
    assert np.all(np.diff(pivot.to_numpy(), axis=1) < 0)
    cal = marker(data, "calibration")
    assert cal["delta_star"] == pytest.approx(float(thresholds(P).delta_star), abs=1e-15)
