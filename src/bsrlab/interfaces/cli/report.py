"""``bsrlab report`` and ``bsrlab figures``: the paper's figures and a self-contained report.

``bsrlab report --out DIR`` writes ``DIR/report.html`` (figures embedded; opens offline), one CSV
per figure and ``calibration.toml``. ``bsrlab figures --out DIR`` writes each figure as PNG, SVG or
PDF with its CSV. Both write atomically: the output directory appears whole or not at all, also
when the run is interrupted. Progress goes to stderr (when it is a terminal); the last line on
stdout says where the output is.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    OptionError,
    batch_gc,
    choice,
    in_dir,
    integer,
    out_dir,
    real,
    real_list,
)

__all__ = ["figures_cmd", "report_cmd"]

OutOpt = Annotated[str, typer.Option(
    "--out", metavar="DIR", help="Output directory (created if missing; replaced whole if "
                                 "bsrlab wrote it before).")]
AlphaOpt = Annotated[str | None, typer.Option(
    "--alpha", metavar="FLOAT", help="Output elasticity of assets, R-1 < alpha < 1 "
                                     "[default: 0.5].")]
BetaOpt = Annotated[str | None, typer.Option(
    "--beta", metavar="FLOAT", help="Discount factor, 0 < beta < 1 [default: 1/1.05].")]
ROpt = Annotated[str | None, typer.Option(
    "--R", metavar="FLOAT", help="Gross natural rate R = 1/beta, R > 1 (instead of --beta).")]
GammaOpt = Annotated[str | None, typer.Option(
    "--gamma", metavar="FLOAT", help="CRRA coefficient, 0 <= gamma < 1 [default: 0.1].")]

_FIGURE_FORMATS = ("png", "svg", "pdf")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (shown only on a terminal); yields ``step(description)``."""
    if not sys.stderr.isatty():
        yield lambda desc: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description:<34}"), BarColumn(),
                   TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                   console=console, transient=True)
    with bar:
        task = bar.add_task("starting", total=total)
        first = [True]

        def step(desc: str) -> None:
            if first[0]:
                first[0] = False
            else:
                bar.advance(task)
            bar.update(task, description=desc)

        yield step
        bar.update(task, completed=total, description="done")


def _overrides(alpha: str | None, beta: str | None, R: str | None,
               gamma: str | None) -> dict[str, Any]:
    if beta is not None and R is not None:
        raise OptionError("R", "to be given instead of --beta, not with it", R)
    return {"alpha": None if alpha is None else real("alpha", alpha),
            "beta": None if beta is None else real("beta", beta),
            "R": None if R is None else real("R", R),
            "gamma": None if gamma is None else real("gamma", gamma)}


def _title(text: str | None) -> str | None:
    if text is None:
        return None
    if "\x00" in text or len(text) > 500:
        raise OptionError("title", "a title of at most 500 characters", text)
    return text


@app.command("report")
def report_cmd(
    out: OutOpt,
    config: Annotated[str | None, typer.Option(
        "--config", metavar="FILE", help="TOML calibration file (schema: docs/report.md).")
    ] = None,
    alpha: AlphaOpt = None,
    beta: BetaOpt = None,
    R: ROpt = None,
    gamma: GammaOpt = None,
    shocks: Annotated[str | None, typer.Option(
        "--shocks", metavar="FLOAT[,FLOAT...]",
        help="Shocks to show equilibria for, e.g. '0.02,0.05,0.3'.")] = None,
    sections: Annotated[str | None, typer.Option(
        "--sections", metavar="NAME[,NAME...]",
        help="Sections to include, e.g. 'vonpeter,cases' "
             "[default: vonpeter,deleveraging,cases].")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
    data_dir: Annotated[str | None, typer.Option(
        "--data-dir", metavar="DIR", help="Directory holding the data files of the case "
                                          "studies (default: $BSRLAB_DATA, then the user "
                                          "cache).")] = None,
    preset: Annotated[str | None, typer.Option(
        "--preset", "--deleveraging-preset", metavar="NAME",
        help="Preset of the deleveraging section: japan-1990s or us-2008 "
             "[default: japan-1990s].")] = None,
) -> None:
    """Write a self-contained HTML report (figures embedded, CSV data beside it)."""
    target = out_dir("out", out)
    over: dict[str, Any] = _overrides(alpha, beta, R, gamma)
    over["title"] = _title(title)
    if shocks is not None:
        over["shocks"] = real_list("shocks", shocks, name="tau")
    if sections is not None:
        names = [s.strip() for s in sections.split(",")]
        if not all(names):
            raise OptionError("sections", "a comma-separated list of section names", sections)
        over["sections"] = names
    if data_dir is not None:
        over["data_dir"] = str(in_dir("data-dir", data_dir))
    over["deleveraging_preset"] = preset
    from bsrlab.presentation.config import resolve_config

    cfg = resolve_config(None if config is None else _config_path(config), overrides=over)
    from bsrlab.presentation.content.vonpeter import FIGURE_COUNT
    from bsrlab.presentation.report import write

    n_steps = 2 * FIGURE_COUNT + len(cfg.sections) + 1
    with _progress(n_steps) as step, batch_gc():
        path = write(cfg, target, progress=step)
    typer.echo(f"report written to {path.resolve()}")


def _config_path(text: str) -> str:
    if not text or "\x00" in text:
        raise OptionError("config", "the path of a TOML file", text)
    return text


@app.command("figures")
def figures_cmd(
    out: OutOpt,
    alpha: AlphaOpt = None,
    beta: BetaOpt = None,
    R: ROpt = None,
    gamma: GammaOpt = None,
    fmt: Annotated[str, typer.Option(
        "--format", metavar="[png|svg|pdf]", help="Image format of the figures.")] = "png",
    dpi: Annotated[str, typer.Option(
        "--dpi", metavar="INT", help="Resolution of PNG files, 50 to 600.")] = "150",
) -> None:
    """Write the paper's figures (2, 4-9) and the data behind each as CSV."""
    image = choice("format", fmt, _FIGURE_FORMATS)
    resolution = integer("dpi", dpi, lo=50, hi=600)
    target = out_dir("out", out)
    from bsrlab.presentation.config import resolve_config

    cfg = resolve_config(None, overrides=_overrides(alpha, beta, R, gamma))
    params = cfg.params
    from bsrlab.core.fileio import atomic_directory
    from bsrlab.presentation.figures import FIGURES

    with (_progress(len(FIGURES) + 1) as step, batch_gc(),
          atomic_directory(target, option="out") as tmp):
        for name, func in FIGURES.items():
            step(f"drawing {name}")
            fig, data = func(params)
            fig.savefig(tmp / f"{name}.{image}", format=image, dpi=resolution,
                        bbox_inches="tight", metadata=_metadata(image))
            data.to_csv(tmp / f"{name}.csv", index=False)
        step("writing files")
    typer.echo(f"{len(FIGURES)} figures written to {target.resolve()}")


def _metadata(fmt: str) -> dict[str, str | None]:
    """Reproducible files: no creation date in SVG or PDF."""
    if fmt == "svg":
        return {"Date": None}
    if fmt == "pdf":
        return {"CreationDate": None}
    return {}
