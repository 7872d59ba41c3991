"""Every input and output of the von Peter (2004) family, declared once.

:data:`VOCABULARY` (registered as the family ``vonpeter``) holds one
:class:`~bsrlab.core.vocabulary.OutputSpec` per quantity: its JSON key, the paper's symbol, unit,
equation number, meaning, the label tables and figures show, and how tables format it. The key
groups below fix the order of every result's ``to_dict()`` and of the command line's JSON.

Values are in units of the nominal anchor p0 = 1 and scale with output y ("share of y" is exact
for y = 1, the default); declines and shocks are fractions.

Examples
--------
>>> VOCABULARY["delta_star"].equation
'(28)'
>>> VOCABULARY["delta"].format(0.055)
'5.500 %'
"""

from __future__ import annotations

from bsrlab.core.vocabulary import OutputSpec, Vocabulary, register

__all__ = [
    "EQUILIBRIUM_KEYS",
    "INPUT_KEYS",
    "INSTABILITY_KEYS",
    "OUTPUT_KEYS",
    "SOLUTION_KEYS",
    "STEADY_STATE_KEYS",
    "THRESHOLD_KEYS",
    "VOCABULARY",
    "VULNERABILITY_KEYS",
]

_S = OutputSpec

_INPUTS = (
    _S("alpha", "α", "elasticity", "", "output elasticity of assets; drives firm leverage (12); "
       "R - 1 < α < 1 (footnote 20)", "output elasticity of assets α"),
    _S("beta", "β", "discount factor", "", "households' discount factor, 0 < β < 1",
       "discount factor β"),
    _S("R", "R", "gross rate per period", "", "gross natural rate R = 1/β",
       "gross natural rate R"),
    _S("gamma", "γ", "coefficient", "", "CRRA coefficient, the deflationary tendency, "
       "0 <= γ < 1", "deflationary tendency γ"),
    _S("y", "y", "output per period", "", "output f(H) of the asset stock, y > 0", "output y"),
    _S("H", "H", "units of assets", "", "the fixed asset stock, H > 0", "asset stock H"),
    _S("tau", "τ", "share of y", "", "unexpected, permanent fall in productivity from t on, "
       "0 <= τ <= 1", "productivity shock τ", "pct"),
)

_SOLUTION = (
    _S("delta", "δ", "share of q", "(22)", "asset price decline δ = 1 - q_t/q",
       "asset price decline δ", "pct"),
    _S("p_t", "p_t", "level (p0 = 1)", "(23)", "price level at t: (1 + Rδ/(R-1))^e while "
       "losses are absorbed (23), (R/α)^(-γ) once they reach bank capital (24)",
       "price level p_t"),
    _S("p_next", "p_{t+1}", "level (p0 = 1)", "(31)", "price level from t+1 on, "
       "(s_{t+1}/s)^e", "price level p_{t+1}"),
    _S("s_t", "s_t", "share of y", "(24)", "household spending at t: s + δqH (regime 1), "
       "p_t y (24)", "household spending s_t"),
    _S("s_next", "s_{t+1}", "share of y", "(30)", "household spending from t+1 on, (R-1) D_t",
       "household spending s_{t+1}"),
    _S("asset_value_t", "q_t H", "share of y", "(22)", "value of the assets at t = bank loans "
       "to new firms, (1 - δ) qH", "asset value = loans q_t H"),
    _S("loan_losses", "λ", "share of y", "(16)", "non-performing loans max(0, ω - Π)",
       "loan losses λ"),
    _S("total_losses", "ω", "share of y", "(17)", "total losses δqH + (1 - p_t) y",
       "total losses ω"),
    _S("firm_profits_t", "Π_t", "share of y", "(16)", "old firms' profits at t, max(0, Π - ω)",
       "old firms' profits Π_t"),
    _S("bank_capital_t", "K_t", "share of y", "(18)", "bank capital after the shock: K while "
       "λ <= (R-1)K, else RK - λ", "bank capital K_t"),
    _S("bank_dividends_t", "Div_t", "share of y", "(18)", "bank dividends at t: (R-1)K - λ "
       "while positive, else 0", "bank dividends Div_t"),
    _S("deposits_t", "D_t", "share of y", "(30)", "households' deposits after spending, "
       "RD - s_t", "deposits D_t"),
    _S("depositor_losses", "λ - RK", "share of y", "(18)", "losses borne by depositors once "
       "bank capital is gone, max(0, λ - RK)", "depositors' losses"),
    _S("regime", "", "label", "", "who bears the losses (Proposition 3, Figure 5): "
       "firms_absorb, dividends_absorb, capital_absorbs or insolvent",
       "who bears the losses (regime)", "text"),
)

