"""Statistics of the panel test: AUC, its country-cluster bootstrap, ROC curves, the one-sided
HP filter and a small logit, all vectorised with numpy.

- :func:`auc`: the ROC AUC by the Mann-Whitney statistic (ties count one half);
- :func:`weighted_auc`: the same with one weight per row, for many weight vectors at once. A
  country-cluster bootstrap replicate that draws a country twice is the sample with that
  country's rows weighted 2, so :func:`cluster_weights` and :func:`weighted_auc` give every
  replicate's AUC without copying rows;
- :func:`roc_curve`: false-alarm and hit rates at every cut-off;
- :func:`one_sided_hp_gap`: the gap of a series from its one-sided Hodrick-Prescott trend (the
  trend at t uses data up to t only);
- :func:`logit_fit`, :func:`logit_predict`: a ridge-stabilised logit by Newton's method, which
  verifies its convergence.
"""

from __future__ import annotations

import functools

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bsrlab.core.errors import ConvergenceError, ParameterError
from bsrlab.core.result import Diagnostics

__all__ = ["auc", "cluster_auc", "cluster_counts", "cluster_weights", "cutoff_at_false_alarm",
           "hp_gap_last", "logit_fit", "logit_predict", "one_sided_hp_gap", "percentile_ci",
           "roc_curve", "weighted_auc"]


