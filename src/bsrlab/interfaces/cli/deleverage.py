"""``bsrlab deleverage``: Koo's balance sheet recession from the command line.

Subcommands: ``endowment`` (section 1), ``two-state`` (section 2), ``path`` (one solved path of a
preset, with or without a policy) and ``compare`` (the policy lab). ``--format json`` prints the
fixed keys documented in ``docs/deleveraging.md``; ``--plot FILE`` draws the paths.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Any

import typer

from bsrlab.core.errors import ParameterError
from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import OutputFormat, echo_json, format_table

__all__ = ["deleverage"]

deleverage = typer.Typer(
    help="Koo's balance sheet recession: deleveraging, the zero lower bound, debt deflation "
         "and the policy lab.",
    no_args_is_help=True,
)
app.add_typer(deleverage, name="deleverage")

FORMAT = typer.Option(OutputFormat.table, "--format", help="table (default) or json")


def _save_figure(fig: Any, path: Path) -> None:
    """Write ``fig`` to ``path`` atomically (temp file, then rename); one-line error on failure."""
    target = Path(path)
    suffix = target.suffix.lower() or ".png"
    fmt = suffix.lstrip(".")
    if fmt not in ("png", "pdf", "svg"):
        raise ParameterError("plot", "a file name ending in .png, .pdf or .svg", str(path))
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".bsrlab-", suffix=suffix, dir=directory)
    except OSError as exc:
        raise ParameterError("plot", "a path in a writable directory", str(path),
                             exc.strerror or "") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fig.savefig(fh, format=fmt, dpi=120)
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ParameterError("plot", "a writable file path", str(path),
                             exc.strerror or "") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _fmt(v: Any, pct: bool = False) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return str(v)
    return f"{100 * v:.2f}" if pct else f"{v:.4f}"


@deleverage.command("endowment")
def endowment_cmd(
    beta: float = typer.Option(..., "--beta", help="savers' discount factor, 0 < beta < 1"),
    d_high: float = typer.Option(..., "--d-high", help="debt limit before the shock"),
    d_low: float = typer.Option(..., "--d-low", help="debt limit after the shock"),
    y: float = typer.Option(1.0, "--y", help="total endowment (each type gets y/2)"),
    price_level: float = typer.Option(1.0, "--price-level",
                                      help="price level at which old nominal debt is repaid"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Endowment economy: short-run natural rate and consumption after a debt-limit cut."""
    from bsrlab.models.deleveraging.endowment import EndowmentParams, solve_endowment

    res = solve_endowment(EndowmentParams(beta=beta, d_high=d_high, d_low=d_low, y=y,
                                          price_level=price_level)).to_dict()
    keys = ("natural_rate", "c_borrower_short", "c_saver_short", "c_saver_long")
    if fmt is OutputFormat.json:
        echo_json({k: res[k] for k in keys})
        return
    rows = [(k, _fmt(res[k])) for k in (*keys, "c_borrower_long", "steady_rate")]
    rows.append(("natural_rate_negative", _fmt(res["natural_rate_negative"])))
    typer.echo(format_table(rows, ["quantity", "value"], title="Endowment economy"))


@deleverage.command("two-state")
def two_state_cmd(
    beta: float = typer.Option(0.99, "--beta"), sigma: float = typer.Option(1.0, "--sigma"),
    kappa: float = typer.Option(0.02, "--kappa"), mu: float = typer.Option(0.8, "--mu"),
    chi_b: float = typer.Option(0.5, "--chi-b"),
    cs_share: float = typer.Option(1.0, "--cs-share", help="savers' consumption over output"),
    delta: float = typer.Option(0.1, "--delta", help="extra debt pay-down while S lasts"),
    g: float = typer.Option(0.0, "--g", help="government spending in S"),
    t_b: float = typer.Option(0.0, "--t-b", help="tax on borrowers in S (negative = relief)"),
    supply: float = typer.Option(0.0, "--supply", help="shift of potential output"),
    phi_pi: float = typer.Option(1.5, "--phi-pi"), phi_y: float = typer.Option(0.25, "--phi-y"),
    fmt: OutputFormat = FORMAT,
) -> None:
    """Two-state sticky-price model: output, inflation, natural rate and multipliers."""
    from bsrlab.models.deleveraging.two_state import TwoStateParams, solve_two_state

    r = solve_two_state(TwoStateParams(
        beta=beta, sigma=sigma, kappa=kappa, mu=mu, chi_b=chi_b, cs_share=cs_share, delta=delta,
        g=g, t_b=t_b, supply=supply, phi_pi=phi_pi, phi_y=phi_y))
    keys = ("output", "inflation", "natural_rate", "spending_multiplier",
            "transfer_multiplier", "determinate")
    d = r.to_dict()
    if fmt is OutputFormat.json:
        echo_json({k: d[k] for k in keys})
        return
    rows = [(k, _fmt(d[k])) for k in (*keys, "at_bound", "policy_rate", "shadow_rate",
                                      "spending_multiplier_bound", "spending_multiplier_taylor")]
    typer.echo(format_table(rows, ["quantity", "value"], title="Two-state model (state S)"))


