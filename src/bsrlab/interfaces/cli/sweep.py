"""``bsrlab sweep --config FILE``, ``bsrlab sweep query FILE SQL`` and ``bsrlab sweep models``.

A sweep evaluates a model (``[model] name``: the von Peter model by default, or another
registered one such as ``ek-endowment``) over a grid or a random sample of parameters in
blocks, with reductions on the fly (counts, means, quantiles, histograms), on local processes
(one per core by default) or a Dask cluster (``--scheduler ADDRESS`` or ``--scheduler local``),
and writes the full results to Parquet with ``--out``. ``query`` runs SQL on such a file with
DuckDB (the file is the table ``results``); ``models`` lists the models with their inputs and
outputs. A progress bar is drawn on stderr when it is a terminal. See
:mod:`bsrlab.scale.sweep`.
"""

import sys
import time
from typing import Annotated, Any

import typer

from bsrlab.core.errors import BsrlabError
from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    FORMAT_HELP,
    choice,
    csv_text,
    echo_json,
    format_table,
    integer,
    output_format,
)

sweep_app = typer.Typer(help="Sweeps at scale over a parameter grid or sample; query results.",
                        no_args_is_help=False, invoke_without_command=True)
app.add_typer(sweep_app, name="sweep")

FormatOpt = Annotated[str, typer.Option("--format", metavar="[table|json]",
                                        help="table (for people) or json.")]


class _Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.last = 0.0
        self.start = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.on:
            return
        now = time.perf_counter()
        if done < total and now - self.last < 0.1:
            return
        self.last = now
        frac = done / total if total else 1.0
        bar = "#" * int(30 * frac)
        rate = done / max(now - self.start, 1e-9)
        sys.stderr.write(f"\rsweep [{bar:<30}] {100 * frac:5.1f} %  {done:,} points  "
                         f"{rate / 1e6:.1f} M/s")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _fmt(x: Any) -> str:
    return "" if x is None else f"{x:.6g}"


@sweep_app.callback(invoke_without_command=True)
def sweep_cmd(
    ctx: typer.Context,
    config: Annotated[str | None, typer.Option(
        "--config", metavar="FILE", help="TOML file: [model], [parameters], [shock] (the "
        "von Peter model's tau), [sample], [reduce] (see docs/scale.md and 'bsrlab sweep "
        "models').")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", metavar="FILE.parquet", help="Write every point (inputs and outputs) to "
        "this Parquet file (needs the 'parquet' extra).")] = None,
    workers: Annotated[str | None, typer.Option(
        "--workers", metavar="N", help="Worker processes (default: one per core; 1 runs "
        "in this process).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", metavar="ADDRESS|local", help="Run on a Dask cluster: a scheduler's "
        "address, or 'local' for a LocalCluster (needs the 'dask' extra).")] = None,
    chunk: Annotated[str | None, typer.Option(
        "--chunk-blocks", metavar="N", help="Blocks per task (does not change the "
        "results).")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """Run a sweep (reductions on stdout; the full results to --out)."""
    if ctx.invoked_subcommand is not None:
        return
    form = choice("format", fmt, ("table", "json"))
    if config is None:
        raise BsrlabError("missing option --config FILE (or the command 'query')")
    w = integer("workers", workers, lo=1, hi=1024)
    cb = integer("chunk-blocks", chunk, lo=1, hi=1 << 20)
    if scheduler is not None and not scheduler.strip():
        raise BsrlabError("option --scheduler: expected an address or 'local'; got ''")
    from bsrlab.core.fileio import load_toml, output_path
    from bsrlab.scale.sweep import SweepConfig, run

    if out is not None:
        output_path("out", out)
    cfg = SweepConfig.from_dict(load_toml(config))
    res = run(cfg, workers=w, scheduler=scheduler, out=out, chunk_blocks=cb,
              progress=_Progress())
    if form == "json":
        echo_json(res.to_dict())
        return
    rows = []
    counts = []
    for k, s in res.summary.items():
        if "counts" in s:
            counts.append((k, s))
            continue
        q = s["quantiles"]
        rows.append([k, _fmt(s["mean"]), _fmt(s["std"]), _fmt(s["min"]), _fmt(q.get("0.05")),
                     _fmt(q.get("0.5")), _fmt(q.get("0.95")), _fmt(s["max"])])
    title = (f"sweep: {res.points:,} points in {res.blocks} blocks of {res.block}, "
             f"{res.backend} ({res.workers} workers)")
    if rows:
        typer.echo(format_table(rows, ["output", "mean", "std", "min", "q05", "median", "q95",
                                       "max"], title=title))
    else:
        typer.echo(title)
    for k, s in counts:
        typer.echo(format_table([[lab, str(c), f"{100 * (s['shares'][lab] or 0):.4f} %"]
                                 for lab, c in s["counts"].items()],
                                [k, "points", "share"], title=""))
    if res.out:
        typer.echo(f"full results: {res.out}")


@sweep_app.command("models")
def models_cmd(fmt: FormatOpt = "table") -> None:
    """List the models a sweep can evaluate: their parameters, shock and outputs."""
    form = choice("format", fmt, ("table", "json"))
    from bsrlab.scale.sweep import MODELS, get_model

    models = [get_model(name).to_dict() for name in MODELS]
    if form == "json":
        echo_json(models)
        return
    for i, m in enumerate(models):
        title = f"{m['name']}: {m['description']}" if m["description"] else m["name"]
        rows = []
        for section in ("parameters", "shock"):
            for k, d in m[section].items():
                default = ("optional" if d["optional"] else
                           f"instead of {d['instead_of']} = 1/{k}" if d["instead_of"] else
                           "" if d["default"] is None else f"{d['default']:g}")
                rows.append([f"{section}.{k}", d["box"], default])
        typer.echo(("" if i == 0 else "\n") + format_table(
            rows, ["input", "admissible", "default"], title=title))
        outs = [f"{o}*" if o in m["default_outputs"] else o for o in m["outputs"]]
        typer.echo("outputs (* by default): " + ", ".join(outs))
        for k, labels in m["codes"].items():
            typer.echo(f"codes of {k}: " + ", ".join(f"{j} {lab}" for j, lab in
                                                    enumerate(labels)))


@sweep_app.command("query")
def query_cmd(
    file: Annotated[str, typer.Argument(metavar="FILE.parquet", help="A sweep's results.")],
    sql: Annotated[str, typer.Argument(metavar="SQL", help="A query on the table 'results'.")],
    fmt: Annotated[str, typer.Option("--format", metavar="[table|json|csv]",
                                     help=FORMAT_HELP)] = "table",
) -> None:
    """Query a sweep's Parquet file with DuckDB SQL (the file is the table 'results')."""
    form = output_format(fmt)
    from bsrlab.scale.sweep import query

    names, rows = query(file, sql)
    records = [dict(zip(names, r, strict=True)) for r in rows]
    if form.value == "json":
        echo_json(records)
    elif form.value == "csv":
        typer.echo(csv_text(records), nl=False)
    else:
        typer.echo(format_table([[_cell(v) for v in r] for r in rows], names,
                                align="r" * len(names)) if names else "")


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)
