"""``bsrlab deleverage``: Koo's balance sheet recession from the command line.

Subcommands: ``endowment`` (section 1), ``two-state`` (section 2), ``path`` (one solved path of a
preset, with or without a policy) and ``compare`` (the policy lab). ``path`` and ``compare``
solve Koo's balance-sheet-recession model (:func:`bsrlab.models.deleveraging.koo.solve_koo`,
presets of :mod:`bsrlab.scenarios.koo_presets`) unless ``--model ek`` asks for the
Eggertsson-Krugman path (:func:`bsrlab.models.deleveraging.path.solve_path`, presets of
:mod:`bsrlab.scenarios.presets`). ``--format json`` prints the fixed keys documented in
``docs/deleveraging.md`` (a Koo record starts with the keys of the EK record) and
``--format csv`` the same names as a header row; tables show human labels, rates, gaps and
shares in per cent. ``--plot FILE`` draws the paths. The ``--policy`` choices and their
descriptions come from the policy registry.
"""


from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from bsrlab.core.errors import ParameterError
from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import (
    FormatOpt,
    OptionError,
    choice,
    emit,
    format_table,
    integer,
    output_format,
    real,
)

__all__ = ["deleverage"]

deleverage = typer.Typer(
    help="Koo's balance sheet recession: deleveraging, the zero lower bound, debt deflation "
         "and the policy lab.",
    no_args_is_help=True,
)
app.add_typer(deleverage, name="deleverage")



def _opt(flag: str, help: str, metavar: str = "FLOAT") -> Any:
    return typer.Option(flag, metavar=metavar, help=help)


# ---- labels and formats of the tables ---------------------------------------------------------

#: Which declarations of :mod:`bsrlab.models.deleveraging.outputs` each table reads, in turn.
_VOCABULARIES = {"endowment": ("ENDOWMENT_VOCABULARY",),
                 "two-state": ("TWO_STATE_VOCABULARY",),
                 "path": ("VOCABULARY",), "compare": ("VOCABULARY",),
                 "koo-path": ("VOCABULARY", "KOO_VOCABULARY"),
                 "koo-compare": ("KOO_VOCABULARY", "VOCABULARY")}


def _spec(table: str, name: str) -> tuple[str, str]:
    """(label, format) of output ``name`` in ``table``, from the model's output vocabulary.

    The format is ``pct`` (a rate, gap or share: shown in per cent), ``num``, ``int``, ``bool``
    or ``text``.
    """
    from bsrlab.models.deleveraging import outputs

    for vocabulary in _VOCABULARIES[table]:
        spec = getattr(outputs, vocabulary).get(name)
        if spec is not None:
            return spec.label, spec.fmt
    return name.replace("_", " "), "num"


def _label(table: str, name: str) -> str:
    label, kind = _spec(table, name)
    return f"{label} %" if kind == "pct" else label


def _value(table: str, name: str, v: Any, *, unit: bool = True) -> str:
    """``v`` in the table's format for ``name``: per cent for rates, gaps and shares."""
    if v is None:
        return "n/a"
    if isinstance(v, bool):
        return "yes" if v else "no"
    kind = _spec(table, name)[1]
    if kind == "int":
        return str(int(v))
    if kind == "pct":
        return f"{100 * v:.2f}" + (" %" if unit else "")
    if kind in ("text", "bool"):
        return str(v)
    return f"{v:.4f}"


def _quantity_table(table: str, d: dict[str, Any], names: Sequence[str], title: str) -> str:
    rows = [(_spec(table, k)[0], _value(table, k, d[k])) for k in names]
    return format_table(rows, ["quantity", "value"], title=title)


#: The columns of the path table (a table as wide as a terminal).
_PATH_COLUMNS = ("t", "output_gap", "inflation", "policy_rate", "shadow_rate", "real_rate",
                 "natural_rate", "at_bound", "borrower_debt", "deleveraging",
                 "government_deficit")


# ---- figures ----------------------------------------------------------------------------------