def _pair(score: ArrayLike, event: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    s = np.asarray(score, dtype=np.float64)
    y = np.asarray(event, dtype=bool)
    if s.shape != y.shape or s.ndim != 1:
        raise ParameterError("score, event", "one-dimensional arrays of the same shape",
                             (s.shape, y.shape))
    if not np.all(np.isfinite(s)):
        raise ParameterError("score", "finite values", float(s[~np.isfinite(s)][0]))
    return s, y


def auc(score: ArrayLike, event: ArrayLike) -> float:
    """ROC AUC of ``score`` for ``event`` by the Mann-Whitney statistic (ties count 1/2).

    Returns NaN when either class is empty.

    Examples
    --------
    >>> auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True])
    0.75
    """
    s = np.asarray(score, dtype=np.float64)
    y = np.asarray(event, dtype=bool)
    if s.shape != y.shape:
        raise ParameterError("score, event", "arrays of the same shape", (s.shape, y.shape))
    n1 = int(y.sum())
    n0 = y.size - n1
    if n1 == 0 or n0 == 0:
        return float("nan")
    r = _average_ranks(s.ravel())
    return float((r[y.ravel()].sum() - n1 * (n1 + 1) / 2.0) / (n1 * n0))


def _average_ranks(s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Ranks 1..n with ties given their average rank (as in the Mann-Whitney statistic)."""
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)  # the highest rank in each group of ties
    return (upper - (counts - 1) / 2.0)[inverse.ravel()]


def weighted_auc(score: ArrayLike, event: ArrayLike, weights: ArrayLike) -> NDArray[np.float64]:
    """The AUC of ``score`` for ``event`` under each row of ``weights`` (shape (B, n)).

    With integer weights this is the AUC of the sample in which row i appears weights[b, i]
    times; with weights of one it is :func:`auc`. NaN where a class has no weight.

    Examples
    --------
    >>> w = [[1, 1, 1, 1], [1, 0, 1, 1]]
    >>> weighted_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True], w)
    array([0.75, 1.  ])
    """
    s, y = _pair(score, event)
    W = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    if W.shape[1] != s.size:
        raise ParameterError("weights", f"an array with {s.size} columns", W.shape)
    if s.size == 0:
        return np.full(W.shape[0], np.nan)
    order = np.argsort(s, kind="stable")
    ss = s[order]
    starts = np.flatnonzero(np.concatenate([[True], ss[1:] != ss[:-1]]))
    Ws = W[:, order]
    ys = y[order]
    pos = np.add.reduceat(Ws * ys, starts, axis=1)
    neg = np.add.reduceat(Ws * ~ys, starts, axis=1)
    below = np.cumsum(neg, axis=1) - neg
    num = np.sum(pos * (below + 0.5 * neg), axis=1)
    den = pos.sum(axis=1) * neg.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def cluster_counts(groups: ArrayLike, replications: int, seed: int
                   ) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """(cluster index of each row, draw counts of shape (replications, clusters)).

    Each replicate draws as many clusters as there are, with replacement; ``counts[b, c]`` is
    how often cluster c was drawn in replicate b. Clusters are numbered in sorted order of
    ``groups``. Deterministic for a given ``seed``.
    """
    g = np.asarray(groups)
    labels, idx = np.unique(g, return_inverse=True)
    if not isinstance(replications, int | np.integer) or replications < 1:
        raise ParameterError("replications", "an integer >= 1", replications)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, labels.size, size=(replications, labels.size))
    counts = np.zeros((replications, labels.size))
    np.add.at(counts, (np.repeat(np.arange(replications), labels.size), draws.ravel()), 1.0)
    return idx.ravel().astype(np.int64), counts


def cluster_auc(score: ArrayLike, event: ArrayLike, cluster: ArrayLike,
                counts: ArrayLike) -> NDArray[np.float64]:
    """The AUC of every cluster-bootstrap replicate, from the clusters' draw counts.

    Equal to :func:`weighted_auc` with row weights ``counts[:, cluster]``, but computed from
    the cluster-by-cluster pair counts M[c, d] (positives of c against negatives of d), so
    each replicate costs O(clusters^2): num_b = w_b' M w_b, den_b = (w_b' P)(w_b' N).

    Examples
    --------
    >>> cluster_auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True], [0, 0, 1, 1],
    ...             [[1.0, 1.0], [2.0, 0.0]])
    array([0.75,  nan])
    """
    s, y = _pair(score, event)
    cl = np.asarray(cluster, dtype=np.int64)
    C = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    k = C.shape[1]
    if cl.shape != s.shape or (cl.size and (cl.min() < 0 or cl.max() >= k)):
        raise ParameterError("cluster", f"one index in 0..{k - 1} per row", cl.shape)
    sp, sn = s[y], s[~y]
    cp, cn = cl[y], cl[~y]
    # below[i, d]: negatives of cluster d scoring below positive i, ties counted one half
    below = np.zeros((sp.size, k))
    for d in range(k):
        nd = np.sort(sn[cn == d])
        if nd.size:
            lo = np.searchsorted(nd, sp, side="left")
            hi = np.searchsorted(nd, sp, side="right")
            below[:, d] = 0.5 * (lo + hi)
    Gp = np.zeros((sp.size, k))
    Gp[np.arange(sp.size), cp] = 1.0
    M = Gp.T @ below
    num = np.einsum("bc,cd,bd->b", C, M, C)
    den = (C @ np.bincount(cp, minlength=k)) * (C @ np.bincount(cn, minlength=k))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def cluster_weights(groups: ArrayLike, replications: int, seed: int) -> NDArray[np.float64]:
    """Country-cluster bootstrap weights, shape (replications, n).

    Each replicate draws as many clusters as there are, with replacement; a row's weight is the
    number of times its cluster was drawn. Deterministic for a given ``seed``.
    """
    idx, counts = cluster_counts(groups, replications, seed)
    return counts[:, idx]


def percentile_ci(values: ArrayLike, level: float = 0.95) -> list[float]:
    """[low, high] percentile interval of the finite ``values`` (NaNs when there are none)."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return [float("nan"), float("nan")]
    lo, hi = np.percentile(v, [50.0 * (1.0 - level), 50.0 * (1.0 + level)])
    return [float(lo), float(hi)]


def roc_curve(score: ArrayLike, event: ArrayLike) -> tuple[NDArray[np.float64],
                                                           NDArray[np.float64]]:
    """(false-alarm rates, hit rates) of the rule "score >= c" at every distinct cut-off c,
    from (0, 0) to (1, 1); the area under it is :func:`auc`.

    Examples
    --------
    >>> fpr, tpr = roc_curve([0.1, 0.4, 0.35, 0.8], [False, False, True, True])
    >>> fpr.tolist(), tpr.tolist()
    ([0.0, 0.0, 0.5, 0.5, 1.0], [0.0, 0.5, 0.5, 1.0, 1.0])
    """
    s, y = _pair(score, event)
    order = np.argsort(-s, kind="stable")
    ss, ys = s[order], y[order]
    last = np.concatenate([ss[1:] != ss[:-1], [True]])
    tp = np.cumsum(ys)[last]
    fp = np.cumsum(~ys)[last]
    n1, n0 = max(int(y.sum()), 1), max(int((~y).sum()), 1)
    return (np.concatenate([[0.0], fp / n0]), np.concatenate([[0.0], tp / n1]))


