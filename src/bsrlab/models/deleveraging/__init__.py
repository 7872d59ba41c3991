"""Koo's balance sheet recession: deleveraging, the zero lower bound, debt deflation, policy lab.

An Eggertsson-Krugman borrower-saver economy in three forms (see ``docs/deleveraging.md``):

* :mod:`~bsrlab.models.deleveraging.endowment` -- flexible prices, one-period deleveraging,
  closed forms;
* :mod:`~bsrlab.models.deleveraging.two_state` -- sticky prices, a two-state short run,
  closed forms;
* :mod:`~bsrlab.models.deleveraging.path` -- many periods, nonlinear, perfect foresight,
  stacked Newton;
  :mod:`~bsrlab.models.deleveraging.linear` is its hand-derived log-linear twin;

:mod:`~bsrlab.models.deleveraging.outputs` declares every output once (the JSON keys, labels,
units). Parameters are frozen, validated, hashable dataclasses; results carry
:class:`~bsrlab.core.result.Diagnostics` and read-only arrays, and a solver raises
:class:`~bsrlab.core.errors.ConvergenceError` rather than return what it did not verify.

Policies live in :mod:`bsrlab.policies`, presets and the policy lab in :mod:`bsrlab.scenarios`,
figures and the report section in :mod:`bsrlab.presentation`; :mod:`bsrlab.deleveraging` gathers
the public names of all of them.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bsrlab.models.deleveraging.endowment import (
        EndowmentParams,
        EndowmentResult,
        solve_endowment,
    )
    from bsrlab.models.deleveraging.linear import LinearPath, solve_linear
    from bsrlab.models.deleveraging.model import DebtLimitPath, PathKind, PathParams
    from bsrlab.models.deleveraging.outputs import (
        COMPARE_KEYS,
        ENDOWMENT_KEYS,
        EXTRA_KEYS,
        PATH_KEYS,
        TWO_STATE_KEYS,
        VOCABULARY,
    )
    from bsrlab.models.deleveraging.path import Exogenous, PathContext, PathResult, solve_path
    from bsrlab.models.deleveraging.two_state import (
        TwoStateParams,
        TwoStateResult,
        solve_two_state,
    )

#: The module of each public name. They are imported when first asked for, so that a command
#: using one form of the model (Koo's lab uses the path) does not load the others.
_MODULES = {
    **dict.fromkeys(("EndowmentParams", "EndowmentResult", "solve_endowment"), "endowment"),
    **dict.fromkeys(("LinearPath", "solve_linear"), "linear"),
    **dict.fromkeys(("DebtLimitPath", "PathKind", "PathParams"), "model"),
    **dict.fromkeys(("COMPARE_KEYS", "ENDOWMENT_KEYS", "EXTRA_KEYS", "PATH_KEYS",
                     "TWO_STATE_KEYS", "VOCABULARY"), "outputs"),
    **dict.fromkeys(("Exogenous", "PathContext", "PathResult", "solve_path"), "path"),
    **dict.fromkeys(("TwoStateParams", "TwoStateResult", "solve_two_state"), "two_state"),
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULES})


__all__ = [
    "COMPARE_KEYS",
    "ENDOWMENT_KEYS",
    "EXTRA_KEYS",
    "PATH_KEYS",
    "TWO_STATE_KEYS",
    "VOCABULARY",
    "DebtLimitPath",
    "EndowmentParams",
    "EndowmentResult",
    "Exogenous",
    "LinearPath",
    "PathContext",
    "PathKind",
    "PathParams",
    "PathResult",
    "TwoStateParams",
    "TwoStateResult",
    "solve_endowment",
    "solve_linear",
    "solve_path",
    "solve_two_state",
]
