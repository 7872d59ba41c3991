"""Every output of the deleveraging family, declared once.

Three vocabularies (:class:`~bsrlab.core.vocabulary.Vocabulary`), one per model, since the
same name means different things in each (``output`` is a level on a path and a deviation in
the two-state model):

* :data:`VOCABULARY` (family ``deleveraging``): the many-period path, its accounting columns,
  its diagnostics and the policy lab's table;
* :data:`ENDOWMENT_VOCABULARY` (``deleveraging_endowment``): the endowment economy;
* :data:`TWO_STATE_VOCABULARY` (``deleveraging_two_state``): the two-state short run.

The key groups below fix the order of the JSON records, tables and ``to_dict()`` of each result.
On a path, quantities are shares of potential output :math:`y^* = 1` per period (a year) unless
the unit says otherwise.

Examples
--------
>>> PATH_KEYS[:3]
('t', 'output_gap', 'inflation')
>>> VOCABULARY["natural_rate"].symbol
'r^n_t'
>>> VOCABULARY["output_gap"].format(-0.0123)
'-1.230 %'
"""

from __future__ import annotations

from bsrlab.core.vocabulary import OutputSpec, Vocabulary, register

__all__ = [
    "ARRAY_KEYS",
    "COMPARE_KEYS",
    "DIAGNOSTIC_KEYS",
    "ENDOWMENT_KEYS",
    "ENDOWMENT_VOCABULARY",
    "EXTRA_KEYS",
    "KOO_EXTRA_KEYS",
    "KOO_LAB_KEYS",
    "KOO_VOCABULARY",
    "PATH_KEYS",
    "TWO_STATE_KEYS",
    "TWO_STATE_VOCABULARY",
    "VOCABULARY",
]

_S = OutputSpec
_Y = "share of y*"
_RATE = "rate per period"

_PATH = (
    _S("t", "t", "period", "", "period after the surprise announcement at t = 0", "t", "int"),
    _S("output_gap", "y_t/y* - 1", _Y, "", "output gap: output over potential minus one",
       "output gap", "pct"),
    _S("inflation", "π_t", _RATE, "", "inflation of the price level from t-1 to t",
       "inflation π", "pct"),
    _S("price_level", "P_t", "level (P_{-1} = 1)", "", "price level, cumulated inflation "
       "from P_{-1} = 1", "price level P"),
    _S("policy_rate", "i_t", _RATE, "", "nominal policy rate: the Taylor rule with a floor, "
       "max(i_floor, i^sh_t), or the floor while forward guidance holds it",
       "policy rate i", "pct"),
    _S("shadow_rate", "i^sh_t", _RATE, "", "the rate the Taylor rule (less any rate cut) "
       "prescribes, ignoring the floor", "shadow rate i^sh", "pct"),
    _S("real_rate", "r_t", _RATE, "", "real rate (1 + i_t)/(1 + π_{t+1}) - 1 (Fisher "
       "equation, perfect foresight)", "real rate r", "pct"),
    _S("natural_rate", "r^n_t", _RATE, "", "real rate of the same economy with flexible "
       "prices (y = 1, no Fisher surprise) under the same debt path and fiscal actions",
       "natural rate r^n", "pct"),
    _S("at_bound", "", "flag", "", "whether the policy rate sits at its floor", "at the floor",
       "bool"),
    _S("borrower_debt", "χ_b D_t", _Y, "", "aggregate debt limit of borrowers (face value "
       "due next period)", "borrowers' debt χ_b D", "pct"),
    _S("deleveraging", "χ_b (D^v_{t-1} - D^v_t)", _Y, "", "borrowers' net repayment of "
       "principal at issue value D^v = D/(1 + r)", "deleveraging", "pct"),
    _S("government_spending", "g_t", _Y, "", "government spending on goods, debt-financed",
       "government spending g", "pct"),
    _S("government_debt", "B_t", _Y, "", "value of government debt, held by savers and "
       "repaid at the rate tax_repay a period", "government debt B", "pct"),
    _S("private_surplus", "", _Y, "", "private financial surplus: borrowers' plus savers' "
       "saving net of investment", "private financial surplus", "pct"),
    _S("government_deficit", "", _Y, "", "government deficit: spending + transfers + capital "
       "transfers + interest - taxes", "government deficit", "pct"),
)