def _plot_path(text: str | None) -> Path | None:
    """Check ``--plot`` before solving: a valid path ending in .png, .pdf or .svg."""
    if text is None:
        return None
    from bsrlab.core.fileio import output_path

    path = output_path("plot", text)
    if path.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise ParameterError("plot", "a file name ending in .png, .pdf or .svg", text)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ParameterError("plot", "a path in an existing directory", text)
    return path


def _save_figure(fig: Any, path: Path) -> None:
    """Write ``fig`` to ``path`` whole or not at all (:func:`bsrlab.core.fileio.atomic_file`)."""
    from bsrlab.core.fileio import atomic_file

    with atomic_file(path) as fh:
        fig.savefig(fh, format=Path(path).suffix.lower().lstrip("."), dpi=120)


# ---- commands ---------------------------------------------------------------------------------


@deleverage.command("endowment")
def endowment_cmd(
    beta: Annotated[str, _opt("--beta", "savers' discount factor, 0 < beta < 1")],
    d_high: Annotated[str, _opt("--d-high", "debt limit before the shock")],
    d_low: Annotated[str, _opt("--d-low", "debt limit after the shock")],
    y: Annotated[str, _opt("--y", "total endowment (each type gets y/2)")] = "1.0",
    price_level: Annotated[str, _opt(
        "--price-level", "price level at which old nominal debt is repaid")] = "1.0",
    fmt: FormatOpt = "table",
) -> None:
    """Endowment economy: short-run natural rate and consumption after a debt-limit cut."""
    out = output_format(fmt)
    kw = {"beta": real("beta", beta), "d_high": real("d-high", d_high, name="d_high"),
          "d_low": real("d-low", d_low, name="d_low"), "y": real("y", y),
          "price_level": real("price-level", price_level, name="price_level")}
    from bsrlab.models.deleveraging.endowment import EndowmentParams, solve_endowment

    res = solve_endowment(EndowmentParams(**kw)).to_dict()
    keys = ("natural_rate", "c_borrower_short", "c_saver_short", "c_saver_long")
    emit(out, {k: res[k] for k in keys}, table=lambda: _quantity_table(
        "endowment", res, (*keys, "c_borrower_long", "steady_rate", "natural_rate_negative"),
        "Endowment economy"))


@deleverage.command("two-state")
def two_state_cmd(
    beta: Annotated[str, _opt("--beta", "discount factor, 0 < beta < 1")] = "0.99",
    sigma: Annotated[str, _opt("--sigma", "intertemporal elasticity of substitution")] = "1.0",
    kappa: Annotated[str, _opt("--kappa", "slope of the Phillips curve")] = "0.02",
    mu: Annotated[str, _opt("--mu", "probability that the bust state S persists")] = "0.8",
    chi_b: Annotated[str, _opt("--chi-b", "borrowers' share of the population")] = "0.5",
    cs_share: Annotated[str, _opt("--cs-share", "savers' consumption over output")] = "1.0",
    delta: Annotated[str, _opt("--delta", "extra debt pay-down while S lasts")] = "0.1",
    g: Annotated[str, _opt("--g", "government spending in S")] = "0.0",
    t_b: Annotated[str, _opt("--t-b", "tax on borrowers in S (negative = relief)")] = "0.0",
    supply: Annotated[str, _opt("--supply", "shift of potential output")] = "0.0",
    phi_pi: Annotated[str, _opt("--phi-pi", "Taylor-rule response to inflation")] = "1.5",
    phi_y: Annotated[str, _opt("--phi-y", "Taylor-rule response to the output gap")] = "0.25",
    psi: Annotated[str, _opt("--psi", "how much spending shifts supply (Eggertsson 2011), "
                                      "psi >= 0")] = "0.0",
    fisher: Annotated[str, _opt("--fisher", "Fisher term: borrowers' nominal debt over output "
                                            "times the unpriced share of inflation, >= 0")] = "0.0",
    fmt: FormatOpt = "table",
) -> None:
    """Two-state sticky-price model: output, inflation, natural rate and multipliers."""
    out = output_format(fmt)
    given = {"beta": beta, "sigma": sigma, "kappa": kappa, "mu": mu, "chi_b": chi_b,
             "cs_share": cs_share, "delta": delta, "g": g, "t_b": t_b, "supply": supply,
             "phi_pi": phi_pi, "phi_y": phi_y, "psi": psi, "fisher": fisher}
    kw = {k: real(k.replace("_", "-"), v, name=k) for k, v in given.items()}
    from bsrlab.models.deleveraging.two_state import TwoStateParams, solve_two_state

    d = solve_two_state(TwoStateParams(**kw)).to_dict()
    keys = ("output", "inflation", "natural_rate", "spending_multiplier",
            "transfer_multiplier", "determinate")

    def table() -> str:
        text = _quantity_table("two-state", d, (*keys, "at_bound", "policy_rate", "shadow_rate",
                                   "spending_multiplier_bound", "spending_multiplier_taylor"),
                               "Two-state model (state S; rates and gaps in % per period)")
        return (text + "\nmultipliers: spending_multiplier = dY/dG and transfer_multiplier = "
                "dY/d(transfers to borrowers), output per unit, in state S")

    emit(out, {k: d[k] for k in keys}, table=table)


