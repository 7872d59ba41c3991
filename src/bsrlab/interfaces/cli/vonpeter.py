"""``bsrlab solve | thresholds | equilibria``: the von Peter (2004) model from the command line."""

from __future__ import annotations

from typing import Annotated

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import OutputFormat, echo_json, format_table, parse_float_list
from bsrlab.models.vonpeter import OUTPUT_KEYS, Params, equilibria, solve, thresholds

AlphaOpt = Annotated[
    float, typer.Option("--alpha", help="Output elasticity of assets, R-1 < alpha < 1.")]
BetaOpt = Annotated[
    float, typer.Option("--beta", help="Discount factor, 0 < beta < 1 (R = 1/beta).")]
GammaOpt = Annotated[float, typer.Option("--gamma", help="CRRA coefficient, 0 <= gamma < 1.")]
YOpt = Annotated[float, typer.Option("--y", help="Output y = f(H), y > 0.")]
HOpt = Annotated[float, typer.Option("--H", help="Asset stock H, H > 0.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table (for people) or json.")]

_LABELS = {
    "delta": ("asset price decline δ", "pct"),
    "p_t": ("price level p_t", "num"),
    "p_next": ("price level p_{t+1}", "num"),
    "s_t": ("household spending s_t", "num"),
    "s_next": ("household spending s_{t+1}", "num"),
    "asset_value_t": ("asset value = loans q_t H", "num"),
    "loan_losses": ("loan losses λ", "num"),
    "total_losses": ("total losses ω", "num"),
    "firm_profits_t": ("old firms' profits Π_t", "num"),
    "bank_capital_t": ("bank capital K_t", "num"),
    "bank_dividends_t": ("bank dividends Div_t", "num"),
    "deposits_t": ("deposits D_t", "num"),
    "depositor_losses": ("depositors' losses", "num"),
}


def _params(alpha: float, beta: float, gamma: float, y: float, H: float) -> Params:
    return Params(alpha=alpha, beta=beta, gamma=gamma, y=y, H=H)


def _pct(x: float) -> str:
    return f"{100.0 * x:.3f} %"


def _num(x: float) -> str:
    return f"{x:.6g}"


def _header(p: Params) -> str:
    return (f"alpha = {float(p.a):g}, beta = {float(p.beta):g} (R = {float(p.R):.6g}), "  # type: ignore[arg-type]
            f"gamma = {float(p.g):g}, y = {float(p.y):g}, H = {float(p.H):g}")  # type: ignore[arg-type]


@app.command("solve")
def solve_cmd(
    alpha: AlphaOpt,
    beta: BetaOpt,
    gamma: GammaOpt,
    tau: Annotated[
        str, typer.Option("--tau", help="Shock 0 <= tau <= 1, or a comma-separated list.")],
    y: YOpt = 1.0,
    H: HOpt = 1.0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The equilibrium after a permanent productivity shock tau (Propositions 2 and 3)."""
    p = _params(alpha, beta, gamma, y, H)
    taus = parse_float_list("tau", tau)
    sol = solve(p, taus)
    records = sol.records()
    if fmt is OutputFormat.json:
        echo_json(records[0] if len(records) == 1 and "," not in tau else records)
        return
    headers = ["output", *[f"tau = {t:g}" for t in taus]]
    rows = []
    for k in OUTPUT_KEYS:
        label, kind = _LABELS[k]
        conv = _pct if kind == "pct" else _num
        rows.append([label, *[conv(r[k]) for r in records]])
    rows.append(["who bears the losses (regime)", *[r["regime"] for r in records]])
    typer.echo(format_table(rows, headers, title=_header(p)))
    typer.echo(f"solver: converged={sol.converged}, Newton iterations={sol.iterations}, "
               f"largest residual={sol.max_residual:.2e}; values in units of p0 = 1")


@app.command("thresholds")
def thresholds_cmd(
    alpha: AlphaOpt,
    beta: BetaOpt,
    gamma: GammaOpt,
    y: YOpt = 1.0,
    H: HOpt = 1.0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """The crisis thresholds delta_i and tau_i (Appendix 2, eqs. 28 and 33)."""
    p = _params(alpha, beta, gamma, y, H)
    th = thresholds(p)
    d = th.to_dict()
    if fmt is OutputFormat.json:
        echo_json(d)
        return
    rows = [
        ["firms start to default", "delta_0 / tau_0", _pct(d["delta_0"]), _pct(d["tau_0"])],
        ["losses exceed bank profits", "delta_Div / tau_Div", _pct(d["delta_div"]),
         _pct(d["tau_div"])],
        ["capital crunch, instability", "delta* / tau*", _pct(d["delta_star"]),
         _pct(d["tau_star"])],
        ["bank capital is gone", "delta_K / tau_K", _pct(d["delta_K"]), _pct(d["tau_K"])],
    ]
    typer.echo(format_table(rows, ["threshold", "symbols", "decline δ_i", "shock τ_i"],
                            title=_header(p), align="llrr"))
    typer.echo(f"delta_0 by Newton: {th.delta_0_iterations} iterations, "
               f"residual {th.delta_0_residual:.2e}")


@app.command("equilibria")
def equilibria_cmd(
    alpha: AlphaOpt,
    beta: BetaOpt,
    gamma: GammaOpt,
    tau: Annotated[float, typer.Option("--tau", help="Shock 0 <= tau <= 1.")],
    y: YOpt = 1.0,
    H: HOpt = 1.0,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """All equilibria under the bank capital constraint (Proposition 4)."""
    p = _params(alpha, beta, gamma, y, H)
    eqs = equilibria(p, tau)
    if fmt is OutputFormat.json:
        echo_json([e.to_dict() for e in eqs])
        return
    R = float(p.R)
    rows = []
    for e in eqs:
        d = e.to_dict()
        if d["loan_rate"] is None:
            rate = "infinite"
        else:
            net, spread = 100 * (d["loan_rate"] - 1), 100 * (d["loan_rate"] - R)
            rate = f"{net:.3f} % (spread {spread:+.3f} pp)"
        rows.append([d["kind"], _pct(d["delta"]), rate, "yes" if d["stable"] else "no",
                     "yes" if d["self_fulfilling"] else "no"])
    typer.echo(format_table(rows, ["equilibrium", "decline δ", "net loan rate R_t - 1",
                                   "stable", "self-fulfilling"],
                            title=f"{_header(p)}, tau = {tau:g}", align="lrrll"))
