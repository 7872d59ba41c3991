"""``bsrlab deleverage path|compare``: Koo's model by default, the EK model with ``--model ek``."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bsrlab.core.jsonio import dumps
from bsrlab.interfaces.cli.deleverage import SCENARIO_HELP
from bsrlab.models.deleveraging.koo import KOO_EXTRA_KEYS, solve_koo
from bsrlab.models.deleveraging.outputs import COMPARE_KEYS, PATH_KEYS
from bsrlab.models.deleveraging.path import solve_path
from bsrlab.scenarios.koo_lab import LAB_LABELS, compare_koo
from bsrlab.scenarios.koo_presets import KOO_PRESETS, get_koo_preset
from bsrlab.scenarios.lab import compare_policies
from bsrlab.scenarios.presets import get_preset

from ._cli import Run, run_cli

KOO_COMPARE = (*COMPARE_KEYS, "repair_end", "government_debt_end", "sentence")


def one_line_error(res: Run, needle: str) -> None:
    assert res.code == 2, res
    lines = res.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bsrlab: error: "), lines
    assert needle in lines[0], lines[0]
    assert res.out == ""


def _json(*args: str) -> object:
    res = run_cli("deleverage", *args, "--format", "json")
    assert res.code == 0, res.err
    return json.loads(res.out)


# ---- the default model is Koo's -------------------------------------------------------------

def test_path_default_is_koo_with_the_ek_keys_first() -> None:
    rows = _json("path", "--preset", "us-2008")
    pre = get_koo_preset("us-2008")
    ref = solve_koo(pre.params, pre.debt, pre.policies("as it happened"), periods=pre.periods)
    assert isinstance(rows, list) and len(rows) == pre.periods
    assert all(tuple(r) == (*PATH_KEYS, *KOO_EXTRA_KEYS) for r in rows)
    for r, gap, limit, assets in zip(rows, ref.output_gap, ref.at_limit, ref.safe_assets,
                                     strict=True):
        assert r["output_gap"] == float(gap) and r["at_limit"] is bool(limit)
        assert r["safe_assets"] == float(assets)
    # the preset's own fiscal policy (the Recovery Act) is in force as it happened
    assert rows[0]["government_spending"] == pytest.approx(0.017)
    for r in rows:
        assert r["private_surplus"] == pytest.approx(r["government_deficit"], abs=1e-10)


def test_scenarios_and_the_as_it_was_preset() -> None:
    none = _json("path", "--scenario", "no-policy", "--periods", "30")
    happened = _json("path", "--scenario", "as-it-happened", "--periods", "30")
    as_it_was = _json("path", "--preset", "japan-as-it-was", "--scenario", "no-policy",
                      "--periods", "30")
    assert isinstance(none, list) and isinstance(happened, list)
    assert all(r["government_spending"] == 0.0 for r in none)
    assert happened[1]["government_spending"] == pytest.approx(0.035)
    # japan-as-it-was holds Japan's deficits as its baseline: the same path
    assert as_it_was == happened
    assert _json("path", "--periods", "30") == happened


def test_koo_policies_are_offered_with_koo() -> None:
    rows = _json("path", "--preset", "us-2008", "--policy", "consolidation", "--size", "0.01",
                 "--start", "3", "--duration", "2")
    base = _json("path", "--preset", "us-2008")
    assert isinstance(rows, list) and isinstance(base, list)
    assert rows[3]["government_debt"] < base[3]["government_debt"]


def test_compare_default_is_koo_with_the_ek_keys_first() -> None:
    rows = _json("compare", "--preset", "us-2008")
    ref = compare_koo("us-2008")
    assert isinstance(rows, list)
    assert [r["policy"] for r in rows] == list(LAB_LABELS)
    assert all(tuple(r) == KOO_COMPARE for r in rows)
    for r, k in zip(rows, ref.rows, strict=True):
        assert r["repair_end"] == k["repair_end"] and r["sentence"] == k["sentence"]
        assert r["periods_at_bound"] == k["years_at_floor"]
        assert r["government_debt_end"] == k["government_debt_end"]
        assert r["cumulative_output_loss"] == k["cumulative_output_loss"]


def test_compare_table_prints_each_sentence_under_the_table() -> None:
    res = run_cli("deleverage", "compare", "--preset", "us-2008")
    assert res.code == 0, res.err
    assert "cumulative_output_loss" not in res.out and "cumulative output loss %" in res.out
    lines = res.out.splitlines()
    for row in compare_koo("us-2008").rows:
        assert f"{row['policy']}: {row['sentence']}" in lines


def test_compare_scenario_puts_the_scenario_s_policies_in_every_row() -> None:
    rows = _json("compare", "--preset", "us-2008", "--scenario", "as-it-happened")
    ref = compare_koo("us-2008", scenario="as it happened")
    assert ref.to_dict()["scenario"] == "as it happened"
    assert ref.to_dict()["baseline"] == [p.name for p in
                                         get_koo_preset("us-2008").policies("as it happened")]
    assert isinstance(rows, list)
    for r, k in zip(rows, ref.rows, strict=True):
        assert r["cumulative_output_loss"] == k["cumulative_output_loss"]
    # the no-policy row of that scenario is the path as it happened
    pre = get_koo_preset("us-2008")
    happened = solve_koo(pre.params, pre.debt, pre.policies("as it happened"),
                         periods=pre.periods)
    assert ref.paths["no policy"].output_gap.tolist() == happened.output_gap.tolist()
    assert rows != _json("compare", "--preset", "us-2008")  # the default is no-policy
    one_line_error(run_cli("deleverage", "compare", "--scenario", "later"), "--scenario")
    one_line_error(run_cli("deleverage", "compare", "--model", "ek", "--scenario",
                           "no-policy"), "--scenario")


def test_koo_tables_read_the_koo_vocabulary() -> None:
    from bsrlab.models.deleveraging.outputs import KOO_VOCABULARY

    res = run_cli("deleverage", "compare", "--preset", "us-2008")
    assert res.code == 0, res.err
    header = res.out.splitlines()[1]
    for key in ("cumulative_output_loss", "repair_end", "government_debt_end"):
        assert KOO_VOCABULARY[key].label in header
    assert KOO_VOCABULARY["cumulative_output_loss"].symbol == "Σ_t max(1 - y_t/y*, 0)"


def test_path_table_uses_labels_and_names_the_repair() -> None:
    res = run_cli("deleverage", "path", "--preset", "us-2008", "--periods", "30")
    assert res.code == 0, res.err
    assert "output_gap" not in res.out and "at the debt limit" in res.out
    repair = get_koo_preset("us-2008")
    end = solve_koo(repair.params, repair.debt, repair.policies("as it happened"),
                    periods=30).repair_end
    assert end is not None
    assert f"note: the balance sheet repair ends at t = {end} ({repair.first_year + end})" \
        in res.out.splitlines()


def test_scenario_help_names_the_scenario_of_each_preset_s_facts() -> None:
    flat = " ".join(SCENARIO_HELP.split())
    by = {pre.name: pre.facts_scenario.replace(" ", "-") for pre in KOO_PRESETS.values()}
    assert by == {"japan-1990s": "as-it-happened", "japan-as-it-was": "no-policy",
                  "us-2008": "as-it-happened"}
    assert "japan-1990s and us-2008 refer to as-it-happened" in flat
    assert "japan-as-it-was, whose baseline holds Japan's deficits, to no-policy" in flat
    res = run_cli("deleverage", "path", "--help")
    assert res.code == 0 and "--scenario" in res.out and "--model" in res.out


# ---- --model ek: the EK commands' output, unchanged -----------------------------------------

@pytest.mark.parametrize("preset", ["japan-1990s", "us-2008"])
def test_model_ek_path_json_is_the_ek_path(preset: str) -> None:
    pre = get_preset(preset)
    expected = dumps(solve_path(pre.params, pre.debt, [], periods=pre.periods).records())
    res = run_cli("deleverage", "path", "--model", "ek", "--preset", preset, "--format", "json")
    assert res.code == 0, res.err
    assert res.out == expected + "\n"


@pytest.mark.parametrize("preset", ["japan-1990s", "us-2008"])
def test_model_ek_compare_json_is_the_ek_lab(preset: str) -> None:
    expected = dumps([dict(r) for r in compare_policies(preset, periods=None).rows])
    res = run_cli("deleverage", "compare", "--model", "ek", "--preset", preset, "--format",
                  "json")
    assert res.code == 0, res.err
    assert res.out == expected + "\n"


# ---- csv -------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["path", "--preset", "us-2008", "--periods", "20"],
    ["path", "--preset", "japan-1990s", "--scenario", "no-policy", "--periods", "30"],
    ["compare", "--preset", "us-2008"],
    ["path", "--model", "ek", "--preset", "us-2008", "--periods", "20"],
])
def test_csv_parses_and_matches_json(args: list[str]) -> None:
    js = _json(*args)
    res = run_cli("deleverage", *args, "--format", "csv")
    assert res.code == 0, res.err
    rows = list(csv.DictReader(io.StringIO(res.out)))
    assert isinstance(js, list) and len(rows) == len(js)
    for row, rec in zip(rows, js, strict=True):
        for key, value in rec.items():
            if isinstance(value, list):
                assert [row[f"{key}.{i}"] for i in range(len(value))] == [str(v) for v in value]
            elif value is None:
                assert row[key] == ""
            elif isinstance(value, bool):
                assert row[key] == ("true" if value else "false")
            elif isinstance(value, float):
                assert float(row[key]) == value
            else:
                assert row[key] == str(value)


# ---- one-line errors -------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "needle"), [
    (["path", "--model", "koopman"], "option --model"),
    (["compare", "--model", "EK"], "option --model"),
    (["path", "--scenario", "as it happened"], "option --scenario"),
    (["path", "--scenario", ""], "option --scenario"),
    (["path", "--model", "ek", "--scenario", "no-policy"], "option --scenario"),
    (["path", "--model", "ek", "--policy", "consolidation"], "option --policy"),
    (["path", "--model", "ek", "--preset", "japan-as-it-was"], "preset"),
    (["path", "--preset", "atlantis"], "preset"),
    (["compare", "--preset", "atlantis"], "preset"),
    (["path", "--policy", "helicopter"], "option --policy"),
    (["path", "--policy", "spending-path", "--size", "0.1"], "size"),
    (["path", "--periods", "12"], "periods"),
])
def test_bad_input_is_one_line_exit_2(args: list[str], needle: str) -> None:
    one_line_error(run_cli("deleverage", *args), needle)


def test_a_koo_path_without_solution_is_the_convergence_error_in_one_line() -> None:
    res = run_cli("deleverage", "path", "--policy", "consolidation", "--size", "0.3",
                  "--periods", "20", "--format", "json")
    one_line_error(res, "Koo path (20 periods)")
