"""Scale: crisis probabilities, vulnerability maps, fan charts and sweeps over millions of points.

- :mod:`~bsrlab.scale.distributions` -- distributions over parameters and the shock (the TOML
  syntax of ``bsrlab risk`` and ``bsrlab sweep``), truncated to the admissible box;
- :mod:`~bsrlab.scale.risk` -- the probability of each loss regime and of a fundamental banking
  crisis, by exact integration over the shock with quasi-Monte Carlo over the parameters, or
  by plain Monte Carlo;
- :mod:`~bsrlab.scale.maps` -- delta*, tau* and the crisis probability over a grid of two
  parameters, and fan charts of deleveraging paths under parameter uncertainty;
- :mod:`~bsrlab.scale.sweep` -- the chunked, streaming sweep engine with on-the-fly reductions
  (:mod:`~bsrlab.scale.reduce`), run serially, on local processes or on a Dask cluster
  (:mod:`~bsrlab.scale.backends`), with bitwise identical results whatever the backend.

This layer sits between the scenarios and the presentation: it uses the models (the fused
kernel of :mod:`bsrlab.models.vonpeter.kernel` in particular) and is used by the figures and
the command line. It imports neither plotting nor command-line code.
"""