_EXTRA = (
    _S("output", "y_t", "level (y* = 1)", "", "output per head", "output y"),
    _S("transfers", "T_t", _Y, "", "aggregate transfers to borrowers (debt relief), "
       "debt-financed", "transfers to borrowers T", "pct"),
    _S("borrower_surplus", "", _Y, "", "borrowers' financial surplus: income less "
       "consumption and interest, plus transfers", "borrowers' surplus", "pct"),
    _S("saver_surplus", "", _Y, "", "savers' financial surplus: income and interest received "
       "less consumption and taxes", "savers' surplus", "pct"),
    _S("c_borrower", "c_{b,t}", "level (y* = 1)", "", "consumption per borrower",
       "borrowers' consumption c_b"),
    _S("c_saver", "c_{s,t}", "level (y* = 1)", "", "consumption per saver",
       "savers' consumption c_s"),
    _S("qe_holdings", "", _Y, "", "the central bank's cumulated bond purchases (reserves "
       "issued)", "central-bank bond holdings", "pct"),
    _S("interest_borrowers", "", _Y, "", "borrowers' interest payments, aggregate",
       "borrowers' interest", "pct"),
    _S("taxes", "", _Y, "", "lump-sum taxes on savers: interest on and repayment of "
       "government debt", "taxes", "pct"),
)

_INTERNAL = (
    _S("capital_transfers", "", _Y, "", "the government's payment to creditors for a "
       "government-funded debt write-down (at t = 0)", "capital transfers", "pct"),
)

_DIAGNOSTICS = (
    _S("periods", "T", "periods", "", "horizon: from T on the economy is in the new steady "
       "state", "horizon T", "int"),
    _S("converged", "", "flag", "", "whether Newton's method met its tolerance on the stacked "
       "system", "converged", "bool"),
    _S("iterations", "", "count", "", "Newton iterations on the stacked system",
       "Newton iterations", "int"),
    _S("max_residual", "", "absolute", "", "largest absolute residual of the 3T equations "
       "(Euler, Phillips, resources) at the solution", "largest residual"),
    _S("natural_rate_iterations", "", "count", "", "Newton iterations on the flexible-price "
       "system of the natural rate", "natural-rate iterations", "int"),
)

_COMPARE = (
    _S("policy", "", "label", "", "the policy compared (its label in the lab)", "policy",
       "text"),
    _S("cumulative_output_loss", "-Σ_t (y_t/y* - 1)", "years of y*", "", "output lost over "
       "the horizon", "cumulative output loss", "pct"),
    _S("trough_output_gap", "min_t (y_t/y* - 1)", _Y, "", "the lowest output gap",
       "trough of the output gap", "pct"),
    _S("min_inflation", "min_t π_t", _RATE, "", "the lowest inflation", "lowest inflation",
       "pct"),
    _S("periods_at_bound", "", "periods", "", "periods at which the policy rate is at its "
       "floor", "periods at the floor", "int"),
    _S("fiscal_cost", "Σ_t (g_t + T_t + capital transfers)", "years of y*", "", "cumulative "
       "spending, transfers and capital transfers, undiscounted", "fiscal cost", "pct"),
    _S("multiplier", "", "ratio", "", "cumulative output gained over the path without policy "
       "per unit of fiscal cost (none without a fiscal cost)", "multiplier"),
)

#: The deleveraging path and the policy lab, registered as ``deleveraging``.
VOCABULARY = register(Vocabulary("deleveraging", (*_PATH, *_EXTRA, *_INTERNAL, *_DIAGNOSTICS,
                                                  *_COMPARE)))

#: Per-period keys of a path, in the order of the command line's JSON records.
PATH_KEYS: tuple[str, ...] = tuple(s.name for s in _PATH)
#: The accounting columns a path's table adds to :data:`PATH_KEYS`.
EXTRA_KEYS: tuple[str, ...] = tuple(s.name for s in _EXTRA)
#: Every per-period array of a path.
ARRAY_KEYS: tuple[str, ...] = (*PATH_KEYS, *EXTRA_KEYS, *(s.name for s in _INTERNAL))
#: The diagnostics in a path's ``to_dict()``.
DIAGNOSTIC_KEYS: tuple[str, ...] = tuple(s.name for s in _DIAGNOSTICS)
#: The policy lab's keys, one record per policy.
COMPARE_KEYS: tuple[str, ...] = tuple(s.name for s in _COMPARE)

