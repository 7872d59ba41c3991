"""A static explorer beside the report: ``explorer.html``, one file that works from disk.

The von Peter figures 5, 7, 8 and 9 for the report's R and gamma, over a grid of alpha, with
a slider for alpha and one for the shock tau. Every number is computed here by the library
(``solve``, ``thresholds``, ``admissible_lending``, ``frontier``) on the slider grid, stored
in the page as JSON and drawn by a few lines of inline JavaScript as SVG: no server, no
network, no plotting library (so writing it costs little next to the report's figures).

Examples
--------
>>> from bsrlab.models.vonpeter import Params
>>> page = explorer_html(Params.from_R(alpha=0.5, R=1.05, gamma=0.0), n_alpha=4, n_tau=21)
>>> page.startswith("<!DOCTYPE html>"), "<script src" in page or "<link" in page
(True, False)
"""

from __future__ import annotations

import html
import json
from typing import Any

import numpy as np

from bsrlab.models.vonpeter import Params, admissible_lending, frontier, solve, thresholds
from bsrlab.models.vonpeter.solve import Regime
from bsrlab.presentation.style import OKABE_ITO, RANGE_COLOURS

__all__ = ["explorer_data", "explorer_html"]

#: The frontier's gammas (Figure 9), as in the report.
_GAMMAS = (0.0, 0.1, 0.25, 0.5)


def _r(a: Any, digits: int = 5) -> Any:
    """Round for the page: floats with ``digits`` significant digits (NaN/inf -> None)."""
    arr = np.asarray(a, dtype=np.float64)
    out = np.vectorize(lambda v: float(f"{v:.{digits}g}"), otypes=[float])(
        np.where(np.isfinite(arr), arr, 0.0)) if arr.size else arr
    lst = np.asarray(out).tolist()
    return lst


def explorer_data(params: Params, *, n_alpha: int = 25, n_tau: int = 401,
                  n_delta: int = 201) -> dict[str, Any]:
    """The numbers the static explorer draws, on its slider grid (JSON-ready).

    ``alpha`` runs over ``n_alpha`` values in (R - 1, 1) (the calibration's own alpha among
    them), ``tau`` over ``n_tau`` values in [0, 1]; R and gamma are the calibration's.
    """
    R, g = float(params.R), float(np.asarray(params.gamma))
    a0 = float(np.asarray(params.alpha))
    lo = R - 1.0
    grid = np.linspace(lo + (0.95 - lo) / (n_alpha - 1) * 0.5, 0.95, n_alpha - 1)
    alpha = np.unique(np.append(grid, a0))
    tau = np.linspace(0.0, 1.0, n_tau)
    p = Params.from_R(alpha=alpha[:, None], R=R, gamma=g)
    sol = solve(p, tau[None, :])
    th = thresholds(Params.from_R(alpha=alpha, R=R, gamma=g))
    delta = np.linspace(0.0, 1.0, n_delta)
    qH = alpha * 1.0 / (R - 1.0)
    lend = admissible_lending(p, delta[None, :]) / qH[:, None]
    a_fine = np.linspace(lo + 1e-3, 0.999, 200)
    gammas = sorted({*_GAMMAS, g})
    front = {f"{gv:g}": _r(frontier(a_fine, beta=1.0 / R, gamma=gv)) for gv in gammas}
    return {
        "R": R, "gamma": g, "alpha0": a0, "alpha": _r(alpha, 6), "tau": _r(tau, 6),
        "delta": _r(delta, 6),
        "omega": _r(sol.total_losses), "lambda": _r(sol.loan_losses),
        "decline": _r(sol.delta), "regime": np.asarray(sol.regime, dtype=int).tolist(),
        "regimes": [r.text for r in Regime],
        "th": {k: _r(getattr(th, k)) for k in ("tau_0", "tau_div", "tau_star", "tau_K",
                                               "delta_star", "delta_K")},
        "lending": _r(lend), "frontier_alpha": _r(a_fine), "frontier": front,
    }


_CSS = """
body { font-family: system-ui, sans-serif; margin: 1.2em auto; max-width: 1150px; color: #222; }
.controls { display: flex; gap: 2em; flex-wrap: wrap; align-items: center; }
.controls label { font-weight: 600; } input[type=range] { width: 320px; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1em; }
figure { margin: 0; } figcaption { font-size: 13px; color: #444; }
svg text { font-size: 11px; fill: #333; } #status { font-size: 15px; margin: .6em 0; }
#status b { color: #0b3d91; }
"""

