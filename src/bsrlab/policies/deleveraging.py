"""Policy options of the many-period model, each a frozen dataclass validated on construction.

Every option is announced at t = 0 and fully credible (perfect foresight). Windows given as
``start``/``duration`` may be left ``None``: they then default to the first spell during which the
policy rate is at its floor in the path without policy (or, if the floor never binds, to the years
of deleveraging from t = 0). :func:`bsrlab.models.deleveraging.path.solve_path` resolves them.

==================== ======================= ==================================================
name (CLI)           class                   what it does
==================== ======================= ==================================================
``rate-cut``         :class:`RateCut`        lowers the rule's intercept by ``size`` in a window
``forward-guidance`` :class:`ForwardGuidance` holds the rate at the floor ``extra_periods``
                                             beyond the date the path without policy leaves it
``higher-target``    :class:`HigherTarget`   raises the inflation target to ``target`` for good
``qe``               :class:`QuantitativeEasing` buys bonds for reserves at unchanged expected
                                             policy rates: a balance-sheet swap
``fiscal``           :class:`FiscalStimulus` government spending ``size`` per period, debt-financed
``debt-relief``      :class:`DebtRelief`     transfers ``size`` per period to borrowers,
                                             debt-financed
``write-down``       :class:`DebtWriteDown`  writes off a ``share`` of borrowers' old debt at t = 0,
                                             paid by the government or borne by creditors
==================== ======================= ==================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bsrlab.core.errors import ParameterError
from bsrlab.models.deleveraging._checks import check_int, check_real

__all__ = [
    "POLICY_NAMES",
    "DebtRelief",
    "DebtWriteDown",
    "FiscalStimulus",
    "ForwardGuidance",
    "HigherTarget",
    "Policy",
    "QuantitativeEasing",
    "RateCut",
    "make_policy",
]


def _check_window(start: int | None, duration: int | None) -> None:
    if start is not None:
        check_int("start", start, 0)
    if duration is not None:
        check_int("duration", duration, 1)


@dataclass(frozen=True, kw_only=True)
class RateCut:
    """Lower the intercept of the Taylor rule by ``size`` (rate points) from ``start``."""

    name: ClassVar[str] = "rate-cut"
    size: float = 0.01
    start: int | None = None
    duration: int | None = None

    def __post_init__(self) -> None:
        check_real("size", self.size, 0 < float(self.size) < 0.5, "0 < size < 0.5 (rate points)")
        _check_window(self.start, self.duration)


@dataclass(frozen=True, kw_only=True)
class ForwardGuidance:
    """Promise to keep the rate at the floor ``extra_periods`` beyond the baseline's exit."""

    name: ClassVar[str] = "forward-guidance"
    extra_periods: int = 2

    def __post_init__(self) -> None:
        check_int("extra_periods", self.extra_periods, 1, 200)


@dataclass(frozen=True, kw_only=True)
class HigherTarget:
    """Raise the inflation target to ``target`` (per period) for good, announced at t = 0."""

    name: ClassVar[str] = "higher-target"
    target: float = 0.03

    def __post_init__(self) -> None:
        check_real("target", self.target, -0.5 < float(self.target) < 0.5,
                   "-0.5 < target < 0.5")


@dataclass(frozen=True, kw_only=True)
class QuantitativeEasing:
    """Central-bank purchases of ``size`` (share of output) per period, paid with reserves.

    A swap of reserves for bonds that leaves every expected policy rate unchanged changes no
    equation of the model (no portfolio frictions): the allocation equals the one without it.
    """

    name: ClassVar[str] = "qe"
    size: float = 0.1
    start: int | None = None
    duration: int | None = None

    def __post_init__(self) -> None:
        check_real("size", self.size, float(self.size) > 0, "size > 0 (share of output)")
        _check_window(self.start, self.duration)