_KOO_PATH = (
    _S("at_limit", "", "flag", "(5.3)", "whether borrowers are at their debt limit "
       "(complementary slackness: the limit binds or their Euler equation holds)",
       "at the debt limit", "bool"),
    _S("debt_limit", "χ_b L_t", _Y, "(5.3)", "borrowers' debt limit: the target path, or the "
       "cash-flow rule max(D*, Q_{t-1} - ρ y^d_t)", "borrowers' debt limit χ_b L", "pct"),
    _S("new_debt", "χ_b d_t", _Y, "(5.2)", "face value of new one-period debt",
       "new one-period debt χ_b d", "pct"),
    _S("legacy_debt", "χ_b ℓ_t", _Y, "(5.2)", "real principal of the legacy long-term loan "
       "at the contract rate i_c", "legacy debt χ_b ℓ", "pct"),
    _S("legacy_service", "", _Y, "(5.2)", "real payment on the legacy loan at t: interest at "
       "i_c and amortisation, deflated by the price level", "legacy debt service", "pct"),
    _S("debt_service", "", _Y, "(5.2)", "legacy service plus maturing one-period debt",
       "debt service", "pct"),
    _S("borrower_multiplier", "μ_t", "ratio", "(5.3)", "1 - β_b R_t (c_b,t+1/c_b,t)^(-1/σ): "
       "positive when the limit binds, zero when it is slack", "borrowers' limit multiplier μ"),
    _S("safe_assets", "a_t", "level (y* = 1)", "(5.1)", "real safe assets per saver, "
       "(χ_b (ℓ_t + d_t/R_t) + B_t)/χ_s", "savers' safe assets a"),
)

_KOO_LAB = (
    _S("policy", "", "label", "", "the policy compared (its label in the lab)", "policy",
       "text"),
    _S("cumulative_output_loss", "Σ_t max(1 - y_t/y*, 0)", "years of y*", "", "output lost "
       "below potential over the horizon (output above potential after a repair is an "
       "overshoot, not counted as a gain)", "cumulative output loss", "pct"),
    _S("output_gained", "", "years of y*", "", "the no-policy row's output loss minus this "
       "row's", "output gained", "pct"),
    _S("output_loss_repair", "", "years of y*", "", "output lost below potential over the "
       "no-policy repair, t = 0..repair end", "output loss during the repair", "pct"),
    _S("trough_output_gap", "min_t (y_t/y* - 1)", _Y, "", "the lowest output gap",
       "trough of the output gap", "pct"),
    _S("years_at_floor", "", "years", "", "years at which the policy rate is at its floor",
       "years at the floor", "int"),
    _S("floor_spell", "", "(first, last)", "", "first and last year of the first spell at the "
       "floor", "first spell at the floor", "text"),
    _S("repair_end", "", "t", "(5.3)", "first year in which borrowers' debt is at or below its "
       "target D*", "repair ends at t", "int"),
    _S("min_inflation", "min_t π_t", _RATE, "", "the lowest inflation", "lowest inflation",
       "pct"),
    _S("fiscal_cost", "Σ_t (Δg_t + Δtr_t + Δk_t - Δτ_t)", "years of y*", "(5.4)", "the "
       "policy's spending, transfers and capital transfers less its discretionary taxes, "
       "against the no-policy row (negative for a consolidation), undiscounted",
       "fiscal cost", "pct"),
    _S("government_debt_end", "B_{T-1}", _Y, "", "government debt at the end of the horizon",
       "government debt at the end", "pct"),
    _S("government_debt_repair_end", "", _Y, "", "government debt in the year the repair "
       "ends without policy", "government debt when the repair ends", "pct"),
    _S("multiplier", "", "ratio", "", "output gained per unit of fiscal cost, where the "
       "policy has a positive fiscal cost (none otherwise)", "multiplier"),
    _S("sentence", "", "text", "", "what the row shows and why, in words, from its numbers",
       "what the row shows", "text"),
)

#: Koo's model (a path's extra columns, the policy lab's rows), registered as ``koo``.
KOO_VOCABULARY = register(Vocabulary("koo", (*_KOO_PATH, *_KOO_LAB)))
#: The columns a Koo path adds to :data:`PATH_KEYS` and :data:`EXTRA_KEYS`.
KOO_EXTRA_KEYS: tuple[str, ...] = tuple(s.name for s in _KOO_PATH)
#: The Koo policy lab's keys, one record per policy.
KOO_LAB_KEYS: tuple[str, ...] = tuple(s.name for s in _KOO_LAB)

