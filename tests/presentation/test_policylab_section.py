"""The policy lab's figures and report section."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from bsrlab.models.vonpeter import Params
from bsrlab.models.vonpeter.policy import minimum_injection
from bsrlab.presentation.config import SECTION_NAMES
from bsrlab.presentation.figures.policylab import FIGURES, injection_threshold
from bsrlab.presentation.report import OPTIONAL_SECTIONS

P = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)


def test_every_figure_returns_a_figure_and_its_data() -> None:
    args = {"policy_injection": (0.06,), "policy_shocks": ([0.03, 0.05, 0.07],),
            "policy_t_accounts": (0.06,)}
    for name, fn in FIGURES.items():
        fig, data = fn(P, *args.get(name, ()))
        assert isinstance(fig, Figure) and isinstance(data, pd.DataFrame), name
        assert "element" in data.columns or "shock" in data.columns or "funding" in data.columns


def test_injection_figure_marks_the_minimum() -> None:
    _fig, data = injection_threshold(P, 0.07)
    mk = data[data["element"] == "minimum_injection"]
    assert float(mk["injection"].iloc[0]) == pytest.approx(float(minimum_injection(P, 0.07)))


def test_section_is_optional_and_complete() -> None:
    from bsrlab.presentation.content.policylab import SECTION_ID, report_section

    assert "policylab" in SECTION_NAMES and "policylab" in OPTIONAL_SECTIONS
    sec = report_section(P)
    assert sec.id == SECTION_ID
    assert len(sec.figures) == 6 and len(sec.tables) == 1
    assert all(f.caption for f in sec.figures)