#: ``--model``: Koo's balance-sheet-recession model (the default) or Eggertsson-Krugman's.
MODELS = ("koo", "ek")
MODEL_HELP = ("koo (Koo's balance sheet recession: savers who value safe assets, long-term "
              "legacy debt, balance sheet repair and automatic stabilisers; the default) or ek "
              "(Eggertsson and Krugman's deleveraging path).")

#: ``--scenario`` of the Koo presets, and the name :meth:`KooPreset.policies` gives it.
SCENARIOS = {"as-it-happened": "as it happened", "no-policy": "no policy"}
SCENARIO_HELP = (
    "Koo presets only: as-it-happened (the default: the preset's own fiscal policies, e.g. "
    "Japan's deficits of 1992-2001 or the 2009 Recovery Act) or no-policy (the preset's "
    "baseline alone). The stylised facts of japan-1990s and us-2008 refer to as-it-happened; "
    "those of japan-as-it-was, whose baseline holds Japan's deficits, to no-policy. Any "
    "--policy is added to the scenario's policies.")

COMPARE_SCENARIO_HELP = (
    "Koo presets only: no-policy (the default: every policy against the preset's baseline "
    "alone) or as-it-happened (every policy added to what was done, e.g. Japan's deficits).")

_EK_PRESETS = "japan-1990s or us-2008"
_KOO_PRESETS = "japan-1990s, japan-as-it-was or us-2008"
PRESET_HELP = (f"--model koo: {_KOO_PRESETS} (default japan-1990s); --model ek: {_EK_PRESETS}")


def _policy_help() -> str:
    from bsrlab.policies import registry

    def items(family: str) -> str:
        return "; ".join(f"{n} ({registry.describe(n).replace('``', '').rstrip('.')})"
                         for n in registry.names(family))

    return ("Policy, repeatable: none (the default), " + items("deleveraging")
            + "; --model koo only: " + items("koo") + ".")


def _policy_names(model: str = "ek") -> tuple[str, ...]:
    from bsrlab.policies import registry

    koo = registry.names("koo") if model == "koo" else ()
    return ("none", *registry.names("deleveraging"), *koo)


def _moved_until(rows: list[list[str]]) -> int:
    """The last index whose cells differ from the final row (its shown values)."""
    last = rows[-1][1:]
    for i in range(len(rows) - 1, -1, -1):
        if rows[i][1:] != last:
            return i
    return -1


