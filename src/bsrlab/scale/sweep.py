"""Sweeps at scale: a chunked, streaming engine over a parameter grid or a random sample.

A sweep evaluates a vectorised model function over a :class:`Space` of points, block by block,
and keeps only what its reductions need (:mod:`bsrlab.scale.reduce`): memory stays constant
however many points there are. Optionally the full results (inputs and outputs, one row per
point) are written to a Parquet file, which DuckDB can query (:func:`query`).

Determinism
    The space is cut into blocks of a fixed size (``block``, 65 536 points by default). Block i
    of a grid holds the flat indices [i*block, (i+1)*block) of the grid in C order; block i of a
    sample draws its uniforms from ``SeedSequence(seed, spawn_key=(i,))``, the i-th child that
    ``SeedSequence(seed).spawn`` would give. A block's values therefore depend only on the seed,
    the block size and i. The per-block reductions are folded in block order and the Parquet
    row groups are written in block order. So the results are identical, to the last bit,
    whatever the backend (serial, local processes, Dask), the number of workers or the chunk
    size (how many blocks one task evaluates): only ``seed`` and ``block`` matter.

Backends (:mod:`bsrlab.scale.backends`): ``workers=1`` evaluates in this process; more workers
use local processes (the default is one per core); ``scheduler="local"`` or a Dask scheduler's
address runs the same tasks on a Dask cluster.

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
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bsrlab.core.errors import ConfigError, ParameterError
from bsrlab.models.vonpeter.kernel import ALL_OUTPUTS, Workspace, evaluate
from bsrlab.models.vonpeter.solve import Regime
from bsrlab.scale._config import integer, require_model_keys, table, unknown
from bsrlab.scale.distributions import Box, Distribution, parse
from bsrlab.scale.reduce import Accumulator, Partial, ReduceSpec, block_range, reduce_block

__all__ = [
    "DEFAULT_BLOCK",
    "BlockResult",
    "Space",
    "SweepConfig",
    "SweepResult",
    "evaluate_block",
    "query",
    "run",
]

Arr = NDArray[np.float64]
#: Points per block: the unit of seeding and of the ordered reductions.
DEFAULT_BLOCK = 1 << 16
#: The model's inputs, in column order.
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
    ``rate_is_beta``: the rate is given as beta and R = 1/beta.
    """

    kind: str
    grid: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    dists: Mapping[str, Distribution] = field(default_factory=dict)
    points: int = 0
    seed: int = 0
    rate_is_beta: bool = False

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
            out["R"] = 1.0 / b
        return out


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


#: Built-in models: name -> function(inputs, outputs, cache) -> outputs.
MODELS: dict[str, Callable[..., dict[str, NDArray[Any]]]] = {"vonpeter": _model_vonpeter}
#: Names of the codes of integer outputs, for the summary.
CODE_LABELS = {"regime": tuple(r.label for r in Regime)}


