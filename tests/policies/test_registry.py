"""The policy registry: names, descriptions, parameters, construction from options."""

from __future__ import annotations

import dataclasses

import pytest

from bsrlab.core.errors import ParameterError
from bsrlab.core.policy import Policy
from bsrlab.policies import registry
from bsrlab.policies.deleveraging import POLICY_NAMES, make_policy
from bsrlab.policies.fiscal import DebtRelief, DebtWriteDown, FiscalStimulus
from bsrlab.policies.monetary import ForwardGuidance, HigherTarget, QuantitativeEasing, RateCut

FAMILY = "deleveraging"
CLASSES = {"rate-cut": RateCut, "forward-guidance": ForwardGuidance,
           "higher-target": HigherTarget, "qe": QuantitativeEasing, "fiscal": FiscalStimulus,
           "debt-relief": DebtRelief, "write-down": DebtWriteDown}
NAMES = list(CLASSES)


def test_the_registry_lists_every_policy_in_order() -> None:
    assert registry.names(FAMILY) == tuple(NAMES)
    assert set(NAMES) <= set(registry.names())
    assert ("none", *NAMES) == POLICY_NAMES
    assert registry.NONE not in registry.names()


@pytest.mark.parametrize("name", NAMES)
def test_get_returns_the_class_registered_under_its_name(name: str) -> None:
    cls = registry.get(name, FAMILY)
    assert cls is CLASSES[name] and cls.name == name  # type: ignore[attr-defined]
    assert registry.get(name) is cls
    assert isinstance(cls(), Policy)


@pytest.mark.parametrize("name", NAMES)
def test_describe_is_one_plain_line_from_the_docstring(name: str) -> None:
    text = registry.describe(name)
    doc_first = (CLASSES[name].__doc__ or "").strip().splitlines()[0].replace("``", "")
    assert text == doc_first.strip()
    assert text and "\n" not in text and "``" not in text


@pytest.mark.parametrize("name", NAMES)
def test_parameters_are_the_dataclass_fields_with_help(name: str) -> None:
    cls = CLASSES[name]
    params = registry.parameters(name)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    assert list(params) == [f.name for f in fields]
    instance = cls()
    for f in fields:
        tp, default, help_text = params[f.name]
        assert tp in (float, int, str)
        assert default == f.default == getattr(instance, f.name)
        assert help_text == f.metadata["help"] and help_text


@pytest.mark.parametrize("name", NAMES)
def test_make_accepts_every_registered_name_and_its_options(name: str) -> None:
    cls = CLASSES[name]
    assert registry.make(name, FAMILY) == cls()
    # None counts as "not given": the command line passes every option
    assert registry.make(name, FAMILY, **dict.fromkeys(registry.parameters(name))) == cls()
    defaults = {k: d for k, (_, d, _) in registry.parameters(name).items() if d is not None}
    assert registry.make(name, FAMILY, **defaults) == cls(**defaults)


@pytest.mark.parametrize("name", ["helicopter", "", "None", "Rate-Cut", "rate_cut"])
def test_make_rejects_unknown_names_in_one_line(name: str) -> None:
    with pytest.raises(ParameterError, match="'policy'") as info:
        registry.make(name, FAMILY)
    msg = str(info.value)
    assert "\n" not in msg and all(n in msg for n in NAMES)


def test_make_none_is_no_policy_and_takes_no_option() -> None:
    assert registry.make("none", FAMILY) is None
    assert registry.make("none", FAMILY, size=None) is None
    with pytest.raises(ParameterError, match="'size'"):
        registry.make("none", FAMILY, size=0.01)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_option_is_named_with_the_accepted_ones(name: str) -> None:
    with pytest.raises(ParameterError, match="'bogus'") as info:
        registry.make(name, FAMILY, bogus=1)
    msg = str(info.value)
    assert "\n" not in msg and all(k in msg for k in registry.parameters(name))


def test_unknown_family_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="'family'"):
        registry.names("banking-union")
    with pytest.raises(ParameterError, match="'family'"):
        registry.make("fiscal", "banking-union")


def test_table_describes_every_policy_for_help_texts() -> None:
    tab = registry.table(FAMILY)
    assert [row["name"] for row in tab] == NAMES
    for row in tab:
        assert row["description"] == registry.describe(row["name"])
        params = registry.parameters(row["name"])
        assert list(row["parameters"]) == list(params)
        for k, spec in row["parameters"].items():
            assert spec == {"type": params[k][0].__name__, "default": params[k][1],
                            "help": params[k][2]}


def test_register_refuses_duplicates_none_and_non_policies() -> None:
    @dataclasses.dataclass(frozen=True)
    class Dup:
        name = "fiscal"

        def apply(self, inputs: object, context: object) -> object:
            return inputs

    @dataclasses.dataclass(frozen=True)
    class Nothing:
        name = "none"

        def apply(self, inputs: object, context: object) -> object:
            return inputs

    class NoApply:
        name = "no-apply"

    before = registry.names()
    for cls in (Dup, Nothing, NoApply):
        with pytest.raises(ParameterError):
            registry.register(FAMILY)(cls)
    assert registry.names() == before


def test_make_policy_keeps_its_signature_size_is_the_magnitude() -> None:
    assert make_policy("none") is None
    assert make_policy("rate-cut", size=0.02, start=1, duration=2) == RateCut(
        size=0.02, start=1, duration=2)
    assert make_policy("higher-target", size=0.04) == HigherTarget(target=0.04)
    assert make_policy("write-down", size=0.3) == DebtWriteDown(share=0.3)
    assert make_policy("forward-guidance", extra_periods=3) == ForwardGuidance(extra_periods=3)
    with pytest.raises(ParameterError, match="'size'"):
        make_policy("forward-guidance", size=0.1)
    with pytest.raises(ParameterError, match="'start'"):
        make_policy("higher-target", start=1)
    with pytest.raises(ParameterError, match="'extra_periods'"):
        make_policy("fiscal", extra_periods=1)
    with pytest.raises(ParameterError, match="'policy'"):
        make_policy("none", size=0.01)
    with pytest.raises(ParameterError, match="'size'"):
        make_policy("fiscal", size=-1.0)
