"""The policy registry: every policy by name, with its one-line description and its parameters.

A policy class is registered by decorating it with :func:`register` in the module that defines
it (:mod:`bsrlab.policies.monetary`, :mod:`bsrlab.policies.fiscal`, ...); the registry imports a
family's modules the first time it is asked for that family (every family when asked for all),
so it is complete whenever it is used.
The command line's ``--policy`` choices and help, the policy lab and the report's captions all
read the registry, so adding a policy touches one file (plus its test).

The description is the first line of the class docstring; the parameters are the dataclass
fields, each with ``metadata={"help": ...}``. ``none`` is not a policy: :func:`make` returns
``None`` for it, and the command line offers it besides :func:`names`.

Examples
--------
>>> names("deleveraging")[:3]
('rate-cut', 'forward-guidance', 'higher-target')
>>> make("fiscal", size=0.01, start=2, duration=3)
FiscalStimulus(size=0.01, start=2, duration=3)
>>> make("fiscal", share=0.1)
Traceback (most recent call last):
    ...
bsrlab.core.errors.ParameterError: parameter 'share' must satisfy an option of policy 'fiscal' (size, start, duration); got 0.1
"""  # noqa: E501

from __future__ import annotations

import dataclasses
import importlib
import inspect
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy

__all__ = ["NONE", "describe", "get", "make", "names", "parameters", "register", "table"]

#: The name that means "no policy" (:func:`make` returns ``None`` for it).
NONE = "none"

_T = TypeVar("_T", bound=type)
_FAMILIES: dict[str, dict[str, type]] = {}

#: The modules (under :mod:`bsrlab.policies`) that register each family's policies, in the
#: registry's order. A family's modules are imported when it is first asked for, so a command
#: of one model family does not import another family's policies (and their model).
_MODULES: dict[str, tuple[str, ...]] = {
    "deleveraging": ("monetary", "fiscal"),
    "koo": ("koo",),
    "banking": ("banking",),
}
_LOADED: set[str] = set()


def _ensure(family: str | None = None) -> None:
    """Import the modules registering ``family`` (every family if None), once."""
    for fam in _MODULES if family is None else (family,):
        if fam in _MODULES and fam not in _LOADED:
            for module in _MODULES[fam]:
                importlib.import_module(f"bsrlab.policies.{module}")
            _LOADED.add(fam)


def _in_order(family: str) -> dict[str, type]:
    """The policies of ``family`` loaded so far, by module in the order of :data:`_MODULES`,
    then in registration order within a module (whatever order the modules were imported in)."""
    mods = [f"bsrlab.policies.{m}" for m in _MODULES.get(family, ())]
    items = sorted(_FAMILIES.get(family, {}).items(),
                   key=lambda kv: mods.index(kv[1].__module__) if kv[1].__module__ in mods
                   else len(mods))
    return dict(items)


def _ordered() -> dict[str, type]:
    """Every policy loaded so far, name -> class, families in the order of :data:`_MODULES`."""
    fams = [*_MODULES, *(f for f in _FAMILIES if f not in _MODULES)]
    return {n: c for fam in fams for n, c in _in_order(fam).items()}


def register(family: str) -> Callable[[_T], _T]:
    """Class decorator registering a policy class under its ``name`` in ``family``.

    Parameters
    ----------
    family
        The model family the policy applies to (``deleveraging``).

    Returns
    -------
    callable
        The decorator; it returns the class unchanged.

    Raises
    ------
    ParameterError
        If the class is not a dataclass with a ``name`` and an ``apply`` method, or if its name
        is ``none`` or already registered (names are unique across families).
    """
    def deco(cls: _T) -> _T:
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not name or not callable(getattr(cls, "apply", None)):
            raise ParameterError("policy class", "a class with a name and an apply method",
                                 cls.__name__)
        if not dataclasses.is_dataclass(cls):
            raise ParameterError("policy class", "a dataclass", cls.__name__)
        if name == NONE or any(name in reg for reg in _FAMILIES.values()):
            raise ParameterError("policy name", "a name not yet registered and not 'none'", name)
        _FAMILIES.setdefault(family, {})[name] = cls
        return cls
    return deco