@dataclass(frozen=True)
class SweepConfig:
    """Everything a sweep needs; picklable, so it travels to workers whole."""

    space: Space
    outputs: tuple[str, ...] = ("delta", "regime", "tau_star")
    model: str = "vonpeter"
    block: int = DEFAULT_BLOCK
    reduce: ReduceSpec = field(default_factory=ReduceSpec)

    @property
    def blocks(self) -> int:
        """The number of blocks."""
        return -(-self.space.size // self.block)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> SweepConfig:
        """Parse and check a sweep configuration (the TOML of ``bsrlab sweep --config``)."""
        unknown(doc, _SECTIONS, "")
        model = table(doc, "model")
        params = table(doc, "parameters")
        shock = table(doc, "shock")
        sample = table(doc, "sample")
        red = table(doc, "reduce")
        unknown(model, ("name", "outputs"), "model.")
        unknown(params, ("alpha", "R", "beta", "gamma", "y"), "parameters.")
        unknown(shock, ("tau",), "shock.")
        unknown(sample, ("points", "seed", "block"), "sample.")
        unknown(red, ("quantiles", "bins", "ranges"), "reduce.")
        name = model.get("name", "vonpeter")
        if name not in MODELS:
            raise ParameterError("model.name", "one of " + ", ".join(MODELS), name)
        outputs = model.get("outputs", ["delta", "regime", "tau_star"])
        if not isinstance(outputs, list) or not outputs:
            raise ConfigError(f"model.outputs: expected a list of output names; got {outputs!r}")
        for o in outputs:
            if o not in ALL_OUTPUTS:
                raise ParameterError("model.outputs", "names among " + ", ".join(ALL_OUTPUTS), o)
        require_model_keys(params, shock)
        specs = {**params, "tau": shock["tau"]}
        specs.setdefault("gamma", 0.0)
        gridded = {k for k, v in specs.items() if isinstance(v, dict) and
                   len(v) == 1 and next(iter(v)) in ("grid", "values")}
        space: Space
        is_beta = "beta" in specs
        order: list[str] = [k for k in ("alpha", "beta" if is_beta else "R", "gamma", "y",
                                        "tau") if k in specs]
        if gridded:
            grid = {k: _grid(k, specs[k]) for k in order}
            space = Space("grid", grid=grid, rate_is_beta=is_beta)
        else:
            dists = {k: parse(k, specs[k], _BOXES[k]) for k in order}
            random = [k for k, d in dists.items() if not d.is_fixed]
            points = integer("sample.points", sample.get("points", 1 if not random else None),
                          1, 10**12)
            seed = integer("sample.seed", sample.get("seed", 0), 0, 2**63 - 1)
            space = Space("sample", dists=dists, points=points, seed=seed, rate_is_beta=is_beta)
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
        return cls(space=space, outputs=tuple(outputs), model=name, block=block,
                   reduce=ReduceSpec(ranges=ranges, bins=bins,
                                     quantiles=tuple(float(q) for q in quantiles)))


def _grid(name: str, spec: Any) -> tuple[float, ...]:
    box = _BOXES[name]
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


def evaluate_block(cfg: SweepConfig, i: int, columns: bool = False) -> BlockResult:
    """Evaluate and reduce block ``i`` (the unit of work of every backend)."""
    inputs = cfg.space.block(i, cfg.block)
    outs = MODELS[cfg.model](inputs, cfg.outputs, _cache())
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
    """Fill missing histogram ranges from block 0 (evaluated here, identically everywhere)."""
    floats = [o for o in cfg.outputs if o != "regime"]
    missing = [o for o in floats if o not in cfg.reduce.ranges]
    if not missing:
        return cfg
    inputs = cfg.space.block(0, cfg.block)
    outs = MODELS[cfg.model](inputs, cfg.outputs, _cache())
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
        A missing extra or an output that cannot be written.
    """
    from bsrlab.scale import backends

    cfg = _fix_ranges(cfg)
    nb = cfg.blocks
    w = workers if workers is not None else (os.cpu_count() or 1)
    if not (isinstance(w, int) and w >= 1):
        raise ParameterError("workers", "an integer >= 1", w)
    if chunk_blocks is None:
        chunk_blocks = max(1, min(64, nb // (4 * w) if w > 1 else 64))
        if out is not None:  # a task's full columns stay near 16 MiB, whatever the sweep
            ncols = len(cfg.outputs) + len(INPUTS)
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
        summary = acc.summary(CODE_LABELS)
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


class _ParquetSink:
    """Writes blocks to a Parquet file in block order, whole or not at all (atomic)."""

    def __init__(self, path: str | os.PathLike[str], cfg: SweepConfig) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            from bsrlab.core.errors import BsrlabError

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
        from bsrlab.core.errors import BsrlabError

        raise BsrlabError("querying needs duckdb: pip install 'bsrlab[parquet]'") from None
    from bsrlab.core.errors import BsrlabError

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
