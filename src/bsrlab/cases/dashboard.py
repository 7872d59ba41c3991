"""The vulnerability dashboard: every JST country at the latest date in the data.

For each of the 18 JST economies (:func:`dashboard`):

- ``delta_star`` of the ``collateral`` calibration (phi = 0.3, gamma = 0) at JST's last year with
  bank credit/GDP observed, and ``delta_star_band`` over phi = 0.2-0.5 (an end outside the
  admissible box is null: the model is not evaluated there);
- ``drawdown``: the fall of real residential property prices (BIS, CPI-deflated, 2010 = 100)
  at their last quarter from their peak of the preceding ten years (40 quarters), the window of
  the panel test; JST's annual real house prices where the BIS has no series;
- ``distance`` = delta* - drawdown: how much further prices can fall before they cross delta*;
- ``credit_gap``: credit/GDP less its one-sided HP trend (lambda = 1600 on annual data, the
  annual equivalent of the BIS's 400,000 on quarterly data), in fractions of GDP;
- ``house_price_gap``: log real property prices (BIS, quarterly) less their one-sided HP trend
  (lambda = 400,000);
- ``capital_ratio``: bank capital over assets (JST ``lev``);
- ``rating``, by :data:`RATING_RULE` (:func:`rate`), with the reasons.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bsrlab.cases.calibrate import PHI, PHI_BAND, R_SOURCES, collateral_frame, collateral_rate
from bsrlab.cases.stats import hp_gap_last
from bsrlab.core.errors import ParameterError

__all__ = ["BIS_CODES", "RATINGS", "RATING_RULE", "DashboardRow", "dashboard", "rate"]

#: The ratings, from the calmest.
RATINGS = ("green", "amber", "red")
#: Basel III's credit-gap bands (the countercyclical buffer starts at 2 and is full at 10 points).
GAP_LOW, GAP_HIGH = 0.02, 0.10
#: Amber when prices are within this distance of delta*.
NEAR = 0.10
#: Amber when real property prices stand this far above their trend.
HOUSE_GAP_HIGH = 0.10
WINDOW_QUARTERS = 40
HP_LAMBDA_ANNUAL = 1600.0
HP_LAMBDA_QUARTERLY = 400_000.0

#: The stated rule of :func:`rate`.
RATING_RULE = (
    "red if real property prices have fallen to or beyond delta* (distance <= 0) or the "
    "credit-to-GDP gap exceeds 10 points (the top of the Basel III buffer band); otherwise "
    "amber if the credit gap exceeds 2 points (the bottom of the band), prices are within 10 "
    "points of delta* (distance < 0.10), the drawdown has crossed delta* at the low end of "
    "phi's band (phi = 0.2), or the real house-price gap exceeds 10%; otherwise green. A "
    "missing indicator is named in the reasons and does not count.")

#: JST ISO code -> BIS country code.
BIS_CODES: dict[str, str] = {
    "AUS": "AU", "BEL": "BE", "CAN": "CA", "CHE": "CH", "DEU": "DE", "DNK": "DK", "ESP": "ES",
    "FIN": "FI", "FRA": "FR", "GBR": "GB", "IRL": "IE", "ITA": "IT", "JPN": "JP", "NLD": "NL",
    "NOR": "NO", "PRT": "PT", "SWE": "SE", "USA": "US",
}


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def rate(row: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The rating of one dashboard row by :data:`RATING_RULE`, with the reasons.

    ``row`` needs the keys ``distance``, ``credit_gap``, ``house_price_gap``, ``drawdown`` and
    ``delta_star_band`` (``[low, high]``); None marks a missing value.

    Examples
    --------
    >>> rate({"distance": 0.3, "credit_gap": 0.12, "house_price_gap": 0.0, "drawdown": 0.0,
    ...       "delta_star_band": [0.2, 0.6]})
    ('red', ['credit gap 12.0 pp > 10 pp'])
    >>> rate({"distance": 0.3, "credit_gap": 0.0, "house_price_gap": 0.0, "drawdown": 0.0,
    ...       "delta_star_band": [0.2, 0.6]})
    ('green', [])
    """
    dist = _finite(row.get("distance"))
    gap = _finite(row.get("credit_gap"))
    hgap = _finite(row.get("house_price_gap"))
    dd = _finite(row.get("drawdown"))
    band = row.get("delta_star_band") or [None, None]
    low = _finite(band[0]) if len(band) > 0 else None
    red: list[str] = []
    amber: list[str] = []
    missing: list[str] = []
    if dist is None:
        missing.append("distance to delta* not available")
    elif dist <= 0.0:
        red.append(f"property prices {100 * -dist:.1f} pp beyond delta*")
    elif dist < NEAR:
        amber.append(f"property prices within {100 * dist:.1f} pp of delta*")
    if gap is None:
        missing.append("credit gap not available")
    elif gap > GAP_HIGH:
        red.append(f"credit gap {100 * gap:.1f} pp > 10 pp")
    elif gap > GAP_LOW:
        amber.append(f"credit gap {100 * gap:.1f} pp > 2 pp")
    if dd is not None and low is not None and dd >= low and (dist is None or dist > 0.0):
        amber.append(f"drawdown {100 * dd:.1f}% crosses delta* at phi = {PHI_BAND[0]}")
    if hgap is None:
        missing.append("house-price gap not available")
    elif hgap > HOUSE_GAP_HIGH:
        amber.append(f"real house-price gap {100 * hgap:.1f}% > 10%")
    rating = "red" if red else "amber" if amber else "green"
    return rating, red + amber + missing