@dataclass(frozen=True, kw_only=True)
class FiscalStimulus:
    """Government spending of ``size`` (share of potential output) per period, debt-financed."""

    name: ClassVar[str] = "fiscal"
    size: float = 0.02
    start: int | None = None
    duration: int | None = None

    def __post_init__(self) -> None:
        check_real("size", self.size, 0 < float(self.size) < 0.5, "0 < size < 0.5")
        _check_window(self.start, self.duration)


@dataclass(frozen=True, kw_only=True)
class DebtRelief:
    """Transfers of ``size`` (aggregate, share of output) per period to borrowers, debt-financed.

    The government pays part of the borrowers' debt service; borrowers at their limit spend it.
    """

    name: ClassVar[str] = "debt-relief"
    size: float = 0.02
    start: int | None = None
    duration: int | None = None

    def __post_init__(self) -> None:
        check_real("size", self.size, 0 < float(self.size) < 0.5, "0 < size < 0.5")
        _check_window(self.start, self.duration)


@dataclass(frozen=True, kw_only=True)
class DebtWriteDown:
    """Write off ``share`` of borrowers' old debt at t = 0.

    ``funded_by="government"`` pays creditors the written-off amount (a capital transfer, part of
    the deficit); ``"creditors"`` makes savers bear it (no fiscal cost).
    """

    name: ClassVar[str] = "write-down"
    share: float = 0.1
    funded_by: str = "government"

    def __post_init__(self) -> None:
        check_real("share", self.share, 0 < float(self.share) <= 1, "0 < share <= 1")
        if self.funded_by not in ("government", "creditors"):
            raise ParameterError("funded_by", "'government' or 'creditors'", self.funded_by)


Policy = (RateCut | ForwardGuidance | HigherTarget | QuantitativeEasing | FiscalStimulus
          | DebtRelief | DebtWriteDown)

_CLASSES: dict[str, Any] = {c.name: c for c in (
    RateCut, ForwardGuidance, HigherTarget, QuantitativeEasing, FiscalStimulus, DebtRelief,
    DebtWriteDown)}

#: The names accepted by :func:`make_policy` and the CLI (``none`` means no policy).
POLICY_NAMES = ("none", *_CLASSES)


def make_policy(name: str, *, size: float | None = None, start: int | None = None,
                duration: int | None = None, extra_periods: int | None = None) -> Policy | None:
    """Build a policy from its CLI name; ``size`` is its magnitude (see the table above).

    ``size`` means: rate points for ``rate-cut``, share of output per period for ``qe``,
    ``fiscal`` and ``debt-relief``, the new target for ``higher-target``, the share of old debt
    for ``write-down``. ``none`` returns None. Options that do not apply raise ParameterError.
    """
    if name == "none":
        if any(v is not None for v in (size, start, duration, extra_periods)):
            raise ParameterError("policy", "a policy name when --size/--start/--duration/"
                                 "--extra-periods are given", name)
        return None
    cls = _CLASSES.get(name)
    if cls is None:
        raise ParameterError("policy", "one of " + ", ".join(POLICY_NAMES), name)
    kw: dict[str, Any] = {}
    windowed = cls in (RateCut, QuantitativeEasing, FiscalStimulus, DebtRelief)
    if (start is not None or duration is not None) and not windowed:
        raise ParameterError("start/duration", "used only with rate-cut, qe, fiscal, "
                             "debt-relief", name)
    if extra_periods is not None and cls is not ForwardGuidance:
        raise ParameterError("extra_periods", "used only with forward-guidance", name)
    if windowed:
        kw.update(start=start, duration=duration)
    if size is not None:
        if cls is ForwardGuidance:
            raise ParameterError("size", "not used with forward-guidance (use extra_periods)",
                                 size)
        kw[{HigherTarget: "target", DebtWriteDown: "share"}.get(cls, "size")] = size
    if cls is ForwardGuidance and extra_periods is not None:
        kw["extra_periods"] = extra_periods
    return cls(**kw)