def _trimmed_table(records: Sequence[dict[str, Any]], cols: Sequence[str], title: str,
                   all_periods: bool, notes: Sequence[str], vocab: str = "path") -> str:
    """The path table: t = 0 until three periods after the last change, then one line."""
    rows = [[_value(vocab, c, r[c], unit=False) for c in cols] for r in records]
    n = len(rows)
    end = n - 1 if all_periods else min(n - 1, _moved_until(rows) + 3)
    lines = [format_table(rows[: end + 1], [_spec(vocab, c)[0] for c in cols], title=title)]
    if end < n - 1:
        lines.append(f"t = {end + 1}..{n - 1}: steady state (values as in the last row)")
    lines.extend(f"note: {note}" for note in notes)
    return "\n".join(lines)


def _scenario(model: str, text: str | None) -> str:
    """The Koo scenario's name in :mod:`bsrlab.scenarios.koo_presets`; an error with ek."""
    if text is None:
        return SCENARIOS["as-it-happened"]
    name = choice("scenario", text, SCENARIOS)
    if model != "koo":
        raise OptionError("scenario", "no value with --model ek (its presets have one "
                          "scenario)", text)
    return SCENARIOS[name]


@deleverage.command("path")
def path_cmd(
    model: Annotated[str, typer.Option(
        "--model", metavar="[koo|ek]", help=MODEL_HELP)] = "koo",
    preset: Annotated[str, typer.Option(
        "--preset", metavar="NAME", help=PRESET_HELP)] = "japan-1990s",
    scenario: Annotated[str | None, typer.Option(
        "--scenario", metavar="[as-it-happened|no-policy]", help=SCENARIO_HELP)] = None,
    policy: Annotated[list[str] | None, typer.Option(
        "--policy", metavar="NAME", help=_policy_help())] = None,
    size: Annotated[str | None, _opt("--size", "the policy's magnitude")] = None,
    start: Annotated[str | None, _opt("--start", "first period of the policy", "INT")] = None,
    duration: Annotated[str | None, _opt(
        "--duration", "periods the policy lasts", "INT")] = None,
    extra_periods: Annotated[str | None, _opt(
        "--extra-periods", "forward guidance: periods beyond exit", "INT")] = None,
    periods: Annotated[str | None, _opt("--periods", "horizon T", "INT")] = None,
    plot: Annotated[str | None, typer.Option(
        "--plot", metavar="FILE", help="write the paths' figure here (.png, .pdf, .svg)")] = None,
    all_periods: Annotated[bool, typer.Option(
        "--all-periods", help="table: every period, not only those until the economy "
                              "settles")] = False,
    fmt: FormatOpt = "table",
) -> None:
    """Solve one path of a preset (nonlinear, perfect foresight), optionally under policies.

    The table shows t = 0 until a few periods after the last change (debt limit, the bound, a
    policy window), then one line for the steady state; --all-periods shows every period.
    """
    out = output_format(fmt)
    mdl = choice("model", model, MODELS)
    scen = _scenario(mdl, scenario)
    names = [choice("policy", p, _policy_names(mdl)) for p in (policy or ["none"])]
    opts: dict[str, Any] = {"size": None if size is None else real("size", size),
            "start": integer("start", start),
            "duration": integer("duration", duration),
            "extra_periods": integer("extra-periods", extra_periods)}
    T = integer("periods", periods)
    plot_path = _plot_path(plot)
    named = [p for p in names if p != "none"]
    if mdl == "koo":
        _koo_path(out, preset, scen, named, opts, T, plot_path, all_periods)
        return
    from bsrlab.models.deleveraging.path import solve_path
    from bsrlab.policies.deleveraging import make_policy
    from bsrlab.scenarios.presets import get_preset

    pre = get_preset(preset)
    if len(named) > 1 and any(v is not None for v in opts.values()):
        raise ParameterError("policy", "a single policy when --size/--start/--duration/"
                             "--extra-periods are given", ",".join(named))
    pols = [make_policy(n, **opts) for n in (named or ["none"])]
    res = solve_path(pre.params, pre.debt, [p for p in pols if p is not None],
                     periods=pre.periods if T is None else T)
    if plot_path is not None:
        from bsrlab.presentation.figures.deleveraging import path_figure

        fig, _ = path_figure(res, title=pre.title)
        _save_figure(fig, plot_path)
    records = res.records()

    def table() -> str:
        title = (f"{pre.title} (t in {pre.period}s; rates, gaps and flows in %, debt in % "
                 f"of output); Newton: {res.iterations} iterations, largest residual "
                 f"{res.max_residual:.1e}")
        return _trimmed_table(records, _PATH_COLUMNS, title, all_periods, res.notes)

    emit(out, records, table=table)


