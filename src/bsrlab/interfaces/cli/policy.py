"""``bsrlab policy ...`` and ``bsrlab shocks``: the von Peter policy lab from the command line.

Subcommands of ``policy``: ``recapitalise``, ``capital-requirement``, ``rate-cut`` and
``compare`` (every registered banking policy, :mod:`bsrlab.policies.banking`). ``bsrlab shocks``
hits the economy with a sequence of shocks (:mod:`bsrlab.models.vonpeter.shocks`). Each prints
``--format table`` for people, ``json`` with the fixed keys of ``docs/vonpeter-policy-lab.md``
or ``csv`` with the same names as a header row.
"""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    AlphaOpt,
    BetaOpt,
    FormatOpt,
    GammaOpt,
    ROpt,
    TausOpt,
    YOpt,
    choice,
    emit,
    format_table,
    output_format,
    real,
    real_list,
    vonpeter_params,
)

if TYPE_CHECKING:
    from bsrlab.models.vonpeter import Params

__all__ = ["policy"]

policy = typer.Typer(
    help="The von Peter policy lab: recapitalisation, capital requirements, a timely rate cut "
         "and a comparison of every banking policy.",
    no_args_is_help=True,
)
app.add_typer(policy, name="policy")

TauOpt = TausOpt


def _params(alpha: str, beta: str | None, R: str | None, gamma: str, y: str) -> "Params":
    return vonpeter_params(alpha, beta, R, gamma, y)


def _header(p: "Params") -> str:
    y: Any = p.y
    return (f"alpha = {float(p.a):g}, R = {float(p.R):.6g}, gamma = {float(p.g):g}, "
            f"y = {float(y):g}")


def _label(key: str) -> str:
    """The column label of ``key`` from the family's vocabularies (policy lab first), with the
    symbol where the label does not show it."""
    from bsrlab.models.vonpeter.outputs import VOCABULARY
    from bsrlab.models.vonpeter.policy_outputs import POLICY_VOCABULARY

    spec = POLICY_VOCABULARY.get(key) or VOCABULARY[key]
    if spec.symbol and spec.symbol not in spec.label and len(spec.symbol) <= 6:
        return f"{spec.label} ({spec.symbol})"
    return spec.label


def _labels(*keys: str) -> list[str]:
    return [_label(k) for k in keys]


def _pct(x: Any, digits: int = 3) -> str:
    return "" if x is None else f"{100 * float(x):.{digits}f} %"


def _num(x: Any, digits: int = 4) -> str:
    return "" if x is None else f"{float(x):.{digits}f}"


def _eq_text(eqs: list[dict[str, Any]]) -> str:
    return ", ".join(f"{e['kind'].replace('_', ' ')} at {_pct(e['delta'], 2)}"
                     + (" (self-fulfilling)" if e["self_fulfilling"] else "") for e in eqs)


