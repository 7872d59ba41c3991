"""Every output of the policy lab is declared once, in the family's vocabularies."""

from __future__ import annotations

from typing import Any

from bsrlab.models.vonpeter import Params
from bsrlab.models.vonpeter.allocation import allocations
from bsrlab.models.vonpeter.outputs import VOCABULARY
from bsrlab.models.vonpeter.policy_outputs import POLICY_VOCABULARY
from bsrlab.models.vonpeter.shocks import shock_path
from bsrlab.models.vonpeter.spreads import invert_spread
from bsrlab.policies.banking import (
    capital_requirement_records,
    compare,
    rate_cut_records,
    recapitalise_record,
)


def _keys(obj: Any) -> set[str]:
    out: set[str] = set()
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            out |= set(x)
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return out


def test_every_policy_output_is_declared() -> None:
    p = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
    odd = Params.from_R(alpha=0.051, R=1.05, gamma=0.5)
    dicts: list[Any] = [a.to_dict() for a in allocations(p, 0.01)]
    dicts += [a.point() for a in allocations(p, 0.01)]
    dicts += [recapitalise_record(p, 0.06), capital_requirement_records(p, [0.02]),
              rate_cut_records(p, [0.02, 0.3], 1.03), [o.to_dict() for o in compare(p, 0.06)],
              [o.to_dict() for o in compare(odd, 0.3)], shock_path(p, [0.01, 0.2]).to_dict(),
              invert_spread(p, [0.001]).to_dict()]
    keys = set().union(*(_keys(d) for d in dicts))
    keys |= {str(c) for c in shock_path(p, [0.01]).to_frame().columns}
    missing = sorted(keys - set(VOCABULARY) - set(POLICY_VOCABULARY))
    assert not missing, f"declare in models/vonpeter/policy_outputs.py: {missing}"
