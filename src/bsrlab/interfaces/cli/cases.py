"""``bsrlab data | case | validate``: data files, case studies and the panel test."""

from typing import Annotated, Any

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    FORMAT_HELP,
    OptionError,
    batch_gc,
    choice,
    emit,
    format_table,
    in_dir,
    integer,
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
    calibration: Annotated[str, typer.Option(
        "--calibration", metavar="NAME",
        help="collateral (default), collateral_deflation or literal.")] = "collateral",
    phi: Annotated[str | None, typer.Option(
        "--phi", metavar="FLOAT",
        help="Loan-to-value of the collateral calibration (default 0.3).")] = None,
    r_method: Annotated[str | None, typer.Option(
        "--r-method", metavar="NAME",
        help="collateral, capital_ratio, rate or fixed (default: the calibration's).")] = None,
    alpha_method: Annotated[str | None, typer.Option(
        "--alpha-method", metavar="NAME",
        help="collateral, credit_gdp, firm_leverage or fixed (default: the calibration's)."
    )] = None,
) -> None:
    """Calibrate the model to an episode and diagnose it.

    CSV: one row; nested fields become dotted names (calibration.alpha, thresholds.delta_star).
    """
    out = output_format(fmt)
    where = in_dir("data-dir", data_dir)
    R_value = _R_from(beta, R)
    a = None if alpha is None else real("alpha", alpha)
    g = None if gamma is None else real("gamma", gamma)
    ph = None if phi is None else real("phi", phi)
    name_cal = choice("calibration", calibration,
                      ("collateral", "collateral_deflation", "literal"))
    from dataclasses import replace

    from bsrlab.cases import diagnose
    from bsrlab.cases.calibrate import calibration_spec

    base = calibration_spec(name_cal)
    changes: dict[str, Any] = {"R": R_value, "alpha": a, "gamma": g}
    if ph is not None:
        changes["phi"] = ph
    if r_method is not None:
        changes["R_method"] = r_method
    if alpha_method is not None:
        changes["alpha_method"] = alpha_method
    spec = replace(base, **changes)
    from bsrlab.cases.episodes import episode
    from bsrlab.cases.results import cached_result

    episode(name)  # an unknown name fails before anything else
    d = cached_result("case", {"name": name, "spec": spec.to_dict()},
                      lambda: diagnose(name, data_dir=where, spec=spec).to_dict(), where)

    def table() -> str:
        c, th = d["calibration"], d["thresholds"]
        rows = [
            ("episode", f"{d['title']} ({d['start']}-{d['end']})"),
            ("data", d["data_source"]),
            ("observed decline", f"{_pct(d['observed_decline'])} ({d['decline_asset']})"),
            ("calibration",
             f"alpha = {c['alpha']:.5g}, R = {c['R']:.5g}, gamma = {c['gamma']:.4g}"),
            ("delta* / delta_K", f"{_pct(th['delta_star'])} / {_pct(th['delta_K'])}"),
            ("delta* over phi 0.2-0.5", "n/a" if not d["delta_star_band"] else
             " - ".join(_pct(x) for x in d["delta_star_band"])),
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
        cals = [(c["name"], c["source"],
                 _pct(c["thresholds"]["delta_star"]) if c.get("evaluated") else "n/a",
                 str(c.get("predicted_regime")), c["verdict"]) for c in d["calibrations"]]
        return "\n".join([format_table(rows, ["quantity", "value"], align="ll"), "",
                          format_table(cals, ["calibration", "source", "delta*", "predicted",
                                              "verdict"], align="lllll"),
                          d["calibrations_text"],
                          *(f"data break: {n}" for n in d["data_notes"]),
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
    with batch_gc():
        path = write_case_report(name, target, where)
    typer.echo(str(path))


ChronologyOpt = Annotated[str, typer.Option(
    "--chronology", metavar="[jst|lv]",
    help="Crisis dates: jst (JST crisisJST, default) or lv (Laeven-Valencia 2018, from 1970).")]


@app.command("validate")
def validate(
    fmt: FormatOpt = "table",
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR",
        help="Also write report.html (both chronologies), panel.json, the ROC curves and the "
             "country-year CSV here.")] = None,
    data_dir: DataDirOpt = None,
    chronology: ChronologyOpt = "jst",
    replications: Annotated[str | None, typer.Option(
        "--replications", metavar="N",
        help="Country-cluster bootstrap replications (default 1000; 0: no intervals).")
    ] = None,
) -> None:
    """Panel test: does "the decline crossed delta*" warn of JST crisis starts?

    The headline is the early-warning design with h = 2; the JSON's ``designs`` holds every
    design (early warning h = 1, 2, 3; coincident; bust-conditional) with bootstrap intervals.
    CSV: one row per design and rule.
    """
    form = output_format(fmt)
    target = None if out is None else out_dir("out", out)
    where = in_dir("data-dir", data_dir)
    chron = choice("chronology", chronology, ("jst", "lv"))
    reps = integer("replications", replications, lo=0, hi=100_000)
    reps = 1000 if reps is None else reps
    if target is not None:  # written whole or not at all (through the atomic renderer)
        from bsrlab.cases import panel_test
        from bsrlab.cases.results import cached_result
        from bsrlab.core.jsonio import dumps
        from bsrlab.presentation.content.cases import write_validation_report

        r = panel_test(where, chronology=chron, replications=reps)
        other = panel_test(where, chronology="lv" if chron == "jst" else "jst",
                           replications=reps)
        write_validation_report(r, target, other)
        import json

        d = json.loads(dumps(r.to_dict()))
        # the figures just computed also serve the next run without --out
        cached_result("panel", {"chronology": chron, "replications": reps, "seed": r.seed},
                      lambda: d, where)
    else:
        from bsrlab.cases.results import panel_summary

        d = panel_summary(where, chronology=chron, replications=reps)

    def records() -> list[dict[str, Any]]:
        return [{"design": k, "name": n, **{f: s.get(f) for f in (
                    "rule", "auc", "auc_ci", "diff_vs_model", "diff_vs_model_ci", "hit_rate",
                    "false_alarm_rate", "hit_rate_at_target", "n_rows", "n_events")}}
                for k, v in d["designs"].items()
                for n, s in {"model": v["model"], **v["baselines"], **v["variants"]}.items()]

    def table() -> str:
        return validation_table(d)

    emit(form, d, records=records, table=table)


def _ci(ci: Any) -> str:
    if not ci or ci[0] is None:
        return ""
    return f"[{ci[0]:.3f}, {ci[1]:.3f}]"


def _f(x: Any, spec: str = ".3f") -> str:
    return "n/a" if x is None else format(float(x), spec)


def validation_table(d: dict[str, Any]) -> str:
    """The text table of ``bsrlab validate``: the headline design, then every design's AUCs."""
    head = (f"early warning, h = {d['horizon']} ({d['chronology']} chronology): "
            f"{d['country_years']} country-years, {d['countries']} countries, "
            f"{d['years'][0]}-{d['years'][1]}, {d['crises']} crises, {d['event_years']} event "
            f"years; calibration {d['calibration']['name']}, phi = {d['calibration']['phi']}; "
            f"{100 * d['share_admissible']:.1f}% of country-years inside the admissible box")
    rules = {"model": d["model"], **d["baselines"], **d["variants"]}
    rows = [(s["rule"], _f(s["auc"]), _ci(s.get("auc_ci")), _f(s.get("diff_vs_model")),
             _ci(s.get("diff_vs_model_ci")), _f(s["hit_rate"]), _f(s["false_alarm_rate"]),
             _f(s.get("hit_rate_at_target")))
            for s in rules.values()]
    main = format_table(rows, ["rule", "AUC", "95% CI", "AUC - model", "95% CI", "hit rate",
                               "false alarms", "hits at 20% FA"], align="lrrrrrrr")
    names = ["model", *d["baselines"]]
    drows = []
    for k, v in d["designs"].items():
        drows.append((k, v["n_rows"], v["n_events"],
                       *(_f({"model": v["model"], **v["baselines"]}[n]["auc"], ".2f")
                         for n in names)))
    designs = format_table(drows, ["design", "rows", "events", *names],
                           align="l" + "r" * (len(names) + 2))
    return "\n".join([head, main, "", "AUC by design:", designs])
