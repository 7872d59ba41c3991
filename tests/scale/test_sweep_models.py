"""Sweeps of other models: the endowment economy point for point, bitwise identical whatever
the workers and chunks, a model registered from Python, and configuration errors named."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bsrlab.core.errors import BsrlabError, ConfigError, ParameterError
from bsrlab.models.deleveraging.endowment import (
    EndowmentParams,
    natural_rate_endowment,
    natural_rate_is_negative,
    solve_endowment,
)
from bsrlab.scale.distributions import Box
from bsrlab.scale.sweep import (
    EK_ENDOWMENT_MODEL,
    MODELS,
    SweepConfig,
    SweepModel,
    evaluate_block,
    get_model,
    register_model,
    run,
    unregister_model,
)

EK_SAMPLE: dict[str, Any] = {
    "model": {"name": "ek-endowment",
              "outputs": ["natural_rate", "zero_bound", "c_borrower_short", "steady_rate"]},
    "parameters": {"beta": {"uniform": [0.9, 0.99]}, "d_high": {"uniform": [0.2, 0.4]},
                   "d_low": {"uniform": [0.0, 0.2]}, "price_level": {"uniform": [0.9, 1.1]}},
    "sample": {"points": 30_000, "seed": 5, "block": 4096},
}
EK_GRID: dict[str, Any] = {
    "model": {"name": "ek-endowment", "outputs": list(EK_ENDOWMENT_MODEL.outputs)},
    "parameters": {"beta": {"values": [0.9, 0.96, 0.99]}, "d_high": {"grid": [0.2, 0.45, 6]},
                   "d_low": {"grid": [0.0, 0.2, 5]}, "y": {"values": [1.0, 1.2]},
                   "price_level": {"values": [0.95, 1.0]}},
    "sample": {"block": 50},
}


def _columns(cfg: SweepConfig) -> dict[str, np.ndarray]:
    """Every point's inputs and outputs, block by block (histogram ranges are irrelevant)."""
    ranges = {o: (0.0, 1.0) for o in cfg.outputs if o not in cfg.spec.codes}
    cfg = replace(cfg, reduce=replace(cfg.reduce, ranges=ranges))
    blocks = [evaluate_block(cfg, i, columns=True).columns for i in range(cfg.blocks)]
    assert all(b is not None for b in blocks)
    return {k: np.concatenate([b[k] for b in blocks if b is not None]) for k in blocks[0] or {}}


@pytest.mark.parametrize("doc", [EK_SAMPLE, EK_GRID], ids=["sample", "grid"])
def test_ek_outputs_equal_the_closed_form_point_for_point(doc: dict[str, Any]) -> None:
    cfg = SweepConfig.from_dict(doc)
    cols = _columns(cfg)
    assert list(cols)[:5] == ["beta", "d_high", "d_low", "y", "price_level"]
    assert cols["natural_rate"].size == cfg.space.size
    args = (cols["beta"], cols["d_high"], cols["d_low"], cols["y"], cols["price_level"])
    r = natural_rate_endowment(*args)
    np.testing.assert_array_equal(cols["natural_rate"], r)
    np.testing.assert_array_equal(cols["zero_bound"], natural_rate_is_negative(*args))
    assert cols["zero_bound"].dtype == np.int8
    sol = solve_endowment(EndowmentParams(beta=args[0], d_high=args[1], d_low=args[2],
                                          y=args[3], price_level=args[4]))
    for k in doc["model"]["outputs"]:
        if k != "zero_bound":
            np.testing.assert_array_equal(cols[k], getattr(sol, k), err_msg=k)
    res = run(cfg, workers=1)
    s = res.summary
    assert s["natural_rate"]["count"] == cfg.space.size
    assert s["natural_rate"]["min"] == float(r.min()) and s["natural_rate"]["max"] == float(
        r.max())
    assert math.isclose(s["natural_rate"]["mean"], float(np.mean(r)), rel_tol=1e-12)
    binds = int(np.count_nonzero(natural_rate_is_negative(*args)))
    assert s["zero_bound"]["counts"] == {"slack": cfg.space.size - binds, "binds": binds}


