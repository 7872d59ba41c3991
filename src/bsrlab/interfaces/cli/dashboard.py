"""``bsrlab dashboard``: every JST country's vulnerability at the latest date in the data."""

from typing import Annotated, Any

import typer

from bsrlab.interfaces.cli import app
from bsrlab.interfaces.cli.common import choice, echo_json, format_table, in_dir, out_dir

_FORMATS = ("table", "json", "html")


def _pct(x: Any, digits: int = 1) -> str:
    return "n/a" if x is None else f"{100.0 * float(x):.{digits}f}%"


def _pp(x: Any) -> str:
    return "n/a" if x is None else f"{100.0 * float(x):+.1f} pp"


def dashboard_table(rows: list[dict[str, Any]], rule: str) -> str:
    """The dashboard as text: one line per country, then the rating rule."""
    body = [(r["country"], f"{r['date']['jst']} / {r['date']['bis'] or '-'}",
             _pct(r["delta_star"]),
             " - ".join(_pct(x, 0) for x in r["delta_star_band"]),
             _pct(r["drawdown"]), _pp(r["distance"]), _pp(r["credit_gap"]),
             _pct(r["house_price_gap"]), _pct(r["capital_ratio"]), r["rating"])
            for r in rows]
    text = format_table(body, ["country", "date (JST / BIS)", "delta*", "phi 0.2-0.5",
                               "drawdown", "distance", "credit gap", "house gap", "capital",
                               "rating"], align="llrrrrrrrl")
    return text + "\n\nRating rule: " + rule


@app.command("dashboard")
def dashboard(
    fmt: Annotated[str, typer.Option(
        "--format", metavar="[table|json|html]",
        help="table (for people), json (a list, one object per country) or html (a "
             "self-contained page with the threshold map).")] = "table",
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR",
        help="Also write report.html, dashboard.json and the CSV behind the figure here.")
    ] = None,
    data_dir: Annotated[str | None, typer.Option(
        "--data-dir", metavar="DIR", help="Directory holding the data files "
                                          "(default: $BSRLAB_DATA, then the user cache).")
    ] = None,
) -> None:
    """Vulnerability dashboard: delta* and its phi band, the property-price drawdown, the
    distance to delta*, the credit and house-price gaps, the capital ratio and a
    red/amber/green rating, for every JST country at the latest date in the data."""
    form = choice("format", fmt, _FORMATS)
    target = None if out is None else out_dir("out", out)
    where = in_dir("data-dir", data_dir)
    from bsrlab.cases.dashboard import RATING_RULE
    from bsrlab.cases.dashboard import dashboard as build

    if target is None and form != "html":
        from bsrlab.cases.results import cached_result

        data = cached_result("dashboard", {}, lambda: [r.to_dict() for r in build(where)],
                             where)
        if form == "json":
            echo_json(data)
        else:
            typer.echo(dashboard_table(data, RATING_RULE))
        return
    rows = build(where)
    data = [r.to_dict() for r in rows]
    if target is not None or form == "html":
        from bsrlab.presentation.content.cases import dashboard_html, write_dashboard

        if target is not None:
            path = write_dashboard(rows, target)
            if form == "html":
                typer.echo(str(path))
                return
        else:
            typer.echo(dashboard_html(rows), nl=False)
            return
    if form == "json":
        echo_json(data)
    else:
        typer.echo(dashboard_table(data, RATING_RULE))
