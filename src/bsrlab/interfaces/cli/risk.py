"""``bsrlab risk --config FILE``: the probability of each loss regime and of a banking crisis.

The configuration (TOML) gives distributions over the parameters and the shock; see
:mod:`bsrlab.scale.risk` for the syntax and the methods. JSON keys: ``probabilities``,
``standard_errors`` (``firms_absorb``, ``dividends_absorb``, ``capital_absorbs``,
``insolvent``, ``fundamental_crisis``), ``method`` and ``points``.
"""

from typing import Annotated

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import choice, echo_json, format_table

ConfigOpt = Annotated[str, typer.Option(
    "--config", metavar="FILE", help="TOML file: [parameters], [shock], [correlations], "
    "[method] (see docs/scale.md).")]
FormatOpt = Annotated[str, typer.Option("--format", metavar="[table|json]",
                                        help="table (for people) or json.")]

_LABELS = {
    "firms_absorb": "firms absorb the losses (tau < tau_0)",
    "dividends_absorb": "bank dividends absorb (tau_0 <= tau < tau_Div)",
    "capital_absorbs": "bank capital absorbs (tau_Div <= tau < tau_K)",
    "insolvent": "banks insolvent, depositors lose (tau >= tau_K)",
    "fundamental_crisis": "fundamental banking crisis (tau > tau*)",
}


@app.command("risk")
def risk_cmd(config: ConfigOpt, fmt: FormatOpt = "table") -> None:
    """Crisis probabilities under uncertain parameters and shock (Propositions 3 and 4)."""
    out = choice("format", fmt, ("table", "json"))
    from bsrlab.core.fileio import load_toml
    from bsrlab.scale.risk import PROBABILITY_KEYS, RiskConfig, risk

    res = risk(RiskConfig.from_dict(load_toml(config)))
    if out == "json":
        echo_json(res.to_dict())
        return
    rows = [[_LABELS[k], f"{100 * res.probabilities[k]:.4f} %",
             f"{100 * res.standard_errors[k]:.2e} %"] for k in PROBABILITY_KEYS]
    typer.echo(format_table(rows, ["event", "probability", "standard error"],
                            title=f"risk: {config}", align="lrr"))
    typer.echo(f"method: {res.method} over {res.points} points: {res.reason}")