def test_ek_grid_axes_follow_the_input_order() -> None:
    cfg = SweepConfig.from_dict(EK_GRID)
    assert cfg.space.size == 3 * 6 * 5 * 2 * 2
    cols = _columns(cfg)
    b, dh, dl, y, p = np.meshgrid([0.9, 0.96, 0.99], np.linspace(0.2, 0.45, 6),
                                  np.linspace(0.0, 0.2, 5), [1.0, 1.2], [0.95, 1.0],
                                  indexing="ij")
    for k, v in zip(("beta", "d_high", "d_low", "y", "price_level"), (b, dh, dl, y, p),
                    strict=True):
        np.testing.assert_array_equal(cols[k], v.ravel())


def test_ek_defaults_fill_y_and_the_price_level() -> None:
    cfg = SweepConfig.from_dict({"model": {"name": "ek-endowment"},
                                 "parameters": {"beta": 0.96, "d_high": 0.3, "d_low": 0.1}})
    assert cfg.outputs == ("natural_rate", "zero_bound") and cfg.space.size == 1
    cols = _columns(cfg)
    assert cols["y"].tolist() == [1.0] and cols["price_level"].tolist() == [1.0]
    assert cols["natural_rate"][0] == natural_rate_endowment(0.96, 0.3, 0.1)


def _fingerprint(res: Any, path: Path) -> tuple[str, Any]:
    pq = pytest.importorskip("pyarrow.parquet")
    return json.dumps(res.summary, sort_keys=True), pq.read_table(path)