def names(family: str | None = None) -> tuple[str, ...]:
    """The registered policy names of ``family`` (all families if None), in the registry's order.

    ``none`` is not among them.
    """
    if family is None:
        _ensure()
        return tuple(_ordered())
    return tuple(_family(family))


def _family(family: str) -> dict[str, type]:
    _ensure(family)
    if family not in _FAMILIES:
        _ensure()
        raise ParameterError("family", "one of " + ", ".join(map(repr, _FAMILIES)), family)
    return _in_order(family)


def get(name: str, family: str | None = None) -> type:
    """The policy class registered as ``name`` (in ``family``, if given).

    Raises
    ------
    ParameterError
        Naming ``policy`` and listing the registered names, if there is no such policy.
    """
    if family is not None:
        reg = _family(family)
    else:
        reg = _ordered()  # the families loaded so far, then all of them
        if not isinstance(name, str) or name not in reg:
            _ensure()
            reg = _ordered()
    try:
        return reg[name]
    except (KeyError, TypeError):
        raise ParameterError("policy", "one of " + ", ".join((NONE, *reg)), name) from None


def describe(name: str) -> str:
    """The one-line description of policy ``name``: the first line of its class docstring.

    Literal markup (double backquotes) is removed, so the line reads as plain text.
    """
    doc = (inspect.getdoc(get(name)) or "").replace("``", "").strip()
    return doc.splitlines()[0].strip() if doc else name


def _base_type(tp: Any) -> Any:
    """``int`` for ``int | None``: the type of a given value (``None`` means "the default")."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def parameters(name: str) -> dict[str, tuple[Any, Any, str]]:
    """The options of policy ``name``: ``{field: (type, default, help)}`` in declaration order.

    ``type`` is the type of a value given for the option (``float``, ``int``, ``str``); a
    default of ``None`` means the option is resolved when the model is solved (a window).
    """
    cls = get(name)
    hints = typing.get_type_hints(cls)
    out: dict[str, tuple[Any, Any, str]] = {}
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        out[f.name] = (_base_type(hints.get(f.name, Any)), default,
                       str(f.metadata.get("help", "")))
    return out


def make(name: str, family: str = "deleveraging", **options: Any) -> Policy | None:
    """Build policy ``name`` of ``family`` from its options; ``none`` gives ``None``.

    Options whose value is ``None`` count as not given (the command line passes every option).

    Raises
    ------
    ParameterError
        For an unknown policy (listing the names), an option the policy does not take (naming
        it and listing the accepted ones), any option with ``none``, or an invalid value.
    """
    given = {k: v for k, v in options.items() if v is not None}
    if name == NONE:
        if given:
            raise ParameterError(next(iter(given)), f"no option with policy '{NONE}'",
                                 next(iter(given.values())))
        return None
    cls = get(name, family)
    accepted = parameters(name)
    for key, value in given.items():
        if key not in accepted:
            raise ParameterError(key, f"an option of policy '{name}' ({', '.join(accepted)})",
                                 value)
    pol: Policy = cls(**given)
    return pol


def table(family: str) -> list[dict[str, Any]]:
    """One entry per policy of ``family`` for help texts and the docs.

    Each entry is ``{"name", "description", "parameters"}``, with ``parameters`` mapping each
    option to ``{"type": type name, "default": ..., "help": ...}``.
    """
    out = []
    for n in names(family):
        params = {k: {"type": getattr(tp, "__name__", str(tp)), "default": d, "help": h}
                  for k, (tp, d, h) in parameters(n).items()}
        out.append({"name": n, "description": describe(n), "parameters": params})
    return out