@dataclass(frozen=True, kw_only=True)
class DashboardRow:
    """One country on the dashboard (fractions; None where not available)."""

    country: str
    iso: str
    date: dict[str, Any]
    delta_star: float | None
    delta_star_band: list[float | None]
    drawdown: float | None
    distance: float | None
    credit_gap: float | None
    house_price_gap: float | None
    capital_ratio: float | None
    credit_gdp: float | None
    alpha: float | None
    R: float | None
    R_source: str
    rating: str
    rating_reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _bis_series(bis: Any, code: str) -> tuple[np.ndarray, str | None]:
    b = bis[bis["country_code"] == code].sort_values("date")
    if b.empty:
        return np.zeros(0), None
    d = b["date"].iloc[-1]
    return b["price"].to_numpy(dtype=np.float64), f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def dashboard(data_dir: str | os.PathLike[str] | None = None) -> list[DashboardRow]:
    """One :class:`DashboardRow` per JST country (see the module docstring).

    Needs the JST file; the BIS real property prices are used when present (else JST's annual
    house prices, and the row says so).
    """
    from bsrlab.data.loaders import load_bis, load_jst
    from bsrlab.data.sources import BIS_REAL
    from bsrlab.data.store import data_dirs

    jst = load_jst(data_dir)
    have_bis = any((d / BIS_REAL.filename).is_file() for d in data_dirs(data_dir))
    bis = load_bis("real", data_dir) if have_bis else None
    rows = []
    for iso, g in jst.groupby("iso", sort=True):
        g = g.sort_values("year")
        notes: list[str] = []
        c_all = (g["tloans"] / g["gdp"]).to_numpy(dtype=np.float64)
        years = g["year"].to_numpy()
        known = np.flatnonzero(np.isfinite(c_all))
        if known.size == 0:
            continue
        i = int(known[-1])
        year = int(years[i])
        if year != int(years[-1]):
            notes.append(f"credit/GDP last observed in {year}")
        c = float(c_all[i])
        k = _finite(g["lev"].iloc[i])
        k = None if k is None else k / 100.0
        rent = _finite(g["housing_rent_yd"].iloc[i])
        Ra, src = collateral_rate(np.nan if k is None else k, np.nan if rent is None else rent,
                                  year)
        R = float(Ra)
        mid = collateral_frame(c, R, PHI)
        dstar = _finite(mid["delta_star"])
        band = [_finite(collateral_frame(c, R, phi)["delta_star"]) for phi in PHI_BAND]
        if dstar is None:
            notes.append(f"credit/GDP {c:.2f} outside the admissible box "
                         f"({PHI} < c < {PHI / (R - 1.0):.2f}): delta* not evaluated")
        gap = hp_gap_last(c_all[:i + 1], HP_LAMBDA_ANNUAL)
        code = BIS_CODES.get(str(iso), "")
        prices, quarter = (_bis_series(bis, code) if bis is not None else (np.zeros(0), None))
        drawdown = hgap = None
        if prices.size and np.isfinite(prices[-1]):
            win = prices[-WINDOW_QUARTERS:]
            drawdown = float(1.0 - prices[-1] / np.nanmax(win))
            hgap = _finite(hp_gap_last(np.log(prices), HP_LAMBDA_QUARTERLY))
        else:
            hr = (g["hpnom"] / g["cpi"]).to_numpy(dtype=np.float64)[:i + 1]
            if hr.size and np.isfinite(hr[-1]):
                drawdown = float(1.0 - hr[-1] / np.nanmax(hr[-10:]))
                hgap = _finite(hp_gap_last(np.log(hr), HP_LAMBDA_ANNUAL))
                notes.append("property prices: JST annual (no BIS series)")
        dist = None if dstar is None or drawdown is None else dstar - drawdown
        row = {"distance": dist, "credit_gap": _finite(gap), "house_price_gap": hgap,
               "drawdown": drawdown, "delta_star_band": band}
        rating, reasons = rate(row)
        rows.append(DashboardRow(
            country=str(g["country"].iloc[-1]), iso=str(iso),
            date={"jst": year, "bis": quarter}, delta_star=dstar, delta_star_band=band,
            drawdown=drawdown, distance=dist, credit_gap=_finite(gap), house_price_gap=hgap,
            capital_ratio=k, credit_gdp=c, alpha=_finite(mid["alpha"]), R=R,
            R_source=R_SOURCES[int(src)], rating=rating, rating_reasons=reasons, notes=notes))
    if not rows:
        raise ParameterError("data", "JST data with bank credit for at least one country", 0)
    return rows