_JS = r"""
const D = JSON.parse(document.getElementById('explorer-data').textContent);
const NS = 'http://www.w3.org/2000/svg';
const W = 520, H = 330, M = {l: 55, r: 15, t: 25, b: 40};
function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e); return e;
}
function plot(id, spec) {
  const svg = document.getElementById(id); svg.innerHTML = '';
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const [x0, x1] = spec.xlim, [y0, y1] = spec.ylim;
  const sx = v => M.l + (v - x0) / (x1 - x0) * (W - M.l - M.r);
  const sy = v => H - M.b - (v - y0) / (y1 - y0) * (H - M.t - M.b);
  el('rect', {x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b, fill: 'none',
              stroke: '#888'}, svg);
  for (let i = 0; i <= 5; i++) {
    const xv = x0 + (x1 - x0) * i / 5, yv = y0 + (y1 - y0) * i / 5;
    el('text', {x: sx(xv), y: H - M.b + 14, 'text-anchor': 'middle'}, svg).textContent =
      String(Number((xv * (spec.xs || 1)).toPrecision(3)));
    el('text', {x: M.l - 5, y: sy(yv) + 4, 'text-anchor': 'end'}, svg).textContent =
      String(Number((yv * (spec.ys || 1)).toPrecision(3)));
  }
  el('text', {x: (W + M.l) / 2, y: H - 6, 'text-anchor': 'middle'}, svg).textContent = spec.xlabel;
  const yl = el('text', {x: 12, y: H / 2, 'text-anchor': 'middle',
                         transform: `rotate(-90 12 ${H / 2})`}, svg);
  yl.textContent = spec.ylabel;
  el('text', {x: M.l, y: 16}, svg).textContent = spec.title;
  const clip = v => Math.max(-1e4, Math.min(1e4, v));
  const cp = el('clipPath', {id: id + '-clip'}, el('defs', {}, svg));
  el('rect', {x: M.l, y: M.t, width: W - M.l - M.r, height: H - M.t - M.b}, cp);
  spec.lines.forEach((s, i) => {
    const pts = s.x.map((xv, k) => `${clip(sx(xv)).toFixed(1)},${clip(sy(s.y[k])).toFixed(1)}`);
    el('polyline', {points: pts.join(' '), fill: 'none', stroke: s.color, 'stroke-width': s.w || 2,
                    'stroke-dasharray': s.dash || '', 'clip-path': `url(#${id}-clip)`,
                    'class': 'series', 'data-name': s.name}, svg);
    const ly = M.t + 14 + 14 * i;
    el('line', {x1: W - M.r - 200, x2: W - M.r - 180, y1: ly - 4, y2: ly - 4, stroke: s.color,
                'stroke-width': 2, 'stroke-dasharray': s.dash || ''}, svg);
    el('text', {x: W - M.r - 175, y: ly}, svg).textContent = s.name;
  });
  (spec.vlines || []).forEach(v => el('line', {x1: sx(v.x), x2: sx(v.x), y1: M.t, y2: H - M.b,
    stroke: v.color || '#333', 'stroke-dasharray': '3 3'}, svg));
  (spec.points || []).forEach(p => {
    const c = el('circle', {cx: sx(p.x), cy: sy(p.y), r: 5, fill: p.fill || 'white',
                            stroke: '#000'}, svg);
    el('title', {}, c).textContent = p.label;
  });
}
function interp(xs, ys, x) {
  let i = 1; while (i < xs.length - 1 && xs[i] < x) i++;
  const t = (x - xs[i - 1]) / (xs[i] - xs[i - 1]);
  return ys[i - 1] + t * (ys[i] - ys[i - 1]);
}
const C = %COLOURS%;
function render() {
  const ia = +document.getElementById('alpha').value, it = +document.getElementById('tau').value;
  const a = D.alpha[ia], t = D.tau[it], th = k => D.th[k][ia];
  document.getElementById('alpha-value').textContent = a.toFixed(3);
  document.getElementById('tau-value').textContent = t.toFixed(4);
  const beyond = t > th('tau_star');
  const dec = D.decline[ia][it], reg = D.regimes[D.regime[ia][it]];
  document.getElementById('status').innerHTML =
    `Regime: <b id="regime">${beyond ? 'beyond τ*: the banking crisis is the only equilibrium'
      : 'below τ*: the fundamental equilibrium'}</b>; losses: <b>${reg}</b>. ` +
    `Fundamental decline δ(τ) = ${(100 * dec).toFixed(2)}%; ` +
    `τ* = ${(100 * th('tau_star')).toFixed(2)}%, ` +
    `δ* = ${(100 * th('delta_star')).toFixed(2)}%; Figure 8 outcome: <b id="fig8-outcome">` +
    `${beyond ? 'banking crisis' : 'fundamental'}</b>.`;
  const tmax = Math.min(1, Math.max(0.02, Math.ceil(2 * th('tau_K') * 50) / 50,
                                    Math.ceil(1.25 * t * 50) / 50));
  const om = D.omega[ia], la = D.lambda[ia];
  const top = Math.max(...om.filter((_, k) => D.tau[k] <= tmax)) * 1.05 || 1;
  plot('svg-fig5', {title: 'Figure 5: losses against the shock', xlabel: 'shock τ (%)',
    ylabel: 'losses (units of y)', xlim: [0, tmax], ylim: [0, top], xs: 100,
    lines: [{name: 'total losses ω', x: D.tau, y: om, color: C.blue},
            {name: 'loan losses λ', x: D.tau, y: la, color: C.vermillion, dash: '6 3'}],
    vlines: [{x: t}, {x: th('tau_star'), color: C.vermillion}],
    points: ['tau_0', 'tau_div', 'tau_K'].map(
      k => ({x: th(k), y: interp(D.tau, om, th(k)), label: k}))});
  const L = D.lending[ia];
  plot('svg-fig7', {title: 'Figure 7: credit demand and admissible lending',
    xlabel: 'decline δ (%)',
    ylabel: '% of steady-state lending qH', xlim: [0, 1], ylim: [-0.04, 1.08], xs: 100, ys: 100,
    lines: [{name: 'credit demand (1 − δ)qH', x: D.delta, y: D.delta.map(d => 1 - d),
             color: C.blue},
            {name: 'admissible lending L(δ)', x: D.delta, y: L, color: C.vermillion, w: 3}],
    vlines: [{x: dec}],
    points: [{x: th('delta_star'), y: 1 - th('delta_star'), label: 'capital crunch δ*'},
             {x: 1, y: 0, fill: '#000', label: 'banking crisis'}]});
  const map = D.delta.map((d, k) => 1 - L[k]);
  const xs = [dec], ys = [dec]; let d = dec;
  for (let k = 0; k < 60; k++) {
    const n = Math.min(1, Math.max(dec, interp(D.delta, map, d)));
    xs.push(d, n); ys.push(n, n); if (Math.abs(n - d) < 1e-9) break; d = n;
  }
  const z = Math.min(1, Math.ceil(1.3 * th('delta_K') * 50) / 50);
  const lim = Math.max(z, Math.min(1, dec * 1.2));
  plot('svg-fig8', {title: 'Figure 8: the instability process', xlabel: 'decline δn (%)',
    ylabel: 'next decline δn+1 (%)', xlim: [0, lim], ylim: [0, lim * 1.04], xs: 100, ys: 100,
    lines: [{name: 'credit contraction 1 − L(δ)/qH', x: D.delta, y: map, color: C.vermillion,
             w: 2.6},
            {name: '45° line', x: [0, 1], y: [0, 1], color: '#555', w: 1.2},
            {name: 'instability process', x: xs, y: ys, color: C.blue, w: 1.6}],
    points: [{x: th('delta_star'), y: th('delta_star'), label: 'δ* (unstable)'}]});
  const fl = Object.keys(D.frontier).map((g, i) => ({name: `γ = ${g}`, x: D.frontier_alpha,
    y: D.frontier[g], color: [C.blue, C.vermillion, C.green, C.purple, C.orange][i % 5],
    dash: i % 2 ? '6 3' : ''}));
  plot('svg-fig9', {title: 'Figure 9: the financial stability frontier δ*(α)', xlabel: 'α',
    ylabel: 'critical decline δ* (%)', xlim: [0, 1], ylim: [0, 1], ys: 100, lines: fl,
    points: [{x: a, y: th('delta_star'), fill: C.yellow, label: 'this calibration'}]});
}
document.getElementById('alpha').addEventListener('input', render);
document.getElementById('tau').addEventListener('input', render);
render();
"""