@policy.command("recapitalise")
def recapitalise_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    tau: TauOpt,
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    funding: Annotated[str, typer.Option(
        "--funding", metavar="[none|tax|deposits]",
        help="Who pays: none (reserves credited to the banks), tax (households at t) or "
             "deposits (deposits converted into bank equity).")] = "none",
    injection: Annotated[str | None, typer.Option(
        "--injection", metavar="FLOAT",
        help="Capital injected at t, units of y (default: 1% above the minimum).")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Recapitalise the banks at t: the minimum injection and the equilibria that remain.

    JSON: tau, delta, delta_star, minimum_injection, delta_star_after, equilibria_after (as in
    ``bsrlab equilibria``), funding, injection, fiscal_cost; a list for a list of shocks.
    """
    from bsrlab.models.vonpeter.policy import FUNDINGS
    from bsrlab.policies.banking import recapitalise_record

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y)
    fund = choice("funding", funding, FUNDINGS)
    x = None if injection is None else real("injection", injection)
    taus = real_list("tau", tau)
    recs = [recapitalise_record(p, t, funding=fund, injection=x) for t in taus]

    def table() -> str:
        rows = [[f"{r['tau']:g}", _pct(r["delta"]), _pct(r["delta_star"]),
                 _num(r["minimum_injection"]), _num(r["injection"]),
                 _pct(r["delta_star_after"]), _eq_text(r["equilibria_after"])] for r in recs]
        return format_table(rows, _labels("tau", "delta", "delta_star", "minimum_injection",
                                          "injection", "delta_star_after", "equilibria_after"),
                            title=f"{_header(p)}; funding: {fund}", align="rrrrrrl")

    emit(out, recs[0] if len(recs) == 1 and "," not in tau else recs, records=lambda: recs,
         table=table)


@policy.command("capital-requirement")
def capital_requirement_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    kappa: Annotated[str, typer.Option(
        "--kappa", metavar="FLOAT[,FLOAT...]",
        help="The capital requirement, or a comma-separated list.")],
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    variant: Annotated[str, typer.Option(
        "--variant", metavar="[fixed-capital|ratio]",
        help="fixed-capital: the paper's bank capital with requirement kappa; ratio: banks "
             "hold and keep capital ratio kappa.")] = "fixed-capital",
    fmt: FormatOpt = "table",
) -> None:
    """The crunch decline and shock under a capital requirement kappa (both variants).

    JSON: kappa, delta_star, tau_star, credit_multiplier (1/kappa); a list for a list.
    """
    from bsrlab.policies.banking import VARIANTS, capital_requirement_records

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y)
    var = choice("variant", variant, VARIANTS)
    ks = real_list("kappa", kappa)
    recs = capital_requirement_records(p, ks, variant=var)

    def table() -> str:
        rows = [[_pct(r["kappa"], 2), _pct(r["delta_star"]), _pct(r["tau_star"]),
                 f"{r['credit_multiplier']:.2f}"] for r in recs]
        return format_table(rows, _labels("kappa", "delta_star", "tau_star",
                                          "credit_multiplier"),
                            title=f"{_header(p)}; variant: {var}")

    emit(out, recs[0] if len(recs) == 1 and "," not in kappa else recs, records=lambda: recs,
         table=table)


@policy.command("rate-cut")
def rate_cut_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    tau: TauOpt,
    rate: Annotated[str, typer.Option(
        "--rate", metavar="FLOAT", help="The gross policy rate R_t at t, 1 <= R_t <= R.")],
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """A timely rate cut R_t < R at t (one period): the outcome and the largest shock it keeps.

    JSON: tau, rate, delta, p_t, p_next, loan_losses, bank_capital_t, regime,
    largest_tau_kept_below_tau_star; a list for a list of shocks.
    """
    from bsrlab.policies.banking import rate_cut_records

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y)
    rt = real("rate", rate)
    taus = real_list("tau", tau)
    recs = rate_cut_records(p, taus, rt)

    def table() -> str:
        rows = [[f"{r['tau']:g}", _pct(r["delta"]), _num(r["p_t"]), _num(r["p_next"]),
                 _num(r["loan_losses"]), _num(r["bank_capital_t"]),
                 r["regime"].replace("_", " ")] for r in recs]
        ts = recs[0]["largest_tau_kept_below_tau_star"]
        return (format_table(rows, _labels("tau", "delta", "p_t", "p_next", "loan_losses",
                                           "bank_capital_t", "regime"),
                             title=f"{_header(p)}; policy rate at t: R_t = {rt:g}",
                             align="rrrrrrl")
                + f"\nthe cut keeps the fundamental equilibrium up to tau = {_pct(ts)}")

    emit(out, recs[0] if len(recs) == 1 and "," not in tau else recs, records=lambda: recs,
         table=table)


@policy.command("compare")
def compare_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    tau: Annotated[str, typer.Option("--tau", metavar="FLOAT",
                                     help="Shock 0 <= tau <= 1.")],
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """Every banking policy of the registry (default options) at one shock, against none.

    JSON: one object per policy: policy, equilibria (that remain), outcome (selected: the
    fundamental equilibrium if it exists), delta, output, loan_losses, fiscal_cost, delta_star,
    tau_star, bank_capital_t.
    """
    from bsrlab.policies.banking import compare

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y)
    t = real("tau", tau)
    recs = [o.to_dict() for o in compare(p, t)]

    def table() -> str:
        rows = [[r["policy"], (r["outcome"] or "not admissible").replace("_", " "),
                 _pct(r["delta"], 2),
                 _num(r["output"], 3), _num(r["loan_losses"]), _num(r["fiscal_cost"]),
                 _pct(r["delta_star"], 2), ", ".join(e["kind"].replace("_", " ")
                                                    for e in r["equilibria"])
                 or r.get("note", "")]
                for r in recs]
        return format_table(rows, _labels("policy", "outcome", "delta", "output",
                                          "loan_losses", "fiscal_cost", "delta_star",
                                          "equilibria"),
                            title=f"{_header(p)}, tau = {t:g}", align="llrrrrrl")

    emit(out, recs, records=lambda: [{**r, "equilibria": ";".join(
        e["kind"] for e in r["equilibria"])} for r in recs], table=table)


@app.command("shocks")
def shocks_cmd(
    alpha: AlphaOpt,
    gamma: GammaOpt,
    taus: Annotated[str, typer.Option(
        "--taus", metavar="FLOAT,FLOAT,...", help="The shocks, one per period.")],
    beta: BetaOpt = None,
    R: ROpt = None,
    y: YOpt = "1.0",
    payout: Annotated[str, typer.Option(
        "--payout", metavar="FLOAT",
        help="Share of normal bank profits paid out between shocks (0..1; the rest rebuilds "
             "capital; the paper: 1).")] = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """A sequence of shocks with state-dependent thresholds (capital carried between shocks).

    JSON: one object per shock: tau, delta, bank_capital, delta_star, tau_star, regime (plus
    capital_ratio, delta_div, tau_div of the state the shock met).
    """
    from bsrlab.models.vonpeter.shocks import shock_path

    out = output_format(fmt)
    p = _params(alpha, beta, R, gamma, y)
    ts = real_list("taus", taus)
    path = shock_path(p, ts, payout=real("payout", payout))
    recs = path.records()

    def table() -> str:
        rows = [[str(i + 1), f"{r['tau']:g}", _pct(r["capital_ratio"], 2),
                 _pct(r["delta_star"]), _pct(r["tau_star"]), _pct(r["delta"]),
                 _num(r["bank_capital"]), r["regime"].replace("_", " ")]
                for i, r in enumerate(recs)]
        return format_table(rows, ["shock", *_labels("tau", "capital_ratio", "delta_star",
                                                     "tau_star", "delta", "bank_capital",
                                                     "regime")],
                            title=f"{_header(p)}; payout {path.payout:g}", align="rrrrrrrl")

    emit(out, recs, table=table)
