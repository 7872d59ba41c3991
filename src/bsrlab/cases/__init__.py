"""Case studies on real data: six episodes, their calibration and diagnosis, and a panel test.

- :mod:`~bsrlab.cases.facts`: the cited facts typed in (von Peter 2004, Laeven-Valencia 2018);
- :mod:`~bsrlab.cases.episodes`: the episodes and what was observed, from the data or the facts;
- :mod:`~bsrlab.cases.calibrate`: (alpha, R, gamma) from observables: the ``collateral``
  calibration (default) and the ``literal`` one, and where the model's box ends;
- :mod:`~bsrlab.cases.diagnose`: thresholds, the implied shock, predicted regime and losses,
  every calibration side by side;
- :mod:`~bsrlab.cases.panel`: the threshold rule against every JST country-year in three
  designs, with the statistics of :mod:`~bsrlab.cases.stats` and the on-disk cache of
  :mod:`~bsrlab.cases.results`;
- :mod:`~bsrlab.cases.dashboard`: every country's vulnerability at the latest date;
- :mod:`~bsrlab.presentation.content.cases`: case pages and the section of ``bsrlab report``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from bsrlab.cases.calibrate import Calibration, CalibrationSpec, Observables, calibrate
from bsrlab.cases.diagnose import (
    Diagnosis,
    diagnose,
    diagnose_all,
    implied_tau,
    predicted_regime,
    required_credit_gdp,
)
from bsrlab.cases.episodes import EPISODES, Episode, Observation, episode, observe

if TYPE_CHECKING:
    from bsrlab.cases.dashboard import DashboardRow
    from bsrlab.cases.panel import PanelResult, auc, panel_test

#: The panel test (pandas over every country-year) and the dashboard are imported on first use,
#: so that a command which lists or diagnoses the episodes does not pay for them.
_LAZY = {"PanelResult": "panel", "auc": "panel", "panel_test": "panel",
         "DashboardRow": "dashboard"}


def __getattr__(name: str) -> Any:
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module 'bsrlab.cases' has no attribute {name!r}")
    return getattr(importlib.import_module(f"bsrlab.cases.{home}"), name)


__all__ = [
    "EPISODES",
    "Calibration",
    "CalibrationSpec",
    "DashboardRow",
    "Diagnosis",
    "Episode",
    "Observables",
    "Observation",
    "PanelResult",
    "auc",
    "calibrate",
    "diagnose",
    "diagnose_all",
    "episode",
    "implied_tau",
    "observe",
    "panel_test",
    "predicted_regime",
    "required_credit_gdp",
]
