"""Calibrated presets of the many-period model, each number with where it comes from.

The calibrations are illustrative: they put the debt-limit paths at the sizes the sources report
and choose the behavioural parameters within conventional ranges so that the floor binds, which
is the situation the model is about. They are not estimated, and the model is annual with perfect
foresight, so it front-loads the slump into the first years (see ``docs/deleveraging.md``).

References
----------
* Koo, R. C. (2003), *Balance Sheet Recession: Japan's Struggle with Uncharted Economics and its
  Global Implications*, Wiley.
* Koo, R. C. (2008), *The Holy Grail of Macroeconomics: Lessons from Japan's Great Recession*,
  Wiley.
* Eggertsson, G. B. and P. Krugman (2012), "Debt, Deleveraging, and the Liquidity Trap: A
  Fisher-Minsky-Koo Approach", *Quarterly Journal of Economics* 127(3), 1469-1513.
* Mian, A. and A. Sufi (2014), *House of Debt*, University of Chicago Press.
* Board of Governors of the Federal Reserve System, *Financial Accounts of the United States*
  (Z.1), table D.3 (household and nonprofit debt outstanding) over nominal GDP.
* Bank of Japan, *Flow of Funds Accounts* (non-financial corporations' loans and securities
  other than shares, over nominal GDP).
* Taylor, J. B. (1993), "Discretion versus policy rules in practice", Carnegie-Rochester
  Conference Series 39; Taylor (1999) and Yellen (2012) for the output coefficient of 1.
* Havranek, T., R. Horvath, Z. Irsova and M. Rusnak (2015), "Cross-country heterogeneity in
  intertemporal substitution", *Journal of International Economics* 96(1), 100-118.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy
from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind, PathParams
from bsrlab.policies import registry

__all__ = ["NO_POLICY", "PRESETS", "Preset", "get_preset"]

#: The lab's label of the path without policy.
NO_POLICY = "no policy"


@dataclass(frozen=True, kw_only=True)
class Preset:
    """A named calibration: parameters, debt path, horizon, the lab's policy sizes, sources."""

    name: str
    title: str
    params: PathParams
    debt: DebtLimitPath
    periods: int
    period: str
    sources: dict[str, str] = field(default_factory=dict)
    fiscal_size: float = 0.02
    relief_size: float = 0.02
    cut_size: float = 0.01
    qe_size: float = 0.1
    fg_extra: int = 2
    higher_target: float = 0.03

    def lab_specs(self) -> tuple[tuple[str, dict[str, Any]], ...]:
        """The lab's policies as (registry name, options), in the order the lab lists them."""
        return (
            ("rate-cut", {"size": self.cut_size}),
            ("qe", {"size": self.qe_size}),
            ("forward-guidance", {"extra_periods": self.fg_extra}),
            ("fiscal", {"size": self.fiscal_size}),
            ("debt-relief", {"size": self.relief_size}),
            ("higher-target", {"target": self.higher_target}),
        )

    def lab_policies(self) -> dict[str, Policy | None]:
        """The policies the lab compares, keyed by their labels (windows: the baseline spell).

        Built through :mod:`bsrlab.policies.registry`; each label is the policy class's
        ``label`` (``rate cut``, ``QE``, ...), and :data:`NO_POLICY` comes first.
        """
        out: dict[str, Policy | None] = {NO_POLICY: None}
        for name, options in self.lab_specs():
            cls = registry.get(name, "deleveraging")
            out[str(getattr(cls, "label", name))] = registry.make(name, "deleveraging",
                                                                  **options)
        return out

    def lab_descriptions(self) -> dict[str, str]:
        """The one-line description of each lab policy by its label (for captions)."""
        out = {NO_POLICY: "the path without policy: the debt limit falls and the policy rate "
                          "follows its rule down to the floor"}
        for name, _ in self.lab_specs():
            cls = registry.get(name, "deleveraging")
            out[str(getattr(cls, "label", name))] = registry.describe(name)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "params": self.params.to_dict(),
                "debt": self.debt.to_dict(), "periods": self.periods, "period": self.period,
                "sources": dict(self.sources)}