def explorer_html(params: Params, *, title: str = "bsrlab: the von Peter explorer",
                  n_alpha: int = 25, n_tau: int = 401) -> str:
    """The static explorer as one HTML string (data, script and style inline).

    Parameters
    ----------
    params
        Scalar parameters: R and gamma are kept, alpha starts at ``params.alpha``.
    title
        The page's title.
    n_alpha, n_tau
        The slider grid's sizes.
    """
    if not params.is_scalar:
        from bsrlab.core.errors import ParameterError

        raise ParameterError("params", "scalar parameters for the explorer",
                             f"shape {params.shape}")
    data = explorer_data(params, n_alpha=n_alpha, n_tau=n_tau)
    ia = data["alpha"].index(min(data["alpha"], key=lambda v: abs(v - data["alpha0"])))
    th = thresholds(params)
    it = int(np.argmin(np.abs(np.asarray(data["tau"]) - 0.5 * float(th.tau_star))))
    blob = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
    colours = json.dumps({**OKABE_ITO, "ranges": list(RANGE_COLOURS)})
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>R = {data['R']:g}, γ = {data['gamma']:g} (the report's calibration). Move α and "
        "the shock τ; every curve was computed by bsrlab on the sliders' grid and is drawn "
        "here with no server and no network. For every parameter, run "
        "<code>bsrlab explore</code>.</p>",
        '<div class="controls">',
        f'<div><label for="alpha">α = <span id="alpha-value"></span></label><br>'
        f'<input type="range" id="alpha" min="0" max="{len(data["alpha"]) - 1}" step="1" '
        f'value="{ia}"></div>',
        f'<div><label for="tau">τ = <span id="tau-value"></span></label><br>'
        f'<input type="range" id="tau" min="0" max="{len(data["tau"]) - 1}" step="1" '
        f'value="{it}"></div></div>',
        '<div id="status"></div><div class="grid">',
        *(f'<figure><svg id="svg-{k}" width="520" height="330"></svg></figure>'
          for k in ("fig5", "fig7", "fig8", "fig9")),
        "</div>",
        f'<script type="application/json" id="explorer-data">{blob}</script>',
        f"<script>{_JS.replace('%COLOURS%', colours)}</script>",
        "</body></html>"])