def cutoff_at_false_alarm(score: ArrayLike, event: ArrayLike, rate: float) -> float:
    """The lowest cut-off c whose rule "score >= c" signals in at most ``rate`` of non-events.

    Examples
    --------
    >>> cutoff_at_false_alarm([1.0, 2.0, 3.0, 4.0, 9.0], [False] * 4 + [True], 0.25)
    4.0
    """
    s, y = _pair(score, event)
    neg = np.sort(s[~y])
    if neg.size == 0:
        return float(np.min(s)) if s.size else float("nan")
    k = int(np.floor(rate * neg.size + 1e-9))  # at most k non-events may signal
    values = np.unique(neg)
    signalling = neg.size - np.searchsorted(neg, values, side="left")  # count of neg >= value
    ok = values[signalling <= k]
    return float(ok[0]) if ok.size else float(np.nextafter(neg[-1], np.inf))


def one_sided_hp_gap(x: ArrayLike, lam: float, min_obs: int = 10) -> NDArray[np.float64]:
    """x_t minus its one-sided HP trend: the two-sided trend of x_s..x_t, taken at t.

    The trend at t uses the unbroken run of finite values ending at t (at least ``min_obs`` of
    them; NaN otherwise): nothing after t enters. The HP problem (I + lam D'D) tau = x, with D
    the second-difference operator, is solved as a symmetric banded system.

    Examples
    --------
    >>> gap = one_sided_hp_gap(np.arange(12.0), 1600.0)
    >>> bool(np.all(np.isnan(gap[:9]))), bool(np.allclose(gap[9:], 0.0))
    (True, True)
    """
    v = np.asarray(x, dtype=np.float64)
    if not lam > 0.0:
        raise ParameterError("lam", "lam > 0", lam)
    n = v.size
    out = np.full(n, np.nan)
    finite = np.isfinite(v)
    run = 0
    for t in range(n):
        run = run + 1 if finite[t] else 0
        if run < max(min_obs, 3):
            continue
        out[t] = v[t] - float(_hp_last_weights(float(lam), run) @ v[t - run + 1:t + 1])
    return out


@functools.lru_cache(maxsize=1024)
def _hp_last_weights(lam: float, m: int) -> NDArray[np.float64]:
    """The weights w with trend_m = w . y of the HP trend's last value on m observations: the
    last row of (I + lam D'D)^-1 (symmetric, so its last column)."""
    e = np.zeros(m)
    e[-1] = 1.0
    w = _hp_trend(e, lam)
    w.setflags(write=False)
    return w


def _hp_trend(y: NDArray[np.float64], lam: float) -> NDArray[np.float64]:
    """The two-sided HP trend of ``y`` (at least 3 values), a symmetric banded solve."""
    from scipy.linalg import solveh_banded

    m = y.size
    main = np.full(m, 6.0)
    main[[0, -1]] = 1.0
    main[[1, -2]] = 5.0
    off1 = np.full(m - 1, -4.0)
    off1[[0, -1]] = -2.0
    ab = np.zeros((3, m))
    ab[2] = 1.0 + lam * main
    ab[1, 1:] = lam * off1
    ab[0, 2:] = lam
    return np.asarray(solveh_banded(ab, y, check_finite=False), dtype=np.float64)


