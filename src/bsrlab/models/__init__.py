"""The model families, pure numpy: each has parameters, closed forms, solvers and results.

- :mod:`bsrlab.models.vonpeter`: the banking-distress model of von Peter (2004);
- :mod:`bsrlab.models.deleveraging`: the borrower-saver deleveraging model (Koo's balance sheet
  recession).

Models import only :mod:`bsrlab.core`; policies, scenarios and presentation build on them.
"""