def _koo_policy(name: str, opts: dict[str, Any]) -> Any:
    """A policy of the family ``deleveraging`` or ``koo`` from the command line's options."""
    from bsrlab.policies import registry
    from bsrlab.policies.deleveraging import make_policy

    if name in registry.names("deleveraging"):
        return make_policy(name, **opts)
    magnitude = getattr(registry.get(name, "koo"), "magnitude", None) or "size"
    return registry.make(name, "koo", **{magnitude: opts["size"], "start": opts["start"],
                                         "duration": opts["duration"],
                                         "extra_periods": opts["extra_periods"]})


def koo_records(res: Any) -> list[dict[str, Any]]:
    """A Koo path's JSON records: the keys of an EK path's records (``PATH_KEYS``, in order),
    then :data:`~bsrlab.models.deleveraging.outputs.KOO_EXTRA_KEYS` (``KooResult.records``)."""
    return list(res.records())


#: The columns of the Koo path table: the EK table's and whether borrowers are at their limit.
_KOO_PATH_COLUMNS = (*_PATH_COLUMNS, "at_limit")


def _koo_path(out: Any, preset: str, scenario: Any, named: list[str], opts: dict[str, Any],
              T: int | None, plot_path: Path | None, all_periods: bool) -> None:
    from bsrlab.models.deleveraging.koo import solve_koo
    from bsrlab.scenarios.koo_presets import get_koo_preset

    pre = get_koo_preset(preset)
    if len(named) > 1 and any(v is not None for v in opts.values()):
        raise ParameterError("policy", "a single policy when --size/--start/--duration/"
                             "--extra-periods are given", ",".join(named))
    given = (*pre.policies(scenario), *(_koo_policy(n, opts) for n in named))
    res = solve_koo(pre.params, pre.debt, given, periods=pre.periods if T is None else T)
    if plot_path is not None:
        from bsrlab.presentation.figures.deleveraging import path_figure

        fig, _ = path_figure(res, title=pre.title)  # type: ignore[arg-type]
        _save_figure(fig, plot_path)
    records = koo_records(res)

    def table() -> str:
        in_force = ", ".join(getattr(p, "name", "?") for p in given if p is not None)
        title = (f"{pre.title}; scenario {scenario} (policies: {in_force or 'none'}; Koo's "
                 f"model; t = 0 is {pre.first_year}, t in "
                 f"years; rates, gaps and flows in %, debt in % of output); Newton: "
                 f"{res.iterations} iterations, largest residual {res.max_residual:.1e}")
        repair = ("the balance sheet repair does not end within the horizon"
                  if res.repair_end is None else
                  f"the balance sheet repair ends at t = {res.repair_end} "
                  f"({pre.first_year + res.repair_end})")
        return _trimmed_table(records, _KOO_PATH_COLUMNS, title, all_periods,
                              (repair, *res.notes), vocab="koo-path")

    emit(out, records, table=table)


#: The keys a Koo lab row adds to the EK lab's (``COMPARE_KEYS``), in order.
KOO_COMPARE_EXTRA_KEYS = ("repair_end", "government_debt_end", "sentence")


def koo_compare_rows(comp: Any) -> list[dict[str, Any]]:
    """The Koo lab's JSON rows: the EK lab's keys (``COMPARE_KEYS``, in order; its
    ``periods_at_bound`` is the Koo row's ``years_at_floor``), then
    :data:`KOO_COMPARE_EXTRA_KEYS`."""
    from bsrlab.models.deleveraging.outputs import COMPARE_KEYS

    rename = {"periods_at_bound": "years_at_floor"}
    return [{k: r[rename.get(k, k)] for k in (*COMPARE_KEYS, *KOO_COMPARE_EXTRA_KEYS)}
            for r in comp.rows]


