"""Figures computed from the models; each function returns ``(figure, data)``.

See :mod:`bsrlab.presentation.figures.vonpeter` for the figures of von Peter (2004) and
:mod:`bsrlab.presentation.style` for the shared look (Okabe-Ito palette, per-figure styling).
"""

from bsrlab.presentation.figures.vonpeter import (
    FIGURES,
    fig2_outcomes,
    fig4_repayment,
    fig5_balance_sheets,
    fig6_t_accounts,
    fig7_financial_extremes,
    fig8_instability,
    fig9_frontier,
)

__all__ = [
    "FIGURES",
    "fig2_outcomes",
    "fig4_repayment",
    "fig5_balance_sheets",
    "fig6_t_accounts",
    "fig7_financial_extremes",
    "fig8_instability",
    "fig9_frontier",
]
