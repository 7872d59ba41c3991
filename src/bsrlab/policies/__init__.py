"""Policies: objects that transform a model's exogenous inputs, registered by name.

The protocol is :class:`bsrlab.core.policy.Policy`; :mod:`~bsrlab.policies.registry` lists the
policies, describes them and builds them from options; :mod:`~bsrlab.policies.monetary` and
:mod:`~bsrlab.policies.fiscal` define those of the deleveraging model, and
:mod:`~bsrlab.policies.window` their windows. Importing this package registers every policy;
the registry lists them in the order of these imports (monetary, then fiscal).
"""

# isort: off
from bsrlab.policies import monetary  # noqa: F401  (registers the monetary policies)
from bsrlab.policies import fiscal  # noqa: F401  (registers the fiscal policies)
from bsrlab.policies import koo  # noqa: F401  (registers Koo's fiscal rules)
from bsrlab.policies import banking  # noqa: F401  (registers the banking policies)
# isort: on
