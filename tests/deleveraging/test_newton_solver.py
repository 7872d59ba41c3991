"""The stacked solver's linear algebra: SuperLU's driver against spsolve, the Jacobian's pattern,
the government-debt recursion, the baseline handed to solve_path, and the presets' numbers."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.models.deleveraging import _newton
from bsrlab.models.deleveraging._newton import (
    CSC,
    SingularMatrixError,
    banded_jacobian,
    newton_solve,
    sparse_solve,
)
from bsrlab.models.deleveraging.path import (
    _geometric_accumulation,
    build_exogenous,
    residual,
    solve_path,
)
from bsrlab.policies import registry
from bsrlab.scenarios.lab import compare_policies
from bsrlab.scenarios.presets import PRESETS, get_preset

PRESET_NAMES = sorted(PRESETS)


def _old_banded_jacobian(fun, z, *, nblocks, lower, upper):  # type: ignore[no-untyped-def]
    """The Jacobian as scipy assembles it from the coloured triplets (coo -> csc)."""
    n = z.size
    T = n // nblocks
    ncol = lower + upper + 1
    r = np.arange(T)
    rows, cols, vals = [], [], []
    for b in range(nblocks):
        for c in range(ncol):
            dz = np.zeros(n, dtype=np.complex128)
            dz[b * T + np.arange(c, T, ncol)] = 1j * 1e-20
            dF = np.imag(fun(z + dz)) / 1e-20
            s = r - lower + ((c - (r - lower)) % ncol)
            ok = (s >= 0) & (s < T)
            for rb in range(nblocks):
                rows.append(rb * T + r[ok])
                cols.append(b * T + s[ok])
                vals.append(dF[rb * T + r[ok]])
    return sp.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(n, n)).tocsc()


def _model_system(name: str, T: int, seed: int = 0):  # type: ignore[no-untyped-def]
    pre = get_preset(name)
    ex = build_exogenous(pre.params, pre.debt, (), T, None)
    rng = np.random.default_rng(seed)
    z = np.concatenate([1 + 0.01 * rng.standard_normal(T), 0.01 + 0.002 * rng.standard_normal(T),
                        1.1 + 0.01 * rng.standard_normal(T)])
    return (lambda v: residual(v, ex, pre.params)), z


def _banded(v):  # type: ignore[no-untyped-def]
    """Two blocks, each row t seeing dates t-1 .. t+2 of both blocks (complex-safe)."""
    T = v.size // 2
    a, b = v[:T], v[T:]
    pad = np.zeros(1, dtype=v.dtype)
    am1 = np.concatenate([pad, a[:-1]])
    bp1 = np.concatenate([b[1:], pad])
    bp2 = np.concatenate([b[2:], pad, pad])
    return np.concatenate([a ** 3 + 0.3 * am1 * b - np.sin(bp2), np.exp(b) - a * bp1 + 0.1 * am1])


@pytest.mark.parametrize(("nblocks", "lower", "upper", "T"), [(3, 0, 1, 12), (3, 0, 1, 60),
                                                               (2, 1, 2, 9)])
def test_jacobian_pattern_is_scipys_csc(nblocks: int, lower: int, upper: int, T: int) -> None:
    if nblocks == 3:
        fun, z = _model_system("japan-1990s", T)
    else:
        fun = _banded
        z = np.random.default_rng(1).uniform(0.5, 1.5, nblocks * T)
    ref = _old_banded_jacobian(fun, z, nblocks=nblocks, lower=lower, upper=upper)
    new = _newton._coloured_jacobian(fun, z, nblocks=nblocks, lower=lower, upper=upper)
    assert np.array_equal(new.indptr, ref.indptr)
    assert np.array_equal(new.indices, ref.indices)
    assert np.array_equal(new.data, ref.data)
    J = banded_jacobian(fun, z, nblocks=nblocks, lower=lower, upper=upper)
    assert isinstance(J, sp.csc_matrix)
    assert np.array_equal(J.toarray(), ref.toarray())
    assert np.array_equal(new.toarray(), ref.toarray())


@pytest.mark.parametrize("T", [8, 60, 300])
def test_dense_and_sparse_routes_agree_and_solve_the_system(T: int) -> None:
    fun, z = _model_system("us-2008", T, seed=T)
    A = _newton._coloured_jacobian(fun, z, nblocks=3, lower=0, upper=1)
    b = -np.real(fun(z))
    x = sparse_solve(A, b)
    ref = spla.spsolve(A.to_scipy(), b)
    assert A.n > _newton.DENSE_MAX or np.allclose(x, ref, rtol=1e-12, atol=1e-14)
    assert A.n <= _newton.DENSE_MAX or np.array_equal(x, ref)
    assert np.max(np.abs(A.toarray() @ x - b)) < 1e-12 * max(1.0, float(np.max(np.abs(b))))


def test_superlu_driver_flags_a_large_singular_matrix() -> None:
    n = _newton.DENSE_MAX + 50
    diag = np.ones(n)
    diag[n // 2] = 0.0
    A = CSC(n=n, data=diag, indices=np.arange(n, dtype=np.intc),
            indptr=np.arange(n + 1, dtype=np.intc))
    with pytest.raises(SingularMatrixError, match="singular"):
        sparse_solve(A, np.ones(n))
    diag[n // 2] = 4.0
    x = sparse_solve(A, np.ones(n))
    assert np.array_equal(x, spla.spsolve(A.to_scipy(), np.ones(n)))


def _singular(v):  # type: ignore[no-untyped-def]
    return v * v + 1.0  # Jacobian 2 diag(v): singular at v = 0


def test_singular_jacobian_raises_convergence_error() -> None:
    A = CSC(n=3, data=np.array([1.0, 0.0, 2.0]), indices=np.array([0, 1, 2], dtype=np.intc),
            indptr=np.array([0, 1, 2, 3], dtype=np.intc))
    with pytest.raises(SingularMatrixError, match="singular"):
        sparse_solve(A, np.ones(3))
    with pytest.raises(ConvergenceError, match="singular Jacobian at iteration 1") as info:
        newton_solve(_singular, np.zeros(4), nblocks=1, lower=0, upper=0, what="test")
    d = info.value.diagnostics
    assert d is not None and not d.converged and d.iterations == 1 and d.max_residual == 1.0


def _bidiagonal_spsolve(flow: np.ndarray, rho: float) -> np.ndarray:
    n = flow.size
    system = sp.eye(n, format="csc") - rho * sp.eye(n, k=-1, format="csc")
    return np.asarray(spla.spsolve(system, flow), dtype=np.float64).reshape(n)


def _all_policies(name: str):  # type: ignore[no-untyped-def]
    pre = get_preset(name)
    pols = dict(pre.lab_policies())
    for pname in registry.names("deleveraging"):
        pols[pname] = registry.make(pname, "deleveraging")
    return pre, pols


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_government_debt_recursion_is_the_sparse_solve(name: str) -> None:
    pre, pols = _all_policies(name)
    rho = 1.0 - pre.params.tax_repay
    for label, pol in pols.items():
        res = solve_path(pre.params, pre.debt, () if pol is None else (pol,),
                         periods=pre.periods)
        a = res.arrays
        flow = np.asarray(a["government_spending"] + a["transfers"] + a["capital_transfers"])
        new = _geometric_accumulation(flow, rho)
        assert np.array_equal(new, _bidiagonal_spsolve(flow, rho)), label
        assert np.array_equal(new, a["government_debt"]), label
    rng = np.random.default_rng(3)
    for n in (1, 2, 17, 400):
        flow = rng.standard_normal(n) * rng.choice([0.0, 1.0], n)
        assert np.array_equal(_geometric_accumulation(flow, 0.93),
                              _bidiagonal_spsolve(flow, 0.93))


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_baseline_handed_down_gives_the_same_path(name: str) -> None:
    pre, pols = _all_policies(name)
    base = solve_path(pre.params, pre.debt, periods=pre.periods)
    for label, pol in pols.items():
        if pol is None:
            continue
        own = solve_path(pre.params, pre.debt, (pol,), periods=pre.periods)
        handed = solve_path(pre.params, pre.debt, (pol,), periods=pre.periods, baseline=base)
        assert own.spell == handed.spell and own.notes == handed.notes, label
        for key, arr in own.arrays.items():
            assert np.array_equal(arr, handed.arrays[key]), (label, key)
    window = registry.make("rate-cut", "deleveraging")
    assert window is not None and getattr(window, "needs_spell", False)
    with pytest.raises(ParameterError, match="baseline"):
        solve_path(pre.params, pre.debt, (window,), periods=pre.periods + 1, baseline=base)
    with pytest.raises(ParameterError, match="baseline"):
        solve_path(pre.params, pre.debt, (window,), periods=pre.periods,
                   baseline=solve_path(pre.params, pre.debt, (window,), periods=pre.periods))


#: The lab's rows for the presets: (policy, cumulative loss, trough gap, lowest inflation,
#: periods at the floor, fiscal cost, multiplier), as computed with scipy's sparse LU; the dense
#: LU that now solves these small systems must give them to round-off.
LAB_ROWS = {
    "japan-1990s": [
        ("no policy", 0.4286922410143703, -0.15918564690651782, -0.011863335000283876, 4, 0.0,
         None),
        ("rate cut", 0.4286922410134031, -0.1591856469055507, -0.011863335000065757, 4, 0.0,
         None),
        ("QE", 0.4286922410143703, -0.15918564690651782, -0.011863335000283876, 4, 0.0, None),
        ("forward guidance", 0.4017461527590699, -0.1508486791177942, -0.010440477945447075, 6,
         0.0, None),
        ("fiscal stimulus", 0.24164969429315264, -0.07614333514572147, -0.0018586459756681942,
         2, 0.08, 2.338031834015221),
        ("debt relief", 0.24164969429315286, -0.07614333514572147, -0.0018586459756682126, 2,
         0.08, 2.338031834015218),
        ("higher target", 0.23207610533112455, -0.03165276354197266, 0.0187567344939663, 0, 0.0,
         None),
    ],
    "us-2008": [
        ("no policy", 0.20280629472529543, -0.095818083382884, 0.010834358390235627, 3, 0.0,
         None),
        ("rate cut", 0.20280629472529554, -0.09581808338288389, 0.010834358390235626, 3, 0.0,
         None),
        ("QE", 0.20280629472529543, -0.095818083382884, 0.010834358390235627, 3, 0.0, None),
        ("forward guidance", 0.15763166430874787, -0.08780050317379617, 0.011753850855878423, 5,
         0.0, None),
        ("fiscal stimulus", 0.1121609314179639, -0.05452454812169427, 0.012734827518604271, 1,
         0.06, 1.5107560551221921),
        ("debt relief", 0.11216093141796402, -0.05452454812169427, 0.01273482751860427, 1, 0.06,
         1.5107560551221904),
        ("higher target", 0.10822347910854913, -0.0270855481336697, 0.032832615279079796, 0,
         0.0, None),
    ],
}


@pytest.mark.parametrize("name", PRESET_NAMES)
def test_lab_numbers_are_unchanged_to_round_off(name: str) -> None:
    keys = ("policy", "cumulative_output_loss", "trough_output_gap", "min_inflation",
            "periods_at_bound", "fiscal_cost", "multiplier")
    got = [tuple(row[k] for k in keys) for row in compare_policies(name).rows]
    assert len(got) == len(LAB_ROWS[name])
    for row, want in zip(got, LAB_ROWS[name], strict=True):
        assert row[0] == want[0] and row[4] == want[4]  # the label and the years at the floor
        for g, w in zip(row[1:], want[1:], strict=True):
            assert (g is None and w is None) or g == pytest.approx(w, rel=1e-12, abs=1e-14)


def test_batched_jacobian_of_the_koo_system_is_the_column_by_column_one() -> None:
    import dataclasses

    from bsrlab.models.deleveraging import koo
    from bsrlab.scenarios.koo_presets import get_koo_preset

    pre = get_koo_preset("us-2008")
    res = koo.solve_koo(pre.params, pre.debt, periods=pre.periods)
    assert res.unknowns is not None
    ex, k = res.exogenous, res.terms
    delta = np.full(res.periods, pre.params.amortisation)
    delta[-1] = 1.0
    s = koo._System(p=pre.params, ex=ex, k=k, delta=delta, limit_path=np.asarray(ex.debt),
                    flexible=False, blocks=koo._blocks(pre.params))
    for system, z in ((s, res.unknowns[0]), (dataclasses.replace(s, flexible=True),
                                             res.unknowns[1])):
        z = z + 1e-3 * np.sin(np.arange(z.size))  # off the root: every branch's slope matters

        def fun(v, system=system):  # type: ignore[no-untyped-def]
            return koo._residual(v, system)

        one = _newton._coloured_jacobian(fun, z, nblocks=len(system.blocks), lower=1, upper=2)
        many = _newton._coloured_jacobian(fun, z, nblocks=len(system.blocks), lower=1, upper=2,
                                          batched=True)
        assert np.array_equal(one.data, many.data)
        rows = np.stack([z, z + 0.01, z - 0.02])
        assert np.array_equal(fun(rows)[1], fun(rows[1]))


def test_factorised_jacobian_solves_as_spsolve_and_flags_singularity() -> None:
    fun, z = _model_system("us-2008", 300, seed=3)
    A = _newton._coloured_jacobian(fun, z, nblocks=3, lower=0, upper=1)
    assert A.n > _newton.DENSE_MAX
    solve = _newton.factorize(A)
    for k in range(3):  # one factorisation, several right-hand sides
        b = np.sin(np.arange(A.n) + k)
        assert np.allclose(solve(b), spla.spsolve(A.to_scipy(), b), rtol=1e-12, atol=1e-14)
    n = _newton.DENSE_MAX + 10
    diag = np.ones(n)
    diag[3] = 0.0
    S = CSC(n=n, data=diag, indices=np.arange(n, dtype=np.intc),
            indptr=np.arange(n + 1, dtype=np.intc))
    with pytest.raises(SingularMatrixError):
        _newton.factorize(S)(np.ones(n))