def hp_gap_last(x: ArrayLike, lam: float, min_obs: int = 10) -> float:
    """The last value of :func:`one_sided_hp_gap` (one solve instead of one per date).

    Examples
    --------
    >>> x = np.sin(np.arange(40.0) / 3.0)
    >>> bool(np.isclose(hp_gap_last(x, 1600.0), one_sided_hp_gap(x, 1600.0)[-1]))
    True
    """
    v = np.asarray(x, dtype=np.float64)
    if not lam > 0.0:
        raise ParameterError("lam", "lam > 0", lam)
    if v.size == 0 or not np.isfinite(v[-1]):
        return float("nan")
    bad = np.flatnonzero(~np.isfinite(v))
    y = v[bad[-1] + 1:] if bad.size else v
    if y.size < max(min_obs, 3):
        return float("nan")
    return float(y[-1] - _hp_trend(y, lam)[-1])


def _standardise(X: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    return mu, np.where(sd > 0, sd, 1.0)


def logit_fit(X: ArrayLike, y: ArrayLike, *, ridge: float = 1e-3, tol: float = 1e-10,
              max_iter: int = 100, start: ArrayLike | None = None) -> NDArray[np.float64]:
    """Coefficients (intercept first, then one per column of ``X``) of a logit of ``y``.

    The columns are standardised on the data given (so only these data enter), a small ridge
    penalty keeps the fit finite under separation, and Newton's method runs until the gradient
    is below ``tol``. ``start`` (coefficients on the original scale, e.g. a previous fit)
    only sets where Newton's method begins; the fit does not depend on it.

    Raises
    ------
    ConvergenceError
        When Newton's method does not meet ``tol`` within ``max_iter`` iterations.
    """
    A = np.asarray(X, dtype=np.float64)
    t = np.asarray(y, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != t.size:
        raise ParameterError("X, y", "a 2-d array with one row per outcome", (A.shape, t.shape))
    mu, sd = _standardise(A)
    Z = np.column_stack([np.ones(A.shape[0]), (A - mu) / sd])
    beta = np.zeros(Z.shape[1])
    if start is not None:
        b0 = np.asarray(start, dtype=np.float64)
        if b0.shape == beta.shape and np.all(np.isfinite(b0)):
            beta = np.concatenate([[b0[0] + float(np.sum(b0[1:] * mu))], b0[1:] * sd])
    pen = np.full(Z.shape[1], ridge * A.shape[0])
    pen[0] = 0.0
    grad_norm = np.inf

    def objective(b: NDArray[np.float64]) -> float:
        eta = Z @ b
        return float(np.sum(t * eta - np.logaddexp(0.0, eta)) - 0.5 * np.sum(pen * b * b))

    value = objective(beta)
    for _it in range(1, max_iter + 1):
        eta = np.clip(Z @ beta, -35.0, 35.0)
        p = 1.0 / (1.0 + np.exp(-eta))
        grad = Z.T @ (t - p) - pen * beta
        grad_norm = float(np.max(np.abs(grad))) / A.shape[0]
        if grad_norm < tol:
            return _unstandardise(beta, mu, sd)
        H = (Z * (p * (1.0 - p))[:, None]).T @ Z + np.diag(pen)
        step = np.linalg.solve(H, grad)
        trial = objective(beta + step)
        for _half in range(40):  # damped Newton: the penalised likelihood never falls
            if trial >= value - 1e-12 * abs(value):
                break
            step = step / 2.0
            trial = objective(beta + step)
        beta = beta + step
        value = trial
    raise ConvergenceError(
        "logit: Newton's method did not converge",
        Diagnostics(converged=False, iterations=max_iter, max_residual=grad_norm,
                    method="newton"))


def _unstandardise(beta: NDArray[np.float64], mu: NDArray[np.float64],
                   sd: NDArray[np.float64]) -> NDArray[np.float64]:
    slopes = beta[1:] / sd
    return np.concatenate([[beta[0] - float(np.sum(slopes * mu))], slopes])


def logit_predict(coef: ArrayLike, X: ArrayLike) -> NDArray[np.float64]:
    """Predicted probabilities of a logit with coefficients ``coef`` (intercept first)."""
    b = np.asarray(coef, dtype=np.float64)
    A = np.asarray(X, dtype=np.float64)
    eta = np.clip(b[0] + A @ b[1:], -35.0, 35.0)
    return 1.0 / (1.0 + np.exp(-eta))
