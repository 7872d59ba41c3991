"""``bsrlab solve | thresholds | equilibria``: the von Peter (2004) model from the command line.

Row and column labels and number formats come from the model's output vocabulary
(:mod:`bsrlab.models.vonpeter.outputs`); JSON and CSV use its machine names.
"""

from typing import TYPE_CHECKING, Any

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    AlphaOpt,
    BetaOpt,
    FormatOpt,
    GammaOpt,
    HOpt,
    ROpt,
    TausOpt,
    YOpt,
    emit,
    format_table,
    output_format,
    real_list,
    vonpeter_params,
)

if TYPE_CHECKING:
    from bsrlab.models.vonpeter import Params

def _params(alpha: str, beta: str | None, R: str | None, gamma: str, y: str, H: str) -> "Params":
    return vonpeter_params(alpha, beta, R, gamma, y, H)


def _vocab() -> Any:
    from bsrlab.models.vonpeter.outputs import VOCABULARY

    return VOCABULARY


def _f(x: Any) -> float:
    return float(x)


def _header(p: "Params") -> str:
    return (f"alpha = {_f(p.a):g}, beta = {_f(p.beta):g} (R = {_f(p.R):.6g}), "
            f"gamma = {_f(p.g):g}, y = {_f(p.y):g}, H = {_f(p.H):g}")


@app.command("solve")
def solve_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    tau: TausOpt,
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    H: HOpt = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """The equilibrium after a permanent productivity shock tau (Propositions 2 and 3).

    JSON: one object for one shock, a list for a comma-separated list. CSV: a column tau, then
    one column per output.
    """
    from bsrlab.models.vonpeter import OUTPUT_KEYS, solve

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y, H)
    taus = real_list("tau", tau)
    # one shock is solved as a scalar: the same bits as solve(p, tau) in Python
    sol = solve(p, taus[0] if len(taus) == 1 else taus)
    records = sol.records()
    V = _vocab()

    def table() -> str:
        headers = ["output", *[f"tau = {t:g}" for t in taus]]
        rows = [[V[k].label, *[V[k].format(r[k]) for r in records]] for k in OUTPUT_KEYS]
        rows.append([V["regime"].label, *[r["regime"] for r in records]])
        return (format_table(rows, headers, title=_header(p)) + "\n"
                f"solver: converged={sol.converged}, Newton iterations={sol.iterations}, "
                f"largest residual={sol.max_residual:.2e}; values in units of p0 = 1")

    emit(out, records[0] if len(records) == 1 and "," not in tau else records,
         records=lambda: [{"tau": t, **r} for t, r in zip(taus, records, strict=True)],
         table=table)


@app.command("thresholds")
def thresholds_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    H: HOpt = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """The crisis thresholds delta_i and tau_i (Appendix 2, eqs. 28 and 33)."""
    from bsrlab.models.vonpeter import thresholds

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y, H)
    th = thresholds(p)
    d = th.to_dict()
    V = _vocab()

    def table() -> str:
        pairs = [("delta_0", "tau_0"), ("delta_div", "tau_div"), ("delta_star", "tau_star"),
                 ("delta_K", "tau_K")]
        rows = [[V[dk].label, f"{V[dk].symbol} / {V[tk].symbol}", V[dk].format(d[dk]),
                 V[tk].format(d[tk])] for dk, tk in pairs]
        return (format_table(rows, ["threshold", "symbols", "decline δ_i", "shock τ_i"],
                             title=_header(p), align="llrr") + "\n"
                f"delta_0 by Newton: {th.delta_0_iterations} iterations, "
                f"residual {th.delta_0_residual:.2e}")

    emit(out, d, table=table)


@app.command("equilibria")
def equilibria_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    tau: TausOpt,
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    H: HOpt = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """All equilibria under the bank capital constraint (Proposition 4).

    JSON: for one shock the list of equilibria; for a comma-separated list of shocks a list of
    {"tau": t, "equilibria": [...]}. CSV: one row per equilibrium, with a column tau.
    """
    from bsrlab.models.vonpeter import EquilibriumKind, equilibria

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y, H)
    taus = real_list("tau", tau)
    per_tau = [(t, [e.to_dict() for e in equilibria(p, t)]) for t in taus]
    single = len(taus) == 1 and "," not in tau
    data: Any = (per_tau[0][1] if single
                 else [{"tau": t, "equilibria": eqs} for t, eqs in per_tau])
    V = _vocab()
    Rv = _f(p.R)

    def rate(d: dict[str, Any]) -> str:
        if d["loan_rate"] is None:
            return "infinite"
        net, spread = 100 * (d["loan_rate"] - 1), 100 * (d["loan_rate"] - Rv)
        return f"{net:.3f} % (spread {spread:+.3f} pp)"

    def table() -> str:
        blocks = []
        for t, eqs in per_tau:
            rows = [[EquilibriumKind(d["kind"]).text, V["delta"].format(d["delta"]), rate(d),
                     V["stable"].format(d["stable"]), V["self_fulfilling"].format(
                         d["self_fulfilling"])] for d in eqs]
            blocks.append(format_table(
                rows, [V["kind"].label, "decline δ", "net loan rate R_t - 1",
                       V["stable"].label, V["self_fulfilling"].label],
                title=f"{_header(p)}, tau = {t:g}", align="lrrll"))
        return "\n\n".join(blocks)

    emit(out, data, records=lambda: [{"tau": t, **d} for t, eqs in per_tau for d in eqs],
         table=table)
