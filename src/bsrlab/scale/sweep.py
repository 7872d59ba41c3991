"""Sweeps at scale: a chunked, streaming engine over a parameter grid or a random sample.

A sweep evaluates a vectorised model function over a :class:`Space` of points, block by block,
and keeps only what its reductions need (:mod:`bsrlab.scale.reduce`): memory stays constant
however many points there are. Optionally the full results (inputs and outputs, one row per
point) are written to a Parquet file, which DuckDB can query (:func:`query`).

Models
    A model is a :class:`SweepModel`: its inputs in column order with their admissible boxes
    and defaults, its outputs (integer ones with the names of their codes) and a vectorised
    function ``(inputs, outputs, cache) -> {output: array}``. :data:`MODELS` holds the
    registered ones, chosen by ``[model] name``: ``"vonpeter"`` (the default: von Peter's
    bank-capital model through the fused kernel) and ``"ek-endowment"`` (the
    Eggertsson-Krugman endowment economy's natural rate after a cut of the debt limit).
    :func:`register_model` adds one; the engine (blocks, seeds, reductions, backends, Parquet)
    is the same for every model.

Determinism
    The space is cut into blocks of a fixed size (``block``, 65 536 points by default). Block i
    of a grid holds the flat indices [i*block, (i+1)*block) of the grid in C order; block i of a
    sample draws its uniforms from ``SeedSequence(seed, spawn_key=(i,))``, the i-th child that
    ``SeedSequence(seed).spawn`` would give. A block's values therefore depend only on the seed,
    the block size and i. The per-block reductions are folded in block order and the Parquet
    row groups are written in block order. So the results are identical, to the last bit,
    whatever the backend (serial, local processes, Dask), the number of workers or the chunk
    size (how many blocks one task evaluates): only ``seed`` and ``block`` matter (provided
    the model's value at a point does not depend on the other points of its block).

Backends (:mod:`bsrlab.scale.backends`): ``workers=1`` evaluates in this process; more workers
use local processes (the default is one per core); ``scheduler="local"`` or a Dask scheduler's
address runs the same tasks on a Dask cluster. The configuration, model included, is pickled
to the workers: a model's function is sent by reference, so it must be importable there (a
module-level function of a module the workers can import).

Examples
--------
>>> cfg = SweepConfig.from_dict({
...     "parameters": {"alpha": {"grid": [0.3, 0.9, 7]}, "R": 1.05, "gamma": 0.2},
...     "shock": {"tau": {"values": [0.01, 0.05, 0.2]}},
...     "model": {"outputs": ["delta", "regime"]},
...     "reduce": {"ranges": {"delta": [0.0, 1.0]}}})
>>> s = run(cfg, workers=1)
>>> s.points, s.summary["regime"]["counts"]["insolvent"]
(21, 7)

The endowment economy: where does a cut of the debt limit push the natural rate below zero?

>>> cfg = SweepConfig.from_dict({
...     "model": {"name": "ek-endowment"},
...     "parameters": {"beta": 0.96, "d_high": {"grid": [0.1, 0.4, 4]},
...                    "d_low": {"values": [0.0, 0.1]}}})
>>> run(cfg, workers=1).summary["zero_bound"]["counts"]
{'slack': 1, 'binds': 7}

Any vectorised function, registered with its inputs and outputs:

>>> def parabola(inputs, outputs, cache):
...     f = inputs["x"] ** 2 - inputs["c"]
...     return {"f": f, "sign": (f > 0).astype(np.int8)}
>>> model = register_model(SweepModel(
...     name="parabola", function=parabola, inputs=("x", "c"),
...     boxes={"x": Box(-1.0, 1.0), "c": Box(0.0, 1.0)}, defaults={"c": 0.3},
...     outputs=("f", "sign"), codes={"sign": ("negative", "positive")},
...     description="x^2 - c and its sign"))
>>> cfg = SweepConfig.from_dict({"model": {"name": "parabola"},
...                              "parameters": {"x": {"grid": [-1.0, 1.0, 9]}}})
>>> run(cfg, workers=1).summary["sign"]["counts"]
{'negative': 5, 'positive': 4}
>>> unregister_model("parabola") is model
True
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import BsrlabError, ConfigError, ParameterError
from bsrlab.models.deleveraging.endowment import EndowmentParams, solve_endowment
from bsrlab.models.vonpeter.kernel import ALL_OUTPUTS, Workspace, evaluate
from bsrlab.models.vonpeter.solve import Regime
from bsrlab.scale._config import integer, table, unknown
from bsrlab.scale.distributions import Box, Distribution, parse
from bsrlab.scale.reduce import Accumulator, Partial, ReduceSpec, block_range, reduce_block

__all__ = [
    "DEFAULT_BLOCK",
    "EK_ENDOWMENT_MODEL",
    "MODELS",
    "VONPETER_MODEL",
    "BlockResult",
    "Space",
    "SweepConfig",
    "SweepModel",
    "SweepResult",
    "evaluate_block",
    "get_model",
    "query",
    "register_model",
    "run",
    "unregister_model",
]

Arr = NDArray[np.float64]
#: A model's function: ``(inputs, outputs, cache) -> {output: array}`` (see :class:`SweepModel`).
ModelFunction = Callable[[Mapping[str, "float | Arr"], Sequence[str], dict[Any, Any]],
                         Mapping[str, Any]]
#: Points per block: the unit of seeding and of the ordered reductions.
DEFAULT_BLOCK = 1 << 16
#: The von Peter model's inputs, in column order.
INPUTS: tuple[str, ...] = ("alpha", "R", "gamma", "y", "tau")
_BOXES = {
    "alpha": Box(0.0, 1.0, True, True),  # and alpha > R - 1, checked point by point
    "R": Box(1.0, 2.0, True, True),
    "beta": Box(0.5, 1.0, True, True),
    "gamma": Box(0.0, 1.0, False, True),
    "y": Box(0.0, math.inf, True, False),
    "tau": Box(0.0, 1.0),
}
_SECTIONS = ("model", "parameters", "shock", "sample", "reduce")


@dataclass(frozen=True)
class Space:
    """The points of a sweep: a Cartesian grid, or a random sample of distributions.

    ``grid`` maps each input to its values (a fixed input has one); ``dists`` maps each input to
    a :class:`~bsrlab.scale.distributions.Distribution` (sample mode, ``points`` draws).
    ``rate_is_beta``: the input ``beta_for`` (R) is given as beta and R = 1/beta.
    """

    kind: str
    grid: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    dists: Mapping[str, Distribution] = field(default_factory=dict)
    points: int = 0
    seed: int = 0
    rate_is_beta: bool = False
    beta_for: str = "R"

    @property
    def size(self) -> int:
        """The number of points."""
        if self.kind == "grid":
            return math.prod(len(v) for v in self.grid.values())
        return self.points

    def block(self, i: int, block: int) -> dict[str, float | Arr]:
        """The inputs of block ``i`` (fixed inputs as floats)."""
        lo = i * block
        hi = min(lo + block, self.size)
        out: dict[str, float | Arr] = {}
        if self.kind == "grid":
            names = list(self.grid)
            shape = tuple(len(self.grid[k]) for k in names)
            flat = np.arange(lo, hi, dtype=np.int64)
            idx = np.unravel_index(flat, shape)
            for k, ix in zip(names, idx, strict=True):
                vals = self.grid[k]
                out[k] = vals[0] if len(vals) == 1 else np.asarray(vals, dtype=np.float64)[ix]
        else:
            rng = np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(i,)))
            random = [k for k, d in self.dists.items() if not d.is_fixed]
            u = rng.random((len(random), hi - lo)) if random else None
            for k, d in self.dists.items():
                if d.is_fixed:
                    out[k] = d.value
                else:
                    assert u is not None
                    out[k] = d.ppf(u[random.index(k)])
        if self.rate_is_beta:
            b = out.pop("beta")
            out[self.beta_for] = 1.0 / b
        return out


@dataclass(frozen=True)
class SweepModel:
    """A model the sweep engine can evaluate: its inputs, its outputs and its function.

    Parameters
    ----------
    name
        The name of ``[model] name`` (and of :data:`MODELS`).
    function
        ``function(inputs, outputs, cache) -> {output: array}``. ``inputs`` maps each input
        of the block to a float (a fixed input) or a 1-D float64 array (one value per point;
        every array has the block's length); ``outputs`` are the names asked for, each of
        which the result must hold as an array of the block's length (a scalar is broadcast).
        Float outputs are float64; an output named in ``codes`` holds integer codes. ``cache``
        is a dict kept from block to block in a worker (for buffers). The value at a point
        must not depend on the other points of the block (else the results would depend on
        the block size). A point outside the model's domain raises
        :class:`~bsrlab.core.errors.ParameterError` naming the parameter. To run on worker
        processes or Dask the function must be importable there: a module-level function.
    inputs
        The input names, in column order (the order of a grid's axes and of the Parquet
        columns).
    boxes
        The admissible interval (:class:`~bsrlab.scale.distributions.Box`) of every input
        (and of ``beta`` when ``beta_for`` is set): a grid value or a distribution outside it
        is refused when the configuration is read.
    outputs
        Every output the model can compute.
    default_outputs
        The outputs computed when the configuration names none (default: all of them).
    defaults
        Values of inputs that may be left out of the configuration (they still are columns).
    optional
        Inputs that may be left out altogether: the function then applies its own default
        and the input is no column.
    shock
        Inputs given in the ``[shock]`` section rather than ``[parameters]``.
    beta_for
        An input that may be given as ``beta`` instead, taken as 1/beta (R for von Peter).
    codes
        The names of the codes of each integer output: code i is ``codes[output][i]``.
    description
        One line on what the model computes.
    """

    name: str
    function: ModelFunction
    inputs: tuple[str, ...]
    boxes: Mapping[str, Box]
    outputs: tuple[str, ...]
    default_outputs: tuple[str, ...] = ()
    defaults: Mapping[str, float] = field(default_factory=dict)
    optional: tuple[str, ...] = ()
    shock: tuple[str, ...] = ()
    beta_for: str | None = None
    codes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self) -> None:
        def names(what: str, v: Any, among: Sequence[str] | None = None) -> tuple[str, ...]:
            if isinstance(v, str) or not all(isinstance(x, str) and x for x in v):
                raise ParameterError(f"SweepModel.{what}", "a sequence of names", v)
            t = tuple(v)
            if len(set(t)) != len(t):
                raise ParameterError(f"SweepModel.{what}", "names without repetition", v)
            bad = [x for x in t if among is not None and x not in among]
            if bad:
                raise ParameterError(f"SweepModel.{what}", "names among " + ", ".join(among
                                     or ()), bad[0])
            return t

        if not isinstance(self.name, str) or not self.name.strip():
            raise ParameterError("SweepModel.name", "a non-empty string", self.name)
        if not callable(self.function):
            raise ParameterError("SweepModel.function", "a callable", self.function)
        inputs = names("inputs", self.inputs)
        outputs = names("outputs", self.outputs)
        if not inputs or not outputs:
            raise ParameterError("SweepModel.inputs" if not inputs else "SweepModel.outputs",
                                 "at least one name", ())
        clash = set(inputs) & set(outputs) | ({"beta"} & set(outputs) if self.beta_for else set())
        if clash:
            raise ParameterError("SweepModel.outputs", "names distinct from the inputs (they "
                                 "are columns of the same table)", sorted(clash)[0])
        if self.beta_for is not None and (self.beta_for not in inputs or "beta" in inputs
                                          or self.beta_for in self.shock):
            raise ParameterError("SweepModel.beta_for", "a parameter input (not a shock) of a "
                                 "model without an input named beta", self.beta_for)
        needed = (*inputs, *(("beta",) if self.beta_for else ()))
        for k in needed:
            if not isinstance(self.boxes.get(k), Box):
                raise ParameterError(f"SweepModel.boxes[{k!r}]", "a Box", self.boxes.get(k))
        defaults = dict(self.defaults)
        for k, v in defaults.items():
            if k not in inputs:
                raise ParameterError("SweepModel.defaults", "names among the inputs", k)
            if (isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)
                    or not self.boxes[k].contains(v, v)):
                raise ParameterError(f"SweepModel.defaults[{k!r}]", self.boxes[k].text(k), v)
        codes = {k: tuple(v) for k, v in self.codes.items()}
        names("codes", list(codes), outputs)
        for k, labels in codes.items():
            names(f"codes[{k!r}]", labels)
            if not labels:
                raise ParameterError(f"SweepModel.codes[{k!r}]", "at least one label", labels)
        optional = names("optional", self.optional, inputs)
        shock = names("shock", self.shock, inputs)
        default_outputs = names("default_outputs", self.default_outputs, outputs) or outputs
        set_ = object.__setattr__
        set_(self, "inputs", inputs)
        set_(self, "outputs", outputs)
        set_(self, "boxes", {k: self.boxes[k] for k in needed})
        set_(self, "defaults", {k: float(v) for k, v in defaults.items()})
        set_(self, "codes", codes)
        set_(self, "optional", optional)
        set_(self, "shock", shock)
        set_(self, "default_outputs", default_outputs)

    @property
    def parameters(self) -> tuple[str, ...]:
        """The keys of ``[parameters]``: the inputs that are no shock (and ``beta``)."""
        keys: list[str] = []
        for k in self.inputs:
            if k not in self.shock:
                keys.append(k)
                if k == self.beta_for:
                    keys.append("beta")
        return tuple(keys)

    def to_dict(self) -> dict[str, Any]:
        """The model as plain data (``bsrlab sweep models --format json``)."""
        def entry(k: str) -> dict[str, Any]:
            return {"box": self.boxes[k].text(k), "default": self.defaults.get(k),
                    "optional": k in self.optional,
                    "instead_of": self.beta_for if k == "beta" else None}

        return {
            "name": self.name, "description": self.description,
            "parameters": {k: entry(k) for k in self.parameters},
            "shock": {k: entry(k) for k in self.shock},
            "outputs": list(self.outputs), "default_outputs": list(self.default_outputs),
            "codes": {k: list(v) for k, v in self.codes.items()},
        }


def _model_vonpeter(inputs: Mapping[str, float | Arr], outputs: Sequence[str],
                    cache: dict[Any, Any]) -> dict[str, NDArray[Any]]:
    """The von Peter model through the fused kernel, into buffers reused from block to block."""
    n = max((v.shape[0] for v in inputs.values() if isinstance(v, np.ndarray)), default=1)
    key = ("vonpeter", tuple(outputs))
    ws = cache.get(key)
    if ws is None:
        ws = cache[key] = Workspace(outputs)
    r = evaluate(inputs["alpha"], inputs["R"], inputs.get("gamma", 0.0), inputs["tau"],
                 inputs.get("y", 1.0), outputs=outputs, out=ws.take(n))
    return dict(r.arrays)


#: The outputs of the endowment economy in a sweep.
EK_OUTPUTS: tuple[str, ...] = ("natural_rate", "zero_bound", "steady_rate", "c_borrower_short",
                               "c_saver_short", "c_borrower_long", "c_saver_long")


def _model_ek_endowment(inputs: Mapping[str, float | Arr], outputs: Sequence[str],
                        cache: dict[Any, Any]) -> dict[str, NDArray[Any]]:
    """The endowment economy's closed forms, by
    :func:`~bsrlab.models.deleveraging.endowment.solve_endowment`: it checks the points with
    the model's own rules first (:class:`EndowmentParams`: d_low <= d_high, borrowers'
    consumption positive in both steady states and the short run) and verifies the savers'
    Euler equation."""
    sol = solve_endowment(EndowmentParams(
        beta=inputs["beta"], d_high=inputs["d_high"], d_low=inputs["d_low"], y=inputs["y"],
        price_level=inputs["price_level"]))
    values: dict[str, NDArray[Any]] = {
        "natural_rate": sol.natural_rate, "steady_rate": sol.steady_rate,
        "c_borrower_short": sol.c_borrower_short, "c_saver_short": sol.c_saver_short,
        "c_borrower_long": sol.c_borrower_long, "c_saver_long": sol.c_saver_long,
        "zero_bound": np.asarray(sol.natural_rate_negative).astype(np.int8)}
    return {k: values[k] for k in outputs}


#: von Peter's bank-capital model (the default model of a sweep).
VONPETER_MODEL = SweepModel(
    name="vonpeter", function=_model_vonpeter, inputs=INPUTS, boxes=_BOXES,
    outputs=ALL_OUTPUTS, default_outputs=("delta", "regime", "tau_star"),
    defaults={"gamma": 0.0}, optional=("y",), shock=("tau",), beta_for="R",
    codes={"regime": tuple(r.label for r in Regime)},
    description="von Peter's bank-capital model (fused kernel): losses, regime and "
                "thresholds after a shock tau to asset values")

#: The Eggertsson-Krugman endowment economy: the short-run natural rate after a surprise,
#: permanent cut of the debt limit from d_high to d_low (both under [parameters]).
EK_ENDOWMENT_MODEL = SweepModel(
    name="ek-endowment", function=_model_ek_endowment,
    inputs=("beta", "d_high", "d_low", "y", "price_level"),
    boxes={"beta": Box(0.0, 1.0, True, True), "d_high": Box(0.0, math.inf),
           "d_low": Box(0.0, math.inf), "y": Box(0.0, math.inf, True, False),
           "price_level": Box(0.0, math.inf, True, False)},
    outputs=EK_OUTPUTS, default_outputs=("natural_rate", "zero_bound"),
    defaults={"y": 1.0, "price_level": 1.0},
    codes={"zero_bound": ("slack", "binds")},
    description="Eggertsson-Krugman endowment economy: the short-run natural rate after a "
                "cut of the debt limit from d_high to d_low, and whether it is below zero")

#: The registered models by name: built-in ones and those added by :func:`register_model`.
#: (A bare function registered here is taken as a model with von Peter's inputs and outputs.)
MODELS: dict[str, SweepModel | ModelFunction] = {
    VONPETER_MODEL.name: VONPETER_MODEL, EK_ENDOWMENT_MODEL.name: EK_ENDOWMENT_MODEL}
_BUILTIN = frozenset(MODELS)
#: Names of the codes of the von Peter model's integer outputs, for the summary.
CODE_LABELS = dict(VONPETER_MODEL.codes)


def register_model(model: SweepModel, *, replace: bool = False) -> SweepModel:
    """Add ``model`` to :data:`MODELS`, so that ``[model] name = "<its name>"`` sweeps it.

    A name already registered is refused unless ``replace`` (the built-in models are never
    replaced). Returns ``model``. To sweep on worker processes or Dask, the model's function
    must be importable by the workers (a module-level function); a model registered at run
    time travels to them inside the configuration.
    """
    if not isinstance(model, SweepModel):
        raise ParameterError("model", "a SweepModel", type(model).__name__)
    if model.name in _BUILTIN or (model.name in MODELS and not replace):
        raise ParameterError("model.name", "a name not yet registered (not among "
                             + ", ".join(MODELS) + ")", model.name)
    MODELS[model.name] = model
    return model


def unregister_model(name: str) -> SweepModel | ModelFunction:
    """Remove the model ``name`` from :data:`MODELS` and return it (not a built-in one)."""
    if name in _BUILTIN or name not in MODELS:
        raise ParameterError("name", "a model added by register_model", name)
    return MODELS.pop(name)


def get_model(name: str) -> SweepModel:
    """The registered model ``name``, or the :class:`SweepModel` a ``"module:attribute"`` name
    points to (the module is imported: a model of one's own can be named in a TOML file);
    ParameterError naming ``model.name`` otherwise."""
    if isinstance(name, str) and ":" in name and name not in MODELS:
        return _import_model(name)
    m = MODELS.get(name) if isinstance(name, str) else None
    if m is None:
        raise ParameterError("model.name", "one of " + ", ".join(MODELS)
                             + ", or 'module:attribute' naming a SweepModel", name)
    if isinstance(m, SweepModel):
        return m
    return replace(VONPETER_MODEL, name=name, function=m, description="")


def _import_model(name: str) -> SweepModel:
    """The SweepModel at ``module:attribute`` (importing the module)."""
    import importlib

    rule = "'module:attribute' naming a SweepModel in an importable module"
    mod_name, _, attr = name.partition(":")
    if not mod_name or not attr or not all(p.isidentifier() for p in mod_name.split(".")):
        raise ParameterError("model.name", rule, name)
    try:
        module = importlib.import_module(mod_name)
    except ImportError as exc:
        raise ParameterError("model.name", rule + f" (cannot import {mod_name!r}: {exc})",
                             name) from None
    model = getattr(module, attr, None)
    if not isinstance(model, SweepModel):
        raise ParameterError("model.name", rule + f" ({mod_name}.{attr} is "
                             f"{type(model).__name__})", name)
    return model


def _require_inputs(model: SweepModel, params: Mapping[str, Any],
                    shock: Mapping[str, Any]) -> None:
    """Every input without a default must be given (R or beta, not both: ``beta_for``)."""
    r = model.beta_for
    if r is not None and r in params and "beta" in params:
        raise ConfigError(f"parameters: give {r} or beta ({r} = 1/beta), not both")
    for k in model.inputs:
        src, where = (shock, "shock.") if k in model.shock else (params, "parameters.")
        if k in src or k in model.defaults or k in model.optional:
            continue
        if k == r:
            if "beta" in params:
                continue
            raise ConfigError(f"parameters.{k}: missing (give {k} or beta, {k} = 1/beta)")
        raise ConfigError(f"{where}{k}: missing")


@dataclass(frozen=True)
class SweepConfig:
    """Everything a sweep needs; picklable, so it travels to workers whole.

    ``model`` is the model's name; ``model_spec`` the model itself (set by :meth:`from_dict`,
    so that a model registered at run time reaches the workers; when it is None, ``model`` is
    looked up in :data:`MODELS`).
    """

    space: Space
    outputs: tuple[str, ...] = ("delta", "regime", "tau_star")
    model: str = "vonpeter"
    block: int = DEFAULT_BLOCK
    reduce: ReduceSpec = field(default_factory=ReduceSpec)
    model_spec: SweepModel | None = None

    def __post_init__(self) -> None:
        if self.model_spec is not None and self.model != self.model_spec.name:
            object.__setattr__(self, "model", self.model_spec.name)

    @property
    def spec(self) -> SweepModel:
        """The model evaluated."""
        return self.model_spec if self.model_spec is not None else get_model(self.model)

    @property
    def blocks(self) -> int:
        """The number of blocks."""
        return -(-self.space.size // self.block)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, model: SweepModel | None = None
                  ) -> SweepConfig:
        """Parse and check a sweep configuration (the TOML of ``bsrlab sweep --config``).

        ``model`` sweeps that model instead of the registered one named by ``[model] name``
        (which may then be left out, or must be its name).
        """
        unknown(doc, _SECTIONS, "")
        mdoc = table(doc, "model")
        params = table(doc, "parameters")
        shock = table(doc, "shock")
        sample = table(doc, "sample")
        red = table(doc, "reduce")
        unknown(mdoc, ("name", "outputs"), "model.")
        if model is None:
            spec = get_model(mdoc.get("name", "vonpeter"))
        elif "name" in mdoc and mdoc["name"] != model.name:
            raise ParameterError("model.name", f"{model.name!r} (the model given)",
                                 mdoc["name"])
        else:
            spec = model
        name = spec.name
        unknown(params, spec.parameters, "parameters.")
        if shock and not spec.shock:
            raise ConfigError(f"unknown key 'shock.{next(iter(shock))}'; the model '{name}' "
                              "takes no [shock] inputs (give its inputs under [parameters])")
        unknown(shock, spec.shock, "shock.")
        unknown(sample, ("points", "seed", "block"), "sample.")
        unknown(red, ("quantiles", "bins", "ranges"), "reduce.")
        outputs = mdoc.get("outputs", list(spec.default_outputs))
        if not isinstance(outputs, list) or not outputs:
            raise ConfigError(f"model.outputs: expected a list of output names; got {outputs!r}")
        for o in outputs:
            if not isinstance(o, str) or o not in spec.outputs:
                raise ParameterError("model.outputs", "names among " + ", ".join(spec.outputs),
                                     o)
        _require_inputs(spec, params, shock)
        specs = {**params, **{k: shock[k] for k in spec.shock if k in shock}}
        for k, v in spec.defaults.items():
            specs.setdefault(k, v)
        gridded = {k for k, v in specs.items() if isinstance(v, dict) and
                   len(v) == 1 and next(iter(v)) in ("grid", "values")}
        space: Space
        r = spec.beta_for
        is_beta = r is not None and "beta" in specs
        order: list[str] = [("beta" if is_beta and k == r else k) for k in spec.inputs]
        order = [k for k in order if k in specs]
        beta_for = r if r is not None else "R"
        if gridded:
            grid = {k: _grid(k, specs[k], spec.boxes[k]) for k in order}
            space = Space("grid", grid=grid, rate_is_beta=is_beta, beta_for=beta_for)
        else:
            dists = {k: parse(k, specs[k], spec.boxes[k]) for k in order}
            random = [k for k, d in dists.items() if not d.is_fixed]
            points = integer("sample.points", sample.get("points", 1 if not random else None),
                             1, 10**12)
            seed = integer("sample.seed", sample.get("seed", 0), 0, 2**63 - 1)
            space = Space("sample", dists=dists, points=points, seed=seed, rate_is_beta=is_beta,
                          beta_for=beta_for)
        if gridded and ("points" in sample or "seed" in sample):
            raise ConfigError("sample.points and sample.seed apply to sampled parameters; "
                              "this sweep is a grid")
        block = integer("sample.block", sample.get("block", DEFAULT_BLOCK), 1, 1 << 24)
        quantiles = red.get("quantiles", list(ReduceSpec().quantiles))
        if not isinstance(quantiles, list) or not all(
                isinstance(q, int | float) and not isinstance(q, bool) and 0 <= q <= 1
                for q in quantiles):
            raise ParameterError("reduce.quantiles", "a list of numbers in [0, 1]", quantiles)
        bins = integer("reduce.bins", red.get("bins", 64), 1, 100_000)
        ranges_doc = red.get("ranges", {})
        if not isinstance(ranges_doc, dict):
            raise ConfigError(f"reduce.ranges: expected a table; got {ranges_doc!r}")
        ranges: dict[str, tuple[float, float]] = {}
        for k, v in ranges_doc.items():
            if k not in outputs:
                raise ConfigError(f"unknown key 'reduce.ranges.{k}': not among model.outputs")
            if (not isinstance(v, list) or len(v) != 2 or not all(
                    isinstance(x, int | float) and not isinstance(x, bool) for x in v)
                    or not v[0] < v[1]):
                raise ParameterError(f"reduce.ranges.{k}", "[low, high] with low < high", v)
            ranges[k] = (float(v[0]), float(v[1]))
        int_codes = max([4, *(len(v) for v in spec.codes.values())])
        return cls(space=space, outputs=tuple(outputs), model=name, block=block,
                   reduce=ReduceSpec(ranges=ranges, bins=bins,
                                     quantiles=tuple(float(q) for q in quantiles),
                                     int_codes=int_codes),
                   model_spec=spec)


def _grid(name: str, spec: Any, box: Box) -> tuple[float, ...]:
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        vals: list[float] = [float(spec)]
    elif isinstance(spec, dict) and list(spec) == ["grid"]:
        g = spec["grid"]
        if (not isinstance(g, list) or len(g) != 3 or isinstance(g[2], bool)
                or not isinstance(g[2], int) or g[2] < 1 or not g[0] <= g[1]):
            raise ParameterError(f"{name} grid", "[low, high, n] with low <= high, n >= 1", g)
        vals = np.linspace(float(g[0]), float(g[1]), int(g[2])).tolist()
    elif isinstance(spec, dict) and list(spec) == ["values"]:
        v = spec["values"]
        if not isinstance(v, list) or not v or not all(
                isinstance(x, int | float) and not isinstance(x, bool) for x in v):
            raise ParameterError(f"{name} values", "a non-empty list of numbers", v)
        vals = [float(x) for x in v]
    else:
        raise ConfigError(f"{name}: in a grid sweep every input is a number, "
                          f"{{ grid = [low, high, n] }} or {{ values = [...] }}; got {spec!r}")
    for x in vals:
        if not (math.isfinite(x) and box.contains(x, x)):
            raise ParameterError(name, box.text(name), x)
    return tuple(vals)


@dataclass
class BlockResult:
    """One evaluated block: its index, its reduction and (when asked) its full columns."""

    index: int
    partial: Partial
    columns: dict[str, NDArray[Any]] | None = None


_LOCAL = threading.local()


def _cache() -> dict[Any, Any]:
    """Buffers reused from block to block: one set per thread (workers may be threads)."""
    c = getattr(_LOCAL, "cache", None)
    if c is None:
        c = _LOCAL.cache = {}
    return c


def _evaluate(cfg: SweepConfig, inputs: Mapping[str, float | Arr], n: int
              ) -> dict[str, NDArray[Any]]:
    """The model's outputs on one block of ``n`` points, checked, in the order asked for."""
    spec = cfg.spec
    raw = spec.function(inputs, cfg.outputs, _cache())
    outs: dict[str, NDArray[Any]] = {}
    for k in cfg.outputs:
        if k not in raw:
            raise BsrlabError(f"model '{spec.name}' returned no output '{k}'")
        a = np.asarray(raw[k])
        labels = spec.codes.get(k)
        if labels is None:
            if a.dtype != np.float64:
                a = a.astype(np.float64)
        elif a.dtype.kind not in "iub":
            raise BsrlabError(f"model '{spec.name}': output '{k}' holds codes, so integers; "
                              f"got {a.dtype}")
        if a.shape != (n,):
            if a.size != 1:
                raise BsrlabError(f"model '{spec.name}': output '{k}' has shape {a.shape}; "
                                  f"expected ({n},), one value per point")
            a = np.broadcast_to(a.reshape(()), (n,))
        if labels is not None and n and (int(a.min()) < 0 or int(a.max()) >= len(labels)):
            bad = int(a.min()) if int(a.min()) < 0 else int(a.max())
            raise BsrlabError(f"model '{spec.name}': output '{k}' has the code {bad}; expected "
                              f"0 to {len(labels) - 1} ({', '.join(labels)})")
        outs[k] = a
    return outs


