"""The banking-distress model of von Peter (2004), BIS Working Paper 167, solved exactly.

Glossary (code name -> paper symbol):

================== ============================== ==========================================
code               paper                          meaning
================== ============================== ==========================================
alpha              alpha                          output elasticity of assets (leverage)
beta, R            beta, R = 1/beta               discount factor, gross natural rate
gamma              gamma                          CRRA coefficient, deflationary tendency
tau                tau                            permanent productivity shock at t
delta              delta = 1 - q_t/q              asset price decline
p_t, p_next        p_t, p_{t+1}                   price level at t and from t+1 on
s_t, s_next        s_t, s_{t+1}                   household spending
asset_value_t      q_t H                          value of assets = bank loans at t
loan_losses        lambda                         non-performing loans (16)
total_losses       omega                          total losses (17)
firm_profits_t     Pi_t                           old firms' profits at t
bank_capital_t     K_t                            bank capital after the shock (18)
bank_dividends_t   Div_t                          bank dividends at t (18)
deposits_t         D_t                            deposits after the shock (30)
depositor_losses   lambda - R K (if positive)     losses borne by depositors
delta_star         delta*                         capital-crunch decline (28)
loan_rate          R_t                            loan rate in a constrained equilibrium (27)
================== ============================== ==========================================

Every output is declared once, with its symbol, unit, equation and label, in
:data:`~bsrlab.models.vonpeter.outputs.VOCABULARY` (the ``vonpeter`` family of
:mod:`bsrlab.core.vocabulary`); every closed form of the paper is one function of
:mod:`bsrlab.models.vonpeter.closed`.
"""

from bsrlab.models.vonpeter import closed
from bsrlab.models.vonpeter.accounts import TAccount, TAccounts, t_accounts
from bsrlab.models.vonpeter.constrained import (
    EquilibriumKind,
    EquilibriumPoint,
    InstabilityPath,
    admissible_lending,
    equilibria,
    instability_path,
    loan_rate,
)
from bsrlab.models.vonpeter.outputs import VOCABULARY
from bsrlab.models.vonpeter.params import Params, check_tau
from bsrlab.models.vonpeter.policy_outputs import POLICY_VOCABULARY  # noqa: F401  (registers it)
from bsrlab.models.vonpeter.solve import OUTPUT_KEYS, Regime, Solution, delta_closed_form, solve
from bsrlab.models.vonpeter.steady import SteadyState, steady_state
from bsrlab.models.vonpeter.thresholds import Thresholds, thresholds
from bsrlab.models.vonpeter.vulnerability import Vulnerability, frontier, vulnerability

__all__ = [
    "OUTPUT_KEYS",
    "VOCABULARY",
    "EquilibriumKind",
    "EquilibriumPoint",
    "InstabilityPath",
    "Params",
    "Regime",
    "Solution",
    "SteadyState",
    "TAccount",
    "TAccounts",
    "Thresholds",
    "Vulnerability",
    "admissible_lending",
    "check_tau",
    "closed",
    "delta_closed_form",
    "equilibria",
    "frontier",
    "instability_path",
    "loan_rate",
    "solve",
    "steady_state",
    "t_accounts",
    "thresholds",
    "vulnerability",
]