@deleverage.command("path")
def path_cmd(
    preset: str = typer.Option("japan-1990s", "--preset", help="japan-1990s or us-2008"),
    policy: list[str] = typer.Option(  # noqa: B008
        ["none"], "--policy",
        help="none, rate-cut, qe, forward-guidance, fiscal, debt-relief, write-down, "
             "higher-target (repeatable)"),
    size: float | None = typer.Option(None, "--size", help="the policy's magnitude"),
    start: int | None = typer.Option(None, "--start", help="first period of the policy"),
    duration: int | None = typer.Option(None, "--duration", help="periods the policy lasts"),
    extra_periods: int | None = typer.Option(None, "--extra-periods",
                                             help="forward guidance: periods beyond exit"),
    periods: int | None = typer.Option(None, "--periods", help="horizon T"),
    plot: Path | None = typer.Option(None, "--plot", help="write the paths' figure here"),  # noqa: B008
    fmt: OutputFormat = FORMAT,
) -> None:
    """Solve one path of a preset (nonlinear, perfect foresight), optionally under policies."""
    from bsrlab.models.deleveraging.path import solve_path
    from bsrlab.policies.deleveraging import make_policy
    from bsrlab.scenarios.presets import get_preset

    pre = get_preset(preset)
    named = [p for p in policy if p != "none"]
    if len(named) > 1 and any(v is not None for v in (size, start, duration, extra_periods)):
        raise ParameterError("policy", "a single policy when --size/--start/--duration/"
                             "--extra-periods are given", ",".join(named))
    pols = [make_policy(n, size=size, start=start, duration=duration,
                        extra_periods=extra_periods) for n in (named or ["none"])]
    res = solve_path(pre.params, pre.debt, [p for p in pols if p is not None],
                     periods=pre.periods if periods is None else periods)
    if plot is not None:
        from bsrlab.presentation.figures.deleveraging import path_figure

        fig, _ = path_figure(res, title=pre.title)
        _save_figure(fig, plot)
    if fmt is OutputFormat.json:
        echo_json(res.records())
        return
    cols = ("t", "output_gap", "inflation", "policy_rate", "shadow_rate", "real_rate",
            "natural_rate", "at_bound", "borrower_debt", "deleveraging", "government_deficit")
    rows = [[_fmt(r[c], pct=c not in ("t", "at_bound")) for c in cols] for r in res.records()]
    title = (f"{pre.title} ({pre.period}s; rates, gaps and flows in %); Newton: "
             f"{res.iterations} iterations, largest residual {res.max_residual:.1e}")
    typer.echo(format_table(rows, cols, title=title))
    for note in res.notes:
        typer.echo(f"note: {note}")


@deleverage.command("compare")
def compare_cmd(
    preset: str = typer.Option("japan-1990s", "--preset", help="japan-1990s or us-2008"),
    periods: int | None = typer.Option(None, "--periods", help="horizon T"),
    plot: Path | None = typer.Option(None, "--plot", help="write the comparison figure here"),  # noqa: B008
    fmt: OutputFormat = FORMAT,
) -> None:
    """The policy lab: each policy against no policy on a preset."""
    from bsrlab.scenarios.lab import compare_policies

    comp = compare_policies(preset, periods=periods)
    if plot is not None:
        from bsrlab.presentation.figures.deleveraging import comparison_figure

        fig, _ = comparison_figure(comp)
        _save_figure(fig, plot)
    if fmt is OutputFormat.json:
        echo_json([dict(r) for r in comp.rows])
        return
    from bsrlab.scenarios.lab import COMPARE_KEYS

    rows = [[r["policy"], *(_fmt(r[k]) for k in COMPARE_KEYS[1:])] for r in comp.rows]
    typer.echo(format_table(rows, COMPARE_KEYS, title=f"Policy lab: {comp.preset.title}"))
    for note in comp.notes:
        typer.echo(f"note: {note}")
