"""The corrections of the fidelity audit: loan_rate, Figure 2, the errata's numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bsrlab.models.vonpeter import Params, loan_rate, solve, thresholds
from bsrlab.models.vonpeter.closed import asset_value, firm_leverage, firm_profits
from bsrlab.models.vonpeter.thresholds import tau_div

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_loan_rate_is_R_where_credit_is_not_constrained() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    th = thresholds(p)
    below = np.linspace(0.0, float(th.delta_div), 20)
    np.testing.assert_array_equal(loan_rate(p, 0.0, below), 1.05)
    above = np.linspace(float(th.delta_div) + 1e-6, 0.9, 20)
    rates = loan_rate(p, 0.0, above)
    assert np.all(rates > 1.05)
    assert float(loan_rate(p, 0.0, float(th.delta_star))) == pytest.approx(
        1.0 + 0.05 / (1.0 - float(th.tau_star)), rel=1e-12)  # (27) at the crunch
    assert np.isinf(loan_rate(p, 0.0, 1.0))


def test_figure_2_ranges_follow_proposition_4() -> None:
    from bsrlab.presentation.figures.vonpeter import fig2_outcomes

    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    th = thresholds(p)
    _fig, data = fig2_outcomes(p)
    c = data[data["element"] == "curve"]
    assert "capital crunch" not in set(c["range"])
    tdiv, ts = float(th.tau_div), float(th.tau_star)
    assert set(c.loc[c["tau"] < tdiv, "range"]) == {"wealth effects"}
    assert set(c.loc[(c["tau"] >= tdiv) & (c["tau"] < ts), "range"]) == {"bank capital absorbs"}
    assert set(c.loc[c["tau"] >= ts, "range"]) == {"banking crisis"}


def test_footnote_39() -> None:
    """Unit leverage RqH/Pi = 1 is at alpha = (R-1)/(2R-1); qH = Pi at alpha = (R-1)/R."""
    R = 1.05
    a1 = (R - 1) / (2 * R - 1)
    assert firm_leverage(a1, R) == pytest.approx(1.0, rel=1e-13)
    a2 = (R - 1) / R
    assert asset_value(a2, R) == pytest.approx(firm_profits(a2), rel=1e-13)
    assert firm_leverage(a2, R) != pytest.approx(1.0, rel=1e-3)
    assert a1 < R - 1 and a2 < R - 1  # both outside the admissible range (footnote 20)


def test_proposition_5_tau_div_and_the_decline() -> None:
    """tau_Div rises with gamma near alpha = 1 (the exponent wins); delta(tau) falls with gamma."""
    t1, t2 = float(tau_div(0.97, 1.05, 0.1)), float(tau_div(0.97, 1.05, 0.2))
    assert t2 > t1
    assert t1 == pytest.approx(0.0039304, abs=1e-7) and t2 == pytest.approx(0.0039334, abs=1e-7)
    ds = [float(solve(Params.from_R(alpha=0.5, R=1.05, gamma=g), 0.03).delta)
          for g in (0.0, 0.1, 0.3, 0.6)]
    assert np.all(np.diff(ds) < 0.0)
    assert ds == pytest.approx([0.03, 0.02691, 0.02078, 0.01176], abs=1e-5)


def test_docs_record_the_corrections() -> None:
    errata = (DOCS / "errata.md").read_text(encoding="utf-8")
    for needle in ("Footnote 39", "Appendix 1", "rate of time preference", "Figure 2",
                   "loan_rate", "Figures 2 and 4–9"):
        assert needle in errata, needle
    model = (DOCS / "vonpeter.md").read_text(encoding="utf-8")
    assert "the exponent\nwins" in model or "the exponent wins" in model
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "every figure of the paper" not in readme