_THRESHOLDS = (
    _S("delta_0", "δ_0", "share of q", "(32)", "decline at which losses reach firms' profits "
       "(ω = Π) and firms start to default", "firms start to default", "pct"),
    _S("delta_div", "δ_Div", "share of q", "(32)", "decline at which loan losses equal normal "
       "bank profits (R-1)K, δ*/R", "losses exceed bank profits", "pct"),
    _S("delta_star", "δ*", "share of q", "(28)", "capital-crunch decline (R-1)[(R/α)^(1-γ) - 1], "
       "where the capital constraint binds", "capital crunch, instability", "pct"),
    _S("delta_K", "δ_K", "share of q", "(32)", "decline at which loan losses equal RK and bank "
       "capital is gone, δ*/R + (R-1)/R", "bank capital is gone", "pct"),
    _S("tau_0", "τ_0", "share of y", "(33)", "shock whose fundamental decline is δ_0",
       "firms start to default", "pct"),
    _S("tau_div", "τ_Div", "share of y", "(33)", "shock whose fundamental decline is δ_Div",
       "losses exceed bank profits", "pct"),
    _S("tau_star", "τ*", "share of y", "(33)", "shock whose fundamental decline is δ*; beyond "
       "it only the banking crisis remains", "capital crunch, instability", "pct"),
    _S("tau_K", "τ_K", "share of y", "(33)", "shock whose fundamental decline is δ_K; beyond it "
       "banks are insolvent", "bank capital is gone", "pct"),
)

_STEADY = (
    _S("p", "p", "level (p0 = 1)", "", "steady-state price level, the nominal anchor p0 = 1",
       "price level p"),
    _S("q", "q", "share of y per unit of H", "(11)", "steady-state asset price qH/H",
       "asset price q"),
    _S("asset_value", "qH", "share of y", "(11)", "value of the assets = bank loans, "
       "αy/(R-1)", "asset value = loans qH"),
    _S("deposits", "D", "share of y", "", "households' deposits qH/R", "deposits D"),
    _S("bank_capital", "K", "share of y", "", "bank capital K = s = αy/R", "bank capital K"),
    _S("household_spending", "s", "share of y", "", "household spending s = (R-1)D = αy/R",
       "household spending s"),
    _S("firm_profits", "Π", "share of y", "(7)", "firms' profits (1-α)y", "firms' profits Π"),
    _S("bank_dividends", "Div", "share of y", "(5)", "bank dividends (R-1)K",
       "bank dividends Div"),
    _S("firm_leverage", "RqH/Π", "ratio", "(12)", "firm leverage α/(1-α) R/(R-1)",
       "firm leverage RqH/Π"),
    _S("bank_leverage", "D/K", "ratio", "(13)", "bank leverage 1/(R-1)", "bank leverage D/K"),
)