def test_ek_bitwise_identical_for_workers_and_chunks(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    cfg = SweepConfig.from_dict(EK_SAMPLE)
    prints = []
    for w, ch in [(1, None), (2, 1), (2, 3)]:
        out = tmp_path / f"w{w}c{ch}.parquet"
        res = run(cfg, workers=w, chunk_blocks=ch, out=out)
        prints.append(_fingerprint(res, out))
    summary, table = prints[0]
    assert table.num_rows == 30_000
    assert table.column_names == ["beta", "d_high", "d_low", "y", "price_level",
                                  "natural_rate", "zero_bound", "c_borrower_short",
                                  "steady_rate"]
    for s, t in prints[1:]:
        assert s == summary
        assert t.equals(table)


def test_ek_point_outside_the_model_is_named() -> None:
    doc = {**EK_GRID, "parameters": {**EK_GRID["parameters"], "d_low": {"values": [0.1, 0.3]}}}
    cfg = SweepConfig.from_dict(doc)
    with pytest.raises(ParameterError, match=r"d_low.*d_low <= d_high.*got 0\.3"):
        run(cfg, workers=1)


# -- a model registered from Python ---------------------------------------------------------


def wave(inputs: Mapping[str, Any], outputs: Sequence[str],
         cache: dict[Any, Any]) -> dict[str, Any]:
    """sin(k x + phase) and in which third of [-1, 1] it lies (module level: picklable)."""
    v = np.sin(inputs["k"] * inputs["x"] + inputs["phase"])
    return {"value": v, "third": np.digitize(v, [-1 / 3, 1 / 3]).astype(np.int8),
            "constant": 2.5}


WAVE = SweepModel(
    name="test-wave", function=wave, inputs=("x", "k", "phase"),
    boxes={"x": Box(-math.pi, math.pi), "k": Box(0.0, 10.0, True), "phase": Box(0.0, 1.0)},
    outputs=("value", "third", "constant"), default_outputs=("value", "third"),
    defaults={"phase": 0.0}, codes={"third": ("low", "middle", "high")},
    description="a sine wave and its thirds")


@pytest.fixture
def wave_model() -> Any:
    register_model(WAVE)
    try:
        yield WAVE
    finally:
        unregister_model(WAVE.name)


def test_a_registered_model_runs(wave_model: SweepModel, tmp_path: Path) -> None:
    doc: dict[str, Any] = {
        "model": {"name": "test-wave", "outputs": ["value", "third", "constant"]},
        "parameters": {"x": {"uniform": [-3.0, 3.0]}, "k": {"values": [1.0]}}}
    with pytest.raises(ConfigError, match="grid"):  # a grid and a distribution mixed
        SweepConfig.from_dict(doc)
    doc["parameters"]["k"] = 2.0
    doc["sample"] = {"points": 10_000, "seed": 3, "block": 1000}
    cfg = SweepConfig.from_dict(doc)
    assert cfg.model == "test-wave" and cfg.spec is WAVE
    ref = run(cfg, workers=1)
    par = run(cfg, workers=2, chunk_blocks=2)
    assert json.dumps(par.summary, sort_keys=True) == json.dumps(ref.summary, sort_keys=True)
    cols = _columns(cfg)
    np.testing.assert_array_equal(cols["value"], np.sin(2.0 * cols["x"]))
    thirds = np.bincount(np.digitize(cols["value"], [-1 / 3, 1 / 3]), minlength=3)
    assert list(ref.summary["third"]["counts"].values()) == thirds.tolist()
    assert list(ref.summary["third"]["counts"]) == ["low", "middle", "high"]
    assert ref.summary["constant"]["mean"] == 2.5 and ref.summary["constant"]["count"] == 10_000
    # the model travels inside the configuration: it is found after unregistering too
    unregister_model(WAVE.name)
    try:
        again = run(cfg, workers=2)
        assert json.dumps(again.summary, sort_keys=True) == json.dumps(ref.summary,
                                                                       sort_keys=True)
    finally:
        register_model(WAVE)


def test_a_model_given_directly_needs_no_registry() -> None:
    cfg = SweepConfig.from_dict({"parameters": {"x": {"grid": [-1.0, 1.0, 11]}, "k": 1.0}},
                                model=WAVE)
    assert WAVE.name not in MODELS
    assert run(cfg, workers=1).summary["value"]["count"] == 11
    with pytest.raises(ParameterError, match=r"model\.name"):
        SweepConfig.from_dict({"model": {"name": "vonpeter"}, "parameters": {"x": 0.0}},
                              model=WAVE)


def test_registry_rules(wave_model: SweepModel) -> None:
    with pytest.raises(ParameterError, match="not yet registered"):
        register_model(WAVE)
    assert register_model(WAVE, replace=True) is WAVE
    with pytest.raises(ParameterError, match="not yet registered"):
        register_model(EK_ENDOWMENT_MODEL, replace=True)
    with pytest.raises(ParameterError, match="register_model"):
        unregister_model("vonpeter")
    assert get_model("ek-endowment") is EK_ENDOWMENT_MODEL


def test_a_function_that_cannot_reach_the_workers_is_named() -> None:
    lam: Callable[..., Any] = lambda inputs, outputs, cache: {"value": inputs["x"]}  # noqa: E731
    model = SweepModel(name="lam", function=lam, inputs=("x",), boxes={"x": Box(0.0, 1.0)},
                       outputs=("value",))
    cfg = SweepConfig.from_dict({"parameters": {"x": {"grid": [0.0, 1.0, 5]}}}, model=model)
    assert run(cfg, workers=1).summary["value"]["count"] == 5
    with pytest.raises(BsrlabError, match="module level"):
        run(cfg, workers=2)


@pytest.mark.parametrize(("result", "match"), [
    ({"value": np.zeros(3)}, "shape"),
    ({}, "no output 'value'"),
    ({"value": np.zeros(5), "third": np.full(5, 3, dtype=np.int8)}, "code 3"),
    ({"value": np.zeros(5), "third": np.zeros(5)}, "integers"),
])
def test_bad_model_outputs_are_named(result: dict[str, Any], match: str) -> None:
    def fn(inputs: Any, outputs: Any, cache: Any) -> dict[str, Any]:
        return result

    model = SweepModel(name="bad", function=fn, inputs=("x",), boxes={"x": Box(0.0, 1.0)},
                       outputs=("value", "third"), codes={"third": ("a", "b", "c")})
    outs = ["value", "third"] if "third" in result else ["value"]
    cfg = SweepConfig.from_dict({"model": {"outputs": outs},
                                 "parameters": {"x": {"grid": [0.0, 1.0, 5]}}}, model=model)
    with pytest.raises(BsrlabError, match=match):
        run(cfg, workers=1)


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"inputs": ("x", "x")}, "SweepModel.inputs"),
    ({"boxes": {}}, r"SweepModel.boxes\['x'\]"),
    ({"outputs": ("x",)}, "SweepModel.outputs"),
    ({"defaults": {"x": 2.0}}, r"SweepModel.defaults\['x'\]"),
    ({"codes": {"nope": ("a",)}}, "SweepModel.codes"),
    ({"beta_for": "x"}, r"SweepModel.boxes\['beta'\]"),
    ({"shock": ("y",)}, "SweepModel.shock"),
])
def test_bad_model_declarations_are_named(kwargs: dict[str, Any], match: str) -> None:
    base: dict[str, Any] = {"name": "m", "function": wave, "inputs": ("x",),
                            "boxes": {"x": Box(0.0, 1.0)}, "outputs": ("value",)}
    with pytest.raises(ParameterError, match=match):
        SweepModel(**{**base, **kwargs})


