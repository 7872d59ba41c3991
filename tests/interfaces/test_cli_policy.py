"""`bsrlab policy ...` and `bsrlab shocks`: keys, formats and one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.interfaces._cli import run_cli

BASE = ("--alpha", "0.5", "--R", "1.05", "--gamma", "0")


def _json(*args: str) -> object:
    res = run_cli(*args, "--format", "json")
    assert res.code == 0, res.err
    assert "NaN" not in res.out and "Infinity" not in res.out
    return json.loads(res.out)


def test_recapitalise_keys_and_oracle() -> None:
    d = _json("policy", "recapitalise", *BASE, "--tau", "0.08")
    assert isinstance(d, dict)
    assert list(d)[:6] == ["tau", "delta", "delta_star", "minimum_injection",
                           "delta_star_after", "equilibria_after"]
    assert d["minimum_injection"] == pytest.approx(0.238095, abs=1e-6)
    assert [e["kind"] for e in d["equilibria_after"]] == ["fundamental", "capital_crunch",
                                                           "banking_crisis"]
    assert list(d["equilibria_after"][0]) == ["kind", "delta", "loan_rate", "stable",
                                              "self_fulfilling"]
    lst = _json("policy", "recapitalise", *BASE, "--tau", "0.06,0.1", "--funding", "tax",
                "--injection", "0.1")
    assert isinstance(lst, list) and len(lst) == 2 and lst[0]["injection"] == 0.1


def test_capital_requirement_keys() -> None:
    d = _json("policy", "capital-requirement", *BASE, "--kappa", "0.02")
    assert list(d) == ["kappa", "delta_star", "tau_star", "credit_multiplier"]
    assert d["delta_star"] == pytest.approx(0.0816, abs=5e-5)
    assert d["credit_multiplier"] == pytest.approx(50.0)
    r = _json("policy", "capital-requirement", *BASE, "--kappa", "0.02,0.1", "--variant", "ratio")
    assert len(r) == 2 and r[1]["delta_star"] > r[0]["delta_star"]


def test_rate_cut_keys() -> None:
    d = _json("policy", "rate-cut", *BASE, "--tau", "0.03", "--rate", "1.04")
    assert list(d) == ["tau", "rate", "delta", "p_t", "p_next", "loan_losses",
                       "bank_capital_t", "regime", "largest_tau_kept_below_tau_star"]
    assert d["largest_tau_kept_below_tau_star"] == pytest.approx(0.065, abs=1e-12)


def test_compare_one_object_per_policy() -> None:
    from bsrlab.policies import registry

    d = _json("policy", "compare", *BASE, "--tau", "0.06")
    assert [r["policy"] for r in d] == ["none", *registry.names("banking")]
    for r in d:
        assert {"equilibria", "outcome", "output", "loan_losses", "fiscal_cost"} <= set(r)


def test_shocks_keys_and_csv() -> None:
    d = _json("shocks", *BASE, "--taus", "0.03,0.05,0.2", "--payout", "0.5")
    assert len(d) == 3
    assert list(d[0])[:6] == ["tau", "delta", "bank_capital", "delta_star", "tau_star", "regime"]
    res = run_cli("shocks", *BASE, "--taus", "0.03,0.2", "--format", "csv")
    rows = list(csv.reader(io.StringIO(res.out)))
    assert rows[0][:6] == ["tau", "delta", "bank_capital", "delta_star", "tau_star", "regime"]
    assert len(rows) == 3


@pytest.mark.parametrize("cmd", [
    ("policy", "recapitalise", *BASE, "--tau", "0.08"),
    ("policy", "capital-requirement", *BASE, "--kappa", "0.02"),
    ("policy", "rate-cut", *BASE, "--tau", "0.03", "--rate", "1.04"),
    ("policy", "compare", *BASE, "--tau", "0.06"),
    ("shocks", *BASE, "--taus", "0.03,0.05"),
])
def test_table_and_csv_formats(cmd: tuple[str, ...]) -> None:
    for fmt in ("table", "csv"):
        res = run_cli(*cmd, "--format", fmt)
        assert res.code == 0 and res.out.strip(), res.err


@pytest.mark.parametrize(("args", "word"), [
    (("policy", "recapitalise", *BASE, "--tau", "1.5"), "tau"),
    (("policy", "recapitalise", *BASE, "--tau", "0.1", "--funding", "bonds"), "funding"),
    (("policy", "recapitalise", *BASE, "--tau", "0.1", "--injection", "-1"), "injection"),
    (("policy", "capital-requirement", *BASE, "--kappa", "0.2"), "kappa"),
    (("policy", "rate-cut", *BASE, "--tau", "0.03", "--rate", "1.2"), "rate"),
    (("policy", "rate-cut", *BASE, "--tau", "0.03", "--rate", "abc"), "rate"),
    (("shocks", *BASE, "--taus", "0.1", "--payout", "2"), "payout"),
    (("policy", "compare", *BASE, "--tau", "0.1", "--format", "xml"), "format"),
])
def test_errors_are_one_line_exit_2(args: tuple[str, ...], word: str) -> None:
    res = run_cli(*args)
    assert res.code == 2
    assert res.err.count("\n") == 1 and word in res.err


@settings(max_examples=40, deadline=None)
@given(cmd=st.sampled_from(["recapitalise", "capital-requirement", "rate-cut", "compare",
                            "shocks"]),
       alpha=st.sampled_from(["0.051", "0.25", "0.5", "0.99", "1.2", "nan", "abc"]),
       gamma=st.sampled_from(["0", "0.5", "0.94", "-0.1"]),
       x=st.sampled_from(["0", "0.03", "0.3", "1", "1.04", "1.5", "-1", "inf", "", ","]))
def test_no_traceback(cmd: str, alpha: str, gamma: str, x: str) -> None:
    common = ("--alpha", alpha, "--R", "1.05", "--gamma", gamma)
    args = {
        "recapitalise": ("policy", cmd, *common, "--tau", x, "--injection", x),
        "capital-requirement": ("policy", cmd, *common, "--kappa", x),
        "rate-cut": ("policy", cmd, *common, "--tau", "0.03", "--rate", x),
        "compare": ("policy", cmd, *common, "--tau", x),
        "shocks": (cmd, *common, "--taus", f"0.01,{x}", "--payout", x),
    }[cmd]
    res = run_cli(*args, "--format", "json")
    assert res.code in (0, 2)
    if res.code == 2:
        assert res.err.startswith("bsrlab: error:") and res.err.count("\n") == 1
    else:
        assert "NaN" not in res.out and "Infinity" not in res.out
