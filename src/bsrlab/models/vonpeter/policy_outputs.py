"""Every output the policy lab adds to the von Peter family, declared once.

:data:`POLICY_VOCABULARY` (registered as the family ``vonpeter_policy``) holds one
:class:`~bsrlab.core.vocabulary.OutputSpec` per quantity that the allocations, the policies,
repeated shocks and the spread tools report beyond :data:`~bsrlab.models.vonpeter.outputs.
VOCABULARY` (whose names, such as ``delta`` or ``delta_star``, keep their meaning there). Values
are in units of the nominal anchor p0 = 1 (shares of y for y = 1).

Examples
--------
>>> POLICY_VOCABULARY["minimum_injection"].format(0.238)
'0.238'
"""

from __future__ import annotations

from bsrlab.core.vocabulary import OutputSpec, Vocabulary, register

__all__ = ["POLICY_VOCABULARY"]

_S = OutputSpec

_ALLOCATION = (
    _S("credit", "q_t H", "share of y", "(26)", "credit granted at t to new firms (the value of "
       "the assets; zero in a banking crisis)", "credit granted"),
    _S("spread", "R_t - R", "rate per period", "(27)", "loan-rate spread over the natural rate "
       "(in a crunch from (27)); for the spread tools the observed spread", "loan-rate spread",
       "pct"),
    _S("bank_deposits_t", "D_t^bank", "share of y", "", "deposits the banks owe households after "
       "t (households' wealth less bank equity they were given)", "bank deposits"),
    _S("reserves", "X", "share of y", "", "reserves an unfunded injection credits to the banks",
       "reserves"),
    _S("consumption_households_t", "s_t", "share of y", "(20)", "households' spending at t",
       "households at t"),
    _S("consumption_old_entrepreneurs_t", "Π_t", "share of y", "(16)", "old entrepreneurs' "
       "consumption at t: their profits after repaying", "old entrepreneurs at t"),
    _S("consumption_new_entrepreneurs_t", "", "share of y", "", "new entrepreneurs' consumption "
       "at t (they buy the assets with credit and consume from t+1)", "new entrepreneurs at t"),
    _S("consumption_bankers_t", "Div_t", "share of y", "(18)", "bankers' consumption at t: the "
       "dividends", "bankers at t"),
    _S("consumption_households_next", "s_{t+1}", "share of y", "(30)", "households' spending "
       "from t+1 on", "households from t+1"),
    _S("consumption_entrepreneurs_next", "(1-α)(1-τ)p_{t+1}y", "share of y", "(21)",
       "entrepreneurs' consumption from t+1 on (zero in autarky)", "entrepreneurs from t+1"),
    _S("consumption_bankers_next", "", "share of y", "(21)", "bankers' consumption from t+1 on: "
       "interest on loans less interest on deposits (zero in autarky)", "bankers from t+1"),
    _S("output_t", "y", "units of output", "", "real output at t", "output at t"),
    _S("output_next", "(1-τ)y or εy", "units of output", "", "real output from t+1 on: (1 - τ)y, "
       "or the autarky output εy in a banking crisis", "output from t+1"),
    _S("case", "", "label", "", "Section 4.1 case: macro_to_financial, financial_to_macro, "
       "macro_alone, financial_alone or stable", "Section 4.1 case", "text"),
)

_POLICY = (
    _S("policy", "", "label", "", "the registered policy's name (none: no policy)", "policy",
       "text"),
    _S("injection", "X", "share of y", "", "bank capital injected at t, before lending",
       "injection X"),
    _S("funding", "", "label", "", "who pays for an injection: none (reserves), tax "
       "(households at t) or deposits (converted into bank equity)", "funding", "text"),
    _S("minimum_injection", "X_min", "share of y", "", "the smallest injection keeping the "
       "fundamental equilibrium: max(0, qH (δ(τ) - δ*)/R)", "minimum injection"),
    _S("delta_star_after", "δ*(X)", "share of q", "(26)", "crunch decline after an injection: "
       "δ* + R X/qH", "crunch decline after the injection", "pct"),
    _S("equilibria_after", "", "list", "", "the equilibria that remain under the policy "
       "(kind, delta, loan_rate, stable, self_fulfilling)", "equilibria after", "text"),
    _S("fiscal_cost", "", "share of y", "", "public money spent on the policy in the outcome "
       "selected", "fiscal cost"),
    _S("kappa", "κ", "share of loans", "", "capital requirement (fixed-capital) or the capital "
       "ratio banks hold and keep (ratio)", "capital requirement κ", "pct"),
    _S("credit_multiplier", "1/κ", "ratio", "(29)", "credit cut per unit of capital shortfall "
       "once the requirement binds", "credit multiplier"),
    _S("rate", "R_t", "gross rate per period", "", "the policy rate at t (one period)",
       "policy rate R_t"),
    _S("largest_tau_kept_below_tau_star", "τ*(R_t)", "share of y", "", "the largest shock "
       "that a rate R_t at t keeps in the fundamental equilibrium", "largest shock kept", "pct"),
    _S("equilibria", "", "list", "", "the equilibria that remain under the policy",
       "equilibria that remain", "text"),
    _S("outcome", "", "label", "", "the equilibrium selected: the fundamental one where it "
       "remains (None where the policy is inadmissible)", "outcome", "text"),
    _S("output", "", "units of output", "", "real output from t+1 on in the outcome selected",
       "output"),
    _S("note", "", "text", "", "why a policy is inadmissible for the calibration", "note",
       "text"),
)

_SHOCKS = (
    _S("bank_capital", "K_t", "share of first y", "(18)", "bank capital after the shock "
       "(nominal, units of the first anchor)", "bank capital after the shock"),
    _S("capital_ratio", "k", "share of loans", "", "bank capital over loans entering the shock",
       "capital ratio", "pct"),
    _S("payout", "", "share", "", "share of normal bank profits paid out between shocks",
       "payout rate", "pct"),
    _S("restore", "", "flag", "", "whether capital is put back at (R - 1)/R before each shock",
       "capital restored", "bool"),
    _S("shocks", "", "list", "", "one record per shock", "shocks", "text"),
    _S("inside", "", "flag", "", "whether an observed spread lies in the range a crunch can "
       "produce", "inside the range", "bool"),
    _S("lowest", "", "rate per period", "(27)", "the smallest crunch spread (at τ = τ*)",
       "smallest crunch spread", "pct"),
    _S("highest", "", "rate per period", "(27)", "the largest crunch spread, (R-1)τ*/(1-τ*) at "
       "τ = 0", "largest crunch spread", "pct"),
)

#: The policy lab's outputs, registered as ``vonpeter_policy``.
POLICY_VOCABULARY = register(Vocabulary("vonpeter_policy", (*_ALLOCATION, *_POLICY, *_SHOCKS)))