# -- configuration errors --------------------------------------------------------------------


@pytest.mark.parametrize(("change", "err", "match"), [
    ({"model": {"name": "nope"}}, ParameterError, "model.name"),
    ({"model": {"name": ["ek-endowment"]}}, ParameterError, "model.name"),
    ({"model": {"name": "ek-endowment", "outputs": ["delta"]}}, ParameterError,
     "model.outputs.*natural_rate"),
    ({"model": {"name": "ek-endowment", "colour": 1}}, ConfigError, "unknown key 'model.colour'"),
    ({"parameters": {"beta": 0.96, "d_high": 0.3, "d_low": 0.1, "alpha": 0.5}}, ConfigError,
     "unknown key 'parameters.alpha'"),
    ({"parameters": {"beta": 0.96, "d_high": 0.3, "d_low": 0.1, "R": 1.04}}, ConfigError,
     "unknown key 'parameters.R'"),
    ({"shock": {"tau": 0.1}}, ConfigError, "unknown key 'shock.tau'.*no \\[shock\\]"),
    ({"parameters": {"beta": 0.96, "d_high": 0.3}}, ConfigError, "parameters.d_low: missing"),
    ({"parameters": {"beta": 1.2, "d_high": 0.3, "d_low": 0.1}}, ParameterError,
     r"parameter 'beta' must satisfy 0 < beta < 1; got 1\.2"),
    ({"parameters": {"beta": {"grid": [0.9, 1.0, 3]}, "d_high": 0.3, "d_low": 0.1}},
     ParameterError, r"'beta' must satisfy 0 < beta < 1; got 1\.0"),
    ({"parameters": {"beta": {"uniform": [0.5, 1.5]}, "d_high": 0.3, "d_low": 0.1}},
     ParameterError, "beta"),
    ({"parameters": {"beta": 0.96, "d_high": -0.1, "d_low": 0.0}}, ParameterError,
     r"'d_high' must satisfy d_high >= 0; got -0\.1"),
    ({"parameters": {"beta": 0.96, "d_high": 0.3, "d_low": 0.1, "price_level": 0.0}},
     ParameterError, "price_level > 0"),
    ({"reduce": {"ranges": {"delta": [0, 1]}}}, ConfigError, "reduce.ranges.delta"),
])
def test_bad_ek_configurations_are_named(change: dict[str, Any], err: type,
                                         match: str) -> None:
    doc = {"model": {"name": "ek-endowment"},
           "parameters": {"beta": 0.96, "d_high": 0.3, "d_low": 0.1}, **change}
    with pytest.raises(err, match=match) as info:
        SweepConfig.from_dict(doc)
    assert "\n" not in str(info.value)


# -- the command line ------------------------------------------------------------------------

EK_TOML = """\
[model]
name = "ek-endowment"
outputs = ["natural_rate", "zero_bound"]
[parameters]
beta = { uniform = [0.9, 0.99] }
d_high = { uniform = [0.2, 0.4] }
d_low = { uniform = [0.0, 0.2] }
[sample]
points = 3000
seed = 2
block = 1024
"""