_ENDOWMENT = (
    _S("natural_rate", "r_S", _RATE, "(S)", "short-run natural rate "
       "(Y/2 + D_low)/(β (Y/2 + D_high/P_S)) - 1", "natural rate r_S", "pct"),
    _S("c_borrower_short", "c_{b,S}", "level (endowment Y)", "(S)", "borrowers' consumption "
       "in the short run, Y/2 + D_low/(1 + r_S) - D_high/P_S", "borrowers' consumption c_b,S"),
    _S("c_saver_short", "c_{s,S}", "level (endowment Y)", "(S)", "savers' consumption in the "
       "short run, Y - c_{b,S}", "savers' consumption c_s,S"),
    _S("c_saver_long", "c_{s,L}", "level (endowment Y)", "", "savers' consumption in the new "
       "steady state, Y/2 + (1 - β) D_low", "savers' consumption c_s,L"),
    _S("c_borrower_long", "c_{b,L}", "level (endowment Y)", "", "borrowers' consumption in "
       "the new steady state, Y/2 - (1 - β) D_low", "borrowers' consumption c_b,L"),
    _S("steady_rate", "r", _RATE, "", "steady real rate 1/β - 1", "steady rate r", "pct"),
    _S("natural_rate_negative", "", "flag", "", "whether r_S < 0, i.e. "
       "β D_high/P_S - D_low > (1 - β) Y/2", "natural rate negative", "bool"),
)

#: The endowment economy, registered as ``deleveraging_endowment``.
ENDOWMENT_VOCABULARY = register(Vocabulary("deleveraging_endowment", _ENDOWMENT))
#: The endowment economy's outputs in ``to_dict()`` order.
ENDOWMENT_KEYS: tuple[str, ...] = tuple(s.name for s in _ENDOWMENT)

_DEV = "deviation, share of steady output"
_TWO_STATE = (
    _S("output", "y_S", _DEV, "", "output in the short-run state S", "output y_S", "pct"),
    _S("inflation", "π_S", _RATE, "", "inflation in S, k (y_S - s - ψ g_S)", "inflation π_S",
       "pct"),
    _S("natural_rate", "r_{n,S}", _RATE, "", "natural rate in S, "
       "r̄ - (1 - μ) χ_b Δ_S/(χ_s σ_s)", "natural rate r_n,S", "pct"),
    _S("policy_rate", "i_S", _RATE, "", "policy rate in S: 0 at the bound, else the Taylor "
       "rule", "policy rate i_S", "pct"),
    _S("shadow_rate", "", _RATE, "", "the Taylor rule's rate in S, ignoring the bound",
       "shadow rate", "pct"),
    _S("at_bound", "", "flag", "", "whether the policy rate is at the bound in S",
       "at the bound", "bool"),
    _S("c_saver", "c_{s,S}", _DEV, "", "savers' consumption in S", "savers' consumption c_s,S",
       "pct"),
    _S("c_borrower", "c_{b,S}", _DEV, "", "borrowers' consumption in S, y_S - t_b - Δ_S + f π_S",
       "borrowers' consumption c_b,S", "pct"),
    _S("spending_multiplier", "", "ratio", "", "dy_S/dg_S in the current regime",
       "spending multiplier"),
    _S("transfer_multiplier", "", "ratio", "", "output per unit of transfers to borrowers in "
       "the current regime (equal to the spending multiplier when ψ = 0)", "transfer multiplier"),
    _S("spending_multiplier_bound", "", "ratio", "", "spending multiplier at the bound, "
       "(1/χ_s - ψ B k)/(1 - B k) with B = b + χ_b f/χ_s", "spending multiplier at the bound"),
    _S("spending_multiplier_taylor", "", "ratio", "", "spending multiplier under the Taylor "
       "rule, 1/(χ_s (1 + a_π + a_y))", "spending multiplier under the rule"),
    _S("determinate", "", "flag", "", "whether the equilibrium at the bound is unique and "
       "stable, 1 - B k > 0", "determinate", "bool"),
    _S("b", "b", "coefficient", "", "σ_s μ/(1 - μ)", "b"),
    _S("k", "k", "coefficient", "", "κ/(1 - β μ)", "k"),
)

#: The two-state short run, registered as ``deleveraging_two_state``.
TWO_STATE_VOCABULARY = register(Vocabulary("deleveraging_two_state", _TWO_STATE))
#: The two-state model's outputs in ``to_dict()`` order.
TWO_STATE_KEYS: tuple[str, ...] = tuple(s.name for s in _TWO_STATE)
