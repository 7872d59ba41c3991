"""``bsrlab data | case | validate``: data files, case studies and the panel test."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    FORMAT_HELP,
    OptionError,
    choice,
    emit,
    format_table,
    in_dir,
    out_dir,
    output_format,
    real,
)

data_app = typer.Typer(help="Fetch, import and check the external data files (JST, BIS).",
                       no_args_is_help=True)
case_app = typer.Typer(help="Case studies: Japan 1990s, the Nordic crises, the US 1929 and 2008.",
                       no_args_is_help=True)
app.add_typer(data_app, name="data")
app.add_typer(case_app, name="case")

FormatOpt = Annotated[str, typer.Option(
    "--format", metavar="[table|json|csv]", help=FORMAT_HELP)]
DataDirOpt = Annotated[str | None, typer.Option(
    "--data-dir", metavar="DIR", help="Directory holding the data files "
                                      "(default: $BSRLAB_DATA, then the user cache).")]

_DATASETS = ("jst", "bis-nominal", "bis-real")


def _pct(x: Any) -> str:
    return "n/a" if x is None else f"{100.0 * float(x):.2f} %"


@data_app.command("fetch")
def data_fetch(
    names: Annotated[list[str] | None, typer.Argument(
        metavar="[NAME]...",
        help="Data sets to fetch (jst, bis-nominal, bis-real); all by default.")] = None,
    base_url: Annotated[str | None, typer.Option(
        "--base-url", metavar="URL",
        help="Download BASE_URL/FILENAME (http, https or file URL) instead of the official "
             "address.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Download even if cached.")] = False,
) -> None:
    """Download the data files into the user cache, verifying their sha256."""
    chosen = [choice("name", n, _DATASETS) for n in names] if names else None
    from bsrlab.data import fetch
    from bsrlab.data.store import check_base_url

    url = None if base_url is None else check_base_url(base_url)
    for name, path in fetch(chosen, base_url=url, force=force).items():
        typer.echo(f"{name}: {path} (sha256 verified)")


@data_app.command("import")
def data_import(
    file: Annotated[str, typer.Argument(metavar="FILE", help="A local copy of a data file.")],
    name: Annotated[str | None, typer.Option(
        "--name", metavar="NAME", help="Which data set it is: jst, bis-nominal or bis-real "
                                       "(default: recognised by checksum).")] = None,
) -> None:
    """Copy a local data file into the user cache after verifying its sha256."""
    if not file or "\x00" in file:
        raise OptionError("FILE", "the path of a data file", file)
    which = None if name is None else choice("name", name, _DATASETS)
    from bsrlab.data import import_file

    key, path = import_file(file, name=which)
    typer.echo(f"{key}: {path} (sha256 verified)")


@data_app.command("status")
def data_status(fmt: FormatOpt = "table", data_dir: DataDirOpt = None) -> None:
    """Where each data file was found and whether it verifies."""
    out = output_format(fmt)
    where = in_dir("data-dir", data_dir)
    from bsrlab.data import status

    st = status(where)

    def table() -> str:
        text = format_table([(s.name, s.filename, s.state, s.path or "-") for s in st],
                            ["data set", "file", "state", "path"], align="llll")
        return "\n".join([text, *(f"{s.name}: {s.detail}" for s in st if s.state != "ok")])

    emit(out, [s.to_dict() for s in st], table=table)


@case_app.command("list")
def case_list(fmt: FormatOpt = "table") -> None:
    """The episodes."""
    out = output_format(fmt)
    from bsrlab.cases.episodes import EPISODES

    emit(out, [e.to_dict() for e in EPISODES.values()], table=lambda: format_table(
        [(e.name, e.title, e.start, e.end, e.outcome) for e in EPISODES.values()],
        ["name", "title", "start", "end", "observed outcome"], align="llrrl"))


@case_app.command("show")
def case_show(
    name: Annotated[str, typer.Argument(metavar="NAME",
                                        help="Episode name (see 'bsrlab case list').")],
    fmt: FormatOpt = "table",
    data_dir: DataDirOpt = None,
    alpha: Annotated[str | None, typer.Option(
        "--alpha", metavar="FLOAT", help="Override alpha.")] = None,
    beta: Annotated[str | None, typer.Option(
        "--beta", metavar="FLOAT", help="Override beta = 1/R (instead of --R).")] = None,
    R: Annotated[str | None, typer.Option(
        "--R", metavar="FLOAT", help="Override R = 1/beta (instead of --beta).")] = None,
    gamma: Annotated[str | None, typer.Option(
        "--gamma", metavar="FLOAT", help="Override gamma.")] = None,
    r_method: Annotated[str, typer.Option(
        "--r-method", metavar="NAME", help="capital_ratio (default), rate or fixed.")
    ] = "capital_ratio",
    alpha_method: Annotated[str, typer.Option(
        "--alpha-method", metavar="NAME",
        help="credit_gdp (default), firm_leverage or fixed.")] = "credit_gdp",
) -> None:
    """Calibrate the model to an episode and diagnose it.

    CSV: one row; nested fields become dotted names (calibration.alpha, thresholds.delta_star).
    """
    out = output_format(fmt)
    where = in_dir("data-dir", data_dir)
    R_value = _R_from(beta, R)
    a = None if alpha is None else real("alpha", alpha)
    g = None if gamma is None else real("gamma", gamma)
    from bsrlab.cases import CalibrationSpec, diagnose

    spec = CalibrationSpec(R_method=r_method, alpha_method=alpha_method, R=R_value, alpha=a,
                           gamma=g)
    d = diagnose(name, data_dir=where, spec=spec).to_dict()

    def table() -> str:
        c, th = d["calibration"], d["thresholds"]
        rows = [
            ("episode", f"{d['title']} ({d['start']}-{d['end']})"),
            ("data", d["data_source"]),
            ("observed decline", f"{_pct(d['observed_decline'])} ({d['decline_asset']})"),
            ("calibration",
             f"alpha = {c['alpha']:.5g}, R = {c['R']:.5g}, gamma = {c['gamma']:.4g}"),
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
        return "\n".join([format_table(rows, ["quantity", "value"], align="ll"),
                          *(f"note: {n}" for n in d["notes"])])

    emit(out, d, table=table)


def _R_from(beta: str | None, R: str | None) -> float | None:
    """R from ``--R`` or ``--beta`` (R = 1/beta); neither means "calibrate it"."""
    if beta is not None and R is not None:
        raise OptionError("R", "to be given instead of --beta, not with it", R)
    if beta is not None:
        b = real("beta", beta)
        if not 0.0 < b < 1.0:
            from bsrlab.core.errors import ParameterError

            raise ParameterError("beta", "0 < beta < 1", b)
        return 1.0 / b
    return None if R is None else real("R", R)


@case_app.command("report")
def case_report(
    name: Annotated[str, typer.Argument(metavar="NAME",
                                        help="Episode name (see 'bsrlab case list').")],
    out: Annotated[str, typer.Option("--out", metavar="DIR", help="Output directory.")],
    data_dir: DataDirOpt = None,
) -> None:
    """Write a self-contained HTML case study (charts, thresholds, diagnosis)."""
    target = out_dir("out", out)
    where = in_dir("data-dir", data_dir)
    from bsrlab.cases import episode
    from bsrlab.presentation.content.cases import write_case_report

    episode(name)  # an unknown name fails before anything is written
    typer.echo(str(write_case_report(name, target, where)))


@app.command("validate")
def validate(
    fmt: FormatOpt = "table",
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR",
        help="Also write report.html, panel.json and the country-year CSV here.")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Panel test: does "the decline crossed delta*" predict JST crisis starts within ±2 years?

    CSV: one row per rule (the model, the baselines, the variants).
    """
    form = output_format(fmt)
    target = None if out is None else out_dir("out", out)
    where = in_dir("data-dir", data_dir)
    from bsrlab.cases import panel_test

    r = panel_test(where)
    if target is not None:  # written whole or not at all (through the atomic renderer)
        from bsrlab.presentation.content.cases import write_validation_report

        write_validation_report(r, target)
    rules = (r.model, *r.baselines.values(), *r.variants.values())

    def table() -> str:
        rows = [(s.rule, f"{s.hit_rate:.4f}", f"{s.false_alarm_rate:.4f}", f"{s.auc:.4f}",
                 s.crises_detected) for s in rules]
        head = (f"{r.country_years} country-years, {r.countries} countries, "
                f"{r.years[0]}-{r.years[1]}, {r.crises} crisis starts, "
                f"{r.event_years} years within ±2 of one")
        return head + "\n" + format_table(rows, ["rule", "hit rate", "false alarms", "AUC",
                                                 f"crises detected (of {r.crises})"],
                                          align="lrrrr")

    emit(form, r.to_dict(), records=lambda: [s.to_dict() for s in rules], table=table)