def test_cli_sweeps_the_endowment_economy(cli: Callable[..., Any], tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    cfg = tmp_path / "ek.toml"
    cfg.write_text(EK_TOML)
    out = tmp_path / "ek.parquet"
    r = cli("sweep", "--config", str(cfg), "--workers", "1", "--out", str(out), "--format",
            "json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["points"] == 3000 and d["blocks"] == 3
    assert list(d["summary"]) == ["natural_rate", "zero_bound"]
    assert sum(d["summary"]["zero_bound"]["counts"].values()) == 3000
    q = cli("sweep", "query", str(out), "select zero_bound, count(*) as n from results "
            "where natural_rate < 0 group by 1", "--format", "json")
    assert q.code == 0, q.err
    assert json.loads(q.out) == [{"zero_bound": 1, "n": d["summary"]["zero_bound"]["counts"][
        "binds"]}]
    t = cli("sweep", "--config", str(cfg), "--workers", "1")
    assert t.code == 0, t.err
    assert "natural_rate" in t.out and "binds" in t.out and "slack" in t.out


@pytest.mark.parametrize(("text", "needle"), [
    (EK_TOML + "[shock]\ntau = 0.1\n", "unknown key 'shock.tau'"),
    (EK_TOML.replace("d_low = {", "alpha = 0.5\nd_low = {"), "unknown key 'parameters.alpha'"),
    (EK_TOML.replace("[0.9, 0.99]", "[0.9, 1.5]"), "beta"),
])
def test_cli_errors_name_the_key(cli: Callable[..., Any], tmp_path: Path, text: str,
                                 needle: str) -> None:
    cfg = tmp_path / "ek.toml"
    cfg.write_text(text)
    r = cli("sweep", "--config", str(cfg), "--workers", "1")
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and needle in r.err


def test_cli_lists_the_models(cli: Callable[..., Any]) -> None:
    r = cli("sweep", "models", "--format", "json")
    assert r.code == 0, r.err
    models = {m["name"]: m for m in json.loads(r.out)}
    assert {"vonpeter", "ek-endowment"} <= set(models)
    ek = models["ek-endowment"]
    assert list(ek["parameters"]) == ["beta", "d_high", "d_low", "y", "price_level"]
    assert ek["shock"] == {} and ek["codes"] == {"zero_bound": ["slack", "binds"]}
    assert list(models["vonpeter"]["shock"]) == ["tau"]
    t = cli("sweep", "models")
    assert t.code == 0 and "ek-endowment" in t.out and "0 < beta < 1" in t.out


def test_a_model_named_by_module_and_attribute(cli: Callable[..., Any], tmp_path: Path) -> None:
    """``model.name = "module:attribute"`` imports a SweepModel nobody registered."""
    name = f"{__name__}:WAVE"
    doc: dict[str, Any] = {
        "model": {"name": name, "outputs": ["value", "third"]},
        "parameters": {"x": {"uniform": [-3.0, 3.0]}, "k": 2.0},
        "sample": {"points": 5_000, "seed": 4, "block": 1000}}
    assert "test-wave" not in MODELS
    cfg = SweepConfig.from_dict(doc)
    assert cfg.spec is WAVE
    ref = run(cfg, workers=1)
    par = run(cfg, workers=2)
    assert json.dumps(par.summary, sort_keys=True) == json.dumps(ref.summary, sort_keys=True)
    cols = _columns(cfg)
    np.testing.assert_array_equal(cols["value"], np.sin(2.0 * cols["x"]))
    # the command line takes the same name
    toml = tmp_path / "wave.toml"
    toml.write_text(f'[model]\nname = "{name}"\n[parameters]\nx = {{ grid = [0.0, 1.0, 3] }}\n'
                    'k = 1.0\n')
    res = cli("sweep", "--config", str(toml), "--format", "json", "--workers", "1")
    assert res.code == 0, res.err
    assert json.loads(res.out)["points"] == 3


@pytest.mark.parametrize(("name", "match"), [
    ("no_such_module_here:MODEL", "cannot import 'no_such_module_here'"),
    (f"{__name__}:wave", "is function"),
    (f"{__name__}:NOT_THERE", "is NoneType"),
    ("bad name:X", "module:attribute"),
])
def test_bad_module_attribute_names_are_one_line_errors(name: str, match: str) -> None:
    with pytest.raises(ParameterError, match=match):
        SweepConfig.from_dict({"model": {"name": name},
                               "parameters": {"x": {"grid": [0.0, 1.0, 3]}}})
