"""The banking policies: registered, applied without side effects, and present everywhere."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bsrlab.core.errors import ParameterError
from bsrlab.models.vonpeter import Params
from bsrlab.models.vonpeter.lab import BankingInputs, evaluate
from bsrlab.policies import registry
from bsrlab.policies.banking import FAMILY, BankingContext, compare

ROOT = Path(__file__).resolve().parents[2]
P = Params.from_R(alpha=0.5, R=1.05, gamma=0.1)
EXPECTED = ("recapitalise", "capital-requirement", "timely-cut", "forbearance", "loan-spread",
            "tightening", "threshold-rule", "credit-coefficient")


def test_every_policy_of_the_note_is_registered() -> None:
    assert registry.names(FAMILY) == EXPECTED
    for n in EXPECTED:
        assert registry.describe(n)
        for opt, (_tp, _default, help_) in registry.parameters(n).items():
            assert help_, (n, opt)


@pytest.mark.parametrize("name", EXPECTED)
def test_apply_returns_new_inputs_and_leaves_the_given_ones(name: str) -> None:
    pol = registry.make(name, FAMILY)
    before = BankingInputs()
    snapshot = dataclasses.asdict(before)
    after = pol.apply(before, BankingContext(P, 0.06))
    assert isinstance(after, BankingInputs) and after != before
    assert dataclasses.asdict(before) == snapshot


def test_walk_the_registry_cli_report_docs() -> None:
    """Each banking policy appears in `bsrlab policy compare`, the report and the docs."""
    from bsrlab.presentation.content.policylab import comparison_frame
    from tests.interfaces._cli import run_cli

    res = run_cli("policy", "compare", "--alpha", "0.5", "--R", "1.05", "--gamma", "0.1",
                  "--tau", "0.06", "--format", "json")
    assert res.code == 0, res.err
    cli_names = [r["policy"] for r in json.loads(res.out)]
    frame = comparison_frame(P, 0.06)
    docs = (ROOT / "docs" / "vonpeter-policy-lab.md").read_text(encoding="utf-8")
    for n in registry.names(FAMILY):
        assert n in cli_names, n
        assert n in set(frame["policy"]), n
        assert f"`{n}`" in docs, n
        help_ = run_cli("policy", "--help").out + run_cli("policy", "compare", "--help").out
        assert "compare" in help_


def test_compare_outcomes_at_a_crisis_shock() -> None:
    out = {o.policy: o for o in compare(P, 0.06)}
    assert out["none"].outcome.value == "banking_crisis"
    assert out["recapitalise"].outcome.value == "fundamental"
    assert out["recapitalise"].fiscal_cost > 0.0
    assert out["forbearance"].outcome.value == "fundamental"
    assert [e["kind"] for e in out["forbearance"].equilibria] == ["fundamental"]
    for o in out.values():
        d = o.to_dict()
        assert "NaN" not in json.dumps(d, allow_nan=True)


def test_pledge_costs_only_what_is_drawn() -> None:
    inj = evaluate(P, 0.06, BankingInputs(injection=0.3))
    pledge = evaluate(P, 0.06, BankingInputs(injection=0.3, pledge=True))
    assert inj.fiscal_cost == pytest.approx(0.3)
    assert 0.0 < pledge.fiscal_cost < 0.3
    assert [e["kind"] for e in inj.equilibria] == [e["kind"] for e in pledge.equilibria]
    # the pledge removes the self-fulfilling crunch at delta*: it now lies at delta*(X)
    assert pledge.equilibria[1]["delta"] > evaluate(P, 0.01).equilibria[1]["delta"]


def test_bad_options_name_themselves() -> None:
    with pytest.raises(ParameterError, match="funding"):
        registry.make("recapitalise", FAMILY, funding="bonds")
    with pytest.raises(ParameterError, match="variant"):
        registry.make("capital-requirement", FAMILY, variant="x")
    with pytest.raises(ParameterError, match="rate"):
        registry.make("timely-cut", FAMILY, rate=1.2).apply(BankingInputs(),
                                                             BankingContext(P, 0.02))
    with pytest.raises(ParameterError, match="R"):
        registry.make("tightening", FAMILY, R=1.6).apply(BankingInputs(),
                                                         BankingContext(P, 0.02))


def test_an_inadmissible_default_is_reported_not_fatal() -> None:
    """At alpha just above R - 1 the default spread and tightening are inadmissible."""
    p = Params.from_R(alpha=0.051, R=1.05, gamma=0.5)
    out = {o.policy: o for o in compare(p, 0.3)}
    assert set(out) == {"none", *EXPECTED}
    for name in ("loan-spread", "tightening"):
        d = out[name].to_dict()
        assert d["outcome"] is None and d["equilibria"] == [] and d["note"]
        assert d["delta"] is None
