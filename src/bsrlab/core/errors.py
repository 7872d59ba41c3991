"""The error hierarchy of bsrlab.

Every error names what went wrong in one line: the parameter, its admissible range and the value
given. The command line turns any :class:`BsrlabError` into that line on stderr and exit status 2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bsrlab.core.result import Diagnostics

__all__ = [
    "BsrlabError",
    "ConfigError",
    "ConvergenceError",
    "DataError",
    "ParameterError",
    "error_line",
]


class BsrlabError(Exception):
    """Base class of every error bsrlab raises on purpose."""


def error_line(message: object) -> str:
    """The one line a user sees for an error, ``bsrlab: error: ...``, whitespace collapsed.

    The command line prints it on stderr; the web explorer shows it on the page.

    >>> error_line("bad    value")
    'bsrlab: error: bad value'
    """
    return "bsrlab: error: " + " ".join(str(message).split())


class ParameterError(BsrlabError, ValueError):
    """A parameter lies outside its admissible range.

    Parameters
    ----------
    name
        The parameter's name as the user spells it (``alpha``, ``tau``, ...).
    admissible
        The admissible range in words or symbols (``R - 1 < alpha < 1``).
    value
        The offending value (the first offending element of an array).
    detail
        Optional extra context (for arrays: how many elements failed).
    """

    def __init__(self, name: str, admissible: str, value: object, detail: str = "") -> None:
        self.name = name
        self.admissible = admissible
        self.value = value
        self.detail = detail
        msg = f"parameter '{name}' must satisfy {admissible}; got {value!r}"
        if detail:
            msg += f" ({detail})"
        super().__init__(msg)

    def __reduce__(self) -> tuple[type[ParameterError], tuple[str, str, object, str]]:
        # Errors cross process boundaries (worker pools): rebuild from the constructor's arguments.
        return (type(self), (self.name, self.admissible, self.value, self.detail))


class ConvergenceError(BsrlabError, RuntimeError):
    """A solver did not converge; the message carries its diagnostics.

    Parameters
    ----------
    message
        What failed, in one line (``fundamental root: line search failed``).
    diagnostics
        The solver's :class:`~bsrlab.core.result.Diagnostics`, if any. They are kept as the
        attribute ``diagnostics`` and appended to the message in one line.

    Examples
    --------
    >>> str(ConvergenceError("no root in the bracket"))
    'no root in the bracket'
    """

    diagnostics: Diagnostics | None

    def __init__(self, message: str, diagnostics: Diagnostics | None = None) -> None:
        self.diagnostics = diagnostics
        if diagnostics is not None:
            message = f"{message} [{diagnostics}]"
        super().__init__(message)


class ConfigError(BsrlabError, ValueError):
    """A configuration file or option is malformed (unknown key, wrong type)."""


class DataError(BsrlabError, OSError):
    """A data file is missing, truncated or altered; the message says how to get it."""
