"""The explorer's state: read from the URL, checked by the library, one line when refused."""

from __future__ import annotations

from typing import Any

import pytest

from bsrlab.interfaces.web.state import (
    VONPETER_DEFAULTS,
    error_line,
    query_string,
    read,
    vonpeter_state,
)


@pytest.mark.parametrize(("args", "start"), [
    ({"alpha": [b"5"]}, "bsrlab: error: parameter 'alpha' must satisfy R - 1 < alpha < 1"),
    ({"R": ["0.9"]}, "bsrlab: error: parameter 'R' must satisfy R > 1"),
    ({"gamma": ["1"]}, "bsrlab: error: parameter 'gamma' must satisfy 0 <= gamma < 1"),
    ({"tau": ["-0.1"]}, "bsrlab: error: parameter 'tau' must satisfy 0 <= tau <= 1"),
    ({"tau": ["nan"]}, "bsrlab: error: parameter 'tau' must satisfy a finite real number"),
    ({"alpha": ["x" * 500]}, "bsrlab: error: parameter 'alpha' must satisfy at most 200"),
])
def test_bad_values_are_refused_in_one_line(args: dict[str, Any], start: str) -> None:
    values, err = vonpeter_state(args)
    assert values == VONPETER_DEFAULTS
    assert err.startswith(start) and "\n" not in err


def test_same_line_as_the_command_line(cli: Any) -> None:
    res = cli("solve", "--alpha", "5", "--R", "1.05", "--gamma", "0", "--tau", "0.1")
    assert res.code == 2
    assert vonpeter_state({"alpha": ["5"], "tau": ["0.1"]})[1] == res.err.strip()


def test_round_trip_through_the_query_string() -> None:
    from urllib.parse import parse_qs

    vals = {"alpha": 0.4, "R": 1.06, "gamma": 0.1, "tau": 0.0825}
    back, err = vonpeter_state(parse_qs(query_string(vals)))
    assert err == "" and back == vals


def test_read_kinds() -> None:
    got = read({"p": ["a,b"], "h": ["1"], "c": ["x"]}, {"p": [], "h": False, "c": "y"},
               {"p": list, "h": bool, "c": ("x", "y")})
    assert got == {"p": ["a", "b"], "h": True, "c": "x"}
    with pytest.raises(Exception, match="option --c: expected one of x, y; got 'z'"):
        read({"c": ["z"]}, {"c": "y"}, {"c": ("x", "y")})


def test_unexpected_errors_show_no_traceback() -> None:
    assert error_line(KeyError("x")) == (
        "bsrlab: error: the computation failed (KeyError); try other values")


def test_snippets_run() -> None:
    pytest.importorskip("panel")
    from bsrlab.interfaces.web.pages import vonpeter

    ns: dict[str, Any] = {}
    exec(vonpeter.snippet(0.5, 1.05, 0.0, 0.08), ns)  # the "copy as Python" code runs
    assert ns["path"].end.value == "banking_crisis"
    assert float(ns["th"].tau_star) == pytest.approx(0.055)


def test_every_snippet_runs() -> None:
    pytest.importorskip("panel")
    from bsrlab.interfaces.web.pages import cases, chain, koo, policylab

    ns: dict[str, Any] = {}
    exec(policylab.snippet(0.5, 1.05, 0.0, 0.066, ("recapitalise", "forbearance")), ns)
    assert [o.policy for o in ns["outcomes"]] == ["none", "recapitalise", "forbearance"]
    exec(koo.snippet("us-2008", True, "QE"), ns)
    assert ns["row"]["policy"] == "QE"
    exec(chain.snippet("us-2008-chain", 0.2245, "capital-crunch", 0.0, 0.6), ns)
    assert ns["res"].selected.kind.value == "capital_crunch"
    exec(cases.snippet("japan-1990s", "/nonexistent-bsrlab"), ns)
    assert ns["section"].figures
