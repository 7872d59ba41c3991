"""``bsrlab data | case | validate``: data files, case studies and the panel test."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import OutputFormat, echo_json, format_table

data_app = typer.Typer(help="Fetch, import and check the external data files (JST, BIS).",
                       no_args_is_help=True)
case_app = typer.Typer(help="Case studies: Japan 1990s, the Nordic crises, the US 1929 and 2008.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(case_app, name="case")

FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table (for people) or json.")]
DataDirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="Directory holding the data files "
                              "(default: $BSRLAB_DATA, then the user cache).")]


def _pct(x: Any) -> str:
    return "n/a" if x is None else f"{100.0 * float(x):.2f} %"


@data_app.command("fetch")
def data_fetch(
    names: Annotated[list[str] | None, typer.Argument(
        help="Data sets to fetch (jst, bis-nominal, bis-real); all by default.")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", help="Download BASE_URL/FILENAME instead of the official address.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Download even if cached.")] = False,
) -> None:
    """Download the data files into the user cache, verifying their sha256."""
    from bsrlab.data import fetch

    for name, path in fetch(names or None, base_url=base_url, force=force).items():
        typer.echo(f"{name}: {path} (sha256 verified)")


@data_app.command("import")
def data_import(
    file: Annotated[Path, typer.Argument(help="A local copy of a data file.")],
    name: Annotated[str | None, typer.Option(
        "--name", help="Which data set it is (default: recognised by checksum).")] = None,
) -> None:
    """Copy a local data file into the user cache after verifying its sha256."""
    from bsrlab.data import import_file

    key, path = import_file(file, name=name)
    typer.echo(f"{key}: {path} (sha256 verified)")


@data_app.command("status")
def data_status(fmt: FormatOpt = OutputFormat.table, data_dir: DataDirOpt = None) -> None:
    """Where each data file was found and whether it verifies."""
    from bsrlab.data import status

    st = status(data_dir)
    if fmt is OutputFormat.json:
        echo_json([s.to_dict() for s in st])
        return
    typer.echo(format_table([(s.name, s.filename, s.state, s.path or "-") for s in st],
                            ["data set", "file", "state", "path"], align="llll"))
    for s in st:
        if s.state != "ok":
            typer.echo(f"{s.name}: {s.detail}")


@case_app.command("list")
def case_list(fmt: FormatOpt = OutputFormat.table) -> None:
    """The episodes."""
    from bsrlab.cases import EPISODES

    if fmt is OutputFormat.json:
        echo_json([e.to_dict() for e in EPISODES.values()])
        return
    typer.echo(format_table([(e.name, e.title, e.start, e.end, e.outcome)
                             for e in EPISODES.values()],
                            ["name", "title", "start", "end", "observed outcome"], align="llrrl"))


@case_app.command("show")
def case_show(
    name: Annotated[str, typer.Argument(help="Episode name (see 'bsrlab case list').")],
    fmt: FormatOpt = OutputFormat.table,
    data_dir: DataDirOpt = None,
    alpha: Annotated[float | None, typer.Option("--alpha", help="Override alpha.")] = None,
    R: Annotated[float | None, typer.Option("--R", help="Override R = 1/beta.")] = None,
    gamma: Annotated[float | None, typer.Option("--gamma", help="Override gamma.")] = None,
    r_method: Annotated[str, typer.Option(
        "--r-method", help="capital_ratio (default) or rate.")] = "capital_ratio",
    alpha_method: Annotated[str, typer.Option(
        "--alpha-method", help="credit_gdp (default).")] = "credit_gdp",
) -> None:
    """Calibrate the model to an episode and diagnose it."""
    from bsrlab.cases import CalibrationSpec, diagnose

    spec = CalibrationSpec(R_method=r_method, alpha_method=alpha_method, R=R, alpha=alpha,
                           gamma=gamma)
    d = diagnose(name, data_dir=data_dir, spec=spec).to_dict()
    if fmt is OutputFormat.json:
        echo_json(d)
        return
    c, th = d["calibration"], d["thresholds"]
    rows = [
        ("episode", f"{d['title']} ({d['start']}-{d['end']})"),
        ("data", d["data_source"]),
        ("observed decline", f"{_pct(d['observed_decline'])} ({d['decline_asset']})"),
        ("calibration", f"alpha = {c['alpha']:.5g}, R = {c['R']:.5g}, gamma = {c['gamma']:.4g}"),
        ("delta* / delta_K", f"{_pct(th['delta_star'])} / {_pct(th['delta_K'])}"),
        ("tau_Div / tau* / tau_K",
         f"{th['tau_div']:.4f} / {th['tau_star']:.4f} / {th['tau_K']:.4f}"),
        ("implied tau", "n/a" if d["implied_tau"] is None else f"{d['implied_tau']:.4f}"),
        ("predicted regime", str(d["predicted_regime"])),
        ("observed outcome", d["observed_outcome"]["kind"]),
        ("agreement", d["agreement"]),
        ("model loan losses", _pct(d["predicted_loan_losses"].get("gdp")) + " of GDP"),
        ("observed loan losses", "; ".join(f"{k} {_pct(v)}" for k, v in
                                           d["observed_loan_losses"].items()) or "n/a"),
        ("model crunch spread", _pct(d["predicted_spread"])),
        ("observed spread", d["observed_spread"]["text"]),
    ]
    typer.echo(format_table(rows, ["quantity", "value"], align="ll"))
    for n in d["notes"]:
        typer.echo(f"note: {n}")


@case_app.command("report")
def case_report(
    name: Annotated[str, typer.Argument(help="Episode name (see 'bsrlab case list').")],
    out: Annotated[Path, typer.Option("--out", help="Output directory.")],
    data_dir: DataDirOpt = None,
) -> None:
    """Write a self-contained HTML case study (charts, thresholds, diagnosis)."""
    from bsrlab.cases import episode
    from bsrlab.presentation.content.cases import write_case_report

    episode(name)  # an unknown name fails before anything is written
    typer.echo(str(write_case_report(name, out, data_dir)))


@app.command("validate")
def validate(
    fmt: FormatOpt = OutputFormat.table,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Also write report.html, panel.json and the country-year CSV here.")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Panel test: does "the decline crossed delta*" predict JST crisis starts within ±2 years?"""
    from bsrlab.cases import panel_test

    r = panel_test(data_dir)
    if out is not None:
        from bsrlab.presentation.content.cases import write_validation_report

        write_validation_report(r, out)
    if fmt is OutputFormat.json:
        echo_json(r.to_dict())
        return
    rows = [(s.rule, f"{s.hit_rate:.4f}", f"{s.false_alarm_rate:.4f}", f"{s.auc:.4f}",
             s.crises_detected) for s in (r.model, *r.baselines.values(), *r.variants.values())]
    typer.echo(f"{r.country_years} country-years, {r.countries} countries, "
               f"{r.years[0]}-{r.years[1]}, {r.crises} crisis starts, "
               f"{r.event_years} years within ±2 of one")
    typer.echo(format_table(rows, ["rule", "hit rate", "false alarms", "AUC",
                                   f"crises detected (of {r.crises})"], align="lrrrr"))
