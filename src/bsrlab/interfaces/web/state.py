"""The state of an explorer page: read from the address bar, checked, written back, reproduced.

The state of a page is a few named values (``alpha``, ``R``, ``gamma``, ``tau``, a preset's
name, a list of policies). It travels in the query string of the page's address, so a link
reproduces the view. Every value read from there is converted as the command line converts its
options (:mod:`bsrlab.interfaces.cli.common`) and then checked by the library's parameter
classes, so a value sent directly is refused with the one line the command line prints, e.g.
``bsrlab: error: parameter 'alpha' must satisfy R - 1 < alpha < 1 (here R - 1 = 0.05); got
5.0``. This module needs neither Panel nor Bokeh.

Examples
--------
>>> vonpeter_state({"alpha": ["0.4"], "tau": ["0.08"]})
({'alpha': 0.4, 'R': 1.05, 'gamma': 0.0, 'tau': 0.08}, '')
>>> vonpeter_state({"alpha": ["5"]})[1]
"bsrlab: error: parameter 'alpha' must satisfy R - 1 < alpha < 1 (here R - 1 = 0.05); got 5.0"
>>> vonpeter_state({"tau": ["abc"]})[1]
"bsrlab: error: option --tau: expected a real number; got 'abc'"
>>> query_string({"alpha": 0.4, "R": 1.05, "policies": ["recapitalise", "forbearance"]})
'alpha=0.4&R=1.05&policies=recapitalise%2Cforbearance'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from bsrlab.core.errors import BsrlabError, ParameterError
from bsrlab.core.errors import error_line as core_error_line
from bsrlab.interfaces.cli.common import choice, real

__all__ = [
    "VONPETER_DEFAULTS",
    "error_line",
    "first",
    "query_string",
    "read",
    "vonpeter_params",
    "vonpeter_state",
]

#: The von Peter page's defaults: the paper's economy (Section 4.2) and a shock below tau*.
VONPETER_DEFAULTS: dict[str, float] = {"alpha": 0.5, "R": 1.05, "gamma": 0.0, "tau": 0.03}

#: The longest query value read (longer text is refused before conversion).
_MAX_TEXT = 200


def error_line(exc: BaseException) -> str:
    """The one line the command line prints for ``exc`` (``bsrlab: error: ...``).

    Errors bsrlab raises on purpose keep their message; any other error is named by its type
    only (never a traceback).

    Examples
    --------
    >>> error_line(ParameterError("tau", "0 <= tau <= 1", 2.0))
    "bsrlab: error: parameter 'tau' must satisfy 0 <= tau <= 1; got 2.0"
    >>> error_line(ZeroDivisionError("division by zero"))
    'bsrlab: error: the computation failed (ZeroDivisionError); try other values'
    """
    if isinstance(exc, BsrlabError):
        return core_error_line(exc)
    return core_error_line(f"the computation failed ({type(exc).__name__}); try other values")


def first(args: Mapping[str, Sequence[Any]], key: str) -> str | None:
    """The first value of ``key`` in parsed query arguments, as text (bytes are decoded)."""
    vals = args.get(key)
    if not vals:
        return None
    v = vals[0]
    text = v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else str(v)
    if len(text) > _MAX_TEXT:
        raise ParameterError(key, f"at most {_MAX_TEXT} characters", text[:20] + "...")
    return text


def read(args: Mapping[str, Sequence[Any]], defaults: Mapping[str, Any],
         kinds: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Convert the query values named in ``defaults`` (others are ignored).

    ``kinds`` maps a key to ``float`` (the default: a finite real number, converted as the
    command line converts ``--key``), ``bool`` (``1``/``0``/``true``/``false``), ``list`` (a
    comma-separated list of names) or a tuple of admissible names. Raises the command line's
    errors (:class:`~bsrlab.interfaces.cli.common.OptionError`, ParameterError).
    """
    kinds = kinds or {}
    out = dict(defaults)
    for key, default in defaults.items():
        text = first(args, key)
        if text is None:
            continue
        kind = kinds.get(key, float)
        if kind is float:
            out[key] = real(key, text)
        elif kind is bool:
            out[key] = choice(key, text.strip().lower(), ("1", "0", "true", "false")) in (
                "1", "true")
        elif kind is list:
            out[key] = [t.strip() for t in text.split(",") if t.strip()]
        elif isinstance(kind, tuple):
            out[key] = choice(key, text, kind)
        else:
            out[key] = default
    return out


def vonpeter_params(alpha: Any, R: Any, gamma: Any) -> Any:
    """The calibration, checked by :class:`bsrlab.models.vonpeter.Params` (y = H = 1)."""
    from bsrlab.models.vonpeter import Params

    return Params.from_R(alpha=alpha, R=R, gamma=gamma)


def vonpeter_state(args: Mapping[str, Sequence[Any]],
                   defaults: Mapping[str, float] = VONPETER_DEFAULTS
                   ) -> tuple[dict[str, float], str]:
    """The von Peter state from query arguments: ``(values, error)``.

    On a bad value the defaults come back with the one-line error; otherwise the error is
    ``""``. The values are checked by ``Params`` and ``check_tau``, whatever sent them.
    """
    from bsrlab.models.vonpeter import check_tau

    try:
        vals = read(args, defaults)
        vonpeter_params(vals["alpha"], vals["R"], vals["gamma"])
        if "tau" in vals:
            check_tau(vals["tau"])
    except BsrlabError as exc:
        return dict(defaults), error_line(exc)
    return vals, ""


def query_string(values: Mapping[str, Any]) -> str:
    """The query string of a state (lists joined by commas, floats in their shortest form)."""
    def text(v: Any) -> str:
        if isinstance(v, bool):
            return "1" if v else "0"
        if isinstance(v, float):
            return repr(v)
        if isinstance(v, (list, tuple)):
            return ",".join(str(x) for x in v)
        return str(v)

    return urlencode({k: text(v) for k, v in values.items()})


def guarded(show: Callable[[str], None]) -> Callable[[Callable[[], Any]], Any]:
    """Run a computation, turning any error into one line passed to ``show`` (None returned)."""
    def run(fn: Callable[[], Any]) -> Any:
        try:
            return fn()
        except Exception as exc:  # the app never shows a traceback
            show(error_line(exc))
            return None

    return run
