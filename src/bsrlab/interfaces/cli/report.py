"""``bsrlab report`` and ``bsrlab figures``: the paper's figures and a self-contained report.

``bsrlab report --out DIR`` writes ``DIR/report.html`` (figures embedded; opens offline), one CSV
per figure and ``calibration.toml``. ``bsrlab figures --out DIR`` writes each figure as PNG, SVG or
PDF with its CSV. Both write atomically: on any error the output directory is left as it was.
Progress goes to stderr (when it is a terminal); the last line on stdout says where the output is.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from bsrlab.core.errors import BsrlabError
from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import parse_float_list

__all__ = ["figures_cmd", "report_cmd"]

OutOpt = Annotated[Path, typer.Option("--out", help="Output directory (created if missing).")]
AlphaOpt = Annotated[float | None, typer.Option(
    "--alpha", help="Output elasticity of assets, R-1 < alpha < 1 [default: 0.5].")]
BetaOpt = Annotated[float | None, typer.Option(
    "--beta", help="Discount factor, 0 < beta < 1 [default: 1/1.05].")]
ROpt = Annotated[float | None, typer.Option(
    "--R", help="Gross natural rate R = 1/beta, R > 1 (instead of --beta).")]
GammaOpt = Annotated[float | None, typer.Option(
    "--gamma", help="CRRA coefficient, 0 <= gamma < 1 [default: 0.1].")]


class FigureFormat(StrEnum):
    """``--format`` of ``bsrlab figures``."""

    png = "png"
    svg = "svg"
    pdf = "pdf"


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr (shown only on a terminal); yields ``step(description)``."""
    console = Console(stderr=True)
    bar = Progress(TextColumn("{task.description:<34}"), BarColumn(),
                   TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                   console=console, transient=True, disable=not console.is_terminal)
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


def _overrides(alpha: float | None, beta: float | None, R: float | None,
               gamma: float | None) -> dict[str, float | None]:
    return {"alpha": alpha, "beta": beta, "R": R, "gamma": gamma}


@app.command("report")
def report_cmd(
    out: OutOpt,
    config: Annotated[Path | None, typer.Option(
        "--config", help="TOML calibration file (schema: docs/report.md).")] = None,
    alpha: AlphaOpt = None,
    beta: BetaOpt = None,
    R: ROpt = None,
    gamma: GammaOpt = None,
    shocks: Annotated[str | None, typer.Option(
        "--shocks", help="Shocks to show equilibria for, e.g. '0.02,0.05,0.3'.")] = None,
    sections: Annotated[str | None, typer.Option(
        "--sections", help="Sections to include, e.g. 'vonpeter,cases' "
                           "[default: vonpeter,deleveraging,cases].")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Report title.")] = None,
) -> None:
    """Write a self-contained HTML report (figures embedded, CSV data beside it)."""
    from bsrlab.presentation.config import resolve_config
    from bsrlab.presentation.content.vonpeter import FIGURE_COUNT
    from bsrlab.presentation.report import write

    over: dict[str, object] = dict(_overrides(alpha, beta, R, gamma))
    over["title"] = title
    if shocks is not None:
        over["shocks"] = parse_float_list("shocks", shocks)
    if sections is not None:
        over["sections"] = [s.strip() for s in sections.split(",") if s.strip()]
    cfg = resolve_config(config, overrides=over)
    n_steps = 2 * FIGURE_COUNT + len(cfg.sections) + 1
    with _progress(n_steps) as step:
        path = write(cfg, out, progress=step)
    typer.echo(f"report written to {path.resolve()}")


@app.command("figures")
def figures_cmd(
    out: OutOpt,
    alpha: AlphaOpt = None,
    beta: BetaOpt = None,
    R: ROpt = None,
    gamma: GammaOpt = None,
    fmt: Annotated[FigureFormat, typer.Option("--format", help="png, svg or pdf.")] = (
        FigureFormat.png),
    dpi: Annotated[int, typer.Option("--dpi", min=50, max=600,
                                     help="Resolution of PNG files.")] = 150,
) -> None:
    """Write the paper's figures (2, 4-9) and the data behind each as CSV."""
    from bsrlab.presentation.config import resolve_config
    from bsrlab.presentation.figures import FIGURES

    cfg = resolve_config(None, overrides=_overrides(alpha, beta, R, gamma))
    params = cfg.params
    out_dir = Path(out)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".bsrlab-tmp-", dir=out_dir))
    except OSError as exc:
        raise BsrlabError(f"output directory '{out_dir}' cannot be written: "
                          f"{exc.strerror or exc}") from None
    ok = False
    try:
        with _progress(len(FIGURES) + 1) as step:
            for name, func in FIGURES.items():
                step(f"drawing {name}")
                fig, data = func(params)
                fig.savefig(tmp / f"{name}.{fmt.value}", format=fmt.value, dpi=dpi,
                            bbox_inches="tight", metadata=_metadata(fmt))
                data.to_csv(tmp / f"{name}.csv", index=False)
            step("writing files")
            for f in sorted(tmp.iterdir()):
                os.replace(f, out_dir / f.name)
        ok = True
    except OSError as exc:
        raise BsrlabError(f"output directory '{out_dir}' cannot be written: "
                          f"{exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if created and not ok:
            shutil.rmtree(out_dir, ignore_errors=True)
    typer.echo(f"{len(FIGURES)} figures written to {out_dir.resolve()}")


def _metadata(fmt: FigureFormat) -> dict[str, str | None]:
    """Reproducible files: no creation date in SVG or PDF."""
    if fmt is FigureFormat.svg:
        return {"Date": None}
    if fmt is FigureFormat.pdf:
        return {"CreationDate": None}
    return {}
