"""bsrlab: balance sheet recessions and banking distress.

The von Peter (2004) banking-distress model solved exactly (:mod:`bsrlab.vonpeter`), Koo's
balance sheet recession (:mod:`bsrlab.deleveraging`), case studies on real data
(:mod:`bsrlab.cases`) and self-contained reports (:mod:`bsrlab.presentation`).
"""

from bsrlab.core.errors import BsrlabError, ConfigError, ConvergenceError, DataError, ParameterError

__version__ = "0.1.0"

__all__ = [
    "BsrlabError",
    "ConfigError",
    "ConvergenceError",
    "DataError",
    "ParameterError",
    "__version__",
]
