"""The policy protocol: an object with one method that transforms a model's exogenous inputs.

A policy is a frozen dataclass with a class-level ``name`` (how the command line and the
registry spell it) and a method ``apply(inputs, context)`` that returns new inputs, built with
:func:`dataclasses.replace` and leaving the given ones untouched. ``inputs`` is the model's own
record of what it takes as given (for the deleveraging path:
:class:`~bsrlab.models.deleveraging.path.Exogenous`); ``context`` carries what a policy may
need to resolve itself (the horizon, the parameters, the baseline's spell at the floor). The
model applies its policies in turn, ``for pol in policies: inputs = pol.apply(inputs, ctx)``,
and never asks which class a policy is.

A policy may also define ``note()``, one sentence on what it did for the result's notes (or
``None``); :func:`policy_note` reads it where present.

Examples
--------
>>> from dataclasses import dataclass, replace
>>> @dataclass(frozen=True)
... class Shift:
...     name = "shift"
...     size: float = 1.0
...     def apply(self, inputs, context):
...         return replace(inputs, level=inputs.level + self.size)
>>> @dataclass(frozen=True)
... class Inputs:
...     level: float
>>> isinstance(Shift(), Policy), Shift(2.0).apply(Inputs(1.0), None)
(True, Inputs(level=3.0))
>>> policy_note(Shift()) is None
True
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, runtime_checkable

__all__ = ["Policy", "policy_note"]


@runtime_checkable
class Policy(Protocol):
    """What every policy provides: a registered ``name`` and ``apply(inputs, context)``.

    Attributes
    ----------
    name
        The policy's name as the command line spells it (``rate-cut``, ``fiscal``).
    """

    name: ClassVar[str]

    def apply(self, inputs: Any, context: Any) -> Any:
        """Return the model's exogenous inputs with this policy in force.

        Parameters
        ----------
        inputs
            The inputs so far (with no policy, or with the policies applied before this one).
        context
            What the policy may need to resolve itself (horizon, parameters, baseline spell).

        Returns
        -------
        object
            New inputs of the same type as ``inputs``, which is left unchanged.
        """
        ...


def policy_note(policy: object) -> str | None:
    """The policy's note for a result (``policy.note()``), or ``None`` if it has none.

    Parameters
    ----------
    policy
        Any policy.

    Returns
    -------
    str or None
        One sentence on what the policy did, if the policy says anything.
    """
    note = getattr(policy, "note", None)
    if note is None:
        return None
    text = note()
    return str(text) if text else None
