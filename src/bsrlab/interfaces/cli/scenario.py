"""``bsrlab scenario``: the scenario chain from the command line.

Subcommands: ``run FILE.toml|PRESET`` (the bust in the von Peter model, the hand-over maps and
Koo's path at the zero bound; :func:`bsrlab.scenarios.chain.run_chain`), ``list`` (the chain
presets) and ``show PRESET`` (a preset's TOML, a starting point for a scenario file).

``run --format json`` prints the keys ``vonpeter`` (the selected equilibrium's allocation),
``handover`` (every mapped quantity: name, value, meaning), ``path`` (per period, the keys of
``bsrlab deleverage path --format json``) and ``summary``; ``--out DIR`` also writes a report
section with a figure of the chain.
"""

from pathlib import Path
from typing import Annotated, Any

import typer

from bsrlab.core.errors import ParameterError
from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import OutputFormat, choice, echo_json, format_table, out_dir

__all__ = ["scenario"]

scenario = typer.Typer(
    help="The scenario chain: an asset bust in the von Peter model handed to Koo's balance "
         "sheet recession (see docs/scenario-chain.md).",
    no_args_is_help=True,
)
app.add_typer(scenario, name="scenario")

FORMATS = ("table", "json")


def _load(target: str) -> Any:
    """A chain preset by name, or a scenario file (.toml)."""
    from bsrlab.scenarios.chain import Scenario, get_preset, preset_names

    if target in preset_names():
        return get_preset(target)
    path = Path(target)
    if path.suffix.lower() != ".toml" or not path.is_file():
        raise ParameterError("scenario", "a chain preset (" + ", ".join(preset_names())
                             + ") or an existing .toml file", target)
    return Scenario.from_toml(path)


def _pct(v: Any, digits: int = 2) -> str:
    return "n/a" if v is None else f"{100 * float(v):.{digits}f} %"


def _num(v: Any) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{v:.4f}"
    return str(v)


def _table(res: Any) -> str:
    s = res.scenario
    vp = res.vonpeter()
    summ = res.summary()
    first = summ["first_year"]
    vp_rows = [("shock tau", _pct(vp["tau"])), ("equilibrium selected", vp["kind"]),
               ("selection rule", vp["selection"]), ("decline delta", _pct(vp["delta"])),
               ("fundamental decline", _pct(vp["fundamental_delta"])),
               ("loss regime", vp["regime"]), ("loan losses (share of y)", _num(vp["loan_losses"])),
               ("bank capital at t", _num(vp["bank_capital_t"])),
               ("credit granted", _num(vp["credit"])), ("loans before the bust qH", _num(
                   vp["asset_value"])),
               ("crunch threshold delta*", _pct(vp["delta_star"])),
               ("crisis threshold tau*", _pct(vp["tau_star"]))]
    parts = [format_table(vp_rows, ["von Peter model", "value"],
                          title=f"{s.title or s.name}: the bust (y = 1)"), ""]
    rows = [(h.name, _num(h.value), h.meaning) for h in res.handover]
    parts += [format_table(rows, ["hand-over", "value", "meaning"], align="lrl",
                           title="The hand-over to Koo's model (shares of pre-bust output)"), ""]
    ar = res.path.arrays
    n = min(res.path.periods, max(12, (summ["repair_end"] or 0) + 4))
    cols = ("output_gap", "inflation", "policy_rate", "borrower_debt", "government_deficit",
            "government_debt")
    prows = [[str(t), str(first + t), *(f"{100 * float(ar[c][t]):.2f}" for c in cols),
              "yes" if bool(ar["at_bound"][t]) else "no"] for t in range(n)]
    parts += [format_table(prows, ["t", "year", "output gap %", "inflation %", "policy rate %",
                                   "borrower debt %", "gov. deficit %", "gov. debt %",
                                   "at floor"],
                           title=f"Koo's model: {s.koo_preset}, {s.koo_scenario} (the first "
                                 f"{n} of {res.path.periods} years)"), ""]
    spell = summ["floor_spell"]
    parts.append(
        f"summary: {summ['outcome'].replace('_', ' ')}; policy rate at its floor "
        f"{summ['years_at_floor']} years"
        + ("" if spell is None else f" (first spell t = {spell[0]}..{spell[1]}, "
           f"{first + spell[0]}-{first + spell[1]})")
        + "; repair "
        + ("not finished within the horizon" if summ["repair_end"] is None else
           f"ends at t = {summ['repair_end']} ({first + summ['repair_end']}, "
           f"{summ['repair_years']} years)")
        + f"; output-gap trough {_pct(summ['trough_gap'])} at t = {summ['trough_year']}; "
        f"output lost over the repair {_pct(summ['cumulative_loss'])} of a year's output; "
        f"government debt at the end {_pct(summ['government_debt_end'], 1)} of output")
    parts.extend(f"note: {note}" for note in res.path.notes)
    return "\n".join(parts)


@scenario.command("run")
def run_cmd(
    target: Annotated[str, typer.Argument(
        metavar="FILE.toml|PRESET", help="a scenario file or a chain preset (bsrlab scenario "
                                         "list)")],
    fmt: Annotated[str, typer.Option(
        "--format", metavar="[table|json]", help="table (for people) or json.")] = "table",
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR", help="also write a report section (HTML, figure, CSV) "
                                     "into DIR")] = None,
) -> None:
    """Run a chain scenario: the bust, the hand-over maps and Koo's path at the zero bound."""
    form = OutputFormat(choice("format", fmt, FORMATS))
    out_path = None if out is None else out_dir("out", out)
    sc = _load(target)
    from bsrlab.scenarios.chain import run_chain

    res = run_chain(sc)
    if out_path is not None:
        from bsrlab.presentation.content.chain import report_section
        from bsrlab.presentation.render.html import write_report

        html = write_report(out_path, sc.title or sc.name, [report_section(res)])
        typer.echo(f"report written to {html}", err=True)
    if form is OutputFormat.json:
        from bsrlab.interfaces.cli.deleverage import koo_records

        data = res.to_dict()
        data["path"] = koo_records(res.path)
        echo_json(data)
    else:
        typer.echo(_table(res))


@scenario.command("list")
def list_cmd() -> None:
    """List the chain presets with their titles."""
    from bsrlab.scenarios.chain import get_preset, preset_names

    rows = [(n, get_preset(n).title) for n in preset_names()]
    typer.echo(format_table(rows, ["preset", "title"], align="ll"))


@scenario.command("show")
def show_cmd(
    preset: Annotated[str, typer.Argument(metavar="PRESET", help="a chain preset")],
) -> None:
    """Print a chain preset's TOML (copy it to start a scenario file)."""
    from bsrlab.scenarios.chain import preset_text

    typer.echo(preset_text(preset), nl=False)
