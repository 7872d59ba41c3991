"""The banking-distress model of von Peter (2004), BIS Working Paper 167: the public import path.

Everything here lives in :mod:`bsrlab.models.vonpeter` (see its docstring for the glossary); this
module gathers its public names so that ``from bsrlab.vonpeter import Params, solve`` works.
"""

from bsrlab.models.vonpeter import *  # noqa: F403
from bsrlab.models.vonpeter import __all__ as __all__