_JAPAN = Preset(
    name="japan-1990s",
    title="Japan after 1990: a decade of corporate deleveraging",
    params=PathParams(beta=0.99, sigma=0.25, chi_b=0.5, kappa=0.05, phi_pi=1.5, phi_y=0.5,
                      pibar=0.01, i_floor=0.0, nominal_debt=True),
    debt=DebtLimitPath(debt_high=1.4, debt_low=1.0, kind=PathKind.GEOMETRIC, years=12,
                       decay=0.85),
    periods=60, period="year", fiscal_size=0.02, relief_size=0.02, cut_size=0.01,
    qe_size=0.1, fg_extra=2, higher_target=0.03,
    sources={
        "debt_high, debt_low": "non-financial corporate debt of roughly 140% of GDP at the "
        "early-1990s peak falling toward 100% by the mid-2000s (Bank of Japan Flow of Funds, "
        "as charted in Koo 2003 ch. 1 and Koo 2008 ch. 1); rounded, illustrative",
        "years, decay": "Koo (2003, 2008): firms paid down debt for about a decade after the "
        "1990 crash, the most in the early years; 12 years with a geometric fade of 0.85 a year",
        "chi_b": "half the economy (indebted firms and their owners) deleverages; illustrative",
        "pibar": "trend inflation of about 1% a year before the bust (CPI, late 1980s); "
        "rounded",
        "beta": "a natural real rate of about 1% a year (beta = 0.99); illustrative",
        "sigma": "an intertemporal elasticity of 0.25, in the low part of the range surveyed by "
        "Havranek et al. (2015); illustrative",
        "kappa": "Phillips-curve slope 0.05 per year (a flat curve, as estimated for Japan in "
        "the 1990s); illustrative",
        "phi_pi, phi_y": "Taylor (1993): 1.5 and 0.5",
        "i_floor": "the Bank of Japan's call rate near zero from 1995 and at zero from 1999",
        "policy sizes": "fiscal stimulus and debt relief of 2% of GDP a year while the floor "
        "binds (Koo 2008 credits deficits of this order with keeping GDP from falling)",
    },
)

_US = Preset(
    name="us-2008",
    title="United States after 2008: household deleveraging",
    params=PathParams(beta=0.995, sigma=0.33, chi_b=0.5, kappa=0.02, phi_pi=1.5, phi_y=1.0,
                      pibar=0.015, i_floor=0.0, nominal_debt=True),
    debt=DebtLimitPath(debt_high=0.98, debt_low=0.76, kind=PathKind.GEOMETRIC, years=6,
                       decay=0.7),
    periods=60, period="year", fiscal_size=0.02, relief_size=0.02, cut_size=0.01,
    qe_size=0.1, fg_extra=2, higher_target=0.035,
    sources={
        "debt_high, debt_low": "household and nonprofit debt of about 98% of GDP at the 2008 "
        "peak falling to about 76% by 2013-14 (Federal Reserve Z.1 table D.3 over nominal "
        "GDP; Mian and Sufi 2014, ch. 1-2); rounded",
        "years, decay": "most of the fall in 2009-2012, finished within about six years; a "
        "geometric fade of 0.7 a year",
        "chi_b": "half of households as borrowers (Eggertsson and Krugman 2012 split the "
        "population into borrowers and savers; the share is illustrative)",
        "pibar": "1.5% a year, the middle of the 1-2% 'comfort zone' for core PCE inflation "
        "described by FOMC members in the mid-2000s",
        "beta": "a low pre-crisis natural real rate of about 0.5% a year (beta = 0.995); "
        "illustrative",
        "sigma": "intertemporal elasticity 0.33 (Havranek et al. 2015 range); illustrative",
        "kappa": "Phillips-curve slope 0.02 per year (the flat curve of the 2000s); "
        "illustrative",
        "phi_pi, phi_y": "1.5 (Taylor 1993) and 1.0 on the output gap (Taylor 1999, Yellen "
        "2012 'balanced approach')",
        "i_floor": "federal funds target range of 0-0.25% from December 2008",
        "policy sizes": "2% of GDP a year while the floor binds, the order of the 2009 "
        "Recovery Act (about $800 billion spread over several years)",
    },
)

#: The presets by name.
PRESETS: dict[str, Preset] = {p.name: p for p in (_JAPAN, _US)}


def get_preset(name: str) -> Preset:
    """The preset called ``name``; an unknown name raises ParameterError listing the choices."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ParameterError("preset", "one of " + ", ".join(PRESETS), name) from None