@deleverage.command("compare")
def compare_cmd(
    model: Annotated[str, typer.Option(
        "--model", metavar="[koo|ek]", help=MODEL_HELP)] = "koo",
    preset: Annotated[str, typer.Option(
        "--preset", metavar="NAME", help=PRESET_HELP)] = "japan-1990s",
    scenario: Annotated[str | None, typer.Option(
        "--scenario", metavar="[no-policy|as-it-happened]",
        help=COMPARE_SCENARIO_HELP)] = None,
    periods: Annotated[str | None, _opt("--periods", "horizon T", "INT")] = None,
    plot: Annotated[str | None, typer.Option(
        "--plot", metavar="FILE", help="write the comparison figure here")] = None,
    fmt: FormatOpt = "table",
) -> None:
    """The policy lab: each policy against no policy on a preset.

    With --model koo (the default) "no policy" means no policy beyond the scenario's (by
    default the preset's baseline alone), and a sentence under the table says what each row
    shows and why.
    """
    out = output_format(fmt)
    mdl = choice("model", model, MODELS)
    scen = _scenario(mdl, "no-policy" if scenario is None and mdl == "koo" else scenario)
    T = integer("periods", periods)
    plot_path = _plot_path(plot)
    if mdl == "koo":
        _koo_compare(out, preset, T, plot_path, scen)
        return
    from bsrlab.scenarios.lab import COMPARE_KEYS, compare_policies

    comp = compare_policies(preset, periods=T)
    if plot_path is not None:
        from bsrlab.presentation.figures.deleveraging import comparison_figure

        fig, _ = comparison_figure(comp)
        _save_figure(fig, plot_path)
    rows_out = [dict(r) for r in comp.rows]

    def table() -> str:
        rows = [[_value("compare", k, r[k], unit=False) for k in COMPARE_KEYS]
                for r in rows_out]
        text = format_table(rows, [_label("compare", k) for k in COMPARE_KEYS],
                            title=f"Policy lab: {comp.preset.title} (losses, gaps, inflation "
                                  f"and costs in % of a period's output)")
        return "\n".join([text, *(f"note: {note}" for note in comp.notes)])

    emit(out, rows_out, table=table)


def _koo_compare(out: Any, preset: str, T: int | None, plot_path: Path | None,
                 scenario: str = "no policy") -> None:
    import dataclasses

    from bsrlab.models.deleveraging.outputs import COMPARE_KEYS
    from bsrlab.scenarios.koo_lab import compare_koo
    from bsrlab.scenarios.koo_presets import get_koo_preset

    pre = get_koo_preset(preset)
    if T is not None:
        pre = dataclasses.replace(pre, periods=T)
    comp = compare_koo(pre, scenario=scenario)
    if plot_path is not None:
        from bsrlab.presentation.figures.deleveraging import comparison_figure

        fig, _ = comparison_figure(comp)  # type: ignore[arg-type]
        _save_figure(fig, plot_path)
    rows_out = koo_compare_rows(comp)

    def table() -> str:
        cols = (*COMPARE_KEYS, *KOO_COMPARE_EXTRA_KEYS[:-1])
        rows = [[_value("koo-compare", k, r[k], unit=False) for k in cols] for r in rows_out]
        baseline = ", ".join(p.name for p in pre.policies(comp.scenario)) or "none"
        text = format_table(rows, [_label("koo-compare", k) for k in cols],
                            title=f"Policy lab (Koo's model): {pre.title}; t = 0 is "
                                  f"{pre.first_year}; scenario {scenario}, whose policies are "
                                  f"in every row: {baseline} (losses, gaps, inflation, costs "
                                  f"and debt in % of a year's output)")
        return "\n".join([text, "", *(f"{r['policy']}: {r['sentence']}" for r in rows_out)])

    emit(out, rows_out, table=table)
