"""Policies: objects that transform a model's exogenous inputs, registered by name.

The protocol is :class:`bsrlab.core.policy.Policy`; :mod:`~bsrlab.policies.registry` lists the
policies, describes them and builds them from options; :mod:`~bsrlab.policies.monetary` and
:mod:`~bsrlab.policies.fiscal` define those of the deleveraging model, :mod:`~bsrlab.policies.koo`
Koo's fiscal rules, :mod:`~bsrlab.policies.banking` those of the von Peter model, and
:mod:`~bsrlab.policies.window` their windows. The registry imports a family's modules when it is
first asked for that family, and lists the families in that order (monetary, then fiscal, Koo's,
banking).
"""
