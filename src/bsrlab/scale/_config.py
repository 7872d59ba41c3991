"""Reading the TOML configurations of ``bsrlab risk`` and ``bsrlab sweep``: tables, unknown keys
and integers, each refused with one line that names the key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bsrlab.core.errors import ConfigError, ParameterError

__all__ = ["integer", "require_model_keys", "table", "unknown"]


def table(doc: Mapping[str, Any], key: str, where: str = "") -> dict[str, Any]:
    """``doc[key]`` (an empty table when absent); ConfigError naming ``where + key`` otherwise."""
    v = doc.get(key, {})
    if not isinstance(v, dict):
        raise ConfigError(f"{where}{key}: expected a table; got {v!r}")
    return v


def unknown(keys: Any, allowed: tuple[str, ...], where: str) -> None:
    """ConfigError for the first of ``keys`` not in ``allowed``, named ``where + key``."""
    for k in keys:
        if k not in allowed:
            raise ConfigError(f"unknown key '{where}{k}'; expected one of {', '.join(allowed)}")


def integer(where: str, v: Any, lo: int, hi: int) -> int:
    """``v`` as an int in [lo, hi] (bools refused); ConfigError when it is missing (None)."""
    if v is None:
        raise ConfigError(f"{where}: missing")
    if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
        raise ParameterError(where, f"an integer from {lo} to {hi}", v)
    return int(v)


def require_model_keys(params: Mapping[str, Any], shock: Mapping[str, Any]) -> None:
    """The von Peter keys every configuration needs: alpha, R or beta (not both), and tau."""
    if "R" in params and "beta" in params:
        raise ConfigError("parameters: give R or beta (R = 1/beta), not both")
    if "alpha" not in params:
        raise ConfigError("parameters.alpha: missing")
    if "R" not in params and "beta" not in params:
        raise ConfigError("parameters.R: missing (give R or beta, R = 1/beta)")
    if "tau" not in shock:
        raise ConfigError("shock.tau: missing")