_EQUILIBRIUM = (
    _S("kind", "", "label", "", "kind of equilibrium (Proposition 4): fundamental, "
       "capital_crunch or banking_crisis", "equilibrium", "text"),
    _S("loan_rate", "R_t", "gross rate per period", "(27)", "gross loan rate that clears the "
       "credit market; R in the fundamental equilibrium, infinite in a banking crisis",
       "loan rate R_t"),
    _S("stable", "", "flag", "", "whether the instability process (Figure 8) returns to the "
       "equilibrium after a small perturbation", "stable", "bool"),
    _S("self_fulfilling", "", "flag", "", "whether the equilibrium arises from expectations "
       "rather than from fundamentals (Appendix 3)", "self-fulfilling", "bool"),
)

_VULNERABILITY = (
    _S("value", "", "as the threshold", "", "the threshold's value", "value"),
    _S("d_alpha", "∂/∂α", "per unit of α", "", "derivative of the threshold in α "
       "(Proposition 5: negative)", "d/dα"),
    _S("d_beta", "∂/∂β", "per unit of β", "", "derivative of the threshold in β "
       "(Proposition 5: negative)", "d/dβ"),
    _S("d_gamma", "∂/∂γ", "per unit of γ", "", "derivative of the threshold in γ "
       "(Proposition 5: negative, except τ_Div for α near 1)", "d/dγ"),
)

_INSTABILITY = (
    _S("start", "δ_0 of the process", "share of q", "", "the decline the instability process "
       "starts from", "starting decline", "pct"),
    _S("round", "n", "count", "", "round of the instability process (Figure 8)", "round",
       "int"),
    _S("admissible_lending", "L(δ)", "share of y", "(26)", "lending the capital constraint "
       "admits at the decline δ", "admissible lending L(δ)"),
    _S("deltas", "δ_n", "share of q", "", "the decline after each round n of the instability "
       "process", "decline δ_n", "pct"),
    _S("lending", "L(δ_n)", "share of y", "(26)", "admissible lending after each round n",
       "admissible lending L(δ_n)"),
    _S("end", "", "label", "", "where the instability process ends: fundamental, "
       "capital_crunch or banking_crisis", "end of the process", "text"),
    _S("rounds", "", "count", "", "rounds the instability process took", "rounds", "int"),
    _S("converged", "", "flag", "", "whether the process settled within its round limit",
       "converged", "bool"),
)

#: The family's vocabulary, registered as ``vonpeter``.
VOCABULARY = register(Vocabulary("vonpeter", (*_INPUTS, *_SOLUTION, *_THRESHOLDS, *_STEADY,
                                              *_EQUILIBRIUM, *_VULNERABILITY, *_INSTABILITY)))

#: The parameters and the shock.
INPUT_KEYS: tuple[str, ...] = tuple(s.name for s in _INPUTS)
#: Every key of a solution record, in the command line's JSON order (the regime last).
SOLUTION_KEYS: tuple[str, ...] = tuple(s.name for s in _SOLUTION)
#: The numeric outputs of :class:`~bsrlab.models.vonpeter.solve.Solution` (all but the regime).
OUTPUT_KEYS: tuple[str, ...] = SOLUTION_KEYS[:-1]
#: The eight thresholds of Appendix 2, in the command line's JSON order.
THRESHOLD_KEYS: tuple[str, ...] = tuple(s.name for s in _THRESHOLDS)
#: The steady state of Proposition 1.
STEADY_STATE_KEYS: tuple[str, ...] = tuple(s.name for s in _STEADY)
#: One equilibrium of Proposition 4 (``delta`` is the asset price decline).
EQUILIBRIUM_KEYS: tuple[str, ...] = ("kind", "delta", "loan_rate", "stable", "self_fulfilling")
#: Per threshold in :class:`~bsrlab.models.vonpeter.vulnerability.Vulnerability`.
VULNERABILITY_KEYS: tuple[str, ...] = tuple(s.name for s in _VULNERABILITY)
#: The instability process of Figure 8.
INSTABILITY_KEYS: tuple[str, ...] = ("start", "tau", "deltas", "lending", "end", "rounds",
                                     "converged")