def _points(cfg: SweepConfig, i: int) -> int:
    """The number of points of block ``i``."""
    return max(0, min(cfg.block, cfg.space.size - i * cfg.block))


def evaluate_block(cfg: SweepConfig, i: int, columns: bool = False) -> BlockResult:
    """Evaluate and reduce block ``i`` (the unit of work of every backend)."""
    inputs = cfg.space.block(i, cfg.block)
    outs = _evaluate(cfg, inputs, _points(cfg, i))
    partial = reduce_block(cfg.reduce, outs)
    cols = None
    if columns:
        n = partial.n
        cols = {k: np.broadcast_to(np.asarray(v, dtype=np.float64), (n,)).copy()
                for k, v in inputs.items()}
        cols.update({k: v.copy() for k, v in outs.items()})
    return BlockResult(i, partial, cols)


def evaluate_blocks(cfg: SweepConfig, first: int, stop: int, columns: bool = False
                    ) -> list[BlockResult]:
    """Blocks ``first`` to ``stop - 1``: one task of a backend (a chunk of blocks)."""
    return [evaluate_block(cfg, i, columns) for i in range(first, stop)]


@dataclass(frozen=True)
class SweepResult:
    """The reductions of a sweep (``summary``), its size and how it was run."""

    summary: dict[str, Any]
    points: int
    blocks: int
    block: int
    backend: str
    workers: int
    out: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``bsrlab sweep``: ``points``, ``blocks``, ``block``, ``backend``,
        ``workers``, ``out`` and ``summary``."""
        return {"points": self.points, "blocks": self.blocks, "block": self.block,
                "backend": self.backend, "workers": self.workers, "out": self.out,
                "summary": self.summary}


def _fix_ranges(cfg: SweepConfig) -> SweepConfig:
    """Fill missing histogram ranges from block 0 (evaluated here, identically everywhere);
    make room for every code of the integer outputs."""
    codes = cfg.spec.codes
    int_codes = max([cfg.reduce.int_codes, *(len(v) for v in codes.values())])
    if int_codes != cfg.reduce.int_codes:
        cfg = replace(cfg, reduce=replace(cfg.reduce, int_codes=int_codes))
    floats = [o for o in cfg.outputs if o not in codes]
    missing = [o for o in floats if o not in cfg.reduce.ranges]
    if not missing:
        return cfg
    inputs = cfg.space.block(0, cfg.block)
    outs = _evaluate(cfg, inputs, _points(cfg, 0))
    ranges = dict(cfg.reduce.ranges)
    for o in missing:
        ranges[o] = block_range(outs[o])
    return replace(cfg, reduce=replace(cfg.reduce, ranges=ranges))


def run(cfg: SweepConfig, *, workers: int | None = None, scheduler: str | None = None,
        out: str | os.PathLike[str] | None = None, chunk_blocks: int | None = None,
        progress: Callable[[int, int], None] | None = None, client: Any = None) -> SweepResult:
    """Run the sweep; return its reductions (and write the Parquet file ``out`` when given).

    Parameters
    ----------
    cfg
        The sweep.
    workers
        Local processes (default: one per core; 1 evaluates in this process). With a
        ``scheduler``, the number of workers of a local Dask cluster.
    scheduler
        ``None`` for local processes; ``"local"`` for a Dask LocalCluster; otherwise the
        address of a Dask scheduler (``tcp://host:8786``). Needs the ``dask`` extra.
    out
        A Parquet file for the full results (needs the ``parquet`` extra); written whole or
        not at all.
    chunk_blocks
        Blocks per task (default: enough tasks to keep every worker busy); does not change
        the results.
    progress
        Called as ``progress(points_done, points_total)`` after every block folded.
    client
        An existing ``distributed.Client`` to run on (instead of ``scheduler``); left open.

    Raises
    ------
    ParameterError, ConvergenceError
        From the model, for a point outside the admissible box or a root not verified.
    BsrlabError
        A missing extra, an output that cannot be written, a model function that cannot be
        sent to the workers or that returns outputs of the wrong shape or codes.
    """
    from bsrlab.scale import backends

    if cfg.model_spec is None:
        cfg = replace(cfg, model_spec=cfg.spec)
    cfg = _fix_ranges(cfg)
    nb = cfg.blocks
    w = workers if workers is not None else (os.cpu_count() or 1)
    if not (isinstance(w, int) and w >= 1):
        raise ParameterError("workers", "an integer >= 1", w)
    if w > 1 or scheduler is not None or client is not None:
        _check_picklable(cfg)
    if chunk_blocks is None:
        chunk_blocks = max(1, min(64, nb // (4 * w) if w > 1 else 64))
        if out is not None:  # a task's full columns stay near 16 MiB, whatever the sweep
            ncols = len(cfg.outputs) + len(cfg.spec.inputs)
            chunk_blocks = max(1, min(chunk_blocks, (16 << 20) // (8 * ncols * cfg.block)))
    if not (isinstance(chunk_blocks, int) and chunk_blocks >= 1):
        raise ParameterError("chunk_blocks", "an integer >= 1", chunk_blocks)
    backend = (backends.DaskBackend.from_client(client) if client is not None
               else backends.choose(w, scheduler))
    acc = Accumulator(cfg.reduce)
    writer = _ParquetSink(out, cfg) if out is not None else None
    total = cfg.space.size
    try:
        for res in backend.map(cfg, nb, chunk_blocks, out is not None):
            if writer is not None:
                writer.add(res)
            acc.add(res.index, res.partial)
            if progress is not None:
                progress(acc.n, total)
        summary = acc.summary(cfg.spec.codes)
        if writer is not None:
            writer.close()
            writer = None
    finally:
        if writer is not None:
            writer.abort()
        backend.close()
    return SweepResult(summary=summary, points=total, blocks=nb, block=cfg.block,
                       backend=backend.name, workers=backend.workers,
                       out=str(out) if out is not None else None)


def _check_picklable(cfg: SweepConfig) -> None:
    """The configuration goes to the workers pickled: its model's function by reference."""
    try:
        pickle.dumps(cfg)
    except Exception as exc:
        fn = cfg.spec.function
        what = getattr(fn, "__qualname__", repr(fn))
        raise BsrlabError(
            f"model '{cfg.model}': its function {what} cannot be sent to worker processes "
            f"({type(exc).__name__}: {exc}); define it at module level in a module the "
            "workers can import, or run with workers=1") from None


class _ParquetSink:
    """Writes blocks to a Parquet file in block order, whole or not at all (atomic)."""

    def __init__(self, path: str | os.PathLike[str], cfg: SweepConfig) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise BsrlabError("writing Parquet needs pyarrow: pip install 'bsrlab[parquet]'"
                              ) from None
        from bsrlab.core.fileio import atomic_file, output_path

        self._pa, self._pq = pa, pq
        self._ctx = atomic_file(output_path("out", path), "wb")
        self._fh = self._ctx.__enter__()
        self._writer: Any = None
        self._next = 0
        self._pending: dict[int, BlockResult] = {}

    def add(self, res: BlockResult) -> None:
        self._pending[res.index] = res
        while self._next in self._pending:
            cols = self._pending.pop(self._next).columns
            assert cols is not None
            table = self._pa.table(cols)
            if self._writer is None:
                self._writer = self._pq.ParquetWriter(self._fh, table.schema)
            self._writer.write_table(table)
            self._next += 1

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._ctx.__exit__(None, None, None)

    def abort(self) -> None:
        import sys

        exc = sys.exc_info()
        try:
            if self._writer is not None:
                self._writer.close()
        finally:
            err = exc[1] or RuntimeError("sweep aborted")
            # the temporary file is removed; the original error goes on
            with contextlib.suppress(BaseException):
                self._ctx.__exit__(type(err), err, err.__traceback__)


def query(path: str | os.PathLike[str], sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run ``sql`` with DuckDB on a sweep's Parquet file, visible as the table ``results``.

    Returns the column names and the rows. Needs the ``parquet`` extra.
    """
    try:
        import duckdb
    except ImportError:
        raise BsrlabError("querying needs duckdb: pip install 'bsrlab[parquet]'") from None
    p = Path(path)
    if not p.is_file():
        raise BsrlabError(f"cannot read Parquet file '{p}': no such file")
    con = duckdb.connect()
    try:
        lit = str(p).replace("'", "''")
        con.execute(f"CREATE VIEW results AS SELECT * FROM read_parquet('{lit}')")
        cur = con.execute(sql)
        names = [d[0] for d in cur.description] if cur.description else []
        rows = cur.fetchall()
    except duckdb.Error as exc:
        msg = " ".join(str(exc).split())
        raise BsrlabError(f"query failed: {msg}") from None
    finally:
        con.close()
    return names, rows


def iter_blocks(cfg: SweepConfig) -> Iterator[dict[str, float | Arr]]:
    """The inputs of every block in order (for inspection and tests)."""
    for i in range(cfg.blocks):
        yield cfg.space.block(i, cfg.block)
